#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The clipper CLI against the module: version, status and stats over
# generic netlink, JSON that parses, counters that move with traffic,
# resets, and writes refused without CAP_NET_ADMIN.
source "$(dirname "$0")/lib.sh"
require_root
require_cmd python3 iptables-nft setpriv

trap cleanup_ns EXIT
jget() { python3 -c 'import json,sys; d=json.load(sys.stdin); exec("print(d" + sys.argv[1] + ")")' "$1"; }

rmmod xt_CLIPPER 2>/dev/null
out=$("$CLIPPER" status 2>&1); rc=$?
if [ -d /sys/module/xt_CLIPPER ]; then
	# MODULE_ALIAS_GENL_FAMILY: asking for the family loads the module
	pass "status autoloads the module through its genetlink alias"
else
	check_eq "status without the module: exit 1" 1 "$rc"
	check "status without the module: says how to load it" grep -q "modprobe xt_CLIPPER" <<< "$out"
fi
modprobe xt_CLIPPER

check "version" "$CLIPPER" version
check "version -j is JSON" sh -c '"$0" -j version | python3 -m json.tool' "$CLIPPER"
check_eq "version -j: module version" "$(cat /sys/module/xt_CLIPPER/version)" "$("$CLIPPER" -j version | jget '["module"]')"
check_eq "version -j: protocol" 1 "$("$CLIPPER" -j version | jget '["protocol"]')"
check "status" "$CLIPPER" status
check "status -j -p is JSON" sh -c '"$0" -j -p status | python3 -m json.tool' "$CLIPPER"
check "stats -j is JSON with classify, pmtu, ws sections" sh -c \
	'"$0" -j stats | python3 -c "import json,sys; d=json.load(sys.stdin); assert all(k in d for k in (\"classify\",\"pmtu\",\"ws\",\"target\")), d"' "$CLIPPER"

setup_topology
R() { ip netns exec "$router" "$@"; }
C() { ip netns exec "$router" "$CLIPPER" "$@"; }

check_eq "status: no rules yet" 0 "$(C -j status | jget '["rules"]')"
R iptables-nft -t mangle -A FORWARD -j CLIPPER --classify --ws-count
R ip6tables-nft -t mangle -A FORWARD -j CLIPPER --pmtu-guard
check_eq "status: 2 rules" 2 "$(C -j status | jget '["rules"]')"
check_eq "status: classify active" True "$(C -j status | jget '["features"]["classify"]["active"]')"
check_eq "status: pmtu-guard rules" 1 "$(C -j status | jget '["features"]["pmtu_guard"]["rules"]')"
check_eq "status: clamp-mss inactive" False "$(C -j status | jget '["features"]["clamp_mss"]["active"]')"
check "status human output names the features" bash -c "ip netns exec $router $CLIPPER status | grep -E '^classify +active'"

ip netns exec "$client" ping -c 4 -i 0.2 -W 2 198.51.100.2 >/dev/null
check_eq "stats: target counted 8 packets" 8 "$(C -j stats | jget '["target"]["packets"]')"
check_eq "stats: classify counted 8 packets" 8 "$(C -j stats | jget '["classify"]["packets"]')"
check_eq "stats: ws counted 8 packets" 8 "$(C -j stats | jget '["ws"]["packets"]')"
check_eq "stats: pmtu saw no IPv4 packet" 0 "$(C -j stats | jget '["pmtu"]["packets"]')"
bytes=$(C -j stats | jget '["target"]["bytes"]')
check_eq "stats: bytes are IP lengths (8 x 84)" 672 "$bytes"
check_eq "status: packets agree with stats" 8 "$(C -j status | jget '["packets"]')"
check_eq "stats --prometheus: the same count, as a counter" 8 \
	"$(C stats --prometheus | sed -n 's/^clipper_target_packets_total //p')"
check "stats --prometheus: every line a comment or NAME VALUE, every name typed" \
	python3 -c '
import re, sys
typed, seen = set(), 0
for l in sys.stdin.read().splitlines():
    m = re.match(r"# TYPE (clipper_[a-z0-9_]+_total) counter$", l)
    if m:
        typed.add(m.group(1)); continue
    if re.match(r"# HELP clipper_[a-z0-9_]+_total .+$", l):
        continue
    m = re.match(r"(clipper_[a-z0-9_]+_total) [0-9]+$", l)
    assert m and m.group(1) in typed, l
    seen += 1
assert seen >= 20, seen' <<<"$(C stats --prometheus)"
check_eq "stats show --prometheus is the same" "$(C stats --prometheus | grep -c .)" \
	"$(C stats show --prometheus | grep -c .)"

check "stats reset as root" C stats reset
check_eq "stats: zero after reset" 0 "$(C -j stats | jget '["target"]["packets"]')"
ip netns exec "$client" ping -c 1 -W 2 198.51.100.2 >/dev/null
check_eq "stats: count again after reset" 2 "$(C -j stats | jget '["target"]["packets"]')"

# Without CAP_NET_ADMIN: reads work, writes are refused with a clear message.
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
check "non-root: status is readable" ip netns exec "$router" "${NOBODY[@]}" "$CLIPPER" status
out=$(ip netns exec "$router" "${NOBODY[@]}" "$CLIPPER" stats reset 2>&1); rc=$?
check_eq "non-root: stats reset exits 1" 1 "$rc"
check "non-root: message names CAP_NET_ADMIN" grep -q "CAP_NET_ADMIN" <<< "$out"
check_eq "non-root: counters untouched" 2 "$(C -j stats | jget '["target"]["packets"]')"

# usage errors
"$CLIPPER" bogus >/dev/null 2>&1
check_eq "unknown object: exit 2" 2 "$?"
"$CLIPPER" stats bogus >/dev/null 2>&1
check_eq "unknown verb: exit 2" 2 "$?"

# -n NETNS acts in a named namespace like ip -n
check_eq "-n NETNS reads that namespace" 2 "$("$CLIPPER" -n "$router" -j status | jget '["rules"]')"
"$CLIPPER" -n no-such-ns-$$ status >/dev/null 2>&1
check_eq "-n with a missing namespace: exit 1" 1 "$?"
ktap_finished
