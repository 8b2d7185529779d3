#!/usr/bin/env bash
# The Debian root booted with its own /sbin/init (sysvinit) on a console in a tmux pane,
# used as a person would: getty's login prompt, root's shell (^C, ^Z/bg/fg, resizing,
# less, vi, top), a password set with passwd, logging out and in again as `user` (a
# wrong password first), su, then poweroff halting the machine with the host terminal
# restored.
set -u
. "$(dirname "$0")/../lib.sh"

if [ ! -x "$UMLINUX" ]; then skip debian-console "kernel not built"; finish; fi
command -v tmux >/dev/null || { skip debian-console "tmux not installed"; finish; }
root=$TMPDIR/root
need_debian_root debian-console "$root"

sock=$TMPDIR/tmux.sock
T() { tmux -S "$sock" "$@"; }
screen() { T capture-pane -p -t deb; }
# wait_for TEXT [SECONDS]: until the pane shows TEXT
wait_for() {
	local i
	for i in $(seq $((${2:-10} * 10))); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	return 1
}
# wait_prompt: until the shell's prompt is the last line (a full-screen program has
# ended; it may flush what was typed before it did)
wait_prompt() {
	local i
	for i in $(seq 100); do
		screen | grep -v '^$' | tail -1 | grep -qE '^(root|user)@debian:~[#$] ?$' && return 0
		sleep 0.1
	done
	return 1
}
# run NAME CMD LINE [SECONDS]: clears the screen, types CMD and an echo of a marker;
# passes if a whole line matches the extended regex LINE once the marker is there
n=0
run() {
	n=$((n + 1))
	T send-keys -t deb "clear; $2; echo done-$n-\$((6*7))" Enter
	if wait_for "done-$n-42" "${4:-10}" && screen | grep -qxE -- "$3"; then pass "debian-console/$1"
	else fail "debian-console/$1" "$(screen | tail -4 | tr '\n' '|')"; fi
}
trap 'T kill-server 2>/dev/null' EXIT

T new-session -d -s deb -x 120 -y 40 "bash --norc --noprofile"
T send-keys -t deb "stty -g > $TMPDIR/stty.before; $UMLINUX quiet root=/dev/root rootfstype=hostfs rootflags=$root mem=256M uml_dir=$TMPDIR/uml; echo host''-rc=\$?; stty -g > $TMPDIR/stty.after" Enter
start=$SECONDS
if wait_for "debian login:" 60; then pass debian-console/getty-login-prompt
else fail debian-console/getty-login-prompt "$(screen | tail -5 | tr '\n' '|')"; finish; fi
echo "# login prompt after $((SECONDS - start)) s"

T send-keys -t deb root Enter
wait_for "root@debian:~#" 15 && pass debian-console/login-root || fail debian-console/login-root "$(screen | tail -5 | tr '\n' '|')"
run runlevel "runlevel" "N 2"
run init-is-pid1 "ps -o comm= -p 1" "init"
run tty "tty" "/dev/tty1"
run getty-parent 'ps -o comm= -p $(ps -o ppid= -p $PPID)' "init"

T send-keys -t deb "sleep 100; echo after-sleep" Enter
sleep 1
T send-keys -t deb C-c
sleep 0.5
screen | grep -qx "after-sleep" && fail debian-console/ctrl-c-ends-list "the rest of the list ran"
run ctrl-c "echo back-at-\$((1+1))" "back-at-2"

T send-keys -t deb "sleep 50" Enter
sleep 1
T send-keys -t deb C-z
wait_for "Stopped" 5 && pass debian-console/ctrl-z || fail debian-console/ctrl-z "$(screen | tail -3 | tr '\n' '|')"
run bg "bg; jobs" "\[1\]\+ +Running +sleep 50 &"
T send-keys -t deb "fg" Enter
sleep 0.5
T send-keys -t deb C-c
run fg-ctrl-c "jobs | wc -l" "0"

T resize-window -t deb -x 100 -y 30
sleep 0.5
run stty-size "stty size" "30 100"
run sigwinch-columns "echo cols=\$COLUMNS" "cols=100"
run pipeline-after-resize "ps -e -o comm= | head -3 | wc -l" "3"

T send-keys -t deb "less /etc/passwd" Enter
wait_for "(END)" 5 && pass debian-console/less || fail debian-console/less "$(screen | tail -3 | tr '\n' '|')"
T send-keys -t deb q
wait_prompt
T send-keys -t deb "vi /root/note" Enter
sleep 1
T send-keys -t deb "ihello from vi" Escape
sleep 0.3
T send-keys -t deb ":wq" Enter
wait_prompt
run vi "cat /root/note" "hello from vi"
T send-keys -t deb "top -d 1" Enter
wait_for "load average" 5 && pass debian-console/top || fail debian-console/top "$(screen | head -3 | tr '\n' '|')"
T send-keys -t deb q
wait_prompt
run after-top "echo top-\$((2*2))" "top-4"

# a password for `user`, typed twice with echo off
T send-keys -t deb "clear; passwd user" Enter
wait_for "New password:" 5 && T send-keys -t deb "Uml-pw-42" Enter
wait_for "Retype new password:" 5 && T send-keys -t deb "Uml-pw-42" Enter
wait_for "password updated successfully" 10 && pass debian-console/passwd || fail debian-console/passwd "$(screen | tail -4 | tr '\n' '|')"
screen | grep -q "Uml-pw-42" && fail debian-console/password-not-echoed "the password showed on the screen"

T send-keys -t deb "clear; exit" Enter
wait_for "debian login:" 15 && pass debian-console/logout-respawns-getty || fail debian-console/logout-respawns-getty "$(screen | tail -4 | tr '\n' '|')"
T send-keys -t deb user Enter
wait_for "Password:" 10 && T send-keys -t deb "wrong" Enter
wait_for "Login incorrect" 15 && pass debian-console/login-wrong-password || fail debian-console/login-wrong-password "$(screen | tail -4 | tr '\n' '|')"
sleep 0.5   # login asks for the name again itself
T send-keys -t deb user Enter
wait_for "Password:" 10 && T send-keys -t deb "Uml-pw-42" Enter
wait_for 'user@debian:~$' 15 && pass debian-console/login-user || fail debian-console/login-user "$(screen | tail -5 | tr '\n' '|')"
run user-id "id" "uid=1000\(user\) gid=1000\(user\) groups=1000\(user\)"
run user-denied "touch /etc/nope 2>&1" "touch: cannot touch '/etc/nope': Permission denied"
T send-keys -t deb "su -" Enter
wait_for "root@debian:~#" 10 && pass debian-console/su-root || fail debian-console/su-root "$(screen | tail -4 | tr '\n' '|')"
run su-root-id "echo \$(id -u) \$HOME" "0 /root"
run no-enosys "dmesg | grep -c 'is not implemented'" "0"
T send-keys -t deb "exit" Enter
T send-keys -t deb "clear; exit" Enter
wait_for "debian login:" 15
T send-keys -t deb root Enter
wait_for "root@debian:~#" 15
T send-keys -t deb "poweroff" Enter
wait_for "host-rc=0" 60 && pass debian-console/poweroff || fail debian-console/poweroff "$(screen | tail -4 | tr '\n' '|')"
sleep 0.5
if [ -s "$TMPDIR/stty.before" ] && cmp -s "$TMPDIR/stty.before" "$TMPDIR/stty.after"; then
	pass debian-console/terminal-restored
else
	fail debian-console/terminal-restored "before=$(cat "$TMPDIR/stty.before" 2>/dev/null) after=$(cat "$TMPDIR/stty.after" 2>/dev/null)"
fi
finish
