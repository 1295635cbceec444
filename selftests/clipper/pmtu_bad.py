#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""pmtu_bad.sh's packet tools: sniffers, forgers and small servers.

The standard library only (AF_PACKET and raw sockets, no scapy): it starts
in a fraction of a second, which counts under QEMU's TCG.

  mss-server PORT LOG          accept for ever; LOG gets "PEERPORT MSS" per
                               connection: TCP_MAXSEG of the accepted
                               socket, the size this host will send with
  mss-client DEV PORT ADDR...  connect to each ADDR, print "ADDR MSS LPORT":
                               the MSS option of the SYN/ACK seen on DEV
  rec DEV PORT WAY READY STOP OUT [PEER]
                               record (kernel timestamps) the TCP segments
                               from PORT leaving DEV (WAY out) or arriving
                               (in) until the file STOP exists, into OUT;
                               with PEER (the out side's OUT), then print
                               per flow what stall() says
  replay DEV FAM PORT READY    sniff the full-size (IP length 1500) segments
                               sent from PORT on DEV and the ACKs to it;
                               resend the 6 most recently acknowledged ones
                               through a raw socket (so through OUTPUT), as
                               back-to-back pairs, 3 rounds 0.2 s apart
  evil PORT TTL SECONDS READY  a TCP server (IPv4 and IPv6) that, once a
                               connection is up, sets its TTL / hop limit
                               to TTL and queues 64 KiB; keeps it SECONDS
  icmp FAM DST ISRC IDST SPORT DPORT MTU
                               send DST 3 frag-needed (FAM 4) or packet-too-
                               big (6) messages quoting a TCP segment ISRC
                               SPORT -> IDST DPORT that no flow sent
  chunk-server PORT BULK N IPLEN PAUSE
                               for each connection: BULK writes that make
                               one full-size segment each (IP length 1500,
                               with timestamps), then N writes that make
                               segments of IP length IPLEN, TCP_NODELAY,
                               each once the one before is acknowledged
                               (and PAUSE s later for the N)
  chunk-client PORT ADDR...    read from each ADDR (in parallel) to the end:
                               "ADDR BYTES SECONDS"
  tap READY                    read every frame of every device until
                               SIGTERM, then print how many
"""
import fcntl
import os
import random
import select
import signal
import socket
import struct
import sys
import termios
import threading
import time

ETH_P_ALL = 3
PACKET_OUTGOING = 4
SO_TIMESTAMPNS = 35


class Seg:
    """A TCP segment parsed from an Ethernet frame."""

    def __init__(self, fam, ip, th):
        self.fam = fam
        self.ip = ip
        self.th = th
        if fam == 4:
            self.src, self.dst = ip[12:16], ip[16:20]
        else:
            self.src, self.dst = ip[8:24], ip[24:40]
        t = ip[th:]
        self.sport, self.dport, self.seq, self.ack = struct.unpack("!HHII", t[:12])
        self.flags = t[13]
        doff = (t[12] >> 4) * 4
        self.opts = t[20:doff]
        self.plen = len(t) - doff
        self.iplen = len(ip)

    def dst_str(self):
        return socket.inet_ntop(socket.AF_INET if self.fam == 4 else socket.AF_INET6,
                                self.dst)


def parse(f):
    if len(f) < 14:
        return None
    et = int.from_bytes(f[12:14], "big")
    ip = f[14:]
    if et == 0x0800 and len(ip) >= 40 and ip[9] == 6:
        ihl = (ip[0] & 15) * 4
        ip = ip[:int.from_bytes(ip[2:4], "big")]
        fam, th = 4, ihl
    elif et == 0x86dd and len(ip) >= 60 and ip[6] == 6:
        ip = ip[:40 + int.from_bytes(ip[4:6], "big")]
        fam, th = 6, 40
    else:
        return None
    if len(ip) < th + 20:
        return None
    return Seg(fam, bytes(ip), th)


def opt_find(opts, kind, length):
    """The value of TCP option kind of that length, or None."""
    i = 0
    while i < len(opts):
        k = opts[i]
        if k == 0:
            break
        if k == 1:
            i += 1
            continue
        if i + 1 >= len(opts) or opts[i + 1] < 2:
            break
        if k == kind and opts[i + 1] == length and i + length <= len(opts):
            return opts[i + 2:i + length]
        i += opts[i + 1]
    return None


def opt_mss(opts):
    v = opt_find(opts, 2, 4)
    return int.from_bytes(v, "big") if v is not None else None


def opt_tsval(opts):
    """The segment's TSval: which sending of a byte a copy of it is."""
    v = opt_find(opts, 8, 10)
    return int.from_bytes(v[:4], "big") if v is not None else -1


def fold(b):
    if len(b) % 2:
        b += b"\0"
    v = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while v >> 16:
        v = (v & 0xffff) + (v >> 16)
    return v


def tcp_fixed(p):
    """The segment's IP bytes with its TCP checksum computed (a segment
    seen leaving on a veth still has the partial sum of the offload)."""
    ip = bytearray(p.ip)
    t = ip[p.th:]
    t[16:18] = b"\0\0"
    if p.fam == 4:
        ph = p.src + p.dst + bytes([0, 6]) + len(t).to_bytes(2, "big")
    else:
        ph = p.src + p.dst + len(t).to_bytes(4, "big") + bytes([0, 0, 0, 6])
    ip[p.th + 16:p.th + 18] = (0xffff - fold(ph + bytes(t))).to_bytes(2, "big")
    return bytes(ip)


def after(a, b):
    return 0 < ((a - b) & 0xffffffff) < 0x80000000


def after_eq(a, b):
    return ((a - b) & 0xffffffff) < 0x80000000


def sniffer(dev, timeout=0.2):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    if dev:
        s.bind((dev, 0))
    s.settimeout(timeout)
    return s


def touch(path):
    open(path, "w").close()


def dual_listener(port):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    s.listen(16)
    return s


def mss_server(port, log):
    s = dual_listener(port)
    with open(log, "a", buffering=1) as f:
        while True:
            c, a = s.accept()
            f.write("%d %d\n" % (a[1], c.getsockopt(socket.IPPROTO_TCP,
                                                     socket.TCP_MAXSEG)))
            c.close()


def mss_client(dev, port, addrs):
    sn = sniffer(dev)
    for a in addrs:
        c = socket.socket(socket.AF_INET6 if ":" in a else socket.AF_INET,
                          socket.SOCK_STREAM)
        c.settimeout(20)
        mss, lport = None, 0
        try:
            c.connect((a, port))
            lport = c.getsockname()[1]
            end = time.time() + 20
            while mss is None and time.time() < end:
                try:
                    p = parse(sn.recv(65535))
                except socket.timeout:
                    continue
                if (p and p.sport == port and p.dport == lport and
                        p.flags & 0x12 == 0x12):
                    mss = opt_mss(p.opts)
        except OSError as e:
            print("# mss-client: %s: %s" % (a, e), file=sys.stderr)
        print(a, mss if mss is not None else "none", lport, flush=True)
        c.close()


def rec(dev, port, way, ready, stop, out, peer=None):
    """Record the TCP segments from port on dev, leaving (way "out") or
    arriving ("in"); at stop, write them to out (then out.done), and with
    peer (the "out" side's file) print the analysis of each flow."""
    sn = sniffer(dev)
    sn.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    touch(ready)
    recs = []
    while not os.path.exists(stop):
        try:
            f, anc, _, addr = sn.recvmsg(65535, 64)
        except socket.timeout:
            continue
        t = time.time()
        for lvl, typ, data in anc:
            if lvl == socket.SOL_SOCKET and typ == SO_TIMESTAMPNS and len(data) >= 16:
                sec, nsec = struct.unpack("qq", data[:16])
                t = sec + nsec / 1e9
        if (addr[2] == PACKET_OUTGOING) != (way == "out"):
            continue
        p = parse(f)
        if not p or p.sport != port:
            continue
        if p.flags & 0x12 == 0x12:
            recs.append((t, p.fam, p.dport, "syn", p.seq, 0, -1))
        elif p.plen:
            recs.append((t, p.fam, p.dport, "data", p.seq, p.plen,
                         opt_tsval(p.opts)))
    with open(out, "w") as f:
        for r in recs:
            f.write("%.6f %d %d %s %d %d %d\n" % r)
    touch(out + ".done")
    if not peer:
        return 0
    end = time.time() + 60
    while not os.path.exists(peer + ".done") and time.time() < end:
        time.sleep(0.1)
    return stall(peer, out)


def load(path):
    flows = {}
    with open(path) as f:
        for line in f:
            t, fam, cport, kind, seq, n, tsv = line.split()
            flows.setdefault((int(fam), int(cport)), []).append(
                (float(t), kind, int(seq), int(n), int(tsv)))
    return flows


def stall(srvfile, clifile):
    """Per flow (in the order of their SYN/ACKs, per family): "FAM I TTFB
    GAP DELAY AT N RESEND DELIV NET": the SYN/ACK to the first data at the client,
    the longest gap between two data segments arriving, the longest time a
    byte took from its first sending by the server to its first arrival
    at the client, when that byte was sent (s after the SYN/ACK), the data
    segments that arrived, how long after its first sending the server
    sent that byte again (its RTO, or "-"), and then "DELIV NET": how long
    after its first sending the server made the sending that delivered it
    (found by its TSval; 0 when that was the first) and how long the
    network took with it ("-" without timestamps)."""
    import bisect
    srv, cli = load(srvfile), load(clifile)
    order = sorted(cli, key=lambda k: (k[0], cli[k][0][0]))
    idx = {4: 0, 6: 0}
    for k in order:
        ev = cli[k]
        syn = [e for e in ev if e[1] == "syn"]
        data = [e for e in ev if e[1] == "data"]
        if not data:
            continue
        idx[k[0]] += 1
        if syn:
            t0, base = syn[0][0], (syn[0][2] + 1) & 0xffffffff
        else:
            t0, base = data[0][0], data[0][2]

        def rel(s):
            return (s - base) & 0xffffffff
        sent, hi = [], 0
        for t, kind, s, n, _ in sorted(srv.get(k, [])):
            if kind != "data":
                continue
            a, b = rel(s), rel(s) + n
            if b > hi:
                sent.append((max(a, hi), b, t))
                hi = b
        starts = [x[0] for x in sent]
        got, delay, at, xmax, tmax, tvmax = [], 0.0, 0.0, -1, 0.0, -1
        for t, _, s, n, tv in data:
            a, b = rel(s), rel(s) + n
            x, new = a, []
            for g0, g1 in got:
                if g1 <= x:
                    continue
                if g0 >= b:
                    break
                if g0 > x:
                    new.append(x)
                x = max(x, g1)
            if x < b:
                new.append(x)
            for x in new:
                i = bisect.bisect_right(starts, x) - 1
                if i >= 0 and x < sent[i][1] and t - sent[i][2] > delay:
                    delay, at, xmax = t - sent[i][2], sent[i][2] - t0, x
                    tmax, tvmax = t, tv
            got.append((a, b))
            got.sort()
            merged = []
            for g in got:
                if merged and g[0] <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], g[1]))
                else:
                    merged.append(g)
            got = merged
        # when the server sent that byte again: its RTO (or fast resend)
        rto = "-"
        for t, kind, s, n, _ in sorted(srv.get(k, [])):
            if (kind == "data" and t > t0 + at + 1e-6 and
                    rel(s) <= xmax < rel(s) + n):
                rto = "%.3f" % (t - t0 - at)
                break
        # which of the server's sendings of that byte delivered it: the one
        # with the TSval of the segment that brought it (a copy made on
        # the way keeps it), when it went out after the first sending
        # (DELIV) and how long the network then took (NET)
        deliv = net = "-"
        if tvmax >= 0:
            for t, kind, s, n, tv in sorted(srv.get(k, [])):
                if (kind == "data" and tv == tvmax and t <= tmax + 1e-6 and
                        rel(s) <= xmax < rel(s) + n):
                    deliv = "%.3f" % max(0.0, t - t0 - at)
                    net = "%.3f" % (tmax - t)
                    break
        gap = max((y[0] - x[0] for x, y in zip(data, data[1:])), default=0.0)
        print(k[0], idx[k[0]], "%.3f" % (data[0][0] - t0) if syn else "-",
              "%.3f %.3f %.3f %d %s %s %s" % (gap, delay, at, len(data), rto,
                                              deliv, net))
    return 0


def replay(dev, fam, port, ready, nseg=6, copies=2, rounds=3, minseen=30):
    fam = int(fam)
    sn = sniffer(dev)
    raw = socket.socket(socket.AF_INET if fam == 4 else socket.AF_INET6,
                        socket.SOCK_RAW, socket.IPPROTO_RAW)
    touch(ready)
    segs, maxack, seen, pick = {}, None, 0, []
    end = time.time() + 60
    while time.time() < end:
        try:
            f, addr = sn.recvfrom(65535)
        except socket.timeout:
            continue
        p = parse(f)
        if not p or p.fam != fam:
            continue
        if (addr[2] == PACKET_OUTGOING and p.sport == port and p.plen and
                p.iplen == 1500):
            segs[p.seq] = p
            seen += 1
        elif addr[2] != PACKET_OUTGOING and p.dport == port and p.flags & 0x10:
            if maxack is None or after(p.ack, maxack):
                maxack = p.ack
        if seen >= minseen and maxack is not None:
            acked = [q for q in segs.values()
                     if after_eq(maxack, (q.seq + q.plen) & 0xffffffff)]
            if len(acked) >= nseg:
                # the most recently acknowledged, well inside the window
                acked.sort(key=lambda q: (maxack - q.seq) & 0xffffffff)
                pick = acked[:nseg]
                break
    if not pick:
        print("replay: IPv%d: only %d full-size segments seen, not %d acknowledged"
              % (fam, seen, nseg))
        return 1
    pkts = [(tcp_fixed(q), q.dst_str()) for q in pick]
    sent = 0
    for _ in range(rounds):
        for b, d in pkts:
            for _ in range(copies):
                raw.sendto(b, (d, 0))
                sent += 1
        time.sleep(0.2)
    print("replay: IPv%d: %d segments %d..%d bytes behind the highest ACK, "
          "sent %d times each (%d packets)"
          % (fam, len(pick), min((maxack - q.seq) & 0xffffffff for q in pick),
             max((maxack - q.seq) & 0xffffffff for q in pick),
             copies * rounds, sent))
    return 0


def evil(port, ttl, secs, ready):
    ttl, secs = int(ttl), float(secs)
    l4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    l6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    l6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    for s, a in ((l4, "0.0.0.0"), (l6, "::")):
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((a, port))
        s.listen(4)
    touch(ready)
    conns, end = [], time.time() + 60
    while time.time() < end:
        r, _, _ = select.select([l4, l6], [], [], 0.2)
        for s in r:
            c, a = s.accept()
            if s is l4:
                c.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
            else:
                c.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, ttl)
            c.setblocking(False)
            try:
                n = c.send(b"x" * 65536)
            except BlockingIOError:
                n = 0
            print("evil: %s connected, %d bytes queued with TTL %d" % (a[0], n, ttl),
                  flush=True)
            if not conns:
                end = time.time() + secs
            conns.append(c)
    for c in conns:
        c.close()


def icmp(fam, dst, isrc, idst, sport, dport, mtu, count=3):
    fam, sport, dport, mtu = int(fam), int(sport), int(dport), int(mtu)
    tcp = struct.pack("!HHIIBBHHH", sport, dport, random.getrandbits(32),
                      random.getrandbits(32), 0x50, 0x18, 502, 0, 0)
    if fam == 4:
        iph = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 1500, random.getrandbits(16),
                          0x4000, 63, 6, 0, socket.inet_aton(isrc),
                          socket.inet_aton(idst))
        iph = iph[:10] + (0xffff - fold(iph)).to_bytes(2, "big") + iph[12:]
        msg = struct.pack("!BBHHH", 3, 4, 0, 0, mtu) + iph + tcp
        msg = msg[:2] + (0xffff - fold(msg)).to_bytes(2, "big") + msg[4:]
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    else:
        iph = struct.pack("!IHBB16s16s", 0x60000000, 1460, 6, 63,
                          socket.inet_pton(socket.AF_INET6, isrc),
                          socket.inet_pton(socket.AF_INET6, idst))
        # the kernel computes an ICMPv6 raw socket's checksum
        msg = struct.pack("!BBHI", 2, 0, 0, mtu) + iph + tcp
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    for _ in range(count):
        s.sendto(msg, (dst, 0))
        time.sleep(0.05)
    print("icmp: %d %s to %s about %s:%d -> %s:%d, mtu %d"
          % (count, "frag-needed" if fam == 4 else "packet-too-big", dst,
             isrc, sport, idst, dport, mtu))


def outq(c):
    return struct.unpack("i", fcntl.ioctl(c, termios.TIOCOUTQ, b"\0" * 4))[0]


def chunk_server(port, bulk, n, iplen, pause):
    bulk, n, iplen, pause = int(bulk), int(n), int(iplen), float(pause)

    def serve(c, v6):
        hdr = (40 if v6 else 20) + 20 + 12
        try:
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            # bulk writes of full-size segments (IP length 1500) each
            # once the one before is acknowledged
            for _ in range(bulk):
                c.sendall(b"b" * (1500 - hdr))
                end = time.time() + 30
                while outq(c) and time.time() < end:
                    time.sleep(0.005)
            size = iplen - hdr
            for _ in range(n):
                c.sendall(b"c" * size)
                # the next once this one is acknowledged: none joins it
                end = time.time() + 30
                while outq(c) and time.time() < end:
                    time.sleep(0.005)
                time.sleep(pause)
            c.shutdown(socket.SHUT_WR)
            c.settimeout(90)
            c.recv(1)
        except OSError:
            pass
        c.close()

    s = dual_listener(port)
    while True:
        c, a = s.accept()
        threading.Thread(target=serve, daemon=True,
                         args=(c, not a[0].startswith("::ffff:"))).start()


def chunk_client(port, addrs):
    out = {}

    def fetch(a):
        t0, n = time.time(), 0
        try:
            c = socket.socket(socket.AF_INET6 if ":" in a else socket.AF_INET,
                              socket.SOCK_STREAM)
            c.settimeout(30)
            c.connect((a, port))
            while True:
                b = c.recv(65536)
                if not b:
                    break
                n += len(b)
            c.close()
        except OSError as e:
            print("# chunk-client: %s: %s" % (a, e), file=sys.stderr)
        out[a] = "%s %d %.1f" % (a, n, time.time() - t0)

    ts = [threading.Thread(target=fetch, args=(a,)) for a in addrs]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    for a in addrs:
        print(out[a])


def tap(ready):
    s = sniffer(None, None)
    n = [0]

    def bye(*_):
        print("tap: %d frames" % n[0], flush=True)
        os._exit(0)
    signal.signal(signal.SIGTERM, bye)
    touch(ready)
    while True:
        s.recv(65535)
        n[0] += 1


def main():
    cmds = {
        "mss-server": mss_server, "mss-client": lambda d, p, *a: mss_client(d, int(p), a),
        "rec": lambda d, p, *a: rec(d, int(p), *a),
        "replay": lambda d, f, p, r: replay(d, f, int(p), r),
        "evil": lambda p, t, s, r: evil(int(p), t, s, r), "icmp": icmp,
        "chunk-server": lambda p, *a: chunk_server(int(p), *a),
        "chunk-client": lambda p, *a: chunk_client(int(p), a), "tap": tap,
    }
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        print(__doc__, file=sys.stderr)
        return 2
    if sys.argv[1] == "mss-server":
        return mss_server(int(sys.argv[2]), sys.argv[3])
    return cmds[sys.argv[1]](*sys.argv[2:]) or 0


if __name__ == "__main__":
    sys.exit(main())
