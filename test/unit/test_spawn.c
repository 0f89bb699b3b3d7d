/* Script spawning: exit status, appended arguments, running as another
 * user, and the enable_script_security check. */
#include "config.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/spawn.h"
#include "test/unit/tmain.h"

static int
run(const char *cmd, const char *const *extra, const char *user)
{
	int status;
	pid_t pid = spawn_script(cmd, extra, user);

	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void
read_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(buf, (int)len, f));
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

START_TEST(test_exit_status)
{
	ck_assert_int_eq(run("exit 3", NULL, NULL), 3);
	ck_assert_int_eq(run("true", NULL, NULL), 0);
}
END_TEST

START_TEST(test_extra_arguments)
{
	char tmpl[] = "/tmp/kl7-spawn-XXXXXX", cmd[128], got[128];
	const char *const extra[] = { "INSTANCE", "VI 1", "MASTER", "150", NULL };
	int fd = mkstemp(tmpl);

	ck_assert_int_ge(fd, 0);
	close(fd);
	/* The command's own words come first, ours after, each one word. */
	snprintf(cmd, sizeof(cmd), "printf '%%s|' own >%s; printf '%%s|' >>%s", tmpl, tmpl);
	ck_assert_int_eq(run(cmd, extra, NULL), 0);
	read_file(tmpl, got, sizeof(got));
	unlink(tmpl);
	ck_assert_str_eq(got, "own|INSTANCE|VI 1|MASTER|150|");
}
END_TEST

START_TEST(test_runs_as_user)
{
	struct passwd *pw = getpwnam("nobody");
	char tmpl[] = "/tmp/kl7-spawn-XXXXXX", cmd[128], got[32], want[32];
	int fd;

	if (pw == NULL || getuid() != 0)
		return;		/* needs root and the nobody user: checked by t_vrrp_track */
	fd = mkstemp(tmpl);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fchmod(fd, 0666), 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "id -u >%s", tmpl);
	ck_assert_int_eq(run(cmd, NULL, "nobody"), 0);
	read_file(tmpl, got, sizeof(got));
	unlink(tmpl);
	snprintf(want, sizeof(want), "%u", (unsigned)pw->pw_uid);
	ck_assert_str_eq(got, want);
	/* An unknown user: the script does not run (126). */
	ck_assert_int_eq(run("true", NULL, "no-such-user-kl7"), 126);
}
END_TEST

START_TEST(test_secure)
{
	char why[256];

	ck_assert_int_eq(spawn_check_secure("/bin/true --flag", why, sizeof(why)), 0);
	ck_assert_int_eq(spawn_check_secure("true", why, sizeof(why)), 0);
	ck_assert_int_eq(spawn_check_secure("no-such-program-kl7 x", why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "cannot find"));
}
END_TEST

START_TEST(test_insecure_path)
{
	char dir[] = "/tmp/kl7-sec-XXXXXX", prog[64], why[256];
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(prog, sizeof(prog), "%s/check.sh", dir);
	f = fopen(prog, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	ck_assert_int_eq(chmod(prog, 0755), 0);
	ck_assert_int_eq(chmod(dir, 0755), 0);
	/* /tmp itself is world-writable: refused whatever the file's mode. */
	ck_assert_int_eq(spawn_check_secure(prog, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "can be changed by a user other than root"));
	unlink(prog);
	rmdir(dir);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("spawn");
	TCase *tc = tcase_create("spawn");

	tcase_add_test(tc, test_exit_status);
	tcase_add_test(tc, test_extra_arguments);
	tcase_add_test(tc, test_runs_as_user);
	tcase_add_test(tc, test_secure);
	tcase_add_test(tc, test_insecure_path);
	suite_add_tcase(s, tc);
	return s;
}
