/* The L7 forwarder child: accepts on the listening sockets the parent
 * made, runs the sessions (l7_sess.c), learns health changes from the
 * check child, and on DRAIN or STOP stops accepting and lets the
 * requests in flight finish.  See l7.h. */
#include "config.h"

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/log.h"
#include "splice/l7.h"
#include "splice/l7_child.h"
#include "splice/l7_head.h"
#include "splice/l7_queue.h"
#include "splice/l7_sync.h"
#include "splice/sched.h"

#define ACCEPT_BATCH		64	/* connections per listener per pass */
#define BUF_HEAD_RESERVE	4096	/* room for fields the proxy adds */
#define STOP_DRAIN_MS		2500	/* SIGTERM: with the VIP wait, within the parent's 4 s */
#define STOP_VIP_WAIT_MS	1000	/* listeners outlive a stop until the VIPs go */
#define STOP_POLL_MS		10
#define ACCEPT_RETRY_MS		100	/* out of fds: try accept(2) again after */

/* Accepting ---------------------------------------------------------------- */

static void
listener_watch(struct l7_vs *vs, bool on)
{
	if (vs->lfd == -1)
		return;
	if (on)
		ev_fd_mod(vs->l7->loop, vs->lfd, EV_READ);
	else
		ev_fd_mod(vs->l7->loop, vs->lfd, 0);
}

static bool
at_maxconn(const struct l7_vs *vs)
{
	return vs->conf->maxconn > 0 && vs->active >= vs->conf->maxconn;
}

void
l7_vs_resume(struct l7_vs *vs)
{
	if (vs->paused && !at_maxconn(vs)) {
		vs->paused = false;
		listener_watch(vs, true);
	}
}

/* Out of file descriptors, the listening socket stays readable: stop
 * watching it (a closed session or the retry timer watches it again),
 * rather than spin on accept(2).  The kernel's backlog holds the clients. */
static void
starved(struct l7_vs *vs)
{
	struct l7 *l7 = vs->l7;

	if (starve_hit(&vs->starve, ev_now(l7->loop)))
		log_warn("virtual server %u: accept (paused for %d ms at a time)",
		    vs->conf->index, ACCEPT_RETRY_MS);
	vs->paused = true;
	listener_watch(vs, false);
	if (!ev_timer_pending(&l7->accept_retry))
		ev_timer_start(l7->loop, &l7->accept_retry, ACCEPT_RETRY_MS);
}

static void
on_accept_retry(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct l7 *l7 = arg;
	unsigned i;

	for (i = 0; i < l7->n_vs; i++)
		l7_vs_resume(&l7->vss[i]);
}

static void
on_accept(struct ev_loop *loop, int lfd, unsigned events, void *arg)
{
	struct l7_vs *vs = arg;
	struct l7 *l7 = vs->l7;
	unsigned pauses;
	int i, on = 1;

	for (i = 0; i < ACCEPT_BATCH; i++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		struct kl_addr src;
		uint16_t port;
		int fd;

		if (at_maxconn(vs)) {
			/* The kernel's backlog holds the others until one closes. */
			vs->paused = true;
			listener_watch(vs, false);
			return;
		}
		fd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EMFILE || errno == ENFILE) {
				starved(vs);
				return;
			}
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED)
				log_warn("virtual server %u: accept", vs->conf->index);
			return;
		}
		if ((pauses = starve_ok(&vs->starve, ev_now(l7->loop))) > 0)
			log_info("virtual server %u: accepting again (%u pauses)",
			    vs->conf->index, pauses);
		if (addr_from_sockaddr((struct sockaddr *)&ss, &src, &port) == -1) {
			close(fd);
			continue;
		}
		/* Heads and bodies are written whole: no need to wait for ACKs. */
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
		l7_sock_bufs(fd, 0, vs->conf->sndbuf_client);
		l7_sess_accepted(vs, fd, &src, port);
	}
}

/* Setup ----------------------------------------------------------------------- */

static int
vs_open(struct l7 *l7, struct l7_vs *vs, const struct conf_virtual_server *conf, int lfd)
{
	*vs = (struct l7_vs){
		.conf = conf, .l7 = l7, .shm = &l7->shm->vs[conf->index], .lfd = lfd,
		.limits = HTTP1_LIMITS_DEFAULT,
	};
	vs->limits.max_header_size = conf->max_header_size;
	if ((vs->pools = pool_set_new(conf)) == NULL || l7_queue_init(vs) == -1)
		return -1;
	atomic_store(&vs->shm->queued, 0);	/* a predecessor's waiting requests are not ours */
	if (conf->persistence_timeout_ms > 0 &&
	    l7_sticky_init(&vs->sticky, conf->persistence_timeout_ms) == -1)
		return -1;
	if (conf->cookie.mode != CONF_COOKIE_NONE && l7_cookie_ids_init(&vs->cookies, conf) == -1)
		return -1;
	if (lfd != -1 && ev_fd_add(l7->loop, lfd, EV_READ, on_accept, vs) == -1)
		return -1;
	return 0;
}

static void
vs_close(struct l7_vs *vs)
{
	if (vs->lfd != -1) {
		ev_fd_del(vs->l7->loop, vs->lfd);
		close(vs->lfd);
		vs->lfd = -1;
	}
	l7_queue_free(vs);
	pool_set_free(vs->pools);
	vs->pools = NULL;
	l7_sticky_free(&vs->sticky);
	l7_cookie_ids_free(&vs->cookies);
}

/* The largest head any virtual server accepts, plus what the proxy adds. */
static size_t
buffer_size(const struct conf *c)
{
	const struct conf_virtual_server *vs;
	size_t size = HTTP1_HEADER_SIZE_DEFAULT;

	for (vs = c->virtual_servers; vs != NULL; vs = vs->next)
		if (vs->max_header_size > size)
			size = vs->max_header_size;
	return size + BUF_HEAD_RESERVE;
}

/* Health -------------------------------------------------------------------- */

static void
on_health(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct l7 *l7 = arg;
	uint32_t i;

	shm_event_clear(fd);
	/* A server that went down starts its passive count afresh, and its
	 * idle connections go. */
	for (i = 0; i < l7->shm->hdr->n_rs; i++) {
		if (atomic_load(&l7->shm->rs[i].health) != SHM_HEALTH_DOWN)
			continue;
		if (atomic_load(&l7->shm->rs[i].passive_failures) != 0)
			atomic_store(&l7->shm->rs[i].passive_failures, 0);
		l7_idle_flush(l7, i);
	}
	/* A server up again, or a weight changed: waiting requests look. */
	l7_queue_wake_all(l7);
}

static void
on_run_timer(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	l7_sess_run_queue(arg);
}

static void
on_pool_trim(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct l7 *l7 = arg;

	/* Buffers are malloc'ed from the heap, where free() keeps the pages
	 * of a chunk below the top: give them back, or the memory of a
	 * burst stays resident beside thousands of idle connections. */
	if (l7_bufpool_trim(&l7->bufs) > 0)
		malloc_trim(0);
	l7_pipepool_trim(&l7->pipes);
	ev_timer_start(loop, t, L7_POOL_TRIM_MS);
}

/* Leaving --------------------------------------------------------------------- */

static void
on_leave_timer(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct l7 *l7 = arg;

	if (l7->n_sessions > 0)
		log_info("drain time over: closing %u connection(s)", l7->n_sessions);
	ev_stop(loop);
}

static void
close_listeners(struct l7 *l7)
{
	unsigned i;

	for (i = 0; i < l7->n_vs; i++)
		if (l7->vss[i].lfd != -1) {
			ev_fd_del(l7->loop, l7->vss[i].lfd);
			close(l7->vss[i].lfd);
			l7->vss[i].lfd = -1;
		}
	l7->accepting = false;
}

static bool
vrrp_holds_a_vip(const struct shm *shm)
{
	uint32_t i;

	for (i = 0; i < shm->hdr->n_vrrp; i++)
		if (atomic_load(&shm->vrrp[i].state) == SHM_VRRP_MASTER)
			return true;
	return false;
}

/* Listeners closed: leave once the last connection has. */
static void
finish_leaving(struct l7 *l7)
{
	if (l7->n_sessions == 0) {
		ev_stop(l7->loop);
		return;
	}
	log_info("draining %u connection(s) for up to %u ms", l7->n_sessions, l7->drain_ms);
	ev_timer_start(l7->loop, &l7->leave_timer, l7->drain_ms);
}

/* Stopping: clients keep reaching this node until VRRP has let the VIPs
 * go, so the listeners stay open until then (closed, a connection sent
 * meanwhile would be refused), or until STOP_VIP_WAIT_MS. */
static void
on_stop_poll(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct l7 *l7 = arg;

	if (vrrp_holds_a_vip(l7->shm) && ev_now(loop) < l7->stop_deadline) {
		ev_timer_start(loop, t, STOP_POLL_MS);
		return;
	}
	close_listeners(l7);
	finish_leaving(l7);
}

static void
l7_on_exit(struct proc_child *pc, enum proc_exit_reason why, uint32_t arg)
{
	struct l7 *l7 = pc->arg;
	struct l7_sess *s, *next;

	l7->leaving = true;
	l7_sync_close(l7);		/* a successor takes the link over */
	l7->drain_ms = why == PROC_EXIT_DRAIN ? arg : STOP_DRAIN_MS;
	l7_idle_close_all(l7);		/* and none is parked from now on */
	if (why == PROC_EXIT_HANDOVER) {
		close_listeners(l7);
		ev_stop(pc->loop);
		return;
	}
	for (s = l7->sessions; s != NULL; s = next) {
		next = s->next;
		l7_sess_quiesce(s);
	}
	if (why == PROC_EXIT_STOP) {
		l7->stop_deadline = ev_now(pc->loop) + STOP_VIP_WAIT_MS;
		on_stop_poll(pc->loop, &l7->stop_poll, l7);
		return;
	}
	/* A reload: the new child accepts on the same sockets already. */
	close_listeners(l7);
	finish_leaving(l7);
}

static int
l7_open(struct l7 *l7, const struct proc_env *env)
{
	const struct conf_virtual_server *vs;

	l7->n_vs = env->conf->n_virtual_servers;
	l7->vss = calloc(l7->n_vs + 1, sizeof(*l7->vss));
	l7->active = calloc(env->conf->n_real_servers + 1, sizeof(*l7->active));
	if (l7->vss == NULL || l7->active == NULL ||
	    l7_idle_init(l7, env->conf->n_real_servers) == -1 ||
	    l7_auth_init(&l7->auth, env->conf) == -1)
		return -1;
	for (vs = env->conf->virtual_servers; vs != NULL; vs = vs->next)
		if (vs_open(l7, &l7->vss[vs->index], vs,
		    env->listen_fds != NULL ? env->listen_fds[vs->index] : -1) == -1)
			return -1;
	if (l7_sync_open(l7) == -1)
		return -1;
	return ev_fd_add(l7->loop, env->shm->health_efd, EV_READ, on_health, l7);
}

static void
l7_close(struct l7 *l7)
{
	unsigned i;

	while (l7->sessions != NULL)
		l7_sess_close(l7->sessions);
	l7_sess_run_queue(l7);		/* frees the closed sessions */
	l7_idle_free(l7);
	l7_auth_free(&l7->auth);
	l7_sync_close(l7);
	for (i = 0; i < l7->n_vs; i++)
		vs_close(&l7->vss[i]);
	free(l7->vss);
	free(l7->active);
	l7_bufpool_drain(&l7->bufs);
	l7_pipepool_drain(&l7->pipes);
}

int
l7_child_main(const struct proc_env *env)
{
	struct l7 l7 = { .conf = env->conf, .shm = env->shm };
	int rc;

	signal(SIGPIPE, SIG_IGN);
	if (proc_child_init(&l7.pc, env, l7_on_exit, &l7) == -1)
		return 1;
	l7.loop = l7.pc.loop;
	l7.bufs.size = buffer_size(env->conf);
	ev_timer_init(&l7.run_timer, on_run_timer, &l7);
	ev_timer_init(&l7.pool_trim, on_pool_trim, &l7);
	ev_timer_init(&l7.leave_timer, on_leave_timer, &l7);
	ev_timer_init(&l7.stop_poll, on_stop_poll, &l7);
	ev_timer_init(&l7.accept_retry, on_accept_retry, &l7);
	l7.accepting = true;
	if (l7_open(&l7, env) == -1) {
		log_warn("l7: setup");
		l7_close(&l7);
		ev_free(l7.pc.loop);
		return 1;
	}
	log_info("%u virtual server(s) listening", l7.n_vs);
	ev_timer_start(l7.loop, &l7.pool_trim, L7_POOL_TRIM_MS);
	proc_child_ready(&l7.pc);
	rc = proc_child_run_keep(&l7.pc);
	l7.leaving = false;		/* no ev_stop from the final clean-up */
	l7_close(&l7);
	ev_free(l7.pc.loop);
	return rc;
}
