# The confidential VM (TDX or SEV-SNP): the measured image (modules/measured-image.nix: UKI,
# dm-verity Nix store, tmpfs root, pinned 6.18 kernel) running the worker and the echo
# services. Nothing persists across a reboot: the worker generates its keys at boot and
# registers again. The host's TPM is not used (a TPM the host emulates protects nothing from
# the host); `tee-worker-measure` extends RTMR3 with the system and the measured services
# before any of them starts (TDX).
{
  imports = [
    ./modules/measured-image.nix
    ./services.nix
  ];

  # Keys live on the tmpfs root and die with the VM; never sealed to a host TPM.
  services.tee-worker.tpm.mode = "off";
}
