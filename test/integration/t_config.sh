#!/bin/bash
# Config-test behaviour of keepalive-l7: -t, --dump-conf, errors as FILE:LINE,
# keepalived's own sample files, the command line's exit statuses.
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

SAMPLES_DIR=/usr/share/doc/keepalived/samples
SAMPLE_CONF="$KL7_TOP_SRCDIR/conf/keepalive-l7.conf"
TWENTY="$KL7_TOP_SRCDIR/test/unit/configs/twenty_mistakes.conf"

samples=()
for f in "$SAMPLES_DIR"/keepalived.conf.*; do
	[ -f "$f" ] && samples+=("$f")
done
n_samples=${#samples[@]}
[ "$n_samples" -gt 0 ] || n_samples=1	# one failure: the samples are missing

plan $((2 + n_samples + 4))

if [ ! -x "$kl7_bin" ]; then
	diag "binary $kl7_bin not found: build first"
fi

# run_kl7 TAG ARGS...: run the binary with a 10 s limit; stdout to
# $KL7_TMP/TAG.out, stderr to $KL7_TMP/TAG.err; sets $rc.
run_kl7() {
	local tag=$1
	shift
	rc=0
	timeout -k 2 10 "$kl7_bin" "$@" >"$KL7_TMP/$tag.out" 2>"$KL7_TMP/$tag.err" || rc=$?
}

# error_line_numbers FILE PATH: the LINE of every "PATH:LINE: ..." in FILE.
error_line_numbers() {
	awk -v p="$2:" 'index($0, p) == 1 {
		rest = substr($0, length(p) + 1)
		if (match(rest, /^[0-9]+: /)) print substr(rest, 1, RLENGTH - 2)
	}' "$1"
}

# ---------------------------------------------------------------- (a)
for id in lb1 lb2; do
	run_kl7 "sample-$id" -t -f "$SAMPLE_CONF" -i "$id"
	if [ ! -f "$SAMPLE_CONF" ]; then
		diag "$SAMPLE_CONF does not exist"
		fail "-t -i $id accepts conf/keepalive-l7.conf"
	elif [ "$rc" -eq 0 ]; then
		pass "-t -i $id accepts conf/keepalive-l7.conf"
	else
		diag "exit status $rc"
		diag_file "$KL7_TMP/sample-$id.err"
		fail "-t -i $id accepts conf/keepalive-l7.conf"
	fi
done

# ---------------------------------------------------------------- (b)

# keepalived_line_errors FILE ID: the line numbers for which Debian's
# keepalived -t reports an error (not a warning or a deprecation notice),
# as "N<TAB>message".  keepalived writes "(FILE: Line N) msg" and, for
# some keywords, "(Line N) msg".
keepalived_line_errors() {
	local file=$1 id=$2 out="$KL7_TMP/keepalived.err" args=() pre=()
	[ -n "$id" ] && args=(-i "$id")
	[ "$ka_netns" -eq 1 ] && pre=(ip netns exec "$(ns_name ka)")
	: >"$out"
	# In an empty netns (when root) so that its interface checks do not
	# depend on the host's interfaces.
	timeout -k 2 20 "${pre[@]+"${pre[@]}"}" keepalived -t -f "$file" "${args[@]+"${args[@]}"}" \
	    </dev/null >"$out" 2>&1 || true
	awk -v f="$file" '
	match($0, /^\(([^()]*: )?Line [0-9]+\) /) {
		head = substr($0, 2, RLENGTH - 3)
		msg = substr($0, RLENGTH + 1)
		n = head; sub(/.*Line /, "", n)
		if (head ~ /: Line /) {
			fn = head; sub(/: Line [0-9]+$/, "", fn)
			if (fn != f) next
		}
		m = msg; sub(/^\([^)]*\) */, "", m)
		if (tolower(m) ~ /^warning|deprecated|doesn.t exist/) next
		print n "\t" msg
	}' "$out"
}

if [ "${#samples[@]}" -eq 0 ]; then
	diag "no $SAMPLES_DIR/keepalived.conf.*: install Debian's keepalived package"
	fail "keepalived sample files present"
else
	have_keepalived=1
	command -v keepalived >/dev/null || have_keepalived=0
	ka_netns=0
	if [ "$(id -u)" -eq 0 ] && netns_add ka; then
		ka_netns=1
	fi
	for f in "${samples[@]}"; do
		base=${f##*/}
		id=""
		[ "$base" = keepalived.conf.conditional_conf ] && id=high
		args=(-t -f "$f")
		[ -n "$id" ] && args+=(-i "$id")
		run_kl7 "ka-$base" "${args[@]}"
		desc="-t on keepalived sample $base${id:+ (-i $id)}"
		err="$KL7_TMP/ka-$base.err"
		case $rc in
		0)
			pass "$desc: valid"
			continue
			;;
		1) ;;
		*)
			diag "exit status $rc (want 0 or 1; 124/137 = hang, >128 = signal)"
			diag_file "$err"
			fail "$desc"
			continue
			;;
		esac
		bad=0
		if [ "$have_keepalived" -eq 0 ]; then
			diag "keepalived is not installed: cannot compare errors"
			bad=1
		fi
		ka_errs=$(keepalived_line_errors "$f" "$id")
		n_errs=0
		while IFS= read -r line; do
			# the closing summary "FILE: N errors"
			case $line in "$f: "[0-9]*" error"*) continue ;; esac
			n_errs=$((n_errs + 1))
			lno=$(printf '%s\n' "$line" | error_line_numbers /dev/stdin "$f")
			if [ -z "$lno" ]; then
				diag "not FILE:LINE: $line"
				bad=1
			elif [[ $line == *"not supported"* ]]; then
				diag "ok (not supported): ${line#"$f":}"
			elif ka=$(printf '%s\n' "$ka_errs" | awk -F'\t' -v n="$lno" '$1 == n { print $2; exit }') &&
			    [ -n "$ka" ]; then
				diag "ok (keepalived too: $ka): ${line#"$f":}"
			else
				diag "not keepalived's and not 'not supported': ${line#"$f":}"
				bad=1
			fi
		done <"$err"
		if [ "$n_errs" -eq 0 ]; then
			diag "exit status 1 but no error line"
			bad=1
		fi
		ok "$bad" "$desc: every error is 'not supported' or keepalived's"
	done
fi

# ---------------------------------------------------------------- (c)
run_kl7 twenty -t -f "$TWENTY"
bad=0
if [ ! -f "$TWENTY" ]; then
	diag "$TWENTY does not exist"
	bad=1
fi
[ "$rc" -eq 1 ] || { diag "exit status $rc, want 1"; bad=1; }
n_lines=$(error_line_numbers "$KL7_TMP/twenty.err" "$TWENTY" | wc -l)
n_distinct=$(error_line_numbers "$KL7_TMP/twenty.err" "$TWENTY" | sort -un | wc -l)
diag "error lines: $n_lines, distinct line numbers: $n_distinct"
[ "$n_lines" -eq 20 ] || bad=1
[ "$n_distinct" -eq 20 ] || bad=1
[ "$bad" -eq 0 ] || diag_file "$KL7_TMP/twenty.err" 40
ok "$bad" "-t on twenty_mistakes.conf: exit 1, 20 errors on 20 distinct lines"

# ---------------------------------------------------------------- (d)
run_kl7 dump --dump-conf -f "$SAMPLE_CONF" -i lb1
bad=0
[ "$rc" -eq 0 ] || { diag "exit status $rc"; bad=1; }
if ! "$KL7_PYTHON" -m json.tool "$KL7_TMP/dump.out" >/dev/null 2>"$KL7_TMP/dump.json.err"; then
	diag "not valid JSON: $(head -c 300 "$KL7_TMP/dump.json.err")"
	bad=1
fi
# The virtual servers of the file, "ADDR PORT" (lines for @lb1 or for all).
vs_addrs=$(sed -E -n 's/^[[:space:]]*(@lb1[[:space:]]+)?virtual_server[[:space:]]+([0-9a-fA-F.:]+)[[:space:]]+([0-9]+).*/\2 \3/p' \
    "$SAMPLE_CONF" 2>/dev/null)
if [ -z "$vs_addrs" ]; then
	diag "no 'virtual_server ADDR PORT' line in $SAMPLE_CONF"
	bad=1
fi
if [ "$bad" -eq 0 ]; then
	# shellcheck disable=SC2016
	if ! "$KL7_PYTHON" - "$KL7_TMP/dump.out" "$vs_addrs" >"$KL7_TMP/dump.check" 2>&1 <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
got = [vs.get("address", "") for vs in j.get("virtual_server", [])]
bad = 0
for want in sys.argv[2].split("\n"):
    addr, port = want.split()
    forms = (addr + ":" + port, "[" + addr + "]:" + port)
    if not any(g in forms for g in got):
        print("virtual_server %s port %s not in the dump (got %s)" % (addr, port, got))
        bad = 1
sys.exit(bad)
EOF
	then
		diag "$(cat "$KL7_TMP/dump.check")"
		bad=1
	fi
fi
ok "$bad" "--dump-conf prints valid JSON holding the virtual server addresses"

# ---------------------------------------------------------------- (e)
missing="$KL7_TMP/no-such-file.conf"
run_kl7 missing -t -f "$missing"
bad=0
[ "$rc" -eq 1 ] || { diag "exit status $rc, want 1"; bad=1; }
if ! grep -qF -- "$missing" "$KL7_TMP/missing.err"; then
	diag "stderr does not name $missing"
	diag_file "$KL7_TMP/missing.err"
	bad=1
fi
ok "$bad" "-t on a missing file exits 1 naming the file"

# ---------------------------------------------------------------- (f)
run_kl7 badopt --no-such-option
rc1=$rc
run_kl7 badopt2 -Z
diag "--no-such-option: exit $rc1; -Z: exit $rc"
[ "$rc1" -eq 2 ] && [ "$rc" -eq 2 ]
ok $? "an unknown option exits 2"
