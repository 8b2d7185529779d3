#!/usr/bin/env bash
# hostfs as a guest sees it, in three BusyBox boots:
#  - plain (no hostfs= jail; the kernel run by the host user nobody when the test runs
#    as root): `mount none /mnt -t hostfs` is the host's /, `-o DIR` that directory,
#    /proc/mounts in UML's format (uml-facts §5.2); host owners and modes shown; the
#    book's guest user who cannot append to a file the host gave to the kernel's user;
#    host sockets and FIFOs; read-only mounts; sync and remount,sync, with the host
#    reading the data while the guest still has the file open;
#  - hostfs=<jail>: every way out of the jail refused (.., host and guest symlinks,
#    /proc magic links, mount -o ../.., renames across mounts);
#  - hostfs=<jail>,append: writes land at the end; no truncation, unlink or rename over.
set -u
. "$(dirname "$0")/../lib.sh"

[ -x "$UMLINUX" ] || { skip hostfs "kernel not built"; finish; }
HERE=$UMLINUX_TOP/tests/hostfs
chmod 755 "$TMPDIR"
J=$TMPDIR/jail            # the jail of the second and third boots
root=$J/root              # the guest's root in all three
umlinux_root_copy "$root" || { fail hostfs-root "cannot copy the BusyBox root"; finish; }
if ! gcc -static -O1 -o "$root/hfs" "$HERE/hfs.c" 2>"$TMPDIR/gcc.err"; then
	skip hostfs "no static gcc to build tests/hostfs/hfs.c: $(tail -1 "$TMPDIR/gcc.err")"; finish
fi
cp "$HERE"/guest/*.sh "$root/"
mkdir -p "$root/mnt-home" "$root/m1" "$root/m2" "$root/ro" "$root/sy"
mkdir -p "$TMPDIR/uml"

AS_USER=()
if [ "$(id -u)" -eq 0 ]; then
	AS_USER=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
	chown nobody:nogroup "$TMPDIR/uml"
fi
KUID=$(${AS_USER[@]+"${AS_USER[@]}"} id -u)   # the host user running the kernel

# boot OUTFILE ARGS...: a guest on $root (as the host user in AS_USER, if any)
boot() {
	local out=$1
	shift
	timeout --foreground -k 5 "$GUEST_TIMEOUT" ${AS_USER[@]+"${AS_USER[@]}"} "$UMLINUX" quiet \
		root=/dev/root rootfstype=hostfs mem=128M uml_dir="$TMPDIR/uml" "$@" </dev/null >"$out" 2>&1
}
check() {   # NAME LINE: the guest printed exactly LINE
	if grep -qxF -- "$2" <<<"$out"; then pass "$1"
	else fail "$1" "no '$2' in: $(grep -F -- "${2%%:*}:" <<<"$out" | head -3 | tr '\n' '|')"; fi
}

# ---- plain hostfs, no jail ----
H=$TMPDIR/h
mkdir -p "$H/home/own" "$H/home/pub" "$H/home/special" "$H/ro" "$H/sync" "$H/sp ace,c"
echo from-the-host >"$H/home/marker"
chmod 1777 "$H/home/pub"
echo ro-data >"$H/ro/file"
can_chown=0
if [ "$(id -u)" -eq 0 ]; then
	can_chown=1
	echo owned >"$H/home/own/f1234"; chown 1234:1234 "$H/home/own/f1234"; chmod 0640 "$H/home/own/f1234"
	chown "$KUID" "$H/sync"
else
	echo owned >"$H/home/own/f1234"; chmod 0640 "$H/home/own/f1234"
fi
mkfifo "$H/home/special/fifo"
"$root/hfs" listen "$H/home/special/sock" >"$TMPDIR/listener.out" 2>&1 &
listener=$!
for _ in $(seq 50); do [ -S "$H/home/special/sock" ] && break; sleep 0.1; done
chmod 777 "$H/home/special/sock" "$H/home/special/fifo"

boot "$TMPDIR/plain.out" rootflags="$root" init=/bin/sh -- /plain.sh "$H" &
guest=$!
# sync: read the data while the guest holds the file open and waits for our ack.
host_sync() {   # NAME TEXT
	local seen=""
	for _ in $(seq 100); do
		[ -e "$H/sync/$1.written" ] && { seen=$(cat "$H/sync/$1.data"); break; }
		kill -0 "$guest" 2>/dev/null || break
		sleep 0.1
	done
	touch "$H/sync/$1.ack"
	[ "$seen" = "$2" ] && pass "hostfs/$1-data-on-host-before-close" \
		|| fail "hostfs/$1-data-on-host-before-close" "host saw '$seen'"
}
host_sync mounted mounted-sync
host_sync remount remount-sync
wait "$guest"
kill "$listener" 2>/dev/null; wait "$listener" 2>/dev/null
out=$(tr -d '\r' <"$TMPDIR/plain.out")

check hostfs/mount-host-root 'mount-root: ok'
check hostfs/host-root-contents 'root-is-host-root: from-the-host'
check hostfs/mount-dir 'mount-dir: ok'
check hostfs/mount-dir-contents 'dir-content: from-the-host'
check hostfs/dotdot-leaves-mount 'dotdot-leaves-mount: /'
check hostfs/proc-mounts-root 'mounts-root: none /mnt hostfs rw,relatime 0 0'
check hostfs/proc-mounts-dir "mounts-dir: none /mnt-home hostfs rw,relatime,$H/home 0 0"
check hostfs/proc-mounts-rootfs "mounts-rootfs: root / hostfs rw,relatime,$root 0 0"
if [ "$can_chown" = 1 ]; then
	check hostfs/host-owner-mode 'host-owner: 1234 1234 640 -rw-r-----'
	check hostfs/host-owner-ls 'ls-owner: -rw-r----- 1234 1234'
else
	skip hostfs/host-owner-mode "needs root to give a host file to uid 1234"
fi
check hostfs/book-file-is-kernel-users "book-created: $KUID 644 4"
if [ "$KUID" -ne 0 ] && [ "$KUID" -ne 1000 ]; then
	check hostfs/book-user-cannot-append 'book-user-append: Permission denied'
	check hostfs/book-user-cannot-rm 'book-user-rm: Operation not permitted'
	check hostfs/book-user-cannot-chmod 'book-user-chmod: Operation not permitted'
	check hostfs/book-file-unchanged 'book-after: 644 4 foo'
	check hostfs/book-root-appends 'book-root-append: foo bar '
else
	skip hostfs/book-user "the kernel runs as host uid $KUID (run the test as root or an ordinary user)"
fi
check hostfs/host-socket-type 'ls-type sock: s'
check hostfs/host-fifo-type 'ls-type fifo: p'
check hostfs/host-socket-not-connectable 'sock-connect: ECONNREFUSED'
if grep -q accepted "$TMPDIR/listener.out"; then
	fail hostfs/host-socket-not-reached "the host listener accepted a connection"
else
	pass hostfs/host-socket-not-reached
fi
check hostfs/fifo-between-guest-processes 'fifo-read: through-fifo'
check hostfs/ro-mount 'ro-mount: ok'
check hostfs/proc-mounts-ro "mounts-ro: none /ro hostfs ro,relatime,$H/ro 0 0"
check hostfs/ro-read 'ro-read: ro-data'
for op in write create unlink chmod mkdir truncate; do check "hostfs/ro-$op" "ro-$op: EROFS"; done
[ "$(cat "$H/ro/file")" = ro-data ] && [ "$(stat -c %a "$H/ro/file")" = 644 ] && [ ! -e "$H/ro/new" ] \
	&& pass hostfs/ro-host-unchanged || fail hostfs/ro-host-unchanged "$(ls -l "$H/ro" | tr '\n' '|')"
esc="$H/sp\\040ace\\054c"
check hostfs/proc-mounts-flags \
	"mounts-flags: none /ro hostfs rw,dirsync,nosuid,nodev,noexec,noatime,nodiratime,$esc 0 0"
check hostfs/mountinfo-flags "mountinfo-flags: rw,nosuid,nodev,noexec,noatime,nodiratime - rw,dirsync,$esc"
check hostfs/proc-mounts-flags-remount-ro \
	"mounts-flags-remount-ro: none /ro hostfs ro,dirsync,nosuid,nodev,noexec,noatime,nodiratime,$esc 0 0"
check hostfs/proc-mounts-strictatime "mounts-strictatime: none /ro hostfs rw,$H/ro 0 0"
check hostfs/sync-mount 'sync-mount: ok'
check hostfs/proc-mounts-sync "mounts-sync: none /sy hostfs rw,sync,relatime,$H/sync 0 0"
check hostfs/sync-acked 'mounted-acked: yes'
check hostfs/proc-mounts-nosync "mounts-nosync: none /sy hostfs rw,relatime,$H/sync 0 0"
check hostfs/remount-sync 'remount-sync: ok'
check hostfs/proc-mounts-remount-sync "mounts-remount: none /sy hostfs rw,sync,relatime,$H/sync 0 0"
check hostfs/remount-sync-acked 'remount-acked: yes'
check hostfs/plain-guest-finished 'done: yes'

# ---- hostfs=<jail> ----
mkdir -p "$J/data/sub"
echo in-the-jail >"$J/data/marker"
echo file >"$J/data/file"
echo TOPSECRET >"$TMPDIR/secret"
ln -s "$TMPDIR/secret" "$J/data/abs-link"
ln -s ../../secret "$J/data/rel-link"        # from $J/data: $TMPDIR/secret
ln -s "$TMPDIR" "$J/data/dir-link"
ln -s "$TMPDIR" "$J/outlink"
AS_USER=()   # as the test's user: run by root, only the jail keeps the guest in
boot "$TMPDIR/jail.out" hostfs="$J" rootflags=/root init=/bin/sh -- /jail.sh "$J" "$TMPDIR"
out=$(tr -d '\r' <"$TMPDIR/jail.out")
check hostfs/jail-mount-root 'jail-mount-root: ok'
check hostfs/jail-root-is-jail 'jail-root-list: data outlink root '
check hostfs/jail-root-not-host-root 'jail-root-not-host-root: yes'
check hostfs/jail-o-appended 'jail-mount-dir: ok'
check hostfs/jail-o-contents 'jail-dir-content: in-the-jail'
check hostfs/proc-mounts-jail-root 'mounts-jail-root: none /mnt hostfs rw,relatime 0 0'
check hostfs/proc-mounts-jail-dir 'mounts-jail-dir: none /m1 hostfs rw,relatime,/data 0 0'
check hostfs/jail-dotdot 'dotdot: /'
check hostfs/jail-dotdot-is-guest-root 'dotdot-is-guest-root: yes'
check hostfs/jail-dotdot-secret 'dotdot-secret: No such file or directory'
check hostfs/jail-dotdot-secret-deep 'dotdot-secret-deep: No such file or directory'
check hostfs/jail-abs-link-text "abs-link-target: $TMPDIR/secret"
check hostfs/jail-host-abs-link 'abs-link: No such file or directory'
check hostfs/jail-host-rel-link 'rel-link: No such file or directory'
check hostfs/jail-host-dir-link 'dir-link: No such file or directory'
check hostfs/jail-guest-rel-link 'guest-rel-link: No such file or directory'
check hostfs/jail-guest-abs-link 'guest-abs-link: No such file or directory'
check hostfs/jail-guest-create-through-link 'guest-create-through-link: nonexistent directory'
[ ! -e "$TMPDIR/created-outside" ] && pass hostfs/jail-nothing-created-outside \
	|| fail hostfs/jail-nothing-created-outside "$TMPDIR/created-outside exists"
check hostfs/jail-proc-cwd-link 'proc-cwd-link: /m1/sub'
check hostfs/jail-proc-cwd-dotdot 'proc-cwd-dotdot: No such file or directory'
check hostfs/jail-proc-fd-link 'proc-fd-link: /m1/sub'
check hostfs/jail-proc-fd-dotdot 'proc-fd-dotdot: No such file or directory'
check hostfs/jail-proc-fd-host-path 'proc-fd-host-path: No such file or directory'
check hostfs/jail-mount-dotdot 'mount-escape ../..: refused'
check hostfs/jail-mount-dir-dotdot 'mount-escape /data/../..: refused'
check hostfs/jail-mount-root-dotdot 'mount-escape /..: refused'
check hostfs/jail-mount-symlink-out 'mount-escape /outlink: refused'
check hostfs/jail-mount-dir-link-out 'mount-escape /data/dir-link: refused'
check hostfs/jail-rename-file-other-mount 'rename-file-other-mount: EXDEV'
check hostfs/jail-rename-file-to-root 'rename-file-to-root: EXDEV'
check hostfs/jail-rename-dir-to-root 'rename-dir-to-root: EXDEV'
check hostfs/jail-rename-dir-dotdot 'rename-dir-dotdot: EXDEV'
check hostfs/jail-rename-same-mount 'rename-same-mount: ok ok'
[ -f "$J/data/file" ] && [ -d "$J/data/sub" ] && [ ! -e "$J/root/file-moved" ] && [ ! -e "$J/root/sub-moved" ] \
	&& pass hostfs/jail-renames-left-host-alone || fail hostfs/jail-renames-left-host-alone "$(ls "$J/data" "$J/root" | tr '\n' ' ')"
if grep -rqs TOPSECRET "$TMPDIR/jail.out"; then fail hostfs/jail-secret-never-read "$(grep TOPSECRET "$TMPDIR/jail.out")"
else pass hostfs/jail-secret-never-read; fi
check hostfs/jail-guest-finished 'done: yes'

# ---- hostfs=<jail>,append ----
mkdir -p "$J/app"
printf 0123456789 >"$J/app/log"
echo other >"$J/app/other"
: >"$J/app/empty"
boot "$TMPDIR/append.out" hostfs="$J,append" rootflags=/root init=/bin/sh -- /append.sh
out=$(tr -d '\r' <"$TMPDIR/append.out")
check hostfs/append-mount 'append-mount: ok'
check hostfs/proc-mounts-append 'mounts-append: none /m1 hostfs rw,relatime,/app,append 0 0'
check hostfs/append-pwrite-at-0 'pwrite-at-0: ok'
check hostfs/append-dd-at-0 'dd-at-0: 0'
check hostfs/append-lands-at-end 'after-writes: 0123456789ABCD'
check hostfs/append-no-o-trunc 'open-trunc: EPERM'
check hostfs/append-no-shell-truncate 'shell-truncate: Operation not permitted'
check hostfs/append-no-truncate-smaller 'truncate-smaller: EPERM'
check hostfs/append-no-truncate-tool 'truncate-tool: Operation not permitted'
check hostfs/append-no-unlink 'unlink: EPERM'
check hostfs/append-no-rm 'rm: Operation not permitted'
check hostfs/append-no-rename-over 'rename-over: EPERM'
check hostfs/append-data-kept 'after-refusals: 0123456789ABCD'
check hostfs/append-new-file 'new-file: new more '
check hostfs/append-trunc-empty 'open-trunc-empty: ok'
[ "$(cat "$J/app/log")" = 0123456789ABCD ] && [ "$(cat "$J/app/other")" = other ] \
	&& pass hostfs/append-host-file || fail hostfs/append-host-file "log '$(cat "$J/app/log")' other '$(cat "$J/app/other")'"
check hostfs/append-guest-finished 'done: yes'
finish
