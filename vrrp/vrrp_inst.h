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

/* What the instances share in one child. */
struct vrrp_env {
	struct ev_loop		*loop;
	const struct conf	*conf;
	struct nl_sock		*nl;		/* VIP add/remove */
	int			 arp_fd;	/* gratuitous ARP, -1 if no IPv4 */
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
	struct ev_timer			 garp_refresh;
};

/* Set up inst for vi: sockets, MAC, packed VIPs.  0, or -1 with err. */
int	vrrp_inst_open(struct vrrp_inst *inst, const struct vrrp_env *env,
	    const struct conf_vrrp_instance *vi, struct shm_vrrp *shm, char *err, size_t errlen);
/* Start the state machine: resume what shared state says a predecessor
 * left, or clear stale VIPs and start afresh. */
void	vrrp_inst_start(struct vrrp_inst *inst);
/* Read and handle every datagram waiting on the socket. */
void	vrrp_inst_readable(struct vrrp_inst *inst);
/* SIGTERM: masters send priority 0 and drop their VIPs. */
void	vrrp_inst_shutdown(struct vrrp_inst *inst);
void	vrrp_inst_close(struct vrrp_inst *inst);

#endif
