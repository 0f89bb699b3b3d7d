/* libFuzzer harness: the VRRP advertisement decoder (vrrp/vrrp_packet.c),
 * fed the bytes after the IP header as vrrp_net_recv() passes them.
 *
 * Every input is parsed four times: IPv4 (192.0.2.1 -> 224.0.0.18) and
 * IPv6 (fe80::1 -> ff02::12), each with both checksum forms.  What parses
 * is checked for the codec's round trip: vrrp_pkt_build() of the parsed
 * advert gives back the input bytes, checksum included.  Two exceptions
 * that are not bugs:
 *   - v3's 4 reserved bits (high nibble of byte 4) are ignored on parse
 *     and sent as zero, so when they are set the checksum differs too;
 *     then the rest must match and the rebuilt message must parse.
 *   - one's complement has two zeros: when the other words sum to 0xffff
 *     the checksum field may be 0x0000 or 0xffff, both verify, and build
 *     writes 0x0000 (RFC 1071/1624).
 * Build and run: `make fuzz` / `make fuzz-regress` (test/fuzz/fuzz.mk).
 */
#include "config.h"

#include "test/fuzz/fuzz.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/addr.h"
#include "vrrp/vrrp_packet.h"


struct endpoints {
	int		family;
	struct kl_addr	src, dst;
};

static struct endpoints ep4, ep6;

static void
endpoints_init(void)
{
	static int done;

	if (done)
		return;
	FUZZ_ASSERT(addr_parse("192.0.2.1", &ep4.src) == 0);
	FUZZ_ASSERT(addr_parse("224.0.0.18", &ep4.dst) == 0);
	ep4.family = AF_INET;
	FUZZ_ASSERT(addr_parse("fe80::1", &ep6.src) == 0);
	FUZZ_ASSERT(addr_parse("ff02::12", &ep6.dst) == 0);
	ep6.family = AF_INET6;
	done = 1;
}

static void
check_round_trip(const uint8_t *in, size_t len, const struct endpoints *ep,
    enum vrrp_csum csum, const struct vrrp_advert *a)
{
	uint8_t out[VRRP_MAX_PKT_LEN];
	struct vrrp_advert again;
	uint8_t reserved = a->version == 3 ? in[4] & 0xf0 : 0;
	ssize_t n;
	size_t i;

	n = vrrp_pkt_build(out, sizeof(out), a, &ep->src, &ep->dst, csum);
	FUZZ_ASSERT(n == (ssize_t)len);
	/* One byte short does not fit. */
	FUZZ_ASSERT(vrrp_pkt_build(out, len - 1, a, &ep->src, &ep->dst, csum) == -1);
	n = vrrp_pkt_build(out, len, a, &ep->src, &ep->dst, csum);
	FUZZ_ASSERT(n == (ssize_t)len);

	for (i = 0; i < len; i++) {
		if (i == 6 || i == 7)
			continue;			/* checksum: below */
		if (i == 4)
			FUZZ_ASSERT(out[4] == (in[4] & ~reserved));
		else
			FUZZ_ASSERT(out[i] == in[i]);
	}
	if (reserved == 0) {
		uint16_t sin = (uint16_t)(in[6] << 8 | in[7]);
		uint16_t sout = (uint16_t)(out[6] << 8 | out[7]);

		FUZZ_ASSERT(sin == sout || (sin == 0xffff && sout == 0x0000));
	}

	/* What we build parses, to the same advert. */
	FUZZ_ASSERT(vrrp_pkt_parse(out, len, ep->family, &ep->src, &ep->dst, csum, &again,
	    NULL, 0) == VRRP_PKT_OK);
	FUZZ_ASSERT(again.version == a->version && again.vrid == a->vrid &&
	    again.priority == a->priority && again.naddr == a->naddr &&
	    again.adver_int_cs == a->adver_int_cs && again.auth_type == a->auth_type &&
	    again.family == a->family);
	FUZZ_ASSERT(memcmp(again.auth_data, a->auth_data, sizeof(a->auth_data)) == 0);
}

static void
fuzz_one(const uint8_t *in, size_t len, const struct endpoints *ep, enum vrrp_csum csum)
{
	struct vrrp_advert a;
	struct kl_addr addr;
	char err[128];
	size_t alen = ep->family == AF_INET6 ? 16 : 4;
	enum vrrp_pkt_err rc;
	unsigned i;

	memset(err, 'x', sizeof(err));
	rc = vrrp_pkt_parse(in, len, ep->family, &ep->src, &ep->dst, csum, &a, err,
	    sizeof(err));
	if (rc != VRRP_PKT_OK) {
		FUZZ_ASSERT(rc >= VRRP_PKT_ELEN && rc <= VRRP_PKT_EFAMILY);
		FUZZ_ASSERT(memchr(err, '\0', sizeof(err)) != NULL);
		/* Without an error buffer too. */
		FUZZ_ASSERT(vrrp_pkt_parse(in, len, ep->family, &ep->src, &ep->dst, csum, &a,
		    NULL, 0) == rc);
		return;
	}

	FUZZ_ASSERT(a.version == 2 || a.version == 3);
	FUZZ_ASSERT(a.version == 3 || ep->family == AF_INET);
	FUZZ_ASSERT(a.family == ep->family);
	FUZZ_ASSERT(a.addrs == in + VRRP_HDR_LEN);
	FUZZ_ASSERT(len == VRRP_HDR_LEN + a.naddr * alen +
	    (a.version == 2 ? VRRP_V2_AUTH_LEN : 0));
	for (i = 0; i < a.naddr; i++) {
		size_t blen;
		const void *b;

		vrrp_pkt_addr(&a, i, &addr);
		FUZZ_ASSERT(addr.family == ep->family);
		FUZZ_ASSERT(addr.prefix == alen * 8);
		b = addr_bytes(&addr, &blen);
		FUZZ_ASSERT(blen == alen);
		FUZZ_ASSERT(memcmp(b, in + VRRP_HDR_LEN + i * alen, alen) == 0);
	}
	check_round_trip(in, len, ep, csum, &a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum vrrp_csum modes[] = { VRRP_CSUM_MSG, VRRP_CSUM_PSEUDO };
	size_t m;

	endpoints_init();
	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		fuzz_one(data, size, &ep4, modes[m]);
		fuzz_one(data, size, &ep6, modes[m]);
	}
	return 0;
}
