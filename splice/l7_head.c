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

/* RFC 9110 7.6.1: fields for this connection only; Upgrade stays when
 * the upgrade is passed on (7.8), and Connection then says so itself. */
static bool
hop_by_hop(const struct http1_hdr *hdrs, size_t n, const struct http1_hdr *h, bool upgrade)
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
	return http1_conn_lists(hdrs, n, h->name, h->name_len);
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
	char client[ADDR_STRLEN];
	bool xff_seen = false;
	size_t i;

	put(&o, r->method_name, r->method_len);
	put(&o, " ", 1);
	put(&o, r->target, r->target_len);
	putf(&o, " HTTP/1.%u\r\n", r->minor);
	if (opts->forwarded_for)
		addr_ntop(opts->client, false, client, sizeof(client));
	for (i = 0; i < r->n_hdrs; i++) {
		const struct http1_hdr *h = &r->hdrs[i];

		if (hop_by_hop(r->hdrs, r->n_hdrs, h, opts->upgrade) || name_is(h, "Expect"))
			continue;
		if (opts->forwarded_for && name_is(h, "X-Forwarded-Proto"))
			continue;
		if (opts->forwarded_for && name_is(h, "X-Forwarded-For")) {
			/* Append the client to the first list; later ones pass as they are. */
			if (!xff_seen) {
				put(&o, h->name, h->name_len);
				put(&o, ": ", 2);
				put(&o, h->value, h->value_len);
				putf(&o, ", %s\r\n", client);
				xff_seen = true;
				continue;
			}
		}
		put_header(&o, h);
	}
	if (opts->forwarded_for) {
		if (!xff_seen)
			putf(&o, "X-Forwarded-For: %s\r\n", client);
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
	size_t i;

	putf(&o, "HTTP/1.%u %u ", r->minor, r->status);
	put(&o, r->reason, r->reason_len);
	put(&o, "\r\n", 2);
	for (i = 0; i < r->n_hdrs; i++) {
		const struct http1_hdr *h = &r->hdrs[i];

		if (hop_by_hop(r->hdrs, r->n_hdrs, h, opts->upgrade) ||
		    (opts->dechunk && name_is(h, "Transfer-Encoding")))
			continue;
		put_header(&o, h);
	}
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
l7_head_error(char *buf, size_t size, unsigned status)
{
	struct out o = { .p = buf, .size = size };
	char body[160];
	int n = snprintf(body, sizeof(body),
	    "<html><body><h1>%u %s</h1></body></html>\n", status, l7_status_text(status));

	putf(&o, "HTTP/1.1 %u %s\r\nContent-Type: text/html\r\nContent-Length: %d\r\n"
	    "Cache-Control: no-cache\r\nConnection: close\r\n\r\n%s", status,
	    l7_status_text(status), n, body);
	return o.overflow ? -1 : (ssize_t)o.len;
}
