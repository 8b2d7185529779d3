# shellcheck shell=bash
# Shared helpers for test scripts (tests/*/test-*.sh). Source it from bash:
#
#   #!/usr/bin/env bash
#   set -u
#   . "$(dirname "$0")/../lib.sh"
#   root=$TMPDIR/root; umlinux_root_copy "$root"
#   out=$(run_guest "$root" init=/bin/echo hello) && [ "$out" = hello ] \
#       && pass echo-hello || fail echo-hello "got '$out'"
#   finish
#
# A script reports each case it checks on its own line, as tests/run-all.sh counts them:
#   PASS <name>   FAIL <name>[: why]   SKIP <name>: why   XFAIL <name>: why
# and ends with `finish`, which exits 1 if any case failed.
#
# TMPDIR is a scratch directory of this script's own, removed when it ends: put guest
# roots, images and sockets there. run-all.sh makes one per script (UMLINUX_TEST_TMP);
# when a script is run by hand, this file makes one.
#
# Environment: UMLINUX (kernel binary, default build/umlinux), GUEST_TIMEOUT (seconds one
# guest may run, default 60).

UMLINUX_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
UMLINUX=${UMLINUX:-$UMLINUX_TOP/build/umlinux}
GUEST_TIMEOUT=${GUEST_TIMEOUT:-60}
_lib_failed=0

if [ -z "${UMLINUX_TEST_TMP:-}" ]; then
    UMLINUX_TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/umlinux-test.XXXXXX")
    # Guests may leave read-only directories behind; make them removable first.
    trap 'chmod -R u+rwX "$UMLINUX_TEST_TMP" 2>/dev/null; rm -rf "$UMLINUX_TEST_TMP"' EXIT
fi
export TMPDIR=$UMLINUX_TEST_TMP UMLINUX UMLINUX_TOP

# pass NAME: the case NAME behaved as expected.
pass() { echo "PASS $1"; }

# fail NAME [WHY]: the case NAME did not; WHY says what was seen.
fail() { echo "FAIL $1${2:+: $2}"; _lib_failed=1; }

# skip NAME WHY: the case NAME could not be checked here (missing host feature, ...).
skip() { echo "SKIP $1: ${2:-no reason given}"; }

# xfail NAME WHY: the case NAME fails for a known reason (name the issue or missing feature).
xfail() { echo "XFAIL $1: ${2:-no reason given}"; }

# finish: end the script; exit status 1 if any case failed.
finish() { exit "$_lib_failed"; }

# umlinux_root_copy DIR: fill DIR with a private copy of the cached BusyBox root
# (scripts/make-busybox-root.sh), so a test can add or change files without touching
# the cache.
umlinux_root_copy() {
    local src
    # never onto the host's own tree: an unset variable must not become "/"
    case "${1:-}" in ""|/|/.|//*) echo "umlinux_root_copy: refusing target '${1:-}'" >&2; return 1 ;; esac
    src=$("$UMLINUX_TOP/scripts/make-busybox-root.sh" --path) || return 1
    mkdir -p "$1" && cp -a "$src/." "$1/"
}

# debian_root_copy DIR: fill DIR with a private copy of the cached Debian bookworm root
# (scripts/make-debian-root.sh, built first if missing: about 35 s). Returns 3 when it
# cannot be built here (not root, no debootstrap, mirror unreachable), with the reason
# in $DEBIAN_ROOT_WHY; 1 on other failures.
debian_root_copy() {
    local src rc
    case "${1:-}" in ""|/|/.|//*) echo "debian_root_copy: refusing target '${1:-}'" >&2; return 1 ;; esac
    src=$("$UMLINUX_TOP/scripts/make-debian-root.sh" --path 2>"$TMPDIR/debian-root.err")
    rc=$?
    DEBIAN_ROOT_WHY=$(tail -1 "$TMPDIR/debian-root.err")
    [ "$rc" -eq 0 ] || return "$rc"
    mkdir -p "$1" && cp -a --reflink=auto "$src/." "$1/" 2>"$TMPDIR/debian-root.err" && return 0
    DEBIAN_ROOT_WHY="cannot copy $src: $(tail -1 "$TMPDIR/debian-root.err")"
    # an ordinary user cannot read root's files (/etc/shadow) in a root built by root
    [ "$(id -u)" -ne 0 ] && return 3
    return 1
}

# guest_results PREFIX [KNOWN_FN] <<<"$out": a guest script's "ok NAME", "not ok NAME: why"
# and "xfail NAME: why" lines become PASS/FAIL/XFAIL PREFIX/NAME. KNOWN_FN NAME, if
# given, prints a reason and succeeds when NAME is known to fail (then it is XFAIL).
guest_results() {
    local prefix=$1 known=${2:-} line n why
    while IFS= read -r line; do
        case "$line" in
        "ok "*) pass "$prefix/${line#ok }" ;;
        "not ok "*)
            n=${line#not ok }; n=${n%%:*}
            if [ -n "$known" ] && why=$("$known" "$n"); then xfail "$prefix/$n" "$why"
            else fail "$prefix/$n" "${line#*: }"; fi ;;
        "xfail "*) n=${line#xfail }; xfail "$prefix/${n%%:*}" "${n#*: }" ;;
        esac
    done
}

# need_debian_root NAME DIR: DIR gets a copy of the Debian root, or the script ends here
# with SKIP NAME (it cannot be built on this machine) or FAIL NAME-root.
need_debian_root() {
    debian_root_copy "$2"
    case $? in
    0) return 0 ;;
    3) skip "$1" "no Debian root: $DEBIAN_ROOT_WHY"; finish ;;
    *) fail "$1-root" "scripts/make-debian-root.sh failed: $DEBIAN_ROOT_WHY"; finish ;;
    esac
}

# run_guest ROOTDIR [ARGS...]: boot umlinux on the host directory ROOTDIR (hostfs root)
# with 128M of memory and ARGS appended to the command line (init=..., switches, init's
# arguments), stdin from /dev/null, killed after GUEST_TIMEOUT seconds. Prints what the
# guest prints; returns umlinux's exit status (124 or 137 when it timed out).
# --foreground keeps umlinux in the script's process group, so run-all.sh's own timeout
# kills a hung guest along with the script (task hosts die with umlinux: EXITKILL).
run_guest() {
    local rootdir=$1
    shift
    mkdir -p "$TMPDIR/uml"
    timeout --foreground -k 5 "$GUEST_TIMEOUT" "$UMLINUX" quiet root=/dev/root rootfstype=hostfs \
        rootflags="$rootdir" mem=128M uml_dir="$TMPDIR/uml" "$@" </dev/null
}
