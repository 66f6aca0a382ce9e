// Independent did:ethr writer (ethers 6) and reference resolver (npm ethr-did-resolver 11.1.3) for the
// cross-check tests of Vc.Did. Reads one JSON request on stdin, prints one JSON answer on stdout.
//   {"op":"write", rpc, registry, funderKey}            → {"dids":[...]} histories written with ethers
//   {"op":"resolve", rpc, registry, chainId, dids:[...]} → {"results":{didUrl: json}} in the current-spec form
//   {"op":"bench", rpc, registry, chainId, did, runs}    → {"rpcCalls":n,"ms":[...]} reference resolution cost
//   {"op":"signTyped", key, chainId, registry, erc1056Hash} → {"signature"} EIP-712 signature by ethers
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, resolve as resolvePath } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(resolvePath(here, '../../../tools/js/package.json'));
const { ethers } = require('ethers');
const { Resolver } = require('did-resolver');
const { getResolver } = require('ethr-did-resolver');
import { readFileSync } from 'node:fs';
const registryArtifact = JSON.parse(readFileSync(resolvePath(here, '../../../tools/js/node_modules/ethr-did-registry/artifacts/contracts/EthereumDIDRegistry.sol/EthereumDIDRegistry.json'), 'utf8'));

const input = JSON.parse(await new Promise(r => { let s = ''; process.stdin.on('data', d => s += d); process.stdin.on('end', () => r(s)); }));
const b32 = ethers.encodeBytes32String;

async function write({ rpc, registry, funderKey }) {
  const provider = new ethers.JsonRpcProvider(rpc, undefined, { cacheTimeout: -1 });
  const funder = new ethers.NonceManager(new ethers.Wallet(funderKey, provider));
  const reg = new ethers.Contract(registry, registryArtifact.abi, funder);
  const regAddress = await reg.getAddress();
  const dids = [];
  const wait = async p => (await (await p).wait());
  // signed write (ERC-1056 layout), relayed by the funder
  async function signed(ownerWallet, identity, fn, types, values) {
    const nonce = await reg.nonce(ownerWallet.address);
    const packed = ethers.solidityPacked(['bytes1', 'bytes1', 'address', 'uint256', 'address', 'string', ...types],
      ['0x19', '0x00', regAddress, nonce, identity, fn, ...values]);
    const sig = ownerWallet.signingKey.sign(ethers.keccak256(packed));
    return wait(reg[fn + 'Signed'](identity, sig.v, sig.r, sig.s, ...values));
  }
  // E1: direct writes by a funded identity, owner change, new owner writes
  {
    const w = ethers.Wallet.createRandom().connect(provider);
    const w2 = ethers.Wallet.createRandom().connect(provider);
    await wait(funder.sendTransaction({ to: w.address, value: ethers.parseEther('1') }));
    await wait(funder.sendTransaction({ to: w2.address, value: ethers.parseEther('1') }));
    const r = reg.connect(new ethers.NonceManager(w));
    await wait(r.setAttribute(w.address, b32('did/pub/Ed25519/veriKey/base58'), ethers.hexlify(ethers.randomBytes(32)), 86400));
    await wait(r.addDelegate(w.address, b32('sigAuth'), ethers.Wallet.createRandom().address, 86400));
    await wait(r.setAttribute(w.address, b32('did/svc/LinkedDomains'), ethers.toUtf8Bytes('https://e1.example'), 86400));
    await wait(r.changeOwner(w.address, w2.address));
    await wait(reg.connect(new ethers.NonceManager(w2)).setAttribute(w.address, b32('did/pub/X25519/enc/base58'), ethers.hexlify(ethers.randomBytes(32)), 86400));
    dids.push('did:ethr:anvil:' + w.address);
  }
  // E2: signed writes relayed; delegate add + revoke; secp256k1 key; deactivation by signed changeOwner
  {
    const id = ethers.Wallet.createRandom();
    const del = ethers.Wallet.createRandom().address;
    const secp = ethers.Wallet.createRandom().signingKey.compressedPublicKey;
    await signed(id, id.address, 'setAttribute', ['bytes32', 'bytes', 'uint256'], [b32('did/pub/Secp256k1/veriKey/hex'), secp, 86400]);
    await signed(id, id.address, 'addDelegate', ['bytes32', 'address', 'uint256'], [b32('veriKey'), del, 86400]);
    await signed(id, id.address, 'revokeDelegate', ['bytes32', 'address'], [b32('veriKey'), del]);
    await signed(id, id.address, 'setAttribute', ['bytes32', 'bytes', 'uint256'],
      [b32('did/svc/Messaging'), ethers.toUtf8Bytes('{"uri":"https://e2.example","routingKeys":["a","b"]}'), 86400]);
    dids.push('did:ethr:anvil:' + id.address);
    const id2 = ethers.Wallet.createRandom();
    await signed(id2, id2.address, 'setAttribute', ['bytes32', 'bytes', 'uint256'], [b32('did/pub/Ed25519/veriKey/base58'), ethers.hexlify(ethers.randomBytes(32)), 86400]);
    await signed(id2, id2.address, 'changeOwner', ['address'], [ethers.ZeroAddress]);
    dids.push('did:ethr:anvil:' + id2.address);
  }
  // E3: an attribute that expires, a Multikey (P-256) key, an attribute re-set (same key, new validity)
  {
    const id = ethers.Wallet.createRandom();
    const ed = ethers.hexlify(ethers.randomBytes(32));
    await signed(id, id.address, 'setAttribute', ['bytes32', 'bytes', 'uint256'], [b32('did/pub/Ed25519/veriKey/base58'), ed, 1]);
    await signed(id, id.address, 'setAttribute', ['bytes32', 'bytes', 'uint256'],
      [b32('did/pub/Multikey/veriKey/hex'), ethers.concat(['0x8024', ethers.Wallet.createRandom().signingKey.compressedPublicKey]), 86400]);
    await signed(id, id.address, 'setAttribute', ['bytes32', 'bytes', 'uint256'], [b32('did/pub/Ed25519/veriKey/base58'), ed, 86400]);
    await signed(id, id.address, 'setAttribute', ['bytes32', 'bytes', 'uint256'], [b32('did/svc/Short'), ethers.toUtf8Bytes('https://short.example'), 1]);
    dids.push('did:ethr:anvil:' + id.address);
  }
  // No waiting for the 1-second validities: the caller's chain lags the wall clock (LaggingLedgerFixture), so they have lapsed.
  return { dids };
}

// ---- reference resolution, mapped to the current spec's key encodings ----
const contexts = {
  secV2: 'https://w3id.org/security/v2',
};
// ethers.decodeBase58 returns a number, which has no leading zero bytes; base58 writes each one as a leading '1'
// (a random 32-byte key starts with 0x00 once in 256), so they are put back from those.
function base58Bytes(text) {
  const zeros = text.match(/^1*/)[0].length;
  const value = ethers.decodeBase58(text);
  return ethers.getBytes(ethers.concat([new Uint8Array(zeros), value === 0n ? '0x' : ethers.toBeArray(value)]));
}
function bytesOf(vm) {
  if (vm.publicKeyHex !== undefined) return ethers.getBytes('0x' + vm.publicKeyHex);
  if (vm.publicKeyBase58 !== undefined) return base58Bytes(vm.publicKeyBase58);
  if (vm.publicKeyBase64 !== undefined) return ethers.getBytes(ethers.decodeBase64(vm.publicKeyBase64));
  return null;
}
const b64url = b => ethers.encodeBase64(b).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
function toCurrentSpec(vm) {
  const base = { id: vm.id, type: vm.type, controller: vm.controller };
  const bytes = bytesOf(vm);
  const multibase = (prefix, b) => 'z' + ethers.encodeBase58(ethers.concat([prefix, b]));
  if (vm.blockchainAccountId) return { ...base, blockchainAccountId: vm.blockchainAccountId };
  if (vm.type === 'Ed25519VerificationKey2018' && bytes) return { ...base, type: 'Ed25519VerificationKey2020', publicKeyMultibase: multibase('0xed01', bytes) };
  if (vm.type === 'X25519KeyAgreementKey2019' && bytes) return { ...base, type: 'X25519KeyAgreementKey2020', publicKeyMultibase: multibase('0xec01', bytes) };
  if (vm.type === 'EcdsaSecp256k1VerificationKey2019' && bytes) {
    const full = ethers.getBytes(ethers.SigningKey.computePublicKey(bytes, false));
    return { ...base, publicKeyJwk: { kty: 'EC', crv: 'secp256k1', x: b64url(full.slice(1, 33)), y: b64url(full.slice(33, 65)) } };
  }
  if (vm.type === 'Multikey' && bytes) return { ...base, publicKeyMultibase: 'z' + ethers.encodeBase58(bytes) };
  const { id, type, controller, ...rest } = vm;
  return { ...base, ...rest };
}
function ldContext(doc) {
  const vms = doc.verificationMethod ?? [];
  const types = new Set(vms.map(v => v.type));
  const has = p => vms.some(v => p in v);
  const ctx = ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/secp256k1recovery-2020/v2'];
  const secV2 = types.has('EcdsaSecp256k1VerificationKey2019') || types.has('RsaVerificationKey2018') || has('publicKeyBase58') || has('publicKeyPem');
  if (secV2) ctx.push(contexts.secV2);
  if (types.has('Ed25519VerificationKey2020')) ctx.push('https://w3id.org/security/suites/ed25519-2020/v1');
  if (types.has('X25519KeyAgreementKey2020')) ctx.push('https://w3id.org/security/suites/x25519-2020/v1');
  if (types.has('Multikey')) ctx.push('https://w3id.org/security/multikey/v1');
  const inline = {};
  if (has('publicKeyHex')) inline.publicKeyHex = 'https://w3id.org/security#publicKeyHex';
  if (has('publicKeyJwk')) inline.publicKeyJwk = { '@id': 'https://w3id.org/security#publicKeyJwk', '@type': '@json' };
  if (has('publicKeyBase58') && !secV2) inline.publicKeyBase58 = 'https://w3id.org/security#publicKeyBase58';
  if (has('publicKeyBase64')) inline.publicKeyBase64 = 'https://w3id.org/security#publicKeyBase64';
  if (Object.keys(inline).length) ctx.push(inline);
  return ctx;
}
function mapResult(r) {
  if (!r.didDocument) return r;
  const d = r.didDocument;
  const doc = { id: d.id, verificationMethod: (d.verificationMethod ?? []).map(toCurrentSpec),
    authentication: d.authentication, assertionMethod: d.assertionMethod };
  if (d.service) doc.service = d.service;
  if (d.keyAgreement) doc.keyAgreement = d.keyAgreement;
  doc['@context'] = ldContext(doc);
  return { didDocumentMetadata: r.didDocumentMetadata, didResolutionMetadata: r.didResolutionMetadata, didDocument: doc };
}

function makeResolver({ rpc, registry, chainId }, counter) {
  const provider = new ethers.JsonRpcProvider(rpc, Number(chainId), { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  if (counter) {
    const send = provider._send.bind(provider);
    provider._send = async payload => { counter.n += Array.isArray(payload) ? 1 : 1; return send(payload); };
  }
  const networks = [
    { name: 'anvil', provider, registry, chainId: Number(chainId) },
    { name: '0x' + Number(chainId).toString(16), provider, registry, chainId: Number(chainId) },
  ];
  return new Resolver(getResolver({ networks }));
}

async function resolveAll(req) {
  const resolver = makeResolver(req);
  const results = {};
  for (const did of req.dids) results[did] = JSON.stringify(mapResult(await resolver.resolve(did)), null, 2);
  return { results };
}

async function bench(req) {
  const counter = { n: 0 };
  const resolver = makeResolver(req, counter);
  const ms = [];
  let calls = 0;
  for (let i = 0; i < req.runs; i++) {
    counter.n = 0;
    const t = process.hrtime.bigint();
    const r = await resolver.resolve(req.did);
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (!r.didDocument) throw new Error(JSON.stringify(r.didResolutionMetadata));
    calls = counter.n;
  }
  return { rpcCalls: calls, ms };
}

async function signTyped({ key, chainId, registry, erc1056Hash }) {
  const domain = { name: 'EthereumDIDRegistry', version: '1', chainId, verifyingContract: registry };
  const types = { ERC1056Write: [{ name: 'erc1056Hash', type: 'bytes32' }] };
  return { signature: await new ethers.Wallet(key).signTypedData(domain, types, { erc1056Hash }) };
}

const ops = { write, resolve: resolveAll, bench, signTyped };
const out = await ops[input.op](input);
process.stdout.write(JSON.stringify(out));
