/* libFuzzer harness: reading Basic credentials from an Authorization
 * value (splice/auth_basic.c) and the strict base64 decoder under it
 * (lib/base64.c), on a heap copy of exactly the input's size (ASan sees
 * any read past it).
 *
 * Asserted: decoded base64 is at most 3/4 of the text and encodes back
 * to exactly the text (only the canonical spelling decodes); credentials
 * read from a value are a non-empty user without ':' or control bytes
 * and a password without control bytes, within the bounds, and the value
 * "Basic " + base64(user:password) reads back to them.
 * Build and run: `make fuzz` / `make fuzz-regress` (test/fuzz/fuzz.mk).
 */
#include "config.h"

#include "test/fuzz/fuzz.h"

#include <string.h>

#include "lib/base64.h"
#include "splice/auth_basic.h"

static size_t
b64_encode(const uint8_t *in, size_t len, char *out)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i, o = 0;

	for (i = 0; i < len; i += 3) {
		uint32_t b = (uint32_t)in[i] << 16;

		if (i + 1 < len)
			b |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < len)
			b |= in[i + 2];
		out[o++] = a[b >> 18 & 63];
		out[o++] = a[b >> 12 & 63];
		out[o++] = i + 1 < len ? a[b >> 6 & 63] : '=';
		out[o++] = i + 2 < len ? a[b & 63] : '=';
	}
	return o;
}

static void
check_base64(const char *text, size_t size)
{
	uint8_t out[4096];
	char again[sizeof(out) / 3 * 4 + 4];
	ssize_t n;

	if (size > sizeof(again))
		return;
	n = base64_decode(text, size, out, sizeof(out));
	if (n < 0)
		return;
	FUZZ_ASSERT((size_t)n <= BASE64_DECODED_MAX(size));
	FUZZ_ASSERT(b64_encode(out, (size_t)n, again) == size);
	FUZZ_ASSERT(memcmp(again, text, size) == 0);
}

static bool
no_ctl(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static void
check_cred(const char *value, size_t size)
{
	struct auth_basic_cred c, again;
	char raw[AUTH_BASIC_USER_MAX + 1 + AUTH_BASIC_PASS_MAX];
	char v[6 + AUTH_BASIC_B64_MAX];
	size_t ulen, plen;

	if (!auth_basic_parse(value, size, &c))
		return;
	ulen = strlen(c.user);
	plen = strlen(c.pass);
	FUZZ_ASSERT(ulen > 0 && ulen <= AUTH_BASIC_USER_MAX && plen <= AUTH_BASIC_PASS_MAX);
	FUZZ_ASSERT(strchr(c.user, ':') == NULL && no_ctl(c.user) && no_ctl(c.pass));
	memcpy(raw, c.user, ulen);
	raw[ulen] = ':';
	memcpy(raw + ulen + 1, c.pass, plen);
	memcpy(v, "Basic ", 6);
	size = 6 + b64_encode((const uint8_t *)raw, ulen + 1 + plen, v + 6);
	FUZZ_ASSERT(auth_basic_parse(v, size, &again));
	FUZZ_ASSERT(strcmp(again.user, c.user) == 0 && strcmp(again.pass, c.pass) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size > 0 ? size : 1);

	if (buf == NULL)
		return 0;
	if (size > 0)
		memcpy(buf, data, size);
	check_base64(buf, size);
	check_cred(buf, size);
	free(buf);
	return 0;
}
