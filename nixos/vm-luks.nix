# A NON-confidential VM (plain KVM, no TDX/SNP): the worker and the echo services on a
# writable root on LUKS2 unlocked in the initrd by a TPM2-sealed key (systemd-cryptenroll),
# recovery key fallback, keys sealed to the TPM. For confidential VMs use vm.nix (the
# measured image): here nothing stops whoever holds the recovery key or controls the TPM
# (the host, for swtpm or any vTPM outside a TEE) from opening the disk and changing any
# file, including the worker, without changing a register. What the TPM protects here: the
# disk and the worker's keys against a copied disk image, and against a boot with another
# kernel, initrd, command line or Secure Boot state; not against the host.
#
# PCRs: 4 (the EFI binaries the firmware loaded: systemd-boot and the kernel's EFI stub
# image), 7 (Secure Boot state and keys) and 9 (the kernel's EFI stub measures the initrd and
# the kernel command line there). A changed kernel, initrd, command line or Secure Boot state
# changes them and the TPM refuses to unseal; the recovery key still opens the disk (then
# re-enrol). nixos/boot-test/run.sh checks exactly this under QEMU + OVMF + swtpm with a
# Debian kernel: a changed initrd and one more command-line argument each change PCR 9 and
# are refused. (systemd-boot itself is in PCR 4; its boot entries are not measured, but what
# they hand the kernel is.)
{ pkgs, ... }:
{
  imports = [ ./services.nix ];

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

  # The VM has a TPM (swtpm under run-vm.sh): keys are always sealed, to the PCRs the disk
  # is bound to.
  services.tee-worker.tpm.mode = "required";
}
