/* Servers of a session; see l7_server.h. */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/log.h"
#include "splice/l7_queue.h"
#include "splice/l7_server.h"
#include "splice/l7_sync.h"
#include "splice/sched.h"

static struct shm_rs *
rec(const struct l7_sess *s)
{
	return &s->l7->shm->rs[s->rs->index];
}

static void
on_server(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct l7_sess *s = arg;

	l7_sess_event(s, &s->server, events);
}

/* Requests in flight per server, for lc/wlc/p2c, maxconn and the
 * counters; one that ends may let a waiting request in. */
static void
active_add(struct l7_sess *s, int delta)
{
	if (s->rs == NULL || s->counted == (delta > 0))
		return;
	s->counted = delta > 0;
	s->l7->active[s->rs->index] += (uint32_t)delta;
	atomic_store(&rec(s)->active_conns, s->l7->active[s->rs->index]);
	if (delta < 0)
		l7_queue_slot_freed(s->vs, s->rs);
}

static void
server_close(struct l7_sess *s)
{
	if (s->server.fd == -1)
		return;
	ev_fd_close(s->l7->loop, s->server.fd);
	s->server = (struct l7_side){ .fd = -1 };
}


static bool
sorry_available(const struct l7_sess *s)
{
	return addr_is_set(&s->vs->conf->sorry_addr);
}

/* The server the request's cookie names, else the one the client sticks
 * to (source persistence), if it can take the request; NULL: schedule. */
static const struct conf_real_server *
sticky_pick(struct l7_sess *s, const struct sched_live *live)
{
	int64_t idx = s->cookie_rs;

	if (idx < 0 && s->vs->sticky.slot != NULL)
		idx = l7_sticky_get(&s->vs->sticky, &s->src, ev_now(s->l7->loop));
	if (idx < 0)
		return NULL;
	return sched_pick_index(s->pool, live, (uint32_t)idx, &s->exclude);
}

enum pick_result {
	PICK_SERVER,		/* s->rs, or the sorry server (s->sorry) */
	PICK_WAIT,		/* the pool's live servers are full, or others wait */
	PICK_NONE,
};

/* The next server.  A sticky client whose server cannot take it goes
 * elsewhere, and sticks there from now on (redispatch); the sorry server
 * answers without quorum or without a live server, not when the live
 * ones are only full. */
static enum pick_result
pick(struct l7_sess *s)
{
	struct l7 *l7 = s->l7;
	struct sched_live live = { .rs = l7->shm->rs, .active = l7->active,
	    .now_ms = ev_now(l7->loop) };
	bool quorum = atomic_load(&s->vs->shm->quorum) != SHM_QUORUM_DOWN;

	s->sorry = false;
	s->rs = NULL;
	if (quorum && s->pool != NULL) {
		if (l7_queue_ahead(s))
			return PICK_WAIT;
		if ((s->rs = sticky_pick(s, &live)) == NULL)
			s->rs = sched_pick(s->pool, &live, s->key_len > 0 ? s->key : NULL,
			    s->key_len, &s->exclude);
		if (s->rs == NULL && sched_pool_full(s->pool, &live, &s->exclude))
			return PICK_WAIT;
	}
	if (s->rs != NULL) {
		if (s->vs->sticky.slot != NULL &&
		    l7_sticky_put(&s->vs->sticky, &s->src, s->rs->index, ev_now(l7->loop)))
			l7_sync_kick(l7);
		return PICK_SERVER;
	}
	/* Without quorum, or with no live server: the sorry server, once. */
	if (sorry_available(s) && s->tries == 0) {
		s->sorry = true;
		return PICK_SERVER;
	}
	return PICK_NONE;
}

static int
connect_to(struct l7_sess *s)
{
	const struct kl_addr *a = s->sorry ? &s->vs->conf->sorry_addr : &s->rs->addr;
	uint16_t port = s->sorry ? s->vs->conf->sorry_port : s->rs->port;
	struct sockaddr_storage ss;
	socklen_t sl = addr_to_sockaddr(a, port, &ss);
	int fd, on = 1;

	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd == -1)
		return -1;
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	/* Before connect(2): the window scale is chosen from it. */
	l7_sock_bufs(fd, s->vs->conf->rcvbuf_server, 0);
	if ((connect(fd, (struct sockaddr *)&ss, sl) == -1 && errno != EINPROGRESS) ||
	    ev_fd_add(s->l7->loop, fd, EV_READ | EV_WRITE | EV_EDGE, on_server, s) == -1) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	s->server = (struct l7_side){ .fd = fd };
	return 0;
}

/* The exchange's timer first runs out at the shorter of timeout_client
 * and timeout_server: a client that stops reading is the client's
 * timeout's (l7_sess.c re-arms it for what each side has left). */
static uint32_t
exchange_timer_ms(const struct conf_virtual_server *vc)
{
	return vc->timeout_client_ms < vc->timeout_server_ms ?
	    vc->timeout_client_ms : vc->timeout_server_ms;
}

/* The connection is up: start moving bytes. */
static void
connected(struct l7_sess *s)
{
	const struct conf_virtual_server *vc = s->vs->conf;

	if (vc->lb_kind == CONF_LB_NAT) {
		s->state = L7_S_TUNNEL;
		l7_flow_body(&s->req, HTTP1_BODY_CLOSE, 0);
		l7_flow_body(&s->resp, HTTP1_BODY_CLOSE, 0);
		if (l7_proxy_tunnel_start(s) == -1) {
			l7_sess_close(s);
			return;
		}
		ev_timer_start(s->l7->loop, &s->timer, vc->timeout_client_ms);
		return;
	}
	s->state = L7_S_EXCHANGE;
	s->resp.mode = L7_HEAD;
	s->resp.moved = 0;
	ev_timer_start(s->l7->loop, &s->timer,
	    s->connecting ? vc->timeout_connect_ms : exchange_timer_ms(vc));
}

static void
count_new_connection(struct l7_sess *s)
{
	if (s->rs != NULL)
		atomic_fetch_add(&rec(s)->total_conns, 1);
}

/* Whether the server connection, its response done, can take another
 * request: the server has neither closed it nor sent anything more.
 * Without an edge since the socket was drained, nothing came; else look. */
static bool
still_open(struct l7_sess *s)
{
	char c;

	if (s->server.fd == -1 || s->server.eof || s->server.rdhup)
		return false;
	if (!s->server.rd)
		return true;
	return recv(s->server.fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == -1 &&
	    (errno == EAGAIN || errno == EWOULDBLOCK);
}

void
l7_server_release(struct l7_sess *s, bool keep)
{
	l7_queue_leave(s);
	active_add(s, -1);
	/* Parked for the next request to this server, from any client; not
	 * one that began with a PROXY header: it is its client's. */
	if (keep && s->rs != NULL && !s->sorry && s->vs->conf->send_proxy == 0 && still_open(s) &&
	    l7_idle_park(s->l7, s->rs->index, s->server.fd))
		s->server = (struct l7_side){ .fd = -1 };
	server_close(s);
	l7_flow_release(s->l7, &s->resp);
}

/* An idle connection to the picked server, if the request may use one.
 * One that served other requests can fail as the server closes it; only
 * a request that can be sent again (l7_server_replay) or one on a client
 * connection that itself served before (whose client knows that race,
 * RFC 9112 9.3.1) is given one. */
static bool
take_idle(struct l7_sess *s)
{
	int fd;

	if (s->sorry || s->no_idle || (!s->req.keep_sent && s->requests == 0) ||
	    (fd = l7_idle_take(s->l7, s->rs->index)) == -1)
		return false;
	if (ev_fd_set_handler(s->l7->loop, fd, on_server, s) == -1) {
		close(fd);
		return false;
	}
	/* Parked drained, and dropped by the pool on any later edge. */
	s->server = (struct l7_side){ .fd = fd, .wr = true };
	return true;
}

/* Pick and connect until one connect is in progress, or give up. */
static void
pick_and_connect(struct l7_sess *s)
{
	for (;;) {
		enum pick_result r = pick(s);

		if (r == PICK_WAIT) {
			server_close(s);
			if (s->waiting == NULL)
				l7_queue_wait(s);
			return;
		}
		l7_queue_leave(s);
		if (r == PICK_NONE) {
			server_close(s);
			if (s->vs->conf->lb_kind == CONF_LB_NAT)
				l7_sess_close(s);
			else
				l7_sess_error(s, s->tries == 0 ? 503 : 502);
			return;
		}
		active_add(s, 1);
		if (take_idle(s)) {
			/* No edge comes for an idle connection: a session
			 * already exchanging (a retry) must be run again. */
			bool again = s->state == L7_S_EXCHANGE;

			s->reused = true;
			connected(s);
			if (again)
				l7_sess_queue(s);
			return;
		}
		s->reused = false;
		s->tries++;
		if (s->rs != NULL)
			sched_exclude_add(&s->exclude, s->rs);
		if (connect_to(s) == 0) {
			count_new_connection(s);
			if (s->vs->conf->lb_kind == CONF_LB_NAT) {
				s->state = L7_S_CONNECT;
				ev_timer_start(s->l7->loop, &s->timer,
				    s->vs->conf->timeout_connect_ms);
				return;
			}
			/* Send at once: on loopback and fast links the
			 * handshake is often over already; the send says
			 * whether it is (EAGAIN: wait for the edge). */
			s->connecting = true;
			s->server.wr = true;
			connected(s);
			return;
		}
		if (errno == EMFILE || errno == ENFILE) {
			/* Out of fds here: not the server's failure, and no
			 * other server would do better. */
			active_add(s, -1);
			l7_sess_error(s, 503);
			return;
		}
		l7_server_failed(s, SHM_PASSIVE_REFUSED);
		active_add(s, -1);
		if (s->tries > s->vs->conf->retries) {
			l7_sess_error(s, 502);
			return;
		}
		if (s->rs != NULL)
			atomic_fetch_add(&rec(s)->retries, 1);
	}
}

void
l7_server_choose(struct l7_sess *s, const struct route_req *rr, const char *pool)
{
	struct route_req src_only = { .src = &s->src };
	const void *key;
	size_t len = 0;

	s->tries = 0;
	s->no_idle = false;
	sched_exclude_init(&s->exclude);
	s->pool = pool_set_find(s->vs->pools, pool != NULL ? pool : s->vs->conf->default_pool);
	key = route_hash_key(s->vs->conf, rr != NULL ? rr : &src_only, &len);
	/* The key outlives the request buffer across retries. */
	s->key_len = len < sizeof(s->key) ? len : sizeof(s->key);
	if (key != NULL)
		memcpy(s->key, key, s->key_len);
	pick_and_connect(s);
}

void
l7_server_dispatch(struct l7_sess *s)
{
	pick_and_connect(s);
}

bool
l7_server_replay(struct l7_sess *s)
{
	if (s->resp.moved > 0 || s->resp.out != NULL || !s->req.keep_sent)
		return false;
	/* A new connection failing is the server's failure, and costs a try;
	 * the next goes to a server not tried yet (pick_and_connect). */
	if (!s->reused && s->tries > s->vs->conf->retries)
		return false;
	if (!l7_flow_rewind(&s->req))
		return false;
	if (!s->reused)
		l7_server_failed(s, SHM_PASSIVE_BAD_RESPONSE);
	active_add(s, -1);
	server_close(s);
	l7_flow_release(s->l7, &s->resp);
	if (s->rs != NULL)
		atomic_fetch_add(&rec(s)->retries, 1);
	s->no_idle = true;		/* a new connection this time */
	pick_and_connect(s);
	return true;
}

static void
connect_failed(struct l7_sess *s, enum shm_passive_error e)
{
	s->connecting = false;
	l7_server_failed(s, e);
	active_add(s, -1);
	server_close(s);
	if (s->tries > s->vs->conf->retries) {
		l7_sess_error(s, 502);
		return;
	}
	if (s->rs != NULL)
		atomic_fetch_add(&rec(s)->retries, 1);
	pick_and_connect(s);
}

void
l7_server_connecting(struct l7_sess *s)
{
	int e = 0;
	socklen_t len = sizeof(e);

	if (!s->server.wr && !s->server.rd)
		return;
	if (getsockopt(s->server.fd, SOL_SOCKET, SO_ERROR, &e, &len) == -1)
		e = errno;
	if (e == 0) {
		connected(s);
		return;
	}
	connect_failed(s, e == ECONNREFUSED ? SHM_PASSIVE_REFUSED : SHM_PASSIVE_RESET);
}

void
l7_server_connect_timeout(struct l7_sess *s)
{
	connect_failed(s, SHM_PASSIVE_TIMEOUT);
}

void
l7_server_connect_error(struct l7_sess *s, int err)
{
	connect_failed(s, err == ECONNREFUSED ? SHM_PASSIVE_REFUSED : SHM_PASSIVE_RESET);
}

void
l7_server_established(struct l7_sess *s)
{
	s->connecting = false;
	ev_timer_start(s->l7->loop, &s->timer, exchange_timer_ms(s->vs->conf));
}

void
l7_server_failed(struct l7_sess *s, enum shm_passive_error e)
{
	struct shm_rs *r;
	uint32_t n;

	if (s->rs == NULL)
		return;
	r = rec(s);
	atomic_fetch_add(&r->errors, 1);
	atomic_store(&r->passive_error, e);
	n = atomic_fetch_add(&r->passive_failures, 1) + 1;
	if (s->rs->error_limit > 0 && n == s->rs->error_limit)
		shm_passive_report(s->l7->shm);
}

static unsigned
status_class(unsigned status)
{
	return status >= 100 && status < 600 ? status / 100 - 1 : SHM_STATUS_CLASSES - 1;
}

/* Bytes moved both ways, to the virtual and the real server's counters. */
static void
count_bytes(struct l7_sess *s)
{
	struct shm_vs *v = s->vs->shm;

	atomic_fetch_add(&v->bytes_in, s->req.moved);
	atomic_fetch_add(&v->bytes_out, s->resp.moved);
	if (s->rs != NULL) {
		atomic_fetch_add(&rec(s)->bytes_in, s->req.moved);
		atomic_fetch_add(&rec(s)->bytes_out, s->resp.moved);
	}
}

/* A response: its status class and time; the server works. */
static void
count_response(struct l7_sess *s)
{
	struct shm_rs *r;
	int64_t us;

	if (s->rs == NULL)
		return;
	r = rec(s);
	us = (ev_now(s->l7->loop) - s->started_ms) * 1000;
	atomic_fetch_add(&r->requests[status_class(s->status)], 1);
	shm_rs_response(r, (uint64_t)(us > 0 ? us : 0));
	if (atomic_load(&r->passive_failures) != 0)
		atomic_store(&r->passive_failures, 0);
}

void
l7_server_done(struct l7_sess *s, bool reuse)
{
	count_bytes(s);
	count_response(s);
	l7_server_release(s, reuse && !s->sorry);
}

void
l7_server_upgraded(struct l7_sess *s)
{
	count_response(s);
}

void
l7_server_tunnel_closed(struct l7_sess *s)
{
	count_bytes(s);
}
