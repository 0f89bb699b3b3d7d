/* Moving one direction's bytes: a head from `out`, then the body, framed
 * as it passes (Content-Length, chunked, until close) so that no byte
 * beyond the message is forwarded.  See l7.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "splice/l7.h"

ssize_t
l7_side_recv(struct l7_side *src, char *p, size_t len)
{
	ssize_t n = recv(src->fd, p, len, MSG_DONTWAIT);

	if (n > 0) {
		/* A short read emptied the socket: the next bytes or the
		 * end will come with a new edge, no need to ask again --
		 * unless the end is already known to be pending. */
		if ((size_t)n < len && !src->rdhup)
			src->rd = false;
		return n;
	}
	if (n == 0) {
		src->eof = true;
		src->rd = false;
		return 0;
	}
	if (errno == EAGAIN || errno == EWOULDBLOCK) {
		src->rd = false;
		return 0;
	}
	return -1;
}

/* A small body is copied behind its head, so one send() writes both:
 * cheaper than sendmsg() with two iovecs.  Not for a head kept for a
 * retry (`keep_sent`): it must stay the head alone. */
#define L7_MERGE_MAX	4096

static void
merge_small_body(struct l7 *l7, struct l7_flow *f)
{
	if (f->out == NULL || f->fwd == 0 || f->fwd > L7_MERGE_MAX || f->keep_sent ||
	    l7->bufs.size - f->out->end < f->fwd)
		return;
	memcpy(f->out->data + f->out->end, f->in->data + f->in->start, f->fwd);
	f->out->end += f->fwd;
	f->in->start += f->fwd;
	f->moved += f->fwd;
	f->fwd = 0;
}

/* Write the head in `out` and the framed body bytes of `in` together, so
 * a small response leaves in one segment.  0: all written or blocked;
 * -1: error. */
static int
write_pending(struct l7 *l7, struct l7_flow *f, size_t *budget)
{
	merge_small_body(l7, f);
	while ((f->out != NULL || f->fwd > 0) && f->dst->wr) {
		struct iovec iov[2];
		struct msghdr msg = { .msg_iov = iov };
		size_t head = f->out != NULL ? l7_buf_len(f->out) : 0;
		ssize_t n;

		if (head > 0)
			iov[msg.msg_iovlen++] = (struct iovec){ f->out->data + f->out->start, head };
		if (f->fwd > 0)
			iov[msg.msg_iovlen++] = (struct iovec){ f->in->data + f->in->start, f->fwd };
		if (msg.msg_iovlen == 1)
			n = send(f->dst->fd, iov[0].iov_base, iov[0].iov_len, MSG_NOSIGNAL | MSG_DONTWAIT);
		else
			n = sendmsg(f->dst->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return -1;
			f->dst->wr = false;
			return 0;
		}
		if (n > 0)
			f->dst->last_io = ev_now(l7->loop);
		if ((size_t)n >= head && f->out != NULL) {
			if (f->keep_sent)
				f->sent = f->out;
			else
				l7_buf_put(&l7->bufs, f->out);
			f->out = NULL;
			n -= (ssize_t)head;
		} else if (f->out != NULL) {
			f->out->start += (size_t)n;
			n = 0;
		}
		if (n > 0)
			f->in->start += (size_t)n;	/* past the head: body bytes */
		f->fwd -= (size_t)n;
		f->moved += (uint64_t)n;
		*budget = *budget > (size_t)n ? *budget - (size_t)n : 0;
	}
	return 0;
}

void
l7_flow_body(struct l7_flow *f, enum http1_body body, uint64_t length)
{
	f->moved = 0;
	f->fwd = 0;
	f->dechunk = false;
	f->bad_framing = false;
	switch (body) {
	case HTTP1_BODY_NONE:
		f->mode = L7_DONE;
		break;
	case HTTP1_BODY_LENGTH:
		f->mode = length == 0 ? L7_DONE : L7_LENGTH;
		f->left = length;
		break;
	case HTTP1_BODY_CHUNKED:
		f->mode = L7_CHUNKED;
		http1_chunked_init(&f->ck);
		break;
	case HTTP1_BODY_CLOSE:
		f->mode = L7_CLOSE;
		break;
	}
}

/* Frame the unframed bytes of `in`; -1 on bad chunked framing. */
static int
frame_in(struct l7_flow *f)
{
	size_t avail = l7_buf_len(f->in) - f->fwd;
	char *p = f->in->data + f->in->start + f->fwd;

	switch (f->mode) {
	case L7_LENGTH:
		if (avail > f->left)
			avail = (size_t)f->left;
		f->left -= avail;
		f->fwd += avail;
		return 0;
	case L7_CHUNKED:
		while (avail > 0 && !http1_chunked_done(&f->ck)) {
			size_t data;
			ssize_t used = http1_chunked_step(&f->ck, p, avail, &data);

			if (used < 0)
				return -1;
			avail -= (size_t)used;
			if (f->dechunk && (size_t)used > data) {
				/* Keep the data, close the gap of the framing. */
				memmove(p + data, p + used, avail);
				f->in->end -= (size_t)used - data;
				used = (ssize_t)data;
			}
			p += used;
			f->fwd += (size_t)used;
		}
		return 0;
	case L7_CLOSE:
		f->fwd += avail;
		return 0;
	default:
		return 0;
	}
}

static bool
body_complete(const struct l7_flow *f)
{
	if (f->fwd > 0 || (f->pipe != NULL && f->pipe->len > 0))
		return false;
	switch (f->mode) {
	case L7_LENGTH:
		return f->left == 0;
	case L7_CHUNKED:
		return http1_chunked_done(&f->ck);
	case L7_CLOSE:
		return f->src->eof && (f->in == NULL || l7_buf_len(f->in) == 0);
	default:
		return true;
	}
}

static bool
use_splice(const struct l7_flow *f)
{
	if (f->in != NULL && l7_buf_len(f->in) > 0)
		return false;
	return f->mode == L7_CLOSE || (f->mode == L7_LENGTH && f->left >= L7_SPLICE_MIN);
}

/* Pipe -> dst.  0: emptied or blocked; -1: error. */
static int
splice_out(struct l7 *l7, struct l7_flow *f, size_t *budget)
{
	while (f->pipe->len > 0 && f->dst->wr) {
		ssize_t n = splice(f->pipe->fd[0], NULL, f->dst->fd, NULL, f->pipe->len,
		    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);

		if (n < 0) {
			if (errno != EAGAIN)
				return -1;
			f->dst->wr = false;
			break;
		}
		f->pipe->len -= (size_t)n;
		f->moved += (uint64_t)n;
		f->dst->last_io = ev_now(l7->loop);
		*budget = *budget > (size_t)n ? *budget - (size_t)n : 0;
	}
	return 0;
}

/* src -> pipe.  0: something or nothing moved; -1: error. */
static int
splice_in(struct l7 *l7, struct l7_flow *f)
{
	size_t want;
	ssize_t n;

	if (f->pipe == NULL && (f->pipe = l7_pipe_get(&l7->pipes)) == NULL)
		return -1;
	want = f->pipe->cap - f->pipe->len;
	if (f->mode == L7_LENGTH && f->left < want)
		want = (size_t)f->left;
	n = splice(f->src->fd, NULL, f->pipe->fd[1], NULL, want,
	    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
	if (n > 0) {
		f->pipe->len += (size_t)n;
		if (f->mode == L7_LENGTH)
			f->left -= (uint64_t)n;
		return 0;
	}
	if (n == 0) {
		f->src->eof = true;
		f->src->rd = false;
		return 0;
	}
	if (errno != EAGAIN)
		return -1;
	/* A pipe counts slots, not bytes: one that holds data may be full
	 * long before cap (a slot per socket fragment).  Only an empty pipe's
	 * EAGAIN says the socket is drained. */
	if (f->pipe->len == 0)
		f->src->rd = false;
	return 0;
}

/* src -> in.  0: something or nothing read; -1: error or no buffer. */
static int
read_in(struct l7 *l7, struct l7_flow *f)
{
	ssize_t n;

	if (f->in == NULL && (f->in = l7_buf_get(&l7->bufs)) == NULL)
		return -1;
	if (f->in->end == l7->bufs.size)
		l7_buf_compact(f->in);
	if (f->in->end == l7->bufs.size)
		return -1;		/* cannot happen: framed bytes are written first */
	if ((n = l7_side_recv(f->src, f->in->data + f->in->end, l7->bufs.size - f->in->end)) < 0)
		return -1;
	f->in->end += (size_t)n;
	return 0;
}

static bool
can_refill(const struct l7_flow *f, const size_t *budget)
{
	if (!f->src->rd || f->src->eof || *budget == 0 || f->pipe->len >= f->pipe->cap)
		return false;
	return f->mode == L7_CLOSE || (f->mode == L7_LENGTH && f->left > 0);
}

static bool
in_body(const struct l7_flow *f)
{
	return f->mode >= L7_LENGTH && f->mode <= L7_CLOSE;
}

int
l7_flow_pump(struct l7 *l7, struct l7_flow *f, size_t *budget)
{
	for (;;) {
		/* Frame what was read, then write it with any head before it. */
		if (in_body(f) && f->in != NULL && l7_buf_len(f->in) > f->fwd &&
		    frame_in(f) == -1) {
			f->bad_framing = true;
			return -1;
		}
		if (write_pending(l7, f, budget) == -1)
			return -1;
		if (f->out != NULL || f->fwd > 0 || !in_body(f))
			return 0;
		if (f->pipe != NULL && f->pipe->len > 0) {
			uint64_t out_before = f->moved;
			size_t in_before;

			/* Drain and refill the pipe in turn, so the source keeps
			 * sending while the destination takes what is in it. */
			if (splice_out(l7, f, budget) == -1)
				return -1;
			in_before = f->pipe->len;
			if (can_refill(f, budget) && splice_in(l7, f) == -1)
				return -1;
			if (f->moved == out_before && f->pipe->len == in_before)
				return 0;	/* blocked both ways: wait for an edge */
			continue;
		}
		if (body_complete(f)) {
			f->mode = L7_DONE;
			l7_pipe_put(&l7->pipes, f->pipe);
			f->pipe = NULL;
			return 0;
		}
		if (f->src->eof)
			return -1;		/* the message is cut short */
		if (!f->src->rd || *budget == 0)
			return 0;
		if ((use_splice(f) ? splice_in(l7, f) : read_in(l7, f)) == -1)
			return -1;
	}
}

void
l7_flow_forget_sent(struct l7 *l7, struct l7_flow *f)
{
	l7_buf_put(&l7->bufs, f->sent);
	f->sent = NULL;
	f->keep_sent = false;
}

bool
l7_flow_rewind(struct l7_flow *f)
{
	if (!f->keep_sent || (f->sent == NULL && f->out == NULL))
		return false;
	if (f->sent != NULL) {
		f->out = f->sent;
		f->sent = NULL;
	}
	f->out->start = 0;	/* a head is serialised at the buffer's start */
	return true;
}

void
l7_flow_release(struct l7 *l7, struct l7_flow *f)
{
	l7_flow_forget_sent(l7, f);
	l7_buf_put(&l7->bufs, f->in);
	l7_buf_put(&l7->bufs, f->out);
	l7_pipe_put(&l7->pipes, f->pipe);
	f->in = f->out = NULL;
	f->pipe = NULL;
	f->fwd = 0;
}
