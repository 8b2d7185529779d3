#!/usr/bin/env bash
# bench/debian.sh — Debian userland workloads, natively (chrooted into a copy of the
# Debian root, so both sides run the very same binaries) and in a guest booted with
# init=/bin/bash on another copy, once with the copy as a hostfs root and once made into
# a humfs tree (humfsify); prints guest/native ratios. Orientation only: never a
# pass/fail test.
#
#   untar      tar xzf of a 20 MB tree (2000 files of 10 KiB)
#   sha256sum  find | xargs sha256sum over that tree
#   commands   a shell script running 2000 small commands (/bin/true, a dynamic binary)
#
# Each workload runs twice on each side and the second (warm) time is kept. Needs root
# (chroot) and the Debian root (scripts/make-debian-root.sh, built if missing).
# Environment: BENCH_KEEP=1 (keep the scratch directory), UMLINUX (default build/umlinux),
# TMPDIR (where the copies go).
set -u
case "${1:-}" in -h|--help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac
cd "$(dirname "$0")/.." || exit 1
UMLINUX=${UMLINUX:-build/umlinux}
[ -x "$UMLINUX" ] || { echo "bench/debian.sh: $UMLINUX not built (run make)" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "bench/debian.sh: needs root (chroot)" >&2; exit 1; }
src=$(scripts/make-debian-root.sh --path) || exit 1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/umlinux-bench-debian.XXXXXX") || exit 1
cleanup() { [ "${BENCH_KEEP:-0}" = 1 ] && echo "# kept $tmp" || rm -rf "$tmp"; }
trap cleanup EXIT

echo "# command: bench/debian.sh"
echo "# host: $(uname -srm), $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "# commit: $(git rev-parse --short HEAD 2>/dev/null || echo none)"

# The workload, run by bash inside the root; prints "<name> <ns>" per workload.
cat >"$tmp/work.sh" <<'EOF'
cd /benchwork || exit 1
run() {   # name command...: the second of two runs
	local name=$1 s e
	shift
	"$@" >/dev/null 2>&1
	s=$(date +%s%N)
	"$@" >/dev/null 2>&1
	e=$(date +%s%N)
	echo "$name $((e - s))"
}
untar() { rm -rf tree && tar xzf tree.tgz; }
sums() { find tree -type f -print0 | xargs -0 sha256sum; }
commands() { local i; for i in $(seq 2000); do /bin/true; done; }
run untar untar
run sha256sum sums
run commands commands
EOF
mkdir -p "$tmp/tree/tree"
for d in $(seq 20); do
	mkdir -p "$tmp/tree/tree/d$d"
	for f in $(seq 100); do head -c 10240 /dev/urandom >"$tmp/tree/tree/d$d/f$f"; done
done
tar -C "$tmp/tree" -czf "$tmp/tree.tgz" tree && rm -rf "$tmp/tree"

setup_root() {   # dir: a copy of the Debian root with the workload in it
	mkdir -p "$1" && cp -a --reflink=auto "$src/." "$1/" || exit 1
	mkdir -p "$1/benchwork" "$1/bench"
	cp "$tmp/tree.tgz" "$1/benchwork/"
	cp "$tmp/work.sh" "$1/bench/"
}
setup_root "$tmp/native"
setup_root "$tmp/guest"
setup_root "$tmp/hum/data"
(cd "$tmp/hum" && "$OLDPWD/build/humfsify" root root 8G >/dev/null) || exit 1

native=$(unshare -m chroot "$tmp/native" /bin/bash /bench/work.sh 2>&1)
guest=$(timeout 600 "$UMLINUX" quiet root=/dev/root rootfstype=hostfs rootflags="$tmp/guest" \
	mem=256M uml_dir="$tmp/uml" init=/bin/bash -- /bench/work.sh </dev/null 2>&1 | tr -d '\r')
humfs=$(timeout 600 "$UMLINUX" quiet root=/dev/root rootfstype=humfs rootflags="$tmp/hum" \
	mem=256M uml_dir="$tmp/uml" init=/bin/bash -- /bench/work.sh </dev/null 2>&1 | tr -d '\r')
value() { awk -v k="$1" '$1 == k {print $2}' <<<"$2"; }

printf '%-12s %10s %10s %9s %10s %9s\n' workload "native ms" "hostfs ms" hostfs/nat "humfs ms" humfs/nat
for w in untar sha256sum commands; do
	n=$(value "$w" "$native") g=$(value "$w" "$guest") h=$(value "$w" "$humfs")
	awk -v w="$w" -v n="${n:-0}" -v g="${g:-0}" -v h="${h:-0}" 'function r(x) { return n && x ? sprintf("%8.1fx", x / n) : "      n/a" }
		function ms(x) { return x ? sprintf("%10.1f", x / 1e6) : "       n/a" }
		BEGIN {printf "%-12s %s %s %s %s %s\n", w, ms(n), ms(g), r(g), ms(h), r(h)}'
done
