/* The VRRP state machine, driven by synthetic events with a fake clock:
 * every transition of RFC 5798 6.4 plus keepalived's extensions. */
#include "config.h"

#include <string.h>

#include "vrrp/vrrp_fsm.h"
#include "vrrp/vrrp_packet.h"
#include "test/unit/tmain.h"

/* What the machine asked for, in order. */
struct rec {
	int		adverts;
	int		last_prio;
	int		vips_up;
	int		vips_down;
	int		announces;
	int64_t		timer[2];	/* armed delay, -1 cancelled, -2 untouched */
	enum vrrp_state	last_from, last_to;
	int		changes;
};

static void r_send(void *c, uint8_t p) { struct rec *r = c; r->adverts++; r->last_prio = p; }
static void r_up(void *c) { ((struct rec *)c)->vips_up++; }
static void r_down(void *c) { ((struct rec *)c)->vips_down++; }
static void r_announce(void *c) { ((struct rec *)c)->announces++; }
static void r_timer(void *c, enum vrrp_timer_id id, int64_t ms) { ((struct rec *)c)->timer[id] = ms; }

static void
r_changed(void *c, enum vrrp_state from, enum vrrp_state to, const char *why)
{
	struct rec *r = c;

	r->last_from = from;
	r->last_to = to;
	r->changes++;
}

static const struct vrrp_fsm_ops rec_ops = {
	.send_advert = r_send, .vips_up = r_up, .vips_down = r_down,
	.announce = r_announce, .timer = r_timer, .changed = r_changed,
};

static struct rec R;
static struct vrrp_fsm F;
static struct kl_addr ME, LOWER, HIGHER;

static void
reset_rec(void)
{
	memset(&R, 0, sizeof(R));
	R.timer[0] = R.timer[1] = -2;
}

/* A fresh machine: version, interval (cs), priority, preempt, delay. */
static void
setup(unsigned version, uint16_t int_cs, uint8_t prio, bool preempt, uint32_t delay_ms)
{
	struct vrrp_fsm_conf c = {
		.version = version, .advert_int_cs = int_cs, .preempt = preempt,
		.preempt_delay_ms = delay_ms, .down_timer_adverts = 3,
	};

	addr_parse("192.0.2.10", &ME);
	addr_parse("192.0.2.5", &LOWER);
	addr_parse("192.0.2.20", &HIGHER);
	c.primary = ME;
	reset_rec();
	vrrp_fsm_init(&F, &c, prio, &rec_ops, &R);
}

static void
start_backup(void)
{
	setup(3, 100, 100, true, 0);
	vrrp_fsm_startup(&F, 0);
	ck_assert_int_eq(F.state, VRRP_STATE_BACKUP);
	reset_rec();
}

static void
start_master(void)
{
	start_backup();
	vrrp_fsm_timer_expired(&F, VRRP_TIMER_MASTER_DOWN, 3600);
	ck_assert_int_eq(F.state, VRRP_STATE_MASTER);
	reset_rec();
}

START_TEST(test_timers_v3)
{
	setup(3, 100, 100, true, 0);
	/* Skew = (256-100)*100/256 cs = 60 cs; down = 3*100 + 60 cs. */
	ck_assert_int_eq(vrrp_fsm_skew_ms(&F), 600);
	ck_assert_int_eq(vrrp_fsm_master_down_ms(&F), 3600);
	setup(3, 10, 100, true, 0);
	/* advert_int 0.1: a backup takes over within 0.36 s. */
	ck_assert_int_eq(vrrp_fsm_master_down_ms(&F), 360);
	setup(3, 100, 254, true, 0);
	ck_assert_int_eq(vrrp_fsm_skew_ms(&F), 0);
}
END_TEST

START_TEST(test_timers_v2)
{
	setup(2, 100, 100, true, 0);
	/* RFC 3768: Skew = (256-100)/256 s. */
	ck_assert_int_eq(vrrp_fsm_skew_ms(&F), 609);
	ck_assert_int_eq(vrrp_fsm_master_down_ms(&F), 3609);
}
END_TEST

START_TEST(test_startup_backup)
{
	setup(3, 100, 100, true, 0);
	vrrp_fsm_startup(&F, 0);
	ck_assert_int_eq(F.state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(R.timer[VRRP_TIMER_MASTER_DOWN], 3600);
	ck_assert_int_eq(R.adverts, 0);
	ck_assert_int_eq(R.vips_up, 0);
}
END_TEST

START_TEST(test_startup_owner)
{
	setup(3, 100, VRRP_PRIO_OWNER, true, 0);
	vrrp_fsm_startup(&F, 0);
	ck_assert_int_eq(F.state, VRRP_STATE_MASTER);
	ck_assert_int_eq(R.adverts, 1);
	ck_assert_int_eq(R.last_prio, 255);
	ck_assert_int_eq(R.vips_up, 1);
	ck_assert_int_eq(R.timer[VRRP_TIMER_ADVER], 1000);
	ck_assert_int_eq(F.stats.became_master, 1);
}
END_TEST

START_TEST(test_startup_state_master)
{
	setup(3, 100, 100, true, 0);
	F.conf.initial_master = true;
	vrrp_fsm_startup(&F, 0);
	ck_assert_int_eq(F.state, VRRP_STATE_MASTER);
	ck_assert_int_eq(R.vips_up, 1);
}
END_TEST

START_TEST(test_master_down_makes_master)
{
	start_backup();
	vrrp_fsm_timer_expired(&F, VRRP_TIMER_MASTER_DOWN, 3600);
	ck_assert_int_eq(F.state, VRRP_STATE_MASTER);
	ck_assert_int_eq(R.adverts, 1);
	ck_assert_int_eq(R.last_prio, 100);
	ck_assert_int_eq(R.vips_up, 1);
	ck_assert_int_eq(R.timer[VRRP_TIMER_ADVER], 1000);
	ck_assert_int_eq(R.timer[VRRP_TIMER_MASTER_DOWN], -1);
	ck_assert_int_eq(R.last_from, VRRP_STATE_BACKUP);
}
END_TEST

START_TEST(test_backup_accepts_higher)
{
	start_backup();
	vrrp_fsm_advert(&F, 150, 100, &HIGHER, 1000);
	ck_assert_int_eq(F.state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(R.timer[VRRP_TIMER_MASTER_DOWN], 3600);
	ck_assert(addr_equal(&F.master_addr, &HIGHER));
}
END_TEST

START_TEST(test_backup_accepts_equal)
{
	start_backup();
	vrrp_fsm_advert(&F, 100, 100, &LOWER, 1000);
	ck_assert_int_eq(R.timer[VRRP_TIMER_MASTER_DOWN], 3600);
}
END_TEST

START_TEST(test_backup_preempts_lower)
{
	start_backup();
	vrrp_fsm_advert(&F, 50, 100, &LOWER, 1000);
	/* Discarded: the down timer is not reset, so it fires and we take over. */
	ck_assert_int_eq(R.timer[VRRP_TIMER_MASTER_DOWN], -2);
	vrrp_fsm_timer_expired(&F, VRRP_TIMER_MASTER_DOWN, 3600);
	ck_assert_int_eq(F.state, VRRP_STATE_MASTER);
}
END_TEST

START_TEST(test_nopreempt_keeps_lower_master)
{
	setup(3, 100, 100, false, 0);
	vrrp_fsm_startup(&F, 0);
	reset_rec();
	vrrp_fsm_advert(&F, 50, 100, &LOWER, 1000);
	ck_assert_int_eq(R.timer[VRRP_TIMER_MASTER_DOWN], 3600);
	ck_assert_int_eq(F.state, VRRP_STATE_BACKUP);
}
END_TEST

START_TEST(test_preempt_delay)
{
	setup(3, 100, 100, true, 30000);
	vrrp_fsm_startup(&F, 0);
	reset_rec();
	/* Within 30 s of start-up the lower master is accepted... */
	vrrp_fsm_advert(&F, 50, 100, &LOWER, 1000);
	ck_assert_int_eq(R.timer[VRRP_TIMER_MASTER_DOWN], 3600);
	reset_rec();
	vrrp_fsm_advert(&F, 50, 100, &LOWER, 29000);
	ck_assert_int_eq(R.timer[VRRP_TIMER_MASTER_DOWN], 3600);
	reset_rec();
	/* ...and 30 s after it was first heard, it is not. */
	vrrp_fsm_advert(&F, 50, 100, &LOWER, 31000);
	ck_assert_int_eq(R.timer[VRRP_TIMER_MASTER_DOWN], -2);
}
END_TEST

START_TEST(test_backup_prio0_skew)
{
	start_backup();
	vrrp_fsm_advert(&F, VRRP_PRIO_STOP, 100, &HIGHER, 1000);
	ck_assert_int_eq(R.timer[VRRP_TIMER_MASTER_DOWN], 600);
	ck_assert_int_eq(F.stats.prio0_rcvd, 1);
}
END_TEST

START_TEST(test_v3_adopts_master_interval)
{
	start_backup();
	vrrp_fsm_advert(&F, 150, 50, &HIGHER, 1000);
	ck_assert_int_eq(F.master_adver_int_cs, 50);
	/* 3 * 50 cs + (156 * 50 / 256 = 30) cs */
	ck_assert_int_eq(R.timer[VRRP_TIMER_MASTER_DOWN], 1800);
}
END_TEST

START_TEST(test_v2_keeps_own_interval)
{
	setup(2, 100, 100, true, 0);
	vrrp_fsm_startup(&F, 0);
	reset_rec();
	vrrp_fsm_advert(&F, 150, 200, &HIGHER, 1000);
	ck_assert_int_eq(F.master_adver_int_cs, 100);
}
END_TEST

START_TEST(test_adver_timer_sends)
{
	start_master();
	vrrp_fsm_timer_expired(&F, VRRP_TIMER_ADVER, 5000);
	ck_assert_int_eq(R.adverts, 1);
	ck_assert_int_eq(R.timer[VRRP_TIMER_ADVER], 1000);
}
END_TEST

START_TEST(test_master_yields_to_higher)
{
	start_master();
	vrrp_fsm_advert(&F, 150, 100, &LOWER, 5000);
	ck_assert_int_eq(F.state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(R.vips_down, 1);
	ck_assert_int_eq(R.timer[VRRP_TIMER_ADVER], -1);
	ck_assert_int_eq(R.timer[VRRP_TIMER_MASTER_DOWN], 3600);
	ck_assert_int_eq(F.stats.released_master, 1);
}
END_TEST

START_TEST(test_master_equal_priority_tie)
{
	start_master();
	/* Equal priority, lower address: we stay master and assert. */
	vrrp_fsm_advert(&F, 100, 100, &LOWER, 5000);
	ck_assert_int_eq(F.state, VRRP_STATE_MASTER);
	ck_assert_int_eq(R.adverts, 1);
	/* Equal priority, higher address: the sender wins (6.4.3). */
	vrrp_fsm_advert(&F, 100, 100, &HIGHER, 5100);
	ck_assert_int_eq(F.state, VRRP_STATE_BACKUP);
}
END_TEST

START_TEST(test_master_hears_lower_master)
{
	start_master();
	vrrp_fsm_advert(&F, 50, 100, &HIGHER, 5000);
	ck_assert_int_eq(F.state, VRRP_STATE_MASTER);
	ck_assert_int_eq(R.adverts, 1);
	ck_assert_int_eq(R.announces, 1);
}
END_TEST

START_TEST(test_master_hears_prio0)
{
	start_master();
	vrrp_fsm_advert(&F, VRRP_PRIO_STOP, 100, &HIGHER, 5000);
	ck_assert_int_eq(F.state, VRRP_STATE_MASTER);
	ck_assert_int_eq(R.adverts, 1);
	ck_assert_int_eq(R.timer[VRRP_TIMER_ADVER], 1000);
}
END_TEST

START_TEST(test_shutdown_master_sends_prio0)
{
	start_master();
	vrrp_fsm_shutdown(&F);
	ck_assert_int_eq(F.state, VRRP_STATE_INIT);
	ck_assert_int_eq(R.last_prio, 0);
	ck_assert_int_eq(R.vips_down, 1);
	ck_assert_int_eq(R.timer[VRRP_TIMER_ADVER], -1);
	ck_assert_int_eq(F.stats.prio0_sent, 1);
}
END_TEST

START_TEST(test_shutdown_backup_silent)
{
	start_backup();
	vrrp_fsm_shutdown(&F);
	ck_assert_int_eq(F.state, VRRP_STATE_INIT);
	ck_assert_int_eq(R.adverts, 0);
	ck_assert_int_eq(R.timer[VRRP_TIMER_MASTER_DOWN], -1);
}
END_TEST

START_TEST(test_fault_and_recovery)
{
	start_master();
	vrrp_fsm_set_fault(&F, true, 5000);
	ck_assert_int_eq(F.state, VRRP_STATE_FAULT);
	ck_assert_int_eq(R.last_prio, 0);
	ck_assert_int_eq(R.vips_down, 1);
	/* Adverts are ignored in FAULT. */
	vrrp_fsm_advert(&F, 150, 100, &HIGHER, 5100);
	ck_assert_int_eq(F.state, VRRP_STATE_FAULT);
	vrrp_fsm_set_fault(&F, false, 6000);
	ck_assert_int_eq(F.state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(R.timer[VRRP_TIMER_MASTER_DOWN], 3600);
}
END_TEST

START_TEST(test_fault_at_startup)
{
	setup(3, 100, 100, true, 0);
	vrrp_fsm_set_fault(&F, true, 0);
	vrrp_fsm_startup(&F, 0);
	ck_assert_int_eq(F.state, VRRP_STATE_FAULT);
	ck_assert_int_eq(R.vips_up, 0);
}
END_TEST

START_TEST(test_priority_change_advertised)
{
	start_master();
	vrrp_fsm_set_priority(&F, 40);
	ck_assert_int_eq(R.adverts, 1);
	ck_assert_int_eq(R.last_prio, 40);
	reset_rec();
	vrrp_fsm_set_priority(&F, 40);
	ck_assert_int_eq(R.adverts, 0);
}
END_TEST

START_TEST(test_resume_master_keeps_vips)
{
	setup(3, 100, 100, true, 0);
	vrrp_fsm_resume(&F, VRRP_STATE_MASTER, 0);
	ck_assert_int_eq(F.state, VRRP_STATE_MASTER);
	ck_assert_int_eq(R.vips_up, 0);
	ck_assert_int_eq(R.vips_down, 0);
	ck_assert_int_eq(R.adverts, 1);
	ck_assert_int_eq(R.timer[VRRP_TIMER_ADVER], 1000);
	ck_assert_int_eq(R.changes, 0);
}
END_TEST

START_TEST(test_timer_in_wrong_state_ignored)
{
	start_backup();
	vrrp_fsm_timer_expired(&F, VRRP_TIMER_ADVER, 1000);
	ck_assert_int_eq(R.adverts, 0);
	ck_assert_int_eq(F.state, VRRP_STATE_BACKUP);
	start_master();
	vrrp_fsm_timer_expired(&F, VRRP_TIMER_MASTER_DOWN, 9000);
	ck_assert_int_eq(R.adverts, 0);
	ck_assert_int_eq(F.state, VRRP_STATE_MASTER);
}
END_TEST

START_TEST(test_lower_prio_no_advert)
{
	start_master();
	F.conf.lower_prio_no_advert = true;
	vrrp_fsm_advert(&F, 50, 100, &HIGHER, 5000);
	ck_assert_int_eq(F.state, VRRP_STATE_MASTER);
	ck_assert_int_eq(R.adverts, 0);
	ck_assert_int_eq(R.announces, 0);
}
END_TEST

START_TEST(test_higher_prio_send_advert)
{
	start_master();
	F.conf.higher_prio_send_advert = true;
	vrrp_fsm_advert(&F, 150, 100, &LOWER, 5000);
	ck_assert_int_eq(F.state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(R.adverts, 1);
	ck_assert_int_eq(R.last_prio, 100);
}
END_TEST

START_TEST(test_follow_sync_group)
{
	start_backup();
	vrrp_fsm_follow(&F, VRRP_STATE_MASTER, "sync group");
	ck_assert_int_eq(F.state, VRRP_STATE_MASTER);
	ck_assert_int_eq(R.vips_up, 1);
	vrrp_fsm_follow(&F, VRRP_STATE_FAULT, "sync group");
	ck_assert_int_eq(F.state, VRRP_STATE_BACKUP);
	ck_assert_int_eq(R.vips_down, 1);
	/* A FAULT member is not pulled up by its partners. */
	vrrp_fsm_set_fault(&F, true, 9000);
	vrrp_fsm_follow(&F, VRRP_STATE_MASTER, "sync group");
	ck_assert_int_eq(F.state, VRRP_STATE_FAULT);
}
END_TEST

/* A partner's FAULT holds this member in FAULT, whatever its timers do;
 * it leaves FAULT only once neither its own tracking nor the group's
 * holds it there. */
START_TEST(test_group_fault)
{
	start_backup();
	vrrp_fsm_follow(&F, VRRP_STATE_MASTER, "sync group");
	ck_assert_int_eq(F.state, VRRP_STATE_MASTER);
	vrrp_fsm_set_group_fault(&F, true);
	ck_assert_int_eq(F.state, VRRP_STATE_FAULT);
	ck_assert_int_eq(R.vips_down, 1);
	ck_assert_int_eq(R.last_prio, VRRP_PRIO_STOP);
	/* No master down timer runs in FAULT, and a stray expiry is ignored. */
	ck_assert_int_eq(R.timer[VRRP_TIMER_MASTER_DOWN], -1);
	vrrp_fsm_timer_expired(&F, VRRP_TIMER_MASTER_DOWN, 20000);
	vrrp_fsm_follow(&F, VRRP_STATE_MASTER, "sync group");
	ck_assert_int_eq(F.state, VRRP_STATE_FAULT);
	/* Its own fault as well: clearing the group's is not enough. */
	vrrp_fsm_set_fault(&F, true, 21000);
	vrrp_fsm_set_group_fault(&F, false);
	ck_assert_int_eq(F.state, VRRP_STATE_FAULT);
	vrrp_fsm_set_fault(&F, false, 22000);
	ck_assert_int_eq(F.state, VRRP_STATE_BACKUP);
	ck_assert(!vrrp_fsm_faulty(&F));
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("vrrp_fsm");
	TCase *tc = tcase_create("fsm");

	tcase_add_test(tc, test_timers_v3);
	tcase_add_test(tc, test_timers_v2);
	tcase_add_test(tc, test_startup_backup);
	tcase_add_test(tc, test_startup_owner);
	tcase_add_test(tc, test_startup_state_master);
	tcase_add_test(tc, test_master_down_makes_master);
	tcase_add_test(tc, test_backup_accepts_higher);
	tcase_add_test(tc, test_backup_accepts_equal);
	tcase_add_test(tc, test_backup_preempts_lower);
	tcase_add_test(tc, test_nopreempt_keeps_lower_master);
	tcase_add_test(tc, test_preempt_delay);
	tcase_add_test(tc, test_backup_prio0_skew);
	tcase_add_test(tc, test_v3_adopts_master_interval);
	tcase_add_test(tc, test_v2_keeps_own_interval);
	tcase_add_test(tc, test_adver_timer_sends);
	tcase_add_test(tc, test_master_yields_to_higher);
	tcase_add_test(tc, test_master_equal_priority_tie);
	tcase_add_test(tc, test_master_hears_lower_master);
	tcase_add_test(tc, test_master_hears_prio0);
	tcase_add_test(tc, test_shutdown_master_sends_prio0);
	tcase_add_test(tc, test_shutdown_backup_silent);
	tcase_add_test(tc, test_fault_and_recovery);
	tcase_add_test(tc, test_fault_at_startup);
	tcase_add_test(tc, test_priority_change_advertised);
	tcase_add_test(tc, test_resume_master_keeps_vips);
	tcase_add_test(tc, test_timer_in_wrong_state_ignored);
	tcase_add_test(tc, test_follow_sync_group);
	tcase_add_test(tc, test_group_fault);
	tcase_add_test(tc, test_lower_prio_no_advert);
	tcase_add_test(tc, test_higher_prio_send_advert);
	suite_add_tcase(s, tc);
	return s;
}
