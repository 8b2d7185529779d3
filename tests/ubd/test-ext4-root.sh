#!/usr/bin/env bash
# The BusyBox root on an ext4 image (mke2fs -t ext4 -d) through a COW file: filesystem
# operations in the guest (tests/ubd/fsops.sh), sync and halt; the backing file never
# changes; both uml_moos merge the COW into an image that e2fsck -fn finds clean and
# that holds the guest's files; a second boot sees them; two instances share one
# backing file; kill -9 in the middle of writes leaves a repairable image in which
# what was synced survives; ext2/ext3 roots; a dirty journal and a non-ext disk are
# refused with a clear message; a second disk is made, checked and mounted in the guest.
set -u
. "$(dirname "$0")/../lib.sh"

if [ ! -x "$UMLINUX" ]; then skip ext4-root "kernel not built"; finish; fi
for t in mke2fs e2fsck debugfs; do
	command -v $t >/dev/null || PATH=$PATH:/sbin:/usr/sbin
	command -v $t >/dev/null || { skip ext4-root "$t not installed (e2fsprogs)"; finish; }
done
root=$TMPDIR/root
umlinux_root_copy "$root" || { fail ext4-root-copy "cannot copy the BusyBox root"; finish; }
cp "$UMLINUX_TOP/tests/ubd/fsops.sh" "$root/"
have_mmap=0
gcc -static -O1 -o "$root/mmap_check" "$UMLINUX_TOP/tests/ubd/mmap_check.c" 2>/dev/null && have_mmap=1
cd "$TMPDIR" || exit 1
mke2fs -q -t ext4 -d "$root" root.img 64M >/dev/null || { fail ext4-mkfs "mke2fs failed"; finish; }
sum_before=$(sha256sum <root.img)

# boot ARGS...: the kernel with a disk root, not quiet (its disk messages are checked)
boot() {
	mkdir -p "$TMPDIR/uml"
	timeout --foreground -k 5 "$GUEST_TIMEOUT" "$UMLINUX" mem=128M uml_dir="$TMPDIR/uml" "$@" </dev/null 2>&1 |
		stdbuf -oL tr -d '\r'
}
# fsck_clean NAME IMAGE: e2fsck -fn finds nothing to fix
fsck_clean() {
	local out
	if out=$(e2fsck -fn "$2" 2>&1); then pass "$1"; else fail "$1" "$(tail -5 <<<"$out" | tr '\n' '|')"; fi
}
# has_file NAME IMAGE PATH TEXT: PATH in the image holds TEXT
has_file() {
	local got
	got=$(debugfs -R "cat $3" "$2" 2>/dev/null)
	[ "$got" = "$4" ] && pass "$1" || fail "$1" "$3 holds '$got'"
}

# --- the guest works on its root, then halts ------------------------------------------
out=$(boot ubda="$TMPDIR/cow1,$TMPDIR/root.img" init=/bin/sh -- -c '/fsops.sh; [ -x /mmap_check ] && /mmap_check; poweroff -f')
[ $have_mmap = 1 ] || skip ext4/mmap "no static gcc to build tests/ubd/mmap_check.c"
grep -q '^Creating "'"$TMPDIR"'/cow1" as COW file for "'"$TMPDIR"'/root.img"$' <<<"$out" &&
	pass ext4/cow-created || fail ext4/cow-created "$(head -c 300 <<<"$out")"
grep -q '^VFS: Mounted root (ext4 filesystem).$' <<<"$out" && pass ext4/root-mounted ||
	fail ext4/root-mounted "$(grep -m2 -E 'VFS|EXT4|panic' <<<"$out")"
guest_results ext4 <<<"$out"
grep -qx done <<<"$out" && pass ext4/fsops-complete || fail ext4/fsops-complete "$(tail -3 <<<"$out" | tr '\n' '|')"
[ "$(sha256sum <root.img)" = "$sum_before" ] && pass ext4/backing-unchanged || fail ext4/backing-unchanged

"$UMLINUX_TOP/build/uml_moo" cow1 ours.img && fsck_clean ext4/merged-by-ours-clean ours.img
has_file ext4/merged-by-ours-has-files ours.img /keep keep-me
[ $have_mmap = 1 ] && [ "$(debugfs -R 'cat /mapped' ours.img 2>/dev/null | head -c 1006 | tail -c 6)" = MAPPED ] &&
	pass ext4/mmap-write-in-image || { [ $have_mmap = 0 ] || fail ext4/mmap-write-in-image; }
if [ -x /usr/bin/uml_moo ]; then
	/usr/bin/uml_moo cow1 debian.img && fsck_clean ext4/merged-by-debian-clean debian.img
	has_file ext4/merged-by-debian-has-files debian.img /w/l2 data
	cmp -s ours.img debian.img && pass ext4/merges-agree || fail ext4/merges-agree
fi

# a second boot on the same COW file finds what the first one wrote
out=$(boot ubda="$TMPDIR/cow1,$TMPDIR/root.img" init=/bin/sh -- -c 'cat /keep /w/l2; poweroff -f')
grep -q '^keep-me$' <<<"$out" && grep -q '^data$' <<<"$out" && pass ext4/second-boot-sees-files ||
	fail ext4/second-boot-sees-files "$(tail -5 <<<"$out" | tr '\n' '|')"

# --- two instances share one backing file at once ------------------------------------
for who in a b; do
	( boot umid=share-$who ubda="$TMPDIR/cow-$who,$TMPDIR/root.img" init=/bin/sh -- -c \
		"echo $who > /who; i=0; while [ \$i -lt 50 ]; do echo \$i > /n-\$i; i=\$((i+1)); done; sync; sleep 1; poweroff -f" \
		>share-$who.log ) &
done
wait
for who in a b; do
	"$UMLINUX_TOP/build/uml_moo" cow-$who share-$who.img && fsck_clean ext4/shared-$who-clean share-$who.img
	has_file ext4/shared-$who-own-file share-$who.img /who $who
done
[ "$(sha256sum <root.img)" = "$sum_before" ] && pass ext4/shared-backing-unchanged || fail ext4/shared-backing-unchanged

# --- kill -9 in the middle of writing --------------------------------------------------
rm -f crash.cow
( boot umid=crash ubda="$TMPDIR/crash.cow,$TMPDIR/root.img" init=/bin/sh -- -c \
	'echo precious > /synced; sync; echo SYNCED; i=0; while :; do dd if=/dev/zero of=/junk-$((i % 20)) bs=4k count=64 2>/dev/null; i=$((i+1)); done' \
	>crash.log ) &
for _ in $(seq 100); do grep -q SYNCED crash.log 2>/dev/null && break; sleep 0.1; done
sleep 1
pid=$(cat "$TMPDIR/uml/crash/pid" 2>/dev/null)
if [ -n "$pid" ] && grep -q SYNCED crash.log; then
	kill -9 "$pid"
	wait
	"$UMLINUX_TOP/build/uml_moo" crash.cow crashed.img
	e2fsck -fy crashed.img >fsck-repair.log 2>&1
	rc=$?
	[ "$rc" -le 2 ] && pass ext4/kill9-repairable || fail ext4/kill9-repairable "e2fsck -fy exit $rc: $(tail -3 fsck-repair.log | tr '\n' '|')"
	fsck_clean ext4/kill9-clean-after-repair crashed.img
	has_file ext4/kill9-synced-file-intact crashed.img /synced precious
	out=$(boot umid=after ubda="$TMPDIR/crashed.img" init=/bin/sh -- -c 'cat /synced; poweroff -f')
	grep -q '^precious$' <<<"$out" && pass ext4/kill9-reboot || fail ext4/kill9-reboot "$(tail -3 <<<"$out" | tr '\n' '|')"
	# the COW file itself boots again too (the filesystem says it was not unmounted)
	out=$(boot umid=after2 ubda="$TMPDIR/crash.cow,$TMPDIR/root.img" init=/bin/sh -- -c 'cat /synced; poweroff -f')
	grep -q '^precious$' <<<"$out" && grep -q 'mounting unchecked fs' <<<"$out" && pass ext4/kill9-cow-boots ||
		fail ext4/kill9-cow-boots "$(tail -4 <<<"$out" | tr '\n' '|')"
else
	wait
	fail ext4/kill9 "the guest never synced: $(tail -3 crash.log | tr '\n' '|')"
fi

# --- ext2 and ext3 roots, named as such --------------------------------------------------
for type in ext2 ext3; do
	mke2fs -q -t $type -d "$root" $type.img 32M >/dev/null
	out=$(boot umid=$type ubda="$TMPDIR/$type.img" init=/bin/sh -- -c 'echo x > /new; sync; poweroff -f')
	grep -q "^VFS: Mounted root ($type filesystem).$" <<<"$out" && pass $type/root ||
		fail $type/root "$(grep -m2 -E 'VFS|panic' <<<"$out")"
	fsck_clean $type/clean-after-halt $type.img
	has_file $type/has-file $type.img /new x
done

# --- refusals ---------------------------------------------------------------------------
cp --sparse=always root.img dirty.img
debugfs -w -R "feature needs_recovery" dirty.img >/dev/null 2>&1
out=$(boot umid=dirty ubda="$TMPDIR/dirty.img" init=/bin/sh -- -c 'poweroff -f')
grep -q 'the journal needs recovery' <<<"$out" && grep -q 'run e2fsck -fy' <<<"$out" &&
	grep -q 'Kernel panic - not syncing: VFS: Unable to mount root fs' <<<"$out" &&
	pass ext4/dirty-journal-refused || fail ext4/dirty-journal-refused "$(grep -m3 -E 'EXT4|panic|VFS' <<<"$out" | tr '\n' '|')"
truncate -s 8M zero.img
out=$(boot umid=zero ubda="$TMPDIR/zero.img" init=/bin/sh -- -c 'poweroff -f')
grep -q 'Unable to mount root fs (any type on /dev/ubda)' <<<"$out" && pass ext4/not-a-filesystem ||
	fail ext4/not-a-filesystem "$(grep -m2 -E 'panic|VFS' <<<"$out")"

# --- a second disk: mkfs, fsck and mount in the guest -----------------------------------
truncate -s 16M data.img
out=$(boot umid=data ubda="$TMPDIR/cow1,$TMPDIR/root.img" ubdb="$TMPDIR/data.img" init=/bin/sh -- -c \
	'mount -t proc proc /proc; mke2fs /dev/ubdb >/dev/null && mount /dev/ubdb /mnt && echo on-data > /mnt/f && umount /mnt && mount -t ext2 /dev/ubdb /mnt && cat /mnt/f; grep ubdb /proc/mounts; poweroff -f')
grep -q '^on-data$' <<<"$out" && grep -q '^/dev/ubdb /mnt ext2 ' <<<"$out" && pass ext4/second-disk-mkfs-mount ||
	fail ext4/second-disk-mkfs-mount "$(tail -5 <<<"$out" | tr '\n' '|')"
fsck_clean ext4/second-disk-clean data.img
has_file ext4/second-disk-file data.img /f on-data
finish
