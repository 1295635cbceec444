#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# clipper: run the command-line tool's unit tests (make check).  Needs no
# kernel module.  Each suite prints TAP; the JSON the writer and the
# printers produce is checked with python3: "python3 -m json.tool" must
# accept it, and python's own re-serialisation of it, compact and with
# indent=4, must be byte for byte what we wrote.
set -u

here=$(cd "$(dirname "$0")" && pwd)
out=$here/out
rm -rf "$out"
mkdir -p "$out/json" "$out/obj"
passed=0
failed=0

suite() {
	name=$1
	shift
	echo "# $name"
	"$@" >"$out/$name.tap" 2>&1
	rc=$?
	cat "$out/$name.tap"
	p=$(grep -c '^ok ' "$out/$name.tap")
	f=$(grep -c '^not ok ' "$out/$name.tap")
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "not ok - $name exited with $rc"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
}

json_checks() {
	if ! command -v python3 >/dev/null; then
		echo "ok 1 - JSON validation # SKIP no python3"
		return 0
	fi
	n=0
	rc=0
	for f in "$out"/json/*.json "$out"/obj/*.json; do
		n=$((n + 1))
		if python3 -m json.tool "$f" >/dev/null 2>"$out/err"; then
			echo "ok $n - json.tool accepts ${f#"$out"/}"
		else
			echo "not ok $n - json.tool accepts ${f#"$out"/}"
			sed 's/^/#   /' "$out/err"
			rc=1
		fi
	done
	python3 - "$out" "$n" <<'PY' || rc=1
import glob, json, os, sys

out, n = sys.argv[1], int(sys.argv[2])

def report(ok, what):
    global n
    n += 1
    print("%sok %d - %s" % ("" if ok else "not ", n, what))
    return ok

# Our writer spells U+FFFD as an escape; python writes the character.
def ours(s):
    return s.replace("\ufffd", "\\ufffd")

status = True
for f in sorted(glob.glob(out + "/json/*.json") + glob.glob(out + "/obj/*.json")):
    name = os.path.relpath(f, out)
    text = open(f, encoding="utf-8").read()
    doc = json.loads(text)
    if ".pretty." in name:
        want = json.dumps(doc, indent=4, ensure_ascii=False)
    else:
        want = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
    status &= report(ours(want) + "\n" == text,
                     "%s is python's own serialisation" % name)

esc = json.load(open(out + "/json/escape.compact.json", encoding="utf-8"))
status &= report(esc["controls"] == "".join(map(chr, range(1, 32))),
                 "control characters decode back")
status &= report(esc["quote"] == 'a"b' and esc["backslash"] == "a\\b\\",
                 "quote and backslash decode back")
status &= report(esc["utf8"] == "h\u00e9llo \u20ac \U0001d11e",
                 "valid UTF-8 passes through")
status &= report(esc["bad"] == "\ufffd\ufffd(" + "\ufffd" * 6,
                 "invalid UTF-8 becomes U+FFFD")
status &= report('key "with"\n\\escapes' in esc, "keys are escaped")
sys.exit(0 if status else 1)
PY
	return $rc
}

suite test_json "$here/test_json" "$out/json"
suite test_nl "$here/test_nl"
suite test_obj "$here/test_obj" "$out/obj"
suite test_cmd "$here/test_cmd"
suite test_print "$here/test_print"
suite json_checks json_checks
suite golden "$here/golden.sh"
suite cli "$here/cli.sh"

echo "# $passed passed, $failed failed"
[ "$failed" = 0 ]
