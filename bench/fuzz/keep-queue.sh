#!/usr/bin/env bash
# Keeps a sample of a finished campaign's queue in the corpus (the CI regression set):
# bench/fuzz/keep-queue.sh TARGET [N]  — the N smallest queue entries that found new coverage (+cov), seeds excluded.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="${1:?usage: keep-queue.sh TARGET [N]}"
n="${2:-12}"
queue="$here/out/$target/findings/default/queue"
[ -d "$queue" ] || { echo "no campaign output in $queue" >&2; exit 3; }
find "$queue" -maxdepth 1 -type f -name 'id:*+cov*' ! -name '*orig:*' -printf '%s\t%p\n' | sort -n | head -n "$n" | cut -f2 |
while read -r f; do
  id="$(basename "$f" | sed 's/^id:\([0-9]*\).*/\1/')"
  cp "$f" "$here/corpus/$target/queue-$id"
done
ls "$here/corpus/$target" | wc -l
