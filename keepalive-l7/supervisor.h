/* The parent process: owns the model, the shared state and the pid file,
 * starts and supervises the children, reloads, stops, dumps state. */
#ifndef KL7_SUPERVISOR_H
#define KL7_SUPERVISOR_H

#include <stdbool.h>

#include "lib/conf.h"
#include "lib/ev.h"
#include "lib/shm.h"
#include "keepalive-l7/child.h"
#include "keepalive-l7/conf_hash.h"
#include "keepalive-l7/conf_load.h"
#include "keepalive-l7/ctl_server.h"
#include "keepalive-l7/metrics.h"
#include "keepalive-l7/options.h"
#include "keepalive-l7/pidfile.h"
#include "keepalive-l7/snmp_agent.h"
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
	struct snmp_agent	*snmp;		/* NULL unless global_defs enables SNMP */
	char			 conf_sha256[CONF_HASH_HEX];	/* of the running model's file */
	struct ctl_server	 ctl;
};

int	supervisor_main(const struct kl7_opts *opts);

/* Called by child.c. */
void	supervisor_child_ready(struct supervisor *sup, struct child *c);
/* SIGHUP's reload (queued while children still move over from the last
 * one); 0 when the new model runs or the reload is queued, -1 when it
 * failed (sup->last_reload_errors says why, for a parse error). */
int	supervisor_reload(struct supervisor *sup);
/* A runtime edit (add/remove server): the running model with e applied,
 * the file not read, handed over as a reload's is.  e has passed
 * conf_edit_check() against sup->conf, and no reload is moving children
 * over (sup->replacing == 0).  0 when the new model runs; -1 with its
 * errors in *errs (none when shared state or a listener failed: logged),
 * the running model kept.  Free *errs with conf_errors_free(). */
int	supervisor_edit(struct supervisor *sup, const struct conf_edit *e,
	    struct conf_errors *errs);
/* The operator's fields of shared state changed: tell the check child. */
void	supervisor_operator_changed(struct supervisor *sup);
/* Close, in a new child, what belongs to the parent. */
void	supervisor_close_in_child(struct supervisor *sup, const struct child *self);

#endif
