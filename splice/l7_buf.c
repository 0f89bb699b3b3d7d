/* Buffer and pipe pools of the forwarder; see l7.h.  Free objects are
 * kept for reuse up to L7_POOL_KEEP_FREE, so a burst does not pin its
 * peak memory forever. */
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
		bp->n_free--;
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
	if (bp->n_free >= L7_POOL_KEEP_FREE) {
		free(b);
		return;
	}
	b->next_free = bp->free;
	bp->free = b;
	bp->n_free++;
}

void
l7_bufpool_drain(struct l7_bufpool *bp)
{
	struct l7_buf *b;

	while ((b = bp->free) != NULL) {
		bp->free = b->next_free;
		free(b);
	}
	bp->n_free = 0;
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
		pp->n_free--;
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
	if (p->len > 0 || pp->n_free >= L7_POOL_KEEP_FREE) {
		pipe_free(p);
		return;
	}
	p->next_free = pp->free;
	pp->free = p;
	pp->n_free++;
}

void
l7_pipepool_drain(struct l7_pipepool *pp)
{
	struct l7_pipe *p;

	while ((p = pp->free) != NULL) {
		pp->free = p->next_free;
		pipe_free(p);
	}
	pp->n_free = 0;
}
