#!/usr/bin/env bash
# The kiosk on its embedded default, with a contact center on this machine: baresip answers as the
# agent on 127.0.0.1:5070 (colour bars from its fakevideo, a 660 Hz tone), and kioskd runs on
# Board/embedded/kioskd.json: the synthetic camera and a 440 Hz tone (when no /dev/video* is present),
# the screens drawn off-screen into out/screen/frame-*.png, the call button on this terminal.
#
# Press Enter to wake the kiosk, Enter again to take English (u/d move, s selects): the call goes to the
# agent; Enter during the call hangs up (h too). Ctrl-C stops both. Look at out/screen/ for the screens:
# idle, choosing the language, connecting, the agent's video, call ended, idle.
set -euo pipefail
cd "$(dirname "$0")/.."
config=${KIOSKD_CONFIG:-Board/embedded/kioskd.json}
kioskd=.build/debug/kioskd
agent=out/agent
mkdir -p out/screen "$agent"
rm -f out/screen/frame-*.png

cat > "$agent/config" <<CONF
poll_method		epoll
sip_listen		127.0.0.1:5070
audio_player		aubridge,nil
audio_source		ausine,660
audio_alert		aubridge,nil
video_source		fakevideo,nil
video_display		fakevideo,nil
video_size		640x480
video_bitrate		800000
video_fps		25
rtcp_mux		yes
module_path		/usr/lib/baresip/modules
module			opus.so
module			vp8.so
module			ausine.so
module			aubridge.so
module			fakevideo.so
module			srtp.so
module_tmp		account.so
module_app		menu.so
net_interface		127.0.0.1
CONF
echo '<sip:agent@127.0.0.1:5070>;regint=0;answermode=auto;mediaenc=srtp;audio_codecs=opus/48000/2;video_codecs=vp8' > "$agent/accounts"
baresip -f "$agent" </dev/null >"$agent/baresip.log" 2>&1 &
baresip_pid=$!
trap 'kill "$baresip_pid" 2>/dev/null || true; wait "$baresip_pid" 2>/dev/null || true' EXIT
sleep 1
kill -0 "$baresip_pid" 2>/dev/null || { echo "run-embedded: baresip did not start:"; cat "$agent/baresip.log"; exit 1; }
echo "run-embedded: the agent (baresip, pid $baresip_pid) answers on 127.0.0.1:5070; the screens go to out/screen/."
echo "run-embedded: press Enter to wake the kiosk, Enter to take English, Enter in the call to hang up; Ctrl-C stops."
"$kioskd" run --config "$config" ${KIOSKD_FLAGS:-} || true
echo "run-embedded: $(ls out/screen/frame-*.png 2>/dev/null | wc -l) screens drawn in out/screen/"
