/* The sticky-sync wire format (doc/sticky-sync.md): frames, their
 * authentication and the entries they carry.  Pure: no sockets, no
 * logging; a decoder checks that bytes are well formed and writes why not
 * into the caller's errbuf, the link (splice/l7_sync.c) applies policy.
 *
 * A frame is
 *
 *	length	u16	bytes after this field: type, body and MAC
 *	type	u8	enum sync_type
 *	body	...
 *	mac	16	HMAC-SHA-256-128 (RFC 4868 section 2.6) of the sender's
 *			sequence number (u64) and the frame up to the MAC;
 *			authenticated types only (SYNC_ENTRIES and after)
 *
 * all integers in network byte order.
 */
#ifndef KL7_SYNC_PROTO_H
#define KL7_SYNC_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/addr.h"

#define SYNC_VERSION		1
#define SYNC_MAGIC		"KL7Y"
#define SYNC_NONCE_LEN		32
#define SYNC_HMAC_LEN		32	/* SHA-256 output, RFC 6234 */
#define SYNC_MAC_LEN		16	/* truncated to 128 bits, RFC 4868 section 2.6 */
#define SYNC_HDR_LEN		3	/* length, type */
#define SYNC_FRAME_MAX		4096	/* largest length field */
#define SYNC_BODY_MAX		(SYNC_FRAME_MAX - 1 - SYNC_MAC_LEN)
#define SYNC_HELLO_LEN		(4 + 1 + SYNC_NONCE_LEN)
#define SYNC_ENTRY_MIN		23	/* all IPv4 */
#define SYNC_ENTRY_MAX		59	/* all IPv6 */
/* An entries body: a u16 count, then the entries. */
#define SYNC_ENTRIES_MAX	((SYNC_BODY_MAX - 2) / SYNC_ENTRY_MIN)

enum sync_type {
	SYNC_HELLO = 1,		/* magic, version, nonce: the challenge */
	SYNC_AUTH = 2,		/* HMAC of both nonces: the response */
	SYNC_ENTRIES = 3,	/* count, entries */
	SYNC_RESYNC_DONE = 4,	/* the whole table has been sent; empty */
	SYNC_PING = 5,		/* keeps the link known to be alive; empty */
};

/* One sticky entry, named so that it means the same on both nodes. */
struct sync_entry {
	struct kl_addr	 vs_addr;	/* virtual server */
	uint16_t	 vs_port;
	struct kl_addr	 client;
	struct kl_addr	 rs_addr;	/* real server */
	uint16_t	 rs_port;
	uint32_t	 remaining_ms;	/* of its life on the sender */
};

/* A frame split off a stream; pointers into the caller's bytes. */
struct sync_frame {
	enum sync_type	 type;
	const uint8_t	*body;
	size_t		 body_len;
	const uint8_t	*mac;		/* NULL: an unauthenticated type */
	size_t		 len;		/* of the whole frame, header included */
};

/* Whether frames of type t carry a MAC. */
bool	sync_type_authed(enum sync_type t);

/* The next frame at buf[0..len): its length (> 0) with *f filled; 0 if
 * more bytes are needed; -1 if malformed (a length out of range, an
 * unknown type, a body too short for its MAC). */
ssize_t	sync_frame_split(const uint8_t *buf, size_t len, struct sync_frame *f,
	    char *errbuf, size_t errlen);
/* True if f's MAC is right for key and sequence number seq. */
bool	sync_frame_verify(const struct sync_frame *f, const uint8_t key[SYNC_HMAC_LEN],
	    uint64_t seq);

/* Bodies.  Each decoder returns 0, or -1 with the reason in errbuf. */
int	sync_hello_decode(const struct sync_frame *f, uint8_t nonce[SYNC_NONCE_LEN],
	    char *errbuf, size_t errlen);
int	sync_auth_decode(const struct sync_frame *f, uint8_t mac[SYNC_HMAC_LEN],
	    char *errbuf, size_t errlen);
/* Up to SYNC_ENTRIES_MAX entries into out[]; their number in *n. */
int	sync_entries_decode(const struct sync_frame *f, struct sync_entry *out, size_t *n,
	    char *errbuf, size_t errlen);
/* Empty bodies (SYNC_RESYNC_DONE, SYNC_PING). */
int	sync_empty_decode(const struct sync_frame *f, char *errbuf, size_t errlen);

/* Encoders write into out[0..room) and return the bytes written, or 0 if
 * they do not fit (or e holds an address of no family). */
size_t	sync_hello_encode(uint8_t *out, size_t room, const uint8_t nonce[SYNC_NONCE_LEN]);
size_t	sync_auth_encode(uint8_t *out, size_t room, const uint8_t mac[SYNC_HMAC_LEN]);
/* One entry appended to an entries body being built (after its count). */
size_t	sync_entry_encode(uint8_t *out, size_t room, const struct sync_entry *e);
/* An authenticated frame of type t around body[0..body_len). */
size_t	sync_frame_encode(uint8_t *out, size_t room, enum sync_type t, const uint8_t *body,
	    size_t body_len, const uint8_t key[SYNC_HMAC_LEN], uint64_t seq);

/* Keys (HMAC-SHA-256, RFC 2104, keyed with the shared secret).  The
 * response a sender of nonce `mine` gives to the challenge `theirs`; and
 * the key of the frames that sender sends.  The sender's nonce comes
 * first, so that neither a response nor a frame can be reflected back. */
void	sync_auth_mac(const void *secret, size_t secret_len, const uint8_t mine[SYNC_NONCE_LEN],
	    const uint8_t theirs[SYNC_NONCE_LEN], uint8_t out[SYNC_HMAC_LEN]);
void	sync_session_key(const void *secret, size_t secret_len,
	    const uint8_t mine[SYNC_NONCE_LEN], const uint8_t theirs[SYNC_NONCE_LEN],
	    uint8_t out[SYNC_HMAC_LEN]);
/* Constant-time comparison of two MACs. */
bool	sync_mac_equal(const uint8_t *a, const uint8_t *b, size_t len);

#endif
