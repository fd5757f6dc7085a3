# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``changed`` is honest after any write, in every kind, guaranteed by the engine: a failure after a write that may
have taken effect reports ``changed: true``; a 4xx answer (429 included) means it did not. Hooks cannot replace
the engine's own result keys, and a batch is never split on a rate limit."""

from __future__ import annotations

import pytest

from ansible_collections.apiops.platforms.plugins.module_utils.core.bulk import Bulk
from ansible_collections.apiops.platforms.plugins.module_utils.core.engine import Action, Context, Info, Resource
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import (
    NotFoundError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
    ValidationError,
)
from ansible_collections.apiops.platforms.plugins.module_utils.core.models import Field, Model

THING = Model(Field("id", type="int", readonly=True), Field("code", required=True), Field("name"))


class Transport:
    writes_answered = 0


class Client:
    """An API whose calls the test scripts; ``transport.writes_answered`` counts writes answered 2xx, as the
    real transport does."""

    def __init__(self, *things):
        self.transport = Transport()
        self.things = dict((t["code"], THING.merge(None, t)) for t in things)
        self.sent = []

    def answered_write(self):
        self.transport.writes_answered += 1


class Exit(Exception):
    pass


class FakeModule:
    def __init__(self, client, params, check_mode=False):
        self._client = client
        self.client = client
        self.params = params
        self.check_mode = check_mode
        self._diff = True

    def warn(self, msg):
        pass

    def exit_json(self, **result):
        raise Exit(dict(result, failed=False))

    def fail_error(self, err, msg=None, **extra):
        raise Exit(dict(err.result(), msg=msg or err.msg, failed=True, **extra))


def run(spec, client, params, check_mode=False):
    full = dict((name, None) for name in spec.argument_spec())
    full.update(state="present")
    full.update(params)
    with pytest.raises(Exit) as done:
        spec.execute(Context(FakeModule(client, full, check_mode), spec))
    return done.value.args[0]


def lost(status=None):
    """A failure after the call was sent: no answer (status None, a timeout) or a 5xx."""
    err = RequestTimeoutError("no answer") if status is None else ServerError("failed", status=status)
    err.sent = True
    return err


def refused(status):
    err = (RateLimitedError if status == 429 else ValidationError)("refused", status=status)
    err.sent = True
    return err


def resource(write, delete=None):
    return Resource("thing", Client, THING, key="code", write=write, delete=delete,
                    find=lambda ctx: ctx.client.things.get(ctx.params["code"]),
                    listing=lambda ctx: list(ctx.client.things.values()))


# -- Resource ---------------------------------------------------------------------------------------------------------
def write_then(failure):
    """A write that is answered 2xx, then a second call (a read back, a re-post) that fails with ``failure``."""
    def write(ctx, body, current, predicted):
        ctx.client.answered_write()
        raise failure
    return write


@pytest.mark.parametrize("failure", [NotFoundError("read back", status=404), refused(400), refused(429), lost(500)])
def test_a_failure_after_a_write_answered_2xx_reports_changed(failure):
    result = run(resource(write_then(failure)), Client(), {"code": "A", "name": "a"})
    assert result["failed"] and result["changed"] is True


@pytest.mark.parametrize("failure,changed", [(lost(), True), (lost(500), True), (lost(503), True),
                                             (refused(400), False), (refused(429), False),
                                             (NotFoundError("gone", status=404), False)])
def test_the_failed_write_itself_reports_changed_when_it_may_have_acted(failure, changed):
    def write(ctx, body, current, predicted):
        raise failure
    result = run(resource(write), Client(), {"code": "A", "name": "a"})
    assert result["failed"] and result["changed"] is changed


def test_a_delete_whose_answer_was_lost_reports_changed():
    def delete(ctx, current):
        raise lost(502)
    result = run(resource(write_then(None), delete=delete), Client({"code": "A"}), {"code": "A", "state": "absent"})
    assert result["failed"] and result["changed"] is True


# -- Bulk ---------------------------------------------------------------------------------------------------------------
def test_a_bulk_partial_failure_reports_changed():
    def write(ctx, body, current, predicted):
        if body["code"] == "B":
            raise refused(400)
        ctx.client.answered_write()
        return dict(body, id=1)
    result = run(Bulk("things", resource(write)), Client(), {"things": [{"code": "A"}, {"code": "B"}], "workers": 1})
    assert result["failed"] and result["changed"] is True and result["created"] == ["A"]


@pytest.mark.parametrize("failure,changed", [(refused(400), False), (refused(429), False), (lost(504), True)])
def test_a_bulk_whose_every_write_failed_reports_changed_only_when_one_may_have_acted(failure, changed):
    def write(ctx, body, current, predicted):
        raise failure
    result = run(Bulk("things", resource(write)), Client(), {"things": [{"code": "A"}, {"code": "B"}], "workers": 1})
    assert result["failed"] and result["changed"] is changed


@pytest.mark.parametrize("failure,calls", [(refused(429), 1), (lost(503), 1), (refused(400), 1 + 20)])
def test_a_batch_is_split_only_when_the_api_refuses_an_item(failure, calls):
    sent = []

    def batch(ctx, bodies, predicted):
        sent.append(len(bodies))
        raise failure
    spec = Bulk("things", resource(None), batch=batch)
    items = [{"code": "T%02d" % i} for i in range(20)]
    result = run(spec, Client(), {"things": items, "workers": 1})
    assert result["failed"] and len(sent) == calls  # a rate limit refuses the call, not one item: never split
    assert result["error"] == failure.kind


# -- Action ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("failure,changed", [(lost(), True), (refused(429), False)])
def test_an_action_whose_call_failed_reports_changed_when_it_may_have_acted(failure, changed):
    def act(ctx, before):
        raise failure
    spec = Action("status", Client, read=lambda ctx: {"step": 1}, act=act)
    result = run(spec, Client(), {})
    assert result["failed"] and result["changed"] is changed


# -- hooks are contained -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", ["changed", "diff", "thing", "msg"])
def test_a_hook_cannot_replace_the_engines_own_result_keys(key):
    def write(ctx, body, current, predicted):
        ctx.extra[key] = "from a hook"
        return dict(body, id=1)
    with pytest.raises(ValueError, match="the engine owns"):
        run(resource(write), Client(), {"code": "A", "name": "a"})


def test_an_info_hook_cannot_replace_the_list():
    def read(ctx):
        ctx.extra["things"] = []
        return [{"code": "A"}]
    with pytest.raises(ValueError, match="the engine owns"):
        run(Info("things", Client, read), Client(), {})


# -- writes of only what differs ----------------------------------------------------------------------------------------
STOCKED = Model(Field("id", type="int", readonly=True), Field("code", required=True), Field("name"),
                Field("stock", type="float"), Field("tags", type="list", elements="str"))


class Shelf:
    """A store where another writer changes the stock between a task's read and its write (``meanwhile``)."""

    def __init__(self, replaces):
        self.transport = Transport()
        self.stored = {"code": "A", "name": "old", "stock": 5.0, "tags": ["x"]}
        self.replaces = replaces
        self.reads = 0
        self.bodies = []
        self.meanwhile = None

    def read(self):
        self.reads += 1
        found = dict(self.stored)
        if self.meanwhile:
            self.stored.update(self.meanwhile)  # another writer acts just after this read
            self.meanwhile = None
        return STOCKED.merge(None, found)

    def write(self, body):
        self.bodies.append(dict(body))
        self.stored = dict(body) if self.replaces else dict(self.stored, **body)
        return None


def shelf_spec(writes):
    return Resource("thing", Shelf, STOCKED, key="code", writes=writes, find=lambda ctx: ctx.client.read(),
                    write=lambda ctx, body, current, predicted: ctx.client.write(body),
                    listing=lambda ctx: [ctx.client.read()])


def test_a_merging_endpoint_gets_the_key_and_what_differs_never_a_field_read_earlier():
    shelf = Shelf(replaces=False)
    shelf.meanwhile = {"stock": 3.0}  # a sale between the read and the write
    result = run(shelf_spec("merge"), shelf, {"code": "A", "name": "new"})
    assert result["changed"] and shelf.bodies == [{"code": "A", "name": "new"}]  # no stock, no empty tags
    assert shelf.stored["stock"] == 3.0 and shelf.stored["tags"] == ["x"]


def test_a_replacing_endpoint_is_read_again_just_before_the_write():
    shelf = Shelf(replaces=True)
    shelf.meanwhile = {"stock": 3.0}
    result = run(shelf_spec("replace"), shelf, {"code": "A", "name": "new"})
    assert result["changed"] and shelf.reads == 2  # the read that compares, and the one just before the write
    assert shelf.bodies[0]["stock"] == 3.0 and shelf.stored["stock"] == 3.0  # the sale is kept
    assert shelf.stored["name"] == "new"


def test_a_check_run_reads_once_and_predicts_the_same():
    shelf = Shelf(replaces=True)
    check = run(shelf_spec("replace"), shelf, {"code": "A", "name": "new"}, check_mode=True)
    assert check["changed"] and shelf.reads == 1 and shelf.bodies == [] and check["thing"]["name"] == "new"


def test_a_bulk_update_of_a_replacing_endpoint_reads_again_before_its_writes():
    shelf = Shelf(replaces=True)
    shelf.meanwhile = {"stock": 3.0}  # after the bulk's first read
    result = run(Bulk("things", shelf_spec("replace")), shelf, {"things": [{"code": "A", "name": "new"}], "workers": 1})
    assert result["changed"] and shelf.reads == 2 and shelf.bodies[0]["stock"] == 3.0


def test_a_bulk_update_of_a_merging_endpoint_sends_what_differs_only():
    shelf = Shelf(replaces=False)
    shelf.meanwhile = {"stock": 3.0}
    result = run(Bulk("things", shelf_spec("merge")), shelf, {"things": [{"code": "A", "name": "new"}], "workers": 1})
    assert result["changed"] and shelf.bodies == [{"code": "A", "name": "new"}] and shelf.stored["stock"] == 3.0
