/* Notify scripts on VRRP state changes, with keepalived's conventions:
 * notify_master / notify_backup / notify_fault / notify_stop run as they
 * are; `notify` gets four more arguments: INSTANCE|GROUP NAME STATE PRIORITY. */
#ifndef KL7_VRRP_NOTIFY_H
#define KL7_VRRP_NOTIFY_H

#include "lib/conf.h"
#include "vrrp/vrrp_fsm.h"

/* Start the scripts for entering `state` (INIT means stopped); they run
 * in the background and the child's SIGCHLD handler reaps them. */
void	vrrp_notify(const struct conf_notify *n, const char *type, const char *name,
	    enum vrrp_state state, unsigned priority, const char *user);

#endif
