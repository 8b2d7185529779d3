#!/usr/bin/env python3
"""Malformed and hostile MConsole requests against a running kernel's socket.

    bad_requests.py SOCKET

Prints one PASS/FAIL line per case (tests/lib.sh style). Every case must get UML's clean
answer or, where UML drops a request, none; the kernel must keep answering throughout.
"""
import os
import random
import socket
import struct
import sys
import time

MAGIC = 0xCAFEBABE
failed = False


def result(name, ok, why=""):
    global failed
    if ok:
        print("PASS badinput/" + name)
    else:
        failed = True
        print("FAIL badinput/%s: %s" % (name, why))
    sys.stdout.flush()


def client():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind("\0badinput-%d-%d" % (os.getpid(), random.randrange(1 << 30)))
    return s


def request(cmd, version=2, length=None, pad=True):
    data = cmd.encode("latin-1") if isinstance(cmd, str) else cmd
    if length is None:
        length = len(data)
    body = data + (b"\0" * (512 - len(data)) if pad and len(data) < 512 else b"")
    return struct.pack("=III", MAGIC, version, length) + body


def replies(s, timeout=2.0):
    """One reply: its datagrams until more == 0, as (err, text)."""
    err, text, first = 0, b"", True
    s.settimeout(timeout)
    while True:
        d = s.recv(2048)
        e, more, length = struct.unpack("=iII", d[:12])
        if first:
            err, first = e, False
        text += d[12:].split(b"\0", 1)[0]
        if not more:
            return err, text.decode("latin-1")


def nothing(s, timeout=0.3):
    s.settimeout(timeout)
    try:
        s.recv(2048)
        return False
    except socket.timeout:
        return True


def ask(s, path, raw, timeout=2.0):
    s.sendto(raw, path)
    try:
        return replies(s, timeout)
    except socket.timeout:
        return None, "(no reply)"


def alive(path):
    s = client()
    err, text = ask(s, path, request("version"))
    s.close()
    return err == 0 and text.startswith("Linux ")


def raw_answer(s, path, data):
    s.sendto(data, path)
    s.settimeout(2)
    try:
        return s.recv(2048)
    except socket.timeout:
        return None


def main():
    path = sys.argv[1]
    random.seed(1234)
    s = client()
    v0 = b"ERR Version 0 mconsole clients are not supported by this driver"
    result("empty-datagram", raw_answer(s, path, b"") == v0)
    result("three-bytes", raw_answer(s, path, b"ver") == v0)
    result("wrong-magic", raw_answer(s, path, struct.pack("=III", 0xDEADBEEF, 2, 7) + b"version") == v0)
    s.sendto(struct.pack("=II", MAGIC, 2), path)
    result("short-header-dropped", nothing(s))
    result("len-512", ask(s, path, request("version", length=512)) == (1, "Request too large"))
    result("len-huge", ask(s, path, request("version", length=0xFFFFFFFF)) == (1, "Request too large"))
    got = ask(s, path, request("version", version=1))
    again = replies(s) if got[0] == 1 else (None, "")
    result("version-1-complains-then-runs",
           got == (1, "This driver only supports version 2 clients") and again[1].startswith("Linux "),
           "%r %r" % (got, again))
    got = ask(s, path, request("versionXXXX", length=7, pad=False))
    result("not-terminated", got[0] == 0 and got[1].startswith("Linux "), repr(got))
    got = ask(s, path, request("version", length=300, pad=False))
    result("len-beyond-datagram", got[0] == 0 and got[1].startswith("Linux "), repr(got))
    got = ask(s, path, request(b"help\0garbage"))
    result("embedded-nul", got[0] == 0 and got[1].startswith("Commands: \n"), repr(got[:1]))
    got = ask(s, path, request("version") + b"x" * 4000)
    result("oversized-datagram", got[0] == 0 and got[1].startswith("Linux "), repr(got))
    result("unknown", ask(s, path, request("\x01\x02\xff")) == (1, "Unknown command"))
    got = ask(s, path, request("sysrq \xff"))
    result("sysrq-bad-letter", got[0] == 0 and got[1].startswith("sysrq: HELP : "), repr(got))
    result("stack-huge-pid", ask(s, path, request("stack 99999999999999999999999")) == (1, "Couldn't find that pid"))
    result("stack-negative", ask(s, path, request("stack -1")) == (1, "Please specify a pid"))
    for name, cmd in (("proc-dotdot", "proc ../../../../etc/passwd"), ("proc-absolute", "proc /etc/passwd"),
                      ("proc-host-self", "proc ../self/environ")):
        got = ask(s, path, request(cmd))
        result(name, got[0] == 1 and "root:" not in got[1], repr(got))
    got = ask(s, path, request("config " + "u" * 500))
    result("config-long", got == (1, "Bad configuration option"), repr(got))
    got = ask(s, path, request("remove \xff\xfe"))
    result("remove-garbage", got == (1, "Bad remove option"), repr(got))

    # an unbound sender cannot be answered; the kernel must not mind
    u = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    u.sendto(request("version"), path)
    u.close()
    result("unbound-sender", alive(path))

    # random datagrams, some starting with the magic
    junk = client()
    junk.setblocking(False)
    for i in range(2000):
        n = random.randrange(0, 600)
        d = bytes(random.randrange(256) for _ in range(n))
        if i % 2 and n >= 12:
            d = struct.pack("=I", MAGIC) + d[4:]
        try:
            junk.sendto(d, path)
        except BlockingIOError:
            time.sleep(0.01)
    result("random-datagrams", alive(path))

    # a flood from a client that never reads its replies, of both kinds of request
    flood = client()
    flood.setblocking(False)
    sent = 0
    end = time.time() + 3
    while sent < 20000 and time.time() < end:
        try:
            flood.sendto(request("version" if sent % 2 else "proc meminfo"), path)
            sent += 1
        except BlockingIOError:
            time.sleep(0.001)
    start = time.time()
    ok = alive(path)
    result("flood-still-answers", ok and time.time() - start < 2, "sent %d" % sent)
    flood.close()
    time.sleep(0.5)
    result("after-flood", alive(path))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
