/* The validated configuration model.
 *
 * The parent builds it once from the file (keepalive-l7/conf_load.c), checks
 * it, and every child inherits it across fork(): children never read the
 * file.  After loading, treat it as read-only (pass `const struct conf *`).
 * All memory, strings included, belongs to conf->arena: conf_free() is
 * the only release.  Every object records where it was defined, so checks
 * that span objects can still say FILE:LINE.
 *
 * Durations are milliseconds (uint32_t *_ms).  Lists are singly linked in
 * file order, with counts for sizing shared state.
 */
#ifndef KL7_CONF_H
#define KL7_CONF_H

#include <regex.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/cfg.h"

struct arena;

#define CONF_UNSET	(-1)	/* int fields that inherit from an outer block */

/* global_defs ------------------------------------------------------------ */

/* The control socket's default path, keepalive-l7ctl's too. */
#define CONF_CONTROL_SOCKET	RUNSTATEDIR "/keepalive-l7/control.sock"
#define CONF_STATE_FILE		RUNSTATEDIR "/keepalive-l7/state.json"

struct conf_global {
	struct cfg_src	 src;
	const char	*router_id;
	bool		 script_security;	/* enable_script_security */
	const char	*script_user;
	const char	*script_group;

	/* VRRP defaults, inherited by instances that do not set their own. */
	unsigned	 vrrp_version;		/* 2 or 3 */
	struct kl_addr	 mcast_group4;		/* default 224.0.0.18, RFC 5798 5.1.1.2 */
	struct kl_addr	 mcast_group6;		/* default ff02::12, RFC 5798 5.1.2.2 */
	uint32_t	 garp_master_delay_ms;
	unsigned	 garp_master_repeat;
	uint32_t	 garp_master_refresh_ms;
	unsigned	 garp_master_refresh_repeat;
	uint32_t	 garp_interval_ms;
	uint32_t	 gna_interval_ms;
	bool		 vrrp_min_garp;
	bool		 lower_prio_no_advert;
	bool		 higher_prio_send_advert;
	bool		 v3_checksum_as_v2;	/* RFC 9568 IPv4 checksum, no pseudo-header */
	uint32_t	 vrrp_startup_delay_ms;

	/* Operation. */
	const char	*control_socket;	/* CONF_CONTROL_SOCKET unless set */
	const char	*state_file;		/* SIGUSR1 dump */
	struct kl_addr	 metrics_addr;
	uint16_t	 metrics_port;
	uint32_t	 drain_timeout_ms;	/* old l7 child after a reload */

	bool		 snmp_vrrp;
	bool		 snmp_checker;
	bool		 snmp_rfcv3;
	bool		 snmp_traps;
	const char	*snmp_socket;
};

/* VRRP ---------------------------------------------------------------- */

struct conf_vrrp_script {
	struct conf_vrrp_script	*next;
	struct cfg_src		 src;
	const char		*name;
	const char		*script;
	uint32_t		 interval_ms;
	uint32_t		 timeout_ms;
	int			 weight;
	bool			 weight_reverse;
	unsigned		 rise;
	unsigned		 fall;
	const char		*user;
	bool			 init_fail;
	bool			 used;		/* tracked by some instance */
};

struct conf_vip {
	struct conf_vip	*next;
	struct cfg_src	 src;
	struct kl_addr	 addr;		/* with prefix */
	struct kl_addr	 brd;
	const char	*dev;		/* NULL: the instance's interface */
	const char	*label;
	int		 scope;		/* RT_SCOPE_*; default universe */
	bool		 no_track;
};

struct conf_addr_list {
	struct conf_addr_list	*next;
	struct cfg_src		 src;
	struct kl_addr		 addr;
};

struct conf_track_if {
	struct conf_track_if	*next;
	struct cfg_src		 src;
	const char		*ifname;
	int			 weight;	/* 0: link down means FAULT */
	bool			 reverse;
};

struct conf_track_script {
	struct conf_track_script *next;
	struct cfg_src		 src;
	const char		*name;
	const struct conf_vrrp_script *script;	/* resolved at validation */
	bool			 has_weight;	/* else the script's own weight */
	int			 weight;
	bool			 reverse;
};

struct conf_notify {
	const char	*master;
	const char	*backup;
	const char	*fault;
	const char	*stop;
	const char	*any;		/* `notify`: gets TYPE NAME STATE PRIORITY */
};

enum conf_auth { CONF_AUTH_NONE, CONF_AUTH_PASS };

struct conf_vrrp_instance {
	struct conf_vrrp_instance *next;
	struct cfg_src		 src;
	unsigned		 index;		/* position: shared-state slot */
	const char		*name;
	bool			 initial_master;	/* state MASTER */
	const char		*interface;
	unsigned		 vrid;		/* 1..255; 0 = not given */
	unsigned		 priority;	/* 1..255 */
	uint32_t		 advert_int_ms;
	unsigned		 version;	/* 0: global default */
	bool			 nopreempt;
	uint32_t		 preempt_delay_ms;
	enum conf_auth		 auth_type;
	const char		*auth_pass;	/* at most 8 bytes, RFC 2338 5.3.10 */
	struct kl_addr		 unicast_src;
	struct conf_addr_list	*unicast_peers;
	unsigned		 n_unicast_peers;
	bool			 unicast_fault_no_peer;
	struct kl_addr		 mcast_src;
	struct conf_vip		*vips;
	unsigned		 n_vips;
	struct conf_vip		*vips_excluded;
	unsigned		 n_vips_excluded;
	int			 family;	/* of the VIPs */
	struct conf_track_if	*track_ifs;
	struct conf_track_script *track_scripts;
	struct conf_notify	 notify;
	/* GARP, with CONF_UNSET meaning "global default" until validation
	 * fills them in. */
	int			 garp_master_delay_ms;
	int			 garp_master_repeat;
	int			 garp_master_refresh_ms;
	int			 garp_master_refresh_repeat;
	uint32_t		 garp_lower_prio_delay_ms;
	unsigned		 garp_lower_prio_repeat;
	bool			 lower_prio_no_advert;
	bool			 higher_prio_send_advert;
	bool			 v3_checksum_as_v2;
	bool			 dont_track_primary;
	unsigned		 down_timer_adverts;	/* 3: RFC 5798 6.1 */
	const struct conf_sync_group *sync_group;	/* resolved at validation */
};

struct conf_name_list {
	struct conf_name_list	*next;
	struct cfg_src		 src;
	const char		*name;
};

struct conf_sync_group {
	struct conf_sync_group	*next;
	struct cfg_src		 src;
	const char		*name;
	struct conf_name_list	*members;
	struct conf_notify	 notify;
};

/* Health checks ------------------------------------------------------- */

enum conf_check_type { CONF_CHECK_TCP, CONF_CHECK_HTTP, CONF_CHECK_SSL, CONF_CHECK_MISC };

struct conf_status_range {
	uint16_t	lo, hi;
};

#define CONF_STATUS_RANGES_MAX	16

struct conf_url {
	struct conf_url		*next;
	struct cfg_src		 src;
	const char		*path;
	struct conf_status_range status[CONF_STATUS_RANGES_MAX];
	unsigned		 n_status;	/* 0: 200-299 */
	bool			 has_digest;
	uint8_t			 digest[16];	/* MD5 of the body */
	const char		*virtualhost;
};

enum conf_http_proto { CONF_HTTP_10, CONF_HTTP_10C, CONF_HTTP_11 };

struct conf_checker {
	struct conf_checker	*next;
	struct cfg_src		 src;
	enum conf_check_type	 type;
	struct kl_addr		 connect_ip;	/* unset: the real server's */
	uint16_t		 connect_port;	/* 0: the real server's */
	struct kl_addr		 bindto;
	uint16_t		 bind_port;
	uint32_t		 connect_timeout_ms;
	int			 retry;		/* CONF_UNSET: type default */
	uint32_t		 delay_before_retry_ms;
	bool			 has_delay_before_retry;
	uint32_t		 delay_loop_ms;	/* 0: the virtual server's */
	bool			 warmup;
	bool			 alpha;
	bool			 log_all_failures;
	/* HTTP_GET / SSL_GET */
	struct conf_url		*urls;
	enum conf_http_proto	 http_protocol;
	const char		*virtualhost;
	bool			 enable_sni;
	bool			 fast_recovery;
	/* MISC_CHECK */
	const char		*misc_path;
	uint32_t		 misc_timeout_ms;
	bool			 misc_dynamic;
	const char		*user;
};

/* Virtual and real servers ------------------------------------------------ */

enum conf_lb_kind { CONF_LB_L7, CONF_LB_NAT };

enum conf_lb_algo {
	CONF_ALGO_RR, CONF_ALGO_WRR, CONF_ALGO_LC, CONF_ALGO_WLC,
	CONF_ALGO_SH, CONF_ALGO_HASH, CONF_ALGO_P2C,
};

enum conf_hash_key { CONF_HASH_PATH, CONF_HASH_HEADER, CONF_HASH_COOKIE, CONF_HASH_SOURCE };

enum conf_cookie_mode { CONF_COOKIE_NONE, CONF_COOKIE_INSERT, CONF_COOKIE_REWRITE,
	CONF_COOKIE_PREFIX };

struct conf_cookie {
	enum conf_cookie_mode	 mode;
	const char		*name;
	bool			 indirect;
	bool			 nocache;
	bool			 httponly;
	bool			 secure;
	uint32_t		 maxidle_ms;
	uint32_t		 maxlife_ms;
};

struct conf_real_server {
	struct conf_real_server	*next;
	struct cfg_src		 src;
	unsigned		 index;		/* shared-state slot, daemon-wide */
	struct kl_addr		 addr;
	uint16_t		 port;
	unsigned		 weight;
	const char		*pool;		/* "default" unless set */
	bool			 inhibit_on_failure;
	const char		*notify_up;
	const char		*notify_down;
	unsigned		 maxconn;	/* requests in flight; 0: unlimited */
	uint32_t		 slowstart_ms;	/* weight ramp after coming back up; 0: none */
	const char		*cookie;	/* persistence id; default: index */
	unsigned		 error_limit;	/* passive failures before down */
	unsigned		 rise;
	unsigned		 fall;
	struct conf_checker	*checkers;
	unsigned		 n_checkers;
};

struct conf_pattern_list {
	struct conf_pattern_list *next;
	const char		*text;
};

/* A user of an http_route's basic authentication (auth_users). */
struct conf_http_user {
	struct conf_http_user	*next;
	struct cfg_src		 src;
	const char		*name;
	const char		*hash;		/* crypt(3), checked at load (splice/auth_hash.h) */
};

struct conf_http_route {
	struct conf_http_route	*next;
	struct cfg_src		 src;
	const char		*name;
	struct conf_pattern_list *hosts;	/* exact, or *.suffix */
	struct conf_pattern_list *path_prefixes;
	const char		*path_regex_text;
	regex_t			 path_regex;
	bool			 has_path_regex;
	const char		*header_name;
	const char		*header_regex_text;
	regex_t			 header_regex;
	const char		*cookie_name;
	const char		*cookie_value;	/* NULL: presence is enough */
	unsigned		 methods;	/* bit per enum conf_method; 0: any */
	struct conf_addr_list	*sources;	/* CIDRs */
	const char		*pool;
	struct conf_http_user	*auth_users;	/* NULL: no authentication */
	const char		*auth_realm;	/* the route's name unless set */
	bool			 auth_forward;	/* Authorization goes on to the server */
};

/* tls_route: the SNI of a NAT virtual server's client picks the pool. */
struct conf_tls_route {
	struct conf_tls_route	*next;
	struct cfg_src		 src;
	const char		*name;
	struct conf_pattern_list *snis;		/* exact, or *.suffix */
	const char		*pool;
};

enum conf_method {
	CONF_M_GET, CONF_M_HEAD, CONF_M_POST, CONF_M_PUT, CONF_M_DELETE,
	CONF_M_OPTIONS, CONF_M_PATCH, CONF_M_TRACE, CONF_M_CONNECT,
};

struct conf_virtual_server {
	struct conf_virtual_server *next;
	struct cfg_src		 src;
	unsigned		 index;		/* shared-state slot */
	struct kl_addr		 addr;
	uint16_t		 port;
	enum conf_lb_kind	 lb_kind;
	enum conf_lb_algo	 lb_algo;
	enum conf_hash_key	 hash_key;
	const char		*hash_key_name;	/* header or cookie name */
	uint32_t		 delay_loop_ms;
	uint32_t		 persistence_timeout_ms;	/* 0: none */
	struct conf_cookie	 cookie;
	uint32_t		 timeout_connect_ms;
	uint32_t		 timeout_client_ms;
	uint32_t		 timeout_server_ms;
	uint32_t		 timeout_request_ms;
	uint32_t		 timeout_keepalive_ms;
	uint32_t		 timeout_queue_ms;	/* 0 in the file's block: timeout_connect */
	uint32_t		 timeout_tunnel_ms;
	unsigned		 maxconn;
	bool			 forwarded_for;
	int			 send_proxy;	/* PROXY protocol version to servers; 0: none */
	bool			 accept_proxy;	/* clients start with a PROXY header */
	bool			 allow_connect;	/* pass CONNECT on (else 405) */
	unsigned		 retries;
	unsigned		 max_header_size;
	unsigned		 rcvbuf_server;	/* SO_RCVBUF of server sockets; 0: the kernel's */
	unsigned		 sndbuf_client;	/* SO_SNDBUF of client sockets; 0: the kernel's */
	struct conf_http_route	*routes;
	struct conf_tls_route	*tls_routes;
	const char		*default_pool;
	struct kl_addr		 sorry_addr;
	uint16_t		 sorry_port;
	unsigned		 quorum;
	unsigned		 hysteresis;
	const char		*quorum_up;
	const char		*quorum_down;
	bool			 alpha;
	bool			 omega;
	const char		*virtualhost;	/* default for HTTP_GET */
	struct conf_real_server	*servers;
	unsigned		 n_servers;
};

/* sticky_sync ---------------------------------------------------------- */

/* The link that copies source-persistence entries to the peer node
 * (splice/l7_sync.c, doc/sticky-sync.md). */
#define CONF_SYNC_SECRET_MIN	16	/* bytes: HMAC-SHA-256 keys, RFC 2104 section 3 */
#define CONF_SYNC_SECRET_MAX	1024

struct conf_sticky_sync {
	struct cfg_src		 src;
	bool			 enabled;	/* the block is present */
	struct kl_addr		 listen_addr;
	uint16_t		 listen_port;
	struct kl_addr		 peer_addr;
	uint16_t		 peer_port;
	const char		*secret;	/* `secret`, or `secret_file`'s content */
	size_t			 secret_len;
};

/* Runtime edits -------------------------------------------------------- */

/* A change made over the control socket (keepalive-l7ctl add server /
 * remove server).  It never touches the file: the next model is the
 * running one's tokens parsed again with every edit applied in order,
 * each in its virtual_server's block end (splice/vs_edit.c). */
enum conf_edit_op { CONF_EDIT_ADD_SERVER, CONF_EDIT_REMOVE_SERVER };

struct conf_edit {
	struct conf_edit	*next;
	enum conf_edit_op	 op;
	struct kl_addr		 vs_addr;
	uint16_t		 vs_port;
	struct kl_addr		 rs_addr;
	uint16_t		 rs_port;
	unsigned		 weight;	/* add: the server's weight */
	const char		*pool;		/* add: NULL = the VS's default_pool */
};

/* The whole model ------------------------------------------------------- */

struct conf {
	struct arena			*arena;
	const char			*path;
	struct conf_global		 global;
	struct conf_vrrp_script		*vrrp_scripts;
	struct conf_sync_group		*sync_groups;
	struct conf_vrrp_instance	*vrrp_instances;
	unsigned			 n_vrrp_instances;
	struct conf_virtual_server	*virtual_servers;
	unsigned			 n_virtual_servers;
	unsigned			 n_real_servers;	/* over all VSs */
	struct conf_sticky_sync		 sticky_sync;
	/* What the model was built from: the file's tokens (includes read,
	 * @ID lines resolved) and the runtime edits since the file was
	 * read, so that an edit builds the next model without the file. */
	const struct cfg_tok		*toks;
	size_t				 ntoks;
	struct conf_edit		*edits;
	unsigned			 n_edits;
};

/* A fresh model with every default filled in, owning a new arena. */
struct conf	*conf_new(const char *path);
void		 conf_free(struct conf *c);

const struct conf_vrrp_instance *conf_find_instance(const struct conf *c, const char *name);
const struct conf_vrrp_script	*conf_find_script(const struct conf *c, const char *name);
const char	*conf_method_name(enum conf_method m);

/* Append to a singly linked list of any conf_* type (its first member is `next`). */
void		 conf_list_append(void *head_ptr, void *item);

extern const struct cfg_enum conf_lb_algo_names[];
extern const struct cfg_enum conf_lb_kind_names[];
extern const struct cfg_enum conf_check_type_names[];
extern const struct cfg_enum conf_http_proto_names[];
extern const struct cfg_enum conf_hash_key_names[];
extern const struct cfg_enum conf_cookie_mode_names[];
extern const struct cfg_enum conf_method_names[];
extern const struct cfg_enum conf_proxy_version_names[];

#endif
