#!/bin/bash
# scratch experiment
set -x
modprobe pktgen
modprobe nf_conntrack
sysctl -w net.netfilter.nf_conntrack_max=1048576
echo 262144 > /sys/module/nf_conntrack/parameters/hashsize
for n in cl rt sk; do ip netns add $n; ip -n $n link set lo up; done
ip link add c0 netns cl type veth peer name r0 netns rt
ip link add r1 netns rt type veth peer name s0 netns sk
ip -n cl link set c0 address 02:00:00:00:0c:01
ip -n rt link set r0 address 02:00:00:00:0c:02
ip -n cl addr add 192.0.2.2/24 dev c0
ip -n rt addr add 192.0.2.1/24 dev r0
ip -n rt addr add 198.51.100.1/24 dev r1
ip -n sk addr add 198.51.100.2/24 dev s0
for x in "cl c0" "rt r0" "rt r1" "sk s0"; do set -- $x; ip -n $1 link set $2 up; done
ip netns exec rt sysctl -qw net.ipv4.ip_forward=1
ip -n rt route add 203.0.113.0/24 via 198.51.100.2
ip -n rt neigh replace 198.51.100.2 lladdr $(ip -n sk -br link show s0 | awk '{print $3}') dev r1 nud permanent
tc -n sk qdisc add dev s0 clsact
tc -n sk filter add dev s0 ingress matchall action drop
PG=/proc/net/pktgen
pg() { ip netns exec cl sh -c "echo '$2' > $PG/$1" || echo "pgset $1 $2 failed"; }
run() {  # run COUNT MODE
	pg kpktgend_0 rem_device_all
	pg kpktgend_0 "add_device c0"
	pg c0 "count $1"; pg c0 "clone_skb 0"; pg c0 "pkt_size 60"; pg c0 "delay 0"
	pg c0 "dst 203.0.113.9"; pg c0 "dst_mac 02:00:00:00:0c:02"
	pg c0 "udp_dst_min 9"; pg c0 "udp_dst_max 9"
	if [ "$2" = new ]; then pg c0 "udp_src_min 1024"; pg c0 "udp_src_max 65535"; else pg c0 "udp_src_min 4000"; pg c0 "udp_src_max 4000"; fi
	ip netns exec rt conntrack -F 2>/dev/null
	s0=$(cat /proc/stat | head -1); t0=$(date +%s%N)
	ip netns exec cl sh -c "echo start > $PG/pgctrl"
	t1=$(date +%s%N); s1=$(cat /proc/stat | head -1)
	echo "stat0 $s0"; echo "stat1 $s1"; echo "date-virt ms $(( (t1-t0)/1000000 ))"
	ip netns exec cl grep -A2 Result $PG/c0
	ip -n sk -s link show s0 | sed -n 4p
	ip -n rt -s link show r1 | sed -n 6p
}
T0=$(cat /proc/uptime)
run 20000 est; run 20000 est; run 20000 est
run 20000 new; run 20000 new
ip netns exec rt iptables -t mangle -A FORWARD -j CONNMARK --restore-mark
run 20000 est; run 20000 est; run 20000 est
run 20000 new; run 20000 new; run 20000 new
cat /proc/uptime; echo $T0
