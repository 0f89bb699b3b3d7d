#!/bin/bash
# Hitless reload under load.  A pair (lb1 master, priority 250; lb2 backup,
# 200; VRRP v3, advert_int 0.1) in front of four echo backends; wrk in the
# client sends keep-alive GETs of /, /api/x and /v2/x through the VIP while
# lb1 is reloaded 20 times, by SIGHUP and by `keepalive-l7ctl reload` in
# turn, between two configurations:
#
#   A  pool web = b1 b2;     http_route api: path_prefix /api/ -> pool api (b3)
#   B  pool web = b1 b2 b4;  http_route api: path_prefix /v2/  -> pool api (b3)
#
# so each reload adds or removes a server and changes a route.  After the
# tenth, a broken file is reloaded both ways: refused, with FILE:LINE in
# the ctl reply and in the log, and nothing changes (same l7 child, same
# configuration hash, still serving).  Checks: wrk saw no socket error and
# only 2xx responses; lb1 never left MASTER and lb2 never became MASTER;
# every reload replaced the l7 child and the old one left after its drain;
# each configuration routes as written right after its reload; the added
# server b4 served under B and gets nothing once the last reload (to A)
# removed it.
#
# Run by hand (as root), from the source tree with a build in build/:
#   KL7_TOP_BUILDDIR=$PWD/build bash test/integration/t_reload.sh
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

require_root
command -v wrk >/dev/null || skip_all "wrk is not installed"
command -v curl >/dev/null || skip_all "curl is not installed"

RELOADS=20
VIP=$TOPO_VIP4
CTL_BIN="$KL7_TOP_BUILDDIR/keepalive-l7/keepalive-l7ctl"
TOPO_KL7_OPTS=""	# all children

topo_up lb1 lb2 cl srv || bail_out "could not build the topology"
for b in b1 b2 b3 b4; do
	backend_start "$b" || bail_out "backend $b did not start"
done

# ---------------------------------------------------------------- configs

real_server() {	# real_server bN POOL
	printf '%s\n' "    real_server $(backend_addr "$1") $TOPO_BACKEND_PORT {" \
	    "        pool $2" "        TCP_CHECK {" "            connect_timeout 0.5" \
	    "        }" "    }"
}

# vs_conf A|B|broken: the virtual server of that configuration.
vs_conf() {
	local prefix=/api/ b
	[ "$1" != B ] || prefix=/v2/
	printf '%s\n' "virtual_server $VIP 80 {" "    lb_kind L7" "    lb_algo rr" \
	    "    delay_loop 0.5" "    timeout_connect 0.5s" "    retries 3" \
	    "    http_route api {" "        path_prefix $prefix" "        pool api" "    }" \
	    "    default_pool web"
	[ "$1" != broken ] || echo "    lb_algo no_such_scheduler"
	for b in b1 b2; do real_server "$b" web; done
	[ "$1" != B ] || real_server b4 web
	real_server b3 api
	echo "}"
}

# node_conf NODE PRIORITY A|B|broken
node_conf() {
	local d="$KL7_TMP/$1"
	mkdir -p "$d"
	[ -e "$d/notify.sh" ] || {
		printf '#!/bin/sh\necho "$*" >>%s/notify.log\n' "$d" >"$d/notify.sh"
		chmod 755 "$d/notify.sh"
		: >"$d/notify.log"
	}
	TOPO_TOP=$(vs_conf "$3") write_conf "$1" "$2" 0.1 3 "    notify $d/notify.sh"
}

ctl() { "$CTL_BIN" -s "$KL7_TMP/lb1/pid.sock" "$@"; }
l7_pid() { kl7_child_pid "$(daemon_pid lb1)" kl7-l7; }
conf_sha() { sha256sum "$KL7_TMP/lb1/k.conf" | awk '{ print $1 }'; }
running_sha() {
	ctl -j status >"$KL7_TMP/status.json" &&
	    json_get "$KL7_TMP/status.json" 'j["result"]["config_sha256"]'
}

# served_by PATH: the backend curl's GET of PATH through the VIP reached.
served_by() {
	ip netns exec "$(ns_name cl)" curl -s -m 2 -o /dev/null -D - "http://$VIP$1" |
	    tr -d '\r' | awk -F': ' 'tolower($1) == "x-backend" { print $2 }'
}
routes_as() {	# routes_as A|B: /api/x and /v2/x go where that config says
	local to_api=/api/x to_web=/v2/x
	[ "$1" != B ] || { to_api=/v2/x to_web=/api/x; }
	[ "$(served_by $to_api)" = b3 ] && [ "$(served_by $to_web)" != b3 ]
}

# ---------------------------------------------------------------- the pair

node_conf lb1 250 A
node_conf lb2 200 A
start_node lb1 && wait_for 10 has_addr lb1 "$VIP" || bail_out "lb1 did not become master"
start_node lb2 && wait_for 10 only_master lb1 lb2 || bail_out "lb2 did not start as backup"
wait_for 10 routes_as A || bail_out "the VIP does not serve configuration A"

# ---------------------------------------------------------------- load

cat >"$KL7_TMP/paths.lua" <<EOF
-- Cycle through three paths; count every response that is not 2xx.
dofile("$_kl7_lib_dir/wrk_count.lua")
paths = { "/", "/api/x", "/v2/x" }
n = 0
function request()
	n = n % #paths + 1
	return wrk.format("GET", paths[n])
end
EOF
WRK_OUT=$KL7_TMP/wrk.out
# Bounded by 120 s; stopped by SIGINT (wrk prints its summary) once the
# reloads are done.
ip netns exec "$(ns_name cl)" wrk -t1 -c16 -d120s --timeout 2s -s "$KL7_TMP/paths.lua" \
    "http://$VIP/" </dev/null >"$WRK_OUT" 2>&1 &
WRK_PID=$!
track_pid "$WRK_PID"
wait_for 5 backend_served_gt b1 / 20 || bail_out "wrk sent nothing"

# ---------------------------------------------------------------- reloads

LOG=$(daemon_log lb1)

# reload_by HOW: reload lb1 by SIGHUP or ctl; the ctl reply in reload.out.
reload_by() {
	if [ "$1" = ctl ]; then
		ctl reload >"$KL7_TMP/reload.out" 2>&1
	else
		daemon_signal lb1 HUP
	fi
}

# reload_to CONF HOW: one reload; true once the new l7 child serves the
# configuration and the old one has left.  Sets DRAIN_MS.
reload_to() {
	local old n t0
	old=$(l7_pid) || return 1
	n=$(log_count "$LOG" "all children ready")
	node_conf lb1 250 "$1"
	t0=$(now_ms)
	reload_by "$2" || { diag "reload by $2: $(cat "$KL7_TMP/reload.out")"; return 1; }
	wait_for 15 log_count_gt "$LOG" "all children ready" "$n" || return 1
	wait_for 15 pid_dead "$old" || return 1
	DRAIN_MS=$(($(now_ms) - t0))
	wait_for 5 routes_as "$1"
}

ok_reloads=0 drains=""
B_SERVED=0
for i in $(seq 1 "$RELOADS"); do
	conf=B how=hup
	[ $((i % 2)) = 1 ] || conf=A
	[ $((i % 4)) -lt 2 ] || how=ctl
	if reload_to "$conf" "$how"; then
		ok_reloads=$((ok_reloads + 1))
		drains="$drains $DRAIN_MS"
	else
		diag "reload $i (to $conf, by $how) did not complete"
	fi
	if [ "$conf" = B ]; then
		# Under B, b4 takes its turn in pool web.
		n=$(backend_served b4 /)
		wait_for 5 backend_served_gt b4 / "$n" && B_SERVED=$((B_SERVED + 1))
	fi
	[ "$i" != $((RELOADS / 2)) ] || {
		# ---------------------------------------------------- a broken file
		l7=$(l7_pid) sha=$(running_sha)
		node_conf lb1 250 broken
		line=$(grep -n no_such_scheduler "$KL7_TMP/lb1/k.conf" | cut -d: -f1)
		ctl reload >"$KL7_TMP/broken.out" 2>&1
		check "a broken file: keepalive-l7ctl reload exits 1" test $? = 1
		check "... and names the error as FILE:LINE (k.conf:$line)" \
		    grep -q "k.conf:$line:" "$KL7_TMP/broken.out"
		n=$(log_count "$LOG" "reload failed")
		e=$(log_count "$LOG" "k.conf:$line:")
		daemon_signal lb1 HUP
		check "a broken file by SIGHUP: 'reload failed' logged" \
		    wait_for 10 log_count_gt "$LOG" "reload failed" "$n"
		check "... with the error as FILE:LINE" log_count_gt "$LOG" "k.conf:$line:" "$e"
		check "... the same l7 child serves" test "$(l7_pid)" = "$l7"
		check "... the running configuration's hash is unchanged" test "$(running_sha)" = "$sha"
		check "... it still routes as before" routes_as "$conf"
	}
done
check "$RELOADS reloads under load, each with a new l7 child and the old one gone (${drains# } ms)" \
    test "$ok_reloads" = "$RELOADS"
check "the server added by B (b4) served after each of the $((RELOADS / 2)) reloads to B" \
    test "$B_SERVED" = $((RELOADS / 2))

# The last reload (to A) removed b4: a spread of requests skips it.
n=$(backend_served b4 /)
m=$(backend_served b1 /)
wait_for 10 backend_served_gt b1 / $((m + 100))
check "removed from the configuration, b4 gets no request" test "$(backend_served b4 /)" = "$n"

# ---------------------------------------------------------------- results

kill -INT "$WRK_PID"
wait_for 10 pid_dead "$WRK_PID"
diag_file "$WRK_OUT" 20
reqs=$(awk '/requests in/ { print $1 }' "$WRK_OUT")
check "wrk finished and served requests (${reqs:-none})" test "${reqs:-0}" -gt 1000
check "wrk: no socket error (connect, read, write or timeout)" \
    bash -c "! grep -q 'Socket errors' '$WRK_OUT'"
check "wrk: no response outside 2xx" grep -q "lua: responses [0-9]*, not 2xx 0$" "$WRK_OUT"
check "lb1 never left MASTER" bash -c "! grep -q 'MASTER ->' '$LOG'"
check "lb1's notify ran for MASTER once" test "$(grep -c ' MASTER ' "$KL7_TMP/lb1/notify.log")" = 1
check "lb2 never became MASTER" bash -c "! grep -q 'MASTER' '$KL7_TMP/lb2/notify.log'"
check "lb1 holds the VIP, lb2 does not" only_master lb1 lb2

done_testing
