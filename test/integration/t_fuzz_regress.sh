#!/bin/bash
# The libFuzzer harnesses (test/fuzz, built with clang) replay their seed
# corpora, regressions included: every crash ever found stays fixed.
# One check per harness (make fuzz-regress says which).
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

if ! command -v clang >/dev/null; then
	plan 1
	skip "clang is not installed" "fuzz harnesses replay their corpora"
	exit 0
fi
make -C "$KL7_TOP_BUILDDIR" fuzz-regress >"$KL7_TMP/fuzz.log" 2>&1
status=$?
re='^fuzz-regress: ([a-z0-9_]+)(: ([0-9]+) inputs ok| FAILED)$'
n=0 failed=0
while IFS= read -r line; do
	[[ $line =~ $re ]] || continue
	n=$((n + 1))
	if [ -n "${BASH_REMATCH[3]}" ]; then
		pass "${BASH_REMATCH[1]}: its ${BASH_REMATCH[3]} seeds replay"
	else
		diag "$(grep -E 'assertion failed|ERROR|runtime error|SUMMARY' \
		    "$KL7_TOP_BUILDDIR/test/fuzz/regress-${BASH_REMATCH[1]}.log" | head -n 10)"
		fail "${BASH_REMATCH[1]}: its seeds replay"
		failed=$((failed + 1))
	fi
done <"$KL7_TMP/fuzz.log"
if [ "$n" -eq 0 ]; then
	diag_file "$KL7_TMP/fuzz.log" 20
	fail "the fuzz harnesses build"
elif [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
	fail "make fuzz-regress succeeds"
fi
done_testing
