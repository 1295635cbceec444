#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# clipper: golden-output tests of everything the tool prints, no module
# needed.  Each case of tests/golden.cases runs tests/clipper-fake (the
# whole tool, its netlink socket a fake kernel that replays the replies of
# a scenario, tests/fake_kernel.c) and compares what it printed, byte for
# byte, with tests/golden/NAME (stdout) and NAME.err (stderr and the exit
# status, when there is either).  Every JSON golden must parse (python3's
# json module, and jq when there is one) and be python's own serialisation
# of itself (compact, or indent=4 for .pretty.): minimal, canonical
# escaping.  Prints TAP.
#
#	tests/golden.sh			compare
#	GOLDEN_UPDATE=1 tests/golden.sh	record the outputs as the goldens
#
# The utility's own version is written @VERSION@ in the goldens, so a
# release does not touch them.
set -u

here=$(cd "$(dirname "$0")" && pwd)
fake=$here/clipper-fake
gold=$here/golden
out=$here/out/golden
update=${GOLDEN_UPDATE:-}
version=$(sed -n 's/^#define CLIPPER_VERSION "\(.*\)"$/\1/p' \
	"$here/../../kmod/version.h")
vre=$(printf '%s' "$version" | sed 's/[.]/[.]/g')

rm -rf "$out"
mkdir -p "$out"
[ -n "$update" ] && mkdir -p "$gold"
[ -x "$fake" ] || { echo "Bail out! no $fake"; exit 1; }

n=0
failed=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

# the differences, as TAP comments
show_diff() {
	diff -u "$1" "$2" 2>&1 | head -n 40 | cat -A | sed 's/^/#   /'
}

# stdout (and the stderr) of one case, the utility's version made @VERSION@
normalise() {
	sed -e "s/^clipper utility $vre/clipper utility @VERSION@/" \
	    -e "s/\(\"cli\": *\"\)$vre\"/\1@VERSION@\"/" "$1"
}

cases=$(grep -v '^[[:space:]]*\(#\|$\)' "$here/golden.cases")
names=$out/.names
: > "$names"
echo "$cases" | while read -r name scenario args; do
	echo "$name" >> "$names"
	# shellcheck disable=SC2086 # the arguments are words
	CLIPPER_FAKE=$scenario "$fake" $args > "$out/$name.raw" \
		2> "$out/$name.stderr"
	rc=$?
	normalise "$out/$name.raw" > "$out/$name"
	if [ -s "$out/$name.stderr" ] || [ "$rc" != 0 ]; then
		{ cat "$out/$name.stderr"; echo "exit $rc"; } > "$out/$name.err"
	fi
	rm -f "$out/$name.raw" "$out/$name.stderr"
	if [ -n "$update" ]; then
		cp "$out/$name" "$gold/$name"
		rm -f "$gold/$name.err"
		[ -e "$out/$name.err" ] && cp "$out/$name.err" "$gold/$name.err"
	fi
	same=0
	cmp -s "$gold/$name" "$out/$name" || same=1
	if [ -e "$gold/$name.err" ] || [ -e "$out/$name.err" ]; then
		cmp -s "$gold/$name.err" "$out/$name.err" 2>/dev/null || same=1
	fi
	if [ $same = 0 ]; then
		echo "ok - $name: clipper $args"
	else
		echo "not ok - $name: clipper $args ($scenario)"
		[ -e "$gold/$name" ] || echo "#   no golden: GOLDEN_UPDATE=1 records it"
		[ -e "$gold/$name" ] && show_diff "$gold/$name" "$out/$name"
		if [ -e "$gold/$name.err" ] || [ -e "$out/$name.err" ]; then
			show_diff "$gold/$name.err" "$out/$name.err"
		fi
	fi
done > "$out/.cases.tap"
# the numbers, outside the subshell of the pipe
while IFS= read -r line; do
	case $line in
	"ok - "*) ok 0 "${line#ok - }" ;;
	"not ok - "*) ok 1 "${line#not ok - }" ;;
	*) echo "$line" ;;
	esac
done < "$out/.cases.tap"

# no golden without its case
for f in "$gold"/*; do
	base=${f##*/}
	base=${base%.err}
	grep -qxF "$base" "$names" && continue
	ok 1 "golden/${f##*/} belongs to a case of golden.cases"
done

# the JSON goldens
if command -v python3 >/dev/null; then
	python3 - "$gold" "$names" > "$out/.json.tap" <<'PY'
import json, os, sys

gold, names = sys.argv[1], sys.argv[2]

def strict(text):
    def no_constant(c):
        raise ValueError("not JSON: " + c)
    return json.loads(text, parse_constant=no_constant)

def ours(s):
    # our writer spells U+FFFD as an escape; python writes the character
    return s.replace("\ufffd", "\\ufffd")

def canonical(doc, pretty):
    if pretty:
        return json.dumps(doc, indent=4, ensure_ascii=False)
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)

for name in open(names).read().split():
    if not (name.endswith(".json") or name.endswith(".jsonl")):
        continue
    path = os.path.join(gold, name)
    err = os.path.exists(path + ".err")
    try:
        text = open(path, "rb").read().decode("utf-8")
        if not text:
            if not err:
                raise ValueError("empty, yet no error")
            print("ok - %s: empty after an error" % name)
            continue
        if not text.endswith("\n"):
            raise ValueError("no newline at the end")
        pretty = ".pretty." in name
        if name.endswith(".jsonl"):
            docs = [l for l in text.split("\n")[:-1]]
            for line in docs:
                doc = strict(line)
                if not isinstance(doc, dict):
                    raise ValueError("an event is not an object")
                # events are a line each, even with -p
                if ours(canonical(doc, False)) != line:
                    raise ValueError("not canonical: " + line)
        else:
            doc = strict(text)
            if ours(canonical(doc, pretty)) + "\n" != text:
                raise ValueError("not python's own serialisation")
        print("ok - %s is valid, canonical JSON" % name)
    except (OSError, ValueError, UnicodeDecodeError) as e:
        print("not ok - %s is valid, canonical JSON" % name)
        print("#   %s" % e)
PY
	while IFS= read -r line; do
		case $line in
		"ok - "*) ok 0 "${line#ok - }" ;;
		"not ok - "*) ok 1 "${line#not ok - }" ;;
		*) echo "$line" ;;
		esac
	done < "$out/.json.tap"
else
	ok 0 "JSON goldens parse # SKIP no python3"
fi

if command -v jq >/dev/null; then
	rc=0
	for name in $(grep '\.jsonl\?$' "$names"); do
		[ -s "$gold/$name" ] || continue
		jq -e . "$gold/$name" > /dev/null 2> "$out/.jq" || {
			rc=1
			echo "#   $name:"
			sed 's/^/#     /' "$out/.jq"
		}
	done
	ok $rc "jq reads every JSON golden"
else
	ok 0 "jq reads every JSON golden # SKIP no jq"
fi

echo "1..$n"
echo "# golden: $((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
