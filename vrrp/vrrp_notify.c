/* Notify scripts; see vrrp_notify.h. */
#include "config.h"

#include <stdio.h>

#include "lib/log.h"
#include "lib/spawn.h"
#include "vrrp/vrrp_notify.h"

static void
run(const char *cmd, const char *const *extra, const char *user)
{
	if (cmd != NULL && spawn_script(cmd, extra, user) == -1)
		log_warn("notify script '%s'", cmd);
}

void
vrrp_notify(const struct conf_notify *n, const char *type, const char *name,
    enum vrrp_state state, unsigned priority, const char *user)
{
	/* keepalived's words for the states; INIT is reported as STOP. */
	static const char *const words[] = {
		[VRRP_STATE_INIT] = "STOP", [VRRP_STATE_BACKUP] = "BACKUP",
		[VRRP_STATE_MASTER] = "MASTER", [VRRP_STATE_FAULT] = "FAULT",
	};
	const char *specific[] = {
		[VRRP_STATE_INIT] = n->stop, [VRRP_STATE_BACKUP] = n->backup,
		[VRRP_STATE_MASTER] = n->master, [VRRP_STATE_FAULT] = n->fault,
	};
	char prio[8];
	const char *extra[] = { type, name, words[state], prio, NULL };

	snprintf(prio, sizeof(prio), "%u", priority);
	run(specific[state], NULL, user);
	run(n->any, extra, user);
}
