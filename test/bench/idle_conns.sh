#!/bin/bash
# Idle-connection memory test: 9,000 idle keep-alive client connections held
# by keepalive-l7 and by HAProxy in the same run; memory per idle connection
# (sum of PSS of all the proxy's processes, before and after) for both, and
# a check that every connection is still open and that a request on a sample
# of them still succeeds.  See test/bench/README.md.
#
#   test/bench/idle_conns.sh [-n CONNS] [-H HOLD_S] [-o FILE] [-k] [-N]
#
# It is the idle mode of l7_bench.sh (same set-up, same environment
# variables: KL7_BIN, KL7_HAPROXY, KL7_NGINX, ...).
exec "$(dirname "${BASH_SOURCE[0]}")/l7_bench.sh" -m idle "$@"
