/* The response half of an HTTP_GET / SSL_GET URL check: fed the bytes the
 * server sends, it decides pass or fail with the reason: the status line
 * and head (lib/http1.c, strict), the status against the url's
 * status_code ranges, and with `digest` the MD5 of the body, framed by
 * Content-Length, chunked coding or the end of the connection. */
#ifndef KL7_CHECK_HTTP_RESP_H
#define KL7_CHECK_HTTP_RESP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/conf.h"
#include "lib/http1.h"

#define CHECK_HTTP_HEAD_MAX	8192	/* a longer response head fails the check */

enum check_http_verdict { CHECK_HTTP_FAIL = -1, CHECK_HTTP_MORE = 0, CHECK_HTTP_PASS = 1 };

struct check_http_resp {
	const struct conf_url	*url;
	bool			 in_body;
	unsigned		 status;
	enum http1_body		 body;
	uint64_t		 left;		/* HTTP1_BODY_LENGTH */
	uint64_t		 received;	/* body bytes */
	struct http1_chunked	 chunked;
	void			*md5;		/* EVP_MD_CTX, with digest */
	size_t			 len;		/* bytes in buf (head) */
	char			 buf[CHECK_HTTP_HEAD_MAX];
};

/* -1 if the digest context cannot be made. */
int	check_http_resp_init(struct check_http_resp *r, const struct conf_url *url);
void	check_http_resp_free(struct check_http_resp *r);
/* Where to read the next bytes into, and how many fit (> 0). */
char	*check_http_resp_space(struct check_http_resp *r, size_t *avail);
/* n bytes were read into the space; n == 0: the server closed. */
enum check_http_verdict check_http_resp_received(struct check_http_resp *r, size_t n,
	    char *why, size_t whylen);

bool	check_http_status_ok(const struct conf_url *url, unsigned status);
/* "200-299", "200,301-302" */
const char *check_http_status_text(const struct conf_url *url, char *buf, size_t len);

#endif
