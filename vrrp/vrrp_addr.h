/* Virtual addresses on interfaces, through rtnetlink (libnl-route-3). */
#ifndef KL7_VRRP_ADDR_H
#define KL7_VRRP_ADDR_H

#include <stddef.h>

#include "lib/conf.h"

struct nl_sock;

struct nl_sock	*vrrp_addr_open(void);
void		 vrrp_addr_close(struct nl_sock *sk);
/* Add v on ifindex; an address already there counts as added.
 * 0, or -1 with the reason in err. */
int		 vrrp_addr_add(struct nl_sock *sk, int ifindex, const struct conf_vip *v,
		    char *err, size_t errlen);
/* Remove v from ifindex; an address already gone counts as removed. */
int		 vrrp_addr_del(struct nl_sock *sk, int ifindex, const struct conf_vip *v,
		    char *err, size_t errlen);

#endif
