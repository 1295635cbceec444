#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark itself, run by bench/run.sh inside one VM (one vCPU, QEMU
# -icount): clipper's per-packet cost against stock netfilter, measured in
# guest instructions.  See Documentation/performance.rst.
#
#   guest.sh [--smoke] [--rounds R] [--count N] [--syn-count N]
#            [--shift S] [--configs "CFG ..."] [--bulk] [--no-mem]
#            [--perf "CFG:KIND ..."]
#
# Writes raw.tsv (one line per run), mem.txt, results.json and results.md
# to $CLIPPER_OUT.  Only guest /tmp and $CLIPPER_OUT are written: the rest
# of the file system is the host's, read-only.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
OUT=${CLIPPER_OUT:-/tmp/bench-out}
W=/tmp/bench
mkdir -p "$OUT" "$W"

SMOKE=0
ROUNDS=3
COUNT=20000
SYN_COUNT=20000
SHIFT=2
CONFIGS=""
BULK=0
MEM=1
PERF=""
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) SMOKE=1 ;;
	--rounds) ROUNDS=$2; shift ;;
	--count) COUNT=$2; shift ;;
	--syn-count) SYN_COUNT=$2; shift ;;
	--shift) SHIFT=$2; shift ;;
	--configs) CONFIGS=$2; shift ;;
	--bulk) BULK=1 ;;
	--no-mem) MEM=0 ;;
	--perf) PERF=$2; shift ;;
	*) echo "guest.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done

CLIPPER=$top/cli/clipper
SYNBLAST=$top/build/bench-bin/synblast
XT_DIR=$(pkg-config --variable=xtlibdir xtables 2>/dev/null || echo /usr/lib/x86_64-linux-gnu/xtables)
export XTABLES_LIBDIR=$top/xt-ext:$XT_DIR
RAW=$OUT/raw.tsv
LOG=$OUT/guest.log
: > "$LOG"

log() { echo "# $*"; echo "# $*" >> "$LOG"; }
die() { log "FATAL: $*"; exit 1; }

# The sending client's MAC: universally administered, from the IANA
# documentation block (RFC 7042), so that it is never a "random" MAC.
SENDER=00:00:5e:00:53:01
R0_MAC=02:00:00:00:0c:02
R1_MAC=02:00:00:00:0c:03
C0_MAC=$SENDER
S0_MAC=02:00:00:00:0c:04
EST_SPORT=4000
NEW_SPORT_MIN=1024
DATA_SPORT=5000

# ---- the machine ------------------------------------------------------------
for m in pktgen nf_conntrack xt_CLIPPER ip_set ip_set_hash_mac xt_set \
	 xt_mac xt_connmark xt_TCPMSS xt_tcpudp xt_conntrack nft_ct \
	 cls_matchall act_gact sch_ingress; do
	modprobe "$m" 2>>"$LOG" || log "modprobe $m failed"
done
sysctl -qw kernel.sched_schedstats=1
sysctl -qw net.netfilter.nf_conntrack_max=1048576
# room for a run's 20000 new flows; a bigger table only makes conntrack's
# garbage collector (which walks every bucket) cost more in the runs
echo 32768 > /sys/module/nf_conntrack/parameters/hashsize
# no IPv6 on the links: router solicitations and MLD reports would be
# traffic of their own in the middle of a run
sysctl -qw net.ipv6.conf.default.disable_ipv6=1
sysctl -qw net.ipv6.conf.all.disable_ipv6=1
# no kernel messages on the console during a run
dmesg -n 1 2>/dev/null

# ---- topology ---------------------------------------------------------------
#
#   client (pktgen, synblast) -- router -- sink (drops at tc ingress)
#     c0 192.0.2.2        r0 192.0.2.1  r1 198.51.100.1   s0 198.51.100.2
#
# The traffic goes to 203.0.113.9, which the router routes to the sink,
# whose s0 drops every arriving packet in a matchall filter: the same
# cheap end for every configuration.  r1 has an MTU of 1400 so that
# MSS clamping to the path MTU has something to do.  Two such topologies:
# "a" for the baselines, classification and TCPMSS, and "b" for the
# runs with --clamp-mss or --pmtu-guard, whose first rule in a namespace
# registers ICMP hooks that stay until the namespace goes (see
# performance.rst).  b-none, no rules in b, measures what they cost.  A
# third, "l", for the legacy backend of iptables, is made only after the
# rounds of the others (legacy_up).
KEEPERS=()
topology() {	# topology SUFFIX
	local s=$1 cl=bcl$1 rt=brt$1 sk=bsk$1 ns
	for ns in "$cl" "$rt" "$sk"; do
		ip netns add "$ns" || return 1
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		ip -n "$ns" link set lo up
	done
	ip link add c0 netns "$cl" type veth peer name r0 netns "$rt" || return 1
	ip link add r1 netns "$rt" type veth peer name s0 netns "$sk" || return 1
	ip -n "$cl" link set c0 address "$C0_MAC"
	ip -n "$rt" link set r0 address "$R0_MAC"
	ip -n "$rt" link set r1 address "$R1_MAC"
	ip -n "$rt" link set r1 mtu 1400
	ip -n "$sk" link set s0 mtu 1400
	ip -n "$cl" addr add 192.0.2.2/24 dev c0
	ip -n "$rt" addr add 192.0.2.1/24 dev r0
	ip -n "$rt" addr add 198.51.100.1/24 dev r1
	ip -n "$sk" addr add 198.51.100.2/24 dev s0
	ip -n "$cl" link set c0 up
	ip -n "$rt" link set r0 up
	ip -n "$rt" link set r1 up
	ip -n "$sk" link set s0 up
	ip netns exec "$rt" sysctl -qw net.ipv4.ip_forward=1
	ip -n "$rt" route add 203.0.113.0/24 via 198.51.100.2
	ip -n "$sk" link set s0 address "$S0_MAC"
	ip -n "$rt" neigh replace 198.51.100.2 dev r1 lladdr "$S0_MAC" nud permanent
	ip -n "$rt" neigh replace 192.0.2.2 dev r0 lladdr "$C0_MAC" nud permanent
	tc -n "$sk" qdisc add dev s0 clsact || return 1
	tc -n "$sk" filter add dev s0 ingress matchall action drop || return 1
	# the client drops what comes back too: a SYN/ACK of the TCP runs'
	# made-up handshake must not make its kernel answer with a RST
	tc -n "$cl" qdisc add dev c0 clsact || return 1
	tc -n "$cl" filter add dev c0 ingress matchall action drop || return 1
	# sleepers whose /proc/PID/net/dev shows the sink's and the
	# router's counters without starting a program per reading
	ip netns exec "$sk" sleep 1000000 &
	KEEPERS+=($!)
	eval "SKPID_$s=$!"
	ip netns exec "$rt" sleep 1000000 &
	KEEPERS+=($!)
	eval "RTPID_$s=$!"
}

cleanup() {
	local p
	for p in "${KEEPERS[@]}"; do
		kill "$p" 2>/dev/null
	done
}
trap cleanup EXIT

# rx_packets of DEV in /proc/PID/net/dev
rx_packets() {	# rx_packets PID DEV
	local name rest _bytes pkts
	while read -r name _bytes pkts rest; do
		if [ "$name" = "$2:" ]; then
			echo "$pkts"
			return
		fi
	done < "/proc/$1/net/dev"
	echo 0
}

topology a || die "topology a"
topology b || die "topology b"
log "topologies up"

# ---- data: MAC tables of each size --------------------------------------------
#
# N entries, the sender's last; the others are 00:00:5e:1X:YY:ZZ.
gen_macs() {	# gen_macs N  -> N-1 other MACs, one a line
	awk -v n="$1" 'BEGIN { for (i = 0; i < n - 1; i++)
		printf "00:00:5e:%02x:%02x:%02x\n", 16 + int(i / 65536),
			int(i / 256) % 256, i % 256 }'
}

SIZES_CLIPPER="1 1000 10000 65536"
SIZES_MAC="1 100 1000"
SIZES_SET="1 1000 10000 65536"
for n in $SIZES_CLIPPER $SIZES_MAC $SIZES_SET; do
	[ -e "$W/macs-$n" ] && continue
	{ gen_macs "$n"; echo "$SENDER"; } > "$W/macs-$n"
done
for n in $SIZES_CLIPPER; do
	{ echo "mac flush"
	  awk '{ print "mac add " $1 " premium" }' "$W/macs-$n"; } > "$W/clipper-$n.conf"
done
for n in $SIZES_MAC; do
	{ echo "*mangle"
	  awk '{ print "-A PREROUTING -m mac --mac-source " $1 " -j CONNMARK --set-mark 10" }' "$W/macs-$n"
	  echo "COMMIT"; } > "$W/mac-$n.rules"
done
for n in $SIZES_SET; do
	{ echo "create bset$n hash:mac hashsize 1024 maxelem 131072"
	  awk -v n="$n" '{ print "add bset" n " " $1 }' "$W/macs-$n"; } > "$W/ipset-$n"
	{ echo "table ip benchmaps {"
	  echo "  map m$n {"
	  echo "    type ether_addr : mark"
	  printf "    elements = { "
	  awk 'NR > 1 { printf ",\n      " } { printf "%s : 10", $1 }' "$W/macs-$n"
	  echo " }"
	  echo "  }"
	  echo "}"; } > "$W/nft-$n"
done
log "tables generated"

rt() { local t=$1; shift; ip netns exec "brt$t" "$@"; }

# Topology l, with the legacy backend (ip_tables), for the configurations
# lct, lmac-N and lclipper-N, whose baselines are l-none and l-ct (none and
# ct again, in a).  Made only once the other rounds are done: the table
# registers all five hooks for good, and netfilter's static keys that let
# a packet skip a hook nobody registered are global, so every namespace
# pays for it (none +44 a packet, clipper-N and mac-N about +25,
# measured).  The table is made empty here, so that all of l's runs have
# it alike.
LEGACY_UP=0
legacy_up() {
	[ "$LEGACY_UP" = 1 ] && return 0
	modprobe iptable_mangle 2>>"$LOG"
	topology l || return 1
	rt l iptables-legacy -t mangle -n -L >/dev/null || return 1
	LEGACY_UP=1
	log "topology l and its legacy mangle table up"
}
is_legacy() {	# is_legacy CONFIG: in the legacy phase (CONFIG_TABLE)
	echo "$CONFIG_TABLE" | awk -v c="$1" '$1 == c && $4 == "legacy" { f = 1 } END { exit !f }'
}

# Sets and maps are loaded once in topology a: unreferenced, they cost no
# packet anything.  A configuration only adds the rule or chain using one.
for n in $SIZES_SET; do
	rt a ipset restore -f "$W/ipset-$n" || die "ipset restore $n"
	rt a nft -f "$W/nft-$n" || die "nft map $n"
done
rt a nft add table ip benchmaps
# the classify table of "all" lives in topology b for the whole run
rt b "$CLIPPER" restore "$W/clipper-1000.conf" || die "clipper restore b"
# the first --clamp-mss rule of b: its ICMP hooks, from now on, for all of
# b's runs alike
if ! rt b iptables -t mangle -A FORWARD -j CLIPPER --clamp-mss pmtu ||
   ! rt b nft delete table ip mangle; then
	die "clamp-mss rule in b"
fi
log "sets loaded"

# ---- configurations -----------------------------------------------------------
#
# NAME TOPO KINDS [legacy]: legacy, measured after legacy_up() (topology
# l's configurations, and none and ct again as their baselines)
CONFIG_TABLE="
none a udp-est,udp-new,syn,tcp-data,ws-small,ws-large
ct a udp-est,udp-new,syn,tcp-data,ws-small,ws-large
clipper-1 a udp-est,udp-new
clipper-1000 a udp-est,udp-new
clipper-10000 a udp-est,udp-new
clipper-65536 a udp-est,udp-new
mac-1 a udp-est,udp-new
mac-100 a udp-est,udp-new
mac-1000 a udp-est,udp-new
l-none a udp-est,udp-new legacy
l-ct a udp-est,udp-new legacy
lct l udp-est,udp-new legacy
lmac-1 l udp-est,udp-new legacy
lmac-100 l udp-est,udp-new legacy
lmac-1000 l udp-est,udp-new legacy
lclipper-1000 l udp-est,udp-new legacy
ipset-1 a udp-est,udp-new
ipset-1000 a udp-est,udp-new
ipset-10000 a udp-est,udp-new
ipset-65536 a udp-est,udp-new
nft-1 a udp-est,udp-new
nft-1000 a udp-est,udp-new
nft-10000 a udp-est,udp-new
nft-65536 a udp-est,udp-new
tcpmss a syn,udp-est
b-none b udp-est,syn
clamp b syn,udp-est
guard b tcp-data,udp-est
ws a ws-small,ws-large,udp-est
all b udp-est,udp-new,syn,tcp-data
"
SMOKE_CONFIGS="none ct clipper-1000 mac-100 lct lmac-100 nft-1000 tcpmss clamp guard ws all"

cfg_up() {	# cfg_up NAME TOPO
	local c=$1 t=$2 n
	case $c in
	none|b-none|l-none) ;;
	ct|b-ct|l-ct)
		rt "$t" iptables -t mangle -A FORWARD -j CONNMARK --restore-mark ;;
	clipper-*)
		n=${c#clipper-}
		rt "$t" "$CLIPPER" restore "$W/clipper-$n.conf" &&
		rt "$t" iptables -t mangle -A PREROUTING -j CLIPPER --classify ;;
	mac-*)
		n=${c#mac-}
		rt "$t" iptables-restore --noflush "$W/mac-$n.rules" ;;
	lct)
		rt "$t" iptables-legacy -t mangle -A FORWARD -j CONNMARK --restore-mark ;;
	lmac-*)
		n=${c#lmac-}
		rt "$t" iptables-legacy-restore --noflush "$W/mac-$n.rules" ;;
	lclipper-*)
		n=${c#lclipper-}
		rt "$t" "$CLIPPER" restore "$W/clipper-$n.conf" &&
		rt "$t" iptables-legacy -t mangle -A PREROUTING -j CLIPPER --classify ;;
	ipset-*)
		n=${c#ipset-}
		rt "$t" iptables -t mangle -A PREROUTING -m set --match-set "bset$n" src \
			-j CONNMARK --set-mark 10 ;;
	nft-*)
		n=${c#nft-}
		rt "$t" nft "add chain ip benchmaps pre { type filter hook prerouting priority mangle; }" &&
		rt "$t" nft "add rule ip benchmaps pre ct mark set ether saddr map @m$n" ;;
	tcpmss)
		rt "$t" iptables -t mangle -A FORWARD -p tcp --tcp-flags SYN,RST SYN \
			-j TCPMSS --clamp-mss-to-pmtu ;;
	clamp)
		rt "$t" iptables -t mangle -A FORWARD -j CLIPPER --clamp-mss pmtu ;;
	guard)
		rt "$t" iptables -t mangle -A FORWARD -j CLIPPER --pmtu-guard ;;
	ws)
		rt "$t" iptables -t mangle -A FORWARD -j CLIPPER --ws-count ;;
	all)
		# README's recipe: classify in PREROUTING, clamp and guard in
		# FORWARD, WebSocket counting for port 8080 (not our traffic:
		# only the match runs)
		rt "$t" iptables -t mangle -A PREROUTING -j CLIPPER --classify &&
		rt "$t" iptables -t mangle -A FORWARD -j CLIPPER --clamp-mss pmtu --pmtu-guard &&
		rt "$t" iptables -A FORWARD -p tcp -m conntrack --ctorigdstport 8080 \
			-j CLIPPER --ws-count ;;
	*) return 1 ;;
	esac
}

cfg_down() {	# cfg_down TOPO
	rt "$1" sh -c 'nft delete table ip mangle; nft delete table ip filter;
		nft delete chain ip benchmaps pre' 2>/dev/null
	# the legacy table stays (its hooks with it), its rules go
	[ "$1" != l ] || rt l iptables-legacy -t mangle -F
	return 0
}

ct_flush() { rt "$1" conntrack -F >/dev/null 2>&1; }

# ---- one run ---------------------------------------------------------------------
#
# Appends to raw.tsv:
#   round topo config kind count ns goidle idle_ticks busy_ticks
#   busy_ns thread_ns sink_rx status
# ns is the measured interval (pktgen's or synblast's); the CPU counters
# cover a window around it (see pg.sh), -1 where not measured.
echo -e "round\ttopo\tconfig\tkind\tcount\tns\tgoidle\tidle_ticks\tbusy_ticks\tbusy_ns\tthread_ns\tsink_rx\tstatus" > "$RAW"

pg() {	# pg TOPO NS-PREFIX ARGS... : pg.sh in that namespace
	local t=$1 ns=$2
	shift 2
	ip netns exec "$ns$t" bash "$here/pg.sh" "$@"
}

# ws_prime TOPO: a handshake made up on both sides, then a WebSocket
# upgrade request and its 101 response: the flow is WebSocket from then
# on.  Sets wsreq and wsresp, their lengths.
ws_prime() {
	local t=$1
	ip netns exec "bcl$t" "$SYNBLAST" syn c0 "$C0_MAC" "$R0_MAC" \
		192.0.2.2 203.0.113.9 $DATA_SPORT 80 1 >/dev/null &&
	ip netns exec "bsk$t" "$SYNBLAST" synack s0 "$S0_MAC" "$R1_MAC" \
		203.0.113.9 192.0.2.2 80 $DATA_SPORT $((0x20000000)) \
		$((0x10000000 + DATA_SPORT + 1)) &&
	wsreq=$(ip netns exec "bcl$t" "$SYNBLAST" upgrade c0 "$C0_MAC" "$R0_MAC" \
		192.0.2.2 203.0.113.9 $DATA_SPORT 80 \
		$((0x10000000 + DATA_SPORT + 1)) $((0x20000001)) req) &&
	wsreq=${wsreq#len } &&
	wsresp=$(ip netns exec "bsk$t" "$SYNBLAST" upgrade s0 "$S0_MAC" "$R1_MAC" \
		203.0.113.9 192.0.2.2 80 $DATA_SPORT $((0x20000001)) \
		$((0x10000000 + DATA_SPORT + 1 + wsreq)) resp) &&
	wsresp=${wsresp#len }
}

# "BINARY PAYLOAD_BYTES" of --ws-count's client-to-server totals, router a
ws_c2s() {
	"$CLIPPER" -n brta -j ws stats | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)["c2s"]
print(d["frames"]["binary"], d["payload_bytes"])'
}

measure() {	# measure ROUND TOPO CONFIG KIND
	local r=$1 t=$2 c=$3 k=$4 skpid rx0 rx1 out count ns gi it bt bn tn status=ok ws0='' ws1='' wsreq=0 wsresp=0
	eval "skpid=\$SKPID_$t"
	ct_flush "$t"
	case $k in
	udp-est)
		# open the flow and answer it once: established from then on
		pg "$t" bcl c0 1 "$R0_MAC" 192.0.2.2 203.0.113.9 $EST_SPORT $EST_SPORT 9 >/dev/null &&
		pg "$t" bsk s0 1 "$R1_MAC" 203.0.113.9 192.0.2.2 9 9 $EST_SPORT >/dev/null ||
			status=prime-failed
		;;
	tcp-data)
		# a handshake made up on both sides; synblast's data mode
		# sends its last ACK
		ip netns exec "bcl$t" "$SYNBLAST" syn c0 "$C0_MAC" "$R0_MAC" \
			192.0.2.2 203.0.113.9 $DATA_SPORT 80 1 >/dev/null &&
		ip netns exec "bsk$t" "$SYNBLAST" synack s0 "$S0_MAC" "$R1_MAC" \
			203.0.113.9 192.0.2.2 80 $DATA_SPORT $((0x20000000)) \
			$((0x10000000 + DATA_SPORT + 1)) || status=prime-failed
		;;
	ws-small|ws-large)
		ws_prime "$t" || status=prime-failed
		;;
	esac
	rx0=$(rx_packets "$skpid" s0)
	[ "$c" = ws ] && ws0=$(ws_c2s)
	case $k in
	udp-est)
		out=$(pg "$t" bcl c0 "$COUNT" "$R0_MAC" 192.0.2.2 203.0.113.9 \
			$EST_SPORT $EST_SPORT 9 2>>"$LOG") || status=failed ;;
	udp-new)
		out=$(pg "$t" bcl c0 "$COUNT" "$R0_MAC" 192.0.2.2 203.0.113.9 \
			$NEW_SPORT_MIN $((NEW_SPORT_MIN + COUNT - 1)) 9 2>>"$LOG") || status=failed ;;
	syn)
		out=$(ip netns exec "bcl$t" "$SYNBLAST" syn c0 "$C0_MAC" "$R0_MAC" \
			192.0.2.2 203.0.113.9 $NEW_SPORT_MIN 80 "$SYN_COUNT" 2>>"$LOG") ||
			status=failed ;;
	tcp-data)
		out=$(ip netns exec "bcl$t" "$SYNBLAST" data c0 "$C0_MAC" "$R0_MAC" \
			192.0.2.2 203.0.113.9 $DATA_SPORT 80 "$SYN_COUNT" \
			$((0x10000000 + DATA_SPORT + 1)) $((0x20000001)) 2>>"$LOG") ||
			status=failed ;;
	ws-small|ws-large)
		out=$(ip netns exec "bcl$t" "$SYNBLAST" "$k" c0 "$C0_MAC" "$R0_MAC" \
			192.0.2.2 203.0.113.9 $DATA_SPORT 80 "$SYN_COUNT" \
			$((0x10000000 + DATA_SPORT + 1 + wsreq)) \
			$((0x20000001 + wsresp)) 2>>"$LOG") || status=failed ;;
	esac
	rx1=$(rx_packets "$skpid" s0)
	if [ "$c" = ws ] && [ "${k#ws-}" != "$k" ] && [ "$status" = ok ]; then
		# --ws-count must have followed the flow as WebSocket: every
		# small frame counted, the large frame's payload
		ws1=$(ws_c2s)
		log "round $r $c $k: ws c2s binary frames, payload bytes: $ws0 -> $ws1"
		set -- $ws0 $ws1
		if [ "$k" = ws-small ]; then
			[ $(($3 - $1)) -eq "$SYN_COUNT" ] || status=not-ws
		else
			[ $(($4 - $2)) -gt 0 ] || status=not-ws
		fi
	fi
	if [ "$k" = tcp-data ] && [ "$r" = 1 ]; then
		# the flow's state, for the log: ESTABLISHED, not INVALID
		rt "$t" conntrack -L -p tcp 2>/dev/null | head -n 2 | sed "s/^/# $c: /" >> "$LOG"
	fi
	# "usec U count N ..." (pktgen) or "count N ns T ..." (synblast),
	# split into words on purpose
	# shellcheck disable=SC2086
	set -- $out
	count=0 ns=0 gi=-1 it=-1 bt=-1 bn=-1 tn=-1
	while [ $# -ge 2 ]; do
		case $1 in
		usec) ns=$(($2 * 1000)) ;;
		ns) ns=$2 ;;
		count) count=$2 ;;
		goidle) gi=$2 ;;
		idle_ticks) it=$2 ;;
		busy_ticks) bt=$2 ;;
		busy_ns) bn=$2 ;;
		thread_ns) tn=$2 ;;
		esac
		shift 2
	done
	[ "$status" = ok ] && [ $((rx1 - rx0)) -lt "$count" ] && status=lost
	[ "$status" = ok ] && [ "$count" -le 0 ] && status=failed
	echo -e "$r\t$t\t$c\t$k\t$count\t$ns\t$gi\t$it\t$bt\t$bn\t$tn\t$((rx1 - rx0))\t$status" >> "$RAW"
	if [ "$count" -gt 0 ] && [ "$ns" -gt 0 ]; then
		if [ "$tn" -ge 0 ]; then
			sat="pktgen ran or was runnable $(( (tn - ns) / 1000 )) us beyond the run"
		else
			sat="CPU went idle $gi times"
		fi
		log "round $r $c $k: $((ns / count / (1 << SHIFT))) instructions/packet ($status, $sat)"
	else
		log "round $r $c $k: $status"
	fi
}

# ---- memory per MAC entry -----------------------------------------------------------
meminfo() {	# meminfo KEY -> kB
	awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo
}
mem_snapshot() {
	echo "$(meminfo Slab) $(meminfo SUnreclaim) $(meminfo Percpu) $(meminfo VmallocUsed) $(meminfo MemFree)"
}
# Before the rounds, on a fresh system: what the allocators have to do
# for the entries (a new per-CPU chunk, say) depends less on what ran
# before.
if [ "$MEM" = 1 ]; then
	# a namespace of its own, the table filled once before to warm up
	# every cache and code path on the way
	ip netns add bmem
	ip netns exec bmem "$CLIPPER" restore "$W/clipper-1000.conf" >/dev/null
	ip netns exec bmem "$CLIPPER" mac flush
	sleep 2
	before=$(mem_snapshot)
	cp /proc/slabinfo "$OUT/slabinfo-before"
	cp /proc/vmallocinfo "$OUT/vmallocinfo-before"
	ip netns exec bmem "$CLIPPER" restore "$W/clipper-65536.conf" || log "restore for memory failed"
	count=$(ip netns exec bmem "$CLIPPER" -j config | python3 -c 'import json,sys; print(json.load(sys.stdin)["mac_count"])' 2>/dev/null || echo 0)
	sleep 2
	after=$(mem_snapshot)
	cp /proc/slabinfo "$OUT/slabinfo-after"
	cp /proc/vmallocinfo "$OUT/vmallocinfo-after"
	ip netns exec bmem "$CLIPPER" mac flush
	sleep 2
	flushed=$(mem_snapshot)
	{
		echo "entries $count"
		echo "cpus_possible $(cat /sys/devices/system/cpu/possible)"
		echo "fields Slab SUnreclaim Percpu VmallocUsed MemFree (kB)"
		echo "before $before"
		echo "after $after"
		echo "flushed $flushed"
	} > "$OUT/mem.txt"
	log "memory: $(tr '\n' ' ' < "$OUT/mem.txt")"
	ip netns del bmem
fi

# ---- memory per tracked flow ----------------------------------------------------------
# FLOWMEM_N SYNs of new flows through router a with conntrack only, with
# --ws-count (which follows a flow from its SYN, in a pending entry until
# its first payload) and with --pmtu-guard; what each adds over conntrack
# only is its memory per flow.  ws-req: --ws-count again, each flow's
# handshake completed and an upgrade request sent (a full entry each,
# waiting for the 101); its flows are counted as those with full entries.
flow_mem() {	# flow_mem CFG -> "CFG FLOWS SUnreclaim-kB-before after Percpu-before after"
	local c=$1 b a n
	cfg_up "${c%-req}" a >>"$LOG" 2>&1 || { echo "$c 0 0 0 0 0"; return; }
	ct_flush a
	sleep 1
	b="$(meminfo SUnreclaim) $(meminfo Percpu)"
	ip netns exec bcla "$SYNBLAST" syn c0 "$C0_MAC" "$R0_MAC" \
		192.0.2.2 203.0.113.9 $NEW_SPORT_MIN 80 "$FLOWMEM_N" >>"$LOG" 2>&1
	if [ "$c" = ws-req ]; then
		ip netns exec bska "$SYNBLAST" synack s0 "$S0_MAC" "$R1_MAC" \
			203.0.113.9 192.0.2.2 80 $NEW_SPORT_MIN $((0x20000000)) \
			$((0x10000000 + NEW_SPORT_MIN + 1)) "$FLOWMEM_N" >>"$LOG" 2>&1
		ip netns exec bcla "$SYNBLAST" upgrade c0 "$C0_MAC" "$R0_MAC" \
			192.0.2.2 203.0.113.9 $NEW_SPORT_MIN 80 \
			$((0x10000000 + NEW_SPORT_MIN + 1)) $((0x20000001)) req \
			"$FLOWMEM_N" >>"$LOG" 2>&1
	fi
	sleep 1
	a="$(meminfo SUnreclaim) $(meminfo Percpu)"
	n=$(rt a conntrack -C 2>/dev/null || echo 0)
	case $c in
	ws)
		rt a "$CLIPPER" -j ws stats >>"$LOG" 2>&1 ;;
	ws-req)
		# the flows with a full entry: all but the pending ones
		n=$(rt a "$CLIPPER" -j config | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["ws_count"] - d["ws_pending"])' 2>/dev/null || echo 0) ;;
	esac
	set -- $b $a
	echo "$c $n $1 $3 $2 $4"
	cfg_down a
	ct_flush a
}
FLOWMEM_N=10000
if [ "$MEM" = 1 ]; then
	{
		echo "# config flows SUnreclaim-before SUnreclaim-after Percpu-before Percpu-after (kB)"
		for c in ct ws ws-req guard ct ws ws-req guard; do
			flow_mem "$c"
		done
	} > "$OUT/flowmem.txt"
	log "flow memory: $(tr '\n' ' ' < "$OUT/flowmem.txt")"
fi

# ---- the rounds -------------------------------------------------------------------
if [ "$SMOKE" = 1 ]; then
	[ -n "$CONFIGS" ] || CONFIGS=$SMOKE_CONFIGS
fi
[ -n "$CONFIGS" ] || CONFIGS=$(echo "$CONFIG_TABLE" | awk 'NF { print $1 }')

rounds() {	# rounds CONFIG... : ROUNDS rounds of them, interleaved
	local cfgs=("$@") r c line t kinds k
	for r in $(seq 1 "$ROUNDS"); do
		for c in "${cfgs[@]}"; do
			line=$(echo "$CONFIG_TABLE" | awk -v c="$c" '$1 == c')
			[ -n "$line" ] || die "unknown configuration $c"
			# shellcheck disable=SC2086
			set -- $line
			t=$2 kinds=${3//,/ }
			if ! cfg_up "$c" "$t" >>"$LOG" 2>&1; then
				log "round $r $c: setup failed"
				for k in $kinds; do
					echo -e "$r\t$t\t$c\t$k\t0\t0\t-1\t-1\t-1\t-1\t-1\t0\tsetup-failed" >> "$RAW"
				done
				cfg_down "$t"
				continue
			fi
			for k in $kinds; do
				measure "$r" "$t" "$c" "$k"
			done
			cfg_down "$t"
		done
		log "round $r of ${cfgs[*]} done after $(( $(date +%s) - t_start )) s (virtual)"
	done
}

MAIN_CONFIGS=() LEGACY_CONFIGS=()
for c in $CONFIGS; do
	if is_legacy "$c"; then
		LEGACY_CONFIGS+=("$c")
	else
		MAIN_CONFIGS+=("$c")
	fi
done
t_start=$(date +%s)
[ ${#MAIN_CONFIGS[@]} = 0 ] || rounds "${MAIN_CONFIGS[@]}"
if [ ${#LEGACY_CONFIGS[@]} != 0 ]; then
	legacy_up || die "topology l"
	rounds "${LEGACY_CONFIGS[@]}"
fi

# ---- bulk TCP with --pmtu-guard (iperf3) ---------------------------------------------
if [ "$BULK" = 1 ] && command -v iperf3 >/dev/null; then
	bash "$here/bulk.sh" "$ROUNDS" "$SHIFT" "$OUT" >>"$LOG" 2>&1 ||
		log "bulk TCP measurement failed (see guest.log)"
fi

# ---- perf profiles on request -----------------------------------------------------------
for p in $PERF; do
	c=${p%%:*} k=${p#*:}
	line=$(echo "$CONFIG_TABLE" | awk -v c="$c" '$1 == c')
	[ -n "$line" ] || { log "perf: unknown configuration $c"; continue; }
	# shellcheck disable=SC2086
	set -- $line
	t=$2
	if is_legacy "$c" && ! legacy_up; then
		log "perf: topology l failed"
		continue
	fi
	cfg_up "$c" "$t" >>"$LOG" 2>&1 || { log "perf: $c setup failed"; continue; }
	ct_flush "$t"
	f="$OUT/perf-$c-$k"
	# cpu-clock every 9973 ns of virtual time (a prime number of ns, so
	# that the samples do not fall in step with a loop that costs the
	# same every packet), without call chains, whose unwinding would
	# cost more than the period
	case $k in
	udp-est|udp-new)
		if [ "$k" = udp-est ]; then
			sp=$EST_SPORT ep=$EST_SPORT
			ip netns exec "bcl$t" bash "$here/pg.sh" c0 1 "$R0_MAC" 192.0.2.2 203.0.113.9 $sp $ep 9 >/dev/null
			ip netns exec "bsk$t" bash "$here/pg.sh" s0 1 "$R1_MAC" 203.0.113.9 192.0.2.2 9 9 $sp >/dev/null
		else
			sp=$NEW_SPORT_MIN ep=$((NEW_SPORT_MIN + COUNT - 1))
		fi
		comm=kpktgend_0
		perf record -a -e cpu-clock -c 9973 -o "$W/perf.data" -- \
			ip netns exec "bcl$t" bash "$here/pg.sh" c0 "$COUNT" "$R0_MAC" \
			192.0.2.2 203.0.113.9 "$sp" "$ep" 9 >>"$LOG" 2>&1 ;;
	syn)
		comm=synblast
		perf record -a -e cpu-clock -c 9973 -o "$W/perf.data" -- \
			ip netns exec "bcl$t" "$SYNBLAST" syn c0 "$C0_MAC" "$R0_MAC" \
			192.0.2.2 203.0.113.9 $NEW_SPORT_MIN 80 "$SYN_COUNT" >>"$LOG" 2>&1 ;;
	tcp-data)
		comm=synblast
		ip netns exec "bcl$t" "$SYNBLAST" syn c0 "$C0_MAC" "$R0_MAC" \
			192.0.2.2 203.0.113.9 $DATA_SPORT 80 1 >/dev/null
		ip netns exec "bsk$t" "$SYNBLAST" synack s0 "$S0_MAC" "$R1_MAC" \
			203.0.113.9 192.0.2.2 80 $DATA_SPORT $((0x20000000)) \
			$((0x10000000 + DATA_SPORT + 1))
		perf record -a -e cpu-clock -c 9973 -o "$W/perf.data" -- \
			ip netns exec "bcl$t" "$SYNBLAST" data c0 "$C0_MAC" "$R0_MAC" \
			192.0.2.2 203.0.113.9 $DATA_SPORT 80 "$SYN_COUNT" \
			$((0x10000000 + DATA_SPORT + 1)) $((0x20000001)) >>"$LOG" 2>&1 ;;
	ws-small|ws-large)
		comm=synblast
		wsreq=0 wsresp=0
		ws_prime "$t" >>"$LOG" 2>&1 || log "perf: $c $k: priming failed"
		perf record -a -e cpu-clock -c 9973 -o "$W/perf.data" -- \
			ip netns exec "bcl$t" "$SYNBLAST" "$k" c0 "$C0_MAC" "$R0_MAC" \
			192.0.2.2 203.0.113.9 $DATA_SPORT 80 "$SYN_COUNT" \
			$((0x10000000 + DATA_SPORT + 1 + wsreq)) \
			$((0x20000001 + wsresp)) >>"$LOG" 2>&1 ;;
	esac
	# -n: sample counts; a sample stands for 9973 ns, 2493 instructions
	# at shift 2
	perf report -i "$W/perf.data" --stdio -n --comms "$comm" --sort sym \
		> "$f.txt" 2>>"$LOG"
	perf report -i "$W/perf.data" --stdio -n --sort comm \
		> "$f-comm.txt" 2>>"$LOG"
	cfg_down "$t"
	log "perf: $f.txt"
done

# ---- report ---------------------------------------------------------------------------
[ "$ROUNDS" -gt 0 ] || exit 0
ktap=()
[ "$SMOKE" = 1 ] && ktap=(--ktap)
python3 "$here/report.py" --dir "$OUT" --shift "$SHIFT" "${ktap[@]}"
