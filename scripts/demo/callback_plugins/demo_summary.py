# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stdout callback of `make demo` (scripts/demo.sh), not part of the collection.

It prints a short account of one ansible-playbook run instead of the default pages of diffs: with
DEMO_PHASE=real, one line per change (the diff made compact) and the messages of the debug tasks; in every
phase, failures in full and every warning. It writes what each task did (changed or not per item, what kind of
change, the warnings) to the JSON file DEMO_RECORD, which scripts/demo/report.py compares across the dry run,
the real run and the second run.
"""

import json
import os
import time

from ansible import constants as C
from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: demo_summary
type: stdout
short_description: The compact output of make demo
description:
  - Prints one line per change and records each task's outcome for scripts/demo/report.py.
options: {}
"""

# Actions that only show or steer; they are left out of the record (they never change anything).
QUIET_ACTIONS = {"debug", "set_fact", "assert", "fail", "include_tasks", "import_tasks", "include_role", "import_role",
                 "meta", "validate_argument_spec"}
# Fields the server decides, or that change with every write: left out of the compact diff.
NOISE = {"id", "incarnation_repository", "target_directory", "commit_sha", "commit_url", "revision",
         "template_data_full", "template_repository_version_hash", "merge_request_id", "created_date",
         "reference_number"}
WIDTH = 118


def _short_action(action):
    return action.rsplit(".", 1)[-1]


def _flat(value, prefix=""):
    """Dotted keys to scalar values (lists of dicts by index)."""
    if isinstance(value, dict):
        out = {}
        for key in value:
            out.update(_flat(value[key], "%s%s%s" % (prefix, "." if prefix else "", key)))
        return out
    if isinstance(value, list) and not value:
        return {}
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        out = {}
        for index, item in enumerate(value):
            out.update(_flat(item, "%s[%d]" % (prefix, index)))
        return out
    return {prefix: value}


def _text(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def _noise(key):
    return any(part.split("[")[0] in NOISE or part.endswith("_url") for part in key.split("."))


def _rank(key):
    """Versions first, then data, then the rest, each alphabetically."""
    return (0 if "version" in key else 1 if "data" in key else 2, key)


def _diffs(result):
    diff = result.get("diff")
    if isinstance(diff, dict):
        return [diff]
    return [d for d in diff or [] if isinstance(d, dict)]


def kind_of(result):
    """What a changed result did: create, update or delete (from the result's lists, else from its diff)."""
    kinds = [name for name in ("created", "updated", "deleted") if result.get(name)]
    if kinds:
        return "+".join(kinds)
    for diff in _diffs(result):
        before, after = diff.get("before"), diff.get("after")
        if before in (None, {}, "") and after not in (None, {}, ""):
            return "create"
        if after in (None, {}, "") and before not in (None, {}, ""):
            return "delete"
        return "update"
    return "change"


def summary_of(result):
    """A one-line account of a change: the lists of the bulk modules, else the fields the diff changes."""
    lists = ["%s %s" % (name, ", ".join(str(x) for x in result[name])) for name in ("created", "updated", "deleted")
             if result.get(name)]
    if lists:
        return "; ".join(lists)
    parts = []
    for diff in _diffs(result):
        after = diff.get("after")
        if isinstance(after, dict) and len(after) == 1 and isinstance(list(after.values())[0], list):
            name, value = list(after.items())[0]
            parts.append("%d %s" % (len(value), name.replace("_", " ")))
            continue
        before, after = _flat(diff.get("before") or {}), _flat(diff.get("after") or {})
        keys = [k for k in sorted(set(before) | set(after), key=_rank) if not _noise(k) and before.get(k) != after.get(k)]
        if not before:
            parts.extend("%s=%s" % (k, _text(after[k])) for k in keys if after.get(k) not in (None, "", []))
        else:
            parts.extend("%s: %s -> %s" % (k, _text(before.get(k)), _text(after.get(k))) for k in keys)
    if len(parts) > 5:
        parts = parts[:5] + ["(+%d more)" % (len(parts) - 5)]
    return ", ".join(parts)


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "demo_summary"

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.phase = os.environ.get("DEMO_PHASE", "real")
        self.record_path = os.environ.get("DEMO_RECORD")
        self.playbook = ""
        self.playbooks = []
        self.play = ""
        self.entries = []
        self.warnings = []
        self.clock = time.time()

    # -- output ---------------------------------------------------------------------------------------------
    def _line(self, text, color=None):
        if len(text) > WIDTH:
            text = text[:WIDTH - 3] + "..."
        self._display.display(text, color=color)

    def _label(self, result):
        item = result.result.get("_ansible_item_label", result.result.get("item"))
        if item is None:
            return None
        return item if isinstance(item, str) else json.dumps(item, sort_keys=True, default=str)

    def _record(self, result, status):
        res = result.result
        task = result.task
        action = _short_action(task.action)
        warnings = [getattr(getattr(w, "event", None), "msg", None) or str(w) for w in result.warnings]
        warnings += [getattr(getattr(d, "event", None), "msg", None) or str(d) for d in result.deprecations]
        for text in warnings:
            self.warnings.append("%s: %s" % (task.get_name(), text))
        self._handle_warnings_and_exception(result)
        label = self._label(result)
        task_name = task.get_name().replace("apiops.platforms.", "")
        name = task_name + (" [%s]" % label if label is not None else "")
        changed = bool(res.get("changed")) and status == "ok"
        if status == "failed":
            self._line("  FAILED   %s" % name, C.COLOR_ERROR)
            for key in ("msg", "error", "status", "method", "url", "body"):
                if res.get(key) not in (None, ""):
                    self._display.display("           %s: %s" % (key, res[key]), color=C.COLOR_ERROR)
        elif changed and self.phase == "real":
            self._line("  changed  %s: %s" % (name, summary_of(res)), C.COLOR_CHANGED)
        elif action == "debug" and self.phase == "real" and "msg" in res:
            messages = res["msg"] if isinstance(res["msg"], list) else [res["msg"]]
            for message in messages:
                self._line("  >> %s" % message, C.COLOR_OK)
        if action in QUIET_ACTIONS or (status == "ok" and res.get("_ansible_no_log")):
            return
        self.entries.append({
            "playbook": self.playbook, "play": self.play, "task": task_name, "item": label,
            "action": action, "status": status, "changed": changed,
            "kind": kind_of(res) if changed else None, "warnings": warnings,
            "seconds": round(time.time() - self.clock, 2),
        })
        self.clock = time.time()

    # -- events ---------------------------------------------------------------------------------------------
    def v2_playbook_on_start(self, playbook):
        self.playbook = os.path.relpath(playbook._file_name)
        if self.playbook not in self.playbooks:
            self.playbooks.append(self.playbook)

    def v2_playbook_on_play_start(self, play):
        self.play = play.get_name().strip()
        self._line("%s: %s" % (self.playbook, self.play))

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.clock = time.time()

    def v2_runner_on_ok(self, result):
        if not result.task.loop:
            self._record(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        if not result.task.loop or "results" not in result.result:
            self._record(result, "failed")

    def v2_runner_on_skipped(self, result):
        if not result.task.loop:
            self._record(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self._record(result, "failed")

    def v2_runner_item_on_ok(self, result):
        self._record(result, "ok")

    def v2_runner_item_on_failed(self, result):
        self._record(result, "failed")

    def v2_runner_item_on_skipped(self, result):
        self._record(result, "skipped")

    def v2_playbook_on_stats(self, stats):
        for playbook in self.playbooks:
            entries = [e for e in self.entries if e["playbook"] == playbook]
            self._line("  %s%d tasks, %d changed" % ("%s: " % playbook if len(self.playbooks) > 1 else "",
                                                     len(entries), sum(1 for e in entries if e["changed"])))
        totals = stats.summarize("localhost") if "localhost" in stats.processed else {}
        failures = totals.get("failures", 0) + totals.get("unreachable", 0)
        if failures or self.warnings:
            self._line("  %d failed, %d warnings" % (failures, len(self.warnings)), C.COLOR_ERROR)
        if self.record_path:
            with open(self.record_path, "w") as handle:
                json.dump({"phase": self.phase, "entries": self.entries, "warnings": self.warnings,
                           "failures": failures}, handle, indent=1)
