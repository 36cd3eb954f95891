{
  description = "tee-attest: NixOS confidential VM image with the attestation worker and its services";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";
    # Rust 1.95 (see rust-toolchain.nix); its own nixpkgs input follows ours.
    rust-overlay = {
      url = "github:oxalica/rust-overlay";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs =
    {
      self,
      nixpkgs,
      rust-overlay,
    }:
    let
      system = "x86_64-linux";
      pkgs = import nixpkgs {
        inherit system;
        overlays = [ rust-overlay.overlays.default ];
      };
      projectPackages = import ./packages.nix { inherit pkgs; };
    in
    {
      packages.${system} = projectPackages // {
        default = projectPackages.tee-worker;
        # The disk image (ESP with the UKI, squashfs store, verity hash tree) and the UKI
        # alone (for measured direct boot on SEV-SNP and for computing measurements).
        measured-image = self.nixosConfigurations.vm.config.system.build.finalImage;
        uki = self.nixosConfigurations.vm.config.system.build.uki;
        # release.json and the files it was computed from (see release.nix).
        release = import ./release.nix {
          inherit pkgs;
          inherit (projectPackages) attest;
          inherit (self.nixosConfigurations.vm.config.system.build) uki toplevel;
        };
      };

      nixosModules = {
        tee-worker = ./modules/tee-worker.nix;
        echo-rust = ./modules/echo-rust.nix;
        echo-cpp = ./modules/echo-cpp.nix;
        # The collateral keeper runs on any host (no TEE), not in the worker image.
        collateral-watch = ./modules/collateral-watch.nix;
        default = {
          imports = [
            ./modules/tee-worker.nix
            ./modules/echo-rust.nix
            ./modules/echo-cpp.nix
          ];
        };
      };

      # The confidential VM (measured image) and, for non-confidential VMs only, the LUKS +
      # TPM variant.
      nixosConfigurations.vm = nixpkgs.lib.nixosSystem {
        inherit system;
        specialArgs = { inherit projectPackages; };
        modules = [ ./vm.nix ];
      };
      nixosConfigurations.vm-luks = nixpkgs.lib.nixosSystem {
        inherit system;
        specialArgs = { inherit projectPackages; };
        modules = [ ./vm-luks.nix ];
      };

      devShells.${system}.default = pkgs.mkShell {
        packages = [
          (import ./rust-toolchain.nix { inherit pkgs; })
          pkgs.protobuf
          pkgs.cmake
          pkgs.nodejs_20
          pkgs.swtpm
          pkgs.tpm2-tools
          pkgs.cryptsetup
          pkgs.qemu
          pkgs.OVMF
          pkgs.pkg-config
          pkgs.tpm2-tss
        ];
      };

      checks.${system} = {
        inherit (projectPackages) tee-worker tee-echo echo-cpp;
        vm = self.nixosConfigurations.vm.config.system.build.toplevel;
        pure-eval = pkgs.runCommand "nixos-pure-eval" { } ''
          ${pkgs.nix}/bin/nix-instantiate --eval --strict ${./tests/eval.nix} > $out
        '';
      };
    };
}
