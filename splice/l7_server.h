/* The server side of a session: choosing a real server (route, then the
 * pool's scheduler; the sorry server without quorum or without a live
 * server), connecting without blocking, retrying a failed connect on
 * another server while no byte of the request has left, parking a
 * reusable connection for the next request to its server (l7_idle.c) and
 * sending a request again when a parked one turns out closed, and the
 * per-server counters and passive-failure reports in shared state. */
#ifndef KL7_L7_SERVER_H
#define KL7_L7_SERVER_H

#include <stdbool.h>

#include "lib/shm.h"
#include "splice/l7.h"
#include "splice/route.h"

/* A server of pool (NULL: the virtual server's default_pool; tls_route
 * and http_route give theirs) for the request (rr: NULL for a NAT
 * session) and a connection to it: the session moves to CONNECT,
 * EXCHANGE (an idle connection) or TUNNEL, waits in QUEUED (the pool's
 * servers are full, l7_queue.h), or answers 503 (no server) / 502 (every
 * connect failed). */
void	l7_server_choose(struct l7_sess *s, const struct route_req *rr, const char *pool);
/* A request waiting in its pool's queue (L7_S_QUEUED) tries again: it
 * moves on as l7_server_choose() would, or stays waiting. */
void	l7_server_dispatch(struct l7_sess *s);
/* In CONNECT, after an event: the connect's outcome. */
void	l7_server_connecting(struct l7_sess *s);
void	l7_server_connect_timeout(struct l7_sess *s);
/* An HTTP request is sent while the connect is still in progress
 * (s->connecting): the first send failed with err, or went through. */
void	l7_server_connect_error(struct l7_sess *s, int err);
void	l7_server_established(struct l7_sess *s);
/* An error on live traffic with the current server (passive health). */
void	l7_server_failed(struct l7_sess *s, enum shm_passive_error e);
/* The response is complete: count it; park the connection if reuse. */
void	l7_server_done(struct l7_sess *s, bool reuse);
/* A 101 passed on: counted as the response; the tunnel's bytes are
 * counted when it closes. */
void	l7_server_upgraded(struct l7_sess *s);
void	l7_server_tunnel_closed(struct l7_sess *s);
/* Leave the server: park its connection if keep and it is still open,
 * else close it. */
void	l7_server_release(struct l7_sess *s, bool keep);
/* The server connection failed before any byte of the answer.  A request
 * kept for this (idempotent, no body: flow keep_sent; RFC 9110 9.2.2) is
 * sent again and true returned: on a new connection if this one came from
 * the idle pool (the server had closed it while idle, RFC 9112 9.3.1),
 * else, within retries, to a server not tried yet.  False: it cannot be. */
bool	l7_server_replay(struct l7_sess *s);

#endif
