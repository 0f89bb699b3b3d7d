#!/bin/bash
# The libFuzzer harnesses (test/fuzz, built with clang) replay their seed
# corpora, regressions included: every crash ever found stays fixed.
set -u
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

plan 1
if ! command -v clang >/dev/null; then
	skip "clang is not installed" "fuzz harnesses replay their corpora"
	exit 0
fi
if make -C "$KL7_TOP_BUILDDIR" fuzz-regress >"$KL7_TMP/fuzz.log" 2>&1; then
	pass "fuzz harnesses replay their corpora"
else
	diag_file "$KL7_TMP/fuzz.log" 20
	fail "fuzz harnesses replay their corpora"
fi
