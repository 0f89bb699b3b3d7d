#!/bin/bash
# L7 proxy benchmark: keepalive-l7 against HAProxy and a direct connection
# to the backend, in one run, with wrk on loopback.  Not part of
# `make check`; run by hand, as root (for the network namespace and the
# file-descriptor limits), see test/bench/README.md.
#
#   test/bench/l7_bench.sh [-d SECONDS] [-r ROUNDS] [-o FILE] [-w WORKLOADS]
#                          [-t TARGETS] [-J FILE] [-k] [-N]
#   test/bench/l7_bench.sh -m idle [-n CONNS] [-H HOLD_S] [-o FILE] [-k] [-N]
#                                     (what test/bench/idle_conns.sh runs)
#   test/bench/l7_bench.sh -m syscalls [-d SECONDS] [-w WORKLOADS] [-o FILE]
#                                     (syscalls per request, strace -c -f)
#
#   -m bench|idle|syscalls  mode (default bench)
#   -d SECONDS     length of each measured wrk run (default 10)
#   -r ROUNDS      rounds per workload; each round runs every target once,
#                  in a rotating order (default 3)
#   -w LIST        workloads, comma separated: ka,close,big,mix (default all)
#                    ka    keep-alive, 1 KB responses, 100 connections
#                    close Connection: close, 1 KB responses, 50 connections
#                    big   keep-alive, 16 MB responses, 4 connections
#                    mix   content routing: 10 http_route rules over 4 pools
#                          (4 nginx server blocks, one process), a request
#                          mix hitting every rule and the default; 1 KB
#                          responses, keep-alive, 100 connections
#   -t LIST        targets: kl7,haproxy,direct (default all)
#   -o FILE        Markdown report (default test/bench/results/l7-YYYYMMDD.md,
#                  or idle-YYYYMMDD.md in idle mode)
#   -J FILE        also write the medians (bench mode) or the memory figures
#                  (idle mode) as JSON, for test/bench/run.sh
#   -n CONNS       idle mode: idle keep-alive connections per proxy (9000)
#   -H HOLD_S      idle mode: how long they stay idle before the check (10)
#   -k             keep the temporary directory (configs, logs, raw wrk output)
#   -N             no network namespace: plain loopback of the host, free
#                  ports picked at random (the default is a namespace of
#                  our own, so no port of anyone else can collide)
#
# Environment:
#   KL7_BIN            the daemon (default: $KL7_TOP_BUILDDIR/keepalive-l7/
#                      keepalive-l7 if KL7_TOP_BUILDDIR is set, else
#                      <srcdir>/build/keepalive-l7/keepalive-l7, else the
#                      in-tree make build <srcdir>/keepalive-l7/keepalive-l7)
#                      It is copied at start, so a rebuild during the run
#                      does not change what is measured.
#   KL7_BIN_WAIT       seconds to wait for a missing binary (default 120)
#   KL7_HAPROXY, KL7_NGINX, KL7_WRK   the tools (default: from PATH)
#   KL7_HAPROXY_SPLICE 1 (default): HAProxy gets "option splice-auto", the
#                      equivalent of keepalive-l7's splice(2) of large
#                      bodies; 0 leaves it out
#   KL7_SOCKBUF        BYTES: both proxies get fixed socket buffers toward
#                      the servers (receive) and the clients (send):
#                      keepalive-l7 rcvbuf_server / sndbuf_client, HAProxy
#                      tune.rcvbuf.server / tune.sndbuf.client; unset: the
#                      kernel's autotuning for both
#   KL7_PROXY_CPU, KL7_CLIENT_CPU   CPUs (default 0 for the proxy, 1 for
#                      nginx + wrk)
#
# Bounded: every wait has a timeout, wrk runs under timeout(1), the total
# is estimated at start; every process started here is recorded by pid
# (with its start time) and ended at exit, also on failure or Ctrl-C.
set -u
export LC_ALL=C

SELF_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$SELF_DIR/../.." && pwd)

MODE=bench
DUR=10
ROUNDS=3
WORKLOADS=ka,close,big,mix
TARGETS=kl7,haproxy,direct
OUT=
JSON_OUT=
KEEP=0
USE_NS=1
IDLE_N=9000
IDLE_HOLD=10
IDLE_SAMPLE=500
PCPU=${KL7_PROXY_CPU:-0}
CCPU=${KL7_CLIENT_CPU:-1}
HAPROXY_SPLICE=${KL7_HAPROXY_SPLICE:-1}
SOCKBUF=${KL7_SOCKBUF:-}

usage() {
	sed -n '2,/^set -u/p' "${BASH_SOURCE[0]}" | sed -e '/^set -u/d' -e 's/^# \{0,1\}//' >&2
	exit 2
}

while getopts "m:d:r:w:t:o:J:n:H:kNh" opt; do
	case $opt in
	m) MODE=$OPTARG ;;
	d) DUR=$OPTARG ;;
	r) ROUNDS=$OPTARG ;;
	w) WORKLOADS=$OPTARG ;;
	t) TARGETS=$OPTARG ;;
	o) OUT=$OPTARG ;;
	J) JSON_OUT=$OPTARG ;;
	n) IDLE_N=$OPTARG ;;
	H) IDLE_HOLD=$OPTARG ;;
	k) KEEP=1 ;;
	N) USE_NS=0 ;;
	*) usage ;;
	esac
done
case "$DUR$ROUNDS$IDLE_N$IDLE_HOLD" in *[!0-9]*) echo "-d -r -n -H take whole numbers" >&2; exit 2 ;; esac
[ "$DUR" -ge 1 ] && [ "$ROUNDS" -ge 1 ] && [ "$IDLE_N" -ge 1 ] || { echo "-d, -r, -n: at least 1" >&2; exit 2; }
case $MODE in bench|idle|syscalls) ;; *) usage ;; esac
[ "$MODE" = syscalls ] && TARGETS=$(echo "${TARGETS//,/ }" | tr ' ' '\n' | grep -v '^direct$' | xargs)
WORKLOADS=${WORKLOADS//,/ }
TARGETS=${TARGETS//,/ }
for w in $WORKLOADS; do case $w in ka|close|big|mix) ;; *) echo "unknown workload $w" >&2; exit 2 ;; esac; done
for t in $TARGETS; do case $t in kl7|haproxy|direct) ;; *) echo "unknown target $t" >&2; exit 2 ;; esac; done
if [ -z "$OUT" ]; then
	case $MODE in
	idle) OUT=$SELF_DIR/results/idle-$(date +%Y%m%d).md ;;
	syscalls) OUT=$SELF_DIR/results/syscalls-$(date +%Y%m%d).md ;;
	*) OUT=$SELF_DIR/results/l7-$(date +%Y%m%d).md ;;
	esac
fi

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (network namespace, RLIMIT_NOFILE)"
HAPROXY=${KL7_HAPROXY:-$(command -v haproxy || echo /usr/sbin/haproxy)}
NGINX=${KL7_NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
WRK=${KL7_WRK:-$(command -v wrk || echo wrk)}
PY=$(command -v python3) || die "python3 needed"
for t in "$HAPROXY" "$NGINX" "$WRK" taskset curl timeout ss; do
	command -v "$t" >/dev/null || die "missing tool: $t"
done
[ "$(nproc --all)" -ge 2 ] || die "needs 2 CPUs (proxy on $PCPU, client on $CCPU)"

# ------------------------------------------------------------ the binary
if [ -n "${KL7_BIN:-}" ]; then
	BIN_SRC=$KL7_BIN
elif [ -n "${KL7_TOP_BUILDDIR:-}" ]; then
	BIN_SRC=$KL7_TOP_BUILDDIR/keepalive-l7/keepalive-l7
elif [ -e "$TOP/build/keepalive-l7/keepalive-l7" ]; then
	BIN_SRC=$TOP/build/keepalive-l7/keepalive-l7
elif [ -e "$TOP/keepalive-l7/keepalive-l7" ]; then
	BIN_SRC=$TOP/keepalive-l7/keepalive-l7
else
	BIN_SRC=$TOP/build/keepalive-l7/keepalive-l7
fi

# ------------------------------------------------------------ processes
T=$(mktemp -d /tmp/kl7bench.XXXXXX) || die "mktemp"
NS=
NSX=()
declare -a PROCS=()   # "pid:starttime:name"

proc_start_time() { # PID -> field 22 of /proc/PID/stat
	local l
	l=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	l=${l##*) }
	# shellcheck disable=SC2086
	set -- $l
	echo "${20}"
}

track() { # PID NAME
	local st
	st=$(proc_start_time "$1") || return 0
	PROCS+=("$1:$st:$2")
}

alive_same() { # PID STARTTIME
	local st
	st=$(proc_start_time "$1") || return 1
	[ "$st" = "$2" ]
}

stop_procs() {
	local e pid st name i
	# reverse order: proxies before the backend
	for ((i = ${#PROCS[@]} - 1; i >= 0; i--)); do
		e=${PROCS[$i]}; pid=${e%%:*}; st=${e#*:}; st=${st%%:*}; name=${e##*:}
		# the daemon's children are stopped by their parent (a child
		# killed first would be respawned); they are only checked below
		case $name in child-*) continue ;; esac
		alive_same "$pid" "$st" && kill -TERM "$pid" 2>/dev/null
	done
	for i in $(seq 1 60); do
		local any=0
		for e in "${PROCS[@]}"; do
			pid=${e%%:*}; st=${e#*:}; st=${st%%:*}
			alive_same "$pid" "$st" && any=1
		done
		[ $any = 0 ] && break
		sleep 0.1
	done
	for e in "${PROCS[@]}"; do
		pid=${e%%:*}; st=${e#*:}; st=${st%%:*}; name=${e##*:}
		if alive_same "$pid" "$st"; then
			log "$name (pid $pid) did not stop on SIGTERM within 6 s: SIGKILL"
			kill -KILL "$pid" 2>/dev/null
		fi
	done
	PROCS=()
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	stop_procs
	wait 2>/dev/null
	[ -n "$NS" ] && ip netns del "$NS" 2>/dev/null
	if [ "$KEEP" = 1 ] || [ $rc != 0 ]; then
		log "temporary files kept in $T"
	else
		rm -rf "$T"
	fi
	exit $rc
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# bg NAME CPU LOGFILE CMD...: start CMD (in the namespace, pinned), record it.
bg() {
	local name=$1 cpu=$2 logf=$3
	shift 3
	"${NSX[@]}" taskset -c "$cpu" "$@" >"$logf" 2>&1 &
	local pid=$!
	sleep 0.05
	track "$pid" "$name"
	LAST_PID=$pid
}

in_ns() { "${NSX[@]}" "$@"; }

# proc_tree PID: PID and all its descendants
proc_tree() {
	local root=$1
	ps -e -o pid=,ppid= | awk -v r="$root" '
		{ par[$1] = $2; pids[NR] = $1 }
		END { for (i = 1; i <= NR; i++) { p = pids[i]; q = p
			while (q != "" && q != 0 && q != 1) { if (q == r) { print p; break }; q = par[q] } } }'
}

# ticks PIDS...: "TOTAL" utime+stime (CLK_TCK units) summed over the pids
ticks_of() {
	local s=0 p l
	for p; do
		l=$(cat "/proc/$p/stat" 2>/dev/null) || continue
		l=${l##*) }
		# shellcheck disable=SC2086
		set -- $l
		s=$((s + ${12} + ${13}))
	done
	echo $s
}

comm_of() { cat "/proc/$1/comm" 2>/dev/null; }

# cpu_busy N: user+nice+system+steal ticks of CPU N (/proc/stat; irq and
# softirq left out: loopback traffic of the proxy itself lands there)
cpu_busy() { awk -v c="cpu$1" '$1 == c { print $2 + $3 + $4 + $9; exit }' /proc/stat; }

# children_ticks: cutime+cstime of the script's shell ($$, also from a
# command substitution), i.e. the CPU of every child it has waited for
# (wrk's, through timeout and taskset, once it has ended)
children_ticks() {
	local l
	l=$(cat "/proc/$$/stat") || return 1
	l=${l##*) }
	# shellcheck disable=SC2086
	set -- $l
	echo $((${14} + ${15}))
}

# ------------------------------------------------------------ network
if [ "$USE_NS" = 1 ]; then
	NS=kl7bench$$
	ip netns add "$NS" || die "ip netns add $NS failed (use -N for plain loopback)"
	ip -n "$NS" link set lo up
	NSX=(ip netns exec "$NS")
	# namespace-local sysctls only
	in_ns sysctl -q -w net.ipv4.ip_local_port_range="1024 65535" net.core.somaxconn=65535 \
		net.ipv4.tcp_tw_reuse=1 net.ipv4.tcp_max_syn_backlog=65535 >/dev/null 2>&1 || true
	P_KL7=8080; P_NGX=8081; P_HAP=8082
	P_KL7M=8083; P_HAPM=8084; P_MIX=(8091 8092 8093 8094)
else
	# 9 ports in a row: kl7, nginx, haproxy, and for mix kl7, haproxy and
	# the 4 pools' nginx servers
	base=$((20000 + RANDOM % 30000))
	for i in $(seq 0 50); do
		b=$((base + i * 9))
		if ! ss -ltnH | awk -v b="$b" '{ n = split($4, a, ":"); p = a[n] + 0; if (p >= b && p < b + 9) f = 1 } END { exit !f }'; then break; fi
	done
	P_KL7=$b; P_NGX=$((b + 1)); P_HAP=$((b + 2))
	P_KL7M=$((b + 3)); P_HAPM=$((b + 4)); P_MIX=($((b + 5)) $((b + 6)) $((b + 7)) $((b + 8)))
fi
HAVE_MIX=0
case " $WORKLOADS " in *" mix "*) [ "$MODE" = idle ] || HAVE_MIX=1 ;; esac
ADDR=127.0.0.1

# file descriptors: 9,000 client + 9,000 server connections per proxy, and
# the client's 9,000; the daemons inherit this limit (HAProxy sets its own
# from maxconn).
# Without CAP_SYS_RESOURCE the hard limit cannot be raised: then we use it
# as it is (20,000 is enough for 9,000 idle connections).
ulimit -Hn 1048576 2>/dev/null || true
ulimit -n 200000 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true
NOFILE=$(ulimit -n)
[ "$NOFILE" = unlimited ] && NOFILE=1048576
# HAProxy computes its own ulimit-n = 2 x maxconn + 2 x maxpipes + a few, and
# refuses to start above the hard limit: fix maxpipes, derive maxconn.
HAP_MAXPIPES=500
HAP_MAXCONN=$(((NOFILE - 2 * HAP_MAXPIPES - 200) / 2))
[ "$HAP_MAXCONN" -gt 50000 ] && HAP_MAXCONN=50000
if [ "$MODE" = idle ] && [ "$IDLE_N" -gt "$HAP_MAXCONN" ]; then
	die "RLIMIT_NOFILE $NOFILE is too low for $IDLE_N idle connections (HAProxy maxconn would be $HAP_MAXCONN); lower -n"
fi
NGX_NOFILE=$NOFILE

# ------------------------------------------------------------ binary copy
wait_bin=${KL7_BIN_WAIT:-120}
for i in $(seq 1 "$wait_bin"); do
	[ -x "$BIN_SRC" ] && break
	[ "$i" = 1 ] && log "waiting up to ${wait_bin}s for $BIN_SRC (being rebuilt?)"
	sleep 1
done
[ -x "$BIN_SRC" ] || die "no keepalive-l7 binary at $BIN_SRC (set KL7_BIN)"
# The binary may be relinked at any moment: take a copy once its size and
# mtime have been stable for 2 s, and check that the copy runs.
BIN=$T/keepalive-l7
got=0
for i in $(seq 1 "$wait_bin"); do
	s1=$(stat -c '%s %Y' "$BIN_SRC" 2>/dev/null)
	sleep 2
	s2=$(stat -c '%s %Y' "$BIN_SRC" 2>/dev/null)
	if [ -n "$s1" ] && [ "$s1" = "$s2" ] && [ "${s1%% *}" -gt 0 ] &&
		cp "$BIN_SRC" "$BIN" 2>/dev/null && chmod 755 "$BIN" &&
		[ "$(stat -c '%s %Y' "$BIN_SRC" 2>/dev/null)" = "$s1" ] &&
		"$BIN" --version >/dev/null 2>&1; then
		got=1
		break
	fi
	[ "$i" = 1 ] && log "$BIN_SRC is changing (being rebuilt?): waiting up to ${wait_bin} tries"
done
[ $got = 1 ] || die "could not take a stable, runnable copy of $BIN_SRC"
BIN_SHA=$(sha256sum "$BIN" | cut -c1-16)
BIN_MTIME=$(date -r "$BIN_SRC" '+%F %T')
GIT_DESC=$(git -C "$TOP" describe --always --dirty 2>/dev/null || echo "?")

# ------------------------------------------------------------ configs
mkdir -p "$T/www"
head -c 1024 /dev/urandom >"$T/www/1k"
head -c 16777216 /dev/urandom >"$T/www/16m"
SIZE_1K=1024
SIZE_16M=16777216

if [ "$MODE" = idle ]; then
	TO_KA=3600s; TO_CLI=3600s
else
	TO_KA=5s; TO_CLI=30s
fi

# mix: one nginx server block per pool (served by the same single worker
# as the other workloads' backend), each answering any method and path
# with a 1 KB body and a header naming its pool, by which the routing is
# verified.
MIX_NGX=
if [ $HAVE_MIX = 1 ]; then
	mix_body=$(head -c "$SIZE_1K" /dev/zero | tr '\0' x)
	for i in 1 2 3 4; do
		MIX_NGX+="
    server {
        listen $ADDR:${P_MIX[$((i - 1))]} backlog=65535;
        location / {
            add_header X-Pool p$i;
            return 200 \"$mix_body\";
        }
    }"
	done
fi

cat >"$T/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
worker_rlimit_nofile $NGX_NOFILE;
pid $T/nginx.pid;
error_log $T/nginx.err warn;
events { worker_connections $((NGX_NOFILE - 100)); multi_accept on; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000000;
    keepalive_timeout 3600s;
    open_file_cache max=16;
    client_body_temp_path $T/nginx-tmp;
    proxy_temp_path $T/nginx-tmp;
    fastcgi_temp_path $T/nginx-tmp;
    uwsgi_temp_path $T/nginx-tmp;
    scgi_temp_path $T/nginx-tmp;
    default_type application/octet-stream;
    server {
        listen $ADDR:$P_NGX backlog=65535;
        root $T/www;
    }$MIX_NGX
}
EOF
mkdir -p "$T/nginx-tmp"

kl7_sockbuf="    # socket buffers: the kernel's (KL7_SOCKBUF unset)"
hap_sockbuf="    # socket buffers: the kernel's (KL7_SOCKBUF unset)"
if [ -n "$SOCKBUF" ]; then
	kl7_sockbuf="    rcvbuf_server $SOCKBUF
    sndbuf_client $SOCKBUF"
	hap_sockbuf="    tune.rcvbuf.server $SOCKBUF
    tune.sndbuf.client $SOCKBUF"
fi
# The settings every keepalive-l7 virtual server of the benchmark shares
# (HAProxy's defaults section below says the same).
KL7_VS_COMMON="    lb_kind L7
    lb_algo rr
    timeout_connect 5s
    timeout_client $TO_CLI
    timeout_server 30s
    timeout_request 10s
    timeout_keepalive $TO_KA
    timeout_queue 5s
    timeout_tunnel 1h
    retries 3
    maxconn 0
    forwarded_for off"
cat >"$T/kl7.conf" <<EOF
global_defs {
    router_id kl7bench
    control_socket $T/kl7.sock
    state_file $T/kl7-state.json
}
virtual_server $ADDR $P_KL7 {
$KL7_VS_COMMON
$kl7_sockbuf
    real_server $ADDR $P_NGX {
    }
}
EOF

splice_line="    option splice-auto"
[ "$HAPROXY_SPLICE" = 1 ] || splice_line="    # no splicing (KL7_HAPROXY_SPLICE=0)"
cat >"$T/haproxy.cfg" <<EOF
global
    nbthread 1
    maxconn $HAP_MAXCONN
    maxpipes $HAP_MAXPIPES
$hap_sockbuf
    pidfile $T/haproxy.pid
    # no log line: logging off

defaults
    mode http
    option http-keep-alive
$splice_line
    maxconn $HAP_MAXCONN
    retries 3
    timeout connect 5s
    timeout client $TO_CLI
    timeout server 30s
    timeout http-request 10s
    timeout http-keep-alive $TO_KA
    timeout queue 5s
    timeout tunnel 1h

frontend fe
    bind $ADDR:$P_HAP
    default_backend be

backend be
    balance roundrobin
    server s1 $ADDR:$P_NGX
EOF

# ------------------------------------------------------------ mix routing
# 10 routes over 4 pools, p1 the default, one table for both proxies so the
# order (first match wins) is the same: NAME POOL CONDITION...; conditions
#   host=H          exact host          (HAProxy: req.hdr(host) -i H)
#   hostsfx=S       host *.S            (req.hdr(host) -m end -i .S)
#   prefix=P1,P2    path_prefix P1 P2   (path -m beg P1 P2)
#   regex=R         path_regex R        (path -m reg R)
#   header=N:R      header N R          (req.fhdr(N) -m reg R)
#   method=M1,M2    method M1 M2        (method M1 M2)
# (no spaces inside a condition's value).
MIX_RULES=(
	"api_v2 p4 host=api.example.com prefix=/v2/"
	"api_host p2 host=api.example.com"
	"static_host p3 hostsfx=static.example.com"
	"static_path p3 prefix=/static/,/assets/"
	'images p3 regex=^/img/[0-9]+\.(png|jpg)$'
	"tenant p4 header=X-Tenant:^(gold|platinum)\$"
	"writes p2 method=POST,PUT,DELETE"
	"api_path p2 prefix=/api/"
	"mobile p4 header=User-Agent:Mobile"
	'legacy p2 hostsfx=example.org regex=\.php$'
)
# The requests wrk cycles through (and verify_mix checks one by one): every
# route, the default, and near misses that must fall through to it.
# Tab separated: RULE POOL METHOD HOST PATH HEADER VALUE BODY ("-": none).
mix_classes() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
		api_v2 p4 GET api.example.com /v2/users - - - \
		api_host p2 GET api.example.com /v1/users - - - \
		static_host p3 GET cdn.static.example.com /logo.css - - - \
		static_path p3 GET www.example.com /static/app.js - - - \
		static_path p3 GET www.example.com /assets/site.css - - - \
		images p3 GET www.example.com /img/123.png - - - \
		tenant p4 GET www.example.com /account X-Tenant gold - \
		writes p2 POST www.example.com /orders Content-Type application/json '{"item":42,"qty":1}' \
		api_path p2 GET www.example.com /api/items - - - \
		mobile p4 GET www.example.com /home User-Agent 'Mozilla/5.0 (Linux; Android 13; Mobile)' - \
		legacy p2 GET shop.example.org /index.php - - - \
		default p1 GET www.example.com /about - - - \
		default p1 GET www.example.com /img/abc.png - - - \
		default p1 GET www.example.com /account X-Tenant silver - \
		default p1 GET www.example.com /v2/users - - -
}

mix_kl7_routes() {
	local r c name pool k v
	for r in "${MIX_RULES[@]}"; do
		set -f
		# shellcheck disable=SC2086
		set -- $r
		set +f
		name=$1 pool=$2
		shift 2
		echo "    http_route $name {"
		for c; do
			k=${c%%=*} v=${c#*=}
			case $k in
			host) echo "        host $v" ;;
			hostsfx) echo "        host *.$v" ;;
			prefix) echo "        path_prefix ${v//,/ }" ;;
			regex) echo "        path_regex '$v'" ;;
			header) echo "        header ${v%%:*} '${v#*:}'" ;;
			method) echo "        method ${v//,/ }" ;;
			esac
		done
		echo "        pool $pool"
		echo "    }"
	done
}

mix_haproxy_rules() {
	local r c name pool k v n acls
	for r in "${MIX_RULES[@]}"; do
		set -f
		# shellcheck disable=SC2086
		set -- $r
		set +f
		name=$1 pool=$2
		shift 2
		n=0 acls=
		for c; do
			k=${c%%=*} v=${c#*=}
			n=$((n + 1))
			case $k in
			host) echo "    acl ${name}_$n req.hdr(host) -i $v" ;;
			hostsfx) echo "    acl ${name}_$n req.hdr(host) -m end -i .$v" ;;
			prefix) echo "    acl ${name}_$n path -m beg ${v//,/ }" ;;
			regex) echo "    acl ${name}_$n path -m reg '$v'" ;;
			header) echo "    acl ${name}_$n req.fhdr(${v%%:*}) -m reg '${v#*:}'" ;;
			method) echo "    acl ${name}_$n method ${v//,/ }" ;;
			esac
			acls+=" ${name}_$n"
		done
		echo "    use_backend $pool if$acls"
	done
}

if [ $HAVE_MIX = 1 ]; then
	mix_classes >"$T/mix.tsv"
	{
		cat <<EOF
virtual_server $ADDR $P_KL7M {
$KL7_VS_COMMON
EOF
		mix_kl7_routes
		echo "    default_pool p1"
		for i in 1 2 3 4; do
			echo "    real_server $ADDR ${P_MIX[$((i - 1))]} {"
			echo "        pool p$i"
			echo "    }"
		done
		echo "}"
	} >>"$T/kl7.conf"
	{
		echo
		echo "frontend fe_mix"
		echo "    bind $ADDR:$P_HAPM"
		mix_haproxy_rules
		echo "    default_backend p1"
		for i in 1 2 3 4; do
			echo
			echo "backend p$i"
			echo "    balance roundrobin"
			echo "    server s1 $ADDR:${P_MIX[$((i - 1))]}"
		done
	} >>"$T/haproxy.cfg"
	# wrk's request generator: the classes above in turn, on every
	# connection (the done() hook of report.lua is appended below).
	cat >"$T/mix.lua" <<EOF
local reqs = {}
for line in io.lines("$T/mix.tsv") do
   local f = {}
   for x in (line .. "\t"):gmatch("([^\t]*)\t") do f[#f + 1] = x end
   local h = { Host = f[4] }
   if f[6] ~= "-" then h[f[6]] = f[7] end
   local body = nil
   if f[8] ~= "-" then body = f[8] end
   reqs[#reqs + 1] = wrk.format(f[3], f[5], h, body)
end
local i = 0
request = function()
   i = i % #reqs + 1
   return reqs[i]
end
EOF
fi

"$BIN" -t -f "$T/kl7.conf" >"$T/kl7-t.log" 2>&1 || { cat "$T/kl7-t.log" >&2; die "keepalive-l7 -t refused the config"; }
"$HAPROXY" -c -q -f "$T/haproxy.cfg" >"$T/hap-c.log" 2>&1 || { cat "$T/hap-c.log" >&2; die "haproxy -c refused the config"; }

# ------------------------------------------------------------ start
CMD_NGX="taskset -c $CCPU $NGINX -c $T/nginx.conf -p $T"
CMD_KL7="taskset -c $PCPU $BIN -n -l -f $T/kl7.conf -p $T/kl7.pid"
CMD_HAP="taskset -c $PCPU $HAPROXY -db -f $T/haproxy.cfg"

wait_port() { # PORT TIMEOUT_S
	local i
	for i in $(seq 1 $(($2 * 20))); do
		in_ns ss -ltnH "sport = :$1" 2>/dev/null | grep -q . && return 0
		sleep 0.05
	done
	return 1
}

need_kl7=0; need_hap=0
if [ "$MODE" = idle ]; then need_kl7=1; need_hap=1; fi
case " $TARGETS " in *" kl7 "*) need_kl7=1 ;; esac
case " $TARGETS " in *" haproxy "*) need_hap=1 ;; esac

bg nginx "$CCPU" "$T/nginx.log" "$NGINX" -c "$T/nginx.conf" -p "$T"
NGX_PID=$LAST_PID
wait_port "$P_NGX" 10 || { cat "$T/nginx.log" "$T/nginx.err" >&2; die "nginx did not listen"; }

KL7_PID=; HAP_PID=
if [ $need_kl7 = 1 ]; then
	bg keepalive-l7 "$PCPU" "$T/kl7.log" "$BIN" -n -l -f "$T/kl7.conf" -p "$T/kl7.pid"
	KL7_PID=$LAST_PID
	wait_port "$P_KL7" 10 || { cat "$T/kl7.log" >&2; die "keepalive-l7 did not listen on $P_KL7"; }
	for i in $(seq 1 100); do
		grep -q "all children ready" "$T/kl7.log" && break
		sleep 0.05
	done
	for p in $(proc_tree "$KL7_PID"); do [ "$p" = "$KL7_PID" ] || track "$p" "child-$(comm_of "$p")"; done
fi
if [ $need_hap = 1 ]; then
	bg haproxy "$PCPU" "$T/haproxy.log" "$HAPROXY" -db -f "$T/haproxy.cfg"
	HAP_PID=$LAST_PID
	wait_port "$P_HAP" 10 || { cat "$T/haproxy.log" >&2; die "haproxy did not listen on $P_HAP"; }
fi

kl7_pids() { proc_tree "$KL7_PID"; }
kl7_l7_pid() { local p; for p in $(kl7_pids); do [ "$(comm_of "$p")" = kl7-l7 ] && echo "$p"; done; }

target_port() { # TARGET [WORKLOAD]; mix has its own virtual server / frontend,
	# and its direct target is pool p1's nginx server (every request to it)
	if [ "${2:-}" = mix ]; then
		case $1 in kl7) echo "$P_KL7M" ;; haproxy) echo "$P_HAPM" ;; direct) echo "${P_MIX[0]}" ;; esac
		return
	fi
	case $1 in kl7) echo "$P_KL7" ;; haproxy) echo "$P_HAP" ;; direct) echo "$P_NGX" ;; esac
}
target_pids() { case $1 in kl7) kl7_pids ;; haproxy) proc_tree "$HAP_PID" ;; direct) ;; esac; }
target_name() { case $1 in kl7) echo keepalive-l7 ;; haproxy) echo HAProxy ;; direct) echo direct ;; esac; }

affinity_report() {
	local p
	for p in "$@"; do
		printf '%s(%s) cpus %s; ' "$(comm_of "$p")" "$p" \
			"$(awk '/Cpus_allowed_list/ {print $2}' "/proc/$p/status" 2>/dev/null)"
	done
}

# ------------------------------------------------------------ checks
verify() { # TARGET: 200 and the right body length, keep-alive and close
	local t=$1 port r ok=0
	port=$(target_port "$t")
	r=$(in_ns curl -s --max-time 10 -o /dev/null -w '%{http_code} %{size_download}' "http://$ADDR:$port/1k")
	[ "$r" = "200 $SIZE_1K" ] || { log "verify $t /1k: got '$r', expected '200 $SIZE_1K'"; ok=1; }
	r=$(in_ns curl -s --max-time 10 -H 'Connection: close' -o /dev/null -w '%{http_code} %{size_download}' "http://$ADDR:$port/1k")
	[ "$r" = "200 $SIZE_1K" ] || { log "verify $t /1k close: got '$r', expected '200 $SIZE_1K'"; ok=1; }
	r=$(in_ns curl -s --max-time 20 -o "$T/verify-16m" -w '%{http_code} %{size_download}' "http://$ADDR:$port/16m")
	[ "$r" = "200 $SIZE_16M" ] || { log "verify $t /16m: got '$r', expected '200 $SIZE_16M'"; ok=1; }
	cmp -s "$T/verify-16m" "$T/www/16m" || { log "verify $t /16m: body differs from the file"; ok=1; }
	rm -f "$T/verify-16m"
	[ $ok = 0 ] && log "verify $t: 200, 1024 and 16777216 bytes, body intact"
	return $ok
}

verify_mix() { # TARGET: each request class of mix.tsv reaches its pool
	# (X-Pool of the answering nginx server), 200 with 1 KB; direct: all
	# of them to p1's server, which answers every one
	local t=$1 port rule pool meth host path hn hv body want r got ok=0 n=0 args
	port=$(target_port "$t" mix)
	while IFS=$'\t' read -r rule pool meth host path hn hv body; do
		want=$pool; [ "$t" = direct ] && want=p1
		args=(-s --max-time 10 -X "$meth" -H "Host: $host" -D "$T/verify-mix.h" -o /dev/null -w '%{http_code} %{size_download}')
		[ "$hn" = - ] || args+=(-H "$hn: $hv")
		[ "$body" = - ] || args+=(--data-binary "$body")
		r=$(in_ns curl "${args[@]}" "http://$ADDR:$port$path")
		got=$(tr -d '\r' <"$T/verify-mix.h" | awk -F': ' 'tolower($1) == "x-pool" { print $2 }')
		n=$((n + 1))
		if [ "$r" != "200 $SIZE_1K" ] || [ "$got" != "$want" ]; then
			log "verify $t mix: $meth $host$path$([ "$hn" = - ] || echo " ($hn: $hv)") (route $rule): got '$r' from pool '${got:-none}', expected '200 $SIZE_1K' from $want"
			ok=1
		fi
	done <"$T/mix.tsv"
	rm -f "$T/verify-mix.h"
	[ $ok = 0 ] && log "verify $t mix: all $n request classes answered 200, 1024 bytes, by the expected pool"
	return $ok
}

HOSTINFO="$(uname -srm); $(lscpu 2>/dev/null | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}'), $(nproc --all) CPUs; load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
VERSIONS="keepalive-l7: $("$BIN" --version 2>&1 | head -1) (binary $BIN_SRC, mtime $BIN_MTIME, sha256 $BIN_SHA…, tree $GIT_DESC); $("$HAPROXY" -v 2>&1 | head -1 | cut -d' ' -f1-3); $("$NGINX" -v 2>&1 | head -1); $("$WRK" -v 2>&1 | head -1 | cut -d' ' -f1-2)"

mkdir -p "$(dirname "$OUT")" || die "cannot create $(dirname "$OUT")"

# ============================================================ idle mode
if [ "$MODE" = idle ]; then
	cat >"$T/idle.py" <<'PYEOF'
import socket, selectors, sys, time, os, json, errno

host, port, n, gofile, sample, rfile = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), sys.argv[6]
REQ = b"GET /1k HTTP/1.1\r\nHost: bench\r\n\r\n"
EXPECT = 1024
WINDOW = 256

class C:
    __slots__ = ("s", "buf", "phase", "err")
    def __init__(self, s):
        self.s, self.buf, self.phase, self.err = s, b"", "connect", None

def parse(buf):
    """-> None (incomplete), or (status, body_len_ok) when complete."""
    i = buf.find(b"\r\n\r\n")
    if i < 0:
        return None
    head = buf[:i].decode("latin-1").split("\r\n")
    try:
        status = int(head[0].split()[1])
    except Exception:
        return ("bad status line %r" % head[0][:60], False)
    cl = None
    for h in head[1:]:
        k, _, v = h.partition(":")
        if k.strip().lower() == "content-length":
            cl = int(v.strip())
    if cl is None:
        return ("no content-length", False)
    if len(buf) - i - 4 < cl:
        return None
    return (status, cl == EXPECT and len(buf) - i - 4 == cl)

def run(conns, deadline, do_connect):
    """Drive conns (list of C) to a complete response; returns failures."""
    sel = selectors.DefaultSelector()
    todo = list(conns)
    active = 0
    fails = []
    idx = 0
    while (idx < len(todo) or active) and time.monotonic() < deadline:
        while idx < len(todo) and active < WINDOW:
            c = todo[idx]; idx += 1
            if do_connect:
                try:
                    c.s.connect((host, port))
                except BlockingIOError:
                    pass
                except OSError as e:
                    c.err = "connect: %s" % e; fails.append(c); continue
                sel.register(c.s, selectors.EVENT_WRITE, c)
            else:
                try:
                    c.s.send(REQ)
                except OSError as e:
                    c.err = "send: %s" % e; fails.append(c); continue
                c.phase = "read"; c.buf = b""
                sel.register(c.s, selectors.EVENT_READ, c)
            active += 1
        for key, ev in sel.select(0.2):
            c = key.data
            if c.phase == "connect":
                e = c.s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if e:
                    c.err = "connect: %s" % os.strerror(e)
                else:
                    try:
                        c.s.send(REQ); c.phase = "read"
                        sel.modify(c.s, selectors.EVENT_READ, c)
                        continue
                    except OSError as ex:
                        c.err = "send: %s" % ex
                sel.unregister(c.s); active -= 1; fails.append(c)
                continue
            try:
                d = c.s.recv(65536)
            except BlockingIOError:
                continue
            except OSError as ex:
                d = None; c.err = "recv: %s" % ex
            if not d:
                if c.err is None:
                    c.err = "closed by the proxy before the response"
                sel.unregister(c.s); active -= 1; fails.append(c)
                continue
            c.buf += d
            r = parse(c.buf)
            if r is None:
                continue
            sel.unregister(c.s); active -= 1
            if r[0] == 200 and r[1]:
                c.phase = "idle"
            else:
                c.err = "response %r body-ok=%s" % (r[0], r[1]); fails.append(c)
    for c in conns:
        if c.phase not in ("idle",) and c not in fails:
            c.err = c.err or "timed out (%s)" % c.phase; fails.append(c)
    return fails

t0 = time.monotonic()
conns = []
for i in range(n):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    conns.append(C(s))
fails = run(conns, time.monotonic() + 120, True)
t_open = time.monotonic() - t0
errs = {}
for c in fails:
    errs[c.err] = errs.get(c.err, 0) + 1
print("READY opened_ok=%d failed=%d seconds=%.2f errors=%s" % (n - len(fails), len(fails), t_open, json.dumps(errs)), flush=True)

# wait for the go (the shell measures memory and holds the connections idle)
end = time.monotonic() + 3600
while not os.path.exists(gofile) and time.monotonic() < end:
    time.sleep(0.1)

# 1. every connection still open?  (a peek that would block = open, idle)
ok_set = [c for c in conns if c.phase == "idle"]
still_open, closed, reset, unexpected = [], 0, 0, 0
for c in ok_set:
    try:
        d = c.s.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        if d == b"":
            closed += 1
        else:
            unexpected += 1
    except BlockingIOError:
        still_open.append(c)
    except OSError:
        reset += 1
# 2. a request on a sample of them
step = max(1, len(still_open) // max(1, sample))
samp = still_open[::step][:sample]
for c in samp:
    c.phase = "read"
sfails = run(samp, time.monotonic() + 60, False)
serrs = {}
for c in sfails:
    serrs[c.err] = serrs.get(c.err, 0) + 1
res = dict(n=n, opened_ok=n - len(fails), open_failed=len(fails), open_errors=errs, open_seconds=round(t_open, 2),
           still_open=len(still_open), closed_by_peer=closed, reset=reset, unexpected_data=unexpected,
           sample=len(samp), sample_ok=len(samp) - len(sfails), sample_errors=serrs)
with open(rfile, "w") as f:
    json.dump(res, f)
print("RESULT " + json.dumps(res), flush=True)
PYEOF

	mem_of() { # PIDS... -> "pss_kb rss_kb"
		local p pss=0 rss=0 a b
		for p; do
			a=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null)
			b=$(awk '/^Rss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null)
			pss=$((pss + ${a:-0})); rss=$((rss + ${b:-0}))
		done
		echo "$pss $rss"
	}
	est_conn() { # PORT: established connections whose local port is PORT
		in_ns ss -tnH state established "( sport = :$1 )" 2>/dev/null | wc -l
	}

	est=$((2 * (IDLE_HOLD + 25) + 10))
	log "idle test: $IDLE_N idle keep-alive connections to keepalive-l7, then to HAProxy; hold ${IDLE_HOLD}s; estimate ~${est}s (bounded by ~$((2 * (IDLE_HOLD + 190)))s)"
	verify kl7 || die "keepalive-l7 does not answer correctly; not measuring"
	verify haproxy || die "HAProxy does not answer correctly; not measuring"

	IDLE_ROWS=()
	IDLE_FAIL=0
	for t in kl7 haproxy; do
		port=$(target_port "$t")
		pids=$(target_pids "$t")
		# a few requests first so both have their steady-state buffers/pools
		for i in 1 2 3; do in_ns curl -s --max-time 5 -o /dev/null "http://$ADDR:$port/1k"; done
		sleep 1
		# shellcheck disable=SC2086
		read -r pss0 rss0 <<<"$(mem_of $pids)"
		l7p=; [ "$t" = kl7 ] && l7p=$(kl7_l7_pid)
		l7pss0=0; [ -n "$l7p" ] && read -r l7pss0 _ <<<"$(mem_of "$l7p")"
		rm -f "$T/go-$t" "$T/idle-$t.json"
		log "$t: opening $IDLE_N connections (port $port)"
		CMD_IDLE="python3 idle.py $ADDR $port $IDLE_N GOFILE $IDLE_SAMPLE RESULT  (ulimit -n $(ulimit -n), taskset -c $CCPU)"
		bg "idle-client-$t" "$CCPU" "$T/idle-$t.out" "$PY" "$T/idle.py" "$ADDR" "$port" "$IDLE_N" "$T/go-$t" "$IDLE_SAMPLE" "$T/idle-$t.json"
		cpid=$LAST_PID
		for i in $(seq 1 1300); do
			grep -q '^READY' "$T/idle-$t.out" 2>/dev/null && break
			kill -0 "$cpid" 2>/dev/null || break
			sleep 0.1
		done
		ready=$(grep '^READY' "$T/idle-$t.out" 2>/dev/null)
		[ -n "$ready" ] || { cat "$T/idle-$t.out" >&2; IDLE_FAIL=1; log "$t: client did not get ready"; continue; }
		log "$t: $ready"
		sleep 1
		# shellcheck disable=SC2086
		read -r pss1 rss1 <<<"$(mem_of $pids)"
		cli1=$(est_conn "$port"); srv1=$(in_ns ss -tnH state established "( dport = :$P_NGX )" 2>/dev/null | wc -l)
		log "$t: after open: PSS $pss0 -> $pss1 kB, RSS $rss0 -> $rss1 kB; client conns $cli1, proxy->backend conns $srv1; holding ${IDLE_HOLD}s"
		sleep "$IDLE_HOLD"
		# shellcheck disable=SC2086
		read -r pss2 rss2 <<<"$(mem_of $pids)"
		l7pss2=0; [ -n "$l7p" ] && read -r l7pss2 _ <<<"$(mem_of "$l7p")"
		cli2=$(est_conn "$port"); srv2=$(in_ns ss -tnH state established "( dport = :$P_NGX )" 2>/dev/null | wc -l)
		touch "$T/go-$t"
		for i in $(seq 1 900); do
			[ -s "$T/idle-$t.json" ] && break
			kill -0 "$cpid" 2>/dev/null || break
			sleep 0.1
		done
		res=$(cat "$T/idle-$t.json" 2>/dev/null)
		[ -n "$res" ] || { res='{}'; IDLE_FAIL=1; log "$t: no result from the client"; }
		log "$t: after ${IDLE_HOLD}s idle: PSS $pss2 kB, RSS $rss2 kB; $res"
		for i in $(seq 1 100); do kill -0 "$cpid" 2>/dev/null || break; sleep 0.1; done
		kill -0 "$cpid" 2>/dev/null && kill -TERM "$cpid"
		wait "$cpid" 2>/dev/null
		alive=yes
		[ "$t" = kl7 ] && { kill -0 "$KL7_PID" 2>/dev/null || alive=no; }
		[ "$t" = haproxy ] && { kill -0 "$HAP_PID" 2>/dev/null || alive=no; }
		IDLE_ROWS+=("$t|$pss0|$rss0|$pss1|$rss1|$pss2|$rss2|$l7pss0|$l7pss2|$cli1|$srv1|$cli2|$srv2|$alive|$res")
		sleep 2 # let the closes settle before the other proxy
	done

	"$PY" - "$OUT" "$IDLE_N" "$IDLE_HOLD" "$HOSTINFO" "$VERSIONS" "$T" "$CMD_NGX" "$CMD_KL7" "$CMD_HAP" "${CMD_IDLE:-}" "$JSON_OUT" "${IDLE_ROWS[@]}" <<'PYEOF'
import sys, json, time
out, n, hold, hostinfo, versions, T, cngx, ckl7, chap, cidle, json_out = sys.argv[1:12]
n = int(n); rows = sys.argv[12:]
js = {"n": n, "hold": int(hold), "report": out, "proxies": {}}
L = []
p = L.append
p("# keepalive-l7 vs HAProxy: %d idle keep-alive connections (%s)" % (n, time.strftime("%Y-%m-%d %H:%M")))
p("")
p("- Host: %s" % hostinfo)
p("- Versions: %s" % versions)
p("- Each proxy in turn: %d connections, each sends one `GET /1k` (keep-alive) and reads the 200, then stays idle %s s; "
  "memory = sum over all the proxy's processes of Pss (and Rss) from /proc/PID/smaps_rollup, before opening and after; "
  "then every connection is checked still open and a request is sent on a sample." % (n, hold))
p("")
p("| proxy | opened ok | still open after %ss | sample requests ok | PSS before (kB) | PSS after open (kB) | PSS after hold (kB) | **PSS per idle conn** | RSS per idle conn | l7 child PSS per conn | client / backend conns (ESTAB) | alive |" % hold)
p("|---|---|---|---|---|---|---|---|---|---|---|---|")
per = {}
ok_all = True
for r in rows:
    f = r.split("|", 14)
    t = f[0]; pss0, rss0, pss1, rss1, pss2, rss2, l7a, l7b, c1, s1, c2, s2 = map(int, f[1:13]); alive = f[13]
    res = json.loads(f[14] or "{}")
    name = {"kl7": "keepalive-l7", "haproxy": "HAProxy"}[t]
    pc = (pss2 - pss0) * 1024.0 / n
    rc = (rss2 - rss0) * 1024.0 / n
    l7c = "%.0f B" % ((l7b - l7a) * 1024.0 / n) if t == "kl7" else "–"
    per[t] = pc
    good = (res.get("opened_ok") == n and res.get("still_open") == n and res.get("sample_ok") == res.get("sample") and alive == "yes")
    ok_all &= good
    js["proxies"][t] = {"pss_per_conn": pc, "rss_per_conn": rc, "ok": bool(good),
                        "l7_pss_per_conn": (l7b - l7a) * 1024.0 / n if t == "kl7" else None}
    p("| %s | %s/%d | %s | %s/%s | %d | %d | %d | **%.0f B** | %.0f B | %s | %d / %d → %d / %d | %s |" % (
        name, res.get("opened_ok", "?"), n, res.get("still_open", "?"), res.get("sample_ok", "?"), res.get("sample", "?"),
        pss0, pss1, pss2, pc, rc, l7c, c1, s1, c2, s2, alive))
    errs = {k: v for k, v in (("open errors", res.get("open_errors")), ("sample errors", res.get("sample_errors"))) if v}
    if res.get("closed_by_peer") or res.get("reset") or errs:
        p("")
        p("  %s: closed by peer %s, reset %s, %s" % (name, res.get("closed_by_peer"), res.get("reset"), json.dumps(errs)))
p("")
if "kl7" in per and "haproxy" in per and per["haproxy"] > 0:
    ratio = per["kl7"] / per["haproxy"]
    p("Ratio keepalive-l7 / HAProxy, PSS per idle connection: **%.2f** (target ≤ 1.00: %s); all %d connections held without error on both: %s" %
      (ratio, "PASS" if ratio <= 1.0 else "FAIL", n, "yes" if ok_all else "NO"))
p("")
p("Commands (inside the benchmark's network namespace):")
p("")
p("```")
for c in (cngx, ckl7, chap, cidle):
    p(c.replace(T, "$T"))
p("```")
p("")
for fn, title in (("kl7.conf", "keepalive-l7 config"), ("haproxy.cfg", "HAProxy config")):
    p("<details><summary>%s</summary>\n\n```\n%s```\n</details>\n" % (title, open(T + "/" + fn).read().replace(T, "$T")))
text = "\n".join(L) + "\n"
open(out, "w").write(text)
sys.stdout.write(text)
if json_out:
    js["all_held"] = bool(ok_all)
    json.dump(js, open(json_out, "w"), indent=1)
PYEOF
	log "report written to $OUT${JSON_OUT:+, figures to $JSON_OUT}"
	[ "$IDLE_FAIL" = 0 ] || exit 1
	exit 0
fi

# ============================================================ bench mode
cat >"$T/report.lua" <<'EOF'
done = function(summary, latency, requests)
   local e = summary.errors
   io.write(string.format("KL7BENCH requests=%d bytes=%d duration_us=%d p50_us=%d p99_us=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
      summary.requests, summary.bytes, summary.duration,
      latency:percentile(50), latency:percentile(99),
      e.connect, e.read, e.write, e.status, e.timeout))
end
EOF
[ $HAVE_MIX = 1 ] && cat "$T/mix.lua" "$T/report.lua" >"$T/mix-run.lua"

wl_conns() { case $1 in ka|mix) echo 100 ;; close) echo 50 ;; big) echo 4 ;; esac; }
wl_path() { case $1 in big) echo /16m ;; mix) echo / ;; *) echo /1k ;; esac; }
wl_script() { case $1 in mix) echo "$T/mix-run.lua" ;; *) echo "$T/report.lua" ;; esac; }
wl_hdr() { case $1 in close) echo "Connection: close" ;; *) echo "" ;; esac; }

wrk_cmd() { # WL TARGET SECONDS -> array WRK_ARGS
	local wl=$1 t=$2 d=$3 h
	WRK_ARGS=(taskset -c "$CCPU" "$WRK" -t1 -c"$(wl_conns "$wl")" -d"${d}s" --latency)
	h=$(wl_hdr "$wl")
	[ -n "$h" ] && WRK_ARGS+=(-H "$h")
	WRK_ARGS+=(-s "$(wl_script "$wl")" "http://$ADDR:$(target_port "$t" "$wl")$(wl_path "$wl")")
}

# ============================================================ syscalls mode
# strace -c -f on each proxy's serving processes (keepalive-l7's l7 child;
# HAProxy's process) during one wrk run of DUR s per workload: syscalls per
# request, in all and by name.  strace slows the proxies by an order of
# magnitude, so req/s means nothing here; what each request costs in
# system calls does not depend on the speed.
if [ "$MODE" = syscalls ]; then
	command -v strace >/dev/null || die "missing tool: strace"
	traced() { # PID...: every one has a tracer
		local p
		for p in "$@"; do
			[ "$(awk '/^TracerPid:/ { print $2 }' "/proc/$p/status" 2>/dev/null)" != 0 ] || return 1
		done
	}
	for t in $TARGETS; do verify "$t" || die "$(target_name "$t") does not answer correctly"; done
	if [ $HAVE_MIX = 1 ]; then
		for t in $TARGETS; do verify_mix "$t" || die "$(target_name "$t") does not route the mix requests as configured"; done
	fi
	: >"$T/syscalls.tsv"
	for wl in $WORKLOADS; do
		for t in $TARGETS; do
			wrk_cmd "$wl" "$t" 2
			timeout -k 5 30 "${NSX[@]}" "${WRK_ARGS[@]}" >/dev/null 2>&1	# warm-up
			if [ "$t" = kl7 ]; then pids=$(kl7_l7_pid); else pids=$(proc_tree "$HAP_PID"); fi
			sargs=()
			for p in $pids; do sargs+=(-p "$p"); done
			strace -c -f -q -o "$T/strace-$wl-$t.txt" "${sargs[@]}" &
			spid=$!
			track "$spid" strace
			for i in $(seq 1 100); do traced $pids && break; sleep 0.05; done
			traced $pids || die "strace did not attach to $pids"
			wrk_cmd "$wl" "$t" "$DUR"
			timeout -k 5 $((DUR + 30)) "${NSX[@]}" "${WRK_ARGS[@]}" >"$T/wrk-sys-$wl-$t.txt" 2>&1
			kill -INT "$spid"
			wait "$spid" 2>/dev/null
			req=$(sed -n 's/^KL7BENCH requests=\([0-9]*\).*/\1/p' "$T/wrk-sys-$wl-$t.txt")
			printf '%s\t%s\t%s\t%s\n' "$wl" "$t" "${req:-0}" "$T/strace-$wl-$t.txt" >>"$T/syscalls.tsv"
			log "$wl $t: ${req:-0} requests under strace"
		done
	done
	mkdir -p "$(dirname "$OUT")"
	"$PY" - "$T/syscalls.tsv" "$OUT" "$HOSTINFO" "$VERSIONS" "$DUR" <<'PYEOF2'
import re, sys
tsv, out, hostinfo, versions, dur = sys.argv[1:6]
WL = {"ka": "keep-alive, 1 KB, 100 conns", "close": "Connection: close, 1 KB, 50 conns",
      "big": "keep-alive, 16 MB, 4 conns", "mix": "mixed routing, keep-alive, 1 KB, 100 conns"}
TN = {"kl7": "keepalive-l7", "haproxy": "HAProxy"}
ROW = re.compile(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)\s*$")
lines = ["# Syscalls per request", "",
         "Written by `test/bench/l7_bench.sh -m syscalls` (strace -c -f on the serving "
         "processes during one %s s wrk run per workload; the proxies run far slower under "
         "strace, so only the counts per request mean anything)." % dur, "",
         "- host: " + hostinfo, "- versions: " + versions, "",
         "| workload | proxy | requests | syscalls / request | the most frequent, per request |",
         "|---|---|---|---|---|"]
for line in open(tsv):
    wl, t, req, path = line.rstrip("\n").split("\t")
    req = int(req)
    calls = {}
    for l in open(path):
        m = ROW.match(l)
        if m and m.group(2) != "total":
            calls[m.group(2)] = int(m.group(1))
    total = sum(calls.values())
    top = sorted(calls.items(), key=lambda kv: -kv[1])[:6]
    per = lambda n: "%.2f" % (n / req) if req else "-"
    lines.append("| %s | %s | %d | %s | %s |" % (WL[wl], TN[t], req, per(total),
                 ", ".join("%s %s" % (k, per(v)) for k, v in top)))
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PYEOF2
	exit 0
fi

nw=$(echo $WORKLOADS | wc -w); nt=$(echo $TARGETS | wc -w)
est=$((nw * (nt * 3 + ROUNDS * nt * (DUR + 2)) + 15))
log "benchmark: workloads [$WORKLOADS], targets [$TARGETS], $ROUNDS rounds of ${DUR}s; estimate ~${est}s ($((est / 60)) min $((est % 60)) s)"
log "proxy on CPU $PCPU, nginx + wrk on CPU $CCPU; ports kl7 $P_KL7, haproxy $P_HAP, nginx $P_NGX${NS:+ in netns $NS}"
log "affinity: $(affinity_report "$NGX_PID" ${KL7_PID:+$(kl7_pids)} ${HAP_PID:+$HAP_PID})"
for t in $TARGETS; do verify "$t" || die "$(target_name "$t") does not answer correctly; not measuring"; done
if [ $HAVE_MIX = 1 ]; then
	for t in $TARGETS; do
		verify_mix "$t" || die "$(target_name "$t") does not route the mix requests to the pools its config names; not measuring"
	done
fi

RUNS=$T/runs.tsv
: >"$RUNS"
: >"$T/commands.txt"
KL7_DEAD=0
kl7_set0=$( [ -n "$KL7_PID" ] && kl7_pids | tr '\n' ' ')

run_one() { # WL TARGET ROUND SECONDS [warm]
	local wl=$1 t=$2 r=$3 d=$4 warm=${5:-} c0a c0b c1a c1b wb wa pids before l7before nb after l7after na flags="" rawf line l7p set
	wrk_cmd "$wl" "$t" "$d"
	rawf=$T/wrk-$wl-$t-$r${warm:+-warm}.txt
	pids=$(target_pids "$t" | tr '\n' ' ')
	l7p=; [ "$t" = kl7 ] && l7p=$(kl7_l7_pid)
	# shellcheck disable=SC2086
	before=$(ticks_of $pids); l7before=$(ticks_of $l7p); nb=$(ticks_of "$NGX_PID"); c0b=$(cpu_busy "$PCPU")
	c1b=$(cpu_busy "$CCPU"); wb=$(children_ticks)
	timeout -k 5 $((d + 30)) "${NSX[@]}" "${WRK_ARGS[@]}" >"$rawf" 2>&1
	local rc=$?
	# shellcheck disable=SC2086
	wa=$(children_ticks); c1a=$(cpu_busy "$CCPU")
	after=$(ticks_of $pids); l7after=$(ticks_of $l7p); na=$(ticks_of "$NGX_PID"); c0a=$(cpu_busy "$PCPU")
	[ -n "$warm" ] && return 0
	{ printf '%q ' "${WRK_ARGS[@]}"; echo; } | sed -e "s|$T|\$T|g" -e 's/ $//' >>"$T/commands.txt"
	line=$(grep '^KL7BENCH' "$rawf")
	[ $rc = 0 ] || flags+="wrk-exit-$rc,"
	[ -n "$line" ] || { flags+="no-wrk-summary,"; line="KL7BENCH requests=0 bytes=0 duration_us=1 p50_us=0 p99_us=0 connect=0 read=0 write=0 status=0 timeout=0"; }
	if [ "$t" = kl7 ]; then
		set=$(kl7_pids | tr '\n' ' ')
		if ! kill -0 "$KL7_PID" 2>/dev/null; then
			flags+="daemon-died,"; KL7_DEAD=1
		elif [ "$set" != "$kl7_set0" ]; then
			flags+="child-restarted($kl7_set0->$set),"
			kl7_set0=$set
		fi
	fi
	[ "$t" = haproxy ] && ! kill -0 "$HAP_PID" 2>/dev/null && flags+="haproxy-died,"
	local -A kv=()
	local f
	for f in ${line#KL7BENCH }; do kv[${f%%=*}]=${f#*=}; done
	[ "${kv[requests]}" -gt 0 ] || flags+="no-requests,"
	for f in connect read write status timeout; do
		[ "${kv[$f]}" -gt 0 ] && flags+="$f-errors=${kv[$f]},"
	done
	flags=${flags%,}
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
		"$wl" "$t" "$r" "${kv[requests]}" "${kv[bytes]}" "${kv[duration_us]}" "${kv[p50_us]}" "${kv[p99_us]}" \
		"${kv[connect]}" "${kv[read]}" "${kv[write]}" "${kv[status]}" "${kv[timeout]}" \
		"$((after - before))" "$((l7after - l7before))" "$((na - nb))" "$((c0a - c0b))" \
		"$((c1a - c1b))" "$((wa - wb))" "${flags:-ok}" >>"$RUNS"
	log "$(printf '%-5s %-8s round %s: %9.0f req/s %9.1f MB/s p50 %7.2f ms p99 %7.2f ms proxy CPU %5.2f s%s %s' \
		"$wl" "$t" "$r" "$(echo "${kv[requests]} ${kv[duration_us]}" | awk '{print $1 / $2 * 1e6}')" \
		"$(echo "${kv[bytes]} ${kv[duration_us]}" | awk '{print $1 / $2}')" \
		"$(echo "${kv[p50_us]}" | awk '{print $1 / 1000}')" "$(echo "${kv[p99_us]}" | awk '{print $1 / 1000}')" \
		"$(echo $((after - before)) | awk -v hz="$(getconf CLK_TCK)" '{print $1 / hz}')" \
		"$([ "$t" = kl7 ] && echo " (l7 $(echo $((l7after - l7before)) | awk -v hz="$(getconf CLK_TCK)" '{print $1 / hz}') s)")" \
		"${flags:+[$flags]}")"
	if [ -n "$flags" ]; then
		sed 's/^/    wrk: /' "$rawf" | grep -v KL7BENCH >&2
		[ "$t" = kl7 ] && tail -n 20 "$T/kl7.log" | sed 's/^/    kl7.log: /' >&2
	fi
	sleep 1 # TIME_WAIT / idle pools settle between runs
}

START=$(date +%s)
for wl in $WORKLOADS; do
	log "--- workload $wl: warm-up (2 s each, not measured)"
	for t in $TARGETS; do
		[ "$t" = kl7 ] && [ $KL7_DEAD = 1 ] && continue
		run_one "$wl" "$t" 0 2 warm
	done
	set -- $TARGETS
	for r in $(seq 1 "$ROUNDS"); do
		# rotate the order each round so no target always goes first
		order=()
		local_n=$#
		for i in $(seq 0 $((local_n - 1))); do
			j=$(((i + r - 1) % local_n + 1))
			order+=("${!j}")
		done
		for t in "${order[@]}"; do
			if [ "$t" = kl7 ] && [ $KL7_DEAD = 1 ]; then
				log "$wl kl7 round $r: skipped, the daemon is dead"; continue
			fi
			run_one "$wl" "$t" "$r" "$DUR"
		done
	done
done
ELAPSED=$(($(date +%s) - START))
log "measured part took ${ELAPSED}s"
[ $KL7_DEAD = 1 ] && { log "keepalive-l7 died; its log:"; tail -n 40 "$T/kl7.log" >&2; }

sort -u "$T/commands.txt" -o "$T/commands.txt"
"$PY" - "$RUNS" "$OUT" "$(getconf CLK_TCK)" "$HOSTINFO" "$VERSIONS" "$T" "$DUR" "$ROUNDS" "$CMD_NGX" "$CMD_KL7" "$CMD_HAP" "$HAPROXY_SPLICE" "$PCPU" "$(cut -d' ' -f1-3 /proc/loadavg)" "$JSON_OUT" "$CCPU" <<'PYEOF'
import sys, statistics, time
runs_f, out, hz, hostinfo, versions, T, dur, rounds, cngx, ckl7, chap, hsplice, pcpu, loadend, json_out, cpu1n = sys.argv[1:17]
hz = float(hz)
WL = {"ka": "keep-alive, 1 KB, 100 conns", "close": "Connection: close, 1 KB, 50 conns", "big": "keep-alive, 16 MB, 4 conns",
      "mix": "mixed routing (10 http_route rules, 4 pools), keep-alive, 1 KB, 100 conns"}
WLS = ("ka", "close", "big", "mix")
TN = {"kl7": "keepalive-l7", "haproxy": "HAProxy", "direct": "direct (nginx)"}
rows = []
for line in open(runs_f):
    f = line.rstrip("\n").split("\t")
    wl, t, r = f[0], f[1], int(f[2])
    req, byt, dus, p50, p99, ec, er, ew, es, et, cpu, cpul7, cpungx, cpu0, cpu1, cpuwrk = map(int, f[3:19])
    flags = f[19]
    d = dus / 1e6
    x = dict(wl=wl, t=t, r=r, rps=req / d, mbs=byt / d / 1e6, p50=p50 / 1000.0, p99=p99 / 1000.0,
             cpu_s=cpu / hz, cpu_req=(cpu / hz) / req * 1e6 if req else float("nan"),
             cpul7_req=(cpul7 / hz) / req * 1e6 if req else float("nan"),
             cpu_gb=(cpu / hz) / (byt / 1e9) if byt else float("nan"),
             cpul7_gb=(cpul7 / hz) / (byt / 1e9) if byt else float("nan"),
             pcpu=cpu / hz / d * 100, ngxcpu=cpungx / hz / d * 100, flags=flags, req=req,
             other=max(0.0, (cpu0 - cpu) / hz / d * 100),
             other1=max(0.0, (cpu1 - cpungx - cpuwrk) / hz / d * 100), wrkcpu=cpuwrk / hz / d * 100,
             errs="%d/%d/%d/%d/%d" % (ec, er, ew, et, es))
    rows.append(x)

def med(v):
    v = [a for a in v if a == a]
    return statistics.median(v) if v else float("nan")

def spread(v, fmt):
    v = [a for a in v if a == a]
    if not v:
        return "–"
    return (fmt % med(v)) + " [" + (fmt % min(v)) + "–" + (fmt % max(v)) + "]"

L = []
p = L.append
p("# keepalive-l7 vs HAProxy vs direct: L7 benchmark (%s)" % time.strftime("%Y-%m-%d %H:%M"))
p("")
p("- Host: %s; load at end: %s" % (hostinfo, loadend))
p("- Versions: %s" % versions)
p("- Method: wrk -t1 on loopback (own network namespace), %s s per run, %s rounds, targets interleaved in a rotating order; "
  "proxy pinned to CPU 0, nginx (1 process) + wrk to CPU 1. HAProxy: nbthread 1, %s. "
  "Proxy CPU = utime+stime from /proc/PID/stat of all the proxy's processes (keepalive-l7: parent + vrrp + check + l7 children) "
  "over the run; \"l7\" = the kl7-l7 child alone. MB = 10^6 bytes read by wrk (headers included); GB = 10^9." %
  (dur, rounds, "option splice-auto" if hsplice == "1" else "no splicing"))
p("- Values: median [min–max] over the rounds. proxy CPU %% = proxy CPU time / wall time (100 %% = the proxy's core is saturated); "
  "nginx CPU %% shows when the backend/client core is the bottleneck; other on CPU %s %% = busy time of the proxy's CPU "
  "(/proc/stat) not used by the proxy: other processes on the machine, i.e. noise (should be near 0); other on CPU %s %% "
  "= the same on the client's CPU: its busy time less nginx's and wrk's (wrk's from this shell's cutime + cstime)." % (pcpu, cpu1n))
if any(x["wl"] == "mix" for x in rows):
    p("- mix: 10 http_route rules over 4 pools (HAProxy: the same conditions as acl + use_backend, in the same order), "
      "pool p1 the default; one real server per pool, each a server block of the same single nginx process on its own port, "
      "answering every method and path with a 1 KB body from memory (`return 200`) and `X-Pool: pN`. wrk's Lua script "
      "cycles through %d request classes (every route, the default and near misses of routes that must fall through to it), "
      "each verified by curl to reach its pool on both proxies before measuring. direct = the same requests, all to p1's server block." %
      sum(1 for _ in open(T + "/mix.tsv")))
p("")
flagged = [x for x in rows if x["flags"] != "ok"]
summ = {}
for wl in [w for w in WLS if any(x["wl"] == w for x in rows)]:
    p("## %s" % WL[wl])
    p("")
    big = wl == "big"
    if big:
        p("| target | req/s | MB/s | p50 ms | p99 ms | proxy CPU s/GB (all) | l7 child s/GB | proxy CPU %% | nginx CPU %% | other on CPU %s %% | other on CPU %s %% |" % (pcpu, cpu1n))
    else:
        p("| target | req/s | MB/s | p50 ms | p99 ms | proxy CPU µs/req (all) | l7 child µs/req | proxy CPU %% | nginx CPU %% | other on CPU %s %% | other on CPU %s %% |" % (pcpu, cpu1n))
    p("|---|---|---|---|---|---|---|---|---|---|---|")
    for t in ("kl7", "haproxy", "direct"):
        xs = [x for x in rows if x["wl"] == wl and x["t"] == t and x["flags"] == "ok"]
        xa = [x for x in rows if x["wl"] == wl and x["t"] == t]
        if not xa:
            continue
        if not xs:
            p("| %s | all runs flagged | | | | | | | | | |" % TN[t])
            continue
        g = lambda k: [x[k] for x in xs]
        s = {k: med(g(k)) for k in ("rps", "mbs", "p50", "p99", "cpu_req", "cpu_gb", "cpul7_req", "cpul7_gb")}
        summ[(wl, t)] = s
        if t == "direct":
            cpu, cpul7, pc = "–", "–", "–"
        elif big:
            cpu, cpul7, pc = spread(g("cpu_gb"), "%.2f"), spread(g("cpul7_gb"), "%.2f") if t == "kl7" else "–", spread(g("pcpu"), "%.0f")
        else:
            cpu, cpul7, pc = spread(g("cpu_req"), "%.2f"), spread(g("cpul7_req"), "%.2f") if t == "kl7" else "–", spread(g("pcpu"), "%.0f")
        nf = len(xa) - len(xs)
        p("| %s%s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (TN[t], " (%d run(s) flagged, excluded)" % nf if nf else "",
            spread(g("rps"), "%.0f"), spread(g("mbs"), "%.1f"), spread(g("p50"), "%.2f"), spread(g("p99"), "%.2f"),
            cpu, cpul7, pc, spread(g("ngxcpu"), "%.0f"), spread(g("other"), "%.0f"), spread(g("other1"), "%.0f")))
    p("")

p("## Ratios keepalive-l7 / HAProxy (medians) against the targets")
p("")
p("| workload | metric | keepalive-l7 | HAProxy | ratio | target | verdict |")
p("|---|---|---|---|---|---|---|")
allpass = True
for wl in WLS:
    a, b = summ.get((wl, "kl7")), summ.get((wl, "haproxy"))
    if not a or not b:
        if any(x["wl"] == wl for x in rows):
            p("| %s | – | no valid runs for both | | | | |" % wl)
        continue
    checks = []
    if wl in ("ka", "mix"):
        checks.append(("CPU µs/req", "cpu_req", "≤ 0.80", lambda r: r <= 0.80, "%.2f"))
    elif wl == "close":
        checks.append(("CPU µs/req", "cpu_req", "≤ 0.90", lambda r: r <= 0.90, "%.2f"))
    else:
        checks.append(("CPU s/GB", "cpu_gb", "≤ 0.90", lambda r: r <= 0.90, "%.2f"))
    if wl == "big":
        checks.append(("MB/s", "mbs", "≥ 1.00", lambda r: r >= 1.0, "%.1f"))
    checks.append(("req/s", "rps", "≥ 1.00", lambda r: r >= 1.0, "%.0f"))
    checks.append(("p50 ms", "p50", "(info)", None, "%.2f"))
    checks.append(("p99 ms", "p99", "≤ 1.00", lambda r: r <= 1.0, "%.2f"))
    for name, k, tgt, fn, fmt in checks:
        r = a[k] / b[k] if b[k] else float("nan")
        v = "–" if fn is None else ("PASS" if fn(r) else "**FAIL**")
        if fn is not None and not fn(r):
            allpass = False
        p("| %s | %s | %s | %s | %.2f | %s | %s |" % (wl, name, fmt % a[k], fmt % b[k], r, tgt, v))
p("")
p("All targets met in this run: **%s**" % ("yes" if allpass else "no"))
p("")
p("## Every run")
p("")
p("| workload | target | round | req/s | MB/s | p50 ms | p99 ms | proxy CPU s | CPU µs/req | l7 µs/req | CPU s/GB | proxy CPU %% | nginx CPU %% | wrk CPU %% | other on CPU %s %% | other on CPU %s %% | errors c/r/w/t/non-2xx | flags |" % (pcpu, cpu1n))
p("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for x in rows:
    pr = x["t"] != "direct"
    p("| %s | %s | %d | %.0f | %.1f | %.2f | %.2f | %s | %s | %s | %s | %s | %.0f | %.0f | %.0f | %.0f | %s | %s |" % (
        x["wl"], TN[x["t"]], x["r"], x["rps"], x["mbs"], x["p50"], x["p99"],
        "%.2f" % x["cpu_s"] if pr else "–", "%.2f" % x["cpu_req"] if pr else "–",
        "%.2f" % x["cpul7_req"] if x["t"] == "kl7" else "–", "%.2f" % x["cpu_gb"] if pr else "–",
        "%.0f" % x["pcpu"] if pr else "–", x["ngxcpu"], x["wrkcpu"], x["other"], x["other1"], x["errs"], x["flags"] if x["flags"] == "ok" else "**" + x["flags"] + "**"))
p("")
if flagged:
    p("**%d run(s) flagged** (wrk errors or non-2xx, a dead or restarted process): excluded from the medians; raw wrk output above in the script's log." % len(flagged))
    p("")
p("## Commands")
p("")
p("Inside the network namespace; `$T` is the temporary directory (configs below).")
p("")
p("```")
p(cngx.replace(T, "$T"))
p(ckl7.replace(T, "$T"))
p(chap.replace(T, "$T"))
for c in open(T + "/commands.txt"):
    p(c.rstrip("\n"))
p("```")
p("")
import os
for fn, title in (("kl7.conf", "keepalive-l7 config"), ("haproxy.cfg", "HAProxy config"), ("nginx.conf", "nginx config"),
                  ("mix.tsv", "mix request classes (route, pool, method, host, path, header, value, body)"),
                  ("mix.lua", "mix request generator (wrk Lua; report.lua's done() hook is appended)")):
    if not os.path.exists(T + "/" + fn) or (fn.startswith("mix") and not any(x["wl"] == "mix" for x in rows)):
        continue
    p("<details><summary>%s</summary>\n\n```\n%s```\n</details>\n" % (title, open(T + "/" + fn).read().replace(T, "$T")))
text = "\n".join(L) + "\n"
open(out, "w").write(text)
sys.stdout.write(text)
if json_out:
    import json
    js = {"dur": int(dur), "rounds": int(rounds), "hostinfo": hostinfo, "versions": versions, "report": out,
          "flagged": len(flagged), "medians": {}}
    for (wl, t), v in summ.items():
        xs = [x for x in rows if x["wl"] == wl and x["t"] == t and x["flags"] == "ok"]
        js["medians"].setdefault(wl, {})[t] = dict(v, runs=len(xs), pcpu=med([x["pcpu"] for x in xs]),
                                                   ngxcpu=med([x["ngxcpu"] for x in xs]), other=med([x["other"] for x in xs]),
                                                   other1=med([x["other1"] for x in xs]))
    json.dump(js, open(json_out, "w"), indent=1, allow_nan=True)
PYEOF
log "report written to $OUT${JSON_OUT:+, medians to $JSON_OUT}"
[ -s "$RUNS" ] || exit 1
if grep -qv $'\tok$' "$RUNS"; then
	log "some runs were flagged (see the table)"
	exit 1
fi
exit 0
