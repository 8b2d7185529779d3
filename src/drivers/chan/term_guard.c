/*
 * The terminal guardian: a tiny detached process holding the host terminal's original
 * settings. If the kernel dies without restoring them (kill -9), the guardian sees its
 * pipe close and puts them back; on a clean exit the kernel releases it first.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "drivers/chan/term_guard.h"

static int guard_pipe = -1;

static _Noreturn void guard_main(int tty_fd, int rd, const struct termios *saved)
{
	setsid();   /* not in the kernel's process group: never hit by its job control */
	for (int s = 1; s < 32; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_IGN);
	char c;
	ssize_t n;
	do
		n = read(rd, &c, 1);
	while (n < 0);
	if (n == 0)
		tcsetattr(tty_fd, TCSANOW, saved);   /* the kernel died with the terminal raw */
	_exit(0);
}

void term_guard_start(int tty_fd, const struct termios *saved)
{
	int p[2];
	if (guard_pipe >= 0 || pipe2(p, O_CLOEXEC) < 0)
		return;
	pid_t mid = fork();
	if (mid < 0) {
		close(p[0]);
		close(p[1]);
		return;
	}
	if (mid == 0) {
		/* double fork: the guardian is nobody's child of ours */
		if (fork() == 0) {
			int keep[2] = { tty_fd, p[0] };
			for (int fd = 0; fd < 1024; fd++)
				if (fd != keep[0] && fd != keep[1])
					close(fd);
			guard_main(tty_fd, p[0], saved);
		}
		_exit(0);
	}
	close(p[0]);
	waitpid(mid, NULL, 0);
	guard_pipe = p[1];
}

void term_guard_release(void)
{
	if (guard_pipe < 0)
		return;
	if (write(guard_pipe, "q", 1) != 1) { /* the guardian is gone already */ }
	close(guard_pipe);
	guard_pipe = -1;
}
