/* A bump allocator: many small allocations freed together.  The config
 * model lives in one arena, so freeing a model is one call and cannot leak. */
#ifndef KL7_ARENA_H
#define KL7_ARENA_H

#include <stddef.h>

struct arena;

struct arena	*arena_new(void);
void		 arena_free(struct arena *a);
/* Zeroed memory aligned for any type; aborts on out-of-memory, since the
 * config is loaded before the daemon serves anything. */
void		*arena_alloc(struct arena *a, size_t size);
char		*arena_strdup(struct arena *a, const char *s);
char		*arena_strndup(struct arena *a, const char *s, size_t n);
size_t		 arena_used(const struct arena *a);

#endif
