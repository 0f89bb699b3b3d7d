/* The control socket's connections; see ctl_server.h.  The commands
 * themselves are in ctl_cmd.c. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/path.h"
#include "keepalive-l7/ctl_cmd.h"
#include "keepalive-l7/ctl_server.h"

static void ctl_client_on_io(struct ev_loop *loop, int fd, unsigned events, void *arg);

/* Listening ------------------------------------------------------------- */

static int
ctl_sockaddr(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (snprintf(sun->sun_path, sizeof(sun->sun_path), "%s", path) >=
	    (int)sizeof(sun->sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* A socket file nobody answers on is left over from a daemon that died:
 * remove it.  One that answers belongs to a running daemon: keep off. */
static int
ctl_clear_stale(const struct sockaddr_un *sun)
{
	int fd, rc;

	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	rc = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	if (rc == 0) {
		errno = EADDRINUSE;
		return -1;
	}
	if (errno == ENOENT)
		return 0;
	if (errno != ECONNREFUSED)
		return -1;
	return unlink(sun->sun_path) == -1 && errno != ENOENT ? -1 : 0;
}

int
ctl_server_bind(struct ctl_server *srv, struct supervisor *sup, const char *path)
{
	struct sockaddr_un sun;
	struct stat st;
	mode_t old_mask;
	int fd, saved, i;

	memset(srv, 0, sizeof(*srv));
	srv->sup = sup;
	srv->fd = -1;
	ev_fd_pause_init(&srv->pause);
	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		srv->clients[i].fd = -1;
	if (ctl_sockaddr(path, &sun) == -1 || path_mkdir_parent(path, 0755) == -1 ||
	    ctl_clear_stale(&sun) == -1)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) == -1)
		return -1;
	/* 0600 from the start: no moment where others may connect. */
	old_mask = umask(0177);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		saved = errno;
		umask(old_mask);
		close(fd);
		errno = saved;
		return -1;
	}
	umask(old_mask);
	if (listen(fd, 64) == -1 || stat(path, &st) == -1) {
		saved = errno;
		unlink(path);
		close(fd);
		errno = saved;
		return -1;
	}
	srv->fd = fd;
	srv->dev = st.st_dev;
	srv->ino = st.st_ino;
	snprintf(srv->path, sizeof(srv->path), "%s", path);
	return 0;
}

/* Clients --------------------------------------------------------------- */

static void
ctl_client_close(struct ctl_client *c)
{
	/* Not ev_fd_close(): a child forked meanwhile may still hold a copy. */
	ev_fd_del(c->srv->loop, c->fd);
	close(c->fd);
	ev_timer_stop(c->srv->loop, &c->idle);
	free(c->out);
	c->out = NULL;
	c->fd = -1;
}

static void
ctl_client_on_idle(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	struct ctl_client *c = arg;

	log_debug("control client idle for %d ms: closing", CTL_IDLE_MS);
	ctl_client_close(c);
}

/* Queue reply (consumed) and wait for the socket to take it. */
static void
ctl_client_reply(struct ctl_client *c, json_object *reply, bool then_close)
{
	const char *text = json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t len = strlen(text);

	if ((c->out = malloc(len + 1)) == NULL) {
		log_warn("%s: malloc", __func__);
		json_object_put(reply);
		ctl_client_close(c);
		return;
	}
	memcpy(c->out, text, len);
	c->out[len] = '\n';
	c->out_len = len + 1;
	c->out_off = 0;
	c->closing = then_close;
	json_object_put(reply);
	if (ev_fd_mod(c->srv->loop, c->fd, EV_WRITE) == -1)
		ctl_client_close(c);
}

/* The first complete request in c->in, if any, answered. */
static void
ctl_client_handle_line(struct ctl_client *c)
{
	char *nl = memchr(c->in, '\n', c->in_len);
	char err[256];
	struct ctl_req req;
	size_t len, used;

	if (nl == NULL) {
		if (c->in_len == sizeof(c->in))
			ctl_client_reply(c, ctl_cmd_error("request longer than %d bytes",
			    CTL_REQ_MAX - 1), true);
		return;
	}
	used = (size_t)(nl - c->in) + 1;
	len = used - 1;
	if (len > 0 && c->in[len - 1] == '\r')
		len--;
	if (ctl_req_parse(c->in, len, &req, err, sizeof(err)) == -1)
		ctl_client_reply(c, ctl_cmd_error("%s", err), false);
	else
		ctl_client_reply(c, ctl_cmd_run(c->srv->sup, &req), false);
	memmove(c->in, c->in + used, c->in_len - used);
	c->in_len -= used;
}

static void
ctl_client_read(struct ctl_client *c)
{
	ssize_t n = read(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len);

	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR)) {
		ctl_client_close(c);
		return;
	}
	if (n > 0)
		c->in_len += (size_t)n;
	ctl_client_handle_line(c);
}

static void
ctl_client_write(struct ctl_client *c)
{
	ssize_t n = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);

	if (n == -1) {
		if (errno != EAGAIN && errno != EINTR)
			ctl_client_close(c);
		return;
	}
	if ((c->out_off += (size_t)n) < c->out_len)
		return;
	free(c->out);
	c->out = NULL;
	if (c->closing) {
		ctl_client_close(c);
		return;
	}
	if (ev_fd_mod(c->srv->loop, c->fd, EV_READ) == -1) {
		ctl_client_close(c);
		return;
	}
	/* Requests sent before the reply was read are already here. */
	ctl_client_handle_line(c);
}

static void
ctl_client_on_io(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct ctl_client *c = arg;

	ev_timer_start(loop, &c->idle, CTL_IDLE_MS);
	if (c->out != NULL)
		ctl_client_write(c);
	else
		ctl_client_read(c);
}

static struct ctl_client *
ctl_client_slot(struct ctl_server *srv)
{
	int i;

	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		if (srv->clients[i].fd == -1)
			return &srv->clients[i];
	return NULL;
}

/* Best effort, on a fresh socket whose buffer is empty. */
static void
ctl_refuse(int fd)
{
	static const char busy[] = "{\"version\":1,\"ok\":false,"
	    "\"error\":\"too many control clients\"}\n";

	if (write(fd, busy, sizeof(busy) - 1) == -1)
		log_debug("%s: write: %s", __func__, strerror(errno));
	close(fd);
}

static void
ctl_on_accept(struct ev_loop *loop, int lfd, unsigned events, void *arg)
{
	struct ctl_server *srv = arg;
	struct ctl_client *c;
	int fd;

	while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) != -1) {
		unsigned pauses = starve_ok(&srv->starve, ev_now(loop));

		if (pauses > 0)
			log_info("control socket: accepting again (%u pauses)", pauses);
		if ((c = ctl_client_slot(srv)) == NULL) {
			log_warnx("control socket: %d clients already; refusing one",
			    CTL_MAX_CLIENTS);
			ctl_refuse(fd);
			continue;
		}
		*c = (struct ctl_client){ .srv = srv, .fd = fd };
		ev_timer_init(&c->idle, ctl_client_on_idle, c);
		if (ev_fd_add(loop, fd, EV_READ, ctl_client_on_io, c) == -1) {
			log_warn("%s: ev_fd_add", __func__);
			close(fd);
			c->fd = -1;
			continue;
		}
		ev_timer_start(loop, &c->idle, CTL_IDLE_MS);
	}
	if (errno == EMFILE || errno == ENFILE) {
		if (starve_hit(&srv->starve, ev_now(loop)))
			log_warn("control socket: accept (paused for %d ms at a time)",
			    CTL_ACCEPT_RETRY_MS);
		ev_fd_pause(loop, &srv->pause, lfd, CTL_ACCEPT_RETRY_MS);
		return;
	}
	if (errno != EAGAIN && errno != EINTR)
		log_warn("%s: accept", __func__);
}

int
ctl_server_start(struct ctl_server *srv, struct ev_loop *loop)
{
	srv->loop = loop;
	return ev_fd_add(loop, srv->fd, EV_READ, ctl_on_accept, srv);
}

/* Closing --------------------------------------------------------------- */

void
ctl_server_close(struct ctl_server *srv)
{
	struct stat st;
	int i;

	if (srv->fd == -1)
		return;
	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		if (srv->clients[i].fd != -1)
			ctl_client_close(&srv->clients[i]);
	ev_fd_pause_cancel(&srv->pause);
	if (srv->loop != NULL)
		ev_fd_del(srv->loop, srv->fd);
	close(srv->fd);
	srv->fd = -1;
	/* Another daemon may have replaced a file we lost: remove ours only. */
	if (stat(srv->path, &st) == 0 && st.st_dev == srv->dev && st.st_ino == srv->ino)
		unlink(srv->path);
}

void
ctl_server_close_in_child(struct ctl_server *srv)
{
	int i;

	if (srv->fd == -1)
		return;
	close(srv->fd);
	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		if (srv->clients[i].fd != -1)
			close(srv->clients[i].fd);
}
