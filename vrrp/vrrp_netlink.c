/* rtnetlink monitor; see vrrp_netlink.h.  The messages are parsed with the
 * kernel's own macros: two message types and a handful of attributes do
 * not need a cache layer. */
#include "config.h"

#include <errno.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vrrp/vrrp_netlink.h"

int
vrrp_netlink_open(void)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR,
	};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd == -1)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
on_link(const struct nlmsghdr *h, const struct vrrp_nl_events *ev)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	bool up = h->nlmsg_type == RTM_NEWLINK && (ifi->ifi_flags & IFF_UP) &&
	    (ifi->ifi_flags & IFF_RUNNING);

	ev->link(ev->ctx, ifi->ifi_index, up);
}

static void
on_addr_removed(const struct nlmsghdr *h, const struct vrrp_nl_events *ev)
{
	const struct ifaddrmsg *ifa = NLMSG_DATA(h);
	const struct rtattr *rta = IFA_RTA(ifa);
	int len = (int)IFA_PAYLOAD(h);
	struct kl_addr a;

	memset(&a, 0, sizeof(a));
	for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		size_t alen = ifa->ifa_family == AF_INET ? 4 : 16;

		/* IFA_LOCAL is the address itself on IPv4; IPv6 has only IFA_ADDRESS. */
		if ((rta->rta_type != IFA_LOCAL && rta->rta_type != IFA_ADDRESS) ||
		    RTA_PAYLOAD(rta) < alen)
			continue;
		a.family = ifa->ifa_family;
		a.prefix = ifa->ifa_prefixlen;
		memcpy(&a.u, RTA_DATA(rta), alen);
		if (rta->rta_type == IFA_LOCAL)
			break;
	}
	if (a.family != 0)
		ev->addr_removed(ev->ctx, (int)ifa->ifa_index, &a);
}

int
vrrp_netlink_read(int fd, const struct vrrp_nl_events *ev)
{
	union { struct nlmsghdr h; char buf[16384]; } u;
	ssize_t n;

	while ((n = recv(fd, u.buf, sizeof(u.buf), 0)) > 0) {
		const struct nlmsghdr *h;
		int len = (int)n;

		for (h = &u.h; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == RTM_NEWLINK || h->nlmsg_type == RTM_DELLINK)
				on_link(h, ev);
			else if (h->nlmsg_type == RTM_DELADDR)
				on_addr_removed(h, ev);
		}
	}
	/* ENOBUFS: the kernel dropped messages; nothing better than to carry on. */
	if (n == -1 && errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOBUFS)
		return -1;
	return 0;
}

bool
vrrp_netlink_link_up(int ifindex)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool up = false;

	if (fd == -1)
		return false;
	memset(&ifr, 0, sizeof(ifr));
	if (if_indextoname((unsigned)ifindex, ifr.ifr_name) != NULL &&
	    ioctl(fd, SIOCGIFFLAGS, &ifr) == 0)
		up = (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING);
	close(fd);
	return up;
}
