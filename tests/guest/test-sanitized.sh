#!/usr/bin/env bash
# The kernel built with AddressSanitizer and UndefinedBehaviorSanitizer (make san) runs
# the BusyBox userland test, the lifecycle test and the differential programs; any
# sanitizer report fails the run.
set -u
. "$(dirname "$0")/../lib.sh"

san=$UMLINUX_TOP/build-san/umlinux
if ! make -C "$UMLINUX_TOP" -s -j2 san >"$TMPDIR/san-build.log" 2>&1; then
	fail sanitized/build "make san failed: $(tail -5 "$TMPDIR/san-build.log" | tr '\n' ' ')"
	finish
fi
pass sanitized/build
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:print_summary=1
export UBSAN_OPTIONS=print_stacktrace=1
for t in guest/test-busybox.sh guest/test-lifecycle.sh guest/test-diff.sh; do
	name=sanitized/$(basename "$t" .sh)
	UMLINUX=$san "$UMLINUX_TOP/tests/$t" >"$TMPDIR/out" 2>&1
	rc=$?
	if grep -qE "ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer" "$TMPDIR/out"; then
		fail "$name" "sanitizer report: $(grep -m1 -E "ERROR: AddressSanitizer|runtime error:" "$TMPDIR/out")"
	elif [ $rc -ne 0 ]; then
		fail "$name" "$(grep -m3 '^FAIL' "$TMPDIR/out" | tr '\n' ' ')"
	else
		pass "$name"
	fi
done
finish
