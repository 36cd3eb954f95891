#!/usr/bin/env bash
# Regenerates chain-specs/{dev,local,production}.json (raw form: the exact genesis
# storage) from the runtime's genesis presets. node/tests/chain_specs.rs fails when they are
# stale. Uses $ATTESTATION_NODE_BIN if set, otherwise builds the node.
set -euo pipefail
cd "$(dirname "$0")/.."
node="${ATTESTATION_NODE_BIN:-}"
if [ -z "$node" ]; then
  cargo test --release --workspace --locked --no-run
  node="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/attestation-node"
fi
for chain in dev local production; do
  "$node" export-chain-spec --chain "$chain" --raw --output "chain-specs/$chain.json"
done
