#!/usr/bin/env bash
# Malformed, hostile and flooding MConsole requests (bad_requests.py) against a running
# guest: clean answers or UML's drops, never a crash, and the kernel answers after.
set -u
. "$(dirname "$0")/mc-lib.sh"

if [ ! -x "$UMLINUX" ]; then skip mconsole-badinput "not built"; finish; fi
if ! command -v python3 >/dev/null; then skip mconsole-badinput "no python3"; finish; fi

start_guest bad1 'while :; do sleep 1; done' || { fail badinput/boot "no socket"; finish; }
python3 "$UMLINUX_TOP/tests/mconsole/bad_requests.py" "$HOME/.uml/bad1/mconsole" || _lib_failed=1
# the kernel is still the one we started, and halts cleanly
check badinput/halt "OK " "$("$MC" bad1 halt)"
wait_guest
check badinput/exit-0 0 "$guest_rc"
finish
