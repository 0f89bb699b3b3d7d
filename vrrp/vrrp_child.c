/* The VRRP child process.  The state machine, sockets and VIP handling
 * arrive with the VRRP work; today the child checks that the interfaces
 * its instances name exist, runs its loop, reports ready and leaves on
 * request, so the parent's supervision is real. */
#include "config.h"

#include <net/if.h>

#include "lib/log.h"
#include "vrrp/vrrp_child.h"

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

int
vrrp_child_main(const struct proc_env *env)
{
	if (vrrp_check_interfaces(env->conf) == -1)
		return PROC_EXIT_CONFIG;
	log_info("%u VRRP instance(s) configured", env->conf->n_vrrp_instances);
	return proc_child_basic(env);
}
