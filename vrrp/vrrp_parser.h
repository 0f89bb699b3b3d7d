/* Keyword tables of the VRRP blocks: vrrp_script, vrrp_sync_group,
 * vrrp_instance.  keepalive-l7/conf_load.c hangs them under the root. */
#ifndef KL7_VRRP_PARSER_H
#define KL7_VRRP_PARSER_H

#include "lib/cfg.h"
#include "lib/conf.h"

extern const struct cfg_kw vrrp_script_kws[];
extern const struct cfg_kw vrrp_sync_group_kws[];
extern const struct cfg_kw vrrp_instance_kws[];

void	*vrrp_script_open(struct cfg_ctx *p, const struct cfg_stmt *st, void *conf);
void	 vrrp_script_close(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj);
void	*vrrp_sync_group_open(struct cfg_ctx *p, const struct cfg_stmt *st, void *conf);
int	 vrrp_sync_group_bare_name(struct cfg_ctx *p, const struct cfg_stmt *st, void *group);
void	*vrrp_instance_open(struct cfg_ctx *p, const struct cfg_stmt *st, void *conf);
void	 vrrp_instance_close(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj);

/* Checks that span instances (run once the whole file is read): unique
 * names and (interface, VRID, family), resolved track_script and sync
 * group names, inherited global defaults. */
void	 vrrp_conf_validate(struct cfg_ctx *p, struct conf *c);

#endif
