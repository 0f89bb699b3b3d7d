#!/usr/bin/env python3
"""Concurrent or paced HTTP/1.1 GETs for the queue tests (stdlib only).

    queue_client.py burst --host ADDR [--port 80] [--path /] -n N [--timeout S]
    queue_client.py paced --host ADDR [--port 80] [--path /] --seconds S
                    [--interval S] [-n MAX] [--timeout S]
    queue_client.py tcp-hold --host ADDR [--port 80]

Each request is a GET on a new connection with "Connection: close"; it has
TIMEOUT seconds (default 10) in all.  burst starts N requests at once (one
thread each) and waits for them all; paced sends one request after the
other, the next INTERVAL seconds (default 0.005) after the last ended, for
SECONDS or MAX requests (default 2000), whichever comes first.

tcp-hold is for a TCP (NAT) virtual server whose one server has maxconn 1
and echoes: a first connection is opened and echoes; a second one sends
and must get no echo while the first stays open (0.5 s), then its echo
once the first closes.  It prints "FIRST HELD AFTER MS": ok/none/none
for each, then how long after the close the second echo came.

Otherwise one line per request on stdout, in the order they ended:

    STATUS BACKEND INFLIGHT START_MS END_MS

STATUS is the response's, or "ERR" (refused, reset, timeout, a short
response); BACKEND and INFLIGHT the X-Backend and X-Inflight fields ("-"
when absent); times in ms since the run started.
"""
import argparse
import socket
import sys
import threading
import time

T0 = time.monotonic()
LOCK = threading.Lock()


def ms():
    return int((time.monotonic() - T0) * 1000)


def parse(buf):
    """(status, fields) of a complete response in buf, else None."""
    head, sep, body = buf.partition(b"\r\n\r\n")
    if not sep:
        return None
    lines = head.decode("latin-1").split("\r\n")
    fields = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        fields[k.strip().lower()] = v.strip()
    if len(body) < int(fields.get("content-length", "0")):
        return None
    return lines[0].split(" ")[1], fields


def get(a):
    start = ms()
    status, backend, inflight = "ERR", "-", "-"
    deadline = time.monotonic() + a.timeout
    try:
        with socket.create_connection((a.host, a.port), timeout=a.timeout) as s:
            s.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" %
                       (a.path, a.host)).encode())
            buf = b""
            while time.monotonic() < deadline:
                s.settimeout(max(0.01, deadline - time.monotonic()))
                d = s.recv(65536)
                if not d:
                    break
                buf += d
            r = parse(buf)
            if r is not None:
                status = r[0]
                backend = r[1].get("x-backend", "-")
                inflight = r[1].get("x-inflight", "-")
    except OSError:
        pass
    line = "%s %s %s %d %d" % (status, backend, inflight, start, ms())
    with LOCK:
        print(line, flush=True)


def burst(a):
    threads = [threading.Thread(target=get, args=(a,)) for _ in range(a.n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(a.timeout + 5)


def paced(a):
    end = time.monotonic() + a.seconds
    for _ in range(a.n):
        if time.monotonic() >= end:
            break
        get(a)
        time.sleep(a.interval)


def echoed(s, data, wait):
    """Whether data comes back on s within wait seconds."""
    s.settimeout(wait)
    try:
        return s.recv(len(data)) == data
    except OSError:
        return False


def tcp_hold(a):
    first = socket.create_connection((a.host, a.port), timeout=a.timeout)
    first.sendall(b"one")
    r1 = echoed(first, b"one", a.timeout)
    second = socket.create_connection((a.host, a.port), timeout=a.timeout)
    second.sendall(b"two")
    held = echoed(second, b"two", 0.5)
    first.close()
    t = time.monotonic()
    after = not held and echoed(second, b"two", a.timeout)
    second.close()
    print("%s %s %s %d" % ("ok" if r1 else "none", "ok" if held else "none",
                           "ok" if after else "none", (time.monotonic() - t) * 1000))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=("burst", "paced", "tcp-hold"))
    ap.add_argument("--host", required=True)
    ap.add_argument("--port", type=int, default=80)
    ap.add_argument("--path", default="/")
    ap.add_argument("-n", type=int, default=2000)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--interval", type=float, default=0.005)
    a = ap.parse_args()
    {"burst": burst, "paced": paced, "tcp-hold": tcp_hold}[a.mode](a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
