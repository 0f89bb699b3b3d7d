/* crypt(3) password hashes (libxcrypt): which ones a config may hold, and
 * checking a password against one.
 *
 * Accepted, by prefix: $y$ yescrypt, $6$ sha512-crypt, $5$ sha256-crypt,
 * $2b$ (and $2y$) bcrypt.  Refused with the reason: traditional DES and
 * its BSDi variant (8 bytes of the password count, brute-forced in
 * hours), $1$ MD5-crypt (fast to brute-force on a GPU), anything else
 * libxcrypt does not know or that is not a whole hash (the setting as
 * crypt_checksalt(3) judges it, then a checksum of the method's length in
 * crypt's alphabet: no crypt(3) run at load, so a file with many users
 * loads at once).  Costs that would stall the l7 child's loop for a good
 * part of a second per uncached request are refused too.
 */
#ifndef KL7_AUTH_HASH_H
#define KL7_AUTH_HASH_H

#include <stdbool.h>
#include <stddef.h>

/* Measured on the CI machine, one check: */
#define AUTH_HASH_YESCRYPT_COST_MAX	7	/* 64 MiB, ~0.1 s; mkpasswd's default is 5 */
#define AUTH_HASH_BCRYPT_COST_MAX	12	/* ~0.3 s; the usual default is 10..12 */
#define AUTH_HASH_SHA_ROUNDS_MAX	100000	/* ~0.2 s; the default is 5000 */

struct crypt_data;

/* 0 if hash may be used; else -1 with the reason in why[0..len). */
int	auth_hash_check(const char *hash, char *why, size_t len);

/* Whether pass hashes to hash (crypt_rn(3) into data, the thread-safe
 * variant: no static buffer; compared in constant time). */
bool	auth_hash_verify(struct crypt_data *data, const char *pass, const char *hash);

#endif
