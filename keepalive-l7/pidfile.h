/* The pid file, locked with flock() so a second instance is refused even
 * when a killed one left a stale file behind. */
#ifndef KL7_PIDFILE_H
#define KL7_PIDFILE_H

#include <sys/types.h>

struct pidfile {
	const char	*path;
	int		 fd;
};

/* Create and lock path.  Returns 0; or -1 with errno EWOULDBLOCK and
 * *holder set (0 if unknown) when another instance holds it. */
int	pidfile_lock(struct pidfile *pf, const char *path, pid_t *holder);
/* Write the current pid (after daemonizing). */
int	pidfile_write(struct pidfile *pf);
/* Unlink and release (the parent, at exit). */
void	pidfile_remove(struct pidfile *pf);
/* Drop the fd without unlinking (a forked child). */
void	pidfile_close(struct pidfile *pf);

#endif
