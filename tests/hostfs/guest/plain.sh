# hostfs without a hostfs= jail, in a BusyBox guest (run by tests/hostfs/test-hostfs.sh,
# the kernel run as the host user nobody when the test runs as root). $1 is the host
# directory the test prepared. Prints "key: value" lines the host side checks.
mount -t proc proc /proc
mount -t tmpfs tmpfs /tmp
H=$1
res() { sed 's/.*: //'; }   # BusyBox's "tool: path: error" down to the error

# The book's mounts: the host's / without -o, one host directory with it.
mount none /mnt -t hostfs && echo "mount-root: ok"
[ -f "/mnt$H/home/marker" ] && echo "root-is-host-root: $(cat "/mnt$H/home/marker")"
mount none /mnt-home -t hostfs -o "$H/home" && echo "mount-dir: ok"
echo "dir-content: $(cat /mnt-home/marker)"
cd /mnt-home && cd ../.. && echo "dotdot-leaves-mount: $(pwd)"; cd /
grep ' /mnt ' /proc/mounts | sed 's/^/mounts-root: /'
grep ' /mnt-home ' /proc/mounts | sed 's/^/mounts-dir: /'
grep ' / ' /proc/mounts | sed 's/^/mounts-rootfs: /'

# Ownership and permissions as the host has them.
echo "host-owner: $(stat -c '%u %g %a %A' /mnt-home/own/f1234)"
ls -ln /mnt-home/own/f1234 | awk '{print "ls-owner: " $1, $3, $4}'

# The book's demonstration: guest root creates a file, which the host gives to the
# user running the kernel; a guest user then can't append to it, remove it or chmod it.
cd /mnt-home/pub
echo foo >x
echo "book-created: $(stat -c '%u %a %s' x)"
su user -c 'echo bar >>x' 2>&1 | res | sed 's/^/book-user-append: /'
su user -c 'rm -f x' 2>&1 | res | sed 's/^/book-user-rm: /'
su user -c 'chmod 777 x' 2>&1 | res | sed 's/^/book-user-chmod: /'
echo "book-after: $(stat -c '%a %s' x) $(cat x)"
echo bar >>x && echo "book-root-append: $(cat x | tr '\n' ' ')"
cd /

# Host sockets and FIFOs: seen with their types; a host socket leads to no one in the
# guest; a host FIFO carries data between guest processes.
ls -l /mnt-home/special | awk '/sock$|fifo$/ {print "ls-type " $NF ": " substr($1, 1, 1)}'
echo "sock-connect: $(/hfs connect /mnt-home/special/sock)"
cat /mnt-home/special/fifo >/tmp/fifo.out &
reader=$!
echo through-fifo >/mnt-home/special/fifo
wait $reader
echo "fifo-read: $(cat /tmp/fifo.out)"

# Read-only mounts refuse every change with EROFS.
mount none /ro -t hostfs -o "ro,$H/ro" && echo "ro-mount: ok"
grep ' /ro ' /proc/mounts | sed 's/^/mounts-ro: /'
echo "ro-read: $(cat /ro/file)"
echo "ro-write: $(/hfs open /ro/file wronly)"
echo "ro-create: $(/hfs creat /ro/new)"
echo "ro-unlink: $(/hfs unlink /ro/file)"
echo "ro-chmod: $(/hfs chmod /ro/file 600)"
echo "ro-mkdir: $(/hfs mkdir /ro/dir)"
echo "ro-truncate: $(/hfs truncate /ro/file 0)"
umount /ro

# The mount's flags and the filesystem's in Linux's order, in /proc/mounts and mountinfo
# (whose " - " parts them); a space or comma in the host directory is escaped.
mount none /ro -t hostfs -o "noatime,nodiratime,nosuid,nodev,noexec,dirsync,$H/sp ace,c"
grep ' /ro ' /proc/mounts | sed 's/^/mounts-flags: /'
awk '$5 == "/ro" {print "mountinfo-flags: " $6 " - " $NF}' /proc/self/mountinfo
mount -o remount,ro /ro
grep ' /ro ' /proc/mounts | sed 's/^/mounts-flags-remount-ro: /'
umount /ro
mount none /ro -t hostfs -o "strictatime,$H/ro"
grep ' /ro ' /proc/mounts | sed 's/^/mounts-strictatime: /'
umount /ro

# sync: the data is in the host file while the file is still open; the host side reads
# it between "written" and its "ack".
wait_ack() {   # NAME: the host saw NAME's data
	i=0
	while [ ! -e "/sy/$1.ack" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	[ -e "/sy/$1.ack" ] && echo "$1-acked: yes"
}
mount none /sy -t hostfs -o "sync,$H/sync" && echo "sync-mount: ok"
grep ' /sy ' /proc/mounts | sed 's/^/mounts-sync: /'
exec 3>/sy/mounted.data
echo mounted-sync >&3
touch /sy/mounted.written
wait_ack mounted
exec 3>&-
umount /sy
mount none /sy -t hostfs -o "$H/sync"
grep ' /sy ' /proc/mounts | sed 's/^/mounts-nosync: /'
mount -o remount,sync /sy && echo "remount-sync: ok"
grep ' /sy ' /proc/mounts | sed 's/^/mounts-remount: /'
exec 3>/sy/remount.data
echo remount-sync >&3
touch /sy/remount.written
wait_ack remount
exec 3>&-
umount /sy
umount /mnt-home
umount /mnt
echo "done: yes"
poweroff -f
