/* libFuzzer harness: the TLS ClientHello peeker (lib/tls_hello.c), on a
 * heap copy of exactly the input's size (ASan sees any read past it).
 *
 * Asserted: the answer is one of the five; a name is found only with
 * FOUND, is NUL-terminated, at most TLS_HELLO_NAME_MAX bytes of lower-case
 * letters, digits, '-', '_' and inner dots; FOUND and NO_SNI say how many
 * bytes of records held the ClientHello, within TLS_HELLO_MAX; every
 * prefix of the input needs more bytes or has the same answer (a
 * MALFORMED prefix stays MALFORMED); bytes after a complete ClientHello
 * change nothing.
 * Build and run: `make fuzz` / `make fuzz-regress` (test/fuzz/fuzz.mk).
 */
#include "config.h"

#include "test/fuzz/fuzz.h"

#include <stdbool.h>
#include <string.h>

#include "lib/tls_hello.h"

static void
check_name(const struct tls_hello *h)
{
	size_t i;

	FUZZ_ASSERT(h->name_len > 0 && h->name_len <= TLS_HELLO_NAME_MAX);
	FUZZ_ASSERT(strlen(h->name) == h->name_len);
	FUZZ_ASSERT(h->name[0] != '.' && h->name[h->name_len - 1] != '.');
	for (i = 0; i < h->name_len; i++) {
		char c = h->name[i];

		FUZZ_ASSERT((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
		    c == '_' || (c == '.' && h->name[i + 1] != '.'));
	}
}

/* Prefixes, a few near the end and a spread of others (all of them would
 * make each input quadratic): "need more" until one gives the answer of
 * the whole input, and every longer one then gives it too. */
static void
check_prefixes(const uint8_t *buf, size_t size, enum tls_hello_rc rc)
{
	struct tls_hello h;
	enum tls_hello_rc p;
	size_t k, step = size / 64 + 1;
	bool answered = false;

	for (k = 0; k < size; k += (k + 8 >= size ? 1 : step)) {
		p = tls_hello_parse(buf, k, &h);
		FUZZ_ASSERT(p == rc || (p == TLS_HELLO_NEED_MORE && !answered));
		answered = p == rc && rc != TLS_HELLO_NEED_MORE;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size > 0 ? size : 1);
	struct tls_hello h, again;
	enum tls_hello_rc rc;

	FUZZ_ASSERT(buf != NULL);
	memcpy(buf, data, size);
	rc = tls_hello_parse(buf, size, &h);
	FUZZ_ASSERT(rc >= TLS_HELLO_NEED_MORE && rc <= TLS_HELLO_MALFORMED);
	if (rc == TLS_HELLO_FOUND)
		check_name(&h);
	else
		FUZZ_ASSERT(h.name_len == 0 && h.name[0] == '\0');
	if (rc == TLS_HELLO_FOUND || rc == TLS_HELLO_NO_SNI) {
		FUZZ_ASSERT(h.len > 0 && h.len <= TLS_HELLO_MAX);
		/* The records may go on past the input: the parse stops at
		 * the ClientHello's last byte. */
		if (h.len <= size) {
			FUZZ_ASSERT(tls_hello_parse(buf, h.len, &again) == rc);
			FUZZ_ASSERT(again.name_len == h.name_len &&
			    memcmp(again.name, h.name, h.name_len) == 0);
		}
	}
	check_prefixes(buf, size, rc);
	free(buf);
	return 0;
}
