#!/usr/bin/env bash
# uml_mconsole's interactive mode on a terminal (tmux): the "(umid) " prompt, line editing
# (home, arrows, backspace, ^U), history, switch, quit, and the terminal left as found.
# Debian's client gets the same session for comparison.
set -u
. "$(dirname "$0")/mc-lib.sh"

if [ ! -x "$UMLINUX" ] || [ ! -x "$MC" ]; then skip mconsole-interactive "not built"; finish; fi
command -v tmux >/dev/null || { skip mconsole-interactive "tmux not installed"; finish; }
start_guest im1 'while :; do sleep 1; done' || { fail interactive/boot "no socket"; finish; }

sock=$TMPDIR/tmux.sock
T() { tmux -S "$sock" "$@"; }
screen() { T capture-pane -p -t mc; }
shows() {   # shows TEXT [TENTHS]: until the pane shows TEXT
	local i
	for i in $(seq "${2:-50}"); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	return 1
}
count() { screen | grep -cF -- "$1"; }

T new-session -d -s mc -x 120 -y 40 "env HOME=$HOME bash --norc --noprofile"
T send-keys -t mc "stty -g > $TMPDIR/stty.before; $MC im1; echo mc-rc=\$?; stty -g > $TMPDIR/stty.after" Enter
shows "(im1)" && pass interactive/prompt || fail interactive/prompt "$(screen | tail -5)"

# typed out of order, fixed with ^A (home) and insert
T send-keys -t mc "ersion" C-a "v" Enter
shows "OK Linux (none)" && pass interactive/home-insert || fail interactive/home-insert "$(screen | tail -5)"
# backspace
T send-keys -t mc "versionx" BSpace Enter
shows "OK Linux" && [ "$(count "OK Linux")" -eq 2 ] && pass interactive/backspace || fail interactive/backspace "$(screen | tail -5)"
# up arrow: the last command again
T send-keys -t mc Up Enter
for _ in $(seq 30); do [ "$(count "OK Linux")" -eq 3 ] && break; sleep 0.1; done
check interactive/history 3 "$(count "OK Linux")"
# left arrow, then an insertion in the middle
T send-keys -t mc "mconsole-vrsion" Left Left Left Left Left "e" Enter
shows "uml_mconsole client version 2" && pass interactive/left-arrow || fail interactive/left-arrow "$(screen | tail -5)"
# ^U drops what was typed
T send-keys -t mc "garbage" C-u "log typed-at-the-prompt" Enter
sleep 0.5
! screen | grep -q "Unknown command" && pass interactive/ctrl-u || fail interactive/ctrl-u "$(screen | tail -5)"
# a failed switch keeps the target
T send-keys -t mc "switch no-such-umid" Enter
shows "couldn't stat file: no-such-umid" && T send-keys -t mc "version" Enter
for _ in $(seq 30); do [ "$(count "OK Linux")" -eq 4 ] && break; sleep 0.1; done
check interactive/failed-switch-keeps-target 4 "$(count "OK Linux")"
T send-keys -t mc "quit" Enter
shows "mc-rc=0" && pass interactive/quit || fail interactive/quit "$(screen | tail -5)"
sleep 0.3
if [ -s "$TMPDIR/stty.before" ] && cmp -s "$TMPDIR/stty.before" "$TMPDIR/stty.after"; then
	pass interactive/terminal-restored
else
	fail interactive/terminal-restored "before=$(cat "$TMPDIR/stty.before") after=$(cat "$TMPDIR/stty.after")"
fi

# end of input (^D on an empty line) leaves too
T send-keys -t mc "clear; $MC im1; echo mc2-rc=\$?" Enter
shows "(im1)" && T send-keys -t mc C-d
shows "mc2-rc=0" && pass interactive/ctrl-d || fail interactive/ctrl-d "$(screen | tail -5)"

# Debian's client in the same terminal: the same prompt and answers
if [ -x "$DEBIAN_MC" ]; then
	T send-keys -t mc "clear; $DEBIAN_MC im1; echo deb-rc=\$?" Enter
	shows "(im1)" && pass interactive/debian-prompt || fail interactive/debian-prompt "$(screen | tail -5)"
	T send-keys -t mc "version" Enter
	shows "OK Linux (none)" && pass interactive/debian-version || fail interactive/debian-version "$(screen | tail -5)"
	T send-keys -t mc "quit" Enter
	shows "deb-rc=0" || true
fi
T kill-server
"$MC" im1 halt >/dev/null
wait_guest
finish
