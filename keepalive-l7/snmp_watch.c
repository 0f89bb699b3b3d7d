/* Notifications from shared state.
 *
 * The children tell the parent nothing per event: they write shared
 * state.  So the parent compares the fields that notifications report on
 * (VRRP state and error counters, real-server health) with what it saw
 * last, every SNMP_WATCH_MS.  Each difference sends one notification and
 * becomes the new "last seen", so a change produces exactly one, however
 * often the tables are read; a change undone within one period produces
 * none, which is the price of not adding a channel from every child (an
 * eventfd would still need this comparison to know what changed).
 *
 * The same record keeps what RFC 6527 wants remembered and the shared
 * state does not hold: when an instance left initialize, why it last
 * became master, and the last protocol error.
 *
 * A reload replaces the model and the shared state; the records follow
 * their instances by name and their servers by address, and nothing is
 * compared while the children move over (their records are not yet
 * carried across).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "keepalive-l7/snmp_int.h"
#include "keepalive-l7/supervisor.h"

/* vrrpv3StatisticsNewMasterReason, RFC 6527 */
#define REASON_NOT_MASTER	0
#define REASON_PRIORITY		1
#define REASON_NO_RESPONSE	3

/* Agent uptime in centiseconds, never 0 (0 means "in initialize"). */
static u_long
watch_now(void)
{
	u_long t = netsnmp_get_agent_uptime();

	return t != 0 ? t : 1;
}

/* TTL, version, checksum, VRID errors: vrrpv3StatisticsProtoErrReason - 1. */
static void
watch_errors(const struct shm_vrrp *s, uint64_t errors[4])
{
	errors[0] = atomic_load(&s->ttl_errors);
	errors[1] = atomic_load(&s->version_errors);
	errors[2] = atomic_load(&s->checksum_errors);
	errors[3] = atomic_load(&s->vrid_errors);
}

static bool
vrrp_running(uint32_t state)
{
	return state == SHM_VRRP_BACKUP || state == SHM_VRRP_MASTER;
}

static void
watch_vrrp_init(struct watch_vrrp *w, const struct shm_vrrp *s)
{
	memset(w, 0, sizeof(*w));
	memcpy(w->name, s->name, sizeof(w->name));
	w->state = atomic_load(&s->state);
	w->up_since = vrrp_running(w->state) ? watch_now() : 0;
	watch_errors(s, w->errors);
}

static void
watch_vrrp_check(struct snmp_agent *a, unsigned i)
{
	struct watch_vrrp *w = &a->watch.vrrp[i];
	const struct shm_vrrp *s = &snmp_shm(a)->vrrp[i];
	uint32_t state = atomic_load(&s->state), from = w->state;
	uint64_t errors[4];
	long reason = 0;
	int k;

	watch_errors(s, errors);
	for (k = 0; k < 4; k++)
		if (errors[k] != w->errors[k]) {
			reason = k + 1;
			w->errors[k] = errors[k];
		}
	if (reason != 0) {
		w->proto_err_reason = reason;
		if (a->traps && a->rfcv3)
			snmp_vrrp_proto_error(a, i);
	}
	if (state == from)
		return;
	w->state = state;
	if (!vrrp_running(state))
		w->up_since = 0;
	else if (w->up_since == 0)
		w->up_since = watch_now();
	if (state != SHM_VRRP_MASTER)
		w->new_master_reason = REASON_NOT_MASTER;
	else	/* from backup: the master went quiet (RFC 5798 6.4.2) */
		w->new_master_reason = from == SHM_VRRP_BACKUP ? REASON_NO_RESPONSE :
		    REASON_PRIORITY;
	if (!a->traps)
		return;
	snmp_kl7_vrrp_changed(a, i);
	if (state == SHM_VRRP_MASTER && a->rfcv3)
		snmp_vrrp_new_master(a, i);
}

static void
watch_rs_init(struct watch_rs *w, const struct shm_rs *s)
{
	w->vs_addr = s->vs_addr;
	w->vs_port = s->vs_port;
	w->addr = s->addr;
	w->port = s->port;
	w->health = atomic_load(&s->health);
}

static void
watch_rs_check(struct snmp_agent *a, unsigned i)
{
	struct watch_rs *w = &a->watch.rs[i];
	uint32_t health = atomic_load(&snmp_shm(a)->rs[i].health);

	if (health == w->health)
		return;
	w->health = health;
	if (a->traps)
		snmp_kl7_rs_changed(a, i);
}

/* Following a new model --------------------------------------------------- */

static const struct watch_vrrp *
find_vrrp(const struct snmp_watch *w, const char *name)
{
	unsigned i;

	for (i = 0; i < w->n_vrrp; i++)
		if (strncmp(w->vrrp[i].name, name, sizeof(w->vrrp[i].name)) == 0)
			return &w->vrrp[i];
	return NULL;
}

static const struct watch_rs *
find_rs(const struct snmp_watch *w, const struct shm_rs *s)
{
	unsigned i;

	for (i = 0; i < w->n_rs; i++) {
		const struct watch_rs *r = &w->rs[i];

		if (r->vs_port == s->vs_port && r->port == s->port &&
		    addr_equal(&r->vs_addr, &s->vs_addr) && addr_equal(&r->addr, &s->addr))
			return r;
	}
	return NULL;
}

/* Records for the running model, each carried from its twin in the old
 * one when there is one, so a change across the reload is still seen. */
static int
watch_follow(struct snmp_agent *a)
{
	const struct shm *shm = snmp_shm(a);
	struct snmp_watch nw = { .conf = snmp_conf(a), .n_vrrp = shm->hdr->n_vrrp,
	    .n_rs = shm->hdr->n_rs };
	unsigned i;

	nw.vrrp = calloc(nw.n_vrrp > 0 ? nw.n_vrrp : 1, sizeof(*nw.vrrp));
	nw.rs = calloc(nw.n_rs > 0 ? nw.n_rs : 1, sizeof(*nw.rs));
	if (nw.vrrp == NULL || nw.rs == NULL) {
		snmp_watch_free(&nw);
		return -1;
	}
	for (i = 0; i < nw.n_vrrp; i++) {
		const struct watch_vrrp *old = find_vrrp(&a->watch, shm->vrrp[i].name);

		if (old != NULL)
			nw.vrrp[i] = *old;
		else
			watch_vrrp_init(&nw.vrrp[i], &shm->vrrp[i]);
	}
	for (i = 0; i < nw.n_rs; i++) {
		const struct watch_rs *old = find_rs(&a->watch, &shm->rs[i]);

		if (old != NULL)
			nw.rs[i] = *old;
		else
			watch_rs_init(&nw.rs[i], &shm->rs[i]);
	}
	snmp_watch_free(&a->watch);
	a->watch = nw;
	return 0;
}

static void
watch_expired(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct snmp_agent *a = arg;
	unsigned i;

	ev_timer_start(loop, t, SNMP_WATCH_MS);
	if (a->sup->replacing > 0)
		return;
	if (a->watch.conf != snmp_conf(a) && watch_follow(a) == -1) {
		log_warn("snmp: notifications");
		return;
	}
	for (i = 0; i < a->watch.n_vrrp; i++)
		watch_vrrp_check(a, i);
	for (i = 0; i < a->watch.n_rs; i++)
		watch_rs_check(a, i);
	/* Notifications go out on the AgentX socket now. */
	snmp_agent_sync(a);
}

const struct watch_vrrp *
snmp_watch_vrrp(const struct snmp_agent *a, unsigned index)
{
	if (a->watch.conf != snmp_conf(a) || index >= a->watch.n_vrrp)
		return NULL;
	return &a->watch.vrrp[index];
}

void
snmp_watch_start(struct snmp_agent *a)
{
	if (watch_follow(a) == -1)
		log_warn("snmp: notifications");
	ev_timer_init(&a->watch_timer, watch_expired, a);
	ev_timer_start(a->loop, &a->watch_timer, SNMP_WATCH_MS);
}

void
snmp_watch_free(struct snmp_watch *w)
{
	free(w->vrrp);
	free(w->rs);
	w->vrrp = NULL;
	w->rs = NULL;
	w->n_vrrp = w->n_rs = 0;
}
