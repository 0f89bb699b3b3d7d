/* virtual_server / real_server / http_route configuration.  keepalived's
 * keywords keep keepalived's meaning; L7 ideas take HAProxy's names.  See
 * keepalive-l7.conf(5). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "check/check_parser.h"
#include "splice/auth_parser.h"
#include "splice/vs_parser.h"

#define VS_HEADER_SIZE_DEFAULT	16384
#define VS_HEADER_SIZE_MAX	65536
#define VS_SOCKBUF_MIN		4096		/* SO_RCVBUF / SO_SNDBUF, bytes */
#define VS_SOCKBUF_MAX		(64u << 20)
#define VS_PERSISTENCE_DEFAULT_S 360	/* keepalived: persistence_timeout alone */
#define RS_ERROR_LIMIT_DEFAULT	10	/* HAProxy's error-limit */

#define VS struct conf_virtual_server
#define RS struct conf_real_server

/* http_route ------------------------------------------------------------------ */

static void
pattern_append(struct cfg_ctx *p, struct conf_pattern_list **list, const char *text)
{
	struct conf_pattern_list *n = arena_alloc(p->arena, sizeof(*n));

	n->text = text;
	conf_list_append(list, n);
}

int
vs_read_host_patterns(struct cfg_ctx *p, const struct cfg_stmt *st,
    struct conf_pattern_list **list)
{
	int i, rc = 0;

	for (i = 0; i < st->nargs; i++) {
		const char *h = st->args[i].s;

		if (strchr(h + (h[0] == '*'), '*') != NULL || (h[0] == '*' && h[1] != '.')) {
			cfg_error(p, &st->args[i], "%s: '%s': a wildcard is only allowed as a "
			    "leading '*.'", st->kw->name, h);
			rc = -1;
		}
		pattern_append(p, list, h);
	}
	return rc;
}

static int
route_host(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_http_route *r = obj;

	return vs_read_host_patterns(p, st, &r->hosts);
}

static int
route_path_prefix(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_http_route *r = obj;
	int i;

	for (i = 0; i < st->nargs; i++) {
		if (st->args[i].s[0] != '/') {
			cfg_error(p, &st->args[i], "path_prefix: '%s' must start with '/'",
			    st->args[i].s);
			return -1;
		}
		pattern_append(p, &r->path_prefixes, st->args[i].s);
	}
	return 0;
}

static int
compile_regex(struct cfg_ctx *p, const struct cfg_stmt *st, const struct cfg_tok *t,
    regex_t *re)
{
	char msg[128];
	int rc = regcomp(re, t->s, REG_EXTENDED | REG_NOSUB);

	if (rc != 0) {
		regerror(rc, re, msg, sizeof(msg));
		cfg_error(p, t, "%s: bad regular expression '%s': %s", st->kw->name, t->s, msg);
		return -1;
	}
	return 0;
}

static int
route_path_regex(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_http_route *r = obj;

	if (compile_regex(p, st, &st->args[0], &r->path_regex) == -1)
		return -1;
	r->has_path_regex = true;
	r->path_regex_text = st->args[0].s;
	return 0;
}

static int
route_header(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_http_route *r = obj;

	if (compile_regex(p, st, &st->args[1], &r->header_regex) == -1)
		return -1;
	r->header_name = st->args[0].s;
	r->header_regex_text = st->args[1].s;
	return 0;
}

static int
route_cookie(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_http_route *r = obj;

	r->cookie_name = st->args[0].s;
	r->cookie_value = st->nargs > 1 ? st->args[1].s : NULL;
	return 0;
}

static int
route_method(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_http_route *r = obj;
	int i, m;

	for (i = 0; i < st->nargs; i++) {
		if (cfg_read_enum(p, st, &st->args[i], conf_method_names, &m) == -1)
			return -1;
		r->methods |= 1u << m;
	}
	return 0;
}

static int
route_source(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_http_route *r = obj;
	int i;

	for (i = 0; i < st->nargs; i++) {
		struct conf_addr_list *a = arena_alloc(p->arena, sizeof(*a));

		a->src = cfg_src_of(&st->args[i]);
		if (cfg_read_prefix(p, st, &st->args[i], &a->addr) == -1)
			return -1;
		conf_list_append(&r->sources, a);
	}
	return 0;
}

static const struct cfg_kw route_kws[] = {
	KW_FN("host", 1, CFG_ARGS_MAX, route_host),
	KW_FN("path_prefix", 1, CFG_ARGS_MAX, route_path_prefix),
	KW_FN("path_regex", 1, 1, route_path_regex),
	KW_FN("header", 2, 2, route_header),
	KW_FN("cookie", 1, 2, route_cookie),
	KW_FN("method", 1, CFG_ARGS_MAX, route_method),
	KW_FN("source", 1, CFG_ARGS_MAX, route_source),
	KW_STR("pool", struct conf_http_route, pool),
	AUTH_ROUTE_KWS,
	KW_END
};

static void *
route_open(struct cfg_ctx *p, const struct cfg_stmt *st, void *vsp)
{
	VS *vs = vsp;
	struct conf_http_route *r, *o;

	for (o = vs->routes; o != NULL; o = o->next)
		if (strcmp(o->name, st->args[0].s) == 0) {
			cfg_error(p, &st->args[0], "http_route: '%s' is defined twice in this "
			    "virtual_server (first on line %d)", o->name, o->src.line);
			return NULL;
		}
	r = arena_alloc(p->arena, sizeof(*r));
	r->src = cfg_src_of(st->key);
	r->name = st->args[0].s;
	conf_list_append(&vs->routes, r);
	return r;
}

static void
route_close(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_http_route *r = obj;

	if (r->pool == NULL)
		cfg_error(p, st->key, "http_route %s: missing 'pool'", r->name);
	auth_route_close(p, r);
}

/* real_server ----------------------------------------------------------------- */

static const struct cfg_kw rs_kws[] = {
	KW_UINT("weight", RS, weight, 0, 65535),
	KW_STR("pool", RS, pool),
	KW_FLAG("inhibit_on_failure", RS, inhibit_on_failure),
	KW_SCRIPT("notify_up", RS, notify_up),
	KW_SCRIPT("notify_down", RS, notify_down),
	KW_UINT("maxconn", RS, maxconn, 0, 1000000),
	KW_MS("slowstart", RS, slowstart_ms, 0, 3600000),
	KW_STR("cookie", RS, cookie),
	KW_UINT("error_limit", RS, error_limit, 0, 1000),
	KW_UINT("rise", RS, rise, 1, 100),
	KW_UINT("fall", RS, fall, 1, 100),
	{ .name = "TCP_CHECK", .kind = CFG_BLOCK, .repeat = true, .open = check_tcp_open,
	  .close = check_close, .sub = check_tcp_kws },
	{ .name = "HTTP_GET", .kind = CFG_BLOCK, .repeat = true, .open = check_http_open,
	  .close = check_close, .sub = check_http_kws },
	{ .name = "SSL_GET", .kind = CFG_BLOCK, .repeat = true, .open = check_ssl_open,
	  .close = check_close, .sub = check_http_kws },
	{ .name = "MISC_CHECK", .kind = CFG_BLOCK, .repeat = true, .open = check_misc_open,
	  .close = check_close, .sub = check_misc_kws },
	KW_UNSUP("SMTP_CHECK", "use TCP_CHECK, or MISC_CHECK with a script"),
	KW_UNSUP("DNS_CHECK", "use MISC_CHECK with a script"),
	KW_UNSUP("UDP_CHECK", "only TCP services are proxied"),
	KW_UNSUP("PING_CHECK", "use TCP_CHECK: a proxied service is checked on its port"),
	KW_UNSUP("FILE_CHECK", "use MISC_CHECK, or the control socket to drain a server"),
	KW_UNSUP("BFD_CHECK", "BFD is not implemented"),
	KW_UNSUP("lvs_method", "IPVS forwarding methods do not apply to a proxy"),
	KW_UNSUP("uthreshold", "use maxconn"),
	KW_UNSUP("lthreshold", "use maxconn"),
	KW_END
};

RS *
vs_find_server(const VS *vs, const struct kl_addr *addr, uint16_t port)
{
	RS *rs;

	for (rs = vs->servers; rs != NULL; rs = rs->next)
		if (addr_equal(&rs->addr, addr) && rs->port == port)
			return rs;
	return NULL;
}

RS *
vs_add_server(struct cfg_ctx *p, VS *vs, const struct kl_addr *addr, uint16_t port,
    struct cfg_src src)
{
	struct conf *c = p->root;
	RS *rs = arena_alloc(p->arena, sizeof(*rs));

	rs->src = src;
	rs->addr = *addr;
	rs->port = port;
	rs->index = c->n_real_servers++;
	rs->weight = 1;
	rs->error_limit = RS_ERROR_LIMIT_DEFAULT;
	rs->rise = 1;
	rs->fall = 1;
	conf_list_append(&vs->servers, rs);
	vs->n_servers++;
	return rs;
}

static void *
rs_open(struct cfg_ctx *p, const struct cfg_stmt *st, void *vsp)
{
	VS *vs = vsp;
	const RS *o;
	struct kl_addr addr;
	uint16_t port;

	if (cfg_read_addr(p, st, &st->args[0], &addr) == -1 ||
	    cfg_read_port(p, st, &st->args[1], &port) == -1)
		return NULL;
	if ((o = vs_find_server(vs, &addr, port)) != NULL) {
		cfg_error(p, st->key, "real_server %s %s: defined twice in this "
		    "virtual_server (first on line %d)", st->args[0].s, st->args[1].s,
		    o->src.line);
		return NULL;
	}
	return vs_add_server(p, vs, &addr, port, cfg_src_of(st->key));
}

static void
rs_close(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	RS *rs = obj;

	if (rs->pool == NULL)
		rs->pool = VS_DEFAULT_POOL;
}

/* virtual_server -------------------------------------------------------------- */

static int
vs_lb_kind(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	VS *vs = obj;
	const char *k = st->args[0].s;
	int v;

	if (strcasecmp(k, "DR") == 0 || strcasecmp(k, "TUN") == 0) {
		cfg_error(p, &st->args[0], "%s: %s is not supported: keepalive-l7 proxies "
		    "connections instead of driving IPVS; use NAT (TCP proxy) or L7 (HTTP)",
		    st->key->s, k);
		return -1;
	}
	if (cfg_read_enum(p, st, &st->args[0], conf_lb_kind_names, &v) == -1)
		return -1;
	vs->lb_kind = (enum conf_lb_kind)v;
	return 0;
}

static int
vs_lb_algo(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	static const char *const ipvs_only[] = {
		"lblc", "lblcr", "dh", "sed", "nq", "mh", "fo", "ovf", "twos", NULL,
	};
	VS *vs = obj;
	int i, v;

	for (i = 0; ipvs_only[i] != NULL; i++)
		if (strcmp(st->args[0].s, ipvs_only[i]) == 0) {
			cfg_error(p, &st->args[0], "%s: '%s' is an IPVS scheduler that is not "
			    "implemented; use rr, wrr, lc, wlc, sh, hash or p2c", st->key->s,
			    st->args[0].s);
			return -1;
		}
	if (cfg_read_enum(p, st, &st->args[0], conf_lb_algo_names, &v) == -1)
		return -1;
	vs->lb_algo = (enum conf_lb_algo)v;
	return 0;
}

static int
vs_hash_key(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	VS *vs = obj;
	int v;

	if (cfg_read_enum(p, st, &st->args[0], conf_hash_key_names, &v) == -1)
		return -1;
	vs->hash_key = (enum conf_hash_key)v;
	if ((v == CONF_HASH_HEADER || v == CONF_HASH_COOKIE) != (st->nargs == 2)) {
		cfg_error(p, st->key, "hash_key: 'header' and 'cookie' take a name; "
		    "'path' and 'source' take none");
		return -1;
	}
	vs->hash_key_name = st->nargs == 2 ? st->args[1].s : NULL;
	return 0;
}

static int
vs_protocol(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	if (strcasecmp(st->args[0].s, "TCP") != 0) {
		cfg_error(p, &st->args[0], "protocol: %s is not supported: only TCP services "
		    "are proxied", st->args[0].s);
		return -1;
	}
	return 0;
}

static int
vs_persistence_timeout(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	VS *vs = obj;

	if (st->nargs == 0) {
		vs->persistence_timeout_ms = VS_PERSISTENCE_DEFAULT_S * 1000;
		return 0;
	}
	return cfg_read_ms(p, st, &st->args[0], 1000, 86400000, &vs->persistence_timeout_ms);
}

/* persistence cookie NAME insert|rewrite|prefix [indirect] [nocache]
 *             [httponly] [secure] [maxidle T] [maxlife T] */
static int
vs_persistence(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_cookie *ck = &((VS *)obj)->cookie;
	int i, mode;

	if (strcmp(st->args[0].s, "cookie") != 0 || st->nargs < 3) {
		cfg_error(p, st->key, "persistence: expected 'cookie NAME insert|rewrite|prefix "
		    "[options]' (source persistence is persistence_timeout)");
		return -1;
	}
	ck->name = st->args[1].s;
	if (cfg_read_enum(p, st, &st->args[2], conf_cookie_mode_names + 1, &mode) == -1)
		return -1;
	ck->mode = (enum conf_cookie_mode)mode;
	for (i = 3; i < st->nargs; i++) {
		const char *o = st->args[i].s;
		uint32_t *t = strcmp(o, "maxidle") == 0 ? &ck->maxidle_ms :
		    strcmp(o, "maxlife") == 0 ? &ck->maxlife_ms : NULL;

		if (t != NULL) {
			if (++i == st->nargs) {
				cfg_error(p, &st->args[i - 1], "persistence: %s needs a duration", o);
				return -1;
			}
			if (cfg_read_ms(p, st, &st->args[i], 1000, 86400000 * 365LL, t) == -1)
				return -1;
		} else if (strcmp(o, "indirect") == 0)
			ck->indirect = true;
		else if (strcmp(o, "nocache") == 0)
			ck->nocache = true;
		else if (strcmp(o, "httponly") == 0)
			ck->httponly = true;
		else if (strcmp(o, "secure") == 0)
			ck->secure = true;
		else {
			cfg_error(p, &st->args[i], "persistence: unknown cookie option '%s'", o);
			return -1;
		}
	}
	return 0;
}

static int
vs_sorry_server(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	VS *vs = obj;

	if (cfg_read_addr(p, st, &st->args[0], &vs->sorry_addr) == -1)
		return -1;
	return cfg_read_port(p, st, &st->args[1], &vs->sorry_port);
}

const struct cfg_kw vs_kws[] = {
	KW_FN("lb_kind", 1, 1, vs_lb_kind),
	KW_FN("lvs_method", 1, 1, vs_lb_kind),
	KW_FN("lb_algo", 1, 1, vs_lb_algo),
	KW_FN("lvs_sched", 1, 1, vs_lb_algo),
	KW_FN("hash_key", 1, 2, vs_hash_key),
	KW_MS("delay_loop", VS, delay_loop_ms, 10, 86400000),
	KW_FN("protocol", 1, 1, vs_protocol),
	KW_FN("persistence_timeout", 0, 1, vs_persistence_timeout),
	KW_FN("persistence", 3, 12, vs_persistence),
	KW_MS("timeout_connect", VS, timeout_connect_ms, 1, 3600000),
	KW_MS("timeout_client", VS, timeout_client_ms, 1, 86400000),
	KW_MS("timeout_server", VS, timeout_server_ms, 1, 86400000),
	KW_MS("timeout_request", VS, timeout_request_ms, 1, 3600000),
	KW_MS("timeout_keepalive", VS, timeout_keepalive_ms, 1, 3600000),
	KW_MS("timeout_queue", VS, timeout_queue_ms, 1, 3600000),
	KW_MS("timeout_tunnel", VS, timeout_tunnel_ms, 1, 86400000 * 7LL),
	KW_UINT("maxconn", VS, maxconn, 0, 10000000),
	KW_BOOL("forwarded_for", VS, forwarded_for),
	KW_ENUM("send_proxy", VS, send_proxy, conf_proxy_version_names),
	KW_FLAG("accept_proxy", VS, accept_proxy),
	KW_FLAG("allow_connect", VS, allow_connect),
	KW_UINT("retries", VS, retries, 0, 100),
	KW_UINT("max_header_size", VS, max_header_size, 1024, VS_HEADER_SIZE_MAX),
	KW_UINT("rcvbuf_server", VS, rcvbuf_server, VS_SOCKBUF_MIN, VS_SOCKBUF_MAX),
	KW_UINT("sndbuf_client", VS, sndbuf_client, VS_SOCKBUF_MIN, VS_SOCKBUF_MAX),
	{ .name = "http_route", .kind = CFG_BLOCK, .min_args = 1, .max_args = 1,
	  .repeat = true, .open = route_open, .close = route_close, .sub = route_kws },
	{ .name = "tls_route", .kind = CFG_BLOCK, .min_args = 1, .max_args = 1,
	  .repeat = true, .open = tls_route_open, .close = tls_route_close,
	  .sub = tls_route_kws },
	KW_STR("default_pool", VS, default_pool),
	KW_FN("sorry_server", 2, 2, vs_sorry_server),
	KW_UINT("quorum", VS, quorum, 0, 1000000),
	KW_UINT("hysteresis", VS, hysteresis, 0, 1000000),
	KW_SCRIPT("quorum_up", VS, quorum_up),
	KW_SCRIPT("quorum_down", VS, quorum_down),
	KW_FLAG("alpha", VS, alpha),
	KW_FLAG("omega", VS, omega),
	KW_STR("virtualhost", VS, virtualhost),
	{ .name = "real_server", .kind = CFG_BLOCK, .min_args = 2, .max_args = 2,
	  .repeat = true, .open = rs_open, .close = rs_close, .sub = rs_kws },
	KW_UNSUP("persistence_granularity", "source persistence is per client address"),
	KW_UNSUP("ha_suspend", "checks always run; the l7 child simply does not listen "
	    "on a VIP it does not hold"),
	KW_UNSUP("sorry_server_inhibit", "an IPVS weight trick with no meaning for a proxy"),
	KW_UNSUP("ops", "one-packet scheduling is for UDP under IPVS"),
	KW_END
};

void *
vs_open(struct cfg_ctx *p, const struct cfg_stmt *st, void *conf)
{
	struct conf *c = conf;
	VS *vs;

	if (strcmp(st->args[0].s, "fwmark") == 0 || strcmp(st->args[0].s, "group") == 0) {
		cfg_error(p, &st->args[0], "virtual_server %s: not supported: firewall marks and "
		    "virtual_server_group are IPVS features; give ADDRESS PORT", st->args[0].s);
		return NULL;
	}
	vs = arena_alloc(p->arena, sizeof(*vs));
	vs->src = cfg_src_of(st->key);
	if (cfg_read_addr(p, st, &st->args[0], &vs->addr) == -1 ||
	    cfg_read_port(p, st, &st->args[1], &vs->port) == -1)
		return NULL;
	vs->index = c->n_virtual_servers++;
	vs->lb_kind = CONF_LB_L7;
	vs->lb_algo = CONF_ALGO_WLC;
	vs->delay_loop_ms = 60000;		/* keepalived's default */
	vs->timeout_connect_ms = 5000;
	vs->timeout_client_ms = 30000;
	vs->timeout_server_ms = 30000;
	vs->timeout_request_ms = 10000;
	vs->timeout_keepalive_ms = 5000;
	vs->timeout_queue_ms = 0;		/* timeout_connect's, as HAProxy */
	vs->timeout_tunnel_ms = 3600000;
	vs->retries = 3;
	vs->max_header_size = VS_HEADER_SIZE_DEFAULT;
	vs->quorum = 1;
	conf_list_append(&c->virtual_servers, vs);
	return vs;
}

bool
vs_pool_exists(const VS *vs, const char *pool)
{
	const RS *rs;

	for (rs = vs->servers; rs != NULL; rs = rs->next)
		if (strcmp(rs->pool, pool) == 0)
			return true;
	return false;
}

/* A real server's cookie value: RFC 6265 4.1.1 cookie-octets, without
 * the '~' and '|' the proxy's own values use, and its own in the virtual
 * server. */
static void
check_cookie_value(struct cfg_ctx *p, const VS *vs, const RS *rs)
{
	const RS *o;
	const char *c;

	if (rs->cookie == NULL)
		return;
	for (c = rs->cookie; *c != '\0'; c++)
		if (*c < 0x21 || *c > 0x7e || strchr("\",;\\~|", *c) != NULL)
			break;
	if (*c != '\0' || c == rs->cookie || c - rs->cookie >= 64) {
		cfg_error_src(p, &rs->src, "cookie: '%s' is not a cookie value (1 to 63 "
		    "printable bytes, none of \" , ; \\ ~ |)", rs->cookie);
		return;
	}
	for (o = vs->servers; o != rs; o = o->next)
		if (o->cookie != NULL && strcmp(o->cookie, rs->cookie) == 0)
			cfg_error_src(p, &rs->src, "cookie: '%s' is the value of the real_server "
			    "on line %d too", rs->cookie, o->src.line);
}

static void
check_routes(struct cfg_ctx *p, const VS *vs, bool explicit_default)
{
	const struct conf_http_route *r;

	if (vs->routes != NULL && vs->lb_kind != CONF_LB_L7)
		cfg_error_src(p, &vs->routes->src, "http_route: needs 'lb_kind L7' (this "
		    "virtual_server proxies TCP)");
	for (r = vs->routes; r != NULL; r = r->next)
		if (r->pool != NULL && !vs_pool_exists(vs, r->pool))
			cfg_error_src(p, &r->src, "http_route %s: no real_server has 'pool %s'",
			    r->name, r->pool);
	if (explicit_default && !vs_pool_exists(vs, vs->default_pool))
		cfg_error_src(p, &vs->src, "default_pool: no real_server has 'pool %s'",
		    vs->default_pool);
}

void
vs_close(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	VS *vs = obj;
	RS *rs;

	vs_edits_apply(p, vs);
	check_routes(p, vs, vs->default_pool != NULL);
	tls_routes_check(p, vs);
	if (vs->default_pool == NULL)
		vs->default_pool = VS_DEFAULT_POOL;
	if (vs->timeout_queue_ms == 0)
		vs->timeout_queue_ms = vs->timeout_connect_ms;
	if (vs->lb_kind == CONF_LB_NAT && vs->hash_key != CONF_HASH_SOURCE &&
	    vs->lb_algo == CONF_ALGO_HASH)
		cfg_error(p, st->key, "hash_key: a NAT (TCP) virtual_server can only hash on "
		    "'source'");
	if (vs->cookie.mode != CONF_COOKIE_NONE && vs->lb_kind != CONF_LB_L7)
		cfg_error(p, st->key, "persistence cookie: needs 'lb_kind L7'");
	if (vs->allow_connect && vs->lb_kind != CONF_LB_L7)
		cfg_error(p, st->key, "allow_connect: needs 'lb_kind L7'");
	if (vs->cookie.mode != CONF_COOKIE_INSERT &&
	    (vs->cookie.maxidle_ms > 0 || vs->cookie.maxlife_ms > 0))
		cfg_error(p, st->key, "persistence cookie: maxidle and maxlife need 'insert'");
	for (rs = vs->servers; rs != NULL; rs = rs->next) {
		check_conf_inherit(vs, rs);
		check_cookie_value(p, vs, rs);
	}
}

void
vs_conf_validate(struct cfg_ctx *p, struct conf *c)
{
	const VS *a, *b;

	vs_edits_renumber(c);
	for (a = c->virtual_servers; a != NULL; a = a->next)
		for (b = c->virtual_servers; b != a; b = b->next)
			if (addr_equal(&a->addr, &b->addr) && a->port == b->port)
				cfg_error_src(p, &a->src, "virtual_server: this address and port "
				    "are already used by the virtual_server on line %d", b->src.line);
}
