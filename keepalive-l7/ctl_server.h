/* The control socket (keepalive-l7ctl(8), doc/control-protocol.md): a unix
 * stream socket, mode 0600, on the parent's event loop.
 *
 * Each connection carries requests, one JSON object per line, and gets
 * one JSON reply per line, in order; a client sends its next request when
 * it has read the reply (the server reads nothing more until the reply is
 * out).  Everything is non-blocking and bounded: a request of up to
 * CTL_REQ_MAX bytes, one reply buffered per client, CTL_MAX_CLIENTS
 * clients, and a client that makes no progress for CTL_IDLE_MS is
 * dropped, so a slow or stuck client costs memory and an fd, never time.
 */
#ifndef KL7_CTL_SERVER_H
#define KL7_CTL_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/un.h>

#include "lib/ev.h"
#include "lib/starve.h"
#include "keepalive-l7/ctl_req.h"

#define CTL_MAX_CLIENTS	64
#define CTL_IDLE_MS	10000
#define CTL_ACCEPT_RETRY_MS	100	/* out of fds: accept(2) again after */

struct supervisor;
struct ctl_server;

struct ctl_client {
	struct ctl_server	*srv;
	int			 fd;		/* -1: slot free */
	char			 in[CTL_REQ_MAX];
	size_t			 in_len;
	char			*out;		/* the reply being sent, or NULL */
	size_t			 out_len;
	size_t			 out_off;
	bool			 closing;	/* close once out is sent */
	struct ev_timer		 idle;
};

struct ctl_server {
	struct supervisor	*sup;
	struct ev_loop		*loop;
	int			 fd;		/* listening; -1 if none */
	char			 path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	dev_t			 dev;		/* of the socket file we made, to */
	ino_t			 ino;		/* remove only ours at exit */
	struct ctl_client	 clients[CTL_MAX_CLIENTS];
	struct ev_fd_pause	 pause;		/* accept(2) out of fds */
	struct starve		 starve;	/* out of fds: logged once a spell */
};

/* Make the socket at path (its directory too), replacing a stale one.
 * -1 with errno set; EADDRINUSE: a running daemon answers there. */
int	ctl_server_bind(struct ctl_server *srv, struct supervisor *sup, const char *path);
/* Serve on loop. */
int	ctl_server_start(struct ctl_server *srv, struct ev_loop *loop);
/* Close everything and remove the socket file (if still ours). */
void	ctl_server_close(struct ctl_server *srv);
/* In a new child: close the parent's fds, touch nothing else. */
void	ctl_server_close_in_child(struct ctl_server *srv);

#endif
