#!/usr/bin/env bash
# Starts the development chain on loopback: JSON-RPC on ws://127.0.0.1:9944, a block every
# 3 seconds, Alice/Bob/... funded, Alice sudo. State is temporary (fresh chain every run).
# Runs the machine set-up first if needed and builds the workspace. Ctrl-C stops the node.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -eq 0 ]; then bash scripts/setup.sh; else sudo bash scripts/setup.sh; fi
# Same build as scripts/test.sh (shares its artifacts): node binary, runtime, tools.
cargo test --release --workspace --locked --no-run

target_dir="$(cargo metadata --format-version 1 --no-deps --locked |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
node="$target_dir/release/attestation-node"
rpc_port="${RPC_PORT:-9944}"

cat >&2 <<MSG

  Dev chain starting: JSON-RPC ws://127.0.0.1:$rpc_port
  Inspect it in polkadot.js apps: https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A$rpc_port
  Stop it with Ctrl-C.

MSG
exec "$node" --dev --tmp --rpc-port "$rpc_port" --listen-addr /ip4/127.0.0.1/tcp/30333 \
  --no-telemetry --prometheus-port 9615
