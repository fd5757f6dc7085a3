# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Foxops incarnation flows without a server: what is compared, what a check run predicts, which call is made."""

from __future__ import annotations

import copy
import json

import pytest

from ansible_collections.apiops.platforms.plugins.module_utils.foxops import actions as foxops_actions
from ansible_collections.apiops.platforms.plugins.module_utils.foxops import client as foxops
from ansible_collections.apiops.platforms.plugins.module_utils.foxops import info as foxops_info
from ansible_collections.apiops.platforms.plugins.module_utils.foxops import predict as foxops_predict
from ansible_collections.apiops.platforms.plugins.module_utils.foxops import specs as foxops_specs
from ansible_collections.apiops.platforms.plugins.module_utils.core.engine import Context
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import (
    ConflictError,
    InputError,
    NotFoundError,
    ServerError,
    TransportError,
    ValidationError,
)


class Outcome:
    """What a module run did (or, in check mode, would do), read from its result."""

    def __init__(self, result, name):
        diff = result.get("diff") or {}
        self.changed = result["changed"]
        self.before = diff.get("before") or None
        self.after = result[name]
        self.extra = dict((k, v) for k, v in result.items() if k not in ("changed", "diff", name))


class _Done(Exception):
    pass


class FakeModule:
    """Just what the engine uses of ApiModule; the client is given."""

    def __init__(self, client, params, check_mode):
        self.client, self.params, self.check_mode, self._diff = client, params, check_mode, True

    def warn(self, msg):
        pass

    def exit_json(self, **result):
        raise _Done(result)

    def fail_error(self, err, msg=None, **extra):
        err.reported = dict(extra, msg=msg or err.msg)  # what the module would add to the failure
        raise err


def _run(spec, client, p, check_mode, **extra):
    try:
        spec.execute(Context(FakeModule(client, dict(p, **extra), check_mode), spec))
    except _Done as done:
        return Outcome(done.args[0], spec.name)
    raise AssertionError("the module did not exit")


def ensure_present(client, p, check_mode):
    return _run(foxops_specs.INCARNATION_RESOURCE, client, p, check_mode, state="present")


def ensure_absent(client, p, check_mode):
    return _run(foxops_specs.INCARNATION_RESOURCE, client, p, check_mode, state="absent")


def reset(client, p, check_mode):
    return _run(foxops_actions.INCARNATION_RESET, client, p, check_mode)


INC = {
    "id": 7, "incarnation_repository": "inc1", "target_directory": ".", "template_repository": "template",
    "template_repository_version": "v1.0.0", "template_repository_version_hash": "abc",
    "template_data": {"name": "Jon", "age": 18},
    "template_data_full": {"name": "Jon", "age": 18, "country": "Switzerland", "_fengine_template_repository_version": "v1.0.0",
                           "fengine": {"template": {"repository": "template", "repository_version": "v1.0.0"}}},
    "revision": 1, "commit_sha": "c1", "commit_url": "u1", "merge_request_id": None, "merge_request_url": None,
    "merge_request_status": None, "status": "success",
}


def params(**kwargs):
    p = {"incarnation_repository": "inc1", "target_directory": ".", "template_repository": None,
         "template_repository_version": None, "template_data": None, "purge_template_data": False,
         "change_type": "merge_request", "automerge": False, "wait": False, "wait_timeout": 600, "wait_sleep": 5}
    p.update(kwargs)
    return p


def reset_params(**kwargs):
    """The options of foxops_incarnation_reset, which has no wait."""
    dropped = ("wait", "wait_timeout", "wait_sleep", "change_type", "automerge", "template_repository")
    return dict((k, v) for k, v in params(**kwargs).items() if k not in dropped)


class FakeClient(foxops.FoxopsClient):
    """The client's flows with the HTTP calls replaced by a recorded, scripted fake."""

    def __init__(self, current=None, gets=(), changes=(), diff="", reset_answer=None, write_revision_bump=1):
        # pylint: disable=super-init-not-called
        self.current = copy.deepcopy(current)
        self.gets = list(gets)
        self.changes = list(changes)
        self.diff_text = diff
        self.reset_answer = reset_answer
        self.bump = write_revision_bump
        self.calls = []
        self.slept = []
        self.now = 0.0

    def find_incarnation(self, incarnation_repository, target_directory="."):
        self.calls.append(("find", incarnation_repository, target_directory))
        return copy.deepcopy(self.current)

    def get_incarnation(self, incarnation_id):
        self.calls.append(("get", incarnation_id))
        if self.gets:
            self.current = self.gets.pop(0)
        return copy.deepcopy(self.current)

    def _written(self, version, data, status):
        after = dict(self.current, template_repository_version=version, template_data=data,
                     revision=self.current["revision"] + self.bump, merge_request_status=status)
        self.current = after
        return copy.deepcopy(after)

    def create_incarnation(self, *args):
        self.calls.append(("create",) + args)
        return dict(INC, incarnation_repository=args[0], target_directory=args[1], template_repository=args[2],
                    template_repository_version=args[3], template_data=args[4], revision=1)

    def patch_incarnation(self, incarnation_id, requested_version=None, requested_data=None, automerge=True):
        self.calls.append(("patch", requested_version, requested_data, automerge))
        data = dict(self.current["template_data"], **(requested_data or {}))
        return self._written(requested_version or self.current["template_repository_version"], data,
                             "merged" if automerge else "open")

    def put_incarnation(self, incarnation_id, template_repository_version, template_data, automerge=True):
        self.calls.append(("put", template_repository_version, template_data, automerge))
        return self._written(template_repository_version, template_data, "merged" if automerge else "open")

    def create_change(self, incarnation_id, requested_version, requested_data, change_type="direct"):
        self.calls.append(("change", requested_version, requested_data, change_type))
        self._written(requested_version, requested_data, None)

    def delete_incarnation(self, incarnation_id, holding=None):
        self.calls.append(("delete", incarnation_id))

    def list_changes(self, incarnation_id):
        self.calls.append(("changes", incarnation_id))
        return self.changes

    def diff(self, incarnation_id):
        self.calls.append(("diff", incarnation_id))
        return self.diff_text

    def reset(self, incarnation_id, requested_version, requested_data):
        self.calls.append(("reset", requested_version, requested_data))
        return self.reset_answer

    def wait_while_open(self, incarnation, timeout, sleep_seconds, sleep=None, clock=None):
        def fake_sleep(seconds):
            self.slept.append(seconds)
            self.now += seconds
        return super(FakeClient, self).wait_while_open(incarnation, timeout, sleep_seconds, sleep=fake_sleep,
                                                       clock=lambda: self.now)

    def wait_for_merge_request(self, incarnation, goal, timeout, sleep_seconds, changed=False, sleep=None, clock=None):
        def fake_sleep(seconds):
            self.slept.append(seconds)
            self.now += seconds
        return super(FakeClient, self).wait_for_merge_request(incarnation, goal, timeout, sleep_seconds, changed=changed,
                                                              sleep=fake_sleep, clock=lambda: self.now)

    def server_version(self):
        self.calls.append(("version",))
        return "2.9.1"

    def writes(self):
        return [c for c in self.calls if c[0] in ("create", "patch", "put", "change", "delete", "reset")]


KNOWABLE = ("template_repository_version", "template_data", "revision", "merge_request_status")


def knowable(inc):
    return dict((k, inc[k]) for k in KNOWABLE)


# -- pure helpers ---------------------------------------------------------------------------------------------


def test_wanted_data_merges_or_replaces():
    assert foxops_predict.wanted_data({"a": 1, "b": 2}, {"b": 3}, False) == {"a": 1, "b": 3}
    assert foxops_predict.wanted_data({"a": 1, "b": 2}, {"b": 3}, True) == {"b": 3}
    assert foxops_predict.wanted_data({"a": 1}, None, True) == {"a": 1}


def test_carries_compares_exactly_numbers_by_value_never_bools_as_numbers():
    assert foxops_predict.carries(INC, "v1.0.0", {"name": "Jon", "age": 18.0})
    assert not foxops_predict.carries(INC, "v1.0.0", {"name": "Jon"})
    assert not foxops_predict.carries(INC, "v2.0.0", {"name": "Jon", "age": 18})
    assert not foxops_predict.carries(dict(INC, template_data={"flag": 1}), "v1.0.0", {"flag": True})
    nested = dict(INC, template_data={"obj": {"a": 1, "b": 2}})
    assert not foxops_predict.carries(nested, "v1.0.0", {"obj": {"a": 1}})


def test_predict_bumps_revision_and_nulls_what_only_the_server_knows():
    predicted = foxops_predict.predict(INC, "v2.0.0", {"name": "Jon", "age": 19}, "open")
    assert knowable(predicted) == {"template_repository_version": "v2.0.0", "template_data": {"name": "Jon", "age": 19},
                                   "revision": 2, "merge_request_status": "open"}
    assert predicted["id"] == 7
    for key in ("commit_sha", "commit_url", "merge_request_id", "merge_request_url"):
        assert predicted[key] is None
    assert predicted["template_data_full"]["age"] == 19
    assert predicted["template_data_full"]["country"] == "Switzerland"
    assert predicted["template_data_full"]["_fengine_template_repository_version"] == "v2.0.0"
    assert predicted["template_data_full"]["fengine"]["template"]["repository_version"] == "v2.0.0"
    assert INC["template_data_full"]["age"] == 18  # the current object is not touched


def test_predict_gives_a_purged_variable_the_default_the_server_has_shown():
    # the user had set country; dropping it brings the template's default back, which an earlier change showed
    current = dict(INC, template_data={"name": "Jon", "age": 18, "country": "Spain"},
                   template_data_full=dict(INC["template_data_full"], country="Spain"))
    history = [{"requested_version": "v2.0.0", "requested_data": {"name": "Jon", "age": 18},
                "template_data_full": {"name": "Jon", "age": 18, "country": "Germany"}},
               {"requested_version": "v1.0.0", "requested_data": {"name": "Jon", "age": 17},
                "template_data_full": {"name": "Jon", "age": 17, "country": "Switzerland"}}]
    predicted = foxops_predict.predict(current, "v1.0.0", {"name": "Jon", "age": 18}, None, history)
    assert predicted["template_data_full"]["country"] == "Switzerland"
    assert predicted["merge_request_status"] is None
    # not shown yet: the variable stays, its value unknown (null), never silently dropped
    unknown = foxops_predict.predict(current, "v1.0.0", {"name": "Jon", "age": 18}, None)
    assert "country" in unknown["template_data_full"] and unknown["template_data_full"]["country"] is None


def test_predict_takes_the_defaults_of_the_new_version_from_the_history():
    history = [{"requested_version": "v2.0.0", "requested_data": {"name": "Jon", "age": 18},
                "template_data_full": {"name": "Jon", "age": 18, "country": "Switzerland", "planet": "Earth",
                                       "_fengine_template_repository_version": "v2.0.0"}}]
    predicted = foxops_predict.predict(INC, "v2.0.0", {"name": "Jon", "age": 19}, "merged", history)
    assert predicted["template_data_full"] == {
        "name": "Jon", "age": 19, "country": "Switzerland", "planet": "Earth",
        "_fengine_template_repository_version": "v2.0.0",
        "fengine": {"template": {"repository": "template", "repository_version": "v2.0.0"}}}


def test_predict_converts_strings_as_the_template_reads_them():
    current = dict(INC, template_data_full=dict(INC["template_data_full"], debug=False))
    predicted = foxops_predict.predict(current, "v1.0.0", {"name": "Jon", "age": "19", "debug": "yes"}, None)
    assert predicted["template_data"] == {"name": "Jon", "age": "19", "debug": "yes"}  # kept as given
    assert predicted["template_data_full"]["age"] == 19 and predicted["template_data_full"]["debug"] is True
    assert foxops_predict.predict(current, "v1.0.0", {"name": 5, "age": "x"}, None)["template_data_full"]["age"] == "x"


def test_check_mode_reads_the_history_only_when_the_prediction_needs_it():
    history = [{"requested_version": "v2.0.0", "requested_data": {"name": "Jon", "age": 18},
                "template_data_full": {"name": "Jon", "age": 18, "country": "Switzerland", "planet": "Earth"}}]
    client = FakeClient(INC, changes=history)
    outcome = ensure_present(client, params(template_data={"age": 19}), True)
    assert ("changes", 7) not in client.calls and outcome.after["template_data_full"]["age"] == 19
    client = FakeClient(INC, changes=history)
    outcome = ensure_present(client, params(template_repository_version="v2.0.0", automerge=True), True)
    assert ("changes", 7) in client.calls and client.writes() == []
    assert outcome.after["template_data_full"]["planet"] == "Earth"


@pytest.mark.parametrize("bad,option", [
    ({"wait_timeout": -1}, "wait_timeout"),
    ({"wait_sleep": 0}, "wait_sleep"),
    ({"target_directory": " "}, "target_directory"),
    ({"incarnation_repository": ""}, "incarnation_repository"),
])
def test_bad_input_is_refused_naming_the_option(bad, option):
    with pytest.raises(InputError, match=option):
        foxops_specs.check_options(params(**bad))


# -- create, update, delete -----------------------------------------------------------------------------------


def test_create_needs_template_and_version_naming_them():
    with pytest.raises(InputError, match="template_repository and template_repository_version are required"):
        ensure_present(FakeClient(None), params(template_data={"name": "A"}), False)


def test_create_in_check_mode_predicts_without_writing():
    client = FakeClient(None)
    outcome = ensure_present(client, params(template_repository="template", template_repository_version="v1.0.0",
                                            template_data={"name": "A", "age": 1}), True)
    assert outcome.changed and outcome.before is None
    assert outcome.after["id"] is None and outcome.after["revision"] == 1
    assert outcome.after["template_data"] == {"name": "A", "age": 1}
    assert client.writes() == []


def test_no_op_sends_no_write():
    client = FakeClient(INC)
    outcome = ensure_present(client, params(template_data={"age": 18}, template_repository_version="v1.0.0"), False)
    assert not outcome.changed and outcome.after == INC
    assert client.writes() == []


def test_merge_patches_only_the_keys_that_differ():
    client = FakeClient(INC)
    predicted = ensure_present(FakeClient(INC), params(template_data={"name": "Jon", "age": 19}, automerge=True), True)
    outcome = ensure_present(client, params(template_data={"name": "Jon", "age": 19}, automerge=True), False)
    assert client.writes() == [("patch", None, {"age": 19}, True)]
    assert outcome.changed
    assert knowable(predicted.after) == knowable(outcome.after)


def test_purge_puts_the_whole_data():
    client = FakeClient(INC)
    outcome = ensure_present(client, params(template_data={"name": "Ann"}, purge_template_data=True), False)
    assert client.writes() == [("put", "v1.0.0", {"name": "Ann"}, False)]
    assert outcome.after["merge_request_status"] == "open"


def test_direct_change_sends_the_whole_data_and_rereads():
    client = FakeClient(INC)
    outcome = ensure_present(client, params(template_repository_version="v2.0.0", template_data={"age": 20},
                                            change_type="direct", automerge=True), False)
    assert client.writes() == [("change", "v2.0.0", {"name": "Jon", "age": 20}, "direct")]
    assert outcome.after["merge_request_status"] is None
    assert client.calls[-1] == ("get", 7)


def test_a_revision_that_did_not_move_is_no_change():
    client = FakeClient(INC, write_revision_bump=0)
    outcome = ensure_present(client, params(template_repository_version="v2.0.0"), False)
    assert client.writes() and not outcome.changed


def test_another_template_repository_is_refused():
    with pytest.raises(InputError, match="template_repository cannot change"):
        ensure_present(FakeClient(INC), params(template_repository="other"), False)


DELETED_STATE = ("diff --git a/work/.fengine.yaml b/work/.fengine.yaml\ndeleted file mode 100644\nindex ca76673..0000000\n"
                 "--- a/work/.fengine.yaml\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-template_data:\n-  name: Jon\n")
CHANGED_STATE = DELETED_STATE.replace("deleted file mode 100644\n", "")


def test_the_state_file_removed_is_told_by_the_diff():
    assert foxops_specs.state_file_removed(DELETED_STATE)
    assert foxops_specs.state_file_removed("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@\n-a\n+b\n" + DELETED_STATE)
    assert not foxops_specs.state_file_removed(CHANGED_STATE)
    assert not foxops_specs.state_file_removed("")
    assert not foxops_specs.state_file_removed(DELETED_STATE.replace(".fengine.yaml", "fengine.yaml.bak"))


@pytest.mark.parametrize("check_mode", [True, False])
def test_recreate_is_refused_before_any_write_while_the_state_file_is_there(check_mode):
    client = FakeClient(INC, diff=CHANGED_STATE)
    with pytest.raises(ConflictError, match=r"Remove \.fengine\.yaml from the default branch of inc1"):
        ensure_present(client, params(template_repository="other", recreate=True), check_mode)
    assert client.writes() == []


def test_recreate_is_refused_with_an_open_merge_request():
    client = FakeClient(dict(INC, merge_request_status="open", merge_request_url="mr/1"), diff=DELETED_STATE)
    with pytest.raises(ConflictError, match="mr/1 is open"):
        ensure_present(client, params(template_repository="other", recreate=True), False)
    assert client.writes() == []


@pytest.mark.parametrize("check_mode", [True, False])
def test_recreate_deletes_and_creates_with_the_data_merged(check_mode):
    client = FakeClient(INC, diff=DELETED_STATE)
    outcome = ensure_present(client, params(template_repository="other", template_repository_version="v2.0.0",
                                            template_data={"age": 19}, recreate=True), check_mode)
    assert outcome.changed
    assert outcome.before["template_repository"] == "template"
    assert outcome.after["template_repository"] == "other"
    assert outcome.after["template_data"] == {"name": "Jon", "age": 19}
    assert outcome.after["revision"] == 1
    if check_mode:
        assert client.writes() == []
    else:
        assert client.writes() == [("delete", 7), ("create", "inc1", ".", "other", "v2.0.0", {"name": "Jon", "age": 19})]


def test_recreate_keeps_the_version_when_none_is_given_and_needs_another_template():
    client = FakeClient(INC, diff=DELETED_STATE)
    outcome = ensure_present(client, params(template_repository="other", recreate=True), False)
    assert client.writes()[-1] == ("create", "inc1", ".", "other", "v1.0.0", {"name": "Jon", "age": 18})
    assert outcome.changed
    same = FakeClient(INC, diff=DELETED_STATE)
    assert not ensure_present(same, params(template_repository="template", recreate=True), False).changed
    assert same.writes() == []


def test_delete_and_delete_again():
    client = FakeClient(INC)
    assert ensure_absent(client, params(), True).changed
    assert client.writes() == []
    assert ensure_absent(client, params(), False).changed
    assert client.writes() == [("delete", 7)]
    assert not ensure_absent(FakeClient(None), params(), False).changed


# -- open and closed merge requests ---------------------------------------------------------------------------

OPEN = dict(INC, template_data={"name": "Jon", "age": 19}, revision=2, merge_request_id="3",
            merge_request_url="file:///mr/3", merge_request_status="open")


def test_an_open_merge_request_with_the_desired_state_is_no_change():
    client = FakeClient(OPEN)
    outcome = ensure_present(client, params(template_data={"age": 19}), False)
    assert not outcome.changed and outcome.after == OPEN
    assert client.writes() == []


def test_an_open_merge_request_with_another_state_is_a_conflict_naming_it():
    with pytest.raises(foxops.OpenMergeRequest) as caught:
        ensure_present(FakeClient(OPEN), params(template_data={"age": 20}), True)
    result = caught.value.result()
    assert result["error"] == "conflict"
    assert result["merge_request_url"] == "file:///mr/3" and "file:///mr/3" in caught.value.msg
    assert "wait=true" in caught.value.msg


def test_wait_until_merged_then_change():
    merged = dict(OPEN, merge_request_status="merged")
    client = FakeClient(OPEN, gets=[OPEN, merged])
    outcome = ensure_present(client, params(template_data={"age": 20}, wait=True, wait_sleep=2, automerge=True), False)
    assert client.slept == [2, 2]
    assert outcome.before["merge_request_status"] == "merged"
    assert client.writes() == [("patch", None, {"age": 20}, True)]
    assert outcome.after["revision"] == 3


def test_a_check_run_never_waits_for_an_open_merge_request():
    # with wait=true a real run waits for a person to merge or close the merge request; a check run never waits: it
    # predicts on the applied state and sends nothing (the spec declares what it therefore cannot predict)
    client = FakeClient(OPEN, gets=[OPEN] * 10)
    outcome = ensure_present(client, params(template_data={"age": 20}, wait=True, wait_timeout=600, wait_sleep=2), True)
    assert client.slept == [] and client.writes() == []
    assert outcome.changed and outcome.after["template_data"]["age"] == 20
    assert foxops_specs.INCARNATION_RESOURCE.unpredicted == foxops_specs.UNPREDICTED_WAIT


def test_wait_runs_out_with_a_timeout():
    client = FakeClient(OPEN, gets=[OPEN] * 10)
    with pytest.raises(foxops.OpenMergeRequest) as caught:
        ensure_present(client, params(template_data={"age": 20}, wait=True, wait_timeout=5, wait_sleep=2), False)
    assert caught.value.result()["error"] == "timeout"
    assert "still open after waiting 5s" in caught.value.msg
    assert sum(client.slept) == 5


def test_after_a_closed_merge_request_the_applied_change_is_compared():
    closed = dict(OPEN, merge_request_status="closed")
    changes = [
        {"revision": 2, "requested_version": "v1.0.0", "requested_data": {"name": "Jon", "age": 19},
         "template_data_full": {}, "merge_request_status": "closed"},
        {"revision": 1, "requested_version": "v1.0.0", "requested_data": {"name": "Jon", "age": 18},
         "template_data_full": {"name": "Jon", "age": 18}, "merge_request_status": None},
    ]
    client = FakeClient(closed, changes=changes)
    outcome = ensure_present(client, params(template_data={"age": 18}), False)
    assert not outcome.changed and outcome.after["template_data"] == {"name": "Jon", "age": 18}
    client = FakeClient(closed, changes=changes)
    outcome = ensure_present(client, params(template_data={"age": 19}), True)
    assert outcome.changed and outcome.after["revision"] == 3


# -- reset ----------------------------------------------------------------------------------------------------


def test_reset_check_mode_uses_the_diff():
    assert not reset(FakeClient(INC, diff=""), params(), True).changed
    outcome = reset(FakeClient(INC, diff="--- a\n+++ b\n"), params(template_repository_version="v2.0.0"), True)
    assert outcome.changed and outcome.extra["merge_request"] == {"id": None, "url": None}
    assert knowable(outcome.after) == {"template_repository_version": "v2.0.0", "template_data": INC["template_data"],
                                       "revision": 2, "merge_request_status": "open"}


def test_reset_nothing_to_reset_and_a_reset():
    client = FakeClient(INC, reset_answer=None)
    outcome = reset(client, params(), False)
    assert not outcome.changed and outcome.extra["merge_request"] is None
    client = FakeClient(INC, gets=[OPEN], reset_answer={"merge_request_id": "3", "merge_request_url": "file:///mr/3"})
    outcome = reset(client, params(template_data={"age": 19}), False)
    assert client.writes() == [("reset", "v1.0.0", {"name": "Jon", "age": 19})]
    assert outcome.changed and outcome.extra["merge_request"] == {"id": "3", "url": "file:///mr/3"}


def test_reset_with_its_merge_request_open_is_no_change_and_another_state_a_conflict():
    outcome = reset(FakeClient(OPEN), params(), False)
    assert not outcome.changed and outcome.extra["merge_request"] == {"id": "3", "url": "file:///mr/3"}
    with pytest.raises(foxops.OpenMergeRequest) as caught:
        reset(FakeClient(OPEN), reset_params(template_data={"age": 30}), False)
    assert "wait" not in caught.value.msg


def test_reset_while_an_update_merge_request_is_open_is_a_conflict_not_a_reset():
    update = [{"revision": 2, "merge_request_status": "open", "merge_request_branch_name": "foxops/update-to-3a52ce7-v2.0.0"}]
    client = FakeClient(OPEN, changes=update)
    with pytest.raises(foxops.OpenMergeRequest, match="updates it .* not a reset: merge or close file:///mr/3 first") as caught:
        reset(client, reset_params(), True)
    assert caught.value.kind == "conflict" and caught.value.result()["merge_request_url"] == "file:///mr/3"
    assert client.writes() == []
    reset_mr = [{"revision": 2, "merge_request_status": "open", "merge_request_branch_name": "foxops-reset-b4654501"}]
    outcome = reset(FakeClient(OPEN, changes=reset_mr), reset_params(), False)
    assert not outcome.changed and outcome.extra["merge_request"] == {"id": "3", "url": "file:///mr/3"}


def test_reset_of_a_missing_incarnation_is_not_found():
    with pytest.raises(NotFoundError, match="no incarnation in inc1 at directory ."):
        reset(FakeClient(None), params(), True)


# -- the server's answers, explained --------------------------------------------------------------------------


def test_unknown_version_on_update_becomes_a_validation_error_naming_the_option():
    err = ServerError("PATCH x returned 500", status=500, method="PATCH", url="x",
                      body="Command ['git', 'worktree', 'add', '/tmp/x', 'v9'] ... fatal: invalid reference: v9")
    with pytest.raises(ValidationError, match="template_repository_version 'v9' does not exist") as caught:
        with foxops._explained("v9"):  # pylint: disable=protected-access
            raise err
    assert caught.value.status == 500 and caught.value.body == err.body


def test_other_errors_pass_unchanged():
    err = ServerError("boom", status=500, body="something else")
    with pytest.raises(ServerError):
        with foxops._explained("v9"):  # pylint: disable=protected-access
            raise err


def test_list_tells_a_wrong_url_from_no_match(server):
    client = foxops.FoxopsClient.from_options({"url": server.url, "token": "secret-token", "retries": 0})
    server.script({"status": 404, "body": {"message": "No incarnation found for the given repository and target directory"}})
    assert client.list_incarnations("inc1", ".") == []
    assert server.seen[-1]["path"] == "/api/incarnations?incarnation_repository=inc1&target_directory=."
    server.script({"status": 404, "body": "not found"})
    with pytest.raises(NotFoundError, match="check the url option"):
        client.list_incarnations("inc1")
    server.script({"status": 200, "body": [
        {"id": 1, "incarnation_repository": "inc1", "target_directory": "a"},
        {"id": 2, "incarnation_repository": "inc2", "target_directory": "."},
        {"id": 3, "incarnation_repository": "inc1", "target_directory": "."},
    ]})
    assert [i["id"] for i in client.list_incarnations("inc1")] == [1, 3]
    assert server.seen[-1]["path"] == "/api/incarnations"
    assert [i["id"] for i in foxops.search(client, target_directory=".")] == [2, 3]


def failing_with(error):
    """A client whose PATCH fails with ``error`` after Foxops recorded revision 2 and left it incomplete."""
    class Session:
        closed = 0

        def close(self):
            Session.closed += 1

    class Transport:
        session = Session()

        def close(self):
            self.session.close()

    incomplete = dict(INC, revision=2, status="unknown")

    class Failing(FakeClient):
        transport = Transport()

        def patch_incarnation(self, *args, **kwargs):
            self.calls.append(("patch",))
            self.gets = [incomplete, INC]
            raise error

        def fix_change(self, incarnation_id, revision):
            self.calls.append(("fix", incarnation_id, revision))

    return Failing(INC), Session


def foxops_500(msg):
    error = ServerError("PATCH x returned 500: %s" % msg, status=500)
    error.raw_body = json.dumps({"message": msg})  # Foxops's own error object
    return error


def test_a_failed_write_that_left_an_incomplete_change_is_repaired():
    client, session = failing_with(foxops_500("git failed"))
    with pytest.raises(ServerError, match="left revision 2 incomplete; it was repaired and the incarnation is at revision 1"):
        ensure_present(client, params(template_data={"age": 30}), False)
    assert ("fix", 7, 2) in client.calls and session.closed == 1


@pytest.mark.parametrize("status,body", [(502, "<html>bad gateway</html>"), (503, ""), (504, '{"message": "timeout"}'),
                                         (500, "<html>Internal Server Error</html>")])
def test_a_failure_from_something_in_between_is_never_repaired(status, body):
    # behind a gateway's 502, 503 or 504 (or a 500 that is not Foxops's own error object) Foxops may still be pushing:
    # an incomplete change read at that moment is a change in progress, never POSTed /fix
    error = ServerError("PATCH x returned %d" % status, status=status)
    error.raw_body = body
    client, _session = failing_with(error)
    with pytest.raises(ServerError) as caught:
        ensure_present(client, params(template_data={"age": 30}), False)
    assert not [call for call in client.calls if call[0] == "fix"] and "repaired" not in caught.value.msg


def test_an_incomplete_change_found_is_a_conflict_saying_how_to_repair_it():
    with pytest.raises(foxops.ConflictError, match="/api/incarnations/7/changes/1/fix"):
        ensure_present(FakeClient(dict(INC, status="unknown")), params(template_data={"age": 30}), True)


# -- identity by id -----------------------------------------------------------------------------------------------
class ByIdClient(FakeClient):
    def find_by_id(self, incarnation_id):
        self.calls.append(("by_id", incarnation_id))
        return copy.deepcopy(self.current) if self.current and self.current["id"] == incarnation_id else None


def by_id(**kwargs):
    return params(id=7, incarnation_repository=None, **kwargs)


def test_by_id_finds_the_incarnation_by_its_id_and_changes_it():
    client = ByIdClient(INC)
    outcome = ensure_present(client, by_id(template_data={"age": 19}, automerge=True), False)
    assert client.calls[0] == ("by_id", 7) and not [c for c in client.calls if c[0] == "find"]
    assert outcome.changed and client.writes() == [("patch", None, {"age": 19}, True)]


def test_by_id_unknown_is_not_found_when_present_and_no_change_when_absent():
    with pytest.raises(NotFoundError) as caught:
        ensure_present(ByIdClient(None), by_id(template_data={"age": 19}), True)
    assert "no incarnation with id 7" in caught.value.msg and "incarnation_repository" in caught.value.msg
    outcome = ensure_absent(ByIdClient(None), by_id(), False)
    assert not outcome.changed


def test_by_id_delete():
    client = ByIdClient(INC)
    assert ensure_absent(client, by_id(), False).changed and client.writes() == [("delete", 7)]


def test_by_id_reset():
    with pytest.raises(NotFoundError) as caught:
        reset(ByIdClient(None), dict(reset_params(), id=7, incarnation_repository=None), False)
    assert "no incarnation with id 7 to reset" in caught.value.msg


@pytest.mark.parametrize("given, message", [
    ({"id": 7}, "id and incarnation_repository are mutually exclusive"),
    ({"incarnation_repository": None, "id": None}, "one of id or incarnation_repository is required"),
])
def test_identity_given_twice_or_not_at_all_is_refused_before_any_request(given, message):
    client = ByIdClient(INC)
    with pytest.raises(InputError) as caught:
        ensure_present(client, params(**given), False)
    assert message in caught.value.msg and client.calls == []


# -- waiting for the merge request after the change ---------------------------------------------------------------
MERGED = dict(OPEN, merge_request_status="merged")
MERGED_BEFORE = dict(INC, merge_request_id="2", merge_request_url="file:///mr/2", merge_request_status="merged")


def waiting(goal="merged", **kwargs):
    return params(wait_for_merge_request=goal, wait_timeout=60, wait_sleep=2, **kwargs)


def test_after_the_change_its_merge_request_is_waited_for_until_merged():
    client = FakeClient(MERGED_BEFORE, gets=[dict(OPEN), MERGED])
    outcome = ensure_present(client, waiting(template_data={"age": 19}), False)
    assert client.writes() == [("patch", None, {"age": 19}, False)]
    assert client.slept == [2, 2] and outcome.changed
    assert outcome.after["merge_request_status"] == "merged"


def test_waiting_for_open_or_for_a_direct_change_sends_no_read():
    client = FakeClient(INC)
    outcome = ensure_present(client, waiting("open", template_data={"age": 19}), False)
    assert outcome.after["merge_request_status"] == "open" and client.slept == []
    client = FakeClient(INC)
    ensure_present(client, waiting(template_data={"age": 19}, change_type="direct"), False)
    assert client.slept == [] and client.calls.count(("get", 7)) == 1  # the reread of the direct change only


def test_a_merge_request_closed_while_waiting_for_merged_fails_naming_it_and_reports_the_change():
    client = FakeClient(MERGED_BEFORE, gets=[dict(OPEN, merge_request_status="closed")])
    with pytest.raises(foxops.MergeRequestNotReached) as caught:
        ensure_present(client, waiting(template_data={"age": 19}), False)
    result = caught.value.result()
    assert result["error"] == "conflict" and result["changed"] is True
    assert result["merge_request_id"] == "3" and result["merge_request_url"] == "file:///mr/3"
    assert "closed without being merged" in caught.value.msg and "file:///mr/3" in caught.value.msg


def test_waiting_for_merged_runs_out_with_a_timeout():
    client = FakeClient(MERGED_BEFORE, gets=[dict(OPEN)] * 100)
    with pytest.raises(foxops.MergeRequestNotReached) as caught:
        ensure_present(client, params(template_data={"age": 19}, wait_for_merge_request="merged", wait_timeout=5,
                                      wait_sleep=2), False)
    assert caught.value.result()["error"] == "timeout" and sum(client.slept) == 5
    assert "was not merged after waiting 5s" in caught.value.msg


def test_check_mode_never_waits():
    client = FakeClient(INC)
    outcome = ensure_present(client, waiting(template_data={"age": 19}), True)
    assert outcome.changed and client.slept == []
    assert outcome.after["merge_request_status"] == "merged"  # what the real run ends with, once it waited
    client = FakeClient(OPEN)
    assert not ensure_present(client, waiting(template_data={"age": 19}), True).changed and client.slept == []


def test_an_open_merge_request_that_carries_the_state_is_waited_for_without_a_change():
    client = FakeClient(OPEN, gets=[MERGED])
    outcome = ensure_present(client, waiting(template_data={"age": 19}), False)
    assert not outcome.changed and client.writes() == []
    assert outcome.after["merge_request_status"] == "merged"
    client = FakeClient(OPEN, gets=[dict(OPEN, merge_request_status="closed")])
    with pytest.raises(foxops.MergeRequestNotReached) as caught:
        ensure_present(client, waiting(template_data={"age": 19}), False)
    assert caught.value.result()["changed"] is False


def test_reset_waits_for_its_merge_request():
    client = FakeClient(INC, gets=[dict(OPEN), MERGED], reset_answer={"merge_request_id": "3", "merge_request_url": "file:///mr/3"})
    p = dict(reset_params(template_data={"age": 19}), wait_for_merge_request="merged", wait_timeout=60, wait_sleep=2)
    outcome = reset(client, p, False)
    assert outcome.changed and outcome.after["merge_request_status"] == "merged" and client.slept == [2]


def test_info_waits_for_each_merge_request():
    class Listing(FakeClient):
        def list_incarnations(self, incarnation_repository=None, target_directory=None):
            return [{"id": 7, "incarnation_repository": "inc1", "target_directory": "."}]

    client = Listing(OPEN, gets=[dict(OPEN), dict(OPEN), MERGED])
    p = {"incarnation_repository": "inc1", "target_directory": None, "id": None, "details": False, "diff": False,
         "changes": False, "revision": None, "workers": 8, "wait_for_merge_request": "merged", "wait_timeout": 60,
         "wait_sleep": 2, "server_version": False}
    try:
        foxops_info.INCARNATION_INFO.execute(Context(FakeModule(client, p, False), foxops_info.INCARNATION_INFO))
    except _Done as done:
        result = done.args[0]
    assert [i["merge_request_status"] for i in result["incarnations"]] == ["merged"] and client.slept == [2, 2]
    assert "server_version" not in result and ("version",) not in client.calls


# -- repair and one change by revision ----------------------------------------------------------------------------
INCOMPLETE_INC = dict(INC, revision=3, status="unknown")


class RepairClient(ByIdClient):
    def fix_change(self, incarnation_id, revision):
        self.calls.append(("fix", incarnation_id, revision))
        self.current = dict(self.current, revision=revision - 1, status="success")


def repair(client, p, check_mode):
    return _run(foxops_actions.INCARNATION_REPAIR, client, p, check_mode)


def test_repair_fixes_the_incomplete_latest_change():
    client = RepairClient(INCOMPLETE_INC)
    outcome = repair(client, {"incarnation_repository": "inc1", "target_directory": ".", "id": None}, False)
    assert [c for c in client.calls if c[0] == "fix"] == [("fix", 7, 3)]
    assert outcome.changed and outcome.after["revision"] == 2 and outcome.extra["repaired_revision"] == 3


def test_repair_in_check_mode_predicts_without_writing_and_a_complete_change_is_no_change():
    client = RepairClient(INCOMPLETE_INC)
    outcome = repair(client, {"id": 7}, True)
    assert outcome.changed and not [c for c in client.calls if c[0] == "fix"]
    assert outcome.after["status"] == "success" and outcome.after["revision"] is None
    assert outcome.extra["repaired_revision"] == 3
    client = RepairClient(INC)
    outcome = repair(client, {"id": 7}, False)
    assert not outcome.changed and outcome.extra["repaired_revision"] is None and outcome.after == INC
    with pytest.raises(NotFoundError):
        repair(RepairClient(None), {"id": 8}, False)


def test_a_change_by_revision_comes_with_what_it_changed():
    class Changes(FakeClient):
        def get_change(self, incarnation_id, revision):
            self.calls.append(("change", revision))
            return {1: {"revision": 1, "requested_version": "v1.0.0", "requested_data": {"age": 1}},
                    2: {"revision": 2, "requested_version": "v2.0.0", "requested_data": {"age": 2}}}.get(revision)

    client = Changes(INC)
    change = foxops_info.change_with_diff(client, 7, 2)
    assert change["diff"] == {"before": {"template_repository_version": "v1.0.0", "template_data": {"age": 1}},
                              "after": {"template_repository_version": "v2.0.0", "template_data": {"age": 2}}}
    assert foxops_info.change_with_diff(client, 7, 1)["diff"]["before"] == {}
    assert foxops_info.change_with_diff(client, 7, 5) is None


# -- a lost answer: the change is read back and adopted, never sent again -------------------------------------------
class LostAnswer(ByIdClient):
    """Foxops makes the change, then the connection drops before its answer (``acted``), or before it acts."""

    acted = True

    def patch_incarnation(self, incarnation_id, requested_version=None, requested_data=None, automerge=True):
        if self.acted:
            super(LostAnswer, self).patch_incarnation(incarnation_id, requested_version, requested_data, automerge)
        else:
            self.calls.append(("patch", requested_version, requested_data, automerge))
        raise TransportError("PATCH x: connection lost before an answer", method="PATCH", attempts=1)


def test_a_lost_answer_after_foxops_made_the_change_is_adopted_once():
    client = LostAnswer(INC)
    outcome = ensure_present(client, params(template_data={"age": 19}, automerge=True), False)
    assert outcome.changed and outcome.after["template_data"] == {"name": "Jon", "age": 19}
    assert [c for c in client.calls if c[0] == "patch"] == [("patch", None, {"age": 19}, True)]  # sent once
    again = ensure_present(client, params(template_data={"age": 19}, automerge=True), False)
    assert not again.changed and len([c for c in client.calls if c[0] == "patch"]) == 1


def test_a_lost_answer_before_foxops_acted_is_the_failure():
    client = LostAnswer(INC)
    client.acted = False
    with pytest.raises(TransportError, match="connection lost"):
        ensure_present(client, params(template_data={"age": 19}, automerge=True), False)
