/* Unit tests of lib/starve.c: a spell of out-of-fd pauses is reported
 * once when it starts and once, with its count, when a second passes
 * without a pause. */
#include "config.h"

#include "lib/starve.h"
#include "test/unit/tmain.h"

START_TEST(test_spell)
{
	struct starve s = { 0 };

	ck_assert_uint_eq(starve_ok(&s, 0), 0);		/* never starved */
	ck_assert(starve_hit(&s, 1000));		/* a spell starts */
	ck_assert_uint_eq(starve_ok(&s, 1010), 0);	/* too soon */
	ck_assert(!starve_hit(&s, 1020));		/* the same spell */
	ck_assert_uint_eq(starve_ok(&s, 1030), 0);
	ck_assert(!starve_hit(&s, 1900));
	ck_assert_uint_eq(starve_ok(&s, 2899), 0);	/* 999 ms since the last */
	ck_assert_uint_eq(starve_ok(&s, 2900), 3);	/* over: 3 pauses */
	ck_assert_uint_eq(starve_ok(&s, 5000), 0);	/* said once */
	ck_assert(starve_hit(&s, 6000));		/* a new spell */
	ck_assert_uint_eq(starve_ok(&s, 7000), 1);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("starve");
	TCase *tc = tcase_create("starve");

	tcase_add_test(tc, test_spell);
	suite_add_tcase(s, tc);
	return s;
}
