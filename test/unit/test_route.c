/* The request router: each http_route condition alone and combined (AND
 * across kinds, OR within one), route order, the default pool, the
 * scheduler's hash keys, and tls_route's pick by server name.  Virtual servers come from config text through
 * conf_load_string(), so regexes are compiled as the daemon compiles
 * them. */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keepalive-l7/conf_load.h"
#include "splice/route.h"
#include "test/unit/tmain.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_HDRS	16

/* Fixtures -------------------------------------------------------------------- */

/* A virtual server of lb_kind kind with the given routes (and other
 * lines), default pool "web", and one server in each of the pools web,
 * a, b and c. */
static struct conf *
load_vs_kind(const char *kind, const char *lines)
{
	struct conf_errors errs;
	struct conf *c;
	char text[8192];

	snprintf(text, sizeof(text),
	    "virtual_server 192.0.2.10 80 {\n"
	    "  lb_kind %s\n"
	    "%s"
	    "  default_pool web\n"
	    "  real_server 198.51.100.1 80 { pool web }\n"
	    "  real_server 198.51.100.2 80 { pool a }\n"
	    "  real_server 198.51.100.3 80 { pool b }\n"
	    "  real_server 198.51.100.4 80 { pool c }\n"
	    "}\n", kind, lines);
	c = conf_load_string("t.conf", text, NULL, &errs);
	ck_assert_msg(c != NULL, "%s", errs.n > 0 ? errs.msg[0] : "?");
	return c;
}

static struct conf *
load_vs(const char *lines)
{
	return load_vs_kind("L7", lines);
}

/* A request as test tables write it. */
struct req {
	const char	*method;	/* NULL: GET */
	const char	*host;		/* NULL: no Host */
	const char	*path;		/* NULL: "/" */
	const char	*hdrs;		/* "Name: value\n" lines; NULL: none */
	const char	*src;		/* NULL: 203.0.113.7; "-": unknown */
};

struct req_buf {
	struct route_req	r;
	struct http1_hdr	h[MAX_HDRS];
	struct kl_addr		src;
};

static unsigned
method_bit(const char *m)
{
	const struct cfg_enum *e;

	for (e = conf_method_names; e->name != NULL; e++)
		if (strcmp(e->name, m) == 0)
			return 1u << e->value;
	return 0;
}

/* Split "Name: value\n..." into headers pointing into the text, as the
 * parser would (value without the leading space). */
static size_t
split_hdrs(const char *s, struct http1_hdr *h)
{
	const char *nl, *colon;
	size_t n = 0;

	for (; s != NULL && *s != '\0'; s = nl + 1) {
		nl = strchr(s, '\n');
		colon = strchr(s, ':');
		ck_assert(nl != NULL && colon != NULL && colon < nl && n < MAX_HDRS);
		h[n].name = s;
		h[n].name_len = (size_t)(colon - s);
		h[n].value = colon + 1;
		while (*h[n].value == ' ')
			h[n].value++;
		h[n].value_len = (size_t)(nl - h[n].value);
		n++;
	}
	return n;
}

static const struct route_req *
make_req(const struct req *q, struct req_buf *b)
{
	const char *src = q->src != NULL ? q->src : "203.0.113.7";

	memset(b, 0, sizeof(*b));
	b->r.method_bit = method_bit(q->method != NULL ? q->method : "GET");
	b->r.host = q->host;
	b->r.host_len = q->host != NULL ? strlen(q->host) : 0;
	b->r.path = q->path != NULL ? q->path : "/";
	b->r.path_len = strlen(b->r.path);
	b->r.n_hdrs = split_hdrs(q->hdrs, b->h);
	b->r.hdrs = b->h;
	if (strcmp(src, "-") != 0) {
		ck_assert_int_eq(addr_parse(src, &b->src), 0);
		b->r.src = &b->src;
	}
	return &b->r;
}

/* Routing table --------------------------------------------------------------- */

#define R_HOST		"http_route r {\n  host api.example.com *.example.org\n  pool a\n}\n"
#define R_PREFIX	"http_route r {\n  path_prefix /api/ /v2\n  pool a\n}\n"
#define R_PHP		"http_route r {\n  path_regex '[.]php$'\n  pool a\n}\n"
#define R_IMG		"http_route r {\n  path_regex '^/img/[0-9]+$'\n  pool a\n}\n"
#define R_ADMIN		"http_route r {\n  path_regex admin\n  pool a\n}\n"
#define R_HDR		"http_route r {\n  header X-Env '^(canary|beta)$'\n  pool a\n}\n"
#define R_COOKIE	"http_route r {\n  cookie grp beta\n  pool a\n}\n"
#define R_PRESENT	"http_route r {\n  cookie sess\n  pool a\n}\n"
#define R_METHOD	"http_route r {\n  method GET HEAD\n  pool a\n}\n"
#define R_SOURCE	"http_route r {\n  source 192.0.2.0/24 2001:db8:1::/48 10.1.2.3\n  pool a\n}\n"
#define R_AND		"http_route r {\n  host api.example.com\n  path_prefix /v1/\n" \
			"  method POST\n  header X-Env '^canary$'\n  cookie grp beta\n" \
			"  source 192.0.2.0/24\n  pool a\n}\n"
#define R_OR		"http_route r {\n  host x.test y.test\n  path_prefix /a/ /b/\n  pool a\n}\n"
#define R_ORDER		"http_route r1 {\n  path_prefix /api/\n  pool a\n}\n" \
			"http_route r2 {\n  path_prefix /api/v2/\n  pool b\n}\n" \
			"http_route r3 {\n  host x.test\n  pool c\n}\n"
#define R_CATCHALL	"http_route r1 {\n  host a.test\n  pool a\n}\n" \
			"http_route all {\n  pool b\n}\n" \
			"http_route never {\n  host a.test\n  pool c\n}\n"

static const struct route_case {
	const char	*routes;
	struct req	 req;
	const char	*pool;
	const char	*why;
} route_cases[] = {
	{ "", { .host = "api.example.com" }, "web", "no routes: default pool" },

	{ R_HOST, { .host = "api.example.com" }, "a", "exact host" },
	{ R_HOST, { .host = "API.Example.COM" }, "a", "host is case-insensitive" },
	{ R_HOST, { .host = "www.example.org" }, "a", "wildcard host" },
	{ R_HOST, { .host = "a.b.example.org" }, "a", "wildcard covers several labels" },
	{ R_HOST, { .host = "WWW.EXAMPLE.ORG" }, "a", "wildcard, case-insensitive" },
	{ R_HOST, { .host = "example.org" }, "web", "wildcard does not match the bare domain" },
	{ R_HOST, { .host = "badexample.org" }, "web", "wildcard suffix starts with a dot" },
	{ R_HOST, { .host = ".example.org" }, "web", "wildcard needs a label" },
	{ R_HOST, { .host = "api.example.com.evil" }, "web", "exact host is not a prefix" },
	{ R_HOST, { .host = "api.example.co" }, "web", "exact host is not a suffix" },
	{ R_HOST, { .host = "pi.example.com" }, "web", "exact host, shorter" },
	{ R_HOST, { .host = "" }, "web", "empty host" },
	{ R_HOST, { .host = NULL }, "web", "no host" },

	{ R_PREFIX, { .path = "/api/x" }, "a", "prefix" },
	{ R_PREFIX, { .path = "/api/" }, "a", "prefix, whole path" },
	{ R_PREFIX, { .path = "/api" }, "web", "shorter than the prefix" },
	{ R_PREFIX, { .path = "/API/x" }, "web", "prefix is case-sensitive" },
	{ R_PREFIX, { .path = "/v2" }, "a", "second prefix" },
	{ R_PREFIX, { .path = "/v2beta" }, "a", "prefixes are byte-wise, not by segment" },
	{ R_PREFIX, { .path = "/x/api/" }, "web", "prefix anchors at the start" },

	{ R_PHP, { .path = "/index.php" }, "a", "regex with $" },
	{ R_PHP, { .path = "/index.php5" }, "web", "$ anchors at the end" },
	{ R_PHP, { .path = "/a.php/x" }, "web", "$ anchors at the end, not a segment" },
	{ R_PHP, { .path = "/indexXphp" }, "web", "[.] is a literal dot" },
	{ R_IMG, { .path = "/img/42" }, "a", "anchored both ends" },
	{ R_IMG, { .path = "/img/42/x" }, "web", "anchored: nothing after" },
	{ R_IMG, { .path = "/x/img/42" }, "web", "anchored: nothing before" },
	{ R_IMG, { .path = "/img/" }, "web", "+ needs one digit" },
	{ R_ADMIN, { .path = "/x/admin/y" }, "a", "unanchored: searched anywhere" },
	{ R_ADMIN, { .path = "/x/Admin/y" }, "web", "regex is case-sensitive" },

	{ R_HDR, { .hdrs = "X-Env: canary\n" }, "a", "header regex" },
	{ R_HDR, { .hdrs = "x-env: beta\n" }, "a", "header name is case-insensitive" },
	{ R_HDR, { .hdrs = "X-ENV: beta\n" }, "a", "header name, upper case" },
	{ R_HDR, { .hdrs = "X-Env: Canary\n" }, "web", "header value regex is case-sensitive" },
	{ R_HDR, { .hdrs = "X-Env: canaryx\n" }, "web", "header regex anchored" },
	{ R_HDR, { .hdrs = "X-Env: prod\nX-Env: beta\n" }, "a", "any header of that name" },
	{ R_HDR, { .hdrs = "X-Envy: beta\n" }, "web", "another header name" },
	{ R_HDR, { .hdrs = "X-Env: \n" }, "web", "empty value" },
	{ R_HDR, { .hdrs = "Host: x\n" }, "web", "no such header" },

	{ R_COOKIE, { .hdrs = "Cookie: grp=beta\n" }, "a", "cookie" },
	{ R_COOKIE, { .hdrs = "Cookie: a=1; grp=beta; c=3\n" }, "a", "cookie in a list" },
	{ R_COOKIE, { .hdrs = "Cookie: a=1;grp=beta\n" }, "a", "no space after ;" },
	{ R_COOKIE, { .hdrs = "Cookie:  a=1 ;\tgrp = beta ; \n" }, "a", "spaces and tabs" },
	{ R_COOKIE, { .hdrs = "Cookie: a=1\nX-A: b\nCookie: grp=beta\n" }, "a",
	  "second Cookie header" },
	{ R_COOKIE, { .hdrs = "cookie: grp=beta\n" }, "a", "Cookie header name, any case" },
	{ R_COOKIE, { .hdrs = "Cookie: grp=\"beta\"\n" }, "a", "quoted value" },
	{ R_COOKIE, { .hdrs = "Cookie: grp=\"beta\n" }, "web", "unbalanced quote kept" },
	{ R_COOKIE, { .hdrs = "Cookie: grpx=beta\n" }, "web", "name is a prefix of another" },
	{ R_COOKIE, { .hdrs = "Cookie: xgrp=beta\n" }, "web", "name is a suffix of another" },
	{ R_COOKIE, { .hdrs = "Cookie: GRP=beta\n" }, "web", "cookie names are case-sensitive" },
	{ R_COOKIE, { .hdrs = "Cookie: grp=betax\n" }, "web", "value is exact" },
	{ R_COOKIE, { .hdrs = "Cookie: grp=Beta\n" }, "web", "value is case-sensitive" },
	{ R_COOKIE, { .hdrs = "Cookie: grp=\n" }, "web", "empty value" },
	{ R_COOKIE, { .hdrs = "Cookie: grp\n" }, "web", "pair without =" },
	{ R_COOKIE, { .hdrs = "Cookie: grp=alpha; grp=beta\n" }, "web", "the first one counts" },
	{ R_COOKIE, { .hdrs = "Cookie: x=grp=beta\n" }, "web", "= inside a value" },
	{ R_COOKIE, { .hdrs = "Cookie: ;;grp=beta;\n" }, "a", "empty pairs" },
	{ R_COOKIE, { .hdrs = "X-Cookie: grp=beta\n" }, "web", "not a Cookie header" },
	{ R_COOKIE, { .hdrs = "Cookie: \n" }, "web", "empty Cookie header" },
	{ R_PRESENT, { .hdrs = "Cookie: sess=1\n" }, "a", "presence" },
	{ R_PRESENT, { .hdrs = "Cookie: sess=\n" }, "a", "presence, empty value" },
	{ R_PRESENT, { .hdrs = "Cookie: session=1\n" }, "web", "presence: exact name" },
	{ R_PRESENT, { .hdrs = "Cookie: a=sess\n" }, "web", "presence: a value is no name" },
	{ R_PRESENT, { .hdrs = "Cookie: sess\n" }, "web", "presence: pair without =" },
	{ R_PRESENT, { .hdrs = NULL }, "web", "no cookies" },

	{ R_METHOD, { .method = "GET" }, "a", "method" },
	{ R_METHOD, { .method = "HEAD" }, "a", "second method" },
	{ R_METHOD, { .method = "POST" }, "web", "method not listed" },
	{ R_METHOD, { .method = "PROPFIND" }, "web", "unknown method" },

	{ R_SOURCE, { .src = "192.0.2.77" }, "a", "source in a v4 network" },
	{ R_SOURCE, { .src = "192.0.3.1" }, "web", "source outside" },
	{ R_SOURCE, { .src = "2001:db8:1:ff::1" }, "a", "source in a v6 network" },
	{ R_SOURCE, { .src = "2001:db8:2::1" }, "web", "source outside v6" },
	{ R_SOURCE, { .src = "10.1.2.3" }, "a", "single address" },
	{ R_SOURCE, { .src = "10.1.2.4" }, "web", "next to the single address" },
	{ R_SOURCE, { .src = "::ffff:192.0.2.5" }, "a", "IPv4-mapped IPv6 source" },
	{ R_SOURCE, { .src = "::ffff:192.0.3.5" }, "web", "IPv4-mapped, outside" },
	{ R_SOURCE, { .src = "-" }, "web", "unknown source" },

	{ R_AND, { .method = "POST", .host = "api.example.com", .path = "/v1/x",
	  .hdrs = "X-Env: canary\nCookie: grp=beta\n", .src = "192.0.2.1" }, "a",
	  "all kinds hold" },
	{ R_AND, { .method = "GET", .host = "api.example.com", .path = "/v1/x",
	  .hdrs = "X-Env: canary\nCookie: grp=beta\n", .src = "192.0.2.1" }, "web",
	  "all but method" },
	{ R_AND, { .method = "POST", .host = "www.example.com", .path = "/v1/x",
	  .hdrs = "X-Env: canary\nCookie: grp=beta\n", .src = "192.0.2.1" }, "web",
	  "all but host" },
	{ R_AND, { .method = "POST", .host = "api.example.com", .path = "/v2/x",
	  .hdrs = "X-Env: canary\nCookie: grp=beta\n", .src = "192.0.2.1" }, "web",
	  "all but path" },
	{ R_AND, { .method = "POST", .host = "api.example.com", .path = "/v1/x",
	  .hdrs = "X-Env: beta\nCookie: grp=beta\n", .src = "192.0.2.1" }, "web",
	  "all but header" },
	{ R_AND, { .method = "POST", .host = "api.example.com", .path = "/v1/x",
	  .hdrs = "X-Env: canary\nCookie: grp=alpha\n", .src = "192.0.2.1" }, "web",
	  "all but cookie" },
	{ R_AND, { .method = "POST", .host = "api.example.com", .path = "/v1/x",
	  .hdrs = "X-Env: canary\nCookie: grp=beta\n", .src = "198.51.100.1" }, "web",
	  "all but source" },
	{ R_OR, { .host = "y.test", .path = "/b/1" }, "a", "second of each list" },
	{ R_OR, { .host = "x.test", .path = "/a/1" }, "a", "first of each list" },
	{ R_OR, { .host = "z.test", .path = "/a/1" }, "web", "host in no list" },
	{ R_OR, { .host = "y.test", .path = "/c/1" }, "web", "path in no list" },

	{ R_ORDER, { .path = "/api/v2/x" }, "a", "first match wins over a longer prefix" },
	{ R_ORDER, { .host = "x.test", .path = "/api/" }, "a", "first match wins" },
	{ R_ORDER, { .host = "x.test", .path = "/other" }, "c", "third route" },
	{ R_ORDER, { .host = "y.test", .path = "/other" }, "web", "none: default" },
	{ R_CATCHALL, { .host = "a.test" }, "a", "before the catch-all" },
	{ R_CATCHALL, { .host = "b.test" }, "b", "a route without conditions matches all" },
};

START_TEST(test_route_table)
{
	const struct route_case *t = &route_cases[_i];
	struct conf *c = load_vs(t->routes);
	struct req_buf b;
	const char *pool;

	pool = route_pick_pool(c->virtual_servers, make_req(&t->req, &b));
	ck_assert_msg(strcmp(pool, t->pool) == 0, "case %d (%s): pool %s, expected %s",
	    _i, t->why, pool, t->pool);
	conf_free(c);
}
END_TEST

/* Edge cases outside the table ------------------------------------------------- */

START_TEST(test_default_pool_default)
{
	struct conf_errors errs;
	struct conf *c = conf_load_string("t.conf",
	    "virtual_server 192.0.2.10 80 {\n"
	    "  http_route r {\n    host a.test\n    pool a\n  }\n"
	    "  real_server 198.51.100.1 80 { }\n"
	    "  real_server 198.51.100.2 80 { pool a }\n"
	    "}\n", NULL, &errs);
	struct req_buf b;

	ck_assert_msg(c != NULL, "%s", errs.n > 0 ? errs.msg[0] : "?");
	ck_assert_str_eq(route_pick_pool(c->virtual_servers,
	    make_req(&(struct req){ .host = "b.test" }, &b)), "default");
	ck_assert_str_eq(route_pick_pool(c->virtual_servers,
	    make_req(&(struct req){ .host = "a.test" }, &b)), "a");
	conf_free(c);
}
END_TEST

/* Regexes see a bounded copy: longer text never matches, even ".". */
START_TEST(test_regex_long_text)
{
	struct conf *c = load_vs("http_route r {\n  path_regex .\n  pool a\n}\n"
	    "http_route h {\n  header X-Long .\n  pool b\n}\n");
	static char path[ROUTE_REGEX_TEXT_MAX + 2];
	struct route_req r = { .path = path };
	struct http1_hdr h = { .name = "X-Long", .name_len = 6, .value = path };

	memset(path, 'x', sizeof(path) - 1);
	path[0] = '/';
	r.path_len = ROUTE_REGEX_TEXT_MAX;
	ck_assert_str_eq(route_pick_pool(c->virtual_servers, &r), "a");
	r.path_len = ROUTE_REGEX_TEXT_MAX + 1;
	ck_assert_str_eq(route_pick_pool(c->virtual_servers, &r), "web");
	r.hdrs = &h;
	r.n_hdrs = 1;
	h.value_len = ROUTE_REGEX_TEXT_MAX;
	ck_assert_str_eq(route_pick_pool(c->virtual_servers, &r), "b");
	h.value_len = ROUTE_REGEX_TEXT_MAX + 1;
	ck_assert_str_eq(route_pick_pool(c->virtual_servers, &r), "web");
	conf_free(c);
}
END_TEST

/* A NUL would end the C string early: "/public\0/admin" is not "^/public$". */
START_TEST(test_regex_nul)
{
	struct conf *c = load_vs("http_route r {\n  path_regex '^/public$'\n  pool a\n}\n");
	static const char path[] = "/public\0/admin";
	struct route_req r = { .path = path, .path_len = sizeof(path) - 1 };

	ck_assert_str_eq(route_pick_pool(c->virtual_servers, &r), "web");
	r.path_len = 7;
	ck_assert_str_eq(route_pick_pool(c->virtual_servers, &r), "a");
	conf_free(c);
}
END_TEST

/* The path is not NUL-terminated in the client's buffer: only path_len counts. */
START_TEST(test_path_not_terminated)
{
	struct conf *c = load_vs("http_route r {\n  path_regex '^/a$'\n  pool a\n}\n"
	    "http_route p {\n  path_prefix /ab\n  pool b\n}\n");
	static const char buf[] = "/abc HTTP/1.1";
	struct route_req r = { .path = buf, .path_len = 2 };

	ck_assert_str_eq(route_pick_pool(c->virtual_servers, &r), "a");
	r.path_len = 4;
	ck_assert_str_eq(route_pick_pool(c->virtual_servers, &r), "b");
	conf_free(c);
}
END_TEST

/* Cookies and headers ---------------------------------------------------------- */

START_TEST(test_cookie_values)
{
	struct req_buf b;
	const struct route_req *r = make_req(&(struct req){ .hdrs =
	    "Cookie: a=1; empty=; q=\"x y\"; sp = v w \n"
	    "Cookie: a=2; last=z\n" }, &b);
	const char *v;
	size_t len;

	ck_assert_ptr_nonnull(v = route_cookie(r, "a", &len));
	ck_assert_uint_eq(len, 1);
	ck_assert_int_eq(v[0], '1');
	ck_assert_ptr_nonnull(route_cookie(r, "empty", &len));
	ck_assert_uint_eq(len, 0);
	ck_assert_ptr_nonnull(v = route_cookie(r, "q", &len));
	ck_assert_int_eq(strncmp(v, "x y", len), 0);
	ck_assert_uint_eq(len, 3);
	ck_assert_ptr_nonnull(v = route_cookie(r, "sp", &len));
	ck_assert_uint_eq(len, 3);
	ck_assert_int_eq(strncmp(v, "v w", 3), 0);
	ck_assert_ptr_nonnull(v = route_cookie(r, "last", &len));
	ck_assert_int_eq(strncmp(v, "z", len), 0);
	ck_assert_ptr_null(route_cookie(r, "missing", &len));
	ck_assert_uint_eq(len, 0);
}
END_TEST

START_TEST(test_host_match)
{
	ck_assert(route_host_match("*.a.b", "x.a.b", 5));
	ck_assert(!route_host_match("*.a.b", "a.b", 3));
	ck_assert(!route_host_match("*.a.b", "xa.b", 4));
	ck_assert(route_host_match("a.b", "A.B", 3));
	ck_assert(!route_host_match("a.b", "a.bc", 3 + 1));
	ck_assert(route_host_match("a.b", "a.bc", 3));	/* host_len, not the NUL, ends it */
	ck_assert(!route_host_match("a.b", NULL, 0));
}
END_TEST

/* Hash keys ------------------------------------------------------------------- */

static struct conf *
load_algo(const char *algo, const char *key)
{
	char lines[256];

	snprintf(lines, sizeof(lines), "  lb_algo %s\n%s%s%s", algo,
	    key != NULL ? "  hash_key " : "", key != NULL ? key : "", key != NULL ? "\n" : "");
	return load_vs(lines);
}

static void
assert_key(const char *algo, const char *key, const struct req *q, const void *want,
    size_t want_len)
{
	struct conf *c = load_algo(algo, key);
	struct req_buf b;
	const void *k;
	size_t len = 99;

	k = route_hash_key(c->virtual_servers, make_req(q, &b), &len);
	ck_assert_msg(len == want_len, "%s %s: key length %zu, expected %zu", algo,
	    key != NULL ? key : "-", len, want_len);
	if (want == NULL)
		ck_assert_ptr_null(k);
	else
		ck_assert_mem_eq(k, want, want_len);
	conf_free(c);
}

/* tls_route: sni patterns as host ones, first match wins, no name or no
 * match is the default pool. */
static const struct {
	const char	*sni;		/* NULL: no server_name */
	const char	*pool;
} tls_cases[] = {
	{ "a.example.test", "a" },
	{ "A.Example.TEST", "a" },
	{ "x.w.example.test", "b" },
	{ "w.example.test", "web" },
	{ "a.w.example.test", "b" },
	{ "b.example.test", "c" },
	{ "other.test", "web" },
	{ "", "web" },
	{ NULL, "web" },
};

START_TEST(test_tls_pool)
{
	struct conf *c = load_vs_kind("NAT",
	    "  tls_route a { sni a.example.test pool a }\n"
	    "  tls_route b { sni *.w.example.test pool b }\n"
	    "  tls_route c { sni a.w.example.test b.example.test pool c }\n");
	const char *sni = tls_cases[_i].sni;

	ck_assert_str_eq(route_pick_tls_pool(c->virtual_servers, sni,
	    sni != NULL ? strlen(sni) : 0), tls_cases[_i].pool);
	conf_free(c);
}
END_TEST

START_TEST(test_hash_keys)
{
	static const uint8_t v4[] = { 192, 0, 2, 5 };
	struct in6_addr v6;

	ck_assert_int_eq(inet_pton(AF_INET6, "2001:db8::7", &v6), 1);
	assert_key("hash", "path", &(struct req){ .path = "/p/q" }, "/p/q", 4);
	assert_key("hash", NULL, &(struct req){ .path = "/p" }, "/p", 2);	/* default: path */
	assert_key("hash", "path", &(struct req){ .path = "" }, NULL, 0);
	assert_key("hash", "header X-User", &(struct req){ .hdrs = "x-user: bob\n" }, "bob", 3);
	assert_key("hash", "header X-User", &(struct req){ .hdrs =
	    "X-User: ann\nX-User: bob\n" }, "ann", 3);
	assert_key("hash", "header X-User", &(struct req){ .hdrs = "X-Other: bob\n" }, NULL, 0);
	assert_key("hash", "header X-User", &(struct req){ .hdrs = "X-User: \n" }, NULL, 0);
	assert_key("hash", "cookie uid", &(struct req){ .hdrs = "Cookie: a=b; uid=\"42\"\n" },
	    "42", 2);
	assert_key("hash", "cookie uid", &(struct req){ .hdrs = "Cookie: uid=\n" }, NULL, 0);
	assert_key("hash", "cookie uid", &(struct req){ .hdrs = NULL }, NULL, 0);
	assert_key("hash", "source", &(struct req){ .src = "192.0.2.5" }, v4, 4);
	assert_key("hash", "source", &(struct req){ .src = "::ffff:192.0.2.5" }, v4, 4);
	assert_key("hash", "source", &(struct req){ .src = "2001:db8::7" }, &v6, 16);
	assert_key("hash", "source", &(struct req){ .src = "-" }, NULL, 0);
	/* sh hashes the client whatever hash_key says. */
	assert_key("sh", NULL, &(struct req){ .src = "192.0.2.5", .path = "/x" }, v4, 4);
	assert_key("sh", "cookie uid", &(struct req){ .src = "192.0.2.5",
	    .hdrs = "Cookie: uid=1\n" }, v4, 4);
	/* The others hash nothing. */
	assert_key("rr", NULL, &(struct req){ .path = "/x" }, NULL, 0);
	assert_key("wlc", "path", &(struct req){ .path = "/x" }, NULL, 0);
	assert_key("p2c", "source", &(struct req){ .src = "192.0.2.5" }, NULL, 0);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("route");
	TCase *tc = tcase_create("route");

	tcase_add_loop_test(tc, test_route_table, 0, (int)NELEM(route_cases));
	tcase_add_test(tc, test_default_pool_default);
	tcase_add_test(tc, test_regex_long_text);
	tcase_add_test(tc, test_regex_nul);
	tcase_add_test(tc, test_path_not_terminated);
	tcase_add_test(tc, test_cookie_values);
	tcase_add_test(tc, test_host_match);
	tcase_add_test(tc, test_hash_keys);
	tcase_add_loop_test(tc, test_tls_pool, 0, (int)NELEM(tls_cases));
	suite_add_tcase(s, tc);
	return s;
}
