#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side check of the WebSocket test peers and the capture oracle, over
# loopback (no kernel module involved).  For every scenario: capture on lo
# with dumpcap, run the peers, compare the peers' reports with each other
# ("sent" of one side == "received" of the other) and with ws_oracle.py's
# counts from the capture.  Prints TAP; exits 1 if anything failed.
#
#   host-check.sh [-k]      -k: keep the captures and reports (also kept
#                           when a test failed)
#
# Needs: /usr/bin/python3 with python3-websockets, node + node-ws, tshark
# and dumpcap (capturing on lo needs root or CAP_NET_RAW: without, one
# "# SKIP" line), the Debian libwebsockets-test-server package (lws tests
# are skipped without it).  Ports: WS_BASE_PORT (default 47100) and the
# next ~30.  make check runs it in its host lane (scripts/check.sh).
# shellcheck disable=SC2317  # functions called via trap
set -u

DIR=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
KEEP=0
for a in "$@"; do
	case "$a" in
	-k) KEEP=1 ;;
	*) echo "usage: $0 [-k]" >&2; exit 2 ;;
	esac
done

# Everything here is a capture: one that cannot be taken is one SKIP.
if [ "$(id -u)" != 0 ] &&
   ! timeout 10 dumpcap -q -i lo -a duration:1 -w /dev/null >/dev/null 2>&1; then
	echo "ok 1 - WebSocket peers and oracle # SKIP dumpcap cannot capture on lo (not root, no CAP_NET_RAW)"
	echo "1..1"
	exit 0
fi

BASE=${WS_BASE_PORT:-47100}
WORK=$(mktemp -d /tmp/ws-host-check.XXXXXX)
N=0
FAILED=0
CAPPID=

cleanup() {
	[ -n "$CAPPID" ] && kill -INT "$CAPPID" 2>/dev/null
	if [ "$KEEP" = 1 ] || [ "$FAILED" != 0 ]; then
		echo "# files kept in $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT

ok() { N=$((N + 1)); echo "ok $N - $*"; }
notok() { N=$((N + 1)); FAILED=$((FAILED + 1)); echo "not ok $N - $*"; }
skip() { N=$((N + 1)); echo "ok $N - $* # SKIP"; }
diag() { sed 's/^/# /'; }
now() { date +%s.%N; }
elapsed() { printf '%.2f' "$(echo "$(now) - $1" | bc)"; }

# ---------------------------------------------------------------------------
# capture

cap_start() {	# PORT PCAP
	CAPFILE=$2
	CAPPORT=$1
	rm -f "$CAPFILE"
	dumpcap -q -i lo -f "port $1" -P -w "$CAPFILE" 2>"$CAPFILE.err" &
	CAPPID=$!
	local i
	for i in $(seq 200); do
		grep -q Capturing "$CAPFILE.err" 2>/dev/null && return 0
		kill -0 "$CAPPID" 2>/dev/null || break
		sleep 0.05
	done
	diag <"$CAPFILE.err"
	return 1
}

# Stop after a UDP sentinel sent after the traffic shows up in the file:
# everything before it has been captured and written by then.
cap_stop() {
	local m="clipper-sentinel-$$-$RANDOM" i
	for i in $(seq 100); do
		echo "$m" >"/dev/udp/127.0.0.1/$CAPPORT" 2>/dev/null
		grep -qa "$m" "$CAPFILE" && break
		sleep 0.05
	done
	kill -INT "$CAPPID" 2>/dev/null
	wait "$CAPPID" 2>/dev/null
	CAPPID=
}

wait_file() {	# FILE [TRIES]
	local i
	for i in $(seq "${2:-400}"); do
		[ -s "$1" ] && return 0
		sleep 0.05
	done
	return 1
}

# ---------------------------------------------------------------------------
# JSON comparison: jcmp A.json KEYPATH B.json KEYPATH [text-slack]
# KEYPATH is dotted (sent, received, c2s, connections.0.sent).  With
# text-slack N, B may have up to N more text frames (and their bytes).

jcmp() {
	$PY - "$@" <<'EOF'
import json, sys
def get(path, key):
    v = json.load(open(path))
    for k in key.split("."):
        v = v[int(k)] if isinstance(v, list) else v[k]
    return v
a = get(sys.argv[1], sys.argv[2])
b = get(sys.argv[3], sys.argv[4])
slack = int(sys.argv[5]) if len(sys.argv) > 5 else 0
if a == b:
    sys.exit(0)
if slack:
    extra = b["frames"]["text"] - a["frames"]["text"]
    same = all(a["frames"][k] == b["frames"][k] for k in a["frames"]
               if k != "text")
    if same and 0 <= extra <= slack and b["payload_bytes"] >= a["payload_bytes"] \
            and b["header_bytes"] - a["header_bytes"] <= 14 * extra:
        print("%s (%d extra text frame(s))" % (json.dumps(b), extra))
        sys.exit(0)
print("%s %s = %s" % (sys.argv[1].split("/")[-1], sys.argv[2], json.dumps(a)))
print("%s %s = %s" % (sys.argv[3].split("/")[-1], sys.argv[4], json.dumps(b)))
sys.exit(1)
EOF
}

check_cmp() {	# DESC jcmp-args...
	local desc=$1 out
	shift
	if out=$(jcmp "$@"); then
		ok "$desc"
		[ -n "$out" ] && echo "$out" | diag
	else
		notok "$desc"
		echo "$out" | diag
	fi
}

# oracle NAME PORT ENGINE: counts $WORK/NAME.pcap into $WORK/NAME.oracle.json
oracle() {
	local out
	if out=$("$DIR/ws_oracle.py" "$WORK/$1.pcap" "$2" --engine "$3" \
			--report "$WORK/$1.oracle.json" 2>&1); then
		ok "$1: oracle ($3 engine) ran"
		return 0
	fi
	notok "$1: oracle ($3 engine) ran"
	echo "$out" | tail -20 | diag
	return 1
}

# ---------------------------------------------------------------------------
# one peer-to-peer run with capture
# run_pair NAME PORT SERVER_CMD... -- CLIENT_CMD...
# The server gets --port PORT --port-file --report appended, the client
# --report (its URL must already be in CLIENT_CMD).

run_pair() {
	local name=$1 port=$2
	shift 2
	local scmd=() ccmd=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do scmd+=("$1"); shift; done
	shift
	ccmd=("$@")
	local s=$WORK/$name.server.json c=$WORK/$name.client.json t0 src crc
	cap_start "$port" "$WORK/$name.pcap" || { notok "$name: capture"; return 1; }
	"${scmd[@]}" --port "$port" --port-file "$WORK/$name.port" \
		--report "$s" 2>"$WORK/$name.server.err" &
	local spid=$!
	if ! wait_file "$WORK/$name.port"; then
		kill "$spid" 2>/dev/null
		cap_stop
		notok "$name: server started"
		diag <"$WORK/$name.server.err"
		return 1
	fi
	t0=$(now)
	"${ccmd[@]}" --report "$c" 2>"$WORK/$name.client.err"
	crc=$?
	wait "$spid"
	src=$?
	RUN_TIME=$(elapsed "$t0")
	cap_stop
	if [ $crc = 0 ] && [ $src = 0 ]; then
		ok "$name: peers completed (${RUN_TIME}s)"
		return 0
	fi
	notok "$name: peers completed (client rc=$crc, server rc=$src)"
	tail -5 "$WORK/$name.client.err" "$WORK/$name.server.err" | diag
	return 1
}

# full comparison of a run: reports with each other and with the oracle
compare_run() {	# NAME PORT ENGINE
	local name=$1 s=$WORK/$1.server.json c=$WORK/$1.client.json
	local o=$WORK/$1.oracle.json
	check_cmp "$name: client sent == server received" "$c" sent "$s" received
	check_cmp "$name: server sent == client received" "$s" sent "$c" received
	oracle "$name" "$2" "$3" || return 1
	check_cmp "$name: oracle c2s == client sent" "$c" sent "$o" c2s
	check_cmp "$name: oracle s2c == server sent" "$s" sent "$o" s2c
}

port() { echo $((BASE + $1)); }

# ---------------------------------------------------------------------------
# prerequisites

need() {
	if "$@" >/dev/null 2>&1; then
		ok "prerequisite: $*"
		return 0
	fi
	notok "prerequisite: $*"
	return 1
}

need $PY -c 'import websockets'
need /usr/bin/node -e "require('/usr/share/nodejs/ws')"
need tshark -v
need dumpcap -v
HAVE_LWS=1
command -v libwebsockets-test-server >/dev/null &&
	command -v libwebsockets-test-client >/dev/null || HAVE_LWS=0

PYP="$DIR/ws_peer.py"
JSP="$DIR/ws_peer.js"
HXP="$DIR/hixie_peer.py"

# ---------------------------------------------------------------------------
# RFC 6455: python <-> node, all four combinations, basic mix

i=0
for pair in "py:$PYP js:$JSP" "js:$JSP py:$PYP" "py:$PYP py:$PYP" \
	    "js:$JSP js:$JSP"; do
	# shellcheck disable=SC2086  # split "name:path name:path"
	set -- $pair
	sn=${1%%:*} sp=${1#*:} cn=${2%%:*} cp=${2#*:}
	p=$(port $i); i=$((i + 1))
	name="rfc6455-basic-${cn}client-${sn}server"
	run_pair "$name" "$p" "$sp" server -q -- \
		"$cp" client -q --url "ws://127.0.0.1:$p/" --mix basic &&
		compare_run "$name" "$p" both
done

# other mixes, IPv6, split writes
p=$(port 4)
run_pair rfc6455-srvclose-py-js "$p" "$JSP" server -q -- \
	"$PYP" client -q --url "ws://127.0.0.1:$p/" --mix srvclose &&
	compare_run rfc6455-srvclose-py-js "$p" both
p=$(port 5)
run_pair rfc6455-stress-js-py "$p" "$PYP" server -q -- \
	"$JSP" client -q --url "ws://127.0.0.1:$p/" --mix stress &&
	compare_run rfc6455-stress-js-py "$p" both
p=$(port 6)
run_pair rfc6455-ipv6-js-py "$p" "$PYP" server -q --listen ::1 -- \
	"$JSP" client -q --url "ws://[::1]:$p/" --mix basic &&
	compare_run rfc6455-ipv6-js-py "$p" both
# tiny_segments NAME PORT MIN: the split run really produced >= MIN c2s
# segments of 1 byte
tiny_segments() {
	[ -s "$WORK/$1.pcap" ] || return
	local small
	small=$(tshark -n -r "$WORK/$1.pcap" -Y "tcp.dstport==$2 && tcp.len==1" \
		2>/dev/null | wc -l)
	if [ "$small" -ge "$3" ]; then
		ok "$1: $small one-byte c2s segments"
	else
		notok "$1: only $small one-byte c2s segments"
	fi
}
p=$(port 7)
run_pair rfc6455-split1-py-js "$p" "$JSP" server -q -- \
	"$PYP" client -q --url "ws://127.0.0.1:$p/" --mix basic --split 1 &&
	compare_run rfc6455-split1-py-js "$p" both
tiny_segments rfc6455-split1-py-js "$p" 200
p=$(port 20)
run_pair rfc6455-split1-js-py "$p" "$PYP" server -q -- \
	"$JSP" client -q --url "ws://127.0.0.1:$p/" --mix basic --split 1 &&
	compare_run rfc6455-split1-js-py "$p" both
tiny_segments rfc6455-split1-js-py "$p" 200

# --hold: HOLDING line, snapshot == final minus the close frames
p=$(port 8)
name=rfc6455-hold-py-js
touch_file=$WORK/$name.go
cap_start "$p" "$WORK/$name.pcap"
"$JSP" server -q --port "$p" --port-file "$WORK/$name.port" \
	--report "$WORK/$name.server.json" 2>/dev/null &
spid=$!
wait_file "$WORK/$name.port"
"$PYP" client -q --url "ws://127.0.0.1:$p/" --hold-until-file "$touch_file" \
	--hold-report "$WORK/$name.hold.json" --report "$WORK/$name.client.json" \
	2>"$WORK/$name.client.err" &
cpid=$!
held=0
for _ in $(seq 400); do
	grep -q '^HOLDING ' "$WORK/$name.client.err" && { held=1; break; }
	sleep 0.05
done
if [ $held = 1 ] && ss -tn state established "( sport = :$p )" |
		grep -q ":$p"; then
	ok "$name: HOLDING printed while the connection is established"
else
	notok "$name: HOLDING printed while the connection is established"
fi
touch "$touch_file"
wait $cpid; crc=$?
wait $spid; src=$?
cap_stop
if [ $crc = 0 ] && [ $src = 0 ]; then ok "$name: peers completed"
else notok "$name: peers completed (client rc=$crc server rc=$src)"; fi
if out=$($PY - "$WORK/$name.hold.json" "$WORK/$name.client.json" <<'EOF'
import json, sys
h = json.load(open(sys.argv[1])); f = json.load(open(sys.argv[2]))
for d in ("sent", "received"):
    a, b = h[d], f[d]
    # the only frames after the hold are the close and its reply
    b["frames"]["close"] -= 1
    b["payload_bytes"] -= 2 + len("clipper bye")
    b["header_bytes"] -= 6 if (d == "sent") else 2
    if a != b:
        print(d, json.dumps(a), json.dumps(b)); sys.exit(1)
EOF
); then ok "$name: hold snapshot == final report minus close frames"
else notok "$name: hold snapshot == final report minus close frames"
	echo "$out" | diag; fi
compare_run "$name" "$p" both

# two connections to one server (--count 2)
p=$(port 9)
name=rfc6455-count2-py
cap_start "$p" "$WORK/$name.pcap"
"$PYP" server -q --port "$p" --count 2 --port-file "$WORK/$name.port" \
	--report "$WORK/$name.server.json" 2>/dev/null &
spid=$!
wait_file "$WORK/$name.port"
"$PYP" client -q --url "ws://127.0.0.1:$p/" --mix small \
	--report "$WORK/$name.c1.json" &
c1=$!
"$JSP" client -q --url "ws://127.0.0.1:$p/" --mix stress \
	--report "$WORK/$name.c2.json"
c2rc=$?
wait $c1; c1rc=$?
wait $spid; src=$?
cap_stop
if [ $c1rc = 0 ] && [ $c2rc = 0 ] && [ $src = 0 ]; then
	ok "$name: two concurrent clients completed"
else
	notok "$name: two concurrent clients completed ($c1rc $c2rc $src)"
fi
if oracle "$name" "$p" both; then
	if out=$($PY - "$WORK/$name.oracle.json" "$WORK/$name.c1.json" \
			"$WORK/$name.c2.json" "$WORK/$name.server.json" <<'EOF'
import json, sys
o, c1, c2, s = (json.load(open(f)) for f in sys.argv[1:])
flows = {f["client"]: f for f in o["flows"]}
bad = 0
for c in (c1, c2):
    f = flows.get(c["connections"][0]["local"])
    if not f or f["c2s"] != c["sent"] or f["s2c"] != c["received"]:
        print("flow", c["connections"][0]["local"], "mismatch"); bad = 1
if o["c2s"] != s["received"] or o["s2c"] != s["sent"]:
    print("server totals mismatch"); bad = 1
sys.exit(bad)
EOF
	); then ok "$name: per-flow oracle == each client, totals == server"
	else notok "$name: per-flow oracle == each client, totals == server"
		echo "$out" | diag; fi
fi

# ---------------------------------------------------------------------------
# hixie-75 / -76 (raw sockets); tshark has no hixie dissector, the oracle
# uses tshark's TCP reassembly + its own parser (stream engine)

i=10
for d in 75 76; do
	for split in 0 1; do
		p=$(port $i); i=$((i + 1))
		name="hixie$d-basic"
		[ $split != 0 ] && name="hixie$d-split$split"
		run_pair "$name" "$p" "$HXP" server -q --draft "$d" \
			--split "$split" -- \
			"$HXP" client -q --draft "$d" --split "$split" \
			--url "ws://127.0.0.1:$p/chat" --mix basic &&
			compare_run "$name" "$p" auto
		[ "$split" = 1 ] && tiny_segments "$name" "$p" 200
		if [ -s "$WORK/$name.oracle.json" ]; then
			proto=$($PY -c 'import json,sys
print(" ".join(f["proto"]+"/"+f["engine"] for f in json.load(open(sys.argv[1]))["flows"]))' \
				"$WORK/$name.oracle.json")
			if [ "$proto" = "hixie-$d/stream" ]; then
				ok "$name: oracle classified the flow as hixie-$d"
			else
				notok "$name: oracle classified the flow as '$proto'"
			fi
		fi
	done
done
p=$(port 14)
run_pair hixie76-stress-ipv6 "$p" "$HXP" server -q --listen ::1 -- \
	"$HXP" client -q --draft 76 --url "ws://[::1]:$p/" --mix stress &&
	compare_run hixie76-stress-ipv6 "$p" auto
i=15	# lws tests: ports 15..18

# ---------------------------------------------------------------------------
# libwebsockets

if [ $HAVE_LWS = 0 ]; then
	skip "libwebsockets: libwebsockets-test-server not installed"
else
	# lws server + python client (lws-dumb): c2s exact; s2c: lws sends
	# one dumb-increment frame after its close frame, never read
	for m in lws-py lws-js; do
		p=$(port $((i))); i=$((i + 1))
		name=$m
		cap_start "$p" "$WORK/$name.pcap"
		t0=$(now)
		if "$DIR/ws_lws.sh" "$m" --port "$p" \
				--report "$WORK/$name.client.json" \
				2>"$WORK/$name.err"; then
			ok "$name: ws_lws.sh $m completed ($(elapsed "$t0")s)"
		else
			notok "$name: ws_lws.sh $m completed"
			diag <"$WORK/$name.err"
		fi
		cap_stop
		if oracle "$name" "$p" both; then
			check_cmp "$name: oracle c2s == client sent" \
				"$WORK/$name.client.json" sent \
				"$WORK/$name.oracle.json" c2s
			check_cmp "$name: oracle s2c == client received (+<=1 text after close)" \
				"$WORK/$name.client.json" received \
				"$WORK/$name.oracle.json" s2c 1
		fi
	done
	# python server + lws client (mirror, server closes after 50)
	p=$(port $i); i=$((i + 1))
	name=lws-py-lws
	cap_start "$p" "$WORK/$name.pcap"
	t0=$(now)
	if "$DIR/ws_lws.sh" py-lws --port "$p" \
			--report "$WORK/$name.server.json" 2>"$WORK/$name.err"; then
		ok "$name: ws_lws.sh py-lws completed ($(elapsed "$t0")s)"
	else
		notok "$name: ws_lws.sh py-lws completed"
		diag <"$WORK/$name.err"
	fi
	cap_stop
	if oracle "$name" "$p" both; then
		check_cmp "$name: oracle c2s == server received" \
			"$WORK/$name.server.json" received \
			"$WORK/$name.oracle.json" c2s
		check_cmp "$name: oracle s2c == server sent" \
			"$WORK/$name.server.json" sent \
			"$WORK/$name.oracle.json" s2c
	fi
	# lws server + lws client: no reports; dissector and stream engines
	# must agree ("both") and see traffic in both directions
	p=$(port $i); i=$((i + 1))
	name=lws-lws
	cap_start "$p" "$WORK/$name.pcap"
	t0=$(now)
	if "$DIR/ws_lws.sh" lws-lws --port "$p" --secs 1 \
			>/dev/null 2>"$WORK/$name.err"; then
		ok "$name: ws_lws.sh lws-lws completed ($(elapsed "$t0")s)"
	else
		notok "$name: ws_lws.sh lws-lws completed"
		diag <"$WORK/$name.err"
	fi
	cap_stop
	if oracle "$name" "$p" both; then
		if out=$($PY - "$WORK/$name.oracle.json" <<'EOF'
import json, sys
o = json.load(open(sys.argv[1]))
print("flows=%d c2s text=%d s2c text=%d" % (len(o["flows"]),
      o["c2s"]["frames"]["text"], o["s2c"]["frames"]["text"]))
sys.exit(0 if len(o["flows"]) == 2 and o["c2s"]["frames"]["text"] > 0
         and o["s2c"]["frames"]["text"] > 0 else 1)
EOF
		); then ok "$name: 2 flows with traffic both ways ($out)"
		else notok "$name: 2 flows with traffic both ways ($out)"; fi
	fi
fi

echo "1..$N"
[ "$FAILED" = 0 ] && exit 0
echo "# $FAILED test(s) failed"
exit 1
