#!/bin/bash
# Per-server queues and slow start through the forwarder, with real
# backends (echo_backend.py: /slow/MS answers after MS ms and reports in
# X-Inflight how many /slow requests its backend held at once).
#
#   :80  rr, a and b with maxconn 2: a burst of 12 slow requests never puts
#        more than 2 in flight on a server, the excess waits (seen in the
#        queued gauge of show stats) and then succeeds, in later waves.
#   :81  one server with maxconn 1 and timeout_queue 300ms: the requests
#        behind a slow one get 503 after about timeout_queue; counted in
#        queue_timeouts.
#   :82  maxconn 1, timeout_queue 10s: a client that gives up while it
#        waits leaves the queue at once, and its request never reaches the
#        server; the next request after the slow one is served.
#   :84  lb_kind NAT, one TCP echo server with maxconn 1: a second
#        connection waits while the first is open, and goes through when
#        it closes.
#   :83  wrr, c and d of weight 1, d with slowstart 6s and a MISC_CHECK on
#        a flag file: d up at start takes its half at once; after the
#        checker takes it down and up again, its share right after is well
#        below its share once the ramp is over.
#
#   lb  d0 (dummy) 192.0.2.1/24 (VS), 198.51.100.2/24 (backends a b c d e,
#       f: TCP echo)
#
# Run by hand (as root), from the source tree with a build in build/:
#   KL7_TOP_BUILDDIR=$PWD/build bash test/integration/t_queue.sh
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
command -v ss >/dev/null || skip_all "no ss (iproute2)"

T=$KL7_TMP
VIP=192.0.2.1
S=198.51.100.2
CTL_BIN="$KL7_TOP_BUILDDIR/keepalive-l7/keepalive-l7ctl"
CLIENT="$(dirname "$0")/queue_client.py"

lb_ns $VIP/24 $S/24
lb_backends "$T/backend.log" 8201 8202 8203 8204 8205 8206 -- \
    -l $S:8201:a -l $S:8202:b -l $S:8203:c -l $S:8204:d -l $S:8205:e -t $S:8206:f

cat >"$T/up.sh" <<'EOF2'
#!/bin/sh
# Up unless the flag file exists.
test ! -e "$1"
EOF2
chmod 755 "$T/up.sh"

cat >"$T/k.conf" <<EOF
virtual_server $VIP 80 {
    lb_kind L7
    lb_algo rr
    timeout_queue 10s
    real_server $S 8201 { maxconn 2 }
    real_server $S 8202 { maxconn 2 }
}
virtual_server $VIP 81 {
    lb_kind L7
    timeout_queue 300ms
    real_server $S 8205 { maxconn 1 }
}
virtual_server $VIP 82 {
    lb_kind L7
    timeout_queue 10s
    real_server $S 8205 { maxconn 1 }
}
virtual_server $VIP 84 {
    lb_kind NAT
    timeout_queue 10s
    real_server $S 8206 { maxconn 1 }
}
virtual_server $VIP 83 {
    lb_kind L7
    lb_algo wrr
    delay_loop 0.1
    real_server $S 8203 { }
    real_server $S 8204 {
        slowstart 6s
        MISC_CHECK {
            misc_path $T/up.sh $T/d.down
            misc_timeout 2
        }
    }
}
EOF
kl7_up "$T/k.conf"

ctl() { "$CTL_BIN" -s "$T/pid.sock" "$@"; }
ctlj() {
	local expr=$1
	shift
	ctl -j "$@" >"$T/reply.json" 2>"$T/reply.err"
	json_get "$T/reply.json" "$expr"
}
client() { ns_exec lb "$KL7_PYTHON" "$CLIENT" "$@"; }
is() { [ "$1" = "$2" ]; }
# vs_stat PORT FIELD: a show stats field of virtual server VIP:PORT.
vs_stat() {
	ctlj "[v['$2'] for v in j['result']['virtual_servers'] if v['virtual_server'] == '$VIP:$1'][0]" \
	    show stats
}
queued_at_least() { [ "$(vs_stat "$1" queued)" -ge "$2" ]; }
queued_is() { [ "$(vs_stat "$1" queued)" = "$2" ]; }
health_of() {	# health_of RS-PORT
	ctlj "[s['health'] for s in j['result']['servers'] if s['real_server'] == '$S:$1'][0]" \
	    show servers "$VIP:83"
}
health_is() { [ "$(health_of "$1")" = "$2" ]; }
# Over the client's lines: STATUS BACKEND INFLIGHT START_MS END_MS.
count_status() { awk -v s="$2" '$1 == s' "$1" | wc -l; }
peak_inflight() { awk -v b="$2" '$2 == b && $3 + 0 > m { m = $3 + 0 } END { print m + 0 }' "$1"; }
longest_ms() { awk -v s="$2" '$1 == s && $5 - $4 > m { m = $5 - $4 } END { print m + 0 }' "$1"; }
shortest_ms() {
	awk -v s="$2" '$1 == s && (m == "" || $5 - $4 < m) { m = $5 - $4 } END { print m + 0 }' "$1"
}
between() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
since_at_least() { [ $(($(now_ms) - $1)) -ge "$2" ]; }

# ---------------------------------------------------------------- maxconn, waiting

# 12 requests of 400 ms on 2 x maxconn 2: three waves of 4, at least
# 800 ms for the last; no server ever holds more than 2.
client burst --host $VIP --port 80 --path /slow/400 -n 12 >"$T/burst80.out" 2>&1 &
BURST=$!
track_pid "$BURST"
check "excess requests wait: show stats counts them queued" wait_for 5 queued_at_least 80 1
wait "$BURST"
diag "burst :80 (status backend inflight start end): $(sort -k5n "$T/burst80.out" | tr '\n' ';')"
check "every request of the burst is answered 200" is "$(count_status "$T/burst80.out" 200)" 12
check "server a never has more than maxconn 2 in flight" between "$(peak_inflight "$T/burst80.out" a)" 1 2
check "server b never has more than maxconn 2 in flight" between "$(peak_inflight "$T/burst80.out" b)" 1 2
check "both reach their maxconn (the burst was concurrent)" \
    is "$(peak_inflight "$T/burst80.out" a)$(peak_inflight "$T/burst80.out" b)" 22
check "the last request waited for two waves (>= 750 ms in all)" \
    between "$(longest_ms "$T/burst80.out" 200)" 750 8000
check "the queue is empty afterwards" queued_is 80 0
check "no queue timeout on :80" is "$(vs_stat 80 queue_timeouts)" 0

# ---------------------------------------------------------------- timeout_queue

# maxconn 1 and a 1500 ms request: the three behind it get 503 after
# timeout_queue 300 ms (bounds generous: 250 ms to 1.4 s).
client burst --host $VIP --port 81 --path /slow/1500 -n 4 >"$T/burst81.out" 2>&1
diag "burst :81: $(sort -k5n "$T/burst81.out" | tr '\n' ';')"
check "one request is served" is "$(count_status "$T/burst81.out" 200)" 1
check "the three queued behind it get 503" is "$(count_status "$T/burst81.out" 503)" 3
check "503 after about timeout_queue (no sooner than 250 ms)" \
    between "$(shortest_ms "$T/burst81.out" 503)" 250 1400
check "503 after about timeout_queue (no later than 1.4 s, before the slot frees at 1.5 s)" \
    between "$(longest_ms "$T/burst81.out" 503)" 250 1400
check "show stats: queue_timeouts counts them, none waits now" \
    is "$(vs_stat 81 queue_timeouts) $(vs_stat 81 queued)" "3 0"

# ---------------------------------------------------------------- a client gives up

client burst --host $VIP --port 82 --path /slow/2000 -n 1 >"$T/hold82.out" 2>&1 &
HOLD=$!
track_pid "$HOLD"
wait_for 5 grep -q '"target": "/slow/2000"' "$T/backend.log"
# Waits behind the slow one, and gives up after 300 ms.
client burst --host $VIP --port 82 --path '/slow/10?gave-up' -n 1 --timeout 0.3 \
    >"$T/gaveup82.out" 2>&1
check "the client that gave up saw no answer" is "$(count_status "$T/gaveup82.out" ERR)" 1
check "it left the queue at once (long before timeout_queue 10s)" wait_for 1 queued_is 82 0
wait "$HOLD"
client burst --host $VIP --port 82 --path /slow/10 -n 1 >"$T/next82.out" 2>&1
check "the slow request and the next one are served" \
    is "$(count_status "$T/hold82.out" 200)$(count_status "$T/next82.out" 200)" 11
check "the request given up never reached the server" \
    is "$(grep -c 'gave-up' "$T/backend.log")" 0
check "no queue timeout on :82" is "$(vs_stat 82 queue_timeouts)" 0

# ---------------------------------------------------------------- NAT

client tcp-hold --host $VIP --port 84 --timeout 5 >"$T/nat84.out" 2>&1
diag "NAT :84 (first held after ms): $(cat "$T/nat84.out")"
check "NAT: a second connection waits while the first holds maxconn 1, then goes through" \
    is "$(cut -d' ' -f1-3 "$T/nat84.out")" "ok none ok"
check "NAT: it went through soon after the first closed (< 2 s)" \
    between "$(cut -d' ' -f4 "$T/nat84.out")" 0 2000

# ---------------------------------------------------------------- slow start

# share FILE BACKEND: BACKEND's percentage of the 200s in FILE.
share() {
	awk -v b="$2" '$1 == 200 { n++; if ($2 == b) k++ } END { print n ? int(100 * k / n) : -1 }' "$1"
}

check "d is up (its check passes)" wait_for 10 health_is 8204 up
client paced --host $VIP --port 83 --seconds 1.5 >"$T/start83.out" 2>&1
diag "at start: d $(share "$T/start83.out" d)% of $(count_status "$T/start83.out" 200)"
check "up at start, d takes about half at once (no ramp at start)" \
    between "$(share "$T/start83.out" d)" 35 65

touch "$T/d.down"
check "the checker takes d down" wait_for 10 health_is 8204 down
rm -f "$T/d.down"
check "... and up again" wait_for 10 health_is 8204 up
UP_AT=$(now_ms)
client paced --host $VIP --port 83 --seconds 1.5 >"$T/early83.out" 2>&1
EARLY=$(share "$T/early83.out" d)
# The ramp (6 s) is over 6.5 s after d came up.
wait_for 10 since_at_least "$UP_AT" 6500
client paced --host $VIP --port 83 --seconds 1.5 >"$T/late83.out" 2>&1
LATE=$(share "$T/late83.out" d)
diag "after coming back: d ${EARLY}% of $(count_status "$T/early83.out" 200) in its first 1.5 s," \
    "${LATE}% of $(count_status "$T/late83.out" 200) after the ramp"
check "slow start: right after coming up d gets a small share (< 30 %)" between "$EARLY" 0 29
check "slow start: after the ramp d gets about half (35..65 %)" between "$LATE" 35 65
check "slow start: its share grows" [ "$EARLY" -lt "$LATE" ]

check_stop_clean kl7
done_testing
