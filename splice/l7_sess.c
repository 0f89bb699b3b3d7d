/* A client connection's life: read a request head, pick a server, connect
 * (retrying elsewhere while no byte was sent), move the request and the
 * response, and either wait for the next request or close.  Errors the
 * proxy answers itself (400, 408, 414, 431, 502, 503, 504...) close the
 * connection.  See l7.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "splice/auth_basic.h"
#include "splice/l7.h"
#include "splice/l7_head.h"
#include "splice/l7_queue.h"
#include "splice/l7_server.h"

#define MAX_HDRS	HTTP1_HEADERS_DEFAULT

static void sess_timer_expired(struct ev_loop *loop, struct ev_timer *t, void *arg);

static int64_t
now(const struct l7_sess *s)
{
	return ev_now(s->l7->loop);
}

static void
arm(struct l7_sess *s, uint32_t ms)
{
	ev_timer_start(s->l7->loop, &s->timer, ms);
}

static bool
is_nat(const struct l7_sess *s)
{
	return s->vs->conf->lb_kind == CONF_LB_NAT;
}

/* Lifecycle ------------------------------------------------------------------ */

static void
side_close(struct l7 *l7, struct l7_side *side)
{
	if (side->fd == -1)
		return;
	ev_fd_close(l7->loop, side->fd);
	*side = (struct l7_side){ .fd = -1 };
}

static void
on_client(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct l7_sess *s = arg;

	l7_sess_event(s, &s->client, events);
}

static void
sock_buf(int fd, int force_opt, int opt, unsigned bytes)
{
	int v = (int)bytes;

	if (bytes > 0 && setsockopt(fd, SOL_SOCKET, force_opt, &v, sizeof(v)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, opt, &v, sizeof(v));
}

void
l7_sock_bufs(int fd, unsigned rcvbuf, unsigned sndbuf)
{
	sock_buf(fd, SO_RCVBUFFORCE, SO_RCVBUF, rcvbuf);
	sock_buf(fd, SO_SNDBUFFORCE, SO_SNDBUF, sndbuf);
}

void
l7_sess_accepted(struct l7_vs *vs, int fd, const struct kl_addr *src, uint16_t port)
{
	struct l7 *l7 = vs->l7;
	struct l7_sess *s = calloc(1, sizeof(*s));

	if (s == NULL || ev_fd_add(l7->loop, fd, EV_READ | EV_WRITE | EV_EDGE, on_client,
	    s) == -1) {
		free(s);
		close(fd);
		return;
	}
	s->l7 = l7;
	s->vs = vs;
	s->client = (struct l7_side){ .fd = fd, .wr = true, .last_io = now(s) };
	s->server = (struct l7_side){ .fd = -1 };
	s->src = *src;
	s->src_port = port;
	s->dst = vs->conf->addr;
	s->dst_port = vs->conf->port;
	s->cookie_rs = -1;
	s->req = (struct l7_flow){ .src = &s->client, .dst = &s->server };
	s->resp = (struct l7_flow){ .src = &s->server, .dst = &s->client };
	s->last_io = now(s);
	ev_timer_init(&s->timer, sess_timer_expired, s);
	if ((s->next = l7->sessions) != NULL)
		s->next->prev = s;
	l7->sessions = s;
	l7->n_sessions++;
	vs->active++;
	atomic_fetch_add(&vs->shm->active_conns, 1);
	atomic_fetch_add(&vs->shm->total_conns, 1);
	if (vs->conf->accept_proxy) {
		/* One timeout_request for the header and the request head. */
		s->state = L7_S_PROXY;
		arm(s, vs->conf->timeout_request_ms);
		return;
	}
	l7_sess_start(s);
}

void
l7_sess_start(struct l7_sess *s)
{
	if (is_nat(s) && !l7_tls_wanted(s)) {
		l7_server_choose(s, NULL, NULL);
		return;
	}
	/* The ClientHello, like a request head, within timeout_request
	 * (with a PROXY header before it: one for both). */
	s->state = is_nat(s) ? L7_S_TLS_HELLO : L7_S_REQUEST;
	if (!ev_timer_pending(&s->timer))
		arm(s, s->vs->conf->timeout_request_ms);
}

static void
unqueue(struct l7_sess *s)
{
	struct l7_sess **pp;

	if (!s->queued)
		return;
	for (pp = &s->l7->run_queue; *pp != NULL; pp = &(*pp)->next_run)
		if (*pp == s) {
			*pp = s->next_run;
			break;
		}
	s->queued = false;
}

void
l7_sess_close(struct l7_sess *s)
{
	struct l7 *l7 = s->l7;

	if (s->state == L7_S_TUNNEL)
		l7_server_tunnel_closed(s);
	l7_server_release(s, false);
	side_close(l7, &s->client);
	l7_flow_release(l7, &s->req);
	l7_flow_release(l7, &s->resp);
	ev_timer_stop(l7->loop, &s->timer);
	unqueue(s);
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		l7->sessions = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	l7->n_sessions--;
	s->vs->active--;
	atomic_fetch_sub(&s->vs->shm->active_conns, 1);
	/* Freed on the next pass: callers up the stack still look at s. */
	s->state = L7_S_DEAD;
	s->next = l7->dead;
	l7->dead = s;
	if (!ev_timer_pending(&l7->run_timer))
		ev_timer_start(l7->loop, &l7->run_timer, 0);
	l7_vs_resume(s->vs);
}

/* Answers of the proxy ------------------------------------------------------- */

/* Answer status with the proxy's page (extra header lines: NULL or each
 * with CRLF); then close, or with keep wait for the next request. */
static void
answer(struct l7_sess *s, unsigned status, const char *extra, bool keep)
{
	struct l7 *l7 = s->l7;
	struct l7_buf *b;
	ssize_t n;

	l7_server_release(s, false);
	l7_flow_release(l7, &s->resp);
	if (is_nat(s) || (b = l7_buf_get(&l7->bufs)) == NULL) {
		l7_sess_close(s);
		return;
	}
	if ((n = l7_head_local(b->data, l7->bufs.size, status, extra, !keep)) < 0) {
		l7_buf_put(&l7->bufs, b);
		l7_sess_close(s);
		return;
	}
	b->end = (size_t)n;
	s->resp.out = b;
	s->resp.mode = L7_DONE;
	s->status = status;
	s->answer_keep = keep;
	s->state = L7_S_ERROR;
	arm(s, s->vs->conf->timeout_client_ms);
	l7_sess_run(s);
}

void
l7_sess_error(struct l7_sess *s, unsigned status)
{
	atomic_fetch_add(&s->vs->shm->errors, 1);
	answer(s, status, NULL, false);
}

/* The route's auth_users refused the request: 401 with the challenge
 * (RFC 7235 3.1), or 503 while the verification budget is spent
 * (splice/l7_auth.h).  The connection stays when the request has no body
 * to skip and the client keeps it (HTTP/1.1); not after a HEAD, whose
 * answer must have no body (RFC 9110 9.3.2) while the page has one. */
static void
auth_refused(struct l7_sess *s, const struct http1_request *r, size_t head_len,
    const struct conf_http_route *rt, enum l7_auth_verdict v)
{
	char extra[AUTH_BASIC_CHALLENGE_MAX];
	bool keep = r->body == HTTP1_BODY_NONE && r->keep_alive && r->minor == 1 &&
	    r->method != HTTP1_METHOD_HEAD && !s->l7->leaving;

	if (keep)
		s->req.in->start += head_len;
	if (v == L7_AUTH_BUSY) {
		atomic_fetch_add(&s->vs->shm->errors, 1);
		answer(s, 503, "Retry-After: 1\r\n", keep);
		return;
	}
	atomic_fetch_add(&s->vs->shm->auth_rejected, 1);
	if (auth_basic_challenge(extra, sizeof(extra), rt->auth_realm) < 0) {
		l7_sess_error(s, 500);		/* the realm was checked at load */
		return;
	}
	answer(s, 401, extra, keep);
}

/* Requests -------------------------------------------------------------------- */

static unsigned
method_bit(enum http1_method m)
{
	static const int map[] = {
		[HTTP1_METHOD_OTHER] = -1, [HTTP1_METHOD_GET] = CONF_M_GET,
		[HTTP1_METHOD_HEAD] = CONF_M_HEAD, [HTTP1_METHOD_POST] = CONF_M_POST,
		[HTTP1_METHOD_PUT] = CONF_M_PUT, [HTTP1_METHOD_DELETE] = CONF_M_DELETE,
		[HTTP1_METHOD_CONNECT] = CONF_M_CONNECT,
		[HTTP1_METHOD_OPTIONS] = CONF_M_OPTIONS, [HTTP1_METHOD_TRACE] = CONF_M_TRACE,
		[HTTP1_METHOD_PATCH] = CONF_M_PATCH,
	};

	return map[m] < 0 ? 0 : 1u << map[m];
}

/* RFC 9110 9.2.2: a request that may be sent twice. */
static bool
idempotent(enum http1_method m)
{
	return m == HTTP1_METHOD_GET || m == HTTP1_METHOD_HEAD || m == HTTP1_METHOD_OPTIONS ||
	    m == HTTP1_METHOD_TRACE || m == HTTP1_METHOD_PUT || m == HTTP1_METHOD_DELETE;
}

/* Persistence cookie: the server the request names, and what its Cookie
 * fields lose on the way to the server. */
static void
request_cookie(struct l7_sess *s, const struct http1_request *r, struct l7_head_opts *o)
{
	const struct conf_cookie *ck = &s->vs->conf->cookie;
	const char *v;
	size_t vlen;

	s->cookie_rs = -1;
	if (ck->mode == CONF_COOKIE_NONE)
		return;
	if (l7_cookie_find(r->hdrs, r->n_hdrs, ck->name, &v, &vlen))
		s->cookie_rs = l7_cookie_server(&s->vs->cookies, ck, v, vlen, time(NULL),
		    &s->cookie_first);
	o->cookie_name = ck->name;
	if (ck->mode == CONF_COOKIE_INSERT && ck->indirect)
		o->cookie_fix = L7_COOKIE_STRIP;
	else if (ck->mode == CONF_COOKIE_PREFIX)
		o->cookie_fix = L7_COOKIE_UNPREFIX;
}

/* A complete head at req.in: route it, check its credentials if the
 * route asks for them, serialise it for the server. */
static void
request_ready(struct l7_sess *s, struct http1_request *r, size_t head_len)
{
	struct l7 *l7 = s->l7;
	const struct conf_http_route *rt;
	enum l7_auth_verdict v;
	struct l7_head_opts o = { .forwarded_for = s->vs->conf->forwarded_for, .client = &s->src };
	struct route_req rr = {
		.method_bit = method_bit(r->method), .host = r->host, .host_len = r->host_len,
		.path = r->path, .path_len = r->path_len, .hdrs = r->hdrs, .n_hdrs = r->n_hdrs,
		.src = &s->src,
	};
	struct l7_buf *out;
	ssize_t pre = 0, n;

	/* CONNECT (RFC 9110 9.3.6) goes to a server (a forward proxy behind
	 * us) only where allowed; it has no content. */
	if (r->method == HTTP1_METHOD_CONNECT) {
		if (!s->vs->conf->allow_connect || r->body != HTTP1_BODY_NONE) {
			l7_sess_error(s, s->vs->conf->allow_connect ? 400 : 405);
			return;
		}
		rr.path = "";
	}
	rt = route_pick(s->vs->conf, &rr);
	if (rt != NULL && rt->auth_users != NULL) {
		v = l7_auth_check(&l7->auth, rt, r->hdrs, r->n_hdrs, now(s));
		if (v != L7_AUTH_OK) {
			auth_refused(s, r, head_len, rt, v);
			return;
		}
		o.strip_authorization = !rt->auth_forward;
	}
	if ((out = l7_buf_get(&l7->bufs)) == NULL) {
		l7_sess_error(s, 503);
		return;
	}
	/* An upgrade (WebSocket...) is passed on for a request without a
	 * body; h2c never is (RFC 9113 3.1: no HTTP/2 over cleartext here). */
	o.upgrade = r->upgrade && !r->upgrade_h2c && r->body == HTTP1_BODY_NONE;
	request_cookie(s, r, &o);
	/* With send_proxy every request goes on a connection of its own (no
	 * reuse: the header names one client), which the header starts. */
	if (s->vs->conf->send_proxy != 0)
		pre = l7_proxy_header(s, out->data, l7->bufs.size);
	if (pre < 0 || (n = l7_head_request(out->data + pre, l7->bufs.size - (size_t)pre, r,
	    &o)) < 0) {
		l7_buf_put(&l7->bufs, out);
		l7_sess_error(s, 431);
		return;
	}
	out->end = (size_t)(pre + n);
	s->req.out = out;
	s->req.in->start += head_len;
	l7_flow_body(&s->req, r->body, r->content_length);
	s->req.keep_sent = s->req.mode == L7_DONE && idempotent(r->method);
	s->upgrade = o.upgrade;
	s->head_request = r->method == HTTP1_METHOD_HEAD;
	s->connect = r->method == HTTP1_METHOD_CONNECT;
	s->req_minor = r->minor;
	/* After a CONNECT the client's bytes are the tunnel's, not a next
	 * request: a refused CONNECT ends the connection. */
	s->client_close = !r->keep_alive || l7->leaving || s->connect;
	s->started_ms = now(s);
	atomic_fetch_add(&s->vs->shm->requests, 1);
	if (r->expect_continue && r->body != HTTP1_BODY_NONE)
		l7_sess_continue(s);
	l7_server_choose(s, &rr, rt != NULL ? rt->pool : NULL);
}

/* Read and parse; on a complete head go on with it. */
static void
request_read(struct l7_sess *s)
{
	struct l7 *l7 = s->l7;
	struct l7_flow *f = &s->req;
	struct http1_hdr hdrs[MAX_HDRS];
	struct http1_request r;
	ssize_t n;

	for (;;) {
		if (f->in != NULL && l7_buf_len(f->in) > 0) {
			r = (struct http1_request){ .hdrs = hdrs, .n_hdrs = MAX_HDRS };
			n = http1_parse_request(f->in->data + f->in->start, l7_buf_len(f->in),
			    &s->vs->limits, &r);
			if (n < 0) {
				l7_sess_error(s, (unsigned)r.status);
				return;
			}
			if (n > 0) {
				request_ready(s, &r, (size_t)n);
				return;
			}
		}
		if (s->client.eof) {
			/* Between requests this is the normal end. */
			if (f->in == NULL || l7_buf_len(f->in) == 0)
				l7_sess_close(s);
			else
				l7_sess_error(s, 400);
			return;
		}
		if (!s->client.rd)
			break;
		if (f->in == NULL && (f->in = l7_buf_get(&l7->bufs)) == NULL) {
			l7_sess_close(s);
			return;
		}
		l7_buf_compact(f->in);
		if (f->in->end == l7->bufs.size) {
			l7_sess_error(s, 431);
			return;
		}
		n = l7_side_recv(&s->client, f->in->data + f->in->end,
		    l7->bufs.size - f->in->end);
		if (n < 0) {
			l7_sess_close(s);
			return;
		}
		/* The first bytes of a request after an idle wait: the head
		 * now has timeout_request, not what is left of keep-alive. */
		if (n > 0 && l7_buf_len(f->in) == 0 && s->requests > 0)
			arm(s, s->vs->conf->timeout_request_ms);
		f->in->end += (size_t)n;
	}
	/* An idle keep-alive connection holds no buffer. */
	if (f->in != NULL && l7_buf_len(f->in) == 0) {
		l7_buf_put(&l7->bufs, f->in);
		f->in = NULL;
	}
}

void
l7_sess_continue(struct l7_sess *s)
{
	static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";

	/* Best effort: a client that cannot take 25 bytes now sends the body
	 * after its own timeout anyway (RFC 9110 10.1.1). */
	if (send(s->client.fd, cont, sizeof(cont) - 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 &&
	    errno == EAGAIN)
		s->client.wr = false;
}

/* Responses ------------------------------------------------------------------- */

/* Wait for the client's next request (or parse the one it sent already). */
static void
next_request(struct l7_sess *s)
{
	l7_flow_release(s->l7, &s->resp);
	s->req.mode = L7_IDLE;
	s->state = L7_S_REQUEST;
	arm(s, s->req.in != NULL && l7_buf_len(s->req.in) > 0 ?
	    s->vs->conf->timeout_request_ms : s->vs->conf->timeout_keepalive_ms);
}

/* The proxy's own answer has left; the connection stays (answer_keep). */
static void
answered(struct l7_sess *s)
{
	s->answer_keep = false;
	s->requests++;
	if (s->client.eof) {
		l7_sess_close(s);
		return;
	}
	next_request(s);
}

/* The response is forwarded: count it, and keep the connections or not. */
static void
response_done(struct l7_sess *s)
{
	/* Bytes after the response are a broken server's: not reused. */
	bool reuse = s->server_reusable && s->req.mode == L7_DONE &&
	    (s->resp.in == NULL || l7_buf_len(s->resp.in) == 0);

	l7_server_done(s, reuse);
	s->requests++;
	if (s->client_close || s->req.mode != L7_DONE || s->client.eof) {
		l7_sess_close(s);
		return;
	}
	next_request(s);
}

/* A 101 passed on (RFC 9110 15.2.2), or a 2xx to CONNECT (9.3.6): after
 * its head, both directions are bytes for the other side, in a tunnel
 * until either side ends it.  What either side sent already past the
 * heads goes first. */
static void
upgraded(struct l7_sess *s, unsigned status)
{
	s->status = status;
	s->upgraded = true;
	if (s->req.keep_sent)
		l7_flow_forget_sent(s->l7, &s->req);
	l7_server_upgraded(s);
	l7_flow_body(&s->req, HTTP1_BODY_CLOSE, 0);
	l7_flow_body(&s->resp, HTTP1_BODY_CLOSE, 0);
	s->state = L7_S_TUNNEL;
	arm(s, s->vs->conf->timeout_tunnel_ms);
}

/* A final response's persistence cookie: insert sets one when the
 * client's does not name the server that answered (or, with maxidle or
 * maxlife, to refresh it); rewrite and prefix put the server's value in
 * the application's. */
static void
response_cookie(struct l7_sess *s, struct l7_resp_opts *ro, char *value, size_t len)
{
	const struct conf_cookie *ck = &s->vs->conf->cookie;
	int64_t now_s = time(NULL);
	bool named;

	if (ck->mode == CONF_COOKIE_NONE || s->rs == NULL)
		return;
	ro->ck = ck;
	ro->ck_id = l7_cookie_id_of(&s->vs->cookies, s->rs->index);
	if (ck->mode != CONF_COOKIE_INSERT)
		return;
	named = s->cookie_rs == (int64_t)s->rs->index;
	if (named && ck->maxidle_ms == 0 && ck->maxlife_ms == 0)
		return;
	l7_cookie_value(ck, ro->ck_id, named ? s->cookie_first : now_s, now_s, value, len);
	ro->ck_insert = value;
}

/* The server's head is in resp.in: check it and serialise it for the
 * client.  1: done; 0: more bytes needed; -1: a bad response (502). */
static int
response_head(struct l7_sess *s)
{
	struct l7 *l7 = s->l7;
	struct l7_flow *f = &s->resp;
	struct http1_hdr hdrs[MAX_HDRS];
	struct http1_response r = { .hdrs = hdrs, .n_hdrs = MAX_HDRS };
	struct l7_buf *out;
	struct l7_resp_opts ro;
	char cookie[L7_COOKIE_VALUE_MAX];
	ssize_t head, len;
	bool close, dechunk, tunnel;

	head = http1_parse_response(f->in->data + f->in->start, l7_buf_len(f->in),
	    s->head_request, &r);
	if (head <= 0)
		return (int)head;
	/* A 101 to a request whose Upgrade was not passed on breaks protocol. */
	if ((r.status == 101 && !(s->upgrade && r.upgrade)) ||
	    (out = l7_buf_get(&l7->bufs)) == NULL)
		return -1;
	/* Whatever framing a 2xx to CONNECT claims, a tunnel follows (RFC
	 * 9112 6.3 rule 2). */
	tunnel = s->connect && r.status >= 200 && r.status < 300;
	/* An HTTP/1.0 client cannot take chunked coding (RFC 9112 7.1): it
	 * gets the data, ended by the close. */
	dechunk = s->req_minor == 0 && r.status >= 200 && r.body == HTTP1_BODY_CHUNKED;
	close = s->client_close || dechunk ||
	    (r.status >= 200 && r.body == HTTP1_BODY_CLOSE);
	ro = (struct l7_resp_opts){ .upgrade = r.status == 101, .tunnel = tunnel,
	    .close = close && r.status >= 200 && !tunnel,
	    .keepalive_10 = s->req_minor == 0 && !close, .dechunk = dechunk };
	if (r.status >= 200)
		response_cookie(s, &ro, cookie, sizeof(cookie));
	len = l7_head_response(out->data, l7->bufs.size, &r, &ro);
	if (len < 0) {
		l7_buf_put(&l7->bufs, out);
		return -1;
	}
	out->end = (size_t)len;
	f->out = out;
	f->in->start += (size_t)head;
	if (r.status == 101 || tunnel) {
		upgraded(s, r.status);
		return 1;
	}
	if (r.status < 200)
		return 1;		/* interim: the final response follows */
	s->status = r.status;
	s->client_close = close;
	s->server_reusable = r.keep_alive && r.body != HTTP1_BODY_CLOSE;
	l7_flow_body(f, r.body, r.content_length);
	f->dechunk = dechunk;
	return 1;
}

/* Read the server's head into resp.in.  -1: the server failed (closed,
 * reset, too large). */
static int
response_read(struct l7_sess *s)
{
	struct l7 *l7 = s->l7;
	struct l7_flow *f = &s->resp;
	ssize_t n;
	int rc;

	for (;;) {
		if (f->in != NULL && l7_buf_len(f->in) > 0 &&
		    (rc = response_head(s)) != 0)
			return rc;
		if (s->server.eof || !s->server.rd)
			return s->server.eof ? -1 : 0;
		if (f->in == NULL && (f->in = l7_buf_get(&l7->bufs)) == NULL)
			return -1;
		l7_buf_compact(f->in);
		if (f->in->end == l7->bufs.size)
			return -1;
		n = l7_side_recv(&s->server, f->in->data + f->in->end,
		    l7->bufs.size - f->in->end);
		if (n < 0)
			return -1;
		if (n > 0 && s->req.keep_sent)
			l7_flow_forget_sent(l7, &s->req);	/* answered: no resend */
		f->in->end += (size_t)n;
	}
}

/* Running -------------------------------------------------------------------- */

void
l7_sess_queue(struct l7_sess *s)
{
	if (s->queued)
		return;
	s->queued = true;
	s->next_run = s->l7->run_queue;
	s->l7->run_queue = s;
	if (!ev_timer_pending(&s->l7->run_timer))
		ev_timer_start(s->l7->loop, &s->l7->run_timer, 0);
}

/* The server failed before the response head reached the client. */
static void
exchange_failed(struct l7_sess *s)
{
	if (l7_server_replay(s))
		return;
	l7_server_failed(s, SHM_PASSIVE_BAD_RESPONSE);
	if (s->resp.mode == L7_HEAD && s->resp.out == NULL && s->resp.moved == 0)
			l7_sess_error(s, 502);
	else
		l7_sess_close(s);
}

static void
run_exchange(struct l7_sess *s, size_t *budget)
{
	int rc;

	if ((s->req.mode != L7_DONE || s->req.out != NULL) &&
	    l7_flow_pump(s->l7, &s->req, budget) == -1) {
		int err = errno;

		/* A bad body, before any answer: the proxy answers. */
		if (s->req.bad_framing && s->resp.mode == L7_HEAD && s->resp.out == NULL &&
		    s->resp.moved == 0) {
			l7_sess_error(s, 400);
			return;
		}
		if (s->connecting) {
			/* The connect failed: try another server. */
			l7_server_connect_error(s, err);
			return;
		}
		/* Without a body, only the head's write to the server fails. */
		if (l7_server_replay(s))
			return;
		/* The client went away; or the server stopped reading, which
		 * its response may explain. */
		if (s->req.src->eof || s->server.fd == -1 || s->resp.mode == L7_HEAD) {
			l7_sess_close(s);
			return;
		}
		s->client_close = true;
		s->req.mode = L7_DONE;
	}
	if (s->connecting && (s->req.out == NULL || s->req.out->start > 0))
		l7_server_established(s);	/* bytes left: the connect is done */
	/* A head waits until the previous (interim) one has left. */
	if (s->resp.mode == L7_HEAD && s->resp.out == NULL) {
		if ((rc = response_read(s)) == -1) {
			exchange_failed(s);
			return;
		}
		if (rc == 0)
			return;
	}
	if (l7_flow_pump(s->l7, &s->resp, budget) == -1) {
		l7_server_failed(s, SHM_PASSIVE_BAD_RESPONSE);
		l7_sess_close(s);
		return;
	}
	if (s->resp.mode == L7_DONE && s->resp.out == NULL)
		response_done(s);
	else if (s->resp.mode == L7_HEAD && s->resp.out == NULL && s->resp.in != NULL &&
	    l7_buf_len(s->resp.in) > 0)
		l7_sess_queue(s);		/* the final head after an interim one */
}

static void
run_tunnel(struct l7_sess *s, size_t *budget)
{
	struct l7_flow *f[2] = { &s->req, &s->resp };
	int i;

	for (i = 0; i < 2; i++) {
		if (f[i]->mode == L7_DONE)
			continue;
		if (l7_flow_pump(s->l7, f[i], budget) == -1) {
			l7_sess_close(s);
			return;
		}
		if (f[i]->mode == L7_DONE && !f[i]->dst->shut) {
			shutdown(f[i]->dst->fd, SHUT_WR);
			f[i]->dst->shut = true;
		}
	}
	if (s->req.mode == L7_DONE && s->resp.mode == L7_DONE)
		l7_sess_close(s);
}

#define RUN_STEPS_MAX	8	/* state changes per pass, then wait for the next */

void
l7_sess_run(struct l7_sess *s)
{
	size_t budget = L7_BUDGET;
	int steps;

	for (steps = 0; steps < RUN_STEPS_MAX && budget > 0; steps++) {
		enum l7_sess_state before = s->state;

		switch (s->state) {
		case L7_S_PROXY:
			l7_proxy_read(s);
			break;
		case L7_S_TLS_HELLO:
			l7_tls_read(s);
			break;
		case L7_S_REQUEST:
			request_read(s);
			break;
		case L7_S_QUEUED:
			l7_queue_run(s);
			break;
		case L7_S_CONNECT:
			l7_server_connecting(s);
			break;
		case L7_S_EXCHANGE:
			run_exchange(s, &budget);
			break;
		case L7_S_TUNNEL:
			run_tunnel(s, &budget);
			break;
		case L7_S_ERROR:
			if (l7_flow_pump(s->l7, &s->resp, &budget) == -1)
				l7_sess_close(s);
			else if (s->resp.out == NULL && s->answer_keep)
				answered(s);
			else if (s->resp.out == NULL)
				l7_sess_close(s);
			break;
		case L7_S_DEAD:
			return;
		}
		if (s->state == L7_S_DEAD || (s->state == before && budget > 0))
			return;
	}
	l7_sess_queue(s);		/* more to do: after the other sessions */
}

void
l7_sess_event(struct l7_sess *s, struct l7_side *side, unsigned events)
{
	if (events & (EV_READ | EV_ERROR))
		side->rd = true;
	if (events & (EV_WRITE | EV_ERROR))
		side->wr = true;
	if (events & EV_RDHUP)
		side->rdhup = true;
	s->last_io = side->last_io = now(s);
	l7_sess_run(s);
}

void
l7_sess_run_queue(struct l7 *l7)
{
	struct l7_sess *q = l7->run_queue, *s;

	/* Sessions queued while this runs wait for the next pass. */
	l7->run_queue = NULL;
	while ((s = q) != NULL) {
		q = s->next_run;
		s->queued = false;
		if (s->state != L7_S_DEAD)
			l7_sess_run(s);
	}
	while ((s = l7->dead) != NULL) {
		l7->dead = s->next;
		free(s);
	}
	if (l7->leaving && !l7->accepting && l7->n_sessions == 0)
		ev_stop(l7->loop);
}

void
l7_sess_quiesce(struct l7_sess *s)
{
	/* Closing an idle keep-alive connection now would race with a
	 * request the client may be sending: its next request is served,
	 * with Connection: close, or its keep-alive timeout ends it. */
	s->client_close = true;
}

/* Timeouts -------------------------------------------------------------------- */

static uint32_t
shorter(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* Inactivity since `since`: re-arm for what is left, but for no
 * longer than the shorter of timeout_client and timeout_server, so that
 * a change in what the session waits for is seen in time (l7_server.c
 * arms the exchange's first expiry so too); true if expired. */
static bool
idle_expired(struct l7_sess *s, int64_t since, uint32_t timeout_ms)
{
	const struct conf_virtual_server *vc = s->vs->conf;
	int64_t left = (int64_t)timeout_ms - (now(s) - since);

	if (left <= 0)
		return true;
	arm(s, shorter((uint32_t)left, shorter(vc->timeout_client_ms, vc->timeout_server_ms)));
	return false;
}

/* The exchange waits for the client alone: it does not take the
 * response's bytes (a slow reader), or does not send the rest of its
 * request body.  Its inactivity (since the client side's last I/O, as
 * the server side may still be busy filling the proxy's buffers) is then
 * timeout_client's, however long timeout_server is. */
static bool
client_stalls(const struct l7_sess *s)
{
	const struct l7_flow *rq = &s->req, *rs = &s->resp;
	bool to_client = rs->out != NULL || rs->fwd > 0 || (rs->pipe != NULL && rs->pipe->len > 0);
	bool to_server = rq->out != NULL || rq->fwd > 0 || (rq->pipe != NULL && rq->pipe->len > 0);

	if (to_client && !s->client.wr)
		return true;
	return rq->mode >= L7_LENGTH && rq->mode <= L7_CLOSE && !to_server && !s->client.rd;
}

static void
sess_timer_expired(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct l7_sess *s = arg;
	const struct conf_virtual_server *vc = s->vs->conf;

	switch (s->state) {
	case L7_S_PROXY:
	case L7_S_TLS_HELLO:
		l7_sess_close(s);	/* no header in time: nothing to answer in */
		return;
	case L7_S_REQUEST:
		if (s->req.in == NULL || l7_buf_len(s->req.in) == 0) {
			if (s->requests > 0 || s->l7->leaving) {
				l7_sess_close(s);	/* keep-alive or no request at all */
				return;
			}
		}
		l7_sess_error(s, 408);
		return;
	case L7_S_QUEUED:
		return;			/* the queue's timer counts timeout_queue */
	case L7_S_CONNECT:
		l7_server_connect_timeout(s);
		return;
	case L7_S_EXCHANGE:
		if (s->connecting) {
			l7_server_connect_timeout(s);
			return;
		}
		if (s->resp.mode == L7_HEAD && s->resp.out == NULL && s->resp.moved == 0 &&
		    s->req.mode == L7_DONE) {
			/* timeout_server runs from the end of the request. */
			if (idle_expired(s, s->last_io, vc->timeout_server_ms)) {
				l7_server_failed(s, SHM_PASSIVE_TIMEOUT);
				l7_sess_error(s, 504);
			}
			return;
		}
		if (client_stalls(s) ? idle_expired(s, s->client.last_io, vc->timeout_client_ms) :
		    idle_expired(s, s->last_io, vc->timeout_client_ms > vc->timeout_server_ms ?
		    vc->timeout_client_ms : vc->timeout_server_ms))
			l7_sess_close(s);
		return;
	case L7_S_TUNNEL:
		if (idle_expired(s, s->last_io,
		    s->upgraded ? vc->timeout_tunnel_ms : vc->timeout_client_ms))
			l7_sess_close(s);
		return;
	case L7_S_ERROR:
		l7_sess_close(s);
		return;
	case L7_S_DEAD:
		return;
	}
}
