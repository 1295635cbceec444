#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Host-side tests of libxt_CLIPPER.so; run by "make -C xt-ext check".
# Needs no kernel module and changes no rule set:
#
#  - xt-harness (built by make check) drives the plugin through libxtables'
#    own option machinery and prints its save/print output and the option
#    block, so every accepted option set is checked field by field and
#    round-tripped (save output parsed again must give identical bytes);
#  - every iptables/ip6tables binary found (nft and legacy) must show the
#    options with "-j CLIPPER -h" and refuse bad options while parsing,
#    before it talks to the kernel.  Such commands name a chain that does
#    not exist and pass --modprobe=/bin/false, so that even an accepted
#    command changes nothing and loads no module.
#
# Output is TAP: "ok N - ..." / "not ok N - ...", then "1..N".  The exit
# status is non-zero if any test failed.

cd "$(dirname "$0")" || exit 1

PATH=$PATH:/usr/sbin:/sbin
export PATH
LC_ALL=C
export LC_ALL

XTLIBDIR=$(pkg-config --variable=xtlibdir xtables 2>/dev/null)
XTABLES_LIBDIR=$PWD${XTLIBDIR:+:$XTLIBDIR}
export XTABLES_LIBDIR

HARNESS=./xt-harness
NOCHAIN=clipper-xt-test-nochain
FALSE=$(command -v false)

n=0
failed=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	for line in "$@"; do
		echo "#   $line"
	done
	if [ -s "$tmp/err" ]; then
		sed 's/^/#   stderr: /' "$tmp/err"
	fi
}

# line KEY: the rest of the line "KEY:..." of the last harness output
line() {
	sed -n "s/^$1://p" "$tmp/out"
}

# good DESC SAVE PRINT FIELDS -- OPTION...
#   The options must be accepted, give exactly the expected save and print
#   text and option block fields, and the save text must parse back into a
#   byte-identical option block.
good() {
	desc=$1 want_save=$2 want_print=$3 want_fields=$4
	shift 5
	if ! "$HARNESS" "$@" >"$tmp/out" 2>"$tmp/err"; then
		not_ok "accepts $desc" "refused: $*"
		return
	fi
	save=$(line save) print=$(line print) fields=$(line fields)
	data=$(line data)
	if [ "$save" != "$want_save" ]; then
		not_ok "save of $desc" "got:  '$save'" "want: '$want_save'"
	elif [ "$print" != "$want_print" ]; then
		not_ok "print of $desc" "got:  '$print'" "want: '$want_print'"
	elif [ "$fields" != "$want_fields" ]; then
		not_ok "option block of $desc" "got:  '$fields'" \
			"want: '$want_fields'"
	else
		ok "$desc: save, print and option block"
	fi

	case $1 in
	-6) fam=-6 ;;
	*) fam= ;;
	esac
	# shellcheck disable=SC2086 # the save text is split like a shell would
	if ! "$HARNESS" $fam $save >"$tmp/out" 2>"$tmp/err"; then
		not_ok "round trip of $desc" "'$save' refused"
	elif [ "$(line data)" != "$data" ] || [ "$(line save)" != "$save" ]; then
		not_ok "round trip of $desc" "first:  $data" \
			"second: $(line data)"
	else
		ok "$desc: save output restores byte-identically"
	fi
}

# bad DESC MESSAGE -- OPTION...
#   The options must be refused (exit status 2, PARAMETER_PROBLEM) with a
#   message containing MESSAGE.
bad() {
	desc=$1 want=$2
	shift 3
	"$HARNESS" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 2 ]; then
		not_ok "refuses $desc" "exit status $rc, want 2: $*"
	elif ! grep -qF -- "$want" "$tmp/err"; then
		not_ok "refuses $desc" "message lacks: $want"
	else
		ok "refuses $desc"
	fi
}

if [ ! -f libxt_CLIPPER.so ] || [ ! -x "$HARNESS" ]; then
	echo "Bail out! build first: make -C xt-ext libxt_CLIPPER.so xt-harness"
	exit 1
fi

# --- the plugin through libxtables -----------------------------------------

good "--classify" \
	" --classify" \
	" CLIPPER classify mark-mask 0xff" \
	" flags=0x1 mark_mask=0xff clamp_mss=0 pmtu_fix=0x0 reserved=0,0,0,0,0" \
	-- --classify
good "--classify --mark-mask 0xff (explicit default is kept)" \
	" --classify --mark-mask 0xff" \
	" CLIPPER classify mark-mask 0xff" \
	" flags=0x3 mark_mask=0xff clamp_mss=0 pmtu_fix=0x0 reserved=0,0,0,0,0" \
	-- --classify --mark-mask 0xff
good "decimal --mark-mask before --classify" \
	" --classify --mark-mask 0xf00" \
	" CLIPPER classify mark-mask 0xf00" \
	" flags=0x3 mark_mask=0xf00 clamp_mss=0 pmtu_fix=0x0 reserved=0,0,0,0,0" \
	-- --mark-mask 3840 --classify
good "--mark-mask 0xffffffff" \
	" --classify --mark-mask 0xffffffff" \
	" CLIPPER classify mark-mask 0xffffffff" \
	" flags=0x3 mark_mask=0xffffffff clamp_mss=0 pmtu_fix=0x0 reserved=0,0,0,0,0" \
	-- --classify --mark-mask 0xffffffff
good "--clamp-mss pmtu" \
	" --clamp-mss pmtu" \
	" CLIPPER clamp-mss pmtu" \
	" flags=0x4 mark_mask=0x0 clamp_mss=0 pmtu_fix=0x0 reserved=0,0,0,0,0" \
	-- --clamp-mss pmtu
good "--clamp-mss 88 (minimum)" \
	" --clamp-mss 88" \
	" CLIPPER clamp-mss 88" \
	" flags=0x4 mark_mask=0x0 clamp_mss=88 pmtu_fix=0x0 reserved=0,0,0,0,0" \
	-- --clamp-mss 88
good "--clamp-mss 65495 (maximum)" \
	" --clamp-mss 65495" \
	" CLIPPER clamp-mss 65495" \
	" flags=0x4 mark_mask=0x0 clamp_mss=65495 pmtu_fix=0x0 reserved=0,0,0,0,0" \
	-- --clamp-mss 65495
good "--pmtu-guard (default remedies)" \
	" --pmtu-guard" \
	" CLIPPER pmtu-guard fix icmp,mss" \
	" flags=0x8 mark_mask=0x0 clamp_mss=0 pmtu_fix=0x5 reserved=0,0,0,0,0" \
	-- --pmtu-guard
good "--pmtu-fix mss,icmp (the default, not saved)" \
	" --pmtu-guard" \
	" CLIPPER pmtu-guard fix icmp,mss" \
	" flags=0x8 mark_mask=0x0 clamp_mss=0 pmtu_fix=0x5 reserved=0,0,0,0,0" \
	-- --pmtu-guard --pmtu-fix mss,icmp
good "--pmtu-fix df before --pmtu-guard" \
	" --pmtu-guard --pmtu-fix df" \
	" CLIPPER pmtu-guard fix df" \
	" flags=0x8 mark_mask=0x0 clamp_mss=0 pmtu_fix=0x2 reserved=0,0,0,0,0" \
	-- --pmtu-fix df --pmtu-guard
good "--pmtu-fix mss,df,icmp (canonical order)" \
	" --pmtu-guard --pmtu-fix icmp,df,mss" \
	" CLIPPER pmtu-guard fix icmp,df,mss" \
	" flags=0x8 mark_mask=0x0 clamp_mss=0 pmtu_fix=0x7 reserved=0,0,0,0,0" \
	-- --pmtu-guard --pmtu-fix mss,df,icmp
good "--ws-count" \
	" --ws-count" \
	" CLIPPER ws-count" \
	" flags=0x10 mark_mask=0x0 clamp_mss=0 pmtu_fix=0x0 reserved=0,0,0,0,0" \
	-- --ws-count
good "every option, in reverse order" \
	" --classify --mark-mask 0x3f --clamp-mss 1400 --pmtu-guard --pmtu-fix icmp --ws-count" \
	" CLIPPER classify mark-mask 0x3f clamp-mss 1400 pmtu-guard fix icmp ws-count" \
	" flags=0x1f mark_mask=0x3f clamp_mss=1400 pmtu_fix=0x1 reserved=0,0,0,0,0" \
	-- --ws-count --pmtu-fix icmp --pmtu-guard --clamp-mss 1400 \
	--mark-mask 0x3f --classify
good "IPv6: --classify --clamp-mss pmtu --pmtu-guard --ws-count" \
	" --classify --clamp-mss pmtu --pmtu-guard --ws-count" \
	" CLIPPER classify mark-mask 0xff clamp-mss pmtu pmtu-guard fix icmp,mss ws-count" \
	" flags=0x1d mark_mask=0xff clamp_mss=0 pmtu_fix=0x5 reserved=0,0,0,0,0" \
	-- -6 --classify --clamp-mss pmtu --pmtu-guard --ws-count

bad "no option at all" \
	"CLIPPER: needs at least one of --classify, --clamp-mss, --pmtu-guard, --ws-count" --
bad "--mark-mask without --classify" \
	"CLIPPER: --mark-mask needs --classify" -- --mark-mask 0xff
bad "--mark-mask without --classify, with another action" \
	"CLIPPER: --mark-mask needs --classify" -- --ws-count --mark-mask 1
bad "--mark-mask 0" \
	"CLIPPER: --mark-mask must not be 0" -- --classify --mark-mask 0
bad "--mark-mask 0x100000000" \
	'CLIPPER: bad value for option "--mark-mask"' \
	-- --classify --mark-mask 0x100000000
bad "--mark-mask -1" \
	'CLIPPER: bad value for option "--mark-mask"' \
	-- --classify --mark-mask -1
bad "--mark-mask foo" \
	'CLIPPER: bad value for option "--mark-mask"' \
	-- --classify --mark-mask foo
bad "--pmtu-fix without --pmtu-guard" \
	"CLIPPER: --pmtu-fix needs --pmtu-guard" -- --ws-count --pmtu-fix icmp
bad "--pmtu-fix bogus" \
	'CLIPPER: --pmtu-fix: unknown remedy "bogus"; valid ones are icmp, df, mss' \
	-- --pmtu-guard --pmtu-fix bogus
bad "--pmtu-fix icmp,bogus" \
	'unknown remedy "bogus"' -- --pmtu-guard --pmtu-fix icmp,bogus
bad "--pmtu-fix ICMP (names are lower case)" \
	'unknown remedy "ICMP"' -- --pmtu-guard --pmtu-fix ICMP
bad "--pmtu-fix icmp,icmp" \
	'CLIPPER: --pmtu-fix: remedy "icmp" given twice' \
	-- --pmtu-guard --pmtu-fix icmp,icmp
bad "empty --pmtu-fix" \
	"empty remedy" -- --pmtu-guard --pmtu-fix ""
bad "--pmtu-fix icmp, (trailing comma)" \
	"empty remedy" -- --pmtu-guard --pmtu-fix icmp,
for mss in 20 87 65496 0 -1 abc 1400x pmtux ""; do
	bad "--clamp-mss '$mss'" \
		"CLIPPER: --clamp-mss takes \"pmtu\" or a number in 88..65495, not \"$mss\"" \
		-- --clamp-mss "$mss"
done
bad "--classify twice" \
	'CLIPPER: option "--classify" can only be used once' \
	-- --classify --classify
bad "--clamp-mss twice" \
	'CLIPPER: option "--clamp-mss" can only be used once' \
	-- --clamp-mss pmtu --clamp-mss 1400
bad "--pmtu-fix twice" \
	'CLIPPER: option "--pmtu-fix" can only be used once' \
	-- --pmtu-guard --pmtu-fix icmp --pmtu-fix df
bad "! --ws-count" \
	'CLIPPER: option "--ws-count" cannot be inverted' -- ! --ws-count

# --- the plugin inside iptables and ip6tables ------------------------------

# ipt_bad IPT DESC MESSAGE OPTION...
ipt_bad() {
	ipt=$1 desc=$2 want=$3
	shift 3
	"$ipt" --modprobe="$FALSE" -A "$NOCHAIN" -j CLIPPER "$@" \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 2 ]; then
		not_ok "$ipt refuses $desc" "exit status $rc, want 2"
	elif ! grep -qF -- "$want" "$tmp/err"; then
		not_ok "$ipt refuses $desc" "message lacks: $want"
	else
		ok "$ipt refuses $desc"
	fi
}

ipts=
for ipt in iptables-nft iptables-legacy ip6tables-nft ip6tables-legacy; do
	command -v "$ipt" >/dev/null 2>&1 && ipts="$ipts $ipt"
done
if [ -z "$ipts" ]; then
	for ipt in iptables ip6tables; do
		command -v "$ipt" >/dev/null 2>&1 && ipts="$ipts $ipt"
	done
fi
if [ -z "$ipts" ]; then
	not_ok "an iptables binary is installed"
fi

for ipt in $ipts; do
	# "-j CLIPPER -h" loads the plugin and appends its help; without the
	# kernel module iptables only warns that revision 0 is unsupported.
	"$ipt" -j CLIPPER -h >"$tmp/out" 2>"$tmp/err"
	rc=$?
	missing=
	for opt in "CLIPPER target options" --classify "--mark-mask MASK" \
		   "--clamp-mss pmtu|VALUE" --pmtu-guard "--pmtu-fix LIST" \
		   --ws-count; do
		grep -qF -- "$opt" "$tmp/out" || missing="$missing '$opt'"
	done
	if [ $rc -ne 0 ]; then
		not_ok "$ipt -j CLIPPER -h" "exit status $rc"
	elif [ -n "$missing" ]; then
		not_ok "$ipt -j CLIPPER -h lists the options" "missing:$missing"
	else
		ok "$ipt -j CLIPPER -h lists the options"
	fi

	ipt_bad "$ipt" "--mark-mask without --classify" \
		"CLIPPER: --mark-mask needs --classify" --mark-mask 0xff
	ipt_bad "$ipt" "--pmtu-fix bogus" \
		'CLIPPER: --pmtu-fix: unknown remedy "bogus"' \
		--pmtu-guard --pmtu-fix bogus
	ipt_bad "$ipt" "--clamp-mss 20" \
		'CLIPPER: --clamp-mss takes "pmtu" or a number in 88..65495, not "20"' \
		--clamp-mss 20
	ipt_bad "$ipt" "no option at all" \
		"CLIPPER: needs at least one of --classify, --clamp-mss, --pmtu-guard, --ws-count"
	ipt_bad "$ipt" "--ws-count twice" \
		'CLIPPER: option "--ws-count" can only be used once' \
		--ws-count --ws-count
	ipt_bad "$ipt" "! --classify" \
		'CLIPPER: option "--classify" cannot be inverted' ! --classify

	# A valid rule gets past option parsing (status 2 would be a
	# parameter problem) and then fails on the missing chain, or for
	# lack of privilege.
	"$ipt" --modprobe="$FALSE" -A "$NOCHAIN" -j CLIPPER --classify \
		--mark-mask 0xf0 --clamp-mss 1400 --pmtu-guard --pmtu-fix df \
		--ws-count >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 0 ] || [ $rc -eq 2 ] || grep -q "CLIPPER:" "$tmp/err"; then
		not_ok "$ipt parses a rule with every option" "exit status $rc"
	else
		ok "$ipt parses a rule with every option"
	fi
done

echo "1..$n"
if [ $failed -ne 0 ]; then
	echo "# $failed of $n tests failed"
	exit 1
fi
exit 0
