/* Per-pool queues of requests waiting for a server; see l7_queue.h. */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>

#include "splice/l7_queue.h"
#include "splice/l7_server.h"

struct l7_pool_queue {
	struct l7_vs		*vs;
	struct pool		*pool;
	struct queue		 q;
	struct ev_timer		 timer;		/* the head's timeout_queue */
};

static struct l7_sess *
sess_of(struct queue_entry *e)
{
	return (struct l7_sess *)((char *)e - offsetof(struct l7_sess, qent));
}

static struct l7_pool_queue *
queue_of_pool(const struct l7_vs *vs, const struct pool *pool)
{
	unsigned i;

	for (i = 0; i < vs->n_queues; i++)
		if (vs->queues[i].pool == pool)
			return &vs->queues[i];
	return NULL;
}

/* The head of pq runs on the next pass. */
static void
wake_head(struct l7_pool_queue *pq)
{
	struct queue_entry *e = queue_head(&pq->q);

	if (e != NULL)
		l7_sess_queue(sess_of(e));
}

/* Timeouts ------------------------------------------------------------------- */

static void
arm(struct l7_pool_queue *pq)
{
	struct ev_loop *loop = pq->vs->l7->loop;
	int64_t left = queue_next_expiry(&pq->q, ev_now(loop), pq->vs->conf->timeout_queue_ms);

	if (left < 0)
		ev_timer_stop(loop, &pq->timer);
	else
		ev_timer_start(loop, &pq->timer, left);
}

static void
left_queue(struct l7_sess *s)
{
	s->waiting = NULL;
	atomic_fetch_sub(&s->vs->shm->queued, 1);
}

/* The oldest requests waited timeout_queue: 503 (l7_sess_error closes a
 * NAT connection instead). */
static void
on_queue_timeout(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct l7_pool_queue *pq = arg;
	struct queue_entry *e;

	while ((e = queue_pop_expired(&pq->q, ev_now(loop), pq->vs->conf->timeout_queue_ms)) !=
	    NULL) {
		struct l7_sess *s = sess_of(e);

		left_queue(s);
		atomic_fetch_add(&s->vs->shm->queue_timeouts, 1);
		l7_sess_error(s, 503);
	}
	arm(pq);
}

/* Setup ---------------------------------------------------------------------- */

int
l7_queue_init(struct l7_vs *vs)
{
	const struct conf_real_server *rs;
	struct l7_pool_queue *pq;
	struct pool *pool;

	vs->queues = calloc(vs->conf->n_servers + 1, sizeof(*vs->queues));
	if (vs->queues == NULL)
		return -1;
	for (rs = vs->conf->servers; rs != NULL; rs = rs->next) {
		pool = pool_set_find(vs->pools, rs->pool);
		if (pool == NULL || queue_of_pool(vs, pool) != NULL)
			continue;
		pq = &vs->queues[vs->n_queues++];
		*pq = (struct l7_pool_queue){ .vs = vs, .pool = pool };
		queue_init(&pq->q, L7_QUEUE_MAX);
		ev_timer_init(&pq->timer, on_queue_timeout, pq);
	}
	return 0;
}

void
l7_queue_free(struct l7_vs *vs)
{
	unsigned i;

	for (i = 0; i < vs->n_queues; i++)
		ev_timer_stop(vs->l7->loop, &vs->queues[i].timer);
	free(vs->queues);
	vs->queues = NULL;
	vs->n_queues = 0;
}

/* Waiting -------------------------------------------------------------------- */

void
l7_queue_wait(struct l7_sess *s)
{
	struct l7_pool_queue *pq = queue_of_pool(s->vs, s->pool);
	struct ev_loop *loop = s->l7->loop;

	if (pq == NULL || queue_push(&pq->q, &s->qent, ev_now(loop)) == -1) {
		l7_sess_error(s, 503);
		return;
	}
	s->waiting = pq;
	s->state = L7_S_QUEUED;
	ev_timer_stop(loop, &s->timer);		/* the queue's timer runs instead */
	atomic_fetch_add(&s->vs->shm->queued, 1);
	if (!ev_timer_pending(&pq->timer))
		arm(pq);
}

void
l7_queue_leave(struct l7_sess *s)
{
	struct l7_pool_queue *pq = s->waiting;
	bool was_head;

	if (pq == NULL)
		return;
	was_head = queue_head(&pq->q) == &s->qent;
	queue_remove(&pq->q, &s->qent);
	left_queue(s);
	if (was_head)
		wake_head(pq);
}

bool
l7_queue_ahead(const struct l7_sess *s)
{
	const struct l7_pool_queue *pq;

	if (s->waiting != NULL || s->pool == NULL)
		return false;
	pq = queue_of_pool(s->vs, s->pool);
	return pq != NULL && queue_head(&pq->q) != NULL;
}

void
l7_queue_slot_freed(struct l7_vs *vs, const struct conf_real_server *rs)
{
	struct pool *pool;
	struct l7_pool_queue *pq;

	if (vs->n_queues == 0 || (pool = pool_set_find(vs->pools, rs->pool)) == NULL ||
	    (pq = queue_of_pool(vs, pool)) == NULL)
		return;
	wake_head(pq);
}

void
l7_queue_wake_all(struct l7 *l7)
{
	unsigned i, j;

	for (i = 0; i < l7->n_vs; i++)
		for (j = 0; j < l7->vss[i].n_queues; j++)
			wake_head(&l7->vss[i].queues[j]);
}

void
l7_queue_run(struct l7_sess *s)
{
	/* Nothing is read while waiting: a peer that shut down or reset is
	 * taken as gone (HAProxy's abortonclose); its request is dropped. */
	if (s->client.rdhup || s->client.eof) {
		l7_sess_close(s);
		return;
	}
	if (s->waiting != NULL && queue_head(&s->waiting->q) == &s->qent)
		l7_server_dispatch(s);
}
