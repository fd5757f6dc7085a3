# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Foxops incarnation as a spec (resource); the incarnations (info) are in ``foxops_info.py``, the reset and the
repair (actions) in ``foxops_actions.py``, and they share the finding, settling and waiting written here.

What is compared is the ``template_data`` the user set and the template version, never ``template_data_full``.
Where Foxops behaves unlike a plain resource, the spec names a hook:

* ``settle``: an incomplete change is a conflict (with the way to repair it); an open merge request that
  already carries the desired state is the result (unchanged), one that carries another is a conflict, or with
  ``wait`` is waited for; after a closed merge request the repository's applied state is built on;
* ``desired``/``same``: the version and the whole data after the change (``purge_template_data``);
* ``predict``: the incarnation after the change (``foxops_predict.py``);
* ``write``: a create, a direct change, a PUT (purge) or a PATCH of what differs, repairing the incomplete
  change a failed write leaves behind.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.apiops.platforms.plugins.module_utils.core.engine import Resource
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import (
    ApiError,
    ConflictError,
    InputError,
    NotFoundError,
    RequestTimeoutError,
    TransportError,
)
from ansible_collections.apiops.platforms.plugins.module_utils.foxops.client import (
    CHANGE_TYPES,
    INCARNATION,
    INCOMPLETE,
    MR_GOALS,
    MR_MERGED,
    MR_OPEN,
    FoxopsClient,
    OpenMergeRequest,
)
from ansible_collections.apiops.platforms.plugins.module_utils.foxops.predict import (
    carries,
    needs_history,
    predict,
    predict_created,
    same_value,
    wanted_data,
)
from ansible_collections.apiops.platforms.plugins.module_utils.core.waiting import check_wait, wait_spec

PURGE_SPEC = {"purge_template_data": {"type": "bool", "default": False}}
# Waiting after the change for its merge request, with the shared wait_timeout and wait_sleep.
WAIT_FOR_MR_SPEC = dict((name, spec) for name, spec in wait_spec(600, "int").items() if name != "wait")
WAIT_FOR_MR_SPEC["wait_for_merge_request"] = {"type": "str", "choices": list(MR_GOALS), "default": "none"}


def check_options(p):
    """Refuse what the argument spec cannot: an identity given twice or not at all, empty names, and a wait
    that cannot be kept."""
    if "id" in p:
        if p.get("id") is not None and p.get("incarnation_repository") is not None:
            raise InputError("id and incarnation_repository are mutually exclusive: give the incarnation's id, or its "
                             "incarnation_repository and target_directory")
        if p.get("id") is None and p.get("incarnation_repository") is None:
            raise InputError("one of id or incarnation_repository is required")
    if p.get("target_directory") is not None and not p["target_directory"].strip():
        raise InputError("target_directory must not be empty; use '.' for the repository root")
    for name in ("incarnation_repository", "template_repository", "template_repository_version"):
        if p.get(name) is not None and not str(p[name]).strip():
            raise InputError("%s must not be empty" % name)
    if p.get("purge_template_data") and p.get("template_data") is None:
        raise InputError("template_data is required with purge_template_data=true")
    check_wait(p, zero_timeout=True)


# What a check run cannot predict: with wait=true, a real run waits for an open merge request to be merged or
# closed by a person and builds on what that leaves; a check run never waits.
UNPREDICTED_WAIT = "the state an open merge request leaves once it is merged or closed"


def settle(client, p, current, check_mode=False):
    """Deal with an open merge request before changing anything; return the incarnation to build on.

    An open merge request that already carries the desired state is returned as it is (the caller reports
    it unchanged); one that carries something else is a conflict, or with ``wait`` is waited for, except in a
    check run, which never waits: it predicts on the repository's applied state, as if the merge request were
    closed (:data:`UNPREDICTED_WAIT`).
    """
    if current.get("status") == INCOMPLETE:
        raise ConflictError(
            "the latest change (revision %s) of incarnation %s (%s, directory %s) is incomplete: an earlier update "
            "failed half-way. Repair it with the foxops_incarnation_repair module (POST /api/incarnations/%s/changes/%s/fix on "
            "the Foxops server), then run again"
            % (current.get("revision"), current["id"], current["incarnation_repository"], current["target_directory"],
               current["id"], current.get("revision")), attempts=0)
    while current.get("merge_request_status") == MR_OPEN:
        version, data = target(p, current)
        if carries(current, version, data):
            return current
        if not p.get("wait"):
            raise OpenMergeRequest(
                "incarnation %s (%s, directory %s) has an open merge request %s that carries another state: merge or "
                "close %s first%s"
                % (current["id"], current["incarnation_repository"], current["target_directory"],
                   current.get("merge_request_id"), current.get("merge_request_url"),
                   ", or set wait=true to wait for it" if "wait" in p else ""), current)
        if check_mode:
            break  # never wait in a check run
        current = client.wait_while_open(current, p["wait_timeout"], p["wait_sleep"])
    return client.applied_state(current)


def waits(ctx):
    """Whether the run waits for merge requests: ``wait_for_merge_request`` is set, and never in check mode."""
    return (ctx.params.get("wait_for_merge_request") or "none") != "none" and not ctx.check_mode


def awaited(p, status):
    """The merge request status a run ends with, for check mode's prediction: an open one waited for is merged."""
    return MR_MERGED if status == MR_OPEN and p.get("wait_for_merge_request") == MR_MERGED else status


def wait_after(ctx, incarnation, changed):
    """The incarnation once its merge request is as far as ``wait_for_merge_request`` asks."""
    if not waits(ctx):
        return incarnation
    return ctx.client.wait_for_merge_request(incarnation, ctx.params["wait_for_merge_request"], ctx.params["wait_timeout"],
                                             ctx.params["wait_sleep"], changed=changed)


def target(p, base):
    """``(version, data)``: the template version and the whole template data the change leaves."""
    version = p.get("template_repository_version") or base["template_repository_version"]
    return version, wanted_data(base.get("template_data"), p.get("template_data"), p.get("purge_template_data"))


def foxops_error(exc):
    """True for Foxops's own failure: a 500 whose body is its error object (``{"message": ...}``). A 502, 503 or
    504 comes from a gateway or proxy in between, behind which Foxops may still be working on the change."""
    if not isinstance(exc, ApiError) or exc.status != 500:
        return False
    try:
        body = json.loads(exc.raw_body or "")
    except ValueError:
        return False
    return isinstance(body, dict) and "message" in body


class repairing:
    """After a write Foxops itself failed (:func:`foxops_error`), repair the incomplete change it may have left.

    Foxops records a change before it pushes it; when the push fails (for example because the branch of an
    earlier, closed merge request still exists) the change stays incomplete and blocks every later update.
    The server's own fix endpoint drops it (nothing was pushed) or completes it; the failure is still reported.
    """

    def __init__(self, client, base):
        self.client = client
        self.base = base

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if not foxops_error(exc):
            return False  # a 502, 503 or 504 from something in between: Foxops may still be pushing; never repair
        try:
            # the server closes its end of the connection after an unhandled error: do not reuse it
            self.client.close()
            now = self.client.get_incarnation(self.base["id"])
            if now.get("status") == INCOMPLETE and (now.get("revision") or 0) > (self.base.get("revision") or 0):
                self.client.fix_change(self.base["id"], now["revision"])
                fixed = self.client.get_incarnation(self.base["id"])
                exc.msg += (" (the server left revision %d incomplete; it was repaired and the incarnation is at revision %s)"
                            % (now["revision"], fixed.get("revision")))
        except ApiError:
            pass
        return False


# -- foxops_incarnation: the resource ----------------------------------------------------------------------------
def incarnation_named(ctx):
    p = ctx.params
    if p.get("id") is None:
        return ctx.client.find_incarnation(p["incarnation_repository"], p["target_directory"])
    return ctx.client.find_by_id(p["id"])


def _missing(ctx):
    """An incarnation named by id that is not there cannot be created: only a repository and directory can."""
    if ctx.params.get("id") is not None:
        raise NotFoundError("there is no incarnation with id %d; give incarnation_repository and target_directory "
                            "instead of id to create one" % ctx.params["id"], attempts=0)


def named(p):
    """The incarnation the options name, for messages."""
    if p.get("id") is not None:
        return "with id %d" % p["id"]
    return "in %s at directory %s" % (p["incarnation_repository"], p["target_directory"])


def recreating(p, base):
    """Whether the run deletes the incarnation and creates it anew: ``recreate`` with another template_repository."""
    return (base is not None and bool(p.get("recreate")) and bool(p.get("template_repository"))
            and p["template_repository"] != base["template_repository"])


STATE_FILE = ".fengine.yaml"


def state_file_removed(diff_text):
    """Whether the incarnation's diff shows its state file deleted from the repository."""
    sections = ("diff --git " + part for part in diff_text.split("diff --git ")[1:])
    for section in sections:
        head = section.split("\n", 2)
        paths = head[0].split()
        if (len(paths) >= 3 and paths[2].rsplit("/", 1)[-1] == STATE_FILE and len(head) > 1
                and head[1].startswith("deleted file mode")):
            return True
    return False


def _check_recreate(ctx, current):
    """Before any write: a recreate can succeed only when nothing is pending and the old incarnation's state file
    is gone from the repository (Foxops refuses to create an incarnation where one is, even after the delete)."""
    where = "%s (directory %s)" % (current["incarnation_repository"], current["target_directory"])
    if current.get("merge_request_status") == MR_OPEN or current.get("status") == INCOMPLETE:
        raise ConflictError("incarnation %s at %s cannot be recreated while its merge request %s is open or its latest "
                            "change is incomplete: merge, close or repair it first"
                            % (current["id"], where, current.get("merge_request_url")), attempts=0)
    if not state_file_removed(ctx.client.diff(current["id"])):
        directory = current["target_directory"] or "."
        path = STATE_FILE if directory == "." else "%s/%s" % (directory.rstrip("/"), STATE_FILE)
        raise ConflictError(
            "incarnation %s at %s cannot be recreated from %s yet: Foxops refuses to create an incarnation where the "
            "state file of the old one is, and its API cannot remove it. Remove %s from the default branch of %s "
            "(one commit), then run again: the incarnation is then deleted and created anew; nothing was changed"
            % (current["id"], where, ctx.params["template_repository"], path, current["incarnation_repository"]),
            attempts=0)


def _settle(ctx, current):
    p = ctx.params
    if p.get("template_repository") and p["template_repository"] != current["template_repository"]:
        if not p.get("recreate"):
            raise InputError(
                "template_repository cannot change for an existing incarnation: %s (directory %s) uses %r, not %r; set "
                "recreate=true to delete it and create it anew from the new template"
                % (current["incarnation_repository"], current["target_directory"], current["template_repository"],
                   p["template_repository"]))
        _check_recreate(ctx, current)
        return current
    settled = settle(ctx.client, p, current, ctx.check_mode)
    if settled.get("merge_request_status") == MR_OPEN:  # it carries the desired state: the run's merge request
        return wait_after(ctx, settled, changed=False)
    return settled


def _desired(ctx, base):
    if base is None:
        return dict(ctx.params)
    version, data = target(ctx.params, base)
    if recreating(ctx.params, base):
        return dict(ctx.params, incarnation_repository=base["incarnation_repository"],
                    target_directory=base["target_directory"], template_repository_version=version, template_data=data)
    return {"template_repository_version": version, "template_data": data}


def _same(ctx, desired, base):
    return not recreating(ctx.params, base) and carries(base, desired["template_repository_version"],
                                                        desired["template_data"])


def _mr_status(p):
    """The merge request status a change leaves: none for a direct change, merged with automerge (or once waited
    for until merged), else open."""
    if p.get("change_type") == "direct":
        return None
    return MR_MERGED if p.get("automerge") else awaited(p, MR_OPEN)


def _predict(ctx, body, base):
    if base is None:
        return predict_created(ctx.params)
    if recreating(ctx.params, base):
        return predict_created(body)
    version, data = body["template_repository_version"], body["template_data"]
    # the defaults of the history only matter to check mode: a real run returns what the server answers
    history = ctx.client.list_changes(base["id"]) if ctx.check_mode and needs_history(base, version, data) else ()
    return predict(base, version, data, _mr_status(ctx.params), history)


def _write(ctx, body, base, predicted):
    try:
        after = _change(ctx, body, base)
    except (TransportError, RequestTimeoutError) as err:
        after = _adopt(ctx, body, base, err)
    return wait_after(ctx, after, changed=True)


def _adopt(ctx, body, base, err):
    """A change whose answer was lost (the connection dropped or no answer came in time) may still have been
    made: it is never sent again, but the incarnation is read again, and when it now carries the change (a new
    revision with the version and data asked for) the change is reported as made by this run, once.  Otherwise
    the failure stands."""
    p = ctx.params
    fresh = base is None or recreating(p, base)  # a create: found by repository and directory
    version = body["template_repository_version"]
    data = body["template_data"] if base is not None else (p.get("template_data") or {})
    where = body if base is not None else p
    try:
        now = (ctx.client.find_incarnation(where["incarnation_repository"], where["target_directory"]) if fresh
               else ctx.client.find_by_id(base["id"]))
    except ApiError:
        raise err
    if now is None or (not fresh and (now.get("revision") or 0) <= (base.get("revision") or 0)):
        raise err
    if not carries(now, version, data) or (fresh and now.get("template_repository") != where["template_repository"]):
        raise err
    what = "create" if fresh else "change"
    ctx.warn("the answer to the %s was lost (%s), but Foxops made it: incarnation %s is at revision %s; it is "
             "reported as changed by this run" % (what, err.msg, now.get("id"), now.get("revision")))
    return now


def _change(ctx, body, base):
    client, p = ctx.client, ctx.params
    if recreating(p, base):
        client.delete_incarnation(base["id"], holding=base)
        try:
            return client.create_incarnation(body["incarnation_repository"], body["target_directory"],
                                             body["template_repository"], body["template_repository_version"],
                                             body["template_data"])
        except ApiError as err:
            if not isinstance(err, (TransportError, RequestTimeoutError)):
                err.msg += (" (incarnation %s from %s was deleted before this create failed: run again with options "
                            "the new template accepts to create it)" % (base["id"], base["template_repository"]))
            raise
    if base is None:
        return client.create_incarnation(p["incarnation_repository"], p["target_directory"], p["template_repository"],
                                         p["template_repository_version"], p.get("template_data") or {})
    version, data = body["template_repository_version"], body["template_data"]
    with repairing(client, base):
        if p.get("change_type") == "direct":
            client.create_change(base["id"], version, data, "direct")
            return client.get_incarnation(base["id"])
        if p.get("purge_template_data"):
            return client.put_incarnation(base["id"], version, data, p.get("automerge"))
        given, now = p.get("template_data") or {}, base.get("template_data") or {}
        changed_data = dict((k, v) for k, v in given.items() if k not in now or not same_value(v, now[k]))
        return client.patch_incarnation(base["id"], version if version != base["template_repository_version"] else None,
                                        changed_data or None, p.get("automerge"))


# The identity: repository and directory, or the id (then incarnation_repository is no longer required).
IDENTITY_SPEC = {"id": {"type": "int"}, "incarnation_repository": {"type": "str"}}
IDENTITY_EXCLUSIVE = [("id", "incarnation_repository"), ("id", "target_directory")]
IDENTITY_REQUIRED = [("id", "incarnation_repository")]
IDENTITY = ("id", "incarnation_repository", "target_directory")  # the options naming it in the plan record

INCARNATION_OPTIONS = dict(PURGE_SPEC, **IDENTITY_SPEC)
INCARNATION_OPTIONS.update({
    "change_type": {"type": "str", "choices": list(CHANGE_TYPES), "default": "merge_request"},
    "automerge": {"type": "bool", "default": False},
    "recreate": {"type": "bool", "default": False},
})
INCARNATION_OPTIONS.update(wait_spec(600, "int"))
INCARNATION_OPTIONS.update(WAIT_FOR_MR_SPEC)

INCARNATION_RESOURCE = Resource(
    "incarnation", FoxopsClient, INCARNATION, key="incarnation_repository", keys=(), options=INCARNATION_OPTIONS,
    required_if=[("purge_template_data", True, ["template_data"])],
    mutually_exclusive=IDENTITY_EXCLUSIVE, required_one_of=IDENTITY_REQUIRED, identity=IDENTITY,
    check=lambda ctx: check_options(ctx.params),
    create_requires=("template_repository", "template_repository_version"),
    unpredicted=UNPREDICTED_WAIT,
    describe=lambda ctx: "the incarnation at %s (directory %s), which does not exist yet"
                         % (ctx.params["incarnation_repository"], ctx.params["target_directory"]),
    find=incarnation_named, missing=_missing, settle=_settle, desired=_desired,
    listing=lambda ctx: ctx.client.list_incarnations(),  # for the bulk kind: one read of every incarnation
    same=_same,
    complete=lambda ctx, desired, base: desired,  # the version and the whole data, as the change sends them
    predict=_predict, write=_write,
    changed=lambda base, after: (base is None or after.get("revision") != base.get("revision")
                                 or after.get("template_repository") != base.get("template_repository")),
    delete=lambda ctx, current: ctx.client.delete_incarnation(current["id"], holding=current),
)
