/* The ClientHello peeker (lib/tls_hello.c): ClientHellos of openssl
 * s_client (vectors/capture-tls-hello.sh) and ones built here, at every
 * truncation point, re-fragmented at every split point and into 1-byte
 * records, each length field made wrong, bad names, and input that is
 * not TLS.  Every parse reads a copy that ends a page before a PROT_NONE
 * one, so a read past the input faults at once. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/tls_hello.h"
#include "test/unit/tmain.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define WIRE_MAX	(TLS_HELLO_MAX * 8)	/* 1-byte records grow 6 times */

/* Guarded parsing ------------------------------------------------------------ */

static enum tls_hello_rc
parse_guarded(const uint8_t *in, size_t len, struct tls_hello *out)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t span = (len + (size_t)page - 1) / (size_t)page * (size_t)page + (size_t)page;
	uint8_t *m = mmap(NULL, span + (size_t)page, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *guard, *at;
	enum tls_hello_rc rc;

	ck_assert_ptr_ne(m, MAP_FAILED);
	guard = m + span;
	ck_assert_int_eq(mprotect(guard, (size_t)page, PROT_NONE), 0);
	at = guard - len;
	if (len > 0)
		memcpy(at, in, len);
	rc = tls_hello_parse(at, len, out);
	munmap(m, span + (size_t)page);
	return rc;
}

/* Building ClientHellos ------------------------------------------------------ */

struct wbuf {
	uint8_t	 b[WIRE_MAX];
	size_t	 n;
};

static void
put(struct wbuf *w, const void *p, size_t n)
{
	ck_assert_uint_le(w->n + n, sizeof(w->b));
	memcpy(w->b + w->n, p, n);
	w->n += n;
}

static void
put_uint(struct wbuf *w, size_t v, unsigned bytes)
{
	while (bytes-- > 0) {
		uint8_t c = (uint8_t)(v >> (8 * bytes));

		put(w, &c, 1);
	}
}

/* A ClientHello handshake message: TLS 1.2 fields, one suite, null
 * compression, then the extensions block exts[0..len) (none if NULL). */
static void
hello_msg(struct wbuf *w, const void *exts, size_t len)
{
	static const uint8_t random[32];
	size_t body = 2 + sizeof(random) + 1 + 4 + 2 + (exts != NULL ? 2 + len : 0);

	put_uint(w, 1, 1);
	put_uint(w, body, 3);
	put_uint(w, 0x0303, 2);
	put(w, random, sizeof(random));
	put_uint(w, 0, 1);			/* session id */
	put(w, "\x00\x02\x13\x01", 4);		/* TLS_AES_128_GCM_SHA256 */
	put(w, "\x01\x00", 2);			/* null compression */
	if (exts != NULL) {
		put_uint(w, len, 2);
		put(w, exts, len);
	}
}

/* The handshake bytes hs[0..len) in records of at most frag bytes. */
static void
records(struct wbuf *w, const uint8_t *hs, size_t len, size_t frag)
{
	size_t k;

	for (; len > 0; hs += k, len -= k) {
		k = len < frag ? len : frag;
		put(w, "\x16\x03\x01", 3);
		put_uint(w, k, 2);
		put(w, hs, k);
	}
}

/* The handshake message inside a capture of one or more records. */
static void
unwrap(const uint8_t *in, size_t len, struct wbuf *hs)
{
	size_t pos = 0, n;

	hs->n = 0;
	while (pos + 5 <= len) {
		n = (size_t)in[pos + 3] << 8 | in[pos + 4];
		put(hs, in + pos + 5, n);
		pos += 5 + n;
	}
}

/* An extension of type t holding data[0..len). */
static size_t
ext(uint8_t *out, unsigned t, const void *data, size_t len)
{
	out[0] = (uint8_t)(t >> 8);
	out[1] = (uint8_t)t;
	out[2] = (uint8_t)(len >> 8);
	out[3] = (uint8_t)len;
	memcpy(out + 4, data, len);
	return 4 + len;
}

/* server_name data for one host_name. */
static size_t
sni_data(uint8_t *out, const char *name)
{
	size_t n = strlen(name);

	out[0] = (uint8_t)((n + 3) >> 8);
	out[1] = (uint8_t)(n + 3);
	out[2] = 0;
	out[3] = (uint8_t)(n >> 8);
	out[4] = (uint8_t)n;
	memcpy(out + 5, name, n);
	return 5 + n;
}

static void
hello_with_name(struct wbuf *w, const char *name)
{
	uint8_t data[1024], exts[1100];
	struct wbuf hs = { .n = 0 };
	size_t n = ext(exts, 0, data, sni_data(data, name));

	hello_msg(&hs, exts, n);
	w->n = 0;
	records(w, hs.b, hs.n, TLS_HELLO_MAX);
}

/* Captured ClientHellos ------------------------------------------------------ */

struct capture {
	const char	*file;
	enum tls_hello_rc rc;
	const char	*name;
};

#define LONG_NAME "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx." \
	"yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy." \
	"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz.example.test"

static const struct capture captures[] = {
	{ "tls-sni-tls13.bin", TLS_HELLO_FOUND, "a.example.test" },
	{ "tls-sni-tls12.bin", TLS_HELLO_FOUND, "b.example.test" },	/* sent mixed case */
	{ "tls-nosni.bin", TLS_HELLO_NO_SNI, "" },
	{ "tls-sni-long.bin", TLS_HELLO_FOUND, LONG_NAME },
};

static void
load(const char *file, struct wbuf *w)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/test/unit/vectors/%s", test_srcdir(), file);
	ck_assert_msg((f = fopen(path, "rb")) != NULL, "%s", path);
	w->n = fread(w->b, 1, sizeof(w->b), f);
	fclose(f);
	ck_assert_uint_gt(w->n, 0);
}

static void
expect(const uint8_t *in, size_t len, enum tls_hello_rc rc, const char *name, const char *why)
{
	struct tls_hello h;
	enum tls_hello_rc got = parse_guarded(in, len, &h);

	ck_assert_msg(got == rc, "%s: %s, expected %s", why, tls_hello_rc_name(got),
	    tls_hello_rc_name(rc));
	if (rc == TLS_HELLO_FOUND)
		ck_assert_str_eq(h.name, name);
	if (rc != TLS_HELLO_FOUND)
		ck_assert_uint_eq(h.name_len, 0);
}

START_TEST(test_capture)
{
	const struct capture *c = &captures[_i];
	static struct wbuf w;
	struct tls_hello h;

	load(c->file, &w);
	expect(w.b, w.n, c->rc, c->name, c->file);
	ck_assert_int_eq(parse_guarded(w.b, w.n, &h), c->rc);
	ck_assert_uint_eq(h.len, w.n);
	ck_assert_uint_eq(h.name_len, strlen(c->name));
	/* Bytes after it (0-RTT data, the next record) change nothing. */
	put(&w, "\x17\x03\x03\x00\x01x", 6);
	expect(w.b, w.n, c->rc, c->name, "with a record after it");
}
END_TEST

START_TEST(test_capture_truncated)
{
	const struct capture *c = &captures[_i];
	static struct wbuf w;
	size_t k;

	load(c->file, &w);
	for (k = 0; k < w.n; k++)
		expect(w.b, k, TLS_HELLO_NEED_MORE, NULL, "a prefix");
}
END_TEST

/* The handshake message split into two records at every point, and into
 * records of 1 byte, each at every truncation point too. */
START_TEST(test_capture_fragmented)
{
	const struct capture *c = &captures[_i];
	static struct wbuf w, hs, frag;
	size_t k;

	load(c->file, &w);
	unwrap(w.b, w.n, &hs);
	for (k = 1; k < hs.n; k++) {
		frag.n = 0;
		records(&frag, hs.b, k, k);
		records(&frag, hs.b + k, hs.n - k, TLS_HELLO_MAX);
		expect(frag.b, frag.n, c->rc, c->name, "split in two records");
	}
	frag.n = 0;
	records(&frag, hs.b, hs.n, 1);
	expect(frag.b, frag.n, c->rc, c->name, "1-byte records");
	for (k = 0; k < frag.n; k++)
		expect(frag.b, k, TLS_HELLO_NEED_MORE, NULL, "a prefix of 1-byte records");
}
END_TEST

/* Built ClientHellos: extensions blocks ------------------------------------- */

struct ext_case {
	const char	*exts;
	size_t		 len;
	enum tls_hello_rc rc;
	const char	*name;
	const char	*why;
};

#define S(x)	x, sizeof(x) - 1
/* server_name extension for "a.b": list of one host_name */
#define SNI_AB	"\x00\x00\x00\x08" "\x00\x06" "\x00\x00\x03" "a.b"
#define EXT_X	"\x00\x0a\x00\x02" "\x00\x1d"	/* supported_groups, any */

static const struct ext_case ext_cases[] = {
	{ S(SNI_AB), TLS_HELLO_FOUND, "a.b", "one name" },
	{ S(EXT_X SNI_AB EXT_X), TLS_HELLO_FOUND, "a.b", "between other extensions" },
	{ S(""), TLS_HELLO_NO_SNI, NULL, "an empty extensions block" },
	{ S(EXT_X), TLS_HELLO_NO_SNI, NULL, "other extensions only" },
	{ S("\x00\x00\x00\x0e" "\x00\x0c" "\x01\x00\x03" "xyz" "\x00\x00\x03" "a.b"),
	  TLS_HELLO_FOUND, "a.b", "an unknown name type first is skipped" },
	{ S("\x00\x00\x00\x08" "\x00\x06" "\x00\x00\x03" "A.B"), TLS_HELLO_FOUND, "a.b",
	  "lower-cased" },
	{ S("\x00\x00\x00\x09" "\x00\x07" "\x00\x00\x04" "a.b."), TLS_HELLO_FOUND, "a.b",
	  "a trailing dot dropped" },
	{ S("\x00\x00\x00\x09" "\x00\x07" "\x00\x00\x04" "a_-9"), TLS_HELLO_FOUND, "a_-9",
	  "'_' and '-' and digits" },
	{ S(SNI_AB SNI_AB), TLS_HELLO_MALFORMED, NULL, "server_name twice" },
	{ S("\x00\x00\x00\x0e" "\x00\x0c" "\x00\x00\x03" "a.b" "\x00\x00\x03" "c.d"),
	  TLS_HELLO_MALFORMED, NULL, "two host_names" },
	{ S("\x00\x00\x00\x08" "\x00\x06" "\x01\x00\x03" "a.b"), TLS_HELLO_MALFORMED, NULL,
	  "no host_name in the list" },
	{ S("\x00\x00\x00\x00"), TLS_HELLO_MALFORMED, NULL, "an empty server_name" },
	{ S("\x00\x00\x00\x02" "\x00\x00"), TLS_HELLO_MALFORMED, NULL, "an empty name list" },
	{ S("\x00\x00\x00\x05" "\x00\x03" "\x00\x00\x00"), TLS_HELLO_MALFORMED, NULL,
	  "an empty name" },
	{ S("\x00\x00\x00\x08" "\x00\x07" "\x00\x00\x03" "a.b"), TLS_HELLO_MALFORMED, NULL,
	  "list longer than the extension" },
	{ S("\x00\x00\x00\x08" "\x00\x05" "\x00\x00\x03" "a.b"), TLS_HELLO_MALFORMED, NULL,
	  "list shorter than the extension" },
	{ S("\x00\x00\x00\x08" "\x00\x06" "\x00\x00\x04" "a.b"), TLS_HELLO_MALFORMED, NULL,
	  "name longer than the list" },
	{ S("\x00\x00\x00\x08" "\x00\x06" "\x00\x00\x02" "a.b"), TLS_HELLO_MALFORMED, NULL,
	  "name shorter than the list" },
	{ S("\x00\x00\x00\x09" "\x00\x06" "\x00\x00\x03" "a.b"), TLS_HELLO_MALFORMED, NULL,
	  "extension longer than the block" },
	{ S("\x00\x0a\x00\x01" "\x00\x1d"), TLS_HELLO_MALFORMED, NULL,
	  "an extension shorter than its block's rest" },
	{ S("\x00"), TLS_HELLO_MALFORMED, NULL, "half an extension type" },
	{ S("\x00\x00\x00"), TLS_HELLO_MALFORMED, NULL, "half an extension length" },
	{ S("\x00\x00\x00\x01" "\x00"), TLS_HELLO_MALFORMED, NULL, "half a list length" },
	{ S("\x00\x00\x00\x03" "\x00\x01" "\x00"), TLS_HELLO_MALFORMED, NULL,
	  "half a name length" },
	{ S("\x00\x00\x00\x08" "\x00\x06" "\x00\x00\x03" "a b"), TLS_HELLO_MALFORMED, NULL,
	  "a space" },
	{ S("\x00\x00\x00\x08" "\x00\x06" "\x00\x00\x03" "a\0b"), TLS_HELLO_MALFORMED, NULL,
	  "a NUL" },
	{ S("\x00\x00\x00\x08" "\x00\x06" "\x00\x00\x03" "a/b"), TLS_HELLO_MALFORMED, NULL,
	  "a slash" },
	{ S("\x00\x00\x00\x08" "\x00\x06" "\x00\x00\x03" "a\xc3\xa9"), TLS_HELLO_MALFORMED, NULL,
	  "UTF-8 (an A-label is ASCII)" },
	{ S("\x00\x00\x00\x09" "\x00\x07" "\x00\x00\x04" "a..b"), TLS_HELLO_MALFORMED, NULL,
	  "an empty label" },
	{ S("\x00\x00\x00\x08" "\x00\x06" "\x00\x00\x03" ".ab"), TLS_HELLO_MALFORMED, NULL,
	  "a leading dot" },
	{ S("\x00\x00\x00\x06" "\x00\x04" "\x00\x00\x01" "."), TLS_HELLO_MALFORMED, NULL,
	  "a dot alone" },
	{ S("\x00\x00\x00\x0a" "\x00\x08" "\x00\x00\x05" "a.b.."), TLS_HELLO_MALFORMED, NULL,
	  "two trailing dots" },
};

START_TEST(test_ext_case)
{
	const struct ext_case *c = &ext_cases[_i];
	static struct wbuf hs, w;
	size_t k;

	hs.n = 0;
	hello_msg(&hs, c->exts, c->len);
	w.n = 0;
	records(&w, hs.b, hs.n, TLS_HELLO_MAX);
	expect(w.b, w.n, c->rc, c->name, c->why);
	for (k = 0; k < w.n; k++) {
		struct tls_hello h;
		enum tls_hello_rc rc = parse_guarded(w.b, k, &h);

		/* A prefix is "need more", or already the same error. */
		ck_assert_msg(rc == TLS_HELLO_NEED_MORE || (rc == c->rc && rc == TLS_HELLO_MALFORMED),
		    "%s: prefix %zu: %s", c->why, k, tls_hello_rc_name(rc));
	}
}
END_TEST

START_TEST(test_no_extensions)
{
	static struct wbuf hs, w;

	hello_msg(&hs, NULL, 0);
	records(&w, hs.b, hs.n, TLS_HELLO_MAX);
	expect(w.b, w.n, TLS_HELLO_NO_SNI, NULL, "a ClientHello without extensions");
}
END_TEST

START_TEST(test_name_lengths)
{
	static struct wbuf w;
	char name[300];

	/* 63-byte labels: 4 of them make 255 bytes, too long; 253 is the most. */
	memset(name, 'a', sizeof(name));
	name[63] = name[127] = name[191] = '.';
	name[253] = '\0';
	hello_with_name(&w, name);
	expect(w.b, w.n, TLS_HELLO_FOUND, name, "253 bytes");
	name[253] = '.';
	name[254] = '\0';
	hello_with_name(&w, name);
	name[253] = '\0';
	expect(w.b, w.n, TLS_HELLO_FOUND, name, "253 bytes and a trailing dot");
	name[253] = 'a';
	name[254] = '\0';
	hello_with_name(&w, name);
	expect(w.b, w.n, TLS_HELLO_MALFORMED, NULL, "254 bytes");
	memset(name, 'a', 64);
	name[64] = '\0';
	hello_with_name(&w, name);
	expect(w.b, w.n, TLS_HELLO_MALFORMED, NULL, "a 64-byte label");
	name[63] = '\0';
	hello_with_name(&w, name);
	expect(w.b, w.n, TLS_HELLO_FOUND, name, "a 63-byte label");
}
END_TEST

/* Built ClientHellos: each length field of the record and message -------- */

struct patch_case {
	size_t		 off;		/* in hello_with_name("a.b") */
	unsigned	 width;
	size_t		 value;
	enum tls_hello_rc rc;
	const char	*why;
};

/* Offsets: record 0..4, msg type 5, msg length 6..8, version 9..10,
 * random 11..42, session id 43, suites 44..47, compression 48..49,
 * extensions length 50..51, server_name 52.. */
static const struct patch_case patches[] = {
	{ 0, 1, 23, TLS_HELLO_NOT_TLS, "an application_data record" },
	{ 1, 1, 2, TLS_HELLO_NOT_TLS, "record version 2.x" },
	{ 3, 2, 0, TLS_HELLO_MALFORMED, "an empty record" },
	{ 3, 2, TLS_HELLO_MAX + 1, TLS_HELLO_MALFORMED, "a record over 2^14" },
	{ 3, 2, 30, TLS_HELLO_MALFORMED, "a record shorter than the message: next header wrong" },
	{ 5, 1, 2, TLS_HELLO_MALFORMED, "a ServerHello" },
	{ 6, 3, 0xffffff, TLS_HELLO_MALFORMED, "a message over the limit" },
	{ 6, 3, 20, TLS_HELLO_MALFORMED, "a message too short for its fields" },
	{ 6, 3, 63, TLS_HELLO_MALFORMED, "a message longer than its fields" },
	{ 6, 3, 50, TLS_HELLO_MALFORMED, "a message shorter than its extensions" },
	{ 9, 2, 0x0200, TLS_HELLO_MALFORMED, "client version 2.0" },
	{ 43, 1, 33, TLS_HELLO_MALFORMED, "a session id over 32 bytes" },
	{ 43, 1, 32, TLS_HELLO_MALFORMED, "a session id eating the rest" },
	{ 44, 2, 0, TLS_HELLO_MALFORMED, "no cipher suite" },
	{ 44, 2, 1, TLS_HELLO_MALFORMED, "an odd cipher suites length" },
	{ 44, 2, 0xfffe, TLS_HELLO_MALFORMED, "cipher suites past the message" },
	{ 48, 1, 0, TLS_HELLO_MALFORMED, "no compression method" },
	{ 48, 1, 200, TLS_HELLO_MALFORMED, "compression methods past the message" },
	{ 50, 2, 11, TLS_HELLO_MALFORMED, "extensions shorter than the message's rest" },
	{ 50, 2, 13, TLS_HELLO_MALFORMED, "extensions longer than the message" },
};

START_TEST(test_patch)
{
	const struct patch_case *c = &patches[_i];
	static struct wbuf w;
	size_t i;

	hello_with_name(&w, "a.b");
	ck_assert_uint_eq(w.n, 64);
	for (i = 0; i < c->width; i++)
		w.b[c->off + i] = (uint8_t)(c->value >> (8 * (c->width - 1 - i)));
	expect(w.b, w.n, c->rc, NULL, c->why);
}
END_TEST

/* A ClientHello over TLS_HELLO_MAX on the wire: too long to wait for. */
START_TEST(test_too_long)
{
	static uint8_t exts[TLS_HELLO_MAX], pad[TLS_HELLO_MAX];
	static struct wbuf hs, w;
	size_t n = ext(exts, 21, pad, TLS_HELLO_MAX - 20);	/* RFC 7685 padding */

	hello_msg(&hs, exts, n);
	records(&w, hs.b, hs.n, 4096);
	ck_assert_uint_gt(w.n, TLS_HELLO_MAX);
	expect(w.b, w.n, TLS_HELLO_MALFORMED, NULL, "over the limit");
	hs.n = w.n = 0;
	n = ext(exts, 21, pad, TLS_HELLO_MAX - 400);
	hello_msg(&hs, exts, n);
	records(&w, hs.b, hs.n, 4096);
	ck_assert_uint_le(w.n, TLS_HELLO_MAX);
	expect(w.b, w.n, TLS_HELLO_NO_SNI, NULL, "under the limit, in 4 KB records");
}
END_TEST

/* A record of another type in the middle of the ClientHello. */
START_TEST(test_interleaved_record)
{
	static struct wbuf hs, w;
	uint8_t data[64], exts[80];
	size_t n = ext(exts, 0, data, sni_data(data, "a.b"));

	hello_msg(&hs, exts, n);
	records(&w, hs.b, 10, 10);
	put(&w, "\x15\x03\x03\x00\x02\x01\x00", 7);	/* an alert */
	records(&w, hs.b + 10, hs.n - 10, TLS_HELLO_MAX);
	expect(w.b, w.n, TLS_HELLO_MALFORMED, NULL, "an alert between the fragments");
}
END_TEST

struct raw_case {
	const char	*in;
	size_t		 len;
	enum tls_hello_rc rc;
	const char	*why;
};

static const struct raw_case raws[] = {
	{ S(""), TLS_HELLO_NEED_MORE, "nothing yet" },
	{ S("\x16"), TLS_HELLO_NEED_MORE, "one byte" },
	{ S("\x16\x03\x01\x00"), TLS_HELLO_NEED_MORE, "half a record header" },
	{ S("\x80\x2e\x01\x00\x02\x00\x15\x00\x00\x00\x10"), TLS_HELLO_NOT_TLS,
	  "an SSLv2 ClientHello" },
	{ S("GET / HTTP/1.1\r\nHost: a.b\r\n\r\n"), TLS_HELLO_NOT_TLS, "HTTP" },
	{ S("PROXY TCP4 192.0.2.1 192.0.2.2 1 2\r\n"), TLS_HELLO_NOT_TLS, "a PROXY header" },
	{ S("\x16\x02"), TLS_HELLO_NOT_TLS, "handshake type, version 2" },
	{ S("\x16\x03\x01\x00\x04\x01\x00\x00\x00"), TLS_HELLO_MALFORMED, "an empty ClientHello" },
};

START_TEST(test_raw)
{
	const struct raw_case *c = &raws[_i];

	expect((const uint8_t *)c->in, c->len, c->rc, NULL, c->why);
}
END_TEST

START_TEST(test_rc_names)
{
	ck_assert_str_eq(tls_hello_rc_name(TLS_HELLO_FOUND), "server name");
	ck_assert_str_eq(tls_hello_rc_name((enum tls_hello_rc)99), "?");
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("tls_hello");
	TCase *tc = tcase_create("tls_hello");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_capture, 0, NELEM(captures));
	tcase_add_loop_test(tc, test_capture_truncated, 0, NELEM(captures));
	tcase_add_loop_test(tc, test_capture_fragmented, 0, NELEM(captures));
	tcase_add_loop_test(tc, test_ext_case, 0, NELEM(ext_cases));
	tcase_add_test(tc, test_no_extensions);
	tcase_add_test(tc, test_name_lengths);
	tcase_add_loop_test(tc, test_patch, 0, NELEM(patches));
	tcase_add_test(tc, test_too_long);
	tcase_add_test(tc, test_interleaved_record);
	tcase_add_loop_test(tc, test_raw, 0, NELEM(raws));
	tcase_add_test(tc, test_rc_names);
	suite_add_tcase(s, tc);
	return s;
}
