#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# clipper: command-line tests that need no kernel module: usage errors exit
# with 2 and a usage message, help exits with 0, and without the module
# every request fails with exit 1 and the contract's message.  Prints TAP.
#
#	CLIPPER=path/to/clipper tests/cli.sh
set -u

here=$(cd "$(dirname "$0")" && pwd)
CLIPPER=${CLIPPER:-$here/../clipper}
version=$(sed -n 's/^#define CLIPPER_VERSION "\(.*\)"$/\1/p' \
	"$here/../../kmod/version.h")
missing='clipper: the clipper kernel module is not loaded (try: modprobe xt_CLIPPER)'

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
		sed 's/^/#   stdout: /' "$tmp/out"
		sed 's/^/#   stderr: /' "$tmp/err"
		echo "#   exit status: $rc"
	fi
}

skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

run() {
	"$CLIPPER" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# usage_error DESC ARGS...: exit 2, a usage message on stderr, no stdout
usage_error() {
	desc=$1
	shift
	run "$@"
	[ $rc = 2 ] && grep -q '^Usage: clipper' "$tmp/err" &&
		grep -q '^clipper: ' "$tmp/err" && ! [ -s "$tmp/out" ]
	ok $? "$desc: exit 2 with usage"
}

# help_ok DESC PATTERN ARGS...: exit 0, usage on stdout, nothing on stderr
help_ok() {
	desc=$1
	pattern=$2
	shift 2
	run "$@"
	[ $rc = 0 ] && grep -q "$pattern" "$tmp/out" && ! [ -s "$tmp/err" ]
	ok $? "$desc: exit 0 with usage"
}

[ -x "$CLIPPER" ] || { echo "Bail out! no $CLIPPER"; exit 1; }

usage_error "no arguments"
usage_error "unknown object" bogus
grep -q 'unknown object "bogus"' "$tmp/err"; ok $? "unknown object is named"
usage_error "unknown verb" status frob
grep -q 'unknown verb "frob"' "$tmp/err"; ok $? "unknown verb is named"
usage_error "stats bogus" stats bogus
grep -q '^Usage: clipper stats' "$tmp/err"; ok $? "stats bogus: stats usage"
usage_error "extra argument" stats reset now
usage_error "version with an argument" version now
usage_error "unknown option" -x status
usage_error "unknown long option" --bogus status
usage_error "-n without a name" -n
usage_error "help for an unknown object" help bogus

help_ok "help" '^Usage: clipper \[OPTIONS\] OBJECT' help
help_ok "-h" '^Usage: clipper \[OPTIONS\] OBJECT' -h
help_ok "--help" '^Usage: clipper \[OPTIONS\] OBJECT' --help
help_ok "stats help" '^       clipper stats reset' stats help
help_ok "help stats" '^       clipper stats reset' help stats
help_ok "status help" '^Usage: clipper status' status help
help_ok "version help" '^Usage: clipper version' version help
help_ok "help help" '^Usage: clipper help' help help

run -n clipper-test-no-such-netns status
[ $rc = 1 ] &&
	grep -q '^clipper: cannot open network namespace "clipper-test-no-such-netns": No such file or directory$' "$tmp/err"
ok $? "-n with a missing namespace: exit 1 with a clear message"

run version
if [ $rc = 0 ]; then
	grep -q "^clipper utility $version, module [^ ]*, protocol [0-9]*\$" "$tmp/out"
	ok $? "version with the module loaded"
	for what in status stats "module missing"; do
		skip "$what without the module" "the clipper module is loaded"
	done
	exit $((failed != 0))
fi
if ! grep -qxF "$missing" "$tmp/err"; then
	ok 1 "version without the module: the module-missing message"
	exit 1
fi
[ $rc = 1 ] && [ "$(cat "$tmp/out")" = "clipper utility $version" ] &&
	[ "$(cat "$tmp/err")" = "$missing" ]
ok $? "version without the module: utility line, then the error"

run -V
[ $rc = 1 ] && [ "$(cat "$tmp/out")" = "clipper utility $version" ]
ok $? "-V is version"

run -j version
[ $rc = 1 ] &&
	[ "$(cat "$tmp/out")" = "{\"cli\":\"$version\",\"module\":null,\"protocol\":null}" ]
ok $? "-j version without the module"

run -p version
[ $rc = 1 ] && python3 -m json.tool "$tmp/out" >/dev/null 2>&1 &&
	[ "$(head -n 1 "$tmp/out")" = "{" ] &&
	[ "$(sed -n 2p "$tmp/out")" = "    \"cli\": \"$version\"," ]
ok $? "-p version without the module: pretty, valid JSON"

for args in status "status show" stats "stats show" "stats reset" \
	    "-j status" "-j stats"; do
	# shellcheck disable=SC2086
	run $args
	[ $rc = 1 ] && [ "$(cat "$tmp/err")" = "$missing" ] &&
		! [ -s "$tmp/out" ]
	ok $? "$args without the module: exit 1, module-missing message"
done

exit $((failed != 0))
