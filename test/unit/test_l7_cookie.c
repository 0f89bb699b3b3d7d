/* Cookie persistence (splice/l7_cookie.c) and what it does to heads
 * (splice/l7_head.c): the request's cookie found among others, read per
 * mode (insert, its timed form with maxidle/maxlife, rewrite, prefix),
 * taken off or unprefixed on the way to the server; the response's
 * Set-Cookie inserted, rewritten or prefixed, the server's own dropped in
 * insert mode, nocache and the attributes. */
#include "config.h"

#include <string.h>

#include "keepalive-l7/conf_load.h"
#include "splice/l7_cookie.h"
#include "splice/l7_head.h"
#include "test/unit/tmain.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static struct conf *C;
static struct l7_cookie_ids IDS;

/* Three servers: "alpha", and two with derived values: "s" and the
 * FNV-1a hash of "198.51.100.2:80" and "198.51.100.3:80". */
#define S2	"scc83467c"
#define S3	"s4d7f75f9"
static void
setup(const char *persistence)
{
	struct conf_errors errs;
	char text[512];

	snprintf(text, sizeof(text), "virtual_server 192.0.2.1 80 {\n  %s\n"
	    "  real_server 198.51.100.1 80 { cookie alpha }\n"
	    "  real_server 198.51.100.2 80 { }\n  real_server 198.51.100.3 80 { }\n}\n",
	    persistence);
	C = conf_load_string("t.conf", text, NULL, &errs);
	ck_assert_msg(C != NULL, "%s", errs.n > 0 ? errs.msg[0] : "?");
	ck_assert_int_eq(l7_cookie_ids_init(&IDS, C->virtual_servers), 0);
}

static void
teardown(void)
{
	l7_cookie_ids_free(&IDS);
	conf_free(C);
}

static const struct conf_cookie *
ck(void)
{
	return &C->virtual_servers->cookie;
}

static int64_t
server_of(const char *v, int64_t now, int64_t *first)
{
	return l7_cookie_server(&IDS, ck(), v, strlen(v), now, first);
}

START_TEST(test_ids_and_find)
{
	struct http1_hdr h[2] = {
		{ "Cookie", 6, "a=1; SRV=s2;b", 13 }, { "cookie", 6, "SRV=alpha", 9 },
	};
	const char *v;
	size_t n;

	setup("persistence cookie SRV insert");
	ck_assert_str_eq(l7_cookie_id_of(&IDS, 0), "alpha");
	ck_assert_str_eq(l7_cookie_id_of(&IDS, 2), S3);
	ck_assert(l7_cookie_find(h, 2, "SRV", &v, &n));
	ck_assert_int_eq((int)n, 2);
	ck_assert_int_eq(memcmp(v, "s2", 2), 0);
	ck_assert(l7_cookie_find(h + 1, 1, "SRV", &v, &n));
	ck_assert(!l7_cookie_find(h, 2, "SR", &v, &n));
	ck_assert(!l7_cookie_find(h, 2, "RV", &v, &n));
	teardown();
}
END_TEST

START_TEST(test_modes)
{
	int64_t first;

	setup("persistence cookie SRV insert");
	ck_assert_int_eq(server_of("alpha", 1000, &first), 0);
	ck_assert_int_eq(server_of(S3, 1000, &first), 2);
	ck_assert_int_eq(server_of("s4", 1000, &first), -1);
	ck_assert_int_eq(server_of("alph", 1000, &first), -1);
	teardown();
	setup("persistence cookie SRV prefix");
	ck_assert_int_eq(server_of(S2 "~appvalue", 1000, &first), 1);
	ck_assert_int_eq(server_of(S2, 1000, &first), -1);	/* no prefix: not ours */
	teardown();
	setup("persistence cookie SRV rewrite");
	ck_assert_int_eq(server_of("alpha", 1000, &first), 0);
	teardown();
}
END_TEST

/* A derived value is the server's own: the same with the servers in
 * another order or one of them gone; a clash with a configured value
 * gets the server's place. */
START_TEST(test_ids_stable)
{
	struct conf_errors errs;
	struct l7_cookie_ids ids;
	struct conf *c = conf_load_string("t.conf", "virtual_server 192.0.2.1 80 {\n"
	    "  persistence cookie SRV insert\n"
	    "  real_server 198.51.100.3 80 { }\n  real_server 198.51.100.4 80 { cookie " S2 " }\n"
	    "  real_server 198.51.100.2 80 { }\n}\n", NULL, &errs);

	ck_assert_msg(c != NULL, "%s", errs.n > 0 ? errs.msg[0] : "?");
	ck_assert_int_eq(l7_cookie_ids_init(&ids, c->virtual_servers), 0);
	ck_assert_str_eq(l7_cookie_id_of(&ids, 0), S3);
	ck_assert_str_eq(l7_cookie_id_of(&ids, 1), S2);
	ck_assert_str_eq(l7_cookie_id_of(&ids, 2), S2 "-3");
	l7_cookie_ids_free(&ids);
	conf_free(c);
}
END_TEST

/* maxidle 60 s, maxlife 1 h, times in hex seconds. */
START_TEST(test_timed)
{
	char v[L7_COOKIE_VALUE_MAX];
	int64_t first;

	setup("persistence cookie SRV insert maxidle 60s maxlife 1h");
	l7_cookie_value(ck(), S2, 0x1000, 0x1010, v, sizeof(v));
	ck_assert_str_eq(v, S2 "|1000|1010");
	ck_assert_int_eq(server_of(v, 0x1010 + 60, &first), 1);
	ck_assert_int_eq(first, 0x1000);
	ck_assert_int_eq(server_of(v, 0x1010 + 61, &first), -1);	/* idle too long */
	ck_assert_int_eq(server_of(S2 "|1000|1e00", 0x1e00, &first), 1);
	ck_assert_int_eq(server_of(S2 "|1000|1e11", 0x1e11, &first), -1);	/* too old */
	ck_assert_int_eq(server_of(S2, 0x1010, &first), -1);
	ck_assert_int_eq(server_of(S2 "|x|1010", 0x1010, &first), -1);
	ck_assert_int_eq(server_of(S2 "|1010|1000", 0x1010, &first), -1);	/* last < first */
	ck_assert_int_eq(server_of(S2 "|1000|9999", 0x1010, &first), -1);	/* the future */
	teardown();
}
END_TEST

/* A request's Cookie field on its way to the server. */
START_TEST(test_request_fix)
{
	static const struct {
		const char		*in;
		enum l7_cookie_fix	 fix;
		const char		*out;
	} c[] = {
		{ "Cookie: a=1; SRV=s2; b=2", L7_COOKIE_STRIP, "Cookie: a=1; b=2\r\n" },
		{ "Cookie: SRV=s2", L7_COOKIE_STRIP, "" },
		{ "Cookie: a=1;SRV=s2~app;b", L7_COOKIE_UNPREFIX, "Cookie: a=1; SRV=app; b\r\n" },
		{ "Cookie: SRV=plain", L7_COOKIE_UNPREFIX, "Cookie: SRV=plain\r\n" },
		{ "Cookie: a=1", L7_COOKIE_KEEP, "Cookie: a=1\r\n" },
	};
	char in[256], out[512], want[256];
	size_t i;

	for (i = 0; i < NELEM(c); i++) {
		struct http1_hdr hdrs[8];
		struct http1_request r = { .hdrs = hdrs, .n_hdrs = NELEM(hdrs) };
		struct l7_head_opts o = { .cookie_name = "SRV", .cookie_fix = c[i].fix };
		ssize_t n;

		snprintf(in, sizeof(in), "GET / HTTP/1.1\r\nHost: h\r\n%s\r\n\r\n", c[i].in);
		snprintf(want, sizeof(want), "GET / HTTP/1.1\r\nHost: h\r\n%s\r\n", c[i].out);
		ck_assert_int_gt(http1_parse_request(in, strlen(in), NULL, &r), 0);
		n = l7_head_request(out, sizeof(out), &r, &o);
		ck_assert_int_gt(n, 0);
		out[n] = '\0';
		ck_assert_str_eq(out, want);
	}
}
END_TEST

static void
response(const char *persistence, const char *server_hdrs, const char *insert,
    const char *want_hdrs)
{
	struct http1_hdr hdrs[8];
	struct http1_response r = { .hdrs = hdrs, .n_hdrs = NELEM(hdrs) };
	struct l7_resp_opts o;
	char in[512], out[512], want[512];
	ssize_t n;

	setup(persistence);
	o = (struct l7_resp_opts){ .ck = ck(), .ck_id = "s2", .ck_insert = insert };
	snprintf(in, sizeof(in), "HTTP/1.1 200 OK\r\n%sContent-Length: 0\r\n\r\n", server_hdrs);
	snprintf(want, sizeof(want), "HTTP/1.1 200 OK\r\n%s\r\n", want_hdrs);
	ck_assert_int_gt(http1_parse_response(in, strlen(in), false, &r), 0);
	n = l7_head_response(out, sizeof(out), &r, &o);
	ck_assert_int_gt(n, 0);
	out[n] = '\0';
	ck_assert_str_eq(out, want);
	teardown();
}

START_TEST(test_response_insert)
{
	response("persistence cookie SRV insert", "Set-Cookie: SRV=mine\r\nSet-Cookie: x=1\r\n",
	    "s2", "Set-Cookie: x=1\r\nContent-Length: 0\r\nSet-Cookie: SRV=s2; path=/\r\n");
	response("persistence cookie SRV insert nocache httponly secure",
	    "Cache-Control: public\r\n", "s2",
	    "Content-Length: 0\r\nSet-Cookie: SRV=s2; path=/; HttpOnly; Secure\r\n"
	    "Cache-Control: private\r\n");
	/* The client's cookie names the server already: nothing to set. */
	response("persistence cookie SRV insert nocache", "Cache-Control: public\r\n", NULL,
	    "Cache-Control: public\r\nContent-Length: 0\r\n");
}
END_TEST

START_TEST(test_response_rewrite_prefix)
{
	response("persistence cookie SRV rewrite", "Set-Cookie: SRV=app; Path=/a\r\n", NULL,
	    "Set-Cookie: SRV=s2; Path=/a\r\nContent-Length: 0\r\n");
	response("persistence cookie SRV prefix nocache", "Set-Cookie: SRV=app; HttpOnly\r\n"
	    "Cache-Control: max-age=60\r\n", NULL,
	    "Set-Cookie: SRV=s2~app; HttpOnly\r\nContent-Length: 0\r\nCache-Control: private\r\n");
	/* No cookie of ours set: no Cache-Control change. */
	response("persistence cookie SRV prefix nocache", "Set-Cookie: other=1\r\n", NULL,
	    "Set-Cookie: other=1\r\nContent-Length: 0\r\n");
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("l7_cookie");
	TCase *tc = tcase_create("l7_cookie");

	tcase_add_test(tc, test_ids_and_find);
	tcase_add_test(tc, test_modes);
	tcase_add_test(tc, test_ids_stable);
	tcase_add_test(tc, test_timed);
	tcase_add_test(tc, test_request_fix);
	tcase_add_test(tc, test_response_insert);
	tcase_add_test(tc, test_response_rewrite_prefix);
	suite_add_tcase(s, tc);
	return s;
}
