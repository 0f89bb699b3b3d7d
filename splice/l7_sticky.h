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

#include <stdint.h>

#include "lib/addr.h"

#define L7_STICKY_SLOTS		16384	/* per virtual server: 512 KiB */
#define L7_STICKY_PROBE		8

struct l7_sticky_entry {
	struct kl_addr	 addr;		/* family 0: free */
	uint32_t	 rs;		/* conf_real_server index */
	int64_t		 last_ms;	/* last use */
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
/* a's client is now on server rs. */
void	l7_sticky_put(struct l7_sticky *t, const struct kl_addr *a, uint32_t rs, int64_t now);
/* Entries not expired at now (SIGUSR1 dump, tests). */
unsigned l7_sticky_count(const struct l7_sticky *t, int64_t now);

#endif
