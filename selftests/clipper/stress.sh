#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Concurrency: the control plane changes everything while traffic runs on
# every CPU, then the module goes away under traffic, then comes and goes
# CLIPPER_STRESS_CYCLES times (default 100) with traffic running.
#
#   client -- router -- server (lib.sh's topology); the router has
#   PREROUTING -j CLIPPER --classify and FORWARD -j CLIPPER --clamp-mss
#   pmtu --pmtu-guard --ws-count, for IPv4 and IPv6.
#
# 1. For CLIPPER_STRESS_SECONDS (default 30): two downloads at a time
#    (curl from python's http.server, IPv4 and IPv6, 2 MB/s each) while two loops in the
#    router add, delete and flush MAC entries (with and without
#    reclassify), restore and save the configuration, reset the counters,
#    change ws-max and pmtu-max, flush the path table and dump every
#    table, while the server sends frag-needed (new paths) and the client
#    short SYN floods (new WebSocket table entries).  Every download and
#    every command must succeed.
# 2. The rules go and the module is removed while downloads run; they go
#    on.
# 3. CLIPPER_STRESS_CYCLES times, with downloads running: modprobe, the
#    rules, MAC entries, a SYN burst (flows the WebSocket table follows,
#    holding conntrack references), rules deleted, rmmod.
# Then: nothing of the module left (lsmod, /sys/module, slab caches), the
# reference counts of the modules it uses and the unreclaimable slab and
# per-CPU memory back to what they were.
#
# Needs build/selftests/synflood: make -C selftests/clipper/stress
#
# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
require_root
require_cmd iptables ip6tables conntrack curl python3 modprobe rmmod

SYNFLOOD=${CLIPPER_SYNFLOOD:-$TOP/build/selftests/synflood}
SECS=${CLIPPER_STRESS_SECONDS:-30}
CYCLES=${CLIPPER_STRESS_CYCLES:-100}
PY=/usr/bin/python3
MEM_SLACK_KB=${CLIPPER_STRESS_SLACK_KB:-1024}
RATE=2M

if [ ! -x "$SYNFLOOD" ]; then
	echo "# SKIP: $SYNFLOOD not built (make -C selftests/clipper/stress)"
	exit "$ksft_skip"
fi

T=$(mktemp -d /tmp/clipper-stress.XXXXXX)
cleanup() {
	stop_bg
	cleanup_ns
	rm -rf "$T"
}
trap cleanup EXIT

client="" router="" server=""
R() { ip netns exec "$router" "$@"; }
C() { "$CLIPPER" -n "$router" "$@"; }
loaded() { [ -d /sys/module/xt_CLIPPER ]; }
refcnt() { cat "/sys/module/$1/refcnt" 2>/dev/null || echo none; }
ct_count() { R cat /proc/sys/net/netfilter/nf_conntrack_count; }

rules() {
	local op=$1 ipt
	for ipt in iptables ip6tables; do
		R "$ipt" -t mangle "$op" PREROUTING -j CLIPPER --classify || return 1
		R "$ipt" -t mangle "$op" FORWARD -j CLIPPER --clamp-mss pmtu \
			--pmtu-guard --ws-count || return 1
	done
}

setup_topology || exit "$ksft_fail"
R sysctl -qw net.netfilter.nf_conntrack_tcp_timeout_syn_sent=5 2>/dev/null
R ip neigh replace 198.51.100.9 lladdr 02:00:00:00:99:99 dev r1 nud permanent
rmac=$(R cat /sys/class/net/r0/address)
r1mac=$(R cat /sys/class/net/r1/address)
smac=$(ip netns exec "$server" cat /sys/class/net/s0/address)
cmac=$(ip netns exec "$client" cat /sys/class/net/c0/address)

head -c $((2 << 20)) /dev/urandom > "$T/blob"
ip netns exec "$server" $PY -m http.server --bind :: 8000 --directory "$T" \
	> /dev/null 2>&1 &
PIDS+=($!)
listening() { ip netns exec "$server" ss -ltnH "sport = :8000" | grep -q .; }
busywait 30000 listening

# downloads NAME ADDR UNTIL-FILE: download again and again until the file
# exists; counts in $T/NAME.ok and $T/NAME.bad
downloads() {
	local name=$1 url=$2 until=$3 ok=0 bad=0 got
	while [ ! -e "$until" ]; do
		got=$(ip netns exec "$client" curl -s -o /dev/null --max-time 30 \
			--limit-rate $RATE -w '%{size_download}' "$url")
		if [ "$got" = $((2 << 20)) ]; then
			ok=$((ok + 1))
		else
			bad=$((bad + 1))
			echo "$name: got '$got'" >> "$T/bad.log"
		fi
	done
	echo $ok > "$T/$name.ok"
	echo $bad > "$T/$name.bad"
}

# start_traffic TAG: two download loops, IPv4 and IPv6, each at RATE (a
# TCG vCPU's worth of traffic leaves no room for the control plane)
start_traffic() {
	rm -f "$T/stop-$1"
	downloads "$1-a" http://198.51.100.2:8000/blob "$T/stop-$1" &
	PIDS+=($!)
	downloads "$1-b" "http://[2001:db8:2::2]:8000/blob" "$T/stop-$1" &
	PIDS+=($!)
}

# stop_traffic TAG: "OK BAD" over the loops
stop_traffic() {
	local n ok=0 bad=0
	touch "$T/stop-$1"
	busywait 60000 sh -c "ls $T/$1-*.bad 2>/dev/null | wc -l | grep -qx 2"
	for n in a b; do
		ok=$((ok + $(cat "$T/$1-$n.ok" 2>/dev/null || echo 0)))
		bad=$((bad + $(cat "$T/$1-$n.bad" 2>/dev/null || echo 1)))
	done
	echo "$ok $bad"
}

# run CMD...: a command of the control-plane loops; failures are logged
run() {
	"$@" > /dev/null 2>> "$T/cmd.err" ||
		echo "failed: $*" >> "$T/cmd.err"
}

# ---- 1. the control plane against traffic -------------------------------
modprobe xt_CLIPPER
check "rules for IPv4 and IPv6" rules -A
{
	for i in $(seq 0 999); do
		printf 'mac add 00:00:5e:00:%02x:%02x express\n' $((i >> 8)) $((i & 255))
	done
} > "$T/restore"

mac_loop() {
	local i=0 n=0 m
	while [ "$(date +%s)" -lt "$1" ]; do
		i=$((i + 1))
		run C mac add "$cmac" premium comment client
		m=$(printf '00:00:5e:00:53:%02x' $((i % 100)))
		run C mac add "$m" bulk
		run C mac add 02:00:00:00:0c:00/40 express
		run C mac del "$m"
		run C mac del 02:00:00:00:0c:00/40
		run C mac del "$cmac" reclassify
		run C stats reset
		case $((i % 4)) in
		0) run C mac flush ;;
		1) run C mac flush reclassify ;;
		2) run C restore "$T/restore" ;;
		3) run C config set mac-counters "$([ $((i % 8)) = 3 ] && echo on || echo off)" ;;
		esac
		run C class set bulk mark $((40 + i % 2))
		n=$((n + 11))
	done
	echo "$n" > "$T/mac_loop.n"
}

table_loop() {
	local i=0 n=0
	while [ "$(date +%s)" -lt "$1" ]; do
		i=$((i + 1))
		run C config set ws-max $((i % 3 ? 4096 : 1)) pmtu-max $((i % 2 ? 64 : 4096))
		run ip netns exec "$server" "$SYNFLOOD" frag s0 "$smac" "$r1mac" \
			198.51.100.2 192.0.2.2 198.18.$((i % 200)).1 200 1400
		run ip netns exec "$client" "$SYNFLOOD" syn c0 "$cmac" "$rmac" \
			192.0.2.$((100 + i % 100)) 1 198.51.100.9 9 300
		run C pmtu list
		run C -j ws list
		run C -j stats
		run C mac list
		run C save
		[ $((i % 3)) = 0 ] && run C pmtu flush
		[ $((i % 5)) = 0 ] && run C config set pmtu-timeout 1000
		n=$((n + 10))
	done
	echo "$n" > "$T/table_loop.n"
}

: > "$T/cmd.err"
start_traffic one
deadline=$(($(date +%s) + SECS))
mac_loop $deadline &
PIDS+=($!)
table_loop $deadline &
PIDS+=($!)
busywait $(((SECS + 60) * 1000)) test -s "$T/mac_loop.n" -a -s "$T/table_loop.n"
read -r ok bad <<< "$(stop_traffic one)"
echo "# $SECS s: $(cat "$T/mac_loop.n") MAC-table and $(cat "$T/table_loop.n") table commands, $ok downloads"
check_eq "every control-plane command succeeded" "" "$(head -n 20 "$T/cmd.err")"
check "downloads ran meanwhile ($ok)" test "$ok" -gt 0
check_eq "every download completed" 0 "$bad"
check "the status still answers" C status
[ -s "$T/bad.log" ] && sed 's/^/#   /' "$T/bad.log" | head
rm -f "$T/bad.log"

# ---- 2. rmmod under traffic ------------------------------------------------
C config set ws-max 16384 pmtu-max 4096
start_traffic two
sleep 3
check "the rules go while downloads run" rules -D
check "rmmod while downloads run" busywait 10000 rmmod xt_CLIPPER
check_fails "the module is gone" loaded
sleep 2
read -r ok bad <<< "$(stop_traffic two)"
check "downloads went on ($ok), none failed" test "$ok" -gt 0 -a "$bad" -eq 0

# ---- 3. load and unload, again and again, under traffic ------------------
# one cycle first, so that what a first load allocates once is there
cat > "$T/rules4" <<EOF
*mangle
-A PREROUTING -j CLIPPER --classify
-A FORWARD -j CLIPPER --clamp-mss pmtu --pmtu-guard --ws-count
COMMIT
EOF
# cycle N, in the router's namespace: load, rules, (every tenth time MAC
# entries and a burst of 100 SYNs, flows that the WebSocket table follows
# and so conntrack references it holds), rules gone, unload.  Few
# commands: under TCG with the root over 9p every exec costs.
cycle() {
	modprobe xt_CLIPPER || return 1
	iptables-restore -n "$T/rules4" || return 1
	if [ $(($1 % 10)) = 0 ]; then
		"$CLIPPER" mac add "$cmac" premium > /dev/null || return 1
		ip netns exec "$client" "$SYNFLOOD" syn c0 "$cmac" "$rmac" \
			192.0.2.$((100 + $1 % 100)) 1 198.51.100.9 9 100 > /dev/null || return 1
		[ "$("$CLIPPER" config show | awk '$1 == "ws-count" { print $2 }')" -gt 0 ] || return 1
	fi
	iptables -t mangle -F || return 1
	# the nft backend lets the target go after its transaction
	local n
	for ((n = 0; n < 200; n++)); do
		rmmod xt_CLIPPER 2>/dev/null && break
		sleep 0.05
	done
	[ ! -d /sys/module/xt_CLIPPER ]
}
# cycles FROM TO: the cycles, in the router's namespace; prints the first
# that failed, 0 if none
# shellcheck disable=SC2016
cycles() {
	R env CLIPPER="$CLIPPER" SYNFLOOD="$SYNFLOOD" T="$T" cmac="$cmac" rmac="$rmac" \
		client="$client" bash -c "$(declare -f cycle)"'
		for i in $(seq '"$1 $2"'); do
			cycle $i || { echo $i; exit; }
		done
		echo 0' | tail -n 1
}
settle() {
	R conntrack -F > /dev/null 2>&1
	busywait 30000 sh -c "[ \$(ip netns exec $router cat /proc/sys/net/netfilter/nf_conntrack_count) -eq 0 ]"
	sleep 1
	shrink_slabs
}
check_eq "a first load-unload cycle" 0 "$(cycles 10 10)"
settle
cp /proc/slabinfo "$T/slab0"
su0=$(meminfo SUnreclaim)
pc0=$(meminfo Percpu)
refs0="$(refcnt nf_conntrack) $(refcnt x_tables) $(refcnt nf_defrag_ipv4) $(refcnt nf_defrag_ipv6)"
echo "# before: SUnreclaim $su0 kB, Percpu $pc0 kB, refcounts nf_conntrack x_tables nf_defrag_ipv4/6: $refs0"

start_traffic three
start=$SECONDS
failed=$(cycles 1 "$CYCLES")
took=$((SECONDS - start))
read -r ok bad <<< "$(stop_traffic three)"
check_eq "$CYCLES load-rules-traffic-unload cycles (took $took s)" 0 "$failed"
check "downloads meanwhile ($ok), none failed" test "$ok" -gt 0 -a "$bad" -eq 0
settle
su1=$(meminfo SUnreclaim)
pc1=$(meminfo Percpu)
# the caches that grew most, for the log
awk 'FNR == 1 { f++ } f == 1 && NF > 5 { b[$1] = $2 * $4 } f == 2 && NF > 5 { d = $2 * $4 - b[$1]; if (d) print d, $1 }' \
	"$T/slab0" /proc/slabinfo | sort -rn | head -n 5 | awk '{ printf "%s %+d B; ", $2, $1 } END { print "" }' |
	sed 's/^/# slab growth: /'

refs1="$(refcnt nf_conntrack) $(refcnt x_tables) $(refcnt nf_defrag_ipv4) $(refcnt nf_defrag_ipv6)"
echo "# after: SUnreclaim $su1 kB ($((su1 - su0))), Percpu $pc1 kB ($((pc1 - pc0))), refcounts $refs1"
check_fails "lsmod shows no xt_CLIPPER" sh -c 'lsmod | grep -qw xt_CLIPPER'
# SLUB merges clipper_ws_conn into a cache of its size and leaves the
# alias (a symbolic link) in /sys/kernel/slab when it is destroyed: only a
# cache of its own would be a leftover
check_fails "no slab cache of the module left" sh -c \
	'grep -i clipper /proc/slabinfo || find /sys/kernel/slab/ -maxdepth 1 -iname "*clipper*" ! -type l | grep .'
check_eq "reference counts of nf_conntrack, x_tables, nf_defrag_ipv4/6 as before" \
	"$refs0" "$refs1"
# A cycle that leaked its per-namespace state (about 20 kB of counters and
# tables) or the WebSocket entries of its flows would show many times over.
check_mem_back "unreclaimable slab as before, within $MEM_SLACK_KB kB ($su0 -> $su1 kB)" \
	test $((su1 - su0)) -le "$MEM_SLACK_KB"
check "per-CPU memory as before ($pc0 -> $pc1 kB)" test $((pc1 - pc0)) -le 64
ktap_finished
