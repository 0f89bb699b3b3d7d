/* Judging an HTTP check's response; see check_http_resp.h. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "check/check_http_resp.h"

#define MD5_LEN		16
#define HEAD_HDRS_MAX	100

bool
check_http_status_ok(const struct conf_url *url, unsigned status)
{
	unsigned i;

	for (i = 0; i < url->n_status; i++)
		if (status >= url->status[i].lo && status <= url->status[i].hi)
			return true;
	return false;
}

const char *
check_http_status_text(const struct conf_url *url, char *buf, size_t len)
{
	size_t off = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < url->n_status && off < len; i++) {
		const struct conf_status_range *s = &url->status[i];
		int n = s->lo == s->hi ?
		    snprintf(buf + off, len - off, "%s%u", i > 0 ? "," : "", s->lo) :
		    snprintf(buf + off, len - off, "%s%u-%u", i > 0 ? "," : "", s->lo, s->hi);

		if (n < 0)
			break;
		off += (size_t)n;
	}
	return buf;
}

int
check_http_resp_init(struct check_http_resp *r, const struct conf_url *url)
{
	memset(r, 0, offsetof(struct check_http_resp, buf));
	r->url = url;
	if (!url->has_digest)
		return 0;
	if ((r->md5 = EVP_MD_CTX_new()) == NULL)
		return -1;
	if (EVP_DigestInit_ex(r->md5, EVP_md5(), NULL) != 1) {
		check_http_resp_free(r);
		return -1;
	}
	return 0;
}

void
check_http_resp_free(struct check_http_resp *r)
{
	EVP_MD_CTX_free(r->md5);
	r->md5 = NULL;
}

char *
check_http_resp_space(struct check_http_resp *r, size_t *avail)
{
	/* Body bytes are digested as they come: the whole buffer is free. */
	if (r->in_body) {
		*avail = sizeof(r->buf);
		return r->buf;
	}
	*avail = sizeof(r->buf) - r->len;
	return r->buf + r->len;
}

static enum check_http_verdict __attribute__((format(printf, 3, 4)))
fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return CHECK_HTTP_FAIL;
}

static void
hex(const unsigned char *d, char *out)
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < MD5_LEN; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 0xf];
	}
	out[2 * MD5_LEN] = '\0';
}

static enum check_http_verdict
body_end(struct check_http_resp *r, char *why, size_t whylen)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	char got[2 * MD5_LEN + 1], want[2 * MD5_LEN + 1];

	if (EVP_DigestFinal_ex(r->md5, d, &dlen) != 1 || dlen != MD5_LEN)
		return fail(why, whylen, "cannot compute the MD5 digest");
	if (memcmp(d, r->url->digest, MD5_LEN) == 0) {
		snprintf(why, whylen, "HTTP status %u, digest matches", r->status);
		return CHECK_HTTP_PASS;
	}
	hex(d, got);
	hex(r->url->digest, want);
	snprintf(why, whylen, "MD5 digest of the body is %s (expected %s)", got, want);
	return CHECK_HTTP_FAIL;
}

static void
digest(struct check_http_resp *r, const char *p, size_t n)
{
	r->received += n;
	EVP_DigestUpdate(r->md5, p, n);
}

/* Body bytes p[0..n); n == 0: end of the connection. */
static enum check_http_verdict
body_bytes(struct check_http_resp *r, const char *p, size_t n, char *why, size_t whylen)
{
	switch (r->body) {
	case HTTP1_BODY_NONE:
		return body_end(r, why, whylen);	/* not reached: see head_received() */
	case HTTP1_BODY_CLOSE:
		digest(r, p, n);
		return n == 0 ? body_end(r, why, whylen) : CHECK_HTTP_MORE;
	case HTTP1_BODY_LENGTH:
		if (n == 0)
			return fail(why, whylen, "body ended after %llu of %llu bytes",
			    (unsigned long long)r->received,
			    (unsigned long long)(r->received + r->left));
		if (n > r->left)
			n = (size_t)r->left;
		digest(r, p, n);
		r->left -= n;
		return r->left == 0 ? body_end(r, why, whylen) : CHECK_HTTP_MORE;
	case HTTP1_BODY_CHUNKED:
		break;
	}
	if (n == 0)
		return fail(why, whylen, "chunked body ended after %llu bytes",
		    (unsigned long long)r->received);
	while (n > 0 && !http1_chunked_done(&r->chunked)) {
		size_t data = 0;
		ssize_t used = http1_chunked_step(&r->chunked, p, n, &data);

		if (used < 0)
			return fail(why, whylen, "bad chunked body: %s", r->chunked.error);
		digest(r, p, data);
		p += used;
		n -= (size_t)used;
	}
	return http1_chunked_done(&r->chunked) ? body_end(r, why, whylen) : CHECK_HTTP_MORE;
}

static enum check_http_verdict
head_received(struct check_http_resp *r, bool eof, char *why, size_t whylen)
{
	struct http1_hdr hdrs[HEAD_HDRS_MAX];
	struct http1_response resp = { .hdrs = hdrs, .n_hdrs = HEAD_HDRS_MAX };
	ssize_t head = http1_parse_response(r->buf, r->len, false, &resp);
	char want[96];

	if (head < 0)
		return fail(why, whylen, "invalid HTTP response: %s", resp.error);
	if (head == 0) {
		if (eof)
			return fail(why, whylen, "connection closed after %zu bytes, before the "
			    "end of the response head", r->len);
		if (r->len == sizeof(r->buf))
			return fail(why, whylen, "response head over %zu bytes", sizeof(r->buf));
		return CHECK_HTTP_MORE;
	}
	r->status = resp.status;
	if (!check_http_status_ok(r->url, resp.status)) {
		snprintf(why, whylen, "HTTP status %u (expected %s)", resp.status,
		    check_http_status_text(r->url, want, sizeof(want)));
		return CHECK_HTTP_FAIL;
	}
	if (r->md5 == NULL) {
		snprintf(why, whylen, "HTTP status %u", resp.status);
		return CHECK_HTTP_PASS;
	}
	r->in_body = true;
	r->body = resp.body;
	r->left = resp.content_length;
	http1_chunked_init(&r->chunked);
	/* Bytes after the head are the body's first; move them out of the
	 * way of the next read. */
	r->len -= (size_t)head;
	memmove(r->buf, r->buf + head, r->len);
	if (r->body == HTTP1_BODY_NONE || (r->body == HTTP1_BODY_LENGTH && r->left == 0))
		return body_end(r, why, whylen);
	return r->len == 0 ? CHECK_HTTP_MORE : body_bytes(r, r->buf, r->len, why, whylen);
}

enum check_http_verdict
check_http_resp_received(struct check_http_resp *r, size_t n, char *why, size_t whylen)
{
	if (r->in_body)
		return body_bytes(r, r->buf, n, why, whylen);
	r->len += n;
	return head_received(r, n == 0, why, whylen);
}
