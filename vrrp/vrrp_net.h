/* VRRP sockets: one raw IP protocol-112 socket per instance, bound to its
 * interface, sending with TTL / hop limit 255 to the multicast group or
 * to each unicast peer, and receiving with the facts the checks need
 * (source, destination, TTL). */
#ifndef KL7_VRRP_NET_H
#define KL7_VRRP_NET_H

#include <stdint.h>
#include <sys/types.h>

#include "lib/addr.h"
#include "lib/conf.h"

struct vrrp_sock {
	int		 fd;
	int		 family;
	int		 ifindex;
	struct kl_addr	 src;		/* we send from this address */
	struct kl_addr	 mcast;		/* group, unless unicast */
	const struct conf_addr_list *peers;	/* unicast peers, or NULL */
};

/* A received datagram's VRRP part and where it came from. */
struct vrrp_rx {
	const uint8_t	*msg;		/* the VRRP message (IPv4 header skipped) */
	size_t		 len;
	struct kl_addr	 src;
	struct kl_addr	 dst;
	int		 ttl;		/* TTL / hop limit, -1 if unknown */
	uint32_t	 kernel_drops;	/* SO_RXQ_OVFL: total the socket lost so far */
};

/* The address an instance sends from: unicast_src_ip or mcast_src_ip if
 * set, else the interface's first IPv4 address / IPv6 link-local one. */
int	vrrp_net_source(const char *ifname, int family, const struct kl_addr *want,
	    struct kl_addr *out);
/* Open s for vi on ifindex; 0, or -1 with errno set and a reason in err. */
int	vrrp_net_open(struct vrrp_sock *s, const struct conf_vrrp_instance *vi,
	    const struct conf_global *g, int ifindex, char *err, size_t errlen);
void	vrrp_net_close(struct vrrp_sock *s);
/* Where adverts go: the group, or each unicast peer in turn (the v3
 * pseudo-header checksum differs per destination, so the caller builds a
 * message for each).  Returns NULL after the last. */
const struct kl_addr *vrrp_net_next_dst(const struct vrrp_sock *s,
	    const struct conf_addr_list **cursor, int *done);
/* Send msg to dst; 0, or -1 with errno set. */
int	vrrp_net_send(const struct vrrp_sock *s, const struct kl_addr *dst,
	    const uint8_t *msg, size_t len);
/* Read one datagram into buf; 1 read, 0 nothing left, -1 error. */
int	vrrp_net_recv(const struct vrrp_sock *s, uint8_t *buf, size_t len, struct vrrp_rx *rx);

#endif
