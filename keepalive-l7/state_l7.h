/* The forwarder's view in the SIGUSR1 dump: per virtual server, its routes
 * in match order and its pools, each server marked eligible or not by the
 * schedulers' own test (splice/sched.h), as the l7 child sees them now. */
#ifndef KL7_STATE_L7_H
#define KL7_STATE_L7_H

#include <json-c/json.h>

#include "lib/conf.h"
#include "lib/shm.h"

/* A new array, one object per virtual server of c; snap is a snapshot of
 * the shared state made for c.  NULL: out of memory. */
json_object	*state_dump_forwarder(const struct conf *c, const struct shm *snap);

#endif
