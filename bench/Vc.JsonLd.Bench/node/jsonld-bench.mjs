// jsonld.js 9 + rdf-canonize (tools/js/node_modules) canonicalizing the same credential and proof options as the
// .NET benchmark, with an offline loader over shared/contexts. Usage: node jsonld-bench.mjs SHARED_DIR TOOLS_JS_DIR
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const [shared, toolsJs] = process.argv.slice(2);
const require = createRequire(path.join(toolsJs, 'package.json'));
const jsonld = require('jsonld');

const index = JSON.parse(fs.readFileSync(path.join(shared, 'contexts', 'index.json'), 'utf8'));
const contexts = new Map(Object.entries(index).map(([url, e]) =>
  [url, JSON.parse(fs.readFileSync(path.join(shared, 'contexts', e.file), 'utf8'))]));
const documentLoader = async (url) => {
  if (!contexts.has(url)) throw new Error('not bundled: ' + url);
  return { contextUrl: null, documentUrl: url, document: contexts.get(url) };
};

const dir = path.join(shared, 'testdata', 'di-vectors', 'eddsa', 'eddsa-rdfc-2022');
const doc = JSON.parse(fs.readFileSync(path.join(dir, 'signedDataInt.json'), 'utf8'));
delete doc.proof;
const proof = JSON.parse(fs.readFileSync(path.join(dir, 'proofConfigDataInt.json'), 'utf8'));
const opts = { algorithm: 'RDFC-1.0', format: 'application/n-quads', documentLoader, safe: true };

const once = async () => (await jsonld.canonize(doc, opts)).length + (await jsonld.canonize(proof, opts)).length;
for (let i = 0; i < 200; i++) await once();
let n = 0;
const t0 = process.hrtime.bigint();
const c0 = process.cpuUsage();
while (Number(process.hrtime.bigint() - t0) < 3e9) { await once(); n++; }
const ms = Number(process.hrtime.bigint() - t0) / 1e6 / n;
const cpu = process.cpuUsage(c0);
const cpuMs = (cpu.user + cpu.system) / 1000 / n;
const quads = (await jsonld.canonize(doc, opts)).split('\n').filter(Boolean).length;
console.log(`jsonld.js ${require('jsonld/package.json').version} + rdf-canonize: document (${quads} quads) + proof options: ` +
  `${(ms * 1000).toFixed(1)} µs/op wall, ${(cpuMs * 1000).toFixed(1)} µs/op CPU (${n} ops)`);
console.log(JSON.stringify({ documentAndProofMs: ms, documentAndProofCpuMs: cpuMs, ops: n, quads }));
