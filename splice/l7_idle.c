/* Idle server connections, shared by all the sessions of the l7 child.
 *
 * A response that leaves its server connection reusable parks the
 * connection here, by server; the next request for that server, from any
 * client, takes the most recently parked one instead of connecting.  So
 * a client that sends Connection: close does not cost the server an
 * accept and a close, and an idle keep-alive client holds no server
 * connection.  A parked connection that becomes readable (the server
 * closed it, or sent bytes nobody asked for) is closed at once; one idle
 * for L7_IDLE_TIMEOUT_MS is closed too, before most servers' own
 * keep-alive timeouts (Apache's default is 5 s) race with a new request.
 * The race that remains is covered by l7_server_replay().
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "splice/l7.h"

#define L7_IDLE_TIMEOUT_MS	2000
#define L7_IDLE_PURGE_MS	500	/* how often the old ones are looked for */
#define L7_IDLE_PER_SERVER	1024

static void
unlink_conn(struct l7_idle_pool *p, struct l7_idle *c)
{
	struct l7_idle_list *l = &p->by_rs[c->rs];

	if (c->newer != NULL)
		c->newer->older = c->older;
	else
		l->newest = c->older;
	if (c->older != NULL)
		c->older->newer = c->newer;
	else
		l->oldest = c->newer;
	l->count--;
	p->total--;
}

static void
drop(struct l7 *l7, struct l7_idle *c)
{
	unlink_conn(&l7->idle, c);
	ev_fd_close(l7->loop, c->fd);
	free(c);
}

/* A close, a reset, or bytes that belong to no request end an idle
 * connection.  An edge can also be stale: raised for the last bytes of
 * the response, which were read before the event was taken from epoll. */
static void
on_idle(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct l7_idle *c = arg;
	char byte;

	if (!(events & (EV_READ | EV_ERROR | EV_RDHUP)))
		return;
	if (!(events & (EV_ERROR | EV_RDHUP)) &&
	    recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) == -1 &&
	    (errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	drop(c->l7, c);
}

static void
on_purge(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct l7 *l7 = arg;
	struct l7_idle_pool *p = &l7->idle;
	int64_t old = ev_now(loop) - L7_IDLE_TIMEOUT_MS;
	unsigned i;

	for (i = 0; i < p->n_rs; i++)
		while (p->by_rs[i].oldest != NULL && p->by_rs[i].oldest->since <= old)
			drop(l7, p->by_rs[i].oldest);
	if (p->total > 0)
		ev_timer_start(loop, t, L7_IDLE_PURGE_MS);
}

int
l7_idle_init(struct l7 *l7, unsigned n_rs)
{
	struct l7_idle_pool *p = &l7->idle;

	p->n_rs = n_rs;
	p->total = 0;
	if ((p->by_rs = calloc(n_rs + 1, sizeof(*p->by_rs))) == NULL)
		return -1;
	ev_timer_init(&p->purge, on_purge, l7);
	return 0;
}

void
l7_idle_flush(struct l7 *l7, unsigned rs)
{
	struct l7_idle_pool *p = &l7->idle;

	if (rs < p->n_rs)
		while (p->by_rs[rs].newest != NULL)
			drop(l7, p->by_rs[rs].newest);
}

void
l7_idle_close_all(struct l7 *l7)
{
	struct l7_idle_pool *p = &l7->idle;
	unsigned i;

	if (p->by_rs == NULL)
		return;
	for (i = 0; i < p->n_rs; i++)
		l7_idle_flush(l7, i);
	ev_timer_stop(l7->loop, &p->purge);
}

void
l7_idle_free(struct l7 *l7)
{
	l7_idle_close_all(l7);
	free(l7->idle.by_rs);
	l7->idle.by_rs = NULL;
	l7->idle.n_rs = 0;
}

bool
l7_idle_park(struct l7 *l7, unsigned rs, int fd)
{
	struct l7_idle_pool *p = &l7->idle;
	struct l7_idle_list *l;
	struct l7_idle *c;

	if (l7->leaving || rs >= p->n_rs || p->by_rs[rs].count >= L7_IDLE_PER_SERVER ||
	    (c = malloc(sizeof(*c))) == NULL)
		return false;
	*c = (struct l7_idle){ .l7 = l7, .fd = fd, .rs = rs, .since = ev_now(l7->loop) };
	if (ev_fd_set_handler(l7->loop, fd, on_idle, c) == -1) {
		free(c);
		return false;
	}
	l = &p->by_rs[rs];
	if ((c->older = l->newest) != NULL)
		c->older->newer = c;
	else
		l->oldest = c;
	l->newest = c;
	l->count++;
	p->total++;
	if (!ev_timer_pending(&p->purge))
		ev_timer_start(l7->loop, &p->purge, L7_IDLE_PURGE_MS);
	return true;
}

int
l7_idle_take(struct l7 *l7, unsigned rs)
{
	struct l7_idle_pool *p = &l7->idle;
	struct l7_idle *c;
	int fd;

	if (rs >= p->n_rs || (c = p->by_rs[rs].newest) == NULL)
		return -1;
	fd = c->fd;
	unlink_conn(p, c);
	free(c);
	return fd;		/* the caller sets its own handler before the next event */
}
