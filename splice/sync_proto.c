/* The sticky-sync wire format; see sync_proto.h and doc/sticky-sync.md. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "lib/log.h"
#include "splice/sync_proto.h"

#define AUTH_LABEL	"kl7-sync auth"
#define KEY_LABEL	"kl7-sync key"

static int	bad(char *errbuf, size_t errlen, const char *fmt, ...) KL7_PRINTF(3, 4);

static int
bad(char *errbuf, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errbuf != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(errbuf, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static void
put64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

/* Frames ----------------------------------------------------------------- */

bool
sync_type_authed(enum sync_type t)
{
	return t >= SYNC_ENTRIES;
}

ssize_t
sync_frame_split(const uint8_t *buf, size_t len, struct sync_frame *f, char *errbuf,
    size_t errlen)
{
	size_t flen, tail;

	if (len < SYNC_HDR_LEN)
		return 0;
	flen = get16(buf);
	if (flen < 1 || flen > SYNC_FRAME_MAX)
		return bad(errbuf, errlen, "frame length %zu out of 1..%d", flen, SYNC_FRAME_MAX);
	if (buf[2] < SYNC_HELLO || buf[2] > SYNC_PING)
		return bad(errbuf, errlen, "unknown frame type %u", buf[2]);
	f->type = (enum sync_type)buf[2];
	tail = sync_type_authed(f->type) ? SYNC_MAC_LEN : 0;
	if (flen < 1 + tail)
		return bad(errbuf, errlen, "frame of type %u too short for its MAC", buf[2]);
	if (len < 2 + flen)
		return 0;
	f->body = buf + SYNC_HDR_LEN;
	f->body_len = flen - 1 - tail;
	f->mac = tail > 0 ? f->body + f->body_len : NULL;
	f->len = 2 + flen;
	return (ssize_t)f->len;
}

/* HMAC-SHA-256 of seq and the frame's bytes before its MAC. */
static void
frame_mac(const uint8_t key[SYNC_HMAC_LEN], uint64_t seq, const uint8_t *frame, size_t n,
    uint8_t out[SYNC_HMAC_LEN])
{
	uint8_t msg[8 + 2 + SYNC_FRAME_MAX];
	unsigned int outlen = SYNC_HMAC_LEN;

	put64(msg, seq);
	memcpy(msg + 8, frame, n);
	HMAC(EVP_sha256(), key, SYNC_HMAC_LEN, msg, 8 + n, out, &outlen);
}

bool
sync_frame_verify(const struct sync_frame *f, const uint8_t key[SYNC_HMAC_LEN], uint64_t seq)
{
	uint8_t want[SYNC_HMAC_LEN];

	if (f->mac == NULL)
		return false;
	frame_mac(key, seq, f->body - SYNC_HDR_LEN, SYNC_HDR_LEN + f->body_len, want);
	return sync_mac_equal(want, f->mac, SYNC_MAC_LEN);
}

size_t
sync_frame_encode(uint8_t *out, size_t room, enum sync_type t, const uint8_t *body,
    size_t body_len, const uint8_t key[SYNC_HMAC_LEN], uint64_t seq)
{
	size_t n = SYNC_HDR_LEN + body_len;
	uint8_t mac[SYNC_HMAC_LEN];

	if (body_len > SYNC_BODY_MAX || room < n + SYNC_MAC_LEN)
		return 0;
	put16(out, (uint16_t)(1 + body_len + SYNC_MAC_LEN));
	out[2] = (uint8_t)t;
	if (body_len > 0)
		memmove(out + SYNC_HDR_LEN, body, body_len);
	frame_mac(key, seq, out, n, mac);
	memcpy(out + n, mac, SYNC_MAC_LEN);
	return n + SYNC_MAC_LEN;
}

/* Handshake bodies ------------------------------------------------------ */

/* An unauthenticated frame of type t around body[0..len). */
static size_t
plain_encode(uint8_t *out, size_t room, enum sync_type t, const uint8_t *body, size_t len)
{
	if (room < SYNC_HDR_LEN + len)
		return 0;
	put16(out, (uint16_t)(1 + len));
	out[2] = (uint8_t)t;
	memcpy(out + SYNC_HDR_LEN, body, len);
	return SYNC_HDR_LEN + len;
}

/* f is of type t with a body of exactly len bytes. */
static int
fixed_body(const struct sync_frame *f, enum sync_type t, size_t len, const char *what,
    char *errbuf, size_t errlen)
{
	if (f->type != t || f->body_len != len)
		return bad(errbuf, errlen, "%s: %zu bytes, not %zu", what, f->body_len, len);
	return 0;
}

int
sync_hello_decode(const struct sync_frame *f, uint8_t nonce[SYNC_NONCE_LEN], char *errbuf,
    size_t errlen)
{
	if (fixed_body(f, SYNC_HELLO, SYNC_HELLO_LEN, "hello", errbuf, errlen) == -1)
		return -1;
	if (memcmp(f->body, SYNC_MAGIC, 4) != 0)
		return bad(errbuf, errlen, "hello: not a sticky-sync peer");
	if (f->body[4] != SYNC_VERSION)
		return bad(errbuf, errlen, "hello: version %u, not %d", f->body[4], SYNC_VERSION);
	memcpy(nonce, f->body + 5, SYNC_NONCE_LEN);
	return 0;
}

size_t
sync_hello_encode(uint8_t *out, size_t room, const uint8_t nonce[SYNC_NONCE_LEN])
{
	uint8_t body[SYNC_HELLO_LEN];

	memcpy(body, SYNC_MAGIC, 4);
	body[4] = SYNC_VERSION;
	memcpy(body + 5, nonce, SYNC_NONCE_LEN);
	return plain_encode(out, room, SYNC_HELLO, body, sizeof(body));
}

int
sync_auth_decode(const struct sync_frame *f, uint8_t mac[SYNC_HMAC_LEN], char *errbuf,
    size_t errlen)
{
	if (fixed_body(f, SYNC_AUTH, SYNC_HMAC_LEN, "auth", errbuf, errlen) == -1)
		return -1;
	memcpy(mac, f->body, SYNC_HMAC_LEN);
	return 0;
}

size_t
sync_auth_encode(uint8_t *out, size_t room, const uint8_t mac[SYNC_HMAC_LEN])
{
	return plain_encode(out, room, SYNC_AUTH, mac, SYNC_HMAC_LEN);
}

int
sync_empty_decode(const struct sync_frame *f, char *errbuf, size_t errlen)
{
	if (f->body_len != 0)
		return bad(errbuf, errlen, "frame of type %u: %zu bytes of body, not 0",
		    f->type, f->body_len);
	return 0;
}

/* Entries --------------------------------------------------------------- */

/* Addresses go as a family byte (4 or 6) and 4 or 16 bytes. */
static size_t
addr_put(uint8_t *out, size_t room, const struct kl_addr *a)
{
	size_t len;
	const void *b;

	if (a->family != AF_INET && a->family != AF_INET6)
		return 0;
	b = addr_bytes(a, &len);
	if (room < 1 + len)
		return 0;
	out[0] = a->family == AF_INET ? 4 : 6;
	memcpy(out + 1, b, len);
	return 1 + len;
}

/* The address at p[0..len): its bytes consumed, or 0 if malformed. */
static size_t
addr_get(const uint8_t *p, size_t len, struct kl_addr *a)
{
	size_t n;

	if (len < 1 || (p[0] != 4 && p[0] != 6))
		return 0;
	n = p[0] == 4 ? 4 : 16;
	if (len < 1 + n)
		return 0;
	*a = (struct kl_addr){ .family = p[0] == 4 ? AF_INET : AF_INET6,
	    .prefix = (uint8_t)(n * 8) };
	memcpy(p[0] == 4 ? (void *)&a->u.v4 : (void *)&a->u.v6, p + 1, n);
	return 1 + n;
}

size_t
sync_entry_encode(uint8_t *out, size_t room, const struct sync_entry *e)
{
	size_t n = 0, k;

	if ((k = addr_put(out, room, &e->vs_addr)) == 0 || room - k < 2)
		return 0;
	put16(out + k, e->vs_port);
	n = k + 2;
	if ((k = addr_put(out + n, room - n, &e->client)) == 0)
		return 0;
	n += k;
	if ((k = addr_put(out + n, room - n, &e->rs_addr)) == 0 || room - n - k < 6)
		return 0;
	n += k;
	put16(out + n, e->rs_port);
	put32(out + n + 2, e->remaining_ms);
	return n + 6;
}

/* One entry at p[0..len): bytes consumed, or 0 if malformed. */
static size_t
entry_get(const uint8_t *p, size_t len, struct sync_entry *e)
{
	size_t n, k;

	if ((n = addr_get(p, len, &e->vs_addr)) == 0 || len - n < 2)
		return 0;
	e->vs_port = get16(p + n);
	n += 2;
	if ((k = addr_get(p + n, len - n, &e->client)) == 0)
		return 0;
	n += k;
	if ((k = addr_get(p + n, len - n, &e->rs_addr)) == 0 || len - n - k < 6)
		return 0;
	n += k;
	e->rs_port = get16(p + n);
	e->remaining_ms = get32(p + n + 2);
	return n + 6;
}

int
sync_entries_decode(const struct sync_frame *f, struct sync_entry *out, size_t *n,
    char *errbuf, size_t errlen)
{
	size_t count, i, off = 2, k;

	if (f->type != SYNC_ENTRIES || f->body_len < 2)
		return bad(errbuf, errlen, "entries: %zu bytes, no count", f->body_len);
	count = get16(f->body);
	if (count > SYNC_ENTRIES_MAX)
		return bad(errbuf, errlen, "entries: %zu, more than %d", count, SYNC_ENTRIES_MAX);
	for (i = 0; i < count; i++, off += k) {
		k = entry_get(f->body + off, f->body_len - off, &out[i]);
		if (k == 0)
			return bad(errbuf, errlen, "entries: entry %zu of %zu malformed", i, count);
		if (out[i].vs_port == 0 || out[i].rs_port == 0)
			return bad(errbuf, errlen, "entries: entry %zu has port 0", i);
	}
	if (off != f->body_len)
		return bad(errbuf, errlen, "entries: %zu bytes after %zu entries",
		    f->body_len - off, count);
	*n = count;
	return 0;
}

/* Keys ------------------------------------------------------------------ */

static void
nonce_hmac(const char *label, const void *secret, size_t secret_len,
    const uint8_t mine[SYNC_NONCE_LEN], const uint8_t theirs[SYNC_NONCE_LEN],
    uint8_t out[SYNC_HMAC_LEN])
{
	uint8_t msg[32 + 2 * SYNC_NONCE_LEN];
	size_t l = strlen(label);
	unsigned int outlen = SYNC_HMAC_LEN;

	memcpy(msg, label, l);
	memcpy(msg + l, mine, SYNC_NONCE_LEN);
	memcpy(msg + l + SYNC_NONCE_LEN, theirs, SYNC_NONCE_LEN);
	HMAC(EVP_sha256(), secret, (int)secret_len, msg, l + 2 * SYNC_NONCE_LEN, out, &outlen);
}

void
sync_auth_mac(const void *secret, size_t secret_len, const uint8_t mine[SYNC_NONCE_LEN],
    const uint8_t theirs[SYNC_NONCE_LEN], uint8_t out[SYNC_HMAC_LEN])
{
	nonce_hmac(AUTH_LABEL, secret, secret_len, mine, theirs, out);
}

void
sync_session_key(const void *secret, size_t secret_len, const uint8_t mine[SYNC_NONCE_LEN],
    const uint8_t theirs[SYNC_NONCE_LEN], uint8_t out[SYNC_HMAC_LEN])
{
	nonce_hmac(KEY_LABEL, secret, secret_len, mine, theirs, out);
}

bool
sync_mac_equal(const uint8_t *a, const uint8_t *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}
