/* Runtime edits of a virtual server's real servers (struct conf_edit,
 * lib/conf.h), applied at the end of its block as if the file said so:
 * the checks that follow (routes, pools, inherited check settings) see
 * the edited list.  See vs_parser.h. */
#include "config.h"

#include <string.h>

#include "lib/arena.h"
#include "splice/vs_parser.h"

#define VS struct conf_virtual_server
#define RS struct conf_real_server

/* Where a server added at run time says it was defined: the edit's
 * number, since the file does not have it. */
#define VS_EDIT_SRC	"control socket: add server"

static bool
edit_is_of(const struct conf_edit *e, const VS *vs)
{
	return e->vs_port == vs->port && addr_equal(&e->vs_addr, &vs->addr);
}

/* The template's checks, aimed at the new server: the copies connect to
 * its address and port whatever connect_ip / connect_port the template
 * set (they name the template's machine, not this one). */
static void
edit_copy_checks(struct cfg_ctx *p, RS *rs, const RS *tpl)
{
	const struct conf_checker *c;

	for (c = tpl->checkers; c != NULL; c = c->next) {
		struct conf_checker *copy = arena_alloc(p->arena, sizeof(*copy));

		*copy = *c;
		copy->next = NULL;
		copy->connect_ip = (struct kl_addr){ 0 };
		copy->connect_port = 0;
		conf_list_append(&rs->checkers, copy);
	}
	rs->n_checkers = tpl->n_checkers;
	rs->rise = tpl->rise;
	rs->fall = tpl->fall;
}

/* A server added at run time is checked as the first server of its pool
 * is; with no such server, or one without checks, it has none and counts
 * as up (as a keepalived real_server without a checker). */
static void
edit_add(struct cfg_ctx *p, VS *vs, const struct conf_edit *e, int seq)
{
	const char *pool = e->pool != NULL ? e->pool :
	    vs->default_pool != NULL ? vs->default_pool : VS_DEFAULT_POOL;
	const RS *tpl;
	RS *rs;

	for (tpl = vs->servers; tpl != NULL && strcmp(tpl->pool, pool) != 0; tpl = tpl->next)
		;
	rs = vs_add_server(p, vs, &e->rs_addr, e->rs_port,
	    (struct cfg_src){ .file = VS_EDIT_SRC, .line = seq });
	rs->weight = e->weight;
	rs->pool = pool;
	if (tpl != NULL)
		edit_copy_checks(p, rs, tpl);
}

static void
edit_remove(VS *vs, const struct conf_edit *e)
{
	const RS *rs = vs_find_server(vs, &e->rs_addr, e->rs_port);
	RS **pp;

	for (pp = &vs->servers; *pp != NULL; pp = &(*pp)->next)
		if (*pp == rs) {
			*pp = (*pp)->next;
			vs->n_servers--;
			return;
		}
}

void
vs_edits_apply(struct cfg_ctx *p, VS *vs)
{
	const struct conf *c = p->root;
	const struct conf_edit *e;
	int seq = 0;

	for (e = c->edits; e != NULL; e = e->next) {
		seq++;
		if (!edit_is_of(e, vs))
			continue;
		if (e->op == CONF_EDIT_ADD_SERVER)
			edit_add(p, vs, e, seq);
		else
			edit_remove(vs, e);
	}
}

void
vs_edits_renumber(struct conf *c)
{
	VS *vs;
	RS *rs;
	unsigned n = 0;

	if (c->edits == NULL)
		return;
	for (vs = c->virtual_servers; vs != NULL; vs = vs->next)
		for (rs = vs->servers; rs != NULL; rs = rs->next)
			rs->index = n++;
	c->n_real_servers = n;
}
