#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: install what is missing, build for both Debian kernels with
# W=1, sparse and checkpatch, run the host unit tests, boot each kernel in
# QEMU and run the selftests there.  Prints KTAP as it goes and ends with
# one line "N passed, N failed"; exits non-zero on any failure.
#
# CLIPPER_SERIES="6.1 6.12" picks the kernels; CLIPPER_TESTS="cli.sh ..."
# a subset of the selftests; CLIPPER_BENCH_SMOKE=0 leaves the benchmark's
# smoke run out.
#
# The KASAN lane, after the stock kernels' VMs: a small KASAN kernel built
# from Debian's linux-source-6.1 (scripts/debug-kernel.sh --small: KASAN
# and what the VM and the PMTU tests need, built in; cached in
# ~/.cache/clipper/kasan; about 11 minutes to build on two idle cores),
# the module built against it with W=1, and one VM, beside the
# benchmark's, that runs pmtu_bad.sh's part 8 there (CLIPPER in
# iptables-legacy user chains while it sends ICMP and copies from inside
# the traversal: the jump stack; and --pmtu-fix df on forwarded skbs that
# an AF_PACKET tap made clones), then pmtu.sh; about 8 minutes.  The
# guest (check-debug.sh --guest) fails the lane unless KASAN's banner is
# in the boot log, and on any report in the kernel log of the run.
#   CLIPPER_KASAN=0                leaves the lane out
#   CLIPPER_KASAN_TESTS="..."      its selftests (default "pmtu_bad.sh
#                                  pmtu.sh"; with CLIPPER_TESTS set, those
#                                  of them in it)
#   CLIPPER_KASAN_PARTS="..."      PMTU_BAD_PARTS there (default 8)
#   CLIPPER_KASAN_VM_TIMEOUT=S     its VM's timeout (default 2400)
#
# CLIPPER_LANES="host vm kasan bench" (the default) picks what runs: host
# (the builds for the stock kernels, sparse, checkpatch, the unit,
# packaging and DKMS tests), vm (the stock kernels' selftest VMs), kasan,
# bench (the smoke run).  Each builds what it needs: CLIPPER_LANES=kasan
# runs the KASAN lane alone.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

lanes=" ${CLIPPER_LANES:-host vm kasan bench} "
[ "${CLIPPER_KASAN:-1}" != 0 ] || lanes=${lanes/ kasan / }
[ "${CLIPPER_BENCH_SMOKE:-1}" != 0 ] || lanes=${lanes/ bench / }
lane() { [[ $lanes == *" $1 "* ]]; }
for l in $lanes; do
	case $l in
	host | vm | kasan | bench) ;;
	*) echo "check.sh: no lane $l (host, vm, kasan, bench)" >&2; exit 2 ;;
	esac
done

# shellcheck source=scripts/ktap.sh
. scripts/ktap.sh
ktap_init "$top/build/check"

# no_diag LOG: the build log has no compiler or sparse diagnostics
no_diag() {
	! grep -E '(warning|error):' "$1"
}

# kbuild_step DESC LOGNAME MAKEVARS...: "make module" with no diagnostics
kbuild_step() {
	local desc=$1 log="$out/logs/$2.log"
	shift 2
	if make module "$@" > "$log" 2>&1 && no_diag "$log" >/dev/null; then
		emit ok "$desc"
	else
		emit "not ok" "$desc"
		grep -E '(warning|error):' "$log" | head -n 20 | sed 's/^/#   /'
		tail -n 5 "$log" | sed 's/^/#   /'
		return 1
	fi
}

# unit_tests NAME DIR: "make -C DIR check", its TAP lines become results
unit_tests() {
	local log="$out/logs/unit-$1.log"
	if ! make -s -C "$2" check > "$log" 2>&1 && ! grep -q '^not ok' "$log"; then
		emit "not ok" "$1 unit tests build and run"
		tail -n 20 "$log" | sed 's/^/#   /'
	fi
	import_tap "$1" "$log"
}

# host_test NAME CMD...: a host test script; its TAP lines become results
host_test() {
	local name=$1 log="$out/logs/host-$1.log"
	shift
	if ! "$@" > "$log" 2>&1 && ! grep -q '^not ok' "$log"; then
		emit "not ok" "$name tests finished"
		tail -n 20 "$log" | sed 's/^/#   /'
	fi
	import_tap "$name" "$log"
}

# The KASAN lane's selftests: CLIPPER_KASAN_TESTS, less those that a
# CLIPPER_TESTS leaves out
kasan_tests=()
for t in ${CLIPPER_KASAN_TESTS:-pmtu_bad.sh pmtu.sh}; do
	if [ -z "${CLIPPER_TESTS:-}" ] || [[ " $CLIPPER_TESTS " == *" $t "* ]]; then
		kasan_tests+=("$t")
	fi
done
if lane kasan && [ ${#kasan_tests[@]} -eq 0 ]; then
	echo "# KASAN lane left out: none of ${CLIPPER_KASAN_TESTS:-pmtu_bad.sh pmtu.sh} in CLIPPER_TESTS"
	lanes=${lanes/ kasan / }
fi

echo "KTAP version 1"
echo "# lanes:$lanes"
series_list=${CLIPPER_SERIES:-$(scripts/kernels.sh list)}

if lane kasan; then
	step "dependencies from Debian's packages" scripts/deps.sh kernel-build
else
	step "dependencies from Debian's packages" scripts/deps.sh
fi

declare -A KV
for s in $series_list; do
	KV[$s]=$(scripts/kernels.sh kver "$s") || { emit "not ok" "resolve the Debian $s kernel"; continue; }
	kv=${KV[$s]}
	kd=/usr/src/linux-headers-$kv
	if lane host || lane vm || lane bench; then
		kbuild_step "module builds for $kv with W=1 and no warnings" "build-$kv" KDIR="$kd" W=1
	fi
	if lane host; then
		kbuild_step "sparse is clean for $kv" "sparse-$kv" KDIR="$kd" C=2
	fi
done

lane host && step "checkpatch --strict is clean" make -s style

lane host && unit_tests "kmod unit" kmod/tests

# the VMs use the tree's libxt_CLIPPER.so and clipper tool
step "libxt_CLIPPER.so builds" make -C xt-ext
lane host && unit_tests xt-ext xt-ext

step "clipper tool builds" make -C cli
lane host && unit_tests cli cli

# programs the selftests run in the VM (whose root is read-only)
if lane host || lane vm; then
	step "selftest programs build (nlfuzz)" make -C selftests/clipper nlfuzz
	step "selftest programs build (synflood)" make -C selftests/clipper/stress
fi

# packaging: man pages, systemd unit, make install, docs; then dkms add,
# build, install and remove in temporary trees, for the kernels above
if lane host; then
	host_test packaging scripts/test-packaging.sh
	dkms_kernels=()
	for s in $series_list; do
		[ -n "${KV[$s]:-}" ] && dkms_kernels+=("${KV[$s]}")
	done
	host_test dkms scripts/test-dkms.sh "${dkms_kernels[@]}"
fi

# The VMs of all kernels boot at once: each runs its vCPUs on one host
# thread (single-threaded TCG, see run-vm.sh), so two use both cores.  Each
# VM's output goes to its log, shown when it is done.  A VM alone takes 17
# to 20 minutes; its 40 leave room for a machine that does more at the
# same time (each test has its own timeout, selftests/clipper/settings).
declare -A VMPID
vm_series=$series_list
lane vm || vm_series=""
for s in $vm_series; do
	kv=${KV[$s]:-}
	[ -n "$kv" ] || continue
	ko="$top/build/$kv/xt_CLIPPER.ko"
	[ -f "$ko" ] || continue
	echo "# booting Debian $kv under QEMU"
	# shellcheck disable=SC2086
	selftests/vm/run-vm.sh -k "$s" -m "$ko" -o "$out/vm-$kv" -t 2400 -- \
		selftests/clipper/run_kselftest.sh ${CLIPPER_TESTS:-} \
		> "$out/logs/vm-$kv.log" 2>&1 &
	VMPID[$s]=$!
done

for s in $vm_series; do
	kv=${KV[$s]:-}
	[ -n "$kv" ] || continue
	if [ -z "${VMPID[$s]:-}" ]; then
		emit "not ok" "selftests on $kv (module did not build)"
		continue
	fi
	vmout="$out/vm-$kv"
	vmrc=0
	wait "${VMPID[$s]}" || vmrc=$?
	echo "# selftests on Debian $kv:"
	sed 's/^/# /' "$out/logs/vm-$kv.log"
	import_vm "" "$vmout" "$vmrc" "selftests on $kv"
done

# The KASAN lane: its kernel is built only now, with both cores free (the
# VMs above have timing-sensitive tests); its VM then runs beside the
# benchmark's (each VM one host thread).
kasan_pid=""
kasan_start() {
	local t0=$SECONDS kd kv ko
	step "small KASAN kernel builds (debug-kernel.sh --small)" \
		env CLIPPER_DEBUG_JOBS="$(nproc)" scripts/debug-kernel.sh --small build || return 1
	kd=$(scripts/debug-kernel.sh --small dir) || return 1
	kv=$(cat "$kd/kver")
	echo "# KASAN kernel $kv in $kd: $((SECONDS - t0)) s here (its build took" \
		"$(cat "$kd/build-seconds") s, $(cat "$kd/build-cpu-seconds" 2>/dev/null || echo ?) s of CPU)"
	kbuild_step "module builds for $kv with W=1 and no warnings" "build-$kv" \
		KDIR="$kd/build" W=1 || return 1
	ko="$top/build/$kv/xt_CLIPPER.ko"
	# inline KASAN: the module's own loads and stores are checked
	step "xt_CLIPPER.ko for $kv is KASAN-instrumented" \
		sh -c "nm -u '$ko' | grep -E '__asan_(report|register)'" || return 1
	echo "# KASAN lane: booting $kv under QEMU for ${kasan_tests[*]} (PMTU_BAD_PARTS=${CLIPPER_KASAN_PARTS:-8})"
	kasan_t0=$SECONDS
	selftests/vm/run-vm.sh -k "$kd" -m "$ko" -o "$out/vm-kasan" \
		-t "${CLIPPER_KASAN_VM_TIMEOUT:-2400}" -- \
		env CLIPPER_EXPECT_KASAN=1 PMTU_BAD_PARTS="${CLIPPER_KASAN_PARTS:-8}" \
		CLIPPER_TEST_TIMEOUT=$((${CLIPPER_KASAN_VM_TIMEOUT:-2400} - 300)) \
		scripts/check-debug.sh --guest "${kasan_tests[@]}" \
		> "$out/logs/vm-kasan.log" 2>&1 &
	kasan_pid=$!
}
kasan_wait() {
	local vmrc=0
	[ -n "$kasan_pid" ] || return 0
	wait "$kasan_pid" || vmrc=$?
	echo "# KASAN lane: ${kasan_tests[*]} on the KASAN kernel (the VM ran $((SECONDS - kasan_t0)) s):"
	sed 's/^/# /' "$out/logs/vm-kasan.log"
	import_vm "kasan: " "$out/vm-kasan" "$vmrc" "the KASAN lane's selftests"
}
lane kasan && kasan_start

# One round of the benchmark on a few configurations, so that it never
# rots: each must run, saturate the CPU and lose no packet (the figures
# are not judged here; make bench is where they are).  It boots its own
# VM, after the selftests' ones.  CLIPPER_BENCH_SMOKE=0 leaves it out.
if lane bench && [[ " $series_list " == *" 6.12 "* ]] && [ -n "${KV[6.12]:-}" ]; then
	echo "# bench smoke on Debian ${KV[6.12]}"
	host_test "bench" bench/run.sh --smoke
fi

kasan_wait

ktap_summary
