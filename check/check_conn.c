/* Checker connections; see check_conn.h. */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "lib/ev.h"
#include "check/check_conn.h"

void
check_conn_init(struct check_conn *cc)
{
	*cc = (struct check_conn){ .fd = -1 };
}

static int
fail_errno(char *err, size_t errlen, const char *what, int e)
{
	snprintf(err, errlen, "%s: %s", what, strerror(e));
	return -1;
}

static int
bind_source(int fd, int family, const struct conf_checker *ck, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sl;

	if (!addr_is_set(&ck->bindto) && ck->bind_port == 0)
		return 0;
	if (addr_is_set(&ck->bindto)) {
		sl = addr_to_sockaddr(&ck->bindto, ck->bind_port, &ss);
	} else {
		/* A source port alone: the family's any-address. */
		struct kl_addr any = { .family = family };

		sl = addr_to_sockaddr(&any, ck->bind_port, &ss);
	}
	if (bind(fd, (struct sockaddr *)&ss, sl) == -1)
		return fail_errno(err, errlen, "bind", errno);
	return 0;
}

int
check_conn_open(struct check_conn *cc, const struct conf_checker *ck,
    const struct conf_real_server *rs, char *err, size_t errlen)
{
	const struct kl_addr *dst = addr_is_set(&ck->connect_ip) ? &ck->connect_ip : &rs->addr;
	uint16_t port = ck->connect_port != 0 ? ck->connect_port : rs->port;
	struct sockaddr_storage ss;
	socklen_t sl = addr_to_sockaddr(dst, port, &ss);
	int fd;

	check_conn_init(cc);
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd == -1)
		return fail_errno(err, errlen, "socket", errno);
	if (bind_source(fd, dst->family, ck, err, errlen) == -1) {
		close(fd);
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&ss, sl) == -1 && errno != EINPROGRESS) {
		int e = errno;

		close(fd);
		return fail_errno(err, errlen, "connect", e);
	}
	cc->fd = fd;
	return 0;
}

int
check_conn_established(struct check_conn *cc, char *err, size_t errlen)
{
	int e = 0;
	socklen_t len = sizeof(e);

	if (getsockopt(cc->fd, SOL_SOCKET, SO_ERROR, &e, &len) == -1)
		e = errno;
	if (e != 0)
		return fail_errno(err, errlen, "connect", e);
	cc->connected = true;
	return 0;
}

/* The first error OpenSSL queued, or the system's. */
static int
tls_fail(char *err, size_t errlen, const char *what)
{
	unsigned long e = ERR_get_error();

	if (e != 0)
		snprintf(err, errlen, "%s: %s", what, ERR_reason_error_string(e));
	else if (errno != 0)
		snprintf(err, errlen, "%s: %s", what, strerror(errno));
	else
		snprintf(err, errlen, "%s: connection closed", what);
	ERR_clear_error();
	return -1;
}

int
check_conn_tls_begin(struct check_conn *cc, void *ssl_ctx, const char *sni, char *err,
    size_t errlen)
{
	SSL *ssl = SSL_new(ssl_ctx);

	if (ssl == NULL)
		return tls_fail(err, errlen, "TLS");
	cc->ssl = ssl;
	if (SSL_set_fd(ssl, cc->fd) != 1 ||
	    (sni != NULL && SSL_set_tlsext_host_name(ssl, sni) != 1))
		return tls_fail(err, errlen, "TLS");
	SSL_set_connect_state(ssl);
	return 0;
}

/* What an SSL_* call returning r means: AGAIN, 0 (closed) or -1. */
static int
tls_result(struct check_conn *cc, int r, char *err, size_t errlen, const char *what)
{
	switch (SSL_get_error(cc->ssl, r)) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		return CHECK_CONN_AGAIN;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	default:
		errno = 0;
		return tls_fail(err, errlen, what);
	}
}

int
check_conn_tls_handshake(struct check_conn *cc, char *err, size_t errlen)
{
	int r;

	ERR_clear_error();
	if ((r = SSL_do_handshake(cc->ssl)) == 1) {
		cc->secured = true;
		return 0;
	}
	r = tls_result(cc, r, err, errlen, "TLS handshake");
	return r == 0 ? tls_fail(err, errlen, "TLS handshake") : r;
}

ssize_t
check_conn_read(struct check_conn *cc, void *buf, size_t len, char *err, size_t errlen)
{
	ssize_t n;
	size_t got;

	if (cc->ssl == NULL) {
		n = read(cc->fd, buf, len);
		if (n >= 0)
			return n;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return CHECK_CONN_AGAIN;
		return fail_errno(err, errlen, "read", errno);
	}
	ERR_clear_error();
	if (SSL_read_ex(cc->ssl, buf, len, &got) == 1)
		return (ssize_t)got;
	return tls_result(cc, 0, err, errlen, "TLS read");
}

ssize_t
check_conn_write(struct check_conn *cc, const void *buf, size_t len, char *err,
    size_t errlen)
{
	ssize_t n;
	size_t put;

	if (cc->ssl == NULL) {
		n = send(cc->fd, buf, len, MSG_NOSIGNAL);
		if (n >= 0)
			return n;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return CHECK_CONN_AGAIN;
		return fail_errno(err, errlen, "write", errno);
	}
	ERR_clear_error();
	if (SSL_write_ex(cc->ssl, buf, len, &put) == 1)
		return (ssize_t)put;
	n = tls_result(cc, 0, err, errlen, "TLS write");
	return n == 0 ? -1 : n;
}

void
check_conn_close(struct check_conn *cc, struct ev_loop *loop)
{
	if (cc->ssl != NULL)
		SSL_free(cc->ssl);	/* no close_notify: the check is over */
	if (cc->fd != -1)
		ev_fd_close(loop, cc->fd);
	check_conn_init(cc);
}

void *
check_tls_ctx_new(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (ctx == NULL)
		return NULL;
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE);
	/* Servers that close without close_notify end the body, as in HTTP. */
	SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	return ctx;
}

void
check_tls_ctx_free(void *ctx)
{
	SSL_CTX_free(ctx);
}
