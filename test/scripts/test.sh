#!/bin/bash
# The test command: install Debian packages, build twice (plain with
# -Werror, and with ASan+UBSan), run every unit and integration test in
# both builds, then fuzz each libFuzzer harness for 60 s (one test each),
# and end with "N passed, N failed, N skipped".
# Run as root from anywhere: sudo bash test/scripts/test.sh
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=test/scripts/deps.sh
. "$top/test/scripts/deps.sh"

kl7_install_deps || { echo "apt-get failed"; echo "0 passed, 1 failed"; exit 1; }
(cd "$top" && ./autogen.sh >/dev/null 2>&1) || { echo "autogen failed"; echo "0 passed, 1 failed"; exit 1; }

pass=0 fail=0 skip=0

# count LOG FIELD: a number from automake's test-suite.log summary.
count() {
	awk -v f="# $2:" '$1" "$2 == f { print $3; exit }' "$1"
}

run_build() {	# run_build DIR CONFIGURE-ARGS...
	local dir="$top/$1" log
	shift
	mkdir -p "$dir"
	echo "== build $(basename "$dir"): configure $*"
	if ! (cd "$dir" && "$top/configure" -q "$@" && make -j2 >make.out 2>&1); then
		tail -n 40 "$dir/make.out" 2>/dev/null
		fail=$((fail + 1))
		return
	fi
	(cd "$dir" && make -j2 check >check.out 2>&1)
	log="$dir/test-suite.log"
	grep -E '^(PASS|FAIL|SKIP|ERROR|XPASS)' "$dir/check.out" | grep -v '^PASS' | head -n 50
	if [ ! -f "$log" ]; then
		tail -n 40 "$dir/check.out"
		fail=$((fail + 1))
		return
	fi
	# Name each failed case.
	grep -H '^not ok' "$dir"/test/*/*.log 2>/dev/null | head -n 40
	pass=$((pass + $(count "$log" PASS)))
	fail=$((fail + $(count "$log" FAIL) + $(count "$log" ERROR) + $(count "$log" XPASS)))
	skip=$((skip + $(count "$log" SKIP)))
	echo "   $(count "$log" PASS) passed, $(count "$log" FAIL) failed, $(count "$log" SKIP) skipped"
}

run_build build --enable-werror
# The same suite under AddressSanitizer (with LeakSanitizer) and UBSan.
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_build build-asan --enable-werror --enable-sanitizers

# Fuzzing comes last: it keeps a core busy, and the integration tests
# above measure time.  One harness at a time, each one test: every name
# of `make fuzz-list` (FUZZ_NAMES in test/fuzz/fuzz.mk, sticky_sync too).
FUZZ_SECONDS=60
run_fuzz() {	# run_fuzz DIR
	local dir="$top/$1" name f
	echo "== fuzz: each harness for $FUZZ_SECONDS s"
	if ! command -v clang >/dev/null; then
		echo "   clang is not installed: skipped"
		skip=$((skip + 1))
		return
	fi
	if ! make -C "$dir" fuzz-build >"$dir/fuzz-build.out" 2>&1; then
		tail -n 40 "$dir/fuzz-build.out"
		fail=$((fail + 1))
		return
	fi
	for name in $(make -s -C "$dir" fuzz-list); do
		f="$dir/fuzz-$name.out"
		if make -s -C "$dir" fuzz FUZZ_NAMES="$name" FUZZ_SECONDS="$FUZZ_SECONDS" >"$f" 2>&1; then
			pass=$((pass + 1))
			echo "   $name: ok, $(awk '/^stat::number_of_executed_units:/ { print $2 }' "$f")" \
			    "executions in $FUZZ_SECONDS s"
		else
			fail=$((fail + 1))
			echo "   $name: FAILED"
			# What it found, and where the input is kept (test/fuzz/crashes/NAME/).
			sed -e "s|test/fuzz/crashes/|$dir/test/fuzz/crashes/|g" -e 's/^/     /' "$f" |
			    head -n 50
		fi
	done
}
run_fuzz build

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
