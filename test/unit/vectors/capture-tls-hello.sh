#!/bin/bash
# How the ClientHellos in test/unit/vectors/tls-*.bin (test_tls_hello.c)
# were made: `openssl s_client` (OpenSSL 3.0) connecting to a listener on
# loopback that keeps the client's first TLS records, up to the end of the
# ClientHello, and closes.  Needs openssl and python3.
set -eu
cd "$(dirname "$0")"

capture() {	# capture FILE S_CLIENT-ARGS...
	local out=$1 port
	shift
	coproc L { python3 -u - "$out" <<'PY'
import socket, struct, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True)
c, _ = s.accept(); buf = b""; need = None
def recv_to(n):
    global buf
    while len(buf) < n:
        d = c.recv(65536)
        if not d: raise SystemExit("closed early")
        buf += d
# records until the handshake message (4-byte header + length) is whole
hs = b""; pos = 0
while need is None or len(hs) < need:
    recv_to(pos + 5); n = struct.unpack("!H", buf[pos + 3:pos + 5])[0]
    recv_to(pos + 5 + n); hs += buf[pos + 5:pos + 5 + n]; pos += 5 + n
    if need is None and len(hs) >= 4: need = 4 + int.from_bytes(hs[1:4], "big")
open(sys.argv[1], "wb").write(buf[:pos]); c.close()
PY
	}
	read -r port <&"${L[0]}"
	openssl s_client -connect "127.0.0.1:$port" "$@" </dev/null >/dev/null 2>&1 || true
	wait "$L_PID"
}
capture tls-sni-tls13.bin -servername a.example.test
capture tls-sni-tls12.bin -servername B.Example.Test -tls1_2
capture tls-nosni.bin -noservername
capture tls-sni-long.bin -servername \
	"$(printf 'x%.0s' {1..63}).$(printf 'y%.0s' {1..63}).$(printf 'z%.0s' {1..63}).example.test"
