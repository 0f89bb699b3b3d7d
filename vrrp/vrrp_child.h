/* The VRRP child: one vrrp_fsm per instance, wired to its socket, its
 * VIPs (netlink), gratuitous ARP / NA and the event loop, with state and
 * counters in shared memory so a successor can resume. */
#ifndef KL7_VRRP_CHILD_H
#define KL7_VRRP_CHILD_H

#include "lib/proc.h"

int	vrrp_child_main(const struct proc_env *env);

#endif
