/* The checker's logic without a network: judging HTTP responses (status
 * ranges, framing, digest, at every split point), rise/fall counting,
 * passive failures, and quorum with hysteresis, as published to shared
 * state. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/check_http_resp.h"
#include "check/check_parser.h"
#include "keepalive-l7/conf_load.h"
#include "test/unit/tmain.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

#define MD5_HELLO	"5d41402abc4b2a76b9719d911017c592"	/* "hello" */
#define MD5_EMPTY	"d41d8cd98f00b204e9800998ecf8427e"

/* Quorum ---------------------------------------------------------------------- */

static const struct {
	bool		 up;
	uint64_t	 live;
	unsigned	 quorum, hysteresis;
	bool		 next;
} quorum_cases[] = {
	{ true, 3, 3, 0, true },	/* at the quorum: kept */
	{ true, 2, 3, 0, false },	/* below: lost */
	{ false, 2, 3, 0, false },
	{ false, 3, 3, 0, true },	/* reached: gained */
	{ true, 2, 3, 1, true },	/* dead band: quorum - hysteresis is still up */
	{ true, 1, 3, 1, false },
	{ false, 3, 3, 1, false },	/* must reach quorum + hysteresis */
	{ false, 4, 3, 1, true },
	{ true, 0, 1, 5, true },	/* hysteresis above the quorum: never lost */
	{ true, 0, 0, 0, true },	/* quorum 0: always up */
	{ false, 0, 0, 0, true },
};

START_TEST(test_quorum_next)
{
	ck_assert_int_eq(check_quorum_next(quorum_cases[_i].up, quorum_cases[_i].live,
	    quorum_cases[_i].quorum, quorum_cases[_i].hysteresis), quorum_cases[_i].next);
}
END_TEST

/* Status ranges --------------------------------------------------------------- */

START_TEST(test_status_ranges)
{
	struct conf_url u = { .path = "/" };
	char text[64];

	ck_assert_int_eq(check_parse_status("200,301-302", &u), 0);
	ck_assert_int_eq(check_parse_status("404", &u), 0);
	ck_assert(check_http_status_ok(&u, 200));
	ck_assert(!check_http_status_ok(&u, 201));
	ck_assert(!check_http_status_ok(&u, 300));
	ck_assert(check_http_status_ok(&u, 301));
	ck_assert(check_http_status_ok(&u, 302));
	ck_assert(!check_http_status_ok(&u, 303));
	ck_assert(check_http_status_ok(&u, 404));
	ck_assert_str_eq(check_http_status_text(&u, text, sizeof(text)), "200,301-302,404");
}
END_TEST

/* Responses ------------------------------------------------------------------- */

static struct conf_url
url_of(const char *status, const char *digest)
{
	struct conf_url u = { .path = "/" };
	int i;

	ck_assert_int_eq(check_parse_status(status, &u), 0);
	if (digest != NULL) {
		u.has_digest = true;
		for (i = 0; i < 16; i++) {
			unsigned b;

			ck_assert_int_eq(sscanf(digest + 2 * i, "%2x", &b), 1);
			u.digest[i] = (uint8_t)b;
		}
	}
	return u;
}

struct resp_case {
	const char	*name;
	const char	*status;	/* acceptable */
	const char	*digest;	/* NULL: none */
	const char	*wire;		/* what the server sends, then closes */
	int		 verdict;
	const char	*why;		/* substring of the reason */
};

static const struct resp_case resp_cases[] = {
	{ "200 no digest", "200-299", NULL,
	  "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", CHECK_HTTP_PASS, "HTTP status 200" },
	{ "503", "200-299", NULL,
	  "HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n", CHECK_HTTP_FAIL,
	  "HTTP status 503 (expected 200-299)" },
	{ "list", "200,204", NULL,
	  "HTTP/1.0 404 Not Found\r\n\r\n", CHECK_HTTP_FAIL, "HTTP status 404 (expected 200,204)" },
	{ "CL digest", "200", MD5_HELLO,
	  "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", CHECK_HTTP_PASS, "digest matches" },
	{ "CL digest, extra bytes ignored", "200", MD5_HELLO,
	  "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA", CHECK_HTTP_PASS, "digest matches" },
	{ "chunked digest", "200", MD5_HELLO,
	  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	  "2\r\nhe\r\n3;ext=1\r\nllo\r\n0\r\nX-T: 1\r\n\r\n", CHECK_HTTP_PASS, "digest matches" },
	{ "close-delimited digest", "200", MD5_HELLO,
	  "HTTP/1.0 200 OK\r\n\r\nhello", CHECK_HTTP_PASS, "digest matches" },
	{ "empty body digest", "204", MD5_EMPTY,
	  "HTTP/1.1 204 No Content\r\n\r\n", CHECK_HTTP_PASS, "digest matches" },
	{ "CL 0 digest", "200", MD5_EMPTY,
	  "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", CHECK_HTTP_PASS, "digest matches" },
	{ "digest mismatch", "200", MD5_HELLO,
	  "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHELLO", CHECK_HTTP_FAIL,
	  "(expected " MD5_HELLO ")" },
	{ "truncated CL body", "200", MD5_HELLO,
	  "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nhello", CHECK_HTTP_FAIL,
	  "body ended after 5 of 9 bytes" },
	{ "truncated chunked body", "200", MD5_HELLO,
	  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
	  CHECK_HTTP_FAIL, "chunked body ended" },
	{ "bad chunk size", "200", MD5_HELLO,
	  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n",
	  CHECK_HTTP_FAIL, "bad chunked body" },
	{ "not HTTP", "200", NULL, "SSH-2.0-OpenSSH_9.2\r\n\r\n", CHECK_HTTP_FAIL,
	  "invalid HTTP response" },
	{ "TE and CL", "200", NULL,
	  "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
	  CHECK_HTTP_FAIL, "invalid HTTP response" },
	{ "closed before the head ends", "200", NULL, "HTTP/1.1 200 OK\r\nX: y\r\n",
	  CHECK_HTTP_FAIL, "before the end of the response head" },
	{ "nothing at all", "200", NULL, "", CHECK_HTTP_FAIL, "closed after 0 bytes" },
};

/* Feed the wire in pieces of `step` bytes (0: all at once), then the
 * end of the connection if still undecided. */
static enum check_http_verdict
feed(const struct resp_case *rc, size_t step, char *why, size_t whylen)
{
	struct conf_url u = url_of(rc->status, rc->digest);
	struct check_http_resp *r = malloc(sizeof(*r));
	size_t off = 0, len = strlen(rc->wire);
	enum check_http_verdict v = CHECK_HTTP_MORE;

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(check_http_resp_init(r, &u), 0);
	while (v == CHECK_HTTP_MORE && off < len) {
		size_t avail, n = step == 0 ? len - off : step;
		char *space = check_http_resp_space(r, &avail);

		if (n > avail)
			n = avail;
		if (n > len - off)
			n = len - off;
		memcpy(space, rc->wire + off, n);
		off += n;
		v = check_http_resp_received(r, n, why, whylen);
	}
	if (v == CHECK_HTTP_MORE)
		v = check_http_resp_received(r, 0, why, whylen);
	check_http_resp_free(r);
	free(r);
	return v;
}

START_TEST(test_response)
{
	const struct resp_case *rc = &resp_cases[_i];
	char why[CHECK_REASON_LEN];

	ck_assert_msg(feed(rc, 0, why, sizeof(why)) == rc->verdict, "%s: %s", rc->name, why);
	ck_assert_msg(strstr(why, rc->why) != NULL, "%s: '%s' lacks '%s'", rc->name, why,
	    rc->why);
}
END_TEST

START_TEST(test_response_split_points)
{
	const struct resp_case *rc = &resp_cases[_i];
	char whole[CHECK_REASON_LEN], why[CHECK_REASON_LEN];
	enum check_http_verdict v = feed(rc, 0, whole, sizeof(whole));
	size_t step;

	for (step = 1; step <= 7; step++)
		ck_assert_msg(feed(rc, step, why, sizeof(why)) == v && strcmp(why, whole) == 0,
		    "%s: in pieces of %zu: '%s', whole: '%s'", rc->name, step, why, whole);
}
END_TEST

START_TEST(test_response_head_too_large)
{
	struct conf_url u = url_of("200", NULL);
	struct check_http_resp *r = malloc(sizeof(*r));
	enum check_http_verdict v = CHECK_HTTP_MORE;
	char why[CHECK_REASON_LEN];
	const char *start = "HTTP/1.1 200 OK\r\n";

	ck_assert_int_eq(check_http_resp_init(r, &u), 0);
	while (v == CHECK_HTTP_MORE) {
		size_t avail;
		char *space = check_http_resp_space(r, &avail);

		if (r->len == 0) {
			memcpy(space, start, strlen(start));
			v = check_http_resp_received(r, strlen(start), why, sizeof(why));
			continue;
		}
		memset(space, 'x', avail);
		v = check_http_resp_received(r, avail, why, sizeof(why));
	}
	ck_assert_int_eq(v, CHECK_HTTP_FAIL);
	ck_assert_msg(strstr(why, "over 8192 bytes") != NULL || strstr(why, "invalid") != NULL,
	    "%s", why);
	free(r);
}
END_TEST

/* Servers: rise/fall, passive failures, quorum ------------------------------------ */

struct fixture {
	struct conf		*conf;
	struct shm		 shm;
	struct check_ctx	 ctx;
};

static void
fixture_up(struct fixture *f, const char *text)
{
	struct conf_errors errs;

	f->conf = conf_load_string("t.conf", text, NULL, &errs);
	ck_assert_msg(f->conf != NULL, "%s", errs.n > 0 ? errs.msg[0] : "?");
	ck_assert_int_eq(shm_create(&f->shm, f->conf), 0);
	f->ctx = (struct check_ctx){ .conf = f->conf, .shm = &f->shm, .loop = ev_new() };
	ck_assert_ptr_nonnull(f->ctx.loop);
	ck_assert_int_eq(check_ctx_build(&f->ctx), 0);
	check_ctx_start(&f->ctx);
	/* Rounds are fed by hand: no checker runs on its own. */
	for (unsigned i = 0; i < f->ctx.n_checks; i++)
		check_stop(&f->ctx.checks[i]);
}

static void
fixture_down(struct fixture *f)
{
	check_ctx_free(&f->ctx);
	ev_free(f->ctx.loop);
	shm_destroy(&f->shm);
	conf_free(f->conf);
}

static uint32_t
health(const struct fixture *f, unsigned rs)
{
	return atomic_load(&f->shm.rs[rs].health);
}

static void
round_of(struct fixture *f, unsigned check, bool ok)
{
	struct check *c = &f->ctx.checks[check];

	snprintf(c->reason, sizeof(c->reason), ok ? "fine" : "HTTP status 503");
	check_srv_round(c->srv, c, ok);
}

static const char rise_fall_conf[] =
    "virtual_server 192.0.2.10 80 {\n"
    "  real_server 198.51.100.1 80 {\n"
    "    rise 2\n"
    "    fall 3\n"
    "    TCP_CHECK { }\n"
    "  }\n"
    "}\n";

START_TEST(test_rise_fall)
{
	struct fixture f;

	fixture_up(&f, rise_fall_conf);
	ck_assert_uint_eq(health(&f, 0), SHM_HEALTH_UP);	/* no alpha: starts up */
	round_of(&f, 0, false);
	round_of(&f, 0, false);
	ck_assert_uint_eq(health(&f, 0), SHM_HEALTH_UP);	/* 2 of fall 3 */
	ck_assert_uint_eq(atomic_load(&f.shm.rs[0].consecutive_fail), 2);
	round_of(&f, 0, true);				/* resets the count */
	round_of(&f, 0, false);
	round_of(&f, 0, false);
	ck_assert_uint_eq(health(&f, 0), SHM_HEALTH_UP);
	round_of(&f, 0, false);
	ck_assert_uint_eq(health(&f, 0), SHM_HEALTH_DOWN);
	ck_assert_uint_eq(atomic_load(&f.shm.rs[0].weight), 0);
	ck_assert_str_eq(f.shm.rs[0].last_error, "HTTP status 503");
	round_of(&f, 0, true);
	ck_assert_uint_eq(health(&f, 0), SHM_HEALTH_DOWN);	/* 1 of rise 2 */
	round_of(&f, 0, true);
	ck_assert_uint_eq(health(&f, 0), SHM_HEALTH_UP);
	ck_assert_uint_eq(atomic_load(&f.shm.rs[0].weight), 1);
	ck_assert_str_eq(f.shm.rs[0].last_error, "");
	fixture_down(&f);
}
END_TEST

static const char two_checkers_conf[] =
    "virtual_server 192.0.2.10 80 {\n"
    "  alpha\n"
    "  real_server 198.51.100.1 80 {\n"
    "    weight 3\n"
    "    TCP_CHECK { }\n"
    "    MISC_CHECK {\n"
    "      misc_path /bin/true\n"
    "    }\n"
    "  }\n"
    "}\n";

START_TEST(test_all_checkers_must_pass)
{
	struct fixture f;

	fixture_up(&f, two_checkers_conf);
	ck_assert_uint_eq(health(&f, 0), SHM_HEALTH_DOWN);	/* alpha: down until checked */
	ck_assert_uint_eq(atomic_load(&f.shm.vs[0].quorum), SHM_QUORUM_DOWN);
	round_of(&f, 0, true);
	ck_assert_uint_eq(health(&f, 0), SHM_HEALTH_DOWN);	/* the MISC_CHECK has not */
	round_of(&f, 1, true);
	ck_assert_uint_eq(health(&f, 0), SHM_HEALTH_UP);
	ck_assert_uint_eq(atomic_load(&f.shm.vs[0].quorum), SHM_QUORUM_UP);
	ck_assert_uint_eq(atomic_load(&f.shm.vs[0].live_weight), 3);
	round_of(&f, 1, false);
	ck_assert_uint_eq(health(&f, 0), SHM_HEALTH_DOWN);
	fixture_down(&f);
}
END_TEST

/* Slow start's moment: a comeback (up, down, up) sets up_since_ms; being
 * up from the start, or a first up with alpha, does not. */
START_TEST(test_comeback_up_since)
{
	static const char *const confs[] = { rise_fall_conf, two_checkers_conf };
	struct fixture f;
	unsigned k, i, n;

	for (k = 0; k < 2; k++) {
		fixture_up(&f, confs[k]);
		n = f.ctx.n_checks;
		for (i = 0; i < 3; i++)		/* fall 3 */
			round_of(&f, 0, true);
		for (i = 1; i < n; i++)
			round_of(&f, i, true);
		ck_assert_uint_eq(health(&f, 0), SHM_HEALTH_UP);
		ck_assert_int_eq(atomic_load(&f.shm.rs[0].up_since_ms), 0);
		for (i = 0; i < 3; i++)
			round_of(&f, 0, false);
		ck_assert_uint_eq(health(&f, 0), SHM_HEALTH_DOWN);
		ck_assert_int_eq(atomic_load(&f.shm.rs[0].up_since_ms), 0);
		ev_now_update(f.ctx.loop);
		for (i = 0; i < 2; i++)		/* rise 2 (1 with alpha) */
			round_of(&f, 0, true);
		ck_assert_uint_eq(health(&f, 0), SHM_HEALTH_UP);
		ck_assert_int_eq(atomic_load(&f.shm.rs[0].up_since_ms), ev_now(f.ctx.loop));
		ck_assert_int_gt(ev_now(f.ctx.loop), 0);
		fixture_down(&f);
	}
}
END_TEST

START_TEST(test_dynamic_weight)
{
	struct fixture f;

	fixture_up(&f, two_checkers_conf);
	round_of(&f, 0, true);
	f.ctx.checks[1].dyn_weight = 7;		/* misc_dynamic: exit status 9 */
	round_of(&f, 1, true);
	ck_assert_uint_eq(atomic_load(&f.shm.rs[0].weight), 7);
	ck_assert_uint_eq(atomic_load(&f.shm.vs[0].live_weight), 7);
	fixture_down(&f);
}
END_TEST

static const char passive_conf[] =
    "virtual_server 192.0.2.10 80 {\n"
    "  real_server 198.51.100.1 80 {\n"
    "    error_limit 5\n"
    "    rise 2\n"
    "    TCP_CHECK { }\n"
    "  }\n"
    "  real_server 198.51.100.2 80 {\n"
    "    error_limit 5\n"
    "  }\n"
    "}\n";

START_TEST(test_passive_failures)
{
	struct fixture f;

	fixture_up(&f, passive_conf);
	atomic_store(&f.shm.rs[0].passive_failures, 4);
	atomic_store(&f.shm.rs[0].passive_error, SHM_PASSIVE_REFUSED);
	check_srv_passive_scan(&f.ctx);
	ck_assert_uint_eq(health(&f, 0), SHM_HEALTH_UP);	/* below error_limit */
	atomic_store(&f.shm.rs[0].passive_failures, 5);
	check_srv_passive_scan(&f.ctx);
	ck_assert_uint_eq(health(&f, 0), SHM_HEALTH_DOWN);
	ck_assert_str_eq(f.shm.rs[0].last_error,
	    "5 consecutive errors on live traffic (last: connection refused)");
	/* Active checks bring it back, after rise. */
	atomic_store(&f.shm.rs[0].passive_failures, 0);
	round_of(&f, 0, true);
	ck_assert_uint_eq(health(&f, 0), SHM_HEALTH_DOWN);
	round_of(&f, 0, true);
	ck_assert_uint_eq(health(&f, 0), SHM_HEALTH_UP);
	/* A server without checkers is never taken down: nothing would bring it back. */
	atomic_store(&f.shm.rs[1].passive_failures, 50);
	check_srv_passive_scan(&f.ctx);
	ck_assert_uint_eq(health(&f, 1), SHM_HEALTH_UP);
	fixture_down(&f);
}
END_TEST

static const char quorum_conf[] =
    "virtual_server 192.0.2.10 80 {\n"
    "  quorum 4\n"
    "  hysteresis 1\n"
    "  real_server 198.51.100.1 80 { weight 2\n TCP_CHECK { } }\n"
    "  real_server 198.51.100.2 80 { weight 2\n TCP_CHECK { } }\n"
    "  real_server 198.51.100.3 80 { weight 1\n TCP_CHECK { } }\n"
    "}\n";

START_TEST(test_quorum_hysteresis)
{
	struct fixture f;
	_Atomic uint32_t *q;

	fixture_up(&f, quorum_conf);
	q = &f.shm.vs[0].quorum;
	ck_assert_uint_eq(atomic_load(q), SHM_QUORUM_UP);	/* 5 >= 4 */
	round_of(&f, 2, false);
	ck_assert_uint_eq(atomic_load(&f.shm.vs[0].live_weight), 4);
	round_of(&f, 0, false);					/* 2: below 4 - 1 */
	ck_assert_uint_eq(atomic_load(q), SHM_QUORUM_DOWN);
	round_of(&f, 2, true);					/* 3: not 4 + 1 */
	ck_assert_uint_eq(atomic_load(q), SHM_QUORUM_DOWN);
	round_of(&f, 0, true);					/* 5 */
	ck_assert_uint_eq(atomic_load(q), SHM_QUORUM_UP);
	round_of(&f, 2, false);					/* 4: still up */
	round_of(&f, 1, false);					/* 2 */
	ck_assert_uint_eq(atomic_load(q), SHM_QUORUM_DOWN);
	fixture_down(&f);
}
END_TEST

START_TEST(test_state_adopted)
{
	struct fixture f;
	struct check_ctx again;

	/* A restarted child finds the server down and the quorum lost. */
	fixture_up(&f, quorum_conf);
	round_of(&f, 0, false);
	round_of(&f, 1, false);
	ck_assert_uint_eq(atomic_load(&f.shm.vs[0].quorum), SHM_QUORUM_DOWN);
	again = (struct check_ctx){ .conf = f.conf, .shm = &f.shm, .loop = f.ctx.loop };
	ck_assert_int_eq(check_ctx_build(&again), 0);
	ck_assert_uint_eq(health(&f, 0), SHM_HEALTH_DOWN);
	ck_assert_uint_eq(health(&f, 2), SHM_HEALTH_UP);
	ck_assert(!again.srvs[0].up);
	ck_assert(again.srvs[2].up);
	ck_assert(!again.vss[0].quorum);
	check_ctx_free(&again);
	fixture_down(&f);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("check");
	TCase *tc = tcase_create("check");

	tcase_add_loop_test(tc, test_quorum_next, 0, NELEM(quorum_cases));
	tcase_add_test(tc, test_status_ranges);
	tcase_add_loop_test(tc, test_response, 0, NELEM(resp_cases));
	tcase_add_loop_test(tc, test_response_split_points, 0, NELEM(resp_cases));
	tcase_add_test(tc, test_response_head_too_large);
	tcase_add_test(tc, test_rise_fall);
	tcase_add_test(tc, test_all_checkers_must_pass);
	tcase_add_test(tc, test_comeback_up_since);
	tcase_add_test(tc, test_dynamic_weight);
	tcase_add_test(tc, test_passive_failures);
	tcase_add_test(tc, test_quorum_hysteresis);
	tcase_add_test(tc, test_state_adopted);
	suite_add_tcase(s, tc);
	return s;
}
