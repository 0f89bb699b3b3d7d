/* The VRRP child process: its instances and its life.  See vrrp_child.h. */
#include "config.h"

#include <net/if.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/spawn.h"
#include "vrrp/vrrp_addr.h"
#include "vrrp/vrrp_arp.h"
#include "vrrp/vrrp_child.h"
#include "vrrp/vrrp_inst.h"
#include "vrrp/vrrp_netlink.h"
#include "vrrp/vrrp_notify.h"
#include "vrrp/vrrp_track.h"

struct vrrp_child {
	struct proc_child	 pc;
	struct vrrp_env		 env;
	struct vrrp_inst	*inst;
	unsigned		 n;
	struct vrrp_script_rt	*scripts;	/* the vrrp_scripts some instance tracks */
	unsigned		 n_scripts;
	int			 nl_fd;		/* link and address events */
	bool			 syncing;	/* inside vrrp_sync_changed() */
	struct ev_timer		 startup_delay;
};

/* An instance on an interface that does not exist cannot run: keepalived
 * stops too ("Non-existent interface specified in configuration"). */
static int
vrrp_check_interfaces(const struct conf *c)
{
	const struct conf_vrrp_instance *vi;
	const struct conf_vip *v;
	int bad = 0;

	for (vi = c->vrrp_instances; vi != NULL; vi = vi->next) {
		if (if_nametoindex(vi->interface) == 0) {
			log_warnx("%s:%d: vrrp_instance %s: interface %s does not exist",
			    vi->src.file, vi->src.line, vi->name, vi->interface);
			bad++;
		}
		for (v = vi->vips; v != NULL; v = v->next)
			if (v->dev != NULL && if_nametoindex(v->dev) == 0) {
				log_warnx("%s:%d: vrrp_instance %s: dev %s does not exist",
				    v->src.file, v->src.line, vi->name, v->dev);
				bad++;
			}
	}
	return bad == 0 ? 0 : -1;
}

static void
vrrp_on_readable(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	vrrp_inst_readable(arg);
}

static void
nl_link(void *ctx, int ifindex, bool up)
{
	struct vrrp_child *vc = ctx;
	unsigned i;

	for (i = 0; i < vc->n; i++)
		vrrp_inst_link(&vc->inst[i], ifindex, up);
}

static void
nl_addr_removed(void *ctx, int ifindex, const struct kl_addr *a)
{
	struct vrrp_child *vc = ctx;
	unsigned i;

	for (i = 0; i < vc->n; i++)
		vrrp_inst_addr_removed(&vc->inst[i], ifindex, a);
}

static void
vrrp_on_netlink(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct vrrp_child *vc = arg;
	const struct vrrp_nl_events ev = {
		.link = nl_link, .addr_removed = nl_addr_removed, .ctx = vc,
	};

	if (vrrp_netlink_read(fd, &ev) == -1)
		log_warn("vrrp: netlink");
}

/* Whether a member other than p of p's sync group is in FAULT of its own. */
static bool
partner_fault(const struct vrrp_child *vc, const struct vrrp_inst *p)
{
	unsigned i;

	for (i = 0; i < vc->n; i++)
		if (&vc->inst[i] != p && vc->inst[i].conf->sync_group == p->conf->sync_group &&
		    vc->inst[i].fsm.fault)
			return true;
	return false;
}

/* vrrp_sync_group: the members move together (keepalived's semantics): one
 * becoming MASTER pulls its BACKUP partners up, one leaving MASTER takes
 * its MASTER partners down, and while one is in FAULT of its own all are
 * in FAULT (a BACKUP partner would otherwise take MASTER back when its
 * timer runs out).  The group's notify scripts run for the member whose
 * own change moved the group. */
static void
vrrp_sync_changed(void *ctx, struct vrrp_inst *inst, enum vrrp_state to)
{
	struct vrrp_child *vc = ctx;
	const struct conf_sync_group *g = inst->conf->sync_group;
	unsigned i;

	if (g == NULL || vc->syncing)
		return;
	vc->syncing = true;
	for (i = 0; i < vc->n; i++) {
		struct vrrp_inst *p = &vc->inst[i];

		if (p->conf->sync_group != g)
			continue;
		/* inst too: a partner's own fault may have come while the
		 * group was in FAULT for inst's. */
		vrrp_fsm_set_group_fault(&p->fsm, partner_fault(vc, p));
		if (p != inst)
			vrrp_fsm_follow(&p->fsm, to, "sync group partner");
	}
	vc->syncing = false;
	vrrp_notify(&g->notify, "GROUP", g->name, to, inst->fsm.priority,
	    vc->env.conf->global.script_user);
}

/* A script changed its verdict: every instance tracking it re-evaluates. */
static void
vrrp_script_changed(void *ctx, struct vrrp_script_rt *s)
{
	struct vrrp_child *vc = ctx;
	unsigned i, j;

	for (i = 0; i < vc->n; i++)
		for (j = 0; j < vc->inst[i].n_scripts; j++)
			if (vc->inst[i].scripts[j] == s)
				vrrp_inst_track_changed(&vc->inst[i]);
}

static void
vrrp_on_sigchld(struct ev_loop *loop, const struct signalfd_siginfo *si, void *arg)
{
	struct vrrp_child *vc = arg;
	pid_t pid;
	int status;
	unsigned i;

	/* Track scripts are matched; notify scripts are only reaped. */
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		for (i = 0; i < vc->n_scripts; i++)
			if (vc->scripts[i].pid == pid)
				vrrp_script_reaped(&vc->scripts[i], status);
}

static int
vrrp_scripts_setup(struct vrrp_child *vc)
{
	const struct conf_vrrp_script *s;

	vc->scripts = calloc(1, sizeof(*vc->scripts));
	for (s = vc->env.conf->vrrp_scripts; s != NULL; s = s->next)
		if (s->used) {
			struct vrrp_script_rt *n = realloc(vc->scripts,
			    (vc->n_scripts + 1) * sizeof(*n));

			if (n == NULL)
				return -1;
			vc->scripts = n;
			vrrp_script_init(&vc->scripts[vc->n_scripts++], s,
			    vc->env.conf->global.script_user, vc->env.loop, vrrp_script_changed, vc);
		}
	return vc->scripts == NULL ? -1 : 0;
}

static void
vrrp_start_all(struct vrrp_child *vc)
{
	unsigned i;

	for (i = 0; i < vc->n_scripts; i++)
		vrrp_script_start(&vc->scripts[i]);
	for (i = 0; i < vc->n; i++)
		vrrp_inst_start(&vc->inst[i]);
}

static void
vrrp_startup_delay_expired(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	vrrp_start_all(arg);
}

static void
vrrp_close_all(struct vrrp_child *vc)
{
	unsigned i;

	for (i = 0; i < vc->n; i++)
		vrrp_inst_close(&vc->inst[i]);
	for (i = 0; i < vc->n_scripts; i++)
		vrrp_script_stop(&vc->scripts[i]);
	free(vc->inst);
	free(vc->scripts);
	vc->inst = NULL;
	vc->scripts = NULL;
	if (vc->nl_fd != -1)
		close(vc->nl_fd);
	vrrp_addr_close(vc->env.nl);
	if (vc->env.arp_fd != -1)
		close(vc->env.arp_fd);
}

/* STOP: masters hand over with priority 0 and drop their VIPs.  HANDOVER
 * (reload) leaves state and VIPs to the successor. */
static void
vrrp_on_exit(struct proc_child *pc, enum proc_exit_reason why, uint32_t arg)
{
	struct vrrp_child *vc = pc->arg;
	unsigned i;

	if (why != PROC_EXIT_HANDOVER)
		for (i = 0; i < vc->n; i++)
			vrrp_inst_shutdown(&vc->inst[i]);
	ev_stop(pc->loop);
}

/* Each instance learns which VRIDs its siblings use on the same link. */
static void
vrrp_share_vrids(struct vrrp_child *vc)
{
	unsigned i, j;

	for (i = 0; i < vc->n; i++)
		for (j = 0; j < vc->n; j++)
			if (vc->inst[i].ifindex == vc->inst[j].ifindex &&
			    vc->inst[i].sock.family == vc->inst[j].sock.family)
				vrrp_inst_know_vrid(&vc->inst[i], vc->inst[j].conf->vrid);
}

static int
vrrp_open_all(struct vrrp_child *vc, struct shm *shm)
{
	const struct conf_vrrp_instance *vi;
	char err[256];

	vc->inst = calloc(vc->env.conf->n_vrrp_instances + 1, sizeof(*vc->inst));
	if (vc->inst == NULL || (vc->env.nl = vrrp_addr_open()) == NULL) {
		log_warnx("vrrp: out of memory or no netlink");
		return -1;
	}
	vc->env.arp_fd = vrrp_arp_open();
	if (vrrp_scripts_setup(vc) == -1)
		return -1;
	if ((vc->nl_fd = vrrp_netlink_open()) == -1 ||
	    ev_fd_add(vc->env.loop, vc->nl_fd, EV_READ, vrrp_on_netlink, vc) == -1 ||
	    ev_signal_add(vc->env.loop, SIGCHLD, vrrp_on_sigchld, vc) == -1) {
		log_warn("vrrp: netlink monitor");
		return -1;
	}
	for (vi = vc->env.conf->vrrp_instances; vi != NULL; vi = vi->next) {
		struct vrrp_inst *inst = &vc->inst[vc->n];

		if (vrrp_inst_open(inst, &vc->env, vi, &shm->vrrp[vi->index], err,
		    sizeof(err)) == -1) {
			log_warnx("%s:%d: vrrp_instance %s: %s", vi->src.file, vi->src.line,
			    vi->name, err);
			vrrp_inst_close(inst);
			return -1;
		}
		vc->n++;
		if (vrrp_inst_track_setup(inst, vc->scripts, vc->n_scripts) == -1) {
			log_warnx("vrrp_instance %s: tracking setup failed", vi->name);
			return -1;
		}
		if (ev_fd_add(vc->env.loop, inst->sock.fd, EV_READ, vrrp_on_readable, inst) == -1)
			return -1;
	}
	return 0;
}

static int
check_notify_scripts(const struct conf_notify *n, const struct cfg_src *src)
{
	return spawn_refuse_insecure(n->master, src) + spawn_refuse_insecure(n->backup, src) +
	    spawn_refuse_insecure(n->fault, src) + spawn_refuse_insecure(n->stop, src) +
	    spawn_refuse_insecure(n->any, src);
}

/* enable_script_security: every script this child may run must be out of
 * reach of non-root users, or the configuration is refused. */
static int
vrrp_check_script_security(const struct conf *c)
{
	const struct conf_vrrp_script *s;
	const struct conf_vrrp_instance *vi;
	const struct conf_sync_group *g;
	int bad = 0;

	if (!c->global.script_security)
		return 0;
	for (s = c->vrrp_scripts; s != NULL; s = s->next)
		if (s->used)
			bad += spawn_refuse_insecure(s->script, &s->src);
	for (vi = c->vrrp_instances; vi != NULL; vi = vi->next)
		bad += check_notify_scripts(&vi->notify, &vi->src);
	for (g = c->sync_groups; g != NULL; g = g->next)
		bad += check_notify_scripts(&g->notify, &g->src);
	return bad == 0 ? 0 : -1;
}

int
vrrp_child_main(const struct proc_env *env)
{
	struct vrrp_child vc = {
		.env = { .conf = env->conf, .arp_fd = -1, .changed = vrrp_sync_changed },
		.nl_fd = -1,
	};
	uint32_t delay = env->conf->global.vrrp_startup_delay_ms;
	int rc;

	if (vrrp_check_interfaces(env->conf) == -1 ||
	    vrrp_check_script_security(env->conf) == -1)
		return PROC_EXIT_CONFIG;
	if (proc_child_init(&vc.pc, env, vrrp_on_exit, &vc) == -1)
		return 1;
	vc.env.loop = vc.pc.loop;
	vc.env.ctx = &vc;
	vc.env.shm = env->shm;
	if (vrrp_open_all(&vc, env->shm) == -1) {
		vrrp_close_all(&vc);
		ev_free(vc.pc.loop);
		return PROC_EXIT_CONFIG;
	}
	vrrp_share_vrids(&vc);
	log_info("%u VRRP instance(s) running", vc.n);
	ev_timer_init(&vc.startup_delay, vrrp_startup_delay_expired, &vc);
	if (delay > 0)
		ev_timer_start(vc.pc.loop, &vc.startup_delay, delay);
	else
		vrrp_start_all(&vc);
	proc_child_ready(&vc.pc);
	rc = proc_child_run_keep(&vc.pc);
	vrrp_close_all(&vc);
	ev_free(vc.pc.loop);
	return rc;
}
