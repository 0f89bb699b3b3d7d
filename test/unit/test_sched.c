/* The schedulers, with exact counts: rr and wrr spreads and wrr's
 * smoothness, lc/wlc on given active counts, eligibility (down, drained,
 * disabled, weight 0, excluded, at maxconn) for every algorithm, slow
 * start's ramp and its effect on wrr and wlc, the consistent-hash
 * ring's balance and how few keys move when a server goes, and p2c's
 * preference for the less loaded server under a fixed seed.  Shared
 * state is a plain array of records; nothing runs but the picks. */
#include "config.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keepalive-l7/conf_load.h"
#include "splice/sched.h"
#include "test/unit/tmain.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_RS		16
#define N_KEYS		10000

struct fx {
	struct conf			*c;
	const struct conf_virtual_server *vs;
	struct shm_rs			 rs[MAX_RS];
	uint32_t			 active[MAX_RS];
	struct sched_live		 live;
	struct pool			*p;
};

/* A virtual server with lb_algo algo and n servers 198.51.100.1.. of the
 * given weights in pool "web", each with the lines rs_extra (may be ""),
 * plus one server in pool "other"; shared state as the parent makes it
 * (health UNKNOWN, ENABLED, the weight). */
static void
fx_up_with(struct fx *f, const char *algo, const unsigned *weights, unsigned n,
    const char *rs_extra)
{
	struct conf_errors errs;
	const struct conf_real_server *rs;
	char text[4096];
	size_t len;
	unsigned i;

	ck_assert_uint_lt(n, MAX_RS);
	memset(f, 0, sizeof(*f));
	len = (size_t)snprintf(text, sizeof(text),
	    "virtual_server 192.0.2.10 80 {\n  lb_algo %s\n  default_pool web\n", algo);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
		    "  real_server 198.51.100.%u 80 {\n    pool web\n    weight %u\n%s  }\n",
		    i + 1, weights[i], rs_extra);
	snprintf(text + len, sizeof(text) - len,
	    "  real_server 203.0.113.1 80 {\n    pool other\n  }\n}\n");
	f->c = conf_load_string("t.conf", text, NULL, &errs);
	ck_assert_msg(f->c != NULL, "%s", errs.n > 0 ? errs.msg[0] : "?");
	f->vs = f->c->virtual_servers;
	for (rs = f->vs->servers; rs != NULL; rs = rs->next)
		atomic_store(&f->rs[rs->index].weight, rs->weight);
	f->live = (struct sched_live){ .rs = f->rs, .active = f->active };
	ck_assert_ptr_nonnull(f->p = pool_new(f->vs, "web"));
	ck_assert_uint_eq(pool_size(f->p), n);
	pool_seed(f->p, 42);
}

static void
fx_up(struct fx *f, const char *algo, const unsigned *weights, unsigned n)
{
	fx_up_with(f, algo, weights, n, "");
}

static void
fx_down(struct fx *f)
{
	pool_free(f->p);
	conf_free(f->c);
}

/* Position in the pool of a picked server, -1 for none. */
static int
pos_of(const struct fx *f, const struct conf_real_server *rs)
{
	unsigned i;

	for (i = 0; i < pool_size(f->p); i++)
		if (pool_server(f->p, i) == rs)
			return (int)i;
	ck_assert_ptr_null(rs);
	return -1;
}

static int
pick(struct fx *f, const void *key, size_t len, const struct sched_exclude *ex)
{
	return pos_of(f, sched_pick(f->p, &f->live, key, len, ex));
}

static int
pick_key(struct fx *f, unsigned k, const struct sched_exclude *ex)
{
	char key[32];

	snprintf(key, sizeof(key), "key-%u", k);
	return pick(f, key, strlen(key), ex);
}

/* Picks as letters: "abac...". */
static void
picks_str(struct fx *f, char *out, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		out[i] = (char)('a' + pick(f, NULL, 0, NULL));
	out[n] = '\0';
}

static void
set_health(struct fx *f, unsigned pos, enum shm_health h)
{
	atomic_store(&f->rs[pool_server(f->p, pos)->index].health, h);
}

static void
set_admin(struct fx *f, unsigned pos, enum shm_admin a)
{
	atomic_store(&f->rs[pool_server(f->p, pos)->index].admin, a);
}

static void
set_weight(struct fx *f, unsigned pos, uint32_t w)
{
	atomic_store(&f->rs[pool_server(f->p, pos)->index].weight, w);
}

static void
set_active(struct fx *f, unsigned pos, uint32_t n)
{
	f->active[pool_server(f->p, pos)->index] = n;
}

/* Pools ----------------------------------------------------------------------- */

START_TEST(test_pool_members)
{
	static const unsigned w[] = { 1, 1 };
	struct fx f;
	struct pool *other, *none;

	fx_up(&f, "rr", w, 2);
	ck_assert_ptr_nonnull(other = pool_new(f.vs, "other"));
	ck_assert_uint_eq(pool_size(other), 1);
	ck_assert_uint_eq(pool_server(other, 0)->index, 2);
	ck_assert_ptr_null(pool_server(other, 1));
	ck_assert_ptr_nonnull(none = pool_new(f.vs, "nosuch"));
	ck_assert_uint_eq(pool_size(none), 0);
	ck_assert_ptr_null(sched_pick(none, &f.live, NULL, 0, NULL));
	pool_free(other);
	pool_free(none);
	pool_free(NULL);
	fx_down(&f);
}
END_TEST

START_TEST(test_pool_set)
{
	static const unsigned w[] = { 1, 1, 1 };
	struct pool_set *set;
	struct pool *web, *other;
	struct fx f;

	fx_up(&f, "wrr", w, 3);
	ck_assert_ptr_nonnull(set = pool_set_new(f.vs));
	ck_assert_ptr_nonnull(web = pool_set_find(set, "web"));
	ck_assert_ptr_nonnull(other = pool_set_find(set, "other"));
	ck_assert_ptr_null(pool_set_find(set, "default"));
	ck_assert_uint_eq(pool_size(web), 3);
	ck_assert_uint_eq(pool_size(other), 1);
	ck_assert_ptr_eq(pool_server(web, 2), pool_server(f.p, 2));
	ck_assert_ptr_eq(sched_pick(other, &f.live, NULL, 0, NULL), f.vs->servers->next->next->next);
	pool_set_free(set);
	pool_set_free(NULL);
	fx_down(&f);
}
END_TEST

START_TEST(test_exclude_set)
{
	struct conf_real_server rs[SCHED_EXCLUDE_MAX + 2];
	struct sched_exclude ex;
	unsigned i;

	for (i = 0; i < NELEM(rs); i++)
		rs[i].index = 100 + i;
	sched_exclude_init(&ex);
	ck_assert(!sched_excluded(&ex, &rs[0]));
	for (i = 0; i < SCHED_EXCLUDE_MAX; i++)
		sched_exclude_add(&ex, &rs[i]);
	sched_exclude_add(&ex, &rs[3]);			/* already in: no slot used */
	for (i = 0; i < SCHED_EXCLUDE_MAX; i++)
		ck_assert(sched_excluded(&ex, &rs[i]));
	sched_exclude_add(&ex, &rs[SCHED_EXCLUDE_MAX]);	/* full: forgets the oldest */
	ck_assert(sched_excluded(&ex, &rs[SCHED_EXCLUDE_MAX]));
	ck_assert(!sched_excluded(&ex, &rs[0]));
	ck_assert(sched_excluded(&ex, &rs[1]));
	sched_exclude_add(&ex, &rs[SCHED_EXCLUDE_MAX + 1]);
	ck_assert(!sched_excluded(&ex, &rs[1]));
	sched_exclude_init(&ex);
	ck_assert(!sched_excluded(&ex, &rs[2]));
}
END_TEST

/* rr -------------------------------------------------------------------------- */

START_TEST(test_rr_even)
{
	static const unsigned w[] = { 1, 5, 1 };	/* rr ignores weights */
	unsigned count[3] = { 0 }, i;
	char s[16];
	struct fx f;

	fx_up(&f, "rr", w, 3);
	picks_str(&f, s, 6);
	ck_assert_str_eq(s, "abcabc");
	for (i = 0; i < 3000; i++)
		count[pick(&f, NULL, 0, NULL)]++;
	ck_assert_uint_eq(count[0], 1000);
	ck_assert_uint_eq(count[1], 1000);
	ck_assert_uint_eq(count[2], 1000);
	set_health(&f, 1, SHM_HEALTH_DOWN);
	picks_str(&f, s, 4);
	ck_assert_str_eq(s, "acac");
	fx_down(&f);
}
END_TEST

/* wrr ------------------------------------------------------------------------- */

static unsigned
max_run(const char *s)
{
	unsigned run = 1, best = 0;

	for (; *s != '\0'; s++) {
		run = s[1] == s[0] ? run + 1 : 1;
		if (run > best)
			best = run;
	}
	return best;
}

START_TEST(test_wrr_smooth)
{
	static const unsigned w[] = { 5, 1, 1 };
	char s[701];
	unsigned i, count[3] = { 0 };
	struct fx f;

	fx_up(&f, "wrr", w, 3);
	picks_str(&f, s, 700);
	for (i = 0; i < 700; i += 7)
		ck_assert_int_eq(strncmp(s + i, "aabacaa", 7), 0);	/* every cycle */
	for (i = 0; i < 700; i++)
		count[s[i] - 'a']++;
	ck_assert_uint_eq(count[0], 500);
	ck_assert_uint_eq(count[1], 100);
	ck_assert_uint_eq(count[2], 100);
	/* 2 within a cycle, 4 across two; a plain wrr runs 5 of a in a row. */
	ck_assert_uint_eq(max_run(s), 4);
	fx_down(&f);
}
END_TEST

START_TEST(test_wrr_proportions)
{
	static const unsigned w[] = { 3, 2, 1, 4 };
	unsigned i, count[4] = { 0 };
	struct fx f;

	fx_up(&f, "wrr", w, 4);
	for (i = 0; i < 10 * 100; i++)
		count[pick(&f, NULL, 0, NULL)]++;
	for (i = 0; i < 4; i++)
		ck_assert_uint_eq(count[i], w[i] * 100);
	fx_down(&f);
}
END_TEST

/* The weight in shared state counts at the next pick; a server that left
 * comes back without saved-up credit. */
START_TEST(test_wrr_runtime_weight)
{
	static const unsigned w[] = { 1, 1 };
	char s[401];
	struct fx f;
	unsigned i, a = 0;

	fx_up(&f, "wrr", w, 2);
	picks_str(&f, s, 2);
	ck_assert_str_eq(s, "ab");
	set_weight(&f, 0, 3);
	picks_str(&f, s, 4);
	ck_assert_str_eq(s, "aaba");
	picks_str(&f, s, 400);
	for (i = 0; i < 400; i++)
		a += s[i] == 'a';
	ck_assert_uint_eq(a, 300);
	set_admin(&f, 0, SHM_ADMIN_DRAIN);
	picks_str(&f, s, 3);
	ck_assert_str_eq(s, "bbb");
	set_admin(&f, 0, SHM_ADMIN_ENABLED);
	picks_str(&f, s, 4);
	ck_assert_str_eq(s, "aaba");
	fx_down(&f);
}
END_TEST

/* lc, wlc --------------------------------------------------------------------- */

START_TEST(test_lc)
{
	static const unsigned w[] = { 1, 9, 1 };	/* lc ignores weights */
	char s[8];
	struct fx f;

	fx_up(&f, "lc", w, 3);
	set_active(&f, 0, 5);
	set_active(&f, 1, 2);
	set_active(&f, 2, 2);
	picks_str(&f, s, 4);
	ck_assert_str_eq(s, "bcbc");			/* ties take turns */
	set_active(&f, 0, 0);
	set_active(&f, 1, 3);
	set_active(&f, 2, 1);
	picks_str(&f, s, 2);
	ck_assert_str_eq(s, "aa");
	set_active(&f, 0, 0);
	set_active(&f, 1, 0);
	set_active(&f, 2, 0);
	picks_str(&f, s, 6);
	ck_assert_str_eq(s, "bcabca");			/* idle: round robin */
	fx_down(&f);
}
END_TEST

/* Requests that never finish: lc spreads them evenly. */
START_TEST(test_lc_fills_evenly)
{
	static const unsigned w[] = { 1, 1, 1 };
	struct fx f;
	unsigned i;

	fx_up(&f, "lc", w, 3);
	set_active(&f, 1, 10);
	for (i = 0; i < 29; i++)
		f.active[pool_server(f.p, (unsigned)pick(&f, NULL, 0, NULL))->index]++;
	ck_assert_uint_eq(f.active[0] + f.active[1] + f.active[2], 39);
	ck_assert_uint_eq(f.active[0], 13);
	ck_assert_uint_eq(f.active[1], 13);
	ck_assert_uint_eq(f.active[2], 13);
	fx_down(&f);
}
END_TEST

START_TEST(test_wlc)
{
	static const unsigned w[] = { 3, 1 };
	char s[8];
	struct fx f;

	fx_up(&f, "wlc", w, 2);
	picks_str(&f, s, 3);
	ck_assert_str_eq(s, "aaa");		/* idle: 1/3 < 1/1 */
	set_active(&f, 0, 5);			/* 6/3 = 2/1: tie, in turn */
	set_active(&f, 1, 1);
	picks_str(&f, s, 4);
	ck_assert_str_eq(s, "baba");
	set_active(&f, 0, 6);			/* 7/3 > 2/1 */
	picks_str(&f, s, 2);
	ck_assert_str_eq(s, "bb");
	set_weight(&f, 0, 10);			/* 7/10 < 2/1: shared-state weight counts */
	picks_str(&f, s, 2);
	ck_assert_str_eq(s, "aa");
	set_active(&f, 0, 4000000000u);		/* no overflow in the cross-products */
	set_active(&f, 1, 4000000000u);
	set_weight(&f, 0, 65535);
	set_weight(&f, 1, 65534);
	picks_str(&f, s, 2);
	ck_assert_str_eq(s, "aa");
	fx_down(&f);
}
END_TEST

/* Requests that never finish: wlc fills in proportion to the weights. */
START_TEST(test_wlc_fills_by_weight)
{
	static const unsigned w[] = { 3, 1, 2 };
	struct fx f;
	unsigned i;

	fx_up(&f, "wlc", w, 3);
	for (i = 0; i < 600; i++)
		f.active[pool_server(f.p, (unsigned)pick(&f, NULL, 0, NULL))->index]++;
	ck_assert_uint_eq(f.active[0], 300);
	ck_assert_uint_eq(f.active[1], 100);
	ck_assert_uint_eq(f.active[2], 200);
	fx_down(&f);
}
END_TEST

/* Eligibility, every algorithm --------------------------------------------------- */

static const char *const algos[] = { "rr", "wrr", "lc", "wlc", "sh", "hash", "p2c" };

/* a: UNKNOWN (counts as up), b: DOWN, c: DRAIN, d: DISABLED, e: weight 0
 * in shared state, f: excluded, g: UP, h: weight 0 in the file. */
START_TEST(test_never_ineligible)
{
	static const unsigned w[] = { 1, 1, 1, 1, 1, 1, 1, 0 };
	unsigned i, count[8] = { 0 };
	struct sched_exclude ex;
	struct fx f;

	fx_up(&f, algos[_i], w, 8);
	set_health(&f, 1, SHM_HEALTH_DOWN);
	set_admin(&f, 2, SHM_ADMIN_DRAIN);
	set_admin(&f, 3, SHM_ADMIN_DISABLED);
	set_weight(&f, 4, 0);
	set_health(&f, 6, SHM_HEALTH_UP);
	sched_exclude_init(&ex);
	sched_exclude_add(&ex, pool_server(f.p, 5));
	for (i = 0; i < 2000; i++)
		count[i % 2 ? pick_key(&f, i, &ex) : pick(&f, NULL, 0, &ex)]++;
	ck_assert_uint_eq(count[0] + count[6], 2000);
	ck_assert_uint_gt(count[0], 0);
	ck_assert_uint_gt(count[6], 0);
	/* Without the exclusion, f is a candidate again. */
	for (i = 0; i < 200; i++)
		count[pick_key(&f, i, NULL)]++;
	ck_assert_uint_gt(count[5], 0);
	/* All gone: NULL. */
	set_health(&f, 0, SHM_HEALTH_DOWN);
	set_admin(&f, 6, SHM_ADMIN_DRAIN);
	ck_assert_int_eq(pick(&f, NULL, 0, &ex), -1);
	ck_assert_int_eq(pick_key(&f, 7, &ex), -1);
	fx_down(&f);
}
END_TEST

/* Retries: excluding every server tried leaves the rest, then none. */
START_TEST(test_exclude_all)
{
	static const unsigned w[] = { 1, 2, 3 };
	struct sched_exclude ex;
	struct fx f;
	int i, p;

	fx_up(&f, algos[_i], w, 3);
	sched_exclude_init(&ex);
	for (i = 0; i < 3; i++) {
		ck_assert_int_ge(p = pick_key(&f, 5, &ex), 0);
		ck_assert(!sched_excluded(&ex, pool_server(f.p, (unsigned)p)));
		sched_exclude_add(&ex, pool_server(f.p, (unsigned)p));
	}
	ck_assert_int_eq(pick_key(&f, 5, &ex), -1);
	ck_assert_int_eq(pick(&f, NULL, 0, &ex), -1);
	fx_down(&f);
}
END_TEST

/* Consistent hash -------------------------------------------------------------- */

static void
map_keys(struct fx *f, int *owner)
{
	unsigned k;

	for (k = 0; k < N_KEYS; k++)
		owner[k] = pick_key(f, k, NULL);
}

START_TEST(test_hash_balance)
{
	static const unsigned w[] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
	unsigned count[10] = { 0 }, i, lo = N_KEYS, hi = 0;
	static int owner[N_KEYS];
	struct fx f;

	fx_up(&f, "hash", w, 10);
	map_keys(&f, owner);
	for (i = 0; i < N_KEYS; i++)
		count[owner[i]]++;
	for (i = 0; i < 10; i++) {
		lo = count[i] < lo ? count[i] : lo;
		hi = count[i] > hi ? count[i] : hi;
	}
	fprintf(stderr, "hash: 10000 keys on 10 servers: min %u max %u\n", lo, hi);
	ck_assert_uint_ge(lo, N_KEYS * 6 / 100);
	ck_assert_uint_le(hi, N_KEYS * 14 / 100);
	fx_down(&f);
}
END_TEST

/* A server that goes down (or is excluded) takes only its own keys along,
 * and they come back with it. */
START_TEST(test_hash_minimal_movement)
{
	static const unsigned w[] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
	static int before[N_KEYS], after[N_KEYS];
	struct sched_exclude ex;
	unsigned k, moved = 0;
	struct fx f;

	fx_up(&f, "hash", w, 10);
	map_keys(&f, before);
	set_health(&f, 3, SHM_HEALTH_DOWN);
	map_keys(&f, after);
	for (k = 0; k < N_KEYS; k++) {
		if (after[k] == before[k])
			continue;
		ck_assert_int_eq(before[k], 3);
		ck_assert_int_ne(after[k], 3);
		moved++;
	}
	fprintf(stderr, "hash: one of 10 servers down moves %u of 10000 keys\n", moved);
	ck_assert_uint_gt(moved, 0);
	ck_assert_uint_le(moved, N_KEYS * 15 / 100);
	set_health(&f, 3, SHM_HEALTH_UP);
	map_keys(&f, after);
	ck_assert_mem_eq(after, before, sizeof(before));
	/* Excluding a server moves the same keys to the same places. */
	sched_exclude_init(&ex);
	sched_exclude_add(&ex, pool_server(f.p, 3));
	set_health(&f, 3, SHM_HEALTH_DOWN);
	map_keys(&f, after);
	set_health(&f, 3, SHM_HEALTH_UP);
	for (k = 0; k < N_KEYS; k++)
		ck_assert_int_eq(pick_key(&f, k, &ex), after[k]);
	fx_down(&f);
}
END_TEST

START_TEST(test_hash_weights)
{
	static const unsigned w[] = { 1, 1, 2, 4 };
	unsigned count[4] = { 0 }, i;
	static int owner[N_KEYS];
	struct fx f;

	fx_up(&f, "hash", w, 4);
	map_keys(&f, owner);
	for (i = 0; i < N_KEYS; i++)
		count[owner[i]]++;
	fprintf(stderr, "hash: weights 1,1,2,4: %u %u %u %u of 10000\n", count[0], count[1],
	    count[2], count[3]);
	/* Shares 12.5, 12.5, 25, 50 %, each within a fifth of its share. */
	for (i = 0; i < 4; i++) {
		ck_assert_uint_ge(count[i], N_KEYS * w[i] / 8 * 8 / 10);
		ck_assert_uint_le(count[i], N_KEYS * w[i] / 8 * 12 / 10);
	}
	fx_down(&f);
}
END_TEST

/* The ring is made from the servers' addresses: the same servers in
 * another order in the file place every key on the same server. */
START_TEST(test_hash_order_independent)
{
	static const unsigned w[] = { 1, 1, 1 };
	struct conf_errors errs;
	struct conf *c2;
	struct pool *p2;
	struct fx f;
	unsigned k;
	char key[32];

	fx_up(&f, "hash", w, 3);
	c2 = conf_load_string("t.conf",
	    "virtual_server 192.0.2.10 80 {\n  lb_algo hash\n"
	    "  real_server 198.51.100.3 80 {\n  }\n"
	    "  real_server 198.51.100.1 80 {\n  }\n"
	    "  real_server 198.51.100.2 80 {\n  }\n}\n", NULL, &errs);
	ck_assert_ptr_nonnull(c2);
	ck_assert_ptr_nonnull(p2 = pool_new(c2->virtual_servers, "default"));
	for (k = 0; k < 1000; k++) {
		const struct conf_real_server *a, *b;

		snprintf(key, sizeof(key), "key-%u", k);
		a = sched_pick(f.p, &f.live, key, strlen(key), NULL);
		b = sched_pick(p2, &f.live, key, strlen(key), NULL);
		ck_assert(addr_equal(&a->addr, &b->addr));
	}
	pool_free(p2);
	conf_free(c2);
	fx_down(&f);
}
END_TEST

START_TEST(test_hash_keyless_rr)
{
	static const unsigned w[] = { 1, 1, 1 };
	char s[8];
	struct fx f;

	fx_up(&f, algos[_i], w, 3);
	picks_str(&f, s, 6);
	ck_assert_str_eq(s, "abcabc");
	fx_down(&f);
}
END_TEST

START_TEST(test_sh_stable)
{
	static const unsigned w[] = { 1, 1, 1, 1 };
	static const uint8_t src1[] = { 192, 0, 2, 1 }, src2[] = { 192, 0, 2, 2 };
	unsigned count[4] = { 0 }, i;
	uint8_t src[4] = { 198, 51, 100, 0 };
	struct fx f;
	int p1, p2;

	fx_up(&f, "sh", w, 4);
	p1 = pick(&f, src1, 4, NULL);
	p2 = pick(&f, src2, 4, NULL);
	for (i = 0; i < 100; i++) {
		ck_assert_int_eq(pick(&f, src1, 4, NULL), p1);
		pick(&f, NULL, 0, NULL);		/* the rr cursor moves: no matter */
		ck_assert_int_eq(pick(&f, src2, 4, NULL), p2);
	}
	for (i = 0; i < 256; i++) {
		src[3] = (uint8_t)i;
		count[pick(&f, src, 4, NULL)]++;
	}
	for (i = 0; i < 4; i++)
		ck_assert_uint_gt(count[i], 256 / 4 / 2);
	fx_down(&f);
}
END_TEST

/* p2c ------------------------------------------------------------------------- */

START_TEST(test_p2c_prefers_less_loaded)
{
	static const unsigned w[] = { 1, 1, 1, 1 };
	unsigned count[4] = { 0 }, i;
	struct fx f;

	fx_up(&f, "p2c", w, 4);
	for (i = 0; i < 4; i++)
		set_active(&f, i, 10 * i);
	for (i = 0; i < 6000; i++)
		count[pick(&f, NULL, 0, NULL)]++;
	fprintf(stderr, "p2c: active 0,10,20,30: %u %u %u %u of 6000\n", count[0], count[1],
	    count[2], count[3]);
	/* The most loaded never wins; the others win their pairs: 3/6, 2/6,
	 * 1/6 of them. */
	ck_assert_uint_eq(count[3], 0);
	ck_assert_uint_ge(count[0], 2700);
	ck_assert_uint_le(count[0], 3300);
	ck_assert_uint_ge(count[1], 1700);
	ck_assert_uint_le(count[1], 2300);
	ck_assert_uint_ge(count[2], 700);
	ck_assert_uint_le(count[2], 1300);
	fx_down(&f);
}
END_TEST

START_TEST(test_p2c_eligibility_and_weight)
{
	static const unsigned w[] = { 1, 3, 1, 1 };
	struct sched_exclude ex;
	unsigned i;
	struct fx f;

	fx_up(&f, "p2c", w, 4);
	set_health(&f, 2, SHM_HEALTH_DOWN);
	sched_exclude_init(&ex);
	sched_exclude_add(&ex, pool_server(f.p, 3));
	/* Two candidates left: the lower (active + 1) / weight, always. */
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(pick(&f, NULL, 0, &ex), 1);	/* 1/3 < 1/1 */
	set_active(&f, 1, 3);					/* 4/3 > 1/1 */
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(pick(&f, NULL, 0, &ex), 0);
	set_weight(&f, 1, 8);					/* 4/8 < 1/1 */
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(pick(&f, NULL, 0, &ex), 1);
	set_admin(&f, 1, SHM_ADMIN_DISABLED);			/* one left */
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(pick(&f, NULL, 0, &ex), 0);
	fx_down(&f);
}
END_TEST

START_TEST(test_p2c_seeded)
{
	static const unsigned w[] = { 1, 1, 1, 1, 1 };
	char s1[65], s2[65];
	struct fx f;

	fx_up(&f, "p2c", w, 5);
	pool_seed(f.p, 7);
	picks_str(&f, s1, 64);
	pool_seed(f.p, 7);
	picks_str(&f, s2, 64);
	ck_assert_str_eq(s1, s2);
	pool_seed(f.p, 8);
	picks_str(&f, s2, 64);
	ck_assert_str_ne(s1, s2);
	fx_down(&f);
}
END_TEST

/* Persistence's pick by index: the pool's server if it can take the
 * request, else none; the round-robin cursor does not move. */
START_TEST(test_pick_index)
{
	static const unsigned w[] = { 1, 1, 1 };
	struct fx f;
	const struct conf_real_server *b, *other;
	struct sched_exclude ex;

	fx_up(&f, "rr", w, 3);
	b = pool_server(f.p, 1);
	other = f.vs->servers->next->next->next;	/* pool "other" */
	ck_assert_ptr_eq(sched_pick_index(f.p, &f.live, b->index, NULL), b);
	ck_assert_int_eq(pos_of(&f, sched_pick(f.p, &f.live, NULL, 0, NULL)), 0);
	ck_assert_ptr_null(sched_pick_index(f.p, &f.live, other->index, NULL));
	sched_exclude_init(&ex);
	sched_exclude_add(&ex, b);
	ck_assert_ptr_null(sched_pick_index(f.p, &f.live, b->index, &ex));
	atomic_store(&f.rs[b->index].admin, SHM_ADMIN_DRAIN);
	ck_assert_ptr_null(sched_pick_index(f.p, &f.live, b->index, NULL));
	atomic_store(&f.rs[b->index].admin, SHM_ADMIN_ENABLED);
	atomic_store(&f.rs[b->index].health, SHM_HEALTH_DOWN);
	ck_assert_ptr_null(sched_pick_index(f.p, &f.live, b->index, NULL));
	fx_down(&f);
}
END_TEST

/* maxconn --------------------------------------------------------------------- */

/* A server at its maxconn is passed over by every algorithm; with all of
 * them full there is no pick, and sched_pool_full() says "wait". */
START_TEST(test_maxconn_full)
{
	static const unsigned w[] = { 1, 1 };
	struct sched_exclude ex;
	struct fx f;
	int i;

	fx_up_with(&f, algos[_i], w, 2, "    maxconn 2\n");
	ck_assert(!sched_pool_full(f.p, &f.live, NULL));
	set_active(&f, 0, 2);
	for (i = 0; i < 20; i++)
		ck_assert_int_eq(pick_key(&f, (unsigned)i, NULL), 1);
	ck_assert(sched_pool_full(f.p, &f.live, NULL));	/* a is, though b took them */
	set_active(&f, 1, 2);
	ck_assert_int_eq(pick_key(&f, 1, NULL), -1);
	ck_assert(sched_pool_full(f.p, &f.live, NULL));
	/* One slot frees: that server again. */
	set_active(&f, 1, 1);
	ck_assert_int_eq(pick_key(&f, 2, NULL), 1);
	/* A full server that is down, or excluded, is no reason to wait. */
	set_active(&f, 1, 2);
	set_health(&f, 0, SHM_HEALTH_DOWN);
	ck_assert(sched_pool_full(f.p, &f.live, NULL));
	sched_exclude_init(&ex);
	sched_exclude_add(&ex, pool_server(f.p, 1));
	ck_assert(!sched_pool_full(f.p, &f.live, &ex));
	set_health(&f, 1, SHM_HEALTH_DOWN);
	ck_assert(!sched_pool_full(f.p, &f.live, NULL));
	ck_assert_ptr_null(sched_pick_index(f.p, &f.live, pool_server(f.p, 1)->index, NULL));
	fx_down(&f);
}
END_TEST

/* maxconn 0 is no limit; the other servers' limits do not matter. */
START_TEST(test_maxconn_unlimited)
{
	static const unsigned w[] = { 1 };
	struct fx f;

	fx_up(&f, "lc", w, 1);
	set_active(&f, 0, 1000000);
	ck_assert_int_eq(pick(&f, NULL, 0, NULL), 0);
	ck_assert(!sched_pool_full(f.p, &f.live, NULL));
	fx_down(&f);
}
END_TEST

/* Slow start ------------------------------------------------------------------ */

START_TEST(test_slowstart_math)
{
	const uint32_t S = SCHED_WEIGHT_SCALE;
	uint32_t prev = 0, w;
	int64_t t;

	ck_assert_uint_eq(sched_slowstart_weight(10, 0, 0), 10 * S);	/* off */
	ck_assert_uint_eq(sched_slowstart_weight(0, 500, 1000), 0);	/* weight 0 stays out */
	ck_assert_uint_eq(sched_slowstart_weight(10, 0, 10000), 1);	/* up: some share */
	ck_assert_uint_eq(sched_slowstart_weight(10, -5, 10000), 1);
	ck_assert_uint_eq(sched_slowstart_weight(10, 1000, 10000), S);	/* a tenth */
	ck_assert_uint_eq(sched_slowstart_weight(10, 5000, 10000), 5 * S);
	ck_assert_uint_eq(sched_slowstart_weight(1, 2500, 10000), S / 4);
	ck_assert_uint_eq(sched_slowstart_weight(3, 1, 3), S);		/* rounded up */
	ck_assert_uint_eq(sched_slowstart_weight(10, 10000, 10000), 10 * S);
	ck_assert_uint_eq(sched_slowstart_weight(10, 99999, 10000), 10 * S);
	ck_assert_uint_le(65535 * S - sched_slowstart_weight(65535, 3599999, 3600000), 5);
	ck_assert_uint_eq(sched_slowstart_weight(UINT32_MAX, 0, 0), UINT32_MAX / S * S);
	/* Linear: never down, never past the weight, at most one step per ms
	 * of a 1000 ms ramp to 4 x S. */
	for (t = 0; t <= 1100; t++) {
		w = sched_slowstart_weight(4, t, 1000);
		ck_assert_uint_ge(w, prev);
		ck_assert_uint_le(w, 4 * S);
		ck_assert_uint_le(w - prev, (4 * S + 999) / 1000 + 1);
		prev = w;
	}
}
END_TEST

/* b came back up at up_ms (the check child's up_since_ms). */
static void
set_up_since(struct fx *f, unsigned pos, int64_t up_ms)
{
	atomic_store(&f->rs[pool_server(f->p, pos)->index].up_since_ms, up_ms);
}

/* wrr: a server 1 s into a 10 s slow start gets a tenth of its share,
 * in exact proportion; once the ramp is over, its whole share.  One that
 * never came back (up_since_ms 0) does not ramp. */
START_TEST(test_slowstart_wrr)
{
	static const unsigned w[] = { 1, 1 };
	unsigned i, n[2] = { 0, 0 };
	struct fx f;

	fx_up_with(&f, "wrr", w, 2, "    slowstart 10s\n");
	f.live.now_ms = 6000;
	for (i = 0; i < 100; i++)
		n[pick(&f, NULL, 0, NULL)]++;
	ck_assert_uint_eq(n[1], 50);
	set_up_since(&f, 1, 5000);
	n[0] = n[1] = 0;
	for (i = 0; i < 10 * (256 + 26); i++)
		n[pick(&f, NULL, 0, NULL)]++;
	ck_assert_uint_eq(n[0], 10 * 256);
	ck_assert_uint_eq(n[1], 10 * 26);
	f.live.now_ms = 15000;
	n[0] = n[1] = 0;
	for (i = 0; i < 1000; i++)
		n[pick(&f, NULL, 0, NULL)]++;
	ck_assert_uint_eq(n[0], 500);
	ck_assert_uint_eq(n[1], 500);
	fx_down(&f);
}
END_TEST

/* wlc: the ramping server counts as a lighter one; rr ignores weights;
 * without slowstart a comeback does not ramp. */
START_TEST(test_slowstart_wlc_rr)
{
	static const unsigned w[] = { 1, 1 };
	struct fx f;

	fx_up_with(&f, "wlc", w, 2, "    slowstart 10s\n");
	set_up_since(&f, 1, 1000);
	f.live.now_ms = 3500;		/* b at a quarter of its weight */
	set_active(&f, 0, 3);		/* a: (3 + 1) / 1 = 4 */
	ck_assert_int_eq(pick(&f, NULL, 0, NULL), 0);	/* b: (0 + 1) / 0.25 = 4: a tie */
	set_active(&f, 0, 4);
	ck_assert_int_eq(pick(&f, NULL, 0, NULL), 1);
	fx_down(&f);
	fx_up_with(&f, "rr", w, 2, "    slowstart 10s\n");
	set_up_since(&f, 1, 1000);
	f.live.now_ms = 1001;
	ck_assert_int_eq(pick(&f, NULL, 0, NULL), 0);
	ck_assert_int_eq(pick(&f, NULL, 0, NULL), 1);
	fx_down(&f);
	fx_up(&f, "wlc", w, 2);
	set_up_since(&f, 1, 1000);
	f.live.now_ms = 1001;
	set_active(&f, 0, 1);
	ck_assert_int_eq(pick(&f, NULL, 0, NULL), 1);	/* (0 + 1) / 1 < (1 + 1) / 1 */
	fx_down(&f);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("sched");
	TCase *tc = tcase_create("sched");

	tcase_add_test(tc, test_pool_members);
	tcase_add_test(tc, test_pick_index);
	tcase_add_test(tc, test_pool_set);
	tcase_add_test(tc, test_exclude_set);
	tcase_add_test(tc, test_rr_even);
	tcase_add_test(tc, test_wrr_smooth);
	tcase_add_test(tc, test_wrr_proportions);
	tcase_add_test(tc, test_wrr_runtime_weight);
	tcase_add_test(tc, test_lc);
	tcase_add_test(tc, test_lc_fills_evenly);
	tcase_add_test(tc, test_wlc);
	tcase_add_test(tc, test_wlc_fills_by_weight);
	tcase_add_loop_test(tc, test_never_ineligible, 0, (int)NELEM(algos));
	tcase_add_loop_test(tc, test_exclude_all, 0, (int)NELEM(algos));
	tcase_add_test(tc, test_hash_balance);
	tcase_add_test(tc, test_hash_minimal_movement);
	tcase_add_test(tc, test_hash_weights);
	tcase_add_test(tc, test_hash_order_independent);
	tcase_add_loop_test(tc, test_hash_keyless_rr, 4, 6);	/* sh, hash */
	tcase_add_test(tc, test_sh_stable);
	tcase_add_test(tc, test_p2c_prefers_less_loaded);
	tcase_add_test(tc, test_p2c_eligibility_and_weight);
	tcase_add_test(tc, test_p2c_seeded);
	tcase_add_loop_test(tc, test_maxconn_full, 0, (int)NELEM(algos));
	tcase_add_test(tc, test_maxconn_unlimited);
	tcase_add_test(tc, test_slowstart_math);
	tcase_add_test(tc, test_slowstart_wrr);
	tcase_add_test(tc, test_slowstart_wlc_rr);
	suite_add_tcase(s, tc);
	return s;
}
