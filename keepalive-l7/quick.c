/* Quick mode's command line as config text; see quick.h. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/addr.h"
#include "keepalive-l7/quick.h"

#define HOST_MAX	253	/* RFC 1035 2.3.4, without the trailing dot */

struct quick_srv {
	struct kl_addr	 addr;
	uint16_t	 port;
};

struct quick_host {
	char		 name[HOST_MAX + 1];
	uint64_t	 servers;	/* bit i: srv[i] */
	int		 pool;		/* 1.. */
};

struct quick {
	struct quick_srv	*listen;
	int			 nlisten;
	struct quick_srv	 srv[QUICK_MAX_SERVERS];
	int			 nsrv;
	struct quick_host	*hosts;
	int			 nhosts;
	char			*err;
	size_t			 errlen;
};

static int
quick_error(struct quick *q, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q->err, q->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* "*", or an optional "*." and dot-separated labels of letters, digits
 * and '-' (RFC 1123 2.1), lower-cased into out. */
static bool
host_valid(const char *h, size_t len, char *out)
{
	size_t i = 0, label = 0;

	if (len == 1 && h[0] == '*') {
		strcpy(out, "*");
		return true;
	}
	if (len == 0 || len > HOST_MAX)
		return false;
	if (len > 2 && h[0] == '*' && h[1] == '.')
		i = 2;
	memcpy(out, h, i);
	for (; i < len; i++) {
		unsigned char c = (unsigned char)h[i];

		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if (isalnum(c) || c == '-') {
			label++;
		} else {
			return false;
		}
		out[i] = (char)tolower(c);
	}
	out[len] = '\0';
	return label > 0;
}

static int
server_index(struct quick *q, const struct kl_addr *a, uint16_t port)
{
	int i;

	for (i = 0; i < q->nsrv; i++)
		if (q->srv[i].port == port && addr_equal(&q->srv[i].addr, a))
			return i;
	if (q->nsrv == QUICK_MAX_SERVERS)
		return -1;
	q->srv[q->nsrv] = (struct quick_srv){ .addr = *a, .port = port };
	return q->nsrv++;
}

static struct quick_host *
host_find_or_add(struct quick *q, const char *name)
{
	int i;

	for (i = 0; i < q->nhosts; i++)
		if (strcmp(q->hosts[i].name, name) == 0)
			return &q->hosts[i];
	strcpy(q->hosts[q->nhosts].name, name);
	return &q->hosts[q->nhosts++];
}

/* One "HOST=ADDR:PORT". */
static int
add_map(struct quick *q, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char name[HOST_MAX + 1];
	struct kl_addr a;
	uint16_t port;
	int si;

	if (eq == NULL)
		return quick_error(q, "'%s': expected HOST=ADDR:PORT", arg);
	if (!host_valid(arg, (size_t)(eq - arg), name))
		return quick_error(q, "'%s': '%.*s' is not a host name, '*.suffix' or '*'", arg,
		    (int)(eq - arg), arg);
	if (addr_parse_hostport(eq + 1, &a, &port) == -1)
		return quick_error(q, "'%s': '%s' is not ADDR:PORT or [ADDR]:PORT", arg, eq + 1);
	if ((si = server_index(q, &a, port)) == -1)
		return quick_error(q, "more than %d servers: write a config file",
		    QUICK_MAX_SERVERS);
	host_find_or_add(q, name)->servers |= UINT64_C(1) << si;
	return 0;
}

/* Hosts with the same server set share a pool; a server in two sets
 * would need to be in two pools, which a real_server cannot be. */
static int
assign_pools(struct quick *q)
{
	int i, j, npools = 0;

	for (i = 0; i < q->nhosts; i++) {
		for (j = 0; j < i && q->hosts[j].servers != q->hosts[i].servers; j++)
			;
		q->hosts[i].pool = j < i ? q->hosts[j].pool : ++npools;
		for (j = 0; j < i; j++) {
			const struct quick_host *o = &q->hosts[j];

			if (o->pool != q->hosts[i].pool && (o->servers & q->hosts[i].servers) != 0)
				return quick_error(q, "hosts '%s' and '%s' share a server but not "
				    "all of their servers: give them the same servers, or "
				    "write a config file", o->name, q->hosts[i].name);
		}
	}
	return 0;
}

static int
pool_of_server(const struct quick *q, int si)
{
	int i;

	for (i = 0; i < q->nhosts; i++)
		if (q->hosts[i].servers & (UINT64_C(1) << si))
			return q->hosts[i].pool;
	return 0;
}

static bool
is_wildcard(const struct quick_host *h)
{
	return h->name[0] == '*' && h->name[1] == '.';
}

/* Exact names first (route order is match order), a pool's in one route. */
static void
emit_exact_routes(FILE *f, const struct quick *q)
{
	int pool, i;
	bool any;

	for (pool = 1; pool <= q->nhosts; pool++) {
		any = false;
		for (i = 0; i < q->nhosts; i++) {
			const struct quick_host *h = &q->hosts[i];

			if (h->pool != pool || is_wildcard(h) || strcmp(h->name, "*") == 0)
				continue;
			if (!any)
				fprintf(f, "\thttp_route hosts%d { host", pool);
			fprintf(f, " %s", h->name);
			any = true;
		}
		if (any)
			fprintf(f, " pool pool%d }\n", pool);
	}
}

/* Then "*.suffix" names, the longest suffix first: the most specific
 * wins whatever the order on the command line. */
static void
emit_wildcard_routes(FILE *f, const struct quick *q)
{
	size_t longest = SIZE_MAX, len, best;
	int i, n = 0, pick;

	for (;;) {
		pick = -1;
		best = 0;
		for (i = 0; i < q->nhosts; i++) {
			len = strlen(q->hosts[i].name);
			if (is_wildcard(&q->hosts[i]) && len < longest && len > best) {
				best = len;
				pick = i;
			}
		}
		if (pick == -1)
			break;
		for (i = 0; i < q->nhosts; i++)
			if (is_wildcard(&q->hosts[i]) && strlen(q->hosts[i].name) == best)
				fprintf(f, "\thttp_route wild%d { host %s pool pool%d }\n", ++n,
				    q->hosts[i].name, q->hosts[i].pool);
		longest = best;
	}
}

static void
emit_virtual_server(FILE *f, const struct quick *q, const struct kl_addr *a, uint16_t port)
{
	char buf[ADDR_STRLEN];
	int i;

	fprintf(f, "virtual_server %s %u {\n\tlb_kind L7\n\tlb_algo rr\n", addr_ntop(a, false, buf,
	    sizeof(buf)), port);
	emit_exact_routes(f, q);
	emit_wildcard_routes(f, q);
	for (i = 0; i < q->nhosts; i++)
		if (strcmp(q->hosts[i].name, "*") == 0)
			fprintf(f, "\tdefault_pool pool%d\n", q->hosts[i].pool);
	for (i = 0; i < q->nsrv; i++)
		fprintf(f, "\treal_server %s %u { pool pool%d }\n", addr_ntop(&q->srv[i].addr,
		    false, buf, sizeof(buf)), q->srv[i].port, pool_of_server(q, i));
	fprintf(f, "}\n");
}

static int
add_listen(struct quick *q, const char *arg)
{
	struct quick_srv *l = &q->listen[q->nlisten];

	if (addr_parse_hostport(arg, &l->addr, &l->port) == -1)
		return quick_error(q, "--listen '%s': expected ADDR:PORT or [ADDR]:PORT", arg);
	q->nlisten++;
	return 0;
}

static char *
emit(struct quick *q)
{
	char *text = NULL;
	size_t len;
	FILE *f;
	int i;

	if ((f = open_memstream(&text, &len)) == NULL) {
		quick_error(q, "%s", strerror(errno));
		return NULL;
	}
	fprintf(f, "# keepalive-l7 quick mode: the command line as a config file\n");
	for (i = 0; i < q->nlisten; i++)
		emit_virtual_server(f, q, &q->listen[i].addr, q->listen[i].port);
	if (fclose(f) != 0) {
		free(text);
		quick_error(q, "%s", strerror(errno));
		return NULL;
	}
	return text;
}

char *
quick_config(char *const *listen, int nl, char *const *maps, int nm, char *err, size_t errlen)
{
	struct quick q = { .err = err, .errlen = errlen };
	char *text = NULL;
	int i, j;

	if (nm == 0) {
		snprintf(err, errlen, "--listen needs at least one HOST=ADDR:PORT");
		return NULL;
	}
	q.hosts = calloc((size_t)nm, sizeof(*q.hosts));
	q.listen = calloc((size_t)nl, sizeof(*q.listen));
	if (q.hosts == NULL || q.listen == NULL) {
		snprintf(err, errlen, "out of memory");
	} else {
		for (i = 0; i < nl && add_listen(&q, listen[i]) == 0; i++)
			;
		for (j = 0; i == nl && j < nm && add_map(&q, maps[j]) == 0; j++)
			;
		if (i == nl && j == nm && assign_pools(&q) == 0)
			text = emit(&q);
	}
	free(q.listen);
	free(q.hosts);
	return text;
}
