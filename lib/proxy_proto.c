/* PROXY protocol headers; see proxy_proto.h. */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "lib/proxy_proto.h"

/* spec 2.2: the v2 signature, chosen to be invalid in any text protocol. */
static const char v2_sig[PROXY_V2_SIG_LEN] = "\r\n\r\n\0\r\nQUIT\n";

#define V2_VERSION	0x20	/* high nibble of byte 13 */
#define V2_CMD_LOCAL	0x00
#define V2_CMD_PROXY	0x01
#define V2_FAM_UNSPEC	0x00
#define V2_TCP4		0x11	/* AF_INET, STREAM */
#define V2_TCP6		0x21	/* AF_INET6, STREAM */
#define V2_ADDRS4	12	/* two IPv4 addresses, two ports */
#define V2_ADDRS6	36

/* 0 if buf[0..len) is a prefix of want[0..wlen), else -1. */
static int
prefix_of(const char *buf, size_t len, const char *want, size_t wlen)
{
	return memcmp(buf, want, len < wlen ? len : wlen) == 0 ? 0 : -1;
}

/* Version 1 ------------------------------------------------------------------ */

/* The next token of line[*pos..end), ended by one SP or the end; its
 * length (0: none, or empty). */
static size_t
v1_token(const char *line, size_t end, size_t *pos, const char **tok)
{
	size_t start = *pos, i = start;

	while (i < end && line[i] != ' ')
		i++;
	*tok = line + start;
	*pos = i < end ? i + 1 : i;
	return i - start;
}

static int
v1_addr(const char *tok, size_t n, int family, struct kl_addr *a)
{
	char buf[INET6_ADDRSTRLEN];

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, tok, n);
	buf[n] = '\0';
	if (addr_parse(buf, a) == -1 || a->family != family)
		return -1;
	return 0;
}

/* 0..65535 in decimal, no sign, no leading zero. */
static int
v1_port(const char *tok, size_t n, uint16_t *port)
{
	unsigned long v = 0;
	size_t i;

	if (n == 0 || n > 5 || (n > 1 && tok[0] == '0'))
		return -1;
	for (i = 0; i < n; i++) {
		if (tok[i] < '0' || tok[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(tok[i] - '0');
	}
	if (v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/* The fields of a complete line (CRLF excluded) after "PROXY ". */
static int
v1_fields(const char *line, size_t end, struct proxy_hdr *h)
{
	const char *tok[5];
	size_t n[5], pos = 0;
	int family, i;

	n[0] = v1_token(line, end, &pos, &tok[0]);
	if (n[0] == 7 && memcmp(tok[0], "UNKNOWN", 7) == 0)
		return 0;	/* spec 2.1: the rest of the line is ignored */
	if (n[0] == 4 && memcmp(tok[0], "TCP4", 4) == 0)
		family = AF_INET;
	else if (n[0] == 4 && memcmp(tok[0], "TCP6", 4) == 0)
		family = AF_INET6;
	else
		return -1;
	for (i = 1; i < 5; i++)
		n[i] = v1_token(line, end, &pos, &tok[i]);
	/* Exactly four more fields, single spaces, nothing after. */
	if (pos != end || line[end - 1] == ' ' ||
	    v1_addr(tok[1], n[1], family, &h->src) == -1 ||
	    v1_addr(tok[2], n[2], family, &h->dst) == -1 ||
	    v1_port(tok[3], n[3], &h->src_port) == -1 ||
	    v1_port(tok[4], n[4], &h->dst_port) == -1)
		return -1;
	h->has_addrs = true;
	return 0;
}

static ssize_t
v1_decode(const char *buf, size_t len, struct proxy_hdr *h)
{
	static const char magic[] = "PROXY ";
	size_t max = len < PROXY_V1_MAX ? len : PROXY_V1_MAX, i;

	if (prefix_of(buf, len, magic, sizeof(magic) - 1) == -1)
		return -1;
	for (i = 0; i < max; i++) {
		if (buf[i] == '\n')
			return -1;	/* a bare LF */
		if (buf[i] != '\r')
			continue;
		if (i + 2 > PROXY_V1_MAX)
			return -1;	/* the line would be too long */
		if (i + 1 == len)
			return 0;
		if (buf[i + 1] != '\n')
			return -1;	/* a bare CR */
		h->version = PROXY_V1;
		if (v1_fields(buf + sizeof(magic) - 1, i - (sizeof(magic) - 1), h) == -1)
			return -1;
		h->len = i + 2;
		return (ssize_t)h->len;
	}
	return len < PROXY_V1_MAX ? 0 : -1;
}

/* Version 2 ------------------------------------------------------------------ */

static uint16_t
be16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The TLVs of p[0..n) fill it exactly (spec 2.2.7). */
static int
v2_tlvs(const unsigned char *p, size_t n)
{
	while (n > 0) {
		size_t vlen;

		if (n < 3)
			return -1;
		vlen = be16(p + 1);
		if (vlen > n - 3)
			return -1;
		p += 3 + vlen;
		n -= 3 + vlen;
	}
	return 0;
}

static void
v2_addr(struct kl_addr *a, int family, const unsigned char *p)
{
	memset(a, 0, sizeof(*a));
	a->family = family;
	if (family == AF_INET) {
		memcpy(&a->u.v4, p, 4);
		a->prefix = 32;
	} else {
		memcpy(&a->u.v6, p, 16);
		a->prefix = 128;
	}
}

/* The address block of a PROXY command at p[0..n); its length. */
static ssize_t
v2_addrs(unsigned fam, const unsigned char *p, size_t n, struct proxy_hdr *h)
{
	size_t alen = fam == V2_TCP4 ? V2_ADDRS4 : V2_ADDRS6;
	size_t w = fam == V2_TCP4 ? 4 : 16;
	int family = fam == V2_TCP4 ? AF_INET : AF_INET6;

	if (fam == V2_FAM_UNSPEC)
		return 0;
	if ((fam != V2_TCP4 && fam != V2_TCP6) || n < alen)
		return -1;
	v2_addr(&h->src, family, p);
	v2_addr(&h->dst, family, p + w);
	h->src_port = be16(p + 2 * w);
	h->dst_port = be16(p + 2 * w + 2);
	h->has_addrs = true;
	return (ssize_t)alen;
}

static ssize_t
v2_decode(const char *buf, size_t len, struct proxy_hdr *h)
{
	const unsigned char *u = (const unsigned char *)buf;
	size_t total, rest;
	ssize_t alen;

	if (prefix_of(buf, len, v2_sig, sizeof(v2_sig)) == -1)
		return -1;
	if (len > PROXY_V2_SIG_LEN && (u[12] & 0xf0) != V2_VERSION)
		return -1;
	if (len > PROXY_V2_SIG_LEN && (u[12] & 0x0f) > V2_CMD_PROXY)
		return -1;
	if (len < PROXY_V2_HDR_LEN)
		return 0;
	rest = be16(u + 14);
	total = PROXY_V2_HDR_LEN + rest;
	if (total > PROXY_V2_MAX)
		return -1;
	if (len < total)
		return 0;
	h->version = PROXY_V2;
	h->len = total;
	/* spec 2.2.5: LOCAL carries no client; the block is skipped unread. */
	if ((u[12] & 0x0f) == V2_CMD_LOCAL)
		return (ssize_t)total;
	if ((alen = v2_addrs(u[13], u + PROXY_V2_HDR_LEN, rest, h)) == -1)
		return -1;
	/* UNSPEC (alen 0): like LOCAL, the block means nothing to us. */
	if (alen > 0 && v2_tlvs(u + PROXY_V2_HDR_LEN + alen, rest - (size_t)alen) == -1)
		return -1;
	return (ssize_t)total;
}

/* Both ------------------------------------------------------------------------ */

ssize_t
proxy_decode(const char *buf, size_t len, struct proxy_hdr *out)
{
	memset(out, 0, sizeof(*out));
	if (len == 0)
		return 0;
	if (buf[0] == 'P')
		return v1_decode(buf, len, out);
	if (buf[0] == '\r')
		return v2_decode(buf, len, out);
	return -1;
}

static ssize_t
v1_encode(char *out, size_t size, const struct kl_addr *src, uint16_t sport,
    const struct kl_addr *dst, uint16_t dport)
{
	char s[ADDR_STRLEN], d[ADDR_STRLEN];
	int n;

	n = snprintf(out, size, "PROXY %s %s %s %u %u\r\n",
	    src->family == AF_INET ? "TCP4" : "TCP6", addr_ntop(src, false, s, sizeof(s)),
	    addr_ntop(dst, false, d, sizeof(d)), sport, dport);
	return n < 0 || (size_t)n >= size ? -1 : n;
}

static void
put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static ssize_t
v2_encode(char *out, size_t size, const struct kl_addr *src, uint16_t sport,
    const struct kl_addr *dst, uint16_t dport)
{
	unsigned char *u = (unsigned char *)out;
	size_t w, alen, total;
	const void *sb, *db;

	sb = addr_bytes(src, &w);
	db = addr_bytes(dst, &w);
	alen = 2 * w + 4;
	total = PROXY_V2_HDR_LEN + alen;
	if (size < total)
		return -1;
	memcpy(u, v2_sig, sizeof(v2_sig));
	u[12] = V2_VERSION | V2_CMD_PROXY;
	u[13] = src->family == AF_INET ? V2_TCP4 : V2_TCP6;
	put16(u + 14, (uint16_t)alen);
	memcpy(u + PROXY_V2_HDR_LEN, sb, w);
	memcpy(u + PROXY_V2_HDR_LEN + w, db, w);
	put16(u + PROXY_V2_HDR_LEN + 2 * w, sport);
	put16(u + PROXY_V2_HDR_LEN + 2 * w + 2, dport);
	return (ssize_t)total;
}

/* spec 2.1 UNKNOWN, 2.2 LOCAL: no client the receiver could use. */
static ssize_t
no_client(char *out, size_t size, enum proxy_version v)
{
	static const char v1[] = "PROXY UNKNOWN\r\n";
	size_t n = v == PROXY_V1 ? sizeof(v1) - 1 : PROXY_V2_HDR_LEN;

	if (size < n)
		return -1;
	if (v == PROXY_V1) {
		memcpy(out, v1, n);
	} else {
		memcpy(out, v2_sig, sizeof(v2_sig));
		out[12] = V2_VERSION | V2_CMD_LOCAL;
		out[13] = V2_FAM_UNSPEC;
		out[14] = out[15] = 0;
	}
	return (ssize_t)n;
}

ssize_t
proxy_encode(char *out, size_t size, enum proxy_version v, const struct kl_addr *src,
    uint16_t sport, const struct kl_addr *dst, uint16_t dport)
{
	if (src->family != dst->family ||
	    (src->family != AF_INET && src->family != AF_INET6))
		return no_client(out, size, v);
	if (v == PROXY_V1)
		return v1_encode(out, size, src, sport, dst, dport);
	return v2_encode(out, size, src, sport, dst, dport);
}
