#!/bin/bash
# VRRP tracking and operations in the HA topology (topo.sh): a
# vrrp_script lowering the priority, track_interface and the instance's
# own link putting it in FAULT, notify scripts and their arguments, a VIP
# deleted by hand, and a reload of the master that must not move the VIP.
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

require_root
plan 24

VIP4=$TOPO_VIP4
topo_up || bail_out "could not build the topology"

# ------------------------------------------------------------ track_script

flag="$KL7_TMP/fail-lb1"
notes="$KL7_TMP/notify-lb1.log"
TOPO_TOP="vrrp_script chk {
    script \"test ! -e $flag\"
    interval 0.1
    fall 1
    rise 1
    weight -100
}"
write_conf lb1 250 0.1 3 "    track_script {
        chk
    }
    notify \"echo >>$notes\""
TOPO_TOP=""
write_conf lb2 200
start_node lb1
start_node lb2
check "lb1 (250) is MASTER while its script succeeds" wait_for 5 only_master lb1 lb2
check "notify ran with INSTANCE VI_1 MASTER 250" wait_for 3 grep -qx "INSTANCE VI_1 MASTER 250" "$notes"
touch "$flag"
check "a failing script (weight -100) hands the VIP to lb2 (200)" wait_for 3 only_master lb2 lb1
dump_of lb1
check "lb1's effective priority is 150" test "$(json_get "$KL7_TMP/lb1/state.json" 'j["vrrp"][0]["priority"]')" = 150
check "notify ran with INSTANCE VI_1 BACKUP 150" wait_for 3 grep -qx "INSTANCE VI_1 BACKUP 150" "$notes"
rm -f "$flag"
check "when the script succeeds again lb1 takes the VIP back" wait_for 3 only_master lb1 lb2

# ------------------------------------------------------------ VIP deleted by hand

ip -n "$(ns_name lb1)" addr del "$VIP4/24" dev eth0
check "a VIP deleted by hand on the master is restored" wait_for 2 has_addr lb1 "$VIP4"
check "and still only lb1 holds it" only_master lb1 lb2

# ------------------------------------------------------------ reload keeps MASTER

parent=$(daemon_pid lb1)
vrrp=$(kl7_child_pid "$parent" kl7-vrrp)
became=$(counter_of lb2 became_master)
ping_start reload "$VIP4"
daemon_signal lb1 HUP
wait_for 5 kl7_child_pid "$parent" kl7-vrrp "$vrrp"
wait_for 5 log_has "$(daemon_log lb1)" "resuming as MASTER"
ping_stop reload
gap=$(ping_gap_ms reload)
diag "reload of the master: longest gap between ping replies ${gap} ms"
check "after a reload a new VRRP child resumed as MASTER" log_has "$(daemon_log lb1)" "resuming as MASTER"
check "the VIP never moved: lb2 did not become MASTER" test "$(counter_of lb2 became_master)" = "$became"
ok "$([ "$gap" -le 100 ]; echo $?)" "no client-visible gap during the reload (${gap} ms <= 100 ms)"
stop_node lb1
stop_node lb2

# ------------------------------------------------------------ track_interface / own link

ip -n "$(ns_name lb1)" link add trk0 type veth peer name trk0p
ip -n "$(ns_name lb1)" link set trk0p up
ip -n "$(ns_name lb1)" link set trk0 up
write_conf lb1 250 0.1 3 "    track_interface {
        trk0
    }"
write_conf lb2 200
start_node lb1
start_node lb2
wait_for 5 only_master lb1 lb2
ip -n "$(ns_name lb1)" link set trk0 down
check "a tracked interface going down puts lb1 in FAULT" wait_for 3 is_state lb1 FAULT
check "and lb2 takes the VIP" wait_for 3 only_master lb2 lb1
ip -n "$(ns_name lb1)" link set trk0 up
wait_for 3 only_master lb1 lb2
ip -n "$(ns_name lb1)" link set eth0 down
check "the instance's own interface going down is a FAULT too" wait_for 3 is_state lb1 FAULT
ip -n "$(ns_name lb1)" link set eth0 up
stop_node lb1
stop_node lb2

# ------------------------------------------------------------ vrrp_sync_group

sync_conf() {	# sync_conf NODE PRIORITY: VI_1 and VI_2 in group G; VI_1 tracks a script
	local d="$KL7_TMP/$1"
	mkdir -p "$d"
	cat >"$d/k.conf" <<EOF
global_defs {
    state_file $d/state.json
}
vrrp_script chk {
    script "test ! -e $KL7_TMP/fail-$1"
    interval 0.1
    weight 0
}
vrrp_sync_group G {
    group {
        VI_1
        VI_2
    }
    notify "echo >>$KL7_TMP/group-$1.log"
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority $2
    advert_int 0.1
    version 3
    track_script {
        chk
    }
    virtual_ipaddress {
        192.0.2.100/24
    }
}
vrrp_instance VI_2 {
    state BACKUP
    interface eth0
    virtual_router_id 52
    priority $2
    advert_int 0.1
    version 3
    virtual_ipaddress {
        192.0.2.101/24
    }
}
EOF
}

both_on() {	# both_on NODE OTHER: NODE holds both VIPs, OTHER neither
	only_master "$1" "$2" 192.0.2.100 && only_master "$1" "$2" 192.0.2.101
}

sync_conf lb1 250
sync_conf lb2 200
start_node lb1
start_node lb2
check "sync group: lb1 holds both VIPs" wait_for 5 both_on lb1 lb2
touch "$KL7_TMP/fail-lb1"
check "VI_1 failing on lb1 moves both VIPs to lb2" wait_for 3 both_on lb2 lb1
# While VI_1 fails, lb1's VI_2 stays in FAULT with it: as a BACKUP it would
# take VI_2 back (priority 250 over 200) when its down timer ran out.
check "... and both stay there while VI_1 fails (1 s, 10 advert intervals)" \
    holds_for 1 both_on lb2 lb1
dump_of lb1
check "lb1's VI_2 is in FAULT with its group" \
    test "$(json_get "$KL7_TMP/lb1/state.json" 'j["vrrp"][1]["name"] + " " + j["vrrp"][1]["state"]')" = "VI_2 FAULT"
check "the group's notify ran with GROUP G MASTER on lb2" \
    wait_for 3 grep -q "^GROUP G MASTER" "$KL7_TMP/group-lb2.log"
stop_node lb1
stop_node lb2

# ------------------------------------------------------------ GARP repeat and pacing

# arp_times SECONDS READY: on the client, the arrival times (ms) of
# gratuitous ARP requests for the VIP, one per line, for SECONDS; the file
# READY appears once it listens.
arp_times() {
	ns_exec cl "$KL7_PYTHON" - "$1" "$2" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0806))
s.settimeout(0.05)
open(sys.argv[2], "w").close()
vip = socket.inet_aton("192.0.2.100")
end = time.time() + float(sys.argv[1])
while time.time() < end:
    try:
        f = s.recv(2048)
    except socket.timeout:
        continue
    # Ethernet 14 bytes, then ARP: op at 6, spa at 14, tpa at 24.
    a = f[14:]
    if len(a) >= 28 and a[6:8] == b"\x00\x01" and a[14:18] == vip and a[24:28] == vip:
        print(int(time.time() * 1000))
PY
}

TOPO_TOP=""
write_conf lb1 250 0.1 3 "    garp_master_repeat 3
    garp_master_delay 0"
sed -i "s|^global_defs {|global_defs {\n    vrrp_garp_interval 0.1|" "$KL7_TMP/lb1/k.conf"
arp_times 3 "$KL7_TMP/arps.ready" >"$KL7_TMP/arps" &
arps=$!
wait_for 5 test -e "$KL7_TMP/arps.ready"
start_node lb1
wait "$arps"
n=$(wc -l <"$KL7_TMP/arps")
diag "gratuitous ARPs seen by the client: $n at $(tr '\n' ' ' <"$KL7_TMP/arps")"
check "becoming MASTER sends garp_master_repeat (3) gratuitous ARPs" test "$n" = 3
check "vrrp_garp_interval 0.1 spaces them by >= 90 ms" "$KL7_PYTHON" -c '
import sys
t = [int(x) for x in open(sys.argv[1])]
sys.exit(0 if len(t) > 1 and min(b - a for a, b in zip(t, t[1:])) >= 90 else 1)' "$KL7_TMP/arps"
stop_node lb1

# ------------------------------------------------------------ script_user, script security

mkdir -m 1777 "$KL7_TMP/pub"
TOPO_TOP=""
write_conf lb1 250 0.1 3 "    notify \"/bin/sh -c 'id -un >$KL7_TMP/pub/who'\""
sed -i "s|^global_defs {|global_defs {\n    script_user nobody|" "$KL7_TMP/lb1/k.conf"
start_node lb1
check "notify scripts run as script_user (nobody)" wait_for 5 grep -qx nobody "$KL7_TMP/pub/who"
stop_node lb1

cp /bin/true "$KL7_TMP/pub/check.sh"
chmod 777 "$KL7_TMP/pub/check.sh"
TOPO_TOP="vrrp_script chk {
    script \"$KL7_TMP/pub/check.sh\"
}"
write_conf lb1 250 0.1 3 "    track_script {
        chk
    }"
TOPO_TOP=""
sed -i "s|^global_defs {|global_defs {\n    enable_script_security|" "$KL7_TMP/lb1/k.conf"
daemon_start lb1 -N lb1 -P -f "$KL7_TMP/lb1/k.conf" -p "$KL7_TMP/lb1/pid"
check "enable_script_security: a world-writable script stops the daemon" daemon_wait_exit lb1 5
check "with a FILE:LINE message naming the script" \
    log_has "$(daemon_log lb1)" "k.conf:[0-9]+: refusing script '.*check.sh' \\(enable_script_security\\)"

done_testing
