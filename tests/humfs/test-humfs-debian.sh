#!/usr/bin/env bash
# A Debian bookworm root turned into a humfs tree by our humfsify (files given to the
# host user nobody) and booted from it (rootfstype=humfs) by that unprivileged host user:
# the Debian userland checks of tests/debian/guest/root.sh (then user.sh as uid 1000)
# pass with root-owned and set-id files; the book's demonstration of hostfs (a guest
# user's file taken over by the host user) against humfs (the guest user owns it); and
# the tree on the host is consistent after the halt.
set -u
. "$(dirname "$0")/../lib.sh"

if [ ! -x "$UMLINUX" ] || [ ! -x "$UMLINUX_TOP/build/humfsify" ]; then
	skip humfs-debian "kernel or humfsify not built"; finish
fi
if [ "$(id -u)" -ne 0 ]; then skip humfs-debian "needs root to make the humfs tree (humfsify chowns)"; finish; fi
chmod 755 "$TMPDIR"
hum=$TMPDIR/hum
need_debian_root humfs-debian "$hum/data"
mkdir -p "$hum/data/tests"
cp "$UMLINUX_TOP"/tests/debian/guest/*.sh "$UMLINUX_TOP"/tests/humfs/guest/book.sh "$hum/data/tests/"
if (cd "$hum" && "$UMLINUX_TOP/build/humfsify" nobody nogroup 4G) >"$TMPDIR/humfsify.out" 2>&1; then
	pass humfs-debian/humfsify
else
	fail humfs-debian/humfsify "$(tail -3 "$TMPDIR/humfsify.out")"; finish
fi
mkdir -p "$TMPDIR/uml" "$TMPDIR/share"
chown nobody:nogroup "$TMPDIR/uml"
chmod 1777 "$TMPDIR/share"

# boot_humfs ARGS...: the kernel as nobody, its root the humfs tree.
boot_humfs() {
	timeout --foreground -k 5 240 setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$UMLINUX" quiet root=/dev/root rootfstype=humfs rootflags="$hum" mem=256M \
		uml_dir="$TMPDIR/uml" "$@" </dev/null 2>&1
}

out=$(boot_humfs init=/bin/bash -- -c 'bash /tests/root.sh; echo "rc=$?"; poweroff -f')
out=$(tr -d '\r' <<<"$out")
guest_results humfs-debian <<<"$out"
if grep -qx done <<<"$out" && grep -qx 'rc=0' <<<"$out"; then pass humfs-debian/complete
else fail humfs-debian/complete "script did not finish: $(tail -3 <<<"$out" | tr '\n' ' ')"; fi

out=$(boot_humfs init=/bin/bash -- -c "bash /tests/book.sh $TMPDIR/share; poweroff -f")
out=$(tr -d '\r' <<<"$out")
check() {   # NAME LINE: the guest printed exactly LINE
	grep -qxF -- "$2" <<<"$out" && pass "$1" || fail "$1" "no '$2' in: $(tr '\n' '|' <<<"$out" | tail -c 800)"
}
check humfs-debian/book-hostfs-owner 'hostfs-owner: 65534'
check humfs-debian/book-hostfs-append 'hostfs-append: Permission denied'
check humfs-debian/book-hostfs-rm 'hostfs-rm: Operation not permitted'
check humfs-debian/book-hostfs-chmod 'hostfs-chmod: Operation not permitted'
check humfs-debian/book-hostfs-mknod 'hostfs-mknod: Operation not permitted'
check humfs-debian/book-humfs-owner 'humfs-owner: user'
check humfs-debian/book-humfs-append 'humfs-append: ok'
check humfs-debian/book-humfs-chmod 'humfs-chmod: 777'
check humfs-debian/book-humfs-rm 'humfs-rm: ok'
check humfs-debian/book-humfs-mknod 'humfs-mknod: block special file 62 0'
check humfs-debian/root-owned-setuid 'root-owner: root:root -rwsr-xr-x'
check humfs-debian/root-df-total 'root-df: 4194304'
check humfs-debian/root-mount "root-mount: root / humfs rw,relatime,$hum 0 0"
# Debian's own /sbin/init (sysvinit) from humfs: rcS and runlevel 2 run, getty offers a
# login on the console (stdin is /dev/null, so getty respawns until the kernel is told to halt).
timeout -k 5 60 setpriv --reuid=nobody --regid=nogroup --clear-groups "$UMLINUX" quiet \
	root=/dev/root rootfstype=humfs rootflags="$hum" mem=256M uml_dir="$TMPDIR/uml" \
	</dev/null >"$TMPDIR/sysv.out" 2>&1 &
kernel=$!
for _ in $(seq 300); do grep -q 'debian login:' "$TMPDIR/sysv.out" && break; sleep 0.1; done
out=$(grep -m1 'debian login:' "$TMPDIR/sysv.out")
kill -TERM "$kernel" 2>/dev/null; wait "$kernel"
[ -n "$out" ] && pass humfs-debian/sysvinit-login || fail humfs-debian/sysvinit-login "no login prompt within 30 s: $(tail -3 "$TMPDIR/sysv.out" | tr -d '\r' | tr '\n' '|')"
[ "$(stat -c %U "$hum/data/usr/bin/su")" = nobody ] && pass humfs-debian/host-files-unprivileged \
	|| fail humfs-debian/host-files-unprivileged "$(stat -c %U "$hum/data/usr/bin/su")"
"$UMLINUX_TOP/tests/humfs/check-tree.py" "$hum" >"$TMPDIR/check.out" && pass humfs-debian/tree-consistent \
	|| fail humfs-debian/tree-consistent "$(head -5 "$TMPDIR/check.out" | tr '\n' '|')"
finish
