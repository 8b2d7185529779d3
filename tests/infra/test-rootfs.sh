#!/usr/bin/env bash
# Checks the test infrastructure itself: the BusyBox root that scripts/make-busybox-root.sh
# builds (in a private cache, so the real one is left alone), its rebuild rules, and the
# helpers of tests/lib.sh. Needs no kernel.
# shellcheck disable=SC2015  # "test && pass X || fail X": pass never fails
set -u
. "$(dirname "$0")/../lib.sh"

mkroot=$UMLINUX_TOP/scripts/make-busybox-root.sh
export UMLINUX_CACHE=$TMPDIR/cache
root=$("$mkroot" --path 2>"$TMPDIR/build.err")
[ "$root" = "$UMLINUX_CACHE/busybox-root" ] && [ -d "$root" ] \
    && pass build-path || fail build-path "got '$root': $(cat "$TMPDIR/build.err")"

# Every applet is a link that resolves to the root's own busybox.
bad=0
while read -r applet; do
    [ "$applet" = bin/busybox ] && continue
    [ -L "$root/$applet" ] && [ "$(realpath "$root/$applet")" = "$root/bin/busybox" ] || bad=$((bad + 1))
done < <(/bin/busybox --list-full)
[ -x "$root/bin/busybox" ] && [ "$bad" -eq 0 ] && pass applet-links || fail applet-links "$bad bad links"

[ "$(stat -c %a "$root/tmp")" = 1777 ] && pass tmp-sticky || fail tmp-sticky "$(stat -c %a "$root/tmp")"
missing=
for d in dev proc sys root etc home/user var/log mnt; do
    [ -d "$root/$d" ] || missing+=" /$d"
done
[ -z "$missing" ] && pass dirs || fail dirs "missing$missing"

grep -qx 'root:x:0:0:root:/root:/bin/sh' "$root/etc/passwd" &&
    grep -qx 'user:x:1000:1000:user:/home/user:/bin/sh' "$root/etc/passwd" &&
    pass passwd || fail passwd "$(cat "$root/etc/passwd")"
grep -q '^root:x:0:' "$root/etc/group" && grep -q '^user:x:1000:' "$root/etc/group" &&
    grep -q '^wheel:' "$root/etc/group" && pass group || fail group
grep -q '^root::' "$root/etc/shadow" && grep -q '^user:' "$root/etc/shadow" &&
    pass shadow || fail shadow
[ "$(cat "$root/etc/hostname")" = umlinux ] && pass hostname || fail hostname
grep -qx 'export PATH=/bin:/sbin:/usr/bin:/usr/sbin' "$root/etc/profile" &&
    grep -qF "PS1='\\u@\\h:\\w\\\$ '" "$root/etc/profile" && pass profile || fail profile
if [ "$(id -u)" -eq 0 ]; then
    [ "$(stat -c %u:%g "$root/home/user")" = 1000:1000 ] && pass home-owner ||
        fail home-owner "$(stat -c %u:%g "$root/home/user")"
else
    skip home-owner "not root: the tree belongs to the user who built it"
fi

# Up to date: nothing rebuilt. Stale stamp or --force: rebuilt, with nothing left over.
ino=$(stat -c %i "$root")
"$mkroot" 2>"$TMPDIR/err"
[ ! -s "$TMPDIR/err" ] && [ "$(stat -c %i "$root")" = "$ino" ] && pass no-rebuild ||
    fail no-rebuild "$(cat "$TMPDIR/err")"
echo stale >"$UMLINUX_CACHE/busybox-root.stamp"
"$mkroot" 2>/dev/null
[ "$(stat -c %i "$root")" != "$ino" ] && ! grep -q stale "$UMLINUX_CACHE/busybox-root.stamp" &&
    pass stale-rebuild || fail stale-rebuild
for _ in 1 2 3; do "$mkroot" --force 2>/dev/null & done
wait
left=$(find "$UMLINUX_CACHE" -mindepth 1 -maxdepth 1 -not -name busybox-root \
       -not -name busybox-root.stamp -not -name .busybox-root.lock)
[ -z "$left" ] && [ -x "$root/bin/busybox" ] && pass concurrent-force || fail concurrent-force "left: $left"

# umlinux_root_copy gives a private copy: writing it leaves the cache alone.
copy=$TMPDIR/copy
umlinux_root_copy "$copy" && touch "$copy/etc/marker" && [ -L "$copy/bin/sh" ] &&
    [ ! -e "$root/etc/marker" ] && pass root-copy || fail root-copy

# The root works as a userland: chroot into it when we may.
if [ "$(id -u)" -eq 0 ]; then
    out=$(chroot "$copy" /bin/sh -lc 'echo "$PATH"; su user -c "id -u"' 2>&1)
    [ "$out" = $'/bin:/sbin:/usr/bin:/usr/sbin\n1000' ] && pass chroot-shell || fail chroot-shell "$out"
else
    skip chroot-shell "needs root"
fi

out=$("$UMLINUX_TOP/scripts/install-deps.sh" 2>&1) && [ -z "$out" ] &&
    pass install-deps-quiet || fail install-deps-quiet "$out"
finish
