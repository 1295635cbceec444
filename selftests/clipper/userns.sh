#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Isolation beyond netns.sh (which covers rules, counters and resets per
# namespace):
#
#  - an unprivileged user in a user namespace of its own with a network
#    namespace of its own (unshare -Urn) is root there, with CAP_NET_ADMIN
#    over that network namespace only: it can read its namespace's clipper
#    state, and put CLIPPER rules in it, but every write of the netlink
#    family is refused (GENL_ADMIN_PERM: CAP_NET_ADMIN in the initial user
#    namespace), and it cannot enter another network namespace;
#  - two network namespaces, both with tables (MAC entries, classes,
#    settings, paths, WebSocket flows): netlink in one (clipper -n NS, and
#    nsenter) neither sees nor changes the other's, and a monitor sees only
#    its own namespace's events;
#  - a namespace deleted with full tables (20000 MAC entries, 1000 paths,
#    WebSocket flows still open) gives its memory back, and the module
#    unloads afterwards.
# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
require_root
require_cmd python3 iptables-nft setpriv unshare nsenter

PY=/usr/bin/python3
WS=$TOP/selftests/clipper/ws
other="" router="" client="" server=""
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
T=$(mktemp -d /tmp/clipper-userns.XXXXXX)
chmod 755 "$T"
cleanup() {
	touch "$T/go"
	stop_bg
	cleanup_ns
	rm -rf "$T"
}
trap cleanup EXIT

jget() { $PY -c 'import json,sys; d=json.load(sys.stdin); exec("print(d" + sys.argv[1] + ")")' "$1"; }
# counts NS KEY...: those settings of NS, on one line
counts() {
	local ns=$1
	shift
	"$CLIPPER" -n "$ns" -j config |
		$PY -c 'import json,sys; d=json.load(sys.stdin); print(*(d[k] for k in sys.argv[1:]))' "$@"
}

# send_ptb NS N PREFIX: N frag-needed messages sent from NS to 192.0.2.2,
# about 192.0.2.2 -> PREFIX.x.y; NS's LOCAL_OUT hook learns the paths.  An
# ICMP error teaches a path only when conntrack relates it to a TCP flow
# and quotes a sequence number in its window: ptb.py sends each one's SYN
# first, into a dummy device.
send_ptb() {
	ip -n "$1" link add ptb0 type dummy 2>/dev/null
	ip -n "$1" link set ptb0 up
	ip -n "$1" route replace "$3.0.0/16" dev ptb0
	ip netns exec "$1" $PY ./ptb.py 4 192.0.2.2 "$3" "$2" 1400
}

# mac_lines N BYTE3 CLASS: N "mac add" lines 02:00:5e:BYTE3:xx:yy
mac_lines() {
	$PY -c '
import sys
n, b3, cls = int(sys.argv[1]), int(sys.argv[2], 0), sys.argv[3]
for i in range(n):
    print("mac add 02:00:5e:%02x:%02x:%02x %s comment \"entry %d of a test table\"" % (b3 + (i >> 16), (i >> 8) & 0xff, i & 0xff, cls, i))
' "$@"
}

modprobe xt_CLIPPER

# ---- 1. an unprivileged user namespace with its own network namespace ----
userns_ok=1
if [ "$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null || echo 1)" != 1 ] ||
   [ "$(cat /proc/sys/user/max_user_namespaces)" = 0 ] ||
   ! "${NOBODY[@]}" unshare -Urn true 2>/dev/null; then
	userns_ok=0
	skip "unprivileged user namespaces are disabled here"
fi
# something in the initial namespace that it must not see
"$CLIPPER" mac add 02:00:5e:99:00:01 bulk comment init-ns-entry
setup_ns other
if [ $userns_ok = 1 ]; then
	cat > "$T/inside.sh" <<EOF
#!/bin/bash
# run by nobody, as root of a new user and network namespace
C=$CLIPPER
ip link set lo up
echo "caps: \$(grep CapEff /proc/self/status)"
echo "read version: \$(\$C -j version >/dev/null 2>&1 && echo ok || echo refused)"
echo "read config: \$(\$C -j config 2>&1)"
echo "read mac: \$(\$C -j mac list 2>&1)"
echo "read pmtu: \$(\$C -j pmtu list 2>&1)"
echo "read class: \$(\$C -j class list >/dev/null 2>&1 && echo ok || echo refused)"
echo "read status: \$(\$C -j status >/dev/null 2>&1 && echo ok || echo refused)"
echo "read ws: \$(\$C -j ws list 2>&1 | tr '\n' ' ')"
echo "rule: \$(iptables-nft -t mangle -A FORWARD -j CLIPPER --pmtu-guard --ws-count 2>&1 && echo ok)"
echo "rules: \$(\$C -j status 2>&1)"
for w in "mac add 02:00:5e:00:00:01 bulk" "mac flush" "stats reset" \\
	 "class set bulk priority 1" "config set ws-max 10" "pmtu flush"; do
	out=\$(\$C \$w 2>&1); rc=\$?
	echo "write \$w: rc=\$rc \$out"
done
timeout 3 \$C monitor count 1 > /dev/null 2>&1
echo "monitor: rc=\$?"
echo "enter other: \$(nsenter --net=/run/netns/$other \$C -j mac list 2>&1 | head -n 1)"
EOF
	chmod 755 "$T/inside.sh"
	"${NOBODY[@]}" unshare -Urn "$T/inside.sh" > "$T/inside.out" 2>&1
	sed 's/^/#   /' "$T/inside.out"
	line() { sed -n "s/^$1: //p" "$T/inside.out"; }
	capeff=$(line caps | awk '{print $2}')
	check "userns: root there has capabilities (over its own namespaces)" \
		test -n "$capeff" -a "$capeff" != 0000000000000000
	check_eq "userns: reads its own version" ok "$(line 'read version')"
	check_eq "userns: reads its own settings (the defaults, 0 entries)" 0 \
		"$(line 'read config' | jget '["mac_count"]' 2>&1)"
	check_eq "userns: its MAC table is its own (empty; not the initial namespace's)" "[]" "$(line 'read mac')"
	check_eq "userns: reads its paths" "[]" "$(line 'read pmtu')"
	check_eq "userns: reads its classes and status" "ok ok" "$(line 'read class') $(line 'read status')"
	check "userns: ws list needs CAP_NET_ADMIN in the initial namespace" \
		sh -c "grep '^read ws: ' $T/inside.out | grep -q 'needs CAP_NET_ADMIN'"
	check_eq "userns: may put a CLIPPER rule in its own namespace" ok "$(line rule)"
	check_eq "userns: and sees it counted" 1 "$(line rules | jget '["rules"]' 2>&1)"
	n=$(grep -c '^write .*rc=[1-9].*needs CAP_NET_ADMIN' "$T/inside.out")
	check_eq "userns: all 6 writes refused with EPERM" 6 "$n"
	check_eq "userns: may listen to its own namespace's monitor group" 124 "$(line monitor | sed 's/rc=//')"
	check "userns: cannot enter another network namespace" \
		sh -c "grep '^enter other: ' $T/inside.out | grep -qv '02:00:5e'"
fi
# the monitor's events name flows and hosts: an unprivileged user may
# not listen (CAP_NET_ADMIN; on kernels whose genetlink has only the
# older cap_sys_admin, such as 5.10, CAP_SYS_ADMIN)
mon=$("${NOBODY[@]}" timeout 3 "$CLIPPER" monitor count 1 2>&1)
rc=$?
echo "#   nobody: clipper monitor: rc $rc: $mon"
check "unprivileged: may not listen to the monitor group" \
	sh -c '[ "$1" -ne 124 ] && [ "$1" -ne 0 ] &&
		printf "%s\n" "$2" | grep -q "cannot join the monitor group"' - "$rc" "$mon"
check_eq "init ns: its entry is still there, alone" 1 "$("$CLIPPER" -j mac list | jget '.__len__()')"
"$CLIPPER" mac del 02:00:5e:99:00:01

echo "# at ${SECONDS}s: two namespaces"
# ---- 2. two namespaces with tables: no crossing --------------------------
setup_topology || { fail "topology"; ktap_finished; }
for ns in "$router" "$other"; do
	ip netns exec "$ns" iptables-nft -t mangle -A FORWARD -j CLIPPER --classify \
		--pmtu-guard --ws-count
done
ip -n "$other" link add d0 type dummy
ip -n "$other" addr add 192.0.2.1/24 dev d0
ip -n "$other" link set d0 up
mac_lines 100 0x10 premium | "$CLIPPER" -n "$router" restore -
mac_lines 50 0x20 bulk | "$CLIPPER" -n "$other" restore -
"$CLIPPER" -n "$router" config set pmtu-max 1000 ws-timeout 600000
"$CLIPPER" -n "$router" class set bulk mark 0x77 priority 4
"$CLIPPER" -n "$other" config set ws-max 77
send_ptb "$router" 30 198.18
send_ptb "$other" 10 198.19
# (held until the end: an hour at most, not ws_many.py's 150 s)
PORT=8766
ip netns exec "$server" env WS_MANY_LIMIT=3600 $PY "$WS/ws_many.py" server 198.51.100.2 $PORT 5 > /dev/null 2>&1 &
PIDS+=($!)
busywait 30000 ip netns exec "$server" $PY -c "
import socket; socket.create_connection(('198.51.100.2', $PORT), 1).close()" 2>/dev/null
ip netns exec "$client" env WS_MANY_LIMIT=3600 $PY "$WS/ws_many.py" client 198.51.100.2 $PORT 5 "$T/ready" "$T/go" > /dev/null 2>&1 &
PIDS+=($!)
busywait 60000 test -s "$T/ready"

check_eq "router: 100 MAC entries, 30 paths, 5 WebSocket flows" "100 30 5" \
	"$(counts "$router" mac_count pmtu_count ws_active)"
check_eq "other: 50 MAC entries, 10 paths, no flows" "50 10 0" \
	"$(counts "$other" mac_count pmtu_count ws_active)"
check_eq "other's MAC dump: only its own entries" "50 0" \
	"$("$CLIPPER" -n "$other" -j mac list | $PY -c 'import json,sys; d=json.load(sys.stdin); print(len(d), sum(e["mac"].startswith("02:00:5e:10:") for e in d))' 2>&1)"
check_eq "other's path dump: only its own paths" "10 0" \
	"$("$CLIPPER" -n "$other" -j pmtu list | $PY -c 'import json,sys; d=json.load(sys.stdin); print(len(d), sum(p["dst"].startswith("198.18.") for p in d))' 2>&1)"
check_eq "other's ws dump: none of the router's flows" "[]" "$("$CLIPPER" -n "$other" -j ws list)"
check_eq "other: its settings, not the router's" "77 4096 3600000" \
	"$("$CLIPPER" -n "$other" -j config | $PY -c 'import json,sys; d=json.load(sys.stdin); print(d["ws_max"], d["pmtu_max"], d["ws_timeout_ms"])')"
check_eq "other: its class marks, not the router's" 0 \
	"$("$CLIPPER" -n "$other" -j class list | $PY -c 'import json,sys; print(sum(c.get("mark") == 0x77 for c in json.load(sys.stdin)))')"
check_eq "init ns: none of theirs" "0 0 0" \
	"$("$CLIPPER" -j config | $PY -c 'import json,sys; d=json.load(sys.stdin); print(d["mac_count"], d["pmtu_count"], d["ws_active"])')"

echo "# at ${SECONDS}s: tables full"
# monitors: a limit event of the router's path table reaches the router's
# listeners only
ip netns exec "$router" timeout 20 "$CLIPPER" monitor count 1 > "$T/mon.router" 2>&1 &
MR=$!
ip netns exec "$other" timeout 4 "$CLIPPER" monitor count 1 > "$T/mon.other" 2>&1 &
MO=$!
sleep 1
"$CLIPPER" -n "$router" config set pmtu-max 30
send_ptb "$router" 31 198.18
wait $MR
wait $MO
check "monitor in the router: its table-full event" grep -q 'limit pmtu' "$T/mon.router"
check_eq "monitor in other: nothing of the router's" "" "$(grep -v '^#' "$T/mon.other")"

# writes in other (with nsenter, as an administrator would) leave the
# router alone
snap() {
	local o
	for o in "mac list" "pmtu list" config "class list" "ws list"; do
		# shellcheck disable=SC2086
		"$CLIPPER" -n "$router" -j $o
	done | $PY -c '
import json, sys
text, dec, i = sys.stdin.read(), json.JSONDecoder(), 0
while text[i:].strip():
    while text[i].isspace():
        i += 1
    d, i = dec.raw_decode(text, i)
    for e in (d if isinstance(d, list) else [d]):
        if "sport" in e:	# a WebSocket flow: its idle time moves
            e = {k: e[k] for k in ("src", "sport", "dst", "dport")}
        print(sorted((k, v) for k, v in e.items()
                     if k not in ("age_ms", "detected_ms_ago", "packets", "bytes", "flows")))'
}
snap > "$T/router.before"
O() { nsenter --net="/run/netns/$other" "$CLIPPER" "$@"; }
O mac flush
O pmtu flush
O stats reset
O config set mac-max 10 pmtu-max 5 ws-max 5
O class set bulk mark 0x78 priority 9
O class default premium
check_eq "other: flushed and changed" "0 0 10" "$(counts "$other" mac_count pmtu_count mac_max)"
snap > "$T/router.after"
if cmp -s "$T/router.before" "$T/router.after"; then
	pass "writes in other leave the router's tables, settings and classes alone"
else
	fail "writes in other leave the router's tables, settings and classes alone"
	diff "$T/router.before" "$T/router.after" | head -n 10 | sed 's/^/#   /'
fi
check_eq "router's counters not reset by other's stats reset" 1 \
	"$("$CLIPPER" -n "$router" -j stats | $PY -c 'import json,sys; print(int(json.load(sys.stdin)["target"]["packets"] > 0))')"

echo "# at ${SECONDS}s: namespace deleted with full tables"
# ---- 3. a namespace deleted with full tables gives its memory back -----
mem() {	# kB of slab and per-CPU memory, empty slabs released first
	shrink_slabs
	awk '/^Slab:|^Percpu:/ { s += $2 } END { print s }' /proc/meminfo
}
settle() { sleep 1; mem > /dev/null; }
# per-MAC counters on: each entry has per-CPU memory too
"$CLIPPER" -n "$router" config set mac-max 100000 pmtu-max 5000 mac-counters on
settle
m0=$(mem)
mac_lines 20000 0x30 standard | "$CLIPPER" -n "$router" restore -
send_ptb "$router" 1000 198.20
m1=$(mem)
echo "# at ${SECONDS}s"
grow=$((m1 - m0))
echo "# slab + percpu: ${m0} kB, ${m1} kB with 20000 more MAC entries and 1000 paths (+${grow} kB)"
check_eq "router: 20100 MAC entries, 1000 more paths" "20100 1030" \
	"$(counts "$router" mac_count pmtu_count)"
# the flows are still open: delete the namespace under them
ip netns del "$router"
freed() { local m; m=$(mem); echo "# slab + percpu: ${m} kB"; [ $((m - m0)) -lt $((grow / 4)) ]; }
check_mem_back "deleting the namespace frees its tables (slab + percpu back within a quarter of +${grow} kB)" \
	busywait 30000 freed
touch "$T/go"
stop_bg
cleanup_ns
check "module unloads after namespaces with full tables are deleted" busywait 10000 rmmod xt_CLIPPER
check_eq "kernel log clean" "" "$(dmesg_bad)"
echo "# at ${SECONDS}s"
ktap_finished
