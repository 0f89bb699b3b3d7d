/* Unit tests of the config lexer and parser (lib/cfg_lex.c, lib/cfg_parse.c)
 * and of every keyword table hung under the root (global_defs, VRRP,
 * virtual servers, checkers).
 *
 * Most tests are one line per case, as picohttpparser's: a config text,
 * and either nothing (it must load) or the line and a substring of the
 * first error, which must read "t.conf:LINE: ...".  The keyword cases
 * name the block and keyword they exercise, and a test walks the tables
 * to check that every keyword has a good and a bad case.
 */
#include "config.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keepalive-l7/conf_load.h"
#include "lib/cfg.h"
#include "lib/conf.h"
#include "test/unit/tmain.h"

/* A secret_file for its GOOD case, made in the working directory (the
 * build tree under make check), readable by its owner only. */
#define SECRET_FIXTURE	"test_cfg.secret"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Load text as "t.conf" and check the outcome.  line 0: it must load;
 * else the first error must be "t.conf:LINE: ...ERR...".  src_line is the
 * case's line in this file, for the failure message. */
static void
expect(const char *text, const char *config_id, int line, const char *err, int src_line)
{
	struct conf_errors errs;
	struct conf *c;
	char prefix[32];

	c = conf_load_string("t.conf", text, config_id, &errs);
	if (line == 0) {
		ck_assert_msg(c != NULL, "case at test_cfg.c:%d: should load, got %d errors, "
		    "the first: %s", src_line, errs.n, errs.n > 0 ? errs.msg[0] : "");
		ck_assert_int_eq(errs.n, 0);
		conf_free(c);
		return;
	}
	ck_assert_msg(c == NULL, "case at test_cfg.c:%d: loaded, expected an error at line %d",
	    src_line, line);
	conf_free(c);
	ck_assert_int_ge(errs.n, 1);
	snprintf(prefix, sizeof(prefix), "t.conf:%d: ", line);
	ck_assert_msg(strncmp(errs.msg[0], prefix, strlen(prefix)) == 0 &&
	    strstr(errs.msg[0] + strlen(prefix), err) != NULL,
	    "case at test_cfg.c:%d: expected '%s%s', got '%s'", src_line, prefix, err,
	    errs.msg[0]);
	conf_errors_free(&errs);
}

/* Load text that must load; the caller frees the model. */
static struct conf *
load_ok(const char *text, const char *config_id)
{
	struct conf_errors errs;
	struct conf *c = conf_load_string("t.conf", text, config_id, &errs);

	ck_assert_msg(c != NULL, "should load, got %d errors, the first: %s", errs.n,
	    errs.n > 0 ? errs.msg[0] : "");
	return c;
}

/* The lexer and the parser framework ---------------------------------------------- */

struct frame_case {
	const char	*text;
	int		 line;		/* 0: loads */
	const char	*err;
	int		 src_line;
};

#define FOK(text)		{ text, 0, NULL, __LINE__ }
#define FBAD(text, line, err)	{ text, line, err, __LINE__ }

#define VS_ONE_RS(body) \
	"virtual_server 192.0.2.100 80 {\n" body "\n real_server 192.0.2.101 8080 {\n }\n}\n"

static const struct frame_case frame_cases[] = {
	/* Empty files, comments, blank lines, CRLF. */
	FOK(""),
	FOK("\n\n   \t \n"),
	FOK("# a comment\n! another comment\n"),
	FOK("global_defs { # after a brace\n router_id a ! after a value\n} # after a close\n"),
	FOK("global_defs {\r\n router_id a\r\n}\r\n"),
	FOK("\tglobal_defs\t{\n\trouter_id\ta\n\t}\n"),
	FBAD("global_defs {\n router_id #commented out\n}\n", 2, "router_id: missing value"),
	FBAD("global_defs {\n router_id !commented out\n}\n", 2, "router_id: missing value"),
	FBAD("# global_defs {\n router_id a\n", 2, "unknown keyword 'router_id' in the top level"),
	/* Quotes. */
	FBAD("global_defs {\n router_id \"abc\n}\n", 2,
	    "unterminated (or over 4 KiB) quoted string"),
	FBAD("global_defs {\n router_id 'abc\n}\n", 2, "unterminated"),
	FBAD("global_defs {\n router_id \"abc\\\"\n}\n", 2, "unterminated"),
	FBAD("global_defs {\n router_id \"a\"b\n}\n", 2, "router_id: too many arguments"),
	FBAD("\"global_defs\" {\n}\n", 1, "unknown keyword 'global_defs' in the top level"),
	/* Braces are tokens of their own, attached or not. */
	FOK("global_defs{\nrouter_id a}\n"),
	FOK("global_defs{router_id a}"),
	FOK("global_defs {router_id a vrrp_version 3}\n"),
	FOK("vrrp_script chk{\n script /bin/true\n}vrrp_script chk2 { script /bin/true }\n"),
	FOK("virtual_server 192.0.2.100 80 {\n real_server 192.0.2.101 8080 {\n"
	    "  HTTP_GET {\n   url{ path /healthz }\n   url {path /ready}\n  }\n }\n}\n"),
	/* One-line blocks, as in the design's examples. */
	FOK(VS_ONE_RS(" http_route static { path_prefix /static/ pool default }")),
	FOK(VS_ONE_RS(" http_route api { host api.example.com *.example.org pool default }")),
	FOK(VS_ONE_RS(" http_route m { method GET HEAD source 192.0.2.0/24 pool default }")),
	FOK("virtual_server 192.0.2.100 80 {\n real_server 192.0.2.101 8080 {\n"
	    "  HTTP_GET { url { path /healthz status_code 200-299 } connect_timeout 2 retry 2 }\n"
	    " }\n}\n"),
	FOK("vrrp_instance VI_1 { interface eth0 virtual_router_id 1 priority 150 }\n"),
	FOK("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
	    " virtual_ipaddress { 192.0.2.1/24 }\n}\n"),
	/* Missing and extra braces. */
	FBAD("global_defs\n router_id a\n", 1, "global_defs: expected '{' to open its block"),
	FBAD("global_defs {\n router_id a\n", 1,
	    "global_defs: block is never closed (missing '}')"),
	FBAD("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n authentication {\n"
	    "  auth_pass x\n", 4, "authentication: block is never closed (missing '}')"),
	FBAD("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
	    " virtual_ipaddress {\n 192.0.2.1\n", 4,
	    "virtual_ipaddress: block is never closed (missing '}')"),
	FBAD("global_defs {\n}\n}\n", 3, "unexpected '}' (no block is open)"),
	FBAD("}\nglobal_defs {\n}\n", 1, "unexpected '}' (no block is open)"),
	FBAD("{\n}\n", 1, "unexpected '{' in the top level"),
	FBAD("global_defs {\n {\n router_id a\n }\n}\n", 2, "unexpected '{' in global_defs"),
	FBAD("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
	    " virtual_ipaddress {\n 192.0.2.1 {\n }\n }\n}\n", 5,
	    "virtual_ipaddress: unexpected '{' in a list"),
	/* Unknown keywords, and the hint when a '}' is probably missing. */
	FBAD("frobnicate 1\n", 1, "unknown keyword 'frobnicate' in the top level"),
	FBAD("global_defs {\n frobnicate\n}\n", 2, "unknown keyword 'frobnicate' in global_defs"),
	FBAD("global_defs {\n Router_id a\n}\n", 2, "unknown keyword 'Router_id' in global_defs"),
	FBAD(VS_ONE_RS(" real_server 192.0.2.102 80 {\n  TCP_CHECK {\n   frob 1\n  }\n }"), 4,
	    "unknown keyword 'frob' in TCP_CHECK"),
	FBAD("global_defs {\n router_id a\nvrrp_script chk {\n script /bin/true\n}\n}\n", 3,
	    "'vrrp_script' is not allowed in global_defs (a '}' missing before it?)"),
	FBAD("virtual_server 192.0.2.100 80 {\n real_server 192.0.2.101 80 {\n weight 1\n"
	    "virtual_server 192.0.2.102 80 {\n}\n}\n}\n", 4,
	    "'virtual_server' is not allowed in real_server (a '}' missing before it?)"),
	/* Argument counts. */
	FBAD("global_defs {\n vrrp_version 2 3\n}\n", 2,
	    "vrrp_version: too many arguments (at most 1)"),
	FBAD("global_defs {\n vrrp_version\n}\n", 2, "vrrp_version: missing value"),
	FBAD("global_defs {\n vrrp_version {\n }\n}\n", 2, "vrrp_version: missing value"),
	FBAD("virtual_server 192.0.2.1 {\n}\n", 1, "virtual_server: needs at least 2 arguments"),
	FBAD("global_defs {\n enable_traps yes\n}\n", 2,
	    "enable_traps: too many arguments (at most 0)"),
	/* A keyword of the block ends a list of arguments; a quoted word is
	 * never a keyword. */
	FOK(VS_ONE_RS(" http_route r { cookie s \"pool\" pool default }")),
	FBAD(VS_ONE_RS(" http_route r {\n  pool default\n  cookie s pool\n }"), 4,
	    "pool: missing value"),
	/* Duplicates. */
	FBAD("global_defs {\n router_id a\n\n router_id b\n}\n", 4,
	    "router_id: given twice (first on line 2)"),
	FBAD("global_defs {\n}\nglobal_defs {\n}\n", 3,
	    "global_defs: given twice (first on line 1)"),
	FOK("vrrp_script a {\n script /bin/true\n}\nvrrp_script b {\n script /bin/true\n}\n"),
	/* Refused keywords and keepalived's parameters. */
	FBAD("static_routes {\n 10.0.0.0/8 via 192.0.2.1\n}\n", 1,
	    "static_routes: not supported: only virtual addresses are managed"),
	FBAD("$IFACE=eth0\n", 1, "'$IFACE=eth0': $NAME=value parameters are not supported"),
	FOK("global_defs {\n router_id $NAME\n}\n"),
	FBAD("@ global_defs {\n}\n", 1, "unknown keyword '@' in the top level"),
	FBAD("\"@lb1\" x\n", 1, "unknown keyword '@lb1' in the top level"),
	/* The error comes from the line it is on, across blocks. */
	FBAD("global_defs {\n router_id a\n}\n\n\nvrrp_script s {\n script /bin/true\n"
	    " interval forever\n}\n", 8, "interval: 'forever' is not a duration"),
};

START_TEST(test_frame)
{
	const struct frame_case *c = &frame_cases[_i];

	expect(c->text, NULL, c->line, c->err, c->src_line);
}
END_TEST

/* Quoting and comments, seen in the value they produce. */
static const struct {
	const char	*text;		/* a router_id statement */
	const char	*want;
	int		 src_line;
} quote_cases[] = {
#define Q(text, want)	{ "global_defs {\n router_id " text "\n}\n", want, __LINE__ }
	Q("lb1",		"lb1"),
	Q("lb1\t# comment",	"lb1"),
	Q("\"a b\"",		"a b"),
	Q("'a b'",		"a b"),
	Q("\"a\\\"b\"",		"a\"b"),
	Q("\"a\\\\b\"",		"a\\b"),
	Q("\"a\\nb\"",		"a\nb"),
	Q("\"a\\tb\"",		"a\tb"),
	Q("\"a\\qb\"",		"aqb"),
	Q("'a\\nb'",		"a\\nb"),	/* no escapes in single quotes */
	Q("'say \"hi\"'",	"say \"hi\""),
	Q("\"it's\"",		"it's"),
	Q("\"# not a comment\"", "# not a comment"),
	Q("\"{ and }\"",	"{ and }"),
	Q("\"\"",		""),
	Q("a#b",		"a#b"),		/* '#' inside a word */
	Q("a!b",		"a!b"),
	Q("\"x\"  # quoted, then a comment", "x"),
#undef Q
};

START_TEST(test_quote)
{
	struct conf *c = load_ok(quote_cases[_i].text, NULL);

	ck_assert_ptr_nonnull(c->global.router_id);
	ck_assert_msg(strcmp(c->global.router_id, quote_cases[_i].want) == 0,
	    "case at test_cfg.c:%d: router_id is '%s'", quote_cases[_i].src_line,
	    c->global.router_id);
	conf_free(c);
}
END_TEST

/* A quoted string may be 4 KiB long, not longer. */
START_TEST(test_quote_limit)
{
	static char text[8192];
	size_t n;
	struct conf *c;

	for (n = 4096; n <= 4097; n++) {
		char body[4100];

		memset(body, 'q', n);
		body[n] = '\0';
		snprintf(text, sizeof(text), "global_defs {\n router_id \"%s\"\n}\n", body);
		if (n == 4096) {
			c = load_ok(text, NULL);
			ck_assert_uint_eq(strlen(c->global.router_id), 4096);
			conf_free(c);
		} else {
			expect(text, NULL, 2, "unterminated (or over 4 KiB) quoted string",
			    __LINE__);
		}
	}
}
END_TEST

START_TEST(test_too_many_words)
{
	char text[1024] = "global_defs {\n script_user";
	int i;

	for (i = 0; i < 64; i++)
		strcat(text, " w");
	strcat(text, "\n}\n");
	expect(text, NULL, 2, "too many words on one line", __LINE__);
}
END_TEST

/* Each error is reported and the parse goes on after it. */
START_TEST(test_error_recovery)
{
	static const char text[] =
	    "global_defs {\n"			/* 1 */
	    " vrrp_version 9\n"			/* 2: out of range */
	    " frob {\n"				/* 3: unknown, its block skipped */
	    "  nonsense { deeper }\n"
	    " }\n"
	    " router_id lb1\n"
	    "}\n"
	    "vrrp_script s {\n"			/* 8 */
	    " script /bin/true\n"
	    " rise 0\n"				/* 10: out of range */
	    "}\n"
	    "bogus\n"				/* 12: unknown */
	    "vrrp_script t {\n"			/* 13: missing script */
	    "}\n";
	static const char *const want[] = {
		"t.conf:2: vrrp_version: 9 is out of range 2..3",
		"t.conf:3: unknown keyword 'frob' in global_defs",
		"t.conf:10: rise: 0 is out of range 1..65535",
		"t.conf:12: unknown keyword 'bogus' in the top level",
		"t.conf:13: vrrp_script t: missing 'script'",
	};
	struct conf_errors errs;
	size_t i;

	ck_assert_ptr_null(conf_load_string("t.conf", text, NULL, &errs));
	ck_assert_int_eq(errs.n, (int)NELEM(want));
	for (i = 0; i < NELEM(want); i++)
		ck_assert_str_eq(errs.msg[i], want[i]);
	conf_errors_free(&errs);
	ck_assert_int_eq(errs.n, 0);
	ck_assert_ptr_null(errs.msg);
}
END_TEST

/* Error messages are sized to the file name (an include can be a long path). */
START_TEST(test_long_file_name)
{
	char name[1200];
	struct conf_errors errs;

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	ck_assert_ptr_null(conf_load_string(name, "\n\nbogus\n", NULL, &errs));
	ck_assert_int_eq(errs.n, 1);
	ck_assert(strncmp(errs.msg[0], name, strlen(name)) == 0);
	ck_assert_str_eq(errs.msg[0] + strlen(name),
	    ":3: unknown keyword 'bogus' in the top level");
	conf_errors_free(&errs);
}
END_TEST

/* A command (script) takes the rest of its line, keywords included. */
START_TEST(test_script_takes_rest_of_line)
{
	struct conf *c = load_ok("vrrp_script chk {\n script /bin/check --fall interval 3\n"
	    " interval 2\n}\n", NULL);

	ck_assert_str_eq(c->vrrp_scripts->script, "/bin/check --fall interval 3");
	ck_assert_uint_eq(c->vrrp_scripts->interval_ms, 2000);
	conf_free(c);
}
END_TEST

/* @ID and @^ID lines ---------------------------------------------------------------- */

static const struct {
	const char	*text;
	const char	*id;		/* config id, or NULL */
	int		 line;		/* 0: loads */
	const char	*err;
	const char	*router_id;	/* when it loads */
	int		 src_line;
} cond_cases[] = {
#define C_OK(text, id, rid)		{ text, id, 0, NULL, rid, __LINE__ }
#define C_BAD(text, id, line, err)	{ text, id, line, err, NULL, __LINE__ }
#define BOTH "global_defs {\n@lb1 router_id one\n@lb2 router_id two\n@^lb1 script_user x\n}\n"
	C_OK(BOTH, "lb1", "one"),
	C_OK(BOTH, "lb2", "two"),
	C_OK(BOTH, "lb3", NULL),
	C_OK(BOTH, NULL, NULL),
	C_OK("@lb1 global_defs {\n@lb1 router_id one\n@lb1 }\n", "lb1", "one"),
	C_OK("@lb1 global_defs {\n@lb1 router_id one\n@lb1 }\n", "lb2", NULL),
	C_OK("global_defs {\n@^lb1 router_id notone\n}\n", "lb1", NULL),
	C_OK("global_defs {\n@^lb1 router_id notone\n}\n", "lb2", "notone"),
	C_OK("global_defs {\n@^lb1 router_id notone\n}\n", NULL, "notone"),
	C_OK("@lb1 bogus\n", "lb2", NULL),
	C_BAD("\n@lb1 bogus\n", "lb1", 2, "unknown keyword 'bogus' in the top level"),
	C_OK("@lb1 $X=1\n", NULL, NULL),
	C_BAD("@lb1 $X=1\n", "lb1", 1, "$NAME=value parameters are not supported"),
	C_BAD("global_defs {\n@lb1 router_id one\n@lb1 router_id two\n}\n", "lb1", 3,
	    "router_id: given twice (first on line 2)"),
	C_OK("@lb1\n", "lb1", NULL),
#undef BOTH
#undef C_OK
#undef C_BAD
};

START_TEST(test_condition)
{
	struct conf *c;

	if (cond_cases[_i].line != 0) {
		expect(cond_cases[_i].text, cond_cases[_i].id, cond_cases[_i].line,
		    cond_cases[_i].err, cond_cases[_i].src_line);
		return;
	}
	c = load_ok(cond_cases[_i].text, cond_cases[_i].id);
	if (cond_cases[_i].router_id == NULL)
		ck_assert_msg(c->global.router_id == NULL, "case at test_cfg.c:%d: router_id '%s'",
		    cond_cases[_i].src_line, c->global.router_id);
	else
		ck_assert_pstr_eq(c->global.router_id, cond_cases[_i].router_id);
	conf_free(c);
}
END_TEST

/* include ------------------------------------------------------------------------- */

static char incdir[64];

static void
put_file(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", incdir, rel);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
}

static void
put_dir(const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", incdir, rel);
	ck_assert_int_eq(mkdir(path, 0700), 0);
}

/* Runs once, in the parent, before the include tests. */
static void
include_setup(void)
{
	strcpy(incdir, "/tmp/kl7-test-cfg-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(incdir));
	put_dir("conf.d");
	put_dir("empty.d");
	put_dir("sub");
	put_dir("bad.d");
	put_file("conf.d/a.conf", "vrrp_script a {\n script /bin/true\n}\n");
	put_file("conf.d/b.conf", "vrrp_script b {\n script /bin/true\n}\n");
	put_file("conf.d/c.txt", "not a config\n");
	put_file("glob.conf", "global_defs {\n router_id main\n}\ninclude conf.d/*.conf\n");
	put_file("brace.conf", "include conf.d/{b,a}.conf\n");
	put_file("two.conf", "include conf.d/b.conf conf.d/a.conf\n");
	/* sub/inner.conf includes leaf.conf: sub/leaf.conf, not ./leaf.conf. */
	put_file("top.conf", "include sub/inner.conf\n");
	put_file("sub/inner.conf", "include leaf.conf\n");
	put_file("sub/leaf.conf", "global_defs {\n router_id leaf\n}\n");
	put_file("leaf.conf", "wrong file\n");
	put_file("missing.conf", "global_defs {\n}\n\ninclude nope.conf\n");
	put_file("empty.conf", "include empty.d/*.conf\nglobal_defs {\n router_id e\n}\n");
	put_file("loop.conf", "\ninclude loop.conf\n");
	put_file("ping.conf", "include pong.conf\n");
	put_file("pong.conf", "include ping.conf\n");
	put_file("bad.d/x.conf", "\nglobal_defs {\n bogus\n}\n");
	put_file("errs.conf", "include bad.d/*.conf\n");
	put_file("inblock.conf", "global_defs {\n include gd.inc\n}\n");
	put_file("gd.inc", "router_id fromfile\n");
	put_file("noname.conf", "\ninclude\n");
	put_file("dir.conf", "include conf.d\n");
	put_file("cond.conf", "@lb1 include conf.d/a.conf\n@^lb1 include conf.d/b.conf\n");
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void
include_teardown(void)
{
	nftw(incdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static struct conf *
load_path(const char *rel, const char *config_id, struct conf_errors *errs)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", incdir, rel);
	return conf_load(path, config_id, errs);
}

/* The names of the vrrp_scripts, in order, joined with spaces. */
static const char *
script_names(const struct conf *c, char *buf, size_t len)
{
	const struct conf_vrrp_script *s;

	buf[0] = '\0';
	for (s = c->vrrp_scripts; s != NULL; s = s->next) {
		if (buf[0] != '\0')
			strncat(buf, " ", len - strlen(buf) - 1);
		strncat(buf, s->name, len - strlen(buf) - 1);
	}
	return buf;
}

static const struct {
	const char	*file;
	const char	*id;
	const char	*scripts;	/* loads, with these vrrp_scripts */
	const char	*router_id;
} include_ok_cases[] = {
	{ "glob.conf",		NULL,	"a b",	"main" },	/* sorted, *.conf only */
	{ "brace.conf",		NULL,	"b a",	NULL },
	{ "two.conf",		NULL,	"b a",	NULL },
	{ "top.conf",		NULL,	"",	"leaf" },	/* relative to the includer */
	{ "empty.conf",		NULL,	"",	"e" },		/* an empty match is fine */
	{ "inblock.conf",	NULL,	"",	"fromfile" },	/* inside a block */
	{ "cond.conf",		"lb1",	"a",	NULL },
	{ "cond.conf",		"lb2",	"b",	NULL },
};

START_TEST(test_include_ok)
{
	struct conf_errors errs;
	struct conf *c = load_path(include_ok_cases[_i].file, include_ok_cases[_i].id, &errs);
	char names[64];

	ck_assert_msg(c != NULL, "%s: %d errors, the first: %s", include_ok_cases[_i].file,
	    errs.n, errs.n > 0 ? errs.msg[0] : "");
	ck_assert_str_eq(script_names(c, names, sizeof(names)), include_ok_cases[_i].scripts);
	ck_assert_pstr_eq(c->global.router_id, include_ok_cases[_i].router_id);
	conf_free(c);
}
END_TEST

static const struct {
	const char	*file;		/* loaded */
	const char	*err_file;	/* the file the error names */
	int		 line;
	const char	*err;		/* with %D for the directory */
} include_bad_cases[] = {
	{ "missing.conf", "missing.conf", 4, "include: %D/nope.conf: No such file or directory" },
	{ "loop.conf", "loop.conf", 2,
	    "include: nesting deeper than 8 (a loop?) at '%D/loop.conf'" },
	{ "ping.conf", "pong.conf", 1, "include: nesting deeper than 8 (a loop?)" },
	{ "errs.conf", "bad.d/x.conf", 3, "unknown keyword 'bogus' in global_defs" },
	{ "noname.conf", "noname.conf", 2, "include: missing file name" },
	{ "dir.conf", "dir.conf", 1, "include: %D/conf.d: Is a directory" },
	{ "absent.conf", "absent.conf", 0, "No such file or directory" },
};

/* fmt with its %D, if any, replaced by the test directory. */
static void
expand_dir(const char *fmt, char *out, size_t len)
{
	const char *d = strstr(fmt, "%D");

	if (d == NULL)
		snprintf(out, len, "%s", fmt);
	else
		snprintf(out, len, "%.*s%s%s", (int)(d - fmt), fmt, incdir, d + 2);
}

START_TEST(test_include_bad)
{
	struct conf_errors errs;
	char want[512], err[256];

	ck_assert_ptr_null(load_path(include_bad_cases[_i].file, NULL, &errs));
	/* One mistake, one error: a loop is reported once, not per level. */
	ck_assert_int_eq(errs.n, 1);
	expand_dir(include_bad_cases[_i].err, err, sizeof(err));
	snprintf(want, sizeof(want), "%s/%s:%d: %s", incdir, include_bad_cases[_i].err_file,
	    include_bad_cases[_i].line, err);
	ck_assert_msg(strncmp(errs.msg[0], want, strlen(want)) == 0, "expected '%s', got '%s'",
	    want, errs.msg[0]);
	conf_errors_free(&errs);
}
END_TEST

/* An absolute include from a string-loaded config. */
START_TEST(test_include_absolute)
{
	char text[256], names[64];
	struct conf *c;

	snprintf(text, sizeof(text), "include %s/conf.d/b.conf\n", incdir);
	c = load_ok(text, NULL);
	ck_assert_str_eq(script_names(c, names, sizeof(names)), "b");
	conf_free(c);
}
END_TEST

/* Keywords --------------------------------------------------------------------------- */

struct kw_case {
	const char	*parent;	/* the block, as cfg_walk() names it ("": top) */
	const char	*kw;
	const char	*text;
	int		 line;		/* 0: loads */
	const char	*err;
	int		 src_line;
};

#define GOOD(par, kw, text)		{ par, kw, text, 0, NULL, __LINE__ }
#define BAD(par, kw, text, line, err)	{ par, kw, text, line, err, __LINE__ }

/* Each wrapper puts a body into a minimal valid config; *_L is the body's
 * line. */
#define GD_HEAD		"global_defs {\n"
#define GD_TAIL		"\n}\n"
#define GD(b)		GD_HEAD b GD_TAIL
#define GD_L		2
#define SCR_HEAD	"vrrp_script chk {\n script /bin/true\n"
#define SCR(b)		SCR_HEAD b "\n}\n"
#define SCR_L		3
#define SCR0(b)		"vrrp_script chk {\n" b "\n}\n"
#define SCR0_L		2
#define SG_HEAD		"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n}\n" \
			"vrrp_sync_group G {\n group {\n VI_1\n }\n"
#define SG_TAIL		"\n}\n"
#define SG(b)		SG_HEAD b SG_TAIL
#define SG_L		9
#define VI_HEAD		"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
#define VI_TAIL		"\n}\n"
#define VI(b)		VI_HEAD b VI_TAIL
#define VI_L		4
#define VIW(b)		"vrrp_instance VI_1 {\n virtual_router_id 51\n" b VI_TAIL
#define VIV(b)		"vrrp_instance VI_1 {\n interface eth0\n" b VI_TAIL
#define VIW_L		3
#define TS(b)		"vrrp_script chk {\n script /bin/true\n}\n" VI(b)
#define TS_L		7
#define AUTH(b)		VI(" authentication {\n" b "\n }")
#define AUTH_L		5
#define VS_HEAD		"virtual_server 192.0.2.100 80 {\n"
#define VS_TAIL		"\n real_server 192.0.2.101 8080 {\n }\n}\n"
#define VS(b)		VS_HEAD b VS_TAIL
#define VS_L		2
#define RT(b)		VS(" http_route r {\n pool default\n" b "\n }")
#define RT_L		4
#define SYNC(b)		"sticky_sync {\n listen 192.0.2.11 7400\n peer 192.0.2.12 7400\n" b "}\n"
/* A yescrypt hash (of "s3cret"), for auth_users. */
#define AUTH_HASH	"$y$j9T$abcdefghijklmnop$tySFNIfWVy.ymkBDHEMW6bAQ07dlkLVGalgni.VV4l8"
#define RT0(b)		VS(" http_route r {\n" b "\n }")
#define RT0_L		3
#define RS_HEAD		"virtual_server 192.0.2.100 80 {\n real_server 192.0.2.101 8080 {\n"
#define RS_TAIL		"\n }\n}\n"
#define RS(b)		RS_HEAD b RS_TAIL
#define RS_L		3
#define TCP_HEAD	RS_HEAD " TCP_CHECK {\n"
#define TCP_TAIL	"\n }" RS_TAIL
#define TCP(b)		TCP_HEAD b TCP_TAIL
#define TCP_L		4
#define HTTP_HEAD	RS_HEAD " HTTP_GET {\n url {\n path /\n }\n"
#define SSL_HEAD	RS_HEAD " SSL_GET {\n url {\n path /\n }\n"
#define HTTP_TAIL	"\n }" RS_TAIL
#define HTTP(b)		HTTP_HEAD b HTTP_TAIL
#define SSL(b)		SSL_HEAD b HTTP_TAIL
#define HTTP_L		7
#define URL(b)		RS(" HTTP_GET {\n url {\n" b "\n }\n }")
#define URL_L		5
#define URLP_HEAD	RS_HEAD " HTTP_GET {\n url {\n path /\n"
#define URLP_TAIL	"\n }\n }" RS_TAIL
#define URLP(b)		URLP_HEAD b URLP_TAIL
#define URLP_L		6
#define MISC_HEAD	RS_HEAD " MISC_CHECK {\n misc_path /bin/true\n"
#define MISC_TAIL	"\n }" RS_TAIL
#define MISC(b)		MISC_HEAD b MISC_TAIL
#define MISC_L		5
#define MISC0(b)	RS(" MISC_CHECK {\n" b "\n }")
#define MISC0_L		4

/* A flag: no argument. */
#define FLAG_CASES(P, K, W, L) \
	GOOD(P, K, W(" " K)), \
	BAD(P, K, W(" " K " yes"), L, K ": too many arguments (at most 0)")

/* A command: at least one word. */
#define SCRIPT_CASES(P, K, W, L) \
	GOOD(P, K, W(" " K " /usr/local/bin/notify.sh \"with args\" 2")), \
	BAD(P, K, W(" " K), L, K ": missing value")

/* Keywords every checker has. */
#define CHECK_COMMON(P, W, L) \
	GOOD(P, "retry", W(" retry 3")), \
	GOOD(P, "retry", W(" retry 0")), \
	BAD(P, "retry", W(" retry 1001"), L, "retry: 1001 is out of range 0..1000"), \
	BAD(P, "retry", W(" retry -1"), L, "retry: -1 is out of range 0..1000"), \
	GOOD(P, "nb_get_retry", W(" nb_get_retry 2")), \
	BAD(P, "nb_get_retry", W(" nb_get_retry two"), L, \
	    "nb_get_retry: 'two' is not an integer"), \
	GOOD(P, "delay_before_retry", W(" delay_before_retry 2")), \
	BAD(P, "delay_before_retry", W(" delay_before_retry 3601"), L, \
	    "delay_before_retry: 3601 is out of range 0..3600 s"), \
	GOOD(P, "delay_loop", W(" delay_loop 5")), \
	BAD(P, "delay_loop", W(" delay_loop 0"), L, \
	    "delay_loop: 0 is out of range 0.01..86400 s"), \
	FLAG_CASES(P, "warmup", W, L), \
	FLAG_CASES(P, "alpha", W, L), \
	FLAG_CASES(P, "log_all_failures", W, L)

/* Keywords of the connecting checkers. */
#define CHECK_CONNECT(P, W, L) \
	GOOD(P, "connect_ip", W(" connect_ip 192.0.2.50")), \
	GOOD(P, "connect_ip", W(" connect_ip 2001:db8::50")), \
	BAD(P, "connect_ip", W(" connect_ip 192.0.2.0/24"), L, \
	    "connect_ip: '192.0.2.0/24' is not an IPv4 or IPv6 address"), \
	GOOD(P, "connect_port", W(" connect_port 8081")), \
	BAD(P, "connect_port", W(" connect_port 65536"), L, \
	    "connect_port: '65536' is not a port (1..65535)"), \
	GOOD(P, "bindto", W(" bindto 192.0.2.1")), \
	BAD(P, "bindto", W(" bindto eth0"), L, "bindto: 'eth0' is not an IPv4 or IPv6 address"), \
	GOOD(P, "bind_port", W(" bind_port 40000")), \
	BAD(P, "bind_port", W(" bind_port 0"), L, "bind_port: '0' is not a port (1..65535)"), \
	GOOD(P, "connect_timeout", W(" connect_timeout 3")), \
	BAD(P, "connect_timeout", W(" connect_timeout 5ms"), L, \
	    "connect_timeout: 5ms is out of range 0.01..3600 s")

static const struct kw_case kw_cases[] = {
	/* The top level. */
	GOOD("", "global_defs", GD("")),
	BAD("", "global_defs", "global_defs {\n}\n\nglobal_defs {\n}\n", 4,
	    "global_defs: given twice (first on line 1)"),
	BAD("", "global_defs", "global_defs x {\n}\n", 1, "global_defs: too many arguments"),
	GOOD("", "sticky_sync", SYNC(" secret \"0123456789abcdef\"\n")),
	BAD("", "sticky_sync", SYNC(""), 1, "sticky_sync: missing 'secret' or 'secret_file'"),
	GOOD("sticky_sync", "listen", SYNC(" secret \"0123456789abcdef\"\n")),
	BAD("sticky_sync", "listen", "sticky_sync {\n listen 0.0.0.0 7400\n}\n", 2,
	    "listen: '0.0.0.0': give the node's own address, not a wildcard"),
	GOOD("sticky_sync", "peer", SYNC(" secret \"0123456789abcdef\"\n")),
	BAD("sticky_sync", "peer", "sticky_sync {\n peer 192.0.2.12 0\n}\n", 2,
	    "peer: '0' is not a port"),
	GOOD("sticky_sync", "secret", SYNC(" secret \"0123456789abcdef\"\n")),
	BAD("sticky_sync", "secret", SYNC(" secret short\n"), 4,
	    "secret: the secret must be 16 to 1024 bytes long, not 5"),
	/* SECRET_FIXTURE is made by test_suite(), mode 0600; /proc/version
	 * is 0444. */
	GOOD("sticky_sync", "secret_file", SYNC(" secret_file " SECRET_FIXTURE "\n")),
	BAD("sticky_sync", "secret_file", SYNC(" secret_file /nonexistent/secret\n"), 4,
	    "secret_file: '/nonexistent/secret': No such file"),
	BAD("sticky_sync", "secret_file", SYNC(" secret_file /proc/version\n"), 4,
	    "secret_file: '/proc/version' is open to other users (mode 0444): make it 0600 "
	    "or 0640"),
	GOOD("", "vrrp_script", SCR("")),
	BAD("", "vrrp_script", "vrrp_script {\n script /bin/true\n}\n", 1,
	    "vrrp_script: missing value"),
	BAD("", "vrrp_script", SCR("") "\n" SCR(""), 6, "vrrp_script: 'chk' is defined twice"),
	GOOD("", "vrrp_sync_group", SG("")),
	BAD("", "vrrp_sync_group", SG("") "vrrp_sync_group G {\n}\n", 11,
	    "vrrp_sync_group: 'G' is defined twice"),
	BAD("", "vrrp_sync_group", "vrrp_sync_group G {\n group {\n NOPE\n }\n}\n", 3,
	    "vrrp_sync_group G: no vrrp_instance named 'NOPE'"),
	/* keepalived 1.x: members straight in the block. */
	BAD("", "vrrp_sync_group", "vrrp_sync_group G {\n VI_1\n}\n", 2,
	    "vrrp_sync_group G: 'VI_1': instance names directly in the block (keepalived 1.x "
	    "syntax) are not supported: list them in 'group { }'"),
	GOOD("", "vrrp_instance", VI("")),
	BAD("", "vrrp_instance", "vrrp_instance {\n}\n", 1, "vrrp_instance: missing value"),
	BAD("", "vrrp_instance", VI("") VI(""), 6, "vrrp_instance: 'VI_1' is defined twice"),
	BAD("", "vrrp_instance", "vrrp_instance VI_1 {\n interface eth0\n}\n", 1,
	    "vrrp_instance VI_1: missing 'virtual_router_id'"),
	BAD("", "vrrp_instance", "vrrp_instance VI_1 {\n virtual_router_id 1\n}\n", 1,
	    "vrrp_instance VI_1: missing 'interface'"),
	GOOD("", "virtual_server", VS("")),
	GOOD("", "virtual_server", "virtual_server 2001:db8::100 443 {\n}\n"),
	BAD("", "virtual_server", "virtual_server 192.0.2.100 {\n}\n", 1,
	    "virtual_server: needs at least 2 arguments"),
	BAD("", "virtual_server", "virtual_server 192.0.2.100 80 90 {\n}\n", 1,
	    "virtual_server: too many arguments (at most 2)"),
	BAD("", "virtual_server", "virtual_server fwmark 1 {\n}\n", 1,
	    "virtual_server fwmark: not supported: firewall marks and virtual_server_group"),
	BAD("", "virtual_server", "virtual_server group web {\n}\n", 1,
	    "virtual_server group: not supported"),
	BAD("", "virtual_server", "virtual_server www.example.com 80 {\n}\n", 1,
	    "virtual_server: 'www.example.com' is not an IPv4 or IPv6 address"),
	BAD("", "virtual_server", "virtual_server 192.0.2.100 70000 {\n}\n", 1,
	    "virtual_server: '70000' is not a port (1..65535)"),

	/* global_defs */
	GOOD("global_defs", "router_id", GD(" router_id lb1")),
	BAD("global_defs", "router_id", GD(" router_id"), GD_L, "router_id: missing value"),
	BAD("global_defs", "router_id", GD(" router_id lb 1"), GD_L,
	    "router_id: too many arguments (at most 1)"),
	FLAG_CASES("global_defs", "enable_script_security", GD, GD_L),
	GOOD("global_defs", "script_user", GD(" script_user nobody")),
	GOOD("global_defs", "script_user", GD(" script_user nobody nogroup")),
	BAD("global_defs", "script_user", GD(" script_user"), GD_L, "script_user: missing value"),
	BAD("global_defs", "script_user", GD(" script_user a b c"), GD_L,
	    "script_user: too many arguments (at most 2)"),
	GOOD("global_defs", "vrrp_version", GD(" vrrp_version 3")),
	BAD("global_defs", "vrrp_version", GD(" vrrp_version 4"), GD_L,
	    "vrrp_version: 4 is out of range 2..3"),
	BAD("global_defs", "vrrp_version", GD(" vrrp_version two"), GD_L,
	    "vrrp_version: 'two' is not an integer"),
	GOOD("global_defs", "vrrp_mcast_group4", GD(" vrrp_mcast_group4 224.0.0.19")),
	BAD("global_defs", "vrrp_mcast_group4", GD(" vrrp_mcast_group4 192.0.2.1"), GD_L,
	    "vrrp_mcast_group4: '192.0.2.1' is not an IPv4 multicast address"),
	BAD("global_defs", "vrrp_mcast_group4", GD(" vrrp_mcast_group4 ff02::12"), GD_L,
	    "vrrp_mcast_group4: 'ff02::12' is not an IPv4 multicast address"),
	BAD("global_defs", "vrrp_mcast_group4", GD(" vrrp_mcast_group4 mcast"), GD_L,
	    "vrrp_mcast_group4: 'mcast' is not an IPv4 or IPv6 address"),
	GOOD("global_defs", "vrrp_mcast_group6", GD(" vrrp_mcast_group6 ff02::13")),
	BAD("global_defs", "vrrp_mcast_group6", GD(" vrrp_mcast_group6 2001:db8::1"), GD_L,
	    "vrrp_mcast_group6: '2001:db8::1' is not an IPv6 multicast address"),
	BAD("global_defs", "vrrp_mcast_group6", GD(" vrrp_mcast_group6 224.0.0.18"), GD_L,
	    "is not an IPv6 multicast address"),
	GOOD("global_defs", "vrrp_garp_master_delay", GD(" vrrp_garp_master_delay 10")),
	BAD("global_defs", "vrrp_garp_master_delay", GD(" vrrp_garp_master_delay 1001"), GD_L,
	    "vrrp_garp_master_delay: 1001 is out of range 0..1000 s"),
	GOOD("global_defs", "vrrp_garp_master_repeat", GD(" vrrp_garp_master_repeat 3")),
	BAD("global_defs", "vrrp_garp_master_repeat", GD(" vrrp_garp_master_repeat 0"), GD_L,
	    "vrrp_garp_master_repeat: 0 is out of range 1..255"),
	GOOD("global_defs", "vrrp_garp_master_refresh", GD(" vrrp_garp_master_refresh 60")),
	BAD("global_defs", "vrrp_garp_master_refresh", GD(" vrrp_garp_master_refresh -1"), GD_L,
	    "vrrp_garp_master_refresh: '-1' is not a duration"),
	GOOD("global_defs", "vrrp_garp_master_refresh_repeat",
	    GD(" vrrp_garp_master_refresh_repeat 2")),
	BAD("global_defs", "vrrp_garp_master_refresh_repeat",
	    GD(" vrrp_garp_master_refresh_repeat 256"), GD_L,
	    "vrrp_garp_master_refresh_repeat: 256 is out of range 1..255"),
	GOOD("global_defs", "vrrp_garp_interval", GD(" vrrp_garp_interval 0.001")),
	BAD("global_defs", "vrrp_garp_interval", GD(" vrrp_garp_interval 2"), GD_L,
	    "vrrp_garp_interval: 2 is out of range 0..1 s"),
	GOOD("global_defs", "vrrp_gna_interval", GD(" vrrp_gna_interval 250ms")),
	BAD("global_defs", "vrrp_gna_interval", GD(" vrrp_gna_interval 1.5s"), GD_L,
	    "vrrp_gna_interval: 1.5s is out of range 0..1 s"),
	GOOD("global_defs", "vrrp_min_garp", GD(" vrrp_min_garp")),
	GOOD("global_defs", "vrrp_min_garp", GD(" vrrp_min_garp off")),
	BAD("global_defs", "vrrp_min_garp", GD(" vrrp_min_garp maybe"), GD_L,
	    "vrrp_min_garp: 'maybe' is not one of on, yes, true, off, no, false"),
	GOOD("global_defs", "vrrp_lower_prio_no_advert", GD(" vrrp_lower_prio_no_advert false")),
	BAD("global_defs", "vrrp_lower_prio_no_advert", GD(" vrrp_lower_prio_no_advert 2"), GD_L,
	    "vrrp_lower_prio_no_advert: '2' is not one of"),
	GOOD("global_defs", "vrrp_higher_prio_send_advert",
	    GD(" vrrp_higher_prio_send_advert yes")),
	BAD("global_defs", "vrrp_higher_prio_send_advert",
	    GD(" vrrp_higher_prio_send_advert yes no"), GD_L,
	    "vrrp_higher_prio_send_advert: too many arguments (at most 1)"),
	FLAG_CASES("global_defs", "v3_checksum_as_v2", GD, GD_L),
	GOOD("global_defs", "vrrp_startup_delay", GD(" vrrp_startup_delay 5s")),
	BAD("global_defs", "vrrp_startup_delay", GD(" vrrp_startup_delay 2h"), GD_L,
	    "vrrp_startup_delay: 2h is out of range 0..3600 s"),
	GOOD("global_defs", "control_socket", GD(" control_socket /run/kl7.sock")),
	BAD("global_defs", "control_socket", GD(" control_socket run/kl7.sock"), GD_L,
	    "control_socket: 'run/kl7.sock' must be an absolute path"),
	GOOD("global_defs", "state_file", GD(" state_file /tmp/state.json")),
	BAD("global_defs", "state_file", GD(" state_file state.json"), GD_L,
	    "state_file: 'state.json' must be an absolute path"),
	GOOD("global_defs", "metrics_listen", GD(" metrics_listen 192.0.2.1:9100")),
	GOOD("global_defs", "metrics_listen", GD(" metrics_listen [2001:db8::1]:9100")),
	BAD("global_defs", "metrics_listen", GD(" metrics_listen 2001:db8::1:9100"), GD_L,
	    "metrics_listen: '2001:db8::1:9100' is not ADDRESS:PORT ([ADDRESS]:PORT for IPv6)"),
	BAD("global_defs", "metrics_listen", GD(" metrics_listen 192.0.2.1"), GD_L,
	    "metrics_listen: '192.0.2.1' is not ADDRESS:PORT"),
	GOOD("global_defs", "drain_timeout", GD(" drain_timeout 30s")),
	BAD("global_defs", "drain_timeout", GD(" drain_timeout 61m"), GD_L,
	    "drain_timeout: 61m is out of range 0..3600 s"),
	FLAG_CASES("global_defs", "enable_snmp_vrrp", GD, GD_L),
	FLAG_CASES("global_defs", "enable_snmp_checker", GD, GD_L),
	FLAG_CASES("global_defs", "enable_snmp_rfcv3", GD, GD_L),
	FLAG_CASES("global_defs", "enable_traps", GD, GD_L),
	GOOD("global_defs", "snmp_socket", GD(" snmp_socket tcp:localhost:705")),
	BAD("global_defs", "snmp_socket", GD(" snmp_socket"), GD_L, "snmp_socket: missing value"),

	/* vrrp_script */
	GOOD("vrrp_script", "script", SCR0(" script \"/usr/bin/check --quick\"")),
	GOOD("vrrp_script", "script", SCR0(" script /usr/bin/check --quick")),
	BAD("vrrp_script", "script", SCR0(" script"), SCR0_L, "script: missing value"),
	BAD("vrrp_script", "script", SCR0(" interval 2"), 1, "vrrp_script chk: missing 'script'"),
	GOOD("vrrp_script", "interval", SCR(" interval 2")),
	BAD("vrrp_script", "interval", SCR(" interval 0"), SCR_L,
	    "interval: 0 is out of range 0.01..3600 s"),
	GOOD("vrrp_script", "timeout", SCR(" timeout 500ms")),
	BAD("vrrp_script", "timeout", SCR(" timeout soon"), SCR_L,
	    "timeout: 'soon' is not a duration (seconds, or a number with ms/s/m/h)"),
	GOOD("vrrp_script", "weight", SCR(" weight -20")),
	GOOD("vrrp_script", "weight", SCR(" weight 10 reverse")),
	BAD("vrrp_script", "weight", SCR(" weight 254"), SCR_L,
	    "weight: 254 is out of range -253..253"),
	BAD("vrrp_script", "weight", SCR(" weight 10 backwards"), SCR_L,
	    "weight: expected 'reverse', not 'backwards'"),
	GOOD("vrrp_script", "rise", SCR(" rise 3")),
	BAD("vrrp_script", "rise", SCR(" rise 0"), SCR_L, "rise: 0 is out of range 1..65535"),
	GOOD("vrrp_script", "fall", SCR(" fall 3")),
	BAD("vrrp_script", "fall", SCR(" fall 65536"), SCR_L,
	    "fall: 65536 is out of range 1..65535"),
	GOOD("vrrp_script", "user", SCR(" user nobody")),
	GOOD("vrrp_script", "user", SCR(" user nobody nogroup")),
	BAD("vrrp_script", "user", SCR(" user"), SCR_L, "user: missing value"),
	FLAG_CASES("vrrp_script", "init_fail", SCR, SCR_L),

	/* vrrp_sync_group */
	GOOD("vrrp_sync_group", "group",
	    VI("") "vrrp_instance VI_2 {\n interface eth0\n virtual_router_id 52\n}\n"
	    "vrrp_sync_group G {\n group { VI_1 VI_2 }\n}\n"),
	BAD("vrrp_sync_group", "group", SG(" group {\n VI_1\n }"), SG_L,
	    "group: given twice (first on line 6)"),
	BAD("vrrp_sync_group", "group",
	    VI("") "vrrp_sync_group G {\n group {\n VI_1\n VI_1\n }\n}\n", 9,
	    "vrrp_sync_group G: 'VI_1' is already in group G"),
	BAD("vrrp_sync_group", "group", VI("") "vrrp_sync_group G {\n group VI_1\n}\n", 7,
	    "group: too many arguments (at most 0)"),
	SCRIPT_CASES("vrrp_sync_group", "notify_master", SG, SG_L),
	SCRIPT_CASES("vrrp_sync_group", "notify_backup", SG, SG_L),
	SCRIPT_CASES("vrrp_sync_group", "notify_fault", SG, SG_L),
	SCRIPT_CASES("vrrp_sync_group", "notify_stop", SG, SG_L),
	SCRIPT_CASES("vrrp_sync_group", "notify", SG, SG_L),

	/* vrrp_instance */
	GOOD("vrrp_instance", "state", VI(" state MASTER")),
	GOOD("vrrp_instance", "state", VI(" state backup")),
	BAD("vrrp_instance", "state", VI(" state LEADER"), VI_L,
	    "state: 'LEADER' is not one of MASTER, BACKUP"),
	GOOD("vrrp_instance", "interface", VIW(" interface eth1.100")),
	BAD("vrrp_instance", "interface", VIW(" interface averyveryverylong0"), VIW_L,
	    "interface: 'averyveryverylong0' is longer than 15 characters"),
	GOOD("vrrp_instance", "virtual_router_id", VIV(" virtual_router_id 255")),
	BAD("vrrp_instance", "virtual_router_id", VIV(" virtual_router_id 0"), VIW_L,
	    "virtual_router_id: 0 is out of range 1..255"),
	BAD("vrrp_instance", "virtual_router_id", VIV(" virtual_router_id 256"), VIW_L,
	    "virtual_router_id: 256 is out of range 1..255"),
	GOOD("vrrp_instance", "priority", VI(" priority 255")),
	GOOD("vrrp_instance", "priority", VI(" priority 1")),
	BAD("vrrp_instance", "priority", VI(" priority 0"), VI_L,
	    "priority: 0 is out of range 1..255"),
	BAD("vrrp_instance", "priority", VI(" priority 256"), VI_L,
	    "priority: 256 is out of range 1..255"),
	BAD("vrrp_instance", "priority", VI(" priority -1"), VI_L,
	    "priority: '-1' must not be negative"),
	BAD("vrrp_instance", "priority", VI(" priority high"), VI_L,
	    "priority: 'high' is not an integer"),
	GOOD("vrrp_instance", "advert_int", VI(" advert_int 3")),
	BAD("vrrp_instance", "advert_int", VI(" advert_int 256"), VI_L,
	    "advert_int: 256 is out of range 0.01..255 s"),
	BAD("vrrp_instance", "advert_int", VI(" advert_int 0.005"), VI_L,
	    "advert_int: 0.005 is out of range"),
	GOOD("vrrp_instance", "version", VI(" version 3")),
	BAD("vrrp_instance", "version", VI(" version 1"), VI_L, "version: 1 is out of range 2..3"),
	FLAG_CASES("vrrp_instance", "nopreempt", VI, VI_L),
	BAD("vrrp_instance", "nopreempt", VI(" nopreempt\n state MASTER"), 1,
	    "vrrp_instance VI_1: nopreempt needs 'state BACKUP'"),
	GOOD("vrrp_instance", "preempt_delay", VI(" preempt_delay 300")),
	BAD("vrrp_instance", "preempt_delay", VI(" preempt_delay 1001"), VI_L,
	    "preempt_delay: 1001 is out of range 0..1000 s"),
	GOOD("vrrp_instance", "authentication",
	    VI(" authentication {\n auth_type PASS\n auth_pass secret\n }")),
	BAD("vrrp_instance", "authentication", VI(" authentication {\n auth_type PASS\n }"), 1,
	    "vrrp_instance VI_1: auth_type PASS without auth_pass"),
	BAD("vrrp_instance", "authentication", VI(" authentication\n"), VI_L,
	    "authentication: expected '{' to open its block"),
	BAD("vrrp_instance", "authentication",
	    VI(" authentication {\n }\n authentication {\n }"), VI_L + 2,
	    "authentication: given twice (first on line 4)"),
	GOOD("vrrp_instance", "unicast_src_ip", VI(" unicast_src_ip 192.0.2.10")),
	BAD("vrrp_instance", "unicast_src_ip", VI(" unicast_src_ip 192.0.2.300"), VI_L,
	    "unicast_src_ip: '192.0.2.300' is not an IPv4 or IPv6 address"),
	BAD("vrrp_instance", "unicast_src_ip",
	    VI(" unicast_src_ip 2001:db8::1\n virtual_ipaddress {\n 192.0.2.1/24\n }"), 1,
	    "vrrp_instance VI_1: unicast_src_ip is not of the VIPs' address family"),
	GOOD("vrrp_instance", "unicast_peer", VI(" unicast_peer {\n 192.0.2.11\n 192.0.2.12\n }")),
	BAD("vrrp_instance", "unicast_peer", VI(" unicast_peer {\n 192.0.2.11 min_ttl 2\n }"),
	    VI_L + 1, "unicast_peer: per-peer options ('min_ttl') are not supported"),
	BAD("vrrp_instance", "unicast_peer", VI(" unicast_peer {\n 192.0.2.300\n }"), VI_L + 1,
	    "unicast_peer: '192.0.2.300' is not an IPv4 or IPv6 address"),
	BAD("vrrp_instance", "unicast_peer",
	    VI(" unicast_peer {\n 2001:db8::2\n }\n virtual_ipaddress {\n 192.0.2.1\n }"),
	    VI_L + 1, "vrrp_instance VI_1: unicast_peer is not of the VIPs' address family"),
	GOOD("vrrp_instance", "unicast_fault_no_peer",
	    VI(" unicast_fault_no_peer\n unicast_peer {\n 192.0.2.11\n }")),
	BAD("vrrp_instance", "unicast_fault_no_peer", VI(" unicast_fault_no_peer"), 1,
	    "vrrp_instance VI_1: unicast_fault_no_peer without unicast_peer"),
	BAD("vrrp_instance", "unicast_fault_no_peer", VI(" unicast_fault_no_peer 1"), VI_L,
	    "unicast_fault_no_peer: too many arguments (at most 0)"),
	GOOD("vrrp_instance", "mcast_src_ip", VI(" mcast_src_ip 192.0.2.10")),
	BAD("vrrp_instance", "mcast_src_ip", VI(" mcast_src_ip nope"), VI_L,
	    "mcast_src_ip: 'nope' is not an IPv4 or IPv6 address"),
	GOOD("vrrp_instance", "virtual_ipaddress", VI(" virtual_ipaddress {\n"
	    " 192.0.2.1/24 dev eth0 label eth0:1 scope global brd 192.0.2.255\n"
	    " 192.0.2.2 no_track\n 192.0.2.3/32 scope link\n }")),
	BAD("vrrp_instance", "virtual_ipaddress", VI(" virtual_ipaddress {\n 192.0.2.300/24\n }"),
	    VI_L + 1, "virtual_ipaddress: '192.0.2.300/24' is not an address or ADDRESS/PREFIXLEN"),
	BAD("vrrp_instance", "virtual_ipaddress", VI(" virtual_ipaddress {\n 192.0.2.1/33\n }"),
	    VI_L + 1, "virtual_ipaddress: '192.0.2.1/33' is not an address"),
	BAD("vrrp_instance", "virtual_ipaddress",
	    VI(" virtual_ipaddress {\n 192.0.2.1/24 scope galaxy\n }"), VI_L + 1,
	    "virtual_ipaddress: 'galaxy' is not one of global, universe, site, link, host, "
	    "nowhere"),
	BAD("vrrp_instance", "virtual_ipaddress",
	    VI(" virtual_ipaddress {\n 192.0.2.1/24 brd 2001:db8::ff\n }"), VI_L + 1,
	    "virtual_ipaddress: brd is not of the address's family"),
	BAD("vrrp_instance", "virtual_ipaddress",
	    VI(" virtual_ipaddress {\n 192.0.2.1 color red\n }"), VI_L + 1,
	    "virtual_ipaddress: unknown address option 'color'"),
	BAD("vrrp_instance", "virtual_ipaddress", VI(" virtual_ipaddress {\n 192.0.2.1 dev\n }"),
	    VI_L + 1, "virtual_ipaddress: 'dev' needs a value"),
	BAD("vrrp_instance", "virtual_ipaddress",
	    VI(" virtual_ipaddress {\n 192.0.2.1\n 2001:db8::1\n }"), VI_L + 2,
	    "vrrp_instance VI_1: virtual_ipaddress mixes IPv4 and IPv6"),
	GOOD("vrrp_instance", "virtual_ipaddress_excluded",
	    VI(" virtual_ipaddress_excluded {\n 192.0.2.50/24\n 2001:db8::50/64\n }")),
	BAD("vrrp_instance", "virtual_ipaddress_excluded",
	    VI(" virtual_ipaddress_excluded {\n not-an-ip\n }"), VI_L + 1,
	    "virtual_ipaddress_excluded: 'not-an-ip' is not an address or ADDRESS/PREFIXLEN"),
	GOOD("vrrp_instance", "track_interface",
	    VI(" track_interface {\n eth1\n eth2 weight -10 reverse\n eth3 weight 253\n }")),
	BAD("vrrp_instance", "track_interface", VI(" track_interface {\n eth1 weight\n }"),
	    VI_L + 1, "track_interface: expected 'weight N [reverse]' after the name, "
	    "not 'weight'"),
	BAD("vrrp_instance", "track_interface", VI(" track_interface {\n eth1 weight 254\n }"),
	    VI_L + 1, "track_interface: 254 is out of range -253..253"),
	BAD("vrrp_instance", "track_interface",
	    VI(" track_interface {\n eth1 weight 5 reverse extra\n }"), VI_L + 1,
	    "track_interface: unexpected 'extra'"),
	BAD("vrrp_instance", "track_interface",
	    VI(" track_interface {\n averyveryverylong0\n }"), VI_L + 1,
	    "track_interface: 'averyveryverylong0' is not an interface name"),
	GOOD("vrrp_instance", "track_script", TS(" track_script {\n chk\n }")),
	GOOD("vrrp_instance", "track_script", TS(" track_script {\n chk weight -30 reverse\n }")),
	BAD("vrrp_instance", "track_script", VI(" track_script {\n nosuch\n }"), VI_L + 1,
	    "track_script: no vrrp_script named 'nosuch'"),
	BAD("vrrp_instance", "track_script", TS(" track_script {\n chk weight x\n }"), TS_L + 1,
	    "track_script: 'x' is not an integer"),
	BAD("vrrp_instance", "track_script", TS(" track_script {\n chk reverse\n }"), TS_L + 1,
	    "track_script: expected 'weight N [reverse]' after the name, not 'reverse'"),
	SCRIPT_CASES("vrrp_instance", "notify_master", VI, VI_L),
	SCRIPT_CASES("vrrp_instance", "notify_backup", VI, VI_L),
	SCRIPT_CASES("vrrp_instance", "notify_fault", VI, VI_L),
	SCRIPT_CASES("vrrp_instance", "notify_stop", VI, VI_L),
	SCRIPT_CASES("vrrp_instance", "notify", VI, VI_L),
	GOOD("vrrp_instance", "garp_master_delay", VI(" garp_master_delay 5")),
	BAD("vrrp_instance", "garp_master_delay", VI(" garp_master_delay 1001"), VI_L,
	    "garp_master_delay: 1001 is out of range 0..1000 s"),
	GOOD("vrrp_instance", "garp_master_repeat", VI(" garp_master_repeat 2")),
	BAD("vrrp_instance", "garp_master_repeat", VI(" garp_master_repeat 0"), VI_L,
	    "garp_master_repeat: 0 is out of range 1..255"),
	GOOD("vrrp_instance", "garp_master_refresh", VI(" garp_master_refresh 60")),
	BAD("vrrp_instance", "garp_master_refresh", VI(" garp_master_refresh 86401"), VI_L,
	    "garp_master_refresh: 86401 is out of range 0..86400 s"),
	GOOD("vrrp_instance", "garp_master_refresh_repeat", VI(" garp_master_refresh_repeat 2")),
	BAD("vrrp_instance", "garp_master_refresh_repeat", VI(" garp_master_refresh_repeat 256"),
	    VI_L, "garp_master_refresh_repeat: 256 is out of range 1..255"),
	GOOD("vrrp_instance", "garp_lower_prio_delay", VI(" garp_lower_prio_delay 1")),
	BAD("vrrp_instance", "garp_lower_prio_delay", VI(" garp_lower_prio_delay 1001"), VI_L,
	    "garp_lower_prio_delay: 1001 is out of range 0..1000 s"),
	GOOD("vrrp_instance", "garp_lower_prio_repeat", VI(" garp_lower_prio_repeat 0")),
	BAD("vrrp_instance", "garp_lower_prio_repeat", VI(" garp_lower_prio_repeat 256"), VI_L,
	    "garp_lower_prio_repeat: 256 is out of range 0..255"),
	GOOD("vrrp_instance", "lower_prio_no_advert", VI(" lower_prio_no_advert off")),
	BAD("vrrp_instance", "lower_prio_no_advert", VI(" lower_prio_no_advert sometimes"), VI_L,
	    "lower_prio_no_advert: 'sometimes' is not one of on, yes, true, off, no, false"),
	GOOD("vrrp_instance", "higher_prio_send_advert", VI(" higher_prio_send_advert")),
	BAD("vrrp_instance", "higher_prio_send_advert", VI(" higher_prio_send_advert 2"), VI_L,
	    "higher_prio_send_advert: '2' is not one of"),
	FLAG_CASES("vrrp_instance", "v3_checksum_as_v2", VI, VI_L),
	FLAG_CASES("vrrp_instance", "dont_track_primary", VI, VI_L),
	GOOD("vrrp_instance", "down_timer_adverts", VI(" down_timer_adverts 5")),
	BAD("vrrp_instance", "down_timer_adverts", VI(" down_timer_adverts 101"), VI_L,
	    "down_timer_adverts: 101 is out of range 1..100"),

	/* authentication */
	GOOD("authentication", "auth_type", AUTH(" auth_type PASS\n auth_pass x")),
	GOOD("authentication", "auth_type", AUTH(" auth_type pass\n auth_pass x")),
	BAD("authentication", "auth_type", AUTH(" auth_type AH\n auth_pass x"), AUTH_L,
	    "auth_type: AH is not supported (IPsec AH was removed from VRRP by RFC 3768)"),
	BAD("authentication", "auth_type", AUTH(" auth_type FOO"), AUTH_L,
	    "auth_type: 'FOO' is not one of PASS"),
	GOOD("authentication", "auth_pass", AUTH(" auth_pass 12345678")),
	BAD("authentication", "auth_pass", AUTH(" auth_pass 123456789"), AUTH_L,
	    "auth_pass: longer than 8 characters"),
	BAD("authentication", "auth_pass", AUTH(" auth_pass"), AUTH_L, "auth_pass: missing value"),

	/* virtual_server */
	GOOD("virtual_server", "lb_kind", VS(" lb_kind NAT")),
	GOOD("virtual_server", "lb_kind", VS(" lb_kind L7")),
	GOOD("virtual_server", "lb_kind", VS(" lb_kind nat")),
	BAD("virtual_server", "lb_kind", VS(" lb_kind DR"), VS_L,
	    "lb_kind: DR is not supported: keepalive-l7 proxies connections instead of driving "
	    "IPVS; use NAT (TCP proxy) or L7 (HTTP)"),
	BAD("virtual_server", "lb_kind", VS(" lb_kind TUN"), VS_L, "lb_kind: TUN is not supported"),
	BAD("virtual_server", "lb_kind", VS(" lb_kind FOO"), VS_L,
	    "lb_kind: 'FOO' is not one of L7, NAT"),
	GOOD("virtual_server", "lvs_method", VS(" lvs_method NAT")),
	BAD("virtual_server", "lvs_method", VS(" lvs_method DR"), VS_L,
	    "lvs_method: DR is not supported"),
	GOOD("virtual_server", "lb_algo", VS(" lb_algo rr")),
	GOOD("virtual_server", "lb_algo", VS(" lb_algo wrr")),
	GOOD("virtual_server", "lb_algo", VS(" lb_algo lc")),
	GOOD("virtual_server", "lb_algo", VS(" lb_algo wlc")),
	GOOD("virtual_server", "lb_algo", VS(" lb_algo sh")),
	GOOD("virtual_server", "lb_algo", VS(" lb_algo hash")),
	GOOD("virtual_server", "lb_algo", VS(" lb_algo p2c")),
	BAD("virtual_server", "lb_algo", VS(" lb_algo sed"), VS_L,
	    "lb_algo: 'sed' is an IPVS scheduler that is not implemented; use rr, wrr, lc, wlc, "
	    "sh, hash or p2c"),
	BAD("virtual_server", "lb_algo", VS(" lb_algo random"), VS_L,
	    "lb_algo: 'random' is not one of rr, wrr, lc, wlc, sh, hash, p2c"),
	GOOD("virtual_server", "lvs_sched", VS(" lvs_sched rr")),
	BAD("virtual_server", "lvs_sched", VS(" lvs_sched mh"), VS_L,
	    "lvs_sched: 'mh' is an IPVS scheduler"),
	GOOD("virtual_server", "hash_key", VS(" lb_algo hash\n hash_key header X-User")),
	GOOD("virtual_server", "hash_key", VS(" lb_algo hash\n hash_key cookie SID")),
	GOOD("virtual_server", "hash_key", VS(" lb_kind NAT\n lb_algo hash\n hash_key source")),
	BAD("virtual_server", "hash_key", VS(" hash_key header"), VS_L,
	    "hash_key: 'header' and 'cookie' take a name; 'path' and 'source' take none"),
	BAD("virtual_server", "hash_key", VS(" hash_key path /x"), VS_L,
	    "hash_key: 'header' and 'cookie' take a name"),
	BAD("virtual_server", "hash_key", VS(" hash_key body"), VS_L,
	    "hash_key: 'body' is not one of path, header, cookie, source"),
	BAD("virtual_server", "hash_key", VS(" lb_kind NAT\n lb_algo hash\n hash_key path"), 1,
	    "hash_key: a NAT (TCP) virtual_server can only hash on 'source'"),
	GOOD("virtual_server", "delay_loop", VS(" delay_loop 2")),
	BAD("virtual_server", "delay_loop", VS(" delay_loop 0"), VS_L,
	    "delay_loop: 0 is out of range 0.01..86400 s"),
	GOOD("virtual_server", "protocol", VS(" protocol TCP")),
	BAD("virtual_server", "protocol", VS(" protocol UDP"), VS_L,
	    "protocol: UDP is not supported: only TCP services are proxied"),
	GOOD("virtual_server", "persistence_timeout", VS(" persistence_timeout")),
	GOOD("virtual_server", "persistence_timeout", VS(" persistence_timeout 300")),
	BAD("virtual_server", "persistence_timeout", VS(" persistence_timeout 0.5"), VS_L,
	    "persistence_timeout: 0.5 is out of range 1..86400 s"),
	GOOD("virtual_server", "persistence", VS(" persistence cookie SRV insert")),
	GOOD("virtual_server", "persistence", VS(" persistence cookie SRV insert indirect nocache "
	    "httponly secure maxidle 30m maxlife 1h")),
	GOOD("virtual_server", "persistence", VS(" persistence cookie SRV prefix")),
	BAD("virtual_server", "persistence", VS(" persistence source"), VS_L,
	    "persistence: needs at least 3 arguments"),
	BAD("virtual_server", "persistence", VS(" persistence source ip hash"), VS_L,
	    "persistence: expected 'cookie NAME insert|rewrite|prefix [options]'"),
	BAD("virtual_server", "persistence", VS(" persistence cookie SRV stash"), VS_L,
	    "persistence: 'stash' is not one of insert, rewrite, prefix"),
	BAD("virtual_server", "persistence", VS(" persistence cookie SRV insert maxidle"), VS_L,
	    "persistence: maxidle needs a duration"),
	BAD("virtual_server", "persistence", VS(" persistence cookie SRV insert maxlife 0.5"), VS_L,
	    "persistence: 0.5 is out of range 1.."),
	BAD("virtual_server", "persistence", VS(" persistence cookie SRV insert sticky"), VS_L,
	    "persistence: unknown cookie option 'sticky'"),
	BAD("virtual_server", "persistence", VS(" persistence cookie SRV rewrite maxidle 1m"), 1,
	    "persistence cookie: maxidle and maxlife need 'insert'"),
	BAD("virtual_server", "persistence", VS(" lb_kind NAT\n persistence cookie SRV insert"), 1,
	    "persistence cookie: needs 'lb_kind L7'"),
	GOOD("virtual_server", "allow_connect", VS(" allow_connect")),
	BAD("virtual_server", "allow_connect", VS(" lb_kind NAT\n allow_connect"), 1,
	    "allow_connect: needs 'lb_kind L7'"),
	GOOD("virtual_server", "timeout_connect", VS(" timeout_connect 2s")),
	BAD("virtual_server", "timeout_connect", VS(" timeout_connect 0"), VS_L,
	    "timeout_connect: 0 is out of range 0.001..3600 s"),
	GOOD("virtual_server", "timeout_client", VS(" timeout_client 30s")),
	BAD("virtual_server", "timeout_client", VS(" timeout_client 2d"), VS_L,
	    "timeout_client: '2d' is not a duration"),
	GOOD("virtual_server", "timeout_server", VS(" timeout_server 1m")),
	BAD("virtual_server", "timeout_server", VS(" timeout_server 86401"), VS_L,
	    "timeout_server: 86401 is out of range 0.001..86400 s"),
	GOOD("virtual_server", "timeout_request", VS(" timeout_request 10s")),
	BAD("virtual_server", "timeout_request", VS(" timeout_request 3601"), VS_L,
	    "timeout_request: 3601 is out of range 0.001..3600 s"),
	GOOD("virtual_server", "timeout_keepalive", VS(" timeout_keepalive 5")),
	BAD("virtual_server", "timeout_keepalive", VS(" timeout_keepalive -5"), VS_L,
	    "timeout_keepalive: '-5' is not a duration"),
	GOOD("virtual_server", "timeout_queue", VS(" timeout_queue 5s")),
	BAD("virtual_server", "timeout_queue", VS(" timeout_queue x"), VS_L,
	    "timeout_queue: 'x' is not a duration"),
	GOOD("virtual_server", "timeout_tunnel", VS(" timeout_tunnel 1h")),
	BAD("virtual_server", "timeout_tunnel", VS(" timeout_tunnel 169h"), VS_L,
	    "timeout_tunnel: 169h is out of range 0.001..604800 s"),
	GOOD("virtual_server", "maxconn", VS(" maxconn 20000")),
	BAD("virtual_server", "maxconn", VS(" maxconn 10000001"), VS_L,
	    "maxconn: 10000001 is out of range 0..10000000"),
	GOOD("virtual_server", "send_proxy", VS(" send_proxy v1")),
	GOOD("virtual_server", "send_proxy", VS(" send_proxy v2")),
	BAD("virtual_server", "send_proxy", VS(" send_proxy v3"), VS_L,
	    "send_proxy: 'v3' is not one of v1, v2"),
	GOOD("virtual_server", "accept_proxy", VS(" accept_proxy")),
	BAD("virtual_server", "accept_proxy", VS(" accept_proxy yes"), VS_L,
	    "accept_proxy: too many arguments (at most 0)"),
	GOOD("virtual_server", "forwarded_for", VS(" forwarded_for on")),
	GOOD("virtual_server", "forwarded_for", VS(" forwarded_for")),
	BAD("virtual_server", "forwarded_for", VS(" forwarded_for maybe"), VS_L,
	    "forwarded_for: 'maybe' is not one of on, yes, true, off, no, false"),
	GOOD("virtual_server", "retries", VS(" retries 0")),
	BAD("virtual_server", "retries", VS(" retries 101"), VS_L,
	    "retries: 101 is out of range 0..100"),
	GOOD("virtual_server", "max_header_size", VS(" max_header_size 8192")),
	GOOD("virtual_server", "rcvbuf_server", VS(" rcvbuf_server 131072")),
	BAD("virtual_server", "rcvbuf_server", VS(" rcvbuf_server 4095"), VS_L,
	    "rcvbuf_server: 4095 is out of range 4096..67108864"),
	GOOD("virtual_server", "sndbuf_client", VS(" sndbuf_client 131072")),
	BAD("virtual_server", "sndbuf_client", VS(" sndbuf_client 1g"), VS_L,
	    "sndbuf_client: '1g' is not an integer"),
	BAD("virtual_server", "max_header_size", VS(" max_header_size 1023"), VS_L,
	    "max_header_size: 1023 is out of range 1024..65536"),
	GOOD("virtual_server", "http_route", VS(" http_route api {\n path_prefix /v1/\n"
	    " pool default\n }")),
	BAD("virtual_server", "http_route", VS(" http_route api {\n path_prefix /v1/\n }"), VS_L,
	    "http_route api: missing 'pool'"),
	BAD("virtual_server", "http_route", VS(" http_route {\n pool default\n }"), VS_L,
	    "http_route: missing value"),
	BAD("virtual_server", "http_route", VS(" http_route api { pool default }\n"
	    " http_route api { pool default }"), VS_L + 1,
	    "http_route: 'api' is defined twice in this virtual_server (first on line 2)"),
	BAD("virtual_server", "http_route", VS(" http_route api {\n pool nosuch\n }"), VS_L,
	    "http_route api: no real_server has 'pool nosuch'"),
	BAD("virtual_server", "http_route", VS(" lb_kind NAT\n http_route api { pool default }"),
	    VS_L + 1, "http_route: needs 'lb_kind L7' (this virtual_server proxies TCP)"),
	GOOD("virtual_server", "tls_route", VS(" lb_kind NAT\n tls_route t {\n sni a.test\n"
	    " pool default\n }")),
	BAD("virtual_server", "tls_route", VS(" tls_route t {\n sni a.test\n pool default\n }"),
	    VS_L, "tls_route: needs 'lb_kind NAT'"),
	GOOD("tls_route", "sni", VS(" lb_kind NAT\n tls_route t { sni a.test *.b.test pool default }")),
	BAD("tls_route", "sni", VS(" lb_kind NAT\n tls_route t {\n sni a.*.test\n pool default\n }"),
	    VS_L + 2, "sni: 'a.*.test': a wildcard is only allowed as a leading '*.'"),
	GOOD("tls_route", "pool", VS(" lb_kind NAT\n tls_route t { sni a.test pool default }")),
	BAD("tls_route", "pool", VS(" lb_kind NAT\n tls_route t {\n sni a.test\n pool nosuch\n }"),
	    VS_L + 1, "tls_route t: no real_server has 'pool nosuch'"),
	GOOD("virtual_server", "default_pool", VS(" default_pool default")),
	BAD("virtual_server", "default_pool", VS(" default_pool web"), 1,
	    "default_pool: no real_server has 'pool web'"),
	BAD("virtual_server", "default_pool", VS(" default_pool"), VS_L,
	    "default_pool: missing value"),
	GOOD("virtual_server", "sorry_server", VS(" sorry_server 192.0.2.99 80")),
	BAD("virtual_server", "sorry_server", VS(" sorry_server 192.0.2.99"), VS_L,
	    "sorry_server: needs at least 2 arguments"),
	BAD("virtual_server", "sorry_server", VS(" sorry_server 192.0.2.99 0"), VS_L,
	    "sorry_server: '0' is not a port (1..65535)"),
	BAD("virtual_server", "sorry_server", VS(" sorry_server sorry.example 80"), VS_L,
	    "sorry_server: 'sorry.example' is not an IPv4 or IPv6 address"),
	GOOD("virtual_server", "quorum", VS(" quorum 2")),
	BAD("virtual_server", "quorum", VS(" quorum 1000001"), VS_L,
	    "quorum: 1000001 is out of range 0..1000000"),
	GOOD("virtual_server", "hysteresis", VS(" hysteresis 1")),
	BAD("virtual_server", "hysteresis", VS(" hysteresis -1"), VS_L,
	    "hysteresis: '-1' must not be negative"),
	SCRIPT_CASES("virtual_server", "quorum_up", VS, VS_L),
	SCRIPT_CASES("virtual_server", "quorum_down", VS, VS_L),
	FLAG_CASES("virtual_server", "alpha", VS, VS_L),
	FLAG_CASES("virtual_server", "omega", VS, VS_L),
	GOOD("virtual_server", "virtualhost", VS(" virtualhost www.example.com")),
	BAD("virtual_server", "virtualhost", VS(" virtualhost a b"), VS_L,
	    "virtualhost: too many arguments (at most 1)"),
	GOOD("virtual_server", "real_server", VS(" real_server 192.0.2.102 8080 {\n }")),
	GOOD("virtual_server", "real_server", VS(" real_server 192.0.2.101 8081 {\n }")),
	BAD("virtual_server", "real_server", VS(" real_server 192.0.2.102 {\n }"), VS_L,
	    "real_server: needs at least 2 arguments"),
	BAD("virtual_server", "real_server", VS(" real_server 192.0.2.300 80 {\n }"), VS_L,
	    "real_server: '192.0.2.300' is not an IPv4 or IPv6 address"),
	BAD("virtual_server", "real_server", VS(" real_server 192.0.2.102 0 {\n }"), VS_L,
	    "real_server: '0' is not a port (1..65535)"),
	BAD("virtual_server", "real_server", VS(" real_server 192.0.2.101 8080 {\n }"), 4,
	    "real_server 192.0.2.101 8080: defined twice in this virtual_server (first on line 2)"),

	/* http_route */
	GOOD("http_route", "auth_users", RT(" auth_users {\n alice " AUTH_HASH "\n }")),
	BAD("http_route", "auth_users", RT(" auth_users {\n a:b " AUTH_HASH "\n }"), RT_L + 1,
	    "auth_users: user 'a:b': a user name cannot hold ':'"),
	GOOD("http_route", "auth_realm", RT(" auth_realm \"Admin\"\n auth_users {\n alice "
	    AUTH_HASH "\n }")),
	BAD("http_route", "auth_realm", RT(" auth_realm x"), VS_L,
	    "http_route r: auth_realm and auth_forward need auth_users"),
	GOOD("http_route", "auth_forward", RT(" auth_forward\n auth_users {\n alice " AUTH_HASH
	    "\n }")),
	BAD("http_route", "auth_forward", RT(" auth_forward"), VS_L,
	    "http_route r: auth_realm and auth_forward need auth_users"),
	GOOD("http_route", "host", RT(" host api.example.com *.example.org")),
	BAD("http_route", "host", RT(" host api.*.com"), RT_L,
	    "host: 'api.*.com': a wildcard is only allowed as a leading '*.'"),
	BAD("http_route", "host", RT(" host *example.com"), RT_L,
	    "host: '*example.com': a wildcard is only allowed as a leading '*.'"),
	GOOD("http_route", "path_prefix", RT(" path_prefix /v1/ /v2/")),
	BAD("http_route", "path_prefix", RT(" path_prefix v1"), RT_L,
	    "path_prefix: 'v1' must start with '/'"),
	GOOD("http_route", "path_regex", RT(" path_regex ^/api/v[0-9]+/")),
	BAD("http_route", "path_regex", RT(" path_regex (unclosed"), RT_L,
	    "path_regex: bad regular expression '(unclosed'"),
	GOOD("http_route", "header", RT(" header X-Env ^prod$")),
	BAD("http_route", "header", RT(" header X-Env"), RT_L,
	    "header: needs at least 2 arguments"),
	BAD("http_route", "header", RT(" header X-Env [a-"), RT_L,
	    "header: bad regular expression '[a-'"),
	GOOD("http_route", "cookie", RT(" cookie session")),
	GOOD("http_route", "cookie", RT(" cookie session abc")),
	BAD("http_route", "cookie", RT(" cookie"), RT_L, "cookie: missing value"),
	BAD("http_route", "cookie", RT(" cookie a b c"), RT_L,
	    "cookie: too many arguments (at most 2)"),
	GOOD("http_route", "method", RT(" method GET POST delete")),
	BAD("http_route", "method", RT(" method GET FETCH"), RT_L,
	    "method: 'FETCH' is not one of GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH, TRACE, "
	    "CONNECT"),
	GOOD("http_route", "source", RT(" source 192.0.2.0/24 2001:db8::/32 203.0.113.7")),
	BAD("http_route", "source", RT(" source 192.0.2.0/33"), RT_L,
	    "source: '192.0.2.0/33' is not an address or ADDRESS/PREFIXLEN"),
	GOOD("http_route", "pool", RT0(" pool default")),
	BAD("http_route", "pool", RT0(" pool"), RT0_L, "pool: missing value"),
	BAD("http_route", "pool", RT0(" pool a b"), RT0_L, "pool: too many arguments (at most 1)"),

	/* real_server */
	GOOD("real_server", "weight", RS(" weight 3")),
	GOOD("real_server", "weight", RS(" weight 0")),
	BAD("real_server", "weight", RS(" weight 65536"), RS_L,
	    "weight: 65536 is out of range 0..65535"),
	BAD("real_server", "weight", RS(" weight -1"), RS_L, "weight: '-1' must not be negative"),
	GOOD("real_server", "pool", RS(" pool web")),
	BAD("real_server", "pool", RS(" pool"), RS_L, "pool: missing value"),
	FLAG_CASES("real_server", "inhibit_on_failure", RS, RS_L),
	SCRIPT_CASES("real_server", "notify_up", RS, RS_L),
	SCRIPT_CASES("real_server", "notify_down", RS, RS_L),
	GOOD("real_server", "maxconn", RS(" maxconn 100")),
	GOOD("real_server", "slowstart", RS(" slowstart 30s")),
	BAD("real_server", "slowstart", RS(" slowstart 2h"), RS_L,
	    "slowstart: 2h is out of range 0..3600 s"),
	BAD("real_server", "maxconn", RS(" maxconn 1000001"), RS_L,
	    "maxconn: 1000001 is out of range 0..1000000"),
	GOOD("real_server", "cookie", RS(" cookie s1")),
	BAD("real_server", "cookie", RS(" cookie a~b"), 2,
	    "cookie: 'a~b' is not a cookie value (1 to 63 printable bytes"),
	BAD("real_server", "cookie", RS(" cookie s 1"), RS_L,
	    "cookie: too many arguments (at most 1)"),
	GOOD("real_server", "error_limit", RS(" error_limit 0")),
	BAD("real_server", "error_limit", RS(" error_limit 1001"), RS_L,
	    "error_limit: 1001 is out of range 0..1000"),
	GOOD("real_server", "rise", RS(" rise 2")),
	BAD("real_server", "rise", RS(" rise 0"), RS_L, "rise: 0 is out of range 1..100"),
	GOOD("real_server", "fall", RS(" fall 100")),
	BAD("real_server", "fall", RS(" fall 101"), RS_L, "fall: 101 is out of range 1..100"),
	GOOD("real_server", "TCP_CHECK", RS(" TCP_CHECK {\n connect_timeout 3\n }")),
	GOOD("real_server", "TCP_CHECK", RS(" TCP_CHECK { }\n TCP_CHECK { connect_port 81 }")),
	BAD("real_server", "TCP_CHECK", RS(" TCP_CHECK"), RS_L,
	    "TCP_CHECK: expected '{' to open its block"),
	BAD("real_server", "TCP_CHECK", RS(" TCP_CHECK 80 {\n }"), RS_L,
	    "TCP_CHECK: too many arguments (at most 0)"),
	GOOD("real_server", "HTTP_GET", RS(" HTTP_GET {\n url {\n path /\n }\n }")),
	BAD("real_server", "HTTP_GET", RS(" HTTP_GET {\n }"), RS_L,
	    "HTTP_GET: needs at least one 'url { path ... }'"),
	GOOD("real_server", "SSL_GET", RS(" SSL_GET {\n url {\n path /\n }\n }")),
	BAD("real_server", "SSL_GET", RS(" SSL_GET {\n connect_port 443\n }"), RS_L,
	    "SSL_GET: needs at least one 'url { path ... }'"),
	GOOD("real_server", "MISC_CHECK", RS(" MISC_CHECK {\n misc_path /bin/true\n }")),
	BAD("real_server", "MISC_CHECK", RS(" MISC_CHECK {\n }"), RS_L,
	    "MISC_CHECK: missing 'misc_path'"),

	/* TCP_CHECK */
	CHECK_CONNECT("TCP_CHECK", TCP, TCP_L),
	CHECK_COMMON("TCP_CHECK", TCP, TCP_L),

	/* HTTP_GET and SSL_GET (one table) */
	CHECK_CONNECT("HTTP_GET", HTTP, HTTP_L),
	CHECK_COMMON("HTTP_GET", HTTP, HTTP_L),
	GOOD("HTTP_GET", "url", HTTP(" url {\n path /second\n }")),
	BAD("HTTP_GET", "url", HTTP(" url {\n }"), HTTP_L, "url: missing 'path'"),
	BAD("HTTP_GET", "url", HTTP(" url /x {\n }"), HTTP_L,
	    "url: too many arguments (at most 0)"),
	GOOD("HTTP_GET", "http_protocol", HTTP(" http_protocol 1.1")),
	GOOD("HTTP_GET", "http_protocol", HTTP(" http_protocol 1.0C")),
	BAD("HTTP_GET", "http_protocol", HTTP(" http_protocol 2"), HTTP_L,
	    "http_protocol: '2' is not one of 1.0, 1.0C, 1.1"),
	GOOD("HTTP_GET", "virtualhost", HTTP(" virtualhost www.example.com")),
	BAD("HTTP_GET", "virtualhost", HTTP(" virtualhost"), HTTP_L, "virtualhost: missing value"),
	GOOD("SSL_GET", "enable_sni", SSL(" enable_sni")),
	BAD("HTTP_GET", "enable_sni", HTTP(" enable_sni"), RS_L,
	    "enable_sni: only SSL_GET uses TLS"),
	BAD("SSL_GET", "enable_sni", SSL(" enable_sni on"), HTTP_L,
	    "enable_sni: too many arguments (at most 0)"),
	GOOD("HTTP_GET", "fast_recovery", HTTP(" fast_recovery")),
	GOOD("SSL_GET", "fast_recovery", SSL(" fast_recovery no")),
	BAD("HTTP_GET", "fast_recovery", HTTP(" fast_recovery maybe"), HTTP_L,
	    "fast_recovery: 'maybe' is not one of on, yes, true, off, no, false"),
	GOOD("SSL_GET", "connect_port", SSL(" connect_port 443")),
	BAD("SSL_GET", "connect_timeout", SSL(" connect_timeout 0"), HTTP_L,
	    "connect_timeout: 0 is out of range 0.01..3600 s"),

	/* url */
	GOOD("url", "path", URL(" path /healthz?full=1")),
	BAD("url", "path", URL(" path healthz"), URL_L, "path: 'healthz' must start with '/'"),
	BAD("url", "path", URL(" path"), URL_L, "path: missing value"),
	GOOD("url", "status_code", URLP(" status_code 200")),
	GOOD("url", "status_code", URLP(" status_code 200-299 301,302-308 404")),
	BAD("url", "status_code", URLP(" status_code 99"), URLP_L,
	    "status_code: '99' is not a status (100..599), a range like 200-299, or a comma "
	    "list of them (at most 16)"),
	BAD("url", "status_code", URLP(" status_code 600"), URLP_L,
	    "status_code: '600' is not a status"),
	BAD("url", "status_code", URLP(" status_code 300-200"), URLP_L,
	    "status_code: '300-200' is not a status"),
	BAD("url", "status_code", URLP(" status_code 200-"), URLP_L,
	    "status_code: '200-' is not a status"),
	BAD("url", "status_code", URLP(" status_code 200,,300"), URLP_L,
	    "status_code: '200,,300' is not a status"),
	BAD("url", "status_code", URLP(" status_code 2xx"), URLP_L,
	    "status_code: '2xx' is not a status"),
	BAD("url", "status_code",
	    URLP(" status_code 200,201,202,203,204,205,206,207,208,209,210,211,212,213,214,"
	    "215,216"),
	    URLP_L, "(at most 16)"),
	GOOD("url", "digest", URLP(" digest 9e107d9d372bb6826bd81d3542a419d6")),
	GOOD("url", "digest", URLP(" digest 9E107D9D372BB6826BD81D3542A419D6")),
	BAD("url", "digest", URLP(" digest 9e107d9d"), URLP_L,
	    "digest: '9e107d9d' is not an MD5 digest (32 hex digits)"),
	BAD("url", "digest", URLP(" digest 9e107d9d372bb6826bd81d3542a419dg"), URLP_L,
	    "is not an MD5 digest"),
	GOOD("url", "virtualhost", URLP(" virtualhost www.example.com")),
	BAD("url", "virtualhost", URLP(" virtualhost"), URLP_L, "virtualhost: missing value"),

	/* MISC_CHECK */
	GOOD("MISC_CHECK", "misc_path", MISC0(" misc_path \"/usr/bin/check --fast\"")),
	GOOD("MISC_CHECK", "misc_path", MISC0(" misc_path /usr/bin/check --fast")),
	BAD("MISC_CHECK", "misc_path", MISC0(" misc_path"), MISC0_L, "misc_path: missing value"),
	GOOD("MISC_CHECK", "misc_timeout", MISC(" misc_timeout 5")),
	BAD("MISC_CHECK", "misc_timeout", MISC(" misc_timeout 0"), MISC_L,
	    "misc_timeout: 0 is out of range 0.01..3600 s"),
	FLAG_CASES("MISC_CHECK", "misc_dynamic", MISC, MISC_L),
	GOOD("MISC_CHECK", "user", MISC(" user nobody")),
	BAD("MISC_CHECK", "user", MISC(" user nobody nogroup"), MISC_L,
	    "user: too many arguments (at most 1)"),
	CHECK_COMMON("MISC_CHECK", MISC, MISC_L),
};

START_TEST(test_keyword)
{
	const struct kw_case *c = &kw_cases[_i];

	expect(c->text, NULL, c->line, c->err, c->src_line);
}
END_TEST

/* Every keyword in the tables ------------------------------------------------------- */

struct walked {
	const char		*parent;
	const struct cfg_kw	*kw;
};

static struct walked walked[512];
static int nwalked;
/* Indexes into walked[] of the supported and of the refused keywords. */
static int supported[512], nsupported;
static int refused[512], nrefused;

static void
walk_collect(const char *parent, const struct cfg_kw *kw, void *arg)
{
	if (nwalked == (int)NELEM(walked))
		return;
	if (kw->kind == CFG_UNSUPPORTED)
		refused[nrefused++] = nwalked;
	else
		supported[nsupported++] = nwalked;
	walked[nwalked++] = (struct walked){ parent, kw };
}

/* Runs in test_suite(), before the loops are sized: the forked tests
 * inherit the arrays. */
static void
walk_tables(void)
{
	if (nwalked == 0)
		cfg_walk(conf_root_kws, walk_collect, NULL);
}

static const struct cfg_kw *
find_kw(const char *parent, const char *name)
{
	int i;

	for (i = 0; i < nwalked; i++)
		if (strcmp(walked[i].parent, parent) == 0 && strcmp(walked[i].kw->name, name) == 0)
			return walked[i].kw;
	return NULL;
}

/* Every case names a keyword that exists where it says. */
START_TEST(test_case_names_exist)
{
	size_t i;

	for (i = 0; i < NELEM(kw_cases); i++)
		ck_assert_msg(find_kw(kw_cases[i].parent, kw_cases[i].kw) != NULL,
		    "case at test_cfg.c:%d: no keyword '%s' in '%s'", kw_cases[i].src_line,
		    kw_cases[i].kw, kw_cases[i].parent);
}
END_TEST

/* Every supported keyword has a good and a bad case.  Blocks sharing a
 * table (HTTP_GET and SSL_GET) share their cases.  One test lists every
 * keyword missing a case. */
START_TEST(test_every_keyword_covered)
{
	char missing[2048] = "";
	int i, nmissing = 0;
	size_t j;

	for (i = 0; i < nsupported; i++) {
		const struct walked *w = &walked[supported[i]];
		bool good = false, bad = false;

		for (j = 0; j < NELEM(kw_cases); j++) {
			if (find_kw(kw_cases[j].parent, kw_cases[j].kw) != w->kw)
				continue;
			if (kw_cases[j].line == 0)
				good = true;
			else
				bad = true;
		}
		if (good && bad)
			continue;
		nmissing++;
		snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), " %s/%s%s",
		    w->parent, w->kw->name, good ? " (bad)" : bad ? " (good)" : "");
	}
	ck_assert_msg(nmissing == 0, "%d keywords lack a case:%s", nmissing, missing);
	ck_assert_int_gt(nsupported, 150);
}
END_TEST

/* Where each block's keywords can be tried. */
static const struct {
	const char	*parent;
	const char	*head;
	const char	*tail;
	int		 line;
} wrappers[] = {
	{ "",			"",		"\n",		1 },
	{ "global_defs",	GD_HEAD,	GD_TAIL,	GD_L },
	{ "vrrp_sync_group",	SG_HEAD,	SG_TAIL,	SG_L },
	{ "vrrp_instance",	VI_HEAD,	VI_TAIL,	VI_L },
	{ "virtual_server",	VS_HEAD,	VS_TAIL,	VS_L },
	{ "real_server",	RS_HEAD,	RS_TAIL,	RS_L },
	{ "TCP_CHECK",		TCP_HEAD,	TCP_TAIL,	TCP_L },
	{ "HTTP_GET",		HTTP_HEAD,	HTTP_TAIL,	HTTP_L },
	{ "SSL_GET",		SSL_HEAD,	HTTP_TAIL,	HTTP_L },
	{ "MISC_CHECK",		MISC_HEAD,	MISC_TAIL,	MISC_L },
	{ "url",		URLP_HEAD,	URLP_TAIL,	URLP_L },
};

/* Every refused keyword is refused where it is listed, with its reason,
 * whatever arguments or block follow it. */
START_TEST(test_unsupported)
{
	const struct walked *w = &walked[refused[_i]];
	char text[1024], err[512];
	size_t i;

	ck_assert_msg(w->kw->reason != NULL && w->kw->reason[0] != '\0',
	    "%s %s: refused without a reason", w->parent, w->kw->name);
	for (i = 0; i < NELEM(wrappers); i++)
		if (strcmp(wrappers[i].parent, w->parent) == 0)
			break;
	ck_assert_msg(i < NELEM(wrappers), "no wrapper for block '%s'", w->parent);
	snprintf(text, sizeof(text), "%s %s a b {\n c d\n }%s", wrappers[i].head, w->kw->name,
	    wrappers[i].tail);
	snprintf(err, sizeof(err), "%s: not supported: %s", w->kw->name, w->kw->reason);
	expect(text, NULL, wrappers[i].line, err, __LINE__);
}
END_TEST

START_TEST(test_walk_reaches_nested)
{
	ck_assert_ptr_nonnull(find_kw("authentication", "auth_pass"));
	ck_assert_ptr_nonnull(find_kw("url", "status_code"));
	ck_assert_ptr_nonnull(find_kw("http_route", "path_prefix"));
	ck_assert_ptr_eq(find_kw("HTTP_GET", "url"), find_kw("SSL_GET", "url"));
	ck_assert_ptr_null(find_kw("global_defs", "priority"));
	ck_assert_int_gt(nwalked, 150);
	ck_assert_int_lt(nwalked, (int)NELEM(walked));
}
END_TEST

/* Value types -------------------------------------------------------------------- */

/* Durations, through preempt_delay (0..1000 s). */
static const struct {
	const char	*arg;
	long long	 ms;		/* -1: refused */
} duration_cases[] = {
	{ "0",		0 },
	{ "1",		1000 },
	{ "1.5",	1500 },
	{ ".5",		500 },
	{ "250ms",	250 },
	{ "2s",		2000 },
	{ "1m",		60000 },
	{ "0.25m",	15000 },
	{ "1000",	1000000 },
	{ "1000.001",	-1 },
	{ "17m",	-1 },
	{ "1h",		-1 },
	{ "1S",		-1 },
	{ "1.5x",	-1 },
	{ "ms",		-1 },
	{ "-1",		-1 },
	{ "+1",		-1 },
	{ "nan",	-1 },
	{ "inf",	-1 },
	{ "1e400",	-1 },
	{ "\"\"",	-1 },
};

START_TEST(test_duration)
{
	char text[256];
	struct conf_errors errs;
	struct conf *c;

	snprintf(text, sizeof(text), VI(" preempt_delay %s"), duration_cases[_i].arg);
	c = conf_load_string("t.conf", text, NULL, &errs);
	if (duration_cases[_i].ms < 0) {
		ck_assert_msg(c == NULL, "'%s' accepted as %u ms", duration_cases[_i].arg,
		    c->vrrp_instances->preempt_delay_ms);
		ck_assert_int_eq(errs.n, 1);
		ck_assert_ptr_nonnull(strstr(errs.msg[0], "t.conf:4: preempt_delay: "));
		conf_errors_free(&errs);
		return;
	}
	ck_assert_msg(c != NULL, "'%s': %s", duration_cases[_i].arg, errs.n ? errs.msg[0] : "");
	ck_assert_uint_eq(c->vrrp_instances->preempt_delay_ms, duration_cases[_i].ms);
	conf_free(c);
}
END_TEST

/* Booleans, through vrrp_min_garp; integers, through priority. */
static const struct {
	const char	*text;
	int		 want;		/* -1: refused */
} scalar_cases[] = {
#define B(arg, want)	{ GD(" vrrp_min_garp" arg), want }
	B("", 1), B(" on", 1), B(" yes", 1), B(" true", 1), B(" ON", 1), B(" True", 1),
	B(" off", 0), B(" no", 0), B(" false", 0), B(" NO", 0),
	B(" 1", -1), B(" 0", -1), B(" enable", -1), B(" \"\"", -1),
#undef B
#define P(arg, want)	{ VI(" priority " arg), want }
	P("1", 1), P("255", 255), P("0100", 100), P("+7", 7),
	P("0x10", -1), P("1.5", -1), P("1e2", -1), P("99999999999999999999", -1), P("\"\"", -1),
	P("-0", -1),
#undef P
};

START_TEST(test_scalar)
{
	struct conf_errors errs;
	struct conf *c = conf_load_string("t.conf", scalar_cases[_i].text, NULL, &errs);
	int got;

	if (scalar_cases[_i].want < 0) {
		ck_assert_ptr_null(c);
		ck_assert_int_eq(errs.n, 1);
		conf_errors_free(&errs);
		return;
	}
	ck_assert_msg(c != NULL, "%s", errs.n ? errs.msg[0] : "");
	got = c->vrrp_instances != NULL ? (int)c->vrrp_instances->priority :
	    c->global.vrrp_min_garp;
	ck_assert_int_eq(got, scalar_cases[_i].want);
	conf_free(c);
}
END_TEST

static void
make_secret_fixture(void)
{
	FILE *f;

	(void)unlink(SECRET_FIXTURE);
	if ((f = fopen(SECRET_FIXTURE, "w")) == NULL)
		return;			/* the GOOD case then fails and says why */
	fputs("0123456789abcdef0123\n", f);
	fclose(f);
	(void)chmod(SECRET_FIXTURE, 0600);
}

Suite *
test_suite(void)
{
	Suite *s = suite_create("cfg");
	TCase *tc;

	walk_tables();
	make_secret_fixture();

	tc = tcase_create("lexer");
	tcase_add_loop_test(tc, test_frame, 0, NELEM(frame_cases));
	tcase_add_loop_test(tc, test_quote, 0, NELEM(quote_cases));
	tcase_add_test(tc, test_quote_limit);
	tcase_add_test(tc, test_too_many_words);
	tcase_add_test(tc, test_error_recovery);
	tcase_add_test(tc, test_long_file_name);
	tcase_add_test(tc, test_script_takes_rest_of_line);
	tcase_add_loop_test(tc, test_condition, 0, NELEM(cond_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("include");
	tcase_add_unchecked_fixture(tc, include_setup, include_teardown);
	tcase_add_loop_test(tc, test_include_ok, 0, NELEM(include_ok_cases));
	tcase_add_loop_test(tc, test_include_bad, 0, NELEM(include_bad_cases));
	tcase_add_test(tc, test_include_absolute);
	suite_add_tcase(s, tc);

	tc = tcase_create("keywords");
	tcase_add_loop_test(tc, test_keyword, 0, NELEM(kw_cases));
	tcase_add_test(tc, test_case_names_exist);
	tcase_add_test(tc, test_every_keyword_covered);
	tcase_add_loop_test(tc, test_unsupported, 0, nrefused);
	tcase_add_test(tc, test_walk_reaches_nested);
	suite_add_tcase(s, tc);

	tc = tcase_create("types");
	tcase_add_loop_test(tc, test_duration, 0, NELEM(duration_cases));
	tcase_add_loop_test(tc, test_scalar, 0, NELEM(scalar_cases));
	suite_add_tcase(s, tc);
	return s;
}
