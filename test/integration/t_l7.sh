#!/bin/bash
# The l7 forwarder against real backends: routing (host, path_prefix,
# path_regex, header, cookie, method, source, first match, AND of
# conditions), per-request switching on one keep-alive connection, rr
# spread, a 64 MB upload and a 256 MB download byte-identical, chunked
# bodies both ways, Expect: 100-continue, pipelining, keep-alive rules, the
# smuggling vectors of ref/l7.md section 1.4, the error answers (400, 405,
# 408, 414, 431, 501, 502, 503, 504, 505), retries on a closed port and a
# killed backend, all servers down -> 503, the sorry server, an idle server
# connection pool shared by clients (with the resend of a GET the server
# dropped), an IPv6 virtual server and server,
# X-Forwarded-For / -Proto, hop-by-hop removal, head re-serialisation,
# rcvbuf_server / sndbuf_client, lb_kind NAT, and the counters of the
# SIGUSR1 state dump.
#
#   lb  d0 (dummy) 192.0.2.1/24, .50, .60     the daemon and the clients
#       eth0 198.51.100.1/24 --veth-- srv eth0 198.51.100.2/24   the backends
#
# Backends: test/integration/echo_backend.py (one JSON line per request
# received, in $T/backend.log):
#   198.51.100.2:80NN  routing pools (one process)     VS 192.0.2.1:80
#   198.51.100.2:810N  rr a, b, c                      VS 192.0.2.1:81
#   198.51.100.2:8201  "echo": smuggling, bodies       VS 192.0.2.1:82
#   198.51.100.2:8301  timeouts                        VS 192.0.2.1:83
#   198.51.100.2:840N  retries (8401 is closed)        VS 192.0.2.1:84
#   198.51.100.2:850N  nothing (every connect fails)   VS 192.0.2.1:85
#   198.51.100.2:860N  ha1..ha3, one process each      VS 192.0.2.1:86
#   198.51.100.2:8701  passive health: /close fails    VS 192.0.2.1:87
#   198.51.100.2:8801  sorry server (8802 closed)      VS 192.0.2.1:88
#   198.51.100.2:8202  "pool": idle server connections VS 192.0.2.1:89
#   [2001:db8:1::2]:8203 "v6"                          VS [2001:db8::1]:91
#   198.51.100.2:8204  "bufs": socket buffer sizes     VS 192.0.2.1:92
#   198.51.100.2:890N  TCP echo                        VS 192.0.2.1:90 (NAT)
#
# Run by hand (as root), from the source tree with a build in build/:
#   KL7_TOP_BUILDDIR=$PWD/build bash test/integration/t_l7.sh
# KL7_KEEP_TMP=fail keeps the temp dir (logs, backend.log) after a failure.
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
command -v curl >/dev/null || skip_all "no curl"
command -v ss >/dev/null || skip_all "no ss (iproute2)"

[ -x "$kl7_bin" ] || diag "binary $kl7_bin not found: build first"

T=$KL7_TMP
LOG=$(daemon_log kl7)
BLOG=$T/backend.log
ST=$T/state.json
BACKEND="$_kl7_lib_dir/echo_backend.py"
VIP=192.0.2.1
t_start=$(now_ms)

# ---------------------------------------------------------------- topology

netns_add lb || bail_out "cannot create netns lb"
netns_add srv || bail_out "cannot create netns srv"
{
	link_add_dummy lb d0 &&
	    ip -n "$(ns_name lb)" addr add 192.0.2.1/24 dev d0 &&
	    ip -n "$(ns_name lb)" addr add 192.0.2.50/32 dev d0 &&
	    ip -n "$(ns_name lb)" addr add 192.0.2.60/32 dev d0 &&
	    ip -n "$(ns_name lb)" link add eth0 type veth peer name eth0 netns "$(ns_name srv)" &&
	    ip -n "$(ns_name lb)" addr add 198.51.100.1/24 dev eth0 &&
	    ip -n "$(ns_name srv)" addr add 198.51.100.2/24 dev eth0 &&
	    ip -n "$(ns_name lb)" link set eth0 up &&
	    ip -n "$(ns_name srv)" link set eth0 up &&
	    ip -n "$(ns_name lb)" addr add 2001:db8::1/64 dev d0 nodad &&
	    ip -n "$(ns_name lb)" addr add 2001:db8:1::1/64 dev eth0 nodad &&
	    ip -n "$(ns_name srv)" addr add 2001:db8:1::2/64 dev eth0 nodad
} 2>>"$T/ip.log" || bail_out "cannot build the topology: $(tail -n 1 "$T/ip.log")"

# ---------------------------------------------------------------- backends

: >"$BLOG"
# backend NAME ARGS...: an echo_backend.py process in srv; sets BPID.
declare -A BPID=()
backend() {
	local name=$1
	shift
	ip netns exec "$(ns_name srv)" "$KL7_PYTHON" "$BACKEND" --log "$BLOG" "$@" \
	    </dev/null >>"$T/backend-$name.out" 2>&1 &
	BPID[$name]=$!
	track_pid "$!"
}
S=198.51.100.2
ROUTE_POOLS="both api static img canary beta gamma write src zero web"
args=()
p=8001
for n in $ROUTE_POOLS; do
	args+=(-l "$S:$p:$n")
	p=$((p + 1))
done
backend route "${args[@]}"
backend rr -l $S:8101:a -l $S:8102:b -l $S:8103:c
backend echo -l $S:8201:echo -l $S:8202:pool -l '[2001:db8:1::2]:8203:v6' -l $S:8301:slow -l $S:8402:r2 -l $S:8403:r3 -l $S:8801:sorry \
    -l $S:8701:passive -l $S:8204:bufs
backend ha1 -l $S:8601:ha1
backend ha2 -l $S:8602:ha2
backend ha3 -l $S:8603:ha3
backend nat -t $S:8901:t1 -t $S:8902:t2

listening() {
	ns_exec srv ss -Hltn "src $1 and sport = :$2" | grep -q LISTEN
}
backends_up() {
	local p
	listening "[2001:db8:1::2]" 8203 || return 1
	for p in 8001 8011 8101 8102 8103 8201 8202 8204 8301 8402 8403 8601 8602 8603 8701 8801 8901 8902; do
		listening $S "$p" || return 1
	done
}
if ! wait_for 15 backends_up; then
	for f in "$T"/backend-*.out; do diag_file "$f" 5; done
	bail_out "the backends did not start listening within 15 s"
fi
wait_for 5 ns_exec lb ping -c 1 -W 1 $S >/dev/null || bail_out "no ping reply from $S"

# ---------------------------------------------------------------- config

cat >"$T/k.conf" <<EOF
global_defs {
    state_file $ST
}
# Routing.
virtual_server $VIP 80 {
    lb_kind L7
    lb_algo rr
    forwarded_for on
    http_route r_and {
        host and.example.com
        path_prefix /v1/
        pool both
    }
    http_route r_host {
        host api.example.com *.api.example.net
        pool api
    }
    http_route r_prefix {
        path_prefix /static/ /assets/
        pool static
    }
    http_route r_regex {
        path_regex "^/img/[0-9]+[.]png\$"
        pool img
    }
    http_route r_header {
        header X-Canary "^(yes|true)\$"
        pool canary
    }
    http_route r_cookie {
        cookie beta 1
        pool beta
    }
    http_route r_cookie_any {
        cookie gamma
        pool gamma
    }
    http_route r_method {
        method DELETE PUT
        pool write
    }
    http_route r_source {
        source 192.0.2.60/32
        pool src
    }
    http_route r_zero {
        path_prefix /zero/
        pool zero
    }
    default_pool web
    real_server $S 8001 { pool both }
    real_server $S 8002 { pool api }
    real_server $S 8003 { pool static }
    real_server $S 8004 { pool img }
    real_server $S 8005 { pool canary }
    real_server $S 8006 { pool beta }
    real_server $S 8007 { pool gamma }
    real_server $S 8008 { pool write }
    real_server $S 8009 { pool src }
    real_server $S 8010 {
        pool zero
        weight 0
    }
    real_server $S 8011 { pool web }
}
# Round robin.
virtual_server $VIP 81 {
    lb_kind L7
    lb_algo rr
    real_server $S 8101 { }
    real_server $S 8102 { }
    real_server $S 8103 { }
}
# One echo server: bodies, smuggling, limits.
virtual_server $VIP 82 {
    lb_kind L7
    lb_algo rr
    real_server $S 8201 { }
}
# Short timeouts, small head limit.
virtual_server $VIP 83 {
    lb_kind L7
    timeout_request 0.5
    timeout_server 0.5
    max_header_size 2048
    real_server $S 8301 { }
}
# Retries: 8401 is a closed port.
virtual_server $VIP 84 {
    lb_kind L7
    lb_algo rr
    retries 3
    real_server $S 8401 { }
    real_server $S 8402 { }
    real_server $S 8403 { }
}
# Every connect fails.
virtual_server $VIP 85 {
    lb_kind L7
    lb_algo rr
    retries 1
    real_server $S 8501 { }
    real_server $S 8502 { }
}
# Health-checked servers, killed during the test.
virtual_server $VIP 86 {
    lb_kind L7
    lb_algo rr
    retries 3
    delay_loop 0.3
EOF
for p in 8601 8602 8603; do
	cat >>"$T/k.conf" <<EOF
    real_server $S $p {
        TCP_CHECK {
            connect_timeout 0.3
            retry 0
        }
    }
EOF
done
cat >>"$T/k.conf" <<EOF
}
# Passive health: TCP_CHECK passes (the backend accepts) but its rounds
# are 30 s apart; only live traffic can show the server failing.
virtual_server $VIP 87 {
    lb_kind L7
    retries 0
    delay_loop 30
    real_server $S 8701 {
        error_limit 3
        TCP_CHECK {
            connect_timeout 1
        }
    }
}
# Sorry server: the only real server is a closed port.
virtual_server $VIP 88 {
    lb_kind L7
    delay_loop 0.3
    sorry_server $S 8801
    real_server $S 8802 {
        TCP_CHECK {
            connect_timeout 0.3
            retry 0
        }
    }
}
# Server connections shared between clients.
virtual_server $VIP 89 {
    lb_kind L7
    real_server $S 8202 { }
}
# Socket buffers set, not autotuned (the kernel doubles what is asked).
virtual_server $VIP 92 {
    lb_kind L7
    rcvbuf_server 50000
    sndbuf_client 70000
    real_server $S 8204 { }
}
# IPv6 on both sides.
virtual_server 2001:db8::1 91 {
    lb_kind L7
    forwarded_for on
    real_server 2001:db8:1::2 8203 { }
}
# TCP proxy.
virtual_server $VIP 90 {
    lb_kind NAT
    lb_algo rr
    real_server $S 8901 { }
    real_server $S 8902 { }
}
EOF

# ---------------------------------------------------------------- client helper

cat >"$T/cli.py" <<'PYEOF'
import hashlib, json, os, socket, sys, time

VIP = "192.0.2.1"


class Resp:
    def __init__(self, status, headers, body, version):
        self.status, self.headers, self.body, self.version = status, headers, body, version

    def h(self, name):
        for n, v in self.headers:
            if n.lower() == name.lower():
                return v
        return None


class Client:
    def __init__(self, port, src=None, timeout=5.0):
        self.s = socket.socket()
        if src:
            self.s.bind((src, 0))
        self.s.settimeout(timeout)
        self.s.connect((VIP, port))
        self.buf = b""

    def send(self, data):
        self.s.sendall(data)

    def fill(self):
        d = self.s.recv(1 << 20)
        if not d:
            raise EOFError("connection closed")
        self.buf += d

    def line(self):
        while b"\r\n" not in self.buf:
            self.fill()
        l, self.buf = self.buf.split(b"\r\n", 1)
        return l

    def exact(self, n):
        while len(self.buf) < n:
            self.fill()
        d, self.buf = self.buf[:n], self.buf[n:]
        return d

    def response(self, head=False, skip_1xx=True):
        while True:
            sl = self.line()
            parts = sl.split(b" ", 2)
            version, status = parts[0].decode(), int(parts[1])
            headers = []
            while True:
                l = self.line()
                if not l:
                    break
                n, v = l.split(b":", 1)
                headers.append((n.decode(), v.strip().decode("latin-1")))
            r = Resp(status, headers, b"", version)
            if 100 <= status < 200:
                if skip_1xx:
                    continue
                return r
            break
        if head or status in (204, 304):
            return r
        te, cl = r.h("Transfer-Encoding"), r.h("Content-Length")
        if te and "chunked" in te.lower():
            body = b""
            while True:
                n = int(self.line().split(b";")[0], 16)
                if n == 0:
                    while self.line():
                        pass
                    break
                body += self.exact(n)
                self.exact(2)
            r.body = body
        elif cl is not None:
            r.body = self.exact(int(cl))
        else:
            while True:
                try:
                    self.fill()
                except EOFError:
                    break
            r.body, self.buf = self.buf, b""
        return r

    def closed(self, wait=2.0):
        """True if the peer closes (EOF or reset) within wait s with nothing more."""
        self.s.settimeout(wait)
        try:
            if self.buf:
                return False
            d = self.s.recv(65536)
            return d == b""
        except ConnectionResetError:
            return True
        except socket.timeout:
            return False


def get(path, host="t.example", extra="", method="GET", body=b""):
    req = "%s %s HTTP/1.1\r\nHost: %s\r\n%s" % (method, path, host, extra)
    if body or method in ("POST", "PUT"):
        req += "Content-Length: %d\r\n" % len(body)
    return req.encode() + b"\r\n" + body


def one(port, data, src=None, head=False, timeout=5.0):
    c = Client(port, src, timeout)
    c.send(data)
    return c.response(head=head)


def log_records(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for l in f:
            try:
                out.append(json.loads(l))
            except ValueError:
                pass
    return out


def out(ok, desc, why=""):
    print("%s\t%s\t%s" % ("PASS" if ok else "FAIL", desc, why.replace("\n", " ")[:600]), flush=True)


# --- commands -------------------------------------------------------------

def cmd_route(args):
    """route SRC HOST PATH METHOD EXTRA-HEADERS: print the backend's name or the status."""
    src, host, path, method, extra = args
    extra = extra.encode().decode("unicode_escape")
    r = one(80, get(path, host, extra, method), src=src)
    print(r.body.decode().strip() if r.status == 200 else "status %d" % r.status)


def cmd_switch(args):
    """Requests to different pools on one client connection."""
    c = Client(80, "192.0.2.50")
    seq = [("api.example.com", "/a", "GET", "", "api"),
           ("t.example", "/static/x", "GET", "", "static"),
           ("t.example", "/x", "GET", "X-Canary: yes\r\n", "canary"),
           ("t.example", "/img/7.png", "GET", "", "img"),
           ("t.example", "/y", "GET", "Cookie: beta=1\r\n", "beta"),
           ("t.example", "/z", "DELETE", "", "write"),
           ("t.example", "/w", "GET", "", "web"),
           ("api.example.com", "/b", "GET", "", "api")]
    got = []
    for host, path, method, extra, want in seq:
        c.send(get(path, host, extra, method))
        r = c.response()
        got.append(r.body.decode().strip() if r.status == 200 else "status %d" % r.status)
    want = [w for *_, w in seq]
    out(got == want, "switch", "got %s, want %s" % (got, want))


def cmd_rr(args):
    """rr N PERCONN: N requests to :81 in keep-alive connections of PERCONN; counts by name."""
    n, per = int(args[0]), int(args[1])
    counts, bad = {}, 0
    done = 0
    while done < n:
        c = Client(81)
        for _ in range(min(per, n - done)):
            c.send(get("/n"))
            r = c.response()
            if r.status != 200:
                bad += 1
            else:
                k = r.body.decode().strip()
                counts[k] = counts.get(k, 0) + 1
            done += 1
        c.s.close()
    print(json.dumps({"counts": counts, "errors": bad}))


def cmd_pipeline(args):
    """Five requests in one write; the answers must come in order."""
    c = Client(82)
    paths = ["/slow/300", "/p1", "/status/404", "/slow/100", "/echo"]
    data = b"".join(get(p) for p in paths[:4]) + \
        get("/echo", method="POST", body=b"pipelined body")
    c.send(data)
    got = []
    for _ in paths:
        r = c.response()
        got.append((r.status, r.h("X-Target"), r.h("X-Conn"), r.body[:20]))
    want_status = [200, 200, 404, 200, 200]
    ok = [g[0] for g in got] == want_status and got[4][3] == b"pipelined body" and \
        [g[1] for g in got] == paths
    out(ok, "pipeline", "got %r" % got)
    print("INFO\tbackend connections used for 5 pipelined requests: %d" % len({g[2] for g in got}))


def cmd_keepalive(args):
    """Keep-alive rules on :82."""
    res = []
    # HTTP/1.1 default: open after the answer
    c = Client(82)
    c.send(get("/a"))
    r1 = c.response()
    c.send(get("/b"))
    r2 = c.response()
    res.append(("1.1 keep-alive: two requests on one connection", r1.status == 200 and r2.status == 200,
                "%d %d" % (r1.status, r2.status)))
    # Connection: close -> answered, then closed
    c = Client(82)
    c.send(get("/c", extra="Connection: close\r\n"))
    r = c.response()
    res.append(("Connection: close: answered with Connection: close, then closed",
                r.status == 200 and "close" in (r.h("Connection") or "").lower() and c.closed(),
                "status %d Connection: %s" % (r.status, r.h("Connection"))))
    # HTTP/1.0 without keep-alive -> closed
    c = Client(82)
    c.send(b"GET /d HTTP/1.0\r\nHost: t.example\r\n\r\n")
    r = c.response()
    res.append(("HTTP/1.0 request: answered, then closed", r.status == 200 and c.closed(),
                "status %d" % r.status))
    # the backend closes its side (/close-after): the client connection goes on
    c = Client(82)
    c.send(get("/close-after"))
    r1 = c.response()
    try:
        c.send(get("/after"))
        r2 = c.response()
        st2 = r2.status
    except (EOFError, OSError) as e:
        st2 = repr(e)
    res.append(("a backend that closes after its answer: the client's keep-alive connection goes on",
                r1.status == 200 and st2 == 200, "%r %r" % (r1.status, st2)))
    # HEAD: the head only, then the next request on the same connection
    c = Client(82)
    c.send(b"HEAD /big/1000 HTTP/1.1\r\nHost: t.example\r\n\r\n")
    r1 = c.response(head=True)
    c.send(get("/after-head"))
    r2 = c.response()
    res.append(("HEAD: head only (Content-Length kept), the next answer on the same connection is intact",
                r1.status == 200 and r1.h("Content-Length") == "1000" and r2.status == 200
                and r2.body == b"echo\n", "%d %s %d %r" % (r1.status, r1.h("Content-Length"),
                                                            r2.status, r2.body[:40])))
    # a chunked response to an HTTP/1.0 client: no Transfer-Encoding (1.0 has
    # none), the body de-chunked and delimited by the close
    import importlib.util
    spec = importlib.util.spec_from_file_location("eb", args[0])
    eb = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(eb)
    N = 100000
    c = Client(82)
    c.send(b"GET /chunked/%d HTTP/1.0\r\nHost: t.example\r\n\r\n" % N)
    r = c.response()
    ok = r.status == 200 and not r.h("Transfer-Encoding") and len(r.body) == N and \
        hashlib.sha256(r.body).hexdigest() == eb.pattern_sha(N)
    res.append(("HTTP/1.0 client, chunked response: sent without Transfer-Encoding, body intact, then closed",
                ok, "status %d, Transfer-Encoding %r, %d body bytes after the test de-chunked it (want %d)" %
                (r.status, r.h("Transfer-Encoding"), len(r.body), N)))
    # the backend closes its keep-alive connection after an answer without
    # "Connection: close" (its idle timeout): the next request must not fail
    c = Client(82)
    c.send(get("/close-quiet"))
    r1 = c.response()
    time.sleep(0.2)
    try:
        c.send(get("/after-quiet"))
        r2 = c.response()
        st2 = r2.status
    except (EOFError, OSError) as e:
        st2 = repr(e)
    res.append(("a backend that closes an idle keep-alive connection: the next request on the client connection gets 200",
                r1.status == 200 and st2 == 200, "%r %r" % (r1.status, st2)))
    # response-side smuggling: bytes after a response must never reach the client
    for path, st in (("/extra", 200), ("/204body", 204)):
        c = Client(82)
        c.send(get(path))
        ok, why = False, ""
        try:
            r1 = c.response()
            why = "first: %d %r" % (r1.status, r1.body[:20])
            ok = r1.status == st and b"smuggled" not in r1.body
            c.send(get("/after" + path))
            r2 = c.response()
            why += "; second: %d %r %r" % (r2.status, r2.h("X-Target"), r2.body[:20])
            ok = ok and r2.status == 200 and r2.h("X-Target") == "/after" + path
        except (EOFError, OSError) as e:
            why += "; then %r" % e  # closing the connection is fine too
        ok = ok and b"smuggled" not in c.buf
        res.append(("a %d response followed by extra bytes (%s): they never reach the client, the next request gets 200"
                    % (st, path), ok, why))
    for d, ok, why in res:
        out(ok, d, why)


def cmd_errors(args):
    """Answers the proxy makes itself."""
    res = []

    def expect(desc, port, data, status, close=True, timeout=5.0):
        try:
            c = Client(port, timeout=timeout)
            c.send(data)
            t0 = time.time()
            r = c.response()
            el = time.time() - t0
            cl = c.closed() if close else True
            ok = r.status == status and cl
            why = "status %d, closed %s, %.2f s" % (r.status, cl, el)
        except Exception as e:
            ok, why, el = False, "no answer: %r" % e, 0
        res.append((desc, ok, why))
        return el
    expect("414 for a request line over 8192 bytes", 82,
           b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: t.example\r\n\r\n", 414)
    expect("431 for a head over 16384 bytes (default max_header_size)", 82,
           b"GET / HTTP/1.1\r\nHost: t.example\r\n" +
           b"".join(b"X-Pad-%d: %s\r\n" % (i, b"p" * 1000) for i in range(20)) + b"\r\n", 431)
    expect("a head of 15000 bytes passes (default max_header_size)", 82,
           b"GET / HTTP/1.1\r\nHost: t.example\r\n" +
           b"".join(b"X-Pad-%d: %s\r\n" % (i, b"p" * 1000) for i in range(14)) + b"\r\n", 200,
           close=False)
    expect("431 for a head over max_header_size 2048", 83,
           b"GET / HTTP/1.1\r\nHost: t.example\r\nX-Pad: " + b"p" * 3000 + b"\r\n\r\n", 431)
    expect("405 for CONNECT", 82, b"CONNECT t.example:443 HTTP/1.1\r\nHost: t.example:443\r\n\r\n", 405)
    expect("505 for HTTP/3.0", 82, b"GET / HTTP/3.0\r\nHost: t.example\r\n\r\n", 505)
    expect("501 for an unknown transfer coding (foo, chunked)", 82,
           b"POST / HTTP/1.1\r\nHost: t.example\r\nTransfer-Encoding: foo, chunked\r\n\r\n0\r\n\r\n", 501)
    expect("502 for a malformed response (Content-Length with Transfer-Encoding)", 82,
           get("/bad"), 502, close=False)
    expect("502 when the backend closes without answering", 82, get("/close"), 502, close=False)
    expect("502 when every connect fails (retries 1)", 85, get("/"), 502, close=False)
    expect("503 for a pool whose only server has weight 0", 80, get("/zero/x"), 503, close=False)
    el = expect("504 when the backend does not answer within timeout_server 0.5 s", 83,
                get("/slow/3000"), 504, close=False)
    if el and not (0.3 <= el <= 2.0):
        res.append(("504 comes after about timeout_server (0.5 s)", False, "%.2f s" % el))
    else:
        res.append(("504 comes after about timeout_server (0.5 s)", bool(el), "%.2f s" % el))
    # 408: head incomplete after timeout_request 0.5 s, even while bytes trickle in
    for desc, trickle in (("408 for a head not complete within timeout_request 0.5 s", False),
                          ("408 also while the head trickles in (a byte every 100 ms)", True)):
        try:
            c = Client(83)
            t0 = time.time()
            c.send(b"GET / HTTP/1.1\r\nHost: t.example\r\n")
            if trickle:
                c.s.settimeout(0.1)
                for ch in b"X-Slow: " + b"s" * 40:
                    try:
                        c.s.send(bytes([ch]))
                    except OSError:
                        break
                    try:
                        d = c.s.recv(65536)
                        if not d:
                            break
                        c.buf += d
                        break
                    except socket.timeout:
                        pass
                    if time.time() - t0 > 5:
                        break
                c.s.settimeout(5)
            r = c.response()
            el = time.time() - t0
            ok = r.status == 408 and 0.3 <= el <= 2.0 and c.closed()
            why = "status %d after %.2f s" % (r.status, el)
        except Exception as e:
            ok, why = False, "no 408: %r after %.2f s" % (e, time.time() - t0)
        res.append((desc, ok, why))
    for d, ok, why in res:
        out(ok, d, why)


SMUG = "GET /smuggled/%d HTTP/1.1\r\nHost: t.example\r\n\r\n"


def vectors():
    """(desc, request bytes, allowed statuses, expected complete requests at the
    backend if accepted: None = any / a check function)."""
    V = []

    def add(desc, req, allowed=(400,), check=None):
        V.append((desc, req, allowed, check))

    def post(i, fields, body):
        return ("POST /v/%d HTTP/1.1\r\nHost: t.example\r\n" % i).encode() + fields + b"\r\n" + body
    i = [0]

    def n():
        i[0] += 1
        return i[0]

    def smug(k):
        return (SMUG % k).encode()

    k = n()
    b = b"0\r\n\r\n" + smug(k)
    add("CL + TE: chunked (CL.TE/TE.CL)", post(k, b"Content-Length: %d\r\nTransfer-Encoding: chunked\r\n" % len(b), b))
    k = n()
    b = b"0\r\n\r\n" + smug(k)
    add("TE: chunked + CL (other order)", post(k, b"Transfer-Encoding: chunked\r\nContent-Length: %d\r\n" % len(b), b))
    k = n()
    b = smug(k)
    add("Content-Length: 0 + Content-Length: N", post(k, b"Content-Length: 0\r\nContent-Length: %d\r\n" % len(b), b))
    k = n()
    b = smug(k)
    add("Content-Length: N + Content-Length: 0", post(k, b"Content-Length: %d\r\nContent-Length: 0\r\n" % len(b), b))

    def one_cl(want_len):
        def chk(recs):
            if len(recs) != 1:
                return "%d requests at the backend" % len(recs)
            cls = [v for n_, v in recs[0]["headers"] if n_.lower() == "content-length"]
            if cls != [str(want_len)] or recs[0]["body_len"] != want_len:
                return "backend saw Content-Length %r, body %d" % (cls, recs[0]["body_len"])
            return None
        return chk
    k = n()
    add("Content-Length: 42, 42 (merged to one, or 400)",
        post(k, b"Content-Length: 42, 42\r\n", b"x" * 42), (400, 200), one_cl(42))
    k = n()
    add("two identical Content-Length: 42 (merged to one, or 400)",
        post(k, b"Content-Length: 42\r\nContent-Length: 42\r\n", b"x" * 42), (400, 200), one_cl(42))
    for v in (b"", b",5", b"5,", b"+5", b"0x5", b"-1", b"5 5", b"1e3", b"99999999999999999999",
              b"5, 6"):
        k = n()
        add("Content-Length: %r" % v.decode(), post(k, b"Content-Length: " + v + b"\r\n", b"hello" + smug(k)))
    ch = b"5\r\nhello\r\n0\r\n\r\n"
    for v, allowed in ((b"gzip", (400, 501)), (b"chunked, gzip", (400, 501)),
                       (b"chunked, chunked", (400,)), (b"identity", (400, 501)),
                       (b"xchunked", (400, 501)), (b"chunked1", (400, 501)),
                       (b"ch\xe2\x80\x93nked", (400, 501)), (b"\x0bchunked", (400,)),
                       (b"\x0cchunked", (400,))):
        k = n()
        add("Transfer-Encoding: %r" % v, post(k, b"Transfer-Encoding: " + v + b"\r\n", ch + smug(k)), allowed)
    k = n()
    add("two TE fields: chunked then identity",
        post(k, b"Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n", ch + smug(k)), (400, 501))

    def chunked_ok(recs):
        if len(recs) != 1:
            return "%d requests at the backend" % len(recs)
        r = recs[0]
        if r["body_len"] != 5 or r["body_sha256"] != hashlib.sha256(b"hello").hexdigest():
            return "body %d bytes" % r["body_len"]
        if "\t" in r["raw"]:
            return "a tab reached the backend: %r" % r["raw"]
        return None
    k = n()
    add("tRANSFER-ENCODING: chunked (case-insensitive: valid)",
        post(k, b"tRANSFER-ENCODING: chunked\r\n", ch), (200,), chunked_ok)
    k = n()
    add("Transfer-Encoding: chunked<HTAB> (OWS: valid, re-serialised)",
        post(k, b"Transfer-Encoding: chunked\t\r\n", ch), (200,), chunked_ok)
    k = n()
    add("Transfer-Encoding : chunked (space before colon)",
        post(k, b"Transfer-Encoding : chunked\r\n", ch + smug(k)))
    k = n()
    add("Content-Length : 5 (space before colon)", post(k, b"Content-Length : 5\r\n", b"hello" + smug(k)))
    k = n()
    add("obs-fold of Transfer-Encoding",
        post(k, b"Transfer-Encoding: identity\r\n chunked\r\n", ch + smug(k)))
    k = n()
    add("obs-fold of any field", post(k, b"X-Folded: a\r\n b\r\nContent-Length: 0\r\n", b""))

    def clean_one(recs):
        if len(recs) != 1:
            return "%d requests at the backend" % len(recs)
        return None
    k = n()
    add("bare LF line ends (400, or accepted and re-emitted with CRLF)",
        ("GET /v/%d HTTP/1.1\nHost: t.example\n\n" % k).encode(), (400, 200), clean_one)
    k = n()
    add("bare CR in a value", post(k, b"X-Cr: a\rb\r\nContent-Length: 0\r\n", b""))
    k = n()
    add("empty field name", post(k, b": x\r\nContent-Length: 0\r\n", b""))
    for f in (b"Content-Length\x00: 5\r\n", b"Host@: x\r\n", b"X-\xff: 1\r\n", b"X-Nul: a\x00b\r\n",
              b"X-Ctl: a\x01b\r\n"):
        k = n()
        add("bad byte in a field: %r" % f.rstrip(), post(k, f + b"Content-Length: 5\r\n", b"hello"))
    for cs in (b"0x5", b"+5", b" 5", b"5 ", b"0" * 16 + b"5", b"5;a\nb", b"5;a\rb", b"5;a\x01b", b"g"):
        k = n()
        add("chunk size line %r" % cs,
            post(k, b"Transfer-Encoding: chunked\r\n", cs + b"\r\nhello\r\n0\r\n\r\n" + smug(k)))
    k = n()
    add("no CRLF after chunk data",
        post(k, b"Transfer-Encoding: chunked\r\n", b"5\r\nhelloXX0\r\n\r\n" + smug(k)))
    k = n()
    add("chunk with a valid extension (5;name=val) passes",
        post(k, b"Transfer-Encoding: chunked\r\n", b"5;name=val\r\nhello\r\n0\r\n\r\n"), (200,), chunked_ok)

    def kept(field, want):
        def chk(recs):
            if len(recs) != 1:
                return "%d requests at the backend" % len(recs)
            vals = [v for n_, v in recs[0]["headers"] if n_.lower() == field]
            if vals != [want]:
                return "backend saw %s: %r" % (field, vals)
            if field == "content-length" and recs[0]["body_len"] != 5:
                return "body %d bytes" % recs[0]["body_len"]
            return None
        return chk
    k = n()
    add("Connection: Content-Length does not strip Content-Length",
        post(k, b"Connection: Content-Length\r\nContent-Length: 5\r\n", b"hello"), (400, 200),
        kept("content-length", "5"))
    k = n()
    add("Connection: Transfer-Encoding does not strip the chunked framing",
        post(k, b"Connection: Transfer-Encoding\r\nTransfer-Encoding: chunked\r\n", ch), (400, 200),
        chunked_ok)
    k = n()
    add("Connection: Host does not strip Host",
        ("GET /v/%d HTTP/1.1\r\nHost: t.example\r\nConnection: Host\r\n\r\n" % k).encode(), (400, 200),
        kept("host", "t.example"))
    k = n()
    add("two Host fields", ("GET /v/%d HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n" % k).encode())
    k = n()
    add("no Host in HTTP/1.1", ("GET /v/%d HTTP/1.1\r\nX-A: 1\r\n\r\n" % k).encode())
    k = n()
    add("absolute-form with a conflicting Host (400, or the authority wins)",
        ("GET http://a.example/v/%d HTTP/1.1\r\nHost: b.example\r\n\r\n" % k).encode(), (400, 200),
        kept("host", "a.example"))
    k = n()
    add("'#' in the target", ("GET /v/%d#frag HTTP/1.1\r\nHost: t.example\r\n\r\n" % k).encode())
    k = n()
    add("GET *", b"GET * HTTP/1.1\r\nHost: t.example\r\nX-V: %d\r\n\r\n" % k)
    k = n()
    add("control byte in the target", ("GET /v/%d\x01x HTTP/1.1\r\nHost: t.example\r\n\r\n" % k).encode())

    def at_most_one(recs):
        if len(recs) > 1:
            return "%d requests at the backend" % len(recs)
        return None
    k = n()
    add("POST HTTP/1.0 with TE: chunked and a pipelined request: at most one answer, then close",
        ("POST /v/%d HTTP/1.0\r\nHost: t.example\r\nTransfer-Encoding: chunked\r\n\r\n" % k).encode()
        + ch + smug(k), (400, 200), at_most_one)
    return V


def cmd_vectors(args):
    blog = args[0]
    V = vectors()
    results = []
    for i, (desc, req, allowed, check) in enumerate(V, 1):
        try:
            c = Client(82, timeout=3)
            c.send(req)
            r = c.response()
            closed = c.closed(1.0) if r.status >= 400 else True
            results.append((r.status, closed, c.buf + b""))
        except Exception as e:
            results.append((None, None, repr(e).encode()))
    # every forwarded request is in the log once the sentinel's answer is back
    r = one(82, get("/sentinel"))
    time.sleep(0.3)
    recs = log_records(blog)
    for i, (desc, req, allowed, check) in enumerate(V, 1):
        status, closed, extra = results[i - 1]
        mine = [x for x in recs if "target" in x and
                (x["target"].startswith("/v/%d" % i) and x["target"][len("/v/%d" % i):][:1] in ("", "?", "#", "\x01")
                 or x["target"].endswith("/v/%d" % i)
                 or ("X-V", str(i)) in [tuple(h) for h in x["headers"]])]
        smuggled = [x for x in recs if x.get("target") == "/smuggled/%d" % i]
        why = []
        if status not in allowed:
            why.append("status %s (want %s)%s" % (status, "/".join(map(str, allowed)),
                                                  "" if status else ": " + extra.decode("latin-1")))
        if status is not None and status >= 400 and not closed:
            why.append("connection not closed after %d" % status)
        if smuggled:
            why.append("SMUGGLED request reached the backend")
        if status is not None and status >= 400 and mine:
            why.append("%d request(s) reached the backend despite %d" % (len(mine), status))
        if status == 200 and check:
            w = check(mine)
            if w:
                why.append(w)
        out(not why, "%d %s" % (i, desc), "; ".join(why))


def cmd_hop(args):
    """Hop-by-hop removal, Expect, X-Forwarded-*, re-serialisation; prints the backend's record."""
    src = args[0]
    req = (b"GET /hop HTTP/1.1\r\nHost: t.example\r\n"
           b"Connection: keep-alive, X-Drop-Me, x-drop-too, Upgrade, HTTP2-Settings\r\n"
           b"Keep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nTE: trailers\r\n"
           b"Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n"
           b"X-Drop-Me: 1\r\nX-Drop-Too: 2\r\nX-Keep: 3\r\n"
           b"X-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: https\r\n"
           b"X-Ows:  \t spaced value \t \r\n\r\n")
    r = one(80, req, src=src)
    print(r.status)


def cmd_nat(args):
    """Two TCP connections through the NAT virtual server, 1 MB each, echoed back."""
    res = []
    names = []
    for k in range(2):
        data = os.urandom(1 << 20)
        c = Client(90, timeout=10)
        c.send(data)
        c.s.shutdown(socket.SHUT_WR)
        got = b""
        while True:
            d = c.s.recv(1 << 20)
            if not d:
                break
            got += d
        res.append(hashlib.sha256(got).hexdigest() == hashlib.sha256(data).hexdigest())
    print(json.dumps(res))


def cmd_big(args):
    """big PATH: GET PATH on :82, print status, length and sha256 of the body."""
    c = Client(82, timeout=30)
    c.send(get(args[0]))
    r = c.response()
    print(r.status, len(r.body), hashlib.sha256(r.body).hexdigest())


cmd = sys.argv[1]
globals()["cmd_" + cmd](sys.argv[2:])
PYEOF

cli() {
	ns_exec lb "$KL7_PYTHON" "$T/cli.py" "$@"
}
# results: turn the helper's "PASS|FAIL<TAB>DESC<TAB>WHY" lines into TAP.
results() {
	local st desc why
	while IFS=$'\t' read -r st desc why; do
		if [ "$st" = PASS ]; then
			pass "$1$desc"
		elif [ "$st" = FAIL ]; then
			diag "$desc: $why"
			fail "$1$desc"
		elif [ "$st" = INFO ]; then
			diag "$desc"
		else
			diag "helper: $st $desc $why"
		fi
	done
}
# brec EXPR: the last backend record with target EXPR (python), as JSON.
brec() {
	"$KL7_PYTHON" - "$BLOG" "$1" <<'EOF'
import json, sys
recs = []
for l in open(sys.argv[1]):
    try:
        recs.append(json.loads(l))
    except ValueError:
        pass
m = [r for r in recs if r.get("target") == sys.argv[2]]
print(json.dumps(m[-1]) if m else "{}")
EOF
}
dump() { state_dump kl7 "$ST"; }
is() { dump && state_is "$ST" "$1"; }
show() { state_show "$ST" "$1"; }
# code URL [CURL-ARGS...]: the status curl gets (000 on failure).
code() {
	local url=$1
	shift
	ns_exec lb curl -s -o /dev/null -w '%{http_code}' -m 10 "$@" "$url" 2>/dev/null
}

# ================================================================ start

daemon_start kl7 -N lb -- -f "$T/k.conf" -p "$T/kl7.pid"
KL7=$(daemon_pid kl7)
if ! wait_for 30 log_has "$LOG" "all children ready"; then
	diag_file "$LOG"
	bail_out "keepalive-l7 did not report 'all children ready' within 30 s"
fi
for p in $(kl7_children "$KL7" | awk '{ print $1 }'); do track_pid "$p"; done
l7_up() { ns_exec lb ss -Hltn "src $VIP and sport = :80" | grep -q LISTEN; }
check "keepalive-l7 is ready and listens on the virtual servers" wait_for 5 l7_up

# ================================================================ routing

# route DESC WANT SRC HOST PATH [METHOD [EXTRA-HEADERS]]
route() {
	local desc=$1 want=$2 got
	got=$(cli route "$3" "$4" "$5" "${6:-GET}" "${7:-}" 2>&1 | tail -n 1)
	[ "$got" = "$want" ] || diag "$desc: got '$got', want '$want'"
	[ "$got" = "$want" ]
	ok $? "route: $desc -> $want"
}
C=192.0.2.50
route "no route matches" web $C t.example /index.html
route "host api.example.com" api $C api.example.com /x
route "host is case-insensitive (API.Example.COM)" api $C API.Example.COM /x
route "host with a port (api.example.com:80)" api $C api.example.com:80 /x
route "host wildcard *.api.example.net matches x.api.example.net" api $C x.api.example.net /x
route "host wildcard does not match evilapi.example.net" web $C evilapi.example.net /x
route "path_prefix /static/" static $C t.example /static/app.js
route "second path_prefix /assets/" static $C t.example /assets/a.css
route "path_prefix /static/ does not match /staticx" web $C t.example /staticx
route "path_regex ^/img/[0-9]+[.]png\$ matches /img/42.png" img $C t.example /img/42.png
route "path_regex does not match /img/42.gif" web $C t.example /img/42.gif
route "path_regex matches the path without the query (/img/1.png?x=.gif)" img $C t.example "/img/1.png?x=.gif"
route "header X-Canary: yes" canary $C t.example /x GET 'X-Canary: yes\r\n'
route "header name case-insensitive (x-canary: true)" canary $C t.example /x GET 'x-canary: true\r\n'
route "header regex anchored: 'X-Canary: yes please' does not match" web $C t.example /x GET 'X-Canary: yes please\r\n'
route "cookie beta=1 among others" beta $C t.example /x GET 'Cookie: a=b; beta=1; c=d\r\n'
route "cookie beta=10 is not beta=1" web $C t.example /x GET 'Cookie: beta=10\r\n'
route "cookie xbeta=1 is not beta" web $C t.example /x GET 'Cookie: xbeta=1\r\n'
route "cookie gamma (any value)" gamma $C t.example /x GET 'Cookie: gamma=zzz\r\n'
route "method DELETE" write $C t.example /x DELETE
route "method PUT (with a body)" write $C t.example /x PUT
route "method GET is not DELETE|PUT" web $C t.example /x GET
route "source 192.0.2.60/32" src 192.0.2.60 t.example /x
route "host and path_prefix both hold" both $C and.example.com /v1/x
route "host without the path_prefix: not r_and" web $C and.example.com /v2/x
route "path_prefix without the host: not r_and" web $C t.example /v1/x
route "first match wins (host api + /static/ -> r_host)" api $C api.example.com /static/x
route "first match wins (source .60 + host api -> r_host)" api 192.0.2.60 api.example.com /x

results "per-request switching on one keep-alive connection: " < <(cli switch)
rec=$(brec /index.html)
v=$("$KL7_PYTHON" -c 'import json,sys; print([v for n, v in json.loads(sys.argv[1]).get("headers", []) if n.lower() == "x-forwarded-for"])' "$rec")
[ "$v" = "['192.0.2.50']" ]
ok $? "X-Forwarded-For: the client address when the client sent none (got $v)"
out=$(ns_exec lb curl -s -m 10 -w ' %{num_connects}\n' \
    "http://$VIP/static/a" "http://$VIP/img/1.png" "http://$VIP/x" "http://$VIP/assets/b" 2>&1 | tr -d '\n')
[ "$out" = "static 1img 0web 0static 0" ]
rc=$?
[ $rc -eq 0 ] || diag "curl: '$out'"
ok $rc "curl, 4 URLs on one connection: static, img, web, static (1 connect)"

# ================================================================ rr

res=$(cli rr 300 10)
bad=0
for n in a b c; do
	c=$("$KL7_PYTHON" -c 'import json,sys; print(json.loads(sys.argv[1])["counts"].get(sys.argv[2], 0))' "$res" $n 2>/dev/null)
	[ "${c:-0}" -ge 95 ] && [ "${c:-0}" -le 105 ] || bad=1
done
[ $bad -eq 0 ] || diag "rr: $res"
ok $bad "rr: 300 requests over 3 servers, each 95..105 ($res)"

# ================================================================ bodies

head -c $((64 << 20)) /dev/urandom >"$T/up.bin"
want=$(sha256sum <"$T/up.bin" | cut -d' ' -f1)
got=$(ns_exec lb curl -s -m 60 --data-binary @"$T/up.bin" -H 'Content-Type: application/octet-stream' \
    "http://$VIP:82/sha" 2>&1)
[ "$got" = "$want" ]
rc=$?
[ $rc -eq 0 ] || diag "64 MB upload: backend sha '$got', want '$want'"
ok $rc "64 MB upload (Content-Length) arrives byte-identical (sha256)"

got=$(ns_exec lb curl -s -m 60 -H 'Transfer-Encoding: chunked' --data-binary @"$T/up.bin" \
    "http://$VIP:82/sha" 2>&1)
[ "$got" = "$want" ]
rc=$?
[ $rc -eq 0 ] || diag "64 MB chunked upload: backend sha '$got', want '$want'"
ok $rc "64 MB chunked upload arrives byte-identical (sha256)"
rm -f "$T/up.bin"

head -c 300000 /dev/urandom >"$T/small.bin"
want=$(sha256sum <"$T/small.bin" | cut -d' ' -f1)
n=$(wc -l <"$BLOG")
code100=$(ns_exec lb curl -s -m 10 -v -H 'Expect: 100-continue' --expect100-timeout 5 \
    --data-binary @"$T/small.bin" "http://$VIP:82/expect" 2>&1 | grep -c '< HTTP/1.1 100')
rec=$(brec /expect)
bad=0
[ "$code100" = 1 ] || { diag "100 Continue lines: $code100"; bad=1; }
"$KL7_PYTHON" -c '
import json, sys
r = json.loads(sys.argv[1])
assert r["body_sha256"] == sys.argv[2], "body"
assert not [h for h in r["headers"] if h[0].lower() == "expect"], "Expect forwarded"
assert not [h for h in r["headers"] if h[0].lower().startswith("x-forwarded")], "X-Forwarded-* without forwarded_for"
' "$rec" "$want" 2>>"$T/check.log" || { diag "backend record: $rec"; bad=1; }
ok $bad "Expect: 100-continue: the proxy sends one 100 Continue, the body arrives, Expect is not forwarded (nor X-Forwarded-* without forwarded_for)"
rm -f "$T/small.bin"

t0=$(now_ms)
N=$((256 << 20))
want=$("$KL7_PYTHON" "$BACKEND" --pattern-sha $N)
got=$(ns_exec lb curl -s -m 60 -o "$T/down.bin" -w '%{http_code} %{size_download}' "http://$VIP:82/big/$N")
sha=$(sha256sum <"$T/down.bin" | cut -d' ' -f1)
rm -f "$T/down.bin"
[ "$got" = "200 $N" ] && [ "$sha" = "$want" ]
rc=$?
[ $rc -eq 0 ] || diag "256 MB download: '$got' sha $sha, want $want"
ok $rc "256 MB download (Content-Length, spliced) arrives byte-identical (sha256, $(($(now_ms) - t0)) ms)"

N=$((5 << 20 | 12345))
want=$("$KL7_PYTHON" "$BACKEND" --pattern-sha $N)
got=$(cli big "/chunked/$N")
[ "$got" = "200 $N $want" ]
rc=$?
[ $rc -eq 0 ] || diag "chunked download: '$got', want '200 $N $want'"
ok $rc "chunked download of 5 MB (chunks of 1 B to 1 MB) arrives byte-identical"

results "pipelined requests answered in order (one backend connection): " < <(cli pipeline)
results "keep-alive: " < <(cli keepalive "$BACKEND")

# ================================================================ smuggling

results "smuggling vector " < <(cli vectors "$BLOG")

# ================================================================ errors

results "" < <(cli errors)

# ================================================================ headers

hopst=$(cli hop 192.0.2.50 2>>"$T/check.log")
rec=$(brec /hop)
chk() {
	"$KL7_PYTHON" - "$rec" "$1" <<'EOF' 2>&1
import json, sys
r = json.loads(sys.argv[1])
h = [(n.lower(), v) for n, v in r.get("headers", [])]
names = [n for n, _ in h]
def vals(n):
    return [v for k, v in h if k == n]
raw = r.get("raw", "")
print(eval(sys.argv[2]))
EOF
}
expect_true() {
	local desc=$1 v
	v=$(chk "$2")
	[ "$v" = True ]
	local rc=$?
	[ $rc -eq 0 ] || diag "$desc: $v; backend record: ${rec:0:1500}"
	ok $rc "$desc"
}
expect_true "hop-by-hop: no Connection, Keep-Alive, Proxy-Connection, TE, Upgrade, HTTP2-Settings at the backend" \
    "not set(names) & {'connection','keep-alive','proxy-connection','te','upgrade','http2-settings'}"
[ "$hopst" = 200 ]
ok $? "Upgrade: h2c with HTTP2-Settings is not acted on: answered 200 (got ${hopst:-nothing})"
expect_true "hop-by-hop: fields listed in Connection (X-Drop-Me, x-drop-too) removed, X-Keep kept" \
    "'x-drop-me' not in names and 'x-drop-too' not in names and vals('x-keep') == ['3']"
expect_true "X-Forwarded-For: the client address appended (203.0.113.7, 192.0.2.50)" \
    "[v.replace(' ', '') for v in vals('x-forwarded-for')] == ['203.0.113.7,192.0.2.50']"
expect_true "X-Forwarded-Proto: http, once (the client's value replaced)" \
    "vals('x-forwarded-proto') == ['http']"
expect_true "heads are re-serialised: 'Name: value' CRLF, OWS trimmed" \
    "'X-Ows: spaced value\r\n' in raw and all(l == '' or ': ' in l for l in raw.split('\r\n')[1:]) and '\n' not in raw.replace('\r\n', '')"

# ================================================================ retries, health

bad=0
errs=""
for i in $(seq 1 12); do
	c=$(code "http://$VIP:84/r$i")
	[ "$c" = 200 ] || { bad=1; errs+="$c "; }
done
[ $bad -eq 0 ] || diag "statuses: $errs"
ok $bad "retries: with one of three servers on a closed port, 12 requests all get 200"
rec=$(grep -c '"target": "/r[0-9]*"' "$BLOG")
check "retries: the 12 requests reached the two live servers once each" test "$rec" = 12

# A server that drops a GET before answering (here b, by its path): the
# GET goes to another server; a POST is not sent twice.
codes=""
for i in 1 2 3; do
	codes+="$(code "http://$VIP:81/drop-at/b") "
done
drops=$(grep '"target": "/drop-at/b"' "$BLOG" | grep -c '"name": "b"')
[ "$codes" = "200 200 200 " ] && [ "$drops" -ge 1 ]
rc=$?
[ $rc -eq 0 ] || diag "statuses $codes; received at b: $drops"
ok $rc "retries: GETs that server b drops unanswered are sent to another server (3 x 200, $drops dropped at b)"
codes=""
for i in 1 2 3; do
	codes+="$(code "http://$VIP:81/drop-at/b" -d once) "
done
posts=$(grep '"target": "/drop-at/b"' "$BLOG" | grep -c '"method": "POST"')
case $codes in *502*) rc=0 ;; *) rc=1 ;; esac
[ "$posts" = 3 ] || rc=1
[ $rc -eq 0 ] || diag "statuses $codes; POSTs at the backends: $posts"
ok $rc "retries: a POST that b drops is answered 502, not sent again ($codes; 3 POSTs at the backends)"

bad=0
for i in 1 2 3 4 5 6; do
	c=$(code "http://$VIP:86/warm$i")
	[ "$c" = 200 ] || bad=1
done
ok $bad "health-checked virtual server answers (3 servers up)"
dump
bad=0
state_is "$ST" "rs('$VIP:84','$S:8401')['passive_failures'] > 0 and rs('$VIP:84','$S:8402')['passive_failures'] == 0" || bad=1
[ $bad -eq 0 ] || diag "$(show "[rs('$VIP:84','$S:%d' % p) for p in (8401, 8402)]")"
ok $bad "state dump: passive_failures counts the closed-port server's failed connects (and not the live ones)"

kill -KILL "${BPID[ha1]}"
wait "${BPID[ha1]}" 2>/dev/null
bad=0
errs=""
names=""
for i in $(seq 1 15); do
	out=$(ns_exec lb curl -s -m 10 -w ' %{http_code}' "http://$VIP:86/k$i")
	names+="${out%% *} "
	[ "${out##* }" = 200 ] || { bad=1; errs+="${out##* } "; }
	case $out in ha1*) bad=1 ;; esac
done
[ $bad -eq 0 ] || diag "after killing ha1: $names / errors: $errs"
ok $bad "a killed backend: 15 requests right after go to the others, no client error"
check "the health checker marks the killed server down" wait_for 5 is "rs('$VIP:86','$S:8601')['health'] == 'down'"
show "rs('$VIP:86','$S:8601')" >>"$T/check.log" 2>&1
kill -KILL "${BPID[ha2]}" "${BPID[ha3]}"
wait "${BPID[ha2]}" "${BPID[ha3]}" 2>/dev/null
all_down() { is "all(rs('$VIP:86','$S:%d' % p)['health'] == 'down' for p in (8601, 8602, 8603))"; }
check "the health checker marks all three servers down" wait_for 5 all_down
c=$(code "http://$VIP:86/alldown")
[ "$c" = 503 ]
rc=$?
[ $rc -eq 0 ] || diag "status $c"
ok $rc "all servers down (no sorry_server): 503"

# Passive health: three requests the server drops (error_limit 3) take
# it down at once, long before its next check round.
codes=""
for i in 1 2 3; do
	codes+="$(code "http://$VIP:87/close") "
done
check "passive health: requests the server drops get 502 ($codes)" test "$codes" = "502 502 502 "
check "passive health: after error_limit 3 failures the checker takes the server down" \
    wait_for 3 is "rs('$VIP:87','$S:8701')['health'] == 'down'"
check "passive health: the reason is logged" \
    log_has "$LOG" "real server $S:8701 down: 3 consecutive errors on live traffic \\(last: invalid response\\)"
c=$(code "http://$VIP:87/after")
check "passive health: then no server is left: 503 ($c)" test "$c" = 503

c=""
sorry() { c=$(ns_exec lb curl -s -m 5 "http://$VIP:88/s"); [ "$c" = sorry ]; }
check "sorry_server answers when the only real server is down" wait_for 5 sorry

# ================================================================ idle server connections

# bconn TARGET: "CONN SEQ" of the last backend record for TARGET.
bconn() {
	brec "$1" | "$KL7_PYTHON" -c 'import json,sys; r = json.load(sys.stdin); print(r.get("conn"), r.get("seq"))'
}
c1=$(code "http://$VIP:89/p1")
c2=$(code "http://$VIP:89/p2")
b1=$(bconn /p1)
b2=$(bconn /p2)
[ "$c1 $c2" = "200 200" ] && [ "${b1% *}" = "${b2% *}" ] && [ "${b2#* }" = 2 ]
rc=$?
[ $rc -eq 0 ] || diag "statuses $c1 $c2; backend connection and sequence: $b1 / $b2"
ok $rc "idle pool: a second client's GET goes over the first client's server connection"
c=$(code "http://$VIP:89/p3" -d body)
b3=$(bconn /p3)
[ "$c" = 200 ] && [ "${b3% *}" != "${b1% *}" ] && [ "${b3#* }" = 1 ]
rc=$?
[ $rc -eq 0 ] || diag "status $c; backend connection and sequence: $b3 (the idle one: $b1)"
ok $rc "idle pool: a new client's POST is not sent over an idle connection (a new one)"

# The newest idle connection (the POST's) is taken and closed by the
# server as the request comes: the GET is sent again on a new one.
r0=$(dump && show "rs('$VIP:89','$S:8202')['retries']")
c=$(code "http://$VIP:89/drop-reused")
seqs=$(grep '"target": "/drop-reused"' "$BLOG" | grep -o '"seq": [0-9]*' | awk '{ printf "%s ", $2 }')
r1=$(dump && show "rs('$VIP:89','$S:8202')['retries']")
[ "$c" = 200 ] && [ "$seqs" = "2 1 " ] && [ "$r1" = $((r0 + 1)) ]
rc=$?
[ $rc -eq 0 ] || diag "status $c; backend sequence numbers $seqs; retries $r0 -> $r1"
ok $rc "idle pool: a GET on an idle connection the server closes is sent again on a new one (200, retries +1)"
# Not a POST: on a keep-alive client the second request takes the idle
# connection; dropped, it is answered 502 and reached the server once.
out=$(ns_exec lb curl -s -m 10 -o /dev/null -w '%{http_code} ' "http://$VIP:89/p4" \
    --next -s -m 10 -o /dev/null -w '%{http_code} ' -d once "http://$VIP:89/drop-reused")
posts=$(grep '"target": "/drop-reused"' "$BLOG" | grep -c '"method": "POST"')
[ "$out" = "200 502 " ] && [ "$posts" = 1 ]
rc=$?
[ $rc -eq 0 ] || diag "statuses $out; POSTs at the backend: $posts"
ok $rc "idle pool: a POST on a dropped idle connection is not sent twice (502, once at the backend)"
pooled() { ns_exec srv ss -Htn state established "sport = :8202" | grep -c .; }
none_pooled() { [ "$(pooled)" = 0 ]; }
n=$(pooled)
check "idle pool: idle server connections are closed after 2 s ($n open now)" wait_for 6 none_pooled
c=$(code "http://$VIP:89/close-quiet")
c2=$(code "http://$VIP:89/p5")
b5=$(bconn /p5)
[ "$c $c2" = "200 200" ] && [ "${b5#* }" = 1 ]
rc=$?
[ $rc -eq 0 ] || diag "statuses $c $c2; backend connection and sequence: $b5"
ok $rc "idle pool: a connection the server closed after its answer is not used again"

# ================================================================ IPv6

out=$(ns_exec lb curl -s -m 10 -g --interface 2001:db8::1 -w ' %{http_code}' "http://[2001:db8::1]:91/six" | tr -d '\n')
rec=$(brec /six)
xff=$("$KL7_PYTHON" -c 'import json,sys; print(",".join(v for n, v in json.loads(sys.argv[1]).get("headers", []) if n.lower() == "x-forwarded-for"))' "$rec")
[ "$out" = "v6 200" ] && [ "$xff" = 2001:db8::1 ]
rc=$?
[ $rc -eq 0 ] || diag "answer '$out'; X-Forwarded-For at the backend '$xff'"
ok $rc "IPv6: a request to an IPv6 virtual server reaches its IPv6 server, X-Forwarded-For names the IPv6 client"

# ================================================================ socket buffers

# skmem FILTER: the rb (receive) and tb (send) buffer sizes of the first
# established socket in lb matching the ss FILTER, as "rbN tbN".
skmem() {
	ns_exec lb ss -Htnm state established "$@" | grep -o 'skmem:([^)]*)' | head -n 1 |
	    grep -oE '(rb|tb)[0-9]+' | xargs
}
c=$(code "http://$VIP:92/bufs")
m=$(skmem "dport = :8204")	# the server connection, idle in the pool now
[ "$c" = 200 ] && [ "${m% *}" = rb100000 ]
rc=$?
[ $rc -eq 0 ] || diag "status $c; the server connection's buffers: '$m'"
ok $rc "rcvbuf_server 50000: the server connection's receive buffer is 100000 (doubled by the kernel)"
ns_exec lb "$KL7_PYTHON" "$_kl7_lib_dir/slow_client.py" hold --host $VIP --port 92 -n 1 \
    --until "$T/bufs-done" >"$T/bufs.out" 2>&1 &
bufc=$!
track_pid "$bufc"
held() { [ -n "$(skmem "sport = :92")" ]; }
wait_for 5 held
m=$(skmem "sport = :92")
ok "$([ "${m#* }" = tb140000 ]; echo $?)" \
    "sndbuf_client 70000: the client connection's send buffer is 140000 (doubled by the kernel) ('$m')"
touch "$T/bufs-done"
wait "$bufc" 2>/dev/null

# ================================================================ NAT

res=$(cli nat 2>&1)
[ "$res" = "[true, true]" ]
rc=$?
[ $rc -eq 0 ] || diag "nat: $res"
ok $rc "lb_kind NAT: 1 MB echoed byte-identical through a TCP backend, twice"
nat_names=$(grep -o '"name": "t[12]", "peer": "[^"]*", "tcp_bytes": 1048576' "$BLOG" | cut -d'"' -f4 | sort | tr '\n' ' ')
check "lb_kind NAT: rr spread the two connections over both TCP backends ($nat_names)" test "$nat_names" = "t1 t2 "

# ================================================================ out of file descriptors

# The l7 child's fd limit is lowered to what it uses now + 16; 40 idle
# clients then exhaust it.  The listener must pause, not spin on
# accept(2), and serve again once clients leave.
L7PID=$(kl7_child_pid "$KL7" kl7-l7)
fd_squeeze "$L7PID" 16
ns_exec lb "$KL7_PYTHON" "$_kl7_lib_dir/slow_client.py" hold --host 192.0.2.1 --port 82 -n 40 \
    --until "$T/fds-done" >"$T/fds.out" 2>&1 &
fdc=$!
track_pid "$fdc"
check "out of fds: 40 idle clients connect (the backlog holds those not accepted)" \
    wait_for 5 grep -q "open 40" "$T/fds.out"
check "out of fds: the l7 child logs that it pauses accepting" wait_for 3 log_has "$LOG" "accept \\(paused for"
spin_ticks "$L7PID"
check "out of fds: the l7 child does not spin ($SPIN_TICKS ticks of CPU in 2 s)" test "$SPIN_TICKS" -lt 40
touch "$T/fds-done"
wait "$fdc" 2>/dev/null
fd_unsqueeze "$L7PID"
c=""
served() { c=$(code "http://$VIP:82/after-fds"); [ "$c" = 200 ]; }
check "out of fds: once the clients leave, a new client is served" wait_for 5 served
# The end of the spell is logged at the first accept a second (STARVE_QUIET_MS)
# after the last pause: one line, not one per freed fd.
again() { served && log_has "$LOG" "accepting again \([0-9]+ pauses\)"; }
check "out of fds: the l7 child logs once that it accepts again" wait_for 5 again
check "... and warned once that it paused" test "$(log_count "$LOG" "accept \(paused for")" = 1

# ================================================================ counters

ns_exec lb curl -s -m 10 -o /dev/null "http://$VIP:82/slow/1500" &
slow=$!
inflight() { is "vs('$VIP:82')['active_conns'] >= 1 and rs('$VIP:82','$S:8201')['active_conns'] >= 1"; }
check "state dump: a request in flight shows in active_conns (virtual and real server)" wait_for 3 inflight
wait "$slow"
idle() { is "all(v['active_conns'] == 0 for v in j['virtual_servers']) and all(s['active_conns'] == 0 for s in j['servers'])"; }
if ! wait_for 3 idle; then
	diag "$(show "[(v['virtual_server'], v['active_conns']) for v in j['virtual_servers']] + [(s['real_server'], s['active_conns']) for s in j['servers'] if s['active_conns']]")"
	fail "state dump: active_conns back to 0 everywhere when no client is connected"
else
	pass "state dump: active_conns back to 0 everywhere when no client is connected"
fi
# The rr test sent 300 requests over 8101..8103, each answered 200.
counted() {
	is "sum(rs('$VIP:81','$S:%d' % p)['requests']['2xx'] for p in (8101, 8102, 8103)) >= 300 and vs('$VIP:81')['requests'] >= 300 and vs('$VIP:81')['bytes_out'] > 0 and rs('$VIP:84','$S:8401')['errors'] > 0"
}
check "state dump: requests by status class, bytes and errors are counted" counted

# ================================================================ end

# A strict backend refuses what the proxy must never send; a request cut
# short (the proxy gave up on a bad chunked body it had started forwarding)
# is fine.
errs=$(grep '"error"' "$BLOG" | grep -vc 'closed inside a')
[ "$errs" = 0 ] || diag "$(grep '"error"' "$BLOG" | grep -v 'closed inside a' | head -n 10)"
ok "$([ "$errs" = 0 ]; echo $?)" "the backends never received anything a strict HTTP/1.1 parser refuses ($errs refused)"
check_stop_clean kl7

clock_ms
diag "t_l7: $((KL7_NOW - t_start)) ms"
[ "$_tap_failed" -eq 0 ] || diag_file "$LOG" 40
done_testing
