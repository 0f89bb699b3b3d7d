/* Described SNMP tables; see snmp_table.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "keepalive-l7/snmp_table.h"

struct table_row {
	unsigned	 r;
	size_t		 len;
	oid		 idx[SNMP_INDEX_MAX];
};

struct table_rows {
	struct table_row	*row;
	unsigned		 n;
};

static int
row_cmp(const void *a, const void *b)
{
	const struct table_row *x = a, *y = b;

	return snmp_oid_compare(x->idx, x->len, y->idx, y->len);
}

/* Every row's index, in lexicographic order (GETNEXT walks them so). */
static int
rows_load(const struct snmp_table *t, struct table_rows *rows)
{
	unsigned n = t->rows(t->ctx), r;

	rows->n = 0;
	if ((rows->row = calloc(n > 0 ? n : 1, sizeof(*rows->row))) == NULL)
		return -1;
	for (r = 0; r < n; r++) {
		struct table_row *row = &rows->row[rows->n];

		row->r = r;
		if ((row->len = t->index(t->ctx, r, row->idx)) > 0)
			rows->n++;
	}
	qsort(rows->row, rows->n, sizeof(*rows->row), row_cmp);
	return 0;
}

static void
val_store(netsnmp_variable_list *vb, const struct snmp_val *v)
{
	if (v->type == ASN_COUNTER64)
		snmp_set_var_typed_value(vb, v->type, &v->c64, sizeof(v->c64));
	else if (v->type == ASN_OCTET_STR)
		snmp_set_var_typed_value(vb, v->type, v->str, v->len);
	else
		snmp_set_var_typed_value(vb, v->type, &v->num, sizeof(v->num));
}

/* entry.col.idx into name; its length. */
static size_t
instance_oid(const struct snmp_table *t, unsigned col, const struct table_row *row,
    oid *name)
{
	memcpy(name, t->entry, t->entry_len * sizeof(oid));
	name[t->entry_len] = col;
	memcpy(name + t->entry_len + 1, row->idx, row->len * sizeof(oid));
	return t->entry_len + 1 + row->len;
}

/* The columns one registration serves: all of the table's, or the one
 * scalar it was registered for. */
struct table_cols {
	unsigned	 lo, hi;
};

static void
table_get(const struct snmp_table *t, const struct table_rows *rows,
    const struct table_cols *cols, netsnmp_agent_request_info *reqinfo,
    netsnmp_request_info *req)
{
	const netsnmp_variable_list *vb = req->requestvb;
	size_t idx_len;
	unsigned col, i;
	struct snmp_val v;

	if (vb->name_length <= t->entry_len + 1 ||
	    snmp_oid_compare(vb->name, t->entry_len, t->entry, t->entry_len) != 0 ||
	    vb->name[t->entry_len] < cols->lo || vb->name[t->entry_len] > cols->hi) {
		netsnmp_set_request_error(reqinfo, req, SNMP_NOSUCHOBJECT);
		return;
	}
	col = (unsigned)vb->name[t->entry_len];
	idx_len = vb->name_length - t->entry_len - 1;
	for (i = 0; i < rows->n; i++) {
		const struct table_row *row = &rows->row[i];

		if (snmp_oid_compare(row->idx, row->len, vb->name + t->entry_len + 1,
		    idx_len) != 0)
			continue;
		if (t->get(t->ctx, row->r, col, &v) == 0) {
			val_store(req->requestvb, &v);
			return;
		}
		break;
	}
	netsnmp_set_request_error(reqinfo, req, SNMP_NOSUCHINSTANCE);
}

/* The first instance after the requested name, column by column; none
 * leaves the varbind alone and the agent moves on to the next subtree. */
static void
table_getnext(const struct snmp_table *t, const struct table_rows *rows,
    const struct table_cols *cols, netsnmp_request_info *req)
{
	netsnmp_variable_list *vb = req->requestvb;
	oid name[MAX_OID_LEN];
	unsigned col = cols->lo, i;
	struct snmp_val v;

	if (vb->name_length > t->entry_len &&
	    snmp_oid_compare(vb->name, t->entry_len, t->entry, t->entry_len) == 0 &&
	    vb->name[t->entry_len] > col)
		col = vb->name[t->entry_len] > cols->hi ? cols->hi + 1 :
		    (unsigned)vb->name[t->entry_len];
	for (; col <= cols->hi; col++) {
		for (i = 0; i < rows->n; i++) {
			size_t len = instance_oid(t, col, &rows->row[i], name);

			if (snmp_oid_compare(name, len, vb->name, vb->name_length) <= 0 ||
			    t->get(t->ctx, rows->row[i].r, col, &v) == -1)
				continue;
			snmp_set_var_objid(vb, name, len);
			val_store(vb, &v);
			return;
		}
	}
}

static int
snmp_table_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
    netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	const struct snmp_table *t = handler->myvoid;
	struct table_cols cols = { t->min_col, t->max_col };
	struct table_rows rows;
	netsnmp_request_info *req;

	if (reqinfo->mode != MODE_GET && reqinfo->mode != MODE_GETNEXT)
		return SNMP_ERR_NOERROR;	/* read-only: the agent refuses SETs */
	if (reg->rootoid_len > t->entry_len)	/* one scalar */
		cols.lo = cols.hi = (unsigned)reg->rootoid[t->entry_len];
	if (rows_load(t, &rows) == -1)
		return SNMP_ERR_GENERR;
	for (req = requests; req != NULL; req = req->next) {
		if (req->processed)
			continue;
		if (reqinfo->mode == MODE_GET)
			table_get(t, &rows, &cols, reqinfo, req);
		else
			table_getnext(t, &rows, &cols, req);
	}
	free(rows.row);
	return SNMP_ERR_NOERROR;
}

int
snmp_table_register(struct snmp_table *t, const oid *reg_oid, size_t reg_len)
{
	netsnmp_handler_registration *reg;

	reg = netsnmp_create_handler_registration(t->name, snmp_table_handler, reg_oid,
	    reg_len, HANDLER_CAN_RONLY);
	if (reg == NULL)
		return -1;
	reg->handler->myvoid = t;
	if (netsnmp_register_handler(reg) != MIB_REGISTERED_OK) {
		log_warnx("snmp: cannot register %s", t->name);
		return -1;
	}
	return 0;
}

/* One registration per scalar, so a group of scalars can share its
 * parent with a table.  (A range registration, RFC 2741 6.2.3, would be
 * one PDU, but net-snmp registers it again once per sub-identifier when
 * it reconnects, and the master refuses the duplicates.) */
int
snmp_scalars_register(struct snmp_table *t)
{
	oid name[MAX_OID_LEN];
	unsigned col;

	memcpy(name, t->entry, t->entry_len * sizeof(oid));
	for (col = t->min_col; col <= t->max_col; col++) {
		name[t->entry_len] = col;
		if (snmp_table_register(t, name, t->entry_len + 1) == -1)
			return -1;
	}
	return 0;
}

/* Notifications ------------------------------------------------------- */

int
snmp_table_varbind(const struct snmp_table *t, unsigned r, unsigned col,
    netsnmp_variable_list **vars)
{
	struct table_row row = { .r = r };
	oid name[MAX_OID_LEN];
	size_t len;
	struct snmp_val v;

	if ((row.len = t->index(t->ctx, r, row.idx)) == 0 || t->get(t->ctx, r, col, &v) == -1)
		return -1;
	len = instance_oid(t, col, &row, name);
	if (v.type == ASN_COUNTER64)
		return snmp_varlist_add_variable(vars, name, len, v.type, &v.c64,
		    sizeof(v.c64)) == NULL ? -1 : 0;
	if (v.type == ASN_OCTET_STR)
		return snmp_varlist_add_variable(vars, name, len, v.type, v.str,
		    v.len) == NULL ? -1 : 0;
	return snmp_varlist_add_variable(vars, name, len, v.type, &v.num,
	    sizeof(v.num)) == NULL ? -1 : 0;
}

void
snmp_notify(const oid *trap_oid, size_t trap_len, netsnmp_variable_list *vars)
{
	/* snmpTrapOID.0, RFC 3416 4.2.6 */
	static const oid snmp_trap_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };
	netsnmp_variable_list *head = NULL;

	if (snmp_varlist_add_variable(&head, snmp_trap_oid, OID_LENGTH(snmp_trap_oid),
	    ASN_OBJECT_ID, trap_oid, trap_len * sizeof(oid)) == NULL) {
		snmp_free_varbind(vars);
		return;
	}
	head->next_variable = vars;
	send_v2trap(head);
	snmp_free_varbind(head);
}

/* Values -------------------------------------------------------------- */

void
snmp_val_int(struct snmp_val *v, long n)
{
	v->type = ASN_INTEGER;
	v->num = n;
}

static long
clamp32(uint64_t n)
{
	return n > UINT32_MAX ? (long)UINT32_MAX : (long)n;
}

void
snmp_val_gauge(struct snmp_val *v, uint64_t n)
{
	v->type = ASN_GAUGE;
	v->num = clamp32(n);
}

/* Counter32 wraps, RFC 2578 7.1.6. */
void
snmp_val_counter32(struct snmp_val *v, uint64_t n)
{
	v->type = ASN_COUNTER;
	v->num = (long)(n & UINT32_MAX);
}

void
snmp_val_counter64(struct snmp_val *v, uint64_t n)
{
	v->type = ASN_COUNTER64;
	v->c64.high = (u_long)(n >> 32);
	v->c64.low = (u_long)(n & UINT32_MAX);
}

void
snmp_val_ticks(struct snmp_val *v, uint64_t cs)
{
	v->type = ASN_TIMETICKS;
	v->num = (long)(cs & UINT32_MAX);
}

void
snmp_val_bytes(struct snmp_val *v, const void *p, size_t len)
{
	v->type = ASN_OCTET_STR;
	v->len = len < sizeof(v->str) ? len : sizeof(v->str);
	memcpy(v->str, p, v->len);
}

void
snmp_val_str(struct snmp_val *v, const char *s)
{
	s = s != NULL ? s : "";
	snmp_val_bytes(v, s, strlen(s));
}

void
snmp_val_inet(struct snmp_val *v, const struct kl_addr *a)
{
	size_t len = 0;
	const void *p = addr_is_set(a) ? addr_bytes(a, &len) : "";

	snmp_val_bytes(v, p, len);
}

long
snmp_inet_type(int family)
{
	return family == AF_INET ? 1 : family == AF_INET6 ? 2 : 0;
}
