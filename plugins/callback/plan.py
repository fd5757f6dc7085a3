# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: plan
type: aggregate
short_description: The plan of a run, what the collection's tasks would change or changed
version_added: 2.0.0
description:
  - "At the end of a run, prints what the tasks of this collection would change (a run in check mode) or changed
    (a real run), one line per object and key, then the totals
    C(Plan: N to create, N to update, N to delete, N to run, N unchanged)."
  - For an update it names the options that change; their values are shown only with C(--diff), masked as in
    the diff. Bulk modules give one change per item, action modules (and the request modules) a C(run).
  - With O(path), writes the plan as JSON, C(format_version) 1 (see the guide "Review changes before they
    happen").
  - A task with C(no_log) reaches a callback censored; it is shown as C(unknown). A failed task is marked
    C(failed). Info modules, lookups and tasks of other collections are not in the plan.
  - An aggregate callback, it works beside any stdout callback; enable it with C(callbacks_enabled).
requirements:
  - enable it in C(ansible.cfg) with C(callbacks_enabled = apiops.platforms.plan) or with
    the environment variable C(ANSIBLE_CALLBACKS_ENABLED)
options:
  path:
    description:
      - The file the plan is written to as JSON at the end of the run (its folder is created). Not given, the plan
        is only printed.
    type: path
    env:
      - name: APIOPS_PLAN_FILE
    ini:
      - section: callback_apiops_plan
        key: path
  show_unchanged:
    description:
      - Also print the objects the run left unchanged (they are always in the JSON file).
    type: bool
    default: false
    env:
      - name: APIOPS_PLAN_SHOW_UNCHANGED
    ini:
      - section: callback_apiops_plan
        key: show_unchanged
author:
  - apiops.platforms maintainers (@apiops)
"""

import json
import os
import tempfile

from ansible import context
from ansible.plugins.callback import CallbackBase

COLLECTION = "apiops.platforms."
FORMAT_VERSION = 1
ACTIONS = ("create", "update", "delete", "run")
SIGNS = {"create": "+", "update": "~", "delete": "-", "run": ">", "none": "=", "unknown": "?"}
VALUE_WIDTH = 60


def module_of(task):
    """The task's module as a fully qualified name (a short name under the ``collections`` keyword resolved)."""
    return getattr(task, "resolved_action", None) or task.action


def _identity(key):
    """How a bulk module's diff names an item: its key's value, or its values joined by ``/``."""
    values = [str(v) for v in key.values()]
    return values[0] if len(values) == 1 else "/".join(values)


def _values(fields, before, after):
    before, after = before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}
    return dict((name, {"before": before.get(name), "after": after.get(name)}) for name in fields)


def changes_of(host, task_name, module, result):
    """The changes of one task result (an item's, in a loop): a list of change dicts, empty when the result is not
    in the plan (not this collection's, an info module, a module without a plan record that did not fail)."""
    if not module.startswith(COLLECTION) or module.endswith("_info"):
        return []
    base = {"host": host, "task": task_name, "module": module}
    failed = bool(result.get("failed"))
    record = result.get("plan")
    if result.get("censored") or not isinstance(record, dict):
        if not (result.get("censored") or failed):
            return []
        change = dict(base, key={}, action="unknown")  # no_log hid the result, or it failed before its record
        if failed:
            change["failed"] = True
        return [change]
    diff = result.get("diff") if isinstance(result.get("diff"), dict) else None
    if record.get("kind") == "bulk":
        entries = record.get("items") or []
        if diff is not None:
            entries = [dict(entry, _before=(diff.get("before") or {}).get(_identity(entry.get("key") or {})),
                            _after=(diff.get("after") or {}).get(_identity(entry.get("key") or {})))
                       for entry in entries]
        if record.get("failed"):
            entries = [dict(entry, failed=True) for entry in entries]
    else:
        entries = [dict(record, _before=(diff or {}).get("before"), _after=(diff or {}).get("after"))]
    changes = []
    for entry in entries:
        change = dict(base, key=entry.get("key") or {}, action=entry.get("action") or "unknown")
        if change["action"] == "update":
            change["fields"] = list(entry.get("fields") or [])
            if diff is not None:
                change["values"] = _values(change["fields"], entry.get("_before"), entry.get("_after"))
        if entry.get("failed") or (failed and record.get("kind") != "bulk"):
            change["failed"] = True
        if record.get("unpredicted"):
            change["unpredicted"] = True
        changes.append(change)
    return changes


def summary_of(changes):
    summary = dict((action, sum(1 for c in changes if c["action"] == action)) for action in ACTIONS)
    summary["unchanged"] = sum(1 for c in changes if c["action"] == "none")
    return summary


def total_line(summary):
    return "Plan: %d to create, %d to update, %d to delete, %d to run, %d unchanged" % (
        summary["create"], summary["update"], summary["delete"], summary["run"], summary["unchanged"])


def _text(value):
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= VALUE_WIDTH else text[:VALUE_WIDTH - 3] + "..."


def describe_key(key):
    return ", ".join("%s=%s" % (name, _text(value)) for name, value in key.items()) or "(the tenant)"


def lines_of(changes, check_mode, show_unchanged=False):
    """The printed plan: a heading, one line per change (and its values, with --diff), the total line."""
    hosts = set(c["host"] for c in changes)
    lines = ["PLAN (%s)" % ("dry run: what would change" if check_mode else "what this run changed")]
    for change in changes:
        if change["action"] == "none" and not show_unchanged and not change.get("failed"):
            continue
        where = "%s " % change["host"] if len(hosts) > 1 else ""
        key = describe_key(change["key"]) if change["action"] != "unknown" or change["key"] else "(hidden)"
        line = "  %s %-7s %s%s %s" % (SIGNS.get(change["action"], "?"), change["action"], where,
                                      change["module"].replace(COLLECTION, ""), key)
        if change.get("fields"):
            line += ": " + ", ".join(change["fields"])
        if change.get("failed"):
            line += "  FAILED"
        if change["action"] == "unknown" and not change.get("failed"):
            line += ": no_log hid the result of %s" % change["task"]
        lines.append(line)
        for name, value in sorted((change.get("values") or {}).items()):
            lines.append("        %s: %s -> %s" % (name, _text(value["before"]), _text(value["after"])))
    if len(lines) == 1:
        lines.append("  no changes")
    lines.append(total_line(summary_of(changes)))
    return lines


def document(changes, check_mode):
    """The JSON plan, format_version 1."""
    return {"format_version": FORMAT_VERSION, "check_mode": bool(check_mode), "changes": changes,
            "summary": summary_of(changes)}


def write_json(path, data):
    """Write ``data`` to ``path`` whole or not at all (a temporary file renamed), creating its folder."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        os.makedirs(folder)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".plan-", suffix=".json")
    try:
        with os.fdopen(handle, "w") as stream:
            json.dump(data, stream, indent=2, sort_keys=False, default=str)
            stream.write("\n")
        os.rename(temporary, path)
    except Exception:
        os.unlink(temporary)
        raise


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "apiops.platforms.plan"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.changes = []
        self.check_mode = bool(context.CLIARGS.get("check", False))

    def _collect(self, result):
        task = result._task
        res = result._result
        if not isinstance(res, dict):
            return
        if isinstance(res.get("results"), list) and "plan" not in res:
            return  # a loop's whole result: its items came one by one
        host = result._host.get_name() if result._host is not None else "localhost"
        self.changes.extend(changes_of(host, task.get_name(), module_of(task), res))

    def v2_runner_on_ok(self, result):
        self._collect(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._collect(result)

    def v2_runner_item_on_ok(self, result):
        self._collect(result)

    def v2_runner_item_on_failed(self, result):
        self._collect(result)

    def v2_playbook_on_stats(self, stats):
        for line in lines_of(self.changes, self.check_mode, self.get_option("show_unchanged")):
            self._display.display(line)
        path = self.get_option("path")
        if path:
            write_json(path, document(self.changes, self.check_mode))
