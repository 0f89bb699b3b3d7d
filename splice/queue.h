/* A bounded FIFO of requests waiting for a server (the queue of a pool
 * whose servers are all at their maxconn, keepalive-l7.conf(5)
 * timeout_queue).
 *
 * Intrusive: the entry lives in the waiting session, so waiting costs no
 * allocation and any entry leaves in O(1) (a client that closes while it
 * waits).  Entries are kept in arrival order; as every entry of a queue
 * waits under the same timeout, the oldest is always the first to expire,
 * and expiry only ever looks at the head.  Pure: no clock, no event loop
 * (the caller passes the time), so the order, bound, removal and expiry
 * are unit-tested as they run.  One thread: not for concurrent use.
 */
#ifndef KL7_QUEUE_H
#define KL7_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

struct queue_entry {
	struct queue_entry	*prev, *next;	/* prev: older */
	int64_t			 since_ms;	/* when it joined */
	bool			 linked;
};

struct queue {
	struct queue_entry	*oldest;
	struct queue_entry	*newest;
	unsigned		 len;
	unsigned		 max;		/* the bound on len */
};

void	queue_init(struct queue *q, unsigned max);
/* e joins at the tail at now_ms; -1 if the queue is full (e untouched). */
int	queue_push(struct queue *q, struct queue_entry *e, int64_t now_ms);
/* e leaves wherever it is; nothing if it is not in a queue. */
void	queue_remove(struct queue *q, struct queue_entry *e);
/* The oldest entry, still in the queue; NULL if empty. */
struct queue_entry *queue_head(const struct queue *q);
/* The oldest entry if it has waited timeout_ms or longer at now_ms,
 * removed; NULL otherwise.  Call until NULL to expire them all. */
struct queue_entry *queue_pop_expired(struct queue *q, int64_t now_ms, uint32_t timeout_ms);
/* ms from now_ms until the head expires (0 if it has), -1 if empty. */
int64_t	queue_next_expiry(const struct queue *q, int64_t now_ms, uint32_t timeout_ms);

#endif
