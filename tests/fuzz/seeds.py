#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the hand-made seeds of the "tbf" fuzz target to tests/fuzz/tbf/.

A random byte string almost never carries a valid TBF header checksum, so
the corpus starts from images of well-formed apps (one, two, three back to
back, with padding, a disabled one, writeable flash regions, fixed
addresses, a Main TLV instead of Program) for libFuzzer to mutate.  Each
seed is one byte choosing the granule (bit 0: 4096, else 4), then the
image.  Run once after changing this file; the seeds are checked in.
"""
import os
import struct


def tlv(t, body):
    body += b"\0" * (-len(body) % 4)
    return struct.pack("<HH", t, len(body)) + body


def app(total=1024, ram=2048, flags=1, init=0, name=b"fz", main=False,
        fixed=None, wfr=None, kver=(2, 2), trailer=0, binary_end=None):
    tl = b""
    if main:
        tl += tlv(1, struct.pack("<III", init, trailer, ram))
    else:
        tl += tlv(9, struct.pack("<IIIII", init, trailer, ram,
                                 binary_end or total, 1))
    if name:
        tl += tlv(3, name)
    if fixed:
        tl += tlv(5, struct.pack("<II", *fixed))
    if wfr:
        tl += tlv(2, struct.pack("<II", *wfr))
    tl += tlv(8, struct.pack("<HH", *kver))
    hsize = 16 + len(tl)
    hdr = struct.pack("<HHIII", 2, hsize, total, flags, 0) + tl
    words = struct.unpack("<%dI" % (hsize // 4), hdr)
    ck = 0
    for w in words:
        ck ^= w
    hdr = hdr[:12] + struct.pack("<I", ck) + hdr[16:]
    return hdr + b"\x13\x00\x00\x00" * ((total - hsize) // 4)


def padding(total=256):
    return struct.pack("<HHIII", 2, 16, total, 0, 2 ^ (16 << 16) ^ total) + \
        b"\0" * (total - 16)


SEEDS = {
    "one": app(),
    "two": app(name=b"a") + app(total=2048, ram=4096, name=b"b"),
    "three_padding": app() + padding() + app(ram=512) + app(main=True),
    "disabled": app(flags=0) + app(),
    "wfr": app(total=2048, trailer=0, wfr=(1024, 512)),
    "fixed": app(fixed=(0xFFFFFFFF, 0xFFFFFFFF)) + app(fixed=(0, 0x80100080)),
    "protected": app(trailer=64, init=64, binary_end=768),
    "bigram": app(ram=0xFFFFFFF0) + app(ram=60000) + app(),
    "oldkernel": app(kver=(1, 0)) + app(kver=(2, 9)) + app(),
    "erased": app() + b"\xff" * 64,
}

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tbf")
os.makedirs(here, exist_ok=True)
for name, img in SEEDS.items():
    for g in (0, 1):
        with open(os.path.join(here, "%s_g%d" % (name, g)), "wb") as f:
            f.write(bytes([g]) + img)
