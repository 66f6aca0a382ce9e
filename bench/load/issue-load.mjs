// Issuance load from a second process on loopback (autocannon): POST /issuers/{id}/credentials/issue with a
// revocation status entry per credential, every answer expected 201 (durable before it is sent).
// Usage: node bench/load/issue-load.mjs BASE_URL ISSUER API_KEY SECONDS CONNECTIONS LABEL
// Prints one JSON line: {label, "req/s", "p50 ms", "p99 ms", requests, errors, non201}.
import autocannon from '../../tools/js/node_modules/autocannon/autocannon.js';

const [base, issuer, key, seconds = '10', connections = '16', label = 'node'] = process.argv.slice(2);
const body = JSON.stringify({
  credential: {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
    type: ['VerifiableCredential', 'ExampleAlumniCredential'], validFrom: '2025-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:holder', alumniOf: 'Example University' },
  },
  options: { credentialStatus: true },
});
let non201 = 0;
const result = await autocannon({
  url: `${base}/issuers/${issuer}/credentials/issue`, method: 'POST', duration: Number(seconds), connections: Number(connections),
  headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body,
  setupClient: (client) => client.on('response', (status) => { if (status !== 201) non201++; }),
});
console.log(JSON.stringify({
  label, 'req/s': Math.round(result.requests.average), 'p50 ms': result.latency.p50, 'p99 ms': result.latency.p99,
  requests: result.requests.total, errors: result.errors + result.timeouts, non201,
}));
