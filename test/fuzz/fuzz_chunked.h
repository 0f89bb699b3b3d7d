/* What the HTTP/1 fuzz harnesses assert on the chunked body scanner
 * (lib/http1_chunked.c): walked in one call, byte by byte, in pieces of 7
 * and in pieces whose sizes follow the bytes themselves, it must consume
 * the same bytes, decode the same data and fail at the same place. */
#ifndef KL7_FUZZ_CHUNKED_H
#define KL7_FUZZ_CHUNKED_H

#include <stdint.h>
#include <string.h>

#include "lib/http1.h"
#include "test/fuzz/fuzz.h"

#define PIECE_VARIES	0	/* chunk_walk's piece: sizes 1..23 from the input */

struct walk {
	int		 rc;		/* 1 done, 0 more, -1 error */
	size_t		 consumed;	/* before done, more or the error */
	size_t		 ndata;
	uint64_t	 sum;		/* of the data bytes with their positions */
};

/* The running sum of walk.sum: each data byte with its index in the data. */
static uint64_t
chunk_sum(uint64_t sum, unsigned char byte, size_t index)
{
	return sum * 31 + byte + index;
}

static void
chunk_walk(const char *in, size_t len, size_t piece, struct walk *w)
{
	struct http1_chunked c;
	size_t dl, avail, k, want;
	uint64_t left;
	ssize_t rc;

	memset(w, 0, sizeof(*w));
	http1_chunked_init(&c);
	for (;;) {
		if (http1_chunked_done(&c)) {
			w->rc = 1;
			FUZZ_ASSERT(http1_chunked_step(&c, in, len - w->consumed, &dl) == 0);
			return;
		}
		want = piece;
		if (piece == PIECE_VARIES)
			want = w->consumed < len ?
			    ((unsigned char)in[w->consumed] + w->consumed) % 23 + 1 : 1;
		avail = len - w->consumed < want ? len - w->consumed : want;
		left = http1_chunked_data_left(&c);
		rc = http1_chunked_step(&c, in + w->consumed, avail, &dl);
		if (rc == -1) {
			FUZZ_ASSERT(c.error != NULL);
			FUZZ_ASSERT(http1_chunked_step(&c, in, len, &dl) == -1);
			w->rc = -1;
			return;
		}
		FUZZ_ASSERT(rc >= 0 && (size_t)rc <= avail && dl <= (size_t)rc);
		if (rc == 0) {
			FUZZ_ASSERT(avail == 0);
			w->rc = 0;
			return;
		}
		/* A call in chunk data gives that data first, all it may. */
		FUZZ_ASSERT(dl == (left < avail ? left : avail));
		FUZZ_ASSERT(http1_chunked_data_left(&c) <= HTTP1_CHUNK_SIZE_MAX);
		for (k = 0; k < dl; k++)
			w->sum = chunk_sum(w->sum, (unsigned char)in[w->consumed + k],
			    w->ndata + k);
		w->ndata += dl;
		w->consumed += (size_t)rc;
	}
}

/* The walks agree; whole gets the one-call walk. */
static void
check_chunked(const char *in, size_t len, struct walk *whole)
{
	static const size_t pieces[] = { 1, 7, PIECE_VARIES };
	struct walk w;
	size_t i;

	chunk_walk(in, len, len, whole);
	for (i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++) {
		chunk_walk(in, len, pieces[i], &w);
		FUZZ_ASSERT(w.rc == whole->rc && w.consumed == whole->consumed);
		FUZZ_ASSERT(w.ndata == whole->ndata && w.sum == whole->sum);
	}
	FUZZ_ASSERT(whole->ndata <= whole->consumed);
	if (whole->rc == 0)
		FUZZ_ASSERT(whole->consumed == len);
}

#endif
