#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo, inside the VM: a client, a router running clipper and a
# server, each in its own network namespace; a CLIPPER rule on the router,
# real traffic (ping, an HTTP download), a PMTU black hole that clipper
# repairs, and what clipper saw.
source "$(dirname "$0")/clipper/lib.sh"
trap cleanup_ns EXIT

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

cat <<'PIC'
   +-----------+        +------------------+        +-----------+
   |  client   |  veth  |      router      |  veth  |  server   |
   | 192.0.2.2 |--------| iptables -j      |--------| 198.51.   |
   | 2001:db8: |        |   CLIPPER        |        |  100.2    |
   |   1::2    |        |   (xt_CLIPPER)   |        | http :80  |
   +-----------+        +------------------+        +-----------+
PIC

say "kernel $(uname -r): loading xt_CLIPPER"
run modprobe xt_CLIPPER
run "$CLIPPER" version
setup_topology
R() { ip netns exec "$router" "$@"; }

say "router: the client's MAC is a premium client (a laptop)"
run "$CLIPPER" -n "$router" config set mac-counters on
run "$CLIPPER" -n "$router" mac add 02:00:00:00:0c:01 premium comment laptop
run "$CLIPPER" -n "$router" mac add 00:16:3e:00:00:00/24 bulk comment "a vendor's OUI"
run "$CLIPPER" -n "$router" mac list

say "router: one CLIPPER rule per family, in mangle FORWARD"
run R iptables -t mangle -A FORWARD -j CLIPPER --classify --clamp-mss pmtu --pmtu-guard --ws-count
run R ip6tables -t mangle -A FORWARD -j CLIPPER --classify --clamp-mss pmtu --pmtu-guard
R iptables -t mangle -S FORWARD
R ip6tables -t mangle -S FORWARD

say "traffic: ping over IPv4 and IPv6, and a 2 MB HTTP download"
head -c 2000000 /dev/urandom > /tmp/demo.bin
ip netns exec "$server" python3 -m http.server --bind :: --directory /tmp 80 >/dev/null 2>&1 &
srv=$!
listening() { ip netns exec "$server" ss -Hltn 'sport = :80' | grep -q .; }
busywait 30000 listening || echo "the HTTP server did not start"
run ip netns exec "$client" ping -c 3 -i 0.2 198.51.100.2 | tail -n 2
run ip netns exec "$client" ping -c 3 -i 0.2 2001:db8:2::2 | tail -n 2
run ip netns exec "$client" curl -sS --fail -o /dev/null -w 'downloaded %{size_download} bytes in %{time_total}s\n' http://198.51.100.2/demo.bin
kill "$srv" 2>/dev/null

say "the router's conntrack: every flow carries the client's class (mark 10)"
R conntrack -L 2>/dev/null | sed 's/  */ /g'

say "classes, with what each carried (both directions)"
run "$CLIPPER" -n "$router" class list
run "$CLIPPER" -n "$router" mac list

say "a PMTU black hole: the client's side drops packets over 1400 bytes, silently"
# as a narrow link whose frag-needed / packet-too-big a firewall throws away
C() { ip netns exec "$client" "$@"; }
run C iptables -A INPUT -m length --length 1401:65535 -j DROP
run C ip6tables -A INPUT -m length --length 1401:65535 -j DROP
head -c 3000000 /dev/urandom > /tmp/demo-big.bin
ip netns exec "$server" python3 -m http.server --bind :: --directory /tmp 80 >/dev/null 2>&1 &
srv=$!
busywait 30000 listening || echo "the HTTP server did not start"
say "without clipper's rule on the router, the download hangs"
R iptables-save -t mangle > /tmp/demo-mangle.rules
R iptables -t mangle -F FORWARD
run ip netns exec "$client" curl -sS --max-time 8 -o /dev/null -w 'downloaded %{size_download} bytes in %{time_total}s\n' http://198.51.100.2/demo-big.bin
say "with --pmtu-guard: clipper finds the hole, tells the server, the download completes"
R iptables-restore < /tmp/demo-mangle.rules
"$CLIPPER" -n "$router" monitor > /tmp/demo-monitor.txt 2>&1 &
mon=$!
sleep 0.5
run ip netns exec "$client" curl -sS --max-time 60 -o /dev/null -w 'downloaded %{size_download} bytes in %{time_total}s\n' http://198.51.100.2/demo-big.bin
sleep 0.5
kill "$mon" "$srv" 2>/dev/null
echo "\$ clipper -n router monitor    (while it ran)"
cat /tmp/demo-monitor.txt
run "$CLIPPER" -n "$router" pmtu list
rm -f /tmp/demo-big.bin /tmp/demo-mangle.rules /tmp/demo-monitor.txt

say "what the router's iptables counted"
R iptables -t mangle -L FORWARD -v -n
say "clipper status (router namespace)"
run "$CLIPPER" -n "$router" status
say "clipper stats"
run "$CLIPPER" -n "$router" stats
say "clipper -j -p status"
"$CLIPPER" -n "$router" -j -p status
echo
