# Sourced by the guest scripts (Debian root, bash). Prints one line per check:
#   ok NAME | not ok NAME: detail | xfail NAME: reason
# which tests/debian/test-debian.sh turns into PASS/FAIL/XFAIL lines. PREFIX names the
# user the checks run as (root/, user/).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C
PREFIX=${PREFIX:-}

# check NAME EXPECTED ACTUAL
check() {
	if [ "$2" = "$3" ]; then echo "ok $PREFIX$1"
	else echo "not ok $PREFIX$1: expected '$2' got '$(printf %s "$3" | head -c 300 | tr '\n' '|')'"; fi
}
# checkrc NAME CMD...: CMD succeeds
checkrc() {
	local n=$1 out
	shift
	if out=$("$@" 2>&1); then echo "ok $PREFIX$n"
	else echo "not ok $PREFIX$n: '$*' failed: $(printf %s "$out" | tail -3 | tr '\n' '|')"; fi
}
# xfail NAME REASON: known broken; the reason says why
xfail() { echo "xfail $PREFIX$1: $2"; }
