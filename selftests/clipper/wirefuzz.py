#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Random and malformed packets through a router with CLIPPER rules.

  wirefuzz.py --seed N --budget SECONDS --client NS --server NS
              --router NS --clipper PATH --rmac0 MAC --rmac1 MAC
              --report FILE [--port P]

One process, scapy imported once: it sends Ethernet frames from the client
namespace (dev c0, to the router's r0) and the server namespace (dev s0, to
r1) through AF_PACKET sockets opened in each namespace, and runs real TCP
sockets in both for the valid traffic.  Everything random comes from one
random.Random(seed): the same seed sends the same packets.

Crafted flows use addresses nobody owns (192.0.2.50-53, 198.51.100.50-53,
2001:db8:1::50-53, 2001:db8:2::50-53): the router has permanent neighbour
entries for them pointing at the client's and the server's MACs, whose
kernels drop what is not theirs silently, so neither side answers with a
RST and conntrack sees exactly the crafted packets, both directions.

First a probe: a full-size segment resent once, then twice, through the
router's two --pmtu-guard rules, and the pmtu counters after each.  Then
phases, each given a share of the budget:
  ip4      bad IHL, total lengths, IP options, checksums
  ip6      extension header chains, loops, truncations, bad payload lengths
  tcp      truncated headers, bad data offsets, looping/truncated options,
           MSS of length 0, 1, 3, 255 and at odd offsets, both directions
  syn      SYNs and SYN/ACKs with every combination of 8 options
  frag     IPv4 fragments and IPv6 fragment headers, tiny, overlapping,
           first fragments cut inside the TCP header, 64 KiB SYNs
  icmp     frag-needed / packet-too-big, MTU 0, 67, 68, 65535, garbage and
           truncated inner headers
  ws       handshakes completed by crafted packets on both sides, then
           frames: lengths up to 2^63, bad opcodes, RSV, masks wrong way
           round, garbage, hixie frames without end, reordering and gaps
  inject   real sockets: an RFC 6455 upgrade, then garbage injected into
           the established connection with the right sequence numbers
and between phases a real TCP exchange, IPv4 and IPv6 (sprinkled valid
traffic).  The report (JSON) has the packets sent per phase, the results of
the valid exchanges, of the oversize probe (the largest datagram the router
sent on for a 64 KiB SYN, from the fragments seen at the server) and of the
resend probe (the pmtu counters after one resend and after a second, run
first, "clipper -j stats" in the router's namespace).
"""
import argparse
import ctypes
import json
import logging
import os
import random
import select
import socket
import struct
import subprocess
import sys
import time

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
# pylint: disable=wrong-import-position
from scapy.layers.inet import IP, TCP  # noqa: E402
from scapy.layers.inet6 import IPv6, IPv6ExtHdrFragment  # noqa: E402
from scapy.layers.l2 import Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402

CLONE_NEWNET = 0x40000000
ETH_P_ALL = 0x0003
TCP_REPAIR, TCP_REPAIR_QUEUE, TCP_QUEUE_SEQ = 19, 20, 21
TCP_RECV_QUEUE, TCP_SEND_QUEUE = 1, 2
TCP_REPAIR_ON, TCP_REPAIR_OFF_NO_WP = 1, -1

C4 = ["192.0.2.%d" % i for i in range(50, 54)]
S4 = ["198.51.100.%d" % i for i in range(50, 54)]
C6 = ["2001:db8:1::%d" % i for i in range(50, 54)]
S6 = ["2001:db8:2::%d" % i for i in range(50, 54)]
REAL_C4, REAL_S4 = "192.0.2.2", "198.51.100.2"
REAL_C6, REAL_S6 = "2001:db8:1::2", "2001:db8:2::2"
CLIENT_MAC = "02:00:00:00:0c:01"	# in the router's MAC table
SERVER_MAC = "02:00:00:00:0d:01"
# source MACs of the client side: the table's entry, a globally
# administered MAC without entry (default class), random local ones
SRC_MACS = [CLIENT_MAC, "00:16:3e:00:0c:99"]

_libc = ctypes.CDLL(None, use_errno=True)


class Netns:
    """Enter a named network namespace for the sockets made inside."""

    home = None

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        if Netns.home is None:
            Netns.home = os.open("/proc/self/ns/net", os.O_RDONLY)
        fd = os.open("/run/netns/" + self.name, os.O_RDONLY)
        try:
            if _libc.setns(fd, CLONE_NEWNET):
                raise OSError(ctypes.get_errno(), "setns " + self.name)
        finally:
            os.close(fd)
        return self

    def __exit__(self, *exc):
        if _libc.setns(Netns.home, CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), "setns back")


class Side:
    """The client or the server end: an AF_PACKET socket on its link."""

    def __init__(self, ns, dev, mac, rmac):
        self.ns, self.mac, self.rmac = ns, mac, rmac
        with Netns(ns):
            self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                      socket.htons(ETH_P_ALL))
            self.sock.bind((dev, 0))
        self.sock.setblocking(False)

    def drain(self):
        """Forget what was received so far."""
        try:
            while True:
                self.sock.recv(65536)
        except BlockingIOError:
            pass

    def recv_until(self, deadline, want):
        """Frames received until want(frame) is true or the deadline."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([self.sock], [], [], left)
            if not r:
                return None
            try:
                f, addr = self.sock.recvfrom(65536)
            except BlockingIOError:
                continue
            if addr[2] == socket.PACKET_OUTGOING:
                continue
            if want(f):
                return f


class Fuzzer:
    def __init__(self, args):
        self.rng = random.Random(args.seed)
        self.args = args
        self.client = Side(args.client, "c0", CLIENT_MAC, args.rmac0)
        self.server = Side(args.server, "s0", SERVER_MAC, args.rmac1)
        self.sent = {}
        self.phase = None
        self.valid = {"ok": 0, "failed": 0, "errors": []}
        self.probe = {}
        self.ports = iter(range(20000, 60000))

    # ---- sending ---------------------------------------------------------

    def tx(self, to_server, pkt, src_mac=None):
        """Send an L3 packet (scapy or bytes) from one side to the router."""
        side = self.client if to_server else self.server
        if src_mac is None:
            src_mac = side.mac
            if to_server:
                r = self.rng.random()
                if r < 0.2:
                    src_mac = SRC_MACS[1]
                elif r < 0.3:
                    src_mac = "%02x:%s" % (
                        (self.rng.randrange(0, 256) | 0x02) & 0xfe,
                        ":".join("%02x" % self.rng.randrange(256)
                                 for _ in range(5)))
        if isinstance(pkt, (bytes, bytearray)):
            ver = pkt[0] >> 4 if pkt else 4
            etype = 0x86dd if ver == 6 else 0x0800
            frame = (bytes.fromhex(side.rmac.replace(":", "")) +
                     bytes.fromhex(src_mac.replace(":", "")) +
                     struct.pack("!H", etype) + bytes(pkt))
        else:
            frame = bytes(Ether(dst=side.rmac, src=src_mac) / pkt)
        try:
            side.sock.send(frame)
        except OSError:
            pass		# too long for the link, and such
        self.sent[self.phase] = self.sent.get(self.phase, 0) + 1

    def rbytes(self, n):
        return self.rng.randbytes(n)

    def port(self):
        return next(self.ports)

    def addrs(self, v6, to_server):
        """(src, dst) of crafted packets in one direction."""
        i = self.rng.randrange(4)
        c, s = (C6[i], S6[i]) if v6 else (C4[i], S4[i])
        return (c, s) if to_server else (s, c)

    def l3(self, v6, src, dst, **kw):
        if v6:
            return IPv6(src=src, dst=dst, **kw)
        return IP(src=src, dst=dst, **kw)

    # ---- phase: IPv4 headers ----------------------------------------------

    def ip4_case(self):
        rng = self.rng
        to_server = rng.random() < 0.6
        src, dst = self.addrs(False, to_server)
        if rng.random() < 0.3:
            src, dst = ((REAL_C4, REAL_S4) if to_server else
                        (REAL_S4, REAL_C4))
        proto = rng.choice([6, 6, 6, 1, 17, 0, 255])
        inner = self.rbytes(rng.randrange(0, 80))
        if proto == 6:
            inner = bytes(TCP(sport=rng.randrange(65536), dport=80,
                              flags=rng.choice(["S", "SA", "A", "PA", "R"]),
                              options=[("MSS", rng.choice([0, 1, 536, 1460,
                                                           65535]))])) + inner
        opts = b""
        k = rng.randrange(6)
        if k == 1:
            opts = b"\x01" * rng.randrange(1, 41)		# NOPs
        elif k == 2:
            opts = b"\x07" + bytes([rng.choice([0, 1, 2, 3, 39, 40, 255])]) \
                + self.rbytes(rng.randrange(0, 38))	# record route
        elif k == 3:
            opts = b"\x44" + bytes([rng.randrange(256), rng.randrange(256)]) \
                + self.rbytes(rng.randrange(0, 37))	# timestamps
        elif k == 4:
            opts = self.rbytes(rng.randrange(1, 41))
        elif k == 5:
            opts = b"\x94\x04\x00\x00"			# router alert
        opts = opts[:40]
        opts += b"\x00" * (-len(opts) % 4)
        ihl = 5 + len(opts) // 4
        body = opts + inner
        tot = 20 + len(body)
        how = rng.randrange(8)
        if how == 0:
            ihl = rng.randrange(0, 5)			# too short
        elif how == 1:
            ihl = rng.randrange(ihl, 16)			# past the options
        elif how == 2:
            tot = rng.randrange(0, 20 + len(opts) + 1)	# below the header
        elif how == 3:
            tot = rng.randrange(tot, 65536)		# past the frame
        elif how == 4:
            tot = rng.randrange(20 + len(opts), tot + 1)  # trailing bytes
        frag = 0x4000 if rng.random() < 0.5 else 0
        if rng.random() < 0.1:
            frag = rng.randrange(65536)
        hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | (ihl & 15),
                          rng.randrange(256), tot & 0xffff,
                          rng.randrange(65536), frag, rng.randrange(1, 65),
                          proto, 0, socket.inet_aton(src),
                          socket.inet_aton(dst))
        csum = _csum(hdr + opts) if rng.random() < 0.8 else \
            rng.randrange(65536)
        hdr = hdr[:10] + struct.pack("!H", csum) + hdr[12:]
        pkt = hdr + body
        if rng.random() < 0.05:
            pkt = pkt[:rng.randrange(1, len(pkt))]	# cut anywhere
        self.tx(to_server, pkt)

    # ---- phase: IPv6 extension headers --------------------------------------

    def ext6(self, nh):
        """A random extension header, nh the header after it (raw)."""
        rng = self.rng
        k = rng.randrange(5)
        if k == 0 or k == 1:		# hop-by-hop or destination options
            typ = 0 if k == 0 else 60
            opts = rng.choice([
                b"\x01\x04\x00\x00\x00\x00",		# PadN
                b"\x05\x02\x00\x00\x01\x00",		# router alert
                b"\xc2\x04" + self.rbytes(4),		# jumbo payload
                bytes([rng.randrange(256), 4]) + self.rbytes(4),
                self.rbytes(6),
                b"\x01" + bytes([rng.choice([0, 1, 5, 255])]) +
                self.rbytes(4)])
            extra = rng.choice([0, 0, 1, 2])
            opts += b"\x01\x06" + b"\x00" * 6 if extra else b""
            return typ, bytes([nh, len(opts) // 8]) + opts
        if k == 2:			# routing: types 0, 2, 4, unknown
            n = rng.choice([0, 1, 2])
            return 43, bytes([nh, 2 * n, rng.choice([0, 2, 3, 4, 253]),
                              rng.randrange(0, 3)]) + b"\x00" * 4 + \
                self.rbytes(16 * n)
        if k == 3:			# an atomic fragment
            return 44, struct.pack("!BBHI", nh, 0, 0, rng.getrandbits(32))
        return 60, bytes([nh, rng.choice([0, 1, 255])]) + self.rbytes(6)

    def ip6_case(self):
        rng = self.rng
        to_server = rng.random() < 0.6
        src, dst = self.addrs(True, to_server)
        if rng.random() < 0.3:
            src, dst = ((REAL_C6, REAL_S6) if to_server else
                        (REAL_S6, REAL_C6))
        last = rng.random()
        if last < 0.6:
            nh = 6
            tail = raw_tcp(True, src, dst, rng.randrange(1, 65536),
                           rng.choice([80, 443]), rng.getrandbits(32),
                           rng.getrandbits(32),
                           rng.choice(["S", "SA", "A", "PA"]), 65535,
                           b"\x02\x04" + struct.pack("!H", rng.choice(
                               [0, 1, 1220, 1440, 65535])) +
                           b"\x01\x03\x03\x07",
                           self.rbytes(rng.randrange(0, 40)))[40:]
        elif last < 0.7:		# unknown, none, or a lie
            nh = rng.choice([59, 253, 6, 44, 0])
            tail = self.rbytes(rng.randrange(0, 30))
        else:
            nh = 58
            tail = b"\x80\x00\x00\x00" + self.rbytes(12)
        n = rng.randrange(0, 7)
        chain = b""
        for i in range(n):
            typ, h = self.ext6(nh)
            # a loop: hop-by-hop again, not first
            if i == n - 2 and rng.random() < 0.3:
                typ = 0
            chain = h + chain
            nh = typ
        raw = bytearray(raw_ip6(src, dst, nh, chain + tail))
        how = rng.randrange(6)
        if how == 0:		# payload length past the frame
            struct.pack_into("!H", raw, 4, rng.randrange(len(raw) - 40,
                                                        65536))
        elif how == 1:		# shorter: trailing bytes, or cut headers
            struct.pack_into("!H", raw, 4, rng.randrange(0, len(raw) - 39))
        elif how == 2 and len(raw) > 41:	# cut anywhere
            raw = raw[:rng.randrange(41, len(raw))]
            struct.pack_into("!H", raw, 4, len(raw) - 40)
        elif how == 3 and len(raw) > 48:	# a bad extension length byte
            raw[41] = rng.randrange(256)
        elif how == 4:		# payload length 0: a jumbogram without option
            struct.pack_into("!H", raw, 4, 0)
        self.tx(to_server, bytes(raw))

    # ---- phase: TCP headers and options -------------------------------------

    def tcp_options(self):
        """Option bytes, mostly wrong."""
        rng = self.rng
        k = rng.randrange(12)
        mss = struct.pack("!H", rng.choice([0, 1, 88, 536, 1460, 9000,
                                             65535]))
        if k == 0:
            return b"\x02" + bytes([rng.choice([0, 1, 3, 255])]) + mss
        if k == 1:		# MSS at an odd offset
            return b"\x01" * rng.choice([1, 3, 5]) + b"\x02\x04" + mss
        if k == 2:		# two MSS options
            return b"\x02\x04" + mss + b"\x02\x04" + mss
        if k == 3:		# a zero length: would loop forever
            return b"\x01\x01" + bytes([rng.randrange(2, 40)]) + b"\x00" \
                + b"\x02\x04" + mss
        if k == 4:		# length 1
            return bytes([rng.randrange(2, 256), 1]) + b"\x02\x04" + mss
        if k == 5:		# runs past the header
            return b"\x02\x04" + mss + bytes([8, 40]) + self.rbytes(6)
        if k == 6:		# kind as the last byte, no length
            return b"\x01\x01\x01\x02"
        if k == 7:		# MSS after EOL
            return b"\x00\x00\x00\x00\x02\x04" + mss
        if k == 8:		# SACK blocks, timestamps, and an MSS
            return (b"\x01\x01\x08\x0a" + self.rbytes(8) + b"\x01\x01\x05" +
                    bytes([rng.choice([10, 18, 26, 34, 2, 3])]) +
                    self.rbytes(32) + b"\x02\x04" + mss)
        if k == 9:		# all NOPs to doff 15
            return b"\x01" * 40
        return self.rbytes(rng.randrange(0, 41))

    def tcp_case(self):
        rng = self.rng
        v6 = rng.random() < 0.4
        to_server = rng.random() < 0.6
        src, dst = self.addrs(v6, to_server)
        opts = self.tcp_options()
        opts = opts[:40]
        if rng.random() < 0.8:
            opts += b"\x00" * (-len(opts) % 4)
        doff = 5 + len(opts) // 4
        how = rng.randrange(6)
        if how == 0:
            doff = rng.randrange(0, 5)
        elif how == 1:
            doff = rng.randrange(doff, 16)
        flags = rng.choice([0x02, 0x02, 0x12, 0x10, 0x18, 0x01, 0x04, 0x06,
                            0x03, 0xff, rng.randrange(256)])
        payload = self.rbytes(rng.choice([0, 0, 1, 10, 100, 1400]))
        th = struct.pack("!HHIIBBHHH", rng.randrange(1, 65536),
                         rng.choice([80, 443, self.args.port]),
                         rng.getrandbits(32), rng.getrandbits(32),
                         (doff & 15) << 4, flags, rng.randrange(65536), 0,
                         0) + opts + payload
        if how == 2:		# truncated fixed header
            th = th[:rng.randrange(0, 20)]
        elif how == 3:		# cut inside the options
            th = th[:20 + rng.randrange(0, len(opts) + 1)]
        if v6:
            raw = bytearray(raw_ip6(src, dst, 6, th))
        else:
            raw = bytearray(raw_ip4(src, dst, 6, th,
                                    df=rng.random() < 0.5))
        off = 40 if v6 else 20
        if len(th) >= 18 and rng.random() < 0.85:
            # a right checksum, so that conntrack lets it through
            struct.pack_into("!H", raw, off + 16, 0)
            c = _tcp_csum(bytes(raw[off:]), src, dst, v6)
            struct.pack_into("!H", raw, off + 16, c)
        self.tx(to_server, bytes(raw))

    # ---- phase: SYNs with every combination of options ---------------------

    SYN_OPTS = [
        ("MSS", None), ("WScale", None), ("SAckOK", b""),
        ("Timestamp", None), ("SAck", None), ("TFO", None),
        ("MD5", None), ("Unknown", None),
    ]

    def syn_opts(self, mask):
        """The option bytes of one combination, in a random order."""
        rng = self.rng
        out = []
        for i, (name, _) in enumerate(self.SYN_OPTS):
            if not mask & (1 << i):
                continue
            if name == "MSS":
                o = b"\x02\x04" + struct.pack("!H", rng.choice(
                    [1, 88, 400, 536, 1220, 1460, 1500, 65535]))
            elif name == "WScale":
                o = b"\x03\x03" + bytes([rng.choice([0, 7, 14, 15, 255])])
            elif name == "SAckOK":
                o = b"\x04\x02"
            elif name == "Timestamp":
                o = b"\x08\x0a" + self.rbytes(4) + b"\x00" * 4
            elif name == "SAck":
                o = b"\x05\x0a" + self.rbytes(8)
            elif name == "TFO":
                n = rng.choice([0, 4, 8, 16])
                o = bytes([34, n + 2]) + self.rbytes(n)
            elif name == "MD5":
                o = b"\x13\x12" + self.rbytes(16)
            else:
                o = b"\xfd\x04" + self.rbytes(2)
            if rng.random() < 0.3:
                o = b"\x01" + o
            out.append(o)
        rng.shuffle(out)
        # what does not fit in 40 bytes is left out
        while len(b"".join(out)) > 40:
            out.pop()
        return b"".join(out)

    def syn_case(self, mask, v6, synack):
        rng = self.rng
        to_server = not synack
        src, dst = self.addrs(v6, to_server)
        data = b""
        if rng.random() < 0.2:
            data = self.rbytes(rng.choice([1, 100, 1000]))
        sp, dp = (80, self.port()) if synack else (self.port(), 80)
        self.tx(to_server, raw_tcp(v6, src, dst, sp, dp,
                                   rng.getrandbits(32),
                                   rng.getrandbits(32) if synack else 0,
                                   "SA" if synack else "S", 65535,
                                   self.syn_opts(mask), data))

    # ---- phase: fragments ------------------------------------------------------

    def frag_case(self):
        rng = self.rng
        v6 = rng.random() < 0.4
        to_server = rng.random() < 0.7
        src, dst = self.addrs(v6, to_server)
        sport = self.port()
        opts = [] if rng.random() < 0.5 else [("MSS", 1460)]
        tcp = TCP(sport=sport, dport=80, flags="S", seq=rng.getrandbits(32),
                  options=opts) / Raw(self.rbytes(rng.choice([0, 8, 100,
                                                               2000])))
        payload = bytes(self.l3(v6, src, dst) / tcp)[40 if v6 else 20:]
        ident = rng.getrandbits(16 if not v6 else 32)
        pieces = []
        how = rng.randrange(5)
        if how == 0:		# first fragment cut inside the TCP header
            cut = rng.choice([8, 16])
            pieces = [(0, payload[:cut], True), (cut, payload[cut:], False)]
        elif how == 1:		# overlapping fragments
            pieces = [(0, payload[:24], True), (16, payload[16:], False)]
        elif how == 2:		# tiny 8-byte pieces, shuffled
            pieces = [(o, payload[o:o + 8], o + 8 < len(payload))
                      for o in range(0, len(payload), 8)]
            rng.shuffle(pieces)
        elif how == 3:		# a lone non-first fragment
            pieces = [(rng.randrange(1, 8000) * 8, self.rbytes(64),
                       rng.random() < 0.5)]
        else:			# an atomic fragment / a single whole one
            pieces = [(0, payload, False)]
        for off, data, more in pieces[:40]:
            if v6:
                pkt = IPv6(src=src, dst=dst, nh=44) / IPv6ExtHdrFragment(
                    nh=6, offset=off // 8, m=int(more), id=ident) / Raw(data)
            else:
                pkt = IP(src=src, dst=dst, proto=6, id=ident,
                         frag=off // 8, flags="MF" if more else 0) / \
                    Raw(data)
            self.tx(to_server, pkt)

    def big_syn(self, v6, hbh):
        """A SYN with ~64 KiB of data and no MSS option, in fragments.

        The reassembled datagram is as large as IP allows; clipper's
        --clamp-mss rules want an MSS option added to it.  What the router
        sends on is read back at the server: the fragments must not add up
        to more than 65535 bytes of datagram.
        """
        rng = self.rng
        src, dst = self.addrs(v6, True)
        sport = self.port()
        if v6:
            unfrag = 8 if hbh else 0
            data_len = 65535 - unfrag - 20 - rng.randrange(0, 4)
        else:
            data_len = 65535 - 20 - 20 - rng.randrange(0, 4)
        payload = raw_tcp(v6, src, dst, sport, 80, rng.getrandbits(32), 0,
                          "S", 65535, data=rng.randbytes(data_len))
        payload = payload[40 if v6 else 20:]
        ident = rng.getrandbits(16 if not v6 else 32)
        step = 1232 if v6 else 1480
        self.server.drain()
        for off in range(0, len(payload), step):
            data = payload[off:off + step]
            more = off + step < len(payload)
            if v6:
                fh = struct.pack("!BBHI", 6, 0, off | int(more), ident)
                if hbh:
                    pkt = raw_ip6(src, dst, 0, b"\x2c\x00\x01\x04" +
                                  b"\x00" * 4 + fh + data)
                else:
                    pkt = raw_ip6(src, dst, 44, fh + data)
            else:
                pkt = raw_ip4(src, dst, 6, data, ident=ident,
                              frag=off // 8 | (0x2000 if more else 0))
            self.tx(True, pkt)
        # the fragments the router sends on, at the server's link
        end = 0
        hlen = 0
        nfrag = 0
        deadline = time.monotonic() + 5

        def want(f):
            nonlocal end, hlen, nfrag
            if v6 and f[12:14] == b"\x86\xdd" and f[38:54] == \
                    socket.inet_pton(socket.AF_INET6, dst):
                p = f[14:]
                nh, off = p[6], 40
                while nh in (0, 60, 43) and off + 8 <= len(p):
                    nh, off = p[off], off + (p[off + 1] + 1) * 8
                if nh == 44 and off + 8 <= len(p):
                    fo = struct.unpack("!H", p[off + 2:off + 4])[0]
                    end = max(end, (fo & ~7) + len(p) - off - 8)
                    hlen = off
                    nfrag += 1
                    return not fo & 1
                return False
            if not v6 and f[12:14] == b"\x08\x00" and \
                    f[30:34] == socket.inet_aton(dst):
                p = f[14:]
                ihl = (p[0] & 15) * 4
                tot = struct.unpack("!H", p[2:4])[0]
                fo = struct.unpack("!H", p[6:8])[0]
                end = max(end, (fo & 0x1fff) * 8 + tot - ihl)
                hlen = ihl
                nfrag += 1
                return not fo & 0x2000
            return False
        got = self.server.recv_until(deadline, want)
        key = "bigsyn%s%s" % ("6" if v6 else "4", "_hbh" if hbh else "")
        # IPv4: total length; IPv6: payload length (without the fixed header)
        size = end + hlen - (40 if v6 else 0)
        self.probe[key] = {"fragments": nfrag, "last_seen": bool(got),
                           "datagram": size, "ok": size <= 65535}

    # ---- phase: ICMP frag-needed / packet-too-big ---------------------------

    def icmp_case(self):
        rng = self.rng
        v6 = rng.random() < 0.5
        to_server = rng.random() < 0.3
        src, dst = self.addrs(v6, to_server)
        mtu = rng.choice([0, 67, 68, 576, 1280, 1499, 65535,
                          rng.randrange(0, 1 << 16),
                          rng.getrandbits(32)])
        # the inner header: the packet that was too big, from dst
        isrc, idst = dst, self.addrs(v6, not to_server)[1]
        k = rng.randrange(5)
        if k == 0:
            inner = raw_tcp(v6, isrc, idst, 80, self.port(),
                            rng.getrandbits(32), rng.getrandbits(32), "A",
                            1000, data=self.rbytes(rng.choice([0, 1400])))
            inner = inner[:rng.choice([len(inner), 68, 548])]
        elif k == 1:
            inner = raw_tcp(v6, isrc, idst, 80, 80, 0, 0, "A", 0)[
                :rng.randrange(0, 48)]	# truncated
        elif k == 2:
            inner = self.rbytes(rng.randrange(0, 60))	# garbage
        elif k == 3:
            inner = b""
        else:		# an inner header of the other family
            inner = raw_tcp(not v6, "192.0.2.1" if v6 else "::1",
                            "192.0.2.9" if v6 else "::2", 1, 2, 3, 4, "S", 5)
        if v6:
            icmp = struct.pack("!BBHI", 2, 0, 0, mtu & 0xffffffff) + inner
            ph = (socket.inet_pton(socket.AF_INET6, src) +
                  socket.inet_pton(socket.AF_INET6, dst) +
                  struct.pack("!I3xB", len(icmp), 58))
            icmp = icmp[:2] + struct.pack("!H", _csum(ph + icmp)) + icmp[4:]
            pkt = raw_ip6(src, dst, 58, icmp)
        else:
            code = 4 if rng.random() < 0.8 else rng.randrange(16)
            icmp = struct.pack("!BBHHH", 3, code, 0, 0, mtu & 0xffff) + inner
            icmp = icmp[:2] + struct.pack("!H", _csum(icmp)) + icmp[4:]
            pkt = raw_ip4(src, dst, 1, icmp)
        self.tx(to_server, pkt)

    # ---- phase: WebSocket over crafted flows -------------------------------

    def ws_case(self):
        rng = self.rng
        v6 = rng.random() < 0.4
        f = Flow(self, v6)
        f.handshake()
        draft = rng.choice(["rfc", "rfc", "rfc", "rfc_deflate", "hixie76",
                            "hixie75", "notws", "early"])
        f.upgrade(draft)
        for _ in range(rng.randrange(1, 8)):
            c2s = rng.random() < 0.6
            if draft.startswith("hixie"):
                data = self.hixie_frames()
            else:
                data = self.ws_frames(c2s)
            f.send(c2s, data)
        if rng.random() < 0.5:
            f.close(rng.random() < 0.5)

    def ws_hole_case(self):
        """An upgraded flow whose client bytes have a hole that is never
        filled: what comes behind it is held, then fed for what it is once
        held too long, a desync.  The first case of the phase, so that a
        short run (a slow kernel's) counts one too."""
        f = Flow(self, False)
        f.handshake()
        f.upgrade("rfc", plain=True)
        frame = bytes([0x82, 0x80 | 100]) + self.rbytes(4) + bytes(100)
        f.send(True, frame * 4, hole=True)

    def ws_frames(self, c2s):
        rng = self.rng
        out = b""
        for _ in range(rng.randrange(1, 5)):
            k = rng.randrange(10)
            op = rng.choice([0, 1, 2, 8, 9, 10])
            fin = 0x80
            rsv = 0
            mask = c2s
            plen = rng.choice([0, 1, 5, 125, 126, 300, 70000])
            if k == 0:		# huge lengths
                out += bytes([0x82, 127 | (0x80 if c2s else 0)]) + \
                    struct.pack("!Q", rng.choice([1 << 63, (1 << 63) - 1,
                                                  1 << 62,
                                                  (1 << 64) - 1])) + \
                    (self.rbytes(4) if c2s else b"") + self.rbytes(20)
                continue
            if k == 1:
                op = rng.choice([3, 4, 5, 6, 7, 11, 12, 13, 14, 15])
            elif k == 2:
                rsv = rng.choice([0x40, 0x20, 0x10, 0x70])
            elif k == 3:
                mask = not c2s		# the wrong way round
            elif k == 4:
                out += self.rbytes(rng.randrange(1, 64))
                continue
            elif k == 5:		# a fragmented or long control frame
                op = rng.choice([8, 9, 10])
                fin = rng.choice([0, 0x80])
                plen = rng.choice([126, 200])
            elif k == 6:		# not minimally encoded lengths
                out += bytes([0x81, 126 | (0x80 if mask else 0)]) + \
                    struct.pack("!H", 3) + \
                    (self.rbytes(4) if mask else b"") + b"abc"
                continue
            elif k == 7:
                fin = 0
            payload_sent = min(plen, rng.choice([plen, 40]), 3000)
            hdr = bytes([fin | rsv | op])
            m = 0x80 if mask else 0
            if plen < 126:
                hdr += bytes([m | plen])
            elif plen < 65536:
                hdr += bytes([m | 126]) + struct.pack("!H", plen)
            else:
                hdr += bytes([m | 127]) + struct.pack("!Q", plen)
            if mask:
                hdr += self.rbytes(4)
            out += hdr + bytes(payload_sent)
            if payload_sent < plen:
                break		# the rest of the payload never comes
        return out

    def hixie_frames(self):
        rng = self.rng
        k = rng.randrange(6)
        if k == 0:
            return b"\x00hello\xff"
        if k == 1:		# text without its end
            return b"\x00" + self.rbytes(rng.randrange(1, 300)).replace(
                b"\xff", b"")
        if k == 2:		# a length that goes on and on
            return b"\x80" + b"\xff" * rng.randrange(1, 20) + b"\x01" + \
                self.rbytes(10)
        if k == 3:
            return b"\xff\x00"	# closing frame
        if k == 4:
            return bytes([0x81, 0x05]) + b"abcde"
        return self.rbytes(rng.randrange(1, 50))

    # ---- phase: garbage on a real connection ---------------------------------

    def inject_case(self):
        """An RFC 6455 upgrade between real sockets, then garbage both ways
        with the sequence numbers the kernels expect."""
        rng = self.rng
        v6 = rng.random() < 0.5
        fam = socket.AF_INET6 if v6 else socket.AF_INET
        saddr, caddr = (REAL_S6, REAL_C6) if v6 else (REAL_S4, REAL_C4)
        port = self.args.port + 1
        socks = []
        try:
            with Netns(self.args.server):
                ls = socket.socket(fam, socket.SOCK_STREAM)
                socks.append(ls)
                ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                ls.bind((saddr, port))
                ls.listen(1)
            with Netns(self.args.client):
                cs = socket.socket(fam, socket.SOCK_STREAM)
                socks.append(cs)
            cs.settimeout(10)
            ls.settimeout(10)
            cs.connect((saddr, port))
            ss, _ = ls.accept()
            socks.append(ss)
            ss.settimeout(10)
            cs.sendall(WS_REQ)
            _recv_until(ss, b"\r\n\r\n")
            ss.sendall(WS_RESP)
            _recv_until(cs, b"\r\n\r\n")
            cs.sendall(b"\x81\x85" + b"\x00" * 4 + b"hello")
            _recv_exact(ss, 11)
            c2s = rng.random() < 0.6
            snd, rcv = (cs, ss) if c2s else (ss, cs)
            seq, ack = _repair_seqs(snd)
            src, dst = (caddr, saddr) if c2s else (saddr, caddr)
            data = self.ws_frames(c2s) if rng.random() < 0.7 else \
                self.rbytes(rng.randrange(1, 200))
            data = data[:1200]
            pkt = self.l3(v6, src, dst) / TCP(
                sport=snd.getsockname()[1], dport=snd.getpeername()[1],
                flags="PA", seq=seq, ack=ack, window=1000) / Raw(data)
            self.tx(c2s, pkt)
            # the receiver's kernel takes it: its socket reads the bytes
            rcv.settimeout(3)
            got = _recv_exact(rcv, len(data), must=False)
            self.sent["inject_delivered"] = \
                self.sent.get("inject_delivered", 0) + (got == data)
        except OSError as e:
            self.valid["errors"].append("inject: %s" % e)
        finally:
            # the sender's kernel is out of step now: reset, do not linger
            for s in socks:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                             struct.pack("ii", 1, 0))
                s.close()

    # ---- a resend seen by two --pmtu-guard rules ------------------------------

    def pmtu_stats(self):
        out = subprocess.run(["ip", "netns", "exec", self.args.router,
                              self.args.clipper, "-j", "stats"],
                             capture_output=True, check=True, text=True)
        return json.loads(out.stdout)["pmtu"]

    def resend_probe(self):
        """A full-size segment S1, a small one behind it, then S1 resent
        once and once more, IPv4 and IPv6; the pmtu counters after each.

        Two --pmtu-guard rules see each packet (mangle and filter
        FORWARD).  A resend is counted once, and the first rule on its
        path wants a small copy of it made as it leaves (probes).  Nothing
        answers the copy here: the second resend is another try (another
        copy), never a black hole, never an ICMP.
        """
        keys = ("retransmits", "suspect", "blackhole", "icmp_sent",
                "probes")
        for v6 in (False, True):
            f = Flow(self, v6)
            f.handshake()
            n = 1300 if v6 else 1200
            s1 = f.seg(True, "PA", self.rbytes(n))
            s2 = f.seg(True, "PA", b"x", seq=f.cseq + n)
            f.cseq += n + 1
            self.tx(True, s1)
            self.tx(True, s2)
            res = {}
            last = self.pmtu_stats()
            for name in ("resend1", "resend2"):
                time.sleep(0.05)
                self.tx(True, s1)
                now = self.pmtu_stats()
                res[name] = {k: now.get(k, 0) - last.get(k, 0) for k in keys}
                last = now
            self.probe["resend%d" % (6 if v6 else 4)] = res

    # ---- valid traffic -----------------------------------------------------------

    def valid_exchange(self, v6):
        """A real TCP exchange through the router: echo 64 KiB."""
        fam = socket.AF_INET6 if v6 else socket.AF_INET
        saddr = REAL_S6 if v6 else REAL_S4
        port = self.args.port
        try:
            with Netns(self.args.server):
                ls = socket.socket(fam, socket.SOCK_STREAM)
                ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                ls.bind((saddr, port))
                ls.listen(1)
            with Netns(self.args.client):
                cs = socket.socket(fam, socket.SOCK_STREAM)
            cs.settimeout(20)
            ls.settimeout(20)
            blob = self.rbytes(256) * 256
            cs.connect((saddr, port))
            ss, _ = ls.accept()
            ss.settimeout(20)
            cs.sendall(blob)
            got = _recv_exact(ss, len(blob))
            ss.sendall(got[::-1])
            back = _recv_exact(cs, len(blob))
            ok = back == blob[::-1]
            for s in (cs, ss, ls):
                s.close()
        except OSError as e:
            ok = False
            self.valid["errors"].append("%s: %s" % ("v6" if v6 else "v4", e))
        self.valid["ok" if ok else "failed"] += 1

    # ---- the run -------------------------------------------------------------------

    def run(self):
        budget = self.args.budget
        shares = [("ip4", 0.08, self.ip4_case), ("ip6", 0.08, self.ip6_case),
                  ("tcp", 0.16, self.tcp_case), ("syn", 0.14, None),
                  ("frag", 0.10, self.frag_case),
                  ("icmp", 0.08, self.icmp_case),
                  ("ws", 0.26, self.ws_case),
                  ("inject", 0.06, self.inject_case)]
        start = time.monotonic()
        self.phase = "resend"
        self.resend_probe()
        for name, share, fn in shares:
            self.phase = name
            t0 = time.monotonic()
            end = t0 + budget * share
            n = 0
            if name == "syn":
                # every combination of the 8 options, SYN and SYN/ACK,
                # IPv4 and IPv6, as far as the time allows
                # (all of them: the time is only a safety net)
                combos = [(m, v6, False) for m in range(1 << len(self.SYN_OPTS))
                          for v6 in (False, True)]
                combos += [(m, self.rng.random() < 0.5, True)
                           for m in range(1 << len(self.SYN_OPTS))]
                self.rng.shuffle(combos)
                for m, v6, sa in combos:
                    if time.monotonic() > end + 3 * budget * share:
                        break
                    self.syn_case(m, v6, sa)
                    n += 1
                self.sent["syn_combinations"] = n
            else:
                if name == "ws":
                    self.ws_hole_case()
                    n += 1
                while time.monotonic() < end or n == 0:
                    fn()
                    n += 1
                    if name == "frag" and n == 1:
                        for v6, hbh in ((False, False), (True, False),
                                        (True, True)):
                            self.big_syn(v6, hbh)
            print("# wirefuzz: %-6s %5d cases, %5d packets, %.1f s" % (
                name, n, self.sent.get(name, 0), time.monotonic() - t0),
                flush=True)
            self.phase = "valid"
            self.valid_exchange(False)
            self.valid_exchange(True)
        return time.monotonic() - start


WS_REQ = (b"GET /chat HTTP/1.1\r\nHost: fuzz\r\nUpgrade: websocket\r\n"
          b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          b"Sec-WebSocket-Version: 13\r\n\r\n")
WS_RESP = (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
           b"Connection: Upgrade\r\n"
           b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kxXHo0jhm6tzLk=\r\n\r\n")
WS_RESP_DEFLATE = WS_RESP[:-2] + \
    b"Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n"
H76_REQ = (b"GET /demo HTTP/1.1\r\nHost: fuzz\r\nConnection: Upgrade\r\n"
           b"Sec-WebSocket-Key2: 12998 5 Y3 1  .P00\r\n"
           b"Sec-WebSocket-Protocol: sample\r\nUpgrade: WebSocket\r\n"
           b"Sec-WebSocket-Key1: 4 @1  46546xW%0l 1 5\r\n"
           b"Origin: http://fuzz\r\n\r\n^n:ds[4U")
H76_RESP = (b"HTTP/1.1 101 WebSocket Protocol Handshake\r\n"
            b"Upgrade: WebSocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Origin: http://fuzz\r\n"
            b"Sec-WebSocket-Location: ws://fuzz/demo\r\n"
            b"Sec-WebSocket-Protocol: sample\r\n\r\n8jKS'y:G*Co,Wxa-")
H75_REQ = (b"GET /demo HTTP/1.1\r\nUpgrade: WebSocket\r\n"
           b"Connection: Upgrade\r\nHost: fuzz\r\nOrigin: http://fuzz\r\n\r\n")
H75_RESP = (b"HTTP/1.1 101 Web Socket Protocol Handshake\r\n"
            b"Upgrade: WebSocket\r\nConnection: Upgrade\r\n"
            b"WebSocket-Origin: http://fuzz\r\n"
            b"WebSocket-Location: ws://fuzz/demo\r\n\r\n")


class Flow:
    """A TCP flow between two unowned addresses, both ends crafted.

    Sequence numbers and ACKs are kept right, window scale 7 both ways, so
    that conntrack follows it as a real flow (and the rule's --ws-count
    with it); the misbehaviour is put in on purpose: segments cut at random
    places, sent twice, swapped, or left out.
    """

    def __init__(self, fz, v6):
        self.fz, self.v6 = fz, v6
        rng = fz.rng
        i = rng.randrange(4)
        self.c = C6[i] if v6 else C4[i]
        self.s = S6[i] if v6 else S4[i]
        self.cport = fz.port()
        self.sport = rng.choice([80, 8080, fz.args.port])
        self.cseq = rng.getrandbits(32)
        self.sseq = rng.getrandbits(32)

    def seg(self, c2s, flags, data=b"", seq=None, opts=b""):
        src, dst = (self.c, self.s) if c2s else (self.s, self.c)
        sp, dp = (self.cport, self.sport) if c2s else (self.sport, self.cport)
        if seq is None:
            seq = self.cseq if c2s else self.sseq
        ack = (self.sseq if c2s else self.cseq) if "A" in flags else 0
        return raw_tcp(self.v6, src, dst, sp, dp, seq, ack, flags,
                       65535 if "S" in flags else 60000, opts, data)

    def handshake(self):
        fz = self.fz
        opts = b"\x02\x04\x05\xb4\x01\x03\x03\x07\x04\x02"
        fz.tx(True, self.seg(True, "S", opts=opts))
        self.cseq += 1
        fz.tx(False, self.seg(False, "SA", opts=opts))
        self.sseq += 1
        fz.tx(True, self.seg(True, "A"))

    def upgrade(self, draft, plain=False):
        req, resp = {
            "rfc": (WS_REQ, WS_RESP),
            "rfc_deflate": (WS_REQ, WS_RESP_DEFLATE),
            "hixie76": (H76_REQ, H76_RESP),
            "hixie75": (H75_REQ, H75_RESP),
            "notws": (b"GET / HTTP/1.1\r\nHost: fuzz\r\n\r\n",
                      b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
            "early": (WS_REQ, WS_RESP),
        }[draft]
        if draft == "early":		# server bytes before the request
            self.send(False, b"HTTP/1.1 101 \r\n\r\n")
        self.send(True, req, plain=plain)
        self.send(False, resp, plain=plain)

    def send(self, c2s, data, hole=False, plain=False):
        """data in segments; sometimes one twice, swapped or missing.

        hole: 100-byte segments, the second one never sent; plain: in
        order, each once."""
        rng = self.fz.rng
        segs = []
        off = 0
        while off < len(data):
            n = 100 if hole else rng.choice([1, 7, 100, 1200, 1200, 1200])
            segs.append((off, data[off:off + n]))
            off += n
        base = self.cseq if c2s else self.sseq
        how = rng.random()
        if hole and len(segs) >= 3:
            del segs[1]
        elif plain:
            pass
        elif len(segs) >= 2 and how < 0.15:
            i = rng.randrange(len(segs) - 1)
            segs[i], segs[i + 1] = segs[i + 1], segs[i]
        elif len(segs) >= 2 and how < 0.2:
            del segs[rng.randrange(len(segs) - 1)]
        elif segs and how < 0.3:
            segs.append(rng.choice(segs))
        for off, chunk in segs:
            self.fz.tx(c2s, self.seg(c2s, "PA", chunk, seq=base + off))
        if c2s:
            self.cseq += len(data)
        else:
            self.sseq += len(data)
        # the receiver acknowledges
        self.fz.tx(not c2s, self.seg(not c2s, "A"))

    def close(self, rst):
        if rst:
            self.fz.tx(True, self.seg(True, "R"))
            return
        self.fz.tx(True, self.seg(True, "FA"))
        self.cseq += 1
        self.fz.tx(False, self.seg(False, "FA"))
        self.sseq += 1
        self.fz.tx(True, self.seg(True, "A"))


def _csum(b):
    if len(b) % 2:
        b += b"\x00"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def _tcp_csum(seg, src, dst, v6):
    if v6:
        ph = (socket.inet_pton(socket.AF_INET6, src) +
              socket.inet_pton(socket.AF_INET6, dst) +
              struct.pack("!I3xB", len(seg), 6))
    else:
        ph = (socket.inet_aton(src) + socket.inet_aton(dst) +
              struct.pack("!xBH", 6, len(seg)))
    return _csum(ph + seg)


FLAGS = {"F": 0x01, "S": 0x02, "R": 0x04, "P": 0x08, "A": 0x10, "U": 0x20}


def _flags(f):
    return sum(FLAGS[c] for c in f) if isinstance(f, str) else f


def raw_ip4(src, dst, proto, payload, df=False, ident=0, frag=0):
    """An IPv4 datagram, built by hand: scapy is slow under TCG."""
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident,
                      frag | (0x4000 if df else 0), 64, proto, 0,
                      socket.inet_aton(src), socket.inet_aton(dst))
    return hdr[:10] + struct.pack("!H", _csum(hdr)) + hdr[12:] + payload


def raw_ip6(src, dst, nh, payload):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nh, 64,
                       socket.inet_pton(socket.AF_INET6, src),
                       socket.inet_pton(socket.AF_INET6, dst)) + payload


def raw_tcp(v6, src, dst, sport, dport, seq, ack, flags, win, opts=b"",
            data=b"", df=True):
    """A TCP segment with a right checksum, in its IP packet."""
    opts += b"\x00" * (-len(opts) % 4)
    th = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xffffffff,
                     ack & 0xffffffff, (5 + len(opts) // 4) << 4,
                     _flags(flags), win, 0, 0) + opts + data
    c = _tcp_csum(th, src, dst, v6)
    th = th[:16] + struct.pack("!H", c) + th[18:]
    return raw_ip6(src, dst, 6, th) if v6 else raw_ip4(src, dst, 6, th,
                                                        df=df)


def _recv_until(s, mark):
    buf = b""
    while mark not in buf:
        d = s.recv(4096)
        if not d:
            raise OSError("closed early")
        buf += d
    return buf


def _recv_exact(s, n, must=True):
    buf = b""
    try:
        while len(buf) < n:
            d = s.recv(n - len(buf))
            if not d:
                break
            buf += d
    except socket.timeout:
        if must:
            raise
    if must and len(buf) < n:
        raise OSError("short read %d of %d" % (len(buf), n))
    return buf


def _repair_seqs(s):
    """(next sequence number to send, next to receive) of a socket."""
    s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR, TCP_REPAIR_ON)
    try:
        s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP_SEND_QUEUE)
        snd = s.getsockopt(socket.IPPROTO_TCP, TCP_QUEUE_SEQ)
        s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR_QUEUE, TCP_RECV_QUEUE)
        rcv = s.getsockopt(socket.IPPROTO_TCP, TCP_QUEUE_SEQ)
    finally:
        s.setsockopt(socket.IPPROTO_TCP, TCP_REPAIR, TCP_REPAIR_OFF_NO_WP)
    return snd & 0xffffffff, rcv & 0xffffffff


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--budget", type=float, default=60)
    ap.add_argument("--client", required=True)
    ap.add_argument("--server", required=True)
    ap.add_argument("--router", required=True)
    ap.add_argument("--clipper", required=True)
    ap.add_argument("--rmac0", required=True)
    ap.add_argument("--rmac1", required=True)
    ap.add_argument("--port", type=int, default=8090)
    ap.add_argument("--report", required=True)
    args = ap.parse_args()

    fz = Fuzzer(args)
    took = fz.run()
    rep = {"seed": args.seed, "seconds": round(took, 1), "sent": fz.sent,
           "total": sum(v for k, v in fz.sent.items()
                        if k not in ("syn_combinations",
                                     "inject_delivered")),
           "valid": fz.valid, "probe": fz.probe}
    with open(args.report, "w") as f:
        json.dump(rep, f, indent=1)
    print("# wirefuzz: %d packets in %.1f s, valid exchanges %d ok %d failed"
          % (rep["total"], took, fz.valid["ok"], fz.valid["failed"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
