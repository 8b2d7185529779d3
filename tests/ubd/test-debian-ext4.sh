#!/usr/bin/env bash
# The Debian bookworm root (scripts/make-debian-root.sh) as an ext4 image booted through
# a COW file: the checks of tests/debian/guest/root.sh, then poweroff; the backing image
# is unchanged and the merged image is clean for e2fsck -fn.
set -u
. "$(dirname "$0")/../lib.sh"

if [ ! -x "$UMLINUX" ]; then skip debian-ext4 "kernel not built"; finish; fi
command -v mke2fs >/dev/null || PATH=$PATH:/sbin:/usr/sbin
command -v mke2fs >/dev/null || { skip debian-ext4 "mke2fs not installed (e2fsprogs)"; finish; }
root=$TMPDIR/root
need_debian_root debian-ext4 "$root"
mkdir -p "$root/tests"
cp "$UMLINUX_TOP"/tests/debian/guest/*.sh "$root/tests/"
cd "$TMPDIR" || exit 1
mke2fs -q -t ext4 -d "$root" root.img 768M >/dev/null || { fail debian-ext4-mkfs "mke2fs failed"; finish; }
rm -rf "$root"
sum_before=$(sha256sum <root.img)

# Names of root.sh's checks that fail on ext4 for a known reason.
known_ext4() {
	case $1 in
	*) return 1 ;;
	esac
}

mkdir -p uml
out=$(timeout --foreground -k 5 240 "$UMLINUX" quiet ubda="$TMPDIR/cow,$TMPDIR/root.img" mem=256M \
	uml_dir="$TMPDIR/uml" init=/bin/bash -- -c 'bash /tests/root.sh; echo "rc=$?"; poweroff -f' </dev/null 2>&1)
out=$(tr -d '\r' <<<"$out")
guest_results debian-ext4 known_ext4 <<<"$out"
if grep -qx done <<<"$out" && grep -qx 'rc=0' <<<"$out"; then pass debian-ext4/complete
else fail debian-ext4/complete "script did not finish: $(tail -3 <<<"$out" | tr '\n' ' ')"; fi
[ "$(sha256sum <root.img)" = "$sum_before" ] && pass debian-ext4/backing-unchanged || fail debian-ext4/backing-unchanged
"$UMLINUX_TOP/build/uml_moo" cow merged.img &&
	if e2fsck -fn merged.img >fsck.log 2>&1; then pass debian-ext4/merged-clean
	else fail debian-ext4/merged-clean "$(tail -4 fsck.log | tr '\n' '|')"; fi

# A second disk: made, checked and mounted with Debian's e2fsprogs in the guest; grown on
# the host, seen at its new size at the next boot, and grown by resize2fs (offline).
truncate -s 64M data.img
out=$(timeout --foreground -k 5 120 "$UMLINUX" quiet ubda="$TMPDIR/cow,$TMPDIR/root.img" ubdb="$TMPDIR/data.img" \
	mem=256M uml_dir="$TMPDIR/uml" init=/bin/bash -- -c 'export PATH=/usr/sbin:/sbin:$PATH
		mkfs.ext4 -q /dev/ubdb && echo mkfs-ok; e2fsck -fn /dev/ubdb >/dev/null 2>&1 && echo fsck-ok
		mount /dev/ubdb /mnt && echo on-data > /mnt/f && umount /mnt && echo mount-ok
		blkid -o value -s TYPE /dev/ubdb; poweroff -f' </dev/null 2>&1 | tr -d '\r')
for w in mkfs-ok fsck-ok mount-ok ext4; do
	grep -qx "$w" <<<"$out" && pass "debian-ext4/second-disk-$w" || fail "debian-ext4/second-disk-$w" "$(tail -4 <<<"$out" | tr '\n' '|')"
done
truncate -s 128M data.img
out=$(timeout --foreground -k 5 120 "$UMLINUX" quiet ubda="$TMPDIR/cow,$TMPDIR/root.img" ubdb="$TMPDIR/data.img" \
	mem=256M uml_dir="$TMPDIR/uml" init=/bin/bash -- -c 'export PATH=/usr/sbin:/sbin:$PATH
		echo "size $(blockdev --getsize64 /dev/ubdb)"; e2fsck -fp /dev/ubdb >/dev/null 2>&1; resize2fs /dev/ubdb >/dev/null 2>&1
		mount /dev/ubdb /mnt && echo "blocks $(stat -f -c %b /mnt)" && cat /mnt/f; umount /mnt; poweroff -f' </dev/null 2>&1 | tr -d '\r')
grep -qx 'size 134217728' <<<"$out" && pass debian-ext4/grown-disk-size || fail debian-ext4/grown-disk-size "$(tail -4 <<<"$out" | tr '\n' '|')"
grep -qx 'blocks 131072' <<<"$out" && grep -qx on-data <<<"$out" && pass debian-ext4/resize2fs ||
	fail debian-ext4/resize2fs "$(tail -4 <<<"$out" | tr '\n' '|')"
if e2fsck -fn data.img >fsck2.log 2>&1; then pass debian-ext4/second-disk-clean
else fail debian-ext4/second-disk-clean "$(tail -4 fsck2.log | tr '\n' '|')"; fi
finish
