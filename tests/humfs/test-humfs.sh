#!/usr/bin/env bash
# humfs in a BusyBox guest, with the kernel run by an unprivileged host user (nobody,
# when the test runs as root): a tree made by Debian's humfsify read as it recorded it;
# a tree made by our humfsify changed by every kind of operation and then checked file
# by file on the host (tests/humfs/check-tree.py); guest users and device nodes, which
# hostfs cannot give an unprivileged host user (the book's demonstration); the total
# enforced (ENOSPC), used kept current and a bigger total seen at the next mount;
# damaged trees refused or shown as EIO; and a backup taken after `stop` + `sysrq s`
# that is consistent.
set -u
. "$(dirname "$0")/../lib.sh"

if [ ! -x "$UMLINUX" ] || [ ! -x "$UMLINUX_TOP/build/humfsify" ]; then
	skip humfs "kernel or humfsify not built"; finish
fi
if [ "$(id -u)" -ne 0 ]; then skip humfs "needs root to make humfs trees (humfsify chowns)"; finish; fi
HUMFSIFY=$UMLINUX_TOP/build/humfsify
CHECK=$UMLINUX_TOP/tests/humfs/check-tree.py
AS_USER=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
chmod 755 "$TMPDIR"
root=$TMPDIR/root
umlinux_root_copy "$root" || { fail humfs-root "cannot copy the BusyBox root"; finish; }
cp "$UMLINUX_TOP/tests/humfs/guest/ops.sh" "$root/ops.sh"
gcc -static -O1 -Wall -o "$root/tmpfile" "$UMLINUX_TOP/tests/humfs/guest/tmpfile.c" \
	|| fail humfs/tmpfile-helper "cannot build tests/humfs/guest/tmpfile.c"
mkdir -p "$root/m1" "$root/m2" "$root/m3" "$root/bad" "$root/mnt"   # the root is the host's, read-only to nobody
H=$TMPDIR/h
mkdir -p "$H" "$TMPDIR/uml"
chown nobody:nogroup "$TMPDIR/uml"

# sample DIR: a data/ tree with one of each kind of file, owned by root.
sample() {
	mkdir -p "$1/data/etc" "$1/data/dev"
	echo secret >"$1/data/etc/passwd"
	chown 0:42 "$1/data/etc/passwd"; chmod 640 "$1/data/etc/passwd"
	ln -s passwd "$1/data/etc/link"
	mknod "$1/data/dev/null" c 1 3; mknod "$1/data/dev/blk" b 8 1
	mkfifo "$1/data/fifo"
	echo s >"$1/data/suid"; chmod 4755 "$1/data/suid"
}
humfsify_in() { (cd "$1" && shift && "$@") >"$TMPDIR/humfsify.out" 2>&1; }

if [ -x /usr/bin/humfsify ]; then
	sample "$H/deb"
	humfsify_in "$H/deb" /usr/bin/humfsify nobody nogroup 1M || fail humfs/debian-humfsify "$(cat "$TMPDIR/humfsify.out")"
fi
sample "$H/ours"
mkdir -p "$H/ours/data/sub/metadata" "$H/ours/data/filemeta"
echo f >"$H/ours/data/filemeta/metadata"
humfsify_in "$H/ours" "$HUMFSIFY" nobody nogroup 1M && pass humfs/humfsify-runs \
	|| fail humfs/humfsify-runs "$(cat "$TMPDIR/humfsify.out")"
# What our humfsify wrote, read back from its metadata files.
dump=$("$CHECK" "$H/ours" --dump)
expect_dump() {   # NAME LINE: check-tree's dump of the tree has LINE
	grep -qxF "$2" <<<"$dump" && pass "$1" || fail "$1" "no '$2' in: $(tr '\n' '|' <<<"$dump")"
}
expect_dump humfs/humfsify-mode-owner 'etc/passwd: 416 0 42'
expect_dump humfs/humfsify-setuid 'suid: 2541 0 0'
expect_dump humfs/humfsify-chardev 'dev/null: 420 0 0 c 1 3'
expect_dump humfs/humfsify-blockdev 'dev/blk: 420 0 0 b 8 1'
expect_dump humfs/humfsify-symlink 'etc/link: 511 0 0'
expect_dump humfs/humfsify-subdir-metadata 'sub/metadata/: 493 0 0'
[ -f "$H/ours/dir_metadata/sub/.metadata" ] && pass humfs/humfsify-collision-renamed \
	|| fail humfs/humfsify-collision-renamed "$(ls -a "$H/ours/dir_metadata/sub")"
[ "$(stat -c '%F %U' "$H/ours/data/dev/null")" = "regular empty file nobody" ] \
	&& pass humfs/humfsify-defuses-devices || fail humfs/humfsify-defuses-devices "$(stat -c '%F %U' "$H/ours/data/dev/null")"
grep -qx 'total 1048576' "$H/ours/superblock" && pass humfs/humfsify-superblock \
	|| fail humfs/humfsify-superblock "$(cat "$H/ours/superblock")"
out=$(cd "$H/ours" && "$HUMFSIFY" nobody nogroup 10Q); [ "$out" = "Bad filesystem size - '10Q'" ] \
	&& pass humfs/humfsify-bad-size || fail humfs/humfsify-bad-size "$out"
out=$(cd "$H/ours" && "$HUMFSIFY" nosuchuser nogroup 1M); [ "$out" = "User 'nosuchuser' not present in the password file" ] \
	&& pass humfs/humfsify-bad-user || fail humfs/humfsify-bad-user "$out"
out=$(cd "$H/ours" && "$HUMFSIFY" nobody nogroup 1K); [[ $out == "Current disk usage greater than the requested size - "* ]] \
	&& pass humfs/humfsify-too-small || fail humfs/humfsify-too-small "$out"
# superblock rewritten by the failed runs? they must leave it alone
grep -qx 'total 1048576' "$H/ours/superblock" || { cp "$H/ours/superblock" "$TMPDIR/sb.bad"; printf 'version 2\nmetadata shadow_fs\nused 65536\ntotal 1048576\n' >"$H/ours/superblock"; fail humfs/humfsify-failure-keeps-superblock "$(cat "$TMPDIR/sb.bad")"; }

# On a terminal, a large tree shows a running count.
mkdir -p "$H/many/data"; for i in $(seq 600); do : >"$H/many/data/f$i"; done
if command -v script >/dev/null; then
	out=$(cd "$H/many" && script -qec "$HUMFSIFY nobody nogroup 10M" /dev/null | tr '\r' '\n')
	grep -qx 'humfsify: 601 files, done' <<<"$out" && pass humfs/humfsify-progress \
		|| fail humfs/humfsify-progress "$(tail -c 200 <<<"$out")"
else
	skip humfs/humfsify-progress "no script(1)"
fi

mkdir -p "$H/small/data"; humfsify_in "$H/small" "$HUMFSIFY" nobody nogroup 64K
mkdir -p "$H/plain"; chmod 777 "$H/plain"
# damaged trees
for t in nosuper badsuper v1super nodata; do mkdir -p "$H/$t/data" "$H/$t/file_metadata" "$H/$t/dir_metadata"; done
printf 'version 2\nmetadata shadow_fs\nused 0\ntotal 1048576\n' >"$H/nodata/superblock"; rmdir "$H/nodata/data"
printf 'version 2\nmetadata shadow_fs\nused abc\ntotal 10\n' >"$H/badsuper/superblock"
printf 'version 1\nused 0\ntotal 100\n' >"$H/v1super/superblock"
mkdir -p "$H/damaged/data/devdir"
for f in good nometa nonnum longline symmeta; do echo "$f" >"$H/damaged/data/$f"; done
echo "outside secret" >"$TMPDIR/outside"; echo "420 0 0" >"$TMPDIR/outside-meta"
ln -s "$TMPDIR/outside" "$H/damaged/data/escape"   # a host symlink out of the tree
humfsify_in "$H/damaged" "$HUMFSIFY" nobody nogroup 1M
rm "$H/damaged/file_metadata/nometa"
echo "abc 0 0" >"$H/damaged/file_metadata/nonnum"
printf '420 0 0%0300d\n' 0 >"$H/damaged/file_metadata/longline"
echo "493 0 0 c 1 3" >"$H/damaged/dir_metadata/devdir/metadata"
echo "420 0 0" >"$H/damaged/file_metadata/ghost"
ln -sf "$TMPDIR/outside-meta" "$H/damaged/file_metadata/symmeta"   # metadata through a symlink
chown -R nobody:nogroup "$H"

out=$(timeout --foreground -k 5 "$GUEST_TIMEOUT" "${AS_USER[@]}" "$UMLINUX" quiet root=/dev/root \
	rootfstype=hostfs rootflags="$root" mem=128M uml_dir="$TMPDIR/uml" init=/bin/sh -- /ops.sh "$H" \
	</dev/null 2>&1)
out=$(tr -d '\r' <<<"$out")
check() {   # NAME LINE: the guest printed exactly LINE
	grep -qxF -- "$2" <<<"$out" && pass "$1" || fail "$1" "no '$2' in: $(tr '\n' '|' <<<"$out" | tail -c 1500)"
}
if [ -x /usr/bin/humfsify ]; then
	check humfs/debian-tree-mounts 'deb-mounted: yes'
	check humfs/debian-tree-root 'deb-stat /: drwxr-xr-x 0 0 0 0'
	check humfs/debian-tree-file 'deb-stat /etc/passwd: -rw-r----- 0 42 0 0'
	check humfs/debian-tree-symlink 'deb-stat /etc/link: lrwxrwxrwx 0 0 0 0'
	check humfs/debian-tree-chardev 'deb-stat /dev/null: crw-r--r-- 0 0 1 3'
	check humfs/debian-tree-blockdev 'deb-stat /dev/blk: brw-r--r-- 0 0 8 1'
	check humfs/debian-tree-fifo 'deb-stat /fifo: prw-r--r-- 0 0 0 0'
	check humfs/debian-tree-suid-dropped 'deb-stat /suid: -rwxr-xr-x 0 0 0 0'
	check humfs/debian-tree-read 'deb-read: secret'
else
	skip humfs/debian-tree "no /usr/bin/humfsify (Debian's uml-utilities)"
fi
check humfs/mount 'ours-mounted: yes'
check humfs/setuid-from-metadata 'ours-stat /suid: -rwsr-xr-x 0 0'
check humfs/device-from-metadata 'ours-stat /dev/null: crw-r--r-- 0 0 1 3'
check humfs/collisions-visible 'ours-stat /sub/metadata: directory regular file'
check humfs/chown-chmod 'ops-stat file1: -rws--x--- 1000 100 2'
check humfs/hard-link-shares 'ops-stat file1-link: -rws--x--- 1000 100 2'
check humfs/mknod-block 'ops-stat blk: block special file 8 1'
check humfs/mknod-char 'ops-stat chr: character special file 4 40'
check humfs/mknod-fifo 'ops-stat pipe: fifo'
check humfs/rename-dir-keeps-owners 'ops-stat moved: 5 5 deep'
check humfs/rename-over 'ops-stat victim: new'
check humfs/listing 'ops-ls: blk chr dev etc fifo file1 file1-link filemeta movein pipe sub sub2 sub3 suid sym victim '
check humfs/guest-user-owns-files 'user-file: user 600 8'
check humfs/guest-user-removes 'user-rm: ok'
check humfs/tmpfile-unnamed 'tmpfile-unnamed: 640 1000 100 0'
check humfs/tmpfile-named 'tmpfile-named: 640 1000 100 1'
check humfs/tmpfile-unlinked-leaves-nothing 'tmpfile-ls: tmpnamed '
check humfs/mknod-unprivileged-host 'mknod-humfs: block special file 62 0'
check humfs/hostfs-mknod-refused 'mknod-hostfs: mknod: /m3/ubda: Operation not permitted'
check humfs/umount 'ours-umount: ok'
check humfs/df-total 'small-df-before: 64 4 60 6% /m3'
check humfs/enospc 'small-dd: 1'
check humfs/enospc-fills 'small-size: 61440'
check humfs/enospc-append 'small-append: refused'
check humfs/df-full 'small-df-full: 64 64 0 100% /m3'
check humfs/df-after-rm 'small-df-after: 64 4 60 6% /m3'
check humfs/tmpfile-space-given-back 'small-df-tmpfile: 64 4 60 6% /m3'
check humfs/statfs-magic 'small-type: c0ffee'
for t in nosuper badsuper v1super nodata noarg; do check "humfs/refuses-$t" "bad-$t: refused"; done
check humfs/damaged-others-fine 'damaged-good: readable'
check humfs/damaged-no-metadata 'damaged-nometa: Input/output error'
check humfs/damaged-non-numeric 'damaged-nonnum: Input/output error'
check humfs/damaged-long-line 'damaged-longline: Input/output error'
check humfs/damaged-type-on-dir 'damaged-devdir: Input/output error'
check humfs/damaged-listing 'damaged-ls: /bad/devdir /bad/escape /bad/good /bad/longline /bad/nometa /bad/nonnum /bad/symmeta'
check humfs/metadata-symlink-not-followed 'damaged-symmeta: Input/output error'
check humfs/host-symlink-stays-inside 'damaged-escape: No such file or directory'
grep -q 'outside secret' <<<"$out" && fail humfs/no-escape-read "the guest read a file outside the tree" || pass humfs/no-escape-read
check humfs/msg-no-superblock "dmesg: humfs: $H/nosuper: cannot open its superblock file: No such file or directory (a humfs directory is made with humfsify)"
check humfs/msg-bad-superblock "dmesg: humfs: $H/badsuper/superblock: bad used"
check humfs/msg-v1 "dmesg: humfs: $H/v1super: version 1 trees (one metadata tree) are not supported; convert it with \`humfsify -r\` and humfsify again"
check humfs/msg-no-data "dmesg: humfs: $H/nodata: no data directory (No such file or directory)"
check humfs/msg-no-option 'dmesg: humfs: no host directory given: mount none DIR -t humfs -o HOSTDIR'
check humfs/msg-no-metadata "dmesg: humfs: $H/damaged: no metadata for data/nometa"
check humfs/msg-non-numeric "dmesg: humfs: $H/damaged: damaged metadata for data/nonnum: bad mode"
check humfs/msg-long-line "dmesg: humfs: $H/damaged: damaged metadata for data/longline: line too long"

# The tree the guest changed, file by file on the host.
dump=$("$CHECK" "$H/ours" --dump); rc=$?
[ "$rc" -eq 0 ] && pass humfs/tree-consistent || fail humfs/tree-consistent "$(grep problem <<<"$dump" | head -5 | tr '\n' '|')"
expect_dump humfs/meta-chmod-chown 'file1: 2504 1000 100'
expect_dump humfs/meta-hard-link 'file1-link: 2504 1000 100'
expect_dump humfs/meta-mknod-block 'blk: 420 0 0 b 8 1'
expect_dump humfs/meta-mknod-char 'chr: 420 0 0 c 4 64'
expect_dump humfs/meta-fifo 'pipe: 420 0 0'
expect_dump humfs/meta-symlink 'sym: 511 0 0'
expect_dump humfs/meta-renamed-dir 'movein/metadata/: 493 5 5'
expect_dump humfs/meta-renamed-deep 'movein/metadata/d2/f: 420 5 5'
expect_dump humfs/meta-subdir-metadata 'sub2/metadata/: 493 0 0'
expect_dump humfs/meta-file-in-metadata-dir 'sub2/metadata/inner: 420 0 0'
expect_dump humfs/meta-guest-device 'tmp/ubda: 420 0 0 b 98 0'
expect_dump humfs/meta-tmpfile-linked 'tmp/tmpnamed: 416 1000 100'
[ "$(stat -c %i "$H/ours/file_metadata/file1")" = "$(stat -c %i "$H/ours/file_metadata/file1-link")" ] \
	&& pass humfs/meta-hard-link-shared || fail humfs/meta-hard-link-shared "two metadata files"
[ -f "$H/ours/dir_metadata/sub3/metadata" ] && pass humfs/meta-name-restored \
	|| fail humfs/meta-name-restored "$(ls -a "$H/ours/dir_metadata/sub3")"
[ ! -e "$H/ours/file_metadata/gone" ] && [ ! -e "$H/ours/dir_metadata/gonedir" ] && [ ! -e "$H/ours/file_metadata/replacer" ] \
	&& pass humfs/meta-removed || fail humfs/meta-removed "leftover metadata"
[ "$(stat -c '%U %a' "$H/ours/data/file1")" = "nobody 644" ] && pass humfs/data-belongs-to-host-user \
	|| fail humfs/data-belongs-to-host-user "$(stat -c '%U %a' "$H/ours/data/file1")"
grep -qx 'used 4096' "$H/small/superblock" && pass humfs/used-kept-current \
	|| fail humfs/used-kept-current "$(tr '\n' ' ' <"$H/small/superblock")"

# A bigger total on the host is seen at the next mount.
sed -i 's/^total .*/total 131072/' "$H/small/superblock"
cat >"$root/grow.sh" <<EOF
mount -t proc proc /proc
mount none /mnt -t humfs -o $H/small && df -k /mnt | tr -s ' ' | sed -n '2s/^[^ ]* /grown-df: /p'
poweroff -f
EOF
out=$(timeout --foreground -k 5 "$GUEST_TIMEOUT" "${AS_USER[@]}" "$UMLINUX" quiet root=/dev/root \
	rootfstype=hostfs rootflags="$root" mem=128M uml_dir="$TMPDIR/uml" init=/bin/sh -- /grow.sh </dev/null 2>&1)
out=$(tr -d '\r' <<<"$out")
check humfs/grows-at-mount 'grown-df: 128 4 124 3% /mnt'

# Backups: stop, sysrq s, copy, go, while the guest keeps creating, renaming and
# removing files: the copy is a consistent tree.
cat >"$root/churn.sh" <<EOF
mount -t proc proc /proc
mount none /mnt -t humfs -o $H/ours || exit 1
mkdir -p /mnt/churn; i=0
while [ ! -e /mnt/stop ]; do
	i=\$((i + 1)); echo \$i >/mnt/churn/f\$i; mkdir /mnt/churn/d\$i; chmod 700 /mnt/churn/f\$i
	mv /mnt/churn/f\$i /mnt/churn/d\$i/; [ \$i -gt 3 ] && rm -r /mnt/churn/d\$((i - 3))
done
umount /mnt; poweroff -f
EOF
export HOME=$TMPDIR/home; mkdir -p "$HOME"
timeout -k 5 "$GUEST_TIMEOUT" "$UMLINUX" quiet root=/dev/root rootfstype=hostfs rootflags="$root" \
	mem=128M umid=humfs-backup init=/bin/sh -- /churn.sh </dev/null >"$TMPDIR/churn.out" 2>&1 &
gpid=$!
MC=$UMLINUX_TOP/build/uml_mconsole
for _ in $(seq 100); do [ -S "$HOME/.uml/humfs-backup/mconsole" ] && break; sleep 0.1; done
sleep 1
backup_ok=1
for n in 1 2 3; do
	"$MC" humfs-backup stop >/dev/null && "$MC" humfs-backup sysrq s >/dev/null || backup_ok=0
	rm -rf "$TMPDIR/backup"; cp -a "$H/ours" "$TMPDIR/backup"
	"$MC" humfs-backup go >/dev/null || backup_ok=0
	"$CHECK" "$TMPDIR/backup" >"$TMPDIR/backup.check" || { backup_ok=0; break; }
	sleep 0.3
done
touch "$H/ours/data/stop"; echo "420 0 0" >"$H/ours/file_metadata/stop"
wait "$gpid"
[ "$backup_ok" = 1 ] && [ -n "$(ls "$TMPDIR/backup/data/churn" 2>/dev/null)" ] && pass humfs/backup-consistent \
	|| fail humfs/backup-consistent "$(head -5 "$TMPDIR/backup.check" | tr '\n' '|') $(tail -3 "$TMPDIR/churn.out")"
"$CHECK" "$H/ours" >"$TMPDIR/final.check" && pass humfs/tree-consistent-after-churn \
	|| fail humfs/tree-consistent-after-churn "$(head -5 "$TMPDIR/final.check" | tr '\n' '|')"

# humfsify -r puts owners, modes and device nodes back.
rm -rf "$H/ours/data/stop" "$H/ours/file_metadata/stop"
if humfsify_in "$H/ours" "$HUMFSIFY" -r; then
	got="$(stat -c '%A %u %g' "$H/ours/data/file1") / $(stat -c '%F %t %T' "$H/ours/data/blk") / $(stat -c '%A' "$H/ours/data/suid")"
	[ "$got" = "-rws--x--- 1000 100 / block special file 8 1 / -rwsr-xr-x" ] && [ ! -e "$H/ours/file_metadata" ] \
		&& pass humfs/humfsify-reverse || fail humfs/humfsify-reverse "$got"
else
	fail humfs/humfsify-reverse "$(cat "$TMPDIR/humfsify.out")"
fi
finish
