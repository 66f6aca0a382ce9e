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

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
dotnet test VcHealth.sln -c Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One summary line per test assembly: "Passed!  - Failed: 0, Passed: 14, Skipped: 0, Total: 14, ...".
passed=0; failed=0; skipped=0; total=0
while read -r f p s t; do
  failed=$((failed + f)); passed=$((passed + p)); skipped=$((skipped + s)); total=$((total + t))
done < <(sed -n 's/.*Failed: *\([0-9]*\), Passed: *\([0-9]*\), Skipped: *\([0-9]*\), Total: *\([0-9]*\).*/\1 \2 \3 \4/p' "$log")
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; echo "test.sh: dotnet test exited $status (build or run failure)" >&2; fi
if [ "$total" -eq 0 ]; then echo "test.sh: no test ran" >&2; failed=$((failed + 1)); fi
# Name the failed tests again at the end (a rare flake is then identified from the last lines alone).
grep -E '^[[:space:]]+Failed [A-Za-z_]' "$log" | sed 's/^[[:space:]]*/test.sh: /' >&2 || true
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
