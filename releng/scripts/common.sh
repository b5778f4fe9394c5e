# Shared by run.sh and test.sh (sourced, not run): installs what KVM Studio needs on a Debian or
# Ubuntu machine and finds a JDK 21+ for the build. Every step is skipped when already done.

KVMSTUDIO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

say() { printf '%s\n' "kvmstudio: $*" >&2; }
die() { say "$*"; exit 1; }
# Timing without starting a process ($(date) costs milliseconds, counted against what is timed):
# `now VAR` sets VAR to bash's clock in microseconds; `ms T0 T1` prints the milliseconds between two.
now() { printf -v "$1" %s "${EPOCHREALTIME//[!0-9]/}"; }
ms() { echo $(( ($2 - $1) / 1000 )); }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "needs root to run: $* (run as root or install sudo)"; fi
}

apt_updated=
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "missing packages ${missing[*]} and no apt-get to install them"
  say "installing ${missing[*]}"
  if [ -z "$apt_updated" ]; then as_root apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "could not install ${missing[*]}"
}

# The Java specification version of a java binary (17, 21, 25), or nothing.
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

# JAVA_HOME if it is 21+, else the newest JDK 21+ under /usr/lib/jvm, else one installed from the
# distribution's packages (Debian 13, Ubuntu 24.04 have openjdk-21; Debian 12 only has 17).
find_jdk() {
  local home major best= best_major=0 pkg
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(java_major "$JAVA_HOME/bin/java")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then echo "$JAVA_HOME"; return; fi
    say "JAVA_HOME=$JAVA_HOME is Java $major; looking for 21 or newer"
  fi
  for home in /usr/lib/jvm/*; do
    [ -x "$home/bin/javac" ] || continue
    major=$(java_major "$home/bin/java")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null && [ "$major" -gt "$best_major" ]; then best=$home; best_major=$major; fi
  done
  if [ -n "$best" ]; then echo "$best"; return; fi
  for pkg in openjdk-25-jdk-headless openjdk-21-jdk-headless; do
    if [ -n "$(apt-cache policy "$pkg" 2>/dev/null | sed -n 's/^ *Candidate: //p' | grep -v '(none)')" ]; then
      apt_install "$pkg"
      find_jdk
      return
    fi
  done
  die "the build needs a JDK 21 or newer and this distribution packages none (Debian 12 has only 17): install one (README, 'Debian 12', shows how: apt install temurin-21-jdk from Adoptium's repository) or set JAVA_HOME to one"
}

# Packages for the GUI and its tests: GTK for SWT, WebKitGTK for the console's browser, Xvfb for a
# display without a screen, fonts.
GUI_PACKAGES=(libgtk-3-0 libxtst6 fonts-dejavu-core xvfb x11-utils libwebkit2gtk-4.1-0)

# The embedded hypervisor and NBD exports: libvirt's QEMU driver (embedded in KVM Studio, no daemon
# needed), QEMU, qemu-img and qemu-nbd; xmllint for libvirt's virt-xml-validate.
LIBVIRT_PACKAGES=(libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86 qemu-utils libxml2-utils)

# As root, Debian's QEMU driver looks up the user libvirt-qemu when it starts, even though KVM Studio
# runs QEMU as root; the package that would create it (libvirt-daemon-system) also starts a daemon
# we do not want, so the user is made here.
ensure_libvirt_user() {
  [ "$(id -u)" -eq 0 ] || return 0
  getent group libvirt-qemu >/dev/null || groupadd -r libvirt-qemu
  getent passwd libvirt-qemu >/dev/null || useradd -r -g libvirt-qemu -d /var/lib/libvirt -s /usr/sbin/nologin libvirt-qemu
}

# Only for the tests: the tiny guest's boot loader and ISO tools, a prompt zombie reaper (tini), curl,
# Chromium with openssl for the frontend's console opened in a real browser, file (what the product
# ships), and ssh with netcat for the host reached over qemu+ssh://.
TEST_PACKAGES=(tini xorriso isolinux syslinux-common chromium openssl file netcat-openbsd openssh-client)

# The build compiles the command line's forwarding client (C, like the Eclipse launcher), static with musl.
BUILD_PACKAGES=(musl-tools)

setup() {
  apt_install ca-certificates curl unzip "${BUILD_PACKAGES[@]}" "${GUI_PACKAGES[@]}" "${LIBVIRT_PACKAGES[@]}"
  ensure_libvirt_user
  JAVA_HOME=$(find_jdk) || exit 1
  export JAVA_HOME
  say "using Java $(java_major "$JAVA_HOME/bin/java") from $JAVA_HOME"
}

# Starts Xvfb on a free display when there is no display; sets DISPLAY. Stopped on exit.
ensure_display() {
  if [ -n "${DISPLAY:-}" ] && xdpyinfo >/dev/null 2>&1; then return; fi
  local n
  for n in $(seq 90 120); do
    [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || break
  done
  Xvfb ":$n" -screen 0 1280x900x24 -nolisten tcp >/dev/null 2>&1 &
  XVFB_PID=$!
  trap 'kill $XVFB_PID 2>/dev/null || true' EXIT
  export DISPLAY=":$n"
  for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && return; sleep 0.1; done
  die "Xvfb did not start on $DISPLAY"
}

mvnw() { (cd "$KVMSTUDIO_ROOT" && ./mvnw -B -ntp "$@"); }
