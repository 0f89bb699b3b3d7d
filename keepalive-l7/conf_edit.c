/* Runtime edits of the running model; see conf_edit.h. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "lib/arena.h"
#include "keepalive-l7/conf_edit.h"
#include "splice/vs_parser.h"

static const struct conf_virtual_server *
edit_find_vs(const struct conf *c, const struct conf_edit *e)
{
	const struct conf_virtual_server *vs;

	for (vs = c->virtual_servers; vs != NULL; vs = vs->next)
		if (vs->port == e->vs_port && addr_equal(&vs->addr, &e->vs_addr))
			return vs;
	return NULL;
}

int
conf_edit_check(const struct conf *running, const struct conf_edit *e, char *err,
    size_t errlen)
{
	const struct conf_virtual_server *vs = edit_find_vs(running, e);
	char vsb[ADDR_STRLEN], rsb[ADDR_STRLEN];
	bool has;

	addr_port_ntop(&e->vs_addr, e->vs_port, vsb, sizeof(vsb));
	addr_port_ntop(&e->rs_addr, e->rs_port, rsb, sizeof(rsb));
	if (vs == NULL) {
		snprintf(err, errlen, "no virtual server %s", vsb);
		return -1;
	}
	has = vs_find_server(vs, &e->rs_addr, e->rs_port) != NULL;
	if (e->op == CONF_EDIT_ADD_SERVER && has) {
		snprintf(err, errlen, "virtual server %s already has real server %s", vsb, rsb);
		return -1;
	}
	if (e->op == CONF_EDIT_REMOVE_SERVER && !has) {
		snprintf(err, errlen, "virtual server %s has no real server %s", vsb, rsb);
		return -1;
	}
	return 0;
}

static bool
edit_same_server(const struct conf_edit *a, const struct conf_edit *b)
{
	return a->vs_port == b->vs_port && addr_equal(&a->vs_addr, &b->vs_addr) &&
	    a->rs_port == b->rs_port && addr_equal(&a->rs_addr, &b->rs_addr);
}

static void
edit_append(struct conf *c, const struct conf_edit *e)
{
	struct conf_edit *copy = arena_alloc(c->arena, sizeof(*copy));

	*copy = *e;
	copy->next = NULL;
	if (e->pool != NULL)
		copy->pool = arena_strdup(c->arena, e->pool);
	conf_list_append(&c->edits, copy);
	c->n_edits++;
}

/* running's edits and e, into c's arena.  Removing a server an earlier
 * edit added drops that edit instead, so the list stays as long as the
 * difference from the file, however often a server comes and goes. */
static void
edit_copy_list(struct conf *c, const struct conf *running, const struct conf_edit *e)
{
	const struct conf_edit *o;
	bool cancelled = false;

	for (o = running->edits; o != NULL; o = o->next) {
		if (e->op == CONF_EDIT_REMOVE_SERVER && o->op == CONF_EDIT_ADD_SERVER &&
		    edit_same_server(o, e)) {
			cancelled = true;
			continue;
		}
		edit_append(c, o);
	}
	if (!cancelled)
		edit_append(c, e);
}

struct conf *
conf_edit_load(const struct conf *running, const struct conf_edit *e,
    struct conf_errors *errs)
{
	struct conf *c = conf_new(running->path);

	edit_copy_list(c, running, e);
	return conf_load_tokens(c, running->toks, running->ntoks, errs);
}
