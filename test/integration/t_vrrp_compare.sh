#!/bin/bash
# Client-visible outage (ping every 10 ms through the VIP) for keepalive-l7
# and for Debian's keepalived on both nodes, in the same topology with the
# same priorities (250 / 200) and VRRP v3:
#   cut-0.1   the master's switch port goes down, advert_int 0.1
#   cut-1     the same, advert_int 1
#   term-0.1  the master daemon gets SIGTERM, advert_int 0.1
# keepalive-l7 must stay within the RFC bounds (3 x advert_int + skew, plus
# a margin); keepalived's figures are reported beside them.
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=topo.sh
. "$(dirname "$0")/topo.sh"

require_root
plan 7

VIP4=$TOPO_VIP4
topo_up || bail_out "could not build the topology"
command -v keepalived >/dev/null || bail_out "keepalived is not installed"

start_pair() {	# start_pair STACK ADVERT_INT
	if [ "$1" = kl7 ]; then
		write_conf lb1 250 "$2"
		write_conf lb2 200 "$2"
		start_node lb1
		start_node lb2
	else
		ka_conf lb1 250 "$2"
		ka_conf lb2 200 "$2"
		ka_start lb1
		wait_for 10 has_addr lb1 "$VIP4"
		ka_start lb2
	fi
	wait_for 10 only_master lb1 lb2
}

stop_pair() {
	if [ "$1" = kl7 ]; then
		stop_node lb1 2>/dev/null
		stop_node lb2
	else
		ka_stop lb1 2>/dev/null
		ka_stop lb2
	fi
	topo_port lb1 up
	wait_for 5 bash -c "! ip -n $(ns_name lb1) -br addr show dev eth0 | grep -q '$VIP4/'"
}

fail_master() {	# fail_master STACK SCENARIO
	case $2 in
	cut-*) topo_port lb1 down ;;
	term-*) if [ "$1" = kl7 ]; then daemon_signal lb1 TERM; else daemon_signal ka-lb1 TERM; fi ;;
	esac
}

declare -A gap
measure() {	# measure STACK SCENARIO: sets gap[STACK-SCENARIO] in ms
	local stack=$1 what=$2
	gap[$stack-$what]=999999
	start_pair "$stack" "${what#*-}" || return
	measure_outage "$stack-$what" lb2 fail_master "$stack" "$what"
	gap[$stack-$what]=$OUTAGE_MS
	stop_pair "$stack" >/dev/null 2>&1
}

for what in cut-0.1 cut-1 term-0.1; do
	for stack in kl7 keepalived; do
		measure "$stack" "$what"
	done
	diag "$what: keepalive-l7 ${gap[kl7-$what]} ms, keepalived ${gap[keepalived-$what]} ms"
done

within() { [ "${gap[kl7-$1]}" -le "$2" ]; }
check "link cut, advert_int 0.1: keepalive-l7 ${gap[kl7-cut-0.1]} ms <= 400 ms" within cut-0.1 400
check "link cut, advert_int 1: keepalive-l7 ${gap[kl7-cut-1]} ms <= 3800 ms" within cut-1 3800
check "SIGTERM, advert_int 0.1: keepalive-l7 ${gap[kl7-term-0.1]} ms <= 200 ms" within term-0.1 200
for what in cut-0.1 cut-1 term-0.1; do
	check "keepalived measured for $what (${gap[keepalived-$what]} ms)" \
	    test "${gap[keepalived-$what]}" -lt 999999
done
# The results table for the README and the closing note.
{
	echo "| scenario | keepalive-l7 | keepalived 2.2 |"
	echo "|---|---|---|"
	for what in cut-0.1 cut-1 term-0.1; do
		echo "| $what | ${gap[kl7-$what]} ms | ${gap[keepalived-$what]} ms |"
	done
} >"$KL7_TOP_BUILDDIR/vrrp-outages.md"
diag_file "$KL7_TOP_BUILDDIR/vrrp-outages.md" 10
ok 0 "results written to vrrp-outages.md in the build directory"

done_testing
