#!/usr/bin/env bash
# Prints the load test's /hcert/verify entry: an ICVP HCERT signed with a fresh development DSC, which the
# node under test trusts through --trust (written to $work/pki/dsc.pem). Usage: hcert-body.sh VCHEALTH WORKDIR
set -euo pipefail
v="$1"; work="$2"
"$v" pki dev-country KE --out "$work/pki" >/dev/null
cat > "$work/icvp.json" <<'JSON'
{"n":"Jane Doe","dob":"1990-04-12","s":"female","ntl":"KEN",
 "v":{"vp":"YellowFeverProductd8a09f80301dc05e124f99ffe7711fc0","tg":"1D47","dt":"2025-10-01","bo":"S4D123","vls":"2025-10-11","cn":"Dr. A. Mwangi","is":"KEN"}}
JSON
hc1=$("$v" dcc sign "$work/icvp.json" --cert "$work/pki/dsc.pem" --key "$work/pki/dsc.key.pem" --type icvp --iss KE)
echo "\"hcert\":{\"path\":\"/hcert/verify\",\"body\":{\"hc1\":\"$hc1\"}}"
