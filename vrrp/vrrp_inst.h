/* One VRRP instance at run time: its state machine, socket, timers and
 * the effects the machine asks for.  vrrp_child.c owns the list. */
#ifndef KL7_VRRP_INST_H
#define KL7_VRRP_INST_H

#include <stdint.h>

#include "lib/conf.h"
#include "lib/ev.h"
#include "lib/shm.h"
#include "vrrp/vrrp_fsm.h"
#include "vrrp/vrrp_net.h"
#include "vrrp/vrrp_packet.h"

struct nl_sock;
struct vrrp_script_rt;

struct vrrp_track_if_rt {
	const struct conf_track_if	*conf;
	int				 ifindex;
	bool				 up;
};

struct vrrp_inst;

/* What the instances share in one child. */
struct vrrp_env {
	/* Called after an instance changed state (sync groups). */
	void			(*changed)(void *ctx, struct vrrp_inst *inst, enum vrrp_state to);
	void			*ctx;
	struct ev_loop		*loop;
	const struct conf	*conf;
	struct nl_sock		*nl;		/* VIP add/remove */
	int			 arp_fd;	/* gratuitous ARP, -1 if no IPv4 */
	struct shm		*shm;		/* its change lock (shm_change_begin) */
};

struct vrrp_inst {
	const struct vrrp_env		*env;
	const struct conf_vrrp_instance	*conf;
	struct shm_vrrp			*shm;
	struct vrrp_fsm			 fsm;
	struct vrrp_sock		 sock;
	int				 ifindex;
	uint8_t				 mac[6];
	int				 nd_fd;		/* unsolicited NA, IPv6 only */
	enum vrrp_csum			 csum;
	unsigned			 naddr;		/* advertised VIPs */
	uint8_t				 addrs[VRRP_MAX_ADDRS * 16];
	struct ev_timer			 timers[2];	/* enum vrrp_timer_id */
	struct ev_timer			 garp_delay;	/* second GARP burst */
	int				 garp_delay_repeat;	/* its size */
	struct ev_timer			 garp_refresh;
	struct ev_timer			 garp_pace;	/* vrrp_garp/gna_interval */
	unsigned			 garp_queued;	/* messages still to pace out */
	unsigned			 garp_seq;	/* next VIP to announce, paced */
	bool				 if_up;		/* its own interface */
	struct vrrp_track_if_rt		*track_ifs;
	unsigned			 n_track_ifs;
	struct vrrp_script_rt		**scripts;	/* as conf->track_scripts */
	unsigned			 n_scripts;
	uint8_t				 known_vrids[32];	/* bitmap: VRIDs of this child
							 * on this link and family */
};

/* Set up inst for vi: sockets, MAC, packed VIPs.  0, or -1 with err. */
int	vrrp_inst_open(struct vrrp_inst *inst, const struct vrrp_env *env,
	    const struct conf_vrrp_instance *vi, struct shm_vrrp *shm, char *err, size_t errlen);
/* Note that vrid is configured on inst's link (by inst or a sibling). */
void	vrrp_inst_know_vrid(struct vrrp_inst *inst, unsigned vrid);
/* Start the state machine: resume what shared state says a predecessor
 * left, or clear stale VIPs and start afresh. */
void	vrrp_inst_start(struct vrrp_inst *inst);
/* Read and handle every datagram waiting on the socket. */
void	vrrp_inst_readable(struct vrrp_inst *inst);
/* Tracking.  scripts_rt holds the child's runners (n of them), to be
 * matched with the instance's track_script entries. */
int	vrrp_inst_track_setup(struct vrrp_inst *inst, struct vrrp_script_rt *scripts_rt,
	    unsigned n);
/* Recompute fault and effective priority after any tracked change. */
void	vrrp_inst_track_changed(struct vrrp_inst *inst);
/* Netlink: a link changed; an address was removed (restored if ours). */
void	vrrp_inst_link(struct vrrp_inst *inst, int ifindex, bool up);
void	vrrp_inst_addr_removed(struct vrrp_inst *inst, int ifindex, const struct kl_addr *a);
/* SIGTERM: masters send priority 0 and drop their VIPs. */
void	vrrp_inst_shutdown(struct vrrp_inst *inst);
void	vrrp_inst_close(struct vrrp_inst *inst);

#endif
