/* The main() every unit test program shares: it runs the program's suite
 * in fork mode and prints TAP, and nothing else, on stdout for automake's
 * tap-driver.sh.  Each test file defines test_suite(). */
#ifndef KL7_TMAIN_H
#define KL7_TMAIN_H

#include <check.h>

/* The suite of this test program. */
Suite	*test_suite(void);

/* $KL7_TOP_SRCDIR (set by `make check`), else "." (run from the source
 * tree root). */
const char *test_srcdir(void);

#endif
