/* keepalive-l7ctl's output for people: each command's reply as aligned
 * tables (or "key: value" lines for status).  -j bypasses all of this. */
#ifndef KL7_CTL_PRINT_H
#define KL7_CTL_PRINT_H

#include <stdio.h>

#include <json-c/json.h>

#include "keepalive-l7/ctl_req.h"

/* Print the result of a successful reply to cmd. */
void	ctl_print_result(FILE *f, enum ctl_cmd cmd, json_object *result);
/* Print a failed reply's error (and its "errors", e.g. FILE:LINE ones). */
void	ctl_print_error(FILE *f, json_object *reply);

#endif
