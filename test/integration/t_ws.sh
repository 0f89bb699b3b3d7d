#!/bin/bash
# WebSocket (RFC 6455) and Upgrade through the forwarder: the handshake
# passes (Upgrade and Connection: upgrade reach the server, its 101 and
# Sec-WebSocket-Accept reach the client); then the connection is a tunnel
# both ways: the frame the server sends with its 101, a text frame and a
# 1 MB frame echoed intact, an idle tunnel that outlives timeout_client and
# timeout_server but not timeout_tunnel, the close handshake; the tunnel's
# bytes and its 101 are counted.  An Upgrade on a request with a body is
# not passed on, and a 101 the client did not ask for is a 502.  CONNECT is
# refused (405) unless the virtual server has allow_connect; then it goes to
# the server, whose 2xx makes a tunnel (its Content-Length dropped, 1 MB
# echoed intact) and whose refusal is passed on; a CONNECT with content is
# a 400.
#
#   lb  d0 (dummy) 192.0.2.1/24 (the virtual server), 198.51.100.2/24 (backend)
#
# Run by hand (as root), from the source tree with a build in build/:
#   KL7_TOP_BUILDDIR=$PWD/build bash test/integration/t_ws.sh
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
command -v ss >/dev/null || skip_all "no ss (iproute2)"

T=$KL7_TMP
VIP=192.0.2.1
S=198.51.100.2
BLOG=$T/backend.log

lb_ns $VIP/24 $S/24

lb_backends "$BLOG" 8201 -- -l $S:8201:w1

cat >"$T/k.conf" <<EOF
global_defs {
    state_file $T/state.json
}
virtual_server $VIP 80 {
    lb_kind L7
    timeout_client 1s
    timeout_server 1s
    timeout_tunnel 3s
    real_server $S 8201 { }
}
virtual_server $VIP 81 {
    lb_kind L7
    allow_connect
    timeout_tunnel 3s
    real_server $S 8201 { }
}
EOF
kl7_up "$T/k.conf"

# ws PYTHON-BODY: a WebSocket client in lb, after its handshake through the
# VS (the 101's head in `head`, what came after it in `rest`), with
# frame(opcode, payload) to send a masked frame and recv_frame() ->
# (opcode, payload); prints what the body prints.
ws() {
	ns_exec lb "$KL7_PYTHON" - "$VIP" "$1" <<'EOF'
import base64, hashlib, os, socket, struct, sys, time
s = socket.create_connection((sys.argv[1], 80), timeout=10)
key = base64.b64encode(os.urandom(16)).decode()
s.sendall(("GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % key).encode())
buf = b""
while b"\r\n\r\n" not in buf:
    d = s.recv(65536)
    if not d:
        break
    buf += d
head, _, buf = buf.partition(b"\r\n\r\n")
want = base64.b64encode(hashlib.sha1(key.encode() + b"258EAFA5-E914-47DA-95CA-C5AB0DC11B65").digest())
def read(n):
    global buf
    while len(buf) < n:
        d = s.recv(1 << 20)
        if not d:
            raise EOFError
        buf += d
    out, buf = buf[:n], buf[n:]
    return out
def frame(op, data):
    m = os.urandom(4)
    n = len(data)
    hdr = struct.pack("!BB", 0x80 | op, 0x80 | n) if n < 126 else (
        struct.pack("!BBH", 0x80 | op, 0xFE, n) if n < 65536 else struct.pack("!BBQ", 0x80 | op, 0xFF, n))
    x = int.from_bytes(data, "big") ^ int.from_bytes((m * (n // 4 + 1))[:n], "big") if n else 0
    s.sendall(hdr + m + (x.to_bytes(n, "big") if n else b""))
def recv_frame():
    b0, b1 = read(2)
    n = b1 & 0x7F
    if n == 126:
        n = struct.unpack("!H", read(2))[0]
    elif n == 127:
        n = struct.unpack("!Q", read(8))[0]
    return b0 & 0x0F, read(n)
exec(sys.argv[2])
EOF
}
is() { [ "$1" = "$2" ]; }
last_ws() {	# last_ws EXPR: over the backend's last WebSocket record `r`
	"$KL7_PYTHON" - "$BLOG" "$1" <<'EOF'
import json, sys
r = [x for x in map(json.loads, open(sys.argv[1]))
     if "ws_frames" in x or "connect" in x or x.get("target") == "/ws"]
print(eval(sys.argv[2], {"r": r}))
EOF
}

out=$(ws "h = head.decode()
print(h.split('\r\n')[0], 'Sec-WebSocket-Accept: ' + want.decode() in h, 'Upgrade: websocket' in h, 'Connection: upgrade' in h)
print(recv_frame())
frame(1, b'hello')
print(recv_frame())
big = os.urandom(1 << 20)
frame(2, big)
op, back = recv_frame()
print(op, back == big)
time.sleep(1.5)	# the measured idle: past timeout_client and timeout_server
frame(1, b'still')
print(recv_frame())
frame(8, struct.pack('!H', 1000))
print(recv_frame()[0], s.recv(1) == b'')")
diag "$out"
mapfile -t L <<<"$out"
check "handshake: 101, Sec-WebSocket-Accept, Upgrade: websocket, Connection: upgrade" \
    is "${L[0]:-}" "HTTP/1.1 101 Switching Protocols True True True"
check "... the backend got Upgrade: websocket and Connection: upgrade" \
    is "$(last_ws '[(k, v) for k, v in r[0]["headers"] if k.lower() in ("upgrade", "connection")]')" \
    "[('Upgrade', 'websocket'), ('Connection', 'upgrade')]"
check "the frame the server sent with its 101 reaches the client" is "${L[1]:-}" "(1, b'hello from w1')"
check "a text frame is echoed" is "${L[2]:-}" "(1, b'hello')"
check "a 1 MB binary frame is echoed intact" is "${L[3]:-}" "2 True"
check "idle 1.5 s, past timeout_client and timeout_server (1 s): the tunnel stays" \
    is "${L[4]:-}" "(1, b'still')"
check "the close handshake ends the connection" is "${L[5]:-}" "8 True"
ws_logged() { is "$(last_ws 'r[-1].get("ws_frames"), r[-1].get("ws_bytes")')" "$1"; }
check "... the backend saw 3 data frames, 1 MB and 10 bytes" wait_for 5 ws_logged "(3, 1048586)"

ans=$(ws "frame(1, b'x'); recv_frame(); recv_frame(); t = time.time()
try:
    d = s.recv(1)
except OSError:
    d = b'error'
print(d, 2.8 <= time.time() - t < 6)")
check "an idle tunnel is closed by timeout_tunnel (3 s)" is "$ans" "b'' True"

dump() {
	rm -f "$T/state.json"
	daemon_signal kl7 USR1 >/dev/null && wait_for 2 test -s "$T/state.json" &&
	    json_get "$T/state.json" "$1"
}
check "the 101s count as 1xx answers, the tunnels' bytes as bytes" \
    is "$(dump '(j["servers"][0]["requests"]["1xx"], j["servers"][0]["bytes_in"] > 1 << 20, j["servers"][0]["bytes_out"] > 1 << 20)')" \
    "[2, true, true]"

# raw REQUEST: the status line of the answer to REQUEST.
raw() {
	ns_exec lb "$KL7_PYTHON" - "$VIP" "$1" <<'EOF'
import socket, sys
s = socket.create_connection((sys.argv[1], 80), timeout=5)
s.sendall(sys.argv[2].encode().decode("unicode_escape").encode("latin-1"))
print(s.makefile("rb").readline().decode().strip())
EOF
}
check "an Upgrade on a request with a body is not passed on (the server says 400)" \
    is "$(raw 'POST /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nContent-Length: 2\r\n\r\nhi')" \
    "HTTP/1.1 400 Bad Request"
check "a 101 the client did not ask for is a 502" \
    is "$(raw 'GET /status/101 HTTP/1.1\r\nHost: t\r\n\r\n')" "HTTP/1.1 502 Bad Gateway"
# connect PORT TARGET [EXTRA-HEADER]: CONNECT TARGET through the VS on
# PORT; prints the status line, whether the head has a Content-Length,
# then (after a 2xx) whether 1 MB sent comes back intact, else whether
# the proxy closes after the answer.
connect() {
	ns_exec lb "$KL7_PYTHON" - "$VIP" "$@" <<'EOF'
import os, socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)
extra = sys.argv[4] + "\r\n" if len(sys.argv) > 4 else ""
s.sendall(("CONNECT %s HTTP/1.1\r\nHost: %s\r\n%s\r\n" % (sys.argv[3], sys.argv[3], extra)).encode())
buf = b""
while b"\r\n\r\n" not in buf:
    d = s.recv(65536)
    if not d:
        break
    buf += d
head, _, rest = buf.partition(b"\r\n\r\n")
status = head.split(b"\r\n")[0].decode()
print(status, b"\ncontent-length:" in head.lower())
if status.split()[1].startswith("2"):
    big = os.urandom(1 << 20)
    s.sendall(big)
    s.shutdown(socket.SHUT_WR)
    back = rest
    while True:
        d = s.recv(1 << 20)
        if not d:
            break
        back += d
    print(back == big)
else:
    try:
        while s.recv(65536):
            pass
        print("closed")
    except OSError as e:
        print(e)
EOF
}
check "CONNECT without allow_connect: 405" \
    is "$(connect 80 ok.test:443 | head -n 1)" "HTTP/1.1 405 Method Not Allowed True"
out=$(connect 81 ok.test:443)
diag "$out"
mapfile -t L <<<"$out"
check "allow_connect: the server's 200 reaches the client, without its Content-Length" \
    is "${L[0]:-}" "HTTP/1.1 200 Connection Established False"
check "... then a tunnel: 1 MB comes back intact" is "${L[1]:-}" "True"
tunnel_logged() {
	is "$(last_ws '[(x["connect"], x["tunnel_bytes"]) for x in r if "connect" in x][-1:]')" \
	    "[('ok.test:443', 1048576)]"
}
check "... the server got the CONNECT and the 1 MB" wait_for 5 tunnel_logged
check "a CONNECT the server refuses: its 403 is passed on, then the connection closes" \
    is "$(connect 81 deny.test:443 | xargs)" "HTTP/1.1 403 Status True closed"
check "a CONNECT with content: 400" \
    is "$(connect 81 ok.test:443 'Content-Length: 2' | head -n 1)" "HTTP/1.1 400 Bad Request True"
done_testing
