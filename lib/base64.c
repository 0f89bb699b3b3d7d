/* Strict base64 decoding; see base64.h. */
#include "config.h"

#include "lib/base64.h"

/* The value of an alphabet byte (RFC 4648 table 1), or -1. */
static int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* One quantum of four characters; the last one may end in "=" or "==".
 * Returns its byte count (1..3) or -1. */
static int
b64_quantum(const char *q, int last, uint8_t *out)
{
	int pad = 0, i, v[4];
	uint32_t bits;

	if (last)
		pad = q[3] != '=' ? 0 : q[2] != '=' ? 1 : 2;
	for (i = 0; i < 4 - pad; i++)
		if ((v[i] = b64_value((unsigned char)q[i])) < 0)
			return -1;
	for (; i < 4; i++)
		v[i] = 0;
	bits = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
	/* RFC 4648 3.5: the bits under the padding are zero in the canonical text. */
	if ((pad == 1 && (bits & 0xff) != 0) || (pad == 2 && (bits & 0xffff) != 0))
		return -1;
	out[0] = (uint8_t)(bits >> 16);
	out[1] = (uint8_t)(bits >> 8);
	out[2] = (uint8_t)bits;
	return 3 - pad;
}

ssize_t
base64_decode(const char *in, size_t len, uint8_t *out, size_t size)
{
	uint8_t tmp[3];
	size_t i, n = 0;
	int k;

	if (len % 4 != 0)
		return -1;
	for (i = 0; i < len; i += 4) {
		if ((k = b64_quantum(in + i, i + 4 == len, tmp)) < 0 || (size_t)k > size - n)
			return -1;
		for (int j = 0; j < k; j++)
			out[n++] = tmp[j];
	}
	return (ssize_t)n;
}
