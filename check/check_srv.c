/* From check results to a server's health, and from servers' health to a
 * virtual server's quorum; both published to shared state, logged once
 * per change with the reason, and announced to notify scripts.
 * See check.h. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "lib/log.h"
#include "lib/spawn.h"
#include "check/check.h"

static void
run_script(const struct conf *conf, const char *cmd, const char *const *extra)
{
	if (cmd != NULL && spawn_script(cmd, extra, conf->global.script_user) == -1)
		log_warn("cannot run '%s'", cmd);
}

static const struct conf *
conf_of(const struct check_srv *s)
{
	return s->vs->ctx->conf;
}

/* Quorum ----------------------------------------------------------------- */

bool
check_quorum_next(bool up, uint64_t live_weight, unsigned quorum, unsigned hysteresis)
{
	if (up)
		return live_weight + hysteresis >= quorum;	/* lost below quorum - hysteresis */
	return live_weight >= (uint64_t)quorum + hysteresis;
}

static uint64_t
live_weight(const struct check_vs *v)
{
	uint64_t sum = 0;
	unsigned i;

	for (i = 0; i < v->conf->n_servers; i++)
		if (v->srvs[i].up)
			sum += v->srvs[i].weight;
	return sum;
}

static void
vs_quorum_changed(struct check_vs *v, uint64_t live)
{
	char vs[ADDR_STRLEN], sorry[ADDR_STRLEN] = "none";
	const char *extra[] = { v->quorum ? "UP" : "DOWN", vs, NULL };

	addr_port_ntop(&v->conf->addr, v->conf->port, vs, sizeof(vs));
	if (addr_is_set(&v->conf->sorry_addr))
		addr_port_ntop(&v->conf->sorry_addr, v->conf->sorry_port, sorry, sizeof(sorry));
	if (v->quorum)
		log_info("virtual server %s: quorum up (live weight %llu, quorum %u + %u)", vs,
		    (unsigned long long)live, v->conf->quorum, v->conf->hysteresis);
	else
		log_warnx("virtual server %s: quorum lost (live weight %llu, quorum %u - %u); "
		    "sorry server: %s", vs, (unsigned long long)live, v->conf->quorum,
		    v->conf->hysteresis, sorry);
	run_script(v->ctx->conf, v->quorum ? v->conf->quorum_up : v->conf->quorum_down, extra);
}

/* Publish the live weight and the quorum, inside a change of the check
 * child's; true if the quorum moved. */
static bool
vs_publish(struct check_vs *v)
{
	uint64_t live = live_weight(v);
	bool next = check_quorum_next(v->quorum, live, v->conf->quorum, v->conf->hysteresis);

	atomic_store(&v->shm->live_weight, live);
	if (next == v->quorum)
		return false;
	v->quorum = next;
	atomic_store(&v->shm->quorum, next ? SHM_QUORUM_UP : SHM_QUORUM_DOWN);
	return true;
}

/* After a published quorum move: log, scripts, the l7 child's wake-up. */
static void
vs_announce(struct check_vs *v)
{
	vs_quorum_changed(v, live_weight(v));
	shm_health_changed(v->ctx->shm);
}

void
check_vs_init(struct check_vs *v, struct check_ctx *ctx,
    const struct conf_virtual_server *conf, struct shm_vs *shm, struct check_srv *srvs)
{
	uint32_t adopted = atomic_load(&shm->quorum);

	*v = (struct check_vs){ .conf = conf, .shm = shm, .srvs = srvs, .ctx = ctx };
	/* A fresh record counts as up, so that a quorum missing from the
	 * start is announced like one lost later. */
	v->quorum = adopted != SHM_QUORUM_DOWN;
	shm_change_begin(ctx->shm, SHM_WRITER_CHECK);
	atomic_store(&shm->quorum, v->quorum ? SHM_QUORUM_UP : SHM_QUORUM_DOWN);
	shm_change_end(ctx->shm, SHM_WRITER_CHECK);
}

void
check_vs_start(struct check_vs *v)
{
	bool moved;

	shm_change_begin(v->ctx->shm, SHM_WRITER_CHECK);
	moved = vs_publish(v);
	shm_change_end(v->ctx->shm, SHM_WRITER_CHECK);
	if (moved)
		vs_announce(v);
}

/* Servers ---------------------------------------------------------------- */

/* Where the server stands, from its checkers: up when all are. */
static const struct check *
first_failing(const struct check_srv *s)
{
	unsigned i;

	for (i = 0; i < s->conf->n_checkers; i++)
		if (!s->checks[i].up)
			return &s->checks[i];
	return NULL;
}

/* The operator's `set weight` wins over the file's and a MISC_CHECK's. */
static unsigned
effective_weight(const struct check_srv *s)
{
	int32_t op = atomic_load(&s->shm->op_weight);
	unsigned i, w = s->conf->weight;

	if (op >= 0)
		return (unsigned)op;
	for (i = 0; i < s->conf->n_checkers; i++)
		if (s->checks[i].dyn_weight >= 0)
			w = (unsigned)s->checks[i].dyn_weight;
	return w;
}

static void
publish(struct check_srv *s, const char *error, int64_t now)
{
	struct shm_rs *r = s->shm;
	uint32_t ok = UINT32_MAX, fail = 0;
	unsigned i;

	for (i = 0; i < s->conf->n_checkers; i++) {
		if (s->checks[i].n_ok < ok)
			ok = s->checks[i].n_ok;
		if (s->checks[i].n_fail > fail)
			fail = s->checks[i].n_fail;
	}
	atomic_store(&r->weight, s->up ? s->weight : 0);
	atomic_store(&r->consecutive_ok, s->conf->n_checkers > 0 ? ok : 0);
	atomic_store(&r->consecutive_fail, fail);
	if (now >= 0)
		atomic_store(&r->last_check_ms, now);
	shm_seq_write_begin(&r->error_lock);
	snprintf(r->last_error, sizeof(r->last_error), "%s", error);
	shm_seq_write_end(&r->error_lock);
	atomic_store(&r->health, s->up ? SHM_HEALTH_UP : SHM_HEALTH_DOWN);
}

static void
announce(struct check_srv *s, const char *reason)
{
	char vs[ADDR_STRLEN], rs[ADDR_STRLEN];
	const char *extra[] = { s->up ? "UP" : "DOWN", vs, rs, NULL };

	addr_port_ntop(&s->vs->conf->addr, s->vs->conf->port, vs, sizeof(vs));
	addr_port_ntop(&s->conf->addr, s->conf->port, rs, sizeof(rs));
	if (s->up)
		log_info("virtual server %s: real server %s up: %s", vs, rs, reason);
	else
		log_warnx("virtual server %s: real server %s down: %s", vs, rs, reason);
	run_script(conf_of(s), s->up ? s->conf->notify_up : s->conf->notify_down, extra);
}

/* A comeback (DOWN -> UP of a server that has been up) starts the l7
 * child's slow-start ramp; a server's first up (alpha) is no comeback:
 * HAProxy does not ramp at start either. */
static void
mark_comeback(struct check_srv *s, bool was_up, int64_t now)
{
	if (s->up && !was_up && s->been_up)
		atomic_store(&s->shm->up_since_ms, now >= 0 ? now : ev_now(s->vs->ctx->loop));
	s->been_up = s->been_up || s->up;
}

/* Recompute health and weight; publish them with their virtual server's
 * live weight and quorum as one change; announce a change of health. */
static void
srv_evaluate(struct check_srv *s, const char *down_reason, int64_t now)
{
	const struct check *failing = first_failing(s);
	struct shm *shm = s->vs->ctx->shm;
	bool was_up = s->up, changed, quorum_moved = false;
	unsigned was_weight = s->weight;
	char reason[CHECK_REASON_LEN * 2];

	s->up = failing == NULL;
	s->weight = effective_weight(s);
	if (down_reason != NULL)
		snprintf(reason, sizeof(reason), "%s", down_reason);
	else if (failing != NULL)
		snprintf(reason, sizeof(reason), "%s", failing->reason);
	else
		snprintf(reason, sizeof(reason), "%u check(s) pass", s->conf->n_checkers);
	changed = s->up != was_up || (s->up && s->weight != was_weight);
	shm_change_begin(shm, SHM_WRITER_CHECK);
	mark_comeback(s, was_up, now);
	publish(s, s->up ? "" : reason, now);
	if (changed)
		quorum_moved = vs_publish(s->vs);
	shm_change_end(shm, SHM_WRITER_CHECK);
	if (!changed)
		return;
	if (s->up != was_up)
		announce(s, reason);
	shm_health_changed(shm);
	if (quorum_moved)
		vs_announce(s->vs);
}

void
check_srv_init(struct check_srv *s, struct check_vs *vs,
    const struct conf_real_server *conf, struct shm_rs *shm, struct check *checks)
{
	uint32_t adopted = atomic_load(&shm->health);
	unsigned i;

	*s = (struct check_srv){ .conf = conf, .vs = vs, .shm = shm, .checks = checks };
	for (i = 0; i < conf->n_checkers; i++) {
		if (adopted == SHM_HEALTH_UNKNOWN && vs->conf->alpha)
			checks[i].up = false;
		else if (adopted != SHM_HEALTH_UNKNOWN)
			checks[i].up = adopted == SHM_HEALTH_UP;
		if (!checks[i].up)
			snprintf(checks[i].reason, sizeof(checks[i].reason), "%s",
			    adopted == SHM_HEALTH_DOWN ? "down before the restart" :
			    "not checked yet");
	}
	s->up = first_failing(s) == NULL;
	/* Down before a restart of this child: it had been up, most likely. */
	s->been_up = s->up || adopted == SHM_HEALTH_DOWN;
	s->weight = effective_weight(s);
	shm_change_begin(vs->ctx->shm, SHM_WRITER_CHECK);
	publish(s, s->up ? "" : "not checked yet", -1);
	shm_change_end(vs->ctx->shm, SHM_WRITER_CHECK);
}

static void
count_round(struct check *c, bool ok, unsigned rise, unsigned fall)
{
	if (ok) {
		c->n_ok++;
		c->n_fail = 0;
		if (!c->up && c->n_ok >= rise)
			c->up = true;
	} else {
		c->n_fail++;
		c->n_ok = 0;
		if (c->up && c->n_fail >= fall)
			c->up = false;
	}
}

void
check_srv_round(struct check_srv *s, struct check *c, bool ok)
{
	bool was_up = c->up;

	atomic_fetch_add(&s->shm->checks_run, 1);
	if (!ok)
		atomic_fetch_add(&s->shm->checks_failed, 1);
	count_round(c, ok, s->conf->rise, s->conf->fall);
	if (!ok && c->up == was_up && c->conf->log_all_failures) {
		char rs[ADDR_STRLEN];

		log_info("real server %s: %s failed: %s", addr_port_ntop(&s->conf->addr,
		    s->conf->port, rs, sizeof(rs)), check_type_name(c), c->reason);
	}
	srv_evaluate(s, NULL, ev_now(c->ctx->loop));
}

/* Passive health ---------------------------------------------------------- */

static void
passive_down(struct check_srv *s, uint32_t errors, int64_t now)
{
	char reason[CHECK_REASON_LEN];
	unsigned i;

	snprintf(reason, sizeof(reason), "%u consecutive errors on live traffic (last: %s)",
	    errors, shm_passive_error_name(atomic_load(&s->shm->passive_error)));
	for (i = 0; i < s->conf->n_checkers; i++) {
		struct check *c = &s->checks[i];

		c->up = false;
		c->n_ok = 0;
		snprintf(c->reason, sizeof(c->reason), "%s", reason);
	}
	srv_evaluate(s, reason, now);
}

void
check_srv_passive_scan(struct check_ctx *ctx)
{
	unsigned i;

	for (i = 0; i < ctx->n_srv; i++) {
		struct check_srv *s = &ctx->srvs[i];
		uint32_t errors = atomic_load(&s->shm->passive_failures);

		/* Without checkers nothing would bring the server back. */
		if (s->up && s->conf->n_checkers > 0 && s->conf->error_limit > 0 &&
		    errors >= s->conf->error_limit)
			passive_down(s, errors, ev_now(ctx->loop));
	}
}

void
check_srv_operator_scan(struct check_ctx *ctx)
{
	unsigned i;

	for (i = 0; i < ctx->n_srv; i++)
		srv_evaluate(&ctx->srvs[i], NULL, -1);
}

/* Stop ------------------------------------------------------------------- */

void
check_vs_omega(struct check_vs *v)
{
	char vs[ADDR_STRLEN], rs[ADDR_STRLEN];
	const char *srv_extra[] = { "DOWN", vs, rs, NULL };
	const char *vs_extra[] = { "DOWN", vs, NULL };
	unsigned i;

	if (!v->conf->omega)
		return;
	addr_port_ntop(&v->conf->addr, v->conf->port, vs, sizeof(vs));
	for (i = 0; i < v->conf->n_servers; i++)
		if (v->srvs[i].up) {
			addr_port_ntop(&v->srvs[i].conf->addr, v->srvs[i].conf->port, rs,
			    sizeof(rs));
			run_script(v->ctx->conf, v->srvs[i].conf->notify_down, srv_extra);
		}
	if (v->quorum)
		run_script(v->ctx->conf, v->conf->quorum_down, vs_extra);
}
