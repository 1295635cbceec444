#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-debug: the selftests under kernels that look for bugs.
#
#   1. a debug kernel built from Debian's linux-source-6.1 (KASAN, lockdep
#      with PROVE_LOCKING and PROVE_RCU, DEBUG_ATOMIC_SLEEP, kmemleak,
#      UBSAN, debug objects; scripts/debug-kernel.sh, built once and cached)
#   2. Debian's PREEMPT_RT 6.12 kernel (kernels.sh series "6.12-rt"), where
#      spinlocks sleep and softirqs run in threads
#
# For each: build xt_CLIPPER.ko against it, boot it under QEMU and run the
# whole selftest suite (run_kselftest.sh; on the debug kernel, where it
# runs about ten times slower, cut into shards of about equal time, one
# VM each, side by side).  Each guest then checks that the kernel log of
# its whole run has no splat (tests may "dmesg -C"; a reader of /dev/kmsg
# keeps everything), that lockdep is still on (/proc/lockdep_stats
# debug_locks: an early report turns it off for the rest of the boot) and
# that a kmemleak scan finds nothing that clipper allocated.  Prints KTAP
# and a last line "N passed, N failed"; exits non-zero on any failure.
#
# Environment:
#   CLIPPER_DEBUG_LANES="debug rt"   which lanes to run
#   CLIPPER_TESTS="cli.sh ..."       a subset of the selftests
#   CLIPPER_DEBUG_TEST_TIMEOUT=S     per-test timeout on the debug kernel
#                                    (default 3000; ./settings says 600)
#   CLIPPER_DEBUG_VM_TIMEOUT=S       each debug VM's timeout (default 14400)
#   CLIPPER_DEBUG_JOBS=N             VMs at once (default: the CPUs here)
#   CLIPPER_DEBUG_SHARDS=N           debug-kernel VMs the suite is cut into
#                                    (default: CLIPPER_DEBUG_JOBS)
#   CLIPPER_RT_VM_TIMEOUT=S          the RT VM's timeout (default 2400)
#   CLIPPER_KMEMLEAK_STRICT=1        fail on any leak kmemleak reports, not
#                                    only the ones attributable to clipper
#   CLIPPER_DEBUG_QOS_RATE_MBIT=N    qos.sh's shaper on the debug kernel
#                                    (default 2; its path is too slow for
#                                    the 10 Mbit/s of the stock kernels)
#   CLIPPER_DEBUG_WS_MANY_SECONDS=S  ws.sh's time for 2000 upgrades there
#                                    (default 600; 90 elsewhere; the
#                                    WebSocket peers get 240 s, not 60)
#   CLIPPER_DEBUG_FLOOD_FLOWS=N      flood.sh's SYN flood there (default
#                                    100000; a million on stock kernels,
#                                    which take a minute for it: on the
#                                    debug kernel it did not end within
#                                    the 3000 s the test had)
#   CLIPPER_GUEST_ENV="VAR=VAL ..."  more environment for the tests in the
#                                    VMs (which get none from here)
#
#   check-debug.sh --guest [TEST...] the part that runs inside the VM
#                                    (also make check's KASAN lane's);
#                                    CLIPPER_EXPECT_KASAN=1 there: KASAN's
#                                    banner must be in the boot log
set -u

# Kernel log lines that mean a bug report: kreport()
# shellcheck source=selftests/clipper/kreport.sh
source "$(dirname "$0")/../selftests/clipper/kreport.sh"
MARK="clipper-check-debug: selftests start"

# ---------------------------------------------------------------- guest
guest() {
	local kver out results rc=0 bad line lk leaks attributable n
	kver=$(uname -r)
	out=${CLIPPER_OUT:-/tmp}
	results=${CLIPPER_RESULTS:-/dev/null}
	top=$(cd "$(dirname "$0")/.." && pwd)

	result() {	# result ok|"not ok"|skip DESC
		echo "$1 $kver $2" >> "$results"
		[ "$1" = "not ok" ] && rc=1
		return 0
	}

	# The boot log: kept, and checked on its own (a splat there is the
	# kernel's or the VM's, not clipper's; kreport passes over the debug
	# kernel's banners).
	dmesg > "$out/boot-dmesg.log"
	bad=$(kreport < "$out/boot-dmesg.log")
	if [ -z "$bad" ]; then
		result ok "boot log has no splat"
	else
		echo "# boot log:"
		echo "$bad" | sed 's/^/#   /'
		result "not ok" "boot log has no splat"
	fi

	# A sanitizer that did not start finds nothing: asked to
	# (CLIPPER_EXPECT_KASAN=1), its banner must be in the boot log.
	if [ -n "${CLIPPER_EXPECT_KASAN:-}" ]; then
		if grep -q 'KernelAddressSanitizer initialized' "$out/boot-dmesg.log"; then
			grep -m1 'KernelAddressSanitizer initialized' "$out/boot-dmesg.log" | sed 's/^/# /'
			result ok "KASAN is on (KernelAddressSanitizer initialized)"
		else
			echo "# no \"KernelAddressSanitizer initialized\" in the boot log of $kver"
			result "not ok" "KASAN is on (KernelAddressSanitizer initialized)"
		fi
	fi

	# kmemleak: what boot left unreferenced is not ours; two scans (an
	# object is reported once it is older than 5 s and its contents did
	# not change between two scans), then "clear" marks all of it as
	# known.  Leaks reported at the end are newer than this.
	lk=/sys/kernel/debug/kmemleak
	if [ -w "$lk" ]; then
		echo scan > "$lk"; sleep 6; echo scan > "$lk"
		cat "$lk" > "$out/kmemleak-boot.txt"
		echo "# kmemleak: $(grep -c '^unreferenced object' "$out/kmemleak-boot.txt") objects from boot marked as known"
		echo clear > "$lk"
	fi

	# The whole kernel log from here on, whatever a test clears.
	dmesg -w > "$out/kmsg.log" 2>&1 &
	local kmsgpid=$!
	sleep 1
	echo "$MARK" > /dev/kmsg
	dmesg -C	# the tests' own checks (dmesg_bad) see only their run

	CLIPPER_TEST_TIMEOUT=${CLIPPER_TEST_TIMEOUT:-} \
		"$top/selftests/clipper/run_kselftest.sh" "$@" || rc=1

	echo "clipper-check-debug: selftests done" > /dev/kmsg
	sleep 2
	kill "$kmsgpid" 2>/dev/null
	wait "$kmsgpid" 2>/dev/null
	bad=$(sed -n "/$MARK/,\$p" "$out/kmsg.log" | kreport)
	if [ -z "$bad" ]; then
		result ok "kernel log of the whole run has no splat"
	else
		echo "# kernel log of the run (full: kmsg.log):"
		echo "$bad" | head -n 200 | sed 's/^/#   /'
		result "not ok" "kernel log of the whole run has no splat"
		# the reports themselves, with their stack traces
		sed -n "/$MARK/,\$p" "$out/kmsg.log" |
			grep -E -A60 'cut here|BUG:|WARNING:|UBSAN|KASAN|possible circular|possible recursive|inconsistent lock|suspicious RCU|sleeping function' |
			head -n 400 | sed 's/^/#   /'
	fi

	if [ -r /proc/lockdep_stats ]; then
		sed 's/^/# lockdep: /' /proc/lockdep_stats | grep -E 'debug_locks|lock-classes|dependency chains|direct dependencies'
		if grep -Eq '^[[:space:]]*debug_locks:[[:space:]]+1$' /proc/lockdep_stats; then
			result ok "lockdep still on at the end (debug_locks 1)"
		else
			result "not ok" "lockdep still on at the end (debug_locks 1)"
		fi
	else
		echo "# $kver has no lockdep: not checked"
	fi

	if [ -w "$lk" ]; then
		# rmmod first would turn clipper's frames into bare addresses:
		# the module stays loaded; its objects still referenced from
		# live state are not leaks.
		sleep 6; echo scan > "$lk"; sleep 6; echo scan > "$lk"
		cat "$lk" > "$out/kmemleak.txt"
		leaks=$(grep -c '^unreferenced object' "$out/kmemleak.txt")
		# A leak is clipper's when its allocation backtrace has a frame
		# in xt_CLIPPER, or an address no symbol resolves (a module
		# unloaded since, as module.sh does to xt_CLIPPER).
		attributable=$(awk '
			/^unreferenced object/ { if (blk != "" && ours) print blk; blk = $0; ours = 0; next }
			{ blk = blk "\n" $0 }
			/\[xt_CLIPPER\]/ || /\] 0x[0-9a-f]+$/ { ours = 1 }
			END { if (blk != "" && ours) print blk }' "$out/kmemleak.txt")
		n=$(printf '%s\n' "$attributable" | grep -c '^unreferenced object')
		echo "# kmemleak: $leaks new unreferenced objects after the run, $n attributable to clipper"
		if [ "$leaks" -gt 0 ]; then
			head -n 200 "$out/kmemleak.txt" | sed 's/^/#   /'
		fi
		if [ "$n" -eq 0 ] && { [ -z "${CLIPPER_KMEMLEAK_STRICT:-}" ] || [ "$leaks" -eq 0 ]; }; then
			result ok "kmemleak: no leak of clipper's"
		else
			result "not ok" "kmemleak: no leak of clipper's"
		fi
	else
		echo "# $kver has no kmemleak: not checked"
	fi
	return $rc
}

if [ "${1:-}" = "--guest" ]; then
	shift
	guest "$@"
	exit $?
fi

# ----------------------------------------------------------------- host
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
# shellcheck source=scripts/ktap.sh
. scripts/ktap.sh
ktap_init "$top/build/check-debug"

deps() {
	local kv pkgs=() p need=()
	scripts/deps.sh kernel-build || return 1
	kv=$(scripts/kernels.sh kver 6.12-rt) && pkgs+=("linux-headers-$kv")
	for p in "${pkgs[@]}"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
			need+=("$p")
	done
	[ ${#need[@]} -eq 0 ] && return 0
	echo "installing ${need[*]}"
	if [ "$(id -u)" -eq 0 ]; then set --; else set -- sudo; fi
	# (the RT headers and their kbuild are in bookworm-backports only)
	"$@" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"${need[@]}"
}

# The VMs run at most $jobs at a time: each runs its vCPUs on one host
# thread (single-threaded TCG, see run-vm.sh), so one per core.
jobs=${CLIPPER_DEBUG_JOBS:-$(nproc)}

# Seconds each test took on the debug kernel in the passing run of 2
# December (8b243ff), two VMs on two cores: what the debug lane's shards
# are balanced on.  flood.sh is for its 100000 SYNs (a million did not end
# in 3000 s).  A test not listed counts 300 s.
declare -A COST=([module.sh]=66 [target.sh]=308 [cli.sh]=102 [netns.sh]=40
	[userns.sh]=215 [classify.sh]=673 [dscp.sh]=87 [qos.sh]=249
	[mactable.sh]=363 [pmtu.sh]=984 [ws.sh]=818 [wirefuzz.sh]=260
	[nlfuzz.sh]=290 [flood.sh]=320 [stress.sh]=1077)

# vm NAME KERNEL(-k of run-vm.sh) KO VMTIMEOUT MEM "TEST..." [ENV...]: boot
# a VM that runs the guest part on TESTS (all if empty) in the background,
# once fewer than $jobs run; its results are read by vm_results
VMS=()
declare -A VMKV
vm() {
	local name=$1 kernel=$2 ko=$3 vmt=$4 mem=$5 tests=$6
	shift 6
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n
	done
	VMS+=("$name")
	VMKV[$name]=$(basename "$(dirname "$ko")")
	echo "# $name: booting ${VMKV[$name]} under QEMU${tests:+ for $tests}"
	(
		t0=$SECONDS
		rc=0
		# The guest gets no environment from here: ENV goes on its
		# command.
		# shellcheck disable=SC2086
		selftests/vm/run-vm.sh -k "$kernel" -m "$ko" -o "$out/vm-$name" -t "$vmt" -M "$mem" -- \
			env ${CLIPPER_KMEMLEAK_STRICT:+CLIPPER_KMEMLEAK_STRICT=1} "$@" ${CLIPPER_GUEST_ENV:-} \
			scripts/check-debug.sh --guest $tests > "$out/logs/vm-$name.log" 2>&1 || rc=$?
		echo "$rc $((SECONDS - t0))" > "$out/vm-$name.done"
	) &
}

vm_results() {
	local name rc secs
	wait
	for name in "${VMS[@]}"; do
		read -r rc secs < "$out/vm-$name.done" || { rc=1 secs=0; }
		echo "# $name: selftests on ${VMKV[$name]} (the VM ran $secs s):"
		sed 's/^/# /' "$out/logs/vm-$name.log"
		import_vm "$name: " "$out/vm-$name" "$rc" "selftests on ${VMKV[$name]}"
		echo "$name $secs" >> "$out/lane-seconds"
	done
}

# module KDIR: build xt_CLIPPER.ko for it, into $ko
module() {
	local kv
	kv=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$1/include/generated/utsrelease.h")
	ko="$top/build/$kv/xt_CLIPPER.ko"
	step "module builds for $kv" make module KDIR="$1"
}

echo "KTAP version 1"
lanes=${CLIPPER_DEBUG_LANES:-debug rt}
step "dependencies from Debian's packages" deps
# the selftests use the tree's libxt_CLIPPER.so and clipper tool
step "libxt_CLIPPER.so builds" make -C xt-ext
step "clipper tool builds" make -C cli
# and the programs nlfuzz.sh, flood.sh and stress.sh run (the VM's root
# is read-only: they are built here, into build/selftests/)
step "selftest programs build (nlfuzz)" make -C selftests/clipper nlfuzz
step "selftest programs build (synflood)" make -C selftests/clipper/stress

if [ -n "${CLIPPER_TESTS:-}" ]; then
	read -r -a tests <<< "$CLIPPER_TESTS"
else
	read -r -a tests <<< "$(sed -n 's/^TEST_PROGS[[:space:]]*:*=[[:space:]]*//p' selftests/clipper/Makefile)"
fi

for l in $lanes; do
	case $l in
	debug)
		t0=$SECONDS
		step "debug kernel (KASAN, lockdep, kmemleak, UBSAN) is built" scripts/debug-kernel.sh build || continue
		kd=$(scripts/debug-kernel.sh dir)
		echo "# debug kernel: $kd ($((SECONDS - t0)) s here; built in $(cat "$kd/build-seconds" 2>/dev/null) s)"
		module "$kd/build" || continue
		# The suite runs hours there: it is cut into shards, one VM
		# each, that run side by side.  Each VM checks its own kernel
		# log, lockdep and kmemleak.
		i=0
		k=${CLIPPER_DEBUG_SHARDS:-$jobs}
		while read -r shardtests; do
			i=$((i + 1))
			# qos.sh's shaper must stay the bottleneck of a path
			# that KASAN makes several times slower
			vm "debug-$i" "$kd" "$ko" "${CLIPPER_DEBUG_VM_TIMEOUT:-14400}" 3072 "$shardtests" \
				CLIPPER_EXPECT_KASAN=1 \
				CLIPPER_TEST_TIMEOUT="${CLIPPER_DEBUG_TEST_TIMEOUT:-3000}" \
				QOS_RATE_MBIT="${CLIPPER_DEBUG_QOS_RATE_MBIT:-2}" \
				CLIPPER_WS_MANY_SECONDS="${CLIPPER_DEBUG_WS_MANY_SECONDS:-600}" \
				WS_PEER_TIMEOUT=240 \
				CLIPPER_FLOOD_FLOWS="${CLIPPER_DEBUG_FLOOD_FLOWS:-100000}"
		done < <(shard "$k" "${tests[@]}")
		;;
	rt)
		if kv=$(scripts/kernels.sh kver 6.12-rt); then
			module "/usr/src/linux-headers-$kv" || continue
			vm rt 6.12-rt "$ko" "${CLIPPER_RT_VM_TIMEOUT:-2400}" 2048 "${tests[*]}"
		else
			emit "not ok" "resolve Debian's PREEMPT_RT 6.12 kernel"
		fi
		;;
	*) emit "not ok" "unknown lane $l" ;;
	esac
done
vm_results

ktap_summary
