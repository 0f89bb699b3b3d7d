/* Read-only SNMP tables served from the model and the shared state.
 *
 * A table here is described, not stored: callbacks say how many rows
 * there are, what each row's INDEX is (as OID sub-identifiers) and what
 * a column holds; snmp_table_register() answers GET and GETNEXT from
 * them, computing everything at request time, so a reload or a counter
 * that moves needs no bookkeeping.  A group of scalars is a table with
 * one row whose index is { 0 }.
 *
 * Only the parent includes this (through the snmp_*.c files); nothing of
 * net-snmp leaks into the rest of the tree.
 */
#ifndef KL7_SNMP_TABLE_H
#define KL7_SNMP_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/library/large_fd_set.h>

#include "lib/addr.h"

#define SNMP_INDEX_MAX	24	/* sub-identifiers in one row's INDEX */
#define SNMP_VAL_STRMAX	256

/* One column's value for one row. */
struct snmp_val {
	u_char		 type;		/* ASN_INTEGER, ASN_GAUGE, ASN_COUNTER64, ... */
	long		 num;		/* every 32-bit type */
	struct counter64 c64;
	u_char		 str[SNMP_VAL_STRMAX];
	size_t		 len;
};

struct snmp_table {
	const char	*name;
	const oid	*entry;		/* instances are entry.column.index */
	size_t		 entry_len;
	unsigned	 min_col;	/* the first accessible column */
	unsigned	 max_col;
	void		*ctx;
	unsigned	(*rows)(void *ctx);
	/* The INDEX of row r into idx[SNMP_INDEX_MAX]; 0 leaves the row out. */
	size_t		(*index)(void *ctx, unsigned r, oid *idx);
	/* 0, or -1 when row r has no such column. */
	int		(*get)(void *ctx, unsigned r, unsigned col, struct snmp_val *v);
};

/* Serve t under reg_oid (the table, or the scalar group); 0 or -1. */
int	snmp_table_register(struct snmp_table *t, const oid *reg_oid, size_t reg_len);

/* Serve a group of scalars t (index { 0 }) without claiming the rest of
 * its parent; 0 or -1. */
int	snmp_scalars_register(struct snmp_table *t);

/* Append column col of row r to a notification's variable list; 0 or -1. */
int	snmp_table_varbind(const struct snmp_table *t, unsigned r, unsigned col,
	    netsnmp_variable_list **vars);
/* Send the SNMPv2 notification trap_oid with vars (consumed). */
void	snmp_notify(const oid *trap_oid, size_t trap_len, netsnmp_variable_list *vars);

/* Value setters. */
void	snmp_val_int(struct snmp_val *v, long n);		/* INTEGER, Integer32 */
void	snmp_val_gauge(struct snmp_val *v, uint64_t n);		/* Gauge32, Unsigned32 */
void	snmp_val_counter32(struct snmp_val *v, uint64_t n);
void	snmp_val_counter64(struct snmp_val *v, uint64_t n);
void	snmp_val_ticks(struct snmp_val *v, uint64_t cs);	/* TimeTicks, TimeStamp */
void	snmp_val_bytes(struct snmp_val *v, const void *p, size_t len);
void	snmp_val_str(struct snmp_val *v, const char *s);	/* NULL: empty */
/* InetAddress: the bytes of a, empty when unset. */
void	snmp_val_inet(struct snmp_val *v, const struct kl_addr *a);
/* InetAddressType (RFC 4001): ipv4(1), ipv6(2), unknown(0). */
long	snmp_inet_type(int family);

#endif
