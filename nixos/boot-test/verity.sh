#!/usr/bin/env bash
# QEMU (TCG) boot test of the measured image's construction (nixos/modules/measured-image.nix)
# with a Debian kernel instead of NixOS's, which cannot be built without nixpkgs:
#   - a read-only squashfs "Nix store" holding a worker (a static binary and a script that
#     runs it), its dm-verity hash tree, and the root hash on the kernel command line;
#   - a unified kernel image (systemd's EFI stub + kernel + initramfs + that command line),
#     booted by OVMF with a software TPM standing in for TDX's RTMRs;
#   - the initramfs (init-verity) opens the store under the root hash, mounts it on
#     /nix/store and runs the worker from it; the root is a RAM file system.
# Three boots:
#   good        the store as built: the worker runs
#   tampered    one byte of the worker's binary flipped in the store image: dm-verity fails
#               the read (EIO, reported by the kernel) and the worker never starts
#   wrong-hash  a UKI whose command line has another root hash: dm-verity fails the first
#               read of the store (it does not mount, the worker never starts), and the
#               firmware's measurement of the UKI (PCR 4) differs from the good UKI's
# Usage: verity.sh [CACHE_DIR] (default ~/.cache/tee-attest/boot-test, shared with run.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/tee-attest/boot-test}"
ovmf_code=/usr/share/OVMF/OVMF_CODE_4M.fd
ovmf_vars=/usr/share/OVMF/OVMF_VARS_4M.fd
stub=/usr/lib/systemd/boot/efi/linuxx64.efi.stub
for tool in qemu-system-x86_64 swtpm swtpm_setup mksquashfs veritysetup objcopy; do
  command -v "$tool" >/dev/null || { echo "verity-test: $tool missing (scripts/setup.sh)" >&2; exit 1; }
done
for f in "$ovmf_code" "$stub"; do
  [ -f "$f" ] || { echo "verity-test: $f missing (scripts/setup.sh)" >&2; exit 1; }
done

bash "$here/build-initramfs.sh" "$cache"
run="$(mktemp -d)"
trap 'pkill -F "$run/tpm/pid" 2>/dev/null || true; rm -rf "$run"' EXIT

# The store: <hash>-tee-worker-test/bin/{busybox,tee-worker}; the worker is a script that the
# store's own busybox runs, so starting it reads the binary from the verity device.
pkg=/nix/store/0123456789abcdfghijklmnpqrsvwxyz-tee-worker-test
mkdir -p "$run/store$pkg/bin"
cp /bin/busybox "$run/store$pkg/bin/busybox"
printf '#!%s/bin/busybox sh\necho "WORKER STARTED from the verity store"\n' "$pkg" \
  >"$run/store$pkg/bin/tee-worker"
chmod 0755 "$run/store$pkg/bin/tee-worker"
# Uncompressed (-no*): the binary's bytes appear as they are, so one of them can be flipped.
mksquashfs "$run/store/nix/store" "$run/store.img" -noI -noD -noF -noX -all-root -quiet \
  -no-progress >/dev/null
veritysetup format "$run/store.img" "$run/hash.img" >"$run/format.txt"
roothash="$(awk '/^Root hash:/ {print $3}' "$run/format.txt")"
[ "${#roothash}" -eq 64 ] || { echo "verity-test: no root hash from veritysetup" >&2; exit 1; }

# The tampered store: one byte in the middle of the binary's data flipped.
cp "$run/store.img" "$run/store-tampered.img"
python3 - "$run/store-tampered.img" /bin/busybox <<'PY'
import sys
image, binary = sys.argv[1], open(sys.argv[2], "rb").read()
data = bytearray(open(image, "rb").read())
probe = binary[len(binary) // 2 : len(binary) // 2 + 64]
at = data.find(probe)
assert at > 0 and data.find(probe, at + 1) == -1, "the binary's middle is not in the image once"
data[at + 32] ^= 0x01
open(image, "wb").write(data)
PY

# Unified kernel images: systemd's EFI stub with the kernel, the initramfs and a command line
# (section addresses as systemd-stub 252 expects them, above the stub's own).
uki() {
  local out="$1" hash="$2"
  printf 'console=ttyS0 quiet panic=-1 rdinit=/init-verity boottest.roothash=%s' "$hash" \
    >"$run/cmdline.txt"
  printf 'ID=tee-attest-boot-test\n' >"$run/os-release"
  objcopy \
    --add-section .osrel="$run/os-release" --change-section-vma .osrel=0x20000 \
    --add-section .cmdline="$run/cmdline.txt" --change-section-vma .cmdline=0x30000 \
    --add-section .linux="$cache/vmlinuz" --change-section-vma .linux=0x2000000 \
    --add-section .initrd="$cache/initrd.img" --change-section-vma .initrd=0x3000000 \
    "$stub" "$out"
}
uki "$run/good.efi" "$roothash"
uki "$run/other.efi" "$(printf '%s' "$roothash" | sha256sum | cut -c1-64)"

cp "$ovmf_vars" "$run/vars.fd"
mkdir -p "$run/tpm"
swtpm_setup --tpm2 --tpmstate "$run/tpm" --createek --overwrite >/dev/null

declare -A pcr4
boot() {
  local step="$1" kernel="$2" store="$3" log="$run/$1.log"
  printf '%s' "$step" | dd of="$run/step.img" bs=512 conv=sync status=none
  swtpm socket --tpm2 --tpmstate dir="$run/tpm" --ctrl type=unixio,path="$run/tpm/sock" \
    --flags startup-clear --pid file="$run/tpm/pid" --daemon
  local start=$SECONDS
  timeout 180 qemu-system-x86_64 -machine q35 -accel tcg -m 512 -smp 1 -nographic -no-reboot \
    -drive if=pflash,format=raw,readonly=on,file="$ovmf_code" \
    -drive if=pflash,format=raw,file="$run/vars.fd" \
    -kernel "$kernel" \
    -drive file="$store",format=raw,if=virtio,readonly=on \
    -drive file="$run/hash.img",format=raw,if=virtio,readonly=on \
    -drive file="$run/step.img",format=raw,if=virtio,readonly=on \
    -chardev socket,id=chrtpm,path="$run/tpm/sock" \
    -tpmdev emulator,id=tpm0,chardev=chrtpm -device tpm-crb,tpmdev=tpm0 \
    </dev/null >"$log" 2>&1 || true
  local got
  got="$(tr -d '\r' <"$log" | grep -a '^BOOTTEST RESULT:' | tail -1 || true)"
  case "$got" in
  "BOOTTEST RESULT: ok $step"*) ;;
  *)
    echo "verity-test: boot '$step' failed (${got:-no result}); its console:" >&2
    tr -d "\r" <"$log" | grep -av "^\s*$" | tail -"${BOOTTEST_LOG_LINES:-40}" >&2
    exit 1
    ;;
  esac
  pcr4[$step]="$(tr -d '\r' <"$log" | sed -n 's/^PCR 4: //p' | tail -1)"
  echo "verity-test: $step ok ($((SECONDS - start)) s)${got#BOOTTEST RESULT: ok "$step"}" >&2
  echo "verity-test: $step PCR 4 ${pcr4[$step]}" >&2
}

start=$SECONDS
boot good "$run/good.efi" "$run/store.img"
boot tampered "$run/good.efi" "$run/store-tampered.img"
boot wrong-hash "$run/other.efi" "$run/store.img"
if [ -z "${pcr4[good]}" ] || [ "${pcr4[good]}" = "${pcr4[wrong-hash]}" ]; then
  echo "verity-test: the UKI with another root hash did not change PCR 4" >&2
  exit 1
fi
if [ "${pcr4[good]}" != "${pcr4[tampered]}" ]; then
  echo "verity-test: the same UKI measured differently (PCR 4)" >&2
  exit 1
fi
echo "verity-test: all three boots as expected ($((SECONDS - start)) s)" >&2
