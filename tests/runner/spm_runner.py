#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run SPM's test tiers and print one summary line.

Tiers:
  host  the runner's own unit tests and the TAP programs under tests/host/
  vm    tests/vm/* scripts, grouped by their "# SPM-TOPOLOGY: <name>" header;
        each topology is booted once (scripts/run-vm.sh) for all its scripts.
        A script's TAP output (guest ttyS1) gives its test points; the KTAP
        that KUnit prints on the kernel console gives one point per test case;
        a kernel splat on the console, a crash or a time limit is a failure.
  debug the same tests/vm scripts on the debug kernel (SPM_KERNEL=debug:
        KASAN, kmemleak, DEBUG_PAGEALLOC, fault injection), but for the
        topologies in DEBUG_SKIP; results are named "debug/<topology>/...".
        A KASAN report is a splat; so is a leak kmemleak finds once a boot's
        scripts are done (guest/init scans).

The last line printed is "N passed, N failed, N skipped"; the exit status is
non-zero when anything failed.
"""

import argparse
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import unittest
from dataclasses import dataclass

TOP = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))

# Console lines (timestamp stripped) that mean the kernel is unhappy.
SPLAT_PATTERNS = [re.compile(p) for p in (
    r"^-+\[ cut here \]-+$",
    r"^WARNING: ",                      # WARN(), lockdep, suspicious RCU usage
    r"^BUG: ",                          # BUG: sleeping function called ..., KASAN, ...
    r"kernel BUG at ",
    r"^Oops: ",
    r"general protection fault",
    r"^Kernel panic - not syncing",
    r"^UBSAN: ",
    r"^INFO: task .* blocked for more than",
    r"^INFO: trying to register non-static key",
    r"rcu: INFO: rcu_\w+ detected stalls",
    r"^Unable to handle kernel",
    r"^unreferenced object 0x",         # kmemleak (guest/init prints its report)
    r"^pagealloc: (memory corruption|single bit error)",  # page_poison=1
)]

# Topologies the debug tier leaves out: the kernel's own mm selftests, run
# once on the test kernel; under KASAN on TCG they alone would take longer
# than the rest of the tier.
DEBUG_SKIP = {"mm-selftests"}

TIMESTAMP = re.compile(r"^\[\s*\d+\.\d+\]\s?")
TAP_POINT = re.compile(r"^(not )?ok\b\s*(\d+)?\s*(?:- )?([^#]*?)\s*(?:#\s*(\w+)\s*(.*))?$")
SCRIPT_BEGIN = re.compile(r"^# spm-script: begin (\S+)$")
SCRIPT_END = re.compile(r"^# spm-script: end (\S+) exit=(\d+) seconds=(\d+)$")


@dataclass
class Result:
    name: str
    status: str          # "pass", "fail" or "skip"
    detail: str = ""

    def tap(self):
        word = "not ok" if self.status == "fail" else "ok"
        skip = f" # SKIP {self.detail}" if self.status == "skip" else ""
        why = f"  # {self.detail}" if self.status == "fail" and self.detail else ""
        return f"{word} - {self.name}{skip}{why}"


def clean_lines(text):
    """Split console/serial text into lines without CRs and timestamps."""
    return [TIMESTAMP.sub("", line.rstrip("\r")) for line in text.splitlines()]


def find_splats(text):
    """Return the console lines that show a kernel splat."""
    return [line for line in clean_lines(text)
            if any(p.search(line) for p in SPLAT_PATTERNS)]


def parse_tap(lines, prefix):
    """Parse TAP 13 test points of one script.

    Returns (results, plan, bailed) where plan is the planned count or None.
    """
    results, plan, bailed = [], None, None
    for line in lines:
        m = re.match(r"^1\.\.(\d+)", line)
        if m:
            plan = int(m.group(1))
            continue
        if line.startswith("Bail out!"):
            bailed = line[len("Bail out!"):].strip() or "bailed out"
            continue
        m = TAP_POINT.match(line)
        if not m:
            continue
        failed, num, desc, directive, reason = m.groups()
        name = f"{prefix}: {desc or '#' + (num or '?')}"
        if directive and directive.upper() == "SKIP":
            results.append(Result(name, "skip", reason or "skipped"))
        elif directive and directive.upper() == "TODO" and failed:
            # a known failure tracked elsewhere: not passed, not a failure
            results.append(Result(name, "skip", f"known failure (TODO): {reason}"))
        elif failed:
            results.append(Result(name, "fail"))
        else:
            results.append(Result(name, "pass"))
    return results, plan, bailed


def parse_ktap(console_text, prefix):
    """One result per KUnit test case in the console's KTAP output.

    A suite that reports no test cases (e.g. its init failed) counts as one.
    """
    results, suite, cases = [], None, 0
    for line in clean_lines(console_text):
        m = re.match(r"^    # Subtest: (\S+)", line)
        if m:
            suite, cases = m.group(1), 0
            continue
        m = re.match(r"^    (not )?ok \d+ (\S+)(?:\s*#\s*(\w+)\s*(.*))?", line)
        if m and suite:
            cases += 1
            failed, case, directive, reason = m.groups()
            name = f"{prefix}: kunit {suite}.{case}"
            if directive and directive.upper() == "SKIP":
                results.append(Result(name, "skip", reason or "skipped"))
            else:
                results.append(Result(name, "fail" if failed else "pass"))
            continue
        m = re.match(r"^(not )?ok \d+ (\S+)", line)
        if m and suite and m.group(2) == suite:
            if cases == 0:
                results.append(Result(f"{prefix}: kunit {suite}",
                                      "fail" if m.group(1) else "pass"))
            suite = None
    return results


def split_scripts(output_text):
    """Map script name -> (output lines, exit code or None, seconds or None)."""
    scripts, current = {}, None
    for line in clean_lines(output_text):
        m = SCRIPT_BEGIN.match(line)
        if m:
            current = m.group(1)
            scripts[current] = ([], None, None)
            continue
        m = SCRIPT_END.match(line)
        if m and m.group(1) in scripts:
            lines = scripts[m.group(1)][0]
            scripts[m.group(1)] = (lines, int(m.group(2)), int(m.group(3)))
            current = None
            continue
        if current:
            scripts[current][0].append(line)
    return scripts


def script_results(name, lines, exit_code, seconds, limit):
    """Judge one script from its TAP output and the way it ended."""
    results, plan, bailed = parse_tap(lines, name)
    points = len(results)
    failed = any(r.status == "fail" for r in results)
    if exit_code is None:
        results.append(Result(f"{name}: finished", "fail",
                              "no end marker: the VM crashed or hit its time limit"))
    elif seconds is not None and seconds >= limit and exit_code != 0:
        results.append(Result(f"{name}: finished", "fail", f"time limit {limit}s"))
    elif exit_code == 4 and not results:
        results.append(Result(name, "skip", "script exited with the kselftest skip code"))
    elif exit_code != 0 and not failed:
        results.append(Result(f"{name}: exit status", "fail", f"exited {exit_code}"))
    if bailed:
        results.append(Result(f"{name}: bail out", "fail", bailed))
    elif plan is not None and exit_code is not None and plan != points:
        results.append(Result(f"{name}: plan", "fail", f"planned {plan}, ran {points}"))
    if exit_code is not None and not results:
        results.append(Result(name, "fail", "no test points"))
    return results


def script_header(path, key, default=None):
    with open(path, errors="replace") as f:
        for line in f:
            m = re.match(rf"^#\s*SPM-{key}:\s*(\S+)", line)
            if m:
                return m.group(1)
    return default


def judge_boot(outdir, topo, scripts):
    """Results of one VM boot: every script, the KUnit cases and the console."""
    def read(name):
        try:
            with open(os.path.join(outdir, name), errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    console, output = read("console.log"), read("output.log")
    ran = split_scripts(output)
    results = []
    for path in scripts:
        name = os.path.basename(path)
        limit = int(script_header(path, "TIMEOUT", "300"))
        lines, code, secs = ran.get(name, ([], None, None))
        results += script_results(f"{topo}/{name}", lines, code, secs, limit)
    results += parse_ktap(console, topo)
    splats = find_splats(console)
    results.append(Result(f"{topo}: kernel console clean",
                          "fail" if splats else "pass",
                          "; ".join(splats[:3])))
    return results


def discover_vm_tests(pattern):
    tests = {}
    vmdir = os.path.join(TOP, "tests", "vm")
    for name in sorted(os.listdir(vmdir)):
        path = os.path.join(vmdir, name)
        if not os.path.isfile(path) or not fnmatch.fnmatch(name, pattern):
            continue
        topo = script_header(path, "TOPOLOGY")
        if topo:
            tests.setdefault(topo, []).append(path)
    return tests


def first_kunit_runs(results, seen):
    """Drop KUnit passes already reported by an earlier boot.

    Built-in suites run in every boot; each case counts once, unless it
    fails somewhere.
    """
    kept = []
    for r in results:
        case = r.name.split(": kunit ", 1)[1] if ": kunit " in r.name else None
        if case is None or case not in seen or r.status == "fail":
            kept.append(r)
        if case is not None:
            seen.add(case)
    return kept


def run_vm_tier(pattern, report, kernel=""):
    """Boot each topology once; keep every reported figure in build/results.

    With kernel="debug", on the debug kernel (SPM_KERNEL=debug), but for the
    topologies in DEBUG_SKIP.
    """
    results = os.path.join(TOP, "build", "results" + (f"-{kernel}" if kernel else ""))
    os.makedirs(results, exist_ok=True)
    env = dict(os.environ, SPM_KERNEL=kernel)
    seen_kunit = set()
    for topo, scripts in sorted(discover_vm_tests(pattern).items()):
        if kernel and topo in DEBUG_SKIP:
            continue
        name = f"{kernel}/{topo}" if kernel else topo
        outdir = os.path.join(TOP, "build", "vm", name)
        subprocess.run([os.path.join(TOP, "scripts", "run-vm.sh"), "--quiet",
                        "--out", outdir, topo] + scripts, check=False, env=env)
        for r in first_kunit_runs(judge_boot(outdir, name, scripts), seen_kunit):
            report(r)
        for result in os.listdir(os.path.join(outdir, "results")):
            shutil.copy(os.path.join(outdir, "results", result), results)


class _Collect(unittest.TestResult):
    def __init__(self, report):
        super().__init__()
        self.report = report

    def addSuccess(self, test):
        self.report(Result(f"host: {test.id()}", "pass"))

    def addFailure(self, test, err):
        self.report(Result(f"host: {test.id()}", "fail", str(err[1]).splitlines()[0]))

    addError = addFailure

    def addSkip(self, test, reason):
        self.report(Result(f"host: {test.id()}", "skip", reason))


def run_host_tier(report):
    loader = unittest.defaultTestLoader
    suite = loader.discover(os.path.dirname(os.path.abspath(__file__)), pattern="test_*.py")
    suite.run(_Collect(report))
    hostdir = os.path.join(TOP, "tests", "host")
    if not os.path.isdir(hostdir):
        return
    build = subprocess.run(["make", "-s", "-C", hostdir], check=False)
    if build.returncode:
        report(Result("host: build tests/host", "fail", f"make exited {build.returncode}"))
        return
    for name in sorted(os.listdir(hostdir)):
        path = os.path.join(hostdir, name)
        if not (name.endswith(".t") and os.access(path, os.X_OK)):
            continue
        proc = subprocess.run([path], capture_output=True, text=True, check=False)
        sys.stderr.write(proc.stderr)
        for r in script_results(f"host/{name}", proc.stdout.splitlines(),
                                proc.returncode, 0, 300):
            report(r)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tier", choices=("host", "vm", "debug", "fast", "all"), default="all",
                    help="fast: host and vm; all: host, vm and debug")
    ap.add_argument("--filter", default="*", help="glob over tests/vm script names")
    ap.add_argument("--scan", metavar="DIR",
                    help="only report kernel splats in DIR/console.log")
    args = ap.parse_args()

    if args.scan:
        with open(os.path.join(args.scan, "console.log"), errors="replace") as f:
            splats = find_splats(f.read())
        for line in splats:
            print(f"kernel splat: {line}", file=sys.stderr)
        return 1 if splats else 0

    counts = {"pass": 0, "fail": 0, "skip": 0}

    def report(result):
        counts[result.status] += 1
        print(result.tap(), flush=True)

    if args.tier in ("host", "fast", "all"):
        run_host_tier(report)
    if args.tier in ("vm", "fast", "all"):
        run_vm_tier(args.filter, report)
    if args.tier in ("debug", "all"):
        run_vm_tier(args.filter, report, kernel="debug")
    print(f"{counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped")
    return 1 if counts["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
