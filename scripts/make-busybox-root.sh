#!/usr/bin/env bash
# Build the default guest root directory from Debian's busybox-static.
#
#   scripts/make-busybox-root.sh            build it if missing or stale
#   scripts/make-busybox-root.sh --path     print its path (building it first if needed)
#   scripts/make-busybox-root.sh --force    rebuild it even if it is up to date
#
# The root lives outside the repository, in
#   ${UMLINUX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/umlinux}/busybox-root
# and is rebuilt when /bin/busybox or this script changes (see the stamp file beside it).
# Tests must not write into it: copy it first (tests/lib.sh: umlinux_root_copy).
#
# It works as root and as an ordinary user; as an ordinary user every file is owned by
# that user instead of root/user, which hostfs guests see as-is.
set -euo pipefail
umask 022

busybox=/bin/busybox
cache=${UMLINUX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/umlinux}
root=$cache/busybox-root
stamp=$cache/busybox-root.stamp

print_path=0 force=0
for arg in "$@"; do
    case $arg in
    --path)  print_path=1 ;;
    --force) force=1 ;;
    -h|--help) sed -n '2,14s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "make-busybox-root: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
    esac
done

if [ ! -x "$busybox" ]; then
    echo "make-busybox-root: $busybox not found; install it with: apt-get install busybox-static" >&2
    exit 1
fi

# "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary." (no pipe into head:
# busybox would die of SIGPIPE, which pipefail and set -e turn into a silent exit).
busybox_banner=$("$busybox" 2>&1 || true)
busybox_banner=${busybox_banner%%$'\n'*}

# What the root was built from: the BusyBox build, the binary itself, and this script's
# text, so an upgrade of busybox-static or a change below triggers a rebuild.
want_stamp() {
    echo "$busybox_banner"
    stat -c 'binary %s %Y' "$busybox"
    echo "script $(sha256sum <"${BASH_SOURCE[0]}" | cut -d' ' -f1)"
}

up_to_date() {
    [ -d "$root" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(want_stamp)" ]
}

# Write the root into $1 (an empty directory).
populate() {
    local dir=$1 applet target up

    mkdir -p "$dir"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,etc,root,home/user,mnt,run}
    mkdir -p "$dir"/{tmp,var/log,var/tmp}
    chmod 1777 "$dir/tmp" "$dir/var/tmp"
    chmod 0700 "$dir/root"
    cp "$busybox" "$dir/bin/busybox"
    chmod 0755 "$dir/bin/busybox"

    # Relative links (../bin/busybox, ../../bin/busybox) resolve the same way inside the
    # guest and on the host, and never point outside the root.
    while read -r applet; do
        [ "$applet" = bin/busybox ] && continue
        up=${applet//[^\/]/}          # one '/' per directory level below the root
        target=${up//\//../}bin/busybox
        case $applet in */*) [ -d "$dir/${applet%/*}" ] || mkdir -p "$dir/${applet%/*}" ;; esac
        ln -s "$target" "$dir/$applet"
    done < <("$busybox" --list-full)

    cat >"$dir/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:user:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
    cat >"$dir/etc/group" <<'EOF'
root:x:0:
tty:x:5:
wheel:x:10:root,user
users:x:100:user
user:x:1000:
nogroup:x:65534:
EOF
    # root has an empty password so `su` and `login` work without one; the others are
    # locked ('*'), which root can still su to.
    cat >"$dir/etc/shadow" <<'EOF'
root::19000:0:99999:7:::
user:*:19000:0:99999:7:::
nobody:*:19000:0:99999:7:::
EOF
    chmod 0600 "$dir/etc/shadow"
    echo umlinux >"$dir/etc/hostname"
    cat >"$dir/etc/hosts" <<'EOF'
127.0.0.1	localhost
127.0.1.1	umlinux
::1	localhost ip6-localhost ip6-loopback
EOF
    cat >"$dir/etc/profile" <<'EOF'
# /etc/profile: read by login shells (sh -l, or argv[0] starting with '-').
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
export PS1='\u@\h:\w\$ '
EOF
    echo /bin/sh >"$dir/etc/shells"
    # BusyBox init (the default /sbin/init): mount the virtual filesystems, a login
    # shell on the console, clean shutdown on poweroff/reboot/ctrl-alt-del.
    mkdir -p "$dir/etc/init.d"
    cat >"$dir/etc/inittab" <<'EOF'
::sysinit:/etc/init.d/rcS
::respawn:-/bin/sh
::ctrlaltdel:/sbin/reboot
::shutdown:/bin/umount -a -r
EOF
    cat >"$dir/etc/init.d/rcS" <<'EOF'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys 2>/dev/null
hostname -F /etc/hostname
EOF
    chmod 0755 "$dir/etc/init.d/rcS"

    if [ "$(id -u)" -eq 0 ]; then
        chown 1000:1000 "$dir/home/user"
    fi
    chmod 0755 "$dir"
}

build() {
    local tmp old
    rm -rf "$cache"/.busybox-root.new.* "$cache"/.busybox-root.old.*   # left by a killed build
    tmp=$(mktemp -d "$cache/.busybox-root.new.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    populate "$tmp"

    # Swap the new tree in with renames (same filesystem). Readers that go through this
    # script hold the lock, so they never see the moment between the two renames.
    rm -f "$stamp"
    if [ -e "$root" ]; then
        old=$(mktemp -d "$cache/.busybox-root.old.XXXXXX")
        mv -T "$root" "$old/root"
    fi
    mv -T "$tmp" "$root"
    trap - EXIT
    want_stamp >"$stamp.tmp"
    mv -f "$stamp.tmp" "$stamp"
    [ -n "${old:-}" ] && rm -rf "$old"
    echo "make-busybox-root: built $root (${busybox_banner% multi-call binary.})" >&2
}

mkdir -p "$cache"
# Tests run this script concurrently; one builds, the others wait and reuse the result.
exec 9>"$cache/.busybox-root.lock"
flock 9

if [ "$force" -eq 1 ] || ! up_to_date; then
    build
fi
exec 9>&-

if [ "$print_path" -eq 1 ]; then
    echo "$root"
fi
