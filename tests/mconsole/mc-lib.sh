# shellcheck shell=bash
# Helpers for the MConsole tests (tests/mconsole/test-*.sh), on top of tests/lib.sh.
#
# HOME is a scratch directory, so guests live in $HOME/.uml/<umid>/ and both our
# build/uml_mconsole and Debian's /usr/bin/uml_mconsole find them by umid.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

MC=${MC:-$UMLINUX_TOP/build/uml_mconsole}
DEBIAN_MC=/usr/bin/uml_mconsole
NOTIFY=${NOTIFY:-$UMLINUX_TOP/build/uml_notify}
WATCHDOG=${WATCHDOG:-$UMLINUX_TOP/build/uml_watchdog}
export UML_MCONSOLE_TIMEOUT=10

# the root copy first: the cached BusyBox root is found through the real HOME
mc_root=$TMPDIR/root
if [ -x "$UMLINUX" ] && [ ! -d "$mc_root/bin" ]; then
	umlinux_root_copy "$mc_root" || { echo "FAIL mconsole-root: cannot copy the BusyBox root"; exit 1; }
fi
export HOME=$TMPDIR/home
mkdir -p "$HOME/.uml"

# start_guest UMID 'SHELL SCRIPT' [SWITCHES...]: boots a guest in the background whose init
# mounts /proc and runs the script; its console goes to $TMPDIR/UMID.out. Waits until the
# MConsole socket is there. Sets guest_pid (the timeout wrapper's pid).
start_guest() {
	local umid=$1 script=$2
	shift 2
	timeout -k 5 "${GUEST_TIMEOUT:-60}" "$UMLINUX" quiet root=/dev/root rootfstype=hostfs \
		rootflags="$mc_root" mem=128M umid="$umid" "$@" init=/bin/sh -- \
		-c "mount -t proc proc /proc; $script" </dev/null >"$TMPDIR/$umid.out" 2>&1 &
	guest_pid=$!
	for _ in $(seq 100); do
		[ -S "$HOME/.uml/$umid/mconsole" ] && return 0
		sleep 0.1
	done
	return 1
}

# wait_guest: waits for the guest started last; sets guest_rc.
wait_guest() {
	wait "$guest_pid"
	guest_rc=$?
}

# wait_for FILE PATTERN [TENTHS]: until FILE holds a line matching PATTERN.
wait_for() {
	local i
	for i in $(seq "${3:-100}"); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# check NAME EXPECTED ACTUAL: pass when they are equal, else fail showing both.
check() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected '$2', got '$3'"; fi
}

# The init script of a guest that runs commands for the test: guest_run writes a script
# to /mc-cmd in the guest's root (a host directory), the guest runs it into /mc-out.
GUEST_SERVE='while :; do if [ -f /mc-cmd ]; then sh /mc-cmd >/mc-out 2>&1; rm -f /mc-cmd; fi; sleep 0.1; done'

# guest_run 'COMMANDS': runs them in the guest started with $GUEST_SERVE; prints their output.
guest_run() {
	rm -f "$mc_root/mc-out"
	printf '%s\n' "$1" >"$mc_root/mc-cmd.new" && mv "$mc_root/mc-cmd.new" "$mc_root/mc-cmd"
	for _ in $(seq 100); do
		[ -e "$mc_root/mc-cmd" ] || break
		sleep 0.1
	done
	cat "$mc_root/mc-out" 2>/dev/null
}
