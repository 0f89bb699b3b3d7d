/* VRRP state machine; see vrrp_fsm.h.  Section numbers are RFC 5798's. */
#include "config.h"

#include <string.h>

#include "vrrp/vrrp_fsm.h"
#include "vrrp/vrrp_packet.h"

const char *
vrrp_state_name(enum vrrp_state s)
{
	static const char *const names[] = {
		[VRRP_STATE_INIT] = "INIT", [VRRP_STATE_BACKUP] = "BACKUP",
		[VRRP_STATE_MASTER] = "MASTER", [VRRP_STATE_FAULT] = "FAULT",
	};

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

/* Timing (6.1) ---------------------------------------------------------- */

int64_t
vrrp_fsm_skew_ms(const struct vrrp_fsm *f)
{
	/* v3: ((256 - Priority) * Master_Adver_Interval) / 256, in centiseconds;
	 * v2 (RFC 3768 6.1): (256 - Priority) / 256 seconds. */
	if (f->conf.version == 2)
		return (256 - f->priority) * 1000 / 256;
	return (int64_t)(256 - f->priority) * f->master_adver_int_cs / 256 * 10;
}

int64_t
vrrp_fsm_master_down_ms(const struct vrrp_fsm *f)
{
	/* (3 * Master_Adver_Interval) + Skew_time; keepalived makes the 3
	 * configurable as down_timer_adverts. */
	return (int64_t)f->conf.down_timer_adverts * f->master_adver_int_cs * 10 +
	    vrrp_fsm_skew_ms(f);
}

/* Transitions --------------------------------------------------------------- */

static const char *fault_reason(const struct vrrp_fsm *f);

static void
set_state(struct vrrp_fsm *f, enum vrrp_state to, const char *why)
{
	enum vrrp_state from = f->state;

	f->state = to;
	if (from != to && f->ops->changed != NULL)
		f->ops->changed(f->ctx, from, to, why);
}

static void
arm(struct vrrp_fsm *f, enum vrrp_timer_id id, int64_t ms)
{
	f->ops->timer(f->ctx, id, ms);
}

static void
cancel_timers(struct vrrp_fsm *f)
{
	arm(f, VRRP_TIMER_ADVER, -1);
	arm(f, VRRP_TIMER_MASTER_DOWN, -1);
}

static void
send_advert(struct vrrp_fsm *f, uint8_t priority)
{
	if (priority == VRRP_PRIO_STOP)
		f->stats.prio0_sent++;
	f->ops->send_advert(f->ctx, priority);
}

static void
to_master(struct vrrp_fsm *f, const char *why)
{
	arm(f, VRRP_TIMER_MASTER_DOWN, -1);
	send_advert(f, f->priority);
	f->ops->vips_up(f->ctx);
	arm(f, VRRP_TIMER_ADVER, (int64_t)f->conf.advert_int_cs * 10);
	f->stats.became_master++;
	memset(&f->master_addr, 0, sizeof(f->master_addr));
	set_state(f, VRRP_STATE_MASTER, why);
}

static void
to_backup(struct vrrp_fsm *f, const char *why)
{
	arm(f, VRRP_TIMER_ADVER, -1);
	if (f->state == VRRP_STATE_MASTER) {
		f->ops->vips_down(f->ctx);
		f->stats.released_master++;
	}
	arm(f, VRRP_TIMER_MASTER_DOWN, vrrp_fsm_master_down_ms(f));
	set_state(f, VRRP_STATE_BACKUP, why);
}

void
vrrp_fsm_init(struct vrrp_fsm *f, const struct vrrp_fsm_conf *conf, uint8_t priority,
    const struct vrrp_fsm_ops *ops, void *ctx)
{
	memset(f, 0, sizeof(*f));
	f->conf = *conf;
	f->priority = priority;
	f->master_adver_int_cs = conf->advert_int_cs;
	f->lower_since_ms = -1;
	f->ops = ops;
	f->ctx = ctx;
	f->state = VRRP_STATE_INIT;
}

/* 6.4.1 */
void
vrrp_fsm_startup(struct vrrp_fsm *f, int64_t now)
{
	f->started_ms = now;
	f->master_adver_int_cs = f->conf.advert_int_cs;
	if (vrrp_fsm_faulty(f))
		set_state(f, VRRP_STATE_FAULT, fault_reason(f));
	else if (f->priority == VRRP_PRIO_OWNER)
		to_master(f, "address owner (priority 255)");
	else if (f->conf.initial_master)
		to_master(f, "configured state MASTER");
	else
		to_backup(f, "startup");
}

void
vrrp_fsm_resume(struct vrrp_fsm *f, enum vrrp_state state, int64_t now)
{
	f->started_ms = now;
	f->master_adver_int_cs = f->conf.advert_int_cs;
	if (vrrp_fsm_faulty(f)) {
		set_state(f, VRRP_STATE_FAULT, fault_reason(f));
	} else if (state == VRRP_STATE_MASTER) {
		/* The VIPs are still in place: keep them, keep advertising. */
		f->state = VRRP_STATE_MASTER;
		send_advert(f, f->priority);
		arm(f, VRRP_TIMER_ADVER, (int64_t)f->conf.advert_int_cs * 10);
	} else {
		f->state = VRRP_STATE_BACKUP;
		arm(f, VRRP_TIMER_MASTER_DOWN, vrrp_fsm_master_down_ms(f));
	}
}

void
vrrp_fsm_shutdown(struct vrrp_fsm *f)
{
	cancel_timers(f);
	if (f->state == VRRP_STATE_MASTER) {
		/* 6.4.3: send an advert with priority 0 so a backup takes over
		 * after Skew_Time instead of Master_Down_Interval. */
		send_advert(f, VRRP_PRIO_STOP);
		f->ops->vips_down(f->ctx);
		f->stats.released_master++;
	}
	set_state(f, VRRP_STATE_INIT, "shutdown");
}

void
vrrp_fsm_timer_expired(struct vrrp_fsm *f, enum vrrp_timer_id id, int64_t now)
{
	if (id == VRRP_TIMER_ADVER && f->state == VRRP_STATE_MASTER) {
		send_advert(f, f->priority);
		arm(f, VRRP_TIMER_ADVER, (int64_t)f->conf.advert_int_cs * 10);
	} else if (id == VRRP_TIMER_MASTER_DOWN && f->state == VRRP_STATE_BACKUP) {
		to_master(f, "master down timer expired");
	}
}

/* Receiving ------------------------------------------------------------- */

/* May a backup ignore a lower-priority master and take over?  Not before
 * preempt_delay has passed since start-up and since that master was
 * first heard (keepalived's preempt_delay). */
static bool
may_preempt(struct vrrp_fsm *f, int64_t now)
{
	int64_t delay = f->conf.preempt_delay_ms;

	if (!f->conf.preempt)
		return false;
	if (f->lower_since_ms < 0)
		f->lower_since_ms = now;
	return now - f->started_ms >= delay && now - f->lower_since_ms >= delay;
}

/* 6.4.2 */
static void
backup_advert(struct vrrp_fsm *f, uint8_t prio, uint16_t adver_int_cs,
    const struct kl_addr *src, int64_t now)
{
	if (prio == VRRP_PRIO_STOP) {
		f->stats.prio0_rcvd++;
		arm(f, VRRP_TIMER_MASTER_DOWN, vrrp_fsm_skew_ms(f));
		return;
	}
	if (prio < f->priority && may_preempt(f, now))
		return;		/* discard: Master_Down_Timer will make us master */
	if (prio >= f->priority)
		f->lower_since_ms = -1;
	if (f->conf.version == 3 && adver_int_cs > 0)
		f->master_adver_int_cs = adver_int_cs;
	f->master_addr = *src;
	arm(f, VRRP_TIMER_MASTER_DOWN, vrrp_fsm_master_down_ms(f));
}

static bool
sender_wins_tie(const struct vrrp_fsm *f, const struct kl_addr *src)
{
	size_t len;
	const void *a = addr_bytes(src, &len), *b = addr_bytes(&f->conf.primary, &len);

	return src->family == f->conf.primary.family && memcmp(a, b, len) > 0;
}

/* 6.4.3 */
static void
master_advert(struct vrrp_fsm *f, uint8_t prio, uint16_t adver_int_cs,
    const struct kl_addr *src)
{
	if (prio == VRRP_PRIO_STOP) {
		f->stats.prio0_rcvd++;
		send_advert(f, f->priority);
		arm(f, VRRP_TIMER_ADVER, (int64_t)f->conf.advert_int_cs * 10);
		return;
	}
	if (prio > f->priority || (prio == f->priority && sender_wins_tie(f, src))) {
		/* keepalived's higher_prio_send_advert: one last advert, so a
		 * master that cannot hear us still learns of us. */
		if (f->conf.higher_prio_send_advert)
			send_advert(f, f->priority);
		if (f->conf.version == 3 && adver_int_cs > 0)
			f->master_adver_int_cs = adver_int_cs;
		f->master_addr = *src;
		to_backup(f, prio > f->priority ? "higher priority master" :
		    "master with equal priority and higher address");
		return;
	}
	/* Another master with lower priority: a partition has healed.  Assert
	 * at once (advert and GARPs) rather than wait for its next advert,
	 * unless told to keep to the RFC, which simply discards it. */
	if (f->conf.lower_prio_no_advert)
		return;
	send_advert(f, f->priority);
	f->ops->announce(f->ctx);
}

void
vrrp_fsm_advert(struct vrrp_fsm *f, uint8_t priority, uint16_t adver_int_cs,
    const struct kl_addr *src, int64_t now)
{
	if (f->state == VRRP_STATE_BACKUP)
		backup_advert(f, priority, adver_int_cs, src, now);
	else if (f->state == VRRP_STATE_MASTER)
		master_advert(f, priority, adver_int_cs, src);
}

/* Tracking ---------------------------------------------------------------- */

bool
vrrp_fsm_faulty(const struct vrrp_fsm *f)
{
	return f->fault || f->group_fault;
}

static const char *
fault_reason(const struct vrrp_fsm *f)
{
	return f->fault ? "a tracked interface or script is down" :
	    "a sync group partner is in FAULT";
}

/* Enter or leave FAULT after one of its causes changed. */
static void
fault_changed(struct vrrp_fsm *f, bool was_faulty)
{
	bool faulty = vrrp_fsm_faulty(f);

	if (faulty == was_faulty || f->state == VRRP_STATE_INIT)
		return;
	if (faulty) {
		cancel_timers(f);
		if (f->state == VRRP_STATE_MASTER) {
			send_advert(f, VRRP_PRIO_STOP);
			f->ops->vips_down(f->ctx);
			f->stats.released_master++;
		}
		set_state(f, VRRP_STATE_FAULT, fault_reason(f));
	} else if (f->state == VRRP_STATE_FAULT) {
		f->master_adver_int_cs = f->conf.advert_int_cs;
		if (f->priority == VRRP_PRIO_OWNER)
			to_master(f, "fault cleared, address owner");
		else
			to_backup(f, "fault cleared");
	}
}

void
vrrp_fsm_set_fault(struct vrrp_fsm *f, bool fault, int64_t now)
{
	bool was = vrrp_fsm_faulty(f);

	f->fault = fault;
	fault_changed(f, was);
}

void
vrrp_fsm_set_group_fault(struct vrrp_fsm *f, bool fault)
{
	bool was = vrrp_fsm_faulty(f);

	f->group_fault = fault;
	fault_changed(f, was);
}

void
vrrp_fsm_set_priority(struct vrrp_fsm *f, uint8_t priority)
{
	if (f->priority == priority)
		return;
	f->priority = priority;
	/* Tell the backups now, so one with a higher priority can preempt. */
	if (f->state == VRRP_STATE_MASTER)
		send_advert(f, priority);
}

void
vrrp_fsm_follow(struct vrrp_fsm *f, enum vrrp_state to, const char *why)
{
	if (to == VRRP_STATE_MASTER && f->state == VRRP_STATE_BACKUP)
		to_master(f, why);
	else if (to != VRRP_STATE_MASTER && f->state == VRRP_STATE_MASTER)
		to_backup(f, why);
}
