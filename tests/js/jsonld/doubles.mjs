// jsonld.js (tools/js/node_modules, offline) as the reference for JSON-LD toRdf number literals.
// Reads a JSON array of numbers on stdin; writes a JSON array, one entry per number:
//   {typed, plain}: typed = the lexical form jsonld.js gives {"@value": n, "@type": xsd:double} (its canonical
//   xsd:double, toExponential(15)); plain = the N-Quads object it gives the bare number n (its own choice of
//   xsd:integer / xsd:double).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const require = createRequire(join(repo, 'tools', 'js', 'package.json'));
const { default: jsonld } = await import(require.resolve('jsonld'));

const XSD_DOUBLE = 'http://www.w3.org/2001/XMLSchema#double';
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const numbers = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const out = [];
for (const n of numbers) {
  const typed = await jsonld.toRDF({ '@id': 'urn:s', 'urn:p': { '@value': n, '@type': XSD_DOUBLE } });
  const plain = await jsonld.toRDF({ '@id': 'urn:s', 'urn:p': n }, { format: 'application/n-quads' });
  out.push({ typed: typed[0].object.value, plain: plain.slice('<urn:s> <urn:p> '.length, -' .\n'.length) });
}
process.stdout.write(JSON.stringify(out));
