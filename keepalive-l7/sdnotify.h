/* systemd notifications (libsystemd): readiness, reload, stop, watchdog.
 * Each is a no-op when NOTIFY_SOCKET is not set. */
#ifndef KL7_SDNOTIFY_H
#define KL7_SDNOTIFY_H

#include <stdint.h>

void	sdnotify_ready(void);
void	sdnotify_reloading(void);
void	sdnotify_stopping(void);
void	sdnotify_watchdog(void);
void	sdnotify_status(const char *status);
/* The watchdog period in ms if WatchdogSec is set for this process, else 0. */
int64_t	sdnotify_watchdog_ms(void);

#endif
