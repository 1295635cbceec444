#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Debian stock kernels that clipper is built and tested against, from
# Debian 11 (5.10) to the newest 7.x that Debian has (experimental).
#
#   kernels.sh list               series we test: "5.10 6.1 6.12 7.2 7.3"
#                                 ("6.12-rt" is known too, Debian's PREEMPT_RT
#                                 6.12 from backports, but not listed: the
#                                 debug lane, scripts/check-debug.sh, uses it)
#   kernels.sh vm                 those make check boots: all of them
#   kernels.sh full               those it runs the whole suite on (the
#                                 others run the core tests): the oldest
#                                 and the newest, "5.10 7.3" (make
#                                 check-kernels: all)
#   kernels.sh oldest | newest    the first and the last of the list
#   kernels.sh kver SERIES        e.g. 6.1 -> 6.1.0-56-amd64 (newest in APT)
#   kernels.sh headers SERIES     the linux-headers package for it
#   kernels.sh suite SERIES       the Debian suite it comes from, and whether
#                                 it is built on this machine ("host") or in
#                                 a chroot of its release ("chroot")
#   kernels.sh prepare SERIES     make sure its headers are installed, on the
#                                 host or in its chroot (built when missing)
#   kernels.sh kdir SERIES        the headers' build directory, as the build
#                                 sees it
#   kernels.sh make SERIES ARG... "make ARG... KDIR=..." for the series: on
#                                 the host, or in its chroot with that
#                                 release's compiler (this tree is bound
#                                 there at its own path)
#   kernels.sh fetch SERIES       apt-get download + dpkg -x the image into the
#                                 cache; prints the cache directory
#
# 6.1 and 6.12 build on this (bookworm) machine with its gcc-12, as Debian
# built them.  5.10 needs bullseye's gcc-10 and 7.x sid's gcc-16: their
# headers are installed in chroots of those releases (scripts/chroot.sh),
# and their images downloaded there.  The userspace of the VMs is this
# machine's, the same for every kernel.
#
# The cache lives in $CLIPPER_CACHE (default ~/.cache/clipper) and is keyed
# by kernel release, so a new Debian ABI is fetched once and old ones stay
# usable when APT is not reachable.
set -eu

SERIES_ALL="5.10 6.1 6.12 7.2 7.3"
# the ones make check boots, and those of them that run the whole suite:
# the oldest and the newest (the others run the core tests)
SERIES_VM=$SERIES_ALL
SERIES_FULL="${SERIES_ALL%% *} ${SERIES_ALL##* }"
SERIES_EXTRA="6.12-rt"
CACHE=${CLIPPER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/clipper}
here=$(cd "$(dirname "$0")" && pwd)

# the suite a series comes from: "host RELEASE" (APT of this machine,
# -t RELEASE) or "chroot SUITE" (scripts/chroot.sh)
where() {
	case "$1" in
	5.10) echo "chroot bullseye" ;;
	6.1) echo "host" ;;
	6.12 | 6.12-rt) echo "host bookworm-backports" ;;
	7.2) echo "chroot sid" ;;
	7.3) echo "chroot experimental" ;;
	*) echo "kernels.sh: unknown series '$1' (known: $SERIES_ALL $SERIES_EXTRA)" >&2; return 2 ;;
	esac
}

# apt-cache ARGS... where the series' packages are
series_apt_cache() {
	local series=$1 w
	shift
	w=$(where "$series")
	case "$w" in
	host*)
		w=${w#host}
		w=${w# }
		apt-cache ${w:+-t "$w"} "$@" ;;
	chroot*)
		w=${w#chroot }
		"$here/chroot.sh" dir "$w" >/dev/null || return 1
		[ "$w" = experimental ] && set -- -t experimental "$@"
		"$here/chroot.sh" run "$w" apt-cache "$@" ;;
	esac
}

# the metapackage that depends on the series' newest image
meta() {
	case "$1" in
	*-rt) echo "linux-image-rt-amd64" ;;
	*) echo "linux-image-amd64" ;;
	esac
}

kver() {
	local series=$1 ver=${1%-rt} pkg flavour=amd64
	where "$series" >/dev/null
	case "$series" in *-rt) flavour=rt-amd64 ;; esac
	pkg=$(series_apt_cache "$series" depends "$(meta "$series")" 2>/dev/null |
		awk '/Depends: linux-image-/ { print $2; exit }')
	# 6.1.0-57-amd64, 6.12.95+deb12-amd64, 7.2.13+deb14-amd64 and
	# experimental's 7.3-amd64 (a release candidate)
	case "$pkg" in
	linux-image-"$ver"[.-]*-rt-amd64) [ "$flavour" = rt-amd64 ] && { echo "${pkg#linux-image-}"; return 0; } ;;
	linux-image-"$ver"[.-]*amd64) [ "$flavour" = amd64 ] && { echo "${pkg#linux-image-}"; return 0; } ;;
	esac
	# APT does not know (offline, or lists missing): newest cached one
	# of this flavour.
	pkg=$(for d in "$CACHE/kernels/$ver"[.-]*amd64; do
		case ${d##*/} in
		*-rt-amd64) [ "$flavour" = rt-amd64 ] && [ -d "$d" ] && echo "$d" ;;
		*) [ "$flavour" = amd64 ] && [ -d "$d" ] && echo "$d" ;;
		esac
	done | sort -V | tail -n1)
	if [ -n "$pkg" ]; then
		basename "$pkg"
		return 0
	fi
	echo "kernels.sh: cannot resolve the Debian $series kernel (apt-get update?)" >&2
	return 1
}

# download SERIES PKG DIR: apt-get download where the series' packages are
download() {
	local series=$1 pkg=$2 dest=$3 w c
	w=$(where "$series")
	case "$w" in
	host*) (cd "$dest" && apt-get download -q "$pkg" >&2) ;;
	chroot*)
		w=${w#chroot }
		c=$("$here/chroot.sh" dir "$w")
		rm -rf "$c/tmp/clipper-dl.$$"
		"$here/chroot.sh" run "$w" sh -c \
			"mkdir -p /tmp/clipper-dl.$$ && cd /tmp/clipper-dl.$$ && apt-get download -q '$pkg'" >&2
		mv "$c"/tmp/clipper-dl.$$/*.deb "$dest/"
		rm -rf "$c/tmp/clipper-dl.$$" ;;
	esac
}

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# kdir SERIES: the headers' build directory (in the chroot for those)
kdir() {
	echo "/usr/src/linux-headers-$(kver "$1")"
}

prepare() {
	local series=$1 kv w
	w=$(where "$series")
	kv=$(kver "$series")
	case "$w" in
	host*)
		dpkg-query -W -f='${Status}\n' "linux-headers-$kv" 2>/dev/null |
			grep -q '^install ok installed$' ||
			as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
				--no-install-recommends "linux-headers-$kv" >&2 ;;
	chroot*)
		w=${w#chroot }
		# shellcheck disable=SC2016
		"$here/chroot.sh" run "$w" dpkg-query -W -f='${Status}\n' "linux-headers-$kv" 2>/dev/null |
			grep -q '^install ok installed$' ||
			"$here/chroot.sh" install "$w" "linux-headers-$kv" >&2 ;;
	esac
}

# kmake SERIES ARG...: make in the tree, for the series' headers
kmake() {
	local series=$1 kd w
	shift
	w=$(where "$series")
	kd=$(kdir "$series")
	case "$w" in
	host*) make -C "$here/.." "$@" KDIR="$kd" ;;
	chroot*)
		w=${w#chroot }
		"$here/chroot.sh" run "$w" make -C "$here/.." "$@" KDIR="$kd" ;;
	esac
}

fetch() {
	local series=$1 kv dir tmp
	kv=$(kver "$series")
	dir="$CACHE/kernels/$kv"
	if [ ! -e "$dir/.complete" ]; then
		tmp=$(mktemp -d "$CACHE/tmp.XXXXXX" 2>/dev/null || { mkdir -p "$CACHE"; mktemp -d "$CACHE/tmp.XXXXXX"; })
		# 7.x splits the image: linux-image-KVER depends on
		# linux-binary-KVER (vmlinuz), linux-modules-KVER and
		# linux-base-KVER; those come along
		local pkgs=("linux-image-$kv") p deb
		while read -r p; do
			pkgs+=("$p")
		done < <(series_apt_cache "$series" depends "linux-image-$kv" 2>/dev/null |
			awk -v kv="$kv" '$1 ~ /Depends:$/ {
				n = $2; sub(/^linux-[a-z]+-/, "", n); if (n == kv) print $2 }' |
			sort -u)
		for p in "${pkgs[@]}"; do
			download "$series" "$p" "$tmp"
		done
		for deb in "$tmp"/*.deb; do
			dpkg -x "$deb" "$tmp/root"
		done
		rm -rf "$dir"
		mkdir -p "$dir/lib/modules"
		if [ -d "$tmp/root/usr/lib/modules/$kv" ]; then
			mv "$tmp/root/usr/lib/modules/$kv" "$dir/lib/modules/"
		else
			mv "$tmp/root/lib/modules/$kv" "$dir/lib/modules/"
		fi
		# /boot/vmlinuz-KVER until 6.x; 7.x keeps it with the modules
		if [ -e "$tmp/root/boot/vmlinuz-$kv" ]; then
			mv "$tmp/root/boot/vmlinuz-$kv" "$dir/vmlinuz"
			mv "$tmp/root/boot/config-$kv" "$dir/config"
		else
			mv "$dir/lib/modules/$kv/vmlinuz" "$dir/vmlinuz"
			mv "$dir/lib/modules/$kv/config" "$dir/config"
		fi
		echo "$kv" > "$dir/kver"
		depmod -b "$dir" "$kv"
		rm -rf "$tmp"
		touch "$dir/.complete"
	fi
	echo "$dir"
}

case "${1:-}" in
list) echo "$SERIES_ALL" ;;
vm) echo "$SERIES_VM" ;;
full) echo "$SERIES_FULL" ;;
oldest) echo "${SERIES_ALL%% *}" ;;
newest) echo "${SERIES_ALL##* }" ;;
kver) kver "$2" ;;
headers) echo "linux-headers-$(kver "$2")" ;;
suite) where "$2" ;;
prepare) prepare "$2" ;;
kdir) kdir "$2" ;;
make) shift; kmake "$@" ;;
fetch) fetch "$2" ;;
*) echo "usage: kernels.sh list|vm|full|oldest|newest | kver|headers|suite|prepare|kdir|fetch SERIES | make SERIES ARG..." >&2; exit 2 ;;
esac
