/* Unit tests for the credential rules of src/task/cred.c: which id changes the set*id
 * calls allow, how the saved ids follow, how capabilities follow the uids and fsuid,
 * keep-caps, what execve leaves, and the dumpability/parent-death side effects. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <stdlib.h>
#include "sys/syscalls.h"
#include "task/cred.h"

#define NONE 0xffffffffUL   /* (uid_t)-1 */

/* kernel_halt lives in main.c, which unit tests do not link */
__attribute__((weak)) _Noreturn void kernel_halt(enum halt_kind how, int exit_status)
{
	(void)how;
	exit(exit_status);
}

static struct task *root_task(void)
{
	struct task *t = xcalloc(1, sizeof(*t));
	t->tg = xcalloc(1, sizeof(*t->tg));
	t->tg->dumpable = 1;
	t->tg->pdeath_signal = SIGUSR1;
	return t;   /* a zeroed cred: uid 0 with every capability */
}

static void free_task(struct task *t)
{
	free(t->tg);
	free(t);
}

static long call3(syscall_fn fn, struct task *t, unsigned long a0, unsigned long a1, unsigned long a2)
{
	struct syscall_args a = { 0, { a0, a1, a2, 0, 0, 0 } };
	return fn(t, &a);
}

static void assert_uids(const struct cred *c, uid_t r, uid_t e, uid_t s, uid_t fs)
{
	assert_int_equal(c->uid, r);
	assert_int_equal(c->euid, e);
	assert_int_equal(c->suid, s);
	assert_int_equal(c->fsuid, fs);
}

static void root_setuid_drops_everything(void **state)
{
	(void)state;
	struct task *t = root_task();
	assert_int_equal(cred_cap_effective(&t->cred), CAP_FULL_SET);
	assert_int_equal(call3(sys_setuid, t, 1000, 0, 0), 0);
	assert_uids(&t->cred, 1000, 1000, 1000, 1000);
	assert_int_equal(cred_cap_effective(&t->cred), 0);
	assert_int_equal(cred_cap_permitted(&t->cred), 0);
	assert_int_equal(t->tg->dumpable, 0);
	assert_int_equal(t->tg->pdeath_signal, 0);
	assert_int_equal(call3(sys_setuid, t, 0, 0, 0), -EPERM);
	assert_int_equal(call3(sys_setuid, t, NONE, 0, 0), -EINVAL);
	free_task(t);
}

static void effective_follows_euid(void **state)
{
	(void)state;
	struct task *t = root_task();
	assert_int_equal(call3(sys_setresuid, t, NONE, 1000, NONE), 0);
	assert_uids(&t->cred, 0, 1000, 0, 1000);
	assert_int_equal(cred_cap_effective(&t->cred), 0);
	assert_int_equal(cred_cap_permitted(&t->cred), CAP_FULL_SET);
	assert_false(cred_capable(&t->cred, CAP_SETUID));
	/* back to euid 0 through the saved uid: the effective set is refilled */
	assert_int_equal(call3(sys_setresuid, t, NONE, 0, NONE), 0);
	assert_int_equal(cred_cap_effective(&t->cred), CAP_FULL_SET);
	free_task(t);
}

static void keep_caps_keeps_permitted(void **state)
{
	(void)state;
	struct task *t = root_task();
	t->cred.keep_caps = true;
	assert_int_equal(call3(sys_setresuid, t, 1000, 1000, 1000), 0);
	assert_int_equal(cred_cap_permitted(&t->cred), CAP_FULL_SET);
	assert_int_equal(cred_cap_effective(&t->cred), 0);
	cred_exec_commit(t);   /* execve clears keep-caps and, for uid 1000, the sets */
	assert_false(t->cred.keep_caps);
	assert_int_equal(cred_cap_permitted(&t->cred), 0);
	free_task(t);
}

static void fsuid_moves_file_caps_only(void **state)
{
	(void)state;
	struct task *t = root_task();
	assert_int_equal(call3(sys_setfsuid, t, 1000, 0, 0), 0);
	assert_false(cred_capable(&t->cred, CAP_CHOWN));
	assert_false(cred_capable(&t->cred, CAP_DAC_OVERRIDE));
	assert_true(cred_capable(&t->cred, CAP_SETUID));
	assert_int_equal(call3(sys_setfsuid, t, 0, 0, 0), 1000);
	assert_true(cred_capable(&t->cred, CAP_CHOWN));
	assert_int_equal(call3(sys_setfsuid, t, NONE, 0, 0), 0);
	free_task(t);
}

static void setreuid_saved_id_rules(void **state)
{
	(void)state;
	struct task *t = root_task();
	assert_int_equal(call3(sys_setreuid, t, 1000, 2000, 0), 0);
	assert_uids(&t->cred, 1000, 2000, 2000, 2000);
	/* euid back to the real uid leaves the saved uid */
	assert_int_equal(call3(sys_setreuid, t, NONE, 1000, 0), 0);
	assert_uids(&t->cred, 1000, 1000, 2000, 1000);
	assert_int_equal(call3(sys_setreuid, t, NONE, 2000, 0), 0);
	assert_uids(&t->cred, 1000, 2000, 2000, 2000);
	assert_int_equal(call3(sys_setreuid, t, 3000, NONE, 0), -EPERM);
	assert_int_equal(call3(sys_setreuid, t, 2000, NONE, 0), 0);
	assert_uids(&t->cred, 2000, 2000, 2000, 2000);
	free_task(t);
}

static void setresgid_unprivileged_shuffle(void **state)
{
	(void)state;
	struct task *t = root_task();
	assert_int_equal(call3(sys_setresgid, t, 100, 200, 300), 0);
	assert_int_equal(call3(sys_setresuid, t, 1000, 1000, 1000), 0);
	assert_int_equal(call3(sys_setresgid, t, 300, 100, 200), 0);
	assert_int_equal(t->cred.fsgid, 100);
	assert_int_equal(call3(sys_setresgid, t, NONE, 400, NONE), -EPERM);
	assert_int_equal(call3(sys_setgid, t, 200, 0, 0), 0);   /* to the saved gid */
	assert_int_equal(t->cred.egid, 200);
	assert_int_equal(t->cred.gid, 300);
	free_task(t);
}

static void exec_of_root_and_setid(void **state)
{
	(void)state;
	struct task *t = root_task();
	t->cred.cap_eff_missing = CAP_FULL_SET;   /* dropped with capset before execve */
	cred_exec_commit(t);
	assert_int_equal(cred_cap_effective(&t->cred), CAP_FULL_SET);
	assert_int_equal(t->tg->dumpable, 1);
	t->cred.euid = 0;
	t->cred.uid = 1000;   /* a set-uid-root image run by uid 1000 */
	t->tg->pdeath_signal = SIGUSR1;
	cred_exec_commit(t);
	assert_int_equal(cred_cap_effective(&t->cred), CAP_FULL_SET);
	assert_int_equal(t->tg->dumpable, 0);
	assert_int_equal(t->tg->pdeath_signal, 0);
	free_task(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(root_setuid_drops_everything),
		cmocka_unit_test(effective_follows_euid),
		cmocka_unit_test(keep_caps_keeps_permitted),
		cmocka_unit_test(fsuid_moves_file_caps_only),
		cmocka_unit_test(setreuid_saved_id_rules),
		cmocka_unit_test(setresgid_unprivileged_shuffle),
		cmocka_unit_test(exec_of_root_and_setid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
