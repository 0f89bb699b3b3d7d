/* The daemon's state in the Prometheus text exposition format (version
 * 0.0.4): the VRRP instances, virtual and real servers from the shared
 * state, and the supervisor's children and reloads.  Every family has
 * one HELP and one TYPE line; names have the kl7_ prefix and base units;
 * label values are escaped as the format asks.  The metric list is in
 * keepalive-l7(8), METRICS. */
#ifndef KL7_METRICS_TEXT_H
#define KL7_METRICS_TEXT_H

#include <stdio.h>

struct supervisor;

#define METRICS_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

/* Write the whole exposition to out; 0, or -1 if out reports an error. */
int	metrics_text_write(const struct supervisor *sup, FILE *out);

#endif
