#!/usr/bin/env python3
"""TLS backends for t_sni.sh: each -l ADDR:PORT:NAME terminates TLS with
--cert/--key and answers one HTTP/1.x request with "backend=NAME
sni=SERVER_NAME" (the name its own TLS stack saw, "-" for none), then
closes.  One JSON line per connection to --log: {"name", "sni", "ok"} or
{"name", "error"}."""
import argparse
import json
import socket
import ssl
import sys
import threading

lock = threading.Lock()


def log(path, rec):
    with lock, open(path, "a") as f:
        f.write(json.dumps(rec) + "\n")


def serve_one(conn, ctx, name, path):
    seen = {"sni": "-"}

    def on_sni(sslobj, server_name, _ctx):
        seen["sni"] = server_name or "-"

    c = ctx(on_sni)
    try:
        conn.settimeout(10)
        s = c.wrap_socket(conn, server_side=True)
        req = b""
        while b"\r\n\r\n" not in req and len(req) < 65536:
            d = s.recv(65536)
            if not d:
                break
            req += d
        body = ("backend=%s sni=%s\n" % (name, seen["sni"])).encode()
        s.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                  % len(body) + body)
        s.close()
        log(path, {"name": name, "sni": seen["sni"], "ok": True})
    except (OSError, ssl.SSLError) as e:
        log(path, {"name": name, "error": str(e)})
        conn.close()


def listen(addr, port, name, make_ctx, path):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(64)
    while True:
        conn, _ = ls.accept()
        threading.Thread(target=serve_one, args=(conn, make_ctx, name, path),
                         daemon=True).start()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("-l", action="append", default=[])
    a = ap.parse_args()

    def make_ctx(on_sni):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.cert, a.key)
        ctx.sni_callback = on_sni
        return ctx

    threads = []
    for spec in a.l:
        addr, port, name = spec.rsplit(":", 2)
        t = threading.Thread(target=listen, args=(addr, int(port), name, make_ctx, a.log),
                             daemon=True)
        t.start()
        threads.append(t)
    for t in threads:
        t.join()


if __name__ == "__main__":
    sys.exit(main())
