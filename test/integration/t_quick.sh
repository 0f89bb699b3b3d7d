#!/bin/bash
# Quick mode: `keepalive-l7 -n -l --listen ADDR:PORT HOST=ADDR:PORT...`
# proxies by Host header without a config file.  Exact names, "*.suffix"
# (the longest suffix wins), "*" for every other host, two servers for
# one name (both get requests), IPv6, without "*" a host no argument names
# gets 503; the SIGUSR1 dump (beside the pid file) shows the forwarder's
# routes and pools and which servers are eligible; bad arguments are refused with a message and exit 2; -t and
# --dump-conf work on the command line's config, and SIGHUP reloads it.
#
#   lb  d0 (dummy) 192.0.2.1/24, 2001:db8::1/64 (listen), 198.51.100.2/24 (backends)
#
# Run by hand (as root), from the source tree with a build in build/:
#   KL7_TOP_BUILDDIR=$PWD/build bash test/integration/t_quick.sh
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
command -v curl >/dev/null || skip_all "no curl"
command -v ss >/dev/null || skip_all "no ss (iproute2)"

T=$KL7_TMP
V4=192.0.2.1
V6=2001:db8::1
S=198.51.100.2
BLOG=$T/backend.log
MAPS=("api.example.test=$S:8301" "*.example.test=$S:8302" "*.x.example.test=$S:8303"
    "two.example.test=$S:8304" "two.example.test=$S:8305" "*=$S:8306")

plan 23

# same GOT WANT DESC
same() {
	if [ "$1" = "$2" ]; then
		pass "$3"
	else
		fail "$3"
		diag "got '$1', want '$2'"
	fi
}

# --- arguments -----------------------------------------------------------
# refused ARGS... : exit status 2 and a message naming what is wrong.
refused() {
	local want=$1 out rc
	shift
	out=$("$kl7_bin" "$@" -t 2>&1)
	rc=$?
	[ $rc -eq 2 ] && grep -q -- "$want" <<<"$out" && return 0
	diag "exit $rc: $out"
	return 1
}
refused "at least one HOST" --listen $V4:8080
ok $? "--listen without HOST=ADDR:PORT is refused"
refused "'bad host' is not a host name" --listen $V4:8080 "bad host=$S:1"
ok $? "a host name with a space is refused"
refused "expected ADDR:PORT" --listen nowhere "a=$S:1"
ok $? "a --listen that is not ADDR:PORT is refused"
refused "share a server" --listen $V4:8080 "a=$S:1" "b=$S:1" "b=$S:2"
ok $? "two hosts sharing only some of their servers are refused"
refused "exclude each other" --listen $V4:8080 "a=$S:1" -f /dev/null
ok $? "--listen with -f is refused"

out=$("$kl7_bin" --listen $V4:8080 "${MAPS[@]}" -t 2>&1)
ok $? "-t accepts the quick mode's config" || diag "$out"
routes=$("$kl7_bin" --listen $V4:8080 "${MAPS[@]}" --dump-conf 2>&1 |
    "$KL7_PYTHON" -c '
import json, sys
vs = json.load(sys.stdin)["virtual_server"][0]
print(" ".join("%s>%s" % ("|".join(r["host"]), r["pool"]) for r in vs["http_route"]), vs["default_pool"])')
same "$routes" "api.example.test>pool1 two.example.test>pool4 *.x.example.test>pool3 *.example.test>pool2 pool5" \
    "--dump-conf: exact names first, then the longest suffix, '*' is the default pool"

# --- serving -------------------------------------------------------------
lb_ns $V4/24 $V6/64 $S/24
lb_backends "$BLOG" 8301 8302 8303 8304 8305 8306 -- -l $S:8301:api -l $S:8302:wild \
    -l $S:8303:xwild -l $S:8304:two1 -l $S:8305:two2 -l $S:8306:other

daemon_start kl7 -N lb -p "$T/kl7.pid" --listen $V4:8080 --listen "[$V6]:8080" "${MAPS[@]}" ||
    bail_out "the daemon did not start"
wait_for 10 log_has "$(daemon_log kl7)" "all children ready" ||
    bail_out "the daemon is not ready: $(tail -n 3 "$(daemon_log kl7)")"

# backend_of HOST [URL]: the X-Backend of the answer for Host: HOST.
backend_of() {
	ns_exec lb curl -s -o /dev/null -D - -m 5 -H "Host: $1" "${2:-http://$V4:8080/}" |
	    tr -d '\r' | sed -n 's/^X-Backend: //p'
}
same "$(backend_of api.example.test)" api "an exact name goes to its server"
same "$(backend_of API.Example.TEST)" api "... whatever its case"
same "$(backend_of www.example.test)" wild "a *.suffix name goes to its server"
same "$(backend_of a.x.example.test)" xwild "the longest matching suffix wins"
same "$(backend_of nothing.test)" other "'*' takes every other host"
same "$(backend_of api.example.test "http://[$V6]:8080/")" api "the IPv6 listener routes the same"

seen=""
for _ in 1 2 3 4 5 6; do seen="$seen $(backend_of two.example.test)"; done
seen=$(tr ' ' '\n' <<<"$seen" | sort -u | xargs)
same "$seen" "two1 two2" "a name with two servers spreads over both"

# --- SIGUSR1: the forwarder's view, beside the pid file --------------------
# fwd PYTHON-EXPR: EXPR over `f`, the forwarder entry of the IPv4 listener
# in the dump of a fresh SIGUSR1 (a tuple prints as a JSON list).
fwd() {
	rm -f "$T/kl7.json"
	daemon_signal kl7 USR1 && wait_for 5 test -s "$T/kl7.json" || return 1
	json_get "$T/kl7.json" "(lambda f: ($1))([x for x in j['forwarder'] if x['virtual_server'] == '$V4:8080'][0])"
}
same "$(fwd "f['routes'][0]['name'], f['routes'][0]['pool'], f['default_pool'], f['lb_algo']")" \
    '["hosts1", "pool1", "pool5", "rr"]' "SIGUSR1 dump: forwarder routes, default pool, lb_algo"
two="[p for p in f['pools'] if p['name'] == 'pool4'][0]"
same "$(fwd "$two['eligible'], [s['eligible'] for s in $two['servers']]")" '[2, [true, true]]' \
    "... two.example.test's pool: both servers eligible"
"$KL7_TOP_BUILDDIR/keepalive-l7/keepalive-l7ctl" -s "$T/kl7.sock" disable server $V4:8080 $S:8305 \
    >>"$T/ctl.log" 2>&1
ok $? "keepalive-l7ctl (socket beside the pid file) disables one of them"
same "$(fwd "$two['eligible'], [s['eligible'] for s in $two['servers']]")" '[1, [true, false]]' \
    "... and the dump shows it not eligible"
seen=""
for _ in 1 2 3 4; do seen="$seen $(backend_of two.example.test)"; done
same "$(tr ' ' '\n' <<<"$seen" | sort -u | xargs)" two1 "... nor does it get requests"

# A second instance without '*': a host no argument names has no pool.
daemon_start kl7b -N lb -p "$T/b.pid" --listen $V4:8081 "api.example.test=$S:8301" ||
    bail_out "the second daemon did not start"
wait_for 10 log_has "$(daemon_log kl7b)" "all children ready" ||
    bail_out "the second daemon is not ready: $(tail -n 3 "$(daemon_log kl7b)")"
code=$(ns_exec lb curl -s -o /dev/null -w '%{http_code}' -m 5 -H "Host: other.test" http://$V4:8081/)
same "$code" 503 "without '*', a host no argument names gets 503"
daemon_signal kl7b TERM
daemon_wait_exit kl7b 10

# --- reload ----------------------------------------------------------------
daemon_signal kl7 HUP
wait_for 10 log_has "$(daemon_log kl7)" "reload: new configuration loaded"
ok $? "SIGHUP reloads the command line's config" || diag "$(tail -n 5 "$(daemon_log kl7)")"
same "$(backend_of api.example.test)" api "... and it still routes"

daemon_signal kl7 TERM
daemon_wait_exit kl7 10
same "$DAEMON_STATUS" 0 "SIGTERM: exit 0"
done_testing
