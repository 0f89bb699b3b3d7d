#!/bin/bash
# Persistence through the forwarder.  Source persistence
# (persistence_timeout 2): a client address stays on the server it first
# got, over new connections, while round robin spreads other clients; a
# disabled server's clients go elsewhere and stick there (redispatch); an
# entry idle past the timeout is forgotten.
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

netns_add lb || bail_out "cannot create netns lb"
{
	link_add_dummy lb d0 &&
	    for a in $VIP/24 192.0.2.51/24 192.0.2.52/24 $S/24; do
		    ip -n "$(ns_name lb)" addr add "$a" dev d0 || exit 1
	    done
} 2>>"$T/ip.log" || bail_out "cannot build the topology: $(tail -n 1 "$T/ip.log")"

ip netns exec "$(ns_name lb)" "$KL7_PYTHON" "$_kl7_lib_dir/echo_backend.py" --log "$T/backend.log" \
    -l $S:8101:a -l $S:8102:b -l $S:8103:c </dev/null >>"$T/backend.out" 2>&1 &
track_pid "$!"
backends_up() {
	local p
	for p in 8101 8102 8103; do
		ns_exec lb ss -Hltn "src $S and sport = :$p" | grep -q LISTEN || return 1
	done
}
wait_for 15 backends_up || bail_out "the backends did not start listening within 15 s"

cat >"$T/k.conf" <<EOF
virtual_server $VIP 80 {
    lb_kind L7
    lb_algo rr
    persistence_timeout 2
    real_server $S 8101 { }
    real_server $S 8102 { }
    real_server $S 8103 { }
}
EOF
daemon_start kl7 -N lb -f "$T/k.conf" -p "$T/pid" ||
    bail_out "the daemon did not start: $(tail -n 3 "$(daemon_log kl7)")"
wait_for 10 log_has "$(daemon_log kl7)" "all children ready" ||
    bail_out "the daemon is not ready: $(tail -n 3 "$(daemon_log kl7)")"

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
done_testing
