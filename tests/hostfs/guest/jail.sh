# hostfs confined by hostfs=<jail> (run by tests/hostfs/test-hostfs.sh). The guest's
# root is <jail>/root; <jail>/data holds links that point out of the jail, at $2/secret
# (whose text is TOPSECRET). Every way out must fail: the host side also checks that
# nothing appeared outside. $1 is the jail's host path, $2 the directory holding it.
mount -t proc proc /proc
mount -t tmpfs tmpfs /tmp
J=$1 OUT=$2
try() {   # NAME CMD...: what CMD printed (its error without the tool's prefix)
	n=$1; shift
	echo "$n: $("$@" 2>&1 | sed 's/.*: //' | tr '\n' ' ' | sed 's/ $//')"
}

mount none /mnt -t hostfs && echo "jail-mount-root: ok"
echo "jail-root-list: $(ls /mnt | tr '\n' ' ')"
[ -e "/mnt$J" ] || [ -e "/mnt$OUT/secret" ] || echo "jail-root-not-host-root: yes"
mount none /m1 -t hostfs -o /data && echo "jail-mount-dir: ok"
echo "jail-dir-content: $(cat /m1/marker)"
grep ' /mnt ' /proc/mounts | sed 's/^/mounts-jail-root: /'
grep ' /m1 ' /proc/mounts | sed 's/^/mounts-jail-dir: /'

# ".." at the mount's root is the guest's parent directory, not the host's.
cd /m1/sub && cd ../.. && echo "dotdot: $(pwd)"; cd /
[ /m1/.. -ef / ] && echo "dotdot-is-guest-root: yes"
try dotdot-secret cat /m1/../secret
try dotdot-secret-deep cat /m1/sub/../../../secret
# Host symlinks pointing out (absolute and relative) are followed in the guest's tree.
echo "abs-link-target: $(readlink /m1/abs-link)"
try abs-link cat /m1/abs-link
try rel-link cat /m1/rel-link
try dir-link ls /m1/dir-link/secret
# Symlinks the guest makes pointing out.
ln -s ../../../../../../../../secret /m1/guest-rel && try guest-rel-link cat /m1/guest-rel
ln -s "$OUT/secret" /m1/guest-abs && try guest-abs-link cat /m1/guest-abs
ln -s "$OUT/created-outside" /m1/guest-create && try guest-create-through-link sh -c 'echo x >/m1/guest-create'
# /proc magic links of hostfs directories lead to the guest's view of them.
cd /m1/sub
echo "proc-cwd-link: $(readlink /proc/$$/cwd)"
try proc-cwd-dotdot cat /proc/$$/cwd/../../secret
exec 3</m1/sub
echo "proc-fd-link: $(readlink /proc/self/fd/3)"
try proc-fd-dotdot cat /proc/self/fd/3/../../secret
try proc-fd-host-path ls "/proc/self/fd/3/$OUT/secret"
exec 3<&-
cd /
# Mount options naming a place outside the jail.
for o in ../.. /data/../.. /.. /outlink /data/dir-link; do
	mount none /m2 -t hostfs -o "$o" 2>/dev/null && { echo "mount-escape $o: mounted $(ls /m2 | tr '\n' ' ')"; umount /m2; } \
		|| echo "mount-escape $o: refused"
done
# Renames between mounts of the jail are EXDEV, files and directories alike.
mount none /m2 -t hostfs -o /data
echo "rename-file-other-mount: $(/hfs rename /m1/file /m2/file-moved)"
echo "rename-file-to-root: $(/hfs rename /m1/file /file-moved)"
echo "rename-dir-to-root: $(/hfs rename /m1/sub /sub-moved)"
echo "rename-dir-dotdot: $(/hfs rename /m1/sub /m1/../sub-moved)"
echo "rename-same-mount: $(/hfs rename /m1/file /m1/file2) $(/hfs rename /m1/file2 /m1/file)"
umount /m2
umount /m1
umount /mnt
echo "done: yes"
poweroff -f
