#!/usr/bin/env bash
# bench/run.sh — run the bench/ micro-benchmarks natively and inside umlinux, print
# guest/native ratios. See bench/README.md. Timings are for orientation only: never use
# them as pass/fail tests.
#
# Environment:
#   BENCH=name[,name...]   run only these (getppid clock_gettime pipe_rtt epoll_pingpong fork_wait
#                          fork_exec pread4k pwrite4k boot_halt)
#   BENCH_SCALE=f          multiply every native iteration count by f (default 1)
#   BENCH_GUEST_DIV=n      guest iterations = native iterations / n, for every benchmark
#                          (default: per benchmark, see the table below)
#   BENCH_NATIVE_RUNS=n    native runs per benchmark, the median is shown (default 3)
#   BENCH_BOOTS=n          guest boots for boot_halt, the median is shown (default 3)
#   BENCH_TIMEOUT=s        limit for one guest boot, seconds (default 60)
#   BENCH_TASKSET=cpus     pin this script, so every native and guest run, to these CPUs
#                          (taskset -c syntax; default: unpinned)
#   BENCH_KEEP=1           keep the temporary directory (guest root, logs)
#   UMLINUX=path           kernel binary (default build/umlinux)
#   BUSYBOX_ROOT=dir       BusyBox root to copy (default: scripts/make-busybox-root.sh --path)
# Benchmark names may also be given as arguments: bench/run.sh getppid fork_exec
set -u

case "${1:-}" in -h|--help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac

# The command line, for the closing notes (before any defaults are filled in).
qt() { case $1 in *[!A-Za-z0-9_,./:=+-]*|'') printf "'%s'" "${1//\'/\'\\\'\'}" ;; *) printf '%s' "$1" ;; esac; }
envs=""
for v in BENCH BENCH_SCALE BENCH_GUEST_DIV BENCH_NATIVE_RUNS BENCH_BOOTS BENCH_TIMEOUT \
	 BENCH_TASKSET BENCH_KEEP UMLINUX BUSYBOX_ROOT TMPDIR; do
	[ -n "${!v+x}" ] && envs+="$v=$(qt "${!v}") "
done
args=""
for a in "$@"; do args+=" $(qt "$a")"; done
[ $# -gt 0 ] && BENCH="${BENCH:+$BENCH,}$(IFS=,; echo "$*")"

cd "$(dirname "$0")/.." || exit 1
OUT=build/bench
UMLINUX=${UMLINUX:-build/umlinux}
SCALE=${BENCH_SCALE:-1}
NATIVE_RUNS=${BENCH_NATIVE_RUNS:-3}
BOOTS=${BENCH_BOOTS:-3}
TIMEOUT=${BENCH_TIMEOUT:-60}

# name  native-iterations  guest-divisor
# Native counts give roughly 0.2-1 s per run on the 2-core reference VM; the divisors keep
# each guest run to a few seconds even if the guest is 150x slower.
TABLE="getppid 2000000 20
clock_gettime 2000000 20
pipe_rtt 10000 10
epoll_pingpong 10000 10
fork_wait 2000 10
fork_exec 600 10
pread4k 400000 20
pwrite4k 300000 20"
ALL="$(echo "$TABLE" | awk '{print $1}') boot_halt"

echo "# command: ${envs}bench/run.sh$args"
echo "# host: $(uname -srm), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "# commit: $(git rev-parse --short HEAD 2>/dev/null || echo none)"

want() {
	[ -z "${BENCH:-}" ] && return 0
	case ",${BENCH// /,}," in *",$1,"*) return 0 ;; esac
	return 1
}
if [ -n "${BENCH:-}" ]; then
	for b in ${BENCH//,/ }; do
		case " $(echo $ALL) " in *" $b "*) ;; *)
			echo "run.sh: unknown benchmark '$b' (known: $(echo $ALL))" >&2; exit 2 ;;
		esac
	done
fi

# Pinning the script pins every native and guest run it starts (affinity is inherited).
if [ -n "${BENCH_TASKSET:-}" ]; then
	taskset -pc "$BENCH_TASKSET" $$ >/dev/null || { echo "run.sh: taskset -pc $BENCH_TASKSET failed" >&2; exit 2; }
fi

# ---- build -------------------------------------------------------------------------
mkdir -p "$OUT"
for p in $(echo "$TABLE" | awk '{print $1}'); do
	want "$p" || continue
	gcc -static -O2 -Wall -Wextra -o "$OUT/$p" "bench/$p.c" || { echo "run.sh: build of $p failed" >&2; exit 1; }
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/umlinux-bench.XXXXXX") || exit 1
cleanup() { [ "${BENCH_KEEP:-}" = 1 ] && echo "# kept $TMP" >&2 || rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- guest setup ---------------------------------------------------------------------
GUEST_OK=1
GUEST_WHY=""
if [ ! -x "$UMLINUX" ]; then
	GUEST_OK=0; GUEST_WHY="$UMLINUX missing (run make)"
elif ! BBROOT=${BUSYBOX_ROOT:-$(scripts/make-busybox-root.sh --path 2>"$TMP/rootpath.err")} || [ ! -d "$BBROOT" ]; then
	GUEST_OK=0; GUEST_WHY="no BusyBox root (scripts/make-busybox-root.sh --path failed)"
elif ! cp -a "$BBROOT" "$TMP/root" 2>"$TMP/cp.err"; then
	GUEST_OK=0; GUEST_WHY="copying the BusyBox root failed"
else
	mkdir -p "$TMP/root/bench" "$TMP/root/tmp" "$TMP/uml"
	chmod 1777 "$TMP/root/tmp"
	for p in $(echo "$TABLE" | awk '{print $1}'); do
		want "$p" && cp "$OUT/$p" "$TMP/root/bench/$p"
	done
fi
if [ $GUEST_OK = 1 ]; then
	echo "# guest: $UMLINUX quiet root=/dev/root rootfstype=hostfs rootflags=$TMP/root mem=128M uml_dir=$TMP/uml init=/bench/<prog> <iterations> </dev/null"
else
	echo "# guest: n/a: $GUEST_WHY"
fi

# The native twin of the guest's /bin/true: the root's own BusyBox when there is one (same
# binary as in the guest), else the host's static BusyBox, else the host's /bin/true.
if [ $GUEST_OK = 1 ] && [ -x "$TMP/root/bin/busybox" ] && [ ! -L "$TMP/root/bin/busybox" ]; then
	NATIVE_TRUE="$TMP/root/bin/busybox"
elif [ -x /bin/busybox ]; then
	NATIVE_TRUE=/bin/busybox
else
	NATIVE_TRUE=/bin/true
fi
echo "# native /bin/true: $NATIVE_TRUE (run with argv[0]=true)"

# ---- helpers -------------------------------------------------------------------------
median() { sort -g | awk '{v[NR]=$1} END {if (NR) print v[int((NR+1)/2)]}'; }
now_ns() { date +%s%N; }

# guest_run <log-prefix> <init> [args...]: boots once; leaves stdout/stderr in the logs and
# returns umlinux's exit status.
guest_run() {
	local log=$1; shift
	local init=$1; shift
	timeout -k 5 "$TIMEOUT" "$UMLINUX" quiet root=/dev/root rootfstype=hostfs \
		rootflags="$TMP/root" mem=128M uml_dir="$TMP/uml" init="$init" "$@" \
		</dev/null >"$log.out" 2>"$log.err"
}

fail_hint() { # name, log prefix
	{
		echo "run.sh: guest $1 failed; last lines of its output${BENCH_KEEP:+ (logs in $2.out/.err)}:"
		tail -q -n 3 "$2.err" "$2.out" 2>/dev/null | tr -d '\r' | sed 's/^/    /'
	} >&2
}

ROWS=()
row() { # name native guest ratio iters notes
	ROWS+=("$(printf '%-14s %14s %14s %9s  %-15s %s' "$@")")
}

# ---- benchmarks ----------------------------------------------------------------------
while read -r name iters div; do
	want "$name" || continue
	n=$(awk -v n="$iters" -v s="$SCALE" 'BEGIN {v=int(n*s); print v<1?1:v}')
	g=$(awk -v n="$n" -v d="${BENCH_GUEST_DIV:-$div}" 'BEGIN {v=int(n/d); print v<1?1:v}')
	extra=()
	[ "$name" = fork_exec ] && extra=("$NATIVE_TRUE")

	vals=""
	for _ in $(seq "$NATIVE_RUNS"); do
		v=$("$OUT/$name" "$n" "${extra[@]}" </dev/null | awk -v b="$name" '$1==b {print $2}')
		[ -n "$v" ] && vals+="$v"$'\n'
	done
	nat=$(printf '%s' "$vals" | median)
	notes=""
	[ -z "$nat" ] && { nat=n/a; notes="native run failed"; }

	gst=n/a
	if [ $GUEST_OK = 1 ]; then
		guest_run "$TMP/$name" "/bench/$name" "$g"
		rc=$?
		gst=$(tr -d '\r' <"$TMP/$name.out" | awk -v b="$name" '$1==b && $2+0>0 {print $2; exit}')
		if [ -z "$gst" ]; then
			gst=n/a
			case $rc in 124|137) notes="guest timed out (${TIMEOUT}s)" ;; *) notes="guest failed, rc=$rc" ;; esac
			fail_hint "$name" "$TMP/$name"
		fi
	else
		notes="${notes:-guest n/a}"
	fi
	ratio=n/a
	[ "$nat" != n/a ] && [ "$gst" != n/a ] && ratio=$(awk -v a="$gst" -v b="$nat" 'BEGIN {printf "%.2f", a/b}')
	row "$name" "$nat" "$gst" "$ratio" "$n/$([ $GUEST_OK = 1 ] && echo "$g" || echo -)" "$notes"
done <<<"$TABLE"

# boot_halt: wall-clock of a whole boot with init=/bin/true versus running /bin/true natively.
if want boot_halt; then
	reps=20
	# A symlink named true, so BusyBox picks the applet from argv[0].
	mkdir -p "$TMP/native" && ln -sf "$NATIVE_TRUE" "$TMP/native/true"
	t0=$(now_ns)
	okn=1
	for _ in $(seq $reps); do
		"$TMP/native/true" </dev/null || okn=0
	done
	t1=$(now_ns)
	nat=n/a; nat_s=n/a
	if [ $okn = 1 ]; then
		nat=$(awk -v a="$t0" -v b="$t1" -v r=$reps 'BEGIN {printf "%.0f", (b-a)/r}')
		nat_s=$(awk -v x="$nat" 'BEGIN {printf "%.4f", x/1e9}')
	fi
	gst=n/a; gst_s=n/a; notes=""
	if [ $GUEST_OK = 1 ]; then
		vals=""
		for i in $(seq "$BOOTS"); do
			t0=$(now_ns)
			guest_run "$TMP/boot$i" /bin/true
			rc=$?
			t1=$(now_ns)
			# The kernel's exit status after init exits is its own business; only a timeout,
			# a missing binary or a crash of umlinux itself counts as a failed boot.
			if [ $rc = 124 ] || [ $rc = 137 ] || [ $rc = 126 ] || [ $rc = 127 ] || [ $rc -gt 128 ]; then
				notes="guest boot failed, rc=$rc"
				fail_hint boot_halt "$TMP/boot$i"
				vals=""; break
			fi
			[ $rc != 0 ] && notes="umlinux rc=$rc"
			vals+="$((t1 - t0))"$'\n'
		done
		[ -n "$vals" ] && gst=$(printf '%s' "$vals" | median)
		[ "$gst" != n/a ] && gst_s=$(awk -v x="$gst" 'BEGIN {printf "%.3f", x/1e9}')
	fi
	ratio=n/a
	[ "$nat" != n/a ] && [ "$gst" != n/a ] && ratio=$(awk -v a="$gst" -v b="$nat" 'BEGIN {printf "%.2f", a/b}')
	row boot_halt "$nat" "$gst" "$ratio" "$reps/$([ $GUEST_OK = 1 ] && echo "$BOOTS" || echo -)" \
		"native ${nat_s} s; guest $([ "$gst_s" = n/a ] && echo n/a || echo "${gst_s} s (median of $BOOTS boots)")${notes:+; $notes}"
fi

echo
printf '%-14s %14s %14s %9s  %-15s %s\n' benchmark "native ns/op" "guest ns/op" "guest/nat" "iters nat/gst" notes
printf '%-14s %14s %14s %9s  %-15s %s\n' --------- ------------ ----------- --------- ------------- -----
for r in "${ROWS[@]}"; do echo "$r"; done
