/* libFuzzer harness: the chunked body scanner alone (lib/http1_chunked.c),
 * the input taken as a chunked body from its first byte.
 *
 * The walks of fuzz_chunked.h must agree (one call, byte by byte, pieces
 * of 7, pieces of the sizes the bytes give).  A body the scanner takes to
 * its end is decoded again by a second, naive reader that trusts the
 * framing (hex digits, then up to the first CRLF; data; CRLF; after the
 * last chunk, up to the first empty line): it must find the same framing
 * where the scanner found it, the same data and the same end, and every
 * limit of http1.h held (digits, size, extension and trailer bytes).
 * The seeds reach each state and each limit, on both sides of it.
 * Build and run: `make fuzz` / `make fuzz-regress` (test/fuzz/fuzz.mk).
 */
#include "config.h"

#include "test/fuzz/fuzz.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "lib/http1.h"
#include "test/fuzz/fuzz_chunked.h"

/* A hex digit's value, or -1. */
static int
hex_value(char ch)
{
	static const char digits[] = "0123456789abcdef";
	const char *d = ch != '\0' ? strchr(digits, tolower((unsigned char)ch)) : NULL;

	return d != NULL ? (int)(d - digits) : -1;
}

/* The offset just past the CRLF that ends the line at off. */
static size_t
line_end(const char *in, size_t len, size_t off)
{
	const char *crlf = memmem(in + off, len - off, "\r\n", 2);

	FUZZ_ASSERT(crlf != NULL);
	return (size_t)(crlf - in) + 2;
}

/* A size line at *off: its chunk-size, *off moved past its CRLF. */
static uint64_t
size_line(const char *in, size_t len, size_t *off)
{
	size_t start = *off, end, digits = 0;
	const char *semi;
	uint64_t size = 0;
	int d;

	while (*off < len && (d = hex_value(in[*off])) != -1) {
		FUZZ_ASSERT(++digits <= HTTP1_CHUNK_DIGITS_MAX);
		size = size << 4 | (uint64_t)d;
		(*off)++;
	}
	FUZZ_ASSERT(digits > 0 && size <= HTTP1_CHUNK_SIZE_MAX);
	end = line_end(in, len, *off);
	if ((semi = memchr(in + start, ';', end - 2 - start)) != NULL)
		FUZZ_ASSERT(in + end - 2 - semi <= HTTP1_CHUNK_EXT_MAX);
	else
		FUZZ_ASSERT(end - 2 == *off);	/* then only the size */
	*off = end;
	return size;
}

/* Decode a body the scanner took whole; compare with its walk. */
static void
check_naive(const char *in, size_t len, const struct walk *w)
{
	size_t off = 0, ndata = 0, trailers, i;
	uint64_t size, sum = 0;
	const char *blank;

	while ((size = size_line(in, len, &off)) > 0) {
		FUZZ_ASSERT(size <= len - off);
		for (i = 0; i < size; i++, ndata++)
			sum = chunk_sum(sum, (unsigned char)in[off + i], ndata);
		off += size;
		FUZZ_ASSERT(len - off >= 2 && memcmp(in + off, "\r\n", 2) == 0);
		off += 2;
	}
	/* The trailer section ends at the first empty line: "\r\n\r\n" with
	 * the last chunk's CRLF when there is no trailer field. */
	blank = memmem(in + off - 2, len - off + 2, "\r\n\r\n", 4);
	FUZZ_ASSERT(blank != NULL);
	trailers = (size_t)(blank - in) + 4 - off;
	FUZZ_ASSERT(trailers <= HTTP1_TRAILERS_MAX);
	FUZZ_ASSERT(off + trailers == w->consumed);
	FUZZ_ASSERT(ndata == w->ndata && sum == w->sum);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);	/* exactly size bytes for ASan */
	struct walk w;

	if (buf == NULL)
		abort();
	memcpy(buf, data, size);
	check_chunked(buf, size, &w);
	if (w.rc == 1)
		check_naive(buf, w.consumed, &w);
	free(buf);
	return 0;
}
