#!/usr/bin/env bash
# Build the Debian bookworm guest root with debootstrap (minbase).
#
#   scripts/make-debian-root.sh            build it if missing or stale
#   scripts/make-debian-root.sh --path     print its path (building it first if needed)
#   scripts/make-debian-root.sh --force    rebuild it even if it is up to date
#
# The root lives outside the repository, in
#   ${UMLINUX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/umlinux}/debian-bookworm
# and is rebuilt when this script changes (see the stamp file beside it). Tests must not
# write into it: copy it first (tests/lib.sh: debian_root_copy). Building takes about
# 35 s and needs root (debootstrap chroots) and the Debian mirror the host's apt uses
# (UMLINUX_DEBIAN_MIRROR overrides it).
#
# Exit status: 0 built or up to date, 1 failed, 2 bad usage, 3 cannot be built here (not
# root, no debootstrap, mirror unreachable): the last line on stderr says why.
set -euo pipefail
umask 022

suite=bookworm
# Besides minbase (Priority: required): what the guest tests exercise, kept small (about
# 200 MB once the downloaded .debs are dropped).
#   procps           ps, top, free, pgrep/pkill, sysctl (procfs readers)
#   less             a full-screen pager
#   xz-utils         xz (minbase has only liblzma)
#   vim-tiny         a vi for full-screen editing
#   adduser          Debian's adduser/deluser
#   sysvinit-core    /sbin/init with /etc/inittab and getty (minbase has no init)
#   python3-minimal  an interpreter exercising much of the system (about 20 MB)
# Everything installs with debootstrap itself: none of them conflicts with minbase.
packages=procps,less,xz-utils,vim-tiny,adduser,sysvinit-core,python3-minimal

cache=${UMLINUX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/umlinux}
root=$cache/debian-$suite
stamp=$cache/debian-$suite.stamp

print_path=0 force=0
for arg in "$@"; do
    case $arg in
    --path)  print_path=1 ;;
    --force) force=1 ;;
    -h|--help) sed -n '2,17s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "make-debian-root: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
    esac
done

cannot() { echo "make-debian-root: $*" >&2; exit 3; }

# The Debian mirror the host's apt uses: deb822 .sources files first, then the one-line
# format. Only the main archive (not -security, not third-party repositories) serves
# bookworm's Release file.
host_mirror() {
    local f uri
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        uri=$(awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }' "$f" |
              grep -v -e security -e '^cdrom:' | grep -m1 '/debian/\?$' || true)
        [ -n "$uri" ] && { echo "${uri%/}"; return; }
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        uri=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' "$f" |
              grep -v security | grep -m1 '/debian/\?$' || true)
        [ -n "$uri" ] && { echo "${uri%/}"; return; }
    done
    echo http://deb.debian.org/debian
}

# What the root was built from: this script's text (which names the suite and packages).
want_stamp() {
    echo "suite $suite"
    echo "script $(sha256sum <"${BASH_SOURCE[0]}" | cut -d' ' -f1)"
}

up_to_date() {
    [ -d "$root" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(want_stamp)" ]
}

# Users, passwords and names inside the fresh tree $1 (commands run chrooted in it).
configure() {
    local dir=$1
    # root logs in without a password (console login, su); pam_unix's nullok allows it
    chroot "$dir" passwd -q -d root >/dev/null
    chroot "$dir" useradd -m -u 1000 -U -s /bin/bash -c user user
    echo debian >"$dir/etc/hostname"
    cat >"$dir/etc/hosts" <<'EOF'
127.0.0.1	localhost
127.0.1.1	debian
::1	localhost ip6-localhost ip6-loopback
EOF
    cat >"$dir/etc/fstab" <<'EOF'
# The root is a hostfs directory given on the umlinux command line (rootflags=).
proc	/proc	proc	defaults	0	0
EOF
    # what the first boot's checkroot.sh would make, with a warning on every fresh copy
    ln -sfn /proc/mounts "$dir/etc/mtab"
    # One console, as UML's Debian setups have it: tty1 is con0; the other five gettys
    # would only respawn on consoles nobody looks at.
    sed -i 's|^\([2-6]:23:respawn:/sbin/getty.*\)$|#\1|' "$dir/etc/inittab"
    # The downloaded packages are not needed offline (apt-cache and dpkg read the lists
    # and the status database) and would add about 40 MB to every test copy.
    rm -f "$dir"/var/cache/apt/archives/*.deb
}

build() {
    local tmp old mirror log
    [ "$(id -u)" -eq 0 ] || cannot "debootstrap needs root (run as root, or build $root elsewhere and copy it)"
    command -v debootstrap >/dev/null || cannot "debootstrap not found; install it with: apt-get install debootstrap"
    mirror=${UMLINUX_DEBIAN_MIRROR:-$(host_mirror)}

    rm -rf "$cache"/.debian-$suite.new.* "$cache"/.debian-$suite.old.*   # left by a killed build
    tmp=$(mktemp -d "$cache/.debian-$suite.new.XXXXXX")
    log=$tmp.log
    trap 'rm -rf "$tmp" "$log"' EXIT
    echo "make-debian-root: debootstrap $suite from $mirror (about 35 s)" >&2
    if ! debootstrap --variant=minbase --include="$packages" "$suite" "$tmp/root" "$mirror" >"$log" 2>&1; then
        if grep -qE 'Failed getting release file|Couldn.t download|Failure trying to run|unable to resolve|Connection refused' "$log"; then
            tail -3 "$log" >&2
            cannot "cannot reach the Debian mirror $mirror (set UMLINUX_DEBIAN_MIRROR)"
        fi
        tail -20 "$log" >&2
        echo "make-debian-root: debootstrap failed (log above)" >&2
        exit 1
    fi
    configure "$tmp/root"

    # Swap the new tree in with renames (same filesystem). Readers that go through this
    # script hold the lock, so they never see the moment between the two renames.
    rm -f "$stamp"
    if [ -e "$root" ]; then
        old=$(mktemp -d "$cache/.debian-$suite.old.XXXXXX")
        mv -T "$root" "$old/root"
    fi
    mv -T "$tmp/root" "$root"
    rm -rf "$tmp" "$log"
    trap - EXIT
    want_stamp >"$stamp.tmp"
    mv -f "$stamp.tmp" "$stamp"
    [ -n "${old:-}" ] && rm -rf "$old"
    echo "make-debian-root: built $root ($(du -sh "$root" | cut -f1))" >&2
}

mkdir -p "$cache"
# Tests run this script concurrently; one builds, the others wait and reuse the result.
exec 9>"$cache/.debian-$suite.lock"
flock 9

if [ "$force" -eq 1 ] || ! up_to_date; then
    build
fi
exec 9>&-

if [ "$print_path" -eq 1 ]; then
    echo "$root"
fi
