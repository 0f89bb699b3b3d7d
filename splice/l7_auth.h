/* Basic authentication in the l7 child: is a request to an http_route
 * with auth_users allowed (keepalive-l7.conf(5) HTTP_ROUTE)?
 *
 * A crypt(3) verification runs on the event loop and a yescrypt one
 * costs 10-20 ms, during which no other connection moves.  So:
 *  - a verified user, password and hash are remembered (a positive
 *    cache, L7_AUTH_OK_TTL_MS): a keep-alive client, or many connections
 *    with the same credentials, pay one verification;
 *  - refused ones too, in a smaller negative cache (L7_AUTH_BAD_TTL_MS):
 *    a client retrying stale credentials pays once;
 *  - what is not cached draws on a time budget: the child spends at most
 *    L7_AUTH_BUDGET_MS of each second in crypt(3) (refilled continuously,
 *    measured per verification).  Once it is spent, uncached requests get
 *    503 with Retry-After instead of a verification, until it refills:
 *    a flood of guesses slows itself and the logins of the moment, never
 *    the traffic that is already authenticated or other routes.
 * The two caches are apart so that a flood of wrong passwords cannot
 * evict the clients that are in.  Cache keys are SHA-256 digests of a
 * per-child random secret with the credentials and the stored hash: no
 * password is kept, a digest found in memory cannot be brute-forced
 * without the secret, and a hash changed by a reload matches no entry.
 * An unknown user costs a verification too (against the route's first
 * hash), so response times do not tell which user names exist.
 */
#ifndef KL7_L7_AUTH_H
#define KL7_L7_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "lib/conf.h"
#include "lib/http1.h"
#include "splice/auth_cache.h"

#define L7_AUTH_OK_ENTRIES	4096
#define L7_AUTH_OK_TTL_MS	(5 * 60 * 1000)
#define L7_AUTH_BAD_ENTRIES	256
#define L7_AUTH_BAD_TTL_MS	(30 * 1000)
#define L7_AUTH_BUDGET_MS	250	/* of crypt(3) per second of the loop */
#define L7_AUTH_SECRET_LEN	32

enum l7_auth_verdict {
	L7_AUTH_OK,
	L7_AUTH_DENIED,		/* 401 */
	L7_AUTH_BUSY,		/* 503: no verification budget left */
};

struct crypt_data;

struct l7_auth {
	struct crypt_data	*crypt;		/* NULL: no route authenticates */
	EVP_MD_CTX		*md;
	struct auth_cache	 ok;
	struct auth_cache	 bad;
	uint8_t			 secret[L7_AUTH_SECRET_LEN];
	int64_t			 budget_us;	/* crypt(3) time left */
	int64_t			 refilled_ms;	/* loop time of the last refill */
	uint64_t		 verifications;	/* crypt(3) calls made */
};

/* Ready for c's routes (nothing is allocated if none has auth_users);
 * -1 if out of memory or without randomness. */
int	l7_auth_init(struct l7_auth *a, const struct conf *c);
void	l7_auth_free(struct l7_auth *a);

/* The verdict on a request with these header fields to route rt (which
 * has auth_users) at loop time now_ms.  Exactly one Authorization field
 * with Basic credentials (splice/auth_basic.h) of a listed user is
 * needed; none, two, or unreadable ones are DENIED without a
 * verification. */
enum l7_auth_verdict l7_auth_check(struct l7_auth *a, const struct conf_http_route *rt,
	    const struct http1_hdr *hdrs, size_t n_hdrs, int64_t now_ms);

#endif
