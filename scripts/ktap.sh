# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The KTAP results of make check and make check-debug, sourced by both.
#
#   ktap_init DIR          results and logs go to DIR (emptied first)
#   emit STATUS DESC       one result; STATUS: ok, "not ok" or skip
#   step DESC CMD...       CMD's exit status as a result, its log shown on
#                          failure (returns 1 then)
#   import_tap PREFIX FILE a test program's "ok N desc" lines as results
#   import_vm PREFIX VMOUT VMRC LABEL
#                          the results a VM wrote (run_kselftest.sh's
#                          VMOUT/results), one failure more should it have
#                          stopped (VMRC) without saying why, and the tail
#                          of its console then
#   ktap_summary           the plan, the failures again (at most 40), the
#                          totals and the last line "N passed, N failed";
#                          returns 1 on any failure

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
	local passed failed skipped
	passed=$(grep -c '^ok|' "$results")
	failed=$(grep -c '^not ok|' "$results")
	skipped=$(grep -c '^skip|' "$results")
	echo "1..$n"
	if [ "$failed" -gt 0 ]; then
		# again next to the last line, so that a log cut to its
		# tail (CI keeps only that) still names every failure
		echo "# the $failed that failed:"
		grep '^not ok|' "$results" | head -n 40 | sed 's/^not ok|/#   not ok: /'
	fi
	echo "# Totals: pass:$passed fail:$failed xfail:0 xpass:0 skip:$skipped error:0"
	if [ "$skipped" -gt 0 ]; then
		echo "$passed passed, $failed failed, $skipped skipped"
	else
		echo "$passed passed, $failed failed"
	fi
	[ "$failed" -eq 0 ]
}
