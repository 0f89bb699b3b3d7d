/* Cookie persistence (persistence cookie NAME insert|rewrite|prefix,
 * HAProxy's `cookie`): which server a request's cookie names, and how the
 * heads change on the way (l7_head.c does the writing).
 *
 * A server's value is its `cookie`, else "s" and eight hex digits of a
 * hash of its address and port (see l7_cookie.c).  In the client's cookie:
 *   insert   NAME=VALUE, set by the proxy; with maxidle or maxlife
 *            NAME=VALUE|FIRST|LAST, the times (hex seconds of the wall
 *            clock) it was first set and last refreshed: a cookie past
 *            maxidle or maxlife names no server;
 *   rewrite  NAME=VALUE: the application's cookie, its value replaced;
 *   prefix   NAME=VALUE~APPVALUE: the application's value behind ours.
 * Cookie fields are RFC 6265 4.2.1 lists ("a=b; c=d").
 */
#ifndef KL7_L7_COOKIE_H
#define KL7_L7_COOKIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/conf.h"
#include "lib/http1.h"

#define L7_COOKIE_ID_MAX	64	/* a server's value, NUL included */
#define L7_COOKIE_VALUE_MAX	(L7_COOKIE_ID_MAX + 34)	/* with |FIRST|LAST */

struct l7_cookie_id {
	uint32_t	 rs;		/* conf_real_server index */
	char		 id[L7_COOKIE_ID_MAX];
};

/* The values of a virtual server's servers. */
struct l7_cookie_ids {
	struct l7_cookie_id	*v;
	unsigned		 n;
};

int	l7_cookie_ids_init(struct l7_cookie_ids *ids, const struct conf_virtual_server *vs);
void	l7_cookie_ids_free(struct l7_cookie_ids *ids);
/* The value of server rs (index), or "" if it is not there. */
const char *l7_cookie_id_of(const struct l7_cookie_ids *ids, uint32_t rs);

/* The value of cookie name in the request's Cookie fields; false if none. */
bool	l7_cookie_find(const struct http1_hdr *hdrs, size_t n, const char *name,
	    const char **v, size_t *vlen);

/* What a request's cookie value v says, per the mode: the server (rs
 * index, -1: none or a stale one) and, for insert with maxidle/maxlife,
 * when it was first set (*first_s; now_s if not known). */
int64_t	l7_cookie_server(const struct l7_cookie_ids *ids, const struct conf_cookie *ck,
	    const char *v, size_t vlen, int64_t now_s, int64_t *first_s);

/* The value the proxy sets for server id in insert mode at out. */
void	l7_cookie_value(const struct conf_cookie *ck, const char *id, int64_t first_s,
	    int64_t now_s, char *out, size_t len);

#endif
