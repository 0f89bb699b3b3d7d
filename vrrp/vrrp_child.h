/* The VRRP child: entry point started by the parent. */
#ifndef KL7_VRRP_CHILD_H
#define KL7_VRRP_CHILD_H

#include "lib/proc.h"

int	vrrp_child_main(const struct proc_env *env);

#endif
