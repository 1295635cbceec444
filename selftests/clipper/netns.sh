#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every namespace has its own clipper state: rules, counters and resets in
# one are invisible in another, and deleting a namespace frees its state.
source "$(dirname "$0")/lib.sh"
require_root
require_cmd python3 iptables-nft iptables-legacy

trap cleanup_ns EXIT
jget() { python3 -c 'import json,sys; d=json.load(sys.stdin); exec("print(d" + sys.argv[1] + ")")' "$1"; }
modprobe xt_CLIPPER

setup_ns a b
for ns in "$a" "$b"; do
	ip -n "$ns" link add d0 type dummy 2>/dev/null || ip -n "$ns" link add d0 type veth peer name d1
	ip -n "$ns" addr add 192.0.2.1/24 dev d0
	ip -n "$ns" link set d0 up
done
ip netns exec "$a" iptables-legacy -t mangle -A OUTPUT -j CLIPPER --clamp-mss pmtu
ip netns exec "$a" iptables-nft -t mangle -A OUTPUT -j CLIPPER --ws-count
ip netns exec "$b" iptables-nft -t mangle -A OUTPUT -j CLIPPER --pmtu-guard

check_eq "ns a: 2 rules" 2 "$("$CLIPPER" -n "$a" -j status | jget '["rules"]')"
check_eq "ns b: 1 rule" 1 "$("$CLIPPER" -n "$b" -j status | jget '["rules"]')"
check_eq "init ns: none of theirs" 0 "$("$CLIPPER" -j status | jget '["rules"]')"

ip netns exec "$a" ping -c 3 -i 0.2 -W 1 192.0.2.1 >/dev/null
# 3 echo requests and 3 replies, each through a's two CLIPPER rules
check_eq "ns a counts its packets (6 packets x 2 rules)" 12 "$("$CLIPPER" -n "$a" -j stats | jget '["target"]["packets"]')"
check_eq "ns b counts nothing of a's" 0 "$("$CLIPPER" -n "$b" -j stats | jget '["target"]["packets"]')"
"$CLIPPER" -n "$b" stats reset
check_eq "reset in b leaves a alone" 12 "$("$CLIPPER" -n "$a" -j stats | jget '["target"]["packets"]')"

# A namespace deleted with rules still in it: the rules go with it and the
# module can be unloaded afterwards (no reference leaked).
ip netns del "$a"
ip netns del "$b"
NS_LIST=()
check "module unloads after namespaces with rules are deleted" busywait 5000 rmmod xt_CLIPPER
check_eq "kernel log clean" "" "$(dmesg_bad)"
ktap_finished
