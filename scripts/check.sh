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
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

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

echo "KTAP version 1"
series_list=${CLIPPER_SERIES:-$(scripts/kernels.sh list)}

step "dependencies from Debian's packages" scripts/deps.sh

declare -A KV
for s in $series_list; do
	KV[$s]=$(scripts/kernels.sh kver "$s") || { emit "not ok" "resolve the Debian $s kernel"; continue; }
	kv=${KV[$s]}
	kd=/usr/src/linux-headers-$kv
	kbuild_step "module builds for $kv with W=1 and no warnings" "build-$kv" KDIR="$kd" W=1
	kbuild_step "sparse is clean for $kv" "sparse-$kv" KDIR="$kd" C=2
done

step "checkpatch --strict is clean" make -s style

unit_tests "kmod unit" kmod/tests

step "libxt_CLIPPER.so builds" make -C xt-ext
unit_tests xt-ext xt-ext

step "clipper tool builds" make -C cli
unit_tests cli cli

# programs the selftests run in the VM (whose root is read-only)
step "selftest programs build (nlfuzz)" make -C selftests/clipper nlfuzz
step "selftest programs build (synflood)" make -C selftests/clipper/stress

# packaging: man pages, systemd unit, make install, docs; then dkms add,
# build, install and remove in temporary trees, for the kernels above
host_test packaging scripts/test-packaging.sh
dkms_kernels=()
for s in $series_list; do
	[ -n "${KV[$s]:-}" ] && dkms_kernels+=("${KV[$s]}")
done
host_test dkms scripts/test-dkms.sh "${dkms_kernels[@]}"

# The VMs of all kernels boot at once: each runs its vCPUs on one host
# thread (single-threaded TCG, see run-vm.sh), so two use both cores.  Each
# VM's output goes to its log, shown when it is done.  A VM alone takes 17
# to 20 minutes; its 40 leave room for a machine that does more at the
# same time (each test has its own timeout, selftests/clipper/settings).
declare -A VMPID
for s in $series_list; do
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

for s in $series_list; do
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

# One round of the benchmark on a few configurations, so that it never
# rots: each must run, saturate the CPU and lose no packet (the figures
# are not judged here; make bench is where they are).  It boots its own
# VM, after the selftests' ones.  CLIPPER_BENCH_SMOKE=0 leaves it out.
if [ "${CLIPPER_BENCH_SMOKE:-1}" != 0 ] && [[ " $series_list " == *" 6.12 "* ]] &&
   [ -n "${KV[6.12]:-}" ]; then
	echo "# bench smoke on Debian ${KV[6.12]}"
	host_test "bench" bench/run.sh --smoke
fi

ktap_summary
