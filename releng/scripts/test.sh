#!/usr/bin/env bash
# README's second command: installs what is missing, then builds everything and runs all the
# tests (the OSGi test fragments under Xvfb, then the exported product's start script), and ends
# with one line "N passed, N failed, N skipped".
set -uo pipefail
. "$(dirname "$0")/common.sh"
setup
apt_install "${TEST_PACKAGES[@]}"
ensure_display
# QEMU under the embedded driver is reparented to the nearest reaper when it forks; libvirt reports a
# guest stopped only once its process is reaped, and this machine's PID 1 reaps once a second
REAPER=; command -v tini >/dev/null && REAPER="tini -s --"
[ -d "$KVMSTUDIO_ROOT/../shared/reference" ] || say "warning: ../shared/reference is missing; the schema tests need it"
began=$(date +%s)
(cd "$KVMSTUDIO_ROOT" && $REAPER ./mvnw -B -ntp clean verify)
build=$?
smoke_passed=0 smoke_failed=0 e2e_passed=0 e2e_failed=0
if [ $build -eq 0 ]; then
  if "$KVMSTUDIO_ROOT/releng/scripts/product-smoke.sh"; then smoke_passed=1; else smoke_failed=1; fi
  # the kvmstudio command of the exported product, end to end on real libvirt, QEMU and qemu-nbd
  e2e_log=$(mktemp)
  "$KVMSTUDIO_ROOT/releng/scripts/e2e.sh" 2>&1 | tee "$e2e_log"
  read -r e2e_passed e2e_failed < <(sed -n 's/^e2e checks: \([0-9]*\) ok, \([0-9]*\) not ok$/\1 \2/p' "$e2e_log")
  [ -n "${e2e_passed:-}" ] || { e2e_passed=0; e2e_failed=1; say "the end-to-end checks did not finish"; }
  rm -f "$e2e_log"
fi
# Sum the Surefire reports of every test fragment.
read -r tests failures errors skipped < <(cat "$KVMSTUDIO_ROOT"/bundles/*/target/surefire-reports/TEST-*.xml 2>/dev/null \
  | grep -o '<testsuite [^>]*>' \
  | awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); gsub(/"/, "", kv[2]); s[kv[1]] += kv[2] } }
         END { printf "%d %d %d %d\n", s["tests"], s["failures"], s["errors"], s["skipped"] }')
failed=$((failures + errors + smoke_failed + e2e_failed))
passed=$((tests - failures - errors - skipped + smoke_passed + e2e_passed))
say "build and tests took $(( $(date +%s) - began )) s"
if [ $build -ne 0 ] && [ $failed -eq 0 ]; then failed=1; say "the build failed before or outside the tests"; fi
echo "$passed passed, $failed failed, $skipped skipped"
[ $build -eq 0 ] && [ $failed -eq 0 ]
