#!/usr/bin/env bash
# Make sure the Debian packages umlinux needs to build and test are installed.
#
# As root, installs whatever is missing (running `apt-get update` first, and only when
# something is missing). As another user, prints the apt-get line to run and exits 1.
# Prints nothing when everything is present, so `make`, `make test` and CI can call it
# every time.
set -euo pipefail

# What each package is for:
#   gcc make          building the kernel, the stub and the host tools
#   busybox-static    the default guest userland (scripts/make-busybox-root.sh)
#   debootstrap       the Debian bookworm guest root used by the bigger tests
#   libext2fs-dev     the ext2/3/4 filesystem (src/fs/ext2) reads images through libext2fs
#   comerr-dev        libcom_err, which libext2fs reports its errors through
#   e2fsprogs         mke2fs -d / e2fsck to make and check test images
#   libcmocka-dev     unit tests (tests/unit)
#   libseccomp-dev    seccomp headers and helpers for the platform code and its tests
#   tmux              interactive console tests (tests/tty)
#   uml-utilities     the real uml_mconsole, uml_switch, ... for interop tests
#   perl python3      test helpers
packages=(gcc make busybox-static debootstrap libext2fs-dev comerr-dev e2fsprogs libcmocka-dev
          libseccomp-dev tmux uml-utilities perl python3)

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "install-deps: dpkg-query not found; umlinux expects Debian 12. Install: ${packages[*]}" >&2
    exit 1
fi

# One dpkg-query call for all packages keeps this well under a second. Packages dpkg has
# never heard of are reported on stderr and simply do not appear as installed.
installed=" $(dpkg-query -W -f='${db:Status-Abbrev}${Package}\n' "${packages[@]}" 2>/dev/null |
              sed -n 's/^ii *//p' | tr '\n' ' ' || true)"
missing=()
for p in "${packages[@]}"; do
    [[ $installed == *" $p "* ]] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing Debian packages: ${missing[*]}" >&2
    echo "install-deps: run as root:  apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq </dev/null
apt-get install -y -qq "${missing[@]}" </dev/null
