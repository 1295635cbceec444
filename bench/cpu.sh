#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Sourced by pg.sh and bulk.sh: what CPU 0 did so far, read with bash
# builtins only, so that a reading starts no program.
#
# cpu_now sets
#   IDLE, BUSY  idle and non-idle USER_HZ ticks (/proc/stat, all CPUs)
#   GOIDLE      times CPU 0 switched to the idle task (/proc/schedstat;
#               needs kernel.sched_schedstats=1)
#   RQCPU       ns that tasks other than idle ran on CPU 0, counted when
#               they leave it (/proc/schedstat, rq_cpu_time)
#   PGTHREAD    ns that the pktgen threads ran or waited to run
#               (/proc/PID/schedstat of every kpktgend_*, found by
#               pktgen_threads)
#
# The variables are for the scripts that source this file.
# shellcheck disable=SC2034
#
# (/proc/timer_list's .idle_sleeptime looks tempting but is only brought
# up to date when the CPU leaves idle for a task, not on every interrupt:
# read while a task runs it can lag the truth by seconds.)
PGPIDS=()
pktgen_threads() {
	local d c
	PGPIDS=()
	for d in /proc/[0-9]*; do
		read -r c < "$d/comm" 2>/dev/null || continue
		case $c in
		kpktgend_*) PGPIDS+=("${d#/proc/}") ;;
		esac
	done
}

cpu_now() {
	local _c u n s idle iow irq sirq st rest a _b _c2 _d e _f _g h p run wait
	read -r _c u n s idle iow irq sirq st rest < /proc/stat
	IDLE=$((idle + iow))
	BUSY=$((u + n + s + irq + sirq + st))
	GOIDLE=-1 RQCPU=-1
	while read -r a _b _c2 _d e _f _g h rest; do
		if [ "$a" = cpu0 ]; then
			GOIDLE=$e
			RQCPU=$h
			break
		fi
	done < /proc/schedstat
	PGTHREAD=0
	for p in "${PGPIDS[@]}"; do
		read -r run wait rest < "/proc/$p/schedstat" 2>/dev/null || continue
		PGTHREAD=$((PGTHREAD + run + wait))
	done
}

# clock_now sets NOW, the monotonic clock in ns ("now at" of
# /proc/timer_list, read in one go).
clock_now() {
	local tl a
	NOW=-1
	read -r -d '' tl < /proc/timer_list
	case $tl in
	*"now at "*) a=${tl#*now at }; NOW=${a%% nsecs*} ;;
	esac
}
