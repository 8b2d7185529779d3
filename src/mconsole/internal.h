/* What the MConsole driver's files share: one request, the command table, replies. */
#ifndef UMLINUX_MCONSOLE_INTERNAL_H
#define UMLINUX_MCONSOLE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "kernel/list.h"
#include "mconsole/mconsole.h"

struct mc_request;

/* A command: handlers reply with mconsole_reply* (more than once for long output). */
struct mc_command {
	const char *name;
	void (*handler)(struct mc_request *req);
	/* Runs in the kernel worker rather than straight from the socket (commands that
	 * may take long: config, remove, halt, reboot, proc), as UML runs them in process
	 * context, so that version, stop, go and sysrq keep answering. */
	bool process_context;
};

struct mc_request {
	struct list_head link;            /* on the worker's queue */
	char cmd[MCONSOLE_MAX_DATA];      /* the command text, NUL-terminated */
	struct sockaddr_un from;          /* where the reply goes */
	socklen_t fromlen;
	const struct mc_command *command;
};

/* server.c */
extern int mconsole_fd;                   /* the request socket, -1 when there is none */
extern char mconsole_socket_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
/* Takes one received datagram: validation, then the command or the worker queue. */
void mconsole_handle_datagram(const void *buf, size_t n, const struct sockaddr_un *from,
			      socklen_t fromlen);
/* Reads and handles what is waiting on the socket (a bounded batch). */
void mconsole_receive(void);
/* Runs the next queued process-context request; false when there was none. */
bool mconsole_worker_run_one(void);
/* The command table in UML's order (commands.c) and its help text. */
extern const struct mc_command mconsole_commands[];
extern const size_t mconsole_command_count;
extern const char mconsole_help_text[];

/* reply.c: one reply (text, err for its first datagram, more for its last), cut into
 * datagrams and sent to the request's sender. A client that is slow to read gets the
 * rest from a queue retried on a timer; nothing here ever blocks the kernel. */
void mconsole_reply(struct mc_request *req, const char *text, int err, bool more);
void mconsole_reply_len(struct mc_request *req, const char *text, size_t len, int err,
			bool more);
/* Sends bytes as one datagram, header and all (the raw version-0 answer). */
void mconsole_send_raw(const struct sockaddr_un *to, socklen_t tolen, const void *buf,
		       size_t len);
int mconsole_outq_init(void);
/* Before halt: tries for up to timeout_ms to deliver what is still queued. */
void mconsole_outq_flush(int timeout_ms);

/* capture.c: runs fn with everything printk prints captured, then replies with it
 * (more=1 chunks, then a final empty more=0 reply), as UML's with_console does. */
void mconsole_with_console(struct mc_request *req, void (*fn)(void *arg), void *arg);

/* devices.c */
void mconsole_cmd_config(struct mc_request *req);
void mconsole_cmd_remove(struct mc_request *req);

/* stopgo.c */
void mconsole_cmd_stop(struct mc_request *req);
void mconsole_cmd_go(struct mc_request *req);

/* sysrq.c */
void mconsole_cmd_sysrq(struct mc_request *req);
void sysrq_init(void);

/* show.c: task dumps, printed with printk. */
struct task;
void show_task(struct task *t);     /* sysrq t: Linux's task line, then its stack */
void show_stack(struct task *t);    /* stack <pid> */
void show_regs_of(struct task *t);  /* sysrq p */

/* notify.c */
void mconsole_notify_init(const char *notify_path);

/* The argument after a command's name: skips the name and the spaces after it. */
const char *mconsole_argument(const struct mc_request *req);

#endif
