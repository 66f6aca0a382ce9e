// Independent ecdsa-sd-2023 implementation (Digital Bazaar @digitalbazaar/ecdsa-sd-2023-cryptosuite, tools/js), offline.
// Reads one JSON request on stdin, writes one JSON answer on stdout. Ops:
//   {op:"issue", credential, key, mandatoryPointers, created?} -> {signed}            (base proof)
//   {op:"derive", credential, selectivePointers}               -> {derived}           (derived proof)
//   {op:"verify", credential, now?}                            -> {verified, errors[]} (derived proofs)
//   {op:"bench", credential, key, mandatoryPointers, selectivePointers, seconds?}
//        -> {issuePerSec, derivePerSec, verifyPerSec}  (per CPU-second, after a warm-up)
// key: {publicKeyMultibase, secretKeyMultibase} (P-256 Multikey; did:key controller)
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const require = createRequire(join(repo, 'tools', 'js', 'package.json'));
const load = async name => import(require.resolve(name));

const vc = await load('@digitalbazaar/vc');
const { DataIntegrityProof } = await load('@digitalbazaar/data-integrity');
const sd = await load('@digitalbazaar/ecdsa-sd-2023-cryptosuite');
const EcdsaMultikey = await load('@digitalbazaar/ecdsa-multikey');

// ---- offline document loader: shared/contexts + our ICVP context + did:key documents ----
const contextsDir = join(repo, '..', 'shared', 'contexts');
const contexts = new Map();
for (const [url, entry] of Object.entries(JSON.parse(readFileSync(join(contextsDir, 'index.json'), 'utf8'))))
  contexts.set(url, JSON.parse(readFileSync(join(contextsDir, entry.file), 'utf8')));
contexts.set('https://w3id.org/vchealth/icvp/v1',
  JSON.parse(readFileSync(join(repo, 'src', 'Vc.Credentials', 'Resources', 'icvp-v1.jsonld'), 'utf8')));

function didKeyDocument(did) {
  const mb = did.slice('did:key:'.length);
  const vmId = `${did}#${mb}`;
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did,
    verificationMethod: [{ id: vmId, type: 'Multikey', controller: did, publicKeyMultibase: mb }],
    authentication: [vmId], assertionMethod: [vmId], capabilityInvocation: [vmId], capabilityDelegation: [vmId],
  };
}

async function documentLoader(url) {
  if (contexts.has(url)) return { contextUrl: null, documentUrl: url, document: contexts.get(url) };
  if (url.startsWith('did:key:')) {
    const [did, fragment] = url.split('#');
    const doc = didKeyDocument(did);
    if (!fragment) return { contextUrl: null, documentUrl: url, document: doc };
    const vm = doc.verificationMethod.find(m => m.id === url);
    if (!vm) throw new Error('unknown verification method ' + url);
    return { contextUrl: null, documentUrl: url, document: { '@context': 'https://w3id.org/security/multikey/v1', ...vm } };
  }
  throw new Error(`offline loader: ${url} is not bundled`);
}

function errorText(result) {
  const errors = [];
  const walk = e => { if (!e) return; if (e.errors) e.errors.forEach(walk); else errors.push(e.message ?? String(e)); };
  walk(result.error);
  for (const r of result.results ?? []) walk(r.error);
  return errors.join('; ');
}

async function signer(key) {
  const did = `did:key:${key.publicKeyMultibase}`;
  const pair = await EcdsaMultikey.from({
    '@context': 'https://w3id.org/security/multikey/v1', type: 'Multikey', id: `${did}#${key.publicKeyMultibase}`, controller: did,
    publicKeyMultibase: key.publicKeyMultibase, secretKeyMultibase: key.secretKeyMultibase,
  });
  return pair.signer();
}

async function issue(credential, key, mandatoryPointers, created) {
  const suite = new DataIntegrityProof({
    signer: await signer(key), date: created ? new Date(created) : undefined,
    cryptosuite: sd.createSignCryptosuite({ mandatoryPointers }),
  });
  return vc.issue({ credential: structuredClone(credential), suite, documentLoader });
}

async function derive(credential, selectivePointers) {
  const suite = new DataIntegrityProof({ cryptosuite: sd.createDiscloseCryptosuite({ selectivePointers }) });
  return vc.derive({ verifiableCredential: structuredClone(credential), suite, documentLoader });
}

async function verify(credential, now) {
  const suite = new DataIntegrityProof({ cryptosuite: sd.createVerifyCryptosuite() });
  const r = await vc.verifyCredential({ credential, suite, documentLoader, now: now ? new Date(now) : undefined, checkStatus: async () => ({ verified: true }) });
  return { verified: r.verified === true, errors: r.verified ? [] : [errorText(r)] };
}

const request = JSON.parse(readFileSync(0, 'utf8'));
let answer;
switch (request.op) {
  case 'issue': answer = { signed: await issue(request.credential, request.key, request.mandatoryPointers ?? [], request.created) }; break;
  case 'derive': answer = { derived: await derive(request.credential, request.selectivePointers ?? []) }; break;
  case 'verify': answer = await verify(request.credential, request.now); break;
  case 'bench': {
    // Each operation for `seconds` after a warm-up, on this one thread; rates per CPU-second (process.cpuUsage) so
    // that load from other processes does not skew the comparison with the C# figures.
    const seconds = request.seconds ?? 3;
    const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
    const rate = async (body, warmMs) => {
      let t0 = performance.now();
      while (performance.now() - t0 < warmMs) await body();
      let n = 0;
      t0 = performance.now();
      const c0 = cpu();
      while (performance.now() - t0 < seconds * 1000) { await body(); n++; }
      return n / (cpu() - c0);
    };
    const signed = await issue(request.credential, request.key, request.mandatoryPointers);
    const derived = await derive(signed, request.selectivePointers);
    const derivedText = JSON.stringify(derived);
    const ok = (await verify(JSON.parse(derivedText))).verified;
    const issuePerSec = await rate(() => issue(request.credential, request.key, request.mandatoryPointers), 2000);
    const derivePerSec = await rate(() => derive(signed, request.selectivePointers), 2000);
    const verifyPerSec = await rate(() => verify(JSON.parse(derivedText)), 2000);
    answer = { issuePerSec, derivePerSec, verifyPerSec, allVerified: ok };
    break;
  }
  default: answer = { error: 'unknown op ' + request.op };
}
process.stdout.write(JSON.stringify(answer));
