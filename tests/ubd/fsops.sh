#!/bin/sh
# Filesystem operations on the root, run inside the guest: one "ok NAME" or
# "not ok NAME: why" line per check, then "done". The host checks the image afterwards.
t() { if out=$( (eval "$2") 2>&1); then echo "ok $1"; else echo "not ok $1: $out" | head -3 | tr '\n' ' '; echo; fi; }
eq() { [ "$1" = "$2" ] || { echo "got '$1' want '$2'"; return 1; }; }

mount -t proc proc /proc
mkdir -p /w && cd /w || exit 1
t mkdir-p 'mkdir -p a/b/c && [ -d a/b/c ]'
t dir-nlink 'mkdir -p n/x n/y && eq "$(stat -c %h n)" 4'
t rmdir 'rmdir a/b/c && [ ! -e a/b/c ]'
t rmdir-notempty '! rmdir a 2>/dev/null && [ -d a/b ]'
t write-read 'echo hello > f && eq "$(cat f)" hello'
t append 'echo world >> f && eq "$(cat f | tr "\n" " ")" "hello world "'
t rename-same-dir 'mv f g && [ ! -e f ] && eq "$(head -1 g)" hello'
t rename-across 'mv g a/b/g && eq "$(head -1 a/b/g)" hello'
t rename-over 'echo new > h && mv h a/b/g && eq "$(cat a/b/g)" new'
t rename-dir 'mkdir -p d1/sub && echo x > d1/sub/x && mv d1/sub a/ && eq "$(cat a/sub/x)" x && cd a/sub/.. && eq "$(basename $(pwd))" a && eq "$(stat -c %h /w/d1)" 2'
t rename-dir-over-empty 'mkdir -p r1 r2/r1 && touch r1/in && mv r1 r2 && [ -e r2/r1/in ] && eq "$(stat -c %h r2)" 3'
t hardlink 'echo data > l1 && ln l1 l2 && eq "$(stat -c %h l1)" 2 && rm l1 && eq "$(cat l2)" data && eq "$(stat -c %h l2)" 1'
t symlink-fast 'ln -s target sl && eq "$(readlink sl)" target'
long=/this/is/a/rather/long/symlink/target/that/does/not/fit/inside/the/inode/block/map
t symlink-slow 'ln -s $long sl2 && eq "$(readlink sl2)" $long'
t symlink-follow 'echo via > tgt && ln -s tgt sl3 && eq "$(cat sl3)" via'
t chmod 'touch m && chmod 4751 m && eq "$(stat -c %a m)" 4751'
t chown 'touch o && chown 1234:5678 o && eq "$(stat -c %u:%g o)" 1234:5678'
t chown-big-ids 'touch o2 && chown 100000:200000 o2 && eq "$(stat -c %u:%g o2)" 100000:200000'
t mknod-chr 'mknod cdev c 4 64 && eq "$(stat -c %F:%t:%T cdev)" "character special file:4:40"'
t mknod-blk-big 'mknod bdev b 259 300000 && eq "$(stat -c %t:%T bdev)" "103:493e0"'
t mkfifo 'mkfifo ff && eq "$(stat -c %F ff)" fifo && (echo through > ff &) && eq "$(cat ff)" through'
t times 'touch -d "2001-02-03 04:05:06" tm && eq "$(stat -c %Y tm)" 981173106'
t big-file 'dd if=/dev/urandom of=/w/big bs=1k count=3000 2>/dev/null && a=$(md5sum < big) && b=$(cat big | md5sum) && eq "$a" "$b" && eq "$(stat -c %s big)" 3072000'
t sparse 'dd if=/dev/zero of=sp bs=1 count=1 seek=50000000 2>/dev/null && eq "$(stat -c %s sp)" 50000001 && [ "$(stat -c %b sp)" -lt 100 ] && eq "$(dd if=sp bs=1 skip=25000000 count=4 2>/dev/null | od -An -tx1 | tr -d " ")" 00000000'
t truncate 'echo 0123456789abcdef > tr && truncate -s 5 tr && eq "$(cat tr)" 01234 && truncate -s 100 tr && eq "$(stat -c %s tr)" 100'
t many-entries 'mkdir many && cd many && i=0; while [ $i -lt 400 ]; do : > file-with-a-longish-name-$i; i=$((i+1)); done; eq "$(ls | wc -l)" 400 && rm file-with-a-longish-name-1* && eq "$(ls | wc -l)" 289'
t open-unlinked 'echo still > ul && exec 3<ul && rm ul && eq "$(cat <&3)" still'
t cp-tree 'cp -a /bin /w/bincopy && eq "$(ls /w/bincopy | wc -l)" "$(ls /bin | wc -l)" && rm -r /w/bincopy'
t exec-copy 'mkdir -p /w/x && cp /bin/busybox /w/x/busybox && /w/x/busybox true && /w/x/busybox echo ran | grep -q ran'
t statfs 'df / | tail -1 | grep -q "/"'
t rm-big 'rm big sp && [ ! -e big ]'
t fill-up 'free=$(df / | tail -1 | awk "{print \$4}"); err=$(dd if=/dev/zero of=/w/fill bs=64k 2>&1 >/dev/null); case $err in *"No space left on device"*) ;; *) echo "dd: $err"; false ;; esac && rm /w/fill && eq "$(df / | tail -1 | awk "{print \$4}")" "$free"'
echo keep-me > /keep
sync
echo done
