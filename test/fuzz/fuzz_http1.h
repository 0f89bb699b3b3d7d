/* Invariants the HTTP/1 fuzz harnesses assert on parsed header fields:
 * every pointer inside the input, names non-empty tokens, values free of
 * control bytes but HTAB and of surrounding whitespace. */
#ifndef KL7_FUZZ_HTTP1_H
#define KL7_FUZZ_HTTP1_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "lib/http1.h"
#include "test/fuzz/fuzz.h"

static bool
inside(const char *p, size_t n, const char *buf, size_t len)
{
	return p >= buf && n <= len && p - buf <= (ptrdiff_t)(len - n);
}

static bool
is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static void
check_hdrs(const struct http1_hdr *h, size_t n, const char *buf, size_t len)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		FUZZ_ASSERT(h[i].name_len > 0);
		FUZZ_ASSERT(inside(h[i].name, h[i].name_len, buf, len));
		FUZZ_ASSERT(inside(h[i].value, h[i].value_len, buf, len));
		for (j = 0; j < h[i].name_len; j++)
			FUZZ_ASSERT(is_tchar((unsigned char)h[i].name[j]));
		for (j = 0; j < h[i].value_len; j++) {
			unsigned char c = (unsigned char)h[i].value[j];

			FUZZ_ASSERT(c == '\t' || (c >= 0x20 && c != 0x7f));
		}
		if (h[i].value_len > 0) {
			FUZZ_ASSERT(h[i].value[0] != ' ' && h[i].value[0] != '\t');
			FUZZ_ASSERT(h[i].value[h[i].value_len - 1] != ' ' &&
			    h[i].value[h[i].value_len - 1] != '\t');
		}
	}
}

#endif
