#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: install what is missing, build for every Debian kernel
# (scripts/kernels.sh list: 5.10 to the newest 7.x; 5.10 and 7.x in
# chroots of their releases, scripts/chroot.sh) with W=1, sparse and
# checkpatch, run the host unit tests (on x86 and on big-endian s390x),
# boot the kernels of scripts/kernels.sh vm (6.1, 6.12) in QEMU and run
# the selftests there.  Prints KTAP as it goes and ends with one line "N
# passed, N failed"; exits non-zero on any failure.
#
# CLIPPER_SERIES="6.1 6.12" picks the kernels built; CLIPPER_TESTS="cli.sh
# ..." a subset of the selftests, on every kernel booted;
# CLIPPER_VM_SERIES the kernels booted (make check-kernels: all);
# CLIPPER_FULL_SERIES those of them that run the whole suite (default
# all), CLIPPER_CORE_TESTS what the others run; CLIPPER_SPLIT_SERIES those
# whose suite is cut in two VMs; CLIPPER_VM_JOBS how many VMs run at once
# (default: one per CPU); CLIPPER_BENCH_SMOKE=0 leaves the benchmark's
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
	if lane host || lane vm || lane bench; then
		kbuild_step "module builds for $kv with W=1 and no warnings" "build-$kv" "$s" W=1
	fi
	if lane host; then
		# KBUILD_CHECKSRC: C=2 even where the headers lack
		# checker-valid.sh
		kbuild_step "sparse is clean for $kv" "sparse-$kv" "$s" C=2 KBUILD_CHECKSRC=2
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

# programs the selftests run in the VM (whose root is read-only)
if lane host || lane vm; then
	step "selftest programs build (nlfuzz)" make -C selftests/clipper nlfuzz
	step "selftest programs build (synflood)" make -C selftests/clipper/stress
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

# The VMs run as many at once as there are CPUs (CLIPPER_VM_JOBS): each
# runs its vCPUs on one host thread (single-threaded TCG, see run-vm.sh),
# so two use both cores.  They boot the kernels of CLIPPER_VM_SERIES
# (default: kernels.sh vm, 6.1 and 6.12 for now; make check-kernels: all
# of them); the whole suite runs on those of CLIPPER_FULL_SERIES (default:
# all of them), the core tests (CLIPPER_CORE_TESTS) on the others.  5.10
# runs about three times slower than 7.x under TCG (every exec, module
# load and rule change; Documentation/testing.rst), so a suite can be cut
# in two VMs of about equal time (CLIPPER_SPLIT_SERIES: those kernels;
# default none), on the costs below.  The longest VMs start first; each
# VM's output goes to its log, shown when all are done.  The timeouts
# leave room for a machine that does more at the same time (each test has
# its own, selftests/clipper/settings).
vm_boot=${CLIPPER_VM_SERIES:-$(scripts/kernels.sh vm)}
full=${CLIPPER_FULL_SERIES:-all}
[ "$full" = all ] && full=$vm_boot
split=${CLIPPER_SPLIT_SERIES:-}
core_tests=${CLIPPER_CORE_TESTS:-module.sh target.sh classify.sh pmtu.sh ws.sh}
vm_jobs=${CLIPPER_VM_JOBS:-$(nproc)}
read -r -a suite <<< "$(sed -n 's/^TEST_PROGS[[:space:]]*:*=[[:space:]]*//p' selftests/clipper/Makefile)"
is_full() {
	[[ " $full " == *" $1 "* ]]
}

# What each test costs on 5.10, in seconds: measured in make check on 7
# December (module to mactable) while seven VMs shared the two cores, the
# rest scaled from 7.3 and PREEMPT_RT by the same factor; only their
# proportions matter here, to balance the oldest kernel's two VMs.  A
# test not listed counts 300 s.
declare -A COST=([module.sh]=58 [target.sh]=258 [cli.sh]=82 [netns.sh]=31
	[userns.sh]=197 [classify.sh]=650 [dscp.sh]=76 [qos.sh]=258
	[mactable.sh]=375 [pmtu.sh]=1000 [pmtu_bad.sh]=900 [ws.sh]=460
	[wirefuzz.sh]=300 [nlfuzz.sh]=300 [flood.sh]=230 [stress.sh]=720)

# shard N TEST...: the tests in at most N groups of about equal cost (the
# costliest first, each into the cheapest group so far), one group a line,
# each in the order of the suite
shard() {
	local k=$1 t i best line
	shift
	local -a load=() grp=()
	for ((i = 0; i < k; i++)); do load[i]=0; grp[i]=" "; done
	for t in $(for u in "$@"; do echo "${COST[$u]:-300} $u"; done | sort -k1,1nr | cut -d' ' -f2); do
		best=0
		for ((i = 1; i < k; i++)); do
			[ "${load[i]}" -lt "${load[best]}" ] && best=$i
		done
		load[best]=$((load[best] + ${COST[$t]:-300}))
		grp[best]+="$t "
	done
	for ((i = 0; i < k; i++)); do
		line=""
		for t in "$@"; do
			[[ "${grp[i]}" == *" $t "* ]] && line+=" $t"
		done
		[ -n "$line" ] && echo "${line# }"
	done
	return 0
}

# The VMs: NAME (the kernel release, "-1"/"-2" for a half of a suite),
# its series and its tests ("" for the whole suite), longest first.
vm_names=()
declare -A VMSERIES VMTESTS VMTMO
declare -A VMTESTTMO
add_vm() {		# add_vm NAME SERIES TIMEOUT "TEST..." [TEST TIMEOUT]
	vm_names+=("$1")
	VMSERIES[$1]=$2
	VMTMO[$1]=$3
	VMTESTS[$1]=$4
	VMTESTTMO[$1]=${5:-}
}
for pass in split full core; do
	for s in $series_list; do
		[[ " $vm_boot " == *" $s "* ]] || continue
		kv=${KV[$s]:-}
		{ [ -n "$kv" ] && [ -f "$top/build/$kv/xt_CLIPPER.ko" ]; } || continue
		if [ -n "${CLIPPER_TESTS:-}" ]; then
			[ $pass = full ] && add_vm "$kv" "$s" 2400 "$CLIPPER_TESTS"
		elif is_full "$s" && [[ " $split " == *" $s "* ]]; then
			[ $pass = split ] || continue
			i=0
			# its tests take up to three times as long: twice the
			# per-test timeout of selftests/clipper/settings
			while read -r half; do
				i=$((i + 1))
				add_vm "$kv-$i" "$s" 2400 "$half" "${CLIPPER_SLOW_TEST_TIMEOUT:-1200}"
			done < <(shard 2 "${suite[@]}")
		elif is_full "$s"; then
			[ $pass = full ] && add_vm "$kv" "$s" 2400 ""
		else
			[ $pass = core ] && add_vm "$kv" "$s" 1500 "$core_tests"
		fi
	done
done

# The VMs, as many at once as CLIPPER_VM_JOBS; each one's output goes to
# its log, shown when all are done.
vm_jobs_run() {
	local name s rc
	for name in "${vm_names[@]}"; do
		while [ "$(jobs -rp | wc -l)" -ge "$vm_jobs" ]; do
			wait -n || true
		done
		s=${VMSERIES[$name]}
		echo "# booting Debian ${KV[$s]} under QEMU ($name): ${VMTESTS[$name]:-the whole suite}"
		rm -f "$out/logs/vm-$name.rc"
		(
			rc=0
			# shellcheck disable=SC2086
			selftests/vm/run-vm.sh -k "$s" -m "$top/build/${KV[$s]}/xt_CLIPPER.ko" \
				-o "$out/vm-$name" -t "${VMTMO[$name]}" -- \
				env ${VMTESTTMO[$name]:+CLIPPER_TEST_TIMEOUT=${VMTESTTMO[$name]}} \
				selftests/clipper/run_kselftest.sh ${VMTESTS[$name]} \
				> "$out/logs/vm-$name.log" 2>&1 || rc=$?
			echo "$rc" > "$out/logs/vm-$name.rc"
		) &
	done
	wait
}
if lane vm; then
	vm_jobs_run
	for s in $series_list; do
		[[ " $vm_boot " == *" $s "* ]] || continue
		kv=${KV[$s]:-}
		[ -n "$kv" ] || continue
		any=0
		for name in "${vm_names[@]}"; do
			[ "${VMSERIES[$name]}" = "$s" ] || continue
			any=1
			vmrc=$(cat "$out/logs/vm-$name.rc" 2>/dev/null || echo 125)
			echo "# selftests on Debian $kv ($name: ${VMTESTS[$name]:-the whole suite}):"
			sed 's/^/# /' "$out/logs/vm-$name.log"
			import_vm "" "$out/vm-$name" "$vmrc" "selftests on $name"
		done
		[ "$any" = 1 ] || emit "not ok" "selftests on $kv (module did not build)"
	done
fi

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
	kbuild_step "module builds for $kv with W=1 and no warnings" "build-$kv" - \
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
