#!/bin/bash
# scratch: where does the busy time around a pktgen run come from?
here=/work/main/bench
source $here/cpu.sh
OUT=$CLIPPER_OUT
modprobe pktgen
sysctl -qw kernel.sched_schedstats=1
for n in cl rt sk; do ip netns add $n; ip -n $n link set lo up; done
ip link add c0 netns cl type veth peer name r0 netns rt
ip link add r1 netns rt type veth peer name s0 netns sk
ip -n cl link set c0 address 00:00:5e:00:53:01
ip -n rt link set r0 address 02:00:00:00:0c:02
ip -n cl addr add 192.0.2.2/24 dev c0
ip -n rt addr add 192.0.2.1/24 dev r0
ip -n rt addr add 198.51.100.1/24 dev r1
ip -n sk addr add 198.51.100.2/24 dev s0
for x in "cl c0" "rt r0" "rt r1" "sk s0"; do set -- $x; ip -n $1 link set $2 up; done
ip netns exec rt sysctl -qw net.ipv4.ip_forward=1
ip -n rt route add 203.0.113.0/24 via 198.51.100.2
ip -n sk link set s0 address 02:00:00:00:0c:04
ip -n rt neigh replace 198.51.100.2 dev r1 lladdr 02:00:00:00:0c:04 nud permanent
tc -n sk qdisc add dev s0 clsact
tc -n sk filter add dev s0 ingress matchall action drop
cp /proc/timer_list $OUT/timer_list.txt
cpu_now; n0=$NOW i0=$IDLENS; sleep 0.5; cpu_now
echo "sleep 0.5: window $((NOW-n0)) busy $((NOW-n0-(IDLENS-i0)))"
cpu_now; n0=$NOW i0=$IDLENS; cpu_now
echo "nothing: window $((NOW-n0)) busy $((NOW-n0-(IDLENS-i0)))"
for c in 1 1 20000 20000; do
	ip netns exec cl bash $here/pg.sh c0 $c 02:00:00:00:0c:02 192.0.2.2 203.0.113.9 4000 4000 9
done
for c in 1 20000; do
	perf record -a -e cpu-clock -c 100000 -g -o /tmp/perf-$c.data -- ip netns exec cl bash $here/pg.sh c0 $c 02:00:00:00:0c:02 192.0.2.2 203.0.113.9 4000 4000 9
	perf report -i /tmp/perf-$c.data --stdio --no-children --sort comm,sym -g none --percent-limit 0.5 > $OUT/perf-$c.txt 2>&1
done
ps -eo pid,comm,time | sort -k3 | tail -15
cat /proc/net/pktgen/kpktgend_0 2>/dev/null | head
ip netns exec cl cat /proc/net/pktgen/c0 | head -40
