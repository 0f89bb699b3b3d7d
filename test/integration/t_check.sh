#!/bin/bash
# The health-check child (-C) against real backends in a network namespace:
# HTTP_GET (status, MD5 digest, HTTP/1.0, 1.0C, 1.1, IPv6), SSL_GET (with
# and without SNI), TCP_CHECK and MISC_CHECK (exit codes, misc_dynamic
# weights); the time a dead server takes to go down and a recovered one to
# come up; retry, rise and fall; alpha; notify_up / notify_down; quorum,
# hysteresis, quorum_up / quorum_down and the sorry server; the log reasons
# and the SIGUSR1 state dump.
#
#   lb  eth0 198.51.100.1/24 2001:db8::1/64 --veth-- srv eth0 198.51.100.2,3/24 2001:db8::2/64
#
# lb runs keepalive-l7 -C; srv runs the backends:
#   198.51.100.2:80,8081-8085 [2001:db8::2]:80   nginx A (/health 200, /body file, /fail 503,
#                                                /host: 200 only for Host check.example.net)
#   198.51.100.2:443,8443,8444                   nginx A over TLS (/health, /sni: 200 only
#                                                with SNI check.example.net, else 421)
#   198.51.100.2:81                              python: answers 200, or accepts and never
#                                                answers while $KL7_TMP/hang exists
#   198.51.100.2:83                              python: /chunked: a chunked HTTP/1.1 body;
#                                                anything else: not HTTP
#   198.51.100.2:82                              nothing (closed port)
#   198.51.100.3:80                              nginx B (killed and restarted)
# MISC_CHECK servers (203.0.113.x) run a script that exits with the number
# in a file the test changes.
#
# Timing bounds (delay_loop 0.5, connect_timeout 0.5, retry 1,
# delay_before_retry 0.2): down within (retry+1)*(ct+dbr)+delay_loop =
# 1.9 s, up within delay_loop+ct = 1.0 s, plus KL7_CHECK_MARGIN_MS
# (default 300) for scheduling.  The elapsed times are taken from the
# daemon's log timestamps (wall clock, ms), so the test's own polling does
# not count.
#
# Run by hand (as root), from the source tree with a build in build/:
#   KL7_TOP_BUILDDIR=$PWD/build bash test/integration/t_check.sh
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
NGINX=${KL7_NGINX:-/usr/sbin/nginx}
[ -x "$NGINX" ] || skip_all "no nginx at $NGINX (apt-get install nginx-light)"
command -v openssl >/dev/null || skip_all "no openssl"
command -v ss >/dev/null || skip_all "no ss (iproute2)"
plan 56

[ -x "$kl7_bin" ] || diag "binary $kl7_bin not found: build first"

MARGIN=${KL7_CHECK_MARGIN_MS:-300}
DL=500 CT=500 RETRY=1 DBR=200
# The rise/fall server's rounds: wide enough that a state-dump poll on a
# busy machine sees each count before the next round changes it.
FDL=1500	# delay_loop 1.5 in the config below
# A MISC_CHECK round lasts the script's run, at most misc_timeout; the next
# round starts delay_loop after it ends.  misc_timeout is 2 s, not the
# default (delay_loop, 0.5 s): on a busy machine fork + sh + cat has been
# seen to take longer than 0.5 s.
MISC_TO=2000
MISC_RUN=$MISC_TO
DOWN_BOUND=$(((RETRY + 1) * (CT + DBR) + DL))
UP_BOUND=$((DL + CT))
VS1=192.0.2.10:80 VS2=192.0.2.20:80 VS3=192.0.2.30:80
T=$KL7_TMP
LOG=$(daemon_log kl7)
ST=$T/state.json

# ---------------------------------------------------------------- topology

netns_add lb || bail_out "cannot create netns lb"
netns_add srv || bail_out "cannot create netns srv"
{
	ip -n "$(ns_name lb)" link add eth0 type veth peer name eth0 netns "$(ns_name srv)" &&
	    ip -n "$(ns_name lb)" addr add 198.51.100.1/24 dev eth0 &&
	    ip -n "$(ns_name lb)" addr add 2001:db8::1/64 dev eth0 nodad &&
	    ip -n "$(ns_name srv)" addr add 198.51.100.2/24 dev eth0 &&
	    ip -n "$(ns_name srv)" addr add 198.51.100.3/24 dev eth0 &&
	    ip -n "$(ns_name srv)" addr add 2001:db8::2/64 dev eth0 nodad &&
	    ip -n "$(ns_name lb)" link set eth0 up &&
	    ip -n "$(ns_name srv)" link set eth0 up
} 2>>"$T/ip.log" || bail_out "cannot build the topology: $(tail -n 1 "$T/ip.log")"

# ---------------------------------------------------------------- backends

mkdir -p "$T/ngx/www" "$T/ngx/tmp" "$T/ngxb/tmp"
head -c 3000 /dev/urandom | base64 >"$T/ngx/www/body.txt"
MD5=$(md5sum <"$T/ngx/www/body.txt" | cut -d' ' -f1)
BAD_MD5=0123456789abcdef0123456789abcdef
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj /CN=check.example.net -keyout "$T/ngx/key.pem" -out "$T/ngx/cert.pem" \
    >"$T/openssl.log" 2>&1 || bail_out "openssl req failed: $(tail -n 1 "$T/openssl.log")"

# ngx_common DIR: the top of an nginx config with everything in DIR.
ngx_common() {
	cat <<EOF
daemon off;
master_process off;
worker_processes 1;
error_log $1/error.log warn;
pid $1/nginx.pid;
events { worker_connections 512; }
http {
    access_log off;
    default_type text/plain;
    client_body_temp_path $1/tmp/body;
    proxy_temp_path $1/tmp/proxy;
    fastcgi_temp_path $1/tmp/fastcgi;
    uwsgi_temp_path $1/tmp/uwsgi;
    scgi_temp_path $1/tmp/scgi;
EOF
}

{
	ngx_common "$T/ngx"
	cat <<EOF
    server {
        listen 198.51.100.2:80;
        listen 198.51.100.2:8081;
        listen 198.51.100.2:8082;
        listen 198.51.100.2:8083;
        listen 198.51.100.2:8084;
        listen 198.51.100.2:8085;
        listen [2001:db8::2]:80;
        location = /health { return 200 "ok\n"; }
        location = /body { alias $T/ngx/www/body.txt; }
        location = /fail { return 503; }
        location = /host {
            if (\$host != "check.example.net") { return 404; }
            return 200 "host ok\n";
        }
    }
    server {
        listen 198.51.100.2:443 ssl;
        listen 198.51.100.2:8443 ssl;
        listen 198.51.100.2:8444 ssl;
        ssl_certificate $T/ngx/cert.pem;
        ssl_certificate_key $T/ngx/key.pem;
        location = /health { return 200 "ok\n"; }
        location = /sni {
            if (\$ssl_server_name != "check.example.net") { return 421; }
            return 200 "sni ok\n";
        }
    }
}
EOF
} >"$T/ngx/nginx.conf"
{
	ngx_common "$T/ngxb"
	cat <<EOF
    server {
        listen 198.51.100.3:80;
        location = /health { return 200 "b ok\n"; }
    }
}
EOF
} >"$T/ngxb/nginx.conf"

# listening ADDR PORT: something in srv listens on ADDR:PORT (ss filter syntax).
listening() {
	ns_exec srv ss -Hltn "src $1 and sport = :$2" | grep -q LISTEN
}

# nginx_start NAME: nginx with $T/NAME/nginx.conf in srv (one process:
# master_process off, so its pid is all there is to end); sets NGINX_PID.
NGINX_PID=""
nginx_start() {
	ip netns exec "$(ns_name srv)" "$NGINX" -e "$T/$1/error.log" -p "$T/$1" \
	    -c "$T/$1/nginx.conf" </dev/null >>"$T/$1/out.log" 2>&1 &
	NGINX_PID=$!
	track_pid "$NGINX_PID"
}

nginx_start ngx
nginx_start ngxb
NGX_B=$NGINX_PID

# The python backends: on :81, 200 unless $T/hang exists, then it accepts
# and holds the connection without a byte (at most 200 held, each closed
# after 30 s); on :83, GET /chunked answers 200 with a chunked body (HTTP/1.1)
# and anything else a line that is not HTTP.
CHUNKED_MD5=$(printf 'hello, chunked world\n' | md5sum | cut -d' ' -f1)
cat >"$T/backend.py" <<'EOF'
import os, socket, sys, threading, time
addr, flag = sys.argv[1], sys.argv[2]
def listener(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(128)
    return s
def read_request(c):
    c.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data:
        d = c.recv(4096)
        if not d:
            break
        data += d
    return data
def answer(c, port):
    try:
        req = read_request(c)
        if port == 81:
            c.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
                      b"Connection: close\r\n\r\nok\n")
        elif req.startswith(b"GET /chunked "):
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                      b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                      b"6\r\nhello,\r\n8;ext=1\r\n chunked\r\n7\r\n world\n\r\n0\r\n\r\n")
        else:
            c.sendall(b"HELLO THERE\r\n\r\n")
    except OSError:
        pass
    finally:
        c.close()
def serve(port):
    s = listener(port)
    held = []
    while True:
        c, _ = s.accept()
        now = time.time()
        while held and (len(held) > 200 or now - held[0][0] > 30):
            held.pop(0)[1].close()
        if port == 81 and os.path.exists(flag):
            held.append((now, c))
        else:
            threading.Thread(target=answer, args=(c, port), daemon=True).start()
threading.Thread(target=serve, args=(83,), daemon=True).start()
serve(81)
EOF
ip netns exec "$(ns_name srv)" "$KL7_PYTHON" "$T/backend.py" 198.51.100.2 "$T/hang" \
    </dev/null >>"$T/backend.log" 2>&1 &
track_pid "$!"

backends_up() {
	listening 198.51.100.2 80 && listening 198.51.100.2 8444 && listening '[2001:db8::2]' 80 &&
	    listening 198.51.100.3 80 && listening 198.51.100.2 81 &&
	    listening 198.51.100.2 83 && listening 198.51.100.2 8085
}
if ! wait_for 10 backends_up; then
	diag_file "$T/ngx/error.log" 10
	diag_file "$T/ngxb/error.log" 10
	diag_file "$T/backend.log" 10
	bail_out "the backends did not start listening within 10 s"
fi
# Neighbour discovery before the daemon starts: a first IPv6 neighbour
# solicitation sent while the link comes up is lost and retried only 1 s
# later, which would delay the first check.
for a in 198.51.100.2 198.51.100.3 2001:db8::2; do
	wait_for 5 ns_exec lb ping -c 1 -W 1 "$a" || bail_out "no ping reply from $a"
done

# ---------------------------------------------------------------- scripts

# misc.sh FILE: exits with the number in FILE.
cat >"$T/misc.sh" <<'EOF'
#!/bin/sh
exit "$(cat "$1")"
EOF
# note.sh FILE ARGS...: appends ARGS (the daemon's UP|DOWN VS [RS]) to FILE.
cat >"$T/note.sh" <<'EOF'
#!/bin/sh
f=$1
shift
echo "$*" >>"$f"
EOF
chmod 755 "$T/misc.sh" "$T/note.sh"
# set_rc NAME STATUS: what misc.sh $T/rc-NAME exits with, replaced
# atomically (a script must never read a half-written file).
set_rc() {
	echo "$2" >"$T/rc-$1.new" && mv -f "$T/rc-$1.new" "$T/rc-$1"
}
set_rc alpha 1
set_rc fall 0
set_rc plain 0
set_rc dyn 7
: >"$T/notes-srv"
: >"$T/notes-quorum"
MISC_FALL="$T/misc.sh $T/rc-fall"
MISC_PLAIN="$T/misc.sh $T/rc-plain"

# ---------------------------------------------------------------- config

# http_rs ADDR PORT TYPE URL-LINES [EXTRA-LINES]: a real server with one
# HTTP_GET or SSL_GET checker using the test's timings.
http_rs() {
	cat <<EOF
    real_server $1 $2 {
        $3 {
            url {
                $4
            }
            ${5:-}
            connect_timeout 0.5
            retry $RETRY
            delay_before_retry 0.2
        }
    }
EOF
}

{
	cat <<EOF
global_defs {
    state_file $ST
}
# Servers that must pass: with alpha they start down, so each "up" line
# proves that a check passed.
virtual_server 192.0.2.10 80 {
    delay_loop 0.5
    alpha
EOF
	http_rs 198.51.100.2 80 HTTP_GET "path /health
                status_code 200"
	http_rs 198.51.100.2 8081 HTTP_GET "path /body
                digest $MD5" "http_protocol 1.0C"
	http_rs 2001:db8::2 80 HTTP_GET "path /health" "http_protocol 1.1"
	http_rs 198.51.100.2 443 SSL_GET "path /health"
	http_rs 198.51.100.2 8443 SSL_GET "path /sni" "virtualhost check.example.net
            enable_sni
            http_protocol 1.1"
	http_rs 198.51.100.2 8084 HTTP_GET "path /host" "virtualhost check.example.net"
	http_rs 198.51.100.2 83 HTTP_GET "path /chunked
                digest $CHUNKED_MD5" "http_protocol 1.1"
	cat <<EOF
    real_server 198.51.100.2 8082 {
        TCP_CHECK {
            connect_timeout 0.5
        }
    }
    real_server 203.0.113.1 80 {
        notify_up $T/note.sh $T/notes-srv
        notify_down $T/note.sh $T/notes-srv
        MISC_CHECK {
            misc_path $T/misc.sh $T/rc-alpha
            misc_timeout 2
        }
    }
}
# Servers that start up and must fail, or fail later.
virtual_server 192.0.2.20 80 {
    delay_loop 0.5
EOF
	http_rs 198.51.100.2 8082 HTTP_GET "path /fail"
	http_rs 198.51.100.2 8083 HTTP_GET "path /body
                digest $BAD_MD5"
	http_rs 198.51.100.2 82 HTTP_GET "path /health"
	http_rs 198.51.100.2 8444 SSL_GET "path /sni" "virtualhost check.example.net"
	http_rs 198.51.100.2 8085 HTTP_GET "path /host"
	http_rs 198.51.100.2 83 HTTP_GET "path /garbage"
	http_rs 198.51.100.2 81 HTTP_GET "path /health"
	cat <<EOF
    real_server 198.51.100.3 80 {
        notify_up $T/note.sh $T/notes-srv
        notify_down $T/note.sh $T/notes-srv
        HTTP_GET {
            url {
                path /health
            }
            connect_timeout 0.5
            retry $RETRY
            delay_before_retry 0.2
        }
    }
    real_server 203.0.113.2 80 {
        rise 2
        fall 3
        MISC_CHECK {
            misc_path $MISC_FALL
            misc_timeout 2
            delay_loop 1.5
        }
    }
    real_server 203.0.113.3 80 {
        MISC_CHECK {
            misc_path $MISC_PLAIN
            misc_timeout 2
        }
    }
}
# Quorum 3 with hysteresis 1: lost below 2, regained at 4.  One server
# whose weight is the script's exit status - 2.
virtual_server 192.0.2.30 80 {
    delay_loop 0.3
    quorum 3
    hysteresis 1
    sorry_server 192.0.2.99 80
    quorum_up $T/note.sh $T/notes-quorum
    quorum_down $T/note.sh $T/notes-quorum
    real_server 203.0.113.10 80 {
        weight 4
        MISC_CHECK {
            misc_path $T/misc.sh $T/rc-dyn
            misc_dynamic
            misc_timeout 2
        }
    }
}
EOF
} >"$T/k.conf"

# ---------------------------------------------------------------- helpers

# dump: a fresh SIGUSR1 state dump in $ST.
dump() { state_dump kl7 "$ST"; }

# is EXPR: a fresh dump satisfies EXPR.  is_last EXPR: the last dump does.
is() {
	dump && state_is "$ST" "$1"
}
is_last() {
	state_is "$ST" "$1"
}
# show EXPR: its value in the last dump.
show() {
	state_show "$ST" "$1"
}

# log_lines: the current number of lines in the daemon's log.
log_lines() {
	wc -l <"$LOG"
}
# log_after N ERE: a line after line N matches.
log_after() {
	tail -n "+$(($1 + 1))" "$LOG" | grep -Eq -- "$2"
}
# log_ts_after N ERE: the timestamp (ms) of the first such line.
log_ts_after() {
	tail -n "+$(($1 + 1))" "$LOG" | grep -E -- "$2" | head -n 1 |
	    awk '{ printf "%.0f\n", $1 * 1000 }'
}
# rs_line VS RS up|down: the ERE of a server's change line.
rs_line() {
	local v=${1//./\\.} r=${2//./\\.}
	r=${r//[/\\[}
	r=${r//]/\\]}
	echo "virtual server $v: real server $r $3: "
}
# wait_change N VS RS up|down TIMEOUT T0: wait for the change line after log
# line N; set ELAPSED to its log timestamp - T0 (ms).  Fails on timeout.
ELAPSED=-1
wait_change() {
	local re ts
	ELAPSED=-1
	re=$(rs_line "$2" "$3" "$4")
	wait_for "$5" log_after "$1" "$re" || return 1
	ts=$(log_ts_after "$1" "$re")
	ELAPSED=$((ts - $6))
}
# within ELAPSED BOUND DESC: ok if 0 <= ELAPSED <= BOUND + MARGIN.
within() {
	local rc=1
	[ "$1" -ge 0 ] && [ "$1" -le $(($2 + MARGIN)) ] && rc=0
	ok "$rc" "$3 ($1 ms; bound $2 + $MARGIN ms)"
}
# reason_is VS RS TEXT: the server's down line (the last one) ends with TEXT.
reason_is() {
	local line
	line=$(grep -E -- "$(rs_line "$1" "$2" down)" "$LOG" | tail -n 1)
	[ "${line##*: real server "$2" down: }" = "$3" ] && return 0
	diag "down line: ${line:-none}; want reason: $3"
	return 1
}
# notes_has FILE LINE: FILE has exactly the line LINE.
notes_has() {
	grep -qxF -- "$2" "$1"
}

# ---------------------------------------------------------------- stalls

# The bounds assume the machine runs everything within about MARGIN.  A
# ticker records the wall clock every 50 ms; the longest gap between two
# ticks is reported at the end, to tell a stalled machine from a slow daemon.
(
	while :; do
		echo "${EPOCHREALTIME/./}"
		sleep 0.05
	done
) >"$T/ticks" 2>/dev/null &
track_pid "$!"
max_stall_ms() {
	awk 'NR > 1 && $1 - p > m { m = $1 - p } { p = $1 } END { printf "%d\n", m / 1000 - 50 }' "$T/ticks"
}

# ================================================================ start

t_start=$(now_ms)
daemon_start kl7 -N lb -- -C -f "$T/k.conf" -p "$T/kl7.pid"
KL7=$(daemon_pid kl7)
# Signals before the handlers are set would kill the daemon (under ASan,
# before main() even runs): wait for readiness first.
if ! wait_for 20 log_has "$LOG" "all children ready"; then
	diag_file "$LOG"
	bail_out "keepalive-l7 -C did not report 'all children ready' within 20 s"
fi
clock_ms
diag "all children ready after $((KL7_NOW - t_start)) ms"
# The check child's first line: the checks start then.
t_run=$(log_ts_after 0 '\[check\]: [0-9]+ checker\(s\) on [0-9]+ real server\(s\) running')
t_run=${t_run:-$t_start}

# ---- the children
bad=0
[ "$(kl7_child_names "$KL7")" = kl7-check ] || { diag "children: $(kl7_children "$KL7")"; bad=1; }
for p in $(kl7_child_pid "$KL7" kl7-check); do track_pid "$p"; done
log_has "$LOG" '\[check\]: 20 checker\(s\) on 20 real server\(s\) running' || {
	diag "no '17 checker(s) on 17 real server(s) running' line"
	bad=1
}
ok "$bad" "keepalive-l7 -C runs only kl7-check, with 20 checkers on 20 real servers"

# ---- alpha: a failing server of the alpha VS is down from the start,
# without a change line; one without alpha starts up and goes down (below).
bad=0
dump || bad=1
if ! is_last "rs('$VS1','203.0.113.1:80')['health'] == 'down' and rs('$VS1','203.0.113.1:80')['weight'] == 0"; then
	diag "203.0.113.1:80 at start: $(show "rs('$VS1','203.0.113.1:80')")"
	bad=1
fi
ok "$bad" "alpha: a server of an alpha virtual server starts down (health down, weight 0)"

# ---- the alpha VS's good servers come up after their first check
for s in "198.51.100.2:80 HTTP_GET /health status_code 200" \
    "198.51.100.2:8081 HTTP_GET digest (the right MD5) with http_protocol 1.0C" \
    "[2001:db8::2]:80 HTTP_GET over IPv6 with http_protocol 1.1" \
    "198.51.100.2:443 SSL_GET /health" \
    "198.51.100.2:8443 SSL_GET with enable_sni: the backend saw SNI check.example.net" \
    "198.51.100.2:8084 HTTP_GET with virtualhost: the backend saw Host check.example.net" \
    "198.51.100.2:83 HTTP_GET digest of a chunked HTTP/1.1 body" \
    "198.51.100.2:8082 TCP_CHECK"; do
	rs=${s%% *}
	if wait_change 0 "$VS1" "$rs" up 5 "$t_run"; then
		# First round at once; it passes in one attempt, within connect_timeout.
		within "$ELAPSED" "$CT" "alpha: $rs up after its first check: ${s#* }"
	else
		dump && diag "$rs: $(show "rs('$VS1','$rs')")"
		fail "alpha: $rs up after its first check: ${s#* } (no up line within 5 s)"
	fi
done
check "the up line says '1 check(s) pass'" log_has "$LOG" \
    "$(rs_line "$VS1" 198.51.100.2:80 up)1 check\\(s\\) pass\$"
check "alpha: no down line for a server that started down" \
    test "$(log_count "$LOG" "$(rs_line "$VS1" 203.0.113.1:80 down)")" = 0

# ---- VS2's failing servers: each goes down with its reason, within
# the bound from the start of the checks (they start up without alpha).
for s in "198.51.100.2:8082|HTTP status 503 (expected 200-299)|HTTP_GET of a 503" \
    "198.51.100.2:8083|MD5 digest of the body is $MD5 (expected $BAD_MD5)|HTTP_GET digest mismatch" \
    "198.51.100.2:82|connect: Connection refused|HTTP_GET of a closed port" \
    "198.51.100.2:8444|HTTP status 421 (expected 200-299)|SSL_GET without enable_sni: the backend saw no SNI" \
    "198.51.100.2:8085|HTTP status 404 (expected 200-299)|HTTP_GET without virtualhost: Host is not the virtualhost"; do
	IFS='|' read -r rs why what <<<"$s"
	bad=0
	if wait_change 0 "$VS2" "$rs" down 5 "$t_run"; then
		[ "$ELAPSED" -le $((DOWN_BOUND + MARGIN)) ] || { diag "$rs down after $ELAPSED ms"; bad=1; }
		reason_is "$VS2" "$rs" "$why" || bad=1
	else
		diag "no down line for $rs within 5 s"
		bad=1
	fi
	ok "$bad" "$what: down within $DOWN_BOUND + $MARGIN ms ($ELAPSED ms), reason '$why'"
done

bad=0
if wait_change 0 "$VS2" 198.51.100.2:83 down 5 "$t_run"; then
	[ "$ELAPSED" -le $((DOWN_BOUND + MARGIN)) ] || { diag "down after $ELAPSED ms"; bad=1; }
	log_has "$LOG" "$(rs_line "$VS2" 198.51.100.2:83 down)invalid HTTP response: " ||
	    { diag "$(grep -F '198.51.100.2:83 down' "$LOG")"; bad=1; }
else
	diag "no down line for 198.51.100.2:83 within 5 s"
	bad=1
fi
ok "$bad" "HTTP_GET of a non-HTTP answer: down within the bound ($ELAPSED ms), reason 'invalid HTTP response: ...'"

# ---- the dump of a down and an up server
dump
bad=0
is_last "rs('$VS2','198.51.100.2:8082')['health'] == 'down' and rs('$VS2','198.51.100.2:8082')['weight'] == 0 and rs('$VS2','198.51.100.2:8082')['last_error'] == 'HTTP status 503 (expected 200-299)' and rs('$VS2','198.51.100.2:8082')['consecutive_fail'] >= 1 and rs('$VS2','198.51.100.2:8082')['consecutive_ok'] == 0" ||
    { diag "$(show "rs('$VS2','198.51.100.2:8082')")"; bad=1; }
is_last "rs('$VS1','198.51.100.2:80')['health'] == 'up' and rs('$VS1','198.51.100.2:80')['weight'] == 1 and rs('$VS1','198.51.100.2:80')['last_error'] == '' and rs('$VS1','198.51.100.2:80')['consecutive_ok'] >= 1 and rs('$VS1','198.51.100.2:80')['consecutive_fail'] == 0 and rs('$VS1','198.51.100.2:80')['last_check_ms'] > 0" ||
    { diag "$(show "rs('$VS1','198.51.100.2:80')")"; bad=1; }
ok "$bad" "state dump: the 503 server down (weight 0, last_error, consecutive_fail), /health up (weight 1, consecutive_ok)"

# ---- the python backend stops answering, then answers again
n=$(log_lines)
touch "$T/hang"
t0=$(now_ms)
if wait_change "$n" "$VS2" 198.51.100.2:81 down 6 "$t0"; then
	within "$ELAPSED" "$DOWN_BOUND" "a server that accepts and never answers goes down within (retry+1)*(ct+dbr)+delay_loop"
	# Two attempts, each ending at connect_timeout, delay_before_retry apart.
	min=$(((RETRY + 1) * CT + RETRY * DBR))
	ok "$([ "$ELAPSED" -ge "$min" ]; echo $?)" "retry $RETRY: not before (retry+1) timeouts + retry * delay_before_retry ($ELAPSED >= $min ms)"
	check "its reason is 'no answer within 0.5 s'" reason_is "$VS2" 198.51.100.2:81 "no answer within 0.5 s"
else
	fail "a server that accepts and never answers goes down (no down line within 6 s)"
	fail "retry $RETRY: not before (retry+1) timeouts + retry * delay_before_retry"
	fail "its reason is 'no answer within 0.5 s'"
fi
n=$(log_lines)
rm -f "$T/hang"
t0=$(now_ms)
if wait_change "$n" "$VS2" 198.51.100.2:81 up 5 "$t0"; then
	within "$ELAPSED" "$UP_BOUND" "when it answers again it is up within delay_loop+connect_timeout"
else
	fail "when it answers again it is up within delay_loop+connect_timeout (no up line within 5 s)"
fi

# ---- nginx B killed and restarted; notify_down / notify_up
n=$(log_lines)
t0=$(now_ms)
kill -TERM "$NGX_B"
wait_for 5 pid_dead "$NGX_B"
wait "$NGX_B" 2>/dev/null
if wait_change "$n" "$VS2" 198.51.100.3:80 down 6 "$t0"; then
	within "$ELAPSED" "$DOWN_BOUND" "nginx killed: its server goes down within the bound"
	check "reason 'connect: Connection refused'" reason_is "$VS2" 198.51.100.3:80 "connect: Connection refused"
else
	fail "nginx killed: its server goes down within the bound (no down line within 6 s)"
	fail "reason 'connect: Connection refused'"
fi
check "notify_down ran with 'DOWN $VS2 198.51.100.3:80'" \
    wait_for 3 notes_has "$T/notes-srv" "DOWN $VS2 198.51.100.3:80"
n=$(log_lines)
t_launch=$(now_ms)
nginx_start ngxb
NGX_B=$NGINX_PID
# The server recovers when nginx listens: the bound counts from then (as
# seen here, up to a poll late), not from the launch of nginx.
wait_for 5 listening 198.51.100.3 80 || diag "nginx B does not listen again within 5 s"
t_listen=$(now_ms)
diag "nginx B listens $((t_listen - t_launch)) ms after its launch"
if wait_change "$n" "$VS2" 198.51.100.3:80 up 5 "$t_launch"; then
	ELAPSED=$((ELAPSED - (t_listen - t_launch)))
	[ "$ELAPSED" -ge 0 ] || ELAPSED=0	# seen up before this poll saw it listen
	within "$ELAPSED" "$UP_BOUND" "nginx restarted: its server is up within delay_loop+connect_timeout"
else
	fail "nginx restarted: its server is up within delay_loop+connect_timeout (no up line within 5 s)"
fi
check "notify_up ran with 'UP $VS2 198.51.100.3:80'" \
    wait_for 3 notes_has "$T/notes-srv" "UP $VS2 198.51.100.3:80"

# ---- fall 3 / rise 2 (MISC_CHECK, delay_loop FDL, retry 0)
RSF=203.0.113.2:80
n=$(log_lines)
set_rc fall 1
t0=$(now_ms)
if wait_for 12 is "rs('$VS2','$RSF')['consecutive_fail'] >= 2"; then
	bad=0
	is_last "rs('$VS2','$RSF')['consecutive_fail'] == 2 and rs('$VS2','$RSF')['health'] == 'up'" ||
	    { diag "$(show "rs('$VS2','$RSF')")"; bad=1; }
	ok "$bad" "fall 3: after 2 failed rounds the server is still up (consecutive_fail 2)"
else
	fail "fall 3: after 2 failed rounds the server is still up (consecutive_fail never reached 2)"
fi
if wait_change "$n" "$VS2" "$RSF" down 14 "$t0"; then
	bad=0
	# Three rounds delay_loop apart: not before 2 * delay_loop.
	[ "$ELAPSED" -ge $((2 * FDL)) ] && [ "$ELAPSED" -le $((3 * (FDL + MISC_RUN) + MARGIN)) ] || bad=1
	reason_is "$VS2" "$RSF" "'$MISC_FALL' exited 1" || bad=1
	ok "$bad" "fall 3: down after the third failed round ($ELAPSED ms, in [$((2 * FDL)), $((3 * (FDL + MISC_RUN) + MARGIN))]), reason \"'CMD' exited 1\""
else
	fail "fall 3: down after the third failed round (no down line within 14 s)"
fi
n=$(log_lines)
set_rc fall 0
t0=$(now_ms)
if wait_for 8 is "rs('$VS2','$RSF')['consecutive_ok'] >= 1"; then
	bad=0
	is_last "rs('$VS2','$RSF')['consecutive_ok'] == 1 and rs('$VS2','$RSF')['health'] == 'down'" ||
	    { diag "$(show "rs('$VS2','$RSF')")"; bad=1; }
	ok "$bad" "rise 2: after 1 passed round the server is still down (consecutive_ok 1)"
else
	fail "rise 2: after 1 passed round the server is still down (consecutive_ok never reached 1)"
fi
if wait_change "$n" "$VS2" "$RSF" up 10 "$t0"; then
	bad=0
	[ "$ELAPSED" -ge "$FDL" ] && [ "$ELAPSED" -le $((2 * (FDL + MISC_RUN) + MARGIN)) ] || bad=1
	ok "$bad" "rise 2: up after the second passed round ($ELAPSED ms, in [$FDL, $((2 * (FDL + MISC_RUN) + MARGIN))])"
else
	fail "rise 2: up after the second passed round (no up line within 10 s)"
fi

# ---- MISC_CHECK without misc_dynamic: any non-zero status fails
n=$(log_lines)
set_rc plain 2
check "MISC_CHECK without misc_dynamic: exit 2 fails, reason \"'CMD' exited 2\"" \
    wait_for 3 log_after "$n" "$(rs_line "$VS2" 203.0.113.3:80 down)'.*rc-plain' exited 2\$"
n=$(log_lines)
set_rc plain 0
check "MISC_CHECK: exit 0 passes again" wait_for 3 log_after "$n" "$(rs_line "$VS2" 203.0.113.3:80 up)"

# ---- alpha server's script starts passing: up, notify_up
n=$(log_lines)
set_rc alpha 0
check "alpha: the MISC_CHECK server comes up once its script exits 0" \
    wait_for 3 log_after "$n" "$(rs_line "$VS1" 203.0.113.1:80 up)"
check "notify_up ran with 'UP $VS1 203.0.113.1:80'" \
    wait_for 3 notes_has "$T/notes-srv" "UP $VS1 203.0.113.1:80"

# ---- misc_dynamic weights, quorum 3, hysteresis 1, sorry server
RSD=203.0.113.10:80
# dyn STATUS WEIGHT: the script exits STATUS; wait until the dump shows
# WEIGHT, on the server and, as its only server, the virtual server's live
# weight (the check child writes the two one after the other: a dump may
# fall between them).
dyn() {
	set_rc dyn "$1"
	wait_for 4 is "rs('$VS3','$RSD')['weight'] == $2 and rs('$VS3','$RSD')['health'] == 'up' and vs('$VS3')['live_weight'] == $2"
}
bad=0
dyn 7 5 || bad=1
is_last "vs('$VS3')['live_weight'] == 5 and vs('$VS3')['quorum'] == 'up'" || bad=1
[ "$bad" -eq 0 ] || diag "$(show "[rs('$VS3','$RSD'), vs('$VS3')]")"
ok "$bad" "misc_dynamic: exit 7 sets the weight to 5 (live_weight 5, quorum up)"

bad=0
dyn 4 2 || bad=1
is_last "vs('$VS3')['live_weight'] == 2 and vs('$VS3')['quorum'] == 'up'" || bad=1
[ "$bad" -eq 0 ] || diag "$(show "[rs('$VS3','$RSD'), vs('$VS3')]")"
ok "$bad" "hysteresis: live weight 2 = quorum 3 - hysteresis 1 keeps the quorum up"

n=$(log_lines)
nq=$(wc -l <"$T/notes-quorum")
bad=0
dyn 3 1 || bad=1
wait_for 2 is "vs('$VS3')['quorum'] == 'down'" || bad=1
is_last "vs('$VS3')['live_weight'] == 1" || bad=1
[ "$bad" -eq 0 ] || diag "$(show "[rs('$VS3','$RSD'), vs('$VS3')]")"
ok "$bad" "live weight 1 < quorum 3 - hysteresis 1: the dump shows quorum down"
check "the log says quorum lost and names the sorry server 192.0.2.99:80" wait_for 2 log_after "$n" \
    "virtual server 192\\.0\\.2\\.30:80: quorum lost \\(live weight 1, quorum 3 - 1\\); sorry server: 192\\.0\\.2\\.99:80\$"
check "quorum_down ran with 'DOWN $VS3'" wait_for 3 notes_has "$T/notes-quorum" "DOWN $VS3"

n=$(log_lines)
bad=0
dyn 5 3 || bad=1
is_last "vs('$VS3')['live_weight'] == 3 and vs('$VS3')['quorum'] == 'down'" || bad=1
log_after "$n" "virtual server 192\\.0\\.2\\.30:80: quorum up" && { diag "quorum up at live weight 3"; bad=1; }
[ "$bad" -eq 0 ] || diag "$(show "[rs('$VS3','$RSD'), vs('$VS3')]")"
ok "$bad" "hysteresis: live weight 3 < quorum 3 + hysteresis 1 does not regain the quorum"

n=$(log_lines)
bad=0
dyn 6 4 || bad=1
wait_for 2 is "vs('$VS3')['quorum'] == 'up' and vs('$VS3')['live_weight'] == 4" || bad=1
[ "$bad" -eq 0 ] || diag "$(show "[rs('$VS3','$RSD'), vs('$VS3')]")"
ok "$bad" "live weight 4 = quorum 3 + hysteresis 1: the quorum is up again"
check "the log says quorum up" wait_for 2 log_after "$n" \
    "virtual server 192\\.0\\.2\\.30:80: quorum up \\(live weight 4, quorum 3 \\+ 1\\)"
check "quorum_up ran with 'UP $VS3'" wait_for 3 notes_has "$T/notes-quorum" "UP $VS3"
# notes_since N WANT: the quorum notes after the first N lines are WANT.
notes_since() { [ "$(tail -n "+$(($1 + 1))" "$T/notes-quorum" | tr '\n' '|')" = "$2" ]; }
check "quorum_down and quorum_up each ran once, in that order" \
    wait_for 1 notes_since "$nq" "DOWN $VS3|UP $VS3|"

n=$(log_lines)
bad=0
set_rc dyn 1
wait_for 4 is "rs('$VS3','$RSD')['health'] == 'down' and rs('$VS3','$RSD')['weight'] == 0 and vs('$VS3')['live_weight'] == 0 and vs('$VS3')['quorum'] == 'down'" || bad=1
[ "$bad" -eq 0 ] || diag "$(show "[rs('$VS3','$RSD'), vs('$VS3')]")"
ok "$bad" "misc_dynamic: exit 1 fails (down, weight 0, live weight 0, quorum down)"

bad=0
dyn 2 0 || bad=1
[ "$bad" -eq 0 ] || diag "$(show "[rs('$VS3','$RSD'), vs('$VS3')]")"
ok "$bad" "misc_dynamic: exit 2 passes with weight 0 (health up)"

# ---- every change is logged once
bad=0
for rs in 198.51.100.2:8082 198.51.100.2:8083 198.51.100.2:82 198.51.100.2:8444 198.51.100.2:8085 198.51.100.2:83; do
	c=$(log_count "$LOG" "$(rs_line "$VS2" "$rs" down)")
	[ "$c" = 1 ] || { diag "$VS2 $rs: $c down lines"; bad=1; }
done
dump
is_last "min(rs('$VS2',r)['consecutive_fail'] for r in ('198.51.100.2:8082','198.51.100.2:8083','198.51.100.2:82','198.51.100.2:8444','198.51.100.2:8085','198.51.100.2:83')) >= 3" ||
    { diag "consecutive_fail: $(show "[rs('$VS2',r)['consecutive_fail'] for r in ('198.51.100.2:8082','198.51.100.2:8083','198.51.100.2:82','198.51.100.2:8444','198.51.100.2:8085','198.51.100.2:83')]")"; bad=1; }
ok "$bad" "a server failing round after round is logged down once"
bad=0
for rs in 198.51.100.2:80 198.51.100.2:8081 '[2001:db8::2]:80' 198.51.100.2:443 198.51.100.2:8443 \
    198.51.100.2:8084 198.51.100.2:83 198.51.100.2:8082; do
	c=$(log_count "$LOG" "$(rs_line "$VS1" "$rs" '(up|down)')")
	[ "$c" = 1 ] || { diag "$VS1 $rs: $c up/down lines"; bad=1; }
done
ok "$bad" "a server passing round after round is logged up once and never down"

# ---- notify scripts: exactly the expected lines
want="DOWN $VS2 198.51.100.3:80|UP $VS2 198.51.100.3:80|UP $VS1 203.0.113.1:80|"
got=$(tr '\n' '|' <"$T/notes-srv")
[ "$got" = "$want" ]
rc=$?
[ "$rc" -eq 0 ] || diag "notify lines: $got; want: $want"
ok "$rc" "notify_up / notify_down ran once per change, with UP|DOWN VS RS"

# ---- all servers' records are consistent in the dump
check "state dump: weight 0 for every down server, health up or down for all" is_last \
    "all(s['health'] in ('up', 'down') and (s['health'] == 'up' or s['weight'] == 0) for s in j['servers']) and len(j['servers']) == 20"

# ---- stop
track_pid "$NGX_B"
bad=0
daemon_signal kl7 TERM || bad=1
daemon_wait_exit kl7 10 || { diag "keepalive-l7 did not stop within 10 s"; bad=1; }
[ "${DAEMON_STATUS:-x}" = 0 ] || { diag "exit status ${DAEMON_STATUS:-none}"; bad=1; }
ok "$bad" "SIGTERM stops keepalive-l7 -C with status 0"
check "no sanitizer report in the log" test "$(log_count "$LOG" 'AddressSanitizer|LeakSanitizer|runtime error:')" = 0
check "no warnings about scripts that could not run" test "$(log_count "$LOG" "cannot run '")" = 0
bad=0
[ -s "$T/ngx/error.log" ] && grep -q '\[emerg\]' "$T/ngx/error.log" && bad=1
ok "$bad" "nginx ran without [emerg] errors"

clock_ms
diag "t_check: $((KL7_NOW - t_start)) ms from the daemon's start;" \
    "the longest stall the test saw: $(max_stall_ms) ms beyond a 50 ms tick"
[ "$_tap_failed" -eq 0 ] || diag_file "$LOG" 60
done_testing
