#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a Debian stock kernel under QEMU with this machine's root shared
# read-only over 9p and run one command inside; its output streams here and
# its exit status is ours.
#
#   run-vm.sh [-k SERIES] [-m MODULE.ko] [-t TIMEOUT] [-c CPUS] [-M MEM] -- CMD...
#
#   -k SERIES   5.10, 6.1, 6.12, 7.2, 7.3 or 6.12-rt (default 6.1); see
#               scripts/kernels.sh;
#               or a directory laid out like "kernels.sh fetch" makes it
#               (vmlinuz, kver, lib/modules/KVER): a locally built kernel,
#               e.g. scripts/debug-kernel.sh's
#   -m MODULE   an out-of-tree module to make visible to modprobe (extra/)
#   -o DIR      copy what the guest wrote to $CLIPPER_OUT into DIR
#   -t SECONDS  kill the VM after this long (default 1500); exit 124
#
# Environment: CLIPPER_VM_ACCEL=auto|kvm|tcg (auto: KVM only when a probe
# boot finishes in time; /dev/kvm can exist and hang), CLIPPER_VM_TCG=
# single|multi (default single: one host thread for all vCPUs; multi-
# threaded TCG has run a vCPU through code another vCPU had just patched,
# an int3 of a static key, and oopsed the guest), CLIPPER_VM_ICOUNT=N
# (TCG only: -icount shift=N,sleep=on, a virtual clock that advances 2^N ns
# per guest instruction, for benchmarks), CLIPPER_VM_APPEND (more kernel
# parameters), CLIPPER_VM_CPU (TCG's -cpu, default max), CLIPPER_VM_MSIZE
# (9p's msize; default 8192 before 6.0, 512000 from it), CLIPPER_CACHE.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
series=6.1
modules=()
outdir=
timeout=1500
cpus=2
mem=2048

while getopts "k:m:o:t:c:M:" o; do
	case $o in
	k) series=$OPTARG ;;
	m) modules+=("$(realpath "$OPTARG")") ;;
	o) outdir=$OPTARG ;;
	t) timeout=$OPTARG ;;
	c) cpus=$OPTARG ;;
	M) mem=$OPTARG ;;
	*) echo "usage: run-vm.sh [-k SERIES] [-m MODULE.ko] [-t SECONDS] -- CMD..." >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
[ $# -gt 0 ] || { echo "run-vm.sh: no command" >&2; exit 2; }

CACHE=${CLIPPER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/clipper}
case $series in
*/*)
	kdir=$(realpath -m "$series")
	if [ ! -f "$kdir/vmlinuz" ] || [ ! -f "$kdir/kver" ]; then
		echo "run-vm.sh: $series: no vmlinuz or kver there" >&2
		exit 2
	fi
	;;
*) kdir=$("$top/scripts/kernels.sh" fetch "$series") ;;
esac
kver=$(cat "$kdir/kver")

run=$(mktemp -d "${TMPDIR:-/tmp}/clipper-vm.XXXXXX")
qpid=
cleanup() {
	[ -n "$qpid" ] && kill "$qpid" 2>/dev/null
	[ -n "${tailpid:-}" ] && kill "$tailpid" 2>/dev/null
	[ -n "${KEEP_VM_RUN:-}" ] || rm -rf "$run"
}
trap cleanup EXIT
# killed, QEMU goes too (an untrapped signal would skip the EXIT trap)
trap 'exit 130' INT
trap 'exit 143' TERM

# --- modules: the kernel's own (symlinked) plus ours in extra/, depmod'ed
mroot="$run/modroot/lib/modules/$kver"
mkdir -p "$mroot/extra"
ln -s "$kdir/lib/modules/$kver/kernel" "$mroot/kernel"
cp "$kdir/lib/modules/$kver"/modules.{order,builtin,builtin.modinfo} "$mroot/"
for m in "${modules[@]}"; do
	cp "$m" "$mroot/extra/"
done
depmod -b "$run/modroot" "$kver"

# --- initramfs: busybox, the 9p modules (decompressed), our init
ird="$run/initramfs"
mkdir -p "$ird/bin" "$ird/modules"
cp /bin/busybox "$ird/bin/busybox"
cp "$here/initramfs-init" "$ird/init"
: > "$ird/modules.list"
modprobe -d "$kdir" -S "$kver" -a --show-depends virtio_pci 9pnet_virtio 9p |
	awk '$1 == "insmod" { print $2 }' | while read -r ko; do
	name=$(basename "$ko")
	case "$name" in
	*.xz) xz -dc "$ko" > "$ird/modules/${name%.xz}"; name=${name%.xz} ;;
	*.zst) zstd -qdc "$ko" > "$ird/modules/${name%.zst}"; name=${name%.zst} ;;
	*) cp "$ko" "$ird/modules/$name" ;;
	esac
	grep -qx "$name" "$ird/modules.list" || echo "$name" >> "$ird/modules.list"
done
(cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1) > "$run/initramfs.cpio.gz"

# --- 9p's message size.  Before 6.0 the 9p client allocates two buffers
# of the full message size for every request, whatever its size: at 512
# KB each (order-7 pages, mapped page by page by QEMU) a 9p open cost 2.2
# ms on 5.10 against 0.29 ms on 7.3, "sleep 0" took 290 ms against 78 ms
# with 8 KB (9p's default), and target.sh 152 s against 67 s.  6.0's
# "net/9p: allocate appropriate reduced message buffers" sizes them to the
# message (p9_msg_buf_size(), found in its 9pnet.ko); there large
# messages serve large reads.  A 9p built into the kernel is judged by
# its version.  CLIPPER_VM_MSIZE overrides.
msize=${CLIPPER_VM_MSIZE:-}
if [ -z "$msize" ]; then
	msize=8192
	if [ -f "$ird/modules/9pnet.ko" ]; then
		! grep -q p9_msg_buf_size "$ird/modules/9pnet.ko" || msize=512000
	else
		case $kver in [1-5].*) ;; *) msize=512000 ;; esac
	fi
fi

# --- the command: run from a file, in the test tree's directory
mkdir -p "$run/out"
{
	echo "export CLIPPER_OUT=/run/clipper/out"
	echo "export CLIPPER_RESULTS=/run/clipper/out/results"
	echo "cd $(printf '%q' "$PWD") || exit 1"
	printf '%q ' "$@"
	echo
} > "$run/cmd"
echo "$kver" > "$run/kver"

# Paths the guest must see although it mounts tmpfs over /tmp and others:
# the tree and the directory the command runs in (one word each).
keep=$(printf '%s\n' "$top" "$PWD" | sort -u | tr '\n' ',' | sed 's/,$//')
case $keep in
*[[:space:]]*) echo "run-vm.sh: paths with white space are not supported: $keep" >&2; exit 2 ;;
esac

# --- accelerator
accel=${CLIPPER_VM_ACCEL:-auto}
if [ "$accel" = auto ]; then
	accel=tcg
	bootid=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo none)
	probe="$CACHE/accel.$bootid"
	if [ -s "$probe" ]; then
		accel=$(cat "$probe")
	elif [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
		# A kernel with no root panics at once; with panic=-1 QEMU exits.
		if timeout 20 qemu-system-x86_64 -accel kvm -m 256 -nodefaults \
			-display none -no-reboot -kernel "$kdir/vmlinuz" \
			-append "panic=-1 console=ttyS0" >/dev/null 2>&1; then
			accel=kvm
		fi
		mkdir -p "$CACHE" && echo "$accel" > "$probe"
	fi
fi
if [ "$accel" = kvm ]; then
	accel_args=(-accel kvm -cpu host)
else
	accel_args=(-accel "tcg,thread=${CLIPPER_VM_TCG:-single}" -cpu "${CLIPPER_VM_CPU:-max}")
	if [ -n "${CLIPPER_VM_ICOUNT:-}" ]; then
		accel_args=(-accel tcg,thread=single -cpu max
			    -icount "shift=$CLIPPER_VM_ICOUNT,sleep=on")
	fi
fi

: > "$run/log"
tail -n +1 -F "$run/log" 2>/dev/null &
tailpid=$!

# tsc=reliable: under TCG the TSC follows QEMU's virtual clock, steady,
# but a host busy with other VMs delays the guest's clocksource watchdog,
# which then calls the TSC unstable and moves to the HPET, whose every
# read is an emulated MMIO access (5.10 did so at boot, on a host running
# seven VMs).  CLIPPER_VM_APPEND adds to the kernel command line.
append="tsc=reliable ${CLIPPER_VM_APPEND:-}"

# boot: one run of the VM; rc 124 on timeout
boot() {
	qemu-system-x86_64 "${accel_args[@]}" -smp "$cpus" -m "$mem" \
		-machine q35 -nodefaults -display none -no-reboot \
		-chardev "file,id=con,path=$run/console.log" -serial chardev:con \
		-fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap \
		-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
		-fsdev "local,id=run,path=$run,security_model=none,multidevs=remap" \
		-device virtio-9p-pci,fsdev=run,mount_tag=clipperrun \
		-device virtio-rng-pci \
		-kernel "$kdir/vmlinuz" -initrd "$run/initramfs.cpio.gz" \
		-append "$append console=ttyS0 loglevel=4 panic=-1 oops=panic panic_on_warn=0 CLIPPER_INIT=$here/guest-init CLIPPER_KEEP=$keep CLIPPER_MSIZE=$msize" \
		</dev/null &
	qpid=$!
	rc=0
	waited=0
	while kill -0 "$qpid" 2>/dev/null; do
		if [ "$waited" -ge "$timeout" ]; then
			echo "run-vm.sh: VM ($kver) timed out after ${timeout}s" >&2
			kill "$qpid" 2>/dev/null
			rc=124
			break
		fi
		sleep 1
		waited=$((waited + 1))
	done
	wait "$qpid" 2>/dev/null || true
	qpid=
}

boot
# A kernel that died while booting, before the command printed anything
# and with no result, gets one more boot: the debug kernel has oopsed in
# its IO-APIC setup at 0.015 s under TCG (an interrupt before its chip
# data was set), nothing of clipper's.  A crash of clipper's comes after
# the command has started, and is not retried.
if [ "$rc" -eq 0 ] && [ ! -s "$run/rc" ] && [ ! -s "$run/log" ] &&
   grep -q 'Kernel panic' "$run/console.log" 2>/dev/null; then
	echo "run-vm.sh: the VM ($kver) died while booting; booting it once more. Its console:" >&2
	grep -m1 -B2 -A6 -E 'general protection|BUG:|Kernel panic' "$run/console.log" >&2
	mv "$run/console.log" "$run/console-first-boot.log"
	boot
fi
sleep 0.3
kill "$tailpid" 2>/dev/null; wait "$tailpid" 2>/dev/null || true
tailpid=

if [ -n "$outdir" ]; then
	mkdir -p "$outdir"
	cp -r "$run/out/." "$outdir/"
	cp "$run/console.log" "$outdir/console.log" 2>/dev/null || true
	cp "$run/console-first-boot.log" "$outdir/" 2>/dev/null || true
fi
if [ "$rc" -eq 0 ]; then
	if [ -s "$run/rc" ]; then
		rc=$(cat "$run/rc")
	else
		echo "run-vm.sh: the VM ($kver) stopped without a result; console:" >&2
		tail -n 40 "$run/console.log" >&2
		rc=125
	fi
fi
exit "$rc"
