#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Kernels that look for bugs, for clipper's selftests, built from
# Debian's linux-source package, in two flavours:
#
#   debug  (make check-debug) defconfig-based: KASAN, lockdep
#          (PROVE_LOCKING, PROVE_RCU), DEBUG_ATOMIC_SLEEP, kmemleak, UBSAN,
#          debug objects, plus the modules all the selftests use
#          (netfilter, conntrack, nftables, iptables legacy and nft compat,
#          tc, veth, bridge, 9p and virtio for the VM); about an hour to
#          build on two cores
#   small  (make check's KASAN lane) allnoconfig-based: KASAN and nothing
#          else of the above, built in, with only what the VM's boot and
#          pmtu.sh and pmtu_bad.sh need; about 11 minutes on two idle
#          cores (fragment_kasan)
#
#   debug-kernel.sh [--small] build  build it unless cached; prints its
#                                    directory
#   debug-kernel.sh [--small] dir    prints the directory if it is built
#                                    (else exits 1)
#   debug-kernel.sh [--small] key    the cache key: source version +
#                                    config hash
#
# The directory has the layout of "kernels.sh fetch" (vmlinuz, config,
# kver, lib/modules/KVER) plus "build", the kernel build tree to build
# out-of-tree modules against (make module KDIR=DIR/build), so
# "run-vm.sh -k DIR" boots it.
#
# The config: debug: defconfig + kvm_guest.config + selftests/clipper/
# config + the fragments below, then olddefconfig; small: allnoconfig with
# all of those as its given values.  The script fails if a required
# option is off, and (small) if any line of the fragments did not survive
# as the last fragment that set it said (the debug flavour only reports
# those: CPU_FREQ, VT and AUTOFS_FS stay on there).
# It lives in $CLIPPER_CACHE/FLAVOUR/KEY (default ~/.cache/clipper,
# FLAVOUR debug or kasan), KEY = Debian source version + a hash of the
# base and the fragments, so it is built once and rebuilt when either
# changes; the source, unpacked once per version, in $CLIPPER_CACHE/src.
#
# Environment: CLIPPER_CACHE, CLIPPER_DEBUG_SRC (the tarball, default
# /usr/src/linux-source-6.1.tar.xz), CLIPPER_DEBUG_JOBS (default 2).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${CLIPPER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/clipper}
SRC_TAR=${CLIPPER_DEBUG_SRC:-/usr/src/linux-source-6.1.tar.xz}
SRC_PKG=linux-source-6.1
JOBS=${CLIPPER_DEBUG_JOBS:-2}
FLAVOUR=debug
if [ "${1:-}" = --small ]; then
	FLAVOUR=kasan
	shift
fi

# The fragments: what both flavours share (KASAN, modules, the VM's 9p
# root, what the selftests' sockets need), then each flavour's own.
# Options that must be on are checked after the configuration (REQUIRED;
# the small flavour checks every line); "=n" lines trim the base config.
fragment_common() {
	cat <<'EOF'
# --- both: KASAN, modules, the VM (9p root over virtio, initramfs)
# CONFIG_LOCALVERSION_AUTO is not set
# CONFIG_WERROR is not set
CONFIG_DEBUG_KERNEL=y
CONFIG_DEBUG_INFO_NONE=y
CONFIG_KALLSYMS=y
CONFIG_KALLSYMS_ALL=y
CONFIG_KASAN=y
CONFIG_KASAN_GENERIC=y
CONFIG_KASAN_INLINE=y
CONFIG_MODULES=y
CONFIG_MODULE_UNLOAD=y
CONFIG_MODULE_COMPRESS_NONE=y
# CONFIG_MODULE_SIG is not set
CONFIG_VIRTIO_PCI=y
CONFIG_NET_9P=y
CONFIG_NET_9P_VIRTIO=y
CONFIG_9P_FS=y
CONFIG_9P_FS_POSIX_ACL=y
CONFIG_DEVTMPFS=y
CONFIG_TMPFS=y
CONFIG_BLK_DEV_INITRD=y
CONFIG_RD_GZIP=y
CONFIG_IPV6=y
CONFIG_PACKET=y
CONFIG_DEBUG_FS=y
EOF
}

# The debug flavour: defconfig + kvm_guest.config + selftests/clipper/config
# + fragment_common + this.  Everything make check-debug looks for, and
# the modules all the selftests load.
fragment_debug() {
	cat <<'EOF'
# --- debugging
CONFIG_LOCALVERSION="-clipper-debug"
CONFIG_PREEMPT=y
CONFIG_DEBUG_PREEMPT=y
CONFIG_KASAN_VMALLOC=y
CONFIG_PROVE_LOCKING=y
CONFIG_PROVE_RCU=y
CONFIG_LOCKDEP_BITS=16
CONFIG_LOCKDEP_CHAINS_BITS=17
CONFIG_LOCKDEP_STACK_TRACE_BITS=20
CONFIG_LOCKDEP_STACK_TRACE_HASH_BITS=15
CONFIG_LOCKDEP_CIRCULAR_QUEUE_BITS=13
CONFIG_DEBUG_ATOMIC_SLEEP=y
CONFIG_DEBUG_KMEMLEAK=y
CONFIG_DEBUG_KMEMLEAK_MEM_POOL_SIZE=40000
# CONFIG_DEBUG_KMEMLEAK_DEFAULT_OFF is not set
# CONFIG_DEBUG_KMEMLEAK_AUTO_SCAN is not set
CONFIG_UBSAN=y
CONFIG_UBSAN_BOUNDS=y
CONFIG_UBSAN_SHIFT=y
CONFIG_UBSAN_BOOL=y
CONFIG_UBSAN_ENUM=y
CONFIG_UBSAN_SANITIZE_ALL=y
# CONFIG_UBSAN_ALIGNMENT is not set
CONFIG_DEBUG_OBJECTS=y
CONFIG_DEBUG_OBJECTS_FREE=y
CONFIG_DEBUG_OBJECTS_TIMERS=y
CONFIG_DEBUG_OBJECTS_WORK=y
CONFIG_DEBUG_OBJECTS_RCU_HEAD=y
CONFIG_DEBUG_LIST=y
CONFIG_DEBUG_NET=y
CONFIG_NET_DEV_REFCNT_TRACKER=y
CONFIG_NET_NS_REFCNT_TRACKER=y
# --- the VM: 9p root, virtio, serial console
CONFIG_HW_RANDOM_VIRTIO=m
CONFIG_CGROUPS=y
# --- networking the selftests use
CONFIG_BRIDGE=m
CONFIG_BRIDGE_NETFILTER=m
CONFIG_DUMMY=m
CONFIG_IFB=m
CONFIG_TUN=m
CONFIG_MACVLAN=m
CONFIG_VLAN_8021Q=m
CONFIG_NET_PKTGEN=m
CONFIG_NETFILTER_NETLINK=m
CONFIG_NETFILTER_NETLINK_QUEUE=m
CONFIG_NETFILTER_NETLINK_LOG=m
CONFIG_NF_CONNTRACK_EVENTS=y
CONFIG_NF_CONNTRACK_LABELS=y
CONFIG_NF_CT_NETLINK=m
CONFIG_NF_NAT=m
CONFIG_NF_TABLES_INET=y
CONFIG_NF_TABLES_NETDEV=y
CONFIG_NF_TABLES_IPV4=y
CONFIG_NF_TABLES_IPV6=y
CONFIG_NF_TABLES_BRIDGE=m
CONFIG_NFT_CT=m
CONFIG_NFT_NAT=m
CONFIG_NFT_MASQ=m
CONFIG_NFT_REJECT=m
CONFIG_NFT_LOG=m
CONFIG_NFT_LIMIT=m
CONFIG_NFT_COMPAT=m
CONFIG_NFT_FIB_IPV4=m
CONFIG_NFT_FIB_IPV6=m
CONFIG_NFT_FIB_INET=m
CONFIG_NFT_SOCKET=m
CONFIG_NETFILTER_XT_CONNMARK=m
CONFIG_NETFILTER_XT_TARGET_CLASSIFY=m
CONFIG_NETFILTER_XT_TARGET_CONNMARK=m
CONFIG_NETFILTER_XT_TARGET_DSCP=m
CONFIG_NETFILTER_XT_TARGET_LOG=m
CONFIG_NETFILTER_XT_TARGET_MARK=m
CONFIG_NETFILTER_XT_TARGET_MASQUERADE=m
CONFIG_NETFILTER_XT_TARGET_NFQUEUE=m
CONFIG_NETFILTER_XT_TARGET_NOTRACK=m
CONFIG_NETFILTER_XT_TARGET_TCPMSS=m
CONFIG_NETFILTER_XT_MATCH_COMMENT=m
CONFIG_NETFILTER_XT_MATCH_CONNMARK=m
CONFIG_NETFILTER_XT_MATCH_CONNTRACK=m
CONFIG_NETFILTER_XT_MATCH_DSCP=m
CONFIG_NETFILTER_XT_MATCH_ECN=m
CONFIG_NETFILTER_XT_MATCH_HL=m
CONFIG_NETFILTER_XT_MATCH_LENGTH=m
CONFIG_NETFILTER_XT_MATCH_LIMIT=m
CONFIG_NETFILTER_XT_MATCH_MAC=m
CONFIG_NETFILTER_XT_MATCH_MARK=m
CONFIG_NETFILTER_XT_MATCH_MULTIPORT=m
CONFIG_NETFILTER_XT_MATCH_PHYSDEV=m
CONFIG_NETFILTER_XT_MATCH_PKTTYPE=m
CONFIG_NETFILTER_XT_MATCH_STATE=m
CONFIG_NETFILTER_XT_MATCH_TCPMSS=m
CONFIG_NETFILTER_XT_MATCH_U32=m
CONFIG_IP_SET=m
CONFIG_IP_SET_HASH_IP=m
CONFIG_IP_SET_HASH_NET=m
CONFIG_IP_SET_HASH_MAC=m
CONFIG_NETFILTER_XT_SET=m
CONFIG_IP_NF_RAW=m
CONFIG_IP_NF_NAT=m
CONFIG_IP_NF_TARGET_MASQUERADE=m
CONFIG_IP_NF_TARGET_REJECT=m
CONFIG_IP6_NF_RAW=m
CONFIG_IP6_NF_NAT=m
CONFIG_IP6_NF_TARGET_REJECT=m
CONFIG_IP6_NF_TARGET_MASQUERADE=m
CONFIG_NET_SCHED=y
CONFIG_NET_SCH_HTB=m
CONFIG_NET_SCH_PRIO=m
CONFIG_NET_SCH_NETEM=m
CONFIG_NET_SCH_INGRESS=m
CONFIG_NET_SCH_TBF=m
CONFIG_NET_SCH_SFQ=m
CONFIG_NET_SCH_FQ_CODEL=m
CONFIG_NET_SCH_FQ=m
CONFIG_NET_SCH_CAKE=m
CONFIG_NET_CLS_BASIC=m
CONFIG_NET_CLS_FW=m
CONFIG_NET_CLS_U32=m
CONFIG_NET_CLS_MATCHALL=m
CONFIG_NET_CLS_FLOWER=m
CONFIG_NET_EMATCH=y
CONFIG_NET_EMATCH_CMP=m
CONFIG_NET_EMATCH_META=m
CONFIG_NET_EMATCH_U32=m
CONFIG_NET_CLS_ACT=y
CONFIG_NET_ACT_GACT=m
CONFIG_NET_ACT_MIRRED=m
CONFIG_NET_ACT_SKBEDIT=m
CONFIG_NET_ACT_CONNMARK=m
CONFIG_NET_ACT_CTINFO=m
CONFIG_NET_ACT_CSUM=m
# --- hardware the VM does not have (a shorter build)
# CONFIG_DRM is not set
# CONFIG_SOUND is not set
# CONFIG_USB_SUPPORT is not set
# CONFIG_WLAN is not set
# CONFIG_WIRELESS is not set
# CONFIG_CFG80211 is not set
# CONFIG_BT is not set
# CONFIG_RFKILL is not set
# CONFIG_ETHERNET is not set
# CONFIG_HID is not set
# CONFIG_AGP is not set
# CONFIG_PCCARD is not set
# CONFIG_ATA is not set
# CONFIG_MD is not set
# CONFIG_NFS_FS is not set
# CONFIG_SECURITY_SELINUX is not set
# CONFIG_INPUT_JOYSTICK is not set
# CONFIG_INPUT_TABLET is not set
# CONFIG_INPUT_TOUCHSCREEN is not set
# CONFIG_HIBERNATION is not set
# CONFIG_SUSPEND is not set
# CONFIG_CPU_FREQ is not set
# CONFIG_NUMA is not set
# CONFIG_X86_MCE is not set
# CONFIG_MICROCODE is not set
# CONFIG_KEXEC is not set
# CONFIG_CRASH_DUMP is not set
# CONFIG_IA32_EMULATION is not set
# CONFIG_EFI is not set
# CONFIG_KPROBES is not set
# CONFIG_FTRACE is not set
# CONFIG_AUDIT is not set
# CONFIG_SECURITY is not set
# CONFIG_NETLABEL is not set
# CONFIG_IP_PNP is not set
# CONFIG_IP_MROUTE is not set
# CONFIG_SCSI is not set
# CONFIG_VT is not set
# CONFIG_FB is not set
# CONFIG_SERIO is not set
# CONFIG_INPUT_KEYBOARD is not set
# CONFIG_INPUT_MOUSE is not set
# CONFIG_EXT4_FS is not set
# CONFIG_FAT_FS is not set
# CONFIG_VFAT_FS is not set
# CONFIG_MSDOS_FS is not set
# CONFIG_ISO9660_FS is not set
# CONFIG_QUOTA is not set
# CONFIG_AUTOFS_FS is not set
EOF
}

# The small flavour: allnoconfig given kvm_guest.config, selftests/
# clipper/config, fragment_common and this as its values (so what they
# turn on brings nothing along that has a prompt), all built in (=y) but
# clipper, which loads as a module.  KASAN (generic, inline) and
# SLUB_DEBUG, nothing else of the debug flavour; what run-vm.sh's boot
# and guest-init need (EXPERT, so that the block layer, io_uring, the VT
# and the like can go, and the syscalls that would go with them are
# named: futex, epoll, eventfd, signalfd, timerfd, shmem, ...; ACPI for
# the q35 machine's HPET clock and power-off; PCI, virtio, the serial
# console, virtio-rng, ELF and scripts, unix sockets, namespaces, ptys,
# sysrq); and what pmtu.sh and pmtu_bad.sh use (pmtu_lib.sh's network of
# veth pairs, IPv4 and IPv6, conntrack, iptables-legacy and iptables-nft
# (nft_compat) mangle and filter, the comment, mark, length and quota
# matches, MARK and TCPMSS, tc prio, tbf, netem and matchall, AF_PACKET
# taps, inet_diag for ss).  Measured on this project's two-core machine,
# from nothing to installed: 1013 s while another engineer's VMs and
# builds shared the cores (load average 3.5), 847 s user and 332 s system
# of CPU, so about 11 minutes on two idle cores; 1285 s under a load of 4
# to 6.  (ACPI is 17% of the files, but without it there is no HPET, the
# clock the guest uses under TCG, where its TSC is found unstable, and no
# power-off.)
fragment_kasan() {
	cat <<'EOF'
CONFIG_LOCALVERSION="-clipper-kasan"
# --- the base system
CONFIG_64BIT=y
CONFIG_EXPERT=y
# CONFIG_BLOCK is not set
CONFIG_SMP=y
CONFIG_NR_CPUS=4
CONFIG_PREEMPT_VOLUNTARY=y
CONFIG_HIGH_RES_TIMERS=y
CONFIG_NO_HZ_IDLE=y
CONFIG_UNWINDER_ORC=y
CONFIG_SLUB=y
CONFIG_SLUB_DEBUG=y
CONFIG_STACKTRACE=y
CONFIG_PRINTK=y
CONFIG_BUG=y
CONFIG_DEBUG_BUGVERBOSE=y
CONFIG_BASE_FULL=y
CONFIG_MULTIUSER=y
CONFIG_POSIX_TIMERS=y
CONFIG_FUTEX=y
CONFIG_EPOLL=y
CONFIG_SIGNALFD=y
CONFIG_TIMERFD=y
CONFIG_EVENTFD=y
CONFIG_SHMEM=y
CONFIG_AIO=y
CONFIG_ADVISE_SYSCALLS=y
CONFIG_MEMBARRIER=y
CONFIG_RSEQ=y
CONFIG_FILE_LOCKING=y
CONFIG_PROC_FS=y
CONFIG_PROC_SYSCTL=y
CONFIG_SYSFS=y
CONFIG_BINFMT_ELF=y
CONFIG_BINFMT_SCRIPT=y
CONFIG_NAMESPACES=y
CONFIG_UTS_NS=y
CONFIG_PID_NS=y
CONFIG_MAGIC_SYSRQ=y
# --- the VM's machine: q35, serial console, virtio-rng
CONFIG_ACPI=y
CONFIG_X86_PM_TIMER=y
CONFIG_PCI=y
CONFIG_PCI_MSI=y
CONFIG_TTY=y
CONFIG_UNIX98_PTYS=y
CONFIG_SERIAL_8250=y
CONFIG_SERIAL_8250_CONSOLE=y
CONFIG_SERIAL_8250_PNP=y
CONFIG_HW_RANDOM=y
CONFIG_HW_RANDOM_VIRTIO=y
# CONFIG_VIRTIO_BLK is not set
# CONFIG_VIRTIO_NET is not set
# CONFIG_VIRTIO_CONSOLE is not set
# CONFIG_VIRTIO_INPUT is not set
# CONFIG_SCSI is not set
# CONFIG_IP_PNP is not set
# --- networking: pmtu.sh, pmtu_bad.sh, pmtu_lib.sh
CONFIG_UNIX=y
CONFIG_INET=y
CONFIG_INET_DIAG=y
CONFIG_INET_TCP_DIAG=y
CONFIG_NET_NS=y
CONFIG_USER_NS=y
CONFIG_VETH=y
CONFIG_NETFILTER=y
CONFIG_NETFILTER_ADVANCED=y
CONFIG_NETFILTER_NETLINK=y
CONFIG_NETFILTER_XTABLES=y
CONFIG_NF_CONNTRACK=y
CONFIG_NF_CONNTRACK_MARK=y
CONFIG_NF_CONNTRACK_EVENTS=y
CONFIG_NF_TABLES=y
CONFIG_NF_TABLES_IPV4=y
CONFIG_NF_TABLES_IPV6=y
CONFIG_NFT_COMPAT=y
CONFIG_IP_NF_IPTABLES=y
CONFIG_IP_NF_FILTER=y
CONFIG_IP_NF_MANGLE=y
CONFIG_IP6_NF_IPTABLES=y
CONFIG_IP6_NF_FILTER=y
CONFIG_IP6_NF_MANGLE=y
CONFIG_NETFILTER_XT_MARK=y
CONFIG_NETFILTER_XT_TARGET_TCPMSS=y
CONFIG_NETFILTER_XT_MATCH_COMMENT=y
CONFIG_NETFILTER_XT_MATCH_LENGTH=y
CONFIG_NETFILTER_XT_MATCH_QUOTA=y
CONFIG_NET_SCHED=y
CONFIG_NET_SCH_PRIO=y
CONFIG_NET_SCH_TBF=y
CONFIG_NET_SCH_NETEM=y
CONFIG_NET_CLS_ACT=y
CONFIG_NET_CLS_MATCHALL=y
EOF
}

fragment() {
	fragment_common
	"fragment_$FLAVOUR"
}

# Per flavour: the base config, the options the lane's purpose depends
# on (the build fails without them), and whether any fragment line that
# did not survive the configuration fails it too (1) or is only reported
# (0).
case $FLAVOUR in
debug)
	BASE=defconfig
	STRICT=0
	REQUIRED="KASAN KASAN_GENERIC PROVE_LOCKING PROVE_RCU DEBUG_ATOMIC_SLEEP
DEBUG_KMEMLEAK UBSAN UBSAN_BOUNDS DEBUG_OBJECTS NET_9P_VIRTIO 9P_FS VIRTIO_PCI
NF_CONNTRACK NF_TABLES NFT_COMPAT IP_NF_IPTABLES IP6_NF_IPTABLES VETH
NET_SCH_NETEM NET_SCH_HTB NET_CLS_FW BRIDGE"
	;;
kasan)
	BASE=allnoconfig
	STRICT=1
	REQUIRED="KASAN KASAN_GENERIC KASAN_INLINE SLUB_DEBUG KALLSYMS_ALL MODULES
MODULE_UNLOAD NET_9P_VIRTIO 9P_FS VIRTIO_PCI NF_CONNTRACK NF_TABLES NFT_COMPAT
IP_NF_IPTABLES IP6_NF_IPTABLES VETH PACKET NET_SCH_NETEM"
	;;
esac

src_version() {
	dpkg-query -W -f '${Version}' "$SRC_PKG" 2>/dev/null || echo unknown
}

key() {
	local h
	h=$( { echo "$BASE"; fragment; cat "$top/selftests/clipper/config"; } |
		sha256sum | cut -c1-12)
	echo "$(src_version)-$h"
}

# survived OBJ: every line of the fragments (in the order merge_config
# took them: for each option, the last fragment's) is in OBJ/.config;
# prints those that are not and fails then
survived() {
	local line sym bad=0
	local -A want=()
	local -a order=()
	while IFS= read -r line; do
		case $line in
		"# CONFIG_"*" is not set") sym=${line#\# }; sym=${sym%% *} ;;
		CONFIG_*=*) sym=${line%%=*} ;;
		*) continue ;;
		esac
		[ -n "${want[$sym]:-}" ] || order+=("$sym")
		want[$sym]=$line
	done < <(cat "$top/selftests/clipper/config"; fragment)
	for sym in "${order[@]}"; do
		line=${want[$sym]}
		case $line in
		"# "*) grep -Eq "^$sym=" "$1/.config" || continue ;;
		*) grep -qxF "$line" "$1/.config" && continue ;;
		esac
		echo "debug-kernel.sh: $line did not survive the configuration ($(grep -E "^(# )?${sym}[= ]" "$1/.config" || echo absent))" >&2
		bad=1
	done
	return "$bad"
}

build() {
	local k base src obj out kv log t0 sym missing=
	[ -r "$SRC_TAR" ] || { echo "debug-kernel.sh: $SRC_TAR missing (apt-get install $SRC_PKG)" >&2; return 1; }
	k=$(key)
	base="$CACHE/$FLAVOUR/$k"
	out="$base/kernel"
	if [ -e "$out/.complete" ]; then
		echo "$out"
		return 0
	fi
	src="$CACHE/src/$(src_version)"
	obj="$base/obj"
	log="$base/build.log"
	mkdir -p "$base" "$CACHE/src"
	t0=$SECONDS
	# one source tree for both flavours (O= builds write nothing there)
	(
		flock 9
		if [ ! -e "$src/.extracted" ]; then
			echo "debug-kernel.sh: extracting $SRC_TAR" >&2
			rm -rf "$src"
			mkdir -p "$src"
			tar -xJf "$SRC_TAR" -C "$src" --strip-components=1
			touch "$src/.extracted"
		fi
	) 9> "$CACHE/src/.lock"
	mkdir -p "$obj"
	fragment > "$base/debug.config"
	if [ ! -e "$obj/.configured" ]; then
		echo "debug-kernel.sh: configuring in $obj" >&2
		if [ "$BASE" = allnoconfig ]; then
			# allnoconfig with the fragments as its given values:
			# what they turn on brings no option along that has
			# a prompt (olddefconfig would give those their
			# defaults, and a far longer build)
			cat "$src/kernel/configs/kvm_guest.config" "$top/selftests/clipper/config" \
				"$base/debug.config" > "$base/allconfig"
			make -s -C "$src" O="$obj" KCONFIG_ALLCONFIG="$base/allconfig" allnoconfig \
				> "$base/merge.log" 2>&1
		else
			make -s -C "$src" O="$obj" "$BASE" >&2
			make -s -C "$src" O="$obj" kvm_guest.config >&2
			(cd "$obj" && "$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" \
				"$top/selftests/clipper/config" "$base/debug.config") > "$base/merge.log" 2>&1
			make -s -C "$src" O="$obj" olddefconfig >&2
		fi
		for sym in $REQUIRED; do
			grep -Eq "^CONFIG_$sym=[ym]" "$obj/.config" || missing="$missing $sym"
		done
		if [ -n "$missing" ]; then
			echo "debug-kernel.sh: not enabled after the configuration:$missing" >&2
			return 1
		fi
		# Lines of the fragments that Kconfig changed (dependencies):
		# fatal for the small flavour, reported for the debug one.
		if ! survived "$obj" && [ "$STRICT" = 1 ]; then
			return 1
		fi
		touch "$obj/.configured"
	fi
	echo "debug-kernel.sh: building in $obj (log: $log; nice 10, -j$JOBS)" >&2
	if ! nice make -C "$src" O="$obj" -j"$JOBS" bzImage modules > "$log" 2>&1; then
		tail -n 40 "$log" >&2
		return 1
	fi
	kv=$(cat "$obj/include/config/kernel.release")
	rm -rf "$out"
	mkdir -p "$out"
	nice make -s -C "$src" O="$obj" INSTALL_MOD_PATH="$out" DEPMOD=/sbin/depmod \
		modules_install >> "$log" 2>&1
	# lib/modules/KVER/build and source point into the tree: drop them
	rm -f "$out/lib/modules/$kv/build" "$out/lib/modules/$kv/source"
	# (the small flavour builds no module: run-vm.sh links kernel/)
	mkdir -p "$out/lib/modules/$kv/kernel"
	cp "$obj/arch/x86/boot/bzImage" "$out/vmlinuz"
	cp "$obj/.config" "$out/config"
	cp "$obj/System.map" "$out/System.map"
	ln -sfn "$obj" "$out/build"
	echo "$kv" > "$out/kver"
	echo "$k" > "$out/key"
	echo "$((SECONDS - t0))" > "$out/build-seconds"
	# the CPU time too (user + system of all it ran): on a machine that
	# others share, the elapsed time says little
	times | sed -n 2p | awk '{ n = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); n += a[1] * 60 + a[2] }
		printf "%d\n", n }' > "$out/build-cpu-seconds"
	touch "$out/.complete"
	echo "debug-kernel.sh: $kv built in $((SECONDS - t0)) s ($(cat "$out/build-cpu-seconds") s of CPU)" >&2
	echo "$out"
}

case "${1:-}" in
build) build ;;
dir)
	d="$CACHE/$FLAVOUR/$(key)/kernel"
	[ -e "$d/.complete" ] || exit 1
	echo "$d" ;;
key) key ;;
*) echo "usage: debug-kernel.sh [--small] build|dir|key" >&2; exit 2 ;;
esac
