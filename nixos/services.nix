# What both VMs run: the two echo services and the worker measuring the Rust one, reachable
# from the host (QEMU user networking forwards 7000 and 8080). Each VM sets `tpm.mode`.
{
  config,
  lib,
  projectPackages,
  ...
}:
{
  imports = [
    ./modules/tee-worker.nix
    ./modules/echo-rust.nix
    ./modules/echo-cpp.nix
  ];

  system.stateVersion = "24.11";
  networking.hostName = "tee-vm";
  networking.firewall.allowedTCPPorts = [
    7000
    7001
    8080
  ];

  services.echo-rust = {
    enable = true;
    package = projectPackages.tee-echo;
  };
  services.echo-cpp = {
    enable = true;
    package = projectPackages.echo-cpp;
  };
  services.tee-worker = {
    enable = true;
    package = projectPackages.tee-worker;
    node = lib.mkDefault "ws://10.0.2.2:9944";
    tee = "auto";
    # Reachable from outside the VM for `attest worker --live` (no secrets are served).
    apiAddress = "0.0.0.0:8080";
    measuredServices = [
      {
        name = "echo";
        derivation = projectPackages.tee-echo;
        inherit (config.services.echo-rust) publicKeyFile;
        unit = "echo-rust.service";
      }
    ];
  };

  services.openssh.enable = false;
  users.mutableUsers = false;
}
