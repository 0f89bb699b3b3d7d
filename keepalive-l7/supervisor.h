/* The parent process: owns the model, the shared state and the pid file,
 * starts and supervises the children, reloads, stops, dumps state. */
#ifndef KL7_SUPERVISOR_H
#define KL7_SUPERVISOR_H

#include <stdbool.h>

#include "lib/conf.h"
#include "lib/ev.h"
#include "lib/shm.h"
#include "keepalive-l7/child.h"
#include "keepalive-l7/conf_load.h"
#include "keepalive-l7/metrics.h"
#include "keepalive-l7/options.h"
#include "keepalive-l7/pidfile.h"
#include "splice/listen.h"

#define SUP_MAX_DRAINING	8	/* old l7 children still finishing */
#define SUP_STOP_GRACE_MS	4000	/* then SIGKILL: all gone within 5 s */

struct supervisor {
	const struct kl7_opts	*opts;
	struct ev_loop		*loop;
	struct conf		*conf;		/* the running model */
	struct shm		 shm;		/* shared state of that model */
	struct shm		 old_shm;	/* previous state, while children move over */
	struct listen_set	 listeners;	/* of the running model, for l7 children */
	unsigned		 replacing;	/* children still to move over */
	struct pidfile		 pidfile;
	struct metrics		 metrics;	/* metrics_listen */
	struct child		 children[CHILD_NKINDS];
	struct child		 draining[SUP_MAX_DRAINING];
	bool			 ready_sent;
	bool			 stopping;
	int			 exit_status;
	struct ev_timer		 stop_timer;
	struct ev_timer		 watchdog;
	int64_t			 watchdog_ms;
	int64_t			 started_ms;
	unsigned		 reloads;
	bool			 reload_pending;	/* SIGHUP during a reload */
	bool			 last_reload_ok;
	struct conf_errors	 last_reload_errors;
};

int	supervisor_main(const struct kl7_opts *opts);

/* Called by child.c. */
void	supervisor_child_ready(struct supervisor *sup, struct child *c);
/* Close, in a new child, what belongs to the parent. */
void	supervisor_close_in_child(struct supervisor *sup, const struct child *self);

#endif
