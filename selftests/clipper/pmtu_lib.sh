# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The --pmtu-guard tests' network and helpers (sourced by pmtu.sh and
# pmtu_bad.sh, after lib.sh):
#
#   +--------+ c0  a2 +----+ b2  b1 +----+ s1  s0 +--------+
#   | client |--------| r2 |--------| r1 |--------| server |
#   |   .2   |  1500  | .1 |        | .1 |        |   .2   |
#   +--------+  1400  +----+   .2   +----+        +--------+
#          192.0.2.0/24    203.0.113.0/24   198.51.100.0/24
#          2001:db8:1::/64 2001:db8:3::/64  2001:db8:2::/64
#
# r2's side of the client link has the narrow MTU (narrow); hole_on makes
# r2 throw away its own frag-needed / packet-too-big, as an over-zealous
# firewall does.  The server serves $WWW over HTTPS on $PORT (https_server:
# the file blob of $SIZE bytes, and small); fetch downloads one.
#
# The including script sets SIZE (the blob's size) before https_server.
#
# shellcheck disable=SC2317	# functions called by the including scripts

IPT=iptables-nft
IP6T=ip6tables-nft
PORT=8443

client="" r1="" r2="" server=""
WWW=$(mktemp -d /tmp/clipper-pmtu.XXXXXX)
cleanup() {
	stop_bg
	cleanup_ns
	rm -rf "$WWW"
}
trap cleanup EXIT

C1() { ip netns exec "$r1" "$CLIPPER" "$@"; }
CS() { ip netns exec "$server" "$CLIPPER" "$@"; }

topology() {
	setup_ns client r1 r2 server || return 1
	ip link add c0 netns "$client" type veth peer name a2 netns "$r2"
	ip link add b2 netns "$r2" type veth peer name b1 netns "$r1"
	ip link add s1 netns "$r1" type veth peer name s0 netns "$server"
	ip -n "$client" addr add 192.0.2.2/24 dev c0
	ip -n "$client" addr add 2001:db8:1::2/64 dev c0 nodad
	ip -n "$r2" addr add 192.0.2.1/24 dev a2
	ip -n "$r2" addr add 2001:db8:1::1/64 dev a2 nodad
	ip -n "$r2" addr add 203.0.113.2/24 dev b2
	ip -n "$r2" addr add 2001:db8:3::2/64 dev b2 nodad
	ip -n "$r1" addr add 203.0.113.1/24 dev b1
	ip -n "$r1" addr add 2001:db8:3::1/64 dev b1 nodad
	ip -n "$r1" addr add 198.51.100.1/24 dev s1
	ip -n "$r1" addr add 2001:db8:2::1/64 dev s1 nodad
	ip -n "$server" addr add 198.51.100.2/24 dev s0
	ip -n "$server" addr add 2001:db8:2::2/64 dev s0 nodad
	# the server again, in another /24 and /48: a second sender, as far
	# as clipper can tell, for what applies to a whole path
	ip -n "$r1" addr add 198.51.101.1/24 dev s1
	ip -n "$r1" addr add 2001:db8:10::1/64 dev s1 nodad
	ip -n "$server" addr add 198.51.101.2/24 dev s0
	ip -n "$server" addr add 2001:db8:10::2/64 dev s0 nodad
	for ns_dev in "$client c0" "$r2 a2" "$r2 b2" "$r1 b1" "$r1 s1" \
		      "$server s0"; do
		# shellcheck disable=SC2086
		set -- $ns_dev
		ip -n "$1" link set "$2" up
	done
	for ns in "$r1" "$r2"; do
		ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.forwarding=1
	done
	ip -n "$client" route add default via 192.0.2.1
	ip -n "$client" -6 route add default via 2001:db8:1::1
	ip -n "$r2" route add default via 203.0.113.1
	ip -n "$r2" -6 route add default via 2001:db8:3::1
	ip -n "$r1" route add 192.0.2.0/24 via 203.0.113.2
	ip -n "$r1" -6 route add 2001:db8:1::/64 via 2001:db8:3::2
	ip -n "$server" route add default via 198.51.100.1
	ip -n "$server" -6 route add default via 2001:db8:2::1
	# the server's stack must not learn anything on its own
	ip netns exec "$server" sysctl -qw net.ipv4.tcp_mtu_probing=0
}

# narrow MTU: r2's side of the client link; drop_icmp: the black hole
narrow() { ip -n "$r2" link set a2 mtu "$1"; }
hole_on() {
	ip netns exec "$r2" "$IPT" -A OUTPUT -p icmp \
		--icmp-type fragmentation-needed -j DROP
	ip netns exec "$r2" "$IP6T" -A OUTPUT -p icmpv6 \
		--icmpv6-type packet-too-big -j DROP
}
hole_off() {
	ip netns exec "$r2" "$IPT" -F OUTPUT
	ip netns exec "$r2" "$IP6T" -F OUTPUT
}
# forget what the server's stack learned about paths
server_forget() {
	ip -n "$server" route flush cache 2>/dev/null
	ip -n "$server" -6 route flush cache 2>/dev/null
	# learned PMTUs live in route exceptions: a new route drops them
	ip -n "$server" route replace default via 198.51.100.1
	ip -n "$server" -6 route replace default via 2001:db8:2::1
}

https_server() {
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=server \
		-keyout "$WWW/key.pem" -out "$WWW/cert.pem" >/dev/null 2>&1
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
	listening() { ip netns exec "$server" ss -Hltn "sport = :$PORT" | grep -q .; }
	busywait 60000 listening
}

# fetch URL MAXTIME [BYTES]: downloads the blob (or a file of BYTES);
# prints seconds, fails if short
fetch() {
	local out
	out=$(ip netns exec "$client" curl -sk --max-time "$2" -o /dev/null \
		-w '%{size_download} %{time_total}' "$1") || return 1
	[ "${out%% *}" = "${3:-$SIZE}" ] || return 1
	echo "${out#* }"
}

# What r1's clipper and the server's TCP knew, for a download that hangs.
pmtu_state() {
	C1 -j pmtu list | sed 's/^/# r1 paths: /'
	C1 -j stats | sed 's/^/# r1 stats: /'
	ip netns exec "$server" ss -tin "sport = :$PORT" | sed 's/^/# server: /'
	ip netns exec "$server" ip tcp_metrics show 2>/dev/null |
		sed 's/^/# server metrics: /'
}
# fetch_watched URL MAXTIME: fetch, with pmtu_state taken 10 s before
# MAXTIME and printed should the download fail
fetch_watched() {
	local w rc
	rm -f "$WWW/state"
	(
		trap 'kill "$s" 2>/dev/null; exit 0' TERM
		sleep $(($2 - 10)) &
		s=$!
		wait "$s"
		pmtu_state
	) >"$WWW/state" 2>&1 &
	w=$!
	fetch "$1" "$2"
	rc=$?
	kill "$w" 2>/dev/null
	wait "$w" 2>/dev/null
	[ $rc = 0 ] || cat "$WWW/state" >&2 2>/dev/null
	return $rc
}

# shellcheck disable=SC2034	# used by the including scripts
URL4=https://198.51.100.2:$PORT/blob
# shellcheck disable=SC2034
URL6="https://[2001:db8:2::2]:$PORT/blob"
