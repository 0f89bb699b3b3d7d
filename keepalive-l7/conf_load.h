/* Reading the config file into a validated model (lib/conf.h): the root
 * keyword table, global_defs, and the checks that span the whole file. */
#ifndef KL7_CONF_LOAD_H
#define KL7_CONF_LOAD_H

#include <stdio.h>

#include "lib/cfg.h"
#include "lib/conf.h"

/* Errors of a failed load, each "FILE:LINE: message". */
struct conf_errors {
	char	**msg;
	int	  n;
};

extern const struct cfg_kw conf_root_kws[];
extern const struct cfg_kw conf_global_kws[];

/* Parse and validate path.  config_id selects `@ID` lines (NULL: none).
 * Returns the model, or NULL with every error in *errs (free with
 * conf_errors_free()). */
struct conf	*conf_load(const char *path, const char *config_id, struct conf_errors *errs);
/* The same from a string, for tests and fuzzing. */
struct conf	*conf_load_string(const char *name, const char *text, const char *config_id,
		    struct conf_errors *errs);
/* The same from the tokens an earlier load kept (its conf->toks), into c,
 * a model from conf_new() with its runtime edits (c->edits) in place:
 * the file is not read again.  c is freed when it returns NULL. */
struct conf	*conf_load_tokens(struct conf *c, const struct cfg_tok *toks, size_t ntoks,
		    struct conf_errors *errs);
struct kl7_opts;
/* The file of -f, or quick mode's text (o->conf_text) when it has one. */
struct conf	*conf_load_opts(const struct kl7_opts *o, struct conf_errors *errs);
void		 conf_errors_free(struct conf_errors *errs);
void		 conf_errors_print(const struct conf_errors *errs, FILE *f);

/* The default config id: the first label of the host name, as keepalived. */
const char	*conf_default_id(char *buf, size_t len);

#endif
