/* Config lexer: files, includes, comments, quotes, @ID lines.  See cfg.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/arena.h"
#include "lib/cfg.h"

#define CFG_INCLUDE_DEPTH	8
#define CFG_FILE_MAX		(16 * 1024 * 1024)

void
cfg_ctx_init(struct cfg_ctx *p, struct arena *a, const char *config_id)
{
	memset(p, 0, sizeof(*p));
	p->arena = a;
	p->config_id = config_id;
	p->errors_tail = &p->errors;
}

static void cfg_error_va(struct cfg_ctx *, const char *, int, const char *, va_list)
    KL7_PRINTF(4, 0);

static void
cfg_error_va(struct cfg_ctx *p, const char *file, int line, const char *fmt, va_list ap)
{
	struct cfg_error *e = arena_alloc(p->arena, sizeof(*e));
	char msg[512];
	size_t len;

	/* The prefix is sized to the file name, which may be a long path. */
	vsnprintf(msg, sizeof(msg), fmt, ap);
	len = strlen(file) + strlen(msg) + 16;
	e->msg = arena_alloc(p->arena, len);
	snprintf(e->msg, len, "%s:%d: %s", file, line, msg);
	*p->errors_tail = e;
	p->errors_tail = &e->next;
	p->nerrors++;
}

void
cfg_error(struct cfg_ctx *p, const struct cfg_tok *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_error_va(p, t->file, t->line, fmt, ap);
	va_end(ap);
}

void
cfg_error_src(struct cfg_ctx *p, const struct cfg_src *src, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_error_va(p, src->file, src->line, fmt, ap);
	va_end(ap);
}

struct cfg_src
cfg_src_of(const struct cfg_tok *t)
{
	return (struct cfg_src){ .file = t->file, .line = t->line };
}

/* One source line being split into tokens. */
struct cfg_line {
	const char	*file;
	int		 line;
	struct cfg_tok	 toks[64];
	int		 n;
	bool		 overflow;
};

static void
line_push(struct cfg_ctx *p, struct cfg_line *l, const char *s, size_t len, bool quoted)
{
	if (l->n == (int)(sizeof(l->toks) / sizeof(l->toks[0]))) {
		l->overflow = true;
		return;
	}
	l->toks[l->n++] = (struct cfg_tok){
		.s = arena_strndup(p->arena, s, len), .file = l->file,
		.line = l->line, .quoted = quoted,
	};
}

/* A quoted string starting at *sp (on the quote); returns -1 if it is
 * unterminated on its line or longer than 4 KiB. */
static int
lex_quoted(struct cfg_ctx *p, struct cfg_line *l, const char **sp, const char *end)
{
	char q = **sp, buf[4096];
	const char *s = *sp + 1;
	size_t n = 0;

	for (; s < end && *s != q; s++) {
		char c = *s;

		if (q == '"' && c == '\\' && s + 1 < end) {
			s++;
			c = *s == 'n' ? '\n' : *s == 't' ? '\t' : *s;
		}
		if (n == sizeof(buf))
			return -1;
		buf[n++] = c;
	}
	if (s >= end)
		return -1;
	line_push(p, l, buf, n, true);
	*sp = s + 1;
	return 0;
}

/* True once the words read so far start an include line (after an @ID). */
static bool
line_is_include(const struct cfg_line *l)
{
	int first = l->n > 0 && !l->toks[0].quoted && l->toks[0].s[0] == '@' &&
	    l->toks[0].s[1] != '\0';

	return l->n > first && !l->toks[first].quoted && strcmp(l->toks[first].s, "include") == 0;
}

static void
lex_line_tokens(struct cfg_ctx *p, struct cfg_line *l, const char *s, const char *end)
{
	while (s < end) {
		/* In an include's patterns braces are glob syntax (GLOB_BRACE),
		 * not blocks: `include conf.d/{a,b}.conf`. */
		bool braces = !line_is_include(l);
		const char *w;

		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\f' || *s == '\v') {
			s++;
			continue;
		}
		if (*s == '#' || *s == '!')
			return;
		if (braces && (*s == '{' || *s == '}')) {
			line_push(p, l, s++, 1, false);
			continue;
		}
		if (*s == '"' || *s == '\'') {
			if (lex_quoted(p, l, &s, end) == -1) {
				cfg_error_src(p, &(struct cfg_src){ l->file, l->line },
				    "unterminated (or over 4 KiB) quoted string");
				return;
			}
			continue;
		}
		for (w = s; s < end && *s != ' ' && *s != '\t' && *s != '\r' && *s != '\f' &&
		    *s != '\v' && !(braces && (*s == '{' || *s == '}')); s++)
			;
		line_push(p, l, w, (size_t)(s - w), false);
	}
}

/* `@ID rest` keeps rest when ID is the config id; `@^ID rest` when it is not. */
static bool
lex_condition_holds(const struct cfg_ctx *p, const char *tok)
{
	bool negate = tok[1] == '^';
	const char *id = tok + (negate ? 2 : 1);
	bool match = p->config_id != NULL && strcmp(id, p->config_id) == 0;

	return negate ? !match : match;
}

static void lex_file_at(struct cfg_ctx *p, const char *path, const struct cfg_src *from);

static void
lex_include(struct cfg_ctx *p, struct cfg_line *l, int first)
{
	char dir[4096];
	const char *slash = strrchr(l->file, '/');
	struct cfg_src src = { l->file, l->line };
	int i;

	if (first == l->n - 1) {
		cfg_error_src(p, &src, "include: missing file name");
		return;
	}
	if (slash != NULL)
		snprintf(dir, sizeof(dir), "%.*s/", (int)(slash - l->file), l->file);
	else
		dir[0] = '\0';

	for (i = first + 1; i < l->n; i++) {
		const char *pat = l->toks[i].s;
		char full[4096];
		glob_t g;
		size_t j;
		int rc;

		snprintf(full, sizeof(full), "%s%s", pat[0] == '/' ? "" : dir, pat);
		rc = glob(full, GLOB_ERR | GLOB_BRACE, NULL, &g);
		if (rc == GLOB_NOMATCH) {
			/* A pattern may match nothing (an empty conf.d); a plain
			 * file name must exist. */
			if (strpbrk(pat, "*?[{") == NULL)
				cfg_error_src(p, &src, "include: %s: %s", full, strerror(ENOENT));
			continue;
		}
		if (rc != 0) {
			cfg_error_src(p, &src, "include: cannot read '%s'", full);
			continue;
		}
		for (j = 0; j < g.gl_pathc; j++)
			lex_file_at(p, g.gl_pathv[j], &src);
		globfree(&g);
	}
}

static void
toks_push(struct cfg_ctx *p, const struct cfg_tok *t)
{
	if (p->ntoks == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 1024;
		struct cfg_tok *n = realloc(p->toks, cap * sizeof(*n));

		if (n == NULL)
			fatal("%s: realloc", __func__);
		p->toks = n;
		p->cap = cap;
	}
	p->toks[p->ntoks++] = *t;
}

static void
lex_emit_line(struct cfg_ctx *p, struct cfg_line *l)
{
	int first = 0, i;

	if (l->n == 0)
		return;
	if (l->overflow)
		cfg_error_src(p, &(struct cfg_src){ l->file, l->line },
		    "too many words on one line");
	if (!l->toks[0].quoted && l->toks[0].s[0] == '@' && l->toks[0].s[1] != '\0') {
		if (!lex_condition_holds(p, l->toks[0].s))
			return;
		first = 1;
	}
	if (first < l->n && !l->toks[first].quoted && l->toks[first].s[0] == '$') {
		/* keepalived's $NAME=value parameters: not implemented. */
		cfg_error_src(p, &(struct cfg_src){ l->file, l->line },
		    "'%s': $NAME=value parameters are not supported", l->toks[first].s);
		return;
	}
	if (first < l->n && !l->toks[first].quoted && strcmp(l->toks[first].s, "include") == 0) {
		lex_include(p, l, first);
		return;
	}
	for (i = first; i < l->n; i++) {
		l->toks[i].bol = (i == first);
		toks_push(p, &l->toks[i]);
	}
}

static void
lex_buffer(struct cfg_ctx *p, const char *file, const char *buf, size_t len)
{
	const char *s = buf, *end = buf + len;
	struct cfg_line l = { .file = file };

	while (s < end) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));

		if (eol == NULL)
			eol = end;
		l.line++;
		l.n = 0;
		l.overflow = false;
		lex_line_tokens(p, &l, s, eol);
		lex_emit_line(p, &l);
		s = eol + 1;
	}
}

/* 0 if st is a regular file small enough to read, else why not. */
static int
file_refused(const struct stat *st)
{
	if (S_ISDIR(st->st_mode))
		return EISDIR;
	if (!S_ISREG(st->st_mode))
		return EINVAL;
	return st->st_size > CFG_FILE_MAX ? EFBIG : 0;
}

static char *
read_whole_file(const char *path, size_t *len, int *err)
{
	struct stat st;
	FILE *f = NULL;
	char *buf;
	int fd;

	/* Look before opening: opening a FIFO waits for a writer (forever),
	 * and opening a device may do something (a tty, a watchdog).  Then
	 * open without blocking and look again, in case the path changed. */
	if (stat(path, &st) == -1) {
		*err = errno;
		return NULL;
	}
	if ((*err = file_refused(&st)) != 0)
		return NULL;
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) == -1) {
		*err = errno;
		return NULL;
	}
	if (fstat(fd, &st) == -1)
		*err = errno;
	else
		*err = file_refused(&st);
	if (*err == 0 && (f = fdopen(fd, "r")) == NULL)
		*err = errno;
	if (*err != 0) {
		close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL)
		fatal("%s: malloc", __func__);
	*len = fread(buf, 1, (size_t)st.st_size, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static void
lex_file_at(struct cfg_ctx *p, const char *path, const struct cfg_src *from)
{
	size_t len = 0;
	int err = 0;
	char *buf;

	if (p->include_depth >= CFG_INCLUDE_DEPTH) {
		cfg_error_src(p, from, "include: nesting deeper than %d (a loop?) at '%s'",
		    CFG_INCLUDE_DEPTH, path);
		return;
	}
	if ((buf = read_whole_file(path, &len, &err)) == NULL) {
		if (from != NULL)
			cfg_error_src(p, from, "include: %s: %s", path, strerror(err));
		else
			cfg_error_src(p, &(struct cfg_src){ path, 0 }, "%s", strerror(err));
		return;
	}
	p->include_depth++;
	lex_buffer(p, arena_strdup(p->arena, path), buf, len);
	p->include_depth--;
	free(buf);
}

void
cfg_lex_file(struct cfg_ctx *p, const char *path)
{
	lex_file_at(p, path, NULL);
}

void
cfg_lex_string(struct cfg_ctx *p, const char *name, const char *text)
{
	lex_buffer(p, arena_strdup(p->arena, name), text, strlen(text));
}

void
cfg_lex_tokens(struct cfg_ctx *p, const struct cfg_tok *toks, size_t n)
{
	const char *file = NULL, *copy = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		struct cfg_tok t = toks[i];

		/* Tokens of one file share its name: copy it once per run. */
		if (t.file != file) {
			file = t.file;
			copy = arena_strdup(p->arena, file);
		}
		t.file = copy;
		t.s = arena_strdup(p->arena, t.s);
		toks_push(p, &t);
	}
}
