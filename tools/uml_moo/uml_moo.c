/*
 * uml_moo [-d] [-b <actual backing file>] <COW file> [<new backing file>]: fold a COW
 * file into a new image, or (-d) into its backing file in place. Arguments, exit codes
 * and messages are uml-utilities' own (-d only first, -b only right after it); a
 * progress bar is drawn on a terminal for large merges.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "moo.h"

static void usage(const char *prog)
{
	fprintf(stderr, "%s usage:\n"
		"\t%s [ -b <actual backing file> ] <COW file> <new backing file>\n"
		"\t%s [ -b <actual backing file> ] -d <COW file>\n"
		"Creates a new filesystem image from the COW file and its backing file.\n"
		"Specifying -d will cause a destructive, in-place merge of the COW file into\n"
		"its current backing file\n"
		"Specifying -b overrides the backing_file specified in the COW file.  This is\n"
		"needed when dealing with a COW file that was created inside a chroot jail.\n"
		"%s supports version 1,2 and 3 COW files.\n", prog, prog, prog, prog);
	exit(1);
}

/* Reads the header, printing read_cow_header's complaint (stdout) and the tool's. */
static int read_header(struct moo_job *j)
{
	int err = cow_read_header(j->cow_fd, &j->h);
	if (err == COW_OK)
		return 0;
	if (err < 0)
		printf("read_cow_header - read failed, err = %d\n", -err);
	else if (err == COW_ESHORT)
		printf("read_cow_header - short header\n");
	else if (err != COW_ENOTCOW)
		printf("read_cow_header - %s\n", cow_strerror(err));
	fprintf(stderr, "Reading COW header failed\n");
	if (err == COW_ENOTCOW)
		fprintf(stderr, "uml_moo: %s is not a COW file\n", j->cow_name);
	return 1;
}

/* The backing file must be the one the COW file was made over. */
static int check_backing(struct moo_job *j)
{
	struct stat st;
	if (stat(j->backing_name, &st) < 0) {
		perror("Stating backing file");
		return 1;
	}
	if (S_ISDIR(st.st_mode)) {
		fprintf(stderr, "uml_moo: backing file \"%s\" is a directory\n", j->backing_name);
		return 1;
	}
	switch (cow_check_backing(&j->h, (uint64_t)st.st_size, st.st_mtime)) {
	case COW_ESIZE:
		fprintf(stderr, "Size mismatch (%llu vs %llu) of COW header vs backing file \"%s\"\n",
			(unsigned long long)j->h.size, (unsigned long long)st.st_size, j->backing_name);
		return 1;
	case COW_EMTIME:
		fprintf(stderr, "mtime mismatch (%lld vs %lld) of COW header vs backing file \"%s\"\n",
			(long long)j->h.mtime, (long long)st.st_mtime, j->backing_name);
		return 1;
	}
	return 0;
}

static int open_files(struct moo_job *j)
{
	j->cow_fd = open(j->cow_name, O_RDONLY | O_CLOEXEC);
	if (j->cow_fd < 0) {
		perror("COW file open");
		return 1;
	}
	if (read_header(j))
		return 1;
	if (!j->backing_name)
		j->backing_name = j->h.backing_file;
	if (check_backing(j))
		return 1;
	j->back_fd = open(j->backing_name, (j->out_name ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (j->back_fd < 0) {
		perror("Opening backing file");
		return 1;
	}
	j->bitmap = malloc(cow_bitmap_bytes(&j->h) + 1);
	if (!j->bitmap) {
		fprintf(stderr, "uml_moo: no memory for a %llu-byte bitmap\n",
			(unsigned long long)cow_bitmap_bytes(&j->h));
		return 1;
	}
	int err = cow_read_bitmap(j->cow_fd, &j->h, j->bitmap);
	if (err) {
		fprintf(stderr, "Reading COW bitmap failed: %s\n", strerror(-err));
		return 1;
	}
	if (j->out_name) {
		j->out_fd = open(j->out_name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (j->out_fd < 0) {
			perror("Opening new backing file");
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct moo_job j = { .cow_fd = -1, .back_fd = -1, .out_fd = -1 };
	bool destructive = false;
	int i = 1;
	if (i < argc && strcmp(argv[i], "-d") == 0) {
		destructive = true;
		i++;
	}
	if (i < argc && strcmp(argv[i], "-b") == 0) {
		if (i + 1 >= argc)
			usage(argv[0]);
		j.backing_name = argv[i + 1];
		i += 2;
	}
	if (argc - i != (destructive ? 1 : 2))
		usage(argv[0]);
	j.cow_name = argv[i];
	j.out_name = destructive ? NULL : argv[i + 1];
	int rc = open_files(&j);
	if (!rc)
		rc = destructive ? moo_merge_in_place(&j) : moo_merge_new(&j);
	if (j.out_fd >= 0 && close(j.out_fd) < 0 && !rc) {
		perror("Closing new backing file");
		rc = 1;
	}
	free(j.bitmap);
	return rc;
}
