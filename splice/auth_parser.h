/* http_route's basic authentication keywords (keepalive-l7.conf(5)
 * HTTP_ROUTE): auth_users, auth_realm, auth_forward.  Their entries sit
 * in splice/vs_parser.c's route table. */
#ifndef KL7_AUTH_PARSER_H
#define KL7_AUTH_PARSER_H

#include "lib/cfg.h"
#include "lib/conf.h"

/* auth_users { USER HASH ... }: one item. */
int	auth_parse_user(struct cfg_ctx *p, const struct cfg_stmt *st, void *route);
/* The auth_users block's end: it named a user. */
void	auth_users_close(struct cfg_ctx *p, const struct cfg_stmt *st, void *route);
int	auth_parse_realm(struct cfg_ctx *p, const struct cfg_stmt *st, void *route);
/* At the route's end: auth_realm and auth_forward need auth_users; the
 * realm defaults to the route's name. */
void	auth_route_close(struct cfg_ctx *p, struct conf_http_route *r);

#define AUTH_ROUTE_KWS \
	{ .name = "auth_users", .kind = CFG_LIST, .fn = auth_parse_user, \
	  .close = auth_users_close }, \
	KW_FN("auth_realm", 1, 1, auth_parse_realm), \
	KW_FLAG("auth_forward", struct conf_http_route, auth_forward)

#endif
