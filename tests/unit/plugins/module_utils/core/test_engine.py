# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The resource engine on its own: each kind (resource, info, bulk, action), check mode, diff, masking,
validation from the fields' properties, paging and waiting, against an in-memory store: no network."""

from __future__ import annotations

import pytest

from ansible_collections.apiops.platforms.plugins.module_utils.core.bulk import Bulk
from ansible_collections.apiops.platforms.plugins.module_utils.core.engine import UNREADABLE, Action, Context, Info, Resource
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import MASK, InputError, ServerError, ValidationError
from ansible_collections.apiops.platforms.plugins.module_utils.core.models import DateField, Field, Model
from ansible_collections.apiops.platforms.plugins.module_utils.core.paging import read_pages
from ansible_collections.apiops.platforms.plugins.module_utils.core.waiting import check_wait, wait_for

WIDGET = Model(
    Field("id", type="int", readonly=True),
    Field("code", required=True),
    Field("name"),
    Field("size", type="float", minimum=0),
    Field("share", type="float", fraction=True),
    DateField("due"),
    Field("token", no_log=True),
    Field("parts", type="list", list_key="part", fields=[Field("part", required=True), Field("count", type="int", minimum=1)]),
)


class Store:
    """A tiny server: widgets by code, and every call it got."""

    def __init__(self, *widgets, readable=True):
        self.widgets = dict((w["code"], WIDGET.merge(None, w)) for w in widgets)
        self.calls = []
        self.readable = readable

    def writes(self):
        return [c for c in self.calls if c[0] in ("write", "delete")]


class Exit(Exception):
    pass


class FakeModule:
    def __init__(self, store, params, check_mode=False):
        self.client = store
        self.params = params
        self.check_mode = check_mode
        self._diff = True
        self.warnings = []

    def warn(self, msg):
        self.warnings.append(msg)

    def exit_json(self, **result):
        raise Exit(dict(result, warnings=self.warnings))

    def fail_error(self, err, msg=None, **extra):
        raise Exit(dict(err.result(), msg=msg or err.msg, failed=True, **extra))


def _find(ctx):
    ctx.client.calls.append(("find", ctx.params["code"]))
    if not ctx.client.readable:
        return UNREADABLE
    return ctx.client.widgets.get(ctx.params["code"])


def _write(ctx, body, current, predicted):
    ctx.client.calls.append(("write", dict(body)))
    stored = WIDGET.merge(current, body)
    stored["id"] = stored["id"] or len(ctx.client.widgets) + 1
    ctx.client.widgets[stored["code"]] = stored
    return stored


def _delete(ctx, current):
    ctx.client.calls.append(("delete", current["code"]))
    del ctx.client.widgets[current["code"]]


SPEC = Resource("widget", Store, WIDGET, key="code", find=_find, write=_write, delete=_delete,
                listing=lambda ctx: list(ctx.client.widgets.values()), create_requires=("name",))


def run(spec, store, params, check_mode=False):
    full = dict((name, None) for name in spec.argument_spec())
    full.update(state="present")
    full.update(params)
    module = FakeModule(store, full, check_mode)
    with pytest.raises(Exit) as done:
        spec.execute(Context(module, spec))
    return done.value.args[0]


def test_resource_four_steps_the_check_predicts_the_apply():
    store = Store()
    params = {"code": "W1", "name": "Widget", "size": 2, "due": "2026-03-31", "parts": [{"part": "a", "count": 2}]}
    check = run(SPEC, store, params, check_mode=True)
    assert check["changed"] and store.writes() == []
    real = run(SPEC, store, params)
    assert real["changed"] and len(store.writes()) == 1
    assert dict(check["widget"], id=None) == dict(real["widget"], id=None)
    assert real["widget"]["due"] == "2026-03-31T00:00:00"
    assert real["diff"] == {"before": {}, "after": real["widget"]}
    assert not run(SPEC, store, params, check_mode=True)["changed"]
    assert not run(SPEC, store, params)["changed"]
    assert len(store.writes()) == 1


def test_resource_compares_only_what_was_given_and_updates_the_whole_object():
    store = Store({"code": "W1", "name": "Widget", "size": 2.0, "parts": [{"part": "a", "count": 1}, {"part": "b", "count": 1}]})
    assert not run(SPEC, store, {"code": "W1", "size": 2})["changed"]  # 2 == 2.0, name not given
    assert not run(SPEC, store, {"code": "W1", "parts": [{"part": "b", "count": 1}, {"part": "a", "count": 1}]})["changed"]
    result = run(SPEC, store, {"code": "W1", "size": 3})
    assert result["changed"] and result["diff"]["before"]["size"] == 2.0 and result["widget"]["size"] == 3.0
    body = store.writes()[0][1]
    assert body["name"] == "Widget" and body["size"] == 3  # the whole object is sent, the change on top


def test_secrets_are_masked_in_the_result_and_the_diff():
    store = Store({"code": "W1", "name": "Widget", "token": "old-secret"})
    result = run(SPEC, store, {"code": "W1", "token": "new-secret"})
    assert result["widget"]["token"] == MASK
    assert result["diff"]["before"]["token"] == MASK and result["diff"]["after"]["token"] == MASK
    assert "secret" not in repr(result)


@pytest.mark.parametrize("params,message", [
    ({"code": " "}, "code must not be empty"),
    ({"code": "W1", "size": -1}, "size must be 0 or more, got -1"),
    ({"code": "W1", "size": float("nan")}, "size must be a finite number"),
    ({"code": "W1", "share": 1.5}, "share is a fraction between 0 and 1"),
    ({"code": "W1", "due": "soon"}, "due must be an ISO 8601 date"),
    ({"code": "W1", "parts": [{"part": "a", "count": 0}]}, r"parts\[0\]\.count must be 1 or more"),
    ({"code": "W1", "parts": [{"part": "a"}, {"part": "a"}]}, r"parts\[1\]\.part 'a' is already given in parts\[0\]"),
    ({"code": "W1", "parts": [{"part": ""}]}, r"parts\[0\]\.part must not be empty"),
])
def test_bad_input_is_refused_before_any_call_naming_the_option(params, message):
    store = Store()
    with pytest.raises(InputError, match=message):
        run(SPEC, store, params)
    assert store.calls == []


def test_an_option_needed_to_create_is_named_before_any_write():
    store = Store()
    with pytest.raises(InputError, match="name is required to create widget 'W1'"):
        run(SPEC, store, {"code": "W1", "size": 1})
    assert store.writes() == []


def test_absent_deletes_once_and_check_mode_deletes_nothing():
    store = Store({"code": "W1", "name": "Widget"})
    check = run(SPEC, store, {"code": "W1", "state": "absent"}, check_mode=True)
    assert check["changed"] and store.writes() == []
    gone = run(SPEC, store, {"code": "W1", "state": "absent"})
    assert gone["changed"] and gone["widget"] is None and gone["diff"]["before"]["name"] == "Widget"
    assert not run(SPEC, store, {"code": "W1", "state": "absent"})["changed"]
    assert store.writes() == [("delete", "W1")]


def test_an_unreadable_resource_is_written_with_a_warning_and_reported_changed():
    store = Store(readable=False)
    result = run(SPEC, store, {"code": "W1", "name": "Widget"})
    assert result["changed"] and len(store.writes()) == 1
    assert "could not be read back" in result["warnings"][0]


def test_hooks_replace_the_comparison_the_body_and_the_prediction():
    spec = Resource("widget", Store, WIDGET, key="code", find=_find, write=_write,
                    same=lambda ctx, desired, current: current["name"].lower() == (desired.get("name") or "").lower(),
                    complete=lambda ctx, desired, current: dict(desired, name=desired["name"].upper()),
                    predict=lambda ctx, body, current: dict(WIDGET.merge(current, body), id=-1),
                    changed=lambda current, after: after["name"] != (current or {}).get("name"))
    store = Store({"code": "W1", "name": "Widget"})
    assert not run(spec, store, {"code": "W1", "name": "WIDGET"})["changed"]
    check = run(spec, store, {"code": "W1", "name": "gadget"}, check_mode=True)
    assert check["widget"]["id"] == -1 and check["widget"]["name"] == "GADGET"
    assert run(spec, store, {"code": "W1", "name": "gadget"})["widget"]["name"] == "GADGET"


def test_info_refuses_an_empty_filter_and_returns_the_plural():
    info = Info("widgets", Store, lambda ctx: [w for w in ctx.client.widgets.values()
                                               if not ctx.params["code"] or w["code"] == ctx.params["code"]],
                filters={"code": {"type": "str"}})
    store = Store({"code": "W1"}, {"code": "W2"})
    assert [w["code"] for w in run(info, store, {"code": None})["widgets"]] == ["W1", "W2"]
    assert run(info, store, {"code": "W9"})["widgets"] == []
    assert run(info, store, {"code": "W2"})["changed"] is False
    with pytest.raises(InputError, match="code must not be empty"):
        run(info, store, {"code": ""})


def test_bulk_writes_only_what_differs_and_names_each_failure():
    bulk = Bulk("widgets", SPEC)
    store = Store({"code": "A", "name": "a"}, {"code": "B", "name": "b"})
    items = [{"code": "A", "name": "a"}, {"code": "B", "name": "bee"}, {"code": "C", "name": "c"}]
    check = run(bulk, store, {"widgets": items, "workers": 2}, check_mode=True)
    assert (check["created"], check["updated"], check["unchanged"]) == (["C"], ["B"], ["A"]) and store.writes() == []
    real = run(bulk, store, {"widgets": items, "workers": 2})
    assert [w["name"] for w in real["widgets"]] == ["a", "bee", "c"] and len(store.writes()) == 2
    assert not run(bulk, store, {"widgets": items, "workers": 2})["changed"] and len(store.writes()) == 2

    def failing(ctx, body, current, predicted):
        if body["code"] == "D":
            raise ServerError("boom", status=500)
        return _write(ctx, body, current, predicted)

    spec = Resource("widget", Store, WIDGET, key="code", find=_find, write=failing,
                    listing=lambda ctx: list(ctx.client.widgets.values()))
    result = run(Bulk("widgets", spec), store, {"widgets": [{"code": "D"}, {"code": "E"}], "workers": 1})
    assert result["failed"] and result["failed_widgets"] == ["D"] and result["created"] == ["E"]
    assert result["msg"].startswith("1 of 2 widget writes failed (D)")


def test_bulk_returns_the_objects_without_empty_fields_and_echoes_the_number_of_items():
    store = Store({"code": "A", "name": "a", "parts": [{"part": "x"}]})
    items = [{"code": "A", "name": "a"}, {"code": "B", "name": "b", "size": 2}]
    for check_mode in (True, False):
        result = run(Bulk("widgets", SPEC), store, {"widgets": items, "workers": 3}, check_mode=check_mode)
        assert result["widgets"][0] == {"code": "A", "name": "a", "parts": [{"part": "x"}]}
        assert dict(result["widgets"][1], id=None) == {"id": None, "code": "B", "name": "b", "size": 2.0}
        args = result["invocation"]["module_args"]
        assert args["widgets"] == 2 and args["workers"] == 3 and args["state"] == "present"

    def refused(ctx, body, current, predicted):
        raise ServerError("boom", status=500)

    failing = Resource("widget", Store, WIDGET, key="code", find=_find, listing=lambda ctx: [], write=refused)
    failed = run(Bulk("widgets", failing), Store(), {"widgets": items, "workers": 1})
    assert failed["failed"] and failed["invocation"]["module_args"]["widgets"] == 2


def test_bulk_refuses_a_bad_item_by_its_index():
    with pytest.raises(InputError, match=r"widgets\[1\]: size must be 0 or more"):
        run(Bulk("widgets", SPEC), Store(), {"widgets": [{"code": "A"}, {"code": "B", "size": -1}], "workers": 1})


def test_bulk_purge_deletes_only_what_is_not_given_nor_excluded_and_never_without_the_option():
    bulk = Bulk("widgets", SPEC, purge=True)
    store = Store({"code": "A"}, {"code": "B"}, {"code": "KEEP-1"}, {"code": "keep-2"})
    items = [{"code": "A"}, {"code": "C", "name": "c"}]
    plain = run(bulk, store, {"widgets": items, "workers": 1, "purge": False}, check_mode=True)
    assert plain["deleted"] == [] and plain["created"] == ["C"]
    params = {"widgets": items, "workers": 1, "purge": True, "purge_exclude": ["KEEP-*"]}
    check = run(bulk, store, params, check_mode=True)
    assert check["changed"] and check["deleted"] == ["B", "keep-2"] and store.writes() == []
    assert sorted(check["diff"]["before"]) == ["B", "keep-2"]
    real = run(bulk, store, params)
    assert real["deleted"] == ["B", "keep-2"] and real["created"] == ["C"]
    assert sorted(store.widgets) == ["A", "C", "KEEP-1"]
    again = run(bulk, store, params)
    assert not again["changed"] and again["deleted"] == []


@pytest.mark.parametrize("params, message", [
    ({"purge": False, "purge_exclude": ["A*"]}, "purge_exclude applies only with purge=true"),
    ({"purge": True, "state": "absent"}, "purge applies only with state=present"),
    ({"purge": True, "purge_exclude": [" "]}, r"purge_exclude\[0\] must not be empty"),
])
def test_bulk_purge_options_refused_before_any_call(params, message):
    store = Store({"code": "A"})
    with pytest.raises(InputError, match=message):
        run(Bulk("widgets", SPEC, purge=True), store, dict({"widgets": [], "workers": 1}, **params))
    assert store.calls == []


def test_bulk_batches_the_writes_and_names_each_item_a_batch_refused():
    store = Store({"code": "A", "name": "a"})
    batches = []

    def batch(ctx, bodies, _predicted):
        batches.append([b["code"] for b in bodies])
        if any(b.get("size") == 13 for b in bodies):
            raise ValidationError("size 13 is refused", status=400)
        return [_write(ctx, body, ctx.client.widgets.get(body["code"]), None) for body in bodies]

    bulk = Bulk("widgets", SPEC, batch=batch, batch_size=2)
    items = [{"code": "A", "name": "a"}, {"code": "B", "name": "b"}, {"code": "C", "name": "c"}, {"code": "D", "name": "d"}]
    real = run(bulk, store, {"widgets": items, "workers": 1})
    assert batches == [["B", "C"], ["D"]] and real["created"] == ["B", "C", "D"]
    assert [w.get("id") for w in real["widgets"]] == [None, 2, 3, 4]  # the answers of the batch, in order
    del batches[:]
    assert not run(bulk, store, {"widgets": items, "workers": 1})["changed"] and batches == []
    bad = [{"code": "E", "name": "e"}, {"code": "F", "name": "f", "size": 13}, {"code": "G", "name": "g"}]
    failed = run(bulk, store, {"widgets": bad, "workers": 1})
    assert batches == [["E", "F"], ["E"], ["F"], ["G"]]
    assert failed["failed"] and failed["failed_widgets"] == ["F"] and failed["created"] == ["E", "G"]
    assert failed["failures"] == [{"item": "F", "error": "validation", "status": 400, "msg": "size 13 is refused"}]
    assert "E" in store.widgets and "G" in store.widgets and "F" not in store.widgets


def test_action_acts_once_never_in_check_mode_and_a_failure_after_acting_reports_changed():
    acted = []

    def follow(ctx, before, answer):
        if ctx.params["fail"]:
            err = ServerError("poll failed", status=500)
            err.partial = {"step": 2}
            raise err
        return {"step": before["step"] + 1}

    action = Action("status", Store, options={"fail": {"type": "bool"}}, read=lambda ctx: {"step": 1},
                    act=lambda ctx, before: (acted.append(1) or True, None), follow=follow)
    check = run(action, Store(), {"fail": False}, check_mode=True)
    assert check["changed"] and check["status"] == {"step": 1} and acted == []
    assert run(action, Store(), {"fail": False})["status"] == {"step": 2} and acted == [1]
    failed = run(action, Store(), {"fail": True})
    assert failed["failed"] and failed["changed"] is True and failed["last_status"] == {"step": 2}


def test_read_pages_ends_on_short_pages_and_repeats_and_never_guesses_where_pages_start():
    data = list(range(120))
    assert read_pages(lambda page: (data[page * 50:(page + 1) * 50], None), lambda x: x, 0, 50) == data
    assert read_pages(lambda page: (data[:50], None), lambda x: x, 0, 50) == data[:50]  # the page is ignored
    assert read_pages(lambda page: (data[page * 40:(page + 1) * 40], None), lambda x: x, 0) == data  # no size asked

    def one_based(page):
        if page == 0:
            raise ValidationError("bad page", status=400)
        return data[(page - 1) * 50:page * 50], None

    assert read_pages(one_based, lambda x: x, 1, 50) == data  # declared: pages count from 1
    with pytest.raises(ValidationError):  # a refused page 0 is an error, never a hint that pages count from 1
        read_pages(one_based, lambda x: x, 0, 50)
    assert read_pages(lambda page: (data[:50], True), lambda x: x, 0, 50) == data[:50]  # "more", but nothing new


def test_wait_for_polls_on_a_bounded_clock_and_never_sleeps_past_the_deadline():
    now, slept = [0.0], []

    def pause(seconds):
        slept.append(seconds)
        now[0] += seconds

    values = iter([1, 2, 3])
    assert wait_for(lambda: next(values), lambda v: v == 3, 60, 5, clock=lambda: now[0], pause=pause) == 3
    assert slept == [5, 5]
    slept[:] = []

    def timed_out(value):
        raise RuntimeError("still %d" % value)

    with pytest.raises(RuntimeError, match="still 0"):
        wait_for(lambda: 0, lambda v: v == 1, 12, 5, clock=lambda: now[0], pause=pause, timed_out=timed_out)
    assert slept == [5, 5, 2]
    with pytest.raises(InputError, match="wait_sleep"):
        check_wait({"wait_timeout": 10, "wait_sleep": 0})
    with pytest.raises(InputError, match="wait_timeout"):
        check_wait({"wait_timeout": 0, "wait_sleep": 1})
    check_wait({"wait_timeout": 0, "wait_sleep": 1}, zero_timeout=True)


def test_info_with_a_model_of_filters_validates_them_by_their_properties_and_sends_them_as_given():
    info = Info("rows", Store, lambda ctx: [{"search": ctx.params["search"]}],
                filters=Model(Field("search"), Field("limit", type="int", minimum=1)))
    assert run(info, Store(), {"search": ""})["rows"] == [{"search": ""}]
    with pytest.raises(InputError, match="limit must be 1 or more"):
        run(info, Store(), {"limit": 0})


@pytest.mark.parametrize("item", [
    {"code": "A"},
    {"code": "A", "name": "n", "size": 2, "share": 0.5, "parts": [{"part": "p", "count": 3}, {"part": "q"}]},
    {"code": "A", "size": 2.5, "parts": []},
    {"code": "A", "size": "2"},          # a string for a number: the validator converts it
    {"code": "A", "size": True},         # a bool for a number: the validator decides
    {"code": "A", "colour": "red"},      # unknown: the validator refuses it
    {"name": "no code"},                 # required missing: the validator refuses it
    {"code": "A", "parts": [{"count": 1}]},
])
def test_typed_items_skip_the_validator_with_the_same_result(item):
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
    from ansible_collections.apiops.platforms.plugins.module_utils.core.items import typed_params

    model = Model(*[f for f in WIDGET.fields if f.name != "token"])  # a secret always goes through the validator
    fast = typed_params(model, item)
    result = ArgumentSpecValidator(model.argument_spec()).validate(item)
    if fast is not None:
        assert not result.error_messages and fast == result.validated_parameters
        assert all(type(fast[k]) is type(v) for k, v in result.validated_parameters.items())
    assert typed_params(WIDGET, {"code": "A"}) is None


def test_what_a_hook_hands_on_is_declared_typed_and_never_read_before_it_is_set():
    def find(ctx):
        ctx.handed["seen"] = ["W1"]
        return None

    spec = Resource("widget", Store, WIDGET, key="code", find=find, hands_on={"seen": list},
                    write=lambda ctx, body, current, predicted: ctx.client.calls.append(("write", ctx.handed["seen"])))
    run(spec, Store(), {"code": "W1", "name": "w"})
    undeclared = Resource("widget", Store, WIDGET, key="code", find=find, write=_write)
    with pytest.raises(KeyError, match="does not declare"):
        run(undeclared, Store(), {"code": "W1", "name": "w"})
    wrong_type = Resource("widget", Store, WIDGET, key="code", find=find, write=_write, hands_on={"seen": dict})
    with pytest.raises(TypeError, match="declares as"):
        run(wrong_type, Store(), {"code": "W1", "name": "w"})
    too_early = Resource("widget", Store, WIDGET, key="code", find=_find, hands_on={"seen": list},
                         write=lambda ctx, body, current, predicted: ctx.handed["seen"])
    with pytest.raises(LookupError, match="before the hook that hands it on ran"):
        run(too_early, Store(), {"code": "W1", "name": "w"})


def test_bulk_runs_the_resources_hooks_a_create_the_single_module_refuses_is_refused():
    store = Store()
    with pytest.raises(InputError, match=r"widgets\[1\]: name is required to create widget 'B'"):
        run(Bulk("widgets", SPEC), store, {"widgets": [{"code": "A", "name": "a"}, {"code": "B"}], "workers": 1})
    assert store.writes() == []
