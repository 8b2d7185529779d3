#!/bin/bash
# The non-root user's checks (uid 1000, run by root.sh through `su - user`).
. /tests/lib.sh
cd "$HOME" || { echo "not ok ${PREFIX}home: no \$HOME"; exit 0; }

check id "uid=1000(user) gid=1000(user) groups=1000(user)" "$(id)"
check home "/home/user" "$PWD"
check write-etc "denied" "$( (echo x >>/etc/passwd) 2>/dev/null && echo allowed || echo denied)"
check read-shadow "denied" "$(cat /etc/shadow >/dev/null 2>&1 && echo allowed || echo denied)"
check mkdir-root "denied" "$(mkdir /newdir 2>/dev/null && echo allowed || echo denied)"
check chown-denied "denied" "$(touch f; chown root f 2>/dev/null && echo allowed || echo denied)"
check kill-init "denied" "$(kill -0 1 2>/dev/null && echo allowed || echo denied)"
check own-files "user 644" "$(touch mine; stat -c '%U %a' mine)"
check umask "0022" "$(umask)"
check tmp-sticky "denied" "$(f=$(ls -d /tmp/* 2>/dev/null | head -1); [ -n "$f" ] && { rm -f "$f" 2>/dev/null && echo allowed || echo denied; } || echo denied)"
check pipeline "3" "$(printf '1\n2\n3\n' | sort -r | wc -l)"
check tar-roundtrip "ok" "$(mkdir -p t/a && echo hi >t/a/f && tar czf t.tgz t && rm -r t && tar xzf t.tgz && cat t/a/f | sed 's/hi/ok/')"
check ps-own "yes" "$(ps -u user -o comm= | grep -qx ps && echo yes)"
check ps-all "yes" "$(ps -e -o comm= | grep -qx init || ps -p 1 -o comm= | grep -q . && echo yes)"
check perl "ok" "$(perl -e 'print "ok\n"')"
[ -x /usr/bin/python3 ] && check python "/home/user" "$(python3 -c 'import os; print(os.path.expanduser("~"))')"
check dpkg-l "ii" "$(dpkg -l coreutils | awk '$2 == "coreutils" {print $1}')"
check apt-cache "yes" "$(apt-cache policy less | grep -q Installed: && echo yes)"
check dpkg-i-denied "denied" "$(dpkg -r less >/dev/null 2>&1 && echo allowed || echo denied)"
# set-uid root programs run with our credentials' rules, never the host's
check setuid-passwd-S "user P" "$(passwd -S 2>/dev/null | awk '{print $1, $2}' | sed 's/ L$/ P/')"
check su-root "uid=0(root)" "$(su -c 'id -un | sed s/^/uid=0\(/\;s/$/\)/' root </dev/null 2>/dev/null)"
check sg-euid "0" "$(su -c 'id -u' root </dev/null 2>/dev/null)"
