#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: install what is missing, build for every Debian kernel
# (scripts/kernels.sh list: 5.10 to the newest 7.x; 5.10 and 7.x in
# chroots of their releases, scripts/chroot.sh) with W=1, sparse and
# checkpatch, run the host unit tests (on x86 and on big-endian s390x),
# boot every one of those kernels in QEMU (scripts/kernels.sh vm) and run
# the selftests there: the whole suite on the oldest and the newest
# (5.10 and 7.3: kernels.sh full), the core tests on the others; boot
# Debian's arm64 kernel with the module cross-built for it (arm64-smoke.sh;
# CLIPPER_ARM64=0 leaves it out).  Prints KTAP as it
# goes and ends with one line "N passed, N failed"; exits non-zero on any
# failure.
#
# CLIPPER_SERIES="6.1 6.12" picks the kernels built; CLIPPER_TESTS="cli.sh
# ..." a subset of the selftests, on every kernel booted;
# CLIPPER_VM_SERIES the kernels booted (default all); CLIPPER_FULL_SERIES
# those of them that run the whole suite (default the oldest and the
# newest; "all": make
# check-kernels), CLIPPER_CORE_TESTS what the others
# run; CLIPPER_SPLIT_SERIES those whose suite is cut in two VMs (default:
# the full ones); CLIPPER_VM_JOBS how many VMs run at once (default: one
# per CPU); CLIPPER_BENCH_SMOKE=0 leaves the benchmark's smoke run out.
#
# The KASAN lane: a small KASAN kernel built from Debian's
# linux-source-6.1 (scripts/debug-kernel.sh --small: KASAN and what the VM
# and the PMTU tests need, built in; cached in ~/.cache/clipper/kasan;
# about 11 minutes to build on two idle cores, before any VM starts), the
# module built against it with W=1, and one VM in the pool that runs
# pmtu_bad.sh's part 8 there (CLIPPER in iptables-legacy user chains while
# it sends ICMP and copies from inside the traversal: the jump stack; and
# --pmtu-fix df on forwarded skbs that an AF_PACKET tap made clones), then
# pmtu.sh; about 7 minutes.  The guest (check-debug.sh --guest) fails the
# lane unless KASAN's banner is in the boot log, and on any report in the
# kernel log of the run.
#   CLIPPER_KASAN=0                leaves the lane out
#   CLIPPER_KASAN_TESTS="..."      its selftests (default "pmtu_bad.sh
#                                  pmtu.sh"; with CLIPPER_TESTS set, those
#                                  of them in it)
#   CLIPPER_KASAN_PARTS="..."      PMTU_BAD_PARTS there (default 8)
#   CLIPPER_KASAN_VM_TIMEOUT=S     its VM's timeout (default 2400)
#
# CLIPPER_LANES="host vm kasan bench" (the default) picks what runs: host
# (the builds for the stock kernels, sparse, checkpatch, the unit,
# packaging and DKMS tests, the WebSocket test peers), vm (the stock
# kernels' selftest VMs), kasan, bench (the smoke run).  Each builds what
# it needs: CLIPPER_LANES=kasan runs the KASAN lane alone.
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

# the module's objects: sparse must have checked each
nobjs=$(grep -o 'kmod/[a-z_0-9]*\.o' Kbuild | sort -u | wc -l)

# kbuild_step DESC LOGNAME SERIES MAKEVARS...: "make module" for the
# series (on this machine or in its release's chroot; "-": on this
# machine, KDIR among MAKEVARS) with no diagnostics.  With C=2 sparse must
# also have checked every object ("CHECK" lines): Debian's 7.x headers
# lack scripts/checker-valid.sh, and their Makefile then turns C=2 off
# with a note that is no warning.
kbuild_step() {
	local desc=$1 log="$out/logs/$2.log" series=$3 checked=
	shift 3
	local cmd=(scripts/kernels.sh make "$series" module -j"$(nproc)")
	[ "$series" != - ] || cmd=(make module)
	if "${cmd[@]}" "$@" > "$log" 2>&1 && no_diag "$log" >/dev/null; then
		case " $* " in
		*" C=2 "*)
			checked=$(grep -c '^ *CHECK ' "$log")
			if [ "$checked" -ne "$nobjs" ]; then
				emit "not ok" "$desc"
				echo "#   sparse checked $checked of $nobjs objects"
				grep -E 'C=|sparse|checker' "$log" | head -n 5 | sed 's/^/#   /'
				return 1
			fi
			;;
		esac
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

# shellcheck disable=SC2086
if lane kasan; then
	step "dependencies from Debian's packages" scripts/deps.sh kernel-build $series_list
else
	step "dependencies from Debian's packages" scripts/deps.sh $series_list
fi

declare -A KV
for s in $series_list; do
	KV[$s]=$(scripts/kernels.sh kver "$s") || { emit "not ok" "resolve the Debian $s kernel"; continue; }
	kv=${KV[$s]}
	if lane host; then
		# one build: W=1, and sparse over every object (C=2;
		# KBUILD_CHECKSRC: even where the headers lack
		# checker-valid.sh)
		kbuild_step "module builds for $kv with W=1 and sparse, no warnings" "build-$kv" "$s" \
			W=1 C=2 KBUILD_CHECKSRC=2
	elif lane vm || lane bench; then
		kbuild_step "module builds for $kv with W=1 and no warnings" "build-$kv" "$s" W=1
	fi
done

if lane host; then
	step "checkpatch runs: it finds the errors planted in a test file" scripts/checkpatch.sh --self-test
	step "checkpatch --strict is clean" make -s style
	unit_tests "kmod unit" kmod/tests
	# the same on a big-endian machine: s390x under qemu-user
	host_test "kmod unit, big-endian" scripts/test-bigendian.sh
fi

# the VMs use the tree's libxt_CLIPPER.so and clipper tool
step "libxt_CLIPPER.so builds" make -C xt-ext
lane host && unit_tests xt-ext xt-ext

step "clipper tool builds" make -C cli
lane host && unit_tests cli cli

# the WebSocket selftest's peers and its capture oracle (ws.sh's
# references), against each other over loopback: no module
lane host && host_test ws-peers selftests/clipper/ws/host-check.sh

# programs the selftests run in the VM (whose root is read-only)
if lane host || lane vm; then
	step "selftest programs build (nlfuzz)" make -C selftests/clipper nlfuzz
	step "selftest programs build (synflood)" make -C selftests/clipper/stress
	# the YNL spec against the kernel's tools and the code; it also
	# fetches those tools for ynl.sh in the VMs
	host_test ynl scripts/test-ynl.sh
fi

# packaging: man pages, systemd unit, make install, docs; then dkms add,
# build, install and remove in temporary trees, for the kernels above
if lane host; then
	host_test packaging scripts/test-packaging.sh
	# (those whose headers are on this machine: the others need their
	# release's compiler, in a chroot, where dkms is not)
	dkms_kernels=()
	for s in $series_list; do
		[ -n "${KV[$s]:-}" ] || continue
		case $(scripts/kernels.sh suite "$s") in
		host*) dkms_kernels+=("${KV[$s]}") ;;
		esac
	done
	host_test dkms scripts/test-dkms.sh "${dkms_kernels[@]}"
fi

# The VMs.  Each runs its vCPUs on one host thread (single-threaded TCG,
# see run-vm.sh), so they run as many at once as there are CPUs
# (CLIPPER_VM_JOBS), from one pool, the longest first (on the costs
# below), whatever lane they belong to: the stock kernels' selftests, the
# KASAN kernel's, the benchmark's smoke run.  Each one's output goes to its
# log, shown when all are done, in a fixed order.
#
# The stock kernels booted are CLIPPER_VM_SERIES (default: kernels.sh vm,
# all five; make check-kernels: the same).  The whole suite runs on those
# of CLIPPER_FULL_SERIES (default: kernels.sh full, 5.10 and 7.3;
# make check-kernels: all), the core tests
# (CLIPPER_CORE_TESTS) on the others.  A whole suite is cut in two VMs of
# about equal cost (CLIPPER_SPLIT_SERIES: those kernels; default: the
# full ones), so that the pool stays balanced.  The timeouts leave room
# for a machine that does more at the same time (each test has its own,
# selftests/clipper/settings).
vm_boot=${CLIPPER_VM_SERIES:-$(scripts/kernels.sh vm)}
full=${CLIPPER_FULL_SERIES:-$(scripts/kernels.sh full)}
[ "$full" = all ] && full=$vm_boot
split=${CLIPPER_SPLIT_SERIES-$full}
core_tests=${CLIPPER_CORE_TESTS:-module.sh target.sh classify.sh pmtu.sh ws.sh}
vm_jobs=${CLIPPER_VM_JOBS:-$(nproc)}
read -r -a suite <<< "$(sed -n 's/^TEST_PROGS[[:space:]]*:*=[[:space:]]*//p' selftests/clipper/Makefile)"

# What each test costs, in seconds: make check of d169e22 on 7 December,
# 6.1 and 6.12 (two VMs on two cores); only their proportions matter, to
# balance the pool.  A test not listed counts 300 s.  5.10 takes about
# a third longer under TCG (its whole suite 2361 s in two VMs on 7
# December, after run-vm.sh's 9p message size; Documentation/testing.rst),
# SLOW in percent.
declare -A COST=([module.sh]=14 [target.sh]=41 [cli.sh]=20 [netns.sh]=7
	[userns.sh]=39 [classify.sh]=127 [dscp.sh]=16 [qos.sh]=62
	[mactable.sh]=36 [pmtu.sh]=169 [pmtu_bad.sh]=291 [pmtu_rx.sh]=193
	[ws.sh]=189 [wirefuzz.sh]=87 [nlfuzz.sh]=84 [flood.sh]=86
	[stress.sh]=229 [ynl.sh]=55)
declare -A SLOW=([5.10]=130)
# est SERIES TEST...: the seconds a VM of these tests takes, boot included
est() {
	local s=$1 t sum=60
	shift
	for t in "$@"; do sum=$((sum + ${COST[$t]:-300})); done
	echo $((sum * ${SLOW[$s]:-100} / 100))
}

# The pool's jobs: NAME (the kernel release, "-1"/"-2" for a half of a
# suite, "kasan", "bench"), its kind, its estimated cost; for a stock
# kernel its series, tests ("" for the whole suite) and timeouts.
vm_names=()
declare -A VMKIND VMEST VMSERIES VMTESTS VMTMO VMTESTTMO
add_vm() {		# add_vm NAME KIND EST [SERIES TIMEOUT "TEST..." [TEST TIMEOUT]]
	vm_names+=("$1")
	VMKIND[$1]=$2
	VMEST[$1]=$3
	VMSERIES[$1]=${4:-}
	VMTMO[$1]=${5:-}
	VMTESTS[$1]=${6:-}
	VMTESTTMO[$1]=${7:-}
}
# add_stock NAME SERIES "TEST...": a stock kernel's VM ("": the whole
# suite), its estimate, its timeout (twice the estimate, at least 1500 s)
# and, on a slow kernel, a longer per-test timeout: on 5.10 a test can
# take up to three times as long as selftests/clipper/settings allows on
# a busy machine
add_stock() {
	local e t
	# shellcheck disable=SC2086
	e=$(est "$2" ${3:-${suite[*]}})
	t=$((e * 2))
	[ "$t" -ge 1500 ] || t=1500
	add_vm "$1" stock "$e" "$2" "$t" "$3" \
		"${SLOW[$2]:+${CLIPPER_SLOW_TEST_TIMEOUT:-1200}}"
}
if lane vm; then
	for s in $series_list; do
		[[ " $vm_boot " == *" $s "* ]] || continue
		kv=${KV[$s]:-}
		{ [ -n "$kv" ] && [ -f "$top/build/$kv/xt_CLIPPER.ko" ]; } || continue
		if [ -n "${CLIPPER_TESTS:-}" ]; then
			add_stock "$kv" "$s" "$CLIPPER_TESTS"
		elif [[ " $full " == *" $s "* ]] && [[ " $split " == *" $s "* ]]; then
			i=0
			while read -r half; do
				i=$((i + 1))
				add_stock "$kv-$i" "$s" "$half"
			done < <(shard 2 "${suite[@]}")
		elif [[ " $full " == *" $s "* ]]; then
			add_stock "$kv" "$s" ""
		else
			add_stock "$kv" "$s" "$core_tests"
		fi
	done
fi

# The KASAN lane: a small KASAN kernel (built here unless cached, with
# both cores before any VM starts), the module built against it, and one
# VM in the pool.
kasan_kv=""
kasan_prepare() {
	local t0=$SECONDS kd kv ko
	step "small KASAN kernel builds (debug-kernel.sh --small)" \
		env CLIPPER_DEBUG_JOBS="$(nproc)" scripts/debug-kernel.sh --small build || return 1
	kd=$(scripts/debug-kernel.sh --small dir) || return 1
	kv=$(cat "$kd/kver")
	echo "# KASAN kernel $kv in $kd: $((SECONDS - t0)) s here (its build took" \
		"$(cat "$kd/build-seconds") s, $(cat "$kd/build-cpu-seconds" 2>/dev/null || echo ?) s of CPU)"
	kbuild_step "module builds for $kv with W=1 and no warnings" "build-$kv" - \
		KDIR="$kd/build" W=1 || return 1
	ko="$top/build/$kv/xt_CLIPPER.ko"
	# inline KASAN: the module's own loads and stores are checked
	step "xt_CLIPPER.ko for $kv is KASAN-instrumented" \
		sh -c "nm -u '$ko' | grep -E '__asan_(report|register)'" || return 1
	kasan_kd=$kd
	kasan_ko=$ko
	kasan_kv=$kv
	# pmtu.sh and pmtu_bad.sh's part 8 took 420 s there, boot included
	add_vm kasan kasan 450
}
lane kasan && kasan_prepare

# One round of the benchmark on a few configurations, so that it never
# rots: each must run, saturate the CPU and lose no packet (the figures
# are not judged here; make bench is where they are).  It boots its own
# VM.  CLIPPER_BENCH_SMOKE=0 leaves it out.
if lane bench && [[ " $series_list " == *" 6.12 "* ]] && [ -n "${KV[6.12]:-}" ]; then
	add_vm bench bench 140
fi

# arm64, most routers' architecture: the module cross-built for Debian's
# arm64 6.1 kernel and loaded there under qemu-system-aarch64, a smoke run
# (scripts/arm64-smoke.sh; about two minutes).  CLIPPER_ARM64=0 leaves it
# out; CLIPPER_TESTS (a part of the suite) does too.
if lane vm && [ "${CLIPPER_ARM64:-1}" != 0 ] && [ -z "${CLIPPER_TESTS:-}" ]; then
	add_vm arm64 arm64 150
fi

# run_job NAME: the job, its output in its log, its exit status in .rc
run_job() {
	local name=$1 s rc=0
	case ${VMKIND[$name]} in
	stock)
		s=${VMSERIES[$name]}
		# shellcheck disable=SC2086
		selftests/vm/run-vm.sh -k "$s" -m "$top/build/${KV[$s]}/xt_CLIPPER.ko" \
			-o "$out/vm-$name" -t "${VMTMO[$name]}" -- \
			env ${VMTESTTMO[$name]:+CLIPPER_TEST_TIMEOUT=${VMTESTTMO[$name]}} \
			selftests/clipper/run_kselftest.sh ${VMTESTS[$name]} || rc=$?
		;;
	kasan)
		selftests/vm/run-vm.sh -k "$kasan_kd" -m "$kasan_ko" -o "$out/vm-kasan" \
			-t "${CLIPPER_KASAN_VM_TIMEOUT:-2400}" -- \
			env CLIPPER_EXPECT_KASAN=1 PMTU_BAD_PARTS="${CLIPPER_KASAN_PARTS:-8}" \
			CLIPPER_TEST_TIMEOUT=$((${CLIPPER_KASAN_VM_TIMEOUT:-2400} - 300)) \
			scripts/check-debug.sh --guest "${kasan_tests[@]}" || rc=$?
		;;
	bench)
		bench/run.sh --smoke || rc=$?
		;;
	arm64)
		scripts/arm64-smoke.sh || rc=$?
		;;
	esac
	return "$rc"
}

# the pool: the costliest first, at most vm_jobs at once
declare -A VMSECS
vm_pool() {
	local name secs
	for name in $(for n in "${vm_names[@]}"; do echo "${VMEST[$n]} $n"; done |
		      sort -k1,1nr | cut -d' ' -f2); do
		while [ "$(jobs -rp | wc -l)" -ge "$vm_jobs" ]; do
			wait -n || true
		done
		case ${VMKIND[$name]} in
		stock) echo "# booting Debian ${KV[${VMSERIES[$name]}]} under QEMU ($name): ${VMTESTS[$name]:-the whole suite}" ;;
		kasan) echo "# KASAN lane: booting $kasan_kv under QEMU for ${kasan_tests[*]} (PMTU_BAD_PARTS=${CLIPPER_KASAN_PARTS:-8})" ;;
		bench) echo "# bench smoke on Debian ${KV[6.12]}" ;;
		arm64) echo "# arm64: the module cross-built and loaded under qemu-system-aarch64" ;;
		esac
		rm -f "$out/logs/vm-$name.rc"
		(
			t0=$SECONDS
			rc=0
			run_job "$name" > "$out/logs/vm-$name.log" 2>&1 || rc=$?
			echo "$rc $((SECONDS - t0))" > "$out/logs/vm-$name.rc"
		) &
	done
	wait
	for name in "${vm_names[@]}"; do
		secs=$(cut -d' ' -f2 "$out/logs/vm-$name.rc" 2>/dev/null)
		VMSECS[$name]=${secs:-?}
	done
}
vm_rc() {
	local rc
	read -r rc _ < "$out/logs/vm-$1.rc" 2>/dev/null || rc=125
	echo "$rc"
}
[ ${#vm_names[@]} -gt 0 ] && vm_pool

# the results, in a fixed order: the stock kernels, the KASAN lane, the
# benchmark
if lane vm; then
	for s in $series_list; do
		[[ " $vm_boot " == *" $s "* ]] || continue
		kv=${KV[$s]:-}
		[ -n "$kv" ] || continue
		any=0
		for name in "${vm_names[@]}"; do
			{ [ "${VMKIND[$name]}" = stock ] && [ "${VMSERIES[$name]}" = "$s" ]; } || continue
			any=1
			echo "# selftests on Debian $kv ($name: ${VMTESTS[$name]:-the whole suite}; ${VMSECS[$name]} s, estimated ${VMEST[$name]}):"
			sed 's/^/# /' "$out/logs/vm-$name.log"
			import_vm "" "$out/vm-$name" "$(vm_rc "$name")" "selftests on $name"
		done
		[ "$any" = 1 ] || emit "not ok" "selftests on $kv (module did not build)"
	done
fi
if [ -n "${VMKIND[kasan]:-}" ]; then
	echo "# KASAN lane: ${kasan_tests[*]} on the KASAN kernel (the VM ran ${VMSECS[kasan]} s):"
	sed 's/^/# /' "$out/logs/vm-kasan.log"
	import_vm "kasan: " "$out/vm-kasan" "$(vm_rc kasan)" "the KASAN lane's selftests"
fi
if [ -n "${VMKIND[bench]:-}" ]; then
	if [ "$(vm_rc bench)" != 0 ] && ! grep -q '^not ok' "$out/logs/vm-bench.log"; then
		emit "not ok" "bench tests finished"
		tail -n 20 "$out/logs/vm-bench.log" | sed 's/^/#   /'
	fi
	import_tap bench "$out/logs/vm-bench.log"
fi
if [ -n "${VMKIND[arm64]:-}" ]; then
	echo "# arm64 smoke run (${VMSECS[arm64]} s):"
	sed 's/^/# /' "$out/logs/vm-arm64.log"
	if [ "$(vm_rc arm64)" != 0 ] && ! grep -q '^not ok' "$out/logs/vm-arm64.log"; then
		emit "not ok" "arm64 smoke run finished"
	fi
	import_tap arm64 "$out/logs/vm-arm64.log"
fi

ktap_summary
