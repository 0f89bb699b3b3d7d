/* The server name a TLS client asks for, read from its ClientHello
 * without terminating TLS (SNI routing of a lb_kind NAT virtual server,
 * keepalive-l7.conf(5) tls_route).
 *
 * Stateless like lib/proxy_proto.h: the caller keeps every byte the
 * client sent so far in one buffer (it forwards them to the server
 * afterwards) and calls again with more; any prefix of a ClientHello is
 * TLS_HELLO_NEED_MORE or the answer for the whole of it.  Nothing is
 * allocated and nothing but the name is copied: the handshake message
 * may be split over several TLS records (RFC 5246 6.2.1 fragmentation),
 * which the parser reads through in place, skipping their 5-byte
 * headers.  Only
 * length fields and the server_name extension are looked at, so a call
 * costs about one step per record and per field, not per byte.
 *
 * Strict: every length is checked against its container (record,
 * handshake message, extensions block, extension, name list); the
 * records before the end of the ClientHello must be handshake records of
 * a TLS version (major 3) and nothing else; a ClientHello longer than
 * TLS_HELLO_MAX bytes on the wire is MALFORMED.  The name is returned
 * lower-cased in the caller's struct, without a trailing dot
 * ("Example.COM." is "example.com"); a name that is not a host name
 * (RFC 6066 3: "HostName" is an ASCII DNS name: letters, digits, '-',
 * '_' and dots, no empty label, at most 253 bytes) is MALFORMED, not
 * NO_SNI, since a client that sends one is broken or probing.  A
 * server_name extension that is present twice, or whose list has no
 * host_name entry, or two, is MALFORMED (RFC 6066 3: "MUST NOT contain
 * more than one name of the same name_type").
 */
#ifndef KL7_TLS_HELLO_H
#define KL7_TLS_HELLO_H

#include <stddef.h>
#include <stdint.h>

#define TLS_HELLO_MAX		16384	/* ours: bytes of records buffered for one ClientHello */
#define TLS_HELLO_NAME_MAX	253	/* RFC 1035 2.3.4, as text without the final dot */

enum tls_hello_rc {
	TLS_HELLO_NEED_MORE,	/* a prefix of a ClientHello: read more */
	TLS_HELLO_FOUND,	/* a server_name: out->name */
	TLS_HELLO_NO_SNI,	/* a complete ClientHello without server_name */
	TLS_HELLO_NOT_TLS,	/* the first byte is not a TLS handshake record (SSLv2, HTTP...) */
	TLS_HELLO_MALFORMED,	/* a TLS record, but not a valid ClientHello */
};

struct tls_hello {
	char		 name[TLS_HELLO_NAME_MAX + 2];	/* FOUND: NUL-terminated (room for
							 * the dot dropped) */
	size_t		 name_len;
	size_t		 len;		/* FOUND, NO_SNI: bytes of the records that held it */
};

/* Parse buf[0..len), the first bytes a client sent. */
enum tls_hello_rc tls_hello_parse(const uint8_t *buf, size_t len, struct tls_hello *out);

/* "need more", "found"... for logs. */
const char	*tls_hello_rc_name(enum tls_hello_rc rc);

#endif
