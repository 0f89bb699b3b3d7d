/* Keyword-table parser and typed readers.  See cfg.h. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/cfg.h"

static bool
tok_is(const struct cfg_tok *t, const char *s)
{
	return !t->quoted && strcmp(t->s, s) == 0;
}

static bool
tok_is_brace(const struct cfg_tok *t)
{
	return tok_is(t, "{") || tok_is(t, "}");
}

static const struct cfg_kw *
kw_find(const struct cfg_kw *table, const struct cfg_tok *t)
{
	if (t->quoted)
		return NULL;
	for (; table->name != NULL; table++)
		if (strcmp(table->name, t->s) == 0)
			return table;
	return NULL;
}

static const struct cfg_tok *
cur(const struct cfg_ctx *p)
{
	return p->pos < p->ntoks ? &p->toks[p->pos] : NULL;
}

/* Skipping --------------------------------------------------------------- */

/* Skip a balanced { ... } starting at the cursor (which is on '{'). */
static void
skip_block(struct cfg_ctx *p)
{
	int depth = 0;

	for (; p->pos < p->ntoks; p->pos++) {
		const struct cfg_tok *t = &p->toks[p->pos];

		if (tok_is(t, "{"))
			depth++;
		else if (tok_is(t, "}") && --depth == 0) {
			p->pos++;
			return;
		}
	}
}

/* Skip the rest of the current line and a block that follows it. */
static void
skip_statement(struct cfg_ctx *p)
{
	const struct cfg_tok *t;

	while ((t = cur(p)) != NULL && !t->bol && !tok_is_brace(t))
		p->pos++;
	if ((t = cur(p)) != NULL && tok_is(t, "{"))
		skip_block(p);
}

/* Typed readers --------------------------------------------------------- */

static int
parse_ll(const char *s, long long *out)
{
	char *end;

	if (*s == '\0')
		return -1;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return (errno != 0 || *end != '\0') ? -1 : 0;
}

int
cfg_read_int(struct cfg_ctx *p, const struct cfg_stmt *st, const struct cfg_tok *t,
    long long lo, long long hi, int *out)
{
	long long v;

	if (parse_ll(t->s, &v) == -1) {
		cfg_error(p, t, "%s: '%s' is not an integer", st->kw->name, t->s);
		return -1;
	}
	if (v < lo || v > hi) {
		cfg_error(p, t, "%s: %lld is out of range %lld..%lld", st->kw->name, v, lo, hi);
		return -1;
	}
	*out = (int)v;
	return 0;
}

int
cfg_read_uint(struct cfg_ctx *p, const struct cfg_stmt *st, const struct cfg_tok *t,
    long long lo, long long hi, unsigned *out)
{
	int v;

	if (t->s[0] == '-' && lo >= 0) {
		cfg_error(p, t, "%s: '%s' must not be negative", st->kw->name, t->s);
		return -1;
	}
	if (cfg_read_int(p, st, t, lo, hi, &v) == -1)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* "1.5" (seconds), "250ms", "2s", "3m", "1h" -> milliseconds. */
static int
parse_duration_ms(const char *s, double *ms)
{
	static const struct { const char *sfx; double mul; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 }, { "", 1000 },
	};
	char *end;
	double v;
	size_t i;

	if ((*s < '0' || *s > '9') && *s != '.')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || !isfinite(v))
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(end, units[i].sfx) == 0) {
			*ms = v * units[i].mul;
			return 0;
		}
	return -1;
}

int
cfg_read_ms(struct cfg_ctx *p, const struct cfg_stmt *st, const struct cfg_tok *t,
    long long lo, long long hi, uint32_t *out)
{
	double ms;

	if (parse_duration_ms(t->s, &ms) == -1) {
		cfg_error(p, t, "%s: '%s' is not a duration (seconds, or a number with ms/s/m/h)",
		    st->kw->name, t->s);
		return -1;
	}
	if (ms < (double)lo || ms > (double)hi) {
		cfg_error(p, t, "%s: %s is out of range %g..%g s", st->kw->name, t->s,
		    (double)lo / 1000, (double)hi / 1000);
		return -1;
	}
	*out = (uint32_t)llround(ms);
	return 0;
}

static const struct cfg_enum cfg_bools[] = {
	{ "on", 1 }, { "yes", 1 }, { "true", 1 },
	{ "off", 0 }, { "no", 0 }, { "false", 0 }, { NULL, 0 },
};

int
cfg_read_enum(struct cfg_ctx *p, const struct cfg_stmt *st, const struct cfg_tok *t,
    const struct cfg_enum *e, int *out)
{
	const struct cfg_enum *i;
	char choices[256] = "";
	size_t n = 0;

	for (i = e; i->name != NULL; i++)
		if (strcasecmp(i->name, t->s) == 0) {
			*out = i->value;
			return 0;
		}
	for (i = e; i->name != NULL && n < sizeof(choices); i++)
		n += (size_t)snprintf(choices + n, sizeof(choices) - n, "%s%s",
		    i == e ? "" : ", ", i->name);
	cfg_error(p, t, "%s: '%s' is not one of %s", st->kw->name, t->s, choices);
	return -1;
}

const char *
cfg_enum_name(const struct cfg_enum *e, int value)
{
	for (; e->name != NULL; e++)
		if (e->value == value)
			return e->name;
	return "?";
}

int
cfg_read_bool(struct cfg_ctx *p, const struct cfg_stmt *st, const struct cfg_tok *t,
    bool *out)
{
	int v;

	if (cfg_read_enum(p, st, t, cfg_bools, &v) == -1)
		return -1;
	*out = v != 0;
	return 0;
}

int
cfg_read_addr(struct cfg_ctx *p, const struct cfg_stmt *st, const struct cfg_tok *t,
    struct kl_addr *out)
{
	if (addr_parse(t->s, out) == -1) {
		cfg_error(p, t, "%s: '%s' is not an IPv4 or IPv6 address", st->kw->name, t->s);
		return -1;
	}
	return 0;
}

int
cfg_read_prefix(struct cfg_ctx *p, const struct cfg_stmt *st, const struct cfg_tok *t,
    struct kl_addr *out)
{
	if (addr_parse_prefix(t->s, out) == -1) {
		cfg_error(p, t, "%s: '%s' is not an address or ADDRESS/PREFIXLEN", st->kw->name,
		    t->s);
		return -1;
	}
	return 0;
}

int
cfg_read_port(struct cfg_ctx *p, const struct cfg_stmt *st, const struct cfg_tok *t,
    uint16_t *out)
{
	if (addr_parse_port(t->s, out) == -1) {
		cfg_error(p, t, "%s: '%s' is not a port (1..65535)", st->kw->name, t->s);
		return -1;
	}
	return 0;
}

const char *
cfg_join_args(struct cfg_ctx *p, const struct cfg_stmt *st, int from)
{
	size_t len = 0;
	char *s, *w;
	int i;

	for (i = from; i < st->nargs; i++)
		len += strlen(st->args[i].s) + 1;
	w = s = arena_alloc(p->arena, len + 1);
	for (i = from; i < st->nargs; i++) {
		size_t n = strlen(st->args[i].s);

		if (i > from)
			*w++ = ' ';
		memcpy(w, st->args[i].s, n);
		w += n;
	}
	*w = '\0';
	return s;
}

/* Storing typed values ----------------------------------------------------- */

static int
store_value(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	const struct cfg_kw *kw = st->kw;
	char *field = (char *)obj + kw->off;

	switch (kw->type) {
	case CFG_T_FN:
		return kw->fn(p, st, obj);
	case CFG_T_FLAG:
		*(bool *)field = true;
		return 0;
	case CFG_T_BOOL:
		if (st->nargs == 0) {
			*(bool *)field = true;
			return 0;
		}
		return cfg_read_bool(p, st, &st->args[0], (bool *)field);
	case CFG_T_UINT:
		return cfg_read_uint(p, st, &st->args[0], kw->lo, kw->hi, (unsigned *)field);
	case CFG_T_INT:
		return cfg_read_int(p, st, &st->args[0], kw->lo, kw->hi, (int *)field);
	case CFG_T_MS:
		return cfg_read_ms(p, st, &st->args[0], kw->lo, kw->hi, (uint32_t *)field);
	case CFG_T_STR:
		*(const char **)field = st->args[0].s;
		return 0;
	case CFG_T_SCRIPT:
		*(const char **)field = cfg_join_args(p, st, 0);
		return 0;
	case CFG_T_ADDR:
		return cfg_read_addr(p, st, &st->args[0], (struct kl_addr *)field);
	case CFG_T_ENUM:
		return cfg_read_enum(p, st, &st->args[0], kw->enums, (int *)field);
	}
	return -1;
}

/* Statements and blocks ------------------------------------------------------ */

static void parse_body(struct cfg_ctx *p, const struct cfg_kw *block, const struct cfg_kw *table,
    const char *name, void *obj, const struct cfg_tok *open);

/* Collect the arguments of the statement whose keyword is at the cursor.
 * Once min_args are read, a keyword of the same table starts the next
 * statement (`path_prefix /static/ pool static`), except after a command,
 * which takes the rest of the line.
 * Returns -1 (after an error) when the count is wrong. */
static int
collect_args(struct cfg_ctx *p, const struct cfg_kw *table, struct cfg_stmt *st)
{
	const struct cfg_kw *kw = st->kw;
	const struct cfg_tok *t;

	p->pos++;
	st->args = cur(p);
	st->nargs = 0;
	while ((t = cur(p)) != NULL && !t->bol && !tok_is_brace(t) && st->nargs < kw->max_args) {
		if (st->nargs >= kw->min_args && kw->type != CFG_T_SCRIPT &&
		    kw_find(table, t) != NULL)
			break;
		st->nargs++;
		p->pos++;
	}
	t = cur(p);
	if (t != NULL && !t->bol && !tok_is_brace(t) && kw_find(table, t) == NULL) {
		cfg_error(p, t, "%s: too many arguments (at most %d)", kw->name, kw->max_args);
		return -1;
	}
	if (st->nargs < kw->min_args) {
		if (kw->min_args == 1)
			cfg_error(p, st->key, "%s: missing value", kw->name);
		else
			cfg_error(p, st->key, "%s: needs at least %d arguments", kw->name, kw->min_args);
		return -1;
	}
	return 0;
}

/* Each list-block line is an item: its first word plays the keyword. */
static void
parse_list(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	const struct cfg_tok *open = cur(p), *t;

	p->pos++;
	while ((t = cur(p)) != NULL && !tok_is(t, "}")) {
		struct cfg_stmt item = { .kw = st->kw, .key = t, .args = t + 1 };

		if (tok_is(t, "{")) {
			cfg_error(p, t, "%s: unexpected '{' in a list", st->kw->name);
			skip_block(p);
			continue;
		}
		p->pos++;
		while ((t = cur(p)) != NULL && !t->bol && !tok_is_brace(t)) {
			item.nargs++;
			p->pos++;
		}
		st->kw->fn(p, &item, obj);
	}
	if (t == NULL)
		cfg_error(p, open, "%s: block is never closed (missing '}')", st->kw->name);
	else
		p->pos++;
}

static void
parse_block_stmt(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	const struct cfg_kw *kw = st->kw;
	const struct cfg_tok *t = cur(p);
	void *child = obj;

	if (t == NULL || !tok_is(t, "{")) {
		cfg_error(p, st->key, "%s: expected '{' to open its block", kw->name);
		return;
	}
	if (kw->open != NULL && (child = kw->open(p, st, obj)) == NULL) {
		skip_block(p);
		return;
	}
	if (kw->kind == CFG_LIST) {
		parse_list(p, st, child);
	} else {
		p->pos++;
		parse_body(p, kw, kw->sub, kw->name, child, t);
	}
	if (kw->close != NULL)
		kw->close(p, st, child);
}

/* Line of the first use of each keyword of a table in this block, for
 * duplicate detection. */
struct seen {
	const struct cfg_kw	*table;
	int			*line;
};

static bool
check_duplicate(struct cfg_ctx *p, struct seen *s, const struct cfg_stmt *st)
{
	size_t i = (size_t)(st->kw - s->table);

	if (st->kw->repeat || st->kw->kind == CFG_UNSUPPORTED)
		return false;
	if (s->line[i] != 0) {
		cfg_error(p, st->key, "%s: given twice (first on line %d)", st->kw->name, s->line[i]);
		return true;
	}
	s->line[i] = st->key->line;
	return false;
}

/* A word that is not a keyword of the block: the block may know it as
 * an old syntax; else it is an error. */
static void
unknown_statement(struct cfg_ctx *p, const struct cfg_kw *block, const struct cfg_kw *table,
    const char *name, void *obj)
{
	const struct cfg_tok *key = cur(p);

	if (block != NULL && block->unknown != NULL) {
		struct cfg_stmt st = { .kw = block, .key = key };

		block->unknown(p, &st, obj);
	} else if (table != p->root_kws && kw_find(p->root_kws, key) != NULL) {
		cfg_error(p, key, "'%s' is not allowed in %s (a '}' missing before it?)",
		    key->s, name);
	} else {
		cfg_error(p, key, "unknown keyword '%s' in %s", key->s, name);
	}
	p->pos++;
	skip_statement(p);
}

static void
parse_statement(struct cfg_ctx *p, const struct cfg_kw *block, const struct cfg_kw *table,
    const char *name, struct seen *seen, void *obj)
{
	const struct cfg_tok *key = cur(p);
	struct cfg_stmt st = { .key = key };

	if ((st.kw = kw_find(table, key)) == NULL) {
		unknown_statement(p, block, table, name, obj);
		return;
	}
	if (st.kw->kind == CFG_UNSUPPORTED) {
		cfg_error(p, key, "%s: not supported: %s", key->s, st.kw->reason);
		p->pos++;
		skip_statement(p);
		return;
	}
	if (collect_args(p, table, &st) == -1 || check_duplicate(p, seen, &st)) {
		skip_statement(p);
		return;
	}
	if (st.kw->kind == CFG_VALUE)
		store_value(p, &st, obj);
	else
		parse_block_stmt(p, &st, obj);
}

static void
parse_body(struct cfg_ctx *p, const struct cfg_kw *block, const struct cfg_kw *table,
    const char *name, void *obj, const struct cfg_tok *open)
{
	struct seen seen = { .table = table };
	const struct cfg_tok *t;
	size_t n = 0;

	while (table[n].name != NULL)
		n++;
	seen.line = calloc(n + 1, sizeof(int));
	if (seen.line == NULL)
		fatal("%s: calloc", __func__);

	while ((t = cur(p)) != NULL) {
		if (tok_is(t, "}")) {
			if (open != NULL) {
				p->pos++;
				break;
			}
			cfg_error(p, t, "unexpected '}' (no block is open)");
			p->pos++;
			continue;
		}
		if (tok_is(t, "{")) {
			cfg_error(p, t, "unexpected '{' in %s", name);
			skip_block(p);
			continue;
		}
		parse_statement(p, block, table, name, &seen, obj);
	}
	if (t == NULL && open != NULL)
		cfg_error(p, open, "%s: block is never closed (missing '}')", name);
	free(seen.line);
}

void
cfg_parse(struct cfg_ctx *p, const struct cfg_kw *root, void *obj)
{
	p->pos = 0;
	p->root = obj;
	p->root_kws = root;
	parse_body(p, NULL, root, "the top level", obj, NULL);
}

/* Walking the tables ------------------------------------------------------- */

static void
walk(const struct cfg_kw *table, const char *parent, int depth,
    void (*fn)(const char *, const struct cfg_kw *, void *), void *arg)
{
	for (; table->name != NULL; table++) {
		fn(parent, table, arg);
		if (table->kind == CFG_BLOCK && table->sub != NULL && depth < 8)
			walk(table->sub, table->name, depth + 1, fn, arg);
	}
}

void
cfg_walk(const struct cfg_kw *root, void (*fn)(const char *parent,
    const struct cfg_kw *kw, void *arg), void *arg)
{
	walk(root, "", 0, fn, arg);
}
