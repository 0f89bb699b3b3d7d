/* Unit tests of lib/ev.c: timer heap, fd readiness, signals, stopping.
 *
 * Every wait is a bounded ev_run_once() loop with a deadline, so a broken
 * loop fails a test instead of hanging it. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/ev.h"
#include "test/unit/tmain.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define DEADLINE_MS	2000

static struct ev_loop *loop;

static void
loop_setup(void)
{
	loop = ev_new();
	ck_assert_ptr_nonnull(loop);
}

static void
loop_teardown(void)
{
	ev_free(loop);
	loop = NULL;
}

/* Run passes until *done is true or DEADLINE_MS have passed; returns *done. */
static bool
run_until(const bool *done)
{
	int64_t end = ev_now_update(loop) + DEADLINE_MS;

	while (!*done && ev_now(loop) < end)
		ck_assert_int_eq(ev_run_once(loop, 50), 0);
	return *done;
}

/* Run passes for about ms milliseconds (for "nothing else happens"). */
static void
run_for(int64_t ms)
{
	int64_t end = ev_now_update(loop) + ms;

	while (ev_now(loop) < end)
		ck_assert_int_eq(ev_run_once(loop, (int)(end - ev_now(loop))), 0);
}

/* Timers -------------------------------------------------------------------------- */

/* Each fired timer appends its id here. */
struct fired {
	int	 ids[2048];
	int	 n;
	bool	 done;
	int	 want;		/* done once n reaches it */
};

static struct fired fired;

struct tt {
	struct ev_timer	 t;
	int		 id;
	int		 count;
	int64_t		 started;	/* ev_now() when armed */
	int64_t		 delay;
	struct tt	*victim;	/* stopped by this one's callback */
	int		 rearm;		/* times to re-arm from its own callback */
	int64_t		 rearm_ms;
};

static void
record_cb(struct ev_loop *l, struct ev_timer *t, void *arg)
{
	struct tt *x = arg;

	ck_assert_ptr_eq(&x->t, t);
	ck_assert(!ev_timer_pending(t));
	/* Never early: the pass's clock is at or after the expiry. */
	ck_assert_int_ge(ev_now(l), t->when);
	ck_assert_int_ge(ev_now(l) - x->started, x->delay);
	x->count++;
	ck_assert_int_lt(fired.n, (int)NELEM(fired.ids));
	fired.ids[fired.n++] = x->id;
	if (x->victim != NULL)
		ev_timer_stop(l, &x->victim->t);
	if (x->rearm > 0) {
		x->rearm--;
		x->started = ev_now(l);
		x->delay = x->rearm_ms;
		ck_assert_int_eq(ev_timer_start(l, t, x->rearm_ms), 0);
	}
	if (fired.n >= fired.want)
		fired.done = true;
}

/* Arm x (initialising it the first time: ev_timer_init() on a pending
 * timer would corrupt the heap). */
static void
tt_start(struct tt *x, int id, int64_t ms)
{
	if (x->t.cb == NULL)
		ev_timer_init(&x->t, record_cb, x);
	x->id = id;
	x->started = ev_now(loop);
	x->delay = ms;
	ck_assert_int_eq(ev_timer_start(loop, &x->t, ms), 0);
	ck_assert(ev_timer_pending(&x->t));
}

static void
fired_expect(int want)
{
	memset(&fired, 0, sizeof(fired));
	fired.want = want;
}

START_TEST(test_timer_order)
{
	struct tt x[4] = { 0 };

	fired_expect(4);
	tt_start(&x[0], 0, 40);
	tt_start(&x[1], 1, 10);
	tt_start(&x[2], 2, 30);
	tt_start(&x[3], 3, 20);
	ck_assert(run_until(&fired.done));
	ck_assert_int_eq(fired.n, 4);
	ck_assert_int_eq(fired.ids[0], 1);
	ck_assert_int_eq(fired.ids[1], 3);
	ck_assert_int_eq(fired.ids[2], 2);
	ck_assert_int_eq(fired.ids[3], 0);
}
END_TEST

START_TEST(test_timer_fifo_equal_expiry)
{
	struct tt x[8] = { 0 };
	int i;

	fired_expect(8);
	for (i = 0; i < 8; i++)
		tt_start(&x[i], i, 15);
	ck_assert(run_until(&fired.done));
	for (i = 0; i < 8; i++)
		ck_assert_int_eq(fired.ids[i], i);
}
END_TEST

START_TEST(test_timer_zero_and_negative_delay)
{
	struct tt a = { 0 }, b = { 0 };

	fired_expect(2);
	tt_start(&a, 0, 0);
	tt_start(&b, 1, -5);	/* treated as 0, not as the past */
	b.delay = 0;
	ck_assert_int_eq(b.t.when, a.t.when);
	ck_assert_int_eq(ev_run_once(loop, 0), 0);
	ck_assert_int_eq(fired.n, 2);
	ck_assert_int_eq(fired.ids[0], 0);
	ck_assert_int_eq(fired.ids[1], 1);
}
END_TEST

START_TEST(test_timer_stop_and_restart)
{
	struct tt a = { 0 }, b = { 0 };

	fired_expect(2);
	tt_start(&a, 0, 10);
	tt_start(&b, 1, 20);
	ev_timer_stop(loop, &a.t);
	ck_assert(!ev_timer_pending(&a.t));
	ev_timer_stop(loop, &a.t);		/* stopping twice is harmless */
	ck_assert(!ev_timer_pending(&a.t));
	/* Restarting a pending timer moves it instead of adding it twice. */
	tt_start(&b, 1, 5);
	tt_start(&a, 0, 30);
	ck_assert(run_until(&fired.done));
	run_for(40);
	ck_assert_int_eq(fired.n, 2);
	ck_assert_int_eq(fired.ids[0], 1);
	ck_assert_int_eq(fired.ids[1], 0);
	ck_assert_int_eq(a.count, 1);
	ck_assert_int_eq(b.count, 1);
}
END_TEST

/* Re-arming a pending timer later leaves it in the heap until its old
 * expiry, then moves it: it still fires once, at the new time, in order;
 * re-arming it earlier than its place moves it at once. */
START_TEST(test_timer_rearm_later_and_earlier)
{
	struct tt a = { 0 }, b = { 0 }, c = { 0 };

	fired_expect(3);
	tt_start(&a, 0, 10);
	tt_start(&b, 1, 25);
	tt_start(&c, 2, 30);
	tt_start(&a, 0, 20);		/* later, twice: in place */
	tt_start(&a, 0, 40);
	ck_assert_int_eq(a.t.key, a.t.when - 30);
	tt_start(&c, 2, 5);		/* earlier: moved now */
	ck_assert(run_until(&fired.done));
	run_for(20);
	ck_assert_int_eq(fired.n, 3);
	ck_assert_int_eq(fired.ids[0], 2);
	ck_assert_int_eq(fired.ids[1], 1);
	ck_assert_int_eq(fired.ids[2], 0);
	ck_assert_int_eq(a.count, 1);
	ck_assert(!ev_timer_pending(&a.t));
}
END_TEST

START_TEST(test_timer_stopped_by_other_callback)
{
	struct tt a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 };

	fired_expect(2);
	tt_start(&a, 0, 10);
	tt_start(&b, 1, 10);	/* due in the same pass as a */
	tt_start(&c, 2, 30);
	tt_start(&d, 3, 40);
	a.victim = &b;
	c.victim = NULL;
	ck_assert(run_until(&fired.done));	/* a and d */
	ck_assert_int_eq(b.count, 0);
	ck_assert_int_eq(fired.ids[0], 0);
	ck_assert_int_eq(fired.ids[1], 2);
	/* c stops d (already due later): d never fires. */
	fired_expect(1);
	c.victim = &d;
	tt_start(&c, 2, 5);
	tt_start(&d, 3, 5);
	ck_assert(run_until(&fired.done));
	run_for(60);
	ck_assert_int_eq(fired.n, 1);
	ck_assert_int_eq(d.count, 0);
	ck_assert(!ev_timer_pending(&d.t));
}
END_TEST

START_TEST(test_timer_rearm_from_callback)
{
	struct tt a = { 0 };

	fired_expect(4);
	tt_start(&a, 7, 5);
	a.rearm = 3;
	a.rearm_ms = 5;
	ck_assert(run_until(&fired.done));
	ck_assert_int_eq(a.count, 4);
	ck_assert(!ev_timer_pending(&a.t));
}
END_TEST

/* A timer re-armed for "now" from its callback waits for the next pass,
 * so it cannot starve fd events. */
START_TEST(test_timer_zero_rearm_next_pass)
{
	struct tt a = { 0 };

	fired_expect(100);
	tt_start(&a, 1, 0);
	a.rearm = 10;
	a.rearm_ms = 0;
	ck_assert_int_eq(ev_run_once(loop, 0), 0);
	ck_assert_int_eq(a.count, 1);
	ck_assert(ev_timer_pending(&a.t));
	ck_assert_int_eq(ev_run_once(loop, 0), 0);
	ck_assert_int_eq(a.count, 2);
}
END_TEST

/* A deterministic generator, so a failure can be replayed. */
static uint32_t
rnd(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 8;
}

#define STRESS_N	1000

START_TEST(test_timer_heap_stress)
{
	static struct tt x[STRESS_N];
	uint32_t seed = 42u + (uint32_t)_i;
	bool cancelled[STRESS_N] = { false };
	int i, live = STRESS_N;

	memset(x, 0, sizeof(x));
	for (i = 0; i < STRESS_N; i++)
		tt_start(&x[i], i, rnd(&seed) % 60);
	/* Cancel a third at random, some of them twice. */
	for (i = 0; i < STRESS_N / 3; i++) {
		int k = (int)(rnd(&seed) % STRESS_N);

		ev_timer_stop(loop, &x[k].t);
		if (!cancelled[k])
			live--;
		cancelled[k] = true;
	}
	/* Re-arm a few, which moves them within the heap. */
	for (i = 0; i < 50; i++) {
		int k = (int)(rnd(&seed) % STRESS_N);

		tt_start(&x[k], k, rnd(&seed) % 60);
		if (cancelled[k])
			live++;
		cancelled[k] = false;
	}
	fired_expect(live);
	ck_assert(run_until(&fired.done));
	ck_assert_int_eq(fired.n, live);
	/* Fired in (expiry, start order) order; each live one once. */
	for (i = 1; i < fired.n; i++) {
		const struct ev_timer *p = &x[fired.ids[i - 1]].t, *q = &x[fired.ids[i]].t;

		ck_assert_msg(p->when < q->when || (p->when == q->when && p->seq < q->seq),
		    "timer %d fired after %d out of order", fired.ids[i], fired.ids[i - 1]);
	}
	for (i = 0; i < STRESS_N; i++)
		ck_assert_int_eq(x[i].count, cancelled[i] ? 0 : 1);
}
END_TEST

/* Cancelling from callbacks while the heap drains. */
static struct tt chain[200];

static void
chain_cb(struct ev_loop *l, struct ev_timer *t, void *arg)
{
	struct tt *x = arg;
	int next = x->id + 1;

	x->count++;
	fired.ids[fired.n++] = x->id;
	/* Each timer cancels the one after the next. */
	if (next + 1 < (int)NELEM(chain))
		ev_timer_stop(l, &chain[next + 1].t);
	if (fired.n >= fired.want)
		fired.done = true;
}

START_TEST(test_timer_cancel_while_draining)
{
	int i;

	memset(chain, 0, sizeof(chain));
	for (i = 0; i < (int)NELEM(chain); i++) {
		ev_timer_init(&chain[i].t, chain_cb, &chain[i]);
		chain[i].id = i;
		ck_assert_int_eq(ev_timer_start(loop, &chain[i].t, i % 3), 0);
	}
	fired_expect(1000);
	run_for(30);
	/* Whatever order they fire in, a fired timer's successor-but-one never
	 * fires afterwards, and no timer fires twice. */
	for (i = 0; i < (int)NELEM(chain); i++) {
		ck_assert_int_le(chain[i].count, 1);
		ck_assert(!ev_timer_pending(&chain[i].t));
	}
	for (i = 0; i < fired.n; i++) {
		int k = fired.ids[i], j;

		for (j = i + 1; j < fired.n; j++)
			ck_assert_int_ne(fired.ids[j], k + 2);
	}
	ck_assert_int_gt(fired.n, 0);
}
END_TEST

/* The next timer bounds the wait, max_wait_ms bounds it further. */
START_TEST(test_run_once_wait_bounds)
{
	struct tt a = { 0 };
	int64_t t0;

	fired_expect(1);
	t0 = ev_now_update(loop);
	ck_assert_int_eq(ev_run_once(loop, 20), 0);
	ck_assert_int_ge(ev_now(loop) - t0, 20);
	ck_assert_int_lt(ev_now(loop) - t0, 1000);

	tt_start(&a, 0, 30);
	t0 = ev_now(loop);
	ck_assert_int_eq(ev_run_once(loop, 0), 0);	/* does not wait */
	ck_assert_int_eq(a.count, 0);
	ck_assert_int_eq(ev_run_once(loop, -1), 0);	/* waits for the timer */
	ck_assert_int_eq(a.count, 1);
	ck_assert_int_ge(ev_now(loop) - t0, 30);
}
END_TEST

/* File descriptors ------------------------------------------------------------------ */

struct fdrec {
	int		 calls;
	unsigned	 events;
	int		 fd;
	int		 other;		/* fd to remove from the callback, or -1 */
	bool		 stop;		/* ev_stop() from the callback */
	bool		 drain;
};

static void
fd_cb(struct ev_loop *l, int fd, unsigned events, void *arg)
{
	struct fdrec *r = arg;
	char buf[64];

	ck_assert_int_eq(fd, r->fd);
	r->calls++;
	r->events |= events;
	if (r->drain && (events & EV_READ))
		while (read(fd, buf, sizeof(buf)) > 0)
			;
	if (r->other != -1)
		ck_assert_int_eq(ev_fd_del(l, r->other), 0);
	if (r->stop)
		ev_stop(l);
}

static void
pair(int sv[2])
{
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
}

static bool
fd_called(const struct fdrec *r)
{
	return r->calls > 0;
}

/* Run until r's callback ran once (bounded). */
static bool
run_until_called(const struct fdrec *r)
{
	int64_t end = ev_now_update(loop) + DEADLINE_MS;

	while (!fd_called(r) && ev_now(loop) < end)
		ck_assert_int_eq(ev_run_once(loop, 50), 0);
	return fd_called(r);
}

START_TEST(test_fd_read)
{
	struct fdrec r = { .other = -1, .drain = true };
	int sv[2];

	pair(sv);
	r.fd = sv[0];
	ck_assert_int_eq(ev_fd_add(loop, sv[0], EV_READ, fd_cb, &r), 0);
	run_for(20);
	ck_assert_int_eq(r.calls, 0);		/* nothing to read yet */
	ck_assert_int_eq(write(sv[1], "x", 1), 1);
	ck_assert(run_until_called(&r));
	ck_assert_uint_eq(r.events & (EV_READ | EV_WRITE), EV_READ);
	/* Level-triggered and drained: no more calls. */
	r.calls = 0;
	run_for(20);
	ck_assert_int_eq(r.calls, 0);
	ck_assert_int_eq(ev_fd_del(loop, sv[0]), 0);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(test_fd_write_and_mod)
{
	struct fdrec r = { .other = -1, .drain = true };
	int sv[2];

	pair(sv);
	r.fd = sv[0];
	ck_assert_int_eq(ev_fd_add(loop, sv[0], EV_WRITE, fd_cb, &r), 0);
	ck_assert(run_until_called(&r));
	ck_assert_uint_eq(r.events, EV_WRITE);
	/* Switch to read interest: the writable socket goes quiet. */
	ck_assert_int_eq(ev_fd_mod(loop, sv[0], EV_READ), 0);
	ck_assert_int_eq(ev_fd_mod(loop, sv[0], EV_READ), 0);	/* no change */
	r.calls = 0;
	r.events = 0;
	run_for(20);
	ck_assert_int_eq(r.calls, 0);
	ck_assert_int_eq(write(sv[1], "y", 1), 1);
	ck_assert(run_until_called(&r));
	ck_assert_uint_eq(r.events, EV_READ);
	/* Both at once. */
	ck_assert_int_eq(write(sv[1], "z", 1), 1);
	ck_assert_int_eq(ev_fd_mod(loop, sv[0], EV_READ | EV_WRITE), 0);
	r.calls = 0;
	r.events = 0;
	r.drain = false;
	ck_assert(run_until_called(&r));
	ck_assert_uint_eq(r.events & (EV_READ | EV_WRITE), EV_READ | EV_WRITE);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(test_fd_set_handler)
{
	struct fdrec a = { .other = -1, .drain = true }, b = { .other = -1, .drain = true };
	int sv[2];

	pair(sv);
	a.fd = b.fd = sv[0];
	ck_assert_int_eq(ev_fd_set_handler(loop, sv[0], fd_cb, &b), -1);	/* not watched */
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(ev_fd_add(loop, sv[0], EV_READ, fd_cb, &a), 0);
	ck_assert_int_eq(ev_fd_set_handler(loop, sv[0], NULL, &b), -1);
	ck_assert_int_eq(ev_fd_set_handler(loop, sv[0], fd_cb, &b), 0);
	ck_assert_int_eq(write(sv[1], "x", 1), 1);
	ck_assert(run_until_called(&b));
	ck_assert_int_eq(a.calls, 0);		/* the new owner got the event */
	ck_assert_uint_eq(b.events, EV_READ);
	ck_assert_int_eq(ev_fd_del(loop, sv[0]), 0);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(test_fd_pause)
{
	struct fdrec r = { .other = -1 };
	struct ev_fd_pause pause;
	int sv[2];

	pair(sv);
	r.fd = sv[0];
	ev_fd_pause_init(&pause);
	ck_assert_int_eq(ev_fd_pause(loop, &pause, sv[0], 50), -1);	/* not watched */
	ck_assert_int_eq(ev_fd_add(loop, sv[0], EV_READ, fd_cb, &r), 0);
	/* Readable and never drained: level-triggered, it fires every pass. */
	ck_assert_int_eq(write(sv[1], "x", 1), 1);
	ck_assert(run_until_called(&r));
	ck_assert_int_eq(ev_fd_pause(loop, &pause, sv[0], 60), 0);
	r.calls = 0;
	run_for(30);
	ck_assert_int_eq(r.calls, 0);		/* paused */
	ck_assert(run_until_called(&r));	/* then watched again */
	/* Cancelled, a pause does not come back. */
	ck_assert_int_eq(ev_fd_pause(loop, &pause, sv[0], 20), 0);
	ev_fd_pause_cancel(&pause);
	r.calls = 0;
	run_for(60);
	ck_assert_int_eq(r.calls, 0);
	ck_assert_int_eq(ev_fd_del(loop, sv[0]), 0);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(test_fd_hangup_is_read)
{
	struct fdrec r = { .other = -1 };
	char c;
	int sv[2];

	pair(sv);
	r.fd = sv[0];
	ck_assert_int_eq(ev_fd_add(loop, sv[0], EV_READ, fd_cb, &r), 0);
	close(sv[1]);
	ck_assert(run_until_called(&r));
	ck_assert(r.events & EV_READ);
	ck_assert_int_eq(read(sv[0], &c, 1), 0);	/* EOF */
	close(sv[0]);
}
END_TEST

START_TEST(test_fd_errors)
{
	struct fdrec r = { .other = -1 };
	int sv[2];

	pair(sv);
	r.fd = sv[0];
	errno = 0;
	ck_assert_int_eq(ev_fd_add(loop, -1, EV_READ, fd_cb, &r), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(ev_fd_add(loop, sv[0], EV_READ, NULL, &r), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(ev_fd_mod(loop, sv[0], EV_READ), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(ev_fd_del(loop, sv[0]), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(ev_fd_del(loop, 100000), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(ev_fd_add(loop, sv[0], EV_READ, fd_cb, &r), 0);
	ck_assert_int_eq(ev_fd_add(loop, sv[0], EV_READ, fd_cb, &r), -1);
	ck_assert_int_eq(errno, EEXIST);
	ck_assert_int_eq(ev_fd_del(loop, sv[0]), 0);
	ck_assert_int_eq(ev_fd_del(loop, sv[0]), -1);
	/* Removed fds can be added again. */
	ck_assert_int_eq(ev_fd_add(loop, sv[0], EV_WRITE, fd_cb, &r), 0);
	ck_assert(run_until_called(&r));
	close(sv[0]);
	close(sv[1]);
}
END_TEST

/* Two fds ready in the same pass; whichever callback runs first removes the
 * other, whose already-fetched event must then not be delivered. */
START_TEST(test_fd_del_other_in_same_pass)
{
	struct fdrec ra = { .other = -1 }, rb = { .other = -1 };
	int a[2], b[2], pass;

	pair(a);
	pair(b);
	ra.fd = a[0];
	rb.fd = b[0];
	ra.other = b[0];
	rb.other = a[0];
	ck_assert_int_eq(ev_fd_add(loop, a[0], EV_READ, fd_cb, &ra), 0);
	ck_assert_int_eq(ev_fd_add(loop, b[0], EV_READ, fd_cb, &rb), 0);
	ck_assert_int_eq(write(a[1], "a", 1), 1);
	ck_assert_int_eq(write(b[1], "b", 1), 1);
	ck_assert_int_eq(ev_run_once(loop, DEADLINE_MS), 0);
	ck_assert_int_eq(ra.calls + rb.calls, 1);
	/* The survivor stays registered (level-triggered, undrained); the
	 * removed one never comes back. */
	for (pass = 0; pass < 3; pass++) {
		ra.other = rb.other = -1;
		ck_assert_int_eq(ev_run_once(loop, 10), 0);
	}
	ck_assert(ra.calls == 0 || rb.calls == 0);
	ck_assert_int_eq(ra.calls + rb.calls, 4);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
}
END_TEST

START_TEST(test_fd_del_self)
{
	struct fdrec r = { .other = -1 };
	int sv[2];

	pair(sv);
	r.fd = sv[0];
	r.other = sv[0];
	ck_assert_int_eq(ev_fd_add(loop, sv[0], EV_WRITE, fd_cb, &r), 0);
	ck_assert(run_until_called(&r));
	r.other = -1;
	run_for(20);
	ck_assert_int_eq(r.calls, 1);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(test_fd_high_number)
{
	struct fdrec r = { .other = -1 };
	int sv[2], hi;

	pair(sv);
	/* Beyond the initial table size: the fd table grows. */
	hi = dup2(sv[0], 300);
	ck_assert_int_eq(hi, 300);
	r.fd = hi;
	ck_assert_int_eq(ev_fd_add(loop, hi, EV_WRITE, fd_cb, &r), 0);
	ck_assert(run_until_called(&r));
	ck_assert_int_eq(ev_fd_del(loop, hi), 0);
	close(hi);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

/* Signals --------------------------------------------------------------------------- */

struct sigrec {
	int	 calls;
	int	 signo;
	int	 pid;
};

static void
sig_cb(struct ev_loop *l, const struct signalfd_siginfo *si, void *arg)
{
	struct sigrec *s = arg;

	s->calls++;
	s->signo = (int)si->ssi_signo;
	s->pid = (int)si->ssi_pid;
}

static bool
sig_blocked(int signo)
{
	sigset_t cur;

	ck_assert_int_eq(sigprocmask(SIG_BLOCK, NULL, &cur), 0);
	return sigismember(&cur, signo) == 1;
}

static bool
sig_done(const struct sigrec *s)
{
	return s->calls > 0;
}

START_TEST(test_signal_delivery)
{
	struct sigrec u1 = { 0 }, u2 = { 0 };
	int64_t end;

	ck_assert(!sig_blocked(SIGUSR1));
	ck_assert_int_eq(ev_signal_add(loop, SIGUSR1, sig_cb, &u1), 0);
	ck_assert_int_eq(ev_signal_add(loop, SIGUSR2, sig_cb, &u2), 0);
	ck_assert(sig_blocked(SIGUSR1));
	ck_assert(sig_blocked(SIGUSR2));
	ck_assert_int_eq(raise(SIGUSR1), 0);	/* would kill us if not routed */
	end = ev_now_update(loop) + DEADLINE_MS;
	while (!sig_done(&u1) && ev_now(loop) < end)
		ck_assert_int_eq(ev_run_once(loop, 50), 0);
	ck_assert_int_eq(u1.calls, 1);
	ck_assert_int_eq(u1.signo, SIGUSR1);
	ck_assert_int_eq(u1.pid, getpid());
	ck_assert_int_eq(u2.calls, 0);
	ck_assert_int_eq(raise(SIGUSR2), 0);
	end = ev_now_update(loop) + DEADLINE_MS;
	while (!sig_done(&u2) && ev_now(loop) < end)
		ck_assert_int_eq(ev_run_once(loop, 50), 0);
	ck_assert_int_eq(u2.signo, SIGUSR2);
	ck_assert_int_eq(u1.calls, 1);
	/* ev_free() gives the process its signal mask back. */
	ev_free(loop);
	loop = NULL;
	ck_assert(!sig_blocked(SIGUSR1));
	ck_assert(!sig_blocked(SIGUSR2));
}
END_TEST

START_TEST(test_signal_bad_number)
{
	struct sigrec s = { 0 };

	errno = 0;
	ck_assert_int_eq(ev_signal_add(loop, 0, sig_cb, &s), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(ev_signal_add(loop, 65, sig_cb, &s), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(ev_signal_add(loop, -1, sig_cb, &s), -1);
	ck_assert(!sig_blocked(SIGUSR1));
}
END_TEST

/* Stopping -------------------------------------------------------------------------- */

static void
stop_cb(struct ev_loop *l, struct ev_timer *t, void *arg)
{
	int *n = arg;

	(*n)++;
	ev_stop(l);
}

START_TEST(test_stop_from_timer)
{
	struct ev_timer a, b;
	int na = 0, nb = 0;

	ev_timer_init(&a, stop_cb, &na);
	ev_timer_init(&b, stop_cb, &nb);
	ck_assert_int_eq(ev_timer_start(loop, &a, 5), 0);
	ck_assert_int_eq(ev_timer_start(loop, &b, 5), 0);
	/* ev_run() returns after a's callback, before b runs in that pass. */
	ck_assert_int_eq(ev_run(loop), 0);
	ck_assert_int_eq(na, 1);
	ck_assert_int_eq(nb, 0);
	ck_assert(ev_timer_pending(&b));
	/* A new ev_run() clears the stop and carries on with b. */
	ck_assert_int_eq(ev_run(loop), 0);
	ck_assert_int_eq(nb, 1);
	ck_assert(!ev_timer_pending(&b));
}
END_TEST

START_TEST(test_stop_from_fd)
{
	struct fdrec ra = { .other = -1, .stop = true }, rb = { .other = -1, .stop = true };
	struct ev_timer guard;
	int ng = 0, a[2], b[2];

	pair(a);
	pair(b);
	ra.fd = a[0];
	rb.fd = b[0];
	/* Both writable at once: the first callback stops the loop, the
	 * other fd's event of the same pass is not delivered, and a due
	 * timer is not run. */
	ck_assert_int_eq(ev_fd_add(loop, a[0], EV_WRITE, fd_cb, &ra), 0);
	ck_assert_int_eq(ev_fd_add(loop, b[0], EV_WRITE, fd_cb, &rb), 0);
	ev_timer_init(&guard, stop_cb, &ng);
	ck_assert_int_eq(ev_timer_start(loop, &guard, 0), 0);
	ck_assert_int_eq(ev_run(loop), 0);
	ck_assert_int_eq(ra.calls + rb.calls, 1);
	ck_assert_int_eq(ng, 0);
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
}
END_TEST

START_TEST(test_now)
{
	struct timespec ts;
	int64_t a, b, mono;

	a = ev_now(loop);
	ck_assert_int_eq(ev_now(loop), a);	/* cached */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	mono = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	ck_assert_int_le(a, mono);
	b = ev_now_update(loop);
	ck_assert_int_ge(b, mono);
	ck_assert_int_eq(ev_now(loop), b);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("ev");
	TCase *tc;

	tc = tcase_create("timer");
	tcase_add_checked_fixture(tc, loop_setup, loop_teardown);
	tcase_add_test(tc, test_timer_order);
	tcase_add_test(tc, test_timer_fifo_equal_expiry);
	tcase_add_test(tc, test_timer_zero_and_negative_delay);
	tcase_add_test(tc, test_timer_stop_and_restart);
	tcase_add_test(tc, test_timer_rearm_later_and_earlier);
	tcase_add_test(tc, test_timer_stopped_by_other_callback);
	tcase_add_test(tc, test_timer_rearm_from_callback);
	tcase_add_test(tc, test_timer_zero_rearm_next_pass);
	tcase_add_loop_test(tc, test_timer_heap_stress, 0, 3);
	tcase_add_test(tc, test_timer_cancel_while_draining);
	tcase_add_test(tc, test_run_once_wait_bounds);
	tcase_add_test(tc, test_now);
	suite_add_tcase(s, tc);

	tc = tcase_create("fd");
	tcase_add_checked_fixture(tc, loop_setup, loop_teardown);
	tcase_add_test(tc, test_fd_read);
	tcase_add_test(tc, test_fd_write_and_mod);
	tcase_add_test(tc, test_fd_set_handler);
	tcase_add_test(tc, test_fd_pause);
	tcase_add_test(tc, test_fd_hangup_is_read);
	tcase_add_test(tc, test_fd_errors);
	tcase_add_test(tc, test_fd_del_other_in_same_pass);
	tcase_add_test(tc, test_fd_del_self);
	tcase_add_test(tc, test_fd_high_number);
	suite_add_tcase(s, tc);

	tc = tcase_create("signal");
	tcase_add_checked_fixture(tc, loop_setup, loop_teardown);
	tcase_add_test(tc, test_signal_delivery);
	tcase_add_test(tc, test_signal_bad_number);
	tcase_add_test(tc, test_stop_from_timer);
	tcase_add_test(tc, test_stop_from_fd);
	suite_add_tcase(s, tc);
	return s;
}
