/* The L7 forwarder child process.  Listeners and forwarding arrive with the
 * forwarder work; until then the child runs its loop, reports ready and
 * leaves on request (a DRAIN with nothing in flight is immediate). */
#include "config.h"

#include "lib/log.h"
#include "splice/l7_child.h"

int
l7_child_main(const struct proc_env *env)
{
	log_info("%u virtual server(s) configured", env->conf->n_virtual_servers);
	return proc_child_basic(env);
}
