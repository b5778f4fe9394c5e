#!/usr/bin/env bash
# Benchmark of the desktop application (figures, not a test), in one run on one Xvfb:
#  - cold start to the first window, KVM Studio's exported product (fresh UI state and workspace,
#    embedded libvirt opened) against virt-manager from the distribution (fresh settings, libvirt's
#    test driver), as a ratio of medians, and an empty SWT window on the same JVM as the floor;
#  - the full kvm schema to a painted form, and one keystroke's validation (FormBenchmark);
#  - the Instances view over 1,000 partitions: load, refresh, resident memory (InstancesBenchmark).
# Usage: gui-benchmark.sh [ROUNDS]   (after a build: it uses the product archive)
set -uo pipefail
. "$(dirname "$0")/common.sh"
ROUNDS=${1:-5}
setup
apt_install virt-manager dbus-daemon
ensure_display
archive=$KVMSTUDIO_ROOT/product/org.kvmstudio.product/target/products/kvmstudio-linux.gtk.x86_64.tar.gz
[ -f "$archive" ] || die "no product archive at $archive: run the build first"
work=$(mktemp -d /tmp/kgb.XXXXXX)
tar -xzf "$archive" -C "$work"
app=
cleanup() { [ -n "$app" ] && kill -- -"$app" 2>/dev/null; sleep 0.5; pkill -9 -f "$work/" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

# ms from the start of COMMAND until a window titled TITLE is mapped; the command is then stopped
first_window() { # TITLE COMMAND...
  local title=$1 start end mapped=; shift
  now start
  setsid "$@" >>"$work/app.log" 2>&1 &
  app=$!
  for _ in $(seq 1200); do
    # (SWT names a plain Shell's X window with a space after its title)
    if xwininfo -root -tree 2>/dev/null | grep -qE "\"$title ?\""; then mapped=1; break; fi
    sleep 0.02
  done
  now end
  local elapsed; elapsed=$(ms "$start" "$end")
  kill -- -"$app" 2>/dev/null; wait "$app" 2>/dev/null; app=
  # the next round starts once this window is gone (an application may take a while to close)
  for _ in $(seq 500); do xwininfo -root -tree 2>/dev/null | grep -qE "\"$title ?\"" || break; sleep 0.02; done
  sleep 0.5
  [ -n "$mapped" ] && echo "$elapsed" || { say "no '$title' window: $(tail -5 "$work/app.log")"; echo 999999; }
}

say "cold start to the first window, $ROUNDS rounds each (after one untimed start of each, as after installing)"
# each round: a new process, a new workspace and UI state; the install's caches (the JDK class archive
# here, Python's bytecode there) are warm for both
for i in 0 $(seq "$ROUNDS"); do
  KVMSTUDIO_WORKSPACE=$work/ws-$i KVMSTUDIO_UI_STATE=$work/ui-$i XDG_CACHE_HOME=$work/cache \
    first_window "KVM Studio" "$work/kvmstudio/kvmstudio" >"$work/kvm-$i.ms"
done
kvm=$(for i in $(seq "$ROUNDS"); do cat "$work/kvm-$i.ms"; done | median)
virt=$(for i in 0 $(seq "$ROUNDS"); do
  HOME=$work/home-$i XDG_CONFIG_HOME=$work/home-$i/.config \
    first_window "Virtual Machine Manager" dbus-run-session -- virt-manager --no-fork --connect test:///default \
    | { [ "$i" -eq 0 ] && cat >/dev/null || cat; }
done | median)
echo "gui-benchmark: cold start to the first window: KVM Studio ${kvm} ms, virt-manager ${virt} ms, ratio $(awk -v a="$kvm" -v b="$virt" 'BEGIN { printf "%.2f", a / b }') (goal <= 1.0)"
# The floor of any Java SWT window here: an empty Shell, no OSGi, no e4, with the start script's JVM
# flags (the client compiler, a class archive made by the untimed first start)
bare=$work/bare; mkdir -p "$bare"
jdk=$(find_jdk)
swt=$(ls "$work"/kvmstudio/plugins/org.eclipse.swt.gtk.linux.x86_64_*.jar | head -n 1)
"$jdk/bin/javac" -cp "$swt" -d "$bare/classes" "$KVMSTUDIO_ROOT/releng/benchmark/BareSwtShell.java"
"$jdk/bin/jar" --create --file "$bare/bare.jar" -C "$bare/classes" . # a class archive takes jars, not folders
floor=$(for i in 0 $(seq "$ROUNDS"); do
  first_window "BareSwtShell" "$jdk/bin/java" -XX:TieredStopAtLevel=1 -XX:+AutoCreateSharedArchive \
      -XX:SharedArchiveFile="$bare/bare.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off --enable-native-access=ALL-UNNAMED \
      -cp "$swt:$bare/bare.jar" BareSwtShell \
    | { [ "$i" -eq 0 ] && cat >/dev/null || cat; }
done | median)
echo "gui-benchmark: the floor, an empty SWT window on the same JVM (no OSGi, no e4): ${floor} ms, $(awk -v a="$floor" -v b="$virt" 'BEGIN { printf "%.2f", a / b }')x virt-manager; KVM Studio $(awk -v a="$kvm" -v b="$floor" 'BEGIN { printf "%.2f", a / b }')x that floor"

say "schema -> form, and the Instances view over 1,000 partitions (through the test runtime)"
REAPER=; command -v tini >/dev/null && REAPER="tini -s --"
(cd "$KVMSTUDIO_ROOT" && $REAPER ./mvnw -B -ntp -o verify -Dtest='FormBenchmark,InstancesBenchmark' \
    -Dsurefire.failIfNoSpecifiedTests=false -DfailIfNoTests=false -DskipTests=false 2>&1) \
  | grep -E '^(form|instances)-benchmark:' | sed 's/^/gui-benchmark: /'
