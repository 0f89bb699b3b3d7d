/* The L7 forwarder child: entry point started by the parent. */
#ifndef KL7_L7_CHILD_H
#define KL7_L7_CHILD_H

#include "lib/proc.h"

int	l7_child_main(const struct proc_env *env);

#endif
