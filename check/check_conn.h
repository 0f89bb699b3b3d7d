/* A checker's connection to a real server: non-blocking connect, then for
 * SSL_GET a non-blocking TLS handshake, then reads and writes that never
 * block.  The owner registers conn.fd with the event loop, edge-triggered
 * for reading and writing, and calls these from its callback until one
 * says CHECK_CONN_AGAIN: the next edge brings it back.
 */
#ifndef KL7_CHECK_CONN_H
#define KL7_CHECK_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "lib/conf.h"

#define CHECK_CONN_AGAIN	(-2)	/* would block: wait for the next edge */

struct check_conn {
	int		 fd;		/* -1 when closed */
	void		*ssl;		/* SSL *, for SSL_GET */
	bool		 connected;	/* TCP established */
	bool		 secured;	/* TLS handshake done */
};

void	check_conn_init(struct check_conn *cc);
/* Start connecting to the checker's target (connect_ip/port, else the
 * real server's), from bindto/bind_port if set.  0: in progress (wait
 * for EV_WRITE); -1: failed, reason in err. */
int	check_conn_open(struct check_conn *cc, const struct conf_checker *ck,
	    const struct conf_real_server *rs, char *err, size_t errlen);
/* After EV_WRITE: 0 connected; -1 refused or unreachable (reason in err). */
int	check_conn_established(struct check_conn *cc, char *err, size_t errlen);
/* Start TLS on a connected socket; sni may be NULL. */
int	check_conn_tls_begin(struct check_conn *cc, void *ssl_ctx, const char *sni,
	    char *err, size_t errlen);
/* 0 done; CHECK_CONN_AGAIN; -1 failed (reason in err). */
int	check_conn_tls_handshake(struct check_conn *cc, char *err, size_t errlen);
/* Bytes moved, 0 at end of stream (read), CHECK_CONN_AGAIN, or -1. */
ssize_t	check_conn_read(struct check_conn *cc, void *buf, size_t len, char *err,
	    size_t errlen);
ssize_t	check_conn_write(struct check_conn *cc, const void *buf, size_t len, char *err,
	    size_t errlen);
struct ev_loop;
/* Close, forgetting the fd in loop (where it may be registered). */
void	check_conn_close(struct check_conn *cc, struct ev_loop *loop);

/* The client TLS context checkers share: no certificate verification, as
 * keepalived's SSL_GET (the check is about the service, not its identity). */
void	*check_tls_ctx_new(void);
void	 check_tls_ctx_free(void *ctx);

#endif
