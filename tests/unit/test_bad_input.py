# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input, property-based, for every module: each module is run as Ansible runs it (its ``main()``), with
valid options but one made impossible, drawn from what its spec says of that option (a word for a number or
a boolean, in any script or huge, a value outside the choices, a number below its minimum, an empty key, NaN or
infinity for a duration, a URL without a scheme).  Every run must fail before a single request reaches the server, naming the option.

The examples are drawn with a fixed seed and bounded in number, so the run is repeatable and quick."""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import re
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from ansible.module_utils.testing import patch_module_args

from conftest import ScriptedServer

MODULES = Path(__file__).resolve().parents[2] / "plugins" / "modules"
PACKAGE = "ansible_collections.apiops.platforms.plugins.modules."
BOOLEANS = {"yes", "on", "1", "true", "y", "t", "no", "off", "0", "false", "n", "f"}
NOT_WORDS = BOOLEANS | {"nan", "inf", "infinity"}  # words Ansible or Python read as a boolean or a number
# Words that are no number, boolean or choice: plain, in any script (letters only), or huge
WORDS = (st.text(alphabet=string.ascii_letters, min_size=1, max_size=12)
         | st.text(alphabet=st.characters(categories=("Lu", "Ll", "Lo")), min_size=1, max_size=12)
         | st.sampled_from(["x" * 100000, "\u00e9" * 50000])).filter(lambda w: w.lower() not in NOT_WORDS)


@pytest.fixture(scope="module")
def counting_server():
    srv = ScriptedServer()
    srv.thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


# Modules whose valid input needs more than their required options (one of several, checked by the module)
EXAMPLES = {
    "sales_history": {"product_id": "K-1"},
    "incarnations": {"incarnations": [{"incarnation_repository": "K-1"}]},
}


def spec_of(name):
    """The engine spec a module file runs (``SPEC.run()`` is its one call)."""
    module = importlib.import_module(PACKAGE + name)
    called = re.search(r"^\s+(\w+)\.run\(\)", (MODULES / (name + ".py")).read_text(), re.M).group(1)
    return getattr(module, called)


def module_names():
    return sorted(p.stem for p in MODULES.glob("*.py") if p.stem != "__init__")


def valid_value(arg):
    kind = arg.get("type", "str")
    if "choices" in arg:
        return arg.get("default", arg["choices"][0])
    if kind == "list" and arg.get("elements") == "dict":
        return [dict((k, valid_value(v)) for k, v in (arg.get("options") or {}).items() if v.get("required"))]
    return {"str": "K-1", "int": 1, "float": 1.0, "bool": False, "dict": {}, "path": "/tmp", "raw": "x"}.get(kind, "x")


def base_params(spec, url):
    """Options a module would accept: the required ones, the connection, no retries."""
    params = dict((name, valid_value(arg)) for name, arg in spec.argument_spec().items() if arg.get("required"))
    params.update(url=url, retries=0)
    if spec.client.__name__.startswith("Foxops"):
        params.update(token="not-a-real-token")
    else:
        params.update(auth_id="tenant", auth_signature="not-a-real-signature")
    if getattr(spec, "resource", None) is not None:  # a bulk module: one valid item
        params[spec.name] = [dict((key, "K-1") for key in spec.resource.keys)]
    params.update(EXAMPLES.get(spec.name, {}))
    for group in spec.module_kwargs.get("required_one_of", []):
        params.setdefault(group[0], valid_value(spec.argument_spec()[group[0]]))
    return params


def mutations(spec):
    """``(option, strategy of impossible values, where it lands)`` for every option of the spec that has one."""
    found = [("url", st.sampled_from(["api.example.com", "ftp://host", "http://", "//host/path"]), None),
             ("timeout", st.sampled_from([0, -1, "soon", "nan", "inf"]), None),
             ("retries", st.sampled_from([-1, "many"]), None)]
    items = getattr(spec, "resource", None)
    fields = [(None, f) for f in (spec.model.fields if spec.model is not None else [])]
    if items is not None:  # a bulk module: impossible values inside one item of its list
        fields += [(spec.name, f) for f in items.model.fields]
    for name, arg in spec.argument_spec().items():
        kind = arg.get("type", "str")
        if "choices" in arg:
            found.append((name, WORDS.filter(lambda w, c=arg["choices"]: w not in c), None))
        elif kind in ("int", "float"):
            bad = []
            if name.startswith("wait_") or name == "workers":  # durations and pool sizes: positive and finite
                bad = [-1, "nan", "inf"] if kind == "float" else [-1]
            found.append((name, WORDS | st.sampled_from(bad) if bad else WORDS, None))
        elif kind == "bool":
            found.append((name, WORDS, None))
    for name in getattr(spec, "keys", ()):
        found.append((name, st.sampled_from(["", " ", "\t"]), None))
    for within, f in fields:
        if not f.option:
            continue
        if f.minimum is not None:
            found.append((f.name, st.floats(max_value=f.minimum, exclude_max=True, allow_nan=False, allow_infinity=False,
                                            min_value=-1e9), within))
        if f.type == "float":
            found.append((f.name, st.sampled_from([float("nan"), float("inf"), float("-inf")]), within))
    if items is not None:
        found.append((items.key, st.sampled_from(["", " "]), spec.name))
    return found


def run_module(name, params):
    out = io.StringIO()
    with patch_module_args(params), contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        importlib.import_module(PACKAGE + name).main()
    return json.loads(out.getvalue())


@pytest.mark.parametrize("name", module_names())
def test_impossible_input_is_refused_before_any_request_naming_the_option(name, counting_server):
    spec = spec_of(name)
    candidates = mutations(spec)

    @seed(20261202)
    @settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def check(data):
        option, values, within = data.draw(st.sampled_from(candidates), label="option")
        value = data.draw(values, label=option)
        params = base_params(spec, counting_server.url)
        if within:
            item = dict(params[within][0]) if params.get(within) else {}
            item[option] = value
            params[within] = [item]
        else:
            params[option] = value
        counting_server.script({"status": 500, "body": {"message": "no request should reach the server"}})
        result = run_module(name, params)
        assert result.get("failed"), (option, value, result)
        assert counting_server.seen == [], (option, value, counting_server.seen)
        assert option in result["msg"], (option, value, result["msg"])

    check()
