/* The PROXY protocol on a session (lib/proxy_proto.h): the header a
 * client sends first on a virtual server with accept_proxy, and the one
 * that starts each server connection of a virtual server with send_proxy.
 * See l7.h. */
#include "config.h"

#include "lib/log.h"
#include "lib/proxy_proto.h"
#include "splice/l7.h"

/* The header is all a client may send first: anything else, or a bad
 * header, ends the connection without an answer (the client does not
 * speak our protocol yet).  Bytes after it stay in req.in for HTTP or the
 * tunnel. */
void
l7_proxy_read(struct l7_sess *s)
{
	struct l7_flow *f = &s->req;
	struct proxy_hdr h;
	ssize_t n;

	for (;;) {
		if (f->in != NULL && l7_buf_len(f->in) > 0 &&
		    (n = proxy_decode(f->in->data + f->in->start, l7_buf_len(f->in), &h)) != 0) {
			if (n < 0) {
				log_debug("virtual server %u: not a valid PROXY header",
				    s->vs->conf->index);
				atomic_fetch_add(&s->vs->shm->errors, 1);
				l7_sess_close(s);
				return;
			}
			f->in->start += (size_t)n;
			if (h.has_addrs) {
				s->src = h.src;
				s->src_port = h.src_port;
				s->dst = h.dst;
				s->dst_port = h.dst_port;
			}
			l7_sess_start(s);
			return;
		}
		if (s->client.eof) {
			l7_sess_close(s);
			return;
		}
		if (!s->client.rd)
			return;
		if (f->in == NULL && (f->in = l7_buf_get(&s->l7->bufs)) == NULL) {
			l7_sess_close(s);
			return;
		}
		/* A header is far shorter than a buffer: proxy_decode() has
		 * refused it before the buffer fills. */
		n = l7_side_recv(&s->client, f->in->data + f->in->end,
		    s->l7->bufs.size - f->in->end);
		if (n < 0) {
			l7_sess_close(s);
			return;
		}
		f->in->end += (size_t)n;
	}
}

ssize_t
l7_proxy_header(const struct l7_sess *s, char *out, size_t size)
{
	return proxy_encode(out, size, (enum proxy_version)s->vs->conf->send_proxy, &s->src,
	    s->src_port, &s->dst, s->dst_port);
}

int
l7_proxy_tunnel_start(struct l7_sess *s)
{
	struct l7_buf *b;
	ssize_t n;

	if (s->vs->conf->send_proxy == 0)
		return 0;
	if ((b = l7_buf_get(&s->l7->bufs)) == NULL)
		return -1;
	if ((n = l7_proxy_header(s, b->data, s->l7->bufs.size)) < 0) {
		l7_buf_put(&s->l7->bufs, b);
		return -1;
	}
	b->end = (size_t)n;
	s->req.out = b;
	return 0;
}
