/* Inside the SNMP subagent: the state its files share. */
#ifndef KL7_SNMP_INT_H
#define KL7_SNMP_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/shm.h"
#include "keepalive-l7/snmp_agent.h"
#include "keepalive-l7/snmp_table.h"

#define SNMP_WATCH_MS	200	/* how often shared state is compared for notifications */

/* What the watcher last saw of one VRRP instance. */
struct watch_vrrp {
	char		 name[sizeof(((struct shm_vrrp *)0)->name)];	/* key */
	uint32_t	 state;
	u_long		 up_since;	/* agent uptime (cs) when it left INIT; 0: in INIT */
	long		 new_master_reason;	/* vrrpv3StatisticsNewMasterReason */
	long		 proto_err_reason;	/* vrrpv3StatisticsProtoErrReason */
	uint64_t	 errors[4];	/* TTL, version, checksum, VRID: the reason order */
};

/* ... and of one real server. */
struct watch_rs {
	struct kl_addr	 vs_addr;	/* key, with the next three */
	uint16_t	 vs_port;
	uint16_t	 port;
	struct kl_addr	 addr;
	uint32_t	 health;
};

struct snmp_watch {
	const struct conf	*conf;	/* the model the arrays below follow */
	struct watch_vrrp	*vrrp;
	unsigned		 n_vrrp;
	struct watch_rs		*rs;
	unsigned		 n_rs;
};

struct snmp_agent {
	struct supervisor	*sup;	/* the running model and its shared state */
	struct ev_loop		*loop;
	bool			 vrrp;	/* KEEPALIVE-L7-MIB VRRP instances */
	bool			 checker;	/* KEEPALIVE-L7-MIB servers */
	bool			 rfcv3;	/* VRRPv3-MIB */
	bool			 traps;
	struct ev_timer		 snmp_timer;	/* net-snmp's next timeout */
	struct ev_timer		 watch_timer;
	int			 fds[SNMP_AGENT_MAX_FDS];	/* net-snmp's, in the loop */
	int			 nfds;
	struct snmp_watch	 watch;
	/* Table descriptors (snmp_table.h), filled by the MIB files. */
	struct snmp_table	 v3_ops, v3_stats, v3_router;
	struct snmp_table	 kl7_global, kl7_vs, kl7_rs, kl7_vrrp;
};

/* snmp_agent.c: hand net-snmp's sockets and timeout to the loop again,
 * after anything that may have used them (a notification sent). */
void	snmp_agent_sync(struct snmp_agent *a);

/* The running model and shared state. */
const struct conf	*snmp_conf(const struct snmp_agent *a);
const struct shm	*snmp_shm(const struct snmp_agent *a);
const struct conf_vrrp_instance *snmp_conf_vrrp(const struct conf *c, unsigned index);
const struct conf_virtual_server *snmp_conf_vs(const struct conf *c, unsigned index);
/* The real server in shared-state slot index, and its virtual server. */
const struct conf_real_server *snmp_conf_rs(const struct conf *c, unsigned index,
			    const struct conf_virtual_server **vs);
/* The watcher's record for VRRP slot index, NULL before it has one. */
const struct watch_vrrp	*snmp_watch_vrrp(const struct snmp_agent *a, unsigned index);

/* snmp_vrrp.c: VRRPv3-MIB, RFC 6527 */
int	snmp_vrrp_register(struct snmp_agent *a);
void	snmp_vrrp_new_master(struct snmp_agent *a, unsigned index);
void	snmp_vrrp_proto_error(struct snmp_agent *a, unsigned index);

/* snmp_kl7.c: KEEPALIVE-L7-MIB */
int	snmp_kl7_register(struct snmp_agent *a);
void	snmp_kl7_vrrp_changed(struct snmp_agent *a, unsigned index);
void	snmp_kl7_rs_changed(struct snmp_agent *a, unsigned index);

/* snmp_watch.c: notifications from changes in shared state */
void	snmp_watch_start(struct snmp_agent *a);
void	snmp_watch_free(struct snmp_watch *w);

#endif
