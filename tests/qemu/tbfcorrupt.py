#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Corrupt one TBF object inside an apps image (QEMU tests only).

    tbfcorrupt.py --offset N --how HOW IN.bin OUT.bin

Copies IN to OUT with the TBF object that starts N bytes into the image
damaged one way (doc/abi.md §9.2, §9.5); what the kernel's walk must
then do is in brackets:

  checksum     flip one bit of the last header word, checksum left stale
               [skip the object: "bad checksum", keep walking]
  header_size  header_size = total_size + 4
               [skip it by total_size: "bad header size", keep walking]
  disabled     clear flag bit 0 (enabled), checksum fixed up
               [skip it: "disabled", keep walking]
  total_huge   total_size = 0x7ffffff0, past the end of app flash
               [stop the walk: "runs past end of flash"]
  total_zero   total_size = 0, which could never advance
               [stop the walk: "total size too small"]

Only tests/qemu/meson.build uses this: tools/tbfpack refuses to build a
broken TBF, so the damage is done to the finished image.
"""

import argparse
import struct
import sys

# base header: version u16, header_size u16, total_size u32, flags u32,
# checksum u32 (doc/abi.md §9.2)
BASE = struct.Struct("<HHIII")


def checksum(hdr):
    """XOR of the header's 32-bit words, the checksum word excluded."""
    s = 0
    for off in range(0, len(hdr) - len(hdr) % 4, 4):
        if off != 12:
            s ^= struct.unpack_from("<I", hdr, off)[0]
    return s


def corrupt(img, off, how):
    version, hsize, total, flags, csum = BASE.unpack_from(img, off)
    if version != 2 or hsize < BASE.size or off + hsize > len(img):
        raise ValueError(f"no TBF v2 header at offset {off:#x}")
    if checksum(img[off:off + hsize]) != csum:
        raise ValueError(f"the TBF at offset {off:#x} is already corrupt")
    if how == "checksum":
        last = off + (hsize & ~3) - 4
        img[last] ^= 0x01
        if last == off + 12:
            raise ValueError("header too short to corrupt beside the checksum")
        return
    if how == "header_size":
        if total + 4 > 0xffff:
            raise ValueError("total_size too large for a u16 header_size")
        hsize = total + 4
    elif how == "disabled":
        flags &= ~1
    elif how == "total_huge":
        total = 0x7ffffff0
    elif how == "total_zero":
        total = 0
    else:
        raise ValueError(f"unknown corruption '{how}'")
    orig_hsize = BASE.unpack_from(img, off)[1]
    BASE.pack_into(img, off, version, hsize, total, flags, csum)
    # checksum over the header as it was laid out (for header_size the walk
    # gives up before it would look at the checksum)
    csum = checksum(bytes(img[off:off + orig_hsize]))
    struct.pack_into("<I", img, off + 12, csum)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--offset", required=True, type=lambda s: int(s, 0))
    ap.add_argument("--how", required=True,
                    choices=["checksum", "header_size", "disabled",
                             "total_huge", "total_zero"])
    ap.add_argument("input")
    ap.add_argument("output")
    args = ap.parse_args(argv)
    with open(args.input, "rb") as f:
        img = bytearray(f.read())
    try:
        corrupt(img, args.offset, args.how)
    except (ValueError, struct.error) as e:
        print(f"tbfcorrupt: {args.input}: {e}", file=sys.stderr)
        return 1
    with open(args.output, "wb") as f:
        f.write(img)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
