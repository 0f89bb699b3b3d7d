/* A VRRP instance at run time; see vrrp_inst.h. */
#include "config.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "vrrp/vrrp_addr.h"
#include "vrrp/vrrp_arp.h"
#include "vrrp/vrrp_inst.h"
#include "vrrp/vrrp_ndisc.h"
#include "vrrp/vrrp_netlink.h"
#include "vrrp/vrrp_notify.h"
#include "vrrp/vrrp_track.h"

#define INST_LOG	"VRRP %s: "

/* Effects the state machine asks for ------------------------------------- */

/* v2 Authentication Data: the password, zero-padded (RFC 2338 5.3.10). */
static void
auth_data_of(const struct conf_vrrp_instance *vi, uint8_t out[VRRP_V2_AUTH_LEN])
{
	memset(out, 0, VRRP_V2_AUTH_LEN);
	if (vi->auth_type == CONF_AUTH_PASS)
		memcpy(out, vi->auth_pass, strlen(vi->auth_pass));	/* <= 8, checked at load */
}

static void
inst_send_advert(void *ctx, uint8_t prio)
{
	struct vrrp_inst *inst = ctx;
	const struct conf_vrrp_instance *vi = inst->conf;
	struct vrrp_advert a = {
		.version = (uint8_t)vi->version, .vrid = (uint8_t)vi->vrid, .priority = prio,
		.naddr = (uint8_t)inst->naddr, .adver_int_cs = (uint16_t)(vi->advert_int_ms / 10),
		.family = inst->sock.family, .addrs = inst->addrs,
	};
	const struct conf_addr_list *cur = NULL;
	const struct kl_addr *dst;
	uint8_t buf[VRRP_MAX_PKT_LEN];
	int done = 0;

	if (vi->auth_type == CONF_AUTH_PASS)
		a.auth_type = VRRP_AUTH_PASS;
	auth_data_of(vi, a.auth_data);
	while ((dst = vrrp_net_next_dst(&inst->sock, &cur, &done)) != NULL) {
		ssize_t n = vrrp_pkt_build(buf, sizeof(buf), &a, &inst->sock.src, dst, inst->csum);

		if (n < 0 || vrrp_net_send(&inst->sock, dst, buf, (size_t)n) == -1) {
			log_warn(INST_LOG "sending an advertisement", vi->name);
			continue;
		}
		atomic_fetch_add(&inst->shm->adverts_sent, 1);
		if (prio == VRRP_PRIO_STOP)
			atomic_fetch_add(&inst->shm->prio0_sent, 1);
	}
}

static int
vip_ifindex(const struct vrrp_inst *inst, const struct conf_vip *v)
{
	return v->dev != NULL ? (int)if_nametoindex(v->dev) : inst->ifindex;
}

/* Each VIP, advertised or excluded, in one walk. */
#define FOREACH_VIP(inst, v) \
	for (int pass_ = 0; pass_ < 2; pass_++) \
		for (v = pass_ == 0 ? (inst)->conf->vips : (inst)->conf->vips_excluded; \
		    v != NULL; v = v->next)

static void
vips_apply(struct vrrp_inst *inst, bool add)
{
	const struct conf_vip *v;
	char err[256];

	FOREACH_VIP(inst, v) {
		int rc = add ? vrrp_addr_add(inst->env->nl, vip_ifindex(inst, v), v, err, sizeof(err)) :
		    vrrp_addr_del(inst->env->nl, vip_ifindex(inst, v), v, err, sizeof(err));

		if (rc == -1)
			log_warnx(INST_LOG "%s", inst->conf->name, err);
	}
}

static int
announce_one(struct vrrp_inst *inst, const struct conf_vip *v)
{
	if (v->addr.family == AF_INET)
		return vrrp_arp_send(inst->env->arp_fd, vip_ifindex(inst, v), inst->mac, &v->addr);
	return vrrp_ndisc_send(inst->nd_fd, vip_ifindex(inst, v), inst->mac, &v->addr);
}

static unsigned
vip_count(const struct vrrp_inst *inst)
{
	return inst->conf->n_vips + inst->conf->n_vips_excluded;
}

/* The k-th VIP, advertised ones first. */
static const struct conf_vip *
vip_at(const struct vrrp_inst *inst, unsigned k)
{
	const struct conf_vip *v;

	FOREACH_VIP(inst, v)
		if (k-- == 0)
			return v;
	return NULL;
}

/* vrrp_garp_interval / vrrp_gna_interval: one message per tick. */
static int64_t
pace_ms(const struct vrrp_inst *inst, const struct conf_vip *v)
{
	const struct conf_global *g = &inst->env->conf->global;

	return v->addr.family == AF_INET ? g->garp_interval_ms : g->gna_interval_ms;
}

static void
garp_pace_expired(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct vrrp_inst *inst = arg;
	const struct conf_vip *v;

	if (inst->garp_queued == 0 || vip_count(inst) == 0)
		return;
	v = vip_at(inst, inst->garp_seq++ % vip_count(inst));
	if (announce_one(inst, v) == -1)
		log_warn(INST_LOG "announcing a VIP", inst->conf->name);
	if (--inst->garp_queued > 0)
		ev_timer_start(loop, t, pace_ms(inst, v));
}

/* One burst: `repeat` messages per VIP, at once or paced. */
static void
announce_burst(struct vrrp_inst *inst, int repeat)
{
	const struct conf_global *g = &inst->env->conf->global;
	const struct conf_vip *v;
	int i;

	if (g->garp_interval_ms > 0 || g->gna_interval_ms > 0) {
		inst->garp_queued += (unsigned)repeat * vip_count(inst);
		if (!ev_timer_pending(&inst->garp_pace))
			ev_timer_start(inst->env->loop, &inst->garp_pace, 0);
		return;
	}
	for (i = 0; i < repeat; i++)
		FOREACH_VIP(inst, v)
			if (announce_one(inst, v) == -1)
				log_warn(INST_LOG "announcing a VIP", inst->conf->name);
}

/* A burst now and, after `delay_ms` (0: none), a second one. */
static void
announce_twice(struct vrrp_inst *inst, int repeat, uint32_t delay_ms)
{
	announce_burst(inst, repeat);
	if (delay_ms > 0) {
		inst->garp_delay_repeat = repeat;
		ev_timer_start(inst->env->loop, &inst->garp_delay, delay_ms);
	}
}

/* FSM: a lower-priority master was heard, or a VIP was restored:
 * keepalived's garp_lower_prio_repeat / _delay, defaulting to the master's. */
static void
inst_announce(void *ctx)
{
	struct vrrp_inst *inst = ctx;
	const struct conf_vrrp_instance *vi = inst->conf;

	announce_twice(inst, vi->garp_lower_prio_repeat > 0 ? (int)vi->garp_lower_prio_repeat :
	    vi->garp_master_repeat, vi->garp_lower_prio_delay_ms);
}

static void
garp_delay_expired(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct vrrp_inst *inst = arg;

	announce_burst(inst, inst->garp_delay_repeat);
}

static void
garp_refresh_expired(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct vrrp_inst *inst = arg;

	announce_burst(inst, inst->conf->garp_master_refresh_repeat);
	ev_timer_start(loop, t, inst->conf->garp_master_refresh_ms);
}

static void
inst_vips_up(void *ctx)
{
	struct vrrp_inst *inst = ctx;
	struct ev_loop *loop = inst->env->loop;

	vips_apply(inst, true);
	/* keepalived's second burst is for switches that missed the first. */
	announce_twice(inst, inst->conf->garp_master_repeat,
	    (uint32_t)inst->conf->garp_master_delay_ms);
	if (inst->conf->garp_master_refresh_ms > 0)
		ev_timer_start(loop, &inst->garp_refresh, inst->conf->garp_master_refresh_ms);
}

static void
inst_vips_down(void *ctx)
{
	struct vrrp_inst *inst = ctx;

	ev_timer_stop(inst->env->loop, &inst->garp_delay);
	ev_timer_stop(inst->env->loop, &inst->garp_refresh);
	ev_timer_stop(inst->env->loop, &inst->garp_pace);
	inst->garp_queued = 0;
	vips_apply(inst, false);
}

static void
inst_timer_expired(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct vrrp_inst *inst = arg;
	enum vrrp_timer_id id = t == &inst->timers[VRRP_TIMER_ADVER] ?
	    VRRP_TIMER_ADVER : VRRP_TIMER_MASTER_DOWN;

	vrrp_fsm_timer_expired(&inst->fsm, id, ev_now(loop));
}

static void
inst_timer(void *ctx, enum vrrp_timer_id id, int64_t ms)
{
	struct vrrp_inst *inst = ctx;

	if (ms < 0)
		ev_timer_stop(inst->env->loop, &inst->timers[id]);
	else
		ev_timer_start(inst->env->loop, &inst->timers[id], ms);
}

/* The master's address for readers of shared state (RFC 6527
 * vrrpv3OperationsMasterIpAddr): ours while master, else the last
 * advert's sender the state machine followed. */
static void
inst_publish_master(struct vrrp_inst *inst, enum vrrp_state state)
{
	const struct kl_addr *a = state == VRRP_STATE_MASTER ?
	    &inst->fsm.conf.primary : &inst->fsm.master_addr;

	if (addr_equal(a, &inst->shm->master_addr))
		return;
	shm_change_begin(inst->env->shm, SHM_WRITER_VRRP);
	shm_seq_write_begin(&inst->shm->lock);
	inst->shm->master_addr = *a;
	shm_seq_write_end(&inst->shm->lock);
	shm_change_end(inst->env->shm, SHM_WRITER_VRRP);
}

/* State and master address, as one change for snapshots. */
static void
inst_publish_state(struct vrrp_inst *inst, enum vrrp_state state)
{
	shm_change_begin(inst->env->shm, SHM_WRITER_VRRP);
	atomic_store(&inst->shm->state, (uint32_t)state);
	inst_publish_master(inst, state);
	shm_change_end(inst->env->shm, SHM_WRITER_VRRP);
}

static void
inst_changed(void *ctx, enum vrrp_state from, enum vrrp_state to, const char *why)
{
	struct vrrp_inst *inst = ctx;

	log_info(INST_LOG "%s -> %s (%s)", inst->conf->name, vrrp_state_name(from),
	    vrrp_state_name(to), why);
	inst_publish_state(inst, to);
	vrrp_notify(&inst->conf->notify, "INSTANCE", inst->conf->name, to, inst->fsm.priority,
	    inst->env->conf->global.script_user);
	if (to == VRRP_STATE_MASTER)
		atomic_fetch_add(&inst->shm->became_master, 1);
	if (from == VRRP_STATE_MASTER)
		atomic_fetch_add(&inst->shm->released_master, 1);
	if (inst->env->changed != NULL)
		inst->env->changed(inst->env->ctx, inst, to);
}

static const struct vrrp_fsm_ops inst_ops = {
	.send_advert = inst_send_advert, .vips_up = inst_vips_up,
	.vips_down = inst_vips_down, .announce = inst_announce,
	.timer = inst_timer, .changed = inst_changed,
};

/* Receiving -------------------------------------------------------------------- */

/* Policy checks on a well-formed advert for our VRID (RFC 5798 7.1,
 * RFC 3768 7.1); a failure is counted and the packet dropped. */
static bool
advert_acceptable(struct vrrp_inst *inst, const struct vrrp_advert *a)
{
	const struct conf_vrrp_instance *vi = inst->conf;
	struct shm_vrrp *s = inst->shm;
	uint8_t want[VRRP_V2_AUTH_LEN];

	if (a->version != vi->version) {
		atomic_fetch_add(&s->version_errors, 1);
		return false;
	}
	if (a->version == 2 && a->adver_int_cs != vi->advert_int_ms / 10) {
		atomic_fetch_add(&s->interval_errors, 1);
		return false;
	}
	if (a->version == 2) {
		auth_data_of(vi, want);
		if (a->auth_type != (vi->auth_type == CONF_AUTH_PASS ? VRRP_AUTH_PASS : 0) ||
		    memcmp(a->auth_data, want, sizeof(want)) != 0) {
			atomic_fetch_add(&s->auth_errors, 1);
			return false;
		}
	}
	return true;
}

static void
count_parse_error(struct shm_vrrp *s, enum vrrp_pkt_err e)
{
	switch (e) {
	case VRRP_PKT_ECHECKSUM:
		atomic_fetch_add(&s->checksum_errors, 1);
		break;
	case VRRP_PKT_EVERSION:
	case VRRP_PKT_EFAMILY:
		atomic_fetch_add(&s->version_errors, 1);
		break;
	case VRRP_PKT_ETYPE:
		atomic_fetch_add(&s->type_errors, 1);
		break;
	default:
		atomic_fetch_add(&s->length_errors, 1);
		break;
	}
}

static void
handle_datagram(struct vrrp_inst *inst, const struct vrrp_rx *rx)
{
	struct shm_vrrp *s = inst->shm;
	struct vrrp_advert a;
	enum vrrp_pkt_err e;
	char err[128];

	/* The kernel's counter is cumulative for the socket. */
	if (rx->kernel_drops > atomic_load(&s->kernel_drops))
		atomic_store(&s->kernel_drops, rx->kernel_drops);
	if (rx->len == 0) {
		atomic_fetch_add(&s->length_errors, 1);
		return;
	}
	/* RFC 5798 7.1: TTL / hop limit must be 255, or the sender is off-link. */
	if (rx->ttl != VRRP_TTL) {
		atomic_fetch_add(&s->ttl_errors, 1);
		return;
	}
	e = vrrp_pkt_parse(rx->msg, rx->len, inst->sock.family, &rx->src, &rx->dst,
	    inst->csum, &a, err, sizeof(err));
	if (e != VRRP_PKT_OK) {
		count_parse_error(s, e);
		log_debug(INST_LOG "dropped: %s", inst->conf->name, err);
		return;
	}
	if (a.vrid != inst->conf->vrid) {
		/* Another virtual router of ours on this link is fine; one that
		 * none of our instances has is counted (RFC 6527 VrIdErrors). */
		if (!(inst->known_vrids[a.vrid / 8] & (1u << (a.vrid % 8))))
			atomic_fetch_add(&s->vrid_errors, 1);
		return;
	}
	if (!advert_acceptable(inst, &a))
		return;
	atomic_fetch_add(&s->adverts_rcvd, 1);
	if (a.priority == VRRP_PRIO_STOP)
		atomic_fetch_add(&s->prio0_rcvd, 1);
	vrrp_fsm_advert(&inst->fsm, a.priority, a.adver_int_cs, &rx->src,
	    ev_now(inst->env->loop));
	inst_publish_master(inst, inst->fsm.state);
}

void
vrrp_inst_readable(struct vrrp_inst *inst)
{
	uint8_t buf[VRRP_MAX_PKT_LEN + 64];
	struct vrrp_rx rx;
	int rc, budget = 64;	/* bounded work per wake-up */

	while (budget-- > 0 && (rc = vrrp_net_recv(&inst->sock, buf, sizeof(buf), &rx)) == 1)
		handle_datagram(inst, &rx);
}

/* Tracking ------------------------------------------------------------------ */

int
vrrp_inst_track_setup(struct vrrp_inst *inst, struct vrrp_script_rt *scripts_rt, unsigned n)
{
	const struct conf_track_if *ti;
	const struct conf_track_script *ts;
	unsigned i;

	inst->if_up = vrrp_netlink_link_up(inst->ifindex);
	for (ti = inst->conf->track_ifs; ti != NULL; ti = ti->next)
		inst->n_track_ifs++;
	for (ts = inst->conf->track_scripts; ts != NULL; ts = ts->next)
		inst->n_scripts++;
	inst->track_ifs = calloc(inst->n_track_ifs + 1, sizeof(*inst->track_ifs));
	inst->scripts = calloc(inst->n_scripts + 1, sizeof(*inst->scripts));
	if (inst->track_ifs == NULL || inst->scripts == NULL)
		return -1;
	for (ti = inst->conf->track_ifs, i = 0; ti != NULL; ti = ti->next, i++) {
		inst->track_ifs[i].conf = ti;
		/* An interface that does not exist (yet) counts as down. */
		inst->track_ifs[i].ifindex = (int)if_nametoindex(ti->ifname);
		inst->track_ifs[i].up = vrrp_netlink_link_up(inst->track_ifs[i].ifindex);
	}
	for (ts = inst->conf->track_scripts, i = 0; ts != NULL; ts = ts->next, i++) {
		unsigned j;

		for (j = 0; j < n && scripts_rt[j].conf != ts->script; j++)
			;
		if (j == n)
			return -1;
		inst->scripts[i] = &scripts_rt[j];
	}
	return 0;
}

void
vrrp_inst_track_changed(struct vrrp_inst *inst)
{
	const struct conf_track_script *ts;
	bool fault = !inst->if_up && !inst->conf->dont_track_primary;
	int delta = 0;
	unsigned i, prio;

	for (i = 0; i < inst->n_track_ifs; i++) {
		const struct vrrp_track_if_rt *t = &inst->track_ifs[i];
		struct vrrp_track_effect e = vrrp_track_effect(t->conf->weight, t->conf->reverse, t->up);

		fault |= e.fault;
		delta += e.delta;
	}
	for (ts = inst->conf->track_scripts, i = 0; ts != NULL; ts = ts->next, i++) {
		int w = ts->has_weight ? ts->weight : ts->script->weight;
		bool rev = ts->reverse || (!ts->has_weight && ts->script->weight_reverse);
		struct vrrp_track_effect e = vrrp_track_effect(w, rev, inst->scripts[i]->good);

		fault |= e.fault;
		delta += e.delta;
	}
	prio = vrrp_track_priority(inst->conf->priority, delta);
	if (prio != inst->fsm.priority)
		log_info(INST_LOG "priority %u -> %u", inst->conf->name, inst->fsm.priority, prio);
	vrrp_fsm_set_priority(&inst->fsm, (uint8_t)prio);
	shm_change_begin(inst->env->shm, SHM_WRITER_VRRP);
	atomic_store(&inst->shm->priority, prio);
	shm_change_end(inst->env->shm, SHM_WRITER_VRRP);
	vrrp_fsm_set_fault(&inst->fsm, fault, ev_now(inst->env->loop));
}

void
vrrp_inst_link(struct vrrp_inst *inst, int ifindex, bool up)
{
	bool changed = false;
	unsigned i;

	if (ifindex == inst->ifindex && inst->if_up != up) {
		inst->if_up = up;
		changed = true;
	}
	for (i = 0; i < inst->n_track_ifs; i++)
		if (inst->track_ifs[i].ifindex == ifindex && inst->track_ifs[i].up != up) {
			inst->track_ifs[i].up = up;
			changed = true;
		}
	if (changed)
		vrrp_inst_track_changed(inst);
}

void
vrrp_inst_addr_removed(struct vrrp_inst *inst, int ifindex, const struct kl_addr *a)
{
	const struct conf_vip *v;
	char err[256], buf[ADDR_STRLEN];

	if (inst->fsm.state != VRRP_STATE_MASTER)
		return;
	FOREACH_VIP(inst, v) {
		if (v->no_track || vip_ifindex(inst, v) != ifindex || !addr_equal(&v->addr, a))
			continue;
		log_warnx(INST_LOG "VIP %s was removed from its interface; restoring it",
		    inst->conf->name, addr_ntop(a, false, buf, sizeof(buf)));
		if (vrrp_addr_add(inst->env->nl, ifindex, v, err, sizeof(err)) == -1)
			log_warnx(INST_LOG "%s", inst->conf->name, err);
		inst_announce(inst);
	}
}

/* Life cycle ----------------------------------------------------------------- */

void
vrrp_inst_know_vrid(struct vrrp_inst *inst, unsigned vrid)
{
	inst->known_vrids[vrid / 8] |= (uint8_t)(1u << (vrid % 8));
}

static void
pack_vips(struct vrrp_inst *inst)
{
	const struct conf_vip *v;

	inst->naddr = 0;
	for (v = inst->conf->vips; v != NULL && inst->naddr < VRRP_MAX_ADDRS; v = v->next) {
		size_t len;
		const void *b = addr_bytes(&v->addr, &len);

		memcpy(inst->addrs + inst->naddr * len, b, len);
		inst->naddr++;
	}
}

int
vrrp_inst_open(struct vrrp_inst *inst, const struct vrrp_env *env,
    const struct conf_vrrp_instance *vi, struct shm_vrrp *shm, char *err, size_t errlen)
{
	struct vrrp_fsm_conf fc;
	int i;

	memset(inst, 0, sizeof(*inst));
	inst->env = env;
	inst->conf = vi;
	inst->shm = shm;
	inst->nd_fd = -1;
	inst->sock.fd = -1;
	for (i = 0; i < 2; i++)
		ev_timer_init(&inst->timers[i], inst_timer_expired, inst);
	ev_timer_init(&inst->garp_delay, garp_delay_expired, inst);
	ev_timer_init(&inst->garp_refresh, garp_refresh_expired, inst);
	ev_timer_init(&inst->garp_pace, garp_pace_expired, inst);
	inst->ifindex = (int)if_nametoindex(vi->interface);
	if (vrrp_net_open(&inst->sock, vi, &env->conf->global, inst->ifindex, err, errlen) == -1)
		return -1;
	if (vrrp_arp_hwaddr(inst->sock.fd, vi->interface, inst->mac) == -1)
		memset(inst->mac, 0, sizeof(inst->mac));
	if (inst->sock.family == AF_INET6 && (inst->nd_fd = vrrp_ndisc_open(inst->ifindex)) == -1) {
		snprintf(err, errlen, "ICMPv6 socket: %s", strerror(errno));
		return -1;
	}
	inst->csum = vrrp_pkt_csum_mode(vi->version, inst->sock.family, vi->v3_checksum_as_v2);
	pack_vips(inst);
	fc = (struct vrrp_fsm_conf){
		.version = vi->version, .advert_int_cs = (uint16_t)(vi->advert_int_ms / 10),
		.preempt = !vi->nopreempt, .preempt_delay_ms = vi->preempt_delay_ms,
		.down_timer_adverts = vi->down_timer_adverts,
		.initial_master = vi->initial_master, .primary = inst->sock.src,
		.lower_prio_no_advert = vi->lower_prio_no_advert,
		.higher_prio_send_advert = vi->higher_prio_send_advert,
	};
	vrrp_fsm_init(&inst->fsm, &fc, (uint8_t)vi->priority, &inst_ops, inst);
	return 0;
}

void
vrrp_inst_start(struct vrrp_inst *inst)
{
	int64_t now = ev_now(inst->env->loop);

	/* Tracked state decides the start: FAULT, or a lowered priority. */
	vrrp_inst_track_changed(inst);
	if (atomic_load(&inst->shm->state) == VRRP_STATE_MASTER && !vrrp_fsm_faulty(&inst->fsm)) {
		/* A predecessor was master: keep the VIPs (re-adding is a no-op
		 * for those still there) and go on advertising. */
		log_info(INST_LOG "resuming as MASTER", inst->conf->name);
		vips_apply(inst, true);
		vrrp_fsm_resume(&inst->fsm, VRRP_STATE_MASTER, now);
		return;
	}
	/* VIPs left by a run that was killed (kill -9) would duplicate the
	 * master's addresses on the link (keepalived #2361). */
	vips_apply(inst, false);
	vrrp_fsm_startup(&inst->fsm, now);
	inst_publish_state(inst, inst->fsm.state);
}

void
vrrp_inst_shutdown(struct vrrp_inst *inst)
{
	vrrp_fsm_shutdown(&inst->fsm);
	inst_publish_state(inst, VRRP_STATE_INIT);
}

void
vrrp_inst_close(struct vrrp_inst *inst)
{
	struct ev_loop *loop = inst->env->loop;
	int i;

	for (i = 0; i < 2; i++)
		ev_timer_stop(loop, &inst->timers[i]);
	ev_timer_stop(loop, &inst->garp_delay);
	ev_timer_stop(loop, &inst->garp_refresh);
	ev_timer_stop(loop, &inst->garp_pace);
	if (inst->sock.fd != -1)
		ev_fd_del(loop, inst->sock.fd);
	vrrp_net_close(&inst->sock);
	if (inst->nd_fd != -1)
		close(inst->nd_fd);
	inst->nd_fd = -1;
	free(inst->track_ifs);
	free(inst->scripts);
	inst->track_ifs = NULL;
	inst->scripts = NULL;
}
