/* The root of the grammar and the load/validate sequence.  See conf_load.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/arena.h"
#include "keepalive-l7/conf_load.h"
#include "keepalive-l7/options.h"
#include "vrrp/vrrp_parser.h"
#include "splice/sync_parser.h"
#include "splice/vs_parser.h"

static void *
global_open(struct cfg_ctx *p, const struct cfg_stmt *st, void *conf)
{
	struct conf *c = conf;

	c->global.src = cfg_src_of(st->key);
	return &c->global;
}

#define IPVS_WHY "an IPVS feature; give each virtual_server an address and port"
#define ROUTE_WHY "only virtual addresses are managed; configure the rest with the system's network tools"
const struct cfg_kw conf_root_kws[] = {
	{ .name = "global_defs", .kind = CFG_BLOCK, .open = global_open, .sub = conf_global_kws },
	{ .name = "vrrp_script", .kind = CFG_BLOCK, .min_args = 1, .max_args = 1, .repeat = true,
	  .open = vrrp_script_open, .close = vrrp_script_close, .sub = vrrp_script_kws },
	{ .name = "vrrp_sync_group", .kind = CFG_BLOCK, .min_args = 1, .max_args = 1,
	  .repeat = true, .open = vrrp_sync_group_open, .sub = vrrp_sync_group_kws,
	  .unknown = vrrp_sync_group_bare_name },
	{ .name = "vrrp_instance", .kind = CFG_BLOCK, .min_args = 1, .max_args = 1,
	  .repeat = true, .open = vrrp_instance_open, .close = vrrp_instance_close,
	  .sub = vrrp_instance_kws },
	{ .name = "virtual_server", .kind = CFG_BLOCK, .min_args = 2, .max_args = 2,
	  .repeat = true, .open = vs_open, .close = vs_close, .sub = vs_kws },
	{ .name = "sticky_sync", .kind = CFG_BLOCK, .open = sync_open, .close = sync_close,
	  .sub = sync_kws },
	KW_UNSUP("virtual_server_group", IPVS_WHY),
	KW_UNSUP("static_ipaddress", ROUTE_WHY),
	KW_UNSUP("static_routes", ROUTE_WHY),
	KW_UNSUP("static_rules", ROUTE_WHY),
	KW_UNSUP("track_file", "track files are not implemented; use vrrp_script"),
	KW_UNSUP("vrrp_track_process", "process tracking is not implemented; use vrrp_script"),
	KW_UNSUP("bfd_instance", "BFD is not implemented"),
	KW_UNSUP("linkbeat_interfaces", "link state comes from netlink"),
	KW_UNSUP("garp_group", "GARP pacing is per instance (garp_master_*)"),
	KW_UNSUP("track_group", "not implemented"),
	KW_UNSUP("interface_up_down_delays", "not implemented"),
	KW_UNSUP("SSL", "SSL_GET does not present a client certificate"),
	KW_UNSUP("net_namespace", "start the daemon inside the namespace (ip netns exec)"),
	KW_END
};

/* A model keeps the tokens it was parsed from, for runtime edits. */
static void
conf_keep_tokens(struct conf *c, const struct cfg_ctx *p)
{
	struct cfg_tok *t = arena_alloc(c->arena, p->ntoks * sizeof(*t));

	if (p->ntoks > 0)
		memcpy(t, p->toks, p->ntoks * sizeof(*t));
	c->toks = t;
	c->ntoks = p->ntoks;
}

static struct conf *
conf_finish(struct cfg_ctx *p, struct conf *c, struct conf_errors *errs)
{
	struct cfg_error *e;
	int i = 0;

	cfg_parse(p, conf_root_kws, c);
	vrrp_conf_validate(p, c);
	vs_conf_validate(p, c);
	conf_keep_tokens(c, p);
	free(p->toks);

	memset(errs, 0, sizeof(*errs));
	if (p->nerrors == 0)
		return c;
	errs->msg = calloc((size_t)p->nerrors, sizeof(char *));
	if (errs->msg == NULL)
		fatal("%s: calloc", __func__);
	for (e = p->errors; e != NULL; e = e->next)
		if ((errs->msg[i++] = strdup(e->msg)) == NULL)
			fatal("%s: strdup", __func__);
	errs->n = i;
	conf_free(c);
	return NULL;
}

struct conf *
conf_load(const char *path, const char *config_id, struct conf_errors *errs)
{
	struct conf *c = conf_new(path);
	struct cfg_ctx p;

	cfg_ctx_init(&p, c->arena, config_id);
	cfg_lex_file(&p, path);
	return conf_finish(&p, c, errs);
}

struct conf *
conf_load_string(const char *name, const char *text, const char *config_id,
    struct conf_errors *errs)
{
	struct conf *c = conf_new(name);
	struct cfg_ctx p;

	cfg_ctx_init(&p, c->arena, config_id);
	cfg_lex_string(&p, name, text);
	return conf_finish(&p, c, errs);
}

struct conf *
conf_load_opts(const struct kl7_opts *o, struct conf_errors *errs)
{
	if (o->conf_text != NULL)
		return conf_load_string(o->conf_file, o->conf_text, o->config_id, errs);
	return conf_load(o->conf_file, o->config_id, errs);
}

struct conf *
conf_load_tokens(struct conf *c, const struct cfg_tok *toks, size_t ntoks,
    struct conf_errors *errs)
{
	struct cfg_ctx p;

	/* The @ID lines were kept or dropped when the file was lexed. */
	cfg_ctx_init(&p, c->arena, NULL);
	cfg_lex_tokens(&p, toks, ntoks);
	return conf_finish(&p, c, errs);
}

void
conf_errors_free(struct conf_errors *errs)
{
	int i;

	for (i = 0; i < errs->n; i++)
		free(errs->msg[i]);
	free(errs->msg);
	memset(errs, 0, sizeof(*errs));
}

void
conf_errors_print(const struct conf_errors *errs, FILE *f)
{
	int i;

	for (i = 0; i < errs->n; i++)
		fprintf(f, "%s\n", errs->msg[i]);
}

const char *
conf_default_id(char *buf, size_t len)
{
	char *dot;

	if (gethostname(buf, len) == -1)
		return NULL;
	buf[len - 1] = '\0';
	if ((dot = strchr(buf, '.')) != NULL)
		*dot = '\0';
	return buf;
}
