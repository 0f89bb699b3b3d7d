#!/bin/bash
# The PROXY protocol through the forwarder: send_proxy v1 and v2 to
# backends that check the header strictly (echo_backend.py -P) and log it,
# one header per server connection (no reuse across requests); accept_proxy
# from clients, v1 and v2, whole or a byte at a time, the client it names
# used for X-Forwarded-For and passed on (IPv4 and IPv6); a bad header, no
# header and a header that does not come in time each close the
# connection without an answer, and the next client is served; lb_kind
# NAT with send_proxy (the TCP echo backend sends the header back) and
# with accept_proxy (the header is taken off, the rest passed on).
#
#   lb  d0 (dummy) 192.0.2.1/24 (the virtual servers), 198.51.100.2/24 (backends)
#
# Run by hand (as root), from the source tree with a build in build/:
#   KL7_TOP_BUILDDIR=$PWD/build bash test/integration/t_proxy.sh
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
command -v curl >/dev/null || skip_all "no curl"
command -v ss >/dev/null || skip_all "no ss (iproute2)"

T=$KL7_TMP
VIP=192.0.2.1
S=198.51.100.2
BLOG=$T/backend.log

lb_ns $VIP/24 $S/24

lb_backends "$BLOG" 8101 8102 8103 8104 8105 -- \
    -P $S:8101:p1 -P $S:8102:p2 -P $S:8103:p3 -t $S:8104:echo -t $S:8105:echo2

# vs PORT KIND BACKEND_PORT EXTRA...: a virtual server with one real server.
vs() {
	local port=$1 kind=$2 bport=$3 l
	shift 3
	echo "virtual_server $VIP $port {"
	echo "    lb_kind $kind"
	echo "    timeout_request 1s"
	for l in "$@"; do echo "    $l"; done
	echo "    real_server $S $bport { }"
	echo "}"
}
{
	printf 'global_defs {\n    state_file %s\n}\n' "$T/state.json"
	vs 80 L7 8101 "send_proxy v1"
	vs 81 L7 8102 "send_proxy v2"
	vs 82 L7 8103 "accept_proxy" "send_proxy v2" "forwarded_for on"
	vs 83 NAT 8104 "send_proxy v2"
	vs 84 NAT 8105 "accept_proxy"
} >"$T/k.conf"
kl7_up "$T/k.conf"
L7_PID=$(kl7_child_pid "$(daemon_pid kl7)" kl7-l7)

# last_rec BACKEND EXPR: EXPR over the backend's last logged request `r`.
last_rec() {
	"$KL7_PYTHON" - "$BLOG" "$1" "$2" <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
mine = [r for r in recs if r.get("name") == sys.argv[2]]
r = mine[-1] if mine else {}
print(eval(sys.argv[3], {"r": r, "mine": mine}))
EOF
}
count_of() { log_count "$BLOG" "\"name\": \"$1\""; }
is() { [ "$1" = "$2" ]; }

# client PORT PYTHON-BODY: a raw client in lb, connected as `s` to the VS
# on PORT, with helpers: send(bytes), answer() (all until the close, 5 s).
client() {
	ns_exec lb "$KL7_PYTHON" - "$VIP" "$1" "$2" <<'EOF'
import socket, sys, time
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5)
def send(b):
    s.sendall(b)
def answer():
    out = b""
    try:
        while True:
            d = s.recv(65536)
            if not d:
                break
            out += d
    except socket.timeout:
        out += b"<timeout>"
    return out
exec(sys.argv[3])
EOF
}

GET='b"GET /x HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"'

# ---------------------------------------------------------------- send_proxy

out=$(ns_exec lb curl -s -m 5 -D - -o /dev/null "http://$VIP:80/a" | tr -d '\r')
check "send_proxy v1: the request is answered" grep -q "^HTTP/1.1 200" <<<"$out"
check "... the backend got a v1 header from the client's address to the VS" \
    is "$(last_rec p1 '(r["proxy"]["version"], r["proxy"]["src"].split(":")[0], r["proxy"]["dst"])')" \
    "(1, '$VIP', '$VIP:80')"
out=$(ns_exec lb curl -s -m 5 -D - -o /dev/null "http://$VIP:81/a" | tr -d '\r')
check "send_proxy v2: the request is answered" grep -q "^HTTP/1.1 200" <<<"$out"
check "... the backend got a v2 header with the same" \
    is "$(last_rec p2 '(r["proxy"]["version"], r["proxy"]["src"].split(":")[0], r["proxy"]["dst"])')" \
    "(2, '$VIP', '$VIP:81')"

# Two requests on one client connection: two server connections, each
# with its own header (a header names one client: no reuse).
n=$(count_of p1)
ns_exec lb curl -s -m 5 -o /dev/null -o /dev/null "http://$VIP:80/k1" "http://$VIP:80/k2"
check "keep-alive: two requests reach the backend" is "$(count_of p1)" $((n + 2))
check "... on two connections, each opened by a header" \
    is "$(last_rec p1 '(len(set(x["conn"] for x in mine[-2:])), [x["seq"] for x in mine[-2:]], all("proxy" in x for x in mine[-2:]))')" \
    "(2, [1, 1], True)"

# ---------------------------------------------------------------- accept_proxy

ans=$(client 82 "send(b'PROXY TCP4 203.0.113.7 192.0.2.1 5555 82\r\n' + $GET); print(answer()[:15])")
check "accept_proxy v1: answered" is "$ans" "b'HTTP/1.1 200 OK'"
check "... the backend sees the client it named, in its PROXY header and X-Forwarded-For" \
    is "$(last_rec p3 '(r["proxy"]["src"], r["proxy"]["dst"], [v for k, v in r["headers"] if k == "X-Forwarded-For"])')" \
    "('203.0.113.7:5555', '192.0.2.1:82', ['203.0.113.7'])"

V2_TCP6="b'\\r\\n\\r\\n\\x00\\r\\nQUIT\\n\\x21\\x21\\x00\\x24' + socket.inet_pton(socket.AF_INET6, '2001:db8::7') + socket.inet_pton(socket.AF_INET6, '2001:db8::1') + bytes([0x15, 0xb3, 0, 82])"
ans=$(client 82 "hdr = $V2_TCP6 + $GET
for i in range(len(hdr)):
    send(hdr[i:i + 1]); time.sleep(0.002)
print(answer()[:15])")
check "accept_proxy v2 (IPv6), sent a byte at a time: answered" is "$ans" "b'HTTP/1.1 200 OK'"
check "... the IPv6 client is passed on in a v2 header, and in X-Forwarded-For" \
    is "$(last_rec p3 '(r["proxy"]["version"], r["proxy"]["src"], r["proxy"]["dst"], [v for k, v in r["headers"] if k == "X-Forwarded-For"])')" \
    "(2, '[2001:db8::7]:5555', '[2001:db8::1]:82', ['2001:db8::7'])"

n=$(count_of p3)
ans=$(client 82 "send(b'PROXY TCP4 203.0.113.7 192.0.2.1 05555 82\r\n' + $GET); print(answer())")
check "a bad PROXY header (a leading zero): closed without an answer" is "$ans" "b''"
ans=$(client 82 "send($GET); print(answer())")
check "no PROXY header (a plain request): closed without an answer" is "$ans" "b''"
ans=$(client 82 "t = time.time(); a = answer(); print(a, 0.9 <= time.time() - t < 3)")
check "no header in timeout_request (1 s): closed without an answer, after 0.9-3 s" \
    is "$ans" "b'' True"
check "... none of them reached the backend" is "$(count_of p3)" "$n"
ans=$(client 82 "send(b'PROXY UNKNOWN\r\n' + $GET); print(answer()[:15])")
check "PROXY UNKNOWN: served, as the connection's own client" is "$ans" "b'HTTP/1.1 200 OK'"
check "... which the backend's header names" \
    is "$(last_rec p3 'r["proxy"]["src"].split(":")[0]')" "$VIP"

# ---------------------------------------------------------------- NAT

ans=$(client 83 "send(b'ping'); s.shutdown(socket.SHUT_WR); a = answer()
sa = s.getsockname()
want = b'\r\n\r\n\x00\r\nQUIT\n\x21\x11\x00\x0c' + socket.inet_aton(sa[0]) + socket.inet_aton('$VIP') + sa[1].to_bytes(2, 'big') + (83).to_bytes(2, 'big')
print(a[:28] == want, a[28:])")
check "NAT send_proxy v2: the server gets the header, then the client's bytes" \
    is "$ans" "True b'ping'"
ans=$(client 84 "send(b'PROXY TCP4 203.0.113.9 192.0.2.1 6000 84\r\nhello'); s.shutdown(socket.SHUT_WR); print(answer())")
check "NAT accept_proxy: the header is taken off, the rest passed on" is "$ans" "b'hello'"
echo2_got() { is "$(last_rec echo2 'r.get("tcp_bytes")')" "$1"; }
check "... the server got just those bytes" wait_for 5 echo2_got 5

check "the same l7 child served it all (no crash, no restart)" \
    is "$(kl7_child_pid "$(daemon_pid kl7)" kl7-l7)" "$L7_PID"
check "the backends logged no protocol error" bash -c "! grep -q '\"error\"' '$BLOG'"
done_testing
