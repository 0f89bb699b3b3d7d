/* libFuzzer harness: the PROXY protocol decoder (lib/proxy_proto.c), on a
 * heap copy of exactly the input's size (ASan sees any read past it).
 *
 * Asserted: a decoded header is no longer than the input and the limits
 * (107 bytes for v1, PROXY_V2_MAX for v2), of the version its first byte
 * says, with addresses of one family and only when it carries a client;
 * every shorter prefix of a decoded header needs more bytes, and bytes
 * after it do not change the answer; a header the encoder writes from the
 * decoded client decodes to the same client.
 * Build and run: `make fuzz` / `make fuzz-regress` (test/fuzz/fuzz.mk).
 */
#include "config.h"

#include "test/fuzz/fuzz.h"

#include <string.h>

#include "lib/proxy_proto.h"

static void
check_header(const char *buf, size_t size, const struct proxy_hdr *h, ssize_t n)
{
	struct proxy_hdr again;
	char out[PROXY_V2_MAX];
	size_t k;
	ssize_t m;

	FUZZ_ASSERT((size_t)n == h->len && h->len <= size);
	FUZZ_ASSERT(h->version == (buf[0] == 'P' ? PROXY_V1 : PROXY_V2));
	FUZZ_ASSERT(h->len <= (h->version == PROXY_V1 ? PROXY_V1_MAX : PROXY_V2_MAX));
	for (k = 0; k < h->len; k++)
		FUZZ_ASSERT(proxy_decode(buf, k, &again) == 0);
	if (!h->has_addrs)
		return;
	FUZZ_ASSERT(h->src.family == h->dst.family);
	FUZZ_ASSERT(h->src.family == AF_INET || h->src.family == AF_INET6);
	m = proxy_encode(out, sizeof(out), (enum proxy_version)h->version, &h->src,
	    h->src_port, &h->dst, h->dst_port);
	FUZZ_ASSERT(m > 0 && proxy_decode(out, (size_t)m, &again) == m);
	FUZZ_ASSERT(again.has_addrs && addr_equal(&again.src, &h->src) &&
	    addr_equal(&again.dst, &h->dst) && again.src_port == h->src_port &&
	    again.dst_port == h->dst_port);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size > 0 ? size : 1);
	struct proxy_hdr h, tail;
	ssize_t n;

	FUZZ_ASSERT(buf != NULL);
	memcpy(buf, data, size);
	n = proxy_decode(buf, size, &h);
	FUZZ_ASSERT(n >= -1 && n <= (ssize_t)size);
	if (n > 0) {
		check_header(buf, size, &h, n);
		/* What follows the header is not its business. */
		FUZZ_ASSERT(proxy_decode(buf, (size_t)n, &tail) == n);
	}
	free(buf);
	return 0;
}
