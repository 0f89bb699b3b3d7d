/* SIGUSR1: the running model, children and shared state as one JSON file,
 * written atomically (temporary file + rename) so readers never see half.
 * The builders of its parts serve the control socket's show commands too
 * (keepalive-l7/ctl_cmd.c); each returns a new object the caller owns. */
#ifndef KL7_STATE_DUMP_H
#define KL7_STATE_DUMP_H

#include <json-c/json.h>

#include "lib/shm.h"

struct child;
struct supervisor;

json_object	*state_dump_json(const struct supervisor *sup);

/* Parts: the children the daemon runs, one child, the last reload
 * {ok, errors[]}, the VRRP instances, one real server (state, admin,
 * counters), one virtual server (quorum, counters), all of them. */
json_object	*state_dump_children(const struct supervisor *sup);
json_object	*state_dump_child(const struct child *c);
json_object	*state_dump_reload(const struct supervisor *sup);
json_object	*state_dump_vrrp(const struct shm *s);
json_object	*state_dump_server(const struct shm_rs *r);
json_object	*state_dump_virtual_server(const struct shm_vs *v);
json_object	*state_dump_virtual_servers(const struct shm *s);
/* Write the dump to path; 0, or -1 with errno set. */
int		 state_dump_write(const struct supervisor *sup, const char *path);

#endif
