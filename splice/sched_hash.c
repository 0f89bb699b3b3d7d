/* The consistent-hash ring of lb_algo sh and hash.
 *
 * Each server of the pool owns SCHED_RING_POINTS points per unit of its
 * configured weight (weights divided by their gcd first, and scaled down
 * when the ring would pass SCHED_RING_MAX points).  A point's place is
 * the hash of the server's address, port and the point's number, not of
 * its position in the file, so reordering the file or adding a server
 * leaves the other servers' points where they were.  A key goes to the
 * server of the first point at or after its hash (wrapping around),
 * skipping points of servers that cannot take it: keys move only off a
 * server that goes away, and back when it returns.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "splice/sched_int.h"

#define FNV64_OFFSET	0xcbf29ce484222325ULL
#define FNV64_PRIME	0x00000100000001b3ULL

uint64_t
sched_hash64(const void *data, size_t len)
{
	const unsigned char *b = data;
	uint64_t h = FNV64_OFFSET;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= b[i];
		h *= FNV64_PRIME;
	}
	/* FNV-1a alone mixes the last bytes poorly ("/a1" and "/a2" land
	 * close together); the finalizer spreads them over the ring. */
	return sched_mix64(h ^ len);
}

static unsigned
gcd(unsigned a, unsigned b)
{
	unsigned t;

	while (b != 0) {
		t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* A configured weight of 0 counts as 1 here: the server gets no request
 * while its live weight is 0 anyway, and has its place should the
 * control socket give it a weight. */
static unsigned
ring_weight(const struct conf_real_server *rs)
{
	return rs->weight > 0 ? rs->weight : 1;
}

/* Points per server, in pts[]; returns the total. */
static uint64_t
ring_shares(const struct pool *p, uint64_t *pts)
{
	unsigned i, g = 0;
	uint64_t total = 0, scaled = 0;

	for (i = 0; i < p->n; i++)
		g = gcd(g, ring_weight(p->srv[i]));
	for (i = 0; i < p->n; i++)
		total += pts[i] = (uint64_t)SCHED_RING_POINTS * (ring_weight(p->srv[i]) / g);
	if (total <= SCHED_RING_MAX)
		return total;
	for (i = 0; i < p->n; i++) {
		pts[i] = pts[i] * SCHED_RING_MAX / total;
		if (pts[i] == 0)
			pts[i] = 1;
		scaled += pts[i];
	}
	return scaled;
}

/* The place of point k of server rs: from its address and port. */
static uint64_t
point_hash(const struct conf_real_server *rs, uint32_t k)
{
	unsigned char buf[16 + 2 + 4];
	const void *a;
	size_t alen;

	a = addr_bytes(&rs->addr, &alen);
	memcpy(buf, a, alen);
	buf[alen] = (unsigned char)(rs->port >> 8);
	buf[alen + 1] = (unsigned char)rs->port;
	buf[alen + 2] = (unsigned char)(k >> 24);
	buf[alen + 3] = (unsigned char)(k >> 16);
	buf[alen + 4] = (unsigned char)(k >> 8);
	buf[alen + 5] = (unsigned char)k;
	return sched_hash64(buf, alen + 6);
}

static int
point_cmp(const void *va, const void *vb)
{
	const struct ring_point *a = va, *b = vb;

	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

int
sched_ring_build(struct pool *p)
{
	uint64_t *pts, total;
	unsigned i, n = 0;
	uint32_t k;

	if (p->n == 0)
		return 0;
	if ((pts = calloc(p->n, sizeof(*pts))) == NULL)
		return -1;
	total = ring_shares(p, pts);
	if ((p->ring = calloc(total, sizeof(*p->ring))) == NULL) {
		free(pts);
		return -1;
	}
	for (i = 0; i < p->n; i++)
		for (k = 0; k < pts[i]; k++)
			p->ring[n++] = (struct ring_point){ point_hash(p->srv[i], k), i };
	free(pts);
	qsort(p->ring, n, sizeof(*p->ring), point_cmp);
	p->n_ring = n;
	return 0;
}

static bool
any_usable(const struct pool *p, const struct sched_live *live,
    const struct sched_exclude *ex)
{
	unsigned pos;
	uint32_t w;

	for (pos = 0; pos < p->n; pos++)
		if (sched_usable(p, live, pos, ex, &w))
			return true;
	return false;
}

/* The first point at or after h; n_ring if h is past the last one. */
static unsigned
ring_find(const struct pool *p, uint64_t h)
{
	unsigned lo = 0, hi = p->n_ring, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (p->ring[mid].hash < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The walk ends: any_usable() promised a usable server on the ring. */
const struct conf_real_server *
sched_ring_pick(struct pool *p, const struct sched_live *live, const void *key,
    size_t key_len, const struct sched_exclude *ex)
{
	unsigned start, k, pos;
	uint32_t w;

	if (p->n_ring == 0 || !any_usable(p, live, ex))
		return NULL;
	start = ring_find(p, sched_hash64(key, key_len));
	for (k = 0; k < p->n_ring; k++) {
		pos = p->ring[(start + k) % p->n_ring].pos;
		if (sched_usable(p, live, pos, ex, &w))
			return p->srv[pos];
	}
	return NULL;
}
