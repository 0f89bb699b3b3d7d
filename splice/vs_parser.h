/* Keyword tables of virtual_server, its real_server, http_route and
 * tls_route blocks.  keepalive-l7/conf_load.c hangs virtual_server under the root. */
#ifndef KL7_VS_PARSER_H
#define KL7_VS_PARSER_H

#include "lib/cfg.h"
#include "lib/conf.h"

extern const struct cfg_kw vs_kws[];

void	*vs_open(struct cfg_ctx *p, const struct cfg_stmt *st, void *conf);
void	 vs_close(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj);

/* Checks across virtual servers: no two listen on the same address and
 * port.  Numbers the real servers again when runtime edits removed some. */
void	 vs_conf_validate(struct cfg_ctx *p, struct conf *c);

/* The real server of vs at addr:port, or NULL. */
struct conf_real_server *vs_find_server(const struct conf_virtual_server *vs,
	    const struct kl_addr *addr, uint16_t port);
/* A new real server of vs with the defaults of an empty real_server
 * block, defined at src (the file's, or a runtime edit's). */
struct conf_real_server *vs_add_server(struct cfg_ctx *p, struct conf_virtual_server *vs,
	    const struct kl_addr *addr, uint16_t port, struct cfg_src src);

/* Runtime edits (lib/conf.h, splice/vs_edit.c).  At vs's block end, before
 * its checks: apply the model's edits of vs in order.  The edits were
 * checked against the model they change (keepalive-l7/conf_edit.c). */
void	 vs_edits_apply(struct cfg_ctx *p, struct conf_virtual_server *vs);
/* After the parse: real server slots 0..n-1 in order again, without the
 * holes removed servers leave. */
void	 vs_edits_renumber(struct conf *c);

/* Host name patterns (http_route host, tls_route sni): exact, or "*."
 * and a suffix; appended to *list.  -1 after an error for each bad one
 * (appended too: the model is discarded, and its block's end must not
 * also find the keyword missing). */
int	 vs_read_host_patterns(struct cfg_ctx *p, const struct cfg_stmt *st,
	    struct conf_pattern_list **list);
/* Whether a real server of vs has `pool pool`. */
bool	 vs_pool_exists(const struct conf_virtual_server *vs, const char *pool);

/* tls_route (splice/tls_route_parser.c). */
extern const struct cfg_kw tls_route_kws[];
void	*tls_route_open(struct cfg_ctx *p, const struct cfg_stmt *st, void *vs);
void	 tls_route_close(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj);
/* At the virtual_server's end: only with lb_kind NAT, pools that exist. */
void	 tls_routes_check(struct cfg_ctx *p, const struct conf_virtual_server *vs);

/* Name of the pool a real server without `pool` belongs to. */
#define VS_DEFAULT_POOL	"default"

#endif
