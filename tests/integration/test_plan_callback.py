# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan callback on real runs against the real Foxops server and the StockTrim sandbox: one playbook with
every kind (a resource in a loop, a single resource, a bulk module, an action, a task under no_log, an info module
and a task of another collection), run in check mode and then for real, twice (creates, then updates), then once
more (nothing to do).  The plan of each dry run equals the plan of the real run after it, the printed total line
is the JSON file's summary, and the values appear only with --diff.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

from conftest import FOXOPS_TOKEN, STOCKTRIM_AUTH_ID, STOCKTRIM_AUTH_SIGNATURE

BIN = Path(sys.executable).parent
REPOSITORIES = ["plan-a", "plan-b"]

PLAY = """
- name: Every kind of the collection, in one play
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
    step: 1
  module_defaults:
    group/apiops.platforms.foxops:
      url: "{{ foxops_url }}"
      token: "{{ foxops_token }}"
    group/apiops.platforms.stocktrim:
      url: "{{ stocktrim_url }}"
      auth_id: "{{ stocktrim_auth_id }}"
      auth_signature: "{{ stocktrim_auth_signature }}"
  tasks:
    - name: Keep the fleet
      apiops.platforms.foxops_incarnation:
        incarnation_repository: "{{ item }}"
        template_repository: template
        template_repository_version: "{{ 'v1.0.0' if step | int == 1 else 'v2.0.0' }}"
        template_data: {name: Plan, age: 1}
        change_type: direct
      loop: %(repositories)s

    - name: Keep the suppliers
      apiops.platforms.stocktrim_suppliers:
        suppliers:
          - {supplier_code: ACME, supplier_name: "{{ 'Acme' if step | int == 1 else 'Acme Supplies' }}"}
          - {supplier_code: BOLT, supplier_name: Bolt}

    - name: Keep a product
      apiops.platforms.stocktrim_product:
        product_id: P1
        name: "{{ 'Widget' if step | int == 1 else 'Blue widget' }}"
        cost: 2.5

    - name: Keep a hidden product
      apiops.platforms.stocktrim_product:
        product_id: P2
        name: Hidden
      no_log: true

    - name: Start the forecast
      apiops.platforms.stocktrim_forecast:
      when: step | int == 1

    - name: Read the suppliers (info modules are not in the plan)
      apiops.platforms.stocktrim_supplier_info:

    - name: Another collection's task (not in the plan)
      ansible.builtin.set_fact:
        seen: true
""" % {"repositories": json.dumps(REPOSITORIES)}


def run(tmp_path, env, name, step, *options):
    plan_file = tmp_path / ("%s.json" % name)
    play = tmp_path / "play.yml"
    play.write_text(PLAY)
    proc = subprocess.run([str(BIN / "ansible-playbook"), "-i", "localhost,", "-e", "step=%d" % step, "-e",
                           "@%s" % (tmp_path / "vars.json")] + list(options) + [str(play)],
                          env=dict(env, ANSIBLE_CALLBACKS_ENABLED="apiops.platforms.plan", APIOPS_PLAN_FILE=str(plan_file)),
                          capture_output=True, text=True, timeout=600, check=False)
    output = proc.stdout + proc.stderr
    (tmp_path / ("%s.txt" % name)).write_text(output)
    assert proc.returncode == 0, output[-20000:]
    assert "[WARNING]" not in output, output
    assert FOXOPS_TOKEN not in output and STOCKTRIM_AUTH_SIGNATURE not in output
    plan = json.loads(plan_file.read_text())
    summary = plan["summary"]
    total = "Plan: %d to create, %d to update, %d to delete, %d to run, %d unchanged" % (
        summary["create"], summary["update"], summary["delete"], summary["run"], summary["unchanged"])
    assert total in output, output[-5000:]
    return plan, output


def comparable(plan):
    """The changes without the values (a dry run predicts the values the writes send, not what the server
    decides) and without the failure marks."""
    return [dict((k, v) for k, v in change.items() if k not in ("values",)) for change in plan["changes"]]


def actions(plan):
    return [(change["module"].rsplit(".", 1)[-1], change["action"]) for change in plan["changes"]]


def test_the_plan_of_each_dry_run_is_the_record_of_its_real_run(
        foxops_server, stocktrim_sandbox, ansible_env, tmp_path):
    for repository in REPOSITORIES:
        foxops_server.add_repository(repository)
    request = urllib.request.Request(stocktrim_sandbox.url + "/_sandbox/reset", data=b"{}", method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as resp:
        assert resp.status < 300
    (tmp_path / "vars.json").write_text(json.dumps({
        "foxops_url": foxops_server.url, "foxops_token": FOXOPS_TOKEN, "stocktrim_url": stocktrim_sandbox.url,
        "stocktrim_auth_id": STOCKTRIM_AUTH_ID, "stocktrim_auth_signature": STOCKTRIM_AUTH_SIGNATURE}))

    check, output = run(tmp_path, ansible_env, "1-check", 1, "--check")
    assert check["check_mode"] is True and "PLAN (dry run: what would change)" in output
    real, output = run(tmp_path, ansible_env, "1-real", 1)
    assert real["check_mode"] is False and "PLAN (what this run changed)" in output
    assert comparable(check) == comparable(real)
    assert actions(real) == [
        ("foxops_incarnation", "create"), ("foxops_incarnation", "create"),
        ("stocktrim_suppliers", "create"), ("stocktrim_suppliers", "create"),
        ("stocktrim_product", "create"), ("stocktrim_product", "unknown"), ("stocktrim_forecast", "run")]
    assert real["summary"] == {"create": 5, "update": 0, "delete": 0, "run": 1, "unchanged": 0}
    first = real["changes"][0]
    assert first["host"] == "localhost" and first["task"] == "Keep the fleet"
    assert first["key"] == {"incarnation_repository": "plan-a", "target_directory": "."}
    assert real["changes"][2]["key"] == {"supplier_code": "ACME"}
    assert real["changes"][6]["unpredicted"] is True  # the forecast's status once started is the server's
    assert not any("values" in change for change in real["changes"])  # no --diff, no values

    check, output = run(tmp_path, ansible_env, "2-check", 2, "--check", "--diff")
    real, output = run(tmp_path, ansible_env, "2-real", 2, "--diff")
    assert comparable(check) == comparable(real)
    assert actions(real) == [
        ("foxops_incarnation", "update"), ("foxops_incarnation", "update"),
        ("stocktrim_suppliers", "update"), ("stocktrim_suppliers", "none"),
        ("stocktrim_product", "update"), ("stocktrim_product", "unknown")]
    assert real["changes"][0]["fields"] == ["template_repository_version"]
    assert real["changes"][2]["fields"] == ["supplier_name"]
    assert real["changes"][2]["values"] == {"supplier_name": {"before": "Acme", "after": "Acme Supplies"}}
    assert check["changes"][4]["values"] == {"name": {"before": "Widget", "after": "Blue widget"}}
    assert "        name: Widget -> Blue widget" in output
    assert "Plan: 0 to create, 4 to update, 0 to delete, 0 to run, 1 unchanged" in output
    assert "Hidden" not in json.dumps(real)

    again, output = run(tmp_path, ansible_env, "3-again", 2)
    assert set(action for _module, action in actions(again)) == {"none", "unknown"}
    assert "Plan: 0 to create, 0 to update, 0 to delete, 0 to run, 5 unchanged" in output
