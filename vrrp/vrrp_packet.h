/* VRRP advertisement codec: build and parse, nothing else.
 *
 * The buffers hold the VRRP message only (after the IP header).  Parsing
 * checks that a message is well formed (length, version, type, address
 * count, checksum); policy (VRID, priority, interval, authentication, TTL)
 * is the caller's, as is logging: errors come back as a code for the
 * counters and a reason in the caller's buffer.
 */
#ifndef KL7_VRRP_PACKET_H
#define KL7_VRRP_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/addr.h"

#define VRRP_PROTO		112	/* IP protocol number, RFC 5798 5.1.1.4 */
#define VRRP_TTL		255	/* RFC 5798 5.1.1.3, 5.1.2.3 */
#define VRRP_TYPE_ADVERT	1	/* RFC 5798 5.2.2 */
#define VRRP_HDR_LEN		8	/* RFC 5798 5.1 */
#define VRRP_V2_AUTH_LEN	8	/* RFC 3768 5.3.10 */
#define VRRP_MAX_ADDRS		255	/* 8-bit Count IPvX Addr */
#define VRRP_PRIO_OWNER		255	/* RFC 5798 5.2.4 */
#define VRRP_PRIO_STOP		0	/* master leaving, RFC 5798 5.2.4 */
#define VRRP_V3_MAX_INT_CS	4095	/* 12 bits of centiseconds, RFC 5798 5.2.7 */
#define VRRP_MAX_PKT_LEN	(VRRP_HDR_LEN + VRRP_MAX_ADDRS * 16 + VRRP_V2_AUTH_LEN)

/* RFC 2338 5.3.6: v2 authentication types (RFC 3768 keeps them for
 * compatibility; keepalived sends PASS as type 1). */
enum vrrp_auth { VRRP_AUTH_NONE = 0, VRRP_AUTH_PASS = 1, VRRP_AUTH_AH = 2 };

/* How the checksum is computed (RFC 5798 5.2.8). */
enum vrrp_csum {
	VRRP_CSUM_MSG,		/* the message alone: v2, and v3 IPv4 as RFC 9568 */
	VRRP_CSUM_PSEUDO,	/* with the IP pseudo-header: v3 IPv6, and v3 IPv4
				 * as keepalived 2.2 sends it by default */
};

enum vrrp_pkt_err {
	VRRP_PKT_OK = 0,
	VRRP_PKT_ELEN,		/* too short, or length disagrees with Count */
	VRRP_PKT_EVERSION,
	VRRP_PKT_ETYPE,
	VRRP_PKT_ECHECKSUM,
	VRRP_PKT_EFAMILY,	/* v2 over IPv6 */
};

struct vrrp_advert {
	uint8_t		 version;	/* 2 or 3 */
	uint8_t		 vrid;
	uint8_t		 priority;
	uint8_t		 naddr;
	uint16_t	 adver_int_cs;	/* centiseconds (v2: whole seconds x 100) */
	uint8_t		 auth_type;	/* v2 only */
	uint8_t		 auth_data[VRRP_V2_AUTH_LEN];
	int		 family;	/* of the addresses */
	const uint8_t	*addrs;		/* naddr addresses, in the parsed buffer */
};

/* The checksum form for a version and family (v3_as_v2: RFC 9568 IPv4). */
enum vrrp_csum	vrrp_pkt_csum_mode(unsigned version, int family, bool v3_as_v2);

/* Write the advertisement a (its addrs point at naddr packed addresses)
 * into buf.  src/dst are the IP addresses it is sent with (for the
 * pseudo-header).  Returns the length, or -1 if it does not fit. */
ssize_t	vrrp_pkt_build(uint8_t *buf, size_t len, const struct vrrp_advert *a,
	    const struct kl_addr *src, const struct kl_addr *dst, enum vrrp_csum csum);

/* Parse the message in buf (family of the IP packet it came in).  On
 * VRRP_PKT_OK, *a describes it.  Otherwise the reason is in err. */
enum vrrp_pkt_err vrrp_pkt_parse(const uint8_t *buf, size_t len, int family,
	    const struct kl_addr *src, const struct kl_addr *dst, enum vrrp_csum csum,
	    struct vrrp_advert *a, char *err, size_t errlen);

/* The i-th address of a parsed advertisement. */
void	vrrp_pkt_addr(const struct vrrp_advert *a, unsigned i, struct kl_addr *out);

/* RFC 1071 Internet checksum of a buffer, continuing from sum. */
uint32_t vrrp_csum_add(uint32_t sum, const void *buf, size_t len);
uint16_t vrrp_csum_fold(uint32_t sum);

#endif
