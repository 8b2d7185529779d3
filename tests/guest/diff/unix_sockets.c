/* AF_UNIX sockets: creation errors, pairs of each type (boundaries, truncation, peeking,
 * shutdown, EOF, EPIPE and SIGPIPE), filesystem and abstract names (bind, autobind,
 * connect errors, getsockname/getpeername), listen/accept (blocking and not), datagrams
 * with their sender's name, SCM_RIGHTS (and MSG_CTRUNC), SCM_CREDENTIALS and SO_PEERCRED,
 * socket options, FIONREAD, SO_RCVTIMEO, poll, and the socket calls on other files. */
#include "check.h"
#include <poll.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>

#define SHOW_HEX(label, v) printf("%s: %#x\n", (label), (unsigned)(v))
#define SHOW_OCT(label, v) printf("%s: %#o\n", (label), (unsigned)(v))

static socklen_t path_addr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strcpy(a->sun_path, path);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
}

static socklen_t abstract_addr(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	memcpy(a->sun_path + 1, name, strlen(name));
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
}

static void creation(void)
{
	CHECK_ERRNO(socket(AF_MAX + 3, SOCK_STREAM, 0), "socket bad family");
	CHECK_ERRNO(socket(AF_UNIX, 99, 0), "socket type out of range");
	CHECK_ERRNO(socket(AF_UNIX, 0, 0), "socket type 0");
	CHECK_ERRNO(socket(AF_UNIX, SOCK_STREAM | 0x100000, 0), "socket bad flag");
	CHECK_ERRNO(socket(AF_UNIX, SOCK_STREAM, 5), "socket bad protocol");
	int s = socket(AF_UNIX, SOCK_RAW, 0);
	int type = -1;
	socklen_t len = sizeof(type);
	CHECK_ERRNO(getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &len), "getsockopt SO_TYPE of SOCK_RAW");
	SHOW_INT("SOCK_RAW becomes", type);
	close(s);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, PF_UNIX);
	SHOW_BOOL("O_NONBLOCK set", (fcntl(s, F_GETFL) & O_NONBLOCK) != 0);
	SHOW_BOOL("FD_CLOEXEC set", (fcntl(s, F_GETFD) & FD_CLOEXEC) != 0);
	struct stat st;
	CHECK_ERRNO(fstat(s, &st), "fstat socket");
	SHOW_BOOL("S_ISSOCK", S_ISSOCK(st.st_mode));
	CHECK_ERRNO(lseek(s, 0, SEEK_SET), "lseek socket");
	CHECK_ERRNO(recv(s, &type, 1, 0), "recv unconnected stream");
	CHECK_ERRNO(send(s, "x", 1, 0), "send unconnected stream");
	CHECK_ERRNO(getpeername(s, (struct sockaddr *)&st, &len), "getpeername unconnected");
	CHECK_ERRNO(listen(s, 1), "listen unbound");
	CHECK_ERRNO(accept(s, NULL, NULL), "accept not listening");
	struct pollfd pf = { s, POLLIN | POLLOUT, 0 };
	CHECK_VAL(poll(&pf, 1, 0), "poll unconnected stream");
	SHOW_HEX("revents", (unsigned)pf.revents);
	close(s);
	int p[2];
	pipe(p);
	CHECK_ERRNO(send(p[1], "x", 1, 0), "send on a pipe");
	CHECK_ERRNO(listen(p[0], 1), "listen on a pipe");
	CHECK_ERRNO(shutdown(999, SHUT_RD), "shutdown bad fd");
	close(p[0]);
	close(p[1]);
}

static void stream_pair(void)
{
	int sv[2];
	char buf[64];
	CHECK_ERRNO(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), "socketpair stream");
	CHECK_VAL(write(sv[0], "hello", 5), "write");
	CHECK_VAL(send(sv[0], " world", 6, 0), "send");
	int n = 0;
	CHECK_ERRNO(ioctl(sv[1], FIONREAD, &n), "FIONREAD");
	SHOW_INT("FIONREAD", n);
	CHECK_VAL(recv(sv[1], buf, 3, MSG_PEEK), "recv MSG_PEEK 3");
	CHECK_VAL(read(sv[1], buf, sizeof(buf)), "read across two sends");
	buf[11] = 0;
	SHOW_STR("data", buf);
	CHECK_ERRNO(recv(sv[1], buf, 1, MSG_DONTWAIT), "recv MSG_DONTWAIT empty");
	struct iovec iov[2] = { { "ab", 2 }, { "cd", 2 } };
	CHECK_VAL(writev(sv[1], iov, 2), "writev");
	char x[2], y[2];
	struct iovec in[2] = { { x, 2 }, { y, 2 } };
	CHECK_VAL(readv(sv[0], in, 2), "readv");
	SHOW_BOOL("readv data", memcmp(x, "ab", 2) == 0 && memcmp(y, "cd", 2) == 0);
	CHECK_ERRNO(shutdown(sv[0], SHUT_WR), "shutdown SHUT_WR");
	CHECK_VAL(read(sv[1], buf, sizeof(buf)), "read after peer SHUT_WR (EOF)");
	CHECK_ERRNO(write(sv[0], "x", 1), "write after own SHUT_WR");
	CHECK_ERRNO(shutdown(sv[0], 7), "shutdown bad how");
	struct pollfd pf = { sv[1], POLLIN | POLLRDHUP, 0 };
	CHECK_VAL(poll(&pf, 1, 0), "poll after peer SHUT_WR");
	SHOW_HEX("revents", (unsigned)pf.revents);
	close(sv[1]);
	CHECK_ERRNO(send(sv[0], "x", 1, MSG_NOSIGNAL), "send to a closed peer");
	pf.fd = sv[0];
	pf.events = POLLIN | POLLOUT;
	CHECK_VAL(poll(&pf, 1, 0), "poll with the peer closed");
	SHOW_HEX("revents", (unsigned)pf.revents);
	close(sv[0]);

	/* SIGPIPE kills a writer whose peer is gone */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	close(sv[1]);
	pid_t c = fork();
	if (c == 0) {
		signal(SIGPIPE, SIG_DFL);
		write(sv[0], "x", 1);
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	SHOW_BOOL("writer killed by SIGPIPE", WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE);
	close(sv[0]);

	/* a blocking reader is woken by a later writer */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	c = fork();
	if (c == 0) {
		usleep(100000);
		write(sv[1], "late", 4);
		_exit(0);
	}
	CHECK_VAL(read(sv[0], buf, sizeof(buf)), "blocking read");
	waitpid(c, &st, 0);
	/* a nonblocking writer fills the peer and gets EAGAIN */
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	static char big[65536];
	long total = 0, r;
	while ((r = write(sv[0], big, sizeof(big))) > 0)
		total += r;
	SHOW_ERR("write until full", errno);
	SHOW_BOOL("something was queued", total > 0);
	close(sv[0]);
	close(sv[1]);
}

static void message_pairs(void)
{
	static const int types[] = { SOCK_DGRAM, SOCK_SEQPACKET };
	for (int i = 0; i < 2; i++) {
		printf("type %s\n", i ? "SOCK_SEQPACKET" : "SOCK_DGRAM");
		int sv[2];
		char buf[16];
		CHECK_ERRNO(socketpair(AF_UNIX, types[i], 0, sv), "socketpair");
		CHECK_VAL(send(sv[0], "one", 3, 0), "send one");
		CHECK_VAL(send(sv[0], "three", 5, 0), "send three");
		CHECK_VAL(send(sv[0], "", 0, 0), "send empty");
		int n = 0;
		ioctl(sv[1], FIONREAD, &n);
		SHOW_INT("FIONREAD", n);
		CHECK_VAL(recv(sv[1], buf, sizeof(buf), 0), "recv one");
		struct iovec iov = { buf, 2 };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
		CHECK_VAL(recvmsg(sv[1], &m, 0), "recvmsg 2 of three");
		SHOW_BOOL("MSG_TRUNC", (m.msg_flags & MSG_TRUNC) != 0);
		CHECK_VAL(recv(sv[1], buf, sizeof(buf), 0), "recv empty");
		CHECK_VAL(send(sv[0], "abcdef", 6, 0), "send six");
		CHECK_VAL(recv(sv[1], buf, 2, MSG_TRUNC), "recv 2 with MSG_TRUNC");
		CHECK_ERRNO(recv(sv[1], buf, 2, MSG_DONTWAIT), "recv empty queue");
		close(sv[1]);
		CHECK_ERRNO(send(sv[0], "x", 1, MSG_NOSIGNAL), "send to a closed peer");
		close(sv[0]);
	}
}

static void names(void)
{
	struct sockaddr_un a, got;
	socklen_t len = path_addr(&a, "sock");
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERRNO(bind(l, (struct sockaddr *)&a, len), "bind path");
	struct stat st;
	CHECK_ERRNO(stat("sock", &st), "stat the socket node");
	SHOW_BOOL("node is a socket", S_ISSOCK(st.st_mode));
	SHOW_OCT("node mode", st.st_mode & 07777);
	CHECK_ERRNO(bind(l, (struct sockaddr *)&a, len), "bind again, same name");
	struct sockaddr_un other;
	socklen_t olen = path_addr(&other, "sock2");
	CHECK_ERRNO(bind(l, (struct sockaddr *)&other, olen), "bind again, another name");
	CHECK_ERRNO(access("sock2", F_OK), "that name is not left behind");
	int l2 = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERRNO(bind(l2, (struct sockaddr *)&a, len), "bind a name in use");
	CHECK_ERRNO(bind(l2, (struct sockaddr *)&a, 1), "bind short address");
	a.sun_family = AF_INET;
	CHECK_ERRNO(bind(l2, (struct sockaddr *)&a, len), "bind wrong family");
	a.sun_family = AF_UNIX;
	socklen_t gl = sizeof(got);
	CHECK_ERRNO(getsockname(l, (struct sockaddr *)&got, &gl), "getsockname");
	SHOW_INT("getsockname length", (int)gl);
	SHOW_STR("getsockname path", got.sun_path);
	CHECK_ERRNO(connect(l2, (struct sockaddr *)&a, len), "connect before listen");
	CHECK_ERRNO(listen(l, 5), "listen");
	int on = 0;
	socklen_t ol = sizeof(on);
	getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &on, &ol);
	SHOW_INT("SO_ACCEPTCONN", on);
	CHECK_ERRNO(accept4(l, NULL, NULL, 0x12345), "accept4 bad flags");
	fcntl(l, F_SETFL, O_NONBLOCK);
	CHECK_ERRNO(accept(l, NULL, NULL), "nonblocking accept, nothing waiting");
	fcntl(l, F_SETFL, 0);
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERRNO(connect(c, (struct sockaddr *)&a, len), "connect");
	CHECK_ERRNO(connect(c, (struct sockaddr *)&a, len), "connect again");
	struct sockaddr_un pa;
	socklen_t pl = sizeof(pa);
	int s = accept4(l, (struct sockaddr *)&pa, &pl, SOCK_CLOEXEC);
	CHECK_ERRNO(s, "accept4");
	SHOW_INT("accepted peer address length", (int)pl);
	gl = sizeof(got);
	getsockname(s, (struct sockaddr *)&got, &gl);
	SHOW_STR("accepted socket's own name", got.sun_path);
	gl = sizeof(got);
	CHECK_ERRNO(getpeername(c, (struct sockaddr *)&got, &gl), "getpeername of the client");
	SHOW_STR("client's peer", got.sun_path);
	struct ucred cr;
	socklen_t cl = sizeof(cr);
	CHECK_ERRNO(getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cr, &cl), "SO_PEERCRED");
	SHOW_BOOL("peer pid is ours", cr.pid == getpid());
	SHOW_BOOL("peer uid is ours", cr.uid == geteuid());
	CHECK_VAL(write(c, "ping", 4), "client write");
	char buf[8];
	CHECK_VAL(read(s, buf, sizeof(buf)), "server read");
	close(c);
	close(s);
	/* accept waits for a connection from a child */
	pid_t k = fork();
	if (k == 0) {
		usleep(100000);
		int cc = socket(AF_UNIX, SOCK_STREAM, 0);
		connect(cc, (struct sockaddr *)&a, len);
		write(cc, "hi", 2);
		_exit(0);
	}
	s = accept(l, NULL, NULL);
	CHECK_ERRNO(s, "blocking accept");
	CHECK_VAL(read(s, buf, sizeof(buf)), "read from the child's connection");
	waitpid(k, NULL, 0);
	close(s);
	close(l);
	close(l2);
	unlink("sock");
	int d = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERRNO(connect(d, (struct sockaddr *)&a, len), "connect to a removed name");
	close(open("plain", O_CREAT | O_WRONLY, 0644));
	len = path_addr(&a, "plain");
	CHECK_ERRNO(connect(d, (struct sockaddr *)&a, len), "connect to a regular file");
	len = path_addr(&a, "nodir/sock");
	CHECK_ERRNO(bind(d, (struct sockaddr *)&a, len), "bind in a missing directory");
	close(d);

	/* abstract names and autobind */
	len = abstract_addr(&a, "umlinux-test");
	int x = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	CHECK_ERRNO(bind(x, (struct sockaddr *)&a, len), "bind abstract");
	gl = sizeof(got);
	getsockname(x, (struct sockaddr *)&got, &gl);
	SHOW_INT("abstract name length", (int)gl);
	listen(x, 1);
	int y = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERRNO(connect(y, (struct sockaddr *)&a, len), "connect abstract of another type");
	close(y);
	y = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	CHECK_ERRNO(connect(y, (struct sockaddr *)&a, len), "connect abstract");
	close(y);
	close(x);
	y = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	CHECK_ERRNO(connect(y, (struct sockaddr *)&a, len), "connect abstract after close");
	CHECK_ERRNO(bind(y, (struct sockaddr *)&a, offsetof(struct sockaddr_un, sun_path)), "autobind");
	gl = sizeof(got);
	getsockname(y, (struct sockaddr *)&got, &gl);
	SHOW_INT("autobind name length", (int)gl);
	SHOW_INT("autobind first byte", got.sun_path[0]);
	close(y);
}

static void datagrams(void)
{
	struct sockaddr_un a, b, from;
	socklen_t la = path_addr(&a, "dga"), lb = path_addr(&b, "dgb");
	int x = socket(AF_UNIX, SOCK_DGRAM, 0), y = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK_ERRNO(bind(x, (struct sockaddr *)&a, la), "bind dga");
	CHECK_ERRNO(sendto(y, "anon", 4, 0, (struct sockaddr *)&a, la), "sendto from an unbound socket");
	char buf[16];
	socklen_t fl = sizeof(from);
	CHECK_VAL(recvfrom(x, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl), "recvfrom");
	SHOW_INT("unbound sender's address length", (int)fl);
	CHECK_ERRNO(bind(y, (struct sockaddr *)&b, lb), "bind dgb");
	CHECK_VAL(sendto(y, "named", 5, 0, (struct sockaddr *)&a, la), "sendto from dgb");
	fl = sizeof(from);
	CHECK_VAL(recvfrom(x, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl), "recvfrom");
	SHOW_STR("sender", from.sun_path);
	CHECK_ERRNO(send(y, "x", 1, 0), "send unconnected datagram");
	CHECK_ERRNO(connect(y, (struct sockaddr *)&a, la), "connect datagram");
	CHECK_VAL(send(y, "conn", 4, 0), "send connected");
	CHECK_VAL(recv(x, buf, sizeof(buf), 0), "recv");
	int z = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK_ERRNO(connect(x, (struct sockaddr *)&b, lb), "connect dga to dgb");
	CHECK_ERRNO(sendto(z, "no", 2, 0, (struct sockaddr *)&a, la), "sendto a socket connected elsewhere");
	struct sockaddr un = { .sa_family = AF_UNSPEC };
	CHECK_ERRNO(connect(x, &un, sizeof(un)), "disconnect with AF_UNSPEC");
	CHECK_ERRNO(sendto(z, "ok", 2, 0, (struct sockaddr *)&a, la), "sendto again");
	close(x);
	CHECK_ERRNO(send(y, "gone", 4, 0), "send to a closed peer");
	CHECK_ERRNO(send(y, "gone", 4, 0), "send once disconnected");
	close(y);
	close(z);
	unlink("dga");
	unlink("dgb");
}

static void rights_and_creds(void)
{
	int sv[2], p[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pipe(p);
	char cbuf[CMSG_SPACE(sizeof(int) * 2)];
	memset(cbuf, 0, sizeof(cbuf));
	struct iovec iov = { "F", 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			    .msg_controllen = CMSG_SPACE(sizeof(int)) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &p[0], sizeof(int));
	CHECK_VAL(sendmsg(sv[0], &m, 0), "sendmsg SCM_RIGHTS");
	close(p[0]);
	char d;
	char rbuf[CMSG_SPACE(sizeof(int))];
	struct iovec riov = { &d, 1 };
	struct msghdr r = { .msg_iov = &riov, .msg_iovlen = 1, .msg_control = rbuf, .msg_controllen = sizeof(rbuf) };
	CHECK_VAL(recvmsg(sv[1], &r, MSG_CMSG_CLOEXEC), "recvmsg SCM_RIGHTS");
	c = CMSG_FIRSTHDR(&r);
	SHOW_BOOL("got SCM_RIGHTS", c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS);
	int fd = -1;
	if (c)
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	SHOW_BOOL("received fd is close-on-exec", (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
	write(p[1], "through", 7);
	char buf[16] = { 0 };
	CHECK_VAL(read(fd, buf, sizeof(buf)), "read from the received pipe");
	SHOW_STR("data", buf);
	close(fd);
	/* a control buffer too small: MSG_CTRUNC, the descriptor is not installed */
	memcpy(CMSG_DATA(CMSG_FIRSTHDR(&m)), &p[1], sizeof(int));
	sendmsg(sv[0], &m, 0);
	r.msg_controllen = sizeof(struct cmsghdr);
	CHECK_VAL(recvmsg(sv[1], &r, 0), "recvmsg with no room for the descriptor");
	SHOW_BOOL("MSG_CTRUNC", (r.msg_flags & MSG_CTRUNC) != 0);
	/* bad control data */
	c = CMSG_FIRSTHDR(&m);
	int bad = 999;
	memcpy(CMSG_DATA(c), &bad, sizeof(int));
	CHECK_ERRNO(sendmsg(sv[0], &m, 0), "sendmsg SCM_RIGHTS of a bad fd");
	c->cmsg_len = 3;
	CHECK_ERRNO(sendmsg(sv[0], &m, 0), "sendmsg short cmsg_len");
	close(p[1]);

	/* SCM_CREDENTIALS: received with SO_PASSCRED; a false pid is refused to non-root */
	int on = 1;
	CHECK_ERRNO(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)), "SO_PASSCRED");
	CHECK_VAL(write(sv[0], "c", 1), "write");
	char cred_buf[CMSG_SPACE(sizeof(struct ucred))];
	r.msg_control = cred_buf;
	r.msg_controllen = sizeof(cred_buf);
	CHECK_VAL(recvmsg(sv[1], &r, 0), "recvmsg with SO_PASSCRED");
	c = CMSG_FIRSTHDR(&r);
	SHOW_BOOL("got SCM_CREDENTIALS", c && c->cmsg_type == SCM_CREDENTIALS);
	struct ucred uc = { 0 };
	if (c)
		memcpy(&uc, CMSG_DATA(c), sizeof(uc));
	SHOW_BOOL("credentials: our pid and ids", uc.pid == getpid() && uc.uid == geteuid() && uc.gid == getegid());
	close(sv[0]);
	close(sv[1]);
}

static void options(void)
{
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	int v = 0;
	socklen_t l = sizeof(v);
	CHECK_ERRNO(getsockopt(s, SOL_SOCKET, SO_DOMAIN, &v, &l), "SO_DOMAIN");
	SHOW_INT("domain", v);
	l = sizeof(v);
	getsockopt(s, SOL_SOCKET, SO_ERROR, &v, &l);
	SHOW_INT("SO_ERROR", v);
	v = 4096;
	CHECK_ERRNO(setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)), "SO_SNDBUF 4096");
	l = sizeof(v);
	getsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, &l);
	SHOW_INT("SO_SNDBUF reads back", v);
	char small = 0;
	l = 1;
	CHECK_ERRNO(getsockopt(s, SOL_SOCKET, SO_TYPE, &small, &l), "getsockopt with a 1-byte buffer");
	SHOW_INT("length written", (int)l);
	CHECK_ERRNO(setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, 2), "setsockopt short value");
	CHECK_ERRNO(setsockopt(s, SOL_SOCKET, 0x7777, &v, sizeof(v)), "setsockopt unknown option");
	CHECK_ERRNO(getsockopt(s, SOL_SOCKET, 0x7777, &v, &l), "getsockopt unknown option");
	struct timeval tv = { 0, 150000 };
	CHECK_ERRNO(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), "SO_RCVTIMEO");
	struct sockaddr_un a;
	socklen_t la = abstract_addr(&a, "umlinux-timeo");
	bind(s, (struct sockaddr *)&a, la);
	char b;
	CHECK_ERRNO(recv(s, &b, 1, 0), "recv times out");
	tv.tv_usec = 2000000;
	CHECK_ERRNO(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), "SO_RCVTIMEO bad usec");
	close(s);
}

int test_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	signal(SIGPIPE, SIG_IGN);
	creation();
	stream_pair();
	message_pairs();
	names();
	datagrams();
	rights_and_creds();
	options();
	return 0;
}
