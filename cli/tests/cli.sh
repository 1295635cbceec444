#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# clipper: command-line tests that need no kernel module: usage errors exit
# with 2 and a usage message, help exits with 0, and without the module
# version says so with exit 0 and every other request fails with exit 1
# and the contract's message.  Prints TAP.
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
usage_error "stats --bogus" stats --bogus
grep -q 'unknown option "--bogus"' "$tmp/err"; ok $? "stats --bogus: the option is named"
usage_error "stats show --prometheus extra" stats show --prometheus extra
usage_error "an option where no verb is the default" mac --prometheus
usage_error "version with an argument" version now
usage_error "unknown option" -x status
usage_error "unknown long option" --bogus status
usage_error "-n without a name" -n
usage_error "help for an unknown object" help bogus

# usage_msg DESC MESSAGE ARGS...: usage_error, and MESSAGE is the first line
usage_msg() {
	desc=$1
	msg=$2
	shift 2
	usage_error "$desc" "$@"
	[ "$(head -n 1 "$tmp/err")" = "clipper: $msg" ]
	ok $? "$desc: says what is wrong"
}

mac=aa:bb:cc:dd:ee:ff
classes='(one of: exempt, premium, express, standard, bulk)'
badmac='(expected aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or aabbccddeeff)'
text63=$(printf '%063d' 0)
text64=$(printf '%064d' 0)

usage_error "mac bogus" mac bogus
grep -q '^Usage: clipper mac add MAC\[/PREFIX\] CLASS \[comment TEXT\]$' \
	"$tmp/err"
ok $? "mac bogus: mac usage"
usage_msg "mac add" "mac add: a MAC address and a class are needed" mac add
usage_msg "mac add MAC" "mac add: a class is needed" mac add $mac
usage_msg "mac add, too short" \
	"invalid MAC address \"aa:bb:cc:dd:ee\" $badmac" \
	mac add aa:bb:cc:dd:ee bulk
usage_msg "mac add, bad hex" \
	"invalid MAC address \"aa:bb:cc:dd:ee:fg\" $badmac" \
	mac add aa:bb:cc:dd:ee:fg bulk
usage_msg "mac add, trailing junk" \
	"invalid MAC address \"$mac:00\" $badmac" mac add $mac:00 bulk
usage_msg "mac add, mixed separators" \
	"invalid MAC address \"aa:bb-cc:dd:ee:ff\" $badmac" \
	mac add aa:bb-cc:dd:ee:ff bulk
for val in 0 49 abc "" 24x; do
	usage_msg "mac add, prefix \"$val\"" \
		"invalid prefix length in \"$mac/$val\" (1..48)" \
		mac add "$mac/$val" bulk
done
usage_msg "mac add, unknown class" "unknown class \"gold\" $classes" \
	mac add $mac gold
usage_msg "mac add, class none" "unknown class \"none\" $classes" \
	mac add $mac none
usage_msg "mac add, comment without text" "comment: a text is needed" \
	mac add $mac bulk comment
usage_msg "mac add, 64-byte comment" \
	"comment too long: 64 bytes, at most 63" \
	mac add $mac bulk comment "$text64"
usage_msg "mac add, two comments" "comment given twice" \
	mac add $mac bulk comment a comment b
usage_msg "mac add, extra word" 'unexpected argument "now"' \
	mac add $mac bulk now
usage_msg "mac del" "mac del: a MAC address is needed" mac del
usage_msg "mac del, bad MAC" "invalid MAC address \"x\" $badmac" mac del x
usage_msg "mac del, prefix 49" \
	"invalid prefix length in \"$mac/49\" (1..48)" mac del $mac/49
usage_msg "mac del, two MACs" 'unexpected argument "b"' mac del $mac b
usage_msg "mac list with an argument" 'unexpected argument "all"' \
	mac list all
usage_msg "mac flush with an argument" 'unexpected argument "all"' \
	mac flush all

usage_error "class bogus" class bogus
grep -q '^Usage: clipper class \[list\]$' "$tmp/err"
ok $? "class bogus: class usage"
usage_msg "class list with an argument" 'unexpected argument "all"' \
	class list all
usage_msg "class set" "class set: a class is needed" class set
usage_msg "class set, unknown class" "unknown class \"gold\" $classes" \
	class set gold mark 1
usage_msg "class set without mark or priority" \
	"class set: mark, priority or dscp is needed" class set bulk
for val in 0 0x0 abc -1 4294967296 0x100000000 ""; do
	usage_msg "class set, mark \"$val\"" \
		"invalid mark \"$val\" (a non-zero 32-bit number)" \
		class set bulk mark "$val"
done
usage_msg "class set, mark without value" "mark: a value is needed" \
	class set bulk mark
usage_msg "class set, two marks" "mark given twice" \
	class set bulk mark 1 mark 2
for val in abc -1 4294967295 Unchanged; do
	usage_msg "class set, priority \"$val\"" \
		"invalid priority \"$val\" (0..4294967294 or unchanged)" \
		class set bulk priority "$val"
done
usage_msg "class set, priority without value" \
	"priority: a value is needed" class set bulk priority
usage_msg "class set, two priorities" "priority given twice" \
	class set bulk priority 1 priority unchanged
usage_msg "class set, unknown keyword" 'unexpected argument "colour"' \
	class set bulk colour 3
usage_msg "class default random" "class default random: a class is needed" \
	class default random
usage_msg "class default, unknown class" "unknown class \"gold\" $classes" \
	class default gold
usage_msg "class default random, unknown class" \
	"unknown class \"gold\" $classes" class default random gold
usage_msg "class default, two classes" 'unexpected argument "premium"' \
	class default bulk premium
usage_msg "class default random, two classes" \
	'unexpected argument "premium"' class default random bulk premium

usage_error "config bogus" config bogus
grep -q '^Usage: clipper config \[show\]$' "$tmp/err"
ok $? "config bogus: config usage"
usage_msg "config show with an argument" 'unexpected argument "all"' \
	config show all
usage_msg "config set" "config set: a setting is needed" config set
settings='mac-max, mac-counters, pmtu-max, pmtu-timeout, pmtu-retrans, pmtu-window, ws-max, ws-timeout'
usage_msg "config set, unknown setting" \
	"unknown setting \"mac-min\" (one of: $settings)" config set mac-min 1
usage_msg "config set, a limit of no table" \
	"unknown setting \"foo-max\" (one of: $settings)" config set foo-max 1
usage_msg "config set mac-max without value" "mac-max: a value is needed" \
	config set mac-max
for val in 0 16777217 0x1000001 abc -1 ""; do
	usage_msg "config set mac-max \"$val\"" \
		"invalid mac-max \"$val\" (1..16777216)" config set mac-max "$val"
done
usage_msg "config set mac-max twice" "mac-max given twice" \
	config set mac-max 1 mac-max 2

help_ok "help" '^Usage: clipper \[OPTIONS\] OBJECT' help
help_ok "-h" '^Usage: clipper \[OPTIONS\] OBJECT' -h
help_ok "--help" '^Usage: clipper \[OPTIONS\] OBJECT' --help
help_ok "stats help" '^       clipper stats reset' stats help
help_ok "help stats" '^       clipper stats reset' help stats
help_ok "status help" '^Usage: clipper status' status help
help_ok "version help" '^Usage: clipper version' version help
help_ok "help help" '^Usage: clipper help' help help
help_ok "mac help" '^       clipper mac flush \[reclassify\]$' mac help
help_ok "help mac" '^where  MAC := { aa:bb:cc:dd:ee:ff | aa-bb-cc-dd-ee-ff | aabb.ccdd.eeff |$' help mac
help_ok "class help" '^       clipper class default random CLASS$' class help
help_ok "help class" '^where  CLASS := { exempt | premium | express | standard | bulk }$' help class
help_ok "config help" '^       clipper config set SETTING VALUE \[SETTING VALUE\]...$' config help
help_ok "help config" '^Usage: clipper config \[show\]$' help config
help_ok "mac add help" '^Usage: clipper mac add MAC\[/PREFIX\] CLASS \[comment TEXT\]$' mac add help
help_ok "mac del help" '^       reclassify: ' mac del help
help_ok "class set help" '^       DSCP := ' class set help
help_ok "config set help" '^       ws-timeout: ' config set help
help_ok "stats show help" '^Usage: clipper stats \[show\] \[--prometheus\]$' stats show help
help_ok "version show help" '^Usage: clipper version \[show\]$' version show help
help_ok "help mac add" '^       TEXT := ' help mac add
run mac add help
! grep -q 'clipper mac del' "$tmp/out"
ok $? "mac add help: only the add form"
run mac list help
[ "$(cat "$tmp/out")" = "Usage: clipper mac [list]" ]
ok $? "mac list help: the list form, no where lines"
usage_error "help for an unknown verb" help mac bogus
usage_error "help with a verb too many" help mac add del
help_ok "help lists the new objects" \
	'^where  OBJECT := { version | status | mac | class | config | pmtu | ws | stats | monitor | save | restore | help }$' help

run -n clipper-test-no-such-netns status
[ $rc = 1 ] &&
	grep -q '^clipper: cannot open network namespace "clipper-test-no-such-netns": No such file or directory$' "$tmp/err"
ok $? "-n with a missing namespace: exit 1 with a clear message"

run version
if [ $rc = 0 ] && ! grep -q ', module not loaded$' "$tmp/out"; then
	grep -q "^clipper utility $version, module [^ ]*, protocol [0-9]*\$" "$tmp/out"
	ok $? "version with the module loaded"
	for what in status stats mac class config "module missing"; do
		skip "$what without the module" "the clipper module is loaded"
	done
	exit $((failed != 0))
fi
# the tool's version and "not loaded", and nothing has failed
notloaded="clipper utility $version, module not loaded"
[ $rc = 0 ] && [ "$(cat "$tmp/out")" = "$notloaded" ] && ! [ -s "$tmp/err" ]
ok $? "version without the module: exit 0, utility line, not loaded"

for opt in -V --version "version show"; do
	# shellcheck disable=SC2086
	run $opt
	[ $rc = 0 ] && [ "$(cat "$tmp/out")" = "$notloaded" ] && ! [ -s "$tmp/err" ]
	ok $? "$opt without the module: exit 0, not loaded"
done

run -j version
[ $rc = 0 ] && ! [ -s "$tmp/err" ] &&
	[ "$(cat "$tmp/out")" = "{\"cli\":\"$version\",\"module\":null,\"protocol\":null,\"loaded\":false}" ]
ok $? "-j version without the module"

run -p version
[ $rc = 0 ] && python3 -m json.tool "$tmp/out" >/dev/null 2>&1 &&
	[ "$(head -n 1 "$tmp/out")" = "{" ] &&
	[ "$(sed -n 2p "$tmp/out")" = "    \"cli\": \"$version\"," ]
ok $? "-p version without the module: pretty, valid JSON"

for args in status "status show" stats "stats show" "stats reset" \
	    "stats --prometheus" "stats show --prometheus" \
	    "-j status" "-j stats" \
	    mac "mac list" "-j mac list" "mac add $mac bulk" \
	    "mac add $mac/24 Premium comment $text63" "mac del $mac" \
	    "mac del aa-bb-cc-dd-ee-ff/8" "mac add 0016.3E12.3456 bulk" \
	    "mac add 0:16:3e:1:2:3 bulk" "mac del 00163e123456/24" "mac flush" \
	    class "class list" "-j class list" "class set bulk mark 0x28" \
	    "class set exempt priority unchanged" "class default" \
	    "-j class default" "class default bulk" \
	    "class default random express" \
	    config "config show" "-j config" "config set mac-max 16777216"; do
	# shellcheck disable=SC2086
	run $args
	[ $rc = 1 ] && [ "$(cat "$tmp/err")" = "$missing" ] &&
		! [ -s "$tmp/out" ]
	ok $? "$args without the module: exit 1, module-missing message"
done

# restore parses every line before it talks to the kernel
for args in "mac del 02:00:00:00:00:01 reclassify" "mac flush reclassify" \
	    "class set premium wmm 6" "config set mac-counters on" save \
	    "save help"; do
	[ "$args" = "save help" ] && continue
	# shellcheck disable=SC2086
	run $args
	[ $rc = 1 ] && [ "$(cat "$tmp/err")" = "$missing" ]
	ok $? "$args without the module: exit 1, module-missing message"
done
usage_error "class set premium wmm 8" class set premium wmm 8
usage_error "class set premium wmm 1 priority 3" class set premium wmm 1 priority 3
usage_error "config set mac-counters maybe" config set mac-counters maybe
usage_error "mac flush now" mac flush now
usage_error "save extra" save extra

# restore_bad DESC LINE CONTENT: exit 2 naming the line, before any request
restore_bad() {
	printf '%b' "$3" >"$tmp/in"
	run restore "$tmp/in"
	[ $rc = 2 ] && grep -q "line $2: " "$tmp/err" && ! [ -s "$tmp/out" ] &&
		! grep -qF "$missing" "$tmp/err"
	ok $? "restore, $1: exit 2 naming line $2"
}
restore_bad "unknown class" 3 \
	'# saved\nmac flush\nmac add 02:00:00:00:00:01 turbo\nmac add 02:00:00:00:00:02 bulk\n'
restore_bad "unterminated quote" 2 \
	'mac flush\nmac add 02:00:00:00:00:01 bulk comment "open\n'
restore_bad "unknown command" 1 'ip link show\n'
restore_bad "class default without a class" 1 'class default\n'
restore_bad "bad mac-max" 2 '\n config set mac-max 0\n'
printf 'mac flush\nmac add 02:00:00:00:00:01 bulk comment "a \\"quoted\\" word"\n' \
	>"$tmp/in"
run restore "$tmp/in"
[ $rc = 1 ] && [ "$(cat "$tmp/err")" = "$missing" ]
ok $? "restore of a good file without the module: exit 1, module-missing message"
run restore <"$tmp/in"
[ $rc = 1 ] && [ "$(cat "$tmp/err")" = "$missing" ]
ok $? "restore from stdin without the module: exit 1, module-missing message"
run restore "$tmp/no-such-file"
[ $rc = 1 ] && grep -q "cannot open" "$tmp/err"
ok $? "restore of a missing file: exit 1"
help_ok "restore help" '^Usage: clipper restore \[FILE\]$' restore help
help_ok "save help" '^Usage: clipper save$' save help

# bash completion: complete_is DESC EXPECTED WORD... (the last word is the
# one being completed); EXPECTED: the candidates, sorted, space-separated
completion=$(dirname "$0")/../clipper.bash-completion
complete_is() {
	local desc=$1 want=$2 got
	shift 2
	got=$(bash -c '
		source "$0" || exit 1
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		_clipper
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
		"$completion" clipper "$@")
	got=${got% }
	[ "$got" = "$want" ]
	ok $? "completion: $desc${got:+ ($got)}"
}
bash -c 'source "$0" && complete -p clipper | grep -q _clipper' "$completion"
ok $? "completion: the script loads in bash and registers _clipper"
complete_is "objects" "class config help mac monitor pmtu restore save stats status version ws" ""
complete_is "objects by prefix" "stats status" st
complete_is "long options" "--help --json --netns --pretty --version" -j --
complete_is "-V" "-V" -V
complete_is "after options" "mac monitor" -j -p m
complete_is "mac verbs" "add del flush help list" mac ""
complete_is "classes for mac add" "bulk" mac add 02:00:00:00:00:01 b
complete_is "comment after the class" "comment" mac add 02:00:00:00:00:01 bulk ""
complete_is "class set: the class" "exempt express" class set ex
complete_is "class set: what to set" "dscp mark priority wmm" class set bulk ""
complete_is "class set: priority values" "unchanged" class set bulk priority u
complete_is "config settings" "pmtu-max pmtu-retrans pmtu-timeout pmtu-window" config set pmtu
complete_is "mac-counters values" "off on" config set mac-counters ""
complete_is "stats --prometheus" "--prometheus" stats --p
complete_is "stats show --prometheus" "--prometheus" stats show ""
complete_is "pmtu verbs" "flush help list" -n ns1 pmtu ""
complete_is "nothing after stats reset" "" stats reset ""
complete_is "help OBJECT VERB: the verbs" "add del flush help list" help mac ""
complete_is "help OBJECT VERB: by prefix" "default" help class d
complete_is "nothing after help OBJECT VERB" "" help mac add ""

exit $((failed != 0))
