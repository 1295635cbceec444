#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# --ws-count with real WebSocket peers through a router:
#
#   client (192.0.2.2, 2001:db8:1::2) -- router -- server (198.51.100.2,
#   2001:db8:2::2), a --ws-count rule in the router's FORWARD chain.
#
# Two independent implementations from Debian's packages, python3-websockets
# and node-ws, talk to each other both ways (IPv4 and IPv6) and report each
# frame they put on the wire; clipper's totals must equal them frame for
# frame and byte for byte, per direction.  The same with the hixie-76 and
# hixie-75 framings (a raw peer writing in 7-byte pieces), with every link
# at MTU 576 and loss behind the router (retransmits), with netem
# reordering in front of it, and, through tshark's WebSocket dissector on a capture
# taken at the router, against an independent reading of the wire (also
# for libwebsockets' own test client and server).  Then: flows that are
# not WebSocket, a malformed stream, the table limit and its monitor event,
# idle expiry, a SYN dropped after the rule, flows that have sent nothing
# yet (silent, then both ends writing at once), 2000 flows at once and their
# dump, conntrack -F, and rmmod while flows are followed.
#
# Environment: CLIPPER_WS_MANY_SECONDS (default 90), how long the 2000
# flows may take to upgrade (the python peers get 60 s more in all);
# WS_PEER_TIMEOUT (default 60), the overall time of each other peer.
#
# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
require_root
require_cmd node iptables-nft ip6tables-nft tshark dumpcap tc curl conntrack

WS=$TOP/selftests/clipper/ws
PY=/usr/bin/python3
PORT=8080
MANY_SECONDS=${CLIPPER_WS_MANY_SECONDS:-90}
T=$(mktemp -d /tmp/clipper-ws.XXXXXX)
cleanup() {
	stop_bg
	cleanup_ns
	rm -rf "$T"
}
trap cleanup EXIT

client="" router="" server=""
R() { ip netns exec "$router" "$CLIPPER" "$@"; }

peer() {
	case $1 in
	py) echo "$PY $WS/ws_peer.py" ;;
	node) echo "node $WS/ws_peer.js" ;;
	hixie) echo "$PY $WS/hixie_peer.py" ;;
	esac
}

server_addr() { [ "$1" = 6 ] && echo 2001:db8:2::2 || echo 198.51.100.2; }
server_url() { [ "$1" = 6 ] && echo "ws://[2001:db8:2::2]:$PORT/" || echo "ws://198.51.100.2:$PORT/"; }

listening() { ip netns exec "$server" ss -ltnH "sport = :$PORT" | grep -q .; }
# The server's port open.  A python server on the debug kernel, with other
# VMs on the machine, has taken more than 30 s to get there: the wait is
# long, and costs nothing when it is not needed.
wait_listening() { busywait 120000 listening; }

# start_server NAME IMPL FAMILY [ARGS...]: a server for one connection
start_server() {
	local name=$1 impl=$2 fam=$3
	shift 3
	# shellcheck disable=SC2046
	ip netns exec "$server" $(peer "$impl") server --listen "$(server_addr "$fam")" \
		--port "$PORT" --report "$T/$name.srv.json" -q "$@" &
	SRV=$!
	wait_listening && return 0
	# one that came up later would hold the port the next server wants
	kill "$SRV" 2>/dev/null
	wait "$SRV" 2>/dev/null
	return 1
}

# pair NAME SERVER CLIENT FAMILY [CLIENT ARGS...]: one exchange, counted
pair() {
	local name=$1 simpl=$2 cimpl=$3 fam=$4 sargs=()
	shift 4
	[ "$simpl" = hixie ] && sargs=(--draft auto)
	R stats reset
	if ! start_server "$name" "$simpl" "$fam" "${sargs[@]}"; then
		fail "$name: the $simpl server listens"
		return 1
	fi
	# shellcheck disable=SC2046
	if ! ip netns exec "$client" $(peer "$cimpl") client --url "$(server_url "$fam")" \
		--report "$T/$name.cli.json" -q "$@"; then
		fail "$name: the $cimpl client's exchange"
		kill "$SRV" 2>/dev/null
		return 1
	fi
	wait "$SRV"
	R -j ws stats > "$T/$name.clipper.json"
	return 0
}

# counted NAME [--desync-ok]: clipper's totals against the peers' reports
counted() {
	check "$1: clipper's counts equal what client and server sent" \
		"$WS/wscmp.py" "$T/$1.clipper.json" "$T/$1.cli.json:sent" \
		"$T/$1.srv.json:sent" "${@:2}"
}

# stop_capture PCAP PID: dumpcap writes with a delay; once a UDP marker
# sent after the flow is in the file, so is everything before it.
stop_capture() {
	local _
	for _ in $(seq 40); do
		ip netns exec "$client" bash -c \
			"echo clipper-capture-marker > /dev/udp/198.51.100.2/$PORT" 2>/dev/null
		grep -qa clipper-capture-marker "$1" && break
		sleep 0.25
	done
	kill "$2"
	wait "$2" 2>/dev/null
}

jq_py() { $PY -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
# json_keys KEY...: those keys of the JSON object on stdin, on one line
json_keys() {
	$PY -c 'import json,sys; d=json.load(sys.stdin); print(*(d[k] for k in sys.argv[1:]))' "$@"
}
# ws_cfg, ws_stat KEY...: of the router's config, of its ws stats
ws_cfg() { R -j config | json_keys "$@"; }
ws_stat() { R -j ws stats | json_keys "$@"; }
# ws_count: the entries in the router's table (grep: quick, for polling)
ws_count() { R -j config | grep -o '"ws_count":[0-9]*' | cut -d: -f2; }
# table_empty: no entry left, pending or full
table_empty() { [ "$(ws_cfg ws_count ws_pending)" = "0 0" ]; }

setup_topology
for ipt in iptables-nft ip6tables-nft; do
	ip netns exec "$router" $ipt -A FORWARD -p tcp -j CLIPPER --ws-count
done

echo "# at ${SECONDS}s"
# ---- two implementations, both ways, IPv4 and IPv6 ------------------------

# python client -> node server, IPv4, captured for tshark; the flow is read
# from "ws list" while the client holds it open
ip netns exec "$router" dumpcap -q -i r0 -w "$T/cap1.pcap" -f "port $PORT" 2>/dev/null &
CAP=$!
PIDS+=("$CAP")
busywait 20000 test -s "$T/cap1.pcap"
R stats reset
start_server py-node node 4
# shellcheck disable=SC2046
ip netns exec "$client" $(peer py) client --url "$(server_url 4)" -q \
	--report "$T/py-node.cli.json" --hold-until-file "$T/go" \
	--hold-report "$T/py-node.hold.json" &
CLI=$!
if busywait 60000 test -s "$T/py-node.hold.json"; then
	R -j ws list > "$T/list.json"
	check_eq "ws list: one rfc6455 flow, client to server port" \
		"1 rfc6455 192.0.2.2 198.51.100.2 $PORT false" \
		"$(jq_py "$T/list.json" '" ".join(map(str, [len(d), d[0]["protocol"], d[0]["src"], d[0]["dst"], d[0]["dport"], str(d[0]["desync"]).lower()]))')"
	check "ws list: the flow's counts so far equal the client's sent and received" \
		"$WS/wscmp.py" "$T/list.json:0" "$T/py-node.hold.json:sent" \
		"$T/py-node.hold.json:received"
	check "ws list (human) shows the flow" sh -c "ip netns exec $router $CLIPPER ws list | grep -q '^rfc6455 .*192.0.2.2:.*198.51.100.2:$PORT'"
	check_eq "the upgraded flow has a full entry, not a pending one" "1 1 0" \
		"$(ws_cfg ws_count ws_active ws_pending)"
else
	fail "python client reached its hold point"
fi
touch "$T/go"
if wait "$CLI"; then
	pass "python client -> node server: exchange completed"
else
	fail "python client -> node server: exchange completed"
fi
wait "$SRV"
R -j ws stats > "$T/py-node.clipper.json"
counted py-node
stop_capture "$T/cap1.pcap" "$CAP"
if $PY "$WS/ws_oracle.py" "$T/cap1.pcap" "$PORT" --report "$T/cap1.oracle.json" >/dev/null 2>&1; then
	check "tshark's dissector reads the same frames as clipper" \
		"$WS/wscmp.py" "$T/py-node.clipper.json" "$T/cap1.oracle.json:c2s" \
		"$T/cap1.oracle.json:s2c"
else
	fail "tshark read the capture"
fi
check_eq "ws stats: one flow upgraded" 1 \
	"$(jq_py "$T/py-node.clipper.json" 'd["flows"]')"
check "ws stats: no flow active once TCP closed" busywait 5000 sh -c \
	"ip netns exec $router $CLIPPER -j ws stats | grep -q '\"flows_active\":0,'"

# node client -> python server, IPv6, many small frames in each segment
pair node-py py node 6 --mix stress && counted node-py

echo "# at ${SECONDS}s"
# ---- hixie-76 and hixie-75, cut into 7-byte writes -------------------------
for d in 76 75; do
	if pair "hixie$d" hixie hixie 4 --draft "$d" --split 7; then
		counted "hixie$d"
	fi
done

echo "# at ${SECONDS}s"
# ---- libwebsockets' own test server and client, against tshark ------------
if [ -x "$WS/ws_lws.sh" ] && command -v libwebsockets-test-server >/dev/null; then
	R stats reset
	ip netns exec "$router" dumpcap -q -i r0 -w "$T/lws.pcap" -f "port $PORT" 2>/dev/null &
	CAP=$!
	busywait 20000 test -s "$T/lws.pcap"
	if "$WS/ws_lws.sh" "$server" "$client" 198.51.100.2 "$PORT" > "$T/lws.out" 2>&1; then
		stop_capture "$T/lws.pcap" "$CAP"
		R -j ws stats > "$T/lws.clipper.json"
		$PY "$WS/ws_oracle.py" "$T/lws.pcap" "$PORT" --report "$T/lws.oracle.json" >/dev/null 2>&1
		check "libwebsockets test client and server: clipper equals tshark" \
			"$WS/wscmp.py" "$T/lws.clipper.json" "$T/lws.oracle.json:c2s" \
			"$T/lws.oracle.json:s2c"
		check "libwebsockets: frames were exchanged" \
			test "$(jq_py "$T/lws.clipper.json" 'sum(d["s2c"]["frames"].values())')" -gt 10
	else
		kill "$CAP"; wait "$CAP" 2>/dev/null
		fail "libwebsockets test client and server ran"
		sed 's/^/#   /' "$T/lws.out" | tail -n 10
	fi
else
	skip "libwebsockets test tools not installed"
fi

echo "# at ${SECONDS}s"
# ---- every link at MTU 576, and loss behind the router ------------------------
# Headers split across small segments; segments lost after the router and
# sent again must not be counted twice.
for dev in "$client:c0" "$router:r0" "$router:r1" "$server:s0"; do
	ip -n "${dev%%:*}" link set "${dev#*:}" mtu 576
done
tc -n "$router" qdisc add dev r0 root netem loss 4%
tc -n "$router" qdisc add dev r1 root netem loss 4%
pair mtu576-loss py node 4 && counted mtu576-loss
tc -n "$router" qdisc del dev r0 root
tc -n "$router" qdisc del dev r1 root
for dev in "$client:c0" "$router:r0" "$router:r1" "$server:s0"; do
	ip -n "${dev%%:*}" link set "${dev#*:}" mtu 1500
done

echo "# at ${SECONDS}s"
# ---- reordering in front of the router ---------------------------------------
# netem on the client's and the server's links sends every 5th packet at
# once and delays the others 20 ms: in a burst, that packet reaches the
# router ahead of the four before it.  Such a segment is followed when
# the gap lies inside a payload being skipped, or held back until the
# bytes in front of it come: the counts must be exact, and some segments
# must have been held.
tc -n "$client" qdisc add dev c0 root netem delay 20ms reorder 100% gap 5
tc -n "$server" qdisc add dev s0 root netem delay 20ms reorder 100% gap 5
if pair reorder py node 4; then
	counted reorder
	held=$(R -j stats | $PY -c 'import json,sys; print(json.load(sys.stdin)["ws"]["held"])')
	echo "# reorder: $held segment(s) held back"
	check "reorder: segments that arrived ahead were held back" test "$held" -gt 0
fi
tc -n "$client" qdisc del dev c0 root
tc -n "$server" qdisc del dev s0 root

echo "# at ${SECONDS}s"
# ---- not WebSocket: plain HTTP costs one look at the request -----------------
R stats reset
mkdir -p "$T/www" && echo hello > "$T/www/index.html"
ip netns exec "$server" $PY -m http.server -d "$T/www" -b 198.51.100.2 "$PORT" >/dev/null 2>&1 &
HTTPD=$!
PIDS+=("$HTTPD")
wait_listening
check "plain HTTP through the rule works" \
	ip netns exec "$client" curl -sf -o /dev/null "http://198.51.100.2:$PORT/"
kill "$HTTPD"; wait "$HTTPD" 2>/dev/null
R -j ws stats > "$T/http.json"
check_eq "plain HTTP: tracked, found not WebSocket, not counted" "1 1 0 0" \
	"$(jq_py "$T/http.json" 'd["tracked"], d["not_websocket"], d["flows"], d["c2s"]["header_bytes"]' | tr -d '(),')"
check_eq "plain HTTP: nothing left in the table" 0 \
	"$(ws_count)"

echo "# at ${SECONDS}s"
# ---- a malformed stream: counted as such, the flow stops being parsed ------
R stats reset
start_server malformed py 4
ip netns exec "$client" $PY "$WS/ws_raw.py" 198.51.100.2 "$PORT" rsv > "$T/raw.out" 2>&1 ||
	fail "raw client ran"
wait "$SRV"
R -j ws stats > "$T/malformed.json"
check_eq "RSV bits without an extension: one malformed direction, one frame before it" \
	"1 1 1" \
	"$(jq_py "$T/malformed.json" 'd["flows"], d["malformed"], d["c2s"]["frames"]["text"]' | tr -d '(),')"

echo "# at ${SECONDS}s"
# ---- the table limit and its monitor event, then idle expiry ----------------
# With ws-max 1, a flow held open fills the table: a second one is not
# followed, and the monitor hears of it.  Then, with ws-timeout 1000, the
# held flow, idle, is forgotten.
R stats reset
R config set ws-max 1
ip netns exec "$router" "$CLIPPER" monitor count 1 > "$T/monitor.out" &
MON=$!
PIDS+=("$MON")
busywait 20000 grep -q monitoring "$T/monitor.out"
start_server limit hixie 4 --draft auto --count 2
ip netns exec "$client" $PY "$WS/hixie_peer.py" client --url "$(server_url 4)" -q \
	--report "$T/limit1.json" --hold-until-file "$T/go2" \
	--hold-report "$T/limit1.hold.json" &
CLI=$!
busywait 60000 test -s "$T/limit1.hold.json"
ip netns exec "$client" $PY "$WS/hixie_peer.py" client --url "$(server_url 4)" -q \
	--report "$T/limit2.json" >/dev/null || fail "limit: the second client's exchange"
busywait 5000 grep -q limit "$T/monitor.out"
kill "$MON" 2>/dev/null; wait "$MON" 2>/dev/null
R -j ws stats > "$T/limit.json"
check_eq "ws-max 1: the second flow is not followed (table_full), the first is" \
	"1 1" "$(jq_py "$T/limit.json" 'd["table_full"], d["flows"]' | tr -d '(),')"
check "monitor: a limit event for the ws table" \
	grep -q '^limit ws full: ws-max 1$' "$T/monitor.out"
R config set ws-max 16384
R config set ws-timeout 1000
check "ws-timeout 1000: an idle flow is forgotten" \
	busywait 8000 sh -c "[ \"\$(ip netns exec $router $CLIPPER -j ws list)\" = '[]' ]"
check_eq "ws-timeout 1000: counted as expired" 1 \
	"$(ws_stat expired)"
R config set ws-timeout 3600000
touch "$T/go2"
wait "$CLI"
wait "$SRV"

echo "# at ${SECONDS}s"
# ---- a SYN dropped after the rule ------------------------------------------
# The rule follows a flow from its SYN; a rule after it drops the SYN, so
# the conntrack entry is never confirmed and has no timeout to go by.  Its
# entry must go some 5 s after the SYN (CLIPPER_WS_UNCONFIRMED), not at the
# worker's next pass.  The table is read every 0.2 s, each reading's time
# taken before it and counted from the moment connect() had returned, the
# SYN sent (the sender's own clock: the interpreter's start and end, which
# take seconds on the debug kernel, do not count; a slow reading makes the
# entry look younger, never older), until the entry is gone.
ms() { echo $(($(date +%s%N) / 1000000)); }
check "the table empties as the flows above close" busywait 10000 table_empty
ip netns exec "$router" iptables-nft -A FORWARD -p tcp --syn --dport 9 -j DROP
# one SYN, sent by connect() itself (and through the router before it
# returns: the veth's backlog is run as the send ends); the socket is
# closed long before its first resend, after 1 s
t0=$(ip netns exec "$client" $PY -c 'import socket, time
s = socket.socket()
s.setblocking(False)
s.connect_ex(("198.51.100.2", 9))
print(time.time_ns() // 1000000)
s.close()')
t0=${t0:-$(ms)}
seen=-1 reads=0
while :; do
	t=$(ms)
	n=$(ws_count)
	reads=$((reads + 1))
	[ "$n" = 1 ] && seen=$((t - t0))
	{ [ "$n" = 0 ] || [ $((t - t0)) -gt 15000 ]; } && break
	sleep 0.2
done
check "a SYN dropped after the rule: its flow is followed" test "$seen" -ge 0
check "... still followed 2 s after its SYN (last seen at $seen ms; $reads readings in all)" \
	test "$seen" -ge 2000
check_eq "... and forgotten within 15 s" 0 "$n"
ip netns exec "$router" iptables-nft -D FORWARD -p tcp --syn --dport 9 -j DROP

echo "# at ${SECONDS}s"
# ---- flows that have sent nothing yet: a pending entry each ------------------
# 50 plain TCP connections, open and silent: each is followed by a small
# pending entry (ws_pending).  When each writes a line, not a request, a
# full entry takes the pending one's place, finds the flow is not
# WebSocket, and goes.  Then 200 connections whose two ends write at once,
# the client on connecting and the server on accepting: the first
# payloads of a flow's two directions cross at the router, on either
# CPU, and both go to replace the same pending entry.  Each flow must be
# found not WebSocket exactly once, and none lost for want of room.
# (ws_many.py's idle and talk modes.)
for m in "idle 50" "talk 200"; do
	read -r mode n <<< "$m"
	R stats reset
	rm -f "$T/plain.ready" "$T/plain.go"
	ip netns exec "$server" $PY "$WS/ws_many.py" server 198.51.100.2 "$PORT" "$n" "$mode" &
	SRV=$!
	wait_listening
	ip netns exec "$client" $PY "$WS/ws_many.py" client 198.51.100.2 "$PORT" "$n" \
		"$T/plain.ready" "$T/plain.go" "$mode" &
	CLI=$!
	if ! busywait 120000 test -s "$T/plain.ready"; then
		fail "$mode: the client opened $n connections"
	elif [ "$mode" = idle ]; then
		check_eq "50 silent flows: each followed by a pending entry" "50 50 0" \
			"$(ws_cfg ws_count ws_pending ws_active)"
	fi
	touch "$T/plain.go"
	wait "$CLI" || fail "$mode: the client's $n connections went through"
	wait "$SRV" || fail "$mode: the server's $n connections went through"
	busywait 10000 table_empty
	check_eq "$mode: $n flows, each tracked and found not WebSocket once, none lost" \
		"$n $n 0 0" "$(ws_stat tracked not_websocket table_full flows)"
	check_eq "$mode: the table empties (ws_count, ws_pending)" "0 0" \
		"$(ws_cfg ws_count ws_pending)"
done

echo "# at ${SECONDS}s"
# ---- 2000 flows at once: the table and a dump that spans many messages ----
R stats reset
ip netns exec "$server" env WS_MANY_LIMIT=$((MANY_SECONDS + 60)) \
	$PY "$WS/ws_many.py" server 198.51.100.2 "$PORT" 2000 &
SRV=$!
wait_listening
ip netns exec "$client" env WS_MANY_LIMIT=$((MANY_SECONDS + 60)) \
	$PY "$WS/ws_many.py" client 198.51.100.2 "$PORT" 2000 \
	"$T/many.ready" "$T/many.go" &
CLI=$!
t0=$SECONDS
if busywait $((MANY_SECONDS * 1000)) test -s "$T/many.ready"; then
	echo "# 2000 flows upgraded in $((SECONDS - t0)) s (the limit is $MANY_SECONDS s)"
	check_eq "2000 flows: all followed and upgraded" "2000 2000" \
		"$(ws_cfg ws_count ws_active)"
	R -j ws list > "$T/many.json"
	check_eq "ws list: a dump of 2000 flows has each once, with its frames" "2000 2000 2000" \
		"$(jq_py "$T/many.json" 'len(d), len({f["sport"] for f in d}), sum(f["c2s"]["frames"]["text"] + f["s2c"]["frames"]["text"] for f in d) // 2' | tr -d '(),')"
else
	fail "2000 flows: the client upgraded them all"
fi
touch "$T/many.go"
wait "$CLI" || fail "2000 flows: the client closed them all"
wait "$SRV" || fail "2000 flows: the server saw them all through"
check "2000 flows: the table empties as they close" busywait 10000 table_empty

echo "# at ${SECONDS}s"
# ---- conntrack -F, then rmmod while flows are followed ------------------------
# An entry goes with its conntrack entry; rmmod drops the references the
# table holds.
start_server unload hixie 4 --draft auto --count 2
for n in 1 2; do
	ip netns exec "$client" $PY "$WS/hixie_peer.py" client --url "$(server_url 4)" -q \
		--report "$T/unload$n.json" --hold-until-file "$T/go4" \
		--hold-report "$T/unload$n.hold.json" &
	HELD[n]=$!
	busywait 60000 test -s "$T/unload$n.hold.json"
	if [ "$n" = 1 ]; then
		check_eq "a flow is followed" 1 \
			"$(ws_count)"
		ip netns exec "$router" conntrack -F >/dev/null 2>&1
		check "conntrack -F: the flow's entry goes with its conntrack entry" \
			busywait 5000 table_empty
	fi
done
check_eq "a new flow is followed before rmmod" 1 \
	"$(ws_count)"
for ipt in iptables-nft ip6tables-nft; do
	ip netns exec "$router" $ipt -F FORWARD
done
check "rmmod with a followed flow, its rule gone" busywait 5000 rmmod xt_CLIPPER
touch "$T/go4"
wait "${HELD[1]}" "${HELD[2]}"
wait "$SRV"
check "the module loads again" modprobe xt_CLIPPER
check_eq "dmesg is clean" "" "$(dmesg_bad)"
echo "# at ${SECONDS}s"

ktap_finished
