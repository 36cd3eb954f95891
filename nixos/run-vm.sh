#!/usr/bin/env bash
# Boot the NixOS images under QEMU.
#
#   nixos/run-vm.sh --tee tdx|snp|none [--print]
#       The confidential VM (vm.nix: the measured image, UKI + dm-verity store + tmpfs root).
#       --print prints the QEMU command line instead of running it. The image and the UKI are
#       $IMAGE and $UKI if set, else built with `nix build ./nixos#measured-image` / `#uki`.
#         tdx   KVM with TDX (QEMU >= 10.1, a TDX host kernel, TDVF as $TDVF, default
#               /usr/share/ovmf/OVMF.inteltdx.fd); the firmware measures the UKI into RTMR1
#               and its sections into RTMR2; quotes through the host's QGS on vsock port 4050.
#         snp   KVM with SEV-SNP (QEMU >= 9.1, an SNP host kernel, the AmdSev OVMF build as
#               $SNP_OVMF, default /usr/share/ovmf/OVMF.amdsev.fd): measured direct boot,
#               `-kernel` the UKI with kernel-hashes=on, so the launch MEASUREMENT covers the
#               firmware and the UKI (kernel, initrd, command line with init= and usrhash=).
#         none  plain KVM (or TCG without /dev/kvm) with OVMF: nothing is measured by hardware;
#               for trying the image out.
#   nixos/run-vm.sh luks-install | luks-run
#       The NON-confidential variant (vm-luks.nix: LUKS2 root unlocked by a TPM2 key, swtpm).
#       State in ${VM_DIR:-./vm-state}. First boot: the recovery key; then, inside the VM:
#         systemd-cryptenroll --tpm2-device=auto --tpm2-pcrs=4+7+9 /dev/disk/by-partlabel/cryptroot
#
# Without nixpkgs (as on the project's CI machines) nothing can be built; nixos/check.sh
# checks the printed command lines, and nixos/boot-test/ boots the constructions (LUKS + TPM,
# verity store) with a Debian kernel. There is no TDX or SNP hardware on those machines.
# Needs: nix (flakes), qemu-system-x86_64, OVMF, swtpm, cryptsetup, sgdisk, root for
# `luks-install`.
set -euo pipefail
cd "$(dirname "$0")"
state="${VM_DIR:-$PWD/vm-state}"
ovmf="${OVMF_FD:-/usr/share/OVMF/OVMF_CODE.fd}"

# Prints (with --print) or runs a command line.
launch() {
  if [ "$print" = 1 ]; then
    local word out=""
    for word in "$@"; do
      # Single-quote only words the shell would split or expand (the TDX JSON object).
      case "$word" in
      *[[:space:]\'\"{}\$\\]*) out+="'${word//\'/\'\\\'\'}' " ;;
      *) out+="$word " ;;
      esac
    done
    echo "${out% }"
  else
    exec "$@"
  fi
}

measured() {
  local tee="$1" image="${IMAGE:-}" uki="${UKI:-}"
  case "$tee" in
  tdx | snp | none) ;;
  *)
    echo "run-vm.sh: --tee must be tdx, snp or none (got '$tee')" >&2
    exit 2
    ;;
  esac
  if [ -z "$image" ]; then
    image="$(nix build --no-link --print-out-paths .#measured-image)/tee-attest-vm.raw"
  fi
  if [ -z "$uki" ] && [ "$tee" = snp ]; then
    uki="$(nix build --no-link --print-out-paths .#uki)/tee-attest-vm.efi"
  fi
  local disk=(-drive "file=$image,format=raw,if=virtio,readonly=on")
  local net=(-netdev "user,id=net0,hostfwd=tcp:127.0.0.1:7000-:7000,hostfwd=tcp:127.0.0.1:8080-:8080"
    -device virtio-net-pci,netdev=net0)
  case "$tee" in
  tdx)
    launch qemu-system-x86_64 -accel kvm -cpu host -smp 2 -m 4G -nographic -nodefaults \
      -serial stdio \
      -machine q35,kernel-irqchip=split,hpet=off,confidential-guest-support=tdx0 \
      -object '{"qom-type":"tdx-guest","id":"tdx0","quote-generation-socket":{"type":"vsock","cid":"2","port":"4050"}}' \
      -bios "${TDVF:-/usr/share/ovmf/OVMF.inteltdx.fd}" \
      "${disk[@]}" "${net[@]}"
    ;;
  snp)
    launch qemu-system-x86_64 -accel kvm -cpu EPYC-v4 -smp 2 -m 4G -nographic -nodefaults \
      -serial stdio \
      -machine q35,confidential-guest-support=sev0,memory-backend=ram1 \
      -object memory-backend-memfd,id=ram1,size=4G,share=true,prealloc=false \
      -object sev-snp-guest,id=sev0,cbitpos=51,reduced-phys-bits=1,kernel-hashes=on \
      -bios "${SNP_OVMF:-/usr/share/ovmf/OVMF.amdsev.fd}" \
      -kernel "$uki" \
      "${disk[@]}" "${net[@]}"
    ;;
  none)
    local accel=tcg
    [ -w /dev/kvm ] && accel=kvm
    launch qemu-system-x86_64 -accel "$accel" -machine q35 -smp 2 -m 2G -nographic \
      -bios "${OVMF_FD:-/usr/share/OVMF/OVMF_CODE.fd}" \
      "${disk[@]}" "${net[@]}"
    ;;
  esac
}

print=0
tee=""
while [ $# -gt 0 ]; do
  case "$1" in
  --tee)
    [ $# -ge 2 ] || { echo "run-vm.sh: --tee needs tdx, snp or none" >&2; exit 2; }
    tee="$2"
    shift 2
    ;;
  --print)
    print=1
    shift
    ;;
  *) break ;;
  esac
done
if [ -n "$tee" ]; then
  measured "$tee"
  exit 0
fi

case "${1:-}" in
luks-install)
  mkdir -p "$state/tpm"
  [ "$(id -u)" -eq 0 ] || { echo "luks-install: run as root (loop devices, cryptsetup)" >&2; exit 1; }
  system="$(nix build --no-link --print-out-paths .#nixosConfigurations.vm-luks.config.system.build.toplevel)"
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
luks-run)
  [ -f "$state/disk.img" ] || { echo "luks-run: no $state/disk.img; run '$0 luks-install' first" >&2; exit 1; }
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
  sed -n '2,28p' "$0" >&2
  exit 2
  ;;
esac
