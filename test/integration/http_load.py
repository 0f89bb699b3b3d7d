#!/usr/bin/env python3
"""A bounded HTTP client load for the HA tests (stdlib only).

    http_load.py --log FILE --host ADDR [--port 80] [--path /ha]
                 [--interval 0.01] [--timeout 1] [--max-seconds 60]
                 [--max-requests 6000]
    http_load.py --report FILE --since T

The load: one GET every INTERVAL seconds, each on a new TCP connection
("Connection: close"), started on schedule whether or not the earlier ones
have finished, so that one stalled request (a SYN lost during a failover)
does not hold back the next.  A request has TIMEOUT seconds in all.  It
succeeds on a complete 200 response (the whole Content-Length body); any
other status, a reset, a refused connection, a short body or the timeout is
a failure.  One line per finished request is appended to FILE:

    START END ok|fail WHAT          (times: epoch seconds, WHAT: the status
                                     or the error)

The run ends after MAX_SECONDS or MAX_REQUESTS started, or on SIGTERM /
SIGINT: then no new request starts and the ones in flight get the rest of
their TIMEOUT.

--report prints "GAP_MS FAILED SUCCEEDED" for the part of the run from T on:
GAP_MS is the longest time without a successful response (measured from the
last success before T, and up to the start of the last request of the run),
FAILED and SUCCEEDED count the requests that ended at or after T.
"""
import argparse
import errno
import selectors
import signal
import socket
import sys
import time


class Request:
    def __init__(self, sock, start, deadline):
        self.sock = sock
        self.start = start
        self.deadline = deadline
        self.buf = b""


def parse_response(buf):
    """The status if BUF is a complete response, else None."""
    head, sep, body = buf.partition(b"\r\n\r\n")
    if not sep:
        return None
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
        return None
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            if len(body) != int(value.strip()):
                return None
    return parts[1].decode("ascii", "replace")


class Load:
    def __init__(self, args):
        self.args = args
        self.sel = selectors.DefaultSelector()
        self.out = open(args.log, "a", buffering=1)
        self.req = ("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n"
                % (args.path, args.host)).encode("ascii")
        self.stopping = False

    def finish(self, r, ok, what):
        self.sel.unregister(r.sock)
        r.sock.close()
        self.out.write("%.6f %.6f %s %s\n" % (r.start, time.time(),
            "ok" if ok else "fail", what))

    def start(self, now):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        r = Request(s, now, now + self.args.timeout)
        self.sel.register(s, selectors.EVENT_WRITE, r)
        rc = s.connect_ex((self.args.host, self.args.port))
        if rc not in (0, errno.EINPROGRESS):
            self.finish(r, False, errno.errorcode.get(rc, str(rc)))

    def on_event(self, r, mask):
        if mask & selectors.EVENT_WRITE:
            err = r.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                self.finish(r, False, errno.errorcode.get(err, str(err)))
                return
            try:
                r.sock.send(self.req)	# small: one send fits
            except OSError as e:
                self.finish(r, False, errno.errorcode.get(e.errno, str(e)))
                return
            self.sel.modify(r.sock, selectors.EVENT_READ, r)
            return
        try:
            data = r.sock.recv(65536)
        except OSError as e:
            self.finish(r, False, errno.errorcode.get(e.errno, str(e)))
            return
        if data:
            r.buf += data
            return
        status = parse_response(r.buf)
        if status is None:
            self.finish(r, False, "incomplete(%d)" % len(r.buf))
        else:
            self.finish(r, status == "200", status)

    def expire(self, now):
        for key in list(self.sel.get_map().values()):
            if key.data.deadline <= now:
                self.finish(key.data, False, "timeout")

    def run(self):
        a = self.args
        t0 = time.time()
        next_start, started = t0, 0
        while True:
            now = time.time()
            if now - t0 >= a.max_seconds or started >= a.max_requests:
                self.stopping = True
            if not self.stopping and now >= next_start:
                self.start(now)
                started += 1
                next_start += a.interval
                if next_start < now:	# never burst to catch up
                    next_start = now + a.interval
            if self.stopping and not self.sel.get_map():
                return
            wait = 0.05 if self.stopping else max(0.0, next_start - now)
            for key, mask in self.sel.select(min(wait, a.timeout)):
                self.on_event(key.data, mask)
            self.expire(time.time())


def report(path, since):
    ok_ends, last_start, failed, good = [], 0.0, 0, 0
    with open(path) as f:
        for line in f:
            start, end, what, _ = line.split(" ", 3)
            start, end = float(start), float(end)
            last_start = max(last_start, start)
            if what == "ok":
                ok_ends.append(end)
                good += end >= since
            else:
                failed += end >= since
    ok_ends.sort()
    before = [t for t in ok_ends if t < since]
    points = [before[-1] if before else since] + [t for t in ok_ends if t >= since]
    # A run that ends in an outage: up to its last attempt.
    points.append(max(last_start, points[-1]))
    gap = max(b - a for a, b in zip(points, points[1:]))
    print("%d %d %d" % (round(gap * 1000), failed, good))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--log")
    p.add_argument("--host")
    p.add_argument("--port", type=int, default=80)
    p.add_argument("--path", default="/ha")
    p.add_argument("--interval", type=float, default=0.01)
    p.add_argument("--timeout", type=float, default=1.0)
    p.add_argument("--max-seconds", type=float, default=60.0)
    p.add_argument("--max-requests", type=int, default=6000)
    p.add_argument("--report")
    p.add_argument("--since", type=float, default=0.0)
    a = p.parse_args()
    if a.report:
        report(a.report, a.since)
        return 0
    load = Load(a)

    def stop(signum, frame):
        load.stopping = True
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    load.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
