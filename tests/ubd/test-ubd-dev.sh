#!/usr/bin/env bash
# ubd disks as guest block devices: /dev/ubd* nodes, reads through a COW file to its
# backing file, writes landing in the COW file only, the BLK* ioctls, the end of the
# disk, host locking between two instances, bad switches and bad COW files, and what
# uml_moo (ours and Debian's) makes of the COW file the guest wrote.
set -u
. "$(dirname "$0")/../lib.sh"

if [ ! -x "$UMLINUX" ]; then skip ubd-dev "kernel not built"; finish; fi
root=$TMPDIR/root
umlinux_root_copy "$root" || { fail ubd-dev-root "cannot copy the BusyBox root"; finish; }
cd "$TMPDIR" || exit 1

# boot ARGS...: run_guest without "quiet", for the kernel's messages about the disks
boot() {
	mkdir -p "$TMPDIR/uml"
	timeout --foreground -k 5 "$GUEST_TIMEOUT" "$UMLINUX" root=/dev/root rootfstype=hostfs \
		rootflags="$root" mem=128M uml_dir="$TMPDIR/uml" "$@" </dev/null
}

printf 'hello from the backing file' >back.img
truncate -s 1M back.img
touch -d @1577934245 back.img
sum_before=$(sha256sum <back.img)
truncate -s 2M plain.img

cat >"$root/t.sh" <<'EOF'
ls -l /dev/ubda /dev/ubdb /dev/ubdc 2>&1
mount -t proc proc /proc
echo "part: $(grep ' ubdb$' /proc/partitions)"
echo "devices: $(grep ' ubd$' /proc/devices)"
echo "read: $(dd if=/dev/ubdb bs=27 count=1 2>/dev/null)"
echo "size: $(blockdev --getsize64 /dev/ubdb) ss: $(blockdev --getss /dev/ubdb) ro: $(blockdev --getro /dev/ubdb)"
echo -n "GUEST WROTE THIS" | dd of=/dev/ubdb bs=1 seek=1000 conv=notrunc 2>/dev/null
echo "reread: $(dd if=/dev/ubdb bs=1 skip=1000 count=16 2>/dev/null)"
dd if=/dev/zero of=/dev/ubdb bs=512 seek=2048 count=1 2>/dev/null && echo "past end: written" || echo "past end: refused"
echo "at end: $(dd if=/dev/ubdb bs=512 skip=2048 count=1 2>/dev/null | wc -c)"
dd if=/dev/ubdc of=/dev/null bs=2M count=1 2>&1 | grep -q '^1+0 records in' && echo "whole read: yes"
dd if=/dev/ubdc of=/dev/ubdc bs=2M count=1 2>&1 | grep -q "^1+0 records out" && echo "whole write: yes"
echo -n plain | dd of=/dev/ubdc bs=512 seek=3 conv=notrunc 2>/dev/null
dd if=/dev/zero of=/dev/ubdd bs=512 count=1 2>/dev/null && echo "ro: written" || echo "ro: refused"
sync
poweroff -f
EOF
truncate -s 64K ro.img
out=$(run_guest "$root" ubdb="$TMPDIR/cow1,$TMPDIR/back.img" ubdc="$TMPDIR/plain.img" \
	ubddr="$TMPDIR/ro.img" init=/bin/sh -- /t.sh 2>&1)
rc=$?
out=$(tr -d '\r' <<<"$out")
check() {   # NAME PATTERN: the guest's output has a line matching PATTERN
	grep -qE "$2" <<<"$out" && pass "$1" || fail "$1" "no line matching '$2' in: $(tr '\n' '|' <<<"$out" | tail -c 600)"
}
check ubd/node-ubdb '^brw-rw---- .* 98, +16 .*/dev/ubdb$'
check ubd/node-ubdc '^brw-rw---- .* 98, +32 .*/dev/ubdc$'
check ubd/no-ubda 'ubda: No such file'
check ubd/proc-partitions '^part: +98 +16 +1024 ubdb$'
check ubd/proc-devices '^devices: +98 ubd$'
check ubd/reads-backing '^read: hello from the backing file$'
check ubd/ioctls '^size: 1048576 ss: 512 ro: 0$'
check ubd/reads-own-write '^reread: GUEST WROTE THIS$'
check ubd/end-is-enospc '^past end: refused$'
check ubd/read-at-end-eof '^at end: 0$'
check ubd/read-only-flag '^ro: refused$'
check ubd/whole-2M-read '^whole read: yes$'
check ubd/whole-2M-write '^whole write: yes$'
[ "$rc" = 0 ] && pass ubd/poweroff || fail ubd/poweroff "exit $rc"

[ "$(sha256sum <back.img)" = "$sum_before" ] && pass ubd/backing-unchanged || fail ubd/backing-unchanged
[ -f cow1 ] && [ "$("$UMLINUX_TOP/tests/ubd/cowpoke.py" bits cow1)" = 1 ] &&
	pass ubd/cow-created-one-sector || fail ubd/cow-created-one-sector "bits: $("$UMLINUX_TOP/tests/ubd/cowpoke.py" bits cow1 2>&1)"
[ "$(dd if=plain.img bs=512 skip=3 count=1 2>/dev/null | head -c 5)" = plain ] &&
	pass ubd/plain-image-written || fail ubd/plain-image-written
for moo in "$UMLINUX_TOP/build/uml_moo" /usr/bin/uml_moo; do
	[ -x "$moo" ] || continue
	name=ubd/merge-$( [ "$moo" = /usr/bin/uml_moo ] && echo debian || echo ours)
	rm -f merged.img
	if "$moo" cow1 merged.img >/dev/null 2>&1 &&
		[ "$(head -c 27 merged.img)" = "hello from the backing file" ] &&
		[ "$(dd if=merged.img bs=1 skip=1000 count=16 2>/dev/null)" = "GUEST WROTE THIS" ] &&
		[ "$(stat -c %s merged.img)" = 1048576 ]; then pass "$name"; else fail "$name"; fi
done

# a second instance can't write the COW file the first one holds; the message says why
( run_guest "$root" umid=holder ubdb="$TMPDIR/cow1" init=/bin/sh -- -c 'sleep 30' >/dev/null 2>&1 & )
for _ in $(seq 50); do [ -d "$TMPDIR/uml/holder" ] && break; sleep 0.1; done
sleep 0.5
out=$(boot umid=second ubdb="$TMPDIR/cow1" init=/bin/sh -- -c 'ls /dev/ubdb; poweroff -f' 2>&1)
case $out in
*"Failed to lock '$TMPDIR/cow1'"*"in use by another UML"*"No such file"*) pass ubd/host-lock ;;
*) fail ubd/host-lock "$(tr '\n' '|' <<<"$out" | tail -c 400)" ;;
esac
out=$(boot umid=third ubdbc="$TMPDIR/cow1" init=/bin/sh -- -c 'ls /dev/ubdb; poweroff -f' 2>&1)
[[ $out == *"Not locking \"$TMPDIR/cow1\" on the host"*"/dev/ubdb"* ]] && pass ubd/shared-flag ||
	fail ubd/shared-flag "$(tr '\n' '|' <<<"$out" | tail -c 400)"
[ -f "$TMPDIR/uml/holder/pid" ] && kill "$(cat "$TMPDIR/uml/holder/pid")" 2>/dev/null
for _ in $(seq 50); do [ -d "$TMPDIR/uml/holder" ] || break; sleep 0.1; done

# bad switches and files: clear messages, the rest of the machine boots
touch -d @1600000000 back.img
out=$(boot ubdb="$TMPDIR/cow1" ubdq=x ubdcx=y ubde=missing.img \
	init=/bin/sh -- -c 'ls /dev/; poweroff -f' 2>&1)
grep -q 'ubdb: backing file .*back.img was modified since .*cow1 was made' <<<"$out" &&
	pass ubd/backing-mtime-refused || fail ubd/backing-mtime-refused "$(tr '\n' '|' <<<"$out" | head -c 600)"
grep -q 'Failed to initialize device with "q=x" : Device number out of range' <<<"$out" &&
	pass ubd/bad-unit-message || fail ubd/bad-unit-message
grep -q "Failed to initialize device with \"cx=y\" : Expected '=' or flag letter (r, s, c, t or d)" <<<"$out" &&
	pass ubd/bad-flag-message || fail ubd/bad-flag-message
grep -q "ubde: can't open 'missing.img': No such file or directory" <<<"$out" &&
	pass ubd/missing-file-message || fail ubd/missing-file-message
finish
