#!/usr/bin/env python3
"""A strict HTTP/1.1 test backend for the l7 integration tests (stdlib only).

    echo_backend.py --log FILE -l ADDR:PORT:NAME [-l ...] [-t ADDR:PORT:NAME ...]
                    [-s ADDR:PORT:NAME ...]
    echo_backend.py --pattern-sha N      (print the sha256 of /big/N's body)

-l serves HTTP/1.1 on ADDR:PORT as backend NAME; -t serves a TCP echo (for
lb_kind NAT); -P serves HTTP/1.1 after a PROXY protocol header (v1 or v2,
checked strictly; a bad one is logged as an error and the connection
closed), and logs the header with each request as "proxy": {"version",
"src", "dst"} ("ADDR:PORT"; {"version", "local": true} for UNKNOWN/LOCAL);
-s is a silent server: it accepts and reads, never answers, and closes
only when the client does (logged as {"name", "conn", "silent_bytes"}
then).  ADDR may be an IPv6 address in brackets.  Every request
received in full is logged to FILE as one JSON line (appended with a single
write(2), so several processes may share FILE):

    {"name", "conn", "seq", "peer", "method", "target", "version",
     "headers": [[name, value], ...]  (in order, as received),
     "raw": the head's bytes as received (latin-1),
     "framing": "none"|"length"|"chunked", "body_len", "body_sha256"}

The connection id "conn" is NAME-N; "seq" counts requests on it from 1.
Anything this parser refuses (the proxy must never send it: bare LF, bare
CR, obs-fold, whitespace before a colon, a non-token name, CTLs, TE with
CL, two CLs, TE other than "chunked", bad chunk sizes...) is logged as
{"name", "conn", "error": WHY} and the connection is closed without an
answer.  TCP echo connections are logged as {"name", "conn", "tcp_bytes",
"tcp_sha256"} when the client has closed.

Answers, by path (the target up to "?"):
  /echo          200, the request body
  /sha           200, the sha256 (hex) of the request body
  /slowsha/KBPS  as /sha, the body read at KBPS KiB/s at most (a slow server)
  /headers       200, JSON list of the received header fields
  /status/NNN    status NNN (no body for 1xx/204/304)
  /slow/MS       200 after MS milliseconds, with X-Inflight: how many
                 /slow requests this backend NAME held when this one came
                 (itself included): the peak over the responses is the
                 most it ever had at once
  /endless-header  a status line, then one header line that never ends
                 (up to 256 MiB, or until the proxy closes)
  /bad           a malformed response (Content-Length and
                 Transfer-Encoding: chunked), then close
  /close         close without answering
  /extra         200 "ok" with a second response glued after it, then close
  /204body       204 followed by the bytes of a 200 response, then close
  /big/N         200, N bytes of a fixed pattern (Content-Length)
  /chunked/N     200, N bytes of the same pattern, chunked
  /close-after   200 with "Connection: close", then close
  /close-quiet   200 without "Connection: close", then close
  /drop-at/NAME  close without answering at backend NAME; 200 elsewhere
  /ws            a WebSocket echo (RFC 6455): 101 with Sec-WebSocket-Accept
                 for a request with "Upgrade: websocket" and a key (400
                 without), then a text frame "hello from NAME" at once,
                 then every data frame back, until a close frame; the
                 frames received are logged as {"name", "conn",
                 "ws_frames", "ws_bytes", "ws_sha256"} at the end
  CONNECT H:P     403 if H starts with "deny.", else 200 (Content-Length: 0)
                 and a TCP echo, logged as {"name", "conn", "connect": H:P,
                 "tunnel_bytes", "tunnel_sha256"} when the client closes
  /set-cookie/NAME/VALUE  200 with "Set-Cookie: NAME=VALUE; Path=/"
  /drop-reused   200 if it is the connection's first request; else close
                 without answering (a keep-alive timeout that ran out
                 just as the request came)
  anything else  200, the backend's NAME followed by a newline
Every answer carries X-Backend: NAME, X-Conn: CONN, X-Seq: SEQ and
X-Target: the request target.
HEAD gets the head only.  The connection is kept alive per HTTP/1.1 rules.
"""
import argparse
import base64
import hashlib
import json
import os
import re
import socket
import struct
import sys
import threading
import time

PERIOD = 65521  # a prime: an offset error in a forwarded stream changes the hash
PATTERN = bytes(((i * 7 + 13) ^ (i >> 8)) & 0xFF for i in range(PERIOD))
BIG = PATTERN * 18  # > PERIOD + 1 MiB
SEND_MAX = 1 << 20

TOKEN = re.compile(rb"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
# field-value: VCHAR / obs-text / SP / HTAB, no CR, LF, NUL or other CTL
BAD_VALUE = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")
MAX_HEAD = 256 * 1024
KEEP_BODY = 8 << 20  # /echo keeps at most this much
IDLE_TIMEOUT = 60


def pattern_sha(n):
    h = hashlib.sha256()
    pos = 0
    while pos < n:
        off = pos % PERIOD
        k = min(n - pos, SEND_MAX)
        h.update(memoryview(BIG)[off:off + k])
        pos += k
    return h.hexdigest()


class Inflight:
    """/slow requests being held, per backend NAME (listener threads)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.n = {}

    def enter(self, name):
        with self.lock:
            self.n[name] = self.n.get(name, 0) + 1
            return self.n[name]

    def leave(self, name):
        with self.lock:
            self.n[name] -= 1


INFLIGHT = Inflight()


class Log:
    def __init__(self, path):
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def write(self, rec):
        os.write(self.fd, (json.dumps(rec, sort_keys=True) + "\n").encode())


class Reject(Exception):
    pass


class Closed(Exception):
    pass


class Conn:
    def __init__(self, sock):
        self.sock = sock
        self.buf = bytearray()
        self.consumed = bytearray()  # the raw bytes of the head being read

    def fill(self):
        d = self.sock.recv(262144)
        if not d:
            raise Closed()
        self.buf += d

    def read_line(self, limit):
        """A line ending in CRLF (returned without it); a bare LF or CR is refused."""
        while True:
            i = self.buf.find(b"\n")
            if i >= 0:
                if i == 0 or self.buf[i - 1] != 0x0D:
                    raise Reject("bare LF")
                line = bytes(self.buf[:i - 1])
                if len(self.consumed) < MAX_HEAD:
                    self.consumed += self.buf[:i + 1]
                del self.buf[:i + 1]
                if b"\r" in line:
                    raise Reject("bare CR")
                return line
            if len(self.buf) > limit:
                raise Reject("line too long")
            self.fill()

    def read_exact(self, n, sink):
        while n > 0:
            if not self.buf:
                self.fill()
            k = min(n, len(self.buf))
            sink(bytes(self.buf[:k]))
            del self.buf[:k]
            n -= k


class Body:
    def __init__(self):
        self.h = hashlib.sha256()
        self.n = 0
        self.kept = bytearray()

    def add(self, d):
        self.h.update(d)
        self.n += len(d)
        if len(self.kept) < KEEP_BODY:
            self.kept += d[:KEEP_BODY - len(self.kept)]


def parse_head(c):
    start = len(c.consumed)
    line = c.read_line(65536)
    parts = line.split(b" ")
    if len(parts) != 3:
        raise Reject("bad request line %r" % line[:200])
    method, target, version = parts
    if not TOKEN.match(method):
        raise Reject("bad method %r" % method[:100])
    if not target or re.search(rb"[\x00-\x20\x7f]", target):
        raise Reject("bad target %r" % target[:200])
    if version not in (b"HTTP/1.1", b"HTTP/1.0"):
        raise Reject("bad version %r" % version[:100])
    headers = []
    size = len(line)
    while True:
        line = c.read_line(MAX_HEAD)
        size += len(line) + 2
        if size > MAX_HEAD:
            raise Reject("head too large")
        if line == b"":
            break
        if line[:1] in (b" ", b"\t"):
            raise Reject("obs-fold")
        i = line.find(b":")
        if i <= 0:
            raise Reject("no colon or empty name: %r" % line[:200])
        name, value = line[:i], line[i + 1:]
        if not TOKEN.match(name):
            raise Reject("bad field name %r" % name[:200])
        value = value.strip(b" \t")
        if BAD_VALUE.search(value):
            raise Reject("CTL in the value of %r" % name[:100])
        headers.append((name.decode("latin-1"), value.decode("latin-1")))
    raw = bytes(c.consumed[start:]).decode("latin-1")
    del c.consumed[:]
    return method.decode(), target.decode("latin-1"), version.decode(), headers, raw


def framing(headers):
    cl = [v for n, v in headers if n.lower() == "content-length"]
    te = [v for n, v in headers if n.lower() == "transfer-encoding"]
    if cl and te:
        raise Reject("Transfer-Encoding with Content-Length")
    if len(te) > 1:
        raise Reject("%d Transfer-Encoding fields" % len(te))
    if te:
        if te[0].lower() != "chunked":
            raise Reject("Transfer-Encoding %r" % te[0])
        return "chunked", None
    if len(cl) > 1:
        raise Reject("%d Content-Length fields" % len(cl))
    if cl:
        if not re.fullmatch(r"[0-9]{1,15}", cl[0]):
            raise Reject("Content-Length %r" % cl[0])
        return "length", int(cl[0])
    return "none", 0


class Throttle:
    """A body sink that takes at most RATE bytes/s (sleeps when ahead)."""

    def __init__(self, body, rate):
        self.body, self.rate, self.t0 = body, rate, time.time()

    def add(self, d):
        self.body.add(d)
        ahead = self.body.n / self.rate - (time.time() - self.t0)
        if ahead > 0:
            time.sleep(ahead)


def read_chunked(c, body):
    while True:
        line = c.read_line(4096)
        m = re.fullmatch(rb"([0-9A-Fa-f]{1,16})(;[^\x00-\x08\x0a-\x1f\x7f]*)?", line)
        if not m:
            raise Reject("bad chunk-size line %r" % line[:100])
        n = int(m.group(1), 16)
        if n == 0:
            break
        c.read_exact(n, body.add)
        if c.read_line(16) != b"":
            raise Reject("no CRLF after chunk data")
    while True:  # trailers
        line = c.read_line(65536)
        if line == b"":
            return
        if line[:1] in (b" ", b"\t") or line.find(b":") <= 0 or \
                not TOKEN.match(line[:line.find(b":")]):
            raise Reject("bad trailer %r" % line[:100])


def hval(headers, name):
    name = name.lower()
    for n, v in headers:
        if n.lower() == name:
            return v
    return None


def wants_close(version, headers):
    tokens = set()
    for n, v in headers:
        if n.lower() == "connection":
            tokens |= {t.strip().lower() for t in v.split(",")}
    if version == "HTTP/1.0":
        return "keep-alive" not in tokens
    return "close" in tokens


REASONS = {200: "OK", 204: "No Content", 304: "Not Modified", 400: "Bad Request",
           404: "Not Found", 500: "Internal Server Error", 503: "Service Unavailable"}


def respond(c, target, name, conn, seq, status, body, close, head_only, extra=()):
    hdr = ["HTTP/1.1 %d %s" % (status, REASONS.get(status, "Status")),
           "X-Backend: " + name, "X-Conn: " + conn, "X-Seq: %d" % seq, "X-Target: " + target]
    hdr += list(extra)
    bodyless = status < 200 or status in (204, 304)
    if not bodyless:
        hdr.append("Content-Length: %d" % len(body))
    if close:
        hdr.append("Connection: close")
    out = ("\r\n".join(hdr) + "\r\n\r\n").encode()
    if not head_only and not bodyless:
        out += body
    c.sock.sendall(out)


def send_big(c, name, conn, seq, n, chunked, close, head_only):
    hdr = ["HTTP/1.1 200 OK", "X-Backend: " + name, "X-Conn: " + conn, "X-Seq: %d" % seq,
           "Content-Type: application/octet-stream"]
    hdr.append("Transfer-Encoding: chunked" if chunked else "Content-Length: %d" % n)
    if close:
        hdr.append("Connection: close")
    c.sock.sendall(("\r\n".join(hdr) + "\r\n\r\n").encode())
    if head_only:
        return
    pos = 0
    sizes = (1, 4095, 65536, 100000, SEND_MAX)
    i = 0
    while pos < n:
        off = pos % PERIOD
        k = min(n - pos, sizes[i % len(sizes)] if chunked else SEND_MAX)
        i += 1
        data = memoryview(BIG)[off:off + k]
        if chunked:
            c.sock.sendall(b"%x\r\n" % k)
            c.sock.sendall(data)
            c.sock.sendall(b"\r\n")
        else:
            c.sock.sendall(data)
        pos += k
    if chunked:
        c.sock.sendall(b"0\r\n\r\n")


PROXY_V1_MAX = 107
PROXY_V2_SIG = b"\r\n\r\n\x00\r\nQUIT\n"


def hostport(fam, addr, port):
    a = socket.inet_ntop(fam, addr) if isinstance(addr, bytes) else addr
    socket.inet_pton(fam, a)  # raises on a bad literal
    return ("[%s]:%d" if fam == socket.AF_INET6 else "%s:%d") % (a, port)


def proxy_v1(line):
    f = line.split(" ")
    if len(f) >= 2 and f[1] == "UNKNOWN":
        return {"version": 1, "local": True}
    if len(f) != 6 or f[1] not in ("TCP4", "TCP6"):
        raise Reject("bad PROXY v1 line %r" % line)
    fam = socket.AF_INET if f[1] == "TCP4" else socket.AF_INET6
    for p in f[4:]:
        if not p.isdigit() or (len(p) > 1 and p[0] == "0") or int(p) > 65535:
            raise Reject("bad PROXY v1 port %r" % p)
    try:
        return {"version": 1, "src": hostport(fam, f[2], int(f[4])),
                "dst": hostport(fam, f[3], int(f[5]))}
    except OSError:
        raise Reject("bad PROXY v1 address in %r" % line)


def proxy_v2(ver_cmd, fam, block):
    if ver_cmd == 0x20:
        return {"version": 2, "local": True}
    sizes = {0x11: (socket.AF_INET, 4), 0x21: (socket.AF_INET6, 16)}
    if ver_cmd != 0x21 or fam not in sizes or len(block) < 2 * sizes[fam][1] + 4:
        raise Reject("bad PROXY v2 header %02x %02x" % (ver_cmd, fam))
    af, w = sizes[fam]
    sp, dp = struct.unpack("!HH", block[2 * w:2 * w + 4])
    return {"version": 2, "src": hostport(af, block[:w], sp),
            "dst": hostport(af, block[w:2 * w], dp)}


def read_proxy(c):
    """The PROXY header at the start of the connection, consumed."""
    while True:
        b = bytes(c.buf)
        if b.startswith(b"PROXY "):
            i = b.find(b"\r\n")
            if 0 <= i <= PROXY_V1_MAX - 2:
                del c.buf[:i + 2]
                return proxy_v1(b[:i].decode("ascii", "replace"))
            if i >= 0 or len(b) >= PROXY_V1_MAX:
                raise Reject("PROXY v1 line too long")
        elif b.startswith(PROXY_V2_SIG) and len(b) >= 16:
            n = 16 + struct.unpack("!H", b[14:16])[0]
            if len(b) >= n:
                del c.buf[:n]
                return proxy_v2(b[12], b[13], b[16:n])
        elif not ("PROXY "[:len(b)].encode() == b[:6] or PROXY_V2_SIG.startswith(b[:12])):
            raise Reject("no PROXY header: %r" % b[:16])
        c.fill()


WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC11B65"  # RFC 6455 1.3


def ws_frame(opcode, payload):
    """A server frame: FIN, unmasked (RFC 6455 5.2)."""
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, n)
    elif n < 65536:
        head = struct.pack("!BBH", 0x80 | opcode, 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 127, n)
    return head + payload


def ws_read(c, n):
    out = bytearray()
    c.read_exact(n, out.extend)
    return bytes(out)


def ws_echo(c, name, conn, headers, log):
    key = hval(headers, "sec-websocket-key")
    up = (hval(headers, "upgrade") or "").lower()
    if key is None or up != "websocket":
        respond(c, "/ws", name, conn, 1, 400, b"not a websocket request\n", True, False)
        return
    accept = base64.b64encode(hashlib.sha1(key.encode() + WS_GUID).digest()).decode()
    c.sock.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\nX-Backend: %s\r\n\r\n"
                    % (accept, name)).encode() + ws_frame(1, b"hello from " + name.encode()))
    h, frames, total = hashlib.sha256(), 0, 0
    try:
        while True:
            b0, b1 = ws_read(c, 2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack("!H", ws_read(c, 2))[0]
            elif n == 127:
                n = struct.unpack("!Q", ws_read(c, 8))[0]
            if not b1 & 0x80:
                raise Reject("an unmasked client frame")  # RFC 6455 5.1
            mask = ws_read(c, 4)
            data = bytes(x ^ mask[i % 4] for i, x in enumerate(ws_read(c, n)))
            opcode = b0 & 0x0F
            if opcode == 8:
                c.sock.sendall(ws_frame(8, data[:2]))
                break
            frames += 1
            total += len(data)
            h.update(data)
            c.sock.sendall(ws_frame(opcode, data))
    finally:
        log.write({"name": name, "conn": conn, "ws_frames": frames, "ws_bytes": total,
                   "ws_sha256": h.hexdigest()})


def connect_tunnel(c, target, name, conn, seq, log):
    """CONNECT (RFC 9110 9.3.6): 403 for a target starting "deny.", else a
    200 (with a Content-Length: 0 that the proxy must not pass on, 9.3.6)
    and then every byte back until the client closes."""
    if target.startswith("deny."):
        respond(c, target, name, conn, seq, 403, b"denied\n", True, False)
        return
    c.sock.sendall(("HTTP/1.1 200 Connection Established\r\nX-Backend: %s\r\n"
                    "Content-Length: 0\r\n\r\n" % name).encode())
    h, n = hashlib.sha256(), 0
    data = bytes(c.buf)
    c.buf.clear()
    try:
        while True:
            h.update(data)
            n += len(data)
            c.sock.sendall(data)
            data = c.sock.recv(262144)
            if not data:
                break
        c.sock.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    log.write({"name": name, "conn": conn, "connect": target, "tunnel_bytes": n,
               "tunnel_sha256": h.hexdigest()})


def serve_proxied(sock, peer, name, conn, log):
    c = Conn(sock)
    try:
        proxy = read_proxy(c)
    except Reject as e:
        log.write({"name": name, "conn": conn, "error": str(e)})
        return
    except (Closed, OSError):
        log.write({"name": name, "conn": conn, "error": "closed before a PROXY header"})
        return
    serve_http(sock, peer, name, conn, log, c, proxy)


def serve_http(sock, peer, name, conn, log, c=None, proxy=None):
    c = c or Conn(sock)
    seq = 0
    try:
        while True:
            try:
                c.consumed = bytearray()
                method, target, version, headers, raw = parse_head(c)
            except Closed:
                if c.buf:
                    log.write({"name": name, "conn": conn, "error": "closed inside a head"})
                return
            seq += 1
            kind, length = framing(headers)
            body = Body()
            sink = body
            m = re.fullmatch(r"/slowsha/([0-9]+)", target.split("?", 1)[0])
            if m:
                sink = Throttle(body, int(m.group(1)) * 1024)
            if kind == "length":
                c.read_exact(length, sink.add)
            elif kind == "chunked":
                read_chunked(c, sink)
            rec = {"name": name, "conn": conn, "seq": seq, "peer": peer,
                   "method": method, "target": target, "version": version,
                   "headers": headers, "raw": raw, "framing": kind, "body_len": body.n,
                   "body_sha256": body.h.hexdigest()}
            if proxy is not None:
                rec["proxy"] = proxy
            log.write(rec)
            close = wants_close(version, headers)
            head_only = method == "HEAD"
            path = target.split("?", 1)[0]
            args = (c, target, name, conn, seq)
            m = re.fullmatch(r"/(status|slow|big|chunked)/([0-9]+)", path)
            if path == "/ws":
                ws_echo(c, name, conn, headers, log)
                return
            if method == "CONNECT":
                connect_tunnel(c, target, name, conn, seq, log)
                return
            if path == "/echo":
                respond(*args, 200, bytes(body.kept), close, head_only)
            elif path == "/sha" or path.startswith("/slowsha/"):
                respond(*args, 200, (body.h.hexdigest() + "\n").encode(), close, head_only)
            elif path == "/headers":
                respond(*args, 200, json.dumps(headers).encode(), close, head_only)
            elif path == "/bad":
                sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
                             b"Transfer-Encoding: chunked\r\n\r\n")
                return
            elif path.startswith("/set-cookie/") and path.count("/") == 3:
                _, _, cname, cvalue = path.split("/")
                respond(*args, 200, (name + "\n").encode(), close, head_only,
                        ("Set-Cookie: %s=%s; Path=/" % (cname, cvalue),))
            elif path == "/close":
                return
            elif path == "/endless-header":
                sock.sendall(b"HTTP/1.1 200 OK\r\nX-Endless: ")
                line = b"e" * 65536
                for _ in range(4096):
                    sock.sendall(line)
                return
            elif path == "/extra":
                # a second response glued to the first: must never reach a client
                sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n"
                             b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nsmuggled\n")
                return
            elif path == "/204body":
                # a 204 has no body: what follows must never reach a client
                sock.sendall(b"HTTP/1.1 204 No Content\r\n\r\n"
                             b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nsmuggled\n")
                return
            elif path == "/close-quiet":
                # keep-alive answer (no "Connection: close"), then close: as a
                # server whose keep-alive timeout ran out
                respond(*args, 200, (name + "\n").encode(), False, head_only)
                return
            elif path == "/drop-at/" + name:
                return
            elif path == "/drop-reused":
                if seq > 1:
                    return
                respond(*args, 200, (name + "\n").encode(), close, head_only)
            elif path == "/close-after":
                respond(*args, 200, (name + "\n").encode(), True, head_only)
                return
            elif m and m.group(1) == "status":
                respond(*args, int(m.group(2)), b"status %s\n" % m.group(2).encode(),
                        close, head_only)
            elif m and m.group(1) == "slow":
                # Left before the answer is written: the proxy cannot see
                # the response, hence send the next request, before.
                n = INFLIGHT.enter(name)
                try:
                    time.sleep(int(m.group(2)) / 1000.0)
                finally:
                    INFLIGHT.leave(name)
                respond(*args, 200, (name + "\n").encode(), close, head_only,
                        ("X-Inflight: %d" % n,))
            elif m:
                send_big(c, name, conn, seq, int(m.group(2)), m.group(1) == "chunked",
                         close, head_only)
            else:
                respond(*args, 200, (name + "\n").encode(), close, head_only)
            if close:
                return
    except Reject as e:
        log.write({"name": name, "conn": conn, "seq": seq, "error": str(e)})
    except Closed:
        log.write({"name": name, "conn": conn, "seq": seq, "error": "closed inside a message"})
    except OSError:
        pass


def serve_tcp(sock, peer, name, conn, log):
    h = hashlib.sha256()
    n = 0
    try:
        while True:
            d = sock.recv(262144)
            if not d:
                break
            h.update(d)
            n += len(d)
            sock.sendall(d)
        sock.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    log.write({"name": name, "conn": conn, "peer": peer, "tcp_bytes": n,
               "tcp_sha256": h.hexdigest()})


def serve_silent(sock, peer, name, conn, log):
    n = 0
    sock.settimeout(None)
    try:
        while True:
            d = sock.recv(262144)
            if not d:
                break
            n += len(d)
    except OSError:
        pass
    log.write({"name": name, "conn": conn, "peer": peer, "silent_bytes": n})


def split_spec(spec):
    if spec.startswith("["):
        addr, rest = spec[1:].split("]:", 1)
    else:
        addr, rest = spec.split(":", 1)
    port, name = rest.split(":", 1)
    return addr, int(port), name


def listener(spec, log, handler):
    addr, port, name = split_spec(spec)
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(512)
    counter = [0]

    def loop():
        while True:
            try:
                cs, pa = s.accept()
            except OSError:
                time.sleep(0.01)
                continue
            counter[0] += 1
            conn = "%s-%d" % (name, counter[0])
            cs.settimeout(IDLE_TIMEOUT)
            cs.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            peer = "%s:%d" % (pa[0], pa[1])

            def run(cs=cs, peer=peer, conn=conn):
                try:
                    handler(cs, peer, name, conn, log)
                finally:
                    try:
                        cs.close()
                    except OSError:
                        pass
            threading.Thread(target=run, daemon=True).start()
    threading.Thread(target=loop, daemon=True).start()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--log")
    ap.add_argument("-l", action="append", default=[], help="ADDR:PORT:NAME (HTTP)")
    ap.add_argument("-t", action="append", default=[], help="ADDR:PORT:NAME (TCP echo)")
    ap.add_argument("-P", action="append", default=[],
                    help="ADDR:PORT:NAME (HTTP after a PROXY header)")
    ap.add_argument("-s", action="append", default=[], help="ADDR:PORT:NAME (silent)")
    ap.add_argument("--pattern-sha", type=int)
    a = ap.parse_args()
    if a.pattern_sha is not None:
        print(pattern_sha(a.pattern_sha))
        return 0
    if not a.log or not (a.l or a.t or a.P or a.s):
        ap.error("--log and at least one -l, -t, -P or -s are needed")
    log = Log(a.log)
    for spec in a.l:
        listener(spec, log, serve_http)
    for spec in a.t:
        listener(spec, log, serve_tcp)
    for spec in a.P:
        listener(spec, log, serve_proxied)
    for spec in a.s:
        listener(spec, log, serve_silent)
    print("listening", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    sys.exit(main())
