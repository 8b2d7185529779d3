# The book's hostfs and humfs demonstration (chapter 6), in the Debian guest booted from
# humfs by an unprivileged host user: $1 is a host directory (mode 1777) to mount with
# hostfs. Prints "key: value" lines for tests/humfs/test-humfs-debian.sh.
mount -t proc proc /proc 2>/dev/null
mkdir -p /mnt-host
mount none /mnt-host -t hostfs -o "$1" || echo "hostfs mount failed"
# hostfs: the file belongs to the host user, so the guest user loses it at once.
su -s /bin/sh user -c 'cd /mnt-host; echo foo >x; stat -c "hostfs-owner: %u" x
	(echo bar >>x) 2>/dev/null && echo "hostfs-append: ok" || echo "hostfs-append: Permission denied"
	rm -f x 2>/dev/null && echo "hostfs-rm: ok" || echo "hostfs-rm: Operation not permitted"
	chmod 777 x 2>/dev/null && echo "hostfs-chmod: ok" || echo "hostfs-chmod: Operation not permitted"'
mknod /mnt-host/ubda b 98 0 2>/dev/null && echo "hostfs-mknod: ok" || echo "hostfs-mknod: Operation not permitted"
# humfs (the root): the guest user owns what it makes.
su -s /bin/sh user -c 'cd /tmp; echo foo >x; stat -c "humfs-owner: %U" x
	echo bar >>x && echo "humfs-append: ok"
	chmod 777 x && echo "humfs-chmod: $(stat -c %a x)"
	rm x && echo "humfs-rm: ok"'
mknod /root/ubda b 98 0 && echo "humfs-mknod: $(stat -c '%F %t %T' /root/ubda)"
echo "root-owner: $(stat -c '%U:%G %A' /usr/bin/su)"
df -k / | awk 'NR == 2 { print "root-df: " $2 }'
grep ' / ' /proc/mounts | sed 's/^/root-mount: /'
