/* systemd notifications; see sdnotify.h. */
#include "config.h"

#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "lib/log.h"
#include "keepalive-l7/sdnotify.h"

static void
sdnotify_send(const char *msg)
{
	/* MAINPID: after daemonizing, the pid systemd forked is gone. */
	int rc = sd_notifyf(0, "%s\nMAINPID=%d", msg, (int)getpid());

	if (rc < 0)
		log_debug("sd_notify(%s) failed: %d", msg, rc);
}

void
sdnotify_ready(void)
{
	sdnotify_send("READY=1");
}

void
sdnotify_reloading(void)
{
	sdnotify_send("RELOADING=1");
}

void
sdnotify_stopping(void)
{
	sdnotify_send("STOPPING=1");
}

void
sdnotify_watchdog(void)
{
	sd_notify(0, "WATCHDOG=1");
}

void
sdnotify_status(const char *status)
{
	sd_notifyf(0, "STATUS=%s", status);
}

int64_t
sdnotify_watchdog_ms(void)
{
	uint64_t usec = 0;

	if (sd_watchdog_enabled(0, &usec) <= 0)
		return 0;
	return (int64_t)(usec / 1000);
}
