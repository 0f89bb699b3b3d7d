/* Source persistence table (splice/l7_sticky.c): a client finds its
 * server again within the timeout, not after; use refreshes it; a full
 * table forgets its coldest clients and keeps the recent ones. */
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

Suite *
test_suite(void)
{
	Suite *s = suite_create("l7_sticky");
	TCase *tc = tcase_create("l7_sticky");

	tcase_add_test(tc, test_timeout_and_refresh);
	tcase_add_test(tc, test_bounded);
	suite_add_tcase(s, tc);
	return s;
}
