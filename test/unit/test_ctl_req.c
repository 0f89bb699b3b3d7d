/* Control requests (keepalive-l7/ctl_req.c): what is accepted, and that
 * every malformed request is refused with a reason, one line per case. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "keepalive-l7/ctl_req.h"
#include "test/unit/tmain.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

#define V	"{\"version\":1,"
#define VS	"\"virtual_server\":\"192.0.2.1:80\""
#define RS	"\"real_server\":\"198.51.100.2:8080\""

struct good_case {
	const char	*in;
	enum ctl_cmd	 cmd;
	bool		 has_vs;
	bool		 has_rs;
	int		 weight;
	const char	*why;
};

static const struct good_case good[] = {
	{ V "\"command\":\"status\"}", CTL_STATUS, false, false, 0, "status" },
	{ V "\"command\":\"show vrrp\"}", CTL_SHOW_VRRP, false, false, 0, "show vrrp" },
	{ V "\"command\":\"show servers\"}", CTL_SHOW_SERVERS, false, false, 0, "all servers" },
	{ V "\"command\":\"show servers\"," VS "}", CTL_SHOW_SERVERS, true, false, 0,
	  "one virtual server" },
	{ V "\"command\":\"show stats\"}", CTL_SHOW_STATS, false, false, 0, "show stats" },
	{ V "\"command\":\"enable server\"," VS "," RS "}", CTL_ENABLE_SERVER, true, true, 0,
	  "enable" },
	{ V "\"command\":\"disable server\"," VS "," RS "}", CTL_DISABLE_SERVER, true, true, 0,
	  "disable" },
	{ V "\"command\":\"drain server\"," VS "," RS "}", CTL_DRAIN_SERVER, true, true, 0,
	  "drain" },
	{ V "\"command\":\"set weight\"," VS "," RS ",\"weight\":0}", CTL_SET_WEIGHT, true,
	  true, 0, "weight 0" },
	{ V "\"command\":\"set weight\"," VS "," RS ",\"weight\":65535}", CTL_SET_WEIGHT, true,
	  true, 65535, "the largest weight" },
	{ V "\"command\":\"add server\"," VS "," RS "}", CTL_ADD_SERVER, true, true, 0, "add" },
	{ V "\"command\":\"add server\"," VS "," RS ",\"weight\":4}", CTL_ADD_SERVER, true,
	  true, 4, "add with a weight" },
	{ V "\"command\":\"add server\"," VS "," RS ",\"pool\":\"api\",\"weight\":0}",
	  CTL_ADD_SERVER, true, true, 0, "add with a pool and weight 0" },
	{ V "\"command\":\"remove server\"," VS "," RS "}", CTL_REMOVE_SERVER, true, true, 0,
	  "remove" },
	{ V "\"command\":\"reload\"}", CTL_RELOAD, false, false, 0, "reload" },
	{ " { \"command\" : \"status\" , \"version\" : 1 } ", CTL_STATUS, false, false, 0,
	  "any member order, blanks around" },
	{ V "\"command\":\"show servers\",\"virtual_server\":\"[2001:db8::1]:443\"}",
	  CTL_SHOW_SERVERS, true, false, 0, "IPv6 virtual server" },
};

struct bad_case {
	const char	*in;
	const char	*error;		/* a part of the reason */
	const char	*why;
};

static const struct bad_case bad[] = {
	{ "", "bad JSON", "empty" },
	{ "{", "bad JSON", "truncated" },
	{ "{\"version\":1,\"command\":\"status\"", "bad JSON", "unterminated object" },
	{ "nonsense", "bad JSON", "not JSON" },
	{ "[1,2]", "JSON object", "an array" },
	{ "\"status\"", "JSON object", "a string" },
	{ V "\"command\":\"status\"} {}", "bad JSON", "text after the object" },
	/* Strict RFC 8259: json-c's extensions are refused. */
	{ V "\"command\":\"status\"} // more", "bad JSON", "a comment after the object" },
	{ V "\"command\":\"status\" /* c */}", "bad JSON", "a comment inside" },
	{ V "\"command\":'status'}", "bad JSON", "single quotes" },
	{ V "\"command\":\"status\",}", "bad JSON", "a trailing comma" },
	{ "{\"command\":\"status\"}", "missing version", "no version" },
	{ "{\"version\":\"1\",\"command\":\"status\"}", "missing version", "version as text" },
	{ "{\"version\":2,\"command\":\"status\"}", "unsupported version 2", "future version" },
	{ "{\"version\":1}", "missing command", "no command" },
	{ V "\"command\":7}", "missing command", "command not a string" },
	{ V "\"command\":\"explode\"}", "unknown command \"explode\"", "unknown command" },
	{ V "\"command\":\"show\"}", "unknown command", "half a command" },
	{ V "\"command\":\"STATUS\"}", "unknown command", "commands are lower case" },
	{ V "\"command\":\"status\",\"force\":true}", "unexpected member \"force\"",
	  "unknown member" },
	{ V "\"command\":\"status\"," VS "}", "unexpected member \"virtual_server\"",
	  "status takes no server" },
	{ V "\"command\":\"enable server\"," RS "}", "missing virtual_server", "no VS" },
	{ V "\"command\":\"enable server\"," VS "}", "missing real_server", "no RS" },
	{ V "\"command\":\"enable server\",\"virtual_server\":\"192.0.2.1\"," RS "}",
	  "virtual_server: expected", "no port" },
	{ V "\"command\":\"enable server\",\"virtual_server\":\"192.0.2.1:0\"," RS "}",
	  "virtual_server: expected", "port 0" },
	{ V "\"command\":\"enable server\"," VS ",\"real_server\":\"host:80\"}",
	  "real_server: expected", "a name, not an address" },
	{ V "\"command\":\"enable server\"," VS ",\"real_server\":80}", "real_server: expected",
	  "a number" },
	{ V "\"command\":\"set weight\"," VS "," RS "}", "missing weight", "no weight" },
	{ V "\"command\":\"set weight\"," VS "," RS ",\"weight\":-1}", "weight: expected",
	  "negative weight" },
	{ V "\"command\":\"set weight\"," VS "," RS ",\"weight\":65536}", "weight: expected",
	  "weight too large" },
	{ V "\"command\":\"set weight\"," VS "," RS ",\"weight\":\"3\"}", "weight: expected",
	  "weight as text" },
	{ V "\"command\":\"set weight\"," VS "," RS ",\"weight\":2.5}", "weight: expected",
	  "fractional weight" },
	{ V "\"command\":\"drain server\"," VS "," RS ",\"weight\":2}",
	  "unexpected member \"weight\"", "drain takes no weight" },
	{ V "\"command\":\"add server\"," VS "," RS ",\"weight\":65536}", "weight: expected",
	  "add: weight too large" },
	{ V "\"command\":\"add server\"," VS "," RS ",\"pool\":\"\"}", "pool: expected",
	  "empty pool name" },
	{ V "\"command\":\"add server\"," VS "," RS ",\"pool\":\"a b\"}", "pool: expected",
	  "pool name of two words" },
	{ V "\"command\":\"add server\"," VS "," RS ",\"pool\":7}", "pool: expected",
	  "pool as a number" },
	{ V "\"command\":\"add server\"," VS "," RS ",\"pool\":"
	  "\"0123456789012345678901234567890123456789012345678901234567890123\"}",
	  "pool: expected", "pool name of 64 bytes" },
	{ V "\"command\":\"add server\"," VS "}", "missing real_server", "add: no RS" },
	{ V "\"command\":\"remove server\"," VS "," RS ",\"pool\":\"api\"}",
	  "unexpected member \"pool\"", "remove takes no pool" },
	{ V "\"command\":\"remove server\"," VS "," RS ",\"weight\":1}",
	  "unexpected member \"weight\"", "remove takes no weight" },
	{ V "\"command\":\"set weight\"," VS "," RS ",\"weight\":1,\"pool\":\"api\"}",
	  "unexpected member \"pool\"", "set weight takes no pool" },
};

START_TEST(test_good)
{
	const struct good_case *c = &good[_i];
	struct ctl_req req;
	char err[256] = "";

	ck_assert_msg(ctl_req_parse(c->in, strlen(c->in), &req, err, sizeof(err)) == 0,
	    "%s: %s", c->why, err);
	ck_assert_int_eq(req.cmd, c->cmd);
	ck_assert_int_eq(req.has_vs, c->has_vs);
	ck_assert_int_eq(req.has_rs, c->has_rs);
	ck_assert_int_eq((int)req.weight, c->weight);
}
END_TEST

/* add server's optional members: given or not, the pool's longest name. */
START_TEST(test_add_options)
{
	static const char none[] = V "\"command\":\"add server\"," VS "," RS "}";
	static const char both[] = V "\"command\":\"add server\"," VS "," RS
	    ",\"weight\":3,\"pool\":\"api-v2\"}";
	static const char longest[] = V "\"command\":\"add server\"," VS "," RS ",\"pool\":"
	    "\"012345678901234567890123456789012345678901234567890123456789012\"}";
	struct ctl_req req;

	ck_assert_int_eq(ctl_req_parse(none, strlen(none), &req, NULL, 0), 0);
	ck_assert(!req.has_weight);
	ck_assert(!req.has_pool);
	ck_assert_int_eq(ctl_req_parse(both, strlen(both), &req, NULL, 0), 0);
	ck_assert(req.has_weight);
	ck_assert_uint_eq(req.weight, 3);
	ck_assert(req.has_pool);
	ck_assert_str_eq(req.pool, "api-v2");
	ck_assert_int_eq(ctl_req_parse(longest, strlen(longest), &req, NULL, 0), 0);
	ck_assert_uint_eq(strlen(req.pool), CTL_POOL_MAX - 1);
}
END_TEST

START_TEST(test_bad)
{
	const struct bad_case *c = &bad[_i];
	struct ctl_req req;
	char err[256] = "";

	ck_assert_msg(ctl_req_parse(c->in, strlen(c->in), &req, err, sizeof(err)) == -1,
	    "%s: accepted", c->why);
	ck_assert_msg(strstr(err, c->error) != NULL, "%s: '%s' lacks '%s'", c->why, err,
	    c->error);
}
END_TEST

START_TEST(test_addresses)
{
	static const char in[] = V "\"command\":\"set weight\",\"virtual_server\":"
	    "\"[2001:db8::1]:443\",\"real_server\":\"198.51.100.2:8080\",\"weight\":3}";
	struct ctl_req req;
	char buf[ADDR_STRLEN];

	ck_assert_int_eq(ctl_req_parse(in, strlen(in), &req, NULL, 0), 0);
	ck_assert_str_eq(addr_port_ntop(&req.vs_addr, req.vs_port, buf, sizeof(buf)),
	    "[2001:db8::1]:443");
	ck_assert_str_eq(addr_port_ntop(&req.rs_addr, req.rs_port, buf, sizeof(buf)),
	    "198.51.100.2:8080");
	ck_assert_uint_eq(req.weight, 3);
}
END_TEST

/* The limit counts the newline: CTL_REQ_MAX - 1 bytes of JSON at most. */
START_TEST(test_too_long)
{
	size_t len = CTL_REQ_MAX;
	char *in = malloc(len + 1), err[256] = "";
	struct ctl_req req;
	size_t pre = strlen(V "\"command\":\"status\",\"x\":\"");

	ck_assert_ptr_nonnull(in);
	memcpy(in, V "\"command\":\"status\",\"x\":\"", pre);
	memset(in + pre, 'a', len - pre - 2);
	memcpy(in + len - 2, "\"}", 2);
	in[len] = '\0';
	ck_assert_int_eq(ctl_req_parse(in, len, &req, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "longer than"));
	free(in);
}
END_TEST

START_TEST(test_command_table)
{
	int i;

	for (i = 0; i < CTL_NCMDS; i++) {
		ck_assert_ptr_nonnull(ctl_cmd_info(i)->name);
		ck_assert_int_eq(ctl_cmd_lookup(ctl_cmd_info(i)->name), i);
	}
	ck_assert_int_eq(ctl_cmd_lookup("show"), -1);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("ctl_req");
	TCase *tc = tcase_create("ctl_req");

	tcase_add_loop_test(tc, test_good, 0, NELEM(good));
	tcase_add_loop_test(tc, test_bad, 0, NELEM(bad));
	tcase_add_test(tc, test_add_options);
	tcase_add_test(tc, test_addresses);
	tcase_add_test(tc, test_too_long);
	tcase_add_test(tc, test_command_table);
	suite_add_tcase(s, tc);
	return s;
}
