/* tls_route blocks of a lb_kind NAT virtual_server: the pool a TLS
 * client's server_name (SNI) picks, read without terminating TLS
 * (lib/tls_hello.h, splice/l7_tls.c).  See keepalive-l7.conf(5). */
#include "config.h"

#include <string.h>

#include "lib/arena.h"
#include "splice/vs_parser.h"

static int
tls_route_sni(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_tls_route *r = obj;

	return vs_read_host_patterns(p, st, &r->snis);
}

const struct cfg_kw tls_route_kws[] = {
	KW_FN("sni", 1, CFG_ARGS_MAX, tls_route_sni),
	KW_STR("pool", struct conf_tls_route, pool),
	KW_END
};

void *
tls_route_open(struct cfg_ctx *p, const struct cfg_stmt *st, void *vsp)
{
	struct conf_virtual_server *vs = vsp;
	struct conf_tls_route *r, *o;

	for (o = vs->tls_routes; o != NULL; o = o->next)
		if (strcmp(o->name, st->args[0].s) == 0) {
			cfg_error(p, &st->args[0], "tls_route: '%s' is defined twice in this "
			    "virtual_server (first on line %d)", o->name, o->src.line);
			return NULL;
		}
	r = arena_alloc(p->arena, sizeof(*r));
	r->src = cfg_src_of(st->key);
	r->name = st->args[0].s;
	conf_list_append(&vs->tls_routes, r);
	return r;
}

void
tls_route_close(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_tls_route *r = obj;

	if (r->snis == NULL)
		cfg_error(p, st->key, "tls_route %s: missing 'sni' (connections without "
		    "a match go to default_pool)", r->name);
	if (r->pool == NULL)
		cfg_error(p, st->key, "tls_route %s: missing 'pool'", r->name);
}

void
tls_routes_check(struct cfg_ctx *p, const struct conf_virtual_server *vs)
{
	const struct conf_tls_route *r;

	if (vs->tls_routes != NULL && vs->lb_kind != CONF_LB_NAT)
		cfg_error_src(p, &vs->tls_routes->src, "tls_route: needs 'lb_kind NAT' (this "
		    "virtual_server proxies HTTP: route on the Host with http_route)");
	for (r = vs->tls_routes; r != NULL; r = r->next)
		if (r->pool != NULL && !vs_pool_exists(vs, r->pool))
			cfg_error_src(p, &r->src, "tls_route %s: no real_server has 'pool %s'",
			    r->name, r->pool);
}
