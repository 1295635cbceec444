#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Independent WebSocket frame counter for a pcap/pcapng capture (oracle).

  ws_oracle.py CAPTURE SERVER_PORT [--engine auto|dissector|stream|both]
               [--report FILE] [--per-flow]

Prints {"c2s": COUNTS, "s2c": COUNTS, "flows": [...]} where COUNTS has the
shape {"frames": {"text","binary","continuation","close","ping","pong",
"other"}, "payload_bytes", "header_bytes"} (same definitions as the kernel
and the peers' reports).  c2s = TCP segments whose destination port is
SERVER_PORT.

Engines:
  dissector  tshark's WebSocket dissector (-d tcp.port==PORT,http, TCP
             desegmentation on): per frame websocket.opcode, .mask,
             .payload_length (7-bit field) and the 16/64-bit extended
             length.  header = 2 + (2 if len7 == 126, 8 if 127) + 4 if
             masked.  RFC 6455 only: tshark 4.0 has no hixie-75/76 framing
             support (it runs hixie bytes through the RFC 6455 dissector
             and shows garbage), so flows without Sec-WebSocket-Accept are
             skipped by this engine.
  stream     tshark's TCP reassembly (-z follow,tcp,raw,N) and a parser in
             this file: HTTP handshake, then RFC 6455 or hixie-75/76 frames
             (hixie-76: 8-byte key3 after the request and 16-byte response
             after the 101 are skipped, not counted).
  auto       (default) dissector for RFC 6455 flows, stream for the others.
  both       dissector and stream for RFC 6455 flows; exits 1 if they
             differ (cross-check of the two), stream for hixie flows.
"""

import argparse
import json
import subprocess
import sys

CLASSES = ("text", "binary", "continuation", "close", "ping", "pong", "other")
OPCODE_CLASS = {0: "continuation", 1: "text", 2: "binary", 8: "close",
                9: "ping", 10: "pong"}


def new_counts():
    return {"frames": {c: 0 for c in CLASSES}, "payload_bytes": 0,
            "header_bytes": 0}


def add_counts(dst, src):
    for c in CLASSES:
        dst["frames"][c] += src["frames"][c]
    dst["payload_bytes"] += src["payload_bytes"]
    dst["header_bytes"] += src["header_bytes"]


def count(c, cls, payload, header):
    c["frames"][cls] += 1
    c["payload_bytes"] += payload
    c["header_bytes"] += header


def tshark(args, extra):
    cmd = [args.tshark, "-n", "-r", args.capture,
           "-o", "tcp.desegment_tcp_streams:TRUE",
           "-o", "tcp.analyze_sequence_numbers:TRUE",
           "-o", "tcp.reassemble_out_of_order:TRUE",
           # every WebSocket frame is a protocol layer; tshark stops
           # dissecting a packet after gui.max_tree_depth (500) layers
           # ("Dissector bug ... saved_layers_len < prefs.gui_max_tree_depth")
           # and silently drops the rest of its frames
           "-o", "gui.max_tree_depth:1000000",
           "-d", "tcp.port==%d,http" % args.port] + extra
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.stderr.write(p.stderr.decode(errors="replace"))
        raise SystemExit("ws_oracle.py: tshark failed (%d)" % p.returncode)
    return p.stdout.decode("latin-1")


def fmt(addr, port):
    return "[%s]:%s" % (addr, port) if ":" in addr else "%s:%s" % (addr, port)


# --------------------------------------------------------------------------
# dissector engine

FIELDS = ["tcp.stream", "tcp.srcport", "tcp.dstport", "ip.src", "ip.dst",
          "ipv6.src", "ipv6.dst", "http.sec_websocket_accept",
          "http.response.code", "websocket.opcode", "websocket.mask",
          "websocket.payload_length", "websocket.payload_length_ext_16",
          "websocket.payload_length_ext_64", "_ws.malformed"]


def dissector_pass(args):
    """Returns {stream: flow} with flow = {client, server, accept, c2s, s2c}.
    Every stream on the port appears (for the handshake classification)."""
    extra = ["-Y", "tcp.port==%d" % args.port, "-T", "fields",
             "-E", "occurrence=a", "-E", "separator=\t",
             "-E", "aggregator=,"]
    for f in FIELDS:
        extra += ["-e", f]
    flows = {}
    for line in tshark(args, extra).splitlines():
        v = dict(zip(FIELDS, line.split("\t")))
        if not v.get("tcp.stream"):
            continue
        stream = int(v["tcp.stream"])
        sport, dport = int(v["tcp.srcport"]), int(v["tcp.dstport"])
        src = v["ip.src"] or v["ipv6.src"]
        dst = v["ip.dst"] or v["ipv6.dst"]
        if dport == args.port:
            d, client, server = "c2s", fmt(src, sport), fmt(dst, dport)
        elif sport == args.port:
            d, client, server = "s2c", fmt(dst, dport), fmt(src, sport)
        else:
            continue
        fl = flows.setdefault(stream, {"client": client, "server": server,
                                       "accept": False, "upgraded": False,
                                       "c2s": new_counts(),
                                       "s2c": new_counts()})
        if v["http.sec_websocket_accept"]:
            fl["accept"] = True
        if v["_ws.malformed"]:
            fl.setdefault("anomaly", "tshark: malformed packet: %r"
                          % v["_ws.malformed"][:200])
        if "101" in v["http.response.code"].split(","):
            fl["upgraded"] = True
        if not v["websocket.opcode"]:
            continue
        ops = [int(x) for x in v["websocket.opcode"].split(",")]
        masks = [x in ("1", "True") for x in v["websocket.mask"].split(",")]
        len7 = [int(x) for x in v["websocket.payload_length"].split(",")]
        ext16 = [int(x) for x in v["websocket.payload_length_ext_16"]
                 .split(",") if x]
        ext64 = [int(x) for x in v["websocket.payload_length_ext_64"]
                 .split(",") if x]
        if not len(ops) == len(masks) == len(len7):
            fl.setdefault("anomaly", "field count mismatch: %r" % line)
            continue
        # the extended length fields only occur for frames whose 7-bit
        # length is 126/127, in frame order: pair them up
        for op, m, l7 in zip(ops, masks, len7):
            if l7 == 126 and ext16:
                plen, hdr = ext16.pop(0), 4
            elif l7 == 127 and ext64:
                plen, hdr = ext64.pop(0), 10
            elif l7 < 126:
                plen, hdr = l7, 2
            else:
                fl.setdefault("anomaly", "missing extended length: %r" % line)
                continue
            if m:
                hdr += 4
            count(fl[d], OPCODE_CLASS.get(op, "other"), plen, hdr)
        if ext16 or ext64:
            fl.setdefault("anomaly", "unpaired extended length: %r" % line)
    return flows


# --------------------------------------------------------------------------
# stream engine


def follow_streams(args, streams):
    """Returns {stream: (node0 addr, node1 addr, bytes0, bytes1)}."""
    out = {}
    streams = sorted(streams)
    for i in range(0, len(streams), 50):
        extra = ["-q"]
        for s in streams[i:i + 50]:
            extra += ["-z", "follow,tcp,raw,%d" % s]
        text = tshark(args, extra)
        cur = None
        for line in text.splitlines():
            if line.startswith("Filter: tcp.stream eq "):
                cur = {"stream": int(line.split()[-1]), "nodes": [],
                       "data": [bytearray(), bytearray()]}
                out[cur["stream"]] = cur
            elif cur is None or line.startswith("====="):
                continue
            elif line.startswith("Node ") and len(cur["nodes"]) < 2:
                cur["nodes"].append(line.split(": ", 1)[1])
            elif line.startswith("Follow:"):
                continue
            elif line.startswith("\t"):
                cur["data"][1] += bytes.fromhex(line.strip())
            elif line.strip():
                cur["data"][0] += bytes.fromhex(line.strip())
    return out


def split_hostport(s):
    host, _, port = s.rpartition(":")
    return host.strip("[]"), int(port) if port.isdigit() else 0


def parse_rfc6455(data, c):
    """Count RFC 6455 frames in one direction; returns trailing bytes."""
    i, n = 0, len(data)
    while i + 2 <= n:
        b0, b1 = data[i], data[i + 1]
        l7 = b1 & 0x7F
        hdr = 2 + (2 if l7 == 126 else 8 if l7 == 127 else 0)
        hdr += 4 if b1 & 0x80 else 0
        if i + hdr > n:
            break
        if l7 == 126:
            plen = int.from_bytes(data[i + 2:i + 4], "big")
        elif l7 == 127:
            plen = int.from_bytes(data[i + 2:i + 10], "big")
        else:
            plen = l7
        if i + hdr + plen > n:
            break
        count(c, OPCODE_CLASS.get(b0 & 0x0F, "other"), plen, hdr)
        i += hdr + plen
    return n - i


def parse_hixie(data, c):
    """Count hixie-75/76 frames in one direction; returns trailing bytes."""
    i, n = 0, len(data)
    while i < n:
        t = data[i]
        if t & 0x80:
            j, length, complete = i + 1, 0, False
            while j < n:
                b = data[j]
                length = (length << 7) | (b & 0x7F)
                j += 1
                if not b & 0x80:
                    complete = True
                    break
            if not complete:
                break
            digits = j - i - 1
            if t == 0xFF and length == 0 and digits == 1:
                count(c, "close", 0, 2)
                i = j
                continue
            if j + length > n:
                break
            count(c, "binary", length, 1 + digits)
            i = j + length
        else:
            end = data.find(b"\xff", i + 1)
            if end < 0:
                break
            count(c, "text", end - i - 1, 2)
            i = end + 1
    return n - i


def stream_flow(args, st):
    """Classify one followed stream and count its frames."""
    nodes = st["nodes"]
    if len(nodes) < 2:
        return None
    h0, p0 = split_hostport(nodes[0])
    h1, p1 = split_hostport(nodes[1])
    if p1 == args.port:
        cdata, sdata = st["data"]
        client, server = fmt(h0, p0), fmt(h1, p1)
    elif p0 == args.port:
        sdata, cdata = st["data"]
        client, server = fmt(h1, p1), fmt(h0, p0)
    else:
        return None
    fl = {"client": client, "server": server, "c2s": new_counts(),
          "s2c": new_counts(), "proto": None}
    cend = cdata.find(b"\r\n\r\n")
    send = sdata.find(b"\r\n\r\n")
    if cend < 0 or send < 0:
        fl["proto"] = "no-handshake"
        return fl
    req = cdata[:cend].decode("latin-1").lower()
    resp = sdata[:send].decode("latin-1")
    if not resp.startswith("HTTP/1.1 101"):
        fl["proto"] = "not-upgraded"
        return fl
    cbody, sbody = cdata[cend + 4:], sdata[send + 4:]
    if "\r\nsec-websocket-accept:" in resp.lower():
        fl["proto"] = "rfc6455"
        parser = parse_rfc6455
    elif "\r\nsec-websocket-key1:" in req:
        fl["proto"] = "hixie-76"
        cbody, sbody = cbody[8:], sbody[16:]
        parser = parse_hixie
    else:
        fl["proto"] = "hixie-75"
        parser = parse_hixie
    fl["c2s_trailing"] = parser(cbody, fl["c2s"])
    fl["s2c_trailing"] = parser(sbody, fl["s2c"])
    return fl


# --------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("capture")
    ap.add_argument("port", type=int)
    ap.add_argument("--engine", default="auto",
                    choices=("auto", "dissector", "stream", "both"))
    ap.add_argument("--report", help="write the JSON here, not stdout")
    ap.add_argument("--tshark", default="tshark")
    args = ap.parse_args()

    dis = dissector_pass(args)
    flows, errors = [], []
    need_stream = []
    for stream, fl in sorted(dis.items()):
        if fl["accept"] and fl.get("anomaly"):
            errors.append("stream %d: %s" % (stream, fl["anomaly"]))
        if fl["accept"] and args.engine != "stream":
            flows.append((stream, dict(fl, proto="rfc6455",
                                       engine="dissector")))
            if args.engine == "both":
                need_stream.append(stream)
        elif args.engine != "dissector":
            need_stream.append(stream)
    if need_stream:
        followed = follow_streams(args, need_stream)
        for stream in need_stream:
            sf = stream_flow(args, followed.get(stream, {"nodes": []}))
            if sf is None:
                continue
            mine = [f for s, f in flows if s == stream]
            if mine:
                df = mine[0]
                for d in ("c2s", "s2c"):
                    if df[d] != sf[d]:
                        errors.append("stream %d %s: dissector %s != stream %s"
                                      % (stream, d, json.dumps(df[d]),
                                         json.dumps(sf[d])))
                df["engine"] = "dissector+stream"
            elif sf["proto"] not in ("no-handshake", "not-upgraded"):
                sf["engine"] = "stream"
                flows.append((stream, sf))
    rep = {"c2s": new_counts(), "s2c": new_counts(), "flows": []}
    for stream, fl in sorted(flows, key=lambda x: x[0]):
        add_counts(rep["c2s"], fl["c2s"])
        add_counts(rep["s2c"], fl["s2c"])
        item = {"stream": stream, "client": fl["client"],
                "server": fl["server"], "proto": fl["proto"],
                "engine": fl["engine"], "c2s": fl["c2s"], "s2c": fl["s2c"]}
        for k in ("c2s_trailing", "s2c_trailing"):
            if fl.get(k):
                item[k] = fl[k]
        rep["flows"].append(item)
    text = json.dumps(rep)
    if args.report:
        with open(args.report, "w") as f:
            f.write(text + "\n")
    else:
        print(text)
    for e in errors:
        print("ws_oracle.py: MISMATCH: " + e, file=sys.stderr)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
