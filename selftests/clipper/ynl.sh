#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The YNL spec, Documentation/netlink/specs/clipper.yaml, against the
# running module: the kernel's own ynl CLI (tools/net/ynl/cli.py), which
# knows the family from the spec alone, reads what "clipper -j" reads
# (version, MAC table, settings, classes), writes through the spec what
# "clipper" then shows, and is refused a write as an unprivileged user.
#
# The CLI is the one of Debian's linux-source-6.12 that scripts/test-ynl.sh
# unpacks on the host into ~/.cache/clipper/src/ynl-VERSION: the guest sees
# the host's root read-only, so root's cache is there too (/tmp is not).
# Skipped when it is missing, or python3-yaml / python3-jsonschema are.
#
# Helpers run through check and trap, which shellcheck cannot see:
# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
require_root
require_cmd setpriv

PY=/usr/bin/python3
SPEC=$TOP/Documentation/netlink/specs/clipper.yaml
ksrc=
for d in "${CLIPPER_CACHE:-/root/.cache/clipper}"/src/ynl-*; do
	[ -f "$d/tools/net/ynl/cli.py" ] && ksrc=$d
done
if [ -z "$ksrc" ]; then
	echo "# SKIP: no kernel ynl CLI in /root/.cache/clipper/src (run scripts/test-ynl.sh on the host)"
	exit $ksft_skip
fi
if ! "$PY" -c 'import yaml, jsonschema' 2>/dev/null; then
	echo "# SKIP: python3-yaml and python3-jsonschema are needed (scripts/deps.sh)"
	exit $ksft_skip
fi
echo "# ynl CLI from $ksrc"
SCHEMA=$ksrc/Documentation/netlink/genetlink-legacy.yaml

tmp=$(mktemp -d)
cleanup() {
	cleanup_ns
	rm -rf "$tmp"
}
trap cleanup EXIT
modprobe xt_CLIPPER
a=
setup_ns a

C() { "$CLIPPER" -n "$a" "$@"; }
# ynl ARGS...: the kernel's CLI in namespace a, JSON out, the spec checked
# against the schema as it loads (no --no-schema)
ynl() {
	ip netns exec "$a" env PYTHONDONTWRITEBYTECODE=1 "$PY" \
		"$ksrc/tools/net/ynl/cli.py" --spec "$SPEC" --schema "$SCHEMA" \
		--output-json "$@"
}

# jcmp KIND YNL_JSON CLIPPER_JSON: the same facts in both outputs, or the
# differences on stdout and exit 1.  The two name them differently: ynl
# uses the spec's names (dumps are lists of {"mac": {...}}), clipper its
# own keys, null for a class's unchanged priority or DSCP, no comment "".
jcmp() {
	"$PY" - "$@" <<-'EOF'
	import json, sys
	kind, y, c = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
	diffs = []
	def same(what, a, b):
	    if a != b:
	        diffs.append(f"{what}: ynl {a!r}, clipper {b!r}")
	if kind == "version":
	    same("protocol", y.get("protocol"), c.get("protocol"))
	    same("version", y.get("version"), c.get("module"))
	elif kind == "mac":
	    ym = sorted(((m["mac"]["addr"].lower(), m["mac"].get("prefix", 48)), m["mac"]) for m in y)
	    cm = sorted(((e["mac"].lower(), e["prefix"]), e) for e in c)
	    same("entries", [k for k, _ in ym], [k for k, _ in cm])
	    for (k, m), (_, e) in zip(ym, cm):
	        same(f"{k} class", m.get("class"), e["class"])
	        same(f"{k} comment", m.get("comment", ""), e.get("comment") or "")
	        same(f"{k} random", m.get("random", False), e["random"])
	        for f in ("packets", "bytes", "flows"):
	            same(f"{k} {f}", m.get(f), e[f])
	elif kind == "config":
	    y = y["config"]
	    keys = {"default": "default-class", "random": "random-class",
	            "pmtu_timeout_ms": "pmtu-timeout", "pmtu_window_ms": "pmtu-window",
	            "ws_timeout_ms": "ws-timeout"}
	    for k, v in c.items():
	        yk = keys.get(k, k.replace("_", "-"))
	        yv = y.get(yk)
	        if isinstance(v, bool):
	            yv = bool(yv)
	        same(k, yv, v)
	    same("settings", len(y), len(c))
	elif kind == "class":
	    yc = {m["class"]["name"]: m["class"] for m in y}
	    cc = {e["class"]: e for e in c}
	    same("classes", sorted(yc), sorted(cc))
	    for name in sorted(set(yc) & set(cc)):
	        m, e = yc[name], cc[name]
	        same(f"{name} id", m["id"], name)
	        same(f"{name} mark", m["mark"], e["mark"])
	        same(f"{name} priority", None if m["priority"] == 0xffffffff else m["priority"], e["priority"])
	        same(f"{name} dscp", None if m["dscp"] == 0xff else m["dscp"], e["dscp"])
	        for f in ("packets", "bytes", "flows"):
	            same(f"{name} {f}", m[f], e[f])
	else:
	    diffs.append("unknown kind " + kind)
	if diffs:
	    print("\n".join(diffs))
	sys.exit(1 if diffs else 0)
	EOF
}

# check_jcmp DESC KIND YNL_JSON CLIPPER_JSON
check_jcmp() {
	local desc=$1 out
	shift
	if out=$(jcmp "$@" 2>&1); then
		pass "$desc"
	else
		fail "$desc"
		echo "$out" | sed 's/^/#   /' | tail -n 20
		echo "#   ynl: $(head -c 600 <<< "$2")"
		echo "#   clipper: $(head -c 600 <<< "$3")"
	fi
}

# --- reads ---------------------------------------------------------------
y=$(ynl --do version-get 2>&1)
check_jcmp "version-get: ynl and clipper -j version agree" version "$y" "$(C -j version)"

check "clipper mac add 02:00:00:00:0c:01 premium comment" \
	C mac add 02:00:00:00:0c:01 premium comment "via clipper"
check "clipper mac add 02:00:00:00:0c:00/40 bulk" C mac add 02:00:00:00:0c:00/40 bulk
y=$(ynl --dump mac-get 2>&1)
check_jcmp "mac-get dump: ynl and clipper -j mac list agree" mac "$y" "$(C -j mac list)"

y=$(ynl --do config-get 2>&1)
check_jcmp "config-get: ynl and clipper -j config agree" config "$y" "$(C -j config)"

y=$(ynl --dump class-get 2>&1)
check_jcmp "class-get dump: ynl and clipper -j class list agree" class "$y" "$(C -j class list)"

# --- writes encoded from the spec ----------------------------------------
check "ynl mac-add (the spec encodes the nest, the enum, the string)" \
	ynl --do mac-add --json '{"mac": {"addr": "020000000c02", "class": "express", "comment": "via ynl"}}'
check_eq "clipper sees ynl's entry" "express via ynl" \
	"$(C -j mac list | "$PY" -c 'import json, sys
print(" ".join(e["class"] + " " + e["comment"] for e in json.load(sys.stdin) if e["mac"] == "02:00:00:00:0c:02"))')"
check "ynl config-set mac-max 1000" ynl --do config-set --json '{"config": {"mac-max": 1000}}'
check_eq "clipper sees mac_max 1000" 1000 \
	"$(C -j config | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["mac_max"])')"
y=$(ynl --do config-get 2>&1)
check_jcmp "config-get after config-set: ynl and clipper agree" config "$y" "$(C -j config)"

# --- unprivileged: reads open, writes refused (GENL_ADMIN_PERM) ----------
# root's cache is not readable by nobody: a copy of the CLI in $tmp
mkdir -p "$tmp/ynl"
cp -r "$ksrc/tools/net/ynl/cli.py" "$ksrc/tools/net/ynl/lib" "$tmp/ynl/"
cp "$SPEC" "$SCHEMA" "$tmp/"
chmod -R a+rX "$tmp"
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
ynl_nobody() {
	ip netns exec "$a" "${NOBODY[@]}" env PYTHONDONTWRITEBYTECODE=1 "$PY" \
		"$tmp/ynl/cli.py" --spec "$tmp/clipper.yaml" \
		--schema "$tmp/genetlink-legacy.yaml" --output-json "$@"
}
check "non-root: ynl version-get is allowed" ynl_nobody --do version-get
out=$(ynl_nobody --do mac-add --json '{"mac": {"addr": "020000000c03", "class": "bulk"}}' 2>&1)
rc=$?
check_eq "non-root: ynl mac-add fails" 1 "$rc"
check "non-root: ... with EPERM" grep -q "Operation not permitted" <<< "$out"
check_eq "non-root: the table is unchanged (3 entries)" 3 \
	"$(C -j mac list | "$PY" -c 'import json, sys; print(len(json.load(sys.stdin)))')"

C mac flush
check_eq "kernel log clean" "" "$(dmesg_bad)"
ktap_finished
