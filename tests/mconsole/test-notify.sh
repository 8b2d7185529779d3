#!/usr/bin/env bash
# Notifications (mconsole=notify:<socket>) as uml_notify receives them: socket at boot,
# user for writes to /proc/mconsole, panic, and hang from uml_watchdog (ours, and the
# 24-byte layout of Debian's amd64 build).
set -u
. "$(dirname "$0")/mc-lib.sh"

if [ ! -x "$UMLINUX" ] || [ ! -x "$NOTIFY" ]; then skip mconsole-notify "not built"; finish; fi
nsock=$TMPDIR/notify.sock
notes=$TMPDIR/notes

"$NOTIFY" -t 60 "$nsock" >"$notes" 2>&1 &
notify_pid=$!
for _ in $(seq 50); do [ -S "$nsock" ] && break; sleep 0.1; done

# (uml_watchdog, started by the guest's /dev/watchdog below, times out after 1 s)
UML_WATCHDOG_TIMEOUT=1 start_guest nt1 "$GUEST_SERVE" mconsole=notify:"$nsock" || { fail notify/boot "no socket"; finish; }
wait_for "$notes" '"socket"' 50
check notify/socket "Notification type = \"socket\", data = \"$HOME/.uml/nt1/mconsole\"" "$(grep '"socket"' "$notes")"

out=$(guest_run 'ls -l /proc/mconsole; echo -n hello-user > /proc/mconsole; echo "two words" > /proc/mconsole')
[[ $out == "--w-------"*" /proc/mconsole" ]] && pass notify/proc-file-mode || fail notify/proc-file-mode "$out"
wait_for "$notes" 'two words' 50
check notify/user "Notification type = \"user notification\", data = \"hello-user\"" "$(grep hello-user "$notes")"
check notify/user-newline 'Notification type = "user notification", data = "two words\n"' "$(grep 'two words' "$notes")"

# hang: our uml_watchdog, its pings stopped (a pipe that stays open and silent)
mkfifo "$TMPDIR/pings"
sleep 10 >"$TMPDIR/pings" &
holder=$!
UML_WATCHDOG_TIMEOUT=1 "$WATCHDOG" -mconsole "$nsock" <"$TMPDIR/pings" >"$TMPDIR/wd.out"
rc=$?
kill "$holder" 2>/dev/null
check watchdog/hang-exit-1 1 "$rc"
check watchdog/handshake-byte 00 "$(od -An -tx1 "$TMPDIR/wd.out" | tr -d ' ')"
wait_for "$notes" '"hang"' 50
check notify/hang 'Notification type = "hang", data = ""' "$(grep '"hang"' "$notes")"
# a normal close: end of input, exit 0, no notification
echo | UML_WATCHDOG_TIMEOUT=5 "$WATCHDOG" -mconsole "$nsock" >/dev/null
check watchdog/eof-exit-0 0 "$?"
"$WATCHDOG" -bogus x >/dev/null 2>&1
check watchdog/bad-args 1 "$?"
"$WATCHDOG" >/dev/null 2>&1
check watchdog/no-args 1 "$?"

# the 24-byte hang Debian's amd64 uml_watchdog sends
python3 -c '
import socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(struct.pack("<QiiiI", 0xcafebabe, 2, 2, 0, 0), sys.argv[1])' "$nsock"
sleep 0.3
check notify/hang-24-byte 2 "$(grep -c '"hang"' "$notes")"

# the guest's /dev/watchdog: uml_watchdog starts at open; pings keep it quiet, silence
# is a hang; one opener at a time; closing ends the helper
out=$(guest_run 'ls -l /dev/watchdog; exec 3>/dev/watchdog; for i in 1 2 3 4 5; do echo >&3; sleep 0.4; done
(exec 4>/dev/watchdog) 2>/dev/null || echo second-open-refused
exec 3>&-; echo closed')
[[ $out == "crw-------"*"10, 130"*"/dev/watchdog"* ]] && pass harddog/node || fail harddog/node "$out"
grep -q second-open-refused <<<"$out" && pass harddog/one-opener || fail harddog/one-opener "$out"
# the kernel runs the uml_watchdog beside it (ours, which honours UML_WATCHDOG_TIMEOUT)
# or else /usr/bin's, which waits 60 s
ours_beside=0
[ -x "$(dirname "$UMLINUX")/uml_watchdog" ] && ours_beside=1
sleep 1.5
check harddog/pings-keep-it-quiet 2 "$(grep -c '"hang"' "$notes")"
if [ $ours_beside = 1 ]; then
	guest_run 'exec 3>/dev/watchdog; echo >&3; sleep 2.5; exec 3>&-' >/dev/null
	for _ in $(seq 30); do [ "$(grep -c '"hang"' "$notes")" -ge 3 ] && break; sleep 0.1; done
	check harddog/silence-is-a-hang 3 "$(grep -c '"hang"' "$notes")"
else
	skip harddog/silence-is-a-hang "no uml_watchdog beside $UMLINUX"
fi

# panic: the message, and the umid directory stays behind as after a UML panic
check notify/panic-reply "OK " "$("$MC" nt1 sysrq c)"
wait_guest
check notify/panic-exit-134 134 "$guest_rc"
wait_for "$notes" '"panic"' 50
check notify/panic 'Notification type = "panic", data = "sysrq triggered crash"' "$(grep '"panic"' "$notes")"
[ -e "$HOME/.uml/nt1/pid" ] && pass notify/panic-keeps-umid-dir || fail notify/panic-keeps-umid-dir "removed"
rm -rf "${HOME:?}/.uml/nt1"
kill "$notify_pid"
wait "$notify_pid" 2>/dev/null
[ ! -e "$nsock" ] && pass notify/listener-removes-socket || fail notify/listener-removes-socket

# without mconsole=notify: there is no /proc/mconsole, and a hang SIGINTs the kernel
start_guest nt2 "$GUEST_SERVE" || { fail notify/boot-2 "no socket"; finish; }
check notify/no-proc-file-without-notify absent "$(guest_run 'test -e /proc/mconsole && echo present || echo absent')"
"$MC" nt2 halt >/dev/null
wait_guest
if [ $ours_beside = 1 ]; then
	UML_WATCHDOG_TIMEOUT=1 start_guest nt3 'exec 3>/dev/watchdog; echo >&3; sleep 30; echo not-killed' \
		|| fail harddog/boot "no socket"
	wait_guest
	check harddog/pid-mode-halts 0 "$guest_rc"
	! grep -q not-killed "$TMPDIR/nt3.out" && pass harddog/pid-mode-before-sleep-ends || fail harddog/pid-mode-before-sleep-ends
fi
finish
