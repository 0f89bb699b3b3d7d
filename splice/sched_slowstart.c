/* Slow start: the weight of a server that came back up, as it ramps; see
 * sched.h.  Pure arithmetic, unit-tested as it runs. */
#include "config.h"

#include "splice/sched.h"

uint32_t
sched_slowstart_weight(uint32_t weight, int64_t since_up_ms, uint32_t slowstart_ms)
{
	uint64_t full;

	if (weight > UINT32_MAX / SCHED_WEIGHT_SCALE)
		weight = UINT32_MAX / SCHED_WEIGHT_SCALE;
	full = (uint64_t)weight * SCHED_WEIGHT_SCALE;
	if (weight == 0 || slowstart_ms == 0 || since_up_ms >= (int64_t)slowstart_ms)
		return (uint32_t)full;
	if (since_up_ms < 0)
		since_up_ms = 0;
	/* Rounded up, and at least 1: a server that is up takes some share
	 * from its first moment, as a weight above 0 always does. */
	full = (full * (uint64_t)since_up_ms + slowstart_ms - 1) / slowstart_ms;
	return full > 0 ? (uint32_t)full : 1;
}
