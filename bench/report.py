#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the benchmark's raw runs into results.json and results.md.

    report.py --dir DIR [--shift S] [--ktap | --rst]

DIR holds raw.tsv (one line per run, from guest.sh), and optionally
mem.txt (slab and per-CPU memory around a 65536-entry MAC table) and
bulk.tsv (bulk TCP runs).  Under QEMU -icount shift=S every guest
instruction advances the virtual clock by 2**S ns, so on a saturated CPU
instructions per packet = virtual ns per packet / 2**S.

With --ktap, prints "ok N - bench smoke: CONFIG KIND ran (X
instructions/packet)" per configuration and exits 1 if one did not run or
gave an absurd result.  With --rst, prints the table as reStructuredText
(for Documentation/performance.rst).  Otherwise prints the Markdown table.
"""
import argparse
import json
import os
import statistics
import sys

# configuration -> what it is, for the table
DESCR = {
    "none": "0: no rules",
    "ct": "0b: conntrack only (CONNMARK --restore-mark in mangle FORWARD)",
    "b-none": "no rules, in a namespace that had a --clamp-mss rule (its"
              " ICMP hooks went with it)",
    "l-none": "0 again, after the other rounds, with topology l up: the"
              " baseline of the iptables-legacy configurations",
    "l-ct": "0b again, after the other rounds, with topology l up: the"
            " baseline of the iptables-legacy configurations",
    "lct": "0b with the legacy backend: CONNMARK --restore-mark in mangle"
           " FORWARD (iptables-legacy)",
    "tcpmss": "TCPMSS --clamp-mss-to-pmtu (SYN,RST SYN) in mangle FORWARD",
    "clamp": "CLIPPER --clamp-mss pmtu in mangle FORWARD",
    "guard": "CLIPPER --pmtu-guard in mangle FORWARD",
    "ws": "CLIPPER --ws-count in mangle FORWARD",
    "all": "everything: --classify (1000 MACs) + --clamp-mss pmtu --pmtu-guard"
           " + --ws-count (port 8080)",
}
KIND_DESCR = {
    "udp-est": "one established UDP flow",
    "udp-new": "a new UDP flow per packet",
    "syn": "a TCP SYN of a new flow per packet",
    "tcp-data": "1300-byte data segments of one established TCP flow",
    "ws-small": "one WebSocket flow, a segment per 10-byte masked frame",
    "ws-large": "one WebSocket flow, 1300-byte segments of one 2^40-byte"
                " frame",
}
BULK_NAMES = {"none": "0: no rules", "ct": "0b: conntrack only",
              "guard": "CLIPPER --pmtu-guard in mangle FORWARD"}
# each configuration's baselines: (no rules, conntrack only), same topology
# (topology b once had the ICMP hooks of a --clamp-mss rule; they go with
# the namespace's last such rule, which b-none shows; topology l, the
# legacy backend's, is measured after the others, against none and ct
# measured again then, as l-none and l-ct)
BASE = {"a": ("none", "ct"), "b": ("none", "ct"), "l": ("l-none", "l-ct")}


def descr(cfg):
    if cfg in DESCR:
        return DESCR[cfg]
    kind, _, n = cfg.partition("-")
    return {
        "clipper": "CLIPPER --classify, %s MACs in the table",
        "mac": "%s rules -m mac --mac-source -j CONNMARK --set-mark",
        "lmac": "%s rules -m mac --mac-source -j CONNMARK --set-mark,"
                " iptables-legacy",
        "lclipper": "CLIPPER --classify, %s MACs in the table,"
                    " iptables-legacy",
        "ipset": "-m set (hash:mac, %s MACs) -j CONNMARK --set-mark",
        "nft": "nft ct mark set ether saddr map (%s MACs)",
    }.get(kind, cfg + " %s") % n


def load_raw(path):
    rows = []
    with open(path) as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            v = line.rstrip("\n").split("\t")
            if len(v) != len(head):
                continue
            r = dict(zip(head, v))
            for k in ("round", "count", "ns", "goidle", "idle_ticks",
                      "busy_ticks", "busy_ns", "thread_ns", "sink_rx"):
                r[k] = int(r[k])
            rows.append(r)
    return rows


def summarise(rows, shift):
    unit = float(1 << shift)
    groups = {}
    order = []
    for r in rows:
        key = (r["config"], r["kind"])
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(r)
    res = {}
    for key in order:
        runs = groups[key]
        good = [r for r in runs if r["status"] == "ok" and r["count"] > 0
                and r["ns"] > 0]
        ipp = [r["ns"] / r["count"] / unit for r in good]
        e = {
            "config": key[0],
            "topology": runs[0]["topo"],
            "kind": key[1],
            "description": descr(key[0]),
            "runs": len(runs),
            "runs_ok": len(good),
            "statuses": sorted({r["status"] for r in runs}),
            "packets_per_run": good[0]["count"] if good else 0,
            "instructions_per_packet": [round(x, 1) for x in ipp],
        }
        if ipp:
            med = statistics.median(ipp)
            e["median"] = round(med, 1)
            e["min"] = round(min(ipp), 1)
            e["max"] = round(max(ipp), 1)
            e["spread_pct"] = round((max(ipp) - min(ipp)) / med * 100, 3)
            e["pps_virtual"] = round(1e9 / (med * unit))
            # pktgen runs: pktgen's thread ran or was runnable for the
            # whole run (so the CPU never idled); synblast: CPU 0 never
            # switched to idle
            sat = []
            for r in good:
                if r["thread_ns"] >= 0:
                    sat.append(r["thread_ns"] >= r["ns"])
                else:
                    sat.append(r["goidle"] == 0)
            e["saturated"] = all(sat)
            ex = [(r["thread_ns"] - r["ns"]) / 1000.0 for r in good
                  if r["thread_ns"] >= 0]
            if ex:
                e["pktgen_thread_beyond_run_us"] = [round(x) for x in ex]
            else:
                e["goidle"] = [r["goidle"] for r in good]
            e["min"] = round(min(ipp), 1)
        res[key] = e
    for key, e in res.items():
        if "median" not in e:
            continue
        b0, b1 = BASE.get(e["topology"], (None, None))
        for name, b in (("delta_vs_none", b0), ("delta_vs_ct", b1)):
            be = res.get((b, key[1]))
            if be and "median" in be:
                e[name] = round(e["median"] - be["median"], 1)
    return res


def load_mem(path):
    if not os.path.exists(path):
        return None
    d = {}
    with open(path) as f:
        for line in f:
            k, _, v = line.strip().partition(" ")
            d[k] = v
    fields = d["fields"].split()[:5]
    snap = {}
    for k in ("before", "after", "flushed"):
        snap[k] = dict(zip(fields, (int(x) for x in d[k].split())))
    n = int(d.get("entries", "0") or 0)
    ncpu = 0
    for part in d.get("cpus_possible", "").split(","):
        lo, _, hi = part.partition("-")
        if lo.isdigit():
            ncpu += int(hi or lo) - int(lo) + 1
    m = {"entries": n, "cpus_possible": ncpu, "kB": snap}
    sb, sa = (os.path.join(os.path.dirname(path), "slabinfo-" + x)
              for x in ("before", "after"))
    if n and os.path.exists(sb) and os.path.exists(sa):
        def slab(p):
            t = {}
            with open(p) as f:
                for line in f:
                    v = line.split()
                    if len(v) > 3 and v[1].isdigit():
                        t[v[0]] = int(v[1]) * int(v[3])
            return t
        b, a = slab(sb), slab(sa)
        delta = sorted(((a.get(k, 0) - b.get(k, 0), k) for k in a),
                       reverse=True)
        m["slab_caches_bytes_per_entry"] = {
            k: round(dv / n, 1) for dv, k in delta[:6] if dv > 0}
    vb, va = (os.path.join(os.path.dirname(path), "vmallocinfo-" + x)
              for x in ("before", "after"))
    if n and os.path.exists(vb) and os.path.exists(va):
        def vm(p):
            t = {}
            with open(p) as f:
                for line in f:
                    v = line.split()
                    if len(v) > 2 and v[1].isdigit() and "vmalloc" in v:
                        t[v[2]] = t.get(v[2], 0) + int(v[1])
            return t
        b, a = vm(vb), vm(va)
        delta = sorted(((a.get(k, 0) - b.get(k, 0), k) for k in a),
                       reverse=True)
        m["vmalloc_callers_bytes_per_entry"] = {
            k: round(dv / n, 1) for dv, k in delta[:4] if dv > 0}
    if n:
        per = {}
        for f in ("Slab", "SUnreclaim", "Percpu", "VmallocUsed"):
            per[f] = round((snap["after"][f] - snap["before"][f]) * 1024 / n, 1)
        per["SUnreclaim+Percpu+VmallocUsed"] = round(
            per["SUnreclaim"] + per["Percpu"] + per["VmallocUsed"], 1)
        per["MemFree"] = round((snap["before"]["MemFree"] -
                                snap["after"]["MemFree"]) * 1024 / n, 1)
        per["freed_by_flush"] = round(
            ((snap["after"]["SUnreclaim"] - snap["flushed"]["SUnreclaim"]) +
             (snap["after"]["Percpu"] - snap["flushed"]["Percpu"]) +
             (snap["after"]["VmallocUsed"] - snap["flushed"]["VmallocUsed"]))
            * 1024 / n, 1)
        m["bytes_per_entry"] = per
    return m


def load_flowmem(path):
    """Bytes per flow of each configuration, and over conntrack only."""
    if not os.path.exists(path):
        return None
    per = {}
    with open(path) as f:
        for line in f:
            v = line.split()
            if len(v) != 6 or v[0].startswith("#") or int(v[1]) <= 0:
                continue
            n = int(v[1])
            b = ((int(v[3]) - int(v[2])) + (int(v[5]) - int(v[4]))) * 1024 / n
            per.setdefault(v[0], []).append(b)
    if "ct" not in per:
        return None
    ct = min(per["ct"])
    out = {"flows": FLOWMEM_N_DEFAULT, "bytes_per_flow": {}}
    for c, vals in per.items():
        out["bytes_per_flow"][c] = round(min(vals), 1)
        if c != "ct":
            out["bytes_per_flow_over_ct_" + c] = round(min(vals) - ct, 1)
    return out


FLOWMEM_N_DEFAULT = 10000


def load_bulk(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        head = f.readline().rstrip("\n").split("\t")
        rows = [dict(zip(head, line.rstrip("\n").split("\t"))) for line in f]
    return rows


def summarise_bulk(rows, shift):
    """Per round and configuration, the marginal cost of the large transfer
    over the small one: (busy_L - busy_S) / (packets_L - packets_S)."""
    if not rows:
        return None
    unit = float(1 << shift)
    by = {}
    order = []
    for r in rows:
        k = (r["config"], r["round"])
        if r["config"] not in order:
            order.append(r["config"])
        by.setdefault(k, []).append(r)
    out = {c: {"per_packet": [], "per_kib": [], "bad": 0} for c in order}
    for (c, _), rs in by.items():
        ok = [r for r in rs if r["status"] == "ok"]
        if len(ok) != 2:
            out[c]["bad"] += 1
            continue
        s, l = sorted(ok, key=lambda r: int(r["packets"]))
        dp = int(l["packets"]) - int(s["packets"])
        db = int(l["bytes"]) - int(s["bytes"])
        dt = int(l["busy_ns"]) - int(s["busy_ns"])
        if dp <= 0 or db <= 0:
            out[c]["bad"] += 1
            continue
        out[c]["per_packet"].append(dt / dp / unit)
        out[c]["per_kib"].append(dt / (db / 1024.0) / unit)
    base = None
    for c in order:
        o = out[c]
        for k in ("per_packet", "per_kib"):
            v = o[k]
            if v:
                med = statistics.median(v)
                o[k + "_median"] = round(med, 1)
                o[k + "_spread_pct"] = round((max(v) - min(v)) / med * 100, 2)
            o[k] = [round(x, 1) for x in v]
    for ref in ("none", "ct"):
        if "per_packet_median" in out.get(ref, {}):
            for c in order:
                if "per_packet_median" in out[c]:
                    out[c]["delta_vs_" + ref] = round(
                        out[c]["per_packet_median"] -
                        out[ref]["per_packet_median"], 1)
    return out


def targets(res, mem, fmem=None):
    t = []

    def get(c, k):
        return res.get((c, k), {})

    est = [get("clipper-%d" % n, "udp-est") for n in (1, 1000, 10000, 65536)]
    new = [get("clipper-%d" % n, "udp-new") for n in (1, 1000, 10000, 65536)]
    est = [e for e in est if "delta_vs_ct" in e]
    new = [e for e in new if "delta_vs_ct" in e]
    if est:
        worst = max(e["delta_vs_ct"] for e in est)
        rng = max(e["median"] for e in est) - min(e["median"] for e in est)
        t.append({"target": "--classify, established flow: <= +150 "
                            "instructions/packet over conntrack only",
                  "measured": "+%.0f (worst N)" % worst,
                  "met": worst <= 150})
        # flat: the medians across N differ by no more than 1% of the
        # packet's cost, or than one configuration's rounds differ
        tol = max(max(e["max"] - e["min"] for e in est),
                  0.01 * min(e["median"] for e in est))
        t.append({"target": "--classify, established: flat from N=1 to "
                            "65536",
                  "measured": "medians within %.0f instructions of each "
                              "other (flat: within %.0f)" % (rng, tol),
                  "met": rng <= tol})
    if new:
        worst = max(e["delta_vs_ct"] for e in new)
        rng = max(e["median"] for e in new) - min(e["median"] for e in new)
        t.append({"target": "--classify, new flows: flat from N=1 to 65536"
                            " (not a stated target)",
                  "measured": "medians within %.0f instructions of each "
                              "other" % rng,
                  "met": rng <= 0.01 * min(e["median"] for e in new)})
        t.append({"target": "--classify, new flows: <= +300 "
                            "instructions/packet over conntrack only",
                  "measured": "+%.0f (worst N)" % worst,
                  "met": worst <= 300})
    cl, tm = get("clamp", "syn"), get("tcpmss", "syn")
    if "delta_vs_none" in cl and "delta_vs_none" in tm:
        noise = max(cl["max"] - cl["min"], tm["max"] - tm["min"])
        t.append({"target": "--clamp-mss pmtu: no more per SYN than TCPMSS",
                  "measured": "%+.0f vs %+.0f over no rules (noise %.0f)" %
                              (cl["delta_vs_none"], tm["delta_vs_none"],
                               noise),
                  "met": cl["delta_vs_none"] <= tm["delta_vs_none"] + noise})
    g = get("guard", "tcp-data")
    if "delta_vs_ct" in g:
        t.append({"target": "--pmtu-guard: <= +200 instructions/packet on "
                            "bulk TCP over conntrack only",
                  "measured": "%+.0f" % g["delta_vs_ct"],
                  "met": g["delta_vs_ct"] <= 200})
    for k, lim, what in (("ws-small", 250, "small frames"),
                         ("ws-large", 100, "large frames")):
        w = get("ws", k)
        if "delta_vs_ct" in w:
            t.append({"target": "--ws-count: <= +%d instructions/packet on "
                                "%s over conntrack only" % (lim, what),
                      "measured": "%+.0f (%+.0f over no rules)" %
                                  (w["delta_vs_ct"],
                                   w.get("delta_vs_none", float("nan"))),
                      "met": w["delta_vs_ct"] <= lim})
    for c, what in (("ws", "--ws-count tracks (from its SYN: a pending "
                           "entry)"),
                    ("ws-req", "--ws-count tracks once it has sent a request "
                               "(a full entry)"),
                    ("guard", "--pmtu-guard tracks")):
        k = "bytes_per_flow_over_ct_" + c
        if fmem and k in fmem:
            t.append({"target": "memory: <= 128 bytes per flow that %s, "
                                "over conntrack's own" % what,
                      "measured": "%.0f bytes" % fmem[k],
                      "met": fmem[k] <= 128})
    if mem and "bytes_per_entry" in mem:
        b = mem["bytes_per_entry"]["SUnreclaim+Percpu+VmallocUsed"]
        t.append({"target": "memory: <= 96 bytes of kernel memory per MAC "
                            "entry",
                  "measured": "%.0f bytes (slab %.0f, per-CPU %.0f, vmalloc"
                              " %.0f; %s possible CPUs)" %
                              (b, mem["bytes_per_entry"]["SUnreclaim"],
                               mem["bytes_per_entry"]["Percpu"],
                               mem["bytes_per_entry"]["VmallocUsed"],
                               mem["cpus_possible"]),
                  "met": b <= 96})
    return t


def fmt(v, sign=False):
    if v is None:
        return ""
    return ("%+.0f" if sign else "%.0f") % v


def markdown(res, mem, bulk, tg, shift, fmem=None):
    L = []
    L.append("| configuration | traffic | instructions/packet (median) "
             "| spread | Δ vs 0 | Δ vs 0b | pps (virtual) | runs |")
    L.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for (c, k), e in res.items():
        if "median" not in e:
            L.append("| %s | %s | FAILED (%s) | | | | | %d |" %
                     (c, k, ",".join(e["statuses"]), e["runs"]))
            continue
        L.append("| %s | %s | %s | %.2f%% | %s | %s | %d | %d%s |" % (
            c, k, fmt(e["median"]), e["spread_pct"],
            fmt(e.get("delta_vs_none"), True),
            fmt(e.get("delta_vs_ct"), True), e["pps_virtual"],
            e["runs_ok"], "" if e["saturated"] else " (CPU idled!)"))
    L.append("")
    L.append("Configurations:")
    L.append("")
    seen = set()
    for (c, _), e in res.items():
        if c not in seen:
            seen.add(c)
            L.append("- `%s`: %s" % (c, e["description"]))
    L.append("")
    L.append("Traffic: " + "; ".join("`%s` %s" % kv for kv in
                                      KIND_DESCR.items()) + ".")
    if bulk:
        L.append("")
        L.append("Bulk TCP (iperf3 through the router, TSO/GSO off; the "
                 "marginal cost of a 10 MB over a 2 MB transfer, per packet "
                 "the router forwarded, data and ACKs; sender, router and "
                 "receiver on the one vCPU):")
        L.append("")
        L.append("| configuration | instructions/packet (median) | spread "
                 "| Δ vs 0 | Δ vs 0b | instructions/KiB | spread |")
        L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for c, o in bulk.items():
            if "per_packet_median" not in o:
                L.append("| %s | FAILED | | | | | |" % c)
                continue
            L.append("| %s | %.0f | %.2f%% | %s | %s | %.0f | %.2f%% |" % (
                BULK_NAMES.get(c, c), o["per_packet_median"],
                o["per_packet_spread_pct"], fmt(o.get("delta_vs_none"), True),
                fmt(o.get("delta_vs_ct"), True), o["per_kib_median"],
                o["per_kib_spread_pct"]))
    if mem and "bytes_per_entry" in mem:
        b = mem["bytes_per_entry"]
        L.append("")
        L.append("Memory for %d MAC entries, bytes per entry: slab %.0f "
                 "(of which unreclaimable %.0f), per-CPU %.0f, vmalloc %.0f; "
                 "MemFree went down by %.0f; a flush gave back %.0f "
                 "(possible CPUs: %s)." %
                 (mem["entries"], b["Slab"], b["SUnreclaim"], b["Percpu"],
                  b["VmallocUsed"], b["MemFree"], b["freed_by_flush"],
                  mem["cpus_possible"]))
        vc = mem.get("vmalloc_callers_bytes_per_entry")
        if vc:
            L.append("vmalloc growth by caller, bytes per entry: " +
                     ", ".join("%s %.1f" % kv for kv in vc.items()) + ".")
        sc = mem.get("slab_caches_bytes_per_entry")
        if sc:
            L.append("Largest slab caches' growth, bytes per entry: " +
                     ", ".join("%s %.1f" % kv for kv in sc.items()) + ".")
    if fmem:
        L.append("")
        L.append("Memory per flow (%d SYNs of new flows; for `ws-req`, "
                 "each with a handshake and an upgrade request; "
                 "unreclaimable slab and per-CPU): " % fmem["flows"] +
                 ", ".join("%s %.0f" % kv
                           for kv in fmem["bytes_per_flow"].items()) +
                 " bytes; conntrack only is `ct`.")
    if tg:
        L.append("")
        L.append("| target | measured | met |")
        L.append("| --- | --- | --- |")
        for t in tg:
            L.append("| %s | %s | %s |" % (t["target"], t["measured"],
                                           "yes" if t["met"] else "**no**"))
    L.append("")
    L.append("One instruction = %d ns of virtual time (QEMU -icount "
             "shift=%d); one vCPU runs the sender, the router and the sink, "
             "so it is the bottleneck of every run." % (1 << shift, shift))
    return "\n".join(L) + "\n"


def rst(res):
    """The results as a reStructuredText table, for performance.rst."""
    head = ("configuration", "traffic", "instr/packet", "spread",
            "vs 0", "vs 0b")
    rows = []
    for (c, k), e in res.items():
        if "median" not in e:
            continue
        rows.append((c, k, fmt(e["median"]), "%.2f%%" % e["spread_pct"],
                     fmt(e.get("delta_vs_none"), True),
                     fmt(e.get("delta_vs_ct"), True)))
    w = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    sep = "  ".join("=" * x for x in w)
    out = [sep, "  ".join(h.ljust(x) for h, x in zip(head, w)).rstrip(),
           sep]
    for r in rows:
        out.append("  ".join(v.ljust(x) if i < 2 else v.rjust(x)
                             for i, (v, x) in enumerate(zip(r, w))))
    out.append(sep)
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--shift", type=int, default=2)
    ap.add_argument("--ktap", action="store_true")
    ap.add_argument("--rst", action="store_true",
                    help="print the table as reStructuredText")
    a = ap.parse_args()

    raw = os.path.join(a.dir, "raw.tsv")
    rows = load_raw(raw) if os.path.exists(raw) else []
    res = summarise(rows, a.shift)
    mem = load_mem(os.path.join(a.dir, "mem.txt"))
    fmem = load_flowmem(os.path.join(a.dir, "flowmem.txt"))
    bulk = summarise_bulk(load_bulk(os.path.join(a.dir, "bulk.tsv")),
                          a.shift)
    tg = targets(res, mem, fmem)
    md = markdown(res, mem, bulk, tg, a.shift, fmem)
    doc = {
        "method": "QEMU TCG -icount shift=%d,sleep=on, one vCPU: "
                  "instructions = virtual ns / %d on a saturated CPU"
                  % (a.shift, 1 << a.shift),
        "kernel": os.uname().release,
        "results": list(res.values()),
        "memory": mem,
        "flow_memory": fmem,
        "bulk": bulk,
        "targets": tg,
    }
    with open(os.path.join(a.dir, "results.json"), "w") as f:
        json.dump(doc, f, indent=1)
    with open(os.path.join(a.dir, "results.md"), "w") as f:
        f.write(md)

    if a.rst:
        sys.stdout.write(rst(res))
        return 0
    if not a.ktap:
        sys.stdout.write(md)
        return 0 if rows else 1
    n = bad = 0
    for (c, k), e in res.items():
        n += 1
        med = e.get("median", 0)
        if e["runs_ok"] == e["runs"] and med > 0 and e.get("pps_virtual", 0) > 0:
            print("ok %d - bench smoke: %s %s ran (%.0f instructions/packet)"
                  % (n, c, k, med))
        else:
            bad += 1
            print("not ok %d - bench smoke: %s %s ran (%s)"
                  % (n, c, k, ",".join(e["statuses"]) or "no run"))
    if not res:
        print("not ok 1 - bench smoke: no run recorded")
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
