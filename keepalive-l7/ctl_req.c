/* Control requests; see ctl_req.h. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "keepalive-l7/ctl_req.h"

static const struct ctl_cmd_info cmds[CTL_NCMDS] = {
	[CTL_STATUS] = { "status", 0, "" },
	[CTL_SHOW_VRRP] = { "show vrrp", 0, "" },
	[CTL_SHOW_SERVERS] = { "show servers", CTL_ARG_VS_OPT, "[VS]" },
	[CTL_SHOW_STATS] = { "show stats", 0, "" },
	[CTL_ENABLE_SERVER] = { "enable server", CTL_ARG_VS | CTL_ARG_RS, "VS RS" },
	[CTL_DISABLE_SERVER] = { "disable server", CTL_ARG_VS | CTL_ARG_RS, "VS RS" },
	[CTL_DRAIN_SERVER] = { "drain server", CTL_ARG_VS | CTL_ARG_RS, "VS RS" },
	[CTL_SET_WEIGHT] = { "set weight", CTL_ARG_VS | CTL_ARG_RS | CTL_ARG_WEIGHT,
	    "VS RS N" },
	[CTL_ADD_SERVER] = { "add server", CTL_ARG_VS | CTL_ARG_RS | CTL_ARG_WEIGHT_OPT |
	    CTL_ARG_POOL_OPT, "VS RS [weight N] [pool NAME]" },
	[CTL_REMOVE_SERVER] = { "remove server", CTL_ARG_VS | CTL_ARG_RS, "VS RS" },
	[CTL_RELOAD] = { "reload", 0, "" },
};

const struct ctl_cmd_info *
ctl_cmd_info(enum ctl_cmd cmd)
{
	return &cmds[cmd];
}

int
ctl_cmd_lookup(const char *name)
{
	int i;

	for (i = 0; i < CTL_NCMDS; i++)
		if (strcmp(cmds[i].name, name) == 0)
			return i;
	return -1;
}

static int __attribute__((format(printf, 3, 4)))
req_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* A member that must be an "ADDR:PORT" string; 0 when absent (*found
 * false), -1 when malformed. */
static int
req_hostport(json_object *o, const char *key, bool *found, struct kl_addr *a,
    uint16_t *port, char *err, size_t errlen)
{
	json_object *v;

	*found = json_object_object_get_ex(o, key, &v);
	if (!*found)
		return 0;
	if (!json_object_is_type(v, json_type_string) ||
	    addr_parse_hostport(json_object_get_string(v), a, port) == -1)
		return req_error(err, errlen, "%s: expected \"ADDRESS:PORT\"", key);
	return 0;
}

static int
req_weight(json_object *o, struct ctl_req *req, char *err, size_t errlen)
{
	json_object *v;
	int64_t w;

	if (!(req->has_weight = json_object_object_get_ex(o, "weight", &v)))
		return (cmds[req->cmd].args & CTL_ARG_WEIGHT) ?
		    req_error(err, errlen, "%s: missing weight", cmds[req->cmd].name) : 0;
	errno = 0;
	w = json_object_get_int64(v);
	if (!json_object_is_type(v, json_type_int) || errno != 0 || w < 0 ||
	    w > CTL_WEIGHT_MAX)
		return req_error(err, errlen, "weight: expected an integer 0..%d",
		    CTL_WEIGHT_MAX);
	req->weight = (uint32_t)w;
	return 0;
}

/* A pool is named by one word, as `pool NAME` in the file. */
static int
req_pool(json_object *o, struct ctl_req *req, char *err, size_t errlen)
{
	json_object *v;
	const char *name;
	size_t i, n;

	if (!(req->has_pool = json_object_object_get_ex(o, "pool", &v)))
		return 0;
	name = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
	n = strlen(name);
	for (i = 0; i < n && isgraph((unsigned char)name[i]); i++)
		;
	if (n == 0 || i < n || n >= sizeof(req->pool))
		return req_error(err, errlen, "pool: expected a name of 1..%d visible "
		    "characters", CTL_POOL_MAX - 1);
	memcpy(req->pool, name, n + 1);
	return 0;
}

/* Every member is one this command takes: a typo is an error, not a
 * silently ignored argument. */
static int
req_members(json_object *o, unsigned args, char *err, size_t errlen)
{
	json_object_object_foreach(o, key, val) {
		(void)val;
		if (strcmp(key, "version") == 0 || strcmp(key, "command") == 0)
			continue;
		if (strcmp(key, "virtual_server") == 0 && (args & (CTL_ARG_VS | CTL_ARG_VS_OPT)))
			continue;
		if (strcmp(key, "real_server") == 0 && (args & CTL_ARG_RS))
			continue;
		if (strcmp(key, "weight") == 0 && (args & (CTL_ARG_WEIGHT | CTL_ARG_WEIGHT_OPT)))
			continue;
		if (strcmp(key, "pool") == 0 && (args & CTL_ARG_POOL_OPT))
			continue;
		return req_error(err, errlen, "unexpected member \"%s\"", key);
	}
	return 0;
}

static int
req_header(json_object *o, struct ctl_req *req, char *err, size_t errlen)
{
	json_object *v;
	int cmd;

	if (!json_object_object_get_ex(o, "version", &v) ||
	    !json_object_is_type(v, json_type_int))
		return req_error(err, errlen, "missing version");
	if (json_object_get_int64(v) != CTL_PROTO_VERSION)
		return req_error(err, errlen, "unsupported version %lld (this daemon speaks %d)",
		    (long long)json_object_get_int64(v), CTL_PROTO_VERSION);
	if (!json_object_object_get_ex(o, "command", &v) ||
	    !json_object_is_type(v, json_type_string))
		return req_error(err, errlen, "missing command");
	if ((cmd = ctl_cmd_lookup(json_object_get_string(v))) == -1)
		return req_error(err, errlen, "unknown command \"%.64s\"",
		    json_object_get_string(v));
	req->cmd = cmd;
	return 0;
}

static int
req_from_object(json_object *o, struct ctl_req *req, char *err, size_t errlen)
{
	unsigned args;

	if (!json_object_is_type(o, json_type_object))
		return req_error(err, errlen, "a request is a JSON object");
	if (req_header(o, req, err, errlen) == -1)
		return -1;
	args = cmds[req->cmd].args;
	if (req_members(o, args, err, errlen) == -1 ||
	    req_hostport(o, "virtual_server", &req->has_vs, &req->vs_addr, &req->vs_port,
	    err, errlen) == -1 ||
	    req_hostport(o, "real_server", &req->has_rs, &req->rs_addr, &req->rs_port,
	    err, errlen) == -1)
		return -1;
	if ((args & CTL_ARG_VS) && !req->has_vs)
		return req_error(err, errlen, "%s: missing virtual_server", cmds[req->cmd].name);
	if ((args & CTL_ARG_RS) && !req->has_rs)
		return req_error(err, errlen, "%s: missing real_server", cmds[req->cmd].name);
	if ((args & (CTL_ARG_WEIGHT | CTL_ARG_WEIGHT_OPT)) && req_weight(o, req, err, errlen) == -1)
		return -1;
	if ((args & CTL_ARG_POOL_OPT) && req_pool(o, req, err, errlen) == -1)
		return -1;
	return 0;
}

int
ctl_req_parse(const char *text, size_t len, struct ctl_req *req, char *err, size_t errlen)
{
	json_tokener *tok;
	json_object *o;
	int rc;

	memset(req, 0, sizeof(*req));
	if (len >= CTL_REQ_MAX)
		return req_error(err, errlen, "request longer than %d bytes", CTL_REQ_MAX - 1);
	if ((tok = json_tokener_new()) == NULL)
		return req_error(err, errlen, "out of memory");
	/* RFC 8259 JSON: without it json-c takes comments, single quotes and
	 * trailing commas, so "{...} // anything" would pass as a request. */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, text, (int)len);
	if (o == NULL || json_tokener_get_parse_end(tok) != len) {
		rc = req_error(err, errlen, "bad JSON: %s", o == NULL ?
		    json_tokener_error_desc(json_tokener_get_error(tok)) :
		    "text after the object");
	} else {
		rc = req_from_object(o, req, err, errlen);
	}
	json_object_put(o);
	json_tokener_free(tok);
	return rc;
}
