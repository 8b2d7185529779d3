#!/usr/bin/env bash
# ubd through MConsole: hot-plug (config ubdb=..., the configuration query, remove
# refused while mounted, UML's error replies), and the book's online backup of a COW
# file (stop, sysrq s, copy, go) giving a COW file that boots to the same files.
set -u
. "$(dirname "$0")/../mconsole/mc-lib.sh"

if [ ! -x "$UMLINUX" ] || [ ! -x "$MC" ]; then skip ubd-hotplug "kernel or uml_mconsole not built"; finish; fi
command -v mke2fs >/dev/null || PATH=$PATH:/sbin:/usr/sbin
command -v mke2fs >/dev/null || { skip ubd-hotplug "mke2fs not installed (e2fsprogs)"; finish; }
cd "$TMPDIR" || exit 1
mkdir -p data && echo on-the-disk >data/hello
mke2fs -q -t ext2 -d data disk.img 8M >/dev/null

mc() { "$MC" hp "$@" 2>&1; }
start_guest hp "$GUEST_SERVE" || { fail ubd-hotplug/boot "no MConsole socket"; finish; }

check ubd-hotplug/unconfigured "OK " "$(mc config ubdb)"
check ubd-hotplug/config "OK " "$(mc config ubdb=$TMPDIR/disk.cow,$TMPDIR/disk.img)"
check ubd-hotplug/query "OK $TMPDIR/disk.cow,$TMPDIR/disk.img" "$(mc config ubdb)"
check ubd-hotplug/query-by-number "OK $TMPDIR/disk.cow,$TMPDIR/disk.img" "$(mc config ubd1)"
check ubd-hotplug/already "ERR Device is already configured" "$(mc config ubdb=$TMPDIR/disk.img)"
check ubd-hotplug/bad-unit "ERR Device number out of range" "$(mc config ubdq=x)"
check ubd-hotplug/query-out-of-range "ERR ubd_get_config : device number out of range" "$(mc config ubd)"
out=$(mc config ubdc=/nonexistent); rc=$?
check ubd-hotplug/missing-file "ERR Couldn't determine size of device's file" "$out"
check ubd-hotplug/missing-file-status 254 "$rc"
check ubd-hotplug/node "brw-rw----" "$(guest_run 'ls -l /dev/ubdb' | cut -c1-10)"
check ubd-hotplug/mount "on-the-disk" "$(guest_run 'mount /dev/ubdb /mnt && cat /mnt/hello')"
check ubd-hotplug/remove-busy "ERR Device is currently open" "$(mc remove ubdb)"
check ubd-hotplug/umount "" "$(guest_run 'umount /mnt')"
check ubd-hotplug/remove "OK " "$(mc remove ubdb)"
check ubd-hotplug/node-gone "gone" "$(guest_run '[ -e /dev/ubdb ] || echo gone')"
check ubd-hotplug/remove-again "ERR Device doesn't exist" "$(mc remove ubdb)"
check ubd-hotplug/remove-out-of-range "ERR Invalid device number - must be between 0 and 15" "$(mc remove ubdx)"
check ubd-hotplug/plain-again "OK " "$(mc config ubdb=$TMPDIR/disk.img)"
check ubd-hotplug/plain-query "OK $TMPDIR/disk.img" "$(mc config ubdb)"
mc halt >/dev/null
wait_guest

# --- online backup: stop, sysrq s, copy the COW file, go ------------------------------
mke2fs -q -t ext4 -d "$mc_root" root.img 64M >/dev/null   # the BusyBox root, on ext4
timeout -k 5 60 "$UMLINUX" quiet umid=bk ubda="$TMPDIR/bk.cow,$TMPDIR/root.img" mem=128M \
	init=/bin/sh -- -c 'echo precious > /written; echo WROTE; sleep 30' </dev/null >bk.out 2>&1 &
bk_pid=$!
if wait_for bk.out WROTE; then
	out=$("$MC" bk stop 2>&1)
	[[ $out == OK* ]] && pass ubd-backup/stop || fail ubd-backup/stop "$out"
	"$MC" bk sysrq s >/dev/null 2>&1
	cp --sparse=always bk.cow backup.cow
	check ubd-backup/go "OK " "$("$MC" bk go 2>&1)"
	"$MC" bk halt >/dev/null 2>&1
	wait "$bk_pid"
	out=$(timeout -k 5 60 "$UMLINUX" quiet umid=restored ubda="$TMPDIR/backup.cow,$TMPDIR/root.img" mem=128M \
		init=/bin/sh -- -c 'cat /written; poweroff -f' </dev/null 2>&1 | tr -d '\r')
	grep -qx precious <<<"$out" && pass ubd-backup/boots-with-the-files ||
		fail ubd-backup/boots-with-the-files "$(tail -3 <<<"$out" | tr '\n' '|')"
	"$UMLINUX_TOP/build/uml_moo" backup.cow backup.img &&
		e2fsck -fn backup.img >/dev/null 2>&1 && pass ubd-backup/merged-clean || fail ubd-backup/merged-clean
else
	fail ubd-backup "the guest did not start: $(tail -3 bk.out | tr '\n' '|')"
	kill "$bk_pid" 2>/dev/null
fi
finish
