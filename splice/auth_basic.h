/* The "Basic" HTTP authentication scheme (RFC 7617) on the wire: reading
 * the credentials of an Authorization field and writing the challenge of
 * a 401.  Checking them is l7_auth.c's.
 *
 * Pure: no allocation, no logging.  Credentials are copied into the
 * caller's struct as C strings, bounded, because crypt(3) wants those.
 */
#ifndef KL7_AUTH_BASIC_H
#define KL7_AUTH_BASIC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define AUTH_BASIC_USER_MAX	128	/* bytes of a user-id */
#define AUTH_BASIC_PASS_MAX	256	/* bytes of a password */
#define AUTH_BASIC_REALM_MAX	256	/* bytes of a realm (the config's limit) */
/* The longest challenge field auth_basic_challenge() writes. */
#define AUTH_BASIC_CHALLENGE_MAX (64 + 2 * AUTH_BASIC_REALM_MAX)
/* The longest token68 taken: base64 of the longest "user:password". */
#define AUTH_BASIC_B64_MAX	((AUTH_BASIC_USER_MAX + 1 + AUTH_BASIC_PASS_MAX + 2) / 3 * 4)

struct auth_basic_cred {
	char	user[AUTH_BASIC_USER_MAX + 1];
	char	pass[AUTH_BASIC_PASS_MAX + 1];
};

/* Read the value of an Authorization field (RFC 7235 2.1:
 * auth-scheme 1*SP token68, optional whitespace around it, as the field
 * parser leaves it).  The scheme must be "Basic" in any case (RFC 7617 2:
 * case-insensitive), the token68 strict base64 (lib/base64.h) of
 * "user-id:password", split at the first ':' (RFC 7617 2: a user-id
 * cannot hold one, a password can).  Refused (false): another scheme, no
 * token, bad base64, no ':', an empty user-id, a NUL or other control
 * byte in either part (RFC 7617 2: CTLs are not allowed), or more than
 * AUTH_BASIC_USER_MAX / AUTH_BASIC_PASS_MAX bytes. */
bool	auth_basic_parse(const char *value, size_t len, struct auth_basic_cred *c);

/* The challenge field, "WWW-Authenticate: Basic realm="...", charset=
 * "UTF-8"" and CRLF (RFC 7617 2, 2.1), at out[0..size) with a NUL after
 * it: the realm as a quoted-string, '"' and '\' escaped (RFC 9110
 * 5.6.4).  Its length (without the NUL), or -1 if it does not fit or the realm holds a byte a quoted-string
 * cannot (a control byte other than HTAB). */
ssize_t	auth_basic_challenge(char *out, size_t size, const char *realm);

/* Whether text can go into a quoted-string (RFC 9110 5.6.4: HTAB, SP,
 * VCHAR, obs-text; '"' and '\' once escaped). */
bool	auth_basic_quotable(const char *text);

#endif
