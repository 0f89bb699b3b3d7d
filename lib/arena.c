/* Bump allocator; see arena.h. */
#include "config.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/log.h"

#define ARENA_CHUNK	16384

struct arena_chunk {
	struct arena_chunk	*next;
	size_t			 size;
	size_t			 used;
	alignas(max_align_t) unsigned char data[];
};

struct arena {
	struct arena_chunk	*head;
	size_t			 total;
};

struct arena *
arena_new(void)
{
	struct arena *a = calloc(1, sizeof(*a));

	if (a == NULL)
		fatal("%s: calloc", __func__);
	return a;
}

void
arena_free(struct arena *a)
{
	struct arena_chunk *c, *next;

	if (a == NULL)
		return;
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

void *
arena_alloc(struct arena *a, size_t size)
{
	const size_t align = alignof(max_align_t);
	struct arena_chunk *c = a->head;
	void *p;

	size = (size + align - 1) & ~(align - 1);
	if (c == NULL || c->size - c->used < size) {
		size_t csize = size > ARENA_CHUNK ? size : ARENA_CHUNK;

		if ((c = malloc(sizeof(*c) + csize)) == NULL)
			fatal("%s: malloc", __func__);
		c->size = csize;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	p = c->data + c->used;
	c->used += size;
	a->total += size;
	memset(p, 0, size);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *d = arena_alloc(a, n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

size_t
arena_used(const struct arena *a)
{
	return a->total;
}
