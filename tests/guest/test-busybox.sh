#!/usr/bin/env bash
# The BusyBox userland in the guest: a shell script exercising pipelines, jobs, signals,
# file tools, archives, process tools and users (tests/guest/busybox/basics.sh).
set -u
. "$(dirname "$0")/../lib.sh"

if [ ! -x "$UMLINUX" ]; then skip busybox "kernel not built"; finish; fi
root=$TMPDIR/root
umlinux_root_copy "$root" || { fail busybox-root "cannot copy the BusyBox root"; finish; }
mkdir -p "$root/tests"
cp "$UMLINUX_TOP/tests/guest/busybox/basics.sh" "$root/tests/"
out=$(GUEST_TIMEOUT=120 run_guest "$root" init=/bin/sh -- /tests/basics.sh 2>&1; echo "rc=$?")
rc=$(tail -1 <<<"$out"); rc=${rc#rc=}
out=$(tr -d '\r' <<<"$out")   # the console's ONLCR, as on a serial line
while IFS= read -r line; do
	case "$line" in
	"ok "*) pass "busybox/${line#ok }" ;;
	"not ok "*) n=${line#not ok }; fail "busybox/${n%%:*}" "${n#*: }" ;;
	esac
done <<<"$out"
if grep -qx done <<<"$out" && [ "$rc" -eq 0 ]; then pass busybox/complete
else fail busybox/complete "script did not finish (exit $rc): $(tail -3 <<<"$out" | tr '\n' ' ')"; fi
finish
