#!/usr/bin/env bash
# Short, bounded libFuzzer runs of the parsers in lib/ (tests/fuzz/fuzz_*.c), seeded with
# real inputs. FUZZ_SECONDS (default 10) bounds each harness; longer runs by hand:
#   make fuzz && build/fuzz/fuzz_cow_header -max_total_time=600 <corpus dir>
set -u
. "$(dirname "$0")/../lib.sh"
cd "$UMLINUX_TOP" || exit 1
secs=${FUZZ_SECONDS:-10}

if ! command -v "${FUZZ_CC:-clang}" >/dev/null; then skip fuzz "clang not installed"; finish; fi
if ! make -s fuzz >"$TMPDIR/build.log" 2>&1; then
	fail fuzz-build "$(tail -5 "$TMPDIR/build.log" | tr '\n' ' ')"; finish
fi

# Seeds: a header from Debian's uml_mkcow when present, else from our own.
corpus=$TMPDIR/cow-corpus
mkdir -p "$corpus"
truncate -s 1024000 "$TMPDIR/back.img"
mkcow=/usr/bin/uml_mkcow
[ -x "$mkcow" ] || mkcow=build/uml_mkcow
if [ -x "$mkcow" ] && "$mkcow" "$TMPDIR/cow" "$TMPDIR/back.img" >/dev/null 2>&1; then
	head -c 8192 "$TMPDIR/cow" >"$corpus/v3"
fi
printf 'OOOM\0\0\0\2' >"$corpus/v2-short"
# MConsole datagrams: a request as uml_mconsole sends it, and both hang layouts
printf '\xbe\xba\xfe\xca\x02\0\0\0\x07\0\0\0version' >"$corpus/mconsole-version"
printf '\xbe\xba\xfe\xca\x02\0\0\0\x02\0\0\0\0\0\0\0' >"$corpus/mconsole-hang"
printf '\xbe\xba\xfe\xca\0\0\0\0\x02\0\0\0\x02\0\0\0\0\0\0\0\0\0\0\0' >"$corpus/mconsole-hang24"
# humfs metadata lines (first byte even) and superblocks (odd), as humfsify writes them
printf '\0493 0 0\n' >"$corpus/humfs-dir"
printf '\0420 0 0 c 1 3\n' >"$corpus/humfs-chardev"
printf '\0002541 0 42 s\n' >"$corpus/humfs-socket"
printf '\1version 2\nmetadata shadow_fs\nused 16384\ntotal 1048576\n' >"$corpus/humfs-super"
printf '\1version 1\nused 0\ntotal 10\n' >"$corpus/humfs-super-v1"

for bin in build/fuzz/fuzz_*; do
	name=${bin##*/}
	if timeout $((secs + 60)) "$bin" -max_total_time="$secs" -timeout=5 -rss_limit_mb=1024 \
		-artifact_prefix="$TMPDIR/" "$corpus" >"$TMPDIR/$name.log" 2>&1; then
		pass "fuzz/$name"
	else
		fail "fuzz/$name" "$(grep -m3 -E 'ERROR|SUMMARY|runtime error' "$TMPDIR/$name.log" | tr '\n' ' ')"
	fi
done
finish
