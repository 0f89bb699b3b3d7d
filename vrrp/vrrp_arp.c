/* Gratuitous ARP; see vrrp_arp.h. */
#include "config.h"

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vrrp/vrrp_arp.h"

/* RFC 826 packet for Ethernet and IPv4. */
struct arp_eth_ipv4 {
	uint16_t	htype;
	uint16_t	ptype;
	uint8_t		hlen;
	uint8_t		plen;
	uint16_t	op;
	uint8_t		sha[6];
	uint8_t		spa[4];
	uint8_t		tha[6];
	uint8_t		tpa[4];
} __attribute__((packed));

static const uint8_t broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

int
vrrp_arp_open(void)
{
	return socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ARP));
}

int
vrrp_arp_hwaddr(int fd, const char *ifname, uint8_t mac[6])
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) == -1)
		return -1;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return 0;
}

int
vrrp_arp_send(int fd, int ifindex, const uint8_t mac[6], const struct kl_addr *vip)
{
	struct arp_eth_ipv4 p = {
		.htype = htons(ARPHRD_ETHER), .ptype = htons(ETH_P_IP),
		.hlen = 6, .plen = 4, .op = htons(ARPOP_REQUEST),
	};
	struct sockaddr_ll to = {
		.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ARP),
		.sll_ifindex = ifindex, .sll_halen = 6,
	};

	memcpy(p.sha, mac, 6);
	memcpy(p.spa, &vip->u.v4, 4);
	/* Target MAC broadcast, as keepalived sends it. */
	memcpy(p.tha, broadcast, 6);
	memcpy(p.tpa, &vip->u.v4, 4);
	memcpy(to.sll_addr, broadcast, 6);
	return sendto(fd, &p, sizeof(p), 0, (struct sockaddr *)&to, sizeof(to)) ==
	    (ssize_t)sizeof(p) ? 0 : -1;
}
