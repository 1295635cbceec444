#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Legacy (draft-hixie-thewebsocketprotocol-75/-76) WebSocket test peer.

Raw sockets, no library.  Handshake per the drafts, then a mix of
0x00 <utf8> 0xFF text frames and 0x80 <base-128 length> <data> binary
frames, echoed by the server; for -76 the 0xFF 0x00 closing handshake.

  hixie_peer.py server [--draft 75|76|auto] [--listen ADDR] [--port P]
                       [--count N] [--port-file F] [--report F]
  hixie_peer.py client --draft 75|76 --url ws://HOST:P/PATH [--mix NAME]
                       [--split N] [--hold S | --hold-until-file F]

Counting (same definitions as the kernel): text frame = 0x00..0xFF, header
2 (0x00 and 0xFF), payload = bytes between; length frame = type byte with
the high bit set + base-128 length digits, header 1 + #digits, payload =
length; 0xFF 0x00 = close (header 2, payload 0).  The HTTP handshake, the
8-byte key3 and the 16-byte challenge response are not counted.  "sent"
is counted while building each frame's bytes; "received" by the parser.
"""

import argparse
import hashlib
import json
import os
import random
import signal
import socket
import struct
import sys
import threading
import time
from urllib.parse import urlsplit

CLASSES = ("text", "binary", "continuation", "close", "ping", "pong", "other")
BURST = b"clipper:burst"
SYNC = b"clipper:sync"
DONE = b"clipper:done"
MIXES = ("basic", "stress", "small")


def new_counts():
    return {"frames": {c: 0 for c in CLASSES}, "payload_bytes": 0,
            "header_bytes": 0}


def add_counts(dst, src):
    for c in CLASSES:
        dst["frames"][c] += src["frames"][c]
    dst["payload_bytes"] += src["payload_bytes"]
    dst["header_bytes"] += src["header_bytes"]


def gen_bin(n, seed=0):
    return bytes(((i * 7 + 3 + seed) & 0xFF) for i in range(n))


def gen_text(n):
    alpha = b"abcdefghijklmnopqrstuvwxyz0123456789"
    return bytes(alpha[i % 36] for i in range(n))


# --------------------------------------------------------------------------
# framing


def length_digits(n):
    """Base-128, most significant digit first, high bit = more digits."""
    digits = [n & 0x7F]
    n >>= 7
    while n:
        digits.append(0x80 | (n & 0x7F))
        n >>= 7
    return bytes(reversed(digits))


class Frame:
    """kind is "text", "binary" or "close"; raw is the wire form."""

    def __init__(self, kind, payload=b"", ftype=None):
        self.kind = kind
        self.payload = payload
        if kind == "text":
            self.ftype = 0x00 if ftype is None else ftype
            assert b"\xff" not in payload
            self.raw = bytes([self.ftype]) + payload + b"\xff"
            self.header = 2
        elif kind == "binary":
            self.ftype = 0x80 if ftype is None else ftype
            digits = length_digits(len(payload))
            self.raw = bytes([self.ftype]) + digits + payload
            self.header = 1 + len(digits)
        elif kind == "close":
            self.ftype = 0xFF
            self.raw = b"\xff\x00"
            self.header = 2
        else:
            raise ValueError(kind)

    def count(self, counts):
        counts["frames"][self.kind] += 1
        counts["payload_bytes"] += len(self.payload)
        counts["header_bytes"] += self.header


class Parser:
    """Incremental hixie frame parser; feed() returns complete frames."""

    def __init__(self):
        self.buf = bytearray()

    def feed(self, data):
        self.buf += data
        out = []
        while self.buf:
            t = self.buf[0]
            if t & 0x80:
                n = 0
                i = 1
                while True:
                    if i >= len(self.buf):
                        return out
                    b = self.buf[i]
                    n = n * 128 + (b & 0x7F)
                    i += 1
                    if not b & 0x80:
                        break
                if t == 0xFF and n == 0 and i == 2:
                    out.append(Frame("close"))
                    del self.buf[:2]
                    continue
                if len(self.buf) < i + n:
                    return out
                out.append(Frame("binary", bytes(self.buf[i:i + n]), t))
                del self.buf[:i + n]
            else:
                end = self.buf.find(b"\xff", 1)
                if end < 0:
                    return out
                out.append(Frame("text", bytes(self.buf[1:end]), t))
                del self.buf[:end + 1]
        return out


# --------------------------------------------------------------------------
# output with optional splitting into small TCP segments


class Out:
    def __init__(self, sock, split=0, delay=0.0005, head=32, tail=32):
        self.sock = sock
        self.split = split
        self.delay = delay
        self.head = head
        self.tail = tail
        self.offset = 0          # stream offset, so pieces straddle frames
        self.lock = threading.Lock()

    def write(self, *chunks):
        """Write the chunks (frames, handshake parts) back to back.  With
        --split N, the first/last bytes of every chunk are written in N-byte
        pieces cut at multiples of N of the stream offset (so pieces
        straddle chunk boundaries), each followed by a short sleep;
        the middle of a long chunk goes out in one write."""
        data = b"".join(chunks)
        with self.lock:
            if not self.split:
                self.sock.sendall(data)
                self.offset += len(data)
                return
            n = self.split
            base = self.offset
            cuts = {0, len(data)}
            pos = 0
            for c in chunks:
                regions = ((pos, pos + min(self.head, len(c))),
                           (pos + max(len(c) - self.tail, 0), pos + len(c)))
                for a, b in regions:
                    k = -(-(base + a) // n) * n - base
                    while k <= b:
                        cuts.add(k)
                        k += n
                pos += len(c)
            cuts = sorted(c for c in cuts if 0 <= c <= len(data))
            for a, b in zip(cuts, cuts[1:]):
                self.sock.sendall(data[a:b])
                if self.delay:
                    time.sleep(self.delay)
            self.offset += len(data)


def set_nodelay(sock):
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


# --------------------------------------------------------------------------
# handshake helpers

KEY_CHARS = [chr(c) for c in list(range(0x21, 0x30)) + list(range(0x3A, 0x7F))]


def make_key(rng):
    """draft-hixie-76 4.1: returns (key string, number)."""
    spaces = rng.randint(1, 12)
    number = rng.randint(0, 4294967295 // spaces)
    key = list(str(number * spaces))
    for _ in range(rng.randint(1, 12)):
        key.insert(rng.randint(0, len(key)), rng.choice(KEY_CHARS))
    for _ in range(spaces):
        key.insert(rng.randint(1, len(key) - 1), " ")
    return "".join(key), number


def key_number(key):
    digits = int("".join(c for c in key if c.isdigit()))
    spaces = key.count(" ")
    if spaces == 0 or digits % spaces:
        raise ValueError("bad Sec-WebSocket-Key %r" % key)
    return digits // spaces


def challenge(n1, n2, key3):
    return hashlib.md5(struct.pack(">II", n1, n2) + key3).digest()


class Reader:
    """Buffered reads from a socket (handshake, then raw frame bytes)."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = bytearray()

    def fill(self):
        d = self.sock.recv(65536)
        if not d:
            raise EOFError("connection closed during handshake")
        self.buf += d

    def until(self, marker):
        while True:
            i = self.buf.find(marker)
            if i >= 0:
                out = bytes(self.buf[:i + len(marker)])
                del self.buf[:i + len(marker)]
                return out
            if len(self.buf) > 65536:
                raise ValueError("handshake too long")
            self.fill()

    def exactly(self, n):
        while len(self.buf) < n:
            self.fill()
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def rest(self):
        out = bytes(self.buf)
        self.buf.clear()
        return out


def parse_headers(block):
    lines = block.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    return lines[0], headers


# --------------------------------------------------------------------------


class Conn:
    """A connection after the handshake: counts, reader thread."""

    def __init__(self, sock, out, reader, draft, role, on_frame=None):
        self.sock = sock
        self.out = out
        self.draft = draft
        self.role = role
        self.sent = new_counts()
        self.received = new_counts()
        self.frames = []            # received frames
        self.parser = Parser()
        self.leftover = reader.rest()
        self.on_frame = on_frame
        self.cond = threading.Condition()
        self.eof = False
        self.local = fmt_addr(sock.getsockname())
        self.peer = fmt_addr(sock.getpeername())

    def send(self, *frames):
        for f in frames:
            f.count(self.sent)
        self.out.write(*[f.raw for f in frames])

    def _got(self, data):
        for f in self.parser.feed(data):
            f.count(self.received)
            with self.cond:
                self.frames.append(f)
                self.cond.notify_all()
            if self.on_frame:
                self.on_frame(self, f)

    def read_loop(self):
        try:
            if self.leftover:
                self._got(self.leftover)
            while True:
                d = self.sock.recv(65536)
                if not d:
                    break
                self._got(d)
        except (ConnectionError, OSError):
            pass
        finally:
            with self.cond:
                self.eof = True
                self.cond.notify_all()

    def wait_for(self, pred):
        with self.cond:
            while not pred():
                if self.eof:
                    return pred()
                self.cond.wait(0.5)
            return True

    def info(self):
        return {"local": self.local, "peer": self.peer, "sent": self.sent,
                "received": self.received}


def fmt_addr(sa):
    host, port = sa[0], sa[1]
    return "[%s]:%d" % (host, port) if ":" in host else "%s:%d" % (host, port)


def make_report(draft, role, conns, mix=None):
    rep = {"impl": "hixie-%s" % draft, "role": role, "sent": new_counts(),
           "received": new_counts()}
    if mix:
        rep["mix"] = mix
    for c in conns:
        add_counts(rep["sent"], c.sent)
        add_counts(rep["received"], c.received)
    rep["connections"] = [c.info() for c in conns]
    return rep


def write_json(path, obj):
    text = json.dumps(obj)
    if path:
        with open(path + ".tmp", "w") as f:
            f.write(text + "\n")
        os.replace(path + ".tmp", path)
    else:
        print(text, flush=True)


# --------------------------------------------------------------------------
# client


def build_mix(name):
    if name == "basic":
        return [Frame("text", b"hello hixie"),
                Frame("text", b""),
                Frame("text", "\u00fc".encode() * 300),
                Frame("text", gen_text(5000)),
                Frame("text", gen_text(70000)),
                Frame("binary", b""),
                Frame("binary", b"\xff"),
                Frame("binary", gen_bin(127)),       # 1 length digit
                Frame("binary", gen_bin(128)),       # 2 digits
                Frame("binary", gen_bin(300, 1)),
                Frame("binary", gen_bin(16383, 2)),  # 2 digits
                Frame("binary", gen_bin(16384, 3)),  # 3 digits
                Frame("binary", gen_bin(70000, 4))], BURST
    if name == "stress":
        fr = []
        for i in range(2000):
            if i % 2:
                fr.append(Frame("binary", bytes([i & 0xFF])))
            else:
                fr.append(Frame("text", bytes([0x61 + i % 26])))
        return fr, SYNC
    if name == "small":
        return [Frame("text", b"hi")], SYNC
    raise SystemExit("unknown mix %r" % name)


def burst_frames():
    return [Frame("text", b"srv-hello"),
            Frame("binary", gen_bin(2000, 5)),
            Frame("text", b""),
            Frame("binary", b""),
            Frame("text", gen_text(3000)),
            Frame("binary", gen_bin(70000, 6)),
            Frame("text", DONE)]


def client_handshake(sock, out, args, url):
    rng = random.Random(args.seed)
    host = url.hostname
    port = url.port or 80
    hosthdr = ("[%s]" % host if ":" in host else host)
    if port != 80:
        hosthdr += ":%d" % port
    path = url.path or "/"
    if url.query:
        path += "?" + url.query
    origin = "http://%s" % hosthdr
    lines = ["GET %s HTTP/1.1" % path, "Upgrade: WebSocket",
             "Connection: Upgrade", "Host: %s" % hosthdr,
             "Origin: %s" % origin]
    key3 = b""
    if args.draft == "76":
        k1, n1 = make_key(rng)
        k2, n2 = make_key(rng)
        key3 = bytes(rng.randrange(256) for _ in range(8))
        lines += ["Sec-WebSocket-Key1: %s" % k1,
                  "Sec-WebSocket-Key2: %s" % k2]
    req = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    if key3:
        out.write(req, key3)
    else:
        out.write(req)
    rd = Reader(sock)
    status, headers = parse_headers(rd.until(b"\r\n\r\n"))
    if args.draft == "76":
        if status != "HTTP/1.1 101 WebSocket Protocol Handshake":
            raise ValueError("unexpected status %r" % status)
        if headers.get("sec-websocket-origin") != origin:
            raise ValueError("bad Sec-WebSocket-Origin")
        if not headers.get("sec-websocket-location", "").endswith(path):
            raise ValueError("bad Sec-WebSocket-Location")
        if rd.exactly(16) != challenge(n1, n2, key3):
            raise ValueError("challenge response mismatch")
    else:
        if status != "HTTP/1.1 101 Web Socket Protocol Handshake":
            raise ValueError("unexpected status %r" % status)
        if headers.get("websocket-origin") != origin:
            raise ValueError("bad WebSocket-Origin")
    return rd


def run_client(args):
    url = urlsplit(args.url)
    if url.scheme != "ws":
        raise SystemExit("only ws:// URLs")
    fam = socket.AF_INET6 if ":" in url.hostname else socket.AF_INET
    sock = socket.socket(fam, socket.SOCK_STREAM)
    sock.settimeout(args.timeout)
    set_nodelay(sock)
    sock.connect((url.hostname, url.port or 80))
    out = Out(sock, args.split, args.split_delay)
    rd = client_handshake(sock, out, args, url)
    sock.settimeout(None)       # the overall alarm bounds the run
    conn = Conn(sock, out, rd, args.draft, "client")
    t = threading.Thread(target=conn.read_loop, daemon=True)
    t.start()
    if not args.quiet:
        print("hixie_peer.py: connected %s -> %s (draft %s)"
              % (conn.local, conn.peer, args.draft), file=sys.stderr,
              flush=True)

    frames, tail = build_mix(args.mix)
    expected = [(f.kind, f.payload) for f in frames] + [("text", tail)]
    if tail == BURST:
        expected += [(f.kind, f.payload) for f in burst_frames()]
    else:
        expected.append(("text", DONE))
    # a few frames per write, so frames share segments like real traffic
    for i in range(0, len(frames), 4):
        conn.send(*frames[i:i + 4])
    conn.send(Frame("text", tail))
    conn.wait_for(lambda: any(f.kind == "text" and f.payload == DONE
                              for f in conn.frames))
    errors = []
    got = [(f.kind, f.payload) for f in conn.frames]
    if got != expected:
        errors.append("echo mismatch: got %d frames, expected %d"
                      % (len(got), len(expected)))

    if args.hold or args.hold_until_file:
        if args.hold_report:
            write_json(args.hold_report,
                       make_report(args.draft, "client", [conn], args.mix))
        print("HOLDING local=%s peer=%s" % (conn.local, conn.peer),
              file=sys.stderr, flush=True)
        if args.hold_until_file:
            while not os.path.exists(args.hold_until_file):
                time.sleep(0.05)
        else:
            time.sleep(args.hold)

    if args.draft == "76":
        conn.send(Frame("close"))
        conn.wait_for(lambda: conn.frames and conn.frames[-1].kind == "close")
        if not conn.frames or conn.frames[-1].kind != "close":
            errors.append("no closing frame from the server")
    else:
        sock.shutdown(socket.SHUT_WR)
    conn.wait_for(lambda: conn.eof)
    t.join()
    sock.close()
    return make_report(args.draft, "client", [conn], args.mix), errors


# --------------------------------------------------------------------------
# server


def server_handshake(sock, out, args):
    rd = Reader(sock)
    req, headers = parse_headers(rd.until(b"\r\n\r\n"))
    parts = req.split(" ")
    if len(parts) != 3 or parts[0] != "GET":
        raise ValueError("bad request line %r" % req)
    path = parts[1]
    if headers.get("upgrade", "").lower() != "websocket":
        raise ValueError("not a WebSocket upgrade")
    draft = "76" if "sec-websocket-key1" in headers else "75"
    if args.draft not in ("auto", draft):
        raise ValueError("client speaks draft %s" % draft)
    origin = headers.get("origin", "null")
    location = "ws://%s%s" % (headers.get("host", ""), path)
    if draft == "76":
        n1 = key_number(headers["sec-websocket-key1"])
        n2 = key_number(headers["sec-websocket-key2"])
        key3 = rd.exactly(8)
        resp = ("HTTP/1.1 101 WebSocket Protocol Handshake\r\n"
                "Upgrade: WebSocket\r\n"
                "Connection: Upgrade\r\n"
                "Sec-WebSocket-Origin: %s\r\n"
                "Sec-WebSocket-Location: %s\r\n\r\n" % (origin, location))
        out.write(resp.encode("latin-1"), challenge(n1, n2, key3))
    else:
        resp = ("HTTP/1.1 101 Web Socket Protocol Handshake\r\n"
                "Upgrade: WebSocket\r\n"
                "Connection: Upgrade\r\n"
                "WebSocket-Origin: %s\r\n"
                "WebSocket-Location: %s\r\n\r\n" % (origin, location))
        out.write(resp.encode("latin-1"))
    return rd, draft


def server_on_frame(conn, f):
    if f.kind == "close":
        if conn.draft == "76" and not conn.closed:
            conn.closed = True
            conn.send(Frame("close"))
            conn.sock.shutdown(socket.SHUT_WR)
        return
    conn.send(Frame(f.kind, f.payload, f.ftype))
    if f.kind == "text" and f.payload == BURST:
        conn.send(*burst_frames())
    elif f.kind == "text" and f.payload == SYNC:
        conn.send(Frame("text", DONE))


def serve_conn(sock, args, conns, errors):
    try:
        sock.settimeout(args.timeout)
        set_nodelay(sock)
        out = Out(sock, args.split, args.split_delay)
        rd, draft = server_handshake(sock, out, args)
        sock.settimeout(None)   # the overall alarm bounds the run
        conn = Conn(sock, out, rd, draft, "server", server_on_frame)
        conn.closed = False
        conns.append(conn)
        conn.read_loop()
        if not conn.closed:
            try:
                sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass
        # wait for the client's FIN (or reset) before closing
        try:
            while sock.recv(65536):
                pass
        except OSError:
            pass
    except Exception as e:  # noqa: reported
        errors.append("connection: %r" % (e,))
    finally:
        sock.close()


def run_server(args):
    fam = socket.AF_INET6 if ":" in args.listen else socket.AF_INET
    ls = socket.socket(fam, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((args.listen, args.port))
    ls.listen(16)
    port = ls.getsockname()[1]
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write("%d\n" % port)
        os.replace(args.port_file + ".tmp", args.port_file)
    print("LISTENING %s %d" % (args.listen, port), file=sys.stderr,
          flush=True)
    conns, errors, threads = [], [], []
    for _ in range(args.count):
        s, peer = ls.accept()
        if not args.quiet:
            print("hixie_peer.py: connection from %s" % fmt_addr(peer),
                  file=sys.stderr, flush=True)
        t = threading.Thread(target=serve_conn, args=(s, args, conns, errors),
                             daemon=True)
        t.start()
        threads.append(t)
    ls.close()
    for t in threads:
        t.join()
    drafts = sorted({c.draft for c in conns}) or [args.draft]
    return make_report("/".join(drafts), "server", conns), errors


# slower kernels (make check-debug's) give the peers more time
DEFAULT_TIMEOUT = float(os.environ.get("WS_PEER_TIMEOUT", "60"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="role", required=True)
    for role in ("server", "client"):
        p = sub.add_parser(role)
        p.add_argument("--report")
        p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                       help="overall timeout in seconds (default 60, or "
                       "$WS_PEER_TIMEOUT)")
        p.add_argument("--split", type=int, default=0, metavar="N",
                       help="write frame heads/tails in N-byte segments")
        p.add_argument("--split-delay", type=float, default=0.0005,
                       help="sleep between split writes (default 0.0005)")
        p.add_argument("-q", "--quiet", action="store_true")
        if role == "server":
            p.add_argument("--draft", choices=("75", "76", "auto"),
                           default="auto")
            p.add_argument("--listen", default="127.0.0.1")
            p.add_argument("--port", type=int, default=0)
            p.add_argument("--count", type=int, default=1)
            p.add_argument("--port-file")
        else:
            p.add_argument("--draft", choices=("75", "76"), default="76")
            p.add_argument("--url", required=True)
            p.add_argument("--mix", choices=MIXES, default="basic")
            p.add_argument("--seed", type=int, default=None,
                           help="seed for the -76 keys (default random)")
            p.add_argument("--hold", type=float, default=0.0)
            p.add_argument("--hold-until-file", metavar="PATH")
            p.add_argument("--hold-report", metavar="FILE")
    args = ap.parse_args()
    budget = args.timeout + (getattr(args, "hold", 0) or 0)

    def on_alarm(signum, frame):
        print("hixie_peer.py: %s: timed out after %.0fs" % (args.role, budget),
              file=sys.stderr, flush=True)
        os._exit(3)
    signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, budget)
    try:
        if args.role == "server":
            rep, errors = run_server(args)
        else:
            rep, errors = run_client(args)
    except (OSError, ValueError, EOFError) as e:
        print("hixie_peer.py: %s: %s" % (args.role, e), file=sys.stderr,
              flush=True)
        sys.exit(1)
    signal.setitimer(signal.ITIMER_REAL, 0)
    write_json(args.report, rep)
    for e in errors:
        print("hixie_peer.py: %s: ERROR: %s" % (args.role, e),
              file=sys.stderr)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
