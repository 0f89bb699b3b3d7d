/* global_defs: keepalived's keywords that apply, plus this daemon's own
 * (control_socket, state_file, metrics_listen, drain_timeout). */
#include "config.h"

#include <string.h>

#include "keepalive-l7/conf_load.h"

#define G struct conf_global

static int
global_script_user(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	G *g = obj;

	g->script_user = st->args[0].s;
	g->script_group = st->nargs > 1 ? st->args[1].s : NULL;
	return 0;
}

static int
global_mcast_group(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	G *g = obj;
	bool v6 = strcmp(st->kw->name, "vrrp_mcast_group6") == 0;
	struct kl_addr *a = v6 ? &g->mcast_group6 : &g->mcast_group4;

	if (cfg_read_addr(p, st, &st->args[0], a) == -1)
		return -1;
	if (a->family != (v6 ? AF_INET6 : AF_INET) ||
	    (v6 ? !IN6_IS_ADDR_MULTICAST(&a->u.v6) : !IN_MULTICAST(ntohl(a->u.v4.s_addr)))) {
		cfg_error(p, &st->args[0], "%s: '%s' is not an IPv%c multicast address",
		    st->kw->name, st->args[0].s, v6 ? '6' : '4');
		return -1;
	}
	return 0;
}

static int
global_metrics_listen(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	G *g = obj;

	if (addr_parse_hostport(st->args[0].s, &g->metrics_addr, &g->metrics_port) == -1) {
		cfg_error(p, &st->args[0], "metrics_listen: '%s' is not ADDRESS:PORT "
		    "([ADDRESS]:PORT for IPv6)", st->args[0].s);
		return -1;
	}
	return 0;
}

static int
global_path(struct cfg_ctx *p, const struct cfg_stmt *st, void *obj)
{
	G *g = obj;
	const char **dst = strcmp(st->kw->name, "control_socket") == 0 ?
	    &g->control_socket : &g->state_file;

	if (st->args[0].s[0] != '/') {
		cfg_error(p, &st->args[0], "%s: '%s' must be an absolute path", st->kw->name,
		    st->args[0].s);
		return -1;
	}
	*dst = st->args[0].s;
	return 0;
}

#define SMTP_WHY "there is no SMTP client; use notify scripts"
#define IPVS_WHY "an IPVS setting; keepalive-l7 proxies instead of driving IPVS"
#define SCHED_WHY "process scheduling knobs are not implemented"
const struct cfg_kw conf_global_kws[] = {
	KW_STR("router_id", G, router_id),
	KW_FLAG("enable_script_security", G, script_security),
	KW_FN("script_user", 1, 2, global_script_user),
	KW_UINT("vrrp_version", G, vrrp_version, 2, 3),
	KW_FN("vrrp_mcast_group4", 1, 1, global_mcast_group),
	KW_FN("vrrp_mcast_group6", 1, 1, global_mcast_group),
	KW_MS("vrrp_garp_master_delay", G, garp_master_delay_ms, 0, 1000000),
	KW_UINT("vrrp_garp_master_repeat", G, garp_master_repeat, 1, 255),
	KW_MS("vrrp_garp_master_refresh", G, garp_master_refresh_ms, 0, 86400000),
	KW_UINT("vrrp_garp_master_refresh_repeat", G, garp_master_refresh_repeat, 1, 255),
	KW_MS("vrrp_garp_interval", G, garp_interval_ms, 0, 1000),
	KW_MS("vrrp_gna_interval", G, gna_interval_ms, 0, 1000),
	KW_BOOL("vrrp_min_garp", G, vrrp_min_garp),
	KW_BOOL("vrrp_lower_prio_no_advert", G, lower_prio_no_advert),
	KW_BOOL("vrrp_higher_prio_send_advert", G, higher_prio_send_advert),
	KW_FLAG("v3_checksum_as_v2", G, v3_checksum_as_v2),
	KW_MS("vrrp_startup_delay", G, vrrp_startup_delay_ms, 0, 3600000),
	KW_FN("control_socket", 1, 1, global_path),
	KW_FN("state_file", 1, 1, global_path),
	KW_FN("metrics_listen", 1, 1, global_metrics_listen),
	KW_MS("drain_timeout", G, drain_timeout_ms, 0, 3600000),
	KW_FLAG("enable_snmp_vrrp", G, snmp_vrrp),
	KW_FLAG("enable_snmp_checker", G, snmp_checker),
	KW_FLAG("enable_snmp_rfcv3", G, snmp_rfcv3),
	KW_FLAG("enable_traps", G, snmp_traps),
	KW_STR("snmp_socket", G, snmp_socket),
	KW_UNSUP("enable_snmp_rfc", "RFC 2787 (VRRP-MIB) is not served; use enable_snmp_rfcv3"),
	KW_UNSUP("enable_snmp_rfcv2", "RFC 2787 (VRRP-MIB) is not served; use enable_snmp_rfcv3"),
	KW_UNSUP("enable_snmp_keepalived", "KEEPALIVED-MIB is not served; enable_snmp_vrrp and "
	    "enable_snmp_checker serve KEEPALIVE-L7-MIB"),
	KW_UNSUP("notification_email", SMTP_WHY),
	KW_UNSUP("notification_email_from", SMTP_WHY),
	KW_UNSUP("smtp_server", SMTP_WHY),
	KW_UNSUP("smtp_connect_timeout", SMTP_WHY),
	KW_UNSUP("smtp_helo_name", SMTP_WHY),
	KW_UNSUP("vrrp_strict", "the firewall rules it installs are not implemented; the "
	    "protocol checks it implies are always on"),
	KW_UNSUP("vrrp_iptables", "no firewall rules are installed"),
	KW_UNSUP("nftables", "no firewall rules are installed"),
	KW_UNSUP("net_namespace", "start the daemon inside the namespace (ip netns exec)"),
	KW_UNSUP("dynamic_interfaces", "interfaces must exist when an instance starts"),
	KW_UNSUP("max_auto_priority", SCHED_WHY),
	KW_UNSUP("vrrp_priority", SCHED_WHY),
	KW_UNSUP("checker_priority", SCHED_WHY),
	KW_UNSUP("vrrp_rt_priority", SCHED_WHY),
	KW_UNSUP("checker_rt_priority", SCHED_WHY),
	KW_UNSUP("vrrp_no_swap", SCHED_WHY),
	KW_UNSUP("checker_no_swap", SCHED_WHY),
	KW_UNSUP("notify_fifo", "use notify scripts or the control socket"),
	KW_UNSUP("vrrp_notify_fifo", "use notify scripts or the control socket"),
	KW_UNSUP("lvs_notify_fifo", "use notify scripts or the control socket"),
	KW_UNSUP("enable_dbus", "use the control socket"),
	KW_UNSUP("lvs_flush", IPVS_WHY),
	KW_UNSUP("lvs_timeouts", IPVS_WHY),
	KW_UNSUP("lvs_sync_daemon", IPVS_WHY),
	KW_UNSUP("lvs_sync_daemon_interface", IPVS_WHY),
	KW_END
};
#undef G
