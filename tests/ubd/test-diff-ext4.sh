#!/usr/bin/env bash
# The differential programs (tests/guest/test-diff.sh) with the guest's root on an ext4
# image booted through a COW file instead of hostfs: the oracle is still the host
# kernel. Known failures: the hostfs list, less what is hostfs's own (file owners),
# plus what ext4 adds (tests/ubd/diff-known-failing-ext4.txt).
set -u
. "$(dirname "$0")/../lib.sh"
command -v mke2fs >/dev/null || PATH=$PATH:/sbin:/usr/sbin
command -v mke2fs >/dev/null || { skip diff-ext4 "mke2fs not installed (e2fsprogs)"; finish; }
known=$TMPDIR/known-failing-ext4.txt
grep -v -E '^creds[[:space:]]' "$UMLINUX_TOP/tests/guest/diff/known-failing.txt" >"$known"
cat "$UMLINUX_TOP/tests/ubd/diff-known-failing-ext4.txt" >>"$known"
cd "$UMLINUX_TOP" || exit 1
DIFF_ROOT=ext4 DIFF_KNOWN=$known tests/guest/test-diff.sh "$@" | sed 's/^\(PASS\|FAIL\|XFAIL\|SKIP\) diff\//\1 diff-ext4\//'
exit "${PIPESTATUS[0]}"
