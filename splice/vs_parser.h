/* Keyword tables of virtual_server, its real_server and http_route
 * blocks.  keepalive-l7/conf_load.c hangs virtual_server under the root. */
#ifndef KL7_VS_PARSER_H
#define KL7_VS_PARSER_H

#include "lib/cfg.h"
#include "lib/conf.h"

extern const struct cfg_kw vs_kws[];

void	*vs_open(struct cfg_ctx *p, const struct cfg_stmt *st, void *conf);
void	 vs_close(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj);

/* Checks across virtual servers: no two listen on the same address and port. */
void	 vs_conf_validate(struct cfg_ctx *p, struct conf *c);

/* Name of the pool a real server without `pool` belongs to. */
#define VS_DEFAULT_POOL	"default"

#endif
