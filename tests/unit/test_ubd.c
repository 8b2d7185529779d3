/* Unit tests for the ubd driver: switch parsing (UML's rules and messages), COW creation
 * and checks, host locks, and sector I/O through a COW file against a model disk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include "drivers/ubd/ubd_int.h"
#include "fs/dev/devfs.h"

static void parse_ok(const char *s, struct ubd_config *c)
{
	const char *why = NULL;
	int major = 0;
	assert_int_equal(ubd_parse_switch(s, c, &major, &why), UBD_SWITCH_DEVICE);
	assert_null(why);
}

static void parse_err(const char *s, const char *want)
{
	struct ubd_config c;
	const char *why = NULL;
	int major = 0;
	assert_int_equal(ubd_parse_switch(s, &c, &major, &why), -1);
	assert_non_null(why);
	assert_string_equal(why, want);
}

static void parses_units_and_files(void **state)
{
	(void)state;
	struct ubd_config c;
	parse_ok("a=cow1,root_fs", &c);
	assert_int_equal(c.unit, 0);
	assert_string_equal(c.file, "cow1");
	assert_string_equal(c.backing, "root_fs");
	parse_ok("b=img", &c);
	assert_int_equal(c.unit, 1);
	assert_string_equal(c.backing, "");
	parse_ok("15rs=/x/y", &c);
	assert_int_equal(c.unit, 15);
	assert_true(c.read_only && c.sync && !c.shared && !c.no_cow);
	parse_ok("0cd=plain", &c);
	assert_true(c.shared && c.no_cow);
	parse_ok("c=cow:back", &c);   /* ':' when there is no ',' */
	assert_string_equal(c.file, "cow");
	assert_string_equal(c.backing, "back");
	parse_ok("d=a:b,c", &c);      /* the first ',' wins */
	assert_string_equal(c.file, "a:b");
	assert_string_equal(c.backing, "c");
	parse_ok("e=File,,Serial", &c);
	assert_string_equal(c.file, "File");
	assert_string_equal(c.backing, "");
	assert_string_equal(c.serial, "Serial");
}

static void parse_errors_as_uml(void **state)
{
	(void)state;
	parse_err("16=x", "Device number out of range");
	parse_err("q=x", "Device number out of range");
	parse_err("?=x", "Couldn't parse device number");
	parse_err("ax=f", "Expected '=' or flag letter (r, s, c, t or d)");
	parse_err("a", "Expected '=' or flag letter (r, s, c, t or d)");
	parse_err("arscdtrs=f", "Too many flags specified");
	parse_err("arscdtrs", "Missing '='");
	parse_err("ad=cow,back", "Can't specify both 'd' and a cow file");
	struct ubd_config c;
	const char *why;
	int major = 0;
	assert_int_equal(ubd_parse_switch("=sync", &c, &major, &why), UBD_SWITCH_SYNC_ALL);
	assert_int_equal(ubd_parse_switch("=100", &c, &major, &why), UBD_SWITCH_FAKE_MAJOR);
	assert_int_equal(major, 100);
}

/* A scratch directory with a 64 KiB backing file of known bytes. */
struct fixture {
	char dir[64];
	char back[128], cow[128];
	unsigned char model[65536 + 700];   /* the disk as the guest should see it */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	strcpy(f->dir, "/tmp/ubd-test-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->back, sizeof(f->back), "%s/back.img", f->dir);
	snprintf(f->cow, sizeof(f->cow), "%s/cow", f->dir);
	/* 65536 + 700 bytes: the last sector is partial */
	for (size_t i = 0; i < sizeof(f->model); i++)
		f->model[i] = (unsigned char)(i * 7 + 3);
	FILE *fp = fopen(f->back, "w");
	fwrite(f->model, 1, sizeof(f->model), fp);
	fclose(fp);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static struct ubd *open_unit(const char *file, const char *backing, bool ro, int *err)
{
	struct ubd *u = calloc(1, sizeof(*u));
	strcpy(u->name, "ubda");
	snprintf(u->cfg.file, sizeof(u->cfg.file), "%s", file);
	snprintf(u->cfg.backing, sizeof(u->cfg.backing), "%s", backing ? backing : "");
	u->cfg.read_only = ro;
	u->disk.priv = u;
	u->disk.read_only = ro;
	*err = ubd_open_files(u);
	if (*err) {
		ubd_close_files(u);
		free(u);
		return NULL;
	}
	return u;
}

static void close_unit(struct ubd *u)
{
	ubd_close_files(u);
	free(u);
}

static void cow_created_and_sized(void **state)
{
	struct fixture *f = *state;
	int err;
	struct ubd *u = open_unit(f->cow, f->back, false, &err);
	assert_non_null(u);
	assert_int_equal(u->size, 65536 + 1024);   /* rounded up to whole sectors */
	assert_int_equal(u->cow.size, 65536 + 700);
	assert_int_equal(u->cow.version, 3);
	assert_true(u->cow.backing_file[0] == '/');
	close_unit(u);
	/* the lone COW file finds its backing file through the header */
	u = open_unit(f->cow, NULL, false, &err);
	assert_non_null(u);
	assert_true(u->backing_fd >= 0);
	close_unit(u);
}

static void cow_io_matches_model(void **state)
{
	struct fixture *f = *state;
	int err;
	struct ubd *u = open_unit(f->cow, f->back, false, &err);
	assert_non_null(u);
	struct block_device *b = &u->disk;
	unsigned char buf[8192], got[sizeof(f->model)];
	unsigned char backing_before[sizeof(f->model)];
	memcpy(backing_before, f->model, sizeof(f->model));
	srandom(7);
	for (int i = 0; i < 400; i++) {
		size_t len = 1 + (size_t)random() % sizeof(buf);
		uint64_t off = (uint64_t)random() % sizeof(f->model);
		if (off + len > sizeof(f->model))
			len = sizeof(f->model) - off;
		for (size_t k = 0; k < len; k++)
			buf[k] = (unsigned char)random();
		assert_int_equal(ubd_disk_ops.write(b, buf, len, off), 0);
		memcpy(f->model + off, buf, len);
		if (i % 50 == 0) {
			assert_int_equal(ubd_disk_ops.read(b, got, sizeof(got), 0), 0);
			assert_memory_equal(got, f->model, sizeof(got));
		}
	}
	assert_int_equal(ubd_disk_ops.flush(b), 0);
	close_unit(u);
	/* reopened: the same disk, and the backing file untouched */
	u = open_unit(f->cow, f->back, false, &err);
	assert_non_null(u);
	assert_int_equal(ubd_disk_ops.read(&u->disk, got, sizeof(got), 0), 0);
	assert_memory_equal(got, f->model, sizeof(got));
	close_unit(u);
	FILE *fp = fopen(f->back, "r");
	assert_int_equal(fread(got, 1, sizeof(got), fp), sizeof(got));
	fclose(fp);
	assert_memory_equal(got, backing_before, sizeof(got));
}

static void partial_write_keeps_rest_of_sector(void **state)
{
	struct fixture *f = *state;
	int err;
	struct ubd *u = open_unit(f->cow, f->back, false, &err);
	assert_non_null(u);
	unsigned char sector[512];
	assert_int_equal(ubd_disk_ops.write(&u->disk, "XY", 2, 1000), 0);
	assert_true(cow_bitmap_test(u->bitmap, 1));
	assert_false(cow_bitmap_test(u->bitmap, 2));
	assert_int_equal(ubd_disk_ops.read(&u->disk, sector, 512, 512), 0);
	assert_memory_equal(sector, f->model + 512, 1000 - 512);
	assert_memory_equal(sector + 488, "XY", 2);
	assert_memory_equal(sector + 490, f->model + 1002, 22);
	/* the bit is on disk too */
	unsigned char bm[32];
	assert_int_equal(cow_read_bitmap(u->fd, &u->cow, bm), 0);
	assert_int_equal(bm[0], 0x02);
	close_unit(u);
}

static void refuses_changed_backing(void **state)
{
	struct fixture *f = *state;
	int err;
	struct ubd *u = open_unit(f->cow, f->back, false, &err);
	assert_non_null(u);
	close_unit(u);
	struct utimbuf t = { .actime = 1000, .modtime = 1000 };
	assert_int_equal(utime(f->back, &t), 0);
	assert_null(open_unit(f->cow, f->back, false, &err));
	assert_int_equal(err, -EINVAL);
	assert_int_equal(truncate(f->back, 4096), 0);
	assert_null(open_unit(f->cow, NULL, false, &err));
	assert_int_equal(err, -EINVAL);
	assert_int_equal(unlink(f->back), 0);
	assert_null(open_unit(f->cow, NULL, false, &err));
	assert_int_equal(err, -ENOENT);
}

static void refuses_broken_cow(void **state)
{
	struct fixture *f = *state;
	int err;
	int fd = open(f->cow, O_WRONLY | O_CREAT, 0644);
	assert_int_equal(write(fd, "OOOM\0\0\0\3 and then nothing", 26), 26);
	close(fd);
	assert_null(open_unit(f->cow, f->back, false, &err));
	assert_null(open_unit(f->cow, NULL, false, &err));
	/* a plain image that is not a COW file is fine alone */
	struct ubd *u = open_unit(f->back, NULL, false, &err);
	assert_non_null(u);
	assert_int_equal(u->backing_fd, -1);
	close_unit(u);
}

static void writers_are_locked_out(void **state)
{
	struct fixture *f = *state;
	int err;
	struct ubd *a = open_unit(f->cow, f->back, false, &err);
	assert_non_null(a);
	/* a second writer of the same COW file */
	assert_null(open_unit(f->cow, f->back, false, &err));
	assert_int_equal(err, -EAGAIN);
	/* the backing file may be shared by readers but not written */
	assert_null(open_unit(f->back, NULL, false, &err));
	struct ubd *r = open_unit(f->back, NULL, true, &err);
	assert_non_null(r);
	close_unit(r);
	close_unit(a);
}

/* MConsole's config / config query / remove, as UML answers them. */
static void hotplug(void **state)
{
	struct fixture *f = *state;
	const char *error = NULL;
	char spec[300], buf[512];
	static bool devfs_ready;
	if (!devfs_ready) {
		devfs_init();
		devfs_ready = true;
	}
	snprintf(spec, sizeof(spec), "b=%s,%s", f->cow, f->back);
	assert_int_equal(ubd_config(spec, &error), 0);
	assert_true(ubd_configured(1));
	int n = ubd_get_config("b", buf, sizeof(buf), &error);
	assert_int_equal(n, (int)strlen(buf));
	char want[300];
	snprintf(want, sizeof(want), "%s,%s", f->cow, f->back);
	assert_string_equal(buf, want);
	assert_int_equal(ubd_get_config("1", buf, 4, &error), (int)strlen(want));  /* too small: the length */
	assert_int_equal(ubd_config(spec, &error), 1);
	assert_string_equal(error, "Device is already configured");
	assert_int_equal(ubd_config("x=foo", &error), 1);
	assert_string_equal(error, "Device number out of range");
	assert_int_equal(ubd_config("c=/nonexistent", &error), -ENOENT);
	assert_string_equal(error, "Couldn't determine size of device's file");
	assert_int_equal(ubd_get_config("?", buf, sizeof(buf), &error), -1);
	assert_string_equal(error, "ubd_get_config : device number out of range");
	assert_int_equal(ubd_get_config("c", buf, sizeof(buf), &error), 0);
	assert_string_equal(buf, "");
	/* busy while open or mounted */
	ubd_unit(1)->disk.users++;
	assert_int_equal(ubd_remove(1, &error), -EBUSY);
	ubd_unit(1)->disk.users--;
	assert_int_equal(ubd_remove(1, &error), 0);
	assert_false(ubd_configured(1));
	assert_int_equal(ubd_remove(1, &error), -ENODEV);
	int start, end;
	const char *s = "x";
	assert_int_equal(ubd_id(&s, &start, &end), 23);
	assert_int_equal(end, 15);
	s = "12";
	assert_int_equal(ubd_id(&s, &start, &end), 12);
	assert_int_equal(*s, 0);
	s = "";
	assert_int_equal(ubd_id(&s, &start, &end), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_units_and_files),
		cmocka_unit_test(parse_errors_as_uml),
		cmocka_unit_test_setup_teardown(cow_created_and_sized, setup, teardown),
		cmocka_unit_test_setup_teardown(cow_io_matches_model, setup, teardown),
		cmocka_unit_test_setup_teardown(partial_write_keeps_rest_of_sector, setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_changed_backing, setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_broken_cow, setup, teardown),
		cmocka_unit_test_setup_teardown(writers_are_locked_out, setup, teardown),
		cmocka_unit_test_setup_teardown(hotplug, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
