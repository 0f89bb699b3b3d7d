/* The VRRP state machine of RFC 5798 section 6.4 (and RFC 3768 6.4 for
 * version 2), with keepalived's nopreempt / preempt_delay and a FAULT
 * state for tracked failures.
 *
 * Pure logic: time comes in as arguments, side effects go out through
 * struct vrrp_fsm_ops (send an advert, move VIPs, arm a timer), so tests
 * drive it with a fake clock and the child wires it to sockets, netlink
 * and the event loop.
 */
#ifndef KL7_VRRP_FSM_H
#define KL7_VRRP_FSM_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"

/* Same values as enum shm_vrrp_state. */
enum vrrp_state { VRRP_STATE_INIT, VRRP_STATE_BACKUP, VRRP_STATE_MASTER, VRRP_STATE_FAULT };

enum vrrp_timer_id {
	VRRP_TIMER_ADVER,		/* Adver_Timer (master), RFC 5798 6.2 */
	VRRP_TIMER_MASTER_DOWN,		/* Master_Down_Timer (backup) */
};

struct vrrp_fsm_ops {
	void	(*send_advert)(void *ctx, uint8_t priority);
	/* Take the VIPs and announce them (gratuitous ARP / unsolicited NA). */
	void	(*vips_up)(void *ctx);
	void	(*vips_down)(void *ctx);
	/* Announce the VIPs again (a lower-priority master was heard). */
	void	(*announce)(void *ctx);
	/* Arm timer id to fire in ms; ms < 0 cancels it. */
	void	(*timer)(void *ctx, enum vrrp_timer_id id, int64_t ms);
	void	(*changed)(void *ctx, enum vrrp_state from, enum vrrp_state to,
		    const char *why);
};

struct vrrp_fsm_conf {
	unsigned	 version;		/* 2 or 3 */
	uint16_t	 advert_int_cs;		/* Advertisement_Interval */
	bool		 preempt;		/* !nopreempt */
	uint32_t	 preempt_delay_ms;
	unsigned	 down_timer_adverts;	/* 3 in the RFC */
	bool		 initial_master;	/* state MASTER */
	bool		 lower_prio_no_advert;	/* hearing a lower master: stay quiet (RFC) */
	bool		 higher_prio_send_advert; /* advertise once before yielding */
	struct kl_addr	 primary;		/* our address, for equal priorities */
};

struct vrrp_fsm_stats {
	uint64_t	became_master;
	uint64_t	released_master;
	uint64_t	prio0_sent;
	uint64_t	prio0_rcvd;
};

struct vrrp_fsm {
	enum vrrp_state			 state;
	uint8_t				 priority;	/* effective, 1..255 */
	uint16_t			 master_adver_int_cs;
	struct kl_addr			 master_addr;	/* last master heard (backup) */
	bool				 fault;		/* own tracking failed */
	bool				 group_fault;	/* a sync-group partner's did */
	int64_t				 started_ms;
	int64_t				 lower_since_ms;	/* lower master heard since; -1 none */
	struct vrrp_fsm_conf		 conf;
	struct vrrp_fsm_stats		 stats;
	const struct vrrp_fsm_ops	*ops;
	void				*ctx;
};

void	vrrp_fsm_init(struct vrrp_fsm *f, const struct vrrp_fsm_conf *conf, uint8_t priority,
	    const struct vrrp_fsm_ops *ops, void *ctx);
/* Initialize -> Backup or Master (RFC 5798 6.4.1). */
void	vrrp_fsm_startup(struct vrrp_fsm *f, int64_t now);
/* Resume in a state a previous process left (respawn, reload): a master
 * stays master without dropping its VIPs. */
void	vrrp_fsm_resume(struct vrrp_fsm *f, enum vrrp_state state, int64_t now);
/* Any state -> Initialize; a master sends priority 0 and drops its VIPs. */
void	vrrp_fsm_shutdown(struct vrrp_fsm *f);
void	vrrp_fsm_timer_expired(struct vrrp_fsm *f, enum vrrp_timer_id id, int64_t now);
/* A valid advertisement for our VRID (the caller has checked the rest). */
void	vrrp_fsm_advert(struct vrrp_fsm *f, uint8_t priority, uint16_t adver_int_cs,
	    const struct kl_addr *src, int64_t now);
/* A tracked interface or script failed (true) or recovered (false). */
void	vrrp_fsm_set_fault(struct vrrp_fsm *f, bool fault, int64_t now);
/* A partner in the sync group is in FAULT of its own (true) or none is
 * any more (false): the whole group is in FAULT while one member is, as
 * in keepalived, so that no partner takes MASTER back meanwhile. */
void	vrrp_fsm_set_group_fault(struct vrrp_fsm *f, bool fault);
/* In FAULT, of its own or its group's. */
bool	vrrp_fsm_faulty(const struct vrrp_fsm *f);
/* A sync-group partner moved: follow it to MASTER (from BACKUP) or to
 * BACKUP (from MASTER); other combinations change nothing. */
void	vrrp_fsm_follow(struct vrrp_fsm *f, enum vrrp_state to, const char *why);
/* Tracking changed the effective priority. */
void	vrrp_fsm_set_priority(struct vrrp_fsm *f, uint8_t priority);

/* Skew_Time and Master_Down_Interval in ms (RFC 5798 6.1, RFC 3768 6.1). */
int64_t	vrrp_fsm_skew_ms(const struct vrrp_fsm *f);
int64_t	vrrp_fsm_master_down_ms(const struct vrrp_fsm *f);

const char *vrrp_state_name(enum vrrp_state s);

#endif
