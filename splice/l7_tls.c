/* TLS SNI routing without termination (keepalive-l7.conf(5) tls_route):
 * a NAT session of a virtual server with tls_route reads the client's
 * ClientHello (lib/tls_hello.h) before it has a server, picks the pool
 * by the server name, and then tunnels like any NAT session; the bytes
 * read stay in req.in and go to the server first.  The proxy never
 * decrypts nor answers anything: a client that sends no valid
 * ClientHello in time is closed.  See l7.h. */
#include "config.h"

#include "lib/log.h"
#include "lib/tls_hello.h"
#include "splice/l7.h"
#include "splice/l7_server.h"
#include "splice/route.h"

bool
l7_tls_wanted(const struct l7_sess *s)
{
	return s->vs->conf->lb_kind == CONF_LB_NAT && s->vs->conf->tls_routes != NULL;
}

static void
hello_refused(struct l7_sess *s, enum tls_hello_rc rc)
{
	log_debug("virtual server %u: client's first bytes: %s", s->vs->conf->index,
	    tls_hello_rc_name(rc));
	atomic_fetch_add(&s->vs->shm->errors, 1);
	l7_sess_close(s);
}

static void
hello_routed(struct l7_sess *s, const struct tls_hello *h, enum tls_hello_rc rc)
{
	const char *name = rc == TLS_HELLO_FOUND ? h->name : NULL;
	const char *pool = route_pick_tls_pool(s->vs->conf, name, h->name_len);

	log_debug("virtual server %u: TLS server name %s: pool %s", s->vs->conf->index,
	    name != NULL ? name : "(none)", pool);
	l7_server_choose(s, NULL, pool);
}

/* More of the ClientHello into req.in, at most TLS_HELLO_MAX bytes in
 * all (the buffer is bigger: l7_child.c sizes it for heads).  > 0: bytes
 * read; 0: none now; -1: the client is gone, or no buffer. */
static ssize_t
hello_recv(struct l7_sess *s)
{
	struct l7_flow *f = &s->req;
	size_t room;
	ssize_t n;

	if (f->in == NULL && (f->in = l7_buf_get(&s->l7->bufs)) == NULL)
		return -1;
	l7_buf_compact(f->in);		/* after a PROXY header */
	/* The parser answers before TLS_HELLO_MAX bytes are held (a record
	 * that would end past it is refused): more is never needed. */
	if (f->in->end >= TLS_HELLO_MAX || f->in->end >= s->l7->bufs.size)
		return -1;
	room = s->l7->bufs.size - f->in->end;
	if (room > TLS_HELLO_MAX - f->in->end)
		room = TLS_HELLO_MAX - f->in->end;
	if ((n = l7_side_recv(&s->client, f->in->data + f->in->end, room)) < 0)
		return -1;
	if (n == 0 && s->client.eof)
		return -1;
	f->in->end += (size_t)n;
	return n;
}

void
l7_tls_read(struct l7_sess *s)
{
	struct l7_flow *f = &s->req;
	struct tls_hello h;
	enum tls_hello_rc rc;
	ssize_t n;

	for (;;) {
		if (f->in != NULL && l7_buf_len(f->in) > 0) {
			rc = tls_hello_parse((const uint8_t *)f->in->data + f->in->start,
			    l7_buf_len(f->in), &h);
			if (rc == TLS_HELLO_FOUND || rc == TLS_HELLO_NO_SNI) {
				hello_routed(s, &h, rc);
				return;
			}
			if (rc != TLS_HELLO_NEED_MORE) {
				hello_refused(s, rc);
				return;
			}
		}
		if (!s->client.rd && !s->client.eof)
			return;
		if ((n = hello_recv(s)) < 0) {
			l7_sess_close(s);
			return;
		}
		if (n == 0)
			return;
	}
}
