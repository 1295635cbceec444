#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms.conf under the real dkms: the files Documentation/admin-guide.rst
# says to copy (dkms.conf, Kbuild, kmod/) go to a temporary source tree,
# then "dkms add", "dkms build" and "dkms install" for each kernel, then
# "dkms remove".  The DKMS tree, the install tree, the signing key and
# dkms's temporary files all live in one temporary directory, and depmod
# is not run, so nothing is left on the system.
#
#   scripts/test-dkms.sh [KVER...]
#
# Without KVER, every kernel whose headers are in /usr/src.  Prints TAP
# ("ok N - ..." / "not ok N - ...", then "1..N"); the exit status is
# non-zero if a test failed.  Skips when dkms is not installed.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$PATH:/usr/sbin:/sbin

n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {		# not_ok DESC [LOG]: the log's tail as diagnostics
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	if [ -n "${2:-}" ] && [ -s "$2" ]; then
		tail -n 25 "$2" | sed 's/^/#   /'
	fi
}

skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

first() {		# first PATH...: the first that exists (for globs)
	[ -e "$1" ] && echo "$1"
}

finish() {
	echo "1..$n"
	[ "$failed" -eq 0 ]
	exit
}

if ! command -v dkms > /dev/null; then
	skip "dkms" "dkms is not installed (apt-get install dkms)"
	finish
fi

version=$(sed -n 's/^#define CLIPPER_VERSION "\(.*\)"$/\1/p' "$top/kmod/version.h")
kernels=("$@")
if [ ${#kernels[@]} -eq 0 ]; then
	for h in /usr/src/linux-headers-*/include/generated/utsrelease.h; do
		[ -f "$h" ] || continue
		kernels+=("$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$h")")
	done
fi
if [ ${#kernels[@]} -eq 0 ]; then
	skip "dkms" "no kernel headers in /usr/src"
	finish
fi

# What of clipper is on the system before, to see that nothing is added.
system_state() {
	ls -d /usr/src/clipper-* /var/lib/dkms/clipper /var/lib/dkms/mok.* \
		/lib/modules/*/updates/dkms/xt_CLIPPER.ko* 2>/dev/null
}
before=$(system_state)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/clipper-dkms.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src/clipper-$version" "$tmp/dkms" "$tmp/lib/modules" "$tmp/tmp"
cp -R "$top/dkms.conf" "$top/Kbuild" "$top/kmod" "$tmp/src/clipper-$version/"
# no build leftovers of the unit tests in the copy
find "$tmp/src/clipper-$version" \( -name '*.o' -o -name '*.d' \) -delete

# dkms reads these from the environment (framework.conf may still set them)
export mok_signing_key="$tmp/mok.key" mok_certificate="$tmp/mok.pub"
export TMPDIR="$tmp/tmp"
trees=(--sourcetree "$tmp/src" --dkmstree "$tmp/dkms" --installtree "$tmp/lib/modules")

if dkms add "clipper/$version" "${trees[@]}" > "$tmp/add.log" 2>&1 &&
   [ -d "$tmp/dkms/clipper/$version" ]; then
	ok "dkms add clipper/$version (PACKAGE_VERSION from kmod/version.h)"
else
	not_ok "dkms add clipper/$version (PACKAGE_VERSION from kmod/version.h)" "$tmp/add.log"
	finish
fi

for kv in "${kernels[@]}"; do
	kd=/usr/src/linux-headers-$kv
	[ -d "$kd" ] || kd=/lib/modules/$kv/build
	log=$tmp/build-$kv.log
	start=$SECONDS
	if dkms build "clipper/$version" -k "$kv" --kernelsourcedir "$kd" \
		"${trees[@]}" > "$log" 2>&1; then
		ok "$kv: dkms build"
		echo "# $kv: built in $((SECONDS - start)) s"
	else
		cat "$tmp/dkms/clipper/$version/build/make.log" >> "$log" 2>/dev/null
		not_ok "$kv: dkms build" "$log"
		continue
	fi
	mlog=$(first "$tmp/dkms/clipper/$version/$kv"/*/log/make.log)
	if [ -n "$mlog" ] && ! grep -E '(warning|error):' "$mlog" > "$tmp/diag"; then
		ok "$kv: no compiler warnings in make.log"
	else
		not_ok "$kv: no compiler warnings in make.log" "$tmp/diag"
	fi

	ko=$(first "$tmp/dkms/clipper/$version/$kv"/*/module/xt_CLIPPER.ko*)
	magic=$(modinfo -F vermagic "$ko" 2>/dev/null)
	if [ -n "$ko" ] && [ "${magic%% *}" = "$kv" ]; then
		ok "$kv: ${ko##*/} has vermagic $kv"
	else
		not_ok "$kv: xt_CLIPPER.ko has vermagic $kv (got '${magic:-no module}')"
	fi

	if [ "$(id -u)" -ne 0 ]; then
		skip "$kv: dkms install" "dkms install needs root"
		continue
	fi
	mkdir -p "$tmp/lib/modules/$kv"
	log=$tmp/install-$kv.log
	if dkms install "clipper/$version" -k "$kv" --kernelsourcedir "$kd" \
		--no-depmod "${trees[@]}" > "$log" 2>&1 &&
	   [ -n "$(first "$tmp/lib/modules/$kv/updates/dkms/xt_CLIPPER.ko"*)" ]; then
		ok "$kv: dkms install puts it in updates/dkms"
	else
		not_ok "$kv: dkms install puts it in updates/dkms" "$log"
	fi
done

log=$tmp/remove.log
if dkms remove "clipper/$version" --all --no-depmod "${trees[@]}" > "$log" 2>&1 &&
   [ ! -e "$tmp/dkms/clipper" ] &&
   [ -z "$(find "$tmp/lib/modules" -name 'xt_CLIPPER.ko*')" ]; then
	ok "dkms remove clipper/$version --all empties both trees"
else
	not_ok "dkms remove clipper/$version --all empties both trees" "$log"
fi

if [ "$(system_state)" = "$before" ]; then
	ok "nothing of clipper added to /usr/src, /var/lib/dkms or /lib/modules"
else
	not_ok "nothing of clipper added to /usr/src, /var/lib/dkms or /lib/modules"
	diff <(echo "$before") <(system_state) | sed 's/^/#   /'
fi
finish
