/* libFuzzer harness: the sticky-sync decoders (splice/sync_proto.c), on a
 * heap copy of exactly the input's size (ASan sees any read past it).  The
 * input is a stream from the peer: frames are split off one after the
 * other, as the link does, and each body goes to its type's decoder.
 *
 * Asserted: a split frame lies inside the input and is no longer than
 * SYNC_FRAME_MAX allows, a MAC exactly where its type says; every shorter
 * prefix of a frame needs more bytes; decoded entries are of a family and
 * no more than SYNC_ENTRIES_MAX, and encode again into a frame that splits,
 * verifies and decodes to the same entries.
 * Build and run: `make fuzz` / `make fuzz-regress` (test/fuzz/fuzz.mk).
 */
#include "config.h"

#include "test/fuzz/fuzz.h"

#include <string.h>

#include "splice/sync_proto.h"

static const uint8_t key[SYNC_HMAC_LEN] = { 0x6b, 0x6c, 0x37 };

static bool
same_entry(const struct sync_entry *a, const struct sync_entry *b)
{
	return addr_equal(&a->vs_addr, &b->vs_addr) && a->vs_port == b->vs_port &&
	    addr_equal(&a->client, &b->client) && addr_equal(&a->rs_addr, &b->rs_addr) &&
	    a->rs_port == b->rs_port && a->remaining_ms == b->remaining_ms;
}

/* Decoded entries encode again to a frame that decodes to them. */
static void
round_trip(const struct sync_entry *e, size_t n)
{
	static struct sync_entry again[SYNC_ENTRIES_MAX];
	uint8_t body[SYNC_BODY_MAX], frame[2 + SYNC_FRAME_MAX];
	struct sync_frame f;
	size_t len = 2, i, k, flen, m = 0;

	for (i = 0; i < n; i++) {
		FUZZ_ASSERT(e[i].client.family == AF_INET || e[i].client.family == AF_INET6);
		k = sync_entry_encode(body + len, sizeof(body) - len, &e[i]);
		FUZZ_ASSERT(k >= SYNC_ENTRY_MIN && k <= SYNC_ENTRY_MAX);
		len += k;
	}
	body[0] = (uint8_t)(n >> 8);
	body[1] = (uint8_t)n;
	flen = sync_frame_encode(frame, sizeof(frame), SYNC_ENTRIES, body, len, key, n);
	FUZZ_ASSERT(flen > 0);
	FUZZ_ASSERT(sync_frame_split(frame, flen, &f, NULL, 0) == (ssize_t)flen);
	FUZZ_ASSERT(sync_frame_verify(&f, key, n));
	FUZZ_ASSERT(sync_entries_decode(&f, again, &m, NULL, 0) == 0 && m == n);
	for (i = 0; i < n; i++)
		FUZZ_ASSERT(same_entry(&e[i], &again[i]));
}

static void
decode_body(const struct sync_frame *f, uint64_t seq)
{
	static struct sync_entry e[SYNC_ENTRIES_MAX];
	uint8_t buf[SYNC_HMAC_LEN];
	char err[128];
	size_t n = 0;

	if (f->mac != NULL)
		(void)sync_frame_verify(f, key, seq);
	switch (f->type) {
	case SYNC_HELLO:
		(void)sync_hello_decode(f, buf, err, sizeof(err));
		break;
	case SYNC_AUTH:
		(void)sync_auth_decode(f, buf, err, sizeof(err));
		break;
	case SYNC_ENTRIES:
		if (sync_entries_decode(f, e, &n, err, sizeof(err)) == 0) {
			FUZZ_ASSERT(n <= SYNC_ENTRIES_MAX);
			round_trip(e, n);
		}
		break;
	case SYNC_RESYNC_DONE:
	case SYNC_PING:
		FUZZ_ASSERT((sync_empty_decode(f, err, sizeof(err)) == 0) == (f->body_len == 0));
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size > 0 ? size : 1);
	struct sync_frame f, g;
	size_t off = 0, k;
	uint64_t seq = 0;
	ssize_t n;
	char err[128];

	FUZZ_ASSERT(buf != NULL);
	memcpy(buf, data, size);
	while ((n = sync_frame_split(buf + off, size - off, &f, err, sizeof(err))) > 0) {
		FUZZ_ASSERT((size_t)n == f.len && f.len <= size - off);
		FUZZ_ASSERT(f.len <= 2 + SYNC_FRAME_MAX);
		FUZZ_ASSERT((f.mac != NULL) == sync_type_authed(f.type));
		FUZZ_ASSERT(f.body + f.body_len + (f.mac != NULL ? SYNC_MAC_LEN : 0) ==
		    buf + off + f.len);
		for (k = 0; k < f.len; k++)
			FUZZ_ASSERT(sync_frame_split(buf + off, k, &g, NULL, 0) == 0);
		decode_body(&f, seq++);
		off += (size_t)n;
	}
	FUZZ_ASSERT(n >= -1);
	free(buf);
	return 0;
}
