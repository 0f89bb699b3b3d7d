/* Bounded FIFO of waiting requests; see queue.h. */
#include "config.h"

#include <stddef.h>

#include "splice/queue.h"

void
queue_init(struct queue *q, unsigned max)
{
	*q = (struct queue){ .max = max };
}

int
queue_push(struct queue *q, struct queue_entry *e, int64_t now_ms)
{
	if (q->len >= q->max || e->linked)
		return -1;
	*e = (struct queue_entry){ .prev = q->newest, .since_ms = now_ms, .linked = true };
	if (q->newest != NULL)
		q->newest->next = e;
	else
		q->oldest = e;
	q->newest = e;
	q->len++;
	return 0;
}

void
queue_remove(struct queue *q, struct queue_entry *e)
{
	if (!e->linked)
		return;
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		q->oldest = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		q->newest = e->prev;
	e->prev = e->next = NULL;
	e->linked = false;
	q->len--;
}

struct queue_entry *
queue_head(const struct queue *q)
{
	return q->oldest;
}

static int64_t
waited(const struct queue_entry *e, int64_t now_ms)
{
	return now_ms - e->since_ms;
}

struct queue_entry *
queue_pop_expired(struct queue *q, int64_t now_ms, uint32_t timeout_ms)
{
	struct queue_entry *e = q->oldest;

	if (e == NULL || waited(e, now_ms) < (int64_t)timeout_ms)
		return NULL;
	queue_remove(q, e);
	return e;
}

int64_t
queue_next_expiry(const struct queue *q, int64_t now_ms, uint32_t timeout_ms)
{
	int64_t left;

	if (q->oldest == NULL)
		return -1;
	left = (int64_t)timeout_ms - waited(q->oldest, now_ms);
	return left > 0 ? left : 0;
}
