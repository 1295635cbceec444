#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for clipper's selftests (sourced).  Each test prints KTAP lines
# through check/pass/fail/skip and ends with ktap_finished, whose exit code
# follows kselftest: 0 pass, 1 fail, 4 skip.

ksft_pass=0
ksft_fail=1
ksft_skip=4

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=selftests/clipper/kreport.sh
source "$TOP/selftests/clipper/kreport.sh"
TEST_NAME=$(basename "$0" .sh)
CLIPPER=${CLIPPER:-$TOP/cli/clipper}
XT_DIR=$(pkg-config --variable=xtlibdir xtables 2>/dev/null || echo /usr/lib/x86_64-linux-gnu/xtables)
export XTABLES_LIBDIR=${XTABLES_LIBDIR:-$TOP/xt-ext:$XT_DIR}
# Results for the host's summary, one line each: "ok|not ok|skip|xfail
# KVER TEST: DESC"
RESULTS=${CLIPPER_RESULTS:-/dev/null}
KVER=$(uname -r)

_n=0
_failed=0
_passed=0
_skipped=0
_xfailed=0
# While set (xfail_begin REASON ... xfail_end), a failing check is an
# expected failure: "not ok N DESC # TODO REASON", not counted as failed.
# For a known defect, named in REASON with where it is tracked; a check
# that passes then is reported as passing.
XFAIL_REASON=""
xfail_begin() { XFAIL_REASON=$1; }
xfail_end() { XFAIL_REASON=""; }

_record() {
	echo "$1 $KVER $TEST_NAME: $2" >> "$RESULTS"
}

pass() {
	_n=$((_n + 1)); _passed=$((_passed + 1))
	echo "ok $_n $*"
	_record ok "$*"
}

fail() {
	_n=$((_n + 1))
	if [ -n "$XFAIL_REASON" ]; then
		_xfailed=$((_xfailed + 1))
		echo "not ok $_n $* # TODO $XFAIL_REASON"
		_record xfail "$* (expected to fail: $XFAIL_REASON)"
		return
	fi
	_failed=$((_failed + 1))
	echo "not ok $_n $*"
	_record "not ok" "$*"
}

skip() {
	_n=$((_n + 1)); _skipped=$((_skipped + 1))
	echo "ok $_n $* # SKIP"
	_record skip "$*"
}

# check DESC CMD... : pass when CMD succeeds; its output is shown on failure.
check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		pass "$desc"
	else
		fail "$desc"
		echo "$out" | sed 's/^/#   /' | tail -n 20
	fi
}

# check_fails DESC CMD... : pass when CMD fails.
check_fails() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		fail "$desc (unexpectedly succeeded)"
		echo "$out" | sed 's/^/#   /' | tail -n 20
	else
		pass "$desc"
	fi
}

# check_eq DESC EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1"
		echo "#   expected: $2"
		echo "#   actual:   $3"
	fi
}

ktap_finished() {
	local xf=""
	[ "$_xfailed" -eq 0 ] || xf=", $_xfailed expected failures"
	echo "# $TEST_NAME: $_passed passed, $_failed failed, $_skipped skipped$xf"
	[ "$_failed" -eq 0 ] || exit $ksft_fail
	[ "$_passed" -gt 0 ] || exit $ksft_skip
	exit $ksft_pass
}

# Poll instead of sleeping: busywait TIMEOUT_MS CMD...
busywait() {
	local timeout=$1 start now
	shift
	start=$(date +%s%3N)
	while true; do
		"$@" && return 0
		now=$(date +%s%3N)
		[ $((now - start)) -ge "$timeout" ] && return 1
		sleep 0.05
	done
}

# Kernel memory, for the tests that measure it: a /proc/meminfo field in
# kB; the objects of a slab cache (0 when it has none, or is merged into
# another); shrink_slabs gives every cache's per-CPU and empty slabs back,
# for figures that compare.
meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
slab_objs() { awk -v c="$1" '$1 == c { print $2; f = 1 } END { if (!f) print 0 }' /proc/slabinfo; }
shrink_slabs() {
	local f
	for f in /sys/kernel/slab/*/shrink; do
		echo 1 > "$f" 2>/dev/null
	done
}

# check_mem_back DESC CMD...: check that memory came back, or skip it on a
# KASAN kernel (make check-debug's), whose quarantine keeps freed objects
# in their slabs for a while, shrink or not: there kmemleak's scan at the
# end of the run looks for leaks instead.
kasan_kernel() { grep -qw kasan_quarantine_reduce /proc/kallsyms 2>/dev/null; }
check_mem_back() {
	if kasan_kernel; then
		skip "$1 (KASAN keeps freed objects in quarantine)"
	else
		check "$@"
	fi
}

# Background processes a test starts (PIDS+=($!)); stop_bg stops them all.
PIDS=()
stop_bg() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	PIDS=()
}

require_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "# SKIP: needs root"
		exit $ksft_skip
	fi
}

require_cmd() {
	local c
	for c in "$@"; do
		if ! command -v "$c" >/dev/null; then
			echo "# SKIP: $c not installed"
			exit $ksft_skip
		fi
	done
}

# Network namespaces with a unique suffix; all removed on exit.
NS_LIST=()
setup_ns() {
	local name ns
	for name in "$@"; do
		ns="${name}-$$-$RANDOM"
		ip netns add "$ns" || return 1
		ip -n "$ns" link set lo up
		NS_LIST+=("$ns")
		eval "$name=$ns"
	done
}

cleanup_ns() {
	local ns
	for ns in "${NS_LIST[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	NS_LIST=()
}

# Addresses from the documentation ranges (RFC 5737 / RFC 3849) only.
#
#   +---------+  veth  +---------+  veth  +---------+
#   | client  |--------| router  |--------| server  |
#   | .2      |  c0 r0 | .1 / .1 | r1 s0  |      .2 |
#   +---------+        +---------+        +---------+
#   192.0.2.0/24            198.51.100.0/24
#   2001:db8:1::/64         2001:db8:2::/64
setup_topology() {
	setup_ns client router server || return 1
	ip link add c0 netns "$client" type veth peer name r0 netns "$router"
	ip link add r1 netns "$router" type veth peer name s0 netns "$server"
	ip -n "$client" link set c0 address 02:00:00:00:0c:01
	ip -n "$client" addr add 192.0.2.2/24 dev c0
	ip -n "$client" addr add 2001:db8:1::2/64 dev c0 nodad
	ip -n "$router" addr add 192.0.2.1/24 dev r0
	ip -n "$router" addr add 2001:db8:1::1/64 dev r0 nodad
	ip -n "$router" addr add 198.51.100.1/24 dev r1
	ip -n "$router" addr add 2001:db8:2::1/64 dev r1 nodad
	ip -n "$server" addr add 198.51.100.2/24 dev s0
	ip -n "$server" addr add 2001:db8:2::2/64 dev s0 nodad
	ip -n "$client" link set c0 up
	ip -n "$server" link set s0 up
	ip -n "$router" link set r0 up
	ip -n "$router" link set r1 up
	ip netns exec "$router" sysctl -qw net.ipv4.ip_forward=1
	ip netns exec "$router" sysctl -qw net.ipv6.conf.all.forwarding=1
	ip -n "$client" route add default via 192.0.2.1
	ip -n "$client" -6 route add default via 2001:db8:1::1
	ip -n "$server" route add default via 198.51.100.1
	ip -n "$server" -6 route add default via 2001:db8:2::1
}

# dmesg lines that mean the kernel is unhappy, since this test began (the
# marker below; the whole log if a test cleared it): an earlier test's
# report is that test's failure, run_kselftest.sh's final check sees all.
DMESG_MARK="clipper-selftest: $TEST_NAME starts"
echo "$DMESG_MARK" > /dev/kmsg 2>/dev/null
dmesg_bad() {
	dmesg | awk -v m="$DMESG_MARK" '{ l[NR] = $0 } index($0, m) { s = NR }
		END { for (i = s + 1; i <= NR; i++) print l[i] }' |
		kreport
}
