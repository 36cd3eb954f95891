#!/usr/bin/env bash
# Runs the whole test suite on a fresh or warm machine (Debian 12):
#   set-up (idempotent, seconds when already done), formatting, one release build of the
#   whole workspace (node binary included), every test, the C++ echo service's build and
#   tests, the no_std crates' wasm32v1-none build and clippy on the no_std crates.
# The build directory is $CARGO_TARGET_DIR if set (CI uses a persistent one), else ./target.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }

step "set-up"
if [ "$(id -u)" -eq 0 ]; then bash scripts/setup.sh; else sudo bash scripts/setup.sh; fi

# no_std crates: built for the runtime's target and linted strictly.
NO_STD_CRATES=()
for c in tee-verifier service-tree zk-verifier; do
  [ -f "primitives/$c/Cargo.toml" ] && NO_STD_CRATES+=("$c")
done

step "formatting"
cargo fmt --all --check

# One build for everything: `cargo test --no-run` builds the node binary and every test with
# the feature set the test run uses (a plain `cargo build` resolves features without the
# dev-dependencies and would compile much of the tree a second time).
step "build (release, whole workspace, with tests)"
cargo test --release --workspace --locked --no-run

step "polkadot.js inspection script: npm ci (versions pinned in its package-lock.json)"
npm ci --prefix tests/polkadotjs --no-audit --no-fund --loglevel=error

step "circuits: npm ci, the INSECURE dev SRS, compiled circuits and verification keys up to date"
npm ci --prefix circuits --no-audit --no-fund --loglevel=error
srs="$(bash scripts/dev-srs)"
"$(cargo metadata --format-version 1 --no-deps --locked |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')/release/dev-srs" \
  check "$srs" dev
node circuits/build.mjs --check --srs "$srs"

step "tests"
cargo test --release --workspace --locked

# A fresh temporary build directory each run (the build takes seconds; a CMake cache would be
# tied to one checkout's path).
step "echo-cpp (C++ echo service): build and tests"
bash tee-worker/echo-cpp/run-tests.sh

if [ "${#NO_STD_CRATES[@]}" -gt 0 ]; then
  pkgs=()
  for c in "${NO_STD_CRATES[@]}"; do pkgs+=(-p "$c"); done
  step "no_std crates build for wasm32v1-none: ${NO_STD_CRATES[*]}"
  cargo +debian-web build --release --locked --no-default-features --target wasm32v1-none "${pkgs[@]}"
  # bn254-host is no_std too, but its wasm side only exists under the runtime's
  # `substrate_runtime` cfg: the runtime's wasm build (part of the build above) compiles it.
  step "clippy: ${NO_STD_CRATES[*]} bn254-host"
  cargo clippy --release --locked --all-targets "${pkgs[@]}" -p bn254-host -- -D warnings
fi

step "clippy: tee-worker tee-echo attest collateral-fetch fake-pcs dev-srs (std; --no-deps: the FRAME pallet macros trip our lints)"
cargo clippy --release --locked --all-targets --no-deps -p tee-worker -p tee-echo -p attest -p collateral-fetch -p fake-pcs -p dev-srs -- -D warnings

step "nixos/: parse, format, deadnix, pure evaluation, generated worker config, boot step, run-vm.sh --tee"
bash nixos/check.sh "$(cargo metadata --format-version 1 --no-deps --locked |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"

step "nixos/boot-test: LUKS2 + TPM2 enrol, unlock, refusal after PCR changes, recovery (QEMU TCG, OVMF, swtpm)"
bash nixos/boot-test/run.sh

step "nixos/boot-test: measured image: UKI, dm-verity store (good, one flipped byte, another root hash) (QEMU TCG, OVMF, swtpm)"
bash nixos/boot-test/verity.sh

step "all tests passed"
