// Compiles the circuits and computes their verification keys, writing circuits/artifacts/:
//   <circuit>.json     the compiled program (noir_version, hash, abi, bytecode), what
//                      prove.mjs executes and proves; debug symbols and file paths are left out
//                      so the file is the same on every machine
//   <circuit>.dev.vk   the UltraHonk verification key under the INSECURE dev SRS (identical
//                      for the ZK and the plain flavour)
// Usage: node build.mjs [--check] [--srs DIR]
//   --check  compute everything and compare with the committed files; exit 1 naming each
//            stale file (the test suite runs this)
//   --srs    the dev SRS directory (default $CRS_PATH, which scripts/dev-srs prints)
import { compile_program, createFileManager } from '@noir-lang/noir_wasm';
import { Barretenberg, BackendType, UltraHonkBackend } from '@aztec/bb.js';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkDevSrs } from './srs.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const CIRCUITS = ['service_response'];

const args = process.argv.slice(2);
const check = args.includes('--check');
const srsIndex = args.indexOf('--srs');
const srs = srsIndex >= 0 ? args[srsIndex + 1] : process.env.CRS_PATH;
if (!srs) {
  console.error('build: no SRS: pass --srs DIR or set CRS_PATH (scripts/dev-srs makes one)');
  process.exit(2);
}
checkDevSrs(srs);

// noir_wasm logs every file it reads; keep stdout for results.
const log = console.log;
console.log = () => {};
const api = await Barretenberg.new({ backend: BackendType.Wasm, threads: 2, crsPath: srs });
const stale = [];
const outDir = path.join(here, 'artifacts');
fs.mkdirSync(outDir, { recursive: true });
try {
  for (const name of CIRCUITS) {
    const { program } = await compile_program(createFileManager(path.join(here, name)));
    const artifact = {
      noir_version: program.noir_version,
      hash: String(program.hash),
      abi: program.abi,
      bytecode: program.bytecode,
    };
    const backend = new UltraHonkBackend(program.bytecode, api);
    const vk = Buffer.from(await backend.getVerificationKey({ verifierTarget: 'evm' }));
    const plainVk = Buffer.from(await backend.getVerificationKey({ verifierTarget: 'evm-no-zk' }));
    if (!vk.equals(plainVk)) {
      throw new Error(`${name}: the ZK and plain verification keys differ; one .vk per flavour is needed`);
    }
    const outputs = [
      [`${name}.json`, Buffer.from(JSON.stringify(artifact, null, 1) + '\n')],
      [`${name}.dev.vk`, vk],
    ];
    for (const [file, bytes] of outputs) {
      const target = path.join(outDir, file);
      if (check) {
        const committed = fs.existsSync(target) ? fs.readFileSync(target) : null;
        if (!committed || !committed.equals(bytes)) stale.push(`circuits/artifacts/${file}`);
      } else {
        fs.writeFileSync(target, bytes);
        log(`build: wrote circuits/artifacts/${file} (${bytes.length} bytes)`);
      }
    }
  }
} finally {
  await api.destroy();
}
if (stale.length > 0) {
  console.error(`build: stale (run 'node circuits/build.mjs' and commit): ${stale.join(', ')}`);
  process.exit(1);
}
if (check) log('build: circuits/artifacts are up to date');
