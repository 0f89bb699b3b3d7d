/* The configuration model: defaults, release, look-ups.  See conf.h. */
#include "config.h"

#include <string.h>

#include "lib/arena.h"
#include "lib/conf.h"

const struct cfg_enum conf_lb_algo_names[] = {
	{ "rr", CONF_ALGO_RR }, { "wrr", CONF_ALGO_WRR }, { "lc", CONF_ALGO_LC },
	{ "wlc", CONF_ALGO_WLC }, { "sh", CONF_ALGO_SH }, { "hash", CONF_ALGO_HASH },
	{ "p2c", CONF_ALGO_P2C }, { NULL, 0 },
};

const struct cfg_enum conf_lb_kind_names[] = {
	{ "L7", CONF_LB_L7 }, { "NAT", CONF_LB_NAT }, { NULL, 0 },
};

const struct cfg_enum conf_check_type_names[] = {
	{ "TCP_CHECK", CONF_CHECK_TCP }, { "HTTP_GET", CONF_CHECK_HTTP },
	{ "SSL_GET", CONF_CHECK_SSL }, { "MISC_CHECK", CONF_CHECK_MISC }, { NULL, 0 },
};

const struct cfg_enum conf_http_proto_names[] = {
	{ "1.0", CONF_HTTP_10 }, { "1.0C", CONF_HTTP_10C }, { "1.1", CONF_HTTP_11 },
	{ NULL, 0 },
};

const struct cfg_enum conf_hash_key_names[] = {
	{ "path", CONF_HASH_PATH }, { "header", CONF_HASH_HEADER },
	{ "cookie", CONF_HASH_COOKIE }, { "source", CONF_HASH_SOURCE }, { NULL, 0 },
};

const struct cfg_enum conf_cookie_mode_names[] = {
	{ "none", CONF_COOKIE_NONE }, { "insert", CONF_COOKIE_INSERT },
	{ "rewrite", CONF_COOKIE_REWRITE }, { "prefix", CONF_COOKIE_PREFIX }, { NULL, 0 },
};

const struct cfg_enum conf_proxy_version_names[] = {
	{ "v1", 1 }, { "v2", 2 }, { NULL, 0 },
};

const struct cfg_enum conf_method_names[] = {
	{ "GET", CONF_M_GET }, { "HEAD", CONF_M_HEAD }, { "POST", CONF_M_POST },
	{ "PUT", CONF_M_PUT }, { "DELETE", CONF_M_DELETE }, { "OPTIONS", CONF_M_OPTIONS },
	{ "PATCH", CONF_M_PATCH }, { "TRACE", CONF_M_TRACE }, { "CONNECT", CONF_M_CONNECT },
	{ NULL, 0 },
};

const char *
conf_method_name(enum conf_method m)
{
	return cfg_enum_name(conf_method_names, (int)m);
}

static void
conf_global_defaults(struct conf_global *g)
{
	g->vrrp_version = 2;
	addr_parse("224.0.0.18", &g->mcast_group4);	/* RFC 5798 5.1.1.2 */
	addr_parse("ff02::12", &g->mcast_group6);	/* RFC 5798 5.1.2.2 */
	g->garp_master_delay_ms = 5000;
	g->garp_master_repeat = 5;
	g->garp_master_refresh_repeat = 1;
	g->control_socket = CONF_CONTROL_SOCKET;
	g->state_file = CONF_STATE_FILE;
	g->drain_timeout_ms = 10000;
}

struct conf *
conf_new(const char *path)
{
	struct arena *a = arena_new();
	struct conf *c = arena_alloc(a, sizeof(*c));

	c->arena = a;
	c->path = arena_strdup(a, path);
	conf_global_defaults(&c->global);
	return c;
}

void
conf_free(struct conf *c)
{
	const struct conf_virtual_server *vs;
	struct conf_http_route *r;

	if (c == NULL)
		return;
	/* Compiled regexes hold memory outside the arena. */
	for (vs = c->virtual_servers; vs != NULL; vs = vs->next)
		for (r = vs->routes; r != NULL; r = r->next) {
			if (r->has_path_regex)
				regfree(&r->path_regex);
			if (r->header_regex_text != NULL)
				regfree(&r->header_regex);
		}
	arena_free(c->arena);
}

const struct conf_vrrp_instance *
conf_find_instance(const struct conf *c, const char *name)
{
	const struct conf_vrrp_instance *vi;

	for (vi = c->vrrp_instances; vi != NULL; vi = vi->next)
		if (strcmp(vi->name, name) == 0)
			return vi;
	return NULL;
}

const struct conf_vrrp_script *
conf_find_script(const struct conf *c, const char *name)
{
	const struct conf_vrrp_script *s;

	for (s = c->vrrp_scripts; s != NULL; s = s->next)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

/* Every list node type starts with its `next` pointer. */
struct conf_node {
	struct conf_node *next;
};

void
conf_list_append(void *head_ptr, void *item)
{
	struct conf_node **pp = head_ptr;

	while (*pp != NULL)
		pp = &(*pp)->next;
	*pp = item;
}
