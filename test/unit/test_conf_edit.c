/* Unit tests of runtime edits (keepalive-l7/conf_edit.c, splice/vs_edit.c):
 * add and remove a server, the errors of each, a route's pool emptied,
 * the slots and counts of the next model, the checks an added server
 * gets, edits that add up and cancel, and that the file is not read. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keepalive-l7/conf_edit.h"
#include "lib/conf.h"
#include "test/unit/tmain.h"

/* VS 192.0.2.100:80 (pools web, api; a route to api; default_pool web)
 * with three servers, then VS [2001:db8::100]:443 with one. */
static const char conf_text[] =
    "virtual_server 192.0.2.100 80 {\n"
    " delay_loop 3\n"
    " http_route api {\n  path_prefix /api/\n  pool api\n }\n"
    " default_pool web\n"
    " real_server 198.51.100.1 8080 {\n  pool web\n  rise 2\n  fall 4\n"
    "  TCP_CHECK {\n   connect_port 9000\n   connect_ip 198.51.100.1\n  }\n"
    "  HTTP_GET {\n   url {\n    path /healthz\n   }\n  }\n }\n"
    " real_server 198.51.100.2 8080 {\n  pool web\n }\n"
    " real_server 198.51.100.3 8080 {\n  pool api\n }\n"
    "}\n"
    "virtual_server 2001:db8::100 443 {\n real_server 2001:db8::101 443 {\n }\n}\n";

static struct conf *
load_ok(void)
{
	struct conf_errors errs;
	struct conf *c = conf_load_string("t.conf", conf_text, NULL, &errs);

	ck_assert_msg(c != NULL, "should load: %s", errs.n > 0 ? errs.msg[0] : "");
	return c;
}

static struct conf_edit
edit(enum conf_edit_op op, const char *vs, const char *rs)
{
	struct conf_edit e = { .op = op, .weight = 1 };

	ck_assert_int_eq(addr_parse_hostport(vs, &e.vs_addr, &e.vs_port), 0);
	ck_assert_int_eq(addr_parse_hostport(rs, &e.rs_addr, &e.rs_port), 0);
	return e;
}

/* Check e against c, then build the next model; c is freed. */
static struct conf *
apply_ok(struct conf *c, const struct conf_edit *e)
{
	struct conf_errors errs;
	struct conf *n;
	char err[256] = "";

	ck_assert_msg(conf_edit_check(c, e, err, sizeof(err)) == 0, "check: %s", err);
	n = conf_edit_load(c, e, &errs);
	ck_assert_msg(n != NULL, "load: %s", errs.n > 0 ? errs.msg[0] : "");
	conf_free(c);
	return n;
}

static const struct conf_real_server *
nth_server(const struct conf_virtual_server *vs, unsigned n)
{
	const struct conf_real_server *rs = vs->servers;

	while (rs != NULL && n-- > 0)
		rs = rs->next;
	ck_assert_ptr_nonnull(rs);
	return rs;
}

static const char *
rs_name(const struct conf_real_server *rs, char *buf)
{
	return addr_port_ntop(&rs->addr, rs->port, buf, ADDR_STRLEN);
}

/* Every server's slot is its position over all virtual servers. */
static void
assert_slots(const struct conf *c, unsigned expect_total)
{
	const struct conf_virtual_server *vs;
	const struct conf_real_server *rs;
	unsigned n = 0, per_vs;

	for (vs = c->virtual_servers; vs != NULL; vs = vs->next) {
		per_vs = 0;
		for (rs = vs->servers; rs != NULL; rs = rs->next, per_vs++)
			ck_assert_uint_eq(rs->index, n++);
		ck_assert_uint_eq(vs->n_servers, per_vs);
	}
	ck_assert_uint_eq(n, expect_total);
	ck_assert_uint_eq(c->n_real_servers, expect_total);
}

START_TEST(test_add_server)
{
	struct conf *c = load_ok();
	struct conf_edit e = edit(CONF_EDIT_ADD_SERVER, "192.0.2.100:80", "198.51.100.9:8081");
	const struct conf_virtual_server *vs;
	const struct conf_real_server *rs;
	const struct conf_checker *ck;
	char b[ADDR_STRLEN];

	e.weight = 5;
	c = apply_ok(c, &e);
	vs = c->virtual_servers;
	ck_assert_uint_eq(c->n_edits, 1);
	assert_slots(c, 5);
	rs = nth_server(vs, 3);
	ck_assert_str_eq(rs_name(rs, b), "198.51.100.9:8081");
	ck_assert_uint_eq(rs->weight, 5);
	ck_assert_str_eq(rs->pool, "web");		/* the VS's default_pool */
	ck_assert_uint_eq(rs->index, 3);
	ck_assert_uint_eq(vs->next->servers->index, 4);
	ck_assert_str_eq(rs->src.file, "control socket: add server");
	/* The checks of the first server of pool web, aimed at this one. */
	ck_assert_uint_eq(rs->n_checkers, 2);
	ck_assert_uint_eq(rs->rise, 2);
	ck_assert_uint_eq(rs->fall, 4);
	ck = rs->checkers;
	ck_assert_int_eq(ck->type, CONF_CHECK_TCP);
	ck_assert_uint_eq(ck->connect_port, 0);
	ck_assert(!addr_is_set(&ck->connect_ip));
	ck_assert_uint_eq(ck->delay_loop_ms, 3000);	/* inherited from the VS */
	ck_assert_int_eq(ck->next->type, CONF_CHECK_HTTP);
	ck_assert_str_eq(ck->next->urls->path, "/healthz");
	ck_assert_ptr_null(ck->next->next);
	/* The template keeps its own. */
	ck = vs->servers->checkers;
	ck_assert_uint_eq(ck->connect_port, 9000);
	ck_assert(addr_is_set(&ck->connect_ip));
	conf_free(c);
}
END_TEST

START_TEST(test_add_to_pool)
{
	struct conf *c = load_ok();
	struct conf_edit e = edit(CONF_EDIT_ADD_SERVER, "192.0.2.100:80", "198.51.100.9:8080");
	struct conf_edit f = edit(CONF_EDIT_ADD_SERVER, "192.0.2.100:80", "198.51.100.10:8080");
	struct conf_edit g = edit(CONF_EDIT_ADD_SERVER, "[2001:db8::100]:443",
	    "[2001:db8::102]:443");
	const struct conf_real_server *rs;

	e.pool = "api";		/* its template has no checks */
	f.pool = "fresh";	/* no server has this pool yet */
	c = apply_ok(c, &e);
	c = apply_ok(c, &f);
	c = apply_ok(c, &g);	/* a VS without default_pool */
	ck_assert_uint_eq(c->n_edits, 3);
	assert_slots(c, 7);
	rs = nth_server(c->virtual_servers, 3);
	ck_assert_str_eq(rs->pool, "api");
	ck_assert_uint_eq(rs->n_checkers, 0);
	ck_assert_ptr_null(rs->checkers);
	rs = rs->next;
	ck_assert_str_eq(rs->pool, "fresh");
	ck_assert_uint_eq(rs->n_checkers, 0);
	ck_assert_uint_eq(rs->rise, 1);
	rs = nth_server(c->virtual_servers->next, 1);
	ck_assert_str_eq(rs->pool, "default");
	ck_assert_uint_eq(rs->index, 6);
	conf_free(c);
}
END_TEST

START_TEST(test_remove_server)
{
	struct conf *c = load_ok();
	struct conf_edit e = edit(CONF_EDIT_REMOVE_SERVER, "192.0.2.100:80", "198.51.100.1:8080");
	struct conf_edit f = edit(CONF_EDIT_REMOVE_SERVER, "[2001:db8::100]:443",
	    "[2001:db8::101]:443");
	char b[ADDR_STRLEN];

	c = apply_ok(c, &e);
	assert_slots(c, 3);
	ck_assert_str_eq(rs_name(c->virtual_servers->servers, b), "198.51.100.2:8080");
	ck_assert_str_eq(rs_name(c->virtual_servers->next->servers, b), "[2001:db8::101]:443");
	/* The last server of a virtual server may go, as the file allows. */
	c = apply_ok(c, &f);
	ck_assert_uint_eq(c->n_edits, 2);
	assert_slots(c, 2);
	ck_assert_ptr_null(c->virtual_servers->next->servers);
	conf_free(c);
}
END_TEST

/* Removing a server added at run time drops its edit: back to the file. */
START_TEST(test_add_then_remove)
{
	struct conf *c = load_ok();
	struct conf_edit a = edit(CONF_EDIT_ADD_SERVER, "192.0.2.100:80", "198.51.100.9:8080");
	struct conf_edit r = edit(CONF_EDIT_REMOVE_SERVER, "192.0.2.100:80", "198.51.100.9:8080");
	struct conf_edit r1 = edit(CONF_EDIT_REMOVE_SERVER, "192.0.2.100:80", "198.51.100.1:8080");
	struct conf_edit a1 = edit(CONF_EDIT_ADD_SERVER, "192.0.2.100:80", "198.51.100.1:8080");
	char b[ADDR_STRLEN];

	c = apply_ok(c, &a);
	c = apply_ok(c, &r);
	ck_assert_uint_eq(c->n_edits, 0);
	ck_assert_ptr_null(c->edits);
	assert_slots(c, 4);
	/* A file server removed and added back: both edits stay, it comes last. */
	c = apply_ok(c, &r1);
	a1.weight = 7;
	c = apply_ok(c, &a1);
	ck_assert_uint_eq(c->n_edits, 2);
	assert_slots(c, 4);
	ck_assert_str_eq(rs_name(nth_server(c->virtual_servers, 2), b), "198.51.100.1:8080");
	ck_assert_uint_eq(nth_server(c->virtual_servers, 2)->weight, 7);
	conf_free(c);
}
END_TEST

static const struct {
	enum conf_edit_op	 op;
	const char		*vs, *rs;
	const char		*error;
} refused[] = {
	{ CONF_EDIT_ADD_SERVER, "192.0.2.100:80", "198.51.100.2:8080",
	  "virtual server 192.0.2.100:80 already has real server 198.51.100.2:8080" },
	{ CONF_EDIT_ADD_SERVER, "192.0.2.100:81", "198.51.100.9:8080",
	  "no virtual server 192.0.2.100:81" },
	{ CONF_EDIT_REMOVE_SERVER, "192.0.2.101:80", "198.51.100.1:8080",
	  "no virtual server 192.0.2.101:80" },
	{ CONF_EDIT_REMOVE_SERVER, "192.0.2.100:80", "198.51.100.1:8081",
	  "virtual server 192.0.2.100:80 has no real server 198.51.100.1:8081" },
	{ CONF_EDIT_REMOVE_SERVER, "[2001:db8::100]:443", "198.51.100.1:8080",
	  "virtual server [2001:db8::100]:443 has no real server 198.51.100.1:8080" },
};

START_TEST(test_refused)
{
	struct conf *c = load_ok();
	struct conf_edit e = edit(refused[_i].op, refused[_i].vs, refused[_i].rs);
	char err[256] = "";

	ck_assert_int_eq(conf_edit_check(c, &e, err, sizeof(err)), -1);
	ck_assert_str_eq(err, refused[_i].error);
	conf_free(c);
}
END_TEST

/* The next model goes through the file's checks: a route's pool emptied. */
START_TEST(test_route_pool_emptied)
{
	struct conf *c = load_ok();
	struct conf_edit e = edit(CONF_EDIT_REMOVE_SERVER, "192.0.2.100:80", "198.51.100.3:8080");
	struct conf_errors errs;
	char err[256];

	ck_assert_int_eq(conf_edit_check(c, &e, err, sizeof(err)), 0);
	ck_assert_ptr_null(conf_edit_load(c, &e, &errs));
	ck_assert_int_eq(errs.n, 1);
	ck_assert_str_eq(errs.msg[0], "t.conf:3: http_route api: no real_server has 'pool api'");
	conf_errors_free(&errs);
	/* The running model is untouched. */
	ck_assert_uint_eq(c->n_real_servers, 4);
	ck_assert_uint_eq(c->n_edits, 0);
	conf_free(c);
}
END_TEST

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
}

/* An edit parses what was read at the load, includes too, never the
 * files as they are now. */
START_TEST(test_file_not_read)
{
	char dir[] = "/tmp/kl7-test-edit-XXXXXX", main_path[64], inc_path[64];
	struct conf_edit e = edit(CONF_EDIT_ADD_SERVER, "192.0.2.100:80", "198.51.100.9:8080");
	struct conf_errors errs;
	struct conf *c;
	char b[ADDR_STRLEN];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(main_path, sizeof(main_path), "%s/k.conf", dir);
	snprintf(inc_path, sizeof(inc_path), "%s/rs.inc", dir);
	write_file(main_path, "virtual_server 192.0.2.100 80 {\n include rs.inc\n}\n");
	write_file(inc_path, " real_server 198.51.100.1 8080 {\n }\n");
	c = conf_load(main_path, NULL, &errs);
	ck_assert_ptr_nonnull(c);
	write_file(main_path, "this is no configuration\n");
	ck_assert_int_eq(unlink(inc_path), 0);

	c = apply_ok(c, &e);
	assert_slots(c, 2);
	ck_assert_str_eq(rs_name(c->virtual_servers->servers, b), "198.51.100.1:8080");
	ck_assert_str_eq(c->virtual_servers->servers->src.file, inc_path);
	ck_assert_str_eq(c->path, main_path);
	conf_free(c);
	ck_assert_int_eq(unlink(main_path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("conf_edit");
	TCase *tc = tcase_create("edit");

	tcase_add_test(tc, test_add_server);
	tcase_add_test(tc, test_add_to_pool);
	tcase_add_test(tc, test_remove_server);
	tcase_add_test(tc, test_add_then_remove);
	tcase_add_loop_test(tc, test_refused, 0, sizeof(refused) / sizeof(refused[0]));
	tcase_add_test(tc, test_route_pool_emptied);
	tcase_add_test(tc, test_file_not_read);
	suite_add_tcase(s, tc);
	return s;
}
