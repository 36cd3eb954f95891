// Regenerates primitives/service-tree/tests/noir_vectors.json: compiles src/main.nr with
// @noir-lang/noir_wasm, executes it with @noir-lang/noir_js on the fixed inputs below and writes
// inputs and outputs. The Rust test primitives/service-tree/tests/noir_vectors.rs checks that
// the crate reproduces every output.
//
//   cd tests/noir-vectors && npm ci && node generate.mjs
//
// Deterministic: no randomness, no clock; running it twice gives the same file.
import { compile, createFileManager } from '@noir-lang/noir_wasm';
import { Noir } from '@noir-lang/noir_js';
import { createECDH, createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '../../primitives/service-tree/tests/noir_vectors.json');

const sha256 = (data) => createHash('sha256').update(data).digest();
const hex = (bytes) => Buffer.from(bytes).toString('hex');
const field = (v) => '0x' + BigInt(v).toString(16).padStart(64, '0');
// secp256k1 compressed public key of a small fixed private key.
const publicKey = (k) => {
  const ecdh = createECDH('secp256k1');
  ecdh.setPrivateKey(Buffer.from(BigInt(k).toString(16).padStart(64, '0'), 'hex'));
  return ecdh.getPublicKey(null, 'compressed');
};

const P = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const permutationInputs = [
  [0n, 0n, 0n, 0n],
  [0n, 1n, 2n, 3n],
  [P - 1n, 1n << 128n, (1n << 200n) + 12345n, BigInt('0x' + hex(sha256('service-tree')).slice(0, 62))],
];

// Realistic services: keys are SHA-256 of the names.
const named = ['echo', 'echo-cpp', 'tee-worker', 'node-exporter', 'sshd'].map((name, i) => ({
  name,
  derivation: `/nix/store/${hex(sha256(name)).slice(0, 32)}-${name}-0.1.0`,
  public_key: hex(publicKey(i + 1)),
}));
const namedProbe = 'not-a-service';

// Synthetic keys with chosen slots: neighbours at the leaf level (0 and 1), an odd slot with an
// empty left neighbour (3), and both halves of the tree (2^63, 2^64 - 1). The probe shares slot
// 1 with entry 1 but is another key, so its non-membership proof has an occupant.
const slots = [0n, 1n, 3n, 1n << 63n, (1n << 64n) - 1n];
const syntheticKey = (slot, tag) => {
  const key = Buffer.alloc(32);
  key.writeBigUInt64BE(slot, 0);
  sha256(tag).copy(key, 8, 0, 24);
  return key;
};
const synthetic = slots.map((slot, i) => ({
  key: hex(syntheticKey(slot, `synthetic-${i}`)),
  derivation_hash: hex(sha256(`synthetic-derivation-${i}`)),
  public_key: hex(publicKey(i + 6)),
}));
const syntheticProbe = hex(syntheticKey(1n, 'synthetic-probe'));
const syntheticProbeOccupant = 1;

const bytes = (h) => Array.from(Buffer.from(h, 'hex'));
const inputs = {
  permutation_inputs: permutationInputs.map((s) => s.map(field)),
  named_keys: named.map((s) => Array.from(sha256(s.name))),
  named_derivation_hashes: named.map((s) => Array.from(sha256(s.derivation))),
  named_public_keys: named.map((s) => bytes(s.public_key)),
  named_probe: Array.from(sha256(namedProbe)),
  synthetic_keys: synthetic.map((s) => bytes(s.key)),
  synthetic_derivation_hashes: synthetic.map((s) => bytes(s.derivation_hash)),
  synthetic_public_keys: synthetic.map((s) => bytes(s.public_key)),
  synthetic_probe: bytes(syntheticProbe),
  synthetic_probe_occupant: syntheticProbeOccupant,
};

const { program } = await compile(createFileManager(here));
const noir = new Noir(program);
const { returnValue } = await noir.execute(inputs);

// noir_js gives fields as 0x-hex strings of varying length; normalise to 64 digits.
const norm = (v) => (Array.isArray(v) ? v.map(norm) : typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x)])) : field(v));
const pkg = (name) => JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'))).version;

const vectors = {
  generated_by: 'tests/noir-vectors/generate.mjs (cd tests/noir-vectors && npm ci && node generate.mjs)',
  noir_wasm: pkg('@noir-lang/noir_wasm'),
  noir_js: pkg('@noir-lang/noir_js'),
  inputs: {
    permutations: permutationInputs.map((s) => s.map(field)),
    named: { services: named, probe_name: namedProbe },
    synthetic: { leaves: synthetic, probe_key: syntheticProbe, probe_occupant: syntheticProbeOccupant },
  },
  outputs: norm(returnValue),
};
writeFileSync(out, JSON.stringify(vectors, null, 2) + '\n');
console.log(`wrote ${out}`);
