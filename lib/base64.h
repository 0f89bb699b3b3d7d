/* Base64 decoding, RFC 4648 section 4 (the standard alphabet, '=' padding),
 * strict: what a peer sends is decoded only if it is the one canonical
 * encoding of its bytes.
 *
 * Pure: no allocation, no logging.
 */
#ifndef KL7_BASE64_H
#define KL7_BASE64_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The most bytes len characters of base64 decode to. */
#define BASE64_DECODED_MAX(len)	((len) / 4 * 3)

/* Decode in[0..len) into out[0..size).  Returns the number of bytes, or
 * -1 if the text is not strict base64: a length that is not a multiple
 * of 4 (RFC 4648 3.2: padding is required), a byte outside the alphabet
 * (3.3: no line breaks or spaces either), '=' anywhere but in the last
 * one or two places, non-zero bits under the padding (3.5: another text
 * for the same bytes), or more bytes than size.  An empty text is 0
 * bytes (10: BASE64("") = ""). */
ssize_t	base64_decode(const char *in, size_t len, uint8_t *out, size_t size);

#endif
