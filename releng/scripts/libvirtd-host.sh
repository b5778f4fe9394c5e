#!/bin/bash
# Starts and stops a hand-started libvirtd on loopback, isolated in a mount namespace of its own, as a
# second (third...) hypervisor host for the multi-host tests (taken from ../shared/libvirt-lab).
#   libvirtd-instance.sh start NAME TCP_PORT VNC_BASE [ADDRESS]   e.g. start hostA 16509 5910
#   (ADDRESS: the loopback address it listens on, 127.0.0.1 by default; another one, such as 127.0.0.2,
#   makes it a host that KVM Studio takes for another machine)
#   libvirtd-instance.sh stop NAME
# Each instance lives under ${KVMSTUDIO_HOSTS:-/tmp/kvmstudio-hosts}/NAME and runs in its own mount namespace in which
# /etc/libvirt, /run/libvirt, /var/lib/libvirt, /var/cache/libvirt, /var/log/libvirt are bind mounts of the instance dir.
# Reach it with: qemu+tcp://ADDRESS:TCP_PORT/system   (auth none, loopback only)
#           or:  qemu+unix:///system?socket=${KVMSTUDIO_HOSTS:-/tmp/kvmstudio-hosts}/NAME/run/libvirt-sock
set -eu
CMD=$1; NAME=$2; BASE=${KVMSTUDIO_HOSTS:-/tmp/kvmstudio-hosts}/$NAME
case $CMD in
start)
  PORT=$3; VNC=${4:-5900}; ADDRESS=${5:-127.0.0.1}
  case $ADDRESS in 127.*) ;; *) echo "libvirtd $NAME: $ADDRESS is not a loopback address"; exit 1 ;; esac
  mkdir -p $BASE/{etc/qemu,run,lib,cache,log}
  [ -s $BASE/host_uuid ] || cat /proc/sys/kernel/random/uuid > $BASE/host_uuid   # distinct host UUID per fake host
  for d in /var/lib/libvirt /var/cache/libvirt /var/log/libvirt /run/libvirt; do mkdir -p $d; done  # empty mount points
  cat > $BASE/etc/libvirtd.conf <<CONF
listen_tls = 0
listen_tcp = 1
listen_addr = "$ADDRESS"
tcp_port = "$PORT"
auth_tcp = "none"
auth_unix_rw = "none"
unix_sock_group = "root"
unix_sock_rw_perms = "0770"
log_outputs = "3:file:$BASE/log/libvirtd.log"
host_uuid = "$(cat $BASE/host_uuid)"
CONF
  cat > $BASE/etc/qemu.conf <<CONF
user = "root"
group = "root"
dynamic_ownership = 0
security_driver = "none"
stdio_handler = "file"
# no cgroups: two daemons would otherwise share machine/qemu-<id>-<name>.libvirt-qemu for equal names/ids
cgroup_controllers = [ ]
vnc_listen = "127.0.0.1"
remote_display_port_min = $VNC
remote_display_port_max = $((VNC+89))
remote_websocket_port_min = $((VNC+100))
remote_websocket_port_max = $((VNC+189))
migration_port_min = $((VNC+1000))
migration_port_max = $((VNC+1063))
CONF
  # the mount namespace keeps the bind mounts private to this libvirtd and its QEMU children
  unshare --mount --propagation private -- bash -c "
    mount --bind $BASE/etc /etc/libvirt && mount --bind $BASE/run /run/libvirt &&
    mount --bind $BASE/lib /var/lib/libvirt && mount --bind $BASE/cache /var/cache/libvirt &&
    mount --bind $BASE/log /var/log/libvirt &&
    exec /usr/sbin/libvirtd --listen --config /etc/libvirt/libvirtd.conf --pid-file /run/libvirt/libvirtd.pid
  " > $BASE/log/stdout.log 2>&1 &
  echo $! > $BASE/unshare.pid
  for i in $(seq 1 100); do [ -S $BASE/run/libvirt-sock ] && break; sleep 0.1; done
  [ -S $BASE/run/libvirt-sock ] || { echo "libvirtd $NAME did not come up"; cat $BASE/log/stdout.log; exit 1; }
  echo "libvirtd $NAME up: pid $(cat $BASE/run/libvirtd.pid) uri qemu+tcp://$ADDRESS:$PORT/system"
  ;;
stop)
  P=$(cat $BASE/run/libvirtd.pid 2>/dev/null || true)
  [ -n "$P" ] && kill $P && for i in $(seq 1 50); do kill -0 $P 2>/dev/null || break; sleep 0.1; done
  echo "libvirtd $NAME stopped" ;;
esac
