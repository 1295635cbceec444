#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# --pmtu-guard on a bad day (issue 20): what is not a black hole must not
# be taken for one, forged input must teach nothing, and a real black hole
# must cost little time.  pmtu.sh's network (pmtu_lib.sh: client - r2 -
# r1 - server, the narrow link on r2, whose own frag-needed / packet-too-
# big hole_on throws away), plus a namespace "evil" behind r1 with a
# second server address (198.51.100.3, 2001:db8:2::3: host routes on r1's
# e1):
#
#  1. outages of 1, 2.5 and 5 s during a download, no MTU problem;
#  2. nine outages of 1 s, 1 s apart, in one download;
#  3. a lossy link (5%), four downloads;
#     after each: no path in state blackhole or stuck, no MTU learned, no
#     black hole counted, no ICMP sent, no route MTU on the server, and a
#     new connection gets the full MSS (the SYN/ACK's at the client, and
#     TCP_MAXSEG of the server's socket: the client's SYN's after any
#     clamping, within the server's route MTU);
#  4. forged input: (a) replays of segments the client acknowledged are
#     counted as such, (b) a hostile server whose full-size segments die
#     behind r1 (TTL 2) does not narrow the real server's path, (c) a
#     frag-needed / packet-too-big about no flow teaches nothing;
#  5. how long a black hole stalls a download: a path that narrows mid-
#     download, one narrow from the start (1400, 1280);
#  6. widening: a repaired path is forgotten after pmtu-timeout, the next
#     connection gets the full MSS;
#  7. a stuck segment: one IP length band dropped by r2, no MTU problem;
#  8. iptables-legacy: the outage and the repair, clipper in user chains
#     while it sends ICMP and copies from inside the traversal (the jump
#     stack), and a repair with --pmtu-fix df while an AF_PACKET tap on r1
#     makes the forwarded packets clones.
#
# PMTU_BAD_PARTS="8b 8c" runs only those parts (a number: the whole part;
# 4a-4c and 8a-8c: replays, hostile server, unrelated ICMP; outages,
# user chains, df with a tap); the network and the first check of the
# full MSS come before any.
#
# With --pmtu-guard --pmtu-fix icmp,mss at r1 (mangle FORWARD) and at the
# server (mangle OUTPUT and INPUT), iptables-nft but for 8; IPv4 and IPv6
# in every test, their downloads at once.  In 1-4 both guards run at once
# (each has its own namespace, table and counters, and in 1-3 neither may
# act); in 5-7 one at a time.  Measurements are "# ..." lines.
# pmtu_bad.py has the packet tools (standard library only).
#
# Under QEMU's TCG every command started costs about half a second: the
# checks read each guard's counters and paths once (facts), and the
# packet tools run for a whole part where they can.
#
# shellcheck source-path=SCRIPTDIR
# shellcheck disable=SC2317,SC2016
source "$(dirname "$0")/lib.sh"
require_root
require_cmd python3 iptables-nft ip6tables-nft iptables-legacy \
	ip6tables-legacy curl openssl tc ethtool jq
source "$(dirname "$0")/pmtu_lib.sh"

SIZE=$((2 * 1024 * 1024))	# the blob
MID=$((1024 * 1024))		# the file "mid"
PY=python3
HELPER=$TOP/selftests/clipper/pmtu_bad.py
MSSPORT=9001
CHUNKPORT=9002
EVILPORT=8080
CLI4=192.0.2.2
CLI6=2001:db8:1::2
SRV4=198.51.100.2
SRV6=2001:db8:2::2
EVIL4=198.51.100.3
EVIL6=2001:db8:2::3
URLM4=https://$SRV4:$PORT/mid
URLM6="https://[$SRV6]:$PORT/mid"
# the guard's iptables: nft, legacy in part 8
GIPT=$IPT
GIP6T=$IP6T
evil=""
COUNTERS=(retransmits suspect sacked probes probe_passed outage replayed
	  blackhole stuck flow_fixed icmp_sent icmp_unrelated mss_clamped)

# The parts to run (PMTU_BAD_PARTS, default all): a number is a whole
# part; 4a, 4b, 4c and 8a, 8b, 8c are the cases of parts 4 and 8.
PARTS=${PMTU_BAD_PARTS:-1 2 3 4 5 6 7 8}
for p in $PARTS; do
	case $p in
	[1-8] | 4[abc] | 8[abc]) ;;
	*) fail "PMTU_BAD_PARTS: no part $p"; ktap_finished ;;
	esac
done
[ -z "${PMTU_BAD_PARTS:-}" ] || echo "# PMTU_BAD_PARTS: $PARTS"
# want PART: PART (3, 4b) is to run; a number alone: any case of it
want() {
	local p
	for p in $PARTS; do
		if [ "$p" = "$1" ] || [ "$p" = "${1%[abc]}" ] || [ "${p%[abc]}" = "$1" ]; then
			return 0
		fi
	done
	return 1
}

# ---- helpers ----------------------------------------------------------------

# the guard's namespace: r1 or server
gns() { if [ "$1" = r1 ]; then echo "$r1"; else echo "$server"; fi; }
# G WHERE ARGS...: clipper at r1 or the server
G() { local ns; ns=$(gns "$1"); shift; "$CLIPPER" -n "$ns" "$@"; }
# ct_invalid WHERE: the packets conntrack found invalid there, all CPUs
ct_invalid() {
	ip netns exec "$(gns "$1")" conntrack -S |
		awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^invalid=/) n += substr($i, 9) } END { print n + 0 }'
}

# facts WHERE: what the guard knows, in F (no process substitution: the
# VM's /dev has no /dev/fd): c_NAME (its pmtu counters),
# ctrs (COUNTERS as "name=value ..."), paths (its entries, a JSON line
# each), learned (the entries with an MTU); for V in 4 and 6 (CLI4,
# CLI6): bad_V (the entries of that path in state blackhole or stuck or
# with an MTU), mtu_V, state_V, scope_V, icmp_V (icmp_sent) of its entry
declare -A F
facts() {
	local st li k v
	F=()
	st=$(G "$1" -j stats) || return 1
	li=$(G "$1" -j pmtu list) || return 1
	while IFS=$'\t' read -r k v; do
		if [ "$k" = path ]; then
			F[paths]+="$v"$'\n'
		else
			F[$k]=$v
		fi
	done <<<"$(jq -rn --argjson s "$st" --argjson l "$li" --arg a "$CLI4" \
		--arg b "$CLI6" --arg c "${COUNTERS[*]}" '
		($s.pmtu // {}) as $p |
		($p | to_entries[] | "c_\(.key)\t\(.value)"),
		"ctrs\t\($c | split(" ") | map("\(.)=\($p[.] // 0)") | join(" "))",
		($l[] | "path\t\(tojson)"),
		"learned\t\($l | map(select(.mtu != 0) | tojson) | join(" "))",
		((["4", $a], ["6", $b]) as [$v, $d] |
		 ($l | map(select(.dst == $d))) as $e |
		 "bad_\($v)\t\($e | map(select(.state == "blackhole" or
			.state == "stuck" or .mtu != 0) | tojson) | join(" "))",
		 "mtu_\($v)\t\($e[0].mtu // 0)",
		 "state_\($v)\t\($e[0].state // "none")",
		 "scope_\($v)\t\($e[0].scope // "none")",
		 "icmp_\($v)\t\($e[0].icmp_sent // 0)")')"
}
# show NAME: print what facts read
show() {
	echo "# $1: ${F[ctrs]}"
	[ -z "${F[paths]}" ] || printf '%s' "${F[paths]}" | sed "s/^/# $1: path: /"
}

# guard_on WHERE [FIX]: the rules, both families; guard_off WHERE
guard_on() {
	local ns chains c ipt r
	ns=$(gns "$1")
	if [ "$1" = r1 ]; then chains=FORWARD; else chains="OUTPUT INPUT"; fi
	r="*mangle"$'\n'
	for c in $chains; do
		r+="-A $c -j CLIPPER --pmtu-guard --pmtu-fix ${2:-icmp,mss}"$'\n'
	done
	r+="COMMIT"
	for ipt in "$GIPT" "$GIP6T"; do
		ip netns exec "$ns" "$ipt-restore" --noflush <<<"$r" || return 1
	done
}
guard_off() {
	local ns ipt
	ns=$(gns "$1")
	for ipt in "$GIPT" "$GIP6T"; do
		ip netns exec "$ns" "$ipt" -t mangle -F
	done
}
# guards_both: the rules at r1 and at the server that parts 1 to 4 share,
# from the first of them that runs to the end of part 4
both_on=""
guards_both() {
	[ -z "$both_on" ] || return 0
	guard_on r1 || fail "the rules at r1"
	guard_on server || fail "the rules at the server"
	both_on=1
}
# a clean slate at both guards and in the server's stack (as
# server_forget, in one command)
fresh() {
	local w
	for w in r1 server; do
		G "$w" pmtu flush
		G "$w" stats reset
	done
	ip -n "$server" -batch - <<-EOF
		route flush cache
		route replace default via 198.51.100.1
		route replace ::/0 via 2001:db8:2::1
	EOF
}

# The link r2 - r1 down (both ways, silently) and up again, both ends at
# once.  (ip link set down would take the routes and IPv6 addresses with
# it.)
link_down() {
	tc -n "$r2" qdisc add dev b2 root netem loss 100% &
	tc -n "$r1" qdisc add dev b1 root netem loss 100%
	wait $!
}
link_up() {
	tc -n "$r2" qdisc del dev b2 root &
	tc -n "$r1" qdisc del dev b1 root
	wait $!
}
# rate_on RATE: r2 sends the client at most RATE of IPv4 and RATE of IPv6
# (a queue of 64 KB each): the two downloads take the same time
rate_on() {
	tc -n "$r2" -batch - <<-EOF
		qdisc add dev a2 root handle 1: prio bands 2 priomap 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1
		qdisc add dev a2 parent 1:1 handle 10: tbf rate $1 burst 16k limit 64k
		qdisc add dev a2 parent 1:2 handle 20: tbf rate $1 burst 16k limit 64k
		filter add dev a2 parent 1: protocol ip prio 1 matchall flowid 1:1
		filter add dev a2 parent 1: protocol ipv6 prio 2 matchall flowid 1:2
	EOF
}
rate_off() { tc -n "$r2" qdisc del dev a2 root 2>/dev/null; }
# segments as TCP makes them, one at a time, for r2's rules and netem
offload_off() {
	ip netns exec "$server" ethtool -K s0 tso off gso off >/dev/null
	ip netns exec "$r2" ethtool -K b2 gro off >/dev/null 2>&1
}
offload_on() { ip netns exec "$server" ethtool -K s0 tso on gso on >/dev/null; }

# fetch_bg NAME URL BYTES MAXTIME: fetch in the background; fetch_wait
# NAME waits (not in a subshell: wait needs its parent), sets FT to the
# seconds and fails as fetch did
declare -A FPID
FT=""
fetch_bg() {
	rm -f "$WWW/$1.res"
	{ t=$(fetch "$2" "$4" "$3"); echo "$? $t" >"$WWW/$1.res"; } &
	FPID[$1]=$!
}
fetch_running() { kill -0 "${FPID[$1]}" 2>/dev/null; }
fetch_wait() {
	local rc
	FT=""
	wait "${FPID[$1]}"
	read -r rc FT <"$WWW/$1.res" || return 1
	return "$rc"
}
# fetch_both NAME URL4 URL6 BYTES MAXTIME: IPv4 and IPv6 at once; then
# fetch_checked NAME DESC checks both
fetch_both() {
	fetch_bg "${1}4" "$2" "$4" "$5"
	fetch_bg "${1}6" "$3" "$4" "$5"
}
fetch_checked() {
	local v
	for v in 4 6; do
		fetch_wait "$1$v"
		check_eq "$2: the IPv$v download completes" 0 $?
		echo "# $2: IPv$v download ${FT:-failed} s"
	done
}

# no_route_mtu DST: the server's stack learned no MTU towards DST
no_route_mtu() {
	local r
	r=$(ip -n "$server" route get "$1") || return 1
	if grep -q ' mtu ' <<<"$r"; then echo "$r"; return 1; fi
}

# new_conn_mss: a new connection from the client to the server per family:
# "ADDR SYNACK SERVER": the MSS option of the SYN/ACK at the client, and
# TCP_MAXSEG of the server's socket (its peer's SYN's MSS, after any
# clamping, and its route's MTU, less the timestamps' 12)
new_conn_mss() {
	local out a m lp p v s
	out=$(ip netns exec "$client" timeout 60 "$PY" "$HELPER" mss-client c0 \
		"$MSSPORT" "$SRV4" "$SRV6") || return 1
	while read -r a m lp; do
		s=""
		for _ in $(seq 50); do
			while read -r p v; do
				[ "$p" = "$lp" ] && s=$v
			done <"$WWW/mss.log"
			[ -n "$s" ] && break
			sleep 0.1
		done
		echo "$a $m ${s:-none}"
	done <<<"$out"
}
check_full_mss() {
	local out
	out=$(new_conn_mss)
	sed "s/^/# $1: a new connection: SYN\/ACK MSS, server's MSS: /" <<<"$out"
	check_eq "$1: a new IPv4 connection: SYN/ACK MSS 1460, the server sends 1448" \
		"$SRV4 1460 1448" "$(grep "^$SRV4 " <<<"$out")"
	check_eq "$1: a new IPv6 connection: SYN/ACK MSS 1440, the server sends 1428" \
		"$SRV6 1440 1428" "$(grep "^$SRV6 " <<<"$out")"
}

# healthy NAME WHERE...: the checks after a bad day without an MTU
# problem, at each guard, and of the server's stack and a new connection
healthy() {
	local name=$1 w d v
	shift
	for w in "$@"; do
		facts "$w" || fail "$name: at $w: clipper answers"
		show "$name: at $w"
		for v in 4 6; do
			if [ $v = 4 ]; then d=$CLI4; else d=$CLI6; fi
			check_eq "$name: at $w: no path to $d in state blackhole or stuck or with an MTU" \
				"" "${F[bad_$v]}"
		done
		check_eq "$name: at $w: counters blackhole and icmp_sent are 0" "0 0" \
			"${F[c_blackhole]:-0} ${F[c_icmp_sent]:-0}"
	done
	for d in "$CLI4" "$CLI6"; do
		check "$name: the server's route to $d has no MTU" no_route_mtu "$d"
	done
	check_full_mss "$name"
}

# outage_case NAME GAP DOWN...: both downloads of the blob (2 MB) through
# r2 at 1.5 Mbit/s each (about 11 s), the link r2 - r1 down for each DOWN
# seconds, GAP seconds of link between them; the guards are on
outage_case() {
	local name=$1 gap=$2 d n=0 hit=0
	shift 2
	fresh
	rate_on 1500kbit
	fetch_both o "$URL4" "$URL6" "$SIZE" 120
	sleep "$gap"
	for d in "$@"; do
		n=$((n + 1))
		fetch_running o4 && fetch_running o6 && hit=$((hit + 1))
		link_down
		sleep "$d"
		link_up
		sleep "$gap"
	done
	fetch_checked o "$name"
	rate_off
	check_eq "$name: the $n outages came while both downloads ran" "$n" "$hit"
}

# ---- the network ----------------------------------------------------------------

evil_topology() {
	setup_ns evil || return 1
	ip netns exec "$evil" sysctl -qw net.ipv6.conf.default.accept_dad=0
	ip netns exec "$r1" sysctl -qw net.ipv6.conf.default.accept_dad=0
	ip link add e1 netns "$r1" type veth peer name e0 netns "$evil"
	ip netns exec "$evil" ethtool -K e0 tso off gso off >/dev/null
	ip -n "$r1" addr add fe80::1/64 dev e1 nodad
	ip -n "$evil" addr add "$EVIL4/32" dev e0
	ip -n "$evil" addr add "$EVIL6/128" dev e0 nodad
	ip -n "$r1" link set e1 up
	ip -n "$evil" link set e0 up
	ip -n "$r1" route add "$EVIL4/32" dev e1
	ip -n "$r1" -6 route add "$EVIL6/128" dev e1
	ip -n "$evil" route add 198.51.100.1/32 dev e0
	ip -n "$evil" route add default via 198.51.100.1
	ip -n "$evil" -6 route add default via fe80::1 dev e0
}

if ! topology || ! evil_topology; then
	fail "topology"
	ktap_finished
fi
modprobe -q xt_CLIPPER
https_server || fail "the HTTPS server starts"
head -c "$MID" /dev/urandom >"$WWW/mid"
: >"$WWW/mss.log"
ip netns exec "$server" "$PY" "$HELPER" mss-server "$MSSPORT" "$WWW/mss.log" &
PIDS+=($!)
ip netns exec "$server" "$PY" "$HELPER" chunk-server "$CHUNKPORT" 4 20 1000 0.01 &
PIDS+=($!)
port_listening() { ip netns exec "$server" ss -Hltn "sport = :$1" | grep -q .; }
busywait 60000 port_listening "$MSSPORT" || fail "the MSS server starts"
busywait 60000 port_listening "$CHUNKPORT" || fail "the chunk server starts"
check_full_mss "no clipper"

# ---- 1. outages, no MTU problem ---------------------------------------------------
# A link that is down for a while makes the sender resend its full-size
# segments with nothing coming back: the same as a black hole to one who
# counts resends.  Clipper's copies get no answer either: an outage.
if want 1; then
	echo "# 1. outages of 1, 2.5 and 5 s (at ${SECONDS} s)"
	guards_both
	name="outages 1, 2.5, 5 s"
	outage_case "$name" 1.5 1 2.5 5
	healthy "$name" r1 server
fi

# ---- 2. nine outages in a row -------------------------------------------------------
if want 2; then
	echo "# 2. nine outages of 1 s (at ${SECONDS} s)"
	guards_both
	name="nine outages"
	# what r1 saw, for the known defect below: its events (monitor)
	# and the heads of the TCP segments on its server side, kept in
	# $CLIPPER_OUT when it declared (make check: build/check/vm-*/)
	ip netns exec "$r1" "$CLIPPER" monitor >"$WWW/mon2" 2>&1 &
	mon2=$!
	ip netns exec "$r1" dumpcap -q -i s1 -f tcp -s 96 \
		-w "$WWW/o2.pcapng" >/dev/null 2>&1 &
	cap2=$!
	outage_case "$name" 1 1 1 1 1 1 1 1 1 1
	sleep 0.5
	kill "$mon2" "$cap2" 2>/dev/null
	wait "$mon2" "$cap2" 2>/dev/null
	facts r1
	if [ "${F[c_blackhole]:-0}" -gt 0 ]; then
		sed 's/^/# nine outages, r1 monitor: /' "$WWW/mon2"
		if [ -n "${CLIPPER_OUT:-}" ]; then
			d="$CLIPPER_OUT/pmtu_bad-nine-outages-$SECONDS"
			mkdir -p "$d" && cp "$WWW/o2.pcapng" "$WWW/mon2" "$d/" &&
				echo "# nine outages: r1's capture and events kept in $d"
		fi
	fi
	# A known defect (issue 21's note of 7 December): at r1, the
	# receiving side has taken S's resends lost in these outages, beyond
	# r1, for a black hole of one of the downloads, in 4 of 9 runs on 5.10
	# (none on 6.x and 7.x so far), and once in part 8's outages.  Its timing model takes S's
	# retransmission timeout for at most 1 s or four of r1's round trips
	# to S, while S's own, over the queue at r2 and after the outages, is
	# longer; a probe r1 sends S is always answered (the outages are on
	# the other side), so the model alone tells a resend that vanished.
	xfail_begin "issue 21: the receiving side's timing model and outages beyond it"
	healthy "$name" r1 server
	xfail_end
fi

# ---- 3. a lossy link --------------------------------------------------------------
# 5% of what r2 sends the client is lost, one segment at a time (no TSO
# bursts); the SACKs behind a lost one and the copies that get through
# along with the full-size resends tell it from a black hole.
if want 3; then
	echo "# 3. a lossy link, 5% (at ${SECONDS} s)"
	guards_both
	offload_off
	name="lossy link"
	fresh
	tc -n "$r2" qdisc add dev a2 root netem loss 5%
	fetch_both l "$URL4" "$URL6" "$SIZE" 120
	fetch_checked l "$name, 1st"
	fetch_both l "$URL4" "$URL6" "$SIZE" 120
	fetch_checked l "$name, 2nd"
	tc -n "$r2" qdisc del dev a2 root
	healthy "$name" r1 server
	for w in r1 server; do
		facts "$w"
		check "$name: at $w: full-size segments were lost and resent (${F[c_retransmits]})" \
			test "${F[c_retransmits]:-0}" -ge 20
	done
	# part 4a keeps the offloads off
	want 4a || offload_on
fi

# ---- 4. forged input ------------------------------------------------------------
if want 4a; then
	echo "# 4a. replays of acknowledged segments (at ${SECONDS} s)"
	guards_both
	want 3 || offload_off
	# The server's namespace resends, through a raw socket (so through its
	# OUTPUT, then r1), copies of full-size segments the client has already
	# acknowledged.  A resend that ends at or before the highest ACK is a
	# replay: counted, and nothing else.  Before 6.0 conntrack finds a
	# segment that ends below the receiver's window invalid (6.0's
	# "netfilter: conntrack: ignore overly delayed tcp packets" lets it
	# pass with its entry): such a replay reaches the rule without an
	# entry, and is not clipper's to count.  So every replay is either
	# counted or found invalid, and at least one is counted unless
	# conntrack found them all invalid (5.10 has, in some runs).
	rate_on 4mbit
	for v in 4 6; do
		fresh
		rm -f "$WWW/replay.ready"
		declare -A inv0=([r1]=$(ct_invalid r1) [server]=$(ct_invalid server))
		ip netns exec "$server" timeout 90 "$PY" "$HELPER" replay s0 "$v" "$PORT" \
			"$WWW/replay.ready" >"$WWW/replay.out" 2>&1 &
		rp=$!
		busywait 60000 test -e "$WWW/replay.ready"
		if [ $v = 4 ]; then url=$URLM4; else url=$URLM6; fi
		fetch_bg rp "$url" "$MID" 60
		wait "$rp"
		check_eq "IPv$v replays: the segments were captured and replayed" 0 $?
		sed 's/^/# /' "$WWW/replay.out"
		fetch_wait rp
		check_eq "IPv$v replays: the download completes" 0 $?
		sent=$(sed -n 's/.*(\([0-9]*\) packets)$/\1/p' "$WWW/replay.out")
		for w in r1 server; do
			facts "$w"
			show "IPv$v replays, at $w"
			inv=$(($(ct_invalid "$w") - ${inv0[$w]}))
			echo "# IPv$v replays, at $w: $inv packets invalid to conntrack meanwhile"
			check "IPv$v replays, at $w: each of the ${sent:-?} replays counted as replayed or invalid to conntrack" \
				test "$((${F[c_replayed]:-0} + inv))" -ge "${sent:-1}"
			if [ "$inv" -lt "${sent:-1}" ]; then
				check "IPv$v replays, at $w: counted as replayed" \
					test "${F[c_replayed]:-0}" -ge 1
			else
				skip "IPv$v replays, at $w: counted as replayed (conntrack found all invalid)"
			fi
			check_eq "IPv$v replays, at $w: no black hole" 0 "${F[c_blackhole]:-0}"
		done
	done
	rate_off
	offload_on
fi

if want 4b; then
	echo "# 4b. a hostile server (at ${SECONDS} s)"
	guards_both
	# The evil namespace's server makes its own full-size segments vanish
	# behind r1, again and again, while small packets pass: first with a TTL
	# (hop limit) of 2, which r2 does not forward (nor, here, clipper's copies
	# of those segments); then with r2 dropping whatever it sends the client from
	# that address above 1280 bytes (the copies pass: its flows are
	# confirmed black holes).  Its own flows may be repaired (scope flow);
	# the path to the client must not change for the real server.
	for how in ttl drop; do
		name="hostile server ($how)"
		fresh
		if [ $how = drop ]; then
			ttl=64
			for ipt in "$IPT" "$IP6T"; do
				if [ "$ipt" = "$IPT" ]; then e=$EVIL4; else e=$EVIL6; fi
				ip netns exec "$r2" "$ipt" -A FORWARD -s "$e" -o a2 \
					-m length --length 1281:65535 -j DROP
			done
		else
			ttl=2
		fi
		rm -f "$WWW/evil.ready"
		ip netns exec "$evil" timeout 90 "$PY" "$HELPER" evil "$EVILPORT" $ttl 6 \
			"$WWW/evil.ready" >"$WWW/evil.out" 2>&1 &
		ep=$!
		busywait 60000 test -e "$WWW/evil.ready"
		# a client that reads what comes (curl would hang up on the first
		# bytes, which are no HTTP)
		ip netns exec "$client" timeout 60 "$PY" "$HELPER" chunk-client "$EVILPORT" \
			"$EVIL4" "$EVIL6" | sed "s/^/# $name: received (address, bytes, seconds): /"
		wait "$ep"
		ip netns exec "$r2" "$IPT" -F FORWARD
		ip netns exec "$r2" "$IP6T" -F FORWARD
		sed 's/^/# /' "$WWW/evil.out"
		facts r1
		show "$name, at r1"
		check "$name: its segments were resent through r1" \
			test "${F[c_retransmits]:-0}" -ge 4
		if [ $how = drop ]; then
			check "$name: its flows were found and repaired (flow_fixed ${F[c_flow_fixed]:-0})" \
				test "${F[c_flow_fixed]:-0}" -ge 1
		fi
		check_eq "$name: at r1: the path to $CLI4 is not of scope path" \
			"" "$(grep "\"dst\":\"$CLI4\".*\"scope\":\"path\"" <<<"${F[paths]}")"
		check_eq "$name: at r1: the path to $CLI6 is not of scope path" \
			"" "$(grep "\"dst\":\"$CLI6\".*\"scope\":\"path\"" <<<"${F[paths]}")"
		check_full_mss "$name"
	done
fi

if want 4c; then
	echo "# 4c. a frag-needed / packet-too-big about no flow (at ${SECONDS} s)"
	guards_both
	# From the evil namespace: to the client about a segment client -> server
	# (r1 forwards it), and to the server about one server -> client, of no
	# connection: conntrack relates them to nothing, clipper learns nothing.
	for v in 4 6; do
		fresh
		if [ $v = 4 ]; then c=$CLI4 s=$SRV4 mtu=600; else c=$CLI6 s=$SRV6 mtu=1280; fi
		ip netns exec "$evil" "$PY" "$HELPER" icmp $v "$c" "$c" "$s" 61000 "$PORT" $mtu |
			sed 's/^/# /'
		ip netns exec "$evil" "$PY" "$HELPER" icmp $v "$s" "$s" "$c" "$PORT" 61001 $mtu |
			sed 's/^/# /'
		for w in r1 server; do
			facts "$w"
			show "IPv$v unrelated ICMP, at $w"
			check "IPv$v unrelated ICMP: at $w: counted as icmp_unrelated" \
				test "${F[c_icmp_unrelated]:-0}" -ge 1
			check_eq "IPv$v unrelated ICMP: at $w: no path learned" "" "${F[learned]}"
		done
	done
fi
if [ -n "$both_on" ]; then
	guard_off r1
	guard_off server
fi

# ---- 5. how long a black hole stalls a download --------------------------------
if want 5; then
	echo "# 5. the stall (at ${SECONDS} s)"
	# Recorded at the server (s0, leaving) and at the client (c0, arriving)
	# for the whole part: for each download, the time to first byte (SYN/ACK
	# to first data at the client), the longest gap between two data
	# segments arriving, and the stall: the longest time a byte took from
	# its first sending to its first arrival, and when the server first sent
	# that byte again.  The gap also holds what the ends took to think (a TLS
	# handshake alone takes up to 1.7 s here, under TCG), the stall only the
	# network's and clipper's part.  A copy of the first lost segment goes
	# out with its first resend, one RTO after it, and is acknowledged one
	# RTT later, with the rest of the segment; the next confirmations come a
	# round trip and a short wait apart, and the declaration makes the server
	# resend the rest small.  So what is checked is a repair in one timeout:
	# the byte that stalled longest was sent again within 1.5 s of its
	# first sending (one RTO, after a tail loss probe; a fresh connection's
	# first RTO is 1 s at worst, one in the middle of a download 400-500 ms
	# here, its ss -ti rto, printed), and the sending that delivered it
	# (the one whose TSval the arriving segment carries) went out no later
	# than one RTO after a tail loss probe: within 1.2 s of the first
	# sending in the middle of a download, 1.5 s on a fresh connection.  A
	# ladder of timeouts fails that: the byte waits for a later, doubled
	# RTO (0.45 + 0.9 s, 1 + 2 s).  What the network then took with it is
	# its queue's (the 2 Mbit/s link's 64 KB: 0.26 s), at most 0.6 s, the
	# slack for a host whose other VMs delay this one's timers.
	rm -f "$WWW"/rec.*
	ip netns exec "$server" timeout 600 "$PY" "$HELPER" rec s0 "$PORT" out \
		"$WWW/rec.sready" "$WWW/rec.stop" "$WWW/rec.srv" &
	rs=$!
	ip netns exec "$client" timeout 600 "$PY" "$HELPER" rec c0 "$PORT" in \
		"$WWW/rec.cready" "$WWW/rec.stop" "$WWW/rec.cli" "$WWW/rec.srv" >"$WWW/rec.out" 2>&1 &
	rc=$!
	busywait 60000 test -e "$WWW/rec.sready"
	busywait 60000 test -e "$WWW/rec.cready"
	CASES=()
	BOUNDS=()
	DBOUNDS=()
	seen=""
	for w in r1 server; do
		for mode in mid 1400 1280; do
			if [ "$mode" = mid ]; then
				name="narrowing mid-download, guard at $w" bound=1.5 dbound=1.2
			else
				name="narrow ($mode) from the start, guard at $w" bound=1.5 dbound=1.5
			fi
			CASES+=("$name")
			BOUNDS+=("$bound")
			DBOUNDS+=("$dbound")
			fresh
			guard_on "$w" || fail "$name: the rules"
			if [ "$mode" = mid ]; then
				# the blob at 2 Mbit/s each: 8 s, narrowed 2-3 s in
				rate_on 2mbit
				fetch_both g "$URL4" "$URL6" "$SIZE" 60
				sleep 1.5
				echo "# $name: the server's RTO before: $(ip netns exec "$server" \
					ss -Hti "sport = :$PORT" | grep -o 'rto:[0-9.]*' | tr '\n' ' ')"
				hole_on
				narrow 1400
			else
				hole_on
				narrow "$mode"
				fetch_both g "$URLM4" "$URLM6" "$MID" 60
			fi
			fetch_checked g "$name"
			rate_off
			hole_off
			narrow 1500
			facts "$w"
			show "$name"
			guard_off "$w"
		done
	done
	touch "$WWW/rec.stop"
	wait "$rs" "$rc"
	# "FAM I TTFB GAP STALL AT N RESEND DELIV NET" per download, in the
	# order of their SYN/ACKs
	while read -r v i ttfb gap stall at nd resend deliv net; do
		if ! [[ $i =~ ^[0-9]+$ ]] || [ "$i" -lt 1 ] || [ "$i" -gt ${#CASES[@]} ]; then
			echo "# stall: $v $i $ttfb $gap $stall $at $nd $resend $deliv $net"
			continue
		fi
		name=${CASES[i - 1]} bound=${BOUNDS[i - 1]} dbound=${DBOUNDS[i - 1]}
		echo "# $name: IPv$v: time to first byte $ttfb s, longest gap $gap s, stall $stall s (a byte sent $at s in, sent again after $resend s, delivered by the sending after $deliv s, which took $net s), $nd data segments"
		if [ "$resend" = - ]; then
			# never sent again: only late (a queue), not lost
			check "$name: IPv$v: the longest-stalled byte, never resent, arrived within $bound s" \
				awk -v s="$stall" -v b="$bound" 'BEGIN { exit !(s + 0 <= b + 0) }'
		else
			check "$name: IPv$v: the longest-stalled byte was resent within $bound s" \
				awk -v r="$resend" -v b="$bound" 'BEGIN { exit !(r + 0 <= b + 0) }'
			check "$name: IPv$v: ... and the sending that delivered it went out within $dbound s" \
				awk -v d="$deliv" -v b="$dbound" 'BEGIN { exit !(d != "-" && d + 0 <= b + 0) }'
			check "$name: IPv$v: ... and arrived within 0.6 s of that sending" \
				awk -v n="$net" 'BEGIN { exit !(n != "-" && n + 0 <= 0.6) }'
		fi
		seen+="$v$i "
	done <"$WWW/rec.out"
	for v in 4 6; do
		for i in $(seq ${#CASES[@]}); do
			[[ " $seen " = *" $v$i "* ]] ||
				fail "${CASES[i - 1]}: IPv$v: the download was recorded"
		done
	done
fi

# ---- 6. widening ----------------------------------------------------------------
if want 6; then
	echo "# 6. widening (at ${SECONDS} s)"
	# A repair at the server (OUTPUT: the sender is this host, scope path);
	# then the link is 1500 again with no hole: after pmtu-timeout without
	# change the path is forgotten, and the next connection gets the full MSS
	# (the server's own route exception, from clipper's ICMP, is dropped by
	# fresh: that is the kernel's business, not clipper's).
	name="widening, guard at the server"
	fresh
	guard_on server || fail "$name: the rules"
	narrow 1400
	hole_on
	fetch_both wd "$URLM4" "$URLM6" "$MID" 90
	fetch_checked wd "$name: the repair"
	facts server
	show "$name"
	for v in 4 6; do
		check "$name: IPv$v: repaired, scope path, MTU at most 1400 (${F[scope_$v]}, ${F[mtu_$v]})" \
			test "${F[scope_$v]}" = path -a "${F[mtu_$v]}" -gt 0 -a "${F[mtu_$v]}" -le 1400
	done
	G server config set pmtu-timeout 5000
	narrow 1500
	hole_off
	widened() {
		facts server
		for v in 4 6; do
			[ "${F[mtu_$v]}" = 0 ] || [ "${F[mtu_$v]}" -ge 1500 ] || return 1
		done
	}
	t0=$SECONDS
	check "$name: within 10 s the paths' MTU is gone or at least 1500" busywait 10000 widened
	echo "# $name: after $((SECONDS - t0)) s"
	facts server
	show "$name"
	fresh
	check_full_mss "$name"
	G server config set pmtu-timeout 600000
	guard_off server
fi

# ---- 7. a stuck segment --------------------------------------------------------
if want 7; then
	echo "# 7. a stuck segment (at ${SECONDS} s)"
	# r2 drops what it sends the client of IP length 1000 to 1010, nothing
	# else.  The server's chunk service sends 4 full-size segments one at a
	# time (r2 drops the first once: its resend, acknowledged whole with no
	# SACK, makes 1500 a size the path passed), then 20 writes that make
	# segments of IP length 1000, TCP_NODELAY, each once the one before is
	# acknowledged and 10 ms later (so that no two join in one segment).
	# Each sticks until clipper finds it: not a path MTU problem.  The path
	# is in state stuck from then until the flow moves on (then ok): the
	# monitor's events say it.
	offload_off
	for w in r1 server; do
		name="stuck segment, guard at $w"
		fresh
		guard_on "$w" || fail "$name: the rules"
		for ipt in "$IPT" "$IP6T"; do
			ip netns exec "$r2" "$ipt-restore" --noflush <<-EOF
				*filter
				-A FORWARD -o a2 -m length --length 1000:1010 -j DROP
				-A FORWARD -o a2 -m length --length 1500 -m quota --quota 1500 -j DROP
				COMMIT
			EOF
		done
		G "$w" -j monitor >"$WWW/mon" 2>&1 &
		mon=$!
		sleep 0.5
		out=$(ip netns exec "$client" timeout 90 "$PY" "$HELPER" chunk-client "$CHUNKPORT" \
			"$SRV4" "$SRV6")
		sleep 0.5
		kill "$mon"
		wait "$mon" 2>/dev/null
		for ipt in "$IPT" "$IP6T"; do
			ip netns exec "$r2" "$ipt" -L FORWARD -v -x -n | sed "s/^/# $name: r2: /"
			ip netns exec "$r2" "$ipt" -F FORWARD
		done
		facts "$w"
		show "$name"
		events=$(jq -c -R 'fromjson? // empty | .path // .' "$WWW/mon")
		[ -z "$events" ] || printf '%s\n' "$events" | sed "s/^/# $name: monitor: /"
		for v in 4 6; do
			if [ $v = 4 ]; then d=$SRV4 c=$CLI4 h=52; else d=$SRV6 c=$CLI6 h=72; fi
			echo "# $name: IPv$v: received (address, bytes, seconds): $(grep "^$d " <<<"$out")"
			check_eq "$name: IPv$v: the transfer completes" $((4 * (1500 - h) + 20 * (1000 - h))) \
				"$(grep "^$d " <<<"$out" | cut -d' ' -f2)"
			check "$name: IPv$v: state stuck, stuck_len 1000..1010 (monitor)" \
				grep -Eq "\"dst\":\"$c\".*\"state\":\"stuck\".*\"stuck_len\":10(0[0-9]|10)[,}]" <<<"$events"
		done
		check "$name: counter stuck, one per family (${F[c_stuck]:-0})" \
			test "${F[c_stuck]:-0}" -ge 2
		guard_off "$w"
	done
	offload_on
fi

# ---- 8. iptables-legacy ------------------------------------------------------------
if want 8; then
	echo "# 8. iptables-legacy (at ${SECONDS} s)"
	GIPT=iptables-legacy
	GIP6T=ip6tables-legacy
fi
if want 8a; then
	name="legacy, outages 1, 2.5, 5 s, guard at r1"
	guard_on r1 || fail "$name: the rules"
	outage_case "$name" 1.5 1 2.5 5
	# the known defect of part 2 (issue 21): seen here too on 5.10
	xfail_begin "issue 21: the receiving side's timing model and outages beyond it"
	healthy "$name" r1
	xfail_end
	guard_off r1
fi

# The repair with CLIPPER in a user chain: its ICMP and copies are sent
# from inside the traversal, and traverse the table themselves, which
# would overwrite the jump stack of the traversal they come from (then
# the packet returns from CL to the wrong rule).  Counted per rule: every
# packet that jumped to CL came back to it and reached the end of the
# chain.  At r1 the nested traversal is OUTPUT's (which jumps to OUTC);
# at the server, OUTPUT's own, whose last jump is to POST.
# pkts_all NS IPT: "JUMP BACK LAST NESTED" from one read of the counters,
# read again until two reads agree (a packet of the host's own, an IPv6
# neighbour probe, say, that passes between two reads would count at the
# end and not at the jump)
pkts_all() {
	local a b i
	a=$(ip netns exec "$1" "$2-save" -c -t mangle)
	for i in 1 2 3 4 5 6 7 8 9 10; do
		sleep 0.3
		b=$(ip netns exec "$1" "$2-save" -c -t mangle)
		[ "$a" = "$b" ] && break
		a=$b
	done
	awk '{ for (i = 2; i < NF; i++) if ($i == "--comment") {
		gsub(/[][]/, "", $1); split($1, f, ":"); n[$(i + 1)] = f[1] } }
		END { print n["jump"] + 0, n["back"] + 0, n["last"] + 0, n["nested"] }' <<<"$a"
}
reentry_case() {
	local w=$1 ns chain ipt v j b l o r name
	name="legacy, CLIPPER in a user chain, guard at $w"
	ns=$(gns "$w")
	if [ "$w" = r1 ]; then chain=FORWARD; else chain=OUTPUT; fi
	fresh
	r="*mangle
:CL - [0:0]
:POST - [0:0]
:OUTC - [0:0]
-A $chain -m comment --comment jump -j CL
-A $chain -j MARK --set-mark 9
-A $chain -j POST
-A $chain -m mark --mark 9 -m comment --comment last
-A CL -j CLIPPER --pmtu-guard --pmtu-fix icmp,mss
-A CL -m comment --comment back -j MARK --set-mark 7"
	if [ "$w" = r1 ]; then
		r+="
-A OUTPUT -m comment --comment nested -j OUTC"
	else
		r+="
-A INPUT -j CLIPPER --pmtu-guard --pmtu-fix icmp,mss"
	fi
	for ipt in "$GIPT" "$GIP6T"; do
		ip netns exec "$ns" "$ipt-restore" <<<"$r"$'\nCOMMIT' ||
			fail "$name: the rules"
	done
	narrow 1400
	hole_on
	fetch_both re "$URLM4" "$URLM6" "$MID" 90
	fetch_checked re "$name"
	hole_off
	narrow 1500
	facts "$w"
	show "$name"
	for v in 4 6; do
		if [ $v = 4 ]; then ipt=$GIPT; else ipt=$GIP6T; fi
		check "IPv$v $name: repaired, MTU 1280..1400 (${F[mtu_$v]}), ICMP sent (${F[icmp_$v]})" \
			test "${F[mtu_$v]}" -ge 1280 -a "${F[mtu_$v]}" -le 1400 -a "${F[icmp_$v]}" -ge 1
		read -r j b l o <<<"$(pkts_all "$ns" "$ipt")"
		echo "# IPv$v $name: $j packets jumped to CL, $b came back, $l reached the end${o:+, $o nested traversals jumped to OUTC}"
		check "IPv$v $name: packets went through CL" test "${j:-0}" -gt 0
		check_eq "IPv$v $name: every packet came back to CL and reached the end of $chain" \
			"$j $j" "$b $l"
	done
	for ipt in "$GIPT" "$GIP6T"; do
		ip netns exec "$ns" "$ipt" -t mangle -F
		ip netns exec "$ns" "$ipt" -t mangle -X
	done
}
if want 8b; then
	reentry_case r1
	reentry_case server
fi

# A repair with --pmtu-fix df (IPv4) while an AF_PACKET tap on r1 holds a
# clone of every packet it receives: the forwarded packets clipper
# changes are clones.
if want 8c; then
	name="legacy, --pmtu-fix df with a tap on r1"
	fresh
	ip netns exec "$r1" "$GIPT" -t mangle -A FORWARD -j CLIPPER --pmtu-guard --pmtu-fix df
	rm -f "$WWW/tap.ready"
	ip netns exec "$r1" "$PY" "$HELPER" tap "$WWW/tap.ready" >"$WWW/tap.out" 2>&1 &
	tp=$!
	busywait 60000 test -e "$WWW/tap.ready"
	narrow 1400
	hole_on
	t=$(fetch_watched "$URL4" 90)
	check_eq "$name: the download completes" 0 $?
	echo "# $name: ${t:-failed} s"
	hole_off
	narrow 1500
	kill "$tp"
	wait "$tp" 2>/dev/null
	sed "s/^/# $name: /" "$WWW/tap.out"
	facts r1
	show "$name"
	check "$name: DF was cleared (${F[c_df_cleared]:-0})" test "${F[c_df_cleared]:-0}" -ge 1
	ip netns exec "$r1" "$GIPT" -t mangle -F
fi
GIPT=$IPT
GIP6T=$IP6T

check "dmesg is clean" test -z "$(dmesg_bad)"
ktap_finished
