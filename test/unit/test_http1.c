/* Unit tests of lib/http1.c and lib/http1_chunked.c: response and request
 * heads, the chunked scanner, every split point, the smuggling vectors of
 * l7.md 1.4.  Inputs are copied to the end of a page followed by an
 * inaccessible one, so a parser that reads one byte too far crashes. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/http1.h"
#include "test/unit/tmain.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define NHDRS		64

/* Guarded copies ---------------------------------------------------------- */

struct guard {
	char	*map;
	size_t	 maplen;
	char	*buf;		/* the copy: its last byte is the last readable one */
};

static const char *
guard_copy(struct guard *g, const char *s, size_t n)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t pages = (n + page - 1) / page + 1;

	g->maplen = pages * page;
	g->map = mmap(NULL, g->maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(g->map, MAP_FAILED);
	ck_assert_int_eq(mprotect(g->map + (pages - 1) * page, page, PROT_NONE), 0);
	g->buf = g->map + (pages - 1) * page - n;
	memcpy(g->buf, s, n);
	return g->buf;
}

static void
guard_free(struct guard *g)
{
	munmap(g->map, g->maplen);
}

/* Length of the head in s: up to the first empty line. */
static size_t
head_len(const char *s)
{
	const char *e = strstr(s, "\r\n\r\n");

	ck_assert_ptr_nonnull(e);
	return (size_t)(e - s) + 4;
}

/* Responses --------------------------------------------------------------- */

#define OK	1		/* rc: the head, up to the first empty line */
#define MORE	0
#define BAD	(-1)
#define NONE	HTTP1_BODY_NONE
#define LEN	HTTP1_BODY_LENGTH
#define CHUNK	HTTP1_BODY_CHUNKED
#define CLOSE	HTTP1_BODY_CLOSE

struct resp_case {
	const char	*in;
	bool		 head;		/* answer to HEAD */
	int		 rc;
	unsigned	 status;
	enum http1_body	 body;
	uint64_t	 cl;
	bool		 ka;
	bool		 upgrade;
	const char	*why;
};

static const struct resp_case resp_cases[] = {
	/* status line and ranges */
	{ "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 0, OK, 200, LEN, 5, 1, 0, "plain" },
	{ "HTTP/1.1 200 OK\r\n\r\n", 0, OK, 200, CLOSE, 0, 0, 0, "no framing: until close" },
	{ "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n", 0, OK, 200, LEN, 0, 1, 0, "empty reason" },
	{ "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", 0, OK, 200, LEN, 0, 1, 0, "no SP, no reason" },
	{ "HTTP/1.1 404 Not \x80 Found\t!\r\nContent-Length: 0\r\n\r\n", 0, OK, 404, LEN, 0, 1, 0, "obs-text and HTAB in reason" },
	{ "HTTP/1.1 100 Continue\r\n\r\n", 0, OK, 100, NONE, 0, 1, 0, "100" },
	{ "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n", 0, OK, 103, NONE, 0, 1, 0, "103" },
	{ "HTTP/1.1 599 X\r\nContent-Length: 1\r\n\r\n", 0, OK, 599, LEN, 1, 1, 0, "599" },
	{ "HTTP/1.1 099 X\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "status 99" },
	{ "HTTP/1.1 600 X\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "status 600" },
	{ "HTTP/1.1 000 X\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "status 0" },
	{ "HTTP/1.1 20 X\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "two digits" },
	{ "HTTP/1.1 2000 X\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "four digits" },
	{ "HTTP/1.1 2a0 X\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "hex in status" },
	{ "HTTP/1.1  200 X\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "two SP" },
	{ "HTTP/1.1 200\tOK\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "HTAB after status" },
	{ "HTTP/1.2 200 OK\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "HTTP/1.2" },
	{ "HTTP/2.0 200 OK\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "HTTP/2.0" },
	{ "http/1.1 200 OK\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "lowercase version" },
	{ "HTTP/1.1 200 O\x01K\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "control byte in reason" },
	{ "\r\nHTTP/1.1 200 OK\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "empty line first" },
	{ "HTTP/1.1 200 OK\n\n", 0, BAD, 0, NONE, 0, 0, 0, "bare LF" },
	{ "HTTP/1.1 200 OK\r\nA: b\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "bare LF in fields" },
	{ "HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "bare CR" },
	{ "HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "obs-fold" },
	{ "HTTP/1.1 200 OK\r\n A: b\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "SP before first field" },
	{ "HTTP/1.1 200 OK\r\nA : b\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "SP before colon" },
	{ "HTTP/1.1 200 OK\r\n: b\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "empty name" },
	{ "HTTP/1.1 200 OK\r\nA\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "no colon" },
	{ "HTTP/1.1 200 OK\r\nA@: b\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "@ in name" },
	{ "HTTP/1.1 200 OK\r\nA: b\x7f\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "DEL in value" },
	{ "HTTP/1.1 200 OK\r\nA: \x0b" "b\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "VT in value" },
	/* framing */
	{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", 0, OK, 200, CHUNK, 0, 1, 0, "chunked" },
	{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 0, OK, 200, CHUNK, 0, 1, 0, "gzip, chunked" },
	{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", 0, OK, 200, CLOSE, 0, 0, 0, "gzip: until close (6.3 rule 4)" },
	{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "chunked not last" },
	{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "chunked twice" },
	{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "chunked twice, two fields" },
	{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 30\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "TE + CL (vector 22)" },
	{ "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "TE in 1.0" },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "two CL" },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "CL list" },
	{ "HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "empty CL" },
	{ "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "negative CL" },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551616\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "CL 2^64" },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n\r\n", 0, OK, 200, LEN, UINT64_MAX, 1, 0, "CL 2^64-1" },
	{ "HTTP/1.1 200 OK\r\nContent-Length:\t7\t\r\n\r\n", 0, OK, 200, LEN, 7, 1, 0, "CL with HTAB OWS" },
	{ "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", 0, OK, 204, NONE, 0, 1, 0, "204 ignores CL" },
	{ "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n", 0, OK, 304, NONE, 0, 1, 0, "304 ignores TE" },
	{ "HTTP/1.1 304 Not Modified\r\nContent-Length: x\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "304 with a bad CL" },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", 1, OK, 200, NONE, 0, 1, 0, "HEAD" },
	{ "HTTP/1.1 200 OK\r\n\r\n", 1, OK, 200, NONE, 0, 1, 0, "HEAD, no framing: keep-alive" },
	{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", 1, OK, 200, NONE, 0, 1, 0, "HEAD, chunked" },
	/* persistence, RFC 9112 9.3 */
	{ "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", 0, OK, 200, LEN, 0, 0, 0, "1.0: close" },
	{ "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", 0, OK, 200, LEN, 0, 1, 0, "1.0 keep-alive" },
	{ "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n", 0, OK, 200, CLOSE, 0, 0, 0, "1.0 keep-alive, until close" },
	{ "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", 0, OK, 200, LEN, 0, 0, 0, "1.1 close" },
	{ "HTTP/1.1 200 OK\r\nConnection: foo, , CLOSE\r\nContent-Length: 0\r\n\r\n", 0, OK, 200, LEN, 0, 0, 0, "close in a list" },
	{ "HTTP/1.1 200 OK\r\nConnection: a b\r\nContent-Length: 0\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "bad Connection" },
	{ "HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n", 0, OK, 101, NONE, 0, 0, 1, "101 upgrade" },
	{ "HTTP/1.1 101 Switching Protocols\r\n\r\n", 0, BAD, 0, NONE, 0, 0, 0, "101 without Upgrade" },
	/* incomplete */
	{ "HTTP/1.1 200 OK\r\nA: b\r\n\r", 0, MORE, 0, NONE, 0, 0, 0, "no final LF" },
	{ "HTTP/1.1 200 OK\r\nA: b", 0, MORE, 0, NONE, 0, 0, 0, "in a field" },
	{ "", 0, MORE, 0, NONE, 0, 0, 0, "empty" },
};

START_TEST(test_response_table)
{
	const struct resp_case *c = &resp_cases[_i];
	struct http1_hdr hdrs[NHDRS];
	struct http1_response r;
	struct guard g;
	size_t n = strlen(c->in);
	const char *buf = guard_copy(&g, c->in, n);
	ssize_t rc;

	r.hdrs = hdrs;
	r.n_hdrs = NHDRS;
	rc = http1_parse_response(buf, n, c->head, &r);
	if (c->rc != OK) {
		ck_assert_msg(rc == c->rc, "%s: rc %zd, want %d", c->why, rc, c->rc);
		ck_assert_msg(rc == 0 || r.error != NULL, "%s: no error text", c->why);
		guard_free(&g);
		return;
	}
	ck_assert_msg(rc == (ssize_t)head_len(c->in), "%s: rc %zd (%s)", c->why, rc,
	    r.error ? r.error : "");
	ck_assert_msg(r.status == c->status, "%s: status %u", c->why, r.status);
	ck_assert_msg(r.body == c->body, "%s: body %d", c->why, r.body);
	ck_assert_msg(r.content_length == c->cl, "%s: cl", c->why);
	ck_assert_msg(r.keep_alive == c->ka, "%s: keep_alive %d", c->why, r.keep_alive);
	ck_assert_msg(r.upgrade == c->upgrade, "%s: upgrade", c->why);
	guard_free(&g);
}
END_TEST

START_TEST(test_response_fields)
{
	static const char in[] = "HTTP/1.0 302 Found it\r\nLocation:  /x \r\n"
	    "X-Empty:\r\nSet-Cookie: a=b\r\nContent-Length: 0\r\n\r\n";
	struct http1_hdr hdrs[4];
	struct http1_response r;
	struct guard g;
	const char *buf = guard_copy(&g, in, sizeof(in) - 1);

	r.hdrs = hdrs;
	r.n_hdrs = 4;
	ck_assert_int_eq(http1_parse_response(buf, sizeof(in) - 1, false, &r), sizeof(in) - 1);
	ck_assert_uint_eq(r.minor, 0);
	ck_assert_uint_eq(r.status, 302);
	ck_assert_uint_eq(r.reason_len, 8);
	ck_assert(memcmp(r.reason, "Found it", 8) == 0);
	ck_assert_uint_eq(r.n_hdrs, 4);
	ck_assert(hdrs[0].name == buf + 23 && hdrs[0].name_len == 8);
	ck_assert(hdrs[0].value_len == 2 && memcmp(hdrs[0].value, "/x", 2) == 0);
	ck_assert(hdrs[1].value_len == 0);
	ck_assert(hdrs[2].value_len == 3 && memcmp(hdrs[2].value, "a=b", 3) == 0);

	/* One field more than the array holds. */
	r.n_hdrs = 3;
	ck_assert_int_eq(http1_parse_response(buf, sizeof(in) - 1, false, &r), -1);
	ck_assert_ptr_nonnull(r.error);
	guard_free(&g);
}
END_TEST

static const char *const resp_split[] = {
	"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX: y\r\n\r\nhello",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
	"HTTP/1.0 404 Not Found\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
	"HTTP/1.1 204\r\n\r\n",
	"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",	/* bad */
	"HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n",				/* bad */
};

/* Every prefix says "more" or the same as the whole. */
START_TEST(test_response_split)
{
	const char *in = resp_split[_i];
	size_t n = strlen(in), k;
	struct http1_hdr hdrs[NHDRS], hdrs2[NHDRS];
	struct http1_response whole, part;
	ssize_t rc, prc;
	struct guard g;

	whole.hdrs = hdrs;
	whole.n_hdrs = NHDRS;
	rc = http1_parse_response(in, n, false, &whole);
	ck_assert(rc != 0);
	for (k = 0; k < n; k++) {
		const char *buf = guard_copy(&g, in, k);

		part.hdrs = hdrs2;
		part.n_hdrs = NHDRS;
		prc = http1_parse_response(buf, k, false, &part);
		if (rc > 0 && k < (size_t)rc)
			ck_assert_msg(prc == 0, "prefix %zu: %zd", k, prc);
		else
			ck_assert_msg(prc == 0 || prc == rc, "prefix %zu: %zd, whole %zd", k, prc, rc);
		if (prc > 0) {
			ck_assert_uint_eq(part.status, whole.status);
			ck_assert_uint_eq(part.n_hdrs, whole.n_hdrs);
			ck_assert_int_eq(part.body, whole.body);
			ck_assert_int_eq(part.keep_alive, whole.keep_alive);
		}
		guard_free(&g);
	}
}
END_TEST

/* Requests ----------------------------------------------------------------- */

#define ACCEPT	200		/* status: parsed, the head up to the first empty line */

struct req_case {
	const char	*in;
	int		 status;	/* ACCEPT, MORE or the status refused with */
	enum http1_body	 body;
	uint64_t	 cl;
	bool		 ka;
	const char	*why;
};

#define R11(fields)	"GET / HTTP/1.1\r\nHost: a\r\n" fields "\r\n"
#define POST11(fields)	"POST / HTTP/1.1\r\nHost: a\r\n" fields "\r\n"

static const struct req_case req_cases[] = {
	{ R11(""), ACCEPT, NONE, 0, 1, "minimal 1.1" },
	{ "GET / HTTP/1.0\r\n\r\n", ACCEPT, NONE, 0, 0, "minimal 1.0" },
	{ "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", ACCEPT, NONE, 0, 1, "1.0 keep-alive" },
	{ R11("Connection: close\r\n"), ACCEPT, NONE, 0, 0, "1.1 close" },
	{ "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", ACCEPT, NONE, 0, 1, "empty lines first (RFC 9112 2.2)" },
	{ POST11("Content-Length: 5\r\n"), ACCEPT, LEN, 5, 1, "CL" },
	{ POST11("Content-Length: 0\r\n"), ACCEPT, LEN, 0, 1, "CL 0" },
	{ POST11("Transfer-Encoding: chunked\r\n"), ACCEPT, CHUNK, 0, 1, "chunked" },
	{ POST11("Transfer-Encoding: gzip, chunked\r\n"), ACCEPT, CHUNK, 0, 1, "gzip, chunked (HAProxy: 422)" },
	{ POST11("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n"), ACCEPT, CHUNK, 0, 1, "gzip; chunked in two fields" },
	{ POST11("Transfer-Encoding: foo, chunked\r\n"), 501, NONE, 0, 0, "unknown coding" },
	{ "GET /a%20b?x=1&y=|{} HTTP/1.1\r\nHost: a\r\n\r\n", ACCEPT, NONE, 0, 1, "target bytes" },
	{ "PROPFIND / HTTP/1.1\r\nHost: a\r\n\r\n", ACCEPT, NONE, 0, 1, "other method" },
	/* l7.md 1.4 vectors */
	{ POST11("Content-Length: 31\r\nTransfer-Encoding: chunked\r\n"), 400, NONE, 0, 0, "#1 CL.TE" },
	{ POST11("Transfer-Encoding: chunked\r\nContent-Length: 31\r\n"), 400, NONE, 0, 0, "#1 TE.CL" },
	{ POST11("Content-Length: 0\r\nContent-Length: 38\r\n"), 400, NONE, 0, 0, "#2 CL 0 + 38" },
	{ POST11("Content-Length: 47\r\nContent-Length: 0\r\n"), 400, NONE, 0, 0, "#2 CL 47 + 0" },
	{ POST11("Content-Length: 42, 42\r\n"), 400, NONE, 0, 0, "#3 42, 42: refused, not merged" },
	{ POST11("Content-Length: 42\r\nContent-Length: 42\r\n"), 400, NONE, 0, 0, "#3 two identical CL" },
	{ POST11("Content-Length:\r\n"), 400, NONE, 0, 0, "#4 empty CL" },
	{ POST11("Content-Length:  \r\n"), 400, NONE, 0, 0, "#4 blank CL" },
	{ POST11("Content-Length: ,5\r\n"), 400, NONE, 0, 0, "#4 ,5" },
	{ POST11("Content-Length: 5,\r\n"), 400, NONE, 0, 0, "#4 5," },
	{ POST11("Content-Length: +5\r\n"), 400, NONE, 0, 0, "#5 +5" },
	{ POST11("Content-Length: 0x5\r\n"), 400, NONE, 0, 0, "#5 0x5" },
	{ POST11("Content-Length: -1\r\n"), 400, NONE, 0, 0, "#5 -1" },
	{ POST11("Content-Length: 5 5\r\n"), 400, NONE, 0, 0, "#5 5 5" },
	{ POST11("Content-Length: 1e3\r\n"), 400, NONE, 0, 0, "#5 1e3" },
	{ POST11("Content-Length: 99999999999999999999\r\n"), 400, NONE, 0, 0, "#6 overflow" },
	{ POST11("Transfer-Encoding: gzip\r\n"), 400, NONE, 0, 0, "#7 gzip" },
	{ POST11("Transfer-Encoding: chunked, gzip\r\n"), 400, NONE, 0, 0, "#7 chunked, gzip" },
	{ POST11("Transfer-Encoding: chunked, chunked\r\n"), 400, NONE, 0, 0, "#7 chunked, chunked" },
	{ POST11("Transfer-Encoding: chunked, gzip, chunked\r\n"), 400, NONE, 0, 0, "#7 chunked, gzip, chunked" },
	{ POST11("Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n"), 400, NONE, 0, 0, "#8 chunked then identity" },
	{ POST11("Transfer-Encoding: xchunked\r\n"), 400, NONE, 0, 0, "#9 xchunked" },
	{ POST11("Transfer-Encoding: chunked1\r\n"), 400, NONE, 0, 0, "#9 chunked1" },
	{ POST11("Transfer-Encoding: ch\xe2\x80\x93nked\r\n"), 400, NONE, 0, 0, "#9 en dash" },
	{ POST11("tRANSFER-ENCODING: cHUNKED\r\n"), ACCEPT, CHUNK, 0, 1, "#9 case" },
	{ POST11("Transfer-Encoding : chunked\r\n"), 400, NONE, 0, 0, "#10 SP before colon" },
	{ POST11("Content-Length : 5\r\n"), 400, NONE, 0, 0, "#10 CL SP before colon" },
	{ POST11("Transfer-Encoding:\x0b" "chunked\r\n"), 400, NONE, 0, 0, "#11 VT" },
	{ POST11("Transfer-Encoding:\x0c" "chunked\r\n"), 400, NONE, 0, 0, "#11 FF" },
	{ POST11("Transfer-Encoding: chunked\t\r\n"), ACCEPT, CHUNK, 0, 1, "#12 trailing HTAB is OWS" },
	{ POST11("Transfer-Encoding: identity\r\n chunked\r\n"), 400, NONE, 0, 0, "#13 obs-fold TE" },
	{ R11("X: a\r\n\tb\r\n"), 400, NONE, 0, 0, "#13 obs-fold" },
	{ "GET / HTTP/1.1\nHost: a\n\n", 400, NONE, 0, 0, "#14 bare LF" },
	{ "GET / HTTP/1.1\r\nHost: a\n\r\n", 400, NONE, 0, 0, "#14 bare LF in fields" },
	{ "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400, NONE, 0, 0, "#14 bare LF first" },
	{ R11("X: a\rb\r\n"), 400, NONE, 0, 0, "#15 bare CR" },
	{ "GET / HTTP/1.1\rHost: a\r\n\r\n", 400, NONE, 0, 0, "#15 bare CR request-line" },
	{ "\r\rGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400, NONE, 0, 0, "#15 bare CR first" },
	{ R11(":\r\nContent-Length: 27\r\n"), 400, NONE, 0, 0, "#16 empty name" },
	{ R11(": x\r\n"), 400, NONE, 0, 0, "#16 empty name, value" },
	{ R11("Host@: x\r\n"), 400, NONE, 0, 0, "#17 @ in name" },
	{ R11("X\xc3\xa9: x\r\n"), 400, NONE, 0, 0, "#17 high bytes in name" },
	{ R11("X\x01: x\r\n"), 400, NONE, 0, 0, "#17 CTL in name" },
	{ R11("X: a\x7f\r\n"), 400, NONE, 0, 0, "#17 DEL in value" },
	{ R11("X: a\x1f\r\n"), 400, NONE, 0, 0, "#17 CTL in value" },
	{ R11("X: \xc3\xa9\t!\r\n"), ACCEPT, NONE, 0, 1, "#17 obs-text and HTAB in value" },
	{ R11("Connection: Content-Length, Transfer-Encoding, Host\r\n"), ACCEPT, NONE, 0, 1, "#19 hop-by-hop abuse" },
	{ "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400, NONE, 0, 0, "#20 two Host" },
	{ "GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", 400, NONE, 0, 0, "#20 two Host, case" },
	{ "GET / HTTP/1.1\r\n\r\n", 400, NONE, 0, 0, "#20 no Host in 1.1" },
	{ "GET http://a/x HTTP/1.1\r\nHost: b\r\n\r\n", 400, NONE, 0, 0, "#20 absolute-form, other Host" },
	{ "GET http://a/x HTTP/1.1\r\nHost: a:8080\r\n\r\n", 400, NONE, 0, 0, "#20 absolute-form, other port" },
	{ "GET http://a:80/x HTTP/1.1\r\nHost: A\r\n\r\n", ACCEPT, NONE, 0, 1, "#20 absolute-form, default port" },
	{ "GET https://a/x HTTP/1.1\r\nHost: a:443\r\n\r\n", ACCEPT, NONE, 0, 1, "#20 https default port" },
	{ "GET http://a/x HTTP/1.1\r\n\r\n", 400, NONE, 0, 0, "#20 absolute-form still needs Host" },
	{ "GET /x#.php HTTP/1.1\r\nHost: a\r\n\r\n", 400, NONE, 0, 0, "#20 fragment" },
	{ "GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400, NONE, 0, 0, "#20 GET *" },
	{ "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400, NONE, 0, 0, "#21 TE in 1.0" },
	{ R11("Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\nConnection: Upgrade, HTTP2-Settings\r\n"), ACCEPT, NONE, 0, 1, "#23 h2c" },
	/* request-target forms (haproxy h1_request_target_validation) */
	{ "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", ACCEPT, NONE, 0, 1, "OPTIONS *" },
	{ "OPTIONS */test HTTP/1.1\r\nHost: a\r\n\r\n", 400, NONE, 0, 0, "OPTIONS */test" },
	{ "CONNECT a:80 HTTP/1.1\r\nHost: a:80\r\n\r\n", ACCEPT, NONE, 0, 1, "CONNECT host:port" },
	{ "CONNECT [2001:db8::1]:443 HTTP/1.1\r\nHost: [2001:db8::1]:443\r\n\r\n", ACCEPT, NONE, 0, 1, "CONNECT IPv6" },
	{ "CONNECT a HTTP/1.1\r\nHost: a\r\n\r\n", 400, NONE, 0, 0, "CONNECT host" },
	{ "CONNECT / HTTP/1.1\r\nHost: a\r\n\r\n", 400, NONE, 0, 0, "CONNECT /" },
	{ "CONNECT http://a:80 HTTP/1.1\r\nHost: a\r\n\r\n", 400, NONE, 0, 0, "CONNECT absolute" },
	{ "CONNECT a:80 HTTP/1.1\r\nHost: b:80\r\n\r\n", 400, NONE, 0, 0, "CONNECT, other Host" },
	{ "GET a:80 HTTP/1.1\r\nHost: a\r\n\r\n", 400, NONE, 0, 0, "GET authority-form" },
	{ "GET admin HTTP/1.1\r\nHost: a\r\n\r\n", 400, NONE, 0, 0, "GET admin" },
	{ "GET ftp://a/ HTTP/1.1\r\nHost: a\r\n\r\n", 400, NONE, 0, 0, "other scheme" },
	{ "GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n", 400, NONE, 0, 0, "empty authority" },
	{ "GET http://u@a/ HTTP/1.1\r\nHost: a\r\n\r\n", 400, NONE, 0, 0, "userinfo" },
	{ "GET /\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n", 400, NONE, 0, 0, "high bytes in target" },
	{ "GET /a\x01 HTTP/1.1\r\nHost: a\r\n\r\n", 400, NONE, 0, 0, "CTL in target" },
	{ "GET /a\tb HTTP/1.1\r\nHost: a\r\n\r\n", 400, NONE, 0, 0, "HTAB in target" },
	{ "GET /a\"b HTTP/1.1\r\nHost: a\r\n\r\n", ACCEPT, NONE, 0, 1, "quote in target (0x21-0x7e)" },
	/* request-line */
	{ "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400, NONE, 0, 0, "two SP" },
	{ "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400, NONE, 0, 0, "trailing SP" },
	{ " GET / HTTP/1.1\r\nHost: a\r\n\r\n", 400, NONE, 0, 0, "leading SP" },
	{ "GET /\r\n\r\n", 400, NONE, 0, 0, "no version (0.9)" },
	{ "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400, NONE, 0, 0, "non-token method" },
	{ "GET / HTTP/1.2\r\nHost: a\r\n\r\n", 505, NONE, 0, 0, "HTTP/1.2" },
	{ "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505, NONE, 0, 0, "HTTP/2.0" },
	{ "GET / HTTP/0.9\r\nHost: a\r\n\r\n", 505, NONE, 0, 0, "HTTP/0.9" },
	{ "GET / HTTP/1.10\r\nHost: a\r\n\r\n", 400, NONE, 0, 0, "HTTP/1.10" },
	{ "GET / http/1.1\r\nHost: a\r\n\r\n", 400, NONE, 0, 0, "lowercase version" },
	/* Host syntax */
	{ "GET / HTTP/1.1\r\nHost:\r\n\r\n", 400, NONE, 0, 0, "empty Host" },
	{ "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400, NONE, 0, 0, "SP in Host" },
	{ "GET / HTTP/1.1\r\nHost: a:\r\n\r\n", 400, NONE, 0, 0, "empty port" },
	{ "GET / HTTP/1.1\r\nHost: a:0\r\n\r\n", 400, NONE, 0, 0, "port 0" },
	{ "GET / HTTP/1.1\r\nHost: a:65536\r\n\r\n", 400, NONE, 0, 0, "port 65536" },
	{ "GET / HTTP/1.1\r\nHost: a:080x\r\n\r\n", 400, NONE, 0, 0, "bad port" },
	{ "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", 400, NONE, 0, 0, "userinfo in Host" },
	{ "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400, NONE, 0, 0, "slash in Host" },
	{ "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400, NONE, 0, 0, "unclosed IPv6" },
	{ "GET / HTTP/1.1\r\nHost: [v1.x]\r\n\r\n", 400, NONE, 0, 0, "IPvFuture" },
	{ "GET / HTTP/1.1\r\nHost: a%4\r\n\r\n", 400, NONE, 0, 0, "short pct-encoding" },
	{ "GET / HTTP/1.1\r\nHost: a%41.example:8080\r\n\r\n", ACCEPT, NONE, 0, 1, "pct-encoding, port" },
	{ "GET / HTTP/1.1\r\nHost: [2001:db8::1]:8080\r\n\r\n", ACCEPT, NONE, 0, 1, "IPv6 Host" },
	/* Expect */
	{ POST11("Expect: 100-Continue\r\nContent-Length: 5\r\n"), ACCEPT, LEN, 5, 1, "100-continue" },
	{ POST11("Expect: 200-ok\r\n"), 417, NONE, 0, 0, "other expectation" },
	/* incomplete */
	{ "GET / HTTP/1.1\r\nHost: a\r\n\r", MORE, NONE, 0, 0, "no final LF" },
	{ "GET / HTTP/1.1\r\nHost: a\r\n", MORE, NONE, 0, 0, "no empty line" },
	{ "GET / HTT", MORE, NONE, 0, 0, "in the request-line" },
	{ "\r\n", MORE, NONE, 0, 0, "an empty line" },
	{ "", MORE, NONE, 0, 0, "nothing" },
};

static ssize_t
parse_req(const char *buf, size_t n, const struct http1_limits *lim, struct http1_request *r,
    struct http1_hdr *hdrs, size_t cap)
{
	r->hdrs = hdrs;
	r->n_hdrs = cap;
	return http1_parse_request(buf, n, lim, r);
}

START_TEST(test_request_table)
{
	const struct req_case *c = &req_cases[_i];
	struct http1_hdr hdrs[NHDRS];
	struct http1_request r;
	struct guard g;
	size_t n = strlen(c->in);
	const char *buf = guard_copy(&g, c->in, n);
	ssize_t rc = parse_req(buf, n, NULL, &r, hdrs, NHDRS);

	if (c->status == MORE) {
		ck_assert_msg(rc == 0, "%s: rc %zd", c->why, rc);
	} else if (c->status != ACCEPT) {
		ck_assert_msg(rc == -1 && r.status == c->status, "%s: rc %zd status %d (%s)",
		    c->why, rc, r.status, r.error ? r.error : "");
		ck_assert_ptr_nonnull(r.error);
	} else {
		ck_assert_msg(rc == (ssize_t)head_len(c->in), "%s: rc %zd status %d (%s)",
		    c->why, rc, r.status, r.error ? r.error : "");
		ck_assert_msg(r.body == c->body, "%s: body %d", c->why, r.body);
		ck_assert_msg(r.content_length == c->cl, "%s: cl", c->why);
		ck_assert_msg(r.keep_alive == c->ka, "%s: keep_alive %d", c->why, r.keep_alive);
	}
	guard_free(&g);
}
END_TEST

START_TEST(test_request_fields)
{
	static const char in[] = "\r\nPOST /p/a?q=1?2 HTTP/1.1\r\nHost: Example.COM:8080\r\n"
	    "Content-Length:  12 \r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\n\r\nbody";
	struct http1_hdr hdrs[8];
	struct http1_request r;
	struct guard g;
	size_t n = sizeof(in) - 1;
	const char *buf = guard_copy(&g, in, n);

	ck_assert_int_eq(parse_req(buf, n, NULL, &r, hdrs, 8), n - 4);
	ck_assert_int_eq(r.method, HTTP1_METHOD_POST);
	ck_assert(r.method_name == buf + 2 && r.method_len == 4);
	ck_assert_int_eq(r.form, HTTP1_TARGET_ORIGIN);
	ck_assert(r.target == buf + 7 && r.target_len == 10);
	ck_assert(r.path == buf + 7 && r.path_len == 4);
	ck_assert(r.query == buf + 12 && r.query_len == 5);
	ck_assert_uint_eq(r.minor, 1);
	ck_assert_uint_eq(r.n_hdrs, 4);
	ck_assert(r.host_len == 11 && memcmp(r.host, "Example.COM", 11) == 0);
	ck_assert_uint_eq(r.port, 8080);
	ck_assert_int_eq(r.body, HTTP1_BODY_LENGTH);
	ck_assert_uint_eq(r.content_length, 12);
	ck_assert(r.keep_alive && !r.expect_continue && !r.upgrade && r.conn_other);
	ck_assert(http1_conn_lists(r.hdrs, r.n_hdrs, "x-hop", 5));
	ck_assert(http1_conn_lists(r.hdrs, r.n_hdrs, "Keep-Alive", 10));
	ck_assert(!http1_conn_lists(r.hdrs, r.n_hdrs, "X-Ho", 4));
	ck_assert(hdrs[1].value_len == 2 && memcmp(hdrs[1].value, "12", 2) == 0);
	guard_free(&g);
}
END_TEST

START_TEST(test_request_forms)
{
	struct http1_hdr hdrs[8];
	struct http1_request r;
	const char *s;

	s = "GET HTTP://a.example?x HTTP/1.1\r\nHost: a.example\r\n\r\n";
	ck_assert_int_gt(parse_req(s, strlen(s), NULL, &r, hdrs, 8), 0);
	ck_assert_int_eq(r.form, HTTP1_TARGET_ABSOLUTE);
	ck_assert(r.path == s + 20 && r.path_len == 0);		/* means "/" */
	ck_assert(r.query_len == 1 && r.query[0] == 'x');
	ck_assert(r.host == s + 11 && r.host_len == 9 && r.port == 0);

	s = "GET https://[2001:db8::1]:8443/x HTTP/1.1\r\nHost: [2001:DB8::1]:8443\r\n\r\n";
	ck_assert_int_gt(parse_req(s, strlen(s), NULL, &r, hdrs, 8), 0);
	ck_assert(r.host == s + 12 && r.host_len == 13 && r.port == 8443);
	ck_assert(r.path_len == 2 && r.query == NULL);

	s = "CONNECT a.example:443 HTTP/1.1\r\nHost: a.example\r\n\r\n";
	ck_assert_int_gt(parse_req(s, strlen(s), NULL, &r, hdrs, 8), 0);
	ck_assert_int_eq(r.method, HTTP1_METHOD_CONNECT);
	ck_assert_int_eq(r.form, HTTP1_TARGET_AUTHORITY);
	ck_assert(r.host == s + 8 && r.host_len == 9 && r.port == 443 && r.path == NULL);

	s = "OPTIONS * HTTP/1.0\r\n\r\n";
	ck_assert_int_gt(parse_req(s, strlen(s), NULL, &r, hdrs, 8), 0);
	ck_assert_int_eq(r.form, HTTP1_TARGET_ASTERISK);
	ck_assert(r.host == NULL && r.path == NULL && !r.keep_alive);

	s = "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n";	/* not in Connection */
	ck_assert_int_gt(parse_req(s, strlen(s), NULL, &r, hdrs, 8), 0);
	ck_assert(!r.upgrade);
	s = "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: h2c, websocket/13\r\nConnection: upgrade\r\n\r\n";
	ck_assert_int_gt(parse_req(s, strlen(s), NULL, &r, hdrs, 8), 0);
	ck_assert(r.upgrade && r.upgrade_h2c);
	s = "GET / HTTP/1.0\r\nUpgrade: h2c\r\nConnection: upgrade\r\n\r\n";	/* RFC 9110 7.8 */
	ck_assert_int_gt(parse_req(s, strlen(s), NULL, &r, hdrs, 8), 0);
	ck_assert(!r.upgrade);
	s = "GET / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n";	/* RFC 9110 10.1.1 */
	ck_assert_int_gt(parse_req(s, strlen(s), NULL, &r, hdrs, 8), 0);
	ck_assert(!r.expect_continue);

	/* l7.md 1.4 #19: Connection never makes framing or Host hop-by-hop. */
	s = "GET / HTTP/1.1\r\nHost: a\r\nConnection: content-length, Transfer-Encoding,HOST, TE\r\n"
	    "Content-Length: 0\r\n\r\n";
	ck_assert_int_gt(parse_req(s, strlen(s), NULL, &r, hdrs, 8), 0);
	ck_assert(r.conn_other && r.keep_alive);
	ck_assert(!http1_conn_lists(r.hdrs, r.n_hdrs, "Content-Length", 14));
	ck_assert(!http1_conn_lists(r.hdrs, r.n_hdrs, "transfer-encoding", 17));
	ck_assert(!http1_conn_lists(r.hdrs, r.n_hdrs, "Host", 4));
	ck_assert(http1_conn_lists(r.hdrs, r.n_hdrs, "te", 2));
}
END_TEST

/* A request whose request-line is `line` bytes and whose head is `head`
 * bytes, with `nf` >= 2 fields (Host, X2..., Z). */
static size_t
build_request(char *buf, size_t line, size_t head, size_t nf)
{
	size_t off, i, pad;

	memcpy(buf, "GET /", 5);
	memset(buf + 5, 'a', line - 14);
	memcpy(buf + line - 9, " HTTP/1.1\r\nHost: a\r\n", 20);
	off = line + 11;
	for (i = 2; i < nf; i++)
		off += (size_t)sprintf(buf + off, "X%zu: v\r\n", i);
	ck_assert(head >= off + 6);
	pad = head - off - 6;		/* "Z:" pad "\r\n" "\r\n", pad >= 1 */
	ck_assert_uint_ge(pad, 1);
	memcpy(buf + off, "Z: ", 3);
	memset(buf + off + 3, 'z', pad - 1);
	memcpy(buf + off + 2 + pad, "\r\n\r\n", 4);
	return head;
}

START_TEST(test_request_limits)
{
	static char buf[HTTP1_HEADER_SIZE_MAX + 1024];
	struct http1_limits lim = { 100, 1000, 10 };
	struct http1_hdr hdrs[NHDRS];
	struct http1_request r;
	size_t n;

	/* request-line: 100 bytes fine, 101 too long, even unfinished. */
	n = build_request(buf, 100, 200, 2);
	ck_assert_int_eq(parse_req(buf, n, &lim, &r, hdrs, NHDRS), n);
	n = build_request(buf, 101, 200, 2);
	ck_assert_int_eq(parse_req(buf, n, &lim, &r, hdrs, NHDRS), -1);
	ck_assert_int_eq(r.status, 414);
	ck_assert_int_eq(parse_req(buf, 102, &lim, &r, hdrs, NHDRS), -1);
	ck_assert_int_eq(r.status, 414);
	ck_assert_int_eq(parse_req(buf, 101, &lim, &r, hdrs, NHDRS), 0);

	/* head: 1000 bytes fine, 1001 too large, even unfinished. */
	n = build_request(buf, 50, 1000, 2);
	ck_assert_int_eq(parse_req(buf, n, &lim, &r, hdrs, NHDRS), n);
	n = build_request(buf, 50, 1001, 2);
	ck_assert_int_eq(parse_req(buf, n, &lim, &r, hdrs, NHDRS), -1);
	ck_assert_int_eq(r.status, 431);
	ck_assert_int_eq(parse_req(buf, 1000, &lim, &r, hdrs, NHDRS), -1);
	ck_assert_int_eq(r.status, 431);
	ck_assert_int_eq(parse_req(buf, 999, &lim, &r, hdrs, NHDRS), 0);

	/* fields: 10 fine, 11 too many; the array is a limit too. */
	n = build_request(buf, 50, 300, 10);
	ck_assert_int_eq(parse_req(buf, n, &lim, &r, hdrs, NHDRS), n);
	ck_assert_uint_eq(r.n_hdrs, 10);
	ck_assert_int_eq(parse_req(buf, n, &lim, &r, hdrs, 9), -1);
	ck_assert_int_eq(r.status, 431);
	n = build_request(buf, 50, 300, 11);
	ck_assert_int_eq(parse_req(buf, n, &lim, &r, hdrs, NHDRS), -1);
	ck_assert_int_eq(r.status, 431);

	/* Defaults: 16 KB; max_header_size is clamped to 64 KB. */
	n = build_request(buf, 50, HTTP1_HEADER_SIZE_DEFAULT, 2);
	ck_assert_int_eq(parse_req(buf, n, NULL, &r, hdrs, NHDRS), n);
	n = build_request(buf, 50, HTTP1_HEADER_SIZE_DEFAULT + 1, 2);
	ck_assert_int_eq(parse_req(buf, n, NULL, &r, hdrs, NHDRS), -1);
	ck_assert_int_eq(r.status, 431);
	lim.max_request_line = SIZE_MAX;	/* no overflow: the head limit still holds */
	lim.max_header_size = 1000;
	n = build_request(buf, 50, 300, 2);
	ck_assert_int_eq(parse_req(buf, n, &lim, &r, hdrs, NHDRS), n);
	n = build_request(buf, 999, 1040, 2);
	ck_assert_int_eq(parse_req(buf, n, &lim, &r, hdrs, NHDRS), -1);
	ck_assert_int_eq(r.status, 414);
	lim.max_header_size = SIZE_MAX;
	n = build_request(buf, 50, HTTP1_HEADER_SIZE_MAX, 2);
	ck_assert_int_eq(parse_req(buf, n, &lim, &r, hdrs, NHDRS), n);
	n = build_request(buf, 50, HTTP1_HEADER_SIZE_MAX + 1, 2);
	ck_assert_int_eq(parse_req(buf, n, &lim, &r, hdrs, NHDRS), -1);
	ck_assert_int_eq(r.status, 431);
}
END_TEST

static const char *const req_split[] = {
	"GET /index.html?a=b HTTP/1.1\r\nHost: www.example\r\nUser-Agent: t\r\nAccept: */*\r\n\r\n",
	("\r\nPOST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n"
	    "5\r\nhello\r\n0\r\n\r\n"),
	"GET http://a:8080/x HTTP/1.1\r\nHost: a:8080\r\nConnection: close\r\n\r\n",
	"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n",
	"PUT / HTTP/1.0\r\nContent-Length: 3\r\nConnection: keep-alive\r\n\r\nabc",
	"GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n",					/* 400 */
	"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",	/* 400 */
	"GET / HTTP/1.1\r\nHost: a\r\nX: y\r\n z\r\n\r\n",					/* 400 */
	"GET / HTTP/2.0\r\n\r\n",								/* 505 */
};

START_TEST(test_request_split)
{
	const char *in = req_split[_i];
	size_t n = strlen(in), k;
	struct http1_hdr hdrs[NHDRS], hdrs2[NHDRS];
	struct http1_request whole, part;
	ssize_t rc, prc;
	struct guard g;

	rc = parse_req(in, n, NULL, &whole, hdrs, NHDRS);
	ck_assert(rc != 0);
	for (k = 0; k < n; k++) {
		const char *buf = guard_copy(&g, in, k);

		prc = parse_req(buf, k, NULL, &part, hdrs2, NHDRS);
		if (rc > 0 && k < (size_t)rc)
			ck_assert_msg(prc == 0, "prefix %zu: %zd", k, prc);
		else
			ck_assert_msg(prc == 0 || prc == rc, "prefix %zu: %zd, whole %zd", k, prc, rc);
		if (prc == -1)
			ck_assert_int_eq(part.status, whole.status);
		if (prc > 0) {
			ck_assert_int_eq(part.method, whole.method);
			ck_assert_uint_eq(part.n_hdrs, whole.n_hdrs);
			ck_assert_uint_eq(part.host_len, whole.host_len);
			ck_assert_int_eq(part.body, whole.body);
			ck_assert_int_eq(part.keep_alive, whole.keep_alive);
			ck_assert_int_eq(part.expect_continue, whole.expect_continue);
		}
		guard_free(&g);
	}
}
END_TEST

/* Chunked scanner --------------------------------------------------------- */

#define S(s)	s, sizeof(s) - 1	/* a literal and its length: NUL bytes inside */

struct chunk_case {
	const char	*in;
	size_t		 len;
	int		 ok;		/* 1: valid body, 0: bad framing */
	const char	*data;		/* decoded, when ok */
	size_t		 rest;		/* bytes of in after the body */
	const char	*why;
};

static const struct chunk_case chunk_cases[] = {
	{ S("5\r\nhello\r\n0\r\n\r\n"), 1, "hello", 0, "one chunk" },
	{ S("0\r\n\r\n"), 1, "", 0, "empty body" },
	{ S("000\r\n\r\n"), 1, "", 0, "last chunk 000" },
	{ S("3\r\nabc\r\nA\r\n0123456789\r\n0\r\n\r\n"), 1, "abc0123456789", 0, "two chunks" },
	{ S("a\r\n0123456789\r\n0\r\n\r\n"), 1, "0123456789", 0, "lowercase hex" },
	{ S("0005\r\nhello\r\n0\r\n\r\n"), 1, "hello", 0, "leading zeros" },
	{ S("5;a=b\r\nhello\r\n0\r\n\r\n"), 1, "hello", 0, "extension" },
	{ S("5 ; a = b ; c\r\nhello\r\n0;x\r\n\r\n"), 1, "hello", 0, "extensions with BWS" },
	{ S("5;a=\"q \\\" ;\"\r\nhello\r\n0\r\n\r\n"), 1, "hello", 0, "quoted extension" },
	{ S("5;a=\"\x80\"\r\nhello\r\n0\r\n\r\n"), 1, "hello", 0, "obs-text in quoted" },
	{ S("5\r\nhello\r\n0\r\nExpires: never\r\nX-Sum:  1 \r\n\r\n"), 1, "hello", 0, "trailers" },
	{ S("5\r\nhello\r\n0\r\nX:\r\n\r\n"), 1, "hello", 0, "empty trailer value" },
	{ S("5\r\nhe\r\n\r\r\n0\r\n\r\n"), 1, "he\r\n\r", 0, "CRLF inside data" },
	{ S("5\r\nhello\r\n0\r\n\r\nGET / HTTP/1.1\r\n"), 1, "hello", 16, "next message not consumed" },
	{ S("3fffffffffffffff\r\n"), 1, NULL, 0, "2^62-1: fine (body incomplete)" },
	{ S("4000000000000000\r\n"), 1, NULL, 0, "2^62: fine (body incomplete)" },
	/* vector 18 and friends */
	{ S("4000000000000001\r\n"), 0, NULL, 0, "over 2^62" },
	{ S("ffffffffffffffffff\r\n"), 0, NULL, 0, "overflow" },
	{ S("00000000000000001\r\n"), 0, NULL, 0, "17 digits" },
	{ S("0x5\r\nhello\r\n0\r\n\r\n"), 0, NULL, 0, "0x" },
	{ S("+5\r\nhello\r\n0\r\n\r\n"), 0, NULL, 0, "plus" },
	{ S("-5\r\nhello\r\n0\r\n\r\n"), 0, NULL, 0, "minus" },
	{ S(" 5\r\nhello\r\n0\r\n\r\n"), 0, NULL, 0, "leading SP" },
	{ S("5 \r\nhello\r\n0\r\n\r\n"), 0, NULL, 0, "trailing SP" },
	{ S("5\t\r\nhello\r\n0\r\n\r\n"), 0, NULL, 0, "trailing HTAB" },
	{ S("5 5\r\nhello\r\n0\r\n\r\n"), 0, NULL, 0, "two numbers" },
	{ S("\r\nhello\r\n0\r\n\r\n"), 0, NULL, 0, "empty size" },
	{ S("g\r\n"), 0, NULL, 0, "not hex" },
	{ S("5\nhello\r\n0\r\n\r\n"), 0, NULL, 0, "bare LF after size" },
	{ S("5\rhello\r\n0\r\n\r\n"), 0, NULL, 0, "bare CR after size" },
	{ S("5\r\nhelloX\r\n0\r\n\r\n"), 0, NULL, 0, "data longer than size" },
	{ S("5\r\nhello\n0\r\n\r\n"), 0, NULL, 0, "bare LF after data" },
	{ S("5\r\nhello0\r\n\r\n"), 0, NULL, 0, "no CRLF after data" },
	{ S("5\r\nhello\r\n0\r\n\n"), 0, NULL, 0, "bare LF at the end" },
	{ S("5;\r\nhello\r\n0\r\n\r\n"), 0, NULL, 0, "empty extension name" },
	{ S("5;a=\r\nhello\r\n0\r\n\r\n"), 0, NULL, 0, "empty extension value" },
	{ S("5;a \r\nhello\r\n0\r\n\r\n"), 0, NULL, 0, "SP before CRLF" },
	{ S("5;a=b \r\nhello\r\n0\r\n\r\n"), 0, NULL, 0, "SP after value" },
	{ S("5;a=\"b\r\nhello\r\n0\r\n\r\n"), 0, NULL, 0, "unterminated quote" },
	{ S("5;a=\"b\x01\"\r\nhello\r\n0\r\n\r\n"), 0, NULL, 0, "CTL in quoted" },
	{ S("5;a\nb\r\nhello\r\n0\r\n\r\n"), 0, NULL, 0, "LF in extension" },
	{ S("5;a\rb\r\nhello\r\n0\r\n\r\n"), 0, NULL, 0, "CR in extension" },
	{ S("5;a@b\r\nhello\r\n0\r\n\r\n"), 0, NULL, 0, "@ in extension name" },
	{ S("5;a=b=c\r\nhello\r\n0\r\n\r\n"), 0, NULL, 0, "two =" },
	{ S("5\r\nhello\r\n0\r\n X: y\r\n\r\n"), 0, NULL, 0, "trailer obs-fold" },
	{ S("5\r\nhello\r\n0\r\nX : y\r\n\r\n"), 0, NULL, 0, "trailer SP before colon" },
	{ S("5\r\nhello\r\n0\r\n: y\r\n\r\n"), 0, NULL, 0, "trailer empty name" },
	{ S("5\r\nhello\r\n0\r\nX: a\rb\r\n\r\n"), 0, NULL, 0, "trailer bare CR" },
	{ S("5\r\nhello\r\n0\r\nX: a\x00" "b\r\n\r\n"), 0, NULL, 0, "trailer NUL" },
	{ S("5\r\nhello\r\n0\r\nX: y\n\r\n"), 0, NULL, 0, "trailer bare LF" },
};

struct walk {
	char	 data[256];
	size_t	 data_len;
	size_t	 consumed;
	int	 rc;		/* 1 done, 0 want more, -1 error */
};

/* Walk in pieces of at most `piece` bytes, as a reader would. */
static void
chunk_walk(const char *in, size_t n, size_t piece, struct walk *w)
{
	struct http1_chunked c;
	size_t off = 0, dl;
	ssize_t rc;

	memset(w, 0, sizeof(*w));
	http1_chunked_init(&c);
	while (!http1_chunked_done(&c)) {
		size_t avail = n - off < piece ? n - off : piece;

		rc = http1_chunked_step(&c, in + off, avail, &dl);
		if (rc == -1) {
			ck_assert_ptr_nonnull(c.error);
			w->rc = -1;
			return;
		}
		ck_assert((size_t)rc <= avail && dl <= (size_t)rc);
		if (rc == 0) {
			ck_assert(avail == 0);
			w->rc = 0;
			return;
		}
		ck_assert(w->data_len + dl <= sizeof(w->data));
		memcpy(w->data + w->data_len, in + off, dl);
		w->data_len += dl;
		off += (size_t)rc;
	}
	w->consumed = off;
	w->rc = 1;
	/* Done: nothing more is consumed. */
	ck_assert_int_eq(http1_chunked_step(&c, "x", 1, &dl), 0);
}

START_TEST(test_chunked_table)
{
	const struct chunk_case *c = &chunk_cases[_i];
	size_t n = c->len;
	struct walk whole, bytes, three;
	struct guard g;
	const char *buf = guard_copy(&g, c->in, n);
	chunk_walk(buf, n, n, &whole);
	chunk_walk(buf, n, 1, &bytes);
	chunk_walk(buf, n, 3, &three);
	if (!c->ok) {
		ck_assert_msg(whole.rc == -1, "%s: whole %d", c->why, whole.rc);
		ck_assert_msg(bytes.rc == -1, "%s: bytes %d", c->why, bytes.rc);
		ck_assert_msg(three.rc == -1, "%s: three %d", c->why, three.rc);
	} else if (c->data == NULL) {
		ck_assert_msg(whole.rc == 0 && bytes.rc == 0, "%s", c->why);
	} else {
		size_t body = n - c->rest;

		ck_assert_msg(whole.rc == 1 && bytes.rc == 1 && three.rc == 1, "%s: %d %d %d",
		    c->why, whole.rc, bytes.rc, three.rc);
		ck_assert_msg(whole.consumed == body && bytes.consumed == body &&
		    three.consumed == body, "%s: consumed %zu", c->why, whole.consumed);
		ck_assert_uint_eq(whole.data_len, strlen(c->data));
		ck_assert(memcmp(whole.data, c->data, whole.data_len) == 0);
		ck_assert_uint_eq(bytes.data_len, whole.data_len);
		ck_assert(memcmp(bytes.data, c->data, bytes.data_len) == 0);
		ck_assert_uint_eq(three.data_len, whole.data_len);
		ck_assert(memcmp(three.data, c->data, three.data_len) == 0);
	}
	guard_free(&g);
}
END_TEST

START_TEST(test_chunked_data_left)
{
	struct http1_chunked c;
	size_t dl;

	http1_chunked_init(&c);
	ck_assert_uint_eq(http1_chunked_data_left(&c), 0);
	ck_assert_int_eq(http1_chunked_step(&c, "a;x=1\r\n", 7, &dl), 7);
	ck_assert_uint_eq(dl, 0);
	ck_assert_uint_eq(http1_chunked_data_left(&c), 10);
	ck_assert_int_eq(http1_chunked_step(&c, "0123", 4, &dl), 4);
	ck_assert_uint_eq(dl, 4);
	ck_assert_uint_eq(http1_chunked_data_left(&c), 6);
	/* The rest of the data, its CRLF and the next size line in one call:
	 * data first, then framing up to the next data byte. */
	ck_assert_int_eq(http1_chunked_step(&c, "456789\r\n3\r\nabc", 14, &dl), 11);
	ck_assert_uint_eq(dl, 6);
	ck_assert_uint_eq(http1_chunked_data_left(&c), 3);
	ck_assert_int_eq(http1_chunked_step(&c, "abc\r\n0\r\n\r\nnext", 14, &dl), 10);
	ck_assert_uint_eq(dl, 3);
	ck_assert(http1_chunked_done(&c));
	ck_assert_uint_eq(http1_chunked_data_left(&c), 0);
	ck_assert_int_eq(http1_chunked_step(&c, "next", 4, &dl), 0);
	ck_assert_int_eq(http1_chunked_step(&c, "", 0, &dl), 0);
}
END_TEST

START_TEST(test_chunked_error_position)
{
	struct http1_chunked c;
	size_t dl;

	/* Bytes before the bad one are reported, then the error, for good. */
	http1_chunked_init(&c);
	ck_assert_int_eq(http1_chunked_step(&c, "2\r\nab\r\nx", 8, &dl), 3);
	ck_assert_uint_eq(dl, 0);
	ck_assert_int_eq(http1_chunked_step(&c, "ab\r\nx", 5, &dl), 4);
	ck_assert_uint_eq(dl, 2);
	ck_assert_int_eq(http1_chunked_step(&c, "x", 1, &dl), -1);
	ck_assert_ptr_nonnull(c.error);
	ck_assert_int_eq(http1_chunked_step(&c, "1\r\n", 3, &dl), -1);
	ck_assert_int_eq(http1_chunked_step(&c, "", 0, &dl), -1);
}
END_TEST

START_TEST(test_chunked_limits)
{
	static char buf[HTTP1_TRAILERS_MAX + 64];
	struct http1_chunked c;
	size_t dl, n;
	ssize_t rc;

	/* chunk-ext up to HTTP1_CHUNK_EXT_MAX bytes, ";" included. */
	memset(buf, 'e', sizeof(buf));
	buf[0] = '1';
	buf[1] = ';';
	memcpy(buf + 1 + HTTP1_CHUNK_EXT_MAX, "\r\nx\r\n", 5);
	http1_chunked_init(&c);
	rc = http1_chunked_step(&c, buf, 1 + HTTP1_CHUNK_EXT_MAX + 5, &dl);
	ck_assert_int_eq(rc, 1 + HTTP1_CHUNK_EXT_MAX + 2);
	ck_assert_uint_eq(http1_chunked_data_left(&c), 1);
	memcpy(buf + 1 + HTTP1_CHUNK_EXT_MAX, "e\r\nx\r\n", 6);
	http1_chunked_init(&c);
	rc = http1_chunked_step(&c, buf, 1 + HTTP1_CHUNK_EXT_MAX + 6, &dl);
	ck_assert_int_eq(rc, 1 + HTTP1_CHUNK_EXT_MAX);
	ck_assert_int_eq(http1_chunked_step(&c, buf + rc, 1, &dl), -1);

	/* Trailers up to HTTP1_TRAILERS_MAX bytes, final CRLF included. */
	memcpy(buf, "0\r\nX:", 5);
	n = 3 + HTTP1_TRAILERS_MAX;
	memset(buf + 5, 'v', n - 5);
	memcpy(buf + n - 4, "\r\n\r\n", 4);
	http1_chunked_init(&c);
	ck_assert_int_eq(http1_chunked_step(&c, buf, n, &dl), n);
	ck_assert(http1_chunked_done(&c));
	memset(buf + 5, 'v', n + 1 - 5);
	memcpy(buf + n + 1 - 4, "\r\n\r\n", 4);
	http1_chunked_init(&c);
	rc = http1_chunked_step(&c, buf, n + 1, &dl);
	ck_assert(rc == -1 || (rc > 0 && http1_chunked_step(&c, buf + rc, n + 1 - (size_t)rc,
	    &dl) == -1));
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("http1");
	TCase *tc;

	tc = tcase_create("response");
	tcase_add_loop_test(tc, test_response_table, 0, NELEM(resp_cases));
	tcase_add_test(tc, test_response_fields);
	tcase_add_loop_test(tc, test_response_split, 0, NELEM(resp_split));
	suite_add_tcase(s, tc);

	tc = tcase_create("request");
	tcase_add_loop_test(tc, test_request_table, 0, NELEM(req_cases));
	tcase_add_test(tc, test_request_fields);
	tcase_add_test(tc, test_request_forms);
	tcase_add_test(tc, test_request_limits);
	tcase_add_loop_test(tc, test_request_split, 0, NELEM(req_split));
	suite_add_tcase(s, tc);

	tc = tcase_create("chunked");
	tcase_add_loop_test(tc, test_chunked_table, 0, NELEM(chunk_cases));
	tcase_add_test(tc, test_chunked_data_left);
	tcase_add_test(tc, test_chunked_error_position);
	tcase_add_test(tc, test_chunked_limits);
	suite_add_tcase(s, tc);
	return s;
}
