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

out="$top/build/check"
rm -rf "$out"
mkdir -p "$out/logs"
results="$out/results"
: > "$results"
n=0

emit() {		# emit STATUS DESC     STATUS: ok | not ok | skip
	n=$((n + 1))
	case $1 in
	skip) echo "ok $n $2 # SKIP" ;;
	*) echo "$1 $n $2" ;;
	esac
	echo "$1|$2" >> "$results"
}

# step DESC CMD...: one result; the log is shown when it fails.
step() {
	local desc=$1 log
	shift
	log="$out/logs/$(echo "$desc" | tr -c 'A-Za-z0-9._-' '_').log"
	if "$@" > "$log" 2>&1; then
		emit ok "$desc"
	else
		emit "not ok" "$desc"
		tail -n 30 "$log" | sed 's/^/#   /'
	fi
}

# no_diag LOG: the build log has no compiler or sparse diagnostics
no_diag() {
	! grep -E '(warning|error):' "$1"
}

# import a test's TAP lines ("ok N desc" / "not ok N desc") as our results
import_tap() {
	local prefix=$1 file=$2 line
	while IFS= read -r line; do
		case $line in
		"not ok "*) emit "not ok" "$prefix: $(echo "$line" | sed -E 's/^not ok [0-9]+ (- )?//')" ;;
		"ok "*"# SKIP"*) emit skip "$prefix: $(echo "$line" | sed -E 's/^ok [0-9]+ (- )?//; s/ *# SKIP.*//')" ;;
		"ok "*) emit ok "$prefix: $(echo "$line" | sed -E 's/^ok [0-9]+ (- )?//')" ;;
		esac
	done < "$file"
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
# VM's output goes to its log, shown when it is done.
declare -A VMPID
for s in $series_list; do
	kv=${KV[$s]:-}
	[ -n "$kv" ] || continue
	ko="$top/build/$kv/xt_CLIPPER.ko"
	[ -f "$ko" ] || continue
	echo "# booting Debian $kv under QEMU"
	# shellcheck disable=SC2086
	selftests/vm/run-vm.sh -k "$s" -m "$ko" -o "$out/vm-$kv" -t 1500 -- \
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
	before=$(grep -c . "$results")
	if [ -f "$vmout/results" ]; then
		while IFS= read -r line; do
			case $line in
			"not ok "*) emit "not ok" "${line#not ok }" ;;
			"skip "*) emit skip "${line#skip }" ;;
			"ok "*) emit ok "${line#ok }" ;;
			esac
		done < "$vmout/results"
	fi
	if [ "$vmrc" -ne 0 ] && ! tail -n +"$((before + 1))" "$results" | grep -q '^not ok|'; then
		emit "not ok" "selftests on $kv finished (VM exit $vmrc)"
	fi
	if [ "$vmrc" -ne 0 ] && [ -s "$vmout/console.log" ]; then
		# Again here, next to the summary, so that a CI log cut to its
		# tail still shows why the VM stopped.
		echo "# last lines of the $kv console:"
		tail -n 60 "$vmout/console.log" | sed 's/^/#   /'
	fi
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

passed=$(grep -c '^ok|' "$results")
failed=$(grep -c '^not ok|' "$results")
skipped=$(grep -c '^skip|' "$results")
echo "1..$n"
echo "# Totals: pass:$passed fail:$failed xfail:0 xpass:0 skip:$skipped error:0"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
