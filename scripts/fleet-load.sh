#!/usr/bin/env bash
# The fleet API under load from a second process on loopback: wrk against GET /v1/status and /metrics of
# a real `kioskd run` (TLS, a bearer token, SIP on loopback without a registrar, the synthetic camera).
# Prints requests per second and the latency percentiles wrk measures (p50/p75/p90/p99).
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
cat > "$dir/kioskd.json" <<JSON
{
  "kiosk": { "id": "KSK-LOAD", "name": "Load test" },
  "camera": { "device": "synthetic" },
  "sip": { "bindAddress": "127.0.0.1", "port": $sip_port, "user": "kiosk", "domain": "127.0.0.1" },
  "control": { "enabled": false },
  "fleet": { "address": "127.0.0.1", "port": $port, "certificate": "$dir/fleet.crt", "key": "$dir/fleet.key",
             "tokens": { "load": "$hash" } }
}
JSON
"$kioskd" run --config "$dir/kioskd.json" 2>"$dir/kioskd.log" &
pid=$!
for _ in $(seq 1 100); do grep -q "fleet: API listening" "$dir/kioskd.log" && break; sleep 0.2; done
grep -q "fleet: API listening" "$dir/kioskd.log" || { echo "fleet-load: kioskd did not start:" >&2; cat "$dir/kioskd.log" >&2; exit 1; }
echo "kioskd: $kioskd; wrk: 2 threads, 16 connections, ${seconds} s per route, keep-alive, TLS"
for route in /v1/status /metrics; do
  out=$(wrk -t2 -c16 -d"${seconds}s" --latency -H "Authorization: Bearer $token" "https://127.0.0.1:$port$route")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  echo "GET $route: ${rps} requests/s, p50 ${p50}, p99 ${p99}${errors:+, non-2xx $errors}"
done
