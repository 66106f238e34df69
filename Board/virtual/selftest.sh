#!/bin/bash
# Board/virtual/selftest.sh - prove the virtual board works: boot it once and check, from the host,
#   camera   vivid /dev/video0 at 30 fps: 30 frames captured, file size == 30 * sizeimage
#   audio    a 440 Hz tone played on hw:Loopback,0,0 is recorded on hw:Loopback,1,0 (FFT + RMS)
#   screen   /dev/fb0 exists and fbset reports its mode; a QEMU monitor screendump shows what the
#            guest wrote into fb0 (VBOARD_MONITOR)
#   input    /dev/uinput exists
#   network  VBOARD_NET=user: a UDP datagram from the guest to 10.0.2.2:PORT reaches a listener on
#            the host's 127.0.0.1:PORT
#   swift    a Swift binary linking Foundation (built with swiftc in a temp dir, if swiftc exists)
#            runs from VBOARD_BINS, finding /opt/swift/usr/lib/swift/linux/*.so
# usage: Board/virtual/selftest.sh        (env: VBOARD_WORK as for run-guest.sh; SELFTEST_SWIFT=0 skips
#        the Swift check; SELFTEST_KEEP=1 keeps the share dir)     exit 0 = all passed
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d -t vboard-selftest.XXXXXX)
SHARE=$T/share; mkdir -p "$SHARE"
LPID=""; SPID=""
cleanup() {
  local rc=$?
  for p in $LPID $SPID; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  if [ "${SELFTEST_KEEP:-0}" = 1 ] || [ "$rc" != 0 ]; then echo "selftest: files kept in $T" >&2; else rm -rf "$T"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- host side inputs: a 2 s 440 Hz tone, a UDP listener, a Swift binary
python3 - "$SHARE/tone.wav" <<'EOF'
import math, struct, sys, wave
rate, secs = 48000, 2
with wave.open(sys.argv[1], "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate)
    w.writeframes(b"".join(struct.pack("<h", int(12000 * math.sin(2 * math.pi * 440 * i / rate)))
                           for i in range(rate * secs)))
EOF

# what the guest writes into fb0: one colour (B,G,R,X = 0x20,0x80,0xe0,0) in 32-bit pixels
python3 -c 'import sys; open(sys.argv[1], "wb").write(bytes((0x20, 0x80, 0xe0, 0)) * 1280 * 800)' "$SHARE/fill.raw"

# the listener binds 127.0.0.1:0 (a free port), reports the port, and writes what it receives
python3 - "$T/udp.port" "$SHARE/udp.received" <<'EOF' &
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0)); s.settimeout(600)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1])); __import__("os").rename(sys.argv[1] + ".tmp", sys.argv[1])
data, peer = s.recvfrom(2048)
open(sys.argv[2], "wb").write(data)
print(f"selftest: host listener got {len(data)} bytes from {peer[0]}:{peer[1]}", flush=True)
EOF
LPID=$!
for _ in $(seq 100); do [ -s "$T/udp.port" ] && break; sleep 0.05; done
PORT=$(cat "$T/udp.port")
TOKEN=vboard-udp-$$-$RANDOM

BINS="bash"                  # busybox's nc has no -u; bash's /dev/udp/HOST/PORT sends the datagram
SWIFT=0
if [ "${SELFTEST_SWIFT:-1}" != 0 ] && command -v swiftc >/dev/null; then
  printf '%s\n' 'import Foundation' \
    'print("swift-hello cpus=\(ProcessInfo.processInfo.processorCount) \(String(format: "%.1f", 2.5))")' \
    > "$T/hello.swift"
  swiftc -O "$T/hello.swift" -o "$T/swift-hello"
  BINS="$BINS $T/swift-hello"; SWIFT=1
fi

# ---- the guest script
cat > "$T/guest.sh" <<EOF
set -x
v4l2-ctl -d /dev/video0 --all
v4l2-ctl -d /dev/video0 --set-parm=30
v4l2-ctl -d /dev/video0 --get-parm
v4l2-ctl -d /dev/video0 --stream-mmap --stream-count=30 --stream-to=/mnt/cap.raw || exit 11

aplay -D hw:Loopback,0,0 /mnt/tone.wav & a=\$!
arecord -D hw:Loopback,1,0 -f S16_LE -r 48000 -c 1 -d 1 /mnt/rec.wav || exit 12
wait \$a || exit 13

ls -l /dev/fb0 /dev/fb1 /dev/uinput || exit 14
fbset -fb /dev/fb0 || exit 15
cat /mnt/fill.raw > /dev/fb0 2>/dev/null   # one colour all over, for the screendump
touch /mnt/fb.ready
for i in \$(seq 100); do [ -e /mnt/fb.shot ] && break; sleep 0.2; done

ip addr show eth0; ip route
bash -c 'printf "%s" "$TOKEN" > /dev/udp/10.0.2.2/$PORT' || exit 16

if [ $SWIFT = 1 ]; then swift-hello || exit 17; fi
echo GUEST-DONE
EOF

# screendump helper: waits for the guest's marker, asks QEMU's monitor for a picture of fb0
python3 - "$T/mon.sock" "$SHARE" <<'EOF' &
import os, socket, sys, time
sock, share = sys.argv[1], sys.argv[2]
for _ in range(6000):
    if os.path.exists(share + "/fb.ready") and os.path.exists(sock): break
    time.sleep(0.05)
else: sys.exit("selftest: screendump helper: no marker")
s = socket.socket(socket.AF_UNIX); s.connect(sock); s.settimeout(1)
s.sendall(f"screendump {share}/fb.ppm\n".encode())
for _ in range(100):
    if os.path.exists(share + "/fb.ppm") and os.path.getsize(share + "/fb.ppm") > 1000000: break
    time.sleep(0.1)
time.sleep(0.3)
open(share + "/fb.shot", "w").close()
EOF
SPID=$!

# ---- boot
rc=0
VBOARD_SHARE=$SHARE VBOARD_BINS=$BINS VBOARD_NET=user VBOARD_MONITOR=$T/mon.sock VBOARD_TIMEOUT=${VBOARD_TIMEOUT:-240} \
  "$HERE/run-guest.sh" "$T/guest.sh" || rc=$?
echo "selftest: run-guest.sh exit=$rc"

# ---- host checks
python3 - "$SHARE" "$TOKEN" "$SWIFT" "$rc" <<'EOF'
import os, re, sys, wave
import numpy as np
share, token, swift, rc = sys.argv[1], sys.argv[2], sys.argv[3] == "1", int(sys.argv[4])
log = open(f"{share}/guest.log", errors="replace").read() if os.path.exists(f"{share}/guest.log") else ""
fails = []
def check(name, ok, detail):
    print(f"selftest: {'PASS' if ok else 'FAIL'} {name}: {detail}")
    if not ok: fails.append(name)

check("guest exit", rc == 0 and "GUEST-DONE" in log, f"exit={rc}")

m = re.search(r"Size Image\s*:\s*(\d+)", log)
wh = re.search(r"Width/Height\s*:\s*(\d+)/(\d+)", log)
fmt = re.search(r"Pixel Format\s*:\s*'(\w+)'", log)
fps = re.findall(r"Frames per second:\s*([\d.]+)", log)     # the last one is after --set-parm=30
fps = fps[-1] if fps else "?"
size = os.path.getsize(f"{share}/cap.raw") if os.path.exists(f"{share}/cap.raw") else -1
if m:
    frame = int(m.group(1))
    check("camera", size == 30 * frame and fps.startswith("30"),
          f"{wh.group(1) if wh else '?'}x{wh.group(2) if wh else '?'} {fmt.group(1) if fmt else '?'} "
          f"{fps} fps, sizeimage {frame}, cap.raw {size} = {size / max(frame, 1):.2f} frames")
else:
    check("camera", False, "no 'Size Image' in v4l2-ctl --all output")

if os.path.exists(f"{share}/rec.wav"):
    with wave.open(f"{share}/rec.wav") as w:
        rate, n = w.getframerate(), w.getnframes()
        x = np.frombuffer(w.readframes(n), dtype="<i2").astype(float)
    rms = float(np.sqrt(np.mean(x ** 2))) if len(x) else 0.0
    spec = np.abs(np.fft.rfft(x * np.hanning(len(x)))) if len(x) else np.zeros(1)
    peak = float(np.argmax(spec) * rate / max(len(x), 1))
    check("audio", abs(peak - 440) < 5 and rms > 1000,
          f"{n} frames at {rate} Hz, peak {peak:.1f} Hz, RMS {rms:.0f} (tone RMS ~8485)")
else:
    check("audio", False, "no rec.wav")

fb = re.search(r'mode "([^"]*)"\s*\n\s*geometry (\d+) (\d+) (\d+) (\d+) (\d+)', log)
check("fbset", fb is not None and "/dev/uinput" in log,
      f"mode {fb.group(1)}, geometry {' '.join(fb.groups()[1:])}" if fb else "no fbset mode in log")

if os.path.exists(f"{share}/fb.ppm"):
    d = open(f"{share}/fb.ppm", "rb").read()
    hdr = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", d)
    w_, h_ = int(hdr.group(1)), int(hdr.group(2))
    px = np.frombuffer(d[hdr.end():hdr.end() + w_ * h_ * 3], dtype=np.uint8).reshape(h_, w_, 3)
    share_ok = float(np.mean(np.all(px == (0xe0, 0x80, 0x20), axis=2)))
    check("screendump", share_ok > 0.95, f"{w_}x{h_}, {share_ok * 100:.1f}% pixels = the colour written to fb0")
else:
    check("screendump", False, "no fb.ppm")

got = open(f"{share}/udp.received").read() if os.path.exists(f"{share}/udp.received") else None
check("network", got == token, f"host 127.0.0.1 listener received {got!r}")

if swift:
    sm = re.search(r"^swift-hello .*$", log, re.M)
    check("swift", sm is not None, sm.group(0) if sm else "no output from the Swift binary")

print("selftest:", "ALL PASSED" if not fails else "FAILED: " + ", ".join(fails))
sys.exit(1 if fails else 0)
EOF
