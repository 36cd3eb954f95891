// Proves a circuit from its committed artifact (circuits/artifacts/<circuit>.json): executes it
// with noir_js on the given inputs and proves with bb.js (UltraHonk, keccak transcript, wasm).
// Usage:
//   node circuits/prove.mjs --inputs F --out DIR [--circuit service_response]
//                           [--flavour zk|plain] [--srs DIR]
//   node circuits/prove.mjs --inputs F --execute-only     (execute only: do the inputs
//                                                          satisfy the circuit?)
// Writes DIR/proof (bb's proof bytes), DIR/public_inputs (32-byte big-endian words, the user
// public inputs only) and DIR/vk (the verification key under the SRS used); prints one JSON
// line with sizes and timings on stdout; progress goes to stderr. --srs (default $CRS_PATH)
// must hold bn254_g1.dat with at least 2^20 + 1 points, bn254_g2.dat and the Grumpkin points
// (scripts/dev-srs for the INSECURE dev SRS; Aztec's for production).
// Exit: 0 proved, 1 the inputs do not satisfy the circuit (the failed assertion is printed),
// 2 bad usage or missing files, 3 the prover itself failed (bb.js, SRS, memory).
import { Noir } from '@noir-lang/noir_js';
import { Barretenberg, BackendType, UltraHonkBackend } from '@aztec/bb.js';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEV_G2, g2Of } from './srs.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const FLAVOURS = { zk: 'evm', plain: 'evm-no-zk' };

function usage(message) {
  console.error(`prove: ${message}`);
  console.error('usage: node circuits/prove.mjs --inputs F --out DIR [--circuit NAME] [--flavour zk|plain] [--srs DIR]');
  process.exit(2);
}

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = process.argv[i + 1];
  if (value === undefined || value.startsWith('--')) usage(`--${name} needs a value`);
  return value;
}

const circuit = option('circuit', 'service_response');
const inputsFile = option('inputs');
const out = option('out');
const flavour = option('flavour', 'zk');
const srs = option('srs', process.env.CRS_PATH);
const executeOnly = process.argv.includes('--execute-only');
if (!inputsFile || (!out && !executeOnly)) usage('--inputs and --out are required');
if (!(flavour in FLAVOURS)) usage(`--flavour must be zk or plain, not ${flavour}`);
if (!srs && !executeOnly) usage('no SRS: pass --srs DIR or set CRS_PATH');
if (!/^[a-z0-9_]+$/.test(circuit)) usage(`bad circuit name ${circuit}`);
const artifactFile = path.join(here, 'artifacts', `${circuit}.json`);
if (!fs.existsSync(artifactFile)) usage(`no artifact ${artifactFile}`);

let srsKind;
if (!executeOnly) {
  try {
    srsKind = g2Of(srs) === DEV_G2 ? 'dev (INSECURE)' : 'not the dev SRS';
  } catch (e) {
    usage(e.message);
  }
}
let inputs;
try {
  inputs = JSON.parse(fs.readFileSync(inputsFile, 'utf8'));
} catch (e) {
  usage(`${inputsFile}: ${e.message}`);
}
const program = JSON.parse(fs.readFileSync(artifactFile, 'utf8'));
const progress = (m) => console.error(`prove: ${m}`);

progress(`executing ${circuit} (noir_js ${program.noir_version.split('+')[0]})`);
let t = Date.now();
let witness;
try {
  ({ witness } = await new Noir(program).execute(inputs));
} catch (e) {
  console.error(`prove: the inputs do not satisfy ${circuit}: ${e.message}`);
  process.exit(1);
}
const executeMs = Date.now() - t;
if (executeOnly) {
  console.log(JSON.stringify({ circuit, satisfied: true, execute_ms: executeMs }));
  process.exit(0);
}

progress(`loading the SRS from ${srs} (${srsKind})`);
// bb.js prints progress lines of its own on stdout; keep stdout for our result.
const log = console.log;
console.log = (...a) => console.error(...a);
let api;
try {
  api = await Barretenberg.new({ backend: BackendType.Wasm, threads: 2, crsPath: srs });
} catch (e) {
  console.error(`prove: bb.js could not start with the SRS in ${srs}: ${e.message}`);
  process.exit(3);
}
try {
  const backend = new UltraHonkBackend(program.bytecode, api);
  progress(`proving (UltraHonk, keccak, ${flavour})`);
  t = Date.now();
  const { proof, publicInputs } = await backend.generateProof(witness, {
    verifierTarget: FLAVOURS[flavour],
  });
  const proveMs = Date.now() - t;
  const vk = await backend.getVerificationKey({ verifierTarget: FLAVOURS[flavour] });
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'proof'), proof);
  fs.writeFileSync(
    path.join(out, 'public_inputs'),
    Buffer.concat(publicInputs.map((h) => Buffer.from(h.replace(/^0x/, '').padStart(64, '0'), 'hex'))),
  );
  fs.writeFileSync(path.join(out, 'vk'), vk);
  log(
    JSON.stringify({
      circuit,
      flavour,
      srs: srsKind,
      proof_bytes: proof.length,
      vk_bytes: vk.length,
      public_inputs: publicInputs,
      execute_ms: executeMs,
      prove_ms: proveMs,
    }),
  );
} catch (e) {
  console.error(`prove: proving failed: ${e.message}`);
  process.exitCode = 3;
} finally {
  await api.destroy();
}
