# The measured image: every byte the VM executes or reads as configuration is covered by the
# hardware's launch measurement.
#
#   UKI (kernel + initrd + command line, one PE file) -- TDX: TDVF measures it into RTMR1 and
#     the EFI stub its sections into RTMR2; SEV-SNP: measured direct boot (QEMU
#     `-kernel uki.efi`, `sev-snp-guest,kernel-hashes=on`) puts its hash in the MEASUREMENT.
#   its command line holds `init=` (the system's store path) and `usrhash=` (the dm-verity
#     root hash of the store partition), so both are measured with it;
#   the Nix store is a read-only squashfs partition opened by systemd-veritysetup in the
#     initrd with that root hash: one changed byte fails the read (EIO), it never runs;
#   `/` is tmpfs: nothing the host can write is executed or read as configuration, and every
#     secret (the worker's keys) is generated at boot and lost at shutdown: after a reboot the
#     worker registers again with a new identity. No TPM is used for secrets here.
#
# Built with systemd-repart (NixOS `image.repart.verityStore`): `nix build
# ./nixos#measured-image` gives the disk image (ESP with the UKI, store, verity hash tree) and
# the UKI; `nixos/run-vm.sh --tee tdx|snp|none` boots it. Not built on the project's
# machines (nixpkgs cannot be fetched there); nixos/boot-test/verity.sh boots the same
# construction (squashfs store + dm-verity root hash on the kernel command line, tmpfs root)
# under QEMU with a Debian kernel.
{
  config,
  lib,
  modulesPath,
  ...
}:
let
  inherit (config.image.repart.verityStore) partitionIds;
in
{
  imports = [
    "${modulesPath}/image/repart.nix"
    ./kernel.nix
  ];

  fileSystems = {
    "/" = {
      fsType = "tmpfs";
      options = [
        "mode=0755"
        "size=1G"
      ];
    };
    # systemd-veritysetup-generator opens the store partition as /dev/mapper/usr from the
    # command line's usrhash=, in the initrd, before anything from it runs.
    "/usr" = {
      device = "/dev/mapper/usr";
      fsType = "squashfs";
      options = [ "ro" ];
      neededForBoot = true;
    };
    "/nix/store" = {
      device = "/usr/nix/store";
      options = [ "bind" ];
      neededForBoot = true;
    };
  };

  image.repart = {
    name = "tee-attest-vm";
    verityStore = {
      enable = true;
      # The firmware's default boot path: no boot loader, no EFI variables to trust.
      ukiPath = "/EFI/BOOT/BOOTX64.EFI";
    };
    partitions = {
      ${partitionIds.esp}.repartConfig = {
        Type = "esp";
        Format = "vfat";
        SizeMinBytes = "96M";
      };
      ${partitionIds.store}.repartConfig = {
        Format = "squashfs";
        Minimize = "best";
      };
      ${partitionIds.store-verity}.repartConfig.Minimize = "best";
    };
  };

  boot = {
    loader.grub.enable = false;
    loader.systemd-boot.enable = false;
    initrd.systemd.enable = true;
    # Refuse unsigned modules and /dev/mem-style access from the running system; panic
    # instead of falling back to a shell on a failed boot step.
    kernelParams = [
      "lockdown=integrity"
      "panic=30"
      "boot.panic_on_fail"
    ];
  };

  system.image = {
    id = "tee-attest";
    version = lib.mkDefault "1";
  };

  # The store is read-only and nothing is installed at run time.
  nix.enable = false;
}
