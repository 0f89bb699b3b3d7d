/* crypt(3) hashes; see auth_hash.h. */
#include "config.h"

#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "splice/auth_hash.h"

struct method {
	const char	*prefix;
	const char	*name;
};

static const struct method methods[] = {
	{ "$y$", "yescrypt" }, { "$6$", "sha512-crypt" }, { "$5$", "sha256-crypt" },
	{ "$2b$", "bcrypt" }, { "$2y$", "bcrypt" }, { NULL, NULL },
};

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

/* The work factor written in the setting, if the method has one we bound. */
static bool
cost_ok(const char *hash, const struct method *m, char *why, size_t len)
{
	const char *r = hash + strlen(m->prefix);

	if (m->prefix[1] == '2' && atoi(r) > AUTH_HASH_BCRYPT_COST_MAX) {
		snprintf(why, len, "bcrypt cost %d is above %d: each check would stall "
		    "the proxy for seconds", atoi(r), AUTH_HASH_BCRYPT_COST_MAX);
		return false;
	}
	if ((m->prefix[1] == '5' || m->prefix[1] == '6') &&
	    strncmp(r, "rounds=", 7) == 0 && strtoul(r + 7, NULL, 10) > AUTH_HASH_SHA_ROUNDS_MAX) {
		snprintf(why, len, "%s rounds above %d: each check would stall the "
		    "proxy for seconds", m->name, AUTH_HASH_SHA_ROUNDS_MAX);
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

/* Hashing a password with the hash as setting gives a string as long as
 * the hash: else it is truncated, or a setting without its checksum. */
static bool
whole(const char *hash)
{
	struct crypt_data *d = calloc(1, sizeof(*d));
	const char *out;
	bool ok;

	if (d == NULL)
		return false;
	out = crypt_rn("", hash, d, sizeof(*d));
	ok = out != NULL && out[0] != '*' && strlen(out) == strlen(hash);
	free(d);
	return ok;
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
	if (!setting_ok(hash, m) || !whole(hash)) {
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
