/* Requests waiting for a server: when every live server of a request's
 * pool is at its maxconn (real_server maxconn: requests in flight for
 * HTTP, connections for NAT), the request joins the pool's queue and is
 * sent on as soon as one of those servers finishes a request; one that
 * waits timeout_queue gets 503 (a NAT connection is closed), and so does
 * one that finds the queue full (L7_QUEUE_MAX).  A client that closes
 * while it waits leaves the queue.
 *
 * One queue per pool of a virtual server, first come first served: while
 * requests wait, a new request for the pool goes behind them even if a
 * slot is free at that moment (the slot is the head's).  Only the head is
 * offered slots: a freed slot, or a health change, wakes it (on the next
 * pass of the loop), and each head that leaves wakes the next.  (A head
 * that is a retry excludes the servers it tried: a slot freed on one of
 * them waits for it to find another, or for its timeout; those behind it
 * wait too, so that the order holds.)  The waiting requests are counted
 * in shared state (shm_vs queued, and queue_timeouts).  See
 * splice/queue.h for the FIFO itself.
 */
#ifndef KL7_L7_QUEUE_H
#define KL7_L7_QUEUE_H

#include <stdbool.h>

#include "splice/l7.h"

/* Waiting requests per pool: each holds a client connection and its
 * request's buffers, about 2 x 20 KiB. */
#define L7_QUEUE_MAX		1024

/* A queue for each pool of vs (vs->pools made); -1 if out of memory. */
int	l7_queue_init(struct l7_vs *vs);
void	l7_queue_free(struct l7_vs *vs);
/* s (its pool chosen, no server) waits in its pool's queue: state
 * L7_S_QUEUED; or gets 503 when the queue is full. */
void	l7_queue_wait(struct l7_sess *s);
/* s leaves its queue, if it is in one (it got a server, gave up, or
 * closed); the next waiting request is offered the slot. */
void	l7_queue_leave(struct l7_sess *s);
/* Others wait for s's pool and s is not one of them: s goes behind. */
bool	l7_queue_ahead(const struct l7_sess *s);
/* A request to rs ended: the head of rs's pool's queue may take its slot. */
void	l7_queue_slot_freed(struct l7_vs *vs, const struct conf_real_server *rs);
/* Servers' health changed: every head looks again. */
void	l7_queue_wake_all(struct l7 *l7);
/* State L7_S_QUEUED, after an event or a wake-up: a client that went
 * away leaves; the head tries for a server. */
void	l7_queue_run(struct l7_sess *s);

#endif
