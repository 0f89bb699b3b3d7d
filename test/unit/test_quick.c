/* Unit tests of quick mode (keepalive-l7/quick.c): the config text the
 * command line becomes, that the parser takes it, the route order, pools
 * shared by hosts with the same servers, and each refusal. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keepalive-l7/conf_load.h"
#include "keepalive-l7/quick.h"
#include "test/unit/tmain.h"

static char *
build(char *const *listen, int nl, char *const *maps, int nm)
{
	char err[256] = "";
	char *text = quick_config(listen, nl, maps, nm, err, sizeof(err));

	ck_assert_msg(text != NULL, "refused: %s", err);
	return text;
}

static void
assert_loads(const char *text)
{
	struct conf_errors errs;
	struct conf *c = conf_load_string("(--listen)", text, NULL, &errs);

	ck_assert_msg(c != NULL, "does not load: %s\n%s", errs.n > 0 ? errs.msg[0] : "", text);
	conf_free(c);
}

START_TEST(test_text)
{
	char *listen[] = { "192.0.2.1:8080", "[2001:db8::1]:80" };
	char *maps[] = { "*.example.test=198.51.100.2:81", "Api.Example.test=198.51.100.2:82",
	    "*=198.51.100.2:83", "*.a.example.test=[2001:db8::2]:84",
	    "www.example.test=198.51.100.2:81", "two.test=198.51.100.2:85",
	    "two.test=198.51.100.2:86" };
	/* www shares *.example.test's server, hence its pool (pool1). */
	char *text = build(listen, 2, maps, 7);
	const char *vs =
	    "\tlb_kind L7\n"
	    "\tlb_algo rr\n"
	    "\thttp_route hosts1 { host www.example.test pool pool1 }\n"
	    "\thttp_route hosts2 { host api.example.test pool pool2 }\n"
	    "\thttp_route hosts5 { host two.test pool pool5 }\n"
	    "\thttp_route wild1 { host *.a.example.test pool pool4 }\n"
	    "\thttp_route wild2 { host *.example.test pool pool1 }\n"
	    "\tdefault_pool pool3\n"
	    "\treal_server 198.51.100.2 81 { pool pool1 }\n"
	    "\treal_server 198.51.100.2 82 { pool pool2 }\n"
	    "\treal_server 198.51.100.2 83 { pool pool3 }\n"
	    "\treal_server 2001:db8::2 84 { pool pool4 }\n"
	    "\treal_server 198.51.100.2 85 { pool pool5 }\n"
	    "\treal_server 198.51.100.2 86 { pool pool5 }\n"
	    "}\n";
	char want[2048];

	snprintf(want, sizeof(want), "# keepalive-l7 quick mode: the command line as a config "
	    "file\nvirtual_server 192.0.2.1 8080 {\n%svirtual_server 2001:db8::1 80 {\n%s", vs, vs);
	ck_assert_str_eq(text, want);
	assert_loads(text);
	free(text);
}
END_TEST

/* No '*': no default pool, the routes alone. */
START_TEST(test_no_default)
{
	char *listen[] = { "192.0.2.1:80" };
	char *maps[] = { "a.test=198.51.100.2:81" };
	char *text = build(listen, 1, maps, 1);

	ck_assert_ptr_null(strstr(text, "default_pool"));
	assert_loads(text);
	free(text);
}
END_TEST

static const struct {
	const char	*listen;
	const char	*map;
	const char	*map2;
	const char	*map3;
	const char	*msg;
} refused[] = {
	{ "192.0.2.1:80", NULL, NULL, NULL, "at least one HOST=ADDR:PORT" },
	{ "192.0.2.1", "a=198.51.100.2:81", NULL, NULL, "--listen '192.0.2.1': expected" },
	{ "2001:db8::1:80", "a=198.51.100.2:81", NULL, NULL, "expected ADDR:PORT" },
	{ "192.0.2.1:80", "a", NULL, NULL, "'a': expected HOST=ADDR:PORT" },
	{ "192.0.2.1:80", "=198.51.100.2:81", NULL, NULL, "'' is not a host name" },
	{ "192.0.2.1:80", "a.=198.51.100.2:81", NULL, NULL, "'a.' is not a host name" },
	{ "192.0.2.1:80", ".a=198.51.100.2:81", NULL, NULL, "'.a' is not a host name" },
	{ "192.0.2.1:80", "a*b=198.51.100.2:81", NULL, NULL, "'a*b' is not a host name" },
	{ "192.0.2.1:80", "*.=198.51.100.2:81", NULL, NULL, "'*.' is not a host name" },
	{ "192.0.2.1:80", "a_b=198.51.100.2:81", NULL, NULL, "'a_b' is not a host name" },
	{ "192.0.2.1:80", "a=198.51.100.2", NULL, NULL, "'198.51.100.2' is not ADDR:PORT" },
	{ "192.0.2.1:80", "a=198.51.100.2:0", NULL, NULL, "is not ADDR:PORT" },
	{ "192.0.2.1:80", "a=host:80", NULL, NULL, "is not ADDR:PORT" },
	{ "192.0.2.1:80", "a=198.51.100.2:81", "b=198.51.100.2:81", "b=198.51.100.2:82",
	  "hosts 'a' and 'b' share a server but not all of their servers" },
};

START_TEST(test_refused)
{
	char *listen[] = { (char *)refused[_i].listen };
	char *maps[] = { (char *)refused[_i].map, (char *)refused[_i].map2,
	    (char *)refused[_i].map3 };
	int nm = maps[0] == NULL ? 0 : maps[1] == NULL ? 1 : maps[2] == NULL ? 2 : 3;
	char err[256] = "";

	ck_assert_ptr_null(quick_config(listen, 1, maps, nm, err, sizeof(err)));
	ck_assert_msg(strstr(err, refused[_i].msg) != NULL, "'%s' lacks '%s'", err,
	    refused[_i].msg);
}
END_TEST

START_TEST(test_server_limit)
{
	char *listen[] = { "192.0.2.1:80" };
	char *maps[QUICK_MAX_SERVERS + 1], buf[QUICK_MAX_SERVERS + 1][40], err[256] = "";
	char *text;
	int i;

	for (i = 0; i <= QUICK_MAX_SERVERS; i++) {
		snprintf(buf[i], sizeof(buf[i]), "h%d.test=198.51.100.2:%d", i, 1000 + i);
		maps[i] = buf[i];
	}
	text = build(listen, 1, maps, QUICK_MAX_SERVERS);
	assert_loads(text);
	free(text);
	ck_assert_ptr_null(quick_config(listen, 1, maps, QUICK_MAX_SERVERS + 1, err,
	    sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "more than 64 servers"));
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("quick");
	TCase *tc = tcase_create("quick");

	tcase_add_test(tc, test_text);
	tcase_add_test(tc, test_no_default);
	tcase_add_loop_test(tc, test_refused, 0, sizeof(refused) / sizeof(refused[0]));
	tcase_add_test(tc, test_server_limit);
	suite_add_tcase(s, tc);
	return s;
}
