/* libFuzzer harness: the control socket's request parser
 * (keepalive-l7/ctl_req.c, with json-c's tokener under it), fed the bytes
 * of one line as ctl_server.c passes them: not NUL-terminated, in a buffer
 * of exactly that size, so ASan sees any read past the end.
 *
 * Asserted: a refusal carries a reason (NUL-terminated, within the error
 * buffer, the same answer with no buffer or a 1-byte one); an accepted
 * request is shorter than CTL_REQ_MAX, names a command of the table and
 * has exactly the arguments that command takes, in range; written back
 * as keepalive-l7ctl writes it, it parses to the same request; a prefix
 * of it is refused unless only blanks were cut, and so is the request
 * with one more byte.
 * Build and run: `make fuzz` / `make fuzz-regress` (test/fuzz/fuzz.mk).
 */
#include "config.h"

#include "test/fuzz/fuzz.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "keepalive-l7/ctl_req.h"
#include "lib/addr.h"

static void
check_args(const struct ctl_req *req, size_t len)
{
	unsigned args;

	FUZZ_ASSERT(len < CTL_REQ_MAX);
	FUZZ_ASSERT(req->cmd < CTL_NCMDS);
	args = ctl_cmd_info(req->cmd)->args;
	if (args & CTL_ARG_VS)
		FUZZ_ASSERT(req->has_vs);
	if (req->has_vs)
		FUZZ_ASSERT((args & (CTL_ARG_VS | CTL_ARG_VS_OPT)) && req->vs_port != 0 &&
		    addr_is_set(&req->vs_addr));
	FUZZ_ASSERT(req->has_rs == !!(args & CTL_ARG_RS));
	if (req->has_rs)
		FUZZ_ASSERT(req->rs_port != 0 && addr_is_set(&req->rs_addr));
	FUZZ_ASSERT(req->weight <= CTL_WEIGHT_MAX);
	if (args & CTL_ARG_WEIGHT)
		FUZZ_ASSERT(req->has_weight);
	if (!(args & (CTL_ARG_WEIGHT | CTL_ARG_WEIGHT_OPT)))
		FUZZ_ASSERT(!req->has_weight && req->weight == 0);
	if (!(args & CTL_ARG_POOL_OPT))
		FUZZ_ASSERT(!req->has_pool);
	if (req->has_pool)
		FUZZ_ASSERT(memchr(req->pool, '\0', sizeof(req->pool)) != NULL);
}

static void
add_hostport(json_object *o, const char *key, const struct kl_addr *a, uint16_t port)
{
	char buf[ADDR_STRLEN];

	FUZZ_ASSERT(addr_port_ntop(a, port, buf, sizeof(buf)) != NULL);
	json_object_object_add(o, key, json_object_new_string(buf));
}

/* The request as keepalive-l7ctl would send it parses to the same. */
static void
check_round_trip(const struct ctl_req *req)
{
	json_object *o = json_object_new_object();
	struct ctl_req again;
	const char *text;
	char err[256];

	FUZZ_ASSERT(o != NULL);
	json_object_object_add(o, "version", json_object_new_int(CTL_PROTO_VERSION));
	json_object_object_add(o, "command", json_object_new_string(ctl_cmd_info(req->cmd)->name));
	if (req->has_vs)
		add_hostport(o, "virtual_server", &req->vs_addr, req->vs_port);
	if (req->has_rs)
		add_hostport(o, "real_server", &req->rs_addr, req->rs_port);
	if (req->has_weight)
		json_object_object_add(o, "weight", json_object_new_int((int)req->weight));
	if (req->has_pool)
		json_object_object_add(o, "pool", json_object_new_string(req->pool));
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	FUZZ_ASSERT(text != NULL);
	if (ctl_req_parse(text, strlen(text), &again, err, sizeof(err)) != 0) {
		fprintf(stderr, "written back as %s: %s\n", text, err);
		abort();
	}
	FUZZ_ASSERT(again.cmd == req->cmd && again.weight == req->weight &&
	    again.has_weight == req->has_weight && again.has_pool == req->has_pool);
	FUZZ_ASSERT(!req->has_pool || strcmp(again.pool, req->pool) == 0);
	FUZZ_ASSERT(again.has_vs == req->has_vs && again.has_rs == req->has_rs);
	FUZZ_ASSERT(again.vs_port == req->vs_port && again.rs_port == req->rs_port);
	FUZZ_ASSERT(!req->has_vs || addr_equal(&again.vs_addr, &req->vs_addr));
	FUZZ_ASSERT(!req->has_rs || addr_equal(&again.rs_addr, &req->rs_addr));
	json_object_put(o);
}

static bool
all_blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
}

/* Less is refused unless only blanks went; one byte more is refused. */
static void
check_cuts(const char *buf, size_t len)
{
	struct ctl_req req;
	char *more;
	size_t k;

	for (k = 0; k < len; k += k / 2 + 1)
		if (ctl_req_parse(buf, k, &req, NULL, 0) == 0)
			FUZZ_ASSERT(all_blank(buf + k, len - k));
	if (ctl_req_parse(buf, len - 1, &req, NULL, 0) == 0)
		FUZZ_ASSERT(all_blank(buf + len - 1, 1));
	if ((more = malloc(len + 1)) == NULL)
		abort();
	memcpy(more, buf, len);
	more[len] = '}';
	FUZZ_ASSERT(ctl_req_parse(more, len + 1, &req, NULL, 0) == -1);
	free(more);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);	/* exactly size bytes for ASan */
	char err[256], tiny[1];
	struct ctl_req req;
	int rc;

	if (buf == NULL)
		abort();
	memcpy(buf, data, size);
	memset(err, 'x', sizeof(err));
	rc = ctl_req_parse(buf, size, &req, err, sizeof(err));
	FUZZ_ASSERT(rc == 0 || rc == -1);
	FUZZ_ASSERT(ctl_req_parse(buf, size, &req, NULL, 0) == rc);
	tiny[0] = 'x';
	FUZZ_ASSERT(ctl_req_parse(buf, size, &req, tiny, sizeof(tiny)) == rc);
	if (rc == -1) {
		FUZZ_ASSERT(memchr(err, '\0', sizeof(err)) != NULL && err[0] != '\0');
		FUZZ_ASSERT(tiny[0] == '\0');
		if (size >= CTL_REQ_MAX)
			FUZZ_ASSERT(strstr(err, "longer than") != NULL);
	} else {
		check_args(&req, size);
		check_round_trip(&req);
		check_cuts(buf, size);
	}
	free(buf);
	return 0;
}
