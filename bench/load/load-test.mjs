// Load test of the node's public verify endpoints from a second process on loopback (autocannon).
// Usage: node bench/load/load-test.mjs BASE_URL BODIES.json [seconds] [connections]
// BODIES.json: {"name": {"path": "/credentials/verify", "body": {...}}, ...}  (every answer must be 2xx)
// Bounded: each endpoint runs for a fixed duration; prints req/s, latency p50/p99 and every error or
// unexpected status. Exit 1 if any request failed or answered unexpectedly.
import autocannon from '../../tools/js/node_modules/autocannon/autocannon.js';
import { readFileSync } from 'node:fs';

const [base, bodiesFile, seconds = '10', connections = '8'] = process.argv.slice(2);
const bodies = JSON.parse(readFileSync(bodiesFile, 'utf8'));
let failed = false;
const rows = [];
for (const [name, { path, body }] of Object.entries(bodies)) {
  const result = await autocannon({
    url: base + path, method: 'POST', duration: Number(seconds), connections: Number(connections),
    headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const wrongStatus = result.non2xx;
  const errors = result.errors + result.timeouts;
  rows.push({ endpoint: path, name, 'req/s': Math.round(result.requests.average), 'p50 ms': result.latency.p50,
    'p99 ms': result.latency.p99, requests: result.requests.total, errors, non2xx: wrongStatus });
  if (errors > 0 || wrongStatus > 0) failed = true;
}
console.table(rows);
console.log(failed ? 'load test: FAILED (errors or unexpected statuses above)' : 'load test: no errors');
process.exit(failed ? 1 : 0);
