/* Chunked body scanner (RFC 9112 7.1): a byte-driven state machine over
 * the framing, data passed over in runs.  See http1.h.
 *
 *   chunked-body = *chunk last-chunk trailer-section CRLF
 *   chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
 *   last-chunk   = 1*("0") [ chunk-ext ] CRLF
 *   chunk-ext    = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
 *
 * Like the head parsers, lines end in CRLF only; the BWS of chunk-ext is
 * accepted where the grammar puts it (before ";" and around "="), never
 * before the CRLF.
 */
#include "config.h"

#include <string.h>

#include "lib/http1.h"
#include "lib/http1_int.h"

enum {
	S_SIZE,			/* first hex digit of chunk-size */
	S_SIZE_MORE,		/* more digits, BWS, ";" or CR */
	S_SIZE_WS,		/* BWS after the size: ";" must follow */
	S_EXT_NAME_START,	/* after ";": BWS, then a token */
	S_EXT_NAME,
	S_EXT_NAME_WS,		/* BWS after a name: "=" or ";" must follow */
	S_EXT_VAL_START,	/* after "=": BWS, then a token or a quoted-string */
	S_EXT_TOKEN,
	S_EXT_QUOTED,
	S_EXT_QPAIR,		/* after a backslash in a quoted-string */
	S_EXT_QEND,		/* after the closing quote */
	S_EXT_VAL_WS,		/* BWS after a value: ";" must follow */
	S_SIZE_LF,
	S_DATA,
	S_DATA_CR,
	S_DATA_LF,
	S_TRAILER_START,	/* a trailer field line or the final CRLF */
	S_TRAILER_NAME,
	S_TRAILER_VALUE,
	S_TRAILER_LF,
	S_END_LF,
	S_DONE,
	S_ERROR,
};

void
http1_chunked_init(struct http1_chunked *c)
{
	memset(c, 0, sizeof(*c));
	c->state = S_SIZE;
}

bool
http1_chunked_done(const struct http1_chunked *c)
{
	return c->state == S_DONE;
}

uint64_t
http1_chunked_data_left(const struct http1_chunked *c)
{
	return c->state == S_DATA ? c->left : 0;
}

static int
fail(struct http1_chunked *c, const char *why)
{
	c->error = why;
	return -1;
}

static int
size_digit(struct http1_chunked *c, char ch)
{
	unsigned d;

	if (ch >= '0' && ch <= '9')
		d = (unsigned)(ch - '0');
	else if (ch >= 'a' && ch <= 'f')
		d = (unsigned)(ch - 'a' + 10);
	else
		d = (unsigned)(ch - 'A' + 10);
	if (++c->digits > HTTP1_CHUNK_DIGITS_MAX)
		return fail(c, "chunk size has too many digits");
	if (c->left > HTTP1_CHUNK_SIZE_MAX >> 4)
		return fail(c, "chunk size too large");
	c->left = c->left << 4 | d;
	if (c->left > HTTP1_CHUNK_SIZE_MAX)
		return fail(c, "chunk size too large");
	c->state = S_SIZE_MORE;
	return 0;
}

/* The CR ending a size line. */
static int
size_cr(struct http1_chunked *c)
{
	c->state = S_SIZE_LF;
	return 0;
}

/* chunk-size and the BWS after it. */
static int
size_byte(struct http1_chunked *c, char ch)
{
	if (H1_IS(ch, H1_HEX) && c->state != S_SIZE_WS)
		return size_digit(c, ch);
	if (c->state == S_SIZE)
		return fail(c, "bad chunk size");
	if (ch == ';') {
		c->state = S_EXT_NAME_START;
		c->ext_len = 1;
		return 0;
	}
	if (H1_IS(ch, H1_OWS)) {
		c->state = S_SIZE_WS;
		return 0;
	}
	if (ch == '\r' && c->state == S_SIZE_MORE)
		return size_cr(c);
	return fail(c, "bad chunk size");
}

/* The value of a chunk extension: token / quoted-string. */
static int
ext_value_byte(struct http1_chunked *c, char ch)
{
	switch (c->state) {
	case S_EXT_VAL_START:
		if (H1_IS(ch, H1_OWS))
			return 0;
		if (ch == '"')
			c->state = S_EXT_QUOTED;
		else if (H1_IS(ch, H1_TOKEN))
			c->state = S_EXT_TOKEN;
		else
			return fail(c, "bad chunk extension value");
		return 0;
	case S_EXT_QUOTED:
		if (ch == '"')
			c->state = S_EXT_QEND;
		else if (ch == '\\')
			c->state = S_EXT_QPAIR;
		else if (!H1_IS(ch, H1_QDTEXT))
			return fail(c, "bad byte in chunk extension");
		return 0;
	case S_EXT_QPAIR:		/* quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ) */
		if (H1_IS(ch, H1_CTL))
			return fail(c, "bad byte in chunk extension");
		c->state = S_EXT_QUOTED;
		return 0;
	default:			/* S_EXT_TOKEN */
		if (H1_IS(ch, H1_TOKEN))
			return 0;
		break;
	}
	return -2;			/* not a value byte: the separators decide */
}

/* What may follow a name or a value: BWS, "=", ";" or the CR. */
static int
ext_separator(struct http1_chunked *c, char ch)
{
	bool after_name = c->state == S_EXT_NAME || c->state == S_EXT_NAME_WS;
	bool after_ws = c->state == S_EXT_NAME_WS || c->state == S_EXT_VAL_WS;

	if (ch == ';')
		c->state = S_EXT_NAME_START;
	else if (ch == '=' && after_name)
		c->state = S_EXT_VAL_START;
	else if (H1_IS(ch, H1_OWS))
		c->state = after_name ? S_EXT_NAME_WS : S_EXT_VAL_WS;
	else if (ch == '\r' && !after_ws)
		return size_cr(c);
	else
		return fail(c, "bad chunk extension");
	return 0;
}

static int
ext_byte(struct http1_chunked *c, char ch)
{
	int rc;

	if (ch != '\r' && ++c->ext_len > HTTP1_CHUNK_EXT_MAX)
		return fail(c, "chunk extension too long");
	switch (c->state) {
	case S_EXT_NAME_START:
		if (H1_IS(ch, H1_OWS))
			return 0;
		if (!H1_IS(ch, H1_TOKEN))
			return fail(c, "bad chunk extension name");
		c->state = S_EXT_NAME;
		return 0;
	case S_EXT_NAME:
		if (H1_IS(ch, H1_TOKEN))
			return 0;
		break;
	case S_EXT_VAL_START:
	case S_EXT_TOKEN:
	case S_EXT_QUOTED:
	case S_EXT_QPAIR:
		if ((rc = ext_value_byte(c, ch)) != -2)
			return rc;
		break;
	default:
		break;
	}
	return ext_separator(c, ch);
}

/* trailer-section = *( field-line CRLF ), checked as head fields are. */
static int
trailer_byte(struct http1_chunked *c, char ch)
{
	if (++c->trailer_len > HTTP1_TRAILERS_MAX)
		return fail(c, "trailer section too large");
	switch (c->state) {
	case S_TRAILER_START:
		if (ch == '\r')
			c->state = S_END_LF;
		else if (H1_IS(ch, H1_OWS))
			return fail(c, "obsolete line folding in trailers");
		else if (!H1_IS(ch, H1_TOKEN))
			return fail(c, ch == ':' ? "empty trailer name" : "bad byte in trailer name");
		else
			c->state = S_TRAILER_NAME;
		return 0;
	case S_TRAILER_NAME:
		if (ch == ':')
			c->state = S_TRAILER_VALUE;
		else if (!H1_IS(ch, H1_TOKEN))
			return fail(c, H1_IS(ch, H1_OWS) ? "whitespace before colon in trailer" :
			    "bad byte in trailer name");
		return 0;
	case S_TRAILER_VALUE:
		if (ch == '\r')
			c->state = S_TRAILER_LF;
		else if (H1_IS(ch, H1_CTL))
			return fail(c, "control byte in trailer");
		return 0;
	case S_TRAILER_LF:
		if (ch != '\n')
			return fail(c, "bare CR in trailers");
		c->state = S_TRAILER_START;
		return 0;
	default:			/* S_END_LF */
		if (ch != '\n')
			return fail(c, "bare CR after trailers");
		c->state = S_DONE;
		return 0;
	}
}

/* One byte of framing. */
static int
framing_byte(struct http1_chunked *c, char ch)
{
	switch (c->state) {
	case S_SIZE:
	case S_SIZE_MORE:
	case S_SIZE_WS:
		return size_byte(c, ch);
	case S_SIZE_LF:
		if (ch != '\n')
			return fail(c, "bare CR after chunk size");
		c->state = c->left > 0 ? S_DATA : S_TRAILER_START;
		return 0;
	case S_DATA_CR:
		if (ch != '\r')
			return fail(c, "no CRLF after chunk data");
		c->state = S_DATA_LF;
		return 0;
	case S_DATA_LF:
		if (ch != '\n')
			return fail(c, "no CRLF after chunk data");
		c->state = S_SIZE;
		c->digits = 0;
		c->ext_len = 0;
		return 0;
	case S_TRAILER_START:
	case S_TRAILER_NAME:
	case S_TRAILER_VALUE:
	case S_TRAILER_LF:
	case S_END_LF:
		return trailer_byte(c, ch);
	default:
		return ext_byte(c, ch);
	}
}

ssize_t
http1_chunked_step(struct http1_chunked *c, const char *buf, size_t len, size_t *data_len)
{
	size_t i = 0;

	*data_len = 0;
	if (c->state == S_ERROR)
		return -1;
	if (c->state == S_DATA && len > 0) {
		i = len < c->left ? len : (size_t)c->left;
		c->left -= i;
		*data_len = i;
		if (c->left == 0)
			c->state = S_DATA_CR;
	}
	for (; i < len && c->state != S_DATA && c->state != S_DONE; i++) {
		if (framing_byte(c, buf[i]) == -1) {
			c->state = S_ERROR;
			return i > 0 ? (ssize_t)i : -1;
		}
	}
	return (ssize_t)i;
}
