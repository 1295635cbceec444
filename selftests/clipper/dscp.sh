#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A class can set the DSCP: every packet of the class's flows, in both
# directions, leaves the router with it, the ECN bits kept and the IPv4
# header checksum right (a wrong one would be dropped by the receiver: the
# pings and the TCP download below would fail).  lib.sh's topology.
source "$(dirname "$0")/lib.sh"
require_root
require_cmd iptables ip6tables ping curl python3

trap 'kill $srv 2>/dev/null; cleanup_ns' EXIT
modprobe xt_CLIPPER
setup_topology
R() { ip netns exec "$router" "$@"; }
C() { ip netns exec "$router" "$CLIPPER" "$@"; }
pkts() { R "$1" -t mangle -L POSTROUTING -v -x -n | awk -v c="$2" '$0 ~ "/\\* " c " \\*/" { print $1 }'; }
bytes() { R "$1" -t mangle -L POSTROUTING -v -x -n | awk -v c="$2" '$0 ~ "/\\* " c " \\*/" { print $2 }'; }

check "mac add client premium" C mac add 02:00:00:00:0c:01 premium
check "class set premium dscp EF" C class set premium dscp EF
check_eq "class list -j: premium dscp 46" 46 \
	"$(C -j class list | python3 -c 'import json,sys; print([c for c in json.load(sys.stdin) if c["class"] == "premium"][0]["dscp"])')"
out=$(C class set premium dscp 64 2>&1); rc=$?
check_eq "dscp 64 is a usage error" 2 "$rc"

for ipt in iptables ip6tables; do
	R "$ipt" -t mangle -A PREROUTING -j CLIPPER --classify
	R "$ipt" -t mangle -A POSTROUTING -o r1 -m dscp --dscp 46 -m comment --comment up
	R "$ipt" -t mangle -A POSTROUTING -o r0 -m dscp --dscp 46 -m comment --comment down
	R "$ipt" -t mangle -A POSTROUTING -o r1 -m dscp --dscp 46 -m ecn --ecn-ip-ect 1 -m comment --comment up-ect1
done

check "IPv4 ping through the rewrite" ip netns exec "$client" ping -c 3 -i 0.2 -W 2 198.51.100.2
check_eq "IPv4 uploads leave with DSCP EF" 3 "$(pkts iptables up)"
check_eq "IPv4 downloads leave with DSCP EF" 3 "$(pkts iptables down)"
check "IPv6 ping through the rewrite" ip netns exec "$client" ping -c 3 -i 0.2 -W 2 2001:db8:2::2
check_eq "IPv6 uploads leave with DSCP EF" 3 "$(pkts ip6tables up)"
check_eq "IPv6 downloads leave with DSCP EF" 3 "$(pkts ip6tables down)"

# ECN is kept: a client marking ECT(1) (TOS 0x01)
check "IPv4 ping with ECT(1)" ip netns exec "$client" ping -c 2 -i 0.2 -W 2 -Q 0x01 198.51.100.2
check_eq "DSCP rewritten, ECN bits kept" 2 "$(pkts iptables up-ect1)"

# A TCP download: GRO/GSO skbs and CHECKSUM_PARTIAL through the rewrite
head -c 1000000 /dev/urandom > /tmp/dscp.bin
ip netns exec "$server" python3 -m http.server --bind 198.51.100.2 --directory /tmp 8080 >/dev/null 2>&1 &
srv=$!
listening() { ip netns exec "$server" ss -Hltn 'sport = :8080' | grep -q .; }
busywait 30000 listening
before=$(bytes iptables down)
got=$(ip netns exec "$client" curl -sS --max-time 30 -o /tmp/dscp.got -w '%{size_download}' http://198.51.100.2:8080/dscp.bin)
check_eq "TCP download through the rewrite completes" 1000000 "$got"
check "the file arrived intact" cmp -s /tmp/dscp.bin /tmp/dscp.got
after=$(bytes iptables down)
check "the download left the router with DSCP EF (>= 1 MB)" test $((after - before)) -ge 1000000

# unchanged: new flows keep the DSCP they had
check "class set premium dscp unchanged" C class set premium dscp unchanged
before=$(pkts iptables up)
ip netns exec "$client" ping -c 2 -i 0.2 -W 2 -p 01 198.51.100.2 >/dev/null
check_eq "dscp unchanged: a new flow is not rewritten" "$before" "$(pkts iptables up)"
check_eq "stats: nothing was left unwritable" 0 \
	"$(C -j stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["classify"]["unwritable"])')"
rm -f /tmp/dscp.bin /tmp/dscp.got
ktap_finished
