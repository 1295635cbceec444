#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run clipper's selftests the way the kselftest runner does: one KTAP
# result per test program, its own output indented behind "# ", the
# per-test timeout from ./settings, exit code 4 meaning skip.  A last test
# checks that the kernel log stayed clean.
#
#   run_kselftest.sh [TEST...]      (default: TEST_PROGS from the Makefile)
#
# CLIPPER_TEST_TIMEOUT=SECONDS overrides the per-test timeout of ./settings
# (the debug kernel of scripts/check-debug.sh is several times slower).
cd "$(dirname "$0")" || exit 1
# shellcheck source=selftests/clipper/kreport.sh
source ./kreport.sh

timeout=$(sed -n 's/^timeout=//p' settings 2>/dev/null)
timeout=${CLIPPER_TEST_TIMEOUT:-${timeout:-300}}
if [ $# -gt 0 ]; then
	tests=("$@")
else
	read -r -a tests <<< "$(sed -n 's/^TEST_PROGS[[:space:]]*:*=[[:space:]]*//p' Makefile)"
fi

RESULTS=${CLIPPER_RESULTS:-/dev/null}
export CLIPPER_RESULTS=$RESULTS
kver=$(uname -r)

echo "KTAP version 1"
echo "# kernel $kver"
echo "1..$((${#tests[@]} + 1))"
n=0
failed=0
for t in "${tests[@]}"; do
	n=$((n + 1))
	echo "# selftest: clipper: $t"
	start=$SECONDS
	timeout --foreground -k 10 "$timeout" "./$t" 2>&1 | sed -u 's/^/# /'
	rc=${PIPESTATUS[0]}
	echo "# $t took $((SECONDS - start)) s"
	case $rc in
	0) echo "ok $n selftests: clipper: $t" ;;
	4) echo "ok $n selftests: clipper: $t # SKIP" ;;
	124) echo "not ok $n selftests: clipper: $t # TIMEOUT ${timeout} seconds"
	     echo "not ok $kver $t: finished within ${timeout}s" >> "$RESULTS"
	     failed=1 ;;
	*) echo "not ok $n selftests: clipper: $t # exit=$rc"; failed=1 ;;
	esac
done

n=$((n + 1))
bad=$(dmesg | kreport)
if [ -z "$bad" ]; then
	echo "ok $n selftests: clipper: dmesg clean"
	echo "ok $kver dmesg: no WARN, BUG, oops, leak or lockdep report" >> "$RESULTS"
else
	echo "$bad" | sed 's/^/# /'
	echo "not ok $n selftests: clipper: dmesg clean"
	echo "not ok $kver dmesg: no WARN, BUG, oops, leak or lockdep report" >> "$RESULTS"
	failed=1
fi
exit $failed
