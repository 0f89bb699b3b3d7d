/* KEEPALIVE-L7-MIB (conf/KEEPALIVE-L7-MIB.txt) from the model and shared
 * state: global scalars, virtual servers, real servers and VRRP
 * instances, with a notification for each real server's and each VRRP
 * instance's state change.  enable_snmp_checker serves the server
 * tables, enable_snmp_vrrp the instance table; either, the scalars.
 */
#include "config.h"

#include <string.h>

#include "lib/log.h"
#include "keepalive-l7/snmp_int.h"

/* Provisional: { netSnmpPlaypen 7 } until an enterprise number is
 * assigned; see the MIB's DESCRIPTION. */
#define KL7_MIB		1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 7
static const oid kl7_global[] = { KL7_MIB, 1, 1 };
static const oid kl7_vs_table[] = { KL7_MIB, 1, 2 };
static const oid kl7_vs_entry[] = { KL7_MIB, 1, 2, 1 };
static const oid kl7_rs_table[] = { KL7_MIB, 1, 3 };
static const oid kl7_rs_entry[] = { KL7_MIB, 1, 3, 1 };
static const oid kl7_vrrp_table[] = { KL7_MIB, 1, 4 };
static const oid kl7_vrrp_entry[] = { KL7_MIB, 1, 4, 1 };
static const oid kl7_rs_change[] = { KL7_MIB, 0, 1 };
static const oid kl7_vrrp_change[] = { KL7_MIB, 0, 2 };

enum { G_VERSION = 1, G_ROUTER_ID };

enum {	/* kl7VirtualServerEntry */
	VS_ADDR_TYPE = 2, VS_ADDR, VS_PORT, VS_LB_KIND, VS_LB_ALGO, VS_QUORUM,
	VS_LIVE_WEIGHT, VS_REAL_SERVERS, VS_ACTIVE, VS_TOTAL, VS_REQUESTS, VS_BYTES_IN,
	VS_BYTES_OUT, VS_ERRORS, VS_QUEUED, VS_QUEUE_TIMEOUTS, VS_AUTH_REJECTED,
	VS_STICKY_ENTRIES, VS_STICKY_SYNCED,
};

enum {	/* kl7RealServerEntry */
	SRV_ADDR_TYPE = 2, SRV_ADDR, SRV_PORT, SRV_POOL, SRV_HEALTH, SRV_ADMIN,
	SRV_CONF_WEIGHT,
	SRV_WEIGHT, SRV_ACTIVE, SRV_TOTAL, SRV_REQ_1XX, SRV_REQ_OTHER = SRV_REQ_1XX + 5,
	SRV_BYTES_IN, SRV_BYTES_OUT, SRV_ERRORS, SRV_RETRIES, SRV_PASSIVE_FAILURES,
	SRV_LAST_ERROR,
};

enum {	/* kl7VrrpInstanceEntry */
	VI_NAME = 2, VI_STATE, VI_VRID, VI_INTERFACE, VI_VERSION, VI_BASE_PRIORITY,
	VI_PRIORITY, VI_ADVERT_INT, VI_VIPS, VI_ADVERTS_SENT, VI_ADVERTS_RCVD,
	VI_BECAME_MASTER, VI_RELEASED_MASTER, VI_AUTH_ERRORS,
};

/* The MIB's enumerations start at 1; the shared state's at 0. */
#define MIB_ENUM(v)	((long)(v) + 1)

static unsigned
one_row(void *ctx)
{
	return 1;
}

static size_t
scalar_index(void *ctx, unsigned r, oid *idx)
{
	idx[0] = 0;
	return 1;
}

static int
global_get(void *ctx, unsigned r, unsigned col, struct snmp_val *v)
{
	if (col == G_VERSION)
		snmp_val_str(v, PACKAGE_VERSION);
	else if (col == G_ROUTER_ID)
		snmp_val_str(v, snmp_conf(ctx)->global.router_id);
	else
		return -1;
	return 0;
}

/* Virtual servers ----------------------------------------------------------- */

static unsigned
vs_rows(void *ctx)
{
	return snmp_shm(ctx)->hdr->n_vs;
}

/* INDEX: the shared-state slot, from 1. */
static size_t
slot_index(void *ctx, unsigned r, oid *idx)
{
	idx[0] = r + 1;
	return 1;
}

static int
vs_get(void *ctx, unsigned r, unsigned col, struct snmp_val *v)
{
	const struct conf_virtual_server *vs = snmp_conf_vs(snmp_conf(ctx), r);
	const struct shm_vs *s = &snmp_shm(ctx)->vs[r];

	if (vs == NULL)
		return -1;
	switch (col) {
	case VS_ADDR_TYPE:	snmp_val_int(v, snmp_inet_type(vs->addr.family)); break;
	case VS_ADDR:		snmp_val_inet(v, &vs->addr); break;
	case VS_PORT:		snmp_val_gauge(v, vs->port); break;
	case VS_LB_KIND:	snmp_val_int(v, MIB_ENUM(vs->lb_kind)); break;
	case VS_LB_ALGO:	snmp_val_int(v, MIB_ENUM(vs->lb_algo)); break;
	case VS_QUORUM:		snmp_val_int(v, MIB_ENUM(atomic_load(&s->quorum))); break;
	case VS_LIVE_WEIGHT:	snmp_val_gauge(v, atomic_load(&s->live_weight)); break;
	case VS_REAL_SERVERS:	snmp_val_gauge(v, vs->n_servers); break;
	case VS_ACTIVE:		snmp_val_gauge(v, atomic_load(&s->active_conns)); break;
	case VS_TOTAL:		snmp_val_counter64(v, atomic_load(&s->total_conns)); break;
	case VS_REQUESTS:	snmp_val_counter64(v, atomic_load(&s->requests)); break;
	case VS_BYTES_IN:	snmp_val_counter64(v, atomic_load(&s->bytes_in)); break;
	case VS_BYTES_OUT:	snmp_val_counter64(v, atomic_load(&s->bytes_out)); break;
	case VS_ERRORS:		snmp_val_counter64(v, atomic_load(&s->errors)); break;
	case VS_QUEUED:		snmp_val_gauge(v, atomic_load(&s->queued)); break;
	case VS_QUEUE_TIMEOUTS:	snmp_val_counter64(v, atomic_load(&s->queue_timeouts)); break;
	case VS_AUTH_REJECTED:	snmp_val_counter64(v, atomic_load(&s->auth_rejected)); break;
	case VS_STICKY_ENTRIES:	snmp_val_gauge(v, atomic_load(&s->sticky_entries)); break;
	case VS_STICKY_SYNCED:	snmp_val_counter64(v, atomic_load(&s->sticky_synced)); break;
	default:		return -1;
	}
	return 0;
}

/* Real servers -------------------------------------------------------------- */

static unsigned
rs_rows(void *ctx)
{
	return snmp_shm(ctx)->hdr->n_rs;
}

/* INDEX { kl7VsIndex, kl7RsIndex }: the server's place in its virtual server. */
static size_t
rs_index(void *ctx, unsigned r, oid *idx)
{
	const struct conf_virtual_server *vs;
	const struct conf_real_server *rs = snmp_conf_rs(snmp_conf(ctx), r, &vs), *x;
	oid pos = 1;

	if (rs == NULL)
		return 0;
	for (x = vs->servers; x != rs; x = x->next)
		pos++;
	idx[0] = vs->index + 1;
	idx[1] = pos;
	return 2;
}

static void
rs_last_error(const struct shm_rs *s, struct snmp_val *v)
{
	char text[sizeof(s->last_error)];

	shm_rs_last_error(s, text, sizeof(text));
	snmp_val_str(v, text);
}

static int
rs_counter(const struct shm_rs *s, unsigned col, struct snmp_val *v)
{
	const _Atomic uint64_t *p;

	if (col >= SRV_REQ_1XX && col <= SRV_REQ_OTHER)
		p = &s->requests[col - SRV_REQ_1XX];
	else if (col == SRV_TOTAL)
		p = &s->total_conns;
	else if (col == SRV_BYTES_IN)
		p = &s->bytes_in;
	else if (col == SRV_BYTES_OUT)
		p = &s->bytes_out;
	else if (col == SRV_ERRORS)
		p = &s->errors;
	else if (col == SRV_RETRIES)
		p = &s->retries;
	else
		return -1;
	snmp_val_counter64(v, atomic_load(p));
	return 0;
}

static int
rs_get(void *ctx, unsigned r, unsigned col, struct snmp_val *v)
{
	const struct conf_virtual_server *vs;
	const struct conf_real_server *rs = snmp_conf_rs(snmp_conf(ctx), r, &vs);
	const struct shm_rs *s = &snmp_shm(ctx)->rs[r];

	if (rs == NULL)
		return -1;
	switch (col) {
	case SRV_ADDR_TYPE:	snmp_val_int(v, snmp_inet_type(rs->addr.family)); break;
	case SRV_ADDR:		snmp_val_inet(v, &rs->addr); break;
	case SRV_PORT:		snmp_val_gauge(v, rs->port); break;
	case SRV_POOL:		snmp_val_str(v, rs->pool); break;
	case SRV_HEALTH:	snmp_val_int(v, MIB_ENUM(atomic_load(&s->health))); break;
	case SRV_ADMIN:		snmp_val_int(v, MIB_ENUM(atomic_load(&s->admin))); break;
	case SRV_CONF_WEIGHT:	snmp_val_gauge(v, rs->weight); break;
	case SRV_WEIGHT:	snmp_val_gauge(v, atomic_load(&s->weight)); break;
	case SRV_ACTIVE:	snmp_val_gauge(v, atomic_load(&s->active_conns)); break;
	case SRV_PASSIVE_FAILURES:
		snmp_val_gauge(v, atomic_load(&s->passive_failures));
		break;
	case SRV_LAST_ERROR:	rs_last_error(s, v); break;
	default:		return rs_counter(s, col, v);
	}
	return 0;
}

/* VRRP instances ------------------------------------------------------------ */

static unsigned
vi_rows(void *ctx)
{
	return snmp_shm(ctx)->hdr->n_vrrp;
}

static int
vi_get(void *ctx, unsigned r, unsigned col, struct snmp_val *v)
{
	const struct conf_vrrp_instance *vi = snmp_conf_vrrp(snmp_conf(ctx), r);
	const struct shm_vrrp *s = &snmp_shm(ctx)->vrrp[r];

	if (vi == NULL)
		return -1;
	switch (col) {
	case VI_NAME:		snmp_val_str(v, vi->name); break;
	case VI_STATE:		snmp_val_int(v, MIB_ENUM(atomic_load(&s->state))); break;
	case VI_VRID:		snmp_val_gauge(v, vi->vrid); break;
	case VI_INTERFACE:	snmp_val_str(v, vi->interface); break;
	case VI_VERSION:	snmp_val_gauge(v, vi->version); break;
	case VI_BASE_PRIORITY:	snmp_val_gauge(v, vi->priority); break;
	case VI_PRIORITY:	snmp_val_gauge(v, atomic_load(&s->priority)); break;
	case VI_ADVERT_INT:	snmp_val_gauge(v, vi->advert_int_ms); break;
	case VI_VIPS:		snmp_val_gauge(v, vi->n_vips); break;
	case VI_ADVERTS_SENT:	snmp_val_counter64(v, atomic_load(&s->adverts_sent)); break;
	case VI_ADVERTS_RCVD:	snmp_val_counter64(v, atomic_load(&s->adverts_rcvd)); break;
	case VI_BECAME_MASTER:
		snmp_val_counter64(v, atomic_load(&s->became_master));
		break;
	case VI_RELEASED_MASTER: snmp_val_counter64(v, atomic_load(&s->released_master)); break;
	case VI_AUTH_ERRORS:	snmp_val_counter64(v, atomic_load(&s->auth_errors)); break;
	default:		return -1;
	}
	return 0;
}

/* Notifications ------------------------------------------------------------- */

static void
notify_columns(const struct snmp_table *t, unsigned r, const unsigned *cols, size_t n,
    const oid *trap, size_t trap_len)
{
	netsnmp_variable_list *vars = NULL;
	size_t i;

	for (i = 0; i < n; i++)
		if (snmp_table_varbind(t, r, cols[i], &vars) == -1) {
			snmp_free_varbind(vars);
			return;
		}
	snmp_notify(trap, trap_len, vars);
}

void
snmp_kl7_rs_changed(struct snmp_agent *a, unsigned index)
{
	static const unsigned cols[] = { SRV_ADDR_TYPE, SRV_ADDR, SRV_PORT, SRV_HEALTH };

	if (a->checker)
		notify_columns(&a->kl7_rs, index, cols, sizeof(cols) / sizeof(cols[0]),
		    kl7_rs_change, OID_LENGTH(kl7_rs_change));
}

void
snmp_kl7_vrrp_changed(struct snmp_agent *a, unsigned index)
{
	static const unsigned cols[] = { VI_NAME, VI_STATE, VI_PRIORITY };

	if (a->vrrp)
		notify_columns(&a->kl7_vrrp, index, cols, sizeof(cols) / sizeof(cols[0]),
		    kl7_vrrp_change, OID_LENGTH(kl7_vrrp_change));
}

int
snmp_kl7_register(struct snmp_agent *a)
{
	a->kl7_global = (struct snmp_table){
		.name = "kl7Global", .entry = kl7_global, .entry_len = OID_LENGTH(kl7_global),
		.min_col = G_VERSION, .max_col = G_ROUTER_ID, .ctx = a, .rows = one_row,
		.index = scalar_index, .get = global_get,
	};
	a->kl7_vs = (struct snmp_table){
		.name = "kl7VirtualServerTable", .entry = kl7_vs_entry,
		.entry_len = OID_LENGTH(kl7_vs_entry), .min_col = VS_ADDR_TYPE,
		.max_col = VS_STICKY_SYNCED, .ctx = a, .rows = vs_rows, .index = slot_index,
		.get = vs_get,
	};
	a->kl7_rs = (struct snmp_table){
		.name = "kl7RealServerTable", .entry = kl7_rs_entry,
		.entry_len = OID_LENGTH(kl7_rs_entry), .min_col = SRV_ADDR_TYPE,
		.max_col = SRV_LAST_ERROR, .ctx = a, .rows = rs_rows, .index = rs_index,
		.get = rs_get,
	};
	a->kl7_vrrp = (struct snmp_table){
		.name = "kl7VrrpInstanceTable", .entry = kl7_vrrp_entry,
		.entry_len = OID_LENGTH(kl7_vrrp_entry), .min_col = VI_NAME,
		.max_col = VI_AUTH_ERRORS, .ctx = a, .rows = vi_rows, .index = slot_index,
		.get = vi_get,
	};
	if (snmp_scalars_register(&a->kl7_global) == -1)
		return -1;
	if (a->checker &&
	    (snmp_table_register(&a->kl7_vs, kl7_vs_table, OID_LENGTH(kl7_vs_table)) == -1 ||
	    snmp_table_register(&a->kl7_rs, kl7_rs_table, OID_LENGTH(kl7_rs_table)) == -1))
		return -1;
	if (a->vrrp &&
	    snmp_table_register(&a->kl7_vrrp, kl7_vrrp_table, OID_LENGTH(kl7_vrrp_table)) == -1)
		return -1;
	return 0;
}
