/* Config file framework: a lexer for keepalived's grammar and a parser
 * driven by keyword tables.
 *
 * Grammar: whitespace-separated tokens; '{' and '}' are tokens of their
 * own; '#' or '!' at the start of a token comments out the rest of the
 * line; "..." and '...' quote (\" \\ \n \t inside double quotes);
 * `include GLOB...` on a line of its own reads files relative to the
 * including file; a line starting with `@ID` is kept only when ID is the
 * config id, `@^ID` only when it is not.
 *
 * A statement is a keyword and its arguments, on one line.  A keyword
 * takes min_args..max_args arguments; once min_args are read, an unquoted
 * word that is a keyword of the same block starts the next statement on
 * the same line (commands, CFG_T_SCRIPT, take the whole line).  That is
 * what lets `http_route static { path_prefix /static/ pool static }` read
 * naturally.
 * A block keyword is followed by '{' ... '}' holding statements (BLOCK)
 * or one item per line (LIST, e.g. virtual_ipaddress).
 *
 * Errors never stop the parse: each is recorded as "FILE:LINE: message",
 * the offending statement or block is skipped, and parsing goes on so one
 * run reports every mistake.
 */
#ifndef KL7_CFG_H
#define KL7_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/log.h"

struct arena;

struct cfg_tok {
	const char	*s;		/* text, quotes removed */
	const char	*file;		/* path as opened, owned by the arena */
	int		 line;
	bool		 bol;		/* first token on its source line */
	bool		 quoted;
};

/* Where a model object was defined, for errors found after parsing. */
struct cfg_src {
	const char	*file;
	int		 line;
};

struct cfg_error {
	struct cfg_error	*next;
	char			*msg;	/* "FILE:LINE: message" */
};

struct cfg_ctx {
	struct arena	*arena;		/* tokens and the model it builds */
	const char	*config_id;	/* for @ID lines; NULL: none match */

	struct cfg_tok	*toks;
	size_t		 ntoks;
	size_t		 cap;
	size_t		 pos;		/* parser cursor */
	int		 include_depth;

	void		*root;		/* the object cfg_parse() fills */
	const struct cfg_kw *root_kws;	/* its table, for "missing '}'" hints */

	struct cfg_error *errors;
	struct cfg_error **errors_tail;
	int		 nerrors;
};

struct cfg_kw;

/* The keyword and its arguments as found in the file. */
struct cfg_stmt {
	const struct cfg_kw	*kw;
	const struct cfg_tok	*key;
	const struct cfg_tok	*args;
	int			 nargs;
};

/* Value or list-item handler: returns 0, or -1 after reporting an error. */
typedef int cfg_handler_fn(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj);
/* Block opener: returns the object the block's statements fill, or NULL
 * after reporting an error (the block is then skipped). */
typedef void *cfg_open_fn(struct cfg_ctx *p, const struct cfg_stmt *st, void *parent);
/* Block end: checks the object now that all its statements are read. */
typedef void cfg_close_fn(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj);

enum cfg_kind {
	CFG_VALUE,		/* keyword [args]; stored by type, or by fn */
	CFG_BLOCK,		/* keyword [args] { statements } */
	CFG_LIST,		/* keyword [args] { one item per line } */
	CFG_UNSUPPORTED,	/* recognised, refused with `reason` */
};

enum cfg_type {
	CFG_T_FN,		/* fn does the work */
	CFG_T_FLAG,		/* no argument: bool = true */
	CFG_T_BOOL,		/* [on|off|yes|no|true|false], default on */
	CFG_T_UINT,		/* unsigned in lo..hi */
	CFG_T_INT,		/* int in lo..hi */
	CFG_T_MS,		/* duration: 1.5 = 1.5 s; or 250ms, 2s, 1m, 1h; stored in ms */
	CFG_T_STR,		/* one word */
	CFG_T_SCRIPT,		/* a command: its words joined with spaces */
	CFG_T_ADDR,		/* an IPv4/IPv6 address */
	CFG_T_ENUM,		/* one of `enums`, stored as int */
};

struct cfg_enum {
	const char	*name;
	int		 value;
};

struct cfg_kw {
	const char		*name;
	enum cfg_kind		 kind;
	enum cfg_type		 type;
	uint8_t			 min_args;
	uint8_t			 max_args;
	bool			 repeat;	/* may appear more than once per block */
	size_t			 off;		/* field in the block's object */
	long long		 lo, hi;	/* range (CFG_T_MS: in ms) */
	const struct cfg_enum	*enums;
	cfg_handler_fn		*fn;		/* CFG_T_FN value; LIST item */
	cfg_open_fn		*open;		/* BLOCK/LIST: NULL = same object */
	cfg_close_fn		*close;
	const struct cfg_kw	*sub;		/* BLOCK: its keywords */
	const char		*reason;	/* UNSUPPORTED: why, for the error */
	cfg_handler_fn		*unknown;	/* BLOCK: a word that is no keyword
						 * of the block (legacy syntax) */
};

#define CFG_ARGS_MAX	255

/* Table-building shorthands.  Each names the struct and field it fills,
 * so a table reads as the list of keywords with their types and ranges. */
#define KW_FLAG(n, S, f)	{ .name = n, .type = CFG_T_FLAG, .off = offsetof(S, f) }
#define KW_BOOL(n, S, f)	{ .name = n, .type = CFG_T_BOOL, .max_args = 1, .off = offsetof(S, f) }
#define KW_UINT(n, S, f, l, h)	{ .name = n, .type = CFG_T_UINT, .min_args = 1, .max_args = 1, \
				  .off = offsetof(S, f), .lo = (l), .hi = (h) }
#define KW_INT(n, S, f, l, h)	{ .name = n, .type = CFG_T_INT, .min_args = 1, .max_args = 1, \
				  .off = offsetof(S, f), .lo = (l), .hi = (h) }
#define KW_MS(n, S, f, l, h)	{ .name = n, .type = CFG_T_MS, .min_args = 1, .max_args = 1, \
				  .off = offsetof(S, f), .lo = (l), .hi = (h) }
#define KW_STR(n, S, f)		{ .name = n, .type = CFG_T_STR, .min_args = 1, .max_args = 1, \
				  .off = offsetof(S, f) }
#define KW_SCRIPT(n, S, f)	{ .name = n, .type = CFG_T_SCRIPT, .min_args = 1, \
				  .max_args = CFG_ARGS_MAX, .off = offsetof(S, f) }
#define KW_ADDR(n, S, f)	{ .name = n, .type = CFG_T_ADDR, .min_args = 1, .max_args = 1, \
				  .off = offsetof(S, f) }
#define KW_ENUM(n, S, f, e)	{ .name = n, .type = CFG_T_ENUM, .min_args = 1, .max_args = 1, \
				  .off = offsetof(S, f), .enums = (e) }
#define KW_FN(n, lo_, hi_, f)	{ .name = n, .type = CFG_T_FN, .min_args = (lo_), \
				  .max_args = (hi_), .fn = (f) }
#define KW_UNSUP(n, why)	{ .name = n, .kind = CFG_UNSUPPORTED, .max_args = CFG_ARGS_MAX, \
				  .reason = (why) }
#define KW_END			{ .name = NULL }

/* Lifecycle. */
void	cfg_ctx_init(struct cfg_ctx *p, struct arena *a, const char *config_id);
/* Lex a file (and its includes) onto the token list; errors are recorded. */
void	cfg_lex_file(struct cfg_ctx *p, const char *path);
/* Lex a string as if it were file `name` (tests, fuzzing). */
void	cfg_lex_string(struct cfg_ctx *p, const char *name, const char *text);
/* Put n tokens kept from an earlier lex (in another arena) on the token
 * list, their strings copied into p's arena: parse again what was read
 * once, without the files. */
void	cfg_lex_tokens(struct cfg_ctx *p, const struct cfg_tok *toks, size_t n);
/* Parse every token as statements of the root table, filling obj. */
void	cfg_parse(struct cfg_ctx *p, const struct cfg_kw *root, void *obj);

/* Errors. */
void	cfg_error(struct cfg_ctx *p, const struct cfg_tok *t, const char *fmt, ...)
	    KL7_PRINTF(3, 4);
void	cfg_error_src(struct cfg_ctx *p, const struct cfg_src *src, const char *fmt, ...)
	    KL7_PRINTF(3, 4);
struct cfg_src cfg_src_of(const struct cfg_tok *t);

/* Typed readers for handlers: each reports "KEYWORD: ..." on failure and
 * returns -1, else stores the value and returns 0. */
int	cfg_read_uint(struct cfg_ctx *p, const struct cfg_stmt *st, const struct cfg_tok *t,
	    long long lo, long long hi, unsigned *out);
int	cfg_read_int(struct cfg_ctx *p, const struct cfg_stmt *st, const struct cfg_tok *t,
	    long long lo, long long hi, int *out);
int	cfg_read_ms(struct cfg_ctx *p, const struct cfg_stmt *st, const struct cfg_tok *t,
	    long long lo, long long hi, uint32_t *out);
int	cfg_read_bool(struct cfg_ctx *p, const struct cfg_stmt *st, const struct cfg_tok *t,
	    bool *out);
int	cfg_read_addr(struct cfg_ctx *p, const struct cfg_stmt *st, const struct cfg_tok *t,
	    struct kl_addr *out);
int	cfg_read_prefix(struct cfg_ctx *p, const struct cfg_stmt *st, const struct cfg_tok *t,
	    struct kl_addr *out);
int	cfg_read_port(struct cfg_ctx *p, const struct cfg_stmt *st, const struct cfg_tok *t,
	    uint16_t *out);
int	cfg_read_enum(struct cfg_ctx *p, const struct cfg_stmt *st, const struct cfg_tok *t,
	    const struct cfg_enum *e, int *out);
/* The statement's arguments from index `from`, joined with spaces. */
const char *cfg_join_args(struct cfg_ctx *p, const struct cfg_stmt *st, int from);
/* Name of an enum value, for dumps. */
const char *cfg_enum_name(const struct cfg_enum *e, int value);

/* Walk every keyword reachable from root, depth first (for docs tests and
 * `--list-keywords`): fn(path, kw, arg) with path like "vrrp_instance". */
void	cfg_walk(const struct cfg_kw *root, void (*fn)(const char *parent,
	    const struct cfg_kw *kw, void *arg), void *arg);

#endif
