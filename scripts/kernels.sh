#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Debian stock kernels that clipper is built and tested against.
#
#   kernels.sh list               series we test: "6.1 6.12"
#                                 ("6.12-rt" is known too, Debian's PREEMPT_RT
#                                 6.12 from backports, but not listed: the
#                                 debug lane, scripts/check-debug.sh, uses it)
#   kernels.sh kver SERIES        e.g. 6.1 -> 6.1.0-56-amd64 (newest in APT)
#   kernels.sh headers SERIES     the linux-headers package for it
#   kernels.sh fetch SERIES       apt-get download + dpkg -x the image into the
#                                 cache; prints the cache directory
#
# The cache lives in $CLIPPER_CACHE (default ~/.cache/clipper) and is keyed
# by kernel release, so a new Debian ABI is fetched once and old ones stay
# usable when APT is not reachable.
set -eu

SERIES_ALL="6.1 6.12"
SERIES_EXTRA="6.12-rt"
CACHE=${CLIPPER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/clipper}

apt_release() {
	case "$1" in
	6.1) echo "" ;;
	6.12 | 6.12-rt) echo "bookworm-backports" ;;
	*) echo "kernels.sh: unknown series '$1' (known: $SERIES_ALL $SERIES_EXTRA)" >&2; return 2 ;;
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
	local series=$1 ver=${1%-rt} rel pkg flavour=amd64
	rel=$(apt_release "$series")
	case "$series" in *-rt) flavour=rt-amd64 ;; esac
	pkg=$(apt-cache ${rel:+-t "$rel"} depends "$(meta "$series")" 2>/dev/null |
		awk '/Depends: linux-image-/ { print $2; exit }')
	case "$pkg" in
	linux-image-"$ver".*-rt-amd64) [ "$flavour" = rt-amd64 ] && { echo "${pkg#linux-image-}"; return 0; } ;;
	linux-image-"$ver".*-amd64) [ "$flavour" = amd64 ] && { echo "${pkg#linux-image-}"; return 0; } ;;
	esac
	# APT does not know (offline, or lists missing): newest cached one
	# of this flavour.
	pkg=$(for d in "$CACHE/kernels/$ver".*-amd64; do
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

fetch() {
	local series=$1 kv dir tmp
	kv=$(kver "$series")
	dir="$CACHE/kernels/$kv"
	if [ ! -e "$dir/.complete" ]; then
		tmp=$(mktemp -d "$CACHE/tmp.XXXXXX" 2>/dev/null || { mkdir -p "$CACHE"; mktemp -d "$CACHE/tmp.XXXXXX"; })
		(cd "$tmp" && apt-get download -q "linux-image-$kv" >&2)
		dpkg -x "$tmp"/linux-image-"$kv"_*.deb "$tmp/root"
		rm -rf "$dir"
		mkdir -p "$dir"
		mv "$tmp/root/boot/vmlinuz-$kv" "$dir/vmlinuz"
		mv "$tmp/root/boot/config-$kv" "$dir/config"
		mkdir -p "$dir/lib/modules"
		if [ -d "$tmp/root/usr/lib/modules/$kv" ]; then
			mv "$tmp/root/usr/lib/modules/$kv" "$dir/lib/modules/"
		else
			mv "$tmp/root/lib/modules/$kv" "$dir/lib/modules/"
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
kver) kver "$2" ;;
headers) echo "linux-headers-$(kver "$2")" ;;
fetch) fetch "$2" ;;
*) echo "usage: kernels.sh list|kver SERIES|headers SERIES|fetch SERIES" >&2; exit 2 ;;
esac
