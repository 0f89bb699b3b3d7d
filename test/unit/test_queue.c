/* The FIFO of waiting requests (splice/queue.c): arrival order, the
 * bound, removal from anywhere (a client that closes while it waits),
 * and expiry after the timeout, oldest first and never early. */
#include "config.h"

#include "splice/queue.h"
#include "test/unit/tmain.h"

#define N	8

/* Pop the head (no expiry: a slot came free); its index in e[], -1. */
static int
take(struct queue *q, struct queue_entry *e)
{
	struct queue_entry *h = queue_head(q);

	if (h == NULL)
		return -1;
	queue_remove(q, h);
	return (int)(h - e);
}

START_TEST(test_fifo_order)
{
	struct queue q;
	struct queue_entry e[N] = { 0 };
	int i;

	queue_init(&q, N);
	ck_assert_int_eq(take(&q, e), -1);
	for (i = 0; i < N; i++)
		ck_assert_int_eq(queue_push(&q, &e[i], 100 + i), 0);
	ck_assert_uint_eq(q.len, N);
	for (i = 0; i < N; i++)
		ck_assert_int_eq(take(&q, e), i);
	ck_assert_uint_eq(q.len, 0);
	ck_assert_ptr_null(queue_head(&q));
	/* Reusable once out, in a new order. */
	ck_assert_int_eq(queue_push(&q, &e[5], 200), 0);
	ck_assert_int_eq(queue_push(&q, &e[2], 201), 0);
	ck_assert_int_eq(take(&q, e), 5);
	ck_assert_int_eq(take(&q, e), 2);
}
END_TEST

START_TEST(test_bound)
{
	struct queue q;
	struct queue_entry e[4] = { 0 };

	queue_init(&q, 3);
	ck_assert_int_eq(queue_push(&q, &e[0], 0), 0);
	ck_assert_int_eq(queue_push(&q, &e[1], 0), 0);
	ck_assert_int_eq(queue_push(&q, &e[2], 0), 0);
	ck_assert_int_eq(queue_push(&q, &e[3], 0), -1);		/* full */
	ck_assert(!e[3].linked);
	ck_assert_uint_eq(q.len, 3);
	ck_assert_int_eq(queue_push(&q, &e[1], 0), -1);		/* already in */
	ck_assert_int_eq(take(&q, e), 0);
	ck_assert_int_eq(queue_push(&q, &e[3], 0), 0);		/* room again */
	ck_assert_int_eq(take(&q, e), 1);
	ck_assert_int_eq(take(&q, e), 2);
	ck_assert_int_eq(take(&q, e), 3);
	queue_init(&q, 0);					/* no room at all */
	ck_assert_int_eq(queue_push(&q, &e[0], 0), -1);
}
END_TEST

START_TEST(test_remove_anywhere)
{
	struct queue q;
	struct queue_entry e[5] = { 0 };
	int i;

	queue_init(&q, 5);
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(queue_push(&q, &e[i], i), 0);
	queue_remove(&q, &e[2]);		/* middle */
	queue_remove(&q, &e[0]);		/* head */
	queue_remove(&q, &e[4]);		/* tail */
	queue_remove(&q, &e[4]);		/* twice: nothing */
	ck_assert_uint_eq(q.len, 2);
	ck_assert_ptr_eq(q.newest, &e[3]);
	ck_assert_int_eq(take(&q, e), 1);
	ck_assert_int_eq(take(&q, e), 3);
	ck_assert_ptr_null(q.newest);
	queue_remove(&q, &e[1]);		/* not in a queue */
	ck_assert_uint_eq(q.len, 0);
	/* The last one out of a queue of one. */
	ck_assert_int_eq(queue_push(&q, &e[0], 0), 0);
	queue_remove(&q, &e[0]);
	ck_assert_ptr_null(q.oldest);
	ck_assert_ptr_null(q.newest);
}
END_TEST

START_TEST(test_timeout)
{
	struct queue q;
	struct queue_entry e[3] = { 0 };

	queue_init(&q, 3);
	ck_assert_ptr_null(queue_pop_expired(&q, 0, 100));
	ck_assert_int_eq(queue_next_expiry(&q, 0, 100), -1);
	ck_assert_int_eq(queue_push(&q, &e[0], 1000), 0);
	ck_assert_int_eq(queue_push(&q, &e[1], 1040), 0);
	ck_assert_int_eq(queue_push(&q, &e[2], 1090), 0);
	ck_assert_int_eq(queue_next_expiry(&q, 1010, 100), 90);
	ck_assert_ptr_null(queue_pop_expired(&q, 1099, 100));	/* 1 ms early */
	ck_assert_ptr_eq(queue_pop_expired(&q, 1100, 100), &e[0]);
	ck_assert_ptr_null(queue_pop_expired(&q, 1100, 100));	/* e[1] waited 60 */
	ck_assert_int_eq(queue_next_expiry(&q, 1100, 100), 40);
	/* Late: all that expired go, oldest first; the rest stays. */
	queue_remove(&q, &e[1]);
	ck_assert_int_eq(queue_push(&q, &e[1], 1150), 0);
	ck_assert_ptr_eq(queue_pop_expired(&q, 1260, 100), &e[2]);
	ck_assert_ptr_eq(queue_pop_expired(&q, 1260, 100), &e[1]);
	ck_assert_ptr_null(queue_pop_expired(&q, 1260, 100));
	ck_assert_uint_eq(q.len, 0);
	/* Overdue: the next expiry is now, not negative. */
	ck_assert_int_eq(queue_push(&q, &e[0], 0), 0);
	ck_assert_int_eq(queue_next_expiry(&q, 5000, 100), 0);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("queue");
	TCase *tc = tcase_create("queue");

	tcase_add_test(tc, test_fifo_order);
	tcase_add_test(tc, test_bound);
	tcase_add_test(tc, test_remove_anywhere);
	tcase_add_test(tc, test_timeout);
	suite_add_tcase(s, tc);
	return s;
}
