#!/bin/bash
# The control socket and keepalive-l7ctl against a running daemon with
# real backends: every command in table and JSON form, checked by value
# (a disabled or drained server gets no requests, an operator weight shows
# and wrr follows it, a broken reload answers FILE:LINE and changes
# nothing), the admin state across a reload and an l7 child's restart,
# exit codes 0 / 1 / 2, bad JSON, unknown commands, an oversize request,
# 50 concurrent clients, the client cap, slow clients (half a request,
# replies never read) while others are served, the socket's mode, its
# directory made on start, a stale socket replaced, a live one left alone,
# and the socket removed at exit.  add server / remove server: traffic
# reaches an added server (its backend's log says so), it gets the checks
# of its pool, a removed one gets nothing new while its in-flight request
# finishes, the others keep their counters, the file is not read (a
# broken one on disk does not matter), duplicates / unknown servers are
# refused, and a reload or SIGHUP drops the edits.
#
#   lb  d0 (dummy) 192.0.2.1/24 (the VS), 198.51.100.2/24 (the backends)
#
# Backends (test/integration/echo_backend.py, one process): a, b, c on
# 198.51.100.2:8101..8103, behind VS 192.0.2.1:80 (wrr, TCP_CHECK); d on
# 8104, in no file, added and removed at run time.
#
# Run by hand (as root), from the source tree with a build in build/:
#   KL7_TOP_BUILDDIR=$PWD/build bash test/integration/t_ctl.sh
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
command -v curl >/dev/null || skip_all "no curl"
command -v ss >/dev/null || skip_all "no ss (iproute2)"

T=$KL7_TMP
LOG=$(daemon_log kl7)
SOCK=$T/run/ctl.sock
CTL_BIN="$KL7_TOP_BUILDDIR/keepalive-l7/keepalive-l7ctl"
CLIENT="$_kl7_lib_dir/ctl_client.py"
VIP=192.0.2.1
VS=$VIP:80
S=198.51.100.2
A=$S:8101 B=$S:8102 C=$S:8103 D=$S:8104

[ -x "$CTL_BIN" ] || bail_out "$CTL_BIN not found: build first"

# ctl ARGS...: keepalive-l7ctl on our socket.
ctl() { "$CTL_BIN" -s "$SOCK" "$@"; }
# ctlj EXPR ARGS...: the Python expression EXPR over the JSON reply `j`.
ctlj() {
	local expr=$1
	shift
	ctl -j "$@" >"$T/reply.json" 2>"$T/reply.err"
	json_get "$T/reply.json" "$expr"
}
client() { "$KL7_PYTHON" "$CLIENT" "$@"; }
# is A B: the strings are equal (for check, with both in the log line).
is() { [ "$1" = "$2" ]; }

# ---------------------------------------------------------------- topology

netns_add lb || bail_out "cannot create netns lb"
{
	link_add_dummy lb d0 &&
	    ip -n "$(ns_name lb)" addr add 192.0.2.1/24 dev d0 &&
	    ip -n "$(ns_name lb)" addr add 198.51.100.2/24 dev d0
} 2>>"$T/ip.log" || bail_out "cannot build the topology: $(tail -n 1 "$T/ip.log")"

ip netns exec "$(ns_name lb)" "$KL7_PYTHON" "$_kl7_lib_dir/echo_backend.py" \
    --log "$T/backend.log" -l $A:a -l $B:b -l $C:c -l $D:d </dev/null >>"$T/backend.out" 2>&1 &
track_pid "$!"
backends_up() {
	local p
	for p in 8101 8102 8103 8104; do
		ns_exec lb ss -Hltn "src $S and sport = :$p" | grep -q LISTEN || return 1
	done
}
wait_for 15 backends_up || bail_out "the backends did not start listening within 15 s"

# ---------------------------------------------------------------- config

# write_conf COMMENT: the daemon's config; COMMENT changes its hash.
write_conf() {
	local rs
	{
		printf 'global_defs {\n    control_socket %s\n    state_file %s\n}\n' \
		    "$SOCK" "$T/state.json"
		printf 'vrrp_instance VI_1 {\n    state MASTER\n    interface d0\n'
		printf '    virtual_router_id 51\n    priority 150\n    advert_int 1\n'
		printf '    virtual_ipaddress {\n        192.0.2.200/32\n    }\n}\n'
		printf 'virtual_server %s 80 {\n    lb_kind L7\n    lb_algo wrr\n' $VIP
		printf '    delay_loop 0.3\n'
		for rs in $A $B $C; do
			printf '    real_server %s %s {\n        weight 1\n' "${rs%:*}" "${rs#*:}"
			printf '        TCP_CHECK {\n            connect_timeout 0.5\n        }\n    }\n'
		done
		printf '}\n# %s\n' "$1"
	} >"$T/k.conf"
}
write_conf "first"

ok "$([ ! -e "$T/run" ]; echo $?)" "the socket's directory does not exist before the start"
daemon_start kl7 -N lb -- -f "$T/k.conf" -p "$T/k.pid"
KPID=$(daemon_pid kl7)
wait_for 10 ctl status || { diag_file "$LOG" 20; bail_out "no answer on $SOCK within 10 s"; }
pass "the daemon answers on $SOCK (its directory made)"
check "the socket is mode 0600" is "$(stat -c %a "$SOCK")" 600

all_up() {
	is "$(ctlj '",".join(s["health"] for s in j["result"]["servers"])' show servers)" up,up,up
}
wait_for 10 all_up || diag_file "$LOG" 20
master() { is "$(ctlj 'j["result"]["vrrp"][0]["state"]' show vrrp)" MASTER; }
wait_for 10 master || diag "VI_1 is not MASTER"

# ---------------------------------------------------------------- status

sha=$(sha256sum "$T/k.conf" | cut -d' ' -f1)
ctl status >"$T/status.txt" 2>&1
ok $? "status: exit 0"
check "status table: the config file" grep -qE "^config file: +$T/k.conf\$" "$T/status.txt"
check "status table: its sha256" grep -qE "^config sha256: +$sha\$" "$T/status.txt"
check "status table: the daemon's pid" grep -qE "^pid: +$KPID\$" "$T/status.txt"
check "status table: 3 children ready, no restart" \
    is "$(grep -cE '^(vrrp|check|l7) +[0-9]+ +yes +0$' "$T/status.txt")" 3
check "status JSON: pid, sha256, no reload yet, last reload ok" \
    is "$(ctlj '[j["result"]["pid"], j["result"]["config_sha256"], j["result"]["reloads"], j["result"]["last_reload"]["ok"]]' status)" \
    "[$KPID, \"$sha\", 0, true]"
check "status JSON: the children's pids are the daemon's children" \
    is "$(ctlj '" ".join(sorted(str(c["pid"]) for c in j["result"]["children"]))' status)" \
    "$(kl7_children "$KPID" | awk '{ print $1 }' | sort | tr '\n' ' ' | sed 's/ $//')"
up=$(ctlj 'j["result"]["uptime_s"]' status)
ok "$([ "$up" -ge 0 ] && [ "$up" -lt 120 ]; echo $?)" "status JSON: uptime $up s"

# ---------------------------------------------------------------- show

ctl show vrrp >"$T/vrrp.txt"
check "show vrrp table: VI_1 MASTER 150" grep -qE '^VI_1 +MASTER +150 ' "$T/vrrp.txt"
check "show vrrp JSON: VI_1, MASTER, 150, adverts sent" \
    is "$(ctlj '[(v := j["result"]["vrrp"][0])["name"], v["state"], v["priority"], v["counters"]["adverts_sent"] > 0]' show vrrp)" \
    '["VI_1", "MASTER", 150, true]'

ctl show servers >"$T/servers.txt"
check "show servers table: three enabled, up servers of weight 1" \
    is "$(grep -cE "^$VS +$S:810[123] +enabled +up +1 +- " "$T/servers.txt")" 3
check "show servers table: a header, columns aligned" \
    is "$(awk '{ print index($0, $2 == "SERVER" ? "REAL" : $2) }' "$T/servers.txt" | sort -u | wc -l)" 1
check "show servers VS JSON: the three servers in file order" \
    is "$(ctlj '[s["real_server"] for s in j["result"]["servers"]]' show servers $VS)" \
    "[\"$A\", \"$B\", \"$C\"]"
ctl show servers 192.0.2.1:81 2>"$T/err.txt"
ok "$([ $? = 1 ]; echo $?)" "show servers of an unknown VS: exit 1"
check "... saying which" grep -q "no virtual server 192.0.2.1:81" "$T/err.txt"

# get N PATH: N requests, one connection each; prints "a=N b=N c=N".
get() {
	local i
	for ((i = 0; i < $1; i++)); do
		ns_exec lb curl -s -m 5 "http://$VS/$2"
	done | awk '{ n[$1]++ } END { printf "a=%d b=%d c=%d\n", n["a"], n["b"], n["c"] }'
}
# count NAME SPREAD: NAME's count in a get's output.
count() { local v=${2#*"$1"=}; echo "${v%% *}"; }

spread=$(get 30 spread)
check "30 requests, all enabled, spread evenly: $spread" is "$spread" "a=10 b=10 c=10"

ctl show stats >"$T/stats.txt"
check "show stats table: VS up, live weight 3, 30 requests" \
    grep -qE "^$VS +up +3 +0 +30 +30 " "$T/stats.txt"
check "show stats JSON: requests and bytes counted" \
    is "$(ctlj '[(v := j["result"]["virtual_servers"][0])["requests"], v["bytes_out"] > 0]' show stats)" \
    "[30, true]"
check "show servers JSON: b answered 10 requests with 2xx" \
    is "$(ctlj 'j["result"]["servers"][1]["requests"]["2xx"]' show servers)" 10

# ---------------------------------------------------------------- admin

ctl disable server $VS $B >"$T/dis.txt"
ok $? "disable server: exit 0"
check "disable server: the reply shows b disabled" grep -qE "^$VS +$B +disabled " "$T/dis.txt"
ctl show servers >"$T/servers.txt"
check "show servers table says b is disabled" grep -qE "^$VS +$B +disabled +up " "$T/servers.txt"
check "show servers JSON says b is disabled, a and c enabled" \
    is "$(ctlj '[s["admin"] for s in j["result"]["servers"]]' show servers)" \
    '["enabled", "disabled", "enabled"]'
spread=$(get 20 disabled)
check "b disabled: 20 requests reach a and c only: $spread" is "$spread" "a=10 b=0 c=10"

ctl drain server $VS $B >/dev/null
ok $? "drain server: exit 0"
check "show servers JSON says b drains" \
    is "$(ctlj 'j["result"]["servers"][1]["admin"]' show servers)" drain
spread=$(get 10 drain)
check "b draining: no new requests reach it: $spread" is "$spread" "a=5 b=0 c=5"

ctl enable server $VS $B >/dev/null
ok $? "enable server: exit 0"
spread=$(get 30 enabled)
check "b enabled again: it gets its share: $spread" is "$spread" "a=10 b=10 c=10"

ctl disable server $VS $S:8109 2>"$T/err.txt"
ok "$([ $? = 1 ]; echo $?)" "disable an unknown real server: exit 1"
check "... saying which" grep -q "no real server $S:8109" "$T/err.txt"
ctl disable server $VS nonsense 2>/dev/null
ok "$([ $? = 1 ]; echo $?)" "disable server with a malformed address: exit 1"

# ---------------------------------------------------------------- weight

ctl set weight $VS $A 3 >"$T/w.txt"
ok $? "set weight a 3: exit 0"
check "set weight: the reply shows the operator's weight" \
    grep -qE "^$VS +$A +enabled +up +[0-9]+ +3 " "$T/w.txt"
weights() { ctlj '[s["weight"] for s in j["result"]["servers"]]' show servers; }
weights_are() { is "$(weights)" "$1"; }
wait_for 5 weights_are "[3, 1, 1]"
check "the check child applied it: weights $(weights)" is "$(weights)" "[3, 1, 1]"
ctl show servers >"$T/servers.txt"
check "show servers table: weight 3, set weight 3" grep -qE "^$VS +$A +enabled +up +3 +3 " \
    "$T/servers.txt"
check "show stats: live weight 5" \
    is "$(ctlj 'j["result"]["virtual_servers"][0]["live_weight"]' show stats)" 5
spread=$(get 50 weighted)
a=$(count a "$spread")
ok "$([ "$a" -ge 28 ] && [ "$a" -le 32 ]; echo $?)" "wrr follows weights 3:1:1 over 50 requests: $spread"

ctl set weight $VS $C 0 >/dev/null
wait_for 5 weights_are "[3, 1, 0]"
check "set weight c 0: weights $(weights)" is "$(weights)" "[3, 1, 0]"
spread=$(get 12 zero)
check "weight 0: c gets no requests: $spread" is "$(count c "$spread")" 0
ctl set weight $VS $C 1 >/dev/null
ctl set weight $VS $A 65536 2>/dev/null
ok "$([ $? = 1 ]; echo $?)" "set weight 65536: exit 1"
ctl set weight $VS $A -1 2>/dev/null
ok "$([ $? = 1 ]; echo $?)" "set weight -1: exit 1"

# ---------------------------------------------------------------- reload

ctl disable server $VS $B >/dev/null
write_conf "second"
sha2=$(sha256sum "$T/k.conf" | cut -d' ' -f1)
ctl reload >"$T/reload.txt"
ok $? "reload of a good file: exit 0"
check "reload: the table says so" grep -q "^reloaded (reload 1)" "$T/reload.txt"
check "status: 1 reload, ok, the new file's sha256" \
    is "$(ctlj '[j["result"]["reloads"], j["result"]["last_reload"]["ok"], j["result"]["config_sha256"]]' status)" \
    "[1, true, \"$sha2\"]"
all_ready() { is "$(ctlj '[c["ready"] for c in j["result"]["children"]]' status)" "[true, true, true]"; }
wait_for 10 all_ready
check "after the reload b is still disabled, a's weight still 3" \
    is "$(ctlj '[[s["admin"], s["operator_weight"]] for s in j["result"]["servers"]]' show servers)" \
    '[["enabled", 3], ["disabled", null], ["enabled", 1]]'
spread=$(get 10 reloaded)
check "after the reload the new l7 child sends b nothing: $spread" is "$(count b "$spread")" 0

l7=$(kl7_child_pid "$KPID" kl7-l7)
kill -9 "$l7"
wait_for 10 kl7_child_pid "$KPID" kl7-l7 "$l7"
wait_for 10 all_ready
spread=$(get 10 restarted)
check "after an l7 child's crash and restart b still gets nothing: $spread" \
    is "$(count b "$spread")" 0
check "... and shows disabled" is "$(ctlj 'j["result"]["servers"][1]["admin"]' show servers)" disabled

cp "$T/k.conf" "$T/k.good"
bad_line=$(($(wc -l <"$T/k.conf") + 1))
printf 'bogus_keyword 1\n' >>"$T/k.conf"
ctl reload >/dev/null 2>"$T/reload.err"
ok "$([ $? = 1 ]; echo $?)" "reload of a broken file: exit 1"
check "... the error names FILE:LINE ($T/k.conf:$bad_line)" \
    grep -q "^$T/k.conf:$bad_line: " "$T/reload.err"
ctl -j reload >"$T/reload.json" 2>/dev/null
check "reload JSON: ok false and the FILE:LINE errors" \
    is "$(json_get "$T/reload.json" '[j["ok"], any(e.startswith("'"$T/k.conf:$bad_line:"'") for e in j["errors"])]')" \
    "[false, true]"
check "status after it: last reload failed, sha256 still the running file's" \
    is "$(ctlj '[j["result"]["last_reload"]["ok"], j["result"]["config_sha256"], len(j["result"]["last_reload"]["errors"]) > 0]' status)" \
    "[false, \"$sha2\", true]"
check "nothing changed: b still disabled, a's weight 3" \
    is "$(ctlj '[[s["admin"], s["weight"]] for s in j["result"]["servers"]]' show servers)" \
    '[["enabled", 3], ["disabled", 1], ["enabled", 1]]'
spread=$(get 10 after-bad)
ok "$([ "$(count b "$spread")" = 0 ] && [ "$spread" != "a=0 b=0 c=0" ]; echo $?)" \
    "traffic still served, b still out: $spread"
cp "$T/k.good" "$T/k.conf"
ctl enable server $VS $B >/dev/null

# ---------------------------------------------------------------- add / remove server

# served NAME PATH: requests for /PATH backend NAME has logged.
served() { log_count "$T/backend.log" "\"name\": \"$1\".*\"target\": \"/$2\""; }
# counters: each server's [real_server, total_conns, 2xx] in show servers.
counters() {
	ctlj '[[s["real_server"], s["total_conns"], s["requests"]["2xx"]] for s in j["result"]["servers"] if s["real_server"] != "'"$1"'"]' show servers
}
servers_are() { is "$(ctlj '[s["real_server"] for s in j["result"]["servers"]]' show servers)" "$1"; }
health_of() { is "$(ctlj '{s["real_server"]: s["health"] for s in j["result"]["servers"]}.get("'"$1"'")' show servers)" "$2"; }
NOTE="not persisted: also edit $T/k.conf; a reload or a restart drops this change"

wait_for 10 all_ready
before=$(counters $D)
reloads=$(ctlj 'j["result"]["reloads"]' status)
# The file on disk now differs (and would not load): an edit must not read it.
printf 'bogus_keyword 1\n' >>"$T/k.conf"
ctl add server $VS $D weight 2 >"$T/add.txt" 2>&1
ok $? "add server VS D weight 2: exit 0, with the file on disk broken"
check "add server table: D's row, enabled, weight set from the command" \
    grep -qE "^$VS +$D +enabled +[a-z]+ +[0-9]+ +- " "$T/add.txt"
check "add server table: pool default, the one TCP_CHECK of the pool's first server" \
    grep -qx "pool: default, checks: 1" "$T/add.txt"
check "add server table: the not-persisted note" grep -qxF "note: $NOTE" "$T/add.txt"
wait_for 10 all_ready
check "show servers: A B C then D, in order" servers_are "[\"$A\", \"$B\", \"$C\", \"$D\"]"
wait_for 10 health_of $D up
check "D's copied TCP_CHECK ran and found it up" \
    is "$(ctlj '[(s := j["result"]["servers"][3])["health"], s["consecutive_ok"] > 0]' show servers)" \
    '["up", true]'
check "D runs with weight 2" \
    is "$(ctlj 'j["result"]["servers"][3]["weight"]' show servers)" 2
check "the others kept their counters" is "$(counters $D)" "$before"
check "... and a its operator weight 3" \
    is "$(ctlj 'j["result"]["servers"][0]["operator_weight"]' show servers)" 3
check "status: 1 runtime edit, no reload counted, the file's hash unchanged" \
    is "$(ctlj '[j["result"]["runtime_edits"], j["result"]["reloads"], j["result"]["config_sha256"]]' status)" \
    "[1, $reloads, \"$sha2\"]"
ctl status >"$T/status.txt"
check "status table: runtime edits 1" grep -qE "^runtime edits: +1\$" "$T/status.txt"
get 21 added >/dev/null
d=$(served d added)
ok "$([ "$d" -ge 5 ] && [ "$d" -le 7 ]; echo $?)" \
    "21 requests at weights 3:1:1:2: D's log has $d of them (6 expected)"

ctl add server $VS $D >/dev/null 2>"$T/err.txt"
ok "$([ $? = 1 ]; echo $?)" "add server D again: exit 1"
check "... saying it is there" grep -qF "add server: virtual server $VS already has real server $D" "$T/err.txt"
ctl -j add server $VIP:81 $D >"$T/err.json"
ok "$([ $? = 1 ]; echo $?)" "add server to an unknown VS: exit 1"
check "... a JSON error naming it" \
    is "$(json_get "$T/err.json" '[j["ok"], j["error"]]')" "[false, \"add server: no virtual server $VIP:81\"]"
ctl -j remove server $VS $S:8109 >"$T/err.json"
ok "$([ $? = 1 ]; echo $?)" "remove server absent: exit 1"
check "... a JSON error naming it" \
    is "$(json_get "$T/err.json" '[j["ok"], j["error"]]')" \
    "[false, \"remove server: virtual server $VS has no real server $S:8109\"]"
ctl add server $VS $S:8105 pool "two words" 2>/dev/null
ok "$([ $? = 1 ]; echo $?)" "add server with a pool name of two words: exit 1"
ctl add server $VS $S:8105 weight 2 color red 2>/dev/null
ok "$([ $? = 1 ]; echo $?)" "add server with an unknown option: exit 1"
check "status: the refusals changed nothing (1 runtime edit)" \
    is "$(ctlj 'j["result"]["runtime_edits"]' status)" 1

# Remove b while it serves a slow request: that request finishes there.
for rs in $A $C $D; do ctl disable server $VS $rs >/dev/null; done
ns_exec lb curl -s -m 10 -o "$T/slow.out" -w '%{http_code}' "http://$VS/slow/1500" \
    >"$T/slow.code" 2>&1 &
slow=$!
track_pid $slow
slow_at_b() { [ "$(served b slow/1500)" = 1 ]; }
wait_for 5 slow_at_b
check "the slow request reached b" slow_at_b
for rs in $A $C $D; do ctl enable server $VS $rs >/dev/null; done
before=$(counters $B)
ctl -j remove server $VS $B >"$T/remove.json"
ok $? "remove server b: exit 0"
check "remove JSON: ok, the servers, 2 runtime edits, the note" \
    is "$(json_get "$T/remove.json" '[j["ok"], (r := j["result"])["virtual_server"], r["real_server"], r["runtime_edits"], r["note"]]')" \
    "[true, \"$VS\", \"$B\", 2, \"$NOTE\"]"
wait "$slow"
check "the request b was serving finished: 200" is "$(cat "$T/slow.code")" 200
wait_for 10 all_ready
check "show servers: A C D" servers_are "[\"$A\", \"$C\", \"$D\"]"
check "the others kept their counters" is "$(counters $B)" "$before"
get 20 removed >"$T/removed.txt"
check "20 requests after the removal: none reaches b" is "$(served b removed)" 0
check "... all answered by a, c and d" \
    is "$(($(served a removed) + $(served c removed) + $(served d removed)))" 20

# A reload reads the file: the runtime edits are gone.
cp "$T/k.good" "$T/k.conf"
ctl reload >/dev/null
ok $? "reload: exit 0"
wait_for 10 all_ready
check "after the reload: A B C again, D gone" servers_are "[\"$A\", \"$B\", \"$C\"]"
check "status: no runtime edit" is "$(ctlj 'j["result"]["runtime_edits"]' status)" 0
get 14 reloaded2 >/dev/null
check "D gets nothing after the reload" is "$(served d reloaded2)" 0
check "... b is back" test "$(served b reloaded2)" -gt 0

# So does SIGHUP's.
ctl -j add server $VS $D >"$T/add.json"
ok $? "add server D (JSON): exit 0"
check "add JSON: weight 1, pool default, 1 check, D's record, the note" \
    is "$(json_get "$T/add.json" '[(r := j["result"])["weight"], r["pool"], r["checks"], r["server"]["real_server"], r["note"]]')" \
    "[1, \"default\", 1, \"$D\", \"$NOTE\"]"
wait_for 10 all_ready
check "show servers: D is back" servers_are "[\"$A\", \"$B\", \"$C\", \"$D\"]"
reloads=$(ctlj 'j["result"]["reloads"]' status)
daemon_signal kl7 HUP
reloaded() { is "$(ctlj 'j["result"]["reloads"]' status)" $((reloads + 1)); }
wait_for 10 reloaded
wait_for 10 all_ready
check "after SIGHUP: A B C, D gone" servers_are "[\"$A\", \"$B\", \"$C\"]"

# ---------------------------------------------------------------- refusals

ctl frobnicate 2>/dev/null
ok "$([ $? = 1 ]; echo $?)" "unknown CLI command: exit 1"
"$CTL_BIN" -s "$T/nowhere.sock" status 2>"$T/err.txt"
ok "$([ $? = 2 ]; echo $?)" "no daemon on the socket: exit 2"
check "... saying it cannot connect" grep -q "cannot connect to $T/nowhere.sock" "$T/err.txt"

# ---------------------------------------------------------------- protocol

printf '%s\n' 'this is not json' '{"version":1,"command":"status"}' \
    '{"version":1,"command":"explode"}' '{"version":7,"command":"status"}' \
    '{"version":1,"command":"enable server","virtual_server":"192.0.2.1:80"}' \
    '{"version":1,"command":"status"}' | client send "$SOCK" >"$T/raw.txt"
check "bad JSON: a JSON error" grep -q '^{"version":1,"ok":false,"error":"bad JSON: ' \
    <(sed -n 1p "$T/raw.txt")
check "... and the connection goes on: status answered" grep -q "\"pid\":$KPID" \
    <(sed -n 2p "$T/raw.txt")
check "unknown command: a JSON error" grep -q '"ok":false,"error":"unknown command \\"explode\\""' \
    <(sed -n 3p "$T/raw.txt")
check "unknown version: a JSON error" grep -q 'unsupported version 7' <(sed -n 4p "$T/raw.txt")
check "missing argument: a JSON error" grep -q 'missing real_server' <(sed -n 5p "$T/raw.txt")
check "six requests, six replies, then EOF on our close" \
    is "$(grep -c '^{' "$T/raw.txt"):$(tail -n 1 "$T/raw.txt")" 6:EOF

client oversize "$SOCK" 5000 >"$T/big.txt"
check "oversize request: a JSON error" \
    grep -q '"ok":false,"error":"request longer than 4095 bytes"' "$T/big.txt"
check "... and the server closes the connection" is "$(tail -n 1 "$T/big.txt")" EOF
check "the daemon still answers" ctl status

# ---------------------------------------------------------------- load

cpids=()
for i in $(seq 1 50); do
	ctl -j status >"$T/c$i.out" 2>&1 &
	cpids[i]=$!
done
okc=0
for i in $(seq 1 50); do
	wait "${cpids[i]}" && grep -q "\"pid\":$KPID" "$T/c$i.out" && okc=$((okc + 1))
done
check "50 concurrent keepalive-l7ctl status: $okc of 50 answered" is "$okc" 50
res=$(client many "$SOCK" 50)
check "50 connections at once, 50 status replies: $res" is "$res" "ok=50 refused=0 failed=0"
res=$(client many "$SOCK" 70)
check "70 connections at once: 64 served, 6 refused with a JSON error: $res" \
    is "$res" "ok=64 refused=6 failed=0"

# Slow clients: half a request; replies never read.
client hold "$SOCK" half 20 >"$T/half.txt" 2>&1 &
track_pid $!
client hold "$SOCK" noread 20 >"$T/noread.txt" 2>&1 &
track_pid $!
wait_for 5 grep -q ready "$T/half.txt"
wait_for 5 grep -q ready "$T/noread.txt"
t0=$(now_ms)
ctl status >/dev/null
rc=$?
t1=$(now_ms)
ok $rc "with two stuck clients connected, status answers (in $((t1 - t0)) ms)"
ok "$([ $((t1 - t0)) -lt 1000 ]; echo $?)" "... within 1 s"
spread=$(get 6 stuck)
ok "$([ "$spread" != "a=0 b=0 c=0" ]; echo $?)" "... and traffic flows: $spread"
wait_for 15 grep -q closed "$T/half.txt"
check "the half-request client is dropped after the idle timeout" grep -q closed "$T/half.txt"
wait_for 15 grep -q closed "$T/noread.txt"
check "the client that never reads is dropped after the idle timeout" \
    grep -q closed "$T/noread.txt"
check "the daemon still answers" ctl status

# ---------------------------------------------------------------- socket life

printf 'global_defs {\n    control_socket %s\n}\n' "$SOCK" >"$T/other.conf"
daemon_start other -N lb -- -f "$T/other.conf" -p "$T/other.pid"
daemon_wait_exit other 10
check "a second daemon on the same socket exits 1" is "$DAEMON_STATUS" 1
check "... saying a running daemon answers there" \
    log_has "$(daemon_log other)" "control socket $SOCK: a running daemon answers there"
check "... and the first still answers on it" is "$(ctlj 'j["result"]["pid"]' status)" "$KPID"

daemon_signal kl7 TERM
daemon_wait_exit kl7 10
check "daemon stopped: exit 0" is "$DAEMON_STATUS" 0
check "the socket is removed at exit" test ! -e "$SOCK"

# A stale socket (bound, never unlinked, nobody listening) is replaced.
"$KL7_PYTHON" -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$SOCK"
check "a stale socket file is in place" test -S "$SOCK"
daemon_start kl7b -N lb -- -f "$T/k.conf" -p "$T/k.pid"
wait_for 10 ctl status
check "a new daemon replaces the stale socket and answers" \
    is "$(ctlj 'j["result"]["pid"]' status)" "$(daemon_pid kl7b)"
daemon_signal kl7b TERM
daemon_wait_exit kl7b 10
check "... and removes it at exit" test ! -e "$SOCK"

done_testing
