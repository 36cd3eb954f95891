#!/usr/bin/env bash
# QEMU (TCG) boot test of the LUKS2 + TPM2 steps of the NixOS VM (nixos/vm-luks.nix,
# nixos/run-vm.sh) with a software TPM (swtpm) and UEFI firmware (OVMF), on a Debian kernel
# with a small initramfs (build-initramfs.sh) instead of the NixOS system, which cannot be
# built without nixpkgs. Five boots on one disk and one TPM:
#   1 enrol        LUKS2 with the recovery key, ext4 with 1 MiB of random data, then
#                  systemd-cryptenroll --tpm2-device=auto --tpm2-pcrs=4+7+9
#   2 unlock       the TPM alone opens the disk (systemd-cryptsetup, headless); data intact
#   3 pcr-changed  booted with a different initrd: the kernel's EFI stub measures the initrd
#                  into PCR 9, so the TPM refuses; the recovery key opens it; data intact
#   4 pcr-changed  the original initrd with one more kernel command-line argument: the EFI
#                  stub measures the command line into PCR 9 too, so the TPM refuses again
#   5 unlock       the original initrd and command line: the TPM opens it again
# Usage: run.sh [CACHE_DIR]   (default ~/.cache/tee-attest/boot-test; kernel and initramfs
# are kept there). Exit 0 when every boot printed its expected result.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/tee-attest/boot-test}"
ovmf_code=/usr/share/OVMF/OVMF_CODE_4M.fd
ovmf_vars=/usr/share/OVMF/OVMF_VARS_4M.fd
for tool in qemu-system-x86_64 swtpm swtpm_setup; do
  command -v "$tool" >/dev/null || { echo "boot-test: $tool missing (scripts/setup.sh)" >&2; exit 1; }
done
[ -f "$ovmf_code" ] || { echo "boot-test: $ovmf_code missing (package ovmf)" >&2; exit 1; }

bash "$here/build-initramfs.sh" "$cache"
run="$(mktemp -d)"
swtpm_pid=""
cleanup() {
  [ -n "$swtpm_pid" ] && kill "$swtpm_pid" 2>/dev/null || true
  rm -rf "$run"
}
trap cleanup EXIT

# The "changed initrd": the same initramfs with one more file appended (a second cpio
# archive), so it boots identically but measures differently.
mkdir -p "$run/extra"
echo "changed" >"$run/extra/changed"
cp "$cache/initrd.img" "$run/initrd-changed.img"
(cd "$run/extra" && echo changed | cpio -o -H newc --quiet | gzip -1) >>"$run/initrd-changed.img"

truncate -s 64M "$run/disk.img"
head -c 32 /dev/urandom >"$run/recovery.key"
truncate -s 1024 "$run/recovery.key"
cp "$ovmf_vars" "$run/vars.fd"
mkdir -p "$run/tpm"
swtpm_setup --tpm2 --tpmstate "$run/tpm" --createek --overwrite >/dev/null

boot() {
  local step="$1" initrd="$2" log="$run/$1.$3.log" cmdline="console=ttyS0 quiet panic=-1 ${4:-}"
  # QEMU ends swtpm's session when it exits: one swtpm per boot, same state directory.
  swtpm socket --tpm2 --tpmstate dir="$run/tpm" --ctrl type=unixio,path="$run/tpm/sock" \
    --flags startup-clear --pid file="$run/tpm/pid" --daemon
  swtpm_pid="$(cat "$run/tpm/pid")"
  { printf '%s' "$step"; head -c $((512 - ${#step})) /dev/zero; } |
    dd of="$run/recovery.key" bs=512 seek=1 conv=notrunc status=none
  local start=$SECONDS
  timeout 180 qemu-system-x86_64 -machine q35 -accel tcg -m 512 -smp 1 -nographic -no-reboot \
    -drive if=pflash,format=raw,readonly=on,file="$ovmf_code" \
    -drive if=pflash,format=raw,file="$run/vars.fd" \
    -kernel "$cache/vmlinuz" -initrd "$initrd" \
    -append "$cmdline" \
    -drive file="$run/disk.img",format=raw,if=virtio \
    -drive file="$run/recovery.key",format=raw,if=virtio,readonly=on \
    -chardev socket,id=chrtpm,path="$run/tpm/sock" \
    -tpmdev emulator,id=tpm0,chardev=chrtpm -device tpm-crb,tpmdev=tpm0 \
    </dev/null >"$log" 2>&1 || true
  local got
  got="$(tr -d '\r' <"$log" | grep -a '^BOOTTEST RESULT:' | tail -1 || true)"
  if [ "$got" != "BOOTTEST RESULT: ok $step" ]; then
    echo "boot-test: boot '$step' failed (${got:-no result}); its console:" >&2
    tr -d "\r" <"$log" | grep -av "^\s*$" | grep -v "Requesting JSON" | tail -${BOOTTEST_LOG_LINES:-40} >&2
    exit 1
  fi
  echo "boot-test: $step ok ($((SECONDS - start)) s); $(tr -d '\r' <"$log" | grep -a '^PCR ' |
    cut -c1-14 | tr '\n' ' ')" >&2
}

start=$SECONDS
boot enrol "$cache/initrd.img" 1
boot unlock "$cache/initrd.img" 2
boot pcr-changed "$run/initrd-changed.img" 3
boot pcr-changed "$cache/initrd.img" 4 "init=/init"
boot unlock "$cache/initrd.img" 5
echo "boot-test: all five boots passed in $((SECONDS - start)) s" >&2
