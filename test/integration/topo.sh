#!/bin/bash
# shellcheck shell=bash
#
# The HA test topology, sourced after lib.sh by the tests that need it:
# one L2 segment (a bridge in netns "sw") with two load-balancer nodes, a
# client and, for later tests, backends:
#
#   lb1 eth0 192.0.2.11 2001:db8::11 --+
#   lb2 eth0 192.0.2.12 2001:db8::12 --+-- sw:br0
#   cl  eth0 192.0.2.50 2001:db8::50 --+
#
# topo_up builds it; the switch port of node N is sw:pN, so "cutting the
# master's link" is `topo_port NODE down` (the node itself sees no change).

# Node names and their host number on the segment.
declare -A TOPO_HOST=([lb1]=11 [lb2]=12 [cl]=50)

_topo_port=0
declare -A TOPO_PORT=()

# topo_node NAME: a namespace NAME with eth0 plugged into the bridge.
topo_node() {
	local name=$1 h=${TOPO_HOST[$1]} sw port
	sw=$(ns_name sw)
	_topo_port=$((_topo_port + 1))
	port=p$_topo_port
	TOPO_PORT[$name]=$port
	netns_add "$name" || return 1
	ip link add "kl7v$$$_topo_port" type veth peer name "kl7w$$$_topo_port" || return 1
	ip link set "kl7v$$$_topo_port" netns "$(ns_name "$name")" name eth0 || return 1
	ip link set "kl7w$$$_topo_port" netns "$sw" name "$port" || return 1
	ip -n "$sw" link set "$port" master br0 up || return 1
	ip -n "$(ns_name "$name")" link set eth0 up || return 1
	ip -n "$(ns_name "$name")" addr add "192.0.2.$h/24" dev eth0 || return 1
	ip -n "$(ns_name "$name")" addr add "2001:db8::$h/64" dev eth0 nodad || return 1
}

# topo_up NODE...: the switch and the named nodes (default lb1 lb2 cl).
topo_up() {
	local n
	netns_add sw || return 1
	ip -n "$(ns_name sw)" link add br0 type bridge || return 1
	ip -n "$(ns_name sw)" link set br0 up || return 1
	for n in "${@:-lb1 lb2 cl}"; do
		# shellcheck disable=SC2086
		for m in $n; do topo_node "$m" || return 1; done
	done
	# Link-local addresses must be ready before IPv6 VRRP can send.
	for n in "${@:-lb1 lb2 cl}"; do
		# shellcheck disable=SC2086
		for m in $n; do wait_for 5 topo_ll_ready "$m" || return 1; done
	done
}

topo_ll_ready() {
	ip -n "$(ns_name "$1")" -6 addr show dev eth0 scope link | grep -q 'fe80' &&
	    ! ip -n "$(ns_name "$1")" -6 addr show dev eth0 | grep -q tentative
}

# topo_port NODE up|down: the node's switch port.
topo_port() {
	ip -n "$(ns_name sw)" link set "${TOPO_PORT[$1]}" "$2"
}

# has_addr NODE ADDR: ADDR (no prefix) is configured on the node's eth0.
has_addr() {
	ip -n "$(ns_name "$1")" -br addr show dev eth0 | grep -Eq "[ ]$2/"
}

# ---------------------------------------------------------------- outages

# ping_start NAME ADDR: ping ADDR from the client every 10 ms, replies with
# timestamps to $KL7_TMP/ping-NAME.log, until ping_stop NAME.
# The ping itself is bounded: 30 s at most (-w).
ping_start() {
	local log="$KL7_TMP/ping-$1.log"
	: >"$log"
	# ip netns exec execs ping: $! is ping's pid, so ping_stop reaches it.
	ip netns exec "$(ns_name cl)" ping -D -n -i 0.01 -W 1 -w 30 "$2" >"$log" 2>&1 &
	_topo_ping[$1]=$!
	track_pid "$!"
	wait_for 5 grep -q 'bytes from' "$log"
}
declare -A _topo_ping=()

ping_stop() {
	local pid=${_topo_ping[$1]}
	kill -INT "$pid" 2>/dev/null
	wait_for 5 pid_dead "$pid"
	wait "$pid" 2>/dev/null
	return 0
}

# ping_gap_ms NAME: the longest time between two replies, in ms.
ping_gap_ms() {
	"$KL7_PYTHON" - "$KL7_TMP/ping-$1.log" <<'PY'
import re, sys
ts = [float(m.group(1)) for m in re.finditer(r'^\[(\d+\.\d+)\] \d+ bytes from', open(sys.argv[1]).read(), re.M)]
gaps = [b - a for a, b in zip(ts, ts[1:])]
print(int(round(max(gaps) * 1000)) if gaps else 999999)
PY
}

# measure_outage NAME NEW_MASTER CMD...: ping the VIP from the client, run
# CMD (the failure), wait until NEW_MASTER holds the VIP and the client gets
# an answer, and set OUTAGE_MS to the longest gap between replies.  Not for
# $(...): CMD may start or stop daemons, which only this shell can wait for.
OUTAGE_MS=999999
measure_outage() {
	local name=$1 to=$2
	shift 2
	ping_start "$name" "$TOPO_VIP4"
	"$@"
	wait_for 10 has_addr "$to" "$TOPO_VIP4"
	wait_for 3 ns_exec cl ping -c 1 -W 0.3 "$TOPO_VIP4"
	ping_stop "$name"
	OUTAGE_MS=$(ping_gap_ms "$name")
}

# ---------------------------------------------------------------- nodes

TOPO_VIP4=192.0.2.100

# write_conf NODE PRIORITY [ADVERT_INT [VERSION [EXTRA_LINES [VIP]]]]: one
# vrrp_instance VI_1 on eth0, VRID 51; EXTRA_LINES go inside it, and
# $TOPO_TOP (blocks such as vrrp_script) at the top level.
write_conf() {
	local d="$KL7_TMP/$1" vip=${6:-$TOPO_VIP4/24}
	mkdir -p "$d"
	cat >"$d/k.conf" <<EOF
global_defs {
    router_id $1
    state_file $d/state.json
}
${TOPO_TOP:-}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority $2
    advert_int ${3:-0.1}
    version ${4:-3}
${5:-}
    virtual_ipaddress {
        $vip
    }
}
EOF
}

start_node() {	# start_node NODE: start it and wait until it is ready
	local log n
	log=$(daemon_log "$1")
	n=$(log_count "$log" "all children ready")
	daemon_start "$1" -N "$1" -P -f "$KL7_TMP/$1/k.conf" -p "$KL7_TMP/$1/pid"
	# Signals sent before the daemon has set up its handlers would kill it
	# (under ASan, before main() even runs): wait for readiness first.
	wait_for 10 log_count_gt "$log" "all children ready" "$n"
}

stop_node() {	# stop_node NODE: SIGTERM and wait
	daemon_signal "$1" TERM && daemon_wait_exit "$1" 5
}

dump_of() {	# dump_of NODE: a fresh SIGUSR1 dump of the node
	local f="$KL7_TMP/$1/state.json"
	rm -f "$f"
	daemon_signal "$1" USR1 >/dev/null || return 1
	wait_for 2 test -s "$f"
}

state_of() {	# state_of NODE: the node's VRRP state
	dump_of "$1" && json_get "$KL7_TMP/$1/state.json" 'j["vrrp"][0]["state"]'
}

counter_of() {	# counter_of NODE NAME
	dump_of "$1" && json_get "$KL7_TMP/$1/state.json" "j['vrrp'][0]['counters']['$2']"
}

is_state() { [ "$(state_of "$1")" = "$2" ]; }

only_master() {	# only_master NODE OTHER [ADDR]: NODE holds the VIP, OTHER does not
	has_addr "$1" "${3:-$TOPO_VIP4}" && ! has_addr "$2" "${3:-$TOPO_VIP4}"
}
