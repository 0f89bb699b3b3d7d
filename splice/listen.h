/* Listening sockets of the virtual servers.  The parent makes and owns
 * them, so that a restarted or reloaded l7 child finds the same sockets,
 * with their backlog, and no client is refused meanwhile; each l7 child
 * inherits them across fork().
 *
 * IP_FREEBIND / IPV6_FREEBIND let a backup node listen on a VIP it does
 * not hold yet: connections arrive as soon as VRRP moves the VIP over.
 */
#ifndef KL7_LISTEN_H
#define KL7_LISTEN_H

#include <stdint.h>

#include "lib/addr.h"
#include "lib/conf.h"

#define LISTEN_BACKLOG	4096	/* the kernel caps it at net.core.somaxconn */

struct listen_set {
	unsigned	 n;		/* conf->n_virtual_servers */
	int		*fds;		/* by virtual server index */
};

/* One socket for every virtual server of c, taking over the sockets of
 * `keep` (may be NULL) whose address and port are still wanted, so a
 * reload never closes a listener that stays.  -1 (after logging
 * FILE:LINE: why) if a socket cannot be made; then nothing is taken from
 * keep. */
int	listen_set_open(struct listen_set *set, const struct conf *c,
	    struct listen_set *keep, const struct conf *keep_conf);
void	listen_set_close(struct listen_set *set);

/* A listening TCP socket on addr:port, non-blocking; -1 with errno. */
int	listen_socket(const struct kl_addr *addr, uint16_t port);

#endif
