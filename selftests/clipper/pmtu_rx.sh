#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PMTU black holes seen from the receiving side (issue 25): clipper runs
# on the client's gateway only, and the narrow link whose frag-needed /
# packet-too-big are thrown away lies beyond it, between the server and
# the gateway (pmtu_rx_lib.sh: client - gw - ra - rb - server, the narrow
# MTU on rb's side of the ra - rb link, gw a home router doing MASQUERADE
# for IPv4 and routing IPv6).  The server's full-size segments vanish
# before they reach the gateway; only what the receiving side shows (the
# gaps in what arrives, the client's ACKs and SACKs, the sizes that do
# arrive, the server's answers to a probe) tells the gateway, and its
# repair is a frag-needed / packet-too-big it builds for the server.
# Documentation/pmtu.rst ("Finding a black hole from the receiving
# side") says what it does.  PMTU_RX_PARTS="2 3" runs those parts only,
# PMTU_RX_MTUS the narrow MTUs of part 3.
#
# At the gateway: -t mangle -A FORWARD -j CLIPPER --clamp-mss pmtu
# --pmtu-guard, for iptables and ip6tables.  IPv4 and IPv6 downloads run
# at once in every case; "# ..." lines are measurements (time to first
# byte, total time, what the gateway knew).
#
#  1. without clipper: with the ICMP allowed the narrow link works; with
#     the hole the download stalls (curl gives up), so the test can fail;
#  2. what is not a black hole changes nothing at the gateway (no path
#     blackhole, stuck or with an MTU, no ICMP sent, no MTU at the
#     server): a server silent 10 s before it answers, a response smaller
#     than one segment (on a healthy path, and through the hole), an
#     outage of 2.5 s, a lossy link (5%);
#  3. iptables-nft: narrow at 1492, 1400 and 1280 from the start, a
#     response whose first flight vanished but for its small last segment
#     (the gateway saw nothing of the flow before the gap), a path that
#     narrows mid-download, a stuck segment (one IP length band
#     dropped upstream): the downloads complete, the server was told;
#     and the ICMP toward the server filtered on the way as well: the
#     first download may stall, pmtu list and the monitor say that the
#     live flow could not be repaired, the next download completes
#     because its SYN was clamped; after pmtu-timeout the clamp is gone
#     with the path (widening);
#  4. iptables-legacy: narrow at 1492, 1400 and 1280.
#
# Under QEMU's TCG every command started costs about half a second: the
# whole test takes about 6 minutes (a repaired download about 5 s, the
# one whose ICMP is filtered its whole 30 s).
#
# shellcheck source-path=SCRIPTDIR
# shellcheck disable=SC2317,SC2016
source "$(dirname "$0")/lib.sh"
require_root
require_cmd python3 iptables-nft ip6tables-nft iptables-legacy \
	ip6tables-legacy curl openssl tc ethtool jq ss
source "$(dirname "$0")/pmtu_rx_lib.sh"
# A known defect (issue 21's note of 7 December): an IPv6 download through
# the narrowed link stalled unrepaired, nothing declared, in three runs on
# 7.3 ("narrow 1280" twice, "narrowing to 1400" once; no probe refused
# for PAWS in the last); its download and declaration checks are
# expected failures until it is understood.
RX_XFAIL_V6="issue 21: an IPv6 download stalls unrepaired on 7.3 now and then"

SIZE=$((1024 * 1024))	# the blob
MAXT=25			# seconds a download that clipper repairs may take
MON=""
EV=""

# ---- helpers ----------------------------------------------------------------

# facts: what the gateway knows, in F (one jq for all of it): c_NAME (its
# pmtu counters), ctrs (those not 0, "name=value ..."), paths (its
# entries, a JSON line each), bad (the entries in state blackhole or
# stuck, with an MTU or with an ICMP sent); for V in 4 and 6, of the
# entry of the client's address (CLI4, CLI6: as the rule in FORWARD sees
# it, before MASQUERADE): mtu_V, state_V, icmp_V (icmp_sent), unrep_V
# (unrepaired: flows whose repair did not take), stucklen_V
declare -A F
facts() {
	local st li k v
	F=()
	st=$(CG -j stats) || return 1
	li=$(CG -j pmtu list) || return 1
	while IFS=$'\t' read -r k v; do
		if [ "$k" = path ]; then
			F[paths]+="$v"$'\n'
		else
			F[$k]=$v
		fi
	done <<<"$(jq -rn --argjson s "$st" --argjson l "$li" --arg a "$CLI4" \
		--arg b "$CLI6" '
		($s.pmtu // {}) as $p |
		($p | to_entries[] | "c_\(.key)\t\(.value)"),
		"ctrs\t\($p | to_entries | map(select(.value != 0) |
			"\(.key)=\(.value)") | join(" "))",
		($l[] | "path\t\(tojson)"),
		"bad\t\($l | map(select(.state == "blackhole" or
			.state == "stuck" or .mtu != 0 or
			(.icmp_sent // 0) != 0) | tojson) | join(" "))",
		((["4", $a], ["6", $b]) as [$v, $d] |
		 ($l | map(select(.dst == $d))) as $e |
		 "mtu_\($v)\t\($e[0].mtu // 0)",
		 "state_\($v)\t\($e[0].state // "none")",
		 "icmp_\($v)\t\($e[0].icmp_sent // 0)",
		 "unrep_\($v)\t\($e[0].unrepaired // 0)",
		 "stucklen_\($v)\t\($e[0].stuck_len // 0)")')"
}
# show NAME: print what facts read
show() {
	local l
	echo "# $1: gateway counters: ${F[ctrs]:-all 0}"
	[ -n "${F[paths]}" ] || return 0
	while IFS= read -r l; do
		echo "# $1: path: $l"
	done <<<"${F[paths]%$'\n'}"
}

# What the server's TCP did with segments it would not take (the probes
# among them): its TcpExt counters that count an out-of-window or PAWS
# refusal, absolute, for the log.
# server_tcpext NAMES: those of the server's TcpExt counters (an ERE of
# names), as NAME=VALUE, absolute
server_tcpext() {
	ip netns exec "$server" nstat -asz 2>/dev/null |
		awk -v re="^TcpExt($1)\$" '$1 ~ re {
			printf "%s%s=%s", n++ ? " " : "", substr($1, 7), $2 }'
}
server_refusals() {
	server_tcpext 'PAWSEstab|PAWSOldAck|TCPACKSkippedSeq|TCPACKSkippedPAWS|BeyondWindow'
}

# the server's PAWS refusals so far: a probe with a TSval older than the
# server holds of the client fails the check (PAWSEstab), and from Linux
# 6.14 on goes unanswered (PAWSOldAck)
server_paws() {
	server_tcpext 'PAWSEstab|PAWSOldAck' |
		awk -v RS=' ' -F= '{ n += $2 } END { print n + 0 }'
}

# a clean slate at the gateway and in the server's stack
fresh() {
	CG pmtu flush
	CG stats reset
	server_forget
	PAWS0=$(server_paws)
}

# paws_clean NAME: no probe of the case failed the server's PAWS check
paws_clean() {
	local n
	n=$(($(server_paws) - PAWS0))
	# A known defect (issue 21's note of 7 December): the server
	# refused probes for PAWS in a "narrow" case in two runs of three
	# on 5.10 and in one of two on 7.3 (where 6.14 and later drop such
	# a probe unanswered).
	xfail_begin "issue 21: a probe's TSval older than the server's ts_recent"
	check_eq "$1: the server refused no probe for PAWS (PAWSEstab, PAWSOldAck)" 0 "$n"
	xfail_end
}

# quiet NAME: nothing happened at the gateway, nothing reached the server
quiet() {
	facts || { fail "$1: clipper answers at the gateway"; return; }
	show "$1"
	check_eq "$1: no path in state blackhole or stuck, with an MTU or an ICMP sent" \
		"" "${F[bad]}"
	check_eq "$1: counters blackhole, stuck and icmp_sent are 0" "0 0 0" \
		"${F[c_blackhole]:-0} ${F[c_stuck]:-0} ${F[c_icmp_sent]:-0}"
	check "$1: the server's routes to the client carry no MTU" server_no_mtu
}

# repaired NAME MTU: per family, the client's path was declared and the
# server told, with an MTU that fits the narrow link and is not below 1280
repaired() {
	local v
	facts || { fail "$1: clipper answers at the gateway"; return; }
	show "$1"
	for v in 4 6; do
		[ "$v" = 6 ] && [ -n "${RX_XFAIL_V6:-}" ] && xfail_begin "$RX_XFAIL_V6"
		check "$1: IPv$v: the server was told, MTU 1280..$2 (icmp_sent ${F[icmp_$v]}, mtu ${F[mtu_$v]}, ${F[state_$v]})" \
			test "${F[icmp_$v]}" -ge 1 -a "${F[mtu_$v]}" -ge 1280 \
			-a "${F[mtu_$v]}" -le "$2"
		xfail_end
	done
	echo "# $1: the server's refusals: $(server_refusals)"
	paws_clean "$1"
}

# acked_both N: both of the server's HTTPS downloads had N bytes
# acknowledged (established connections only: a stalled one of an
# earlier case that the client gave up is not)
acked_both() {
	ip netns exec "$server" ss -Hti state established "sport = :$PORT" |
		awk -v n="$1" '{ for (i = 1; i <= NF; i++)
			if ($i ~ /^bytes_acked:/) { split($i, a, ":"); if (a[2] + 0 >= n) c++ } }
			END { exit !(c >= 2) }'
}

# the gateway's events while a case runs: monitor_on; monitor_off sets EV
# (the path of each event, a JSON line each) and prints them
monitor_on() {
	# not through CG: $! must be the monitor itself, not a subshell
	"$CLIPPER" -n "$gw" -j monitor >"$WWW/mon" 2>&1 &
	MON=$!
	PIDS+=("$MON")
	sleep 1
}
monitor_off() {
	local l
	sleep 0.5
	kill "$MON" 2>/dev/null
	wait "$MON" 2>/dev/null
	EV=$(jq -c -R 'fromjson? // empty | .path // empty' "$WWW/mon")
	[ -n "$EV" ] || return 0
	while IFS= read -r l; do
		echo "# $1: monitor: $l"
	done <<<"$EV"
}
# ev_has FILTER ARGS...: an event's path matches the jq FILTER
ev_has() {
	local f=$1
	shift
	jq -e -s "$@" "map(select($f)) | length > 0" <<<"$EV" >/dev/null
}

# repair_case NAME MTU: narrow at MTU with the hole from the start
repair_case() {
	local name=$1
	fresh
	hole_rx_on
	narrow_rx "$2"
	fetch_both r "$URL4" "$URL6" "$SIZE" "$SIZE" "$MAXT"
	fetch_report r "$name"
	hole_rx_off
	narrow_rx 1500
	repaired "$name" "$2"
}

# ---- the network --------------------------------------------------------------

if ! topology_rx; then
	fail "topology"
	ktap_finished
fi
modprobe -q xt_CLIPPER
https_server || fail "the HTTPS server starts"
plain_server
busywait 60000 servers_listening || fail "the servers listen"

# part N: run part N (PMTU_RX_PARTS="1 3": those only; default all)
part() { [[ " ${PMTU_RX_PARTS:-1 2 3 4} " == *" $1 "* ]]; }

# ---- 1. without clipper -------------------------------------------------------
if part 1; then
echo "# 1. without clipper (at ${SECONDS} s)"
gw_rules nft || fail "the gateway's NAT rules (nft)"
narrow_rx 1400
name="narrow 1400, ICMP allowed, no clipper"
fetch_both i "$URL4" "$URL6" "$SIZE" "$SIZE" 30
fetch_report i "$name"
server_forget
hole_rx_on
name="narrow 1400, the hole, no clipper"
fetch_both b "$URL4" "$URL6" "$SIZE" "$SIZE" 10
for v in 4 6; do
	fetch_wait "b$v"
	echo "# $name: IPv$v: $FB bytes in $FTOT s"
	check_eq "$name: the IPv$v download stalls (curl gives up)" 1 "$FR"
done
hole_rx_off
narrow_rx 1500

fi

# ---- 2. what is not a black hole -----------------------------------------------
gw_rules nft clipper || fail "the gateway's rules (nft)"
if part 2; then
echo "# 2. what is not a black hole (at ${SECONDS} s)"

# A server that thinks for 10 s before it answers: the request was
# acknowledged and nothing comes, nothing is in flight either (a probe's
# answer would say so).
name="a server silent ${SILENT_S} s"
fresh
fetch_both s "$SILENT4" "$SILENT6" "$SILENT_BYTES" "$SILENT_BYTES" 60
fetch_report s "$name"
for v in 4 6; do
	check "$name: IPv$v: the first byte came after ${SILENT_S} s (${RES_TT[$v]})" \
		awk -v t="${RES_TT[$v]}" -v s="$SILENT_S" 'BEGIN { exit !(t + 0 >= s) }'
done
quiet "$name"

# Responses of one segment: no full-size segment ever comes, none is
# missing.  On a healthy path, and through the hole (it passes).
name="a response smaller than one segment"
fresh
fetch_both m "$SMALL4" "$SMALL6" 6 6 20
fetch_report m "$name"
quiet "$name"
name="a response smaller than one segment, through the hole (1400)"
fresh
hole_rx_on
narrow_rx 1400
fetch_both m "$SMALL4" "$SMALL6" 6 6 20
fetch_report m "$name"
hole_rx_off
narrow_rx 1500
quiet "$name"

# An outage of 2.5 s on the ra - rb link, both ways, during the downloads
# (1 MB at 1 Mbit/s each: about 9 s, and the outage): the server's
# resends vanish, and nothing answers a probe either.
name="an outage of 2.5 s"
fresh
rate_on 1mbit
fetch_both o "$URL4" "$URL6" "$SIZE" "$SIZE" 60
busywait 15000 acked_both 65536
hit=0
fetch_running o4 && fetch_running o6 && hit=$((hit + 1))
outage_on
sleep 2.5
outage_off
fetch_running o4 && fetch_running o6 && hit=$((hit + 1))
fetch_report o "$name"
rate_off
check_eq "$name: it came while both downloads ran" 2 "$hit"
quiet "$name"

# A lossy link: 5% of the segments lost each way on the ra - rb link, one
# at a time; full-size segments keep arriving around the lost ones.
name="a lossy link (5%)"
fresh
lossy_on
fetch_both l "$URL4" "$URL6" "$SIZE" "$SIZE" 90
fetch_report l "$name"
lossy_off
quiet "$name"

fi

# ---- 3. the repair, iptables-nft --------------------------------------------------
if part 3; then
echo "# 3. the repair, iptables-nft (at ${SECONDS} s)"
for mtu in ${PMTU_RX_MTUS:-1492 1400 1280}; do
	repair_case "nft, narrow $mtu" "$mtu"
done

# A response whose first flight vanished but for its small last segment
# (/first: nine full-size segments and a short tenth in one write): the
# gateway sees no segment of the flow before the gap, only the one after
# it, and the client's ACK, which is still at the response's first byte.
# The server's segments go out one by one, as on a wire (with TSO the
# flight is one packet, which rb throws away whole).
name="nft, only the first flight's small last segment passed (narrow 1400)"
fresh
ip netns exec "$server" ethtool -K s0 tso off gso off >/dev/null
hole_rx_on
narrow_rx 1400
fetch_both f "$FIRST4" "$FIRST6" "$FIRST_BYTES4" "$FIRST_BYTES6" "$MAXT"
fetch_report f "$name"
hole_rx_off
narrow_rx 1500
ip netns exec "$server" ethtool -K s0 tso on gso on >/dev/null
repaired "$name" 1400

# The link narrows (1400, and the hole) while the downloads run: 1 MB at
# 1 Mbit/s each, narrowed once 128 KB of each were acknowledged.  The
# hole first: a frag-needed that rb sent before it would teach the server.
name="nft, narrowing to 1400 mid-download"
fresh
rate_on 1mbit
fetch_both d "$URL4" "$URL6" "$SIZE" "$SIZE" 40
busywait 15000 acked_both 131072
running=0
fetch_running d4 && fetch_running d6 && running=1
hole_rx_on
narrow_rx 1400
fetch_report d "$name"
rate_off
hole_rx_off
narrow_rx 1500
check_eq "$name: both downloads were running when the link narrowed" 1 "$running"
repaired "$name" 1400

# A stuck segment: rb drops what it sends toward ra of IP length
# STUCK_LEN..STUCK_LEN+10, nothing else; /chunks sends full-size segments
# (they pass), then segments of STUCK_LEN one at a time.  The gateway saw
# longer segments of the flow arrive: not a path MTU problem (state
# stuck), repaired by telling the server a smaller size.
#
# The probes must carry R's latest TSval: an older one fails the server's
# PAWS check, and Linux 6.14 and later drop such an old ACK unanswered
# (PAWSOldAck; 6.12 and earlier answered it), so the download stalled on
# 7.x.  The server's refusal counters are printed before and after.
name="nft, a stuck segment (IP length $STUCK_LEN dropped upstream)"
fresh
stuck_on "$STUCK_LEN"
monitor_on
echo "# $name: the server's refusals before: $(server_refusals)"
fetch_both k "$CHUNKS4" "$CHUNKS6" "$CHUNKS_BYTES4" "$CHUNKS_BYTES6" "$MAXT"
fetch_report k "$name"
echo "# $name: the server's refusals after: $(server_refusals)"
paws_clean "$name"
monitor_off "$name"
for ipt in "$IPT" "$IP6T"; do
	drops=$(ip netns exec "$rb" "$ipt" -L FORWARD -v -x -n | awk '$3 == "DROP" { print $1 }')
	check "$name: $ipt: rb dropped segments of the band (${drops:-0})" test "${drops:-0}" -ge 1
done
stuck_off
facts
show "$name"
for v in 4 6; do
	if [ $v = 4 ]; then d=$CLI4; else d=$CLI6; fi
	check "$name: IPv$v: state stuck, stuck_len $STUCK_LEN..$((STUCK_LEN + 10)) (monitor)" \
		ev_has '.dst == $d and .state == "stuck" and .stuck_len >= $lo and .stuck_len <= $lo + 10' \
		--arg d "$d" --argjson lo "$STUCK_LEN"
	check "$name: IPv$v: no path MTU learned from it (${F[mtu_$v]})" test "${F[mtu_$v]}" = 0
done

# The ICMP toward the server is thrown away on the way as well (at ra):
# the gateway's repair cannot reach the server.  The first download may
# stall; the gateway must say so (pmtu list, monitor: "unrepaired"), and
# clamp the MSS of the next connection's SYN so that it completes.
name="nft, ICMP toward the server filtered too (1400)"
fresh
hole_rx_on
narrow_rx 1400
icmp_filter_toward_server_on
monitor_on
fetch_both f "$URL4" "$URL6" "$SIZE" "$SIZE" 30
fetch_report f "$name, 1st download" nocheck
facts
show "$name, after the 1st"
clamped=${F[c_mss_clamped]:-0}
for v in 4 6; do
	check "$name: IPv$v: pmtu list says the live flow could not be repaired (unrepaired ${F[unrep_$v]})" \
		test "${F[unrep_$v]}" -ge 1
done
fetch_both f "$URL4" "$URL6" "$SIZE" "$SIZE" "$MAXT"
fetch_report f "$name, 2nd download"
monitor_off "$name"
icmp_filter_toward_server_off
hole_rx_off
narrow_rx 1500
facts
show "$name, after the 2nd"
for v in 4 6; do
	if [ $v = 4 ]; then d=$CLI4; else d=$CLI6; fi
	check "$name: IPv$v: the monitor said the live flow could not be repaired" \
		ev_has '.dst == $d and (.unrepaired // 0) >= 1' --arg d "$d"
done
check "$name: the 2nd downloads' SYNs were clamped (mss_clamped $clamped -> ${F[c_mss_clamped]:-0})" \
	test "${F[c_mss_clamped]:-0}" -ge $((clamped + 2))

# Widening: the clamp goes with the path after pmtu-timeout (the link is
# wide again); the next connection to the server is not clamped.
name="nft, the clamp forgotten after pmtu-timeout"
CG config set pmtu-timeout 5000
gone() { facts && [ "${F[mtu_4]}" = 0 ] && [ "${F[mtu_6]}" = 0 ]; }
t0=$SECONDS
check "$name: within 20 s the client's paths keep no MTU" busywait 20000 gone
echo "# $name: after $((SECONDS - t0)) s"
clamped=${F[c_mss_clamped]:-0}
fetch_both w "$URL4" "$URL6" "$SIZE" "$SIZE" "$MAXT"
fetch_report w "$name"
facts
check_eq "$name: the SYNs were not clamped" "$clamped" "${F[c_mss_clamped]:-0}"
CG config set pmtu-timeout 600000

fi

# ---- 4. iptables-legacy ------------------------------------------------------------
if part 4; then
echo "# 4. the repair, iptables-legacy (at ${SECONDS} s)"
gw_rules legacy clipper || fail "the gateway's rules (legacy)"
for mtu in 1492 1400 1280; do
	repair_case "legacy, narrow $mtu" "$mtu"
done

fi

check "dmesg is clean" test -z "$(dmesg_bad)"
ktap_finished
