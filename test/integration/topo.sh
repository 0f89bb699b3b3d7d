#!/bin/bash
# shellcheck shell=bash
#
# The HA test topology, sourced after lib.sh by the tests that need it:
# one L2 segment (a bridge in netns "sw") with two load-balancer nodes, a
# client and, for the tests that want them, backends:
#
#   lb1 eth0 192.0.2.11 2001:db8::11 --+
#   lb2 eth0 192.0.2.12 2001:db8::12 --+-- sw:br0
#   cl  eth0 192.0.2.50 2001:db8::50 --+
#   srv eth0 192.0.2.21-23           --+   (topo_up lb1 lb2 cl srv)
#
# The backends are on the same segment, so both nodes reach them the same
# way, whichever holds the VIP.
# topo_up builds it; the switch port of node N is sw:pN, so "cutting the
# master's link" is `topo_port NODE down` (the node itself sees no change).

# Node names and their host number on the segment.
declare -A TOPO_HOST=([lb1]=11 [lb2]=12 [cl]=50 [srv]=21)

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

# start_node NODE: start it and wait until it is ready.  Only the VRRP
# child (-P) unless the test sets TOPO_KL7_OPTS (e.g. "" for all children).
start_node() {
	local log n
	log=$(daemon_log "$1")
	n=$(log_count "$log" "all children ready")
	# shellcheck disable=SC2086	# the options are words
	daemon_start "$1" -N "$1" ${TOPO_KL7_OPTS--P} -f "$KL7_TMP/$1/k.conf" -p "$KL7_TMP/$1/pid"
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

# ---------------------------------------------------------------- backends

# Backend bN is an echo_backend.py of its own on 192.0.2.(20+N):8080 in srv
# (so that one can be killed alone); every request is logged, as one JSON
# line, to $KL7_TMP/backends.log.
TOPO_BACKEND_PORT=8080
declare -A _topo_backend=()

backend_addr() {	# backend_addr bN
	echo "192.0.2.$((20 + ${1#b}))"
}

# backend_start bN: start it and wait until it listens (its address is
# added to srv's eth0 the first time).
backend_start() {
	local a
	a=$(backend_addr "$1")
	has_addr srv "$a" || ip -n "$(ns_name srv)" addr add "$a/24" dev eth0 || return 1
	ip netns exec "$(ns_name srv)" "$KL7_PYTHON" "$KL7_TOP_SRCDIR/test/integration/echo_backend.py" \
	    --log "$KL7_TMP/backends.log" -l "$a:$TOPO_BACKEND_PORT:$1" \
	    </dev/null >>"$KL7_TMP/backend-$1.out" 2>&1 &
	_topo_backend[$1]=$!
	track_pid "$!"
	wait_for 10 backend_listening "$1"
}

backend_listening() {
	ns_exec srv ss -Hltn "src $(backend_addr "$1") and sport = :$TOPO_BACKEND_PORT" | grep -q LISTEN
}

backend_kill() {	# backend_kill bN: SIGKILL, as a crash
	local pid=${_topo_backend[$1]}
	kill -KILL "$pid" 2>/dev/null
	wait_for 5 pid_dead "$pid"
	wait "$pid" 2>/dev/null
	return 0
}

# backend_served bN PATH: how many requests for PATH bN has logged.
backend_served() {
	log_count "$KL7_TMP/backends.log" "\"name\": \"$1\".*\"target\": \"$2\""
}

backend_served_gt() {	# backend_served_gt bN PATH N
	[ "$(backend_served "$1" "$2")" -gt "$3" ]
}

# ---------------------------------------------------------------- HTTP load

# load_start NAME [ARGS...]: test/integration/http_load.py in the client,
# one GET of /ha on the VIP every 10 ms on a new connection, each with a
# 1 s timeout, logging to $KL7_TMP/load-NAME.log; bounded by 60 s and 6000
# requests, and ended earlier by load_stop NAME.  Returns once a request
# has succeeded.
declare -A _topo_load=()
load_start() {
	local log="$KL7_TMP/load-$1.log"
	: >"$log"
	ip netns exec "$(ns_name cl)" "$KL7_PYTHON" "$KL7_TOP_SRCDIR/test/integration/http_load.py" \
	    --log "$log" --host "$TOPO_VIP4" "${@:2}" </dev/null >>"$KL7_TMP/load-$1.out" 2>&1 &
	_topo_load[$1]=$!
	track_pid "$!"
	wait_for 5 grep -q ' ok ' "$log"
}

load_stop() {
	local pid=${_topo_load[$1]}
	kill -TERM "$pid" 2>/dev/null
	wait_for 5 pid_dead "$pid"
	wait "$pid" 2>/dev/null
	return 0
}

load_ok_count() {	# load_ok_count NAME: successful requests so far
	grep -c ' ok ' "$KL7_TMP/load-$1.log" 2>/dev/null || true
}

# load_mark NAME, then load_more_ok NAME N: at least N more requests have
# succeeded since the mark.
declare -A _topo_load_mark=()
load_mark() {
	_topo_load_mark[$1]=$(load_ok_count "$1")
}
load_more_ok() {
	[ "$(load_ok_count "$1")" -ge $((${_topo_load_mark[$1]:-0} + $2)) ]
}

# load_report NAME SINCE_MS: "GAP_MS FAILED SUCCEEDED" for the part of the
# run from SINCE_MS (epoch ms) on; see http_load.py.
load_report() {
	"$KL7_PYTHON" "$KL7_TOP_SRCDIR/test/integration/http_load.py" --report "$KL7_TMP/load-$1.log" \
	    --since "$(($2 / 1000)).$(printf %03d $(($2 % 1000)))"
}

# ---------------------------------------------------------------- partition

# topo_isolate NODE on|off: the bridge's "isolated" flag on NODE's port:
# isolated ports forward only to ports that are not, so isolating both lb
# nodes partitions them from each other while both still reach the client
# and the backends.
topo_isolate() {
	bridge -n "$(ns_name sw)" link set dev "${TOPO_PORT[$1]}" isolated "$2"
}

# ---------------------------------------------------------------- keepalived

# ka_conf NODE PRIORITY ADVERT_INT [EXTRA_LINES]: a keepalived.conf with the
# same instance as write_conf (VI_1 on eth0, VRID 51, VRRP v3, the VIP).
ka_conf() {
	local d="$KL7_TMP/$1"
	mkdir -p "$d"
	cat >"$d/keepalived.conf" <<EOC
global_defs {
    script_user root
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority $2
    advert_int $3
    version 3
${4:-}
    virtual_ipaddress {
        $TOPO_VIP4/24
    }
}
EOC
}

ka_start() {	# ka_start NODE: keepalived (VRRP only) in the foreground
	daemon_start_raw "ka-$1" "$1" -- keepalived -n -l -P -f "$KL7_TMP/$1/keepalived.conf" \
	    -p "$KL7_TMP/$1/ka.pid" -r "$KL7_TMP/$1/kav.pid"
}

ka_stop() {
	daemon_signal "ka-$1" TERM && daemon_wait_exit "ka-$1" 10
}

# next_advert: return just after the client has seen the next VRRP advert
# (to 224.0.0.18) on the segment, within 5 s.  Failing the master right
# after one of its adverts makes the outage that follows one fixed length
# (3 x advert_int + skew) instead of anything up to advert_int less.
next_advert() {
	ns_exec cl "$KL7_PYTHON" -c '
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
    struct.pack("4s4s", socket.inet_aton("224.0.0.18"), socket.inet_aton(sys.argv[1])))
s.settimeout(5)
s.recv(1500)
' "192.0.2.${TOPO_HOST[cl]}"
}
