/* Tracking: what a tracked interface or vrrp_script does to an instance
 * (keepalived's weight rules), and the runner that executes vrrp_scripts
 * with interval, timeout, rise and fall. */
#ifndef KL7_VRRP_TRACK_H
#define KL7_VRRP_TRACK_H

#include <stdbool.h>
#include <sys/types.h>

#include "lib/conf.h"
#include "lib/ev.h"

/* weight 0: failing means FAULT.  weight > 0: added to the priority
 * while the object is good; weight < 0: added while it is bad.  reverse
 * swaps good and bad. */
struct vrrp_track_effect {
	bool	fault;
	int	delta;
};

struct vrrp_track_effect vrrp_track_effect(int weight, bool reverse, bool good);

/* The effective priority: base plus the deltas, kept within 1..254 unless
 * the instance owns the addresses (255). */
unsigned vrrp_track_priority(unsigned base, int delta);

struct vrrp_script_rt;
typedef void vrrp_script_changed_fn(void *ctx, struct vrrp_script_rt *s);

struct vrrp_script_rt {
	const struct conf_vrrp_script	*conf;
	struct ev_loop			*loop;
	bool				 good;		/* after rise/fall */
	unsigned			 streak_ok;
	unsigned			 streak_fail;
	pid_t				 pid;		/* running now, or 0 */
	const char			*user;		/* its own, or script_user */
	bool				 timed_out;
	struct ev_timer			 interval;
	struct ev_timer			 timeout;
	vrrp_script_changed_fn		*changed;
	void				*ctx;
};

/* default_user: global_defs script_user, for scripts without `user`. */
void	vrrp_script_init(struct vrrp_script_rt *s, const struct conf_vrrp_script *conf,
	    const char *default_user, struct ev_loop *loop, vrrp_script_changed_fn *changed,
	    void *ctx);
/* First run now, then every interval. */
void	vrrp_script_start(struct vrrp_script_rt *s);
/* The script's process ended with wait status `status`. */
void	vrrp_script_reaped(struct vrrp_script_rt *s, int status);
/* Stop timers, kill a running script. */
void	vrrp_script_stop(struct vrrp_script_rt *s);
/* Apply one result (exposed for tests): true = exit status 0. */
void	vrrp_script_result(struct vrrp_script_rt *s, bool success);

#endif
