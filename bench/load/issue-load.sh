#!/usr/bin/env bash
# Durable issuance throughput: a node on a fresh data directory issues credentials with a revocation status entry
# over HTTP (autocannon from a second process, 16 connections), first on SQLite (embedded default), then on a
# PostgreSQL server started here (initdb in a temporary directory; as the postgres user when run as root).
# Every 201 is durable before it is sent (group commit: SQLite WAL synchronous=FULL, PostgreSQL synchronous_commit=on).
# Prints both beside the baseline measured before group commit. Usage: bench/load/issue-load.sh [seconds] [connections]
# (each run follows a WARMUP_SECONDS warm-up, default 10, not counted)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
seconds="${1:-10}"; connections="${2:-16}"; warmup="${WARMUP_SECONDS:-10}"
baseline_rps=1150  # HTTP issuance with a status entry before group commit (8 connections, 10 s, p99 57 ms): one fsync per credential
work="$(mktemp -d)"; pgdir="$(mktemp -d)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
v="$root/vchealth"
"$v" --help >/dev/null
pg_pid=""; node_pid=""
cleanup() {
  [ -n "$node_pid" ] && kill "$node_pid" 2>/dev/null; [ -n "$node_pid" ] && wait "$node_pid" 2>/dev/null
  [ -n "$pg_pid" ] && kill -INT "$pg_pid" 2>/dev/null; [ -n "$pg_pid" ] && wait "$pg_pid" 2>/dev/null
  rm -rf "$work" "$pgdir"
}
trap cleanup EXIT

# PostgreSQL: the server binaries on PATH, else the newest /usr/lib/postgresql/N/bin.
initdb_path="$(command -v initdb || ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1)"
[ -x "$initdb_path" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 3; }
pgbin="$(dirname "$(readlink -f "$initdb_path")")"  # the real bin directory (pg_isready, createdb beside initdb)
as_pg=()
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$pgdir"; as_pg=(setpriv --reuid=postgres --regid=postgres --init-groups --); fi
"${as_pg[@]}" "$pgbin/initdb" -D "$pgdir/data" -U vchealth -A trust -E UTF8 --no-sync >/dev/null
pgport=$(free_port)
"${as_pg[@]}" "$pgbin/postgres" -D "$pgdir/data" -p "$pgport" -k "$pgdir" -c listen_addresses=127.0.0.1 \
  -c synchronous_commit=on -c fsync=on -c max_connections=200 > "$work/pg.log" 2>&1 &
pg_pid=$!
for _ in $(seq 200); do "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$pgport" && break; sleep 0.1; done
"$pgbin/createdb" -h 127.0.0.1 -p "$pgport" -U vchealth vchealth
"$pgbin/createdb" -h 127.0.0.1 -p "$pgport" -U vchealth vchealth_each

run() {  # run LABEL [--db URL]
  local label="$1"; shift
  export VCHEALTH_HOME="$work/$label"
  "$v" issuer create load "$@" >/dev/null
  local key; key=$("$v" apikey create --scopes issue "$@" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).key))')
  local port; port=$(free_port)
  "$v" node --urls "http://127.0.0.1:$port" --rate-limit 1000000 "$@" > "$work/$label.log" 2>&1 &
  node_pid=$!
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.1; done
  # Warm-up (not counted): the runtime recompiles hot code with profile data during the first seconds under load, a
  # cost a long-running node pays once. The figure is the steady state after it.
  node "$root/bench/load/issue-load.mjs" "http://127.0.0.1:$port" load "$key" "$warmup" "$connections" warm-up > /dev/null
  node "$root/bench/load/issue-load.mjs" "http://127.0.0.1:$port" load "$key" "$seconds" "$connections" "$label" >> "$work/results.jsonl"
  kill "$node_pid"; wait "$node_pid" 2>/dev/null || true; node_pid=""
}
# The same run without group commit (a commit per credential, as before it) on both backends: the comparison that
# holds on a machine busy with other work, where absolute figures move from run to run.
VCHEALTH_COMMIT_BATCH=1 run sqlite-commit-each
run sqlite
VCHEALTH_COMMIT_BATCH=1 run postgres-commit-each --db "postgres://vchealth@127.0.0.1:$pgport/vchealth_each"
run postgres --db "postgres://vchealth@127.0.0.1:$pgport/vchealth"

BASELINE="$baseline_rps" CONNECTIONS="$connections" SECONDS_RUN="$seconds" WARMUP="$warmup" node -e '
const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const base = Number(process.env.BASELINE);
console.log(`durable HTTP issuance with a status entry, ${process.env.CONNECTIONS} connections, ${process.env.SECONDS_RUN} s each after ${process.env.WARMUP} s of warm-up:`);
console.table(rows.map(r => ({ backend: r.label, "req/s": r["req/s"], "baseline req/s": base, "× baseline": (r["req/s"] / base).toFixed(2),
  "p50 ms": r["p50 ms"], "p99 ms": r["p99 ms"], requests: r.requests, errors: r.errors, non201: r.non201 })));
const bad = rows.some(r => r.errors > 0 || r.non201 > 0);
console.log(bad ? "issue load: FAILED (errors or non-201 answers above)" : "issue load: every answer 201");
process.exit(bad ? 1 : 0);
' "$work/results.jsonl"
