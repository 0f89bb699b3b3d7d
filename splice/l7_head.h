/* Re-serialising message heads for the next hop: never the raw bytes
 * received, but the parsed fields written back canonically (one SP after
 * the colon, CRLF line ends), without the hop-by-hop fields (RFC 9110
 * 7.6.1: Connection, the fields it lists, Keep-Alive, Proxy-Connection,
 * TE, Upgrade -- unless an upgrade is passed on: then Upgrade stays, with
 * "Connection: upgrade") and, for requests, with Expect removed (the proxy answers
 * 100-continue itself) and X-Forwarded-For / X-Forwarded-Proto added on
 * request.  Connection never strips Host, Content-Length or
 * Transfer-Encoding (http1_conn_lists()). */
#ifndef KL7_L7_HEAD_H
#define KL7_L7_HEAD_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/addr.h"
#include "lib/conf.h"
#include "lib/http1.h"

/* What a request's Cookie fields lose of the persistence cookie. */
enum l7_cookie_fix {
	L7_COOKIE_KEEP,
	L7_COOKIE_STRIP,	/* insert indirect: the pair goes */
	L7_COOKIE_UNPREFIX,	/* prefix: "ID~value" becomes "value" */
};

struct l7_head_opts {
	bool			 forwarded_for;
	bool			 upgrade;	/* pass Upgrade on (RFC 9110 7.8) */
	const char		*cookie_name;	/* with cookie_fix */
	enum l7_cookie_fix	 cookie_fix;
	const struct kl_addr	*client;	/* for X-Forwarded-For */
	bool			 strip_authorization;	/* the proxy checked it */
};

/* Write the request head to out[0..size); its length, or -1 if it does
 * not fit. */
ssize_t	l7_head_request(char *out, size_t size, const struct http1_request *r,
	    const struct l7_head_opts *o);
struct l7_resp_opts {
	/* Persistence (splice/l7_cookie.h): the server's Set-Cookie for the
	 * cookie loses it (insert) or gets ck_id in its value (rewrite,
	 * prefix); insert adds ck_insert's; nocache marks a response that
	 * sets it "Cache-Control: private". */
	const struct conf_cookie *ck;
	const char *ck_id;
	const char *ck_insert;
	bool	upgrade;	/* a 101 we pass on: Upgrade stays */
	bool	tunnel;		/* a 2xx to CONNECT: no Content-Length or
				 * Transfer-Encoding (RFC 9110 9.3.6) */
	bool	close;		/* add "Connection: close" */
	bool	keepalive_10;	/* an HTTP/1.0 client asked for keep-alive: say yes */
	bool	dechunk;	/* the body reaches an HTTP/1.0 client de-chunked,
				 * ended by the close: no Transfer-Encoding */
};

/* The response head for the client. */
ssize_t	l7_head_response(char *out, size_t size, const struct http1_response *r,
	    const struct l7_resp_opts *o);
/* A complete error response ("HTTP/1.1 503 Service Unavailable" with a
 * small HTML body and Connection: close). */
ssize_t	l7_head_error(char *out, size_t size, unsigned status);
/* The same with extra header lines (each ending in CRLF; NULL: none),
 * and Connection: close only if close. */
ssize_t	l7_head_local(char *out, size_t size, unsigned status, const char *extra, bool close);
const char *l7_status_text(unsigned status);

#endif
