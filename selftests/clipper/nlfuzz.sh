#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The "clipper" generic netlink family under a fuzzer (nlfuzz.c, built on
# the host: make -C selftests/clipper nlfuzz).  In a router namespace with
# a rule of every option and full tables (2000 MAC entries, classes and
# settings changed, paths learned from ICMP, WebSocket flows followed):
#
#  - as nobody: every write is refused with EPERM (nlfuzz -u) and the
#    configuration is byte for byte what it was; the reads allowed to
#    everyone work, those that need CAP_NET_ADMIN do not;
#  - as root, only requests that must be refused (nlfuzz -r): none is
#    accepted and the configuration is unchanged;
#  - never half-applied: a write refused midway (settings, a class, a
#    restore whose last line fails) changes nothing;
#  - as root, anything, from 3 processes at once, with dumps abandoned
#    midway: the tables stay consistent (a dump has as many entries as the
#    count says), the saved configuration restores;
#  - the kernel log stays clean and the module unloads.
#
# NLFUZZ_SEED=N repeats a run (the seed is printed); NLFUZZ_TIME=S sets the
# fuzzing time of each of the three runs (default 10, 15, 20 s).
# shellcheck disable=SC2317
source "$(dirname "$0")/lib.sh"
require_root
require_cmd python3 iptables-nft ip6tables-nft setpriv

NLFUZZ=${NLFUZZ:-$TOP/build/selftests/nlfuzz}
[ -x "$NLFUZZ" ] || NLFUZZ=$(dirname "$0")/nlfuzz
if [ ! -x "$NLFUZZ" ]; then
	echo "# SKIP: nlfuzz is not built: run 'make -C selftests/clipper nlfuzz' on the host (it writes build/selftests/nlfuzz)"
	exit $ksft_skip
fi
PY=/usr/bin/python3
WS=$TOP/selftests/clipper/ws
SEED=${NLFUZZ_SEED:-$(( $(date +%s) % 1000000 + 1 ))}
T1=${NLFUZZ_TIME:-10}
T2=${NLFUZZ_TIME:-15}
T3=${NLFUZZ_TIME:-20}
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
T=$(mktemp -d /tmp/clipper-nlfuzz.XXXXXX)
chmod 755 "$T"

cleanup() {
	touch "$T/go"
	stop_bg
	cleanup_ns
	rm -rf "$T"
}
trap cleanup EXIT

R() { ip netns exec "$router" "$CLIPPER" "$@"; }

# The configuration, everything that no clock or packet changes: save's
# commands, the settings and counts, the paths, the WebSocket flows.
snapshot() {
	R save
	R -j config
	{ R -j pmtu list; R -j ws list; } | $PY -c '
import json, sys
text, dec, docs, i = sys.stdin.read(), json.JSONDecoder(), [], 0
while text[i:].strip():
    while text[i].isspace():
        i += 1
    d, i = dec.raw_decode(text, i)
    docs.append(d)
for p in docs[0]:
    print(p.get("family"), p.get("dst"), p.get("mtu"), p.get("state"))
for f in docs[1]:
    print(f.get("src"), f.get("sport"), f.get("dst"), f.get("dport"))'
}

# check_same DESC: the configuration is what $T/before holds
check_same() {
	snapshot > "$T/after" 2>&1
	if cmp -s "$T/before" "$T/after"; then
		pass "$1"
	else
		fail "$1"
		diff "$T/before" "$T/after" | head -n 20 | sed 's/^/#   /'
	fi
}

# run_fuzz DESC LOG NLFUZZ-ARGS...: nlfuzz's histogram into the output
run_fuzz() {
	local desc=$1 log=$2 rc
	shift 2
	"$@" > "$log" 2>&1
	rc=$?
	sed 's/^/#   /' "$log" | head -n 60
	check_eq "$desc" 0 "$rc"
}

# packets the rules saw: traffic goes on (the flows), a reset zeroes it
stats_target() {
	R -j stats | $PY -c 'import json,sys; print(json.load(sys.stdin)["target"]["packets"])'
}
check_not_reset() {
	local now
	now=$(stats_target)
	if [ "$now" -ge "$stats0" ]; then
		pass "$1"
	else
		fail "$1"
		echo "#   packets $stats0 before, $now after"
	fi
}

modprobe xt_CLIPPER
setup_topology || { fail "topology"; ktap_finished; }
for ipt in iptables-nft ip6tables-nft; do
	ip netns exec "$router" $ipt -t mangle -A FORWARD -j CLIPPER --classify \
		--mark-mask 0xff --clamp-mss pmtu --pmtu-guard --pmtu-fix icmp,df,mss --ws-count
	ip netns exec "$router" $ipt -t mangle -A OUTPUT -j CLIPPER --pmtu-guard
	ip netns exec "$router" $ipt -t mangle -A INPUT -j CLIPPER --classify
done
check_eq "rules of every option" 6 "$(R -j status | $PY -c 'import json,sys; print(json.load(sys.stdin)["rules"])')"

# ---- full tables --------------------------------------------------------
R config set mac-max 100000 mac-counters on pmtu-max 5000 pmtu-timeout 3600000 \
	pmtu-retrans 3 pmtu-window 20000 ws-max 2000 ws-timeout 3600000
R class set bulk mark 0x44 priority 3 dscp CS1
R class set premium mark 0x11 priority unchanged dscp EF
R class default express
R class default random standard
$PY - "$T/macs" <<'EOF'
import sys
classes = ["exempt", "premium", "express", "standard", "bulk"]
with open(sys.argv[1], "w") as f:
    for i in range(2000):
        if i % 10:
            mac = "02:00:5e:20:%02x:%02x" % (i >> 8, i & 0xff)
        else:
            mac = "02:00:5e:%02x:%02x:00/40" % (0x40 + (i // 2560), (i // 10) & 0xff)
        f.write("mac add %s %s%s\n" % (mac, classes[i % 5],
                ' comment "host %d"' % i if i % 3 == 0 else ""))
EOF
check "2000 MAC entries (restore)" R restore "$T/macs"
nmac=$(R -j config | $PY -c 'import json,sys; print(json.load(sys.stdin)["mac_count"])')
echo "# $nmac MAC entries"

# paths: frag-needed / packet-too-big sent by the router itself (its
# LOCAL_OUT hook learns them), for 150 IPv4 and 50 IPv6 destinations, each
# about a SYN it sent first (ptb.py: only ICMP that conntrack relates to a
# flow teaches a path)
ip -n "$router" link add ptb0 type dummy
ip -n "$router" link set ptb0 up
ip -n "$router" route add 198.18.0.0/16 dev ptb0
ip -n "$router" -6 route add 2001:db8:ff::/64 dev ptb0
ip netns exec "$router" $PY ./ptb.py 4 192.0.2.2 198.18 150 1400
ip netns exec "$router" $PY ./ptb.py 6 2001:db8:1::2 2001:db8:ff 50 1400
check_eq "200 paths learned" 200 "$(R -j config | $PY -c 'import json,sys; print(json.load(sys.stdin)["pmtu_count"])')"

# WebSocket flows through the router, held open until the end (the peers'
# own limit is an hour: slow kernels take longer than their 150 s default
# to get there)
PORT=8765
ip netns exec "$server" env WS_MANY_LIMIT=3600 $PY "$WS/ws_many.py" server 198.51.100.2 $PORT 16 > /dev/null 2>&1 &
PIDS+=($!)
busywait 30000 ip netns exec "$server" $PY -c "
import socket; socket.create_connection(('198.51.100.2', $PORT), 1).close()" 2>/dev/null
ip netns exec "$client" env WS_MANY_LIMIT=3600 $PY "$WS/ws_many.py" client 198.51.100.2 $PORT 16 "$T/ready" "$T/go" > /dev/null 2>&1 &
PIDS+=($!)
busywait 60000 test -s "$T/ready"
check_eq "16 WebSocket flows followed" 16 "$(R -j config | $PY -c 'import json,sys; print(json.load(sys.stdin)["ws_active"])')"

echo "# at ${SECONDS}s: tables full"
snapshot > "$T/before" 2>&1
stats0=$(stats_target)
echo "# nlfuzz seed $SEED (NLFUZZ_SEED=$SEED repeats it)"

# ---- as nobody ----------------------------------------------------------
echo "# at ${SECONDS}s: nlfuzz as nobody, ${T1}s, 2 processes"
run_fuzz "nobody: every write refused with EPERM, replies well-formed (nlfuzz -u)" \
	"$T/fuzz-u.log" ip netns exec "$router" "${NOBODY[@]}" "$NLFUZZ" -u -s "$SEED" -t "$T1" -n 0 -j 2
check "nobody: the fuzzer saw EPERM" grep -q '^  EPERM ' "$T/fuzz-u.log"
check_not_reset "nobody: counters not reset"
# the CLI as nobody, in one go (each command: its exit code, its message)
# shellcheck disable=SC2016
ip netns exec "$router" "${NOBODY[@]}" bash -c '
for c in "version" "status" "stats" "config" "mac list" "class list" "pmtu list" \
	 "ws list" "monitor count 1" "mac add 02:00:5e:00:00:01 bulk" "mac flush" \
	 "stats reset" "class set bulk priority 1" "config set ws-max 10" "pmtu flush"; do
	out=$(timeout 10 "$0" -j $c 2>&1 >/dev/null)
	echo "$? $c: $out"
done' "$CLIPPER" > "$T/nobody-cli"
for r in "version" "status" "stats" "config" "mac list" "class list" "pmtu list"; do
	check "nobody may read: clipper $r" grep -q "^0 $r: \$" "$T/nobody-cli"
done
for w in "ws list" "monitor count 1" "mac add 02:00:5e:00:00:01 bulk" "mac flush" \
	 "stats reset" "class set bulk priority 1" "config set ws-max 10" "pmtu flush"; do
	check "nobody may not: clipper $w (EPERM)" grep -q "^[1-9][0-9]* $w: .*needs CAP_NET_ADMIN" "$T/nobody-cli"
done
check_same "nobody: configuration unchanged after the fuzzer and the CLI"

# ---- as root, refused requests only ------------------------------------
echo "# at ${SECONDS}s: nlfuzz as root, refused requests only, ${T2}s, 2 processes"
run_fuzz "root, refused only: no write accepted, replies well-formed (nlfuzz -r)" \
	"$T/fuzz-r.log" ip netns exec "$router" "$NLFUZZ" -r -s "$((SEED + 100))" -t "$T2" -n 0 -j 2
check_same "root, refused only: configuration unchanged"
check_not_reset "root, refused only: counters not reset"

echo "# at ${SECONDS}s: never half-applied"
# ---- never half-applied --------------------------------------------------
# settings: valid ones and a MAC limit below the table's size (the kernel
# finds that last, under its lock)
check_fails "config set: valid settings and mac-max below the count refused" \
	R config set pmtu-max 77 ws-timeout 5000 mac-max 10
check_fails "config set: mac-counters, pmtu-retrans and mac-max below the count refused" \
	R config set mac-counters off pmtu-retrans 9 mac-max 10
check_same "config set refused: no setting applied"
# a class: priority and DSCP with a mark another class has
check_fails "class set: priority, dscp and premium's mark refused" \
	R class set bulk priority 9 dscp AF41 mark 0x11
check_same "class set refused: neither priority nor dscp applied"
# restore: many changes, the last line fails in the kernel (entry exists)
{
	echo "mac flush"
	echo "config set pmtu-max 123 ws-max 99"
	echo "class set exempt mark 0x99 priority 5"
	echo "class default bulk"
	for i in $(seq 0 199); do
		printf 'mac add 02:00:5e:30:%02x:%02x premium\n' $((i >> 8)) $((i & 255))
	done
	echo "mac add 02:00:5e:30:00:05 bulk"
} > "$T/bad-restore"
check_fails "restore whose last line the kernel refuses fails" R restore "$T/bad-restore"
check_same "restore refused: configuration as before (rolled back)"

# ---- as root, anything -----------------------------------------------------
R save > "$T/saved"
echo "# at ${SECONDS}s: nlfuzz as root, anything, ${T3}s, 3 processes"
run_fuzz "root, anything: replies well-formed, fuzzer finished (nlfuzz)" \
	"$T/fuzz-any.log" ip netns exec "$router" "$NLFUZZ" -s "$((SEED + 200))" -t "$T3" -n 0 -j 3
check "kernel alive: clipper status" R status
for t in "mac mac_count" "pmtu pmtu_count" "ws ws_active"; do
	read -r obj key <<< "$t"
	n_list=$(R -j "$obj" list | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))')
	n_cnt=$(R -j config | $PY -c "import json,sys; print(json.load(sys.stdin)['$key'])")
	check_eq "after fuzzing: the $obj dump has $key entries" "$n_cnt" "$n_list"
done
check "after fuzzing: the saved configuration restores" R restore "$T/saved"
R save > "$T/saved2"
check "after fuzzing: ... and saves the same" cmp "$T/saved" "$T/saved2"
check_eq "kernel log clean" "" "$(dmesg_bad)"

# ---- the end ------------------------------------------------------------------
touch "$T/go"
stop_bg
cleanup_ns
check "module unloads after fuzzing" busywait 10000 rmmod xt_CLIPPER
check_eq "kernel log clean after rmmod" "" "$(dmesg_bad)"
echo "# at ${SECONDS}s"
ktap_finished
