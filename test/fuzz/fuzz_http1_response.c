/* libFuzzer harness: the HTTP/1.1 response head parser and the chunked
 * body scanner (lib/http1.c, lib/http1_chunked.c).
 *
 * The input is parsed as a response head (as an answer to GET and to
 * HEAD).  Asserted: the head length is within the input; what it points
 * to lies inside the head and is well formed; a prefix of the input says
 * "need more" or the same as the whole; the input followed by more bytes
 * gives the same answer when the head was complete or malformed.
 * When the body is chunked, the bytes after the head go through the
 * scanner; the input itself is also scanned as a chunked body (what
 * fuzz_chunked.h asserts; fuzz_http1_chunked.c fuzzes the scanner alone).
 * Build and run: `make fuzz` / `make fuzz-regress` (test/fuzz/fuzz.mk).
 */
#include "config.h"

#include "test/fuzz/fuzz.h"

#include <stdbool.h>
#include <string.h>

#include "lib/http1.h"
#include "test/fuzz/fuzz_chunked.h"
#include "test/fuzz/fuzz_http1.h"

#define NHDRS	32

/* Response head -------------------------------------------------------------- */

static ssize_t
parse(const char *buf, size_t len, bool head, struct http1_response *r, struct http1_hdr *h)
{
	r->hdrs = h;
	r->n_hdrs = NHDRS;
	return http1_parse_response(buf, len, head, r);
}

static void
same(const struct http1_response *a, const struct http1_response *b)
{
	size_t i;

	FUZZ_ASSERT(a->status == b->status && a->minor == b->minor);
	FUZZ_ASSERT(a->reason == b->reason && a->reason_len == b->reason_len);
	FUZZ_ASSERT(a->n_hdrs == b->n_hdrs && a->body == b->body);
	FUZZ_ASSERT(a->content_length == b->content_length);
	FUZZ_ASSERT(a->keep_alive == b->keep_alive && a->upgrade == b->upgrade);
	for (i = 0; i < a->n_hdrs; i++)
		FUZZ_ASSERT(a->hdrs[i].name == b->hdrs[i].name &&
		    a->hdrs[i].value_len == b->hdrs[i].value_len);
}

static void
check_head(const char *buf, size_t len, bool head, const struct http1_response *r, ssize_t rc)
{
	FUZZ_ASSERT(rc >= 4 && (size_t)rc <= len);
	FUZZ_ASSERT(memcmp(buf + rc - 4, "\r\n\r\n", 4) == 0);
	FUZZ_ASSERT(r->status >= 100 && r->status <= 599 && r->minor <= 1);
	FUZZ_ASSERT(r->n_hdrs <= NHDRS);
	FUZZ_ASSERT(inside(r->reason, r->reason_len, buf, (size_t)rc));
	check_hdrs(r->hdrs, r->n_hdrs, buf, (size_t)rc);
	FUZZ_ASSERT(r->body <= HTTP1_BODY_CLOSE);
	if (head || r->status < 200 || r->status == 204 || r->status == 304)
		FUZZ_ASSERT(r->body == HTTP1_BODY_NONE);
	if (r->body == HTTP1_BODY_CLOSE || r->upgrade)
		FUZZ_ASSERT(!r->keep_alive);
	if (r->body != HTTP1_BODY_LENGTH)
		FUZZ_ASSERT(r->content_length == 0);
	FUZZ_ASSERT(!r->upgrade || r->status == 101);
}

static void
fuzz_head(const char *buf, size_t len, bool head)
{
	struct http1_hdr h[NHDRS], h2[NHDRS];
	struct http1_response r, r2;
	struct walk w;
	ssize_t rc, rc2;
	char *more;
	size_t k;

	rc = parse(buf, len, head, &r, h);
	FUZZ_ASSERT(rc >= -1);
	if (rc == -1)
		FUZZ_ASSERT(r.error != NULL);
	if (rc > 0)
		check_head(buf, len, head, &r, rc);

	/* Prefixes. */
	for (k = len / 2; k < len; k += k / 2 + 1) {
		rc2 = parse(buf, k, head, &r2, h2);
		FUZZ_ASSERT(rc2 == 0 || rc2 == rc);
		if (rc2 > 0)
			same(&r, &r2);
	}
	if (rc > 0)
		FUZZ_ASSERT(parse(buf, (size_t)rc - 1, head, &r2, h2) == 0);

	/* The same bytes and more. */
	if ((more = malloc(len + 3)) == NULL)
		abort();
	memcpy(more, buf, len);
	memcpy(more + len, "\r\n\r", 3);
	rc2 = parse(more, len + 3, head, &r2, h2);
	if (rc != 0)
		FUZZ_ASSERT(rc2 == rc);
	if (rc > 0) {
		FUZZ_ASSERT(r2.reason - more == r.reason - buf);
		FUZZ_ASSERT(r2.n_hdrs == r.n_hdrs && r2.body == r.body);
		FUZZ_ASSERT(r2.content_length == r.content_length && r2.keep_alive == r.keep_alive);
	}
	free(more);

	if (rc > 0 && r.body == HTTP1_BODY_CHUNKED)
		check_chunked(buf + rc, len - (size_t)rc, &w);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of exactly size bytes, so ASan sees any over-read. */
	char *buf = malloc(size ? size : 1);
	struct walk w;

	if (buf == NULL)
		abort();
	memcpy(buf, data, size);
	fuzz_head(buf, size, false);
	fuzz_head(buf, size, true);
	check_chunked(buf, size, &w);
	free(buf);
	return 0;
}
