/* Unsolicited neighbour advertisements; see vrrp_ndisc.h. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/icmp6.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vrrp/vrrp_ndisc.h"

#define NDISC_HOPS	255	/* RFC 4861 7.1.2: receivers drop anything else */

struct una {
	struct nd_neighbor_advert	na;
	struct nd_opt_hdr		opt;
	uint8_t				mac[6];
} __attribute__((packed));

int
vrrp_ndisc_open(int ifindex)
{
	int fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	int hops = NDISC_HOPS;

	if (fd == -1)
		return -1;
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) == -1 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof(ifindex)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

int
vrrp_ndisc_send(int fd, int ifindex, const uint8_t mac[6], const struct kl_addr *vip)
{
	struct una m;
	struct sockaddr_in6 to = {
		.sin6_family = AF_INET6, .sin6_scope_id = (uint32_t)ifindex,
	};

	memset(&m, 0, sizeof(m));
	m.na.nd_na_type = ND_NEIGHBOR_ADVERT;
	/* Override: replace the cached MAC of the old master (RFC 4861 4.4). */
	m.na.nd_na_flags_reserved = ND_NA_FLAG_OVERRIDE;
	m.na.nd_na_target = vip->u.v6;
	m.opt.nd_opt_type = ND_OPT_TARGET_LINKADDR;
	m.opt.nd_opt_len = 1;		/* in units of 8 bytes */
	memcpy(m.mac, mac, 6);
	inet_pton(AF_INET6, "ff02::1", &to.sin6_addr);
	/* The kernel fills in the ICMPv6 checksum on raw ICMPv6 sockets. */
	return sendto(fd, &m, sizeof(m), 0, (struct sockaddr *)&to, sizeof(to)) ==
	    (ssize_t)sizeof(m) ? 0 : -1;
}
