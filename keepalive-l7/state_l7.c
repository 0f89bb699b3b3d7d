/* The forwarder's view; see state_l7.h. */
#include "config.h"

#include <string.h>

#include "lib/addr.h"
#include "keepalive-l7/state_l7.h"
#include "splice/sched.h"

static json_object *
routes_json(const struct conf_virtual_server *vs)
{
	const struct conf_http_route *r;
	json_object *a = json_object_new_array();

	for (r = vs->routes; r != NULL; r = r->next) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "name", json_object_new_string(r->name));
		json_object_object_add(o, "pool", json_object_new_string(r->pool));
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *
pool_server_json(const struct conf_real_server *rs, const struct shm_rs *r, bool eligible)
{
	json_object *o = json_object_new_object();
	char buf[ADDR_STRLEN];

	json_object_object_add(o, "real_server", json_object_new_string(
	    addr_port_ntop(&rs->addr, rs->port, buf, sizeof(buf))));
	json_object_object_add(o, "eligible", json_object_new_boolean(eligible));
	json_object_object_add(o, "active_conns",
	    json_object_new_int64((int64_t)atomic_load(&r->active_conns)));
	return o;
}

/* The pool as its scheduler sees it: its servers in file order, each
 * eligible if sched_pick_index() would take it now. */
static json_object *
pool_json(struct pool *p, const char *name, const struct shm *snap)
{
	const struct sched_live live = { .rs = snap->rs };
	json_object *o = json_object_new_object(), *a = json_object_new_array();
	unsigned i, n_eligible = 0;

	for (i = 0; i < pool_size(p); i++) {
		const struct conf_real_server *rs = pool_server(p, i);
		bool ok = sched_pick_index(p, &live, rs->index, NULL) != NULL;

		n_eligible += ok;
		json_object_array_add(a, pool_server_json(rs, &snap->rs[rs->index], ok));
	}
	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "eligible", json_object_new_int((int)n_eligible));
	json_object_object_add(o, "servers", a);
	return o;
}

/* True if rs is the first server of vs in its pool (file order). */
static bool
first_of_pool(const struct conf_virtual_server *vs, const struct conf_real_server *rs)
{
	const struct conf_real_server *o;

	for (o = vs->servers; o != rs; o = o->next)
		if (strcmp(o->pool, rs->pool) == 0)
			return false;
	return true;
}

static json_object *
pools_json(const struct conf_virtual_server *vs, const struct shm *snap)
{
	const struct conf_real_server *rs;
	json_object *a = json_object_new_array();
	struct pool *p;

	for (rs = vs->servers; rs != NULL; rs = rs->next) {
		if (!first_of_pool(vs, rs))
			continue;
		if ((p = pool_new(vs, rs->pool)) == NULL) {
			json_object_put(a);
			return NULL;
		}
		json_object_array_add(a, pool_json(p, rs->pool, snap));
		pool_free(p);
	}
	return a;
}

static json_object *
forwarder_vs_json(const struct conf_virtual_server *vs, const struct shm *snap)
{
	json_object *o = json_object_new_object(), *pools;
	char buf[ADDR_STRLEN];

	if ((pools = pools_json(vs, snap)) == NULL) {
		json_object_put(o);
		return NULL;
	}
	json_object_object_add(o, "virtual_server", json_object_new_string(
	    addr_port_ntop(&vs->addr, vs->port, buf, sizeof(buf))));
	json_object_object_add(o, "lb_kind", json_object_new_string(
	    cfg_enum_name(conf_lb_kind_names, (int)vs->lb_kind)));
	json_object_object_add(o, "lb_algo", json_object_new_string(
	    cfg_enum_name(conf_lb_algo_names, (int)vs->lb_algo)));
	json_object_object_add(o, "routes", routes_json(vs));
	json_object_object_add(o, "default_pool", json_object_new_string(vs->default_pool));
	json_object_object_add(o, "pools", pools);
	return o;
}

json_object *
state_dump_forwarder(const struct conf *c, const struct shm *snap)
{
	const struct conf_virtual_server *vs;
	json_object *a = json_object_new_array(), *o;

	for (vs = c->virtual_servers; vs != NULL; vs = vs->next) {
		if ((o = forwarder_vs_json(vs, snap)) == NULL) {
			json_object_put(a);
			return NULL;
		}
		json_object_array_add(a, o);
	}
	return a;
}
