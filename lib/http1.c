/* HTTP/1.1 parsing shared by requests and responses (byte classes, lines,
 * header fields, framing fields) and the response head parser.  See
 * http1.h for the contract and the strictness rules. */
#include "config.h"

#include <string.h>

#include "lib/http1.h"
#include "lib/http1_int.h"

#define T	H1_TOKEN
#define C	H1_CTL
#define G	H1_TARGET
#define X	H1_HEX
#define R	H1_REGNAME
#define Q	H1_QDTEXT
#define W	H1_OWS

/* Ranges do not overlap: -Woverride-init would (rightly) complain. */
const uint8_t http1_ctype[256] = {
	[0x00 ... 0x08] = C,		[0x09] = W | Q,
	[0x0a ... 0x1f] = C,		[' '] = W | Q,
	['!'] = T | G | R | Q,		['"'] = G,
	['#'] = T | Q,			['$'] = T | G | R | Q,
	['%'] = T | G | R | Q,		['&'] = T | G | R | Q,
	['\''] = T | G | R | Q,		['('] = G | R | Q,
	[')'] = G | R | Q,		['*'] = T | G | R | Q,
	['+'] = T | G | R | Q,		[','] = G | R | Q,
	['-'] = T | G | R | Q,		['.'] = T | G | R | Q,
	['/'] = G | Q,			['0' ... '9'] = T | G | R | Q | X,
	[':'] = G | Q,			[';'] = G | R | Q,
	['<'] = G | Q,			['='] = G | R | Q,
	['>'] = G | Q,			['?'] = G | Q,
	['@'] = G | Q,			['A' ... 'F'] = T | G | R | Q | X,
	['G' ... 'Z'] = T | G | R | Q,	['['] = G | Q,
	['\\'] = G,			[']'] = G | Q,
	['^'] = T | G | Q,		['_'] = T | G | R | Q,
	['`'] = T | G | Q,		['a' ... 'f'] = T | G | R | Q | X,
	['g' ... 'z'] = T | G | R | Q,	['{'] = G | Q,
	['|'] = T | G | Q,		['}'] = G | Q,
	['~'] = T | G | R | Q,		[0x7f] = C,
	[0x80 ... 0xff] = Q,		/* obs-text */
};

#undef T
#undef C
#undef G
#undef X
#undef R
#undef Q
#undef W

/* Lines and fields ------------------------------------------------------- */

enum h1_line
http1_line(const char *p, size_t avail, size_t max, size_t *line_len, const char **err)
{
	size_t n = avail < max ? avail : max;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!H1_IS(p[i], H1_CTL))
			continue;
		if (p[i] == '\r') {
			if (i + 1 >= max)
				return H1_LINE_LONG;
			if (i + 1 >= avail)
				return H1_LINE_MORE;
			if (p[i + 1] != '\n') {
				*err = "bare CR";		/* RFC 9112 2.2 */
				return H1_LINE_BAD;
			}
			*line_len = i;
			return H1_LINE_OK;
		}
		*err = p[i] == '\n' ? "bare LF" : "control byte in line";
		return H1_LINE_BAD;
	}
	return avail >= max ? H1_LINE_LONG : H1_LINE_MORE;
}

/* field-line = field-name ":" OWS field-value OWS (RFC 9112 5). */
static int
parse_field(const char *p, size_t l, struct http1_hdr *h, const char **err)
{
	size_t i = 0, j;

	while (i < l && H1_IS(p[i], H1_TOKEN))
		i++;
	if (i == l) {
		*err = "header line without colon";
		return -1;
	}
	if (p[i] != ':') {
		*err = H1_IS(p[i], H1_OWS) ? "whitespace before colon" :	/* RFC 9112 5.1 */
		    "bad byte in header name";
		return -1;
	}
	if (i == 0) {
		*err = "empty header name";
		return -1;
	}
	h->name = p;
	h->name_len = i;
	for (i++; i < l && H1_IS(p[i], H1_OWS); i++)
		;
	for (j = l; j > i && H1_IS(p[j - 1], H1_OWS); j--)
		;
	h->value = p + i;
	h->value_len = j - i;
	return 0;
}

/* The field lines from buf + off up to and including the empty line. */
ssize_t
http1_fields(const char *buf, size_t len, size_t off, struct h1_fields *f)
{
	enum h1_line rc;
	size_t l;

	f->n = 0;
	for (;;) {
		if (off >= f->max) {
			f->too_big = true;
			f->err = "header section too large";
			return -1;
		}
		if (off == len)
			return 0;
		if (H1_IS(buf[off], H1_OWS)) {
			f->err = f->n == 0 ? "whitespace before the first header" :
			    "obsolete line folding";			/* RFC 9112 5.2 */
			return -1;
		}
		if (buf[off] != '\r' && f->n == f->cap) {
			f->too_big = true;
			f->err = "too many header fields";
			return -1;
		}
		rc = http1_line(buf + off, len - off, f->max - off, &l, &f->err);
		if (rc == H1_LINE_MORE)
			return 0;
		if (rc == H1_LINE_LONG) {
			f->too_big = true;
			f->err = "header section too large";
			return -1;
		}
		if (rc == H1_LINE_BAD)
			return -1;
		if (l == 0)
			return (ssize_t)(off + 2);
		if (parse_field(buf + off, l, &f->hdrs[f->n], &f->err) == -1)
			return -1;
		f->n++;
		off += l + 2;
	}
}

/* Field values ------------------------------------------------------------ */

bool
http1_name_eq(const char *name, size_t len, const char *lower)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (lower[i] == '\0' || c != (unsigned char)lower[i])
			return false;
	}
	return lower[len] == '\0';
}

/* The next element of a comma list (RFC 9110 5.6.1), OWS trimmed; it may
 * be empty.  False when the list is used up. */
bool
http1_list_next(const char **p, const char *end, const char **elem, size_t *elen)
{
	const char *s = *p, *e;

	if (s == NULL)
		return false;
	while (s < end && H1_IS(*s, H1_OWS))
		s++;
	for (e = s; e < end && *e != ','; e++)
		;
	*p = e < end ? e + 1 : NULL;
	while (e > s && H1_IS(e[-1], H1_OWS))
		e--;
	*elem = s;
	*elen = (size_t)(e - s);
	return true;
}

static bool
is_token(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!H1_IS(s[i], H1_TOKEN))
			return false;
	return len > 0;
}

/* Content-Length = 1*DIGIT (RFC 9110 8.6), one field, no list. */
static int
framing_cl(const struct http1_hdr *h, struct h1_framing *f)
{
	uint64_t v = 0;
	size_t i;

	if (++f->n_cl > 1) {
		f->err = "more than one Content-Length";
		return -1;
	}
	if (h->value_len == 0) {
		f->err = "empty Content-Length";
		return -1;
	}
	for (i = 0; i < h->value_len; i++) {
		unsigned d = (unsigned)(unsigned char)h->value[i] - '0';

		if (d > 9) {
			f->err = "Content-Length is not a number";
			return -1;
		}
		if (v > (UINT64_MAX - d) / 10) {
			f->err = "Content-Length overflows";
			return -1;
		}
		v = v * 10 + d;
	}
	f->cl = v;
	return 0;
}

static bool
coding_known(const char *s, size_t len)
{
	static const char *const codings[] = {		/* IANA HTTP Transfer Coding Registry */
		"gzip", "x-gzip", "deflate", "compress", "x-compress",
	};
	size_t i;

	for (i = 0; i < sizeof(codings) / sizeof(codings[0]); i++)
		if (http1_name_eq(s, len, codings[i]))
			return true;
	return false;
}

/* Transfer-Encoding = #transfer-coding (RFC 9112 6.1), across fields in
 * order.  chunked must be the final coding and appear once (6.1, 7). */
static int
framing_te(const struct http1_hdr *h, struct h1_framing *f)
{
	const char *p = h->value, *e;
	size_t el;

	while (http1_list_next(&p, h->value + h->value_len, &e, &el)) {
		if (el == 0) {
			f->err = "empty Transfer-Encoding element";
			return -1;
		}
		if (!is_token(e, el)) {
			f->err = "bad Transfer-Encoding";	/* parameters included */
			return -1;
		}
		if (f->chunked) {
			f->err = "chunked is not the final transfer coding";
			return -1;
		}
		f->n_te++;
		if (http1_name_eq(e, el, "chunked"))
			f->chunked = true;
		else if (!coding_known(e, el))
			f->te_unknown = true;
	}
	return 0;
}

static int
framing_connection(const struct http1_hdr *h, struct h1_framing *f)
{
	const char *p = h->value, *e;
	size_t el;

	while (http1_list_next(&p, h->value + h->value_len, &e, &el)) {
		if (el == 0)
			continue;			/* RFC 9110 5.6.1: ignore */
		if (!is_token(e, el)) {
			f->err = "bad Connection";
			return -1;
		}
		if (http1_name_eq(e, el, "close"))
			f->conn_close = true;
		else if (http1_name_eq(e, el, "keep-alive"))
			f->conn_keep_alive = true;
		else if (http1_name_eq(e, el, "upgrade"))
			f->conn_upgrade = true;
		else
			f->conn_other = true;
	}
	return 0;
}

/* Upgrade = #protocol, protocol = protocol-name ["/" protocol-version]
 * (RFC 9110 7.8). */
static int
framing_upgrade(const struct http1_hdr *h, struct h1_framing *f)
{
	const char *p = h->value, *e, *slash;
	size_t el, nl;

	f->n_upgrade++;
	while (http1_list_next(&p, h->value + h->value_len, &e, &el)) {
		if (el == 0)
			continue;
		slash = memchr(e, '/', el);
		nl = slash == NULL ? el : (size_t)(slash - e);
		if (!is_token(e, nl) || (slash != NULL && !is_token(slash + 1, el - nl - 1))) {
			f->err = "bad Upgrade";
			return -1;
		}
		if (http1_name_eq(e, nl, "h2c"))
			f->upgrade_h2c = true;
	}
	return 0;
}

/* The fields that frame the message or the connection. */
int
http1_framing(const struct http1_hdr *h, size_t n, struct h1_framing *f)
{
	size_t i;
	int rc = 0;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < n && rc == 0; i++) {
		if (http1_name_eq(h[i].name, h[i].name_len, "content-length"))
			rc = framing_cl(&h[i], f);
		else if (http1_name_eq(h[i].name, h[i].name_len, "transfer-encoding"))
			rc = framing_te(&h[i], f);
		else if (http1_name_eq(h[i].name, h[i].name_len, "connection"))
			rc = framing_connection(&h[i], f);
		else if (http1_name_eq(h[i].name, h[i].name_len, "upgrade"))
			rc = framing_upgrade(&h[i], f);
	}
	if (rc == 0 && f->n_te > 0 && f->n_cl > 0) {
		f->err = "both Transfer-Encoding and Content-Length";	/* RFC 9112 6.3 rule 3 */
		rc = -1;
	}
	return rc;
}

/* RFC 9112 9.3: persistence from the version and Connection. */
bool
http1_keep_alive(unsigned minor, const struct h1_framing *f)
{
	if (f->conn_close)
		return false;
	return minor >= 1 || f->conn_keep_alive;	/* 1.0 keep-alive: RFC 9112 C.2.2 */
}

/* Response head ------------------------------------------------------------ */

/* status-line = HTTP-version SP status-code SP [ reason-phrase ]
 * (RFC 9112 4).  A line that stops right after the status code is taken
 * too: it is unambiguous, and some servers send it. */
static int
parse_status_line(const char *p, size_t l, struct http1_response *r)
{
	size_t i;

	if (l < 12 || memcmp(p, "HTTP/1.", 7) != 0 || (p[7] != '0' && p[7] != '1') ||
	    p[8] != ' ') {
		r->error = "bad status line";
		return -1;
	}
	r->minor = (unsigned)(p[7] - '0');
	r->status = 0;
	for (i = 9; i < 12; i++) {
		if (p[i] < '0' || p[i] > '9') {
			r->error = "bad status code";
			return -1;
		}
		r->status = r->status * 10 + (unsigned)(p[i] - '0');
	}
	if (r->status < 100 || r->status > 599) {		/* RFC 9110 15 */
		r->error = "status code out of range";
		return -1;
	}
	if (l > 12 && p[12] != ' ') {
		r->error = "bad status line";
		return -1;
	}
	r->reason = p + (l > 12 ? 13 : 12);
	r->reason_len = l > 12 ? l - 13 : 0;
	return 0;
}

/* RFC 9112 6.3 and 9.3, once the head is whole. */
static int
response_framing(struct http1_response *r, bool head_request)
{
	struct h1_framing f;

	if (http1_framing(r->hdrs, r->n_hdrs, &f) == -1) {
		r->error = f.err;
		return -1;
	}
	if (f.n_te > 0 && r->minor == 0) {
		r->error = "Transfer-Encoding in HTTP/1.0";	/* RFC 9112 6.1 */
		return -1;
	}
	r->keep_alive = http1_keep_alive(r->minor, &f);
	if (r->status == 101) {
		if (f.n_upgrade == 0) {
			r->error = "101 without Upgrade";	/* RFC 9110 15.2.2 */
			return -1;
		}
		r->upgrade = true;
		r->keep_alive = false;
	}
	if (head_request || r->status < 200 || r->status == 204 || r->status == 304) {
		r->body = HTTP1_BODY_NONE;
	} else if (f.n_te > 0) {
		r->body = f.chunked ? HTTP1_BODY_CHUNKED : HTTP1_BODY_CLOSE;
	} else if (f.n_cl > 0) {
		r->body = HTTP1_BODY_LENGTH;
		r->content_length = f.cl;
	} else {
		r->body = HTTP1_BODY_CLOSE;
	}
	if (r->body == HTTP1_BODY_CLOSE)
		r->keep_alive = false;
	return 0;
}

ssize_t
http1_parse_response(const char *buf, size_t len, bool head_request, struct http1_response *r)
{
	struct h1_fields f;
	size_t l;
	ssize_t n;

	memset(&f, 0, sizeof(f));
	f.hdrs = r->hdrs;
	f.cap = r->n_hdrs;
	f.max = SIZE_MAX;
	r->minor = r->status = 0;
	r->reason = NULL;
	r->reason_len = 0;
	r->n_hdrs = 0;
	r->body = HTTP1_BODY_NONE;
	r->content_length = 0;
	r->keep_alive = r->upgrade = false;
	r->error = NULL;

	switch (http1_line(buf, len, SIZE_MAX, &l, &r->error)) {
	case H1_LINE_OK:
		break;
	case H1_LINE_BAD:
		return -1;
	default:
		return 0;
	}
	if (parse_status_line(buf, l, r) == -1)
		return -1;
	n = http1_fields(buf, len, l + 2, &f);
	r->n_hdrs = f.n;
	if (n <= 0) {
		r->error = f.err;
		return n;
	}
	if (response_framing(r, head_request) == -1)
		return -1;
	return n;
}
