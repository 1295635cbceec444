# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The KTAP results of make check and make check-debug, sourced by both.
#
#   ktap_init DIR          results and logs go to DIR (emptied first)
#   emit STATUS DESC       one result; STATUS: ok, "not ok", skip or xfail
#                          (an expected failure: a known defect that the
#                          test names; counted apart, not as failed)
#   step DESC CMD...       CMD's exit status as a result, its log shown on
#                          failure (returns 1 then)
#   import_tap PREFIX FILE a test program's "ok N desc" lines as results
#   import_vm PREFIX VMOUT VMRC LABEL
#                          the results a VM wrote (run_kselftest.sh's
#                          VMOUT/results), one failure more should it have
#                          stopped (VMRC) without saying why, and the tail
#                          of its console then
#   tap_result STATUS DESC a plain TAP line ("ok N - DESC") of a test
#                          script that make check runs as a host test
#                          (counted in tap_n, failures in tap_failed)
#   tap_plan               its plan line; returns 1 on any failure
#   shard N TEST...        the tests in at most N groups of about equal
#                          cost (the caller's COST array, seconds per
#                          test; 300 for one not listed), a group a line
#   ktap_summary           the plan, the failures again (at most 40), the
#                          totals and the last line "N passed, N failed";
#                          returns 1 on any failure

tap_n=0
tap_failed=0
tap_result() {
	tap_n=$((tap_n + 1))
	echo "$1 $tap_n - $2"
	[ "$1" = ok ] || tap_failed=$((tap_failed + 1))
}

tap_plan() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

ktap_init() {
	out=$1
	rm -rf "$out"
	mkdir -p "$out/logs"
	results="$out/results"
	: > "$results"
	n=0
}

emit() {
	n=$((n + 1))
	case $1 in
	skip) echo "ok $n $2 # SKIP" ;;
	xfail) echo "not ok $n $2 # TODO" ;;
	*) echo "$1 $n $2" ;;
	esac
	echo "$1|$2" >> "$results"
}

step() {
	local desc=$1 log
	shift
	log="$out/logs/$(echo "$desc" | tr -c 'A-Za-z0-9._-' '_').log"
	if "$@" > "$log" 2>&1; then
		emit ok "$desc"
	else
		emit "not ok" "$desc"
		tail -n 30 "$log" | sed 's/^/#   /'
		return 1
	fi
}

import_tap() {
	local prefix=$1 file=$2 line
	while IFS= read -r line; do
		case $line in
		"not ok "*) emit "not ok" "$prefix: $(echo "$line" | sed -E 's/^not ok [0-9]+ (- )?//')" ;;
		"ok "*"# SKIP"*) emit skip "$prefix: $(echo "$line" | sed -E 's/^ok [0-9]+ (- )?//; s/ *# SKIP.*//')" ;;
		"ok "*) emit ok "$prefix: $(echo "$line" | sed -E 's/^ok [0-9]+ (- )?//')" ;;
		esac
	done < "$file"
}

import_vm() {
	local prefix=$1 vmout=$2 vmrc=$3 label=$4 before line
	before=$(grep -c . "$results")
	if [ -f "$vmout/results" ]; then
		while IFS= read -r line; do
			case $line in
			"not ok "*) emit "not ok" "$prefix${line#not ok }" ;;
			"skip "*) emit skip "$prefix${line#skip }" ;;
			"xfail "*) emit xfail "$prefix${line#xfail }" ;;
			"ok "*) emit ok "$prefix${line#ok }" ;;
			esac
		done < "$vmout/results"
	fi
	if [ "$vmrc" -ne 0 ] && ! tail -n +"$((before + 1))" "$results" | grep -q '^not ok|'; then
		emit "not ok" "$prefix$label finished (VM exit $vmrc)"
	fi
	if [ "$vmrc" -ne 0 ] && [ -s "$vmout/console.log" ]; then
		# next to the summary, so that a log cut to its tail still
		# shows why the VM stopped
		echo "# last lines of the console of $label:"
		tail -n 60 "$vmout/console.log" | sed 's/^/#   /'
	fi
}

ktap_summary() {
	local passed failed skipped xfailed
	passed=$(grep -c '^ok|' "$results")
	failed=$(grep -c '^not ok|' "$results")
	skipped=$(grep -c '^skip|' "$results")
	xfailed=$(grep -c '^xfail|' "$results")
	echo "1..$n"
	if [ "$failed" -gt 0 ]; then
		# again next to the last line, so that a log cut to its
		# tail (CI keeps only that) still names every failure
		echo "# the $failed that failed:"
		grep '^not ok|' "$results" | head -n 40 | sed 's/^not ok|/#   not ok: /'
	fi
	if [ "$xfailed" -gt 0 ]; then
		echo "# the $xfailed expected failures (known defects, not counted as failed):"
		grep '^xfail|' "$results" | head -n 40 | sed 's/^xfail|/#   xfail: /'
	fi
	echo "# Totals: pass:$passed fail:$failed xfail:$xfailed xpass:0 skip:$skipped error:0"
	if [ "$skipped" -gt 0 ]; then
		echo "$passed passed, $failed failed, $skipped skipped"
	else
		echo "$passed passed, $failed failed"
	fi
	[ "$failed" -eq 0 ]
}

# shard N TEST...: the tests in at most N groups of about equal cost (the
# costliest first, each into the cheapest group so far), one group a line,
# each in the order of the suite; COST is the caller's (test -> seconds)
shard() {
	local k=$1 t i best line
	shift
	local -a load=() grp=()
	for ((i = 0; i < k; i++)); do load[i]=0; grp[i]=" "; done
	for t in $(for u in "$@"; do echo "${COST[$u]:-300} $u"; done | sort -k1,1nr | cut -d' ' -f2); do
		best=0
		for ((i = 1; i < k; i++)); do
			[ "${load[i]}" -lt "${load[best]}" ] && best=$i
		done
		load[best]=$((load[best] + ${COST[$t]:-300}))
		grp[best]+="$t "
	done
	for ((i = 0; i < k; i++)); do
		line=""
		for t in "$@"; do
			[[ "${grp[i]}" == *" $t "* ]] && line+=" $t"
		done
		[ -n "$line" ] && echo "${line# }"
	done
	return 0
}
