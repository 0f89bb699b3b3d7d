/* A checker's life: rounds every delay_loop, each up to retry + 1
 * attempts delay_before_retry apart, each attempt bounded by its timeout.
 * See check.h. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/log.h"
#include "check/check.h"

static const struct check_ops *
ops_of(enum conf_check_type type)
{
	switch (type) {
	case CONF_CHECK_TCP:
		return &check_tcp_ops;
	case CONF_CHECK_HTTP:
	case CONF_CHECK_SSL:
		return &check_http_ops;
	case CONF_CHECK_MISC:
		return &check_misc_ops;
	}
	return NULL;
}

const char *
check_type_name(const struct check *c)
{
	return conf_check_type_names[c->conf->type].name;
}

static uint32_t
attempt_timeout_ms(const struct check *c)
{
	return c->conf->type == CONF_CHECK_MISC ? c->conf->misc_timeout_ms :
	    c->conf->connect_timeout_ms;
}

static void
attempt_start(struct check *c)
{
	c->phase = CHECK_ATTEMPT;
	c->tries++;
	ev_timer_start(c->ctx->loop, &c->timer, attempt_timeout_ms(c));
	c->ops->start(c);
}

static void
round_end(struct check *c, bool ok)
{
	c->phase = CHECK_IDLE;
	c->tries = 0;
	ev_timer_start(c->ctx->loop, &c->timer, c->conf->delay_loop_ms);
	check_srv_round(c->srv, c, ok);
}

static void
check_timer_expired(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct check *c = arg;

	switch (c->phase) {
	case CHECK_IDLE:
	case CHECK_RETRY_WAIT:
		attempt_start(c);
		break;
	case CHECK_ATTEMPT:
		c->ops->cancel(c);
		if (c->conf->type == CONF_CHECK_MISC)
			check_attempt_end(c, false, "'%s' timed out after %.3g s",
			    c->conf->misc_path, (double)attempt_timeout_ms(c) / 1000);
		else
			check_attempt_end(c, false, "no answer within %.3g s",
			    (double)attempt_timeout_ms(c) / 1000);
		break;
	}
}

void
check_init(struct check *c, struct check_ctx *ctx, struct check_srv *srv,
    const struct conf_checker *conf)
{
	*c = (struct check){
		.conf = conf, .ops = ops_of(conf->type), .srv = srv, .ctx = ctx,
		.up = !conf->alpha, .dyn_weight = -1,
	};
	check_conn_init(&c->conn);
	ev_timer_init(&c->timer, check_timer_expired, c);
}

void
check_start(struct check *c)
{
	uint32_t delay = 0;

	if (c->conf->warmup && c->conf->delay_loop_ms > 0)
		delay = arc4random_uniform(c->conf->delay_loop_ms);
	c->phase = CHECK_IDLE;
	ev_timer_start(c->ctx->loop, &c->timer, delay);
}

void
check_stop(struct check *c)
{
	if (c->phase == CHECK_ATTEMPT)
		c->ops->cancel(c);
	ev_timer_stop(c->ctx->loop, &c->timer);
	c->phase = CHECK_IDLE;
}

void
check_attempt_rearm(struct check *c)
{
	ev_timer_start(c->ctx->loop, &c->timer, attempt_timeout_ms(c));
}

void
check_attempt_end(struct check *c, bool ok, const char *fmt, ...)
{
	va_list ap;

	ev_timer_stop(c->ctx->loop, &c->timer);
	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof(c->reason), fmt, ap);
	va_end(ap);
	if (ok || c->tries > (unsigned)c->conf->retry) {
		round_end(c, ok);
		return;
	}
	if (c->conf->log_all_failures)
		log_info("%s:%d: %s attempt %u of %d failed: %s", c->conf->src.file,
		    c->conf->src.line, check_type_name(c), c->tries, c->conf->retry + 1, c->reason);
	c->phase = CHECK_RETRY_WAIT;
	ev_timer_start(c->ctx->loop, &c->timer, c->conf->delay_before_retry_ms);
}
