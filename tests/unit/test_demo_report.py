# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The verdict of `make demo` (scripts/demo/report.py) fails on each thing it promises to catch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "scripts" / "demo" / "report.py"


def entry(changed, kind=None, item="a", status="ok", playbook="examples/demo.yml", task="Keep it"):
    return {"playbook": playbook, "play": "p", "task": task, "item": item, "action": "m", "status": status,
            "changed": changed, "kind": kind, "warnings": [], "seconds": 0.1}


def write(folder, phase, entries, warnings=(), failures=0, name=None):
    record = {"phase": phase, "entries": entries, "warnings": list(warnings), "failures": failures}
    (folder / ("%s.json" % (name or phase))).write_text(json.dumps(record))


def verdict(folder):
    proc = subprocess.run([sys.executable, str(REPORT), str(folder)], capture_output=True, text=True, check=False)
    return proc.returncode, proc.stdout


def good(folder):
    write(folder, "check", [entry(True, "create")])
    write(folder, "real", [entry(True, "create")])
    write(folder, "second", [entry(False)])


def test_a_predicted_idempotent_run_passes(tmp_path):
    good(tmp_path)
    rc, out = verdict(tmp_path)
    assert rc == 0, out
    assert "1 of 1     1 of 1     0 of 1     ok" in out


@pytest.mark.parametrize("phase, entries, needle", [
    ("check", [entry(False)], "the dry run predicted no change, the real run did create"),
    ("check", [entry(True, "update")], "the dry run predicted update, the real run did create"),
    ("check", [entry(True, "create", item="b")], "only in the"),
    ("second", [entry(True, "update")], "the second run changed it (update)"),
    ("second", [], "the second run did not run the same items"),
    ("second", [entry(False, status="failed")], "second run: Keep it [a] failed"),
])
def test_each_broken_promise_fails(tmp_path, phase, entries, needle):
    good(tmp_path)
    write(tmp_path, phase, entries)
    rc, out = verdict(tmp_path)
    assert rc == 1
    assert needle in out


def test_a_real_run_with_nothing_to_do_fails(tmp_path):
    write(tmp_path, "check", [entry(False)])
    write(tmp_path, "real", [entry(False)])
    write(tmp_path, "second", [entry(False)])
    rc, out = verdict(tmp_path)
    assert rc == 1
    assert "the real run changed nothing" in out


def test_any_warning_fails(tmp_path):
    good(tmp_path)
    write(tmp_path, "check", [entry(True, "create")], warnings=["Keep it: product X does not exist yet"])
    rc, out = verdict(tmp_path)
    assert rc == 1
    assert "dry run: warning: Keep it: product X does not exist yet" in out


def test_a_playbook_without_dry_run_is_judged_by_its_second_run(tmp_path):
    write(tmp_path, "real", [entry(True, "create")], name="real")
    write(tmp_path, "second", [entry(False)], name="second")
    rc, out = verdict(tmp_path)
    assert rc == 0, out
    assert "ok (no dry run)" in out
    write(tmp_path, "second", [entry(True, "update")], name="second")
    assert verdict(tmp_path)[0] == 1


def callback():
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "demo_summary", ROOT / "scripts" / "demo" / "callback_plugins" / "demo_summary.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_kind_of_change_comes_from_the_lists_or_the_diff():
    cb = callback()
    assert cb.kind_of({"created": ["A"], "updated": [], "diff": {"before": {}, "after": {}}}) == "created"
    assert cb.kind_of({"diff": {"before": {}, "after": {"name": "x"}}}) == "create"
    assert cb.kind_of({"diff": {"before": {"name": "x"}, "after": {}}}) == "delete"
    assert cb.kind_of({"diff": [{"before": {"name": "x"}, "after": {"name": "y"}}]}) == "update"


def test_the_compact_diff_leaves_out_what_the_server_decides():
    cb = callback()
    result = {"diff": {"before": {"template_repository_version": "v1.0.0", "revision": 1, "commit_sha": "a"},
                       "after": {"template_repository_version": "v2.0.0", "revision": 2, "commit_sha": "b"}}}
    assert cb.summary_of(result) == "template_repository_version: v1.0.0 -> v2.0.0"
    assert cb.summary_of({"created": ["A", "B"]}) == "created A, B"
    assert cb.summary_of({"diff": {"before": {"orders": []}, "after": {"orders": [{}, {}]}}}) == "2 orders"


def stderr_verdict(tmp_path, text):
    path = tmp_path / "run.err"
    path.write_text(text)
    proc = subprocess.run([sys.executable, str(REPORT), "--stderr", str(path)], capture_output=True, text=True,
                          check=False)
    return proc.returncode, proc.stdout


DSA = ("/home/u/.cache/apiops-platforms/venvs/dev-py3.11-0123/lib/python3.11/site-packages/ansible/_internal/_ssh/"
       "_ssh_agent.py:31: CryptographyDeprecationWarning: DSA is deprecated\n"
       "  from cryptography.hazmat.primitives.asymmetric.dsa import DSAParameterNumbers, DSAPublicNumbers\n")


def test_a_third_party_import_warning_is_reported_under_its_own_heading_and_passes(tmp_path):
    code, out = stderr_verdict(tmp_path, DSA)
    assert code == 0, out
    assert "not the collection's" in out and "CryptographyDeprecationWarning: DSA is deprecated" in out
    assert "(from the package ansible)" in out and "fails the demo" not in out


def test_a_warning_of_the_collection_fails_and_is_quoted(tmp_path):
    line = ("/tmp/x/ansible_collections/apiops/platforms/plugins/module_utils/core/engine.py:10: DeprecationWarning: "
            "old option")
    code, out = stderr_verdict(tmp_path, DSA + line + "\n")
    assert code == 1
    assert "written to stderr, which fails the demo:\n  " + line in out


def test_an_ansible_warning_fails_and_is_quoted(tmp_path):
    code, out = stderr_verdict(tmp_path, "[WARNING]: Collection apiops.platforms does not support Ansible version\n")
    assert code == 1 and "  [WARNING]: Collection apiops.platforms does not support Ansible version" in out


def test_the_collection_installed_in_site_packages_is_still_the_collection(tmp_path):
    line = ("/venv/lib/python3.11/site-packages/ansible_collections/apiops/platforms/plugins/modules/x.py:3: "
            "UserWarning: bad")
    code, out = stderr_verdict(tmp_path, line + "\n")
    assert code == 1 and line in out


def plan_file(folder, name, check_mode, changes):
    (folder / ("%s.json" % name)).write_text(json.dumps({"format_version": 1, "check_mode": check_mode,
                                                         "changes": changes, "summary": {}}))


def change(action, key="A", fields=None, **extra):
    found = {"host": "localhost", "task": "Keep it", "module": "apiops.platforms.m", "key": {"id": key},
             "action": action}
    if fields is not None:
        found["fields"] = fields
    found.update(extra)
    return found


def compare_plans(folder):
    sys.path.insert(0, str(REPORT.parent))
    try:
        import report  # pylint: disable=import-outside-toplevel,import-error
    finally:
        sys.path.pop(0)
    return report.compare_plans(str(folder))


def test_the_plan_of_a_dry_run_must_equal_the_plan_of_its_real_run(tmp_path):
    records, plans = tmp_path / "records", tmp_path / "plans"
    records.mkdir()
    plans.mkdir()
    good(records)
    plan_file(plans, "step-check", True, [change("update", fields=["name"], values={"name": {"after": "x"}})])
    plan_file(plans, "step-real", False, [change("update", fields=["name"], values={"name": {"after": "y"}})])
    proc = subprocess.run([sys.executable, str(REPORT), str(records), str(plans)], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stdout
    assert "1 changes of the dry runs' plans compared with their real runs" in proc.stdout
    plan_file(plans, "step-real", False, [change("create")])
    proc = subprocess.run([sys.executable, str(REPORT), str(records), str(plans)], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 1 and "plan step: the dry run planned update m (id=A)" in proc.stdout


@pytest.mark.parametrize("real, needle", [
    ([change("create")], "the dry run planned update m (id=A), the real run did create m (id=A)"),
    ([change("update", fields=["size"])], "the dry run planned update m (id=A)"),
    ([], "the real run did nothing more"),
    ([change("update", fields=["name"]), change("run", key="B")], "the dry run planned nothing more"),
    ([change("update", fields=["name"], failed=True)], "the dry run planned update m (id=A)"),
])
def test_a_plan_that_differs_fails(tmp_path, real, needle):
    plan_file(tmp_path, "step-check", True, [change("update", fields=["name"])])
    plan_file(tmp_path, "step-real", False, real)
    _compared, problems = compare_plans(tmp_path)
    assert len(problems) == 1 and needle in problems[0], problems


def test_the_fields_a_module_declares_unpredicted_are_not_compared(tmp_path):
    plan_file(tmp_path, "step-check", True, [change("update", fields=["a"], unpredicted=True)])
    plan_file(tmp_path, "step-real", False, [change("update", fields=["a", "b"], unpredicted=True)])
    assert compare_plans(tmp_path) == (1, [])
    plan_file(tmp_path, "lone-check", True, [])
    assert "no plan of its real run" in compare_plans(tmp_path)[1][0]
