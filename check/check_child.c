/* The health-check child process.  Checkers arrive with the checker work;
 * until then the child runs its loop, reports ready and leaves on request. */
#include "config.h"

#include "lib/log.h"
#include "check/check_child.h"

int
check_child_main(const struct proc_env *env)
{
	log_info("%u real server(s) configured", env->conf->n_real_servers);
	return proc_child_basic(env);
}
