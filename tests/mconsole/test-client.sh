#!/usr/bin/env bash
# Our uml_mconsole against a stand-in UML socket (fake_uml.py): what it sends (joined
# words, log chunks, absolute ubd file names) and how it reports answers (multi-datagram
# replies, error codes as exit status, no answer), side by side with Debian's client.
set -u
. "$(dirname "$0")/mc-lib.sh"

if [ ! -x "$MC" ]; then skip mconsole-client "not built"; finish; fi
if ! command -v python3 >/dev/null; then skip mconsole-client "no python3"; finish; fi
FAKE=$UMLINUX_TOP/tests/mconsole/fake_uml.py
sock=$TMPDIR/fake.sock

# fake COUNT MODE: starts the stand-in; its log of commands goes to $TMPDIR/fake.log.
fake() {
	rm -f "$TMPDIR/fake.log" "$sock"
	python3 "$FAKE" "$sock" "$1" "$2" >"$TMPDIR/fake.log" 2>&1 &
	fake_pid=$!
	wait_for "$TMPDIR/fake.log" '^ready$' 50
}

for client in "$MC" "$DEBIAN_MC"; do
	[ -x "$client" ] || continue
	who=ours
	[ "$client" = "$DEBIAN_MC" ] && who=debian

	fake 1 ok
	out=$("$client" "$sock" version  with   spaces 2>/dev/null)
	wait "$fake_pid"
	check "$who/reply" "OK fake" "$out"
	check "$who/words-joined" "version with spaces" "$(sed -n 2p "$TMPDIR/fake.log")"

	fake 2 ok
	out=$("$client" "$sock" log hello world 2>/dev/null)
	wait "$fake_pid"
	check "$who/log-replies" $'OK \nOK ' "${out//fake/}"
	check "$who/log-sent" $'log hello world\nlog \n' "$(sed -n '2,$p' "$TMPDIR/fake.log")"$'\n'

	fake 1 enoent
	out=$("$client" "$sock" config ubd1=/nonexistent 2>/dev/null)
	rc=$?
	wait "$fake_pid"
	check "$who/err-text" "ERR Couldn't determine size of device's file" "$out"
	check "$who/err-minus-2-exits-254" 254 "$rc"

	fake 1 chunks
	out=$("$client" "$sock" proc big 2>/dev/null)
	wait "$fake_pid"
	check "$who/multi-datagram" 1503 "${#out}"

	mkdir -p "$TMPDIR/work/sub"
	fake 1 ok
	(cd "$TMPDIR/work" && "$client" "$sock" config ubd3=cow3,sub/back3 >/dev/null 2>&1)
	wait "$fake_pid"
	work=$(cd "$TMPDIR/work" && pwd -P)
	check "$who/ubd-absolute" "config ubd3=$work/cow3,$work/sub/back3" "$(sed -n 2p "$TMPDIR/fake.log")"
done

# ours only: no answer is a timeout with a message and status 1
fake 1 silent
start=$SECONDS
UML_MCONSOLE_TIMEOUT=1 "$MC" "$sock" version >/dev/null 2>"$TMPDIR/err"
rc=$?
wait "$fake_pid"
[ $rc -eq 1 ] && grep -q "no reply from $sock within 1 s" "$TMPDIR/err" && [ $((SECONDS - start)) -lt 5 ] \
	&& pass ours/timeout || fail ours/timeout "rc $rc: $(cat "$TMPDIR/err")"

# a socket file nobody listens on
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1])' "$TMPDIR/dead.sock"
"$MC" "$TMPDIR/dead.sock" version >/dev/null 2>"$TMPDIR/err"
rc=$?
[ $rc -eq 1 ] && grep -q "Connection refused (is the UML still running?)" "$TMPDIR/err" \
	&& pass ours/dead-socket || fail ours/dead-socket "rc $rc: $(cat "$TMPDIR/err")"

# no arguments
"$MC" >/dev/null 2>"$TMPDIR/err"
rc=$?
check ours/usage "1 Usage : uml_mconsole socket-name [command]" "$rc $(cat "$TMPDIR/err")"

# interactive: switch between instances, prompts show the name (11 characters at most)
fake 1 ok
out=$(printf 'switch %s\nversion\nint\nquit\n' "$sock" | "$MC" "$TMPDIR/dead.sock" 2>/dev/null)
wait "$fake_pid"
expect="($(printf '%.11s' "$TMPDIR/dead.sock")) Switched to '$sock'"$'\n'"($(printf '%.11s' "$sock")) OK fake"
expect+=$'\n'"($(printf '%.11s' "$sock")) Cannot determine the PID of your UML session, not sending signal."
expect+=$'\n'"($(printf '%.11s' "$sock")) "
check ours/interactive-switch "$expect" "$out"
out=$(printf '' | "$MC" "$TMPDIR/dead.sock" 2>/dev/null)
check ours/interactive-eof "($(printf '%.11s' "$TMPDIR/dead.sock")) " "$out"
out=$(printf 'version\n' | "$MC" "$TMPDIR/no-such" 2>/dev/null)
check ours/interactive-no-target "([None]) ([None]) " "$out"
finish
