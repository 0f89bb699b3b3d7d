/* Strict HTTP/1.1 message parsers (RFC 9112): response head, request head
 * and a chunked body scanner.
 *
 * picohttpparser style: the parsers read the caller's buffer and return
 * pointers and lengths into it; they never allocate and never write to it.
 * They are stateless: a caller that has received more bytes calls again
 * with the grown buffer.  The answer for any prefix of a message is either
 * "need more" (0) or the answer for the whole message, so the split points
 * of a message on the wire never change the outcome.
 *
 * Strictness, for a proxy that may forward header bytes as received (each
 * is an error: 400 for a request, -1 for a response, which a proxy answers
 * with 502):
 *   - lines end in CRLF; a bare LF or a bare CR is an error (RFC 9112 2.2
 *     lets a recipient accept a bare LF; a proxy that splices bytes through
 *     must not, or the next hop may frame the message differently);
 *   - no obs-fold (a line starting with SP or HTAB, RFC 9112 5.2), no
 *     whitespace before the colon (5.1), header names are tokens, values
 *     hold no control byte but HTAB (RFC 9110 5.5);
 *   - Content-Length is 1*DIGIT that fits in 64 bits, and appears once:
 *     "42, 42" and two identical Content-Length fields are rejected, not
 *     merged (RFC 9110 8.6 allows either; rejecting means no rewrite);
 *   - Transfer-Encoding with Content-Length, chunked applied twice or not
 *     last, Transfer-Encoding in HTTP/1.0, empty list elements or coding
 *     parameters in Transfer-Encoding: rejected;
 *   - Connection and Upgrade must be lists of tokens.
 */
#ifndef KL7_HTTP1_H
#define KL7_HTTP1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct http1_hdr {			/* points into the caller's buffer */
	const char	*name;
	size_t		 name_len;
	const char	*value;		/* OWS trimmed */
	size_t		 value_len;
};

enum http1_body {
	HTTP1_BODY_NONE,		/* no body: HEAD, 1xx, 204, 304, or request without CL/TE */
	HTTP1_BODY_LENGTH,		/* content_length bytes (may be 0) */
	HTTP1_BODY_CHUNKED,
	HTTP1_BODY_CLOSE,		/* response only: read until the server closes */
};

/* Response head ------------------------------------------------------------ */

struct http1_response {
	unsigned		 minor;		/* HTTP/1.minor (0 or 1) */
	unsigned		 status;	/* 100..599 */
	const char		*reason;
	size_t			 reason_len;
	struct http1_hdr	*hdrs;		/* caller's array */
	size_t			 n_hdrs;	/* in: capacity; out: count */
	enum http1_body		 body;
	uint64_t		 content_length;
	bool			 keep_alive;	/* after RFC 9112 §9.3 rules for the version and Connection */
	bool			 upgrade;	/* 101 with Upgrade */
	const char		*error;		/* static text, set when -1 is returned */
};

/* Parse a response head in buf[0..len).  Returns the length of the head
 * (status line + headers + final CRLF) when complete, 0 when more bytes are
 * needed, -1 when the head is malformed (r->error says why; a proxy answers 502).
 * head_request: the request was HEAD (no body whatever the headers say).
 *
 * Framing (RFC 9112 6.3): HEAD, 1xx, 204 and 304 have no body (their
 * Content-Length and Transfer-Encoding are still checked); a final coding
 * other than chunked means the body ends when the server closes (rule 4,
 * body HTTP1_BODY_CLOSE and keep_alive false), as does the absence of both
 * fields.  101 must carry Upgrade (RFC 9110 15.2.2); then upgrade is set and
 * keep_alive is false: what follows is no longer HTTP/1.  A 2xx answer to
 * CONNECT starts a tunnel (rule 2): the caller knows the method, not us.
 * The size of the head is bounded by the caller's buffer; more header
 * fields than the array holds is an error (set n_hdrs to the capacity
 * before every call).  "HTTP/1.1 200" with no SP and no reason is taken:
 * it is unambiguous and some servers send it. */
ssize_t	http1_parse_response(const char *buf, size_t len, bool head_request,
	    struct http1_response *r);

/* Request head ------------------------------------------------------------- */

enum http1_method {		/* RFC 9110 9.3, RFC 5789; names are case-sensitive */
	HTTP1_METHOD_OTHER,	/* another token: method_name says which */
	HTTP1_METHOD_GET,
	HTTP1_METHOD_HEAD,
	HTTP1_METHOD_POST,
	HTTP1_METHOD_PUT,
	HTTP1_METHOD_DELETE,
	HTTP1_METHOD_CONNECT,
	HTTP1_METHOD_OPTIONS,
	HTTP1_METHOD_TRACE,
	HTTP1_METHOD_PATCH,
};

enum http1_target_form {	/* RFC 9112 3.2 */
	HTTP1_TARGET_ORIGIN,	/* /path?query */
	HTTP1_TARGET_ABSOLUTE,	/* http://authority/path?query (http and https only) */
	HTTP1_TARGET_AUTHORITY,	/* host:port, with CONNECT only */
	HTTP1_TARGET_ASTERISK,	/* *, with OPTIONS only */
};

#define HTTP1_REQUEST_LINE_DEFAULT	8192
#define HTTP1_HEADER_SIZE_DEFAULT	16384
#define HTTP1_HEADER_SIZE_MAX		65536	/* max_header_size is clamped to this */
#define HTTP1_HEADERS_DEFAULT		100

struct http1_limits {
	size_t	max_request_line;	/* request-line without its CRLF; longer: 414 */
	size_t	max_header_size;	/* the whole head, request-line and empty line
					 * included; larger: 431 */
	size_t	max_headers;		/* header fields; more: 431 (the array's
					 * capacity is a limit too) */
};

#define HTTP1_LIMITS_DEFAULT { HTTP1_REQUEST_LINE_DEFAULT, HTTP1_HEADER_SIZE_DEFAULT, \
	HTTP1_HEADERS_DEFAULT }

struct http1_request {
	enum http1_method	 method;
	const char		*method_name;
	size_t			 method_len;
	enum http1_target_form	 form;
	const char		*target;	/* the request-target as received */
	size_t			 target_len;
	const char		*path;		/* origin and absolute form: up to "?";
						 * length 0 for "http://h" (means "/");
						 * NULL for the other forms */
	size_t			 path_len;
	const char		*query;		/* after "?"; NULL without "?" */
	size_t			 query_len;
	unsigned		 minor;		/* HTTP/1.minor (0 or 1) */
	struct http1_hdr	*hdrs;		/* caller's array */
	size_t			 n_hdrs;	/* in: capacity; out: count */
	const char		*host;		/* reg-name, IPv4 or [IPv6], no port: from
						 * the target in absolute and authority
						 * form, else from Host; NULL if neither */
	size_t			 host_len;
	unsigned		 port;		/* given with host; 0 if none */
	enum http1_body		 body;		/* NONE, LENGTH or CHUNKED */
	uint64_t		 content_length;
	bool			 keep_alive;	/* RFC 9112 9.3 */
	bool			 expect_continue; /* Expect: 100-continue, HTTP/1.1 */
	bool			 upgrade;	/* Upgrade listed in Connection, HTTP/1.1 */
	bool			 upgrade_h2c;	/* ... and h2c is offered */
	bool			 conn_other;	/* Connection lists other fields: see
						 * http1_conn_lists() */
	int			 status;	/* with -1: the status to answer */
	const char		*error;		/* with -1: static text */
};

/* Parse a request head in buf[0..len) (lim NULL: the defaults).  Returns
 * the length of the head (empty lines before the request-line, RFC 9112
 * 2.2, included) when complete, 0 when more bytes are needed, -1 when the
 * request is to be refused: r->status is the answer, r->error why; the
 * caller answers and closes.
 *   400  syntax, framing (see the top of this file), Host missing in 1.1,
 *        duplicate or invalid (RFC 9112 3.2), differing from an absolute
 *        or authority-form target, a target form the method does not allow,
 *        "#" or a byte outside 0x21-0x7e in the target;
 *   414  request-line longer than max_request_line;
 *   431  head larger than max_header_size (also while incomplete), more
 *        header fields than max_headers or the array holds;
 *   417  an expectation other than 100-continue (RFC 9110 10.1.1);
 *   501  a transfer coding we do not know before the final chunked
 *        (RFC 9112 6.1);
 *   505  an HTTP version other than 1.0 and 1.1.
 * A request with neither Content-Length nor Transfer-Encoding has no body.
 * Host ports: 1-65535; an empty Host is refused. */
ssize_t	http1_parse_request(const char *buf, size_t len, const struct http1_limits *lim,
	    struct http1_request *r);

/* Whether a Connection field in hdrs lists name (case-insensitive), which
 * makes that field hop-by-hop (RFC 9110 7.6.1).  Never true for
 * Content-Length, Transfer-Encoding and Host: a proxy does not drop framing
 * or routing fields because the sender asked it to. */
bool	http1_conn_lists(const struct http1_hdr *hdrs, size_t n, const char *name,
	    size_t name_len);

/* Chunked body scanner ----------------------------------------------------- */

#define HTTP1_CHUNK_SIZE_MAX	(UINT64_C(1) << 62)	/* larger sizes are an error */
#define HTTP1_CHUNK_DIGITS_MAX	16	/* hex digits in a chunk-size, leading 0s included */
#define HTTP1_CHUNK_EXT_MAX	4096	/* bytes of chunk-ext on one size line, from the first ";" */
#define HTTP1_TRAILERS_MAX	16384	/* bytes of trailer section */

struct http1_chunked {
	unsigned	 state;		/* private */
	unsigned	 digits;	/* hex digits read on this size line */
	uint64_t	 left;		/* chunk-size, then data bytes not yet consumed */
	size_t		 ext_len;	/* chunk-ext bytes on this size line */
	size_t		 trailer_len;	/* trailer section bytes so far */
	const char	*error;		/* static text once step returned -1 */
};

void	http1_chunked_init(struct http1_chunked *c);

/* Chunked body scanner (RFC 9112 §7.1): walks a chunked body without copying
 * or changing it, so the same code serves a proxy (forward bytes unchanged,
 * framing validated) and a reader that needs the decoded data.
 * Consume from buf[0..len): returns the number of bytes consumed (> 0 unless
 * len == 0 or done), with *data_len = how many of them, at the START of buf,
 * are body data (0 when the consumed bytes were framing: size lines, chunk
 * extensions, CRLFs, trailers).  Returns -1 on bad framing (c->error gives
 * the text), and again on every later call.  Call in a loop.
 *
 * One call consumes at most the data left in the current chunk and then the
 * framing up to the next chunk's first data byte (or the end of the body),
 * so a body is walked in about one call per chunk.  When framing turns out
 * bad after some bytes of the call were consumed, the call returns those
 * and the next call returns -1: the bytes before the bad one are always
 * reported. */
ssize_t	http1_chunked_step(struct http1_chunked *c, const char *buf, size_t len,
	    size_t *data_len);

/* Last chunk and trailers consumed: the body ends at the last byte consumed. */
bool	http1_chunked_done(const struct http1_chunked *c);

/* Data bytes of the current chunk not yet consumed: a proxy may splice that
 * many without looking (0 outside chunk data). */
uint64_t http1_chunked_data_left(const struct http1_chunked *c);

#endif
