#!/usr/bin/env bash
# Builds a tiny real Linux test guest from Debian packages (no disk image is downloaded):
#   DIR/boot.iso  hybrid ISO (isolinux El Torito + isohybrid MBR: boots as a CD-ROM and as a disk)
#                 with the Debian cloud kernel, a busybox initramfs and hello.txt
#   DIR/hello.txt the line the guest prints (GUEST_MESSAGE)
# The guest prints on ttyS0: GUEST USERSPACE UP, NBD DISK SAYS: <hello.txt>, GUEST HAS DISK <dev>...,
# then brings up eth0 for QEMU user-mode networking (10.0.2.15, gateway 10.0.2.2), answers
# "GUEST HTTP OK" on port 80 and "GUEST SSH PORT OK" on port 22, prints GUEST NETWORK UP and idles.
# hello.txt reaches the guest as a second initrd loaded by isolinux, so its bytes are read by the
# firmware and the boot loader from the boot medium (an NBD export in our tests): the kernel needs
# no CD-ROM or ATA driver for it.
# Usage: mkguest.sh [DIR]   (default /tmp/kvmstudio-guest). Idempotent: an up-to-date DIR is left as is.
# Env: GUEST_MESSAGE, GUEST_KERNEL_PKG (default linux-image-cloud-amd64), KVMSTUDIO_DEB_CACHE (where
# the downloaded .debs are kept; default apt's own archive cache, so a new DIR needs no download).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

OUT=${1:-/tmp/kvmstudio-guest}
MESSAGE=${GUEST_MESSAGE:-hello from an image served over NBD}
KPKG=${GUEST_KERNEL_PKG:-linux-image-cloud-amd64}
W=$OUT/work
mkdir -p "$W"
OUT=$(cd "$OUT" && pwd) W=$OUT/work
# tests may call this in parallel for the same folder: one builds, the others wait and find it done
exec 9>"$OUT/.mkguest.lock"
flock 9

# --- host tools: xorriso writes the ISO, isolinux/syslinux-common give the boot loader and the
# hybrid MBR. Installed (not just unpacked) because xorriso has shared libraries.
apt_install xorriso isolinux syslinux-common
ISOLINUX=/usr/lib/ISOLINUX/isolinux.bin MBR=/usr/lib/ISOLINUX/isohdpfx.bin
LDLINUX=/usr/lib/syslinux/modules/bios/ldlinux.c32
for f in "$ISOLINUX" "$MBR" "$LDLINUX"; do [ -f "$f" ] || die "missing $f (isolinux / syslinux-common)"; done

# --- packages only unpacked, never installed: the guest kernel (installing it would touch the host's
# boot setup) and busybox-static (it conflicts with the host's busybox package, if any).
DEBS=${KVMSTUDIO_DEB_CACHE:-/var/cache/apt/archives}
[ -w "$DEBS" ] || DEBS=$OUT/debs
mkdir -p "$DEBS"
apt_lists_checked=
deb_of() { # PACKAGE -> path of its .deb in $DEBS, downloaded with apt-get download when absent
  local f
  f=$(ls -v "$DEBS/$1"_*.deb 2>/dev/null | tail -n 1 || true)
  if [ -z "$f" ]; then
    if [ -z "$apt_lists_checked" ] && ! apt-cache show "$1" >/dev/null 2>&1; then
      as_root apt-get update -qq >/dev/null   # fresh machine: no package lists yet
    fi
    apt_lists_checked=1
    say "downloading $1"
    (cd "$DEBS" && apt-get download -qq "$1" 2>/dev/null) || die "apt-get download $1 failed"
    f=$(ls -v "$DEBS/$1"_*.deb | tail -n 1)
  fi
  echo "$f"
}
unpack() { # NAME PACKAGE: unpack once into $W/NAME; the .ok marker guards against a half-done unpack
  [ -f "$W/$1.ok" ] && return
  local deb
  deb=$(deb_of "$2")
  rm -rf "${W:?}/$1" && dpkg-deb -x "$deb" "$W/$1"
  basename "$deb" > "$W/$1.ok"
}
if [ ! -f "$W/kernel.ok" ]; then
  # the metapackage only depends on the current ABI package, which holds the kernel and modules
  kabi=$(apt-cache depends "$KPKG" 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}' || true)
  if [ -z "$kabi" ]; then
    as_root apt-get update -qq >/dev/null
    kabi=$(apt-cache depends "$KPKG" | awk '/Depends: linux-image-/{print $2; exit}' || true)
  fi
  [ -n "$kabi" ] || die "no kernel package behind $KPKG"
  unpack kernel "$kabi"
fi
unpack busybox busybox-static
BB=$W/busybox/bin/busybox
VMLINUZ=$(ls "$W"/kernel/boot/vmlinuz-* | head -n 1)
KMOD=$(ls -d "$W"/kernel/lib/modules/* | head -n 1)

# --- up to date? The ISO depends on this script (the guest's /init is in it), the unpacked packages
# and the message; a stamp of those avoids rebuilding on every call.
stamp=$( { cat "${BASH_SOURCE[0]}" "$W/kernel.ok" "$W/busybox.ok"; printf '%s\n' "$MESSAGE"; } | sha256sum | cut -c1-64)
if [ -f "$OUT/boot.iso" ] && [ "$(cat "$OUT/.mkguest.stamp" 2>/dev/null)" = "$stamp" ]; then
  say "guest in $OUT is up to date"
  exit 0
fi
rm -f "$OUT/.mkguest.stamp"

# --- kernel modules: the cloud kernel has virtio as modules and no modules.dep (depmod runs at
# install time), so dependencies come from each module's own .modinfo "depends=" field.
find "$KMOD/kernel" -name '*.ko' > "$W/modules.list"
mod_file() { grep -m1 -E "/($1|${1//_/-}).ko$" "$W/modules.list" || true; }
mod_deps() { tr '\0' '\n' < "$1" | sed -n 's/^depends=//p' | tr ',' ' '; }
MODS=()
add_mod() { # NAME: appends NAME after its dependencies (load order); built-in or absent modules are skipped
  local f d
  case " ${MODS[*]} " in *" $1 "*) return ;; esac
  f=$(mod_file "$1")
  [ -n "$f" ] || return 0
  for d in $(mod_deps "$f"); do add_mod "$d"; done
  MODS+=("$1")
}
# virtio_pci: the PCI transport; virtio_net: the NIC (pulls in net_failover, failover); virtio_blk:
# lists a virtio disk for diagnostics; vmxnet3: the one non-virtio NIC that both QEMU and the cloud
# kernel have (the cloud kernel has no e1000/e1000e; they are taken when a kernel has them).
for m in virtio_pci virtio_net virtio_blk vmxnet3 e1000 e1000e; do add_mod "$m"; done
for m in virtio_pci virtio_net; do
  case " ${MODS[*]} " in *" $m "*) ;; *) grep -q "/$m.ko$" "$KMOD/modules.builtin" || die "kernel has no $m" ;; esac
done

# --- initramfs: busybox, the modules, /init, a web page and the port-22 answer
R=$W/initrd
rm -rf "$R" && mkdir -p "$R"/{bin,dev,proc,sys,tmp,www,lib/modules}
cp "$BB" "$R/bin/busybox"
for m in "${MODS[@]}"; do cp "$(mod_file "$m")" "$R/lib/modules/$m.ko"; done
echo 'GUEST HTTP OK' > "$R/www/index.html"
printf '#!/bin/busybox sh\necho GUEST SSH PORT OK\n' > "$R/bin/ssh-banner"
cat > "$R/init" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
# the kernel may have found no /dev/console before devtmpfs was mounted: reopen it
exec </dev/console >/dev/console 2>&1
echo "GUEST USERSPACE UP"
echo "guest uptime \$(cut -d' ' -f1 /proc/uptime) s"
# /hello.txt came in the second initrd that the boot loader read from the boot medium
echo "NBD DISK SAYS: \$(cat /hello.txt)"
for m in ${MODS[*]}; do insmod /lib/modules/\$m.ko 2>/dev/null; done
for i in \$(seq 100); do [ -e /sys/class/net/eth0 ] && break; sleep 0.1; done
disks=\$(ls /sys/block)
for d in \$disks; do echo "GUEST HAS DISK \$d"; done
[ -n "\$disks" ] || echo "GUEST HAS NO DISK"
ifconfig lo 127.0.0.1 up
if ifconfig eth0 10.0.2.15 netmask 255.255.255.0 up && route add default gw 10.0.2.2; then
  httpd -p 80 -h /www
  nc -ll -p 22 -e /bin/ssh-banner &
  echo "GUEST NETWORK UP"
else
  echo "GUEST NETWORK FAILED: \$(ls /sys/class/net)"
fi
echo "guest uptime \$(cut -d' ' -f1 /proc/uptime) s"
# pid 1 must never exit (the kernel would panic): idle, listeners keep running
while :; do sleep 3600; done
INIT
chmod 755 "$R/init" "$R/bin/ssh-banner"
I=$W/iso
rm -rf "$I" && mkdir -p "$I/isolinux"
# busybox cpio writes the newc archives (no cpio package needed); -R 0:0 for a non-root build
(cd "$R" && find . | LC_ALL=C sort | "$BB" cpio -o -H newc -R 0:0 2>/dev/null) | gzip -9 > "$I/initrd.img"
# pad to 4 bytes: the kernel expects the next archive (hello.cpio) at a 4-byte boundary, zeros between are skipped
truncate -s $(( ( $(stat -c %s "$I/initrd.img") + 3 ) / 4 * 4 )) "$I/initrd.img"
printf '%s\n' "$MESSAGE" > "$OUT/hello.txt"
cp "$OUT/hello.txt" "$I/hello.txt"
(cd "$I" && echo hello.txt | "$BB" cpio -o -H newc -R 0:0 2>/dev/null) > "$I/hello.cpio"
cp "$VMLINUZ" "$I/vmlinuz"

# --- boot loader: no prompt, boots at once; its own messages go to the first serial port too
cp "$ISOLINUX" "$LDLINUX" "$I/isolinux/"
cat > "$I/isolinux/isolinux.cfg" <<'CFG'
SERIAL 0 115200
PROMPT 0
TIMEOUT 1
DEFAULT guest
LABEL guest
  KERNEL /vmlinuz
  APPEND initrd=/initrd.img,/hello.cpio console=ttyS0 quiet
CFG
xorriso -as mkisofs -quiet -o "$OUT/boot.iso.tmp" -V KVMSTUDIO_GUEST -r \
  -isohybrid-mbr "$MBR" -c isolinux/boot.cat -b isolinux/isolinux.bin \
  -no-emul-boot -boot-load-size 4 -boot-info-table "$I" 2>"$W/xorriso.log" \
  || { cat "$W/xorriso.log" >&2; die "xorriso failed"; }
mv "$OUT/boot.iso.tmp" "$OUT/boot.iso"
echo "$stamp" > "$OUT/.mkguest.stamp"
say "guest built: $OUT/boot.iso ($(stat -c %s "$OUT/boot.iso") bytes; modules: ${MODS[*]})"
