/* Shared state: one memfd mapping made by the parent before fork, sized
 * from the model.  Fixed-size, versioned records: one per VRRP instance,
 * virtual server and real server, in model order (conf `index`).
 *
 * Each field has exactly one writer process, named beside it; readers use
 * atomics, and multi-byte text goes under a seqlock.  The check and vrrp
 * children also write each change of theirs (a server's health with its
 * virtual server's live weight and quorum; an instance's state, priority
 * and master) inside a seqlock of theirs in the header, so that a
 * snapshot (shm_snapshot()) never holds half of one.  The l7 child's
 * counters go without: each is exact, and a snapshot may fall between the
 * counters of one request (its request counted, its bytes not yet).
 * Children are
 * disposable: whatever must survive a child's restart or a reload lives
 * here, and a new child adopts it (records are matched by key, see
 * shm_carry_*()).
 */
#ifndef KL7_SHM_H
#define KL7_SHM_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/conf.h"

#define SHM_MAGIC	0x4b4c3753u	/* "KL7S" */
#define SHM_VERSION	5u

enum shm_vrrp_state {
	SHM_VRRP_INIT, SHM_VRRP_BACKUP, SHM_VRRP_MASTER, SHM_VRRP_FAULT,
};

enum shm_health { SHM_HEALTH_UNKNOWN, SHM_HEALTH_UP, SHM_HEALTH_DOWN };

enum shm_admin { SHM_ADMIN_ENABLED, SHM_ADMIN_DISABLED, SHM_ADMIN_DRAIN };

struct shm_seqlock {
	_Atomic uint32_t	seq;	/* odd while a write is in progress */
};

struct shm_vrrp {
	char			 name[64];	/* key; parent */
	/* vrrp child: */
	_Atomic uint32_t	 state;		/* enum shm_vrrp_state */
	_Atomic uint32_t	 priority;	/* effective priority */
	struct shm_seqlock	 lock;		/* guards master_addr */
	struct kl_addr		 master_addr;
	_Atomic uint64_t	 adverts_sent;
	_Atomic uint64_t	 adverts_rcvd;
	_Atomic uint64_t	 became_master;
	_Atomic uint64_t	 released_master;
	_Atomic uint64_t	 checksum_errors;
	_Atomic uint64_t	 ttl_errors;
	_Atomic uint64_t	 auth_errors;
	_Atomic uint64_t	 length_errors;
	_Atomic uint64_t	 prio0_sent;
	_Atomic uint64_t	 prio0_rcvd;
	_Atomic uint64_t	 version_errors;
	_Atomic uint64_t	 type_errors;
	_Atomic uint64_t	 interval_errors;	/* v2: AdvInt differs (RFC 3768 7.1) */
	_Atomic uint64_t	 vrid_errors;	/* a VRID no instance has on this link */
	_Atomic uint64_t	 kernel_drops;	/* lost to a full socket buffer */
};

enum shm_quorum { SHM_QUORUM_UNKNOWN, SHM_QUORUM_UP, SHM_QUORUM_DOWN };

struct shm_vs {
	struct kl_addr		 addr;		/* key; parent */
	uint16_t		 port;
	/* check child: */
	_Atomic uint32_t	 quorum;	/* enum shm_quorum; DOWN: use the sorry server */
	_Atomic uint64_t	 live_weight;	/* sum of the effective weights of live servers */
	/* l7 child: */
	_Atomic uint64_t	 active_conns;
	_Atomic uint64_t	 total_conns;
	_Atomic uint64_t	 requests;
	_Atomic uint64_t	 bytes_in;
	_Atomic uint64_t	 bytes_out;
	_Atomic uint64_t	 errors;
	_Atomic uint64_t	 queued;	/* requests waiting for a server now */
	_Atomic uint64_t	 queue_timeouts;	/* ... that got 503 after timeout_queue */
	_Atomic uint64_t	 auth_rejected;	/* 401s of http_route auth_users */
	/* l7 child, with sticky_sync (each second): */
	_Atomic uint64_t	 sticky_entries;	/* persistence entries alive */
	_Atomic uint64_t	 sticky_synced;		/* ... taken from the peer node */
};

#define SHM_STATUS_CLASSES	6	/* 1xx..5xx, and "other" */

/* Upper bounds of the response-time histogram, 1 ms to 10 s. */
#define SHM_RT_BUCKETS		12
extern const uint64_t shm_rt_bounds_us[SHM_RT_BUCKETS];

enum shm_passive_error {
	SHM_PASSIVE_NONE, SHM_PASSIVE_REFUSED, SHM_PASSIVE_RESET, SHM_PASSIVE_TIMEOUT,
	SHM_PASSIVE_BAD_RESPONSE,
};

struct shm_rs {
	struct kl_addr		 vs_addr;	/* key (with the next three); parent */
	uint16_t		 vs_port;
	uint16_t		 port;
	struct kl_addr		 addr;
	/* parent (control socket, keepalive-l7ctl(8)); the l7 child reads
	 * admin at every pick, the check child folds op_weight into weight
	 * when the parent sends PROC_MSG_OPERATOR: */
	_Atomic uint32_t	 admin;		/* enum shm_admin */
	_Atomic int32_t		 op_weight;	/* set weight; -1: none, the file's */
	/* check child (health UNKNOWN: no check child has adopted the record
	 * yet; a server that is DOWN with inhibit_on_failure keeps its
	 * connections, the others lose them): */
	_Atomic uint32_t	 health;	/* enum shm_health */
	_Atomic uint32_t	 weight;	/* effective weight; 0 while down */
	_Atomic int64_t		 last_check_ms;	/* CLOCK_MONOTONIC */
	_Atomic uint32_t	 consecutive_ok;
	_Atomic uint32_t	 consecutive_fail;
	struct shm_seqlock	 error_lock;	/* guards last_error */
	char			 last_error[128];
	_Atomic uint64_t	 checks_run;	/* check rounds ended (retries inside one) */
	_Atomic uint64_t	 checks_failed;	/* ... of which failed */
	/* CLOCK_MONOTONIC ms the server last came back up from DOWN, having
	 * been up before (real_server slowstart ramps from it); 0: never
	 * since the daemon started. */
	_Atomic int64_t		 up_since_ms;
	/* l7 child: */
	_Atomic uint64_t	 active_conns;
	_Atomic uint64_t	 total_conns;
	_Atomic uint64_t	 requests[SHM_STATUS_CLASSES];
	_Atomic uint64_t	 bytes_in;
	_Atomic uint64_t	 bytes_out;
	_Atomic uint64_t	 errors;
	_Atomic uint64_t	 retries;
	/* Passive health: consecutive errors on live traffic, reset by a
	 * success and when the server goes down; past error_limit the l7
	 * child writes passive_efd and the check child takes the server down. */
	_Atomic uint32_t	 passive_failures;
	_Atomic uint32_t	 passive_error;		/* enum shm_passive_error, the last */
	_Atomic uint64_t	 response_time_us;	/* sum */
	/* How many responses took up to shm_rt_bounds_us[i] (and more than
	 * the bound before); the last slot counts the slower ones.  Not
	 * cumulative: a reader adds them up.  Written by shm_rs_response(). */
	_Atomic uint64_t	 response_time_hist[SHM_RT_BUCKETS + 1];
};

struct shm_header {
	uint32_t		 magic;
	uint32_t		 version;
	uint32_t		 n_vrrp;
	uint32_t		 n_vs;
	uint32_t		 n_rs;
	uint32_t		 pad;
	uint64_t		 off_vrrp;
	uint64_t		 off_vs;
	uint64_t		 off_rs;
	uint64_t		 size;
	_Atomic uint64_t	 health_gen;	/* bumped by the check child */
	struct shm_seqlock	 check_lock;	/* check child: around each change */
	struct shm_seqlock	 vrrp_lock;	/* vrrp child: around each change */
};

/* Writers of shm_header's locks. */
enum shm_writer { SHM_WRITER_CHECK, SHM_WRITER_VRRP };

/* A process's handle on the mapping (not itself shared). */
struct shm {
	int			 fd;		/* memfd */
	int			 health_efd;	/* eventfd: check child -> l7 child */
	int			 passive_efd;	/* eventfd: l7 child -> check child */
	size_t			 size;
	struct shm_header	*hdr;
	struct shm_vrrp		*vrrp;
	struct shm_vs		*vs;
	struct shm_rs		*rs;
	unsigned		 changing[2];	/* shm_change_begin() nesting, by writer */
};

/* Make the mapping for model c with keys filled in and state initial. */
int	shm_create(struct shm *s, const struct conf *c);
void	shm_destroy(struct shm *s);

/* Copy the state of every record of src whose key has a twin in dst:
 * VRRP instances by name, servers by (VS address, port, RS address, port). */
void	shm_carry_vrrp(struct shm *dst, const struct shm *src);
/* Servers' fields are carried by writer: the parent's (admin state and
 * operator weight) at once, when the new mapping is made; the check
 * child's (health, check results; a weight edited in the file wins) when
 * the old check child is gone; the l7 child's (counters) when the new l7
 * starts. */
#define SHM_CARRY_CHECK		0x1u
#define SHM_CARRY_L7		0x2u
#define SHM_CARRY_PARENT	0x4u
void	shm_carry_servers(struct shm *dst, const struct shm *src, unsigned which);

/* l7 child: a response from server r took us microseconds (sum and
 * histogram). */
void	shm_rs_response(struct shm_rs *r, uint64_t us);

/* Check child: a server's health changed; wakes the l7 child. */
void	shm_health_changed(struct shm *s);
/* l7 child: a server passed its error_limit; wakes the check child. */
void	shm_passive_report(struct shm *s);
/* Drain an eventfd written by the above (after a wake-up). */
void	shm_event_clear(int efd);

void		shm_seq_write_begin(struct shm_seqlock *l);
void		shm_seq_write_end(struct shm_seqlock *l);
uint32_t	shm_seq_read_begin(const struct shm_seqlock *l);
/* True if the read that began at seq must be retried. */
int		shm_seq_read_retry(const struct shm_seqlock *l, uint32_t seq);

/* Around one change of a writer's fields (the lock of shm_writer w); a
 * change may hold smaller ones, which then are part of it. */
void		shm_change_begin(struct shm *s, enum shm_writer w);
void		shm_change_end(struct shm *s, enum shm_writer w);
/* Parent: writer w died, perhaps inside a change; its successor starts
 * from even locks (else readers would wait for ever). */
void		shm_writer_gone(struct shm *s, enum shm_writer w);

/* A private copy of the whole mapping, taken when neither the check nor
 * the vrrp child was inside a change; readers of a struct shm work on it
 * unchanged.  0; 1 if no such moment came within 100 ms (a writer that
 * never pauses, or one that died inside a change): the copy is then the
 * last one, best effort; -1 (errno) if out of memory. */
int		shm_snapshot(const struct shm *s, struct shm *copy);
void		shm_snapshot_free(struct shm *copy);

/* Readers of the fields under a seqlock, as of one consistent moment. */
void		shm_rs_last_error(const struct shm_rs *r, char *buf, size_t len);
void		shm_vrrp_master_addr(const struct shm_vrrp *v, struct kl_addr *out);

const char	*shm_vrrp_state_name(uint32_t state);
const char	*shm_health_name(uint32_t health);
const char	*shm_quorum_name(uint32_t quorum);
const char	*shm_passive_error_name(uint32_t error);
/* "1xx".."5xx", "other": the index of shm_rs.requests[]. */
const char	*shm_status_class_name(int cls);

#endif
