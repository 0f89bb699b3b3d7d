#!/bin/bash
# The demo command: install Debian packages, build, and run an
# active/passive pair on the embedded sample config (conf/keepalive-l7.conf,
# one file for both nodes through @lb1 / @^lb1 lines) in network
# namespaces this script makes and removes:
#
#   client 198.51.100.50 --+                    +-- web1 203.0.113.21:8080  pool web, weight 2
#   lb1 eth0 198.51.100.11 -+- front bridge      +-- web2 203.0.113.22:8080  pool web, weight 1
#   lb2 eth0 198.51.100.12 -+  (VIP .10:80)      +-- api  203.0.113.23:9000  pool api
#   lb1 eth1 203.0.113.11 ------ back bridge ---+
#   lb2 eth1 203.0.113.12 ----------------------+
#
# The backends are test/integration/echo_backend.py: each answers with its
# name, and logs every request with the address it came from (which load
# balancer forwarded it).  The demo shows the config checked for both
# nodes; requests through the VIP spread by the scheduler and switched by
# host and path; then a client sending a request every 20 ms while lb1's
# VRRP child is killed, a broken reload is refused, lb1 is killed (kill -9
# of its parent: the master crashes), a backend dies and comes back, and
# lb1 returns as BACKUP, printed as a timeline (one line per event or per
# second of traffic); and a summary.
#
# Run as root: sudo bash test/scripts/demo.sh
# The package install takes a few minutes the first time, the build about
# 30 s on 2 cores; the demo itself 30 to 45 s.  DEMO_SKIP_BUILD=1 skips the
# install and the build (the binary must be in build/keepalive-l7/);
# DEMO_KEEP_TMP=1 keeps the logs.  Ctrl-C stops it; everything it made is
# removed.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=test/scripts/deps.sh
. "$top/test/scripts/deps.sh"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
now() { date +%s.%N; }
event() { printf '%7.2fs  %s\n' "$(echo "$(now) - $t0" | bc)" "$*"; }

bin=$top/build/keepalive-l7/keepalive-l7
conf=$top/conf/keepalive-l7.conf
backend=$top/test/integration/echo_backend.py
vip=198.51.100.10

if [ "${DEMO_SKIP_BUILD:-0}" = 1 ]; then
	[ -x "$bin" ] || { echo "demo: DEMO_SKIP_BUILD=1 but $bin is not built" >&2; exit 1; }
else
	say "installing Debian packages and building"
	kl7_install_deps
	(cd "$top" && ./autogen.sh >/dev/null 2>&1)
	mkdir -p "$top/build" && cd "$top/build"
	[ -f Makefile ] || "$top/configure" -q
	make -j2 >/dev/null
fi

t0=$(now)
p=kl7demo$$
tmp=$(mktemp -d)
declare -A pid=()
nodes="sw cl lb1 lb2 web1 web2 api"
cleanup() {
	local n end
	trap - INT TERM
	for n in "${!pid[@]}"; do kill "${pid[$n]}" 2>/dev/null || true; done
	# The daemons stop within 5 s (keepalive-l7(8)); past that, kill.
	end=$((SECONDS + 6))
	for n in "${!pid[@]}"; do
		while kill -0 "${pid[$n]}" 2>/dev/null && [ "$SECONDS" -lt "$end" ]; do sleep 0.1; done
		kill -9 "${pid[$n]}" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	for n in $nodes; do ip netns del "$p-$n" 2>/dev/null || true; done
	if [ "${DEMO_KEEP_TMP:-0}" = 1 ]; then echo "demo: files kept in $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# wait_for SECONDS CMD...: poll until CMD succeeds; if it never does, show
# the nodes' logs and stop the demo.
wait_for() {
	local end=$((SECONDS + $1)); shift
	until "$@" >/dev/null 2>&1; do
		if [ "$SECONDS" -ge "$end" ]; then
			echo "demo: gave up waiting for: $*" >&2
			tail -n 15 "$tmp"/lb*.log >&2 2>/dev/null
			exit 1
		fi
		sleep 0.05
	done
}
holder() {	# which node holds the VIP
	local n
	for n in lb1 lb2; do
		ip -n "$p-$n" -br addr show dev eth0 | grep -q " $vip/" && { echo "$n"; return; }
	done
	echo none
}
is_holder() { [ "$(holder)" = "$1" ]; }
gone() {	# gone PID...: none of them runs
	local x
	for x; do ! kill -0 "$x" 2>/dev/null || return 1; done
}
# in_ns NODE CMD...: run CMD in NODE's namespace (not for a background
# process: $! would be the subshell's pid, not the command's).
in_ns() { local n=$1; shift; ip netns exec "$p-$n" "$@"; }
# lines FILE: how many lines FILE has now (for logged_after).
lines() { wc -l <"$1"; }
# logged_after N FILE PATTERN: a line after the first N of FILE matches.
logged_after() { tail -n "+$(($1 + 1))" "$2" | grep -q -- "$3"; }

say "the sample config, as each node reads it (keepalive-l7 -t -i lb1 / -i lb2)"
for n in lb1 lb2; do
	"$bin" -t -f "$conf" -i "$n" 2>&1 | sed "s|^$top/||; s|^|  $n: |"
done
for n in lb1 lb2; do
	"$bin" --dump-conf -f "$conf" -i "$n" | python3 -c '
import json, sys
j = json.load(sys.stdin)
i = j["vrrp_instance"][0]
print("  %s: router_id %s, priority %d, unicast to %s" % (sys.argv[1],
      j["global_defs"]["router_id"], i["priority"], i["unicast_peer"][0]))' "$n"
done
echo "  a config with mistakes: every error is FILE:LINE: message (3 of 20):"
"$bin" -t -f "$top/test/unit/configs/twenty_mistakes.conf" 2>&1 | sed "s|$top/||g" |
    head -n 3 | sed 's/^/    /' || true

say "the network: client, lb1, lb2 on the front bridge; lb1, lb2, 3 backends on the back"
ip netns add "$p-sw"
for br in br0 br1; do
	ip -n "$p-sw" link add "$br" type bridge
	ip -n "$p-sw" link set "$br" up
done
i=0
plug() {	# plug NODE IFNAME BRIDGE ADDR
	i=$((i + 1))
	ip link add "kd$$x$i" type veth peer name "kd$$y$i"
	ip link set "kd$$x$i" netns "$p-$1" name "$2"
	ip link set "kd$$y$i" netns "$p-sw" name "p$i"
	ip -n "$p-sw" link set "p$i" master "$3" up
	ip -n "$p-$1" link set "$2" up
	ip -n "$p-$1" addr add "$4/24" dev "$2"
}
for n in cl lb1 lb2 web1 web2 api; do
	ip netns add "$p-$n"
	ip -n "$p-$n" link set lo up
done
plug cl eth0 br0 198.51.100.50
plug lb1 eth0 br0 198.51.100.11
plug lb2 eth0 br0 198.51.100.12
plug lb1 eth1 br1 203.0.113.11
plug lb2 eth1 br1 203.0.113.12
plug web1 eth0 br1 203.0.113.21
plug web2 eth0 br1 203.0.113.22
plug api eth0 br1 203.0.113.23

declare -A baddr=([web1]=203.0.113.21:8080 [web2]=203.0.113.22:8080 [api]=203.0.113.23:9000)
start_backend() {	# start_backend NAME
	ip netns exec "$p-$1" python3 "$backend" --log "$tmp/backend.log" -l "${baddr[$1]}:$1" \
	    </dev/null >>"$tmp/$1.out" 2>&1 &
	pid[$1]=$!
}
listening() { in_ns "$1" ss -Hltn "src ${baddr[$1]%:*} and sport = :${baddr[$1]#*:}" | grep -q LISTEN; }
for n in web1 web2 api; do start_backend "$n"; done
for n in web1 web2 api; do wait_for 10 listening "$n"; done
event "backends listening: web1 ${baddr[web1]}, web2 ${baddr[web2]}, api ${baddr[api]}"

# The sample's state_file is /run/...; the demo keeps its files in $tmp.
sed "s|state_file .*|state_file $tmp/state.json|" "$conf" >"$tmp/lb.conf"
start() {	# start NODE
	ip netns exec "$p-$1" "$bin" -n -l -i "$1" -f "$tmp/lb.conf" -p "$tmp/$1.pid" 2>>"$tmp/$1.log" &
	pid[$1]=$!
}
# health NODE: the real servers' health from NODE's state dump (SIGUSR1),
# once every server has been checked at least once.
health() {
	local n=$1
	rm -f "$tmp/state.json"
	kill -USR1 "${pid[$n]}"
	wait_for 3 test -s "$tmp/state.json"
	python3 - "$tmp/state.json" <<-'EOF'
	import json, sys
	names = {"203.0.113.21:8080": "web1", "203.0.113.22:8080": "web2", "203.0.113.23:9000": "api"}
	s = json.load(open(sys.argv[1]))["servers"]
	if any(r["consecutive_ok"] + r["consecutive_fail"] == 0 for r in s):
	    sys.exit(1)
	print(", ".join("%s %s" % (names[r["real_server"]], r["health"]) for r in s))
	EOF
}

say "lb1, then lb2, on the same file (lb1 has the higher priority)"
# lb1 first: with the sample's preempt_delay 30, a node that comes second
# waits 30 s before taking the VIP from one that already holds it.
start lb1
wait_for 10 is_holder lb1
event "lb1: $(grep -h 'VRRP VI_WEB' "$tmp/lb1.log" | tail -n 1 | cut -d' ' -f4-); VIP $vip on $(holder)"
start lb2
wait_for 10 grep -q "INIT -> BACKUP" "$tmp/lb2.log"
event "lb2: $(grep -h 'VRRP VI_WEB' "$tmp/lb2.log" | tail -n 1 | cut -d' ' -f4-)"
for n in lb1 lb2; do
	wait_for 5 health "$n"
	event "$n: health checks: $(health "$n")"
done
wait_for 5 in_ns cl curl -sf -m 1 -o /dev/null "http://$vip/"

say "requests through the VIP: lb_algo wlc (weighted least connections)"
get() { in_ns cl curl -s -m 5 "$@"; }
seq_=()
for _ in 1 2 3 4 5 6; do seq_+=("$(get "http://$vip/")"); done
echo "  6 requests one after another:  ${seq_[*]}"
echo "    (each finds every server idle; web1, weight 2, is the least loaded)"
urls=()
for _ in $(seq 12); do urls+=("http://$vip/slow/500"); done
# (curl's parallel progress meter ignores -s: its stderr is dropped)
printf '  12 requests at once (0.5 s each): %s\n' "$(get -Z --parallel-immediate --parallel-max 12 \
    "${urls[@]}" 2>/dev/null | sort | uniq -c | awk '{ printf "%s%s %d", (NR > 1 ? "  " : ""), $2, $1 }')"
echo "    (in flight together, they share out by weight, 2:1)"

say "routing by host and path (the sample's http_route api_host and api_path)"
printf '  %-16s %-16s -> %s\n' "Host" "path" "backend"
for hp in "www.example.com /" "www.example.com /api/orders" "www.example.com /static/app.css" \
    "api.example.com /" "api.example.com /v2/users"; do
	h=${hp% *} path=${hp#* }
	printf '  %-16s %-16s -> %s\n' "$h" "$path" "$(get -H "Host: $h" "http://$vip$path")"
done
printf '  the backend sees:  %s\n' "$(get "http://$vip/headers" | python3 -c '
import json, sys
h = dict(json.load(sys.stdin))
print("X-Forwarded-For: %s, X-Forwarded-Proto: %s" % (h["X-Forwarded-For"], h["X-Forwarded-Proto"]))')"

# ---------------------------------------------------------------- timeline
#
# The client: one request every 20 ms, each on a new connection,
# alternately to /r/N (pool web) and /api/r/N (pool api).  The timeline
# merges the demo's actions, the daemons' log lines (VRRP states, health,
# children, reloads) and one line per second of traffic; a line is printed
# 0.3 s after its time, so that every source has caught up.
cat >"$tmp/timeline.py" <<'EOF'
import argparse, json, math, os, re, socket, threading, time

ap = argparse.ArgumentParser()
for o in ("--t0", "--since", "--interval", "--max"):
    ap.add_argument(o, type=float, required=True)
for o in ("--vip", "--events", "--backend-log", "--stop", "--summary"):
    ap.add_argument(o, required=True)
ap.add_argument("--log", action="append", default=[], help="NODE=FILE")
ap.add_argument("--via", action="append", default=[], help="ADDR=NODE")
ap.add_argument("--name", action="append", default=[], help="ADDR:PORT=BACKEND")
a = ap.parse_args()
VIA = dict(x.split("=", 1) for x in a.via)
NAMES = dict(x.split("=", 1) for x in a.name)
BACKENDS = list(NAMES.values())
DELAY = 0.3
lock = threading.Lock()
results = []  # (sent, done, n, ok, backend or error, connect time)
stop = threading.Event()


def request(path, conn):
    s = socket.socket()
    s.settimeout(2.0)
    try:
        t = time.time()
        s.connect((a.vip, 80))
        conn[0] = time.time() - t
        s.sendall(("GET %s HTTP/1.1\r\nHost: www.example.com\r\nConnection: close\r\n\r\n"
                   % path).encode())
        buf = b""
        while True:
            d = s.recv(4096)
            if not d:
                break
            buf += d
        head, _, body = buf.partition(b"\r\n\r\n")
        status = head.split(b" ", 2)[1].decode() if head.count(b" ") >= 1 else "none"
        if status != "200":
            return False, "HTTP " + status
        return True, body.decode().strip()
    except socket.timeout:
        return False, "timeout"
    except OSError as e:
        return False, os.strerror(e.errno) if e.errno else str(e)
    finally:
        s.close()


def client():
    n, nxt = 0, time.time()
    end = nxt + a.max
    while not stop.is_set() and time.time() < end:
        n += 1
        t, conn = time.time(), [None]
        ok, what = request(("/r/%d" if n % 2 else "/api/r/%d") % n, conn)
        with lock:
            results.append((t, time.time(), n, ok, what, conn[0]))
        nxt = max(nxt + a.interval, time.time())
        time.sleep(max(0.0, nxt - time.time()))


class Tail:
    def __init__(self, path):
        self.path, self.f, self.part = path, None, ""

    def lines(self):
        if self.f is None:
            try:
                self.f = open(self.path, encoding="utf-8", errors="replace")
            except OSError:
                return []
        out = (self.part + self.f.read()).split("\n")
        self.part = out.pop()
        return out


LOG_RE = re.compile(r"^(\d+\.\d+) keepalive-l7\[\d+\](?: \[\w+\])?: (.*)$")
SHOW = re.compile(r"VRRP \S+: \S+ -> |resuming|real server .* (up|down)|quorum|child |stopping"
                  r"|stopped|reload|drain|\.conf:\d+:|error|fail|cannot|warn", re.I)
HIDE = re.compile(r"child \S+ started|exited with status 0")


def shorten(msg):
    msg = re.sub(r"^virtual server \S+: ", "", msg)
    msg = re.sub(r"^\S*/lb\.conf:", "lb.conf:", msg)
    for addr, name in NAMES.items():
        msg = msg.replace("real server " + addr, name)
    return msg.replace("VRRP VI_WEB: ", "VRRP ")


def emit(t, src, text):
    print("%7.2fs  %-5s %s" % (t - a.t0, src, text), flush=True)


def rate_line(lo, hi, via):
    with lock:
        rs = [r for r in results if lo <= r[1] < hi]
    ok = [r for r in rs if r[3]]
    bad = {}
    for r in rs:
        if not r[3]:
            bad[r[4]] = bad.get(r[4], 0) + 1
    lbs = {}
    for r in ok:
        lbs[via.get(r[2], "?")] = lbs.get(via.get(r[2], "?"), 0) + 1
    text = "%3d answered %3d failed   %s   via %s" % (
        len(ok), sum(bad.values()),
        "  ".join("%s %3d" % (b, sum(1 for r in ok if r[4] == b)) for b in BACKENDS),
        ", ".join("%s %d" % (k, lbs[k]) for k in sorted(lbs)) or "-")
    if bad:
        text += "   (" + ", ".join("%d %s" % (v, k) for k, v in bad.items()) + ")"
    return text


def main():
    tails = [(n, Tail(p)) for n, p in (x.split("=", 1) for x in a.log)]
    tails.append(("demo", Tail(a.events)))
    btail = Tail(a.backend_log)
    via, pending = {}, []
    thr = threading.Thread(target=client, daemon=True)
    thr.start()
    # whole seconds of the demo's clock, from the first one the client runs in full
    sec = a.t0 + math.ceil(time.time() - a.t0)
    while True:
        done = os.path.exists(a.stop) or not thr.is_alive()
        if done:
            stop.set()
            thr.join()
        for name, t in tails:
            for l in t.lines():
                if name == "demo":
                    ts, _, text = l.partition(" ")
                    pending.append((float(ts), 0, name, text))
                    continue
                m = LOG_RE.match(l)
                if m and float(m.group(1)) >= a.since and SHOW.search(m.group(2)) \
                        and not HIDE.search(m.group(2)):
                    pending.append((float(m.group(1)), 0, name, shorten(m.group(2))))
        for l in btail.lines():
            try:
                r = json.loads(l)
            except ValueError:
                continue
            m = re.search(r"/r/(\d+)$", r.get("target", ""))
            if m:
                via[int(m.group(1))] = VIA.get(r["peer"].rsplit(":", 1)[0], "?")
        now = time.time()
        horizon = now + 1 if done else now - DELAY
        while sec + 1 <= horizon:  # when done, the last second may be partial
            pending.append((min(sec + 1, now), 1, "http", sec))
            sec += 1
        pending.sort(key=lambda x: x[:2])
        while pending and pending[0][0] <= horizon:
            t, kind, src, text = pending.pop(0)
            emit(t, src, rate_line(text, text + 1, via) if kind else text)
        if done:
            break
        time.sleep(0.05)
    with lock:
        rs = sorted(results)
    ok_t = [r[1] for r in rs if r[3]]
    gaps = [(y - x, x) for x, y in zip(ok_t, ok_t[1:])] or [(0.0, a.t0)]
    slow = max(rs, key=lambda r: r[1] - r[0])
    summ = {"sent": len(rs), "ok": sum(1 for r in rs if r[3]),
            "failed": {}, "backends": {}, "via": {},
            "seconds": rs[-1][1] - rs[0][0],
            "gap_ms": int(max(gaps)[0] * 1000), "gap_at": max(gaps)[1] - a.t0,
            "slowest_ms": int((slow[1] - slow[0]) * 1000), "slowest_at": slow[0] - a.t0,
            "slowest_connect_ms": None if slow[5] is None else int(slow[5] * 1000),
            "failures": [[r[0] - a.t0, r[2], r[4]] for r in rs if not r[3]]}
    for r in rs:
        if r[3]:
            summ["backends"][r[4]] = summ["backends"].get(r[4], 0) + 1
            v = via.get(r[2], "?")
            summ["via"][v] = summ["via"].get(v, 0) + 1
        else:
            summ["failed"][r[4]] = summ["failed"].get(r[4], 0) + 1
    with open(a.summary, "w") as f:
        json.dump(summ, f)


main()
EOF

: >"$tmp/events"
action() { echo "$(now) $*" >>"$tmp/events"; }
say "a client sends a request every 20 ms through the VIP; the timeline:"
echo "     time  from  event (http: requests answered in the second before)"
ip netns exec "$p-cl" python3 "$tmp/timeline.py" --t0 "$t0" --since "$(now)" --interval 0.02 --max 90 \
    --vip "$vip" --events "$tmp/events" --backend-log "$tmp/backend.log" \
    --log "lb1=$tmp/lb1.log" --log "lb2=$tmp/lb2.log" \
    --via 203.0.113.11=lb1 --via 203.0.113.12=lb2 \
    --name "${baddr[web1]}=web1" --name "${baddr[web2]}=web2" --name "${baddr[api]}=api" \
    --stop "$tmp/stop" --summary "$tmp/summary.json" &
pid[timeline]=$!
sleep 2.5

old=$(pgrep -P "${pid[lb1]}" -x kl7-vrrp)
n1=$(lines "$tmp/lb1.log")
action "kill -9 lb1's VRRP child (pid $old): the parent starts a new one"
kill -9 "$old"
wait_for 5 logged_after "$n1" "$tmp/lb1.log" "resuming as MASTER"
sleep 1.5

n1=$(lines "$tmp/lb1.log")
cp "$tmp/lb.conf" "$tmp/good.conf"
sed -i 's/priority 150/priority 300/' "$tmp/lb.conf"
action "SIGHUP to lb1 with priority 300 in its file: the reload is refused"
kill -HUP "${pid[lb1]}"
wait_for 5 logged_after "$n1" "$tmp/lb1.log" "reload failed"
cp "$tmp/good.conf" "$tmp/lb.conf"
sleep 1.5

n2=$(lines "$tmp/lb2.log")
mapfile -t kids < <(pgrep -P "${pid[lb1]}")
action "kill -9 lb1 (pid ${pid[lb1]}, the parent): the master crashes"
t_kill=$(now)
kill -9 "${pid[lb1]}"
wait "${pid[lb1]}" 2>/dev/null || true
unset 'pid[lb1]'
wait_for 5 logged_after "$n2" "$tmp/lb2.log" "BACKUP -> MASTER"
t_master=$(tail -n "+$((n2 + 1))" "$tmp/lb2.log" | grep -m1 'BACKUP -> MASTER' | cut -d' ' -f1)
wait_for 5 is_holder lb2
# Its children see the parent go (PDEATHSIG) and stop.
wait_for 5 gone "${kids[@]}"
sleep 2.5

n2=$(lines "$tmp/lb2.log")
action "kill -9 web1 (pid ${pid[web1]})"
t_web1_kill=$(now)
kill -9 "${pid[web1]}"
wait "${pid[web1]}" 2>/dev/null || true
unset 'pid[web1]'
wait_for 15 logged_after "$n2" "$tmp/lb2.log" "203.0.113.21:8080 down"
t_web1_down=$(tail -n "+$((n2 + 1))" "$tmp/lb2.log" | grep -m1 '203.0.113.21:8080 down' | cut -d' ' -f1)
sleep 2

n2=$(lines "$tmp/lb2.log")
action "web1 starts again"
t_web1_start=$(now)
start_backend web1
wait_for 15 logged_after "$n2" "$tmp/lb2.log" "203.0.113.21:8080 up"
t_web1_up=$(tail -n "+$((n2 + 1))" "$tmp/lb2.log" | grep -m1 '203.0.113.21:8080 up' | cut -d' ' -f1)
sleep 2

n1=$(lines "$tmp/lb1.log")
action "lb1 starts again: it waits as BACKUP (preempt_delay 30)"
start lb1
wait_for 10 logged_after "$n1" "$tmp/lb1.log" "INIT -> BACKUP"
sleep 2
touch "$tmp/stop"
wait "${pid[timeline]}" || { echo "demo: the timeline failed" >&2; exit 1; }
unset 'pid[timeline]'

say "summary"
python3 - "$tmp/summary.json" "$t0" "$t_kill" "$t_master" "$t_web1_kill" "$t_web1_down" \
    "$t_web1_start" "$t_web1_up" "$(holder)" "$tmp/events" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
t0, kill, master, wkill, wdown, wstart, wup = (float(x) for x in sys.argv[2:9])
fails = ", ".join("%d %s" % (v, k) for k, v in s["failed"].items()) or "none"
print("  client     %d requests in %.1f s, one new connection each: %d answered, %d failed (%s)"
      % (s["sent"], s["seconds"], s["ok"], sum(s["failed"].values()), fails))
actions = [(float(l.split(" ", 1)[0]) - t0, l.split(" ", 1)[1].split(":")[0].strip())
           for l in open(sys.argv[10])]
for t, n, what in s["failures"][:5]:
    after = [x for x in actions if x[0] <= t]
    print("             request %d, sent at %.2f s: %s%s" % (n, t, what,
          " (%d ms after: %s)" % ((t - after[-1][0]) * 1000, after[-1][1]) if after else ""))
    if what == "Connection refused" and after and after[-1][1].startswith("kill -9 lb1 "):
        print("             (lb1 still had the VIP, but no listener: its l7 child had"
              " stopped before its VRRP child removed the VIP)")
print("  backends   " + "  ".join("%s %d" % (b, s["backends"].get(b, 0)) for b in ("web1", "web2", "api"))
      + "     via " + "  ".join("%s %d" % kv for kv in sorted(s["via"].items())))
print("  failover   lb1 killed at %.2f s; lb2 MASTER %d ms later; the VIP is on %s"
      % (kill - t0, (master - kill) * 1000, sys.argv[9]))
print("  longest    gap between two answers %d ms (at %.2f s); slowest request %d ms (at %.2f s%s)"
      % (s["gap_ms"], s["gap_at"], s["slowest_ms"], s["slowest_at"],
         "" if s["slowest_connect_ms"] is None else ", its connect %d ms" % s["slowest_connect_ms"]))
if (s["slowest_connect_ms"] or 0) >= 900:
    print("             (its SYN went out while the VIP moved; TCP sent it again after 1 s)")
print("  web1       down %d ms after it was killed, up %d ms after it was started"
      " (checks every 5 s)"
      % ((wdown - wkill) * 1000, (wup - wstart) * 1000))
EOF
event "done in $(echo "$(now) - $t0" | bc | cut -d. -f1) s; cleaning up"
