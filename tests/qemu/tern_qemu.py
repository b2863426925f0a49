#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Boot Tern under QEMU: the board-specific verbs of ./tern, and the helpers
tests/qemu/run shares.

    tern_qemu.py run   --board B --build DIR [--dry-run] [--app=X.tbf ...]
    tern_qemu.py debug --board B --build DIR [--dry-run] [--app=X.tbf ...]
    tern_qemu.py flash --board B --build DIR [--dry-run]

`run` boots the kernel DIR/platform/tern-B.elf with an apps image: the TBFs
given with --app (laid out by DIR/tools/tbfpack at their flash addresses,
or simply concatenated when tbfpack is not built, into DIR/run-apps.bin),
else DIR/user/apps.bin, else none.  `debug` does the same with the CPU halted and a gdb stub on
tcp::1234.  `flash` is for the HiFive1 board only.

Where the facts come from, so nothing is written twice: the QEMU command
line is the `qemu` property of platform/boards/B/cross.ini; the address
the apps image goes to is the kernel's `_app_flash_start` symbol, which
linker/B.ld defines.  Python 3 standard library only.
"""

import argparse
import ast
import configparser
import os
import shutil
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GDB_PORT = 1234


class Error(Exception):
    """A problem the user can fix; reported without a traceback."""


def cross_file(board):
    path = os.path.join(TOP, "platform", "boards", board, "cross.ini")
    if not os.path.isfile(path):
        raise Error(f"board '{board}' has no {os.path.relpath(path, TOP)}")
    return path


def cross_value(board, section, key):
    """A literal value from the board's meson cross file."""
    cp = configparser.ConfigParser(interpolation=None)
    cp.read(cross_file(board))
    try:
        return ast.literal_eval(cp.get(section, key))
    except (configparser.Error, ValueError, SyntaxError) as e:
        raise Error(f"{cross_file(board)}: [{section}] {key}: {e}") from None


def qemu_cmd(board):
    """The board's QEMU command line (a list), from the cross file."""
    cmd = cross_value(board, "properties", "qemu")
    if not isinstance(cmd, list) or not all(isinstance(a, str) for a in cmd):
        raise Error(f"{cross_file(board)}: qemu must be a list of strings")
    return cmd


def tool(board, name):
    """The cross binutils tool `name` (nm, size, ...) for the board."""
    cc = cross_value(board, "binaries", "c")
    prefix = cc[:-3] if cc.endswith("gcc") else ""
    return prefix + name


def elf_symbols(board, elf, names):
    """Values of the given global symbols of elf, as a dict."""
    nm = tool(board, "nm")
    try:
        out = subprocess.run([nm, elf], check=True, capture_output=True,
                             text=True).stdout
    except FileNotFoundError:
        raise Error(f"{nm} not found (install gcc-riscv64-unknown-elf)") from None
    except subprocess.CalledProcessError as e:
        raise Error(f"{nm} {elf}: {e.stderr.strip()}") from None
    found = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] in names:
            found[parts[2]] = int(parts[0], 16)
    missing = [n for n in names if n not in found]
    if missing:
        raise Error(f"{elf} lacks symbol(s) {', '.join(missing)}")
    return found


def app_flash(board, kernel):
    """(start, end) of the app flash region the kernel scans."""
    s = elf_symbols(board, kernel, ["_app_flash_start", "_app_flash_end"])
    return s["_app_flash_start"], s["_app_flash_end"]


def boot_cmd(board, kernel, apps=None, extra=()):
    """The full QEMU command booting kernel with the apps image (or none)."""
    cmd = qemu_cmd(board) + ["-kernel", kernel]
    if apps:
        start, end = app_flash(board, kernel)
        size = os.path.getsize(apps)
        if size > end - start:
            raise Error(f"{apps}: {size} bytes do not fit the "
                        f"{end - start}-byte app flash")
        cmd += ["-device", f"loader,file={apps},addr={start:#x},force-raw=on"]
    return cmd + list(extra)


def kernel_path(board, build):
    path = os.path.join(build, "platform", f"tern-{board}.elf")
    if not os.path.isfile(path):
        raise Error(f"{path} is not built (ninja -C {build})")
    return path


def make_image(board, build, kernel, tbfs):
    """Put the given TBFs into one apps image, DIR/run-apps.bin (kept, so
    that a --dry-run command line stays usable); returns its path."""
    for t in tbfs:
        if not os.path.isfile(t):
            raise Error(f"{t}: no such file")
    out = os.path.join(build, "run-apps.bin")
    packer = os.path.join(build, "tools", "tbfpack")
    if os.access(packer, os.X_OK):
        start, end = app_flash(board, kernel)
        r = subprocess.run([packer, "image", "--base", hex(start), "--size",
                            str(end - start), "--out", out] + list(tbfs))
        if r.returncode != 0:
            raise Error("tbfpack could not lay out the apps image")
    else:
        with open(out, "wb") as f:
            for t in tbfs:
                with open(t, "rb") as src:
                    shutil.copyfileobj(src, f)
    return out


def default_apps(build):
    path = os.path.join(build, "user", "apps.bin")
    return path if os.path.isfile(path) else None


def boot(args, extra, banner):
    kernel = kernel_path(args.board, args.build)
    if args.app:
        apps = make_image(args.board, args.build, kernel, args.app)
    else:
        apps = default_apps(args.build)
        if apps is None:
            print(f"tern: no {args.build}/user/apps.bin; booting without "
                  "apps", file=sys.stderr)
    cmd = boot_cmd(args.board, kernel, apps, extra)
    if args.dry_run:
        print(" ".join(cmd))
        return 0
    print(banner, file=sys.stderr)
    try:
        return subprocess.run(cmd).returncode
    except FileNotFoundError:
        raise Error(f"{cmd[0]} not found (install qemu-system-misc)") from None
    except KeyboardInterrupt:
        return 130


def cmd_run(args):
    return boot(args, [], "tern: QEMU console; Ctrl-C quits")


def cmd_debug(args):
    kernel = kernel_path(args.board, args.build)
    gdb = shutil.which("gdb-multiarch") or tool(args.board, "gdb")
    banner = (f"tern: CPU halted, gdb stub on tcp::{GDB_PORT}; attach with\n"
              f"  {gdb} {kernel} -ex 'target remote :{GDB_PORT}'\n"
              "Ctrl-C here quits QEMU")
    return boot(args, ["-S", "-gdb", f"tcp::{GDB_PORT}"], banner)


def cmd_flash(args):
    raise Error(f"flash is for the hifive1 board only, not '{args.board}'"
                if args.board != "hifive1" else
                "flash for hifive1 is not written yet")


def main(argv):
    ap = argparse.ArgumentParser(prog="tern_qemu.py", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("verb", choices=["run", "debug", "flash"])
    ap.add_argument("--board", required=True)
    ap.add_argument("--build", required=True, help="meson build folder")
    ap.add_argument("--dry-run", action="store_true",
                    help="print the QEMU command instead of running it")
    ap.add_argument("--app", action="append", default=[], metavar="X.tbf",
                    help="boot these TBFs instead of the build's apps image")
    args = ap.parse_args(argv)
    try:
        return {"run": cmd_run, "debug": cmd_debug, "flash": cmd_flash}[args.verb](args)
    except Error as e:
        print(f"tern: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
