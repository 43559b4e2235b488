# SPDX-License-Identifier: GPL-2.0
"""Host-side unit tests of the runner's parsing and splat detection."""

import os
import tempfile
import unittest

import spm_runner as R

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def fixture(name):
    with open(os.path.join(FIXTURES, name), errors="replace") as f:
        return f.read()


class SplatDetection(unittest.TestCase):
    def test_clean_boot_has_no_splat(self):
        self.assertEqual(R.find_splats(fixture("clean-console.log")), [])

    def test_real_warn_is_detected(self):
        splats = R.find_splats(fixture("warn-console.log"))
        self.assertTrue(any(s.startswith("WARNING: CPU:") for s in splats), splats)

    def test_each_kind_of_splat(self):
        for line in ("[    3.000001] BUG: sleeping function called from invalid context",
                     "[    3.1] kernel BUG at mm/page_alloc.c:123!",
                     "[    3.2] Oops: general protection fault, probably for non-canonical address",
                     "[    3.3] WARNING: possible circular locking dependency detected",
                     "[    3.4] WARNING: suspicious RCU usage",
                     "[    3.5] Kernel panic - not syncing: Fatal exception",
                     "[    3.6] BUG: KASAN: use-after-free in spm_free+0x10/0x20",
                     "[    3.7] UBSAN: shift-out-of-bounds in drivers/spm/core.c:10:3",
                     "[    3.8] INFO: task kworker/0:1:20 blocked for more than 120 seconds.",
                     "[    3.9] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:",
                     "unreferenced object 0xffff888004a1c000 (size 64):"):
            with self.subTest(line=line):
                self.assertEqual(len(R.find_splats(line)), 1)

    def test_benign_lines_are_not_splats(self):
        for line in ("[    0.1] ACPI BIOS Warning (bug): Incorrect checksum",
                     "[    0.2] cxl_pci 0000:0d:00.0: warning: no event irq",
                     "[    0.3] # WARNING: this is test output, not the kernel",
                     "[    0.4] Out of memory: Killed process 99 (memhog)",
                     "[    0.5] debug_vm_pgtable: [debug_vm_pgtable         ]: Validating",
                     "[    0.6] kmemleak: Kernel memory leak detector initialized (mem pool available: 15000)"):
            with self.subTest(line=line):
                self.assertEqual(R.find_splats(line), [])

    def test_crlf_and_timestamps_are_stripped(self):
        self.assertEqual(R.find_splats("[   12.345678] WARNING: CPU: 1 PID: 7 at x.c:1\r\n"),
                         ["WARNING: CPU: 1 PID: 7 at x.c:1"])


class TapParsing(unittest.TestCase):
    def test_points_skips_and_failures(self):
        lines = ["TAP version 13", "1..4", "ok 1 - memdev present",
                 "not ok 2 - region committed", "ok 3 - dax device # SKIP no dax",
                 "# a diagnostic", "ok 4 target node 1"]
        results, plan, bailed = R.parse_tap(lines, "t")
        self.assertEqual(plan, 4)
        self.assertIsNone(bailed)
        self.assertEqual([r.status for r in results], ["pass", "fail", "skip", "pass"])
        self.assertEqual(results[0].name, "t: memdev present")
        self.assertEqual(results[2].detail, "no dax")
        self.assertEqual(results[3].name, "t: target node 1")

    def test_todo_is_a_known_failure(self):
        lines = ["1..2", "not ok 1 - differs # TODO tracked in issue 13",
                 "ok 2 - fixed meanwhile # TODO tracked"]
        results, _, _ = R.parse_tap(lines, "t")
        self.assertEqual([r.status for r in results], ["skip", "pass"])
        self.assertEqual(results[0].detail, "known failure (TODO): tracked in issue 13")

    def test_bail_out(self):
        _, _, bailed = R.parse_tap(["1..3", "ok 1 - a", "Bail out! no CXL memdev"], "t")
        self.assertEqual(bailed, "no CXL memdev")

    def test_script_results_missing_points_fail(self):
        res = R.script_results("t", ["1..3", "ok 1 - a"], 0, 1, 300)
        self.assertIn(("t: plan", "fail"), [(r.name, r.status) for r in res])

    def test_script_without_end_marker_fails(self):
        res = R.script_results("t", ["1..1", "ok 1 - a"], None, None, 300)
        self.assertEqual(res[-1].status, "fail")
        self.assertIn("no end marker", res[-1].detail)

    def test_nonzero_exit_without_failed_point_fails(self):
        res = R.script_results("t", ["1..1", "ok 1 - a"], 2, 1, 300)
        self.assertEqual([r.status for r in res], ["pass", "fail"])

    def test_time_limit_is_reported(self):
        res = R.script_results("t", ["1..2", "ok 1 - a"], 143, 60, 60)
        self.assertIn("time limit 60s", [r.detail for r in res])

    def test_kselftest_skip_code(self):
        res = R.script_results("t", [], 4, 0, 300)
        self.assertEqual([r.status for r in res], ["skip"])

    def test_silent_success_is_not_a_pass(self):
        res = R.script_results("t", ["hello"], 0, 0, 300)
        self.assertEqual([r.status for r in res], ["fail"])


class ScriptSplitting(unittest.TestCase):
    def test_markers_frame_each_script(self):
        out = ("# spm-boot: 6.12.117+ up 2.1s\r\n"
               "# spm-script: begin a.sh\r\n1..1\r\nok 1 - x\r\n"
               "# spm-script: end a.sh exit=0 seconds=3\r\n"
               "# spm-script: begin b.sh\r\n1..2\r\nok 1 - y\r\n")
        scripts = R.split_scripts(out)
        self.assertEqual(scripts["a.sh"], (["1..1", "ok 1 - x"], 0, 3))
        self.assertEqual(scripts["b.sh"], (["1..2", "ok 1 - y"], None, None))


class Ktap(unittest.TestCase):
    KTAP = """[    1.0] KTAP version 1
[    1.0] 1..2
[    1.1]     KTAP version 1
[    1.1]     # Subtest: spm_register
[    1.1]     # module: spm
[    1.1]     1..3
[    1.2]     ok 1 spm_register_valid
[    1.2]     not ok 2 spm_register_bad_class
[    1.2]     ok 3 spm_register_no_ranges # SKIP needs hotplug
[    1.3] # spm_register: pass:1 fail:1 skip:1 total:3
[    1.3] not ok 1 spm_register
[    1.4]     KTAP version 1
[    1.4]     # Subtest: spm_broken
[    1.4]     1..0
[    1.4] not ok 2 spm_broken
"""

    def test_one_result_per_case_and_per_empty_suite(self):
        res = R.parse_ktap(self.KTAP, "topo")
        self.assertEqual([(r.name, r.status) for r in res], [
            ("topo: kunit spm_register.spm_register_valid", "pass"),
            ("topo: kunit spm_register.spm_register_bad_class", "fail"),
            ("topo: kunit spm_register.spm_register_no_ranges", "skip"),
            ("topo: kunit spm_broken", "fail"),
        ])


class KunitAcrossBoots(unittest.TestCase):
    def test_a_case_counts_once_unless_it_fails(self):
        seen = set()
        first = [R.Result("a: kunit s.x", "pass"), R.Result("a: tap", "pass")]
        again = [R.Result("b: kunit s.x", "pass"), R.Result("b: kunit s.y", "pass")]
        broken = [R.Result("c: kunit s.x", "fail")]
        self.assertEqual(len(R.first_kunit_runs(first, seen)), 2)
        self.assertEqual([r.name for r in R.first_kunit_runs(again, seen)], ["b: kunit s.y"])
        self.assertEqual([r.status for r in R.first_kunit_runs(broken, seen)], ["fail"])


class JudgeBoot(unittest.TestCase):
    def test_splat_in_console_fails_the_boot(self):
        with tempfile.TemporaryDirectory() as d:
            script = os.path.join(d, "a.sh")
            with open(script, "w") as f:
                f.write("#!/bin/sh\n# SPM-TOPOLOGY: cxl-single\n# SPM-TIMEOUT: 30\n")
            with open(os.path.join(d, "output.log"), "w") as f:
                f.write("# spm-script: begin a.sh\n1..1\nok 1 - fine\n"
                        "# spm-script: end a.sh exit=0 seconds=1\n")
            with open(os.path.join(d, "console.log"), "w") as f:
                f.write(fixture("warn-console.log"))
            res = R.judge_boot(d, "cxl-single", [script])
        self.assertEqual([r.status for r in res], ["pass", "fail"])
        self.assertIn("WARNING: CPU:", res[-1].detail)

    def test_header_parsing(self):
        with tempfile.TemporaryDirectory() as d:
            script = os.path.join(d, "a.sh")
            with open(script, "w") as f:
                f.write("#!/bin/sh\n# SPM-TOPOLOGY: soft-reserved\n")
            self.assertEqual(R.script_header(script, "TOPOLOGY"), "soft-reserved")
            self.assertEqual(R.script_header(script, "TIMEOUT", "300"), "300")


if __name__ == "__main__":
    unittest.main()
