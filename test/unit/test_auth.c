/* http_route basic authentication: the strict base64 decoder
 * (lib/base64.c, RFC 4648 10 vectors and what it must refuse), reading
 * Authorization values and writing challenges (splice/auth_basic.c), the
 * verification cache (splice/auth_cache.c: hit, expiry, bound), which
 * crypt(3) hashes a config may hold and verifying against hashes made
 * here with crypt_gensalt_rn(3) (splice/auth_hash.c), the auth_users,
 * auth_realm and auth_forward keywords (splice/auth_parser.c), and the l7
 * child's verdicts with its caches and time budget (splice/l7_auth.c). */
#include "config.h"

#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keepalive-l7/conf_load.h"
#include "lib/base64.h"
#include "splice/auth_basic.h"
#include "splice/auth_cache.h"
#include "splice/auth_hash.h"
#include "splice/l7_auth.h"
#include "test/unit/tmain.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* base64 ---------------------------------------------------------------------- */

struct b64_case {
	const char	*in;
	const char	*out;		/* NULL: refused */
	const char	*why;
};

static const struct b64_case b64_cases[] = {
	/* RFC 4648 10. */
	{ "", "", "empty" },
	{ "Zg==", "f", "rfc 1" }, { "Zm8=", "fo", "rfc 2" }, { "Zm9v", "foo", "rfc 3" },
	{ "Zm9vYg==", "foob", "rfc 4" }, { "Zm9vYmE=", "fooba", "rfc 5" },
	{ "Zm9vYmFy", "foobar", "rfc 6" },
	{ "+/+/", "\xfb\xff\xbf", "+ and /" },
	/* Refused. */
	{ "Zg", NULL, "padding missing (3.2)" },
	{ "Zg=", NULL, "padding short" },
	{ "Zh==", NULL, "non-zero bits under '==' (3.5)" },
	{ "Zm9=", NULL, "non-zero bits under '=' (3.5)" },
	{ "Z===", NULL, "three '='" },
	{ "====", NULL, "only padding" },
	{ "Zg==Zg==", NULL, "padding inside" },
	{ "Zm=v", NULL, "'=' before data" },
	{ "Zm9v\n", NULL, "line break (3.3)" },
	{ "Zm 9v", NULL, "space" },
	{ "Zm-v", NULL, "base64url '-'" },
	{ "Zm_v", NULL, "base64url '_'" },
	{ "Zm9\x80", NULL, "high byte" },
};

START_TEST(test_base64)
{
	const struct b64_case *c = &b64_cases[_i];
	uint8_t out[16];
	ssize_t n = base64_decode(c->in, strlen(c->in), out, sizeof(out));

	if (c->out == NULL) {
		ck_assert_msg(n == -1, "%s: decoded", c->why);
		return;
	}
	ck_assert_msg(n == (ssize_t)strlen(c->out), "%s: %zd bytes", c->why, n);
	ck_assert_msg(memcmp(out, c->out, (size_t)n) == 0, "%s: wrong bytes", c->why);
}
END_TEST

START_TEST(test_base64_room)
{
	uint8_t out[6];

	ck_assert_int_eq(base64_decode("Zm9vYmFy", 8, out, 6), 6);
	ck_assert_int_eq(base64_decode("Zm9vYmFy", 8, out, 5), -1);
	ck_assert_int_eq(base64_decode("Zm9vYg==", 8, out, 4), 4);
	ck_assert_int_eq(base64_decode("Zm9vYg==", 8, out, 3), -1);
	ck_assert_int_eq(base64_decode("", 0, out, 0), 0);
}
END_TEST

/* Authorization values -------------------------------------------------------- */

struct cred_case {
	const char	*value;
	const char	*user;		/* NULL: refused */
	const char	*pass;
	const char	*why;
};

static const struct cred_case cred_cases[] = {
	/* RFC 7617 2: "Aladdin" / "open sesame". */
	{ "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "Aladdin", "open sesame", "rfc example" },
	{ "basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "Aladdin", "open sesame", "scheme lower case" },
	{ "BASIC QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "Aladdin", "open sesame", "scheme upper case" },
	{ "  Basic   QWxhZGRpbjpvcGVuIHNlc2FtZQ== \t", "Aladdin", "open sesame", "spaces" },
	{ "Basic YTpiOmM=", "a", "b:c", "split at the first ':'" },
	{ "Basic YTo=", "a", "", "empty password" },
	{ "Basic w6k6w6k=", "\xc3\xa9", "\xc3\xa9", "UTF-8" },
	{ "Bearer QWxhZGRpbjpvcGVuIHNlc2FtZQ==", NULL, NULL, "another scheme" },
	{ "Basic", NULL, NULL, "no token" },
	{ "Basic ", NULL, NULL, "empty token" },
	{ "BasicQWxhZGRpbjpvcGVuIHNlc2FtZQ==", NULL, NULL, "no space after the scheme" },
	{ "Basic\tQWxhZGRpbjpvcGVuIHNlc2FtZQ==", NULL, NULL, "tab after the scheme" },
	{ "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ", NULL, NULL, "padding missing" },
	{ "Basic QWxhZGRpbg==", NULL, NULL, "no ':'" },
	{ "Basic OnB3", NULL, NULL, "empty user" },
	{ "Basic YQBiOmM=", NULL, NULL, "NUL in the user" },
	{ "Basic YTpiAGM=", NULL, NULL, "NUL in the password" },
	{ "Basic YTpiCmM=", NULL, NULL, "LF in the password" },
	{ "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ== x", NULL, NULL, "a second token" },
};

START_TEST(test_cred)
{
	const struct cred_case *c = &cred_cases[_i];
	struct auth_basic_cred cr;
	bool ok = auth_basic_parse(c->value, strlen(c->value), &cr);

	ck_assert_msg(ok == (c->user != NULL), "%s: %s", c->why, ok ? "read" : "refused");
	if (!ok)
		return;
	ck_assert_msg(strcmp(cr.user, c->user) == 0, "%s: user '%s'", c->why, cr.user);
	ck_assert_msg(strcmp(cr.pass, c->pass) == 0, "%s: password '%s'", c->why, cr.pass);
}
END_TEST

/* Basic base64("u" x ulen ":" "p" x plen). */
static char *
basic_value(size_t ulen, size_t plen)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = ulen + 1 + plen, i, o = 6;
	unsigned char *raw = malloc(n + 2);
	char *v = malloc(6 + (n + 2) / 3 * 4 + 1);

	memset(raw, 'u', ulen);
	raw[ulen] = ':';
	memset(raw + ulen + 1, 'p', plen);
	raw[n] = raw[n + 1] = 0;
	memcpy(v, "Basic ", 6);
	for (i = 0; i < n; i += 3) {
		uint32_t b = (uint32_t)raw[i] << 16 | (uint32_t)raw[i + 1] << 8 | raw[i + 2];

		v[o++] = a[b >> 18 & 63];
		v[o++] = a[b >> 12 & 63];
		v[o++] = i + 1 < n ? a[b >> 6 & 63] : '=';
		v[o++] = i + 2 < n ? a[b & 63] : '=';
	}
	v[o] = '\0';
	free(raw);
	return v;
}

START_TEST(test_cred_bounds)
{
	static const struct { size_t u, p; bool ok; } cases[] = {
		{ AUTH_BASIC_USER_MAX, AUTH_BASIC_PASS_MAX, true },
		{ AUTH_BASIC_USER_MAX + 1, 1, false },
		{ 1, AUTH_BASIC_PASS_MAX + 1, false },
		{ 1, 4000, false },
	};
	struct auth_basic_cred cr;
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		char *v = basic_value(cases[i].u, cases[i].p);

		ck_assert_msg(auth_basic_parse(v, strlen(v), &cr) == cases[i].ok,
		    "user %zu, password %zu bytes", cases[i].u, cases[i].p);
		if (cases[i].ok)
			ck_assert_uint_eq(strlen(cr.pass), cases[i].p);
		free(v);
	}
}
END_TEST

START_TEST(test_challenge)
{
	char out[AUTH_BASIC_CHALLENGE_MAX];
	ssize_t n;

	memset(out, 'x', sizeof(out));
	n = auth_basic_challenge(out, sizeof(out), "Admin area");
	ck_assert_int_eq(n, (ssize_t)strlen(out));		/* NUL-terminated */
	ck_assert_str_eq(out, "WWW-Authenticate: Basic realm=\"Admin area\", charset=\"UTF-8\"\r\n");
	ck_assert_int_eq(auth_basic_challenge(out, (size_t)n + 1, "Admin area"), n);
	ck_assert_int_eq(auth_basic_challenge(out, (size_t)n, "Admin area"), -1);	/* no NUL */
	n = auth_basic_challenge(out, sizeof(out), "say \"hi\" \\o/");
	ck_assert_int_eq(n, (ssize_t)strlen(out));
	ck_assert_str_eq(out, "WWW-Authenticate: Basic realm=\"say \\\"hi\\\" \\\\o/\", "
	    "charset=\"UTF-8\"\r\n");
	ck_assert_int_eq(auth_basic_challenge(out, sizeof(out), "a\r\nX-Evil: 1"), -1);
	ck_assert_int_eq(auth_basic_challenge(out, 40, "Admin area"), -1);
	ck_assert(auth_basic_quotable("tab\there"));
	ck_assert(!auth_basic_quotable("del\x7f"));
}
END_TEST

/* The cache -------------------------------------------------------------------- */

static void
key_of(unsigned i, uint8_t *key)
{
	memset(key, 0, AUTH_CACHE_KEY_LEN);
	memcpy(key, &i, sizeof(i));
	key[31] = 0x5a;
}

START_TEST(test_cache_hit_expiry)
{
	struct auth_cache c;
	uint8_t a[AUTH_CACHE_KEY_LEN], b[AUTH_CACHE_KEY_LEN];

	key_of(1, a);
	key_of(2, b);
	ck_assert_int_eq(auth_cache_init(&c, 16, 1000), 0);
	ck_assert(!auth_cache_has(&c, a, 0));
	auth_cache_put(&c, a, 100);
	ck_assert(auth_cache_has(&c, a, 100));
	ck_assert(auth_cache_has(&c, a, 1099));
	ck_assert(!auth_cache_has(&c, b, 500));
	ck_assert(!auth_cache_has(&c, a, 1100));		/* expired */
	auth_cache_put(&c, a, 1000);				/* refreshed, not doubled */
	ck_assert(auth_cache_has(&c, a, 1999));
	ck_assert(!auth_cache_has(&c, a, 2000));
	b[31] = 0x5b;						/* one byte off */
	key_of(1, b);
	b[30] = 1;
	ck_assert(!auth_cache_has(&c, b, 1500));
	auth_cache_free(&c);
}
END_TEST

START_TEST(test_cache_bound)
{
	struct auth_cache c;
	uint8_t k[AUTH_CACHE_KEY_LEN];
	unsigned i, held = 0, n = 64;

	ck_assert_int_eq(auth_cache_init(&c, n, 60000), 0);
	ck_assert_uint_eq(c.n_sets * AUTH_CACHE_WAYS, n);
	for (i = 0; i < 10 * n; i++) {
		key_of(i, k);
		auth_cache_put(&c, k, (int64_t)i);
	}
	for (i = 0; i < 10 * n; i++) {
		key_of(i, k);
		held += auth_cache_has(&c, k, 10 * n);
	}
	ck_assert_uint_eq(held, n);			/* full, and no more */
	for (i = 10 * n - n; i < 10 * n; i++) {		/* the newest stayed */
		key_of(i, k);
		ck_assert_msg(auth_cache_has(&c, k, 10 * n), "key %u evicted", i);
	}
	auth_cache_free(&c);
}
END_TEST

/* Hashes ----------------------------------------------------------------------- */

/* A hash of pass by the method of prefix, with crypt_gensalt_rn's
 * default cost (count 0) and a random salt. */
static char *
make_hash(const char *prefix, const char *pass)
{
	char setting[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data *d = calloc(1, sizeof(*d));
	char *h;

	ck_assert_ptr_nonnull(crypt_gensalt_rn(prefix, 0, NULL, 0, setting, sizeof(setting)));
	h = strdup(crypt_rn(pass, setting, d, sizeof(*d)));
	free(d);
	ck_assert_msg(h[0] == '$', "crypt_rn with %s: %s", prefix, h);
	return h;
}

static const char *const good_methods[] = { "$y$", "$6$", "$5$", "$2b$", "$2y$" };

START_TEST(test_hash_generated)
{
	struct crypt_data *d = calloc(1, sizeof(*d));
	char *h = make_hash(good_methods[_i], "s3cret");
	char why[192];

	ck_assert_msg(auth_hash_check(h, why, sizeof(why)) == 0, "%s: %s", h, why);
	ck_assert(auth_hash_verify(d, "s3cret", h));
	ck_assert(!auth_hash_verify(d, "s3cre", h));
	ck_assert(!auth_hash_verify(d, "s3cret ", h));
	ck_assert(!auth_hash_verify(d, "", h));
	/* Cut short: the setting without its whole checksum. */
	h[strlen(h) - 3] = '\0';
	ck_assert_int_eq(auth_hash_check(h, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "not a valid"));
	free(h);
	free(d);
}
END_TEST

/* The highest costs allowed pass (their checks are not run here). */
START_TEST(test_hash_cost_edges)
{
	static const struct { const char *prefix; unsigned long count; } edges[] = {
		{ "$y$", AUTH_HASH_YESCRYPT_COST_MAX }, { "$2b$", AUTH_HASH_BCRYPT_COST_MAX },
		{ "$6$", AUTH_HASH_SHA_ROUNDS_MAX }, { "$5$", AUTH_HASH_SHA_ROUNDS_MAX },
	};
	char setting[CRYPT_GENSALT_OUTPUT_SIZE], hash[CRYPT_OUTPUT_SIZE], why[192];
	size_t i;

	for (i = 0; i < NELEM(edges); i++) {
		ck_assert_ptr_nonnull(crypt_gensalt_rn(edges[i].prefix, edges[i].count, NULL, 0,
		    setting, sizeof(setting)));
		/* A checksum of the right length, as the hash would end. */
		snprintf(hash, sizeof(hash), "%s%s%.*s", setting,
		    edges[i].prefix[1] == '2' ? "" : "$",
		    edges[i].prefix[1] == '6' ? 86 : edges[i].prefix[1] == '2' ? 31 : 43,
		    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./"
		    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./");
		ck_assert_msg(auth_hash_check(hash, why, sizeof(why)) == 0, "%s: %s", hash, why);
	}
}
END_TEST

struct bad_hash {
	const char	*hash;
	const char	*why;
};

static const struct bad_hash bad_hashes[] = {
	{ "$1$4kMRnOW9$JSQ7X9TJqI9jqFZ.EuaEg/", "MD5-crypt ($1$) is refused" },
	{ "abJnggxhB/yWI", "traditional DES crypt is refused" },
	{ "_J9..rasmBYk8r9AiWNc", "traditional DES crypt is refused" },
	{ "$7$CU..../....abc$xyz", "not a supported crypt(3) hash" },
	{ "$md5$abc$def", "not a supported crypt(3) hash" },
	{ "$6$SFfXg2ZP6ywy8Qbf$", "not a valid sha512-crypt hash" },
	{ "$y$j9T$abc$garbage!!", "not a valid yescrypt hash" },
	{ "$y$", "not a valid yescrypt hash" },
	{ "$2b$31$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234", "bcrypt cost 31" },
	{ "$6$rounds=9999999$abc$def", "sha512-crypt rounds above" },
	{ "$6$rounds=100001$abc$def", "sha512-crypt rounds above 100000" },
	{ "$2b$13$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234", "bcrypt cost 13" },
	{ "$y$jCT$abcdefghijklmnop$tySFNIfWVy.ymkBDHEMW6bAQ07dlkLVGalgni.VV4l8",
	  "yescrypt cost above 7" },
	{ "$y$jzT$abcdefghijklmnop$tySFNIfWVy.ymkBDHEMW6bAQ07dlkLVGalgni.VV4l8",
	  "yescrypt cost above 7" },
	{ "$y$j9T$abcdefghijklmnop$tySFNIfWVy.ymkBDHEMW6bAQ07dlkLVGalgni.VV4l", "not a valid" },
	{ "$y$j9T$abcdefghijklmnop$tySFNIfWVy.ymkBDHEMW6bAQ07dlkLVGalgni.VV4l8x", "not a valid" },
	{ "$y$j9T$abcdefghijklmnop$tySFNIfWVy.ymkBDHEMW6bAQ07dlkLVGalgni.VV4l!", "not a valid" },
	{ "", "traditional DES crypt is refused" },
};

START_TEST(test_hash_refused)
{
	const struct bad_hash *b = &bad_hashes[_i];
	char why[192] = "";

	ck_assert_msg(auth_hash_check(b->hash, why, sizeof(why)) == -1, "'%s' accepted", b->hash);
	ck_assert_msg(strstr(why, b->why) != NULL, "'%s': %s", b->hash, why);
}
END_TEST

/* "s3cret" hashed by crypt(3) with the setting "$y$j9T$abcdefghijklmnop"
 * (yescrypt at the default cost, as mkpasswd -m yescrypt makes). */
#define YESCRYPT_S3CRET "$y$j9T$abcdefghijklmnop$tySFNIfWVy.ymkBDHEMW6bAQ07dlkLVGalgni.VV4l8"

START_TEST(test_hash_known)
{
	struct crypt_data *d = calloc(1, sizeof(*d));
	char why[192];

	ck_assert_int_eq(auth_hash_check(YESCRYPT_S3CRET, why, sizeof(why)), 0);
	ck_assert(auth_hash_verify(d, "s3cret", YESCRYPT_S3CRET));
	ck_assert(!auth_hash_verify(d, "S3cret", YESCRYPT_S3CRET));
	free(d);
}
END_TEST

/* Keywords --------------------------------------------------------------------- */

#define VS_ROUTE(route) \
	"virtual_server 192.0.2.100 80 {\n http_route admin {\n  path_prefix /admin/\n" \
	"  pool default\n" route " }\n real_server 192.0.2.101 80 {\n }\n}\n"

START_TEST(test_conf_good)
{
	struct conf_errors errs;
	struct conf *c = conf_load_string("t.conf", VS_ROUTE(
	    "  auth_realm \"Admin \\\"area\\\"\"\n  auth_forward\n"
	    "  auth_users {\n   alice " YESCRYPT_S3CRET "\n   'bob' '" YESCRYPT_S3CRET "'\n  }\n"),
	    NULL, &errs);
	const struct conf_http_route *r;

	ck_assert_msg(c != NULL, "%s", errs.n > 0 ? errs.msg[0] : "");
	r = c->virtual_servers->routes;
	ck_assert_str_eq(r->auth_users->name, "alice");
	ck_assert_str_eq(r->auth_users->hash, YESCRYPT_S3CRET);
	ck_assert_int_eq(r->auth_users->src.line, 8);
	ck_assert_str_eq(r->auth_users->next->name, "bob");
	ck_assert_ptr_null(r->auth_users->next->next);
	ck_assert_str_eq(r->auth_realm, "Admin \"area\"");
	ck_assert(r->auth_forward);
	conf_free(c);

	c = conf_load_string("t.conf", VS_ROUTE("  auth_users {\n   alice " YESCRYPT_S3CRET
	    "\n  }\n"), NULL, &errs);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->virtual_servers->routes->auth_realm, "admin");	/* the name */
	ck_assert(!c->virtual_servers->routes->auth_forward);
	conf_free(c);
}
END_TEST

struct conf_case {
	const char	*route;
	int		 line;
	const char	*err;
};

static const struct conf_case conf_cases[] = {
	{ "  auth_users {\n   alice $1$4kMRnOW9$JSQ7X9TJqI9jqFZ.EuaEg/\n  }\n", 6,
	  "auth_users: user 'alice': MD5-crypt ($1$) is refused" },
	{ "  auth_users {\n   alice abJnggxhB/yWI\n  }\n", 6,
	  "auth_users: user 'alice': traditional DES crypt is refused" },
	{ "  auth_users {\n   'a:b' " YESCRYPT_S3CRET "\n  }\n", 6,
	  "auth_users: user 'a:b': a user name cannot hold ':'" },
	{ "  auth_users {\n   alice " YESCRYPT_S3CRET "\n   alice " YESCRYPT_S3CRET "\n  }\n",
	  7, "auth_users: user 'alice' is listed twice (first on line 6)" },
	{ "  auth_users {\n   alice\n  }\n", 6, "auth_users: expected 'USER HASH' on each line" },
	{ "  auth_users {\n   alice " YESCRYPT_S3CRET " extra\n  }\n", 6,
	  "auth_users: expected 'USER HASH'" },
	{ "  auth_users {\n  }\n", 5, "auth_users: the block lists no user" },
	{ "  auth_users {\n   '' " YESCRYPT_S3CRET "\n  }\n", 6,
	  "auth_users: a user name has 1 to 128 bytes" },
	{ "  auth_realm x\n", 2, "http_route admin: auth_realm and auth_forward need auth_users" },
	{ "  auth_forward\n", 2, "http_route admin: auth_realm and auth_forward need auth_users" },
	{ "  auth_realm \"a\\nb\"\n  auth_users {\n   alice " YESCRYPT_S3CRET "\n  }\n", 5,
	  "auth_realm: a realm has at most 256 bytes and no control bytes" },
	{ "  auth_users {\n   alice $6$x$\n  }\n", 6,
	  "auth_users: user 'alice': not a valid sha512-crypt hash" },
};

START_TEST(test_conf_bad)
{
	const struct conf_case *x = &conf_cases[_i];
	struct conf_errors errs;
	char text[1024], prefix[32];
	struct conf *c;

	snprintf(text, sizeof(text), VS_ROUTE("%s"), x->route);
	c = conf_load_string("t.conf", text, NULL, &errs);

	ck_assert_msg(c == NULL, "case %d loaded", _i);
	ck_assert_msg(errs.n == 1, "case %d: %d errors, the first: %s", _i, errs.n, errs.msg[0]);
	snprintf(prefix, sizeof(prefix), "t.conf:%d: ", x->line);
	ck_assert_msg(strncmp(errs.msg[0], prefix, strlen(prefix)) == 0 &&
	    strstr(errs.msg[0], x->err) != NULL, "case %d: expected '%s%s', got '%s'", _i,
	    prefix, x->err, errs.msg[0]);
	conf_errors_free(&errs);
}
END_TEST

/* The l7 child's verdicts ------------------------------------------------------ */

struct verdict_env {
	struct conf		*conf;
	const struct conf_http_route *rt;
	struct l7_auth		 a;
};

static void
env_open(struct verdict_env *e)
{
	struct conf_errors errs;

	e->conf = conf_load_string("t.conf", VS_ROUTE("  auth_users {\n   alice "
	    YESCRYPT_S3CRET "\n   bob " YESCRYPT_S3CRET "\n  }\n"), NULL, &errs);
	ck_assert_ptr_nonnull(e->conf);
	e->rt = e->conf->virtual_servers->routes;
	ck_assert_int_eq(l7_auth_init(&e->a, e->conf), 0);
}

static void
env_close(struct verdict_env *e)
{
	l7_auth_free(&e->a);
	conf_free(e->conf);
}

/* The verdict on a request with one Authorization field of this value
 * (NULL: none). */
static enum l7_auth_verdict
verdict(struct verdict_env *e, const char *value, int64_t now_ms)
{
	struct http1_hdr h[2] = {
		{ "Host", 4, "x", 1 },
		{ "authorization", 13, value, value != NULL ? strlen(value) : 0 },
	};

	return l7_auth_check(&e->a, e->rt, h, value != NULL ? 2 : 1, now_ms);
}

#define ALICE_OK	"Basic YWxpY2U6czNjcmV0"	/* alice:s3cret */
#define ALICE_BAD	"Basic YWxpY2U6czNjcmV1"	/* alice:s3creu */
#define MALLORY		"Basic bWFsbG9yeTpzM2NyZXQ="	/* mallory:s3cret */

START_TEST(test_verdicts)
{
	struct verdict_env e;
	struct http1_hdr two[2] = {
		{ "Authorization", 13, ALICE_OK, strlen(ALICE_OK) },
		{ "Authorization", 13, ALICE_OK, strlen(ALICE_OK) },
	};

	env_open(&e);
	ck_assert_int_eq(verdict(&e, NULL, 1000), L7_AUTH_DENIED);
	ck_assert_int_eq(verdict(&e, "Basic !!!!", 1000), L7_AUTH_DENIED);
	ck_assert_int_eq(verdict(&e, "Digest x", 1000), L7_AUTH_DENIED);
	ck_assert_uint_eq(e.a.verifications, 0);		/* nothing to verify */
	ck_assert_int_eq(l7_auth_check(&e.a, e.rt, two, 2, 1000), L7_AUTH_DENIED);
	ck_assert_uint_eq(e.a.verifications, 0);

	ck_assert_int_eq(verdict(&e, ALICE_OK, 1000), L7_AUTH_OK);
	ck_assert_uint_eq(e.a.verifications, 1);
	ck_assert_int_eq(verdict(&e, ALICE_OK, 2000), L7_AUTH_OK);	/* cached */
	ck_assert_int_eq(verdict(&e, "basic  YWxpY2U6czNjcmV0", 2000), L7_AUTH_OK);
	ck_assert_uint_eq(e.a.verifications, 1);

	ck_assert_int_eq(verdict(&e, ALICE_BAD, 2000), L7_AUTH_DENIED);
	ck_assert_int_eq(verdict(&e, ALICE_BAD, 3000), L7_AUTH_DENIED);	/* negative cache */
	ck_assert_uint_eq(e.a.verifications, 2);
	ck_assert_int_eq(verdict(&e, MALLORY, 3000), L7_AUTH_DENIED);	/* costs one too */
	ck_assert_uint_eq(e.a.verifications, 3);
	ck_assert_int_eq(verdict(&e, "Basic Ym9iOnMzY3JldA==", 3000), L7_AUTH_OK);	/* bob */
	ck_assert_uint_eq(e.a.verifications, 4);

	/* Expiry: each is verified again. */
	ck_assert_int_eq(verdict(&e, ALICE_BAD, 3000 + L7_AUTH_BAD_TTL_MS), L7_AUTH_DENIED);
	ck_assert_uint_eq(e.a.verifications, 5);
	ck_assert_int_eq(verdict(&e, ALICE_OK, 1000 + L7_AUTH_OK_TTL_MS), L7_AUTH_OK);
	ck_assert_uint_eq(e.a.verifications, 6);
	env_close(&e);
}
END_TEST

START_TEST(test_budget)
{
	struct verdict_env e;
	int64_t t = 5000;

	env_open(&e);
	ck_assert_int_eq(verdict(&e, ALICE_OK, t), L7_AUTH_OK);
	/* Spent: what is cached still passes, the rest waits. */
	e.a.budget_us = 0;
	ck_assert_int_eq(verdict(&e, ALICE_OK, t), L7_AUTH_OK);
	ck_assert_int_eq(verdict(&e, ALICE_BAD, t), L7_AUTH_BUSY);
	ck_assert_int_eq(verdict(&e, MALLORY, t), L7_AUTH_BUSY);
	ck_assert_uint_eq(e.a.verifications, 1);
	/* It grows back with time: 100 ms of loop time buy 25 ms of crypt. */
	ck_assert_int_eq(verdict(&e, ALICE_BAD, t + 100), L7_AUTH_DENIED);
	ck_assert_uint_eq(e.a.verifications, 2);
	/* A flood of guesses stops at the budget: at most about one second's
	 * worth of verifications, L7_AUTH_BUDGET_MS, before BUSY. */
	{
		char v[64];
		unsigned i, busy = 0;

		e.a.budget_us = L7_AUTH_BUDGET_MS * 1000;
		for (i = 0; i < 200 && busy == 0; i++) {
			snprintf(v, sizeof(v), "Basic YWxpY2U6%04u", i);	/* "alice:" + junk */
			busy += verdict(&e, v, t + 200) == L7_AUTH_BUSY;
		}
		ck_assert_msg(busy == 1, "no BUSY after %u guesses", i);
	}
	env_close(&e);
}
END_TEST

START_TEST(test_no_auth_routes)
{
	struct conf_errors errs;
	struct conf *c = conf_load_string("t.conf", VS_ROUTE(""), NULL, &errs);
	struct l7_auth a;

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(l7_auth_init(&a, c), 0);
	ck_assert_ptr_null(a.crypt);		/* nothing allocated */
	l7_auth_free(&a);
	conf_free(c);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("auth");
	TCase *tc = tcase_create("wire");

	tcase_add_loop_test(tc, test_base64, 0, NELEM(b64_cases));
	tcase_add_test(tc, test_base64_room);
	tcase_add_loop_test(tc, test_cred, 0, NELEM(cred_cases));
	tcase_add_test(tc, test_cred_bounds);
	tcase_add_test(tc, test_challenge);
	suite_add_tcase(s, tc);
	tc = tcase_create("cache");
	tcase_add_test(tc, test_cache_hit_expiry);
	tcase_add_test(tc, test_cache_bound);
	suite_add_tcase(s, tc);
	tc = tcase_create("hash");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_hash_generated, 0, NELEM(good_methods));
	tcase_add_loop_test(tc, test_hash_refused, 0, NELEM(bad_hashes));
	tcase_add_test(tc, test_hash_cost_edges);
	tcase_add_test(tc, test_hash_known);
	suite_add_tcase(s, tc);
	tc = tcase_create("config");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_conf_good);
	tcase_add_loop_test(tc, test_conf_bad, 0, NELEM(conf_cases));
	suite_add_tcase(s, tc);
	tc = tcase_create("verdicts");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_verdicts);
	tcase_add_test(tc, test_budget);
	tcase_add_test(tc, test_no_auth_routes);
	suite_add_tcase(s, tc);
	return s;
}
