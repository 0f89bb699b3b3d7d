/* The l7 child's forwarding engine.
 *
 * One edge-triggered epoll loop.  A session is one client connection and
 * at most one server connection at a time.  Bytes move in two flows,
 * client -> server (requests) and server -> client (responses); each flow
 * frames its messages (lib/http1.c), writes re-serialised heads from its
 * `out` buffer and moves bodies either through its `in` buffer (small or
 * chunked bodies) or, for long bodies of known length and for tunnels,
 * through a pipe with splice(2), never through user space.  A lb_kind NAT
 * virtual server is a session whose two flows are tunnels from the start.
 *
 * Readiness is remembered per socket (edge-triggered: set by an event,
 * cleared by EAGAIN) and sess_run() makes all the progress it can, within
 * a budget per wake-up so one busy client cannot starve the others; a
 * session that still has work left is run again on the next pass.
 *
 * Buffers and pipes come from pools; an idle keep-alive client holds
 * neither, nor a server connection: between requests those wait in a
 * pool shared by all sessions (l7_idle.c).  Everything here is owned by
 * the single l7 child process.
 */
#ifndef KL7_L7_H
#define KL7_L7_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/conf.h"
#include "lib/ev.h"
#include "lib/http1.h"
#include "lib/proc.h"
#include "lib/shm.h"
#include "lib/starve.h"
#include "splice/l7_auth.h"
#include "splice/l7_cookie.h"
#include "splice/l7_sticky.h"
#include "splice/queue.h"
#include "splice/sched.h"

/* Pools ------------------------------------------------------------------- */

struct l7_buf {
	struct l7_buf	*next_free;
	size_t		 start;		/* unread bytes: data[start..end) */
	size_t		 end;
	char		 data[];
};

struct l7_bufpool {
	size_t		 size;		/* of data[] */
	struct l7_buf	*free;
	unsigned	 n_free;
	unsigned	 low_free;	/* fewest free since the last trim */
	unsigned	 n_out;		/* in use */
};

struct l7_pipe {
	struct l7_pipe	*next_free;
	int		 fd[2];		/* read end, write end */
	size_t		 len;		/* bytes in the pipe */
	size_t		 cap;		/* what it holds */
};

struct l7_pipepool {
	struct l7_pipe	*free;
	unsigned	 n_free;
	unsigned	 low_free;
	unsigned	 n_out;
};

/* Every free object is pooled; each L7_POOL_TRIM_MS the ones no get()
 * needed since the last trim are released, keeping L7_POOL_KEEP_FREE. */
#define L7_POOL_KEEP_FREE	64
#define L7_POOL_TRIM_MS		2000

struct l7_buf	*l7_buf_get(struct l7_bufpool *bp);	/* NULL: out of memory */
void		 l7_buf_put(struct l7_bufpool *bp, struct l7_buf *b);
/* Returns how many were released. */
unsigned	 l7_bufpool_trim(struct l7_bufpool *bp);
void		 l7_bufpool_drain(struct l7_bufpool *bp);
static inline size_t l7_buf_len(const struct l7_buf *b) { return b->end - b->start; }
/* Make room at the end by moving the unread bytes to the front. */
void		 l7_buf_compact(struct l7_buf *b);

struct l7_pipe	*l7_pipe_get(struct l7_pipepool *pp);	/* NULL: no pipe */
/* A pipe that still holds bytes is closed, not pooled. */
void		 l7_pipe_put(struct l7_pipepool *pp, struct l7_pipe *p);
void		 l7_pipepool_trim(struct l7_pipepool *pp);
void		 l7_pipepool_drain(struct l7_pipepool *pp);

/* Idle server connections (l7_idle.c) --------------------------------------- */

struct l7;

struct l7_idle {
	struct l7	*l7;
	int		 fd;
	unsigned	 rs;		/* conf_real_server index */
	int64_t		 since;		/* ms: parked at */
	struct l7_idle	*newer, *older;
};

struct l7_idle_list {
	struct l7_idle	*newest;	/* taken first: the warmest connection */
	struct l7_idle	*oldest;	/* purged first */
	unsigned	 count;
};

struct l7_idle_pool {
	struct l7_idle_list *by_rs;	/* by conf_real_server index */
	unsigned	 n_rs;
	unsigned	 total;
	struct ev_timer	 purge;
};

int	l7_idle_init(struct l7 *l7, unsigned n_rs);
void	l7_idle_close_all(struct l7 *l7);
void	l7_idle_free(struct l7 *l7);		/* closes them all too */
/* Park fd (watched by the loop) for server rs; false: not parked (full,
 * leaving), the caller closes it. */
bool	l7_idle_park(struct l7 *l7, unsigned rs, int fd);
/* The newest idle connection to rs, or -1; the caller sets its handler. */
int	l7_idle_take(struct l7 *l7, unsigned rs);
/* Close rs's idle connections (the server went down). */
void	l7_idle_flush(struct l7 *l7, unsigned rs);

/* Sessions ----------------------------------------------------------------- */

struct l7_vs;
struct l7_sess;
struct l7_pool_queue;

/* One socket of a session and what the kernel last said about it. */
struct l7_side {
	int		 fd;		/* -1: none */
	bool		 rd;		/* may be readable: read until EAGAIN */
	bool		 wr;		/* may be writable */
	bool		 eof;		/* read returned 0 */
	bool		 rdhup;		/* the peer's end is pending (EV_RDHUP) */
	bool		 shut;		/* we shut down writing */
	int64_t		 last_io;	/* ms: an event, or bytes written */
};

enum l7_mode {
	L7_IDLE,		/* between messages */
	L7_HEAD,		/* reading a head */
	L7_LENGTH,		/* a body of `left` bytes */
	L7_CHUNKED,		/* a chunked body, scanned by `ck` */
	L7_CLOSE,		/* until the source closes: response bodies, tunnels */
	L7_DONE,		/* message forwarded */
};

/* One direction of a session. */
struct l7_flow {
	struct l7_side	*src;
	struct l7_side	*dst;
	enum l7_mode	 mode;
	uint64_t	 left;		/* L7_LENGTH */
	struct http1_chunked ck;	/* L7_CHUNKED */
	struct l7_buf	*in;		/* read from src, not yet forwarded */
	size_t		 fwd;		/* bytes at in->start framed and to be written */
	struct l7_buf	*out;		/* a re-serialised head or an error page */
	struct l7_buf	*sent;		/* the head, written but kept (keep_sent) */
	bool		 keep_sent;	/* until the answer starts: it may be resent */
	struct l7_pipe	*pipe;		/* splice(2): src -> pipe -> dst */
	uint64_t	 moved;		/* body bytes written to dst */
	bool		 dechunk;	/* forward chunk data only (HTTP/1.0 client) */
	bool		 bad_framing;	/* the pump failed on the message's framing */
};

enum l7_sess_state {
	L7_S_PROXY,		/* accept_proxy: waiting for the PROXY header */
	L7_S_TLS_HELLO,		/* NAT with tls_route: waiting for the ClientHello */
	L7_S_REQUEST,		/* waiting for a request head */
	L7_S_QUEUED,		/* every server of its pool full: waiting (l7_queue.c) */
	L7_S_CONNECT,		/* connecting to a server */
	L7_S_EXCHANGE,		/* request and response flowing */
	L7_S_TUNNEL,		/* NAT: both flows are L7_CLOSE */
	L7_S_ERROR,		/* sending an error page, then close (or, with
				 * answer_keep, wait for the next request) */
	L7_S_DEAD,		/* closed, freed on the next pass */
};

struct l7_sess {
	struct l7		*l7;
	struct l7_vs		*vs;
	struct l7_sess		*prev, *next;	/* l7->sessions */
	struct l7_sess		*next_run;	/* l7->run_queue */
	bool			 queued;
	enum l7_sess_state	 state;
	struct l7_side		 client;
	struct l7_side		 server;
	struct kl_addr		 src;		/* the client, or its PROXY header's */
	uint16_t		 src_port;
	struct kl_addr		 dst;		/* where it connected to, likewise */
	uint16_t		 dst_port;
	struct l7_flow		 req;
	struct l7_flow		 resp;
	struct ev_timer		 timer;
	int64_t			 last_io;	/* ms: inactivity timeouts */
	unsigned		 requests;	/* answered on this connection */
	unsigned		 req_minor;	/* HTTP/1.minor of the request */
	/* The request being served. */
	struct pool		*pool;
	const struct conf_real_server *rs;	/* NULL with sorry, or none yet */
	bool			 sorry;		/* the virtual server's sorry_server */
	bool			 counted;	/* in l7->active[rs->index] */
	unsigned		 tries;		/* connections attempted */
	struct sched_exclude	 exclude;	/* servers tried */
	struct queue_entry	 qent;		/* in a pool's queue (L7_S_QUEUED) */
	struct l7_pool_queue	*waiting;	/* that queue; NULL: not waiting */
	int64_t			 cookie_rs;	/* the server the request's cookie names; -1 */
	int64_t			 cookie_first;	/* insert, maxlife: when it was first set */
	uint8_t			 key[128];	/* scheduler key (hash, sh) */
	size_t			 key_len;
	bool			 head_request;
	bool			 upgrade;	/* the request's Upgrade is passed on */
	bool			 upgraded;	/* a 101 or a CONNECT's 2xx made the session a tunnel */
	bool			 connect;	/* the request is a CONNECT (allow_connect) */
	bool			 client_close;	/* close after this response */
	bool			 answer_keep;	/* L7_S_ERROR: the connection stays */
	bool			 server_reusable;
	bool			 reused;	/* the server connection served before */
	bool			 no_idle;	/* a new server connection only */
	bool			 connecting;	/* sent to before the connect is known done */
	int64_t			 started_ms;
	unsigned		 status;	/* of the response */
};

/* Per virtual server. */
struct l7_vs {
	const struct conf_virtual_server *conf;
	struct l7		*l7;
	struct shm_vs		*shm;
	int			 lfd;		/* listening socket, -1 once closed */
	struct pool_set		*pools;
	struct l7_sticky	 sticky;	/* persistence_timeout; slot NULL: none */
	struct l7_cookie_ids	 cookies;	/* persistence cookie values */
	struct l7_pool_queue	*queues;	/* one per pool (l7_queue.c) */
	unsigned		 n_queues;
	unsigned		 active;	/* client connections */
	bool			 paused;	/* at maxconn, or out of fds: not accepting */
	struct starve		 starve;	/* accept(2) out of fds: logged once a spell */
	struct http1_limits	 limits;
};

struct l7_sync;

struct l7 {
	struct proc_child	 pc;
	struct ev_loop		*loop;
	const struct conf	*conf;
	struct shm		*shm;
	struct l7_vs		*vss;
	unsigned		 n_vs;
	uint32_t		*active;	/* requests in flight, by rs index */
	struct l7_bufpool	 bufs;
	struct l7_pipepool	 pipes;
	struct l7_idle_pool	 idle;		/* server connections between requests */
	struct l7_auth		 auth;		/* http_route auth_users */
	struct l7_sess		*sessions;
	unsigned		 n_sessions;
	struct l7_sess		*run_queue;	/* sessions with work left */
	struct l7_sess		*dead;		/* closed, to free */
	struct ev_timer		 run_timer;	/* runs the queue, frees the dead */
	struct ev_timer		 pool_trim;	/* every L7_POOL_TRIM_MS */
	bool			 leaving;	/* new requests get Connection: close */
	bool			 accepting;	/* listeners open */
	uint32_t		 drain_ms;
	int64_t			 stop_deadline;
	struct ev_timer		 stop_poll;
	struct ev_timer		 accept_retry;	/* listeners paused for want of fds */
	struct ev_timer		 leave_timer;
	struct l7_sync		*sync;		/* sticky_sync; NULL: none */
};

/* l7_sess.c */
void	l7_sess_accepted(struct l7_vs *vs, int fd, const struct kl_addr *src, uint16_t port);
/* SO_RCVBUF / SO_SNDBUF of a socket (0 leaves the kernel's autotuning);
 * best effort, forced past net.core.[rw]mem_max when privileged. */
void	l7_sock_bufs(int fd, unsigned rcvbuf, unsigned sndbuf);
/* The client is known (at accept, or from its PROXY header): wait for a
 * request, or (NAT) connect. */
void	l7_sess_start(struct l7_sess *s);
/* An event on one of the session's sockets. */
void	l7_sess_event(struct l7_sess *s, struct l7_side *side, unsigned events);
/* Make all the progress possible now (queued again if the budget ran out). */
void	l7_sess_run(struct l7_sess *s);
/* Run s again on the next pass, after the other sessions. */
void	l7_sess_queue(struct l7_sess *s);
/* Close now; s stays readable until the next pass (state L7_S_DEAD). */
void	l7_sess_close(struct l7_sess *s);
/* Answer status with an error page and close. */
void	l7_sess_error(struct l7_sess *s, unsigned status);
/* Send "100 Continue" for a request that expects it. */
void	l7_sess_continue(struct l7_sess *s);
/* Leaving: each session closes after its next response, or when idle
 * past its keep-alive timeout. */
void	l7_sess_quiesce(struct l7_sess *s);
/* The run timer: run queued sessions, free closed ones. */
void	l7_sess_run_queue(struct l7 *l7);

/* l7_proxy.c: state L7_S_PROXY: read the client's PROXY header. */
void	l7_proxy_read(struct l7_sess *s);
/* The send_proxy header for s's client at out[0..size); its length or -1. */
ssize_t	l7_proxy_header(const struct l7_sess *s, char *out, size_t size);
/* A NAT tunnel to a new server connection starts with the header (in
 * req.out) when the virtual server sends one; -1 if out of buffers. */
int	l7_proxy_tunnel_start(struct l7_sess *s);

/* l7_tls.c: whether s's virtual server routes on the TLS server name. */
bool	l7_tls_wanted(const struct l7_sess *s);
/* State L7_S_TLS_HELLO: read the ClientHello, then choose a server by
 * its server name; close on anything else. */
void	l7_tls_read(struct l7_sess *s);

/* l7_child.c: a virtual server below maxconn accepts again. */
void	l7_vs_resume(struct l7_vs *vs);

/* l7_flow.c: read from a side: > 0 bytes; 0 nothing now (rd cleared) or
 * the end (eof set); -1 error. */
ssize_t	l7_side_recv(struct l7_side *side, char *p, size_t len);
/* Move what can be moved; -1 on a socket or framing error
 * (errno or flow->... tells which side), 0 otherwise.  *budget bytes may
 * still be moved in this pass. */
int	l7_flow_pump(struct l7 *l7, struct l7_flow *f, size_t *budget);
/* Set up f's body framing from a parsed head. */
void	l7_flow_body(struct l7_flow *f, enum http1_body body, uint64_t length);
void	l7_flow_release(struct l7 *l7, struct l7_flow *f);
/* The answer has started: the head kept for a resend is not needed. */
void	l7_flow_forget_sent(struct l7 *l7, struct l7_flow *f);
/* Write the kept head again from its first byte; false if there is none. */
bool	l7_flow_rewind(struct l7_flow *f);

#define L7_SPLICE_MIN		(32 * 1024)	/* shorter bodies are copied */
#define L7_BUDGET		(1024 * 1024)	/* bytes per session per pass */

#endif
