#!/usr/bin/env bash
# Regenerates pallets/attestation/src/weights/substrate.rs from the pallet's benchmarks, run in
# the compiled wasm runtime on real TDX and SNP evidence (see docs/benchmarks.md).
#
# 1. The node with the `benchmark` command (feature `runtime-benchmarks`), built without any
#    embedded wasm: frame-benchmarking-cli's own test runtime cannot be built by the wasm
#    builder inside this workspace (it looks the crate up in our workspace's metadata), and the
#    command gets our runtime from a file instead.
# 2. Our runtime's wasm with the benchmarks compiled in, into target/bench-wasm/.
# 3. `benchmark pallet` on that wasm, genesis from its `development` preset.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -eq 0 ]; then bash scripts/setup.sh; else sudo bash scripts/setup.sh; fi
target="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"

SKIP_WASM_BUILD=1 cargo build --release --locked -p attestation-node --features runtime-benchmarks
cp "$target/release/attestation-node" "$target/release/attestation-node-bench"

WASM_TARGET_DIRECTORY="$target/bench-wasm" \
  cargo build --release --locked -p attestation-runtime --features runtime-benchmarks
wasm="$target/bench-wasm/attestation_runtime.wasm"

"$target/release/attestation-node-bench" benchmark pallet \
  --runtime "$wasm" --genesis-builder runtime --genesis-builder-preset development \
  --pallet pallet_attestation --extrinsic '*' \
  --steps "${STEPS:-20}" --repeat "${REPEAT:-20}" --wasm-execution compiled \
  --template scripts/weights-template.hbs \
  --output pallets/attestation/src/weights/substrate.rs
echo "bench: wrote pallets/attestation/src/weights/substrate.rs" >&2
