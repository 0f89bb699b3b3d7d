/* Unit tests of the forwarder's buffer and pipe pools (splice/l7_buf.c):
 * a put() always pools, a trim releases only what no get() needed since
 * the last trim, above L7_POOL_KEEP_FREE. */
#include "config.h"

#include "splice/l7.h"
#include "test/unit/tmain.h"

#define BURST	200

static void
take_bufs(struct l7_bufpool *bp, struct l7_buf **b, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		ck_assert_ptr_nonnull(b[i] = l7_buf_get(bp));
}

static void
give_bufs(struct l7_bufpool *bp, struct l7_buf **b, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		l7_buf_put(bp, b[i]);
}

START_TEST(test_buf_burst_then_idle)
{
	struct l7_bufpool bp = { .size = 1024 };
	struct l7_buf *b[BURST];

	take_bufs(&bp, b, BURST);
	give_bufs(&bp, b, BURST);
	ck_assert_uint_eq(bp.n_free, BURST);	/* every put pooled */
	ck_assert_uint_eq(bp.n_out, 0);
	l7_bufpool_trim(&bp);			/* all were wanted in this period */
	ck_assert_uint_eq(bp.n_free, BURST);
	l7_bufpool_trim(&bp);			/* none in this one */
	ck_assert_uint_eq(bp.n_free, L7_POOL_KEEP_FREE);
	l7_bufpool_trim(&bp);
	ck_assert_uint_eq(bp.n_free, L7_POOL_KEEP_FREE);
	l7_bufpool_drain(&bp);
	ck_assert_uint_eq(bp.n_free, 0);
	ck_assert_ptr_null(bp.free);
}
END_TEST

START_TEST(test_buf_steady_load_keeps_its_peak)
{
	struct l7_bufpool bp = { .size = 1024 };
	struct l7_buf *b[BURST];
	int period;

	take_bufs(&bp, b, BURST);
	give_bufs(&bp, b, BURST);
	for (period = 0; period < 3; period++) {
		/* Use swings between a few and 190 in use each period. */
		take_bufs(&bp, b, 190);
		give_bufs(&bp, b, 190);
		take_bufs(&bp, b, 5);
		give_bufs(&bp, b, 5);
		l7_bufpool_trim(&bp);
		ck_assert_uint_eq(bp.n_free, BURST);
	}
	/* Then a smaller load: of what it never touched, all above
	 * L7_POOL_KEEP_FREE goes; what it uses stays pooled. */
	take_bufs(&bp, b, 100);
	give_bufs(&bp, b, 100);
	l7_bufpool_trim(&bp);
	ck_assert_uint_eq(bp.n_free, 100 + L7_POOL_KEEP_FREE);
	take_bufs(&bp, b, 100);
	give_bufs(&bp, b, 100);
	l7_bufpool_trim(&bp);
	ck_assert_uint_eq(bp.n_free, 100 + L7_POOL_KEEP_FREE);
	l7_bufpool_drain(&bp);
}
END_TEST

START_TEST(test_pipe_pool)
{
	struct l7_pipepool pp = { 0 };
	struct l7_pipe *p[BURST / 2];
	unsigned i;

	for (i = 0; i < BURST / 2; i++)
		ck_assert_ptr_nonnull(p[i] = l7_pipe_get(&pp));
	ck_assert_uint_ge(p[0]->cap, 64 * 1024);
	p[0]->len = 1;				/* holds bytes: closed, not pooled */
	for (i = 0; i < BURST / 2; i++)
		l7_pipe_put(&pp, p[i]);
	ck_assert_uint_eq(pp.n_free, BURST / 2 - 1);
	ck_assert_uint_eq(pp.n_out, 0);
	l7_pipepool_trim(&pp);
	ck_assert_uint_eq(pp.n_free, BURST / 2 - 1);
	ck_assert_ptr_nonnull(p[0] = l7_pipe_get(&pp));	/* low: n - 2 */
	l7_pipe_put(&pp, p[0]);
	l7_pipepool_trim(&pp);
	ck_assert_uint_eq(pp.n_free, L7_POOL_KEEP_FREE + 1);
	l7_pipepool_drain(&pp);
	ck_assert_uint_eq(pp.n_free, 0);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("l7_pool");
	TCase *tc = tcase_create("l7_pool");

	tcase_add_test(tc, test_buf_burst_then_idle);
	tcase_add_test(tc, test_buf_steady_load_keeps_its_peak);
	tcase_add_test(tc, test_pipe_pool);
	suite_add_tcase(s, tc);
	return s;
}
