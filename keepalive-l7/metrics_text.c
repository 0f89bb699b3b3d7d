/* Prometheus text exposition; see metrics_text.h. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>

#include "keepalive-l7/metrics_text.h"
#include "keepalive-l7/supervisor.h"

/* Records of one kind in the shared state, and how to label one. */
struct records {
	const char	*base;
	size_t		 size;
	uint32_t	 n;
	void		(*labels)(FILE *out, const void *rec);
};

/* A family with one 64-bit atomic field per record. */
struct field {
	const char	*name;
	const char	*type;		/* "counter" or "gauge" */
	const char	*help;
	size_t		 off;
};

static void
family_head(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* s as a label value, without the quotes: \ " and newline escaped. */
static void
label_value(FILE *out, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			fputs("\\\\", out);
		else if (*s == '"')
			fputs("\\\"", out);
		else if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

static void
label_addr(FILE *out, const char *name, const struct kl_addr *a, uint16_t port)
{
	char buf[ADDR_STRLEN];

	fprintf(out, "%s=\"", name);
	label_value(out, addr_port_ntop(a, port, buf, sizeof(buf)));
	fputc('"', out);
}

static void
labels_vrrp(FILE *out, const void *rec)
{
	const struct shm_vrrp *r = rec;

	fputs("instance=\"", out);
	label_value(out, r->name);
	fputc('"', out);
}

static void
labels_vs(FILE *out, const void *rec)
{
	const struct shm_vs *v = rec;

	label_addr(out, "vs", &v->addr, v->port);
}

static void
labels_rs(FILE *out, const void *rec)
{
	const struct shm_rs *r = rec;

	label_addr(out, "vs", &r->vs_addr, r->vs_port);
	fputc(',', out);
	label_addr(out, "rs", &r->addr, r->port);
}

static const void *
record(const struct records *rs, uint32_t i)
{
	return rs->base + (size_t)i * rs->size;
}

/* "name{labels" for record i; the caller adds more labels, then "} value". */
static void
sample_start(FILE *out, const char *name, const struct records *rs, uint32_t i)
{
	fprintf(out, "%s{", name);
	rs->labels(out, record(rs, i));
}

static void
write_fields(FILE *out, const struct field *f, size_t nf, const struct records *rs)
{
	size_t k;
	uint32_t i;

	for (k = 0; k < nf; k++) {
		family_head(out, f[k].name, f[k].type, f[k].help);
		for (i = 0; i < rs->n; i++) {
			const _Atomic uint64_t *v = (const _Atomic uint64_t *)
			    ((const char *)record(rs, i) + f[k].off);

			sample_start(out, f[k].name, rs, i);
			fprintf(out, "} %llu\n", (unsigned long long)atomic_load(v));
		}
	}
}

#define NFIELDS(a)	(sizeof(a) / sizeof((a)[0]))

/* VRRP ------------------------------------------------------------------- */

static void
write_vrrp_state(FILE *out, const struct records *rs)
{
	uint32_t i, st;

	family_head(out, "kl7_vrrp_state", "gauge",
	    "1 for the state the VRRP instance is in, 0 for the others.");
	for (i = 0; i < rs->n; i++) {
		uint32_t now = atomic_load(&((const struct shm_vrrp *)record(rs, i))->state);

		for (st = SHM_VRRP_INIT; st <= SHM_VRRP_FAULT; st++) {
			sample_start(out, "kl7_vrrp_state", rs, i);
			fprintf(out, ",state=\"%s\"} %d\n", shm_vrrp_state_name(st), st == now);
		}
	}
	family_head(out, "kl7_vrrp_priority", "gauge",
	    "Effective priority of the VRRP instance.");
	for (i = 0; i < rs->n; i++) {
		sample_start(out, "kl7_vrrp_priority", rs, i);
		fprintf(out, "} %u\n",
		    atomic_load(&((const struct shm_vrrp *)record(rs, i))->priority));
	}
}

static void
write_vrrp(FILE *out, const struct shm *s)
{
#define F(n, f, h) { "kl7_vrrp_" n "_total", "counter", h, offsetof(struct shm_vrrp, f) }
	static const struct field fields[] = {
		F("adverts_sent", adverts_sent, "VRRP adverts sent."),
		F("adverts_received", adverts_rcvd, "VRRP adverts received."),
		F("became_master", became_master, "Transitions to MASTER."),
		F("released_master", released_master, "Transitions from MASTER."),
		F("priority_zero_sent", prio0_sent, "Adverts of priority 0 sent."),
		F("priority_zero_received", prio0_rcvd, "Adverts of priority 0 received."),
		F("checksum_errors", checksum_errors, "Adverts dropped: bad checksum."),
		F("ttl_errors", ttl_errors, "Adverts dropped: TTL or hop limit not 255."),
		F("auth_errors", auth_errors, "Adverts dropped: authentication mismatch."),
		F("length_errors", length_errors, "Adverts dropped: bad length."),
		F("version_errors", version_errors, "Adverts dropped: other VRRP version."),
		F("type_errors", type_errors, "Adverts dropped: unknown type."),
		F("interval_errors", interval_errors, "Adverts dropped: advert interval differs."),
		F("vrid_errors", vrid_errors, "Adverts for a VRID no instance has on the link."),
		F("kernel_drops", kernel_drops, "Adverts lost to a full socket buffer."),
	};
#undef F
	struct records rs = { (const char *)s->vrrp, sizeof(*s->vrrp), s->hdr->n_vrrp,
	    labels_vrrp };

	write_vrrp_state(out, &rs);
	write_fields(out, fields, NFIELDS(fields), &rs);
}

/* Virtual servers -------------------------------------------------------- */

static void
write_vs(FILE *out, const struct shm *s)
{
#define F(n, t, f, h) { "kl7_virtual_server_" n, t, h, offsetof(struct shm_vs, f) }
	static const struct field fields[] = {
		F("live_weight", "gauge", live_weight, "Sum of the weights of the live real servers."),
		F("active_connections", "gauge", active_conns, "Client connections open."),
		F("connections_total", "counter", total_conns, "Client connections accepted."),
		F("requests_total", "counter", requests, "Requests forwarded."),
		F("request_bytes_total", "counter", bytes_in, "Body bytes forwarded from clients (heads not counted)."),
		F("response_bytes_total", "counter", bytes_out, "Body bytes forwarded to clients (heads not counted)."),
		F("errors_total", "counter", errors, "Requests that failed."),
		F("queued_requests", "gauge", queued, "Requests waiting for a server at its maxconn."),
		F("queue_timeouts_total", "counter", queue_timeouts, "Requests answered 503 after timeout_queue."),
		F("auth_rejected_total", "counter", auth_rejected,
		    "Requests answered 401 by an http_route's auth_users."),
		F("sticky_entries", "gauge", sticky_entries, "Persistence entries alive."),
		F("sticky_synced_total", "counter", sticky_synced,
		    "Persistence entries taken from the peer node (sticky_sync)."),
	};
#undef F
	struct records rs = { (const char *)s->vs, sizeof(*s->vs), s->hdr->n_vs, labels_vs };
	uint32_t i;

	family_head(out, "kl7_virtual_server_quorum_up", "gauge",
	    "1 while the live weight meets the quorum, 0 while the sorry server answers.");
	for (i = 0; i < rs.n; i++) {
		sample_start(out, "kl7_virtual_server_quorum_up", &rs, i);
		fprintf(out, "} %d\n", atomic_load(&s->vs[i].quorum) != SHM_QUORUM_DOWN);
	}
	write_fields(out, fields, NFIELDS(fields), &rs);
}

/* Real servers ----------------------------------------------------------- */

static void
write_rs_health(FILE *out, const struct records *rs, const struct shm *s)
{
	uint32_t i;

	family_head(out, "kl7_real_server_up", "gauge",
	    "1 while the health checks pass, 0 while down or not checked yet.");
	for (i = 0; i < rs->n; i++) {
		sample_start(out, "kl7_real_server_up", rs, i);
		fprintf(out, "} %d\n", atomic_load(&s->rs[i].health) == SHM_HEALTH_UP);
	}
	family_head(out, "kl7_real_server_weight", "gauge",
	    "Effective weight of the real server; 0 while down.");
	for (i = 0; i < rs->n; i++) {
		sample_start(out, "kl7_real_server_weight", rs, i);
		fprintf(out, "} %u\n", atomic_load(&s->rs[i].weight));
	}
}

static void
write_rs_requests(FILE *out, const struct records *rs, const struct shm *s)
{
	uint32_t i;
	int c;

	family_head(out, "kl7_real_server_requests_total", "counter",
	    "Responses forwarded from the real server, by status class.");
	for (i = 0; i < rs->n; i++)
		for (c = 0; c < SHM_STATUS_CLASSES; c++) {
			sample_start(out, "kl7_real_server_requests_total", rs, i);
			fprintf(out, ",class=\"%s\"} %llu\n", shm_status_class_name(c),
			    (unsigned long long)atomic_load(&s->rs[i].requests[c]));
		}
}

/* Buckets are cumulative here, and _count is the +Inf bucket, from the
 * same reads: a scrape during a response stays consistent. */
static void
write_rs_histogram(FILE *out, const struct records *rs, const struct shm *s)
{
	static const char name[] = "kl7_real_server_response_time_seconds";
	uint32_t i;
	int b;

	family_head(out, name, "histogram",
	    "Time from forwarding a request to the end of its response.");
	for (i = 0; i < rs->n; i++) {
		const struct shm_rs *r = &s->rs[i];
		uint64_t cum = 0;

		for (b = 0; b <= SHM_RT_BUCKETS; b++) {
			cum += atomic_load(&r->response_time_hist[b]);
			fprintf(out, "%s_bucket{", name);
			rs->labels(out, r);
			if (b < SHM_RT_BUCKETS)
				fprintf(out, ",le=\"%g\"} %llu\n",
				    (double)shm_rt_bounds_us[b] / 1e6, (unsigned long long)cum);
			else
				fprintf(out, ",le=\"+Inf\"} %llu\n", (unsigned long long)cum);
		}
		fprintf(out, "%s_sum{", name);
		rs->labels(out, r);
		fprintf(out, "} %.6f\n", (double)atomic_load(&r->response_time_us) / 1e6);
		fprintf(out, "%s_count{", name);
		rs->labels(out, r);
		fprintf(out, "} %llu\n", (unsigned long long)cum);
	}
}

static void
write_rs(FILE *out, const struct shm *s)
{
#define F(n, t, f, h) { "kl7_real_server_" n, t, h, offsetof(struct shm_rs, f) }
	static const struct field fields[] = {
		F("active_connections", "gauge", active_conns, "Connections open to the server."),
		F("connections_total", "counter", total_conns, "Connections made to the server."),
		F("request_bytes_total", "counter", bytes_in, "Body bytes forwarded to the server (heads not counted)."),
		F("response_bytes_total", "counter", bytes_out, "Body bytes forwarded from the server (heads not counted)."),
		F("errors_total", "counter", errors, "Requests that failed on this server."),
		F("retries_total", "counter", retries,
		    "Requests sent again after a failure here: a failed connect, or an idle connection the server had closed."),
		F("checks_total", "counter", checks_run, "Health check rounds ended."),
		F("check_failures_total", "counter", checks_failed, "Health check rounds failed."),
	};
#undef F
	struct records rs = { (const char *)s->rs, sizeof(*s->rs), s->hdr->n_rs, labels_rs };

	write_rs_health(out, &rs, s);
	write_fields(out, fields, NFIELDS(fields), &rs);
	write_rs_requests(out, &rs, s);
	write_rs_histogram(out, &rs, s);
}

/* The parent ------------------------------------------------------------- */

static void
write_parent(FILE *out, const struct supervisor *sup)
{
	int k;

	family_head(out, "kl7_build_info", "gauge", "Version of the running daemon.");
	fputs("kl7_build_info{version=\"", out);
	label_value(out, PACKAGE_VERSION);
	fputs("\"} 1\n", out);
	family_head(out, "kl7_uptime_seconds", "gauge", "Time since the daemon started.");
	fprintf(out, "kl7_uptime_seconds %.3f\n",
	    (double)(ev_now(sup->loop) - sup->started_ms) / 1000);
	family_head(out, "kl7_reloads_total", "counter",
	    "Reloads asked for (SIGHUP), failed ones included.");
	fprintf(out, "kl7_reloads_total %u\n", sup->reloads);
	family_head(out, "kl7_last_reload_success", "gauge",
	    "1 if the last reload (or the start) loaded the configuration.");
	fprintf(out, "kl7_last_reload_success %d\n", sup->last_reload_ok);
	family_head(out, "kl7_child_up", "gauge", "1 while the child process runs.");
	for (k = 0; k < CHILD_NKINDS; k++)
		if (sup->opts->children & (1u << k))
			fprintf(out, "kl7_child_up{child=\"%s\"} %d\n", sup->children[k].name,
			    sup->children[k].pid != 0);
	family_head(out, "kl7_child_restarts_total", "counter",
	    "Restarts of the child after it died.");
	for (k = 0; k < CHILD_NKINDS; k++)
		if (sup->opts->children & (1u << k))
			fprintf(out, "kl7_child_restarts_total{child=\"%s\"} %u\n",
			    sup->children[k].name, sup->children[k].restarts);
}

int
metrics_text_write(const struct supervisor *sup, FILE *out)
{
	write_parent(out, sup);
	write_vrrp(out, &sup->shm);
	write_vs(out, &sup->shm);
	write_rs(out, &sup->shm);
	return ferror(out) ? -1 : 0;
}
