/* Quick mode: `keepalive-l7 --listen ADDR:PORT HOST=ADDR:PORT...` proxies
 * by Host header without a config file.  The command line is turned into
 * the text of a config file, which then goes through the parser and its
 * checks like any other: the two cannot drift apart, and --dump-conf, -t
 * and reload work on it unchanged. */
#ifndef KL7_QUICK_H
#define KL7_QUICK_H

#include <stddef.h>

/* At most this many distinct servers: a first try, not a deployment. */
#define QUICK_MAX_SERVERS	64

/* Build the config text for the nl listen addresses and the nm
 * "HOST=ADDR:PORT" mappings (HOST is a name, "*.suffix", or "*" for
 * every other host).  Hosts with the same set of servers share a pool;
 * a server given for two different sets is an error.  Returns the text
 * (free() it), or NULL with a message in err. */
char	*quick_config(char *const *listen, int nl, char *const *maps, int nm, char *err,
	    size_t errlen);

#endif
