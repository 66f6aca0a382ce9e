#!/usr/bin/env bash
# Runs every test of VcHealth. Installs what the tests need on first use (pinned npm tools from the
# lockfiles), builds, runs the suites, and ends with one line: "N passed, N failed".
# Extra arguments go to `dotnet test` (e.g. --filter).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

install_npm() { # folder
  local dir="$1"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "test.sh: installing pinned npm packages in $dir" >&2
    (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  fi
}
install_npm tools/ledger
install_npm tools/js

results="$root/TestResults"
rm -rf "$results"
set +e
dotnet test VcHealth.sln -c Release --logger "trx" --results-directory "$results" "$@"
status=$?
set -e

passed=0; failed=0; total=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); total=$((total + ${t:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; echo "test.sh: dotnet test exited $status (build or run failure)" >&2; fi
if [ "$total" -eq 0 ]; then echo "test.sh: no test ran" >&2; failed=$((failed + 1)); fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
