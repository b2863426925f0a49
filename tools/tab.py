#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""libtock-c .tab files: pick the TBF a board can run, or write a .tab.

A .tab (what elf2tab writes, what libtock-c's build hands around) is a tar
holding `metadata.toml` and one TBF per build: `<arch>.tbf` for a
position-independent build, `<arch>.<flash>.<ram>.tbf` for one linked at
fixed addresses (flash: the first byte of the app's binary, the TBF's
start + its header; ram: its RAM block), e.g.
`rv32imac.0x80100080.0x80300000.tbf`.

    tab.py pick X.tab --arch rv32imac --slots SLOTS.json [--taken A,B]
                      --out X.tbf
    tab.py pack --name N --out X.tab ARCH[.FLASH.RAM]=A.tbf ...
    tab.py list X.tab

`pick` takes the TBF built for the board's architecture (or a subset
of it: rv32imc code runs on rv32imac) whose fixed
addresses are those of a free slot (SLOTS.json: {"A": {"flash": .., "ram":
.., "flash_size": ..}, ...}, as user/meson.build writes it), says on
stderr which one it took and why each other one was skipped, and prints
the slot taken on stdout.  `pack` writes a .tab with a metadata.toml as
elf2tab writes it.  A tar is only read, never extracted: member names are
never used as paths, so `../x` or `/etc/x` names are harmless (they are
refused), and a member is read only when its size is sane.

Python 3 standard library only.  Exit status 0, or 1 with the reason.
"""

import argparse
import io
import json
import os
import re
import sys
import tarfile
import time

MAX_TBF = 16 << 20  # bytes: no app flash anywhere is bigger
MAX_META = 64 << 10
TBF_NAME = re.compile(r"^([a-z0-9_-]+)(?:\.(0x[0-9a-fA-F]+)\.(0x[0-9a-fA-F]+))?"
                      r"\.tbf$")


class Error(Exception):
    """A problem with the input; reported in one line."""


def members(path):
    """[(name, arch, flash or None, ram or None, TarInfo)] of the TBFs in
    the .tab, after refusing anything odd about the tar itself."""
    try:
        tar = tarfile.open(path, "r:*")
    except (OSError, tarfile.TarError) as e:
        raise Error(f"{path}: not a .tab (tar) file: {e}") from None
    with tar:
        try:
            return check_members(path, tar.getmembers())
        except (OSError, EOFError, tarfile.TarError) as e:
            raise Error(f"{path}: damaged tar: {e}") from None


def check_members(path, infos):
    """members() for the TarInfo list of an opened tar."""
    out, meta = [], False
    for m in infos:
        name = m.name
        if name.startswith("./"):
            name = name[2:]
        if "/" in name or name in ("", ".", "..") or "\\" in name:
            raise Error(f"{path}: member name '{m.name}' is not a plain "
                        "file name; refusing the file")
        if not m.isfile():
            raise Error(f"{path}: member '{m.name}' is not a regular "
                        "file; refusing the file")
        if name == "metadata.toml":
            meta = True
            if m.size > MAX_META:
                raise Error(f"{path}: metadata.toml is {m.size} bytes")
            continue
        t = TBF_NAME.match(name)
        if not t:
            continue  # elf2tab may add other files; not ours to judge
        if m.size > MAX_TBF:
            raise Error(f"{path}: {name} is {m.size} bytes, more than "
                        f"any app flash ({MAX_TBF})")
        flash = int(t.group(2), 16) if t.group(2) else None
        ram = int(t.group(3), 16) if t.group(3) else None
        out.append((name, t.group(1), flash, ram, m))
    if not meta:
        raise Error(f"{path}: no metadata.toml; not a .tab")
    if not out:
        raise Error(f"{path}: holds no <arch>[.<flash>.<ram>].tbf")
    return out


def read_member(path, info):
    with tarfile.open(path, "r:*") as tar:
        f = tar.extractfile(info)
        data = f.read(MAX_TBF + 1) if f else b""
    if len(data) != info.size:
        raise Error(f"{path}: {info.name} is cut short")
    return data


def tbf_total_size(data):
    """The TBF header's total_size (bytes 4..8), or None."""
    if len(data) < 16:
        return None
    return int.from_bytes(data[4:8], "little")


def runs_on(build, board):
    """Does code built for ISA string build run on board?  Same base
    (rv32i/rv64i) and no extension the board lacks: rv32imc code runs on
    an rv32imac hart."""
    b = re.fullmatch(r"(rv32|rv64)i([a-z]*)", build)
    h = re.fullmatch(r"(rv32|rv64)i([a-z]*)", board)
    if not b or not h:
        return build == board
    return b.group(1) == h.group(1) and set(b.group(2)) <= set(h.group(2))


def judge(path, arch, slots, free, name, a, flash, ram, info):
    """(slot, TBF bytes) if this member fits a free slot, else (None,
    the reason it does not)."""
    if not runs_on(a, arch):
        return None, f"built for {a}, the board is {arch}"
    data = read_member(path, info)
    size = tbf_total_size(data)
    if size is None or size != len(data):
        return None, (f"not a TBF (its header says {size} bytes, the file "
                      f"has {len(data)})")
    if flash is None:
        if not free:
            return None, "position-independent, but no slot is free"
        return free[0], data
    fits = [s for s in slots
            if slots[s]["flash"] == flash and slots[s]["ram"] == ram]
    if not fits:
        return None, (f"flash {flash:#x} RAM {ram:#x} is no slot of this "
                      "board")
    s = fits[0]
    if s not in free:
        return None, f"slot {s} (flash {flash:#x}, RAM {ram:#x}) is taken"
    if size > slots[s].get("flash_size", size):
        return None, f"{size} bytes, slot {s} holds {slots[s]['flash_size']}"
    return s, data


def pick(path, arch, slots, taken=()):
    """(slot name, member name, TBF bytes, [why each other member was not
    taken]): the first member, in tar order, that fits a free slot."""
    free = [s for s in sorted(slots) if s not in taken]
    chosen, others = None, []
    for name, a, flash, ram, info in members(path):
        slot, what = judge(path, arch, slots, free, name, a, flash, ram,
                           info)
        if slot is not None and chosen is None:
            chosen = (slot, name, what)
        elif slot is not None:
            others.append(f"{name}: fits slot {slot} too; the first that "
                          "fits is taken")
        else:
            others.append(f"{name}: {what}")
    if chosen is None:
        lines = "\n  ".join(others)
        raise Error(f"{path}: no TBF fits a free slot of this board ({arch}; "
                    "free slots: " + (", ".join(
                        f"{s} flash {slots[s]['flash']:#x} RAM "
                        f"{slots[s]['ram']:#x}" for s in free) or "none") +
                    f"):\n  {lines}")
    return chosen[0], chosen[1], chosen[2], others


def metadata(name, kernel_version=None, boards=None):
    """metadata.toml as elf2tab writes it."""
    lines = ["tab-version = 1", f'name = "{name}"']
    if kernel_version:
        lines.append(f'minimum-tock-kernel-version = "{kernel_version}"')
    if boards:
        lines.append(f'only-for-boards = "{boards}"')
    lines.append("build-date = " + time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                 time.gmtime()))
    return ("\n".join(lines) + "\n").encode()


def pack(out, name, entries):
    """Write out: metadata.toml, then each (member name, TBF path)."""
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
        raise Error(f"app name '{name}' must be letters, digits, _ . -")
    with tarfile.open(out, "w", format=tarfile.USTAR_FORMAT) as tar:
        for member, data in [("metadata.toml", metadata(name))] + [
                (m, open(p, "rb").read()) for m, p in entries]:
            info = tarfile.TarInfo(member)
            info.size = len(data)
            info.mtime = int(time.time())
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))


def main(argv):
    ap = argparse.ArgumentParser(prog="tab.py", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="verb", required=True)
    p = sub.add_parser("pick")
    p.add_argument("tab")
    p.add_argument("--arch", required=True)
    p.add_argument("--slots", required=True, help="slots JSON file")
    p.add_argument("--taken", default="", help="slots already used, A,B")
    p.add_argument("--out", required=True)
    k = sub.add_parser("pack")
    k.add_argument("--name", required=True)
    k.add_argument("--out", required=True)
    k.add_argument("tbfs", nargs="+", metavar="ARCH[.FLASH.RAM]=X.tbf")
    ls = sub.add_parser("list")
    ls.add_argument("tab")
    args = ap.parse_args(argv)
    try:
        if args.verb == "pick":
            with open(args.slots) as f:
                slots = json.load(f)
            taken = [t for t in args.taken.split(",") if t]
            slot, name, data, skipped = pick(args.tab, args.arch, slots,
                                             taken)
            for why in skipped:
                print(f"tab: skipped {why}", file=sys.stderr)
            print(f"tab: {os.path.basename(args.tab)}: took {name} for "
                  f"slot {slot}", file=sys.stderr)
            with open(args.out, "wb") as f:
                f.write(data)
            print(slot)
        elif args.verb == "pack":
            entries = []
            for e in args.tbfs:
                member, sep, path = e.partition("=")
                if not sep or not TBF_NAME.match(member + ".tbf"):
                    raise Error(f"'{e}': want ARCH[.0xFLASH.0xRAM]=X.tbf")
                entries.append((member + ".tbf", path))
            pack(args.out, args.name, entries)
        else:
            for name, _, _, _, info in members(args.tab):
                print(f"{name} {info.size}")
    except (Error, OSError) as e:
        print(f"tab: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
