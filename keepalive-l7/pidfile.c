/* Pid file; see pidfile.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "keepalive-l7/pidfile.h"

static pid_t
pidfile_read(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return (pid_t)strtol(buf, NULL, 10);
}

int
pidfile_lock(struct pidfile *pf, const char *path, pid_t *holder)
{
	pf->path = path;
	pf->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (pf->fd == -1)
		return -1;
	if (flock(pf->fd, LOCK_EX | LOCK_NB) == -1) {
		int saved = errno;

		*holder = pidfile_read(pf->fd);
		close(pf->fd);
		pf->fd = -1;
		errno = saved;
		return -1;
	}
	return 0;
}

int
pidfile_write(struct pidfile *pf)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());

	if (ftruncate(pf->fd, 0) == -1 || pwrite(pf->fd, buf, (size_t)n, 0) != n)
		return -1;
	return 0;
}

void
pidfile_remove(struct pidfile *pf)
{
	if (pf->fd == -1)
		return;
	unlink(pf->path);
	close(pf->fd);
	pf->fd = -1;
}

void
pidfile_close(struct pidfile *pf)
{
	if (pf->fd != -1)
		close(pf->fd);
	pf->fd = -1;
}
