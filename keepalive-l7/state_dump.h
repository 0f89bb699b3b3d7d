/* SIGUSR1: the running model, children and shared state as one JSON file,
 * written atomically (temporary file + rename) so readers never see half. */
#ifndef KL7_STATE_DUMP_H
#define KL7_STATE_DUMP_H

#include <json-c/json.h>

struct supervisor;

json_object	*state_dump_json(const struct supervisor *sup);
/* Write the dump to path; 0, or -1 with errno set. */
int		 state_dump_write(const struct supervisor *sup, const char *path);

#endif
