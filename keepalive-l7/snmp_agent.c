/* The AgentX subagent in the parent's loop; see snmp_agent.h. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "lib/log.h"
#include "keepalive-l7/snmp_int.h"
#include "keepalive-l7/supervisor.h"

#define SNMP_APP_NAME	"keepalive-l7"

/* The model ---------------------------------------------------------- */

const struct conf *
snmp_conf(const struct snmp_agent *a)
{
	return a->sup->conf;
}

const struct shm *
snmp_shm(const struct snmp_agent *a)
{
	return &a->sup->shm;
}

const struct conf_vrrp_instance *
snmp_conf_vrrp(const struct conf *c, unsigned index)
{
	const struct conf_vrrp_instance *vi;

	for (vi = c->vrrp_instances; vi != NULL; vi = vi->next)
		if (vi->index == index)
			return vi;
	return NULL;
}

const struct conf_virtual_server *
snmp_conf_vs(const struct conf *c, unsigned index)
{
	const struct conf_virtual_server *vs;

	for (vs = c->virtual_servers; vs != NULL; vs = vs->next)
		if (vs->index == index)
			return vs;
	return NULL;
}

const struct conf_real_server *
snmp_conf_rs(const struct conf *c, unsigned index, const struct conf_virtual_server **vsp)
{
	const struct conf_virtual_server *vs;
	const struct conf_real_server *rs;

	for (vs = c->virtual_servers; vs != NULL; vs = vs->next)
		for (rs = vs->servers; rs != NULL; rs = rs->next)
			if (rs->index == index) {
				*vsp = vs;
				return rs;
			}
	return NULL;
}

/* Logging ------------------------------------------------------------ */

/* net-snmp's messages, one callback per line or fragment, into our log. */
static int
agent_log(int major, int minor, void *server_arg, void *client_arg)
{
	const struct snmp_log_message *m = server_arg;
	size_t len = strlen(m->msg);

	while (len > 0 && (m->msg[len - 1] == '\n' || m->msg[len - 1] == '\r'))
		len--;
	if (len == 0)
		return 0;
	if (m->priority <= LOG_WARNING)
		log_warnx("snmp: %.*s", (int)len, m->msg);
	else if (m->priority <= LOG_INFO)
		log_info("snmp: %.*s", (int)len, m->msg);
	else
		log_debug("snmp: %.*s", (int)len, m->msg);
	return 0;
}

/* The loop ------------------------------------------------------------- */

static void agent_on_fd(struct ev_loop *loop, int fd, unsigned events, void *arg);

/* Hand net-snmp's current sockets and next timeout to the loop.  Sockets
 * it closed have left the epoll set with their last close; every socket
 * it has now is registered afresh, since a number seen before may be a
 * new socket that reuses it. */
void
snmp_agent_sync(struct snmp_agent *a)
{
	netsnmp_large_fd_set set;
	struct timeval tv = { 0, 0 };
	int maxfd = 0, block = 1, fd;

	netsnmp_large_fd_set_init(&set, FD_SETSIZE);
	snmp_select_info2(&maxfd, &set, &tv, &block);
	a->nfds = 0;
	for (fd = 0; fd < maxfd; fd++) {
		if (!NETSNMP_LARGE_FD_ISSET(fd, &set))
			continue;
		ev_fd_del(a->loop, fd);
		if (a->nfds == SNMP_AGENT_MAX_FDS || ev_fd_add(a->loop, fd, EV_READ,
		    agent_on_fd, a) == -1) {
			log_warn("snmp: cannot watch socket %d", fd);
			continue;
		}
		a->fds[a->nfds++] = fd;
	}
	netsnmp_large_fd_set_cleanup(&set);
	if (block)
		ev_timer_stop(a->loop, &a->snmp_timer);
	else
		ev_timer_start(a->loop, &a->snmp_timer,
		    (int64_t)tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000);
}

static void
agent_on_fd(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct snmp_agent *a = arg;
	netsnmp_large_fd_set set;

	netsnmp_large_fd_set_init(&set, FD_SETSIZE);
	NETSNMP_LARGE_FD_SET(fd, &set);
	snmp_read2(&set);
	netsnmp_large_fd_set_cleanup(&set);
	netsnmp_check_outstanding_agent_requests();
	snmp_agent_sync(a);
}

static void
agent_on_timeout(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct snmp_agent *a = arg;

	snmp_timeout();
	run_alarms();		/* the AgentX ping and reconnect live here */
	netsnmp_check_outstanding_agent_requests();
	snmp_agent_sync(a);
}

/* Start and stop --------------------------------------------------------- */

static void
agent_configure(const struct conf *conf)
{
	/* A subagent, on our loop: no SIGALRM, no state file, no stderr. */
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD,
	    1);
	if (conf->global.snmp_socket != NULL)
		netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET,
		    conf->global.snmp_socket);
	snmp_disable_log();
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, agent_log,
	    NULL);
	snmp_enable_calllog();
}

static int
agent_register(struct snmp_agent *a)
{
	if ((a->vrrp || a->checker) && snmp_kl7_register(a) == -1)
		return -1;
	if (a->rfcv3 && snmp_vrrp_register(a) == -1)
		return -1;
	return 0;
}

/* The subagent translates no names: load no MIB modules (Debian ships
 * few, and each missing one is a warning).  An empty MIBS does that; the
 * caller's MIBS comes back before any child or script could see ours. */
static void
agent_init_snmp(void)
{
	const char *env = getenv("MIBS");
	char *saved = env != NULL ? strdup(env) : NULL;

	setenv("MIBS", "", 1);
	init_snmp(SNMP_APP_NAME);
	if (saved != NULL)
		setenv("MIBS", saved, 1);
	else
		unsetenv("MIBS");
	free(saved);
}

struct snmp_agent *
snmp_agent_start(struct supervisor *sup, struct ev_loop *loop, const struct conf *conf)
{
	const struct conf_global *g = &conf->global;
	struct snmp_agent *a;

	if (!g->snmp_vrrp && !g->snmp_checker && !g->snmp_rfcv3)
		return NULL;
	if ((a = calloc(1, sizeof(*a))) == NULL) {
		log_warn("snmp: subagent");
		return NULL;
	}
	a->sup = sup;
	a->loop = loop;
	a->vrrp = g->snmp_vrrp;
	a->checker = g->snmp_checker;
	a->rfcv3 = g->snmp_rfcv3;
	a->traps = g->snmp_traps;
	ev_timer_init(&a->snmp_timer, agent_on_timeout, a);
	agent_configure(conf);
	if (init_agent(SNMP_APP_NAME) != 0 || agent_register(a) == -1) {
		log_warnx("snmp: cannot start the subagent");
		snmp_shutdown(SNMP_APP_NAME);
		free(a);
		return NULL;
	}
	/* After init_agent(), which sets its own default (15 s). */
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL,
	    SNMP_AGENTX_PING_S);
	agent_init_snmp();	/* connects to the master, or retries on the ping */
	snmp_agent_sync(a);
	snmp_watch_start(a);
	log_info("snmp: subagent started (master %s)", g->snmp_socket != NULL ?
	    g->snmp_socket : "net-snmp's default");
	return a;
}

void
snmp_agent_stop(struct snmp_agent *a)
{
	int i;

	if (a == NULL)
		return;
	ev_timer_stop(a->loop, &a->snmp_timer);
	ev_timer_stop(a->loop, &a->watch_timer);
	for (i = 0; i < a->nfds; i++)
		ev_fd_del(a->loop, a->fds[i]);
	snmp_shutdown(SNMP_APP_NAME);
	snmp_watch_free(&a->watch);
	free(a);
}

void
snmp_agent_close_in_child(struct snmp_agent *a)
{
	int i;

	if (a == NULL)
		return;
	for (i = 0; i < a->nfds; i++)
		close(a->fds[i]);
}

void
snmp_agent_reloaded(struct snmp_agent *a, const struct conf *conf)
{
	const struct conf_global *g = &conf->global;
	bool on = g->snmp_vrrp || g->snmp_checker || g->snmp_rfcv3;

	if (a == NULL ? on : (a->vrrp != g->snmp_vrrp || a->checker != g->snmp_checker ||
	    a->rfcv3 != g->snmp_rfcv3 || a->traps != g->snmp_traps))
		log_warnx("snmp: changed SNMP settings take effect at the next restart");
}
