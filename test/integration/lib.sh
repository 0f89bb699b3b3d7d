#!/bin/bash
# shellcheck shell=bash
#
# Integration-test library, sourced by every test/integration/t_*.sh.
#
#   . "$(dirname "$0")/lib.sh"
#
# stdout is TAP only (for automake's tap-driver); everything else goes to
# files under $KL7_TMP or to "# " diagnostic lines.
#
# TAP:      plan N | done_testing | pass DESC | fail DESC | ok RC DESC |
#           check DESC CMD... | todo_check REASON DESC CMD... |
#           skip REASON DESC | skip_all REASON |
#           diag MSG... | diag_file FILE [MAXLINES] | bail_out MSG
# Paths:    $kl7_bin, $KL7_TOP_SRCDIR, $KL7_TOP_BUILDDIR, $KL7_TMP (per run)
# Netns:    netns_add NAME (makes "${KL7_NS_PREFIX}NAME", lo up, removed at
#           exit), ns_name NAME, ns_exec NAME CMD..., link_add_dummy NAME IF,
#           lb_ns ADDR/LEN... (netns lb, dummy d0 with the addresses)
# One node: lb_backends LOG PORT... -- ECHO_BACKEND_ARGS..., kl7_up CONF
# Waiting:  wait_for TIMEOUT_S CMD... (poll every 20 ms), holds_for SECONDS
#           CMD... (true at every poll for that long), now_ms, clock_ms
# Processes: daemon_start, daemon_start_raw, daemon_pid, daemon_log,
#           daemon_signal, daemon_wait_exit (sets DAEMON_STATUS), pid_alive,
#           pid_dead, track_pid, kl7_children, kl7_child_pid, kl7_child_names,
#           check_stop_clean
# Logs:     log_has FILE ERE, log_count FILE ERE, log_count_gt FILE ERE N
# Repeats:  same_answer N WANT CMD... (CMD prints WANT N times in a row)
# Notify:   notify_listen NAME (a python3 listener on $(notify_sock NAME)
#           writing one line per datagram to $(notify_log NAME)),
#           notify_count, notify_lines, notify_seen_after
# JSON:     json_get FILE PYTHON-EXPR
# Cleanup:  automatic (trap on EXIT INT TERM); KL7_KEEP_TMP=1|fail keeps
#           $KL7_TMP for a post-mortem.
#
# Every process started here is recorded by pid (with its start time, so a
# reused pid is never signalled) and ended at exit; nothing is killed by name.

set -u

# ---------------------------------------------------------------- paths

_kl7_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${KL7_TOP_SRCDIR:=$(cd "$_kl7_lib_dir/../.." && pwd)}"
: "${KL7_TOP_BUILDDIR:=$KL7_TOP_SRCDIR}"
export KL7_TOP_SRCDIR KL7_TOP_BUILDDIR
kl7_bin="$KL7_TOP_BUILDDIR/keepalive-l7/keepalive-l7"
# Debian's python3 (the base image has it); any python3 on PATH otherwise.
if [ -x /usr/bin/python3 ]; then
	KL7_PYTHON=/usr/bin/python3
else
	KL7_PYTHON=$(command -v python3 || echo python3)
fi

# ---------------------------------------------------------------- TAP

_tap_n=0
_tap_failed=0
_tap_planned=""
_tap_done=0

plan() {
	_tap_planned=$1
	echo "1..$1"
}

done_testing() {
	_tap_done=1
	if [ -z "$_tap_planned" ]; then
		_tap_planned=$_tap_n
		echo "1..$_tap_n"
	fi
}

# diag MSG...: each line of MSG as a "# " line.
diag() {
	local line
	while IFS= read -r line; do
		echo "# $line"
	done <<<"$*"
}

# diag_file FILE [MAXLINES]: the last MAXLINES (default 30) lines of FILE.
diag_file() {
	local f=$1 max=${2:-30} line
	[ -f "$f" ] || { diag "($f does not exist)"; return 0; }
	diag "--- last lines of $f:"
	while IFS= read -r line; do
		echo "#   $line"
	done < <(tail -n "$max" "$f")
}

# A "#" in a description would start a TAP directive: escape it.
_tap_desc() {
	local d="$*"
	echo "${d//#/\\#}"
}

pass() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $(_tap_desc "$@")"
}

fail() {
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $(_tap_desc "$@")"
}

# ok RC DESC: ok if RC is 0.
ok() {
	local rc=$1
	shift
	if [ "$rc" -eq 0 ]; then pass "$@"; else fail "$@"; fi
}

# check DESC CMD...: run CMD (its output to the run log), ok if it succeeds.
check() {
	local desc=$1 rc=0
	shift
	"$@" >>"$KL7_TMP/check.log" 2>&1 || rc=$?
	[ "$rc" -eq 0 ] || diag "'$*' failed with status $rc"
	ok "$rc" "$desc"
}

# todo_check REASON DESC CMD...: as check, but a failure is reported as
# "not ok ... # TODO REASON" (a known problem, not counted as a failure).
todo_check() {
	local reason=$1 desc=$2 rc=0
	shift 2
	"$@" >>"$KL7_TMP/check.log" 2>&1 || rc=$?
	if [ "$rc" -eq 0 ]; then
		pass "$desc"
	else
		_tap_n=$((_tap_n + 1))
		echo "not ok $_tap_n - $(_tap_desc "$desc") # TODO $reason"
	fi
}

skip() {
	local reason=$1
	shift
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $* # SKIP $reason"
}

# skip_all REASON: the whole script is skipped (call before any result).
skip_all() {
	echo "1..0 # SKIP $*"
	_tap_planned=0
	_tap_done=1
	exit 0
}

bail_out() {
	echo "Bail out! $*"
	_tap_failed=$((_tap_failed + 1))
	exit 1
}

require_root() {
	[ "$(id -u)" -eq 0 ] || skip_all "needs root (network namespaces)"
}

# ---------------------------------------------------------------- time

# now_ms: wall-clock milliseconds.  clock_ms sets KL7_NOW to the same
# without a fork (EPOCHREALTIME), for the polling loops.
clock_ms() {
	local t=${EPOCHREALTIME/[!0-9]/}
	KL7_NOW=$((10#$t / 1000))
}
now_ms() {
	clock_ms
	echo "$KL7_NOW"
}

# secs_to_ms S: "1.5" -> 1500 (S: digits with an optional fraction).
secs_to_ms() {
	local s=$1 i f=0
	i=${s%%.*}
	[ "$i" = "$s" ] || f=${s#*.}
	f="${f}000"
	echo $((10#${i:-0} * 1000 + 10#${f:0:3}))
}

# wait_for TIMEOUT_S CMD...: run CMD every 20 ms until it succeeds (0) or
# TIMEOUT_S (may be fractional) has passed (1).  CMD's output is discarded.
# CMD runs in this shell (functions welcome); the loop itself forks only
# for the 20 ms sleep.
wait_for() {
	local deadline
	deadline=$(secs_to_ms "$1")
	shift
	clock_ms
	deadline=$((KL7_NOW + deadline))
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		clock_ms
		[ "$KL7_NOW" -lt "$deadline" ] || return 1
		sleep 0.02
	done
}

# holds_for SECONDS CMD...: CMD is true at every 20 ms poll for SECONDS
# (an interval observed, such as "no flap meanwhile"); fails at the first
# poll where it is not.
holds_for() {
	local deadline
	deadline=$(secs_to_ms "$1")
	shift
	clock_ms
	deadline=$((KL7_NOW + deadline))
	while :; do
		"$@" >/dev/null 2>&1 || return 1
		clock_ms
		[ "$KL7_NOW" -lt "$deadline" ] || return 0
		sleep 0.02
	done
}

# ---------------------------------------------------------------- per run

KL7_TMP=$(mktemp -d "${TMPDIR:-/tmp}/kl7-it.XXXXXX") || { echo "Bail out! mktemp -d failed"; exit 1; }
chmod 755 "$KL7_TMP"
KL7_NS_PREFIX="kl7t$$-"
KL7_KEEP_TMP=${KL7_KEEP_TMP:-0}	# 1: keep $KL7_TMP; fail: keep it if a test failed
export KL7_TMP

_kl7_netns=()
declare -A _kl7_daemon_pid=()	# NAME -> pid
declare -A _kl7_daemon_log=()	# NAME -> log file
_kl7_tracked=()			# "pid:starttime" of every process we started

# ---------------------------------------------------------------- processes

# The helpers below read /proc with builtins only (no fork), so that
# polling them every 20 ms measures the daemon, not the test.

# _kl7_stat PID: set _kl7_st to the fields of /proc/PID/stat after
# "(comm) ", i.e. starting at field 3 (state); fails if PID is gone.
_kl7_stat() {
	_kl7_st=""
	[ -n "$1" ] || return 1
	{ read -r _kl7_st <"/proc/$1/stat"; } 2>/dev/null || return 1
	_kl7_st=${_kl7_st##*) }
}

# proc_starttime PID: field 22 of /proc/PID/stat.
proc_starttime() {
	local f
	_kl7_stat "$1" || return 1
	read -r -a f <<<"$_kl7_st"
	echo "${f[19]}"
}

# proc_state PID: the one-letter state (R S D Z ...), fails if gone.
proc_state() {
	_kl7_stat "$1" || return 1
	echo "${_kl7_st%% *}"
}

# pid_alive PID: the process exists and is not a zombie.
pid_alive() {
	_kl7_stat "$1" || return 1
	case ${_kl7_st%% *} in
	Z | X) return 1 ;;
	esac
	return 0
}

pid_dead() {
	! pid_alive "$1"
}

# track_pid PID: end this process at exit if it still runs (checked by pid
# and start time, so a reused pid is left alone).
track_pid() {
	local st
	st=$(proc_starttime "$1") || return 0
	_kl7_tracked+=("$1:$st")
}

# _kl7_end_tracked: TERM every tracked process still running, wait up to 5 s,
# then KILL the rest.
_kl7_end_tracked() {
	local e pid st live=()
	for e in "${_kl7_tracked[@]}"; do
		pid=${e%%:*} st=${e#*:}
		if pid_alive "$pid" && [ "$(proc_starttime "$pid")" = "$st" ]; then
			kill -TERM "$pid" 2>/dev/null && live+=("$e")
		fi
	done
	[ "${#live[@]}" -gt 0 ] || return 0
	wait_for 5 _kl7_all_dead "${live[@]}"
	for e in "${live[@]}"; do
		pid=${e%%:*} st=${e#*:}
		if pid_alive "$pid" && [ "$(proc_starttime "$pid")" = "$st" ]; then
			echo "# cleanup: pid $pid did not stop on SIGTERM; sending SIGKILL"
			kill -KILL "$pid" 2>/dev/null
		fi
	done
}

_kl7_all_dead() {
	local e pid st
	for e in "$@"; do
		pid=${e%%:*} st=${e#*:}
		if pid_alive "$pid" && [ "$(proc_starttime "$pid")" = "$st" ]; then
			return 1
		fi
	done
	return 0
}

# ---------------------------------------------------------------- netns

ns_name() {
	echo "${KL7_NS_PREFIX}$1"
}

# netns_add NAME: create the namespace "${KL7_NS_PREFIX}NAME" with lo up.
netns_add() {
	local ns
	ns=$(ns_name "$1")
	_kl7_netns+=("$ns")
	ip netns add "$ns" || return 1
	ip -n "$ns" link set lo up
}

# ns_exec NAME CMD...: run CMD inside the namespace made by netns_add NAME.
ns_exec() {
	local ns
	ns=$(ns_name "$1")
	shift
	ip netns exec "$ns" "$@"
}

# link_add_dummy NAME IFNAME: a dummy interface IFNAME, up, in the netns
# made by netns_add NAME.  Kernels without the dummy driver get a veth pair
# instead (IFNAME and its peer IFNAMEp, both up, both in the netns), which
# behaves the same for a daemon bound to IFNAME.
_kl7_said_veth=0
link_add_dummy() {
	local ns
	ns=$(ns_name "$1")
	if ! ip -n "$ns" link add "$2" type dummy 2>>"$KL7_TMP/ip.log"; then
		[ "$_kl7_said_veth" -eq 1 ] || echo "# no dummy link type in this kernel: using veth pairs"
		_kl7_said_veth=1
		ip -n "$ns" link add "$2" type veth peer name "${2}p" 2>>"$KL7_TMP/ip.log" || return 1
		ip -n "$ns" link set "${2}p" up || return 1
	fi
	ip -n "$ns" link set "$2" up
}

# lb_ns ADDR/LEN...: the one-node tests' topology, netns "lb" with a
# dummy d0 that holds the addresses; bails out if it cannot be made.
lb_ns() {
	local a opt
	netns_add lb || bail_out "cannot create netns lb"
	link_add_dummy lb d0 || bail_out "cannot add d0: $(tail -n 1 "$KL7_TMP/ip.log")"
	for a in "$@"; do
		# nodad: an IPv6 address is usable at once, not after DAD.
		opt=()
		case $a in *:*) opt=(nodad) ;; esac
		ip -n "$(ns_name lb)" addr add "$a" dev d0 "${opt[@]+"${opt[@]}"}" 2>>"$KL7_TMP/ip.log" ||
		    bail_out "cannot add $a: $(tail -n 1 "$KL7_TMP/ip.log")"
	done
}

# lb_backends LOG PORT... -- ARGS...: echo_backend.py ARGS in lb, logging
# requests to LOG; returns once it listens on every PORT (bails out after 15 s).
lb_backends() {
	local log=$1 ports=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do ports+=("$1"); shift; done
	shift
	ip netns exec "$(ns_name lb)" "$KL7_PYTHON" "$_kl7_lib_dir/echo_backend.py" --log "$log" \
	    "$@" </dev/null >>"$KL7_TMP/backend.out" 2>&1 &
	track_pid "$!"
	wait_for 15 _lb_listening "${ports[@]}" ||
	    bail_out "the backends did not listen on ${ports[*]} within 15 s"
}
_lb_listening() {
	local p
	for p in "$@"; do
		ns_exec lb ss -Hltn "sport = :$p" | grep -q LISTEN || return 1
	done
}

# kl7_up CONF: the daemon "kl7" in lb on CONF, pid file $KL7_TMP/pid (so
# its control socket is $KL7_TMP/pid.sock); bails out unless it is ready.
kl7_up() {
	daemon_start kl7 -N lb -f "$1" -p "$KL7_TMP/pid" ||
	    bail_out "the daemon did not start: $(tail -n 3 "$(daemon_log kl7)")"
	wait_for 10 log_has "$(daemon_log kl7)" "all children ready" ||
	    bail_out "the daemon is not ready: $(tail -n 3 "$(daemon_log kl7)")"
}

# ---------------------------------------------------------------- daemons

# daemon_start NAME [-N NETNS] [-e VAR=VALUE]... [--] ARGS...
#   Start "$kl7_bin -n -l ARGS" in the background, inside netns NETNS (a
#   netns_add NAME) if given, stdout and stderr to $KL7_TMP/NAME.log.  The
#   pid ($(daemon_pid NAME)) is that of keepalive-l7 itself: env and
#   "ip netns exec" exec, they do not fork.
daemon_start() {
	local name=$1 ns="" envs=() pid
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		-N) ns=$2; shift 2 ;;
		-e) envs+=("$2"); shift 2 ;;
		--) shift; break ;;
		*) break ;;
		esac
	done
	daemon_start_raw "$name" "$ns" "${envs[@]+"${envs[@]}"}" -- "$kl7_bin" -n -l "$@"
}

# daemon_start_raw NAME NETNS [VAR=VALUE...] -- CMD...: as daemon_start, any
# command line (e.g. without -n).  NETNS may be "".
daemon_start_raw() {
	local name=$1 ns=$2 envs=() log pre=()
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		envs+=("$1")
		shift
	done
	shift
	log="$KL7_TMP/$name.log"
	[ -n "$ns" ] && pre=(ip netns exec "$(ns_name "$ns")")
	env "${envs[@]+"${envs[@]}"}" "${pre[@]+"${pre[@]}"}" "$@" </dev/null >>"$log" 2>&1 &
	_kl7_daemon_pid[$name]=$!
	_kl7_daemon_log[$name]=$log
	track_pid "$!"
	# exec from env / ip to keepalive-l7 keeps the pid; the start time of
	# the pid does not change with exec, so track_pid is valid already.
	return 0
}

daemon_pid() {
	echo "${_kl7_daemon_pid[$1]}"
}

daemon_log() {
	echo "$KL7_TMP/$1.log"
}

# daemon_signal NAME SIG: fails (with a diagnostic) if the daemon is gone.
daemon_signal() {
	local pid=${_kl7_daemon_pid[$1]:-}
	pid_alive "$pid" && kill -s "$2" "$pid" 2>/dev/null && return 0
	echo "# cannot send SIG$2 to daemon $1 (pid $pid): not running"
	return 1
}

# daemon_wait_exit NAME TIMEOUT_S: wait for the daemon to end; sets
# DAEMON_STATUS to its exit status (as `wait` gives it: 128+N for signal N)
# and returns 0, or returns 1 on timeout.  Not in a $(...) subshell: only
# this shell can `wait` for its own children.
# shellcheck disable=SC2034	# DAEMON_STATUS is for the test scripts
DAEMON_STATUS=""
# shellcheck disable=SC2034
daemon_wait_exit() {
	local pid=${_kl7_daemon_pid[$1]:-}
	DAEMON_STATUS=""
	[ -n "$pid" ] || return 1	# never started
	wait_for "$2" pid_dead "$pid" || return 1
	DAEMON_STATUS=0
	wait "$pid" 2>/dev/null || DAEMON_STATUS=$?
}

# log_has FILE ERE: FILE has a line matching the extended regex.
log_has() {
	grep -Eq -- "$2" "$1" 2>/dev/null
}

# log_count FILE ERE: number of matching lines (0 if FILE does not exist).
log_count() {
	local n
	n=$(grep -Ec -- "$2" "$1" 2>/dev/null)
	echo "${n:-0}"
}

# log_count_gt FILE ERE N: more than N lines match (for wait_for: the count
# must be taken at each try, not once in a $(...) on wait_for's line).
log_count_gt() {
	[ "$(log_count "$1" "$2")" -gt "$3" ]
}

# same_answer N WANT CMD...: CMD, run N times, prints WANT (newlines
# dropped) every time; the first other answer is a diagnostic.
same_answer() {
	local i got n=$1 want=$2
	shift 2
	for i in $(seq 1 "$n"); do
		got=$("$@" | tr -d '\n')
		[ "$got" = "$want" ] || { diag "try $i of $*: '$got', not '$want'"; return 1; }
	done
}

# check_stop_clean NAME: two results: SIGTERM stops daemon NAME with
# status 0 within 10 s; its log has no sanitizer report.
check_stop_clean() {
	local bad=0
	daemon_signal "$1" TERM || bad=1
	daemon_wait_exit "$1" 10 || { diag "keepalive-l7 did not stop within 10 s"; bad=1; }
	[ "${DAEMON_STATUS:-x}" = 0 ] || { diag "exit status ${DAEMON_STATUS:-none}"; bad=1; }
	ok "$bad" "SIGTERM stops keepalive-l7 with status 0"
	check "no sanitizer report in the log" \
	    test "$(log_count "$(daemon_log "$1")" 'AddressSanitizer|LeakSanitizer|runtime error:')" = 0
}

# ---------------------------------------------------------------- fd limits

# fd_squeeze PID EXTRA: lower PID's soft limit on open files to what it
# holds now + EXTRA (the old limits kept for fd_unsqueeze).
fd_squeeze() {
	local n
	n=$(ls "/proc/$1/fd" | wc -l)
	_kl7_fd_lim=$(prlimit --pid "$1" --nofile --output SOFT,HARD --noheadings |
	    awk '{ print $1 ":" $2 }')
	prlimit --pid "$1" --nofile=$((n + $2)):"${_kl7_fd_lim#*:}"
}
fd_unsqueeze() { prlimit --pid "$1" --nofile="$_kl7_fd_lim"; }

# spin_ticks PID: CPU time PID uses over 2 s, in ticks of 1/100 s, into
# SPIN_TICKS (a process spinning on a readable fd would use ~200).
spin_ticks() {
	local t0
	t0=$(awk '{ print $14 + $15 }' "/proc/$1/stat")
	sleep 2		# the measured interval, not a wait for a condition
	SPIN_TICKS=$(($(awk '{ print $14 + $15 }' "/proc/$1/stat") - t0))
}

# ---------------------------------------------------------------- children

# _kl7_kids PARENT: set the array _kl7_kids to the pids of PARENT's
# children (from /proc/PARENT/task/*/children, or pgrep without it).
_kl7_kids() {
	local f line
	_kl7_kids=()
	if [ -e "/proc/$1/task/$1/children" ]; then
		for f in /proc/"$1"/task/*/children; do
			line=""
			# no newline at the end of this file: read fails, line is set
			{ read -r line <"$f"; } 2>/dev/null
			# shellcheck disable=SC2206
			_kl7_kids+=($line)
		done
	else
		mapfile -t _kl7_kids < <(pgrep -P "$1")
	fi
}

# kl7_children PARENT: "PID COMM" of every live child of PARENT.
kl7_children() {
	local p comm
	_kl7_kids "$1"
	for p in "${_kl7_kids[@]+"${_kl7_kids[@]}"}"; do
		pid_alive "$p" || continue
		{ read -r comm <"/proc/$p/comm"; } 2>/dev/null || continue
		echo "$p $comm"
	done
}

# kl7_child_pid PARENT COMM [EXCLUDE_PID]: pid(s) of live children named
# COMM, other than EXCLUDE_PID; fails if there is none.
kl7_child_pid() {
	local p comm found=1
	_kl7_kids "$1"
	for p in "${_kl7_kids[@]+"${_kl7_kids[@]}"}"; do
		[ "$p" != "${3:-}" ] || continue
		pid_alive "$p" || continue
		{ read -r comm <"/proc/$p/comm"; } 2>/dev/null || continue
		[ "$comm" = "$2" ] || continue
		echo "$p"
		found=0
	done
	return "$found"
}

# kl7_child_names PARENT: sorted, space-separated comm names of the children.
kl7_child_names() {
	kl7_children "$1" | awk '{ print $2 }' | sort | tr '\n' ' ' | sed 's/ $//'
}

# ---------------------------------------------------------------- sd_notify

notify_sock() { echo "$KL7_TMP/notify-$1.sock"; }
notify_log() { echo "$KL7_TMP/notify-$1.log"; }

# notify_listen NAME: bind an AF_UNIX SOCK_DGRAM socket at $(notify_sock
# NAME) and append every datagram received as one line (its newlines
# turned into spaces) to $(notify_log NAME).  Returns once the socket exists.
notify_listen() {
	local sock log
	sock=$(notify_sock "$1")
	log=$(notify_log "$1")
	rm -f "$sock"
	: >"$log"
	"$KL7_PYTHON" -c '
import os, socket, sys
path, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
os.chmod(path, 0o777)
with open(out, "a", buffering=1) as f:
    while True:
        d = s.recv(65536)
        f.write(d.decode("utf-8", "replace").strip("\n").replace("\n", " ") + "\n")
' "$sock" "$log" </dev/null >>"$KL7_TMP/notify-$1.err" 2>&1 &
	track_pid "$!"
	wait_for 5 test -S "$sock"
}

# notify_count NAME WORD: how many datagrams so far hold the assignment WORD
# (e.g. READY=1).
notify_count() {
	grep -Ec -- "(^| )$2( |\$)" "$(notify_log "$1")" 2>/dev/null || true
}

# notify_seen_after NAME LINE WORD: a datagram after line LINE of the log
# holds WORD.
notify_seen_after() {
	tail -n "+$(($2 + 1))" "$(notify_log "$1")" | grep -Eq -- "(^| )$3( |\$)"
}

# notify_lines NAME: number of datagrams received so far.
notify_lines() {
	wc -l <"$(notify_log "$1")"
}

# ---------------------------------------------------------------- JSON

# json_get FILE EXPR: print the Python expression EXPR evaluated with `j`
# bound to the JSON in FILE (strings raw, the rest as JSON).
# State dumps (SIGUSR1 writes the state_file), read by state_cond.py:
# in EXPR, j is the dump, rs(VS, RS) a server, vs(VS) a virtual server.
# state_dump NAME FILE: a fresh dump of daemon NAME in FILE.
state_dump() {
	rm -f "$2"
	daemon_signal "$1" USR1 >/dev/null || return 1
	wait_for 3 test -s "$2"
}
# state_is FILE EXPR: the dump in FILE satisfies EXPR.
state_is() {
	"$KL7_PYTHON" "$KL7_TOP_SRCDIR/test/integration/state_cond.py" "$1" "$2"
}
# state_show FILE EXPR: the value of EXPR in the dump in FILE.
state_show() {
	"$KL7_PYTHON" "$KL7_TOP_SRCDIR/test/integration/state_cond.py" -v "$1" "$2"
}

json_get() {
	"$KL7_PYTHON" - "$1" "$2" <<'EOF'
import json, sys
with open(sys.argv[1]) as f:
    j = json.load(f)
v = eval(sys.argv[2], {"j": j})
print(v if isinstance(v, str) else json.dumps(v))
EOF
}

# ---------------------------------------------------------------- cleanup

_kl7_cleaned=0

# cleanup [STATUS]: end every process we started (by pid), remove every
# netns we made and the temp dir, and exit 1 if any test failed, the plan
# was not met, or STATUS (the script's own status) is not 0.
cleanup() {
	local status=${1:-$?} ns
	[ "$_kl7_cleaned" -eq 0 ] || return 0
	_kl7_cleaned=1
	trap - EXIT INT TERM
	# A reader that went away (| head) must not stop the cleanup half-way.
	trap '' PIPE
	_kl7_end_tracked
	for ns in "${_kl7_netns[@]+"${_kl7_netns[@]}"}"; do
		if [ -e "/run/netns/$ns" ]; then
			ip netns del "$ns" 2>/dev/null || echo "# cleanup: could not remove netns $ns"
		fi
	done
	if [ "$KL7_KEEP_TMP" = 1 ] || { [ "$KL7_KEEP_TMP" = fail ] && [ "$_tap_failed" -gt 0 ]; }; then
		echo "# kept $KL7_TMP"
	else
		rm -rf "$KL7_TMP"
	fi
	if [ "$_tap_done" -eq 0 ] && [ -z "$_tap_planned" ]; then
		fail "script ended before done_testing (status $status)"
		echo "1..$_tap_n"
	elif [ -n "$_tap_planned" ] && [ "$_tap_n" -ne "$_tap_planned" ]; then
		echo "# planned $_tap_planned tests but ran $_tap_n"
		status=1
	fi
	[ "$_tap_failed" -eq 0 ] || status=1
	exit "$status"
}

trap 'cleanup' EXIT
trap 'cleanup 130' INT
trap 'cleanup 143' TERM
