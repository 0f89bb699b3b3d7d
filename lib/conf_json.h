/* The model as JSON (json-c): `--dump-conf`, SIGUSR1 dumps and, later,
 * the control socket.  Durations are given in seconds (fractional). */
#ifndef KL7_CONF_JSON_H
#define KL7_CONF_JSON_H

#include <json-c/json.h>

#include "lib/conf.h"

json_object	*conf_to_json(const struct conf *c);

#endif
