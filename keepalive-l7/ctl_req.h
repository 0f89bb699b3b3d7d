/* The control socket's requests (doc/control-protocol.md): the command
 * table both ends share, and the parser the daemon runs on every request.
 *
 * A request is one JSON object on one line:
 *   {"version": 1, "command": "set weight",
 *    "virtual_server": "192.0.2.1:80", "real_server": "198.51.100.2:8080",
 *    "weight": 3}
 * The parser checks that the request is well formed and names a known
 * command with the arguments it takes; whether the servers exist is the
 * command's business (ctl_cmd.c).  No logging, no allocation kept.
 */
#ifndef KL7_CTL_REQ_H
#define KL7_CTL_REQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

#define CTL_PROTO_VERSION	1
#define CTL_REQ_MAX		4096	/* bytes of one request, newline included */
#define CTL_WEIGHT_MAX		65535	/* as the file's `weight` */
#define CTL_POOL_MAX		64	/* bytes of a pool name, its NUL included */

enum ctl_cmd {
	CTL_STATUS,
	CTL_SHOW_VRRP,
	CTL_SHOW_SERVERS,
	CTL_SHOW_STATS,
	CTL_ENABLE_SERVER,
	CTL_DISABLE_SERVER,
	CTL_DRAIN_SERVER,
	CTL_SET_WEIGHT,
	CTL_ADD_SERVER,
	CTL_REMOVE_SERVER,
	CTL_RELOAD,
	CTL_NCMDS
};

/* The arguments a command takes (struct ctl_cmd_info.args). */
#define CTL_ARG_VS	0x1u	/* "virtual_server": required */
#define CTL_ARG_VS_OPT	0x2u	/* "virtual_server": optional */
#define CTL_ARG_RS	0x4u	/* "real_server": required */
#define CTL_ARG_WEIGHT	0x8u	/* "weight": required */
#define CTL_ARG_WEIGHT_OPT 0x10u /* "weight": optional */
#define CTL_ARG_POOL_OPT 0x20u	/* "pool": optional */
/* The optional arguments the CLI takes as "NAME VALUE" words. */
#define CTL_ARGS_NAMED	(CTL_ARG_WEIGHT_OPT | CTL_ARG_POOL_OPT)

struct ctl_cmd_info {
	const char	*name;		/* "show servers": the CLI's words */
	unsigned	 args;
	const char	*usage;		/* the arguments, for help texts */
};

const struct ctl_cmd_info *ctl_cmd_info(enum ctl_cmd cmd);
/* The command called name, or -1. */
int	ctl_cmd_lookup(const char *name);

struct ctl_req {
	enum ctl_cmd	 cmd;
	bool		 has_vs;
	struct kl_addr	 vs_addr;
	uint16_t	 vs_port;
	bool		 has_rs;
	struct kl_addr	 rs_addr;
	uint16_t	 rs_port;
	bool		 has_weight;
	uint32_t	 weight;
	bool		 has_pool;
	char		 pool[CTL_POOL_MAX];
};

/* Parse one request of len bytes (no newline needed).  0, or -1 with the
 * reason in err (may be NULL). */
int	ctl_req_parse(const char *text, size_t len, struct ctl_req *req, char *err,
	    size_t errlen);

#endif
