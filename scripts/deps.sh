#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install, from Debian's packages, whatever building and testing clipper
# needs and this machine lacks: build tools, the kernels' headers, QEMU,
# the real peers the selftests drive, and dkms and groff for the packaging
# tests.  Does nothing when all is there.
#
#   deps.sh [kernel-build] [SERIES...]
#                          SERIES: the kernels whose headers to install
#                          (default: scripts/kernels.sh list);
#                          kernel-build: also what building a kernel from
#                          Debian's linux-source-6.1 needs
#                          (scripts/debug-kernel.sh: make check's KASAN
#                          lane, make check-debug)
#
# The headers of 6.1 and 6.12 are installed here; those of the kernels
# that need another release's compiler (5.10, 7.x) in that release's chroot
# (scripts/chroot.sh, cached; built when missing, a few minutes each).
set -eu
here=$(cd "$(dirname "$0")" && pwd)

PKGS=(
	# build
	build-essential pkg-config libmnl-dev libxtables-dev sparse kmod
	xz-utils zstd cpio perl
	# the VM
	qemu-system-x86 busybox-static
	# selftests
	iptables nftables conntrack iproute2 procps util-linux iputils-ping
	python3 curl openssl ethtool
	# WebSocket peers and the independent reader of the wire
	python3-websockets node-ws libwebsockets-test-server tshark
	# the wire fuzzer (wirefuzz.sh)
	python3-scapy
	# packaging
	dkms groff-base python3-docutils
	# the chroots of other releases (scripts/chroot.sh)
	debootstrap
	# the unit tests on a big-endian machine (scripts/test-bigendian.sh)
	gcc-s390x-linux-gnu libc6-dev-s390x-cross qemu-user-static
	# the YNL spec: its check (scripts/test-ynl.sh) and the kernel's ynl
	# CLI that selftests/clipper/ynl.sh drives
	python3-yaml python3-jsonschema
	# the arm64 smoke run (scripts/arm64-smoke.sh)
	gcc-aarch64-linux-gnu qemu-system-arm
)
if [ "${1:-}" = kernel-build ]; then
	PKGS+=(linux-source-6.1 bc bison flex libelf-dev libssl-dev)
	shift
fi

missing() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
			echo "$p"
	done
}

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

as_root "$here/apt-sources.sh"
series_list=("$@")
[ ${#series_list[@]} -gt 0 ] || read -r -a series_list <<< "$("$here/kernels.sh" list)"
updated=0
chroot_series=()
for series in "${series_list[@]}"; do
	case $("$here/kernels.sh" suite "$series") in
	chroot*) chroot_series+=("$series"); continue ;;
	esac
	if ! kv=$("$here/kernels.sh" kver "$series" 2>/dev/null); then
		as_root apt-get update -q >/dev/null
		updated=1
		kv=$("$here/kernels.sh" kver "$series")
	fi
	PKGS+=("linux-headers-$kv")
done

mapfile -t need < <(missing "${PKGS[@]}")
if [ ${#need[@]} -gt 0 ]; then
	echo "deps: installing ${need[*]}"
	[ "$updated" -eq 1 ] || as_root apt-get update -q >/dev/null
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${need[@]}" >/dev/null
fi

# the other releases' chroots and the headers in them; a series whose
# kernel APT no longer has (a new ABI) gets its chroot's lists updated
for series in "${chroot_series[@]}"; do
	suite=$("$here/kernels.sh" suite "$series")
	suite=${suite#chroot }
	"$here/chroot.sh" dir "$suite" >/dev/null
	if ! "$here/kernels.sh" prepare "$series" >/dev/null 2>&1; then
		"$here/chroot.sh" update "$suite" >/dev/null
		"$here/kernels.sh" prepare "$series" >/dev/null
	fi
done
