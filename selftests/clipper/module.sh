#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# xt_CLIPPER.ko loads and unloads cleanly, a rule autoloads it, and module
# reference counting refuses rmmod while a rule uses the target.
source "$(dirname "$0")/lib.sh"
require_root
require_cmd modprobe iptables-legacy iptables-nft

trap 'iptables-legacy -t mangle -F 2>/dev/null; iptables-nft -t mangle -F 2>/dev/null' EXIT

loaded() { [ -d /sys/module/xt_CLIPPER ]; }

rmmod xt_CLIPPER 2>/dev/null
check "modprobe xt_CLIPPER" modprobe xt_CLIPPER
check "module is live" loaded
check_eq "module version is the CLI's" "$("$CLIPPER" -j version | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["cli"])')" "$(cat /sys/module/xt_CLIPPER/version)"
check "genetlink family clipper registered" genl ctrl get name clipper
check "rmmod with no rules" rmmod xt_CLIPPER
check_fails "module gone after rmmod" loaded

for ipt in iptables-legacy iptables-nft ip6tables-legacy ip6tables-nft; do
	rmmod xt_CLIPPER 2>/dev/null
	check "$ipt: a CLIPPER rule autoloads the module" \
		"$ipt" -t mangle -A PREROUTING -j CLIPPER --clamp-mss 1400
	check "$ipt: module loaded by the rule" loaded
	check_fails "$ipt: rmmod refused while the rule exists" rmmod xt_CLIPPER
	"$ipt" -t mangle -F PREROUTING
	# nft_compat may release the target after the transaction; poll.
	check "$ipt: rmmod works once the rule is gone" busywait 3000 rmmod xt_CLIPPER
done

ok=1
for i in $(seq 1 20); do
	modprobe xt_CLIPPER && rmmod xt_CLIPPER || { ok=0; break; }
done
check_eq "20 load/unload cycles" 1 "$ok"
check_eq "kernel log clean after the cycles" "" "$(dmesg_bad)"
ktap_finished
