#!/bin/bash
# How the VRRP byte vectors in test/unit/test_vrrp_packet.c were made:
# Debian's keepalived (2.2.7) as MASTER in a throwaway network namespace,
# tcpdump printing its first advert in hex.  Needs root, keepalived, tcpdump.
set -eu
ns=kl7cap$$
tmp=$(mktemp -d)
trap 'ip netns del $ns 2>/dev/null; rm -rf $tmp' EXIT
ip netns add "$ns"
ip -n "$ns" link add veth0 type veth peer name veth1
ip -n "$ns" link set veth0 up
ip -n "$ns" link set veth1 up
ip -n "$ns" addr add 192.0.2.1/24 dev veth0
ip -n "$ns" addr add 2001:db8::1/64 dev veth0 nodad

capture() {	# capture VERSION FAMILY
	local v=$1 fam=$2 vip auth=""
	if [ "$fam" = 4 ]; then vip=$'192.0.2.100/24\n192.0.2.101/24'; else vip=2001:db8::100/64; fi
	[ "$v" = 2 ] && auth=$'authentication {\nauth_type PASS\nauth_pass secret1\n}'
	printf 'vrrp_instance V {\nstate MASTER\ninterface veth0\nvirtual_router_id 42\npriority 200\nadvert_int 1\nversion %s\n%s\nvirtual_ipaddress {\n%s\n}\n}\n' \
		"$v" "$auth" "$vip" >"$tmp/k.conf"
	ip netns exec "$ns" tcpdump -Z root -i veth0 -c 1 -x -v 'ip proto 112 or ip6 proto 112' 2>/dev/null &
	local t=$!
	ip netns exec "$ns" keepalived -n -P -f "$tmp/k.conf" -p "$tmp/k.pid" -r "$tmp/v.pid" &
	local k=$!
	wait "$t"
	kill "$k"
	wait "$k" || true
}
capture 2 4
capture 3 4
capture 3 6
