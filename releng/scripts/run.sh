#!/usr/bin/env bash
# README's first command: installs what is missing, builds KVM Studio (once) and starts it on its
# embedded default. Without a display it starts under Xvfb and says so.
set -euo pipefail
. "$(dirname "$0")/common.sh"
setup
archive=$(ls "$KVMSTUDIO_ROOT"/product/org.kvmstudio.product/target/products/kvmstudio-linux.gtk.x86_64.tar.gz 2>/dev/null || true)
if [ -z "$archive" ] || [ -n "$(find "$KVMSTUDIO_ROOT/bundles" "$KVMSTUDIO_ROOT/features" "$KVMSTUDIO_ROOT/product" \
      -newer "$archive" -type f -not -path '*/target/*' -print -quit)" ]; then
  say "building the product (the first build downloads its Maven artifacts)"
  mvnw -DskipTests -q verify
  archive=$KVMSTUDIO_ROOT/product/org.kvmstudio.product/target/products/kvmstudio-linux.gtk.x86_64.tar.gz
fi
install_dir=$KVMSTUDIO_ROOT/product/org.kvmstudio.product/target/installed
rm -rf "$install_dir" && mkdir -p "$install_dir" && tar -xzf "$archive" -C "$install_dir"
if [ -z "${DISPLAY:-}" ]; then
  ensure_display
  say "no display: KVM Studio runs under Xvfb on $DISPLAY (see it with a VNC server on that display, or set DISPLAY)"
fi
say "starting KVM Studio (workspace ${KVMSTUDIO_WORKSPACE:-$HOME/.kvmstudio})"
"$install_dir/kvmstudio/kvmstudio" "$@"
