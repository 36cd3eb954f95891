# The confidential VM: minimal NixOS with the worker and the echo services, root on LUKS2
# unlocked in the initrd by a TPM2-sealed key (systemd-cryptenroll), recovery key fallback.
#
# PCRs: 4 (the EFI binaries the firmware loaded: systemd-boot and the kernel's EFI stub
# image), 7 (Secure Boot state and keys) and 9 (the kernel's EFI stub measures the initrd and
# the kernel command line there). A changed kernel, initrd, command line or Secure Boot state
# changes them and the TPM refuses to unseal; the recovery key still opens the disk (then
# re-enrol). nixos/boot-test/run.sh checks exactly this under QEMU + OVMF + swtpm with a
# Debian kernel: a changed initrd and one more command-line argument each change PCR 9 and
# are refused. (systemd-boot itself is in PCR 4; its boot entries are not measured, but what
# they hand the kernel is.)
{
  config,
  pkgs,
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

  # Boot: systemd-boot with a unified kernel image, systemd in the initrd (needed for the
  # TPM2 token of systemd-cryptenroll).
  boot.loader.systemd-boot.enable = true;
  boot.loader.efi.canTouchEfiVariables = false;
  boot.initrd.systemd.enable = true;
  boot.initrd.availableKernelModules = [
    "virtio_pci"
    "virtio_blk"
    "tpm_crb"
    "tpm_tis"
  ];
  boot.initrd.luks.devices.cryptroot = {
    device = "/dev/disk/by-partlabel/cryptroot";
    crypttabExtraOpts = [
      "tpm2-device=auto"
      "tpm2-pcrs=4+7+9"
    ];
  };
  fileSystems."/" = {
    device = "/dev/mapper/cryptroot";
    fsType = "ext4";
  };
  fileSystems."/boot" = {
    device = "/dev/disk/by-partlabel/ESP";
    fsType = "vfat";
  };

  security.tpm2.enable = true;
  security.tpm2.tctiEnvironment.enable = true;
  environment.systemPackages = [
    pkgs.tpm2-tools
    pkgs.cryptsetup
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
    # The VM has a TPM (swtpm under run-vm.sh, the vTPM in a confidential VM): keys are
    # always sealed, to the PCRs the disk is bound to.
    tpm.mode = "required";
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
