/* Keyword tables of the checker blocks inside a real_server: TCP_CHECK,
 * HTTP_GET, SSL_GET, MISC_CHECK.  splice/vs_parser.c hangs them under
 * real_server. */
#ifndef KL7_CHECK_PARSER_H
#define KL7_CHECK_PARSER_H

#include "lib/cfg.h"
#include "lib/conf.h"

extern const struct cfg_kw check_tcp_kws[];
extern const struct cfg_kw check_http_kws[];
extern const struct cfg_kw check_misc_kws[];

/* Openers take the struct conf_real_server the checker belongs to. */
void	*check_tcp_open(struct cfg_ctx *p, const struct cfg_stmt *st, void *rs);
void	*check_http_open(struct cfg_ctx *p, const struct cfg_stmt *st, void *rs);
void	*check_ssl_open(struct cfg_ctx *p, const struct cfg_stmt *st, void *rs);
void	*check_misc_open(struct cfg_ctx *p, const struct cfg_stmt *st, void *rs);
void	 check_close(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj);

/* Defaults that depend on the enclosing virtual server (delay_loop). */
void	 check_conf_inherit(const struct conf_virtual_server *vs, struct conf_real_server *rs);

/* "200", "200-299", "200,301-308": appended to url->status; 0 or -1. */
int	 check_parse_status(const char *s, struct conf_url *url);

#endif
