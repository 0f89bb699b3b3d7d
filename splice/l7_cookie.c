/* Cookie persistence; see l7_cookie.h. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/addr.h"
#include "splice/l7_cookie.h"

static int64_t	rs_of(const struct l7_cookie_ids *ids, const char *id, size_t len);

/* "s" and the FNV-1a hash of "ADDRESS:PORT" in hex: the server's own, so
 * that adding, removing or reordering the others (also at run time) does
 * not hand its clients to another server, and both nodes of a pair name
 * it alike.  A clash with a value already taken gets "-POSITION". */
static void
default_id(const struct l7_cookie_ids *ids, const struct conf_real_server *rs, unsigned pos,
    char *id, size_t size)
{
	char a[ADDR_STRLEN + 8], hex[16];
	uint32_t h = 2166136261u;
	const char *c;

	addr_ntop(&rs->addr, false, a, ADDR_STRLEN);
	snprintf(a + strlen(a), sizeof(a) - strlen(a), ":%u", rs->port);
	for (c = a; *c != '\0'; c++)
		h = (h ^ (uint8_t)*c) * 16777619u;
	snprintf(hex, sizeof(hex), "s%08" PRIx32, h);
	if (rs_of(ids, hex, strlen(hex)) >= 0)
		snprintf(id, size, "%s-%u", hex, pos);
	else
		snprintf(id, size, "%s", hex);
}

int
l7_cookie_ids_init(struct l7_cookie_ids *ids, const struct conf_virtual_server *vs)
{
	const struct conf_real_server *rs;
	unsigned i;

	*ids = (struct l7_cookie_ids){ 0 };
	if ((ids->v = calloc(vs->n_servers + 1, sizeof(*ids->v))) == NULL)
		return -1;
	/* The configured values first: a derived one steps aside for them. */
	for (rs = vs->servers, i = 0; rs != NULL; rs = rs->next, i++) {
		ids->v[i].rs = rs->index;
		if (rs->cookie != NULL)
			snprintf(ids->v[i].id, sizeof(ids->v[i].id), "%s", rs->cookie);
	}
	ids->n = i;
	for (rs = vs->servers, i = 0; rs != NULL; rs = rs->next, i++)
		if (rs->cookie == NULL)
			default_id(ids, rs, i + 1, ids->v[i].id, sizeof(ids->v[i].id));
	return 0;
}

void
l7_cookie_ids_free(struct l7_cookie_ids *ids)
{
	free(ids->v);
	*ids = (struct l7_cookie_ids){ 0 };
}

const char *
l7_cookie_id_of(const struct l7_cookie_ids *ids, uint32_t rs)
{
	unsigned i;

	for (i = 0; i < ids->n; i++)
		if (ids->v[i].rs == rs)
			return ids->v[i].id;
	return "";
}

static int64_t
rs_of(const struct l7_cookie_ids *ids, const char *id, size_t len)
{
	unsigned i;

	for (i = 0; i < ids->n; i++)
		if (strlen(ids->v[i].id) == len && memcmp(ids->v[i].id, id, len) == 0)
			return ids->v[i].rs;
	return -1;
}

/* The pairs of one Cookie field: "name=value" separated by ";" and
 * optional spaces. */
static bool
find_in(const char *p, const char *end, const char *name, const char **v, size_t *vlen)
{
	size_t nlen = strlen(name);

	while (p < end) {
		const char *pair, *eq, *stop;

		while (p < end && (*p == ' ' || *p == '\t' || *p == ';'))
			p++;
		pair = p;
		while (p < end && *p != ';')
			p++;
		stop = p;
		while (stop > pair && (stop[-1] == ' ' || stop[-1] == '\t'))
			stop--;
		eq = memchr(pair, '=', (size_t)(stop - pair));
		if (eq != NULL && (size_t)(eq - pair) == nlen && memcmp(pair, name, nlen) == 0) {
			*v = eq + 1;
			*vlen = (size_t)(stop - eq - 1);
			return true;
		}
	}
	return false;
}

bool
l7_cookie_find(const struct http1_hdr *hdrs, size_t n, const char *name, const char **v,
    size_t *vlen)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (hdrs[i].name_len == 6 && strncasecmp(hdrs[i].name, "Cookie", 6) == 0 &&
		    find_in(hdrs[i].value, hdrs[i].value + hdrs[i].value_len, name, v, vlen))
			return true;
	return false;
}

/* A hex number of seconds at p[0..len); -1 if it is not one. */
static int64_t
hex_secs(const char *p, size_t len)
{
	int64_t v = 0;
	size_t i;

	if (len == 0 || len > 12)
		return -1;
	for (i = 0; i < len; i++) {
		int d = p[i] >= '0' && p[i] <= '9' ? p[i] - '0' :
		    p[i] >= 'a' && p[i] <= 'f' ? p[i] - 'a' + 10 : -1;

		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* insert with maxidle/maxlife: "ID|FIRST|LAST", both times in bounds. */
static int64_t
timed_server(const struct l7_cookie_ids *ids, const struct conf_cookie *ck, const char *v,
    size_t vlen, int64_t now_s, int64_t *first_s)
{
	const char *bar1 = memchr(v, '|', vlen), *bar2;
	int64_t first, last;

	if (bar1 == NULL || (bar2 = memchr(bar1 + 1, '|', (size_t)(v + vlen - bar1 - 1))) == NULL)
		return -1;
	first = hex_secs(bar1 + 1, (size_t)(bar2 - bar1 - 1));
	last = hex_secs(bar2 + 1, (size_t)(v + vlen - bar2 - 1));
	if (first < 0 || last < first || last > now_s + 60)
		return -1;
	if ((ck->maxidle_ms > 0 && (now_s - last) * 1000 > (int64_t)ck->maxidle_ms) ||
	    (ck->maxlife_ms > 0 && (now_s - first) * 1000 > (int64_t)ck->maxlife_ms))
		return -1;
	*first_s = first;
	return rs_of(ids, v, (size_t)(bar1 - v));
}

int64_t
l7_cookie_server(const struct l7_cookie_ids *ids, const struct conf_cookie *ck, const char *v,
    size_t vlen, int64_t now_s, int64_t *first_s)
{
	const char *tilde;

	*first_s = now_s;
	switch (ck->mode) {
	case CONF_COOKIE_INSERT:
		if (ck->maxidle_ms > 0 || ck->maxlife_ms > 0)
			return timed_server(ids, ck, v, vlen, now_s, first_s);
		return rs_of(ids, v, vlen);
	case CONF_COOKIE_REWRITE:
		return rs_of(ids, v, vlen);
	case CONF_COOKIE_PREFIX:
		tilde = memchr(v, '~', vlen);
		return tilde != NULL ? rs_of(ids, v, (size_t)(tilde - v)) : -1;
	case CONF_COOKIE_NONE:
		break;
	}
	return -1;
}

void
l7_cookie_value(const struct conf_cookie *ck, const char *id, int64_t first_s, int64_t now_s,
    char *out, size_t len)
{
	if (ck->maxidle_ms > 0 || ck->maxlife_ms > 0)
		snprintf(out, len, "%s|%" PRIx64 "|%" PRIx64, id, (uint64_t)first_s,
		    (uint64_t)now_s);
	else
		snprintf(out, len, "%s", id);
}
