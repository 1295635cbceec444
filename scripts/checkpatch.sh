#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the kernel's checkpatch.pl over clipper's kernel sources.  checkpatch
# comes from Debian's linux-source package; the three files it needs are
# extracted once into the cache.
#
#   checkpatch.sh FILE...      checkpatch --strict over the files
#   checkpatch.sh --self-test  checkpatch must find the errors planted in a
#                              file of its own: proof that it ran and checks
#                              (a clean result from a checkpatch that did
#                              not run would pass unseen)
set -eu

CACHE=${CLIPPER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/clipper}
dir="$CACHE/checkpatch"

if [ ! -x "$dir/scripts/checkpatch.pl" ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	pkg=$(apt-cache depends linux-source 2>/dev/null | awk '/Depends: linux-source-/ { print $2; exit }')
	[ -n "$pkg" ] || pkg=linux-source-6.1
	(cd "$tmp" && apt-get download -q "$pkg" >&2 2>/dev/null) ||
		(cd "$tmp" && apt-get download -q "$pkg")
	dpkg -x "$tmp"/"$pkg"_*.deb "$tmp/root"
	tarball=$(ls "$tmp"/root/usr/src/linux-source-*.tar.xz)
	mkdir -p "$tmp/src"
	tar -C "$tmp/src" -xJf "$tarball" --wildcards --strip-components=1 \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
	mkdir -p "$dir"
	rm -rf "$dir/scripts"
	mv "$tmp/src/scripts" "$dir/"
fi

if [ "${1:-}" = --self-test ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	printf '%s\n' '// SPDX-License-Identifier: GPL-2.0' \
		'static int planted ;' 'int f(void) { return planted; } ' > "$tmp/planted.c"
	if perl "$dir/scripts/checkpatch.pl" --no-tree --strict --terse --show-types \
		-f "$tmp/planted.c" > "$tmp/out" 2>&1; then
		echo "checkpatch.sh: checkpatch passed a file with planted errors:" >&2
		cat "$tmp/out" >&2
		exit 1
	fi
	for t in SPACING TRAILING_WHITESPACE; do
		grep -q ":$t:" "$tmp/out" || {
			echo "checkpatch.sh: checkpatch did not report the planted $t:" >&2
			cat "$tmp/out" >&2
			exit 1
		}
	done
	echo "checkpatch found the planted errors"
	exit 0
fi

# --no-tree: we are not in a kernel tree.  Files are passed explicitly.
exec perl "$dir/scripts/checkpatch.pl" --no-tree --strict --terse --show-types \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG \
	-f "$@"
