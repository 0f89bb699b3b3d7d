/* The control socket's commands, run in the parent on a parsed request
 * (ctl_req.h); see doc/control-protocol.md for every reply.  A reply is
 * {"version": 1, "ok": true, "result": {...}} or {"version": 1,
 * "ok": false, "error": "...", ...}; the caller owns it. */
#ifndef KL7_CTL_CMD_H
#define KL7_CTL_CMD_H

#include <json-c/json.h>

#include "keepalive-l7/ctl_req.h"

struct supervisor;

json_object	*ctl_cmd_run(struct supervisor *sup, const struct ctl_req *req);
json_object	*ctl_cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
