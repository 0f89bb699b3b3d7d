/* Basic authentication in the l7 child; see l7_auth.h. */
#include "config.h"

#include <crypt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include <openssl/crypto.h>

#include "splice/auth_basic.h"
#include "splice/auth_hash.h"
#include "splice/l7_auth.h"

static bool
needed(const struct conf *c)
{
	const struct conf_virtual_server *vs;
	const struct conf_http_route *r;

	for (vs = c->virtual_servers; vs != NULL; vs = vs->next)
		for (r = vs->routes; r != NULL; r = r->next)
			if (r->auth_users != NULL)
				return true;
	return false;
}

int
l7_auth_init(struct l7_auth *a, const struct conf *c)
{
	memset(a, 0, sizeof(*a));
	if (!needed(c))
		return 0;
	a->budget_us = L7_AUTH_BUDGET_MS * 1000;
	if (getrandom(a->secret, sizeof(a->secret), 0) != (ssize_t)sizeof(a->secret) ||
	    (a->crypt = calloc(1, sizeof(*a->crypt))) == NULL ||
	    (a->md = EVP_MD_CTX_new()) == NULL ||
	    auth_cache_init(&a->ok, L7_AUTH_OK_ENTRIES, L7_AUTH_OK_TTL_MS) == -1 ||
	    auth_cache_init(&a->bad, L7_AUTH_BAD_ENTRIES, L7_AUTH_BAD_TTL_MS) == -1) {
		l7_auth_free(a);
		return -1;
	}
	return 0;
}

void
l7_auth_free(struct l7_auth *a)
{
	free(a->crypt);
	EVP_MD_CTX_free(a->md);
	auth_cache_free(&a->ok);
	auth_cache_free(&a->bad);
	OPENSSL_cleanse(a->secret, sizeof(a->secret));
	memset(a, 0, sizeof(*a));
}

/* The only Authorization field's value; NULL if there is none or more. */
static const struct http1_hdr *
authorization(const struct http1_hdr *hdrs, size_t n)
{
	const struct http1_hdr *found = NULL;
	size_t i;

	for (i = 0; i < n; i++)
		if (hdrs[i].name_len == 13 && strncasecmp(hdrs[i].name, "Authorization", 13) == 0) {
			if (found != NULL)
				return NULL;
			found = &hdrs[i];
		}
	return found;
}

static const struct conf_http_user *
find_user(const struct conf_http_route *rt, const char *name)
{
	const struct conf_http_user *u;

	for (u = rt->auth_users; u != NULL; u = u->next)
		if (strcmp(u->name, name) == 0)
			return u;
	return NULL;
}

/* SHA-256 of the secret, whether the user is listed, and the user,
 * password and hash, each with its NUL (no two inputs run together). */
static bool
cache_key(struct l7_auth *a, bool known, const struct auth_basic_cred *c, const char *hash,
    uint8_t *key)
{
	unsigned char k = known;
	unsigned len = 0;

	return EVP_DigestInit_ex(a->md, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(a->md, a->secret, sizeof(a->secret)) == 1 &&
	    EVP_DigestUpdate(a->md, &k, 1) == 1 &&
	    EVP_DigestUpdate(a->md, c->user, strlen(c->user) + 1) == 1 &&
	    EVP_DigestUpdate(a->md, c->pass, strlen(c->pass) + 1) == 1 &&
	    EVP_DigestUpdate(a->md, hash, strlen(hash) + 1) == 1 &&
	    EVP_DigestFinal_ex(a->md, key, &len) == 1 && len == AUTH_CACHE_KEY_LEN;
}

/* The budget grows back at L7_AUTH_BUDGET_MS per second of loop time, up
 * to one second's worth. */
static void
refill(struct l7_auth *a, int64_t now_ms)
{
	int64_t cap = L7_AUTH_BUDGET_MS * 1000;

	if (now_ms > a->refilled_ms)
		a->budget_us += (now_ms - a->refilled_ms) * L7_AUTH_BUDGET_MS;
	a->refilled_ms = now_ms;
	if (a->budget_us > cap)
		a->budget_us = cap;
}

static int64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* One crypt(3) verification, charged to the budget. */
static bool
verify(struct l7_auth *a, const char *pass, const char *hash)
{
	int64_t t0 = mono_us();
	bool ok = auth_hash_verify(a->crypt, pass, hash);

	a->budget_us -= mono_us() - t0;
	a->verifications++;
	return ok;
}

static enum l7_auth_verdict
check_cred(struct l7_auth *a, const struct conf_http_route *rt, const struct auth_basic_cred *c,
    int64_t now_ms)
{
	const struct conf_http_user *u = find_user(rt, c->user);
	/* An unknown user is checked against the first hash, never passes. */
	const char *hash = u != NULL ? u->hash : rt->auth_users->hash;
	uint8_t key[AUTH_CACHE_KEY_LEN];
	bool ok;

	if (!cache_key(a, u != NULL, c, hash, key))
		return L7_AUTH_BUSY;
	if (u != NULL && auth_cache_has(&a->ok, key, now_ms))
		return L7_AUTH_OK;
	if (auth_cache_has(&a->bad, key, now_ms))
		return L7_AUTH_DENIED;
	refill(a, now_ms);
	if (a->budget_us <= 0)
		return L7_AUTH_BUSY;
	ok = verify(a, c->pass, hash) && u != NULL;
	auth_cache_put(ok ? &a->ok : &a->bad, key, now_ms);
	return ok ? L7_AUTH_OK : L7_AUTH_DENIED;
}

enum l7_auth_verdict
l7_auth_check(struct l7_auth *a, const struct conf_http_route *rt,
    const struct http1_hdr *hdrs, size_t n_hdrs, int64_t now_ms)
{
	const struct http1_hdr *h = authorization(hdrs, n_hdrs);
	struct auth_basic_cred c;
	enum l7_auth_verdict v;

	if (h == NULL || a->crypt == NULL || !auth_basic_parse(h->value, h->value_len, &c))
		return L7_AUTH_DENIED;
	v = check_cred(a, rt, &c, now_ms);
	OPENSSL_cleanse(&c, sizeof(c));
	return v;
}
