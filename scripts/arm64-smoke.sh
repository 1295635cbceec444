#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# arm64: cross-build the module against Debian's arm64 headers (bookworm's
# 6.1, with its gcc-12 for aarch64, as Debian built that kernel) and load
# it in Debian's arm64 kernel under qemu-system-aarch64.  A smoke run: the
# guest is a busybox initramfs (this machine's userspace is x86-64), which
# loads xt_CLIPPER with its dependencies, checks that it is live and that
# its target is registered for IPv4 and IPv6, removes it, and checks the
# kernel log.  Most routers are ARM.  Prints TAP; make check runs it in
# its pool of VMs.
#
#   scripts/arm64-smoke.sh        (root: apt-get install of what is missing)
#
# The arm64 packages are fetched with an APT of their own (state under
# $CLIPPER_CACHE/arm64/apt), so that this machine's APT is not given a
# second architecture; they are unpacked into $CLIPPER_CACHE/arm64.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
CACHE=${CLIPPER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/clipper}
A="$CACHE/arm64"

# shellcheck source=scripts/ktap.sh
. "$here/ktap.sh"
finish() {
	tap_plan
	exit
}

need=()
for p in gcc-aarch64-linux-gnu qemu-system-arm busybox-static; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"${need[@]}" >/dev/null || { tap_result "not ok" "install ${need[*]}"; finish; }
fi

# --- an APT for arm64 packages only, from this machine's bookworm mirror
mirror=$("$here/apt-sources.sh" --mirror) || { tap_result "not ok" "find the bookworm mirror"; finish; }
mkdir -p "$A/apt/state/lists/partial" "$A/apt/cache/archives/partial" "$A/apt/etc/preferences.d" "$A/debs"
{
	echo "deb $mirror bookworm main"
	echo "deb $mirror bookworm-updates main"
	echo "deb ${mirror%/debian}/debian-security bookworm-security main"
} > "$A/apt/etc/sources.list"
APT_OPTS=(-o "Dir::Etc::SourceList=$A/apt/etc/sources.list"
	  -o "Dir::Etc::SourceParts=-" -o "Dir::Etc::Preferences=-"
	  -o "Dir::Etc::PreferencesParts=$A/apt/etc/preferences.d"
	  -o "Dir::State=$A/apt/state" -o "Dir::State::status=/dev/null"
	  -o "Dir::Cache=$A/apt/cache"
	  -o "APT::Architecture=arm64" -o "APT::Architectures::=arm64")
if [ ! -e "$A/apt/state/.updated" ] || [ -n "$(find "$A/apt/state/.updated" -mmin +1440)" ]; then
	apt-get -q "${APT_OPTS[@]}" update > "$A/apt-update.log" 2>&1 ||
		{ tap_result "not ok" "APT lists for arm64"; tail -n 5 "$A/apt-update.log" | sed 's/^/#   /'; finish; }
	touch "$A/apt/state/.updated"
fi
pkg=$(apt-cache "${APT_OPTS[@]}" depends linux-image-arm64 2>/dev/null |
	awk '/Depends: linux-image-/ { print $2; exit }')
kv=${pkg#linux-image-}
[ -n "$kv" ] || { tap_result "not ok" "resolve Debian's arm64 kernel"; finish; }
common=$(apt-cache "${APT_OPTS[@]}" depends "linux-headers-$kv" 2>/dev/null |
	awk '/Depends: linux-headers-.*-common/ { print $2; exit }')
kbuild=$(apt-cache "${APT_OPTS[@]}" depends "linux-headers-$kv" 2>/dev/null |
	awk '/Depends: linux-kbuild-/ { print $2; exit }')

root="$A/root-$kv"
if [ ! -e "$root/.complete" ]; then
	rm -rf "$A"/root-* "$A/debs"
	mkdir -p "$A/debs" "$root"
	if ! (cd "$A/debs" && apt-get -q "${APT_OPTS[@]}" download \
		"linux-image-$kv" "linux-headers-$kv" "$common" busybox-static) > "$A/download.log" 2>&1; then
		tap_result "not ok" "download Debian's arm64 $kv"
		tail -n 5 "$A/download.log" | sed 's/^/#   /'
		finish
	fi
	for d in "$A"/debs/*.deb; do
		dpkg -x "$d" "$root"
	done
	rm -rf "$A/debs"
	# its Makefile includes the -common one by its absolute path
	sed -i "s|^include /usr/src/|include $root/usr/src/|" \
		"$root/usr/src/linux-headers-$kv/Makefile"
	touch "$root/.complete"
fi
tap_result ok "Debian's arm64 kernel $kv and its headers"

# The headers' scripts/ and tools/ link to linux-kbuild-X.Y, which holds
# programs for the build machine: the host's own (amd64) package, as
# Debian's handbook has it for cross-building.
if [ -n "$kbuild" ] && ! dpkg-query -W -f='${Status}\n' "$kbuild" 2>/dev/null | grep -q '^install ok installed$'; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$kbuild" >/dev/null
fi
mkdir -p "$root/usr/lib"
kb=${kbuild:+/usr/lib/$kbuild}
[ -n "$kb" ] && [ ! -e "$root$kb" ] && ln -sfn "$kb" "$root$kb"
kdir="$root/usr/src/linux-headers-$kv"

# --- the build: W=1, no warning
log="$A/build.log"
if make -C "$top" module KDIR="$kdir" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- W=1 \
	> "$log" 2>&1 && ! grep -qE '(warning|error):' "$log"; then
	tap_result ok "module cross-builds for arm64 $kv with W=1 and no warnings"
else
	tap_result "not ok" "module cross-builds for arm64 $kv with W=1 and no warnings"
	grep -E '(warning|error):' "$log" | head -n 20 | sed 's/^/#   /'
	tail -n 5 "$log" | sed 's/^/#   /'
	finish
fi
ko="$top/build/$kv/xt_CLIPPER.ko"
if file "$ko" | grep -q 'ARM aarch64'; then
	tap_result ok "xt_CLIPPER.ko is an aarch64 object"
else
	tap_result "not ok" "xt_CLIPPER.ko is an aarch64 object"
fi

# --- the VM: busybox, the module's dependencies, an init that checks
run=$(mktemp -d "${TMPDIR:-/tmp}/clipper-arm64.XXXXXX")
trap 'rm -rf "$run"' EXIT
mods="$run/modroot/lib/modules/$kv"
mkdir -p "$mods/extra"
ln -s "$root/lib/modules/$kv/kernel" "$mods/kernel" 2>/dev/null ||
	ln -s "$root/usr/lib/modules/$kv/kernel" "$mods/kernel"
for f in modules.order modules.builtin modules.builtin.modinfo; do
	cp "$root"/lib/modules/"$kv"/$f "$mods/" 2>/dev/null ||
		cp "$root"/usr/lib/modules/"$kv"/$f "$mods/"
done
cp "$ko" "$mods/extra/"
depmod -b "$run/modroot" "$kv"
ird="$run/initramfs"
mkdir -p "$ird/bin" "$ird/m" "$ird/proc" "$ird/sys" "$ird/dev"
cp "$root/bin/busybox" "$ird/bin/busybox" 2>/dev/null || cp "$root/usr/bin/busybox" "$ird/bin/busybox"
: > "$ird/order"
# ip_tables and ip6_tables make /proc/net/ip{,6}_tables_targets
modprobe -d "$run/modroot" -S "$kv" -a --show-depends ip_tables ip6_tables xt_CLIPPER |
	awk '$1 == "insmod" { print $2 }' | while read -r k; do
	b=$(basename "$k")
	case "$b" in
	*.xz) xz -dc "$k" > "$ird/m/${b%.xz}"; b=${b%.xz} ;;
	*) cp "$k" "$ird/m/$b" ;;
	esac
	grep -qx "$b" "$ird/order" || echo "$b" >> "$ird/order"
done
cat > "$ird/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
echo 1 > /proc/sys/kernel/printk_ratelimit 2>/dev/null
say() { echo "RESULT $*"; }
ok=1
for m in $(cat /order); do
	insmod "/m/$m" || { say "not ok insmod $m"; ok=0; }
done
if [ "$(cat /sys/module/xt_CLIPPER/initstate 2>/dev/null)" = live ]; then
	say "ok xt_CLIPPER is live"
else
	say "not ok xt_CLIPPER is live"
fi
for f in ip_tables_targets ip6_tables_targets; do
	if grep -qx CLIPPER /proc/net/$f 2>/dev/null; then
		say "ok the CLIPPER target is registered ($f)"
	else
		say "not ok the CLIPPER target is registered ($f)"
	fi
done
if rmmod xt_CLIPPER && [ ! -d /sys/module/xt_CLIPPER ]; then
	say "ok rmmod xt_CLIPPER"
else
	say "not ok rmmod xt_CLIPPER"
fi
if dmesg | grep -E 'WARNING:|BUG:|Oops|Call trace|Unable to handle'; then
	say "not ok the kernel log has no WARN, BUG or oops"
else
	say "ok the kernel log has no WARN, BUG or oops"
fi
dmesg | grep -i clipper | sed 's/^/LOG /'
say "done"
poweroff -f
EOF
chmod +x "$ird/init"
(cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1) > "$run/initrd.gz"

vmlinuz="$root/boot/vmlinuz-$kv"
[ -e "$vmlinuz" ] || vmlinuz="$root/usr/lib/modules/$kv/vmlinuz"
start=$SECONDS
timeout 900 qemu-system-aarch64 -M virt -cpu max -smp 2 -m 1024 -nographic \
	-nodefaults -serial "file:$run/console.log" -no-reboot \
	-kernel "$vmlinuz" -initrd "$run/initrd.gz" \
	-append "console=ttyAMA0 panic=-1 oops=panic loglevel=4" > /dev/null 2>&1
rc=$?
secs=$((SECONDS - start))
cp "$run/console.log" "$A/console.log" 2>/dev/null
if ! grep -q '^RESULT done' "$run/console.log"; then
	tap_result "not ok" "the arm64 VM ran the checks (exit $rc after ${secs}s)"
	tail -n 30 "$run/console.log" | sed 's/^/#   /'
	finish
fi
tap_result ok "the arm64 VM booted and ran the checks (${secs}s under TCG)"
while IFS= read -r line; do
	line=${line%$'\r'}
	case $line in
	"RESULT not ok "*) tap_result "not ok" "arm64 $kv: ${line#RESULT not ok }" ;;
	"RESULT ok "*) tap_result ok "arm64 $kv: ${line#RESULT ok }" ;;
	"LOG "*) echo "# ${line#LOG }" ;;
	esac
done < "$run/console.log"
finish
