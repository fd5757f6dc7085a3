# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The check_mode and diff_mode attributes each module declares match what its spec can do.

Where a tenant cannot read a resource back, a reader answers the engine's ``UNREADABLE`` sentinel and the
module can neither compare nor predict exactly.  The readers that can are found in the code (the functions
that ``return UNREADABLE``), and each module's spec is followed, hook by hook, through every function it can
call; so the set of modules that must declare ``support: partial`` comes from the code, not from a list here:

* check mode is partial when any hook of a spec that changes things can reach such a reader, or when the spec
  declares what the server decides and a check run cannot know (``unpredicted``), which the details must name;
* diff mode is partial when the hook that reads the state before can (the diff's ``before`` is then unknown);
* read-only modules (the Info kind) run the same in check mode (full) and have nothing to diff (none);
* the request modules (the Request kind) send reads in check mode but not writes (partial) and diff nothing.

A partial declaration must say what is not predicted or diffed (``details``).  The documentation is read as
``ansible-doc`` shows it, fragments applied.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

from ansible_collections.apiops.platforms.plugins.module_utils.core import engine
from ansible_collections.apiops.platforms.plugins.module_utils.core.bulk import Bulk
from ansible_collections.apiops.platforms.plugins.module_utils.core.request import READS, Request

ROOT = Path(__file__).resolve().parents[4]
MODULES = sorted(p.stem for p in (ROOT / "plugins" / "modules").glob("*.py"))
PACKAGE = "ansible_collections.apiops.platforms"
# The hooks that give the state before the change, by kind (a Bulk reads through its resource's listing).
BEFORE = {engine.Resource: ("find", "settle"), engine.Action: ("read",), Bulk: ("listing",)}


def spec_of(module):
    """The spec a module runs: the one spec its main() calls ``.run()`` on."""
    mod = importlib.import_module("%s.plugins.modules.%s" % (PACKAGE, module))
    names = re.findall(r"(\w+)\.run\(\)", inspect.getsource(mod.main))
    assert len(names) == 1, "%s: main() should run one spec, found %s" % (module, names)
    spec = getattr(mod, names[0])
    assert isinstance(spec, engine.Spec), module
    return spec


def hooks(spec):
    """name -> callable of every hook of a spec, and the methods of a kind a module_utils file derives from the
    engine's (such as an ``execute`` of its own); a Bulk's include its resource's, but not ``find`` (unused)."""
    found = {name: value for name, value in vars(spec).items() if callable(value) and not isinstance(value, type)}
    for cls in type(spec).__mro__:
        if cls.__module__.startswith(PACKAGE) and cls.__module__ not in (engine.__name__, Bulk.__module__):
            found.update((name, value) for name, value in vars(cls).items() if isinstance(value, types.FunctionType))
    if isinstance(spec, Bulk):
        for name, value in hooks(spec.resource).items():
            if name != "find":
                found.setdefault(name, value)
    return found


def _codes(code):
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _codes(const)


def reachable(obj, seen=None):
    """Every function of the collection that ``obj`` (a function, a bound method, a container of them) can call."""
    seen = set() if seen is None else seen
    if isinstance(obj, types.MethodType):
        obj = obj.__func__
    if isinstance(obj, (tuple, list, set, frozenset)):
        for item in obj:
            reachable(item, seen)
    elif isinstance(obj, dict):
        for item in obj.values():
            reachable(item, seen)
    elif isinstance(obj, types.FunctionType) and obj not in seen and (obj.__module__ or "").startswith(PACKAGE):
        seen.add(obj)
        for code in _codes(obj.__code__):
            for name in code.co_names:
                if name in obj.__globals__:
                    reachable(obj.__globals__[name], seen)
        for cell in obj.__closure__ or ():
            try:
                reachable(cell.cell_contents, seen)
            except ValueError:  # an empty cell
                pass
    return seen


def answers_unreadable(function):
    return re.search(r"\breturn\s+UNREADABLE\b", inspect.getsource(function)) is not None


def meets_unreadable(callables):
    functions = set()
    for value in callables:
        reachable(value, functions)
    return sorted(f.__qualname__ for f in functions if answers_unreadable(f))


def kind_of(spec):
    if isinstance(spec, Request):
        return Request
    return next(kind for kind in BEFORE if isinstance(spec, kind)) if not isinstance(spec, engine.Info) else engine.Info


@pytest.fixture(scope="module")
def docs():
    """The modules' documentation as ``ansible-doc -j`` gives it (one run for every module)."""
    engine_path = Path(engine.__file__)
    collections = engine_path.parents[5]  # <root>/ansible_collections/apiops/platforms/plugins/module_utils/core/engine.py
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(collections), ANSIBLE_NOCOLOR="1")
    doc = str(Path(sys.executable).parent / "ansible-doc")
    proc = subprocess.run([doc, "-t", "module", "-j"] + ["apiops.platforms.%s" % m for m in MODULES],
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    return {name.rsplit(".", 1)[1]: value["doc"] for name, value in json.loads(proc.stdout).items()}


def test_the_readers_that_answer_unreadable_are_found():
    """The search finds the readers (a search that finds none would make every other test pass)."""
    found = meets_unreadable([spec_of(m).find if isinstance(spec_of(m), engine.Resource) else spec_of(m).read
                              for m in ("stocktrim_location", "stocktrim_sales_order_info")])
    assert "list_locations" in found and "list_sales_orders" in found, found


@pytest.mark.parametrize("module", MODULES)
def test_declared_support_matches_the_spec(module, docs):
    spec = spec_of(module)
    attributes = docs[module]["attributes"]
    check, diff = attributes["check_mode"], attributes["diff_mode"]
    if kind_of(spec) is engine.Info:
        assert (check["support"], diff["support"]) == ("full", "none"), module
        return
    if isinstance(spec, Request):  # any request: reads are sent in check mode, writes are not; no state to diff
        assert (check["support"], diff["support"]) == ("partial", "none"), module
        details = check["details"]
        text = " ".join(details) if isinstance(details, list) else details
        assert all("V(%s)" % method in text for method in READS), module
        return
    every = hooks(spec)
    before = [value for name, value in every.items() if name in BEFORE[kind_of(spec)]]
    if isinstance(spec, Bulk):
        before = [spec.resource.listing]
    assert before, "%s: no hook reads the state before" % module
    check_unreadable = meets_unreadable(every.values())
    diff_unreadable = meets_unreadable(before)
    unpredicted = spec.unpredicted  # what the server decides, declared by the spec
    assert check["support"] == ("partial" if check_unreadable or unpredicted else "full"), (
        "%s: check_mode support %s, but its spec %s an unreadable read (%s) and %s"
        % (module, check["support"], "can meet" if check_unreadable else "cannot meet", ", ".join(check_unreadable),
           "leaves %s to the server" % unpredicted if unpredicted else "predicts all the server decides"))
    assert diff["support"] == ("partial" if diff_unreadable else "full"), (
        "%s: diff_mode support %s, but the read before %s an unreadable read (%s)"
        % (module, diff["support"], "can meet" if diff_unreadable else "cannot meet", ", ".join(diff_unreadable)))
    for name, attribute in (("check_mode", check), ("diff_mode", diff)):
        if attribute["support"] == "partial":
            details = attribute.get("details")
            text = " ".join(details) if isinstance(details, list) else (details or "")
            if name == "diff_mode" or check_unreadable:
                assert "cannot read" in text, "%s: %s is partial without saying what it leaves out" % (module, name)
            if name == "check_mode" and unpredicted:
                assert unpredicted in text, "%s: check_mode does not say it cannot predict %s" % (module, unpredicted)
