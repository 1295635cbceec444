#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build chroots of other Debian releases, for the kernels whose headers
# need their own release's compiler (bullseye's gcc-10 for 5.10, sid's for
# 7.x).  Each is made once by debootstrap and cached, like the VM kernels.
#
#   chroot.sh dir SUITE          the chroot's directory, built when missing
#   chroot.sh run SUITE CMD...   CMD as root in the chroot, in a mount
#                                namespace of its own where this tree is
#                                bound at the same path and /proc, /sys and
#                                /dev are mounted (objtool of 7.x reads
#                                /proc); nothing stays mounted afterwards
#   chroot.sh install SUITE PKG...   apt-get install, -t SUITE's own suite
#   chroot.sh update SUITE       apt-get update in it
#
# SUITE is bullseye, sid or experimental.  sid and experimental are one
# chroot (sid, with experimental enabled: its packages are chosen with -t
# experimental), since both build with sid's compiler.  The chroots live
# in $CLIPPER_CACHE/chroots/BASE (bullseye, sid; default
# ~/.cache/clipper), about 600 MB each with a kernel's headers; one without its ".complete" mark (a build
# that was interrupted) is built again.  The mirror is the one this machine
# uses for bookworm.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
CACHE=${CLIPPER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/clipper}

# what every chroot has besides the base system: the compiler comes with
# the headers package (linux-headers-* depends on its gcc-N)
BASE_PKGS=build-essential,sparse,kmod,xz-utils,zstd,ca-certificates

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

base_suite() {
	case "$1" in
	bullseye | bookworm | trixie | sid) echo "$1" ;;
	experimental) echo sid ;;
	*) echo "chroot.sh: unknown suite '$1' (known: bullseye sid experimental)" >&2; return 2 ;;
	esac
}

sources() {
	local suite=$1 mirror=$2 base
	base=$(base_suite "$suite")
	echo "deb $mirror $base main"
	case "$base" in
	bullseye)
		# the newest 5.10 kernels are in the security suite
		echo "deb ${mirror%/debian}/debian-security bullseye-security main" ;;
	sid)
		echo "deb $mirror experimental main" ;;
	esac
}

build() {
	local suite=$1 dir=$2 base mirror tmp
	base=$(base_suite "$suite")
	command -v debootstrap >/dev/null ||
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null
	mirror=$("$here/apt-sources.sh" --mirror)
	echo "chroot.sh: building the $suite chroot in $dir (debootstrap, a few minutes)" >&2
	mkdir -p "$CACHE/chroots"
	tmp="$dir.tmp"
	as_root rm -rf "$tmp"
	# --variant=buildd: the build-essential set; the old suites' Release
	# files are past their Valid-Until, which debootstrap does not check
	# and apt inside does (below)
	if ! as_root debootstrap --variant=buildd --include="$BASE_PKGS" \
		"$base" "$tmp" "$mirror" > "$CACHE/chroots/$suite.debootstrap.log" 2>&1; then
		tail -n 20 "$CACHE/chroots/$suite.debootstrap.log" >&2
		echo "chroot.sh: debootstrap of $suite failed (log: $CACHE/chroots/$suite.debootstrap.log)" >&2
		return 1
	fi
	sources "$suite" "$mirror" | as_root tee "$tmp/etc/apt/sources.list" >/dev/null
	as_root tee "$tmp/etc/apt/apt.conf.d/90clipper" >/dev/null <<-EOT
	Acquire::Check-Valid-Until "false";
	APT::Install-Recommends "false";
	APT::Get::Assume-Yes "true";
	Dpkg::Use-Pty "false";
	EOT
	# the tree is bound here at its own path, so that the paths in build
	# logs and in build/KVER/ are the same inside and out
	as_root mkdir -p "$tmp$top"
	echo "$suite" | as_root tee "$tmp/etc/clipper-suite" >/dev/null
	run_in "$tmp" apt-get update -q >/dev/null
	as_root rm -rf "$dir"
	as_root mv "$tmp" "$dir"
	as_root touch "$dir/.complete"
}

dir() {
	local suite dir
	suite=$(base_suite "$1")
	dir="$CACHE/chroots/$suite"
	if [ ! -e "$dir/.complete" ]; then
		# one build at a time (VMs of several kernels may ask at once)
		mkdir -p "$CACHE/chroots"
		exec 9> "$CACHE/chroots/.$suite.lock"
		flock 9
		[ -e "$dir/.complete" ] || build "$suite" "$dir" >&2
		exec 9>&-
	fi
	echo "$dir"
}

# run_in DIR CMD...: CMD in the chroot DIR, in a private mount namespace
run_in() {
	local d=$1
	shift
	# shellcheck disable=SC2016
	as_root unshare -m --propagation private sh -c '
		d=$1 top=$2; shift 2
		mount -t proc proc "$d/proc" &&
		mount --rbind /sys "$d/sys" &&
		mount --rbind /dev "$d/dev" &&
		mkdir -p "$d$top" && mount --bind "$top" "$d$top" &&
		cp /etc/resolv.conf "$d/etc/resolv.conf" 2>/dev/null
		exec chroot "$d" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
	' chroot-run "$d" "$top" "$@"
}

target_opt() {
	case "$1" in
	experimental) echo "-t experimental" ;;
	esac
}

case "${1:-}" in
dir) dir "$2" ;;
run)
	suite=$2
	shift 2
	d=$(dir "$suite")
	run_in "$d" "$@" ;;
install)
	suite=$2
	shift 2
	d=$(dir "$suite")
	# shellcheck disable=SC2046
	run_in "$d" apt-get install -q $(target_opt "$suite") "$@" ;;
update)
	d=$(dir "$2")
	run_in "$d" apt-get update -q ;;
*) echo "usage: chroot.sh dir|update SUITE | run SUITE CMD... | install SUITE PKG..." >&2; exit 2 ;;
esac
