#!/bin/bash
# http_route basic authentication against real backends (echo_backend.py,
# which logs the header fields it receives): the right credentials of a
# yescrypt and a sha512-crypt user pass, and the backend sees no
# Authorization field; an auth_forward route passes it on; a wrong
# password, an unknown user, malformed fields, two fields and no field
# each get 401 with the realm's challenge and reach no backend; a route
# without auth_users forwards Authorization untouched; a 401 keeps the
# connection, and the same connection then authenticates; 50 keep-alive
# requests with the right credentials all pass quickly (one verification,
# then the cache: without it the verification budget would answer 503);
# a flood of wrong guesses at a costly (bcrypt) hash hits the budget and
# gets 503 with Retry-After, while a client that is in still passes at
# once; the 401s are counted in the state dump; SIGTERM stops it clean
# (no sanitizer report under --enable-sanitizers).
#
#   lb  d0 (dummy) 192.0.2.1/24 (the virtual server), 198.51.100.2/24 (backend)
#
# The hashes are made here, with fresh salts, by crypt(3) through
# python3's crypt module (as `mkpasswd -m yescrypt` would).
#
# Run by hand (as root), from the source tree with a build in build/:
#   KL7_TOP_BUILDDIR=$PWD/build bash test/integration/t_auth.sh
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

require_root
command -v curl >/dev/null || skip_all "no curl"
command -v ss >/dev/null || skip_all "no ss (iproute2)"

T=$KL7_TMP
VIP=192.0.2.1
S=198.51.100.2
BLOG=$T/backend.log
ST=$T/state.json

# mkhash PASSWORD SETTING-PREFIX: a crypt(3) hash with a random salt.
mkhash() {
	"$KL7_PYTHON" -W ignore - "$1" "$2" <<'EOF'
import crypt, sys
pw, prefix = sys.argv[1], sys.argv[2]
salt = crypt.mksalt(crypt.METHOD_SHA512)[3:]
if prefix == "$2b$":
    setting = crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1 << 10)
else:
    setting = prefix + salt
h = crypt.crypt(pw, setting)
if not h or not h.startswith(prefix):
    sys.exit(1)
print(h)
EOF
}
ALICE=$(mkhash s3cret '$y$j9T$') || skip_all "cannot make a yescrypt hash (python3 crypt)"
BOB=$(mkhash 'pa:ss w0rd' '$6$') || skip_all "cannot make a sha512-crypt hash"
CAROL=$(mkhash carolpw '$2b$') || skip_all "cannot make a bcrypt hash"

lb_ns $VIP/24 $S/24
lb_backends "$BLOG" 8101 -- -l $S:8101:web

cat >"$T/k.conf" <<EOF
global_defs {
    state_file $ST
}
virtual_server $VIP 80 {
    lb_kind L7
    http_route admin {
        path_prefix /admin/
        pool web
        auth_realm "Admin \"zone\""
        auth_users {
            alice $ALICE
            bob   $BOB
        }
    }
    http_route fwd {
        path_prefix /fwd/
        pool web
        auth_users { alice $ALICE }
        auth_forward
    }
    http_route costly {
        path_prefix /costly/
        pool web
        auth_users {
            carol $CAROL
        }
    }
    http_route open { path_prefix /open/ pool web }
    default_pool web
    real_server $S 8101 { pool web }
}
EOF
check "the config is valid (keepalive-l7 -t)" "$kl7_bin" -t -f "$T/k.conf"
kl7_up "$T/k.conf"
L7_PID=$(kl7_child_pid "$(daemon_pid kl7)" kl7-l7)

# last_auth: the Authorization fields of the backend's last request.
last_auth() {
	"$KL7_PYTHON" - "$BLOG" <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
r = [x for x in recs if x.get("name") == "web"][-1]
print([v for k, v in r["headers"] if k.lower() == "authorization"])
EOF
}
served() { log_count "$BLOG" '"method": '; }
is() { [ "$1" = "$2" ]; }
# get PATH CURL-ARGS...: the status line and the fields of the answer.
get() {
	local path=$1
	shift
	ns_exec lb curl -s -m 10 -D - -o /dev/null "$@" "http://$VIP:80$path" | tr -d '\r'
}
status_of() { head -n 1 <<<"$1" | cut -d' ' -f2; }
b64() { printf '%s' "$1" | base64 -w0; }
CHALLENGE='WWW-Authenticate: Basic realm="Admin \"zone\"", charset="UTF-8"'

# ---------------------------------------------------------------- good

out=$(get /admin/a -u alice:s3cret)
check "alice (yescrypt), right password: 200" is "$(status_of "$out")" 200
check "... the backend sees no Authorization field" is "$(last_auth)" "[]"
out=$(get /admin/b -u 'bob:pa:ss w0rd')
check "bob (sha512-crypt, a ':' in the password): 200" is "$(status_of "$out")" 200
out=$(get /ADMIN/x -u alice:wrong)
check "another path (no route matches): no auth, the default pool" is "$(status_of "$out")" 200
out=$(get /fwd/a -u alice:s3cret)
check "auth_forward route: 200" is "$(status_of "$out")" 200
check "... the backend sees the Authorization field" \
    is "$(last_auth)" "['Basic $(b64 alice:s3cret)']"
out=$(get /open/a -H "Authorization: Bearer tok123")
check "a route without auth_users: 200 with any Authorization" is "$(status_of "$out")" 200
check "... which reaches the backend untouched" is "$(last_auth)" "['Bearer tok123']"

# ---------------------------------------------------------------- refused

n=$(served)
refused() {	# refused DESC CURL-ARGS...: 401 with the challenge
	local desc=$1 o
	shift
	o=$(get /admin/r "$@")
	check "$desc: 401" is "$(status_of "$o")" 401
	check "... with the realm's challenge" grep -qxF "$CHALLENGE" <<<"$o"
}
refused "wrong password" -u alice:s3cre
refused "unknown user" -u mallory:s3cret
refused "no Authorization field"
refused "malformed: bad base64" -H "Authorization: Basic YWxpY2U6czNjcmV0="
refused "malformed: no ':'" -H "Authorization: Basic $(b64 alices3cret)"
refused "another scheme" -H "Authorization: Bearer $(b64 alice:s3cret)"
refused "two Authorization fields" -H "Authorization: Basic $(b64 alice:s3cret)" \
    -H "Authorization: Basic $(b64 alice:s3cret)"
refused "the scheme in lower case, a wrong password" -H "Authorization: basic $(b64 alice:x)"
out=$(get /admin/r -H "Authorization: bAsIc $(b64 alice:s3cret)")
check "the scheme in mixed case, right credentials: 200" is "$(status_of "$out")" 200
check "no refused request reached the backend" is "$(served)" $((n + 1))

# ---------------------------------------------------------------- keep-alive

# client PYTHON-BODY: a raw client in lb on the VS, with send(bytes) and
# reply() (one response: the head and a Content-Length body; 10 s).
client() {
	ns_exec lb "$KL7_PYTHON" - "$VIP" "$1" <<'EOF'
import socket, sys, time
s = socket.create_connection((sys.argv[1], 80), timeout=10)
buf = b""
def send(b):
    s.sendall(b)
def reply():
    global buf
    while b"\r\n\r\n" not in buf:
        d = s.recv(65536)
        if not d:
            return b"<closed>"
        buf += d
    head, rest = buf.split(b"\r\n\r\n", 1)
    n = 0
    for l in head.split(b"\r\n")[1:]:
        k, v = l.split(b":", 1)
        if k.strip().lower() == b"content-length":
            n = int(v)
    while len(rest) < n:
        d = s.recv(65536)
        if not d:
            return b"<closed>"
        rest += d
    buf = rest[n:]
    return head
def req(path, auth=None):
    a = b"Authorization: Basic " + auth + b"\r\n" if auth else b""
    return b"GET " + path + b" HTTP/1.1\r\nHost: t\r\n" + a + b"\r\n"
exec(sys.argv[2])
EOF
}
ok64=$(b64 alice:s3cret)
ans=$(client "send(req(b'/admin/k')); a = reply(); send(req(b'/admin/k', b'$ok64')); b = reply()
print(a.split(b'\r\n')[0], b'Connection: close' in a, b.split(b'\r\n')[0])")
check "a 401 keeps the connection; the same connection then authenticates" \
    is "$ans" "b'HTTP/1.1 401 Unauthorized' False b'HTTP/1.1 200 OK'"

ans=$(client "send(b'HEAD /admin/h HTTP/1.1\\r\\nHost: t\\r\\n\\r\\n'); a = reply()
print(a.split(b'\\r\\n')[0], b'Connection: close' in a)")
check "HEAD without credentials: 401, and the connection closes (the page has a body)" \
    is "$ans" "b'HTTP/1.1 401 Unauthorized' True"

ans=$(client "send(req(b'/admin/p') + req(b'/admin/p', b'$ok64') + req(b'/admin/p', b'eA=='))
print([reply().split(b'\r\n')[0][9:12] for i in range(3)])")
check "pipelined: 401, 200, 401 in order on one connection" is "$ans" "[b'401', b'200', b'401']"

# 50 requests, one connection: with the cache, one verification at most.
urls=()
for i in $(seq 1 50); do urls+=("http://$VIP:80/admin/ka$i"); done
t0=$(now_ms)
codes=$(ns_exec lb curl -s -m 30 -u alice:s3cret -o /dev/null -o /dev/null \
    -w '%{http_code} %{num_connects}\n' "${urls[@]}" 2>/dev/null)
t1=$(now_ms)
diag "50 keep-alive requests with credentials: $((t1 - t0)) ms"
check "50 keep-alive requests with the right credentials: all 200" \
    is "$(awk '$1 == 200' <<<"$codes" | wc -l)" 50
check "... on one connection" is "$(awk '{ c += $2 } END { print c }' <<<"$codes")" 1
check "... within 10 s (generous: one verification, then the cache)" \
    test $((t1 - t0)) -lt 10000

# ---------------------------------------------------------------- budget

# Distinct wrong guesses at a bcrypt hash, on one connection: each costs a
# verification until the budget (250 ms of crypt per second) is spent,
# then 503 with Retry-After.  Bounded: 40 guesses.
ans=$(client "codes = []
for i in range(40):
    try:
        send(req(b'/costly/g', __import__('base64').b64encode(b'carol:guess%d' % i)))
        h = reply()
    except Exception as e:
        print(codes, e, file=sys.stderr)
        raise
    codes.append(h.split(b'\r\n')[0][9:12])
    if codes[-1] == b'503':
        print(b'Retry-After: 1' in h, end=' ')
        break
print(codes[-1], len(codes) > 1)")
check "a flood of guesses at a costly hash: 503 with Retry-After once the budget is spent" \
    is "$ans" "True b'503' True"
t0=$(now_ms)
out=$(get /admin/in -u alice:s3cret)
t1=$(now_ms)
check "... while a client whose credentials are cached passes at once" \
    is "$(status_of "$out")" 200
diag "cached credentials during the flood: $((t1 - t0)) ms"
ok_carol() { is "$(status_of "$(get /costly/in -u carol:carolpw)")" 200; }
check "... and the right password passes once the budget has grown back (5 s)" \
    wait_for 5 ok_carol

# ---------------------------------------------------------------- counters

check "the state dump is written (SIGUSR1)" state_dump kl7 "$ST"
rej=$(state_show "$ST" "vs('$VIP:80')['auth_rejected']")
diag "auth_rejected: $rej"
check "the 401s are counted (auth_rejected >= 12)" test "$rej" -ge 12
check "the same l7 child served it all (no crash, no restart)" \
    is "$(kl7_child_pid "$(daemon_pid kl7)" kl7-l7)" "$L7_PID"
check "the backend logged no protocol error" bash -c "! grep -q '\"error\"' '$BLOG'"
check_stop_clean kl7
done_testing
