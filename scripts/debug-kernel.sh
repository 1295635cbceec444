#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A debug kernel for clipper's selftests, built from Debian's linux-source
# package: KASAN, lockdep (PROVE_LOCKING, PROVE_RCU), DEBUG_ATOMIC_SLEEP,
# kmemleak, UBSAN, debug objects, plus what the selftests use (netfilter,
# conntrack, nftables, iptables legacy and nft compat, tc, veth, bridge,
# 9p and virtio for the VM).
#
#   debug-kernel.sh build     build it unless cached; prints its directory
#   debug-kernel.sh dir       prints the directory if it is built (else 1)
#   debug-kernel.sh key       the cache key: source version + config hash
#
# The directory has the layout of "kernels.sh fetch" (vmlinuz, config,
# kver, lib/modules/KVER) plus "build", the kernel build tree to build
# out-of-tree modules against (make module KDIR=DIR/build), so
# "run-vm.sh -k DIR" boots it.
#
# The config: make defconfig + kvm_guest.config + selftests/clipper/config
# + the fragment below, then olddefconfig; the script fails if a line of
# the fragments did not survive.  It lives in $CLIPPER_CACHE/debug/KEY
# (default ~/.cache/clipper), KEY = Debian source version + a hash of the
# fragments, so it is built once and rebuilt when either changes.
#
# Environment: CLIPPER_CACHE, CLIPPER_DEBUG_SRC (the tarball, default
# /usr/src/linux-source-6.1.tar.xz), CLIPPER_DEBUG_JOBS (default 2).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${CLIPPER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/clipper}
SRC_TAR=${CLIPPER_DEBUG_SRC:-/usr/src/linux-source-6.1.tar.xz}
SRC_PKG=linux-source-6.1
JOBS=${CLIPPER_DEBUG_JOBS:-2}

# The debug options and what the selftests need beyond
# selftests/clipper/config.  Options that must be on are checked after
# olddefconfig; "=n" lines trim defconfig (no hardware the VM lacks).
fragment() {
	cat <<'EOF'
# --- debugging
CONFIG_LOCALVERSION="-clipper-debug"
# CONFIG_LOCALVERSION_AUTO is not set
# CONFIG_WERROR is not set
CONFIG_DEBUG_KERNEL=y
CONFIG_DEBUG_INFO_NONE=y
CONFIG_KALLSYMS=y
CONFIG_KALLSYMS_ALL=y
CONFIG_PREEMPT=y
CONFIG_DEBUG_PREEMPT=y
CONFIG_KASAN=y
CONFIG_KASAN_GENERIC=y
CONFIG_KASAN_INLINE=y
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
CONFIG_DEBUG_FS=y
CONFIG_MODULES=y
CONFIG_MODULE_UNLOAD=y
CONFIG_MODULE_COMPRESS_NONE=y
# CONFIG_MODULE_SIG is not set
# --- the VM: 9p root, virtio, serial console
CONFIG_VIRTIO_PCI=y
CONFIG_NET_9P=y
CONFIG_NET_9P_VIRTIO=y
CONFIG_9P_FS=y
CONFIG_9P_FS_POSIX_ACL=y
CONFIG_HW_RANDOM_VIRTIO=m
CONFIG_DEVTMPFS=y
CONFIG_TMPFS=y
CONFIG_CGROUPS=y
CONFIG_BLK_DEV_INITRD=y
CONFIG_RD_GZIP=y
# --- networking the selftests use
CONFIG_IPV6=y
CONFIG_PACKET=y
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

# Options that the lane's purpose depends on: the build fails without them.
REQUIRED="KASAN KASAN_GENERIC PROVE_LOCKING PROVE_RCU DEBUG_ATOMIC_SLEEP
DEBUG_KMEMLEAK UBSAN UBSAN_BOUNDS DEBUG_OBJECTS NET_9P_VIRTIO 9P_FS VIRTIO_PCI
NF_CONNTRACK NF_TABLES NFT_COMPAT IP_NF_IPTABLES IP6_NF_IPTABLES VETH
NET_SCH_NETEM NET_SCH_HTB NET_CLS_FW BRIDGE"

src_version() {
	dpkg-query -W -f '${Version}' "$SRC_PKG" 2>/dev/null || echo unknown
}

key() {
	local h
	h=$( { fragment; cat "$top/selftests/clipper/config"; } | sha256sum | cut -c1-12)
	echo "$(src_version)-$h"
}

build() {
	local k base src obj out kv log t0 line sym val missing=
	[ -r "$SRC_TAR" ] || { echo "debug-kernel.sh: $SRC_TAR missing (apt-get install $SRC_PKG)" >&2; return 1; }
	k=$(key)
	base="$CACHE/debug/$k"
	out="$base/kernel"
	if [ -e "$out/.complete" ]; then
		echo "$out"
		return 0
	fi
	src="$base/src"
	obj="$base/obj"
	log="$base/build.log"
	mkdir -p "$base"
	t0=$SECONDS
	if [ ! -e "$src/.extracted" ]; then
		echo "debug-kernel.sh: extracting $SRC_TAR" >&2
		rm -rf "$src"
		mkdir -p "$src"
		tar -xJf "$SRC_TAR" -C "$src" --strip-components=1
		touch "$src/.extracted"
	fi
	mkdir -p "$obj"
	fragment > "$base/debug.config"
	if [ ! -e "$obj/.configured" ]; then
		echo "debug-kernel.sh: configuring in $obj" >&2
		make -s -C "$src" O="$obj" defconfig >&2
		make -s -C "$src" O="$obj" kvm_guest.config >&2
		(cd "$obj" && "$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" \
			"$top/selftests/clipper/config" "$base/debug.config") > "$base/merge.log" 2>&1
		make -s -C "$src" O="$obj" olddefconfig >&2
		for sym in $REQUIRED; do
			grep -Eq "^CONFIG_$sym=[ym]" "$obj/.config" || missing="$missing $sym"
		done
		if [ -n "$missing" ]; then
			echo "debug-kernel.sh: not enabled after olddefconfig:$missing" >&2
			return 1
		fi
		# Lines of the fragments that Kconfig changed (dependencies):
		# reported, not fatal.
		{ cat "$top/selftests/clipper/config"; fragment; } | grep -E '^(CONFIG_|# CONFIG_)' |
		while IFS= read -r line; do
			case $line in
			"# CONFIG_"*) sym=${line#\# }; sym=${sym%% *}
				grep -Eq "^$sym=" "$obj/.config" && echo "debug-kernel.sh: note: $sym is still set" >&2 ;;
			*) sym=${line%%=*}; val=${line#*=}
				grep -qxF "$sym=$val" "$obj/.config" ||
					echo "debug-kernel.sh: note: $line did not stick ($(grep -E "^(# )?${sym}[= ]" "$obj/.config" || echo absent))" >&2 ;;
			esac
		done || true
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
	cp "$obj/arch/x86/boot/bzImage" "$out/vmlinuz"
	cp "$obj/.config" "$out/config"
	cp "$obj/System.map" "$out/System.map"
	ln -sfn "$obj" "$out/build"
	echo "$kv" > "$out/kver"
	echo "$k" > "$out/key"
	echo "$((SECONDS - t0))" > "$out/build-seconds"
	touch "$out/.complete"
	echo "debug-kernel.sh: $kv built in $((SECONDS - t0)) s" >&2
	echo "$out"
}

case "${1:-}" in
build) build ;;
dir)
	d="$CACHE/debug/$(key)/kernel"
	[ -e "$d/.complete" ] || exit 1
	echo "$d" ;;
key) key ;;
*) echo "usage: debug-kernel.sh build|dir|key" >&2; exit 2 ;;
esac
