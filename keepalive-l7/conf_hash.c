/* Config file hash; see conf_hash.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "keepalive-l7/conf_hash.h"

static int
hash_fd(int fd, EVP_MD_CTX *md)
{
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

int
conf_hash_file(const char *path, char hex[CONF_HASH_HEX])
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;
	EVP_MD_CTX *md;
	int fd, rc = -1;

	hex[0] = '\0';
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if ((md = EVP_MD_CTX_new()) != NULL &&
	    EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 && hash_fd(fd, md) == 0 &&
	    EVP_DigestFinal_ex(md, digest, &len) == 1 && len * 2 < CONF_HASH_HEX) {
		for (i = 0; i < len; i++)
			snprintf(hex + 2 * i, 3, "%02x", digest[i]);
		rc = 0;
	}
	EVP_MD_CTX_free(md);
	close(fd);
	return rc;
}
