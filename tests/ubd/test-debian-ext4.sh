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
debian_root_copy "$root"
case $? in
0) ;;
3) skip debian-ext4 "no Debian root: $DEBIAN_ROOT_WHY"; finish ;;
*) fail debian-ext4-root "scripts/make-debian-root.sh failed: $DEBIAN_ROOT_WHY"; finish ;;
esac
mkdir -p "$root/tests"
cp "$UMLINUX_TOP"/tests/debian/guest/*.sh "$root/tests/"
cd "$TMPDIR" || exit 1
mke2fs -q -t ext4 -d "$root" root.img 768M >/dev/null || { fail debian-ext4-mkfs "mke2fs failed"; finish; }
rm -rf "$root"
sum_before=$(sha256sum <root.img)

# Names of root.sh's checks that fail on ext4 for a known reason.
known_ext4() {
	case $1 in
	root/pmap) echo "/proc/<pid>/maps names ext4 mappings by their page-cache memfd, not the library's path" ;;
	*) return 1 ;;
	esac
}

mkdir -p uml
out=$(timeout --foreground -k 5 240 "$UMLINUX" quiet ubda="$TMPDIR/cow,$TMPDIR/root.img" mem=256M \
	uml_dir="$TMPDIR/uml" init=/bin/bash -- -c 'bash /tests/root.sh; echo "rc=$?"; poweroff -f' </dev/null 2>&1)
out=$(tr -d '\r' <<<"$out")
while IFS= read -r line; do
	case "$line" in
	"ok "*) pass "debian-ext4/${line#ok }" ;;
	"not ok "*)
		n=${line#not ok }; n=${n%%:*}
		if why=$(known_ext4 "$n"); then xfail "debian-ext4/$n" "$why"; else fail "debian-ext4/$n" "${line#*: }"; fi ;;
	"xfail "*) n=${line#xfail }; xfail "debian-ext4/${n%%:*}" "${n#*: }" ;;
	esac
done <<<"$out"
if grep -qx done <<<"$out" && grep -qx 'rc=0' <<<"$out"; then pass debian-ext4/complete
else fail debian-ext4/complete "script did not finish: $(tail -3 <<<"$out" | tr '\n' ' ')"; fi
[ "$(sha256sum <root.img)" = "$sum_before" ] && pass debian-ext4/backing-unchanged || fail debian-ext4/backing-unchanged
"$UMLINUX_TOP/build/uml_moo" cow merged.img &&
	if e2fsck -fn merged.img >fsck.log 2>&1; then pass debian-ext4/merged-clean
	else fail debian-ext4/merged-clean "$(tail -4 fsck.log | tr '\n' '|')"; fi
finish
