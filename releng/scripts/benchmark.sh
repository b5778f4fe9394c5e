#!/usr/bin/env bash
# Benchmark (figures, not a test): request -> running through KVM Studio against raw libvirt
# define + start of the same domain XML on the same machine, one at a time and 10 in parallel, as
# ratios in one run; and `kvmstudio list` on a workspace of 1,000 partitions with an owner running
# and without one. Uses the exported product (build first). Usage: benchmark.sh [ROUNDS]
# (PAR_ROUNDS: rounds of 10 in parallel, default 3; WARMUP: uncounted first rounds one at a time, default 2;
# BENCH_ARCHIVE: another product archive to measure)
set -uo pipefail
. "$(dirname "$0")/common.sh"
ROUNDS=${1:-3}
WARMUP=${WARMUP:-2}
archive=${BENCH_ARCHIVE:-$KVMSTUDIO_ROOT/product/org.kvmstudio.product/target/products/kvmstudio-linux.gtk.x86_64.tar.gz}
[ -f "$archive" ] || die "no product archive at $archive: run the build first"
work=$(mktemp -d /tmp/ksb.XXXXXX)
tar -xzf "$archive" -C "$work"
K=$work/kvmstudio/kvmstudio
JAVA=$(find_jdk)/bin/java
export KVMSTUDIO_WORKSPACE=$work/ws XDG_CACHE_HOME=$work/cache
export KVMSTUDIO_VMARGS="-Xmx1g -Dkvmstudio.shutdownTimeout=1 -Dkvmstudio.memoryOvercommit=4 ${BENCH_VMARGS:-}"
REAPER=; command -v tini >/dev/null && REAPER="tini -s --"
agent=
cleanup() { [ -n "$agent" ] && kill "$agent" 2>/dev/null; sleep 1; pkill -9 -f "$work/" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
[ -n "${EPOCHREALTIME:-}" ] || die "this benchmark needs bash 5 or newer (its clock, \$EPOCHREALTIME)"
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
start_agent() {
  $REAPER "$K" agent >"$work/agent.log" 2>&1 &
  agent=$!
  for _ in $(seq 300); do grep -q owning "$work/agent.log" && return; sleep 0.2; done
  die "the agent did not start: $(cat "$work/agent.log")"
}
VM=(ram-size=512 disk-size=1)

start_agent
# the domain XML KVM Studio defines for such a VM, as the raw side's template
"$K" request template kvm --parameters "${VM[@]}" --dry-run --json \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["definition"])' >"$work/template.xml"
raw=$work/raw; mkdir -p "$raw/etc"
sed 's/= 25900/= 28000/; s/= 26899/= 28999/; s/= 26900/= 29000/; s/= 27899/= 29999/' \
  "$KVMSTUDIO_WORKSPACE/libvirt/etc/qemu.conf" >"$raw/etc/qemu.conf"
jars="$(ls "$work"/kvmstudio/plugins/org.libvirt_*.jar):$(ls "$work"/kvmstudio/plugins/com.sun.jna_*.jar)"
raw_run() { # COUNT PARALLEL
  $REAPER "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$jars" "$KVMSTUDIO_ROOT/releng/benchmark/RawLibvirt.java" \
    "$raw" "$work/template.xml" "$1" "$2" 2>>"$work/raw.err"
}

say "one at a time, $ROUNDS rounds after $WARMUP to warm up, raw libvirt's and KVM Studio's in turn"
coproc RAW { $REAPER "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$jars" "$KVMSTUDIO_ROOT/releng/benchmark/RawLibvirt.java" \
  "$raw" "$work/template.xml" rounds false 2>>"$work/raw.err"; }
# bash forgets RAW and RAW_PID as soon as the process ends: kept in variables of our own
raw_out=${RAW[0]} raw_in=${RAW[1]} raw_pid=$RAW_PID
raw_gone() { die "the raw libvirt side stopped: $(cat "$work/raw.err")"; }
read -r line <&"$raw_out" && [ "$line" = ready ] || raw_gone
: >"$work/raw-one"; : >"$work/kvm-one"
# The first rounds of each side warm it up and are not counted: both are long-lived processes, and
# libvirt probes QEMU's capabilities again after the first start of each process (about a second)
for i in $(seq $((WARMUP + ROUNDS))); do
  counted=/dev/null; [ "$i" -gt "$WARMUP" ] && counted=$work/kvm-one
  echo go 2>/dev/null >&"$raw_in" || raw_gone
  read -r _ _ took <&"$raw_out" || raw_gone
  [ "$i" -gt "$WARMUP" ] && echo "$took" >>"$work/raw-one"
  now t; "$K" request "one-$i" kvm --parameters "${VM[@]}" --wait >/dev/null 2>&1 || say "one-$i failed"; now u; ms "$t" "$u" >>"$counted"
  "$K" remove "one-$i" --wait >/dev/null 2>&1
done
exec {raw_in}>&-
wait "$raw_pid" 2>/dev/null
echo "rounds (ms), raw libvirt: $(tr "\n" " " <"$work/raw-one")" >&2; echo "rounds (ms), KVM Studio: $(tr "\n" " " <"$work/kvm-one")" >&2
raw_one=$(median <"$work/raw-one")
kvm_one=$(median <"$work/kvm-one")

PAR_ROUNDS=${PAR_ROUNDS:-3}
say "10 in parallel, $PAR_ROUNDS rounds, raw libvirt's and KVM Studio's in turn"
: >"$work/raw-ten"; : >"$work/kvm-ten"
for r in $(seq "$PAR_ROUNDS"); do
  raw_run 10 true | awk '/^raw-total/ { print $2 }' >>"$work/raw-ten"
  now t
  pids=()
  for i in $(seq 10); do "$K" request "par-$r-$i" kvm --parameters "${VM[@]}" --wait >/dev/null 2>&1 & pids+=($!); done
  wait "${pids[@]}" # not the agent, which runs on
  now u; ms "$t" "$u" >>"$work/kvm-ten"
  "$K" list | grep -c "^par-$r-.*ready, started" >"$work/ready-$r"
  pids=()
  for i in $(seq 10); do "$K" remove "par-$r-$i" --wait >/dev/null 2>&1 & pids+=($!); done
  wait "${pids[@]}"
done
echo "rounds of 10 (ms), raw libvirt: $(tr "\n" " " <"$work/raw-ten")" >&2; echo "rounds of 10 (ms), KVM Studio: $(tr "\n" " " <"$work/kvm-ten")" >&2
raw_ten=$(median <"$work/raw-ten")
kvm_ten=$(median <"$work/kvm-ten")
ready=$(cat "$work"/ready-* | sort -n | head -n 1)

# a command that names its command (the owner builds only that one): what forwarding adds to each
trip=$(for _ in 1 2 3 4 5; do now t; "$K" list >/dev/null; now u; ms "$t" "$u"; done | median)
echo "a command's round trip to the agent (kvmstudio list on an empty workspace, median of 5): $trip ms"
echo "request -> running, one at a time, without that round trip: KVM Studio $((kvm_one - trip)) ms, ratio $(ratio "$((kvm_one - trip))" "$raw_one")x"
echo "request -> running, one at a time (median of $ROUNDS): KVM Studio $kvm_one ms, raw libvirt $raw_one ms, ratio $(ratio "$kvm_one" "$raw_one")x"
echo "request -> running, 10 in parallel (all running, median of $PAR_ROUNDS): KVM Studio $kvm_ten ms (at least $ready/10 ready each time), raw libvirt $raw_ten ms, ratio $(ratio "$kvm_ten" "$raw_ten")x"

# --- kvmstudio list on 1,000 partitions (requests of a release whose file is elsewhere: recorded, not deployed)
for _ in $(seq 60); do [ -z "$("$K" list | tail -n +2)" ] && break; sleep 1; done
kill "$agent"; wait "$agent" 2>/dev/null; agent=
python3 - "$KVMSTUDIO_WORKSPACE" <<'PY'
import json, os, sys
ws = sys.argv[1]
for n in range(1000, 2000):
    p = {"format": 1, "partition": {"id": f"SOFTINST-{n}", "reference": f"vm-{n}", "releaseUri": "file:///srv/releases/kvm/software.cfg.json",
         "softwareType": "default", "shared": False, "parameters": {"ram-size": 512}, "requestedState": "stopped",
         "filter": {}, "status": {"phase": "stopped", "message": "", "since": "2026-11-27T00:00:00Z"},
         "connectionParameters": {"ipv4": "127.77.0.2"}, "hostId": "local", "masterId": None, "parentId": None,
         "instanceTree": f"SOFTINST-{n}", "revision": 1, "appliedRevision": 1}}
    with open(os.path.join(ws, "partitions", f"SOFTINST-{n}.json"), "w") as f:
        json.dump(p, f, indent=2)
PY
without=$(for _ in 1 2 3; do now t; "$K" list >/dev/null; now u; ms "$t" "$u"; done | median)
start_agent
"$K" list >/dev/null
with=$(for _ in 1 2 3 4 5; do now t; "$K" list >/dev/null; now u; ms "$t" "$u"; done | median)
lines=$("$K" list | tail -n +2 | wc -l)
echo "kvmstudio list, $lines partitions: with an owner running $with ms, without one $without ms (goal with an owner: <= 500 ms)"
