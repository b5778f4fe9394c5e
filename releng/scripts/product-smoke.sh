#!/usr/bin/env bash
# Unpacks the product archive the build made, starts it with its start script on $DISPLAY and
# checks that the KVM Studio window maps and that nothing was logged as an error. Prints the time
# to the window. Usage: product-smoke.sh [screenshot.png]
set -euo pipefail
. "$(dirname "$0")/common.sh"
archive=$KVMSTUDIO_ROOT/product/org.kvmstudio.product/target/products/kvmstudio-linux.gtk.x86_64.tar.gz
[ -f "$archive" ] || die "no product archive at $archive: run the build first"
work=$(mktemp -d /tmp/kvmstudio-smoke.XXXXXX)
tar -xzf "$archive" -C "$work"
log=$work/app.log
app=
cleanup() { [ -n "$app" ] && { kill "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true; }; rm -rf "$work"; }
trap cleanup EXIT
# starts the application and waits for its window; sets mapped and elapsed_ms
start_and_wait() {
  now start
  KVMSTUDIO_WORKSPACE=$work/workspace KVMSTUDIO_UI_STATE=$work/ui "$work/kvmstudio/kvmstudio" >"$log" 2>&1 &
  app=$!
  mapped=
  for _ in $(seq 600); do
    if xwininfo -root -tree 2>/dev/null | grep -q '"KVM Studio"'; then mapped=1; break; fi
    kill -0 "$app" 2>/dev/null || break
    sleep 0.1
  done
  now end; elapsed_ms=$(ms "$start" "$end")
}
start_and_wait
if [ -z "$mapped" ] && grep -q 'gtk_init_check() failed' "$log"; then
  # GTK could not open the X display: the test's X server, not the application (seen once, right after
  # the UI tests, in all the CI runs logged so far). Said with what the server answers now, and tried once more.
  say "GTK could not open $DISPLAY (the X server says: $(xdpyinfo 2>&1 | head -n 1); clients: $(xlsclients 2>/dev/null | wc -l)); trying once more"
  cat "$log" >&2
  wait "$app" 2>/dev/null || true
  sleep 2
  start_and_wait
fi
if [ -z "$mapped" ]; then
  cat "$log" >&2
  say "product smoke test FAILED: no KVM Studio window after ${elapsed_ms} ms"
  exit 1
fi
sleep 3 # let the part paint and any late error reach the log
if [ -n "${1:-}" ] && command -v import >/dev/null 2>&1; then
  import -window root "$1" && say "screenshot: $1"
fi
if grep -E 'Exception|^!ENTRY .* 4 ' "$log" >/dev/null; then
  cat "$log" >&2
  say "product smoke test FAILED: the application logged errors"
  exit 1
fi
[ -d "$work/workspace" ] || true
say "product smoke test passed: window mapped ${elapsed_ms} ms after the start script ran"
