/* State dump; see state_dump.h. */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/conf_json.h"
#include "lib/path.h"
#include "keepalive-l7/state_dump.h"
#include "keepalive-l7/state_l7.h"
#include "keepalive-l7/supervisor.h"

json_object *
state_dump_child(const struct child *c)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "name", json_object_new_string(c->name));
	json_object_object_add(o, "pid", json_object_new_int(c->pid));
	json_object_object_add(o, "ready", json_object_new_boolean(c->ready));
	json_object_object_add(o, "restarts", json_object_new_int64(c->restarts));
	return o;
}

static json_object *
vrrp_counters_json(const struct shm_vrrp *r)
{
	static const struct {
		const char	*name;
		size_t		 off;
	} fields[] = {
#define F(f) { #f, offsetof(struct shm_vrrp, f) }
		F(adverts_sent), F(adverts_rcvd), F(became_master), F(released_master),
		F(checksum_errors), F(ttl_errors), F(auth_errors), F(length_errors),
		F(prio0_sent), F(prio0_rcvd), F(version_errors), F(type_errors),
		F(interval_errors), F(vrid_errors), F(kernel_drops),
#undef F
	};
	json_object *o = json_object_new_object();
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const _Atomic uint64_t *v = (const _Atomic uint64_t *)((const char *)r +
		    fields[i].off);

		json_object_object_add(o, fields[i].name,
		    json_object_new_int64((int64_t)atomic_load(v)));
	}
	return o;
}

json_object *
state_dump_vrrp(const struct shm *s)
{
	json_object *a = json_object_new_array();
	uint32_t i;

	for (i = 0; i < s->hdr->n_vrrp; i++) {
		const struct shm_vrrp *r = &s->vrrp[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "name", json_object_new_string(r->name));
		json_object_object_add(o, "state",
		    json_object_new_string(shm_vrrp_state_name(atomic_load(&r->state))));
		json_object_object_add(o, "priority",
		    json_object_new_int64(atomic_load(&r->priority)));
		json_object_object_add(o, "counters", vrrp_counters_json(r));
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *
uint_json(uint64_t v)
{
	return json_object_new_int64((int64_t)v);
}

static json_object *
last_error_json(const struct shm_rs *r)
{
	char text[sizeof(r->last_error)];

	shm_rs_last_error(r, text, sizeof(text));
	return json_object_new_string(text);
}

/* Requests answered, by status class: {"1xx": n, ..., "5xx": n, "other": n}. */
static json_object *
requests_json(const struct shm_rs *r)
{
	json_object *o = json_object_new_object();
	int i;

	for (i = 0; i < SHM_STATUS_CLASSES; i++)
		json_object_object_add(o, shm_status_class_name(i),
		    uint_json(atomic_load(&r->requests[i])));
	return o;
}

/* Responses per response-time bucket (not cumulative), the slowest last. */
static json_object *
response_hist_json(const struct shm_rs *r)
{
	json_object *a = json_object_new_array();
	int i;

	for (i = 0; i <= SHM_RT_BUCKETS; i++)
		json_object_array_add(a, uint_json(atomic_load(&r->response_time_hist[i])));
	return a;
}

static const char *
admin_name(uint32_t admin)
{
	static const char *const names[] = {
		[SHM_ADMIN_ENABLED] = "enabled", [SHM_ADMIN_DISABLED] = "disabled",
		[SHM_ADMIN_DRAIN] = "drain",
	};

	return admin < sizeof(names) / sizeof(names[0]) ? names[admin] : "?";
}

json_object *
state_dump_server(const struct shm_rs *r)
{
	json_object *o = json_object_new_object();
	char vs[ADDR_STRLEN], rs[ADDR_STRLEN];
	int32_t op = atomic_load(&r->op_weight);

	json_object_object_add(o, "virtual_server", json_object_new_string(
	    addr_port_ntop(&r->vs_addr, r->vs_port, vs, sizeof(vs))));
	json_object_object_add(o, "real_server", json_object_new_string(
	    addr_port_ntop(&r->addr, r->port, rs, sizeof(rs))));
	json_object_object_add(o, "admin", json_object_new_string(admin_name(
	    atomic_load(&r->admin))));
	json_object_object_add(o, "health",
	    json_object_new_string(shm_health_name(atomic_load(&r->health))));
	json_object_object_add(o, "weight", uint_json(atomic_load(&r->weight)));
	json_object_object_add(o, "operator_weight", op >= 0 ? uint_json((uint64_t)op) : NULL);
	json_object_object_add(o, "last_error", last_error_json(r));
	json_object_object_add(o, "consecutive_ok", uint_json(atomic_load(&r->consecutive_ok)));
	json_object_object_add(o, "consecutive_fail",
	    uint_json(atomic_load(&r->consecutive_fail)));
	json_object_object_add(o, "last_check_ms",
	    json_object_new_int64(atomic_load(&r->last_check_ms)));
	json_object_object_add(o, "checks_run", uint_json(atomic_load(&r->checks_run)));
	json_object_object_add(o, "checks_failed", uint_json(atomic_load(&r->checks_failed)));
	json_object_object_add(o, "passive_failures",
	    uint_json(atomic_load(&r->passive_failures)));
	json_object_object_add(o, "active_conns", uint_json(atomic_load(&r->active_conns)));
	json_object_object_add(o, "total_conns", uint_json(atomic_load(&r->total_conns)));
	json_object_object_add(o, "requests", requests_json(r));
	json_object_object_add(o, "bytes_in", uint_json(atomic_load(&r->bytes_in)));
	json_object_object_add(o, "bytes_out", uint_json(atomic_load(&r->bytes_out)));
	json_object_object_add(o, "errors", uint_json(atomic_load(&r->errors)));
	json_object_object_add(o, "retries", uint_json(atomic_load(&r->retries)));
	json_object_object_add(o, "response_time_us",
	    uint_json(atomic_load(&r->response_time_us)));
	json_object_object_add(o, "response_time_hist", response_hist_json(r));
	return o;
}

static json_object *
server_state_json(const struct shm *s)
{
	json_object *a = json_object_new_array();
	uint32_t i;

	for (i = 0; i < s->hdr->n_rs; i++)
		json_object_array_add(a, state_dump_server(&s->rs[i]));
	return a;
}

json_object *
state_dump_virtual_server(const struct shm_vs *v)
{
	json_object *o = json_object_new_object();
	char vs[ADDR_STRLEN];

	json_object_object_add(o, "virtual_server", json_object_new_string(
	    addr_port_ntop(&v->addr, v->port, vs, sizeof(vs))));
	json_object_object_add(o, "quorum",
	    json_object_new_string(shm_quorum_name(atomic_load(&v->quorum))));
	json_object_object_add(o, "live_weight", uint_json(atomic_load(&v->live_weight)));
	json_object_object_add(o, "active_conns", uint_json(atomic_load(&v->active_conns)));
	json_object_object_add(o, "total_conns", uint_json(atomic_load(&v->total_conns)));
	json_object_object_add(o, "requests", uint_json(atomic_load(&v->requests)));
	json_object_object_add(o, "bytes_in", uint_json(atomic_load(&v->bytes_in)));
	json_object_object_add(o, "bytes_out", uint_json(atomic_load(&v->bytes_out)));
	json_object_object_add(o, "errors", uint_json(atomic_load(&v->errors)));
	json_object_object_add(o, "queued", uint_json(atomic_load(&v->queued)));
	json_object_object_add(o, "queue_timeouts", uint_json(atomic_load(&v->queue_timeouts)));
	json_object_object_add(o, "auth_rejected", uint_json(atomic_load(&v->auth_rejected)));
	json_object_object_add(o, "sticky_entries", uint_json(atomic_load(&v->sticky_entries)));
	json_object_object_add(o, "sticky_synced", uint_json(atomic_load(&v->sticky_synced)));
	return o;
}

json_object *
state_dump_virtual_servers(const struct shm *s)
{
	json_object *a = json_object_new_array();
	uint32_t i;

	for (i = 0; i < s->hdr->n_vs; i++)
		json_object_array_add(a, state_dump_virtual_server(&s->vs[i]));
	return a;
}

json_object *
state_dump_reload(const struct supervisor *sup)
{
	json_object *o = json_object_new_object(), *e = json_object_new_array();
	int i;

	json_object_object_add(o, "ok", json_object_new_boolean(sup->last_reload_ok));
	for (i = 0; i < sup->last_reload_errors.n; i++)
		json_object_array_add(e, json_object_new_string(sup->last_reload_errors.msg[i]));
	json_object_object_add(o, "errors", e);
	return o;
}

json_object *
state_dump_children(const struct supervisor *sup)
{
	json_object *a = json_object_new_array();
	int i;

	for (i = 0; i < CHILD_NKINDS; i++)
		if (sup->opts->children & (1u << i))
			json_object_array_add(a, state_dump_child(&sup->children[i]));
	return a;
}

json_object *
state_dump_json(const struct supervisor *sup)
{
	json_object *o;
	struct shm snap;

	/* Shared state as of one moment (shm.h); NULL if out of memory. */
	if (shm_snapshot(&sup->shm, &snap) == -1)
		return NULL;
	o = json_object_new_object();

	json_object_object_add(o, "pid", json_object_new_int(getpid()));
	json_object_object_add(o, "version", json_object_new_string(PACKAGE_VERSION));
	json_object_object_add(o, "config", conf_to_json(sup->conf));
	json_object_object_add(o, "children", state_dump_children(sup));
	json_object_object_add(o, "reloads", json_object_new_int64(sup->reloads));
	json_object_object_add(o, "last_reload", state_dump_reload(sup));
	json_object_object_add(o, "vrrp", state_dump_vrrp(&snap));
	json_object_object_add(o, "virtual_servers", state_dump_virtual_servers(&snap));
	json_object_object_add(o, "servers", server_state_json(&snap));
	json_object_object_add(o, "forwarder", state_dump_forwarder(sup->conf, &snap));
	shm_snapshot_free(&snap);
	return o;
}

int
state_dump_write(const struct supervisor *sup, const char *path)
{
	json_object *j = state_dump_json(sup);
	const char *text;
	size_t len;
	char tmp[4200];
	int fd, saved;

	if (j == NULL)
		return -1;
	text = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	len = strlen(text);

	/* The default location is under /run/keepalive-l7/, which may not
	 * exist yet; if making it fails, open() says why. */
	(void)path_mkdir_parent(path, 0755);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) == -1)
		goto fail;
	if (write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1 ||
	    fsync(fd) == -1) {
		close(fd);
		unlink(tmp);
		goto fail;
	}
	close(fd);
	if (rename(tmp, path) == -1) {
		unlink(tmp);
		goto fail;
	}
	json_object_put(j);
	return 0;
fail:
	saved = errno;
	json_object_put(j);
	errno = saved;
	return -1;
}
