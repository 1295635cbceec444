#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: clipper's per-packet cost against stock netfilter, in guest
# instructions per packet, all configurations in one VM boot.
#
#   bench/run.sh [--smoke] [GUEST-OPTIONS...]
#
#   --smoke   one round of a few configurations with small counts (about
#             two minutes); prints KTAP lines and fails if a
#             configuration did not run or gave an absurd result
#
#   --out DIR where the results go (default build/bench, build/bench-smoke)
#
# Other options go to bench/guest.sh (--rounds R, --count N, --syn-count N,
# --configs "CFG ...", --bulk, --no-mem, --perf "CFG:KIND ...").
#
# Builds the module for Debian's 6.12 kernel, the clipper tool, the
# iptables extension and the SYN generator, boots the 6.12 kernel under
# QEMU with -icount shift=2 (one guest instruction = 4 ns of virtual time)
# on one vCPU, and copies the results to build/bench/ (build/bench-smoke/
# for --smoke): results.md, results.json, raw.tsv, mem.txt, guest.log and
# the VM's console.log.  See Documentation/performance.rst.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

smoke=0
outopt=
args=()
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) smoke=1 ;;
	--out) outopt=$2; shift ;;
	*) args+=("$1") ;;
	esac
	shift
done

SHIFT=2
SERIES=6.12
t0=$(date +%s)

# Debian packages the guest uses (the guest runs this machine's root)
need=()
for p in iptables nftables ipset conntrack iproute2 iperf3 qemu-system-x86 \
	 busybox-static libmnl-dev libxtables-dev build-essential pkg-config \
	 linux-perf; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		grep -q '^install ok installed$' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	echo "# bench: installing ${need[*]}"
	apt-get update -q >/dev/null
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${need[@]}" >/dev/null
fi

kver=$(scripts/kernels.sh kver "$SERIES")
kdir=/usr/src/linux-headers-$kver
if [ ! -e "$kdir/Makefile" ]; then
	echo "# bench: installing linux-headers-$kver"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "linux-headers-$kver" >/dev/null
fi

echo "# bench: building (module for $kver, cli, xt-ext, synblast)"
log=$top/build/bench-build.log
mkdir -p build/bench-bin
if ! { make module KDIR="$kdir" && make -C cli && make -C xt-ext &&
       gcc -O2 -Wall -Wextra -I selftests/clipper/stress -o build/bench-bin/synblast bench/synblast.c
     } > "$log" 2>&1; then
	tail -n 30 "$log"
	echo "# bench: build failed (log: $log)" >&2
	exit 1
fi

if [ "$smoke" = 1 ]; then
	out=build/bench-smoke
	gargs=(--smoke --rounds 1 --count 3000 --syn-count 3000 --no-mem)
	timeout=600
else
	out=build/bench
	gargs=()
	timeout=1800
fi
[ -n "$outopt" ] && out=$outopt
rm -rf "$out"
mkdir -p "$out"
: > "$top/build/bench-vm.log"

echo "# bench: booting $kver under QEMU -icount shift=$SHIFT, one vCPU"
set +e
CLIPPER_VM_ICOUNT=$SHIFT CLIPPER_VM_ACCEL=tcg \
	selftests/vm/run-vm.sh -k "$SERIES" -c 1 -m "build/$kver/xt_CLIPPER.ko" \
	-o "$out" -t "$timeout" -- \
	bench/guest.sh --shift "$SHIFT" "${gargs[@]}" "${args[@]}" 2>&1 |
	while IFS= read -r line; do
		# the VM's output with the host's seconds since the start
		printf -v now '%(%s)T' -1
		echo "[$((now - t0))s] $line" >> "$top/build/bench-vm.log"
		case $line in
		"# "*|"ok "*|"not ok "*) echo "$line" ;;
		esac
	done
rc=${PIPESTATUS[0]}
set -e
mv "$top/build/bench-vm.log" "$out/vm.log"

t1=$(date +%s)
if [ "$smoke" = 1 ]; then
	if [ "$rc" -ne 0 ] || ! grep -q '^\[[0-9]*s\] ok [0-9]* - bench smoke' "$out/vm.log"; then
		echo "# bench smoke: FAILED (exit $rc) in $((t1 - t0)) s; see $out/vm.log"
		exit 1
	fi
	echo "# bench smoke: passed in $((t1 - t0)) s"
	exit 0
fi

# --rounds 0 (--perf alone): raw.tsv has its header line only
norounds=0
for ((i = 0; i + 1 < ${#args[@]}; i++)); do
	[ "${args[i]}" = --rounds ] && [ "${args[i + 1]}" = 0 ] && norounds=1
done
if [ "$rc" -eq 0 ] && { [ ! -e "$out/raw.tsv" ] ||
		       { [ "$norounds" = 1 ] &&
			 [ "$(wc -l < "$out/raw.tsv")" -le 1 ]; }; }; then
	echo "# bench: no rounds run; results in $out/ after $((t1 - t0)) s"
	exit 0
fi
if [ "$rc" -ne 0 ] || [ ! -s "$out/results.md" ]; then
	grep -v '^\[[0-9]*s\] #' "$out/vm.log" | tail -n 40
	echo "# bench: FAILED (exit $rc) after $((t1 - t0)) s; see $out/" >&2
	exit 1
fi
cat "$out/results.md"
echo "# bench: done in $((t1 - t0)) s; results in $out/ (results.md, results.json, raw.tsv)"
