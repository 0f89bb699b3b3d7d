/* http_route basic authentication keywords; see auth_parser.h. */
#include "config.h"

#include <string.h>

#include "lib/arena.h"
#include "splice/auth_basic.h"
#include "splice/auth_hash.h"
#include "splice/auth_parser.h"

/* RFC 7617 2: a user-id holds no ':' and no control byte; and it must
 * fit what the l7 child reads of one (AUTH_BASIC_USER_MAX). */
static int
check_user_name(struct cfg_ctx *p, const struct cfg_tok *t)
{
	const unsigned char *c;

	if (t->s[0] == '\0' || strlen(t->s) > AUTH_BASIC_USER_MAX) {
		cfg_error(p, t, "auth_users: a user name has 1 to %d bytes",
		    AUTH_BASIC_USER_MAX);
		return -1;
	}
	for (c = (const unsigned char *)t->s; *c != '\0'; c++)
		if (*c == ':' || *c < 0x20 || *c == 0x7f) {
			cfg_error(p, t, "auth_users: user '%s': a user name cannot hold ':' "
			    "or control bytes (RFC 7617 2)", t->s);
			return -1;
		}
	return 0;
}

int
auth_parse_user(struct cfg_ctx *p, const struct cfg_stmt *st, void *route)
{
	struct conf_http_route *r = route;
	struct conf_http_user *u, *o;
	char why[192];

	if (st->nargs != 1) {
		cfg_error(p, st->key, "auth_users: expected 'USER HASH' on each line");
		return -1;
	}
	if (check_user_name(p, st->key) == -1)
		return -1;
	for (o = r->auth_users; o != NULL; o = o->next)
		if (strcmp(o->name, st->key->s) == 0) {
			cfg_error(p, st->key, "auth_users: user '%s' is listed twice (first on "
			    "line %d)", o->name, o->src.line);
			return -1;
		}
	if (auth_hash_check(st->args[0].s, why, sizeof(why)) == -1) {
		cfg_error(p, &st->args[0], "auth_users: user '%s': %s", st->key->s, why);
		return -1;
	}
	u = arena_alloc(p->arena, sizeof(*u));
	u->src = cfg_src_of(st->key);
	u->name = st->key->s;
	u->hash = st->args[0].s;
	conf_list_append(&r->auth_users, u);
	return 0;
}

void
auth_users_close(struct cfg_ctx *p, const struct cfg_stmt *st, void *route)
{
	const struct cfg_tok *close = st->key + 2;

	/* The statement's tokens are in a row: "auth_users" "{" "}" is a
	 * block without a line (a line with an error reported it already). */
	if (close < p->toks + p->ntoks && strcmp(close->s, "}") == 0 && !close->quoted)
		cfg_error(p, st->key, "auth_users: the block lists no user");
}

/* What a quoted-string in the challenge can carry (auth_basic.h). */
static bool
realm_ok(const char *realm)
{
	return strlen(realm) <= AUTH_BASIC_REALM_MAX && auth_basic_quotable(realm);
}

int
auth_parse_realm(struct cfg_ctx *p, const struct cfg_stmt *st, void *route)
{
	struct conf_http_route *r = route;

	if (!realm_ok(st->args[0].s)) {
		cfg_error(p, &st->args[0], "auth_realm: a realm has at most %d bytes and no "
		    "control bytes", AUTH_BASIC_REALM_MAX);
		return -1;
	}
	r->auth_realm = st->args[0].s;
	return 0;
}

void
auth_route_close(struct cfg_ctx *p, struct conf_http_route *r)
{
	if (r->auth_users == NULL) {
		if (r->auth_realm != NULL || r->auth_forward)
			cfg_error_src(p, &r->src, "http_route %s: auth_realm and auth_forward "
			    "need auth_users", r->name);
		return;
	}
	if (r->auth_realm == NULL && !realm_ok(r->name))
		cfg_error_src(p, &r->src, "http_route %s: the name is no realm (over %d "
		    "bytes, or control bytes): give auth_realm", r->name, AUTH_BASIC_REALM_MAX);
	if (r->auth_realm == NULL)
		r->auth_realm = r->name;
}
