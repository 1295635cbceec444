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
#   8  the spec's requests are kmod/netlink.c's policies: each command's
#      top-level attributes, and in each nest a request carries, the
#      attributes a request may carry (those whose doc does not start with
#      "reply", scripts/ynl-gen-tables.py's convention) with their types
#      and checks
#   9-11  the files generated from the spec (make gen: cli/attrs.h,
#      selftests/clipper/nlfuzz-spec.h, the tables of
#      Documentation/netlink.rst) are what scripts/ynl-gen-tables.py
#      writes now: it writes them into a temporary directory, and any
#      difference fails, with its first lines; so does a generator that
#      fails or writes nothing
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
# 8 to 11 need python3-yaml only, not the YNL tools.
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

# 8: the policies, read from the C (the constants they use from kmod's
# headers and the spec's enums); the spec's side as ynl-gen-tables.py
# sees it
if out=$(nice -n 19 "$PY" - "$top" "$SPEC" 2>&1 <<-'EOF'
	import glob, importlib.util, re, sys
	top, spec = sys.argv[1], sys.argv[2]
	m = importlib.util.spec_from_file_location(
	    "gen", top + "/scripts/ynl-gen-tables.py")
	gen = importlib.util.module_from_spec(m)
	m.loader.exec_module(gen)
	fam = gen.Family(spec)
	src = open(top + "/kmod/netlink.c").read()

	# the names a policy may use
	consts = {"ETH_ALEN": 6}
	for h in glob.glob(top + "/kmod/*.h") + glob.glob(top + "/kmod/uapi/*.h"):
	    for d in re.finditer(r"^#define\s+(CLIPPER_\w+)\s+([0-9][0-9a-fA-FxXuU]*)\b",
	                         open(h).read(), re.M):
	        consts[d.group(1)] = int(d.group(2).rstrip("uU"), 0)
	for e in fam.enums:
	    pfx = gen.c_upper(e.get("name-prefix", f"{fam.name}-{e['name']}-"))
	    v = e.get("value-start", 0)
	    for x in e["entries"]:
	        x = x if isinstance(x, dict) else {"name": x}
	        v = x.get("value", v)
	        consts[pfx + gen.c_upper(x["name"])] = v
	        v += 1
	    if e.get("render-max"):
	        consts[pfx + "MAX"] = v - 1

	def value(expr):
	    expr = re.sub(r"\b[A-Z_][A-Z0-9_]*\b",
	                  lambda w: str(consts[w.group(0)]), expr)
	    return eval(expr, {"__builtins__": {}})

	types = {"NLA_U8": "u8", "NLA_U16": "u16", "NLA_U32": "u32",
	         "NLA_U64": "u64", "NLA_FLAG": "flag", "NLA_NUL_STRING": "string",
	         "NLA_BINARY": "binary", "NLA_NESTED": "nest"}

	def policy(text):
	    """(type, checks, nested policy) of one entry"""
	    t = " ".join(text.split())
	    if t == "NLA_POLICY_ETH_ADDR":
	        return "binary", {"exact-len": 6}, None
	    p = re.fullmatch(r"NLA_POLICY_NESTED\((\w+)\)", t)
	    if p:
	        return "nest", {}, p.group(1)
	    p = re.fullmatch(r"NLA_POLICY_RANGE\((NLA_\w+), (.+), (.+)\)", t)
	    if p:
	        return types[p.group(1)], {"min": value(p.group(2)),
	                                   "max": value(p.group(3))}, None
	    p = re.fullmatch(r"NLA_POLICY_(MIN|MAX)\((NLA_\w+), (.+)\)", t)
	    if p:
	        return types[p.group(2)], {p.group(1).lower(): value(p.group(3))}, None
	    p = re.fullmatch(r"\{ ?\.type = (NLA_\w+)(?:, \.len = (.+?))? ?\}", t)
	    if p:
	        c = {"max-len": value(p.group(2))} if p.group(2) else {}
	        return types[p.group(1)], c, None
	    raise ValueError("a policy this check cannot read: " + t)

	policies = {}
	for p in re.finditer(r"static const struct nla_policy (\w+)\[[^]]*\] = \{(.*?)\n\};",
	                     src, re.S):
	    ents = {}
	    for e in re.split(r"\n\s*(?=\[)", p.group(2).strip()):
	        k = re.match(r"\[(\w+)\]\s*=\s*(.*?),?\s*$", e, re.S)
	        ents[k.group(1)] = policy(k.group(2))
	    policies[p.group(1)] = ents

	def checks(a):
	    return {k: v for k, v in a.checks.items()
	            if k in ("min", "max", "exact-len", "min-len", "max-len")}

	bad = []
	def compare(what, aset, names, kernel):
	    mine = {a.c_name: a for a in aset.attrs if a.name in names}
	    for c in sorted(set(mine) | set(kernel)):
	        if c not in kernel:
	            bad.append(f"{what}: {c}: in the spec's request, not in the policy")
	        elif c not in mine:
	            bad.append(f"{what}: {c}: in the policy, not in the spec's request"
	                       " (a doc that starts with \"reply\"?)")
	        else:
	            a, (t, k, nested) = mine[c], kernel[c]
	            if t != a.type or (a.type != "nest" and k != checks(a)):
	                bad.append(f"{what}: {c}: policy {t} {k}, spec {a.type} {checks(a)}")
	            if nested:
	                want = f"clipper_{gen.c_lower(a.nested)}_attr_policy"
	                if nested != want:
	                    bad.append(f"{what}: {c}: nests {nested}, spec {want}")
	                elif nested not in seen:
	                    seen.add(nested)
	                    s = fam.set_by_name[a.nested]
	                    compare(nested, s, {x.name for x in fam.request_attrs(s)},
	                            policies[nested])

	# each command's policy, from its genl_ops entry
	seen = set()
	ops = src[src.index("clipper_ops[] = {"):]
	ops = ops[:ops.index("\n};")]
	nops = 0
	for o in re.finditer(r"\.cmd\s*=\s*CLIPPER_CMD_(\w+),(.*?)\n\t\}", ops, re.S):
	    pol = re.search(r"\.policy\s*=\s*(\w+)", o.group(2))
	    op = [x for x in fam.ops if gen.c_upper(x.name) == o.group(1)]
	    if not pol or not op:
	        bad.append(f"CLIPPER_CMD_{o.group(1)}: no policy, or not in the spec")
	        continue
	    nops += 1
	    compare(f"CLIPPER_CMD_{o.group(1)} ({pol.group(1)})", fam.top,
	            set(op[0].request), policies[pol.group(1)])
	for s in fam.sets:
	    name = f"clipper_{s.c_name}_attr_policy"
	    if s.in_request and s is not fam.top and name not in seen:
	        bad.append(f"{s.name}: a request carries it, kmod/netlink.c has no {name}")
	for b in bad:
	    print(b)
	print(f"{nops} ops, {len(seen)} nests")
	sys.exit(1 if bad else 0)
	EOF
); then
	ok "the spec's requests are kmod/netlink.c's policies: attributes, types, checks ($out)"
else
	not_ok "the spec's requests are kmod/netlink.c's policies: attributes, types, checks"
	echo "$out" | show
fi

# 9-11: make gen's files, generated again into $tmp/gen.  Without a
# generator that ran and wrote them, each fails.
GENERATED="cli/attrs.h selftests/clipper/nlfuzz-spec.h Documentation/netlink.rst"
if gen_out=$(nice -n 19 "$PY" "$top/scripts/ynl-gen-tables.py" \
		--out "$tmp/gen" 2>&1); then
	gen_failed=
else
	gen_failed=1
fi
for f in $GENERATED; do
	if [ -n "$gen_failed" ]; then
		not_ok "$f is what make gen writes: scripts/ynl-gen-tables.py failed"
		echo "$gen_out" | show
	elif [ ! -s "$tmp/gen/$f" ]; then
		not_ok "$f is what make gen writes: the generator wrote no $f"
	elif out=$(diff -u --label "$f" --label "$f (make gen)" \
			"$top/$f" "$tmp/gen/$f" 2>&1); then
		ok "$f is what make gen writes"
	else
		not_ok "$f is what make gen writes: run make gen, commit the result"
		echo "$out" | head -n 20 | sed 's/^/#   /'
	fi
done

echo "1..$n"
echo "# test-ynl: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
