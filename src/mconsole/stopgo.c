/*
 * stop and go. A stopped machine does nothing but answer MConsole requests: every guest
 * thread is held where it is (platform_freeze_guest), and the event loop serves only the
 * MConsole socket and host signals, so timers, device input and I/O completions wait.
 * go lets all of it continue; what fell due meanwhile is handled then, late but not lost.
 * The backup procedure of the UML book relies on this: stop, sysrq s, copy, go.
 */
#include "kernel/loop.h"
#include "mconsole/internal.h"
#include "platform/platform.h"

static bool machine_stopped;

bool mconsole_machine_stopped(void) { return machine_stopped; }

void mconsole_cmd_stop(struct mc_request *req)
{
	if (machine_stopped) {
		mconsole_reply(req, "Already stopped", 1, false);
		return;
	}
	machine_stopped = true;
	/* before the answer: once a client reads "stopped", nothing runs */
	platform_freeze_guest();
	loop_set_stopped(true);
	mconsole_reply(req, "stopped", 0, false);
}

void mconsole_cmd_go(struct mc_request *req)
{
	if (!machine_stopped) {
		mconsole_reply(req, "Not stopped", 1, false);
		return;
	}
	machine_stopped = false;
	loop_set_stopped(false);
	platform_thaw_guest();
	mconsole_reply(req, "", 0, false);
}
