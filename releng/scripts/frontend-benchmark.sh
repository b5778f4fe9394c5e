#!/usr/bin/env bash
# The frontend's benchmark (a harness that prints figures, not a test): HTTP requests/s for a console
# page and websocket MB/s for a console's stream, through the frontend, straight to the backend, and
# through nginx as the same TLS reverse proxy, in one run, with the ratios the issue asks for.
# Installs nginx and wrk (Debian packages) when missing. Usage: frontend-benchmark.sh (after a build)
set -euo pipefail
. "$(dirname "$0")/common.sh"
apt_install nginx-core wrk
JAVA_HOME=$(find_jdk) || exit 1
export JAVA_HOME
MODULES=releng/org.kvmstudio.target,bundles/org.kvmstudio.model,bundles/org.kvmstudio.input,bundles/org.kvmstudio.schema
MODULES=$MODULES,bundles/org.kvmstudio.release.kvm,bundles/org.kvmstudio.workspace,bundles/org.kvmstudio.core
MODULES=$MODULES,bundles/org.kvmstudio.console,bundles/org.kvmstudio.frontend,bundles/org.kvmstudio.frontend.tests
(cd "$KVMSTUDIO_ROOT" && ./mvnw -B -ntp -o verify -pl "$MODULES" -Dtest=FrontendBenchmark \
    -Dsurefire.failIfNoSpecifiedTests=false -DfailIfNoTests=false 2>&1) | grep '^frontend-benchmark:'
