# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One path for each rule: every resource spec with a bulk counterpart, run through both kinds on the same cases.

For each bulk spec of the collection (found by scanning ``module_utils``, so a new one is covered without a
line here), the cases are generated from its resource's model: an item of options, and the object the server
holds for it (none, or one made from other options).  The single-object kind runs with the item's options,
the bulk kind with a list of that one item; the network is replaced by the case's object (``find`` and
``listing``) and a recorder of writes (``write`` and ``batch``).  Both must agree, in check mode and in a real
run, on:

* whether anything changes, and whether the item is created, updated or left alone;
* what is written: the same body, built on the same object;
* the object returned (the bulk kind returns it without its empty fields);
* a refusal: the same message (the bulk kind names the item, ``products[0]: ...``).
"""

from __future__ import annotations

import copy
import importlib
import pkgutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.apiops.platforms.plugins import module_utils
from ansible_collections.apiops.platforms.plugins.module_utils.core.bulk import Bulk
from ansible_collections.apiops.platforms.plugins.module_utils.core.items import compact
from ansible_collections.apiops.platforms.plugins.module_utils.core.engine import Context, Resource
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import InputError
from ansible_collections.apiops.platforms.plugins.module_utils.core.models import DateField, Field, Model


def bulk_specs():
    found = {}
    for info in pkgutil.walk_packages(module_utils.__path__, module_utils.__name__ + "."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, Bulk) and value.resource.listing is not None:
                found["%s.%s" % (info.name.rsplit(".", 1)[-1], name)] = value
    return found


# A resource with every hook a spec may declare, so that the engine's own rule is held even where the collection's
# bulk resources declare none of them yet.
WIDGET = Model(Field("id", type="int", readonly=True), Field("code", required=True), Field("name"),
               Field("size", type="float", minimum=0), Field("tags", type="list", elements="str"))


def _check(ctx):
    if ctx.params.get("name") == "b" and ctx.params.get("size") == 2:
        raise InputError("name b is refused with size 2")


def _settle(ctx, current):
    return dict(current, name="a") if current.get("name") == "b" else current  # an open change: build on it


def _desired(ctx, current):
    desired = WIDGET.desired(ctx.params)
    if desired.get("tags"):
        desired["tags"] = sorted(desired["tags"])
    return desired


HOOKS = Resource("widget", None, WIDGET, key="code", find=None, write=None, listing=lambda ctx: [],
                 check=_check, settle=_settle, desired=_desired, create_requires=("name",),
                 same=lambda ctx, desired, current: not WIDGET.differences(desired, current)
                 or desired.get("name") == "K1")
BULK_SPECS = dict(bulk_specs(), **{"every hook": Bulk("widgets", HOOKS)})


def test_the_collection_has_bulk_specs_to_compare():
    assert len(BULK_SPECS) >= 3, sorted(BULK_SPECS)


KEYS = ("K1", "K2")


def value_of(field, depth=0):
    """A strategy of values the field's argument spec accepts (and some its properties refuse)."""
    if field.arg.get("choices"):
        return st.sampled_from(field.arg["choices"])
    if isinstance(field, DateField):
        return st.sampled_from(["2026-01-01", "2026-03-31T00:00:00", "2026-03-31"])
    if field.type == "list" and field.fields is not None:
        return st.lists(options_of(field.fields, depth + 1), max_size=2)
    if field.type == "list":
        return st.lists(st.sampled_from(["a", "b"]), max_size=2, unique=True)
    if field.type == "dict" and field.fields is not None:
        return options_of(field.fields, depth + 1)
    if field.type == "bool":
        return st.booleans()
    if field.type == "int":
        return st.integers(-1, 3)
    if field.type == "float":
        return st.sampled_from([0.0, 0.5, 1.0, 2, 1.5, -1.0])
    if field.type == "str":
        return st.sampled_from(["a", "b", "K1", "K2"])
    return st.none()


def options_of(model, depth=0, keys=()):
    """Options of ``model``: the keys always (from KEYS), the others at random, a required one mostly given."""
    fixed, optional = {}, {}
    for field in model.fields:
        if not field.option:
            continue
        if field.name in keys:
            fixed[field.name] = st.sampled_from(KEYS)
        elif field.arg.get("required"):
            fixed[field.name] = value_of(field, depth)
        elif depth < 2:
            optional[field.name] = value_of(field, depth)
    return st.fixed_dictionaries(fixed, optional=optional)


def typed(model, options):
    """The options as the argument spec gives them to a module (every option present); None if it refuses them."""
    result = ArgumentSpecValidator(model.argument_spec()).validate(options)
    return None if list(result.errors) else result.validated_parameters


class Recorder:
    """The server of one case: the object it holds, and every write it got, as (body, current, predicted)."""

    def __init__(self, held, names):
        self.held = held
        self.names = names
        self.writes = []

    def find(self, ctx):
        """The object held when it bears one of the names the options give (as the listing finds it), else None."""
        if self.held is None or not set(self.names(self.held)) & set(self.names(ctx.params)):
            return None
        return copy.deepcopy(self.held)

    def listing(self, ctx):
        return [copy.deepcopy(self.held)] if self.held is not None else []

    def write(self, ctx, body, current, predicted):
        self.writes.append((copy.deepcopy(body), current, predicted))

    def batch(self, ctx, bodies, predicted):
        for body, after in zip(bodies, predicted):
            self.writes.append((copy.deepcopy(body), None, after))
        return [None] * len(bodies)


class Exit(Exception):
    pass


class EchoClient:
    """The client of a hook that reads more than the object (Foxops's applied state of a repository, the history
    of its changes): the server answers with the object it was asked about, or nothing more to tell."""

    def __getattr__(self, name):
        return lambda *args, **kwargs: args[0] if args and isinstance(args[0], dict) else []


class FakeModule:
    def __init__(self, params, check_mode):
        self.client = EchoClient()
        self.params = params
        self.check_mode = check_mode
        self._diff = True
        self.warnings = []

    def warn(self, msg):
        self.warnings.append(msg)

    def exit_json(self, **result):
        raise Exit(result)

    def fail_error(self, err, msg=None, **extra):
        raise Exit(dict(err.result(), msg=msg or err.msg, failed=True, **extra))


def outcome(spec, params, check_mode):
    """Run ``spec`` with ``params``: ``("refused", message)`` or ``("done", result)``."""
    try:
        spec.execute(Context(FakeModule(params, check_mode), spec))
    except InputError as err:
        return "refused", err.msg
    except Exit as done:
        return "done", done.args[0]
    raise AssertionError("the spec neither exited nor refused")


def stubbed(bulk, recorder):
    """``bulk`` and its resource with the network replaced by ``recorder``; every other hook is the spec's own."""
    resource = copy.copy(bulk.resource)
    resource.find, resource.listing, resource.write = recorder.find, recorder.listing, recorder.write
    many = copy.copy(bulk)
    many.resource = resource
    if bulk.batch is not None:
        many.batch = recorder.batch
    return resource, many


def module_params(spec, given):
    params = dict((name, None) for name in spec.argument_spec())
    params.update(state="present", workers=2)
    for name, arg in spec.argument_spec().items():
        if "default" in arg and params.get(name) is None:
            params[name] = arg["default"]
    params.update(given)
    return params


@pytest.mark.parametrize("name", sorted(BULK_SPECS))
@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_single_and_the_bulk_kind_decide_alike(name, data):
    bulk = BULK_SPECS[name]
    model, keys = bulk.resource.model, bulk.resource.keys
    item = typed(model, data.draw(options_of(model, keys=keys), label="item"))
    if item is None:
        return  # refused by the argument spec itself, before either kind runs: nothing of theirs to compare
    held = None
    if data.draw(st.booleans(), label="held"):
        other = typed(model, data.draw(options_of(model, keys=keys), label="held options"))
        if other is None:
            return
        held = model.merge(None, model.desired(dict(other, **dict((k, item[k]) for k in keys))))
        for field in model.fields:
            if field.readonly and field.type == "int":
                held[field.name] = 7
    for check_mode in (True, False):
        single_rec, bulk_rec = Recorder(held, bulk.names), Recorder(held, bulk.names)
        single_spec = stubbed(bulk, single_rec)[0]
        bulk_spec = stubbed(bulk, bulk_rec)[1]
        single = outcome(single_spec, module_params(single_spec, item), check_mode)
        many = outcome(bulk_spec, module_params(bulk_spec, {bulk.name: [dict((k, v) for k, v in item.items()
                                                                             if v is not None)]}), check_mode)
        if single[0] == "refused" or many[0] == "refused":
            assert many == ("refused", "%s[0]: %s" % (bulk.name, single[1])), (single, many)
            continue
        one, all_ = single[1], many[1]
        assert bool(one["changed"]) == bool(all_["changed"]), (one, all_)
        sent = list(model.argument_spec())  # what a write can send: the model's options (a hook's body may carry more)
        assert ([dict((k, v) for k, v in body.items() if k in sent) for body, _c, _p in single_rec.writes]
                == [dict((k, v) for k, v in body.items() if k in sent) for body, _c, _p in bulk_rec.writes])
        if single_rec.find(Context(FakeModule(item, False), bulk.resource)) is None:
            assert all_["created"] == ([all_["created"][0]] if one["changed"] else [])
        else:
            assert all_["updated" if one["changed"] else "unchanged"] != []
        assert all_[bulk.name] == [compact(one[bulk.resource.name])], (one, all_)
