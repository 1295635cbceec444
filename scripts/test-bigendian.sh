#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The unit tests of the module's pure logic (kmod/tests: the MAC table, the
# MSS rewrite, the black-hole state machine, the WebSocket parser) on a
# big-endian machine: cross-built for s390x and run under qemu-user.  Every
# parser there reads network byte order; a byte-order slip (a missing
# ntohs, a cast of a __be16 to u16 that happens to work on x86) shows here
# and not on the host.  Built statically, without the sanitizers (their
# runtimes do not work under qemu-user), in a copy of kmod/ so that the
# host's test binaries stay as they are.
#
#   scripts/test-bigendian.sh     TAP, one line per test program's result
#                                 line, prefixed "s390x"; skips without the
#                                 cross compiler or qemu-s390x-static
#                                 (scripts/deps.sh installs both)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
CROSS=${CLIPPER_BE_CROSS:-s390x-linux-gnu-}
QEMU=${CLIPPER_BE_QEMU:-qemu-s390x-static}

if ! command -v "${CROSS}gcc" >/dev/null || ! command -v "$QEMU" >/dev/null; then
	echo "ok 1 - big-endian unit tests # SKIP no ${CROSS}gcc or $QEMU (apt-get install gcc-s390x-linux-gnu qemu-user-static)"
	echo "1..1"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$top/kmod" "$tmp/"
cd "$tmp/kmod/tests" || exit 1

# shellcheck source=scripts/ktap.sh
. "$top/scripts/ktap.sh"

# the machine really is big-endian: a program that says so, run there
cat > "$tmp/endian.c" <<'EOF'
#include <stdio.h>
int main(void)
{
	unsigned int x = 1;

	puts(*(unsigned char *)&x ? "little" : "big");
	return 0;
}
EOF
if "${CROSS}gcc" -static -o "$tmp/endian" "$tmp/endian.c" 2> "$tmp/endian.log" &&
   [ "$("$QEMU" "$tmp/endian")" = big ]; then
	tap_result ok "s390x: the emulated machine is big-endian"
else
	tap_result "not ok" "s390x: the emulated machine is big-endian"
	sed 's/^/#   /' "$tmp/endian.log"
fi

# every test_*.c there is (the Makefile's TESTS and ws.mk's test_ws)
tests=()
for c in test_*.c; do
	tests+=("${c%.c}")
done
# the copy may hold the host's binaries, newer than their sources
rm -f "${tests[@]}"
# CFLAGS from the environment: the Makefile adds its warnings to it
if ! CFLAGS="-O2 -g -static" make -s CC="${CROSS}gcc" SANITIZE= WS_SANITIZE= \
	"${tests[@]}" > "$tmp/build.log" 2>&1; then
	tap_result "not ok" "s390x: the unit tests build"
	tail -n 20 "$tmp/build.log" | sed 's/^/#   /'
	tap_plan
	exit 1
fi
tap_result ok "s390x: the unit tests build"

for t in "${tests[@]}"; do
	log="$tmp/$t.log"
	rc=0
	"$QEMU" "./$t" > "$log" 2>&1 || rc=$?
	# each "ok N - desc" / "not ok N - desc" of the program, prefixed
	while IFS= read -r line; do
		case $line in
		"not ok "*) tap_result "not ok" "s390x $t: $(echo "$line" | sed -E 's/^not ok [0-9]+ (- )?//')" ;;
		"ok "*) tap_result ok "s390x $t: $(echo "$line" | sed -E 's/^ok [0-9]+ (- )?//')" ;;
		esac
	done < "$log"
	if [ "$rc" -ne 0 ] && ! grep -q '^not ok' "$log"; then
		tap_result "not ok" "s390x $t: exits 0 (exit $rc)"
		tail -n 10 "$log" | sed 's/^/#   /'
	fi
done

tap_plan
