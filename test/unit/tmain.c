/* Shared main() of the unit tests; see tmain.h. */
#include "config.h"

#include <stdlib.h>

#include "test/unit/tmain.h"

const char *
test_srcdir(void)
{
	const char *d = getenv("KL7_TOP_SRCDIR");

	return d != NULL && d[0] != '\0' ? d : ".";
}

int
main(void)
{
	SRunner *sr = srunner_create(test_suite());
	int failed;

	/* Each test in its own child: a crash or a sanitizer report fails
	 * that test only, and state (signal masks, fds) cannot leak. */
	srunner_set_fork_status(sr, CK_FORK);
	/* Check treats "-" as stdout; CK_SILENT keeps its own summary off
	 * stdout, so tap-driver.sh reads TAP lines only. */
	srunner_set_tap(sr, "-");
	srunner_run_all(sr, CK_SILENT);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
