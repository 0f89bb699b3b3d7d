/* MISC_CHECK: the check is a command, run in its own process group and
 * killed at misc_timeout.  Exit status 0 passes; with misc_dynamic, as in
 * keepalived, 1 fails and 2..255 pass with the server's weight set to
 * the status minus 2. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "lib/spawn.h"
#include "check/check.h"

#define MISC_DYNAMIC_WEIGHT_BASE	2

static void
running_remove(struct check *c)
{
	struct check **pp;

	for (pp = &c->ctx->misc_running; *pp != NULL; pp = &(*pp)->next_running)
		if (*pp == c) {
			*pp = c->next_running;
			break;
		}
	c->next_running = NULL;
	c->pid = 0;
}

static void
misc_start(struct check *c)
{
	const char *user = c->conf->user != NULL ? c->conf->user :
	    c->ctx->conf->global.script_user;

	if ((c->pid = spawn_script(c->conf->misc_path, NULL, user)) == -1) {
		c->pid = 0;
		check_attempt_end(c, false, "cannot run '%s': %s", c->conf->misc_path,
		    strerror(errno));
		return;
	}
	c->next_running = c->ctx->misc_running;
	c->ctx->misc_running = c;
}

static void
misc_cancel(struct check *c)
{
	/* The corpse is reaped by check_misc_reaped(), which ignores it. */
	if (c->pid > 0)
		kill(-c->pid, SIGKILL);
	running_remove(c);
}

static void
misc_result(struct check *c, int status)
{
	int code;

	if (!WIFEXITED(status)) {
		check_attempt_end(c, false, "'%s' killed by signal %d", c->conf->misc_path,
		    WTERMSIG(status));
		return;
	}
	code = WEXITSTATUS(status);
	if (c->conf->misc_dynamic && code >= MISC_DYNAMIC_WEIGHT_BASE) {
		c->dyn_weight = code - MISC_DYNAMIC_WEIGHT_BASE;
		check_attempt_end(c, true, "'%s' set weight %d", c->conf->misc_path,
		    c->dyn_weight);
	} else if (code == 0) {
		check_attempt_end(c, true, "'%s' exited 0", c->conf->misc_path);
	} else {
		check_attempt_end(c, false, "'%s' exited %d", c->conf->misc_path, code);
	}
}

bool
check_misc_reaped(struct check_ctx *ctx, pid_t pid, int status)
{
	struct check *c;

	for (c = ctx->misc_running; c != NULL; c = c->next_running)
		if (c->pid == pid) {
			running_remove(c);
			misc_result(c, status);
			return true;
		}
	return false;
}

const struct check_ops check_misc_ops = {
	.start = misc_start,
	.cancel = misc_cancel,
};
