/* HTTP_GET and SSL_GET: for each url in turn, a new connection (TLS for
 * SSL_GET, with SNI when enable_sni), one GET, and the response judged
 * by check_http_resp.c.  The attempt passes when every url does; each
 * url has connect_timeout for connection, request and response. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "check/check.h"
#include "check/check_http_resp.h"

#define HTTP_DEFAULT_PORT	80
#define HTTPS_DEFAULT_PORT	443
#define REQUEST_MAX		2048

enum http_step { STEP_CONNECT, STEP_TLS, STEP_SEND, STEP_RECEIVE };

struct check_http {
	const struct conf_url	*url;
	enum http_step		 step;
	size_t			 req_len;
	size_t			 req_sent;
	char			 req[REQUEST_MAX];
	struct check_http_resp	 resp;
};

static bool
is_tls(const struct check *c)
{
	return c->conf->type == CONF_CHECK_SSL;
}

/* Host header: the url's or checker's virtualhost, else the address with
 * its port unless it is the scheme's default. */
static const char *
host_of(const struct check *c, const struct conf_url *url, char *buf, size_t len)
{
	const struct kl_addr *a = addr_is_set(&c->conf->connect_ip) ? &c->conf->connect_ip :
	    &c->srv->conf->addr;
	uint16_t port = c->conf->connect_port != 0 ? c->conf->connect_port :
	    c->srv->conf->port;

	if (url->virtualhost != NULL)
		return url->virtualhost;
	if (c->conf->virtualhost != NULL)
		return c->conf->virtualhost;
	if (port != (is_tls(c) ? HTTPS_DEFAULT_PORT : HTTP_DEFAULT_PORT))
		return addr_port_ntop(a, port, buf, len);
	if (a->family == AF_INET6) {
		char plain[ADDR_STRLEN];

		snprintf(buf, len, "[%s]", addr_ntop(a, false, plain, sizeof(plain)));
		return buf;
	}
	return addr_ntop(a, false, buf, len);
}

static int
build_request(struct check *c, struct check_http *h)
{
	static const char *const versions[] = {
		[CONF_HTTP_10] = "1.0", [CONF_HTTP_10C] = "1.0", [CONF_HTTP_11] = "1.1",
	};
	char host[ADDR_STRLEN];
	int n;

	n = snprintf(h->req, sizeof(h->req),
	    "GET %s HTTP/%s\r\nUser-Agent: keepalive-l7/" PACKAGE_VERSION "\r\n"
	    "Host: %s\r\n%s\r\n", h->url->path, versions[c->conf->http_protocol],
	    host_of(c, h->url, host, sizeof(host)),
	    c->conf->http_protocol == CONF_HTTP_10 ? "" : "Connection: close\r\n");
	if (n < 0 || (size_t)n >= sizeof(h->req))
		return -1;
	h->req_len = (size_t)n;
	h->req_sent = 0;
	return 0;
}

static void
http_release(struct check *c)
{
	check_conn_close(&c->conn, c->ctx->loop);
	if (c->http != NULL) {
		check_http_resp_free(&c->http->resp);
		free(c->http);
		c->http = NULL;
	}
}

static void http_on_event(struct ev_loop *loop, int fd, unsigned events, void *arg);

/* Connect for the current url.  -1: failed, reason in err. */
static int
url_begin(struct check *c, char *err, size_t errlen)
{
	struct check_http *h = c->http;

	h->step = STEP_CONNECT;
	if (build_request(c, h) == -1) {
		snprintf(err, errlen, "request for %s too long", h->url->path);
		return -1;
	}
	if (check_http_resp_init(&h->resp, h->url) == -1) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (check_conn_open(&c->conn, c->conf, c->srv->conf, err, errlen) == -1)
		return -1;
	if (ev_fd_add(c->ctx->loop, c->conn.fd, EV_READ | EV_WRITE | EV_EDGE, http_on_event,
	    c) == -1) {
		snprintf(err, errlen, "cannot watch the socket");
		return -1;
	}
	return 0;
}

static const char *
sni_of(const struct check *c, const struct conf_url *url)
{
	if (!c->conf->enable_sni)
		return NULL;
	return url->virtualhost != NULL ? url->virtualhost : c->conf->virtualhost;
}

/* One step of the exchange.  0: go on; CHECK_CONN_AGAIN: wait; -1: failed;
 * 1: the url passed. */
static int
http_step(struct check *c, char *why, size_t whylen)
{
	struct check_http *h = c->http;
	ssize_t n;
	size_t avail;
	char *space;
	enum check_http_verdict v;

	switch (h->step) {
	case STEP_CONNECT:
		if (check_conn_established(&c->conn, why, whylen) == -1)
			return -1;
		if (!is_tls(c)) {
			h->step = STEP_SEND;
			return 0;
		}
		h->step = STEP_TLS;
		return check_conn_tls_begin(&c->conn, c->ctx->tls, sni_of(c, h->url), why,
		    whylen);
	case STEP_TLS:
		if ((n = check_conn_tls_handshake(&c->conn, why, whylen)) == 0)
			h->step = STEP_SEND;
		return (int)n;
	case STEP_SEND:
		n = check_conn_write(&c->conn, h->req + h->req_sent, h->req_len - h->req_sent,
		    why, whylen);
		if (n < 0)
			return (int)n;
		if ((h->req_sent += (size_t)n) == h->req_len)
			h->step = STEP_RECEIVE;
		return 0;
	case STEP_RECEIVE:
		space = check_http_resp_space(&h->resp, &avail);
		if ((n = check_conn_read(&c->conn, space, avail, why, whylen)) < 0)
			return (int)n;
		v = check_http_resp_received(&h->resp, (size_t)n, why, whylen);
		return v == CHECK_HTTP_MORE ? 0 : v == CHECK_HTTP_PASS ? 1 : -1;
	}
	return -1;
}

/* The current url passed: on to the next, or the attempt passed. */
static void
url_passed(struct check *c, const char *why)
{
	struct check_http *h = c->http;
	char err[CHECK_REASON_LEN];

	check_conn_close(&c->conn, c->ctx->loop);
	check_http_resp_free(&h->resp);
	if ((h->url = h->url->next) == NULL) {
		http_release(c);
		check_attempt_end(c, true, "%s", why);
		return;
	}
	check_attempt_rearm(c);
	if (url_begin(c, err, sizeof(err)) == -1) {
		http_release(c);
		check_attempt_end(c, false, "%s", err);
	}
}

static void
http_on_event(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct check *c = arg;
	char why[CHECK_REASON_LEN], failed[CHECK_REASON_LEN + 64];
	int rc;

	while ((rc = http_step(c, why, sizeof(why))) == 0)
		;
	if (rc == CHECK_CONN_AGAIN)
		return;		/* edge-triggered: the next edge resumes */
	if (rc == 1) {
		url_passed(c, why);
		return;
	}
	/* Name the url when there are several. */
	if (c->conf->urls->next != NULL)
		snprintf(failed, sizeof(failed), "GET %s: %s", c->http->url->path, why);
	else
		snprintf(failed, sizeof(failed), "%s", why);
	http_release(c);
	check_attempt_end(c, false, "%s", failed);
}

static void
http_start(struct check *c)
{
	char err[CHECK_REASON_LEN];

	if ((c->http = calloc(1, sizeof(*c->http))) == NULL) {
		check_attempt_end(c, false, "out of memory");
		return;
	}
	c->http->url = c->conf->urls;
	if (url_begin(c, err, sizeof(err)) == -1) {
		http_release(c);
		check_attempt_end(c, false, "%s", err);
	}
}

const struct check_ops check_http_ops = {
	.start = http_start,
	.cancel = http_release,
};
