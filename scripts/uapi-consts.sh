#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print every constant a uAPI header defines, one "NAME=VALUE" a line,
# sorted: each enum constant and each #define with a value (string
# defines print as NAME="...").  The values are not read from the text:
# a small C program is compiled against the header and prints them, so
# "A = (__B - 1)" and "0xffU" show what a compiler sees.  With -t each
# line also carries the constant's C type class (int, unsigned int, long,
# unsigned long, long long, unsigned long long, string).
#
#   uapi-consts.sh [-t] HEADER
#
# scripts/test-ynl.sh compares the dump of the header that ynl-gen-c
# generates from Documentation/netlink/specs/clipper.yaml with the dump of
# the checked-in kmod/uapi/clipper.h: the spec and the header must define
# the same names with the same values.
set -eu

types=0
if [ "${1:-}" = -t ]; then
	types=1
	shift
fi
[ $# -eq 1 ] || { echo "usage: $0 [-t] HEADER" >&2; exit 2; }
hdr=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
CC=${CC:-cc}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The names: enum members (first identifier of a line inside an enum
# block) and object-like #defines with a body (not the include guard).
awk '
	/^[ \t]*enum[ \t]*[A-Za-z0-9_]*[ \t]*\{/ { inenum = 1; next }
	inenum && /\}/ { inenum = 0; next }
	inenum && match($0, /^[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*(=|,|$)/) {
		s = substr($0, RSTART, RLENGTH); gsub(/[ \t=,]/, "", s); print s; next
	}
	/^#[ \t]*define[ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]+[^ \t]/ {
		s = $0; sub(/^#[ \t]*define[ \t]+/, "", s); sub(/[ \t].*/, "", s); print s
	}
' "$hdr" | sort -u > "$tmp/names"

{
	cat <<-C
	#include <stdio.h>
	#include "$hdr"

	static void s(const char *n, const char *v, const char *t) { printf("%s=\"%s\"%s\n", n, v, t); }
	static void i(const char *n, long long v, const char *t) { printf("%s=%lld%s\n", n, v, t); }
	static void u(const char *n, unsigned long long v, const char *t) { printf("%s=%llu%s\n", n, v, t); }
	#define T(x) ($types ? _Generic((x), char *: " string", int: " int", \\
		unsigned int: " unsigned int", long: " long", unsigned long: " unsigned long", \\
		long long: " long long", unsigned long long: " unsigned long long", default: " other") : "")
	#define P(x) _Generic((x), char *: s, unsigned int: u, unsigned long: u, \\
		unsigned long long: u, default: i)(#x, x, T(x))

	int main(void)
	{
	C
	sed 's/.*/\tP(&);/' "$tmp/names"
	printf '\treturn 0;\n}\n'
} > "$tmp/dump.c"

"$CC" -std=gnu11 -Wall -Werror -o "$tmp/dump" "$tmp/dump.c"
"$tmp/dump"
