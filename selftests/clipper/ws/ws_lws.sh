#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run a libwebsockets (Debian libwebsockets-test-server 4.1.x) WebSocket
# exchange on one address/port, non-interactively, so that a capture of it
# can be counted by ws_oracle.py.  Terminates by itself in a few seconds.
#
#   ws_lws.sh MODE [--addr ADDR] [--port P] [--secs S] [--close-after N]
#                  [--server-ns NS] [--client-ns NS] [--iface IFNAME]
#                  [--report FILE] [--timeout S]
#   ws_lws.sh SERVER_NS CLIENT_NS ADDR PORT      (= lws-lws with those)
#
# MODE
#   lws-lws  libwebsockets-test-server + libwebsockets-test-client --once:
#            the client opens a dumb-increment connection (the server sends
#            a counter every 50 ms) and an lws-mirror connection (the client
#            sends "c #RRGGBB x y r;" text messages as fast as it can, the
#            server mirrors them back).  --secs S (default 1) after the
#            mirror connection is up the server gets SIGINT and drops both
#            connections (no close frames); the client (--once) then exits
#            by itself.  Reports only {"impl": "libwebsockets", ...}: lws
#            gives no frame counts, count the capture with ws_oracle.py.
#   lws-py   libwebsockets-test-server + ws_peer.py client --mix lws-dumb:
#            the client reads 10 dumb-increment messages, sends "closeme\n",
#            the server closes (1001 "seeya").  Report = the python client's.
#            NOTE: lws 4.1.6 sends one more dumb-increment text frame AFTER
#            its close frame; the client never reads it, so the capture has
#            one text frame s2c more than the client's "received".
#   lws-js   the same with ws_peer.js.
#   py-lws   ws_peer.py server (subprotocol lws-mirror-protocol, closes with
#            1000 after echoing --close-after N messages, default 50) +
#            libwebsockets-test-client --justmirror --once.  Report = the
#            python server's; the lws client exits when the server closes.
#
# --server-ns/--client-ns run the server/client side in those network
# namespaces (ip netns exec).  The lws server listens on all addresses
# unless --iface is given (lws's -i takes an interface name, e.g. lo ->
# ::ffff:127.0.0.1, or an IPv6 literal; lws 4.1.6 ignores an IPv4 literal
# and binds to all addresses).  ADDR (default 127.0.0.1) is what the client
# connects to; IPv6 is fine (the lws client gets ws://[ADDR]:P/).
# Exit status 0 when both sides ran to their end.
# shellcheck disable=SC2317  # functions called via trap/poll
set -u

DIR=$(cd "$(dirname "$0")" && pwd)
MODES="lws-lws lws-py lws-js py-lws"
ADDR=127.0.0.1
PORT=7681
SECS=1
CLOSE_AFTER=50
REPORT=
TIMEOUT=30
IFACE=
SNS=
CNS=

usage() {
	sed -n '3,45p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

MODE=${1:-}
case " $MODES " in
*" $MODE "*) shift ;;
*)
	# positional form: SERVER_NS CLIENT_NS ADDR PORT
	[ $# -eq 4 ] || usage
	MODE=lws-lws SNS=$1 CNS=$2 ADDR=$3 PORT=$4
	shift 4
	;;
esac

while [ $# -gt 0 ]; do
	case "$1" in
	--addr) ADDR=$2; shift 2 ;;
	--port) PORT=$2; shift 2 ;;
	--secs) SECS=$2; shift 2 ;;
	--close-after) CLOSE_AFTER=$2; shift 2 ;;
	--report) REPORT=$2; shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	--iface) IFACE=$2; shift 2 ;;
	--server-ns) SNS=$2; shift 2 ;;
	--client-ns) CNS=$2; shift 2 ;;
	*) usage ;;
	esac
done

SRUN=()
CRUN=()
[ -n "$SNS" ] && SRUN=(ip netns exec "$SNS")
[ -n "$CNS" ] && CRUN=(ip netns exec "$CNS")
LWS_SERVER=${LWS_SERVER:-libwebsockets-test-server}
LWS_CLIENT=${LWS_CLIENT:-libwebsockets-test-client}
case "$ADDR" in
*:*) URL="ws://[$ADDR]:$PORT/" ;;
*) URL="ws://$ADDR:$PORT/" ;;
esac
TMP=$(mktemp -d /tmp/ws_lws.XXXXXX)
SPID=
CPID=
cleanup() {
	[ -n "$CPID" ] && kill -INT "$CPID" 2>/dev/null && wait "$CPID" 2>/dev/null
	[ -n "$SPID" ] && kill -INT "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

# poll (0.05 s steps) until CMD... succeeds, at most TIMEOUT seconds
poll() {
	local _
	for _ in $(seq 1 $((TIMEOUT * 20))); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}

# something listens on TCP port $PORT in the server's namespace (reads
# /proc, so no probe connection shows up in the capture)
listening() {
	"${SRUN[@]}" cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
		grep -q "$(printf ':%04X ' "$PORT")[0-9A-F:]* 0A "
}

start_lws_server() {
	local a=(-p "$PORT")
	[ -n "$IFACE" ] && a+=(-i "$IFACE")
	"${SRUN[@]}" timeout -s INT "$TIMEOUT" "$LWS_SERVER" "${a[@]}" \
		>"$TMP/server.log" 2>&1 &
	SPID=$!
	poll listening && return 0
	echo "ws_lws.sh: the lws server does not listen on port $PORT" >&2
	tail -5 "$TMP/server.log" >&2
	return 1
}

stop_lws_server() {
	local rc
	kill -INT "$SPID" 2>/dev/null
	wait "$SPID"
	rc=$?
	SPID=
	return $rc
}

emit() {
	if [ -n "$REPORT" ]; then
		cp "$1" "$REPORT"
	else
		cat "$1"
	fi
}

case "$MODE" in
lws-lws)
	start_lws_server || exit 1
	"${CRUN[@]}" timeout -s INT "$TIMEOUT" "$LWS_CLIENT" "$URL" --once \
		>"$TMP/client.log" 2>&1 &
	CPID=$!
	if ! poll grep -q 'mirror: LWS_CALLBACK_CLIENT_ESTABLISHED' \
			"$TMP/client.log"; then
		echo "ws_lws.sh: the lws client did not connect" >&2
		tail -5 "$TMP/client.log" >&2
		exit 1
	fi
	sleep "$SECS"
	stop_lws_server
	src=$?
	wait "$CPID"
	crc=$?
	CPID=
	if [ $src -ne 0 ] || [ $crc -ne 0 ]; then
		echo "ws_lws.sh: lws server rc=$src client rc=$crc" >&2
		tail -5 "$TMP/server.log" "$TMP/client.log" >&2
		exit 1
	fi
	echo "{\"impl\": \"libwebsockets\", \"mode\": \"lws-lws\", \"secs\": $SECS}" \
		>"$TMP/report.json"
	emit "$TMP/report.json"
	;;
lws-py|lws-js)
	start_lws_server || exit 1
	peer=("$DIR/ws_peer.py")
	[ "$MODE" = lws-js ] && peer=(node "$DIR/ws_peer.js")
	"${CRUN[@]}" "${peer[@]}" client -q --url "$URL" --mix lws-dumb \
		--timeout "$TIMEOUT" --report "$TMP/report.json"
	crc=$?
	stop_lws_server
	src=$?
	if [ $crc -ne 0 ] || [ $src -ne 0 ]; then
		echo "ws_lws.sh: peer rc=$crc lws server rc=$src" >&2
		tail -5 "$TMP/server.log" >&2
		exit 1
	fi
	emit "$TMP/report.json"
	;;
py-lws)
	listen=0.0.0.0
	case "$ADDR" in *:*) listen=:: ;; esac
	"${SRUN[@]}" "$DIR/ws_peer.py" server -q --listen "$listen" \
		--port "$PORT" --subprotocol lws-mirror-protocol \
		--subprotocol dumb-increment-protocol \
		--close-after "$CLOSE_AFTER" --timeout "$TIMEOUT" \
		--report "$TMP/report.json" 2>"$TMP/server.log" &
	SPID=$!
	poll listening || { echo "ws_lws.sh: no python server" >&2; exit 1; }
	"${CRUN[@]}" timeout -s INT "$TIMEOUT" "$LWS_CLIENT" "$URL" \
		--justmirror --once >"$TMP/client.log" 2>&1
	crc=$?
	wait "$SPID"
	src=$?
	SPID=
	if [ $crc -ne 0 ] || [ $src -ne 0 ]; then
		echo "ws_lws.sh: lws client rc=$crc peer rc=$src" >&2
		tail -5 "$TMP/client.log" "$TMP/server.log" >&2
		exit 1
	fi
	emit "$TMP/report.json"
	;;
esac
exit 0
