/* The SNMP AgentX subagent, run by the parent when global_defs enables it
 * (enable_snmp_vrrp, enable_snmp_checker, enable_snmp_rfcv3).
 *
 * net-snmp is select()-based; here its sockets and its next timeout are
 * handed to the parent's epoll loop after every pass through the library
 * (snmp_select_info2), so the parent never blocks in it.  The AgentX ping
 * (SNMP_AGENTX_PING_S) notices a restarted snmpd and opens a new session.
 * net-snmp logs through our log.h.  Nothing of net-snmp is initialised when
 * none of the keywords is given.
 *
 * What is served comes from the supervisor's model and shared state at
 * request time: KEEPALIVE-L7-MIB (snmp_kl7.c) and VRRPv3-MIB, RFC 6527
 * (snmp_vrrp.c).  Notifications come from snmp_watch.c.
 */
#ifndef KL7_SNMP_AGENT_H
#define KL7_SNMP_AGENT_H

#include <stdbool.h>

#include "lib/conf.h"
#include "lib/ev.h"

#define SNMP_AGENTX_PING_S	5	/* reconnect to a restarted master this fast */
#define SNMP_AGENT_MAX_FDS	8

struct supervisor;
struct snmp_agent;

/* Start the subagent if conf enables it; NULL when it does not (or on
 * failure, logged). */
struct snmp_agent	*snmp_agent_start(struct supervisor *sup, struct ev_loop *loop,
			    const struct conf *conf);
/* Unregister and shut net-snmp down (stop); NULL is a no-op. */
void			 snmp_agent_stop(struct snmp_agent *a);
/* In a new child: close the subagent's sockets without talking to snmpd. */
void			 snmp_agent_close_in_child(struct snmp_agent *a);
/* A reload: warn when the SNMP keywords changed (they apply at restart). */
void			 snmp_agent_reloaded(struct snmp_agent *a, const struct conf *conf);

#endif
