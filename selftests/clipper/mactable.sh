#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The MAC table at scale and over time, with real traffic through lib.sh's
# client - router - server topology:
#
#  - per-MAC packet counters are off by default (the fast path then reads
#    only the conntrack mark of an established flow) and count when on;
#  - "mac del MAC reclassify" and "mac flush reclassify" re-classify
#    running flows; without it they keep their class;
#  - "class set CLASS wmm UP" gives skb->priority 256 + UP, which reaches
#    the egress qdisc (mac80211 reads it as the 802.11 user priority);
#  - save -> change -> restore gives back the same configuration, with
#    quoted comments and two classes' marks swapped;
#  - a restore the kernel refuses midway names the line and changes nothing;
#  - 65536 entries restore in batches, dump completely and exactly, and a
#    full table refuses one more.
#
# Helpers run through check and trap, which shellcheck cannot see:
# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
require_root
require_cmd python3 iptables-nft conntrack tc ping

IPT=iptables-nft
MAC1=02:00:00:00:0c:01		# the client's
BIG=65536

client="" router="" server=""
TMPD=$(mktemp -d /tmp/clipper-mactable.XXXXXX)
cleanup() {
	stop_bg
	cleanup_ns
	rm -rf "$TMPD"
}
trap cleanup EXIT

R() { ip netns exec "$router" "$@"; }
C() { ip netns exec "$router" "$CLIPPER" "$@"; }

# jq-less JSON: jsel KEY VALUE FIELD over an array, jget PATH over an object
jsel() {
	python3 -c '
import json, sys
key, val, field = sys.argv[1:4]
for e in json.load(sys.stdin):
    if str(e.get(key)).lower() == val.lower():
        r = e.get(field, "absent")
        print(r if isinstance(r, str) else json.dumps(r))
        break
else:
    print("absent")' "$@" 2>/dev/null || echo "error"
}
jget() {
	python3 -c '
import json, sys
r = eval("json.load(sys.stdin)" + sys.argv[1])
print(r if isinstance(r, str) else json.dumps(r))' "$1" 2>/dev/null || echo "error"
}
mac_get() { C -j mac list | jsel mac "$1" "$2"; }

# the marks of the router's conntrack entries of the client's pings
ping_marks() {
	R conntrack -L -f ipv4 -p icmp -s 192.0.2.2 2>/dev/null |
		sed -n 's/.* mark=\([0-9]*\).*/\1/p' | sort -u | paste -sd' ' -
}

setup_topology || { fail "topology"; ktap_finished; exit "$ksft_fail"; }
modprobe -q xt_CLIPPER
R "$IPT" -t mangle -A PREROUTING -j CLIPPER --classify

# ---- per-MAC counters ---------------------------------------------------
check_eq "mac-counters is off by default" off \
	"$(C config show | sed -n 's/^mac-counters //p')"
check_eq "-j config: mac_counters false" false \
	"$(C -j config | jget '["mac_counters"]')"
C mac add "$MAC1" premium comment laptop
ip netns exec "$client" ping -q -c 5 -i 0.2 198.51.100.2 >/dev/null
check_eq "off: the entry counts its flow" 1 "$(mac_get "$MAC1" flows)"
check_eq "off: the entry counts no packets" 0 "$(mac_get "$MAC1" packets)"
check_eq "off: the class counts the packets" \
	10 "$(C -j class list | jsel class premium packets)"
check "config set mac-counters on" C config set mac-counters on
check_eq "config show says on" on \
	"$(C config show | sed -n 's/^mac-counters //p')"
ip netns exec "$client" ping -q -c 5 -i 0.2 198.51.100.2 >/dev/null
check_eq "on: the entry counts what the client sent" 5 \
	"$(mac_get "$MAC1" packets)"
check_eq "on: bytes of 5 pings (IP length 84)" 420 "$(mac_get "$MAC1" bytes)"
check "config set mac-counters off" C config set mac-counters off
check_fails "config set mac-counters 2 is a usage error" \
	C config set mac-counters 2

# ---- reclassify -----------------------------------------------------------
marks_are() { [ "$(ping_marks)" = "$1" ]; }

# A ping that runs all along: one conntrack entry, classified once.
# (Not through check, which runs it in a subshell: PIDS would be lost.)
start_ping() {
	ip netns exec "$client" ping -q -i 0.2 198.51.100.2 >/dev/null 2>&1 &
	PIDS+=($!)
}
stop_pings() {
	stop_bg
	R conntrack -D -p icmp >/dev/null 2>&1
}

R conntrack -D -p icmp >/dev/null 2>&1
start_ping
check "a running ping is premium (10)" busywait 5000 marks_are 10
check "mac del keeps the running flow's class" C mac del "$MAC1"
sleep 1
check_eq "... still 10 after a second" 10 "$(ping_marks)"
stop_pings

C mac add "$MAC1" premium
start_ping
check "a running ping is premium again" busywait 5000 marks_are 10
rc0=$(C -j stats | jget '["classify"]["reclassified"]')
check "mac del MAC reclassify" C mac del "$MAC1" reclassify
# the client's MAC is locally administered: the random-MAC class, standard
check "... the running flow turns standard (30)" \
	busywait 5000 marks_are 30
check_eq "stats: reclassified counts the flow" $((rc0 + 1)) \
	"$(C -j stats | jget '["classify"]["reclassified"]')"
stop_pings

C mac add "$MAC1" bulk
start_ping
check "a running ping is bulk (40)" busywait 5000 marks_are 40
check "mac flush reclassify" C mac flush reclassify
check "... the running flow turns standard (30)" \
	busywait 5000 marks_are 30
stop_pings
check_fails "mac flush now is a usage error" C mac flush now

# ---- WMM: skb->priority 256 + UP ------------------------------------------
# Forwarding would set skb->priority from the TOS after PREROUTING.
R sysctl -qw net.ipv4.ip_forward_update_priority=0
C mac add "$MAC1" premium
check "class set premium wmm 5" C class set premium wmm 5
check_eq "class list: priority 261" 261 \
	"$(C -j class list | jsel class premium priority)"
if R tc qdisc add dev r1 root handle 1: prio 2>/dev/null &&
   R tc filter add dev r1 parent 1: protocol ip prio 1 basic \
	match "meta(priority eq 261)" action ok 2>/dev/null; then
	ip netns exec "$client" ping -q -c 4 -i 0.2 198.51.100.2 >/dev/null
	n=$(R tc -s filter show dev r1 parent 1: |
		sed -n 's/.*Sent [0-9]* bytes \([0-9]*\) pkt.*/\1/p' | head -n1)
	check_eq "4 pings leave with skb->priority 261" 4 "$n"
	R tc qdisc del dev r1 root
else
	skip "skb->priority 261 at the egress" "no cls_basic/em_meta"
fi
check_fails "class set premium wmm 8 is a usage error" \
	C class set premium wmm 8
C class set premium priority 6
C mac flush

# ---- save / restore -------------------------------------------------------
C config set mac-max 1000 mac-counters on
C class set premium mark 99
C class set bulk mark 10 priority unchanged
C class set premium mark 40 dscp EF
C class default express
C class default random bulk
C mac add "$MAC1" premium comment 'the "work" laptop'
C mac add 00:16:3e:00:00:00/24 bulk comment 'Xen OUI # not a comment'
C mac add 00:00:5e:00:53:07 exempt
C save >"$TMPD/a"
check "save prints the MAC entries" grep -qx \
	"mac add 00:16:3e:00:00:00/24 bulk comment \"Xen OUI # not a comment\"" \
	"$TMPD/a"

# change everything, then restore
C mac flush
C class set bulk mark 41 priority 2
C class set premium mark 10 dscp unchanged
C class set bulk mark 40
C class default standard
C class default random standard
C config set mac-max 65536 mac-counters off
C mac add 00:00:5e:00:53:99 bulk
check "restore FILE" C restore "$TMPD/a"
C save >"$TMPD/b"
check "save -> change -> restore -> save gives the same" \
	cmp -s "$TMPD/a" "$TMPD/b"
check_eq "the quoted comment came back" 'the "work" laptop' \
	"$(mac_get "$MAC1" comment)"
ip netns exec "$router" sh -c "'$CLIPPER' restore < '$TMPD/a'"
check_eq "restore from stdin: exit 0" 0 $?

# a line the kernel refuses: nothing changes
{
	echo "mac flush"
	echo "class set express mark 77"
	echo "mac add 00:00:5e:00:53:01 bulk"
	echo "mac add 00:00:5e:00:53:01 premium"
} >"$TMPD/dup"
C restore "$TMPD/dup" 2>"$TMPD/err"
check_eq "a duplicate entry: exit 1" 1 $?
check "... the message names line 4" grep -q "line 4: an entry for this MAC" \
	"$TMPD/err"
check "... and says nothing changed" grep -q "nothing changed" "$TMPD/err"
C save >"$TMPD/c"
check "... and nothing changed" cmp -s "$TMPD/a" "$TMPD/c"

# ---- 65536 entries ----------------------------------------------------------
C mac flush
C config set mac-max $BIG
python3 - "$BIG" >"$TMPD/big" <<'EOF'
import sys
n = int(sys.argv[1])
print("mac flush")
for i in range(n):
    print("mac add 00:00:5e:%02x:%02x:%02x %s" %
          (i >> 16, (i >> 8) & 0xff, i & 0xff,
           ("premium", "express", "standard", "bulk")[i % 4]))
EOF
t0=$(date +%s%N)
check "restore of $BIG entries" C restore "$TMPD/big"
t1=$(date +%s%N)
echo "# restore of $BIG entries: $(( (t1 - t0) / 1000000 )) ms"
check_eq "config: mac_count $BIG" $BIG "$(C -j config | jget '["mac_count"]')"
C -j mac list >"$TMPD/list.json"
check "the dump has every entry exactly once, with its class" \
	python3 - "$TMPD/list.json" "$BIG" <<'EOF'
import json, sys
l = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
want = {"00:00:5e:%02x:%02x:%02x" % (i >> 16, (i >> 8) & 0xff, i & 0xff):
        ("premium", "express", "standard", "bulk")[i % 4] for i in range(n)}
got = {e["mac"]: e["class"] for e in l}
sys.exit(0 if len(l) == n and got == want else 1)
EOF
check_eq "the human list has a line per entry" $((BIG + 1)) \
	"$(C mac list | wc -l)"
C mac add 00:00:5f:00:00:01 bulk 2>"$TMPD/err"
check_eq "one more: refused, exit 1" 1 $?
check "... saying the table is full" grep -q "table is full" "$TMPD/err"
C save >"$TMPD/big-saved"
check_eq "save of $BIG entries" $BIG "$(grep -c '^mac add' "$TMPD/big-saved")"
echo "mac add 00:00:5f:00:00:01 bulk" >>"$TMPD/big"
C restore "$TMPD/big" 2>"$TMPD/err"
check_eq "restore of one entry too many: exit 1" 1 $?
check "... naming its line" grep -q "line $((BIG + 2)): the MAC table is full" \
	"$TMPD/err"
C save >"$TMPD/big-after"
check "... and nothing changed" cmp -s "$TMPD/big-saved" "$TMPD/big-after"
C mac flush
check_eq "flushed" 0 "$(C -j config | jget '["mac_count"]')"

R "$IPT" -t mangle -F
check "dmesg is clean" test -z "$(dmesg_bad)"
ktap_finished
