#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The YNL spec, Documentation/netlink/specs/clipper.yaml, against the
# kernel's own YNL tools and against the code: prints TAP, exits non-zero
# when a check fails.
#
#   1  the kernel's YNL tools are there (fetched once, see below)
#   2  the spec is valid against the kernel's genetlink-legacy.yaml schema
#   3  ynl's lib loads it the way cli.py does (with the schema)
#   4  ynl-gen-c.py generates the uAPI header from it
#   5  that header defines the same names with the same values as the
#      checked-in kmod/uapi/clipper.h (scripts/uapi-consts.sh dumps both)
#   6  ... and of the same C types, except CLIPPER_PRIORITY_UNCHANGED,
#      which ynl-gen-c can only write as a decimal literal (a long, where
#      the header has an unsigned int: the reason the header is not the
#      generated one)
#   7  the spec's commands are kmod/netlink.c's genl_ops: do or dump, and
#      admin-perm where the op has GENL_ADMIN_PERM
#
# The YNL tools come from Debian's linux-source-6.12 (bookworm-backports):
# only tools/net/ynl and Documentation/netlink of its tarball, kept in
# $CLIPPER_CACHE/src/ynl-VERSION (default ~/.cache/clipper, as for
# scripts/debug-kernel.sh's sources), fetched with "apt-get download" when
# no version is there (once: about 150 MB, a minute to unpack).
# selftests/clipper/ynl.sh uses the same directory from the guest.
#
# Environment: CLIPPER_CACHE; CLIPPER_YNL_DEB, a linux-source-6.12 .deb
# to unpack instead of downloading one; PYTHON (default /usr/bin/python3,
# with python3-yaml and python3-jsonschema: scripts/deps.sh).
#
# Runtime with the tools cached: about 2 s of CPU (the two headers'
# constant dumps are four small compiles), 7 to 15 s at nice 19 on a busy
# two-core machine; the first fetch adds a 150 MB download and about 30 s
# of unpacking.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${CLIPPER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/clipper}
PY=${PYTHON:-/usr/bin/python3}
SPEC=$top/Documentation/netlink/specs/clipper.yaml
HDR=$top/kmod/uapi/clipper.h
PKG=linux-source-6.12

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
skip() { n=$((n + 1)); echo "ok $n - $* # SKIP nothing to check: see above"; }
# show: a failed check's output as TAP comments, its first and last lines
show() { awk '{ l[NR] = $0 } END { for (i = 1; i <= NR; i++)
	if (i <= 10 || i > NR - 10) print "#   " l[i]; else if (i == 11) print "#   ..." }'; }

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The newest cached tree, else fetch and unpack one.  Prints its path.
ynl_tree() {
	local d deb ver dest part
	d=$(find "$CACHE/src" -maxdepth 1 -name 'ynl-*' -type d 2>/dev/null |
		grep -v '\.part' | sort -V | tail -n1)
	if [ -n "$d" ] && [ -f "$d/tools/net/ynl/ynl-gen-c.py" ]; then
		echo "$d"
		return 0
	fi
	if [ -n "${CLIPPER_YNL_DEB:-}" ]; then
		deb=$CLIPPER_YNL_DEB
	else
		# the machine's own mirror, with bookworm-backports (6.12's home)
		as_root "$top/scripts/apt-sources.sh" >&2 || return 1
		if ! (cd "$tmp" && apt-get download -q "$PKG" >&2); then
			as_root apt-get update -q >/dev/null || return 1
			(cd "$tmp" && apt-get download -q "$PKG" >&2) || return 1
		fi
		deb=$(find "$tmp" -maxdepth 1 -name "${PKG}_*.deb" | head -n1)
	fi
	[ -f "$deb" ] || return 1
	ver=$(dpkg-deb -f "$deb" Version) || return 1
	dest=$CACHE/src/ynl-$ver
	part=$dest.part.$$
	rm -rf "$part"
	mkdir -p "$part" || return 1
	if ! dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$PKG.tar.xz" |
		nice -n 19 tar -xJ -C "$part" --strip-components=1 \
			"$PKG/tools/net/ynl" "$PKG/Documentation/netlink"; then
		rm -rf "$part"
		return 1
	fi
	rm -rf "$dest"
	mv "$part" "$dest" || return 1
	rm -f "$tmp"/*.deb
	echo "$dest"
}

if ksrc=$(ynl_tree) && [ -n "$ksrc" ]; then
	ok "the kernel's YNL tools: $ksrc"
else
	not_ok "the kernel's YNL tools: could not fetch $PKG into $CACHE/src"
	ksrc=
fi
SCHEMA=$ksrc/Documentation/netlink/genetlink-legacy.yaml
YNL=$ksrc/tools/net/ynl

# 2: the schema, with jsonschema directly (its own error messages)
if [ -z "$ksrc" ]; then
	skip "the spec is valid against genetlink-legacy.yaml"
elif out=$(nice -n 19 "$PY" - "$SCHEMA" "$SPEC" 2>&1 <<-'EOF'
	import sys, yaml, jsonschema
	schema = yaml.safe_load(open(sys.argv[1]))
	spec = yaml.safe_load(open(sys.argv[2]))
	errors = list(jsonschema.Draft7Validator(schema).iter_errors(spec))
	for e in errors:
	    print("/".join(str(p) for p in e.absolute_path) + ": " + e.message)
	sys.exit(1 if errors else 0)
	EOF
); then
	ok "the spec is valid against genetlink-legacy.yaml"
else
	not_ok "the spec is valid against genetlink-legacy.yaml"
	echo "$out" | show
fi

# 3: as cli.py loads it (YnlFamily is a SpecFamily that also opens a socket)
if [ -z "$ksrc" ]; then
	skip "ynl's lib loads the spec with the schema"
elif out=$(nice -n 19 "$PY" - "$YNL" "$SPEC" "$SCHEMA" 2>&1 <<-'EOF'
	import sys
	sys.path.insert(0, sys.argv[1])
	from lib import SpecFamily
	f = SpecFamily(sys.argv[2], sys.argv[3])
	print(len(f.ops), "ops,", len(f.attr_sets), "attribute sets")
	EOF
); then
	ok "ynl's lib loads the spec with the schema ($out)"
else
	not_ok "ynl's lib loads the spec with the schema"
	echo "$out" | show
fi

# 4: ynl-gen-c takes the schema from ../genetlink-legacy.yaml next to
# the spec and names the spec relative to the nearest MAINTAINERS above
# it: a small tree in $tmp gives it both.
gen=$tmp/clipper.h
if [ -z "$ksrc" ]; then
	skip "ynl-gen-c.py generates the uAPI header"
else
	mkdir -p "$tmp/tree/Documentation/netlink/specs"
	: > "$tmp/tree/MAINTAINERS"
	cp "$SCHEMA" "$tmp/tree/Documentation/netlink/"
	cp "$SPEC" "$tmp/tree/Documentation/netlink/specs/"
	if out=$(nice -n 19 "$PY" "$YNL/ynl-gen-c.py" --mode uapi --header \
			--spec "$tmp/tree/Documentation/netlink/specs/clipper.yaml" \
			-o "$gen" 2>&1) && [ -s "$gen" ]; then
		ok "ynl-gen-c.py generates the uAPI header"
	else
		not_ok "ynl-gen-c.py generates the uAPI header"
		echo "$out" | show
	fi
fi

# 5, 6: the constants of both headers
if [ ! -s "$gen" ]; then
	skip "generated and checked-in headers: same names and values"
	skip "generated and checked-in headers: same C types"
else
	consts() { nice -n 19 "$top/scripts/uapi-consts.sh" "$@"; }
	# (a compile error lands in the dump, and so in the diff)
	consts "$gen" > "$tmp/gen.consts" 2>&1
	consts "$HDR" > "$tmp/hdr.consts" 2>&1
	if out=$(diff -u "$tmp/hdr.consts" "$tmp/gen.consts"); then
		ok "generated and checked-in headers: same names and values ($(wc -l < "$tmp/hdr.consts") constants)"
	else
		not_ok "generated and checked-in headers: same names and values"
		echo "$out" | show
	fi
	known='^CLIPPER_PRIORITY_UNCHANGED='
	# NAME TYPE: the values are test 5's
	types() { consts -t "$1" 2>&1 | grep -v "$known" | sed -E 's/=("[^"]*"|-?[0-9]+) / /'; }
	types "$gen" > "$tmp/gen.types"
	types "$HDR" > "$tmp/hdr.types"
	if out=$(diff -u "$tmp/hdr.types" "$tmp/gen.types"); then
		ok "generated and checked-in headers: same C types (but CLIPPER_PRIORITY_UNCHANGED)"
	else
		not_ok "generated and checked-in headers: same C types (but CLIPPER_PRIORITY_UNCHANGED)"
		echo "$out" | show
	fi
fi

# 7: the commands against the kernel's genl_ops (events are not ops)
if out=$(nice -n 19 "$PY" - "$SPEC" "$top/kmod/netlink.c" 2>&1 <<-'EOF'
	import re, sys, yaml
	spec = yaml.safe_load(open(sys.argv[1]))
	src = open(sys.argv[2]).read()
	ops = src[src.index("clipper_ops[] = {"):]
	ops = ops[:ops.index("\n};")]
	kern = {}
	for m in re.finditer(r"\.cmd\s*=\s*CLIPPER_CMD_(\w+),(.*?)\n\t\}", ops, re.S):
	    body = m.group(2)
	    modes = sorted(x for x, k in (("do", ".doit"), ("dump", ".dumpit")) if k in body)
	    kern[m.group(1)] = (modes, "GENL_ADMIN_PERM" in body)
	mine = {}
	for op in spec["operations"]["list"]:
	    if not ("do" in op or "dump" in op):
	        continue
	    name = op["name"].upper().replace("-", "_")
	    mine[name] = (sorted(x for x in ("do", "dump") if x in op),
	                  "admin-perm" in op.get("flags", []))
	bad = 0
	for name in sorted(set(kern) | set(mine)):
	    if kern.get(name) != mine.get(name):
	        print(f"{name}: kmod/netlink.c {kern.get(name)}, spec {mine.get(name)}")
	        bad = 1
	print(len(kern), "ops")
	sys.exit(bad)
	EOF
); then
	ok "the spec's commands are kmod/netlink.c's genl_ops: do/dump, admin-perm ($out)"
else
	not_ok "the spec's commands are kmod/netlink.c's genl_ops: do/dump, admin-perm"
	echo "$out" | show
fi

echo "1..$n"
echo "# test-ynl: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
