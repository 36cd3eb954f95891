#!/usr/bin/env bash
# Starts the development chain on loopback with one mock worker: JSON-RPC on
# ws://127.0.0.1:9944, a block every 3 seconds, Alice/Bob/... funded, Alice sudo, and
# `tee-worker --tee mock` registering and re-attesting (about every 20 s), measuring the
# signing echo service `tee-echo` (TCP 127.0.0.1:7000) into its service tree and serving its
# HTTP API on 127.0.0.1:8080. State is temporary (fresh chain every run). Runs the machine
# set-up first if needed and builds the workspace. Ctrl-C stops everything. NO_WORKER=1 starts
# the chain alone. RPC_PORT, API_PORT and ECHO_PORT override the ports. COLLATERAL=watch also
# runs the collateral keeper (`attest collateral watch`, metrics on 127.0.0.1:9616) against a
# local fake Intel PCS / AMD KDS (`fake-pcs` on 127.0.0.1:8082) that re-issues dev collateral
# every 60 s, valid 300 s: the worker then stays attested only because the keeper uploads it.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -eq 0 ]; then bash scripts/setup.sh; else sudo bash scripts/setup.sh; fi
# Same build as scripts/test.sh (shares its artifacts): node binary, runtime, tools.
cargo test --release --workspace --locked --no-run

target_dir="$(cargo metadata --format-version 1 --no-deps --locked |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
node="$target_dir/release/attestation-node"
rpc_port="${RPC_PORT:-9944}"

api_port="${API_PORT:-8080}"
echo_port="${ECHO_PORT:-7000}"
worker="$target_dir/release/tee-worker"
echo_bin="$target_dir/release/tee-echo"
worker_dir="${WORKER_DATA_DIR:-$(mktemp -d /tmp/tee-worker-dev.XXXXXX)}"

cat >&2 <<MSG

  Dev chain starting: JSON-RPC ws://127.0.0.1:$rpc_port
  Inspect it in polkadot.js apps: https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A$rpc_port
  Mock worker (INSECURE dev evidence): config and keys in $worker_dir,
    API http://127.0.0.1:$api_port/health (also /attestation?nonce=<64 hex>, /services, /metrics)
  Signing echo service: nc 127.0.0.1 $echo_port
  Stop with Ctrl-C.

MSG
"$node" --dev --tmp --rpc-port "$rpc_port" --listen-addr /ip4/127.0.0.1/tcp/30333 \
  --no-telemetry --prometheus-port 9615 &
pids=($!)
trap 'kill "${pids[@]}" 2>/dev/null || true; wait' EXIT INT TERM

if [ -z "${NO_WORKER:-}" ]; then
  for _ in $(seq 1 120); do
    (exec 3<>"/dev/tcp/127.0.0.1/$rpc_port") 2>/dev/null && break
    sleep 1
  done
  # The echo service's key, and the worker configuration that measures it. On the dev machine
  # the binary's path stands in for the Nix store path the NixOS image would give.
  "$echo_bin" --key "$worker_dir/echo.key" --print-pubkey >"$worker_dir/echo.pub"
  "$echo_bin" --key "$worker_dir/echo.key" --listen "127.0.0.1:$echo_port" &
  pids+=($!)
  cat >"$worker_dir/worker.toml" <<TOML
node = "ws://127.0.0.1:$rpc_port"
tee = "mock"
dev-funder = "alice"
data-dir = "$worker_dir/data"
api = "127.0.0.1:$api_port"

[[service]]
name = "echo"
derivation = "$(readlink -f "$echo_bin")"
public-key-file = "$worker_dir/echo.pub"
TOML
  "$worker" --config "$worker_dir/worker.toml" &
  pids+=($!)

  # Wait until the worker is registered (its API reports "Active"), then say what to try.
  health() {
    { exec 3<>"/dev/tcp/127.0.0.1/$api_port" &&
      printf 'GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3 &&
      cat <&3 && exec 3>&-; } 2>/dev/null
  }
  for _ in $(seq 1 120); do
    if health | grep -q '"state":"Active"'; then
      account="$(health | sed -n 's/.*"account":"\([0-9a-f]*\)".*/\1/p')"
      cat >&2 <<MSG

  Worker registered (account 0x$account). Try:
    $target_dir/release/attest workers
    $target_dir/release/attest worker 0x$account
    curl -s http://127.0.0.1:$api_port/services
    echo hello | nc -q1 127.0.0.1 $echo_port
  Prove a signed echo response and have the chain check it (once: scripts/dev-srs and
  npm ci --prefix circuits):
    $target_dir/release/attest prove --worker 0x$account --message hello \\
      --api http://127.0.0.1:$api_port --echo 127.0.0.1:$echo_port --out /tmp/proof
    $target_dir/release/attest verify-proof --vk /tmp/proof/vk --proof /tmp/proof/proof \\
      --public-inputs /tmp/proof/public_inputs --flavour zk --srs dev \\
      --worker 0x$account --submit --dev-key bob

MSG
      break
    fi
    sleep 1
  done
fi
if [ "${COLLATERAL:-}" = "watch" ]; then
  # fake-pcs has no tests of its own, so the test build above does not make its binary.
  cargo build --release --locked -p fake-pcs
  for _ in $(seq 1 120); do
    (exec 3<>"/dev/tcp/127.0.0.1/$rpc_port") 2>/dev/null && break
    sleep 1
  done
  "$target_dir/release/fake-pcs" --listen 127.0.0.1:8082 --validity 300 --refresh 60 &
  pids+=($!)
  "$target_dir/release/attest" --node "ws://127.0.0.1:$rpc_port" collateral watch \
    --pcs http://127.0.0.1:8082 --kds http://127.0.0.1:8082 --margin 120 --interval 10 \
    --dev-key bob --metrics 127.0.0.1:9616 >"$worker_dir/collateral-watch.log" 2>&1 &
  pids+=($!)
  echo "  Collateral keeper: log $worker_dir/collateral-watch.log, metrics http://127.0.0.1:9616/metrics" >&2
fi
# Stop everything when any process ends.
wait -n "${pids[@]}"
