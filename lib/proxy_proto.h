/* The PROXY protocol (HAProxy's specification, versions 1 and 2): the
 * header a proxy sends first on a connection to say which client it
 * carries.  Stateless like the HTTP/1 parsers (lib/http1.h): the decoder
 * reads the caller's buffer, never writes it, and a caller with more bytes
 * calls again; any prefix of a header is "need more" or the answer for the
 * whole header.
 *
 * Strict: version 1 is "PROXY TCP4|TCP6 SRC DST SPORT DPORT\r\n" with
 * literal addresses of the named family, ports in 0..65535 without
 * leading zeros, single spaces, at most 107 bytes, or "PROXY UNKNOWN ...";
 * version 2 has the 12-byte signature, version 2, command LOCAL or PROXY,
 * and for PROXY a TCP over IPv4 or IPv6 address block, followed by TLVs
 * that must fill the announced length exactly.  Anything else is refused.
 * LOCAL, UNKNOWN and version 2's UNSPEC family carry no client: the
 * connection's own addresses stand.
 */
#ifndef KL7_PROXY_PROTO_H
#define KL7_PROXY_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/addr.h"

#define PROXY_V1_MAX		107	/* spec 2.1: the longest v1 line, CRLF included */
#define PROXY_V2_SIG_LEN	12	/* spec 2.2 */
#define PROXY_V2_HDR_LEN	16	/* signature, ver_cmd, fam, len */
#define PROXY_V2_MAX		(PROXY_V2_HDR_LEN + 512)	/* ours: TLVs beyond are refused */

enum proxy_version { PROXY_V1 = 1, PROXY_V2 = 2 };

struct proxy_hdr {
	unsigned	 version;
	bool		 has_addrs;	/* false: LOCAL, UNKNOWN, UNSPEC */
	struct kl_addr	 src;
	struct kl_addr	 dst;
	uint16_t	 src_port;
	uint16_t	 dst_port;
	size_t		 len;		/* bytes of the header */
};

/* A header at buf[0..len): its length (> 0, out filled), 0 if more bytes
 * are needed, -1 if it is not a valid PROXY header. */
ssize_t	proxy_decode(const char *buf, size_t len, struct proxy_hdr *out);

/* The header of version v for a TCP connection from src:sport to
 * dst:dport at out[0..size); its length, or -1 if it does not fit.  With
 * addresses of two families (a client that came with IPv4 in its own
 * PROXY header to an IPv6 listener), the header says UNKNOWN (v1) or
 * LOCAL (v2): the server then sees our address, as without the protocol. */
ssize_t	proxy_encode(char *out, size_t size, enum proxy_version v, const struct kl_addr *src,
	    uint16_t sport, const struct kl_addr *dst, uint16_t dport);

#endif
