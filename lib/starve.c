/* Logging out-of-fd spells once; see starve.h. */
#include "config.h"

#include "lib/starve.h"

bool
starve_hit(struct starve *s, int64_t now_ms)
{
	bool starts = !s->on;

	if (starts)
		s->pauses = 0;
	s->on = true;
	s->last_ms = now_ms;
	s->pauses++;
	return starts;
}

unsigned
starve_ok(struct starve *s, int64_t now_ms)
{
	if (!s->on || now_ms - s->last_ms < STARVE_QUIET_MS)
		return 0;
	s->on = false;
	return s->pauses;
}
