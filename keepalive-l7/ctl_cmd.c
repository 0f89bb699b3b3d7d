/* Control commands; see ctl_cmd.h. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "lib/log.h"
#include "keepalive-l7/conf_edit.h"
#include "keepalive-l7/ctl_cmd.h"
#include "keepalive-l7/state_dump.h"
#include "keepalive-l7/supervisor.h"
#include "splice/vs_parser.h"

static json_object *
reply_new(bool ok)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "version", json_object_new_int(CTL_PROTO_VERSION));
	json_object_object_add(o, "ok", json_object_new_boolean(ok));
	return o;
}

json_object *
ctl_cmd_error(const char *fmt, ...)
{
	json_object *o = reply_new(false);
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_object_object_add(o, "error", json_object_new_string(msg));
	return o;
}

static json_object *
reply_ok(json_object *result)
{
	json_object *o = reply_new(true);

	json_object_object_add(o, "result", result);
	return o;
}

/* Reading -------------------------------------------------------------- */

static json_object *
cmd_status(struct supervisor *sup)
{
	json_object *r = json_object_new_object();

	json_object_object_add(r, "pid", json_object_new_int(getpid()));
	json_object_object_add(r, "version", json_object_new_string(PACKAGE_VERSION));
	json_object_object_add(r, "uptime_s", json_object_new_int64(
	    (ev_now(sup->loop) - sup->started_ms) / 1000));
	json_object_object_add(r, "config_file", json_object_new_string(sup->opts->conf_file));
	json_object_object_add(r, "config_sha256", json_object_new_string(sup->conf_sha256));
	json_object_object_add(r, "reloads", json_object_new_int64(sup->reloads));
	json_object_object_add(r, "runtime_edits", json_object_new_int64(sup->conf->n_edits));
	json_object_object_add(r, "last_reload", state_dump_reload(sup));
	json_object_object_add(r, "children", state_dump_children(sup));
	return reply_ok(r);
}

static json_object *
cmd_show_vrrp(const struct shm *s)
{
	json_object *r = json_object_new_object();

	json_object_object_add(r, "vrrp", state_dump_vrrp(s));
	return reply_ok(r);
}

static json_object *
cmd_show_stats(const struct shm *s)
{
	json_object *r = json_object_new_object();

	json_object_object_add(r, "virtual_servers", state_dump_virtual_servers(s));
	return reply_ok(r);
}

static bool
vs_matches(const struct kl_addr *a, uint16_t port, const struct ctl_req *req)
{
	return port == req->vs_port && addr_equal(a, &req->vs_addr);
}

static bool
vs_exists(const struct shm *s, const struct ctl_req *req)
{
	uint32_t i;

	for (i = 0; i < s->hdr->n_vs; i++)
		if (vs_matches(&s->vs[i].addr, s->vs[i].port, req))
			return true;
	return false;
}

static json_object *
no_such_vs(const struct ctl_req *req)
{
	char vs[ADDR_STRLEN];

	return ctl_cmd_error("no virtual server %s",
	    addr_port_ntop(&req->vs_addr, req->vs_port, vs, sizeof(vs)));
}

static json_object *
cmd_show_servers(const struct shm *s, const struct ctl_req *req)
{
	json_object *r, *a;
	uint32_t i;

	if (req->has_vs && !vs_exists(s, req))
		return no_such_vs(req);
	r = json_object_new_object();
	a = json_object_new_array();
	for (i = 0; i < s->hdr->n_rs; i++) {
		const struct shm_rs *rs = &s->rs[i];

		if (!req->has_vs || vs_matches(&rs->vs_addr, rs->vs_port, req))
			json_object_array_add(a, state_dump_server(rs));
	}
	json_object_object_add(r, "servers", a);
	return reply_ok(r);
}

/* Every show answers from one snapshot of shared state: no change of the
 * check or vrrp child's is seen half made. */
static json_object *
cmd_show(struct supervisor *sup, const struct ctl_req *req)
{
	struct shm snap;
	json_object *o;

	if (shm_snapshot(&sup->shm, &snap) == -1)
		return ctl_cmd_error("%s: out of memory", ctl_cmd_info(req->cmd)->name);
	if (req->cmd == CTL_SHOW_VRRP)
		o = cmd_show_vrrp(&snap);
	else if (req->cmd == CTL_SHOW_STATS)
		o = cmd_show_stats(&snap);
	else
		o = cmd_show_servers(&snap, req);
	shm_snapshot_free(&snap);
	return o;
}

/* Changing servers ----------------------------------------------------- */

/* The record of the request's real server, or NULL with *reply set. */
static struct shm_rs *
find_server(struct supervisor *sup, const struct ctl_req *req, json_object **reply)
{
	char rs[ADDR_STRLEN];
	uint32_t i;

	for (i = 0; i < sup->shm.hdr->n_rs; i++) {
		struct shm_rs *r = &sup->shm.rs[i];

		if (vs_matches(&r->vs_addr, r->vs_port, req) && r->port == req->rs_port &&
		    addr_equal(&r->addr, &req->rs_addr))
			return r;
	}
	if (!vs_exists(&sup->shm, req))
		*reply = no_such_vs(req);
	else
		*reply = ctl_cmd_error("virtual server has no real server %s",
		    addr_port_ntop(&req->rs_addr, req->rs_port, rs, sizeof(rs)));
	return NULL;
}

static void
log_server(const struct kl_addr *vs_addr, uint16_t vs_port, const struct kl_addr *rs_addr,
    uint16_t rs_port, const char *what)
{
	char vs[ADDR_STRLEN], rs[ADDR_STRLEN];

	log_info("control: virtual server %s: real server %s: %s",
	    addr_port_ntop(vs_addr, vs_port, vs, sizeof(vs)),
	    addr_port_ntop(rs_addr, rs_port, rs, sizeof(rs)), what);
}

static void
log_change(const struct shm_rs *r, const char *what)
{
	log_server(&r->vs_addr, r->vs_port, &r->addr, r->port, what);
}

static json_object *
cmd_set_admin(struct supervisor *sup, const struct ctl_req *req)
{
	static const enum shm_admin admin[] = {
		[CTL_ENABLE_SERVER] = SHM_ADMIN_ENABLED,
		[CTL_DISABLE_SERVER] = SHM_ADMIN_DISABLED,
		[CTL_DRAIN_SERVER] = SHM_ADMIN_DRAIN,
	};
	static const char *const what[] = {
		[CTL_ENABLE_SERVER] = "enabled", [CTL_DISABLE_SERVER] = "disabled",
		[CTL_DRAIN_SERVER] = "draining",
	};
	json_object *reply = NULL;
	struct shm_rs *r;

	if ((r = find_server(sup, req, &reply)) == NULL)
		return reply;
	/* The l7 child reads it at its next pick: nothing to send. */
	atomic_store(&r->admin, admin[req->cmd]);
	log_change(r, what[req->cmd]);
	return reply_ok(state_dump_server(r));
}

static json_object *
cmd_set_weight(struct supervisor *sup, const struct ctl_req *req)
{
	json_object *reply = NULL;
	struct shm_rs *r;
	char what[64];

	if (!(sup->opts->children & KL7_CHILD_CHECK))
		return ctl_cmd_error("set weight: the check child, which applies weights, "
		    "does not run in this daemon");
	if ((r = find_server(sup, req, &reply)) == NULL)
		return reply;
	atomic_store(&r->op_weight, (int32_t)req->weight);
	supervisor_operator_changed(sup);
	snprintf(what, sizeof(what), "weight set to %u", req->weight);
	log_change(r, what);
	/* The effective weight follows once the check child has the message;
	 * the reply shows the operator's. */
	return reply_ok(state_dump_server(r));
}

/* Adding and removing servers ------------------------------------------ */

static json_object *
errors_array(const struct conf_errors *errs)
{
	json_object *a = json_object_new_array();
	int i;

	for (i = 0; i < errs->n; i++)
		json_object_array_add(a, json_object_new_string(errs->msg[i]));
	return a;
}

static struct conf_edit
edit_of_request(const struct ctl_req *req)
{
	return (struct conf_edit){
		.op = req->cmd == CTL_ADD_SERVER ? CONF_EDIT_ADD_SERVER : CONF_EDIT_REMOVE_SERVER,
		.vs_addr = req->vs_addr, .vs_port = req->vs_port,
		.rs_addr = req->rs_addr, .rs_port = req->rs_port,
		.weight = req->has_weight ? req->weight : 1,
		.pool = req->has_pool ? req->pool : NULL,
	};
}

/* The new model's server the request added (it has passed the check). */
static const struct conf_real_server *
added_server(const struct conf *c, const struct ctl_req *req)
{
	const struct conf_virtual_server *vs;

	for (vs = c->virtual_servers; vs != NULL; vs = vs->next)
		if (vs_matches(&vs->addr, vs->port, req))
			return vs_find_server(vs, &req->rs_addr, req->rs_port);
	return NULL;
}

/* What the operator must know: the file does not have this change. */
static json_object *
edit_result(struct supervisor *sup, const struct ctl_req *req)
{
	json_object *r = json_object_new_object();
	const struct conf_real_server *rs;
	char note[512], vs[ADDR_STRLEN], rsb[ADDR_STRLEN];

	json_object_object_add(r, "virtual_server", json_object_new_string(
	    addr_port_ntop(&req->vs_addr, req->vs_port, vs, sizeof(vs))));
	json_object_object_add(r, "real_server", json_object_new_string(
	    addr_port_ntop(&req->rs_addr, req->rs_port, rsb, sizeof(rsb))));
	if (req->cmd == CTL_ADD_SERVER && (rs = added_server(sup->conf, req)) != NULL) {
		json_object_object_add(r, "weight", json_object_new_int64(rs->weight));
		json_object_object_add(r, "pool", json_object_new_string(rs->pool));
		json_object_object_add(r, "checks", json_object_new_int64(rs->n_checkers));
		json_object_object_add(r, "server", state_dump_server(&sup->shm.rs[rs->index]));
	}
	json_object_object_add(r, "runtime_edits", json_object_new_int64(sup->conf->n_edits));
	snprintf(note, sizeof(note), "not persisted: also edit %s; a reload or a restart "
	    "drops this change", sup->opts->conf_file);
	json_object_object_add(r, "note", json_object_new_string(note));
	return r;
}

static json_object *
edit_failed(const char *name, const struct conf_errors *errs)
{
	json_object *o = ctl_cmd_error("%s failed: the running configuration stays%s", name,
	    errs->n == 0 ? " (see the daemon's log)" : "");

	if (errs->n > 0)
		json_object_object_add(o, "errors", errors_array(errs));
	return o;
}

/* A new model, the running one with this edit: handed over as a reload's
 * (keepalive-l7/conf_edit.h).  Never written to the file. */
static json_object *
cmd_add_remove(struct supervisor *sup, const struct ctl_req *req)
{
	const char *name = ctl_cmd_info(req->cmd)->name;
	struct conf_edit e = edit_of_request(req);
	struct conf_errors errs;
	json_object *reply;
	char err[256];

	if (sup->stopping)
		return ctl_cmd_error("%s: the daemon is stopping", name);
	if (sup->replacing > 0)
		return ctl_cmd_error("%s: a reload is still moving children over; try again",
		    name);
	if (conf_edit_check(sup->conf, &e, err, sizeof(err)) == -1)
		return ctl_cmd_error("%s: %s", name, err);
	if (supervisor_edit(sup, &e, &errs) == -1) {
		log_warnx("control: %s failed: %s", name,
		    errs.n > 0 ? errs.msg[0] : "the new configuration cannot run");
		reply = edit_failed(name, &errs);
		conf_errors_free(&errs);
		return reply;
	}
	log_server(&req->vs_addr, req->vs_port, &req->rs_addr, req->rs_port,
	    req->cmd == CTL_ADD_SERVER ? "added (not in the file)" : "removed (still in the file)");
	return reply_ok(edit_result(sup, req));
}

/* Reload --------------------------------------------------------------- */

static json_object *
cmd_reload(struct supervisor *sup)
{
	json_object *o;

	if (sup->stopping)
		return ctl_cmd_error("reload: the daemon is stopping");
	/* The result must be known when we answer: no queueing. */
	if (sup->replacing > 0)
		return ctl_cmd_error("reload: the previous reload is still moving children "
		    "over; try again");
	if (supervisor_reload(sup) == 0) {
		json_object *r = json_object_new_object();

		json_object_object_add(r, "reloads", json_object_new_int64(sup->reloads));
		json_object_object_add(r, "config_sha256",
		    json_object_new_string(sup->conf_sha256));
		return reply_ok(r);
	}
	o = ctl_cmd_error("reload failed: the running configuration stays");
	json_object_object_add(o, "errors", errors_array(&sup->last_reload_errors));
	return o;
}

json_object *
ctl_cmd_run(struct supervisor *sup, const struct ctl_req *req)
{
	switch (req->cmd) {
	case CTL_STATUS:
		return cmd_status(sup);
	case CTL_SHOW_VRRP:
	case CTL_SHOW_SERVERS:
	case CTL_SHOW_STATS:
		return cmd_show(sup, req);
	case CTL_ENABLE_SERVER:
	case CTL_DISABLE_SERVER:
	case CTL_DRAIN_SERVER:
		return cmd_set_admin(sup, req);
	case CTL_SET_WEIGHT:
		return cmd_set_weight(sup, req);
	case CTL_ADD_SERVER:
	case CTL_REMOVE_SERVER:
		return cmd_add_remove(sup, req);
	case CTL_RELOAD:
		return cmd_reload(sup);
	case CTL_NCMDS:
		break;
	}
	return ctl_cmd_error("command %d: not implemented", (int)req->cmd);
}
