/* The sticky-sync wire format (splice/sync_proto.c): frames split at the
 * right length and nowhere else, every truncation needs more bytes,
 * malformed bodies are refused with a reason, entries round-trip, and the
 * HMACs tell a frame from a forged, replayed, reordered or reflected one
 * and a peer with the secret from one without. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "splice/sync_proto.h"
#include "test/unit/tmain.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const char secret[] = "0123456789abcdef-shared";
static const uint8_t key[SYNC_HMAC_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8 };

static struct kl_addr
addr(const char *s)
{
	struct kl_addr a;

	ck_assert_int_eq(addr_parse(s, &a), 0);
	return a;
}

static struct sync_entry
entry(const char *vs, const char *client, const char *rs, uint32_t ms)
{
	return (struct sync_entry){ .vs_addr = addr(vs), .vs_port = 80, .client = addr(client),
	    .rs_addr = addr(rs), .rs_port = 8080, .remaining_ms = ms };
}

/* Three entries of every mix of families, lives at both ends of the range. */
static struct sync_entry *
three(struct sync_entry e[3])
{
	e[0] = entry("192.0.2.100", "192.0.2.50", "192.0.2.21", 300000);
	e[1] = entry("2001:db8::100", "2001:db8::50", "192.0.2.22", 1);
	e[2] = entry("192.0.2.100", "2001:db8::51", "2001:db8::23", 0xfffffffeu);
	return e;
}

/* An entries frame of e[0..n) into out; its length. */
static size_t
entries_frame(uint8_t *out, size_t room, const struct sync_entry *e, size_t n, uint64_t seq)
{
	uint8_t body[SYNC_BODY_MAX];
	size_t len = 2, i, k;

	for (i = 0; i < n; i++) {
		k = sync_entry_encode(body + len, sizeof(body) - len, &e[i]);
		ck_assert_uint_gt(k, 0);
		len += k;
	}
	body[0] = (uint8_t)(n >> 8);
	body[1] = (uint8_t)n;
	return sync_frame_encode(out, room, SYNC_ENTRIES, body, len, key, seq);
}

/* Frames ------------------------------------------------------------------ */

struct split_case {
	const char	*bytes;
	size_t		 len;
	ssize_t		 want;		/* > 0 length, 0 more, -1 malformed */
	const char	*why;
};

#define SPLIT(b, w, why)	{ b, sizeof(b) - 1, w, why }
static const struct split_case split_cases[] = {
	SPLIT("", 0, "empty"),
	SPLIT("\x00", 0, "half a length"),
	SPLIT("\x00\x01", 0, "no type yet"),
	SPLIT("\x00\x00\x05", -1, "length 0"),
	SPLIT("\x10\x01\x05", -1, "length past SYNC_FRAME_MAX"),
	SPLIT("\x00\x01\x00", -1, "type 0"),
	SPLIT("\x00\x01\x06", -1, "type 6"),
	SPLIT("\x00\x01\xff", -1, "type 255"),
	SPLIT("\x00\x01\x05", -1, "a ping without its MAC"),
	SPLIT("\x00\x10\x05", -1, "a ping one byte short of its MAC"),
	SPLIT("\x00\x11\x05" "0123456789abcde", 0, "a ping one byte short"),
	SPLIT("\x00\x11\x05" "0123456789abcdef", 19, "a ping"),
	SPLIT("\x00\x11\x05" "0123456789abcdefXYZ", 19, "a ping and what follows"),
	SPLIT("\x00\x01\x02", 3, "an empty auth (its body is the decoder's business)"),
};

START_TEST(test_split)
{
	const struct split_case *c = &split_cases[_i];
	struct sync_frame f;
	char err[128] = "";
	ssize_t n = sync_frame_split((const uint8_t *)c->bytes, c->len, &f, err, sizeof(err));

	ck_assert_msg(n == c->want, "%s: got %zd, want %zd (%s)", c->why, n, c->want, err);
	if (n == -1)
		ck_assert_msg(err[0] != '\0', "%s: no reason given", c->why);
}
END_TEST

/* A frame cut anywhere needs more bytes; whole, it splits to its length. */
START_TEST(test_every_truncation)
{
	struct sync_entry e[3];
	uint8_t buf[1024];
	struct sync_frame f;
	size_t len = entries_frame(buf, sizeof(buf), three(e), 3, 7), k;

	ck_assert_uint_gt(len, 0);
	for (k = 0; k < len; k++)
		ck_assert_msg(sync_frame_split(buf, k, &f, NULL, 0) == 0, "cut at %zu", k);
	ck_assert_int_eq(sync_frame_split(buf, len, &f, NULL, 0), (ssize_t)len);
	ck_assert_int_eq(f.type, SYNC_ENTRIES);
	ck_assert_ptr_nonnull(f.mac);
}
END_TEST

/* Entries ----------------------------------------------------------------- */

START_TEST(test_entries_round_trip)
{
	struct sync_entry e[3], got[SYNC_ENTRIES_MAX];
	uint8_t buf[1024];
	struct sync_frame f;
	size_t len = entries_frame(buf, sizeof(buf), three(e), 3, 0), n = 0, i;

	ck_assert_int_eq(sync_frame_split(buf, len, &f, NULL, 0), (ssize_t)len);
	ck_assert(sync_frame_verify(&f, key, 0));
	ck_assert_int_eq(sync_entries_decode(&f, got, &n, NULL, 0), 0);
	ck_assert_uint_eq(n, 3);
	for (i = 0; i < n; i++) {
		ck_assert(addr_equal(&got[i].vs_addr, &e[i].vs_addr));
		ck_assert(addr_equal(&got[i].client, &e[i].client));
		ck_assert(addr_equal(&got[i].rs_addr, &e[i].rs_addr));
		ck_assert_uint_eq(got[i].vs_port, 80);
		ck_assert_uint_eq(got[i].rs_port, 8080);
		ck_assert_uint_eq(got[i].remaining_ms, e[i].remaining_ms);
	}
}
END_TEST

/* A body filled up to SYNC_BODY_MAX: the largest frame there is. */
START_TEST(test_entries_full_frame)
{
	struct sync_entry e = entry("192.0.2.100", "192.0.2.50", "192.0.2.21", 5),
	    got[SYNC_ENTRIES_MAX];
	uint8_t body[SYNC_BODY_MAX], buf[2 + SYNC_FRAME_MAX];
	struct sync_frame f;
	size_t len = 2, n = 0, count = 0, k, flen;

	while ((k = sync_entry_encode(body + len, sizeof(body) - len, &e)) > 0) {
		len += k;
		count++;
	}
	ck_assert_uint_eq(count, SYNC_ENTRIES_MAX);
	body[0] = (uint8_t)(count >> 8);
	body[1] = (uint8_t)count;
	flen = sync_frame_encode(buf, sizeof(buf), SYNC_ENTRIES, body, len, key, 1);
	ck_assert_uint_gt(flen, 0);
	ck_assert_int_eq(sync_frame_split(buf, flen, &f, NULL, 0), (ssize_t)flen);
	ck_assert_int_eq(sync_entries_decode(&f, got, &n, NULL, 0), 0);
	ck_assert_uint_eq(n, SYNC_ENTRIES_MAX);
	/* One byte more does not fit in a frame. */
	ck_assert_uint_eq(sync_frame_encode(buf, sizeof(buf), SYNC_ENTRIES, body,
	    SYNC_BODY_MAX + 1, key, 1), 0);
}
END_TEST

struct body_case {
	const char	*body;
	size_t		 len;
	const char	*why;
};

#define BODY(b, why)	{ b, sizeof(b) - 1, why }
/* One good IPv4 entry is
 * 04 c0000264 0050  04 c0000232  04 c0000215 1f90  000493e0. */
#define E4	"\x04\xc0\x00\x02\x64\x00\x50\x04\xc0\x00\x02\x32\x04\xc0\x00\x02\x15\x1f\x90" \
		"\x00\x04\x93\xe0"
static const struct body_case bad_bodies[] = {
	BODY("", "no count"),
	BODY("\x00", "half a count"),
	BODY("\x00\x01", "a count of 1, no entry"),
	BODY("\x00\x01" E4 "X", "a byte after the entries"),
	BODY("\x00\x02" E4, "a count of 2, one entry"),
	BODY("\x00\x00" E4, "a count of 0, one entry"),
	BODY("\x00\x01\x05\xc0\x00\x02\x64\x00\x50", "family 5"),
	BODY("\x00\x01\x00", "family 0"),
	BODY("\x00\x01\x06\xc0\x00\x02\x64\x00\x50\x04\xc0\x00\x02\x32\x04\xc0\x00\x02\x15"
	    "\x1f\x90\x00\x04\x93\xe0", "an IPv6 family with 4 bytes"),
	BODY("\x00\x01\x04\xc0\x00\x02\x64\x00\x00\x04\xc0\x00\x02\x32\x04\xc0\x00\x02\x15"
	    "\x1f\x90\x00\x04\x93\xe0", "virtual server port 0"),
	BODY("\x00\x01\x04\xc0\x00\x02\x64\x00\x50\x04\xc0\x00\x02\x32\x04\xc0\x00\x02\x15"
	    "\x00\x00\x00\x04\x93\xe0", "real server port 0"),
	BODY("\xff\xff", "a count past SYNC_ENTRIES_MAX"),
};

START_TEST(test_bad_entries)
{
	const struct body_case *c = &bad_bodies[_i];
	struct sync_entry got[SYNC_ENTRIES_MAX];
	struct sync_frame f = { .type = SYNC_ENTRIES, .body = (const uint8_t *)c->body,
	    .body_len = c->len };
	char err[128] = "";
	size_t n = 99;

	ck_assert_msg(sync_entries_decode(&f, got, &n, err, sizeof(err)) == -1, "%s: accepted",
	    c->why);
	ck_assert_msg(err[0] != '\0', "%s: no reason", c->why);
	ck_assert_uint_eq(n, 99);
}
END_TEST

START_TEST(test_good_entry_literal)
{
	struct sync_entry got[SYNC_ENTRIES_MAX];
	struct sync_frame f = { .type = SYNC_ENTRIES, .body = (const uint8_t *)"\x00\x01" E4,
	    .body_len = 2 + 23 };
	size_t n = 0;
	char buf[ADDR_STRLEN];

	ck_assert_int_eq(sync_entries_decode(&f, got, &n, NULL, 0), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(addr_ntop(&got[0].client, false, buf, sizeof(buf)), "192.0.2.50");
	ck_assert_uint_eq(got[0].remaining_ms, 300000);
}
END_TEST

START_TEST(test_entry_no_room)
{
	struct sync_entry e = entry("2001:db8::100", "2001:db8::50", "2001:db8::21", 5), z = e;
	uint8_t out[SYNC_ENTRY_MAX];
	size_t k;

	ck_assert_uint_eq(sync_entry_encode(out, sizeof(out), &e), SYNC_ENTRY_MAX);
	for (k = 0; k < SYNC_ENTRY_MAX; k++)
		ck_assert_uint_eq(sync_entry_encode(out, k, &e), 0);
	z.client.family = 0;
	ck_assert_uint_eq(sync_entry_encode(out, sizeof(out), &z), 0);
}
END_TEST

/* Handshake --------------------------------------------------------------- */

START_TEST(test_hello)
{
	uint8_t nonce[SYNC_NONCE_LEN], got[SYNC_NONCE_LEN], buf[64];
	struct sync_frame f;
	size_t len;
	char err[128];

	memset(nonce, 0xa5, sizeof(nonce));
	len = sync_hello_encode(buf, sizeof(buf), nonce);
	ck_assert_uint_eq(len, SYNC_HDR_LEN + SYNC_HELLO_LEN);
	ck_assert_int_eq(sync_frame_split(buf, len, &f, NULL, 0), (ssize_t)len);
	ck_assert_ptr_null(f.mac);
	ck_assert_int_eq(sync_hello_decode(&f, got, NULL, 0), 0);
	ck_assert_mem_eq(got, nonce, SYNC_NONCE_LEN);
	buf[7] = 2;			/* version */
	ck_assert_int_eq(sync_hello_decode(&f, got, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "hello: version 2, not 1");
	buf[7] = 1;
	buf[3] = 'X';			/* magic */
	ck_assert_int_eq(sync_hello_decode(&f, got, err, sizeof(err)), -1);
	f.body_len--;
	ck_assert_int_eq(sync_hello_decode(&f, got, err, sizeof(err)), -1);
	ck_assert_uint_eq(sync_hello_encode(buf, SYNC_HDR_LEN + SYNC_HELLO_LEN - 1, nonce), 0);
}
END_TEST

/* Only the holder of the secret answers the challenge; the answer is
 * bound to both nonces and to who sends it. */
START_TEST(test_challenge_response)
{
	uint8_t na[SYNC_NONCE_LEN], nb[SYNC_NONCE_LEN], a[SYNC_HMAC_LEN], b[SYNC_HMAC_LEN],
	    c[SYNC_HMAC_LEN], buf[64], got[SYNC_HMAC_LEN];
	struct sync_frame f;
	size_t len;

	memset(na, 1, sizeof(na));
	memset(nb, 2, sizeof(nb));
	sync_auth_mac(secret, strlen(secret), na, nb, a);
	sync_auth_mac(secret, strlen(secret), na, nb, b);
	ck_assert(sync_mac_equal(a, b, SYNC_HMAC_LEN));
	sync_auth_mac("another secret, same length", 23, na, nb, c);
	ck_assert(!sync_mac_equal(a, c, SYNC_HMAC_LEN));
	sync_auth_mac(secret, strlen(secret), nb, na, c);	/* reflected */
	ck_assert(!sync_mac_equal(a, c, SYNC_HMAC_LEN));
	nb[31] ^= 1;						/* another challenge */
	sync_auth_mac(secret, strlen(secret), na, nb, c);
	ck_assert(!sync_mac_equal(a, c, SYNC_HMAC_LEN));
	len = sync_auth_encode(buf, sizeof(buf), a);
	ck_assert_int_eq(sync_frame_split(buf, len, &f, NULL, 0), (ssize_t)len);
	ck_assert_int_eq(sync_auth_decode(&f, got, NULL, 0), 0);
	ck_assert_mem_eq(got, a, SYNC_HMAC_LEN);
	f.body_len = 31;
	ck_assert_int_eq(sync_auth_decode(&f, got, NULL, 0), -1);
}
END_TEST

/* Per-frame MACs ------------------------------------------------------------ */

START_TEST(test_frame_mac)
{
	struct sync_entry e = entry("192.0.2.100", "192.0.2.50", "192.0.2.21", 5);
	uint8_t buf[256], other[SYNC_HMAC_LEN], na[SYNC_NONCE_LEN], nb[SYNC_NONCE_LEN];
	struct sync_frame f;
	size_t len = entries_frame(buf, sizeof(buf), &e, 1, 41), i;

	ck_assert_int_eq(sync_frame_split(buf, len, &f, NULL, 0), (ssize_t)len);
	ck_assert(sync_frame_verify(&f, key, 41));
	ck_assert(!sync_frame_verify(&f, key, 40));		/* replayed from before */
	ck_assert(!sync_frame_verify(&f, key, 42));		/* reordered */
	/* The other direction's key: a frame reflected back to its sender. */
	memset(na, 1, sizeof(na));
	memset(nb, 2, sizeof(nb));
	sync_session_key(secret, strlen(secret), na, nb, other);
	len = sync_frame_encode(buf, sizeof(buf), SYNC_PING, NULL, 0, other, 0);
	ck_assert_int_eq(sync_frame_split(buf, len, &f, NULL, 0), (ssize_t)len);
	ck_assert(sync_frame_verify(&f, other, 0));
	sync_session_key(secret, strlen(secret), nb, na, other);
	ck_assert(!sync_frame_verify(&f, other, 0));
	/* Any bit flipped, header or MAC, is seen. */
	len = entries_frame(buf, sizeof(buf), &e, 1, 3);
	for (i = 2; i < len; i++) {
		buf[i] ^= 0x10;
		if (sync_frame_split(buf, len, &f, NULL, 0) == (ssize_t)len)
			ck_assert_msg(!sync_frame_verify(&f, key, 3), "byte %zu flipped", i);
		buf[i] ^= 0x10;
	}
}
END_TEST

START_TEST(test_empty_bodies)
{
	uint8_t buf[64];
	struct sync_frame f;
	size_t len = sync_frame_encode(buf, sizeof(buf), SYNC_RESYNC_DONE, NULL, 0, key, 9);

	ck_assert_uint_eq(len, SYNC_HDR_LEN + SYNC_MAC_LEN);
	ck_assert_int_eq(sync_frame_split(buf, len, &f, NULL, 0), (ssize_t)len);
	ck_assert_int_eq(sync_empty_decode(&f, NULL, 0), 0);
	len = sync_frame_encode(buf, sizeof(buf), SYNC_PING, (const uint8_t *)"x", 1, key, 9);
	ck_assert_int_eq(sync_frame_split(buf, len, &f, NULL, 0), (ssize_t)len);
	ck_assert_int_eq(sync_empty_decode(&f, NULL, 0), -1);
	ck_assert_uint_eq(sync_frame_encode(buf, SYNC_HDR_LEN + SYNC_MAC_LEN - 1, SYNC_PING, NULL,
	    0, key, 9), 0);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("sync_proto");
	TCase *tc = tcase_create("frames");

	tcase_add_loop_test(tc, test_split, 0, NELEM(split_cases));
	tcase_add_test(tc, test_every_truncation);
	tcase_add_test(tc, test_frame_mac);
	tcase_add_test(tc, test_empty_bodies);
	suite_add_tcase(s, tc);
	tc = tcase_create("entries");
	tcase_add_test(tc, test_entries_round_trip);
	tcase_add_test(tc, test_entries_full_frame);
	tcase_add_loop_test(tc, test_bad_entries, 0, NELEM(bad_bodies));
	tcase_add_test(tc, test_good_entry_literal);
	tcase_add_test(tc, test_entry_no_room);
	suite_add_tcase(s, tc);
	tc = tcase_create("handshake");
	tcase_add_test(tc, test_hello);
	tcase_add_test(tc, test_challenge_response);
	suite_add_tcase(s, tc);
	return s;
}
