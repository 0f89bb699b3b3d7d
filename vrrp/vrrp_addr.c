/* VIPs through rtnetlink; see vrrp_addr.h. */
#include "config.h"

#include <linux/if_addr.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <stdio.h>

#include "vrrp/vrrp_addr.h"

struct nl_sock *
vrrp_addr_open(void)
{
	struct nl_sock *sk = nl_socket_alloc();

	if (sk == NULL)
		return NULL;
	if (nl_connect(sk, NETLINK_ROUTE) < 0) {
		nl_socket_free(sk);
		return NULL;
	}
	return sk;
}

void
vrrp_addr_close(struct nl_sock *sk)
{
	if (sk != NULL)
		nl_socket_free(sk);
}

static struct nl_addr *
to_nl_addr(const struct kl_addr *a)
{
	size_t len;
	const void *b = addr_bytes(a, &len);

	return nl_addr_build(a->family, b, len);
}

/* The rtnl_addr for v on ifindex; NULL if out of memory. */
static struct rtnl_addr *
build(int ifindex, const struct conf_vip *v)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *local = to_nl_addr(&v->addr);
	int ok;

	if (ra == NULL || local == NULL) {
		rtnl_addr_put(ra);
		nl_addr_put(local);
		return NULL;
	}
	rtnl_addr_set_ifindex(ra, ifindex);
	ok = rtnl_addr_set_local(ra, local) == 0;
	nl_addr_put(local);
	rtnl_addr_set_prefixlen(ra, v->addr.prefix);
	rtnl_addr_set_scope(ra, v->scope);
	if (v->label != NULL)
		ok = ok && rtnl_addr_set_label(ra, v->label) == 0;
	if (addr_is_set(&v->brd)) {
		struct nl_addr *brd = to_nl_addr(&v->brd);

		ok = ok && brd != NULL && rtnl_addr_set_broadcast(ra, brd) == 0;
		nl_addr_put(brd);
	}
	/* A VIP moves between nodes: duplicate address detection would keep
	 * it unusable for a second after every failover. */
	if (v->addr.family == AF_INET6)
		rtnl_addr_set_flags(ra, IFA_F_NODAD);
	if (!ok) {
		rtnl_addr_put(ra);
		return NULL;
	}
	return ra;
}

static int
vip_op(struct nl_sock *sk, int ifindex, const struct conf_vip *v, bool add,
    char *err, size_t errlen)
{
	struct rtnl_addr *ra = build(ifindex, v);
	char buf[ADDR_STRLEN];
	int rc;

	if (ra == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rc = add ? rtnl_addr_add(sk, ra, 0) : rtnl_addr_delete(sk, ra, 0);
	rtnl_addr_put(ra);
	if (rc == 0 || (add && rc == -NLE_EXIST) ||
	    (!add && (rc == -NLE_NOADDR || rc == -NLE_OBJ_NOTFOUND || rc == -NLE_NODEV)))
		return 0;
	snprintf(err, errlen, "%s %s: %s", add ? "adding" : "removing",
	    addr_ntop(&v->addr, true, buf, sizeof(buf)), nl_geterror(rc));
	return -1;
}

int
vrrp_addr_add(struct nl_sock *sk, int ifindex, const struct conf_vip *v, char *err,
    size_t errlen)
{
	return vip_op(sk, ifindex, v, true, err, errlen);
}

int
vrrp_addr_del(struct nl_sock *sk, int ifindex, const struct conf_vip *v, char *err,
    size_t errlen)
{
	return vip_op(sk, ifindex, v, false, err, errlen);
}
