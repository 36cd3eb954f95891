#!/usr/bin/env bash
# Builds the boot test's kernel and initramfs from Debian 12 packages into $1 (a cache
# directory; reused when the kernel package version is unchanged):
#   $1/vmlinuz        Debian's current kernel image (linux-image-amd64's dependency)
#   $1/initrd.img     busybox, cryptsetup, veritysetup, systemd-cryptsetup,
#                     systemd-cryptenroll, mke2fs, the libraries they load (the TPM2 ones are
#                     dlopen()ed) and the kernel modules for virtio disks, dm-crypt, ext4,
#                     dm-verity and squashfs; /init is ./init (the LUKS test), /init-verity
#                     is ./init-verity (the verity-store test, chosen with rdinit=)
# Needs (scripts/setup.sh installs them): apt-get, dpkg-deb, kmod, cpio, busybox-static,
# cryptsetup-bin, systemd, e2fsprogs, libtss2-*.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$1"
mkdir -p "$out"

kpkg="$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')"
kver="${kpkg#linux-image-}"
[ -n "$kver" ] || { echo "build-initramfs: cannot resolve linux-image-amd64" >&2; exit 1; }
stamp="$kpkg $(sha256sum "$here/init" "$here/init-verity" "$0" | sha256sum | cut -c1-16)"
if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$stamp" ] && [ -f "$out/initrd.img" ]; then
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -q "$kpkg" >/dev/null 2>&1) ||
  { echo "build-initramfs: apt-get download $kpkg failed" >&2; exit 1; }
dpkg-deb -x "$work"/"$kpkg"_*.deb "$work/k"
cp "$work/k/boot/vmlinuz-$kver" "$out/vmlinuz"
depmod -b "$work/k" "$kver"

root="$work/root"
mkdir -p "$root"/{bin,sbin,lib/x86_64-linux-gnu,lib64,lib/systemd,proc,sys,dev,run,tmp,mnt,etc}
cp /bin/busybox "$root/bin/busybox"
for applet in sh mount umount insmod sleep cat head sha256sum grep poweroff sync echo mkdir dd tr \
  ls sed dmesg tail; do
  ln -sf busybox "$root/bin/$applet"
done

# Binaries with their shared libraries (ldd) and the libraries systemd dlopen()s for TPM2
# and LUKS (libtss2-esys → tctildr → tcti-device; libcryptsetup).
add_with_libs() {
  local f="$1" dest="$2"
  cp -L "$f" "$root$dest"
  ldd "$f" | awk '/=> \// {print $3} /^\t\/lib64/ {print $1}' | while read -r lib; do
    [ -f "$root/lib/x86_64-linux-gnu/$(basename "$lib")" ] ||
      cp -L "$lib" "$root/lib/x86_64-linux-gnu/"
  done
}
add_with_libs /sbin/cryptsetup /sbin/cryptsetup
add_with_libs /sbin/veritysetup /sbin/veritysetup
add_with_libs /sbin/mke2fs /sbin/mke2fs
add_with_libs /usr/bin/systemd-cryptenroll /bin/systemd-cryptenroll
add_with_libs /lib/systemd/systemd-cryptsetup /lib/systemd/systemd-cryptsetup
for lib in libtss2-esys.so.0 libtss2-rc.so.0 libtss2-mu.so.0 libtss2-tctildr.so.0 \
  libtss2-tcti-device.so.0 libcryptsetup.so.12; do
  add_with_libs "/lib/x86_64-linux-gnu/$lib" "/lib/x86_64-linux-gnu/$lib"
done
# systemd-cryptsetup opens the TPM2 token through libcryptsetup's token plugin.
mkdir -p "$root/lib/x86_64-linux-gnu/cryptsetup"
add_with_libs /usr/lib/x86_64-linux-gnu/cryptsetup/libcryptsetup-token-systemd-tpm2.so \
  /lib/x86_64-linux-gnu/cryptsetup/libcryptsetup-token-systemd-tpm2.so
cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
cp -L /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$root/lib/x86_64-linux-gnu/" 2>/dev/null || true
ln -sf /sbin/mke2fs "$root/sbin/mkfs.ext4"
echo "root:x:0:0:root:/:/bin/sh" >"$root/etc/passwd"
echo "root:x:0:" >"$root/etc/group"

# Kernel modules in load order (dependencies first).
: >"$root/modules.order"
for m in virtio_pci virtio_blk dm_crypt ext4 xts aesni_intel dm_verity squashfs; do
  modprobe -d "$work/k" -S "$kver" --show-depends "$m" | awk '$1 == "insmod" {print $2}' |
    while read -r ko; do
      rel="/modules/$(basename "$ko")"
      grep -qx "$rel" "$root/modules.order" && continue
      mkdir -p "$root/modules"
      cp "$ko" "$root$rel"
      echo "$rel" >>"$root/modules.order"
    done
done

install -m 0755 "$here/init" "$root/init"
install -m 0755 "$here/init-verity" "$root/init-verity"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/initrd.img"
echo "$stamp" >"$out/stamp"
echo "build-initramfs: $kpkg, initrd $(du -h "$out/initrd.img" | cut -f1)" >&2
