/* Shared state mapping; see shm.h. */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "lib/shm.h"

const uint64_t shm_rt_bounds_us[SHM_RT_BUCKETS] = {
	1000, 5000, 10000, 25000, 50000, 100000, 250000, 500000,
	1000000, 2500000, 5000000, 10000000,
};

static size_t
align64(size_t n)
{
	return (n + 63) & ~(size_t)63;
}

static void
shm_fill_keys(struct shm *s, const struct conf *c)
{
	const struct conf_vrrp_instance *vi;
	const struct conf_virtual_server *vs;
	const struct conf_real_server *rs;

	for (vi = c->vrrp_instances; vi != NULL; vi = vi->next) {
		struct shm_vrrp *r = &s->vrrp[vi->index];

		snprintf(r->name, sizeof(r->name), "%s", vi->name);
		atomic_store(&r->state, SHM_VRRP_INIT);
		atomic_store(&r->priority, vi->priority);
	}
	for (vs = c->virtual_servers; vs != NULL; vs = vs->next) {
		s->vs[vs->index].addr = vs->addr;
		s->vs[vs->index].port = vs->port;
		for (rs = vs->servers; rs != NULL; rs = rs->next) {
			struct shm_rs *r = &s->rs[rs->index];

			r->vs_addr = vs->addr;
			r->vs_port = vs->port;
			r->addr = rs->addr;
			r->port = rs->port;
			atomic_store(&r->weight, rs->weight);
			atomic_store(&r->op_weight, -1);
		}
	}
}

int
shm_create(struct shm *s, const struct conf *c)
{
	size_t off_vrrp = align64(sizeof(struct shm_header));
	size_t off_vs = off_vrrp + align64(c->n_vrrp_instances * sizeof(struct shm_vrrp));
	size_t off_rs = off_vs + align64(c->n_virtual_servers * sizeof(struct shm_vs));
	size_t size = off_rs + align64(c->n_real_servers * sizeof(struct shm_rs));
	unsigned char *base;
	int saved;

	memset(s, 0, sizeof(*s));
	s->fd = s->health_efd = s->passive_efd = -1;
	if ((s->fd = memfd_create("keepalive-l7-state", MFD_CLOEXEC)) == -1)
		return -1;
	if (ftruncate(s->fd, (off_t)size) == -1)
		goto fail;
	base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0);
	if (base == MAP_FAILED)
		goto fail;
	if ((s->health_efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1 ||
	    (s->passive_efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1) {
		munmap(base, size);
		goto fail;
	}
	s->size = size;
	s->hdr = (struct shm_header *)base;
	s->vrrp = (struct shm_vrrp *)(base + off_vrrp);
	s->vs = (struct shm_vs *)(base + off_vs);
	s->rs = (struct shm_rs *)(base + off_rs);
	*s->hdr = (struct shm_header){
		.magic = SHM_MAGIC, .version = SHM_VERSION,
		.n_vrrp = c->n_vrrp_instances, .n_vs = c->n_virtual_servers,
		.n_rs = c->n_real_servers, .off_vrrp = off_vrrp, .off_vs = off_vs,
		.off_rs = off_rs, .size = size,
	};
	shm_fill_keys(s, c);
	return 0;
fail:
	saved = errno;
	close(s->fd);
	if (s->health_efd != -1)
		close(s->health_efd);
	s->fd = s->health_efd = -1;
	errno = saved;
	return -1;
}

void
shm_destroy(struct shm *s)
{
	if (s->hdr != NULL)
		munmap(s->hdr, s->size);
	if (s->fd != -1)
		close(s->fd);
	if (s->health_efd != -1)
		close(s->health_efd);
	if (s->passive_efd != -1)
		close(s->passive_efd);
	memset(s, 0, sizeof(*s));
	s->fd = s->health_efd = s->passive_efd = -1;
}

/* Copy a record's state, past its key, leaving dst's key as it is. */
static void
copy_state(void *dst, const void *src, size_t key_len, size_t size)
{
	memcpy((char *)dst + key_len, (const char *)src + key_len, size - key_len);
}

void
shm_carry_vrrp(struct shm *dst, const struct shm *src)
{
	uint32_t i, j;

	for (i = 0; i < dst->hdr->n_vrrp; i++)
		for (j = 0; j < src->hdr->n_vrrp; j++)
			if (strcmp(dst->vrrp[i].name, src->vrrp[j].name) == 0) {
				copy_state(&dst->vrrp[i], &src->vrrp[j],
				    offsetof(struct shm_vrrp, state), sizeof(struct shm_vrrp));
				break;
			}
}

static int
rs_same_key(const struct shm_rs *a, const struct shm_rs *b)
{
	return a->vs_port == b->vs_port && a->port == b->port &&
	    addr_equal(&a->vs_addr, &b->vs_addr) && addr_equal(&a->addr, &b->addr);
}

static void
carry_rs(struct shm_rs *dst, const struct shm_rs *src, unsigned which)
{
	const size_t parent_start = offsetof(struct shm_rs, admin);
	const size_t check_start = offsetof(struct shm_rs, health);
	const size_t l7_start = offsetof(struct shm_rs, active_conns);

	if (which & SHM_CARRY_PARENT)
		memcpy((char *)dst + parent_start, (const char *)src + parent_start,
		    check_start - parent_start);
	if (which & SHM_CARRY_CHECK) {
		uint32_t weight = atomic_load(&dst->weight);

		memcpy((char *)dst + check_start, (const char *)src + check_start,
		    l7_start - check_start);
		atomic_store(&dst->weight, weight);
	}
	if (which & SHM_CARRY_L7)
		copy_state(dst, src, l7_start, sizeof(*dst));
}

static int
vs_same_key(const struct shm_vs *a, const struct shm_vs *b)
{
	return a->port == b->port && addr_equal(&a->addr, &b->addr);
}

static void
carry_vs(struct shm_vs *dst, const struct shm_vs *src, unsigned which)
{
	const size_t check_start = offsetof(struct shm_vs, quorum);
	const size_t l7_start = offsetof(struct shm_vs, active_conns);

	if (which & SHM_CARRY_CHECK)
		memcpy((char *)dst + check_start, (const char *)src + check_start,
		    l7_start - check_start);
	if (which & SHM_CARRY_L7)
		copy_state(dst, src, l7_start, sizeof(*dst));
}

void
shm_carry_servers(struct shm *dst, const struct shm *src, unsigned which)
{
	uint32_t i, j;

	for (i = 0; i < dst->hdr->n_rs; i++)
		for (j = 0; j < src->hdr->n_rs; j++)
			if (rs_same_key(&dst->rs[i], &src->rs[j])) {
				carry_rs(&dst->rs[i], &src->rs[j], which);
				break;
			}
	for (i = 0; i < dst->hdr->n_vs; i++)
		for (j = 0; j < src->hdr->n_vs; j++)
			if (vs_same_key(&dst->vs[i], &src->vs[j])) {
				carry_vs(&dst->vs[i], &src->vs[j], which);
				break;
			}
}

void
shm_rs_response(struct shm_rs *r, uint64_t us)
{
	unsigned i = 0;

	while (i < SHM_RT_BUCKETS && us > shm_rt_bounds_us[i])
		i++;
	atomic_fetch_add(&r->response_time_us, us);
	atomic_fetch_add(&r->response_time_hist[i], 1);
}

static void
event_signal(int efd)
{
	uint64_t one = 1;

	/* EAGAIN means the counter is already non-zero: the reader will wake. */
	if (write(efd, &one, sizeof(one)) == -1 && errno != EAGAIN)
		return;
}

void
shm_health_changed(struct shm *s)
{
	atomic_fetch_add(&s->hdr->health_gen, 1);
	event_signal(s->health_efd);
}

void
shm_passive_report(struct shm *s)
{
	event_signal(s->passive_efd);
}

void
shm_event_clear(int efd)
{
	uint64_t n;

	if (read(efd, &n, sizeof(n)) == -1 && errno != EAGAIN)
		return;
}

void
shm_seq_write_begin(struct shm_seqlock *l)
{
	atomic_fetch_add_explicit(&l->seq, 1, memory_order_acq_rel);
}

void
shm_seq_write_end(struct shm_seqlock *l)
{
	atomic_fetch_add_explicit(&l->seq, 1, memory_order_release);
}

uint32_t
shm_seq_read_begin(const struct shm_seqlock *l)
{
	uint32_t s;

	while ((s = atomic_load_explicit(&l->seq, memory_order_acquire)) & 1)
		;
	return s;
}

int
shm_seq_read_retry(const struct shm_seqlock *l, uint32_t seq)
{
	atomic_thread_fence(memory_order_acquire);
	return atomic_load_explicit(&l->seq, memory_order_relaxed) != seq;
}

/* Changes and snapshots --------------------------------------------------- */

#define SNAPSHOT_WAIT_MS	100	/* then a snapshot settles for the last copy */

static struct shm_seqlock *
writer_lock(struct shm_header *h, enum shm_writer w)
{
	return w == SHM_WRITER_CHECK ? &h->check_lock : &h->vrrp_lock;
}

void
shm_change_begin(struct shm *s, enum shm_writer w)
{
	if (s->changing[w]++ == 0)
		shm_seq_write_begin(writer_lock(s->hdr, w));
}

void
shm_change_end(struct shm *s, enum shm_writer w)
{
	if (--s->changing[w] == 0)
		shm_seq_write_end(writer_lock(s->hdr, w));
}

static void
seq_make_even(struct shm_seqlock *l)
{
	uint32_t seq = atomic_load(&l->seq);

	if (seq & 1)
		atomic_store(&l->seq, seq + 1);
}

/* The seqlocks of writer w, in the header and in every record. */
void
shm_writer_gone(struct shm *s, enum shm_writer w)
{
	uint32_t i;

	seq_make_even(writer_lock(s->hdr, w));
	if (w == SHM_WRITER_VRRP)
		for (i = 0; i < s->hdr->n_vrrp; i++)
			seq_make_even(&s->vrrp[i].lock);
	else
		for (i = 0; i < s->hdr->n_rs; i++)
			seq_make_even(&s->rs[i].error_lock);
}

static int64_t
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool
settled(const struct shm_header *h, uint32_t check, uint32_t vrrp)
{
	return !(check & 1) && !(vrrp & 1) && !shm_seq_read_retry(&h->check_lock, check) &&
	    !shm_seq_read_retry(&h->vrrp_lock, vrrp);
}

int
shm_snapshot(const struct shm *s, struct shm *copy)
{
	unsigned char *base = malloc(s->size);
	const struct shm_header *h = s->hdr;
	int64_t deadline = monotonic_ms() + SNAPSHOT_WAIT_MS;
	int rc = 1;

	if (base == NULL)
		return -1;
	/* Bounded by time, not tries: a writer the scheduler preempts inside
	 * a change holds its lock odd for a time slice or more. */
	do {
		uint32_t check = atomic_load_explicit(&h->check_lock.seq, memory_order_acquire);
		uint32_t vrrp = atomic_load_explicit(&h->vrrp_lock.seq, memory_order_acquire);

		if ((check | vrrp) & 1) {
			sched_yield();
			continue;
		}
		memcpy(base, h, s->size);
		if (settled(h, check, vrrp)) {
			rc = 0;
			break;
		}
	} while (monotonic_ms() < deadline);
	if (rc != 0)
		memcpy(base, h, s->size);	/* best effort: a writer that never pauses */
	*copy = (struct shm){
		.fd = -1, .health_efd = -1, .passive_efd = -1, .size = s->size,
		.hdr = (struct shm_header *)base,
		.vrrp = (struct shm_vrrp *)(base + h->off_vrrp),
		.vs = (struct shm_vs *)(base + h->off_vs),
		.rs = (struct shm_rs *)(base + h->off_rs),
	};
	/* Nobody writes the copy, as if its writers were gone: its readers
	 * must never wait on a lock that was odd when it was taken. */
	shm_writer_gone(copy, SHM_WRITER_CHECK);
	shm_writer_gone(copy, SHM_WRITER_VRRP);
	return rc;
}

void
shm_snapshot_free(struct shm *copy)
{
	free(copy->hdr);
	copy->hdr = NULL;
}

void
shm_rs_last_error(const struct shm_rs *r, char *buf, size_t len)
{
	char text[sizeof(r->last_error)];
	uint32_t seq;

	do {
		seq = shm_seq_read_begin(&r->error_lock);
		memcpy(text, r->last_error, sizeof(text));
	} while (shm_seq_read_retry(&r->error_lock, seq));
	text[sizeof(text) - 1] = '\0';
	snprintf(buf, len, "%s", text);
}

void
shm_vrrp_master_addr(const struct shm_vrrp *v, struct kl_addr *out)
{
	uint32_t seq;

	do {
		seq = shm_seq_read_begin(&v->lock);
		*out = v->master_addr;
	} while (shm_seq_read_retry(&v->lock, seq));
}

const char *
shm_vrrp_state_name(uint32_t state)
{
	static const char *const names[] = { "INIT", "BACKUP", "MASTER", "FAULT" };

	return state < 4 ? names[state] : "?";
}

const char *
shm_health_name(uint32_t health)
{
	static const char *const names[] = { "unknown", "up", "down" };

	return health < 3 ? names[health] : "?";
}

const char *
shm_quorum_name(uint32_t quorum)
{
	static const char *const names[] = { "unknown", "up", "down" };

	return quorum < 3 ? names[quorum] : "?";
}

const char *
shm_passive_error_name(uint32_t error)
{
	static const char *const names[] = {
		[SHM_PASSIVE_NONE] = "no error",
		[SHM_PASSIVE_REFUSED] = "connection refused",
		[SHM_PASSIVE_RESET] = "connection reset",
		[SHM_PASSIVE_TIMEOUT] = "timeout",
		[SHM_PASSIVE_BAD_RESPONSE] = "invalid response",
	};

	return error < sizeof(names) / sizeof(names[0]) ? names[error] : "?";
}

const char *
shm_status_class_name(int cls)
{
	static const char *const names[SHM_STATUS_CLASSES] = {
		"1xx", "2xx", "3xx", "4xx", "5xx", "other",
	};

	return cls >= 0 && cls < SHM_STATUS_CLASSES ? names[cls] : "?";
}
