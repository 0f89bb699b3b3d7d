/* Forking and ordering children; see child.h. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/log.h"
#include "keepalive-l7/child.h"
#include "keepalive-l7/supervisor.h"

const char *
child_comm(enum child_kind kind)
{
	static const char *const comm[CHILD_NKINDS] = {
		[CHILD_VRRP] = "kl7-vrrp", [CHILD_CHECK] = "kl7-check", [CHILD_L7] = "kl7-l7",
	};

	return comm[kind];
}

static void
child_on_ctl(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct child *c = arg;
	struct proc_msg m;
	int rc;

	while ((rc = proc_recv(fd, &m)) == 1) {
		if (m.type != PROC_MSG_READY) {
			log_warnx("child %s (pid %d): unexpected message %u", c->name,
			    (int)c->pid, m.type);
			continue;
		}
		c->ready = true;
		supervisor_child_ready(c->sup, c);
	}
	if (rc == 0)	/* the child closed its end: SIGCHLD follows */
		ev_fd_del(loop, fd);
}

/* In the new process: never returns. */
static void __attribute__((noreturn))
child_run(struct child *c, int fd, pid_t parent)
{
	struct supervisor *sup = c->sup;
	struct proc_env env = {
		.name = c->name, .conf = sup->conf, .shm = &sup->shm, .ctl_fd = fd,
		.listen_fds = sup->listeners.fds,
	};

	/* Leave with the parent, and do not miss a parent that died before
	 * the request took effect. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1 || getppid() != parent)
		_exit(1);
	prctl(PR_SET_NAME, child_comm(c->kind));
	log_procname(c->name);
	supervisor_close_in_child(sup, c);
	exit(c->main(&env));
}

int
child_spawn(struct child *c)
{
	struct supervisor *sup = c->sup;
	pid_t parent = getpid();
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sv) == -1) {
		log_warn("%s: socketpair", __func__);
		return -1;
	}
	switch (c->pid = fork()) {
	case -1:
		log_warn("%s: fork", __func__);
		close(sv[0]);
		close(sv[1]);
		c->pid = 0;
		return -1;
	case 0:
		close(sv[0]);
		child_run(c, sv[1], parent);
	default:
		break;
	}
	close(sv[1]);
	c->ctl_fd = sv[0];
	c->ready = false;
	c->fate = CHILD_RUNNING;
	c->started_ms = ev_now(sup->loop);
	if (ev_fd_add(sup->loop, c->ctl_fd, EV_READ, child_on_ctl, c) == -1)
		log_warn("%s: ev_fd_add", __func__);
	log_info("child %s started (pid %d)", c->name, (int)c->pid);
	return 0;
}

void
child_order(struct child *c, enum child_fate fate, uint32_t drain_ms)
{
	static const enum proc_msg_type msg[] = {
		[CHILD_STOPPING] = PROC_MSG_STOP, [CHILD_REPLACING] = PROC_MSG_HANDOVER,
		[CHILD_DRAINING] = PROC_MSG_DRAIN,
	};

	c->fate = fate;
	if (c->pid == 0)
		return;
	/* A child too busy or too broken to read its channel still gets a signal. */
	if (proc_send(c->ctl_fd, msg[fate], drain_ms) == -1 && fate == CHILD_STOPPING)
		kill(c->pid, SIGTERM);
}

void
child_forget(struct child *c)
{
	if (c->ctl_fd != -1) {
		ev_fd_del(c->sup->loop, c->ctl_fd);
		close(c->ctl_fd);
	}
	ev_timer_stop(c->sup->loop, &c->kill_timer);
	c->ctl_fd = -1;
	c->pid = 0;
	c->ready = false;
}

int64_t
child_next_backoff(struct child *c, int64_t now_ms)
{
	if (c->backoff_ms == 0 || now_ms - c->started_ms >= CHILD_STABLE_MS)
		c->backoff_ms = CHILD_BACKOFF_MIN_MS;
	else if ((c->backoff_ms *= 2) > CHILD_BACKOFF_MAX_MS)
		c->backoff_ms = CHILD_BACKOFF_MAX_MS;
	return c->backoff_ms;
}
