// Baselines for the HCERT bench: the npm verifier a JS user would pick (@pathcheck/dcc-sdk) and node:crypto's raw
// P-256 verify. Input: a JSON file [{hc1, kid, cert}], seconds per measurement. Output: one JSON line.
// Run: node --experimental-detect-module --import <repo>/tools/js/loaders/register-extensionless.mjs dcc-sdk-bench.mjs CASES SECONDS TOOLS_JS_DIR
import path from 'node:path';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
const [casesFile, secondsArg, toolsJs] = process.argv.slice(2);
const seconds = Number(secondsArg || 3);
const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'));

async function main() {
  const origLog = console.log;
  console.log = () => {}; // the SDK logs on every call
  console.warn = () => {};
  const dcc = await import(pathToFileURL(path.join(toolsJs, 'node_modules', '@pathcheck', 'dcc-sdk', 'lib', 'main.js')).href);
  const certs = {};
  for (const c of cases) certs[c.kid] = c.cert;
  dcc.addCachedCerts(certs);

  let verified = 0;
  for (const c of cases) if ((await dcc.unpackAndVerify(c.hc1)).status === 'verified') verified++;

  const end = Date.now() + seconds * 1000;
  let n = 0;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  while (Date.now() < end) {
    for (const c of cases) { await dcc.unpackAndVerify(c.hc1); n++; }
  }
  const sdkSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu1 = process.cpuUsage(cpu0);
  const sdkCpuSeconds = (cpu1.user + cpu1.system) / 1e6;

  // Raw P-256 ECDSA verify over a message of HCERT size with a prepared key object.
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const msg = crypto.randomBytes(300);
  const sig = crypto.sign('sha256', msg, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const rawEnd = Date.now() + seconds * 1000;
  let m = 0;
  const rawCpu0 = process.cpuUsage();
  const rawStart = process.hrtime.bigint();
  while (Date.now() < rawEnd) {
    for (let i = 0; i < 100; i++) { crypto.verify('sha256', msg, { key: publicKey, dsaEncoding: 'ieee-p1363' }, sig); m++; }
  }
  const rawSeconds = Number(process.hrtime.bigint() - rawStart) / 1e9;
  const rawCpu1 = process.cpuUsage(rawCpu0);
  const rawCpuSeconds = (rawCpu1.user + rawCpu1.system) / 1e6;
  console.log = origLog;
  console.log(JSON.stringify({ cases: cases.length, sdkVerified: verified, sdkPerSecond: n / sdkSeconds, nodeP256PerSecond: m / rawSeconds, sdkPerCpuSecond: n / sdkCpuSeconds, nodeP256PerCpuSecond: m / rawCpuSeconds }));
}
main().catch(e => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
