{
  description = "tee-attest: NixOS confidential VM image with the attestation worker and its services";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs =
    { self, nixpkgs }:
    let
      system = "x86_64-linux";
      pkgs = nixpkgs.legacyPackages.${system};
      projectPackages = import ./packages.nix { inherit pkgs; };
    in
    {
      packages.${system} = projectPackages // {
        default = projectPackages.tee-worker;
      };

      nixosModules = {
        tee-worker = ./modules/tee-worker.nix;
        echo-rust = ./modules/echo-rust.nix;
        echo-cpp = ./modules/echo-cpp.nix;
        default = {
          imports = [
            ./modules/tee-worker.nix
            ./modules/echo-rust.nix
            ./modules/echo-cpp.nix
          ];
        };
      };

      nixosConfigurations.vm = nixpkgs.lib.nixosSystem {
        inherit system;
        specialArgs = { inherit projectPackages; };
        modules = [ ./vm.nix ];
      };

      devShells.${system}.default = pkgs.mkShell {
        packages = [
          pkgs.cargo
          pkgs.rustc
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
