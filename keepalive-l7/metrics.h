/* The Prometheus endpoint (global_defs metrics_listen): a small HTTP/1.x
 * server on the parent's event loop.  It answers GET /metrics (the text
 * exposition) and GET / (a pointer to it), one request per connection,
 * then closes.  Requests are parsed by lib/http1.h; anything else gets
 * 400, 404, 405, 414, 431 or 505.
 *
 * Nothing a client does can hold up the parent: the sockets are
 * non-blocking, at most METRICS_MAX_CLIENTS are served at once (more are
 * closed at accept), the request head is bounded, and every connection
 * is closed METRICS_TIMEOUT_MS after its accept, answered or not.
 */
#ifndef KL7_METRICS_H
#define KL7_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/addr.h"
#include "lib/ev.h"
#include "lib/starve.h"

#define METRICS_MAX_CLIENTS	16
#define METRICS_HEAD_MAX	4096	/* request head; larger: 431 */
#define METRICS_LINE_MAX	1024	/* request line; longer: 414 */
#define METRICS_MAX_HEADERS	32	/* more: 431 */
#define METRICS_TIMEOUT_MS	5000	/* a whole exchange, from accept */
#define METRICS_DISCARD_MAX	65536	/* read and dropped after the answer */
#define METRICS_ACCEPT_RETRY_MS	100	/* out of fds: accept(2) again after */

/* Write the page for GET /metrics to out; 0, or -1 on failure (500). */
typedef int metrics_render_fn(void *arg, FILE *out);

struct metrics;

struct metrics_client {
	struct metrics	*m;
	int		 fd;		/* -1: free slot */
	bool		 answered;	/* the answer is out or going: input is dropped */
	size_t		 in_len;
	size_t		 dropped;	/* bytes read after the answer */
	char		*out;		/* the whole answer */
	size_t		 out_len;
	size_t		 out_off;	/* sent so far */
	struct ev_timer	 timer;
	char		 in[METRICS_HEAD_MAX];
};

struct metrics {
	struct ev_loop		*loop;		/* NULL until metrics_start() */
	int			 fd;		/* listening socket; -1: off */
	struct kl_addr		 addr;
	uint16_t		 port;
	metrics_render_fn	*render;
	void			*arg;
	struct metrics_client	 clients[METRICS_MAX_CLIENTS];
	struct ev_fd_pause	 pause;		/* accept(2) out of fds */
	struct starve		 starve;	/* out of fds: logged once a spell */
};

/* The listening socket on addr:port, or none (m->fd -1) if addr is unset;
 * 0, or -1 with errno.  Call before forking children and daemon(3) so an
 * error reaches the console. */
int	metrics_open(struct metrics *m, const struct kl_addr *addr, uint16_t port);
/* Serve on loop; render writes the /metrics page. */
int	metrics_start(struct metrics *m, struct ev_loop *loop, metrics_render_fn *render,
	    void *arg);
/* Reload: move to addr:port (none if unset) unless already there.  On
 * failure (-1, errno set) the old socket keeps serving. */
int	metrics_move(struct metrics *m, const struct kl_addr *addr, uint16_t port);
/* Close the listener and every client. */
void	metrics_close(struct metrics *m);
/* In a freshly forked child: close the parent's sockets, leave its loop
 * alone. */
void	metrics_close_in_child(struct metrics *m);

#endif
