/* The request router of the l7 child: which pool of a virtual server a
 * parsed request goes to (http_route rules, keepalive-l7.conf(5)
 * HTTP_ROUTE) or a TLS connection goes to (tls_route), and which bytes
 * of a request the scheduler hashes (hash_key).
 *
 * Pure functions over the read-only model and a request whose fields
 * point into the client's buffer: no allocation, no logging, no state.
 * Regular expressions are matched on a bounded copy on the stack, since
 * regexec(3) wants NUL-terminated text; text longer than
 * ROUTE_REGEX_TEXT_MAX never matches.
 */
#ifndef KL7_ROUTE_H
#define KL7_ROUTE_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/addr.h"
#include "lib/conf.h"
#include "lib/http1.h"

/* The longest path or header value a regular expression is tried on. */
#define ROUTE_REGEX_TEXT_MAX	8192

struct route_req {			/* a parsed request, pointers into the client's buffer */
	unsigned		 method_bit;	/* 1u << enum conf_method, 0 for other methods */
	const char		*host;		/* Host without port, as received */
	size_t			 host_len;
	const char		*path;		/* origin-form path, without the query */
	size_t			 path_len;
	const struct http1_hdr	*hdrs;
	size_t			 n_hdrs;
	const struct kl_addr	*src;		/* client address; NULL: unknown */
};

/* The pool of this request: that of the first route of vs, in file order,
 * whose conditions all hold (within one condition, any listed value may
 * match), else vs->default_pool.  Never NULL.
 *
 * host: exact, case-insensitive; "*.example.com" matches any name that
 * ends in ".example.com", not "example.com" itself.  A request without a
 * Host fails every host condition, one whose method is not in the list
 * fails every method condition, an unknown source every source condition.
 * path_prefix: byte-wise, case-sensitive.  path_regex and header: POSIX
 * extended, searched anywhere unless anchored.  cookie: see
 * route_cookie(). */
const char	*route_pick_pool(const struct conf_virtual_server *vs,
		    const struct route_req *r);
/* The route route_pick_pool() takes the pool of; NULL: the default pool. */
const struct conf_http_route *route_pick(const struct conf_virtual_server *vs,
		    const struct route_req *r);

/* The pool of a TLS connection to vs (lb_kind NAT) whose ClientHello
 * named sni[0..len) (lib/tls_hello.h: lower case, no trailing dot): that
 * of the first tls_route, in file order, with a matching sni pattern (as
 * host above), else vs->default_pool.  sni NULL: no server_name, the
 * default pool.  Never NULL. */
const char	*route_pick_tls_pool(const struct conf_virtual_server *vs, const char *sni,
		    size_t len);

/* The bytes the scheduler of vs hashes for this request, and their
 * length in *len: with lb_algo sh the client address, with lb_algo hash
 * what hash_key names (the path, the value of the first header of that
 * name, the value of the cookie, or the client address).  Other
 * schedulers hash nothing.  Returns NULL with *len 0 when there is no key
 * (an absent or empty header or cookie, no path, no source): the
 * scheduler then falls back to round robin.  Addresses are hashed as
 * their 4 or 16 bytes, an IPv4-mapped IPv6 address as its IPv4 bytes. */
const void	*route_hash_key(const struct conf_virtual_server *vs,
		    const struct route_req *r, size_t *len);

/* The value of the first header named name (case-insensitive), in *len;
 * NULL if there is none. */
const char	*route_header(const struct route_req *r, const char *name, size_t *len);

/* The value of the first cookie named name (case-sensitive, exact) in the
 * request's Cookie headers, in order, each a list of "name=value" pairs
 * separated by ';' (spaces and tabs around names and values ignored; a
 * pair without '=' ignored).  A value in double quotes is returned
 * without them.  NULL if the request has no such cookie; an empty value
 * is "" with *len 0. */
const char	*route_cookie(const struct route_req *r, const char *name, size_t *len);

/* Host matching as route_pick_pool() does it: pattern is an exact name or
 * "*.suffix". */
bool		 route_host_match(const char *pattern, const char *host, size_t host_len);

#endif
