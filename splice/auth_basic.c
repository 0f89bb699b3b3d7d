/* Basic credentials and challenges on the wire; see auth_basic.h. */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "lib/base64.h"
#include "splice/auth_basic.h"

static bool
is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* RFC 5234 B.1 CTL, which RFC 7617 2 keeps out of user-id and password. */
static bool
has_ctl(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] == 0x7f)
			return true;
	return false;
}

/* "user-id:password" into c. */
static bool
split_user_pass(const uint8_t *p, size_t len, struct auth_basic_cred *c)
{
	const uint8_t *colon = memchr(p, ':', len);
	size_t ulen, plen;

	if (colon == NULL || has_ctl(p, len))
		return false;
	ulen = (size_t)(colon - p);
	plen = len - ulen - 1;
	if (ulen == 0 || ulen > AUTH_BASIC_USER_MAX || plen > AUTH_BASIC_PASS_MAX)
		return false;
	memcpy(c->user, p, ulen);
	c->user[ulen] = '\0';
	memcpy(c->pass, colon + 1, plen);
	c->pass[plen] = '\0';
	return true;
}

bool
auth_basic_parse(const char *value, size_t len, struct auth_basic_cred *c)
{
	uint8_t raw[BASE64_DECODED_MAX(AUTH_BASIC_B64_MAX)];
	const char *tok;
	size_t tlen;
	ssize_t n;

	while (len > 0 && is_ows(value[len - 1]))
		len--;
	while (len > 0 && is_ows(*value))
		value++, len--;
	/* RFC 7235 2.1: the scheme, then at least one SP. */
	if (len < 6 || strncasecmp(value, "Basic", 5) != 0 || value[5] != ' ')
		return false;
	tok = value + 6;
	tlen = len - 6;
	while (tlen > 0 && *tok == ' ')
		tok++, tlen--;
	if (tlen == 0 || tlen > AUTH_BASIC_B64_MAX)
		return false;
	if ((n = base64_decode(tok, tlen, raw, sizeof(raw))) < 0)
		return false;
	return split_user_pass(raw, (size_t)n, c);
}

bool
auth_basic_quotable(const char *text)
{
	const unsigned char *p;

	for (p = (const unsigned char *)text; *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			return false;
	return true;
}

ssize_t
auth_basic_challenge(char *out, size_t size, const char *realm)
{
	static const char head[] = "WWW-Authenticate: Basic realm=\"";
	static const char tail[] = "\", charset=\"UTF-8\"\r\n";
	size_t n = sizeof(head) - 1;
	const char *p;

	if (!auth_basic_quotable(realm) || size < n)
		return -1;
	memcpy(out, head, n);
	for (p = realm; *p != '\0'; p++) {
		if (size - n < 2)
			return -1;
		if (*p == '"' || *p == '\\')
			out[n++] = '\\';
		out[n++] = *p;
	}
	if (size - n < sizeof(tail))
		return -1;
	memcpy(out + n, tail, sizeof(tail));		/* with its NUL */
	return (ssize_t)(n + sizeof(tail) - 1);
}
