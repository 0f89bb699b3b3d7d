/* Watching the kernel: link state changes and addresses removed, from an
 * rtnetlink socket subscribed to the link and address groups.  The caller
 * reacts (FAULT, tracking weights, restoring a VIP deleted by hand). */
#ifndef KL7_VRRP_NETLINK_H
#define KL7_VRRP_NETLINK_H

#include <stdbool.h>

#include "lib/addr.h"

struct vrrp_nl_events {
	/* An interface went up (running) or down. */
	void	(*link)(void *ctx, int ifindex, bool up);
	/* An address was removed from an interface. */
	void	(*addr_removed)(void *ctx, int ifindex, const struct kl_addr *a);
	void	*ctx;
};

/* The monitoring socket (non-blocking); -1 with errno on failure. */
int	vrrp_netlink_open(void);
/* Read every pending message and report them; 0, or -1 on a socket error. */
int	vrrp_netlink_read(int fd, const struct vrrp_nl_events *ev);
/* Whether ifindex is up and running now (for the initial state). */
bool	vrrp_netlink_link_up(int ifindex);

#endif
