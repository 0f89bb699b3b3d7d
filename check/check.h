/* The check child's runtime: one `struct check` per configured checker,
 * one `struct check_srv` per real server, one `struct check_vs` per
 * virtual server, all in one `struct check_ctx` the child owns.
 *
 * A checker runs rounds, one every delay_loop.  A round is one attempt,
 * plus up to `retry` more, delay_before_retry apart, while attempts fail.
 * Each attempt is the checker type's job (check_ops): it ends, at once or
 * later from the event loop, with check_attempt_end().  The round's
 * result feeds the server's rise/fall counting (check_srv.c), which
 * publishes health to shared state.
 */
#ifndef KL7_CHECK_H
#define KL7_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/conf.h"
#include "lib/ev.h"
#include "lib/shm.h"
#include "check/check_conn.h"

#define CHECK_REASON_LEN	128	/* as shm_rs.last_error */

struct check;
struct check_ctx;
struct check_http;

struct check_ops {
	/* Begin an attempt; it ends with check_attempt_end(), maybe
	 * before start returns. */
	void		(*start)(struct check *c);
	/* The attempt timed out or the child leaves: release what it holds,
	 * without calling check_attempt_end(). */
	void		(*cancel)(struct check *c);
};

extern const struct check_ops check_tcp_ops;
extern const struct check_ops check_http_ops;	/* HTTP_GET and SSL_GET */
extern const struct check_ops check_misc_ops;

enum check_phase {
	CHECK_IDLE,		/* waiting for the next round */
	CHECK_ATTEMPT,		/* an attempt is running; the timer is its timeout */
	CHECK_RETRY_WAIT,	/* waiting delay_before_retry */
};

struct check {
	const struct conf_checker *conf;
	const struct check_ops	*ops;
	struct check_srv	*srv;
	struct check_ctx	*ctx;
	struct ev_timer		 timer;
	enum check_phase	 phase;
	unsigned		 tries;		/* attempts in this round */
	bool			 up;		/* this checker's verdict */
	unsigned		 n_ok;		/* consecutive rounds */
	unsigned		 n_fail;
	int			 dyn_weight;	/* misc_dynamic; -1: none */
	char			 reason[CHECK_REASON_LEN];	/* of the last result */
	/* Per-type attempt state. */
	struct check_conn	 conn;		/* TCP_CHECK, HTTP_GET, SSL_GET */
	struct check_http	*http;		/* HTTP_GET, SSL_GET, during an attempt */
	pid_t			 pid;		/* MISC_CHECK, while its script runs */
	bool			 killed;	/* MISC_CHECK timed out */
	struct check		*next_running;	/* MISC_CHECK: ctx->misc_running */
};

struct check_srv {
	const struct conf_real_server	*conf;
	struct check_vs			*vs;
	struct shm_rs			*shm;
	struct check			*checks;	/* conf->n_checkers of them */
	bool				 up;
	bool				 been_up;	/* since the start: a later up is a comeback */
	unsigned			 weight;	/* effective, while up */
};

struct check_vs {
	const struct conf_virtual_server *conf;
	struct check_ctx		*ctx;
	struct shm_vs			*shm;
	struct check_srv		*srvs;		/* conf->n_servers of them */
	bool				 quorum;
};

struct check_ctx {
	struct ev_loop		*loop;
	const struct conf	*conf;
	struct shm		*shm;
	void			*tls;		/* SSL_CTX, made for the first SSL_GET */
	struct check_vs		*vss;
	unsigned		 n_vs;
	struct check_srv	*srvs;
	unsigned		 n_srv;
	struct check		*checks;
	unsigned		 n_checks;
	struct check		*misc_running;	/* MISC_CHECKs whose script runs */
};

/* check_ctx.c: the runtime for ctx->conf over ctx->shm, on ctx->loop
 * (all three set by the caller); -1 when out of memory. */
int	check_ctx_build(struct check_ctx *ctx);
/* Announce missing quorums; start every checker. */
void	check_ctx_start(struct check_ctx *ctx);
/* Stop the checkers and free the runtime. */
void	check_ctx_free(struct check_ctx *ctx);

/* check_run.c: rounds, attempts, retries and timeouts. */
const char *check_type_name(const struct check *c);	/* "HTTP_GET", ... */
void	check_init(struct check *c, struct check_ctx *ctx, struct check_srv *srv,
	    const struct conf_checker *conf);
/* First round: now, or after a random part of delay_loop with warmup. */
void	check_start(struct check *c);
void	check_stop(struct check *c);
void	check_attempt_end(struct check *c, bool ok, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Restart the attempt's timeout (an attempt with several steps). */
void	check_attempt_rearm(struct check *c);

/* check_misc.c: a reaped process; false if no MISC_CHECK waited for it. */
bool	check_misc_reaped(struct check_ctx *ctx, pid_t pid, int status);

/* check_srv.c: a round's result, rise/fall, health, quorum, scripts.
 * Records already in shared state (a restarted or reloaded child) are
 * adopted as they are; fresh ones start up, or down with alpha. */
void	check_vs_init(struct check_vs *v, struct check_ctx *ctx,
	    const struct conf_virtual_server *conf, struct shm_vs *shm,
	    struct check_srv *srvs);
/* After check_init() of the server's checkers. */
void	check_srv_init(struct check_srv *s, struct check_vs *vs,
	    const struct conf_real_server *conf, struct shm_rs *shm, struct check *checks);
/* After check_srv_init() of its servers: publish, announce a missing quorum. */
void	check_vs_start(struct check_vs *v);
void	check_srv_round(struct check_srv *s, struct check *c, bool ok);
/* Passive health: take every server past its error_limit down. */
void	check_srv_passive_scan(struct check_ctx *ctx);
/* The parent changed an operator weight (PROC_MSG_OPERATOR): re-publish. */
void	check_srv_operator_scan(struct check_ctx *ctx);
/* Next quorum state from the live weight (keepalived's rule, with
 * hysteresis as a dead band around the quorum). */
bool	check_quorum_next(bool up, uint64_t live_weight, unsigned quorum, unsigned hysteresis);
/* omega: the daemon stops; run the scripts that say things go down. */
void	check_vs_omega(struct check_vs *v);

#endif
