/* sticky_sync: the link to the peer node; see l7_sync.h. */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/log.h"
#include "splice/l7.h"
#include "splice/l7_sync.h"
#include "splice/listen.h"
#include "splice/sync_proto.h"
#include "splice/vs_parser.h"

#define SYNC_TICK_MS		1000	/* pings, refreshes, counts, reconnects */
#define SYNC_KICK_MS		20	/* a new entry waits this long: a burst goes in one frame */
#define SYNC_DEAD_MS		3500	/* no frame for this long (pings each tick): link dead */
#define SYNC_SLOW_MS		5000	/* no room in the send buffer this long: drop it */
#define SYNC_OUT_CAP		(64 * 1024)
#define SYNC_IN_CAP		(2 * (2 + SYNC_FRAME_MAX))
#define SYNC_FRAME_ROOM		(2 + SYNC_FRAME_MAX)
#define SYNC_SCAN_SLOTS		L7_STICKY_SLOTS	/* slots looked at per wake-up */
#define SYNC_SCAN_FRAMES	8		/* entry frames per wake-up */

enum sync_state {
	SYNC_S_IDLE,		/* no link */
	SYNC_S_CONNECTING,	/* connect(2) in progress */
	SYNC_S_HANDSHAKE,	/* hello sent; waiting for the peer's hello and auth */
	SYNC_S_UP,		/* authenticated both ways */
	SYNC_S_CLOSING,		/* refused: our last frames go, then the peer closes */
};

struct l7_sync {
	struct l7			*l7;
	const struct conf_sticky_sync	*conf;
	bool				 dials;		/* this node connects */
	int				 lfd;		/* listening socket, -1: none yet */
	int				 fd;		/* the link, -1: none */
	enum sync_state			 state;
	bool				 got_hello;
	uint8_t				 nonce[SYNC_NONCE_LEN];
	uint8_t				 peer_nonce[SYNC_NONCE_LEN];
	uint8_t				 tx_key[SYNC_HMAC_LEN];
	uint8_t				 rx_key[SYNC_HMAC_LEN];
	uint64_t			 tx_seq, rx_seq;
	int64_t				 last_rx;	/* ms: a frame (or the connect) */
	int64_t				 full_since;	/* ms: no room for a frame; 0: room */
	/* The scan of the tables: cursor, and what the pass sends. */
	bool				 scanning;
	bool				 rescan;	/* kicked during a pass */
	bool				 resync;	/* this pass sends every entry */
	unsigned			 cur_vs, cur_slot;
	unsigned			 sent, taken;	/* entries, since the link came up */
	char				 last_fail[128];	/* logged once until up */
	struct ev_timer			 tick, kick;
	size_t				 in_len, out_len;
	uint8_t				 in[SYNC_IN_CAP];
	uint8_t				 out[SYNC_OUT_CAP];
};

static void	on_link(struct ev_loop *loop, int fd, unsigned events, void *arg);

/* Failures are logged when they differ from the last one: a peer that is
 * down or has another secret is said once, not at every retry. */
static void
fail_once(struct l7_sync *s, const char *why)
{
	char peer[ADDR_STRLEN];

	if (strcmp(s->last_fail, why) == 0)
		return;
	snprintf(s->last_fail, sizeof(s->last_fail), "%s", why);
	log_warnx("sticky sync: peer %s: %s", addr_port_ntop(&s->conf->peer_addr,
	    s->conf->peer_port, peer, sizeof(peer)), why);
}

/* The link ----------------------------------------------------------------- */

static void
watch(struct l7_sync *s)
{
	unsigned ev = EV_READ;

	if (s->state == SYNC_S_CONNECTING || s->out_len > 0)
		ev |= EV_WRITE;
	ev_fd_mod(s->l7->loop, s->fd, ev);
}

static void
link_down(struct l7_sync *s, const char *why)
{
	char peer[ADDR_STRLEN];

	if (s->fd == -1)
		return;
	if (s->state == SYNC_S_CLOSING) {
		/* said already, by refuse() */
	} else if (s->state == SYNC_S_UP) {
		log_info("sticky sync: link with %s down: %s (sent %u entries, took %u)",
		    addr_port_ntop(&s->conf->peer_addr, s->conf->peer_port, peer, sizeof(peer)),
		    why, s->sent, s->taken);
		s->last_fail[0] = '\0';
	} else {
		fail_once(s, why);
	}
	ev_fd_close(s->l7->loop, s->fd);
	s->fd = -1;
	s->state = SYNC_S_IDLE;
	s->scanning = s->rescan = s->resync = false;
	s->in_len = s->out_len = 0;
	s->full_since = 0;
	ev_timer_stop(s->l7->loop, &s->kick);
	explicit_bzero(s->tx_key, sizeof(s->tx_key));
	explicit_bzero(s->rx_key, sizeof(s->rx_key));
}

static bool
out_has_room(const struct l7_sync *s)
{
	return SYNC_OUT_CAP - s->out_len >= SYNC_FRAME_ROOM;
}

static void
flush(struct l7_sync *s)
{
	ssize_t n;

	while (s->out_len > 0) {
		n = send(s->fd, s->out, s->out_len, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n == -1) {
			link_down(s, strerror(errno));
			return;
		}
		memmove(s->out, s->out + n, s->out_len - (size_t)n);
		s->out_len -= (size_t)n;
	}
	if (out_has_room(s)) {
		s->full_since = 0;
		if (s->scanning && !ev_timer_pending(&s->kick))
			ev_timer_start(s->l7->loop, &s->kick, 0);
	} else if (s->full_since == 0) {
		s->full_since = ev_now(s->l7->loop);
	}
	watch(s);
}

/* An authenticated frame into the send buffer; false if it has no room. */
static bool
send_frame(struct l7_sync *s, enum sync_type t, const uint8_t *body, size_t len)
{
	size_t n = sync_frame_encode(s->out + s->out_len, SYNC_OUT_CAP - s->out_len, t, body,
	    len, s->tx_key, s->tx_seq);

	if (n == 0)
		return false;
	s->tx_seq++;
	s->out_len += n;
	return true;
}

/* A protocol error or a failed authentication: say why, and let the
 * frames already queued (our own auth) reach the peer before our FIN, so
 * that it learns the same; closing at once, with its frames unread, would
 * reset the connection and lose ours.  The peer's close (or the tick)
 * ends it. */
static void
refuse(struct l7_sync *s, const char *why)
{
	if (s->state == SYNC_S_UP || s->state == SYNC_S_CONNECTING) {
		link_down(s, why);
		return;
	}
	fail_once(s, why);
	s->state = SYNC_S_CLOSING;
	s->last_rx = ev_now(s->l7->loop);
	s->scanning = false;
	flush(s);
	if (s->fd != -1)
		(void)shutdown(s->fd, SHUT_WR);
}

/* A connection to the peer is open: send the challenge. */
static void
handshake_start(struct l7_sync *s)
{
	if (getrandom(s->nonce, sizeof(s->nonce), 0) != (ssize_t)sizeof(s->nonce)) {
		link_down(s, "getrandom failed");
		return;
	}
	s->state = SYNC_S_HANDSHAKE;
	s->got_hello = false;
	s->tx_seq = s->rx_seq = 0;
	s->in_len = 0;
	s->out_len = sync_hello_encode(s->out, sizeof(s->out), s->nonce);
	s->last_rx = ev_now(s->l7->loop);
	flush(s);
}

static void
link_up(struct l7_sync *s)
{
	char peer[ADDR_STRLEN];
	const char *k = s->conf->secret;
	size_t kl = s->conf->secret_len;

	sync_session_key(k, kl, s->nonce, s->peer_nonce, s->tx_key);
	sync_session_key(k, kl, s->peer_nonce, s->nonce, s->rx_key);
	s->state = SYNC_S_UP;
	s->sent = s->taken = 0;
	s->last_fail[0] = '\0';
	log_info("sticky sync: link with %s up; sending the table",
	    addr_port_ntop(&s->conf->peer_addr, s->conf->peer_port, peer, sizeof(peer)));
	s->scanning = true;
	s->resync = true;
	s->rescan = false;
	s->cur_vs = s->cur_slot = 0;
	ev_timer_start(s->l7->loop, &s->kick, 0);
}

/* Dialing (the node with the lower address) ---------------------------- */

static int
endpoint_cmp(const struct conf_sticky_sync *c)
{
	size_t la, lp;
	const void *a = addr_bytes(&c->listen_addr, &la), *p = addr_bytes(&c->peer_addr, &lp);
	int d = memcmp(a, p, la < lp ? la : lp);

	return d != 0 ? d : (int)c->listen_port - (int)c->peer_port;
}

static void
dial(struct l7_sync *s)
{
	struct sockaddr_storage src, dst;
	socklen_t sl = addr_to_sockaddr(&s->conf->listen_addr, 0, &src);
	socklen_t dl = addr_to_sockaddr(&s->conf->peer_addr, s->conf->peer_port, &dst);
	int fd = socket(dst.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);

	/* From the listen address: the peer knows this node by it. */
	if (fd == -1 || bind(fd, (struct sockaddr *)&src, sl) == -1 ||
	    (connect(fd, (struct sockaddr *)&dst, dl) == -1 && errno != EINPROGRESS) ||
	    ev_fd_add(s->l7->loop, fd, EV_WRITE, on_link, s) == -1) {
		char why[96];

		snprintf(why, sizeof(why), "connect: %s", strerror(errno));
		if (fd != -1)
			close(fd);
		fail_once(s, why);
		return;
	}
	s->fd = fd;
	s->state = SYNC_S_CONNECTING;
	s->last_rx = ev_now(s->l7->loop);
}

static void
connect_done(struct l7_sync *s)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err == EINPROGRESS)
		return;
	if (err != 0) {
		char why[96];

		snprintf(why, sizeof(why), "connect: %s", strerror(err));
		link_down(s, why);
		return;
	}
	handshake_start(s);
}

/* Listening (the other node) ------------------------------------------- */

static void
on_accept(struct ev_loop *loop, int lfd, unsigned events, void *arg)
{
	struct l7_sync *s = arg;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct kl_addr from;
	uint16_t port;
	char who[ADDR_STRLEN];
	int fd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd == -1)
		return;
	if (addr_from_sockaddr((struct sockaddr *)&ss, &from, &port) == -1 ||
	    !addr_equal(&from, &s->conf->peer_addr)) {
		log_warnx("sticky sync: refused a connection from %s: not the peer",
		    addr_port_ntop(&from, port, who, sizeof(who)));
		close(fd);
		return;
	}
	/* The peer came back (a restart): the old link is stale. */
	link_down(s, "the peer connected again");
	if (ev_fd_add(loop, fd, EV_READ, on_link, s) == -1) {
		close(fd);
		return;
	}
	s->fd = fd;
	handshake_start(s);
}

static void
listen_try(struct l7_sync *s)
{
	char why[96];

	/* A reloaded child's predecessor may hold the port a moment longer. */
	s->lfd = listen_socket(&s->conf->listen_addr, s->conf->listen_port);
	if (s->lfd == -1) {
		snprintf(why, sizeof(why), "listen: %s", strerror(errno));
		fail_once(s, why);
		return;
	}
	if (ev_fd_add(s->l7->loop, s->lfd, EV_READ, on_accept, s) == -1) {
		close(s->lfd);
		s->lfd = -1;
	}
}

/* Receiving ---------------------------------------------------------------- */

static struct l7_vs *
find_vs(struct l7 *l7, const struct kl_addr *a, uint16_t port)
{
	unsigned i;

	for (i = 0; i < l7->n_vs; i++) {
		struct l7_vs *vs = &l7->vss[i];

		if (vs->sticky.slot != NULL && vs->conf->port == port &&
		    addr_equal(&vs->conf->addr, a))
			return vs;
	}
	return NULL;
}

/* Kept only for a virtual server with persistence and a server that both
 * nodes have. */
static void
take_entry(struct l7_sync *s, const struct sync_entry *e)
{
	struct l7_vs *vs = find_vs(s->l7, &e->vs_addr, e->vs_port);
	const struct conf_real_server *rs;

	if (vs == NULL || (rs = vs_find_server(vs->conf, &e->rs_addr, e->rs_port)) == NULL)
		return;
	if (l7_sticky_merge(&vs->sticky, &e->client, rs->index, e->remaining_ms,
	    ev_now(s->l7->loop))) {
		s->taken++;
		atomic_fetch_add(&vs->shm->sticky_synced, 1);
	}
}

static int
on_entries(struct l7_sync *s, const struct sync_frame *f, char *err, size_t errlen)
{
	struct sync_entry e[SYNC_ENTRIES_MAX];
	size_t n, i;

	if (sync_entries_decode(f, e, &n, err, errlen) == -1)
		return -1;
	for (i = 0; i < n; i++)
		take_entry(s, &e[i]);
	return 0;
}

static int
on_hello(struct l7_sync *s, const struct sync_frame *f, char *err, size_t errlen)
{
	uint8_t mac[SYNC_HMAC_LEN];
	size_t n;

	if (s->got_hello) {
		snprintf(err, errlen, "a second hello");
		return -1;
	}
	if (sync_hello_decode(f, s->peer_nonce, err, errlen) == -1)
		return -1;
	s->got_hello = true;
	sync_auth_mac(s->conf->secret, s->conf->secret_len, s->nonce, s->peer_nonce, mac);
	n = sync_auth_encode(s->out + s->out_len, SYNC_OUT_CAP - s->out_len, mac);
	s->out_len += n;
	return n > 0 ? 0 : -1;
}

static int
on_auth(struct l7_sync *s, const struct sync_frame *f, char *err, size_t errlen)
{
	uint8_t got[SYNC_HMAC_LEN], want[SYNC_HMAC_LEN];

	if (!s->got_hello || s->state == SYNC_S_UP) {
		snprintf(err, errlen, "auth out of turn");
		return -1;
	}
	if (sync_auth_decode(f, got, err, errlen) == -1)
		return -1;
	sync_auth_mac(s->conf->secret, s->conf->secret_len, s->peer_nonce, s->nonce, want);
	if (!sync_mac_equal(got, want, SYNC_HMAC_LEN)) {
		snprintf(err, errlen, "authentication failed (not the same secret); "
		    "link refused");
		return -1;
	}
	link_up(s);
	return 0;
}

static int
on_frame(struct l7_sync *s, const struct sync_frame *f, char *err, size_t errlen)
{
	if (sync_type_authed(f->type)) {
		if (s->state != SYNC_S_UP) {
			snprintf(err, errlen, "frame of type %u before authentication", f->type);
			return -1;
		}
		if (!sync_frame_verify(f, s->rx_key, s->rx_seq)) {
			snprintf(err, errlen, "frame %llu: bad MAC (forged, replayed or damaged)",
			    (unsigned long long)s->rx_seq);
			return -1;
		}
		s->rx_seq++;
	}
	s->last_rx = ev_now(s->l7->loop);
	switch (f->type) {
	case SYNC_HELLO:
		return on_hello(s, f, err, errlen);
	case SYNC_AUTH:
		return on_auth(s, f, err, errlen);
	case SYNC_ENTRIES:
		return on_entries(s, f, err, errlen);
	case SYNC_RESYNC_DONE:
		log_info("sticky sync: the peer's table is in (%u entries taken)", s->taken);
		return sync_empty_decode(f, err, errlen);
	case SYNC_PING:
		return sync_empty_decode(f, err, errlen);
	}
	return -1;
}

static void
receive(struct l7_sync *s)
{
	struct sync_frame f;
	char err[128] = "malformed frame";
	size_t off = 0;
	ssize_t n = recv(s->fd, s->in + s->in_len, sizeof(s->in) - s->in_len, 0);

	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR)) {
		link_down(s, n == 0 ? "closed by the peer" : strerror(errno));
		return;
	}
	if (n == -1)
		return;
	if (s->state == SYNC_S_CLOSING)
		return;			/* read only to see the peer's close */
	s->in_len += (size_t)n;
	while ((n = sync_frame_split(s->in + off, s->in_len - off, &f, err, sizeof(err))) > 0) {
		if (on_frame(s, &f, err, sizeof(err)) == -1) {
			refuse(s, err);
			return;
		}
		off += (size_t)n;
	}
	if (n == -1) {
		refuse(s, err);
		return;
	}
	memmove(s->in, s->in + off, s->in_len - off);
	s->in_len -= off;
	flush(s);
}

static void
on_link(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct l7_sync *s = arg;

	if (s->state == SYNC_S_CONNECTING) {
		connect_done(s);
		return;
	}
	if (events & (EV_READ | EV_ERROR))
		receive(s);
	if (s->fd != -1 && (events & EV_WRITE))
		flush(s);
}

/* Sending the tables ---------------------------------------------------- */

static const struct conf_real_server *
rs_of(const struct conf_virtual_server *vs, uint32_t index)
{
	const struct conf_real_server *rs;

	for (rs = vs->servers; rs != NULL; rs = rs->next)
		if (rs->index == index)
			return rs;
	return NULL;
}

/* Entry e of vs onto body[*len..); false if the body is full. */
static bool
add_entry(struct l7_vs *vs, struct l7_sticky_entry *e, uint8_t *body, size_t *len,
    int64_t now)
{
	const struct conf_real_server *rs = rs_of(vs->conf, e->rs);
	struct sync_entry se;
	size_t n;

	if (rs == NULL)
		return true;		/* a server removed since: nothing to say */
	se = (struct sync_entry){
		.vs_addr = vs->conf->addr, .vs_port = vs->conf->port, .client = e->addr,
		.rs_addr = rs->addr, .rs_port = rs->port,
		.remaining_ms = (uint32_t)(e->last_ms + vs->sticky.timeout_ms - now),
	};
	if ((n = sync_entry_encode(body + *len, SYNC_BODY_MAX - *len, &se)) == 0)
		return false;
	*len += n;
	e->peer_until = e->last_ms + vs->sticky.timeout_ms;
	return true;
}

/* One frame of entries from the cursor on; false when the pass is over
 * or its budget of slots spent (*looked). */
static bool
scan_frame(struct l7_sync *s, unsigned *looked, int64_t now)
{
	uint8_t body[SYNC_BODY_MAX];
	size_t len = 2;
	unsigned count = 0;
	bool more = true;

	while (count < SYNC_ENTRIES_MAX) {
		struct l7_vs *vs;
		struct l7_sticky_entry *e;

		if (s->cur_vs >= s->l7->n_vs || *looked >= SYNC_SCAN_SLOTS) {
			more = false;
			break;
		}
		vs = &s->l7->vss[s->cur_vs];
		if (vs->sticky.slot == NULL || s->cur_slot >= L7_STICKY_SLOTS) {
			s->cur_vs++;
			s->cur_slot = 0;
			continue;
		}
		e = &vs->sticky.slot[s->cur_slot];
		(*looked)++;
		if (s->resync ? l7_sticky_fresh(&vs->sticky, e, now) :
		    l7_sticky_due(&vs->sticky, e, now)) {
			if (!add_entry(vs, e, body, &len, now))
				break;		/* full: this slot opens the next frame */
			count++;
		}
		s->cur_slot++;
	}
	if (count > 0) {
		body[0] = (uint8_t)(count >> 8);
		body[1] = (uint8_t)count;
		send_frame(s, SYNC_ENTRIES, body, len);	/* room was checked */
		s->sent += count;
	}
	return more;
}

/* The end of a pass over every table. */
static void
pass_done(struct l7_sync *s)
{
	if (s->resync) {
		log_info("sticky sync: table sent (%u entries)", s->sent);
		send_frame(s, SYNC_RESYNC_DONE, NULL, 0);
		s->resync = false;
	}
	s->cur_vs = s->cur_slot = 0;
	s->scanning = s->rescan;
	s->rescan = false;
}

static void
scan(struct l7_sync *s)
{
	int64_t now = ev_now(s->l7->loop);
	unsigned frames = 0, looked = 0;
	bool more = true;

	while (more && frames < SYNC_SCAN_FRAMES && out_has_room(s)) {
		more = scan_frame(s, &looked, now);
		frames++;
	}
	if (s->cur_vs >= s->l7->n_vs && out_has_room(s))
		pass_done(s);
	flush(s);
	/* More to do, and room for it: go on at the next pass of the loop. */
	if (s->fd != -1 && s->scanning && out_has_room(s) && !ev_timer_pending(&s->kick))
		ev_timer_start(s->l7->loop, &s->kick, 0);
}

static void
on_kick(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct l7_sync *s = arg;

	if (s->state == SYNC_S_UP && s->scanning)
		scan(s);
}

void
l7_sync_kick(struct l7 *l7)
{
	struct l7_sync *s = l7->sync;

	if (s == NULL || s->state != SYNC_S_UP)
		return;
	if (s->scanning)
		s->rescan = true;	/* the cursor may be past the entry */
	s->scanning = true;
	if (!ev_timer_pending(&s->kick))
		ev_timer_start(l7->loop, &s->kick, SYNC_KICK_MS);
}

/* The tick ------------------------------------------------------------------- */

static void
count_entries(struct l7 *l7)
{
	int64_t now = ev_now(l7->loop);
	unsigned i;

	for (i = 0; i < l7->n_vs; i++)
		if (l7->vss[i].sticky.slot != NULL)
			atomic_store(&l7->vss[i].shm->sticky_entries,
			    l7_sticky_count(&l7->vss[i].sticky, now));
}

static void
on_tick(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct l7_sync *s = arg;
	int64_t now = ev_now(loop);

	ev_timer_start(loop, t, SYNC_TICK_MS);
	count_entries(s->l7);
	if (!s->dials && s->lfd == -1)
		listen_try(s);
	if (s->state == SYNC_S_CLOSING && now - s->last_rx >= SYNC_TICK_MS)
		link_down(s, "refused");
	else if (s->fd != -1 && now - s->last_rx > SYNC_DEAD_MS)
		link_down(s, "no frame from the peer in time");
	else if (s->fd != -1 && s->full_since != 0 && now - s->full_since > SYNC_SLOW_MS)
		link_down(s, "the peer reads too slowly; it gets the table again on reconnect");
	if (s->dials && s->fd == -1)
		dial(s);
	if (s->state != SYNC_S_UP)
		return;
	if (out_has_room(s)) {
		send_frame(s, SYNC_PING, NULL, 0);
		flush(s);
	}
	l7_sync_kick(s->l7);		/* refreshes the peer's copies near their end */
}

/* Setup ----------------------------------------------------------------------- */

int
l7_sync_open(struct l7 *l7)
{
	struct l7_sync *s;

	if (!l7->conf->sticky_sync.enabled)
		return 0;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return -1;
	s->l7 = l7;
	s->conf = &l7->conf->sticky_sync;
	s->dials = endpoint_cmp(s->conf) < 0;
	s->lfd = s->fd = -1;
	ev_timer_init(&s->tick, on_tick, s);
	ev_timer_init(&s->kick, on_kick, s);
	l7->sync = s;
	ev_timer_start(l7->loop, &s->tick, 0);
	return 0;
}

void
l7_sync_close(struct l7 *l7)
{
	struct l7_sync *s = l7->sync;

	if (s == NULL)
		return;
	link_down(s, "stopping");
	if (s->lfd != -1) {
		ev_fd_del(l7->loop, s->lfd);
		close(s->lfd);
	}
	ev_timer_stop(l7->loop, &s->tick);
	ev_timer_stop(l7->loop, &s->kick);
	explicit_bzero(s, sizeof(*s));
	free(s);
	l7->sync = NULL;
}
