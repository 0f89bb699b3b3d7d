/* IPv4/IPv6 addresses, prefixes and ports as the config and the children
 * use them.  Parsers return 0 on success, -1 on malformed input (no logging). */
#ifndef KL7_ADDR_H
#define KL7_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct kl_addr {
	int		family;		/* AF_INET, AF_INET6, or 0 when unset */
	uint8_t		prefix;		/* 32/128 unless a /len was given */
	union {
		struct in_addr	v4;
		struct in6_addr	v6;
	} u;
};

/* INET6_ADDRSTRLEN + "/128" + "[]:65535" */
#define ADDR_STRLEN	(INET6_ADDRSTRLEN + 12)

/* A literal address, no prefix. */
int	addr_parse(const char *s, struct kl_addr *a);
/* "ADDR" or "ADDR/LEN"; LEN within the family's width. */
int	addr_parse_prefix(const char *s, struct kl_addr *a);
/* 1..65535 */
int	addr_parse_port(const char *s, uint16_t *port);
/* "ADDR:PORT" or "[V6ADDR]:PORT" */
int	addr_parse_hostport(const char *s, struct kl_addr *a, uint16_t *port);

bool	addr_is_set(const struct kl_addr *a);
bool	addr_equal(const struct kl_addr *a, const struct kl_addr *b);
/* True if a lies inside net/net->prefix (same family). */
bool	addr_in_prefix(const struct kl_addr *a, const struct kl_addr *net);
/* Address bytes in network order and their length (4 or 16). */
const void *addr_bytes(const struct kl_addr *a, size_t *len);

/* "192.0.2.1" / "2001:db8::1"; with_prefix appends "/len" when not a host. */
const char *addr_ntop(const struct kl_addr *a, bool with_prefix, char *buf, size_t len);
/* "192.0.2.1:80" / "[2001:db8::1]:80" */
const char *addr_port_ntop(const struct kl_addr *a, uint16_t port, char *buf, size_t len);

socklen_t addr_to_sockaddr(const struct kl_addr *a, uint16_t port,
	    struct sockaddr_storage *ss);
int	addr_from_sockaddr(const struct sockaddr *sa, struct kl_addr *a, uint16_t *port);

#endif
