# hostfs with hostfs=<jail>,append (run by tests/hostfs/test-hostfs.sh): every open is
# O_APPEND, and nothing may be truncated, removed or renamed over. <jail>/app/log holds
# "0123456789" and <jail>/app/other "other"; the host side checks them afterwards.
mount -t proc proc /proc
mount -t tmpfs tmpfs /tmp
try() {   # NAME CMD...: what CMD printed (its error without the tool's prefix)
	n=$1; shift
	echo "$n: $("$@" 2>&1 | sed 's/.*: //' | tr '\n' ' ' | sed 's/ $//')"
}

mount none /m1 -t hostfs -o /app && echo "append-mount: ok"
grep ' /m1 ' /proc/mounts | sed 's/^/mounts-append: /'
echo "pwrite-at-0: $(/hfs pwrite /m1/log 0 AB)"
printf CD | dd of=/m1/log conv=notrunc 2>/dev/null; echo "dd-at-0: $?"
echo "after-writes: $(cat /m1/log)"
echo "open-trunc: $(/hfs open /m1/log wronly trunc)"
try shell-truncate sh -c 'echo x >/m1/log'
echo "truncate-smaller: $(/hfs truncate /m1/log 2)"
try truncate-tool truncate -s 0 /m1/log
echo "unlink: $(/hfs unlink /m1/log)"
try rm rm -f /m1/log
echo "rename-over: $(/hfs rename /m1/other /m1/log)"
echo "after-refusals: $(cat /m1/log)"
# What adds data still works: a new file, appended to.
echo new >/m1/new && echo more >>/m1/new && echo "new-file: $(cat /m1/new | tr '\n' ' ')"
echo "open-trunc-empty: $(/hfs open /m1/empty wronly trunc)"
umount /m1
echo "done: yes"
poweroff -f
