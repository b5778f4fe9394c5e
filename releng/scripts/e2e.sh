#!/usr/bin/env bash
# End to end through the exported product's `kvmstudio` command, on the embedded hypervisor, with
# real libvirt, QEMU (TCG) and qemu-nbd: the seed's NBD and KVM examples, the guest's console and a
# forwarded port, the agent (forwarding, a second owner refused, a guest killed outside, an NBD image
# uploaded once), the owner killed with -9 in the middle of provisioning, bad input, and at the end no
# domain, volume, qemu-nbd or file of any partition left. Prints one line per check and ends with
# "e2e checks: N ok, N not ok". Usage: e2e.sh   (after the build; README's test command runs it)
set -uo pipefail
. "$(dirname "$0")/common.sh"
archive=$KVMSTUDIO_ROOT/product/org.kvmstudio.product/target/products/kvmstudio-linux.gtk.x86_64.tar.gz
[ -f "$archive" ] || die "no product archive at $archive: run the build first"
GUEST=/tmp/kvmstudio-guest
"$KVMSTUDIO_ROOT/releng/scripts/mkguest.sh" "$GUEST" >/dev/null || die "cannot build the test guest"

# short: QEMU's monitor sockets live under the workspace, and socket paths stop at 108 bytes
work=$(mktemp -d /tmp/kse.XXXXXX)
tar -xzf "$archive" -C "$work"
K=$work/kvmstudio/kvmstudio
export KVMSTUDIO_WORKSPACE=$work/ws
export KVMSTUDIO_VMARGS="-Xmx512m -Dkvmstudio.shutdownTimeout=3"
export XDG_CACHE_HOME=$work/cache
passed=0 failed=0 agent=
REAPER=; command -v tini >/dev/null && REAPER="tini -s --"
began=$(date +%s)

cleanup() {
  [ -n "$agent" ] && kill -9 "$agent" 2>/dev/null
  # whatever a failed check left running
  pkill -9 -f "$work/ws/" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

pass() { passed=$((passed + 1)); say "e2e PASS: $1"; }
fail() { failed=$((failed + 1)); say "e2e FAIL: $1${2:+ ($2)}"; }
# check NAME COMMAND...: the command's success is the check's
check() { local name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
json_true() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1" 2>/dev/null; }
guid() { "$K" info "$1" --json 2>/dev/null | json 'd["instance_guid"]'; }
wait_for() { # SECONDS COMMAND...: true once the command succeeds
  local until=$(( $(date +%s%N) + $1 * 1000000000 )); shift
  while [ "$(date +%s%N)" -lt $until ]; do "$@" && return 0; sleep 0.2; done; return 1
}
serial_says() { grep -aq "$2" "$KVMSTUDIO_WORKSPACE/pools/local/$1-serial.log" 2>/dev/null; }
qemu_of() { pgrep -f "guest=kvmstudio-[0-9a-f]*-$1," ; }
rc() { "$@" >"$work/out" 2>"$work/err"; echo $?; }

ISO=$GUEST/boot.iso
MD5=$(md5sum "$ISO" | cut -d' ' -f1)
HELLO=$(cat "$GUEST/hello.txt")
VM=(ram-size=512 disk-size=1 'nat-rules=[22,80]')

# --- the seed's examples, each command owning the workspace for its own duration
check "an nbd instance serves the guest's image" test "$(rc "$K" request mynbd kvm --type nbd \
    --parameters image-url="file://$ISO" image-md5sum="$MD5" --wait --timeout 120)" = 0
NBD_HOST=$(sed -n 's/^nbd-host = //p' "$work/out"); NBD_PORT=$(sed -n 's/^nbd-port = //p' "$work/out")
check "a KVM requested with the seed's ndb_ip/ndb_port is ready" test "$(rc "$K" request myawesomekvm kvm \
    --parameters ndb_ip="$NBD_HOST" ndb_port="$NBD_PORT" "${VM[@]}" --wait --timeout 120)" = 0
NAT80=$(sed -n 's/^nat-rule-port-tcp-80 = //p' "$work/out")
KVM=$(guid myawesomekvm)
check "the guest shows on its serial console the file it read over NBD" wait_for 120 serial_says "$KVM" "NBD DISK SAYS: $HELLO"
check "a forwarded port reaches the guest ($NAT80 -> 80)" wait_for 60 sh -c "curl -s -m 3 http://$NAT80/ | grep -q 'GUEST HTTP OK'"
check "invalid parameters are refused with the parameter's pointer (exit 1)" sh -c \
    "test \"\$('$K' request bad kvm --parameters ram-size=1000 >/dev/null 2>'$work/err'; echo \$?)\" = 1 && grep -q /ram-size '$work/err'"
check "and nothing was created" sh -c "! '$K' list | grep -q '^bad '"

# --- an agent owns the workspace; commands are forwarded to it
# (Tycho leaves out a root file it cannot find, and the script then quietly takes the slow way)
check "the product ships the static forwarding client, which says 99 where nobody listens" sh -c \
  "file '$work/kvmstudio/kvmstudio-forward' | grep -q 'statically linked' && KVMSTUDIO_WORKSPACE='$work/nobody' '$work/kvmstudio/kvmstudio-forward' list; test \$? = 99"
# as under systemd, a reaper collects what the agent's QEMUs leave when they die: libvirt reports a
# stopped guest only once its process is gone, and this machine's PID 1 reaps only once a second
$REAPER "$K" agent >"$work/agent.log" 2>&1 &
agent=$!
check "the agent starts and takes commands" sh -c "for i in \$(seq 300); do grep -q 'owning' '$work/agent.log' && test -S '$KVMSTUDIO_WORKSPACE/run/owner.sock' && '$K' list >/dev/null 2>&1 && kill -0 $agent && exit 0; sleep 0.2; done; exit 1"
now start; "$K" list >/dev/null; now end; ms=$(ms "$start" "$end")
say "kvmstudio list, forwarded to the agent: $ms ms"
check "a forwarded command answers in well under a second (no JVM starts)" test "$ms" -lt 1000
check "a second owner is refused and the first keeps the workspace" sh -c \
    "test \"\$('$K' agent >/dev/null 2>&1; echo \$?)\" = 1 && kill -0 $agent"
check "stopped through the agent: QEMU ends, the disk stays" sh -c "'$K' request myawesomekvm kvm --state stopped \
    --parameters ndb_ip='$NBD_HOST' ndb_port='$NBD_PORT' ${VM[*]} --wait --timeout 60 >/dev/null && ! pgrep -f 'guest=kvmstudio-[0-9a-f]*-$KVM,' >/dev/null \
    && test -f '$KVMSTUDIO_WORKSPACE/pools/local/$KVM-disk'"
check "started again through the agent" sh -c "'$K' request myawesomekvm kvm --parameters ndb_ip='$NBD_HOST' \
    ndb_port='$NBD_PORT' ${VM[*]} --wait --timeout 60 >/dev/null && pgrep -f 'guest=kvmstudio-[0-9a-f]*-$KVM,' >/dev/null"
pid=$(qemu_of "$KVM")
kill -9 "$pid"
# seen within 1 s: the partition is shown not ready, or the controller has already started a new QEMU
check "QEMU killed outside: the agent sees it within 1 s" wait_for 1 sh -c "'$K' list | grep '^myawesomekvm ' | grep -qv 'ready, started' \
    || { p=\$(pgrep -f 'guest=kvmstudio-[0-9a-f]*-$KVM,'); test -n \"\$p\" && test \"\$p\" != $pid; }"
check "and brings the guest back" wait_for 60 sh -c "p=\$(pgrep -f 'guest=kvmstudio-[0-9a-f]*-$KVM,'); test -n \"\$p\" && test \"\$p\" != $pid \
    && '$K' list | grep '^myawesomekvm ' | grep -q 'ready, started'"

# --- the seed's fourth example: a frontend master, and the KVM's console in a browser at the URL it published
FPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])')
check "a KVM without a frontend runs and says it has none" sh -c "'$K' info myawesomekvm | grep -q 'no frontend serves its console yet'"
check "a frontend master is served by the agent" sh -c "'$K' request mykvmfrontend kvm --type frontend \
    --parameters domain=localhost port=$FPORT --wait --timeout 60 >/dev/null"
published_url_is() { test "$("$K" info "$1" --json 2>/dev/null | json 'd["connection_parameters"].get("url", "")')" = "$2"; }
check "the KVM publishes its console's URL on the frontend" wait_for 60 published_url_is myawesomekvm "https://localhost:$FPORT/myawesomekvm"
CONSOLE=$("$K" info myawesomekvm --json | json 'd["connection_parameters"]["url"]')
VNCPASS=$("$K" info myawesomekvm --json | json 'd["connection_parameters"]["password"]')
CERT=$(find "$KVMSTUDIO_WORKSPACE" -name frontend-certificate.pem | head -1)
SPKI=$(openssl x509 -in "$CERT" -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)
echo "$CONSOLE/#password=$VNCPASS" | "$KVMSTUDIO_ROOT/releng/scripts/browser-console.py" - --spki "$SPKI" \
    --screenshot "${E2E_SCREENSHOTS:-$work}/frontend-console.png" >"$work/browser.json" 2>&1
say "Chromium at $CONSOLE/: $(cat "$work/browser.json")"
check "Chromium shows the guest's screen at that URL (noVNC through the frontend)" json_true "$work/browser.json" \
    'd["state"] == "connected" and d["canvas"]["lit"] > 0.002 and d["canvas"]["colors"] >= 2'
echo "$CONSOLE/#password=wrong123" | "$KVMSTUDIO_ROOT/releng/scripts/browser-console.py" - --spki "$SPKI" >"$work/browser-bad.json" 2>&1
check "a wrong VNC password is refused" json_true "$work/browser-bad.json" 'd["state"] == "refused"'
http_code_is() { test "$(curl -sk -o /dev/null -w '%{http_code}' "$1")" = "$2"; }
kvm_in_state() { # STATE: the e2e KVM requested in STATE through the agent, waited for
  "$K" request myawesomekvm kvm --state "$1" --parameters ndb_ip="$NBD_HOST" ndb_port="$NBD_PORT" "${VM[@]}" --wait --timeout 60 >/dev/null
}
entry_gone_when_stopped() { kvm_in_state stopped && wait_for 30 http_code_is "$CONSOLE/" 404; }
entry_back_when_started() { kvm_in_state started && wait_for 60 http_code_is "$CONSOLE/" 200; }
check "a stopped VM's entry is not served (its websocket port may go to another VM)" entry_gone_when_stopped
check "started again, it is served again at the same URL" entry_back_when_started
check "the frontend serves nothing but its entries" test "$(curl -sk -o /dev/null -w '%{http_code}' "https://localhost:$FPORT/mynbd/")" = 404

# --- an NBD image uploaded once, through the key-protected endpoint the agent serves
check "an nbd instance without image waits for an upload (exit 2)" test "$(rc "$K" request upload kvm --type nbd)" = 2
# the command answers once the request is recorded; the agent's controller opens the endpoint just after
upload_url_published() { "$K" info upload --json 2>/dev/null | json 'd["connection_parameters"]["upload-url"]' >/dev/null 2>&1; }
check "the agent publishes its upload URL and key" wait_for 30 upload_url_published
URL=$("$K" info upload --json | json 'd["connection_parameters"]["upload-url"]')
KEY=$("$K" info upload --json | json 'd["connection_parameters"]["upload-key"]')
check "an upload without the key is refused" test "$(curl -s -o /dev/null -w '%{http_code}' -T "$ISO" "$URL")" = 403
check "the image is uploaded once with its key" test "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Upload-Key: $KEY" -T "$ISO" "$URL")" = 201
check "then the export is served" sh -c "'$K' request upload kvm --type nbd --wait --timeout 60 >/dev/null"

check "the agent stops on SIGTERM" sh -c "kill $agent && for i in \$(seq 50); do kill -0 $agent 2>/dev/null || exit 0; sleep 0.2; done; exit 1"
agent=
check "QEMU and qemu-nbd outlive the owner" sh -c "pgrep -f 'guest=kvmstudio-[0-9a-f]*-$KVM,' >/dev/null && pgrep -f '$KVMSTUDIO_WORKSPACE/pools/nbd' >/dev/null"

# --- the owner killed with -9 in the middle of provisioning, at several points: the next start converges
for delay in 0.5 1.5 3; do
  ref=crash-${delay/./-}
  "$K" request "$ref" kvm --parameters "${VM[@]}" >/dev/null 2>&1 &
  owner=$!
  sleep "$delay"; kill -9 "$owner" 2>/dev/null; wait "$owner" 2>/dev/null
  check "owner killed after ${delay} s of provisioning $ref: the next run converges" sh -c \
      "'$K' request '$ref' kvm --parameters ${VM[*]} --wait --timeout 120 >/dev/null 2>&1"
done
check "no orphaned domain after the kills" sh -c "test -z \"\$('$K' orphans | tail -n +2)\""

# --- everything destroyed: nothing of any partition is left
for ref in $("$K" list --json | json '" ".join(p["instance_guid"] for p in d if not p["shared"])'); do
  "$K" remove "$ref" --wait --timeout 120 >/dev/null 2>&1 || fail "remove $ref"
done
"$K" list 2>/dev/null | tail -n +2 | sed 's/^/kvmstudio: e2e: left: /'
check "no partition is left" sh -c "test -z \"\$('$K' list | tail -n +2)\""
check "no domain is left (no QEMU of this workspace runs)" sh -c "! pgrep -af '[q]emu-system.*$KVMSTUDIO_WORKSPACE/' | cut -c1-120 | grep ."
check "no qemu-nbd is left" sh -c "! pgrep -af '[q]emu-nbd.*$KVMSTUDIO_WORKSPACE/' | grep ."
check "no volume, image or private state is left" sh -c "test -z \"\$(find '$KVMSTUDIO_WORKSPACE/pools' '$KVMSTUDIO_WORKSPACE/state' -type f 2>/dev/null)\""

# --- the desktop application owns a workspace as the agent does (when there is a display)
if [ -n "${DISPLAY:-}" ]; then
  gui_ws=$work/gui-ws
  KVMSTUDIO_WORKSPACE=$gui_ws KVMSTUDIO_UI_STATE=$work/ui $REAPER "$K" >"$work/gui.log" 2>&1 &
  gui=$!
  check "the desktop application owns its workspace and serves commands" sh -c \
      "for i in \$(seq 300); do test -S '$gui_ws/run/owner.sock' && exit 0; sleep 0.2; done; exit 1"
  check "a command forwarded to it is deployed by its controller" sh -c \
      "KVMSTUDIO_WORKSPACE='$gui_ws' '$K' request gui-vm kvm --parameters ${VM[*]} --wait --timeout 120 >/dev/null"
  KVMSTUDIO_WORKSPACE=$gui_ws "$K" remove gui-vm --wait >/dev/null 2>&1 || fail "remove gui-vm"
  kill "$gui" 2>/dev/null; wait "$gui" 2>/dev/null
fi

say "end-to-end checks took $(( $(date +%s) - began )) s"
echo "e2e checks: $passed ok, $failed not ok"
[ "$failed" -eq 0 ]
