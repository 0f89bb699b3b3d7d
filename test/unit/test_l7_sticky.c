/* Source persistence table (splice/l7_sticky.c): a client finds its
 * server again within the timeout, not after; use refreshes it; a full
 * table forgets its coldest clients and keeps the recent ones.  For
 * sticky_sync: which entries are news for the peer node, and how the
 * peer's entries are merged (never over a later local one, never longer
 * than the local timeout, within the same bounds). */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>

#include "splice/l7_sticky.h"
#include "test/unit/tmain.h"

static struct kl_addr
addr(const char *s)
{
	struct kl_addr a;

	ck_assert_int_eq(addr_parse(s, &a), 0);
	return a;
}

/* The i-th of many distinct IPv4 clients in 10.0.0.0/8. */
static struct kl_addr
client(unsigned i)
{
	struct kl_addr a = { .family = AF_INET, .prefix = 32 };

	a.u.v4.s_addr = htonl(0x0a000000u | i);
	return a;
}

START_TEST(test_timeout_and_refresh)
{
	struct l7_sticky t;
	struct kl_addr a = addr("192.0.2.50"), b = addr("2001:db8::50");

	ck_assert_int_eq(l7_sticky_init(&t, 1000), 0);
	ck_assert_int_eq(l7_sticky_get(&t, &a, 100), -1);
	l7_sticky_put(&t, &a, 3, 100);
	l7_sticky_put(&t, &b, 7, 100);
	ck_assert_int_eq(l7_sticky_get(&t, &a, 600), 3);	/* and refreshed at 600 */
	ck_assert_int_eq(l7_sticky_get(&t, &a, 1500), 3);	/* 900 ms idle */
	ck_assert_int_eq(l7_sticky_get(&t, &b, 1500), -1);	/* 1400 ms idle */
	ck_assert_uint_eq(l7_sticky_count(&t, 1500), 1);
	l7_sticky_put(&t, &a, 4, 1600);			/* redispatched */
	ck_assert_int_eq(l7_sticky_get(&t, &a, 1700), 4);
	ck_assert_int_eq(l7_sticky_get(&t, &a, 2700), -1);
	l7_sticky_free(&t);
}
END_TEST

START_TEST(test_bounded)
{
	struct l7_sticky t;
	unsigned i, n = 4 * L7_STICKY_SLOTS, recent = L7_STICKY_SLOTS / 4, missing = 0;

	ck_assert_int_eq(l7_sticky_init(&t, 3600000), 0);
	for (i = 0; i < n; i++) {
		struct kl_addr a = client(i);

		l7_sticky_put(&t, &a, i % 10, (int64_t)i + 1);
	}
	ck_assert_uint_le(l7_sticky_count(&t, n), L7_STICKY_SLOTS);
	for (i = n - recent; i < n; i++) {
		struct kl_addr a = client(i);

		if (l7_sticky_get(&t, &a, n + 1) != (int64_t)(i % 10))
			missing++;
	}
	ck_assert_msg(missing == 0, "%u of the %u most recent clients forgotten", missing, recent);
	l7_sticky_free(&t);
}
END_TEST

/* Which entries the peer must hear about. */
START_TEST(test_due)
{
	struct l7_sticky t;
	struct kl_addr a = addr("192.0.2.50");
	struct l7_sticky_entry *e;
	unsigned i;

	ck_assert_int_eq(l7_sticky_init(&t, 1000), 0);
	ck_assert(l7_sticky_put(&t, &a, 3, 100));		/* new */
	ck_assert(!l7_sticky_put(&t, &a, 3, 200));		/* the same server */
	ck_assert(l7_sticky_put(&t, &a, 4, 300));		/* moved */
	for (i = 0, e = NULL; i < L7_STICKY_SLOTS; i++)
		if (t.slot[i].addr.family != 0)
			e = &t.slot[i];
	ck_assert_ptr_nonnull(e);
	ck_assert(l7_sticky_due(&t, e, 300));
	e->peer_until = e->last_ms + 1000;			/* sent: ends at 1300 */
	ck_assert(!l7_sticky_due(&t, e, 400));
	ck_assert_int_eq(l7_sticky_get(&t, &a, 700), 4);	/* refreshed: ends at 1700 */
	ck_assert(!l7_sticky_due(&t, e, 700));			/* the peer's lasts 600 more */
	ck_assert(l7_sticky_due(&t, e, 900));			/* 400: under half the timeout */
	ck_assert(!l7_sticky_due(&t, e, 1800));			/* expired here */
	ck_assert(l7_sticky_put(&t, &a, 4, 2000));		/* expired, then back: new */
	l7_sticky_free(&t);
}
END_TEST

START_TEST(test_merge)
{
	struct l7_sticky t;
	struct kl_addr a = addr("192.0.2.50"), b = addr("2001:db8::50");
	unsigned i;

	ck_assert_int_eq(l7_sticky_init(&t, 1000), 0);
	ck_assert(l7_sticky_merge(&t, &a, 5, 600, 10000));
	ck_assert_int_eq(l7_sticky_get(&t, &a, 10500), 5);	/* refreshed at 10500 */
	ck_assert(!l7_sticky_merge(&t, &a, 6, 900, 10500));	/* ours ends later */
	ck_assert(l7_sticky_merge(&t, &a, 6, 1000, 10600));	/* the peer's later */
	ck_assert_int_eq(l7_sticky_get(&t, &a, 10700), 6);
	ck_assert(!l7_sticky_merge(&t, &b, 1, 0, 10700));	/* dead already */
	ck_assert(l7_sticky_merge(&t, &b, 1, 3600000, 10700));	/* capped at the timeout */
	ck_assert_int_eq(l7_sticky_get(&t, &b, 11600), 1);
	ck_assert_int_eq(l7_sticky_get(&t, &b, 12700), -1);
	/* Merged entries are not news for the peer they came from. */
	for (i = 0; i < L7_STICKY_SLOTS; i++)
		if (t.slot[i].addr.family != 0)
			ck_assert(!l7_sticky_due(&t, &t.slot[i], 10700));
	l7_sticky_free(&t);
}
END_TEST

/* A peer's flood stays within the table's slots. */
START_TEST(test_merge_bounded)
{
	struct l7_sticky t;
	unsigned i, n = 4 * L7_STICKY_SLOTS;

	ck_assert_int_eq(l7_sticky_init(&t, 3600000), 0);
	for (i = 0; i < n; i++) {
		struct kl_addr a = client(i);

		l7_sticky_merge(&t, &a, i % 10, 3600000, (int64_t)i + 1);
	}
	ck_assert_uint_le(l7_sticky_count(&t, n), L7_STICKY_SLOTS);
	ck_assert_uint_gt(l7_sticky_count(&t, n), L7_STICKY_SLOTS / 2);
	l7_sticky_free(&t);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("l7_sticky");
	TCase *tc = tcase_create("l7_sticky");

	tcase_add_test(tc, test_timeout_and_refresh);
	tcase_add_test(tc, test_bounded);
	tcase_add_test(tc, test_due);
	tcase_add_test(tc, test_merge);
	tcase_add_test(tc, test_merge_bounded);
	suite_add_tcase(s, tc);
	return s;
}
