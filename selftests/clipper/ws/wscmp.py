#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Compare WebSocket counts: what clipper counted against what was sent.

  wscmp.py GOT[:PATH] C2S[:PATH] S2C[:PATH] [--desync-ok]

Each argument is a JSON file and a dotted path to an object of the shape
{"frames": {"text", ...}, "payload_bytes", "header_bytes"} in it ("c2s",
"0.s2c", "sent"); GOT's path names the object holding "c2s" and "s2c".
Prints one line per direction and exits 1 on any difference.  With
--desync-ok a direction that clipper flagged desync may have counted less
(never more) than was sent: it stopped, but must not have miscounted.  In
"ws stats" (totals) desync is a count of directions, not per direction: a
non-zero count lets both directions have counted less.
"""
import json
import sys

KEYS = ("text", "binary", "continuation", "close", "ping", "pong", "other")


def load(arg):
    name, _, path = arg.partition(":")
    with open(name) as f:
        obj = json.load(f)
    for part in filter(None, path.split(".")):
        obj = obj[int(part)] if isinstance(obj, list) else obj[part]
    return obj


def flat(d):
    v = {k: d["frames"][k] for k in KEYS}
    v["payload_bytes"] = d["payload_bytes"]
    v["header_bytes"] = d["header_bytes"]
    return v


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    desync_ok = "--desync-ok" in sys.argv
    got = load(args[0])
    bad = 0
    for name, arg in (("c2s", args[1]), ("s2c", args[2])):
        want, have = flat(load(arg)), flat(got[name])
        total = got.get("desync")
        stopped = got[name].get("desync") is True or (
            not isinstance(total, bool) and isinstance(total, int) and total > 0)
        diff = {k: (have[k], want[k]) for k in want if have[k] != want[k]}
        if diff and desync_ok and stopped:
            over = {k: v for k, v in diff.items() if v[0] > v[1]}
            print(f"{name}: desync, counted less than sent: "
                  f"{diff if not over else 'MORE: ' + str(over)}")
            bad += bool(over)
            continue
        if diff:
            print(f"{name}: counted != sent: " +
                  ", ".join(f"{k} {a} != {b}" for k, (a, b) in diff.items()))
            bad += 1
        else:
            print(f"{name}: {sum(want[k] for k in KEYS)} frames, "
                  f"{want['payload_bytes']} payload bytes, "
                  f"{want['header_bytes']} header bytes: equal"
                  f"{' (desync flagged)' if stopped else ''}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
