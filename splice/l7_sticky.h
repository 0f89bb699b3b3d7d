/* Source persistence (persistence_timeout, keepalived's meaning): a client
 * address goes back to the real server it last used, while that server
 * stays eligible, until it has been idle for the timeout.
 *
 * One table per virtual server, open addressing over a fixed number of
 * slots: no allocation per request and bounded memory.  A lookup probes
 * L7_STICKY_PROBE slots from the address's hash; an insert takes the
 * first free or expired one among them, else the least recently used (so
 * a full table forgets its coldest clients, never grows).  The l7 child
 * is one thread: a table is not for concurrent use.
 */
#ifndef KL7_L7_STICKY_H
#define KL7_L7_STICKY_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"

#define L7_STICKY_SLOTS		16384	/* per virtual server: 768 KiB */
#define L7_STICKY_PROBE		8

struct l7_sticky_entry {
	struct kl_addr	 addr;		/* family 0: free */
	uint32_t	 rs;		/* conf_real_server index */
	int64_t		 last_ms;	/* last use */
	/* sticky_sync (l7_sync.c): when the peer node's copy expires, as
	 * last sent or received; 0 once the entry changed since. */
	int64_t		 peer_until;
};

struct l7_sticky {
	struct l7_sticky_entry	*slot;
	uint32_t		 timeout_ms;
};

/* A table with timeout_ms of idle life per entry; -1 if out of memory. */
int	l7_sticky_init(struct l7_sticky *t, uint32_t timeout_ms);
void	l7_sticky_free(struct l7_sticky *t);
/* The server a's client used last, if within the timeout (the entry is
 * refreshed); -1 if none. */
int64_t	l7_sticky_get(struct l7_sticky *t, const struct kl_addr *a, int64_t now);
/* a's client is now on server rs; true if that is news for the peer node
 * (a new client, or another server). */
bool	l7_sticky_put(struct l7_sticky *t, const struct kl_addr *a, uint32_t rs, int64_t now);
/* For sticky_sync (l7_sync.c). */
bool	l7_sticky_fresh(const struct l7_sticky *t, const struct l7_sticky_entry *e, int64_t now);
/* e must go to the peer: new, moved to another server, or refreshed here
 * while the peer's copy nears its end. */
bool	l7_sticky_due(const struct l7_sticky *t, const struct l7_sticky_entry *e, int64_t now);
/* The peer's entry: a's client is on server rs for remaining_ms more
 * (at most the timeout).  Kept only if the table knows no later end for
 * a; false if it was not. */
bool	l7_sticky_merge(struct l7_sticky *t, const struct kl_addr *a, uint32_t rs,
	    uint32_t remaining_ms, int64_t now);
/* Entries not expired at now (SIGUSR1 dump, tests). */
unsigned l7_sticky_count(const struct l7_sticky *t, int64_t now);

#endif
