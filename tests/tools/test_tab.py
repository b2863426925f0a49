#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Host tests of tools/tab.py (libtock-c .tab files), on crafted tars,
hostile ones included.  Prints TAP (one line per case) for meson."""

import io
import os
import sys
import tarfile
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "tools"))
import tab  # noqa: E402

SLOTS = {"A": {"flash": 0x80100080, "ram": 0x80300000, "flash_size": 0x1000},
         "B": {"flash": 0x80110080, "ram": 0x80310000, "flash_size": 0x20000}}


def tbf(size=0x200, fill=0):
    """Bytes that pass for a TBF: total_size in bytes 4..8."""
    b = bytearray([fill]) * size
    b[0:2] = (2).to_bytes(2, "little")
    b[4:8] = size.to_bytes(4, "little")
    return bytes(b)


class TabTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def tar(self, members, meta=True):
        """A .tab of (name, bytes or TarInfo-adjusting function) pairs."""
        path = os.path.join(self.dir.name, "x.tab")
        with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as t:
            if meta:
                m = tab.metadata("x")
                i = tarfile.TarInfo("metadata.toml")
                i.size = len(m)
                t.addfile(i, io.BytesIO(m))
            for name, data in members:
                i = tarfile.TarInfo(name)
                if callable(data):
                    data(i)
                    t.addfile(i)
                else:
                    i.size = len(data)
                    t.addfile(i, io.BytesIO(data))
        return path

    def test_picks_the_board_arch_at_a_free_slot_and_says_why_not(self):
        p = self.tar([("cortex-m4.tbf", tbf()),
                      ("rv64imac.0x80100080.0x80300000.tbf", tbf()),
                      ("rv32imac.0x80100080.0x80300000.tbf", tbf(fill=1)),
                      ("rv32imac.0x80110080.0x80310000.tbf", tbf(fill=2))])
        slot, name, data, why = tab.pick(p, "rv32imac", SLOTS)
        self.assertEqual((slot, name), ("A", "rv32imac.0x80100080.0x80300000.tbf"))
        self.assertEqual(data, tbf(fill=1))
        self.assertEqual(len(why), 3)
        self.assertIn("built for cortex-m4", why[0])
        self.assertIn("built for rv64imac", why[1])
        self.assertIn("fits slot B too", why[2])

    def test_a_subset_isa_runs_and_a_superset_does_not(self):
        self.assertTrue(tab.runs_on("rv32imc", "rv32imac"))
        self.assertTrue(tab.runs_on("rv32imac", "rv32imac"))
        self.assertFalse(tab.runs_on("rv32imafc", "rv32imac"))
        self.assertFalse(tab.runs_on("rv64imac", "rv32imac"))
        self.assertFalse(tab.runs_on("cortex-m4", "rv32imac"))
        p = self.tar([("rv32imafc.0x80100080.0x80300000.tbf", tbf()),
                      ("rv32imc.0x80100080.0x80300000.tbf", tbf(fill=3))])
        slot, name, data, why = tab.pick(p, "rv32imac", SLOTS)
        self.assertEqual(name, "rv32imc.0x80100080.0x80300000.tbf")
        self.assertIn("built for rv32imafc", why[0])

    def test_a_taken_slot_moves_to_the_next_build(self):
        p = self.tar([("rv32imac.0x80100080.0x80300000.tbf", tbf(fill=1)),
                      ("rv32imac.0x80110080.0x80310000.tbf", tbf(fill=2))])
        slot, _, data, why = tab.pick(p, "rv32imac", SLOTS, ["A"])
        self.assertEqual(slot, "B")
        self.assertEqual(data, tbf(fill=2))
        self.assertIn("slot A", why[0])
        self.assertIn("is taken", why[0])

    def test_no_fitting_build_is_a_clear_error(self):
        p = self.tar([("rv32imac.0x10000000.0x20000000.tbf", tbf()),
                      ("rv64imac.tbf", tbf())])
        with self.assertRaises(tab.Error) as e:
            tab.pick(p, "rv32imac", SLOTS)
        msg = str(e.exception)
        self.assertIn("no TBF fits a free slot", msg)
        self.assertIn("is no slot of this board", msg)
        self.assertIn("built for rv64imac", msg)

    def test_position_independent_build_takes_the_first_free_slot(self):
        p = self.tar([("rv32imac.tbf", tbf())])
        self.assertEqual(tab.pick(p, "rv32imac", SLOTS, ["A"])[0], "B")
        with self.assertRaises(tab.Error):
            tab.pick(p, "rv32imac", SLOTS, ["A", "B"])

    def test_a_tbf_bigger_than_its_slot_is_skipped(self):
        p = self.tar([("rv32imac.0x80100080.0x80300000.tbf", tbf(0x2000))])
        with self.assertRaises(tab.Error) as e:
            tab.pick(p, "rv32imac", SLOTS)
        self.assertIn("slot A holds", str(e.exception))

    def test_a_member_that_is_no_tbf_is_skipped(self):
        p = self.tar([("rv32imac.0x80100080.0x80300000.tbf", b"short"),
                      ("rv32imac.0x80110080.0x80310000.tbf", tbf())])
        slot, _, _, why = tab.pick(p, "rv32imac", SLOTS)
        self.assertEqual(slot, "B")
        self.assertIn("not a TBF", why[0])

    def test_path_traversal_and_absolute_names_are_refused(self):
        for name in ["../rv32imac.tbf", "/etc/rv32imac.tbf",
                     "a/../../rv32imac.tbf", "..", "dir/rv32imac.tbf"]:
            p = self.tar([(name, tbf())])
            with self.assertRaises(tab.Error, msg=name) as e:
                tab.pick(p, "rv32imac", SLOTS)
            self.assertIn("not a plain file name", str(e.exception))

    def test_links_and_devices_are_refused(self):
        def link(i):
            i.type = tarfile.SYMTYPE
            i.linkname = "/etc/passwd"

        def dev(i):
            i.type = tarfile.CHRTYPE

        for kind in (link, dev):
            p = self.tar([("rv32imac.tbf", kind)])
            with self.assertRaises(tab.Error) as e:
                tab.pick(p, "rv32imac", SLOTS)
            self.assertIn("not a regular file", str(e.exception))

    def test_a_huge_member_is_refused_unread(self):
        def huge(i):
            i.size = 1 << 32  # header only: the data is not there at all
        p = self.tar([("rv32imac.tbf", huge)])
        with self.assertRaises(tab.Error):
            tab.pick(p, "rv32imac", SLOTS)

    def test_a_tar_without_metadata_or_tbfs_is_no_tab(self):
        p = self.tar([("rv32imac.tbf", tbf())], meta=False)
        with self.assertRaises(tab.Error) as e:
            tab.pick(p, "rv32imac", SLOTS)
        self.assertIn("no metadata.toml", str(e.exception))
        p = self.tar([("README", b"hi")])
        with self.assertRaises(tab.Error) as e:
            tab.pick(p, "rv32imac", SLOTS)
        self.assertIn("holds no", str(e.exception))

    def test_garbage_and_truncated_files_are_errors(self):
        path = os.path.join(self.dir.name, "g.tab")
        with open(path, "wb") as f:
            f.write(os.urandom(3000))
        with self.assertRaises(tab.Error):
            tab.pick(path, "rv32imac", SLOTS)
        good = self.tar([("rv32imac.0x80100080.0x80300000.tbf", tbf(0x800))])
        with open(good, "rb") as f:
            data = f.read()
        with open(path, "wb") as f:
            f.write(data[:1024 + 512 + 100])  # cut inside the TBF
        with self.assertRaises(tab.Error):
            tab.pick(path, "rv32imac", SLOTS)

    def test_pack_writes_what_elf2tab_writes(self):
        src = os.path.join(self.dir.name, "a.tbf")
        with open(src, "wb") as f:
            f.write(tbf())
        out = os.path.join(self.dir.name, "a.tab")
        tab.pack(out, "blink", [("rv32imac.0x80100080.0x80300000.tbf", src)])
        with tarfile.open(out) as t:
            self.assertEqual(t.getnames(), ["metadata.toml",
                                            "rv32imac.0x80100080.0x80300000.tbf"])
            meta = t.extractfile("metadata.toml").read().decode()
        self.assertTrue(meta.startswith('tab-version = 1\nname = "blink"\n'))
        self.assertIn("build-date = ", meta)
        self.assertEqual(tab.pick(out, "rv32imac", SLOTS)[0], "A")
        with self.assertRaises(tab.Error):
            tab.pack(out, "bad name\n", [])


class Tap(unittest.TextTestResult):
    """TAP lines: meson counts each case."""
    n = 0

    def report(self, test, ok, why=""):
        Tap.n += 1
        print(f"{'ok' if ok else 'not ok'} {Tap.n} - {test._testMethodName}")
        for line in why.splitlines():
            print(f"# {line}")

    def addSuccess(self, test):
        super().addSuccess(test)
        self.report(test, True)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.report(test, False, self._exc_info_to_string(err, test))

    def addError(self, test, err):
        super().addError(test, err)
        self.report(test, False, self._exc_info_to_string(err, test))


if __name__ == "__main__":
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(TabTest)
    print(f"1..{suite.countTestCases()}")
    r = unittest.TextTestRunner(stream=io.StringIO(), resultclass=Tap).run(suite)
    sys.exit(0 if r.wasSuccessful() else 1)
