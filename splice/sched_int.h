/* Inside the schedulers: the pool, shared by sched.c (pools, rr, wrr, lc,
 * wlc, p2c) and sched_hash.c (the ring of sh and hash).  Not for other
 * users: see sched.h. */
#ifndef KL7_SCHED_INT_H
#define KL7_SCHED_INT_H

#include "splice/sched.h"

struct ring_point {
	uint64_t	hash;
	unsigned	pos;		/* pool position of the server */
};

struct pool {
	const struct conf_virtual_server *vs;
	enum conf_lb_algo		 algo;
	unsigned			 n;
	const struct conf_real_server	**srv;		/* file order */
	int64_t				*cur;		/* wrr: smooth counters */
	unsigned			*cand;		/* p2c: eligible positions */
	uint32_t			*cand_w;	/* p2c: their weights */
	unsigned			 rr;		/* next position: rr, lc/wlc ties */
	uint64_t			 rng;		/* p2c: splitmix64 state */
	struct ring_point		*ring;		/* sh, hash: sorted by hash */
	unsigned			 n_ring;
};

/* The splitmix64 / MurmurHash3 fmix64-style finalizer: every input bit
 * affects every output bit. */
static inline uint64_t
sched_mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* sched.c */
/* Eligible (see sched.h) and not excluded; its weight in *w. */
bool	sched_usable(const struct pool *p, const struct sched_live *live, unsigned pos,
	    const struct sched_exclude *ex, uint32_t *w);
const struct conf_real_server *sched_pick_rr(struct pool *p, const struct sched_live *live,
	    const struct sched_exclude *ex);

/* sched_hash.c */
/* Build p->ring from the configured weights; -1: no memory. */
int	sched_ring_build(struct pool *p);
const struct conf_real_server *sched_ring_pick(struct pool *p, const struct sched_live *live,
	    const void *key, size_t key_len, const struct sched_exclude *ex);

#endif
