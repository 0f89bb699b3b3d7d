/* The supervising parent; see supervisor.h and keepalive-l7(8). */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/log.h"
#include "check/check_child.h"
#include "splice/l7_child.h"
#include "vrrp/vrrp_child.h"
#include "keepalive-l7/conf_edit.h"
#include "keepalive-l7/metrics_text.h"
#include "keepalive-l7/sdnotify.h"
#include "keepalive-l7/state_dump.h"
#include "keepalive-l7/supervisor.h"

static const struct {
	const char		*name;
	proc_child_main_fn	*main;
} child_table[CHILD_NKINDS] = {
	[CHILD_VRRP] = { "vrrp", vrrp_child_main },
	[CHILD_CHECK] = { "check", check_child_main },
	[CHILD_L7] = { "l7", l7_child_main },
};

static void sup_stop(struct supervisor *sup, int status);

static bool
sup_wants(const struct supervisor *sup, enum child_kind kind)
{
	return (sup->opts->children & (1u << kind)) != 0;
}

/* Readiness ------------------------------------------------------------ */

void
supervisor_child_ready(struct supervisor *sup, struct child *c)
{
	int k;

	log_debug("child %s (pid %d) ready", c->name, (int)c->pid);
	if (sup->ready_sent || sup->stopping)
		return;
	for (k = 0; k < CHILD_NKINDS; k++)
		if (sup_wants(sup, k) && !sup->children[k].ready)
			return;
	sup->ready_sent = true;
	log_info("all children ready");
	sdnotify_ready();
}

/* Starting and losing children ----------------------------------------- */

static void
sup_respawn_expired(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct child *c = arg;

	if (c->sup->stopping || c->pid != 0)
		return;
	if (child_spawn(c) == -1)
		ev_timer_start(loop, &c->respawn, child_next_backoff(c, ev_now(loop)));
}

static void
sup_kill_expired(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct child *c = arg;

	if (c->pid != 0) {
		log_warnx("child %s (pid %d) did not finish in time; killing it", c->name,
		    (int)c->pid);
		kill(c->pid, SIGKILL);
	}
}

static void
sup_child_init(struct supervisor *sup, struct child *c, enum child_kind kind)
{
	memset(c, 0, sizeof(*c));
	c->sup = sup;
	c->kind = kind;
	c->name = child_table[kind].name;
	c->main = child_table[kind].main;
	c->ctl_fd = -1;
	ev_timer_init(&c->respawn, sup_respawn_expired, c);
	ev_timer_init(&c->kill_timer, sup_kill_expired, c);
}

void
supervisor_close_in_child(struct supervisor *sup, const struct child *self)
{
	int i;

	ev_free(sup->loop);
	snmp_agent_close_in_child(sup->snmp);
	pidfile_close(&sup->pidfile);
	ctl_server_close_in_child(&sup->ctl);
	metrics_close_in_child(&sup->metrics);
	if (sup->replacing > 0)
		shm_destroy(&sup->old_shm);
	for (i = 0; i < CHILD_NKINDS; i++)
		if (sup->children[i].ctl_fd != -1)
			close(sup->children[i].ctl_fd);
	for (i = 0; i < SUP_MAX_DRAINING; i++)
		if (sup->draining[i].ctl_fd != -1)
			close(sup->draining[i].ctl_fd);
	/* Only the l7 child accepts; in the others a listener held open
	 * would outlive its removal by a reload. */
	if (self->kind != CHILD_L7)
		listen_set_close(&sup->listeners);
}

static void
describe_status(int status, char *buf, size_t len)
{
	if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
}

/* A child replaced by a reload is gone: its successor adopts its state. */
static void
sup_replaced(struct supervisor *sup, struct child *c)
{
	if (c->kind == CHILD_VRRP)
		shm_carry_vrrp(&sup->shm, &sup->old_shm);
	else if (c->kind == CHILD_CHECK)
		shm_carry_servers(&sup->shm, &sup->old_shm, SHM_CARRY_CHECK);
	child_spawn(c);
	if (--sup->replacing == 0) {
		shm_destroy(&sup->old_shm);
		if (sup->reload_pending) {
			sup->reload_pending = false;
			supervisor_reload(sup);
		}
	}
}

static void
sup_crashed(struct supervisor *sup, struct child *c, int status, const char *how)
{
	int64_t delay;

	if (WIFEXITED(status) && WEXITSTATUS(status) == PROC_EXIT_CONFIG) {
		log_warnx("child %s cannot run this configuration; stopping", c->name);
		sup_stop(sup, 1);
		return;
	}
	delay = child_next_backoff(c, ev_now(sup->loop));
	c->restarts++;
	log_warnx("child %s (pid %d) %s; restarting in %.1f s", c->name, (int)c->pid, how,
	    (double)delay / 1000);
	ev_timer_start(sup->loop, &c->respawn, delay);
}

static bool
sup_all_gone(const struct supervisor *sup)
{
	int i;

	for (i = 0; i < CHILD_NKINDS; i++)
		if (sup->children[i].pid != 0)
			return false;
	for (i = 0; i < SUP_MAX_DRAINING; i++)
		if (sup->draining[i].pid != 0)
			return false;
	return true;
}

/* A child that wrote shared state under its locks may have died inside a
 * change: its successor, and readers, start from even locks. */
static void
sup_writer_gone(struct supervisor *sup, const struct child *c)
{
	struct shm *written = c->fate == CHILD_REPLACING ? &sup->old_shm : &sup->shm;

	if (c->kind == CHILD_CHECK)
		shm_writer_gone(written, SHM_WRITER_CHECK);
	else if (c->kind == CHILD_VRRP)
		shm_writer_gone(written, SHM_WRITER_VRRP);
}

static void
sup_child_exited(struct supervisor *sup, struct child *c, int status)
{
	enum child_fate fate = c->fate;
	char how[64];

	sup_writer_gone(sup, c);
	describe_status(status, how, sizeof(how));
	if (fate != CHILD_RUNNING)
		log_info("child %s (pid %d) %s", c->name, (int)c->pid, how);
	if (fate == CHILD_RUNNING && !sup->stopping)
		sup_crashed(sup, c, status, how);	/* logs with the old pid */
	child_forget(c);
	if (sup->stopping) {
		if (sup_all_gone(sup))
			ev_stop(sup->loop);
		return;
	}
	if (fate == CHILD_REPLACING)
		sup_replaced(sup, c);
}

static struct child *
sup_find_child(struct supervisor *sup, pid_t pid)
{
	int i;

	for (i = 0; i < CHILD_NKINDS; i++)
		if (sup->children[i].pid == pid)
			return &sup->children[i];
	for (i = 0; i < SUP_MAX_DRAINING; i++)
		if (sup->draining[i].pid == pid)
			return &sup->draining[i];
	return NULL;
}

static void
sup_on_sigchld(struct ev_loop *loop, const struct signalfd_siginfo *si, void *arg)
{
	struct supervisor *sup = arg;
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		struct child *c = sup_find_child(sup, pid);

		if (c != NULL)
			sup_child_exited(sup, c, status);
	}
}

/* Stopping ------------------------------------------------------------- */

static void
sup_stop_expired(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct supervisor *sup = arg;
	int i;

	for (i = 0; i < CHILD_NKINDS; i++)
		sup_kill_expired(loop, t, &sup->children[i]);
	for (i = 0; i < SUP_MAX_DRAINING; i++)
		sup_kill_expired(loop, t, &sup->draining[i]);
}

static void
sup_stop(struct supervisor *sup, int status)
{
	int i;

	if (sup->stopping)
		return;
	sup->stopping = true;
	sup->exit_status = status;
	log_info("stopping");
	sdnotify_stopping();
	for (i = 0; i < CHILD_NKINDS; i++) {
		ev_timer_stop(sup->loop, &sup->children[i].respawn);
		child_order(&sup->children[i], CHILD_STOPPING, 0);
	}
	for (i = 0; i < SUP_MAX_DRAINING; i++)
		child_order(&sup->draining[i], CHILD_STOPPING, 0);
	if (sup_all_gone(sup)) {
		ev_stop(sup->loop);
		return;
	}
	ev_timer_init(&sup->stop_timer, sup_stop_expired, sup);
	ev_timer_start(sup->loop, &sup->stop_timer, SUP_STOP_GRACE_MS);
}

static void
sup_on_stop_signal(struct ev_loop *loop, const struct signalfd_siginfo *si, void *arg)
{
	sup_stop(arg, 0);
}

/* Reloading ------------------------------------------------------------ */

/* The old l7 child finishes in-flight work in a drain slot while the new
 * one takes the listening sockets. */
static void
sup_drain_l7(struct supervisor *sup, struct child *c)
{
	uint32_t drain_ms = sup->conf->global.drain_timeout_ms;
	struct child *d = NULL;
	int i;

	for (i = 0; i < SUP_MAX_DRAINING && d == NULL; i++)
		if (sup->draining[i].pid == 0)
			d = &sup->draining[i];
	if (d == NULL) {
		log_warnx("too many l7 children draining; stopping pid %d now", (int)c->pid);
		kill(c->pid, SIGKILL);
		return;
	}
	/* Nothing more to read from a drainer: its exit comes as SIGCHLD. */
	ev_fd_del(sup->loop, c->ctl_fd);
	*d = *c;
	ev_timer_init(&d->respawn, sup_respawn_expired, d);
	ev_timer_init(&d->kill_timer, sup_kill_expired, d);
	child_order(d, CHILD_DRAINING, drain_ms);
	ev_timer_start(sup->loop, &d->kill_timer, (int64_t)drain_ms + 1000);
	c->pid = 0;
	c->ctl_fd = -1;
	c->ready = false;
}

/* Hand each running child's job to a successor on the new model. */
static void
sup_replace_children(struct supervisor *sup)
{
	int k;

	for (k = 0; k < CHILD_NKINDS; k++) {
		struct child *c = &sup->children[k];

		if (!sup_wants(sup, k))
			continue;
		c->ready = false;
		if (k == CHILD_L7) {
			shm_carry_servers(&sup->shm, &sup->old_shm, SHM_CARRY_L7);
			if (c->pid != 0)
				sup_drain_l7(sup, c);
			if (!ev_timer_pending(&c->respawn))
				child_spawn(c);
		} else if (c->pid != 0) {
			child_order(c, CHILD_REPLACING, 0);
			sup->replacing++;
		} else {
			/* Waiting for a respawn: it will start on the new model. */
			if (k == CHILD_VRRP)
				shm_carry_vrrp(&sup->shm, &sup->old_shm);
			else
				shm_carry_servers(&sup->shm, &sup->old_shm, SHM_CARRY_CHECK);
		}
	}
	if (!sup_wants(sup, CHILD_CHECK))
		shm_carry_servers(&sup->shm, &sup->old_shm, SHM_CARRY_CHECK);
	if (!sup_wants(sup, CHILD_VRRP))
		shm_carry_vrrp(&sup->shm, &sup->old_shm);
	if (sup->replacing == 0)
		shm_destroy(&sup->old_shm);
}

/* Listeners for model c, taking over the running ones it keeps; none
 * when no l7 child runs. */
static int
sup_open_listeners(struct supervisor *sup, struct listen_set *set, const struct conf *c)
{
	if (!sup_wants(sup, CHILD_L7)) {
		*set = (struct listen_set){ 0 };
		return 0;
	}
	if (sup->listeners.fds == NULL)		/* the first model */
		return listen_set_open(set, c, NULL, NULL);
	return listen_set_open(set, c, &sup->listeners, sup->conf);
}

static void
sup_hash_conf(struct supervisor *sup)
{
	if (sup->opts->conf_text != NULL)
		conf_hash_text(sup->opts->conf_text, sup->conf_sha256);
	else if (conf_hash_file(sup->opts->conf_file, sup->conf_sha256) == -1)
		log_warn("hash of %s", sup->opts->conf_file);
}

/* A new model failed to load: keep the running one. */
static int
sup_reload_failed(struct supervisor *sup)
{
	log_warnx("reload failed: keeping the running configuration");
	sup->last_reload_ok = false;
	sdnotify_ready();
	return -1;
}

/* Run model c (loaded and checked) instead of the running one: its
 * listeners, its shared state with what carries over, new children.
 * Takes c; -1 when c cannot run (c freed, the running model stays). */
static int
sup_apply(struct supervisor *sup, struct conf *c)
{
	struct shm shm;
	struct listen_set listeners;

	if (sup_open_listeners(sup, &listeners, c) == -1) {
		conf_free(c);
		return -1;
	}
	if (shm_create(&shm, c) == -1) {
		log_warn("new configuration: shared state");
		listen_set_close(&listeners);
		conf_free(c);
		return -1;
	}
	/* The operator's settings hold across a reload, for every child. */
	shm_carry_servers(&shm, &sup->shm, SHM_CARRY_PARENT);
	snmp_agent_reloaded(sup->snmp, c);
	/* Sockets the new model still has moved over; the rest close here
	 * (a draining l7 child keeps its own copies until it leaves). */
	listen_set_close(&sup->listeners);
	sup->listeners = listeners;
	conf_free(sup->conf);
	sup->conf = c;
	sup->old_shm = sup->shm;
	sup->shm = shm;
	sup->ready_sent = false;
	if (metrics_move(&sup->metrics, &c->global.metrics_addr, c->global.metrics_port) == -1)
		log_warn("new configuration: metrics_listen: keeping the listener that runs");
	sup_replace_children(sup);
	return 0;
}

int
supervisor_reload(struct supervisor *sup)
{
	struct conf_errors errs;
	struct conf *c;
	int i;

	if (sup->stopping)
		return 0;
	if (sup->replacing > 0) {
		sup->reload_pending = true;
		return 0;
	}
	sdnotify_reloading();
	sup->reloads++;
	conf_errors_free(&sup->last_reload_errors);
	if ((c = conf_load_opts(sup->opts, &errs)) == NULL) {
		for (i = 0; i < errs.n; i++)
			log_warnx("%s", errs.msg[i]);
		sup->last_reload_errors = errs;
		return sup_reload_failed(sup);
	}
	if (sup_apply(sup, c) == -1)
		return sup_reload_failed(sup);
	log_info("reload: new configuration loaded");
	sup_hash_conf(sup);
	sup->last_reload_ok = true;
	return 0;
}

int
supervisor_edit(struct supervisor *sup, const struct conf_edit *e, struct conf_errors *errs)
{
	struct conf *c;

	memset(errs, 0, sizeof(*errs));
	sdnotify_reloading();
	if ((c = conf_edit_load(sup->conf, e, errs)) == NULL || sup_apply(sup, c) == -1) {
		sdnotify_ready();
		return -1;
	}
	return 0;
}

void
supervisor_operator_changed(struct supervisor *sup)
{
	struct child *c = &sup->children[CHILD_CHECK];

	/* A check child not running yet reads the fields when it starts. */
	if (c->pid != 0 && c->fate == CHILD_RUNNING &&
	    proc_send(c->ctl_fd, PROC_MSG_OPERATOR, 0) == -1)
		log_warn("%s: send to the check child", __func__);
}

static void
sup_on_sighup(struct ev_loop *loop, const struct signalfd_siginfo *si, void *arg)
{
	supervisor_reload(arg);
}

/* Dumps and the watchdog ------------------------------------------------ */

/* path, or when it is dflt (not set in the file) and the daemon has a pid
 * file of its own (-p): that file's name with ext for ".pid", so that
 * instances on one host (a pair in network namespaces) do not meet on
 * the default control socket or state file. */
static const char *
sup_path_beside_pidfile(const struct supervisor *sup, const char *path, const char *dflt,
    const char *ext, char *buf, size_t len)
{
	const char *pid = sup->opts->pidfile;
	size_t n = strlen(pid);

	if (strcmp(path, dflt) != 0 || strcmp(pid, DEFAULT_PIDFILE) == 0)
		return path;
	if (n > 4 && strcmp(pid + n - 4, ".pid") == 0)
		n -= 4;
	if (snprintf(buf, len, "%.*s%s", (int)n, pid, ext) >= (int)len)
		return path;
	return buf;
}

static void
sup_on_sigusr1(struct ev_loop *loop, const struct signalfd_siginfo *si, void *arg)
{
	struct supervisor *sup = arg;
	char beside[PATH_MAX];
	const char *path = sup_path_beside_pidfile(sup, sup->conf->global.state_file,
	    CONF_STATE_FILE, ".json", beside, sizeof(beside));

	if (state_dump_write(sup, path) == -1)
		log_warn("state dump to %s", path);
	else
		log_info("state written to %s", path);
}

static void
sup_watchdog_expired(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct supervisor *sup = arg;

	sdnotify_watchdog();
	ev_timer_start(loop, t, sup->watchdog_ms / 2);
}

/* Start-up --------------------------------------------------------------- */

static void
sup_block_signals(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGCHLD };
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&set, sigs[i]);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

static int
sup_take_pidfile(struct supervisor *sup)
{
	pid_t holder = 0;

	if (pidfile_lock(&sup->pidfile, sup->opts->pidfile, &holder) == 0)
		return 0;
	if (errno == EWOULDBLOCK)
		fprintf(stderr, "keepalive-l7: already running (pid %d, pid file %s)\n",
		    (int)holder, sup->opts->pidfile);
	else
		fprintf(stderr, "keepalive-l7: pid file %s: %s\n", sup->opts->pidfile,
		    strerror(errno));
	return -1;
}

static int
sup_metrics_render(void *arg, FILE *out)
{
	return metrics_text_write(arg, out);
}

static int
sup_open_metrics(struct supervisor *sup)
{
	const struct conf_global *g = &sup->conf->global;
	char addr[ADDR_STRLEN];

	if (metrics_open(&sup->metrics, &g->metrics_addr, g->metrics_port) == 0)
		return 0;
	fprintf(stderr, "keepalive-l7: metrics_listen %s: %s\n",
	    addr_port_ntop(&g->metrics_addr, g->metrics_port, addr, sizeof(addr)),
	    strerror(errno));
	return -1;
}

static int
sup_setup_loop(struct supervisor *sup)
{
	if ((sup->loop = ev_new()) == NULL)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	if (ev_signal_add(sup->loop, SIGTERM, sup_on_stop_signal, sup) == -1 ||
	    ev_signal_add(sup->loop, SIGINT, sup_on_stop_signal, sup) == -1 ||
	    ev_signal_add(sup->loop, SIGHUP, sup_on_sighup, sup) == -1 ||
	    ev_signal_add(sup->loop, SIGUSR1, sup_on_sigusr1, sup) == -1 ||
	    ev_signal_add(sup->loop, SIGCHLD, sup_on_sigchld, sup) == -1)
		return -1;
	sup->started_ms = ev_now(sup->loop);
	if (metrics_start(&sup->metrics, sup->loop, sup_metrics_render, sup) == -1)
		return -1;
	if ((sup->watchdog_ms = sdnotify_watchdog_ms()) > 0) {
		ev_timer_init(&sup->watchdog, sup_watchdog_expired, sup);
		ev_timer_start(sup->loop, &sup->watchdog, sup->watchdog_ms / 2);
	}
	return 0;
}

static void
sup_start_children(struct supervisor *sup)
{
	int k;

	for (k = 0; k < CHILD_NKINDS; k++)
		sup_child_init(sup, &sup->children[k], k);
	for (k = 0; k < SUP_MAX_DRAINING; k++)
		sup_child_init(sup, &sup->draining[k], CHILD_L7);
	for (k = 0; k < CHILD_NKINDS; k++)
		if (sup_wants(sup, k))
			child_spawn(&sup->children[k]);
}

/* Before daemon(): a socket in use is a start-up error on stderr. */
static int
sup_open_control(struct supervisor *sup)
{
	char beside[sizeof(sup->ctl.path)];
	const char *path = sup_path_beside_pidfile(sup, sup->conf->global.control_socket,
	    CONF_CONTROL_SOCKET, ".sock", beside, sizeof(beside));

	if (ctl_server_bind(&sup->ctl, sup, path) == 0)
		return 0;
	if (errno == EADDRINUSE)
		fprintf(stderr, "keepalive-l7: control socket %s: a running daemon answers "
		    "there\n", path);
	else
		fprintf(stderr, "keepalive-l7: control socket %s: %s\n", path, strerror(errno));
	return -1;
}

static void
sup_cleanup(struct supervisor *sup)
{
	ctl_server_close(&sup->ctl);
	metrics_close(&sup->metrics);
	snmp_agent_stop(sup->snmp);
	pidfile_remove(&sup->pidfile);
	listen_set_close(&sup->listeners);
	shm_destroy(&sup->shm);
	conf_free(sup->conf);
	conf_errors_free(&sup->last_reload_errors);
	ev_free(sup->loop);
}

int
supervisor_main(const struct kl7_opts *opts)
{
	struct supervisor sup = { .opts = opts, .pidfile = { .fd = -1 }, .last_reload_ok = true,
	    .ctl = { .fd = -1 } };
	struct conf_errors errs;

	/* Until the loop's signalfd exists, a SIGUSR1 or SIGHUP would kill us
	 * (their default action): hold them pending from the start. */
	sup_block_signals();

	if ((sup.conf = conf_load_opts(opts, &errs)) == NULL) {
		conf_errors_print(&errs, stderr);
		for (int i = 0; i < errs.n; i++)
			log_warnx("%s", errs.msg[i]);
		conf_errors_free(&errs);
		return 1;
	}
	if (sup_take_pidfile(&sup) == -1) {
		conf_free(sup.conf);
		return 1;
	}
	if (sup_open_listeners(&sup, &sup.listeners, sup.conf) == -1) {
		fprintf(stderr, "keepalive-l7: cannot listen on every virtual server\n");
		pidfile_remove(&sup.pidfile);
		conf_free(sup.conf);
		return 1;
	}
	/* metrics_open() first: it sets sup.metrics up even when it fails. */
	if (sup_open_metrics(&sup) == -1 || sup_open_control(&sup) == -1) {
		metrics_close(&sup.metrics);
		listen_set_close(&sup.listeners);
		pidfile_remove(&sup.pidfile);
		conf_free(sup.conf);
		return 1;
	}
	sup_hash_conf(&sup);
	if (!opts->foreground && daemon(0, 0) == -1)
		fatal("daemon");
	if (pidfile_write(&sup.pidfile) == -1)
		log_warn("pid file %s", opts->pidfile);
	if (shm_create(&sup.shm, sup.conf) == -1)
		fatal("shared state");
	if (sup_setup_loop(&sup) == -1)
		fatal("event loop");
	if (ctl_server_start(&sup.ctl, sup.loop) == -1)
		fatal("control socket");
	log_info("keepalive-l7 %s starting with %s", PACKAGE_VERSION, opts->conf_file);
	sup.snmp = snmp_agent_start(&sup, sup.loop, sup.conf);
	sup_start_children(&sup);
	if (ev_run(sup.loop) == -1)
		log_warn("event loop");
	log_info("stopped");
	sup_cleanup(&sup);
	return sup.exit_status;
}
