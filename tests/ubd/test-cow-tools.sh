#!/usr/bin/env bash
# Our uml_mkcow and uml_moo against Debian's (uml-utilities) in both directions: the
# headers they write, merges of each other's COW files (v3, and v2/v1 read), in-place
# merges, sparse output, and the usage texts and error messages users and scripts see.
set -u
. "$(dirname "$0")/../lib.sh"

ours=$UMLINUX_TOP/build
poke=$UMLINUX_TOP/tests/ubd/cowpoke.py
if [ ! -x "$ours/uml_mkcow" ] || [ ! -x "$ours/uml_moo" ]; then
	skip cow-tools "tools not built"; finish
fi
have_debian=1
[ -x /usr/bin/uml_mkcow ] && [ -x /usr/bin/uml_moo ] || have_debian=0
cd "$TMPDIR" || exit 1

# A 4 MiB backing file: 256 KiB of random data, the rest a hole.
truncate -s 4M back.img
head -c 262144 /dev/urandom | dd of=back.img conv=notrunc status=none
touch -d @1577934245 back.img

# expect OUT SECTOR TEXT: OUT gets TEXT as sector SECTOR, zero-padded (a COW write).
expect() {
	{ printf '%s' "$3"; head -c $((512 - ${#3})) /dev/zero; } |
		dd of="$1" bs=512 seek="$2" conv=notrunc status=none
}

# scribble COW EXPECTED: the same guest writes into a COW and into an expected image.
scribble() {
	local s text
	cp --sparse=always back.img "$2"
	for s in 0 5 100 7999 8191; do
		text="sector $s of $1"
		"$poke" write "$1" "$s" "$text"
		expect "$2" "$s" "$text"
	done
}

# --- uml_mkcow -------------------------------------------------------------------------
"$ours/uml_mkcow" ours.cow back.img && pass mkcow/creates || fail mkcow/creates
size=$(stat -c %s ours.cow)
[ "$size" = $((12288 + 4194304)) ] && pass mkcow/size || fail mkcow/size "got $size"
[ "$(stat -c %b ours.cow)" -le 64 ] && pass mkcow/sparse || fail mkcow/sparse "$(stat -c %b ours.cow) blocks"
if [ $have_debian = 1 ]; then
	/usr/bin/uml_mkcow debian.cow back.img
	cmp -s ours.cow debian.cow && pass mkcow/same-bytes-as-debian ||
		fail mkcow/same-bytes-as-debian "$(cmp ours.cow debian.cow 2>&1 | head -1)"
fi
out=$("$ours/uml_mkcow" ours.cow back.img 2>&1; echo "rc=$?")
[ "$out" = $'open COW file: File exists\nrc=1' ] && pass mkcow/exists || fail mkcow/exists "$out"
"$poke" write ours.cow 3 junk
"$ours/uml_mkcow" -f ours.cow back.img && [ -z "$("$poke" bits ours.cow)" ] &&
	pass mkcow/force-starts-afresh || fail mkcow/force-starts-afresh
out=$("$ours/uml_mkcow" one 2>&1; echo "rc=$?")
want=$'uml_mkcow usage: \n\tuml_mkcow [-f] <COW file> <backing file>\n\t-f forces overwrite of an existing COW file\nrc=2'
[ "$out" = "$want" ] && pass mkcow/usage || fail mkcow/usage "$out"
out=$("$ours/uml_mkcow" nb.cow missing.img 2>&1; echo "rc=$?")
case $out in
*"backing file '$TMPDIR/missing.img' mtime request failed"*"No such file or directory"*rc=1)
	[ ! -e nb.cow ] && pass mkcow/missing-backing || fail mkcow/missing-backing "left nb.cow behind" ;;
*) fail mkcow/missing-backing "$out" ;;
esac
mkdir adir
out=$("$ours/uml_mkcow" dir.cow adir 2>&1; echo "rc=$?")
[[ $out == *"is a directory"*rc=1 ]] && [ ! -e dir.cow ] && pass mkcow/directory-backing ||
	fail mkcow/directory-backing "$out"
ln -s back.img link.img
"$ours/uml_mkcow" link.cow link.img && [ "$(head -c 4200 link.cow | tail -c +33 | tr -d '\0')" = "$TMPDIR/link.img" ] &&
	pass mkcow/keeps-last-component || fail mkcow/keeps-last-component

# --- merges: ours of Debian's COW, Debian's of ours ----------------------------------
merge_case() {   # NAME MKCOW MOO
	local name=$1 mkcow=$2 moo=$3
	rm -f m.cow m.out m.exp
	"$mkcow" m.cow back.img >/dev/null || { fail "$name" "mkcow failed"; return; }
	scribble m.cow m.exp
	if "$moo" m.cow m.out && cmp -s m.out m.exp; then pass "$name"
	else fail "$name" "$(cmp m.out m.exp 2>&1 | head -1)"; fi
}
merge_case moo/ours-merges-ours "$ours/uml_mkcow" "$ours/uml_moo"
if [ $have_debian = 1 ]; then
	merge_case moo/ours-merges-debian-cow /usr/bin/uml_mkcow "$ours/uml_moo"
	merge_case moo/debian-merges-our-cow "$ours/uml_mkcow" /usr/bin/uml_moo
	# as sparse as Debian's output (holes where both inputs hold zeros)
	"$ours/uml_moo" m.cow ours.out && /usr/bin/uml_moo m.cow debian.out
	[ "$(stat -c %b ours.out)" -le "$(stat -c %b debian.out)" ] && cmp -s ours.out debian.out &&
		pass moo/sparse-as-debian || fail moo/sparse-as-debian "$(stat -c %b ours.out debian.out | tr '\n' ' ')"
fi

# -b names the backing file; -d merges in place (the backing mtime changes)
cp --sparse=always back.img back-copy.img
touch -d @1577934245 back-copy.img
"$ours/uml_mkcow" b.cow back.img && scribble b.cow b.exp
"$ours/uml_moo" -b back-copy.img b.cow b.out && cmp -s b.out b.exp && pass moo/-b || fail moo/-b
for tool in ours debian; do
	[ $tool = debian ] && [ $have_debian = 0 ] && continue
	moo=$ours/uml_moo; [ $tool = debian ] && moo=/usr/bin/uml_moo
	cp --sparse=always back.img d-$tool.img
	touch -d @1577934245 d-$tool.img
	"$moo" -d -b d-$tool.img b.cow || fail "moo/in-place-$tool" "exit $?"
	cmp -s d-$tool.img b.exp && pass "moo/in-place-$tool" || fail "moo/in-place-$tool"
done

# older versions
for v in 2 1; do
	"$poke" mkv$v old.cow back.img
	scribble old.cow old.exp
	"$ours/uml_moo" old.cow old.out && cmp -s old.out old.exp && pass "moo/reads-v$v" || fail "moo/reads-v$v"
	if [ $have_debian = 1 ]; then
		/usr/bin/uml_moo old.cow old-debian.out && cmp -s old-debian.out old.exp &&
			pass "moo/debian-agrees-v$v" || fail "moo/debian-agrees-v$v"
	fi
done

# --- messages: the same text and exit status as Debian's -----------------------------
same_as_debian() {   # NAME ARGS...: stdout, stderr and exit status all equal
	local name=$1
	shift
	if [ $have_debian = 0 ]; then skip "$name" "uml-utilities not installed"; return; fi
	# both run as "uml_moo": the usage text names the program as invoked
	bash -c 'exec -a uml_moo "$0" "$@"' "$ours/uml_moo" "$@" >o.ours 2>e.ours; local r1=$?
	bash -c 'exec -a uml_moo "$0" "$@"' /usr/bin/uml_moo "$@" >o.deb 2>e.deb; local r2=$?
	if [ $r1 = $r2 ] && cmp -s o.ours o.deb && cmp -s e.ours e.deb; then pass "$name"
	else fail "$name" "exit $r1 vs $r2: $(cat e.ours) | $(cat e.deb)"; fi
}
truncate -s 5M big.img; touch -d @1577934245 big.img
touch -d @1600000000 newer.img; truncate -s 4M newer.img; touch -d @1600000000 newer.img
printf abc >short.cow
same_as_debian msg/usage
same_as_debian msg/usage-extra m.cow a b
same_as_debian msg/size-mismatch -b big.img m.cow x.out
same_as_debian msg/mtime-mismatch -b newer.img m.cow x.out
same_as_debian msg/no-cow-file missing.cow x.out
same_as_debian msg/-b-then-d -b back.img -d m.cow
same_as_debian msg/short-header short.cow x.out
same_as_debian msg/missing-backing -b missing.img m.cow x.out
out=$("$ours/uml_moo" back.img x.out 2>&1; echo "rc=$?")
[[ $out == *"Reading COW header failed"*"not a COW file"*rc=1 ]] && pass msg/not-a-cow-file ||
	fail msg/not-a-cow-file "$out"
# a COW whose data area was cut short: refused, not merged with zeros
cp m.cow cut.cow && truncate -s 20000 cut.cow
out=$("$ours/uml_moo" cut.cow cut.out 2>&1; echo "rc=$?")
[[ $out == *truncated*rc=1 ]] && pass moo/truncated-cow || fail moo/truncated-cow "$out"
finish
