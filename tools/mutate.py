#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Mutation testing for Tern: ./tern mutate [--list] [--keep] [ID ...].

Each mutant in tools/mutants.txt is one small change to one kernel file,
given as an exact snippet of the file (whole lines, compared without their
white space normalized) and its replacement lines, which take
the indentation of the lines they replace: a text match, not a line
number, so that the list survives other edits.  A snippet that no longer
occurs exactly once is reported as STALE and not counted.  The
mutants are applied one at a time to a scratch copy of the tree in
build/mutate/tree (the working tree is never touched), the suites the
mutant names are built and run there, and the mutant counts as killed when
any of them fails, crashes or times out.  Mutants marked `equivalent` change
no behaviour a test could see; they are listed with their reason and not
run.  The score is killed / (mutants run).

Suites (`suites =`, comma separated, run in the order given, stopping at
the first that fails):
  unit              every host unit test (ASan+UBSan build)
  unit:a+b          the unit tests named a and b only (tests/unit/test_a.c)
  fuzz:T            the libFuzzer target T on its corpus, then 20 s of
                    fuzzing from a fixed seed (clang build)
  qemu:BOARD        the QEMU suite of BOARD
  prove:FILE        ./tern prove FILE (Frama-C WP): a mutant of proved code
                    is killed when a goal no longer proves

The list format (tools/mutants.txt):
  [id]
  file = path/from/the/top
  suites = unit:allow+grant, fuzz:syscalls
  equivalent = why no test can tell   (optional: not run)
  - original line(s), each after "- "
  + replacement line(s), each after "+ " (none: the lines are deleted)
Lines starting with '#' between mutants are comments.
"""
import os
import re
import shutil
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
B = os.environ.get("TERN_BUILD", "build")
SCRATCH = os.path.join(TOP, B, "mutate", "tree")
TIMEOUT = 300  # per suite: a mutant may loop forever


def parse(path):
    mutants, cur = [], None
    for n, line in enumerate(open(path).read().split("\n"), 1):
        if line.startswith("[") and line.rstrip().endswith("]"):
            cur = {"id": line.strip()[1:-1], "old": [], "new": [],
                   "suites": ["unit"], "line": n}
            mutants.append(cur)
        elif cur is None or line.startswith("#") or not line.strip():
            continue
        elif line.startswith("- ") or line == "-":
            cur["old"].append(line[2:])
        elif line.startswith("+ ") or line == "+":
            cur["new"].append(line[2:])
        elif "=" in line:
            k, v = (x.strip() for x in line.split("=", 1))
            if k == "suites":
                cur["suites"] = [s.strip() for s in v.split(",") if s.strip()]
            else:
                cur[k] = v
        else:
            sys.exit("mutants.txt:%d: cannot read %r" % (n, line))
    for m in mutants:
        if "file" not in m or not m["old"]:
            sys.exit("mutants.txt:%d: [%s] needs file and '- ' lines"
                     % (m["line"], m["id"]))
    return mutants


def find(lines, old):
    """Start indexes where the stripped lines old[] occur in lines[]."""
    want = [" ".join(x.split()) for x in old]
    return [i for i in range(len(lines) - len(want) + 1)
            if all(" ".join(lines[i + k].split()) == w
                   for k, w in enumerate(want))]


def apply(text, m):
    """text with m applied, or None unless its snippet occurs once."""
    lines = text.split("\n")
    at = find(lines, m["old"])
    if len(at) != 1:
        return None, len(at)
    i, n = at[0], len(m["old"])
    new = []
    for j, x in enumerate(m["new"]):
        model = lines[i + min(j, n - 1)]
        new.append(model[:len(model) - len(model.lstrip())] + x.strip())
    return "\n".join(lines[:i] + new + lines[i + n:]), 1


def tree_files():
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"],
                         cwd=TOP, check=True, capture_output=True, text=True)
    return [f for f in out.stdout.split("\n") if f]


def sync_scratch():
    """Make build/mutate/tree a copy of the working tree; copy only files
    whose content changed, so that the scratch builds stay incremental."""
    for f in tree_files():
        src, dst = os.path.join(TOP, f), os.path.join(SCRATCH, f)
        if not os.path.isfile(src):
            continue
        data = open(src, "rb").read()
        if os.path.isfile(dst) and open(dst, "rb").read() == data:
            continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst)


def run(cmd, cwd=SCRATCH, timeout=TIMEOUT, env=None):
    """(ok, output) of cmd; a timeout is a failure."""
    e = dict(os.environ, UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1",
             **(env or {}))
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True,
                           timeout=timeout, env=e)
        return p.returncode == 0, p.stdout + p.stderr
    except subprocess.TimeoutExpired:
        return False, "timeout after %d s" % timeout


def setup(name, *args, env=None):
    d = os.path.join(SCRATCH, "build", name)
    if not os.path.isfile(os.path.join(d, "build.ninja")):
        ok, out = run(["meson", "setup", d] + list(args), env=env)
        if not ok:
            sys.exit("mutate: meson setup of %s failed:\n%s" % (name, out))
    return d


def unit_names():
    names = []
    for f in sorted(os.listdir(os.path.join(SCRATCH, "tests", "unit"))):
        if f.startswith("test_") and f.endswith(".c"):
            names.append(f[5:-2])
    # test_pmp_hw.c is built twice (tests/unit/meson.build)
    return [n for n in names if n != "pmp_hw"] + ["pmp_hw64", "pmp_hw32"]


def suite(s):
    """Run one suite in the scratch tree: (passed, what)."""
    kind, _, arg = s.partition(":")
    if kind == "unit":
        d = setup("host-san", "-Db_sanitize=address,undefined",
                  "-Db_lundef=false")
        names = arg.split("+") if arg else unit_names()
        exes = ["tests/unit/unit-" + n for n in names]
        ok, out = run(["ninja", "-C", d] + exes)
        if not ok:
            return False, "build failed"
        for n, exe in zip(names, exes):
            ok, out = run([os.path.join(d, exe)])
            if not ok:
                return False, "unit-" + n
        return True, ""
    if kind == "fuzz":
        d = setup("fuzz", "--buildtype=debugoptimized", env={"CC": "clang"})
        ok, out = run(["ninja", "-C", d, "tests/fuzz/fuzz-" + arg])
        if not ok:
            return False, "build failed"
        exe = os.path.join(d, "tests", "fuzz", "fuzz-" + arg)
        corpus = os.path.join(SCRATCH, "tests", "fuzz", arg)
        art = os.path.join(d, "mutate-crash-")
        ok, out = run([exe, "-runs=0", "-artifact_prefix=" + art, corpus])
        if ok:
            work = os.path.join(d, "mutate-corpus", arg)
            shutil.rmtree(work, ignore_errors=True)
            os.makedirs(work)
            ok, out = run([exe, "-seed=1", "-max_total_time=20",
                           "-artifact_prefix=" + art, work, corpus])
        return ok, "" if ok else "fuzz-" + arg
    if kind == "qemu":
        d = setup(arg, "--cross-file",
                  "platform/boards/%s/cross.ini" % arg, "-Dboard=" + arg)
        ok, out = run(["ninja", "-C", d])
        if not ok:
            return False, "build failed"
        ok, out = run(["meson", "test", "-C", d, "--suite", "qemu",
                       "--list"])
        names = [x.split(" / ", 1)[1] for x in out.split("\n") if " / " in x]
        # one at a time, stopping at the first failure; a mutant that
        # hangs a scenario fails it at half the usual timeout
        for n in names:
            ok, out = run(["meson", "test", "-C", d, "--suite", "qemu",
                           "--no-rebuild", "--timeout-multiplier", "0.5", n],
                          timeout=120)
            if not ok:
                return False, "qemu %s %s" % (arg, n)
        return True, ""
    if kind == "prove":
        # killed only by a goal WP reports not proved: a timeout of the
        # whole run or a file Frama-C cannot parse says nothing about the
        # contract, so either counts as a pass (the mutant lives) and is
        # reported as such, never as a kill
        ok, out = run(["./tern", "prove", arg], timeout=3600)
        if ok:
            return True, ""
        if re.search(r"proved, [1-9][0-9]* unknown", out) and \
                "frama-c failed" not in out:
            return False, "prove " + arg
        print("mutate: prove %s inconclusive: %s" %
              (arg, out.strip().splitlines()[-1:] or "no output"))
        return True, ""
    sys.exit("mutate: unknown suite %r" % s)


def main(argv):
    listonly = "--list" in argv
    keep = "--keep" in argv
    want = [a for a in argv if not a.startswith("--")]
    mutants = parse(os.path.join(TOP, "tools", "mutants.txt"))
    if want:
        mutants = [m for m in mutants if m["id"] in want]
    if listonly:
        bad = 0
        for m in mutants:
            tag = "equivalent" if "equivalent" in m else ",".join(m["suites"])
            text = open(os.path.join(TOP, m["file"])).read()
            if apply(text, m)[0] is None:
                tag, bad = "STALE " + tag, bad + 1
            print("%-34s %-30s %s" % (m["id"], m["file"], tag))
        print("%d mutants, %d equivalent, %d stale" % (
            len(mutants), sum("equivalent" in m for m in mutants), bad))
        return 1 if bad else 0

    os.makedirs(SCRATCH, exist_ok=True)
    sync_scratch()
    t0 = time.time()
    killed, survived, stale, equiv, broken = [], [], [], [], []
    for m in mutants:
        path = os.path.join(SCRATCH, m["file"])
        if "equivalent" in m:
            equiv.append(m)
            print("%-34s equivalent: %s" % (m["id"], m["equivalent"]))
            continue
        orig = open(path).read()
        mutated, count = apply(orig, m)
        if mutated is None:
            stale.append(m)
            print("%-34s STALE: the snippet occurs %d times in %s"
                  % (m["id"], count, m["file"]))
            continue
        t = time.time()
        open(path, "w").write(mutated)
        verdict = None
        try:
            for s in m["suites"]:
                ok, what = suite(s)
                if not ok:
                    verdict = what
                    break
        finally:
            open(path, "w").write(orig)
        dt = time.time() - t
        if verdict == "build failed":
            broken.append(m)
            print("%-34s does not build (fix the mutant)  %5.0f s"
                  % (m["id"], dt))
        elif verdict:
            killed.append(m)
            print("%-34s killed by %-22s %5.0f s" % (m["id"], verdict, dt))
        else:
            survived.append(m)
            print("%-34s SURVIVED %s  %5.0f s"
                  % (m["id"], ",".join(m["suites"]), dt))
        sys.stdout.flush()
    if not keep:
        sync_scratch()  # every file back as in the working tree
    n = len(killed) + len(survived)
    print()
    print("mutants: %d in the list, %d run, %d equivalent, %d stale, "
          "%d not building" % (len(mutants), n, len(equiv), len(stale),
                               len(broken)))
    if survived:
        print("survivors: " + " ".join(m["id"] for m in survived))
    if n:
        print("score: %d/%d killed = %.1f%% (%.0f s)"
              % (len(killed), n, 100.0 * len(killed) / n, time.time() - t0))
    return 0 if not survived and not stale and not broken else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
