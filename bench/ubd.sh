#!/usr/bin/env bash
# bench/ubd.sh — disk benchmarks: the same file I/O natively (a directory of the host's
# filesystem) and in a guest whose root is an ext4 image (mke2fs -t ext4 -d) booted
# through a COW file; prints guest/native ratios. Then the host memory that 4 instances
# sharing one backing file use. Orientation only: never a pass/fail test.
#
#   sequential write of BENCH_MIB (default 256) MiB in 1 MiB writes + fsync, read back;
#   4 KiB preads at random offsets of that file (BENCH_RAND, default 20000);
#   busybox tar -x of a 20 MB tree of 2000 files.
#
# Environment: BENCH_MIB, BENCH_RAND, BENCH_KEEP=1 (keep the scratch directory),
# UMLINUX (default build/umlinux), TMPDIR (where images and native files go).
set -u
case "${1:-}" in -h|--help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac
cd "$(dirname "$0")/.." || exit 1
UMLINUX=${UMLINUX:-build/umlinux}
MIB=${BENCH_MIB:-256}
RAND=${BENCH_RAND:-20000}
PATH=$PATH:/sbin:/usr/sbin
for t in gcc mke2fs; do command -v $t >/dev/null || { echo "bench/ubd.sh: $t not found" >&2; exit 1; }; done
[ -x "$UMLINUX" ] || { echo "bench/ubd.sh: $UMLINUX not built (run make)" >&2; exit 1; }
src=$(scripts/make-busybox-root.sh --path) || exit 1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/umlinux-bench-ubd.XXXXXX") || exit 1
cleanup() {
	for p in "$tmp"/uml/*/pid; do [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null; done
	[ "${BENCH_KEEP:-0}" = 1 ] && echo "# kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT

echo "# command: bench/ubd.sh (BENCH_MIB=$MIB BENCH_RAND=$RAND)"
echo "# host: $(uname -srm), $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%MZ), scratch on $(df -P "$tmp" | awk 'NR==2 {print $1}')"
echo "# commit: $(git rev-parse --short HEAD 2>/dev/null || echo none)"

gcc -static -O2 -o "$tmp/disk_io" bench/disk_io.c || exit 1
mkdir -p "$tmp/tree" "$tmp/root" "$tmp/native"
for i in $(seq 2000); do head -c 10240 /dev/urandom >"$tmp/tree/f$i"; done
tar -C "$tmp" -cf "$tmp/tree.tar" tree && rm -rf "$tmp/tree"
cp -a "$src/." "$tmp/root/"
mkdir -p "$tmp/root/bench" "$tmp/root/data"
cp "$tmp/disk_io" "$tmp/tree.tar" "$tmp/root/bench/"
mke2fs -q -t ext4 -d "$tmp/root" "$tmp/root.img" $((MIB * 2 + 256))M >/dev/null || exit 1
rm -rf "$tmp/root"

native() { "$tmp/disk_io" "$@" | awk '{print $2}'; }
n_w=$(native seqwrite "$tmp/native" "$MIB")
n_r=$(native seqread "$tmp/native")
n_rr=$(native randread "$tmp/native" "$RAND")
n_t=$(native untar "$tmp/native" "$tmp/tree.tar")

script="/bench/disk_io seqwrite /data $MIB; /bench/disk_io seqread /data; /bench/disk_io randread /data $RAND;"
script+=" /bench/disk_io untar /data /bench/tree.tar; sync; poweroff -f"
out=$(timeout 600 "$UMLINUX" quiet ubda="$tmp/cow,$tmp/root.img" mem=256M uml_dir="$tmp/uml" \
	init=/bin/sh -- -c "$script" </dev/null 2>&1 | tr -d '\r')
guest() { awk -v k="$1" '$1 == k {print $2}' <<<"$out"; }

row() {   # name native-ns guest-ns unit-divisor unit
	local ratio="n/a"
	[ -n "$3" ] && ratio=$(awk -v g="$3" -v n="$2" 'BEGIN {printf "%.1fx", g / n}')
	printf '%-12s %12s %12s %8s\n' "$1" "$(awk -v v="$2" -v d="$4" 'BEGIN {printf "%.1f %s", v / d, "'"$5"'"}')" \
		"$( [ -n "$3" ] && awk -v v="$3" -v d="$4" 'BEGIN {printf "%.1f %s", v / d, "'"$5"'"}' || echo n/a)" "$ratio"
}
printf '%-12s %12s %12s %8s\n' benchmark native guest ratio
row seqwrite "$n_w" "$(guest seqwrite)" 1000000 ms/MiB
row seqread "$n_r" "$(guest seqread)" 1000000 ms/MiB
row randread4k "$n_rr" "$(guest randread4k)" 1000 us
row untar-20MB "$n_t" "$(guest untar)" 1000000 ms

# Host memory of 4 instances on one backing file: proportional set size of each kernel
# process and its task hosts, while every guest sleeps.
pss_of() {   # pid: PSS in KiB of it and its descendants
	local total=0 p kids
	total=$(awk '/^Pss:/ {s += $2} END {print s + 0}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0)
	for kids in /proc/"$1"/task/*/children; do
		for p in $(cat "$kids" 2>/dev/null); do total=$((total + $(pss_of "$p"))); done
	done
	echo "$total"
}
for i in 1 2 3 4; do
	timeout 120 "$UMLINUX" quiet umid=bench$i ubda="$tmp/cow$i,$tmp/root.img" mem=128M uml_dir="$tmp/uml" \
		init=/bin/sh -- -c 'ls -R / >/dev/null 2>&1; sleep 30' </dev/null >/dev/null 2>&1 &
done
sleep 8
total=0
for i in 1 2 3 4; do
	p=$(cat "$tmp/uml/bench$i/pid" 2>/dev/null) || continue
	total=$((total + $(pss_of "$p")))
done
echo "memory: 4 instances sharing one backing file: $((total / 1024)) MiB PSS in all, $((total / 4096)) MiB each"
