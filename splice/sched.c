/* Schedulers: pools, exclusion sets, and the rr, wrr, lc, wlc and p2c
 * picks; the ring of sh and hash is in sched_hash.c.  See sched.h. */
#include "config.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "splice/sched_int.h"

typedef const struct conf_real_server *pick_fn(struct pool *, const struct sched_live *,
    const void *, size_t, const struct sched_exclude *);

/* Exclusion ------------------------------------------------------------------- */

void
sched_exclude_init(struct sched_exclude *ex)
{
	ex->n = 0;
	ex->next = 0;
}

void
sched_exclude_add(struct sched_exclude *ex, const struct conf_real_server *rs)
{
	if (sched_excluded(ex, rs))
		return;
	if (ex->n < SCHED_EXCLUDE_MAX) {
		ex->idx[ex->n++] = rs->index;
		return;
	}
	ex->idx[ex->next] = rs->index;
	ex->next = (ex->next + 1) % SCHED_EXCLUDE_MAX;
}

bool
sched_excluded(const struct sched_exclude *ex, const struct conf_real_server *rs)
{
	unsigned i;

	for (i = 0; i < ex->n; i++)
		if (ex->idx[i] == rs->index)
			return true;
	return false;
}

/* Eligibility ----------------------------------------------------------------- */

static uint64_t
active_of(const struct sched_live *live, const struct conf_real_server *rs)
{
	return live->active != NULL ? live->active[rs->index] : 0;
}

/* The weight to schedule rs with: shared state's, scaled, ramped while
 * in slow start. */
static uint32_t
live_weight(const struct sched_live *live, const struct conf_real_server *rs)
{
	const struct shm_rs *r = &live->rs[rs->index];
	uint32_t w = atomic_load_explicit(&r->weight, memory_order_relaxed);
	int64_t up = atomic_load_explicit(&r->up_since_ms, memory_order_relaxed);

	return sched_slowstart_weight(w, up != 0 ? live->now_ms - up : INT64_MAX,
	    rs->slowstart_ms);
}

/* Health not DOWN, admin ENABLED, weight above 0 (the weight in *w). */
static bool
healthy(const struct sched_live *live, const struct conf_real_server *rs, uint32_t *w)
{
	const struct shm_rs *s = &live->rs[rs->index];

	if (atomic_load_explicit(&s->health, memory_order_relaxed) == SHM_HEALTH_DOWN ||
	    atomic_load_explicit(&s->admin, memory_order_relaxed) != SHM_ADMIN_ENABLED)
		return false;
	*w = live_weight(live, rs);
	return *w > 0;
}

/* At its maxconn: it takes no request until one of its own ends. */
static bool
full(const struct sched_live *live, const struct conf_real_server *rs)
{
	return rs->maxconn > 0 && active_of(live, rs) >= rs->maxconn;
}

static bool
eligible(const struct sched_live *live, const struct conf_real_server *rs, uint32_t *w)
{
	return healthy(live, rs, w) && !full(live, rs);
}

bool
sched_usable(const struct pool *p, const struct sched_live *live, unsigned pos,
    const struct sched_exclude *ex, uint32_t *w)
{
	const struct conf_real_server *rs = p->srv[pos];

	return eligible(live, rs, w) && (ex == NULL || !sched_excluded(ex, rs));
}

/* load_a / w_a < load_b / w_b, without division. */
static bool
load_less(uint64_t load_a, uint32_t w_a, uint64_t load_b, uint32_t w_b)
{
	return load_a * w_b < load_b * w_a;
}

/* rr, lc, wlc ----------------------------------------------------------------- */

const struct conf_real_server *
sched_pick_rr(struct pool *p, const struct sched_live *live, const struct sched_exclude *ex)
{
	unsigned i, pos;
	uint32_t w;

	for (i = 0; i < p->n; i++) {
		pos = (p->rr + i) % p->n;
		if (sched_usable(p, live, pos, ex, &w)) {
			p->rr = (pos + 1) % p->n;
			return p->srv[pos];
		}
	}
	return NULL;
}

static const struct conf_real_server *
pick_rr(struct pool *p, const struct sched_live *live, const void *key, size_t key_len,
    const struct sched_exclude *ex)
{
	return sched_pick_rr(p, live, ex);
}

/* The least loaded server; the scan starts at the cursor and only a
 * strictly lower load replaces the best, so equal servers take turns. */
static const struct conf_real_server *
pick_least(struct pool *p, const struct sched_live *live, const struct sched_exclude *ex,
    bool weighted)
{
	unsigned i, pos, best = 0;
	uint64_t load, best_load = 0;
	uint32_t w, best_w = 0;
	bool found = false;

	for (i = 0; i < p->n; i++) {
		pos = (p->rr + i) % p->n;
		if (!sched_usable(p, live, pos, ex, &w))
			continue;
		load = active_of(live, p->srv[pos]) + (weighted ? 1 : 0);
		if (!weighted)
			w = 1;
		if (!found || load_less(load, w, best_load, best_w)) {
			found = true;
			best = pos;
			best_load = load;
			best_w = w;
		}
	}
	if (!found)
		return NULL;
	p->rr = (best + 1) % p->n;
	return p->srv[best];
}

static const struct conf_real_server *
pick_lc(struct pool *p, const struct sched_live *live, const void *key, size_t key_len,
    const struct sched_exclude *ex)
{
	return pick_least(p, live, ex, false);
}

static const struct conf_real_server *
pick_wlc(struct pool *p, const struct sched_live *live, const void *key, size_t key_len,
    const struct sched_exclude *ex)
{
	return pick_least(p, live, ex, true);
}

/* wrr ------------------------------------------------------------------------- */

/* Smooth weighted round robin.  A server that is not eligible restarts at
 * 0, so it does not come back with a burst of saved-up credit; an
 * excluded one (this request only) and a full one (until a request of
 * its own ends) keep their counters. */
static const struct conf_real_server *
pick_wrr(struct pool *p, const struct sched_live *live, const void *key, size_t key_len,
    const struct sched_exclude *ex)
{
	unsigned pos, best = 0;
	int64_t total = 0;
	uint32_t w;
	bool found = false;

	for (pos = 0; pos < p->n; pos++) {
		if (!healthy(live, p->srv[pos], &w)) {
			p->cur[pos] = 0;
			continue;
		}
		if ((ex != NULL && sched_excluded(ex, p->srv[pos])) || full(live, p->srv[pos]))
			continue;
		p->cur[pos] += w;
		total += w;
		if (!found || p->cur[pos] > p->cur[best]) {
			found = true;
			best = pos;
		}
	}
	if (!found)
		return NULL;
	p->cur[best] -= total;
	return p->srv[best];
}

/* p2c ------------------------------------------------------------------------- */

static uint64_t
rng_next(struct pool *p)
{
	p->rng += 0x9e3779b97f4a7c15ULL;	/* splitmix64 */
	return sched_mix64(p->rng);
}

/* Uniform in [0, n), by multiply-shift (Lemire): no modulo bias worth
 * the name for pool sizes. */
static unsigned
rng_below(struct pool *p, unsigned n)
{
	return (unsigned)(((rng_next(p) >> 32) * n) >> 32);
}

static const struct conf_real_server *
pick_p2c(struct pool *p, const struct sched_live *live, const void *key, size_t key_len,
    const struct sched_exclude *ex)
{
	unsigned pos, m = 0, i, j;
	uint64_t load_i, load_j;
	uint32_t w;

	for (pos = 0; pos < p->n; pos++)
		if (sched_usable(p, live, pos, ex, &w)) {
			p->cand[m] = pos;
			p->cand_w[m++] = w;
		}
	if (m == 0)
		return NULL;
	if (m == 1)
		return p->srv[p->cand[0]];
	i = rng_below(p, m);
	j = rng_below(p, m - 1);
	if (j >= i)
		j++;
	load_i = active_of(live, p->srv[p->cand[i]]) + 1;
	load_j = active_of(live, p->srv[p->cand[j]]) + 1;
	if (load_less(load_j, p->cand_w[j], load_i, p->cand_w[i]))
		i = j;
	return p->srv[p->cand[i]];
}

/* sh, hash -------------------------------------------------------------------- */

static const struct conf_real_server *
pick_ring(struct pool *p, const struct sched_live *live, const void *key, size_t key_len,
    const struct sched_exclude *ex)
{
	if (key == NULL || key_len == 0)
		return sched_pick_rr(p, live, ex);
	return sched_ring_pick(p, live, key, key_len, ex);
}

static pick_fn *const pickers[] = {
	[CONF_ALGO_RR] = pick_rr,
	[CONF_ALGO_WRR] = pick_wrr,
	[CONF_ALGO_LC] = pick_lc,
	[CONF_ALGO_WLC] = pick_wlc,
	[CONF_ALGO_SH] = pick_ring,
	[CONF_ALGO_HASH] = pick_ring,
	[CONF_ALGO_P2C] = pick_p2c,
};

const struct conf_real_server *
sched_pick(struct pool *p, const struct sched_live *live, const void *key, size_t key_len,
    const struct sched_exclude *ex)
{
	if (p->n == 0)
		return NULL;
	return pickers[p->algo](p, live, key, key_len, ex);
}

bool
sched_pool_full(const struct pool *p, const struct sched_live *live,
    const struct sched_exclude *ex)
{
	unsigned pos;
	uint32_t w;

	for (pos = 0; pos < p->n; pos++)
		if (healthy(live, p->srv[pos], &w) && full(live, p->srv[pos]) &&
		    (ex == NULL || !sched_excluded(ex, p->srv[pos])))
			return true;
	return false;
}

const struct conf_real_server *
sched_pick_index(const struct pool *p, const struct sched_live *live, uint32_t idx,
    const struct sched_exclude *ex)
{
	unsigned pos;
	uint32_t w;

	for (pos = 0; pos < p->n; pos++)
		if (p->srv[pos]->index == idx)
			return sched_usable(p, live, pos, ex, &w) ? p->srv[pos] : NULL;
	return NULL;
}

/* Pools ----------------------------------------------------------------------- */

static bool
algo_uses_ring(enum conf_lb_algo a)
{
	return a == CONF_ALGO_SH || a == CONF_ALGO_HASH;
}

static uint64_t
default_seed(const struct pool *p, const char *pool_name)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec) ^
	    (uint64_t)(uintptr_t)p ^ sched_hash64(pool_name, strlen(pool_name)) ^
	    ((uint64_t)p->vs->index << 32);
}

static int
pool_alloc(struct pool *p)
{
	size_t n = p->n > 0 ? p->n : 1;

	p->srv = calloc(n, sizeof(*p->srv));
	p->cur = calloc(n, sizeof(*p->cur));
	p->cand = calloc(n, sizeof(*p->cand));
	p->cand_w = calloc(n, sizeof(*p->cand_w));
	return p->srv == NULL || p->cur == NULL || p->cand == NULL || p->cand_w == NULL ?
	    -1 : 0;
}

struct pool *
pool_new(const struct conf_virtual_server *vs, const char *pool_name)
{
	const struct conf_real_server *rs;
	struct pool *p;

	if (pool_name == NULL || (unsigned)vs->lb_algo >= sizeof(pickers) / sizeof(pickers[0]) ||
	    (p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->vs = vs;
	p->algo = vs->lb_algo;
	for (rs = vs->servers; rs != NULL; rs = rs->next)
		if (strcmp(rs->pool, pool_name) == 0)
			p->n++;
	if (pool_alloc(p) == -1)
		goto fail;
	p->n = 0;
	for (rs = vs->servers; rs != NULL; rs = rs->next)
		if (strcmp(rs->pool, pool_name) == 0)
			p->srv[p->n++] = rs;
	if (algo_uses_ring(p->algo) && sched_ring_build(p) == -1)
		goto fail;
	pool_seed(p, default_seed(p, pool_name));
	return p;
fail:
	pool_free(p);
	return NULL;
}

void
pool_free(struct pool *p)
{
	if (p == NULL)
		return;
	free(p->srv);
	free(p->cur);
	free(p->cand);
	free(p->cand_w);
	free(p->ring);
	free(p);
}

unsigned
pool_size(const struct pool *p)
{
	return p->n;
}

const struct conf_real_server *
pool_server(const struct pool *p, unsigned i)
{
	return i < p->n ? p->srv[i] : NULL;
}

void
pool_seed(struct pool *p, uint64_t seed)
{
	p->rng = seed;
}

/* Pool sets ------------------------------------------------------------------- */

struct pool_set {
	unsigned		 n;
	struct {
		const char	*name;		/* the model's string */
		struct pool	*pool;
	}			 e[];		/* one per pool name, in order of first use */
};

struct pool_set *
pool_set_new(const struct conf_virtual_server *vs)
{
	const struct conf_real_server *rs;
	struct pool_set *s;

	s = calloc(1, sizeof(*s) + vs->n_servers * sizeof(s->e[0]));
	if (s == NULL)
		return NULL;
	for (rs = vs->servers; rs != NULL; rs = rs->next) {
		if (pool_set_find(s, rs->pool) != NULL)
			continue;
		if ((s->e[s->n].pool = pool_new(vs, rs->pool)) == NULL) {
			pool_set_free(s);
			return NULL;
		}
		s->e[s->n++].name = rs->pool;
	}
	return s;
}

void
pool_set_free(struct pool_set *s)
{
	unsigned i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		pool_free(s->e[i].pool);
	free(s);
}

struct pool *
pool_set_find(const struct pool_set *s, const char *name)
{
	unsigned i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->e[i].name, name) == 0)
			return s->e[i].pool;
	return NULL;
}
