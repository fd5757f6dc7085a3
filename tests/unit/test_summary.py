# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The closing verdict of `make test` (scripts/summary.py): a stage that exits non-zero, leaves no report or runs
fewer tests than its minimum fails, whatever its report says."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SUMMARY = ROOT / "scripts" / "summary.py"


def report(folder, name, tests=3, failures=0, skipped=0):
    (folder / (name + ".xml")).write_text(
        '<testsuites><testsuite name="pytest" tests="%d" failures="%d" errors="0" skipped="%d"/></testsuites>'
        % (tests, failures, skipped))


def verdict(folder, *gates):
    (folder / "gates.txt").write_text("".join(line + "\n" for line in gates))
    proc = subprocess.run([sys.executable, str(SUMMARY), str(folder)], capture_output=True, text=True, check=False)
    return proc.returncode, proc.stdout


def test_a_stage_that_passed_with_enough_tests_passes(tmp_path):
    report(tmp_path, "units")
    code, out = verdict(tmp_path, "ran units 4s rc=0 min=3", "passed lint 2s")
    assert code == 0, out
    assert out.splitlines()[-1] == "4 passed, 0 failed, 0 skipped"
    assert "stage times: units 4s, lint 2s" in out


def test_a_non_zero_exit_fails_even_with_a_clean_report(tmp_path):
    report(tmp_path, "units")
    code, out = verdict(tmp_path, "ran units 4s rc=1 min=1")
    assert code == 1 and "exit status 1" in out and "failed stages: units" in out


def test_a_run_that_collected_nothing_fails(tmp_path):
    report(tmp_path, "units", tests=0)
    code, out = verdict(tmp_path, "ran units 1s rc=5 min=1")
    assert code == 1 and "only 0 tests ran, at least 1 expected" in out


def test_fewer_tests_than_the_minimum_fail_and_skips_do_not_count(tmp_path):
    report(tmp_path, "sandbox", tests=10, skipped=4)
    code, out = verdict(tmp_path, "ran sandbox 1s rc=0 min=7")
    assert code == 1 and "only 6 tests ran, at least 7 expected" in out


def test_a_stage_without_a_report_fails(tmp_path):
    code, out = verdict(tmp_path, "ran integration 1s rc=2 min=1", "passed lint 1s")
    assert code == 1 and "no test report (exit 2)" in out


def test_a_gate_note_says_what_was_checked(tmp_path):
    code, out = verdict(tmp_path, "passed execution-environment 3s definition checked, image not built")
    assert code == 0 and "passed (definition checked, image not built)" in out


def test_nothing_run_is_not_a_pass(tmp_path):
    code, out = verdict(tmp_path)
    assert code == 1 and out.splitlines()[-1] == "0 passed, 0 failed, 0 skipped"
