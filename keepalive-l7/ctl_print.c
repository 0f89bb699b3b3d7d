/* keepalive-l7ctl tables; see ctl_print.h. */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "keepalive-l7/ctl_print.h"

/* A table of strings, printed with columns padded to their widest cell. */
#define TABLE_MAX_COLS	12
#define TABLE_CELL	64

struct table {
	unsigned	  ncols;
	unsigned	  nrows;		/* the header included */
	char		(*cells)[TABLE_MAX_COLS][TABLE_CELL];
};

static void
table_add(struct table *t, const char *const *cells)
{
	unsigned i;

	t->cells = realloc(t->cells, (t->nrows + 1) * sizeof(*t->cells));
	if (t->cells == NULL) {
		perror("keepalive-l7ctl");
		exit(1);
	}
	for (i = 0; i < t->ncols; i++)
		snprintf(t->cells[t->nrows][i], TABLE_CELL, "%s", cells[i]);
	t->nrows++;
}

static void
table_print(FILE *f, struct table *t)
{
	size_t w[TABLE_MAX_COLS] = { 0 };
	unsigned r, c;

	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++)
			if (strlen(t->cells[r][c]) > w[c])
				w[c] = strlen(t->cells[r][c]);
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			if (c + 1 == t->ncols)
				fprintf(f, "%s\n", t->cells[r][c]);
			else
				fprintf(f, "%-*s  ", (int)w[c], t->cells[r][c]);
		}
	}
	free(t->cells);
	t->cells = NULL;
	t->nrows = 0;
}

/* Member key of o as text ("-" when absent or null). */
static const char *
str(json_object *o, const char *key, char *buf, size_t len)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return "-";
	if (json_object_is_type(v, json_type_string))
		return json_object_get_string(v)[0] != '\0' ? json_object_get_string(v) : "-";
	if (json_object_is_type(v, json_type_boolean))
		return json_object_get_boolean(v) ? "yes" : "no";
	snprintf(buf, len, "%" PRId64, json_object_get_int64(v));
	return buf;
}

static json_object *
member(json_object *o, const char *key)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

/* Every element of result[key] as a row of the named members. */
static void
print_rows(FILE *f, json_object *result, const char *key, const char *const *heads,
    const char *const *members, unsigned ncols)
{
	struct table t = { .ncols = ncols };
	json_object *a = member(result, key);
	char buf[TABLE_MAX_COLS][TABLE_CELL];
	const char *row[TABLE_MAX_COLS];
	size_t i, n = a != NULL ? json_object_array_length(a) : 0;
	unsigned c;

	table_add(&t, heads);
	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(a, i);

		for (c = 0; c < ncols; c++)
			row[c] = str(e, members[c], buf[c], sizeof(buf[c]));
		table_add(&t, row);
	}
	table_print(f, &t);
}

/* Requests by status class, summed. */
static void
add_request_totals(json_object *servers)
{
	size_t i, n = servers != NULL ? json_object_array_length(servers) : 0;

	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(servers, i);
		json_object *req = member(e, "requests");
		int64_t sum = 0;

		if (req == NULL || !json_object_is_type(req, json_type_object))
			continue;
		json_object_object_foreach(req, k, v) {
			(void)k;
			sum += json_object_get_int64(v);
		}
		json_object_object_add(e, "requests_total", json_object_new_int64(sum));
	}
}

static void
print_servers(FILE *f, json_object *result)
{
	static const char *const heads[] = {
		"VIRTUAL SERVER", "REAL SERVER", "ADMIN", "HEALTH", "WEIGHT", "SET WEIGHT",
		"ACTIVE", "CONNS", "REQUESTS", "ERRORS", "LAST ERROR",
	};
	static const char *const members[] = {
		"virtual_server", "real_server", "admin", "health", "weight", "operator_weight",
		"active_conns", "total_conns", "requests_total", "errors", "last_error",
	};

	add_request_totals(member(result, "servers"));
	print_rows(f, result, "servers", heads, members, 11);
}

static void
print_stats(FILE *f, json_object *result)
{
	static const char *const heads[] = {
		"VIRTUAL SERVER", "QUORUM", "LIVE WEIGHT", "ACTIVE", "CONNS", "REQUESTS",
		"BYTES IN", "BYTES OUT", "ERRORS", "QUEUED",
	};
	static const char *const members[] = {
		"virtual_server", "quorum", "live_weight", "active_conns", "total_conns",
		"requests", "bytes_in", "bytes_out", "errors", "queued",
	};

	print_rows(f, result, "virtual_servers", heads, members, 10);
}

static void
print_vrrp(FILE *f, json_object *result)
{
	static const char *const heads[] = {
		"INSTANCE", "STATE", "PRIORITY", "ADVERTS SENT", "ADVERTS RECEIVED",
		"BECAME MASTER",
	};
	static const char *const members[] = {
		"name", "state", "priority", "adverts_sent", "adverts_rcvd", "became_master",
	};
	json_object *a = member(result, "vrrp");
	size_t i, n = a != NULL ? json_object_array_length(a) : 0;

	/* Lift the counters the table shows to the instance's level. */
	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(a, i), *cnt = member(e, "counters");
		unsigned k;

		for (k = 3; k < 6 && cnt != NULL; k++)
			json_object_object_add(e, members[k],
			    json_object_get(member(cnt, members[k])));
	}
	print_rows(f, result, "vrrp", heads, members, 6);
}

static void
print_status(FILE *f, json_object *result)
{
	static const char *const heads[] = { "CHILD", "PID", "READY", "RESTARTS" };
	static const char *const members[] = { "name", "pid", "ready", "restarts" };
	json_object *last = member(result, "last_reload"), *errs = member(last, "errors");
	char b[64];
	size_t i, n = errs != NULL ? json_object_array_length(errs) : 0;

	fprintf(f, "pid:            %s\n", str(result, "pid", b, sizeof(b)));
	fprintf(f, "version:        %s\n", str(result, "version", b, sizeof(b)));
	fprintf(f, "uptime:         %s s\n", str(result, "uptime_s", b, sizeof(b)));
	fprintf(f, "config file:    %s\n", str(result, "config_file", b, sizeof(b)));
	fprintf(f, "config sha256:  %s\n", str(result, "config_sha256", b, sizeof(b)));
	fprintf(f, "reloads:        %s\n", str(result, "reloads", b, sizeof(b)));
	fprintf(f, "runtime edits:  %s\n", str(result, "runtime_edits", b, sizeof(b)));
	fprintf(f, "last reload ok: %s\n", str(last, "ok", b, sizeof(b)));
	for (i = 0; i < n; i++)
		fprintf(f, "  %s\n", json_object_get_string(json_object_array_get_idx(errs, i)));
	fprintf(f, "\n");
	print_rows(f, result, "children", heads, members, 4);
}

/* enable/disable/drain/set weight answer with the server's record. */
static void
print_one_server(FILE *f, json_object *result)
{
	json_object *wrap = json_object_new_object(), *a = json_object_new_array();

	json_object_array_add(a, json_object_get(result));
	json_object_object_add(wrap, "servers", a);
	print_servers(f, wrap);
	json_object_put(wrap);
}

/* add server: the new server's row, its pool and checks; remove server:
 * what went.  Both: the note that the file does not have the change. */
static void
print_edit(FILE *f, json_object *result)
{
	json_object *server = member(result, "server");
	char b[64], c[64];

	if (server != NULL) {
		print_one_server(f, server);
		fprintf(f, "pool: %s, checks: %s\n", str(result, "pool", b, sizeof(b)),
		    str(result, "checks", c, sizeof(c)));
	} else {
		fprintf(f, "removed %s from %s\n", str(result, "real_server", b, sizeof(b)),
		    str(result, "virtual_server", c, sizeof(c)));
	}
	fprintf(f, "note: %s\n", str(result, "note", b, sizeof(b)));
}

void
ctl_print_result(FILE *f, enum ctl_cmd cmd, json_object *result)
{
	char b[64];

	switch (cmd) {
	case CTL_STATUS:
		print_status(f, result);
		break;
	case CTL_SHOW_VRRP:
		print_vrrp(f, result);
		break;
	case CTL_SHOW_SERVERS:
		print_servers(f, result);
		break;
	case CTL_SHOW_STATS:
		print_stats(f, result);
		break;
	case CTL_RELOAD:
		fprintf(f, "reloaded (reload %s)\n", str(result, "reloads", b, sizeof(b)));
		break;
	case CTL_ADD_SERVER:
	case CTL_REMOVE_SERVER:
		print_edit(f, result);
		break;
	default:
		print_one_server(f, result);
		break;
	}
}

void
ctl_print_error(FILE *f, json_object *reply)
{
	json_object *errs = member(reply, "errors");
	char b[64];
	size_t i, n = errs != NULL ? json_object_array_length(errs) : 0;

	fprintf(f, "keepalive-l7ctl: %s\n", str(reply, "error", b, sizeof(b)));
	for (i = 0; i < n; i++)
		fprintf(f, "%s\n", json_object_get_string(json_object_array_get_idx(errs, i)));
}
