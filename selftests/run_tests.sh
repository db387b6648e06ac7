#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs edgeward's selftests the way kselftest's runner does: one TAP line per
# test program, its own TAP output nested as "# " lines. Counts the test
# cases of every program and ends with
#   # edgeward selftests: N passed, N failed, N skipped
# Usage: run_tests.sh BUILD_DIR TEST...   (programs from BUILD_DIR, scripts
# from this directory). Exit status: 0 if nothing failed.

set -u

here=$(cd "$(dirname "$0")" && pwd)
build=$1
shift

KSFT_SKIP=4
pass=0 fail=0 skip=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "TAP version 13"
echo "1..$#"

n=0
for t in "$@"; do
	n=$((n + 1))
	if [ -x "$build/$t" ]; then
		cmd=("$build/$t")
	else
		cmd=("$here/$t")
	fi
	echo "# selftests: edgeward: $t"
	"${cmd[@]}" 2>&1 | tee "$log" | sed -u 's/^/# /'
	rc=${PIPESTATUS[0]}

	# Test cases are the program's own top-level ok/not ok lines.
	p=$(grep -cE '^ok [0-9]+ ' "$log" | tr -d ' ')
	s=$(grep -cE '^ok [0-9]+ .*# SKIP' "$log" | tr -d ' ')
	f=$(grep -cE '^not ok [0-9]+ ' "$log" | tr -d ' ')
	p=$((p - s))

	if [ "$rc" -eq 0 ] && [ "$f" -eq 0 ] && [ $((p + s)) -gt 0 ]; then
		echo "ok $n selftests: edgeward: $t"
	elif [ "$rc" -eq "$KSFT_SKIP" ] && [ "$f" -eq 0 ]; then
		[ $((p + s)) -eq 0 ] && s=1
		echo "ok $n selftests: edgeward: $t # SKIP"
	else
		# A crash or a bad exit status with no failed case is a failure too.
		[ "$f" -eq 0 ] && f=1
		echo "not ok $n selftests: edgeward: $t # exit=$rc"
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
done

echo "# edgeward selftests: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
