#!/bin/bash
# The supervising parent of keepalive-l7: children, readiness (sd_notify),
# respawn and its backoff, SIGHUP reload (failed and successful), SIGUSR1
# state dump, the pid file, -P / -C, daemon mode, SIGTERM.
#
# Each daemon runs in its own network namespace with a dummy interface d0
# (192.0.2.1/24) and a config written here.
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
plan 15

[ -x "$kl7_bin" ] || diag "binary $kl7_bin not found: build first"

# ---------------------------------------------------------------- helpers

# make_ns NAME: a netns with d0 (dummy, up, 192.0.2.1/24); bails out if
# that cannot be done.
make_ns() {
	if ! { netns_add "$1" 2>>"$KL7_TMP/ip.log" && link_add_dummy "$1" d0 &&
	    ip -n "$(ns_name "$1")" addr add 192.0.2.1/24 dev d0 2>>"$KL7_TMP/ip.log"; }; then
		bail_out "could not set up netns $(ns_name "$1"): $(tail -n 1 "$KL7_TMP/ip.log" 2>/dev/null)"
	fi
}

# write_conf NAME ROUTER_ID PRIORITY: $KL7_TMP/NAME/keepalive-l7.conf, with
# the state file and control socket in $KL7_TMP/NAME.
write_conf() {
	local d="$KL7_TMP/$1"
	mkdir -p "$d"
	cat >"$d/keepalive-l7.conf" <<EOF
global_defs {
    router_id $2
    state_file $d/state.json
    control_socket $d/ctl.sock
}
vrrp_instance VI_1 {
    state BACKUP
    interface d0
    virtual_router_id 51
    priority $3
    advert_int 1
    virtual_ipaddress {
        192.0.2.100/24
    }
}
virtual_server 192.0.2.100 80 {
    lb_kind L7
    real_server 192.0.2.10 8080 {
        weight 1
    }
}
EOF
}

conf_of() { echo "$KL7_TMP/$1/keepalive-l7.conf"; }
pidfile_of() { echo "$KL7_TMP/$1/keepalive-l7.pid"; }
state_of() { echo "$KL7_TMP/$1/state.json"; }

# start_kl7 NAME [ARGS...]: netns NAME, config (router_id t1, priority
# 100), notify listener NAME, and keepalive-l7 -n -l in the netns.
start_kl7() {
	local name=$1
	shift
	make_ns "$name"
	write_conf "$name" t1 100
	notify_listen "$name" || diag "notify listener for $name did not start"
	daemon_start "$name" -N "$name" -e "NOTIFY_SOCKET=$(notify_sock "$name")" -- \
	    -f "$(conf_of "$name")" -p "$(pidfile_of "$name")" "$@"
}

# wait_ready NAME TIMEOUT: READY=1 has arrived on NAME's notify socket.
wait_ready() {
	wait_for "$2" _notify_has "$1" READY=1
}
_notify_has() {
	[ "$(notify_count "$1" "$2")" -gt 0 ]
}

# track_children PARENT: have cleanup end the current children too.
track_children() {
	local p
	for p in $(kl7_children "$1" | awk '{ print $1 }'); do
		track_pid "$p"
	done
}

# child_pids PARENT: "vrrp=PID check=PID l7=PID" (the first of each name).
child_pids() {
	local n p out=""
	for n in vrrp check l7; do
		p=$(kl7_child_pid "$1" "kl7-$n" | head -n 1)
		out+="$n=${p:-none} "
	done
	echo "${out% }"
}

# dump_state NAME OUT: SIGUSR1 to daemon NAME, wait for the state file,
# copy it to OUT.
dump_state() {
	local st
	st=$(state_of "$1")
	rm -f "$st"
	daemon_signal "$1" USR1 || return 1
	wait_for 5 test -s "$st" || { diag "no state file $st within 5 s"; return 1; }
	cp "$st" "$2"
}

# check_dump DUMP KEY=VALUE...: check the structure of a SIGUSR1 dump and
# the given expectations; print each problem as a diagnostic.
#   pid=N  config=JSONFILE  router_id=X  children=vrrp,check,l7
#   child.NAME.pid=N  child.NAME.restarts=N  all_ready=1  reloads=N
#   last_ok=true|false  last_error=PREFIX  no_errors=1  live_parent=PID
cat >"$KL7_TMP/check_dump.py" <<'EOF'
import json, os, sys

problems = []
def bad(msg):
    problems.append(msg)

try:
    with open(sys.argv[1]) as f:
        j = json.load(f)
except Exception as e:
    print("dump is not valid JSON: %s" % e)
    sys.exit(1)
exp = dict(a.split("=", 1) for a in sys.argv[2:])

def typed(obj, key, types, where):
    if not isinstance(obj, dict) or key not in obj:
        bad("%s: no '%s'" % (where, key))
        return None
    v = obj[key]
    if not isinstance(v, types) or (types is int and isinstance(v, bool)):
        bad("%s.%s has the wrong type: %r" % (where, key, v))
        return None
    return v

pid = typed(j, "pid", int, "dump")
conf = typed(j, "config", dict, "dump")
children = typed(j, "children", list, "dump") or []
reloads = typed(j, "reloads", int, "dump")
last = typed(j, "last_reload", dict, "dump")
if last is not None:
    typed(last, "ok", bool, "last_reload")
    errs = typed(last, "errors", list, "last_reload")
    if errs is not None and not all(isinstance(e, str) for e in errs):
        bad("last_reload.errors holds a non-string")
byname = {}
for i, c in enumerate(children):
    w = "children[%d]" % i
    n = typed(c, "name", str, w)
    typed(c, "pid", int, w)
    typed(c, "ready", bool, w)
    typed(c, "restarts", int, w)
    if n is not None:
        if n in byname:
            bad("child %s listed twice" % n)
        byname[n] = c

if "pid" in exp and pid != int(exp["pid"]):
    bad("pid %r, want %s" % (pid, exp["pid"]))
if "config" in exp:
    with open(exp["config"]) as f:
        want = json.load(f)
    if conf != want:
        bad("config differs from --dump-conf of the same file")
if "router_id" in exp:
    got = (conf or {}).get("global_defs", {}).get("router_id")
    if got != exp["router_id"]:
        bad("config.global_defs.router_id %r, want %r" % (got, exp["router_id"]))
if "children" in exp:
    want = sorted(exp["children"].split(","))
    if sorted(byname) != want:
        bad("children %s, want %s" % (sorted(byname), want))
for k, v in exp.items():
    if not k.startswith("child."):
        continue
    _, n, field = k.split(".")
    c = byname.get(n)
    if c is None:
        bad("no child %s" % n)
    elif str(c.get(field)) != v:
        bad("child %s %s %r, want %s" % (n, field, c.get(field), v))
if exp.get("all_ready") == "1":
    for n, c in byname.items():
        if c.get("ready") is not True:
            bad("child %s not ready" % n)
if "live_parent" in exp:
    for n, c in byname.items():
        p = c.get("pid")
        try:
            with open("/proc/%d/stat" % p) as f:
                st = f.read().rsplit(")", 1)[1].split()
            with open("/proc/%d/comm" % p) as f:
                comm = f.read().strip()
            if st[1] != exp["live_parent"] or st[0] == "Z" or comm != "kl7-" + n:
                bad("child %s pid %d is not a live kl7-%s of %s" % (n, p, n, exp["live_parent"]))
        except (OSError, TypeError, IndexError):
            bad("child %s pid %r is not running" % (n, p))
if "reloads" in exp and reloads != int(exp["reloads"]):
    bad("reloads %r, want %s" % (reloads, exp["reloads"]))
if "last_ok" in exp and last is not None:
    if last.get("ok") != (exp["last_ok"] == "true"):
        bad("last_reload.ok %r, want %s" % (last.get("ok"), exp["last_ok"]))
if "last_error" in exp and last is not None:
    if not any(isinstance(e, str) and e.startswith(exp["last_error"]) for e in last.get("errors") or []):
        bad("no last_reload error starting with %r: %r" % (exp["last_error"], last.get("errors")))
if exp.get("no_errors") == "1" and last is not None and last.get("errors"):
    bad("last_reload.errors not empty: %r" % last.get("errors"))
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
EOF

check_dump() {
	local out rc=0
	out=$("$KL7_PYTHON" "$KL7_TMP/check_dump.py" "$@" 2>&1) || rc=$?
	[ -z "$out" ] || diag "$out"
	return "$rc"
}

# notify_order_after NAME LINE FIRST SECOND: after line LINE of the notify
# log, a FIRST datagram came, and a SECOND one after it.
notify_order_after() {
	tail -n "+$(($2 + 1))" "$(notify_log "$1")" | awk -v a="$3" -v b="$4" '
	function has(w) { return (" " $0 " ") ~ (" " w " ") }
	!seen_a && has(a) { seen_a = 1; next }
	seen_a && has(b) { found = 1; exit }
	END { exit !found }'
}

# all_dead PID...: none of them runs.
all_dead() {
	local p
	for p in "$@"; do
		pid_alive "$p" && return 1
	done
	return 0
}

# dump_all_ready NAME: a fresh dump shows every child ready (quiet).
dump_all_ready() {
	local st
	st=$(state_of "$1")
	rm -f "$st"
	daemon_signal "$1" USR1 || return 1
	wait_for 1 test -s "$st" || return 1
	"$KL7_PYTHON" "$KL7_TMP/check_dump.py" "$st" all_ready=1 >/dev/null 2>&1
}

# inode_changed FILE INODE: FILE exists, is not empty, and has another inode.
inode_changed() {
	[ -s "$1" ] && [ "$(stat -c %i "$1")" != "$2" ]
}

# children_are PARENT NAMES: the sorted comm names of the children.
children_are() {
	[ "$(kl7_child_names "$1")" = "$2" ]
}

# stop_quietly NAME: SIGTERM and wait up to 6 s (no test result).
stop_quietly() {
	daemon_signal "$1" TERM 2>/dev/null || return 0
	daemon_wait_exit "$1" 6 >/dev/null || diag "daemon $1 did not stop within 6 s"
}

# ================================================================ daemon A

start_kl7 a
A=$(daemon_pid a)
LOG_A=$(daemon_log a)
clock_ms; t0=$KL7_NOW

# ---- 1: children start, READY=1 arrives
bad=0
if wait_ready a 10; then
	clock_ms; diag "READY=1 after $((KL7_NOW - t0)) ms"
else
	diag "no READY=1 on the notify socket within 10 s"
	bad=1
fi
track_children "$A"
names=$(kl7_child_names "$A")
diag "children of $A: $names ($(child_pids "$A"))"
[ "$names" = "kl7-check kl7-l7 kl7-vrrp" ] || { diag "want kl7-check kl7-l7 kl7-vrrp"; bad=1; }
log_has "$LOG_A" 'all children ready' || { diag "no 'all children ready' in the log"; bad=1; }
[ "$bad" -eq 0 ] || diag_file "$LOG_A"
ok "$bad" "three children kl7-vrrp, kl7-check, kl7-l7 start and READY=1 arrives"

# ---- 2: SIGUSR1 dump
"$kl7_bin" --dump-conf -f "$(conf_of a)" >"$KL7_TMP/a-dump-conf.json" 2>"$KL7_TMP/a-dump-conf.err"
bad=0
if dump_state a "$KL7_TMP/a-state-1.json"; then
	read -r -a cp <<<"$(child_pids "$A")"
	check_dump "$KL7_TMP/a-state-1.json" pid="$A" config="$KL7_TMP/a-dump-conf.json" \
	    children=vrrp,check,l7 all_ready=1 live_parent="$A" reloads=0 \
	    "child.${cp[0]/=/.pid=}" "child.${cp[1]/=/.pid=}" "child.${cp[2]/=/.pid=}" \
	    child.vrrp.restarts=0 child.check.restarts=0 child.l7.restarts=0 || bad=1
	# Atomic replacement: a second dump is a new file (new inode) renamed
	# over the first, and no temporary file stays behind.
	st=$(state_of a)
	ino=$(stat -c %i "$st" 2>/dev/null)
	daemon_signal a USR1
	if ! wait_for 5 inode_changed "$st" "$ino"; then
		diag "a second SIGUSR1 left $st with the same inode $ino within 5 s: written in place, not renamed"
		bad=1
	fi
	leftover=$(find "$KL7_TMP/a" -maxdepth 1 -name 'state.json?*' | head -n 3)
	[ -z "$leftover" ] || { diag "temporary files left: $leftover"; bad=1; }
else
	bad=1
fi
ok "$bad" "SIGUSR1 writes the state file atomically: valid JSON with pid, config, children, reloads, last_reload"

# ---- 3-5: kill -9 of each child: a new one within 1 s
for n in vrrp check l7; do
	old=$(kl7_child_pid "$A" "kl7-$n" | head -n 1)
	if [ -z "$old" ]; then
		diag "no kl7-$n child of $A"
		fail "kill -9 kl7-$n: a new kl7-$n within 1 s"
		continue
	fi
	clock_ms; t0=$KL7_NOW
	kill -KILL "$old"
	if wait_for 3 kl7_child_pid "$A" "kl7-$n" "$old"; then
		clock_ms; dt=$((KL7_NOW - t0))
		new=$(kl7_child_pid "$A" "kl7-$n" "$old" | head -n 1)
		track_pid "$new"
		diag "kl7-$n: pid $old killed, pid $new after $dt ms"
		[ "$dt" -lt 1000 ]
		ok $? "kill -9 kl7-$n: a new kl7-$n within 1 s ($dt ms)"
	else
		diag "kl7-$n: pid $old killed, no new kl7-$n within 3 s"
		diag_file "$LOG_A" 10
		fail "kill -9 kl7-$n: a new kl7-$n within 1 s"
	fi
done

# ---- 6: the dump counts the restarts
bad=0
if dump_state a "$KL7_TMP/a-state-2.json"; then
	check_dump "$KL7_TMP/a-state-2.json" pid="$A" live_parent="$A" \
	    child.vrrp.restarts=1 child.check.restarts=1 child.l7.restarts=1 || bad=1
else
	bad=1
fi
ok "$bad" "SIGUSR1 dump counts one restart for each killed child"

# ---- 7: SIGHUP with a broken file keeps the running configuration
# The respawned children are ready: the pids compared below stay put.
wait_for 5 dump_all_ready a || diag "the dump does not show every child ready"
bad=0
before=$(child_pids "$A")
conf=$(conf_of a)
write_conf a t9 300
perr=$(grep -n 'priority 300' "$conf" | cut -d: -f1)
n0=$(notify_lines a)
log0=$(wc -l <"$LOG_A")
daemon_signal a HUP
if wait_for 5 log_has "$LOG_A" 'reload failed: keeping the running configuration'; then
	:
else
	diag "no 'reload failed: keeping the running configuration' in the log within 5 s"
	bad=1
fi
if ! tail -n "+$((log0 + 1))" "$LOG_A" | grep -qF -- "$conf:$perr: "; then
	diag "no '$conf:$perr: ...' error in the log"
	bad=1
fi
if ! wait_for 5 notify_order_after a "$n0" RELOADING=1 READY=1; then
	diag "notify after SIGHUP: want RELOADING=1 then READY=1, got: $(tail -n "+$((n0 + 1))" "$(notify_log a)" | tr '\n' '|')"
	bad=1
fi
if dump_state a "$KL7_TMP/a-state-3.json"; then
	read -r -a cp <<<"$before"
	check_dump "$KL7_TMP/a-state-3.json" router_id=t1 last_ok=false last_error="$conf:$perr: " \
	    live_parent="$A" "child.${cp[0]/=/.pid=}" "child.${cp[1]/=/.pid=}" \
	    "child.${cp[2]/=/.pid=}" || bad=1
else
	bad=1
fi
after=$(child_pids "$A")
[ "$before" = "$after" ] || { diag "children before: $before; after: $after"; bad=1; }
[ "$bad" -eq 0 ] || diag_file "$LOG_A" 15
ok "$bad" "SIGHUP with a broken file (priority 300): old config kept, error at FILE:$perr, RELOADING=1 then READY=1"

# ---- 8: SIGHUP with a valid changed file
bad=0
before=$(child_pids "$A")
write_conf a t2 100
n0=$(notify_lines a)
log0=$(wc -l <"$LOG_A")
clock_ms; t0=$KL7_NOW
daemon_signal a HUP
if ! wait_for 5 log_has "$LOG_A" 'reload: new configuration loaded'; then
	diag "no 'reload: new configuration loaded' in the log within 5 s"
	bad=1
fi
if wait_for 10 notify_order_after a "$n0" RELOADING=1 READY=1; then
	clock_ms; diag "SIGHUP -> READY=1: $((KL7_NOW - t0)) ms"
else
	diag "notify after SIGHUP: want RELOADING=1 then READY=1, got: $(tail -n "+$((n0 + 1))" "$(notify_log a)" | tr '\n' '|')"
	bad=1
fi
track_children "$A"
if dump_state a "$KL7_TMP/a-state-4.json"; then
	check_dump "$KL7_TMP/a-state-4.json" pid="$A" router_id=t2 children=vrrp,check,l7 \
	    all_ready=1 live_parent="$A" last_ok=true no_errors=1 || bad=1
	for n in vrrp check l7; do
		old=$(tr ' ' '\n' <<<"$before" | sed -n "s/^$n=//p")
		new=$(json_get "$KL7_TMP/a-state-4.json" \
		    "[c['pid'] for c in j['children'] if c['name'] == '$n'][0]" 2>/dev/null)
		diag "$n: pid $old -> ${new:-?}"
		if [ -z "$new" ] || [ "$new" = "$old" ]; then
			diag "child $n was not replaced"
			bad=1
		fi
	done
else
	bad=1
fi
[ "$bad" -eq 0 ] || diag_file "$LOG_A" 15
ok "$bad" "SIGHUP with a valid changed file: new router_id, new children, READY=1"

# ---- 9: a second instance with the same pid file
bad=0
rc=0
timeout -k 2 10 ip netns exec "$(ns_name a)" "$kl7_bin" -n -l -f "$(conf_of a)" \
    -p "$(pidfile_of a)" </dev/null >"$KL7_TMP/second.log" 2>&1 || rc=$?
diag "second instance: exit $rc: $(head -n 3 "$KL7_TMP/second.log" | tr '\n' '|')"
[ "$rc" -eq 1 ] || bad=1
grep -q 'already running' "$KL7_TMP/second.log" || { diag "no 'already running'"; bad=1; }
pid_alive "$A" || { diag "the first instance is gone"; bad=1; }
pf=$(cat "$(pidfile_of a)" 2>/dev/null)
[ "${pf//[[:space:]]/}" = "$A" ] || { diag "pid file holds '$pf', want $A"; bad=1; }
ok "$bad" "a second instance with the same pid file exits 1 saying 'already running'"

# ---- 10, 11: SIGTERM
pids="$A $(kl7_children "$A" | awk '{ print $1 }' | tr '\n' ' ')"
diag "processes before SIGTERM: $pids"
n0=$(notify_lines a)
clock_ms; t0=$KL7_NOW
daemon_signal a TERM
bad=0
# shellcheck disable=SC2086
if wait_for 5 all_dead $pids; then
	clock_ms; diag "all gone after $((KL7_NOW - t0)) ms"
else
	for p in $pids; do
		pid_alive "$p" && diag "pid $p ($(cat "/proc/$p/comm" 2>/dev/null)) still runs after 5 s"
	done
	bad=1
fi
if daemon_wait_exit a 2; then
	[ "$DAEMON_STATUS" -eq 0 ] || { diag "exit status $DAEMON_STATUS"; bad=1; }
else
	diag "parent still running"
	bad=1
fi
[ ! -e "$(pidfile_of a)" ] || { diag "pid file $(pidfile_of a) still exists"; bad=1; }
[ "$bad" -eq 0 ] || diag_file "$LOG_A" 10
ok "$bad" "SIGTERM: parent and children gone within 5 s, pid file removed, exit status 0"
if wait_for 2 notify_seen_after a "$n0" STOPPING=1; then
	pass "SIGTERM: STOPPING=1 on the notify socket"
else
	diag "notify after SIGTERM: $(tail -n "+$((n0 + 1))" "$(notify_log a)" | tr '\n' '|')"
	fail "SIGTERM: STOPPING=1 on the notify socket"
fi

# ================================================================ backoff

start_kl7 b
B=$(daemon_pid b)
LOG_B=$(daemon_log b)
bad=0
killed=()
if wait_ready b 10; then
	track_children "$B"
	for i in 1 2 3; do
		old=$(kl7_child_pid "$B" kl7-vrrp | head -n 1)
		[ -n "$old" ] || { diag "no kl7-vrrp child (round $i)"; bad=1; break; }
		clock_ms; t0=$KL7_NOW
		kill -KILL "$old"
		killed+=("$old")
		if ! wait_for 5 kl7_child_pid "$B" kl7-vrrp "$old"; then
			diag "round $i: no new kl7-vrrp within 5 s"
			bad=1
			break
		fi
		clock_ms; dt=$((KL7_NOW - t0))
		track_children "$B"
		diag "round $i: kl7-vrrp pid $old killed, new one after $dt ms"
	done
else
	diag "no READY=1 within 10 s"
	bad=1
fi
delays=()
for p in "${killed[@]+"${killed[@]}"}"; do
	line=$(grep -F "child vrrp (pid $p) killed by signal 9; restarting in " "$LOG_B" | head -n 1)
	d=$(sed -n 's/.*restarting in \([0-9.]*\) s.*/\1/p' <<<"$line")
	delays+=("${d:-none}")
done
diag "logged delays: ${delays[*]-}"
if [ "${#delays[@]}" -ne 3 ] ||
    ! awk -v a="${delays[0]}" -v b="${delays[1]}" -v c="${delays[2]}" 'BEGIN {
	exit !(a + 0 == 0.1 && b + 0 == 0.2 && c + 0 == 0.4 && a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && c ~ /^[0-9.]+$/) }'; then
	diag "want 0.1 0.2 0.4"
	bad=1
fi
[ "$bad" -eq 0 ] || diag_file "$LOG_B" 15
ok "$bad" "respawn backoff doubles: 0.1, 0.2, 0.4 s for three kills in a row"
stop_quietly b

# ================================================================ -P, -C

for v in P:vrrp C:check; do
	opt=${v%%:*} n=${v#*:} name=only$n
	start_kl7 "$name" "-$opt"
	p=$(daemon_pid "$name")
	bad=0
	wait_ready "$name" 10 || { diag "no READY=1 within 10 s"; bad=1; }
	track_children "$p"
	names=$(kl7_child_names "$p")
	diag "-$opt: children: ${names:-none}"
	[ "$names" = "kl7-$n" ] || bad=1
	[ "$bad" -eq 0 ] || diag_file "$(daemon_log "$name")" 10
	ok "$bad" "-$opt runs only kl7-$n"
	stop_quietly "$name"
done

# ================================================================ daemon mode

make_ns d
write_conf d t1 100
pfile=$(pidfile_of d)
daemon_start_raw d d -- "$kl7_bin" -l -f "$(conf_of d)" -p "$pfile"
L=$(daemon_pid d)
bad=0
if daemon_wait_exit d 5; then
	diag "the started process $L exited with status $DAEMON_STATUS"
	[ "$DAEMON_STATUS" -eq 0 ] || bad=1
else
	diag "the started process $L did not exit within 5 s: not daemonized"
	bad=1
fi
pidfile_names_daemon() {
	local p
	p=$(cat "$pfile" 2>/dev/null) || return 1
	p=${p//[[:space:]]/}
	[ -n "$p" ] && [ "$p" != "$L" ] && pid_alive "$p" &&
	    [ "$(cat "/proc/$p/comm")" = keepalive-l7 ]
}
D=""
if wait_for 5 pidfile_names_daemon; then
	D=$(tr -d '[:space:]' <"$pfile")
	track_pid "$D"
	wait_for 10 children_are "$D" "kl7-check kl7-l7 kl7-vrrp"
	track_children "$D"
	names=$(kl7_child_names "$D")
	diag "pid file: $D, its children: ${names:-none}"
	[ "$names" = "kl7-check kl7-l7 kl7-vrrp" ] || bad=1
	pids="$D $(kl7_children "$D" | awk '{ print $1 }' | tr '\n' ' ')"
	kill -TERM "$D"
	# shellcheck disable=SC2086
	wait_for 5 all_dead $pids || { diag "still running 5 s after SIGTERM: $pids"; bad=1; }
	wait_for 1 test ! -e "$pfile" || { diag "pid file still exists"; bad=1; }
else
	diag "pid file $pfile: '$(cat "$pfile" 2>/dev/null)', not a running keepalive-l7 other than $L"
	bad=1
fi
[ "$bad" -eq 0 ] || diag_file "$(daemon_log d)" 10
ok "$bad" "without -n: daemonizes, pid file holds the parent, SIGTERM stops it"
