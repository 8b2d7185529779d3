#!/usr/bin/env bash
# The Perl module UML::MConsole (tools/perl): a method per request against a running
# guest, and read_notify for every notification type.
set -u
. "$(dirname "$0")/mc-lib.sh"

if [ ! -x "$UMLINUX" ]; then skip mconsole-perl "kernel not built"; finish; fi
command -v perl >/dev/null || { skip mconsole-perl "no perl"; finish; }
export PERL5LIB=$UMLINUX_TOP/tools/perl
nsock=$TMPDIR/notify.sock

# The listener: the book's script, printing each notification until the panic.
perl -e '
use UML::MConsole; use Socket; use strict;
my $sock = shift;
socket(SOCK, AF_UNIX, SOCK_DGRAM, 0) or die "socket failed : $!\n";
bind(\*SOCK, sockaddr_un($sock)) or die "bind failed : $!\n";
$| = 1;
print "listening\n";
while (1) {
	my ($type, $data) = UML::MConsole->read_notify(\*SOCK, 60);
	last unless defined $type;
	print "Notification type = \"$type\", data = \"$data\"\n";
	last if $type eq "panic";
}' "$nsock" >"$TMPDIR/notes" 2>&1 &
listener=$!
wait_for "$TMPDIR/notes" listening 50

start_guest pl1 "$GUEST_SERVE" mconsole=notify:"$nsock" || { fail perl/boot "no socket"; finish; }
perl -e '
use UML::MConsole; use strict;
my $mc = UML::MConsole->new("pl1", timeout => 10);
sub ok { my ($name, $cond, $why) = @_; print $cond ? "PASS perl/$name\n" : "FAIL perl/$name: $why\n"; }
my $v = $mc->version;
ok("version", defined $v && $v =~ /^Linux \(none\) \S+ #1 .* x86_64$/, $v // $mc->error);
ok("help", ($mc->help // "") =~ /^Commands: \n    version - Get kernel version \n/, "no help");
my $p = $mc->proc("meminfo");
ok("proc", defined $p && $p =~ /^MemTotal: +131072 kB\n/, $p // $mc->error);
ok("proc-missing", !defined $mc->proc("nope") && $mc->error eq "Failed to open file" && $mc->err == 1, $mc->error);
ok("stop", ($mc->stop // "") eq "stopped", $mc->error);
ok("stop-again", !defined $mc->stop && $mc->error eq "Already stopped", $mc->error);
ok("sysrq-s", ($mc->sysrq("s") // "") eq "sysrq: Emergency Sync\nEmergency Sync complete\n", $mc->error);
ok("go", defined $mc->go, $mc->error);
ok("log", defined $mc->log("from perl\n"), $mc->error);
my ($err, $text) = $mc->config("foo0", "bar");
ok("config-list-context", $err == 1 && $text eq "Bad configuration option", "$err $text");
ok("remove", !defined $mc->remove("foo0") && $mc->error eq "Bad remove option", $mc->error);
ok("stack", ($mc->stack(1) // "") =~ /^Stack:\n/, $mc->error);
ok("request-prefix-match", ($mc->request("versionx") // "") =~ /^Linux /, $mc->error);
' || fail perl/requests "the Perl client died"
guest_run 'echo -n from-the-guest > /proc/mconsole' >/dev/null
UML_WATCHDOG_TIMEOUT=1 "$WATCHDOG" -mconsole "$nsock" < <(sleep 3) >/dev/null
out=$(perl -e 'use UML::MConsole; my $mc = UML::MConsole->new("pl1"); print $mc->sysrq("c") // $mc->error')
check perl/sysrq-c "" "$out"
wait_guest
wait "$listener"
check perl/notify-socket "Notification type = \"socket\", data = \"$HOME/.uml/pl1/mconsole\"" "$(grep '"socket"' "$TMPDIR/notes")"
check perl/notify-user 'Notification type = "user notification", data = "from-the-guest"' "$(grep '"user notification"' "$TMPDIR/notes")"
check perl/notify-hang 'Notification type = "hang", data = ""' "$(grep '"hang"' "$TMPDIR/notes")"
check perl/notify-panic 'Notification type = "panic", data = "sysrq triggered crash"' "$(grep '"panic"' "$TMPDIR/notes")"
rm -rf "${HOME:?}/.uml/pl1"
finish
