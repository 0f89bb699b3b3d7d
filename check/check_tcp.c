/* TCP_CHECK: the check passes when a connection is established within
 * connect_timeout. */
#include "config.h"

#include "check/check.h"

static void
tcp_close(struct check *c)
{
	check_conn_close(&c->conn, c->ctx->loop);
}

static void
tcp_on_event(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct check *c = arg;
	char err[CHECK_REASON_LEN];
	int rc = check_conn_established(&c->conn, err, sizeof(err));

	tcp_close(c);
	if (rc == 0)
		check_attempt_end(c, true, "connected");
	else
		check_attempt_end(c, false, "%s", err);
}

static void
tcp_start(struct check *c)
{
	char err[CHECK_REASON_LEN];

	if (check_conn_open(&c->conn, c->conf, c->srv->conf, err, sizeof(err)) == -1) {
		check_attempt_end(c, false, "%s", err);
		return;
	}
	if (ev_fd_add(c->ctx->loop, c->conn.fd, EV_WRITE | EV_EDGE, tcp_on_event, c) == -1) {
		tcp_close(c);
		check_attempt_end(c, false, "cannot watch the socket");
	}
}

const struct check_ops check_tcp_ops = {
	.start = tcp_start,
	.cancel = tcp_close,
};
