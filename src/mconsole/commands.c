/*
 * The MConsole commands, in the order UML matches them, with UML's replies: version,
 * halt, reboot, config, remove, sysrq, help, cad, stop, go, log, proc, stack.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fs/proc/proc.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "kernel/utsname.h"
#include "mconsole/internal.h"
#include "signal/signal.h"
#include "task/task.h"

/* UML's help text, byte for byte (trailing spaces and the tab included): clients such as
 * uml_mconsole print it as it comes. */
const char mconsole_help_text[] =
	"Commands: \n"
	"    version - Get kernel version \n"
	"    help - Print this message \n"
	"    halt - Halt UML \n"
	"    reboot - Reboot UML \n"
	"    config <dev>=<config> - Add a new device to UML;  \n"
	"\tsame syntax as command line \n"
	"    config <dev> - Query the configuration of a device \n"
	"    remove <dev> - Remove a device from UML \n"
	"    sysrq <letter> - Performs the SysRq action controlled by the letter \n"
	"    cad - invoke the Ctrl-Alt-Del handler \n"
	"    stop - pause the UML; it will do nothing until it receives a 'go' \n"
	"    go - continue the UML after a 'stop' \n"
	"    log <string> - make UML enter <string> into the kernel log\n"
	"    proc <file> - returns the contents of the UML's /proc/<file>\n"
	"    stack <pid> - returns the stack of the specified pid\n";

/* How long halt and reboot wait for their "OK" to leave before the machine goes away. */
#define LAST_REPLY_MS 500

static void cmd_version(struct mc_request *req)
{
	const struct new_utsname *u = utsname_get();
	char text[6 * sizeof(u->sysname) + 8];
	snprintf(text, sizeof(text), "%s %s %s %s %s", u->sysname, u->nodename, u->release,
		 u->version, u->machine);
	mconsole_reply(req, text, 0, false);
}

static void cmd_help(struct mc_request *req)
{
	mconsole_reply(req, mconsole_help_text, 0, false);
}

static void cmd_halt(struct mc_request *req)
{
	mconsole_reply(req, "", 0, false);
	mconsole_outq_flush(LAST_REPLY_MS);
	printk("<5>reboot: System halted\n");
	kernel_halt(HALT_HALT, 0);
}

static void cmd_reboot(struct mc_request *req)
{
	mconsole_reply(req, "", 0, false);
	mconsole_outq_flush(LAST_REPLY_MS);
	printk("<5>reboot: Restarting system\n");
	kernel_halt(HALT_REBOOT, 0);
}

/* Linux's ctrl_alt_del: restart at once while C-A-D is enabled (the default), else tell
 * init with SIGINT, which is how init learns of the key press (inittab's ctrlaltdel). */
static void cmd_cad(struct mc_request *req)
{
	mconsole_reply(req, "", 0, false);
	if (cad_enabled) {
		mconsole_outq_flush(LAST_REPLY_MS);
		printk("<5>reboot: Restarting system\n");
		kernel_halt(HALT_REBOOT, 0);
	}
	if (init_tg)
		signal_send_tg(init_tg, SIGINT, NULL);
}

/* UML skips exactly "log " and logs the rest at KERN_WARNING. A record ends at a newline
 * in Linux's log whether or not the text has one, so the text gets one here. */
static void cmd_log(struct mc_request *req)
{
	const char *text = strlen(req->cmd) > 4 ? req->cmd + 4 : "";
	size_t n = strlen(text);
	printk("<4>%s%s", text, n && text[n - 1] == '\n' ? "" : "\n");
	mconsole_reply(req, "", 0, false);
}

/* UML reads the file a page at a time and sends each piece as its own reply. */
#define PROC_PIECE 4095

static void cmd_proc(struct mc_request *req)
{
	const char *path = mconsole_argument(req);
	char *data = NULL;
	size_t len = 0;
	int err = proc_read_path(path, NULL, &data, &len);
	if (err == -EISDIR || err == -EINVAL) {
		mconsole_reply(req, "Read of file failed", 1, false);
		return;
	}
	if (err < 0) {
		printk("<3>open /proc/%s: %d\n", path, err);
		mconsole_reply(req, "Failed to open file", 1, false);
		return;
	}
	/* the contents start on a line of their own: "OK " then a newline */
	mconsole_reply(req, "\n", 0, true);
	for (size_t off = 0; off < len; off += PROC_PIECE) {
		size_t n = len - off < PROC_PIECE ? len - off : PROC_PIECE;
		mconsole_reply_len(req, data + off, n, 0, true);
	}
	mconsole_reply(req, "", 0, false);
	free(data);
}

static void stack_dump(void *arg)
{
	show_stack(arg);
}

static void cmd_stack(struct mc_request *req)
{
	const char *arg = mconsole_argument(req);
	if (!isdigit((unsigned char)*arg)) {
		mconsole_reply(req, "Please specify a pid", 1, false);
		return;
	}
	long pid = strtol(arg, NULL, 10);
	struct task *t = pid > 0 && pid < INT32_MAX ? task_by_tid((pid_t)pid) : NULL;
	if (!t || t->state == TASK_DEAD) {
		mconsole_reply(req, "Couldn't find that pid", 1, false);
		return;
	}
	mconsole_with_console(req, stack_dump, t);
}

const struct mc_command mconsole_commands[] = {
	{ "version", cmd_version, false },
	{ "halt", cmd_halt, true },
	{ "reboot", cmd_reboot, true },
	{ "config", mconsole_cmd_config, true },
	{ "remove", mconsole_cmd_remove, true },
	{ "sysrq", mconsole_cmd_sysrq, false },
	{ "help", cmd_help, false },
	{ "cad", cmd_cad, false },
	{ "stop", mconsole_cmd_stop, false },
	{ "go", mconsole_cmd_go, false },
	{ "log", cmd_log, false },
	{ "proc", cmd_proc, true },
	{ "stack", cmd_stack, false },
};
const size_t mconsole_command_count = ARRAY_SIZE(mconsole_commands);
