/* sticky_sync { listen ADDR PORT  peer ADDR PORT  secret S | secret_file PATH }.
 * See sync_parser.h and keepalive-l7.conf(5). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/arena.h"
#include "splice/sync_parser.h"

#define SS struct conf_sticky_sync

void *
sync_open(struct cfg_ctx *p, const struct cfg_stmt *st, void *conf)
{
	struct conf *c = conf;

	c->sticky_sync.src = cfg_src_of(st->key);
	c->sticky_sync.enabled = true;
	return &c->sticky_sync;
}

/* listen / peer ADDR PORT: a host address, not a wildcard (the lower of
 * the two decides which node connects, and the listener knows its peer by
 * it). */
static int
sync_endpoint(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	SS *s = obj;
	bool listen = strcmp(st->kw->name, "listen") == 0;
	struct kl_addr *a = listen ? &s->listen_addr : &s->peer_addr;
	uint16_t *port = listen ? &s->listen_port : &s->peer_port;

	if (cfg_read_addr(p, st, &st->args[0], a) == -1 ||
	    cfg_read_port(p, st, &st->args[1], port) == -1)
		return -1;
	if ((a->family == AF_INET && a->u.v4.s_addr == htonl(INADDR_ANY)) ||
	    (a->family == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(&a->u.v6))) {
		cfg_error(p, &st->args[0], "%s: '%s': give the node's own address, not a "
		    "wildcard", st->kw->name, st->args[0].s);
		return -1;
	}
	return 0;
}

static int
secret_check(struct cfg_ctx *p, const struct cfg_stmt *st, SS *s, const char *v, size_t len)
{
	if (s->secret != NULL) {
		cfg_error(p, st->key, "%s: the secret is given twice (secret or secret_file)",
		    st->kw->name);
		return -1;
	}
	s->secret = v;		/* even if refused: it is not missing */
	s->secret_len = len;
	if (len < CONF_SYNC_SECRET_MIN || len > CONF_SYNC_SECRET_MAX) {
		cfg_error(p, st->key, "%s: the secret must be %d to %d bytes long, not %zu",
		    st->kw->name, CONF_SYNC_SECRET_MIN, CONF_SYNC_SECRET_MAX, len);
		return -1;
	}
	return 0;
}

static int
sync_secret(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	return secret_check(p, st, obj, st->args[0].s, strlen(st->args[0].s));
}

/* The file's first line, without its line end: read now, in the parent,
 * so that the children never open files.  Like ssh with its keys, a file
 * every user can read (or anyone but its owner write) is refused: the
 * secret is what keeps another host from writing the persistence table. */
static int
sync_secret_file(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	char buf[CONF_SYNC_SECRET_MAX + 2], *v;
	FILE *f = fopen(st->args[0].s, "re");
	struct stat sb;
	size_t len;

	if (f == NULL) {
		cfg_error(p, &st->args[0], "secret_file: '%s': %s", st->args[0].s,
		    strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) &&
	    (sb.st_mode & (S_IRWXO | S_IWGRP)) != 0) {
		cfg_error(p, &st->args[0], "secret_file: '%s' is open to other users (mode "
		    "%04o): make it 0600 or 0640", st->args[0].s, (unsigned)(sb.st_mode & 07777));
		fclose(f);
		return -1;
	}
	if (fgets(buf, sizeof(buf), f) == NULL)
		buf[0] = '\0';
	fclose(f);
	len = strcspn(buf, "\r\n");
	v = arena_alloc(p->arena, len + 1);
	memcpy(v, buf, len);
	v[len] = '\0';
	return secret_check(p, st, obj, v, len);
}

void
sync_close(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	SS *s = obj;

	if (!addr_is_set(&s->listen_addr))
		cfg_error(p, st->key, "sticky_sync: missing 'listen'");
	if (!addr_is_set(&s->peer_addr))
		cfg_error(p, st->key, "sticky_sync: missing 'peer'");
	if (s->secret == NULL)
		cfg_error(p, st->key, "sticky_sync: missing 'secret' or 'secret_file'");
	if (!addr_is_set(&s->listen_addr) || !addr_is_set(&s->peer_addr))
		return;
	if (s->listen_addr.family != s->peer_addr.family)
		cfg_error(p, st->key, "sticky_sync: 'listen' and 'peer' must be of one "
		    "address family");
	else if (addr_equal(&s->listen_addr, &s->peer_addr) && s->listen_port == s->peer_port)
		cfg_error(p, st->key, "sticky_sync: 'peer' is this node's own 'listen'");
}

const struct cfg_kw sync_kws[] = {
	KW_FN("listen", 2, 2, sync_endpoint),
	KW_FN("peer", 2, 2, sync_endpoint),
	KW_FN("secret", 1, 1, sync_secret),
	KW_FN("secret_file", 1, 1, sync_secret_file),
	KW_END
};
#undef SS
