#!/usr/bin/env bash
# An instance's life on the host: the umid directory and pid file, exit statuses of
# halt/poweroff/reboot and of init's death, host signals to the kernel, and that no task
# host outlives the kernel (clean halt, panic, kill -9).
set -u
. "$(dirname "$0")/../lib.sh"

if [ ! -x "$UMLINUX" ]; then skip lifecycle "kernel not built"; finish; fi
root=$TMPDIR/root
umlinux_root_copy "$root" || { fail lifecycle-root "cannot copy the BusyBox root"; finish; }
udir=$TMPDIR/uml

# The task hosts of one instance: the kernel's host children running the stub. Other
# guests may run on this machine at the same time, so only these pids are checked.
hosts_of() {
	local p
	for p in $(ps -o pid= --ppid "$1" 2>/dev/null); do
		case "$(readlink "/proc/$p/exe" 2>/dev/null)" in *umlinux-stub*) echo "$p" ;; esac
	done
}
# running (not zombie: the host's init may be slow to reap orphans) task hosts
alive() {
	local p n=0 st
	for p in "$@"; do
		st=$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)
		[ -n "$st" ] && [ "$st" != Z ] && n=$((n + 1))
	done
	echo $n
}

# halt -f / poweroff -f: exit 0, umid directory removed.
run_guest "$root" umid=lc1 init=/bin/sh -- -c 'poweroff -f' >/dev/null 2>&1
rc=$?
[ $rc -eq 0 ] && pass lifecycle/poweroff-exit-0 || fail lifecycle/poweroff-exit-0 "exit $rc"
[ ! -e "$udir/lc1" ] && pass lifecycle/umid-removed || fail lifecycle/umid-removed "$udir/lc1 left behind"
run_guest "$root" umid=lc1 init=/bin/sh -- -c 'halt -f' >/dev/null 2>&1
rc=$?
[ $rc -eq 0 ] && pass lifecycle/halt-exit-0 || fail lifecycle/halt-exit-0 "exit $rc"

# init's exit status becomes umlinux's, after the panic line Linux prints.
out=$(run_guest "$root" init=/bin/sh -- -c 'exit 7' 2>&1)
rc=$?
[ $rc -eq 7 ] && pass lifecycle/init-exit-status || fail lifecycle/init-exit-status "exit $rc"
grep -q "Kernel panic - not syncing: Attempted to kill init!" <<<"$out" \
	&& pass lifecycle/init-death-panic-line || fail lifecycle/init-death-panic-line "$out"

# The pid file while running, and a second instance with the same umid.
run_guest "$root" umid=lc2 init=/bin/sh -- -c 'sleep 3' >/dev/null 2>&1 &
bg=$!
for _ in $(seq 50); do [ -s "$udir/lc2/pid" ] && break; sleep 0.1; done
pid=$(cat "$udir/lc2/pid" 2>/dev/null)
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then pass lifecycle/pid-file; else fail lifecycle/pid-file "no live pid in $udir/lc2/pid"; fi
out=$(run_guest "$root" umid=lc2 init=/bin/true 2>&1)
grep -q "umid \"lc2\" is already in use by pid $pid" <<<"$out" \
	&& pass lifecycle/live-umid-refused || fail lifecycle/live-umid-refused "$out"
wait $bg

# A stale directory (dead pid) is taken over.
mkdir -p "$udir/lc3"; sh -c 'exit 0' & dead=$!; wait $dead
echo $dead > "$udir/lc3/pid"
run_guest "$root" umid=lc3 init=/bin/sh -- -c 'cat /proc/self/stat >/dev/null; poweroff -f' >/dev/null 2>&1
rc=$?
[ $rc -eq 0 ] && [ ! -e "$udir/lc3" ] && pass lifecycle/stale-umid-taken-over || fail lifecycle/stale-umid-taken-over "exit $rc"

# SIGTERM to the kernel halts it; no task host survives.
run_guest "$root" umid=lc4 init=/bin/sh -- -c 'sleep 100 & sleep 100' >/dev/null 2>&1 &
bg=$!
for _ in $(seq 50); do [ -s "$udir/lc4/pid" ] && break; sleep 0.1; done
sleep 0.5
kpid=$(cat "$udir/lc4/pid")
hosts=$(hosts_of "$kpid")
kill -TERM "$kpid"
wait $bg; rc=$?
[ $rc -eq 0 ] && pass lifecycle/sigterm-halts || fail lifecycle/sigterm-halts "exit $rc"
sleep 0.3
[ -n "$hosts" ] && [ "$(alive $hosts)" -eq 0 ] && pass lifecycle/no-hosts-after-halt \
	|| fail lifecycle/no-hosts-after-halt "task hosts [$hosts]: $(alive $hosts) alive"

# kill -9 of the kernel: task hosts die with it (PTRACE_O_EXITKILL).
run_guest "$root" umid=lc5 init=/bin/sh -- -c 'sleep 100 & sleep 100 & sleep 100' >/dev/null 2>&1 &
bg=$!
for _ in $(seq 50); do [ -s "$udir/lc5/pid" ] && break; sleep 0.1; done
sleep 0.5
kpid=$(cat "$udir/lc5/pid")
hosts=$(hosts_of "$kpid")
kill -KILL "$kpid"
wait $bg
sleep 0.5
n=$(echo $hosts | wc -w)
[ "$n" -ge 3 ] && [ "$(alive $hosts)" -eq 0 ] && pass lifecycle/no-hosts-after-kill-9 \
	|| fail lifecycle/no-hosts-after-kill-9 "task hosts [$hosts]: $(alive $hosts) alive"

# reboot re-executes the kernel with the same switches: the second boot sees a marker.
rm -f "$root/rebooted"
GUEST_TIMEOUT=20 run_guest "$root" umid=lc6 init=/bin/sh -- -c 'if [ -e /rebooted ]; then echo second-boot; poweroff -f; elif echo 1 > /rebooted; then reboot -f; else poweroff -f; fi' >"$TMPDIR/reboot.out" 2>&1
rc=$?
out=$(head -c 2000 "$TMPDIR/reboot.out")
grep -q second-boot <<<"$out" && [ $rc -eq 0 ] && pass lifecycle/reboot-reexecs || fail lifecycle/reboot-reexecs "exit $rc: $(head -c 300 <<<"$out")"
finish
