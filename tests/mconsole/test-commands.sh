#!/usr/bin/env bash
# Every MConsole command against a running guest, through our uml_mconsole and through
# Debian's (uml-utilities): the same output and exit status from both, and UML's texts.
set -u
. "$(dirname "$0")/mc-lib.sh"

if [ ! -x "$UMLINUX" ] || [ ! -x "$MC" ]; then skip mconsole-commands "not built"; finish; fi
have_debian=1
[ -x "$DEBIAN_MC" ] || { have_debian=0; skip mconsole-commands/debian "no $DEBIAN_MC (uml-utilities)"; }

start_guest mc1 "$GUEST_SERVE" || { fail mconsole-commands/boot "no socket in $HOME/.uml/mc1"; finish; }

# both NAME EXPECTED-STATUS CMD...: runs CMD through both clients; they must agree, and
# exit with EXPECTED-STATUS. Leaves our output in $out.
both() {
	local name=$1 want=$2 rc drc dout
	shift 2
	out=$("$MC" mc1 "$@" 2>"$TMPDIR/mc.err")
	rc=$?
	check "$name/status" "$want" "$rc"
	[ "$have_debian" = 1 ] || return 0
	dout=$("$DEBIAN_MC" mc1 "$@" 2>/dev/null)
	drc=$?
	check "$name/debian-status" "$want" "$drc"
	if [ "$out" = "$dout" ]; then pass "$name/same-as-debian"; else
		fail "$name/same-as-debian" "ours: $(head -c 300 <<<"$out") | debian: $(head -c 300 <<<"$dout")"; fi
}

# the socket: owner-only
mode=$(stat -c %a "$HOME/.uml/mc1/mconsole")
check socket-mode 700 "$mode"

both version 0 version
[[ $out =~ ^OK\ Linux\ \(none\)\ [^\ ]+\ \#1\ .*\ x86_64$ ]] && pass version/text || fail version/text "$out"
both version-prefix 0 versionfoo
[[ $out == "OK Linux "* ]] && pass version/prefix-match || fail version/prefix-match "$out"

both help 0 help
grep -qxF '    config <dev>=<config> - Add a new device to UML;  ' <<<"$out" && grep -qxF "$(printf '\tsame syntax as command line ')" <<<"$out" \
	&& grep -qxF '    int  - Interrupt UML session' <<<"$out" && pass help/text || fail help/text "$out"

both unknown 1 VERSION
check unknown/text "ERR Unknown command" "$out"

both proc-version 0 proc version
[[ $out == $'OK \nLinux version '* ]] && pass proc/text || fail proc/text "$out"
both proc-meminfo 0 proc meminfo
grep -q '^MemTotal: *131072 kB$' <<<"$out" && pass proc/meminfo || fail proc/meminfo "$out"
both proc-missing 1 proc no-such-file
check proc-missing/text "ERR Failed to open file" "$out"
both proc-dir 1 proc
check proc-dir/text "ERR Read of file failed" "$out"
# a long file comes back whole across many datagrams
out=$("$MC" mc1 proc self/maps >/dev/null 2>&1; "$MC" mc1 proc cpuinfo)
guest_cpuinfo=$(guest_run 'cat /proc/cpuinfo')
[ "$out" = "OK "$'\n'"$guest_cpuinfo" ] && pass proc/long-file || fail proc/long-file "$(wc -c <<<"$out") vs $(wc -c <<<"$guest_cpuinfo") bytes"

"$MC" mc1 stack 1 >"$TMPDIR/stack.out"
grep -q '^OK Stack:' "$TMPDIR/stack.out" && grep -q '^Call Trace:' "$TMPDIR/stack.out" && grep -q 'PID: 1 Comm: sh' "$TMPDIR/stack.out" \
	&& pass stack/pid-1 || fail stack/pid-1 "$(cat "$TMPDIR/stack.out")"
both stack-missing 1 stack 4242
check stack-missing/text "ERR Couldn't find that pid" "$out"
both stack-no-pid 1 stack
check stack-no-pid/text "ERR Please specify a pid" "$out"

both log 0 log hello-from-the-host
check log/replies $'OK \nOK ' "$out"
guest_run 'dmesg' | grep -q 'hello-from-the-host' && pass log/in-dmesg || fail log/in-dmesg "not in the guest's dmesg"

both sysrq-help 0 sysrq
[[ $out == "OK sysrq: HELP : loglevel(0-9) reboot(b) crash(c) terminate-all-tasks(e) "* ]] && pass sysrq/help || fail sysrq/help "$out"
both sysrq-m 0 sysrq m
[[ $out == $'OK sysrq: Show Memory\nMem-Info:\n'* ]] && pass sysrq/m || fail sysrq/m "$out"
out=$("$MC" mc1 sysrq s)
check sysrq/s $'OK sysrq: Emergency Sync\nEmergency Sync complete' "$out"
out=$("$MC" mc1 sysrq t)
grep -q '^task:sh  *state:S stack:0 *pid:1 ' <<<"$out" && pass sysrq/t || fail sysrq/t "$out"
out=$("$MC" mc1 sysrq p)
[[ $out == $'OK sysrq: Show Regs\n'* ]] && pass sysrq/p || fail sysrq/p "$out"
guest_run 'echo 0 > /proc/sys/kernel/sysrq' >/dev/null
out=$("$MC" mc1 sysrq m)
check sysrq/disabled "OK " "$out"
guest_run 'echo 16 > /proc/sys/kernel/sysrq' >/dev/null
out=$("$MC" mc1 sysrq m)
check sysrq/masked 'OK sysrq: This sysrq operation is disabled.' "$out"
guest_run 'echo 1 > /proc/sys/kernel/sysrq' >/dev/null
# the guest's own trigger, which Linux does not gate
out=$(guest_run 'echo 0 > /proc/sys/kernel/sysrq; echo s > /proc/sysrq-trigger; dmesg | grep -c "sysrq: Emergency Sync"; echo 1 > /proc/sys/kernel/sysrq')
[ "${out:-0}" -ge 2 ] && pass sysrq/proc-trigger || fail sysrq/proc-trigger "$out"
# e: every process but init gets SIGTERM
guest_run 'sleep 100 >/dev/null 2>&1 </dev/null & echo $! > /victim' >/dev/null
"$MC" mc1 sysrq e >/dev/null
sleep 0.5
out=$(guest_run 'kill -0 $(cat /victim) 2>/dev/null && echo alive || echo gone')
check sysrq/e-terminates gone "$out"

both config-unknown 1 config foo0=bar
check config/text "ERR Bad configuration option" "$out"
both config-bare 1 config
both remove-unknown 1 remove foo0
check remove/text "ERR Bad remove option" "$out"

both go-not-stopped 1 go
check go/text "ERR Not stopped" "$out"
for client in "$MC" "$DEBIAN_MC"; do
	[ -x "$client" ] || continue
	name=stop-go-ours
	[ "$client" = "$DEBIAN_MC" ] && name=stop-go-debian
	check "$name/stop" "OK stopped" "$("$client" mc1 stop 2>/dev/null)"
	check "$name/stop-again" "ERR Already stopped" "$("$client" mc1 stop 2>/dev/null)"
	check "$name/version-while-stopped" "$("$MC" mc1 version)" "$("$client" mc1 version 2>/dev/null)"
	check "$name/go" "OK " "$("$client" mc1 go 2>/dev/null)"
done

out=$("$MC" mc1 mconsole-version)
check local/mconsole-version "uml_mconsole client version 2" "$out"
out=$("$MC" mc1 help | tail -6)
check local/help "$(printf '%s\n' 'Additional local mconsole commands:' '    quit - Quit mconsole' \
	'    switch <socket-name> - Switch control to the given machine' \
	'    log -f <filename> - use contents of <filename> as UML log messages' \
	'    mconsole-version - version of this mconsole program' '    int  - Interrupt UML session')" "$out"
printf 'line one\nline two' >"$TMPDIR/logfile"
out=$("$MC" mc1 log -f "$TMPDIR/logfile")
check local/log-f $'OK \nOK ' "$out"
guest_run 'dmesg' | grep -q 'line two' && pass local/log-f-in-dmesg || fail local/log-f-in-dmesg "not logged"
# the socket named by path, as both clients accept it
out=$("$MC" "$HOME/.uml/mc1/mconsole" version 2>/dev/null)
[[ $out == "OK Linux "* ]] && pass client/socket-path || fail client/socket-path "$out"
# interactive mode without a terminal: prompt, commands, quit
out=$(printf 'version\nmconsole-version\nquit\n' | "$MC" mc1)
[[ $out == "(mc1) OK Linux "*$'\n'"(mc1) uml_mconsole client version 2"$'\n'"(mc1) " ]] && pass client/interactive-pipe || fail client/interactive-pipe "$out"

# no such instance: a clear message, status 1, no wait
start=$SECONDS
"$MC" no-such-umid version >/dev/null 2>"$TMPDIR/nosuch.err"
rc=$?
[ $rc -eq 1 ] && grep -q "no UML instance 'no-such-umid'" "$TMPDIR/nosuch.err" && [ $((SECONDS - start)) -lt 3 ] \
	&& pass client/no-instance || fail client/no-instance "rc $rc: $(cat "$TMPDIR/nosuch.err")"

# int: SIGINT to the pid in the pid file halts the kernel (exit 0, directory removed)
"$MC" mc1 int
wait_guest
check int/halts 0 "$guest_rc"
[ ! -e "$HOME/.uml/mc1" ] && pass int/umid-removed || fail int/umid-removed "left behind"

# halt, through each client
for client in "$MC" "$DEBIAN_MC"; do
	[ -x "$client" ] || continue
	name=halt-ours
	[ "$client" = "$DEBIAN_MC" ] && name=halt-debian
	start_guest mc2 'sleep 100' || { fail "$name/boot" "no socket"; continue; }
	out=$("$client" mc2 halt 2>/dev/null)
	check "$name/reply" "OK " "$out"
	wait_guest
	check "$name/exit-0" 0 "$guest_rc"
	[ ! -e "$HOME/.uml/mc2" ] && pass "$name/umid-removed" || fail "$name/umid-removed" "left behind"
done

# reboot re-executes the kernel: the second boot sees the marker the first left
rm -f "$mc_root/rebooted"
start_guest mc3 'if [ -e /rebooted ]; then echo second-boot; poweroff -f; fi; touch /rebooted; sleep 100' \
	|| fail reboot/boot "no socket"
out=$("$MC" mc3 reboot)
check reboot/reply "OK " "$out"
wait_guest
check reboot/exit-0 0 "$guest_rc"
grep -q second-boot "$TMPDIR/mc3.out" && pass reboot/second-boot || fail reboot/second-boot "$(head -c 300 "$TMPDIR/mc3.out")"
rm -f "$mc_root/rebooted"

# cad while init left Ctrl-Alt-Del enabled (a shell as init): an immediate restart,
# which noreboot turns into an exit
start_guest mc4 'sleep 100' noreboot || fail cad/boot "no socket"
out=$("$MC" mc4 cad)
check cad/reply "OK " "$out"
wait_guest
check cad/restart-exits-with-noreboot 0 "$guest_rc"

# cad with BusyBox init, which turns C-A-D off and runs its ctrlaltdel action on SIGINT
cat >"$mc_root/etc/inittab" <<'EOF'
::sysinit:/bin/mount -t proc proc /proc
::ctrlaltdel:/bin/touch /cad-received
::once:/bin/sleep 1000
EOF
rm -f "$mc_root/cad-received"
timeout -k 5 60 "$UMLINUX" quiet root=/dev/root rootfstype=hostfs rootflags="$mc_root" mem=128M \
	umid=mc5 init=/sbin/init </dev/null >"$TMPDIR/mc5.out" 2>&1 &
guest_pid=$!
wait_for "$HOME/.uml/mc5/pid" . 100
sleep 1
"$MC" mc5 cad >/dev/null
for _ in $(seq 50); do [ -e "$mc_root/cad-received" ] && break; sleep 0.1; done
[ -e "$mc_root/cad-received" ] && pass cad/init-gets-sigint || fail cad/init-gets-sigint "no ctrlaltdel action ran"
"$MC" mc5 halt >/dev/null
wait_guest
finish
