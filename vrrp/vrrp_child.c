/* The VRRP child process: its instances and its life.  See vrrp_child.h. */
#include "config.h"

#include <net/if.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/log.h"
#include "vrrp/vrrp_addr.h"
#include "vrrp/vrrp_arp.h"
#include "vrrp/vrrp_child.h"
#include "vrrp/vrrp_inst.h"

struct vrrp_child {
	struct proc_child	 pc;
	struct vrrp_env		 env;
	struct vrrp_inst	*inst;
	unsigned		 n;
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
vrrp_start_all(struct vrrp_child *vc)
{
	unsigned i;

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
	free(vc->inst);
	vc->inst = NULL;
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
		if (ev_fd_add(vc->env.loop, inst->sock.fd, EV_READ, vrrp_on_readable, inst) == -1)
			return -1;
	}
	return 0;
}

int
vrrp_child_main(const struct proc_env *env)
{
	struct vrrp_child vc = { .env = { .conf = env->conf, .arp_fd = -1 } };
	uint32_t delay = env->conf->global.vrrp_startup_delay_ms;
	int rc;

	if (vrrp_check_interfaces(env->conf) == -1)
		return PROC_EXIT_CONFIG;
	if (proc_child_init(&vc.pc, env, vrrp_on_exit, &vc) == -1)
		return 1;
	vc.env.loop = vc.pc.loop;
	if (vrrp_open_all(&vc, env->shm) == -1) {
		vrrp_close_all(&vc);
		ev_free(vc.pc.loop);
		return PROC_EXIT_CONFIG;
	}
	log_info("%u VRRP instance(s) running", vc.n);
	ev_timer_init(&vc.startup_delay, vrrp_startup_delay_expired, &vc);
	if (delay > 0)
		ev_timer_start(vc.pc.loop, &vc.startup_delay, delay);
	else
		vrrp_start_all(&vc);
	proc_child_ready(&vc.pc);
	vc.env.loop = vc.pc.loop;
	rc = proc_child_run_keep(&vc.pc);
	vrrp_close_all(&vc);
	ev_free(vc.pc.loop);
	return rc;
}
