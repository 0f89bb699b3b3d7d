/* The server_name of a TLS ClientHello, read in place through its
 * records; see tls_hello.h. */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "lib/tls_hello.h"

#define TLS_RECORD_HDR		5	/* RFC 5246 6.2.1: type, version, length */
#define TLS_RECORD_MAX		16384	/* RFC 5246 6.2.1: 2^14 bytes of plaintext */
#define TLS_CT_HANDSHAKE	22	/* RFC 5246 6.2.1 ContentType */
#define TLS_VERSION_MAJOR	3	/* SSL 3.0 and every TLS: 3.x */
#define TLS_HS_CLIENT_HELLO	1	/* RFC 8446 4 HandshakeType */
#define TLS_HS_HDR		4	/* RFC 8446 4: msg_type, uint24 length */
#define TLS_RANDOM_LEN		32	/* RFC 8446 4.1.2 */
#define TLS_SESSION_ID_MAX	32	/* RFC 8446 4.1.2 legacy_session_id<0..32> */
#define TLS_EXT_SERVER_NAME	0	/* RFC 6066 3 ExtensionType */
#define TLS_SNI_HOST_NAME	0	/* RFC 6066 3 NameType */
#define DNS_LABEL_MAX		63	/* RFC 1035 2.3.4 */

/* A reader of the handshake byte stream inside buf's records.  Offsets
 * of containers (message, extensions, ...) are counted in handshake
 * bytes (hpos), so a record boundary inside a field does not matter. */
struct rd {
	const uint8_t	*buf;
	size_t		 len;
	size_t		 pos;		/* next byte of buf */
	size_t		 rec_left;	/* bytes of the current record not read yet */
	size_t		 hpos;		/* handshake bytes read */
	enum tls_hello_rc fail;		/* why the last read failed */
};

static bool
fail(struct rd *r, enum tls_hello_rc rc)
{
	r->fail = rc;
	return false;
}

/* Step over the next record's header; the records of a ClientHello are
 * handshake records of TLS, none empty (RFC 8446 5.1: "MUST NOT send
 * zero-length fragments of Handshake types"). */
static bool
next_record(struct rd *r)
{
	const uint8_t *h = r->buf + r->pos;
	size_t reclen;

	if (r->len - r->pos < TLS_RECORD_HDR)
		return fail(r, TLS_HELLO_NEED_MORE);
	reclen = (size_t)h[3] << 8 | h[4];
	if (h[0] != TLS_CT_HANDSHAKE || h[1] != TLS_VERSION_MAJOR || reclen == 0 ||
	    reclen > TLS_RECORD_MAX || r->pos + TLS_RECORD_HDR + reclen > TLS_HELLO_MAX)
		return fail(r, TLS_HELLO_MALFORMED);
	r->pos += TLS_RECORD_HDR;
	r->rec_left = reclen;
	return true;
}

static bool
get_u8(struct rd *r, uint8_t *v)
{
	if (r->rec_left == 0 && !next_record(r))
		return false;
	if (r->pos == r->len)
		return fail(r, TLS_HELLO_NEED_MORE);
	*v = r->buf[r->pos++];
	r->rec_left--;
	r->hpos++;
	return true;
}

/* A big-endian integer of n (1..3) bytes. */
static bool
get_uint(struct rd *r, unsigned n, size_t *v)
{
	uint8_t b;

	*v = 0;
	while (n-- > 0) {
		if (!get_u8(r, &b))
			return false;
		*v = *v << 8 | b;
	}
	return true;
}

static bool
skip(struct rd *r, size_t n)
{
	size_t k;

	while (n > 0) {
		if (r->rec_left == 0 && !next_record(r))
			return false;
		k = n < r->rec_left ? n : r->rec_left;
		if (r->len - r->pos < k)
			return fail(r, TLS_HELLO_NEED_MORE);
		r->pos += k;
		r->rec_left -= k;
		r->hpos += k;
		n -= k;
	}
	return true;
}

/* A vector: its length field of lbytes, which must say min..max and fit
 * in its container (ending at end); *vend is where the vector ends. */
static bool
vec(struct rd *r, unsigned lbytes, size_t end, size_t min, size_t max, size_t *vend)
{
	size_t n;

	if (r->hpos + lbytes > end)
		return fail(r, TLS_HELLO_MALFORMED);
	if (!get_uint(r, lbytes, &n))
		return false;
	if (n < min || n > max || r->hpos + n > end)
		return fail(r, TLS_HELLO_MALFORMED);
	*vend = r->hpos + n;
	return true;
}

/* Names ----------------------------------------------------------------------- */

static bool
host_byte(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* RFC 6066 3 HostName: an ASCII DNS name.  One trailing dot is dropped
 * (the RFC says it is sent without; the name is the same). */
static bool
name_valid(struct tls_hello *out)
{
	size_t i, label = 0;

	if (out->name_len > 1 && out->name[out->name_len - 1] == '.')
		out->name[--out->name_len] = '\0';
	if (out->name_len > TLS_HELLO_NAME_MAX)
		return false;
	for (i = 0; i < out->name_len; i++) {
		if (out->name[i] == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if (!host_byte(out->name[i]) || ++label > DNS_LABEL_MAX)
			return false;
	}
	return label > 0;
}

/* A HostName of n bytes, lower-cased into out (which has room for a
 * longest name and its trailing dot). */
static bool
host_name(struct rd *r, size_t n, struct tls_hello *out)
{
	uint8_t c;
	size_t i;

	if (out->name_len > 0 || n > TLS_HELLO_NAME_MAX + 1)
		return fail(r, TLS_HELLO_MALFORMED);	/* a second one, or too long */
	for (i = 0; i < n; i++) {
		if (!get_u8(r, &c))
			return false;
		out->name[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	out->name[n] = '\0';
	out->name_len = n;
	if (!name_valid(out))
		return fail(r, TLS_HELLO_MALFORMED);
	return true;
}

/* RFC 6066 3: ServerNameList server_name_list<1..2^16-1>, filling the
 * extension; each ServerName is a name_type and, for host_name (the only
 * type defined), HostName<1..2^16-1>.  Other types are skipped as the
 * same opaque vector. */
static bool
server_name_ext(struct rd *r, size_t end, struct tls_hello *out)
{
	size_t list_end, name_end, type;

	if (!vec(r, 2, end, 1, 0xffff, &list_end))
		return false;
	if (list_end != end)
		return fail(r, TLS_HELLO_MALFORMED);
	while (r->hpos < list_end) {
		if (!get_uint(r, 1, &type) || !vec(r, 2, list_end, 1, 0xffff, &name_end))
			return false;
		if (type == TLS_SNI_HOST_NAME) {
			if (!host_name(r, name_end - r->hpos, out))
				return false;
		} else if (!skip(r, name_end - r->hpos))
			return false;
	}
	if (out->name_len == 0)
		return fail(r, TLS_HELLO_MALFORMED);
	return true;
}

/* Messages -------------------------------------------------------------------- */

/* RFC 8446 4.2: Extension extensions<..2^16-1>, filling the rest of the
 * ClientHello exactly.  server_name at most once (4.2: "MUST NOT be more
 * than one extension of the same type"). */
static bool
extensions(struct rd *r, size_t end, struct tls_hello *out)
{
	size_t exts_end, ext_end, type;
	bool seen = false;

	if (!vec(r, 2, end, 0, 0xffff, &exts_end))
		return false;
	if (exts_end != end)
		return fail(r, TLS_HELLO_MALFORMED);
	while (r->hpos < exts_end) {
		if (r->hpos + 2 > exts_end)
			return fail(r, TLS_HELLO_MALFORMED);
		if (!get_uint(r, 2, &type) || !vec(r, 2, exts_end, 0, 0xffff, &ext_end))
			return false;
		if (type != TLS_EXT_SERVER_NAME) {
			if (!skip(r, ext_end - r->hpos))
				return false;
			continue;
		}
		if (seen)
			return fail(r, TLS_HELLO_MALFORMED);
		seen = true;
		if (!server_name_ext(r, ext_end, out))
			return false;
	}
	return true;
}

/* RFC 8446 4.1.2 (and RFC 5246 7.4.1.2, where extensions may be absent):
 * legacy_version, random, legacy_session_id<0..32>,
 * cipher_suites<2..2^16-2> (pairs), legacy_compression_methods<1..2^8-1>,
 * extensions. */
static bool
client_hello(struct rd *r, struct tls_hello *out)
{
	size_t type, len, end, v;

	if (!get_uint(r, 1, &type) || !get_uint(r, 3, &len))
		return false;
	if (type != TLS_HS_CLIENT_HELLO || len > TLS_HELLO_MAX)
		return fail(r, TLS_HELLO_MALFORMED);
	end = TLS_HS_HDR + len;
	if (r->hpos + 2 + TLS_RANDOM_LEN > end)
		return fail(r, TLS_HELLO_MALFORMED);
	if (!get_uint(r, 2, &v))
		return false;
	if (v >> 8 != TLS_VERSION_MAJOR)
		return fail(r, TLS_HELLO_MALFORMED);
	if (!skip(r, TLS_RANDOM_LEN) ||
	    !vec(r, 1, end, 0, TLS_SESSION_ID_MAX, &v) || !skip(r, v - r->hpos) ||
	    !vec(r, 2, end, 2, 0xfffe, &v))
		return false;
	if ((v - r->hpos) % 2 != 0)
		return fail(r, TLS_HELLO_MALFORMED);
	if (!skip(r, v - r->hpos) || !vec(r, 1, end, 1, 0xff, &v) || !skip(r, v - r->hpos))
		return false;
	if (r->hpos == end)
		return true;		/* no extensions */
	return extensions(r, end, out);
}

enum tls_hello_rc
tls_hello_parse(const uint8_t *buf, size_t len, struct tls_hello *out)
{
	struct rd r = { .buf = buf, .len = len, .fail = TLS_HELLO_NEED_MORE };

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return TLS_HELLO_NEED_MORE;
	/* Not a TLS record at all: SSLv2's ClientHello starts with a byte
	 * with the top bit set, HTTP with a letter. */
	if (buf[0] != TLS_CT_HANDSHAKE || (len > 1 && buf[1] != TLS_VERSION_MAJOR))
		return TLS_HELLO_NOT_TLS;
	if (!client_hello(&r, out)) {
		out->name[0] = '\0';
		out->name_len = 0;
		return r.fail;
	}
	out->len = r.pos + r.rec_left;
	return out->name_len > 0 ? TLS_HELLO_FOUND : TLS_HELLO_NO_SNI;
}

const char *
tls_hello_rc_name(enum tls_hello_rc rc)
{
	static const char *const names[] = {
		[TLS_HELLO_NEED_MORE] = "need more", [TLS_HELLO_FOUND] = "server name",
		[TLS_HELLO_NO_SNI] = "no server name", [TLS_HELLO_NOT_TLS] = "not TLS",
		[TLS_HELLO_MALFORMED] = "malformed ClientHello",
	};

	return (unsigned)rc < sizeof(names) / sizeof(names[0]) ? names[rc] : "?";
}
