/* The sticky_sync block: where the l7 child listens for its peer node,
 * where the peer is, and the secret they share.  keepalive-l7/conf_load.c
 * hangs it under the root; splice/l7_sync.c runs the link. */
#ifndef KL7_SYNC_PARSER_H
#define KL7_SYNC_PARSER_H

#include "lib/cfg.h"
#include "lib/conf.h"

extern const struct cfg_kw sync_kws[];

void	*sync_open(struct cfg_ctx *p, const struct cfg_stmt *st, void *conf);
void	 sync_close(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj);

#endif
