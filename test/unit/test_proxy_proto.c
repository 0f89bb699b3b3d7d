/* PROXY protocol headers (lib/proxy_proto.c): valid v1 and v2 headers at
 * every split point, each kind of malformed header refused, and the
 * encoder's output decoded back. */
#include "config.h"

#include <string.h>

#include "lib/proxy_proto.h"
#include "test/unit/tmain.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* v2 headers, as bytes: signature, ver_cmd, fam, length, block. */
#define SIG	"\r\n\r\n\0\r\nQUIT\n"
#define V2_TCP4	SIG "\x21\x11\x00\x0c" "\xc0\x00\x02\x32" "\xc0\x00\x02\x01" "\x30\x39\x00\x50"
#define V2_TCP6	SIG "\x21\x21\x00\x24" \
	"\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x50" \
	"\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01" "\x30\x39\x01\xbb"

struct good_case {
	const char	*in;
	size_t		 len;		/* of the header */
	unsigned	 version;
	bool		 has_addrs;
	const char	*src;
	const char	*dst;
	uint16_t	 sport, dport;
	const char	*why;
};

#define S(x)	x, sizeof(x) - 1
#define X10	"xxxxxxxxxx"
#define X91	X10 X10 X10 X10 X10 X10 X10 X10 X10 "x"
#define X92	X91 "x"

static const struct good_case good[] = {
	{ S("PROXY TCP4 192.0.2.50 192.0.2.1 12345 80\r\n"), 1, true, "192.0.2.50", "192.0.2.1",
	  12345, 80, "v1 TCP4" },
	{ S("PROXY TCP6 2001:db8::50 2001:db8::1 12345 443\r\n"), 1, true, "2001:db8::50",
	  "2001:db8::1", 12345, 443, "v1 TCP6" },
	{ S("PROXY TCP4 192.0.2.50 192.0.2.1 0 65535\r\n"), 1, true, "192.0.2.50", "192.0.2.1",
	  0, 65535, "v1 ports at both ends" },
	{ S("PROXY UNKNOWN\r\n"), 1, false, NULL, NULL, 0, 0, "v1 UNKNOWN" },
	{ S("PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n"), 1, false, NULL, NULL, 0, 0,
	  "v1 UNKNOWN: the rest is ignored" },
	{ S("PROXY UNKNOWN " X91 "\r\n"), 1, false, NULL, NULL, 0, 0, "v1 at 107 bytes" },
	{ S(V2_TCP4), 2, true, "192.0.2.50", "192.0.2.1", 12345, 80, "v2 TCP4" },
	{ S(V2_TCP6), 2, true, "2001:db8::50", "2001:db8::1", 12345, 443, "v2 TCP6" },
	{ S(SIG "\x21\x11\x00\x13" "\xc0\x00\x02\x32" "\xc0\x00\x02\x01" "\x30\x39\x00\x50"
	  "\x04\x00\x04" "abcd"), 2, true, "192.0.2.50", "192.0.2.1", 12345, 80,
	  "v2 with a TLV" },
	{ S(SIG "\x20\x00\x00\x00"), 2, false, NULL, NULL, 0, 0, "v2 LOCAL" },
	{ S(SIG "\x20\x11\x00\x03" "xyz"), 2, false, NULL, NULL, 0, 0,
	  "v2 LOCAL: its block is not read" },
	{ S(SIG "\x21\x00\x00\x00"), 2, false, NULL, NULL, 0, 0, "v2 PROXY UNSPEC" },
};

struct bad_case {
	const char	*in;
	size_t		 len;
	const char	*why;
};

static const struct bad_case bad[] = {
	{ S("proxy TCP4 192.0.2.50 192.0.2.1 1 80\r\n"), "lower-case magic" },
	{ S("PROXY TCP5 192.0.2.50 192.0.2.1 1 80\r\n"), "unknown protocol" },
	{ S("PROXY TCP4 192.0.2.50  192.0.2.1 1 80\r\n"), "two spaces" },
	{ S("PROXY TCP4 192.0.2.50 192.0.2.1 1 80 \r\n"), "a trailing space" },
	{ S("PROXY TCP4 192.0.2.50 192.0.2.1 1\r\n"), "a field missing" },
	{ S("PROXY TCP4 192.0.2.50 192.0.2.1 1 80 9\r\n"), "a field too many" },
	{ S("PROXY TCP4 192.0.2.50 192.0.2.1 01 80\r\n"), "a leading zero" },
	{ S("PROXY TCP4 192.0.2.50 192.0.2.1 65536 80\r\n"), "a port too large" },
	{ S("PROXY TCP4 192.0.2.50 192.0.2.1 -1 80\r\n"), "a signed port" },
	{ S("PROXY TCP4 2001:db8::50 192.0.2.1 1 80\r\n"), "an IPv6 address in TCP4" },
	{ S("PROXY TCP6 192.0.2.50 2001:db8::1 1 80\r\n"), "an IPv4 address in TCP6" },
	{ S("PROXY TCP4 192.0.2.300 192.0.2.1 1 80\r\n"), "not an address" },
	{ S("PROXY TCP4 192.0.2.50 192.0.2.1 1 80\n"), "a bare LF" },
	{ S("PROXY TCP4 192.0.2.50 192.0.2.1 1 80\rX"), "a bare CR" },
	{ S("PROXY \r\n"), "nothing after the magic" },
	{ S("PROXY UNKNOWN " X92 "\r\n"), "108 bytes, one past the limit" },
	{ S("GET / HTTP/1.1\r\n"), "not a PROXY header" },
	{ S(SIG "\x11\x11\x00\x0c" "\xc0\x00\x02\x32\xc0\x00\x02\x01\x30\x39\x00\x50"),
	  "v2: version 1 in the v2 format" },
	{ S(SIG "\x22\x11\x00\x0c" "\xc0\x00\x02\x32\xc0\x00\x02\x01\x30\x39\x00\x50"),
	  "v2: command 2" },
	{ S(SIG "\x21\x12\x00\x0c" "\xc0\x00\x02\x32\xc0\x00\x02\x01\x30\x39\x00\x50"),
	  "v2: UDP" },
	{ S(SIG "\x21\x31\x00\x0c" "\xc0\x00\x02\x32\xc0\x00\x02\x01\x30\x39\x00\x50"),
	  "v2: AF_UNIX" },
	{ S(SIG "\x21\x11\x00\x0b" "\xc0\x00\x02\x32\xc0\x00\x02\x01\x30\x39\x00"),
	  "v2: an address block too short" },
	{ S(SIG "\x21\x11\x00\x0e" "\xc0\x00\x02\x32\xc0\x00\x02\x01\x30\x39\x00\x50" "\x04\x00"),
	  "v2: a cut TLV" },
	{ S(SIG "\x21\x11\x00\x10" "\xc0\x00\x02\x32\xc0\x00\x02\x01\x30\x39\x00\x50"
	    "\x04\x00\x05" "a"), "v2: a TLV longer than the header" },
	{ S(SIG "\x21\x11\x02\x01"), "v2: a length past our limit" },
	{ S("\r\n\r\n\0\r\nQUIX\n"), "v2: a wrong signature" },
};

static void
assert_addr(const struct kl_addr *a, const char *want)
{
	char buf[ADDR_STRLEN];

	ck_assert_str_eq(addr_ntop(a, false, buf, sizeof(buf)), want);
}

/* Every prefix needs more; the whole is the header, with bytes after it
 * (a request) left alone. */
START_TEST(test_good)
{
	const struct good_case *c = &good[_i];
	struct proxy_hdr h;
	char buf[700];
	size_t k;

	for (k = 0; k < c->len; k++)
		ck_assert_msg(proxy_decode(c->in, k, &h) == 0, "%s: prefix %zu", c->why, k);
	memcpy(buf, c->in, c->len);
	memcpy(buf + c->len, "GET / HTTP/1.1\r\n", 16);
	ck_assert_msg(proxy_decode(buf, c->len + 16, &h) == (ssize_t)c->len, "%s", c->why);
	ck_assert_uint_eq(h.len, c->len);
	ck_assert_uint_eq(h.version, c->version);
	ck_assert_int_eq(h.has_addrs, c->has_addrs);
	if (!c->has_addrs)
		return;
	assert_addr(&h.src, c->src);
	assert_addr(&h.dst, c->dst);
	ck_assert_uint_eq(h.src_port, c->sport);
	ck_assert_uint_eq(h.dst_port, c->dport);
}
END_TEST

/* Refused once whole, and never taken for a header at any prefix. */
START_TEST(test_bad)
{
	const struct bad_case *c = &bad[_i];
	struct proxy_hdr h;
	size_t k;

	ck_assert_msg(proxy_decode(c->in, c->len, &h) == -1, "%s", c->why);
	for (k = 0; k < c->len; k++)
		ck_assert_msg(proxy_decode(c->in, k, &h) <= 0, "%s: prefix %zu", c->why, k);
}
END_TEST

START_TEST(test_roundtrip)
{
	static const char *const pairs[][2] = {
		{ "192.0.2.50", "192.0.2.1" }, { "2001:db8::50", "2001:db8::1" },
	};
	unsigned v;
	size_t i;

	for (i = 0; i < NELEM(pairs); i++)
		for (v = PROXY_V1; v <= PROXY_V2; v++) {
			struct kl_addr src, dst;
			struct proxy_hdr h;
			char buf[PROXY_V2_MAX];
			ssize_t n;

			ck_assert_int_eq(addr_parse(pairs[i][0], &src), 0);
			ck_assert_int_eq(addr_parse(pairs[i][1], &dst), 0);
			n = proxy_encode(buf, sizeof(buf), v, &src, 40000, &dst, 8080);
			ck_assert_int_gt(n, 0);
			ck_assert_int_eq(proxy_decode(buf, (size_t)n, &h), n);
			ck_assert_uint_eq(h.version, v);
			ck_assert(h.has_addrs);
			assert_addr(&h.src, pairs[i][0]);
			assert_addr(&h.dst, pairs[i][1]);
			ck_assert_uint_eq(h.src_port, 40000);
			ck_assert_uint_eq(h.dst_port, 8080);
			/* No room: refused, not truncated. */
			ck_assert_int_eq(proxy_encode(buf, (size_t)n - 1, v, &src, 40000, &dst,
			    8080), -1);
		}
}
END_TEST

/* Two families cannot be said: UNKNOWN / LOCAL, which carry no client. */
START_TEST(test_encode_mixed_families)
{
	struct kl_addr v4, v6;
	struct proxy_hdr h;
	char buf[PROXY_V2_MAX];
	ssize_t n;
	unsigned v;

	ck_assert_int_eq(addr_parse("192.0.2.50", &v4), 0);
	ck_assert_int_eq(addr_parse("2001:db8::1", &v6), 0);
	for (v = PROXY_V1; v <= PROXY_V2; v++) {
		n = proxy_encode(buf, sizeof(buf), v, &v4, 1, &v6, 2);
		ck_assert_int_gt(n, 0);
		ck_assert_int_eq(proxy_decode(buf, (size_t)n, &h), n);
		ck_assert_uint_eq(h.version, v);
		ck_assert(!h.has_addrs);
	}
	ck_assert_int_eq(memcmp(buf, SIG "\x20\x00\x00\x00", 16), 0);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("proxy_proto");
	TCase *tc = tcase_create("proxy_proto");

	tcase_add_loop_test(tc, test_good, 0, NELEM(good));
	tcase_add_loop_test(tc, test_bad, 0, NELEM(bad));
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_encode_mixed_families);
	suite_add_tcase(s, tc);
	return s;
}
