# `nix build ./nixos#release`: the release of the measured image, computed from the build.
#
# The output directory holds what `attest release check ID --image DIR` recomputes from:
# the firmware the host must boot (AmdSev OVMF for SEV-SNP, TDVF for TDX), the UKI, and
# release.json with the SEV-SNP launch MEASUREMENT per VM shape (`attest measure snp`: the
# AmdSev firmware, the UKI as the directly booted kernel, no extra command line: the UKI
# carries its own), the system hash (SHA-256 of the system's store path), and the recipe.
# TDX: MRTD is computed (`attest measure tdx`); RTMR0-2 of a UKI booted from the disk come
# from a reference boot's event log (docs/operator-guide.md), so release.json has no `tdx`
# part until an operator adds it after that boot.
{
  pkgs,
  attest,
  uki,
  toplevel,
  name ? "tee-attest-vm",
  vcpus ? 2,
  vcpuType ? "EPYC-v4",
}:
let
  # The AmdSev build: its metadata has the SNP_KERNEL_HASHES section that measured direct
  # boot needs (the standard OvmfPkgX64 build has SEV metadata but no kernel hashes). It
  # writes FV/OVMF.fd like the standard build, and embeds a GRUB built by its grub.sh
  # (grub-mkimage). Not built on the project's CI machines (nixpkgs cannot be fetched there).
  ovmfAmdSev =
    (pkgs.OVMF.override {
      projectDscPath = "OvmfPkg/AmdSev/AmdSevX64.dsc";
    }).overrideAttrs
      (old: {
        nativeBuildInputs = old.nativeBuildInputs ++ [ pkgs.grub2_efi ];
      });
  # The standard build carries TDX (TDVF) metadata.
  tdvf = pkgs.OVMF.fd;
in
pkgs.runCommand "${name}-release"
  {
    nativeBuildInputs = [
      attest
      pkgs.jq
    ];
  }
  ''
    mkdir -p $out
    cp ${ovmfAmdSev.fd}/FV/OVMF.fd $out/ovmf-snp.fd
    cp ${tdvf}/FV/OVMF.fd $out/tdvf.fd
    cp ${uki}/tee-attest-vm.efi $out/uki.efi
    bash ${./release.sh} $out ${toplevel} "${name}" ${toString vcpus} ${vcpuType}
  ''
