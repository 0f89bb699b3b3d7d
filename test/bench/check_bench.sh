#!/bin/bash
# Health-check benchmark: the CPU the check child needs for many HTTP_GET
# checkers.  Not part of `make check`; run by hand, as root, from the source
# tree with a build in build/:
#
#   KL7_TOP_BUILDDIR=$PWD/build bash test/bench/check_bench.sh [WINDOW_S [RUNS [SERVERS]]]
#
# Defaults: a 20 s window, 3 runs, 2000 servers.  Acceptance target: the
# check child uses less than KL7_BENCH_TARGET_PCT (default 15) % of one core.
#
# Set-up, all inside a network namespace made here (removed at the end):
#   - one nginx (one process: master_process off, i.e. one worker;
#     access_log off) answering "GET /health" with 200 on port 80 of every
#     loopback address;
#   - keepalive-l7 -C with one virtual server and SERVERS real servers
#     127.0.1.1 .. (127.0.X.Y, Y in 1..250), port 80, each with an HTTP_GET
#     of /health, delay_loop 1, warmup (so the checks spread over the
#     second), connect_timeout 2, retry 1.
# Each run starts a new daemon, waits until every server has passed a check
# (SIGUSR1 state dump), then over WINDOW_S seconds measures:
#   - the check child's utime+stime (/proc/PID/stat, in CLK_TCK ticks);
#   - the checks done: the growth of the sum of consecutive_ok over all
#     servers (one per passed round), per second;
#   - nginx's utime+stime, for context.
# Output: "# " lines per run, a TAP result against the target, and a last
# line
#   check_bench: 2000 servers, delay_loop 1 s: check child CPU 7.3% of one core (runs: 7.1 7.3 7.9)
# (the median, and each run in order).
#
# KL7_CHECK_HAPROXY=1 (test/bench/run.sh sets it) also measures HAProxy 2.6
# (nbthread 1, one backend with the same SERVERS, "option httpchk" GET
# /health, check inter 1s, fall 2, timeout check 2s, no frontend) in the same
# way, each run right after keepalive-l7's: the CPU of the haproxy process
# over WINDOW_S once nginx sees about SERVERS checks a second, and the rate
# from nginx's request counter (stub_status).  That adds a line before the
# last one:
#   check_bench: haproxy: 2000 servers, inter 1 s: CPU 6.1% of one core (runs: 6.0 6.1)
# It is information, not a test: HAProxy's checks run in its proxy process.
#
# Bounded: each run takes about WINDOW_S + a few seconds (twice that with
# HAProxy), every wait has a timeout, and everything started here is ended
# by pid at exit (also on failure or Ctrl-C).
set -u
# shellcheck source-path=SCRIPTDIR source=../integration/lib.sh
. "$(dirname "$0")/../integration/lib.sh"

WINDOW=${1:-20}
RUNS=${2:-3}
N=${3:-2000}
TARGET=${KL7_BENCH_TARGET_PCT:-15}
NGINX=${KL7_NGINX:-/usr/sbin/nginx}
HAPROXY=${KL7_HAPROXY:-/usr/sbin/haproxy}
WITH_HAP=${KL7_CHECK_HAPROXY:-0}
T=$KL7_TMP

require_root
[ -x "$NGINX" ] || skip_all "no nginx at $NGINX (apt-get install nginx-light)"
[ "$WITH_HAP" != 1 ] || [ -x "$HAPROXY" ] || skip_all "KL7_CHECK_HAPROXY=1 but no haproxy at $HAPROXY"
# The binary may be being rebuilt: wait for it, then run a private copy so
# that a rebuild during the runs changes nothing.
wait_for "${KL7_BIN_WAIT:-120}" test -x "$kl7_bin" ||
    skip_all "no keepalive-l7 binary at $kl7_bin (set KL7_TOP_BUILDDIR)"
kl7_src_bin=$kl7_bin
cp "$kl7_bin" "$KL7_TMP/keepalive-l7" || bail_out "cannot copy $kl7_bin"
kl7_bin=$KL7_TMP/keepalive-l7
case "$WINDOW$RUNS$N" in
*[!0-9]*) echo "usage: $0 [WINDOW_S [RUNS [SERVERS]]] (whole numbers)" >&2; exit 2 ;;
esac
if [ "$N" -lt 1 ] || [ "$N" -gt 62500 ] || [ "$RUNS" -lt 1 ] || [ "$WINDOW" -lt 1 ]; then
	echo "SERVERS: 1 to 62500; RUNS and WINDOW_S: at least 1" >&2
	exit 2
fi
plan 1
TCK=$(getconf CLK_TCK)

netns_add bench || bail_out "cannot create netns"

# ---------------------------------------------------------------- nginx

mkdir -p "$T/ngx/tmp"
cat >"$T/ngx/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
worker_rlimit_nofile 16384;
error_log $T/ngx/error.log warn;
pid $T/ngx/nginx.pid;
events { worker_connections 8192; }
http {
    access_log off;
    default_type text/plain;
    client_body_temp_path $T/ngx/tmp/body;
    proxy_temp_path $T/ngx/tmp/proxy;
    fastcgi_temp_path $T/ngx/tmp/fastcgi;
    uwsgi_temp_path $T/ngx/tmp/uwsgi;
    scgi_temp_path $T/ngx/tmp/scgi;
    server {
        listen 80 backlog=4096;
        location = /health { return 200 "ok\n"; }
        location = /nginx_status { stub_status; }
    }
}
EOF
ip netns exec "$(ns_name bench)" "$NGINX" -e "$T/ngx/error.log" -p "$T/ngx" -c "$T/ngx/nginx.conf" \
    </dev/null >>"$T/ngx/out.log" 2>&1 &
NGX=$!
track_pid "$NGX"
ngx_listening() {
	ns_exec bench ss -Hltn 'sport = :80' | grep -q LISTEN
}
if ! wait_for 10 ngx_listening; then
	diag_file "$T/ngx/error.log"
	bail_out "nginx does not listen within 10 s"
fi

# ---------------------------------------------------------------- config

# Real server I (0-based) is 127.0.(1 + I / 250).(1 + I % 250), port 80.
{
	cat <<EOF
global_defs {
    state_file $T/state.json
}
virtual_server 192.0.2.10 80 {
    delay_loop 1
EOF
	# One awk, not a fork per server: 2000 heredocs take half a minute.
	awk -v n="$N" 'BEGIN {
		for (i = 0; i < n; i++)
			printf "    real_server 127.0.%d.%d 80 {\n" \
			    "        HTTP_GET {\n" \
			    "            url {\n" \
			    "                path /health\n" \
			    "                status_code 200\n" \
			    "            }\n" \
			    "            connect_timeout 2\n" \
			    "            retry 1\n" \
			    "            delay_before_retry 1\n" \
			    "            warmup\n" \
			    "        }\n" \
			    "    }\n", 1 + int(i / 250), 1 + i % 250
		print "}"
	}'
} >"$T/k.conf"

# HAProxy's equivalent: the same servers in one backend, checked the same
# way; the frontend only exists because HAProxy refuses to start without a
# listener (nothing connects to it).
if [ "$WITH_HAP" = 1 ]; then
	{
		cat <<EOF
global
    nbthread 1
    pidfile $T/haproxy.pid
defaults
    mode http
    timeout connect 2s
    timeout check 2s
    timeout client 30s
    timeout server 30s
frontend fe
    bind 127.0.0.1:8099
    default_backend be
backend be
    option httpchk
    http-check send meth GET uri /health
    http-check expect status 200
    default-server check inter 1s fall 2 rise 1
EOF
		awk -v n="$N" 'BEGIN {
			for (i = 0; i < n; i++)
				printf "    server s%d 127.0.%d.%d:80\n", i + 1, 1 + int(i / 250), 1 + i % 250
		}'
	} >"$T/haproxy.cfg"
	"$HAPROXY" -c -q -f "$T/haproxy.cfg" >"$T/haproxy-c.log" 2>&1 ||
		{ diag_file "$T/haproxy-c.log"; bail_out "haproxy -c refused the config"; }
fi

# ---------------------------------------------------------------- helpers

# cpu_ticks PID: utime + stime of PID (fields 14 and 15 of /proc/PID/stat).
cpu_ticks() {
	local f
	_kl7_stat "$1" || return 1
	read -r -a f <<<"$_kl7_st"
	echo $((f[11] + f[12]))
}
cpu_split() {	# cpu_split PID: "utime stime"
	local f
	_kl7_stat "$1" || return 1
	read -r -a f <<<"$_kl7_st"
	echo "${f[11]} ${f[12]}"
}

# dump NAME: a fresh state dump of daemon NAME in $T/state.json; DUMP_MS
# is when it was asked for.
DUMP_MS=0
dump() {
	rm -f "$T/state.json"
	clock_ms
	DUMP_MS=$KL7_NOW
	daemon_signal "$1" USR1 >/dev/null || return 1
	wait_for 10 test -s "$T/state.json"
}
# stats: "SERVERS UP CHECKED SUM_OK SUM_FAIL" from the last dump.
stats() {
	"$KL7_PYTHON" - "$T/state.json" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
s = j["servers"]
print(len(s), sum(x["health"] == "up" for x in s), sum(x["consecutive_ok"] > 0 for x in s),
      sum(x["consecutive_ok"] for x in s), sum(x["consecutive_fail"] for x in s))
EOF
}
all_checked() {	# all_checked NAME: every server has passed a check
	local n up checked rest
	dump "$1" || return 1
	read -r n up checked rest <<<"$(stats)"
	[ "$n" = "$N" ] && [ "$checked" = "$N" ]
}
pct() {	# pct TICKS SECONDS(ms): percent of one core, one decimal
	awk -v t="$1" -v hz="$TCK" -v ms="$2" 'BEGIN { printf "%.1f", 100 * t / hz / (ms / 1000) }'
}
# ngx_requests: nginx's request counter (stub_status; this request counts)
ngx_requests() {
	ns_exec bench curl -s --max-time 5 http://127.0.0.1/nginx_status | awk 'NR == 3 { print $3 }'
}
per_s() {	# per_s COUNT MS: a rate per second, no decimals
	awk -v d="$1" -v ms="$2" 'BEGIN { printf "%.0f", d / (ms / 1000) }'
}
# hap_checking: nginx sees at least 90 % of SERVERS requests in one second
hap_checking() {
	local q0 q1
	q0=$(ngx_requests) || return 1
	sleep 1
	q1=$(ngx_requests) || return 1
	[ -n "$q0" ] && [ -n "$q1" ] && [ $((q1 - q0)) -ge $((N * 9 / 10)) ]
}
# hap_run R: HAProxy's checks for run R, measured like the daemon's
hap_results=()
hap_run() {
	local r=$1 hpid c0 c1 n0 n1 q0 q1 t0 t1 ms cpu
	ip netns exec "$(ns_name bench)" "$HAPROXY" -db -f "$T/haproxy.cfg" </dev/null >"$T/haproxy-$r.log" 2>&1 &
	hpid=$!
	track_pid "$hpid"
	if ! wait_for 30 hap_checking; then
		diag_file "$T/haproxy-$r.log" 10
		bail_out "haproxy run $r: nginx does not see ~$N checks a second within 30 s"
	fi
	c0=$(cpu_ticks "$hpid") n0=$(cpu_ticks "$NGX") q0=$(ngx_requests)
	clock_ms
	t0=$KL7_NOW
	# The measurement window itself (not a wait for a condition).
	sleep "$WINDOW"
	c1=$(cpu_ticks "$hpid") n1=$(cpu_ticks "$NGX") q1=$(ngx_requests)
	clock_ms
	t1=$KL7_NOW
	ms=$((t1 - t0))
	cpu=$(pct $((c1 - c0)) "$ms")
	diag "haproxy run $r: $(per_s $((q1 - q0)) "$ms") requests/s at nginx (expected $N)," \
	    "haproxy CPU $cpu% of one core, nginx $(pct $((n1 - n0)) "$ms")%; window $ms ms"
	hap_results+=("$cpu")
	kill -TERM "$hpid" 2>/dev/null
	for _ in $(seq 1 50); do pid_alive "$hpid" || break; sleep 0.1; done
	pid_alive "$hpid" && { diag "haproxy run $r: did not stop within 5 s: SIGKILL"; kill -KILL "$hpid"; }
	wait "$hpid" 2>/dev/null
}

# ---------------------------------------------------------------- runs

results=()
diag "check_bench: $N servers, HTTP_GET, delay_loop 1 s, window ${WINDOW} s, $RUNS run(s), CLK_TCK $TCK"
diag "binary: $kl7_src_bin ($(stat -c %y "$kl7_src_bin" | cut -d. -f1)), run from a copy"
for ((r = 1; r <= RUNS; r++)); do
	name=kl7-$r
	log=$(daemon_log "$name")
	clock_ms
	ts=$KL7_NOW
	daemon_start "$name" -N bench -- -C -f "$T/k.conf" -p "$T/kl7-$r.pid"
	if ! wait_for 30 log_has "$log" "all children ready"; then
		diag_file "$log"
		bail_out "run $r: the daemon is not ready within 30 s"
	fi
	clock_ms
	tr=$KL7_NOW
	pid=$(daemon_pid "$name")
	chk=$(kl7_child_pid "$pid" kl7-check | head -n 1)
	[ -n "$chk" ] || bail_out "run $r: no kl7-check child"
	track_pid "$chk"
	if ! wait_for 30 all_checked "$name"; then
		diag "run $r: servers, up, checked: $(stats)"
		diag_file "$log" 10
		bail_out "run $r: not every server passed a check within 30 s"
	fi
	clock_ms
	diag "run $r: ready after $((tr - ts)) ms, every server checked after $((KL7_NOW - ts)) ms"
	# Checks done: between two dumps, timed from the SIGUSR1 of each.
	dump "$name" || bail_out "run $r: no state dump"
	d0=$DUMP_MS
	read -r _ _ _ ok0 _ <<<"$(stats)"
	c0=$(cpu_ticks "$chk") n0=$(cpu_ticks "$NGX") s0=$(cpu_split "$chk") q0=$(ngx_requests)
	clock_ms
	t0=$KL7_NOW
	# The measurement window itself (not a wait for a condition).
	sleep "$WINDOW"
	c1=$(cpu_ticks "$chk") n1=$(cpu_ticks "$NGX") s1=$(cpu_split "$chk") q1=$(ngx_requests)
	clock_ms
	t1=$KL7_NOW
	dump "$name" || bail_out "run $r: no state dump"
	d1=$DUMP_MS
	read -r _ up _ ok1 fails <<<"$(stats)"
	ms=$((t1 - t0))
	read -r u0 y0 <<<"$s0"
	read -r u1 y1 <<<"$s1"
	cpu=$(pct $((c1 - c0)) "$ms")
	rate=$(awk -v d="$((ok1 - ok0))" -v ms="$((d1 - d0))" 'BEGIN { printf "%.0f", d / (ms / 1000) }')
	diag "run $r: $rate checks/s (expected $N), check child CPU $cpu% of one core" \
	    "(user $(pct $((u1 - u0)) "$ms")%, sys $(pct $((y1 - y0)) "$ms")%)," \
	    "nginx $(pct $((n1 - n0)) "$ms")% ($(per_s $((q1 - q0)) "$ms") requests/s); servers up at the end: $up/$N," \
	    "consecutive_fail total: $fails; window $ms ms"
	results+=("$cpu")
	daemon_signal "$name" TERM >/dev/null
	daemon_wait_exit "$name" 10 || diag "run $r: the daemon did not stop within 10 s"
	n=$(log_count "$log" 'AddressSanitizer|runtime error:')
	[ "$n" = 0 ] || diag "run $r: $n sanitizer report line(s) in $log"
	[ "$WITH_HAP" = 1 ] && hap_run "$r"
done

read -r mn med mx <<<"$(printf '%s\n' "${results[@]}" | sort -n | awk '
	{ v[NR] = $1 } END { printf "%s %s %s\n", v[1], v[int((NR + 1) / 2)], v[NR] }')"
diag "check child CPU % of one core: min $mn, median $med, max $mx"
awk -v m="$med" -v t="$TARGET" 'BEGIN { exit !(m < t) }'
ok $? "check child CPU for $N servers at delay_loop 1 s: median $med% < $TARGET% of one core"
done_testing
if [ "$WITH_HAP" = 1 ]; then
	hmed=$(printf '%s\n' "${hap_results[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	echo "check_bench: haproxy: $N servers, inter 1 s: CPU $hmed% of one core (runs: ${hap_results[*]})"
fi
echo "check_bench: $N servers, delay_loop 1 s: check child CPU $med% of one core (runs: ${results[*]})"
