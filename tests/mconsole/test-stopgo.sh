#!/usr/bin/env bash
# stop and go on a busy guest: while stopped nothing in the guest moves (a counter, a
# sleeping loop, a disk image being written, task hosts all in a ptrace stop) and MConsole
# still answers; go resumes all of it, timers included. Then the UML book's backup
# procedure: stop, sysrq s, cp --sparse=always, go.
set -u
. "$(dirname "$0")/mc-lib.sh"

if [ ! -x "$UMLINUX" ] || [ ! -x "$MC" ]; then skip mconsole-stopgo "not built"; finish; fi
BACKUP_MC=$DEBIAN_MC
[ -x "$BACKUP_MC" ] || BACKUP_MC=$MC

script='dd if=/dev/zero of=/disk.img bs=1 count=0 seek=64M 2>/dev/null
i=0
(while :; do i=$((i+1)); echo $i > /count.new; mv /count.new /count
  echo $i | dd of=/disk.img bs=4096 seek=$((i % 2000 * 7)) conv=notrunc 2>/dev/null; done) &
(while :; do sleep 0.2; echo tick >> /ticks; done) &
(while :; do :; done) &
'"$GUEST_SERVE"
rm -f "$mc_root/count" "$mc_root/ticks" "$mc_root/disk.img"
start_guest sg1 "$script" || { fail stopgo/boot "no socket"; finish; }
wait_for "$mc_root/ticks" tick 100 && [ -s "$mc_root/count" ] || { fail stopgo/guest-running "no counter"; finish; }
kpid=$(cat "$HOME/.uml/sg1/pid")

# A spinning guest does not keep the kernel from answering.
start=$(date +%s%N)
out=$("$MC" sg1 version)
ms=$((($(date +%s%N) - start) / 1000000))
[[ $out == "OK Linux "* ]] && [ $ms -lt 2000 ] && pass stopgo/busy-guest-answers || fail stopgo/busy-guest-answers "$ms ms: $out"

check stopgo/stop "OK stopped" "$("$MC" sg1 stop)"
c1=$(cat "$mc_root/count"); t1=$(wc -l <"$mc_root/ticks"); d1=$(md5sum <"$mc_root/disk.img")
sleep 1.5
c2=$(cat "$mc_root/count"); t2=$(wc -l <"$mc_root/ticks"); d2=$(md5sum <"$mc_root/disk.img")
check stopgo/counter-still "$c1" "$c2"
check stopgo/timer-loop-still "$t1" "$t2"
[ "$d1" = "$d2" ] && pass stopgo/disk-still || fail stopgo/disk-still "the image changed while stopped"

# every task host of the kernel sits in a ptrace stop ("t"); a guest process that ended
# just as the machine stopped stays a zombie ("Z") until `go` lets the kernel reap it
states=$(for t in /proc/[0-9]*/task/[0-9]*; do
	[ "$(awk '{print $4}' "$t/stat" 2>/dev/null)" = "$kpid" ] || continue
	awk '{print $3}' "$t/stat"
done | sort | uniq -c | tr -s ' ')
echo "# task host states while stopped: $states"
grep -q ' t$' <<<"$states" && ! grep -qvE ' [tZ]$' <<<"$states" && pass stopgo/task-hosts-stopped || fail stopgo/task-hosts-stopped "$states"

# MConsole is all that is served: it still answers, including the dumps
[[ $("$MC" sg1 proc loadavg) == "OK "* ]] && pass stopgo/proc-while-stopped || fail stopgo/proc-while-stopped
"$MC" sg1 sysrq t >"$TMPDIR/t.out"
grep -q '^RIP: 0033:' "$TMPDIR/t.out" && pass stopgo/registers-while-stopped || fail stopgo/registers-while-stopped "$(head -20 "$TMPDIR/t.out")"

check stopgo/go "OK " "$("$MC" sg1 go)"
sleep 1
c3=$(cat "$mc_root/count"); t3=$(wc -l <"$mc_root/ticks")
[ "$c3" -gt "$c2" ] && pass stopgo/counter-resumes || fail stopgo/counter-resumes "$c2 -> $c3"
[ "$t3" -ge $((t2 + 2)) ] && pass stopgo/timers-resume || fail stopgo/timers-resume "$t2 -> $t3 ticks"

# The backup procedure of the UML book, with its client when installed.
check backup/stop "OK stopped" "$("$BACKUP_MC" sg1 stop 2>/dev/null)"
out=$("$BACKUP_MC" sg1 sysrq s 2>/dev/null)
check backup/sysrq-s $'OK sysrq: Emergency Sync\nEmergency Sync complete' "$out"
cp --sparse=always "$mc_root/disk.img" "$TMPDIR/save.img"
sleep 0.5
cmp -s "$mc_root/disk.img" "$TMPDIR/save.img" && pass backup/copy-consistent || fail backup/copy-consistent "the image changed during the copy"
blocks=$(stat -c %b "$TMPDIR/save.img")
[ "$blocks" -lt 65536 ] && pass backup/copy-sparse || fail backup/copy-sparse "$blocks blocks for a 64M image"
check backup/go "OK " "$("$BACKUP_MC" sg1 go 2>/dev/null)"
sleep 1
cmp -s "$mc_root/disk.img" "$TMPDIR/save.img" && fail backup/guest-writes-again "image unchanged after go" || pass backup/guest-writes-again

# halt while stopped ends the machine cleanly
"$MC" sg1 stop >/dev/null
check stopgo/halt-while-stopped "OK " "$("$MC" sg1 halt)"
wait_guest
check stopgo/halt-while-stopped-exit 0 "$guest_rc"
finish
