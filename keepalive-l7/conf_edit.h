/* Runtime edits of the running model (keepalive-l7ctl add server /
 * remove server; struct conf_edit in lib/conf.h).
 *
 * The next model is the running one's tokens (conf->toks) parsed again,
 * with its earlier edits and the new one applied at the end of their
 * virtual_server blocks (splice/vs_edit.c): the same parser and the same
 * checks as for the file, which is not read (it may have been changed
 * since it was loaded).  A reload reads the file and so drops the edits:
 * they last only as long as the operator does not also edit the file.
 */
#ifndef KL7_CONF_EDIT_H
#define KL7_CONF_EDIT_H

#include <stddef.h>

#include "lib/conf.h"
#include "keepalive-l7/conf_load.h"

/* Whether e applies to running: its virtual server exists, a server to
 * add is not in it yet, a server to remove is.  0, or -1 with the reason
 * in err. */
int		 conf_edit_check(const struct conf *running, const struct conf_edit *e,
		    char *err, size_t errlen);
/* The model running is, with e applied after its edits; e has passed
 * conf_edit_check().  Returns it, or NULL with the errors of its checks
 * (e.g. a route whose pool lost its last server) in *errs. */
struct conf	*conf_edit_load(const struct conf *running, const struct conf_edit *e,
		    struct conf_errors *errs);

#endif
