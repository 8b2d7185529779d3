/* The uts names (see utsname.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include "kernel/utsname.h"
#include "kernel/version.h"

static struct new_utsname uts = {
	.sysname = "Linux",
	.nodename = "(none)",
	.release = UMLINUX_VERSION,
	.machine = "x86_64",
	.domainname = "(none)",
};

/* Linux's version string is "#1 Sat Jul  4 15:38:16 UTC 2026": the build's time, which
 * the compiler gives as __DATE__ "Jul  4 2026" and __TIME__ "15:38:16". */
static void version_init(void)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char mon[4] = { 0 };
	struct tm tm = { 0 };
	if (sscanf(__DATE__, "%3s %d %d", mon, &tm.tm_mday, &tm.tm_year) != 3 ||
	    sscanf(__TIME__, "%d:%d:%d", &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 3) {
		snprintf(uts.version, sizeof(uts.version), "#1");
		return;
	}
	const char *m = strstr(months, mon);
	tm.tm_mon = m ? (int)(m - months) / 3 : 0;
	tm.tm_year -= 1900;
	time_t t = timegm(&tm);
	struct tm norm;
	gmtime_r(&t, &norm);   /* fills in the weekday */
	char date[48];
	strftime(date, sizeof(date), "%a %b %e %H:%M:%S UTC %Y", &norm);
	snprintf(uts.version, sizeof(uts.version), "#1 %s", date);
}

const struct new_utsname *utsname_get(void)
{
	if (!uts.version[0])
		version_init();
	return &uts;
}

void utsname_fill(struct utsname *u)
{
	const struct new_utsname *n = utsname_get();
	_Static_assert(sizeof(u->nodename) == sizeof(n->nodename), "utsname field sizes differ");
	memcpy(u->sysname, n->sysname, sizeof(u->sysname));
	memcpy(u->nodename, n->nodename, sizeof(u->nodename));
	memcpy(u->release, n->release, sizeof(u->release));
	memcpy(u->version, n->version, sizeof(u->version));
	memcpy(u->machine, n->machine, sizeof(u->machine));
	memcpy(u->domainname, n->domainname, sizeof(u->domainname));
}

static int set_name(char *dst, const char *name, size_t len)
{
	if (len > __NEW_UTS_LEN)
		return -EINVAL;
	memcpy(dst, name, len);
	dst[len] = 0;
	return 0;
}

int utsname_set_hostname(const char *name, size_t len)
{
	return set_name(uts.nodename, name, len);
}

int utsname_set_domainname(const char *name, size_t len)
{
	return set_name(uts.domainname, name, len);
}
