/* Unit tests of the configuration model after a load: defaults, values
 * inherited from outer blocks, the checks that span blocks, a file with
 * twenty mistakes, and the JSON rendering (lib/conf.c, lib/conf_json.c,
 * keepalive-l7/conf_load.c and the parsers' close/validate steps). */
#include "config.h"

#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keepalive-l7/conf_load.h"
#include "lib/conf.h"
#include "lib/conf_json.h"
#include "test/unit/tmain.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

#define VI_MIN(name, vrid) \
	"vrrp_instance " name " {\n interface eth0\n virtual_router_id " #vrid "\n}\n"
#define RS_EMPTY	" real_server 192.0.2.101 8080 {\n }\n"
#define SYNC_WITH(body)	"sticky_sync {\n secret \"0123456789abcdef\"\n" body "}\n"

static struct conf *
load_ok(const char *text)
{
	struct conf_errors errs;
	struct conf *c = conf_load_string("t.conf", text, NULL, &errs);

	ck_assert_msg(c != NULL, "should load, got %d errors, the first: %s", errs.n,
	    errs.n > 0 ? errs.msg[0] : "");
	return c;
}

static const char *
ntop(const struct kl_addr *a, char *buf)
{
	return addr_ntop(a, true, buf, ADDR_STRLEN);
}

/* Defaults ------------------------------------------------------------------------ */

START_TEST(test_global_defaults)
{
	struct conf *c = load_ok("");
	char buf[ADDR_STRLEN];

	ck_assert_str_eq(c->path, "t.conf");
	ck_assert_ptr_null(c->global.router_id);
	ck_assert_uint_eq(c->global.vrrp_version, 2);
	ck_assert_str_eq(ntop(&c->global.mcast_group4, buf), "224.0.0.18");
	ck_assert_str_eq(ntop(&c->global.mcast_group6, buf), "ff02::12");
	ck_assert_uint_eq(c->global.garp_master_delay_ms, 5000);
	ck_assert_uint_eq(c->global.garp_master_repeat, 5);
	ck_assert_uint_eq(c->global.garp_master_refresh_ms, 0);
	ck_assert_uint_eq(c->global.garp_master_refresh_repeat, 1);
	ck_assert_str_eq(c->global.control_socket, "/run/keepalive-l7/control.sock");
	ck_assert_str_eq(c->global.state_file, "/run/keepalive-l7/state.json");
	ck_assert_uint_eq(c->global.drain_timeout_ms, 10000);
	ck_assert(!addr_is_set(&c->global.metrics_addr));
	ck_assert(!c->global.script_security);
	ck_assert_ptr_null(c->vrrp_instances);
	ck_assert_ptr_null(c->virtual_servers);
	ck_assert_uint_eq(c->n_vrrp_instances + c->n_virtual_servers + c->n_real_servers, 0);
	conf_free(c);
}
END_TEST

START_TEST(test_global_values)
{
	struct conf *c = load_ok("global_defs {\n router_id lb1\n enable_script_security\n"
	    " script_user nobody nogroup\n vrrp_mcast_group4 224.0.0.19\n"
	    " metrics_listen [2001:db8::1]:9100\n control_socket /tmp/c.sock\n"
	    " drain_timeout 2.5\n}\n");
	char buf[ADDR_STRLEN];

	ck_assert_str_eq(c->global.router_id, "lb1");
	ck_assert(c->global.script_security);
	ck_assert_str_eq(c->global.script_user, "nobody");
	ck_assert_str_eq(c->global.script_group, "nogroup");
	ck_assert_str_eq(ntop(&c->global.mcast_group4, buf), "224.0.0.19");
	ck_assert_str_eq(ntop(&c->global.metrics_addr, buf), "2001:db8::1");
	ck_assert_uint_eq(c->global.metrics_port, 9100);
	ck_assert_str_eq(c->global.control_socket, "/tmp/c.sock");
	ck_assert_uint_eq(c->global.drain_timeout_ms, 2500);
	ck_assert_int_eq(c->global.src.line, 1);
	conf_free(c);
}
END_TEST

START_TEST(test_instance_defaults)
{
	struct conf *c = load_ok("\n" VI_MIN("VI_1", 51));
	const struct conf_vrrp_instance *vi = c->vrrp_instances;

	ck_assert_ptr_nonnull(vi);
	ck_assert_ptr_null(vi->next);
	ck_assert_str_eq(vi->name, "VI_1");
	ck_assert_str_eq(vi->src.file, "t.conf");
	ck_assert_int_eq(vi->src.line, 2);
	ck_assert_uint_eq(vi->index, 0);
	ck_assert_uint_eq(vi->vrid, 51);
	ck_assert_str_eq(vi->interface, "eth0");
	ck_assert_uint_eq(vi->priority, 100);
	ck_assert_uint_eq(vi->advert_int_ms, 1000);
	ck_assert_uint_eq(vi->version, 2);		/* global_defs' default */
	ck_assert(!vi->initial_master);
	ck_assert(!vi->nopreempt);
	ck_assert_int_eq(vi->auth_type, CONF_AUTH_NONE);
	ck_assert_int_eq(vi->garp_master_delay_ms, 5000);
	ck_assert_int_eq(vi->garp_master_repeat, 5);
	ck_assert_int_eq(vi->garp_master_refresh_ms, 0);
	ck_assert_int_eq(vi->garp_master_refresh_repeat, 1);
	ck_assert_uint_eq(vi->down_timer_adverts, 3);
	ck_assert_int_eq(vi->family, 0);
	ck_assert_uint_eq(vi->n_vips, 0);
	ck_assert_ptr_null(vi->sync_group);
	ck_assert_uint_eq(c->n_vrrp_instances, 1);
	ck_assert_ptr_eq(conf_find_instance(c, "VI_1"), vi);
	ck_assert_ptr_null(conf_find_instance(c, "VI_2"));
	conf_free(c);
}
END_TEST

/* Instances take global_defs' VRRP settings unless they set their own. */
START_TEST(test_instance_inherits_globals)
{
	struct conf *c = load_ok("global_defs {\n vrrp_version 3\n vrrp_garp_master_delay 2\n"
	    " vrrp_garp_master_repeat 3\n vrrp_garp_master_refresh 60\n"
	    " vrrp_garp_master_refresh_repeat 2\n vrrp_lower_prio_no_advert\n"
	    " vrrp_higher_prio_send_advert\n v3_checksum_as_v2\n}\n"
	    VI_MIN("A", 1)
	    "vrrp_instance B {\n interface eth0\n virtual_router_id 2\n version 2\n"
	    " garp_master_delay 1\n garp_master_repeat 7\n garp_master_refresh 0\n"
	    " garp_master_refresh_repeat 9\n}\n");
	const struct conf_vrrp_instance *a = conf_find_instance(c, "A");
	const struct conf_vrrp_instance *b = conf_find_instance(c, "B");

	ck_assert_uint_eq(a->version, 3);
	ck_assert_int_eq(a->garp_master_delay_ms, 2000);
	ck_assert_int_eq(a->garp_master_repeat, 3);
	ck_assert_int_eq(a->garp_master_refresh_ms, 60000);
	ck_assert_int_eq(a->garp_master_refresh_repeat, 2);
	ck_assert(a->lower_prio_no_advert);
	ck_assert(a->higher_prio_send_advert);
	ck_assert(a->v3_checksum_as_v2);
	ck_assert_uint_eq(b->version, 2);
	ck_assert_int_eq(b->garp_master_delay_ms, 1000);
	ck_assert_int_eq(b->garp_master_repeat, 7);
	ck_assert_int_eq(b->garp_master_refresh_ms, 0);	/* 0 given is kept */
	ck_assert_int_eq(b->garp_master_refresh_repeat, 9);
	ck_assert_uint_eq(a->index, 0);
	ck_assert_uint_eq(b->index, 1);
	conf_free(c);
}
END_TEST

/* vrrp_min_garp: one GARP, sent at once. */
START_TEST(test_min_garp)
{
	struct conf *c = load_ok("global_defs {\n vrrp_min_garp\n}\n" VI_MIN("A", 1));

	ck_assert_int_eq(c->vrrp_instances->garp_master_repeat, 1);
	ck_assert_int_eq(c->vrrp_instances->garp_master_delay_ms, 0);
	conf_free(c);
}
END_TEST

START_TEST(test_vip_details)
{
	struct conf *c = load_ok("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	    " virtual_ipaddress {\n"
	    "  192.0.2.1/24 brd 192.0.2.255 dev eth1 label eth1:v scope link\n"
	    "  192.0.2.2 no_track\n }\n virtual_ipaddress_excluded {\n  2001:db8::1/64\n }\n"
	    " unicast_src_ip 192.0.2.10\n unicast_peer {\n  192.0.2.11\n  192.0.2.12\n }\n}\n");
	const struct conf_vrrp_instance *vi = c->vrrp_instances;
	const struct conf_vip *v = vi->vips;
	char buf[ADDR_STRLEN];

	ck_assert_uint_eq(vi->n_vips, 2);
	ck_assert_int_eq(vi->family, AF_INET);
	ck_assert_str_eq(ntop(&v->addr, buf), "192.0.2.1/24");
	ck_assert_str_eq(ntop(&v->brd, buf), "192.0.2.255");
	ck_assert_str_eq(v->dev, "eth1");
	ck_assert_str_eq(v->label, "eth1:v");
	ck_assert_int_eq(v->scope, RT_SCOPE_LINK);
	ck_assert(!v->no_track);
	ck_assert_int_eq(v->src.line, 5);
	v = v->next;
	ck_assert_str_eq(ntop(&v->addr, buf), "192.0.2.2");
	ck_assert_int_eq(v->scope, RT_SCOPE_UNIVERSE);
	ck_assert_ptr_null(v->dev);
	ck_assert(v->no_track);
	ck_assert_ptr_null(v->next);
	ck_assert_uint_eq(vi->n_vips_excluded, 1);
	ck_assert_str_eq(ntop(&vi->vips_excluded->addr, buf), "2001:db8::1/64");
	ck_assert_uint_eq(vi->n_unicast_peers, 2);
	ck_assert_str_eq(ntop(&vi->unicast_peers->addr, buf), "192.0.2.11");
	ck_assert_str_eq(ntop(&vi->unicast_peers->next->addr, buf), "192.0.2.12");
	ck_assert_str_eq(ntop(&vi->unicast_src, buf), "192.0.2.10");
	conf_free(c);
}
END_TEST

START_TEST(test_vrrp_script_defaults)
{
	struct conf *c = load_ok("vrrp_script a {\n script /bin/true\n}\n"
	    "vrrp_script b {\n script /bin/true\n interval 3\n}\n"
	    "vrrp_script c {\n script /bin/true\n interval 3\n timeout 1\n weight -5 reverse\n"
	    " rise 2\n fall 4\n}\n");
	const struct conf_vrrp_script *a = conf_find_script(c, "a");
	const struct conf_vrrp_script *b = conf_find_script(c, "b");
	const struct conf_vrrp_script *s = conf_find_script(c, "c");

	ck_assert_uint_eq(a->interval_ms, 1000);
	ck_assert_uint_eq(a->timeout_ms, 1000);		/* the interval */
	ck_assert_uint_eq(a->rise, 1);
	ck_assert_uint_eq(a->fall, 1);
	ck_assert_int_eq(a->weight, 0);
	ck_assert(!a->used);
	ck_assert_uint_eq(b->timeout_ms, 3000);
	ck_assert_uint_eq(s->timeout_ms, 1000);
	ck_assert_int_eq(s->weight, -5);
	ck_assert(s->weight_reverse);
	ck_assert_uint_eq(s->rise, 2);
	ck_assert_uint_eq(s->fall, 4);
	ck_assert_ptr_null(conf_find_script(c, "d"));
	conf_free(c);
}
END_TEST

START_TEST(test_tracking_resolved)
{
	struct conf *c = load_ok("vrrp_script chk {\n script /bin/true\n weight 10\n}\n"
	    "vrrp_script unused {\n script /bin/true\n}\n"
	    "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	    " track_script {\n  chk\n  chk weight -20 reverse\n }\n"
	    " track_interface {\n  eth1 weight 5\n }\n}\n"
	    VI_MIN("B", 2)
	    "vrrp_sync_group G {\n group {\n  A\n  B\n }\n notify_master \"/bin/n m\"\n}\n");
	const struct conf_vrrp_instance *a = conf_find_instance(c, "A");
	const struct conf_vrrp_instance *b = conf_find_instance(c, "B");
	const struct conf_track_script *t = a->track_scripts;

	ck_assert_ptr_eq(t->script, conf_find_script(c, "chk"));
	ck_assert(!t->has_weight);
	ck_assert(t->next->has_weight);
	ck_assert_int_eq(t->next->weight, -20);
	ck_assert(t->next->reverse);
	ck_assert(conf_find_script(c, "chk")->used);
	ck_assert(!conf_find_script(c, "unused")->used);
	ck_assert_str_eq(a->track_ifs->ifname, "eth1");
	ck_assert_int_eq(a->track_ifs->weight, 5);
	ck_assert_ptr_eq(a->sync_group, c->sync_groups);
	ck_assert_ptr_eq(b->sync_group, c->sync_groups);
	ck_assert_str_eq(c->sync_groups->name, "G");
	ck_assert_str_eq(c->sync_groups->notify.master, "/bin/n m");
	conf_free(c);
}
END_TEST

START_TEST(test_server_defaults)
{
	struct conf *c = load_ok("virtual_server 192.0.2.100 80 {\n" RS_EMPTY "}\n");
	const struct conf_virtual_server *vs = c->virtual_servers;
	const struct conf_real_server *rs = vs->servers;

	ck_assert_int_eq(vs->lb_kind, CONF_LB_L7);
	ck_assert_int_eq(vs->lb_algo, CONF_ALGO_WLC);
	ck_assert_uint_eq(vs->delay_loop_ms, 60000);
	ck_assert_uint_eq(vs->timeout_connect_ms, 5000);
	ck_assert_uint_eq(vs->timeout_client_ms, 30000);
	ck_assert_uint_eq(vs->timeout_server_ms, 30000);
	ck_assert_uint_eq(vs->timeout_tunnel_ms, 3600000);
	ck_assert_uint_eq(vs->retries, 3);
	ck_assert_uint_eq(vs->max_header_size, 16384);
	ck_assert_uint_eq(vs->quorum, 1);
	ck_assert_uint_eq(vs->persistence_timeout_ms, 0);
	ck_assert_int_eq(vs->cookie.mode, CONF_COOKIE_NONE);
	ck_assert_str_eq(vs->default_pool, "default");
	ck_assert_uint_eq(vs->n_servers, 1);
	ck_assert_uint_eq(rs->weight, 1);
	ck_assert_str_eq(rs->pool, "default");
	ck_assert_uint_eq(rs->error_limit, 10);
	ck_assert_uint_eq(rs->rise, 1);
	ck_assert_uint_eq(rs->fall, 1);
	ck_assert_uint_eq(rs->port, 8080);
	ck_assert_uint_eq(rs->n_checkers, 0);
	ck_assert_uint_eq(vs->timeout_queue_ms, 5000);	/* timeout_connect's */
	ck_assert_uint_eq(rs->maxconn, 0);
	ck_assert_uint_eq(rs->slowstart_ms, 0);
	conf_free(c);
}
END_TEST

/* timeout_queue follows timeout_connect unless set, in any order. */
START_TEST(test_queue_defaults)
{
	struct conf *c = load_ok("virtual_server 192.0.2.100 80 {\n timeout_connect 2s\n"
	    " real_server 192.0.2.1 80 {\n  maxconn 2\n  slowstart 1m\n }\n}\n"
	    "virtual_server 192.0.2.100 81 {\n timeout_queue 300ms\n timeout_connect 2s\n}\n");
	const struct conf_virtual_server *vs = c->virtual_servers;

	ck_assert_uint_eq(vs->timeout_queue_ms, 2000);
	ck_assert_uint_eq(vs->servers->maxconn, 2);
	ck_assert_uint_eq(vs->servers->slowstart_ms, 60000);
	ck_assert_uint_eq(vs->next->timeout_queue_ms, 300);
	conf_free(c);
}
END_TEST

START_TEST(test_persistence_values)
{
	struct conf *c = load_ok("virtual_server 192.0.2.100 80 {\n persistence_timeout\n"
	    " persistence cookie SRV insert indirect secure maxidle 30m maxlife 1h\n"
	    RS_EMPTY "}\nvirtual_server 192.0.2.100 81 {\n persistence_timeout 20\n}\n");
	const struct conf_virtual_server *vs = c->virtual_servers;

	ck_assert_uint_eq(vs->persistence_timeout_ms, 360000);	/* keepalived's default */
	ck_assert_int_eq(vs->cookie.mode, CONF_COOKIE_INSERT);
	ck_assert_str_eq(vs->cookie.name, "SRV");
	ck_assert(vs->cookie.indirect);
	ck_assert(vs->cookie.secure);
	ck_assert(!vs->cookie.nocache);
	ck_assert_uint_eq(vs->cookie.maxidle_ms, 1800000);
	ck_assert_uint_eq(vs->cookie.maxlife_ms, 3600000);
	ck_assert_uint_eq(vs->next->persistence_timeout_ms, 20000);
	conf_free(c);
}
END_TEST

/* Server and shared-state indexes: virtual servers by file order, real
 * servers daemon-wide. */
START_TEST(test_indexes)
{
	struct conf *c = load_ok("virtual_server 192.0.2.100 80 {\n"
	    " real_server 192.0.2.101 80 {\n }\n real_server 192.0.2.102 80 {\n }\n}\n"
	    "virtual_server 2001:db8::100 443 {\n real_server 2001:db8::101 443 {\n }\n}\n");
	const struct conf_virtual_server *a = c->virtual_servers, *b = a->next;

	ck_assert_uint_eq(c->n_virtual_servers, 2);
	ck_assert_uint_eq(c->n_real_servers, 3);
	ck_assert_uint_eq(a->index, 0);
	ck_assert_uint_eq(b->index, 1);
	ck_assert_uint_eq(a->servers->index, 0);
	ck_assert_uint_eq(a->servers->next->index, 1);
	ck_assert_uint_eq(b->servers->index, 2);
	ck_assert_int_eq(b->addr.family, AF_INET6);
	ck_assert_uint_eq(b->port, 443);
	ck_assert_int_eq(b->src.line, 7);
	conf_free(c);
}
END_TEST

/* Checker defaults per type (keepalived's). */
static const struct {
	const char		*block;
	enum conf_check_type	 type;
	int			 retry;
	uint32_t		 delay_before_retry_ms;
} checker_defaults[] = {
	{ "TCP_CHECK {\n }",				CONF_CHECK_TCP,  1, 1000 },
	{ "HTTP_GET {\n url {\n path /\n }\n }",	CONF_CHECK_HTTP, 1, 3000 },
	{ "SSL_GET {\n url {\n path /\n }\n }",		CONF_CHECK_SSL,  1, 3000 },
	{ "MISC_CHECK {\n misc_path /bin/true\n }",	CONF_CHECK_MISC, 0, 1000 },
};

START_TEST(test_checker_defaults)
{
	char text[512];
	struct conf *c;
	const struct conf_checker *k;

	snprintf(text, sizeof(text), "virtual_server 192.0.2.100 80 {\n"
	    " real_server 192.0.2.101 80 {\n %s\n }\n}\n", checker_defaults[_i].block);
	c = load_ok(text);
	k = c->virtual_servers->servers->checkers;
	ck_assert_ptr_nonnull(k);
	ck_assert_uint_eq(c->virtual_servers->servers->n_checkers, 1);
	ck_assert_int_eq(k->type, checker_defaults[_i].type);
	ck_assert_int_eq(k->retry, checker_defaults[_i].retry);
	ck_assert_uint_eq(k->delay_before_retry_ms, checker_defaults[_i].delay_before_retry_ms);
	ck_assert_uint_eq(k->connect_timeout_ms, 5000);
	ck_assert_uint_eq(k->delay_loop_ms, 60000);	/* the virtual server's default */
	ck_assert(!addr_is_set(&k->connect_ip));
	ck_assert_uint_eq(k->connect_port, 0);
	ck_assert_int_eq(k->src.line, 3);
	if (k->type == CONF_CHECK_HTTP || k->type == CONF_CHECK_SSL) {
		ck_assert_int_eq(k->http_protocol, CONF_HTTP_10);
		ck_assert_str_eq(k->urls->path, "/");
		ck_assert_uint_eq(k->urls->n_status, 1);	/* 200-299 */
		ck_assert_uint_eq(k->urls->status[0].lo, 200);
		ck_assert_uint_eq(k->urls->status[0].hi, 299);
	}
	if (k->type == CONF_CHECK_MISC)
		ck_assert_uint_eq(k->misc_timeout_ms, 60000);	/* the delay_loop */
	conf_free(c);
}
END_TEST

START_TEST(test_checker_values)
{
	struct conf *c = load_ok("virtual_server 192.0.2.100 80 {\n"
	    " real_server 192.0.2.101 80 {\n"
	    "  HTTP_GET {\n   url {\n    path /a\n    status_code 200 301-308,404\n"
	    "    digest 9e107d9d372bb6826bd81d3542a419d6\n   }\n"
	    "   url {\n    path /b\n   }\n   connect_ip 192.0.2.50\n   connect_port 8081\n"
	    "   nb_get_retry 4\n   delay_before_retry 0\n   http_protocol 1.1\n  }\n }\n}\n");
	const struct conf_checker *k = c->virtual_servers->servers->checkers;
	const struct conf_url *u = k->urls;
	char buf[ADDR_STRLEN];

	ck_assert_uint_eq(u->n_status, 3);
	ck_assert_uint_eq(u->status[0].lo, 200);
	ck_assert_uint_eq(u->status[0].hi, 200);
	ck_assert_uint_eq(u->status[1].lo, 301);
	ck_assert_uint_eq(u->status[1].hi, 308);
	ck_assert_uint_eq(u->status[2].lo, 404);
	ck_assert(u->has_digest);
	ck_assert_uint_eq(u->digest[0], 0x9e);
	ck_assert_uint_eq(u->digest[15], 0xd6);
	ck_assert_str_eq(u->next->path, "/b");
	ck_assert(!u->next->has_digest);
	ck_assert_str_eq(ntop(&k->connect_ip, buf), "192.0.2.50");
	ck_assert_uint_eq(k->connect_port, 8081);
	ck_assert_int_eq(k->retry, 4);
	ck_assert(k->has_delay_before_retry);
	ck_assert_uint_eq(k->delay_before_retry_ms, 0);	/* 0 given is kept */
	ck_assert_int_eq(k->http_protocol, CONF_HTTP_11);
	conf_free(c);
}
END_TEST

/* Checkers take delay_loop and virtualhost from their virtual server;
 * misc_timeout defaults to the checker's delay_loop. */
START_TEST(test_checker_inherits)
{
	struct conf *c = load_ok("virtual_server 192.0.2.100 80 {\n delay_loop 2\n"
	    " virtualhost www.example.com\n"
	    " real_server 192.0.2.101 80 {\n"
	    "  TCP_CHECK {\n  }\n"
	    "  TCP_CHECK {\n   delay_loop 5\n  }\n"
	    "  MISC_CHECK {\n   misc_path /bin/true\n  }\n"
	    "  MISC_CHECK {\n   misc_path /bin/true\n   delay_loop 7\n  }\n"
	    "  MISC_CHECK {\n   misc_path /bin/true\n   misc_timeout 3\n  }\n"
	    "  HTTP_GET {\n   url {\n    path /\n   }\n  }\n"
	    "  HTTP_GET {\n   url {\n    path /\n   }\n   virtualhost own.example.com\n  }\n"
	    " }\n}\n");
	const struct conf_checker *k = c->virtual_servers->servers->checkers;
	static const uint32_t delay_loop[] = { 2000, 5000, 2000, 7000, 2000, 2000, 2000 };
	size_t i;

	ck_assert_uint_eq(c->virtual_servers->servers->n_checkers, NELEM(delay_loop));
	for (i = 0; i < NELEM(delay_loop); i++, k = k->next) {
		ck_assert_ptr_nonnull(k);
		ck_assert_uint_eq(k->delay_loop_ms, delay_loop[i]);
		if (i == 2)
			ck_assert_uint_eq(k->misc_timeout_ms, 2000);
		if (i == 3)
			ck_assert_uint_eq(k->misc_timeout_ms, 7000);
		if (i == 4)
			ck_assert_uint_eq(k->misc_timeout_ms, 3000);
		if (i == 5)
			ck_assert_str_eq(k->virtualhost, "www.example.com");
		if (i == 6)
			ck_assert_str_eq(k->virtualhost, "own.example.com");
	}
	ck_assert_ptr_null(k);
	conf_free(c);
}
END_TEST

START_TEST(test_route_values)
{
	struct conf *c = load_ok("virtual_server 192.0.2.100 80 {\n"
	    " http_route api {\n  host api.example.com *.example.org\n  path_prefix /v1/ /v2/\n"
	    "  path_regex ^/x\n  header X-Env ^prod$\n  cookie s v\n  method GET PATCH\n"
	    "  source 192.0.2.0/24\n  pool api\n }\n"
	    " http_route static { path_prefix /static/ pool static }\n"
	    " default_pool web\n"
	    " real_server 192.0.2.101 80 {\n  pool api\n }\n"
	    " real_server 192.0.2.102 80 {\n  pool static\n }\n"
	    " real_server 192.0.2.103 80 {\n  pool web\n }\n}\n");
	const struct conf_http_route *r = c->virtual_servers->routes;
	char buf[ADDR_STRLEN];

	ck_assert_str_eq(r->name, "api");
	ck_assert_str_eq(r->hosts->text, "api.example.com");
	ck_assert_str_eq(r->hosts->next->text, "*.example.org");
	ck_assert_str_eq(r->path_prefixes->next->text, "/v2/");
	ck_assert(r->has_path_regex);
	ck_assert_int_eq(regexec(&r->path_regex, "/x/y", 0, NULL, 0), 0);
	ck_assert_int_ne(regexec(&r->path_regex, "/y", 0, NULL, 0), 0);
	ck_assert_str_eq(r->header_name, "X-Env");
	ck_assert_int_eq(regexec(&r->header_regex, "prod", 0, NULL, 0), 0);
	ck_assert_str_eq(r->cookie_name, "s");
	ck_assert_str_eq(r->cookie_value, "v");
	ck_assert_uint_eq(r->methods, (1u << CONF_M_GET) | (1u << CONF_M_PATCH));
	ck_assert_str_eq(ntop(&r->sources->addr, buf), "192.0.2.0/24");
	ck_assert_str_eq(r->pool, "api");
	ck_assert_str_eq(r->next->name, "static");
	ck_assert_str_eq(r->next->path_prefixes->text, "/static/");
	ck_assert_str_eq(r->next->pool, "static");
	ck_assert_str_eq(c->virtual_servers->default_pool, "web");
	ck_assert_str_eq(conf_method_name(CONF_M_PATCH), "PATCH");
	conf_free(c);	/* frees the compiled regexes too (see the leak check) */
}
END_TEST

START_TEST(test_tls_route_values)
{
	struct conf *c = load_ok("virtual_server 192.0.2.100 443 {\n lb_kind NAT\n"
	    " tls_route a {\n  sni a.example.test *.w.example.test\n  pool a\n }\n"
	    " tls_route b { sni B.example.test pool b }\n"
	    " default_pool web\n"
	    " real_server 192.0.2.101 443 {\n  pool a\n }\n"
	    " real_server 192.0.2.102 443 {\n  pool b\n }\n"
	    " real_server 192.0.2.103 443 {\n  pool web\n }\n}\n");
	const struct conf_virtual_server *vs = c->virtual_servers;
	const struct conf_tls_route *r = vs->tls_routes;

	ck_assert_str_eq(r->name, "a");
	ck_assert_int_eq(r->src.line, 3);
	ck_assert_str_eq(r->snis->text, "a.example.test");
	ck_assert_str_eq(r->snis->next->text, "*.w.example.test");
	ck_assert_str_eq(r->pool, "a");
	ck_assert_str_eq(r->next->snis->text, "B.example.test");
	ck_assert_ptr_null(r->next->next);
	conf_free(c);
}
END_TEST

/* Checks that span blocks --------------------------------------------------------- */

struct cross_case {
	const char	*text;
	int		 line;		/* 0: loads */
	const char	*err;
	int		 src_line;
};

#define XOK(text)		{ text, 0, NULL, __LINE__ }
#define XBAD(text, line, err)	{ text, line, err, __LINE__ }

#define VI4(name, ifname, vrid, extra) \
	"vrrp_instance " name " {\n interface " ifname "\n virtual_router_id " #vrid "\n" \
	" virtual_ipaddress {\n  192.0.2." #vrid "/24\n }\n" extra "}\n"
#define VI6(name, ifname, vrid, extra) \
	"vrrp_instance " name " {\n interface " ifname "\n virtual_router_id " #vrid "\n" \
	" version 3\n virtual_ipaddress {\n  2001:db8::" #vrid "/64\n }\n" extra "}\n"
#define VS_WITH(extra) \
	"virtual_server 192.0.2.100 80 {\n" extra RS_EMPTY "}\n"

static const struct cross_case cross_cases[] = {
	/* (interface, VRID, family) is unique. */
	XBAD(VI4("A", "eth0", 51, "") "\n" VI4("B", "eth0", 51, ""), 9,
	    "vrrp_instance B: virtual_router_id 51 is already used on eth0 by A (line 1)"),
	XOK(VI4("A", "eth0", 51, "") VI4("B", "eth1", 51, "")),
	XOK(VI4("A", "eth0", 51, "") VI6("B", "eth0", 51, "")),
	XBAD(VI6("A", "eth0", 51, "") VI6("B", "eth0", 51, ""), 9,
	    "virtual_router_id 51 is already used on eth0 by A"),
	XBAD(VI_MIN("A", 7) VI_MIN("B", 7), 5, "virtual_router_id 7 is already used on eth0"),
	/* Address families and VRRP versions. */
	XBAD("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n version 3\n"
	    " virtual_ipaddress {\n  192.0.2.1\n  2001:db8::1\n }\n}\n", 7,
	    "vrrp_instance A: virtual_ipaddress mixes IPv4 and IPv6 (use one instance per family)"),
	XBAD("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	    " virtual_ipaddress {\n  2001:db8::1\n }\n}\n", 1,
	    "vrrp_instance A: VRRP version 2 is IPv4 only (RFC 3768); set 'version 3'"),
	XBAD("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n version 2\n"
	    " virtual_ipaddress {\n  2001:db8::1\n }\n}\n", 1, "VRRP version 2 is IPv4 only"),
	XOK("global_defs {\n vrrp_version 3\n}\nvrrp_instance A {\n interface eth0\n"
	    " virtual_router_id 1\n virtual_ipaddress {\n  2001:db8::1\n }\n}\n"),
	XBAD("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n advert_int 1.5\n}\n", 1,
	    "vrrp_instance A: advert_int must be whole seconds 1..255 with version 2 "
	    "(RFC 3768 5.3.7)"),
	XBAD("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n advert_int 500ms\n}\n", 1,
	    "advert_int must be whole seconds"),
	XOK("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n advert_int 255\n}\n"),
	XBAD("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n version 3\n"
	    " advert_int 0.015\n}\n", 1, "vrrp_instance A: advert_int must be a multiple of 0.01 s "
	    "up to 40.95 s with version 3 (RFC 5798 5.2.7)"),
	XBAD("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n version 3\n"
	    " advert_int 41\n}\n", 1, "advert_int must be a multiple of 0.01 s up to 40.95 s"),
	XOK("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n version 3\n"
	    " advert_int 0.01\n}\n"),
	XOK("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n version 3\n"
	    " advert_int 40.95\n}\n"),
	XBAD("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n version 3\n"
	    " authentication {\n  auth_type PASS\n  auth_pass x\n }\n}\n", 1,
	    "vrrp_instance A: authentication does not exist in VRRP version 3 (RFC 5798)"),
	XBAD("global_defs {\n vrrp_version 3\n}\nvrrp_instance A {\n interface eth0\n"
	    " virtual_router_id 1\n authentication {\n  auth_type PASS\n  auth_pass x\n }\n}\n", 4,
	    "authentication does not exist in VRRP version 3"),
	XOK("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	    " authentication {\n  auth_type PASS\n  auth_pass x\n }\n}\n"),
	/* Names that must resolve. */
	XBAD(VI4("A", "eth0", 1, " track_script {\n  chk_nope\n }\n"), 8,
	    "track_script: no vrrp_script named 'chk_nope'"),
	XBAD(VI_MIN("A", 1) "vrrp_sync_group G {\n group {\n  A\n  Z\n }\n}\n", 8,
	    "vrrp_sync_group G: no vrrp_instance named 'Z'"),
	XBAD(VI_MIN("A", 1) "vrrp_sync_group G1 {\n group {\n  A\n }\n}\n"
	    "vrrp_sync_group G2 {\n group {\n  A\n }\n}\n", 12,
	    "vrrp_sync_group G2: 'A' is already in group G1"),
	XBAD(VS_WITH(" http_route api {\n  pool api\n }\n"), 2,
	    "http_route api: no real_server has 'pool api'"),
	XBAD(VS_WITH(" default_pool web\n"), 1, "default_pool: no real_server has 'pool web'"),
	XBAD(VS_WITH(" lb_kind NAT\n http_route api {\n  pool default\n }\n"), 3,
	    "http_route: needs 'lb_kind L7' (this virtual_server proxies TCP)"),
	XBAD(VS_WITH(" http_route api {\n  pool default\n }\n lb_kind NAT\n"), 2,
	    "http_route: needs 'lb_kind L7'"),
	XBAD(VS_WITH(" tls_route a {\n  sni a.example.test\n  pool default\n }\n"), 2,
	    "tls_route: needs 'lb_kind NAT' (this virtual_server proxies HTTP"),
	XBAD(VS_WITH(" lb_kind NAT\n tls_route a {\n  sni a.example.test\n  pool a\n }\n"), 3,
	    "tls_route a: no real_server has 'pool a'"),
	XBAD(VS_WITH(" lb_kind NAT\n tls_route a {\n  pool default\n }\n"), 3,
	    "tls_route a: missing 'sni'"),
	XBAD(VS_WITH(" lb_kind NAT\n tls_route a {\n  sni a.test\n }\n"), 3,
	    "tls_route a: missing 'pool'"),
	XBAD(VS_WITH(" lb_kind NAT\n tls_route a {\n  sni a.*.test\n  pool default\n }\n"), 4,
	    "sni: 'a.*.test': a wildcard is only allowed as a leading '*.'"),
	XBAD(VS_WITH(" lb_kind NAT\n tls_route a {\n  sni *test\n  pool default\n }\n"), 4,
	    "sni: '*test': a wildcard is only allowed as a leading '*.'"),
	XBAD(VS_WITH(" lb_kind NAT\n tls_route a { sni a.test pool default }\n"
	    " tls_route a { sni b.test pool default }\n"), 4,
	    "tls_route: 'a' is defined twice in this virtual_server (first on line 3)"),
	XOK(VS_WITH(" lb_kind NAT\n tls_route a {\n  sni a.test *.b.test\n  pool default\n }\n")),
	/* Duplicates. */
	XBAD(VS_WITH(RS_EMPTY), 4,
	    "real_server 192.0.2.101 8080: defined twice in this virtual_server (first on line 2)"),
	XOK(VS_WITH(" real_server 192.0.2.101 8081 {\n }\n")),
	XBAD(VS_WITH("") "\n" VS_WITH(""), 6,
	    "virtual_server: this address and port are already used by the virtual_server on "
	    "line 1"),
	XBAD("virtual_server 2001:db8::1 443 {\n}\nvirtual_server 2001:db8:0::1 443 {\n}\n", 3,
	    "already used by the virtual_server on line 1"),
	XOK(VS_WITH("") "virtual_server 192.0.2.100 81 {\n}\nvirtual_server 192.0.2.101 80 {\n}\n"),
	/* What a proxy cannot do, said plainly. */
	XBAD(VS_WITH(" lb_kind DR\n"), 2, "use NAT (TCP proxy) or L7 (HTTP)"),
	XBAD(VS_WITH(" lb_kind TUN\n"), 2, "use NAT (TCP proxy) or L7 (HTTP)"),
	XBAD(VS_WITH(" lvs_method dr\n"), 2, "lvs_method: dr is not supported"),
	XBAD(VI_MIN("A", 1) "vrrp_instance B {\n interface eth0\n virtual_router_id 2\n"
	    " state MASTER\n nopreempt\n}\n", 5, "vrrp_instance B: nopreempt needs 'state BACKUP'"),	/* sticky_sync. */
	XOK(SYNC_WITH(" listen 2001:db8::11 7400\n peer 2001:db8::12 7400\n")),
	XBAD(SYNC_WITH(" listen 192.0.2.11 7400\n"), 1, "sticky_sync: missing 'peer'"),
	XBAD("sticky_sync {\n listen 192.0.2.11 7400\n peer 192.0.2.12 7400\n}\n", 1,
	    "sticky_sync: missing 'secret' or 'secret_file'"),
	XBAD(SYNC_WITH(" listen 0.0.0.0 7400\n peer 192.0.2.12 7400\n"), 3,
	    "listen: '0.0.0.0': give the node's own address, not a wildcard"),
	XBAD(SYNC_WITH(" listen 192.0.2.11 7400\n peer 2001:db8::12 7400\n"), 1,
	    "sticky_sync: 'listen' and 'peer' must be of one address family"),
	XBAD(SYNC_WITH(" listen 192.0.2.11 7400\n peer 192.0.2.11 7400\n"), 1,
	    "sticky_sync: 'peer' is this node's own 'listen'"),
	XBAD(SYNC_WITH(" listen 192.0.2.11 0\n peer 192.0.2.12 7400\n"), 3, "listen: '0' is not a port"),
	XBAD("sticky_sync {\n secret 0123456789abcde\n listen 192.0.2.11 7400\n"
	    " peer 192.0.2.12 7400\n}\n", 2, "secret: the secret must be 16 to 1024 bytes long, not 15"),
	XBAD(SYNC_WITH(" secret_file /nonexistent/secret\n listen 192.0.2.11 7400\n"
	    " peer 192.0.2.12 7400\n"), 3, "secret_file: '/nonexistent/secret': No such file"),
	XBAD(SYNC_WITH(" secret_file /dev/null\n listen 192.0.2.11 7400\n"
	    " peer 192.0.2.12 7400\n"), 3, "secret_file: the secret is given twice"),
};

/* sticky_sync: the values, the secret from a file (its first line). */
START_TEST(test_sticky_sync_values)
{
	char path[] = "/tmp/kl7_test_conf_secret.XXXXXX", text[512], buf[ADDR_STRLEN];
	int fd = mkstemp(path);
	struct conf *c;
	json_object *j;
	const char *dump;

	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, "a secret of 22 bytes..\nsecond line\n", 35), 35);
	close(fd);
	snprintf(text, sizeof(text), "sticky_sync {\n listen 192.0.2.11 7400\n"
	    " peer 192.0.2.12 7401\n secret_file %s\n}\n", path);
	c = load_ok(text);
	unlink(path);
	ck_assert(c->sticky_sync.enabled);
	ck_assert_str_eq(ntop(&c->sticky_sync.listen_addr, buf), "192.0.2.11");
	ck_assert_uint_eq(c->sticky_sync.listen_port, 7400);
	ck_assert_str_eq(ntop(&c->sticky_sync.peer_addr, buf), "192.0.2.12");
	ck_assert_uint_eq(c->sticky_sync.peer_port, 7401);
	ck_assert_str_eq(c->sticky_sync.secret, "a secret of 22 bytes..");
	ck_assert_uint_eq(c->sticky_sync.secret_len, 22);
	/* --dump-conf shows the link, never the secret. */
	j = conf_to_json(c);
	dump = json_object_to_json_string(j);
	ck_assert_ptr_nonnull(strstr(dump, "\"peer\": \"192.0.2.12:7401\""));
	ck_assert_ptr_nonnull(strstr(dump, "\"secret_bytes\": 22"));
	ck_assert_ptr_null(strstr(dump, "a secret of"));
	json_object_put(j);
	conf_free(c);
	c = load_ok("");
	ck_assert(!c->sticky_sync.enabled);
	conf_free(c);
}
END_TEST

START_TEST(test_cross)
{
	const struct cross_case *x = &cross_cases[_i];
	struct conf_errors errs;
	struct conf *c = conf_load_string("t.conf", x->text, NULL, &errs);
	char prefix[32];

	if (x->line == 0) {
		ck_assert_msg(c != NULL, "case at test_conf.c:%d: %s", x->src_line,
		    errs.n > 0 ? errs.msg[0] : "");
		conf_free(c);
		return;
	}
	ck_assert_msg(c == NULL, "case at test_conf.c:%d: loaded", x->src_line);
	/* Exactly one error: a cross-check does not cascade. */
	ck_assert_msg(errs.n == 1, "case at test_conf.c:%d: %d errors, the first: %s", x->src_line,
	    errs.n, errs.msg[0]);
	snprintf(prefix, sizeof(prefix), "t.conf:%d: ", x->line);
	ck_assert_msg(strncmp(errs.msg[0], prefix, strlen(prefix)) == 0 &&
	    strstr(errs.msg[0], x->err) != NULL,
	    "case at test_conf.c:%d: expected '%s%s', got '%s'",
	    x->src_line, prefix, x->err, errs.msg[0]);
	conf_errors_free(&errs);
}
END_TEST

/* IPVS schedulers a proxy does not implement are refused by name. */
static const char *const ipvs_only[] = {
	"lblc", "lblcr", "dh", "sed", "nq", "mh", "fo", "ovf", "twos",
};

START_TEST(test_ipvs_scheduler)
{
	char text[256], want[128];
	struct conf_errors errs;

	snprintf(text, sizeof(text), VS_WITH(" lb_algo %s\n"), ipvs_only[_i]);
	ck_assert_ptr_null(conf_load_string("t.conf", text, NULL, &errs));
	ck_assert_int_eq(errs.n, 1);
	snprintf(want, sizeof(want), "t.conf:2: lb_algo: '%s' is an IPVS scheduler that is not "
	    "implemented", ipvs_only[_i]);
	ck_assert_msg(strncmp(errs.msg[0], want, strlen(want)) == 0, "got '%s'", errs.msg[0]);
	conf_errors_free(&errs);
}
END_TEST

/* Twenty mistakes ---------------------------------------------------------------- */

static const struct {
	int		 line;
	const char	*err;
} twenty[] = {
	{ 9,	"vrrp_version: 4 is out of range 2..3" },
	{ 11,	"unknown keyword 'router_idd' in global_defs" },
	{ 13,	"control_socket: 'run/kl7.sock' must be an absolute path" },
	{ 15,	"smtp_server: not supported" },
	{ 19,	"missing-file.conf: No such file or directory" },
	{ 22,	"'$IFACE=eth0': $NAME=value parameters are not supported" },
	{ 27,	"interval: 'often' is not a duration" },
	{ 31,	"vrrp_sync_group: expected '{' to open its block" },
	{ 37,	"priority: 300 is out of range 1..255" },
	{ 39,	"virtual_router_id: given twice (first on line 35)" },
	{ 42,	"virtual_ipaddress: '192.0.2.300/24' is not an address" },
	{ 46,	"track_script: no vrrp_script named 'chk_db'" },
	{ 49,	"use_vmac: not supported" },
	{ 54,	"lb_kind: DR is not supported" },
	{ 56,	"lb_algo: 'sed' is an IPVS scheduler" },
	{ 58,	"http_route api: no real_server has 'pool api'" },
	{ 64,	"weight: '-1' must not be negative" },
	{ 67,	"connect_port: '70000' is not a port" },
	{ 73,	"status_code: '99' is not a status" },
	{ 80,	"vrrp_script: block is never closed (missing '}')" },
};

START_TEST(test_twenty_mistakes)
{
	char path[4096];
	struct conf_errors errs;
	bool used[NELEM(twenty)] = { false };
	int i;
	size_t j;

	snprintf(path, sizeof(path), "%s/test/unit/configs/twenty_mistakes.conf", test_srcdir());
	ck_assert_msg(access(path, R_OK) == 0, "%s: not readable (set KL7_TOP_SRCDIR)", path);
	ck_assert_ptr_null(conf_load(path, NULL, &errs));
	ck_assert_int_eq(errs.n, (int)NELEM(twenty));
	/* Each error is one of the expected, each expected is found once. */
	for (i = 0; i < errs.n; i++) {
		const char *m = errs.msg[i];
		char *end;
		long line;

		ck_assert_msg(strncmp(m, path, strlen(path)) == 0 && m[strlen(path)] == ':',
		    "error does not name the file: %s", m);
		line = strtol(m + strlen(path) + 1, &end, 10);
		ck_assert_msg(end[0] == ':' && end[1] == ' ', "no line number: %s", m);
		for (j = 0; j < NELEM(twenty); j++)
			if (twenty[j].line == line)
				break;
		ck_assert_msg(j < NELEM(twenty), "unexpected error: %s", m);
		ck_assert_msg(!used[j], "two errors on line %ld: %s", line, m);
		ck_assert_msg(strstr(end, twenty[j].err) != NULL,
		    "line %ld: expected '%s', got '%s'",
		    line, twenty[j].err, m);
		used[j] = true;
	}
	conf_errors_free(&errs);
}
END_TEST

/* JSON ------------------------------------------------------------------------------ */

static const char json_conf[] =
    "global_defs {\n router_id lb1\n vrrp_version 3\n}\n"		/* 1 */
    "vrrp_script chk {\n script /bin/true\n weight 10\n}\n"		/* 5 */
    "vrrp_instance VI_1 {\n state MASTER\n interface eth0\n"		/* 9 */
    " virtual_router_id 51\n priority 150\n advert_int 0.5\n"
    " virtual_ipaddress {\n  192.0.2.1/24\n }\n"
    " track_script {\n  chk\n }\n}\n"
    "vrrp_sync_group G {\n group {\n  VI_1\n }\n}\n"			/* 22 */
    "virtual_server 192.0.2.100 80 {\n delay_loop 2\n"			/* 27 */
    " http_route api { path_prefix /v1/ method GET pool api }\n"
    " real_server 192.0.2.101 8080 {\n  pool api\n  weight 3\n"
    "  HTTP_GET { url { path /healthz } }\n }\n}\n"
    "virtual_server 2001:db8::100 443 {\n lb_kind NAT\n lb_algo rr\n}\n";	/* 36 */

/* o's member at a path of keys and array indexes ("#N"). */
static json_object *
jget(json_object *o, const char *const *path)
{
	for (; *path != NULL; path++) {
		ck_assert_ptr_nonnull(o);
		if ((*path)[0] == '#')
			o = json_object_array_get_idx(o, (size_t)atoi(*path + 1));
		else if (!json_object_object_get_ex(o, *path, &o))
			return NULL;
	}
	return o;
}

#define JPATH(...)	((const char *const[]){ __VA_ARGS__, NULL })

static void
jstr_eq(json_object *root, const char *const *path, const char *want)
{
	json_object *o = jget(root, path);

	ck_assert_msg(o != NULL && json_object_is_type(o, json_type_string),
	    "%s...: not a string", path[0]);
	ck_assert_str_eq(json_object_get_string(o), want);
}

static void
jnum_eq(json_object *root, const char *const *path, double want)
{
	json_object *o = jget(root, path);

	ck_assert_msg(o != NULL && (json_object_is_type(o, json_type_int) ||
	    json_object_is_type(o, json_type_double)), "%s...: not a number", path[0]);
	ck_assert_double_eq(json_object_get_double(o), want);
}

static void
jbool_eq(json_object *root, const char *const *path, bool want)
{
	json_object *o = jget(root, path);

	ck_assert_msg(o != NULL && json_object_is_type(o, json_type_boolean),
	    "%s...: not a boolean", path[0]);
	ck_assert_int_eq(json_object_get_boolean(o), want);
}

START_TEST(test_json)
{
	struct conf *c = load_ok(json_conf);
	json_object *model = conf_to_json(c), *j;
	const char *text;

	/* Through text and back, as a reader of --dump-conf would. */
	text = json_object_to_json_string_ext(model, JSON_C_TO_STRING_PLAIN);
	ck_assert_ptr_nonnull(text);
	j = json_tokener_parse(text);
	ck_assert_ptr_nonnull(j);
	ck_assert(json_object_equal(model, j));
	json_object_put(model);
	conf_free(c);

	jstr_eq(j, JPATH("file"), "t.conf");
	jstr_eq(j, JPATH("global_defs", "router_id"), "lb1");
	jnum_eq(j, JPATH("global_defs", "vrrp_version"), 3);
	jstr_eq(j, JPATH("global_defs", "vrrp_mcast_group4"), "224.0.0.18");
	jnum_eq(j, JPATH("global_defs", "drain_timeout"), 10);
	ck_assert_ptr_null(jget(j, JPATH("global_defs", "metrics_listen")));

	jstr_eq(j, JPATH("vrrp_script", "#0", "name"), "chk");
	jstr_eq(j, JPATH("vrrp_script", "#0", "defined_at"), "t.conf:5");
	jnum_eq(j, JPATH("vrrp_script", "#0", "interval"), 1);

	ck_assert_uint_eq(json_object_array_length(jget(j, JPATH("vrrp_instance"))), 1);
	jstr_eq(j, JPATH("vrrp_instance", "#0", "name"), "VI_1");
	jstr_eq(j, JPATH("vrrp_instance", "#0", "defined_at"), "t.conf:9");
	jstr_eq(j, JPATH("vrrp_instance", "#0", "state"), "MASTER");
	jnum_eq(j, JPATH("vrrp_instance", "#0", "virtual_router_id"), 51);
	jnum_eq(j, JPATH("vrrp_instance", "#0", "priority"), 150);
	jnum_eq(j, JPATH("vrrp_instance", "#0", "advert_int"), 0.5);
	jnum_eq(j, JPATH("vrrp_instance", "#0", "version"), 3);
	jstr_eq(j, JPATH("vrrp_instance", "#0", "auth_type"), "none");
	jstr_eq(j, JPATH("vrrp_instance", "#0", "virtual_ipaddress", "#0", "address"),
	    "192.0.2.1/24");
	jstr_eq(j, JPATH("vrrp_instance", "#0", "track", "scripts", "#0", "script"), "chk");
	/* A tracked script without its own weight shows the script's. */
	jnum_eq(j, JPATH("vrrp_instance", "#0", "track", "scripts", "#0", "weight"), 10);
	jnum_eq(j, JPATH("vrrp_instance", "#0", "garp_master_delay"), 5);
	jstr_eq(j, JPATH("vrrp_instance", "#0", "sync_group"), "G");
	jstr_eq(j, JPATH("vrrp_sync_group", "#0", "group", "#0"), "VI_1");

	jstr_eq(j, JPATH("virtual_server", "#0", "address"), "192.0.2.100:80");
	jstr_eq(j, JPATH("virtual_server", "#0", "defined_at"), "t.conf:27");
	jstr_eq(j, JPATH("virtual_server", "#0", "lb_kind"), "L7");
	jstr_eq(j, JPATH("virtual_server", "#0", "lb_algo"), "wlc");
	jnum_eq(j, JPATH("virtual_server", "#0", "delay_loop"), 2);
	jnum_eq(j, JPATH("virtual_server", "#0", "timeout_connect"), 5);
	jstr_eq(j, JPATH("virtual_server", "#0", "default_pool"), "default");
	jstr_eq(j, JPATH("virtual_server", "#0", "http_route", "#0", "name"), "api");
	jstr_eq(j, JPATH("virtual_server", "#0", "http_route", "#0", "path_prefix", "#0"), "/v1/");
	jstr_eq(j, JPATH("virtual_server", "#0", "http_route", "#0", "method", "#0"), "GET");
	jstr_eq(j, JPATH("virtual_server", "#0", "http_route", "#0", "pool"), "api");
	jstr_eq(j, JPATH("virtual_server", "#0", "real_server", "#0", "address"),
	    "192.0.2.101:8080");
	jstr_eq(j, JPATH("virtual_server", "#0", "real_server", "#0", "pool"), "api");
	jnum_eq(j, JPATH("virtual_server", "#0", "real_server", "#0", "weight"), 3);
	jstr_eq(j, JPATH("virtual_server", "#0", "real_server", "#0", "checkers", "#0", "type"),
	    "HTTP_GET");
	jnum_eq(j, JPATH("virtual_server", "#0", "real_server", "#0", "checkers", "#0",
	    "delay_loop"), 2);
	jnum_eq(j, JPATH("virtual_server", "#0", "real_server", "#0", "checkers", "#0",
	    "delay_before_retry"), 3);
	jstr_eq(j, JPATH("virtual_server", "#0", "real_server", "#0", "checkers", "#0", "url",
	    "#0", "path"), "/healthz");
	jstr_eq(j, JPATH("virtual_server", "#0", "real_server", "#0", "checkers", "#0", "url",
	    "#0", "status_code", "#0"), "200-299");
	jbool_eq(j, JPATH("virtual_server", "#0", "forwarded_for"), false);

	jstr_eq(j, JPATH("virtual_server", "#1", "address"), "[2001:db8::100]:443");
	jstr_eq(j, JPATH("virtual_server", "#1", "lb_kind"), "NAT");
	jstr_eq(j, JPATH("virtual_server", "#1", "lb_algo"), "rr");
	ck_assert_uint_eq(json_object_array_length(jget(j, JPATH("virtual_server", "#1",
	    "real_server"))), 0);
	json_object_put(j);
}
END_TEST

/* Odds and ends --------------------------------------------------------------------- */

START_TEST(test_free_and_errors)
{
	struct conf_errors errs;

	conf_free(NULL);
	ck_assert_ptr_null(conf_load_string("t.conf", "bogus\n", NULL, &errs));
	ck_assert_int_eq(errs.n, 1);
	ck_assert_str_eq(errs.msg[0], "t.conf:1: unknown keyword 'bogus' in the top level");
	conf_errors_free(&errs);
	ck_assert_int_eq(errs.n, 0);
	conf_errors_free(&errs);	/* twice is harmless */
}
END_TEST

START_TEST(test_default_id)
{
	char buf[256], host[256];
	const char *id = conf_default_id(buf, sizeof(buf));

	ck_assert_ptr_nonnull(id);
	ck_assert_ptr_null(strchr(id, '.'));
	ck_assert_int_eq(gethostname(host, sizeof(host)), 0);
	ck_assert(strncmp(host, id, strlen(id)) == 0);
	ck_assert(host[strlen(id)] == '\0' || host[strlen(id)] == '.');
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("conf");
	TCase *tc;

	tc = tcase_create("defaults");
	tcase_add_test(tc, test_global_defaults);
	tcase_add_test(tc, test_global_values);
	tcase_add_test(tc, test_instance_defaults);
	tcase_add_test(tc, test_instance_inherits_globals);
	tcase_add_test(tc, test_min_garp);
	tcase_add_test(tc, test_vip_details);
	tcase_add_test(tc, test_vrrp_script_defaults);
	tcase_add_test(tc, test_tracking_resolved);
	tcase_add_test(tc, test_server_defaults);
	tcase_add_test(tc, test_queue_defaults);
	tcase_add_test(tc, test_persistence_values);
	tcase_add_test(tc, test_indexes);
	tcase_add_loop_test(tc, test_checker_defaults, 0, NELEM(checker_defaults));
	tcase_add_test(tc, test_checker_values);
	tcase_add_test(tc, test_checker_inherits);
	tcase_add_test(tc, test_route_values);
	tcase_add_test(tc, test_tls_route_values);
	tcase_add_test(tc, test_sticky_sync_values);
	suite_add_tcase(s, tc);

	tc = tcase_create("cross");
	tcase_add_loop_test(tc, test_cross, 0, NELEM(cross_cases));
	tcase_add_loop_test(tc, test_ipvs_scheduler, 0, NELEM(ipvs_only));
	tcase_add_test(tc, test_twenty_mistakes);
	suite_add_tcase(s, tc);

	tc = tcase_create("output");
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_free_and_errors);
	tcase_add_test(tc, test_default_id);
	suite_add_tcase(s, tc);
	return s;
}
