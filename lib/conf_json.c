/* JSON rendering of the model; see conf_json.h. */
#include "config.h"

#include <stdio.h>

#include "lib/conf_json.h"

static void
put_str(json_object *o, const char *k, const char *v)
{
	if (v != NULL)
		json_object_object_add(o, k, json_object_new_string(v));
}

static void
put_int(json_object *o, const char *k, long long v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static void
put_bool(json_object *o, const char *k, bool v)
{
	json_object_object_add(o, k, json_object_new_boolean(v));
}

static void
put_secs(json_object *o, const char *k, long long ms)
{
	json_object_object_add(o, k, json_object_new_double((double)ms / 1000));
}

static void
put_addr(json_object *o, const char *k, const struct kl_addr *a)
{
	char buf[ADDR_STRLEN];

	if (addr_is_set(a))
		put_str(o, k, addr_ntop(a, true, buf, sizeof(buf)));
}

static void
put_hostport(json_object *o, const char *k, const struct kl_addr *a, uint16_t port)
{
	char buf[ADDR_STRLEN];

	if (addr_is_set(a))
		put_str(o, k, addr_port_ntop(a, port, buf, sizeof(buf)));
}

static void
put_src(json_object *o, const struct cfg_src *src)
{
	char buf[4200];

	snprintf(buf, sizeof(buf), "%s:%d", src->file, src->line);
	put_str(o, "defined_at", buf);
}

static json_object *
addr_list_json(const struct conf_addr_list *l)
{
	json_object *a = json_object_new_array();
	char buf[ADDR_STRLEN];

	for (; l != NULL; l = l->next)
		json_object_array_add(a, json_object_new_string(addr_ntop(&l->addr, true, buf,
		    sizeof(buf))));
	return a;
}

/* The secret itself is never shown, only that there is one. */
static json_object *
sticky_sync_json(const struct conf_sticky_sync *ss)
{
	json_object *o = json_object_new_object();

	put_hostport(o, "listen", &ss->listen_addr, ss->listen_port);
	put_hostport(o, "peer", &ss->peer_addr, ss->peer_port);
	put_int(o, "secret_bytes", (long long)ss->secret_len);
	put_src(o, &ss->src);
	return o;
}

static json_object *
notify_json(const struct conf_notify *n)
{
	json_object *o = json_object_new_object();

	put_str(o, "master", n->master);
	put_str(o, "backup", n->backup);
	put_str(o, "fault", n->fault);
	put_str(o, "stop", n->stop);
	put_str(o, "notify", n->any);
	return o;
}

static json_object *
global_json(const struct conf_global *g)
{
	json_object *o = json_object_new_object();

	put_str(o, "router_id", g->router_id);
	put_bool(o, "enable_script_security", g->script_security);
	put_str(o, "script_user", g->script_user);
	put_int(o, "vrrp_version", g->vrrp_version);
	put_addr(o, "vrrp_mcast_group4", &g->mcast_group4);
	put_addr(o, "vrrp_mcast_group6", &g->mcast_group6);
	put_bool(o, "vrrp_min_garp", g->vrrp_min_garp);
	put_secs(o, "vrrp_startup_delay", g->vrrp_startup_delay_ms);
	put_str(o, "control_socket", g->control_socket);
	put_str(o, "state_file", g->state_file);
	put_hostport(o, "metrics_listen", &g->metrics_addr, g->metrics_port);
	put_secs(o, "drain_timeout", g->drain_timeout_ms);
	put_bool(o, "enable_snmp_vrrp", g->snmp_vrrp);
	put_bool(o, "enable_snmp_checker", g->snmp_checker);
	put_bool(o, "enable_snmp_rfcv3", g->snmp_rfcv3);
	put_bool(o, "enable_traps", g->snmp_traps);
	put_str(o, "snmp_socket", g->snmp_socket);
	return o;
}

static json_object *
script_json(const struct conf_vrrp_script *s)
{
	json_object *o = json_object_new_object();

	put_str(o, "name", s->name);
	put_src(o, &s->src);
	put_str(o, "script", s->script);
	put_secs(o, "interval", s->interval_ms);
	put_secs(o, "timeout", s->timeout_ms);
	put_int(o, "weight", s->weight);
	put_bool(o, "weight_reverse", s->weight_reverse);
	put_int(o, "rise", s->rise);
	put_int(o, "fall", s->fall);
	put_str(o, "user", s->user);
	put_bool(o, "init_fail", s->init_fail);
	return o;
}

static json_object *
vips_json(const struct conf_vip *v)
{
	json_object *a = json_object_new_array();

	for (; v != NULL; v = v->next) {
		json_object *o = json_object_new_object();

		put_addr(o, "address", &v->addr);
		put_addr(o, "brd", &v->brd);
		put_str(o, "dev", v->dev);
		put_str(o, "label", v->label);
		put_int(o, "scope", v->scope);
		put_bool(o, "no_track", v->no_track);
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *
track_json(const struct conf_vrrp_instance *vi)
{
	json_object *o = json_object_new_object();
	json_object *ifs = json_object_new_array(), *scripts = json_object_new_array();
	const struct conf_track_if *ti;
	const struct conf_track_script *ts;

	for (ti = vi->track_ifs; ti != NULL; ti = ti->next) {
		json_object *t = json_object_new_object();

		put_str(t, "interface", ti->ifname);
		put_int(t, "weight", ti->weight);
		put_bool(t, "reverse", ti->reverse);
		json_object_array_add(ifs, t);
	}
	for (ts = vi->track_scripts; ts != NULL; ts = ts->next) {
		json_object *t = json_object_new_object();

		put_str(t, "script", ts->name);
		put_int(t, "weight", ts->has_weight ? ts->weight :
		    ts->script != NULL ? ts->script->weight : 0);
		put_bool(t, "reverse", ts->reverse);
		json_object_array_add(scripts, t);
	}
	json_object_object_add(o, "interfaces", ifs);
	json_object_object_add(o, "scripts", scripts);
	return o;
}

static json_object *
instance_json(const struct conf_vrrp_instance *vi)
{
	json_object *o = json_object_new_object();

	put_str(o, "name", vi->name);
	put_src(o, &vi->src);
	put_str(o, "state", vi->initial_master ? "MASTER" : "BACKUP");
	put_str(o, "interface", vi->interface);
	put_int(o, "virtual_router_id", vi->vrid);
	put_int(o, "priority", vi->priority);
	put_secs(o, "advert_int", vi->advert_int_ms);
	put_int(o, "version", vi->version);
	put_bool(o, "nopreempt", vi->nopreempt);
	put_secs(o, "preempt_delay", vi->preempt_delay_ms);
	put_str(o, "auth_type", vi->auth_type == CONF_AUTH_PASS ? "PASS" : "none");
	put_addr(o, "unicast_src_ip", &vi->unicast_src);
	json_object_object_add(o, "unicast_peer", addr_list_json(vi->unicast_peers));
	put_addr(o, "mcast_src_ip", &vi->mcast_src);
	json_object_object_add(o, "virtual_ipaddress", vips_json(vi->vips));
	json_object_object_add(o, "virtual_ipaddress_excluded", vips_json(vi->vips_excluded));
	json_object_object_add(o, "track", track_json(vi));
	json_object_object_add(o, "notify", notify_json(&vi->notify));
	put_secs(o, "garp_master_delay", vi->garp_master_delay_ms);
	put_int(o, "garp_master_repeat", vi->garp_master_repeat);
	put_secs(o, "garp_master_refresh", vi->garp_master_refresh_ms);
	put_int(o, "garp_master_refresh_repeat", vi->garp_master_refresh_repeat);
	put_bool(o, "v3_checksum_as_v2", vi->v3_checksum_as_v2);
	put_int(o, "down_timer_adverts", vi->down_timer_adverts);
	if (vi->sync_group != NULL)
		put_str(o, "sync_group", vi->sync_group->name);
	return o;
}

static json_object *
sync_group_json(const struct conf_sync_group *g)
{
	json_object *o = json_object_new_object(), *m = json_object_new_array();
	const struct conf_name_list *n;

	put_str(o, "name", g->name);
	put_src(o, &g->src);
	for (n = g->members; n != NULL; n = n->next)
		json_object_array_add(m, json_object_new_string(n->name));
	json_object_object_add(o, "group", m);
	json_object_object_add(o, "notify", notify_json(&g->notify));
	return o;
}

static json_object *
url_json(const struct conf_url *u)
{
	json_object *o = json_object_new_object(), *st = json_object_new_array();
	char buf[40];
	unsigned i;

	put_str(o, "path", u->path);
	for (i = 0; i < u->n_status; i++) {
		snprintf(buf, sizeof(buf), "%u-%u", u->status[i].lo, u->status[i].hi);
		json_object_array_add(st, json_object_new_string(buf));
	}
	json_object_object_add(o, "status_code", st);
	if (u->has_digest) {
		for (i = 0; i < 16; i++)
			snprintf(buf + 2 * i, 3, "%02x", u->digest[i]);
		put_str(o, "digest", buf);
	}
	put_str(o, "virtualhost", u->virtualhost);
	return o;
}

static json_object *
checker_json(const struct conf_checker *c)
{
	json_object *o = json_object_new_object(), *urls = json_object_new_array();
	const struct conf_url *u;

	put_str(o, "type", cfg_enum_name(conf_check_type_names, (int)c->type));
	put_src(o, &c->src);
	put_addr(o, "connect_ip", &c->connect_ip);
	if (c->connect_port != 0)
		put_int(o, "connect_port", c->connect_port);
	put_addr(o, "bindto", &c->bindto);
	put_secs(o, "connect_timeout", c->connect_timeout_ms);
	put_int(o, "retry", c->retry);
	put_secs(o, "delay_before_retry", c->delay_before_retry_ms);
	put_secs(o, "delay_loop", c->delay_loop_ms);
	put_bool(o, "warmup", c->warmup);
	put_bool(o, "alpha", c->alpha);
	if (c->type == CONF_CHECK_HTTP || c->type == CONF_CHECK_SSL) {
		for (u = c->urls; u != NULL; u = u->next)
			json_object_array_add(urls, url_json(u));
		json_object_object_add(o, "url", urls);
		put_str(o, "http_protocol", cfg_enum_name(conf_http_proto_names,
		    (int)c->http_protocol));
		put_str(o, "virtualhost", c->virtualhost);
		put_bool(o, "enable_sni", c->enable_sni);
	} else {
		json_object_put(urls);
	}
	if (c->type == CONF_CHECK_MISC) {
		put_str(o, "misc_path", c->misc_path);
		put_secs(o, "misc_timeout", c->misc_timeout_ms);
		put_bool(o, "misc_dynamic", c->misc_dynamic);
	}
	return o;
}

static json_object *
real_server_json(const struct conf_real_server *rs)
{
	json_object *o = json_object_new_object(), *checks = json_object_new_array();
	const struct conf_checker *c;

	put_hostport(o, "address", &rs->addr, rs->port);
	put_src(o, &rs->src);
	put_str(o, "pool", rs->pool);
	put_int(o, "weight", rs->weight);
	put_bool(o, "inhibit_on_failure", rs->inhibit_on_failure);
	put_str(o, "notify_up", rs->notify_up);
	put_str(o, "notify_down", rs->notify_down);
	put_int(o, "maxconn", rs->maxconn);
	put_secs(o, "slowstart", rs->slowstart_ms);
	put_str(o, "cookie", rs->cookie);
	put_int(o, "error_limit", rs->error_limit);
	put_int(o, "rise", rs->rise);
	put_int(o, "fall", rs->fall);
	for (c = rs->checkers; c != NULL; c = c->next)
		json_object_array_add(checks, checker_json(c));
	json_object_object_add(o, "checkers", checks);
	return o;
}

static json_object *
patterns_json(const struct conf_pattern_list *l)
{
	json_object *a = json_object_new_array();

	for (; l != NULL; l = l->next)
		json_object_array_add(a, json_object_new_string(l->text));
	return a;
}

/* The users' names only: a dump never shows a hash. */
static void
auth_json(json_object *o, const struct conf_http_route *r)
{
	json_object *users = json_object_new_array();
	const struct conf_http_user *u;

	for (u = r->auth_users; u != NULL; u = u->next)
		json_object_array_add(users, json_object_new_string(u->name));
	json_object_object_add(o, "auth_users", users);
	put_str(o, "auth_realm", r->auth_realm);
	json_object_object_add(o, "auth_forward", json_object_new_boolean(r->auth_forward));
}

static json_object *
route_json(const struct conf_http_route *r)
{
	json_object *o = json_object_new_object(), *m = json_object_new_array();
	unsigned i;

	put_str(o, "name", r->name);
	put_src(o, &r->src);
	json_object_object_add(o, "host", patterns_json(r->hosts));
	json_object_object_add(o, "path_prefix", patterns_json(r->path_prefixes));
	put_str(o, "path_regex", r->path_regex_text);
	put_str(o, "header", r->header_name);
	put_str(o, "header_regex", r->header_regex_text);
	put_str(o, "cookie", r->cookie_name);
	put_str(o, "cookie_value", r->cookie_value);
	for (i = 0; i <= CONF_M_CONNECT; i++)
		if (r->methods & (1u << i))
			json_object_array_add(m, json_object_new_string(conf_method_name(i)));
	json_object_object_add(o, "method", m);
	json_object_object_add(o, "source", addr_list_json(r->sources));
	put_str(o, "pool", r->pool);
	if (r->auth_users != NULL)
		auth_json(o, r);
	return o;
}

/* tls_route, shown only where there are some (NAT virtual servers). */
static void
tls_routes_json(json_object *vs_o, const struct conf_tls_route *r)
{
	json_object *a, *o;

	if (r == NULL)
		return;
	a = json_object_new_array();
	for (; r != NULL; r = r->next) {
		o = json_object_new_object();
		put_str(o, "name", r->name);
		put_src(o, &r->src);
		json_object_object_add(o, "sni", patterns_json(r->snis));
		put_str(o, "pool", r->pool);
		json_object_array_add(a, o);
	}
	json_object_object_add(vs_o, "tls_route", a);
}

static json_object *
cookie_json(const struct conf_cookie *ck)
{
	json_object *o = json_object_new_object();

	put_str(o, "name", ck->name);
	put_str(o, "mode", cfg_enum_name(conf_cookie_mode_names, (int)ck->mode));
	put_bool(o, "indirect", ck->indirect);
	put_bool(o, "nocache", ck->nocache);
	put_bool(o, "httponly", ck->httponly);
	put_bool(o, "secure", ck->secure);
	put_secs(o, "maxidle", ck->maxidle_ms);
	put_secs(o, "maxlife", ck->maxlife_ms);
	return o;
}

static void
vs_timeouts_json(json_object *o, const struct conf_virtual_server *vs)
{
	put_secs(o, "timeout_connect", vs->timeout_connect_ms);
	put_secs(o, "timeout_client", vs->timeout_client_ms);
	put_secs(o, "timeout_server", vs->timeout_server_ms);
	put_secs(o, "timeout_request", vs->timeout_request_ms);
	put_secs(o, "timeout_keepalive", vs->timeout_keepalive_ms);
	put_secs(o, "timeout_queue", vs->timeout_queue_ms);
	put_secs(o, "timeout_tunnel", vs->timeout_tunnel_ms);
}

static json_object *
virtual_server_json(const struct conf_virtual_server *vs)
{
	json_object *o = json_object_new_object();
	json_object *routes = json_object_new_array(), *servers = json_object_new_array();
	const struct conf_http_route *r;
	const struct conf_real_server *rs;

	put_hostport(o, "address", &vs->addr, vs->port);
	put_src(o, &vs->src);
	put_str(o, "lb_kind", cfg_enum_name(conf_lb_kind_names, (int)vs->lb_kind));
	put_str(o, "lb_algo", cfg_enum_name(conf_lb_algo_names, (int)vs->lb_algo));
	if (vs->lb_algo == CONF_ALGO_HASH) {
		put_str(o, "hash_key", cfg_enum_name(conf_hash_key_names, (int)vs->hash_key));
		put_str(o, "hash_key_name", vs->hash_key_name);
	}
	put_secs(o, "delay_loop", vs->delay_loop_ms);
	put_secs(o, "persistence_timeout", vs->persistence_timeout_ms);
	if (vs->cookie.mode != CONF_COOKIE_NONE)
		json_object_object_add(o, "persistence_cookie", cookie_json(&vs->cookie));
	vs_timeouts_json(o, vs);
	put_int(o, "maxconn", vs->maxconn);
	put_bool(o, "forwarded_for", vs->forwarded_for);
	put_str(o, "send_proxy", vs->send_proxy != 0 ?
	    cfg_enum_name(conf_proxy_version_names, vs->send_proxy) : NULL);
	put_bool(o, "accept_proxy", vs->accept_proxy);
	put_bool(o, "allow_connect", vs->allow_connect);
	put_int(o, "retries", vs->retries);
	put_int(o, "max_header_size", vs->max_header_size);
	if (vs->rcvbuf_server > 0)
		put_int(o, "rcvbuf_server", vs->rcvbuf_server);
	if (vs->sndbuf_client > 0)
		put_int(o, "sndbuf_client", vs->sndbuf_client);
	for (r = vs->routes; r != NULL; r = r->next)
		json_object_array_add(routes, route_json(r));
	json_object_object_add(o, "http_route", routes);
	tls_routes_json(o, vs->tls_routes);
	put_str(o, "default_pool", vs->default_pool);
	put_hostport(o, "sorry_server", &vs->sorry_addr, vs->sorry_port);
	put_int(o, "quorum", vs->quorum);
	put_int(o, "hysteresis", vs->hysteresis);
	put_str(o, "quorum_up", vs->quorum_up);
	put_str(o, "quorum_down", vs->quorum_down);
	put_bool(o, "alpha", vs->alpha);
	put_bool(o, "omega", vs->omega);
	put_str(o, "virtualhost", vs->virtualhost);
	for (rs = vs->servers; rs != NULL; rs = rs->next)
		json_object_array_add(servers, real_server_json(rs));
	json_object_object_add(o, "real_server", servers);
	return o;
}

json_object *
conf_to_json(const struct conf *c)
{
	json_object *o = json_object_new_object();
	json_object *scripts = json_object_new_array(), *groups = json_object_new_array();
	json_object *insts = json_object_new_array(), *vss = json_object_new_array();
	const struct conf_vrrp_script *s;
	const struct conf_sync_group *g;
	const struct conf_vrrp_instance *vi;
	const struct conf_virtual_server *vs;

	put_str(o, "file", c->path);
	json_object_object_add(o, "global_defs", global_json(&c->global));
	for (s = c->vrrp_scripts; s != NULL; s = s->next)
		json_object_array_add(scripts, script_json(s));
	for (g = c->sync_groups; g != NULL; g = g->next)
		json_object_array_add(groups, sync_group_json(g));
	for (vi = c->vrrp_instances; vi != NULL; vi = vi->next)
		json_object_array_add(insts, instance_json(vi));
	for (vs = c->virtual_servers; vs != NULL; vs = vs->next)
		json_object_array_add(vss, virtual_server_json(vs));
	json_object_object_add(o, "vrrp_script", scripts);
	json_object_object_add(o, "vrrp_sync_group", groups);
	json_object_object_add(o, "vrrp_instance", insts);
	json_object_object_add(o, "virtual_server", vss);
	if (c->sticky_sync.enabled)
		json_object_object_add(o, "sticky_sync", sticky_sync_json(&c->sticky_sync));
	return o;
}
