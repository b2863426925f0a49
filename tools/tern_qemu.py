#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Boot Tern under QEMU: the board-specific verbs of ./tern, and the helpers
tests/qemu/run shares.

    tern_qemu.py run   --board B --build DIR [--dry-run] [--app=X.tbf ...]
    tern_qemu.py debug --board B --build DIR [--dry-run] [--app=X.tbf ...]
    tern_qemu.py flash --board B --build DIR [--dry-run] [--app=X.tbf ...]
    tern_qemu.py bench --board B --build DIR [--dry-run] [--markdown]

`run` boots the kernel DIR/platform/tern-B.elf with an apps image: the TBFs
given with --app (laid out by DIR/tools/tbfpack at their flash addresses,
or simply concatenated when tbfpack is not built, into DIR/run-apps.bin),
else DIR/user/apps.bin, else none.  `debug` does the same with the CPU halted and a gdb stub on
tcp::1234.  `flash` writes the kernel (DIR/platform/tern-B.hex) and the
apps (the --app TBFs, else DIR/user/apps.hex) to a board connected over
JTAG, with OpenOCD and the cross file's openocd_cfg, then resets it; only
boards with that property (hifive1) can be flashed.  `bench` builds the
benchmark images (tests/bench/) in a sibling build folder bench-B set up
with -Dmax_procs=8 (or the cross file's bench_max_procs), boots each under
-icount shift=0 and prints the instruction-count table in Markdown; with
--markdown it also writes that table into doc/perf.md, replacing the
board's section there (the text around the sections is kept).

Where the facts come from, so nothing is written twice: the QEMU command
line is the `qemu` property of platform/boards/B/cross.ini; the address
the apps image goes to is the kernel's `_app_flash_start` symbol, which
linker/B.ld defines.  Python 3 standard library only.
"""

import argparse
import ast
import configparser
import json
import os
import re
import shlex
import shutil
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GDB_PORT = 1234
sys.path.insert(0, os.path.join(TOP, "tools"))
import tab  # noqa: E402  (tools/tab.py: libtock-c .tab files)


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
        raw = cp.get(section, key).strip()
        # meson's booleans are lower case
        if raw in ("true", "false"):
            return raw == "true"
        return ast.literal_eval(raw)
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


def cross_property(board, key, default=None):
    """A property of the board's cross file, or default when absent."""
    cp = configparser.ConfigParser(interpolation=None)
    cp.read(cross_file(board))
    if not cp.has_option("properties", key):
        return default
    return cross_value(board, "properties", key)


def ihex_of(board, image, base):
    """image (raw bytes for address base) as Intel HEX, in image.hex beside
    it (rewritten when older than image); returns its path."""
    out = image + ".hex"
    if (os.path.isfile(out) and
            os.path.getmtime(out) >= os.path.getmtime(image)):
        return out
    tmp = f"{out}.{os.getpid()}.tmp"
    try:
        subprocess.run([tool(board, "objcopy"), "-I", "binary", "-O",
                        "ihex", f"--change-addresses={base:#x}", image, tmp],
                       check=True, capture_output=True, text=True)
    except FileNotFoundError:
        raise Error(f"{tool(board, 'objcopy')} not found") from None
    except subprocess.CalledProcessError as e:
        raise Error(f"objcopy {image}: {e.stderr.strip()}") from None
    os.replace(tmp, out)  # atomic: parallel tests may share an image
    return out


def boot_cmd(board, kernel, apps=None, extra=()):
    """The full QEMU command booting kernel with the apps image (or none)."""
    cmd = qemu_cmd(board) + ["-kernel", kernel]
    if apps:
        start, end = app_flash(board, kernel)
        size = os.path.getsize(apps)
        if size > end - start:
            raise Error(f"{apps}: {size} bytes do not fit the "
                        f"{end - start}-byte app flash")
        if cross_property(board, "qemu_apps_format") == "ihex":
            # QEMU's loader caps a raw file at the machine's RAM size (16
            # KiB on sifive_e); an Intel HEX file carries its addresses
            # and has no such cap
            cmd += ["-device", f"loader,file={ihex_of(board, apps, start)}"]
        else:
            cmd += ["-device",
                    f"loader,file={apps},addr={start:#x},force-raw=on"]
    return cmd + list(extra)


def kernel_path(board, build):
    path = os.path.join(build, "platform", f"tern-{board}.elf")
    if not os.path.isfile(path):
        raise Error(f"{path} is not built (ninja -C {build})")
    return path


def board_slots(build):
    """The board's app slots, as user/meson.build wrote them."""
    path = os.path.join(build, "user", "slots.json")
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise Error(f"{path}: {e} (ninja -C {build})") from None


def step(what):
    """One line per long step, so nobody wonders what is going on."""
    print(f"tern: {what}", file=sys.stderr, flush=True)


def resolve_tabs(board, build, apps):
    """The app files with every .tab replaced by the TBF picked from it for
    a free slot of the board (written beside the build, DIR/run-*.tbf)."""
    arch = cross_value(board, "host_machine", "cpu")
    slots, taken, out = None, [], []
    for a in apps:
        if not os.path.isfile(a):
            raise Error(f"{a}: no such file")
        if not a.endswith(".tab"):
            out.append(a)
            continue
        slots = slots or board_slots(build)
        try:
            slot, name, data, skipped = tab.pick(a, arch, slots, taken)
        except tab.Error as e:
            raise Error(str(e)) from None
        step(f"{os.path.basename(a)}: took {name} for slot {slot} ({arch})")
        for why in skipped:
            step(f"  skipped {why}")
        taken.append(slot)
        path = os.path.join(build, f"run-{len(out)}-"
                            f"{os.path.basename(a)[:-4]}.tbf")
        with open(path, "wb") as f:
            f.write(data)
        out.append(path)
    return out


def describe_image(board, build, kernel, image):
    """One line per app of the image: name, slot, flash and RAM."""
    packer = os.path.join(build, "tools", "tbfpack")
    if not image or not os.access(packer, os.X_OK):
        return
    start, _ = app_flash(board, kernel)
    r = subprocess.run([packer, "info", image, "--base", hex(start)],
                       capture_output=True, text=True)
    try:
        slots = board_slots(build)
    except Error:
        slots = {}
    by_flash = {v["flash"]: k for k, v in slots.items()}
    name = None
    for line in r.stdout.splitlines():
        m = re.search(r"name '([^']*)'", line)
        if m:
            name = m.group(1)
        m = re.search(r"fixed flash (0x[0-9a-f]+) ram (0x[0-9a-f]+)", line)
        if m and name is not None:
            flash, ram = int(m.group(1), 16), int(m.group(2), 16)
            slot = by_flash.get(flash, "?")
            print(f"tern: app '{name}': slot {slot}, flash {flash:#x}, "
                  f"RAM {ram:#x}", file=sys.stderr)
            name = None


def process_console(build):
    try:
        with open(os.path.join(build, "tern_config.h")) as f:
            return "CONFIG_PROCESS_CONSOLE 1" in f.read()
    except OSError:
        return False


def make_image(board, build, kernel, tbfs):
    """Put the given TBFs (or .tab files: see resolve_tabs()) into one apps
    image, DIR/run-apps.bin (kept, so that a --dry-run command line stays
    usable); returns its path."""
    tbfs = resolve_tabs(board, build, tbfs)
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
    describe_image(args.board, args.build, kernel, apps)
    print(banner, file=sys.stderr)
    try:
        return subprocess.run(cmd).returncode
    except FileNotFoundError:
        raise Error(f"{cmd[0]} not found (install qemu-system-misc)") from None
    except KeyboardInterrupt:
        return 130


def cmd_run(args):
    banner = "tern: QEMU console; Ctrl-C quits"
    if process_console(args.build):
        banner += ("\ntern: Ctrl-T switches the input to the process console "
                   "(tern$ prompt; help lists its commands) and back")
    return boot(args, [], banner)


def cmd_debug(args):
    kernel = kernel_path(args.board, args.build)
    bits = 64 if "64" in cross_value(args.board, "host_machine", "cpu") else 32
    banner = (f"tern: CPU halted, gdb stub on tcp::{GDB_PORT}; in another "
              "terminal attach with\n"
              f"  gdb-multiarch {shlex.quote(os.path.abspath(kernel))} "
              f"-ex 'set architecture riscv:rv{bits}' "
              f"-ex 'target remote :{GDB_PORT}'\n"
              "tern: Ctrl-C here quits QEMU")
    return boot(args, ["-S", "-gdb", f"tcp::{GDB_PORT}"], banner)


def ihex_span(path):
    """(lowest, highest + 1) address of the data records of an Intel HEX
    file, or None when it holds none.  Checksums are verified: a damaged
    file is refused rather than half written."""
    lo = hi = None
    base = 0
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                if line[0] != ":":
                    raise ValueError("no ':'")
                rec = bytes.fromhex(line[1:])
                if len(rec) < 5 or len(rec) != 5 + rec[0] or sum(rec) & 0xFF:
                    raise ValueError("bad length or checksum")
            except ValueError as e:
                raise Error(f"{path}:{n}: not Intel HEX ({e})") from None
            kind, addr = rec[3], rec[1] << 8 | rec[2]
            if kind == 0 and rec[0]:
                a = base + addr
                lo = a if lo is None else min(lo, a)
                hi = a + rec[0] if hi is None else max(hi, a + rec[0])
            elif kind == 2:
                base = (rec[4] << 8 | rec[5]) << 4
            elif kind == 4:
                base = (rec[4] << 8 | rec[5]) << 16
    return None if lo is None else (lo, hi)


def check_hex_within(path, what, start, end):
    """Refuse to write a file that reaches outside [start, end): on the
    HiFive1 that is what keeps SiFive's boot loader (below the kernel)
    intact whatever a build produced."""
    span = ihex_span(path)
    if span is None:
        raise Error(f"{path}: no data to write")
    if span[0] < start or span[1] > end:
        raise Error(f"{path}: {what} spans {span[0]:#x}..{span[1]:#x}, "
                    f"outside {start:#x}..{end:#x}; not flashing")


def flash_cmd(board, kernel_hex, apps_hex):
    """The OpenOCD command line writing both images, then resetting the
    board so that its boot loader starts the new kernel."""
    cfg = cross_property(board, "openocd_cfg")
    cmd = ["openocd", "-f", cfg, "-c", f"program {{{kernel_hex}}} verify"]
    if apps_hex:
        cmd += ["-c", f"program {{{apps_hex}}} verify"]
    return cmd + ["-c", "reset run", "-c", "shutdown"]


def cmd_flash(args):
    board = args.board
    if not cross_property(board, "openocd_cfg"):
        raise Error(f"'{board}' is not a board to flash (its cross file has "
                    "no openocd_cfg); try --board hifive1")
    kernel = kernel_path(board, args.build)
    kernel_hex = os.path.splitext(kernel)[0] + ".hex"
    if not os.path.isfile(kernel_hex):
        raise Error(f"{kernel_hex} is not built (ninja -C {args.build})")
    sym = elf_symbols(board, kernel,
                      ["_start", "_app_flash_start", "_app_flash_end"])
    start, end = sym["_app_flash_start"], sym["_app_flash_end"]
    if args.app:
        apps = make_image(board, args.build, kernel, args.app)
        apps_hex = ihex_of(board, apps, start)
    else:
        apps_hex = os.path.join(args.build, "user", "apps.hex")
        if not os.path.isfile(apps_hex):
            print(f"tern: no {apps_hex}; flashing the kernel only",
                  file=sys.stderr)
            apps_hex = None
    # the kernel goes from its entry up to the app region, the apps into it
    check_hex_within(kernel_hex, "the kernel", sym["_start"], start)
    if apps_hex:
        check_hex_within(apps_hex, "the apps image", start, end)
    cmd = flash_cmd(board, os.path.abspath(kernel_hex),
                    apps_hex and os.path.abspath(apps_hex))
    if args.dry_run:
        print(" ".join(shlex.quote(a) for a in cmd))
        return 0
    if shutil.which(cmd[0]) is None:
        raise Error("openocd not found (apt-get install openocd)")
    print(f"tern: writing {kernel_hex}" +
          (f" and {apps_hex} ({start:#x})" if apps_hex else "") +
          " with OpenOCD", file=sys.stderr)
    return subprocess.run(cmd).returncode


# ---- bench ----

# Per-byte target of the 1 KiB copies: 8-byte words on rv64.
COPY_PER_BYTE = {"qemu-virt-rv64": 1.0, None: 1.5}

# (key, label, target): the rows of the table, in order; a target may be a
# dict by board (None: every other board).  Keys are what
# tests/bench/main.c reports; "mut_enter_validation" is derived.
BENCH_ROWS = [
    ("yield_no_wait", "null syscall round trip: Yield-NoWait, nothing queued", 90),
    ("null_command", "null Command round trip (the driver answers Success at once)", 90),
    ("switch", "yield-switch to another process, incl. the PMP load", 200),
    ("allow_rw_swap", "read-write allow swap (round trip)", 120),
    ("command_mut_enter_copy64", "Command whose driver validates and copies 64 bytes into a process buffer", 200),
    ("copy_in_64", "Command copying 64 B into a process buffer", None),
    ("copy_out_64", "Command copying 64 B out of a process buffer", None),
    ("copy_in_1k", "Command copying 1 KiB in", None),
    ("copy_out_1k", "Command copying 1 KiB out", None),
    ("copy_in_4k", "Command copying 4 KiB in", None),
    ("copy_out_4k", "Command copying 4 KiB out", None),
    ("copy_in_1k_per_byte", "1 KiB copy in, per byte (whole Command / 1024)", COPY_PER_BYTE),
    ("copy_out_1k_per_byte", "1 KiB copy out, per byte (whole Command / 1024)", COPY_PER_BYTE),
    ("console_write_1k", "console write of 1 KiB: Command to the write-done upcall (last byte in the UART)", None),
    ("console_write_1k_per_byte", "console write of 1 KiB, per byte", None),
    ("mut_enter_validation", "mut_enter validation (kernel-timed)", 16),
    ("upcall", "upcall delivery: Yield-Wait with an upcall queued, to the upcall's first instruction", None),
    ("memop", "Memop round trip (memory start)", None),
    ("nodev_command", "Command to a driver that does not exist", None),
    ("ipc_round_trip", "IPC round trip: notify service, service's Yield-WaitFor, notify client, client's upcall (2 switches)", 700),
    ("ipc_round_trip_shared", "IPC round trip, the client sharing a buffer with the service (64 B; a page on rv64), exposed by the first", None),
    ("rng32", "RNG: 32 random bytes, Command + Yield-WaitFor (virtio device, interrupt, copy)", None),
    ("pmp_loads_same_process", "PMP loads while the same process continues", 0),
    ("pmp_loads_per_switch", "PMP loads per switch", None),
]
BENCH_CONFIGS = [("p1", "1 proc"), ("p2", "2 procs"), ("p4", "4 procs"),
                 ("p8", "8 procs"), ("p8-allow15", "8 procs, 15+ buffers allowed each")]


def run_tool(cmd, what):
    try:
        return subprocess.run(cmd, check=True, capture_output=True,
                              text=True).stdout
    except FileNotFoundError:
        raise Error(f"{cmd[0]} not found ({what})") from None
    except subprocess.CalledProcessError as e:
        raise Error(f"{' '.join(cmd)} failed:\n{e.stdout}{e.stderr}") from None


def bench_build(board, build):
    """Set up (once) and build the bench folder beside build; its path."""
    bdir = os.path.join(os.path.dirname(os.path.abspath(build)), f"bench-{board}")
    if not os.path.isfile(os.path.join(bdir, "build.ninja")):
        # boards too small for 8 processes name their most in the cross file
        procs = cross_property(board, "bench_max_procs", 8)
        run_tool(["meson", "setup", bdir, "--cross-file", cross_file(board),
                  f"-Dboard={board}", f"-Dmax_procs={procs}"], "meson")
    run_tool(["ninja", "-C", bdir, "bench"], "ninja")
    return bdir


def config_max_procs(build):
    """CONFIG_MAX_PROCS of a build folder (from its tern_config.h)."""
    with open(os.path.join(build, "tern_config.h")) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[1] == "CONFIG_MAX_PROCS":
                return int(parts[2])
    raise Error(f"{build}/tern_config.h has no CONFIG_MAX_PROCS")


def elf_size(board, elf):
    """(text, data, bss) of elf in bytes, as size(1) counts them."""
    out = run_tool([tool(board, "size"), elf], "binutils").splitlines()
    text, data, bss = (int(x) for x in out[1].split()[:3])
    return text, data, bss


def bench_boot(board, kernel, image, timeout=60):
    """Boot one bench image; the BENCH key/value lines it printed."""
    cmd = boot_cmd(board, kernel, image, ["-icount", "shift=0,sleep=off"])
    try:
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=timeout)
    except FileNotFoundError:
        raise Error(f"{cmd[0]} not found (install qemu-system-misc)") from None
    except subprocess.TimeoutExpired:
        raise Error(f"{image}: QEMU did not finish within {timeout} s") from None
    out = r.stdout.decode("utf-8", "replace")
    vals = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "BENCH":
            vals[parts[1]] = int(parts[2])
    if "BENCH done" not in out or "BENCH-ERROR" in out or "kpanic" in out:
        raise Error(f"{image}: the benchmark did not complete:\n{out}")
    for key, n in (("copy_in_1k", 1024), ("copy_out_1k", 1024),
                   ("console_write_1k", 1024)):
        if key in vals:
            vals[key + "_per_byte"] = round(vals[key] / n, 2)
    if "mut_enter" in vals and "mut_enter_unchecked" in vals:
        vals["mut_enter_validation"] = (vals["mut_enter"] -
                                        vals["mut_enter_unchecked"])
    return vals


def elf_symbol_size(board, elf, name):
    """Size in bytes of symbol `name` of elf (nm -S), or None."""
    nm = tool(board, "nm")
    try:
        out = subprocess.run([nm, "-S", elf], check=True,
                             capture_output=True, text=True).stdout
    except (FileNotFoundError, subprocess.CalledProcessError):
        return None
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[3] == name:
            return int(parts[1], 16)
    return None


# Page tables a process slot may own (platform/arch/riscv/sv39_hw.c keeps
# them in proc_l0[max_procs][...]); issue target: at most 8 KiB.
PAGE_TABLE_SYMBOL = "proc_l0"
PAGE_TABLE_TARGET = 8192


def bench_table(board, results, sizes, n, per_slot, tables=None):
    """The Markdown table (a list of lines).  The targets are checked only
    on boards whose cross file leaves bench_targets true (the default): a
    board built for size (hifive1) is measured, not held to them."""
    cols = [(c, label) for c, label in BENCH_CONFIGS if c in results]
    targets = cross_property(board, "bench_targets", True)
    out = [f"Board {board}, QEMU `-icount shift=0`: instructions retired "
           "(round trips count from the ecall through the kernel's return "
           "to U-mode).", ""]
    out.append("| | " + " | ".join(label for _, label in cols) + " | target |")
    out.append("|---|" + "---:|" * len(cols) + "---:|")
    for key, label, target in BENCH_ROWS:
        if isinstance(target, dict):
            target = target.get(board, target[None])
        cells = [str(results[c].get(key, "–")) for c, _ in cols]
        if target is None or not targets:
            tcell = ""
        else:
            worst = max((results[c][key] for c, _ in cols if key in results[c]),
                        default=None)
            mark = "" if worst is None else (
                " ✓" if worst <= target
                else f" ✗ (+{round(worst - target, 2)})")
            tcell = f"{'=' if target == 0 else '≤'} {target}{mark}"
        out.append(f"| {label} | " + " | ".join(cells) + f" | {tcell} |")
    text, data, bss = sizes
    out += ["", "| kernel | bytes | target |", "|---|---:|---:|",
            f"| text (code + read-only data) | {text} | |",
            f"| data | {data} | |",
            f"| bss (max_procs = {n}) | {bss} | |"]
    any_cfg = next(iter(results.values()))
    def verdict(v, limit):
        return " ✓" if v <= limit else f" ✗ (+{v - limit})"
    if per_slot is not None and tables is not None:
        # page-table boards: a fixed part plus the slot's own tables
        out.append(f"| kernel RAM per process slot (data + bss growth per "
                   f"slot) | {per_slot} | ≤ 256 + {PAGE_TABLE_TARGET}"
                   f"{verdict(per_slot, 256 + PAGE_TABLE_TARGET)} |")
        out.append(f"| of which page tables (the slot's own; the kernel's "
                   f"are shared) | {tables} | ≤ {PAGE_TABLE_TARGET}"
                   f"{verdict(tables, PAGE_TABLE_TARGET)} |")
    elif per_slot is not None:
        out.append(f"| kernel RAM per process slot (data + bss growth per "
                   f"slot) | {per_slot} | ≤ 256{verdict(per_slot, 256)} |")
    sp = any_cfg.get("sizeof_proc")
    out.append(f"| of which struct proc | {sp if sp is not None else '–'} | "
               f"{'≤ 256' + verdict(sp, 256) if sp is not None else ''} |")
    out.append("| kernel-owned bytes in each process's RAM block (grant "
               f"pointer table, upcall queue, protection state) | "
               f"{any_cfg.get('proc_ram_kernel_bytes', '–')} | |")
    return out


def cmd_bench(args):
    board = args.board
    kernel = kernel_path(board, args.build)
    bdir = bench_build(board, args.build)
    bkernel = os.path.join(bdir, "tests", "bench", f"tern-bench-{board}.elf")
    if args.dry_run:
        print(" ".join(boot_cmd(board, bkernel, "IMAGE", ["-icount", "shift=0,sleep=off"])))
        return 0
    results = {}
    for cfg, _ in BENCH_CONFIGS:
        image = os.path.join(bdir, "tests", "bench", f"bench-{cfg}.bin")
        if os.path.isfile(image):
            results[cfg] = bench_boot(board, bkernel, image)
    if not results:
        raise Error(f"no bench images in {bdir}/tests/bench")

    # Kernel RAM per slot: the growth of data + bss between two product
    # kernels that differ only in max_procs.
    sizes = elf_size(board, kernel)
    n = config_max_procs(args.build)
    n8 = config_max_procs(bdir)
    per_slot = None
    if n8 != n:
        s8 = elf_size(board, os.path.join(bdir, "platform", f"tern-{board}.elf"))
        per_slot = (s8[1] + s8[2] - sizes[1] - sizes[2]) // (n8 - n)
    tables = elf_symbol_size(board, kernel, PAGE_TABLE_SYMBOL)
    if tables is not None:
        tables //= n
    table = bench_table(board, results, sizes, n, per_slot, tables)
    print("\n".join(table))
    if args.markdown:
        perf_update(PERF_MD, board, table)
        print(f"tern: wrote the {board} section of "
              f"{os.path.relpath(PERF_MD, TOP)}", file=sys.stderr)
    return 0


# doc/perf.md holds one section per board between these two lines; the
# text outside them is written by hand and kept as it is.
PERF_MD = os.path.join(TOP, "doc", "perf.md")


def perf_marks(board):
    return (f"<!-- bench {board}: written by ./tern bench --markdown -->",
            f"<!-- end bench {board} -->")


def perf_update(path, board, table):
    """Replace board's section of the Markdown file path by table (a list
    of lines), or append the section when the file has none yet."""
    begin, end = perf_marks(board)
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        lines = ["# Performance", ""]
    section = [begin, ""] + table + ["", end]
    if begin in lines and end in lines[lines.index(begin):]:
        i = lines.index(begin)
        j = lines.index(end, i)
        lines[i:j + 1] = section
    else:
        lines += ["", f"## {board}", ""] + section
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, path)


def main(argv):
    ap = argparse.ArgumentParser(prog="tern_qemu.py", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("verb", choices=["run", "debug", "flash", "bench"])
    ap.add_argument("--board", required=True)
    ap.add_argument("--build", required=True, help="meson build folder")
    ap.add_argument("--dry-run", action="store_true",
                    help="print the QEMU command instead of running it")
    ap.add_argument("--markdown", action="store_true",
                    help="bench: also write the table into doc/perf.md")
    ap.add_argument("--app", action="append", default=[], metavar="X.tbf",
                    help="boot these TBFs (or libtock-c .tab files) instead "
                    "of the build's apps image")
    args = ap.parse_args(argv)
    try:
        return {"run": cmd_run, "debug": cmd_debug, "flash": cmd_flash,
                "bench": cmd_bench}[args.verb](args)
    except Error as e:
        print(f"tern: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
