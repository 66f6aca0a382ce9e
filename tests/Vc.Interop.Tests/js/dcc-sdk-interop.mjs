// Interop check with the npm verifier @pathcheck/dcc-sdk.
// verify MODE: argv = verify TOOLS_JS HC1 KID CERT_BASE64 → prints the SDK status.
// sign MODE:   argv = sign TOOLS_JS CERT_PEM_FILE KEY_P8_FILE PAYLOAD_JSON_FILE → prints an HC1 string.
import path from 'node:path';
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
const [mode, toolsJs, ...rest] = process.argv.slice(2);
const log = console.log;
console.log = () => {};
console.warn = () => {};
const dcc = await import(pathToFileURL(path.join(toolsJs, 'node_modules', '@pathcheck', 'dcc-sdk', 'lib', 'main.js')).href);
if (mode === 'verify') {
  const [hc1, kid, cert] = rest;
  dcc.addCachedCerts({ [kid]: cert });
  const result = await dcc.unpackAndVerify(hc1);
  log(result.status);
} else {
  const [certFile, keyFile, payloadFile] = rest;
  const payload = JSON.parse(fs.readFileSync(payloadFile, 'utf8'));
  const hc1 = await dcc.signAndPack(await dcc.makeCWT(payload, 12, 'XA'), fs.readFileSync(certFile, 'utf8'), fs.readFileSync(keyFile, 'utf8'));
  log(hc1);
}
