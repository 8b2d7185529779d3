#!/usr/bin/env bash
# A Debian bookworm userland (debootstrap --variant=minbase, scripts/make-debian-root.sh)
# booted on hostfs with init=/bin/bash: tests/debian/guest/root.sh checks the shell,
# coreutils, findutils, grep/sed/mawk, archives, perl, python3, dpkg/apt offline,
# processes and procfs, users; then user.sh repeats the user-facing part as uid 1000.
set -u
. "$(dirname "$0")/../lib.sh"

if [ ! -x "$UMLINUX" ]; then skip debian "kernel not built"; finish; fi
root=$TMPDIR/root
need_debian_root debian "$root"
mkdir -p "$root/tests"
cp "$UMLINUX_TOP"/tests/debian/guest/*.sh "$root/tests/"

out=$(GUEST_TIMEOUT=240 run_guest "$root" mem=256M init=/bin/bash -- /tests/root.sh 2>&1; echo "rc=$?")
rc=$(tail -1 <<<"$out"); rc=${rc#rc=}
out=$(tr -d '\r' <<<"$out")   # the console's ONLCR, as on a serial line
guest_results debian <<<"$out"
if grep -qx done <<<"$out" && [ "$rc" -eq 0 ]; then pass debian/complete
else fail debian/complete "script did not finish (exit $rc): $(tail -3 <<<"$out" | tr '\n' ' ')"; fi
finish
