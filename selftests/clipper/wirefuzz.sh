#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Wire fuzzing: random and malformed packets through a router whose rules use
# every option of -j CLIPPER, IPv4 and IPv6, in mangle and in filter:
#
#   mangle PREROUTING   --classify --mark-mask 0xff
#   mangle FORWARD      --clamp-mss pmtu --pmtu-guard --pmtu-fix icmp,df,mss
#   mangle FORWARD      -p tcp --ws-count
#   mangle OUTPUT       --clamp-mss pmtu --pmtu-guard      (the router's own)
#   mangle POSTROUTING  --clamp-mss 1400
#   filter FORWARD      --classify --clamp-mss 400 --pmtu-guard --pmtu-fix df
#
# with a MAC table entry for the client, a DSCP for its class, and lib.sh's
# client - router - server topology.  wirefuzz.py (scapy) sends, from both
# sides, bad IPv4 header and total lengths, IP options, IPv6 extension
# header chains and loops, truncated TCP headers, bad data offsets,
# looping and truncated TCP options, MSS options of length 0, 1, 3 and 255
# and at odd offsets, SYNs with every combination of options, fragments of
# both families, frag-needed / packet-too-big with absurd MTUs and garbage
# inner headers, WebSocket flows whose handshakes crafted packets complete
# on both sides (then lengths of 2^63, bad opcodes, masks the wrong way
# round, garbage, hixie frames without end, segments swapped and left
# out), and garbage injected into a real upgraded connection with the
# right sequence numbers; real TCP exchanges are sprinkled in between.
#
# Then: the kernel is alive, the exchanges all went through, a 64 KiB SYN
# to which --clamp-mss adds an option never leaves as a datagram longer
# than IP allows, a full-size segment resent once is counted once although
# two --pmtu-guard rules see it (so it is suspect, not yet a black hole),
# the counters of each feature moved where the fuzz must
# move them (malformed options, MSS clamped and added, ICMP seen, flows
# upgraded, malformed and desynchronised streams, held segments, flows
# without conntrack), the tables read back sane, curl still downloads
# through the router, the rules go and the module unloads; run_kselftest.sh
# checks the kernel log.
#
# The seed is printed; WIREFUZZ_SEED=N repeats a run, WIREFUZZ_BUDGET=S
# sets the seconds of fuzzing (default 60).
#
# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
require_root
require_cmd iptables-nft ip6tables-nft curl ping conntrack

PY=/usr/bin/python3
if ! $PY -c 'import importlib.util as u, sys; sys.exit(not u.find_spec("scapy"))' 2>/dev/null; then
	echo "# SKIP: python3-scapy not installed"
	exit $ksft_skip
fi

IPT=iptables-nft
IP6T=ip6tables-nft
PORT=8090
SEED=${WIREFUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
BUDGET=${WIREFUZZ_BUDGET:-60}
T=$(mktemp -d /tmp/clipper-wirefuzz.XXXXXX)
client="" router="" server=""
cleanup() {
	stop_bg
	cleanup_ns
	rm -rf "$T"
}
trap cleanup EXIT

R() { ip netns exec "$router" "$@"; }
C() { ip netns exec "$router" "$CLIPPER" "$@"; }
# val KEY: a value of the fuzzer's report ("rep.valid.ok") or of
# "clipper -j stats" ("stats.ws.flows"), from $T/flat (made once: python
# is slow to start under TCG)
val() { awk -v k="$1" '$1 == k { print $2; f = 1 } END { if (!f) print "none" }' "$T/flat"; }
flatten() {
	$PY -c '
import json, sys
def walk(p, v):
    if isinstance(v, dict):
        for k, x in v.items():
            walk(p + "." + k, x)
    elif isinstance(v, list):
        print(p + ".len", len(v))
    else:
        print(p, v)
for name in sys.argv[1:]:
    try:
        walk(name.split("/")[-1].split(".")[0], json.load(open(name)))
    except (OSError, ValueError):
        pass
' "$T/rep.json" "$T/stats.json" > "$T/flat"
}
gt0() { [ "$1" -gt 0 ] 2>/dev/null; }

echo "# seed $SEED (WIREFUZZ_SEED=$SEED repeats this run), budget ${BUDGET}s"

echo "# setup from ${SECONDS}s"
setup_topology || { fail "topology"; ktap_finished; }
ip -n "$server" link set s0 address 02:00:00:00:0d:01
modprobe -q xt_CLIPPER
check "mac add: the client's MAC is premium" C mac add 02:00:00:00:0c:01 premium
check "class set premium dscp EF" C class set premium dscp EF

echo "# rules from ${SECONDS}s"
# ---- the rules: every option, both families, mangle and filter --------------
rules() {
	cat <<-EOF | R "$1-restore" --noflush
	*mangle
	-A PREROUTING -j CLIPPER --classify --mark-mask 0xff
	-A FORWARD -j CLIPPER --clamp-mss pmtu --pmtu-guard --pmtu-fix icmp,df,mss
	-A FORWARD -p tcp -j CLIPPER --ws-count
	-A OUTPUT -j CLIPPER --clamp-mss pmtu --pmtu-guard
	-A POSTROUTING -j CLIPPER --clamp-mss 1400
	COMMIT
	*filter
	-A FORWARD -j CLIPPER --classify --clamp-mss 400 --pmtu-guard --pmtu-fix df
	COMMIT
	EOF
}
check "iptables: six CLIPPER rules with every option" rules "$IPT"
check "ip6tables: six CLIPPER rules with every option" rules "$IP6T"
check_eq "status: 12 rules" 12 \
	"$(C -j status | $PY -c 'import json,sys; d=json.load(sys.stdin); print(d["rules"])' 2>/dev/null)"

# the crafted flows' addresses belong to nobody: the router sends them to
# the client's and the server's MACs, whose kernels drop them silently
cmac=$(ip -n "$client" -br link show c0 | awk '{print $3}')
smac=$(ip -n "$server" -br link show s0 | awk '{print $3}')
for i in 50 51 52 53; do
	R ip neigh replace "192.0.2.$i" lladdr "$cmac" dev r0 nud permanent
	R ip neigh replace "198.51.100.$i" lladdr "$smac" dev r1 nud permanent
	R ip -6 neigh replace "2001:db8:1::$i" lladdr "$cmac" dev r0 nud permanent
	R ip -6 neigh replace "2001:db8:2::$i" lladdr "$smac" dev r1 nud permanent
done
rmac0=$(ip -n "$router" -br link show r0 | awk '{print $3}')
rmac1=$(ip -n "$router" -br link show r1 | awk '{print $3}')
# the real peers answer the neighbour discovery of the router first
ip netns exec "$client" ping -c1 -W5 192.0.2.1 >/dev/null
ip netns exec "$client" ping -c1 -W5 2001:db8:1::1 >/dev/null
ip netns exec "$server" ping -c1 -W5 198.51.100.1 >/dev/null
ip netns exec "$server" ping -c1 -W5 2001:db8:2::1 >/dev/null

# ---- the fuzz -----------------------------------------------------------------
C stats reset
echo "# fuzzing from ${SECONDS}s"
start=$SECONDS
timeout -k 5 $((BUDGET * 3 + 60)) $PY "$TOP/selftests/clipper/wirefuzz.py" \
	--seed "$SEED" --budget "$BUDGET" --client "$client" --server "$server" \
	--router "$router" --clipper "$CLIPPER" \
	--rmac0 "$rmac0" --rmac1 "$rmac1" --port "$PORT" \
	--report "$T/rep.json" 2>&1 | tee "$T/fuzz.out"
rc=${PIPESTATUS[0]}
echo "# fuzzing took $((SECONDS - start))s"
check_eq "wirefuzz.py ran to its end (seed $SEED)" 0 "$rc"
C -j stats > "$T/stats.json"
flatten
# one line per section: "# rep.sent: ip4=... ip6=..."
awk '{ k = $1; sub(/\.[^.]*$/, "", k); n = substr($1, length(k) + 2)
       if (k != last) { if (line) print line; line = "# " k ":"; last = k }
       line = line " " n "=" $2 } END { print line }' "$T/flat"


echo "# checks from ${SECONDS}s"
# ---- the kernel survived, valid traffic went through ----------------------------
check "the router still answers ping (IPv4)" ip netns exec "$client" ping -c1 -W5 192.0.2.1
check "the server still answers ping through the router (IPv6)" \
	ip netns exec "$client" ping -c1 -W5 2001:db8:2::2
check_eq "the real TCP exchanges between the phases all went through" \
	"16 0" "$(val rep.valid.ok) $(val rep.valid.failed)"
check "garbage injected into a real connection reached the peer's socket" \
	gt0 "$(val rep.sent.inject_delivered)"
check_eq "SYNs and SYN/ACKs with every combination of 8 options were sent" \
	768 "$(val rep.sent.syn_combinations)"

# a SYN of 64 KiB in fragments: --clamp-mss 400 adds an MSS option to it,
# and what the router sends on must still be a datagram of at most 65535
# bytes (IPv4 total length, IPv6 payload length)
for p in bigsyn4 bigsyn6_hbh bigsyn6; do
	check "$p: the router sent the 64 KiB SYN on, in fragments" \
		gt0 "$(val "rep.probe.$p.fragments")"
	check_eq "$p: no datagram longer than IP allows ($(val "rep.probe.$p.datagram") bytes)" \
		True "$(val "rep.probe.$p.ok")"
done

# one resend of a full-size segment, seen by both --pmtu-guard rules (mangle
# and filter FORWARD): counted once, one small copy made as it leaves, no
# black hole; the second resend, its copy unanswered (nothing here answers
# it), is another try: another copy, still no black hole and no ICMP
for f in 4 6; do
	check_eq "IPv$f: one resend through two --pmtu-guard rules: counted once, one copy, not a black hole" \
		"1 0 1" "$(val "rep.probe.resend$f.resend1.retransmits") $(val "rep.probe.resend$f.resend1.blackhole") $(val "rep.probe.resend$f.resend1.probes")"
	check_eq "IPv$f: a second resend, the copy unanswered: another copy, no black hole, no ICMP" \
		"1 0 0 1" "$(val "rep.probe.resend$f.resend2.retransmits") $(val "rep.probe.resend$f.resend2.blackhole") $(val "rep.probe.resend$f.resend2.icmp_sent") $(val "rep.probe.resend$f.resend2.probes")"
done

# ---- the counters moved where the fuzz must move them -------------------------
total=$(val rep.total)
check "target: the rules saw at least as many packets as were sent ($(val stats.target.packets) >= $total)" \
	test "$(val stats.target.packets)" -ge "$total"
for c in flows matched defaulted random no_conntrack; do
	check "classify: $c ($(val "stats.classify.$c"))" gt0 "$(val "stats.classify.$c")"
done
for c in syn mss_clamped mss_added malformed icmp_seen; do
	check "pmtu: $c ($(val "stats.pmtu.$c"))" gt0 "$(val "stats.pmtu.$c")"
done
for c in tracked flows not_websocket malformed desync held no_conntrack; do
	check "ws: $c ($(val "stats.ws.$c"))" gt0 "$(val "stats.ws.$c")"
done
frames() { awk -v s="stats.$1." 'index($1, s) == 1 && $1 !~ /bytes$/ { n += $2 } END { print n + 0 }' "$T/flat"; }
check "ws: frames counted client to server ($(frames ws_c2s))" gt0 "$(frames ws_c2s)"
check "ws: frames counted server to client ($(frames ws_s2c))" gt0 "$(frames ws_s2c)"

# ---- the tables read back sane --------------------------------------------------
# paths the router may learn, next to what the fuzz sent: frag-needed and
# packet-too-big that conntrack relates to a flow (ptb.py); the fuzz's own,
# about no flow, must have taught nothing out of bounds
ip -n "$router" link add ptb0 type dummy
ip -n "$router" link set ptb0 up
ip -n "$router" route add 198.18.0.0/16 dev ptb0
ip -n "$router" -6 route add 2001:db8:ff::/64 dev ptb0
ip netns exec "$router" $PY ./ptb.py 4 192.0.2.2 198.18 5 1400
ip netns exec "$router" $PY ./ptb.py 6 2001:db8:1::2 2001:db8:ff 5 1400
check "pmtu list: every learned MTU within what ICMP can say, none below 68" \
	sh -c "ip netns exec $router $CLIPPER -j pmtu list | $PY -c '
import json, sys
l = json.load(sys.stdin)
print(len(l), \"paths\", sorted({e[\"mtu\"] for e in l})[:8])
sys.exit(0 if l and all(e[\"mtu\"] == 0 or 68 <= e[\"mtu\"] <= 65535 for e in l) else 1)'"
check "ws list: a dump of the followed flows parses" \
	sh -c "ip netns exec $router $CLIPPER -j ws list | $PY -c 'import json,sys; json.load(sys.stdin)'"
check "conntrack: the router's table lists" R conntrack -C

echo "# curl from ${SECONDS}s"
# ---- a real transfer still works through the router ---------------------------
mkdir -p "$T/www"
head -c 200000 /dev/urandom > "$T/www/blob"
ip netns exec "$server" $PY -m http.server -d "$T/www" -b :: "$PORT" >/dev/null 2>&1 &
PIDS+=($!)
busywait 20000 sh -c "ip netns exec $server ss -Hltn 'sport = :$PORT' | grep -q ."
for url in "http://198.51.100.2:$PORT/blob" "http://[2001:db8:2::2]:$PORT/blob"; do
	check_eq "curl $url: 200000 bytes through the router" 200000 \
		"$(ip netns exec "$client" curl -sf --max-time 30 -o /dev/null -w '%{size_download}' "$url")"
done
stop_bg

echo "# unload from ${SECONDS}s"
# ---- the rules go, the module unloads ------------------------------------------
for ipt in "$IPT" "$IP6T"; do
	for t in mangle filter; do
		R "$ipt" -t "$t" -F
	done
done
check_eq "status: no rule left" 0 \
	"$(C -j status | $PY -c 'import json,sys; print(json.load(sys.stdin)["rules"])' 2>/dev/null)"
check "rmmod xt_CLIPPER" busywait 10000 rmmod xt_CLIPPER
check "the module loads again" modprobe xt_CLIPPER
check_eq "dmesg is clean" "" "$(dmesg_bad)"
echo "# wirefuzz.sh took ${SECONDS}s (seed $SEED)"

ktap_finished
