/*
 * A small static helper for tests/hostfs/test-hostfs.sh, run in the guest (and, for
 * `listen`, on the host). Each command makes one system call and prints its outcome as
 * "ok" or the errno's name (EXDEV, EPERM, ...), so the guest scripts can check exact
 * errors, which BusyBox's tools hide (mv falls back to copying on EXDEV).
 *
 *   hfs rename OLD NEW           rename(2)
 *   hfs open PATH FLAG...        open(2); FLAG: rdonly wronly rdwr creat trunc append
 *   hfs pwrite PATH OFFSET TEXT  open O_WRONLY, pwrite(2) TEXT at OFFSET
 *   hfs truncate PATH SIZE       truncate(2)
 *   hfs unlink PATH | rmdir PATH | mkdir PATH | chmod PATH OCTAL | creat PATH
 *   hfs connect PATH             connect(2) an AF_UNIX stream socket to PATH
 *   hfs listen PATH              (host) listen on PATH; print "accepted" per connection
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static int report(long ret)
{
	if (ret < 0) {
		const char *name = strerrorname_np(errno);
		printf("%s\n", name ? name : "E?");
		return 1;
	}
	printf("ok\n");
	return 0;
}

static int unix_addr(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun->sun_path, path);
	return 0;
}

static int open_flags(int argc, char **argv)
{
	int flags = 0;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "rdonly"))
			flags |= O_RDONLY;
		else if (!strcmp(argv[i], "wronly"))
			flags |= O_WRONLY;
		else if (!strcmp(argv[i], "rdwr"))
			flags |= O_RDWR;
		else if (!strcmp(argv[i], "creat"))
			flags |= O_CREAT;
		else if (!strcmp(argv[i], "trunc"))
			flags |= O_TRUNC;
		else if (!strcmp(argv[i], "append"))
			flags |= O_APPEND;
		else {
			fprintf(stderr, "hfs: unknown open flag %s\n", argv[i]);
			exit(2);
		}
	}
	return flags;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	struct sockaddr_un sun;
	long ret;
	int fd;

	if (argc == 4 && !strcmp(cmd, "rename"))
		return report(rename(argv[2], argv[3]));
	if (argc >= 3 && !strcmp(cmd, "open"))
		return report(open(argv[2], open_flags(argc - 3, argv + 3), 0644));
	if (argc == 5 && !strcmp(cmd, "pwrite")) {
		fd = open(argv[2], O_WRONLY);
		if (fd < 0)
			return report(fd);
		ret = pwrite(fd, argv[4], strlen(argv[4]), atol(argv[3]));
		return report(ret < 0 ? ret : 0);
	}
	if (argc == 4 && !strcmp(cmd, "truncate"))
		return report(truncate(argv[2], atol(argv[3])));
	if (argc == 3 && !strcmp(cmd, "unlink"))
		return report(unlink(argv[2]));
	if (argc == 3 && !strcmp(cmd, "rmdir"))
		return report(rmdir(argv[2]));
	if (argc == 3 && !strcmp(cmd, "mkdir"))
		return report(mkdir(argv[2], 0755));
	if (argc == 4 && !strcmp(cmd, "chmod"))
		return report(chmod(argv[2], strtoul(argv[3], NULL, 8)));
	if (argc == 3 && !strcmp(cmd, "creat"))
		return report(open(argv[2], O_WRONLY | O_CREAT | O_EXCL, 0644));
	if (argc == 3 && !strcmp(cmd, "connect")) {
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd < 0 || unix_addr(argv[2], &sun) < 0)
			return report(-1);
		return report(connect(fd, (struct sockaddr *)&sun, sizeof(sun)));
	}
	if (argc == 3 && !strcmp(cmd, "listen")) {
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd < 0 || unix_addr(argv[2], &sun) < 0 ||
		    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 || listen(fd, 8) < 0)
			return report(-1);
		setvbuf(stdout, NULL, _IONBF, 0);
		printf("listening\n");
		for (;;) {
			int c = accept(fd, NULL, NULL);
			if (c >= 0) {
				printf("accepted\n");
				close(c);
			}
		}
	}
	fprintf(stderr, "usage: see tests/hostfs/hfs.c\n");
	return 2;
}
