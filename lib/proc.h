/* Parent <-> child protocol and the part of every child's life that is
 * the same for all of them: the control channel, SIGTERM, readiness.
 *
 * Each child has a SOCK_SEQPACKET socketpair to the parent.  Messages are
 * one fixed struct each.  Child -> parent: READY once its loop runs.
 * Parent -> child: STOP (shut down as on SIGTERM: VRRP masters hand over,
 * the l7 child drains), HANDOVER (exit now and leave state as it is: a
 * reload replaces this child by one on the new model, which adopts the
 * state from shared memory), DRAIN (l7: stop accepting, finish in-flight
 * requests within arg milliseconds, exit), OPERATOR (check child: the
 * parent's fields of shared state changed, see lib/shm.h op_weight; other
 * children never get it).
 */
#ifndef KL7_PROC_H
#define KL7_PROC_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/conf.h"
#include "lib/ev.h"
#include "lib/shm.h"

/* A child's exit status that means "the configuration cannot work": the
 * parent stops the daemon instead of respawning (sysexits EX_CONFIG). */
#define PROC_EXIT_CONFIG	78

enum proc_msg_type {
	PROC_MSG_READY = 1,
	PROC_MSG_STOP,
	PROC_MSG_HANDOVER,
	PROC_MSG_DRAIN,
	PROC_MSG_OPERATOR,
};

struct proc_msg {
	uint32_t	type;
	uint32_t	arg;
};

int	proc_send(int fd, enum proc_msg_type type, uint32_t arg);
/* 1: a message; 0: EOF; -1: error or nothing to read (errno EAGAIN). */
int	proc_recv(int fd, struct proc_msg *m);

/* What a child starts with: inherited across fork, read-only. */
struct proc_env {
	const char		*name;		/* "vrrp", "check", "l7" */
	const struct conf	*conf;
	struct shm		*shm;
	int			 ctl_fd;	/* the child's end of the socketpair */
	const int		*listen_fds;	/* l7: by virtual server index */
};

/* Why a child is leaving. */
enum proc_exit_reason {
	PROC_EXIT_STOP,		/* SIGTERM or STOP: clean shutdown */
	PROC_EXIT_HANDOVER,	/* a replacement takes over */
	PROC_EXIT_DRAIN,	/* l7: finish in-flight work first */
};

struct proc_child;
typedef void proc_exit_fn(struct proc_child *pc, enum proc_exit_reason why, uint32_t arg);
typedef void proc_operator_fn(struct proc_child *pc);

/* The common runtime of a child process. */
struct proc_child {
	const struct proc_env	*env;
	struct ev_loop		*loop;
	proc_exit_fn		*on_exit;	/* must end with ev_stop() when done */
	proc_operator_fn	*on_operator;	/* PROC_MSG_OPERATOR; NULL: not expected */
	void			*arg;
	bool			 leaving;
};

/* Set up the loop, SIGTERM/SIGINT and the control channel.  on_exit is
 * called once with the reason to leave; NULL means "stop the loop now". */
int	proc_child_init(struct proc_child *pc, const struct proc_env *env,
	    proc_exit_fn *on_exit, void *arg);
void	proc_child_ready(struct proc_child *pc);
/* Run the loop until on_exit stops it; frees it; returns the exit status. */
int	proc_child_run(struct proc_child *pc);
/* The same, but the loop is left for the caller to free after its own
 * clean-up (which may still need the loop). */
int	proc_child_run_keep(struct proc_child *pc);

typedef int proc_child_main_fn(const struct proc_env *env);



/* The whole life of a child that has no job of its own yet: report ready,
 * wait for the order to leave. */
int	proc_child_basic(const struct proc_env *env);

#endif
