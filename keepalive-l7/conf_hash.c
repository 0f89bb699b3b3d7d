/* Config file hash; see conf_hash.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "keepalive-l7/conf_hash.h"

static int
feed_fd(EVP_MD_CTX *md, const void *fdp)
{
	int fd = *(const int *)fdp;
	char buf[8192];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (EVP_DigestUpdate(md, buf, (size_t)n) != 1)
			return -1;
	}
	return 0;
}

static int
feed_text(EVP_MD_CTX *md, const void *text)
{
	return EVP_DigestUpdate(md, text, strlen(text)) == 1 ? 0 : -1;
}

/* SHA-256 of what feed() gives (a file, a string), into hex. */
static int
hash_hex(int (*feed)(EVP_MD_CTX *, const void *), const void *arg, char hex[CONF_HASH_HEX])
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;
	EVP_MD_CTX *md;
	int rc = -1;

	hex[0] = '\0';
	if ((md = EVP_MD_CTX_new()) != NULL &&
	    EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 && feed(md, arg) == 0 &&
	    EVP_DigestFinal_ex(md, digest, &len) == 1 && len * 2 < CONF_HASH_HEX) {
		for (i = 0; i < len; i++)
			snprintf(hex + 2 * i, 3, "%02x", digest[i]);
		rc = 0;
	}
	EVP_MD_CTX_free(md);
	return rc;
}

int
conf_hash_file(const char *path, char hex[CONF_HASH_HEX])
{
	int fd, rc;

	hex[0] = '\0';
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	rc = hash_hex(feed_fd, &fd, hex);
	close(fd);
	return rc;
}

int
conf_hash_text(const char *text, char hex[CONF_HASH_HEX])
{
	return hash_hex(feed_text, text, hex);
}
