#!/bin/bash
# The SNMP AgentX subagent against a real snmpd and snmptrapd: VRRPv3-MIB
# (RFC 6527) and KEEPALIVE-L7-MIB read with snmpget/snmpwalk (numeric
# OIDs: Debian's free packages do not ship the IETF base MIBs the names
# need), notifications on a real server going down and up, on VRRP state
# changes and on an advert with a bad TTL (exactly one per change, counted
# against the daemon's own log), a reload that sends none by itself,
# the subagent coming back after snmpd restarts, and smilint -l 3 on
# conf/KEEPALIVE-L7-MIB.txt where the IETF base modules are installed.
#
#   peer eth0 192.0.2.2 --veth-- lb eth0 192.0.2.1/24 (VRRP VI_1, VS :80)
#                                lb srv0 198.51.100.1 --veth-- srv 198.51.100.2 (backends)
#
# lb runs keepalive-l7 with SNMP, snmpd (master agentx on a unix socket in
# $KL7_TMP, 127.0.0.1:16100) and snmptrapd (127.0.0.1:16200); peer runs a
# second keepalive-l7 (-P, priority 200, no SNMP) when the test wants a
# VRRP change.
#
# Run by hand (as root), from the source tree with a build in build/:
#   KL7_TOP_BUILDDIR=$PWD/build bash test/integration/t_snmp.sh
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
for cmd in /usr/sbin/snmpd /usr/sbin/snmptrapd snmpget snmpwalk curl; do
	command -v "$cmd" >/dev/null ||
	    skip_all "no $cmd (apt-get install snmpd snmptrapd snmp curl)"
done
plan 46

[ -x "$kl7_bin" ] || diag "binary $kl7_bin not found: build first"

T=$KL7_TMP
LOG=$(daemon_log kl7)
TRAPS=$T/traps.log
BACKEND="$_kl7_lib_dir/echo_backend.py"
MIB=$KL7_TOP_SRCDIR/conf/KEEPALIVE-L7-MIB.txt
SNMP=127.0.0.1:16100
COMMUNITY=kl7test
S=198.51.100.2

# OIDs (see the MIBs for the names).
KL7=.1.3.6.1.4.1.8072.9999.9999.7
KL7_VERSION=$KL7.1.1.1.0
KL7_ROUTER_ID=$KL7.1.1.2.0
VS=$KL7.1.2.1		# kl7VirtualServerEntry
RS=$KL7.1.3.1		# kl7RealServerEntry
VI=$KL7.1.4.1		# kl7VrrpInstanceEntry
KL7_RS_TRAP=$KL7.0.1
KL7_VRRP_TRAP=$KL7.0.2
V3=.1.3.6.1.2.1.207
V3_OPS=$V3.1.1.1.1	# vrrpv3OperationsEntry
V3_STATS=$V3.1.2.5.1	# vrrpv3StatisticsEntry
V3_NEW_MASTER=$V3.0.1

# ---------------------------------------------------------------- topology

netns_add lb || bail_out "cannot create netns lb"
netns_add peer || bail_out "cannot create netns peer"
netns_add srv || bail_out "cannot create netns srv"
{
	ip -n "$(ns_name lb)" link add eth0 type veth peer name eth0 netns "$(ns_name peer)" &&
	    ip -n "$(ns_name lb)" addr add 192.0.2.1/24 dev eth0 &&
	    ip -n "$(ns_name peer)" addr add 192.0.2.2/24 dev eth0 &&
	    ip -n "$(ns_name lb)" link add srv0 type veth peer name eth0 netns "$(ns_name srv)" &&
	    ip -n "$(ns_name lb)" addr add 198.51.100.1/24 dev srv0 &&
	    ip -n "$(ns_name srv)" addr add $S/24 dev eth0 &&
	    ip -n "$(ns_name lb)" link set eth0 up &&
	    ip -n "$(ns_name peer)" link set eth0 up &&
	    ip -n "$(ns_name lb)" link set srv0 up &&
	    ip -n "$(ns_name srv)" link set eth0 up
} 2>>"$T/ip.log" || bail_out "cannot build the topology: $(tail -n 1 "$T/ip.log")"
IFINDEX=$(ns_exec lb cat /sys/class/net/eth0/ifindex)

# ---------------------------------------------------------------- helpers

# snmp_get OID: the value alone (strings without their quotes).
snmp_get() {
	local v
	v=$(ns_exec lb env MIBS= snmpget -v2c -c $COMMUNITY -On -Oqv -t 1 -r 1 $SNMP "$1" \
	    2>>"$T/snmp.err") || return 1
	v=${v#\"}
	echo "${v%\"}"
}

# snmp_is OID VALUE
snmp_is() {
	[ "$(snmp_get "$1")" = "$2" ]
}

# snmp_walk OID: numeric "OID = TYPE: VALUE" lines; fails on any error
# (snmpwalk also checks that the OIDs increase).
snmp_walk() {
	ns_exec lb env MIBS= snmpwalk -v2c -c $COMMUNITY -On -t 1 -r 1 $SNMP "$1" 2>>"$T/snmp.err"
}

# traps_matching ERE...: how many received notifications match every ERE.
traps_matching() {
	local f=$TRAPS re
	cp "$TRAPS" "$T/traps.snap" 2>/dev/null || : >"$T/traps.snap"
	f=$T/traps.snap
	for re in "$@"; do
		grep -E -- "$re" "$f" >"$f.next" || true
		mv "$f.next" "$f"
	done
	wc -l <"$f"
}

trap_oid() {	# the ERE for snmpTrapOID.0 = OID
	echo "OID: ${1//./\\.}([^.0-9]|\$)"
}

# var_is OID VALUE: the ERE for one varbind of a notification.
var_is() {
	echo "${1//./\\.} = [A-Za-z0-9-]+: ${2}([^0-9]|\$)"
}

have_traps() {	# have_traps N ERE...
	local n=$1
	shift
	[ "$(traps_matching "$@")" -ge "$n" ]
}

start_snmpd() {
	daemon_start_raw snmpd lb SNMP_PERSISTENT_DIR="$T/snmpd-state" MIBS= -- \
	    /usr/sbin/snmpd -f -Lo -C -c "$T/snmpd.conf"
}

backend() {	# backend NAME ADDR:PORT
	daemon_start_raw "$1" srv -- "$KL7_PYTHON" "$BACKEND" --log "$T/backend.log" \
	    -l "$2:$1"
}

listening() {	# listening NETNS ADDR PORT [udp]
	local opt=-Hltn
	[ "${4:-}" = udp ] && opt=-Hlun
	ns_exec "$1" ss $opt "src $2 and sport = :$3" | grep -q .
}

# ---------------------------------------------------------------- the MIB file

SMI_DIRS=${SMIPATH:-/usr/share/snmp/mibs/ietf:/usr/share/snmp/mibs/iana}
if ! command -v smilint >/dev/null; then
	skip "no smilint (apt-get install smitools)" "KEEPALIVE-L7-MIB passes smilint -l 3"
elif ! SMIPATH=$SMI_DIRS smilint -l 0 /dev/stdin >/dev/null 2>&1 \
    <<<"X DEFINITIONS ::= BEGIN IMPORTS Counter64 FROM SNMPv2-SMI; END"; then
	# The IETF modules are non-free in Debian (snmp-mibs-downloader).
	skip "no SNMPv2-SMI on SMIPATH ($SMI_DIRS)" "KEEPALIVE-L7-MIB passes smilint -l 3"
else
	out=$(SMIPATH="$SMI_DIRS:/usr/share/snmp/mibs" smilint -l 3 "$MIB" 2>&1)
	[ -z "$out" ] || diag "$out"
	ok "$([ -z "$out" ]; echo $?)" "KEEPALIVE-L7-MIB passes smilint -l 3"
fi

# ---------------------------------------------------------------- start

cat >"$T/snmpd.conf" <<EOF
master agentx
agentXSocket unix:$T/agentx.sock
agentaddress udp:$SNMP
rocommunity $COMMUNITY 127.0.0.1
trap2sink 127.0.0.1:16200 $COMMUNITY
EOF
cat >"$T/snmptrapd.conf" <<EOF
authCommunity log $COMMUNITY
EOF
: >"$TRAPS"
daemon_start_raw snmptrapd lb SNMP_PERSISTENT_DIR="$T/snmptrapd-state" MIBS= -- \
    /usr/sbin/snmptrapd -f -C -c "$T/snmptrapd.conf" -On -Lf "$TRAPS" -F 'TRAP %v\n' \
    udp:127.0.0.1:16200
start_snmpd
check "snmpd answers on $SNMP" wait_for 10 snmp_get .1.3.6.1.2.1.1.3.0
check "snmptrapd listens" wait_for 10 listening lb 127.0.0.1 16200 udp

backend 8001 $S:8001
backend 8002 $S:8002
wait_for 10 listening srv $S 8001 && wait_for 10 listening srv $S 8002 ||
    bail_out "the backends did not start"

cat >"$T/k.conf" <<EOF
global_defs {
    router_id lb-snmp
    enable_snmp_vrrp
    enable_snmp_checker
    enable_snmp_rfcv3
    enable_traps
    snmp_socket unix:$T/agentx.sock
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 0.2
    version 3
    virtual_ipaddress {
        192.0.2.100/24
    }
}
virtual_server 192.0.2.1 80 {
    lb_kind L7
    lb_algo wrr
    delay_loop 0.3
    http_route spare {
        path_prefix /spare/
        pool spare
    }
    real_server $S 8001 {
        weight 3
        TCP_CHECK {
            connect_timeout 0.3
            retry 0
        }
    }
    real_server $S 8002 {
        pool spare
        weight 2
        TCP_CHECK {
            connect_timeout 0.3
            retry 0
        }
    }
}
EOF
daemon_start kl7 -N lb -- -f "$T/k.conf" -p "$T/kl7.pid"
check "the subagent serves KEEPALIVE-L7-MIB" wait_for 10 snmp_is $KL7_VERSION \
    "$("$kl7_bin" --version | awk '{ print $2 }')"
check "kl7RouterId is global_defs router_id" snmp_is $KL7_ROUTER_ID lb-snmp
check "net-snmp logs through the daemon's log" log_has "$LOG" "snmp: .*AgentX subagent connected"

# ---------------------------------------------------------------- VRRP

IDX=$IFINDEX.51.1	# ifIndex, VRID, ipv4(1)
check "VI_1 becomes master (kl7VrrpState)" wait_for 10 snmp_is $VI.3.1 3
check "vrrpv3OperationsStatus is master(3)" snmp_is $V3_OPS.6.$IDX 3
check "vrrpv3OperationsPriority is 100" snmp_is $V3_OPS.7.$IDX 100
check "vrrpv3OperationsMasterIpAddr is our address, 192.0.2.1" \
    snmp_is $V3_OPS.3.$IDX "C0 00 02 01 "
check "vrrpv3OperationsVirtualMacAddr is 00-00-5E-00-01-33" \
    snmp_is $V3_OPS.5.$IDX "00 00 5E 00 01 33 "
check "vrrpv3OperationsAdvInterval is 20 cs" snmp_is $V3_OPS.9.$IDX 20
check "kl7VrrpVrId, kl7VrrpInterface" \
    eval 'snmp_is $VI.4.1 51 && snmp_is $VI.5.1 eth0'
snmp_walk $V3 >"$T/walk-v3.txt"
ok $? "snmpwalk of VRRPv3-MIB"
n_ops=$(grep -c "^${V3_OPS//./\\.}\." "$T/walk-v3.txt")
n_stats=$(grep -c "^${V3_STATS//./\\.}\." "$T/walk-v3.txt")
n_router=$(grep -Ec "^${V3//./\\.}\.1\.2\.[1-4]\.0 " "$T/walk-v3.txt")
ok "$([ "$n_ops" = 11 ] && [ "$n_stats" = 13 ] && [ "$n_router" = 4 ]; echo $?)" \
    "VRRPv3-MIB walk: 11 operations, 13 statistics columns, 4 router counters" \
    "(got $n_ops, $n_stats, $n_router)"
check "vrrpv3StatisticsMasterTransitions is 1" snmp_is $V3_STATS.1.$IDX 1
check "vrrpv3NewMaster sent when VI_1 became master" \
    wait_for 5 have_traps 1 "$(trap_oid $V3_NEW_MASTER)"

# ---------------------------------------------------------------- servers

check "both real servers are up (kl7RsHealth)" \
    wait_for 10 eval 'snmp_is $RS.6.1.1 2 && snmp_is $RS.6.1.2 2'
check "effective weights 3 and 2 (kl7RsWeight)" \
    eval 'snmp_is $RS.9.1.1 3 && snmp_is $RS.9.1.2 2'
check "pools default and spare (kl7RsPool)" \
    eval 'snmp_is $RS.5.1.1 default && snmp_is $RS.5.1.2 spare'
check "kl7VsLiveWeight is 5" wait_for 5 snmp_is $VS.8.1 5
for i in 1 2 3 4 5 6; do
	ns_exec lb curl -s -o /dev/null --max-time 5 "http://192.0.2.1/x$i"
done
for i in 1 2 3 4; do
	ns_exec lb curl -s -o /dev/null --max-time 5 "http://192.0.2.1/spare/x$i"
done
check "requests by status class: 6 and 4 2xx answers (kl7RsRequests2xx)" \
    wait_for 5 eval 'snmp_is $RS.13.1.1 6 && snmp_is $RS.13.1.2 4'
check "kl7VsRequests is 10" snmp_is $VS.12.1 10
snmp_walk $KL7 >"$T/walk-kl7.txt"
ok $? "snmpwalk of KEEPALIVE-L7-MIB"
n=$(wc -l <"$T/walk-kl7.txt")
# 2 scalars, 19 virtual-server columns, 22 per real server, 14 per instance
ok "$([ "$n" = $((2 + 19 + 2 * 22 + 14)) ]; echo $?)" "KEEPALIVE-L7-MIB walk has 79 values (got $n)"
check "kl7VsQueued is a Gauge32 of 0, kl7VsStickySynced a Counter64 of 0" \
    eval 'grep -qxF "$VS.16.1 = Gauge32: 0" "$T/walk-kl7.txt" &&
        grep -qxF "$VS.20.1 = Counter64: 0" "$T/walk-kl7.txt"'

daemon_signal 8002 TERM
check "a stopped backend goes down (kl7RsHealth down(3))" wait_for 10 snmp_is $RS.6.1.2 3
RS_DOWN=("$(trap_oid $KL7_RS_TRAP)" "$(var_is $RS.6.1.2 3)" "$(var_is $RS.4.1.2 8002)")
check "kl7RealServerStateChange received for it" wait_for 5 have_traps 1 "${RS_DOWN[@]}"

# ---------------------------------------------------------------- VRRP changes

sed -e 's/priority 100/priority 200/' -e '/enable_snmp\|enable_traps\|snmp_socket/d' \
    -e '/^virtual_server/,$d' "$T/k.conf" >"$T/peer.conf"
daemon_start peer -N peer -- -P -f "$T/peer.conf" -p "$T/peer.pid"
check "VI_1 goes backup when a higher priority peer comes" wait_for 10 snmp_is $VI.3.1 2
check "vrrpv3OperationsMasterIpAddr is the peer's, 192.0.2.2" \
    snmp_is $V3_OPS.3.$IDX "C0 00 02 02 "
check "kl7VrrpStateChange to backup(2) received" \
    wait_for 5 have_traps 1 "$(trap_oid $KL7_VRRP_TRAP)" "$(var_is $VI.3.1 2)"
daemon_signal peer TERM
daemon_wait_exit peer 5
check "VI_1 is master again once the peer leaves" wait_for 10 snmp_is $VI.3.1 3
check "a second vrrpv3NewMaster, reason masterNoResponse(3)" \
    wait_for 5 have_traps 1 "$(trap_oid $V3_NEW_MASTER)" "$(var_is $V3_STATS.2.$IDX 3)"
check "no SNMP in a daemon without the keywords" eval '! log_has "$(daemon_log peer)" snmp'

# An advert sent with TTL 1 is a protocol error (RFC 5798 7.1): counted,
# and reported once as vrrpv3ProtoError ipTtlError(1).
ns_exec peer "$KL7_PYTHON" - <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("192.0.2.2"))
# version 3, advertisement, VRID 51, priority 100, 1 address, 20 cs
s.sendto(bytes([0x31, 51, 100, 1, 0, 20, 0, 0, 192, 0, 2, 100]), ("224.0.0.18", 0))
PY
check "an advert with TTL 1 counts in vrrpv3StatisticsIpTtlErrors" \
    wait_for 5 snmp_is $V3_STATS.5.$IDX 1
# The reason is the watcher's (a 200 ms poll), the counter the vrrp child's.
check "vrrpv3StatisticsProtoErrReason is ipTtlError(1)" wait_for 3 snmp_is $V3_STATS.6.$IDX 1
V3_PROTO=("$(trap_oid $V3.0.2)" "$(var_is $V3_STATS.6.$IDX 1)")
check "vrrpv3ProtoError received" wait_for 5 have_traps 1 "${V3_PROTO[@]}"

# A reload replaces the children and the shared state: the tables stay,
# and no notification comes from the move itself.
daemon_signal kl7 HUP
check "a reload completes" wait_for 10 eval '[ "$(log_count "$LOG" "all children ready")" -ge 2 ]'
backend 8002 $S:8002
check "the backend back after the reload is up again (kl7RsHealth)" \
    wait_for 10 snmp_is $RS.6.1.2 2
RS_UP=("$(trap_oid $KL7_RS_TRAP)" "$(var_is $RS.6.1.2 2)" "$(var_is $RS.4.1.2 8002)")
check "kl7RealServerStateChange up(2) received for it" wait_for 5 have_traps 2 "${RS_UP[@]}"
check "VI_1 is still master (kl7VrrpState, vrrpv3OperationsStatus)" \
    eval 'snmp_is $VI.3.1 3 && snmp_is $V3_OPS.6.$IDX 3'

# Exactly one notification per change: the daemon logs each transition.
wait_for 2 eval '[ "$(traps_matching "$(trap_oid $KL7_VRRP_TRAP)")" -ge \
    "$(log_count "$LOG" "VRRP VI_1: [A-Z]+ -> ")" ]'
n_log=$(log_count "$LOG" "VRRP VI_1: [A-Z]+ -> ")
n_log_master=$(log_count "$LOG" "VRRP VI_1: [A-Z]+ -> MASTER")
n_trap=$(traps_matching "$(trap_oid $KL7_VRRP_TRAP)")
n_new_master=$(traps_matching "$(trap_oid $V3_NEW_MASTER)")
n_rs_down=$(traps_matching "${RS_DOWN[@]}")
n_rs_up=$(traps_matching "${RS_UP[@]}")
n_proto=$(traps_matching "$(trap_oid $V3.0.2)")
ok "$([ "$n_trap" = "$n_log" ] && [ "$n_new_master" = "$n_log_master" ] &&
    [ "$n_rs_down" = 1 ] && [ "$n_rs_up" = 2 ] && [ "$n_proto" = 1 ]; echo $?)" \
    "one notification per change: $n_trap kl7VrrpStateChange for $n_log transitions," \
    "$n_new_master vrrpv3NewMaster for $n_log_master to MASTER, server 1.2 down" \
    "$n_rs_down and up $n_rs_up times, $n_proto vrrpv3ProtoError"

# ---------------------------------------------------------------- snmpd restart

daemon_signal snmpd TERM
daemon_wait_exit snmpd 10 || diag "snmpd did not stop"
start_snmpd
check "the subagent answers again after snmpd restarts" \
    wait_for 30 snmp_is $V3_OPS.6.$IDX 3
snmp_walk $KL7 >"$T/walk-kl7-again.txt"
ok "$([ "$(wc -l <"$T/walk-kl7-again.txt")" = 79 ]; echo $?)" \
    "every KEEPALIVE-L7-MIB value is served again"
check "every registration is accepted again" \
    eval '! log_has "$LOG" "registering pdu failed"'

daemon_signal kl7 TERM
daemon_wait_exit kl7 10
ok "$([ "$DAEMON_STATUS" = 0 ]; echo $?)" "the daemon stops cleanly (status $DAEMON_STATUS)"

if [ "$_tap_failed" -gt 0 ]; then
	diag_file "$LOG" 40
	diag_file "$TRAPS" 20
	diag_file "$T/snmp.err" 10
fi
done_testing
