#!/usr/bin/env bash
# The kiosk on its embedded default: synthetic camera (when no /dev/video* is present) and a tone,
# streaming to a local receiver (ffmpeg) that decodes what it gets into out/received/: one PNG per second
# and a WAV. Stop with Ctrl-C; both processes end.
set -euo pipefail
cd "$(dirname "$0")/.."
config=${KIOSKD_CONFIG:-Board/embedded/kioskd.json}
out=out/received
mkdir -p "$out"
rm -f "$out"/frame-*.png "$out"/audio.wav
kioskd=.build/debug/kioskd
port=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["testStream"]["to"].rsplit(":",1)[1])' "$config")
"$kioskd" stream --config "$config" --to "127.0.0.1:$port" --sdp out/stream.sdp --sdp-only

ffmpeg -nostdin -loglevel error -protocol_whitelist file,udp,rtp -i out/stream.sdp \
  -map 0:v -vf fps=1 "$out/frame-%04d.png" -map 0:a "$out/audio.wav" &
receiver=$!
trap 'kill "$receiver" 2>/dev/null || true; wait "$receiver" 2>/dev/null || true' EXIT
sleep 1
echo "run-embedded: receiver (ffmpeg, pid $receiver) writes $out/; kioskd runs with $config. Ctrl-C stops."
"$kioskd" run --config "$config" || true
sleep 1
echo "run-embedded: received $(ls "$out"/frame-*.png 2>/dev/null | wc -l) pictures in $out/"
