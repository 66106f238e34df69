#!/bin/bash
# Board/virtual/run-guest.sh - boot the kioskd "virtual board" and run a script inside it.
#
# usage: Board/virtual/run-guest.sh GUEST_SCRIPT
#
# Boots a Debian 6.1 kernel (apt-get download + dpkg -x, never installed) under QEMU/TCG with a
# throw-away initramfs: busybox, the host programs named in VBOARD_BINS (with their ldd libraries at
# their host paths), and the kernel drivers of a kiosk board: vivid (/dev/video0), snd-aloop and
# snd-dummy (ALSA), bochs (/dev/fb0, 1280x800x32), vfb (/dev/fb1), uinput + evdev. GUEST_SCRIPT runs
# under busybox sh with cwd /mnt = VBOARD_SHARE (9p). See Board/virtual/README.md.
#
# env:
#   VBOARD_WORK     cache/work dir (default ${XDG_CACHE_HOME:-$HOME/.cache}/kioskd-vboard); holds the
#                   extracted kernel, re-used between runs
#   VBOARD_SHARE    host dir mounted at /mnt in the guest (default: a fresh mktemp dir)
#   VBOARD_BINS     space-separated host executables (names or paths) copied to the guest's /usr/bin
#   VBOARD_TIMEOUT  seconds before QEMU is killed (default 300)
#   VBOARD_NET      none (default) | user: virtio-net NIC, guest eth0 10.0.2.15/24, host loopback
#                   reachable at 10.0.2.2
#   VBOARD_HOSTFWD  with VBOARD_NET=user: space/comma separated rules "proto:[127.0.0.1]:hport-:gport"
#                   (e.g. "udp::5060-:5060"); always bound on 127.0.0.1
#   VBOARD_MONITOR  path of a QEMU monitor unix socket (for "screendump"); default: no monitor
#   VBOARD_MEM      guest RAM in MiB (default 1024)      VBOARD_SMP   guest CPUs (default 1)
#
# outputs (in VBOARD_SHARE): guest.log (script stdout+stderr), exit_code, console.log (serial).
# exit status: the guest script's exit code, 255 if none came back; 2 on usage/host errors.
set -euo pipefail

die() { echo "run-guest: $*" >&2; exit 2; }
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }

[ $# -eq 1 ] || { usage >&2; exit 2; }
case $1 in -h|--help) usage; exit 0 ;; esac
GUEST_SCRIPT=$1
[ -f "$GUEST_SCRIPT" ] || die "guest script not found: $GUEST_SCRIPT"

VBOARD_WORK=${VBOARD_WORK:-${XDG_CACHE_HOME:-$HOME/.cache}/kioskd-vboard}
VBOARD_BINS=${VBOARD_BINS:-}
VBOARD_TIMEOUT=${VBOARD_TIMEOUT:-300}
VBOARD_NET=${VBOARD_NET:-none}
VBOARD_HOSTFWD=${VBOARD_HOSTFWD:-}
VBOARD_MONITOR=${VBOARD_MONITOR:-}
VBOARD_MEM=${VBOARD_MEM:-1024}
VBOARD_SMP=${VBOARD_SMP:-1}
case $VBOARD_NET in none|user) ;; *) die "VBOARD_NET must be none or user, not '$VBOARD_NET'" ;; esac
[ -z "$VBOARD_HOSTFWD" ] || [ "$VBOARD_NET" = user ] || die "VBOARD_HOSTFWD needs VBOARD_NET=user"
for v in VBOARD_TIMEOUT VBOARD_MEM VBOARD_SMP; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer"
done

now() { date +%s.%N; }
T0=$(now)
mkdir -p "$VBOARD_WORK"
VBOARD_WORK=$(cd "$VBOARD_WORK" && pwd)
if [ -n "${VBOARD_SHARE:-}" ]; then mkdir -p "$VBOARD_SHARE"; else VBOARD_SHARE=$(mktemp -d -t vboard-share.XXXXXX); fi
VBOARD_SHARE=$(cd "$VBOARD_SHARE" && pwd)

# Everything of this run lives in RUN (initramfs tree, image) and goes away on exit; QEMU is killed.
RUN=$(mktemp -d "$VBOARD_WORK/run.XXXXXX")
QPID=""; KTMP=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  if [ -n "$QPID" ] && kill -0 "$QPID" 2>/dev/null; then
    echo "run-guest: stopping QEMU (pid $QPID)" >&2
    # timeout(1) runs in its own process group (pgid = its pid) together with qemu
    local qemu; qemu=$(pgrep -P "$QPID" 2>/dev/null || true)
    kill -TERM -- "-$QPID" 2>/dev/null || kill -TERM "$QPID" $qemu 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$QPID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$QPID" 2>/dev/null || true
    kill -KILL "$QPID" $qemu 2>/dev/null || true
    wait "$QPID" 2>/dev/null || true
  fi
  rm -rf "$RUN" ${KTMP:+"$KTMP"}
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ---------------------------------------------------------------- host packages (once per machine)
APT_UPDATED=""
apt_update_once() { [ -n "$APT_UPDATED" ] || { apt-get update -qq; APT_UPDATED=1; }; }
need=""
for c in qemu-system-x86_64:qemu-system-x86 busybox:busybox-static cpio:cpio depmod:kmod \
         v4l2-ctl:v4l-utils arecord:alsa-utils fbset:fbset xz:xz-utils; do
  command -v "${c%%:*}" >/dev/null 2>&1 || need="$need ${c#*:}"
done
# the guest needs a *static* busybox: a dynamic one (package busybox) would need its libc copied
if command -v busybox >/dev/null 2>&1 && ldd "$(command -v busybox)" >/dev/null 2>&1; then
  need="$need busybox-static"
fi
if [ -n "$need" ]; then
  echo "run-guest: installing$need" >&2
  apt_update_once
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >&2
fi
BUSYBOX=$(command -v busybox)

# ---------------------------------------------------------------- guest kernel (cached in WORK)
# WORK/kernel is complete or absent: it is built in a temp dir and renamed into place under a lock.
KROOT=$VBOARD_WORK/kernel
prepare_kernel() {
  [ -f "$KROOT/.complete" ] && return 0
  local pkg tmp kver off
  pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
  if [ -z "$pkg" ]; then
    apt_update_once
    pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
  fi
  [ -n "$pkg" ] || die "cannot resolve the kernel package behind linux-image-amd64"
  echo "run-guest: preparing guest kernel $pkg in $KROOT (once)" >&2
  rm -rf "$VBOARD_WORK"/kernel.tmp.*        # under the lock, any of these is left from a killed run
  tmp=$(mktemp -d "$VBOARD_WORK/kernel.tmp.XXXXXX"); KTMP=$tmp
  # as root, apt would hand the download to its _apt user, who cannot write into a private cache dir
  local dl=(apt-get download -q); [ "$(id -u)" != 0 ] || dl+=(-o APT::Sandbox::User=root)
  (cd "$tmp" && "${dl[@]}" "$pkg" >&2) || { apt_update_once; (cd "$tmp" && "${dl[@]}" "$pkg" >&2); }
  dpkg -x "$tmp"/"$pkg"_*.deb "$tmp/root"
  rm -f "$tmp"/*.deb
  kver=$(ls "$tmp/root/lib/modules")
  [ -f "$tmp/root/lib/modules/$kver/modules.dep" ] || depmod -b "$tmp/root" "$kver"
  # The uncompressed vmlinux boots directly through its PVH entry: this skips the slow in-guest xz
  # decompression under TCG. The payload starts at the first xz magic inside the bzImage.
  off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$tmp/root/boot/vmlinuz-$kver" | head -1 | cut -d: -f1 || true)
  if [ -n "$off" ]; then
    tail -c +"$((off + 1))" "$tmp/root/boot/vmlinuz-$kver" | xz -dc 2>/dev/null > "$tmp/root/boot/vmlinux" || true
    [ "$(head -c 4 "$tmp/root/boot/vmlinux" | od -An -c | tr -d ' ')" = '177ELF' ] || rm -f "$tmp/root/boot/vmlinux"
  fi
  # keep only what the board uses: the kernel images and modules
  rm -rf "$tmp/root/usr" "$tmp/root/etc"
  echo "$kver" > "$tmp/root/.complete"
  mv -T "$tmp/root" "$KROOT" 2>/dev/null || true    # lost a race: another run already put one there
  rm -rf "$tmp"; KTMP=""
  [ -f "$KROOT/.complete" ] || die "kernel preparation failed (remove $KROOT and retry)"
}
exec 9>"$VBOARD_WORK/kernel.lock"
flock 9
prepare_kernel
flock -u 9
KVER=$(cat "$KROOT/.complete")
KERNEL=$KROOT/boot/vmlinux
[ -s "$KERNEL" ] || KERNEL=$KROOT/boot/vmlinuz-$KVER

# ---------------------------------------------------------------- initramfs
R=$RUN/root
mkdir -p "$R"/{usr/bin,usr/sbin,usr/lib,usr/lib64,usr/share,proc,sys,dev,mnt,tmp,run,etc,vboard}
for d in bin sbin lib lib64; do ln -s "usr/$d" "$R/$d"; done     # usrmerge, as on the host

copy_libs() {  # copy the ldd libraries (and ELF interpreter) of $1 into R at their host paths
  local out lib
  out=$(ldd "$1" 2>/dev/null) || return 0                 # static binary or script: nothing to do
  if grep -q 'not found' <<<"$out"; then die "$1: missing libraries: $(grep 'not found' <<<"$out" | tr -s ' \t\n' ' ')"; fi
  for lib in $(grep -o '/[^ )]*' <<<"$out"); do
    [ -e "$R$lib" ] || cp -L --parents "$lib" "$R"
  done
}
copy_bin() {   # $1 = host program (name or path) -> /usr/bin/<basename>
  local p
  p=$(command -v "$1" 2>/dev/null) || die "program not found on host: $1"
  cp -L "$p" "$R/usr/bin/$(basename "$p")"
  chmod 755 "$R/usr/bin/$(basename "$p")"
  copy_libs "$p"
}
cp "$BUSYBOX" "$R/usr/bin/busybox"
for b in v4l2-ctl aplay arecord fbset $VBOARD_BINS; do copy_bin "$b"; done
# NSS (libsrtp2's crypto on Debian) dlopens its soft token and freebl: without them every cipher fails
for nss in $(find "$R" -name 'libnss3.so' -printf '%h\n' | sed "s|^$R||" | sort -u); do
  for m in libsoftokn3.so libfreebl3.so libfreeblpriv3.so; do
    [ -e "$nss/$m" ] && { cp -L --parents "$nss/$m" "$R"; copy_libs "$nss/$m"; }
  done
done
cp "$GUEST_SCRIPT" "$R/vboard/guest.sh"

# libasound reads alsa.conf and the card/pcm definitions; UCM and topology files are not needed
mkdir -p "$R/usr/share/alsa"
for f in alsa.conf cards ctl pcm; do [ -e "/usr/share/alsa/$f" ] && cp -a "/usr/share/alsa/$f" "$R/usr/share/alsa/"; done
[ -e /etc/localtime ] && cp -L /etc/localtime "$R/etc/localtime" 2>/dev/null || true
printf 'root:x:0:0:root:/tmp:/bin/sh\n' > "$R/etc/passwd"
printf 'root:x:0:\naudio:x:29:\nvideo:x:44:\ninput:x:105:\n' > "$R/etc/group"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$R/etc/hosts"
# the loader finds libraries in any directory (e.g. /opt/swift/usr/lib/swift/linux) through a cache
find "$R" -name '*.so*' \( -type f -o -type l \) -printf '%h\n' | sed "s|^$R||" | sort -u > "$R/etc/ld.so.conf"
ldconfig -r "$R" 2>/dev/null || ldconfig -r "$R"

# kernel modules: the ones loaded at boot, plus some only made available (modprobe later)
MODS="virtio_pci 9pnet_virtio 9p evdev uinput vivid snd-aloop snd-dummy bochs vfb"
[ "$VBOARD_NET" = user ] && MODS="$MODS virtio_net"
EXTRA_MODS="sch_netem"
modpaths() { modprobe -d "$KROOT" -S "$KVER" --show-depends "$1" 2>/dev/null | awk '$1=="insmod"{print $2}'; }
{
  for m in $MODS; do
    modprobe -d "$KROOT" -S "$KVER" --show-depends "$m" >/dev/null 2>&1 || die "kernel module $m not in $KVER"
    modpaths "$m"
  done
  for m in $EXTRA_MODS; do modpaths "$m" || true; done
} | sort -u | while read -r ko; do
  mkdir -p "$R$(dirname "${ko#"$KROOT"}")"; cp "$ko" "$R${ko#"$KROOT"}"
done
for f in modules.order modules.builtin modules.builtin.modinfo; do
  cp "$KROOT/lib/modules/$KVER/$f" "$R/lib/modules/$KVER/"
done
depmod -b "$R" "$KVER"
mkdir -p "$R/etc/modprobe.d"
echo "options vfb vfb_enable=1" > "$R/etc/modprobe.d/vboard.conf"

cat > "$R/init" <<EOF
#!/bin/busybox sh
# initramfs /init of the kioskd virtual board (generated by Board/virtual/run-guest.sh)
/bin/busybox --install -s
export PATH=/usr/bin:/usr/sbin HOME=/tmp TMPDIR=/tmp VBOARD_NET=$VBOARD_NET
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/shm /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /tmp; mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t tmpfs -o mode=755 tmpfs /run; mount -t devpts devpts /dev/pts
for m in $MODS; do modprobe \$m || echo "VBOARD: modprobe \$m failed"; done
for v in /sys/class/vtconsole/vtcon*; do    # keep the text console off the framebuffer
  grep -q frame \$v/name 2>/dev/null && echo 0 > \$v/bind
done
ip link set lo up
if [ "\$VBOARD_NET" = user ]; then
  ip addr add 10.0.2.15/24 dev eth0 && ip link set eth0 up && ip route add default via 10.0.2.2 \
    || echo "VBOARD: network setup failed"
fi
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 host /mnt || echo "VBOARD: 9p mount failed"
echo "VBOARD: ready at uptime \$(cut -d' ' -f1 /proc/uptime)s"
cd /mnt
( sh /vboard/guest.sh; echo \$? > /tmp/vboard.rc ) 2>&1 | tee /tmp/guest.log
rc=\$(cat /tmp/vboard.rc 2>/dev/null || echo 255)
for i in 1 2 3 4 5; do
  cp /tmp/guest.log /mnt/guest.log && echo \$rc > /mnt/exit_code && break
  echo "VBOARD: 9p write failed (try \$i)"; sleep 1
done
echo "VBOARD: guest script exit=\$rc at uptime \$(cut -d' ' -f1 /proc/uptime)s"
cd /; sync; umount /mnt; poweroff -f
EOF
chmod 755 "$R/init"
(cd "$R" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > "$RUN/initramfs.cpio"
IMG_SIZE=$(du -h "$RUN/initramfs.cpio" | cut -f1)
T1=$(now)

# ---------------------------------------------------------------- boot
NET_ARGS=(-nic none)
if [ "$VBOARD_NET" = user ]; then
  nic=user,model=virtio-net-pci
  for rule in ${VBOARD_HOSTFWD//,/ }; do
    # proto:[hostaddr]:hostport-[guestaddr]:guestport; host side forced to 127.0.0.1
    [[ $rule =~ ^(tcp|udp):([^:]*):([0-9]+)-([^:]*):([0-9]+)$ ]] || die "bad VBOARD_HOSTFWD rule '$rule'"
    case ${BASH_REMATCH[2]} in ''|127.0.0.1) ;; *) die "hostfwd must bind 127.0.0.1: '$rule'" ;; esac
    nic="$nic,hostfwd=${BASH_REMATCH[1]}:127.0.0.1:${BASH_REMATCH[3]}-${BASH_REMATCH[4]}:${BASH_REMATCH[5]}"
  done
  NET_ARGS=(-nic "$nic")
fi
MON_ARGS=(-monitor none)
[ -z "$VBOARD_MONITOR" ] || { rm -f "$VBOARD_MONITOR"; MON_ARGS=(-monitor "unix:$VBOARD_MONITOR,server=on,wait=off"); }

rm -f "$VBOARD_SHARE/exit_code" "$VBOARD_SHARE/guest.log" "$VBOARD_SHARE/console.log"
# The serial console goes to stdout and, through the chardev's logfile, to console.log.
# timeout(1) puts itself and QEMU into their own process group; cleanup() kills that group.
timeout --kill-after=5 "$VBOARD_TIMEOUT" qemu-system-x86_64 \
  -accel tcg,thread=multi -cpu max -smp "$VBOARD_SMP" -m "$VBOARD_MEM" -no-reboot \
  -display none -vga std "${MON_ARGS[@]}" "${NET_ARGS[@]}" \
  -chardev "stdio,id=con,signal=off,logfile=$VBOARD_SHARE/console.log" -serial chardev:con \
  -kernel "$KERNEL" -initrd "$RUN/initramfs.cpio" \
  -append "console=ttyS0 quiet loglevel=3 panic=-1 rdinit=/init" \
  -virtfs "local,path=$VBOARD_SHARE,mount_tag=host,security_model=none,id=host" \
  < /dev/null &
QPID=$!
qrc=0; wait "$QPID" || qrc=$?
QPID=""
T2=$(now)

rc=$(cat "$VBOARD_SHARE/exit_code" 2>/dev/null || true)
[[ $rc =~ ^[0-9]+$ ]] || rc=255
ready=$(grep -ao 'VBOARD: ready at uptime [0-9.]*' "$VBOARD_SHARE/console.log" 2>/dev/null | awk '{print $NF}' || true)
note=""; [ "$qrc" = 124 ] && note=" (TIMED OUT after ${VBOARD_TIMEOUT}s)"
awk -v a="$T0" -v b="$T1" -v c="$T2" -v sz="$IMG_SIZE" -v k="$KVER" -v q="$qrc" -v rc="$rc" \
    -v rdy="${ready:-?}" -v sh="$VBOARD_SHARE" -v note="$note" 'BEGIN {
  printf "VBOARD-HOST: kernel %s, initramfs %s built in %.1fs, qemu rc=%s ran %.1fs (guest ready at %ss), total %.1fs, exit=%s%s, share %s\n",
    k, sz, b - a, q, c - b, rdy, c - a, rc, note, sh }' | tee -a "$VBOARD_SHARE/console.log"
exit "$rc"
