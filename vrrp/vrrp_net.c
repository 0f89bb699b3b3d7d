/* VRRP sockets; see vrrp_net.h. */
#include "config.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vrrp/vrrp_net.h"
#include "vrrp/vrrp_packet.h"

#define VRRP_TOS	0xc0	/* network control, as keepalived sends */
#define VRRP_RCVBUF	(1 << 20)

int
vrrp_net_source(const char *ifname, int family, const struct kl_addr *want,
    struct kl_addr *out)
{
	struct ifaddrs *ifa, *i;
	int rc = -1;

	if (addr_is_set(want)) {
		*out = *want;
		return 0;
	}
	if (getifaddrs(&ifa) == -1)
		return -1;
	for (i = ifa; i != NULL && rc == -1; i = i->ifa_next) {
		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != family ||
		    strcmp(i->ifa_name, ifname) != 0)
			continue;
		if (addr_from_sockaddr(i->ifa_addr, out, NULL) == -1)
			continue;
		/* RFC 5798 5.1.2.1: IPv6 adverts come from the link-local address. */
		if (family == AF_INET6 && !IN6_IS_ADDR_LINKLOCAL(&out->u.v6))
			continue;
		rc = 0;
	}
	freeifaddrs(ifa);
	if (rc == -1)
		errno = EADDRNOTAVAIL;
	return rc;
}

static int
sockopt(int fd, int level, int name, int value)
{
	return setsockopt(fd, level, name, &value, sizeof(value));
}

static int
open_v4(struct vrrp_sock *s)
{
	struct ip_mreqn mr = { .imr_ifindex = s->ifindex };

	if (sockopt(s->fd, IPPROTO_IP, IP_TTL, VRRP_TTL) == -1 ||
	    sockopt(s->fd, IPPROTO_IP, IP_MULTICAST_TTL, VRRP_TTL) == -1 ||
	    sockopt(s->fd, IPPROTO_IP, IP_TOS, VRRP_TOS) == -1 ||
	    sockopt(s->fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0) == -1 ||
	    sockopt(s->fd, IPPROTO_IP, IP_PKTINFO, 1) == -1)
		return -1;
	mr.imr_address = s->src.u.v4;
	if (setsockopt(s->fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) == -1)
		return -1;
	if (s->peers != NULL)
		return 0;
	mr.imr_multiaddr = s->mcast.u.v4;
	return setsockopt(s->fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr));
}

static int
open_v6(struct vrrp_sock *s)
{
	struct ipv6_mreq mr = { .ipv6mr_interface = (unsigned)s->ifindex };

	if (sockopt(s->fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, VRRP_TTL) == -1 ||
	    sockopt(s->fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, VRRP_TTL) == -1 ||
	    sockopt(s->fd, IPPROTO_IPV6, IPV6_TCLASS, VRRP_TOS) == -1 ||
	    sockopt(s->fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0) == -1 ||
	    sockopt(s->fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, s->ifindex) == -1 ||
	    sockopt(s->fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1) == -1 ||
	    sockopt(s->fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1) == -1)
		return -1;
	if (s->peers != NULL)
		return 0;
	mr.ipv6mr_multiaddr = s->mcast.u.v6;
	return setsockopt(s->fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr, sizeof(mr));
}

int
vrrp_net_open(struct vrrp_sock *s, const struct conf_vrrp_instance *vi,
    const struct conf_global *g, int ifindex, char *err, size_t errlen)
{
	const struct kl_addr *want = addr_is_set(&vi->unicast_src) ? &vi->unicast_src :
	    &vi->mcast_src;
	struct sockaddr_storage ss;
	socklen_t sl;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->family = vi->family != 0 ? vi->family : AF_INET;
	s->ifindex = ifindex;
	s->mcast = s->family == AF_INET ? g->mcast_group4 : g->mcast_group6;
	s->peers = vi->unicast_peers;
	if (vrrp_net_source(vi->interface, s->family, want, &s->src) == -1) {
		snprintf(err, errlen, "no %s address to send from on %s",
		    s->family == AF_INET ? "IPv4" : "IPv6 link-local", vi->interface);
		return -1;
	}
	s->fd = socket(s->family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, VRRP_PROTO);
	if (s->fd == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	sl = addr_to_sockaddr(&s->src, 0, &ss);
	if (s->family == AF_INET6)
		((struct sockaddr_in6 *)&ss)->sin6_scope_id = (uint32_t)ifindex;
	/* An IPv4 raw socket bound to an address hears only datagrams sent to
	 * it, not to the group: bind for unicast only (IP_MULTICAST_IF picks
	 * the source otherwise).  IPv6 delivers joined groups either way. */
	/* A burst of adverts (a storm, an attack) must not be lost silently:
	 * a larger buffer, and the kernel's count of what still overflows. */
	if (sockopt(s->fd, SOL_SOCKET, SO_RCVBUF, VRRP_RCVBUF) == -1 ||
	    sockopt(s->fd, SOL_SOCKET, SO_RXQ_OVFL, 1) == -1 ||
	    setsockopt(s->fd, SOL_SOCKET, SO_BINDTODEVICE, vi->interface,
	    (socklen_t)strlen(vi->interface)) == -1 ||
	    ((s->family == AF_INET6 || s->peers != NULL) &&
	    bind(s->fd, (struct sockaddr *)&ss, sl) == -1) ||
	    (s->family == AF_INET ? open_v4(s) : open_v6(s)) == -1) {
		snprintf(err, errlen, "socket setup on %s: %s", vi->interface, strerror(errno));
		vrrp_net_close(s);
		return -1;
	}
	return 0;
}

void
vrrp_net_close(struct vrrp_sock *s)
{
	if (s->fd != -1)
		close(s->fd);
	s->fd = -1;
}

const struct kl_addr *
vrrp_net_next_dst(const struct vrrp_sock *s, const struct conf_addr_list **cursor, int *done)
{
	const struct kl_addr *dst;

	if (*done)
		return NULL;
	if (s->peers == NULL) {
		*done = 1;
		return &s->mcast;
	}
	*cursor = *cursor == NULL ? s->peers : (*cursor)->next;
	if (*cursor == NULL) {
		*done = 1;
		return NULL;
	}
	dst = &(*cursor)->addr;
	return dst;
}

int
vrrp_net_send(const struct vrrp_sock *s, const struct kl_addr *dst, const uint8_t *msg,
    size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = addr_to_sockaddr(dst, 0, &ss);

	if (s->family == AF_INET6 && IN6_IS_ADDR_MC_LINKLOCAL(&dst->u.v6))
		((struct sockaddr_in6 *)&ss)->sin6_scope_id = (uint32_t)s->ifindex;
	return sendto(s->fd, msg, len, 0, (struct sockaddr *)&ss, sl) == (ssize_t)len ? 0 : -1;
}

/* IPv4 raw sockets deliver the IP header: take TTL and length from it. */
static int
strip_ipv4(struct vrrp_rx *rx, const uint8_t *buf, size_t n)
{
	const struct iphdr *ip = (const struct iphdr *)buf;
	size_t hl;

	if (n < sizeof(*ip) || (hl = (size_t)ip->ihl * 4) < sizeof(*ip) || hl > n)
		return -1;
	rx->ttl = ip->ttl;
	rx->dst.family = AF_INET;
	rx->dst.prefix = 32;
	rx->dst.u.v4.s_addr = ip->daddr;
	rx->msg = buf + hl;
	rx->len = n - hl;
	return 0;
}

static void
read_cmsgs(struct msghdr *mh, struct vrrp_rx *rx)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL)
			memcpy(&rx->kernel_drops, CMSG_DATA(c), sizeof(uint32_t));
		if (c->cmsg_level != IPPROTO_IPV6)
			continue;
		if (c->cmsg_type == IPV6_HOPLIMIT)
			memcpy(&rx->ttl, CMSG_DATA(c), sizeof(int));
		if (c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			rx->dst.family = AF_INET6;
			rx->dst.prefix = 128;
			rx->dst.u.v6 = pi.ipi6_addr;
		}
	}
}

int
vrrp_net_recv(const struct vrrp_sock *s, uint8_t *buf, size_t len, struct vrrp_rx *rx)
{
	struct sockaddr_storage from;
	union { struct cmsghdr align; uint8_t buf[256]; } cm;
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr mh = {
		.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
		.msg_iovlen = 1, .msg_control = cm.buf, .msg_controllen = sizeof(cm.buf),
	};
	ssize_t n = recvmsg(s->fd, &mh, 0);

	if (n == -1)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	memset(rx, 0, sizeof(*rx));
	rx->ttl = -1;
	read_cmsgs(&mh, rx);
	if (addr_from_sockaddr((struct sockaddr *)&from, &rx->src, NULL) == -1 ||
	    (mh.msg_flags & MSG_TRUNC)) {
		rx->len = 0;	/* unusable: the caller counts it as a length error */
		return 1;
	}
	if (s->family == AF_INET) {
		if (strip_ipv4(rx, buf, (size_t)n) == -1)
			rx->len = 0;
		return 1;
	}
	rx->msg = buf;
	rx->len = (size_t)n;
	return 1;
}
