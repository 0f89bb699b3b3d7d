/* Source persistence table; see l7_sticky.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "splice/l7_sticky.h"
#include "splice/sched.h"

int
l7_sticky_init(struct l7_sticky *t, uint32_t timeout_ms)
{
	*t = (struct l7_sticky){ .timeout_ms = timeout_ms };
	t->slot = calloc(L7_STICKY_SLOTS, sizeof(*t->slot));
	return t->slot != NULL ? 0 : -1;
}

void
l7_sticky_free(struct l7_sticky *t)
{
	free(t->slot);
	*t = (struct l7_sticky){ 0 };
}

static unsigned
home(const struct kl_addr *a)
{
	size_t len;
	const void *b = addr_bytes(a, &len);

	return (unsigned)(sched_hash64(b, len) & (L7_STICKY_SLOTS - 1));
}

static bool
fresh(const struct l7_sticky *t, const struct l7_sticky_entry *e, int64_t now)
{
	return e->addr.family != 0 && now - e->last_ms < (int64_t)t->timeout_ms;
}

static struct l7_sticky_entry *
probe(struct l7_sticky *t, unsigned h, unsigned i)
{
	return &t->slot[(h + i) & (L7_STICKY_SLOTS - 1)];
}

int64_t
l7_sticky_get(struct l7_sticky *t, const struct kl_addr *a, int64_t now)
{
	unsigned h = home(a), i;

	for (i = 0; i < L7_STICKY_PROBE; i++) {
		struct l7_sticky_entry *e = probe(t, h, i);

		if (e->addr.family != 0 && addr_equal(&e->addr, a)) {
			if (!fresh(t, e, now))
				return -1;
			e->last_ms = now;
			return e->rs;
		}
	}
	return -1;
}

/* a's own entry, else the slot an insert of a takes: the first free or
 * expired one, else the coldest. */
static struct l7_sticky_entry *
place(struct l7_sticky *t, const struct kl_addr *a, int64_t now)
{
	struct l7_sticky_entry *victim = NULL;
	unsigned h = home(a), i;

	for (i = 0; i < L7_STICKY_PROBE; i++) {
		struct l7_sticky_entry *e = probe(t, h, i);

		if (e->addr.family != 0 && addr_equal(&e->addr, a))
			return e;
		if (victim == NULL || (fresh(t, victim, now) &&
		    (!fresh(t, e, now) || e->last_ms < victim->last_ms)))
			victim = e;
	}
	return victim;
}

bool
l7_sticky_put(struct l7_sticky *t, const struct kl_addr *a, uint32_t rs, int64_t now)
{
	struct l7_sticky_entry *e = place(t, a, now);
	bool news = e->addr.family == 0 || !addr_equal(&e->addr, a) || e->rs != rs ||
	    !fresh(t, e, now);

	if (news)
		e->peer_until = 0;
	e->addr = *a;
	e->rs = rs;
	e->last_ms = now;
	return news;
}

bool
l7_sticky_fresh(const struct l7_sticky *t, const struct l7_sticky_entry *e, int64_t now)
{
	return fresh(t, e, now);
}

bool
l7_sticky_due(const struct l7_sticky *t, const struct l7_sticky_entry *e, int64_t now)
{
	int64_t end = e->last_ms + t->timeout_ms;

	if (!fresh(t, e, now))
		return false;
	return e->peer_until == 0 ||
	    (end > e->peer_until && e->peer_until - now < (int64_t)t->timeout_ms / 2);
}

bool
l7_sticky_merge(struct l7_sticky *t, const struct kl_addr *a, uint32_t rs,
    uint32_t remaining_ms, int64_t now)
{
	struct l7_sticky_entry *e = place(t, a, now);
	int64_t end = now + (remaining_ms < t->timeout_ms ? remaining_ms : t->timeout_ms);

	if (remaining_ms == 0)
		return false;
	if (e->addr.family != 0 && addr_equal(&e->addr, a) && fresh(t, e, now) &&
	    e->last_ms + t->timeout_ms >= end)
		return false;
	e->addr = *a;
	e->rs = rs;
	e->last_ms = end - t->timeout_ms;
	e->peer_until = end;		/* the peer has it: nothing to send back */
	return true;
}

unsigned
l7_sticky_count(const struct l7_sticky *t, int64_t now)
{
	unsigned i, n = 0;

	for (i = 0; i < L7_STICKY_SLOTS; i++)
		if (fresh(t, &t->slot[i], now))
			n++;
	return n;
}
