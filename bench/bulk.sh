#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bulk TCP through the router with and without --pmtu-guard (run by
# guest.sh inside the benchmark VM):
#
#   bulk.sh ROUNDS SHIFT OUTDIR
#
# iperf3 sends from a client namespace to a server namespace through a
# router, TSO and GSO off so that the router forwards MTU-sized segments
# and their ACKs.  pktgen cannot be used (the guard follows TCP
# sequence numbers), and iperf3, its server and both TCP stacks share the
# one vCPU with the router, so the CPU time of a transfer counts all of
# them.  Each configuration therefore sends a small and a large transfer,
# and the cost per packet is the difference of their CPU times over the
# difference of their forwarded packets: program start-up and connection
# set-up cancel out.  CPU time is the time tasks ran on CPU 0
# (/proc/schedstat's rq_cpu_time), so time spent idle (TCP timers, 9p
# reads at start-up) does not count.
#
# Appends to OUTDIR/bulk.tsv: round config size packets bytes ns busy_ns
# status.
set -u
ROUNDS=$1 OUT=$3	# $2, the icount shift, is report.py's business
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/cpu.sh
source "$here/cpu.sh"
W=/tmp/bench
SMALL=2M
LARGE=10M
CONFIGS="none ct guard"

cl=bclc rt=brtc sv=bsvc
for ns in $cl $rt $sv; do
	ip netns add $ns || exit 1
	ip netns exec $ns sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip -n $ns link set lo up
done
ip link add c0 netns $cl type veth peer name r0 netns $rt || exit 1
ip link add r2 netns $rt type veth peer name v0 netns $sv || exit 1
ip -n $cl addr add 192.0.2.2/24 dev c0
ip -n $rt addr add 192.0.2.1/24 dev r0
ip -n $rt addr add 203.0.113.129/25 dev r2
ip -n $sv addr add 203.0.113.130/25 dev v0
for x in "$cl c0" "$rt r0" "$rt r2" "$sv v0"; do
	set -- $x
	ip -n "$1" link set "$2" up
	ip netns exec "$1" ethtool -K "$2" tso off gso off gro off >/dev/null 2>&1
done
ip netns exec $rt sysctl -qw net.ipv4.ip_forward=1
ip -n $cl route add default via 192.0.2.1
ip -n $sv route add default via 203.0.113.129
ip netns exec $rt sleep 1000000 &
rtpid=$!
ip netns exec $sv iperf3 -s -B 203.0.113.130 -D -I $W/iperf3.pid \
	--logfile $W/iperf3-server.log || exit 1
sleep 1
trap 'kill $rtpid $(cat $W/iperf3.pid 2>/dev/null) 2>/dev/null' EXIT

# packets and bytes the router received on r0 and r2
fwd() {
	local name rb rp rest pk=0 by=0
	while read -r name rb rp rest; do
		case $name in
		r0:|r2:) pk=$((pk + rp)); by=$((by + rb)) ;;
		esac
	done < /proc/$rtpid/net/dev
	echo "$pk $by"
}

up() {
	case $1 in
	none) ;;
	ct) ip netns exec $rt iptables -t mangle -A FORWARD -j CONNMARK --restore-mark ;;
	guard) ip netns exec $rt iptables -t mangle -A FORWARD -j CLIPPER --pmtu-guard ;;
	esac
}
down() { ip netns exec $rt nft delete table ip mangle 2>/dev/null; return 0; }

[ -e "$OUT/bulk.tsv" ] ||
	echo -e "round\tconfig\tsize\tpackets\tbytes\tns\tbusy_ns\tstatus" > "$OUT/bulk.tsv"
for r in $(seq 1 "$ROUNDS"); do
	for c in $CONFIGS; do
		up $c || { echo "bulk: $c setup failed"; continue; }
		for size in $SMALL $LARGE; do
			# shellcheck disable=SC2046
			set -- $(fwd)
			p0=$1 b0=$2
			clock_now
			cpu_now
			n0=$NOW c0=$RQCPU
			status=ok
			ip netns exec $cl iperf3 -c 203.0.113.130 -n $size \
				> "$W/iperf3-$c-$size.out" 2>&1 || status=failed
			cpu_now
			clock_now
			# shellcheck disable=SC2046
			set -- $(fwd)
			echo -e "$r\t$c\t$size\t$(($1 - p0))\t$(($2 - b0))\t$((NOW - n0))\t$((RQCPU - c0))\t$status" >> "$OUT/bulk.tsv"
			echo "# bulk round $r $c $size: $(($1 - p0)) packets, busy $(( (RQCPU - c0) / 1000000 )) ms of $(( (NOW - n0) / 1000000 )) ms"
		done
		down
	done
done
