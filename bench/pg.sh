#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# One pktgen run, from inside the sending namespace (ip netns exec NS):
#
#   pg.sh DEV COUNT DST_MAC SRC_IP DST_IP SPORT_MIN SPORT_MAX DPORT
#
# 64-byte frames (pkt_size 60 plus the FCS), clone_skb 0, no delay: the
# pktgen thread of CPU 0 sends as fast as it can and, on a veth, the
# receiving side runs on the same CPU when pktgen enables BHs again.
# Source ports go up by one per packet from SPORT_MIN to SPORT_MAX (a new
# flow per packet when they differ).  Only bash builtins run between the
# two readings of /proc/stat and /proc/schedstat, so the window is the run.
#
# Prints one line:
#   usec U count N errors E goidle G idle_ticks I busy_ticks B
#   busy_ns C thread_ns T
# U is pktgen's elapsed time (the virtual clock under -icount).  The others
# cover the whole write of "start", which is longer: pktgen's thread picks
# the command up within 100 ms and the writer polls for the end every
# 100 ms, the CPU idle meanwhile.  G is how often CPU 0 went idle, I and B
# the idle and non-idle USER_HZ ticks of /proc/stat, C the time tasks ran
# on CPU 0, and T the time the pktgen threads ran or were runnable: T >=
# U*1000 shows that from pktgen's start to its end a task was always
# ready to run, so the CPU never idled.
set -u
[ $# -eq 8 ] || { echo "usage: pg.sh DEV COUNT DST_MAC SRC_IP DST_IP SPORT_MIN SPORT_MAX DPORT" >&2; exit 2; }
dev=$1 count=$2 dmac=$3 sip=$4 dip=$5 smin=$6 smax=$7 dport=$8
PG=/proc/net/pktgen

w() {
	echo "$2" > "$PG/$1" 2>/dev/null || { echo "pg.sh: $1: '$2' refused" >&2; exit 1; }
}

# shellcheck source=bench/cpu.sh
source "$(dirname "$0")/cpu.sh"

w kpktgend_0 rem_device_all
w kpktgend_0 "add_device $dev"
w "$dev" "count $count"
w "$dev" "clone_skb 0"
w "$dev" "pkt_size 60"
w "$dev" "delay 0"
w "$dev" "dst $dip"
w "$dev" "src_min $sip"
w "$dev" "src_max $sip"
w "$dev" "dst_mac $dmac"
w "$dev" "udp_src_min $smin"
w "$dev" "udp_src_max $smax"
w "$dev" "udp_dst_min $dport"
w "$dev" "udp_dst_max $dport"

pktgen_threads
cpu_now
i0=$IDLE b0=$BUSY g0=$GOIDLE r0=$RQCPU t0=$PGTHREAD
echo start > "$PG/pgctrl" || { echo "pg.sh: start failed" >&2; exit 1; }
cpu_now
i1=$IDLE b1=$BUSY g1=$GOIDLE r1=$RQCPU t1=$PGTHREAD

usec="" sent="" errors=""
while read -r line; do
	case $line in
	Result:*)
		# Result: OK: 537622(c536374+d1247) usec, 20000 (60byte,0frags)
		line=${line#Result: OK: }
		usec=${line%%(*}
		sent=${line#*usec, }
		sent=${sent%% *}
		;;
	*errors:*)
		errors=${line##*errors: }
		;;
	esac
done < "$PG/$dev"
[ -n "$usec" ] && [ -n "$sent" ] || { echo "pg.sh: no pktgen result" >&2; exit 1; }
echo "usec $usec count $sent errors ${errors:-0} goidle $((g1 - g0)) idle_ticks $((i1 - i0)) busy_ticks $((b1 - b0)) busy_ns $((r1 - r0)) thread_ns $((t1 - t0))"
