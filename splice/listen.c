/* Listening sockets; see listen.h. */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/log.h"
#include "splice/listen.h"

int
listen_socket(const struct kl_addr *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t sl = addr_to_sockaddr(addr, port, &ss);
	int fd, on = 1, saved;

	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd == -1)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1)
		goto fail;
	if (ss.ss_family == AF_INET6) {
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) == -1 ||
		    setsockopt(fd, IPPROTO_IPV6, IPV6_FREEBIND, &on, sizeof(on)) == -1)
			goto fail;
	} else if (setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &on, sizeof(on)) == -1) {
		goto fail;
	}
	if (bind(fd, (struct sockaddr *)&ss, sl) == -1 || listen(fd, LISTEN_BACKLOG) == -1)
		goto fail;
	return fd;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/* The socket of keep bound to vs's address and port, or -1. */
static int
find_kept(const struct listen_set *keep, const struct conf *keep_conf,
    const struct conf_virtual_server *vs)
{
	const struct conf_virtual_server *k;

	if (keep == NULL || keep_conf == NULL)
		return -1;
	for (k = keep_conf->virtual_servers; k != NULL; k = k->next)
		if (k->port == vs->port && addr_equal(&k->addr, &vs->addr) &&
		    k->index < keep->n)
			return (int)k->index;
	return -1;
}

int
listen_set_open(struct listen_set *set, const struct conf *c, struct listen_set *keep,
    const struct conf *keep_conf)
{
	const struct conf_virtual_server *vs;
	char where[ADDR_STRLEN];
	unsigned i;
	int k;

	set->n = c->n_virtual_servers;
	if ((set->fds = malloc((set->n + 1) * sizeof(*set->fds))) == NULL)
		return -1;
	for (i = 0; i < set->n; i++)
		set->fds[i] = -1;
	/* Make the new sockets first: a failure leaves keep untouched. */
	for (vs = c->virtual_servers; vs != NULL; vs = vs->next) {
		if (find_kept(keep, keep_conf, vs) != -1)
			continue;
		if ((set->fds[vs->index] = listen_socket(&vs->addr, vs->port)) == -1) {
			log_warnx("%s:%d: virtual_server %s: cannot listen: %s", vs->src.file,
			    vs->src.line, addr_port_ntop(&vs->addr, vs->port, where,
			    sizeof(where)), strerror(errno));
			listen_set_close(set);
			return -1;
		}
	}
	for (vs = c->virtual_servers; vs != NULL; vs = vs->next)
		if ((k = find_kept(keep, keep_conf, vs)) != -1) {
			set->fds[vs->index] = keep->fds[k];
			keep->fds[k] = -1;
		}
	return 0;
}

void
listen_set_close(struct listen_set *set)
{
	unsigned i;

	for (i = 0; i < set->n; i++)
		if (set->fds[i] != -1)
			close(set->fds[i]);
	free(set->fds);
	set->fds = NULL;
	set->n = 0;
}
