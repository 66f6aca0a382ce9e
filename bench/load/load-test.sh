#!/usr/bin/env bash
# Load test: starts a node on a free loopback port with a fresh data directory, issues a credential
# (and an HCERT when available), then drives /credentials/verify and /hcert/verify from a second process
# (autocannon) for a bounded time. Usage: bench/load/load-test.sh [seconds] [connections]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
seconds="${1:-10}"; connections="${2:-8}"
work="$(mktemp -d)"; export VCHEALTH_HOME="$work/data"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
v="$root/vchealth"
"$v" --help >/dev/null
cleanup() { [ -n "${node_pid:-}" ] && kill "$node_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$v" issuer create load >/dev/null
cat > "$work/vc.json" <<'JSON'
{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],
 "type":["VerifiableCredential","ExampleAlumniCredential"],"validFrom":"2025-01-01T00:00:00Z",
 "credentialSubject":{"id":"did:example:holder","alumniOf":"Example University"}}
JSON
"$v" vc issue "$work/vc.json" --issuer load > "$work/signed.json"
bodies="{\"credential\":{\"path\":\"/credentials/verify\",\"body\":{\"verifiableCredential\":$(cat "$work/signed.json")}}"
bodies="$bodies,$(bash "$root/bench/load/hcert-body.sh" "$v" "$work")"
echo "$bodies}" > "$work/bodies.json"

"$v" node --urls "http://127.0.0.1:$port" --rate-limit 1000000 --trust "$work/pki/dsc.pem" > "$work/node.log" 2>&1 &
node_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.1; done
node "$root/bench/load/load-test.mjs" "http://127.0.0.1:$port" "$work/bodies.json" "$seconds" "$connections"
