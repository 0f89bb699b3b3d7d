#!/bin/bash
# The demo command: install Debian packages, build, and run an
# active/passive pair on the embedded sample config (conf/keepalive-l7.conf,
# one file for both nodes through @lb1 / @^lb1 lines) in network
# namespaces this script makes and removes:
#
#   lb1 eth0 198.51.100.11 --+
#   lb2 eth0 198.51.100.12 --+-- bridge --  client 198.51.100.50
#
# It shows what exists today: config checking, the VIP on the master,
# a crashed child replaced without moving the VIP, a broken reload refused,
# and a failover when the master stops, measured from the client.  Health
# checks and HTTP forwarding join it as they land.
# Run as root: sudo bash test/scripts/demo.sh
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=test/scripts/deps.sh
. "$top/test/scripts/deps.sh"

t0=$(date +%s.%N)
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
event() { printf '%7.2fs  %s\n' "$(echo "$(date +%s.%N) - $t0" | bc)" "$*"; }

say "installing Debian packages and building"
kl7_install_deps
(cd "$top" && ./autogen.sh >/dev/null 2>&1)
mkdir -p "$top/build" && cd "$top/build"
[ -f Makefile ] || "$top/configure" -q
make -j2 >/dev/null
bin=$top/build/keepalive-l7/keepalive-l7
conf=$top/conf/keepalive-l7.conf
vip=198.51.100.10

p=kl7demo$$
tmp=$(mktemp -d)
declare -A pid=()
cleanup() {
	for n in "${!pid[@]}"; do kill "${pid[$n]}" 2>/dev/null || true; done
	wait 2>/dev/null || true
	for n in sw lb1 lb2 cl; do ip netns del "$p-$n" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# wait_for SECONDS CMD...: poll until CMD succeeds; if it never does, show
# the nodes' logs and stop the demo.
wait_for() {
	local end=$((SECONDS + $1)); shift
	until "$@" >/dev/null 2>&1; do
		if [ "$SECONDS" -ge "$end" ]; then
			echo "demo: gave up waiting for: $*" >&2
			tail -n 15 "$tmp"/lb*.log >&2 2>/dev/null
			exit 1
		fi
		sleep 0.05
	done
}
holder() {	# which node holds the VIP
	local n
	for n in lb1 lb2; do
		ip -n "$p-$n" -br addr show dev eth0 | grep -q " $vip/" && { echo "$n"; return; }
	done
	echo none
}
is_holder() { [ "$(holder)" = "$1" ]; }

say "checking the sample config for both nodes (keepalive-l7 -t -i lb1 / -i lb2)"
"$bin" -t -f "$conf" -i lb1
"$bin" -t -f "$conf" -i lb2
say "a config with mistakes: every error is FILE:LINE: message (first 5 of 20)"
"$bin" -t -f "$top/test/unit/configs/twenty_mistakes.conf" 2>&1 | head -n 5 || true

say "building the network: a bridge, two load balancers, a client"
ip netns add "$p-sw"
ip -n "$p-sw" link add br0 type bridge
ip -n "$p-sw" link set br0 up
i=0
for n in lb1 lb2 cl; do
	i=$((i + 1))
	case $n in lb1) a=11 ;; lb2) a=12 ;; cl) a=50 ;; esac
	ip netns add "$p-$n"
	ip -n "$p-$n" link set lo up
	ip link add "kd$$a$i" type veth peer name "kd$$b$i"
	ip link set "kd$$a$i" netns "$p-$n" name eth0
	ip link set "kd$$b$i" netns "$p-sw" name "p$i"
	ip -n "$p-sw" link set "p$i" master br0 up
	ip -n "$p-$n" link set eth0 up
	ip -n "$p-$n" addr add "198.51.100.$a/24" dev eth0
done
# The sample's state_file is /run/...; the demo keeps its files in $tmp.
sed "s|state_file .*|state_file $tmp/state.json|" "$conf" >"$tmp/lb.conf"

start() {	# start NODE
	ip netns exec "$p-$1" "$bin" -n -l -i "$1" -f "$tmp/lb.conf" -p "$tmp/$1.pid" \
	    2>"$tmp/$1.log" &
	pid[$1]=$!
}
say "starting lb1, then lb2, with the same file (lb1 has the higher priority)"
# lb1 first: with the sample's preempt_delay 30, a node that comes second
# waits 30 s before taking the VIP from one that already holds it.
start lb1
wait_for 10 is_holder lb1
start lb2
wait_for 10 grep -q "INIT -> BACKUP" "$tmp/lb2.log"
event "VIP $vip is on $(holder); $(grep -h 'VRRP VI_WEB' "$tmp/lb1.log" | tail -n 1 | cut -d' ' -f4-)"
ip netns exec "$p-cl" ping -D -n -i 0.01 -w 60 "$vip" >"$tmp/ping.log" 2>&1 &
pid[ping]=$!
wait_for 5 grep -q 'bytes from' "$tmp/ping.log"
event "the client pings the VIP every 10 ms"

say "kill -9 of lb1's VRRP child: a new one resumes MASTER, the VIP stays"
old=$(pgrep -P "${pid[lb1]}" -x kl7-vrrp)
kill -9 "$old"
wait_for 3 sh -c "pgrep -P ${pid[lb1]} -x kl7-vrrp | grep -vx $old"
wait_for 3 grep -q "resuming as MASTER" "$tmp/lb1.log"
event "new VRRP child $(pgrep -P "${pid[lb1]}" -x kl7-vrrp); VIP on $(holder)"

say "SIGHUP with a broken config on lb1: refused, nothing changes"
cp "$tmp/lb.conf" "$tmp/good.conf"
sed -i 's/priority 150/priority 300/' "$tmp/lb.conf"
kill -HUP "${pid[lb1]}"
wait_for 5 grep -q "reload failed" "$tmp/lb1.log"
event "$(grep -h 'out of range' "$tmp/lb1.log" | tail -n 1 | cut -d' ' -f3-)"
event "VIP still on $(holder)"
cp "$tmp/good.conf" "$tmp/lb.conf"

say "SIGTERM to lb1 (the master): it sends priority 0, lb2 takes over"
kill -TERM "${pid[lb1]}"
wait "${pid[lb1]}" || true
unset 'pid[lb1]'
wait_for 5 is_holder lb2
event "VIP on $(holder); $(grep -h 'VRRP VI_WEB' "$tmp/lb2.log" | tail -n 1 | cut -d' ' -f4-)"
wait_for 3 ip netns exec "$p-cl" ping -c 1 -W 0.3 "$vip"
kill -INT "${pid[ping]}"; wait "${pid[ping]}" 2>/dev/null || true; unset 'pid[ping]'
gap=$(python3 -c '
import re, sys
ts = [float(m) for m in re.findall(r"^\[(\d+\.\d+)\] \d+ bytes", open(sys.argv[1]).read(), re.M)]
print(int(max(b - a for a, b in zip(ts, ts[1:])) * 1000))' "$tmp/ping.log")
replies=$(grep -c 'bytes from' "$tmp/ping.log")

say "summary"
echo "  client: $replies ping replies; longest gap during the failover: ${gap} ms"
echo "  lb2 took over within one Skew_Time of lb1's priority-0 advert"
echo "  a crashed VRRP child and a broken reload moved nothing"
echo "  health checks and HTTP forwarding are next (see README)"
