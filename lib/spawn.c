/* Script spawning; see spawn.h. */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/spawn.h"

#define SPAWN_MAX_ARGS	16

/* In the new process: what the daemon blocked or ignored must not reach
 * the script. */
static void
reset_signals(void)
{
	sigset_t none;
	int s;

	for (s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static int
become(const char *user)
{
	struct passwd *pw = getpwnam(user);

	if (pw == NULL || initgroups(pw->pw_name, pw->pw_gid) == -1 ||
	    setgid(pw->pw_gid) == -1 || setuid(pw->pw_uid) == -1)
		return -1;
	return 0;
}

pid_t
spawn_script(const char *cmd, const char *const *extra, const char *user)
{
	const char *argv[SPAWN_MAX_ARGS + 6];
	char *wrapped = NULL;
	int n = 0, i;
	pid_t pid;

	/* `cmd "$@"`: the script keeps its own words and gets ours after. */
	if (extra != NULL) {
		size_t len = strlen(cmd) + 8;

		if ((wrapped = malloc(len)) == NULL)
			return -1;
		strcpy(wrapped, cmd);
		strcat(wrapped, " \"$@\"");
	}
	argv[n++] = "/bin/sh";
	argv[n++] = "-c";
	argv[n++] = wrapped != NULL ? wrapped : cmd;
	if (extra != NULL) {
		argv[n++] = "sh";
		for (i = 0; extra[i] != NULL && i < SPAWN_MAX_ARGS; i++)
			argv[n++] = extra[i];
	}
	argv[n] = NULL;

	pid = fork();
	if (pid == 0) {
		reset_signals();
		setpgid(0, 0);
		if (user != NULL && become(user) == -1)
			_exit(126);
		execv("/bin/sh", (char *const *)argv);
		_exit(127);
	}
	/* Also here, so a kill(-pid) right after cannot miss the group. */
	if (pid > 0)
		setpgid(pid, pid);
	free(wrapped);
	return pid;
}
