#!/usr/bin/env bash
# README's second command: installs what is missing, then builds everything and runs all the
# tests (the OSGi test fragments under Xvfb, then the exported product's start script), and ends
# with one line "N passed, N failed, N skipped".
set -uo pipefail
. "$(dirname "$0")/common.sh"
setup
ensure_display
[ -d "$KVMSTUDIO_ROOT/../shared/reference" ] || say "warning: ../shared/reference is missing; the schema tests need it"
began=$(date +%s)
mvnw clean verify
build=$?
smoke_passed=0 smoke_failed=0
if [ $build -eq 0 ]; then
  if "$KVMSTUDIO_ROOT/releng/scripts/product-smoke.sh"; then smoke_passed=1; else smoke_failed=1; fi
fi
# Sum the Surefire reports of every test fragment.
read -r tests failures errors skipped < <(cat "$KVMSTUDIO_ROOT"/bundles/*/target/surefire-reports/TEST-*.xml 2>/dev/null \
  | grep -o '<testsuite [^>]*>' \
  | awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); gsub(/"/, "", kv[2]); s[kv[1]] += kv[2] } }
         END { printf "%d %d %d %d\n", s["tests"], s["failures"], s["errors"], s["skipped"] }')
failed=$((failures + errors + smoke_failed))
passed=$((tests - failures - errors - skipped + smoke_passed))
say "build and tests took $(( $(date +%s) - began )) s"
if [ $build -ne 0 ] && [ $failed -eq 0 ]; then failed=1; say "the build failed before or outside the tests"; fi
echo "$passed passed, $failed failed, $skipped skipped"
[ $build -eq 0 ] && [ $failed -eq 0 ]
