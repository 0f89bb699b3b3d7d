/* VRRP codec against adverts captured from keepalived 2.2.7 (see
 * vectors/capture-keepalived.sh), then every malformation. */
#include "config.h"

#include <string.h>

#include "vrrp/vrrp_packet.h"
#include "test/unit/tmain.h"

/* v2, VRID 42, prio 200, PASS "secret1", 1 s, 192.0.2.100 and .101,
 * sent 192.0.2.1 -> 224.0.0.18. */
static const uint8_t v2_ipv4[] = {
	0x21, 0x2a, 0xc8, 0x02, 0x01, 0x01, 0x23, 0xbb, 0xc0, 0x00, 0x02, 0x64,
	0xc0, 0x00, 0x02, 0x65, 0x73, 0x65, 0x63, 0x72, 0x65, 0x74, 0x31, 0x00,
};
/* v3, same, no auth: keepalived's default IPv4 pseudo-header checksum. */
static const uint8_t v3_ipv4[] = {
	0x31, 0x2a, 0xc8, 0x02, 0x00, 0x64, 0xdf, 0x0f, 0xc0, 0x00, 0x02, 0x64,
	0xc0, 0x00, 0x02, 0x65,
};
/* v3 IPv6, VIP 2001:db8::100, fe80::a881:2fff:fe98:cde1 -> ff02::12. */
static const uint8_t v3_ipv6[] = {
	0x31, 0x2a, 0xc8, 0x01, 0x00, 0x64, 0x34, 0x9d, 0x20, 0x01, 0x0d, 0xb8,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
};

struct vector {
	const char	*name;
	const uint8_t	*bytes;
	size_t		 len;
	int		 family;
	const char	*src, *dst;
	unsigned	 version;
	unsigned	 naddr;
};

static const struct vector vectors[] = {
	{ "v2 IPv4", v2_ipv4, sizeof(v2_ipv4), AF_INET, "192.0.2.1", "224.0.0.18", 2, 2 },
	{ "v3 IPv4", v3_ipv4, sizeof(v3_ipv4), AF_INET, "192.0.2.1", "224.0.0.18", 3, 2 },
	{ "v3 IPv6", v3_ipv6, sizeof(v3_ipv6), AF_INET6, "fe80::a881:2fff:fe98:cde1",
	  "ff02::12", 3, 1 },
};
#define NVECTORS (int)(sizeof(vectors) / sizeof(vectors[0]))

static enum vrrp_pkt_err
parse_vector(const struct vector *v, const uint8_t *buf, size_t len, bool as_v2,
    struct vrrp_advert *a, char *err)
{
	struct kl_addr src, dst;

	ck_assert_int_eq(addr_parse(v->src, &src), 0);
	ck_assert_int_eq(addr_parse(v->dst, &dst), 0);
	return vrrp_pkt_parse(buf, len, v->family, &src, &dst,
	    vrrp_pkt_csum_mode(v->version, v->family, as_v2), a, err, 128);
}

START_TEST(test_parse_keepalived)
{
	const struct vector *v = &vectors[_i];
	struct vrrp_advert a;
	struct kl_addr vip;
	char err[128] = "", buf[ADDR_STRLEN];

	ck_assert_msg(parse_vector(v, v->bytes, v->len, false, &a, err) == VRRP_PKT_OK,
	    "%s: %s", v->name, err);
	ck_assert_uint_eq(a.version, v->version);
	ck_assert_uint_eq(a.vrid, 42);
	ck_assert_uint_eq(a.priority, 200);
	ck_assert_uint_eq(a.naddr, v->naddr);
	ck_assert_uint_eq(a.adver_int_cs, 100);
	vrrp_pkt_addr(&a, 0, &vip);
	ck_assert_str_eq(addr_ntop(&vip, false, buf, sizeof(buf)),
	    v->family == AF_INET ? "192.0.2.100" : "2001:db8::100");
	if (v->version == 2) {
		ck_assert_uint_eq(a.auth_type, VRRP_AUTH_PASS);
		ck_assert_mem_eq(a.auth_data, "secret1", 8);
	}
}
END_TEST

/* What we build is byte for byte what keepalived sends. */
START_TEST(test_build_matches_keepalived)
{
	const struct vector *v = &vectors[_i];
	struct vrrp_advert a;
	struct kl_addr src, dst;
	uint8_t out[VRRP_MAX_PKT_LEN];
	ssize_t n;

	ck_assert_int_eq(parse_vector(v, v->bytes, v->len, false, &a, NULL), VRRP_PKT_OK);
	addr_parse(v->src, &src);
	addr_parse(v->dst, &dst);
	n = vrrp_pkt_build(out, sizeof(out), &a, &src, &dst,
	    vrrp_pkt_csum_mode(v->version, v->family, false));
	ck_assert_int_eq(n, (ssize_t)v->len);
	ck_assert_mem_eq(out, v->bytes, v->len);
	ck_assert_int_eq(vrrp_pkt_build(out, v->len - 1, &a, &src, &dst, VRRP_CSUM_MSG), -1);
}
END_TEST

/* Every truncation and every extension of a valid advert is a length error. */
START_TEST(test_every_length)
{
	const struct vector *v = &vectors[_i];
	uint8_t buf[64];
	struct vrrp_advert a;
	size_t len;

	memcpy(buf, v->bytes, v->len);
	buf[v->len] = 0;
	for (len = 0; len <= v->len + 1; len++) {
		enum vrrp_pkt_err e = parse_vector(v, buf, len, false, &a, NULL);

		ck_assert_msg((len == v->len) == (e == VRRP_PKT_OK), "%s len %zu: %d",
		    v->name, len, e);
		if (len != v->len)
			ck_assert_int_eq(e, VRRP_PKT_ELEN);
	}
}
END_TEST

/* Any single flipped bit is caught (by the checksum, or earlier). */
START_TEST(test_every_bit_flip)
{
	const struct vector *v = &vectors[_i];
	uint8_t buf[64];
	struct vrrp_advert a;
	size_t bit;

	for (bit = 0; bit < v->len * 8; bit++) {
		memcpy(buf, v->bytes, v->len);
		buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		ck_assert_msg(parse_vector(v, buf, v->len, false, &a, NULL) != VRRP_PKT_OK,
		    "%s: bit %zu flipped went unnoticed", v->name, bit);
	}
}
END_TEST

START_TEST(test_rfc9568_checksum_differs)
{
	struct vrrp_advert a;
	char err[128];

	/* keepalived's default v3 IPv4 checksum is not the RFC 9568 one. */
	ck_assert_int_eq(parse_vector(&vectors[1], v3_ipv4, sizeof(v3_ipv4), true, &a, err),
	    VRRP_PKT_ECHECKSUM);
	ck_assert_ptr_nonnull(strstr(err, "checksum"));
}
END_TEST

START_TEST(test_rfc9568_round_trip)
{
	struct vrrp_advert a;
	struct kl_addr src, dst;
	uint8_t out[64];
	ssize_t n;

	ck_assert_int_eq(parse_vector(&vectors[1], v3_ipv4, sizeof(v3_ipv4), false, &a, NULL),
	    VRRP_PKT_OK);
	addr_parse("192.0.2.1", &src);
	addr_parse("224.0.0.18", &dst);
	n = vrrp_pkt_build(out, sizeof(out), &a, &src, &dst, VRRP_CSUM_MSG);
	ck_assert_int_eq(n, (ssize_t)sizeof(v3_ipv4));
	ck_assert_int_eq(parse_vector(&vectors[1], out, (size_t)n, true, &a, NULL), VRRP_PKT_OK);
	ck_assert_int_eq(parse_vector(&vectors[1], out, (size_t)n, false, &a, NULL),
	    VRRP_PKT_ECHECKSUM);
}
END_TEST

START_TEST(test_bad_version_type_family)
{
	uint8_t buf[sizeof(v3_ipv4)];
	struct vrrp_advert a;
	char err[128];

	memcpy(buf, v3_ipv4, sizeof(buf));
	buf[0] = 0x41;
	ck_assert_int_eq(parse_vector(&vectors[1], buf, sizeof(buf), false, &a, err),
	    VRRP_PKT_EVERSION);
	buf[0] = 0x32;
	ck_assert_int_eq(parse_vector(&vectors[1], buf, sizeof(buf), false, &a, err),
	    VRRP_PKT_ETYPE);
	/* v2 exists only for IPv4 (RFC 3768). */
	ck_assert_int_eq(parse_vector(&vectors[2], v2_ipv4, sizeof(v2_ipv4), false, &a, err),
	    VRRP_PKT_EFAMILY);
}
END_TEST

START_TEST(test_v3_reserved_bits_ignored)
{
	struct vrrp_advert a = {
		.version = 3, .vrid = 7, .priority = 100, .naddr = 0,
		.adver_int_cs = 0xf000 | 10, .family = AF_INET,
	};
	struct kl_addr src, dst;
	uint8_t out[16];

	addr_parse("192.0.2.1", &src);
	addr_parse("224.0.0.18", &dst);
	ck_assert_int_eq(vrrp_pkt_build(out, sizeof(out), &a, &src, &dst, VRRP_CSUM_MSG), 8);
	ck_assert_uint_eq(out[4], 0);	/* Rsvd sent as zero */
	out[4] |= 0xf0;			/* and ignored on receipt */
	out[6] = out[7] = 0;
	{
		uint16_t s = vrrp_csum_fold(vrrp_csum_add(0, out, 8));

		out[6] = (uint8_t)(s >> 8);
		out[7] = (uint8_t)s;
	}
	ck_assert_int_eq(vrrp_pkt_parse(out, 8, AF_INET, &src, &dst, VRRP_CSUM_MSG, &a, NULL, 0),
	    VRRP_PKT_OK);
	ck_assert_uint_eq(a.adver_int_cs, 10);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("vrrp_packet");
	TCase *tc = tcase_create("codec");

	tcase_add_loop_test(tc, test_parse_keepalived, 0, NVECTORS);
	tcase_add_loop_test(tc, test_build_matches_keepalived, 0, NVECTORS);
	tcase_add_loop_test(tc, test_every_length, 0, NVECTORS);
	tcase_add_loop_test(tc, test_every_bit_flip, 0, NVECTORS);
	tcase_add_test(tc, test_rfc9568_checksum_differs);
	tcase_add_test(tc, test_rfc9568_round_trip);
	tcase_add_test(tc, test_bad_version_type_family);
	tcase_add_test(tc, test_v3_reserved_bits_ignored);
	suite_add_tcase(s, tc);
	return s;
}
