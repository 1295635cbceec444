#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""RFC 6455 WebSocket test peer for the clipper selftests (python3-websockets).

Uses the asyncio ("legacy") API of python3-websockets 10.x with compression
and keepalive pings disabled, so the exchange is deterministic.

  ws_peer.py server --listen ADDR --port P [--count N] [--report FILE]
  ws_peer.py client --url ws://HOST:P/ [--mix NAME] [--report FILE]
                    [--hold SECONDS | --hold-until-file PATH]

Frame accounting is done at frame level from the library itself: every frame
the library writes (including automatic pong replies and the close reply) goes
through WebSocketCommonProtocol.write_frame_sync(), which logs "> %s" with the
Frame object as argument at DEBUG level; every frame read is logged as "< %s"
by read_frame().  A logging handler picks the Frame objects out of these log
records (opcode, payload length) and attributes them to the connection via the
LoggerAdapter's "websocket" extra.  Header bytes are derived from the payload
length and the masking direction exactly as the library serialises them
(2 + 0/2/8 + 4 if masked; websockets always uses the shortest length form).

The report is one JSON object on stdout (or in --report FILE).
"""

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
import time

import websockets
import websockets.legacy.client
import websockets.legacy.server

IMPL = "python-websockets"
CLASSES = ("text", "binary", "continuation", "close", "ping", "pong", "other")
OPCODE_CLASS = {0: "continuation", 1: "text", 2: "binary", 8: "close",
                9: "ping", 10: "pong"}

# --------------------------------------------------------------------------
# the exchange (kept identical in ws_peer.js)

CLOSE_CODE = 1000
CLOSE_REASON = "clipper bye"
SRV_CLOSE_CODE = 1001
SRV_CLOSE_REASON = "server bye"
BURST = "clipper:burst"
SYNC = "clipper:sync"
CLOSEME = "clipper:closeme"
DONE = "clipper:done"
LWS_DUMB_MESSAGES = 10


def gen_bin(n, seed=0):
    """Deterministic binary payload: byte i = (i * 7 + 3 + seed) & 0xff."""
    return bytes(((i * 7 + 3 + seed) & 0xFF) for i in range(n))


def gen_text(n):
    alpha = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(alpha[i % 36] for i in range(n))


def build_mix(name):
    """Client steps.  Returns (steps, tail) where tail is how the exchange
    ends: "burst" (send BURST, wait for DONE, client closes), "sync" (send
    SYNC, wait for DONE, client closes), "closeme" (server closes),
    "lws-dumb" (lws dumb-increment protocol), "none" (client closes)."""
    s = []
    if name in ("basic", "srvclose"):
        s += [("text", "hello clipper"),
              ("binary", gen_bin(16)),
              ("text", ""),
              ("binary", b""),
              ("text", gen_text(125)),          # largest 7-bit length
              ("text", gen_text(126)),          # smallest 16-bit length
              ("binary", gen_bin(1000)),
              ("text", "\u00fc" * 500),         # 1000 bytes of UTF-8
              ("binary", gen_bin(65535)),       # largest 16-bit length
              ("binary", gen_bin(65536)),       # smallest 64-bit length
              ("binary", gen_bin(70000, 1)),
              ("ping", b"ping-1"),
              ("ping", b""),
              ("ping", gen_bin(125, 2)),
              ("pong", b"unsolicited"),
              # fragmented text, a ping between two fragments; the library
              # ends a fragmented message with an empty final continuation
              ("frag", "text", ["frag-one-", "frag-two-", "frag-three"], 2,
               b"mid-frag"),
              ("frag", "binary", [gen_bin(300), gen_bin(70000, 5),
                                  gen_bin(5)], None, None)]
        return s, ("burst" if name == "basic" else "closeme")
    if name == "stress":
        for i in range(2000):
            if i % 2:
                s.append(("binary", bytes([i & 0xFF])))
            else:
                s.append(("text", chr(ord("a") + i % 26)))
        return s, "sync"
    if name == "small":
        return [("text", "hi")], "none"
    if name == "lws-dumb":
        return [], "lws-dumb"
    raise SystemExit("unknown mix %r" % name)


MIXES = ("basic", "srvclose", "stress", "small", "lws-dumb")


def burst_messages():
    """What the server sends after echoing BURST (data messages as the
    receiver sees them, in order)."""
    return ["srv-hello", gen_bin(70000, 9), gen_bin(200, 4),
            "srv-frag-asrv-frag-b", DONE]


# --------------------------------------------------------------------------
# frame accounting


def new_counts():
    return {"frames": {c: 0 for c in CLASSES}, "payload_bytes": 0,
            "header_bytes": 0}


def header_len(length, masked):
    ext = 0 if length < 126 else (2 if length < 65536 else 8)
    return 2 + ext + (4 if masked else 0)


def add_frame(counts, opcode, length, masked):
    counts["frames"][OPCODE_CLASS.get(int(opcode), "other")] += 1
    counts["payload_bytes"] += length
    counts["header_bytes"] += header_len(length, masked)


def add_counts(dst, src):
    for c in CLASSES:
        dst["frames"][c] += src["frames"][c]
    dst["payload_bytes"] += src["payload_bytes"]
    dst["header_bytes"] += src["header_bytes"]


class FrameTap(logging.Handler):
    """Collects "> frame" / "< frame" debug records per connection."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.conns = {}

    def counts(self, ws):
        key = id(ws)
        if key not in self.conns:
            self.conns[key] = {"sent": new_counts(), "received": new_counts()}
        return self.conns[key]

    def emit(self, record):
        if record.msg not in ("> %s", "< %s"):
            return
        args = record.args
        if not isinstance(args, tuple) or len(args) != 1:
            return
        frame = args[0]
        ws = getattr(record, "websocket", None)
        if ws is None or not hasattr(frame, "opcode"):
            return
        c = self.counts(ws)
        if record.msg == "> %s":
            add_frame(c["sent"], frame.opcode, len(frame.data), ws.is_client)
        else:
            add_frame(c["received"], frame.opcode, len(frame.data),
                      not ws.is_client)


TAP = FrameTap()
LOGGER = logging.getLogger("clipper.ws")
LOGGER.setLevel(logging.DEBUG)
LOGGER.propagate = False
LOGGER.addHandler(TAP)


# --------------------------------------------------------------------------
# optional splitting of writes into small TCP segments


def install_split(transport, size, delay, head=24, tail=8):
    """Best effort: chop the first `head` and last `tail` bytes of every
    write (one write == one frame or the handshake) into `size`-byte
    writes with a short blocking sleep in between.  TCP_NODELAY is set by
    asyncio already.  If the transport already has buffered data the pieces
    are queued and may coalesce."""
    orig = transport.write

    def write(data):
        data = bytes(data)
        n = len(data)
        cuts = {0, n}
        for a, b in ((0, min(head, n)), (max(n - tail, 0), n)):
            for k in range(a, b + 1, size):
                cuts.add(k)
        cuts = sorted(cuts)
        for a, b in zip(cuts, cuts[1:]):
            orig(data[a:b])
            if delay:
                time.sleep(delay)
    transport.write = write


def split_protocol(base, args):
    if not args.split:
        return base

    class Split(base):
        def connection_made(self, transport):
            install_split(transport, args.split, args.split_delay)
            super().connection_made(transport)
    return Split


# --------------------------------------------------------------------------


def log(args, msg):
    if not args.quiet:
        print("ws_peer.py: " + msg, file=sys.stderr, flush=True)


def emit_report(args, report):
    text = json.dumps(report)
    if args.report:
        tmp = args.report + ".tmp"
        with open(tmp, "w") as f:
            f.write(text + "\n")
        os.replace(tmp, args.report)
    else:
        print(text, flush=True)


def fmt_addr(sockname):
    if not sockname:
        return None
    host, port = sockname[0], sockname[1]
    return "[%s]:%d" % (host, port) if ":" in host else "%s:%d" % (host, port)


async def send_step(ws, step, waiters):
    kind = step[0]
    if kind in ("text", "binary"):
        await ws.send(step[1])
        return step[1]
    if kind == "ping":
        waiters.append(await ws.ping(step[1]))
        return None
    if kind == "pong":
        await ws.pong(step[1])
        return None
    if kind == "frag":
        _, typ, parts, ping_at, ping_data = step

        async def fragments():
            for i, p in enumerate(parts):
                if ping_at is not None and i == ping_at:
                    waiters.append(await ws.ping(ping_data))
                yield p
        await ws.send(fragments())
        return ("" if typ == "text" else b"").join(parts)
    raise ValueError(kind)


async def hold(args, ws):
    if not (args.hold or args.hold_until_file):
        return
    if args.hold_report:
        snap = make_report(args, "client", [ws])
        tmp = args.hold_report + ".tmp"
        with open(tmp, "w") as f:
            f.write(json.dumps(snap) + "\n")
        os.replace(tmp, args.hold_report)
    print("HOLDING local=%s peer=%s" % (fmt_addr(ws.local_address),
                                        fmt_addr(ws.remote_address)),
          file=sys.stderr, flush=True)
    if args.hold_until_file:
        while not os.path.exists(args.hold_until_file):
            await asyncio.sleep(0.05)
    else:
        await asyncio.sleep(args.hold)


def make_report(args, role, conns):
    rep = {"impl": IMPL, "role": role, "sent": new_counts(),
           "received": new_counts()}
    if role == "client":
        rep["mix"] = args.mix
    details = []
    for ws in conns:
        c = TAP.counts(ws)
        add_counts(rep["sent"], c["sent"])
        add_counts(rep["received"], c["received"])
        details.append({"local": fmt_addr(ws.local_address),
                        "peer": fmt_addr(ws.remote_address),
                        "close_code": ws.close_code,
                        "close_reason": ws.close_reason,
                        "sent": c["sent"], "received": c["received"]})
    rep["connections"] = details
    return rep


async def run_client(args):
    steps, tail = build_mix(args.mix)
    kw = dict(compression=None, ping_interval=None, ping_timeout=None,
              max_size=1 << 24, max_queue=None, logger=LOGGER,
              close_timeout=args.timeout, open_timeout=args.timeout,
              create_protocol=split_protocol(
                  websockets.legacy.client.WebSocketClientProtocol, args))
    if tail == "lws-dumb":
        kw["subprotocols"] = ["dumb-increment-protocol"]
    errors = []
    async with websockets.connect(args.url, **kw) as ws:
        log(args, "connected %s -> %s" % (fmt_addr(ws.local_address),
                                          fmt_addr(ws.remote_address)))
        received = []
        done = asyncio.Event()

        async def reader():
            try:
                async for msg in ws:
                    received.append(msg)
                    if msg == DONE:
                        done.set()
                    if (tail == "lws-dumb"
                            and len(received) == LWS_DUMB_MESSAGES):
                        done.set()
            finally:
                done.set()
        rtask = asyncio.create_task(reader())

        waiters = []
        expected = []
        for step in steps:
            m = await send_step(ws, step, waiters)
            if m is not None:
                expected.append(m)
        if tail == "burst":
            await ws.send(BURST)
            expected += [BURST] + burst_messages()
        elif tail == "sync":
            await ws.send(SYNC)
            expected += [SYNC, DONE]
        if tail in ("burst", "sync", "lws-dumb"):
            await done.wait()
        else:   # "none", "closeme": all echoes in before holding/closing
            while len(received) < len(expected) and not rtask.done():
                await asyncio.sleep(0.01)
        if waiters:
            await asyncio.gather(*waiters)
        await hold(args, ws)
        if tail == "closeme":
            await ws.send(CLOSEME)
            expected.append(CLOSEME)
            await ws.wait_closed()
        elif tail == "lws-dumb":
            # ask the lws dumb-increment server to close (1001 "seeya")
            await ws.send("closeme\n")
            await ws.wait_closed()
        else:
            await ws.close(CLOSE_CODE, CLOSE_REASON)
        await rtask
        if tail == "lws-dumb":
            if len(received) < LWS_DUMB_MESSAGES:
                errors.append("only %d dumb-increment messages"
                              % len(received))
        elif received != expected:
            errors.append("echo mismatch: got %d messages, expected %d"
                          % (len(received), len(expected)))
            for i, (a, b) in enumerate(zip(received, expected)):
                if a != b:
                    errors.append("first difference at message %d" % i)
                    break
    rep = make_report(args, "client", [ws])
    return rep, errors


async def serve_one(ws, args):
    """Echo every data message; BURST/SYNC/CLOSEME trigger extra sends.
    With --close-after N the server closes (1000) after echoing N data
    messages (used with the libwebsockets test client, which never stops
    sending on its own)."""
    n = 0
    async for msg in ws:
        await ws.send(msg)
        n += 1
        if args.close_after and n >= args.close_after:
            await ws.close(CLOSE_CODE, "close-after")
            break
        if msg == BURST:
            await ws.send("srv-hello")
            await ws.send(gen_bin(70000, 9))
            await ws.send(gen_bin(200, 4))
            await ws.send(["srv-frag-a", "srv-frag-b"])
            waiter = await ws.ping(b"srv-ping")
            await waiter
            await ws.pong(b"srv-unsolicited")
            await ws.send(DONE)
        elif msg == SYNC:
            await ws.send(DONE)
        elif msg == CLOSEME:
            await ws.close(SRV_CLOSE_CODE, SRV_CLOSE_REASON)
            break


async def run_server(args):
    conns = []
    finished = asyncio.Event()
    errors = []

    async def handler(ws, path=None):
        conns.append(ws)
        log(args, "connection from %s" % fmt_addr(ws.remote_address))
        try:
            await serve_one(ws, args)
        except websockets.ConnectionClosed:
            pass
        except Exception as e:  # noqa: report, keep serving
            errors.append("handler: %r" % (e,))
        await ws.wait_closed()
        if sum(1 for c in conns if c.closed) >= args.count:
            finished.set()

    host = args.listen
    server = await websockets.serve(
        handler, host, args.port, compression=None, ping_interval=None,
        subprotocols=args.subprotocol or None,
        ping_timeout=None, max_size=1 << 24, max_queue=None, logger=LOGGER,
        close_timeout=args.timeout,
        create_protocol=split_protocol(
            websockets.legacy.server.WebSocketServerProtocol, args))
    port = server.sockets[0].getsockname()[1]
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write("%d\n" % port)
        os.replace(args.port_file + ".tmp", args.port_file)
    print("LISTENING %s %d" % (host, port), file=sys.stderr, flush=True)
    await finished.wait()
    server.close()
    await server.wait_closed()
    return make_report(args, "server", conns), errors


# slower kernels (make check-debug's) give the peers more time
DEFAULT_TIMEOUT = float(os.environ.get("WS_PEER_TIMEOUT", "60"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="role", required=True)
    for role in ("server", "client"):
        p = sub.add_parser(role)
        p.add_argument("--report", help="write the JSON report here")
        p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                       help="overall timeout in seconds (default 60, or "
                       "$WS_PEER_TIMEOUT)")
        p.add_argument("--split", type=int, default=0, metavar="N",
                       help="write frame heads/tails in N-byte pieces")
        p.add_argument("--split-delay", type=float, default=0.0005)
        p.add_argument("-q", "--quiet", action="store_true")
        if role == "server":
            p.add_argument("--listen", default="127.0.0.1")
            p.add_argument("--port", type=int, default=0)
            p.add_argument("--count", type=int, default=1,
                           help="serve N connections, then exit")
            p.add_argument("--port-file",
                           help="write the listening port to this file")
            p.add_argument("--subprotocol", action="append", metavar="NAME",
                           help="accept this subprotocol (repeatable), "
                           "e.g. lws-mirror-protocol")
            p.add_argument("--close-after", type=int, default=0, metavar="N",
                           help="close (1000) after echoing N messages")
        else:
            p.add_argument("--url", required=True)
            p.add_argument("--mix", default="basic", choices=MIXES)
            p.add_argument("--hold", type=float, default=0.0,
                           help="stay idle SECONDS before closing")
            p.add_argument("--hold-until-file", metavar="PATH",
                           help="stay idle until PATH exists")
            p.add_argument("--hold-report", metavar="FILE",
                           help="write a report snapshot when holding")
    args = ap.parse_args()
    if args.role == "server":
        args.mix = None
        args.hold = 0
    budget = args.timeout + (args.hold or 0)
    coro = run_server(args) if args.role == "server" else run_client(args)

    async def bounded():
        return await asyncio.wait_for(coro, budget)

    def backstop(signum, frame):
        # cancelling a connection in progress can itself wait for the close
        # timeout: never let that stretch the run
        print("ws_peer.py: %s: timed out after %.0fs" % (args.role, budget),
              file=sys.stderr, flush=True)
        os._exit(3)
    signal.signal(signal.SIGALRM, backstop)
    signal.setitimer(signal.ITIMER_REAL, budget + 0.5)
    try:
        rep, errors = asyncio.run(bounded())
    except asyncio.TimeoutError:
        print("ws_peer.py: %s: timed out after %.0fs" % (args.role, budget),
              file=sys.stderr, flush=True)
        sys.exit(3)
    except (OSError, websockets.WebSocketException) as e:
        print("ws_peer.py: %s: %s" % (args.role, e), file=sys.stderr,
              flush=True)
        sys.exit(1)
    emit_report(args, rep)
    for e in errors:
        print("ws_peer.py: %s: ERROR: %s" % (args.role, e), file=sys.stderr)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
