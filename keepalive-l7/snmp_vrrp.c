/* VRRPv3-MIB (RFC 6527) from the model and shared state: the operations
 * and statistics tables, the router-wide error counters and the
 * vrrpv3NewMaster / vrrpv3ProtoError notifications.  Read-only: the
 * read-create columns report the configuration, which only the file
 * changes.  Only version 3 instances have rows (RFC 2787, VRRP-MIB, would
 * cover version 2 and is not served).
 */
#include "config.h"

#include <net/if.h>
#include <stddef.h>
#include <string.h>

#include "lib/log.h"
#include "keepalive-l7/snmp_int.h"

/* vrrpv3MIB ::= { mib-2 207 }, RFC 6527 */
#define VRRPV3_MIB		1, 3, 6, 1, 2, 1, 207
static const oid v3_ops_table[] = { VRRPV3_MIB, 1, 1, 1 };
static const oid v3_ops_entry[] = { VRRPV3_MIB, 1, 1, 1, 1 };
static const oid v3_statistics[] = { VRRPV3_MIB, 1, 2 };
static const oid v3_stats_table[] = { VRRPV3_MIB, 1, 2, 5 };
static const oid v3_stats_entry[] = { VRRPV3_MIB, 1, 2, 5, 1 };
static const oid v3_new_master[] = { VRRPV3_MIB, 0, 1 };
static const oid v3_proto_error[] = { VRRPV3_MIB, 0, 2 };

enum {	/* vrrpv3OperationsEntry */
	OPS_MASTER_IP = 3, OPS_PRIMARY_IP, OPS_VMAC, OPS_STATUS, OPS_PRIORITY,
	OPS_ADDR_COUNT, OPS_ADV_INTERVAL, OPS_PREEMPT, OPS_ACCEPT, OPS_UPTIME,
	OPS_ROW_STATUS,
};

enum {	/* vrrpv3StatisticsEntry */
	ST_MASTER_TRANSITIONS = 1, ST_NEW_MASTER_REASON, ST_RCVD_ADVERTS,
	ST_ADV_INTERVAL_ERRORS, ST_TTL_ERRORS, ST_PROTO_ERR_REASON, ST_RCVD_PRIO0,
	ST_SENT_PRIO0, ST_RCVD_INVALID_TYPE, ST_ADDR_LIST_ERRORS, ST_LENGTH_ERRORS,
	ST_DISCONTINUITY, ST_REFRESH_RATE,
};

#define TRUTH(b)	((b) ? 1 : 2)	/* TruthValue, RFC 2579 */
#define ROW_ACTIVE	1		/* RowStatus active(1), RFC 2579 */

/* Rows ---------------------------------------------------------------- */

struct v3_row {
	const struct conf_vrrp_instance	*vi;
	const struct shm_vrrp		*s;
};

static int
v3_row(const struct snmp_agent *a, unsigned r, struct v3_row *row)
{
	const struct shm *shm = snmp_shm(a);

	if (r >= shm->hdr->n_vrrp || (row->vi = snmp_conf_vrrp(snmp_conf(a), r)) == NULL ||
	    row->vi->version != 3)
		return -1;
	row->s = &shm->vrrp[r];
	return 0;
}

static unsigned
v3_rows(void *ctx)
{
	return snmp_shm(ctx)->hdr->n_vrrp;
}

/* INDEX { ifIndex, vrrpv3OperationsVrId, vrrpv3OperationsInetAddrType } */
static size_t
v3_index(void *ctx, unsigned r, oid *idx)
{
	struct v3_row row;
	unsigned ifindex;

	if (v3_row(ctx, r, &row) == -1 || (ifindex = if_nametoindex(row.vi->interface)) == 0)
		return 0;
	idx[0] = ifindex;
	idx[1] = row.vi->vrid;
	idx[2] = (oid)snmp_inet_type(row.vi->family);
	return 3;
}

/* Operations ---------------------------------------------------------- */

/* The address adverts are sent from, when the file names it. */
static const struct kl_addr *
v3_primary_addr(const struct conf_vrrp_instance *vi)
{
	return addr_is_set(&vi->unicast_src) ? &vi->unicast_src : &vi->mcast_src;
}

/* 00-00-5E-00-01-{VRID} for IPv4, 00-00-5E-00-02-{VRID} for IPv6,
 * RFC 5798 7.3. */
static void
v3_vmac(const struct conf_vrrp_instance *vi, struct snmp_val *v)
{
	uint8_t mac[6] = { 0x00, 0x00, 0x5e, 0x00, vi->family == AF_INET6 ? 0x02 : 0x01,
	    (uint8_t)vi->vrid };

	snmp_val_bytes(v, mac, sizeof(mac));
}

/* vrrpv3OperationsStatus: initialize(1), backup(2), master(3).  FAULT is
 * not a VRRP state: the instance takes no part, as in initialize. */
static long
v3_status(uint32_t state)
{
	return state == SHM_VRRP_MASTER ? 3 : state == SHM_VRRP_BACKUP ? 2 : 1;
}

static int
v3_ops_get(void *ctx, unsigned r, unsigned col, struct snmp_val *v)
{
	const struct snmp_agent *a = ctx;
	const struct watch_vrrp *w = snmp_watch_vrrp(a, r);
	struct v3_row row;
	struct kl_addr addr;

	if (v3_row(a, r, &row) == -1)
		return -1;
	switch (col) {
	case OPS_MASTER_IP:
		shm_vrrp_master_addr(row.s, &addr);
		snmp_val_inet(v, &addr);
		break;
	case OPS_PRIMARY_IP:
		snmp_val_inet(v, v3_primary_addr(row.vi));
		break;
	case OPS_VMAC:
		v3_vmac(row.vi, v);
		break;
	case OPS_STATUS:
		snmp_val_int(v, v3_status(atomic_load(&row.s->state)));
		break;
	case OPS_PRIORITY:
		snmp_val_gauge(v, atomic_load(&row.s->priority));
		break;
	case OPS_ADDR_COUNT:
		snmp_val_int(v, row.vi->n_vips);
		break;
	case OPS_ADV_INTERVAL:
		snmp_val_int(v, row.vi->advert_int_ms / 10);
		break;
	case OPS_PREEMPT:
		snmp_val_int(v, TRUTH(!row.vi->nopreempt));
		break;
	case OPS_ACCEPT:
		/* The VIPs are local addresses while master: packets to
		 * them are accepted (RFC 5798 6.4.3). */
		snmp_val_int(v, TRUTH(true));
		break;
	case OPS_UPTIME:
		snmp_val_ticks(v, w != NULL && w->up_since != 0 ?
		    netsnmp_get_agent_uptime() - w->up_since : 0);
		break;
	case OPS_ROW_STATUS:
		snmp_val_int(v, ROW_ACTIVE);
		break;
	default:
		return -1;
	}
	return 0;
}

/* Statistics ---------------------------------------------------------- */

static int
v3_stats_counter(const struct shm_vrrp *s, unsigned col, struct snmp_val *v)
{
	static const size_t field[] = {
		[ST_RCVD_ADVERTS] = offsetof(struct shm_vrrp, adverts_rcvd),
		[ST_ADV_INTERVAL_ERRORS] = offsetof(struct shm_vrrp, interval_errors),
		[ST_TTL_ERRORS] = offsetof(struct shm_vrrp, ttl_errors),
		[ST_RCVD_PRIO0] = offsetof(struct shm_vrrp, prio0_rcvd),
		[ST_SENT_PRIO0] = offsetof(struct shm_vrrp, prio0_sent),
		[ST_RCVD_INVALID_TYPE] = offsetof(struct shm_vrrp, type_errors),
		[ST_LENGTH_ERRORS] = offsetof(struct shm_vrrp, length_errors),
	};

	if (col >= sizeof(field) / sizeof(field[0]) || field[col] == 0)
		return -1;
	snmp_val_counter64(v, atomic_load((const _Atomic uint64_t *)((const char *)s +
	    field[col])));
	return 0;
}

static int
v3_stats_get(void *ctx, unsigned r, unsigned col, struct snmp_val *v)
{
	const struct snmp_agent *a = ctx;
	const struct watch_vrrp *w = snmp_watch_vrrp(a, r);
	struct v3_row row;

	if (v3_row(a, r, &row) == -1)
		return -1;
	switch (col) {
	case ST_MASTER_TRANSITIONS:
		snmp_val_counter32(v, atomic_load(&row.s->became_master));
		break;
	case ST_NEW_MASTER_REASON:
		snmp_val_int(v, w != NULL ? w->new_master_reason : 0);
		break;
	case ST_PROTO_ERR_REASON:
		snmp_val_int(v, w != NULL ? w->proto_err_reason : 0);
		break;
	case ST_ADDR_LIST_ERRORS:
		/* Not counted: version 3 adverts' address lists are not
		 * checked (RFC 5798 7.1 makes it optional). */
		snmp_val_counter64(v, 0);
		break;
	case ST_DISCONTINUITY:
		snmp_val_ticks(v, 0);	/* the counters live as long as the daemon */
		break;
	case ST_REFRESH_RATE:
		/* Counters move in shared memory as packets come: one
		 * advert interval is the shortest useful poll. */
		snmp_val_gauge(v, row.vi->advert_int_ms);
		break;
	default:
		return v3_stats_counter(row.s, col, v);
	}
	return 0;
}

/* Router-wide scalars: vrrpv3RouterChecksumErrors(1), VersionErrors(2),
 * VrIdErrors(3), vrrpv3GlobalStatisticsDiscontinuityTime(4). */
static unsigned
v3_router_rows(void *ctx)
{
	return 1;
}

static size_t
v3_router_index(void *ctx, unsigned r, oid *idx)
{
	idx[0] = 0;
	return 1;
}

static int
v3_router_get(void *ctx, unsigned r, unsigned col, struct snmp_val *v)
{
	const struct shm *shm = snmp_shm(ctx);
	uint64_t sum = 0;
	uint32_t i;

	if (col == 4) {
		snmp_val_ticks(v, 0);
		return 0;
	}
	for (i = 0; i < shm->hdr->n_vrrp; i++) {
		const struct shm_vrrp *s = &shm->vrrp[i];

		sum += atomic_load(col == 1 ? &s->checksum_errors : col == 2 ?
		    &s->version_errors : &s->vrid_errors);
	}
	snmp_val_counter64(v, sum);
	return 0;
}

/* Notifications ------------------------------------------------------- */

void
snmp_vrrp_new_master(struct snmp_agent *a, unsigned index)
{
	netsnmp_variable_list *vars = NULL;

	if (snmp_table_varbind(&a->v3_ops, index, OPS_MASTER_IP, &vars) == -1 ||
	    snmp_table_varbind(&a->v3_stats, index, ST_NEW_MASTER_REASON, &vars) == -1) {
		snmp_free_varbind(vars);
		return;		/* not a version 3 instance */
	}
	snmp_notify(v3_new_master, OID_LENGTH(v3_new_master), vars);
}

void
snmp_vrrp_proto_error(struct snmp_agent *a, unsigned index)
{
	netsnmp_variable_list *vars = NULL;

	if (snmp_table_varbind(&a->v3_stats, index, ST_PROTO_ERR_REASON, &vars) == -1) {
		snmp_free_varbind(vars);
		return;
	}
	snmp_notify(v3_proto_error, OID_LENGTH(v3_proto_error), vars);
}

int
snmp_vrrp_register(struct snmp_agent *a)
{
	a->v3_ops = (struct snmp_table){
		.name = "vrrpv3OperationsTable", .entry = v3_ops_entry,
		.entry_len = OID_LENGTH(v3_ops_entry), .min_col = OPS_MASTER_IP,
		.max_col = OPS_ROW_STATUS, .ctx = a, .rows = v3_rows, .index = v3_index,
		.get = v3_ops_get,
	};
	a->v3_stats = (struct snmp_table){
		.name = "vrrpv3StatisticsTable", .entry = v3_stats_entry,
		.entry_len = OID_LENGTH(v3_stats_entry), .min_col = ST_MASTER_TRANSITIONS,
		.max_col = ST_REFRESH_RATE, .ctx = a, .rows = v3_rows, .index = v3_index,
		.get = v3_stats_get,
	};
	a->v3_router = (struct snmp_table){
		.name = "vrrpv3Statistics", .entry = v3_statistics,
		.entry_len = OID_LENGTH(v3_statistics), .min_col = 1, .max_col = 4,
		.ctx = a, .rows = v3_router_rows, .index = v3_router_index,
		.get = v3_router_get,
	};
	if (snmp_table_register(&a->v3_ops, v3_ops_table, OID_LENGTH(v3_ops_table)) == -1 ||
	    snmp_scalars_register(&a->v3_router) == -1 ||
	    snmp_table_register(&a->v3_stats, v3_stats_table, OID_LENGTH(v3_stats_table)) == -1)
		return -1;
	return 0;
}
