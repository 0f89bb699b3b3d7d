/* crypt(3) hashes; see auth_hash.h. */
#include "config.h"

#include <crypt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "splice/auth_hash.h"

struct method {
	const char	*prefix;
	const char	*name;
	size_t		 sum_len;	/* of the checksum after the last '$' */
};

static const struct method methods[] = {
	{ "$y$", "yescrypt", 43 }, { "$6$", "sha512-crypt", 86 }, { "$5$", "sha256-crypt", 43 },
	/* bcrypt: "$2b$NN$", then 22 bytes of salt and 31 of hash with no '$'. */
	{ "$2b$", "bcrypt", 53 }, { "$2y$", "bcrypt", 53 }, { NULL, NULL, 0 },
};

/* crypt(3)'s base64 alphabet (bcrypt orders it otherwise, same bytes). */
static const char crypt_alphabet[] =
    "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

static const struct method *
method_of(const char *hash)
{
	const struct method *m;

	for (m = methods; m->prefix != NULL; m++)
		if (strncmp(hash, m->prefix, strlen(m->prefix)) == 0)
			return m;
	return NULL;
}

/* Why a hash of no accepted method is refused. */
static void
refusal(const char *hash, char *why, size_t len)
{
	if (strncmp(hash, "$1$", 3) == 0)
		snprintf(why, len, "MD5-crypt ($1$) is refused: it is fast enough to "
		    "brute-force; use yescrypt (mkpasswd -m yescrypt) or sha512-crypt");
	else if (hash[0] != '$')
		snprintf(why, len, "traditional DES crypt is refused: it uses 8 bytes of "
		    "the password and is brute-forced in hours; use yescrypt (mkpasswd "
		    "-m yescrypt) or sha512-crypt");
	else
		snprintf(why, len, "not a supported crypt(3) hash: use $y$ (yescrypt), "
		    "$6$ (sha512-crypt), $5$ (sha256-crypt) or $2b$ (bcrypt)");
}

/* The work factor the setting names, by method: yescrypt's N (the
 * character after the flags "j": libxcrypt's cost 5 is '9', each step
 * doubles time and memory), bcrypt's cost, sha-crypt's rounds. */
static bool
cost_ok(const char *hash, const struct method *m, char *why, size_t len)
{
	const char *r = hash + strlen(m->prefix);
	const char *n;

	if (m->prefix[1] == 'y' && r[0] == 'j' && r[1] != '\0' &&
	    ((n = strchr(crypt_alphabet, r[1])) == NULL ||
	    n - crypt_alphabet > 6 + AUTH_HASH_YESCRYPT_COST_MAX)) {
		snprintf(why, len, "yescrypt cost above %d: each check would stall the "
		    "proxy (the usual cost is 5)", AUTH_HASH_YESCRYPT_COST_MAX);
		return false;
	}
	if (m->prefix[1] == '2' && atoi(r) > AUTH_HASH_BCRYPT_COST_MAX) {
		snprintf(why, len, "bcrypt cost %d is above %d: each check would stall "
		    "the proxy", atoi(r), AUTH_HASH_BCRYPT_COST_MAX);
		return false;
	}
	if ((m->prefix[1] == '5' || m->prefix[1] == '6') &&
	    strncmp(r, "rounds=", 7) == 0 && strtoul(r + 7, NULL, 10) > AUTH_HASH_SHA_ROUNDS_MAX) {
		snprintf(why, len, "%s rounds above %d: each check would stall the "
		    "proxy", m->name, AUTH_HASH_SHA_ROUNDS_MAX);
		return false;
	}
	return true;
}

/* crypt_checksalt(3) judges the setting; $5$ is "legacy" in Debian's
 * libxcrypt (not for new hashes) but still verifies. */
static bool
setting_ok(const char *hash, const struct method *m)
{
#ifdef HAVE_CRYPT_CHECKSALT
	int rc = crypt_checksalt(hash);

	return rc == CRYPT_SALT_OK || (rc == CRYPT_SALT_METHOD_LEGACY && m->prefix[1] == '5');
#else
	return true;
#endif
}

/* The checksum is there, whole: the method's length of crypt's alphabet
 * after the last '$' (bcrypt: after its cost). */
static bool
checksum_ok(const char *hash, const struct method *m)
{
	const char *sum = strrchr(hash, '$') + 1;

	if (m->prefix[1] == '2' && sum - hash != (ptrdiff_t)strlen(m->prefix) + 3)
		return false;
	return strlen(sum) == m->sum_len && strspn(sum, crypt_alphabet) == m->sum_len;
}

int
auth_hash_check(const char *hash, char *why, size_t len)
{
	const struct method *m = method_of(hash);

	if (m == NULL) {
		refusal(hash, why, len);
		return -1;
	}
	if (!cost_ok(hash, m, why, len))
		return -1;
	if (!setting_ok(hash, m) || !checksum_ok(hash, m)) {
		snprintf(why, len, "not a valid %s hash (truncated, or a salt without "
		    "its hash?)", m->name);
		return -1;
	}
	return 0;
}

bool
auth_hash_verify(struct crypt_data *data, const char *pass, const char *hash)
{
	size_t n = strlen(hash);
	const char *out;

	memset(data, 0, sizeof(*data));
	out = crypt_rn(pass, hash, data, sizeof(*data));
	return out != NULL && strlen(out) == n && CRYPTO_memcmp(out, hash, n) == 0;
}
