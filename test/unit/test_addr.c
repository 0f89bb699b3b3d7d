/* Unit tests of lib/addr.c: parsing, matching and formatting addresses. */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/un.h>

#include "lib/addr.h"
#include "test/unit/tmain.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* addr_parse / addr_parse_prefix ------------------------------------------------- */

struct prefix_case {
	const char	*in;
	int		 rc;		/* 0 or -1 */
	int		 family;
	int		 prefix;
	const char	*out;		/* addr_ntop(with_prefix) of the result */
};

static const struct prefix_case addr_cases[] = {
	{ "192.0.2.1",		 0, AF_INET,  32,  "192.0.2.1" },
	{ "0.0.0.0",		 0, AF_INET,  32,  "0.0.0.0" },
	{ "255.255.255.255",	 0, AF_INET,  32,  "255.255.255.255" },
	{ "2001:db8::1",	 0, AF_INET6, 128, "2001:db8::1" },
	{ "2001:DB8:0:0:0:0:0:1", 0, AF_INET6, 128, "2001:db8::1" },
	{ "::",			 0, AF_INET6, 128, "::" },
	{ "::ffff:192.0.2.1",	 0, AF_INET6, 128, "::ffff:192.0.2.1" },
	{ "",			-1, 0, 0, NULL },
	{ "192.0.2",		-1, 0, 0, NULL },
	{ "192.0.2.256",	-1, 0, 0, NULL },
	{ "192.0.2.1 ",		-1, 0, 0, NULL },
	{ " 192.0.2.1",		-1, 0, 0, NULL },
	{ "192.0.2.1/24",	-1, 0, 0, NULL },
	{ "2001:db8:::1",	-1, 0, 0, NULL },
	{ "host.example",	-1, 0, 0, NULL },
};

START_TEST(test_addr_parse)
{
	const struct prefix_case *c = &addr_cases[_i];
	struct kl_addr a;
	char buf[ADDR_STRLEN];

	ck_assert_msg(addr_parse(c->in, &a) == c->rc, "addr_parse('%s') != %d", c->in, c->rc);
	if (c->rc == -1)
		return;
	ck_assert_int_eq(a.family, c->family);
	ck_assert_int_eq(a.prefix, c->prefix);
	ck_assert(addr_is_set(&a));
	ck_assert_str_eq(addr_ntop(&a, true, buf, sizeof(buf)), c->out);
}
END_TEST

static const struct prefix_case prefix_cases[] = {
	{ "192.0.2.0/24",	 0, AF_INET,  24,  "192.0.2.0/24" },
	{ "192.0.2.7",		 0, AF_INET,  32,  "192.0.2.7" },
	{ "192.0.2.7/32",	 0, AF_INET,  32,  "192.0.2.7" },
	{ "0.0.0.0/0",		 0, AF_INET,  0,   "0.0.0.0/0" },
	{ "192.0.2.1/08",	 0, AF_INET,  8,   "192.0.2.1/8" },
	{ "2001:db8::/32",	 0, AF_INET6, 32,  "2001:db8::/32" },
	{ "2001:db8::1/128",	 0, AF_INET6, 128, "2001:db8::1" },
	{ "::/0",		 0, AF_INET6, 0,   "::/0" },
	{ "fe80::1/64",		 0, AF_INET6, 64,  "fe80::1/64" },
	{ "192.0.2.0/33",	-1, 0, 0, NULL },
	{ "2001:db8::/129",	-1, 0, 0, NULL },
	{ "",			-1, 0, 0, NULL },
	{ "/24",		-1, 0, 0, NULL },
	{ "garbage",		-1, 0, 0, NULL },
	{ "garbage/24",		-1, 0, 0, NULL },
	{ "192.0.2.0/",		-1, 0, 0, NULL },
	{ "192.0.2.0/24x",	-1, 0, 0, NULL },
	{ "192.0.2.0/24 ",	-1, 0, 0, NULL },
	{ "192.0.2.0/ 24",	-1, 0, 0, NULL },
	{ "192.0.2.0/+24",	-1, 0, 0, NULL },
	{ "192.0.2.0/-1",	-1, 0, 0, NULL },
	{ "192.0.2.0/24/8",	-1, 0, 0, NULL },
	{ "192.0.2.0/99999999999999999999", -1, 0, 0, NULL },
	/* Longer than any address: refused before copying. */
	{ "2001:0db8:0000:0000:0000:0000:0000:0001/128000000000000000", -1, 0, 0, NULL },
};

START_TEST(test_addr_parse_prefix)
{
	const struct prefix_case *c = &prefix_cases[_i];
	struct kl_addr a;
	char buf[ADDR_STRLEN];

	ck_assert_msg(addr_parse_prefix(c->in, &a) == c->rc, "addr_parse_prefix('%s') != %d",
	    c->in, c->rc);
	if (c->rc == -1)
		return;
	ck_assert_int_eq(a.family, c->family);
	ck_assert_int_eq(a.prefix, c->prefix);
	ck_assert_str_eq(addr_ntop(&a, true, buf, sizeof(buf)), c->out);
}
END_TEST

/* addr_parse_port / addr_parse_hostport -------------------------------------------- */

struct port_case {
	const char	*in;
	int		 rc;
	unsigned	 port;
};

static const struct port_case port_cases[] = {
	{ "1",		 0, 1 },
	{ "80",		 0, 80 },
	{ "0080",	 0, 80 },
	{ "65535",	 0, 65535 },
	{ "0",		-1, 0 },
	{ "00",		-1, 0 },
	{ "65536",	-1, 0 },
	{ "99999999999999999999999", -1, 0 },
	{ "-1",		-1, 0 },
	{ "+80",	-1, 0 },
	{ " 80",	-1, 0 },
	{ "80 ",	-1, 0 },
	{ "80x",	-1, 0 },
	{ "http",	-1, 0 },
	{ "",		-1, 0 },
};

START_TEST(test_addr_parse_port)
{
	const struct port_case *c = &port_cases[_i];
	uint16_t port = 4242;

	ck_assert_msg(addr_parse_port(c->in, &port) == c->rc, "addr_parse_port('%s') != %d",
	    c->in, c->rc);
	/* A failed parse leaves the output alone. */
	ck_assert_uint_eq(port, c->rc == 0 ? c->port : 4242);
}
END_TEST

struct hostport_case {
	const char	*in;
	int		 rc;
	int		 family;
	const char	*addr;
	unsigned	 port;
};

static const struct hostport_case hostport_cases[] = {
	{ "192.0.2.1:80",		 0, AF_INET,  "192.0.2.1", 80 },
	{ "0.0.0.0:9100",		 0, AF_INET,  "0.0.0.0", 9100 },
	{ "[2001:db8::1]:443",		 0, AF_INET6, "2001:db8::1", 443 },
	{ "[::]:65535",			 0, AF_INET6, "::", 65535 },
	{ "2001:db8::1:80",		-1, 0, NULL, 0 },	/* bare IPv6 */
	{ "::1:80",			-1, 0, NULL, 0 },
	{ "[192.0.2.1]:80",		-1, 0, NULL, 0 },	/* brackets are for IPv6 */
	{ "192.0.2.1",			-1, 0, NULL, 0 },
	{ "192.0.2.1:",			-1, 0, NULL, 0 },
	{ "192.0.2.1:0",		-1, 0, NULL, 0 },
	{ "192.0.2.1:65536",		-1, 0, NULL, 0 },
	{ "192.0.2.1:http",		-1, 0, NULL, 0 },
	{ "[2001:db8::1]",		-1, 0, NULL, 0 },
	{ "[2001:db8::1]80",		-1, 0, NULL, 0 },
	{ "[2001:db8::1:80",		-1, 0, NULL, 0 },
	{ "[]:80",			-1, 0, NULL, 0 },
	{ ":80",			-1, 0, NULL, 0 },
	{ "localhost:80",		-1, 0, NULL, 0 },
	{ "",				-1, 0, NULL, 0 },
};

START_TEST(test_addr_parse_hostport)
{
	const struct hostport_case *c = &hostport_cases[_i];
	struct kl_addr a;
	uint16_t port = 0;
	char buf[ADDR_STRLEN];

	ck_assert_msg(addr_parse_hostport(c->in, &a, &port) == c->rc,
	    "addr_parse_hostport('%s') != %d", c->in, c->rc);
	if (c->rc == -1)
		return;
	ck_assert_int_eq(a.family, c->family);
	ck_assert_str_eq(addr_ntop(&a, false, buf, sizeof(buf)), c->addr);
	ck_assert_uint_eq(port, c->port);
}
END_TEST

/* Matching ---------------------------------------------------------------------- */

struct in_prefix_case {
	const char	*addr;
	const char	*net;
	bool		 in;
};

static const struct in_prefix_case in_prefix_cases[] = {
	{ "192.0.2.77",		"192.0.2.0/24",		true },
	{ "192.0.2.0",		"192.0.2.0/24",		true },
	{ "192.0.2.255",	"192.0.2.0/24",		true },
	{ "192.0.3.0",		"192.0.2.0/24",		false },
	{ "192.0.2.127",	"192.0.2.0/25",		true },
	{ "192.0.2.128",	"192.0.2.0/25",		false },
	{ "192.0.2.129",	"192.0.2.128/31",	true },
	{ "192.0.2.130",	"192.0.2.128/31",	false },
	{ "192.0.2.1",		"192.0.2.1/32",		true },
	{ "192.0.2.2",		"192.0.2.1/32",		false },
	{ "203.0.113.9",	"0.0.0.0/0",		true },
	{ "2001:db8::1",	"0.0.0.0/0",		false },
	{ "2001:db8:1::5",	"2001:db8::/32",	true },
	{ "2001:db9::5",	"2001:db8::/32",	false },
	{ "2001:db8::1",	"2001:db8::/127",	true },
	{ "2001:db8::2",	"2001:db8::/127",	false },
	{ "2001:db8::7f",	"2001:db8::/121",	true },
	{ "2001:db8::80",	"2001:db8::/121",	false },
	{ "::1",		"::/0",			true },
	{ "192.0.2.1",		"::/0",			false },
	{ "::ffff:192.0.2.1",	"192.0.2.0/24",		false },
};

START_TEST(test_addr_in_prefix)
{
	const struct in_prefix_case *c = &in_prefix_cases[_i];
	struct kl_addr a, net;

	ck_assert_int_eq(addr_parse(c->addr, &a), 0);
	ck_assert_int_eq(addr_parse_prefix(c->net, &net), 0);
	ck_assert_msg(addr_in_prefix(&a, &net) == c->in, "%s in %s should be %s", c->addr,
	    c->net, c->in ? "true" : "false");
}
END_TEST

START_TEST(test_addr_in_prefix_unset)
{
	struct kl_addr unset, net;

	memset(&unset, 0, sizeof(unset));
	ck_assert_int_eq(addr_parse_prefix("0.0.0.0/0", &net), 0);
	ck_assert(!addr_in_prefix(&unset, &net));
	ck_assert(!addr_in_prefix(&unset, &unset));
	ck_assert(!addr_is_set(&unset));
}
END_TEST

struct equal_case {
	const char	*a;
	const char	*b;
	bool		 equal;
};

static const struct equal_case equal_cases[] = {
	{ "192.0.2.1",		"192.0.2.1",		true },
	{ "192.0.2.1",		"192.0.2.2",		false },
	{ "192.0.2.1/24",	"192.0.2.1/32",		true },	/* the prefix is not compared */
	{ "2001:db8::1",	"2001:db8:0::0:1",	true },
	{ "2001:db8::1",	"2001:db8::2",		false },
	{ "::ffff:192.0.2.1",	"192.0.2.1",		false },
	{ "0.0.0.0",		"::",			false },
};

START_TEST(test_addr_equal)
{
	const struct equal_case *c = &equal_cases[_i];
	struct kl_addr a, b;

	ck_assert_int_eq(addr_parse_prefix(c->a, &a), 0);
	ck_assert_int_eq(addr_parse_prefix(c->b, &b), 0);
	ck_assert_msg(addr_equal(&a, &b) == c->equal, "%s == %s should be %s", c->a, c->b,
	    c->equal ? "true" : "false");
	ck_assert(addr_equal(&b, &a) == c->equal);
}
END_TEST

START_TEST(test_addr_equal_unset)
{
	struct kl_addr u1, u2, v4;

	memset(&u1, 0, sizeof(u1));
	memset(&u2, 0xff, sizeof(u2));
	u2.family = 0;
	ck_assert_int_eq(addr_parse("0.0.0.0", &v4), 0);
	ck_assert(addr_equal(&u1, &u2));
	ck_assert(!addr_equal(&u1, &v4));
}
END_TEST

/* Formatting and sockaddrs -------------------------------------------------------- */

struct ntop_case {
	const char	*in;		/* for addr_parse_prefix */
	uint16_t	 port;
	const char	*bare;		/* addr_ntop(false) */
	const char	*with_prefix;	/* addr_ntop(true) */
	const char	*hostport;	/* addr_port_ntop() */
};

static const struct ntop_case ntop_cases[] = {
	{ "192.0.2.1", 80, "192.0.2.1", "192.0.2.1", "192.0.2.1:80" },
	{ "192.0.2.0/24", 8080, "192.0.2.0", "192.0.2.0/24", "192.0.2.0:8080" },
	{ "2001:db8::1", 443, "2001:db8::1", "2001:db8::1", "[2001:db8::1]:443" },
	{ "2001:db8::/48", 1, "2001:db8::", "2001:db8::/48", "[2001:db8::]:1" },
	{ "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/127", 65535,
	  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/127",
	  "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535" },
};

START_TEST(test_addr_ntop)
{
	const struct ntop_case *c = &ntop_cases[_i];
	struct kl_addr a, back;
	char buf[ADDR_STRLEN];
	uint16_t port;

	ck_assert_int_eq(addr_parse_prefix(c->in, &a), 0);
	ck_assert_str_eq(addr_ntop(&a, false, buf, sizeof(buf)), c->bare);
	ck_assert_str_eq(addr_ntop(&a, true, buf, sizeof(buf)), c->with_prefix);
	/* Round trips: what is printed parses back to the same value. */
	ck_assert_int_eq(addr_parse_prefix(buf, &back), 0);
	ck_assert(addr_equal(&a, &back));
	ck_assert_int_eq(back.prefix, a.prefix);
	ck_assert_str_eq(addr_port_ntop(&a, c->port, buf, sizeof(buf)), c->hostport);
	ck_assert_int_eq(addr_parse_hostport(buf, &back, &port), 0);
	ck_assert(addr_equal(&a, &back));
	ck_assert_uint_eq(port, c->port);
}
END_TEST

START_TEST(test_addr_ntop_unset_and_short)
{
	struct kl_addr a;
	char buf[ADDR_STRLEN], tiny[4];

	memset(&a, 0, sizeof(a));
	ck_assert_str_eq(addr_ntop(&a, true, buf, sizeof(buf)), "(unset)");
	ck_assert_int_eq(addr_parse("2001:db8::1", &a), 0);
	/* Too small a buffer gives a marker, never an overflow. */
	ck_assert_str_eq(addr_ntop(&a, false, tiny, sizeof(tiny)), "?");
}
END_TEST

START_TEST(test_addr_bytes)
{
	static const uint8_t v4[4] = { 192, 0, 2, 9 };
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x09 };
	struct kl_addr a;
	const void *p;
	size_t len;

	ck_assert_int_eq(addr_parse("192.0.2.9", &a), 0);
	p = addr_bytes(&a, &len);
	ck_assert_uint_eq(len, 4);
	ck_assert_mem_eq(p, v4, 4);
	ck_assert_int_eq(addr_parse("2001:db8::9", &a), 0);
	p = addr_bytes(&a, &len);
	ck_assert_uint_eq(len, 16);
	ck_assert_mem_eq(p, v6, 16);
}
END_TEST

static const struct {
	const char	*addr;
	uint16_t	 port;
} sockaddr_cases[] = {
	{ "192.0.2.1", 80 },
	{ "203.0.113.254", 65535 },
	{ "2001:db8::1", 443 },
	{ "::", 1 },
};

START_TEST(test_addr_sockaddr_round_trip)
{
	struct sockaddr_storage ss;
	struct kl_addr a, back;
	socklen_t len;
	uint16_t port = 0;

	ck_assert_int_eq(addr_parse(sockaddr_cases[_i].addr, &a), 0);
	len = addr_to_sockaddr(&a, sockaddr_cases[_i].port, &ss);
	ck_assert_int_eq(ss.ss_family, a.family);
	if (a.family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)&ss;

		ck_assert_uint_eq(len, sizeof(struct sockaddr_in));
		ck_assert_uint_eq(ntohs(sin->sin_port), sockaddr_cases[_i].port);
	} else {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&ss;

		ck_assert_uint_eq(len, sizeof(struct sockaddr_in6));
		ck_assert_uint_eq(ntohs(sin6->sin6_port), sockaddr_cases[_i].port);
	}
	ck_assert_int_eq(addr_from_sockaddr((struct sockaddr *)&ss, &back, &port), 0);
	ck_assert(addr_equal(&a, &back));
	ck_assert_int_eq(back.prefix, a.prefix);
	ck_assert_uint_eq(port, sockaddr_cases[_i].port);
	/* The port is optional. */
	ck_assert_int_eq(addr_from_sockaddr((struct sockaddr *)&ss, &back, NULL), 0);
	ck_assert(addr_equal(&a, &back));
}
END_TEST

START_TEST(test_addr_sockaddr_other_family)
{
	struct sockaddr_storage ss;
	struct sockaddr_un sun;
	struct kl_addr a;

	memset(&a, 0, sizeof(a));
	ck_assert_uint_eq(addr_to_sockaddr(&a, 80, &ss), 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	ck_assert_int_eq(addr_from_sockaddr((struct sockaddr *)&sun, &a, NULL), -1);
	ck_assert(!addr_is_set(&a));
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("addr");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_addr_parse, 0, NELEM(addr_cases));
	tcase_add_loop_test(tc, test_addr_parse_prefix, 0, NELEM(prefix_cases));
	tcase_add_loop_test(tc, test_addr_parse_port, 0, NELEM(port_cases));
	tcase_add_loop_test(tc, test_addr_parse_hostport, 0, NELEM(hostport_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("match");
	tcase_add_loop_test(tc, test_addr_in_prefix, 0, NELEM(in_prefix_cases));
	tcase_add_test(tc, test_addr_in_prefix_unset);
	tcase_add_loop_test(tc, test_addr_equal, 0, NELEM(equal_cases));
	tcase_add_test(tc, test_addr_equal_unset);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_loop_test(tc, test_addr_ntop, 0, NELEM(ntop_cases));
	tcase_add_test(tc, test_addr_ntop_unset_and_short);
	tcase_add_test(tc, test_addr_bytes);
	tcase_add_loop_test(tc, test_addr_sockaddr_round_trip, 0, NELEM(sockaddr_cases));
	tcase_add_test(tc, test_addr_sockaddr_other_family);
	suite_add_tcase(s, tc);
	return s;
}
