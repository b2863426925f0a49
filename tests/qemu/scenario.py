#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""QEMU scenario spec files: reading them, for meson and for tests/qemu/run.

A scenario is one TOML file, tests/qemu/<dir>/<name>.toml; its format is
described in tests/qemu/README.md.  This module turns a spec file plus the
build's facts (board, slot addresses, options; meson passes them as
--fact NAME=VALUE) into concrete tests: the apps to build, the kernel to
boot, whether the board skips it and why, and what its console must and
must not show.

    scenario.py plan --fact NAME=VALUE... SPEC...

prints, for meson (tests/qemu/meson.build), one line per test, fields
separated by tabs:

    name spec variant kernel timeout corrupt-slot corrupt-how skip apps

where apps is the apps joined by \\x1e, each app's fields (name, slot,
stack, heap, sources, c_args) joined by \\x1d and each list's items by
\\x1f.  A skipped test has no apps.  Python 3.11 standard library only.
"""

import glob
import os
import re
import sys

try:
    import tomllib
except ImportError:  # Python < 3.11
    sys.exit("tests/qemu/scenario.py needs Python 3.11 or later (tomllib)")

HERE = os.path.dirname(os.path.abspath(__file__))

# what every scenario rejects, before its own reject list: a failed check
# of a test app, and a failed TAP line of a kernel-test app
ALWAYS_REJECT = ["KTEST FAIL", "not ok"]

TOP_KEYS = {"timeout", "kernel", "panic", "qemu_args", "qemu_drop", "skip",
            "corrupt",
            "expect", "reject", "let", "app", "input", "variants"}
APP_KEYS = {"name", "slot", "srcs", "stack", "heap", "c_args"}
ITEM_KEYS = {"when", "for", "in", "re", "arg"}
KERNELS = ("product", "ktest", "ipc")


class SpecError(Exception):
    """A spec file that cannot be read; the message names the file."""


def parse_fact(text):
    """NAME=VALUE -> (name, value): integers (0x.. too) and true/false are
    typed, everything else stays a string."""
    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise SpecError(f"--fact {text!r}: expected NAME=VALUE")
    if value in ("true", "false"):
        return name, value == "true"
    try:
        return name, int(value, 0)
    except ValueError:
        return name, value


# the names an expression may use besides the facts and values
BUILTINS = {"range": range, "len": len, "str": str, "int": int, "min": min,
            "max": max, "hex": hex, "True": True, "False": False}


class Scope:
    """Names an @expression@ or a `when` may use: facts, let values, the
    variant's values, loop variables."""

    def __init__(self, where, names):
        self.where = where
        self.names = dict(names)

    def child(self, **more):
        s = Scope(self.where, self.names)
        s.names.update(more)
        return s

    def eval(self, expr, what):
        try:
            return eval(expr, {"__builtins__": BUILTINS}, self.names)
        except Exception as e:  # noqa: BLE001 (any error is the spec's)
            raise SpecError(f"{self.where}: {what}: {expr!r}: "
                            f"{type(e).__name__}: {e}") from None

    def subst(self, text, what):
        """text with each @expr@ replaced by the value of expr."""
        if not isinstance(text, str):
            raise SpecError(f"{self.where}: {what}: expected a string, "
                            f"got {text!r}")

        def one(m):
            v = self.eval(m.group(1), what)
            if isinstance(v, bool):
                raise SpecError(f"{self.where}: {what}: @{m.group(1)}@ is "
                                "a truth value, not text")
            return str(v)
        return re.sub(r"@([^@\n]+)@", one, text)

    def integer(self, v, what):
        if isinstance(v, bool):
            raise SpecError(f"{self.where}: {what}: expected a number")
        if isinstance(v, int):
            return v
        s = self.subst(v, what)
        try:
            return int(s, 0)
        except ValueError:
            raise SpecError(f"{self.where}: {what}: {s!r} is not a "
                            "number") from None


def expand(scope, items, key, what):
    """A list of strings of the spec (expect, reject, c_args, qemu_args)
    as the plain strings it stands for.  An item is a string, a list of
    strings and items joined into one string, or a table: {when = EXPR,
    <key> = ITEM} (only when EXPR is true), {for = NAME, in = EXPR,
    <key> = ITEM} (once per value of NAME)."""
    if not isinstance(items, list):
        raise SpecError(f"{scope.where}: {what} must be a list")
    out = []
    for n, item in enumerate(items):
        out += one_item(scope, item, key, f"{what}[{n}]", joined=False)
    return out


def one_item(scope, item, key, what, joined):
    if isinstance(item, str):
        return [scope.subst(item, what)]
    if isinstance(item, list):
        parts = []
        for n, part in enumerate(item):
            parts += one_item(scope, part, key, f"{what}[{n}]", joined=True)
        return ["".join(parts)]
    if not isinstance(item, dict):
        raise SpecError(f"{scope.where}: {what}: expected a string, a "
                        f"list or a table, got {item!r}")
    bad = set(item) - ITEM_KEYS
    if bad or key not in item:
        raise SpecError(f"{scope.where}: {what}: a table takes when, for, "
                        f"in and {key} (has {', '.join(sorted(item))})")
    if "when" in item and not scope.eval(item["when"], what + " when"):
        return []
    if "for" not in item:
        return one_item(scope, item[key], key, what, joined)
    if "in" not in item or not item["for"].isidentifier():
        raise SpecError(f"{scope.where}: {what}: 'for' needs a name and "
                        "'in' an expression")
    out = []
    for v in scope.eval(item["in"], what + " in"):
        out += one_item(scope.child(**{item["for"]: v}), item[key], key,
                        what, joined)
    return ["".join(out)] if joined else out


class Test:
    """One test of a spec: the spec itself or one of its variants."""

    def __init__(self, spec_path, spec, variant, facts):
        stem = os.path.splitext(os.path.basename(spec_path))[0]
        self.path = spec_path
        self.variant = variant or ""
        self.name = f"{stem}_{variant}" if variant else stem
        self.dir = os.path.dirname(os.path.abspath(spec_path))
        where = os.path.relpath(spec_path)
        if variant:
            where += f" (variant {variant})"
        scope = Scope(where, facts)
        scope.names.update(name=self.name, variant=self.variant)
        for k, expr in spec.get("let", {}).items():
            if not isinstance(expr, str):
                raise SpecError(f"{where}: let.{k} must be an expression "
                                "in a string")
            scope.names[k] = scope.eval(expr, f"let.{k}")
        if variant:
            values = dict(spec["variants"][variant])
            overrides = values.pop("override", [])
            for k, v in values.items():
                scope.names[k] = (scope.subst(v, f"variants.{variant}.{k}")
                                  if isinstance(v, str) else v)
            for o in overrides:
                o = dict(o)
                if "when" not in o:
                    raise SpecError(f"{where}: an override needs 'when'")
                if scope.eval(o.pop("when"), "override when"):
                    for k, v in o.items():
                        scope.names[k] = (scope.subst(v, f"override {k}")
                                          if isinstance(v, str) else v)
        self.scope = scope
        self.spec = spec

        self.timeout = scope.integer(spec.get("timeout", 60), "timeout")
        self.kernel = spec.get("kernel", "product")
        if self.kernel not in KERNELS:
            raise SpecError(f"{where}: kernel must be one of "
                            f"{', '.join(KERNELS)}")
        self.skip = self._skip()
        self.apps = [] if self.skip else self._apps()
        c = spec.get("corrupt")
        if c and not self.skip:
            self.corrupt = (scope.subst(c["slot"], "corrupt.slot"),
                            scope.subst(c["how"], "corrupt.how"))
        else:
            self.corrupt = None

    def _skip(self):
        """Why this board does not run the test ('' when it does)."""
        for n, s in enumerate(self.spec.get("skip", [])):
            what = f"skip[{n}]"
            if "reason" not in s or not ("board" in s or "when" in s):
                raise SpecError(f"{self.scope.where}: {what} needs a reason "
                                "and a board or a when")
            hit = True
            if "board" in s:
                boards = s["board"]
                boards = [boards] if isinstance(boards, str) else boards
                hit = self.scope.names["board"] in boards
            if hit and "when" in s:
                hit = self.scope.eval(s["when"], what + " when")
            if hit:
                return self.scope.subst(s["reason"], what + " reason")
        slots = str(self.scope.names.get("slots", "")).split()
        for app in self.spec.get("app", []):
            if app.get("slot") not in slots:
                return "needs app slot {}; {} has only {} (no RAM for more)" \
                    .format(app.get("slot"), self.scope.names["board"],
                            ", ".join(slots))
        return ""

    def _apps(self):
        apps = []
        for n, a in enumerate(self.spec.get("app", [])):
            what = f"app[{n}]"
            bad = set(a) - APP_KEYS
            if bad or not {"name", "slot", "srcs"} <= set(a):
                raise SpecError(f"{self.scope.where}: {what}: needs name, "
                                "slot and srcs; may have stack, heap, c_args"
                                + (f" (not {', '.join(sorted(bad))})"
                                   if bad else ""))
            srcs = []
            for s in expand(self.scope, a["srcs"], "arg", what + ".srcs"):
                p = os.path.normpath(os.path.join(self.dir, s))
                if not os.path.isfile(p):
                    raise SpecError(f"{self.scope.where}: {what}: no "
                                    f"source {s}")
                srcs.append(p)
            apps.append({
                "name": self.scope.subst(a["name"], what + ".name"),
                "slot": a["slot"],
                "stack": self.scope.integer(a.get("stack", 1024),
                                            what + ".stack"),
                "heap": self.scope.integer(a.get("heap", 0), what + ".heap"),
                "srcs": srcs,
                "c_args": expand(self.scope, a.get("c_args", []), "arg",
                                 what + ".c_args"),
            })
        return apps

    def checks(self):
        """What the console is judged by: a dict of expect (regexes that
        must match), reject (that must not), inputs ((prompt regex, text)
        in order), panic (regex of the expected kpanic, or None),
        qemu_args, qemu_drop and timeout."""
        sc, spec = self.scope, self.spec
        inputs = []
        for n, i in enumerate(spec.get("input", [])):
            if set(i) != {"after", "text"}:
                raise SpecError(f"{sc.where}: input[{n}] needs after and "
                                "text")
            inputs.append((sc.subst(i["after"], f"input[{n}].after"),
                           sc.subst(i["text"], f"input[{n}].text")))
        panic = spec.get("panic")
        return {
            "expect": expand(sc, spec.get("expect", []), "re", "expect"),
            "reject": ALWAYS_REJECT + expand(sc, spec.get("reject", []),
                                             "re", "reject"),
            "inputs": inputs,
            "panic": sc.subst(panic, "panic") if panic else None,
            "qemu_args": expand(sc, spec.get("qemu_args", []), "arg",
                                "qemu_args"),
            "qemu_drop": expand(sc, spec.get("qemu_drop", []), "arg",
                                "qemu_drop"),
            "timeout": self.timeout,
        }


def load(path):
    """The parsed spec file at path, its top-level keys checked."""
    try:
        with open(path, "rb") as f:
            spec = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise SpecError(f"{path}: {e}") from None
    bad = set(spec) - TOP_KEYS
    if bad:
        raise SpecError(f"{path}: unknown key(s) {', '.join(sorted(bad))} "
                        "(a key written after an [[app]] or [[input]] "
                        "table belongs to that table: put top-level keys "
                        "first)")
    if isinstance(spec.get("skip"), dict):
        raise SpecError(f"{path}: skip is a list of tables")
    return spec


def tests(path, facts, variant=None):
    """The tests of the spec file at path: one, or one per variant (only
    the named one when variant is given)."""
    spec = load(path)
    variants = list(spec.get("variants", {}))
    if variant:
        if variant not in variants:
            raise SpecError(f"{path}: no variant {variant}")
        variants = [variant]
    return [Test(path, spec, v, facts) for v in (variants or [None])]


def plan(argv):
    facts = {}
    specs = []
    it = iter(argv)
    for a in it:
        if a == "--fact":
            k, v = parse_fact(next(it, ""))
            facts[k] = v
        else:
            specs.append(a)
    # a spec file on disk but missing from meson's list would never run
    listed = {os.path.abspath(s) for s in specs}
    for s in sorted(glob.glob(os.path.join(HERE, "*", "*.toml"))):
        if os.path.abspath(s) not in listed:
            raise SpecError(f"{os.path.relpath(s)} is not in "
                            "tests/qemu/meson.build's qemu_specs")
    names = {}
    for s in specs:
        for t in tests(s, facts):
            if t.name in names:
                raise SpecError(f"{s}: test {t.name} is also made by "
                                f"{names[t.name]}")
            names[t.name] = s
            apps = "\x1e".join("\x1d".join([
                a["name"], a["slot"], str(a["stack"]), str(a["heap"]),
                "\x1f".join(a["srcs"]), "\x1f".join(a["c_args"])])
                for a in t.apps)
            fields = [t.name, os.path.abspath(s), t.variant, t.kernel,
                      str(t.timeout), *(t.corrupt or ("", "")), t.skip,
                      apps]
            for f in fields:
                if re.search(r"[\t\n]", f):
                    raise SpecError(f"{s}: {t.name}: tab or newline in "
                                    f"{f!r}")
            print("\t".join(fields))


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] != "plan":
        sys.exit(__doc__)
    try:
        plan(sys.argv[2:])
    except SpecError as e:
        sys.exit(f"scenario.py: {e}")
