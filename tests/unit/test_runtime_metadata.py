# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""meta/runtime.yml stays in step with the plugins present and with the ansible-core the tests run on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_action_groups_match_the_modules():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "action_groups.py"), "--check"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_every_module_is_in_its_group():
    runtime = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text())
    modules = sorted(p.stem for p in (ROOT / "plugins" / "modules").glob("*.py"))
    grouped = sorted(runtime["action_groups"]["foxops"] + runtime["action_groups"]["stocktrim"])
    assert modules and grouped == modules


def test_requires_ansible_is_the_ansible_core_the_tests_run_on():
    runtime = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text())
    pins = (ROOT / "lock" / "dev.in").read_text().splitlines()
    tested = [line.split("==")[1] for line in pins if line.startswith("ansible-core==")][0]
    assert runtime["requires_ansible"] == ">=%s.0" % ".".join(tested.split(".")[:2])
