# The Rust toolchain for the project's packages and the dev shell, from rust-overlay:
# nixos-24.11's own Rust is older than the workspace needs (rust-toolchain.toml pins 1.95;
# subxt 0.51 alone needs 1.88). The runtime's wasm target and rust-src come with it, so
# attestation-node's substrate-wasm-builder needs nothing else.
{ pkgs }:
pkgs.rust-bin.stable."1.95.0".minimal.override {
  targets = [ "wasm32v1-none" ];
  extensions = [ "rust-src" ];
}
