// rdf-canonize (tools/js/node_modules, offline) as the reference for RDFC-1.0 and its work bound.
// Reads {cases: [{nquads, factor, hash?}]} on stdin; writes a JSON array, one entry per case:
//   {canonical} (the canonical N-Quads) or {error} (e.g. "Maximum deep iterations exceeded (N).").
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const require = createRequire(join(repo, 'tools', 'js', 'package.json'));
const canonize = require('rdf-canonize');

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const { cases } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const out = [];
for (const c of cases) {
  try {
    const canonical = await canonize.canonize(c.nquads, {
      algorithm: 'RDFC-1.0', inputFormat: 'application/n-quads', format: 'application/n-quads',
      maxWorkFactor: c.factor, messageDigestAlgorithm: c.hash ?? 'sha256',
    });
    out.push({ canonical });
  } catch (e) {
    out.push({ error: String(e.message ?? e) });
  }
}
process.stdout.write(JSON.stringify(out));
