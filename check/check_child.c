/* The health-check child: builds a check runtime per configured checker,
 * runs them on its event loop, reaps scripts, and listens for the l7
 * child's passive failure reports.  See check.h. */
#include "config.h"

#include <signal.h>
#include <sys/wait.h>

#include "lib/log.h"
#include "lib/spawn.h"
#include "check/check.h"
#include "check/check_child.h"

struct check_child {
	struct proc_child	pc;
	struct check_ctx	ctx;
};

/* enable_script_security: refuse a configuration whose scripts a
 * non-root user could change. */
static int
check_script_security(const struct conf *c)
{
	const struct conf_virtual_server *vs;
	const struct conf_real_server *rs;
	const struct conf_checker *ck;
	int bad = 0;

	if (!c->global.script_security)
		return 0;
	for (vs = c->virtual_servers; vs != NULL; vs = vs->next) {
		bad += spawn_refuse_insecure(vs->quorum_up, &vs->src) +
		    spawn_refuse_insecure(vs->quorum_down, &vs->src);
		for (rs = vs->servers; rs != NULL; rs = rs->next) {
			bad += spawn_refuse_insecure(rs->notify_up, &rs->src) +
			    spawn_refuse_insecure(rs->notify_down, &rs->src);
			for (ck = rs->checkers; ck != NULL; ck = ck->next)
				if (ck->type == CONF_CHECK_MISC)
					bad += spawn_refuse_insecure(ck->misc_path, &ck->src);
		}
	}
	return bad == 0 ? 0 : -1;
}

static void
check_on_sigchld(struct ev_loop *loop, const struct signalfd_siginfo *si, void *arg)
{
	struct check_ctx *ctx = arg;
	pid_t pid;
	int status;

	/* MISC_CHECKs are matched; notify and quorum scripts are only reaped. */
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		check_misc_reaped(ctx, pid, status);
}

static void
check_on_passive(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	shm_event_clear(fd);
	check_srv_passive_scan(arg);
}

static void
check_on_operator(struct proc_child *pc)
{
	struct check_child *cc = pc->arg;

	check_srv_operator_scan(&cc->ctx);
}

static void
check_on_exit(struct proc_child *pc, enum proc_exit_reason why, uint32_t arg)
{
	struct check_child *cc = pc->arg;
	unsigned i;

	for (i = 0; i < cc->ctx.n_checks; i++)
		check_stop(&cc->ctx.checks[i]);
	if (why == PROC_EXIT_STOP)
		for (i = 0; i < cc->ctx.n_vs; i++)
			check_vs_omega(&cc->ctx.vss[i]);
	ev_stop(pc->loop);
}

int
check_child_main(const struct proc_env *env)
{
	struct check_child cc = { .ctx = { .conf = env->conf, .shm = env->shm } };
	int rc;

	if (check_script_security(env->conf) == -1)
		return PROC_EXIT_CONFIG;
	if (proc_child_init(&cc.pc, env, check_on_exit, &cc) == -1)
		return 1;
	cc.pc.on_operator = check_on_operator;
	cc.ctx.loop = cc.pc.loop;
	if (check_ctx_build(&cc.ctx) == -1 ||
	    ev_signal_add(cc.ctx.loop, SIGCHLD, check_on_sigchld, &cc.ctx) == -1 ||
	    ev_fd_add(cc.ctx.loop, env->shm->passive_efd, EV_READ, check_on_passive,
	    &cc.ctx) == -1) {
		log_warn("check: setup");
		check_ctx_free(&cc.ctx);
		ev_free(cc.pc.loop);
		return 1;
	}
	check_ctx_start(&cc.ctx);
	log_info("%u checker(s) on %u real server(s) running", cc.ctx.n_checks, cc.ctx.n_srv);
	proc_child_ready(&cc.pc);
	rc = proc_child_run_keep(&cc.pc);
	check_ctx_free(&cc.ctx);
	ev_free(cc.pc.loop);
	return rc;
}
