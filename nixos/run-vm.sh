#!/usr/bin/env bash
# Build (where nixpkgs is available) and run the confidential-VM image under QEMU with a
# software TPM (swtpm). State lives in ${VM_DIR:-./vm-state}: the disk, the TPM and the
# LUKS recovery key.
#
#   nixos/run-vm.sh install   build the system, partition vm-state/disk.img (ESP + LUKS2
#                             root), set a recovery key (vm-state/recovery.key), install
#   nixos/run-vm.sh run       boot it. First boot: the disk opens with the recovery key
#                             (typed at the prompt); then, inside the VM, enrol the TPM once:
#                               systemd-cryptenroll --tpm2-device=auto --tpm2-pcrs=4+7+9 \
#                                 /dev/disk/by-partlabel/cryptroot
#                             Later boots unlock with the TPM. A changed kernel, initrd
#                             or Secure Boot state changes PCR 4/7/9: the TPM refuses and
#                             the recovery key is asked for again (re-enrol). See vm.nix
#                             for the command line (PCR 11 needs a unified kernel image).
#
# Without nixpkgs (as on the project's CI machines) `install` cannot build the system; the
# LUKS2 + TPM2 steps themselves are boot-tested by nixos/boot-test/run.sh (QEMU, OVMF, swtpm).
# Needs: nix (flakes), qemu-system-x86_64, OVMF, swtpm, cryptsetup, sgdisk, root for `install`.
set -euo pipefail
cd "$(dirname "$0")"
state="${VM_DIR:-$PWD/vm-state}"
mkdir -p "$state/tpm"
ovmf="${OVMF_FD:-/usr/share/OVMF/OVMF_CODE.fd}"

case "${1:-}" in
install)
  [ "$(id -u)" -eq 0 ] || { echo "install: run as root (loop devices, cryptsetup)" >&2; exit 1; }
  system="$(nix build --no-link --print-out-paths .#nixosConfigurations.vm.config.system.build.toplevel)"
  truncate -s 8G "$state/disk.img"
  sgdisk --zap-all --new=1:0:+512M --typecode=1:ef00 --change-name=1:ESP \
    --new=2:0:0 --typecode=2:8309 --change-name=2:cryptroot "$state/disk.img"
  loop="$(losetup --find --show --partscan "$state/disk.img")"
  trap 'umount -R /mnt/tee-vm 2>/dev/null || true; cryptsetup close tee-vm-root 2>/dev/null || true; losetup -d "$loop"' EXIT
  head -c 32 /dev/urandom | base64 >"$state/recovery.key"
  chmod 600 "$state/recovery.key"
  cryptsetup luksFormat --type luks2 --batch-mode --key-file "$state/recovery.key" "${loop}p2"
  cryptsetup open --key-file "$state/recovery.key" "${loop}p2" tee-vm-root
  mkfs.ext4 -q /dev/mapper/tee-vm-root
  mkfs.vfat -n ESP "${loop}p1" >/dev/null
  mkdir -p /mnt/tee-vm
  mount /dev/mapper/tee-vm-root /mnt/tee-vm
  mkdir -p /mnt/tee-vm/boot
  mount "${loop}p1" /mnt/tee-vm/boot
  nixos-install --system "$system" --root /mnt/tee-vm --no-root-passwd --no-channel-copy
  echo "installed; recovery key in $state/recovery.key" >&2
  ;;
run)
  [ -f "$state/disk.img" ] || { echo "run: no $state/disk.img; run '$0 install' first" >&2; exit 1; }
  swtpm socket --tpm2 --tpmstate dir="$state/tpm" \
    --ctrl type=unixio,path="$state/tpm/sock" --daemon
  exec qemu-system-x86_64 -machine q35 -m 2048 -smp 2 \
    -drive if=pflash,format=raw,readonly=on,file="$ovmf" \
    -drive file="$state/disk.img",format=raw,if=virtio \
    -chardev socket,id=chrtpm,path="$state/tpm/sock" \
    -tpmdev emulator,id=tpm0,chardev=chrtpm -device tpm-crb,tpmdev=tpm0 \
    -netdev user,id=net0,hostfwd=tcp:127.0.0.1:7000-:7000,hostfwd=tcp:127.0.0.1:8080-:8080 \
    -device virtio-net-pci,netdev=net0 -nographic
  ;;
*)
  sed -n '2,22p' "$0" >&2
  exit 2
  ;;
esac
