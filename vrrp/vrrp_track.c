/* Tracking rules and the vrrp_script runner; see vrrp_track.h. */
#include "config.h"

#include <signal.h>
#include <sys/wait.h>

#include "lib/log.h"
#include "lib/spawn.h"
#include "vrrp/vrrp_track.h"

#define VRRP_PRIO_MAX_TRACKED	254	/* 255 belongs to the address owner */

struct vrrp_track_effect
vrrp_track_effect(int weight, bool reverse, bool good)
{
	struct vrrp_track_effect e = { false, 0 };

	if (reverse)
		good = !good;
	if (weight == 0)
		e.fault = !good;
	else if (weight > 0)
		e.delta = good ? weight : 0;
	else
		e.delta = good ? 0 : weight;
	return e;
}

unsigned
vrrp_track_priority(unsigned base, int delta)
{
	long p = (long)base + delta;

	if (base == 255)
		return base;
	if (p < 1)
		return 1;
	return p > VRRP_PRIO_MAX_TRACKED ? VRRP_PRIO_MAX_TRACKED : (unsigned)p;
}

void
vrrp_script_result(struct vrrp_script_rt *s, bool success)
{
	bool was = s->good;

	if (success) {
		s->streak_ok++;
		s->streak_fail = 0;
		if (!s->good && s->streak_ok >= s->conf->rise)
			s->good = true;
	} else {
		s->streak_fail++;
		s->streak_ok = 0;
		if (s->good && s->streak_fail >= s->conf->fall)
			s->good = false;
	}
	if (s->good != was) {
		log_info("vrrp_script %s: now %s", s->conf->name, s->good ? "succeeding" : "failing");
		if (s->changed != NULL)
			s->changed(s->ctx, s);
	}
}

static void
script_timeout_expired(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct vrrp_script_rt *s = arg;

	if (s->pid > 0) {
		log_warnx("vrrp_script %s: timed out after %.1f s", s->conf->name,
		    (double)s->conf->timeout_ms / 1000);
		s->timed_out = true;
		kill(-s->pid, SIGKILL);
	}
}

static void
script_interval_expired(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct vrrp_script_rt *s = arg;

	ev_timer_start(loop, &s->interval, s->conf->interval_ms);
	if (s->pid > 0)
		return;		/* still running: its timeout will end it */
	s->timed_out = false;
	if ((s->pid = spawn_script(s->conf->script, NULL, s->user)) == -1) {
		log_warn("vrrp_script %s: cannot run", s->conf->name);
		s->pid = 0;
		vrrp_script_result(s, false);
		return;
	}
	ev_timer_start(loop, &s->timeout, s->conf->timeout_ms);
}

void
vrrp_script_init(struct vrrp_script_rt *s, const struct conf_vrrp_script *conf,
    const char *default_user, struct ev_loop *loop, vrrp_script_changed_fn *changed,
    void *ctx)
{
	*s = (struct vrrp_script_rt){
		.conf = conf, .loop = loop, .good = !conf->init_fail,
		.user = conf->user != NULL ? conf->user : default_user,
		.changed = changed, .ctx = ctx,
	};
	ev_timer_init(&s->interval, script_interval_expired, s);
	ev_timer_init(&s->timeout, script_timeout_expired, s);
}

void
vrrp_script_start(struct vrrp_script_rt *s)
{
	ev_timer_start(s->loop, &s->interval, 0);
}

void
vrrp_script_reaped(struct vrrp_script_rt *s, int status)
{
	s->pid = 0;
	ev_timer_stop(s->loop, &s->timeout);
	vrrp_script_result(s, !s->timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

void
vrrp_script_stop(struct vrrp_script_rt *s)
{
	ev_timer_stop(s->loop, &s->interval);
	ev_timer_stop(s->loop, &s->timeout);
	if (s->pid > 0)
		kill(-s->pid, SIGKILL);
}
