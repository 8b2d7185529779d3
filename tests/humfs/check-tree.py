#!/usr/bin/env python3
"""Checks a humfs tree (shadow_fs v2) on the host for consistency, as a backup of it
must be: every file under data/ has a well-formed metadata file and every metadata file
a data file; each dir_metadata/<d> holds exactly one regular file; hard links of data
share their metadata file; the superblock parses. Prints each problem and exits 1 if
there is any; with --dump, prints "path: metadata line" for every object instead."""
import os
import re
import stat
import sys

LINE = re.compile(r'^(\d+) (\d+) (\d+)( [cb] \d+ \d+| s)?$')


def read_line(path, problems):
    try:
        with open(path) as f:
            line = f.readline().rstrip('\n')
    except OSError as e:
        problems.append(f'{path}: {e.strerror}')
        return None
    if not LINE.match(line) or int(line.split()[0]) > 0o7777:
        problems.append(f'{path}: malformed metadata line {line!r}')
        return None
    return line


def dir_meta(top, rel, problems):
    d = os.path.join(top, 'dir_metadata', rel)
    try:
        files = [n for n in os.listdir(d) if stat.S_ISREG(os.lstat(os.path.join(d, n)).st_mode)]
    except OSError as e:
        problems.append(f'{d}: {e.strerror}')
        return None
    if len(files) != 1:
        problems.append(f'{d}: {len(files)} regular files, not 1')
        return None
    return read_line(os.path.join(d, files[0]), problems)


def check(top, dump):
    problems, lines = [], {}
    data = os.path.join(top, 'data')
    links = {}
    for dirpath, dirnames, filenames in os.walk(data):
        rel_dir = os.path.relpath(dirpath, data)
        rel_dir = '' if rel_dir == '.' else rel_dir
        lines[rel_dir + '/'] = dir_meta(top, rel_dir, problems)
        for name in filenames + [n for n in dirnames if os.path.islink(os.path.join(dirpath, n))]:
            rel = os.path.join(rel_dir, name)
            meta = os.path.join(top, 'file_metadata', rel)
            lines[rel] = read_line(meta, problems)
            st = os.lstat(os.path.join(data, rel))
            if st.st_nlink > 1 and os.path.exists(meta):
                key = (st.st_dev, st.st_ino)
                mino = os.lstat(meta).st_ino
                if links.setdefault(key, mino) != mino:
                    problems.append(f'{rel}: hard link with a metadata file of its own')
    for tree in ('file_metadata', 'dir_metadata'):
        base = os.path.join(top, tree)
        for dirpath, dirnames, filenames in os.walk(base):
            rel_dir = os.path.relpath(dirpath, base)
            rel_dir = '' if rel_dir == '.' else rel_dir
            if not os.path.isdir(os.path.join(data, rel_dir)):
                problems.append(f'{tree}/{rel_dir}: no data directory')
            if tree == 'file_metadata':
                for name in filenames:
                    if not os.path.lexists(os.path.join(data, rel_dir, name)):
                        problems.append(f'file_metadata/{os.path.join(rel_dir, name)}: no data file')
    try:
        with open(os.path.join(top, 'superblock')) as f:
            sb = dict(l.split(' ', 1) for l in f.read().split('\n') if l)
        if sb.get('version') != '2' or sb.get('metadata') != 'shadow_fs' or \
           not sb.get('used', '').isdigit() or not sb.get('total', '').isdigit():
            problems.append(f'superblock: {sb}')
    except (OSError, ValueError) as e:
        problems.append(f'superblock: {e}')
    if dump:
        for k in sorted(lines):
            print(f'{k}: {lines[k]}')
    for p in problems:
        print('problem:', p)
    return 1 if problems else 0


if __name__ == '__main__':
    args = [a for a in sys.argv[1:] if a != '--dump']
    sys.exit(check(args[0], '--dump' in sys.argv))
