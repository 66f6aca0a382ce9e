#!/usr/bin/env bash
# run-suites.sh SUITES_DIR [PORT] — runs the W3C interop suites against a fresh VcHealth node.
#
# SUITES_DIR holds checkouts (with their node_modules installed) of vc-data-model-2.0-test-suite, vc-di-eddsa-test-suite,
# vc-di-ecdsa-test-suite and vc-bitstring-status-list-test-suite, under those names or as vcdm/, eddsa/, ecdsa/, bsl/. Nothing of them is kept in this repository
# (they come from GitHub only, so this is not part of CI). The script starts a node with the DEFAULT configuration on
# its own data directory (self-signed TLS cert, one API key, one issuer per cryptosuite), writes the suites' local
# implementation config into its work directory (APP_ROOT_PATH points vc-test-suite-implementations there, so the
# suite folders are not modified), runs each suite, prints per-suite pass/fail and stops the node.
set -euo pipefail
suites="${1:?usage: run-suites.sh SUITES_DIR [PORT]}"
port="${2:-40543}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d /tmp/vchealth-w3c.XXXXXX)"
data="$work/data"
base="https://localhost:$port"
vch() { "$root/vchealth" --data "$data" "$@"; }

find_suite() { # name alias → path or empty
  for d in "$suites/$1" "$suites/$2"; do [ -d "$d/tests" ] && { echo "$d"; return; }; done
  return 0 # not found: an empty answer (the caller reports it), not an exit under set -e
}

echo "work directory: $work" >&2
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$work/tls.key" -out "$work/tls.pem" 2>/dev/null
chmod 600 "$work/tls.key"

key="$(vch apikey create --scopes issue,revoke,manage-issuers --description w3c-suites | node -pe 'JSON.parse(require("fs").readFileSync(0)).key')"
declare -A did
for suite in eddsa-rdfc-2022 eddsa-jcs-2022 ecdsa-rdfc-2019 ecdsa-jcs-2019 ecdsa-sd-2023; do
  did[$suite]="$(vch issuer create "$suite" --cryptosuite "$suite" | node -pe 'JSON.parse(require("fs").readFileSync(0)).did')"
done
# The status list suite's issuer: every credential it issues gets a revocation entry (VC-API options.credentialStatus).
did[bsl]="$(vch issuer create bsl --cryptosuite eddsa-rdfc-2022 | node -pe 'JSON.parse(require("fs").readFileSync(0)).did')"

if curl -sk -o /dev/null "$base/health"; then echo "port $port is already in use" >&2; exit 3; fi
# Started directly (not through a shell function), so $! is the node itself and the trap stops it.
"$root/vchealth" --data "$data" node --urls "https://127.0.0.1:$port" --tls-cert "$work/tls.pem" --tls-key "$work/tls.key" \
  --public-url "$base" >"$work/node.out" 2>"$work/node.err" &
node_pid=$!
stop() { kill "$node_pid" 2>/dev/null || true; wait "$node_pid" 2>/dev/null || true; }
trap stop EXIT
for _ in $(seq 1 120); do
  curl -sfk "$base/health" >/dev/null 2>&1 && break
  kill -0 "$node_pid" 2>/dev/null || { cat "$work/node.err" >&2; exit 3; }
  sleep 0.5
done

# One implementation: an issuer per cryptosuite (tags as the suites filter on), one verifier for all, VC 1.1 and 2.0.
cat >"$work/localConfig.cjs" <<CFG
const headers = {Authorization: 'Bearer $key'};
const supports = {vc: ['1.1', '2.0']};
const issuer = (suite, did, extra = {}) => ({id: did, endpoint: '$base/issuers/' + suite + '/credentials/issue',
  tags: [suite], supports, headers, ...extra});
module.exports = {
  settings: {enableInteropTests: false, testAllImplementations: false},
  implementations: [{
    name: 'VcHealth', implementation: 'VcHealth node',
    issuers: [
      issuer('eddsa-rdfc-2022', '${did[eddsa-rdfc-2022]}', {tags: ['eddsa-rdfc-2022', 'vc2.0']}),
      issuer('eddsa-jcs-2022', '${did[eddsa-jcs-2022]}'),
      issuer('ecdsa-rdfc-2019', '${did[ecdsa-rdfc-2019]}', {supportedEcdsaKeyTypes: ['P-256']}),
      issuer('ecdsa-jcs-2019', '${did[ecdsa-jcs-2019]}', {supportedEcdsaKeyTypes: ['P-256']}),
      issuer('ecdsa-sd-2023', '${did[ecdsa-sd-2023]}', {supportedEcdsaKeyTypes: ['P-256']}),
      issuer('bsl', '${did[bsl]}', {tags: ['BitstringStatusList'], options: {credentialStatus: {statusPurpose: 'revocation'}}}),
    ],
    verifiers: [{id: '$base/verifier', endpoint: '$base/credentials/verify', supports,
      tags: ['vc2.0', 'eddsa-rdfc-2022', 'eddsa-jcs-2022', 'ecdsa-rdfc-2019', 'ecdsa-jcs-2019', 'ecdsa-sd-2023', 'BitstringStatusList'],
      supportedEcdsaKeyTypes: ['P-256', 'P-384']}],
    vpVerifiers: [{id: '$base/verifier', endpoint: '$base/presentations/verify', supports, tags: ['vc2.0', 'BitstringStatusList']}],
  }],
};
CFG

status=0
summary=""
for pair in "vcdm vc-data-model-2.0-test-suite" "eddsa vc-di-eddsa-test-suite" "ecdsa vc-di-ecdsa-test-suite" "bsl vc-bitstring-status-list-test-suite"; do
  set -- $pair
  dir="$(find_suite "$1" "$2")"
  if [ -z "$dir" ]; then summary+="$1: not found under $suites"$'\n'; status=3; continue; fi
  log="$work/$1.log"
  (cd "$dir" && APP_ROOT_PATH="$work" NODE_TLS_REJECT_UNAUTHORIZED=0 \
     npx mocha tests/ --timeout 15000 --preserve-symlinks --reporter json --reporter-option "output=$work/$1.json" >"$log" 2>&1) || true
  line="$(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const s = r.stats; console.log(`${process.argv[2]}: ${s.passes} passed, ${s.failures} failed, ${s.pending} pending`);
    for (const f of r.failures) console.log(`  FAIL ${f.fullTitle}\n       ${(f.err.message || "").split("\n")[0].slice(0, 200)}`);
  ' "$work/$1.json" "$1" 2>&1 || echo "$1: the suite did not report (see $log)")"
  echo "$line"
  summary+="$(head -1 <<<"$line") (commit $(git -C "$dir" rev-parse --short HEAD 2>/dev/null || echo unknown))"$'\n'
  # Pending tests are the suites' own skips (e.g. interop tests while interop is off): only failures count.
  grep -q ' 0 failed,' <<<"$(head -1 <<<"$line")" || status=1
done
echo "---"
printf '%s' "$summary"
exit $status
