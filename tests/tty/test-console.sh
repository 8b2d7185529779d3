#!/usr/bin/env bash
# The console as a person uses it: BusyBox sh on con0 inside a tmux pane. Types
# commands, interrupts a sleep with ^C, halts, and checks the host terminal is restored.
set -u
. "$(dirname "$0")/../lib.sh"

if [ ! -x "$UMLINUX" ]; then skip console "kernel not built"; finish; fi
command -v tmux >/dev/null || { skip console "tmux not installed"; finish; }
root=$TMPDIR/root
umlinux_root_copy "$root" || { fail console-root "cannot copy the BusyBox root"; finish; }
sock=$TMPDIR/tmux.sock
T() { tmux -S "$sock" "$@"; }
screen() { T capture-pane -p -t con; }
# wait_for TEXT [SECONDS]: until the pane shows TEXT
wait_for() {
	local i
	for i in $(seq $((${2:-10} * 10))); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	return 1
}

# The pane runs a host shell that records the terminal settings before and after.
T new-session -d -s con -x 100 -y 30 "bash --norc --noprofile"
T send-keys -t con "stty -g > $TMPDIR/stty.before; $UMLINUX quiet root=/dev/root rootfstype=hostfs rootflags=$root uml_dir=$TMPDIR/uml init=/bin/sh; echo host''-rc=\$?; stty -g > $TMPDIR/stty.after" Enter
if wait_for "/ #" 15 || wait_for "# " 5; then pass console/prompt; else fail console/prompt "$(screen | tail -5)"; fi

T send-keys -t con "echo typed-\$((6*7))" Enter
wait_for "typed-42" && pass console/echo-command || fail console/echo-command "$(screen | tail -5)"

# canonical-mode editing: backspace removes the x
T send-keys -t con "echo abx" BSpace "c" Enter
wait_for "abc" && ! screen | grep -q "abxc" && pass console/backspace || fail console/backspace "$(screen | tail -5)"

T send-keys -t con "sleep 100; echo after-sleep" Enter
sleep 1
T send-keys -t con C-c
sleep 0.5
T send-keys -t con "echo back-at-prompt" Enter
if wait_for "back-at-prompt" && ! screen | grep -q "^after-sleep"; then pass console/ctrl-c; else fail console/ctrl-c "$(screen | tail -5)"; fi

# job control: ^Z stops the foreground job, fg brings it back, ^C ends it
T send-keys -t con "sleep 50; echo job-ended" Enter
sleep 1
T send-keys -t con C-z
wait_for "Stopped" 5 && pass console/ctrl-z || fail console/ctrl-z "$(screen | tail -5)"
T send-keys -t con "fg" Enter
sleep 0.5
T send-keys -t con C-c
T send-keys -t con "echo after-fg" Enter
wait_for "after-fg" && pass console/fg || fail console/fg "$(screen | tail -5)"

T send-keys -t con "exit 0" Enter
wait_for "host-rc=0" 10 && pass console/exit-halts || fail console/exit-halts "$(screen | tail -5)"
sleep 0.5
if [ -s "$TMPDIR/stty.before" ] && cmp -s "$TMPDIR/stty.before" "$TMPDIR/stty.after"; then
	pass console/terminal-restored
else
	fail console/terminal-restored "before=$(cat "$TMPDIR/stty.before" 2>/dev/null) after=$(cat "$TMPDIR/stty.after" 2>/dev/null)"
fi

# SIGTERM to the kernel while the shell waits on the console: the terminal comes back too.
T send-keys -t con "stty -g > $TMPDIR/stty.before2; $UMLINUX quiet root=/dev/root rootfstype=hostfs rootflags=$root uml_dir=$TMPDIR/uml umid=ttyterm init=/bin/sh; stty -g > $TMPDIR/stty.after2; echo seco''nd-done" Enter
for _ in $(seq 100); do [ -s "$TMPDIR/uml/ttyterm/pid" ] && break; sleep 0.1; done
sleep 0.5
kill -TERM "$(cat "$TMPDIR/uml/ttyterm/pid" 2>/dev/null)" 2>/dev/null
wait_for "second-done" 10
if cmp -s "$TMPDIR/stty.before2" "$TMPDIR/stty.after2"; then pass console/terminal-restored-sigterm
else fail console/terminal-restored-sigterm "settings differ after SIGTERM"; fi
# kill -9 of the kernel: the terminal guardian restores the settings.
T send-keys -t con "stty -g > $TMPDIR/stty.before3; $UMLINUX quiet root=/dev/root rootfstype=hostfs rootflags=$root uml_dir=$TMPDIR/uml umid=ttykill init=/bin/sh; sleep 0.5; stty -g > $TMPDIR/stty.after3; echo thi''rd-done" Enter
for _ in $(seq 100); do [ -s "$TMPDIR/uml/ttykill/pid" ] && break; sleep 0.1; done
sleep 0.5
kill -KILL "$(cat "$TMPDIR/uml/ttykill/pid" 2>/dev/null)" 2>/dev/null
wait_for "third-done" 10
if cmp -s "$TMPDIR/stty.before3" "$TMPDIR/stty.after3"; then pass console/terminal-restored-kill-9
else fail console/terminal-restored-kill-9 "settings differ after kill -9"; fi

# A panic (init dies of SIGSEGV): message, clean exit status, terminal restored.
if printf 'int main(void){*(volatile int *)0 = 1; return 0;}\n' | gcc -static -x c - -o "$root/segv" 2>/dev/null; then
	T send-keys -t con "clear; stty -g > $TMPDIR/stty.before4; $UMLINUX quiet root=/dev/root rootfstype=hostfs rootflags=$root uml_dir=$TMPDIR/uml init=/segv; echo panic-rc=\$?; stty -g > $TMPDIR/stty.after4" Enter
	wait_for "panic-rc=1" 10
	screen | grep -q "Attempted to kill init" && screen | grep -q "panic-rc=139" \
		&& pass console/panic-exit || fail console/panic-exit "$(screen | tail -4)"
	cmp -s "$TMPDIR/stty.before4" "$TMPDIR/stty.after4" && pass console/terminal-restored-panic \
		|| fail console/terminal-restored-panic "settings differ after the panic"
else
	skip console/panic-exit "no gcc to build a faulting init"
fi
# The default machine (make run): BusyBox init with /etc/inittab, a login shell on the
# console with job control, poweroff through init.
T send-keys -t con "clear; stty -g > $TMPDIR/stty.before5; $UMLINUX quiet root=/dev/root rootfstype=hostfs rootflags=$root uml_dir=$TMPDIR/uml; echo in''it-rc=\$?; stty -g > $TMPDIR/stty.after5" Enter
if wait_for "root@umlinux" 15; then pass console/busybox-init-login-shell; else fail console/busybox-init-login-shell "$(screen | tail -4)"; fi
T send-keys -t con "ps | grep -c '[/]sbin/init'" Enter
wait_for "1" 5
T send-keys -t con "sleep 40" Enter
sleep 1
T send-keys -t con C-z
wait_for "Stopped" 5 && pass console/busybox-init-job-control || fail console/busybox-init-job-control "$(screen | tail -4)"
T send-keys -t con "kill -9 %1; poweroff" Enter
wait_for "init-rc=0" 15 && pass console/busybox-init-poweroff || fail console/busybox-init-poweroff "$(screen | tail -4)"
sleep 0.3
cmp -s "$TMPDIR/stty.before5" "$TMPDIR/stty.after5" && pass console/terminal-restored-init \
	|| fail console/terminal-restored-init "settings differ after poweroff"
T kill-server 2>/dev/null
finish
