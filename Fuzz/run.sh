#!/usr/bin/env bash
# Builds and runs a libFuzzer target: Fuzz/run.sh <target> [seconds]
#   target   sip, sdp, ...: the entry is Fuzz/<TARGET>/main.swift, compiled together with the
#            target's sources as one module: the files listed in Fuzz/<TARGET>/sources.txt when
#            there is one, else every Sources/<TARGET>/*.swift that does not import Crypto
#            (swiftc alone cannot link the package's Crypto).
#   seconds  how long to fuzz, default 60.
# Seeds come from Fuzz/corpus/<target>/ (kept small and commit-worthy); new inputs and crash
# artifacts go under $FUZZ_OUT (default /tmp/kioskd-fuzz/<target>). Exits non-zero when libFuzzer
# finds a crash, a leak or a timeout.
set -euo pipefail

target=${1:?usage: Fuzz/run.sh <target> [seconds]}
seconds=${2:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
module=$(printf '%s' "$target" | tr '[:lower:]' '[:upper:]')
entry="$root/Fuzz/$module/main.swift"
seeds="$root/Fuzz/corpus/$target"
out="${FUZZ_OUT:-/tmp/kioskd-fuzz}/$target"

[ -f "$entry" ] || { echo "no fuzz entry $entry" >&2; exit 2; }
[ -d "$seeds" ] || { echo "no seed corpus $seeds" >&2; exit 2; }

sources=()
if [ -f "$root/Fuzz/$module/sources.txt" ]; then
    while IFS= read -r name; do
        case "$name" in ''|'#'*) continue ;; esac
        sources+=("$root/Sources/$module/$name")
    done < "$root/Fuzz/$module/sources.txt"
else
    for file in "$root/Sources/$module"/*.swift; do
        grep -q '^import Crypto' "$file" || sources+=("$file")
    done
fi

mkdir -p "$out/corpus"
binary="$out/fuzz-$target"
echo "building $binary from ${#sources[@]} source files" >&2
swiftc -parse-as-library -sanitize=fuzzer,address -O -module-name "${module}Fuzz" \
    "${sources[@]}" "$entry" -o "$binary"

# New inputs go to the first corpus directory, so the committed seeds stay as they are.
"$binary" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
    -artifact_prefix="$out/" "$out/corpus" "$seeds"
