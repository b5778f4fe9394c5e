#!/usr/bin/env bash
# End-to-end check of the test guest that mkguest.sh builds: serves DIR/boot.iso with qemu-nbd on
# [::1], boots it under libvirt's embedded QEMU driver (qemu:///embed, TCG) from that NBD export with
# QEMU user-mode networking and two host forwards, then checks the serial console markers and both
# forwarded ports. Starts and cleans up its own qemu-nbd, virsh and domain. Exits 0 only if every
# variant passed.
# Usage: mkguest-check.sh [DIR] [VARIANT...]   DIR default /tmp/kvmstudio-guest; VARIANT is
#   cdrom (default)  the NBD export as an IDE CD-ROM (El Torito)
#   disk             the NBD export as a read-only virtio disk (the ISO's hybrid MBR)
#   cdrom-vmxnet3, disk-vmxnet3   the same with a vmxnet3 NIC instead of virtio-net
# Env: CHECK_ADDR (host address of the forwards, default 127.77.0.2: any 127/8 address binds on
# Linux without configuring it), CHECK_TIMEOUT (s to GUEST NETWORK UP, default 90), KEEP=1 keeps the
# work folder (serial logs, domain XML) for a look afterwards.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

GUEST=${1:-/tmp/kvmstudio-guest}
[ $# -gt 0 ] && shift
VARIANTS=("$@")
[ ${#VARIANTS[@]} -gt 0 ] || VARIANTS=(cdrom)
ADDR=${CHECK_ADDR:-127.77.0.2}
TIMEOUT=${CHECK_TIMEOUT:-90}

apt_install libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86 qemu-utils curl iproute2
# Debian's QEMU driver resolves this user at start-up even with user = "root"; it is normally made
# by libvirt-daemon-system, which we do not need
getent group libvirt-qemu >/dev/null || as_root groupadd -r libvirt-qemu
getent passwd libvirt-qemu >/dev/null || as_root useradd -r -g libvirt-qemu -d /var/lib/libvirt -s /usr/sbin/nologin libvirt-qemu
"$HERE/mkguest.sh" "$GUEST"
GUEST=$(cd "$GUEST" && pwd)

T=$(mktemp -d /tmp/kvmstudio-check.XXXXXX) # short: libvirt's monitor sockets live under it (108-byte limit)
NAME=kvmstudio-guestcheck
URI="qemu:///embed?root=$T/embed"
VPID=
cleanup() {
  set +e
  if [ -n "$VPID" ]; then
    { echo "destroy $NAME"; echo quit; } >&3 2>/dev/null
    exec 3>&-
    for _ in $(seq 100); do kill -0 "$VPID" 2>/dev/null || break; sleep 0.1; done
    kill "$VPID" 2>/dev/null
  fi
  # a QEMU left behind (virsh killed before its destroy) is ended by the pid libvirt recorded
  [ -f "$T/embed/run/qemu/$NAME.pid" ] && kill "$(cat "$T/embed/run/qemu/$NAME.pid")" 2>/dev/null
  [ -f "$T/nbd.pid" ] && kill "$(cat "$T/nbd.pid")" 2>/dev/null
  if [ "${KEEP:-}" = 1 ]; then say "work folder kept: $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT

# a free TCP port on ADDR, from a random range so that parallel runs rarely collide
free_port() {
  local p
  for p in $(shuf -i 20000-29999 -n 100); do
    [ -z "$(ss -Hltn "sport = :$p")" ] && { echo "$p"; return; }
  done
  die "no free port"
}
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1e6 }'; } # between two of common.sh's `now`

# libvirt 9.0's embedded driver reads ROOT/etc/qemu.conf (not ROOT/etc/qemu/qemu.conf). As root it
# must not switch to libvirt-qemu, and stdio_handler=file keeps QEMU's output in files (no virtlogd)
mkdir -p "$T/embed/etc"
cat > "$T/embed/etc/qemu.conf" <<'CONF'
user = "root"
group = "root"
stdio_handler = "file"
remote_display_port_min = 15900
remote_display_port_max = 15999
remote_websocket_port_min = 16900
remote_websocket_port_max = 16999
CONF

NBDPORT=$(free_port)
qemu-nbd --fork --persistent --shared=0 --read-only -f raw -b ::1 -p "$NBDPORT" -x boot \
  --pid-file "$T/nbd.pid" "$GUEST/boot.iso"
qemu-img create -q -f qcow2 "$T/disk.qcow2" 1G

# the first use of a fresh root probes QEMU's capabilities (about 4 s, then cached under the root):
# done here, so that the boot times below do not include it
virsh -q -c "$URI" "domcapabilities --virttype qemu" > /dev/null 2> "$T/probe.err" \
  || { cat "$T/probe.err" >&2; die "cannot use $URI"; }

# one virsh session for all variants: with qemu:///embed the driver lives inside the virsh process,
# and a QEMU it started outlives it (so every domain is destroyed explicitly, here or in cleanup).
# Commands go in through a FIFO.
mkfifo "$T/virsh.in"
trap '' PIPE # should virsh die, writing to it fails (and the script ends through cleanup) instead of killing us
virsh -q -c "$URI" < "$T/virsh.in" > "$T/virsh.out" 2>&1 &
VPID=$!
exec 3> "$T/virsh.in"
echo "echo CONNECTED" >&3
for _ in $(seq 600); do grep -q CONNECTED "$T/virsh.out" && break; kill -0 $VPID 2>/dev/null || break; sleep 0.1; done
grep -q CONNECTED "$T/virsh.out" || { cat "$T/virsh.out" >&2; die "virsh did not start"; }

passed=0 failed=0
expected="NBD DISK SAYS: $(cat "$GUEST/hello.txt")"
n=0
for v in "${VARIANTS[@]}"; do
  n=$((n + 1))
  nic=virtio-net-pci
  case $v in *-vmxnet3) nic=vmxnet3 ;; esac
  case ${v%-vmxnet3} in
    cdrom) boot="<disk type='network' device='cdrom'><driver name='qemu' type='raw'/><source protocol='nbd' name='boot'><host name='::1' port='$NBDPORT'/></source><target dev='hdc' bus='ide'/><readonly/><boot order='1'/></disk>
  <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='$T/disk.qcow2'/><target dev='vda' bus='virtio'/><boot order='2'/></disk>" ;;
    disk) boot="<disk type='network' device='disk'><driver name='qemu' type='raw'/><source protocol='nbd' name='boot'><host name='::1' port='$NBDPORT'/></source><target dev='vda' bus='virtio'/><readonly/><boot order='1'/></disk>
  <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='$T/disk.qcow2'/><target dev='vdb' bus='virtio'/><boot order='2'/></disk>" ;;
    *) die "unknown variant $v (cdrom, disk, cdrom-vmxnet3, disk-vmxnet3)" ;;
  esac
  http=$(free_port) ssh=$(free_port)
  while [ "$ssh" = "$http" ]; do ssh=$(free_port); done
  log=$T/serial-$n-$v.log   # a fresh file per run: libvirt appends to an existing one
  xml=$T/$n-$v.xml
  cat > "$xml" <<XML
<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
 <name>$NAME</name><memory unit='MiB'>256</memory><vcpu>1</vcpu>
 <os><type arch='x86_64' machine='pc'>hvm</type></os><features><acpi/></features>
 <on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>destroy</on_crash>
 <devices>
  $boot
  <serial type='file'><source path='$log'/></serial><console type='file'><source path='$log'/><target type='serial'/></console>
  <graphics type='vnc' port='-1' autoport='yes' websocket='-1' listen='127.0.0.1' passwd='secret'/>
  <video><model type='vga'/></video>
 </devices>
 <qemu:commandline><qemu:arg value='-netdev'/><qemu:arg value='user,id=net0,hostfwd=tcp:$ADDR:$ssh-:22,hostfwd=tcp:$ADDR:$http-:80'/><qemu:arg value='-device'/><qemu:arg value='$nic,netdev=net0,addr=0x1e'/></qemu:commandline>
</domain>
XML
  now start; qemu='' up='' net='' ok=1 t=$start
  errors=$(grep -c '^error:' "$T/virsh.out" || true)
  echo "create $xml" >&3
  while now t && [ $(( (t - start) / 1000000 )) -lt "$TIMEOUT" ]; do
    [ "$(grep -c '^error:' "$T/virsh.out" || true)" -gt "$errors" ] && break   # create failed
    [ -z "$qemu" ] && [ -e "$T/embed/run/qemu/$NAME.pid" ] && now qemu
    [ -z "$up" ] && grep -qa 'GUEST USERSPACE UP' "$log" 2>/dev/null && now up
    if grep -qa 'GUEST NETWORK' "$log" 2>/dev/null; then now net; break; fi
    sleep 0.1
  done
  grep -qa 'GUEST NETWORK UP' "$log" 2>/dev/null || net=
  if [ -z "$up" ] || [ -z "$net" ]; then ok=; say "$v: the guest did not come up"; fi
  [ -f "$log" ] && tr -d '\r' < "$log" | grep -qaxF "$expected" || { ok=; say "$v: no line '$expected' on the serial console"; }
  # the listeners start just before GUEST NETWORK UP is printed: allow them a few seconds
  got_http='' got_ssh=''
  for _ in $(seq 20); do
    [ -z "$got_http" ] && curl -s -m 3 "http://$ADDR:$http/" 2>/dev/null | grep -q 'GUEST HTTP OK' && got_http=1
    [ -z "$got_ssh" ] && timeout 3 bash -c "exec 4<>/dev/tcp/$ADDR/$ssh && cat <&4" 2>/dev/null | grep -q 'GUEST SSH PORT OK' && got_ssh=1
    [ -n "$got_http" ] && [ -n "$got_ssh" ] && break
    [ -z "$net" ] && break
    sleep 0.5
  done
  [ -n "$got_http" ] || { ok=; say "$v: http://$ADDR:$http/ did not answer GUEST HTTP OK"; }
  [ -n "$got_ssh" ] || { ok=; say "$v: $ADDR:$ssh did not answer GUEST SSH PORT OK"; }
  echo "destroy $NAME" >&3
  if [ -n "$ok" ]; then
    passed=$((passed + 1))
    say "$v ($nic): PASSED, QEMU running $(secs "$start" "${qemu:-$start}") s, GUEST USERSPACE UP $(secs "$start" "$up") s, GUEST NETWORK UP $(secs "$start" "$net") s after create; ports $ADDR:$http (http) and $ADDR:$ssh (22) answered"
  else
    failed=$((failed + 1))
    say "$v ($nic): FAILED; serial console:"; [ -f "$log" ] && tr -d '\r' < "$log" >&2
    say "virsh said:"; cat "$T/virsh.out" >&2
  fi
  # wait for the destroy before the next variant reuses the name
  for _ in $(seq 100); do [ -e "$T/embed/run/qemu/$NAME.pid" ] || break; sleep 0.1; done
done
echo "mkguest-check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
