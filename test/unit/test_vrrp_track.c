/* Tracking: keepalived's weight rules, the priority clamp, and the
 * rise/fall counting of vrrp_script results. */
#include "config.h"

#include "vrrp/vrrp_track.h"
#include "test/unit/tmain.h"

/* weight, reverse, good -> fault, delta */
static const struct {
	int	weight;
	bool	reverse, good;
	bool	fault;
	int	delta;
} effects[] = {
	{ 0, false, true, false, 0 },	/* weight 0: bad means FAULT */
	{ 0, false, false, true, 0 },
	{ 0, true, true, true, 0 },	/* reverse: good is bad */
	{ 0, true, false, false, 0 },
	{ 20, false, true, false, 20 },	/* positive: added while good */
	{ 20, false, false, false, 0 },
	{ 20, true, false, false, 20 },
	{ -30, false, true, false, 0 },	/* negative: added while bad */
	{ -30, false, false, false, -30 },
	{ -30, true, true, false, -30 },
};

START_TEST(test_effect)
{
	struct vrrp_track_effect e = vrrp_track_effect(effects[_i].weight, effects[_i].reverse,
	    effects[_i].good);

	ck_assert_int_eq(e.fault, effects[_i].fault);
	ck_assert_int_eq(e.delta, effects[_i].delta);
}
END_TEST

START_TEST(test_priority_clamp)
{
	ck_assert_uint_eq(vrrp_track_priority(100, 0), 100);
	ck_assert_uint_eq(vrrp_track_priority(100, -60), 40);
	ck_assert_uint_eq(vrrp_track_priority(100, -200), 1);
	ck_assert_uint_eq(vrrp_track_priority(200, 100), 254);
	ck_assert_uint_eq(vrrp_track_priority(255, -100), 255);	/* owner keeps 255 */
}
END_TEST

static int changes;

static void
count_change(void *ctx, struct vrrp_script_rt *s)
{
	changes++;
}

static struct vrrp_script_rt *
script(unsigned rise, unsigned fall, bool init_fail)
{
	static struct conf_vrrp_script c;
	static struct vrrp_script_rt s;

	c = (struct conf_vrrp_script){ .name = "chk", .script = "true", .interval_ms = 1000,
	    .timeout_ms = 1000, .rise = rise, .fall = fall, .init_fail = init_fail };
	changes = 0;
	vrrp_script_init(&s, &c, NULL, NULL, count_change, NULL);
	return &s;
}

START_TEST(test_fall_then_rise)
{
	struct vrrp_script_rt *s = script(3, 2, false);

	ck_assert(s->good);
	vrrp_script_result(s, false);
	ck_assert(s->good);			/* 1 failure < fall 2 */
	vrrp_script_result(s, true);		/* a success resets the streak */
	vrrp_script_result(s, false);
	ck_assert(s->good);
	vrrp_script_result(s, false);
	ck_assert(!s->good);
	ck_assert_int_eq(changes, 1);
	vrrp_script_result(s, true);
	vrrp_script_result(s, true);
	ck_assert(!s->good);			/* 2 successes < rise 3 */
	vrrp_script_result(s, true);
	ck_assert(s->good);
	ck_assert_int_eq(changes, 2);
}
END_TEST

START_TEST(test_init_fail)
{
	struct vrrp_script_rt *s = script(1, 1, true);

	ck_assert(!s->good);
	vrrp_script_result(s, true);
	ck_assert(s->good);
	ck_assert_int_eq(changes, 1);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("vrrp_track");
	TCase *tc = tcase_create("track");

	tcase_add_loop_test(tc, test_effect, 0, (int)(sizeof(effects) / sizeof(effects[0])));
	tcase_add_test(tc, test_priority_clamp);
	tcase_add_test(tc, test_fall_then_rise);
	tcase_add_test(tc, test_init_fail);
	suite_add_tcase(s, tc);
	return s;
}
