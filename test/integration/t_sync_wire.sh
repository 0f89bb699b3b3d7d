#!/bin/bash
# sticky_sync on the wire: one node against a scripted peer
# (sync_peer.py, which speaks doc/sticky-sync.md from its own Python code),
# one scenario per connection, the test looking at the node in between.
#
#   inject       the peer's entries are taken: .51 -> b, so .51 lands on b
#                (a new client gets a, the round robin's first); an entry
#                for a server the node does not have is dropped
#   flood        20000 entries: all taken, the table stays within its
#                16384 slots
#   badmac       a frame with one MAC byte flipped: the link is dropped
#                ("bad MAC"), the good frame before it counts, it does not
#   replay       a good frame sent twice: the copy is refused likewise
#   early        an ENTRIES frame before the handshake: refused, nothing taken
#   wrongsecret  a peer with another secret: "authentication failed", closed
#   noread       a peer that pings but never reads while the node sends its
#                whole table (TCP send buffers made small): the node drops it
#                ("reads too slowly") instead of buffering more
#
#   lb  d0 (dummy) 192.0.2.1 (VS, sync listen), 192.0.2.2 (the peer),
#       192.0.2.51-56 (clients), 198.51.100.2 (backends a, b, c)
#
# Run by hand (as root), from the source tree with a build in build/:
#   KL7_TOP_BUILDDIR=$PWD/build bash test/integration/t_sync_wire.sh
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
command -v curl >/dev/null || skip_all "no curl"

T=$KL7_TMP
VIP=192.0.2.1
PEER=192.0.2.2
S=198.51.100.2
SECRET="t_sync_wire secret, 0123456789"
CTL_BIN="$KL7_TOP_BUILDDIR/keepalive-l7/keepalive-l7ctl"
LOG=$(daemon_log kl7)

lb_ns $VIP/24 $PEER/24 192.0.2.51/24 192.0.2.52/24 192.0.2.53/24 192.0.2.54/24 \
    192.0.2.55/24 192.0.2.56/24 $S/24
# Small TCP send buffers in the namespace: a peer that does not read fills
# the node's soon (noread).
ns_exec lb sysctl -qw net.ipv4.tcp_wmem="4096 16384 65536" || bail_out "tcp_wmem"
lb_backends "$T/backend.log" 8101 8102 8103 -- -l $S:8101:a -l $S:8102:b -l $S:8103:c

cat >"$T/k.conf" <<EOF
sticky_sync {
    listen $VIP 7400
    peer $PEER 7400
    secret "$SECRET"
}
virtual_server $VIP 80 {
    lb_kind L7
    lb_algo rr
    persistence_timeout 300
    real_server $S 8101 { }
    real_server $S 8102 { }
    real_server $S 8103 { }
}
EOF

mkdir -p "$T/gate"
: >"$T/peer.log"
ip netns exec "$(ns_name lb)" "$KL7_PYTHON" "$KL7_TOP_SRCDIR/test/integration/sync_peer.py" \
    --listen $PEER:7400 --secret "$SECRET" --gate "$T/gate" --log "$T/peer.log" \
    --vs $VIP:80 --server $S:8101 \
    inject:192.0.2.51=$S:8102,192.0.2.52=198.51.100.99:9999 flood:20000 \
    badmac:192.0.2.53=$S:8103 replay:192.0.2.55=$S:8103 early wrongsecret noread:30 \
    </dev/null >>"$T/peer.out" 2>&1 &
track_pid "$!"
kl7_up "$T/k.conf"

# stat FIELD: the virtual server's FIELD in `show stats`.
stat() {
	"$CTL_BIN" -s "$T/pid.sock" -j show stats |
	    "$KL7_PYTHON" -c "import json, sys; print(json.load(sys.stdin)['result']['virtual_servers'][0]['$1'])"
}
stat_is() { [ "$(stat "$1")" = "$2" ]; }
stat_in() { local v; v=$(stat "$1") && [ "$v" -gt "$2" ] && [ "$v" -le "$3" ]; }
via() { ns_exec lb curl -s -m 3 --interface "192.0.2.$1" "http://$VIP/p" | tr -d '\n'; }
all_via() { same_answer "$3" "$2" via "$1"; }	# all_via FROM WANT N
# go SCENARIO: let the peer play it, and wait until it has.
go() {
	touch "$T/gate/go-$1"
	wait_for 40 log_has "$T/peer.log" "^(done|fail) $1( |:)" || diag "$1: the peer did not finish"
	diag "peer: $(grep -E "^(done|fail) $1( |:)" "$T/peer.log")"
}
bad_mac() { log_count "$LOG" "down: frame [0-9]+: bad MAC"; }

go inject
check "inject: the node takes the entry of a server it has, drops the other" \
    wait_for 10 stat_is sticky_synced 1
check "inject: the node says so" log_has "$LOG" "the peer's table is in \(1 entries taken\)"
check "inject: .51 lands on b, the peer's choice" all_via 51 b 3
check "inject: a new client gets a, the round robin's first" test "$(via 56)" = a

go flood
check "flood: all 20000 entries taken" wait_for 20 stat_is sticky_synced 20001
check "flood: the table stays within its 16384 slots" wait_for 5 stat_in sticky_entries 8192 16384
diag "entries after the flood: $(stat sticky_entries)"

n=$(bad_mac)
go badmac
check "badmac: the peer saw the node close" log_has "$T/peer.log" "^done badmac closed"
check "badmac: the node drops the link (bad MAC)" log_count_gt "$LOG" "down: frame 1: bad MAC" "$((n - 1))"
check "badmac: the good frame counts, the forged one does not" stat_is sticky_synced 20002

n=$(bad_mac)
go replay
check "replay: the node drops the link on the copy" \
    eval 'log_has "$T/peer.log" "^done replay closed" && [ "$(bad_mac)" -gt "$n" ]'
check "replay: the frame counts once" stat_is sticky_synced 20003

go early
check "early: an ENTRIES frame before the handshake is refused" \
    eval 'log_has "$T/peer.log" "^done early closed" &&
        log_has "$LOG" "frame of type 3 before authentication"'
check "early: nothing taken" stat_is sticky_synced 20003

go wrongsecret
check "wrongsecret: refused and logged" \
    eval 'log_has "$T/peer.log" "^done wrongsecret closed" &&
        log_has "$LOG" "authentication failed \(not the same secret\)"'

go noread
check "noread: the node drops a peer that does not read" \
    eval 'log_has "$T/peer.log" "^done noread closed" && log_has "$LOG" "reads too slowly"'
check "no peer scenario failed" test "$(log_count "$T/peer.log" '^fail ')" = 0

check_stop_clean kl7
done_testing
