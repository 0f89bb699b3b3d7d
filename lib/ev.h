/* The event loop every process runs: epoll for fds, a binary heap of
 * timers on CLOCK_MONOTONIC, and signalfd so signal handlers are ordinary
 * callbacks.  Nothing here logs: errors come back as -1 with errno set.
 *
 * Timers are embedded in the caller's structs (no allocation per timer);
 * fd state lives in an array indexed by fd.  A callback may add or remove
 * any fd or timer, including its own.
 */
#ifndef KL7_EV_H
#define KL7_EV_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/signalfd.h>

struct ev_loop;
struct ev_timer;

#define EV_READ		0x1u	/* fd is readable (EPOLLIN), or peer hung up */
#define EV_WRITE	0x2u	/* fd is writable (EPOLLOUT) */
#define EV_ERROR	0x4u	/* EPOLLERR/EPOLLHUP seen: the next I/O call reports it */
#define EV_EDGE		0x8u	/* register edge-triggered (EPOLLET) */
#define EV_RDHUP	0x10u	/* reported with EV_READ: the peer shut down writing,
				 * so a short read did not drain the stream's end */

typedef void ev_fd_cb(struct ev_loop *loop, int fd, unsigned events, void *arg);
typedef void ev_timer_cb(struct ev_loop *loop, struct ev_timer *t, void *arg);
typedef void ev_signal_cb(struct ev_loop *loop, const struct signalfd_siginfo *si,
    void *arg);

struct ev_timer {
	int64_t		 when;		/* expiry, ms on the loop's clock */
	uint64_t	 seq;		/* start order: equal expiries fire FIFO */
	/* Its place in the heap, at or before (when, seq): re-arming a
	 * pending timer later only sets when and seq, and the heap moves it
	 * once its key comes due (session timeouts are pushed back on every
	 * request, and most never fire). */
	int64_t		 key;
	uint64_t	 kseq;
	int		 heap_idx;	/* -1 when not pending */
	ev_timer_cb	*cb;
	void		*arg;
};

/* Returns NULL with errno set on failure. */
struct ev_loop	*ev_new(void);
/* Closes the loop's own fds and restores the signal mask it changed.  Safe
 * in a freshly forked child: it never touches the shared epoll set. */
void		 ev_free(struct ev_loop *loop);

int	ev_fd_add(struct ev_loop *loop, int fd, unsigned events, ev_fd_cb *cb, void *arg);
int	ev_fd_mod(struct ev_loop *loop, int fd, unsigned events);
int	ev_fd_del(struct ev_loop *loop, int fd);
/* Hand a watched fd to another callback, without a system call: for an
 * fd that changes owner (a server connection parked and taken again). */
int	ev_fd_set_handler(struct ev_loop *loop, int fd, ev_fd_cb *cb, void *arg);
/* Forget fd and close it, one system call fewer than ev_fd_del() and
 * close(): for an fd no other process shares. */
int	ev_fd_close(struct ev_loop *loop, int fd);

void	ev_timer_init(struct ev_timer *t, ev_timer_cb *cb, void *arg);
/* (Re)arm t to fire once, ms milliseconds from now. */
int	ev_timer_start(struct ev_loop *loop, struct ev_timer *t, int64_t ms);
void	ev_timer_stop(struct ev_loop *loop, struct ev_timer *t);
bool	ev_timer_pending(const struct ev_timer *t);

/* A listening socket whose accept(2) failed for want of file descriptors
 * stays readable: a level-triggered loop would call it again at once,
 * forever.  ev_fd_pause() stops watching fd for ms, then watches it again
 * with the events it had; ev_fd_pause_cancel() before fd is closed. */
struct ev_fd_pause {
	struct ev_timer	 timer;
	struct ev_loop	*loop;
	int		 fd;
	unsigned	 events;
};

void	ev_fd_pause_init(struct ev_fd_pause *p);
int	ev_fd_pause(struct ev_loop *loop, struct ev_fd_pause *p, int fd, int64_t ms);
void	ev_fd_pause_cancel(struct ev_fd_pause *p);

/* Deliver signo through the loop (it is blocked for normal delivery). */
int	ev_signal_add(struct ev_loop *loop, int signo, ev_signal_cb *cb, void *arg);

/* Run until ev_stop(); returns 0, or -1 if epoll_wait fails. */
int	ev_run(struct ev_loop *loop);
/* One pass: wait at most max_wait_ms (-1: until the next timer). */
int	ev_run_once(struct ev_loop *loop, int max_wait_ms);
void	ev_stop(struct ev_loop *loop);

/* Monotonic milliseconds, as cached at the start of this pass. */
int64_t	ev_now(const struct ev_loop *loop);
/* Read the clock again (for long callbacks). */
int64_t	ev_now_update(struct ev_loop *loop);

#endif
