/* The parent's side of one child process: fork it with the model, read its
 * control channel, and decide what its exit means. */
#ifndef KL7_CHILD_H
#define KL7_CHILD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/ev.h"
#include "lib/proc.h"

struct supervisor;

enum child_kind { CHILD_VRRP, CHILD_CHECK, CHILD_L7, CHILD_NKINDS };

/* What the parent asked of a child that is leaving. */
enum child_fate {
	CHILD_RUNNING,		/* not asked to go: an exit is a crash */
	CHILD_STOPPING,		/* daemon stop */
	CHILD_REPLACING,	/* reload: start the new one when this one exits */
	CHILD_DRAINING,		/* old l7 child after a reload: forget it on exit */
};

#define CHILD_BACKOFF_MIN_MS	100
#define CHILD_BACKOFF_MAX_MS	10000
#define CHILD_STABLE_MS		60000	/* a life this long resets the backoff */

struct child {
	struct supervisor	*sup;
	enum child_kind		 kind;
	const char		*name;		/* "vrrp", "check", "l7" */
	proc_child_main_fn	*main;
	pid_t			 pid;		/* 0: not running */
	int			 ctl_fd;	/* parent's end, -1 if none */
	bool			 ready;
	enum child_fate		 fate;
	int64_t			 started_ms;
	int64_t			 backoff_ms;	/* next restart delay; 0 before any crash */
	unsigned		 restarts;
	struct ev_timer		 respawn;
	struct ev_timer		 kill_timer;	/* SIGKILL a drain that overruns */
};

/* Fork c with the supervisor's current model and shared state. */
int	child_spawn(struct child *c);
/* Ask c to leave for the given reason (sends the proc message). */
void	child_order(struct child *c, enum child_fate fate, uint32_t drain_ms);
/* Forget a process that has been reaped: closes the channel. */
void	child_forget(struct child *c);
/* Delay before respawning c after a crash, updating its backoff. */
int64_t	child_next_backoff(struct child *c, int64_t now_ms);

const char *child_comm(enum child_kind kind);

#endif
