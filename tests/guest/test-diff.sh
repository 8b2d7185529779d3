#!/bin/bash
# Differential tests: small static C programs (tests/guest/diff/*.c) run
# natively on the host (the oracle) and as init inside umlinux; stdout and
# exit status must match.
#
#   tests/guest/test-diff.sh            build, run natively and in the guest, compare
#   tests/guest/test-diff.sh --native   build and run natively only: each program twice,
#                                       from / and from another cwd, outputs must match
#   tests/guest/test-diff.sh NAME...    only these programs (either mode)
#
# Programs named guest-only-*.c are not run natively; in the guest they must
# print only "... ok" lines (between the markers) and exit 0.
# Programs listed in tests/guest/diff/known-failing.txt ("name  # reason")
# are XFAIL when they fail and FAIL when they unexpectedly pass.
#
# Only the lines from "=== begin ===" to "=== end: ... ===" are compared (the
# kernel may print before and after); carriage returns are dropped.
# Each guest run gets 20 s; all guest runs together DIFF_BUDGET seconds
# (default 150), after which the remaining programs are skipped.
set -u

cd "$(dirname "$0")/../.." || exit 1
REPO=$(pwd)

if [ -f tests/lib.sh ]; then
	# shellcheck source=/dev/null
	. tests/lib.sh
fi
# Private fallbacks for whatever tests/lib.sh does not (yet) provide.
if ! declare -F pass >/dev/null; then
	_DIFF_NPASS=0 _DIFF_NFAIL=0 _DIFF_NSKIP=0 _DIFF_NXFAIL=0
	pass()  { echo "PASS $1"; _DIFF_NPASS=$((_DIFF_NPASS + 1)); }
	fail()  { echo "FAIL $1${2:+: $2}"; _DIFF_NFAIL=$((_DIFF_NFAIL + 1)); }
	skip()  { echo "SKIP $1: ${2:-}"; _DIFF_NSKIP=$((_DIFF_NSKIP + 1)); }
	xfail() { echo "XFAIL $1: ${2:-}"; _DIFF_NXFAIL=$((_DIFF_NXFAIL + 1)); }
	finish() {
		echo "diff: $_DIFF_NPASS passed, $_DIFF_NFAIL failed, $_DIFF_NXFAIL xfail, $_DIFF_NSKIP skipped"
		[ "$_DIFF_NFAIL" -eq 0 ] && exit 0
		exit 1
	}
fi
if ! declare -F umlinux_root_copy >/dev/null; then
	umlinux_root_copy() {
		local src
		src=$(scripts/make-busybox-root.sh --path 2>/dev/null) || return 1
		[ -n "$src" ] && [ -d "$src" ] || return 1
		mkdir -p "$1" && cp -a "$src/." "$1/"
	}
fi

MODE=full
if [ "${1:-}" = "--native" ]; then
	MODE=native
	shift
fi

SRC=tests/guest/diff
OUT=build/guest-tests
KNOWN=${DIFF_KNOWN:-$SRC/known-failing.txt}   # DIFF_KNOWN=/dev/null shows every diff
UMLINUX=${UMLINUX:-build/umlinux}

if [ "$MODE" = full ] && [ ! -x "$UMLINUX" ]; then
	skip diff/all "kernel not built"
	exit 0
fi

if [ -n "${UMLINUX_TEST_TMP:-}" ]; then
	TMP=$(mktemp -d "$UMLINUX_TEST_TMP/diff.XXXXXX") || exit 1   # lib.sh removes it
else
	TMP=$(mktemp -d /tmp/umlinux-diff.XXXXXX) || exit 1
	trap 'chmod -R u+rwX "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
fi
mkdir -p "$OUT"

# ---- which programs -------------------------------------------------------
NAMES=()
if [ $# -gt 0 ]; then
	for n in "$@"; do
		n=${n#diff/}
		n=${n%.c}
		NAMES+=("$n")
	done
else
	for f in "$SRC"/*.c; do
		n=${f##*/}
		NAMES+=("${n%.c}")
	done
fi

# ---- build (in parallel, skipping up-to-date binaries) ---------------------
build_one() {
	local n=$1 src=$SRC/$1.c bin=$OUT/$1
	local h fresh=1
	for h in "$src" "$SRC"/*.h; do   # check.h and the helpers some programs share
		[ "$bin" -nt "$h" ] || fresh=0
	done
	if [ -x "$bin" ] && [ $fresh = 1 ]; then
		return 0
	fi
	gcc -static -O1 -pthread -Wall -o "$bin" "$src" >"$TMP/$n.cc" 2>&1 ||
		{ rm -f "$bin"; touch "$TMP/$n.ccfail"; }
}
export -f build_one
export SRC OUT TMP
printf '%s\n' "${NAMES[@]}" | xargs -P "$(nproc)" -I{} bash -c 'build_one "$1" || true' _ {}
BUILT=()
for n in "${NAMES[@]}"; do
	if [ ! -f "$SRC/$n.c" ]; then
		fail "diff/$n" "no such program $SRC/$n.c"
	elif [ -x "$OUT/$n" ] && [ ! -e "$TMP/$n.ccfail" ]; then
		BUILT+=("$n")
	else
		fail "diff/$n" "compile error"
		sed 's/^/    /' "$TMP/$n.cc" | head -30
	fi
done

# ---- helpers ----------------------------------------------------------------
# Keep only the region from "=== begin ===" to "=== end: ... ===" (whole
# output if there is no begin marker), without carriage returns.
region() {
	tr -d '\r' <"$1" | awk '
		!on && /^=== begin ===$/ { on = 1 }
		on { print }
		on && /^=== end: .* ===$/ { exit }
		{ all[NR] = $0 }
		END { if (!on) for (i = 1; i <= NR; i++) print all[i] }'
}

known_reason() {  # prints the reason and succeeds if $1 is known-failing
	[ -f "$KNOWN" ] || return 1
	local line
	line=$(grep -E "^[[:space:]]*$1([[:space:]]|#|\$)" "$KNOWN" | head -1) || return 1
	[ -n "$line" ] || return 1
	local why=${line#*#}
	[ "$why" = "$line" ] && why="known failing"
	echo "${why# }"
}

run_native() {  # name cwd outfile -> exit status
	(cd "$2" && exec env -i PATH=/bin:/usr/bin timeout 20 "$REPO/$OUT/$1" </dev/null >"$3" 2>"$3.err")
}

show_diff() {
	diff -u --label native --label guest "$1" "$2" | head -60 | sed 's/^/    /'
}

# ---- native-only mode ---------------------------------------------------------
if [ "$MODE" = native ]; then
	mkdir -p "$TMP/cwd"
	for n in "${BUILT[@]}"; do
		case $n in guest-only-*) continue ;; esac
		run_native "$n" / "$TMP/$n.a"; rc1=$?
		run_native "$n" / "$TMP/$n.b"; rc2=$?
		run_native "$n" "$TMP/cwd" "$TMP/$n.c"; rc3=$?
		region "$TMP/$n.a" >"$TMP/$n.ra"
		region "$TMP/$n.b" >"$TMP/$n.rb"
		region "$TMP/$n.c" >"$TMP/$n.rc"
		if [ $rc1 -ne 0 ]; then
			fail "native/$n" "exit status $rc1"
			tail -20 "$TMP/$n.a" | sed 's/^/    /'
		elif [ $rc2 -ne $rc1 ] || [ $rc3 -ne $rc1 ]; then
			fail "native/$n" "exit status differs between runs: $rc1 $rc2 $rc3"
		elif ! cmp -s "$TMP/$n.ra" "$TMP/$n.rb"; then
			fail "native/$n" "output differs between two runs"
			show_diff "$TMP/$n.ra" "$TMP/$n.rb"
		elif ! cmp -s "$TMP/$n.ra" "$TMP/$n.rc"; then
			fail "native/$n" "output depends on the cwd"
			show_diff "$TMP/$n.ra" "$TMP/$n.rc"
		elif grep -q 'not ok' "$TMP/$n.ra"; then
			fail "native/$n" "prints 'not ok' natively"
			grep 'not ok' "$TMP/$n.ra" | head -10 | sed 's/^/    /'
		else
			pass "native/$n"
		fi
	done
	finish
	exit 0
fi

# ---- guest root: one copy for all programs ----------------------------------
ROOT=$TMP/root
if ! umlinux_root_copy "$ROOT" >"$TMP/rootcopy.log" 2>&1 || [ ! -d "$ROOT" ]; then
	skip diff/all "busybox root not available"
	exit 0
fi
mkdir -p "$ROOT/tests" "$ROOT/tmp"
chmod 1777 "$ROOT/tmp"
for n in "${BUILT[@]}"; do
	cp "$OUT/$n" "$ROOT/tests/$n"
done

if ! declare -F run_guest >/dev/null; then
	run_guest() {
		local rootdir=$1
		shift
		mkdir -p "$TMP/uml"
		timeout --foreground -k 5 "${GUEST_TIMEOUT:-20}" "$UMLINUX" quiet root=/dev/root \
			rootfstype=hostfs rootflags="$rootdir" mem=128M uml_dir="$TMP/uml" "$@" </dev/null
	}
fi
run_guest_prog() {  # name outfile -> exit status
	GUEST_TIMEOUT=20 run_guest "$ROOT" "init=/tests/$1" >"$2" 2>"$2.err"
}
# DIFF_ROOT=ext4: the same root as an ext4 image booted through a COW file
# (tests/ubd/test-diff-ext4.sh).
if [ "${DIFF_ROOT:-hostfs}" = ext4 ]; then
	mke2fs -q -t ext4 -d "$ROOT" "$TMP/root.img" 256M >/dev/null || { fail diff/mke2fs; finish; }
	run_guest_prog() {
		mkdir -p "$TMP/uml"
		timeout --foreground -k 5 20 "$UMLINUX" quiet ubda="$TMP/root.cow,$TMP/root.img" mem=128M \
			uml_dir="$TMP/uml" "init=/tests/$1" </dev/null >"$2" 2>"$2.err"
	}
fi

report() {  # name ok(0/1) why
	local n=$1 ok=$2 why=$3 reason
	if reason=$(known_reason "$n"); then
		if [ "$ok" = 1 ]; then
			fail "diff/$n" "unexpectedly passes; remove from known-failing.txt"
		else
			xfail "diff/$n" "$reason"
		fi
		return 1
	fi
	if [ "$ok" = 1 ]; then
		pass "diff/$n"
		return 1
	fi
	fail "diff/$n" "$why"
	return 0   # caller prints details
}

BUDGET=${DIFF_BUDGET:-150}   # seconds for all guest runs; a hanging kernel must not eat the suite
SECONDS=0
for n in "${BUILT[@]}"; do
	if [ "$SECONDS" -ge "$BUDGET" ]; then
		skip "diff/$n" "time budget of ${BUDGET}s used up (DIFF_BUDGET)"
		continue
	fi
	case $n in
	guest-only-*)
		run_guest_prog "$n" "$TMP/$n.guest"; grc=$?
		region "$TMP/$n.guest" | grep -v -E '^=== (begin|end: .*) ===$' >"$TMP/$n.rg"
		bad=$(grep -c -v -E '(^|: )ok$' "$TMP/$n.rg")
		if [ $grc -eq 0 ] && [ -s "$TMP/$n.rg" ] && [ "$bad" -eq 0 ] &&
			region "$TMP/$n.guest" | grep -q -E '^=== end: exited 0 ===$'; then
			report "$n" 1 ""
		elif report "$n" 0 "guest-only: not all lines ok, or exit status $grc"; then
			tail -30 "$TMP/$n.guest" | sed 's/^/    /'
		fi
		;;
	*)
		run_native "$n" / "$TMP/$n.native"; nrc=$?
		region "$TMP/$n.native" >"$TMP/$n.rn"
		if [ $nrc -ne 0 ]; then
			fail "diff/$n" "native run failed with exit status $nrc"
			tail -20 "$TMP/$n.native" | sed 's/^/    /'
			continue
		fi
		run_guest_prog "$n" "$TMP/$n.guest"; grc=$?
		region "$TMP/$n.guest" >"$TMP/$n.rg"
		if [ $grc -eq $nrc ] && cmp -s "$TMP/$n.rn" "$TMP/$n.rg"; then
			report "$n" 1 ""
		elif why="output differs" && { [ $grc -eq $nrc ] || why="exit status native $nrc, guest $grc"; } &&
			report "$n" 0 "$why"; then
			show_diff "$TMP/$n.rn" "$TMP/$n.rg"
			if [ -s "$TMP/$n.guest.err" ]; then
				echo "    guest stderr:"
				tail -10 "$TMP/$n.guest.err" | sed 's/^/      /'
			fi
		fi
		;;
	esac
done
finish
exit 0
