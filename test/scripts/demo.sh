#!/bin/bash
# The demo command: install Debian packages, build, and show what the
# daemon does today on the embedded sample config (conf/keepalive-l7.conf),
# inside a network namespace it makes and removes.  It grows with the
# product; VRRP failover, health checks and forwarding join it as they land.
# Run as root: sudo bash test/scripts/demo.sh
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=test/scripts/deps.sh
. "$top/test/scripts/deps.sh"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "installing Debian packages and building"
kl7_install_deps
(cd "$top" && ./autogen.sh >/dev/null 2>&1)
mkdir -p "$top/build" && cd "$top/build"
[ -f Makefile ] || "$top/configure" -q
make -j2 >/dev/null
bin=$top/build/keepalive-l7/keepalive-l7
conf=$top/conf/keepalive-l7.conf

ns=kl7demo$$
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

wait_for() {	# wait_for SECONDS CMD...: poll until CMD succeeds
	local end=$((SECONDS + $1)); shift
	until "$@"; do
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 0.05
	done
}

say "checking the sample config for both nodes (keepalive-l7 -t -i lb1 / -i lb2)"
"$bin" -t -f "$conf" -i lb1
"$bin" -t -f "$conf" -i lb2

say "a config with mistakes: every error is FILE:LINE: message"
"$bin" -t -f "$top/test/unit/configs/twenty_mistakes.conf" 2>&1 | head -n 6 || true
echo "..."

say "starting node lb1 in network namespace $ns"
ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add eth0 type dummy
ip -n "$ns" link set eth0 up
ip -n "$ns" addr add 198.51.100.11/24 dev eth0
# The demo writes its own pid/state files, not the system's.
sed "s|state_file .*|state_file $tmp/state.json|" "$conf" >"$tmp/lb.conf"
ip netns exec "$ns" "$bin" -n -l -i lb1 -f "$tmp/lb.conf" -p "$tmp/pid" 2>"$tmp/log" &
pid=$!
wait_for 5 grep -q "all children ready" "$tmp/log"
ps -o pid,ppid,comm --ppid "$pid" --pid "$pid"

say "kill -9 of the VRRP child: the parent restarts it"
old=$(pgrep -P "$pid" -x kl7-vrrp)
kill -9 "$old"
wait_for 2 sh -c "pgrep -P $pid -x kl7-vrrp | grep -vx $old"
grep "restarting in" "$tmp/log" | tail -n 1
echo "new VRRP child: pid $(pgrep -P "$pid" -x kl7-vrrp)"

say "SIGHUP with a broken config: the running one stays"
cp "$tmp/lb.conf" "$tmp/good.conf"
sed -i 's/priority 150/priority 300/' "$tmp/lb.conf"
kill -HUP "$pid"
wait_for 5 grep -q "reload failed" "$tmp/log"
grep -E "reload failed|out of range" "$tmp/log" | tail -n 2
cp "$tmp/good.conf" "$tmp/lb.conf"

say "SIGUSR1: state as JSON ($tmp/state.json)"
kill -USR1 "$pid"
wait_for 5 test -s "$tmp/state.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps({k: d[k] for k in ("pid", "children", "reloads", "last_reload", "vrrp")}, indent=1))' "$tmp/state.json"

say "SIGTERM: everything stops"
kill -TERM "$pid"
wait "$pid"; echo "exit status $?"; pid=
tail -n 4 "$tmp/log"
say "done"
