/* The request router: http_route conditions tried on a parsed request, in
 * file order, and the bytes the scheduler hashes.  See route.h. */
#include "config.h"

#include <regex.h>
#include <string.h>
#include <strings.h>

#include "splice/route.h"

struct span {
	const char	*p;
	size_t		 len;
};

/* Text ------------------------------------------------------------------------ */

static bool
ci_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && (alen == 0 || strncasecmp(a, b, alen) == 0);
}

static struct span
span_trim(const char *p, size_t len)
{
	while (len > 0 && (p[0] == ' ' || p[0] == '\t'))
		p++, len--;
	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	return (struct span){ p, len };
}

/* regexec(3) needs a C string: match on a copy.  Text that does not fit,
 * or that holds a NUL (the parser refuses those, but a NUL would cut the
 * text short and let "^/public" match "/public\0/admin"), never matches. */
static bool
regex_match(const regex_t *re, const char *text, size_t len)
{
	char buf[ROUTE_REGEX_TEXT_MAX + 1];

	if (len > ROUTE_REGEX_TEXT_MAX)
		return false;
	if (len > 0) {
		if (memchr(text, '\0', len) != NULL)
			return false;
		memcpy(buf, text, len);
	}
	buf[len] = '\0';
	return regexec(re, buf, 0, NULL, 0) == 0;
}

/* Requests -------------------------------------------------------------------- */

bool
route_host_match(const char *pattern, const char *host, size_t host_len)
{
	size_t plen = strlen(pattern);

	if (host == NULL)
		return false;
	if (pattern[0] == '*') {
		/* "*.suffix": at least one more byte before the suffix, whose
		 * leading '.' keeps "badexample.com" out of "*.example.com". */
		plen--;
		return host_len > plen &&
		    strncasecmp(host + host_len - plen, pattern + 1, plen) == 0;
	}
	return ci_equal(pattern, plen, host, host_len);
}

const char *
route_header(const struct route_req *r, const char *name, size_t *len)
{
	size_t i, nlen = strlen(name);

	for (i = 0; i < r->n_hdrs; i++)
		if (ci_equal(r->hdrs[i].name, r->hdrs[i].name_len, name, nlen)) {
			*len = r->hdrs[i].value_len;
			return r->hdrs[i].value;
		}
	*len = 0;
	return NULL;
}

/* The value of cookie name in one Cookie header value, or NULL. */
static const char *
cookie_in(const char *s, size_t len, const char *name, size_t name_len, size_t *vlen)
{
	const char *end = s + len, *semi, *pair_end, *eq;
	struct span n, v;

	for (;;) {
		semi = memchr(s, ';', (size_t)(end - s));
		pair_end = semi != NULL ? semi : end;
		eq = memchr(s, '=', (size_t)(pair_end - s));
		if (eq != NULL) {
			n = span_trim(s, (size_t)(eq - s));
			v = span_trim(eq + 1, (size_t)(pair_end - eq - 1));
			if (n.len == name_len && memcmp(n.p, name, name_len) == 0) {
				if (v.len >= 2 && v.p[0] == '"' && v.p[v.len - 1] == '"')
					v = (struct span){ v.p + 1, v.len - 2 };
				*vlen = v.len;
				return v.p;
			}
		}
		if (semi == NULL)
			return NULL;
		s = semi + 1;
	}
}

const char *
route_cookie(const struct route_req *r, const char *name, size_t *len)
{
	const struct http1_hdr *h;
	const char *v;
	size_t i, nlen = strlen(name);

	for (i = 0; i < r->n_hdrs; i++) {
		h = &r->hdrs[i];
		if (!ci_equal(h->name, h->name_len, "Cookie", 6) || h->value_len == 0)
			continue;
		if ((v = cookie_in(h->value, h->value_len, name, nlen, len)) != NULL)
			return v;
	}
	*len = 0;
	return NULL;
}

/* The address's bytes; those of the IPv4 address inside an IPv4-mapped
 * IPv6 one (a dual-stack listener sees IPv4 clients that way). */
static const void *
src_bytes(const struct kl_addr *a, size_t *len)
{
	if (a->family != AF_INET && a->family != AF_INET6) {
		*len = 0;
		return NULL;
	}
	if (a->family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&a->u.v6)) {
		*len = 4;
		return &a->u.v6.s6_addr[12];
	}
	return addr_bytes(a, len);
}

/* Conditions ------------------------------------------------------------------ */

static bool
hosts_ok(const struct conf_http_route *rt, const struct route_req *r)
{
	const struct conf_pattern_list *h;

	if (rt->hosts == NULL)
		return true;
	for (h = rt->hosts; h != NULL; h = h->next)
		if (route_host_match(h->text, r->host, r->host_len))
			return true;
	return false;
}

static bool
prefixes_ok(const struct conf_http_route *rt, const struct route_req *r)
{
	const struct conf_pattern_list *pp;
	size_t n;

	if (rt->path_prefixes == NULL)
		return true;
	for (pp = rt->path_prefixes; pp != NULL; pp = pp->next) {
		n = strlen(pp->text);
		if (r->path_len >= n && memcmp(r->path, pp->text, n) == 0)
			return true;
	}
	return false;
}

static bool
sources_ok(const struct conf_http_route *rt, const struct route_req *r)
{
	const struct conf_addr_list *s;
	const struct kl_addr *a = r->src;
	struct kl_addr v4;

	if (rt->sources == NULL)
		return true;
	if (a == NULL)
		return false;
	if (a->family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&a->u.v6)) {
		memset(&v4, 0, sizeof(v4));
		v4.family = AF_INET;
		v4.prefix = 32;
		memcpy(&v4.u.v4, &a->u.v6.s6_addr[12], 4);
		a = &v4;
	}
	for (s = rt->sources; s != NULL; s = s->next)
		if (addr_in_prefix(a, &s->addr))
			return true;
	return false;
}

static bool
cookie_ok(const struct conf_http_route *rt, const struct route_req *r)
{
	const char *v;
	size_t len;

	if (rt->cookie_name == NULL)
		return true;
	if ((v = route_cookie(r, rt->cookie_name, &len)) == NULL)
		return false;
	return rt->cookie_value == NULL ||
	    (strlen(rt->cookie_value) == len && memcmp(v, rt->cookie_value, len) == 0);
}

static bool
header_ok(const struct conf_http_route *rt, const struct route_req *r)
{
	const struct http1_hdr *h;
	size_t i, nlen;

	if (rt->header_name == NULL)
		return true;
	nlen = strlen(rt->header_name);
	for (i = 0; i < r->n_hdrs; i++) {
		h = &r->hdrs[i];
		if (ci_equal(h->name, h->name_len, rt->header_name, nlen) &&
		    regex_match(&rt->header_regex, h->value, h->value_len))
			return true;
	}
	return false;
}

/* All conditions, the cheap ones first. */
static bool
route_matches(const struct conf_http_route *rt, const struct route_req *r)
{
	if (rt->methods != 0 && (rt->methods & r->method_bit) == 0)
		return false;
	if (!hosts_ok(rt, r) || !prefixes_ok(rt, r) || !sources_ok(rt, r) ||
	    !cookie_ok(rt, r))
		return false;
	if (rt->has_path_regex && !regex_match(&rt->path_regex, r->path, r->path_len))
		return false;
	return header_ok(rt, r);
}

const struct conf_http_route *
route_pick(const struct conf_virtual_server *vs, const struct route_req *r)
{
	const struct conf_http_route *rt;

	for (rt = vs->routes; rt != NULL; rt = rt->next)
		if (route_matches(rt, r))
			return rt;
	return NULL;
}

const char *
route_pick_pool(const struct conf_virtual_server *vs, const struct route_req *r)
{
	const struct conf_http_route *rt = route_pick(vs, r);

	return rt != NULL ? rt->pool : vs->default_pool;
}

/* The pool of a TLS client's server name: tls_route sni patterns are
 * host patterns. */
const char *
route_pick_tls_pool(const struct conf_virtual_server *vs, const char *sni, size_t len)
{
	const struct conf_tls_route *rt;
	const struct conf_pattern_list *h;

	for (rt = vs->tls_routes; rt != NULL && sni != NULL; rt = rt->next)
		for (h = rt->snis; h != NULL; h = h->next)
			if (route_host_match(h->text, sni, len))
				return rt->pool;
	return vs->default_pool;
}

/* Hash keys ------------------------------------------------------------------- */

static const void *
hash_key_of(const struct conf_virtual_server *vs, const struct route_req *r, size_t *len)
{
	switch (vs->hash_key) {
	case CONF_HASH_PATH:
		*len = r->path_len;
		return r->path;
	case CONF_HASH_HEADER:
		return route_header(r, vs->hash_key_name, len);
	case CONF_HASH_COOKIE:
		return route_cookie(r, vs->hash_key_name, len);
	case CONF_HASH_SOURCE:
		return r->src != NULL ? src_bytes(r->src, len) : NULL;
	}
	return NULL;
}

const void *
route_hash_key(const struct conf_virtual_server *vs, const struct route_req *r, size_t *len)
{
	const void *k = NULL;

	*len = 0;
	if (vs->lb_algo == CONF_ALGO_SH)
		k = r->src != NULL ? src_bytes(r->src, len) : NULL;
	else if (vs->lb_algo == CONF_ALGO_HASH)
		k = hash_key_of(vs, r, len);
	if (k == NULL || *len == 0) {
		*len = 0;
		return NULL;
	}
	return k;
}
