#!/bin/sh
# Runs inside the guest (BusyBox root). Prints "ok NAME" or "not ok NAME: detail" per
# check; the host side (test-busybox.sh) turns them into PASS/FAIL lines.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc 2>/dev/null   # as a distribution's init scripts do
W=/tmp/bbtest.$$
mkdir -p $W && cd $W || { echo "not ok setup: cannot make $W"; exit 1; }

check() { # check NAME EXPECTED ACTUAL
	if [ "$2" = "$3" ]; then echo "ok $1"; else echo "not ok $1: expected '$2' got '$3'"; fi
}
checkrc() { # checkrc NAME CMD...
	n=$1; shift
	if "$@" >/dev/null 2>&1; then echo "ok $n"; else echo "not ok $n: '$*' failed"; fi
}

check pipeline "3" "$(printf 'a\nb\nc\n' | wc -l | tr -d ' ')"
echo hello > f1; echo world >> f1
check redirect "hello world" "$(tr '\n' ' ' < f1 | sed 's/ $//')"
check stderr-redirect "err" "$( (echo err >&2) 2>&1 )"
check subshell "inner outer" "$(x=outer; (x=inner; printf '%s ' $x); echo $x)"
check cmd-subst "5" "$(echo $((2 + $(echo 3))))"
sleep 0.2 & p1=$!
( sleep 0.1; exit 7 ) & p2=$!
wait $p2; r2=$?
wait $p1; r1=$?
check background-wait "0 7" "$r1 $r2"
check trap-kill "caught" "$(sh -c 'trap "echo caught; exit 0" USR1; kill -USR1 $$; sleep 5; echo missed')"
check kill-term "143" "$(sh -c 'sleep 10 & p=$!; kill $p; wait $p; echo $?')"
mkdir -p d/sub; echo one > d/sub/a; ln -s sub/a d/link; chmod 640 d/sub/a
check ls-l "-rw-r-----" "$(ls -l d/sub/a | cut -c1-10)"
cp -a d d2
check cp-a "one l" "$(cat d2/sub/a) $(ls -l d2/link | cut -c1)"
mv d2 d3
check mv "one" "$( [ ! -e d2 ] && cat d3/link)"
rm -r d3
check rm-r "gone" "$( [ -e d3 ] || echo gone)"
check find "./d/link ./d/sub/a" "$(find . -path ./d2 -prune -o \( -type f -o -type l \) -print | grep '^./d/' | sort | tr '\n' ' ' | sed 's/ $//')"
check sort "1 2 10" "$(printf '10\n2\n1\n' | sort -n | tr '\n' ' ' | sed 's/ $//')"
check sed "hexlo" "$(echo hello | sed 's/l/x/')"
check grep "2" "$(printf 'a\nb\na\n' | grep -c a)"
check awk "6" "$(printf '1 2\n3 x\n' | awk '{s += $1 + ($2 ~ /^[0-9]+$/ ? $2 : 0)} END {print s}')"
mkdir -p tree/x; for i in 1 2 3 4 5; do seq 1 2000 > tree/x/f$i; done
before=$(cat tree/x/* | md5sum | cut -d' ' -f1)
tar czf t.tgz tree && rm -r tree && tar xzf t.tgz
after=$(cat tree/x/* | md5sum | cut -d' ' -f1)
check tar-gzip "$before" "$after"
check ps "yes" "$(ps | grep -q '[b]asics.sh\|[s]h' && echo yes)"
check free "yes" "$(free | grep -q '^Mem:' && echo yes)"
check dmesg "yes" "$(dmesg | grep -q 'Linux version' && echo yes)"
check uname "Linux x86_64" "$(uname -s) $(uname -m)"
check id-root "uid=0(root) gid=0(root)" "$(id | cut -d' ' -f1-2)"
echo secret > rootfile; chmod 644 rootfile
check su-user "uid=1000(user)" "$(su user -s /bin/sh -c id | cut -d' ' -f1)"
check su-denied "1000 denied" "$(su user -s /bin/sh -c "id -u; (echo x >> $W/rootfile) 2>/dev/null && echo allowed || echo denied" | tr '\n' ' ' | sed 's/ $//')"
# Debian's busybox-static has no chpst; su -c with a login shell covers the same ground
check su-login-denied "1000 denied" "$(su - user -c "id -u; (echo x > $W/rootfile) 2>/dev/null && echo allowed || echo denied" | tr '\n' ' ' | sed 's/ $//')"
check rootfile-intact "secret" "$(cat rootfile)"
# the hostfs root is a jail: "..", absolute symlinks and /proc magic links stay inside
check dotdot-jail "umlinux" "$(cat /../../../../etc/hostname)"
ln -s /../../../etc/hostname $W/abs-link
check symlink-jail "umlinux" "$(cat $W/abs-link)"
check proc-root-jail "umlinux" "$(cat /proc/self/root/../../etc/hostname)"
cd / && rm -rf $W
echo "done"
