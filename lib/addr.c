/* Address parsing and formatting; see addr.h. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/addr.h"

static int
addr_max_prefix(int family)
{
	return family == AF_INET ? 32 : 128;
}

int
addr_parse(const char *s, struct kl_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->u.v4) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, s, &a->u.v6) == 1)
		a->family = AF_INET6;
	else
		return -1;
	a->prefix = (uint8_t)addr_max_prefix(a->family);
	return 0;
}

static int
parse_decimal(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || *out > max)
		return -1;
	return 0;
}

int
addr_parse_prefix(const char *s, struct kl_addr *a)
{
	char buf[INET6_ADDRSTRLEN + 8];
	char *slash;
	unsigned long len;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	if ((slash = strchr(buf, '/')) != NULL)
		*slash = '\0';
	if (addr_parse(buf, a) == -1)
		return -1;
	if (slash != NULL) {
		if (parse_decimal(slash + 1, (unsigned long)addr_max_prefix(a->family), &len) == -1)
			return -1;
		a->prefix = (uint8_t)len;
	}
	return 0;
}

int
addr_parse_port(const char *s, uint16_t *port)
{
	unsigned long v;

	if (parse_decimal(s, 65535, &v) == -1 || v == 0)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

int
addr_parse_hostport(const char *s, struct kl_addr *a, uint16_t *port)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *host = buf;
	char *colon;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	if ((colon = strrchr(buf, ':')) == NULL)
		return -1;
	*colon = '\0';
	if (buf[0] == '[') {
		size_t n = strlen(buf);

		if (n < 2 || buf[n - 1] != ']')
			return -1;
		buf[n - 1] = '\0';
		host = buf + 1;
		if (addr_parse(host, a) == -1 || a->family != AF_INET6)
			return -1;
	} else if (addr_parse(host, a) == -1 || a->family != AF_INET) {
		return -1;	/* a bare IPv6 address needs brackets */
	}
	return addr_parse_port(colon + 1, port);
}

bool
addr_is_set(const struct kl_addr *a)
{
	return a->family != 0;
}

const void *
addr_bytes(const struct kl_addr *a, size_t *len)
{
	*len = a->family == AF_INET ? 4 : 16;
	return a->family == AF_INET ? (const void *)&a->u.v4 : (const void *)&a->u.v6;
}

bool
addr_equal(const struct kl_addr *a, const struct kl_addr *b)
{
	size_t la, lb;
	const void *pa, *pb;

	if (a->family != b->family)
		return false;
	if (a->family == 0)
		return true;
	pa = addr_bytes(a, &la);
	pb = addr_bytes(b, &lb);
	return memcmp(pa, pb, la) == 0;
}

bool
addr_in_prefix(const struct kl_addr *a, const struct kl_addr *net)
{
	const uint8_t *pa, *pn;
	size_t len;
	unsigned full, rest;

	if (a->family != net->family || a->family == 0)
		return false;
	pa = addr_bytes(a, &len);
	pn = addr_bytes(net, &len);
	full = net->prefix / 8;
	rest = net->prefix % 8;
	if (memcmp(pa, pn, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((pa[full] ^ pn[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

const char *
addr_ntop(const struct kl_addr *a, bool with_prefix, char *buf, size_t len)
{
	size_t n;

	if (a->family == 0) {
		snprintf(buf, len, "(unset)");
		return buf;
	}
	if (inet_ntop(a->family, &a->u, buf, (socklen_t)len) == NULL) {
		snprintf(buf, len, "?");
		return buf;
	}
	n = strlen(buf);
	if (with_prefix && a->prefix != addr_max_prefix(a->family))
		snprintf(buf + n, len - n, "/%u", a->prefix);
	return buf;
}

const char *
addr_port_ntop(const struct kl_addr *a, uint16_t port, char *buf, size_t len)
{
	char h[INET6_ADDRSTRLEN];

	addr_ntop(a, false, h, sizeof(h));
	if (a->family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", h, port);
	else
		snprintf(buf, len, "%s:%u", h, port);
	return buf;
}

socklen_t
addr_to_sockaddr(const struct kl_addr *a, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr = a->u.v4;
		return sizeof(*sin);
	}
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		sin6->sin6_addr = a->u.v6;
		return sizeof(*sin6);
	}
	return 0;
}

int
addr_from_sockaddr(const struct sockaddr *sa, struct kl_addr *a, uint16_t *port)
{
	memset(a, 0, sizeof(*a));
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

		a->family = AF_INET;
		a->prefix = 32;
		a->u.v4 = sin->sin_addr;
		if (port != NULL)
			*port = ntohs(sin->sin_port);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;

		a->family = AF_INET6;
		a->prefix = 128;
		a->u.v6 = sin6->sin6_addr;
		if (port != NULL)
			*port = ntohs(sin6->sin6_port);
		return 0;
	}
	return -1;
}
