/* Small file-system helpers shared by the parent's files. */
#ifndef KL7_PATH_H
#define KL7_PATH_H

#include <sys/types.h>

/* Make the directory that holds path (one level, e.g. /run/keepalive-l7/
 * for a default under it) if it is missing.  0, or -1 with errno set. */
int	path_mkdir_parent(const char *path, mode_t mode);

#endif
