/* The verification cache; see auth_cache.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "splice/auth_cache.h"

int
auth_cache_init(struct auth_cache *c, unsigned entries, uint32_t ttl_ms)
{
	unsigned sets = 1;

	while (sets * AUTH_CACHE_WAYS < entries)
		sets *= 2;
	c->e = calloc((size_t)sets * AUTH_CACHE_WAYS, sizeof(*c->e));
	c->n_sets = sets;
	c->ttl_ms = ttl_ms;
	return c->e == NULL ? -1 : 0;
}

void
auth_cache_free(struct auth_cache *c)
{
	free(c->e);
	c->e = NULL;
}

/* The key is a digest: its first bytes are as good as any hash of it. */
static struct auth_cache_entry *
set_of(const struct auth_cache *c, const uint8_t *key)
{
	uint32_t h = (uint32_t)key[0] | (uint32_t)key[1] << 8 | (uint32_t)key[2] << 16 |
	    (uint32_t)key[3] << 24;

	return &c->e[(size_t)(h & (c->n_sets - 1)) * AUTH_CACHE_WAYS];
}

static bool
live(const struct auth_cache_entry *e, int64_t now_ms)
{
	return e->expires_ms > now_ms;
}

static struct auth_cache_entry *
find(struct auth_cache_entry *set, const uint8_t *key, int64_t now_ms)
{
	int i;

	for (i = 0; i < AUTH_CACHE_WAYS; i++)
		if (live(&set[i], now_ms) && memcmp(set[i].key, key, AUTH_CACHE_KEY_LEN) == 0)
			return &set[i];
	return NULL;
}

bool
auth_cache_has(const struct auth_cache *c, const uint8_t *key, int64_t now_ms)
{
	return find(set_of(c, key), key, now_ms) != NULL;
}

/* A free or expired entry of the set, else the one that expires first. */
static struct auth_cache_entry *
victim(struct auth_cache_entry *set, int64_t now_ms)
{
	struct auth_cache_entry *v = &set[0];
	int i;

	for (i = 0; i < AUTH_CACHE_WAYS; i++) {
		if (!live(&set[i], now_ms))
			return &set[i];
		if (set[i].expires_ms < v->expires_ms)
			v = &set[i];
	}
	return v;
}

void
auth_cache_put(struct auth_cache *c, const uint8_t *key, int64_t now_ms)
{
	struct auth_cache_entry *set = set_of(c, key), *e;

	if ((e = find(set, key, now_ms)) == NULL)
		e = victim(set, now_ms);
	memcpy(e->key, key, AUTH_CACHE_KEY_LEN);
	e->expires_ms = now_ms + c->ttl_ms;
}
