# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan callback fed with task results as Ansible hands them over: every kind (a resource, a bulk module's
items, an action), loops, no_log, failures, other collections and info modules left out, values only with
--diff, the printed plan and the JSON file."""

from __future__ import annotations

import json

import pytest

from ansible_collections.apiops.platforms.plugins.callback import plan as plugin_module
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import MASK


class Task:
    def __init__(self, name, action, loop=None):
        self.name, self.action, self.resolved_action, self.loop = name, action, action, loop

    def get_name(self):
        return self.name


class Host:
    def __init__(self, name):
        self.name = name

    def get_name(self):
        return self.name


class Result:
    def __init__(self, task, result, host="localhost"):
        self._task, self._result, self._host = task, result, Host(host)


class Display:
    def __init__(self):
        self.lines = []

    def display(self, msg, **kwargs):
        self.lines.append(msg)


def make_callback(check_mode=False, **options):
    callback = plugin_module.CallbackModule()
    callback.check_mode = check_mode
    values = {"path": None, "show_unchanged": False}
    values.update(options)
    callback.get_option = values.get
    callback._display = Display()
    return callback


PRODUCTS = "apiops.platforms.stocktrim_products"
INCARNATION = "apiops.platforms.foxops_incarnation"

RESOURCE_UPDATE = {
    "changed": True,
    "incarnation": {"incarnation_repository": "billing"},
    "plan": {"kind": "resource", "key": {"incarnation_repository": "billing", "target_directory": "."},
             "action": "update", "fields": ["template_repository_version"]},
}
BULK = {
    "changed": True, "created": ["C"], "updated": ["B"], "unchanged": ["A"], "deleted": [],
    "plan": {"kind": "bulk", "items": [
        {"key": {"product_id": "A"}, "action": "none", "fields": []},
        {"key": {"product_id": "B"}, "action": "update", "fields": ["cost", "name"]},
        {"key": {"product_id": "C"}, "action": "create", "fields": []},
    ]},
}
ACTION = {"changed": True, "plan": {"kind": "action", "key": {}, "action": "run", "fields": [], "unpredicted": True}}


def feed(callback):
    callback.v2_runner_on_ok(Result(Task("Keep the catalogue", PRODUCTS), BULK))
    callback.v2_runner_item_on_ok(Result(Task("Keep the fleet", INCARNATION, loop="x"), RESOURCE_UPDATE))
    callback.v2_runner_on_ok(Result(Task("Keep the fleet", INCARNATION, loop="x"),
                                    {"changed": True, "results": [RESOURCE_UPDATE]}))  # the loop's whole result
    callback.v2_runner_on_ok(Result(Task("Start the forecast", "apiops.platforms.stocktrim_forecast"), ACTION))
    callback.v2_runner_on_ok(Result(Task("Read", "apiops.platforms.stocktrim_product_info"), {"changed": False}))
    callback.v2_runner_on_ok(Result(Task("Elsewhere", "ansible.builtin.copy"), {"changed": True}))
    callback.v2_playbook_on_stats(None)


def test_every_kind_is_in_the_plan_and_the_totals_count_it(tmp_path):
    path = tmp_path / "out" / "plan.json"
    callback = make_callback(check_mode=True, path=str(path))
    feed(callback)
    data = json.loads(path.read_text())
    assert data["format_version"] == 1 and data["check_mode"] is True
    assert data["summary"] == {"create": 1, "update": 2, "delete": 0, "run": 1, "unchanged": 1}
    assert [(c["module"], c["key"], c["action"]) for c in data["changes"]] == [
        (PRODUCTS, {"product_id": "A"}, "none"),
        (PRODUCTS, {"product_id": "B"}, "update"),
        (PRODUCTS, {"product_id": "C"}, "create"),
        (INCARNATION, {"incarnation_repository": "billing", "target_directory": "."}, "update"),
        ("apiops.platforms.stocktrim_forecast", {}, "run"),
    ]
    update = data["changes"][1]
    assert update == {"host": "localhost", "task": "Keep the catalogue", "module": PRODUCTS,
                      "key": {"product_id": "B"}, "action": "update", "fields": ["cost", "name"]}
    assert "fields" not in data["changes"][2] and data["changes"][4]["unpredicted"] is True
    lines = callback._display.lines
    assert lines[0] == "PLAN (dry run: what would change)"
    assert lines[-1] == "Plan: 1 to create, 2 to update, 0 to delete, 1 to run, 1 unchanged"
    assert "  ~ update  stocktrim_products product_id=B: cost, name" in lines
    assert "  > run     stocktrim_forecast (the tenant)" in lines
    assert not any("product_id=A" in line for line in lines)  # unchanged, not shown by default


def test_values_only_with_diff_masked_as_in_the_diff():
    diff = {"before": {"B": {"product_id": "B", "name": "bee", "cost": 1.5}},
            "after": {"B": {"product_id": "B", "name": "Bee", "cost": 2}}}
    changes = plugin_module.changes_of("h", "t", PRODUCTS, dict(BULK, diff=diff))
    assert changes[1]["values"] == {"cost": {"before": 1.5, "after": 2}, "name": {"before": "bee", "after": "Bee"}}
    assert "values" not in changes[0] and "values" not in changes[2]
    secret = dict(RESOURCE_UPDATE, plan=dict(RESOURCE_UPDATE["plan"], fields=["token"]),
                  diff={"before": {"token": MASK}, "after": {"token": MASK}})
    change = plugin_module.changes_of("h", "t", INCARNATION, secret)[0]
    assert change["values"] == {"token": {"before": MASK, "after": MASK}}
    assert "values" not in plugin_module.changes_of("h", "t", INCARNATION, RESOURCE_UPDATE)[0]
    lines = plugin_module.lines_of(changes, check_mode=False)
    assert lines[0] == "PLAN (what this run changed)" and "        name: bee -> Bee" in lines


def test_no_log_shows_as_unknown_and_failures_are_marked():
    censored = {"censored": "the output has been hidden due to the fact that 'no_log: true' was specified",
                "changed": True}
    assert plugin_module.changes_of("h", "Hidden", INCARNATION, censored) == [
        {"host": "h", "task": "Hidden", "module": INCARNATION, "key": {}, "action": "unknown"}]
    failed = dict(RESOURCE_UPDATE, failed=True, plan=dict(RESOURCE_UPDATE["plan"], failed=True))
    assert plugin_module.changes_of("h", "t", INCARNATION, failed)[0]["failed"] is True
    early = plugin_module.changes_of("h", "t", INCARNATION, {"failed": True, "msg": "missing required arguments"})
    assert early[0]["action"] == "unknown" and early[0]["failed"] is True
    bulk = dict(BULK, failed=True, plan={"kind": "bulk", "items": [
        {"key": {"product_id": "B"}, "action": "update", "fields": ["cost"], "failed": True},
        {"key": {"product_id": "C"}, "action": "create", "fields": []}]})
    changes = plugin_module.changes_of("h", "t", PRODUCTS, bulk)
    assert [c.get("failed", False) for c in changes] == [True, False]
    lines = plugin_module.lines_of(changes + plugin_module.changes_of("h", "Hidden", INCARNATION, censored), True)
    assert "  ~ update  stocktrim_products product_id=B: cost  FAILED" in lines
    assert any("no_log hid the result of Hidden" in line for line in lines)
    assert lines[-1] == "Plan: 1 to create, 1 to update, 0 to delete, 0 to run, 0 unchanged"


def test_failed_loop_items_and_the_failed_whole_of_a_loop():
    callback = make_callback()
    task = Task("Keep the fleet", INCARNATION, loop="x")
    failed = dict(RESOURCE_UPDATE, failed=True, plan=dict(RESOURCE_UPDATE["plan"], failed=True))
    callback.v2_runner_item_on_failed(Result(task, failed))
    callback.v2_runner_on_failed(Result(task, {"failed": True, "results": [failed]}))
    assert len(callback.changes) == 1 and callback.changes[0]["failed"]


@pytest.mark.parametrize("module", ["community.general.thing", "apiops.platforms.foxops_incarnation_info"])
def test_other_collections_and_info_modules_are_left_out(module):
    assert plugin_module.changes_of("h", "t", module, {"changed": True, "failed": True, "censored": "x"}) == []


def test_a_module_of_the_collection_without_a_record_is_left_out():
    assert plugin_module.changes_of("h", "t", INCARNATION, {"changed": False}) == []


def test_hosts_are_named_when_there_are_several_and_nothing_to_do_is_said():
    changes = plugin_module.changes_of("a", "t", INCARNATION, RESOURCE_UPDATE)
    changes += plugin_module.changes_of("b", "t", INCARNATION, RESOURCE_UPDATE)
    assert any(line.startswith("  ~ update  a foxops_incarnation") for line in plugin_module.lines_of(changes, True))
    assert plugin_module.lines_of([], True)[1:] == ["  no changes",
                                                    "Plan: 0 to create, 0 to update, 0 to delete, 0 to run, 0 unchanged"]


def test_unchanged_are_printed_on_request():
    callback = make_callback(show_unchanged=True)
    callback.v2_runner_on_ok(Result(Task("Keep the catalogue", PRODUCTS), BULK))
    callback.v2_playbook_on_stats(None)
    assert "  = none    stocktrim_products product_id=A" in callback._display.lines


def test_the_documentation_names_the_options_the_plugin_reads():
    import yaml

    doc = yaml.safe_load(plugin_module.DOCUMENTATION)
    assert doc["type"] == "aggregate" and set(doc["options"]) == {"path", "show_unchanged"}
    assert doc["options"]["path"]["env"] == [{"name": "APIOPS_PLAN_FILE"}]
    assert doc["options"]["path"]["ini"] == [{"section": "callback_apiops_plan", "key": "path"}]
