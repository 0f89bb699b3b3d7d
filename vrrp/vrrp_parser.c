/* VRRP configuration: vrrp_script, vrrp_sync_group, vrrp_instance.
 * Keywords and meanings follow keepalived's; see keepalive-l7.conf(5). */
#include "config.h"

#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "vrrp/vrrp_parser.h"

#define VRRP_PRIO_OWNER		255	/* RFC 5798 5.2.4 */
#define VRRP_V2_ADVERT_MAX_S	255	/* RFC 3768 5.3.7: 8-bit seconds */
#define VRRP_V3_ADVERT_MAX_CS	4095	/* RFC 5798 5.2.7: 12-bit centiseconds */
#define VRRP_AUTH_PASS_MAX	8	/* RFC 2338 5.3.10 */

/* Shared readers ------------------------------------------------------------ */

/* "[weight W [reverse]]" from args[from]; weight within -253..253 as keepalived. */
static int
read_weight_opts(struct cfg_ctx *p, const struct cfg_stmt *st, int from,
    int *weight, bool *reverse, bool *has_weight)
{
	int i = from;

	if (i >= st->nargs)
		return 0;
	if (strcmp(st->args[i].s, "weight") != 0 || i + 1 >= st->nargs) {
		cfg_error(p, &st->args[i], "%s: expected 'weight N [reverse]' after the name, not '%s'",
		    st->kw->name, st->args[i].s);
		return -1;
	}
	if (cfg_read_int(p, st, &st->args[i + 1], -253, 253, weight) == -1)
		return -1;
	if (has_weight != NULL)
		*has_weight = true;
	i += 2;
	if (i < st->nargs && strcmp(st->args[i].s, "reverse") == 0) {
		*reverse = true;
		i++;
	}
	if (i < st->nargs) {
		cfg_error(p, &st->args[i], "%s: unexpected '%s'", st->kw->name, st->args[i].s);
		return -1;
	}
	return 0;
}

static void *
new_obj(struct cfg_ctx *p, size_t size, const struct cfg_stmt *st)
{
	struct { void *next; struct cfg_src src; } *o = arena_alloc(p->arena, size);

	o->src = cfg_src_of(st->key);
	return o;
}

/* vrrp_script ---------------------------------------------------------------- */

static int
script_weight(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_vrrp_script *s = obj;

	if (cfg_read_int(p, st, &st->args[0], -253, 253, &s->weight) == -1)
		return -1;
	if (st->nargs == 2) {
		if (strcmp(st->args[1].s, "reverse") != 0) {
			cfg_error(p, &st->args[1], "weight: expected 'reverse', not '%s'",
			    st->args[1].s);
			return -1;
		}
		s->weight_reverse = true;
	}
	return 0;
}

static int
script_user(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_vrrp_script *s = obj;

	s->user = st->args[0].s;
	return 0;
}

const struct cfg_kw vrrp_script_kws[] = {
	KW_SCRIPT("script", struct conf_vrrp_script, script),
	KW_MS("interval", struct conf_vrrp_script, interval_ms, 10, 3600000),
	KW_MS("timeout", struct conf_vrrp_script, timeout_ms, 10, 3600000),
	KW_FN("weight", 1, 2, script_weight),
	KW_UINT("rise", struct conf_vrrp_script, rise, 1, 65535),
	KW_UINT("fall", struct conf_vrrp_script, fall, 1, 65535),
	KW_FN("user", 1, 2, script_user),
	KW_FLAG("init_fail", struct conf_vrrp_script, init_fail),
	KW_END
};

void *
vrrp_script_open(struct cfg_ctx *p, const struct cfg_stmt *st, void *conf)
{
	struct conf *c = conf;
	struct conf_vrrp_script *s;

	if (conf_find_script(c, st->args[0].s) != NULL) {
		cfg_error(p, &st->args[0], "vrrp_script: '%s' is defined twice", st->args[0].s);
		return NULL;
	}
	s = new_obj(p, sizeof(*s), st);
	s->name = st->args[0].s;
	s->interval_ms = 1000;
	s->rise = 1;
	s->fall = 1;
	conf_list_append(&c->vrrp_scripts, s);
	return s;
}

void
vrrp_script_close(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_vrrp_script *s = obj;

	if (s->script == NULL)
		cfg_error(p, st->key, "vrrp_script %s: missing 'script'", s->name);
	if (s->timeout_ms == 0)
		s->timeout_ms = s->interval_ms;
}

/* Notify scripts, shared by instances and sync groups ------------------------- */

#define KW_NOTIFY(S) \
	KW_SCRIPT("notify_master", S, notify.master), \
	KW_SCRIPT("notify_backup", S, notify.backup), \
	KW_SCRIPT("notify_fault", S, notify.fault), \
	KW_SCRIPT("notify_stop", S, notify.stop), \
	KW_SCRIPT("notify", S, notify.any)

/* vrrp_sync_group ---------------------------------------------------------------- */

static int
group_member(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_sync_group *g = obj;
	int i;

	/* An item line may hold several names: `group { VI_1 VI_2 }`. */
	for (i = -1; i < st->nargs; i++) {
		const struct cfg_tok *t = i < 0 ? st->key : &st->args[i];
		struct conf_name_list *n = arena_alloc(p->arena, sizeof(*n));

		n->src = cfg_src_of(t);
		n->name = t->s;
		conf_list_append(&g->members, n);
	}
	return 0;
}

const struct cfg_kw vrrp_sync_group_kws[] = {
	{ .name = "group", .kind = CFG_LIST, .fn = group_member },
	KW_NOTIFY(struct conf_sync_group),
	KW_UNSUP("smtp_alert", "there is no SMTP client; use notify scripts"),
	KW_UNSUP("track_interface", "track interfaces in the member instances"),
	KW_UNSUP("track_script", "track scripts in the member instances"),
	KW_UNSUP("track_file", "track files are not implemented; use track_script"),
	KW_UNSUP("global_tracking", "track in the member instances"),
	KW_END
};

/* keepalived 1.x listed members directly in the block; keepalived 2 and
 * this daemon want them in `group { }`.  Say so instead of "unknown". */
int
vrrp_sync_group_bare_name(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	const struct conf_sync_group *g = obj;

	cfg_error(p, st->key, "vrrp_sync_group %s: '%s': instance names directly in the block "
	    "(keepalived 1.x syntax) are not supported: list them in 'group { }'", g->name,
	    st->key->s);
	return -1;
}

void *
vrrp_sync_group_open(struct cfg_ctx *p, const struct cfg_stmt *st, void *conf)
{
	struct conf *c = conf;
	struct conf_sync_group *g, *i;

	for (i = c->sync_groups; i != NULL; i = i->next)
		if (strcmp(i->name, st->args[0].s) == 0) {
			cfg_error(p, &st->args[0], "vrrp_sync_group: '%s' is defined twice",
			    st->args[0].s);
			return NULL;
		}
	g = new_obj(p, sizeof(*g), st);
	g->name = st->args[0].s;
	conf_list_append(&c->sync_groups, g);
	return g;
}

/* vrrp_instance --------------------------------------------------------------- */

static const struct cfg_enum vrrp_state_names[] = {
	{ "MASTER", 1 }, { "BACKUP", 0 }, { NULL, 0 },
};

static int
inst_state(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_vrrp_instance *vi = obj;
	int v;

	if (cfg_read_enum(p, st, &st->args[0], vrrp_state_names, &v) == -1)
		return -1;
	vi->initial_master = v != 0;
	return 0;
}

static int
inst_interface(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_vrrp_instance *vi = obj;

	if (strlen(st->args[0].s) >= IFNAMSIZ) {
		cfg_error(p, &st->args[0], "interface: '%s' is longer than %d characters",
		    st->args[0].s, IFNAMSIZ - 1);
		return -1;
	}
	vi->interface = st->args[0].s;
	return 0;
}

static const struct cfg_enum scope_names[] = {
	{ "global", RT_SCOPE_UNIVERSE }, { "universe", RT_SCOPE_UNIVERSE },
	{ "site", RT_SCOPE_SITE }, { "link", RT_SCOPE_LINK },
	{ "host", RT_SCOPE_HOST }, { "nowhere", RT_SCOPE_NOWHERE }, { NULL, 0 },
};

/* One VIP option: "brd X", "dev IF", "scope S", "label L", "no_track". */
static int
vip_option(struct cfg_ctx *p, const struct cfg_stmt *st, struct conf_vip *v, int *i)
{
	const char *opt = st->args[*i].s;
	const struct cfg_tok *val = *i + 1 < st->nargs ? &st->args[*i + 1] : NULL;

	if (strcmp(opt, "no_track") == 0) {
		v->no_track = true;
		return 0;
	}
	if (val == NULL) {
		cfg_error(p, &st->args[*i], "%s: '%s' needs a value", st->kw->name, opt);
		return -1;
	}
	(*i)++;
	if (strcmp(opt, "brd") == 0)
		return cfg_read_addr(p, st, val, &v->brd);
	if (strcmp(opt, "dev") == 0) {
		v->dev = val->s;
		return 0;
	}
	if (strcmp(opt, "label") == 0) {
		v->label = val->s;
		return 0;
	}
	if (strcmp(opt, "scope") == 0)
		return cfg_read_enum(p, st, val, scope_names, &v->scope);
	cfg_error(p, &st->args[*i - 1], "%s: unknown address option '%s'", st->kw->name, opt);
	return -1;
}

static int
vip_item(struct cfg_ctx *p, const struct cfg_stmt *st, struct conf_vip **list,
    unsigned *count)
{
	struct conf_vip *v = arena_alloc(p->arena, sizeof(*v));
	int i;

	v->src = cfg_src_of(st->key);
	v->scope = RT_SCOPE_UNIVERSE;
	if (addr_parse_prefix(st->key->s, &v->addr) == -1) {
		cfg_error(p, st->key, "%s: '%s' is not an address or ADDRESS/PREFIXLEN",
		    st->kw->name, st->key->s);
		return -1;
	}
	for (i = 0; i < st->nargs; i++)
		if (vip_option(p, st, v, &i) == -1)
			return -1;
	if (addr_is_set(&v->brd) && v->brd.family != v->addr.family) {
		cfg_error(p, st->key, "%s: brd is not of the address's family", st->kw->name);
		return -1;
	}
	conf_list_append(list, v);
	(*count)++;
	return 0;
}

static int
inst_vip(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_vrrp_instance *vi = obj;

	return vip_item(p, st, &vi->vips, &vi->n_vips);
}

static int
inst_vip_excluded(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_vrrp_instance *vi = obj;

	return vip_item(p, st, &vi->vips_excluded, &vi->n_vips_excluded);
}

static int
inst_unicast_peer(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_vrrp_instance *vi = obj;
	struct conf_addr_list *a = arena_alloc(p->arena, sizeof(*a));

	a->src = cfg_src_of(st->key);
	if (cfg_read_addr(p, st, st->key, &a->addr) == -1)
		return -1;
	if (st->nargs > 0) {
		cfg_error(p, &st->args[0], "unicast_peer: per-peer options ('%s') are not supported",
		    st->args[0].s);
		return -1;
	}
	conf_list_append(&vi->unicast_peers, a);
	vi->n_unicast_peers++;
	return 0;
}

static int
inst_track_if(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_vrrp_instance *vi = obj;
	struct conf_track_if *t = arena_alloc(p->arena, sizeof(*t));

	t->src = cfg_src_of(st->key);
	t->ifname = st->key->s;
	if (strlen(t->ifname) >= IFNAMSIZ) {
		cfg_error(p, st->key, "track_interface: '%s' is not an interface name", t->ifname);
		return -1;
	}
	if (read_weight_opts(p, st, 0, &t->weight, &t->reverse, NULL) == -1)
		return -1;
	conf_list_append(&vi->track_ifs, t);
	return 0;
}

static int
inst_track_script(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_vrrp_instance *vi = obj;
	struct conf_track_script *t = arena_alloc(p->arena, sizeof(*t));

	t->src = cfg_src_of(st->key);
	t->name = st->key->s;
	if (read_weight_opts(p, st, 0, &t->weight, &t->reverse, &t->has_weight) == -1)
		return -1;
	conf_list_append(&vi->track_scripts, t);
	return 0;
}

static const struct cfg_enum auth_type_names[] = {
	{ "PASS", CONF_AUTH_PASS }, { NULL, 0 },
};

static int
auth_type(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_vrrp_instance *vi = obj;
	int v;

	if (strcasecmp(st->args[0].s, "AH") == 0) {
		cfg_error(p, &st->args[0], "auth_type: AH is not supported (IPsec AH was "
		    "removed from VRRP by RFC 3768); use PASS or none");
		return -1;
	}
	if (cfg_read_enum(p, st, &st->args[0], auth_type_names, &v) == -1)
		return -1;
	vi->auth_type = (enum conf_auth)v;
	return 0;
}

static int
auth_pass(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_vrrp_instance *vi = obj;

	if (strlen(st->args[0].s) > VRRP_AUTH_PASS_MAX) {
		cfg_error(p, &st->args[0], "auth_pass: longer than %d characters (keepalived "
		    "silently cuts it; say what is sent)", VRRP_AUTH_PASS_MAX);
		return -1;
	}
	vi->auth_pass = st->args[0].s;
	return 0;
}

static const struct cfg_kw vrrp_auth_kws[] = {
	KW_FN("auth_type", 1, 1, auth_type),
	KW_FN("auth_pass", 1, 1, auth_pass),
	KW_END
};

#define VI struct conf_vrrp_instance
const struct cfg_kw vrrp_instance_kws[] = {
	KW_FN("state", 1, 1, inst_state),
	KW_FN("interface", 1, 1, inst_interface),
	KW_UINT("virtual_router_id", VI, vrid, 1, 255),
	KW_UINT("priority", VI, priority, 1, VRRP_PRIO_OWNER),
	KW_MS("advert_int", VI, advert_int_ms, 10, 255000),
	KW_UINT("version", VI, version, 2, 3),
	KW_FLAG("nopreempt", VI, nopreempt),
	KW_MS("preempt_delay", VI, preempt_delay_ms, 0, 1000000),
	{ .name = "authentication", .kind = CFG_BLOCK, .sub = vrrp_auth_kws },
	KW_ADDR("unicast_src_ip", VI, unicast_src),
	{ .name = "unicast_peer", .kind = CFG_LIST, .fn = inst_unicast_peer },
	KW_FLAG("unicast_fault_no_peer", VI, unicast_fault_no_peer),
	KW_ADDR("mcast_src_ip", VI, mcast_src),
	{ .name = "virtual_ipaddress", .kind = CFG_LIST, .fn = inst_vip },
	{ .name = "virtual_ipaddress_excluded", .kind = CFG_LIST, .fn = inst_vip_excluded },
	{ .name = "track_interface", .kind = CFG_LIST, .fn = inst_track_if },
	{ .name = "track_script", .kind = CFG_LIST, .fn = inst_track_script },
	KW_NOTIFY(VI),
	KW_MS("garp_master_delay", VI, garp_master_delay_ms, 0, 1000000),
	KW_UINT("garp_master_repeat", VI, garp_master_repeat, 1, 255),
	KW_MS("garp_master_refresh", VI, garp_master_refresh_ms, 0, 86400000),
	KW_UINT("garp_master_refresh_repeat", VI, garp_master_refresh_repeat, 1, 255),
	KW_MS("garp_lower_prio_delay", VI, garp_lower_prio_delay_ms, 0, 1000000),
	KW_UINT("garp_lower_prio_repeat", VI, garp_lower_prio_repeat, 0, 255),
	KW_BOOL("lower_prio_no_advert", VI, lower_prio_no_advert),
	KW_BOOL("higher_prio_send_advert", VI, higher_prio_send_advert),
	KW_FLAG("v3_checksum_as_v2", VI, v3_checksum_as_v2),
	KW_FLAG("dont_track_primary", VI, dont_track_primary),
	KW_UINT("down_timer_adverts", VI, down_timer_adverts, 1, 100),
	KW_UNSUP("use_vmac", "virtual MAC interfaces are not implemented; the VIP uses the "
	    "interface's MAC and GARPs announce it"),
	KW_UNSUP("vmac_xmit_base", "use_vmac is not implemented"),
	KW_UNSUP("use_ipvlan", "ipvlan interfaces are not implemented"),
	KW_UNSUP("smtp_alert", "there is no SMTP client; use notify scripts"),
	KW_UNSUP("virtual_routes", "routes are not managed; only addresses move"),
	KW_UNSUP("virtual_rules", "policy rules are not managed; only addresses move"),
	KW_UNSUP("track_file", "track files are not implemented; use track_script"),
	KW_UNSUP("track_process", "process tracking is not implemented; use track_script"),
	KW_UNSUP("track_bfd", "BFD is not implemented"),
	KW_UNSUP("strict_mode", "vrrp_strict firewall rules are not implemented"),
	KW_UNSUP("no_accept", "no_accept firewall rules are not implemented"),
	KW_UNSUP("auth_hmac", "HMAC authentication is not implemented"),
	KW_UNSUP("lvs_sync_daemon_interface", "an IPVS setting; keepalive-l7 proxies instead "
	    "of driving IPVS"),
	KW_END
};
#undef VI

void *
vrrp_instance_open(struct cfg_ctx *p, const struct cfg_stmt *st, void *conf)
{
	struct conf *c = conf;
	struct conf_vrrp_instance *vi;

	if (conf_find_instance(c, st->args[0].s) != NULL) {
		cfg_error(p, &st->args[0], "vrrp_instance: '%s' is defined twice", st->args[0].s);
		return NULL;
	}
	vi = new_obj(p, sizeof(*vi), st);
	vi->name = st->args[0].s;
	vi->index = c->n_vrrp_instances++;
	vi->priority = 100;
	vi->advert_int_ms = 1000;
	vi->garp_master_delay_ms = CONF_UNSET;
	vi->garp_master_repeat = CONF_UNSET;
	vi->garp_master_refresh_ms = CONF_UNSET;
	vi->garp_master_refresh_repeat = CONF_UNSET;
	vi->down_timer_adverts = 3;
	conf_list_append(&c->vrrp_instances, vi);
	return vi;
}

/* Checks of one instance ------------------------------------------------------- */

static int
vips_family(struct cfg_ctx *p, const struct conf_vrrp_instance *vi)
{
	const struct conf_vip *v;
	int family = 0;

	for (v = vi->vips; v != NULL; v = v->next) {
		if (family == 0)
			family = v->addr.family;
		else if (v->addr.family != family)
			cfg_error_src(p, &v->src, "vrrp_instance %s: virtual_ipaddress mixes IPv4 "
			    "and IPv6 (use one instance per family)", vi->name);
	}
	return family;
}

static void
check_unicast(struct cfg_ctx *p, const struct conf_vrrp_instance *vi)
{
	const struct conf_addr_list *a;

	for (a = vi->unicast_peers; a != NULL; a = a->next)
		if (vi->family != 0 && a->addr.family != vi->family)
			cfg_error_src(p, &a->src, "vrrp_instance %s: unicast_peer is not of the "
			    "VIPs' address family", vi->name);
	if (addr_is_set(&vi->unicast_src) && vi->family != 0 &&
	    vi->unicast_src.family != vi->family)
		cfg_error_src(p, &vi->src, "vrrp_instance %s: unicast_src_ip is not of the "
		    "VIPs' address family", vi->name);
	if (vi->unicast_fault_no_peer && vi->unicast_peers == NULL)
		cfg_error_src(p, &vi->src, "vrrp_instance %s: unicast_fault_no_peer without "
		    "unicast_peer", vi->name);
}

/* Version-dependent rules need the global default, so they run at validation. */
static void
check_version_rules(struct cfg_ctx *p, const struct conf_vrrp_instance *vi)
{
	if (vi->version == 2 && vi->family == AF_INET6)
		cfg_error_src(p, &vi->src, "vrrp_instance %s: VRRP version 2 is IPv4 only "
		    "(RFC 3768); set 'version 3'", vi->name);
	if (vi->version == 2 && (vi->advert_int_ms % 1000 != 0 ||
	    vi->advert_int_ms / 1000 > VRRP_V2_ADVERT_MAX_S))
		cfg_error_src(p, &vi->src, "vrrp_instance %s: advert_int must be whole seconds "
		    "1..255 with version 2 (RFC 3768 5.3.7)", vi->name);
	if (vi->version == 3 && (vi->advert_int_ms % 10 != 0 ||
	    vi->advert_int_ms / 10 > VRRP_V3_ADVERT_MAX_CS))
		cfg_error_src(p, &vi->src, "vrrp_instance %s: advert_int must be a multiple of "
		    "0.01 s up to 40.95 s with version 3 (RFC 5798 5.2.7)", vi->name);
	if (vi->version == 3 && vi->auth_type != CONF_AUTH_NONE)
		cfg_error_src(p, &vi->src, "vrrp_instance %s: authentication does not exist in "
		    "VRRP version 3 (RFC 5798)", vi->name);
}

void
vrrp_instance_close(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_vrrp_instance *vi = obj;

	if (vi->interface == NULL)
		cfg_error(p, st->key, "vrrp_instance %s: missing 'interface'", vi->name);
	if (vi->vrid == 0)
		cfg_error(p, st->key, "vrrp_instance %s: missing 'virtual_router_id'", vi->name);
	if (vi->nopreempt && vi->initial_master)
		cfg_error(p, st->key, "vrrp_instance %s: nopreempt needs 'state BACKUP'", vi->name);
	if (vi->auth_type == CONF_AUTH_PASS && vi->auth_pass == NULL)
		cfg_error(p, st->key, "vrrp_instance %s: auth_type PASS without auth_pass", vi->name);
	vi->family = vips_family(p, vi);
	check_unicast(p, vi);
}

/* Checks across instances ---------------------------------------------------------- */

static void
inherit_globals(const struct conf_global *g, struct conf_vrrp_instance *vi)
{
	if (vi->version == 0)
		vi->version = g->vrrp_version;
	if (vi->garp_master_delay_ms == CONF_UNSET)
		vi->garp_master_delay_ms = (int)g->garp_master_delay_ms;
	if (vi->garp_master_repeat == CONF_UNSET)
		vi->garp_master_repeat = g->vrrp_min_garp ? 1 : (int)g->garp_master_repeat;
	if (vi->garp_master_refresh_ms == CONF_UNSET)
		vi->garp_master_refresh_ms = (int)g->garp_master_refresh_ms;
	if (vi->garp_master_refresh_repeat == CONF_UNSET)
		vi->garp_master_refresh_repeat = (int)g->garp_master_refresh_repeat;
	if (g->vrrp_min_garp)
		vi->garp_master_delay_ms = 0;
	vi->lower_prio_no_advert |= g->lower_prio_no_advert;
	vi->higher_prio_send_advert |= g->higher_prio_send_advert;
	vi->v3_checksum_as_v2 |= g->v3_checksum_as_v2;
}

static void
check_unique_vrid(struct cfg_ctx *p, const struct conf *c, const struct conf_vrrp_instance *vi)
{
	const struct conf_vrrp_instance *o;

	for (o = c->vrrp_instances; o != vi; o = o->next)
		if (o->vrid == vi->vrid && o->vrid != 0 && o->family == vi->family &&
		    o->interface != NULL && vi->interface != NULL &&
		    strcmp(o->interface, vi->interface) == 0)
			cfg_error_src(p, &vi->src, "vrrp_instance %s: virtual_router_id %u is "
			    "already used on %s by %s (line %d)", vi->name, vi->vrid,
			    vi->interface, o->name, o->src.line);
}

static void
resolve_track_scripts(struct cfg_ctx *p, struct conf *c, struct conf_vrrp_instance *vi)
{
	struct conf_track_script *t;

	for (t = vi->track_scripts; t != NULL; t = t->next) {
		struct conf_vrrp_script *s;

		for (s = c->vrrp_scripts; s != NULL; s = s->next)
			if (strcmp(s->name, t->name) == 0)
				break;
		if (s == NULL) {
			cfg_error_src(p, &t->src, "track_script: no vrrp_script named '%s'", t->name);
			continue;
		}
		s->used = true;
		t->script = s;
	}
}

static void
resolve_sync_groups(struct cfg_ctx *p, struct conf *c)
{
	const struct conf_sync_group *g;
	const struct conf_name_list *m;

	for (g = c->sync_groups; g != NULL; g = g->next)
		for (m = g->members; m != NULL; m = m->next) {
			struct conf_vrrp_instance *vi =
			    (struct conf_vrrp_instance *)conf_find_instance(c, m->name);

			if (vi == NULL)
				cfg_error_src(p, &m->src, "vrrp_sync_group %s: no vrrp_instance "
				    "named '%s'", g->name, m->name);
			else if (vi->sync_group != NULL)
				cfg_error_src(p, &m->src, "vrrp_sync_group %s: '%s' is already in "
				    "group %s", g->name, m->name, vi->sync_group->name);
			else
				vi->sync_group = g;
		}
}

void
vrrp_conf_validate(struct cfg_ctx *p, struct conf *c)
{
	struct conf_vrrp_instance *vi;

	for (vi = c->vrrp_instances; vi != NULL; vi = vi->next) {
		inherit_globals(&c->global, vi);
		check_version_rules(p, vi);
		check_unique_vrid(p, c, vi);
		resolve_track_scripts(p, c, vi);
	}
	resolve_sync_groups(p, c);
}
