/* Buffer and pipe pools of the forwarder; see l7.h.  A put() always pools
 * the object: under a steady load the number in use swings by more than
 * any fixed bound, and freeing above one made glibc trim and grow its
 * heap (brk) over and over.  Memory is given back by the trim instead:
 * what stayed free through a whole period was not needed, so a burst
 * does not pin its peak memory for more than two periods. */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "splice/l7.h"

#define L7_PIPE_SIZE	(1024 * 1024)	/* fewer splice round trips per body */
#define L7_PIPE_MIN	(64 * 1024)	/* Linux's default */

struct l7_buf *
l7_buf_get(struct l7_bufpool *bp)
{
	struct l7_buf *b = bp->free;

	if (b != NULL) {
		bp->free = b->next_free;
		if (--bp->n_free < bp->low_free)
			bp->low_free = bp->n_free;
	} else if ((b = malloc(sizeof(*b) + bp->size)) == NULL) {
		return NULL;
	}
	b->next_free = NULL;
	b->start = b->end = 0;
	bp->n_out++;
	return b;
}

void
l7_buf_put(struct l7_bufpool *bp, struct l7_buf *b)
{
	if (b == NULL)
		return;
	bp->n_out--;
	b->next_free = bp->free;
	bp->free = b;
	bp->n_free++;
}

static unsigned
bufpool_release(struct l7_bufpool *bp, unsigned n)
{
	struct l7_buf *b;
	unsigned done = 0;

	while (done < n && (b = bp->free) != NULL) {
		bp->free = b->next_free;
		bp->n_free--;
		free(b);
		done++;
	}
	return done;
}

unsigned
l7_bufpool_trim(struct l7_bufpool *bp)
{
	unsigned done = 0;

	if (bp->low_free > L7_POOL_KEEP_FREE)
		done = bufpool_release(bp, bp->low_free - L7_POOL_KEEP_FREE);
	bp->low_free = bp->n_free;
	return done;
}

void
l7_bufpool_drain(struct l7_bufpool *bp)
{
	bufpool_release(bp, bp->n_free);
	bp->low_free = 0;
}

void
l7_buf_compact(struct l7_buf *b)
{
	if (b->start == 0)
		return;
	memmove(b->data, b->data + b->start, b->end - b->start);
	b->end -= b->start;
	b->start = 0;
}

struct l7_pipe *
l7_pipe_get(struct l7_pipepool *pp)
{
	struct l7_pipe *p = pp->free;
	int cap;

	if (p != NULL) {
		pp->free = p->next_free;
		if (--pp->n_free < pp->low_free)
			pp->low_free = pp->n_free;
	} else {
		if ((p = malloc(sizeof(*p))) == NULL)
			return NULL;
		if (pipe2(p->fd, O_NONBLOCK | O_CLOEXEC) == -1) {
			free(p);
			return NULL;
		}
		/* Best effort: the default 64 KB works, only slower. */
		if ((cap = fcntl(p->fd[1], F_SETPIPE_SZ, L7_PIPE_SIZE)) == -1)
			cap = fcntl(p->fd[1], F_GETPIPE_SZ);
		p->cap = cap > 0 ? (size_t)cap : L7_PIPE_MIN;
	}
	p->next_free = NULL;
	p->len = 0;
	pp->n_out++;
	return p;
}

static void
pipe_free(struct l7_pipe *p)
{
	close(p->fd[0]);
	close(p->fd[1]);
	free(p);
}

void
l7_pipe_put(struct l7_pipepool *pp, struct l7_pipe *p)
{
	if (p == NULL)
		return;
	pp->n_out--;
	if (p->len > 0) {
		pipe_free(p);
		return;
	}
	p->next_free = pp->free;
	pp->free = p;
	pp->n_free++;
}

static void
pipepool_release(struct l7_pipepool *pp, unsigned n)
{
	struct l7_pipe *p;

	while (n-- > 0 && (p = pp->free) != NULL) {
		pp->free = p->next_free;
		pp->n_free--;
		pipe_free(p);
	}
}

void
l7_pipepool_trim(struct l7_pipepool *pp)
{
	if (pp->low_free > L7_POOL_KEEP_FREE)
		pipepool_release(pp, pp->low_free - L7_POOL_KEEP_FREE);
	pp->low_free = pp->n_free;
}

void
l7_pipepool_drain(struct l7_pipepool *pp)
{
	pipepool_release(pp, pp->n_free);
	pp->low_free = 0;
}
