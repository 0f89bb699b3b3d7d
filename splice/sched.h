/* Schedulers of the l7 child: which real server of a pool gets a new
 * request (lb_algo, keepalive-l7.conf(5) VIRTUAL_SERVER).
 *
 * A pool is the real servers of one virtual server that share a `pool`
 * name, in file order; it owns its scheduler's state (round-robin cursor,
 * smooth-wrr counters, hash ring, p2c random state), so there is no
 * global state and picks cost no allocation.  The l7 child is one thread:
 * a pool is not for concurrent use.
 *
 * A server is eligible while its shared-state record says health not
 * DOWN (UNKNOWN counts as up: no checker has adopted it yet), admin
 * ENABLED (DRAIN and DISABLED get no new requests) and effective weight
 * above 0, and (real_server maxconn) fewer requests in flight than its
 * maxconn: a full server is passed over as if it were not there, so the
 * scheduler's next choice takes the request (sched_pool_full() tells
 * this apart from no live server at all: then the request waits in the
 * pool's queue, l7_queue.c).  The weight is read from shared state at
 * every pick, so a weight the checker or the control socket changes is
 * honoured by wrr, wlc and p2c on the next pick.
 *
 * Weights are compared scaled by SCHED_WEIGHT_SCALE, so that slow start
 * (real_server slowstart) can give a server of weight 1 a fraction of
 * its share: for slowstart ms after the check child saw the server come
 * back from DOWN (shm_rs up_since_ms), its weight ramps linearly
 * (sched_slowstart_weight()).
 * It changes what wrr, wlc and p2c do; rr, lc, sh and hash do not use
 * weights, and the server takes its full turn with them at once.
 *
 *   rr    round robin over the eligible servers.
 *   wrr   smooth weighted round robin (nginx's): each pick adds every
 *         eligible server's weight to its counter, takes the largest
 *         counter and subtracts the total weight from it.  Weights 5,1,1
 *         give a a b a c a a: proportional over each cycle, no bursts.
 *   lc    fewest active requests; ties in turn.
 *   wlc   fewest (active + 1) / weight, the load a server would have with
 *         this request relative to its weight (IPVS sed, HAProxy's
 *         leastconn), compared by cross-multiplication; ties in turn.
 *         The + 1 makes weights count on idle servers too.
 *   sh    consistent hash of the client address (the key the caller
 *         passes, route_hash_key()), on the ring of `hash`.
 *   hash  consistent hash of the key on a ring of SCHED_RING_POINTS
 *         points per unit of weight and server, built once from the
 *         *configured* weights of all the pool's servers (a runtime weight
 *         change only matters as 0 / not 0).  A pick walks clockwise from
 *         the key's point past ineligible and excluded servers, so a
 *         server going away moves its own keys only, and they come back
 *         when it does.
 *   p2c   power of two choices: two distinct eligible servers at random,
 *         the one with the lower (active + 1) / weight wins (the first on
 *         a tie).
 *
 * sh and hash fall back to rr for a request without a key.
 */
#ifndef KL7_SCHED_H
#define KL7_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/conf.h"
#include "lib/shm.h"

/* Ring points per unit of (gcd-reduced) weight for sh and hash: 160 as
 * ketama; with 10 equal servers each gets 9..11 % of the keys. */
#define SCHED_RING_POINTS	160
/* The most points in one ring: weights scale down past it. */
#define SCHED_RING_MAX		65536
/* Servers a request remembers having tried; see struct sched_exclude. */
#define SCHED_EXCLUDE_MAX	16

struct sched_live {			/* what picks read, by real-server index (conf_real_server.index) */
	const struct shm_rs	*rs;		/* shared-state records, indexed by rs index */
	const uint32_t		*active;	/* l7-local active requests per rs index; NULL: all 0 */
	int64_t			 now_ms;	/* CLOCK_MONOTONIC, for rs up_since_ms */
};
/* Weights are multiplied by this before they are compared (see above). */
#define SCHED_WEIGHT_SCALE	256u

/* The weight a server of weight `weight` is scheduled with since_up_ms
 * after it came back up, with slowstart_ms of slow start (0: none),
 * scaled by SCHED_WEIGHT_SCALE: it grows linearly from 1 to
 * weight * SCHED_WEIGHT_SCALE, reached at slowstart_ms and kept after.
 * 0 only for weight 0. */
uint32_t sched_slowstart_weight(uint32_t weight, int64_t since_up_ms, uint32_t slowstart_ms);

struct pool;				/* one per (virtual server, pool name) */

/* The pool of vs named pool_name (real servers whose conf `pool` is that
 * name, possibly none), its scheduler state made ready; the p2c random
 * state is seeded from the clock and the pool's identity.  The model must
 * outlive the pool.  NULL: no memory. */
struct pool	*pool_new(const struct conf_virtual_server *vs, const char *pool_name);
void		 pool_free(struct pool *p);
unsigned	 pool_size(const struct pool *p);
/* The server at position i (file order), i < pool_size(). */
const struct conf_real_server *pool_server(const struct pool *p, unsigned i);
/* Restart the p2c random sequence from seed (tests, reproducible runs). */
void		 pool_seed(struct pool *p, uint64_t seed);

/* Every pool of a virtual server, by name: those of its real servers
 * (hence of its routes and default_pool, which validation ties to them).
 * The l7 child keeps one per virtual server and looks up the name
 * route_pick_pool() returns.  NULL: no memory. */
struct pool_set;

struct pool_set	*pool_set_new(const struct conf_virtual_server *vs);
void		 pool_set_free(struct pool_set *s);
/* The pool named name; NULL if no real server of the set's virtual
 * server is in it. */
struct pool	*pool_set_find(const struct pool_set *s, const char *name);

/* The servers a request has tried (a retry goes elsewhere), by rs index.
 * Fixed size, no allocation; init is the per-request clear.  Past
 * SCHED_EXCLUDE_MAX servers the oldest is forgotten again. */
struct sched_exclude {
	unsigned	idx[SCHED_EXCLUDE_MAX];
	unsigned	n;		/* entries in use, at most SCHED_EXCLUDE_MAX */
	unsigned	next;		/* slot the next add overwrites when full */
};

void	sched_exclude_init(struct sched_exclude *ex);
void	sched_exclude_add(struct sched_exclude *ex, const struct conf_real_server *rs);
bool	sched_excluded(const struct sched_exclude *ex, const struct conf_real_server *rs);

/* The server for a new request among the pool's eligible servers that ex
 * (may be NULL) does not exclude; NULL if there is none.  key/key_len:
 * what sh and hash hash (route_hash_key()); NULL or 0: none.  Updates the
 * pool's scheduler state. */
const struct conf_real_server *sched_pick(struct pool *p, const struct sched_live *live,
	    const void *key, size_t key_len, const struct sched_exclude *ex);

/* Whether a server of the pool that ex does not exclude is eligible
 * but for being at its maxconn: sched_pick() returning NULL then means
 * "wait", not "no server". */
bool	sched_pool_full(const struct pool *p, const struct sched_live *live,
	    const struct sched_exclude *ex);

/* The pool's server with rs index idx if it is eligible and ex does not
 * exclude it (persistence: the server a client sticks to); NULL else.
 * No scheduler state changes. */
const struct conf_real_server *sched_pick_index(const struct pool *p,
	    const struct sched_live *live, uint32_t idx, const struct sched_exclude *ex);

/* The 64-bit hash of the ring (FNV-1a, then a splitmix64 finalizer). */
uint64_t sched_hash64(const void *data, size_t len);

#endif
