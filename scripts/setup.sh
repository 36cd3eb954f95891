#!/usr/bin/env bash
# One-time machine set-up for building and testing this project (Debian 12, as root).
#
# Idempotent: a second run checks each step and does nothing when it is already done.
#   1. Debian packages: Debian's current Rust (rustc-web, 1.96 from bookworm-security) which can
#      build the runtime for wasm32v1-none, its std sources and rust-lld (wasm linker), protoc (libp2p build),
#      cmake and g++ (echo-cpp), nix-bin (parsing/evaluating nixos/), Node.js and npm when
#      absent (tests/polkadotjs), QEMU, OVMF, swtpm, cryptsetup, busybox and libtss2 (the
#      LUKS2 + TPM2 boot test and the worker's TPM sealing).
#   4. Nix formatting and lint tools from crates.io (nixfmt_rs, deadnix) in /opt/tee-attest-tools.
#   5. sev-snp-measure 0.0.13 from PyPI in a virtual environment there (tests only).
#   2. A rustup toolchain named `debian-web` that points at that Rust, used by
#      substrate-wasm-builder (selected in .cargo/config.toml) for the runtime's wasm build.
#   3. The wasm32v1-none core/alloc sysroot, built once from rust-web-src, rebuilt when the
#      Debian rustc version changes.
set -euo pipefail

log() { printf 'setup: %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  log "must run as root (installs Debian packages and writes /usr/lib/rustlib)"
  exit 1
fi

# ---- 1. Debian packages -------------------------------------------------------------------
PACKAGES=(rustc-web cargo-web rust-web-src rust-web-llvm lld-22 protobuf-compiler cmake g++ nix-bin)
# The LUKS2 + TPM2 boot test (nixos/boot-test) and the worker's TPM key sealing (tss-esapi
# links libtss2; its tests run against swtpm).
PACKAGES+=(qemu-system-x86 ovmf swtpm swtpm-tools cryptsetup-bin tpm2-tools busybox-static kmod
  cpio e2fsprogs libtss2-dev libtss2-tcti-swtpm0 pkg-config)
# The measured-image boot test (nixos/boot-test/verity.sh): a squashfs store under dm-verity
# (veritysetup is in cryptsetup-bin) and a unified kernel image built on systemd's EFI stub.
PACKAGES+=(squashfs-tools systemd-boot-efi binutils)
# sev-snp-measure's virtual environment (Debian's python3 needs the venv module); jq for
# nixos/release.sh (the release.json of `nix build ./nixos#release`, checked by nixos/check.sh).
PACKAGES+=(python3-venv jq)
# Node.js and npm for the polkadot.js inspection script (tests/polkadotjs): Debian's, unless
# a Node.js is already installed (this machine kind ships NodeSource's node 20 with npm).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  PACKAGES+=(nodejs npm)
fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ---- 2. rustup toolchain link ---------------------------------------------------------------
TC_DIR=/opt/debian-web-toolchain
if [ ! -x "$TC_DIR/bin/cargo" ] || [ ! -e "$TC_DIR/lib" ]; then
  log "linking Debian's Rust as rustup toolchain debian-web"
  mkdir -p "$TC_DIR/bin"
  for b in rustc cargo rustdoc; do ln -sfn "/usr/bin/$b" "$TC_DIR/bin/$b"; done
  ln -sfn /usr/lib "$TC_DIR/lib"
fi
if command -v rustup >/dev/null 2>&1 && ! rustup toolchain list | grep -q '^debian-web'; then
  rustup toolchain link debian-web "$TC_DIR"
fi

# ---- 3. wasm32v1-none sysroot -------------------------------------------------------------
SYSROOT=/usr/lib/rustlib/wasm32v1-none/lib
STAMP="$SYSROOT/.built-for"
want="$(/usr/bin/rustc --version)"
if [ "$(cat "$STAMP" 2>/dev/null || true)" != "$want" ]; then
  log "building the wasm32v1-none core/alloc sysroot for $want (about a minute)"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/src"
  cat >"$work/Cargo.toml" <<'TOML'
[package]
name = "sysroot-builder"
version = "0.0.0"
edition = "2021"

[lib]
path = "src/lib.rs"

[profile.release]
opt-level = 3
codegen-units = 1
lto = "off"
panic = "abort"
TOML
  printf '#![no_std]\nextern crate alloc;\n' >"$work/src/lib.rs"
  (
    cd "$work"
    env -u RUSTUP_TOOLCHAIN RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Cembed-bitcode=yes" \
      CARGO_TARGET_DIR="$work/target" \
      /usr/bin/cargo build --quiet --release -Zbuild-std=core,alloc --target wasm32v1-none
  )
  rm -rf "$SYSROOT"
  mkdir -p "$SYSROOT"
  cp "$work"/target/wasm32v1-none/release/deps/lib{core,alloc,compiler_builtins}-*.rlib "$SYSROOT/"
  echo "$want" >"$STAMP"
fi

log "ready: $(/usr/bin/rustc --version) with wasm32v1-none; $(rustc --version 2>/dev/null || true)"

# ---- 4. Nix tools (nixos/check.sh) ------------------------------------------------------------
TOOLS=/opt/tee-attest-tools
install_tool() { # crate version binary
  local stamp="$TOOLS/.installed-$1-$2"
  if [ ! -x "$TOOLS/bin/$3" ] || [ ! -f "$stamp" ]; then
    log "installing $1 $2 into $TOOLS (cargo install, about a minute)"
    cargo +1.95.0 install --quiet --locked --force --root "$TOOLS" "$1@$2" >&2
    touch "$stamp"
  fi
}
install_tool nixfmt_rs 0.5.3 nixfmt
install_tool deadnix 1.3.1 deadnix

# ---- 5. sev-snp-measure (tests only) ----------------------------------------------------------
# The independent Python implementation `attest measure snp` is compared with, byte for byte
# (cli/tests/measure.rs), in its own virtual environment.
SSM="$TOOLS/sev-snp-measure"
if [ ! -x "$SSM/bin/sev-snp-measure" ] || [ ! -f "$SSM/.installed-0.0.13" ]; then
  log "installing sev-snp-measure 0.0.13 into $SSM (pip)"
  rm -rf "$SSM"
  python3 -m venv "$SSM"
  "$SSM/bin/pip" install --quiet --disable-pip-version-check sev-snp-measure==0.0.13 >&2
  touch "$SSM/.installed-0.0.13"
fi
