/* Gratuitous ARP for IPv4 VIPs (RFC 5798 6.4.1: "broadcast a gratuitous
 * ARP request containing the virtual router MAC address for each IP
 * address" - here the interface's own MAC, as keepalived without use_vmac). */
#ifndef KL7_VRRP_ARP_H
#define KL7_VRRP_ARP_H

#include <stdint.h>

#include "lib/addr.h"

/* A packet socket for ARP; -1 with errno on failure. */
int	vrrp_arp_open(void);
/* The interface's MAC address; 0 or -1. */
int	vrrp_arp_hwaddr(int fd, const char *ifname, uint8_t mac[6]);
/* One gratuitous ARP request for vip: sender = target = vip, broadcast. */
int	vrrp_arp_send(int fd, int ifindex, const uint8_t mac[6], const struct kl_addr *vip);

#endif
