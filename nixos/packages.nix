# The project's packages, built from the workspace with its Cargo.lock.
{ pkgs }:
let
  src = pkgs.lib.cleanSource ./..;
  rustToolchain = import ./rust-toolchain.nix { inherit pkgs; };
  rustPlatform = pkgs.makeRustPlatform {
    cargo = rustToolchain;
    rustc = rustToolchain;
  };
  rustPackage =
    {
      pname,
      cargoPackage,
      extra ? { },
    }:
    rustPlatform.buildRustPackage (
      {
        inherit pname src;
        version = "0.1.0";
        cargoLock.lockFile = ../Cargo.lock;
        cargoBuildFlags = [
          "-p"
          cargoPackage
        ];
        # The workspace's tests need a dev node and hardware; they run in scripts/test.sh.
        doCheck = false;
        nativeBuildInputs = [ pkgs.protobuf ];
        # The runtime's wasm is only needed by attestation-node (see below).
        SKIP_WASM_BUILD = "1";
      }
      // extra
    );
  tpmBuildInputs = {
    nativeBuildInputs = [
      pkgs.protobuf
      pkgs.pkg-config
    ];
    buildInputs = [ pkgs.tpm2-tss ];
  };
in
{
  # Seals its keys with tss-esapi, which links the TSS2 ESAPI C library (found with pkg-config).
  tee-worker = rustPackage {
    pname = "tee-worker";
    cargoPackage = "tee-worker";
    extra = tpmBuildInputs;
  };
  tee-echo = rustPackage {
    pname = "tee-echo";
    cargoPackage = "tee-echo";
  };
  # Shares code with tee-worker, so it builds tss-esapi too.
  attest = rustPackage {
    pname = "attest";
    cargoPackage = "attest";
    extra = tpmBuildInputs;
  };
  # The node embeds the runtime's wasm; substrate-wasm-builder builds it with the same
  # toolchain (it has the wasm32v1-none target). .cargo/config.toml is removed: it selects
  # the `debian-web` rustup toolchain of scripts/setup.sh, which does not exist here.
  attestation-node = rustPackage {
    pname = "attestation-node";
    cargoPackage = "attestation-node";
    extra = {
      SKIP_WASM_BUILD = "";
      postPatch = "rm .cargo/config.toml";
      nativeBuildInputs = [
        pkgs.protobuf
        pkgs.clang
      ];
      LIBCLANG_PATH = "${pkgs.libclang.lib}/lib";
    };
  };
  echo-cpp = pkgs.stdenv.mkDerivation {
    pname = "echo-cpp";
    version = "0.1.0";
    src = ../tee-worker/echo-cpp;
    nativeBuildInputs = [ pkgs.cmake ];
    meta.mainProgram = "echo-cpp";
  };
}
