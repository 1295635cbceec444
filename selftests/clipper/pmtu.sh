#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# --clamp-mss and --pmtu-guard with real TCP stacks and a real PMTU black
# hole: a narrow link on r2 whose frag-needed / packet-too-big messages
# r2 itself throws away, as an over-zealous firewall does.
#
#   +--------+ c0  a2 +----+ b2  b1 +----+ s1  s0 +--------+
#   | client |--------| r2 |--------| r1 |--------| server |
#   |   .2   |  1500  | .1 |        | .1 |        |   .2   |
#   +--------+  1400  +----+   .2   +----+        +--------+
#          192.0.2.0/24    203.0.113.0/24   198.51.100.0/24
#          2001:db8:1::/64 2001:db8:3::/64  2001:db8:2::/64
#
# r2's side of the client link has the narrow MTU (1400, 1280 in the
# 1280 case); everyone else believes in 1500, so the server's full-size
# segments vanish on r2.  The client downloads a few MB over HTTPS (curl,
# python's ssl server):
#
#  - with ICMP allowed it works, and no path is ever marked blackhole;
#  - on a lossy link (netem, 5%) false black holes stay rare (counted);
#  - with the hole and no clipper, curl gives up;
#  - with --pmtu-guard at r1, in front of the server (FORWARD), and at the
#    server itself (OUTPUT), IPv4 and IPv6, narrow MTU 1492, 1400 and 1280,
#    it completes: clipper finds the hole, tells the sender with a
#    synthesised ICMP, and the monitor sees the events;
#  - --pmtu-fix df clears DF so that r2 fragments;
#  - --pmtu-fix mss clamps the next connection's SYN to the learned MTU;
#  - --clamp-mss gives the same SYN bytes as TCPMSS (a differential test).
#
# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
require_root
require_cmd python3 iptables-nft ip6tables-nft curl openssl tc ethtool

# shellcheck source=selftests/clipper/pmtu_lib.sh
source "$(dirname "$0")/pmtu_lib.sh"
SIZE=$((3 * 1024 * 1024))

topology || { fail "topology"; ktap_finished; }
modprobe -q xt_CLIPPER
https_server || fail "the HTTPS server starts"

# ---- the setup itself -------------------------------------------------
echo "# the setup itself (at ${SECONDS} s)"
narrow 1400
t=$(fetch "$URL4" 30)
check_eq "ICMP allowed: the download completes" 0 $?
echo "# ICMP allowed: ${t}s"
server_forget
hole_on
fetch "$URL4" 8 >/dev/null
check_eq "black hole, no clipper: curl gives up" 1 $?
server_forget

# ---- healthy flows: nothing happens --------------------------------------
echo "# healthy flows: nothing happens (at ${SECONDS} s)"
hole_off
ip netns exec "$r1" "$IPT" -t mangle -A FORWARD -j CLIPPER --pmtu-guard
ip netns exec "$r1" "$IP6T" -t mangle -A FORWARD -j CLIPPER --pmtu-guard
for url in "$URL4" "$URL6" "$URL4" "$URL6"; do
	server_forget
	fetch "$url" 30 >/dev/null || fail "healthy download of $url"
done
check_eq "ICMP allowed: no path marked blackhole over 4 downloads (IPv4, IPv6)" 0 \
	"$(C1 -j stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["pmtu"].get("blackhole", 0))')"
check "... and the frag-needed that passed were seen" test \
	"$(C1 -j stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["pmtu"].get("icmp_seen", 0))')" -ge 1
C1 pmtu flush
C1 stats reset

# ---- a lossy link: losses are not a black hole -----------------------------
echo "# a lossy link: losses are not a black hole (at ${SECONDS} s)"
# 5% of what r2 sends the client is lost, whatever its size, and no ICMP is
# involved.  A resent segment lost again looks like the signature; what
# tells them apart is the SACKs of the segments that got through behind it.
pmtu_ctr() {
	C1 -j stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["pmtu"].get(sys.argv[1], 0))' "$1"
}
narrow 1500
# one packet lost at a time, as on a real link: netem drops what it is
# given, and a TSO burst of 40 segments lost at once is not that
ip netns exec "$server" ethtool -K s0 tso off gso off >/dev/null
ip netns exec "$r2" tc qdisc add dev a2 root netem loss 5%
n=0
for url in "$URL4" "$URL6" "$URL4" "$URL6"; do
	server_forget
	fetch "$url" 120 >/dev/null && n=$((n + 1))
done
ip netns exec "$r2" tc qdisc del dev a2 root
ip netns exec "$server" ethtool -K s0 tso on gso on >/dev/null
check_eq "lossy link (5%): the 4 downloads complete" 4 "$n"
lr=$(pmtu_ctr retransmits) ls=$(pmtu_ctr suspect) lb=$(pmtu_ctr blackhole)
echo "# lossy link, 5% loss, 4 x 3 MB: $lr full-size resends, $ls suspect, $(pmtu_ctr sacked) proved lost by SACK, $lb false black holes"
check "lossy link: full-size segments were lost and resent ($lr)" test "$lr" -ge 50
# A black hole is found in every download it hits (below).  Measured here:
# no false black hole in 24 lossy downloads, 2767 resends (1 in 4 downloads
# when netem dropped whole TSO bursts of up to 40 segments at once).
check "lossy link: at most one false black hole in 4 downloads ($lb)" \
	test "$lb" -le 1
C1 pmtu flush
C1 stats reset
ip netns exec "$r1" "$IPT" -t mangle -F FORWARD
ip netns exec "$r1" "$IP6T" -t mangle -F FORWARD

# ---- the repair, at r1 in front of the server and at the server ----------
echo "# the repair, at r1 in front of the server and at the server (at ${SECONDS} s)"
# r1's narrow link is beyond it, on r2, where TCPMSS at r1 cannot help.
# repair_case WHERE FAMILY URL MTU DST: WHERE is r1 (FORWARD) or server
# (OUTPUT, and INPUT for the ACKs); the rules are installed before and
# removed after.
repair_case() {
	local where=$1 fam=$2 url=$3 mtu=$4 dst=$5 t ns chains ipt c
	if [ "$where" = r1 ]; then ns=$r1 chains=FORWARD; else ns=$server chains="OUTPUT INPUT"; fi
	if [ "$fam" = IPv4 ]; then ipt=$IPT; else ipt=$IP6T; fi
	local name="$fam, MTU $mtu, --pmtu-guard at $where"
	narrow "$mtu"
	server_forget
	hole_on
	for c in $chains; do
		ip netns exec "$ns" "$ipt" -t mangle -A "$c" -j CLIPPER --pmtu-guard
	done
	ip netns exec "$ns" "$CLIPPER" pmtu flush
	ip netns exec "$ns" "$CLIPPER" monitor >"$WWW/mon" 2>&1 &
	local mon=$!
	sleep 0.5
	t=$(fetch_watched "$url" 90)
	check_eq "$name: the download completes" 0 $?
	ip netns exec "$ns" "$CLIPPER" -j pmtu list >"$WWW/list"
	for c in $chains; do
		ip netns exec "$ns" "$ipt" -t mangle -F "$c"
	done
	check_eq "$name: the client's path is listed" "$dst" \
		"$(python3 -c 'import json,sys; l=json.load(open(sys.argv[1])); print(l[0]["dst"] if l else "none")' "$WWW/list")"
	check "$name: its MTU fits the narrow link, not below 1280, icmp sent" python3 -c '
import json, sys
e = json.load(open(sys.argv[1]))[0]
sys.exit(0 if 1280 <= e["mtu"] <= int(sys.argv[2]) and "icmp" in e["fixes"] and e["detected"] else 1)' "$WWW/list" "$mtu"
	python3 -c '
import json, sys
e = json.load(open(sys.argv[1]))[0]
t = float(sys.argv[2] or 0)
print("# %s: transfer %.1f s, black hole found about %.1f s into it, mtu %d (%s), %d detection steps" %
      (sys.argv[3], t, max(t - e["detected_ms_ago"] / 1000.0, 0), e["mtu"], e["state"], e["detections"]))' \
		"$WWW/list" "$t" "$name" || true
	busywait 3000 grep -q blackhole "$WWW/mon"
	kill "$mon" 2>/dev/null
	wait "$mon" 2>/dev/null
	sed 's/^/# monitor: /' "$WWW/mon"
	check "$name: the monitor saw the black hole" \
		grep -q ' blackhole ' "$WWW/mon"
	check "$name: ... and its repair (ok)" grep -q ' ok ' "$WWW/mon"
	hole_off
}
for where in r1 server; do
	for mtu in 1492 1400 1280; do
		repair_case "$where" IPv4 "$URL4" "$mtu" 192.0.2.2
		repair_case "$where" IPv6 "$URL6" "$mtu" 2001:db8:1::2
	done
done
check "stats: black holes counted at r1" test "$(pmtu_ctr blackhole)" -ge 6
check "stats: ... and at the server" test \
	"$(CS -j stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["pmtu"].get("blackhole", 0))')" -ge 6

# ---- --pmtu-fix mss: the next connection is clamped before it starts -------
echo "# --pmtu-fix mss: the next connection is clamped before it starts (at ${SECONDS} s)"
narrow 1400
server_forget
hole_on
ip netns exec "$r1" "$IPT" -t mangle -F FORWARD
ip netns exec "$r1" "$IPT" -t mangle -A FORWARD -j CLIPPER --pmtu-guard \
	--pmtu-fix icmp,mss
C1 pmtu flush
C1 stats reset
fetch_watched "$URL4" 90 >/dev/null
check_eq "fix icmp,mss: the first download completes" 0 $?
path_key() {
	C1 -j pmtu list | python3 -c '
import json, sys
l = [e for e in json.load(sys.stdin) if e["dst"] == "192.0.2.2"]
print(l[0].get(sys.argv[1]) if l else "none")' "$1"
}
check_eq "fix mss: one sender's black hole is the flow's alone (scope flow)" \
	flow "$(path_key scope)"
# the same server again: its word alone changes no other flow's SYN
server_forget
fetch_watched "$URL4" 90 >/dev/null
check_eq "fix mss: the same sender's next download completes (repaired again)" 0 $?
check_eq "fix mss: ... its SYN was not clamped (one sender's word)" 0 \
	"$(pmtu_ctr mss_clamped)"
# a second sender (another /24) finds the same hole: the whole path
server_forget
fetch_watched "https://198.51.101.2:$PORT/blob" 90 >/dev/null
check_eq "fix mss: a second sender's download completes" 0 $?
check_eq "fix mss: confirmed by a second sender (scope path)" path \
	"$(path_key scope)"
check_eq "fix mss: ... two senders" 2 "$(path_key senders)"
d0=$(pmtu_ctr blackhole)
server_forget
t=$(fetch "$URL4" 30)
check_eq "fix mss: a new connection completes" 0 $?
echo "# with the MSS clamped from the start: ${t}s"
check_eq "fix mss: ... without a new black hole" "$d0" "$(pmtu_ctr blackhole)"
check "fix mss: ... because its SYN was clamped" test \
	"$(pmtu_ctr mss_clamped)" -ge 1
hole_off

# ---- --pmtu-fix df: r2 fragments ---------------------------------------------
echo "# --pmtu-fix df: r2 fragments (at ${SECONDS} s)"
server_forget
hole_on
ip netns exec "$r1" "$IPT" -t mangle -F FORWARD
ip netns exec "$r1" "$IPT" -t mangle -A FORWARD -j CLIPPER --pmtu-guard \
	--pmtu-fix df
C1 pmtu flush
t=$(fetch_watched "$URL4" 90)
check_eq "fix df alone: the download completes" 0 $?
echo "# DF cleared: ${t}s"
check "fix df: packets had their DF cleared" test \
	"$(C1 -j stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["pmtu"].get("df_cleared", 0))')" -ge 1
hole_off
ip netns exec "$r1" "$IPT" -t mangle -F FORWARD
ip netns exec "$r1" "$IP6T" -t mangle -F FORWARD

# ---- --clamp-mss against TCPMSS: the same SYN bytes ----------------------------
echo "# --clamp-mss against TCPMSS: the same SYN bytes (at ${SECONDS} s)"
# capture_syn URL: the flags word and the options of the next SYN that
# reaches the server, the timestamp option's values zeroed (they differ
# from one connection to the next), and csum-ok or csum-bad: the TCP
# checksum verified (the client computes full checksums: tx offload off)
capture_syn() {
	rm -f "$WWW/syn" "$WWW/syn.ready"
	# (python3 starts in seconds on a debug kernel: generous timeouts,
	# which cost nothing when it is ready sooner)
	ip netns exec "$server" timeout 60 python3 -c '
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.bind(("s0", 0))
open(sys.argv[1], "w").close()
def fold(b):
    b = b + bytes(len(b) % 2)
    v = sum(int.from_bytes(b[i:i + 2], "big") for i in range(0, len(b), 2))
    while v >> 16:
        v = (v & 0xffff) + (v >> 16)
    return v
while True:
    f = s.recv(2048)
    et = int.from_bytes(f[12:14], "big")
    ip = f[14:]
    if et == 0x0800 and ip[9] == 6:
        t = ip[(ip[0] & 15) * 4:int.from_bytes(ip[2:4], "big")]
        ph = ip[12:20] + bytes([0, 6]) + len(t).to_bytes(2, "big")
    elif et == 0x86dd and ip[6] == 6:
        t = ip[40:40 + int.from_bytes(ip[4:6], "big")]
        ph = ip[8:40] + len(t).to_bytes(4, "big") + bytes([0, 0, 0, 6])
    else:
        continue
    if not t[13] & 0x02:
        continue
    o = bytearray(t[20:(t[12] >> 4) * 4])
    i = 0
    while i < len(o) and o[i] != 0:
        if o[i] == 1:
            i += 1
            continue
        if o[i] == 8 and i + 10 <= len(o):
            o[i + 2:i + 10] = bytes(8)
        i += max(o[i + 1], 2) if i + 1 < len(o) else 1
    print(t[12:14].hex(), o.hex(),
          "csum-ok" if fold(ph + t) == 0xffff else "csum-bad")
    break' "$WWW/syn.ready" >"$WWW/syn" &
	local cap=$! i
	for i in $(seq 300); do
		[ -e "$WWW/syn.ready" ] && break
		sleep 0.1
	done
	ip netns exec "$client" curl -sk --max-time 10 -o /dev/null "${1%/blob}/small" || true
	wait "$cap"
	cat "$WWW/syn"
}
narrow 1500
ip -n "$r1" link set s1 mtu 1300	# the route MTU towards the server
ip netns exec "$client" ethtool -K c0 tx off >/dev/null
for v in 4 6; do
	sums=""
	if [ $v = 4 ]; then ipt=$IPT; url=$URL4; else ipt=$IP6T; url=$URL6; fi
	ip netns exec "$r1" "$ipt" -t mangle -A FORWARD -p tcp \
		--tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu
	a=$(capture_syn "$url")
	ip netns exec "$r1" "$ipt" -t mangle -F FORWARD
	ip netns exec "$r1" "$ipt" -t mangle -A FORWARD -j CLIPPER --clamp-mss pmtu
	b=$(capture_syn "$url")
	sums+="${b##* } "
	ip netns exec "$r1" "$ipt" -t mangle -F FORWARD
	check "IPv$v --clamp-mss pmtu: a SYN was captured" test -n "$b"
	check_eq "IPv$v --clamp-mss pmtu: the same options as TCPMSS" "$a" "$b"
	echo "# IPv$v SYN options: $b"
	ip netns exec "$r1" "$ipt" -t mangle -A FORWARD -p tcp \
		--tcp-flags SYN,RST SYN -j TCPMSS --set-mss 1000
	a=$(capture_syn "$url")
	ip netns exec "$r1" "$ipt" -t mangle -F FORWARD
	ip netns exec "$r1" "$ipt" -t mangle -A FORWARD -j CLIPPER --clamp-mss 1000
	b=$(capture_syn "$url")
	sums+="${b##* } "
	ip netns exec "$r1" "$ipt" -t mangle -F FORWARD
	check_eq "IPv$v --clamp-mss 1000: the same options as TCPMSS --set-mss" "$a" "$b"
	ip netns exec "$r1" "$ipt" -t mangle -A FORWARD -j CLIPPER --clamp-mss 9000
	b=$(capture_syn "$url")
	sums+="${b##* } "
	ip netns exec "$r1" "$ipt" -t mangle -F FORWARD
	case $v in 4) want=05b4;; 6) want=05a0;; esac
	check "IPv$v --clamp-mss 9000 never raises the MSS" \
		grep -q "0204$want" <<<"$b"
	# a local SYN: CHECKSUM_PARTIAL in OUTPUT, its sum finished by c0
	ip netns exec "$client" "$ipt" -t mangle -A OUTPUT -j CLIPPER --clamp-mss 1000
	c=$(capture_syn "$url")
	sums+="${c##* } "
	ip netns exec "$client" "$ipt" -t mangle -F OUTPUT
	check "IPv$v --clamp-mss 1000 in the client's OUTPUT (CHECKSUM_PARTIAL): MSS 1000" \
		grep -q "020403e8" <<<"$c"
	check_eq "IPv$v: the 4 SYNs clipper rewrote have right TCP checksums" \
		"csum-ok csum-ok csum-ok csum-ok " "$sums"
done
ip netns exec "$client" ethtool -K c0 tx on >/dev/null
ip -n "$r1" link set s1 mtu 1500

# ---- the settings and a full table ------------------------------------------
echo "# the settings and a full table (at ${SECONDS} s)"
check "config set pmtu-max 1 pmtu-retrans 3 pmtu-window 5000 pmtu-timeout 60000" \
	C1 config set pmtu-max 1 pmtu-retrans 3 pmtu-window 5000 pmtu-timeout 60000
check_eq "config -j shows them" "1 3 5000 60000" \
	"$(C1 -j config | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["pmtu_max"], d["pmtu_retrans"], d["pmtu_window_ms"], d["pmtu_timeout_ms"])')"
check "save prints them" grep -qx \
	"config set pmtu-max 1 pmtu-timeout 60000 pmtu-retrans 3 pmtu-window 5000" <<<"$(C1 save)"
C1 config set pmtu-retrans 0 2>/dev/null
check_eq "config set pmtu-retrans 0: a usage error" 2 $?
C1 pmtu flush
C1 stats reset
narrow 1400
ip netns exec "$r1" "$IPT" -t mangle -A FORWARD -j CLIPPER --pmtu-guard
ip netns exec "$r1" "$IP6T" -t mangle -A FORWARD -j CLIPPER --pmtu-guard
for url in "$URL4" "$URL6"; do
	server_forget
	fetch "$url" 30 >/dev/null || fail "download of $url with a full path table"
done
ip netns exec "$r1" "$IPT" -t mangle -F FORWARD
ip netns exec "$r1" "$IP6T" -t mangle -F FORWARD
check_eq "pmtu-max 1: one path learned from the ICMP that passed" 1 \
	"$(C1 -j pmtu list | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
check "pmtu-max 1: the other one counted as table_full" test "$(pmtu_ctr table_full)" -ge 1
# a path that does not change for pmtu-timeout is forgotten, so that a
# larger MTU is tried again (the table is aged every 2 s)
C1 config set pmtu-timeout 1000
check "pmtu-timeout 1000: the path is forgotten within 4 s" \
	busywait 4000 sh -c '[ "$(ip netns exec "$0" "$1" -j pmtu list)" = "[]" ]' "$r1" "$CLIPPER"
C1 config set pmtu-max 4096 pmtu-retrans 2 pmtu-window 10000 pmtu-timeout 600000
C1 pmtu flush

check "dmesg is clean" test -z "$(dmesg_bad)"
ktap_finished
