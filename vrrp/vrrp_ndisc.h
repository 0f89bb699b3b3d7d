/* Unsolicited neighbour advertisements for IPv6 VIPs (RFC 4861 7.2.6;
 * RFC 5798 6.4.1 asks for them on becoming master). */
#ifndef KL7_VRRP_NDISC_H
#define KL7_VRRP_NDISC_H

#include <stdint.h>

#include "lib/addr.h"

/* An ICMPv6 socket for sending NAs on ifindex; -1 with errno. */
int	vrrp_ndisc_open(int ifindex);
/* One unsolicited NA for vip to all-nodes, Override set, our MAC. */
int	vrrp_ndisc_send(int fd, int ifindex, const uint8_t mac[6], const struct kl_addr *vip);

#endif
