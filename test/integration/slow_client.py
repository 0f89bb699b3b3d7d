#!/usr/bin/env python3
"""Clients that hold connections open, slowly or not at all (stdlib only).

    slow_client.py hold   --host H --port P -n N [--until FILE] [--max-seconds S]
    slow_client.py loris  --host H --port P -n N --max-seconds S [--out FILE]
    slow_client.py reader --host H --port P -n N --path PATH --max-seconds S [--out FILE]
    slow_client.py rate   --host H --port P -n N [--path PATH] [--max-seconds S]
    slow_client.py burst  --host H --port P -n N [--path PATH] [--max-seconds S]

hold    opens N connections (2 s connect timeout each), prints "open N" and
        keeps them, sending nothing, until FILE exists or S seconds (20).
loris   keeps N Slowloris connections open for S seconds: each sends a
        request head one byte a second and never ends it; one the proxy
        closes is opened again.  Prints "open N" once all are connected.
reader  opens N connections, each asking for PATH (a big body) and then
        reading one byte a second with a small receive buffer; prints
        "open N" once every request is sent, and keeps them for S seconds.
rate    N GETs of PATH, one after another on a keep-alive connection (a
        new one if the proxy closes it); prints "RATE OK FAILED SECONDS"
        (requests/s); stops after S seconds (30) if N are not done.
burst   N GETs of PATH at once, each on its own connection and given S
        seconds (20); prints one JSON line {"statuses": {STATUS|ERROR: n},
        "min": s, "max": s} (the times an answer or error took).

loris and reader write one JSON line per connection to FILE (default
stdout) at the end: {"conn", "connected" (epoch s), "closed" (epoch s or
null: still open), "lifetime" (s), "status" (of an answer, or null),
"how": "eof"|"reset"|"open"|"refused"|...}, then a summary line
{"summary": {...}} (lifetime_min counts from the connect(2) call, the
others from the connection's completion).  Every loop is bounded by S seconds.
"""
import argparse
import errno
import json
import os
import selectors
import socket
import sys
import time

# A head that never ends: the request line, then header bytes forever.
LORIS_HEAD = b"GET /loris HTTP/1.1\r\nHost: t.example\r\nX-Slow: " + b"s" * 4096


def cmd_hold(a):
    socks = []
    for _ in range(a.n):
        s = socket.socket()
        s.settimeout(2)
        s.connect((a.host, a.port))
        socks.append(s)
    print("open", len(socks), flush=True)
    end = time.time() + a.max_seconds
    while not (a.until and os.path.exists(a.until)) and time.time() < end:
        time.sleep(0.05)
    return 0


class Record:
    def __init__(self, conn):
        self.conn = conn
        self.started = None
        self.connected = None
        self.closed = None
        self.status = None
        self.how = "open"
        self.got = 0

    def json(self):
        life = None
        if self.connected is not None and self.closed is not None:
            life = round(self.closed - self.connected, 3)
        return {"conn": self.conn, "connected": self.connected, "closed": self.closed,
                "lifetime": life, "status": self.status, "how": self.how, "bytes": self.got}


def status_of(data):
    if data.startswith(b"HTTP/1.") and len(data) >= 12:
        try:
            return int(data[9:12])
        except ValueError:
            return None
    return None


class Slow:
    """N slow connections in one selectors loop (cheap enough that its own
    lag does not skew the times it records).  Every second each open
    connection is "ticked": a Slowloris sends its next head byte, a reader
    takes one byte.  Readiness is polled every 10 ms."""

    def __init__(self, a, loris):
        self.a, self.loris = a, loris
        self.sel = selectors.DefaultSelector()
        self.recs = []
        self.live = {}			# socket -> [Record, head position, got]
        self.end = time.time() + a.max_seconds

    def open_one(self):
        rec = Record(len(self.recs))
        self.recs.append(rec)
        s = socket.socket()
        if not self.loris:
            # Before the connect, so the window the proxy sees stays small.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.setblocking(False)
        s.connect_ex((self.a.host, self.a.port))
        rec.started = time.time()
        self.live[s] = [rec, 0, b"", True]	# head position, got, registered
        self.sel.register(s, selectors.EVENT_WRITE, None)

    def done(self, s, how):
        rec, _, got, registered = self.live.pop(s)
        if registered:
            self.sel.unregister(s)
        s.close()
        rec.how, rec.closed = how, time.time()
        rec.status = status_of(got)
        rec.got = len(got)
        if self.loris and time.time() < self.end:
            self.open_one()		# as an attacker does

    def on_writable(self, s):
        st = self.live[s]
        err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if err:
            self.done(s, errno.errorcode.get(err, str(err)))
            return
        st[0].connected = time.time()
        if self.loris:
            s.send(LORIS_HEAD[:1])
            st[1] = 1
        else:
            s.send(b"GET %s HTTP/1.1\r\nHost: t.example\r\n\r\n" % self.a.path.encode())
        self.sel.modify(s, selectors.EVENT_READ, None)

    def on_readable(self, s):
        st = self.live[s]
        want = 65536 if self.loris else 12 - len(st[2])
        try:
            d = s.recv(want)
        except ConnectionResetError:
            self.done(s, "reset")
            return
        except BlockingIOError:
            return
        if not d:
            self.done(s, "eof")
            return
        st[2] += d
        if not self.loris and len(st[2]) >= 12:
            self.sel.unregister(s)	# from now on, a byte per tick
            st[3] = False

    def tick(self):
        for s, st in list(self.live.items()):
            if st[0].connected is None:
                continue
            try:
                if self.loris:
                    if st[1] < len(LORIS_HEAD):
                        s.send(LORIS_HEAD[st[1]:st[1] + 1])
                        st[1] += 1
                elif len(st[2]) >= 12:
                    d = s.recv(1)
                    if not d:
                        self.done(s, "eof")
                        continue
                    st[2] += d
            except BlockingIOError:
                pass
            except ConnectionResetError:
                self.done(s, "reset")
            except OSError as e:
                self.done(s, type(e).__name__)

    def run(self):
        n = self.a.n
        said = False
        t0 = time.time()
        next_tick = time.time() + 1.0
        while time.time() < self.end:
            # 100 connects every 50 ms: a burst beyond the backlog is dropped.
            while len(self.recs) < min(n, 100 * (1 + int((time.time() - t0) / 0.05))):
                self.open_one()
            for key, mask in self.sel.select(0.01):
                s = key.fileobj
                if s not in self.live:
                    continue
                if mask & selectors.EVENT_WRITE and self.live[s][0].connected is None:
                    self.on_writable(s)
                elif mask & selectors.EVENT_READ:
                    self.on_readable(s)
            now = time.time()
            if now >= next_tick:
                self.tick()
                next_tick += 1.0
            if not said and len(self.recs) >= n:
                up = [st for st in self.live.values() if st[0].connected is not None and
                      (self.loris or len(st[2]) >= 12)]
                if len(up) >= n:
                    print("open", n, "%.3f" % now, flush=True)
                    said = True
        for s, st in list(self.live.items()):
            st[0].got = len(st[2])
            s.close()
        return self.recs


def report(recs, out):
    f = open(out, "w") if out else sys.stdout
    for r in recs:
        f.write(json.dumps(r.json()) + "\n")
    closed = [r for r in recs if r.closed is not None and r.connected is not None]
    # This loop's own lag may record a connect late: the shortest life is
    # taken from the connect(2) call, the longest from its completion.
    short = sorted(r.closed - r.started for r in closed)
    life = sorted(r.closed - r.connected for r in closed)
    statuses = {}
    for r in closed:
        statuses[str(r.status)] = statuses.get(str(r.status), 0) + 1
    summ = {"connections": len(recs), "connected": sum(r.connected is not None for r in recs),
            "closed": len(closed), "still_open": sum(r.how == "open" for r in recs),
            "failed_connect": sum(r.connected is None for r in recs),
            "statuses": statuses,
            "lifetime_min": round(short[0], 3) if life else None,
            "lifetime_median": round(life[len(life) // 2], 3) if life else None,
            "lifetime_max": round(life[-1], 3) if life else None}
    f.write(json.dumps({"summary": summ}) + "\n")
    f.flush()


def cmd_rate(a):
    req = ("GET %s HTTP/1.1\r\nHost: t.example\r\n\r\n" % a.path).encode()
    ok = failed = 0
    s, buf = None, b""
    t0 = time.time()
    end = t0 + a.max_seconds
    while ok + failed < a.n and time.time() < end:
        try:
            if s is None:
                s = socket.create_connection((a.host, a.port), timeout=5)
                buf = b""
            s.sendall(req)
            while b"\r\n\r\n" not in buf:
                d = s.recv(65536)
                if not d:
                    raise EOFError()
                buf += d
            head, _, buf = buf.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                n, _, v = line.partition(b":")
                if n.strip().lower() == b"content-length":
                    length = int(v)
            while len(buf) < length:
                d = s.recv(65536)
                if not d:
                    raise EOFError()
                buf += d
            buf = buf[length:]
            if status_of(head) == 200:
                ok += 1
            else:
                failed += 1
        except (OSError, EOFError):
            failed += 1
            if s is not None:
                s.close()
            s = None
    el = time.time() - t0
    print("%.1f %d %d %.3f" % ((ok / el) if el > 0 else 0, ok, failed, el), flush=True)
    return 0


def cmd_burst(a):
    import threading
    req = ("GET %s HTTP/1.1\r\nHost: t.example\r\nConnection: close\r\n\r\n"
           % a.path).encode()
    res = []

    def one():
        t0 = time.time()
        what = None
        try:
            s = socket.create_connection((a.host, a.port), timeout=a.max_seconds)
            s.sendall(req)
            got = b""
            while True:
                d = s.recv(65536)
                if not d:
                    break
                got += d
            what = str(status_of(got)) if got else "eof"
            s.close()
        except socket.timeout:
            what = "timeout"
        except OSError as e:
            what = type(e).__name__
        res.append((what, time.time() - t0))
    ts = [threading.Thread(target=one) for _ in range(a.n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    st = {}
    for what, _ in res:
        st[what] = st.get(what, 0) + 1
    el = [e for _, e in res]
    print(json.dumps({"statuses": st, "min": round(min(el), 3), "max": round(max(el), 3)}),
          flush=True)
    return 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=("hold", "loris", "reader", "rate", "burst"))
    p.add_argument("--host", required=True)
    p.add_argument("--port", type=int, default=80)
    p.add_argument("-n", type=int, default=1)
    p.add_argument("--path", default="/")
    p.add_argument("--until")
    p.add_argument("--max-seconds", type=float, default=None)
    p.add_argument("--out")
    a = p.parse_args()
    if a.max_seconds is None:
        a.max_seconds = 30.0 if a.mode == "rate" else 20.0
    if a.mode == "hold":
        return cmd_hold(a)
    if a.mode == "rate":
        return cmd_rate(a)
    if a.mode == "burst":
        return cmd_burst(a)
    recs = Slow(a, a.mode == "loris").run()
    report(recs, a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
