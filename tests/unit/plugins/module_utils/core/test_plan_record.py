# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan record every kind puts in its result (core/plan.py): kind, key, action and the names of the fields
that change, never their values; the same in check mode and in the real run; failures marked."""

from __future__ import annotations

import json

import pytest

from ansible_collections.apiops.platforms.plugins.module_utils.core import plan
from ansible_collections.apiops.platforms.plugins.module_utils.core.bulk import Bulk
from ansible_collections.apiops.platforms.plugins.module_utils.core.engine import Action, Context, Info, Resource
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import MASK, ServerError, ValidationError
from ansible_collections.apiops.platforms.plugins.module_utils.core.models import Field, Model
from ansible_collections.apiops.platforms.plugins.module_utils.core.request import Request

GADGET = Model(
    Field("id", type="int", readonly=True),
    Field("code", required=True),
    Field("name"),
    Field("size", type="float"),
    Field("secret", no_log=True),
)


class Store:
    def __init__(self, *gadgets):
        self.gadgets = dict((g["code"], GADGET.merge(None, g)) for g in gadgets)
        self.fail = None
        self.transport = type("Transport", (), {"shown_url": lambda self, method, path, query: path})()

    def write(self, body, current):
        if self.fail:
            raise self.fail
        stored = GADGET.merge(current, body)
        self.gadgets[stored["code"]] = stored
        return stored


class Exit(Exception):
    pass


class Module:
    """What the engine uses of ApiModule, settling the plan record on exit and failure as ApiModule does."""

    plan_record = None

    def __init__(self, store, params, check_mode=False):
        self.client, self.params, self.check_mode, self._diff = store, params, check_mode, False

    def warn(self, msg):
        pass

    def exit_json(self, **result):
        raise Exit(plan.finish(self.plan_record, result))

    def fail_error(self, err, msg=None, **extra):
        raise Exit(plan.finish(self.plan_record, dict(err.result(), msg=msg or err.msg, failed=True, **extra),
                               failed=True))


SPEC = Resource(
    "gadget", Store, GADGET, key="code",
    find=lambda ctx: ctx.client.gadgets.get(ctx.params["code"]),
    write=lambda ctx, body, current, predicted: ctx.client.write(body, current),
    delete=lambda ctx, current: ctx.client.gadgets.pop(current["code"]),
    listing=lambda ctx: list(ctx.client.gadgets.values()),
)


def run(spec, store, params, check_mode=False):
    full = dict((name, None) for name in spec.argument_spec())
    full.update(state="present")
    full.update(params)
    with pytest.raises(Exit) as done:
        spec.execute(Context(Module(store, full, check_mode), spec))
    return done.value.args[0]


@pytest.mark.parametrize("check_mode", [True, False])
def test_a_resource_names_its_action_and_the_fields_that_change(check_mode):
    store = Store({"code": "G1", "name": "old", "size": 1})
    assert run(SPEC, store, {"code": "G2", "name": "new"}, check_mode)["plan"] == {
        "kind": "resource", "key": {"code": "G2"}, "action": "create", "fields": []}
    result = run(SPEC, store, {"code": "G1", "name": "renamed", "size": 1, "secret": "s3cr3t-value"}, check_mode)
    assert result["plan"] == {"kind": "resource", "key": {"code": "G1"}, "action": "update",
                              "fields": ["name", "secret"]}
    assert "s3cr3t" not in json.dumps(result["plan"]) and "renamed" not in json.dumps(result["plan"])
    assert run(SPEC, store, {"code": "G1", "size": 1}, check_mode)["plan"]["action"] == "none"
    assert run(SPEC, store, {"code": "G1", "state": "absent"}, check_mode)["plan"]["action"] == "delete"
    assert run(SPEC, Store(), {"code": "G9", "state": "absent"}, check_mode)["plan"]["action"] == "none"


def test_a_failed_write_keeps_its_action_and_is_marked_failed():
    store = Store({"code": "G1", "name": "old"})
    store.fail = ServerError("boom", status=500)
    result = run(SPEC, store, {"code": "G1", "name": "new"})
    assert result["failed"]
    assert result["plan"] == {"kind": "resource", "key": {"code": "G1"}, "action": "update", "fields": ["name"],
                              "failed": True}


def test_a_secret_key_is_masked():
    spec = Resource("gadget", Store, GADGET, key="code", identity=("code", "secret"),
                    find=lambda ctx: None, write=lambda ctx, body, current, predicted: None)
    result = run(spec, Store(), {"code": "G1", "secret": "hidden-one"}, check_mode=True)
    assert result["plan"]["key"] == {"code": "G1", "secret": MASK}


@pytest.mark.parametrize("check_mode", [True, False])
def test_a_bulk_run_has_one_record_per_item(check_mode):
    bulk = Bulk("gadgets", SPEC, purge=True)
    store = Store({"code": "A", "name": "a"}, {"code": "B", "name": "b"}, {"code": "Z", "name": "z"})
    items = [{"code": "A", "name": "a"}, {"code": "B", "name": "bee", "size": 2}, {"code": "C"}]
    result = run(bulk, store, {"gadgets": items, "workers": 1, "purge": True}, check_mode)
    assert result["plan"] == {"kind": "bulk", "items": [
        {"key": {"code": "A"}, "action": "none", "fields": []},
        {"key": {"code": "B"}, "action": "update", "fields": ["name", "size"]},
        {"key": {"code": "C"}, "action": "create", "fields": []},
        {"key": {"code": "Z"}, "action": "delete", "fields": []},
    ]}
    absent = run(bulk, Store({"code": "A"}), {"gadgets": [{"code": "A"}, {"code": "Q"}], "workers": 1,
                                              "state": "absent"}, check_mode)
    assert [(i["key"]["code"], i["action"]) for i in absent["plan"]["items"]] == [("A", "delete"), ("Q", "none")]


def test_a_bulk_failure_marks_the_items_that_failed():
    def write(ctx, body, current, predicted):
        if body["code"] == "D":
            raise ValidationError("refused", status=400)
        return ctx.client.write(body, current)

    spec = Resource("gadget", Store, GADGET, key="code", find=lambda ctx: None, write=write,
                    listing=lambda ctx: list(ctx.client.gadgets.values()))
    result = run(Bulk("gadgets", spec), Store(), {"gadgets": [{"code": "D"}, {"code": "E"}], "workers": 1})
    assert result["failed"]
    assert result["plan"]["items"] == [{"key": {"code": "D"}, "action": "create", "fields": [], "failed": True},
                                       {"key": {"code": "E"}, "action": "create", "fields": []}]


def _action(needed, fail=None):
    def act(ctx, before):
        if fail:
            raise fail
        return True, {"state": "done"}

    return Action("job", Store, read=lambda ctx: {"state": "idle"}, needed=lambda ctx, before: needed, act=act,
                  options={"job_id": {"type": "str"}}, identity=("job_id",), unpredicted="the state once started")


@pytest.mark.parametrize("check_mode", [True, False])
def test_an_action_runs_or_not(check_mode):
    assert run(_action(True), Store(), {"job_id": "j1"}, check_mode)["plan"] == {
        "kind": "action", "key": {"job_id": "j1"}, "action": "run", "fields": [], "unpredicted": True}
    assert run(_action(False), Store(), {"job_id": "j1"}, check_mode)["plan"]["action"] == "none"


def test_an_action_refused_did_not_run_but_is_marked_failed():
    result = run(_action(True, ValidationError("no", status=400)), Store(), {"job_id": "j1"})
    assert result["plan"]["action"] == "run" and result["plan"]["failed"] and not result["changed"]


def test_info_has_no_record_and_a_request_runs_when_it_changes():
    info = Info("gadgets", Store, read=lambda ctx: [])
    assert "plan" not in run(info, Store(), {})
    request = Request("gadget_request", Store, identity=("method", "path"))
    result = run(request, Store(), {"method": "POST", "path": "/api/Gadgets", "body": {"code": "A"}}, check_mode=True)
    assert result["plan"] == {"kind": "request", "key": {"method": "POST", "path": "/api/Gadgets"},
                              "action": "run", "fields": []}


def test_a_hook_cannot_set_the_record():
    def find(ctx):
        ctx.extra["plan"] = {"action": "none"}
        return None

    spec = Resource("gadget", Store, GADGET, key="code", find=find, write=lambda ctx, body, current, predicted: None)
    with pytest.raises(ValueError, match="plan"):
        run(spec, Store(), {"code": "G1"}, check_mode=True)


def test_the_kind_of_a_subclass_is_its_base_kind():
    class Special(Action):
        pass

    assert plan.kind_of(Special("x", Store, read=None, act=None)) == "action"
    assert plan.kind_of(object()) is None


def test_a_bulk_failure_plans_no_purge_it_did_not_try():
    def write(ctx, body, current, predicted):
        if body["code"] == "D":
            raise ValidationError("refused", status=400)
        return ctx.client.write(body, current)

    store = Store({"code": "Z"})
    spec = Resource("gadget", Store, GADGET, key="code", find=lambda ctx: None, write=write,
                    delete=lambda ctx, current: ctx.client.gadgets.pop(current["code"]),
                    listing=lambda ctx: list(ctx.client.gadgets.values()))
    result = run(Bulk("gadgets", spec, purge=True), store, {"gadgets": [{"code": "D"}], "workers": 1, "purge": True})
    assert result["failed"] and "Z" in store.gadgets
    assert result["plan"]["items"] == [{"key": {"code": "D"}, "action": "create", "fields": [], "failed": True}]
