#!/usr/bin/env bash
# Writes DIR/release.json and DIR/tdx-mrtd from the files DIR already holds (ovmf-snp.fd: the
# AmdSev OVMF build; tdvf.fd: TDVF; uki.efi: the UKI): the SEV-SNP launch measurement of the
# UKI booted directly (no extra command line: the UKI carries its own) for one VM shape, the
# system hash, and the recipe `attest release check --image DIR` recomputes from. MRTD goes to
# tdx-mrtd: a TDX release also needs RTMR0-2 from a reference boot (docs/operator-guide.md).
# Usage: release.sh DIR SYSTEM_STORE_PATH NAME VCPUS VCPU_TYPE  (attest and jq on PATH)
# Used by nixos/release.nix (nix build ./nixos#release) and run by nixos/check.sh.
set -euo pipefail
[ $# -eq 5 ] || {
  echo "usage: release.sh DIR SYSTEM_STORE_PATH NAME VCPUS VCPU_TYPE" >&2
  exit 2
}
out="$1" system="$2" name="$3" vcpus="$4" type="$5"
hash=$(printf %s "$system" | sha256sum | cut -d' ' -f1)
snp=$(attest --json measure snp --firmware "$out/ovmf-snp.fd" --kernel "$out/uki.efi" \
  --vcpus "$vcpus" --vcpu-type "$type" | jq -r .measurement)
attest --json measure tdx --firmware "$out/tdvf.fd" | jq -r .mrtd >"$out/tdx-mrtd"
jq -n --arg name "$name" --arg snp "$snp" --arg hash "$hash" --arg system "$system" \
  --argjson vcpus "$vcpus" --arg type "$type" '{
    name: $name,
    snp_measurement: $snp,
    system_hashes: [$hash],
    inputs: {
      system_path: $system,
      kernel: "uki.efi",
      snp: { firmware: "ovmf-snp.fd", vcpus: $vcpus, vcpu_type: $type, guest_features: "0x1" },
      tdx: { firmware: "tdvf.fd" }
    }
  }' >"$out/release.json"
