# humfs inside a BusyBox guest (run by tests/humfs/test-humfs.sh, kernel run by an
# unprivileged host user). Prints "key: value" lines the host side checks.
mount -t proc proc /proc
H=$1

# A tree made by Debian's humfsify: owners, modes and types from its metadata.
if mount none /m1 -t humfs -o "$H/deb"; then
	echo "deb-mounted: yes"
	for f in / /etc /etc/passwd /etc/link /dev/null /dev/blk /fifo /suid; do
		echo "deb-stat $f: $(stat -c '%A %u %g %t %T' /m1$f)"
	done
	echo "deb-read: $(cat /m1/etc/passwd)"
	umount /m1
fi

# A tree made by ours: every operation keeps data and metadata together.
mount none /m2 -t humfs -o "$H/ours" && echo "ours-mounted: yes"
cd /m2 || exit 1
echo "ours-stat /suid: $(stat -c '%A %u %g' suid)"
echo "ours-stat /dev/null: $(stat -c '%A %u %g %t %T' dev/null)"
echo "ours-stat /sub/metadata: $(stat -c '%F' sub/metadata) $(stat -c '%F' filemeta/metadata)"
umask 022
echo data >file1
mknod blk b 8 1; mknod chr c 4 64; mknod pipe p
chown 1000:100 file1; chmod 4710 file1
mkdir -p d1/d2; echo deep >d1/d2/f; chown -R 5:5 d1
ln file1 file1-link
ln -s file1 sym
mv d1 d1-moved
echo old >victim; echo new >replacer; mv replacer victim
echo gone >gone; rm gone
mkdir gonedir; rmdir gonedir
mkdir sub2; mkdir sub2/metadata; echo x >sub2/metadata/inner; touch sub2/metadata2
mkdir sub3; mkdir sub3/metadata; rmdir sub3/metadata
mkdir movein; mv d1-moved movein/metadata
echo "ops-stat file1: $(stat -c '%A %u %g %h' file1)"
echo "ops-stat file1-link: $(stat -c '%A %u %g %h' file1-link)"
echo "ops-stat blk: $(stat -c '%F %t %T' blk)"
echo "ops-stat chr: $(stat -c '%F %t %T' chr)"
echo "ops-stat pipe: $(stat -c '%F' pipe)"
echo "ops-stat moved: $(stat -c '%u %g' movein/metadata/d2/f) $(cat movein/metadata/d2/f)"
echo "ops-stat victim: $(cat victim)"
echo "ops-ls: $(ls | tr '\n' ' ')"
# A guest user, who owns its files whatever the host user is (the book's humfs demo).
mkdir /m2/tmp; chmod 1777 /m2/tmp
su user -c 'echo foo >/m2/tmp/x; echo bar >>/m2/tmp/x; chmod 600 /m2/tmp/x; stat -c "user-file: %U %a %s" /m2/tmp/x; rm /m2/tmp/x && echo "user-rm: ok"'
# O_TMPFILE: the metadata is written when the file is named; one never named leaves none.
/tmpfile link /m2/tmp tmpnamed
/tmpfile drop /m2/tmp 8192
echo "tmpfile-ls: $(ls /m2/tmp | tr '\n' ' ')"
# A device node by guest root, which hostfs refuses an unprivileged host user.
mknod /m2/tmp/ubda b 98 0 && echo "mknod-humfs: $(stat -c '%F %t %T' /m2/tmp/ubda)"
mount none /m3 -t hostfs -o "$H/plain" && { mknod /m3/ubda b 98 0 2>&1 | sed 's/^/mknod-hostfs: /'; umount /m3; }
cd /
sync
umount /m2 && echo "ours-umount: ok"

# Space: total is the size; used follows; ENOSPC at the end.
mount none /m3 -t humfs -o "$H/small" || echo "small: mount failed"
df -k /m3 | tr -s ' ' | sed -n '2s/^[^ ]* /small-df-before: /p'
dd if=/dev/zero of=/m3/fill bs=4096 count=1000 2>/dev/null; echo "small-dd: $?"
echo "small-size: $(stat -c %s /m3/fill)"
echo x >>/m3/fill 2>/dev/null || echo "small-append: refused"
df -k /m3 | tr -s ' ' | sed -n '2s/^[^ ]* /small-df-full: /p'
rm /m3/fill
df -k /m3 | tr -s ' ' | sed -n '2s/^[^ ]* /small-df-after: /p'
echo "small-type: $(stat -f -c %t /m3)"
/tmpfile drop /m3 16384
df -k /m3 | tr -s ' ' | sed -n '2s/^[^ ]* /small-df-tmpfile: /p'
umount /m3

# Damage: the mount fails with a kernel message, or one file answers EIO.
for t in nosuper badsuper v1super nodata; do
	mount none /bad -t humfs -o "$H/$t" 2>/dev/null && { echo "bad-$t: mounted"; umount /bad; } || echo "bad-$t: refused"
done
mount none /bad -t humfs 2>/dev/null || echo "bad-noarg: refused"
if mount none /bad -t humfs -o "$H/damaged"; then
	for f in good nometa nonnum longline devdir symmeta escape; do
		cat /bad/$f >/dev/null 2>&1 && echo "damaged-$f: readable" || echo "damaged-$f: $(cat /bad/$f 2>&1 | sed 's/.*: //')"
	done
	echo "damaged-ls: $(echo /bad/*)"   # names only: each one's stat may fail
	umount /bad
fi
dmesg | grep humfs: | sed 's/^\[[^]]*\] *//; s/^/dmesg: /'
poweroff -f
