#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Teach a namespace's clipper paths with ICMP errors it trusts.

   ptb.py 4 SRC PREFIX N MTU     N frag-needed to SRC about SRC -> PREFIX.x.y
   ptb.py 6 SRC PREFIX N MTU     N packet-too-big to SRC about SRC -> PREFIX::x

clipper learns a path MTU from an ICMP error only when conntrack relates it
to a TCP flow and the segment it quotes is in that flow's window.  So each
error is about a SYN sent first, from SRC (a raw socket writes its own
source) to the destination, which the namespace must route somewhere (a
dummy device will do): the SYN makes the conntrack entry, the error quotes
its sequence number.  Both leave through this namespace's OUTPUT, where
clipper's hook runs after conntrack.
"""
import socket
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff


def main():
    fam, src, prefix, n, mtu = sys.argv[1], sys.argv[2], sys.argv[3], \
        int(sys.argv[4]), int(sys.argv[5])
    v6 = fam == "6"
    af = socket.AF_INET6 if v6 else socket.AF_INET
    raw = socket.socket(af, socket.SOCK_RAW, socket.IPPROTO_RAW)
    icmp = socket.socket(af, socket.SOCK_RAW,
                         socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP)
    for i in range(n):
        sport, seq = 20000 + i, 0x10000000 + i * 4096
        if v6:
            dst = "%s::%x" % (prefix, i + 1)
            s6, d6 = (socket.inet_pton(af, src), socket.inet_pton(af, dst))
            tcp = struct.pack("!HHIIBBHHH", sport, 80, seq, 0, 5 << 4, 2,
                              64240, 0, 0)
            ph = s6 + d6 + struct.pack("!I3xB", len(tcp), 6)
            tcp = tcp[:16] + struct.pack("!H", csum(ph + tcp)) + tcp[18:]
            syn = struct.pack("!IHBB", 6 << 28, len(tcp), 6, 64) + s6 + d6 + tcp
            raw.sendto(syn, (dst, 0))
            inner = struct.pack("!IHBB", 6 << 28, 1460, 6, 64) + s6 + d6 + \
                struct.pack("!HHI", sport, 80, seq)
            # the kernel fills in an ICMPv6 raw socket's checksum
            icmp.sendto(struct.pack("!BBHI", 2, 0, 0, mtu) + inner, (src, 0))
        else:
            dst = "%s.%d.%d" % (prefix, i >> 8, i & 0xff)
            s4, d4 = socket.inet_aton(src), socket.inet_aton(dst)
            tcp = struct.pack("!HHIIBBHHH", sport, 80, seq, 0, 5 << 4, 2,
                              64240, 0, 0)
            ph = s4 + d4 + struct.pack("!BBH", 0, 6, len(tcp))
            tcp = tcp[:16] + struct.pack("!H", csum(ph + tcp)) + tcp[18:]
            syn = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40, 0, 0x4000, 64, 6,
                              0, s4, d4) + tcp
            raw.sendto(syn, (dst, 0))
            inner = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 1500, 0, 0x4000,
                                64, 6, 0, s4, d4) + \
                struct.pack("!HHI", sport, 80, seq)
            body = struct.pack("!HH", 0, mtu) + inner
            hdr = struct.pack("!BBH", 3, 4, 0) + body
            icmp.sendto(struct.pack("!BBH", 3, 4, csum(hdr)) + body, (src, 0))


if __name__ == "__main__":
    main()
