# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run every module's EXAMPLES with ``ansible-playbook --diff``: one playbook run, and one test, per module.

``stocktrim_*`` examples run against the StockTrim sandbox (reset first), ``foxops_*`` ones against the real
Foxops server.  The examples are taken as they are documented, with two changes only:

* the connection options (``url``, ``token``, ``auth_id``, ``auth_signature``) are removed from the tasks and
  from the examples' own ``module_defaults``; the play sets them through the action groups instead;
* waits are bounded: ``wait_timeout`` is at most WAIT_TIMEOUT seconds and ``wait_sleep`` at most WAIT_SLEEP.

The state an example needs first (a product a bill of materials refers to, a template repository in the local
git hoster, ...) is data in ``examples_setup.yml``, one entry per module:

* ``sandbox_state``: the StockTrim sandbox's stores (the format of ``PUT /_sandbox/state``);
  ``sandbox_config``: its switches;
* ``templates``: repositories of the local git hoster holding a copy of the harness's template (tags v1.0.0,
  v2.0.0, v3.0.0); ``repositories``: empty repositories;
* ``setup_tasks``: tasks run before the examples in the same play (with the same connection; the variables
  ``apiops_python``, ``foxops_harness`` and ``foxops_workdir`` drive the harness's command line, for a manual
  commit or a closed merge request);
* ``reviewer``: a reviewer merges every open merge request of the module's repositories, as a person would;
* ``expected_warnings``: substrings of the warnings the examples draw (any other warning fails the test).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest
import yaml

from conftest import FOXOPS_TOKEN, REPO, STOCKTRIM_AUTH_ID, STOCKTRIM_AUTH_SIGNATURE

MODULES = REPO / "plugins" / "modules"
SETUP = yaml.safe_load((Path(__file__).parent / "examples_setup.yml").read_text(encoding="utf-8"))
CONNECTION_KEYS = ("url", "token", "auth_id", "auth_signature")
COLLECTION = "apiops.platforms."
WAIT_TIMEOUT = 60
WAIT_SLEEP = 0.5
PLAYBOOK_TIMEOUT = 300
# Every Foxops example works in repositories under this folder of the hoster; it is emptied before each module.
FOXOPS_NAMESPACE = "platform"


def module_names():
    return sorted(p.stem for p in MODULES.glob("*.py") if not p.name.startswith("_"))


def examples_of(module):
    """The module's EXAMPLES as a list of tasks, read without importing the module."""
    namespace = {}
    source = (MODULES / (module + ".py")).read_text(encoding="utf-8")
    start = source.index('EXAMPLES = r"""')
    end = source.index('"""', start + len('EXAMPLES = r"""'))
    exec(source[start:end + 3], namespace)  # pylint: disable=exec-used  # a raw string literal only
    tasks = yaml.safe_load(namespace["EXAMPLES"])
    assert isinstance(tasks, list) and tasks, "%s: EXAMPLES is not a list of tasks" % module
    return tasks


def adapt(tasks, connection_keys_seen):
    """The tasks without their connection options, waits bounded (see the module docstring)."""
    adapted = []
    for task in tasks:
        task = dict(task)
        for key in ("block", "rescue", "always"):
            if key in task:
                task[key] = adapt(task[key], connection_keys_seen)
        if isinstance(task.get("module_defaults"), dict):
            defaults = {}
            for name, values in task["module_defaults"].items():
                values = {k: v for k, v in values.items() if k not in CONNECTION_KEYS}
                connection_keys_seen.update(k for k in task["module_defaults"][name] if k in CONNECTION_KEYS)
                if values:
                    defaults[name] = values
            if defaults:
                task["module_defaults"] = defaults
            else:
                del task["module_defaults"]
        for key, args in list(task.items()):
            if key.startswith(COLLECTION) and isinstance(args, dict):
                connection_keys_seen.update(k for k in args if k in CONNECTION_KEYS)
                args = {k: v for k, v in args.items() if k not in CONNECTION_KEYS}
                if "wait_timeout" in args:
                    args["wait_timeout"] = min(int(args["wait_timeout"]), WAIT_TIMEOUT)
                if "wait_sleep" in args:
                    args["wait_sleep"] = min(float(args["wait_sleep"]), WAIT_SLEEP)
                if args.get("wait") or args.get("wait_for_merge_request") not in (None, "none"):
                    args.setdefault("wait_timeout", WAIT_TIMEOUT)
                    args.setdefault("wait_sleep", WAIT_SLEEP)
                task[key] = args
        adapted.append(task)
    return adapted


def playbook(module, tasks, setup):
    play = {
        "name": "The examples of %s" % module,
        "hosts": "localhost",
        "connection": "local",
        "gather_facts": False,
        "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"},
        "module_defaults": {
            "group/apiops.platforms.foxops": {"url": "{{ foxops_url }}", "token": "{{ foxops_token }}"},
            "group/apiops.platforms.stocktrim": {
                "url": "{{ stocktrim_url }}",
                "auth_id": "{{ stocktrim_auth_id }}",
                "auth_signature": "{{ stocktrim_auth_signature }}",
            },
        },
        "tasks": tasks,
    }
    if setup.get("setup_tasks"):
        play["pre_tasks"] = setup["setup_tasks"]
    return [play]


class Reviewer:
    """Merges the open merge requests of some repositories of the local hoster, as a reviewer would."""

    def __init__(self, server, repositories):
        self.server = server
        self.repositories = repositories
        self.stopping = threading.Event()
        self.merged = []
        self.errors = {}  # merge request -> the error of its last failed merge
        self.thread = threading.Thread(target=self.run, daemon=True)

    def merge_requests(self, repo):
        """The merge requests of repo as the hoster holds them (one JSON file each), skipping one being written."""
        for path in sorted((self.server.hoster_dir / repo / "merge_requests").glob("*.json")):
            try:
                yield json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue

    def run(self):
        while not self.stopping.wait(0.3):
            for repo in self.repositories:
                for mr in self.merge_requests(repo):
                    if mr.get("status") == "open":
                        name = "%s!%s" % (repo, mr["id"])
                        try:
                            self.server.merge_mr(repo, mr["id"])
                            self.merged.append(name)
                            self.errors.pop(name, None)
                        except Exception as exc:  # pylint: disable=broad-except  # tried again; reported if it stays
                            self.errors[name] = str(exc)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stopping.set()
        self.thread.join(30)
        # A merge that failed because the merge request was merged at the same moment by another hand (Foxops's
        # automerge: "Rebase is required") is no failure: only one that is still not merged is reported.
        for repo in self.repositories:
            for mr in self.merge_requests(repo):
                if mr.get("status") == "merged":
                    self.errors.pop("%s!%s" % (repo, mr["id"]), None)


def git(*args, env):
    subprocess.run(["git", *args], env=env, check=True, capture_output=True, text=True)


def prepare_foxops(server, setup):
    """Forget the incarnations of earlier modules, then lay out this module's repositories."""
    request = urllib.request.Request(server.url + "/api/incarnations", headers={"Authorization": "Bearer " + FOXOPS_TOKEN})
    with urllib.request.urlopen(request, timeout=30) as resp:
        incarnations = json.loads(resp.read())
    for incarnation in incarnations:
        if incarnation["incarnation_repository"].startswith(FOXOPS_NAMESPACE + "/"):
            delete = urllib.request.Request("%s/api/incarnations/%d" % (server.url, incarnation["id"]), method="DELETE",
                                            headers={"Authorization": "Bearer " + FOXOPS_TOKEN})
            with urllib.request.urlopen(delete, timeout=30) as resp:
                assert resp.status < 300
    shutil.rmtree(server.hoster_dir / FOXOPS_NAMESPACE, ignore_errors=True)
    env = server._git_env()  # pylint: disable=protected-access
    for name in setup.get("templates", []):
        assert name.startswith(FOXOPS_NAMESPACE + "/"), name
        (server.hoster_dir / name / "merge_requests").mkdir(parents=True)
        git("clone", "-q", "--bare", str(server.hoster_dir / server.template_repo / "git"), str(server.hoster_dir / name / "git"), env=env)
    for name in setup.get("repositories", []):
        assert name.startswith(FOXOPS_NAMESPACE + "/"), name
        (server.hoster_dir / name / "merge_requests").mkdir(parents=True)
        git("init", "-q", "--bare", "-b", "main", str(server.hoster_dir / name / "git"), env=env)


def sandbox_call(sandbox, method, path, body):
    request = urllib.request.Request(sandbox.url + path, data=json.dumps(body).encode(), method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as resp:
        assert resp.status < 300


def run_playbook(module, play, extra_vars, env, tmp_path, setup):
    (tmp_path / "play.yml").write_text(yaml.safe_dump(play, sort_keys=False))
    (tmp_path / "vars.json").write_text(json.dumps(extra_vars))
    base = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,", "-e", "@%s" % (tmp_path / "vars.json")]
    proc = subprocess.run(base + ["--diff", str(tmp_path / "play.yml")], env=env, capture_output=True, text=True,
                          timeout=PLAYBOOK_TIMEOUT, check=False)
    output = proc.stdout + proc.stderr
    (tmp_path / "output.txt").write_text(output)
    assert proc.returncode == 0, "the examples of %s failed:\n%s" % (module, output[-20000:])
    assert "skipping: no hosts matched" not in output
    expected = setup.get("expected_warnings", [])
    warnings = [line for line in output.splitlines() if "[WARNING]" in line or "[DEPRECATION WARNING]" in line]
    unexpected = [w for w in warnings if not any(e in w for e in expected)]
    assert not unexpected, "the examples of %s warned:\n%s" % (module, "\n".join(unexpected))
    return output


def check_examples(module):
    tasks = examples_of(module)
    seen = set()
    adapted = adapt(tasks, seen)
    return adapted, seen


@pytest.mark.parametrize("module", [m for m in module_names() if m.startswith("stocktrim_")])
def test_stocktrim_examples(module, stocktrim_sandbox, ansible_env, tmp_path):
    setup = SETUP.get(module) or {}
    tasks, _seen = check_examples(module)
    sandbox_call(stocktrim_sandbox, "POST", "/_sandbox/reset", {})
    if setup.get("sandbox_config"):
        sandbox_call(stocktrim_sandbox, "POST", "/_sandbox/config", setup["sandbox_config"])
    if setup.get("sandbox_state"):
        sandbox_call(stocktrim_sandbox, "PUT", "/_sandbox/state", setup["sandbox_state"])
    extra = {"stocktrim_url": stocktrim_sandbox.url, "stocktrim_auth_id": STOCKTRIM_AUTH_ID,
             "stocktrim_auth_signature": STOCKTRIM_AUTH_SIGNATURE}
    output = run_playbook(module, playbook(module, tasks, setup), extra, ansible_env, tmp_path, setup)
    assert STOCKTRIM_AUTH_SIGNATURE not in output


@pytest.mark.parametrize("module", [m for m in module_names() if m.startswith("foxops_")])
def test_foxops_examples(module, foxops_server, ansible_env, tmp_path):
    setup = SETUP.get(module) or {}
    tasks, _seen = check_examples(module)
    prepare_foxops(foxops_server, setup)
    extra = {"foxops_url": foxops_server.url, "foxops_token": FOXOPS_TOKEN, "apiops_python": sys.executable,
             "foxops_workdir": str(foxops_server.workdir),
             "foxops_harness": str(REPO / "tests" / "harness" / "foxops_server.py")}
    reviewer = Reviewer(foxops_server, setup.get("repositories", []) if setup.get("reviewer") else [])
    with reviewer:
        output = run_playbook(module, playbook(module, tasks, setup), extra, ansible_env, tmp_path, setup)
    assert not reviewer.errors, reviewer.errors
    if setup.get("reviewer"):
        assert reviewer.merged, "the reviewer of %s had nothing to merge" % module
    assert FOXOPS_TOKEN not in output


def test_examples_name_only_the_connection_options_the_play_sets():
    """Every example of a module talks to its service with the connection the play gives, nothing else."""
    for module in module_names():
        _tasks, seen = check_examples(module)
        allowed = {"url", "token"} if module.startswith("foxops_") else {"url", "auth_id", "auth_signature"}
        assert seen <= allowed, "%s: %s" % (module, sorted(seen - allowed))


def test_every_module_has_its_example_run():
    modules = module_names()
    assert modules and all(m.startswith(("foxops_", "stocktrim_")) for m in modules), modules
    assert set(SETUP) <= set(modules), sorted(set(SETUP) - set(modules))
