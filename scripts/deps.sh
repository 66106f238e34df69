#!/usr/bin/env bash
# Installs the Debian packages the build, the tests and the real peers need. Idempotent and quick when
# everything is there: apt runs only for what is missing.
set -euo pipefail
packages=(
  # build: the C libraries behind the shims, found through pkg-config
  pkg-config libsqlite3-dev libv4l-dev libasound2-dev libvpx-dev libopus-dev libsrtp2-dev libspeexdsp-dev libgpiod-dev
  # the screen: cairo and pango, libyuv, libqrencode, and fonts for Latin, German and Chinese text
  libcairo2-dev libpango1.0-dev libyuv-dev libqrencode-dev fonts-dejavu-core fonts-wqy-microhei
  # decodes the QR codes the screen draws, in its tests
  zbar-tools
  # peers and tools the tests and the benchmark run: decoders, the reference encoder
  ffmpeg vpx-tools time
  # the contact center's side in the SIP tests: registrar/proxy, the agent, scripted SIP
  kamailio kamailio-tls-modules baresip-core sip-tester openssl
  # the virtual board (Board/virtual/run-guest.sh installs these too when run alone)
  qemu-system-x86 busybox-static cpio kmod v4l-utils alsa-utils fbset xz-utils
  # the fleet API's status page, rendered in its test; the API's load benchmark
  chromium wrk
  # the appliance files' checks: systemd-analyze and systemd-sysusers, udevadm, python3 (prctl for MDWE)
  systemd udev python3-minimal
  # the interaction records' tests: a reporting endpoint (http.server) and reads of the database (sqlite3)
  python3
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
command -v swift >/dev/null || { echo "deps: swift is not on PATH (Swift 6 toolchain needed)" >&2; exit 1; }
