#!/bin/bash
# sticky_sync: source persistence survives a failover.  Two keepalive-l7
# nodes (VRRP, checks, L7) in the HA topology (topo.sh), three backends,
# one virtual server on the VIP with lb_algo rr and persistence_timeout,
# and the sticky_sync link between the nodes' l7 children.
#
#   failover   through node 1, client .53 takes the round robin's first
#              server (F), client .50 the next one (B), .51 and .52 the
#              ones after; node 2's dump shows the entries; node 1's daemon
#              is killed (SIGKILL) and its switch port goes down (the node
#              is gone); once node 2 is MASTER, a new client (.54) gets F
#              there, as a client without an entry would, while every
#              request of .50 still lands on B, and the others on theirs
#   resync     node 1 comes back: it gets the table from node 2 (the log
#              and its dump say so) and, MASTER again, sends .50 to B;
#              node 2 restarts: it gets the table again from node 1
#   l7         node 1 reloads, then its l7 child is killed: each new l7
#              child gets node 2's table, and .50 stays on B; node 2's l7
#              child stalls (SIGSTOP): node 1 drops the link, and sends the
#              table again once it is back; a connection from an address
#              other than the peer's is refused and logged
#   secret     node 2 restarts with another secret: both nodes log the
#              failed authentication, the link stays down, node 2 takes
#              no entry
#
#   lb1 192.0.2.11, lb2 192.0.2.12, cl 192.0.2.50-54, srv 192.0.2.21-23
#   (topo.sh); VIP 192.0.2.100; sync link 192.0.2.11:7400 <- 192.0.2.12
#
# Run by hand (as root), from the source tree with a build in build/:
#   KL7_TOP_BUILDDIR=$PWD/build bash test/integration/t_sync.sh
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

require_root
command -v curl >/dev/null || skip_all "no curl"

VIP=$TOPO_VIP4
SECRET="t_sync shared secret 0123456789"
SYNC_PORT=7400
TOPO_KL7_OPTS=""	# all children: the l7 one holds the tables

topo_up lb1 lb2 cl srv || bail_out "could not build the topology"
for a in 51 52 53 54; do
	ip -n "$(ns_name cl)" addr add "192.0.2.$a/24" dev eth0 || bail_out "client address"
done
for b in b1 b2 b3; do
	backend_start "$b" || bail_out "backend $b did not start"
done

# sync_conf NODE PRIORITY PEER_HOST [SECRET]: the node's config.
sync_conf() {
	local me=${TOPO_HOST[$1]} b top
	top="sticky_sync {
    listen 192.0.2.$me $SYNC_PORT
    peer 192.0.2.$3 $SYNC_PORT
    secret \"${4:-$SECRET}\"
}
virtual_server $VIP 80 {
    lb_kind L7
    lb_algo rr
    persistence_timeout 300"
	for b in b1 b2 b3; do
		top="$top
    real_server $(backend_addr "$b") $TOPO_BACKEND_PORT {
        TCP_CHECK { connect_timeout 1 }
    }"
	done
	TOPO_TOP="$top
}" write_conf "$1" "$2"
}

# via FROM: the backend that answers a GET of /p from client address FROM.
via() {
	ns_exec cl curl -s -m 3 --interface "192.0.2.$1" "http://$VIP/p" | tr -d '\n'
}

# all_via FROM WANT N: N requests from FROM, each on a new connection, all
# answered by WANT.
all_via() { same_answer "$3" "$2" via "$1"; }

# vs_stat NODE FIELD: a field of the virtual server in a fresh dump.
vs_stat() {
	dump_of "$1" && json_get "$KL7_TMP/$1/state.json" "j['virtual_servers'][0]['$2']"
}
vs_stat_ge() {	# vs_stat_ge NODE FIELD N
	local v
	v=$(vs_stat "$1" "$2") && [ "$v" -ge "$3" ]
}

link_up_count() {	# link_up_count NODE
	log_count "$(daemon_log "$1")" "sticky sync: link with .* up"
}
link_up_gt() { [ "$(link_up_count "$1")" -gt "$2" ]; }

sync_conf lb1 200 12
sync_conf lb2 100 11

# ---------------------------------------------------------------- failover

start_node lb1 || bail_out "node 1 did not start"
wait_for 10 is_state lb1 MASTER || bail_out "node 1 is not MASTER"
start_node lb2 || bail_out "node 2 did not start"
check "the link comes up on both nodes" \
    wait_for 10 eval 'link_up_gt lb1 0 && link_up_gt lb2 0'
# The first answer goes to .53: the round robin's first server (F).
wait_for 10 ns_exec cl curl -s -m 1 -o /dev/null --interface 192.0.2.53 "http://$VIP/p"
F=$(via 53)
B=$(via 50)
first=$(via 51)
second=$(via 52)
diag "through node 1: .53 -> $F, .50 -> $B, .51 -> $first, .52 -> $second"
check "round robin gave .53, .50 and .51 three servers" \
    test -n "$B" -a "$F" != "$B" -a "$first" != "$F" -a "$first" != "$B"
check "through node 1, .50 sticks to $B" all_via 50 "$B" 5
check "node 2 holds the four entries (its dump)" wait_for 10 vs_stat_ge lb2 sticky_entries 4
check "... taken from node 1" vs_stat_ge lb2 sticky_synced 4

{ kill -KILL "$(daemon_pid lb1)" && daemon_wait_exit lb1 5; } 2>/dev/null
topo_port lb1 down
check "node 2 becomes MASTER and holds the VIP" wait_for 10 has_addr lb2 "$VIP"
# A client node 2 has no entry for gets its round robin's first server:
# without the entry, .50 would have too.
wait_for 10 ns_exec cl curl -s -m 1 -o /dev/null --interface 192.0.2.54 "http://$VIP/p"
check "through node 2, a new client gets $F, as on node 1" test "$(via 54)" = "$F"
check "through node 2, .50 still lands on $B (10 requests)" all_via 50 "$B" 10
check "through node 2, .53, .51 and .52 keep their servers" \
    eval 'all_via 53 "$F" 3 && all_via 51 "$first" 3 && all_via 52 "$second" 3'
check "node 2 logs the dead link" \
    wait_for 10 log_has "$(daemon_log lb2)" "sticky sync: link with 192.0.2.11:$SYNC_PORT down"

# ---------------------------------------------------------------- resync

# The daemon killed by SIGKILL left its VIP: the new one removes it.
topo_port lb1 up
n2=$(link_up_count lb2)
start_node lb1 || bail_out "node 1 did not restart"
check "node 1 back: the link comes up again" wait_for 10 link_up_gt lb2 "$n2"
check "node 1 gets node 2's table (resync)" \
    wait_for 10 log_has "$(daemon_log lb1)" "the peer's table is in \([3-9][0-9]* entries taken\)"
check "node 1's dump shows the entries again" wait_for 10 vs_stat_ge lb1 sticky_synced 4
check "node 1 is MASTER again" wait_for 10 eval 'only_master lb1 lb2'
wait_for 10 ns_exec cl curl -s -m 1 -o /dev/null "http://$VIP/p"
check "through node 1 again, .50 lands on $B" all_via 50 "$B" 5

n1=$(link_up_count lb1)
stop_node lb2
check "node 1 logs that node 2 went" \
    wait_for 10 log_has "$(daemon_log lb1)" "sticky sync: link with 192.0.2.12:$SYNC_PORT down"
start_node lb2 || bail_out "node 2 did not restart"
check "node 2 restarted: the link comes up again" wait_for 10 link_up_gt lb1 "$n1"
check "node 2 gets the table again (resync)" wait_for 10 vs_stat_ge lb2 sticky_synced 4

# ---------------------------------------------------------------- l7 restarts

# A new l7 child starts with empty tables; over the link it gets the
# peer's, so that its clients keep their servers.  It must have them before
# a client comes (else the client is scheduled, and that news goes out).
table_in() { log_count "$(daemon_log "$1")" "the peer's table is in \([1-9][0-9]* entries"; }
table_in_gt() { [ "$(table_in "$1")" -gt "$2" ]; }

t1=$(table_in lb1)
r1=$(log_count "$(daemon_log lb1)" "all children ready")
daemon_signal lb1 HUP
wait_for 10 log_count_gt "$(daemon_log lb1)" "all children ready" "$r1"
check "node 1 reloaded: its new l7 child gets node 2's table" wait_for 10 table_in_gt lb1 "$t1"
check "node 1 reloaded: .50 still lands on $B" all_via 50 "$B" 5

t1=$(table_in lb1)
l7=$(kl7_child_pid "$(daemon_pid lb1)" kl7-l7)
kill -KILL "$l7"
wait_for 10 kl7_child_pid "$(daemon_pid lb1)" kl7-l7 "$l7" >/dev/null
check "node 1's l7 child killed: the new one gets node 2's table" wait_for 10 table_in_gt lb1 "$t1"
check "node 1's l7 child killed: .50 still lands on $B" all_via 50 "$B" 5

# A stalled peer (its l7 child stopped) loses the link; back, it gets the
# table again.
n1=$(link_up_count lb1)
s1=$(log_count "$(daemon_log lb1)" "table sent \([1-9]")
l7=$(kl7_child_pid "$(daemon_pid lb2)" kl7-l7)
kill -STOP "$l7"
check "node 2's l7 child stalled: node 1 drops the link" \
    wait_for 10 log_has "$(daemon_log lb1)" "link with 192.0.2.12:$SYNC_PORT down: no frame"
kill -CONT "$l7"
check "node 2's l7 child resumed: the link comes up again" wait_for 10 link_up_gt lb1 "$n1"
check "... and node 1 sends its table again" \
    wait_for 10 log_count_gt "$(daemon_log lb1)" "table sent \([1-9]" "$s1"

# Only the peer's address may connect (node 2, the higher address, listens).
ns_exec cl timeout 3 bash -c "exec 3<>/dev/tcp/192.0.2.12/$SYNC_PORT" 2>/dev/null
check "a connection from another address is refused and logged" \
    wait_for 5 log_has "$(daemon_log lb2)" "refused a connection from 192\.0\.2\.50:[0-9]+: not the peer"

# ---------------------------------------------------------------- secret

stop_node lb2
sync_conf lb2 100 11 "not the secret of node 1, no"
n1=$(link_up_count lb1)
n2=$(link_up_count lb2)
f1=$(log_count "$(daemon_log lb1)" "authentication failed")
start_node lb2 || bail_out "node 2 did not restart"
check "wrong secret: node 2 logs the failed authentication" \
    wait_for 10 log_has "$(daemon_log lb2)" "authentication failed"
check "... and so does node 1" \
    wait_for 10 log_count_gt "$(daemon_log lb1)" "authentication failed" "$f1"
check "wrong secret: the link stays down and node 2 takes no entry (3 s)" \
    holds_for 3 eval '! link_up_gt lb1 "$n1" && ! link_up_gt lb2 "$n2" &&
        [ "$(vs_stat lb2 sticky_synced)" = 0 ]'

for n in lb1 lb2; do
	check "no sanitizer report from $n" \
	    test "$(log_count "$(daemon_log "$n")" 'AddressSanitizer|LeakSanitizer|runtime error:')" = 0
done
done_testing
