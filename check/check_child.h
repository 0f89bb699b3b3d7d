/* The health-check child: entry point started by the parent. */
#ifndef KL7_CHECK_CHILD_H
#define KL7_CHECK_CHILD_H

#include "lib/proc.h"

int	check_child_main(const struct proc_env *env);

#endif
