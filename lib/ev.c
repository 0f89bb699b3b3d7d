/* Event loop: epoll + timer heap + signalfd.  See ev.h. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "lib/ev.h"

#define EV_MAX_EVENTS	256
#define EV_NSIG		65

struct ev_fd {
	ev_fd_cb	*cb;
	void		*arg;
	unsigned	 events;
};

struct ev_sig {
	ev_signal_cb	*cb;
	void		*arg;
};

struct ev_loop {
	int		  epfd;
	int		  sigfd;
	bool		  stop;
	int64_t		  now;
	uint64_t	  timer_seq;

	struct ev_fd	 *fds;
	int		  nfds;

	struct ev_timer	**heap;
	int		  heap_len;
	int		  heap_cap;

	sigset_t	  sigmask;	/* signals routed through sigfd */
	sigset_t	  saved_mask;	/* the mask before we blocked any */
	struct ev_sig	  sigs[EV_NSIG];
};

static int64_t
ev_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct ev_loop *
ev_new(void)
{
	struct ev_loop *loop;

	if ((loop = calloc(1, sizeof(*loop))) == NULL)
		return NULL;
	loop->sigfd = -1;
	if ((loop->epfd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		free(loop);
		return NULL;
	}
	sigemptyset(&loop->sigmask);
	sigprocmask(SIG_BLOCK, NULL, &loop->saved_mask);
	loop->now = ev_clock_ms();
	return loop;
}

void
ev_free(struct ev_loop *loop)
{
	if (loop == NULL)
		return;
	close(loop->epfd);
	if (loop->sigfd != -1) {
		close(loop->sigfd);
		sigprocmask(SIG_SETMASK, &loop->saved_mask, NULL);
	}
	free(loop->fds);
	free(loop->heap);
	free(loop);
}

/* fd registration ---------------------------------------------------- */

static uint32_t
ev_epoll_mask(unsigned events)
{
	uint32_t m = 0;

	if (events & EV_READ)
		m |= EPOLLIN | EPOLLRDHUP;
	if (events & EV_WRITE)
		m |= EPOLLOUT;
	if (events & EV_EDGE)
		m |= EPOLLET;
	return m;
}

static int
ev_fd_grow(struct ev_loop *loop, int fd)
{
	struct ev_fd *n;
	int cap;

	if (fd < loop->nfds)
		return 0;
	cap = loop->nfds ? loop->nfds : 64;
	while (cap <= fd)
		cap *= 2;
	if ((n = realloc(loop->fds, (size_t)cap * sizeof(*n))) == NULL)
		return -1;
	memset(n + loop->nfds, 0, (size_t)(cap - loop->nfds) * sizeof(*n));
	loop->fds = n;
	loop->nfds = cap;
	return 0;
}

int
ev_fd_add(struct ev_loop *loop, int fd, unsigned events, ev_fd_cb *cb, void *arg)
{
	struct epoll_event ee = { .events = ev_epoll_mask(events), .data.fd = fd };

	if (fd < 0 || cb == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (ev_fd_grow(loop, fd) == -1)
		return -1;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ee) == -1)
		return -1;
	loop->fds[fd] = (struct ev_fd){ .cb = cb, .arg = arg, .events = events };
	return 0;
}

int
ev_fd_mod(struct ev_loop *loop, int fd, unsigned events)
{
	struct epoll_event ee = { .events = ev_epoll_mask(events), .data.fd = fd };

	if (fd < 0 || fd >= loop->nfds || loop->fds[fd].cb == NULL) {
		errno = ENOENT;
		return -1;
	}
	if (loop->fds[fd].events == events)
		return 0;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, fd, &ee) == -1)
		return -1;
	loop->fds[fd].events = events;
	return 0;
}

int
ev_fd_del(struct ev_loop *loop, int fd)
{
	if (fd < 0 || fd >= loop->nfds || loop->fds[fd].cb == NULL) {
		errno = ENOENT;
		return -1;
	}
	/* Clearing the slot also stops delivery of events already fetched in
	 * this pass. */
	loop->fds[fd].cb = NULL;
	return epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
}

static void
ev_fd_pause_over(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct ev_fd_pause *p = arg;

	if (ev_fd_mod(loop, p->fd, p->events) == -1)
		p->fd = -1;		/* no longer watched: nothing to resume */
}

void
ev_fd_pause_init(struct ev_fd_pause *p)
{
	*p = (struct ev_fd_pause){ .fd = -1 };
	ev_timer_init(&p->timer, ev_fd_pause_over, p);
}

int
ev_fd_pause(struct ev_loop *loop, struct ev_fd_pause *p, int fd, int64_t ms)
{
	if (fd < 0 || fd >= loop->nfds || loop->fds[fd].cb == NULL) {
		errno = ENOENT;
		return -1;
	}
	if (ev_timer_pending(&p->timer))
		return 0;
	p->loop = loop;
	p->fd = fd;
	p->events = loop->fds[fd].events;
	if (ev_fd_mod(loop, fd, 0) == -1)
		return -1;
	return ev_timer_start(loop, &p->timer, ms);
}

void
ev_fd_pause_cancel(struct ev_fd_pause *p)
{
	if (p->loop != NULL)
		ev_timer_stop(p->loop, &p->timer);
	p->fd = -1;
}

int
ev_fd_set_handler(struct ev_loop *loop, int fd, ev_fd_cb *cb, void *arg)
{
	if (fd < 0 || fd >= loop->nfds || loop->fds[fd].cb == NULL || cb == NULL) {
		errno = ENOENT;
		return -1;
	}
	loop->fds[fd].cb = cb;
	loop->fds[fd].arg = arg;
	return 0;
}

int
ev_fd_close(struct ev_loop *loop, int fd)
{
	if (fd >= 0 && fd < loop->nfds)
		loop->fds[fd].cb = NULL;
	/* The last close of the file removes it from the epoll set. */
	return close(fd);
}

/* Timers: a binary min-heap ordered by (key, kseq) ----------------------- */

static bool
ev_timer_before(const struct ev_timer *a, const struct ev_timer *b)
{
	return a->key < b->key || (a->key == b->key && a->kseq < b->kseq);
}

static void
ev_heap_set(struct ev_loop *loop, int i, struct ev_timer *t)
{
	loop->heap[i] = t;
	t->heap_idx = i;
}

static void
ev_heap_up(struct ev_loop *loop, int i)
{
	struct ev_timer *t = loop->heap[i];

	while (i > 0) {
		int parent = (i - 1) / 2;

		if (!ev_timer_before(t, loop->heap[parent]))
			break;
		ev_heap_set(loop, i, loop->heap[parent]);
		i = parent;
	}
	ev_heap_set(loop, i, t);
}

static void
ev_heap_down(struct ev_loop *loop, int i)
{
	struct ev_timer *t = loop->heap[i];

	for (;;) {
		int c = 2 * i + 1;

		if (c >= loop->heap_len)
			break;
		if (c + 1 < loop->heap_len &&
		    ev_timer_before(loop->heap[c + 1], loop->heap[c]))
			c++;
		if (!ev_timer_before(loop->heap[c], t))
			break;
		ev_heap_set(loop, i, loop->heap[c]);
		i = c;
	}
	ev_heap_set(loop, i, t);
}

void
ev_timer_init(struct ev_timer *t, ev_timer_cb *cb, void *arg)
{
	memset(t, 0, sizeof(*t));
	t->heap_idx = -1;
	t->cb = cb;
	t->arg = arg;
}

bool
ev_timer_pending(const struct ev_timer *t)
{
	return t->heap_idx >= 0;
}

void
ev_timer_stop(struct ev_loop *loop, struct ev_timer *t)
{
	int i = t->heap_idx;
	struct ev_timer *last;

	if (i < 0)
		return;
	t->heap_idx = -1;
	last = loop->heap[--loop->heap_len];
	if (i == loop->heap_len)
		return;
	ev_heap_set(loop, i, last);
	ev_heap_up(loop, i);
	ev_heap_down(loop, last->heap_idx);
}

int
ev_timer_start(struct ev_loop *loop, struct ev_timer *t, int64_t ms)
{
	int64_t when = loop->now + (ms > 0 ? ms : 0);

	if (t->heap_idx >= 0 && when >= t->key) {
		t->when = when;		/* moved when its key comes due */
		t->seq = loop->timer_seq++;
		return 0;
	}
	ev_timer_stop(loop, t);
	if (loop->heap_len == loop->heap_cap) {
		int cap = loop->heap_cap ? loop->heap_cap * 2 : 64;
		struct ev_timer **n = realloc(loop->heap, (size_t)cap * sizeof(*n));

		if (n == NULL)
			return -1;
		loop->heap = n;
		loop->heap_cap = cap;
	}
	t->key = t->when = when;
	t->kseq = t->seq = loop->timer_seq++;
	loop->heap[loop->heap_len] = t;
	t->heap_idx = loop->heap_len++;
	ev_heap_up(loop, t->heap_idx);
	return 0;
}

static void
ev_timers_run(struct ev_loop *loop)
{
	/* Timers armed by a callback for "now" wait for the next pass, so a
	 * zero-delay re-arm cannot starve fd events. */
	uint64_t limit = loop->timer_seq;

	while (loop->heap_len > 0 && !loop->stop) {
		struct ev_timer *t = loop->heap[0];

		if (t->key > loop->now || t->kseq >= limit)
			break;
		if (t->key != t->when || t->kseq != t->seq) {
			t->key = t->when;	/* re-armed later: to its place */
			t->kseq = t->seq;
			ev_heap_down(loop, 0);
			continue;
		}
		ev_timer_stop(loop, t);
		t->cb(loop, t, t->arg);
	}
}

static int
ev_timeout_ms(const struct ev_loop *loop, int max_wait_ms)
{
	int64_t d;

	if (loop->heap_len == 0)
		return max_wait_ms;
	d = loop->heap[0]->key - loop->now;	/* maybe early: one more pass */
	if (d < 0)
		d = 0;
	if (max_wait_ms >= 0 && d > max_wait_ms)
		d = max_wait_ms;
	return d > 0x7fffffff ? 0x7fffffff : (int)d;
}

/* Signals ----------------------------------------------------------- */

static void
ev_signal_read(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct signalfd_siginfo si;

	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		struct ev_sig *s;

		if (si.ssi_signo >= EV_NSIG)
			continue;
		s = &loop->sigs[si.ssi_signo];
		if (s->cb != NULL)
			s->cb(loop, &si, s->arg);
	}
}

int
ev_signal_add(struct ev_loop *loop, int signo, ev_signal_cb *cb, void *arg)
{
	sigset_t one;
	int fd;

	if (signo <= 0 || signo >= EV_NSIG) {
		errno = EINVAL;
		return -1;
	}
	sigaddset(&loop->sigmask, signo);
	fd = signalfd(loop->sigfd, &loop->sigmask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd == -1)
		return -1;
	if (loop->sigfd == -1) {
		if (ev_fd_add(loop, fd, EV_READ, ev_signal_read, NULL) == -1) {
			close(fd);
			return -1;
		}
		loop->sigfd = fd;
	}
	sigemptyset(&one);
	sigaddset(&one, signo);
	sigprocmask(SIG_BLOCK, &one, NULL);
	loop->sigs[signo] = (struct ev_sig){ .cb = cb, .arg = arg };
	return 0;
}

/* Running ----------------------------------------------------------- */

int64_t
ev_now(const struct ev_loop *loop)
{
	return loop->now;
}

int64_t
ev_now_update(struct ev_loop *loop)
{
	loop->now = ev_clock_ms();
	return loop->now;
}

static unsigned
ev_events_from_epoll(uint32_t m)
{
	unsigned e = 0;

	if (m & (EPOLLIN | EPOLLRDHUP | EPOLLHUP))
		e |= EV_READ;
	if (m & EPOLLOUT)
		e |= EV_WRITE;
	if (m & (EPOLLERR | EPOLLHUP))
		e |= EV_ERROR;
	if (m & (EPOLLRDHUP | EPOLLHUP))
		e |= EV_RDHUP;
	return e;
}

int
ev_run_once(struct ev_loop *loop, int max_wait_ms)
{
	struct epoll_event evs[EV_MAX_EVENTS];
	int i, n;

	n = epoll_wait(loop->epfd, evs, EV_MAX_EVENTS, ev_timeout_ms(loop, max_wait_ms));
	ev_now_update(loop);
	if (n == -1) {
		if (errno != EINTR)
			return -1;
		n = 0;
	}
	for (i = 0; i < n && !loop->stop; i++) {
		int fd = evs[i].data.fd;
		struct ev_fd *f = &loop->fds[fd];

		if (f->cb != NULL)
			f->cb(loop, fd, ev_events_from_epoll(evs[i].events), f->arg);
	}
	ev_timers_run(loop);
	return 0;
}

int
ev_run(struct ev_loop *loop)
{
	loop->stop = false;
	while (!loop->stop)
		if (ev_run_once(loop, -1) == -1)
			return -1;
	return 0;
}

void
ev_stop(struct ev_loop *loop)
{
	loop->stop = true;
}
