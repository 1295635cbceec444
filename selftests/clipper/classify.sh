#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# -j CLIPPER --classify with real traffic.  A flow's class comes from the
# source MAC of the LAN client that opened it; the class's mark lands in the
# conntrack mark and on skb->mark, and its priority on skb->priority, of
# every packet of the flow in both directions.  Also: the MAC table's
# prefixes, the default and random-MAC classes, --mark-mask, IPv6, NAT,
# counters, the table limit, refusals, and a bridged access point.
#
# lib.sh's topology with a second client.  The router's LAN side is a
# bridge, as on a home router (br-lan), with one port per client:
#
#   +---------+ c0     r0 +-----------------------+ r1     s0 +---------+
#   | client  |-----------|--+                    |-----------| server  |
#   | .2  ::2 |           |  |  router            |           | .2  ::2 |
#   +---------+           | br0  .1  ::1          |  .1  ::1  +---------+
#   +---------+ c2     r2 |  |                    |
#   | client2 |-----------|--+                    |
#   | .3  ::3 |           +-----------------------+
#   +---------+
#   192.0.2.0/24  2001:db8:1::/64                 198.51.100.0/24
#                                                 2001:db8:2::/64
#
#   client   c0  02:00:00:00:0c:01  locally administered ("random")
#   client2  c2  02:00:00:00:0c:02  (00:16:3e:00:0c:02, globally
#                                    administered, for the default class)
#
# The bridged access point of the last case has namespaces of its own:
#
#   +------+ w0  p1 +------------------+ p3  e0 +-------+
#   | sta1 |--------|--+      ap       +--------| wired |
#   | .11  |        | br0 (br_netfilter)        |  .20  |
#   +------+        |  |               |        +-------+
#   +------+ w0  p2 |  |               |
#   | sta2 |--------|--+               |
#   | .12  |        +------------------+
#   +------+        192.0.2.0/24, one L2 segment
#
# Helpers run through check, busywait and trap, which shellcheck cannot see:
# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
require_root
require_cmd python3 iptables-nft ip6tables-nft conntrack tc curl ping ss setpriv

IPT=iptables-nft
IP6T=ip6tables-nft
PORT=8080
BLOB=262144
URL4=http://198.51.100.2:$PORT/blob
URL6="http://[2001:db8:2::2]:$PORT/blob"
MAC1=02:00:00:00:0c:01		# client
MAC2=02:00:00:00:0c:02		# client2
MAC2G=00:16:3e:00:0c:02		# client2 with a globally administered MAC
# A prio qdisc that maps the classes' priorities to bands:
#   premium 6 -> 1:1, express 4 -> 1:2, standard 0 (and the rest) -> 1:3,
#   bulk 2 -> 1:4.  TC_PRIO_CONTROL (7, IGMP/MLD) goes to 1:3 so that it
#   cannot be mistaken for premium traffic.
PRIOMAP=(2 2 3 2 1 2 0 2 2 2 2 2 2 2 2 2)

client="" router="" server="" client2="" ap="" sta1="" sta2="" wired=""
WWW=$(mktemp -d /tmp/clipper-classify.XXXXXX)
BRNF_LOADED=
cleanup() {
	stop_bg
	cleanup_ns
	rm -rf "$WWW"
	[ -n "$BRNF_LOADED" ] && rmmod br_netfilter 2>/dev/null
}
trap cleanup EXIT

R() { ip netns exec "$router" "$@"; }
C() { ip netns exec "$router" "$CLIPPER" "$@"; }

# jsel KEY VALUE FIELD: FIELD of the element of the JSON array on stdin
# whose KEY is VALUE (case-insensitive); "absent" when there is none.
# Strings print bare, everything else as JSON (true, null, 10).
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

# jget PATH: d[PATH] of the JSON object on stdin, printed like jsel.
jget() {
	python3 -c '
import json, sys
r = eval("json.load(sys.stdin)" + sys.argv[1])
print(r if isinstance(r, str) else json.dumps(r))' "$1" 2>/dev/null || echo "error"
}

class_get() { C -j class list | jsel class "$1" "$2"; }
mac_get() { C -j mac list | jsel mac "$1" "$2"; }
cfg_get() { C -j class default | jget "[\"$1\"]"; }
classify_flows() { C -j stats | jget '["classify"]["flows"]'; }

# ct_mark FAMILY PROTO SRC [CONNTRACK FILTER...]: the marks (decimal, sorted,
# unique) of the router's conntrack entries of the flows opened by SRC.
ct_mark() { ct_mark_ say "$@"; }
ct_mark_() {
	local say=$1 fam=$2 proto=$3 src=$4 out
	shift 4
	out=$(R conntrack -L -f "$fam" -p "$proto" -s "$src" "$@" 2>"$WWW/ct.err")
	if [ -z "$out" ] && [ "$say" = say ]; then
		# no entry: say what conntrack said, and what the table holds
		sed 's/^/# conntrack -L: /' "$WWW/ct.err" >&2
		R conntrack -L 2>&1 | head -n 20 | sed 's/^/# table: /' >&2
	fi
	echo "$out" | sed -n 's/.* mark=\([0-9]*\).*/\1/p' | sort -u | paste -sd' ' -
}

ct_is() { [ "$(ct_mark_ quiet "$1" "$2" "$3")" = "$4" ]; }

# ctr IPT TAG [bytes]: packets (or bytes) counted by the rule of mangle
# POSTROUTING whose comment is TAG.
ctr() {
	local col=1
	[ "${3:-}" = bytes ] && col=2
	R "$1" -t mangle -L POSTROUTING -v -x -n |
		awk -v tag="/* $2 */" -v col="$col" 'index($0, tag) { print $col; exit }'
}

ctr_ge() { [ "$(ctr "$1" "$2" "${4:-}")" -ge "$3" ] 2>/dev/null; }

# count_marks IPT TAG MARK/MASK: count the packets that leave towards the
# server (up-TAG) and towards the clients (down-TAG) with that skb->mark.
count_marks() {
	R "$1" -t mangle -A POSTROUTING -o r1 -m mark --mark "$3" -m comment --comment "up-$2"
	R "$1" -t mangle -A POSTROUTING -o br0 -m mark --mark "$3" -m comment --comment "down-$2"
}

classify_rule() {
	local ipt=$1
	shift
	R "$ipt" -t mangle -A PREROUTING -j CLIPPER --classify "$@"
}

# Every case starts with no rule and no conntrack entry in the router.
new_case() {
	echo "# --- $*"
	R "$IPT" -t mangle -F 2>/dev/null
	R "$IP6T" -t mangle -F 2>/dev/null
	R conntrack -F >/dev/null 2>&1
}

pingn() { ip netns exec "$1" ping -q -c "$3" -i 0.2 -W 2 "$2" >/dev/null; }

# fetch NS URL [CURL ARG...]: download the blob, print the bytes received
fetch() {
	local ns=$1 url=$2
	shift 2
	ip netns exec "$ns" curl -sSg --noproxy '*' --max-time 30 -o /dev/null \
		-w '%{size_download}' "$@" "$url"
}

# prio_reset DEV...: a fresh prio qdisc (zero counters) on each DEV
prio_reset() {
	local d
	for d in "$@"; do
		R tc qdisc del dev "$d" root 2>/dev/null
		R tc qdisc add dev "$d" root handle 1: prio bands 4 priomap "${PRIOMAP[@]}"
	done
}

# band DEV CLASSID: packets the prio band has sent
band() {
	R tc -s class show dev "$1" |
		awk -v c="$2" '$1 == "class" { cur = $3 } cur == c && $1 == "Sent" { print $4; exit }'
}

band_ge() { [ "$(band "$1" "$2")" -ge "$3" ] 2>/dev/null; }

# set_mac NS DEV MAC: change a client's MAC; the router forgets the old one
set_mac() {
	ip -n "$1" link set dev "$2" address "$3"
	R ip neigh flush dev br0
}

# the reply tuple of the client's ping flow names the router's WAN address
nat_seen() {
	R conntrack -L -p icmp -s 192.0.2.2 2>/dev/null | grep -q 'src=198.51.100.2 dst=198.51.100.1 '
}

# num VALUE: VALUE if it is a number, else -1 (so that a check fails, not breaks)
num() {
	case $1 in
	'' | *[!0-9]*) echo -1 ;;
	*) echo "$1" ;;
	esac
}

listening() { ip netns exec "$server" ss -Hltn "sport = :$PORT" | grep -q .; }

# --- setup -----------------------------------------------------------------

modprobe xt_CLIPPER || { fail "modprobe xt_CLIPPER"; ktap_finished; }
if ! setup_topology || ! setup_ns client2; then
	fail "topology"
	ktap_finished
fi
R sysctl -qw net.bridge.bridge-nf-call-iptables=0 2>/dev/null
R sysctl -qw net.bridge.bridge-nf-call-ip6tables=0 2>/dev/null
R ip addr flush dev r0
R ip link add name br0 address 02:00:00:00:01:00 type bridge
R ip link set r0 master br0
ip link add c2 netns "$client2" type veth peer name r2 netns "$router"
ip -n "$client2" link set c2 address "$MAC2"
R ip link set r2 master br0
R ip addr add 192.0.2.1/24 dev br0
R ip addr add 2001:db8:1::1/64 dev br0 nodad
R ip link set br0 up
R ip link set r2 up
ip -n "$client2" addr add 192.0.2.3/24 dev c2
ip -n "$client2" addr add 2001:db8:1::3/64 dev c2 nodad
ip -n "$client2" link set c2 up
ip -n "$client2" route add default via 192.0.2.1
ip -n "$client2" -6 route add default via 2001:db8:1::1

check "topology: client reaches the server" pingn "$client" 198.51.100.2 1
check "topology: client2 reaches the server" pingn "$client2" 198.51.100.2 1
check "topology: client reaches the server over IPv6" busywait 5000 pingn "$client" 2001:db8:2::2 1
check "topology: client2 reaches the server over IPv6" busywait 5000 pingn "$client2" 2001:db8:2::2 1

if ! C mac list >/dev/null; then
	fail "clipper mac list (the MAC table) works"
	ktap_finished
fi

# A web server for TCP flows, in both families (Python's DualStackServer).
head -c "$BLOB" /dev/zero > "$WWW/blob"
ip netns exec "$server" python3 -m http.server --bind :: --directory "$WWW" "$PORT" \
	>/dev/null 2>&1 &
PIDS+=("$!")
check "web server listens in the server namespace" busywait 60000 listening

# --- 0: defaults -----------------------------------------------------------
echo "# --- defaults"
for spec in exempt:100:null premium:10:6 express:20:4 standard:30:0 bulk:40:2; do
	IFS=: read -r cls mark prio <<< "$spec"
	check_eq "class $cls: default mark $mark" "$mark" "$(class_get "$cls" mark)"
	check_eq "class $cls: default priority $prio" "$prio" "$(class_get "$cls" priority)"
done
check_eq "default class: standard" standard "$(cfg_get default)"
check_eq "random-MAC class: standard" standard "$(cfg_get random)"
check_eq "mac-max: 65536" 65536 "$(cfg_get mac_max)"
check_eq "MAC table empty" 0 "$(cfg_get mac_count)"

# --- 1: premium and bulk client, by MAC -------------------------------------
new_case "1: a premium and a bulk client: the conntrack mark"
check "mac add premium with a comment" C mac add "$MAC1" premium comment "living room"
check "mac add bulk" C mac add "$MAC2" bulk
check_eq "mac list: class" premium "$(mac_get "$MAC1" class)"
check_eq "mac list: prefix 48 when none is given" 48 "$(mac_get "$MAC1" prefix)"
check_eq "mac list: comment" "living room" "$(mac_get "$MAC1" comment)"
check_eq "mac list: the bulk entry" bulk "$(mac_get "$MAC2" class)"
check_eq "class default: 2 entries" 2 "$(cfg_get mac_count)"
check "rule -j CLIPPER --classify in mangle PREROUTING" classify_rule "$IPT"
check "premium client: ping" pingn "$client" 198.51.100.2 3
check "bulk client: ping" pingn "$client2" 198.51.100.2 3
check_eq "premium client: ping flow has ct mark 10" 10 "$(ct_mark ipv4 icmp 192.0.2.2)"
check_eq "bulk client: ping flow has ct mark 40" 40 "$(ct_mark ipv4 icmp 192.0.2.3)"
check_eq "premium client: TCP download completes" "$BLOB" "$(fetch "$client" "$URL4")"
check_eq "bulk client: TCP download completes" "$BLOB" "$(fetch "$client2" "$URL4")"
check_eq "premium client: TCP flow has ct mark 10" 10 "$(ct_mark ipv4 tcp 192.0.2.2 --dport "$PORT")"
check_eq "bulk client: TCP flow has ct mark 40" 40 "$(ct_mark ipv4 tcp 192.0.2.3 --dport "$PORT")"

# --- 2: skb->mark in both directions ---------------------------------------
new_case "2: skb->mark on uploads and downloads"
classify_rule "$IPT"
count_marks "$IPT" p 10/0xff
count_marks "$IPT" b 40/0xff
pingn "$client" 198.51.100.2 4
pingn "$client2" 198.51.100.2 3
check_eq "premium upload: 4 echo requests with skb mark 10" 4 "$(ctr "$IPT" up-p)"
check_eq "premium download: 4 echo replies with skb mark 10" 4 "$(ctr "$IPT" down-p)"
check_eq "bulk upload: 3 echo requests with skb mark 40" 3 "$(ctr "$IPT" up-b)"
check_eq "bulk download: 3 echo replies with skb mark 40" 3 "$(ctr "$IPT" down-b)"
R "$IPT" -t mangle -Z POSTROUTING
check_eq "premium TCP download completes" "$BLOB" "$(fetch "$client" "$URL4")"
check "premium TCP: >= $BLOB bytes downloaded with skb mark 10" ctr_ge "$IPT" down-p "$BLOB" bytes
check "premium TCP: the upload direction is marked 10 too" ctr_ge "$IPT" up-p 1
check_eq "premium TCP: nothing marked bulk" 0 "$(ctr "$IPT" down-b bytes)"
check_eq "bulk TCP download completes" "$BLOB" "$(fetch "$client2" "$URL4")"
check "bulk TCP: >= $BLOB bytes downloaded with skb mark 40" ctr_ge "$IPT" down-b "$BLOB" bytes

# --- 3: skb->priority --------------------------------------------------------
# IPv4 forwarding sets skb->priority from the TOS after PREROUTING unless
# net.ipv4.ip_forward_update_priority is 0; a rule in FORWARD is the other way.
new_case "3: skb->priority through a prio qdisc"
R sysctl -qw net.ipv4.ip_forward_update_priority=0
classify_rule "$IPT"
classify_rule "$IP6T"
prio_reset r0 r1 r2
pingn "$client" 198.51.100.2 4
pingn "$client2" 198.51.100.2 4
check "premium download (r0): replies in the priority-6 band 1:1" band_ge r0 1:1 4
check_eq "premium download (r0): none in the bulk band 1:4" 0 "$(band r0 1:4)"
check "bulk download (r2): replies in the priority-2 band 1:4" band_ge r2 1:4 4
check_eq "bulk download (r2): none in the premium band 1:1" 0 "$(band r2 1:1)"
check "premium upload (r1): requests in band 1:1" band_ge r1 1:1 4
check "bulk upload (r1): requests in band 1:4" band_ge r1 1:4 4
R sysctl -qw net.ipv4.ip_forward_update_priority=1

prio_reset r0 r1
pingn "$client" 2001:db8:2::2 4
check "IPv6 premium download (r0): band 1:1" band_ge r0 1:1 4
check "IPv6 premium upload (r1): band 1:1" band_ge r1 1:1 4

new_case "3b: the rule in mangle FORWARD only"
check "rule -j CLIPPER --classify in mangle FORWARD" R "$IPT" -t mangle -A FORWARD -j CLIPPER --classify
prio_reset r0 r1
pingn "$client" 198.51.100.2 4
check_eq "FORWARD: ping flow has ct mark 10" 10 "$(ct_mark ipv4 icmp 192.0.2.2)"
check "FORWARD: premium download (r0) in band 1:1" band_ge r0 1:1 4
check "FORWARD: premium upload (r1) in band 1:1" band_ge r1 1:1 4
R "$IPT" -t mangle -F FORWARD

new_case "3c: priority unchanged"
R sysctl -qw net.ipv4.ip_forward_update_priority=0
check "class set premium priority unchanged" C class set premium priority unchanged
check_eq "class list: premium priority null" null "$(class_get premium priority)"
classify_rule "$IPT"
prio_reset r0
pingn "$client" 198.51.100.2 4
check "unchanged: premium download (r0) stays best effort (1:3)" band_ge r0 1:3 4
check_eq "unchanged: nothing in band 1:1" 0 "$(band r0 1:1)"
check "class set premium priority 6" C class set premium priority 6
check_eq "class list: premium priority 6" 6 "$(class_get premium priority)"
R sysctl -qw net.ipv4.ip_forward_update_priority=1
for d in r0 r1 r2; do
	R tc qdisc del dev "$d" root 2>/dev/null
done

# --- 4: --mark-mask ----------------------------------------------------------
new_case "4: --mark-mask 0xff00 keeps the other bits"
check "class set premium mark 0x0a00" C class set premium mark 0x0a00
check "class set bulk mark 0x2800" C class set bulk mark 0x2800
check_eq "class list: premium mark 2560" 2560 "$(class_get premium mark)"
# a ct mark bit and an skb mark bit outside the mask, set on every packet
R "$IPT" -t mangle -A PREROUTING -j CONNMARK --set-xmark 0x1/0x1
R "$IPT" -t mangle -A PREROUTING -j MARK --set-xmark 0x4/0x4
check "rule --classify --mark-mask 0xff00" classify_rule "$IPT" --mark-mask 0xff00
count_marks "$IPT" p 0x0a04/0xffff
count_marks "$IPT" b 0x2804/0xffff
pingn "$client" 198.51.100.2 4
pingn "$client2" 198.51.100.2 4
check_eq "premium ct mark 0x0a01: class under the mask, bit 0x1 kept" 2561 "$(ct_mark ipv4 icmp 192.0.2.2)"
check_eq "bulk ct mark 0x2801" 10241 "$(ct_mark ipv4 icmp 192.0.2.3)"
check_eq "premium upload: skb mark 0x0a04" 4 "$(ctr "$IPT" up-p)"
check_eq "premium download: skb mark 0x0a04" 4 "$(ctr "$IPT" down-p)"
check_eq "bulk upload: skb mark 0x2804" 4 "$(ctr "$IPT" up-b)"
check_eq "bulk download: skb mark 0x2804" 4 "$(ctr "$IPT" down-b)"
C class set premium mark 10
C class set bulk mark 40
check_eq "class list: premium mark back to 10" 10 "$(class_get premium mark)"

# --- 5: IPv6 -----------------------------------------------------------------
new_case "5: IPv6"
check "ip6tables rule -j CLIPPER --classify" classify_rule "$IP6T"
count_marks "$IP6T" p 10/0xff
count_marks "$IP6T" b 40/0xff
check "IPv6: premium client ping" pingn "$client" 2001:db8:2::2 4
check "IPv6: bulk client ping" pingn "$client2" 2001:db8:2::2 4
check_eq "IPv6: premium ping flow has ct mark 10" 10 "$(ct_mark ipv6 icmpv6 2001:db8:1::2)"
check_eq "IPv6: bulk ping flow has ct mark 40" 40 "$(ct_mark ipv6 icmpv6 2001:db8:1::3)"
check_eq "IPv6: premium TCP download completes" "$BLOB" "$(fetch "$client" "$URL6")"
check_eq "IPv6: bulk TCP download completes" "$BLOB" "$(fetch "$client2" "$URL6")"
check_eq "IPv6: premium TCP flow has ct mark 10" 10 "$(ct_mark ipv6 tcp 2001:db8:1::2 --dport "$PORT")"
check_eq "IPv6: bulk TCP flow has ct mark 40" 40 "$(ct_mark ipv6 tcp 2001:db8:1::3 --dport "$PORT")"
check "IPv6: premium uploads carry skb mark 10" ctr_ge "$IP6T" up-p 4
check "IPv6: premium downloads carry skb mark 10" ctr_ge "$IP6T" down-p "$BLOB" bytes
check "IPv6: bulk downloads carry skb mark 40" ctr_ge "$IP6T" down-b "$BLOB" bytes

# --- 6: NAT on the WAN side ----------------------------------------------------
new_case "6: MASQUERADE towards the server"
R "$IPT" -t nat -A POSTROUTING -o r1 -j MASQUERADE
classify_rule "$IPT"
count_marks "$IPT" p 10/0xff
pingn "$client" 198.51.100.2 4
check "NAT: the server answered the router's address" nat_seen
check_eq "NAT: ping flow has ct mark 10" 10 "$(ct_mark ipv4 icmp 192.0.2.2)"
check_eq "NAT: uploads carry skb mark 10" 4 "$(ctr "$IPT" up-p)"
check_eq "NAT: de-NATed replies carry skb mark 10" 4 "$(ctr "$IPT" down-p)"
check_eq "NAT: TCP download completes" "$BLOB" "$(fetch "$client" "$URL4")"
check "NAT: TCP download carries skb mark 10" ctr_ge "$IPT" down-p "$BLOB" bytes
check_eq "NAT: TCP flow has ct mark 10" 10 "$(ct_mark ipv4 tcp 192.0.2.2 --dport "$PORT")"
R "$IPT" -t nat -F POSTROUTING

# --- 7: prefixes, longest match ------------------------------------------------
for order in "/40 first" "/48 first"; do
	new_case "7: prefix entries, $order"
	C mac flush
	if [ "$order" = "/40 first" ]; then
		check "$order: mac add 02:00:00:00:0c:00/40 bulk" C mac add 02:00:00:00:0c:00/40 bulk
		check "$order: mac add $MAC1/48 premium" C mac add "$MAC1/48" premium
	else
		check "$order: mac add $MAC1/48 premium" C mac add "$MAC1/48" premium
		check "$order: mac add 02:00:00:00:0c:00/40 bulk" C mac add 02:00:00:00:0c:00/40 bulk
	fi
	check_eq "$order: mac list shows prefix 40" 40 "$(mac_get 02:00:00:00:0c:00 prefix)"
	classify_rule "$IPT"
	pingn "$client" 198.51.100.2 2
	pingn "$client2" 198.51.100.2 2
	check_eq "$order: the /48 wins for $MAC1 (premium, 10)" 10 "$(ct_mark ipv4 icmp 192.0.2.2)"
	check_eq "$order: $MAC2, only under the /40, is bulk (40)" 40 "$(ct_mark ipv4 icmp 192.0.2.3)"
done
check "mac del of the /40" C mac del 02:00:00:00:0c:00/40
check_eq "mac del of the /40: the /48 stays" premium "$(mac_get "$MAC1" class)"
R conntrack -F >/dev/null 2>&1
pingn "$client2" 198.51.100.2 2
check_eq "without the /40, $MAC2 gets the random class (30)" 30 "$(ct_mark ipv4 icmp 192.0.2.3)"

# --- 8: default and random-MAC classes --------------------------------------
new_case "8: default class and random-MAC class"
C mac flush
classify_rule "$IPT"
set_mac "$client2" c2 "$MAC2G"
pingn "$client2" 198.51.100.2 2
check_eq "unknown global MAC: default class standard (30)" 30 "$(ct_mark ipv4 icmp 192.0.2.3)"
check "class default express" C class default express
check_eq "class default: express" express "$(cfg_get default)"
R conntrack -F >/dev/null 2>&1
pingn "$client2" 198.51.100.2 2
pingn "$client" 198.51.100.2 2
check_eq "unknown global MAC: now express (20)" 20 "$(ct_mark ipv4 icmp 192.0.2.3)"
check_eq "unknown random MAC: random class, still standard (30)" 30 "$(ct_mark ipv4 icmp 192.0.2.2)"
check "class default random bulk" C class default random bulk
check_eq "class default: random bulk" bulk "$(cfg_get random)"
check_eq "class default: default still express" express "$(cfg_get default)"
R conntrack -F >/dev/null 2>&1
pingn "$client2" 198.51.100.2 2
pingn "$client" 198.51.100.2 2
check_eq "unknown random MAC: bulk (40)" 40 "$(ct_mark ipv4 icmp 192.0.2.2)"
check_eq "unknown global MAC: still express (20)" 20 "$(ct_mark ipv4 icmp 192.0.2.3)"
C mac add "$MAC1" premium
C mac add "$MAC2G" premium
check_eq "mac list: $MAC1 is random" true "$(mac_get "$MAC1" random)"
check_eq "mac list: $MAC2G is not random" false "$(mac_get "$MAC2G" random)"
R conntrack -F >/dev/null 2>&1
pingn "$client" 198.51.100.2 2
check_eq "an entry beats the random class" 10 "$(ct_mark ipv4 icmp 192.0.2.2)"
check "class default standard" C class default standard
check "class default random standard" C class default random standard
check_eq "class default: back to standard" standard "$(cfg_get default)"
check_eq "class default: random back to standard" standard "$(cfg_get random)"
set_mac "$client2" c2 "$MAC2"
C mac flush

# --- 9: changes apply to new flows only ----------------------------------------
new_case "9: del and class changes leave running flows alone"
C mac add "$MAC1" premium
classify_rule "$IPT"
count_marks "$IPT" p 10/0xff
ip netns exec "$client" ping -q -i 0.2 -c 300 -W 2 198.51.100.2 >/dev/null 2>&1 &
pingpid=$!
PIDS+=("$pingpid")
check "running ping flow classified premium (10)" busywait 5000 ct_is ipv4 icmp 192.0.2.2 10
check "mac del $MAC1" C mac del "$MAC1"
R "$IPT" -t mangle -Z POSTROUTING
check "after mac del: replies of the running flow still carry skb mark 10" \
	busywait 5000 ctr_ge "$IPT" down-p 3
check_eq "after mac del: the running flow's ct mark is still 10" 10 "$(ct_mark ipv4 icmp 192.0.2.2)"
check_eq "after mac del: a new TCP flow downloads" "$BLOB" \
	"$(fetch "$client" "$URL4" --local-port 40001)"
check_eq "after mac del: the new flow gets the random class (30)" 30 "$(ct_mark ipv4 tcp 192.0.2.2 --sport 40001)"
check "mac add $MAC1 bulk" C mac add "$MAC1" bulk
check_eq "after the change: a new flow downloads" "$BLOB" "$(fetch "$client" "$URL4" --local-port 40002)"
check_eq "after the change: the new TCP flow is bulk (40)" 40 "$(ct_mark ipv4 tcp 192.0.2.2 --sport 40002)"
R "$IPT" -t mangle -Z POSTROUTING
check "after the change: the running flow still carries skb mark 10" \
	busywait 5000 ctr_ge "$IPT" down-p 3
check_eq "after the change: the running flow's ct mark is still 10" 10 "$(ct_mark ipv4 icmp 192.0.2.2)"
check "mac flush" C mac flush
check_eq "after mac flush: the table is empty" 0 "$(cfg_get mac_count)"
check_eq "after mac flush: the running flow's ct mark is still 10" 10 "$(ct_mark ipv4 icmp 192.0.2.2)"
kill "$pingpid" 2>/dev/null
wait "$pingpid" 2>/dev/null

# --- 10: counters ------------------------------------------------------------
new_case "10: class, MAC and stats counters"
# per-MAC packets and bytes are counted on request (mactable.sh: off)
C config set mac-counters on
C mac add "$MAC1" premium
C mac add "$MAC2" bulk
classify_rule "$IPT"
pp=$(num "$(class_get premium packets)")
pb=$(num "$(class_get premium bytes)")
pf=$(num "$(class_get premium flows)")
bf=$(num "$(class_get bulk flows)")
sf=$(num "$(classify_flows)")
pingn "$client" 198.51.100.2 5
check "class list: premium packets grew by >= 5" test "$(class_get premium packets)" -ge $((pp + 5))
check "class list: premium bytes grew by >= 5 x 84" test "$(class_get premium bytes)" -ge $((pb + 420))
check_eq "class list: premium flows grew by 1" $((pf + 1)) "$(class_get premium flows)"
check_eq "class list: bulk flows unchanged" "$bf" "$(class_get bulk flows)"
check_eq "mac list: the premium MAC classified 1 flow" 1 "$(mac_get "$MAC1" flows)"
check "mac list: the premium MAC counted packets" test "$(mac_get "$MAC1" packets)" -ge 1
check "mac list: the premium MAC counted bytes" test "$(mac_get "$MAC1" bytes)" -ge 84
check_eq "mac list: the bulk MAC classified nothing" 0 "$(mac_get "$MAC2" flows)"
check "stats: classify flows grew" test "$(classify_flows)" -gt "$sf"

# --- 11: table limit ---------------------------------------------------------
echo "# --- 11: mac-max"
C mac flush
check "config set mac-max 2" C config set mac-max 2
check_eq "class default: mac_max 2" 2 "$(cfg_get mac_max)"
check "table limit: first add" C mac add 00:16:3e:00:00:01 premium
check "table limit: second add" C mac add 00:16:3e:00:00:02 express
out=$(C mac add 00:16:3e:00:00:03 bulk 2>&1)
check_eq "table limit: third add exits 1" 1 "$?"
check "table limit: the message says the table is full" grep -qi "full" <<< "$out"
check_eq "table limit: still 2 entries" 2 "$(cfg_get mac_count)"
check "config set mac-max 65536" C config set mac-max 65536
check_eq "class default: mac_max 65536" 65536 "$(cfg_get mac_max)"
check "table limit lifted: third add" C mac add 00:16:3e:00:00:03 bulk

# --- 12: refusals ------------------------------------------------------------
echo "# --- 12: refusals"
C mac flush
C mac add 00:16:3e:00:00:01 premium
out=$(C mac add 00:16:3e:00:00:01 bulk 2>&1)
check_eq "duplicate mac add exits 1" 1 "$?"
check "duplicate mac add: a message" test -n "$out"
check_eq "duplicate mac add: the entry is unchanged" premium "$(mac_get 00:16:3e:00:00:01 class)"
out=$(C mac del 00:16:3e:00:00:99 2>&1)
check_eq "mac del of a missing entry exits 1" 1 "$?"
check "mac del of a missing entry: a message" test -n "$out"
C mac add 00:16:3e:00:00:02 gold >/dev/null 2>&1
check_eq "mac add with an unknown class exits 2" 2 "$?"
C class set gold mark 5 >/dev/null 2>&1
check_eq "class set of an unknown class exits 2" 2 "$?"
C class default gold >/dev/null 2>&1
check_eq "class default with an unknown class exits 2" 2 "$?"
C mac add 00:16:3e:00 premium >/dev/null 2>&1
check_eq "mac add with a malformed MAC exits 2" 2 "$?"
check_eq "refusals left one entry" 1 "$(cfg_get mac_count)"

NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
check "non-root: mac list is readable" ip netns exec "$router" "${NOBODY[@]}" "$CLIPPER" mac list
out=$(ip netns exec "$router" "${NOBODY[@]}" "$CLIPPER" mac add 00:16:3e:00:00:05 bulk 2>&1)
check_eq "non-root: mac add exits 1" 1 "$?"
check "non-root: mac add names CAP_NET_ADMIN" grep -q "CAP_NET_ADMIN" <<< "$out"
out=$(ip netns exec "$router" "${NOBODY[@]}" "$CLIPPER" class set premium mark 11 2>&1)
check_eq "non-root: class set exits 1" 1 "$?"
check "non-root: class set names CAP_NET_ADMIN" grep -q "CAP_NET_ADMIN" <<< "$out"
out=$(ip netns exec "$router" "${NOBODY[@]}" "$CLIPPER" mac flush 2>&1)
check_eq "non-root: mac flush exits 1" 1 "$?"
check_eq "non-root: nothing changed (1 entry)" 1 "$(cfg_get mac_count)"
check_eq "non-root: nothing changed (premium mark 10)" 10 "$(class_get premium mark)"
C mac flush

# --- 13: a bridged access point ------------------------------------------------
echo "# --- 13: bridged access point with br_netfilter"
if [ ! -d /sys/module/br_netfilter ]; then
	modprobe br_netfilter 2>/dev/null && BRNF_LOADED=1
fi
if [ ! -d /sys/module/br_netfilter ]; then
	skip "bridged AP: br_netfilter is not available"
elif ! setup_ns ap sta1 sta2 wired; then
	fail "bridged AP: namespaces"
else
	A() { ip netns exec "$ap" "$@"; }
	A ip link add name br0 type bridge
	i=1
	for ns in "$sta1" "$sta2" "$wired"; do
		ip link add w0 netns "$ns" type veth peer name "p$i" netns "$ap"
		A ip link set "p$i" master br0
		A ip link set "p$i" up
		i=$((i + 1))
	done
	ip -n "$sta1" link set w0 address 00:16:3e:00:0d:01
	ip -n "$sta2" link set w0 address 00:16:3e:00:0d:02
	ip -n "$sta1" addr add 192.0.2.11/24 dev w0
	ip -n "$sta2" addr add 192.0.2.12/24 dev w0
	ip -n "$wired" addr add 192.0.2.20/24 dev w0
	for ns in "$sta1" "$sta2" "$wired"; do
		ip -n "$ns" link set w0 up
	done
	A ip link set br0 up
	if ! A sysctl -qw net.bridge.bridge-nf-call-iptables=1; then
		skip "bridged AP: no per-namespace bridge-nf-call-iptables"
	else
		check "bridged AP: mac add sta1 premium" "$CLIPPER" -n "$ap" mac add 00:16:3e:00:0d:01 premium
		check "bridged AP: mac add sta2 bulk" "$CLIPPER" -n "$ap" mac add 00:16:3e:00:0d:02 bulk
		check "bridged AP: rule in PREROUTING" A "$IPT" -t mangle -A PREROUTING -j CLIPPER --classify
		A "$IPT" -t mangle -A POSTROUTING -s 192.0.2.20 -d 192.0.2.11 -m mark --mark 10/0xff \
			-m comment --comment down-sta1
		A "$IPT" -t mangle -A POSTROUTING -s 192.0.2.20 -d 192.0.2.12 -m mark --mark 40/0xff \
			-m comment --comment down-sta2
		check "bridged AP: sta1 pings the wired host" pingn "$sta1" 192.0.2.20 4
		check "bridged AP: sta2 pings the wired host" pingn "$sta2" 192.0.2.20 4
		ap_ct() {
			A conntrack -L -p icmp -s "$1" 2>/dev/null |
				sed -n 's/.* mark=\([0-9]*\).*/\1/p' | sort -u | paste -sd' ' -
		}
		ap_ctr() {
			A "$IPT" -t mangle -L POSTROUTING -v -x -n |
				awk -v tag="/* $1 */" 'index($0, tag) { print $1; exit }'
		}
		check_eq "bridged AP: sta1 flow has ct mark 10" 10 "$(ap_ct 192.0.2.11)"
		check_eq "bridged AP: sta2 flow has ct mark 40" 40 "$(ap_ct 192.0.2.12)"
		check "bridged AP: replies to sta1 carry skb mark 10" test "$(ap_ctr down-sta1)" -ge 4
		check "bridged AP: replies to sta2 carry skb mark 40" test "$(ap_ctr down-sta2)" -ge 4
		check_eq "bridged AP: the router's namespace has its own table" 0 "$(cfg_get mac_count)"
	fi
fi

check_eq "kernel log clean" "" "$(dmesg_bad)"
ktap_finished
