package UML::MConsole;
# A Perl client for a UML's (or umlinux's) management console, in the spirit of the
# library the UML test suite used: one method per request, and read_notify for the
# notifications a UML sends to its mconsole=notify: socket.
#
#   use UML::MConsole;
#   my $mc = UML::MConsole->new("debian");          # a umid, or the socket's path
#   print $mc->version, "\n";
#   $mc->stop; $mc->sysrq("s"); $mc->go;
#   defined(my $conf = $mc->config("ubd1")) or die $mc->error;
#
#   my ($type, $data) = UML::MConsole->read_notify(\*SOCK, $timeout);
#
# A request method returns the reply's text when the UML answers OK, and undef when it
# answers ERR (or not at all): error() then holds the text and err() the error code.
# In list context it returns (err, text) instead. Wire format: see docs/mconsole.md.
use strict;
use warnings;
use Socket;
use IO::Select;

our $VERSION = '1.0';

my $MAGIC = 0xcafebabe;
my $PROTOCOL = 2;
my $MAX_DATA = 512;
my %NOTIFY_NAME = (0 => "socket", 1 => "panic", 2 => "hang", 3 => "user notification");

# Where uml_mconsole looks: ~/.uml/<umid>/mconsole, /tmp/uml/<umid>/mconsole, the name.
sub _resolve {
	my ($name) = @_;
	my @try;
	push @try, "$ENV{HOME}/.uml/$name/mconsole" if defined $ENV{HOME};
	push @try, "/tmp/uml/$name/mconsole", $name;
	for my $path (@try) {
		return $path if -e $path;
	}
	return undef;
}

sub new {
	my ($class, $name, %opt) = @_;
	my $path = _resolve($name);
	die "UML::MConsole: no UML instance '$name'\n" unless defined $path;
	socket(my $sock, AF_UNIX, SOCK_DGRAM, 0) or die "UML::MConsole: socket: $!\n";
	# An address of our own (Linux autobind): UML answers to the sender's address.
	bind($sock, pack("S", AF_UNIX)) or die "UML::MConsole: bind: $!\n";
	my $self = { sock => $sock, path => $path, timeout => $opt{timeout} // 30,
		     err => 0, error => "" };
	return bless $self, $class;
}

sub socket_path { $_[0]{path} }
sub err { $_[0]{err} }
sub error { $_[0]{error} }

# request(text): one exchange; the reply's chunks are put together.
sub request {
	my ($self, $cmd) = @_;
	die "UML::MConsole: request too long\n" if length($cmd) >= $MAX_DATA;
	my $msg = pack("LLL", $MAGIC, $PROTOCOL, length $cmd) . $cmd;
	$msg .= "\0" x (12 + $MAX_DATA - length $msg);
	my $sel = IO::Select->new($self->{sock});
	my $flush;
	while ($sel->can_read(0)) {   # answers to an earlier request that timed out
		recv($self->{sock}, $flush, 4096, 0);
	}
	send($self->{sock}, $msg, 0, sockaddr_un($self->{path}))
		or return $self->_failed(-1, "send to $self->{path}: $!");
	my ($err, $text, $first, $more) = (0, "", 1, 1);
	while ($more) {
		return $self->_failed(-1, "no reply from $self->{path}")
			unless $sel->can_read($self->{timeout});
		my $data;
		defined(recv($self->{sock}, $data, 4096, 0)) or return $self->_failed(-1, "recv: $!");
		return $self->_failed(-1, "short reply") if length($data) < 12;
		my ($e, $m, $len) = unpack("lLL", $data);
		my $chunk = substr($data, 12);
		$chunk =~ s/\0.*//s;
		$err = $e if $first;
		$first = 0;
		$more = $m;
		$text .= $chunk;
	}
	$self->{err} = $err;
	$self->{error} = $err ? $text : "";
	return wantarray ? ($err, $text) : ($err ? undef : $text);
}

sub _failed {
	my ($self, $err, $text) = @_;
	$self->{err} = $err;
	$self->{error} = $text;
	return wantarray ? ($err, $text) : undef;
}

sub version { $_[0]->request("version") }
sub help { $_[0]->request("help") }
sub halt { $_[0]->request("halt") }
sub reboot { $_[0]->request("reboot") }
sub cad { $_[0]->request("cad") }
sub stop { $_[0]->request("stop") }
sub go { $_[0]->request("go") }

# config("ubd1") queries; config("ubd1", "cow,backing") or config("ubd1=cow,backing") plugs.
sub config {
	my ($self, $dev, $conf) = @_;
	return $self->request(defined $conf ? "config $dev=$conf" : "config $dev");
}
sub remove { $_[0]->request("remove $_[1]") }
sub sysrq { $_[0]->request("sysrq $_[1]") }
sub log { $_[0]->request("log $_[1]") }
sub proc {
	my $self = shift;
	my @r = $self->request("proc $_[0]");
	$r[1] =~ s/^\n// unless $r[0];   # the contents start on a line of their own
	return wantarray ? @r : ($r[0] ? undef : $r[1]);
}
sub stack { $_[0]->request("stack $_[1]") }

# read_notify(FH, TIMEOUT): the next notification on a bound datagram socket, as
# (type, data) with type one of "socket", "panic", "hang", "user notification"; an empty
# list after TIMEOUT seconds (undef: wait for ever). Understands the 16-byte header and
# the 24-byte one of uml_watchdog's 64-bit build.
sub read_notify {
	my ($class, $fh, $timeout) = @_;
	my $sel = IO::Select->new($fh);
	while (1) {
		return () unless $sel->can_read($timeout);
		my $data;
		defined(recv($fh, $data, 4096, 0)) or return ();
		next if length($data) < 16;
		my ($magic, $version, $type, $len) = unpack("LLLL", $data);
		next unless $magic == $MAGIC;
		my $off = 16;
		if ($version == 0 && length($data) >= 24 && $type == $PROTOCOL) {
			($type, $len) = unpack("x12 L L", $data);
			$off = 24;
		} elsif ($version != $PROTOCOL) {
			next;
		}
		my $payload = substr($data, $off, $len);
		$payload =~ s/\0$//;
		return ($NOTIFY_NAME{$type} // "unknown ($type)", $payload);
	}
}

1;
