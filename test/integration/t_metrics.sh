#!/bin/bash
# The Prometheus endpoint (metrics_listen): every scrape is checked line by
# line by promtext_check.py (the exposition format, strictly); values
# against what the test did: VRRP state and priority, requests by status
# class, bytes, the response-time histogram, a backend stopped going to 0
# once checked, check counters, reloads after SIGHUP with the counters
# carried over; bad requests to the metrics port get their status and the
# daemon goes on serving; an idle client neither blocks a scrape nor stays
# past the timeout.
#
#   lb  d0 (dummy) 192.0.2.1/24, VRRP VI_1, VIP 192.0.2.100
#       eth0 198.51.100.1/24 --veth-- srv eth0 198.51.100.2/24
#   metrics on 127.0.0.1:9100 in lb; backends a (8001), b (8002) in srv.
#
# Run by hand (as root), from the source tree with a build in build/:
#   KL7_TOP_BUILDDIR=$PWD/build bash test/integration/t_metrics.sh
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
command -v curl >/dev/null || skip_all "no curl"

[ -x "$kl7_bin" ] || diag "binary $kl7_bin not found: build first"

T=$KL7_TMP
LOG=$(daemon_log kl7)
CHECKER="$_kl7_lib_dir/promtext_check.py"
BACKEND="$_kl7_lib_dir/echo_backend.py"
S=198.51.100.2
VS=192.0.2.1:80
MURL=http://127.0.0.1:9100

# ---------------------------------------------------------------- the checker

# The checker must refuse what is wrong, or its passes mean nothing.
checker_refuses() {
	printf '%b' "$1" >"$T/bad.prom"
	! "$KL7_PYTHON" "$CHECKER" "$T/bad.prom" 2>>"$T/checker-self.log"
}
bad=0
for input in \
    'x_total 1\n' \
    '# TYPE x counter\nx 1\n' \
    '# TYPE x_total counter\n# TYPE x_total counter\nx_total 1\n' \
    '# TYPE x gauge\nx{a="1",a="2"} 1\n' \
    '# TYPE x gauge\nx{a="\\q"} 1\n' \
    '# TYPE x gauge\nx 1\nx 2\n' \
    '# TYPE x gauge\nx one\n' \
    '# TYPE x gauge\n# TYPE y gauge\nx 1\ny 1\nx{a="b"} 1\n' \
    '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n' \
    '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 3\n' \
    '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n' \
    '# TYPE x gauge\nx 1' \
    '# TYPE x gauge\n\nx 1\n'; do
	checker_refuses "$input" || { diag "the checker took: $input"; bad=1; }
done
printf '# HELP h_seconds A \\\\ b\\n c.\n# TYPE h_seconds histogram\nh_seconds_bucket{l="a\\"b\\\\c\\nd",le="0.5"} 1\nh_seconds_bucket{l="a\\"b\\\\c\\nd",le="+Inf"} 2\nh_seconds_sum{l="a\\"b\\\\c\\nd"} 1.5e0\nh_seconds_count{l="a\\"b\\\\c\\nd"} 2\n# TYPE g gauge\ng NaN\ng{x=""} -Inf\n' >"$T/good.prom"
"$KL7_PYTHON" "$CHECKER" "$T/good.prom" 2>>"$T/checker-self.log" || { diag "the checker refused good.prom"; bad=1; }
[ "$bad" -eq 0 ] || diag_file "$T/checker-self.log"
ok "$bad" "promtext_check.py refuses 13 kinds of bad input and takes a valid one"

# ---------------------------------------------------------------- topology

netns_add lb || bail_out "cannot create netns lb"
netns_add srv || bail_out "cannot create netns srv"
{
	link_add_dummy lb d0 &&
	    ip -n "$(ns_name lb)" addr add 192.0.2.1/24 dev d0 &&
	    ip -n "$(ns_name lb)" link add eth0 type veth peer name eth0 netns "$(ns_name srv)" &&
	    ip -n "$(ns_name lb)" addr add 198.51.100.1/24 dev eth0 &&
	    ip -n "$(ns_name srv)" addr add $S/24 dev eth0 &&
	    ip -n "$(ns_name lb)" link set eth0 up &&
	    ip -n "$(ns_name srv)" link set eth0 up
} 2>>"$T/ip.log" || bail_out "cannot build the topology: $(tail -n 1 "$T/ip.log")"

declare -A BPID=()
backend() {
	ip netns exec "$(ns_name srv)" "$KL7_PYTHON" "$BACKEND" --log "$T/backend.log" \
	    -l "$S:$2:$1" </dev/null >>"$T/backend-$1.out" 2>&1 &
	BPID[$1]=$!
	track_pid "$!"
}
backend a 8001
backend b 8002
listening() {
	ns_exec srv ss -Hltn "sport = :$1" | grep -q LISTEN
}
wait_for 15 listening 8001 && wait_for 15 listening 8002 ||
    bail_out "the backends did not start listening"

cat >"$T/k.conf" <<EOF
global_defs {
    state_file $T/state.json
    metrics_listen 127.0.0.1:9100
}
vrrp_instance VI_1 {
    state MASTER
    interface d0
    virtual_router_id 51
    priority 150
    advert_int 1
    virtual_ipaddress {
        192.0.2.100/24
    }
}
# A name whose label value needs escaping: VI "q" \b
vrrp_instance "VI \"q\" \\\\b" {
    interface d0
    virtual_router_id 52
    priority 100
    advert_int 1
    virtual_ipaddress {
        192.0.2.101/24
    }
}
virtual_server 192.0.2.1 80 {
    lb_kind L7
    lb_algo rr
    delay_loop 0.5
    real_server $S 8001 {
        weight 3
        TCP_CHECK {
            connect_timeout 0.5
        }
    }
    real_server $S 8002 {
        weight 2
        TCP_CHECK {
            connect_timeout 0.5
        }
    }
}
EOF

# ---------------------------------------------------------------- helpers

N=0
# scrape: fetch /metrics into $T/m.N (and $T/m), check every line; fails
# on a transport error, a status other than 200, a wrong content type or
# an invalid line.
scrape() {
	local got
	N=$((N + 1))
	got=$(ns_exec lb curl -sS -m 5 -o "$T/m.$N" -w '%{http_code} %{content_type}' \
	    "$MURL/metrics" 2>>"$T/curl.log") || return 1
	[ "$got" = "200 text/plain; version=0.0.4; charset=utf-8" ] ||
	    { echo "scrape $N: $got" >>"$T/curl.log"; return 1; }
	cp "$T/m.$N" "$T/m"
	"$KL7_PYTHON" "$CHECKER" --prefix kl7_ "$T/m.$N" 2>>"$T/checker.log"
}
# val NAME [LABEL=VALUE...]: the value of one sample of the last scrape.
val() {
	"$KL7_PYTHON" "$CHECKER" --value "$T/m" "$@" 2>>"$T/checker.log"
}
# sum NAME [LABEL=VALUE...]: the sum of the matching samples.
sum() {
	"$KL7_PYTHON" "$CHECKER" --sum "$T/m" "$@" 2>>"$T/checker.log"
}
# scraped_is WANT NAME [LABEL=VALUE...]: a fresh scrape has it.
scraped_is() {
	local want=$1
	shift
	scrape && [ "$(val "$@")" = "$want" ]
}
# status_of REQUEST: the status line (and Allow field) the metrics port
# answers to the raw bytes REQUEST (Python escapes: \r \n), or "closed".
status_of() {
	ns_exec lb "$KL7_PYTHON" -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", 9100), timeout=5)
s.sendall(sys.argv[1].encode("latin-1").decode("unicode_escape").encode("latin-1"))
data = b""
while True:
    try:
        d = s.recv(65536)
    except ConnectionResetError:
        break
    if not d:
        break
    data += d
line = data.split(b"\r\n", 1)[0].decode("latin-1")
print(line if line else "closed")
for h in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n")[1:]:
    if h.lower().startswith(b"allow:"):
        print(h.decode("latin-1"))
' "$1"
}
# request PATH [CURL-ARGS...]: one request to the virtual server; its
# status code.
request() {
	local path=$1
	shift
	ns_exec lb curl -sS -m 10 -o /dev/null -w '%{http_code}' "$@" "http://$VS$path" \
	    2>>"$T/curl.log"
}

# ---------------------------------------------------------------- start

daemon_start kl7 -N lb -- -f "$T/k.conf" -p "$T/kl7.pid"
if ! wait_for 10 scrape; then
	diag_file "$LOG"
	diag_file "$T/curl.log" 5
	bail_out "no valid /metrics within 10 s"
fi
pass "GET /metrics answers 200 with the text format, every line valid"

# HELP and TYPE for each family, and the families the issue asks for.
bad=0
for f in kl7_vrrp_state:gauge kl7_vrrp_priority:gauge kl7_real_server_up:gauge \
    kl7_real_server_weight:gauge kl7_real_server_requests_total:counter \
    kl7_real_server_request_bytes_total:counter kl7_real_server_response_bytes_total:counter \
    kl7_real_server_active_connections:gauge kl7_real_server_connections_total:counter \
    kl7_real_server_response_time_seconds:histogram kl7_real_server_checks_total:counter \
    kl7_real_server_check_failures_total:counter kl7_virtual_server_requests_total:counter \
    kl7_virtual_server_active_connections:gauge kl7_virtual_server_queued_requests:gauge \
    kl7_virtual_server_auth_rejected_total:counter kl7_virtual_server_sticky_entries:gauge \
    kl7_virtual_server_sticky_synced_total:counter kl7_reloads_total:counter; do
	grep -qx "# TYPE ${f%%:*} ${f#*:}" "$T/m" && grep -q "^# HELP ${f%%:*} ." "$T/m" ||
	    { diag "no HELP/TYPE ${f#*:} for ${f%%:*}"; bad=1; }
done
ok "$bad" "the families of VRRP, servers, requests, bytes, connections, histogram, checks, reloads"

if wait_for 10 scraped_is 1 kl7_vrrp_state instance=VI_1 state=MASTER; then
	bad=0
	for st in INIT BACKUP FAULT; do
		[ "$(val kl7_vrrp_state instance=VI_1 state=$st)" = 0 ] || bad=1
	done
	[ "$(val kl7_vrrp_priority instance=VI_1)" = 150 ] || bad=1
	ok "$bad" "VI_1: state MASTER 1, the other states 0, priority 150"
else
	fail "VI_1: state MASTER 1, the other states 0, priority 150 (not MASTER within 10 s)"
fi

# The label value escaped on the wire, the name back in the checker.
grep -qxF 'kl7_vrrp_priority{instance="VI \"q\" \\b"} 100' "$T/m" &&
    [ "$(val kl7_vrrp_priority 'instance=VI "q" \b')" = 100 ]
ok $? "an instance name with quotes and a backslash: its label value escaped, read back by the checker"

both_up() {
	scrape && [ "$(val kl7_real_server_up rs=$S:8001)" = 1 ] &&
	    [ "$(val kl7_real_server_up rs=$S:8002)" = 1 ]
}
if wait_for 10 both_up; then
	[ "$(val kl7_real_server_weight vs=$VS rs=$S:8001)" = 3 ] &&
	    [ "$(val kl7_real_server_weight vs=$VS rs=$S:8002)" = 2 ]
	ok $? "both real servers up, weights 3 and 2"
else
	fail "both real servers up, weights 3 and 2 (not up within 10 s)"
fi

# ---------------------------------------------------------------- traffic

scrape
bytes0=$(sum kl7_real_server_response_bytes_total)
declare -A sent=([2xx]=0 [3xx]=0 [4xx]=0 [5xx]=0)
head -c 5000 /dev/zero >"$T/body"
bad=0
for p in /echo / / / / / /status/301 /status/404 /status/404 /status/404 /status/503 /status/503 \
    /big/100000 /slow/1200; do
	if [ "$p" = /echo ]; then
		code=$(request "$p" --data-binary "@$T/body")
	else
		code=$(request "$p")
	fi
	case $code in
	[2345]??) sent[${code:0:1}xx]=$((sent[${code:0:1}xx] + 1)) ;;
	*) diag "$p: answer $code"; bad=1 ;;
	esac
done
total=$((sent[2xx] + sent[3xx] + sent[4xx] + sent[5xx]))
ok "$bad" "14 requests through the virtual server: ${sent[2xx]} 2xx, ${sent[3xx]} 3xx, ${sent[4xx]} 4xx, ${sent[5xx]} 5xx"

counted() {
	local c
	scrape || return 1
	for c in 2xx 3xx 4xx 5xx; do
		[ "$(sum kl7_real_server_requests_total vs=$VS class=$c)" = "${sent[$c]}" ] ||
		    return 1
	done
	[ "$(sum kl7_real_server_requests_total class=1xx)" = 0 ] &&
	    [ "$(sum kl7_real_server_requests_total class=other)" = 0 ]
}
if wait_for 5 counted; then
	pass "kl7_real_server_requests_total by class equals the requests sent"
else
	for c in 1xx 2xx 3xx 4xx 5xx other; do
		diag "class $c: metrics $(sum kl7_real_server_requests_total class=$c), sent ${sent[$c]:-0}"
	done
	fail "kl7_real_server_requests_total by class equals the requests sent"
fi

bytes1=$(sum kl7_real_server_response_bytes_total)
# Body bytes: the 5000 sent and echoed, the 100000 of /big.
[ "$bytes1" -ge $((bytes0 + 105000)) ] &&
    [ "$(sum kl7_real_server_request_bytes_total)" = 5000 ] &&
    [ "$(val kl7_virtual_server_request_bytes_total vs=$VS)" = 5000 ] &&
    [ "$(val kl7_virtual_server_response_bytes_total vs=$VS)" = "$bytes1" ] &&
    [ "$(val kl7_virtual_server_requests_total vs=$VS)" = "$total" ]
ok $? "body bytes: 5000 in, $bytes0 -> $bytes1 out (>= 105000 more); VS requests $total"

# The histogram: every response counted once; only /slow/1200 above 1 s.
h=kl7_real_server_response_time_seconds
hsum=$(sum ${h}_sum)
[ "$(sum ${h}_count)" = "$total" ] && [ "$(sum ${h}_bucket le=+Inf)" = "$total" ] &&
    [ "$(sum ${h}_bucket le=2.5)" = "$total" ] && [ "$(sum ${h}_bucket le=1)" = $((total - 1)) ] &&
    "$KL7_PYTHON" -c "import sys; sys.exit(not 1.2 <= float('$hsum') < 1.2 + 13)"
ok $? "response-time histogram: count $total, le=1 $((total - 1)), le=2.5 $total, sum $hsum s >= 1.2"

[ "$(sum kl7_real_server_checks_total rs=$S:8001)" -gt 0 ] &&
    [ "$(val kl7_real_server_check_failures_total rs=$S:8001)" = 0 ]
ok $? "checks counted: $(sum kl7_real_server_checks_total rs=$S:8001) rounds on 8001, 0 failed"

# ---------------------------------------------------------------- backend down

kill -TERM "${BPID[b]}"
b_down() {
	scrape && [ "$(val kl7_real_server_up rs=$S:8002)" = 0 ] &&
	    [ "$(val kl7_real_server_weight rs=$S:8002)" = 0 ]
}
if wait_for 10 b_down; then
	[ "$(val kl7_real_server_check_failures_total rs=$S:8002)" -gt 0 ] &&
	    [ "$(val kl7_real_server_up rs=$S:8001)" = 1 ] &&
	    [ "$(val kl7_virtual_server_live_weight vs=$VS)" = 3 ]
	ok $? "backend b stopped: up 0, weight 0, check failures $(val kl7_real_server_check_failures_total rs=$S:8002), live weight 3"
else
	diag_file "$LOG" 10
	fail "backend b stopped: up 0, weight 0 (not within 10 s)"
fi

# ---------------------------------------------------------------- bad requests

bad=0
expect_status() {
	local got
	got=$(status_of "$1" | tr '\n' '|')
	[ "$got" = "$2" ] || { diag "$3: got '$got', want '$2'"; bad=1; }
}
expect_status 'POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n' \
    'HTTP/1.1 405 Method Not Allowed|Allow: GET|' POST
expect_status 'HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n' \
    'HTTP/1.1 405 Method Not Allowed|Allow: GET|' HEAD
expect_status 'GET /nope HTTP/1.1\r\nHost: x\r\n\r\n' 'HTTP/1.1 404 Not Found|' "unknown path"
expect_status 'GET /metrics/x HTTP/1.1\r\nHost: x\r\n\r\n' 'HTTP/1.1 404 Not Found|' "/metrics/x"
expect_status 'GARBAGE\r\n\r\n' 'HTTP/1.1 400 Bad Request|' garbage
expect_status 'GET /metrics HTTP/1.1\nHost: x\n\n' 'HTTP/1.1 400 Bad Request|' "bare LF"
expect_status 'GET /metrics HTTP/1.1\r\n\r\n' 'HTTP/1.1 400 Bad Request|' "1.1 without Host"
expect_status "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: $(printf '%5000s' '' | tr ' ' a)\r\n\r\n" \
    'HTTP/1.1 431 Request Header Fields Too Large|' "oversize head"
expect_status "GET /$(printf '%2000s' '' | tr ' ' a) HTTP/1.1\r\nHost: x\r\n\r\n" \
    'HTTP/1.1 414 URI Too Long|' "long request line"
expect_status 'GET /metrics HTTP/2.0\r\nHost: x\r\n\r\n' \
    'HTTP/1.1 505 HTTP Version Not Supported|' "HTTP/2.0"
expect_status 'GET /metrics HTTP/1.0\r\n\r\n' 'HTTP/1.1 200 OK|' "HTTP/1.0 without Host"
expect_status 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' 'HTTP/1.1 200 OK|' "GET /"
ok "$bad" "metrics port: 405 (Allow: GET) for POST and HEAD, 404, 400 (garbage, bare LF, no Host), 431, 414, 505; 200 for HTTP/1.0 and /"
scrape && pid_alive "$(daemon_pid kl7)"
ok $? "the daemon still serves valid /metrics after the bad requests"

# A client that shuts its side after the request still gets all of it.
ns_exec lb "$KL7_PYTHON" -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", 9100), timeout=5)
s.sendall(b"GET /metrics HTTP/1.0\r\n\r\n")
s.shutdown(socket.SHUT_WR)
data = b""
while True:
    d = s.recv(65536)
    if not d:
        break
    data += d
head, body = data.split(b"\r\n\r\n", 1)
cl = [int(h.split(b":")[1]) for h in head.split(b"\r\n") if h.lower().startswith(b"content-length:")]
print(head.split(b"\r\n")[0].decode(), cl, len(body))
sys.exit(not (head.startswith(b"HTTP/1.1 200 ") and cl == [len(body)] and body.endswith(b"\n")))
' >"$T/halfclose.out" 2>&1
ok $? "a half-closed client gets the whole page: $(cat "$T/halfclose.out")"

# An idle client: a scrape meanwhile is answered at once; the server
# closes the idle one after its timeout (5 s).
ns_exec lb "$KL7_PYTHON" -c '
import socket, sys, time
s = socket.create_connection(("127.0.0.1", 9100), timeout=10)
s.sendall(b"GET /metrics HTTP/1.1\r\n")
t = time.monotonic()
try:
    d = s.recv(100)
except (socket.timeout, ConnectionResetError):
    d = None
print("%s %.1f" % ("closed" if d == b"" else "other", time.monotonic() - t))
' >"$T/idle.out" 2>&1 &
idle=$!
track_pid "$idle"
wait_for 2 ns_exec lb ss -Htn "state established dport = :9100"
t0=$(now_ms)
code=$(ns_exec lb curl -sS -m 5 -o /dev/null -w '%{http_code}' "$MURL/metrics" 2>>"$T/curl.log")
dt=$(($(now_ms) - t0))
[ "$code" = 200 ] && [ "$dt" -lt 3000 ]
ok $? "a scrape while a client idles half-way: 200 in $dt ms (the idle one has 5 s)"
wait "$idle"
read -r how secs <"$T/idle.out"
[ "$how" = closed ] && "$KL7_PYTHON" -c "import sys; sys.exit(not 4 <= $secs <= 8)"
ok $? "the idle client is closed by the daemon after ${secs:-?} s ($how)"

# ---------------------------------------------------------------- out of fds

# The parent's fd limit is lowered to what it uses now + 4: 12 clients
# holding connections exhaust it.  The listener must pause, not spin on
# accept(2), and serve again once they leave.
KL7=$(daemon_pid kl7)
fd_squeeze "$KL7" 4
ns_exec lb "$KL7_PYTHON" "$_kl7_lib_dir/slow_client.py" hold --host 127.0.0.1 --port 9100 -n 12 \
    --until "$T/fds-done" >"$T/fds.out" 2>&1 &
fdc=$!
track_pid "$fdc"
check "out of fds: 12 clients connect to the metrics port" wait_for 5 grep -q "open 12" "$T/fds.out"
check "out of fds: the parent logs that it pauses accepting" \
    wait_for 3 log_has "$(daemon_log kl7)" "metrics: accept \\(paused for"
spin_ticks "$KL7"
check "out of fds: the parent does not spin ($SPIN_TICKS ticks of CPU in 2 s)" test "$SPIN_TICKS" -lt 40
touch "$T/fds-done"
wait "$fdc" 2>/dev/null
fd_unsqueeze "$KL7"
check "out of fds: once the clients leave, a scrape is served" wait_for 8 scrape

# ---------------------------------------------------------------- reload

scrape
reqs=$(sum kl7_real_server_requests_total)
hcount=$(sum ${h}_count)
checks=$(val kl7_real_server_checks_total rs=$S:8001)
[ "$(val kl7_reloads_total)" = 0 ] || diag "kl7_reloads_total before SIGHUP: $(val kl7_reloads_total)"
daemon_signal kl7 HUP
if wait_for 10 scraped_is 1 kl7_reloads_total; then
	pass "SIGHUP: kl7_reloads_total 0 -> 1"
else
	fail "SIGHUP: kl7_reloads_total 0 -> 1 (got $(val kl7_reloads_total))"
fi
# The new l7 child takes the counters over when it starts, the new check
# child when the old one is gone.
carried() {
	scrape && [ "$(sum kl7_real_server_requests_total)" = "$reqs" ] &&
	    [ "$(sum ${h}_count)" = "$hcount" ] &&
	    [ "$(val kl7_real_server_checks_total rs=$S:8001)" -ge "$checks" ] &&
	    [ "$(val kl7_last_reload_success)" = 1 ] &&
	    [ "$(val kl7_vrrp_state instance=VI_1 state=MASTER)" = 1 ]
}
wait_for 10 carried
ok $? "after the reload: requests ($reqs), histogram count ($hcount) and checks (>= $checks) carried over; still MASTER"
counted_on_top() {
	scrape && [ "$(sum ${h}_count)" = $((hcount + 1)) ] &&
	    [ "$(sum kl7_real_server_requests_total class=2xx)" = $((sent[2xx] + 1)) ]
}
[ "$(request /)" = 200 ] && wait_for 5 counted_on_top
ok $? "a request after the reload is counted on top of the carried counters"

# A second daemon whose metrics port is taken does not start.
cat >"$T/busy.conf" <<EOF
global_defs {
    state_file $T/busy.json
    metrics_listen 127.0.0.1:9100
}
EOF
daemon_start busy -N lb -- -f "$T/busy.conf" -p "$T/busy.pid"
if daemon_wait_exit busy 10; then
	[ "$DAEMON_STATUS" = 1 ] &&
	    log_has "$(daemon_log busy)" 'metrics_listen 127\.0\.0\.1:9100: Address already in use'
	ok $? "metrics port taken: a second daemon exits $DAEMON_STATUS saying why"
	[ "$DAEMON_STATUS" = 1 ] || diag_file "$(daemon_log busy)" 5
else
	fail "metrics port taken: a second daemon exits 1 saying why (still running after 10 s)"
fi

# ---------------------------------------------------------------- stop

daemon_signal kl7 TERM
if daemon_wait_exit kl7 10; then
	[ "$DAEMON_STATUS" = 0 ]
	ok $? "SIGTERM: the daemon exits with status 0 (got $DAEMON_STATUS)"
else
	fail "SIGTERM: the daemon exits with status 0 (still running after 10 s)"
fi

[ ! -s "$T/checker.log" ] || diag_file "$T/checker.log" 10
# After the exit: LeakSanitizer reports then.
if grep -Eq 'Sanitizer|runtime error' "$LOG"; then
	diag_file "$LOG" 20
	fail "no sanitizer report in the daemon's log"
else
	pass "no sanitizer report in the daemon's log"
fi
done_testing
