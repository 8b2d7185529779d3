#!/bin/bash
# Runs as init (init=/bin/bash) in a copy of the Debian bookworm root: mounts what a
# distribution's boot would, checks each area as root, then runs user.sh as the
# non-root user `user` through su. Ends with "done".
. /tests/lib.sh
PREFIX=root/

mount -t proc proc /proc
mount -t sysfs sysfs /sys 2>/dev/null
hostname -F /etc/hostname     # as /etc/init.d/hostname.sh does
W=/root/work
rm -rf $W && mkdir -p $W && cd $W || { echo "not ok setup: cannot make $W"; exit 1; }

# --- the shell and the basic userland ------------------------------------------------
check bash-version "5.2" "${BASH_VERSINFO[0]}.${BASH_VERSINFO[1]}"
check os-release "12" "$(. /etc/os-release; echo $VERSION_ID)"
check pipeline "3" "$(printf 'a\nb\nc\n' | wc -l)"
check pipestatus "0 1 0" "$(true | false | true; echo ${PIPESTATUS[*]})"
check process-subst "b" "$(diff <(echo a; echo b) <(echo a) | sed -n 's/^< //p')"
check here-string "olleh" "$(rev <<<hello)"
check coproc "HI" "$(coproc C { read -r l; echo ${l^^}; }; echo hi >&"${C[1]}"; read -r r <&"${C[0]}"; echo $r)"
check bg-wait "0 7" "$(sleep 0.1 & p1=$!; (exit 7) & p2=$!; wait $p1; r1=$?; wait $p2; echo $r1 $?)"
check trap-signal "caught" "$(bash -c 'trap "echo caught; exit 0" USR1; kill -USR1 $$; sleep 5; echo missed')"
check kill-term "143" "$(bash -c 'sleep 10 & p=$!; kill $p; wait $p; echo $?')"
check timeout "124" "$(timeout 0.2 sleep 5; echo $?)"
check read-timeout "142" "$(bash -c 'read -t 0.2 x < <(sleep 2); echo $?')"
check set-e-subshell "1" "$(bash -c 'set -e; (false); echo unreachable' >/dev/null; echo $?)"

# --- coreutils, files and attributes ---------------------------------------------------
mkdir -p d/sub && echo one >d/sub/a && ln -s sub/a d/link && ln d/sub/a d/hard
chmod 640 d/sub/a
check stat-mode "640 2" "$(stat -c '%a %h' d/sub/a)"
check readlink-f "$W/d/sub/a" "$(readlink -f d/link)"
check realpath "$W/d/sub" "$(realpath d/sub/../sub)"
cp -a d d2
check cp-a "one 640 l 2" "$(cat d2/link) $(stat -c %a d2/sub/a) $(stat -c %A d2/link | cut -c1) $(stat -c %h d2/sub/a)"
touch -d '2001-02-03 04:05:06' d2/sub/a
check touch-d "2001-02-03 04:05:06" "$(date -r d2/sub/a '+%F %T')"
mv d2 d3 && check mv "one" "$( [ ! -e d2 ] && cat d3/link)"
rm -r d3 && check rm-r "gone" "$( [ -e d3 ] || echo gone)"
chown 1000:1000 d/sub/a
check chown "user:user" "$(stat -c %U:%G d/sub/a)"
chown -h 1000 d/link
check chown-h "user root" "$(stat -c %U d/link) $(stat -c %U d/sub)"
check ls-l "-rw-r----- 2 user user" "$(ls -l d/sub/a | cut -d' ' -f1-4)"
mkfifo fifo && check mkfifo "p" "$(stat -c %A fifo | cut -c1)"
check fifo-io "through" "$( (echo through >fifo &) ; cat fifo)"
mknod nulldev c 1 3 && check mknod "c 1 3" "$(stat -c '%A %t %T' nulldev | cut -c1,11-)"
check mknod-write "0" "$(echo x >nulldev; echo $?)"
truncate -s 1M sparse && check truncate "1048576" "$(stat -c %s sparse)"
check dd "4096" "$(dd if=/dev/zero of=z bs=1024 count=4 2>/dev/null; stat -c %s z)"
check dd-urandom "1000" "$(dd if=/dev/urandom bs=100 count=10 2>/dev/null | wc -c)"
check df "yes" "$(df -P / | awk 'NR==2 && $2 > 0 {print "yes"}')"
check du "yes" "$(du -s /etc | awk '$1 > 100 {print "yes"}')"
check sort-uniq "a:2 b:1" "$(printf 'b\na\na\n' | sort | uniq -c | awk '{print $2 ":" $1}' | xargs)"
check split-cat "same" "$(seq 1 5000 >s; split -l 1000 s part.; cat part.* | cmp - s && echo same)"
check sha256sum "ok" "$(echo abc >h; sha256sum h >h.sum; sha256sum -c h.sum | sed 's/^h: OK$/ok/')"
check install "755 root" "$(install -m 755 -o root /bin/true inst; stat -c '%a %U' inst)"
check ln-sf "b" "$(echo a >ta; echo b >tb; ln -sf ta tl; ln -sf tb tl; cat tl)"
check mktemp "ok" "$(f=$(mktemp) && [ -f "$f" ] && rm "$f" && echo ok)"
check umask "0022 644 755" "$(echo $(umask; touch um; mkdir umd; stat -c %a um umd))"
check sticky-tmp "1777" "$(stat -c %a /tmp)"
check chroot "12" "$(chroot / cat /etc/debian_version | cut -d. -f1)"
check sync "0" "$(sync; echo $?)"
check date "1970-01-02" "$(date -u -d @86400 +%F)"
check id "uid=0(root) gid=0(root) groups=0(root)" "$(id)"
check hostname "debian" "$(hostname)"
check uname "Linux x86_64" "$(uname -sm)"
check nproc "1" "$(nproc)"
check flock "locked" "$(flock lk -c 'flock -n lk -c true && echo free || echo locked')"
# coreutils tail follows with inotify: -s 30 would make a polling tail wait 30 s
: >tf
check tail-f-inotify "one two" "$(tail -s 30 -f tf >tf.out 2>&1 & p=$!; sleep 0.3; echo one >>tf; sleep 0.3; echo two >>tf; sleep 0.5; kill $p; xargs <tf.out)"
check tail-F-rotate "a b" "$(echo a >tr; tail -s 30 -n +1 -F tr >tr.out 2>/dev/null & p=$!; sleep 0.3; mv tr tr.1; echo b >tr; sleep 0.8; kill $p; xargs <tr.out)"

# --- findutils, grep, sed, mawk ----------------------------------------------------------
check find "./d/hard ./d/link ./d/sub/a" "$(find ./d \( -type f -o -type l \) | sort | xargs)"
check find-perm "./d/sub/a" "$(find ./d -perm 640 -type f -name a)"
check find-exec "one" "$(find d -name a -exec cat {} \;)"
check find-newer "um" "$(touch -d '2000-01-01' old; find . -maxdepth 1 -name um -newer old | sed 's|^\./||')"
check xargs "3" "$(printf '1\n2\n3\n' | xargs -n1 echo | wc -l)"
check xargs-P "6" "$(seq 1 3 | xargs -P 3 -I{} sh -c 'echo {}' | paste -sd+ | bc 2>/dev/null || seq 1 3 | xargs -P 3 -I{} echo {} | awk '{s+=$1} END {print s}')"
check grep-r "$W/d/sub/a" "$(grep -rl one $W/d/sub)"
check grep-E "2" "$(printf 'ab\nac\nbd\n' | grep -cE '^a(b|c)$')"
check grep-P "123" "$(echo abc123 | grep -oP '\d+')"
check sed-i "two" "$(echo one >si; sed -i 's/one/two/' si; cat si)"
check sed-regex "X-b-X" "$(echo a-b-c | sed -E 's/^a|c$/X/g')"
check mawk "500500 1000" "$(seq 1 1000 | mawk '{s += $1; n++} END {print s, n}')"
check awk-split "c" "$(echo a:b:c | awk -F: '{print $NF}')"

# --- archives and compression ------------------------------------------------------------
mkdir -p tree/x && for i in 1 2 3; do seq 1 3000 >tree/x/f$i; done && ln -s f1 tree/x/l && chmod 600 tree/x/f2
before=$(cd tree && find . -printf '%p %m %y\n' | sort | md5sum)
tar czf t.tgz tree && rm -r tree && tar xzf t.tgz
check tar-gzip "$before" "$(cd tree && find . -printf '%p %m %y\n' | sort | md5sum)"
tar cJf t.txz tree && rm -r tree && tar xJf t.txz
check tar-xz "$before" "$(cd tree && find . -printf '%p %m %y\n' | sort | md5sum)"
check gzip "ok" "$(seq 1 10000 >g; gzip -9 g && gzip -t g.gz && zcat g.gz | tail -1 | sed 's/10000/ok/')"
check xz "ok" "$(seq 1 10000 >x; xz x && xz -t x.xz && xzcat x.xz | tail -1 | sed 's/10000/ok/')"
check tar-owner "user" "$(tar tvzf t.tgz 2>/dev/null | head -0; cd /; tar czf $W/own.tgz -C $W d/sub/a; tar tvzf $W/own.tgz | awk '{print $2}' | cut -d/ -f1)"

# --- perl, python --------------------------------------------------------------------------
check perl "perl 5.36 ok" "$(perl -e 'printf "perl %vd ok\n", $^V' | sed 's/\.[0-9]* ok/ ok/')"
check perl-fork "child 42" "$(perl -e 'if (my $p = fork) { waitpid($p, 0); print "child ", $? >> 8, "\n" } else { exit 42 }')"
check perl-regex "b=2" "$(perl -ne 'print "$1=$2\n" if /(\w)\s*:\s*(\d)/' <<<'b : 2')"
if [ -x /usr/bin/python3 ]; then
	check python "4" "$(python3 -c 'print(2 + 2)')"
	check python-subprocess "hi" "$(python3 -c 'import subprocess; print(subprocess.run(["echo", "hi"], capture_output=True, text=True).stdout.strip())')"
	check python-threads "4" "$(python3 -c '
import threading
r = []
ts = [threading.Thread(target=lambda i=i: r.append(i)) for i in range(4)]
[t.start() for t in ts]; [t.join() for t in ts]; print(len(r))')"
	check python-epoll "ready" "$(python3 -c '
import os, select
r, w = os.pipe(); e = select.epoll(); e.register(r, select.EPOLLIN)
os.write(w, b"x"); print("ready" if e.poll(1) == [(r, select.EPOLLIN)] else "no")')"
	check python-eventfd "3" "$(python3 -c '
import os
fd = os.eventfd(0); os.eventfd_write(fd, 1); os.eventfd_write(fd, 2); print(os.eventfd_read(fd))')"
	check python-itimer "alarm" "$(python3 -c '
import signal, time
signal.signal(signal.SIGALRM, lambda *a: print("alarm") or exit(0))
signal.setitimer(signal.ITIMER_REAL, 0.05); time.sleep(2); print("no alarm")')"
	check python-flock "ok" "$(python3 -c '
import fcntl
f = open("pyl", "w"); fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB); print("ok")')"
	check python-os "$W" "$(python3 -c 'import os; print(os.getcwd())')"
	check python-unix-stream "pong 4" "$(timeout 20 python3 -c '
import socket, threading, os
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); srv.bind("s.sock"); srv.listen()
def serve():
    c, _ = srv.accept(); c.sendall(b"pong " + str(len(c.recv(64))).encode()); c.close()
th = threading.Thread(target=serve); th.start()
cl = socket.socket(socket.AF_UNIX); cl.connect("s.sock"); cl.sendall(b"ping")
print(cl.recv(64).decode()); th.join()' 2>&1)"
	check python-send-fds "via-fd" "$(timeout 20 python3 -c '
import socket, os
a, b = socket.socketpair(); r, w = os.pipe()
socket.send_fds(a, [b"x"], [w]); os.close(w)
msg, fds, flags, addr = socket.recv_fds(b, 16, 1)
os.write(fds[0], b"via-fd"); os.close(fds[0]); print(os.read(r, 16).decode())' 2>&1)"
	check logger-dev-log "hello from logger" "$(timeout 20 python3 -c '
import socket, subprocess, os
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind("/dev/log")
subprocess.run(["logger", "-t", "t", "hello from logger"]); s.settimeout(5)
print(s.recv(512).decode().split(": ", 1)[-1]); os.unlink("/dev/log")' 2>&1)"
fi

# --- memory file systems, the console, job control ---------------------------------------
check tmpfs-mount "tmpfs" "$(mkdir -p /mnt/t && mount -t tmpfs -o size=4m tmpfs /mnt/t && stat -f -c %T /mnt/t)"
check tmpfs-io "hello 1777" "$(chmod 1777 /mnt/t && echo hello >/mnt/t/f && cat /mnt/t/f) $(stat -c %a /mnt/t)"
check tmpfs-full "ENOSPC" "$(dd if=/dev/zero of=/mnt/t/big bs=1M count=8 2>&1 | grep -q 'No space left' && echo ENOSPC)"
check tmpfs-umount "0" "$(umount /mnt/t; echo $?)"
check sysfs "sysfs 0" "$(stat -f -c %T /sys) $(cat /sys/devices/system/cpu/online)"
check lsblk "0" "$(lsblk >/dev/null; echo $?)"
check dev-shm "yes" "$(mountpoint -q /dev/shm && touch /dev/shm/x && echo yes)"
check script-pty "pts hi" "$(script -qc 'tty; echo hi' /dev/null | tr -d '\r' | sed 's|/dev/pts/[0-9]*|pts|' | xargs)"
check ipcmk-shm "bytes=4096" "$(id=$(ipcmk -M 4096 | grep -o '[0-9]*$'); ipcs -m -i $id | grep -o 'bytes=4096'; ipcrm -m $id)"
check console-tty "yes" "$(tty | grep -q '^/dev/tty' && echo yes)"
check stty "yes" "$(stty -g >/dev/null && stty -a | grep -q 'icanon' && echo yes)"
check stty-set "-echo" "$(old=$(stty -g); stty -echo; stty -a | grep -o -- '-echo ' | tr -d ' '; stty "$old")"
# a background process that blocks SIGTTOU may take the terminal (bash's children do)
check tcsetpgrp-ttou-blocked "ok" "$(timeout 10 python3 -c '
import os, signal
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTTOU])
fd = os.open("/dev/tty", os.O_RDWR)
me = os.getpgrp()
pid = os.fork()
if pid == 0:
    os.close(1), os.close(2)   # a child stuck here must not hold the output open
    os.setpgid(0, 0)
    os.tcsetpgrp(fd, os.getpgrp())
    os._exit(0 if os.tcgetpgrp(fd) == os.getpid() else 1)
_, st = os.waitpid(pid, 0)
os.tcsetpgrp(fd, me)
print("ok" if st == 0 else "child status %d" % st)' 2>&1)"
check jobs-stop-cont "Stopped Running" "$(bash -c 'set -m; sleep 5 & kill -STOP %1; sleep 0.2; jobs | grep -o Stopped; kill -CONT %1; sleep 0.1; jobs | grep -o Running; kill %1' 2>/dev/null | xargs)"

# --- dpkg and apt, offline ---------------------------------------------------------------
check dpkg-l "ii bash" "$(dpkg -l bash | awk '$2 == "bash" {print $1, $2}')"
check dpkg-L "/usr/bin/less" "$(dpkg -L less | grep -x /usr/bin/less)"
check dpkg-S "coreutils: /bin/ls" "$(dpkg -S /bin/ls)"
check dpkg-audit "" "$(dpkg --audit 2>&1)"
check apt-cache-policy "yes" "$(apt-cache policy bash | grep -q 'Installed: 5\.2' && echo yes)"
check apt-cache-show "Package: less" "$(apt-cache show less | head -1)"
check apt-cache-depends "yes" "$(apt-cache depends bash | grep -q 'Depends: base-files' && echo yes)"
check apt-get-simulate "yes" "$(apt-get -s install hello 2>&1 | grep -q '^Inst hello' && echo yes)"
# build a package here and install and remove it with dpkg
mkdir -p pkg/DEBIAN pkg/usr/share/umltest
printf 'Package: umltest\nVersion: 1.0\nArchitecture: all\nMaintainer: t <t@example.org>\nDescription: test\n' >pkg/DEBIAN/control
echo data >pkg/usr/share/umltest/file
check dpkg-deb-build "ok" "$(dpkg-deb --root-owner-group --build pkg umltest.deb >/dev/null && echo ok)"
check dpkg-i "ii data" "$(dpkg -i umltest.deb >/dev/null 2>&1; dpkg -l umltest | awk '/umltest/ {print $1}') $(cat /usr/share/umltest/file)"
check dpkg-r "gone" "$(dpkg -r umltest >/dev/null 2>&1; [ -e /usr/share/umltest/file ] || echo gone)"

# --- processes and procfs ----------------------------------------------------------------
cp /bin/sleep $W/napper     # a name no other process has
$W/napper 30 & sl=$!
check ps-p "napper" "$(ps -o comm= -p $sl)"
check ps-aux "yes" "$(ps aux | awk -v p=$sl '$2 == p && $11 == "'$W'/napper" {print "yes"}')"
check ps-state "S" "$(ps -o stat= -p $sl | cut -c1)"
check ps-tree "yes" "$(ps -ejH | grep -q ' napper$' && echo yes)"
check pgrep "$sl" "$(pgrep -x napper)"
check pidof "$sl" "$(pidof napper)"
pkill -x napper; wait $sl
check pkill "143" "$?"
check top-b "yes" "$(top -b -n1 | grep -q '^Tasks:' && echo yes)"
check free "yes" "$(free -m | awk '/^Mem:/ && $2 > 100 {print "yes"}')"
check uptime "yes" "$(uptime | grep -q 'load average' && echo yes)"
check vmstat "yes" "$(vmstat | tail -1 | awk 'NF >= 16 {print "yes"}')"
check w "yes" "$(w | head -1 | grep -q 'load average' && echo yes)"
check pmap "yes" "$(pmap $$ | grep -q 'libc.so.6' && echo yes)"
check pwdx "$$: $W" "$(pwdx $$)"
check sysctl "debian" "$(sysctl -n kernel.hostname)"
check proc-self-exe "/usr/bin/readlink" "$(readlink /proc/self/exe)"
check proc-fd "$W/fdtest" "$(exec 7>fdtest; readlink /proc/$BASHPID/fd/7)"
check proc-environ "FOO=bar" "$(FOO=bar sh -c 'tr "\0" "\n" </proc/$$/environ | grep ^FOO=')"
check proc-status "yes" "$(grep -q '^VmRSS:' /proc/self/status && echo yes)"
check proc-limits "yes" "$(grep -q '^Max open files' /proc/self/limits && echo yes)"
check proc-mountinfo "yes" "$(awk '$5 == "/proc" {print "yes"}' /proc/self/mountinfo)"
check proc-task "2" "$(python3 -c '
import threading, os, time
e = threading.Event(); t = threading.Thread(target=e.wait); t.start()
print(len(os.listdir("/proc/self/task"))); e.set(); t.join()')"
check proc-cmdline "sleep 7" "$(sleep 7 & p=$!; tr '\0' ' ' </proc/$p/cmdline | sed 's/ $//'; kill $p)"
check kill-l "HUP" "$(kill -l 1)"
check segfault-log "139 perl segfault at 10" "$(perl -e 'print unpack("p", pack("Q", 16))' 2>/dev/null; echo $? $(dmesg | grep -o 'perl\[[0-9]*\]: segfault at [0-9a-f]*' | tail -1 | sed 's/\[[0-9]*\]:/ /' | tr -s ' '))"
check nice "10" "$(nice -n 10 sh -c 'ps -o ni= -p $$' | tr -d ' ')"
check nohup "ok" "$(cd $W && nohup sh -c 'echo ok' >/dev/null 2>&1; cat nohup.out 2>/dev/null || echo ok)"
check setsid "yes" "$(setsid sh -c '[ $(ps -o sid= -p $$) -eq $$ ] && echo yes')"

# --- users -------------------------------------------------------------------------------
check su-user "uid=1000(user) gid=1000(user) groups=1000(user)" "$(su user -c id)"
check su-login-home "/home/user user" "$(su - user -c 'echo $PWD $LOGNAME')"
check passwd-d-user "P" "$(passwd -S root | awk '{print substr($2,1,1)}' | tr N P)"
adduser --disabled-password --gecos '' bob >/dev/null 2>&1
check adduser "1001 /home/bob" "$(id -u bob) $(getent passwd bob | cut -d: -f6)"
check adduser-home "bob 700" "$(stat -c '%U %a' /home/bob)"
deluser bob >/dev/null 2>&1 && rm -r /home/bob
check deluser "gone" "$(id bob >/dev/null 2>&1 || [ -d /home/bob ] || echo gone)"
check setuid-bit "4755" "$(stat -c %a /usr/bin/passwd)"
echo secret >rootfile && chmod 600 rootfile
check perm-denied "denied" "$(su user -c "cat $W/rootfile" >/dev/null 2>&1 && echo allowed || echo denied)"

# --- the non-root user's own checks --------------------------------------------------------
cp /tests/lib.sh /tests/user.sh /tmp/ 2>/dev/null
chmod 755 /root    # let user read nothing private, but reach /tests
su - user -c 'PREFIX=user/ bash /tests/user.sh'

# every system call the programs above made exists (the kernel logs each missing one once)
check no-enosys "" "$(dmesg | grep -o 'system call [a-z0-9_?]* ([0-9]*) is not implemented; [^[]*' | sort -u)"
cd / && rm -rf $W
echo done
