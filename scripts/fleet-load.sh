#!/usr/bin/env bash
# The fleet API under load from a second process on loopback: wrk against GET /v1/status and /metrics of
# a real `kioskd run` (TLS, a bearer token, SIP on loopback without a registrar, the synthetic camera).
# Prints requests per second and the latency percentiles wrk measures (p50/p99), and whether the media
# keeps its timing under that load: kioskd's test stream (the synthetic camera, VP8 at 30 fps over RTP)
# goes to a receiver on loopback, which times the frames (RTP marker bit) idle and while wrk runs.
#   scripts/fleet-load.sh [KIOSKD] [SECONDS]      (KIOSKD: .build/release/kioskd if built, else debug)
set -euo pipefail
kioskd=${1:-}
if [ -z "$kioskd" ]; then
  if [ -x .build/release/kioskd ]; then kioskd=.build/release/kioskd; else kioskd=.build/debug/kioskd; fi
fi
seconds=${2:-10}
command -v wrk >/dev/null || { echo "fleet-load: wrk is missing (scripts/deps.sh installs it)" >&2; exit 1; }
dir=$(mktemp -d /tmp/kioskd-fleet-load.XXXXXX)
pid=""
cleanup() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$dir"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$dir/fleet.key" -out "$dir/fleet.crt" \
  -days 1 -subj "/CN=kioskd fleet load" -addext "subjectAltName=IP:127.0.0.1" 2>/dev/null
token="load-$RANDOM$RANDOM$RANDOM"
hash=$(printf %s "$token" | sha256sum | cut -c1-64)
port=$(free_port)
sip_port=$(free_port)
media_port=$(python3 -c 'import socket
while True:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]
    if p % 2 == 0 and p < 65530: print(p); break')
cat > "$dir/kioskd.json" <<JSON
{
  "kiosk": { "id": "KSK-LOAD", "name": "Load test" },
  "camera": { "device": "synthetic", "size": "640x480", "fps": 30 },
  "sip": { "bindAddress": "127.0.0.1", "port": $sip_port, "user": "kiosk", "domain": "127.0.0.1" },
  "control": { "enabled": false },
  "testStream": { "to": "127.0.0.1:$media_port" },
  "fleet": { "address": "127.0.0.1", "port": $port, "certificate": "$dir/fleet.crt", "key": "$dir/fleet.key",
             "tokens": { "load": "$hash" } }
}
JSON
"$kioskd" run --config "$dir/kioskd.json" 2>"$dir/kioskd.log" &
pid=$!
for _ in $(seq 1 100); do grep -q "fleet: API listening" "$dir/kioskd.log" && break; sleep 0.2; done
grep -q "fleet: API listening" "$dir/kioskd.log" || { echo "fleet-load: kioskd did not start:" >&2; cat "$dir/kioskd.log" >&2; exit 1; }
# Times the video frames arriving on loopback for $1 seconds: interval p50 and p99 (ms).
frame_timing() {
  python3 - "$media_port" "$1" <<'PY'
import socket, sys, time, threading
port, seconds = int(sys.argv[1]), float(sys.argv[2])
video = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); video.bind(("127.0.0.1", port)); video.settimeout(0.5)
def drain(p):  # audio and RTCP land somewhere too (no ICMP unreachable back to the sender)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", p)); s.settimeout(0.5)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try: s.recv(2048)
        except socket.timeout: pass
for p in (port + 1, port + 2, port + 3):
    threading.Thread(target=drain, args=(p,), daemon=True).start()
times, end = [], time.monotonic() + seconds
while time.monotonic() < end:
    try: data = video.recv(2048)
    except socket.timeout: continue
    if len(data) >= 12 and data[1] & 0x80: times.append(time.monotonic())
iv = sorted((b - a) * 1000 for a, b in zip(times[1:], times[2:]))
q = lambda f: iv[min(len(iv) - 1, int(f * len(iv)))] if iv else float("nan")
print(f"{len(times)} frames, interval p50 {q(0.5):.2f} ms, p99 {q(0.99):.2f} ms")
PY
}

echo "kioskd: $kioskd; wrk: 2 threads, 16 connections, ${seconds} s per route, keep-alive, TLS"
sleep 1
echo "video frames, API idle: $(frame_timing "$seconds")"
for route in /v1/status /metrics; do
  frame_timing "$seconds" > "$dir/timing.txt" &
  timer=$!
  out=$(wrk -t2 -c16 -d"${seconds}s" --latency -H "Authorization: Bearer $token" "https://127.0.0.1:$port$route")
  wait "$timer"
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  echo "GET $route: ${rps} requests/s, p50 ${p50}, p99 ${p99}${errors:+, non-2xx $errors}; video frames meanwhile: $(cat "$dir/timing.txt")"
done
