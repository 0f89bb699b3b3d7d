/* Head re-serialisation; see l7_head.h. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "splice/l7_head.h"

struct out {
	char	*p;
	size_t	 size;
	size_t	 len;
	bool	 overflow;
};

static void
put(struct out *o, const char *s, size_t n)
{
	if (o->overflow || n > o->size - o->len) {
		o->overflow = true;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
}

static void
puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void __attribute__((format(printf, 2, 3)))
putf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->p + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->size - o->len)
		o->overflow = true;
	else
		o->len += (size_t)n;
}

static void
put_header(struct out *o, const struct http1_hdr *h)
{
	put(o, h->name, h->name_len);
	put(o, ": ", 2);
	put(o, h->value, h->value_len);
	put(o, "\r\n", 2);
}

static bool
name_is(const struct http1_hdr *h, const char *name)
{
	return h->name_len == strlen(name) && strncasecmp(h->name, name, h->name_len) == 0;
}

/* The Connection fields of a head, found once: each other field is then
 * looked up in their lists only (RFC 9110 7.6.1), not in the whole head. */
#define CONN_FIELDS_MAX	8

struct conn_fields {
	const struct http1_hdr	*all;	/* the head's fields, if too many */
	size_t			 n_all;
	struct http1_hdr	 f[CONN_FIELDS_MAX];
	size_t			 n;
};

static void
conn_fields_find(struct conn_fields *c, const struct http1_hdr *hdrs, size_t n)
{
	size_t i;

	c->all = NULL;
	c->n = 0;
	for (i = 0; i < n; i++) {
		if (!name_is(&hdrs[i], "Connection"))
			continue;
		if (c->n == CONN_FIELDS_MAX) {
			c->all = hdrs;
			c->n_all = n;
			return;
		}
		c->f[c->n++] = hdrs[i];
	}
}

static bool
conn_fields_list(const struct conn_fields *c, const struct http1_hdr *h)
{
	if (c->all != NULL)
		return http1_conn_lists(c->all, c->n_all, h->name, h->name_len);
	return c->n > 0 && http1_conn_lists(c->f, c->n, h->name, h->name_len);
}

/* RFC 9110 7.6.1: fields for this connection only; Upgrade stays when
 * the upgrade is passed on (7.8), and Connection then says so itself. */
static bool
hop_by_hop(const struct conn_fields *c, const struct http1_hdr *h, bool upgrade)
{
	static const char *const fixed[] = {
		"Connection", "Keep-Alive", "Proxy-Connection", "TE", "Upgrade",
	};
	size_t i;

	if (upgrade && name_is(h, "Upgrade"))
		return false;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (name_is(h, fixed[i]))
			return true;
	return conn_fields_list(c, h);
}

/* " HTTP/1.x\r\n" of a request line; the parser took 1.0 and 1.1 only. */
static void
put_request_version(struct out *o, unsigned minor)
{
	put(o, minor == 0 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n", 11);
}

/* "HTTP/1.x NNN " of a status line; the parser took codes 100-599. */
static void
put_status_start(struct out *o, unsigned minor, unsigned status)
{
	char s[13];

	memcpy(s, minor == 0 ? "HTTP/1.0 " : "HTTP/1.1 ", 9);
	s[9] = (char)('0' + status / 100 % 10);
	s[10] = (char)('0' + status / 10 % 10);
	s[11] = (char)('0' + status % 10);
	s[12] = ' ';
	put(o, s, sizeof(s));
}

/* Cookie pairs ("a=b; c=d", RFC 6265 4.2.1) ---------------------------------- */

struct pair {
	const char	*name, *value;
	size_t		 name_len, value_len;
};

/* The pair at *p in [*p, end); false at the end.  *p moves past it. */
static bool
next_pair(const char **p, const char *end, struct pair *pr)
{
	const char *q = *p, *stop, *eq;

	while (q < end && (*q == ' ' || *q == '\t' || *q == ';'))
		q++;
	if (q == end)
		return false;
	pr->name = q;
	while (q < end && *q != ';')
		q++;
	*p = q;
	stop = q;
	while (stop > pr->name && (stop[-1] == ' ' || stop[-1] == '\t'))
		stop--;
	eq = memchr(pr->name, '=', (size_t)(stop - pr->name));
	pr->name_len = eq != NULL ? (size_t)(eq - pr->name) : (size_t)(stop - pr->name);
	pr->value = eq != NULL ? eq + 1 : stop;
	pr->value_len = (size_t)(stop - pr->value);
	return true;
}

static bool
pair_is(const struct pair *pr, const char *name)
{
	return pr->name_len == strlen(name) && memcmp(pr->name, name, pr->name_len) == 0;
}

/* A Cookie field without the persistence cookie, or with its prefix
 * taken off; nothing if no pair is left. */
static void
put_cookie_field(struct out *o, const struct http1_hdr *h, const struct l7_head_opts *opts)
{
	const char *p = h->value, *end = h->value + h->value_len;
	struct pair pr;
	bool first = true;

	while (next_pair(&p, end, &pr)) {
		const char *v = pr.value;
		size_t vlen = pr.value_len;

		if (pair_is(&pr, opts->cookie_name)) {
			const char *tilde = memchr(v, '~', vlen);

			if (opts->cookie_fix == L7_COOKIE_STRIP)
				continue;
			if (tilde != NULL) {
				vlen -= (size_t)(tilde + 1 - v);
				v = tilde + 1;
			}
		}
		put(o, first ? "Cookie: " : "; ", first ? 8 : 2);
		put(o, pr.name, pr.name_len);
		if (pr.value != pr.name + pr.name_len) {
			put(o, "=", 1);
			put(o, v, vlen);
		}
		first = false;
	}
	if (!first)
		put(o, "\r\n", 2);
}

/* A server's Set-Cookie for the persistence cookie: its name, value and
 * attributes (from the first ';'). */
static bool
set_cookie_of(const struct http1_hdr *h, const char *name, struct pair *pr, const char **attrs)
{
	const char *p = h->value, *end = h->value + h->value_len;

	if (!name_is(h, "Set-Cookie") || !next_pair(&p, end, pr) || !pair_is(pr, name))
		return false;
	*attrs = p;
	return true;
}

/* The response sets the persistence cookie (nocache marks it private). */
static bool
sets_cookie(const struct http1_response *r, const struct l7_resp_opts *opts)
{
	const char *attrs;
	struct pair pr;
	size_t i;

	if (opts->ck_insert != NULL)
		return true;
	if (opts->ck->mode == CONF_COOKIE_INSERT)
		return false;
	for (i = 0; i < r->n_hdrs; i++)
		if (set_cookie_of(&r->hdrs[i], opts->ck->name, &pr, &attrs))
			return true;
	return false;
}

/* A response field persistence has a say on: true if it wrote or dropped
 * it here, false if the caller writes it as it is. */
static bool
put_persistence_field(struct out *o, const struct http1_hdr *h, const struct l7_resp_opts *opts,
    bool setting)
{
	const struct conf_cookie *ck = opts->ck;
	const char *attrs;
	struct pair pr;

	if (setting && ck->nocache && name_is(h, "Cache-Control"))
		return true;		/* replaced by "private" */
	if (!set_cookie_of(h, ck->name, &pr, &attrs))
		return false;
	if (ck->mode == CONF_COOKIE_INSERT)
		return true;		/* the proxy's own replaces the server's */
	putf(o, "Set-Cookie: %s=%s", ck->name, opts->ck_id);
	if (ck->mode == CONF_COOKIE_PREFIX) {
		put(o, "~", 1);
		put(o, pr.value, pr.value_len);
	}
	put(o, attrs, (size_t)(h->value + h->value_len - attrs));
	put(o, "\r\n", 2);
	return true;
}

static void
put_inserted_cookie(struct out *o, const struct l7_resp_opts *opts, bool setting)
{
	const struct conf_cookie *ck = opts->ck;

	if (opts->ck_insert != NULL)
		putf(o, "Set-Cookie: %s=%s; path=/%s%s\r\n", ck->name, opts->ck_insert,
		    ck->httponly ? "; HttpOnly" : "", ck->secure ? "; Secure" : "");
	if (setting && ck->nocache)
		puts_(o, "Cache-Control: private\r\n");
}

static ssize_t
finish(struct out *o)
{
	put(o, "\r\n", 2);
	return o->overflow ? -1 : (ssize_t)o->len;
}

ssize_t
l7_head_request(char *buf, size_t size, const struct http1_request *r,
    const struct l7_head_opts *opts)
{
	struct out o = { .p = buf, .size = size };
	struct conn_fields conn;
	char client[ADDR_STRLEN];
	bool xff_seen = false;
	size_t i;

	put(&o, r->method_name, r->method_len);
	put(&o, " ", 1);
	put(&o, r->target, r->target_len);
	put_request_version(&o, r->minor);
	if (opts->forwarded_for)
		addr_ntop(opts->client, false, client, sizeof(client));
	conn_fields_find(&conn, r->hdrs, r->n_hdrs);
	for (i = 0; i < r->n_hdrs; i++) {
		const struct http1_hdr *h = &r->hdrs[i];

		if (hop_by_hop(&conn, h, opts->upgrade) || name_is(h, "Expect") ||
		    (opts->strip_authorization && name_is(h, "Authorization")))
			continue;
		if (opts->cookie_fix != L7_COOKIE_KEEP && name_is(h, "Cookie")) {
			put_cookie_field(&o, h, opts);
			continue;
		}
		if (opts->forwarded_for && name_is(h, "X-Forwarded-Proto"))
			continue;
		if (opts->forwarded_for && name_is(h, "X-Forwarded-For")) {
			/* Append the client to the first list; later ones pass as they are. */
			if (!xff_seen) {
				put(&o, h->name, h->name_len);
				put(&o, ": ", 2);
				put(&o, h->value, h->value_len);
				put(&o, ", ", 2);
				puts_(&o, client);
				put(&o, "\r\n", 2);
				xff_seen = true;
				continue;
			}
		}
		put_header(&o, h);
	}
	if (opts->forwarded_for) {
		if (!xff_seen) {
			puts_(&o, "X-Forwarded-For: ");
			puts_(&o, client);
			put(&o, "\r\n", 2);
		}
		puts_(&o, "X-Forwarded-Proto: http\r\n");
	}
	/* HTTP/1.0 servers close unless asked; 1.1 keeps alive by default. */
	if (opts->upgrade)
		puts_(&o, "Connection: upgrade\r\n");
	else if (r->minor == 0)
		puts_(&o, "Connection: close\r\n");
	return finish(&o);
}

ssize_t
l7_head_response(char *buf, size_t size, const struct http1_response *r,
    const struct l7_resp_opts *opts)
{
	struct out o = { .p = buf, .size = size };
	bool setting = opts->ck != NULL && sets_cookie(r, opts);
	struct conn_fields conn;
	size_t i;

	put_status_start(&o, r->minor, r->status);
	put(&o, r->reason, r->reason_len);
	put(&o, "\r\n", 2);
	conn_fields_find(&conn, r->hdrs, r->n_hdrs);
	for (i = 0; i < r->n_hdrs; i++) {
		const struct http1_hdr *h = &r->hdrs[i];

		if (hop_by_hop(&conn, h, opts->upgrade) ||
		    ((opts->dechunk || opts->tunnel) && name_is(h, "Transfer-Encoding")) ||
		    (opts->tunnel && name_is(h, "Content-Length")))
			continue;
		if (opts->ck != NULL && put_persistence_field(&o, h, opts, setting))
			continue;
		put_header(&o, h);
	}
	if (opts->ck != NULL)
		put_inserted_cookie(&o, opts, setting);
	if (opts->upgrade)
		puts_(&o, "Connection: upgrade\r\n");
	else if (opts->close)
		puts_(&o, "Connection: close\r\n");
	else if (opts->keepalive_10)
		puts_(&o, "Connection: keep-alive\r\n");
	return finish(&o);
}

const char *
l7_status_text(unsigned status)
{
	switch (status) {
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 417: return "Expectation Failed";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	case 505: return "HTTP Version Not Supported";
	default: return "Error";
	}
}

ssize_t
l7_head_local(char *buf, size_t size, unsigned status, const char *extra, bool close)
{
	struct out o = { .p = buf, .size = size };
	char body[160];
	int n = snprintf(body, sizeof(body),
	    "<html><body><h1>%u %s</h1></body></html>\n", status, l7_status_text(status));

	putf(&o, "HTTP/1.1 %u %s\r\nContent-Type: text/html\r\nContent-Length: %d\r\n"
	    "Cache-Control: no-cache\r\n%s%s\r\n%s", status, l7_status_text(status), n,
	    extra != NULL ? extra : "", close ? "Connection: close\r\n" : "", body);
	return o.overflow ? -1 : (ssize_t)o.len;
}

ssize_t
l7_head_error(char *buf, size_t size, unsigned status)
{
	return l7_head_local(buf, size, status, NULL, true);
}
