#!/bin/bash
# Faults under load (issue #10).  A pair (lb1 master, priority 250; lb2
# backup, 200; VRRP v3, advert_int 0.1) with all children, in front of
# three echo backends (topo.sh); a client sends load through the VIP:
#
#   l7      kill -9 of lb1's l7 child under http_load.py (a GET every 10 ms,
#           each on a new connection): a new l7 child serves within 1 s,
#           no connect is refused (the parent holds the listeners); the
#           requests the killed child had in flight may fail: counted
#   check   kill -9 of lb1's check child: restarted, no failed request,
#           the VIP never leaves lb1 (lb2 never MASTER)
#   vrrp    kill -9 of lb1's vrrp child: the same
#   backend b1 killed under wrk (16 keep-alive connections, GETs of
#           /slow/50 so that b1 has requests in flight when it dies): no
#           failed request, those in flight are sent again elsewhere
#   cut     lb1's switch port goes down under wrk (16 keep-alive
#           connections) and http_load.py together: lb2 takes the VIP and
#           serves within the VRRP bound (3 x advert_int + skew + 100 ms,
#           the gap http_load.py sees), wrk goes on through lb2 (its
#           connections to lb1 break: reconnects, counted), and no answer
#           is outside 2xx.  t_ha.sh compares the same cut with keepalived.
#
# Run by hand (as root), from the source tree with a build in build/:
#   KL7_TOP_BUILDDIR=$PWD/build bash test/integration/t_faults.sh
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

require_root
command -v wrk >/dev/null || skip_all "wrk is not installed"

VIP=$TOPO_VIP4
TOPO_KL7_OPTS=""	# all children
t_start=$(now_ms)

topo_up lb1 lb2 cl srv || bail_out "could not build the topology"
for b in b1 b2 b3; do
	backend_start "$b" || bail_out "backend $b did not start"
done

# ---------------------------------------------------------------- the pair

kl7_vs() {
	local b
	printf '%s\n' "virtual_server $VIP 80 {" "    lb_kind L7" "    lb_algo rr" \
	    "    delay_loop 0.5" "    timeout_connect 0.5s" "    retries 3"
	for b in b1 b2 b3; do
		printf '%s\n' "    real_server $(backend_addr "$b") $TOPO_BACKEND_PORT {" \
		    "        HTTP_GET {" "            url {" "                path /healthz" \
		    "                status_code 200" "            }" "            connect_timeout 0.5" \
		    "            retry 0" "        }" "    }"
	done
	echo "}"
}
node_conf() {	# node_conf NODE PRIORITY
	local d="$KL7_TMP/$1"
	mkdir -p "$d"
	printf '#!/bin/sh\necho "$*" >>%s/notify.log\n' "$d" >"$d/notify.sh"
	chmod 755 "$d/notify.sh"
	: >"$d/notify.log"
	TOPO_TOP=$(kl7_vs) write_conf "$1" "$2" 0.1 3 "    notify $d/notify.sh"
}
node_conf lb1 250
node_conf lb2 200
start_node lb1 && wait_for 10 has_addr lb1 "$VIP" || bail_out "lb1 did not become master"
start_node lb2 && wait_for 10 only_master lb1 lb2 || bail_out "lb2 did not start as backup"
LB1=$(daemon_pid lb1)
LOG1=$(daemon_log lb1)

# ---------------------------------------------------------------- helpers

# refused NAME SINCE_MS: requests of load NAME refused (ECONNREFUSED) that
# ended at or after SINCE_MS.
refused() {
	awk -v t="$(($2 / 1000)).$(printf %03d $(($2 % 1000)))" \
	    '$2 >= t && $3 == "fail" && $4 ~ /ECONNREFUSED/' "$KL7_TMP/load-$1.log" | wc -l
}
# vip_stays: lb1 holds the VIP, lb2 does not, and lb2 never ran its notify
# for MASTER: the condition of every child kill.
vip_stays() {
	only_master lb1 lb2 && ! grep -q ' MASTER ' "$KL7_TMP/lb2/notify.log"
}

# kill_child COMM: kill -9 lb1's child COMM under load, wait until the
# parent has started a new one; sets OLD, NEW, SINCE (epoch ms), NEW_MS
# (the time from the kill until the new child is there), VIP_HELD (1: the
# VIP stayed on lb1, never deleted there, lb2 never MASTER) and the load
# figures GAP_MS FAILED OK REFUSED from the kill on.
kill_child() {
	local name=$1 r
	load_start "$name" || return 1
	load_mark "$name"
	wait_for 5 load_more_ok "$name" 50 || return 1
	OLD=$(kl7_child_pid "$LB1" "$1") || return 1
	# Every address change on lb1 meanwhile (a VIP deleted and re-added
	# would not show in the polls below); bounded by 15 s.
	timeout 15 ip -n "$(ns_name lb1)" monitor address >"$KL7_TMP/addr-$name.log" 2>&1 &
	mon=$!
	track_pid "$mon"
	clock_ms
	SINCE=$KL7_NOW
	kill -KILL "$OLD"
	NEW=""
	if wait_for 3 kl7_child_pid "$LB1" "$1" "$OLD"; then
		NEW_MS=$(($(now_ms) - SINCE))
		NEW=$(kl7_child_pid "$LB1" "$1" "$OLD")
	fi
	# Two seconds of the load after the kill, the VIP watched all along.
	VIP_HELD=0
	holds_for 2 vip_stays && VIP_HELD=1
	kill "$mon" 2>/dev/null
	wait "$mon" 2>/dev/null
	grep -q "Deleted.* $VIP/" "$KL7_TMP/addr-$name.log" && VIP_HELD=0
	load_mark "$name"
	wait_for 5 load_more_ok "$name" 30
	load_stop "$name"
	read -r GAP_MS FAILED OK < <(load_report "$name" "$SINCE")
	REFUSED=$(refused "$name" "$SINCE")
	diag "kill -9 $1: new child after ${NEW_MS:-?} ms; from the kill on: gap $GAP_MS ms," \
	    "$FAILED failed ($REFUSED refused), $OK succeeded"
	grep ' fail ' "$KL7_TMP/load-$name.log" | head -n 5 | while read -r l; do diag "  $l"; done
	return 0
}

# ================================================================ l7 child

kill_child kl7-l7 || diag "the l7 kill scenario did not run to its end"
check "kill -9 l7 child: the parent starts a new one (pid $OLD -> ${NEW:-none})" test -n "$NEW"
check "kill -9 l7 child: clients are served again within 1 s (longest gap $GAP_MS ms)" \
    test "$GAP_MS" -le 1000
check "kill -9 l7 child: no connection refused ($REFUSED; $FAILED in flight failed)" test "$REFUSED" = 0
check "kill -9 l7 child: the VIP stays on lb1" test "$VIP_HELD" = 1

# ================================================================ check child

kill_child kl7-check || diag "the check kill scenario did not run to its end"
check "kill -9 check child: the parent starts a new one (pid $OLD -> ${NEW:-none}, ${NEW_MS:-?} ms)" test -n "$NEW"
check "kill -9 check child: no failed request ($FAILED)" test "$FAILED" = 0
check "kill -9 check child: the VIP stays on lb1, lb2 never MASTER" test "$VIP_HELD" = 1
log_has "$LOG1" "real server .* down" && diag "$(grep 'real server .* down' "$LOG1")"
check "kill -9 check child: no server is taken down" bash -c "! grep -q 'real server .* down' '$LOG1'"

# ================================================================ vrrp child

kill_child kl7-vrrp || diag "the vrrp kill scenario did not run to its end"
check "kill -9 vrrp child: the parent starts a new one (pid $OLD -> ${NEW:-none}, ${NEW_MS:-?} ms)" test -n "$NEW"
check "kill -9 vrrp child: no failed request ($FAILED)" test "$FAILED" = 0
check "kill -9 vrrp child: the VIP stays on lb1, lb2 never MASTER" test "$VIP_HELD" = 1
check "kill -9 vrrp child: lb1 never left MASTER" bash -c "! grep -q 'MASTER ->' '$LOG1'"
check "kill -9 vrrp child: the new one resumes as MASTER" log_has "$LOG1" "VI_1: resuming as MASTER"

# ================================================================ a backend

WRK_OUT=$KL7_TMP/wrk.out
# Bounded by 20 s; stopped by SIGINT (wrk prints its summary) once done.
ip netns exec "$(ns_name cl)" wrk -t1 -c16 -d20s --timeout 2s -s "$_kl7_lib_dir/wrk_count.lua" \
    "http://$VIP/slow/50" </dev/null >"$WRK_OUT" 2>&1 &
WRK_PID=$!
track_pid "$WRK_PID"
wait_for 5 backend_served_gt b1 /slow/50 20 || diag "wrk sent nothing to b1"
inflight() { ns_exec srv ss -Htn state established "sport = :$TOPO_BACKEND_PORT and src $(backend_addr b1)" | grep -c .; }
n_in=$(inflight)
backend_kill b1
diag "b1 killed with $n_in connections open to it"
n=$(backend_served b2 /slow/50)
wait_for 10 backend_served_gt b2 /slow/50 $((n + 200))
kill -INT "$WRK_PID"
wait_for 10 pid_dead "$WRK_PID"
diag_file "$WRK_OUT" 12
reqs=$(awk '/requests in/ { print $1 }' "$WRK_OUT")
check "a backend killed under wrk: wrk served requests (${reqs:-none})" test "${reqs:-0}" -gt 200
check "... no socket error (connect, read, write or timeout)" bash -c "! grep -q 'Socket errors' '$WRK_OUT'"
check "... no response outside 2xx (the GETs b1 had in flight went elsewhere)" \
    grep -q "lua: responses [0-9]*, not 2xx 0$" "$WRK_OUT"

# ================================================================ link cut

# cut_bound: 3 x advert_int (0.1 s) + lb2's skew (priority 200) + 100 ms.
CUT_BOUND=$((3 * 100 + (256 - 200) * 100 / 256 + 100))
served_cut() { echo $(($(backend_served b2 /cutwrk) + $(backend_served b3 /cutwrk))); }
served_cut_gt() { [ "$(served_cut)" -gt "$1" ]; }
CUT_OUT=$KL7_TMP/wrk-cut.out
load_start kl7-cut || diag "http_load.py did not start"
ip netns exec "$(ns_name cl)" wrk -t1 -c16 -d20s --timeout 1s -s "$_kl7_lib_dir/wrk_count.lua" \
    "http://$VIP/cutwrk" </dev/null >"$CUT_OUT" 2>&1 &
WRK_PID=$!
track_pid "$WRK_PID"
wait_for 5 served_cut_gt 200 || diag "wrk sent nothing through lb1"
next_advert || diag "no advert seen before the cut"
clock_ms
SINCE=$KL7_NOW
topo_port lb1 down
wait_for 10 has_addr lb2 "$VIP"
TAKEN_MS=$(($(now_ms) - SINCE))
n=$(served_cut)
wait_for 10 served_cut_gt $((n + 500))
ok $? "link cut under wrk: wrk goes on through lb2 (500 more answers after lb2 took the VIP)"
load_mark kl7-cut
wait_for 5 load_more_ok kl7-cut 30
load_stop kl7-cut
kill -INT "$WRK_PID"
wait_for 10 pid_dead "$WRK_PID"
diag_file "$CUT_OUT" 12
read -r GAP_MS FAILED OK < <(load_report kl7-cut "$SINCE")
diag "link cut: lb2 had the VIP after $TAKEN_MS ms; http_load.py from the cut on: gap $GAP_MS ms," \
    "$FAILED failed, $OK succeeded"
check "link cut: clients are served through lb2 within $CUT_BOUND ms (gap $GAP_MS ms)" \
    test "$GAP_MS" -le "$CUT_BOUND"
check "... wrk's answers are all 2xx (the broken connections are socket errors, not answers)" \
    grep -q "lua: responses [0-9]*, not 2xx 0$" "$CUT_OUT"
topo_port lb1 up

# ================================================================ end

for n in lb1 lb2; do
	check "$n: no sanitizer report in the log" \
	    test "$(log_count "$(daemon_log $n)" 'AddressSanitizer|LeakSanitizer|runtime error:')" = 0
done
stop_node lb2
stop_node lb1
check "lb1 stops with status 0" test "${DAEMON_STATUS:-x}" = 0

clock_ms
diag "t_faults: $((KL7_NOW - t_start)) ms"
[ "$_tap_failed" -eq 0 ] || diag_file "$LOG1" 40
done_testing
