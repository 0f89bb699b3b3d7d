/* libFuzzer harness: the HTTP/1.1 request head parser (lib/http1_request.c
 * and the shared parts of lib/http1.c).
 *
 * The input is parsed with the default limits and with small ones (so the
 * 414 and 431 paths are reached).  Asserted: the head length is within the
 * input and the limits; every pointer lies inside the head and what it
 * points to is well formed (tokens, target bytes, trimmed values); a
 * refusal carries one of the documented statuses; a prefix of the input
 * says "need more" or the same as the whole, status included; the input
 * followed by more bytes gives the same answer when the head was complete
 * or refused.
 * Build and run: `make fuzz` / `make fuzz-regress` (test/fuzz/fuzz.mk).
 */
#include "config.h"

#include "test/fuzz/fuzz.h"

#include <stdbool.h>
#include <string.h>

#include "lib/http1.h"
#include "test/fuzz/fuzz_http1.h"

#define NHDRS	32

static ssize_t
parse(const char *buf, size_t len, const struct http1_limits *lim, struct http1_request *r,
    struct http1_hdr *h)
{
	r->hdrs = h;
	r->n_hdrs = NHDRS;
	return http1_parse_request(buf, len, lim, r);
}

static void
check_target(const struct http1_request *r)
{
	size_t i;

	for (i = 0; i < r->target_len; i++) {
		unsigned char c = (unsigned char)r->target[i];

		FUZZ_ASSERT(c > 0x20 && c < 0x7f && c != '#');
	}
	FUZZ_ASSERT((r->method == HTTP1_METHOD_CONNECT) == (r->form == HTTP1_TARGET_AUTHORITY));
	if (r->form == HTTP1_TARGET_ASTERISK)
		FUZZ_ASSERT(r->method == HTTP1_METHOD_OPTIONS && r->target_len == 1);
	if (r->form == HTTP1_TARGET_ORIGIN)
		FUZZ_ASSERT(r->path == r->target && r->target[0] == '/');
	if (r->form == HTTP1_TARGET_ORIGIN || r->form == HTTP1_TARGET_ABSOLUTE) {
		FUZZ_ASSERT(inside(r->path, r->path_len, r->target, r->target_len));
		FUZZ_ASSERT(r->query == NULL ||
		    (inside(r->query, r->query_len, r->target, r->target_len) &&
		    r->query == r->path + r->path_len + 1 && r->query[-1] == '?'));
		FUZZ_ASSERT(memchr(r->path, '?', r->path_len) == NULL);
	} else {
		FUZZ_ASSERT(r->path == NULL && r->query == NULL);
	}
}

static void
check_head(const char *buf, size_t len, const struct http1_limits *lim,
    const struct http1_request *r, ssize_t rc)
{
	size_t i;

	FUZZ_ASSERT(rc >= 4 && (size_t)rc <= len);
	FUZZ_ASSERT(memcmp(buf + rc - 4, "\r\n\r\n", 4) == 0);
	FUZZ_ASSERT((size_t)rc <= (lim ? lim->max_header_size : HTTP1_HEADER_SIZE_DEFAULT));
	FUZZ_ASSERT(r->n_hdrs <= (lim ? lim->max_headers : HTTP1_HEADERS_DEFAULT));
	FUZZ_ASSERT(r->minor <= 1 && r->status == 0 && r->error == NULL);
	FUZZ_ASSERT(r->method_len > 0 && inside(r->method_name, r->method_len, buf, (size_t)rc));
	for (i = 0; i < r->method_len; i++)
		FUZZ_ASSERT(is_tchar((unsigned char)r->method_name[i]));
	FUZZ_ASSERT(r->target_len > 0 && inside(r->target, r->target_len, buf, (size_t)rc));
	check_target(r);
	check_hdrs(r->hdrs, r->n_hdrs, buf, (size_t)rc);
	if (r->minor == 1)
		FUZZ_ASSERT(r->host != NULL);
	if (r->host != NULL)
		FUZZ_ASSERT(r->host_len > 0 && inside(r->host, r->host_len, buf, (size_t)rc));
	FUZZ_ASSERT(r->port <= 65535);
	FUZZ_ASSERT(r->body <= HTTP1_BODY_CHUNKED);
	if (r->body != HTTP1_BODY_LENGTH)
		FUZZ_ASSERT(r->content_length == 0);
	if (r->body == HTTP1_BODY_CHUNKED || r->upgrade || r->expect_continue)
		FUZZ_ASSERT(r->minor == 1);
	FUZZ_ASSERT(!r->upgrade_h2c || r->upgrade);
}

static void
same(const struct http1_request *a, const char *abuf, const struct http1_request *b,
    const char *bbuf)
{
	FUZZ_ASSERT(a->method == b->method && a->form == b->form && a->minor == b->minor);
	FUZZ_ASSERT(a->target - abuf == b->target - bbuf && a->target_len == b->target_len);
	FUZZ_ASSERT(a->n_hdrs == b->n_hdrs && a->body == b->body);
	FUZZ_ASSERT(a->content_length == b->content_length);
	FUZZ_ASSERT(a->host_len == b->host_len && a->port == b->port);
	FUZZ_ASSERT(a->keep_alive == b->keep_alive && a->upgrade == b->upgrade);
	FUZZ_ASSERT(a->expect_continue == b->expect_continue);
}

static void
fuzz_one(const char *buf, size_t len, const struct http1_limits *lim)
{
	struct http1_hdr h[NHDRS], h2[NHDRS];
	struct http1_request r, r2;
	ssize_t rc, rc2;
	char *more;
	size_t k;

	rc = parse(buf, len, lim, &r, h);
	FUZZ_ASSERT(rc >= -1);
	if (rc == -1) {
		FUZZ_ASSERT(r.error != NULL);
		FUZZ_ASSERT(r.status == 400 || r.status == 414 || r.status == 417 ||
		    r.status == 431 || r.status == 501 || r.status == 505);
	}
	if (rc > 0)
		check_head(buf, len, lim, &r, rc);

	for (k = len / 2; k < len; k += k / 2 + 1) {
		rc2 = parse(buf, k, lim, &r2, h2);
		FUZZ_ASSERT(rc2 == 0 || rc2 == rc);
		if (rc2 == -1)
			FUZZ_ASSERT(r2.status == r.status);
		if (rc2 > 0)
			same(&r, buf, &r2, buf);
	}
	if (rc > 0)
		FUZZ_ASSERT(parse(buf, (size_t)rc - 1, lim, &r2, h2) == 0);

	if ((more = malloc(len + 3)) == NULL)
		abort();
	memcpy(more, buf, len);
	memcpy(more + len, "\r\n\r", 3);
	rc2 = parse(more, len + 3, lim, &r2, h2);
	if (rc != 0)
		FUZZ_ASSERT(rc2 == rc);
	if (rc == -1)
		FUZZ_ASSERT(r2.status == r.status);
	if (rc > 0)
		same(&r, buf, &r2, more);
	free(more);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct http1_limits small = { 64, 256, 8 };
	char *buf = malloc(size ? size : 1);	/* exactly size bytes for ASan */

	if (buf == NULL)
		abort();
	memcpy(buf, data, size);
	fuzz_one(buf, size, NULL);
	fuzz_one(buf, size, &small);
	free(buf);
	return 0;
}
