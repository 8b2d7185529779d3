#!/usr/bin/env python3
"""Test helper: write into COW files as a UML guest would, and make old-version headers.

  cowpoke.py write COW SECTOR TEXT   put TEXT at sector SECTOR's data, set its bit (v1-v3)
  cowpoke.py mkv2 COW BACKING        a v2 COW file over BACKING (empty bitmap)
  cowpoke.py mkv1 COW BACKING        a v1 COW file (host byte order)
  cowpoke.py bits COW                print the numbers of the sectors whose bit is set
"""
import os
import struct
import sys

MAGIC = 0x4F4F4F4D


def roundup(x, a):
    return (x + a - 1) // a * a


def layout(path):
    with open(path, 'rb') as f:
        b = f.read(4136)
    if struct.unpack('<I', b[:4])[0] == MAGIC:
        version = struct.unpack('<I', b[4:8])[0]
    else:
        version = struct.unpack('>I', b[4:8])[0]
    if version == 1:
        size, ss = struct.unpack('<QI', b[268:280])
        bm_off, bm_len = 280, (size + ss - 1) // (8 * ss)
        return bm_off, roundup(bm_off + bm_len, ss), ss, size
    if version == 2:
        size, ss = struct.unpack('>QI', b[4108:4120])
        bm_off, bm_len = 4120, (size + ss - 1) // (8 * ss)
        return bm_off, roundup(bm_off + bm_len, ss), ss, size
    size, ss, align = struct.unpack('>QII', b[12:28])
    sectors = (size + ss - 1) // ss
    bm_off = roundup(4128, align)
    return bm_off, roundup(bm_off + (sectors + 7) // 8, align), ss, size


def write(cow, sector, text):
    bm_off, data_off, ss, _ = layout(cow)
    data = text.encode()
    with open(cow, 'r+b') as f:
        f.seek(data_off + sector * ss)
        f.write(data)
        for s in range(sector, sector + (len(data) + ss - 1) // ss):
            f.seek(bm_off + s // 8)
            byte = f.read(1)[0]
            f.seek(bm_off + s // 8)
            f.write(bytes([byte | (1 << (s % 8))]))


def bits(cow):
    bm_off, _, ss, size = layout(cow)
    sectors = (size + ss - 1) // ss
    with open(cow, 'rb') as f:
        f.seek(bm_off)
        bm = f.read((sectors + 7) // 8)
    print(' '.join(str(s) for s in range(sectors) if bm[s // 8] >> (s % 8) & 1))


def mkold(cow, backing, version):
    st = os.stat(backing)
    path = os.path.abspath(backing).encode()
    ss = 512
    if version == 2:
        hdr = struct.pack('>II4096sIQI', MAGIC, 2, path, int(st.st_mtime), st.st_size, ss)
        bm_off = 4120
    else:
        hdr = struct.pack('<II256sIQI', MAGIC, 1, path, int(st.st_mtime), st.st_size, ss)
        bm_off = 280
    data_off = roundup(bm_off + (st.st_size + ss - 1) // (8 * ss), ss)
    with open(cow, 'wb') as f:
        f.write(hdr)
        f.truncate(data_off + st.st_size)


def main(argv):
    if argv[1] == 'write':
        write(argv[2], int(argv[3]), argv[4])
    elif argv[1] == 'bits':
        bits(argv[2])
    elif argv[1] == 'mkv2':
        mkold(argv[2], argv[3], 2)
    elif argv[1] == 'mkv1':
        mkold(argv[2], argv[3], 1)
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv)
