#!/bin/bash
# Persistence through the forwarder.  Source persistence
# (persistence_timeout 2): a client address stays on the server it first
# got, over new connections, while round robin spreads other clients; a
# disabled server's clients go elsewhere and stick there (redispatch); an
# entry idle past the timeout is forgotten.  Cookie persistence, with
# curl's cookie jar as the client: insert (indirect, nocache, httponly:
# the cookie is set once, with its attributes, never reaches the server,
# and a disabled server's client is moved and given a new cookie),
# rewrite and prefix (the application's own cookie carries the server).
#
#   lb  d0 (dummy) 192.0.2.1/24 (VS), 192.0.2.51-52 (clients),
#       198.51.100.2/24 (backends a, b, c)
#
# Run by hand (as root), from the source tree with a build in build/:
#   KL7_TOP_BUILDDIR=$PWD/build bash test/integration/t_persist.sh
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
command -v curl >/dev/null || skip_all "no curl"
command -v ss >/dev/null || skip_all "no ss (iproute2)"

T=$KL7_TMP
VIP=192.0.2.1
S=198.51.100.2
CTL_BIN="$KL7_TOP_BUILDDIR/keepalive-l7/keepalive-l7ctl"

lb_ns $VIP/24 192.0.2.51/24 192.0.2.52/24 $S/24

lb_backends "$T/backend.log" 8101 8102 8103 -- -l $S:8101:a -l $S:8102:b -l $S:8103:c

cat >"$T/k.conf" <<EOF
virtual_server $VIP 80 {
    lb_kind L7
    lb_algo rr
    persistence_timeout 2
    real_server $S 8101 { }
    real_server $S 8102 { }
    real_server $S 8103 { }
}
virtual_server $VIP 81 {
    lb_kind L7
    lb_algo rr
    persistence cookie SRV insert indirect nocache httponly
    real_server $S 8101 { cookie a }
    real_server $S 8102 { cookie b }
    real_server $S 8103 { cookie c }
}
virtual_server $VIP 82 {
    lb_kind L7
    lb_algo rr
    persistence cookie SRV rewrite
    real_server $S 8101 { cookie a }
    real_server $S 8102 { cookie b }
    real_server $S 8103 { cookie c }
}
virtual_server $VIP 83 {
    lb_kind L7
    lb_algo rr
    persistence cookie SRV prefix
    real_server $S 8101 { }
    real_server $S 8102 { }
    real_server $S 8103 { }
}
EOF
kl7_up "$T/k.conf"

ctl() { "$CTL_BIN" -s "$T/pid.sock" "$@"; }
is() { [ "$1" = "$2" ]; }

# served FROM N: the backends that answered N requests from address FROM,
# each on a new connection, in order.
served() {
	local i out=""
	for i in $(seq 1 "$2"); do
		out="$out$(ns_exec lb curl -s -m 5 --interface "$1" "http://$VIP/p")"
	done
	echo "$out" | tr -d '\n'
}

check "a client stays on its first server over new connections" \
    is "$(served 192.0.2.51 6)" "aaaaaa"
check "another client gets the next one, and stays there" \
    is "$(served 192.0.2.52 6)" "bbbbbb"
ctl disable server "$VIP:80" "$S:8101" >/dev/null
check "its server disabled, the first client goes elsewhere and sticks there" \
    is "$(served 192.0.2.51 4)" "cccc"
ctl enable server "$VIP:80" "$S:8101" >/dev/null
check "... and stays there when the server comes back" is "$(served 192.0.2.51 2)" "cc"
sleep 2.5	# the measured idle: past persistence_timeout (2 s)
check "idle past persistence_timeout, the client is scheduled again (round robin's next)" \
    is "$(served 192.0.2.51 1)" "a"

# ---------------------------------------------------------------- cookies

# jar PORT PATH [CURL ARGS...]: a GET with the cookie jar $T/jar; the head
# to $T/head, the body (the backend's name) on stdout.
jar() {
	local port=$1 path=$2
	shift 2
	ns_exec lb curl -s -m 5 -b "$T/jar" -c "$T/jar" -D "$T/head" "$@" "http://$VIP:$port$path"
}
set_cookies() { tr -d '\r' <"$T/head" | grep -i '^set-cookie:' | tr '\n' '|'; }
last_cookie_hdr() {	# what the backend's last request carried as Cookie
	tail -n 1 "$T/backend.log" |
	    "$KL7_PYTHON" -c 'import json,sys; r=json.load(sys.stdin); print([v for k, v in r["headers"] if k == "Cookie"])'
}

: >"$T/jar"
first=$(jar 81 / -H "Cookie: keep=1")
check "insert: the first answer sets the cookie with its attributes" \
    is "$(set_cookies)" "Set-Cookie: SRV=$first; path=/; HttpOnly|"
check "... and is marked private (nocache)" grep -qi '^Cache-Control: private' "$T/head"
check "... indirect: the server never sees it, the client's other cookies pass" \
    is "$(last_cookie_hdr)" "['keep=1']"
out=""
for i in 1 2 3 4 5; do out="$out$(jar 81 /)"; done
check "with the cookie, new connections stay on the server" is "$out" "$first$first$first$first$first"
check "... and are not given the cookie again (indirect)" is "$(set_cookies)" ""
check "... nor does the server see it" is "$(last_cookie_hdr)" "[]"
ctl disable server "$VIP:81" "$S:$((8100 + $(printf '%d' "'$first") - 96))" >/dev/null
moved=$(jar 81 /)
check "its server disabled, the client is served elsewhere and given the new cookie" \
    is "$([ "$moved" != "$first" ] && set_cookies)" "Set-Cookie: SRV=$moved; path=/; HttpOnly|"
check "... and stays there" is "$(jar 81 /)$(jar 81 /)" "$moved$moved"
ctl enable server "$VIP:81" "$S:$((8100 + $(printf '%d' "'$first") - 96))" >/dev/null

: >"$T/jar"
srv=$(jar 82 /set-cookie/SRV/app)
check "rewrite: the application's cookie carries the server's value instead" \
    is "$(set_cookies)" "Set-Cookie: SRV=$srv; Path=/|"
check "... which brings the client back to it" is "$(jar 82 /)$(jar 82 /)$(jar 82 /)" "$srv$srv$srv"

: >"$T/jar"
srv=$(jar 83 /set-cookie/SRV/app)
# A server without `cookie` is "s" and the FNV-1a hash of "ADDRESS:PORT".
pos=$(( $(printf '%d' "'$srv") - 96 ))
id=$("$KL7_PYTHON" -c '
import sys
h = 2166136261
for c in sys.argv[1].encode():
    h = ((h ^ c) * 16777619) & 0xffffffff
print("s%08x" % h)' "$S:810$pos")
check "prefix: the server's value goes in front of the application's" \
    is "$(set_cookies)" "Set-Cookie: SRV=$id~app; Path=/|"
check "... which brings the client back to it" is "$(jar 83 /)$(jar 83 /)$(jar 83 /)" "$srv$srv$srv"
check "... and the server gets its own value back" is "$(last_cookie_hdr)" "['SRV=app']"
done_testing
