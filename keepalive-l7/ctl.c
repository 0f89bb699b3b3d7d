/* keepalive-l7ctl: the operator's command line over the control socket.
 * See keepalive-l7ctl(8) and doc/control-protocol.md.
 *
 * Exit status: 0 the command succeeded, 1 it failed (or was malformed),
 * 2 the daemon could not be reached. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

#include "lib/conf.h"
#include "keepalive-l7/ctl_print.h"
#include "keepalive-l7/ctl_req.h"

#define CTL_EXIT_FAILED		1
#define CTL_EXIT_NO_DAEMON	2
#define CTL_TIMEOUT_MS		30000	/* a reload parses the whole file first */
#define CTL_REPLY_MAX		(64u << 20)

struct ctl_opts {
	const char	*socket;
	bool		 json;
};

static void __attribute__((noreturn))
usage(int status)
{
	FILE *f = status == 0 ? stdout : stderr;
	int i;

	fprintf(f, "usage: keepalive-l7ctl [-j] [-s SOCKET] COMMAND [ARGS]\n"
	    "  -j, --json           print the daemon's JSON reply\n"
	    "  -s, --socket SOCKET  control socket (default %s)\n"
	    "commands (VS, RS: ADDRESS:PORT, [IPV6]:PORT):\n", CONF_CONTROL_SOCKET);
	for (i = 0; i < CTL_NCMDS; i++)
		fprintf(f, "  %s %s\n", ctl_cmd_info(i)->name, ctl_cmd_info(i)->usage);
	exit(status);
}

/* The command named by the first one or two words; *used says how many. */
static int
find_command(int argc, char **argv, int *used)
{
	char two[64];
	int cmd;

	if (argc >= 2) {
		snprintf(two, sizeof(two), "%s %s", argv[0], argv[1]);
		if ((cmd = ctl_cmd_lookup(two)) != -1) {
			*used = 2;
			return cmd;
		}
	}
	*used = 1;
	return ctl_cmd_lookup(argv[0]);
}

static int
add_hostport(json_object *req, const char *key, const char *text)
{
	struct kl_addr a;
	uint16_t port;

	if (addr_parse_hostport(text, &a, &port) == -1) {
		fprintf(stderr, "keepalive-l7ctl: '%s': expected ADDRESS:PORT\n", text);
		return -1;
	}
	json_object_object_add(req, key, json_object_new_string(text));
	return 0;
}

static int
add_weight(json_object *req, const char *text)
{
	char *end;
	long w;

	errno = 0;
	w = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || w < 0 || w > CTL_WEIGHT_MAX) {
		fprintf(stderr, "keepalive-l7ctl: '%s': expected a weight 0..%d\n", text,
		    CTL_WEIGHT_MAX);
		return -1;
	}
	json_object_object_add(req, "weight", json_object_new_int((int)w));
	return 0;
}

static int
add_pool(json_object *req, const char *text)
{
	if (text[0] == '\0' || strlen(text) >= CTL_POOL_MAX) {
		fprintf(stderr, "keepalive-l7ctl: '%s': expected a pool name of 1..%d bytes\n",
		    text, CTL_POOL_MAX - 1);
		return -1;
	}
	json_object_object_add(req, "pool", json_object_new_string(text));
	return 0;
}

/* "weight N" / "pool NAME" pairs after the servers (add server). */
static int
add_named(json_object *req, const struct ctl_cmd_info *info, int argc, char **argv)
{
	int i;

	for (i = 0; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "weight") == 0 && (info->args & CTL_ARG_WEIGHT_OPT)) {
			if (add_weight(req, argv[i + 1]) == -1)
				return -1;
		} else if (strcmp(argv[i], "pool") == 0 && (info->args & CTL_ARG_POOL_OPT)) {
			if (add_pool(req, argv[i + 1]) == -1)
				return -1;
		} else {
			fprintf(stderr, "usage: keepalive-l7ctl %s %s\n", info->name, info->usage);
			return -1;
		}
	}
	return 0;
}

/* The request for the words of the command line, or NULL (said why). */
static json_object *
build_request(int argc, char **argv, enum ctl_cmd *cmd)
{
	const struct ctl_cmd_info *info;
	json_object *req;
	int used, c, need, max, npos, rc = 0;

	if ((c = find_command(argc, argv, &used)) == -1) {
		fprintf(stderr, "keepalive-l7ctl: unknown command '%s'\n", argv[0]);
		usage(CTL_EXIT_FAILED);
	}
	*cmd = c;
	info = ctl_cmd_info(c);
	argc -= used;
	argv += used;
	need = !!(info->args & CTL_ARG_VS) + !!(info->args & CTL_ARG_RS) +
	    !!(info->args & CTL_ARG_WEIGHT);
	max = need + !!(info->args & CTL_ARG_VS_OPT);
	npos = argc < max ? argc : max;
	if (argc < need || (argc > max && !(info->args & CTL_ARGS_NAMED)) ||
	    (argc - npos) % 2 != 0) {
		fprintf(stderr, "usage: keepalive-l7ctl %s %s\n", info->name, info->usage);
		return NULL;
	}
	req = json_object_new_object();
	json_object_object_add(req, "version", json_object_new_int(CTL_PROTO_VERSION));
	json_object_object_add(req, "command", json_object_new_string(info->name));
	if (npos >= 1)
		rc |= add_hostport(req, "virtual_server", argv[0]);
	if (npos >= 2)
		rc |= add_hostport(req, "real_server", argv[1]);
	if (npos >= 3)
		rc |= add_weight(req, argv[2]);
	if (rc == 0)
		rc = add_named(req, info, argc - npos, argv + npos);
	if (rc != 0) {
		json_object_put(req);
		return NULL;
	}
	return req;
}

static int
connect_socket(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path) >=
	    (int)sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

static int
send_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = send(fd, buf, len, MSG_NOSIGNAL)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* One line from fd, without its newline, in a malloc'd string; NULL with
 * errno set (ETIMEDOUT, EPROTO for EOF before the newline). */
static char *
recv_line(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t len = 0, cap = 0;
	char *buf = NULL, *nl;
	ssize_t n;

	for (;;) {
		if (cap - len < 4096) {
			char *b;

			if (cap >= CTL_REPLY_MAX || (b = realloc(buf, cap + 65536)) == NULL) {
				free(buf);
				errno = EMSGSIZE;
				return NULL;
			}
			buf = b;
			cap += 65536;
		}
		if (poll(&p, 1, CTL_TIMEOUT_MS) == 0) {
			free(buf);
			errno = ETIMEDOUT;
			return NULL;
		}
		if ((n = read(fd, buf + len, cap - len - 1)) <= 0) {
			if (n == -1 && errno == EINTR)
				continue;
			free(buf);
			if (n == 0)
				errno = EPROTO;
			return NULL;
		}
		len += (size_t)n;
		buf[len] = '\0';
		if ((nl = memchr(buf, '\n', len)) != NULL) {
			*nl = '\0';
			return buf;
		}
	}
}

/* Send req, return the parsed reply or NULL (said why). */
static json_object *
exchange(const struct ctl_opts *o, json_object *req, int *status)
{
	const char *text = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	json_object *reply;
	char *line;
	int fd;

	if ((fd = connect_socket(o->socket)) == -1) {
		fprintf(stderr, "keepalive-l7ctl: cannot connect to %s: %s\n", o->socket,
		    strerror(errno));
		*status = CTL_EXIT_NO_DAEMON;
		return NULL;
	}
	*status = CTL_EXIT_FAILED;
	if (send_all(fd, text, strlen(text)) == -1 || send_all(fd, "\n", 1) == -1 ||
	    (line = recv_line(fd)) == NULL) {
		fprintf(stderr, "keepalive-l7ctl: %s: %s\n", o->socket, strerror(errno));
		close(fd);
		return NULL;
	}
	close(fd);
	if ((reply = json_tokener_parse(line)) == NULL ||
	    !json_object_is_type(reply, json_type_object))
		fprintf(stderr, "keepalive-l7ctl: the daemon's reply is not a JSON object\n");
	free(line);
	return reply;
}

static void
parse_opts(int argc, char **argv, struct ctl_opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "socket", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	/* "+": options come before the command (a weight is never an option). */
	while ((ch = getopt_long(argc, argv, "+js:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			o->json = true;
			break;
		case 's':
			o->socket = optarg;
			break;
		case 'h':
			usage(0);
		default:
			usage(CTL_EXIT_FAILED);
		}
	}
	if (optind >= argc)
		usage(CTL_EXIT_FAILED);
}

int
main(int argc, char **argv)
{
	struct ctl_opts o = { .socket = CONF_CONTROL_SOCKET };
	json_object *req, *reply, *ok = NULL, *result = NULL;
	enum ctl_cmd cmd;
	int status;

	parse_opts(argc, argv, &o);
	if ((req = build_request(argc - optind, argv + optind, &cmd)) == NULL)
		return CTL_EXIT_FAILED;
	reply = exchange(&o, req, &status);
	json_object_put(req);
	if (reply == NULL)
		return status;
	json_object_object_get_ex(reply, "ok", &ok);
	status = json_object_get_boolean(ok) ? 0 : CTL_EXIT_FAILED;
	if (o.json)
		printf("%s\n", json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PRETTY |
		    JSON_C_TO_STRING_NOSLASHESCAPE));
	else if (status != 0)
		ctl_print_error(stderr, reply);
	else if (json_object_object_get_ex(reply, "result", &result))
		ctl_print_result(stdout, cmd, result);
	json_object_put(reply);
	return status;
}
