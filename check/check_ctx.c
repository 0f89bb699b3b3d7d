/* Building the check runtime from the model; see check.h. */
#include "config.h"

#include <stdlib.h>

#include "check/check.h"

static unsigned
count_checkers(const struct conf *c)
{
	const struct conf_virtual_server *vs;
	const struct conf_real_server *rs;
	unsigned n = 0;

	for (vs = c->virtual_servers; vs != NULL; vs = vs->next)
		for (rs = vs->servers; rs != NULL; rs = rs->next)
			n += rs->n_checkers;
	return n;
}

static bool
uses_tls(const struct conf *c)
{
	const struct conf_virtual_server *vs;
	const struct conf_real_server *rs;
	const struct conf_checker *ck;

	for (vs = c->virtual_servers; vs != NULL; vs = vs->next)
		for (rs = vs->servers; rs != NULL; rs = rs->next)
			for (ck = rs->checkers; ck != NULL; ck = ck->next)
				if (ck->type == CONF_CHECK_SSL)
					return true;
	return false;
}

static void
build_server(struct check_ctx *ctx, struct check_vs *v, const struct conf_real_server *rs,
    struct check *checks)
{
	struct check_srv *s = &ctx->srvs[rs->index];
	const struct conf_checker *ck;
	unsigned i = 0;

	for (ck = rs->checkers; ck != NULL; ck = ck->next)
		check_init(&checks[i++], ctx, s, ck);
	check_srv_init(s, v, rs, &ctx->shm->rs[rs->index], checks);
}

int
check_ctx_build(struct check_ctx *ctx)
{
	const struct conf *c = ctx->conf;
	const struct conf_virtual_server *vs;
	const struct conf_real_server *rs;
	unsigned k = 0;

	ctx->n_vs = c->n_virtual_servers;
	ctx->n_srv = c->n_real_servers;
	ctx->n_checks = count_checkers(c);
	ctx->vss = calloc(ctx->n_vs + 1, sizeof(*ctx->vss));
	ctx->srvs = calloc(ctx->n_srv + 1, sizeof(*ctx->srvs));
	ctx->checks = calloc(ctx->n_checks + 1, sizeof(*ctx->checks));
	if (ctx->vss == NULL || ctx->srvs == NULL || ctx->checks == NULL)
		return -1;
	if (uses_tls(c) && (ctx->tls = check_tls_ctx_new()) == NULL)
		return -1;
	for (vs = c->virtual_servers; vs != NULL; vs = vs->next) {
		struct check_vs *v = &ctx->vss[vs->index];

		/* A virtual server's servers have consecutive indexes. */
		check_vs_init(v, ctx, vs, &ctx->shm->vs[vs->index],
		    vs->servers != NULL ? &ctx->srvs[vs->servers->index] : NULL);
		for (rs = vs->servers; rs != NULL; rs = rs->next) {
			build_server(ctx, v, rs, &ctx->checks[k]);
			k += rs->n_checkers;
		}
	}
	return 0;
}

void
check_ctx_free(struct check_ctx *ctx)
{
	unsigned i;

	for (i = 0; i < ctx->n_checks; i++)
		check_stop(&ctx->checks[i]);
	if (ctx->tls != NULL)
		check_tls_ctx_free(ctx->tls);
	free(ctx->checks);
	free(ctx->srvs);
	free(ctx->vss);
}

void
check_ctx_start(struct check_ctx *ctx)
{
	unsigned i;

	for (i = 0; i < ctx->n_vs; i++)
		check_vs_start(&ctx->vss[i]);
	for (i = 0; i < ctx->n_checks; i++)
		check_start(&ctx->checks[i]);
}
