# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The receiving side's network (issue 25) and its helpers, sourced by
# pmtu_rx.sh after lib.sh.  A home network downloads through a PMTU black
# hole that lies beyond its gateway, the only host where clipper runs:
#
#  +--------+ c0  g0 +------+ g1  a0 +----+ a1  b0 +----+ b1  s0 +--------+
#  | client |--------|  gw  |--------| ra |--------| rb |--------| server |
#  |  .18   |        | .17  |  .34   | .33| .49    | .50| .65    |  .66   |
#  |  ::2   |        | ::1  |  ::2   | ::1| ::1  ::2 ::1 |        |  ::2   |
#  +--------+        +------+        +----+   ^    +----+        +--------+
#   192.0.2.16/28     203.0.113.32/28  203.0.113.48/28   198.51.100.64/28
#   2001:db8:25:1::/64 2001:db8:25:2::/64 2001:db8:25:3::/64 2001:db8:25:4::/64
#                                          |
#          rb's side (b0) has the narrow MTU: rb is in front of the narrow
#          link for the server's segments and sends the frag-needed /
#          packet-too-big, which hole_rx_on makes rb throw away (OUTPUT)
#
# gw is a home router: MASQUERADE to its address on g1 for IPv4, plain
# routing for IPv6; its rules are the test's (gw_rules).  The server has a
# second address in another /24 and /48 (203.0.113.100, 2001:db8:26:4::2):
# a second sender network, for what applies to a whole path.
#
# The server serves HTTPS on $PORT (https_server: blob, $SIZE bytes, and
# small) and plain HTTP on $HPORT (plain_server): /small (a response of
# one segment), /silent (waits $SILENT_S s before answering with
# $SILENT_BYTES bytes), /chunks (the stuck-segment pattern: $BULK writes
# that make one full-size segment each, IP length 1500, then $CHUNKS
# writes that make segments of IP length $STUCK_LEN, each once the one
# before is acknowledged).  fetch downloads one at the client.
#
# The including script sets SIZE before https_server.
#
# shellcheck disable=SC2317	# functions called by the including script
# shellcheck disable=SC2034	# variables used by the including script

IPT=iptables-nft	# the network's own rules (not the gateway's)
IP6T=ip6tables-nft
PORT=8443
HPORT=8080
SILENT_S=10
SILENT_BYTES=$((256 * 1024))
BULK=4
CHUNKS=6
STUCK_LEN=1400

CLI4=192.0.2.18		CLI6=2001:db8:25:1::2
GWL4=192.0.2.17		GWL6=2001:db8:25:1::1
GWW4=203.0.113.34	GWW6=2001:db8:25:2::2
RA4=203.0.113.33	RA6=2001:db8:25:2::1
RAB4=203.0.113.49	RAB6=2001:db8:25:3::1
RB4=203.0.113.50	RB6=2001:db8:25:3::2
RBS4=198.51.100.65	RBS6=2001:db8:25:4::1
SRV4=198.51.100.66	SRV6=2001:db8:25:4::2
SRV4B=203.0.113.100	SRV6B=2001:db8:26:4::2

URL4=https://$SRV4:$PORT/blob
URL6="https://[$SRV6]:$PORT/blob"
SMALL4=http://$SRV4:$HPORT/small
SMALL6="http://[$SRV6]:$HPORT/small"
SILENT4=http://$SRV4:$HPORT/silent
SILENT6="http://[$SRV6]:$HPORT/silent"
CHUNKS4=http://$SRV4:$HPORT/chunks
CHUNKS6="http://[$SRV6]:$HPORT/chunks"
# the size of /chunks, per family: IP + TCP + timestamps is 52 or 72 bytes
CHUNKS_BYTES4=$((BULK * (1500 - 52) + CHUNKS * (STUCK_LEN - 52)))
CHUNKS_BYTES6=$((BULK * (1500 - 72) + CHUNKS * (STUCK_LEN - 72)))
# /first: a response of nine full-size segments and a small tenth, in
# one write (a first flight: the initial window); its header is 61 bytes
FIRST4=http://$SRV4:$HPORT/first
FIRST6="http://[$SRV6]:$HPORT/first"
FIRST_BYTES4=$((9 * (1500 - 52) + 200 - 61))
FIRST_BYTES6=$((9 * (1500 - 72) + 200 - 61))

client="" gw="" ra="" rb="" server=""
GWB=none	# the gateway's iptables backend in use: none, nft, legacy
WWW=$(mktemp -d /tmp/clipper-pmtu-rx.XXXXXX)
cleanup() {
	stop_bg
	cleanup_ns
	rm -rf "$WWW"
}
trap cleanup EXIT

# clipper in the gateway's namespace
CG() { "$CLIPPER" -n "$gw" "$@"; }

topology_rx() {
	setup_ns client gw ra rb server || return 1
	ip -batch - <<-EOF || return 1
		link add c0 netns $client type veth peer name g0 netns $gw
		link add g1 netns $gw type veth peer name a0 netns $ra
		link add a1 netns $ra type veth peer name b0 netns $rb
		link add b1 netns $rb type veth peer name s0 netns $server
	EOF
	ip -n "$client" -batch - <<-EOF || return 1
		addr add $CLI4/28 dev c0
		addr add $CLI6/64 dev c0 nodad
		link set c0 up
		route add default via $GWL4
		route add ::/0 via $GWL6
	EOF
	ip -n "$gw" -batch - <<-EOF || return 1
		addr add $GWL4/28 dev g0
		addr add $GWL6/64 dev g0 nodad
		addr add $GWW4/28 dev g1
		addr add $GWW6/64 dev g1 nodad
		link set g0 up
		link set g1 up
		route add default via $RA4
		route add ::/0 via $RA6
	EOF
	ip -n "$ra" -batch - <<-EOF || return 1
		addr add $RA4/28 dev a0
		addr add $RA6/64 dev a0 nodad
		addr add $RAB4/28 dev a1
		addr add $RAB6/64 dev a1 nodad
		link set a0 up
		link set a1 up
		route add default via $RB4
		route add ::/0 via $RB6
		route add 2001:db8:25:1::/64 via $GWW6
	EOF
	ip -n "$rb" -batch - <<-EOF || return 1
		addr add $RB4/28 dev b0
		addr add $RB6/64 dev b0 nodad
		addr add $RBS4/28 dev b1
		addr add $RBS6/64 dev b1 nodad
		link set b0 up
		link set b1 up
		route add 203.0.113.32/28 via $RAB4
		route add 2001:db8:25:1::/64 via $RAB6
		route add 2001:db8:25:2::/64 via $RAB6
		route add $SRV4B/32 via $SRV4
		route add 2001:db8:26:4::/64 via $SRV6
	EOF
	ip -n "$server" -batch - <<-EOF || return 1
		addr add $SRV4/28 dev s0
		addr add $SRV6/64 dev s0 nodad
		addr add $SRV4B/32 dev s0
		addr add $SRV6B/64 dev s0 nodad
		link set s0 up
		route add default via $RBS4
		route add ::/0 via $RBS6
	EOF
	for ns in "$gw" "$ra" "$rb"; do
		ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1 \
			net.ipv6.conf.all.forwarding=1 || return 1
	done
	# the server's stack must not find the hole on its own
	ip netns exec "$server" sysctl -qw net.ipv4.tcp_mtu_probing=0
}

# gw_rules BACKEND [clipper]: the gateway's rules with iptables-BACKEND
# (nft or legacy): MASQUERADE on g1 for IPv4 and, with "clipper", the
# rule under test in mangle FORWARD for both families; the other
# backend's tables are emptied first
gw_rules() {
	local b=$1 r4 r6 c=""
	[ "${2:-}" = clipper ] &&
		c="-A FORWARD -j CLIPPER --clamp-mss pmtu --pmtu-guard"$'\n'
	if [ "$GWB" != none ] && [ "$GWB" != "$b" ]; then
		ip netns exec "$gw" "iptables-$GWB-restore" <<-EOF
			*nat
			COMMIT
			*mangle
			COMMIT
		EOF
		ip netns exec "$gw" "ip6tables-$GWB-restore" <<-EOF
			*mangle
			COMMIT
		EOF
	fi
	GWB=$b
	r4="*nat"$'\n'"-A POSTROUTING -o g1 -j MASQUERADE"$'\n'"COMMIT"
	r4+=$'\n'"*mangle"$'\n'"${c}COMMIT"
	r6="*mangle"$'\n'"${c}COMMIT"
	ip netns exec "$gw" "iptables-$b-restore" <<<"$r4" || return 1
	ip netns exec "$gw" "ip6tables-$b-restore" <<<"$r6"
}

# narrow_rx MTU: rb's side of the ra - rb link (1500: wide again)
narrow_rx() { ip -n "$rb" link set b0 mtu "$1"; }
# the black hole: rb throws away its own frag-needed / packet-too-big
hole_rx_on() {
	ip netns exec "$rb" "$IPT" -A OUTPUT -p icmp \
		--icmp-type fragmentation-needed -j DROP
	ip netns exec "$rb" "$IP6T" -A OUTPUT -p icmpv6 \
		--icmpv6-type packet-too-big -j DROP
}
hole_rx_off() {
	ip netns exec "$rb" "$IPT" -F OUTPUT
	ip netns exec "$rb" "$IP6T" -F OUTPUT
}
# ... and ra throws away every frag-needed / packet-too-big that comes
# from the gateway's side: clipper's own ICMP never reaches the server
icmp_filter_toward_server_on() {
	ip netns exec "$ra" "$IPT" -A FORWARD -i a0 -p icmp \
		--icmp-type fragmentation-needed -j DROP
	ip netns exec "$ra" "$IP6T" -A FORWARD -i a0 -p icmpv6 \
		--icmpv6-type packet-too-big -j DROP
}
icmp_filter_toward_server_off() {
	ip netns exec "$ra" "$IPT" -F FORWARD
	ip netns exec "$ra" "$IP6T" -F FORWARD
}
# stuck_on LEN: rb drops what it sends towards ra of IP length LEN to
# LEN + 10, nothing else (a middlebox that chokes on some segments)
stuck_on() {
	local ipt
	for ipt in "$IPT" "$IP6T"; do
		ip netns exec "$rb" "$ipt" -A FORWARD -o b0 \
			-m length --length "$1:$(($1 + 10))" -j DROP
	done
}
stuck_off() {
	ip netns exec "$rb" "$IPT" -F FORWARD
	ip netns exec "$rb" "$IP6T" -F FORWARD
}

# netem on both ends of the ra - rb link at once: outage_on (nothing
# passes, either way; ip link set down would take the routes and the IPv6
# addresses with it), lossy_on (5% each way; the server sends one segment
# at a time, no TSO bursts, so that netem loses segments, not bursts)
netem_ab() {
	tc -n "$ra" qdisc "$1" dev a1 root "${@:2}" &
	tc -n "$rb" qdisc "$1" dev b0 root "${@:2}"
	wait $!
}
outage_on() { netem_ab add netem loss 100%; }
outage_off() { netem_ab del; }
lossy_on() {
	ip netns exec "$server" ethtool -K s0 tso off gso off >/dev/null
	netem_ab add netem loss 5%
}
lossy_off() {
	netem_ab del
	ip netns exec "$server" ethtool -K s0 tso on gso on >/dev/null
}
# rate_on RATE: ra sends the gateway at most RATE of IPv4 and RATE of
# IPv6 (64 KB queues), so that a download lasts long enough for what is
# done to it meanwhile
rate_on() {
	tc -n "$ra" -batch - <<-EOF
		qdisc add dev a0 root handle 1: prio bands 2 priomap 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1
		qdisc add dev a0 parent 1:1 handle 10: tbf rate $1 burst 16k limit 64k
		qdisc add dev a0 parent 1:2 handle 20: tbf rate $1 burst 16k limit 64k
		filter add dev a0 parent 1: protocol ip prio 1 matchall flowid 1:1
		filter add dev a0 parent 1: protocol ipv6 prio 2 matchall flowid 1:2
	EOF
}
rate_off() { tc -n "$ra" qdisc del dev a0 root 2>/dev/null; }

# forget what the server's stack learned about paths (learned PMTUs live
# in route exceptions: a new route drops them)
server_forget() {
	ip -n "$server" -batch - <<-EOF
		route flush cache
		route replace default via $RBS4
		route replace ::/0 via $RBS6
	EOF
}
# server_no_mtu: the server's routes to the client (its NAT address, its
# IPv6 address) carry no learned MTU
server_no_mtu() {
	local r
	r=$(ip -n "$server" -batch - <<-EOF
		route get $GWW4
		route get $CLI6
	EOF
	) || return 1
	if grep -q ' mtu ' <<<"$r"; then echo "$r"; return 1; fi
}

https_server() {
	# an EC key: quick to make under TCG, and a handshake that fits in
	# one segment
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
		-nodes -days 1 -subj /CN=server -keyout "$WWW/key.pem" \
		-out "$WWW/cert.pem" >/dev/null 2>&1 || return 1
	head -c "$SIZE" /dev/urandom >"$WWW/blob"
	echo small >"$WWW/small"
	ip netns exec "$server" python3 -c '
import http.server, ssl, socket, sys, os
os.chdir(sys.argv[1])
class S(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6
    def handle_error(self, request, client_address):
        pass    # a client that gave up: expected here
class H(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass
srv = S(("::", int(sys.argv[2])), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain("cert.pem", "key.pem")
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.serve_forever()' "$WWW" "$PORT" &
	PIDS+=($!)
}

# The plain HTTP server: /small, /silent, /chunks (see the top).
plain_server() {
	ip netns exec "$server" python3 -c '
import fcntl, socket, struct, sys, termios, threading, time
port, silent_s, silent_n, bulk, n, iplen = sys.argv[1:7]
port, silent_n, bulk, n, iplen = int(port), int(silent_n), int(bulk), int(n), int(iplen)
silent_s = float(silent_s)

def drained(c):
    # what was written is acknowledged (TIOCOUTQ: unsent + unacknowledged)
    end = time.time() + 60
    while time.time() < end:
        if not struct.unpack("i", fcntl.ioctl(c, termios.TIOCOUTQ, b"\0" * 4))[0]:
            return
        time.sleep(0.005)

def serve(c, v6):
    try:
        c.settimeout(60)
        req = b""
        while b"\r\n\r\n" not in req:
            b = c.recv(4096)
            if not b:
                return
            req += b
        path = req.split(b" ", 2)[1].split(b"?")[0]
        hdr = 72 if v6 else 52      # IP, TCP and timestamps
        if path == b"/silent":
            time.sleep(silent_s)
            body = [b"s" * silent_n]
        elif path == b"/chunks":
            body = [b"b" * (1500 - hdr)] * bulk + [b"c" * (iplen - hdr)] * n
        elif path == b"/first":
            # header and body in one write: 9 full segments, a small one
            blen = 9 * (1500 - hdr) + 200 - 61
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            r = (b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n"
                 b"Connection: close\r\n\r\n" % blen)
            assert len(r) == 61
            c.sendall(r + b"f" * blen)
            c.shutdown(socket.SHUT_WR)
            c.recv(1)
            return
        else:
            body = [b"small\n"]
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n"
                  b"Connection: close\r\n\r\n" % sum(map(len, body)))
        for b in body:
            if path == b"/chunks":
                drained(c)      # one segment per write
            c.sendall(b)
        c.shutdown(socket.SHUT_WR)
        c.recv(1)
    except OSError:
        pass
    finally:
        c.close()

s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", port))
s.listen(64)
while True:
    c, a = s.accept()
    threading.Thread(target=serve, daemon=True,
                     args=(c, not a[0].startswith("::ffff:"))).start()' \
		"$HPORT" "$SILENT_S" "$SILENT_BYTES" "$BULK" "$CHUNKS" "$STUCK_LEN" &
	PIDS+=($!)
}

servers_listening() {
	local out
	out=$(ip netns exec "$server" ss -Hltn) || return 1
	grep -q ":$PORT " <<<"$out" && grep -q ":$HPORT " <<<"$out"
}

# fetch URL MAXTIME [BYTES]: download at the client; prints "BYTES TTFB
# TOTAL" (what arrived, seconds to its first byte and in all) whatever
# happened, fails unless BYTES (default SIZE) arrived
fetch() {
	local out
	out=$(ip netns exec "$client" curl -sk --max-time "$2" -o /dev/null \
		-w '%{size_download} %{time_starttransfer} %{time_total}' "$1")
	echo "${out:-0 0 0}"
	[ "${out%% *}" = "${3:-$SIZE}" ]
}

# fetch_bg KEY URL BYTES MAXTIME: fetch in the background; fetch_wait KEY
# waits (in this shell: wait needs its parent) and sets FR (0: complete),
# FB, FTT and FTOT as fetch printed them
declare -A FPID
FR="" FB="" FTT="" FTOT=""
fetch_bg() {
	rm -f "$WWW/$1.res"
	{
		out=$(fetch "$2" "$4" "$3")
		echo "$? $out" >"$WWW/$1.res"
	} &
	FPID[$1]=$!
}
fetch_running() { kill -0 "${FPID[$1]}" 2>/dev/null; }
fetch_wait() {
	FR=1 FB=0 FTT=0 FTOT=0
	wait "${FPID[$1]}"
	read -r FR FB FTT FTOT <"$WWW/$1.res"
}
# fetch_both KEY URL4 URL6 BYTES4 BYTES6 MAXTIME: both families at once
fetch_both() {
	fetch_bg "${1}4" "$2" "$4" "$6"
	fetch_bg "${1}6" "$3" "$5" "$6"
}
# fetch_report KEY DESC [nocheck]: wait for both, print the times, and
# check that each completed (unless nocheck); RES_R[V] and RES_TT[V] keep
# each family's FR and FTT
declare -A RES_R RES_TT
fetch_report() {
	local v
	for v in 4 6; do
		fetch_wait "$1$v"
		RES_R[$v]=$FR
		RES_TT[$v]=$FTT
		if [ "$FR" = 0 ]; then
			echo "# $2: IPv$v: time to first byte $FTT s, total $FTOT s"
		else
			echo "# $2: IPv$v: incomplete: $FB bytes, first byte at $FTT s, gave up after $FTOT s"
		fi
		[ "$v" = 6 ] && [ -n "${RX_XFAIL_V6:-}" ] && xfail_begin "$RX_XFAIL_V6"
		[ "${3:-}" = nocheck ] ||
			check_eq "$2: the IPv$v download completes" 0 "$FR"
		xfail_end
	done
}
