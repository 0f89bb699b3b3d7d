#!/bin/bash
# TLS SNI routing without termination (tls_route in a lb_kind NAT virtual
# server): certificates made here with `openssl req` (a.example.test,
# b.example.test and *.w.example.test), three TLS backends
# (tls_backend.py) each answering with its name and the server name its
# own TLS stack saw; `openssl s_client -servername` and curl --resolve
# verify the certificate and the host name, so the TLS session runs end
# to end through the forwarder.  Each name lands on its pool, no SNI and
# an unknown name on default_pool; a ClientHello written a byte at a time
# (TCP_NODELAY, a pause between bytes) and one re-fragmented into 16-byte
# TLS records still route; a PROXY header before the ClientHello
# (accept_proxy); HTTP, SSLv2-style bytes and a bad ClientHello are closed
# without an answer, silence after timeout_request, and the daemon goes
# on serving with the same l7 child.
#
#   lb  d0 (dummy) 192.0.2.1/24 (the virtual servers), 198.51.100.2/24 (backends)
#
# Run by hand (as root), from the source tree with a build in build/:
#   KL7_TOP_BUILDDIR=$PWD/build bash test/integration/t_sni.sh
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
command -v openssl >/dev/null || skip_all "no openssl"
command -v curl >/dev/null || skip_all "no curl"
command -v ss >/dev/null || skip_all "no ss (iproute2)"

T=$KL7_TMP
VIP=192.0.2.1
S=198.51.100.2
BLOG=$T/backend.log
CERT=$T/cert.pem
KEY=$T/key.pem

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$KEY" -out "$CERT" -days 2 \
    -subj /CN=a.example.test \
    -addext "subjectAltName=DNS:a.example.test,DNS:b.example.test,DNS:*.w.example.test" \
    >"$T/openssl-req.log" 2>&1 || bail_out "openssl req: $(tail -n 2 "$T/openssl-req.log")"

lb_ns $VIP/24 $S/24
# ip netns exec, not ns_exec: a backgrounded shell function is a subshell,
# and its pid is not the backend's (the backend would outlive the test).
ip netns exec "$(ns_name lb)" "$KL7_PYTHON" "$(dirname "$0")/tls_backend.py" --cert "$CERT" --key "$KEY" \
    --log "$BLOG" -l $S:8441:A -l $S:8442:B -l $S:8443:W </dev/null >>"$T/tls_backend.out" 2>&1 &
track_pid "$!"
wait_for 15 _lb_listening 8441 8442 8443 || bail_out "the TLS backends do not listen"

cat >"$T/k.conf" <<EOF
virtual_server $VIP 443 {
    lb_kind NAT
    timeout_request 10s
    tls_route a {
        sni a.example.test
        pool a
    }
    tls_route b {
        sni b.example.test *.w.example.test
        pool b
    }
    default_pool web
    real_server $S 8441 { pool a }
    real_server $S 8442 { pool b }
    real_server $S 8443 { pool web }
}
virtual_server $VIP 444 {
    lb_kind NAT
    accept_proxy
    timeout_request 1s
    tls_route a { sni a.example.test pool a }
    default_pool web
    real_server $S 8441 { pool a }
    real_server $S 8443 { pool web }
}
EOF
kl7_up "$T/k.conf"
L7_PID=$(kl7_child_pid "$(daemon_pid kl7)" kl7-l7)
is() { [ "$1" = "$2" ]; }

# s_client NAME|- [ARGS...]: one HTTP request through VIP:443 with that
# server name ("-": none), the certificate verified; prints the body.
s_client() {
	local sni=$1 opts=()
	shift
	if [ "$sni" = - ]; then
		opts=(-noservername)
	else
		opts=(-servername "$sni")
	fi
	printf 'GET / HTTP/1.0\r\n\r\n' |
	    ns_exec lb timeout 10 openssl s_client -connect $VIP:443 "${opts[@]}" \
	    -CAfile "$CERT" -verify_return_error -quiet "$@" 2>>"$T/s_client.err" |
	    grep '^backend='
}

# ---------------------------------------------------------------- routing

check "a.example.test (verified as that name) goes to pool a, whose TLS sees the name" \
    is "$(s_client a.example.test -verify_hostname a.example.test)" "backend=A sni=a.example.test"
check "b.example.test goes to pool b" \
    is "$(s_client b.example.test -verify_hostname b.example.test)" "backend=B sni=b.example.test"
check "x.w.example.test matches *.w.example.test: pool b" \
    is "$(s_client x.w.example.test -verify_hostname x.w.example.test)" \
    "backend=B sni=x.w.example.test"
check "w.example.test is not under *.w.example.test: default_pool" \
    is "$(s_client w.example.test)" "backend=W sni=w.example.test"
check "an unknown name: default_pool" \
    is "$(s_client unknown.example.test)" "backend=W sni=unknown.example.test"
check "no server_name: default_pool" is "$(s_client -)" "backend=W sni=-"
check "TLS 1.2, mixed case (A.Example.TEST): pool a" \
    is "$(s_client A.Example.TEST -tls1_2)" "backend=A sni=A.Example.TEST"
out=$(ns_exec lb curl -s -m 10 --cacert "$CERT" --resolve "b.example.test:443:$VIP" \
    https://b.example.test/ 2>>"$T/curl.err")
check "curl --resolve b.example.test: pool b, certificate verified" \
    is "$out" "backend=B sni=b.example.test"

# ---------------------------------------------------------------- a raw client

# hello PORT PREFIX MODE NAME: a python TLS client (ssl.MemoryBIO) in lb,
# to VIP:PORT, that sends PREFIX (a PROXY header or "") then its
# ClientHello for NAME as MODE says: "whole", "bytes" (a byte per segment,
# TCP_NODELAY, 2 ms apart) or "records" (re-cut into 16-byte TLS records),
# verifies the server and prints the body of its one request's answer.
hello() {
	ns_exec lb "$KL7_PYTHON" - "$VIP" "$1" "$2" "$3" "$4" "$CERT" <<'EOF'
import socket, ssl, sys, time
vip, port, prefix, mode, name, ca = sys.argv[1:]
ctx = ssl.create_default_context(cafile=ca)
inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
tls = ctx.wrap_bio(inc, out, server_hostname=name)
s = socket.create_connection((vip, int(port)), timeout=5)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
s.sendall(prefix.encode().replace(b"\\r\\n", b"\r\n"))
try:
    tls.do_handshake()
except ssl.SSLWantReadError:
    pass
ch = out.read()
if mode == "bytes":
    for i in range(len(ch)):
        s.send(ch[i:i + 1]); time.sleep(0.002)
elif mode == "records":
    hs, cut = ch[5:], b""
    for i in range(0, len(hs), 16):
        cut += ch[:3] + len(hs[i:i + 16]).to_bytes(2, "big") + hs[i:i + 16]
    s.sendall(cut)
else:
    s.sendall(ch)
def pump():
    d = s.recv(65536)
    if not d:
        raise SystemExit("closed")
    inc.write(d)
while True:
    try:
        tls.do_handshake(); break
    except ssl.SSLWantReadError:
        s.sendall(out.read()); pump()
tls.write(b"GET / HTTP/1.0\r\n\r\n"); s.sendall(out.read())
resp = b""
while True:
    try:
        d = tls.read(65536)
        if not d:
            break
        resp += d
    except ssl.SSLWantReadError:
        s.sendall(out.read())
        d = s.recv(65536)
        if not d:
            break
        inc.write(d)
    except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
        break
print(resp.split(b"\r\n\r\n", 1)[-1].decode().strip())
EOF
}

check "a ClientHello a byte per segment: still routed (pool a), TLS verified" \
    is "$(hello 443 "" bytes a.example.test 2>>"$T/hello.err")" "backend=A sni=a.example.test"
check "a ClientHello in 16-byte TLS records: still routed (pool b)" \
    is "$(hello 443 "" records x.w.example.test 2>>"$T/hello.err")" \
    "backend=B sni=x.w.example.test"
check "accept_proxy: a PROXY header, then the ClientHello (pool a)" \
    is "$(hello 444 'PROXY TCP4 203.0.113.7 192.0.2.1 5555 444\r\n' whole a.example.test \
    2>>"$T/hello.err")" "backend=A sni=a.example.test"
check "... in 16-byte records, a name no route of this VS has: default_pool" \
    is "$(hello 444 'PROXY TCP4 203.0.113.7 192.0.2.1 5555 444\r\n' records q.w.example.test \
    2>>"$T/hello.err")" "backend=W sni=q.w.example.test"

# ---------------------------------------------------------------- refused

n_conns=$(wc -l <"$BLOG")
# raw PORT BYTES-PYTHON-EXPR: send them to VIP:PORT; prints what came back
# (a reset counts as nothing) and when the close came: "fast" (< 0.9 s),
# "timeout" (0.9 to 3 s), "slow".
raw() {
	ns_exec lb "$KL7_PYTHON" - "$VIP" "$1" "$2" <<'EOF'
import socket, sys, time
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5)
s.sendall(eval(sys.argv[3]))
t, out = time.time(), b""
try:
    while True:
        d = s.recv(65536)
        if not d:
            break
        out += d
except socket.timeout:
    out += b"<timeout>"
except ConnectionResetError:
    pass
dt = time.time() - t
print(out, "fast" if dt < 0.9 else "timeout" if dt < 3 else "slow")
EOF
}
check "HTTP instead of TLS: closed at once, without an answer" \
    is "$(raw 443 'b"GET / HTTP/1.1\r\nHost: a.example.test\r\n\r\n"')" "b'' fast"
check "an SSLv2-style ClientHello: closed at once" \
    is "$(raw 443 'b"\x80\x2e\x01\x00\x02\x00\x15\x00\x00\x00\x10" + bytes(37)')" "b'' fast"
check "a ClientHello whose lengths do not add up: closed at once" \
    is "$(raw 443 'b"\x16\x03\x01\x00\x08\x01\x00\x00\x04\x03\x03\x00\x00"')" "b'' fast"
check "a PROXY header, half a ClientHello, then silence: closed after timeout_request (1 s, within 3)" \
    is "$(raw 444 'b"PROXY TCP4 203.0.113.7 192.0.2.1 5555 444\r\n\x16\x03\x01\x00\x40\x01"')" \
    "b'' timeout"
check "... none of them reached a backend" is "$(wc -l <"$BLOG")" "$n_conns"
check "the daemon still serves: a.example.test on pool a" \
    is "$(s_client a.example.test -verify_hostname a.example.test)" "backend=A sni=a.example.test"

check "the same l7 child served it all (no crash, no restart)" \
    is "$(kl7_child_pid "$(daemon_pid kl7)" kl7-l7)" "$L7_PID"
check "every backend TLS session completed" bash -c "! grep -q '\"error\"' '$BLOG'"
done_testing
