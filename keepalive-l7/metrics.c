/* The metrics HTTP server; see metrics.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/http1.h"
#include "lib/log.h"
#include "splice/l7_head.h"
#include "splice/listen.h"
#include "keepalive-l7/metrics.h"
#include "keepalive-l7/metrics_text.h"

static const char index_page[] =
    "<html><head><title>keepalive-l7</title></head><body>\n"
    "<h1>keepalive-l7</h1><p><a href=\"/metrics\">Metrics</a></p>\n"
    "</body></html>\n";

static void client_event(struct ev_loop *loop, int fd, unsigned events, void *arg);

/* Clients ---------------------------------------------------------------- */

/* Forget fd and close it.  Not ev_fd_close(): a child forked a moment
 * ago may still hold a copy, and epoll would go on reporting it. */
static void
sock_close(struct metrics *m, int fd)
{
	if (m->loop != NULL)
		ev_fd_del(m->loop, fd);
	close(fd);
}

static void
client_close(struct metrics_client *cl)
{
	ev_timer_stop(cl->m->loop, &cl->timer);
	sock_close(cl->m, cl->fd);
	free(cl->out);
	cl->fd = -1;
	cl->out = NULL;
}

static void
client_expired(struct ev_loop *loop, struct ev_timer *t, void *arg)
{
	client_close(arg);
}

/* Queue a whole answer (Connection: close); *body of body_len bytes. */
static void
client_answer(struct metrics_client *cl, unsigned status, const char *ctype,
    const char *body, size_t body_len)
{
	FILE *f = open_memstream(&cl->out, &cl->out_len);

	cl->answered = true;
	if (f == NULL) {
		log_warn("metrics: answer");
		client_close(cl);
		return;
	}
	fprintf(f, "HTTP/1.1 %u %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
	    "Cache-Control: no-cache\r\n%sConnection: close\r\n\r\n", status,
	    status == 200 ? "OK" : l7_status_text(status), ctype, body_len,
	    status == 405 ? "Allow: GET\r\n" : "");	/* RFC 9110 15.5.6 */
	fwrite(body, 1, body_len, f);
	if (fclose(f) != 0) {
		log_warn("metrics: answer");
		client_close(cl);
		return;
	}
	cl->out_off = 0;
	ev_fd_mod(cl->m->loop, cl->fd, EV_READ | EV_WRITE);
}

static void
client_error(struct metrics_client *cl, unsigned status)
{
	char body[128];
	int n = snprintf(body, sizeof(body), "%u %s\n", status, l7_status_text(status));

	client_answer(cl, status, "text/plain; charset=utf-8", body, (size_t)n);
}

static void
client_metrics(struct metrics_client *cl)
{
	struct metrics *m = cl->m;
	char *page = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&page, &len);
	int rc;

	if (f == NULL) {
		log_warn("metrics: page");
		client_error(cl, 500);
		return;
	}
	rc = m->render(m->arg, f);
	if (fclose(f) != 0 || rc == -1) {
		log_warn("metrics: page");
		client_error(cl, 500);
	} else {
		client_answer(cl, 200, METRICS_CONTENT_TYPE, page, len);
	}
	free(page);
}

static bool
path_is(const struct http1_request *r, const char *path)
{
	size_t len = strlen(path);

	if (r->path_len == 0)		/* "http://host" */
		return strcmp(path, "/") == 0;
	return r->path_len == len && memcmp(r->path, path, len) == 0;
}

/* A complete request head: answer it. */
static void
client_route(struct metrics_client *cl, const struct http1_request *r)
{
	if (r->method != HTTP1_METHOD_GET)
		client_error(cl, 405);
	else if (r->path != NULL && path_is(r, "/metrics"))
		client_metrics(cl);
	else if (r->path != NULL && path_is(r, "/"))
		client_answer(cl, 200, "text/html; charset=utf-8", index_page,
		    sizeof(index_page) - 1);
	else
		client_error(cl, 404);
}

static void
client_parse(struct metrics_client *cl)
{
	static const struct http1_limits lim = {
		/* A full buffer is always "larger than" the limit: never stuck. */
		METRICS_LINE_MAX, METRICS_HEAD_MAX - 1, METRICS_MAX_HEADERS,
	};
	struct http1_hdr hdrs[METRICS_MAX_HEADERS];
	struct http1_request r = { .hdrs = hdrs, .n_hdrs = METRICS_MAX_HEADERS };
	ssize_t n = http1_parse_request(cl->in, cl->in_len, &lim, &r);

	if (n > 0)
		client_route(cl, &r);
	else if (n == -1)
		client_error(cl, (unsigned)r.status);
	else if (cl->in_len == sizeof(cl->in))
		client_error(cl, 431);
}

/* Read the request; after the answer, read and drop what the client still
 * sends, so that closing does not reset the connection under the answer.
 * false once the client is closed. */
static bool
client_read(struct metrics_client *cl)
{
	char sink[4096];
	char *dst = cl->answered ? sink : cl->in + cl->in_len;
	size_t room = cl->answered ? sizeof(sink) : sizeof(cl->in) - cl->in_len;
	ssize_t n = read(cl->fd, dst, room);

	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return true;
	if (n == 0 && cl->out != NULL && cl->out_off < cl->out_len) {
		/* Half-closed after its request: finish the answer first. */
		ev_fd_mod(cl->m->loop, cl->fd, EV_WRITE);
		return true;
	}
	if (n <= 0 || (cl->answered && (cl->dropped += (size_t)n) > METRICS_DISCARD_MAX)) {
		client_close(cl);
		return false;
	}
	if (!cl->answered) {
		cl->in_len += (size_t)n;
		client_parse(cl);
	}
	return cl->fd != -1;
}

/* Send what is left of the answer; once it is all out, stop sending
 * (FIN) and wait for the client's close.  false once the client is closed. */
static bool
client_write(struct metrics_client *cl)
{
	ssize_t n;

	while (cl->out_off < cl->out_len) {
		n = send(cl->fd, cl->out + cl->out_off, cl->out_len - cl->out_off, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return true;
		if (n == -1) {
			client_close(cl);
			return false;
		}
		cl->out_off += (size_t)n;
	}
	shutdown(cl->fd, SHUT_WR);
	ev_fd_mod(cl->m->loop, cl->fd, EV_READ);
	return true;
}

static void
client_event(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct metrics_client *cl = arg;

	if ((events & EV_WRITE) && cl->out != NULL && !client_write(cl))
		return;
	if (events & (EV_READ | EV_ERROR))
		client_read(cl);
}

/* The listener ------------------------------------------------------------ */

static struct metrics_client *
free_slot(struct metrics *m)
{
	int i;

	for (i = 0; i < METRICS_MAX_CLIENTS; i++)
		if (m->clients[i].fd == -1)
			return &m->clients[i];
	return NULL;
}

static void
metrics_accept(struct ev_loop *loop, int lfd, unsigned events, void *arg)
{
	struct metrics *m = arg;
	struct metrics_client *cl;
	int fd;

	while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) != -1) {
		unsigned pauses = starve_ok(&m->starve, ev_now(loop));

		if (pauses > 0)
			log_info("metrics: accepting again (%u pauses)", pauses);
		if ((cl = free_slot(m)) == NULL) {
			close(fd);	/* busy: a scraper retries */
			continue;
		}
		if (ev_fd_add(loop, fd, EV_READ, client_event, cl) == -1) {
			log_warn("metrics: client");
			close(fd);
			continue;
		}
		cl->fd = fd;
		cl->answered = false;
		cl->in_len = cl->dropped = 0;
		ev_timer_start(loop, &cl->timer, METRICS_TIMEOUT_MS);
	}
	if (errno == EMFILE || errno == ENFILE) {
		if (starve_hit(&m->starve, ev_now(loop)))
			log_warn("metrics: accept (paused for %d ms at a time)",
			    METRICS_ACCEPT_RETRY_MS);
		ev_fd_pause(loop, &m->pause, lfd, METRICS_ACCEPT_RETRY_MS);
		return;
	}
	if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
		log_warn("metrics: accept");
}

int
metrics_open(struct metrics *m, const struct kl_addr *addr, uint16_t port)
{
	int i;

	memset(m, 0, sizeof(*m));
	m->fd = -1;
	ev_fd_pause_init(&m->pause);
	for (i = 0; i < METRICS_MAX_CLIENTS; i++) {
		m->clients[i].m = m;
		m->clients[i].fd = -1;
		ev_timer_init(&m->clients[i].timer, client_expired, &m->clients[i]);
	}
	if (!addr_is_set(addr))
		return 0;
	if ((m->fd = listen_socket(addr, port)) == -1)
		return -1;
	m->addr = *addr;
	m->port = port;
	return 0;
}

int
metrics_start(struct metrics *m, struct ev_loop *loop, metrics_render_fn *render, void *arg)
{
	m->loop = loop;
	m->render = render;
	m->arg = arg;
	if (m->fd == -1)
		return 0;
	return ev_fd_add(loop, m->fd, EV_READ, metrics_accept, m);
}

int
metrics_move(struct metrics *m, const struct kl_addr *addr, uint16_t port)
{
	int fd = -1;

	if (addr_is_set(addr) == (m->fd != -1) && (m->fd == -1 ||
	    (port == m->port && addr_equal(addr, &m->addr))))
		return 0;
	if (addr_is_set(addr) && (fd = listen_socket(addr, port)) == -1)
		return -1;
	if (fd != -1 && ev_fd_add(m->loop, fd, EV_READ, metrics_accept, m) == -1) {
		close(fd);
		return -1;
	}
	ev_fd_pause_cancel(&m->pause);
	if (m->fd != -1)
		sock_close(m, m->fd);
	m->fd = fd;
	m->addr = *addr;
	m->port = port;
	return 0;
}

void
metrics_close(struct metrics *m)
{
	int i;

	for (i = 0; i < METRICS_MAX_CLIENTS; i++)
		if (m->clients[i].fd != -1)
			client_close(&m->clients[i]);
	ev_fd_pause_cancel(&m->pause);
	if (m->fd != -1)
		sock_close(m, m->fd);
	m->fd = -1;
}

void
metrics_close_in_child(struct metrics *m)
{
	int i;

	for (i = 0; i < METRICS_MAX_CLIENTS; i++)
		if (m->clients[i].fd != -1) {
			close(m->clients[i].fd);
			free(m->clients[i].out);
			m->clients[i].fd = -1;
			m->clients[i].out = NULL;
		}
	if (m->fd != -1)
		close(m->fd);
	m->fd = -1;
}
