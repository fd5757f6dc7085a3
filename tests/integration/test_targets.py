# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run every integration target against the real services with ``ansible-playbook --diff``.

A target is a role under ``targets/<name>/`` whose ``tasks/main.yml`` follows the four-step pattern
(check -> apply -> idempotent check -> idempotent apply) and asserts that the check run predicted the real
one.  Targets named ``foxops_*`` run against the real Foxops server, ``stocktrim_*`` against the sandbox
(reset before each target).  The play sets the connection once through the module_defaults action groups.
A warning fails the target unless the target lists the expected ones in ``expected_warnings`` (one
substring a line).
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from conftest import FOXOPS_TOKEN, REPO, STOCKTRIM_AUTH_ID, STOCKTRIM_AUTH_SIGNATURE

TARGETS = REPO / "tests" / "integration" / "targets"
FOXOPS_FAULT_REPOS = ["faults-a", "faults-b", "faults-c"]

PLAY = """
- name: Integration target {target}
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{{{ ansible_playbook_python }}}}"
  module_defaults:
    group/apiops.platforms.foxops:
      url: "{{{{ foxops_url | default(omit) }}}}"
      token: "{{{{ foxops_token | default(omit) }}}}"
    group/apiops.platforms.stocktrim:
      url: "{{{{ stocktrim_url | default(omit) }}}}"
      auth_id: "{{{{ stocktrim_auth_id | default(omit) }}}}"
      auth_signature: "{{{{ stocktrim_auth_signature | default(omit) }}}}"
  roles:
    - {target}
"""


def targets(prefix):
    return sorted(p.name for p in TARGETS.iterdir() if p.name.startswith(prefix) and (p / "tasks" / "main.yml").exists())


def run_target(target, extra_vars, env, tmp_path):
    playbook = tmp_path / "play.yml"
    playbook.write_text(PLAY.format(target=target))
    varsfile = tmp_path / "vars.json"
    varsfile.write_text(json.dumps(extra_vars))
    cmd = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,", "--diff", "-e", "@%s" % varsfile, str(playbook)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900, check=False)
    output = proc.stdout + proc.stderr
    (tmp_path / "output.txt").write_text(output)
    assert proc.returncode == 0, "target %s failed:\n%s" % (target, output[-20000:])
    expected = []
    allow = TARGETS / target / "expected_warnings"
    if allow.exists():
        expected = [line.strip() for line in allow.read_text().splitlines() if line.strip() and not line.startswith("#")]
    warnings = [line for line in output.splitlines() if "[WARNING]" in line or "[DEPRECATION WARNING]" in line]
    unexpected = [w for w in warnings if not any(e in w for e in expected)]
    assert not unexpected, "target %s warned:\n%s" % (target, "\n".join(unexpected))
    return output


def common_vars(tmp_path):
    return {"apiops_repo_root": str(REPO), "apiops_python": sys.executable, "apiops_tmp": str(tmp_path)}


@pytest.mark.parametrize("target", [t for t in targets("foxops_") if t != "foxops_faults"])
def test_foxops_target(target, foxops_server, foxops_fault_proxy, ansible_env, tmp_path):
    """A Foxops target talks to Foxops through a fault proxy with no faults (``foxops_url``), whose request log
    (``write_log_url``) counts the writes; ``foxops_server_url`` reaches the server directly."""
    extra = common_vars(tmp_path)
    extra.update({
        "foxops_url": foxops_fault_proxy.url,
        "foxops_server_url": foxops_server.url,
        "write_log_url": foxops_fault_proxy.url + "/_proxy/requests",
        "foxops_token": FOXOPS_TOKEN,
        "foxops_workdir": str(foxops_server.workdir),
        "foxops_harness": str(REPO / "tests" / "harness" / "foxops_server.py"),
    })
    run_target(target, extra, ansible_env, tmp_path)


def test_foxops_faults_target(foxops_server, foxops_fault_proxy, ansible_env, tmp_path):
    """The foxops_faults target talks to Foxops through the fault proxy (``foxops_url``); ``foxops_server_url``
    reaches the server directly, to re-read what it holds."""
    for repo in FOXOPS_FAULT_REPOS:
        foxops_server.add_repository(repo)
    extra = common_vars(tmp_path)
    extra.update({
        "foxops_url": foxops_fault_proxy.url,
        "foxops_server_url": foxops_server.url,
        "write_log_url": foxops_fault_proxy.url + "/_proxy/requests",
        "foxops_token": FOXOPS_TOKEN,
        "foxops_workdir": str(foxops_server.workdir),
        "foxops_harness": str(REPO / "tests" / "harness" / "foxops_server.py"),
    })
    output = run_target("foxops_faults", extra, ansible_env, tmp_path)
    assert FOXOPS_TOKEN not in output


@pytest.mark.parametrize("target", targets("stocktrim_"))
def test_stocktrim_target(target, stocktrim_sandbox, ansible_env, tmp_path):
    request = urllib.request.Request(stocktrim_sandbox.url + "/_sandbox/reset", data=b"{}", method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as resp:
        assert resp.status < 300
    extra = common_vars(tmp_path)
    extra.update({
        "stocktrim_url": stocktrim_sandbox.url,
        "write_log_url": stocktrim_sandbox.url + "/_sandbox/requests",
        "stocktrim_auth_id": STOCKTRIM_AUTH_ID,
        "stocktrim_auth_signature": STOCKTRIM_AUTH_SIGNATURE,
    })
    run_target(target, extra, ansible_env, tmp_path)
