/* The VRRP child process.  The state machine, sockets and VIP handling
 * arrive with the VRRP work; until then the child runs its loop, reports
 * ready and leaves on request, so the parent's supervision is real. */
#include "config.h"

#include "lib/log.h"
#include "vrrp/vrrp_child.h"

int
vrrp_child_main(const struct proc_env *env)
{
	log_info("%u VRRP instance(s) configured", env->conf->n_vrrp_instances);
	return proc_child_basic(env);
}
