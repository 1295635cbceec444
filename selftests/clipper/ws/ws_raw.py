#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A raw RFC 6455 client that misbehaves on purpose, for the selftests.

  ws_raw.py HOST PORT rsv

rsv: after a correct handshake and one valid masked text frame ("hello"),
send a text frame with RSV1 set although no extension was negotiated,
then read until the server closes.
"""
import base64
import os
import socket
import sys


def frame(opcode, payload, rsv=0):
    mask = os.urandom(4)
    hdr = bytes([0x80 | rsv | opcode, 0x80 | len(payload)]) + mask
    return hdr + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def main():
    host, port, what = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    s = socket.create_connection((host, port), timeout=30)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall(("GET / HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
               "Sec-WebSocket-Version: 13\r\n\r\n" % (host, port, key)).encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        data = s.recv(4096)
        if not data:
            sys.exit("no 101")
        buf += data
    if b" 101 " not in buf.split(b"\r\n")[0]:
        sys.exit("not upgraded: %r" % buf[:40])
    s.sendall(frame(1, b"hello"))
    if what == "rsv":
        s.sendall(frame(1, b"bad", rsv=0x40))
    try:
        while s.recv(4096):
            pass
    except OSError:
        pass
    s.close()


if __name__ == "__main__":
    main()
