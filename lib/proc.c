/* Parent <-> child protocol and common child runtime; see proc.h. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/proc.h"

int
proc_send(int fd, enum proc_msg_type type, uint32_t arg)
{
	struct proc_msg m = { .type = type, .arg = arg };

	if (send(fd, &m, sizeof(m), MSG_NOSIGNAL) != (ssize_t)sizeof(m))
		return -1;
	return 0;
}

int
proc_recv(int fd, struct proc_msg *m)
{
	ssize_t n = recv(fd, m, sizeof(*m), MSG_DONTWAIT);

	if (n == 0)
		return 0;
	if (n != (ssize_t)sizeof(*m)) {
		if (n >= 0)
			errno = EPROTO;
		return -1;
	}
	return 1;
}

static void
proc_leave(struct proc_child *pc, enum proc_exit_reason why, uint32_t arg)
{
	if (pc->leaving)
		return;
	pc->leaving = true;
	if (pc->on_exit != NULL)
		pc->on_exit(pc, why, arg);
	else
		ev_stop(pc->loop);
}

static void
proc_on_signal(struct ev_loop *loop, const struct signalfd_siginfo *si, void *arg)
{
	proc_leave(arg, PROC_EXIT_STOP, 0);
}

static void
proc_on_ctl(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct proc_child *pc = arg;
	struct proc_msg m;
	int rc;

	while ((rc = proc_recv(fd, &m)) == 1) {
		switch (m.type) {
		case PROC_MSG_STOP:
			proc_leave(pc, PROC_EXIT_STOP, 0);
			break;
		case PROC_MSG_HANDOVER:
			proc_leave(pc, PROC_EXIT_HANDOVER, 0);
			break;
		case PROC_MSG_DRAIN:
			proc_leave(pc, PROC_EXIT_DRAIN, m.arg);
			break;
		case PROC_MSG_OPERATOR:
			if (pc->on_operator == NULL)
				fatalx("%s: operator message: desynchronized", __func__);
			pc->on_operator(pc);
			break;
		default:
			fatalx("%s: message %u from the parent: desynchronized", __func__, m.type);
		}
	}
	if (rc == 0) {
		/* The parent is gone (PDEATHSIG normally comes first). */
		ev_fd_del(loop, fd);
		proc_leave(pc, PROC_EXIT_STOP, 0);
	}
}

int
proc_child_init(struct proc_child *pc, const struct proc_env *env,
    proc_exit_fn *on_exit, void *arg)
{
	*pc = (struct proc_child){ .env = env, .on_exit = on_exit, .arg = arg };
	if ((pc->loop = ev_new()) == NULL) {
		log_warn("%s: ev_new", __func__);
		return -1;
	}
	if (ev_signal_add(pc->loop, SIGTERM, proc_on_signal, pc) == -1 ||
	    ev_signal_add(pc->loop, SIGINT, proc_on_signal, pc) == -1 ||
	    ev_fd_add(pc->loop, env->ctl_fd, EV_READ, proc_on_ctl, pc) == -1) {
		log_warn("%s: event setup", __func__);
		ev_free(pc->loop);
		return -1;
	}
	/* SIGHUP and SIGUSR1 are the parent's business. */
	signal(SIGHUP, SIG_IGN);
	signal(SIGUSR1, SIG_IGN);
	return 0;
}

void
proc_child_ready(struct proc_child *pc)
{
	if (proc_send(pc->env->ctl_fd, PROC_MSG_READY, 0) == -1)
		log_warn("%s: send", __func__);
}

int
proc_child_run_keep(struct proc_child *pc)
{
	if (ev_run(pc->loop) == -1) {
		log_warn("%s: event loop", __func__);
		return 1;
	}
	return 0;
}

int
proc_child_run(struct proc_child *pc)
{
	int rc = proc_child_run_keep(pc);

	ev_free(pc->loop);
	pc->loop = NULL;
	return rc;
}

int
proc_child_basic(const struct proc_env *env)
{
	struct proc_child pc;

	if (proc_child_init(&pc, env, NULL, NULL) == -1)
		return 1;
	proc_child_ready(&pc);
	return proc_child_run(&pc);
}
