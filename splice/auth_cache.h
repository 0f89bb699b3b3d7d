/* A bounded cache of password verifications, for the l7 child
 * (l7_auth.c): a crypt(3) verification of a yescrypt hash costs
 * 10-20 ms of the single event loop, so a keep-alive client sending the
 * same credentials with every request pays it once per ttl.
 *
 * Keyed by a 32-byte digest the caller makes (of the user, the password
 * and the stored hash); the cache never sees a password.  Fixed size,
 * chosen at init: AUTH_CACHE_WAYS entries per set, a set picked by the
 * key's first bytes, and in a full set the entry that expires first
 * makes room.  Lookups and inserts are O(AUTH_CACHE_WAYS).  Times are the
 * caller's milliseconds (the loop's clock).
 */
#ifndef KL7_AUTH_CACHE_H
#define KL7_AUTH_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#define AUTH_CACHE_KEY_LEN	32	/* SHA-256 */
#define AUTH_CACHE_WAYS		4

struct auth_cache_entry {
	uint8_t		 key[AUTH_CACHE_KEY_LEN];
	int64_t		 expires_ms;	/* 0: free */
};

struct auth_cache {
	struct auth_cache_entry	*e;
	unsigned		 n_sets;
	uint32_t		 ttl_ms;
};

/* Room for at least `entries` (rounded up to a power of two of sets),
 * each kept ttl_ms; -1 if out of memory. */
int	auth_cache_init(struct auth_cache *c, unsigned entries, uint32_t ttl_ms);
void	auth_cache_free(struct auth_cache *c);
/* Whether key was put less than ttl_ms before now_ms. */
bool	auth_cache_has(const struct auth_cache *c, const uint8_t *key, int64_t now_ms);
/* Remember key until now_ms + ttl_ms (again, if it is there). */
void	auth_cache_put(struct auth_cache *c, const uint8_t *key, int64_t now_ms);

#endif
