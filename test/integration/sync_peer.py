#!/usr/bin/env python3
"""A scripted sticky_sync peer (doc/sticky-sync.md), for t_sync_wire.sh.

    sync_peer.py --listen ADDR:PORT --secret S --gate DIR --log FILE \
        --vs ADDR:PORT SCENARIO...

Listens where the node's `peer` points (the node, with the lower address,
connects) and plays one scenario per authenticated connection, in order.
Before each scenario it waits (at most 60 s) for the file DIR/go-SCENARIO,
so that the test can look at the node between two; connections that die
before their handshake (the node gave up waiting) are skipped.  Each
scenario logs "done SCENARIO ..." or "fail SCENARIO: why" to FILE.

Scenarios (an entry is "client -> server", all on --vs):
  inject:C=S[,C=S...]  entries C -> S (S is ADDR:PORT), then RESYNC_DONE
  flood:N       N entries for clients 2001:db8:1::/112 -> the first server
                of --server, in frames of 100, then RESYNC_DONE
  badmac:C=S    one good frame (C -> S), then one whose MAC has a byte
                flipped (client C+1), then waits for the node to close
  replay:C=S    one good frame, then the same bytes again; waits for close
  early         ENTRIES right after HELLO, before any AUTH; waits for close
  wrongsecret   the handshake with another secret; waits for close
  noread:T      the handshake, then reads nothing more, pinging every
                second for at most T s; done when the node closes
The node's own frames are read (and thrown away) by a thread, except in
noread.
"""
import argparse
import hashlib
import hmac
import ipaddress
import os
import socket
import struct
import sys
import threading
import time

HELLO, AUTH, ENTRIES, RESYNC_DONE, PING = 1, 2, 3, 4, 5
MAC_LEN = 16
PER_FRAME = 100       # IPv6 clients: 35 bytes an entry, 4077 bytes a body at most


def hm(key, *parts):
    return hmac.new(key, b"".join(parts), hashlib.sha256).digest()


def plain(t, body):
    return struct.pack(">HB", 1 + len(body), t) + body


def addr_bytes(a):
    ip = ipaddress.ip_address(a)
    return (b"\x04" if ip.version == 4 else b"\x06") + ip.packed


def hostport(s):
    a, p = s.rsplit(":", 1)
    return a.strip("[]"), int(p)


def entry(vs, client, rs, life_ms=300000):
    return (addr_bytes(vs[0]) + struct.pack(">H", vs[1]) + addr_bytes(client) +
            addr_bytes(rs[0]) + struct.pack(">HI", rs[1], life_ms))


def entries_body(es):
    return struct.pack(">H", len(es)) + b"".join(es)


class Closed(Exception):
    pass


class Link:
    def __init__(self, sock, secret):
        self.s, self.secret, self.buf, self.seq = sock, secret, b"", 0
        self.nonce = os.urandom(32)
        self.tx = None

    def recv_frame(self):
        while True:
            if len(self.buf) >= 2:
                n = struct.unpack(">H", self.buf[:2])[0]
                if len(self.buf) >= 2 + n:
                    f, self.buf = self.buf[:2 + n], self.buf[2 + n:]
                    return f[2], f[3:]
            d = self.s.recv(65536)
            if not d:
                raise Closed()
            self.buf += d

    def authed(self, t, body, flip=False):
        hdr = struct.pack(">HB", 1 + len(body) + MAC_LEN, t)
        mac = bytearray(hm(self.tx, struct.pack(">Q", self.seq), hdr, body)[:MAC_LEN])
        if flip:
            mac[0] ^= 0x01
        self.seq += 1
        return hdr + body + bytes(mac)

    def hello(self):
        self.s.sendall(plain(HELLO, b"KL7Y\x01" + self.nonce))
        t, body = self.recv_frame()
        if t != HELLO or len(body) != 37:
            raise Closed()
        self.peer = body[5:]

    def handshake(self):
        self.hello()
        self.s.sendall(plain(AUTH, hm(self.secret, b"kl7-sync auth", self.nonce, self.peer)))
        t, body = self.recv_frame()
        if t != AUTH:
            raise Closed()
        ok = hmac.compare_digest(body, hm(self.secret, b"kl7-sync auth", self.peer, self.nonce))
        self.tx = hm(self.secret, b"kl7-sync key", self.nonce, self.peer)
        return ok

    def drain(self):
        """Read and drop the node's frames until it closes."""
        def run():
            try:
                while self.s.recv(65536):
                    pass
            except OSError:
                pass
        th = threading.Thread(target=run, daemon=True)
        th.start()
        return th


def wait_closed(link, th, timeout=15):
    th.join(timeout)
    return not th.is_alive()


def parse_pairs(arg):
    out = []
    for p in arg.split(","):
        c, s = p.split("=")
        out.append((c, hostport(s)))
    return out


def run_scenario(link, name, arg, opt):
    vs = hostport(opt.vs)
    if name == "early":
        link.hello()
        link.tx = b"\x00" * 32
        link.s.sendall(link.authed(ENTRIES, entries_body([entry(vs, "192.0.2.99", hostport(opt.server[0]))])))
        return "closed" if wait_closed(link, link.drain()) else "still open"
    if name == "wrongsecret":
        link.secret = b"not the node's secret at all"
        ok = link.handshake()
        return "closed" if wait_closed(link, link.drain()) and not ok else "accepted"
    if not link.handshake():
        raise RuntimeError("the node's AUTH does not verify")
    if name == "noread":
        # The node's frames pile up unread; a ping a second keeps the link
        # alive.  Once the node has closed, a send fails (its RST).
        end = time.time() + float(arg)
        try:
            while time.time() < end:
                link.s.sendall(link.authed(PING, b""))
                time.sleep(1)
        except OSError:
            return "closed"
        return "still open"
    th = link.drain()
    if name == "inject":
        es = [entry(vs, c, s) for c, s in parse_pairs(arg)]
        link.s.sendall(link.authed(ENTRIES, entries_body(es)) + link.authed(RESYNC_DONE, b""))
        return "%d entries" % len(es)
    if name == "flood":
        n, rs = int(arg), hostport(opt.server[0])
        base = int(ipaddress.ip_address("2001:db8:1::"))
        es = [entry(vs, str(ipaddress.ip_address(base + i)), rs) for i in range(n)]
        out = b"".join(link.authed(ENTRIES, entries_body(es[i:i + PER_FRAME]))
                       for i in range(0, n, PER_FRAME))
        link.s.sendall(out + link.authed(RESYNC_DONE, b""))
        return "%d entries" % n
    if name in ("badmac", "replay"):
        (c, s), = parse_pairs(arg)
        good = link.authed(ENTRIES, entries_body([entry(vs, c, s)]))
        if name == "badmac":
            nxt = str(ipaddress.ip_address(c) + 1)
            bad = link.authed(ENTRIES, entries_body([entry(vs, nxt, s)]), flip=True)
        else:
            bad = good
        link.s.sendall(good + bad)
        return "closed" if wait_closed(link, th) else "still open"
    raise RuntimeError("unknown scenario " + name)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", required=True)
    ap.add_argument("--secret", required=True)
    ap.add_argument("--gate", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--vs", required=True)
    ap.add_argument("--server", action="append", required=True)
    ap.add_argument("scenarios", nargs="+")
    opt = ap.parse_args()
    a, p = hostport(opt.listen)
    ls = socket.socket(socket.AF_INET6 if ":" in a else socket.AF_INET)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Small buffers, so that a peer that does not read is seen soon.
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    ls.bind((a, p))
    ls.listen(8)
    log = open(opt.log, "a", buffering=1)
    for sc in opt.scenarios:
        name, _, arg = sc.partition(":")
        gate = os.path.join(opt.gate, "go-" + name)
        deadline = time.time() + 60
        while not os.path.exists(gate):
            if time.time() > deadline:
                log.write("fail %s: no gate\n" % name)
                return 1
            time.sleep(0.05)
        ls.settimeout(30)
        while True:
            s, _ = ls.accept()
            s.settimeout(20)
            try:
                log.write("done %s %s\n" % (name, run_scenario(Link(s, opt.secret.encode()), name, arg, opt)))
                break
            except Closed:
                pass        # a connection the node gave up on: the next one
            except Exception as e:  # noqa: BLE001 (the test reads the log)
                log.write("fail %s: %r\n" % (name, e))
                break
            finally:
                s.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
