/* Running operator scripts (track scripts, notify scripts, MISC_CHECK)
 * without blocking the event loop: fork, clean the child's signal state,
 * exec /bin/sh -c.  The caller reaps through its SIGCHLD handler. */
#ifndef KL7_SPAWN_H
#define KL7_SPAWN_H

#include <sys/types.h>

/* Run `cmd` with /bin/sh -c; extra arguments (NULL-terminated, may be
 * NULL) are appended to the command as "$@", as keepalived does for
 * `notify`.  The script gets its own process group, so a timeout can end
 * it with kill(-pid, SIGKILL).  user (NULL: no change) runs it as that
 * user and the user's group.  Returns the pid, or -1 with errno set. */
pid_t	spawn_script(const char *cmd, const char *const *extra, const char *user);

/* enable_script_security: the program a command runs (its first word,
 * searched in PATH if relative) and every directory above it must be
 * owned by root and writable by nobody else.  0 if so; else -1 with the
 * reason in why. */
int	spawn_check_secure(const char *cmd, char *why, size_t len);

struct cfg_src;
/* spawn_check_secure() for a configured command (NULL: nothing to check):
 * 0 if it may run; 1 if not, after logging FILE:LINE and the reason. */
int	spawn_refuse_insecure(const char *cmd, const struct cfg_src *src);

#endif
