#!/usr/bin/env bash
# The test driver behind `make test` (and so CI).
#
#  1. scripts/install-deps.sh, then `make -j2 all unit` (a failure here stops the run);
#  2. every unit test binary build/unit/test_* (cmocka): one test each, passing if it
#     exits 0; its output is shown when it fails;
#  3. every executable tests/*/test-*.sh, in sorted order, from the top of the tree, with
#     stdin from /dev/null and a scratch TMPDIR of its own. Each prints one line per case:
#     PASS <name>, FAIL <name>, SKIP <name> or XFAIL <name>, and exits non-zero if any
#     case failed (tests/lib.sh has the helpers). A script that times out, dies, or exits
#     non-zero without printing a FAIL line counts as one FAIL.
#
# Ends with one line "N passed, N failed" (", N skipped" when some were) and exits 0
# only when nothing failed.
#
# Environment:
#   TESTS=regex         run only the tests whose name matches (extended regex) — names
#                       are paths below tests/: "guest/test-fork.sh", "unit/test_cmdline"
#   TEST_TIMEOUT=secs   time limit per unit binary or script (default 600)
#   VERBOSE=1           print every script's whole output, not only its failures
# Logs of every test go to build/test-logs/.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
export LC_ALL=C          # sorted order and character classes the same everywhere

TESTS=${TESTS:-}
TEST_TIMEOUT=${TEST_TIMEOUT:-600}
VERBOSE=${VERBOSE:-0}
logdir=build/test-logs
tail_lines=80            # how much of a failing test's output to show

passed=0 failed=0 skipped=0 xfailed=0 ran=0
failures=()
child="" scratch=""

summary() {
    local line
    if [ ${#failures[@]} -gt 0 ]; then
        echo
        echo "Failures:"
        for line in "${failures[@]}"; do echo "  $line"; done
    fi
    [ "$xfailed" -gt 0 ] && echo "($xfailed expected failures (XFAIL) not counted)"
    echo
    line="$passed passed, $failed failed"
    [ "$skipped" -gt 0 ] && line+=", $skipped skipped"
    echo "$line"
}

# record_fail "NAME[: why]": count one failure and make it hard to miss.
record_fail() {
    failed=$((failed + 1))
    failures+=("FAIL $1")
    echo "*** FAIL $1"
}

show_log_tail() {
    echo "    --- last $tail_lines lines of $1 ---"
    tail -n "$tail_lines" "$1" | sed 's/^/    | /'
    echo "    ---"
}

selected() { [ -z "$TESTS" ] || [[ $1 =~ $TESTS ]]; }

# run_timed LOG CMD...: run CMD under the per-test time limit, output to LOG. Sets rc and
# elapsed. Runs in the background so an interrupt can stop it: timeout puts CMD in a
# process group of its own, which the terminal's ^C does not reach.
run_timed() {
    local log=$1 start=$SECONDS
    shift
    timeout -k 10 "$TEST_TIMEOUT" "$@" </dev/null >"$log" 2>&1 &
    child=$!
    wait "$child" 2>/dev/null   # no "Killed" job notice: the reason is reported below
    rc=$?
    child=
    elapsed=$((SECONDS - start))
}

interrupted() {
    trap - INT TERM
    [ -n "$child" ] && kill -TERM "$child" 2>/dev/null && wait "$child" 2>/dev/null
    [ -n "$scratch" ] && rm -rf "$scratch"
    echo
    echo "interrupted"
    summary
    exit 130
}
trap interrupted INT TERM

# Why a test that exited with status $rc after $elapsed seconds died, or nothing.
death_reason() {
    if [ "$rc" -eq 124 ] || { [ "$rc" -eq 137 ] && [ "$elapsed" -ge "$TEST_TIMEOUT" ]; }; then
        echo "timed out after ${TEST_TIMEOUT} s"
    elif [ "$rc" -gt 128 ]; then
        echo "killed by signal $((rc - 128))"
    fi
}

mkdir -p "$logdir"

# --- set-up ------------------------------------------------------------------------------
if ! scripts/install-deps.sh; then
    record_fail "install-deps: missing packages (see above)"
    summary
    exit 1
fi
echo "== make -j2 all unit"
if ! make -j2 all unit >"$logdir/build.log" 2>&1; then
    show_log_tail "$logdir/build.log"
    record_fail "build: make -j2 all unit failed, no tests run"
    summary
    exit 1
fi
if ! scripts/make-busybox-root.sh >"$logdir/busybox-root.log" 2>&1; then
    cat "$logdir/busybox-root.log"
    record_fail "busybox-root: scripts/make-busybox-root.sh failed"
fi

# --- unit tests --------------------------------------------------------------------------
for bin in build/unit/test_*; do
    [ -f "$bin" ] && [ -x "$bin" ] || continue
    name=unit/${bin#build/unit/}
    [ -f "tests/$name.c" ] || continue          # stale binary of a removed test
    selected "$name" || continue
    ran=$((ran + 1))
    log=$logdir/${name//\//_}.log
    run_timed "$log" "$bin"
    if [ "$rc" -eq 0 ]; then
        passed=$((passed + 1))
        echo "PASS $name"
        [ "$VERBOSE" = 1 ] && cat "$log"
    else
        why=$(death_reason)
        record_fail "$name: ${why:-exit status $rc}"
        show_log_tail "$log"
    fi
done

# --- test scripts ------------------------------------------------------------------------
for script in tests/*/test-*.sh; do
    [ -f "$script" ] && [ -x "$script" ] || continue
    name=${script#tests/}
    selected "$name" || continue
    ran=$((ran + 1))
    log=$logdir/${name//\//_}.log
    echo "== $name"
    scratch=$(mktemp -d "${TMPDIR:-/tmp}/umlinux-test.XXXXXX")
    UMLINUX_TEST_TMP=$scratch TMPDIR=$scratch run_timed "$log" "./$script"
    chmod -R u+rwX "$scratch" 2>/dev/null
    rm -rf "$scratch"
    scratch=

    # Count the result lines; show all but the PASS ones.
    p=0 f=0 s=0 x=0
    while IFS= read -r line; do
        line=${line%$'\r'}
        case $line in
        "PASS "*)  p=$((p + 1)) ;;
        "FAIL "*)  f=$((f + 1)); record_fail "$name: ${line#FAIL }" ;;
        "SKIP "*)  s=$((s + 1)); echo "    $line" ;;
        "XFAIL "*) x=$((x + 1)); echo "    $line" ;;
        esac
    done < <(grep -aE '^(PASS|FAIL|SKIP|XFAIL) ' "$log")
    passed=$((passed + p)) skipped=$((skipped + s)) xfailed=$((xfailed + x))

    why=$(death_reason)
    if [ -n "$why" ]; then
        record_fail "$name: $why"
    elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        record_fail "$name: exited with status $rc without printing a FAIL line"
    elif [ $((p + f + s + x)) -eq 0 ]; then
        record_fail "$name: printed no PASS/FAIL/SKIP/XFAIL line"
    fi
    echo "   $name: $p passed, $f failed, $s skipped, $x xfail (${elapsed} s, exit $rc)"
    if [ "$VERBOSE" = 1 ]; then
        sed 's/^/    | /' "$log"
    elif [ -n "$why" ] || [ "$rc" -ne 0 ] || [ "$f" -gt 0 ]; then
        show_log_tail "$log"
    fi
done

if [ "$ran" -eq 0 ]; then
    echo "(no tests found${TESTS:+ matching TESTS=$TESTS})"
fi
summary
[ "$failed" -eq 0 ]
