/* When to log a listener running out of file descriptors.  accept(2)
 * failing with EMFILE pauses the listener and tries again; under steady
 * pressure each fd a closing connection frees lets one accept through
 * and the next fail, so logging each pause and each recovery would write
 * two lines per connection.  A spell of starvation is logged once when
 * it starts and once when it is over: no pause for STARVE_QUIET_MS,
 * with how many pauses it took. */
#ifndef KL7_STARVE_H
#define KL7_STARVE_H

#include <stdbool.h>
#include <stdint.h>

#define STARVE_QUIET_MS		1000

struct starve {
	bool		 on;		/* in a spell */
	int64_t		 last_ms;	/* its last pause */
	unsigned	 pauses;	/* in this spell */
};

/* accept(2) ran out of fds at now_ms: true if this starts a spell (log it). */
bool		starve_hit(struct starve *s, int64_t now_ms);
/* A connection was accepted at now_ms: the number of pauses of a spell it
 * ends (log it), 0 if none ends. */
unsigned	starve_ok(struct starve *s, int64_t now_ms);

#endif
