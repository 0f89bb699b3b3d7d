/* Checker configuration: TCP_CHECK, HTTP_GET, SSL_GET, MISC_CHECK, with
 * keepalived's keywords and defaults; see keepalive-l7.conf(5). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "check/check_parser.h"

/* keepalived's defaults (check_api.c / check_http.c / check_misc.c). */
#define CHECK_CONNECT_TIMEOUT_MS	5000
#define CHECK_RETRY_DEFAULT		1
#define CHECK_MISC_RETRY_DEFAULT	0
#define CHECK_DELAY_RETRY_MS		1000
#define CHECK_HTTP_DELAY_RETRY_MS	3000

/* url { } --------------------------------------------------------------------- */

int
check_parse_status(const char *s, struct conf_url *url)
{
	const char *p = s;

	while (*p != '\0') {
		char *end;
		long lo, hi;

		lo = strtol(p, &end, 10);
		if (end == p || lo < 100 || lo > 599)
			return -1;
		hi = lo;
		if (*end == '-') {
			p = end + 1;
			hi = strtol(p, &end, 10);
			if (end == p || hi < lo || hi > 599)
				return -1;
		}
		if (url->n_status == CONF_STATUS_RANGES_MAX)
			return -1;
		url->status[url->n_status++] = (struct conf_status_range){
			(uint16_t)lo, (uint16_t)hi };
		if (*end == ',')
			end++;
		else if (*end != '\0')
			return -1;
		p = end;
	}
	return p == s ? -1 : 0;
}

static int
url_status(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	int i;

	for (i = 0; i < st->nargs; i++)
		if (check_parse_status(st->args[i].s, obj) == -1) {
			cfg_error(p, &st->args[i], "status_code: '%s' is not a status (100..599), a "
			    "range like 200-299, or a comma list of them (at most %d)",
			    st->args[i].s, CONF_STATUS_RANGES_MAX);
			return -1;
		}
	return 0;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
url_digest(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_url *url = obj;
	const char *s = st->args[0].s;
	int i;

	if (strlen(s) != 32)
		goto bad;
	for (i = 0; i < 16; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			goto bad;
		url->digest[i] = (uint8_t)(hi << 4 | lo);
	}
	url->has_digest = true;
	return 0;
bad:
	cfg_error(p, &st->args[0], "digest: '%s' is not an MD5 digest (32 hex digits)", s);
	return -1;
}

static int
url_path(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_url *url = obj;

	if (st->args[0].s[0] != '/') {
		cfg_error(p, &st->args[0], "path: '%s' must start with '/'", st->args[0].s);
		return -1;
	}
	url->path = st->args[0].s;
	return 0;
}

static const struct cfg_kw check_url_kws[] = {
	KW_FN("path", 1, 1, url_path),
	KW_FN("status_code", 1, CFG_ARGS_MAX, url_status),
	KW_FN("digest", 1, 1, url_digest),
	KW_STR("virtualhost", struct conf_url, virtualhost),
	KW_UNSUP("regex", "body regular expressions are not implemented; use digest or status_code"),
	KW_UNSUP("regex_no_match", "body regular expressions are not implemented"),
	KW_END
};

static void *
url_open(struct cfg_ctx *p, const struct cfg_stmt *st, void *checker)
{
	struct conf_checker *c = checker;
	struct conf_url *url = arena_alloc(p->arena, sizeof(*url));

	url->src = cfg_src_of(st->key);
	conf_list_append(&c->urls, url);
	return url;
}

static void
url_close(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_url *url = obj;

	if (url->path == NULL)
		cfg_error(p, st->key, "url: missing 'path'");
	if (url->n_status == 0)
		url->status[url->n_status++] = (struct conf_status_range){ 200, 299 };
}

/* Checkers ------------------------------------------------------------------- */

#define CK struct conf_checker
#define KW_CHECK_CONNECT \
	KW_ADDR("connect_ip", CK, connect_ip), \
	KW_FN("connect_port", 1, 1, checker_port), \
	KW_ADDR("bindto", CK, bindto), \
	KW_FN("bind_port", 1, 1, checker_port), \
	KW_MS("connect_timeout", CK, connect_timeout_ms, 10, 3600000)
#define KW_CHECK_COMMON \
	KW_INT("retry", CK, retry, 0, 1000), \
	KW_INT("nb_get_retry", CK, retry, 0, 1000), \
	KW_FN("delay_before_retry", 1, 1, checker_delay_before_retry), \
	KW_MS("delay_loop", CK, delay_loop_ms, 10, 86400000), \
	KW_FLAG("warmup", CK, warmup), \
	KW_FLAG("alpha", CK, alpha), \
	KW_FLAG("log_all_failures", CK, log_all_failures), \
	KW_UNSUP("bind_if", "bind to an address with bindto instead"), \
	KW_UNSUP("fwmark", "firewall marks are an IPVS feature")

static int
checker_port(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	CK *c = obj;

	return cfg_read_port(p, st, &st->args[0],
	    strcmp(st->kw->name, "bind_port") == 0 ? &c->bind_port : &c->connect_port);
}

static int
checker_delay_before_retry(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	CK *c = obj;

	c->has_delay_before_retry = true;
	return cfg_read_ms(p, st, &st->args[0], 0, 3600000, &c->delay_before_retry_ms);
}

const struct cfg_kw check_tcp_kws[] = {
	KW_CHECK_CONNECT,
	KW_CHECK_COMMON,
	KW_END
};

const struct cfg_kw check_http_kws[] = {
	KW_CHECK_CONNECT,
	KW_CHECK_COMMON,
	{ .name = "url", .kind = CFG_BLOCK, .repeat = true, .open = url_open,
	  .close = url_close, .sub = check_url_kws },
	KW_ENUM("http_protocol", CK, http_protocol, conf_http_proto_names),
	KW_STR("virtualhost", CK, virtualhost),
	KW_FLAG("enable_sni", CK, enable_sni),
	KW_BOOL("fast_recovery", CK, fast_recovery),
	KW_END
};

const struct cfg_kw check_misc_kws[] = {
	KW_SCRIPT("misc_path", CK, misc_path),
	KW_MS("misc_timeout", CK, misc_timeout_ms, 10, 3600000),
	KW_FLAG("misc_dynamic", CK, misc_dynamic),
	KW_STR("user", CK, user),
	KW_CHECK_COMMON,
	KW_END
};
#undef CK

static struct conf_checker *
checker_new(struct cfg_ctx *p, const struct cfg_stmt *st, void *rsp, enum conf_check_type type)
{
	struct conf_real_server *rs = rsp;
	struct conf_checker *c = arena_alloc(p->arena, sizeof(*c));

	c->src = cfg_src_of(st->key);
	c->type = type;
	c->connect_timeout_ms = CHECK_CONNECT_TIMEOUT_MS;
	c->retry = CONF_UNSET;
	c->http_protocol = CONF_HTTP_10;
	conf_list_append(&rs->checkers, c);
	rs->n_checkers++;
	return c;
}

void *
check_tcp_open(struct cfg_ctx *p, const struct cfg_stmt *st, void *rs)
{
	return checker_new(p, st, rs, CONF_CHECK_TCP);
}

void *
check_http_open(struct cfg_ctx *p, const struct cfg_stmt *st, void *rs)
{
	return checker_new(p, st, rs, CONF_CHECK_HTTP);
}

void *
check_ssl_open(struct cfg_ctx *p, const struct cfg_stmt *st, void *rs)
{
	return checker_new(p, st, rs, CONF_CHECK_SSL);
}

void *
check_misc_open(struct cfg_ctx *p, const struct cfg_stmt *st, void *rs)
{
	return checker_new(p, st, rs, CONF_CHECK_MISC);
}

void
check_close(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	struct conf_checker *c = obj;
	bool is_http = c->type == CONF_CHECK_HTTP || c->type == CONF_CHECK_SSL;

	if (c->retry == CONF_UNSET)
		c->retry = c->type == CONF_CHECK_MISC ? CHECK_MISC_RETRY_DEFAULT : CHECK_RETRY_DEFAULT;
	if (!c->has_delay_before_retry)
		c->delay_before_retry_ms = is_http ? CHECK_HTTP_DELAY_RETRY_MS : CHECK_DELAY_RETRY_MS;
	if (is_http && c->urls == NULL)
		cfg_error(p, st->key, "%s: needs at least one 'url { path ... }'", st->key->s);
	if (c->type == CONF_CHECK_MISC && c->misc_path == NULL)
		cfg_error(p, st->key, "MISC_CHECK: missing 'misc_path'");
	if (c->enable_sni && c->type != CONF_CHECK_SSL)
		cfg_error(p, st->key, "enable_sni: only SSL_GET uses TLS");
}

void
check_conf_inherit(const struct conf_virtual_server *vs, struct conf_real_server *rs)
{
	struct conf_checker *c;

	for (c = rs->checkers; c != NULL; c = c->next) {
		if (c->delay_loop_ms == 0)
			c->delay_loop_ms = vs->delay_loop_ms;
		if (c->type == CONF_CHECK_MISC && c->misc_timeout_ms == 0)
			c->misc_timeout_ms = c->delay_loop_ms;
		if (c->virtualhost == NULL)
			c->virtualhost = vs->virtualhost;
	}
}
