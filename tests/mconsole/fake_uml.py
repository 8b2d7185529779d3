#!/usr/bin/env python3
"""A stand-in for a UML's MConsole socket, to test clients against.

    fake_uml.py SOCKET COUNT MODE

Answers COUNT requests, printing each request's command text on a line of its own, then
exits. MODE says how it answers:
  ok       one datagram: err 0, "fake"
  enoent   one datagram: err -2, "Couldn't determine size of device's file"
  chunks   a 1500-character reply cut into 511-character datagrams, the first with err 0
  silent   no answer at all (the client must time out)
"""
import os
import socket
import struct
import sys

MAGIC = 0xCAFEBABE


def reply(sock, addr, err, text, more=0):
    data = text.encode()
    chunks = [data[i:i + 511] for i in range(0, len(data), 511)] or [b""]
    for i, chunk in enumerate(chunks):
        last = i == len(chunks) - 1
        header = struct.pack("=iII", err if i == 0 else 0, more if last else 1, len(chunk) + 1)
        sock.sendto(header + chunk + b"\0", addr)


def main():
    path, count, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if os.path.exists(path):
        os.unlink(path)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(20)   # a client that never comes must not hang the test
    print("ready", flush=True)
    for _ in range(count):
        try:
            data, addr = sock.recvfrom(4096)
        except socket.timeout:
            print("timed out waiting for a request", flush=True)
            break
        magic, version, length = struct.unpack("=III", data[:12])
        assert magic == MAGIC and version == 2, (magic, version)
        print(data[12:12 + length].decode(errors="replace"), flush=True)
        if mode == "ok":
            reply(sock, addr, 0, "fake")
        elif mode == "enoent":
            reply(sock, addr, -2, "Couldn't determine size of device's file")
        elif mode == "chunks":
            reply(sock, addr, 0, "".join(chr(ord("a") + i % 26) for i in range(1500)))
    os.unlink(path)


if __name__ == "__main__":
    main()
