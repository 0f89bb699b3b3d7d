#!/bin/bash
# Slow clients and resource exhaustion at the l7 forwarder (issue #10):
#
#   upload     a 1 GiB chunked upload, made on the fly, to a server that
#              reads 32 MiB/s: the body arrives intact and the l7 child's
#              peak RSS (VmHWM) grows by less than UPLOAD_RSS_KB
#   endless    a server that sends a header line without end: 502, memory
#              bounded as above
#   silent     servers that accept and never answer: 100 clients at once
#              each get 504 after timeout_server, nothing is left open
#   maxconn    past maxconn 20 a client waits in the kernel's backlog (the
#              listener is not watched: no 503, no spin) and is served once
#              a held connection closes
#   fds        requests while the l7 child is out of file descriptors: each
#              gets an answer, no crash, no spin, and service returns
#   slow       1,000 Slowloris clients (a head byte a second, reconnecting)
#              and 200 slow readers (a big body read a byte a second) at
#              once: a normal client keeps >= 80% of its unloaded request
#              rate (each rate taken against a client that goes straight
#              to the server in the same minute); Slowloris connections get 408 at timeout_request, the
#              readers are closed at timeout_client, neither earlier
#
#   cl  eth0 192.0.2.50 --veth-- lb eth1 192.0.2.1 (the virtual servers)
#                                lb eth0 198.51.100.1 --veth-- srv eth0 198.51.100.2
#
# Run by hand (as root), from the source tree with a build in build/:
#   KL7_TOP_BUILDDIR=$PWD/build bash test/integration/t_slow.sh
# KL7_KEEP_TMP=fail keeps the temp dir (logs, client reports) after a failure.
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
command -v ss >/dev/null || skip_all "no ss (iproute2)"
command -v prlimit >/dev/null || skip_all "no prlimit (util-linux)"

T=$KL7_TMP
LOG=$(daemon_log kl7)
BLOG=$T/backend.log
VIP=192.0.2.1
S=198.51.100.2
CLIENT="$_kl7_lib_dir/slow_client.py"
t_start=$(now_ms)

UPLOAD_MB=${KL7_UPLOAD_MB:-1024}		# the issue's 1 GB, at 32 MiB/s: ~32 s
UPLOAD_KBPS=32768
# The proxy holds at most two buffers per session (max_header_size + 4 KiB
# each) and a pipe (kernel memory, not RSS); a proxy that buffered what
# the client sends faster than the server reads would grow by hundreds of
# MB.  8 MiB leaves room for the allocator and the sanitizers' bookkeeping.
UPLOAD_RSS_KB=8192
LORIS=1000
READERS=200
TIMEOUT_REQUEST=3	# the Slowloris virtual server
TIMEOUT_CLIENT=6	# the slow readers' virtual server (timeout_server 20)

# ---------------------------------------------------------------- topology

netns_add cl || bail_out "cannot create netns cl"
netns_add lb || bail_out "cannot create netns lb"
netns_add srv || bail_out "cannot create netns srv"
{
	ip -n "$(ns_name lb)" link add eth1 type veth peer name eth0 netns "$(ns_name cl)" &&
	    ip -n "$(ns_name lb)" link add eth0 type veth peer name eth0 netns "$(ns_name srv)" &&
	    ip -n "$(ns_name lb)" addr add $VIP/24 dev eth1 &&
	    ip -n "$(ns_name cl)" addr add 192.0.2.50/24 dev eth0 &&
	    ip -n "$(ns_name lb)" addr add 198.51.100.1/24 dev eth0 &&
	    ip -n "$(ns_name srv)" addr add $S/24 dev eth0 &&
	    ip -n "$(ns_name lb)" link set eth0 up && ip -n "$(ns_name lb)" link set eth1 up &&
	    ip -n "$(ns_name cl)" link set eth0 up && ip -n "$(ns_name srv)" link set eth0 up
} 2>>"$T/ip.log" || bail_out "cannot build the topology: $(tail -n 1 "$T/ip.log")"

# ---------------------------------------------------------------- backends

: >"$BLOG"
ip netns exec "$(ns_name srv)" "$KL7_PYTHON" "$_kl7_lib_dir/echo_backend.py" --log "$BLOG" \
    -l $S:8001:web -s $S:8101:mute1 -s $S:8102:mute2 </dev/null >>"$T/backend.out" 2>&1 &
track_pid "$!"
listening() { ns_exec srv ss -Hltn "src $S and sport = :$1" | grep -q LISTEN; }
backends_up() { listening 8001 && listening 8101 && listening 8102; }
wait_for 10 backends_up || bail_out "the backends did not start listening"

# ---------------------------------------------------------------- config

cat >"$T/k.conf" <<EOF
global_defs {
    state_file $T/state.json
}
# The normal client; uploads; the endless header; out of fds.
virtual_server $VIP 80 {
    lb_kind L7
    real_server $S 8001 { }
}
# Slowloris.
virtual_server $VIP 81 {
    lb_kind L7
    timeout_request ${TIMEOUT_REQUEST}s
    timeout_client ${TIMEOUT_REQUEST}s
    real_server $S 8001 { }
}
# Slow readers: the client's timeout, not the server's, ends them.
virtual_server $VIP 82 {
    lb_kind L7
    timeout_client ${TIMEOUT_CLIENT}s
    timeout_server 20s
    real_server $S 8001 { }
}
# maxconn.
virtual_server $VIP 83 {
    lb_kind L7
    maxconn 20
    timeout_request 30s
    real_server $S 8001 { }
}
# Servers that never answer.
virtual_server $VIP 84 {
    lb_kind L7
    lb_algo rr
    timeout_server 2s
    real_server $S 8101 { }
    real_server $S 8102 { }
}
EOF
daemon_start kl7 -N lb -f "$T/k.conf" -p "$T/kl7.pid"
wait_for 10 log_has "$LOG" "all children ready" || bail_out "keepalive-l7 did not start"
KL7=$(daemon_pid kl7)
L7PID=$(kl7_child_pid "$KL7" kl7-l7) || bail_out "no l7 child"

cl_run() { ns_exec cl "$KL7_PYTHON" "$CLIENT" "$@" --host $VIP; }
code() {	# code PORT PATH: the status curl gets from the client netns
	ns_exec cl curl -s -m 10 -o /dev/null -w '%{http_code}' "http://$VIP:$1$2"
}
# kb NAME: a field of the l7 child's /proc status, in kB.
kb() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$L7PID/status"; }
fds() { ls "/proc/$L7PID/fd" | wc -l; }
# est PORT: established connections the l7 child holds on a virtual server.
est() { ns_exec lb ss -Htn state established "sport = :$1" | wc -l; }
est_is() { [ "$(est "$1")" "$2" "$3" ]; }
check "the virtual server answers" test "$(code 80 /warm)" = 200

# ================================================================ upload

# Made on the fly (never on disk): chunks of 64 KiB of echo_backend's
# pattern, whose period (a prime) makes each chunk differ.
cat >"$T/upload.py" <<'PY'
import hashlib, importlib.util, json, socket, sys, time
spec = importlib.util.spec_from_file_location("eb", sys.argv[1])
eb = importlib.util.module_from_spec(spec)
spec.loader.exec_module(eb)
total, kbps = int(sys.argv[2]) << 20, int(sys.argv[3])
s = socket.create_connection(("192.0.2.1", 80), timeout=30)
s.sendall(b"POST /slowsha/%d HTTP/1.1\r\nHost: t.example\r\n"
          b"Transfer-Encoding: chunked\r\n\r\n" % kbps)
h, pos, t0, k = hashlib.sha256(), 0, time.time(), 65536
while pos < total:
    off = pos % eb.PERIOD
    d = memoryview(eb.BIG)[off:off + k]
    h.update(d)
    s.sendall(b"%x\r\n" % k)
    s.sendall(d)
    s.sendall(b"\r\n")
    pos += k
s.sendall(b"0\r\n\r\n")
got = b""
while b"\r\n\r\n" not in got or not got.endswith(b"\n"):
    d = s.recv(65536)
    if not d:
        break
    got += d
el = time.time() - t0
print(json.dumps({"status": got[9:12].decode(), "sha_sent": h.hexdigest(),
                  "sha_got": got.split(b"\r\n\r\n", 1)[-1].strip().decode(),
                  "bytes": pos, "seconds": round(el, 1), "mb_s": round(pos / el / 1e6, 1)}))
PY
hwm0=$(kb VmHWM)
ns_exec cl "$KL7_PYTHON" "$T/upload.py" "$_kl7_lib_dir/echo_backend.py" $UPLOAD_MB $UPLOAD_KBPS \
    >"$T/upload.out" 2>&1
hwm1=$(kb VmHWM)
up=$(tail -n 1 "$T/upload.out")
diag "upload: $up"
diag "l7 child VmHWM: $hwm0 kB before the upload, $hwm1 kB after (+$((hwm1 - hwm0)) kB), VmRSS now $(kb VmRSS) kB"
sha_ok() {
	"$KL7_PYTHON" -c 'import json, sys; r = json.loads(sys.argv[1]); sys.exit(not (r["status"] == "200" and r["sha_sent"] == r["sha_got"]))' "$1"
}
check "upload: $UPLOAD_MB MiB chunked to a server reading $((UPLOAD_KBPS / 1024)) MiB/s arrives intact (sha256)" \
    sha_ok "$up"
check "upload: the l7 child's peak RSS grew by $((hwm1 - hwm0)) kB (< $UPLOAD_RSS_KB kB)" \
    test $((hwm1 - hwm0)) -lt $UPLOAD_RSS_KB

# ================================================================ endless header

hwm0=$(kb VmHWM)
codes=""
for i in 1 2 3 4 5; do
	codes+="$(code 80 /endless-header) "
done
hwm1=$(kb VmHWM)
check "a server sending an endless header: 502 each time ($codes)" test "$codes" = "502 502 502 502 502 "
check "... and the l7 child's peak RSS grew by $((hwm1 - hwm0)) kB (< $UPLOAD_RSS_KB kB)" \
    test $((hwm1 - hwm0)) -lt $UPLOAD_RSS_KB

# ================================================================ silent servers

fd0=$(fds)
out=$(cl_run burst --port 84 -n 100 --path /mute --max-seconds 15)
diag "100 clients to servers that never answer: $out"
st_is() {	# st_is JSON EXPR: EXPR holds for j = the burst summary
	"$KL7_PYTHON" -c 'import json, sys; j = json.loads(sys.argv[1]); sys.exit(not eval(sys.argv[2]))' "$1" "$2"
}
check "servers that accept and never answer: 100 clients at once each get 504" \
    st_is "$out" 'j["statuses"] == {"504": 100}'
check "... after timeout_server 2 s (answers in $(json_get <(echo "$out") 'j["min"]')-$(json_get <(echo "$out") 'j["max"]') s)" \
    st_is "$out" '1.9 <= j["min"] and j["max"] <= 4.0'
mute_open() { ns_exec srv ss -Htn state established "( sport = :8101 or sport = :8102 )" | grep -q .; }
check "... their server connections are closed" wait_for 3 eval '! mute_open'
fd_back() { [ "$(fds)" -le "$fd0" ]; }
check "... and the l7 child holds no more fds than before ($fd0)" wait_for 3 fd_back

# ================================================================ maxconn

# at_maxconn() in splice/l7_child.c stops watching the listener: the
# kernel completes the handshake and the client waits in the backlog.
cl_run hold --port 83 -n 20 --until "$T/hold-done" >"$T/hold.out" 2>&1 &
holder=$!
track_pid "$holder"
check "maxconn 20: 20 clients hold connections" wait_for 5 grep -q "open 20" "$T/hold.out"
check "... all 20 accepted by the l7 child" wait_for 3 est_is 83 -eq 20
# backlog PORT: connections waiting in the listener's accept queue.
backlog() { ns_exec lb ss -Hltn "sport = :$1" | awk '{ print $2 }'; }
backlog_is() { [ "$(backlog "$1")" = "$2" ]; }
cl_run burst --port 83 -n 5 --path /past-maxconn --max-seconds 20 >"$T/past.out" 2>&1 &
past=$!
track_pid "$past"
check "... 5 more connect: they wait in the listener's backlog" wait_for 3 backlog_is 83 5
check "... not accepted, not answered (no 503) for 1.5 s" \
    holds_for 1.5 eval 'backlog_is 83 5 && test ! -s "$T/past.out"'
spin_ticks "$L7PID"
check "... the l7 child does not spin meanwhile ($SPIN_TICKS ticks of CPU in 2 s)" test "$SPIN_TICKS" -lt 40
touch "$T/hold-done"
wait "$holder" 2>/dev/null
check "... once the held connections close, the 5 waiting are served (200, no 503)" \
    wait_for 5 grep -q '"statuses": {"200": 5}' "$T/past.out"
diag "past maxconn: $(cat "$T/past.out")"

# ================================================================ out of fds

# The l7 child may open 30 fds more than it holds now; 60 requests of
# 1.5 s each at once need 2 each (client and server connection).
fd_squeeze "$L7PID" 30
cl_run burst --port 80 -n 60 --path /slow/1500 --max-seconds 20 >"$T/fds.out" 2>&1 &
burst=$!
track_pid "$burst"
check "out of fds: the l7 child pauses accepting" wait_for 5 log_has "$LOG" "accept \\(paused for"
spin_ticks "$L7PID"
check "out of fds: the l7 child does not spin ($SPIN_TICKS ticks of CPU in 2 s)" test "$SPIN_TICKS" -lt 40
wait_for 20 pid_dead "$burst"
wait "$burst" 2>/dev/null
out=$(cat "$T/fds.out")
diag "60 requests with the l7 child out of fds: $out"
check "out of fds: every one of 60 requests got an answer, 200 or 503" \
    st_is "$out" 'sum(j["statuses"].get(k, 0) for k in ("200", "503")) == 60'
fd_unsqueeze "$L7PID"
check "out of fds: the l7 child is the same process" test "$(kl7_child_pid "$KL7" kl7-l7)" = "$L7PID"
check "out of fds: then service returns (200)" test "$(code 80 /after-fds)" = 200

# ================================================================ slow clients

# rate HOST PORT: the normal client's requests/s over 1000 keep-alive GETs
# ("req/s ok failed seconds").
rate() { ns_exec cl "$KL7_PYTHON" "$CLIENT" rate --host "$1" --port "$2" -n 1000 --path /n --max-seconds 30; }
# rates: PAIRS runs through the proxy, each right before one straight to
# the server (routed by lb's kernel, not its proxy); prints the pair with
# the best proxied share, "proxy direct".  The straight run is the
# control: a neighbour test of a shared two-core machine slows both runs
# of a pair alike, the proxy's own trouble with the slow load slows only
# the first; its bursts spoil some pairs, not the best.  FAILED_RUNS
# counts the proxied runs with a failed request.
PAIRS=6
rates() {
	local i p d best="0 1"
	FAILED_RUNS=0
	for i in $(seq 1 $PAIRS); do
		p=$(rate $VIP 80)
		[ "$(echo "$p" | awk '{ print $3 }')" = 0 ] || FAILED_RUNS=$((FAILED_RUNS + 1))
		d=$(rate $S 8001)
		best=$(awk -v p="${p%% *}" -v d="${d%% *}" -v b="$best" 'BEGIN {
			split(b, x, " ")
			if (d > 0 && p / d > x[1] / x[2]) print p, d; else print b }')
	done
	echo "$best"
}
ip netns exec "$(ns_name lb)" sysctl -q -w net.ipv4.ip_forward=1 &&
    ip -n "$(ns_name cl)" route add 198.51.100.0/24 via $VIP &&
    ip -n "$(ns_name srv)" route add 192.0.2.0/24 via 198.51.100.1 ||
    bail_out "cannot route the control client straight to the server"
read -r p0 d0 <<<"$(rates)"
diag "normal client, unloaded, the best of $PAIRS pairs (req/s): $p0 through the proxy, $d0 straight"
cl_run loris --port 81 -n $LORIS --max-seconds 16 --out "$T/loris.json" >"$T/loris.out" 2>&1 &
loris=$!
track_pid "$loris"
check "$LORIS Slowloris connections open" wait_for 15 grep -q "open $LORIS" "$T/loris.out"
t_readers=$(now_ms)
cl_run reader --port 82 -n $READERS --path /big/300000 --max-seconds 14 \
    --out "$T/readers.json" >"$T/readers.out" 2>&1 &
readers=$!
track_pid "$readers"
check "$READERS slow readers open" wait_for 10 grep -q "open $READERS" "$T/readers.out"
t_sent=$(now_ms)
check "... all held by the l7 child" wait_for 5 est_is 82 -eq $READERS
diag "established at the proxy: $(est 81) Slowloris, $(est 82) slow readers"
rates >"$T/r1"
read -r p1 d1 <"$T/r1"
diag "normal client, under the slow load, the best of $PAIRS pairs (req/s): $p1 through the proxy, $d1 straight"
# keeps_rate: the proxied rate under load, as a share of the straight
# one, is >= 80% of that share unloaded.
keeps_rate() {
	"$KL7_PYTHON" -c 'import sys; p0, d0, p1, d1 = map(float, sys.argv[1:]); sys.exit(not (min(p0, d0, d1) > 0 and p1 / d1 >= 0.8 * p0 / d0))' "$@"
}
share() { awk -v p="$1" -v d="$2" 'BEGIN { printf "%.0f%%", (d > 0 ? 100 * p / d : 0) }'; }
# A rate is the plain build's figure: under the sanitizers the l7 child
# runs several times slower while the Python load beside it does not, so
# on two shared cores the ratio measures the machine (one CI run: 60 %).
desc="the normal client keeps >= 80% of its rate under the slow load ($(share "$p1" "$d1") of the straight rate vs $(share "$p0" "$d0") unloaded)"
if ldd "$kl7_bin" 2>/dev/null | grep -q libasan; then
	skip "compared in the plain build, not under the sanitizers" "$desc"
else
	check "$desc" keeps_rate "$p0" "$d0" "$p1" "$d1"
fi
check "... with no failed request in any of its runs" test "$FAILED_RUNS" = 0

# The readers' inactivity starts when their window closes, right after
# they connect: they must be held until timeout_client and closed then.
until_ms=$((t_readers + TIMEOUT_CLIENT * 1000 - 500 - $(now_ms)))
if [ "$until_ms" -gt 0 ]; then
	check "slow readers: none closed before timeout_client ${TIMEOUT_CLIENT} s (held $((until_ms / 1000)).$((until_ms % 1000 / 100)) s more)" \
	    holds_for "$((until_ms / 1000)).$(printf %03d $((until_ms % 1000)))" est_is 82 -eq $READERS
else
	fail "slow readers: the load test took too long to check their timeout"
fi
wait_for $((TIMEOUT_CLIENT + 5)) est_is 82 -lt $READERS
t_first=$(now_ms)
wait_for $((TIMEOUT_CLIENT + 5)) est_is 82 -eq 0
t_closed=$(now_ms)
el=$((t_closed - t_sent))
diag "slow readers: the first closed $((t_first - t_readers)) ms after the first connected; all $((t_closed - t_readers)) ms after, $el ms after the last had its answer's first bytes"
check "slow readers: all closed by timeout_client (${el} ms after the last request, <= $((TIMEOUT_CLIENT * 1000 + 1500)) ms)" \
    test "$el" -le $((TIMEOUT_CLIENT * 1000 + 1500))
wait_for 20 pid_dead "$loris"
wait "$loris" "$readers" 2>/dev/null
summary=$(tail -n 1 "$T/loris.json")
diag "Slowloris: $summary"
lsum() { st_is "$summary" "$1"; }
check "Slowloris: every connection closed by the proxy got 408" \
    lsum 'j["summary"]["closed"] >= '$LORIS' and j["summary"]["statuses"] == {"408": j["summary"]["closed"]}'
check "Slowloris: none closed before timeout_request ${TIMEOUT_REQUEST} s, all within 1.5 s after" \
    lsum "$TIMEOUT_REQUEST - 0.25 <= j['summary']['lifetime_min'] and j['summary']['lifetime_max'] <= $TIMEOUT_REQUEST + 1.5"
check "Slowloris: every connect succeeded" lsum 'j["summary"]["failed_connect"] == 0'
diag "slow readers: $(tail -n 1 "$T/readers.json")"
check "the l7 child is the one that started (no crash)" test "$(kl7_child_pid "$KL7" kl7-l7)" = "$L7PID"

# ================================================================ end

check_stop_clean kl7

clock_ms
diag "t_slow: $((KL7_NOW - t_start)) ms"
[ "$_tap_failed" -eq 0 ] || diag_file "$LOG" 40
done_testing
