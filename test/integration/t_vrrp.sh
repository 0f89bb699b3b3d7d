#!/bin/bash
# VRRP in the HA topology (topo.sh): election, failover on a cut link,
# priority-0 handover on SIGTERM, preemption and nopreempt, a respawned
# VRRP child keeping MASTER, stale VIPs after kill -9, IPv6 failover,
# interoperation with Debian's keepalived, and hostile packets: 10,000
# random ones, then each kind of bad advert alone, counted exactly.
# The client pings the VIP every 10 ms; outages are the longest gap
# between replies.
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

require_root
plan 41

VIP4=192.0.2.100
VIP6=2001:db8::100

topo_up || bail_out "could not build the topology"

# ------------------------------------------------------------ election

write_conf lb1 250
write_conf lb2 200
start_node lb1
start_node lb2
check "higher priority node becomes MASTER and only it holds the VIP" \
    wait_for 5 only_master lb1 lb2
check "the other node is BACKUP" is_state lb2 BACKUP
check "the client reaches the VIP" ns_exec cl ping -c 1 -W 1 "$VIP4"

# ------------------------------------------------------------ link cut

measure_outage cut lb2 topo_port lb1 down
gap=$OUTAGE_MS
diag "link of the master cut (advert_int 0.1, v3): client outage ${gap} ms"
ok "$([ "$gap" -le 400 ]; echo $?)" "link cut at advert_int 0.1: outage ${gap} ms <= 400 ms"
topo_port lb1 up
check "lb1 takes the VIP back when its link returns (preempt)" wait_for 5 only_master lb1 lb2

# ------------------------------------------------------------ SIGTERM

measure_outage term lb2 stop_node lb1
gap=$OUTAGE_MS
diag "SIGTERM of the master (priority 0 advert): client outage ${gap} ms"
ok "$([ "$gap" -le 200 ]; echo $?)" "SIGTERM of the master: outage ${gap} ms <= 200 ms"
check "the stopped master removed its VIP" bash -c "! ip -n $(ns_name lb1) -br addr show dev eth0 | grep -q '$VIP4/'"
check "lb2 counted the priority-0 advert" test "$(counter_of lb2 prio0_rcvd)" -ge 1

# ------------------------------------------------------------ preempt / nopreempt

start_node lb1
check "a returning higher-priority node preempts" wait_for 5 only_master lb1 lb2
stop_node lb2
write_conf lb2 200 0.1 3 "    nopreempt"
start_node lb2
stop_node lb1
wait_for 3 only_master lb2 lb1
write_conf lb1 250 0.1 3 "    nopreempt"
start_node lb1
wait_for 2 is_state lb1 BACKUP
# Time itself is under test here: 1 s is 10 adverts, ~3 master-down intervals.
if wait_for 1 has_addr lb1 "$VIP4"; then
	fail "with nopreempt the higher priority node stays BACKUP"
else
	check "with nopreempt the higher priority node stays BACKUP" only_master lb2 lb1
fi

# ------------------------------------------------------------ respawn keeps MASTER

stop_node lb1
stop_node lb2
write_conf lb1 250
write_conf lb2 200
start_node lb1
start_node lb2
wait_for 5 only_master lb1 lb2
parent=$(daemon_pid lb1)
old=$(kl7_child_pid "$parent" kl7-vrrp)
became=$(counter_of lb2 became_master)
kill -9 "$old"
check "a new VRRP child replaces the killed one" wait_for 2 kl7_child_pid "$parent" kl7-vrrp "$old"
check "it resumes MASTER: the VIP never left lb1" only_master lb1 lb2
check "lb2 never became MASTER meanwhile" test "$(counter_of lb2 became_master)" = "$became"

# ------------------------------------------------------------ stale VIPs after kill -9

# The child first: killed first, the parent's PDEATHSIG would let it clean up.
kill -9 "$(kl7_child_pid "$parent" kl7-vrrp)" "$parent"
wait_for 3 has_addr lb2 "$VIP4"
check "after kill -9 of the whole daemon the VIP is left on lb1" has_addr lb1 "$VIP4"
write_conf lb1 50
start_node lb1
check "a new run removes the stale VIP (it is BACKUP now)" wait_for 3 only_master lb2 lb1
stop_node lb1
stop_node lb2

# ------------------------------------------------------------ IPv6

write_conf lb1 150 0.1 3 "" "$VIP6/64"
write_conf lb2 100 0.1 3 "" "$VIP6/64"
start_node lb1
start_node lb2
check "IPv6: lb1 is MASTER for $VIP6" wait_for 5 only_master lb1 lb2 "$VIP6"
check "IPv6: the client reaches the VIP" wait_for 3 ns_exec cl ping -6 -c 1 -W 1 "$VIP6"
stop_node lb1
check "IPv6: lb2 takes the VIP" wait_for 3 only_master lb2 lb1 "$VIP6"
check "IPv6: after failover the client reaches the VIP through lb2 (NA)" \
    wait_for 3 ns_exec cl ping -6 -c 1 -W 0.3 "$VIP6"
stop_node lb2

# ------------------------------------------------------------ keepalived interop

kconf() {	# kconf NODE PRIORITY VERSION VIP: a keepalived.conf for the node
	local d="$KL7_TMP/$1"
	mkdir -p "$d"
	local auth=()
	[ "$3" = 2 ] && auth=("authentication {" "auth_type PASS" "auth_pass secret1" "}")
	printf '%s\n' "global_defs {" "script_user root" "}" "vrrp_instance VI_1 {" \
	    "state BACKUP" "interface eth0" "virtual_router_id 51" "priority $2" \
	    "advert_int 1" "version $3" "${auth[@]}" "virtual_ipaddress {" "$4" "}" "}" \
	    >"$d/keepalived.conf"
}

# v2_auth VERSION: the authentication block keepalived's v2 users have.
v2_auth() {
	[ "$1" = 2 ] || return 0
	printf '    authentication {\n        auth_type PASS\n        auth_pass secret1\n    }'
}

interop() {	# interop VERSION [ADDR PREFIXLEN]: v2 with PASS authentication
	local v=$1 addr=${2:-$VIP4} len=${3:-24}
	write_conf lb1 150 1 "$v" "$(v2_auth "$v")" "$addr/$len"
	kconf lb2 100 "$v" "$addr/$len"
	daemon_start_raw ka "lb2" -- keepalived -n -l -P -f "$KL7_TMP/lb2/keepalived.conf" \
	    -p "$KL7_TMP/lb2/ka.pid" -r "$KL7_TMP/lb2/kav.pid"
	start_node lb1
	wait_for 6 only_master lb1 lb2 "$addr" || { diag "v$v: lb1 is not the only master"; return 1; }
	stop_node lb1
	wait_for 3 only_master lb2 lb1 "$addr" || { diag "v$v: keepalived did not take over"; return 1; }
	start_node lb1
	wait_for 6 only_master lb1 lb2 "$addr" || { diag "v$v: lb1 did not take the VIP back"; return 1; }
	stop_node lb1
	daemon_signal ka TERM && daemon_wait_exit ka 5
}

interop 3; ok $? "interop v3 with keepalived: one master, failover both ways"
interop 2; ok $? "interop v2 (PASS authentication) with keepalived: one master, failover both ways"
interop 3 "$VIP6" 64; ok $? "interop v3 IPv6 with keepalived: one master, failover both ways"

# keepalive-l7 as the BACKUP of a keepalived master.
interop_backup() {	# interop_backup VERSION
	local v=$1
	kconf lb2 150 "$v" "$VIP4/24"
	write_conf lb1 100 1 "$v" "$(v2_auth "$v")"
	daemon_start_raw ka "lb2" -- keepalived -n -l -P -f "$KL7_TMP/lb2/keepalived.conf" \
	    -p "$KL7_TMP/lb2/ka.pid" -r "$KL7_TMP/lb2/kav.pid"
	wait_for 6 has_addr lb2 "$VIP4" || { diag "v$v: keepalived did not become master"; return 1; }
	start_node lb1
	wait_for 3 is_state lb1 BACKUP || { diag "v$v: lb1 is not BACKUP"; return 1; }
	only_master lb2 lb1 || { diag "v$v: lb1 took the VIP from a higher master"; return 1; }
	daemon_signal ka TERM && daemon_wait_exit ka 10
	wait_for 5 only_master lb1 lb2 || { diag "v$v: lb1 did not take over"; return 1; }
	stop_node lb1
}

interop_backup 3; ok $? "interop v3: keepalive-l7 as BACKUP of keepalived, takes over when it stops"
interop_backup 2; ok $? "interop v2 (PASS): keepalive-l7 as BACKUP of keepalived, takes over"

# ------------------------------------------------------------ unicast

write_conf lb1 250 0.1 3 "    unicast_src_ip 192.0.2.11
    unicast_peer {
        192.0.2.12
    }"
write_conf lb2 200 0.1 3 "    unicast_src_ip 192.0.2.12
    unicast_peer {
        192.0.2.11
    }"
start_node lb1
start_node lb2
check "unicast: one master" wait_for 5 only_master lb1 lb2
# A host that joins 224.0.0.18 for a second must hear no advert at all:
# unicast never falls back to multicast.
heard=$(ns_exec cl "$KL7_PYTHON" - <<'PY'
import socket, struct, time
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
mreq = struct.pack("4s4s", socket.inet_aton("224.0.0.18"), socket.inet_aton("192.0.2.50"))
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
s.settimeout(0.1)
n, end = 0, time.time() + 1.0
while time.time() < end:
    try:
        s.recv(2048)
        n += 1
    except socket.timeout:
        pass
print(n)
PY
)
check "unicast: no advert goes to the multicast group (heard $heard)" test "$heard" = 0
check "unicast: adverts arrive (counted on lb2)" test "$(counter_of lb2 adverts_rcvd)" -gt 0
stop_node lb1
check "unicast: the backup takes over on priority 0" wait_for 3 only_master lb2 lb1
stop_node lb2

# ------------------------------------------------------------ hostile packets

write_conf lb1 150
start_node lb1
wait_for 5 has_addr lb1 "$VIP4"
became=$(counter_of lb1 became_master)
ns_exec cl "$KL7_PYTHON" - >"$KL7_TMP/fuzz.log" 2>&1 <<'PY'
# 10,000 random and mutated VRRP datagrams to the group, TTL 255, from the
# client: forged higher priorities, bad checksums, bad lengths.
import random, socket
random.seed(4242)
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 255)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("192.0.2.50"))
good = bytes([0x31, 51, 254, 1, 0, 10, 0, 0]) + socket.inet_aton("192.0.2.100")
for i in range(10000):
    p = bytearray(good)
    kind = i % 4
    if kind == 0:
        p = bytearray(random.randbytes(random.randint(0, 64)))
    elif kind == 1:
        for _ in range(random.randint(1, 4)):
            p[random.randrange(len(p))] = random.randrange(256)
    elif kind == 2:
        p = p[:random.randrange(len(p))]
    else:
        p += random.randbytes(random.randint(1, 40))
    s.sendto(bytes(p), ("224.0.0.18", 0))
# The kernel reports its drop count with the next packet it queues: ten
# trailing bad packets, once the queue has drained, carry the final count.
import time
for i in range(10):
    time.sleep(0.05)
    s.sendto(bytes(8), ("224.0.0.18", 0))
print("sent")
PY
check "the hostile sender ran" grep -q sent "$KL7_TMP/fuzz.log"
hostile_seen() {	# errors and kernel drops counted on lb1
	dump_of lb1 && json_get "$KL7_TMP/lb1/state.json" 'sum(j["vrrp"][0]["counters"][k] for k in ("checksum_errors", "length_errors", "version_errors", "type_errors", "vrid_errors", "ttl_errors", "kernel_drops"))'
}
hostile_all_seen() { [ "$(hostile_seen)" = 10010 ]; }
wait_for 5 hostile_all_seen
errs=$(hostile_seen)
diag "10,010 hostile packets: $errs counted as errors or kernel drops" \
    "($(json_get "$KL7_TMP/lb1/state.json" 'j["vrrp"][0]["counters"]["kernel_drops"]') dropped by the kernel)"
# Every one is an error or a drop the kernel reported: none went unseen.
# (A mutated packet could in theory be a valid advert; seed 4242 makes none.)
check "every hostile packet is accounted for ($errs of 10010)" test "$errs" = 10010
check "and change nothing: still MASTER, never re-elected" \
    test "$(state_of lb1)-$(counter_of lb1 became_master)" = "MASTER-$became"
stop_node lb1

# ------------------------------------------------------------ hostile adverts, one kind at a time

# send_adverts N KIND [ARG]: N forged adverts from the client, 2 ms apart:
# VRID 51, priority 254 (above any master here), 192.0.2.100, well formed
# but for the one thing KIND spoils:
#   v3          nothing (a control: the master must give way to it)
#   ttl         sent with TTL 254 (RFC 5798 7.1: off-link)
#   checksum    v3 with a wrong checksum
#   version V   v3 with version V in the header
#   truncated   v3 cut to 0..11 bytes, in turn
#   v2 [PASS]   v2, with PASS authentication and the password PASS, or none
send_adverts() {
	ns_exec cl "$KL7_PYTHON" - "$@" <<'PY'
import socket, struct, sys, time
n, kind, arg = int(sys.argv[1]), sys.argv[2], (sys.argv[3:] or [""])[0]
src, group = "192.0.2.50", "224.0.0.18"

def csum(b):
    b += b"\0" * (len(b) % 2)
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def advert():
    vip = socket.inet_aton("192.0.2.100")
    if kind == "v2":	# RFC 3768: advert int in s, checksum of the message
        auth = arg.encode().ljust(8, b"\0")
        p = bytes([0x21, 51, 254, 1, 1 if arg else 0, 1, 0, 0]) + vip + auth
        c = csum(p)
    else:		# RFC 5798: advert int in cs, pseudo-header in the checksum
        p = bytes([0x31, 51, 254, 1, 0, 10, 0, 0]) + vip
        c = csum(socket.inet_aton(src) + socket.inet_aton(group) +
                 struct.pack("!BBH", 0, 112, len(p)) + p)
    if kind == "checksum":
        c ^= 0x0101
    p = p[:6] + struct.pack("!H", c) + p[8:]
    if kind == "version":
        p = bytes([int(arg) << 4 | 1]) + p[1:]
    return p

s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 254 if kind == "ttl" else 255)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(src))
p = advert()
for i in range(n):
    s.sendto(p[:i % len(p)] if kind == "truncated" else p, (group, 0))
    time.sleep(0.002)
print("sent", n)
PY
}

# counted_exactly BEFORE COUNTER N: since the counters BEFORE (JSON from
# counters_of), COUNTER grew by N less what the kernel dropped, nothing
# else did (nothing accepted either), and the node is still the MASTER it
# was.  The differences go to $KL7_TMP/delta.json.
counters_of() {	# counters_of NODE: the VRRP counters and state, as JSON
	dump_of "$1" &&
	    json_get "$KL7_TMP/$1/state.json" 'dict(j["vrrp"][0]["counters"], state=j["vrrp"][0]["state"])'
}
counted_exactly() {
	local after
	after=$(counters_of lb1) || return 1
	"$KL7_PYTHON" - "$1" "$after" "$2" "$3" >"$KL7_TMP/delta.json" <<'PY'
import json, sys
before, after = json.loads(sys.argv[1]), json.loads(sys.argv[2])
counter, n = sys.argv[3], int(sys.argv[4])
d = {k: after[k] - before[k] for k in before if k not in ("state", "adverts_sent")}
print(json.dumps(dict(d, state=after["state"])))
others = [k for k in d if k not in (counter, "kernel_drops") and d[k] != 0]
sys.exit(0 if d[counter] + d["kernel_drops"] == n and not others and
         before["state"] == after["state"] == "MASTER" else 1)
PY
}

# hostile_case DESC COUNTER N KIND [ARG]: send N adverts of KIND to lb1
# (MASTER), which must count each in COUNTER and change nothing.
hostile_case() {
	local desc=$1 counter=$2 n=$3 before
	shift 3
	before=$(counters_of lb1)
	if ! send_adverts "$n" "$@" >"$KL7_TMP/send.log" 2>&1; then
		diag_file "$KL7_TMP/send.log"
		fail "$desc"
	elif wait_for 3 counted_exactly "$before" "$counter" "$n"; then
		pass "$desc"
	else
		diag "counter differences: $(cat "$KL7_TMP/delta.json")"
		fail "$desc"
	fi
}

# gives_way N KIND [ARG]: the same adverts well formed and authenticated
# do make lb1 step down (so the cases above fail only for their one
# fault), and it is MASTER again once they stop.
counter_gt() { [ "$(counter_of "$1" "$2")" -gt "$3" ]; }	# counter_gt NODE NAME N
gives_way() {
	local released
	released=$(counter_of lb1 released_master)
	send_adverts "$@" >"$KL7_TMP/send.log" 2>&1 &&
	    wait_for 3 counter_gt lb1 released_master "$released" &&
	    wait_for 10 is_state lb1 MASTER
}

write_conf lb1 150
start_node lb1
wait_for 5 is_state lb1 MASTER
hostile_case "TTL 254: 50 adverts counted in ttl_errors, nothing else; still MASTER" \
    ttl_errors 50 ttl
hostile_case "bad checksum: 50 adverts counted in checksum_errors; still MASTER" \
    checksum_errors 50 checksum
hostile_case "version 1: 50 adverts counted in version_errors; still MASTER" \
    version_errors 50 version 1
hostile_case "version 4: 50 adverts counted in version_errors; still MASTER" \
    version_errors 50 version 4
hostile_case "version 15 (unknown): 50 adverts counted in version_errors; still MASTER" \
    version_errors 50 version 15
hostile_case "truncated (0..11 bytes): 48 adverts counted in length_errors; still MASTER" \
    length_errors 48 truncated
# v3 has no authentication (RFC 5798 removed it): TTL 255 is all that
# keeps a forged advert out, so one from the link is obeyed.
check "v3: the same advert unspoilt is obeyed (no auth in v3): lb1 gives way, then returns" \
    gives_way 20 v3
stop_node lb1

write_conf lb1 150 1 2 "$(v2_auth 2)"
start_node lb1
wait_for 5 is_state lb1 MASTER
hostile_case "v2 with auth_type PASS: 20 adverts without authentication counted in auth_errors; still MASTER" \
    auth_errors 20 v2
hostile_case "v2 with auth_type PASS: 20 adverts with a wrong password counted in auth_errors; still MASTER" \
    auth_errors 20 v2 wrong123
check "v2: the same advert with the right password is obeyed: lb1 gives way, then returns" \
    gives_way 20 v2 secret1
stop_node lb1

done_testing
