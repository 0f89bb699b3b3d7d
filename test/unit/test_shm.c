/* Shared state: layout from the model, and state adopted across a reload
 * by key (instance name; virtual + real server address and port). */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/shm.h"
#include "keepalive-l7/conf_load.h"
#include "test/unit/tmain.h"

static const char conf_a[] =
    "vrrp_instance A { interface d0 virtual_router_id 1 virtual_ipaddress { 192.0.2.1 } }\n"
    "vrrp_instance B { interface d0 virtual_router_id 2 virtual_ipaddress { 192.0.2.2 } }\n"
    "virtual_server 192.0.2.10 80 {\n"
    "  real_server 198.51.100.1 8080 { weight 3 }\n"
    "  real_server 198.51.100.2 8080 { weight 4 }\n"
    "}\n";

/* B first, A renamed away, one server gone, one new, a weight edited. */
static const char conf_b[] =
    "vrrp_instance B { interface d0 virtual_router_id 2 virtual_ipaddress { 192.0.2.2 } }\n"
    "vrrp_instance C { interface d0 virtual_router_id 3 virtual_ipaddress { 192.0.2.3 } }\n"
    "virtual_server 192.0.2.10 80 {\n"
    "  real_server 198.51.100.3 8080 { weight 1 }\n"
    "  real_server 198.51.100.2 8080 { weight 9 }\n"
    "}\n";

static struct conf *
load(const char *text)
{
	struct conf_errors errs;
	struct conf *c = conf_load_string("t.conf", text, NULL, &errs);

	ck_assert_msg(c != NULL, "%s", errs.n > 0 ? errs.msg[0] : "?");
	return c;
}

START_TEST(test_layout_from_model)
{
	struct conf *c = load(conf_a);
	struct shm s;

	ck_assert_int_eq(shm_create(&s, c), 0);
	ck_assert_uint_eq(s.hdr->magic, SHM_MAGIC);
	ck_assert_uint_eq(s.hdr->n_vrrp, 2);
	ck_assert_uint_eq(s.hdr->n_vs, 1);
	ck_assert_uint_eq(s.hdr->n_rs, 2);
	ck_assert_str_eq(s.vrrp[1].name, "B");
	ck_assert_uint_eq(atomic_load(&s.vrrp[0].priority), 100);
	ck_assert_uint_eq(atomic_load(&s.rs[1].weight), 4);
	ck_assert_uint_eq(s.rs[1].port, 8080);
	ck_assert_uint_eq(s.rs[1].vs_port, 80);
	ck_assert_uint_eq(atomic_load(&s.rs[0].health), SHM_HEALTH_UNKNOWN);
	ck_assert_int_ge((long)s.size, (long)(sizeof(struct shm_header) +
	    2 * sizeof(struct shm_vrrp) + 2 * sizeof(struct shm_rs)));
	shm_destroy(&s);
	conf_free(c);
}
END_TEST

START_TEST(test_carry_by_key)
{
	struct conf *ca = load(conf_a), *cb = load(conf_b);
	struct shm a, b;

	ck_assert_int_eq(shm_create(&a, ca), 0);
	ck_assert_int_eq(shm_create(&b, cb), 0);
	atomic_store(&a.vrrp[1].state, SHM_VRRP_MASTER);	/* B */
	atomic_store(&a.vrrp[1].adverts_sent, 42);
	atomic_store(&a.vrrp[0].state, SHM_VRRP_FAULT);		/* A: gone */
	atomic_store(&a.rs[1].health, SHM_HEALTH_DOWN);		/* .2 */
	atomic_store(&a.rs[1].requests[1], 7);
	atomic_store(&a.rs[1].weight, 4);
	atomic_store(&a.rs[1].checks_run, 5);
	atomic_store(&a.rs[1].checks_failed, 2);
	shm_rs_response(&a.rs[1], 30000);
	atomic_store(&a.rs[0].health, SHM_HEALTH_UP);		/* .1: gone */
	atomic_store(&a.rs[1].admin, SHM_ADMIN_DRAIN);
	atomic_store(&a.rs[1].op_weight, 2);

	shm_carry_vrrp(&b, &a);
	ck_assert_str_eq(b.vrrp[0].name, "B");
	ck_assert_uint_eq(atomic_load(&b.vrrp[0].state), SHM_VRRP_MASTER);
	ck_assert_uint_eq(atomic_load(&b.vrrp[0].adverts_sent), 42);
	ck_assert_str_eq(b.vrrp[1].name, "C");
	ck_assert_uint_eq(atomic_load(&b.vrrp[1].state), SHM_VRRP_INIT);

	ck_assert_int_eq(atomic_load(&b.rs[1].op_weight), -1);
	shm_carry_servers(&b, &a, SHM_CARRY_PARENT);
	ck_assert_uint_eq(atomic_load(&b.rs[1].admin), SHM_ADMIN_DRAIN);
	ck_assert_int_eq(atomic_load(&b.rs[1].op_weight), 2);
	ck_assert_uint_eq(atomic_load(&b.rs[1].health), SHM_HEALTH_UNKNOWN);	/* check's: not yet */
	ck_assert_int_eq(atomic_load(&b.rs[0].op_weight), -1);

	shm_carry_servers(&b, &a, SHM_CARRY_CHECK);
	ck_assert_uint_eq(atomic_load(&b.rs[1].health), SHM_HEALTH_DOWN);
	ck_assert_uint_eq(atomic_load(&b.rs[1].admin), SHM_ADMIN_DRAIN);
	ck_assert_uint_eq(atomic_load(&b.rs[1].weight), 9);	/* the file's edit wins */
	ck_assert_uint_eq(atomic_load(&b.rs[1].checks_run), 5);
	ck_assert_uint_eq(atomic_load(&b.rs[1].checks_failed), 2);
	ck_assert_uint_eq(atomic_load(&b.rs[1].requests[1]), 0);	/* l7's: not yet */
	ck_assert_uint_eq(atomic_load(&b.rs[1].response_time_hist[4]), 0);
	ck_assert_uint_eq(atomic_load(&b.rs[0].health), SHM_HEALTH_UNKNOWN);
	shm_carry_servers(&b, &a, SHM_CARRY_L7);
	ck_assert_uint_eq(atomic_load(&b.rs[1].requests[1]), 7);
	ck_assert_uint_eq(atomic_load(&b.rs[1].response_time_us), 30000);
	ck_assert_uint_eq(atomic_load(&b.rs[1].response_time_hist[4]), 1);

	shm_destroy(&a);
	shm_destroy(&b);
	conf_free(ca);
	conf_free(cb);
}
END_TEST

/* Each response lands in the first bucket whose bound it does not pass. */
START_TEST(test_response_histogram)
{
	static const struct {
		uint64_t	us;
		int		bucket;
	} cases[] = {
		{ 0, 0 }, { 1000, 0 }, { 1001, 1 }, { 5000, 1 }, { 99999, 5 },
		{ 1000000, 8 }, { 10000000, 11 }, { 10000001, SHM_RT_BUCKETS },
		{ UINT64_MAX / 2, SHM_RT_BUCKETS },
	};
	struct shm_rs r;
	size_t i;
	int b;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&r, 0, sizeof(r));
		shm_rs_response(&r, cases[i].us);
		ck_assert_uint_eq(atomic_load(&r.response_time_us), cases[i].us);
		for (b = 0; b <= SHM_RT_BUCKETS; b++)
			ck_assert_msg(atomic_load(&r.response_time_hist[b]) ==
			    (b == cases[i].bucket), "%llu us: bucket %d",
			    (unsigned long long)cases[i].us, b);
	}
	for (b = 1; b < SHM_RT_BUCKETS; b++)
		ck_assert_uint_gt(shm_rt_bounds_us[b], shm_rt_bounds_us[b - 1]);
}
END_TEST

START_TEST(test_shared_across_fork)
{
	struct conf *c = load(conf_a);
	struct shm s;
	uint64_t n = 0;
	pid_t pid;

	ck_assert_int_eq(shm_create(&s, c), 0);
	atomic_store(&s.rs[0].weight, 0);	/* change 0: all zero */
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		atomic_store(&s.rs[0].health, SHM_HEALTH_UP);
		shm_health_changed(&s);
		_exit(0);
	}
	/* Once the writer is done, the eventfd holds its one wake-up. */
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	ck_assert_int_eq(read(s.health_efd, &n, sizeof(n)), (int)sizeof(n));
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(atomic_load(&s.rs[0].health), SHM_HEALTH_UP);
	ck_assert_uint_eq(atomic_load(&s.hdr->health_gen), 1);
	shm_destroy(&s);
	conf_free(c);
}
END_TEST

START_TEST(test_seqlock)
{
	struct shm_seqlock l = { 0 };
	uint32_t seq;

	seq = shm_seq_read_begin(&l);
	ck_assert_int_eq(shm_seq_read_retry(&l, seq), 0);
	shm_seq_write_begin(&l);
	shm_seq_write_end(&l);
	ck_assert_int_ne(shm_seq_read_retry(&l, seq), 0);
	ck_assert_uint_eq(shm_seq_read_begin(&l) & 1, 0);
}
END_TEST

/* A writer changes a server's weight, its virtual server's live weight
 * and the server's last error together, as one change of the check
 * child's, thousands of times; no snapshot taken meanwhile holds the
 * fields of two different changes. */
#define SNAP_CHANGES	4000

static void
snap_writer(struct shm *s)
{
	const struct timespec pause = { 0, 20000 };
	volatile unsigned spin;
	uint32_t k;

	for (k = 1; k <= SNAP_CHANGES; k++) {
		shm_change_begin(s, SHM_WRITER_CHECK);
		atomic_store(&s->rs[0].weight, k);
		for (spin = 0; spin < 500; spin++)	/* widen the window */
			;
		shm_seq_write_begin(&s->rs[0].error_lock);
		snprintf(s->rs[0].last_error, sizeof(s->rs[0].last_error), "change %u", k);
		shm_seq_write_end(&s->rs[0].error_lock);
		atomic_store(&s->vs[0].live_weight, k);
		shm_change_end(s, SHM_WRITER_CHECK);
		nanosleep(&pause, NULL);
	}
}

START_TEST(test_snapshot_consistent)
{
	struct conf *c = load(conf_a);
	struct shm s;
	unsigned taken = 0, torn = 0;
	int status;
	pid_t pid;

	ck_assert_int_eq(shm_create(&s, c), 0);
	atomic_store(&s.rs[0].weight, 0);	/* change 0: all zero */
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		snap_writer(&s);
		_exit(0);
	}
	while (waitpid(pid, &status, WNOHANG) == 0) {
		struct shm snap;
		char text[sizeof(snap.rs[0].last_error)], want[sizeof(text)];
		uint32_t w;

		ck_assert_int_eq(shm_snapshot(&s, &snap), 0);	/* the writer pauses */
		w = atomic_load(&snap.rs[0].weight);
		shm_rs_last_error(&snap.rs[0], text, sizeof(text));
		snprintf(want, sizeof(want), "change %u", w);
		if (w != atomic_load(&snap.vs[0].live_weight) || (w > 0 && strcmp(text, want) != 0))
			torn++;
		taken++;
		shm_snapshot_free(&snap);
	}
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_uint_eq(atomic_load(&s.vs[0].live_weight), SNAP_CHANGES);
	ck_assert_uint_gt(taken, 100);
	ck_assert_msg(torn == 0, "%u of %u snapshots hold two changes", torn, taken);
	shm_destroy(&s);
	conf_free(c);
}
END_TEST

/* Changes nest; a writer that died inside one leaves odd locks, which
 * shm_writer_gone() evens out for its successor and the readers. */
START_TEST(test_change_nesting_and_writer_gone)
{
	struct conf *c = load(conf_a);
	struct shm s, snap;
	char text[64];

	ck_assert_int_eq(shm_create(&s, c), 0);
	shm_change_begin(&s, SHM_WRITER_VRRP);
	shm_change_begin(&s, SHM_WRITER_VRRP);
	shm_change_end(&s, SHM_WRITER_VRRP);
	ck_assert_uint_eq(atomic_load(&s.hdr->vrrp_lock.seq) & 1, 1);
	shm_change_end(&s, SHM_WRITER_VRRP);
	ck_assert_uint_eq(atomic_load(&s.hdr->vrrp_lock.seq), 2);

	/* A check child killed in the middle of a change. */
	shm_seq_write_begin(&s.hdr->check_lock);
	shm_seq_write_begin(&s.rs[1].error_lock);
	ck_assert_int_eq(shm_snapshot(&s, &snap), 1);	/* gives up, does not hang */
	shm_rs_last_error(&snap.rs[1], text, sizeof(text));	/* the copy's lock is even */
	shm_snapshot_free(&snap);
	shm_writer_gone(&s, SHM_WRITER_CHECK);
	ck_assert_uint_eq(atomic_load(&s.hdr->check_lock.seq) & 1, 0);
	ck_assert_uint_eq(atomic_load(&s.rs[1].error_lock.seq) & 1, 0);
	shm_rs_last_error(&s.rs[1], text, sizeof(text));
	shm_destroy(&s);
	conf_free(c);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("shm");
	TCase *tc = tcase_create("shm");

	tcase_add_test(tc, test_layout_from_model);
	tcase_add_test(tc, test_carry_by_key);
	tcase_add_test(tc, test_response_histogram);
	tcase_add_test(tc, test_shared_across_fork);
	tcase_add_test(tc, test_seqlock);
	tcase_add_test(tc, test_snapshot_consistent);
	tcase_add_test(tc, test_change_nesting_and_writer_gone);
	suite_add_tcase(s, tc);
	return s;
}
