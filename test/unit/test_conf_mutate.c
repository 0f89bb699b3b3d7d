/* Hostile configuration files (issue #10): 10,000 random mutations of the
 * sample configs (conf/keepalive-l7.conf and the config fuzz seeds) each
 * load to a model without errors, or to no model and errors that each
 * name "FILE:LINE:" -- never a crash, a sanitizer report or a hang.
 *
 * A mutation is one to three edits of one file: a byte changed, a token
 * deleted or doubled, the text cut inside a block, a brace added or
 * removed, a number made extreme, two lines swapped.  Mutation i of seed S
 * is the same on every run: $KL7_MUTATE_SEED sets S (printed first, on
 * stderr), a failure, hang or crash names S and i, and
 * $KL7_MUTATE_VERBOSE=1 prints each mutation before it loads (after a
 * sanitizer's report, the last one printed is the culprit).
 */
#include "config.h"

#include <glob.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "keepalive-l7/conf_load.h"
#include "lib/conf.h"
#include "test/unit/tmain.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

#define MUTATIONS	10000
#define SEED_DEFAULT	20261
#define EDITS_MAX	3
#define LOAD_MAX_S	2	/* one load; the sample configs take about 1 ms */
#define FILES_MAX	64
/* Relative include lines match nothing in a directory that does not exist. */
#define MUTANT_NAME	"/nonexistent/keepalive-l7-mutate/m.conf"

struct text {
	char	*s;
	size_t	 len;
	size_t	 cap;
};

struct sample {
	char		*path;
	struct text	 t;
};

static struct sample samples[FILES_MAX];
static size_t n_samples;

/* What is loading now, for the SIGALRM and fatal-signal handlers. */
static char current[160];

/* Random numbers ------------------------------------------------------------ */

/* splitmix64: one state word, good enough to pick edits, the same everywhere. */
static uint64_t
rnd(uint64_t *st)
{
	uint64_t z = (*st += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static size_t
rnd_below(uint64_t *st, size_t n)
{
	return n == 0 ? 0 : (size_t)(rnd(st) % n);
}

/* Text ----------------------------------------------------------------------- */

static void
text_reserve(struct text *t, size_t len)
{
	if (len + 1 <= t->cap)
		return;
	t->cap = (len + 1) * 2;
	t->s = realloc(t->s, t->cap);
	ck_assert_ptr_nonnull(t->s);
}

static void
text_set(struct text *t, const char *s, size_t len)
{
	text_reserve(t, len);
	memcpy(t->s, s, len);
	t->s[len] = '\0';
	t->len = len;
}

/* Replace n bytes at off with len bytes of s. */
static void
text_splice(struct text *t, size_t off, size_t n, const char *s, size_t len)
{
	text_reserve(t, t->len - n + len);
	memmove(t->s + off + len, t->s + off + n, t->len - off - n + 1);
	memcpy(t->s + off, s, len);
	t->len = t->len - n + len;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A token chosen at random: *off and its length, or 0 when there is none. */
static size_t
pick_token(const struct text *t, uint64_t *st, size_t *off)
{
	size_t i = rnd_below(st, t->len), end;

	while (i < t->len && is_blank(t->s[i]))
		i++;
	if (i == t->len)
		return 0;
	while (i > 0 && !is_blank(t->s[i - 1]))
		i--;
	for (end = i; end < t->len && !is_blank(t->s[end]); end++)
		;
	*off = i;
	return end - i;
}

/* The offset of a byte c chosen at random, or t->len when there is none. */
static size_t
pick_byte(const struct text *t, uint64_t *st, char c)
{
	size_t start = rnd_below(st, t->len), i;

	for (i = 0; i < t->len; i++)
		if (t->s[(start + i) % t->len] == c)
			return (start + i) % t->len;
	return t->len;
}

/* Edits ---------------------------------------------------------------------- */

static void
edit_byte(struct text *t, uint64_t *st)
{
	char c = (char)rnd_below(st, 256);

	if (t->len == 0)
		return;
	/* Not "/": it could make an include line name an absolute glob, which
	 * reads the machine's files (see fuzz_config.c). */
	if (c == '/' || c == '\0')
		c = '{';
	t->s[rnd_below(st, t->len)] = c;
}

static void
edit_token(struct text *t, uint64_t *st, bool twice)
{
	size_t off, n = pick_token(t, st, &off);
	char *copy;

	if (n == 0)
		return;
	if (!twice) {
		text_splice(t, off, n, "", 0);
		return;
	}
	copy = strndup(t->s + off, n);
	ck_assert_ptr_nonnull(copy);
	text_splice(t, off + n, 0, " ", 1);
	text_splice(t, off + n + 1, 0, copy, n);
	free(copy);
}

/* Cut the text somewhere after an opening brace: the blocks stay open. */
static void
edit_truncate(struct text *t, uint64_t *st)
{
	size_t brace = pick_byte(t, st, '{');

	if (brace < t->len)
		t->len = brace + 1 + rnd_below(st, t->len - brace);
	t->s[t->len] = '\0';
}

static void
edit_brace(struct text *t, uint64_t *st)
{
	size_t off;

	if (rnd_below(st, 2) == 0) {
		off = pick_byte(t, st, rnd_below(st, 2) == 0 ? '{' : '}');
		if (off < t->len)
			text_splice(t, off, 1, "", 0);
	} else {
		text_splice(t, rnd_below(st, t->len + 1), 0, rnd_below(st, 2) == 0 ? " { " : " } ",
		    3);
	}
}

static void
edit_number(struct text *t, uint64_t *st)
{
	static const char *const extremes[] = {
		"0", "-1", "-0", "255", "256", "65535", "65536", "2147483647",
		"2147483648", "4294967295", "4294967296", "-9223372036854775808",
		"18446744073709551615", "18446744073709551616",
		"99999999999999999999999999999999", "0.001", "1e308", "0x10", "1.5.5",
	};
	size_t off, n, tries;

	for (tries = 0; tries < 16; tries++) {
		if ((n = pick_token(t, st, &off)) > 0 && strchr("0123456789", t->s[off]) != NULL) {
			const char *x = extremes[rnd_below(st, NELEM(extremes))];

			text_splice(t, off, n, x, strlen(x));
			return;
		}
	}
}

/* The line holding off: its start and its length with the newline. */
static size_t
line_at(const struct text *t, size_t off, size_t *start)
{
	size_t end = off;

	while (off > 0 && t->s[off - 1] != '\n')
		off--;
	while (end < t->len && t->s[end] != '\n')
		end++;
	*start = off;
	return end - off + (end < t->len);
}

static void
edit_swap_lines(struct text *t, uint64_t *st)
{
	size_t x, y, a, b, alen, blen;
	char *la, *lb;

	if (t->len == 0)
		return;
	x = rnd_below(st, t->len);
	y = rnd_below(st, t->len);
	alen = line_at(t, x < y ? x : y, &a);
	blen = line_at(t, x < y ? y : x, &b);
	if (a == b)
		return;
	la = strndup(t->s + a, alen);
	lb = strndup(t->s + b, blen);
	ck_assert(la != NULL && lb != NULL);
	text_splice(t, b, blen, la, alen);	/* the later one first: a stays */
	text_splice(t, a, alen, lb, blen);
	free(la);
	free(lb);
}

enum edit { E_BYTE, E_DELETE, E_DOUBLE, E_TRUNCATE, E_BRACE, E_NUMBER, E_SWAP, E_COUNT };

static const char *const edit_names[E_COUNT] = {
	[E_BYTE] = "byte", [E_DELETE] = "delete", [E_DOUBLE] = "double",
	[E_TRUNCATE] = "truncate", [E_BRACE] = "brace", [E_NUMBER] = "number",
	[E_SWAP] = "swap",
};

static void
edit(struct text *t, uint64_t *st, enum edit e)
{
	switch (e) {
	case E_BYTE:		edit_byte(t, st); break;
	case E_DELETE:		edit_token(t, st, false); break;
	case E_DOUBLE:		edit_token(t, st, true); break;
	case E_TRUNCATE:	edit_truncate(t, st); break;
	case E_BRACE:		edit_brace(t, st); break;
	case E_NUMBER:		edit_number(t, st); break;
	default:		edit_swap_lines(t, st); break;
	}
}

/* Samples -------------------------------------------------------------------- */

static void
sample_add(const char *path)
{
	struct sample *s = &samples[n_samples];
	FILE *f = fopen(path, "r");
	char buf[65536];
	size_t n;

	ck_assert_msg(f != NULL, "%s: not readable (set KL7_TOP_SRCDIR)", path);
	ck_assert_uint_lt(n_samples, FILES_MAX);
	n = fread(buf, 1, sizeof(buf), f);
	ck_assert_msg(!ferror(f) && feof(f), "%s: unreadable or over %zu bytes", path,
	    sizeof(buf));
	fclose(f);
	s->path = strdup(path);
	ck_assert_ptr_nonnull(s->path);
	memset(&s->t, 0, sizeof(s->t));
	text_set(&s->t, buf, n);
	n_samples++;
}

static void
samples_load(void)
{
	char pattern[4096];
	glob_t g;
	size_t i;

	snprintf(pattern, sizeof(pattern), "%s/conf/keepalive-l7.conf", test_srcdir());
	sample_add(pattern);
	snprintf(pattern, sizeof(pattern), "%s/test/fuzz/corpus/config/*.conf", test_srcdir());
	ck_assert_int_eq(glob(pattern, 0, NULL, &g), 0);
	for (i = 0; i < g.gl_pathc; i++)
		sample_add(g.gl_pathv[i]);
	globfree(&g);
	ck_assert_uint_ge(n_samples, 10);
}

static void
samples_free(void)
{
	size_t i;

	for (i = 0; i < n_samples; i++) {
		free(samples[i].path);
		free(samples[i].t.s);
	}
	n_samples = 0;
}

/* Loading -------------------------------------------------------------------- */

/* A hang or a crash names the mutation.  A sanitizer's report does not
 * (it exits its own way): the seed line said how to find it. */
static void
on_fatal(int sig)
{
	static const char hdr[] = "conf_mutate: died loading ";

	/* Only async-signal-safe calls: write(2), then die of the signal. */
	if (write(STDERR_FILENO, hdr, sizeof(hdr) - 1) == -1 ||
	    write(STDERR_FILENO, current, strlen(current)) == -1 ||
	    write(STDERR_FILENO, "\n", 1) == -1)
		_exit(1);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* One load: a model and no error (true), or errors and no model. */
static bool
load_mutant(const char *text)
{
	struct conf_errors errs;
	struct conf *c;
	int i;

	alarm(LOAD_MAX_S);
	c = conf_load_string(MUTANT_NAME, text, "lb1", &errs);
	alarm(0);
	if (c != NULL) {
		ck_assert_msg(errs.n == 0 && errs.msg == NULL, "%s: a model and %d errors",
		    current, errs.n);
		conf_free(c);
		return true;
	}
	ck_assert_msg(errs.n > 0 && errs.msg != NULL, "%s: no model and no error", current);
	for (i = 0; i < errs.n; i++)
		ck_assert_msg(strncmp(errs.msg[i], MUTANT_NAME ":", strlen(MUTANT_NAME) + 1) == 0,
		    "%s: error without FILE:LINE: %s", current, errs.msg[i]);
	conf_errors_free(&errs);
	return false;
}

START_TEST(test_mutations)
{
	const char *env = getenv("KL7_MUTATE_SEED"), *verbose = getenv("KL7_MUTATE_VERBOSE");
	uint64_t seed = env != NULL ? strtoull(env, NULL, 10) : SEED_DEFAULT, st;
	struct text t = { NULL, 0, 0 };
	size_t models = 0, i, k, nedits, len;
	int e;

	samples_load();
	fprintf(stderr, "conf_mutate: seed %llu (KL7_MUTATE_SEED); KL7_MUTATE_VERBOSE=1 names "
	    "each mutation before it loads\n", (unsigned long long)seed);
	signal(SIGALRM, on_fatal);
	signal(SIGSEGV, on_fatal);
	signal(SIGBUS, on_fatal);
	signal(SIGABRT, on_fatal);
	for (i = 0; i < MUTATIONS; i++) {
		const struct sample *s = &samples[i % n_samples];

		st = seed * 1000003 + i;
		text_set(&t, s->t.s, s->t.len);
		nedits = 1 + rnd_below(&st, EDITS_MAX);
		len = (size_t)snprintf(current, sizeof(current), "mutation %zu of seed %llu (%s:",
		    i, (unsigned long long)seed, strrchr(s->path, '/') + 1);
		for (k = 0; k < nedits; k++) {
			e = (int)rnd_below(&st, E_COUNT);
			edit(&t, &st, e);
			if (len < sizeof(current))
				len += (size_t)snprintf(current + len, sizeof(current) - len, " %s",
				    edit_names[e]);
		}
		if (len < sizeof(current))
			snprintf(current + len, sizeof(current) - len, ")");
		if (verbose != NULL)
			fprintf(stderr, "%s\n", current);
		models += load_mutant(t.s);
	}
	free(t.s);
	samples_free();
	fprintf(stderr, "conf_mutate: %d mutations, %zu loaded to a model\n", MUTATIONS,
	    models);
	/* Edits that always, or never, broke the file would test little. */
	ck_assert_msg(models > 0 && models < MUTATIONS, "seed %llu: %zu of %d loaded",
	    (unsigned long long)seed, models, MUTATIONS);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("conf_mutate");
	TCase *tc = tcase_create("conf_mutate");

	/* 10,000 loads take 0.2 s, 1.5 s with ASan; a hung load is caught by
	 * its own LOAD_MAX_S alarm first. */
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_mutations);
	suite_add_tcase(s, tc);
	return s;
}
