// Reproducible contract build: solc-js standard JSON with pinned compiler and settings.
// Usage: node tools/ledger/compile.mjs [--out DIR]   (default DIR: contracts/build)
// Writes one <ContractName>.json per contract: ABI, creation and runtime bytecode, compiler and settings.
import { createRequire } from 'node:module';
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const solc = require('solc');
const here = dirname(fileURLToPath(import.meta.url));
const contractsDir = resolve(here, '..', '..', 'contracts');
const outArg = process.argv.indexOf('--out');
const outDir = outArg > 0 ? resolve(process.argv[outArg + 1]) : join(contractsDir, 'build');

// Pinned settings: changing any of these changes the bytecode, and the reproducibility test notices.
const settings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
};

const sources = {};
for (const f of readdirSync(contractsDir).filter(f => f.endsWith('.sol')).sort())
  sources[f] = { content: readFileSync(join(contractsDir, f), 'utf8') };

const output = JSON.parse(solc.compile(JSON.stringify({ language: 'Solidity', sources, settings })));
const errors = (output.errors || []).filter(e => e.severity === 'error');
for (const e of output.errors || []) process.stderr.write(e.formattedMessage + '\n');
if (errors.length) process.exit(1);

mkdirSync(outDir, { recursive: true });
for (const [file, contracts] of Object.entries(output.contracts)) {
  for (const [name, c] of Object.entries(contracts)) {
    const artifact = {
      contractName: name,
      sourceName: file,
      sourceSha256: createHash('sha256').update(sources[file].content).digest('hex'),
      compiler: solc.version(),
      settings: { optimizer: settings.optimizer, evmVersion: settings.evmVersion },
      abi: c.abi,
      bytecode: '0x' + c.evm.bytecode.object,
      deployedBytecode: '0x' + c.evm.deployedBytecode.object,
    };
    writeFileSync(join(outDir, name + '.json'), JSON.stringify(artifact, null, 2) + '\n');
    process.stdout.write(`${name}: ${c.evm.deployedBytecode.object.length / 2} bytes runtime\n`);
  }
}
