/* Script spawning; see spawn.h. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cfg.h"
#include "lib/log.h"
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

/* The program of cmd: its first word, as an absolute path. */
static int
program_path(const char *cmd, char *out, size_t len)
{
	static const char *const dirs[] = { "/usr/local/sbin", "/usr/local/bin",
	    "/usr/sbin", "/usr/bin", "/sbin", "/bin", NULL };
	size_t n = strcspn(cmd, " \t");
	int i;

	if (n == 0 || n >= len)
		return -1;
	if (cmd[0] == '/') {
		snprintf(out, len, "%.*s", (int)n, cmd);
		return 0;
	}
	for (i = 0; dirs[i] != NULL; i++) {
		snprintf(out, len, "%s/%.*s", dirs[i], (int)n, cmd);
		if (access(out, X_OK) == 0)
			return 0;
	}
	return -1;
}

int
spawn_check_secure(const char *cmd, char *why, size_t len)
{
	char path[4096];
	char *slash;
	struct stat st;

	if (program_path(cmd, path, sizeof(path)) == -1) {
		snprintf(why, len, "cannot find the program of '%s'", cmd);
		return -1;
	}
	/* The program, then each directory up to /. */
	for (;;) {
		if (stat(path, &st) == -1) {
			snprintf(why, len, "%s: %s", path, strerror(errno));
			return -1;
		}
		if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH))) {
			snprintf(why, len, "%s can be changed by a user other than root", path);
			return -1;
		}
		if ((slash = strrchr(path, '/')) == NULL || slash == path)
			break;
		*slash = '\0';
	}
	return 0;
}

int
spawn_refuse_insecure(const char *cmd, const struct cfg_src *src)
{
	char why[512];

	if (cmd == NULL || spawn_check_secure(cmd, why, sizeof(why)) == 0)
		return 0;
	log_warnx("%s:%d: refusing script '%s' (enable_script_security): %s", src->file,
	    src->line, cmd, why);
	return 1;
}
