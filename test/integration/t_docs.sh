#!/bin/bash
# The man pages are the contract: keepalive-l7.conf(5) documents every
# configuration keyword (`keepalive-l7 --list-keywords`) in a tagged
# paragraph, keepalive-l7(8) mentions every long option of `--help`,
# keepalive-l7ctl(8) every command and long option of its `--help`, and
# the three pages render without groff warnings.  Prints TAP; exits 1 if
# any test failed.
set -u
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
top_src=${KL7_TOP_SRCDIR:-$(cd "$here/../.." && pwd)}
top_build=${KL7_TOP_BUILDDIR:-$(cd "$here/../.." && pwd)}
bin=$top_build/keepalive-l7/keepalive-l7
ctl_bin=$top_build/keepalive-l7/keepalive-l7ctl
conf5=$top_src/doc/keepalive-l7.conf.5
man8=$top_src/doc/keepalive-l7.8
ctl8=$top_src/doc/keepalive-l7ctl.8

n=0
failed=0
pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

for b in "$bin" "$ctl_bin"; do
	if [ ! -x "$b" ]; then
		echo "1..1"
		echo "not ok 1 - $b is built"
		exit 1
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kl7_docs.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# "PARENT KEYWORD [(unsupported)]" or "KEYWORD [(unsupported)]" per line;
# keep one line per keyword name, with every parent it appears under.
if ! "$bin" --list-keywords >"$tmp/list" 2>"$tmp/list.err" || [ ! -s "$tmp/list" ]; then
	echo "1..1"
	echo "not ok 1 - $bin --list-keywords lists the keywords"
	diag "$(cat "$tmp/list.err")"
	exit 1
fi
awk '{
	sub(/ \(unsupported\)$/, "")
	kw = $NF
	parent = NF > 1 ? $1 : "top level"
	if (!(kw in where)) { order[++nkw] = kw; where[kw] = parent }
	else if (index(", " where[kw] ", ", ", " parent ", ") == 0) where[kw] = where[kw] ", " parent
} END { for (i = 1; i <= nkw; i++) print order[i], where[order[i]] }' "$tmp/list" >"$tmp/keywords"

# The tag lines of the .TP paragraphs of keepalive-l7.conf(5): the first
# line after each .TP that is not a roff comment.
if [ -f "$conf5" ]; then
	awk '/^\.TP/ { tag = 1; next }
	     tag && /^\.\\"/ { next }
	     tag { print; tag = 0 }' "$conf5" >"$tmp/tags"
else
	: >"$tmp/tags"
fi

# The long options of --help, and keepalive-l7(8) with roff's \- as -.
"$bin" --help 2>&1 | grep -o -- '--[a-z][a-z-]*' | sort -u >"$tmp/longopts"
if [ -f "$man8" ]; then
	sed 's/\\-/-/g' "$man8" >"$tmp/man8"
else
	: >"$tmp/man8"
fi

# keepalive-l7ctl's commands (the indented lines of --help after
# "commands", up to the first argument) and long options, and its page.
"$ctl_bin" --help 2>&1 | awk '/^commands/ { on = 1; next }
	on && /^  / { c = ""; for (i = 1; i <= NF && $i ~ /^[a-z]+$/; i++) c = c (c ? " " : "") $i; print c }' \
	>"$tmp/ctl_cmds"
"$ctl_bin" --help 2>&1 | grep -o -- '--[a-z][a-z-]*' | sort -u >"$tmp/ctl_longopts"
if [ -f "$ctl8" ]; then
	sed 's/\\-/-/g' "$ctl8" >"$tmp/ctl8"
else
	: >"$tmp/ctl8"
fi

nkw=$(wc -l <"$tmp/keywords")
echo "1..$((nkw + 3))"

# One result per keyword: in bold in a .TP tag of keepalive-l7.conf(5).
while read -r kw parents; do
	if grep -qF -- "\\fB$kw\\fR" "$tmp/tags"; then
		pass "keepalive-l7.conf.5 documents $kw ($parents) in a tagged paragraph"
	else
		fail "keepalive-l7.conf.5 documents $kw ($parents) in a tagged paragraph"
		diag "no .TP tag with \\fB$kw\\fR in $conf5"
	fi
done <"$tmp/keywords"

# Every long option of --help is named in keepalive-l7(8).
missing=""
while read -r opt; do
	grep -qF -- "$opt" "$tmp/man8" || missing="$missing $opt"
done <"$tmp/longopts"
if [ ! -s "$tmp/longopts" ]; then
	fail "keepalive-l7.8 mentions every long option of --help"
	diag "--help printed no long options"
elif [ -z "$missing" ]; then
	pass "keepalive-l7.8 mentions every long option of --help ($(wc -l <"$tmp/longopts") options)"
else
	fail "keepalive-l7.8 mentions every long option of --help"
	diag "missing from $man8:$missing"
fi

# Every command of keepalive-l7ctl --help has a tagged paragraph (.B,
# .BR or .BI line after .TP/.TQ) in keepalive-l7ctl(8), and every long
# option is named there.
missing=""
while read -r cmd; do
	awk -v c="$cmd" '/^\.T[PQ]/ { tag = 1; next }
	    tag { line = $0; gsub(/"/, "", line); if (index(line, c) && line ~ /^\.B[IR]? /) found = 1; tag = 0 }
	    END { exit !found }' "$tmp/ctl8" || missing="$missing '$cmd'"
done <"$tmp/ctl_cmds"
while read -r opt; do
	grep -qF -- "$opt" "$tmp/ctl8" || missing="$missing $opt"
done <"$tmp/ctl_longopts"
if [ ! -s "$tmp/ctl_cmds" ]; then
	fail "keepalive-l7ctl.8 documents every command and long option of --help"
	diag "keepalive-l7ctl --help listed no commands"
elif [ -z "$missing" ]; then
	pass "keepalive-l7ctl.8 documents every command and long option of --help ($(wc -l <"$tmp/ctl_cmds") commands)"
else
	fail "keepalive-l7ctl.8 documents every command and long option of --help"
	diag "missing from $ctl8:$missing"
fi

# The pages render with groff -man -ww without a warning.
if ! command -v groff >/dev/null 2>&1; then
	n=$((n + 1))
	echo "ok $n # SKIP groff missing"
else
	bad=""
	for page in "$conf5" "$man8" "$ctl8"; do
		if [ ! -f "$page" ]; then
			bad="$bad $page"
			diag "$page: missing"
			continue
		fi
		out=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
		rc=$?
		if [ "$rc" -ne 0 ] || [ -n "$out" ]; then
			bad="$bad $page"
			diag "$page: groff exited $rc" "$out"
		fi
	done
	if [ -z "$bad" ]; then
		pass "keepalive-l7.conf.5, keepalive-l7.8 and keepalive-l7ctl.8 render without groff warnings"
	else
		fail "keepalive-l7.conf.5, keepalive-l7.8 and keepalive-l7ctl.8 render without groff warnings"
	fi
fi

[ "$failed" -eq 0 ] || exit 1
exit 0
