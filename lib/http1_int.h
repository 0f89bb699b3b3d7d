/* What lib/http1.c and lib/http1_chunked.c share: byte classes.  Not for
 * users of the parsers. */
#ifndef KL7_HTTP1_INT_H
#define KL7_HTTP1_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/http1.h"

#define H1_TOKEN	0x01	/* tchar, RFC 9110 5.6.2 */
#define H1_CTL		0x02	/* 0x00-0x1f but HTAB, and 0x7f: never in a field (RFC 9110 5.5) */
#define H1_TARGET	0x04	/* 0x21-0x7e but '#': request-target bytes we accept */
#define H1_HEX		0x08	/* HEXDIG */
#define H1_REGNAME	0x10	/* unreserved / sub-delims / '%', RFC 3986 3.2.2 */
#define H1_QDTEXT	0x20	/* qdtext of a quoted-string, RFC 9110 5.6.4 */
#define H1_OWS		0x40	/* SP / HTAB */

extern const uint8_t http1_ctype[256];

#define H1_IS(c, class)	((http1_ctype[(unsigned char)(c)] & (class)) != 0)

/* http1_line(): where the line at p ends. */
enum h1_line {
	H1_LINE_MORE,		/* no CRLF yet: need more bytes */
	H1_LINE_OK,		/* *line_len bytes, then CRLF */
	H1_LINE_LONG,		/* the line and its CRLF do not fit in max bytes */
	H1_LINE_BAD,		/* bare CR, bare LF or a control byte: *err */
};

/* The framing fields of a head, from http1_framing(). */
struct h1_framing {
	unsigned	 n_cl;		/* Content-Length fields */
	uint64_t	 cl;
	unsigned	 n_te;		/* transfer codings, all fields */
	bool		 chunked;	/* chunked is the final coding */
	bool		 te_unknown;	/* a coding we do not know */
	bool		 conn_close;	/* Connection lists close */
	bool		 conn_keep_alive;
	bool		 conn_upgrade;
	bool		 conn_other;	/* ... and other tokens */
	unsigned	 n_upgrade;	/* Upgrade fields */
	bool		 upgrade_h2c;	/* an Upgrade field lists h2c */
	const char	*err;
};

/* Head parsing shared by requests and responses. */
struct h1_fields {
	struct http1_hdr *hdrs;
	size_t		 cap;		/* of hdrs (after any limit) */
	size_t		 n;		/* out */
	size_t		 max;		/* the head may not end beyond buf + max */
	const char	*err;
	bool		 too_big;	/* with -1: a limit, not syntax */
};

enum h1_line	http1_line(const char *p, size_t avail, size_t max, size_t *line_len,
		    const char **err);
ssize_t		http1_fields(const char *buf, size_t len, size_t off, struct h1_fields *f);
int		http1_framing(const struct http1_hdr *h, size_t n, struct h1_framing *f);
bool		http1_name_eq(const char *name, size_t len, const char *lower);
bool		http1_list_next(const char **p, const char *end, const char **elem,
		    size_t *elen);
bool		http1_keep_alive(unsigned minor, const struct h1_framing *f);

#endif
