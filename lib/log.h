/* Logging: syslog always, stderr as well with -l; debug lines only with -D.
 *
 * Six verbs, as relayd's: log_warn() appends strerror(errno), log_warnx()
 * does not; fatal()/fatalx() log at LOG_CRIT and exit(1).  Call sites
 * prefix their message with __func__ where the context is not obvious.
 * The logging settings are the one piece of process-wide state this
 * module owns: each process sets its tag once after fork.
 */
#ifndef KL7_LOG_H
#define KL7_LOG_H

#include <stdarg.h>
#include <stdbool.h>

#define KL7_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Open syslog under ident, mirror to stderr if console, enable debug if detail. */
void log_init(const char *ident, bool console, bool detail);
/* Change the per-process tag (e.g. "vrrp") after fork; keeps the other settings. */
void log_procname(const char *tag);
bool log_is_debug(void);

void log_warn(const char *fmt, ...) KL7_PRINTF(1, 2);
void log_warnx(const char *fmt, ...) KL7_PRINTF(1, 2);
void log_info(const char *fmt, ...) KL7_PRINTF(1, 2);
void log_debug(const char *fmt, ...) KL7_PRINTF(1, 2);
void fatal(const char *fmt, ...) KL7_PRINTF(1, 2) __attribute__((noreturn));
void fatalx(const char *fmt, ...) KL7_PRINTF(1, 2) __attribute__((noreturn));

#endif
