/* HTTP/1.1 request head parser: request-line, target forms, Host, framing
 * and the statuses to answer.  See http1.h. */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#include "lib/http1.h"
#include "lib/http1_int.h"

static int
refuse(struct http1_request *r, int status, const char *why)
{
	r->status = status;
	r->error = why;
	return -1;
}

/* Method and target --------------------------------------------------------- */

static enum http1_method
method_lookup(const char *s, size_t len)
{
	static const struct {
		const char		*name;
		enum http1_method	 m;
	} methods[] = {
		{ "GET", HTTP1_METHOD_GET },		{ "HEAD", HTTP1_METHOD_HEAD },
		{ "POST", HTTP1_METHOD_POST },		{ "PUT", HTTP1_METHOD_PUT },
		{ "DELETE", HTTP1_METHOD_DELETE },	{ "CONNECT", HTTP1_METHOD_CONNECT },
		{ "OPTIONS", HTTP1_METHOD_OPTIONS },	{ "TRACE", HTTP1_METHOD_TRACE },
		{ "PATCH", HTTP1_METHOD_PATCH },
	};
	size_t i;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strlen(methods[i].name) == len && memcmp(methods[i].name, s, len) == 0)
			return methods[i].m;
	return HTTP1_METHOD_OTHER;
}

static bool
ipv6_literal(const char *s, size_t len)
{
	char tmp[INET6_ADDRSTRLEN];
	struct in6_addr a;

	if (len == 0 || len >= sizeof(tmp))
		return false;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	return inet_pton(AF_INET6, tmp, &a) == 1;
}

/* authority = host [ ":" port ] (RFC 3986 3.2, no userinfo: RFC 9110
 * 4.2.4), host = IP-literal / IPv4address / reg-name.  IPvFuture and
 * zone identifiers are refused; so are an empty host and port 0. */
static int
parse_authority(const char *s, size_t n, const char **host, size_t *host_len, unsigned *port)
{
	size_t i = 0, p;

	if (n > 0 && s[0] == '[') {
		const char *close = memchr(s, ']', n);

		if (close == NULL || !ipv6_literal(s + 1, (size_t)(close - s) - 1))
			return -1;
		i = (size_t)(close - s) + 1;
	} else {
		while (i < n && H1_IS(s[i], H1_REGNAME)) {
			if (s[i] == '%' && (i + 2 >= n || !H1_IS(s[i + 1], H1_HEX) ||
			    !H1_IS(s[i + 2], H1_HEX)))
				return -1;
			i++;
		}
	}
	if (i == 0)
		return -1;
	*host = s;
	*host_len = i;
	*port = 0;
	if (i == n)
		return 0;
	if (s[i] != ':' || n - i - 1 == 0 || n - i - 1 > 5)
		return -1;
	for (p = i + 1; p < n; p++) {
		if (s[p] < '0' || s[p] > '9')
			return -1;
		*port = *port * 10 + (unsigned)(s[p] - '0');
	}
	return *port == 0 || *port > 65535 ? -1 : 0;
}

/* path-abempty [ "?" query ] from s, in origin and absolute form. */
static void
split_path(struct http1_request *r, const char *s, size_t n)
{
	const char *q = memchr(s, '?', n);

	r->path = s;
	r->path_len = q == NULL ? n : (size_t)(q - s);
	if (q != NULL) {
		r->query = q + 1;
		r->query_len = n - r->path_len - 1;
	}
}

static unsigned
default_port(const struct http1_request *r)
{
	return r->target[4] == ':' ? 80 : 443;		/* "http:" or "https" */
}

/* absolute-form = absolute-URI (RFC 9112 3.2.2), http or https. */
static int
parse_absolute(struct http1_request *r)
{
	const char *t = r->target, *end = t + r->target_len, *a;
	size_t skip;

	if (r->target_len > 7 && strncasecmp(t, "http://", 7) == 0)
		skip = 7;
	else if (r->target_len > 8 && strncasecmp(t, "https://", 8) == 0)
		skip = 8;
	else
		return refuse(r, 400, "bad request-target");
	for (a = t + skip; a < end && *a != '/' && *a != '?'; a++)
		if (*a == '@')
			return refuse(r, 400, "userinfo in request-target");
	if (parse_authority(t + skip, (size_t)(a - t) - skip, &r->host, &r->host_len,
	    &r->port) == -1)
		return refuse(r, 400, "bad authority in request-target");
	r->form = HTTP1_TARGET_ABSOLUTE;
	split_path(r, a, (size_t)(end - a));
	return 0;
}

/* RFC 9112 3.2: the form must suit the method (l7.md 1.1). */
static int
parse_target(struct http1_request *r)
{
	const char *t = r->target;
	size_t n = r->target_len;

	if (r->method == HTTP1_METHOD_CONNECT) {
		r->form = HTTP1_TARGET_AUTHORITY;
		if (parse_authority(t, n, &r->host, &r->host_len, &r->port) == -1 ||
		    r->port == 0)
			return refuse(r, 400, "CONNECT needs host:port");
		return 0;
	}
	if (t[0] == '/') {
		r->form = HTTP1_TARGET_ORIGIN;
		split_path(r, t, n);
		return 0;
	}
	if (t[0] == '*') {
		if (n != 1 || r->method != HTTP1_METHOD_OPTIONS)
			return refuse(r, 400, "asterisk-form is for OPTIONS *");
		r->form = HTTP1_TARGET_ASTERISK;
		return 0;
	}
	return parse_absolute(r);
}

/* request-line = method SP request-target SP HTTP-version (RFC 9112 3). */
static int
parse_request_line(const char *p, size_t l, struct http1_request *r)
{
	const char *v;
	size_t i = 0, t;

	while (i < l && H1_IS(p[i], H1_TOKEN))
		i++;
	if (i == 0 || i == l || p[i] != ' ')
		return refuse(r, 400, "bad method");
	r->method_name = p;
	r->method_len = i;
	r->method = method_lookup(p, i);
	for (t = ++i; i < l && H1_IS(p[i], H1_TARGET); i++)
		;
	if (i < l && p[i] != ' ')
		return refuse(r, 400, p[i] == '#' ? "fragment in request-target" :
		    "bad byte in request-target");
	if (i == t || i == l)
		return refuse(r, 400, "bad request-line");
	r->target = p + t;
	r->target_len = i - t;
	v = p + i + 1;
	if (l - i - 1 != 8 || memcmp(v, "HTTP/", 5) != 0 || v[6] != '.' ||
	    v[5] < '0' || v[5] > '9' || v[7] < '0' || v[7] > '9')
		return refuse(r, 400, "bad HTTP version");
	if (v[5] != '1' || v[7] > '1')
		return refuse(r, 505, "HTTP version not supported");
	r->minor = (unsigned)(v[7] - '0');
	return parse_target(r);
}

/* Fields ---------------------------------------------------------------- */

/* Host (RFC 9112 3.2): once; required in 1.1; with an absolute or
 * authority-form target, it must name the same host and port. */
static int
check_host(struct http1_request *r)
{
	const struct http1_hdr *h = NULL;
	const char *name;
	size_t i, name_len;
	unsigned port, tport;

	for (i = 0; i < r->n_hdrs; i++) {
		if (!http1_name_eq(r->hdrs[i].name, r->hdrs[i].name_len, "host"))
			continue;
		if (h != NULL)
			return refuse(r, 400, "more than one Host");
		h = &r->hdrs[i];
	}
	if (h == NULL)
		return r->minor == 0 ? 0 : refuse(r, 400, "no Host");
	if (parse_authority(h->value, h->value_len, &name, &name_len, &port) == -1)
		return refuse(r, 400, "bad Host");
	if (r->host == NULL) {
		r->host = name;
		r->host_len = name_len;
		r->port = port;
		return 0;
	}
	tport = r->port;
	if (r->form == HTTP1_TARGET_ABSOLUTE) {
		tport = tport == 0 ? default_port(r) : tport;
		port = port == 0 ? default_port(r) : port;
	} else if (port == 0) {
		port = tport;			/* CONNECT h:443 with Host: h */
	}
	if (name_len != r->host_len || strncasecmp(name, r->host, name_len) != 0 ||
	    port != tport)
		return refuse(r, 400, "Host differs from the request-target");
	return 0;
}

/* Expect (RFC 9110 10.1.1): 100-continue, ignored in HTTP/1.0. */
static int
check_expect(struct http1_request *r)
{
	const char *p, *e;
	size_t i, el;

	for (i = 0; i < r->n_hdrs; i++) {
		const struct http1_hdr *h = &r->hdrs[i];

		if (!http1_name_eq(h->name, h->name_len, "expect"))
			continue;
		p = h->value;
		while (http1_list_next(&p, h->value + h->value_len, &e, &el)) {
			if (el == 0)
				continue;
			if (!http1_name_eq(e, el, "100-continue"))
				return refuse(r, 417, "unsupported expectation");
			r->expect_continue = r->minor >= 1;
		}
	}
	return 0;
}

/* RFC 9112 6.1 and 6.3 for a request. */
static int
request_framing(struct http1_request *r)
{
	struct h1_framing f;

	if (http1_framing(r->hdrs, r->n_hdrs, &f) == -1)
		return refuse(r, 400, f.err);
	if (f.n_te > 0) {
		if (r->minor == 0)
			return refuse(r, 400, "Transfer-Encoding in HTTP/1.0");
		if (!f.chunked)
			return refuse(r, 400, "chunked is not the final transfer coding");
		if (f.te_unknown)
			return refuse(r, 501, "unknown transfer coding");
		r->body = HTTP1_BODY_CHUNKED;
	} else if (f.n_cl > 0) {
		r->body = HTTP1_BODY_LENGTH;
		r->content_length = f.cl;
	}
	r->keep_alive = http1_keep_alive(r->minor, &f);
	r->conn_other = f.conn_other;
	if (r->minor >= 1 && f.n_upgrade > 0 && f.conn_upgrade) {	/* RFC 9110 7.8 */
		r->upgrade = true;
		r->upgrade_h2c = f.upgrade_h2c;
	}
	return 0;
}

/* Head ------------------------------------------------------------------ */

static void
request_reset(struct http1_request *r)
{
	struct http1_hdr *hdrs = r->hdrs;

	memset(r, 0, sizeof(*r));
	r->hdrs = hdrs;
}

/* Empty lines before the request-line (RFC 9112 2.2): 1 and *off at the
 * request-line, 0 when more is needed, -1 on error. */
static int
skip_empty_lines(const char *buf, size_t len, size_t max, struct http1_request *r,
    size_t *off)
{
	for (*off = 0;; *off += 2) {
		if (*off >= max)
			return refuse(r, 431, "header section too large");
		if (*off == len)
			return 0;
		if (buf[*off] == '\n')
			return refuse(r, 400, "bare LF");
		if (buf[*off] != '\r')
			return 1;
		if (*off + 1 == len)
			return 0;
		if (buf[*off + 1] != '\n')
			return refuse(r, 400, "bare CR");
	}
}

ssize_t
http1_parse_request(const char *buf, size_t len, const struct http1_limits *lim,
    struct http1_request *r)
{
	static const struct http1_limits defaults = HTTP1_LIMITS_DEFAULT;
	struct h1_fields f;
	size_t cap = r->n_hdrs, l, line_max, off;
	ssize_t n;
	int rc;

	if (lim == NULL)
		lim = &defaults;
	request_reset(r);
	memset(&f, 0, sizeof(f));
	f.hdrs = r->hdrs;
	f.cap = cap < lim->max_headers ? cap : lim->max_headers;
	f.max = lim->max_header_size < HTTP1_HEADER_SIZE_MAX ? lim->max_header_size :
	    HTTP1_HEADER_SIZE_MAX;

	if ((rc = skip_empty_lines(buf, len, f.max, r, &off)) <= 0)
		return rc;
	line_max = f.max - off;			/* the request-line and its CRLF */
	if (lim->max_request_line < line_max - 1)
		line_max = lim->max_request_line + 2;
	switch (http1_line(buf + off, len - off, line_max, &l, &r->error)) {
	case H1_LINE_OK:
		break;
	case H1_LINE_MORE:
		return 0;
	case H1_LINE_LONG:
		return refuse(r, 414, "request-line too long");
	default:
		return refuse(r, 400, r->error);
	}
	if (parse_request_line(buf + off, l, r) == -1)
		return -1;
	n = http1_fields(buf, len, off + l + 2, &f);
	r->n_hdrs = f.n;
	if (n == -1)
		return refuse(r, f.too_big ? 431 : 400, f.err);
	if (n == 0 || check_host(r) == -1 || check_expect(r) == -1 ||
	    request_framing(r) == -1)
		return n == 0 ? 0 : -1;
	return n;
}

bool
http1_conn_lists(const struct http1_hdr *hdrs, size_t n, const char *name, size_t name_len)
{
	const char *p, *e;
	size_t i, el;

	if (http1_name_eq(name, name_len, "content-length") ||
	    http1_name_eq(name, name_len, "transfer-encoding") ||
	    http1_name_eq(name, name_len, "host"))
		return false;
	for (i = 0; i < n; i++) {
		if (!http1_name_eq(hdrs[i].name, hdrs[i].name_len, "connection"))
			continue;
		p = hdrs[i].value;
		while (http1_list_next(&p, hdrs[i].value + hdrs[i].value_len, &e, &el))
			if (el == name_len && strncasecmp(e, name, el) == 0)
				return true;
	}
	return false;
}
