#!/usr/bin/env bash
# A guest's reads of a disk node are served by the disk worker thread while the task
# waits, so the rest of the machine keeps running: with the test hook UMLINUX_BLK_GATE
# the worker holds every request until a file exists. Meanwhile another guest process
# runs; SIGTERM does not interrupt the waiting read (a disk wait is uninterruptible, as in
# Linux) and is delivered once the read is done; SIGKILL ends a waiting task at once.
# The same for a read(2) of a file on an ext4 disk: its data blocks are one request.
set -u
. "$(dirname "$0")/../lib.sh"

if [ ! -x "$UMLINUX" ]; then skip ubd-async "kernel not built"; finish; fi
root=$TMPDIR/root
umlinux_root_copy "$root" || { fail ubd-async-root "cannot copy the BusyBox root"; finish; }
truncate -s 1M "$TMPDIR/disk.img"
mkdir -p "$TMPDIR/uml"

# gated_boot SCRIPT OUT DISK-SWITCH: boots with the worker's requests held until the host
# opens the gate, which it does once the guest has written /ran (or 20 s passed). Sets
# held (the console then) and out (all of it).
gated_boot() {
	local guest
	rm -f "$TMPDIR/gate" "$root/ran"
	UMLINUX_BLK_GATE=$TMPDIR/gate timeout --foreground -k 5 "$GUEST_TIMEOUT" "$UMLINUX" quiet \
		root=/dev/root rootfstype=hostfs rootflags="$root" mem=128M uml_dir="$TMPDIR/uml" "$3" \
		init=/bin/sh -- "$1" </dev/null >"$2" 2>&1 &
	guest=$!
	for _ in $(seq 200); do [ -e "$root/ran" ] && break; sleep 0.1; done
	held=$(tr -d '\r' <"$2")
	touch "$TMPDIR/gate"
	wait "$guest"
	out=$(tr -d '\r' <"$2")
}
cat >"$root/t.sh" <<'EOS'
dd if=/dev/ubdb of=/dev/null bs=4096 count=1 2>/dev/null & d1=$!
dd if=/dev/ubdb of=/dev/null bs=4096 count=1 2>/dev/null & d2=$!
sleep 0.5
kill -TERM $d1   # (background jobs of a script ignore SIGINT)
kill -9 $d2
wait $d2; echo "killed-dd: $?"
sleep 0.5
kill -0 $d1 2>/dev/null && echo "interrupted-dd: still waiting"
echo ran >/ran
wait $d1; echo "held-dd: $?"
echo -n fine | dd of=/dev/ubdb bs=512 seek=1 2>/dev/null; echo "after: $(dd if=/dev/ubdb bs=512 skip=1 count=1 2>/dev/null | head -c 4)"
poweroff -f
EOS
gated_boot /t.sh "$TMPDIR/out" ubdb="$TMPDIR/disk.img"
[ -e "$root/ran" ] && ! grep -q '^held-dd' <<<"$held" && pass ubd-async/machine-runs-while-disk-waits \
	|| fail ubd-async/machine-runs-while-disk-waits "$(tr '\n' '|' <<<"$held")"
grep -qx 'killed-dd: 137' <<<"$held" && pass ubd-async/sigkill-ends-wait || fail ubd-async/sigkill-ends-wait "$(tr '\n' '|' <<<"$held")"
grep -qx 'interrupted-dd: still waiting' <<<"$held" && pass ubd-async/uninterruptible \
	|| fail ubd-async/uninterruptible "$(tr '\n' '|' <<<"$held")"
grep -qx 'held-dd: 143' <<<"$out" && pass ubd-async/signal-after-request || fail ubd-async/signal-after-request "$(tr '\n' '|' <<<"$out")"
grep -qx 'after: fine' <<<"$out" && pass ubd-async/io-after-gate || fail ubd-async/io-after-gate "$(tr '\n' '|' <<<"$out")"

# A file on an ext4 disk: cat waits for its data while the rest of the machine runs.
mkdir -p "$TMPDIR/ext4src"
head -c 300000 /dev/urandom >"$TMPDIR/ext4src/big"
mke2fs -q -t ext4 -d "$TMPDIR/ext4src" "$TMPDIR/ext4.img" 16M >/dev/null || { fail ubd-async/mkfs "mke2fs failed"; finish; }
sum=$(sha256sum <"$TMPDIR/ext4src/big" | cut -d' ' -f1)
mkdir -p "$root/mnt"
cat >"$root/t2.sh" <<'EOS'
mount -t ext4 /dev/ubdc /mnt || echo "mount failed"
sha256sum /mnt/big >/sum.out & c=$!
sleep 0.5
echo ran >/ran
wait $c; echo "file-read: $? $(cut -d' ' -f1 /sum.out)"
umount /mnt
poweroff -f
EOS
gated_boot /t2.sh "$TMPDIR/out2" ubdc="$TMPDIR/ext4.img"
[ -e "$root/ran" ] && ! grep -q '^file-read' <<<"$held" && pass ubd-async/file-read-parks \
	|| fail ubd-async/file-read-parks "$(tr '\n' '|' <<<"$held")"
grep -qx "file-read: 0 $sum" <<<"$out" && pass ubd-async/file-read-data || fail ubd-async/file-read-data "$(tr '\n' '|' <<<"$out")"
finish
