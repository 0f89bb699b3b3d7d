/* VRRP advertisement codec; see vrrp_packet.h.  Wire formats:
 *
 *   v2 (RFC 3768 5.1)                   v3 (RFC 5798 5.1)
 *   |Ver|Type| VRID | Prio | Count |    |Ver|Type| VRID | Prio | Count |
 *   | AuthType | AdvInt | Checksum |    |Rsvd| MaxAdvInt(12) | Checksum |
 *   | IPv4 address 1..Count        |    | IPvX address 1..Count         |
 *   | Authentication data (8)      |
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "vrrp/vrrp_packet.h"

uint32_t
vrrp_csum_add(uint32_t sum, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (len == 1)
		sum += (uint32_t)(p[0] << 8);
	return sum;
}

uint16_t
vrrp_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

enum vrrp_csum
vrrp_pkt_csum_mode(unsigned version, int family, bool v3_as_v2)
{
	if (version == 2 || (family == AF_INET && v3_as_v2))
		return VRRP_CSUM_MSG;
	return VRRP_CSUM_PSEUDO;
}

/* RFC 5798 5.2.8: the pseudo-header of RFC 2460 8.1 for IPv6; keepalived
 * uses the IPv4 one of RFC 768 for v3 over IPv4. */
static uint32_t
pseudo_header_sum(const struct kl_addr *src, const struct kl_addr *dst, size_t len)
{
	size_t alen;
	const void *s = addr_bytes(src, &alen), *d = addr_bytes(dst, &alen);
	uint32_t sum = 0;

	sum = vrrp_csum_add(sum, s, alen);
	sum = vrrp_csum_add(sum, d, alen);
	sum += VRRP_PROTO;
	sum += (uint32_t)len;
	return sum;
}

static uint16_t
pkt_checksum(const uint8_t *buf, size_t len, const struct kl_addr *src,
    const struct kl_addr *dst, enum vrrp_csum csum)
{
	uint32_t sum = csum == VRRP_CSUM_PSEUDO ? pseudo_header_sum(src, dst, len) : 0;

	return vrrp_csum_fold(vrrp_csum_add(sum, buf, len));
}

static size_t
addr_len(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

ssize_t
vrrp_pkt_build(uint8_t *buf, size_t len, const struct vrrp_advert *a,
    const struct kl_addr *src, const struct kl_addr *dst, enum vrrp_csum csum)
{
	size_t alen = addr_len(a->family) * a->naddr;
	size_t total = VRRP_HDR_LEN + alen + (a->version == 2 ? VRRP_V2_AUTH_LEN : 0);
	uint16_t sum;

	if (total > len)
		return -1;
	buf[0] = (uint8_t)(a->version << 4 | VRRP_TYPE_ADVERT);
	buf[1] = a->vrid;
	buf[2] = a->priority;
	buf[3] = a->naddr;
	if (a->version == 2) {
		buf[4] = a->auth_type;
		buf[5] = (uint8_t)(a->adver_int_cs / 100);
	} else {
		uint16_t mai = a->adver_int_cs & VRRP_V3_MAX_INT_CS;	/* Rsvd = 0 */

		buf[4] = (uint8_t)(mai >> 8);
		buf[5] = (uint8_t)mai;
	}
	buf[6] = buf[7] = 0;
	if (alen > 0)		/* addrs may be NULL with no address */
		memcpy(buf + VRRP_HDR_LEN, a->addrs, alen);
	if (a->version == 2)
		memcpy(buf + VRRP_HDR_LEN + alen, a->auth_data, VRRP_V2_AUTH_LEN);
	sum = pkt_checksum(buf, total, src, dst, csum);
	buf[6] = (uint8_t)(sum >> 8);
	buf[7] = (uint8_t)sum;
	return (ssize_t)total;
}

#define PKT_FAIL(code, ...) do {				\
	if (err != NULL)					\
		snprintf(err, errlen, __VA_ARGS__);		\
	return (code);						\
} while (0)

enum vrrp_pkt_err
vrrp_pkt_parse(const uint8_t *buf, size_t len, int family,
    const struct kl_addr *src, const struct kl_addr *dst, enum vrrp_csum csum,
    struct vrrp_advert *a, char *err, size_t errlen)
{
	size_t need;

	if (len < VRRP_HDR_LEN)
		PKT_FAIL(VRRP_PKT_ELEN, "%zu bytes is shorter than a VRRP header", len);
	memset(a, 0, sizeof(*a));
	a->version = buf[0] >> 4;
	if (a->version != 2 && a->version != 3)
		PKT_FAIL(VRRP_PKT_EVERSION, "version %u", a->version);
	if ((buf[0] & 0x0f) != VRRP_TYPE_ADVERT)
		PKT_FAIL(VRRP_PKT_ETYPE, "type %u is not an advertisement", buf[0] & 0x0f);
	if (a->version == 2 && family != AF_INET)
		PKT_FAIL(VRRP_PKT_EFAMILY, "VRRP version 2 over IPv6");
	a->vrid = buf[1];
	a->priority = buf[2];
	a->naddr = buf[3];
	a->family = family;
	need = VRRP_HDR_LEN + a->naddr * addr_len(family) +
	    (a->version == 2 ? VRRP_V2_AUTH_LEN : 0);
	/* keepalived sends exactly this; a longer datagram hides something. */
	if (len != need)
		PKT_FAIL(VRRP_PKT_ELEN, "%zu bytes for %u addresses (expected %zu)", len,
		    a->naddr, need);
	if (a->version == 2) {
		a->auth_type = buf[4];
		a->adver_int_cs = (uint16_t)(buf[5] * 100);
		memcpy(a->auth_data, buf + need - VRRP_V2_AUTH_LEN, VRRP_V2_AUTH_LEN);
	} else {
		a->adver_int_cs = (uint16_t)((buf[4] << 8 | buf[5]) & VRRP_V3_MAX_INT_CS);
	}
	a->addrs = buf + VRRP_HDR_LEN;
	/* A correct checksum sums, with the checksum field, to zero. */
	if (pkt_checksum(buf, len, src, dst, csum) != 0)
		PKT_FAIL(VRRP_PKT_ECHECKSUM, "bad checksum 0x%02x%02x", buf[6], buf[7]);
	return VRRP_PKT_OK;
}

void
vrrp_pkt_addr(const struct vrrp_advert *a, unsigned i, struct kl_addr *out)
{
	size_t alen = addr_len(a->family);

	memset(out, 0, sizeof(*out));
	out->family = a->family;
	out->prefix = (uint8_t)(alen * 8);
	memcpy(&out->u, a->addrs + i * alen, alen);
}
