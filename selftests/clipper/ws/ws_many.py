#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Many WebSocket flows at once, for the table and its dump (selftests).

  ws_many.py server ADDR PORT N [MODE]
  ws_many.py client ADDR PORT N READY_FILE GO_FILE [MODE]

MODE ws (the default): the client opens N connections, each a hixie-75
upgrade (the shortest handshake: no keys) followed by one text frame each
way; when all N are upgraded it writes READY_FILE, waits for GO_FILE, and
closes them all.  The server answers each request with a 101 and echoes
the frame.

Two modes of plain TCP, not WebSocket, for the entries of flows that have
sent nothing yet.  idle: the N connections send nothing until GO_FILE;
then the client writes a line on each and closes it.  talk: both ends
write a line at once, the client on connecting and the server on
accepting, so that each flow's first payloads in the two directions
cross at the router; the client reads the server's line before it
counts the connection ready.

Both exit 0 when all N went through, 1 otherwise (150 s at most, or
$WS_MANY_LIMIT seconds).
"""
import asyncio
import os
import resource
import sys

REQ = b"GET / HTTP/1.1\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\n" \
      b"Host: %s\r\nOrigin: http://clipper\r\n\r\n"
RESP = b"HTTP/1.1 101 Web Socket Protocol Handshake\r\nUpgrade: WebSocket\r\n" \
       b"Connection: Upgrade\r\nWebSocket-Origin: http://clipper\r\n" \
       b"WebSocket-Location: ws://%s/\r\n\r\n"
LINE = b"HELLO clipper\r\n"


async def serve(addr, port, n, mode):
    done = asyncio.Event()
    left = [n]

    async def conn(r, w):
        if mode == "talk":
            w.write(LINE)
        elif mode == "ws":
            await r.readuntil(b"\r\n\r\n")
            w.write(RESP % addr.encode())
            frame = await r.readuntil(b"\xff")
            w.write(frame)
        await w.drain()
        await r.read()          # until the client closes
        w.close()
        left[0] -= 1
        if not left[0]:
            done.set()

    server = await asyncio.start_server(conn, addr, port, backlog=4096)
    async with server:
        await done.wait()


async def client(addr, port, n, ready, go, mode):
    async def one(i):
        r, w = await asyncio.open_connection(addr, port)
        if mode == "talk":
            w.write(LINE)
            await w.drain()
            # the server's line too, before the close: a line that came
            # after it would find the socket gone and draw an RST
            await r.readuntil(b"\n")
        elif mode == "ws":
            w.write(REQ % addr.encode())
            await r.readuntil(b"\r\n\r\n")
            w.write(b"\x00flow %d\xff" % i)
            await r.readuntil(b"\xff")
        return w

    sem = asyncio.Semaphore(200)

    async def limited(i):
        async with sem:
            return await one(i)

    writers = await asyncio.gather(*(limited(i) for i in range(n)))
    with open(ready, "w") as f:
        f.write("%d\n" % len(writers))
    while not os.path.exists(go):
        await asyncio.sleep(0.1)
    for w in writers:
        if mode == "idle":
            w.write(LINE)
        w.close()
    await asyncio.gather(*(w.wait_closed() for w in writers),
                         return_exceptions=True)


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    role, addr, port, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
        int(sys.argv[4])
    if role == "server":
        mode = sys.argv[5] if len(sys.argv) > 5 else "ws"
        coro = serve(addr, port, n, mode)
    else:
        mode = sys.argv[7] if len(sys.argv) > 7 else "ws"
        coro = client(addr, port, n, sys.argv[5], sys.argv[6], mode)
    try:
        limit = int(os.environ.get("WS_MANY_LIMIT", "150"))
        asyncio.run(asyncio.wait_for(coro, limit))
    except Exception as e:      # noqa: BLE001 - report and fail
        print("ws_many %s: %r" % (role, e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
