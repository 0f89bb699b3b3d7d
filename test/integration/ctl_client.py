#!/usr/bin/env python3
"""Raw control-socket clients for t_ctl.sh (stdlib only): what
keepalive-l7ctl never sends, and clients that misbehave.

    ctl_client.py send SOCK          stdin lines -> one request each; prints
                                     each reply line, then "EOF" if the
                                     server closed the connection after them
    ctl_client.py oversize SOCK N    N bytes without a newline; prints the
                                     reply and "EOF" once the server closes
    ctl_client.py many SOCK N        N connections at once, a status request
                                     on each, then reads every reply; prints
                                     "ok=A refused=R failed=F"
    ctl_client.py hold SOCK MODE S   a bad client for at most S seconds:
                                     MODE half (half a request) or noread
                                     (requests, never reads the replies);
                                     prints "ready", then "closed" when the
                                     server drops it, or "open" at S
"""
import json
import socket
import sys
import time

STATUS = b'{"version":1,"command":"status"}\n'


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    # Blocking: with a timeout a unix connect fails (EAGAIN) instead of
    # waiting while the listen backlog is full.
    s.connect(path)
    s.settimeout(10)
    return s


def read_line(s, buf):
    while b"\n" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            return None, buf
        buf += chunk
    line, _, rest = buf.partition(b"\n")
    return line, rest


def eof_follows(s, rest):
    """The server closes: EOF, or a reset when it left our bytes unread."""
    if rest:
        return False
    s.settimeout(5)
    try:
        return s.recv(1) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def cmd_send(path):
    s = connect(path)
    buf = b""
    for line in sys.stdin.buffer:
        s.sendall(line if line.endswith(b"\n") else line + b"\n")
        reply, buf = read_line(s, buf)
        if reply is None:
            print("EOF")
            return
        print(reply.decode())
    s.shutdown(socket.SHUT_WR)
    if eof_follows(s, buf):
        print("EOF")


def cmd_oversize(path, n):
    s = connect(path)
    try:
        s.sendall(b"{" + b" " * (n - 1))
    except (BrokenPipeError, ConnectionResetError):
        pass
    reply, rest = read_line(s, b"")
    print(reply.decode() if reply is not None else "no reply")
    if reply is not None and eof_follows(s, rest):
        print("EOF")


def cmd_many(path, n):
    socks, ok, refused, failed = [], 0, 0, 0
    for _ in range(n):
        socks.append(connect(path))
    for s in socks:
        try:
            s.sendall(STATUS)
        except OSError:
            pass  # refused and closed already: its reply is still to read
    for s in socks:
        try:
            reply, _ = read_line(s, b"")
            j = json.loads(reply) if reply else {}
        except (OSError, ValueError):
            j = {}
        if j.get("ok") is True and j["result"]["pid"] > 0:
            ok += 1
        elif "too many" in j.get("error", ""):
            refused += 1
        else:
            failed += 1
        s.close()
    print("ok=%d refused=%d failed=%d" % (ok, refused, failed))


def cmd_hold(path, mode, secs):
    s = connect(path)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    if mode == "half":
        s.sendall(b'{"version":1,"comm')
    else:
        # Enough replies to fill the socket buffers both ways.
        s.setblocking(False)
        req = b'{"version":1,"command":"show servers"}\n'
        for _ in range(2000):
            try:
                s.send(req)
            except BlockingIOError:
                break
    print("ready", flush=True)
    deadline = time.monotonic() + secs
    while time.monotonic() < deadline:
        try:
            if mode == "half":
                s.settimeout(0.2)
                if s.recv(1) == b"":
                    print("closed", flush=True)
                    return
            else:
                # Poll without reading: the peer's close shows as an error
                # on send once it has gone.
                s.send(b" ")
                time.sleep(0.2)
        except socket.timeout:
            continue
        except BlockingIOError:
            time.sleep(0.2)
        except (BrokenPipeError, ConnectionResetError):
            print("closed", flush=True)
            return
    print("open", flush=True)


def main():
    mode, path = sys.argv[1], sys.argv[2]
    if mode == "send":
        cmd_send(path)
    elif mode == "oversize":
        cmd_oversize(path, int(sys.argv[3]))
    elif mode == "many":
        cmd_many(path, int(sys.argv[3]))
    elif mode == "hold":
        cmd_hold(path, sys.argv[3], float(sys.argv[4]))
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
