/* Re-serialised heads: what the server and the client receive from the
 * proxy, byte for byte, after parsing with lib/http1.c. */
#include "config.h"

#include <string.h>

#include "lib/http1.h"
#include "splice/l7_head.h"
#include "test/unit/tmain.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

struct req_case {
	const char	*name;
	const char	*in;
	bool		 xff;
	const char	*out;
	bool		 upgrade;	/* the session passes the Upgrade on */
};

static const struct req_case req_cases[] = {
	{ "canonical spacing", "GET /a?b HTTP/1.1\r\nHost:  h \r\nAccept:\t*/*\r\n\r\n", false,
	  "GET /a?b HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n\r\n", false },
	{ "hop-by-hop removed", "GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, X-Secret\r\n"
	  "Keep-Alive: 5\r\nX-Secret: 1\r\nTE: trailers\r\nProxy-Connection: x\r\nX-Other: 2\r\n\r\n",
	  false, "GET / HTTP/1.1\r\nHost: h\r\nX-Other: 2\r\n\r\n", false },
	{ "Connection cannot strip framing or Host",
	  "POST / HTTP/1.1\r\nHost: h\r\nConnection: Content-Length, Host\r\nContent-Length: 2\r\n\r\n",
	  false, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n", false },
	{ "h2c upgrade removed", "GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\n"
	  "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n", false,
	  "GET / HTTP/1.1\r\nHost: h\r\n\r\n", false },
	{ "Expect answered by the proxy", "PUT /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
	  "Content-Length: 1\r\n\r\n", false, "PUT /x HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\n", false },
	{ "X-Forwarded-For added", "GET / HTTP/1.1\r\nHost: h\r\n\r\n", true,
	  "GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 192.0.2.7\r\nX-Forwarded-Proto: http\r\n\r\n", false },
	{ "X-Forwarded-For appended, proto replaced",
	  "GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 203.0.113.1\r\nX-Forwarded-Proto: https\r\n\r\n",
	  true, "GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 203.0.113.1, 192.0.2.7\r\n"
	  "X-Forwarded-Proto: http\r\n\r\n", false },
	{ "HTTP/1.0 asks the server to close", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
	  false, "GET / HTTP/1.0\r\nConnection: close\r\n\r\n", false },
	{ "chunked passes", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", false,
	  "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", false },
	{ "an Upgrade passed on keeps Upgrade, with Connection: upgrade",
	  "GET /ws HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n"
	  "Sec-WebSocket-Key: k\r\n\r\n", false,
	  "GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nSec-WebSocket-Key: k\r\n"
	  "Connection: upgrade\r\n\r\n", true },
	{ "an Upgrade not passed on is removed",
	  "GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n", false,
	  "GET /ws HTTP/1.1\r\nHost: h\r\n\r\n", false },
};

START_TEST(test_request_head)
{
	const struct req_case *c = &req_cases[_i];
	struct http1_hdr hdrs[32];
	struct http1_request r = { .hdrs = hdrs, .n_hdrs = NELEM(hdrs) };
	struct kl_addr client;
	struct l7_head_opts o = { .forwarded_for = c->xff, .upgrade = c->upgrade,
	    .client = &client };
	char out[1024];
	ssize_t n;

	ck_assert_int_eq(addr_parse("192.0.2.7", &client), 0);
	ck_assert_msg(http1_parse_request(c->in, strlen(c->in), NULL, &r) > 0, "%s: %s", c->name,
	    r.error);
	n = l7_head_request(out, sizeof(out), &r, &o);
	ck_assert_int_ge(n, 0);
	out[n] = '\0';
	ck_assert_msg(strcmp(out, c->out) == 0, "%s:\ngot  [%s]\nwant [%s]", c->name, out, c->out);
	/* What the proxy sends parses again. */
	r = (struct http1_request){ .hdrs = hdrs, .n_hdrs = NELEM(hdrs) };
	ck_assert_int_eq(http1_parse_request(out, (size_t)n, NULL, &r), n);
}
END_TEST

START_TEST(test_request_too_large)
{
	const char *in = "GET / HTTP/1.1\r\nHost: h\r\nX-A: 0123456789\r\n\r\n";
	struct http1_hdr hdrs[8];
	struct http1_request r = { .hdrs = hdrs, .n_hdrs = NELEM(hdrs) };
	struct l7_head_opts o = { 0 };
	char out[64];
	size_t size;

	ck_assert_int_gt(http1_parse_request(in, strlen(in), NULL, &r), 0);
	for (size = 0; size < strlen(in); size++)
		ck_assert_int_eq(l7_head_request(out, size, &r, &o), -1);
	ck_assert_int_eq(l7_head_request(out, strlen(in), &r, &o), (ssize_t)strlen(in));
}
END_TEST

START_TEST(test_response_head)
{
	const char *in = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: keep-alive, X-Hop\r\n"
	    "X-Hop: 1\r\nKeep-Alive: timeout=5\r\nServer:  s \r\n\r\nabc";
	struct http1_hdr hdrs[16];
	struct http1_response r = { .hdrs = hdrs, .n_hdrs = NELEM(hdrs) };
	char out[512];
	ssize_t n;

	ck_assert_int_gt(http1_parse_response(in, strlen(in), false, &r), 0);
	n = l7_head_response(out, sizeof(out), &r, &(struct l7_resp_opts){ 0 });
	ck_assert_int_ge(n, 0);
	out[n] = '\0';
	ck_assert_str_eq(out, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nServer: s\r\n\r\n");
	n = l7_head_response(out, sizeof(out), &r, &(struct l7_resp_opts){ .close = true });
	out[n] = '\0';
	ck_assert_str_eq(out, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nServer: s\r\n"
	    "Connection: close\r\n\r\n");
	n = l7_head_response(out, sizeof(out), &r,
	    &(struct l7_resp_opts){ .keepalive_10 = true });
	out[n] = '\0';
	ck_assert_str_eq(out, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nServer: s\r\n"
	    "Connection: keep-alive\r\n\r\n");
}
END_TEST

START_TEST(test_response_dechunked)
{
	const char *in = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX: y\r\n\r\n";
	struct http1_hdr hdrs[8];
	struct http1_response r = { .hdrs = hdrs, .n_hdrs = NELEM(hdrs) };
	char out[256];
	ssize_t n;

	ck_assert_int_gt(http1_parse_response(in, strlen(in), false, &r), 0);
	n = l7_head_response(out, sizeof(out), &r,
	    &(struct l7_resp_opts){ .close = true, .dechunk = true });
	ck_assert_int_gt(n, 0);
	out[n] = '\0';
	ck_assert_str_eq(out, "HTTP/1.1 200 OK\r\nX: y\r\nConnection: close\r\n\r\n");
}
END_TEST

/* A 2xx to CONNECT: a tunnel follows, so its framing fields go. */
START_TEST(test_response_tunnel)
{
	const char *in = "HTTP/1.1 200 Connection Established\r\nContent-Length: 0\r\n"
	    "X: y\r\n\r\n";
	struct http1_hdr hdrs[8];
	struct http1_response r = { .hdrs = hdrs, .n_hdrs = NELEM(hdrs) };
	char out[256];
	ssize_t n;

	ck_assert_int_gt(http1_parse_response(in, strlen(in), false, &r), 0);
	n = l7_head_response(out, sizeof(out), &r, &(struct l7_resp_opts){ .tunnel = true });
	ck_assert_int_gt(n, 0);
	out[n] = '\0';
	ck_assert_str_eq(out, "HTTP/1.1 200 Connection Established\r\nX: y\r\n\r\n");
}
END_TEST

START_TEST(test_response_upgrade)
{
	const char *in = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
	    "Connection: Upgrade\r\nSec-WebSocket-Accept: a\r\n\r\n";
	struct http1_hdr hdrs[8];
	struct http1_response r = { .hdrs = hdrs, .n_hdrs = NELEM(hdrs) };
	char out[256];
	ssize_t n;

	ck_assert_int_gt(http1_parse_response(in, strlen(in), false, &r), 0);
	ck_assert(r.upgrade);
	n = l7_head_response(out, sizeof(out), &r, &(struct l7_resp_opts){ .upgrade = true });
	ck_assert_int_gt(n, 0);
	out[n] = '\0';
	ck_assert_str_eq(out, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
	    "Sec-WebSocket-Accept: a\r\nConnection: upgrade\r\n\r\n");
}
END_TEST

START_TEST(test_error_page)
{
	static const unsigned codes[] = { 400, 405, 408, 414, 431, 501, 502, 503, 504, 505 };
	struct http1_hdr hdrs[16];
	char out[512];
	size_t i;

	for (i = 0; i < NELEM(codes); i++) {
		struct http1_response r = { .hdrs = hdrs, .n_hdrs = NELEM(hdrs) };
		ssize_t n = l7_head_error(out, sizeof(out), codes[i]);
		ssize_t head;

		ck_assert_int_gt(n, 0);
		head = http1_parse_response(out, (size_t)n, false, &r);
		ck_assert_int_gt(head, 0);
		ck_assert_uint_eq(r.status, codes[i]);
		ck_assert(!r.keep_alive);
		ck_assert_int_eq(r.body, HTTP1_BODY_LENGTH);
		ck_assert_uint_eq(r.content_length, (uint64_t)(n - head));
		ck_assert_str_ne(l7_status_text(codes[i]), "Error");
	}
	ck_assert_int_eq(l7_head_error(out, 20, 503), -1);
}
END_TEST

/* An http_route with auth_users checked Authorization: it goes (any
 * case); without the option it passes. */
START_TEST(test_request_strip_authorization)
{
	static const char in[] = "GET / HTTP/1.1\r\nHost: h\r\nauthorization: Basic YTpi\r\n"
	    "X-A: 1\r\n\r\n";
	struct http1_hdr hdrs[8];
	struct http1_request r = { .hdrs = hdrs, .n_hdrs = NELEM(hdrs) };
	struct l7_head_opts o = { .strip_authorization = true };
	char out[256];
	ssize_t n;

	ck_assert_int_gt(http1_parse_request(in, strlen(in), NULL, &r), 0);
	n = l7_head_request(out, sizeof(out), &r, &o);
	ck_assert_int_gt(n, 0);
	out[n] = '\0';
	ck_assert_str_eq(out, "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n\r\n");
	o.strip_authorization = false;
	n = l7_head_request(out, sizeof(out), &r, &o);
	out[n] = '\0';
	ck_assert_str_eq(out, in);
}
END_TEST

/* A local answer that keeps the connection, with extra fields. */
START_TEST(test_local_keep)
{
	static const char extra[] = "WWW-Authenticate: Basic realm=\"r\"\r\n";
	struct http1_hdr hdrs[16];
	struct http1_response r = { .hdrs = hdrs, .n_hdrs = NELEM(hdrs) };
	char out[512];
	ssize_t n = l7_head_local(out, sizeof(out), 401, extra, false), head;

	ck_assert_int_gt(n, 0);
	head = http1_parse_response(out, (size_t)n, false, &r);
	ck_assert_int_gt(head, 0);
	ck_assert_uint_eq(r.status, 401);
	ck_assert(r.keep_alive);
	ck_assert_uint_eq(r.content_length, (uint64_t)(n - head));
	ck_assert_ptr_nonnull(memmem(out, (size_t)head, extra, sizeof(extra) - 1));
	ck_assert_str_eq(l7_status_text(401), "Unauthorized");
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("l7_head");
	TCase *tc = tcase_create("l7_head");

	tcase_add_loop_test(tc, test_request_head, 0, NELEM(req_cases));
	tcase_add_test(tc, test_request_too_large);
	tcase_add_test(tc, test_response_head);
	tcase_add_test(tc, test_response_dechunked);
	tcase_add_test(tc, test_response_tunnel);
	tcase_add_test(tc, test_response_upgrade);
	tcase_add_test(tc, test_error_page);
	tcase_add_test(tc, test_request_strip_authorization);
	tcase_add_test(tc, test_local_keep);
	suite_add_tcase(s, tc);
	return s;
}
