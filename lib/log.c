/* Logging to syslog and optionally stderr; see log.h. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"

/* Owned by the process: set once at start and after each fork. */
static struct {
	char ident[32];
	char tag[16];
	bool console;
	bool detail;
} log_state = { "keepalive-l7", "", true, false };

void
log_init(const char *ident, bool console, bool detail)
{
	snprintf(log_state.ident, sizeof(log_state.ident), "%s", ident);
	log_state.console = console;
	log_state.detail = detail;
	openlog(log_state.ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_procname(const char *tag)
{
	snprintf(log_state.tag, sizeof(log_state.tag), "%s", tag);
}

bool
log_is_debug(void)
{
	return log_state.detail;
}

static void log_vemit(int, const char *, const char *, va_list) KL7_PRINTF(3, 0);

static void
log_vemit(int prio, const char *errstr, const char *fmt, va_list ap)
{
	char msg[1024];
	int n;

	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (errstr != NULL && n >= 0 && (size_t)n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - (size_t)n, ": %s", errstr);

	if (log_state.tag[0] != '\0')
		syslog(prio, "[%s] %s", log_state.tag, msg);
	else
		syslog(prio, "%s", msg);

	if (log_state.console) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		fprintf(stderr, "%lld.%03ld %s[%d]%s%s%s: %s\n",
		    (long long)ts.tv_sec, ts.tv_nsec / 1000000, log_state.ident,
		    (int)getpid(), log_state.tag[0] ? " [" : "", log_state.tag,
		    log_state.tag[0] ? "]" : "", msg);
	}
}

#define LOG_VERB(name, prio, with_errno)				\
void									\
name(const char *fmt, ...)						\
{									\
	const char *es = with_errno ? strerror(errno) : NULL;		\
	va_list ap;							\
									\
	va_start(ap, fmt);						\
	log_vemit(prio, es, fmt, ap);					\
	va_end(ap);							\
}

LOG_VERB(log_warn, LOG_WARNING, 1)
LOG_VERB(log_warnx, LOG_WARNING, 0)
LOG_VERB(log_info, LOG_INFO, 0)

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_state.detail)
		return;
	va_start(ap, fmt);
	log_vemit(LOG_DEBUG, NULL, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	const char *es = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	log_vemit(LOG_CRIT, es, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit(LOG_CRIT, NULL, fmt, ap);
	va_end(ap);
	exit(1);
}
