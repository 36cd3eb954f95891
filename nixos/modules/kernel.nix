# The guest kernel: Linux 6.18 (kernel.org tarball, pinned by hash) with everything a
# confidential guest of this project needs built in or as a module:
#   TDX guest + configfs-tsm quotes (TDX_GUEST_DRIVER, TSM_REPORTS), RTMR extension through
#   sysfs (the TDX driver's tsm-mr measurement registers, Linux >= 6.16: what
#   `tee-worker --measure-boot` writes to), the CCEL event log (which the ACPI sysfs code
#   exports under /sys/firmware/acpi/tables/data/CCEL), SEV-SNP guest
#   (SEV_GUEST, /dev/sev-guest and configfs-tsm), and the read-only verity store (DM_VERITY,
#   SQUASHFS with its decompressors, EROFS).
# nixos-24.11's newest kernel is older than 6.16, hence the override of its linux_latest
# derivation with a newer source. Not built on the project's machines (nixpkgs cannot be
# fetched there); `nixos/check.sh` parses and lints this file.
{ pkgs, lib, ... }:
let
  version = "6.18.5";
  guestKernel = pkgs.linux_latest.override {
    argsOverride = {
      inherit version;
      modDirVersion = version;
      src = pkgs.fetchurl {
        url = "https://cdn.kernel.org/pub/linux/kernel/v6.x/linux-${version}.tar.xz";
        # From nixpkgs' pkgs/os-specific/linux/kernel/kernels-org.json (6.18 branch).
        hash = "sha256:0h6r5w7755gd8ys18zi9rgw95wrd2yalbq0h88ihv3ggki01z78q";
      };
    };
    # Options nixos-24.11's common configuration names that 6.18 renamed or dropped are not
    # errors; the ones below are required and checked by the assertion.
    ignoreConfigErrors = true;
    structuredExtraConfig = with lib.kernel; {
      INTEL_TDX_GUEST = yes;
      TDX_GUEST_DRIVER = module;
      AMD_MEM_ENCRYPT = yes;
      SEV_GUEST = module;
      TSM_REPORTS = yes;
      DM_VERITY = yes;
      SQUASHFS = yes;
      SQUASHFS_ZSTD = yes;
      EROFS_FS = yes;
    };
  };
in
{
  boot.kernelPackages = pkgs.linuxPackagesFor guestKernel;
  boot.initrd.availableKernelModules = [
    "dm_verity"
    "squashfs"
    "virtio_pci"
    "virtio_blk"
  ];
  boot.kernelModules = [
    "tdx_guest"
    "sev-guest"
  ];
  assertions = [
    {
      assertion = lib.versionAtLeast guestKernel.version "6.16";
      message = "the guest kernel must be >= 6.16 (RTMR extension through sysfs)";
    }
  ];
}
