// Independent cross-verifier over the Digital Bazaar stack (tools/js/node_modules), offline.
// Reads one JSON request on stdin, writes one JSON answer on stdout. Ops:
//   {op:"verify", credential, now?, statusLists?}          -> {verified, errors[]}
//   {op:"verify-vp", presentation, challenge, domain, now?, statusLists?} -> {verified, errors[]}
//   {op:"issue", credential, key, created?}                 -> {signed}
//   {op:"sign-vp", presentation, key, challenge, domain, created?} -> {signed}
//   {op:"bench", credential, key, seconds?, statusLists?}   -> {issuePerSec, verifyPerSec, issued, verified}
// key: {type:"Ed25519", seedHex} | {type:"P-256", publicKeyMultibase, secretKeyMultibase}
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const require = createRequire(join(repo, 'tools', 'js', 'package.json'));
const load = async name => import(require.resolve(name));

const vc = await load('@digitalbazaar/vc');
const { DataIntegrityProof } = await load('@digitalbazaar/data-integrity');
const { cryptosuite: eddsaRdfc2022 } = await load('@digitalbazaar/eddsa-rdfc-2022-cryptosuite');
const { cryptosuite: ecdsaRdfc2019 } = await load('@digitalbazaar/ecdsa-rdfc-2019-cryptosuite');
const Ed25519Multikey = await load('@digitalbazaar/ed25519-multikey');
const EcdsaMultikey = await load('@digitalbazaar/ecdsa-multikey');

// ---- offline document loader: shared/contexts + our ICVP context + did:key documents ----
const contextsDir = join(repo, '..', 'shared', 'contexts');
const contexts = new Map();
for (const [url, entry] of Object.entries(JSON.parse(readFileSync(join(contextsDir, 'index.json'), 'utf8'))))
  contexts.set(url, JSON.parse(readFileSync(join(contextsDir, entry.file), 'utf8')));
contexts.set('https://w3id.org/vchealth/icvp/v1',
  JSON.parse(readFileSync(join(repo, 'src', 'Vc.Credentials', 'Resources', 'icvp-v1.jsonld'), 'utf8')));
let statusLists = {};

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
  if (statusLists[url]) return { contextUrl: null, documentUrl: url, document: statusLists[url] };
  throw new Error(`offline loader: ${url} is not bundled`);
}

const verifySuites = () => [new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }), new DataIntegrityProof({ cryptosuite: ecdsaRdfc2019 })];

// Bitstring Status List §3.2, written independently of the C# code (node zlib).
async function checkStatus({ credential, now }) {
  const entries = [].concat(credential.credentialStatus ?? []);
  for (const entry of entries) {
    if (entry.type !== 'BitstringStatusListEntry') return { verified: false, error: 'unsupported status type ' + entry.type };
    const list = statusLists[entry.statusListCredential];
    if (!list) return { verified: false, error: 'status list not available: ' + entry.statusListCredential };
    const r = await vc.verifyCredential({ credential: list, suite: verifySuites(), documentLoader, now });
    if (!r.verified) return { verified: false, error: 'status list credential does not verify: ' + errorText(r) };
    const subject = list.credentialSubject;
    if (subject.statusPurpose !== entry.statusPurpose) return { verified: false, error: 'status purpose mismatch' };
    if (!subject.encodedList.startsWith('u')) return { verified: false, error: 'encodedList is not multibase base64url' };
    const bits = gunzipSync(Buffer.from(subject.encodedList.slice(1), 'base64url'));
    const index = Number.parseInt(entry.statusListIndex, 10);
    if (index >= bits.length * 8) return { verified: false, error: 'index out of range' };
    if ((bits[index >> 3] >> (7 - (index & 7))) & 1) return { verified: false, error: `${entry.statusPurpose} bit ${index} is set` };
  }
  return { verified: true };
}

function errorText(result) {
  const errors = [];
  const walk = e => { if (!e) return; if (e.errors) e.errors.forEach(walk); else errors.push(e.message ?? String(e)); };
  walk(result.error);
  for (const r of result.results ?? []) walk(r.error);
  for (const r of result.credentialResults ?? []) for (const x of r.results ?? []) walk(x.error);
  if (result.statusResult?.error) errors.push(String(result.statusResult.error));
  for (const r of result.credentialResults ?? []) if (r.statusResult?.error) errors.push(String(r.statusResult.error));
  return errors.join('; ');
}

async function signer(key) {
  if (key.type === 'Ed25519') {
    const pair = await Ed25519Multikey.generate({ seed: Buffer.from(key.seedHex, 'hex') });
    const did = `did:key:${pair.publicKeyMultibase}`;
    pair.id = `${did}#${pair.publicKeyMultibase}`;
    pair.controller = did;
    return { did, signer: pair.signer(), cryptosuite: eddsaRdfc2022 };
  }
  const did = `did:key:${key.publicKeyMultibase}`;
  const pair = await EcdsaMultikey.from({
    '@context': 'https://w3id.org/security/multikey/v1', type: 'Multikey', id: `${did}#${key.publicKeyMultibase}`, controller: did,
    publicKeyMultibase: key.publicKeyMultibase, secretKeyMultibase: key.secretKeyMultibase,
  });
  return { did, signer: pair.signer(), cryptosuite: ecdsaRdfc2019 };
}

async function issue(credential, key, created) {
  const { signer: s, cryptosuite } = await signer(key);
  const suite = new DataIntegrityProof({ signer: s, cryptosuite, date: created ? new Date(created) : undefined });
  return vc.issue({ credential: structuredClone(credential), suite, documentLoader });
}

async function verify(credential, now) {
  const r = await vc.verifyCredential({ credential, suite: verifySuites(), documentLoader, checkStatus, now: now ? new Date(now) : undefined });
  return { verified: r.verified === true, errors: r.verified ? [] : [errorText(r)] };
}

const request = JSON.parse(readFileSync(0, 'utf8'));
statusLists = request.statusLists ?? {};
let answer;
switch (request.op) {
  case 'verify': answer = await verify(request.credential, request.now); break;
  case 'issue': answer = { signed: await issue(request.credential, request.key, request.created) }; break;
  case 'sign-vp': {
    const { signer: s, cryptosuite } = await signer(request.key);
    const suite = new DataIntegrityProof({ signer: s, cryptosuite, date: request.created ? new Date(request.created) : undefined });
    answer = { signed: await vc.signPresentation({ presentation: structuredClone(request.presentation), suite, challenge: request.challenge, domain: request.domain, documentLoader }) };
    break;
  }
  case 'verify-vp': {
    const r = await vc.verify({
      presentation: request.presentation, challenge: request.challenge, domain: request.domain, suite: verifySuites(),
      presentationPurpose: undefined, documentLoader, checkStatus, now: request.now ? new Date(request.now) : undefined,
    });
    answer = { verified: r.verified === true, errors: r.verified ? [] : [errorText(r)] };
    break;
  }
  case 'bench': {
    // Sign and verify the same credential for `seconds` each, on this one thread; rates per CPU-second
    // (process.cpuUsage) so that load from other processes does not skew the comparison.
    const seconds = request.seconds ?? 3;
    const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
    // The same work as the C# side: warm up first (V8 and the .NET JIT both optimize hot code over time; the C# side
    // waits until its JIT has settled, a few seconds), and verify from JSON text, as a verifier receives it.
    const warm = 3000;
    let signed;
    let t0 = performance.now();
    while (performance.now() - t0 < warm) signed = await issue(request.credential, request.key);
    const signedText = JSON.stringify(signed);
    t0 = performance.now();
    while (performance.now() - t0 < warm) await verify(JSON.parse(signedText));
    let issued = 0;
    t0 = performance.now();
    let c0 = cpu();
    while (performance.now() - t0 < seconds * 1000) { signed = await issue(request.credential, request.key); issued++; }
    const issuePerSec = issued / (cpu() - c0);
    // Verify in three windows and report the median (V8's rate moves a few per cent from window to window).
    let verified = 0, ok = true;
    const verifyWindows = [];
    for (let w = 0; w < 3; w++) {
      let n = 0;
      t0 = performance.now(); c0 = cpu();
      while (performance.now() - t0 < seconds * 1000) { ok = ok && (await verify(JSON.parse(signedText))).verified; n++; }
      verifyWindows.push(n / (cpu() - c0));
      verified += n;
    }
    const verifyPerSec = [...verifyWindows].sort((a, b) => a - b)[1];
    answer = { issuePerSec, verifyPerSec, verifyWindows, issued, verified, allVerified: ok };
    break;
  }
  default: answer = { error: 'unknown op ' + request.op };
}
process.stdout.write(JSON.stringify(answer));
