# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Foxops API client and the incarnation model.

The calls of the incarnation API, each returning model dicts; the server's obscure answers turned into errors
naming the option (:class:`_explained`); and the two facts every flow needs about an incarnation: the state
its repository really holds (:meth:`FoxopsClient.applied_state`) and waiting for an open merge request
(:meth:`FoxopsClient.wait_while_open`).  What the modules do with them is declared in ``foxops_specs.py``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.apiops.platforms.plugins.module_utils.core.connection import (
    FOXOPS_CONNECTION_SPEC,
    ApiClient,
    make_transport,
    require,
)
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import (
    ApiError,
    ConflictError,
    NotFoundError,
    ValidationError,
)
from ansible_collections.apiops.platforms.plugins.module_utils.core.models import Field, Model, show_number
from ansible_collections.apiops.platforms.plugins.module_utils.core.settle import settle_delete
from ansible_collections.apiops.platforms.plugins.module_utils.core.waiting import wait_for

INCARNATION = Model(
    Field("id", type="int", readonly=True),
    Field("incarnation_repository", api="incarnation_repository", required=True),
    Field("target_directory", api="target_directory", default="."),
    Field("template_repository", api="template_repository"),
    Field("template_repository_version", api="template_repository_version"),
    Field("template_repository_version_hash", api="template_repository_version_hash", readonly=True),
    Field("template_data", api="template_data", type="dict"),
    Field("template_data_full", api="template_data_full", type="dict", readonly=True),
    Field("revision", type="int", readonly=True),
    Field("commit_sha", api="commit_sha", readonly=True),
    Field("commit_url", api="commit_url", readonly=True),
    Field("merge_request_id", api="merge_request_id", readonly=True),
    Field("merge_request_url", api="merge_request_url", readonly=True),
    Field("merge_request_status", api="merge_request_status", readonly=True),
    Field("status", readonly=True),
)

INCARNATION_LIST_ITEM = Model(
    Field("id", type="int"),
    Field("incarnation_repository", api="incarnation_repository"),
    Field("target_directory", api="target_directory"),
    Field("template_repository", api="template_repository"),
    Field("revision", type="int"),
    Field("type"),
    Field("requested_version", api="requested_version"),
    Field("created_at", api="created_at"),
    Field("commit_sha", api="commit_sha"),
    Field("commit_url", api="commit_url"),
    Field("merge_request_id", api="merge_request_id"),
    Field("merge_request_url", api="merge_request_url"),
)

CHANGE = Model(
    Field("id", type="int"),
    Field("type"),
    Field("incarnation_id", api="incarnation_id", type="int"),
    Field("revision", type="int"),
    Field("requested_version", api="requested_version"),
    Field("requested_version_hash", api="requested_version_hash"),
    Field("requested_data", api="requested_data", type="dict"),
    Field("template_data_full", api="template_data_full", type="dict"),
    Field("created_at", api="created_at"),
    Field("commit_sha", api="commit_sha"),
    Field("merge_request_id", api="merge_request_id"),
    Field("merge_request_branch_name", api="merge_request_branch_name"),
    Field("merge_request_status", api="merge_request_status"),
)


NOT_FOUND_ROUTE = "not found"  # the plain-text body of a path the server does not have (a wrong url)
MR_OPEN, MR_MERGED, MR_CLOSED = "open", "merged", "closed"
MR_GOALS = ("none", MR_OPEN, MR_MERGED)  # what wait_for_merge_request may wait for
INCOMPLETE = "unknown"  # the status the server gives an incarnation whose latest change was never completed
CHANGE_TYPES = ("merge_request", "direct")


def _route_missing(err):
    """True when a 404 means the path does not exist at all (the url option is wrong), not a missing object."""
    return (err.body or "").strip().lower() == NOT_FOUND_ROUTE


def _wrong_url(err):
    err.msg += " (the server has no Foxops API there: check the url option)"
    return err


class FoxopsClient(ApiClient):
    """Calls of the Foxops incarnation API, returning model dicts."""

    connection_spec = FOXOPS_CONNECTION_SPEC

    @classmethod
    def from_options(cls, options, warn=None):
        token = require(options, "token")
        transport = make_transport(options, {"Authorization": "Bearer %s" % token}, secrets=(token,), warn=warn)
        return cls(transport)

    def _json(self, method, path, idempotent, **kwargs):
        return self.transport.request(method, path, idempotent=idempotent, **kwargs).json()

    def server_version(self):
        """The Foxops server's version (``GET /version``, plain text)."""
        try:
            return self.transport.request("GET", "/version", idempotent=True).text.strip()
        except NotFoundError as err:
            raise _wrong_url(err)

    def list_incarnations(self, incarnation_repository=None, target_directory=None):
        """Incarnations matching the filters; the server's 404 for "no match" becomes an empty list.

        The server filters by repository only together with a directory (``.`` when not given), so the
        incarnations of a repository in any directory are filtered here from the whole list.
        """
        params = None
        if incarnation_repository and target_directory:
            params = {"incarnation_repository": incarnation_repository, "target_directory": target_directory}
        try:
            items = self._json("GET", "/api/incarnations", True, params=params) or []
        except NotFoundError as err:
            if _route_missing(err):
                raise _wrong_url(err)
            return []
        found = [INCARNATION_LIST_ITEM.from_api(item) for item in items]
        if incarnation_repository:
            found = [item for item in found if item["incarnation_repository"] == incarnation_repository]
        return found

    def get_incarnation(self, incarnation_id):
        return INCARNATION.from_api(self._json("GET", "/api/incarnations/%d" % int(incarnation_id), True))

    def find_by_id(self, incarnation_id):
        """The incarnation with this id, or None."""
        try:
            return self.get_incarnation(incarnation_id)
        except NotFoundError as err:
            if _route_missing(err):
                raise _wrong_url(err)
            return None

    def find_incarnation(self, incarnation_repository, target_directory="."):
        """The incarnation at repository + directory with its details, or None."""
        matches = [m for m in self.list_incarnations(incarnation_repository, target_directory or ".")
                   if (m["target_directory"] or ".") == (target_directory or ".")]
        if not matches:
            return None
        return self.get_incarnation(matches[0]["id"])

    def create_incarnation(self, incarnation_repository, target_directory, template_repository,
                           template_repository_version, template_data):
        body = {
            "incarnation_repository": incarnation_repository,
            "target_directory": target_directory or ".",
            "template_repository": template_repository,
            "template_repository_version": template_repository_version,
            "template_data": template_data or {},
        }
        with _explained(template_repository_version, template_repository, incarnation_repository):
            return INCARNATION.from_api(self._json("POST", "/api/incarnations", False, json=body))

    def patch_incarnation(self, incarnation_id, requested_version=None, requested_data=None, automerge=True):
        body = {"requested_version": requested_version, "requested_data": requested_data, "automerge": bool(automerge)}
        with _explained(requested_version):
            return INCARNATION.from_api(self._json("PATCH", "/api/incarnations/%d" % int(incarnation_id), False, json=body))

    def put_incarnation(self, incarnation_id, template_repository_version, template_data, automerge=True):
        body = {"template_repository_version": template_repository_version, "template_data": template_data or {},
                "automerge": bool(automerge)}
        with _explained(template_repository_version):
            return INCARNATION.from_api(self._json("PUT", "/api/incarnations/%d" % int(incarnation_id), False, json=body))

    def delete_incarnation(self, incarnation_id, holding=None):
        """DELETE one incarnation, sent once. A lost answer is settled by a read (:func:`~settle.settle_delete`):
        Foxops reuses the ids of deleted incarnations, so the id is deleted again only while it still holds the
        repository and directory of ``holding`` (the incarnation as read before), and gone means done."""
        path = "/api/incarnations/%d" % int(incarnation_id)

        def send():
            self.transport.request("DELETE", path, idempotent=False)
            return True

        def still_there():
            now = self.find_by_id(incarnation_id)
            if now is None:
                return False
            if holding is None:
                return True
            return (now["incarnation_repository"], now["target_directory"] or ".") == \
                (holding["incarnation_repository"], holding["target_directory"] or ".")

        settle_delete(send, still_there)

    def diff(self, incarnation_id):
        return self.transport.request("GET", "/api/incarnations/%d/diff" % int(incarnation_id), idempotent=True).text or ""

    def reset(self, incarnation_id, requested_version, requested_data):
        """Open the merge request that resets manual customisations; None when there is nothing to reset."""
        body = {"requested_version": requested_version, "requested_data": requested_data or {}}
        try:
            with _explained(requested_version):
                return self._json("POST", "/api/incarnations/%d/reset" % int(incarnation_id), False, json=body)
        except ValidationError as err:
            if err.status == 422:
                return None
            raise

    def list_changes(self, incarnation_id):
        return [CHANGE.from_api(c) for c in self._json("GET", "/api/incarnations/%d/changes" % int(incarnation_id), True) or []]

    def get_change(self, incarnation_id, revision):
        """The change at ``revision`` of the incarnation, or None when it has none."""
        try:
            return CHANGE.from_api(self._json("GET", "/api/incarnations/%d/changes/%d" % (int(incarnation_id), int(revision)), True))
        except NotFoundError as err:
            if _route_missing(err):
                raise _wrong_url(err)
            return None

    def create_change(self, incarnation_id, requested_version, requested_data, change_type="direct"):
        body = {"requested_version": requested_version, "requested_data": requested_data or {}, "change_type": change_type}
        with _explained(requested_version):
            return CHANGE.from_api(self._json("POST", "/api/incarnations/%d/changes" % int(incarnation_id), False, json=body))

    def fix_change(self, incarnation_id, revision):
        """Ask the server to repair an incomplete change (it completes it, or drops it when nothing was pushed)."""
        self.transport.request("POST", "/api/incarnations/%d/changes/%d/fix" % (int(incarnation_id), int(revision)),
                               idempotent=False)

    # -- the state an incarnation is really in -----------------------------------------------------
    def applied_state(self, incarnation):
        """The incarnation as its repository holds it.

        While a merge request is open, or after it was closed unmerged, the server shows the data and version
        that merge request carried.  After a close, the repository still holds the last merged (or direct)
        change: that is what a new change builds on, so that is what is compared.
        """
        if incarnation.get("merge_request_status") != MR_CLOSED:
            return incarnation
        for change in self.list_changes(incarnation["id"]):
            if change["merge_request_status"] in (None, MR_MERGED):
                return dict(incarnation, template_repository_version=change["requested_version"],
                            template_data=change["requested_data"] or {},
                            template_data_full=change["template_data_full"])
        return incarnation

    def wait_while_open(self, incarnation, timeout, sleep_seconds, sleep=time.sleep, clock=time.monotonic):
        """Poll the incarnation until its open merge request is merged or closed; return it then.

        Raises a timeout error naming the merge request when it is still open after ``timeout`` seconds.
        """
        def timed_out(last):
            raise OpenMergeRequest(
                "merge request %s (%s) of incarnation %s was still open after waiting %ss (wait_timeout)"
                % (last.get("merge_request_id"), last.get("merge_request_url"), last.get("id"), show_number(timeout)),
                last, kind="timeout")

        return wait_for(lambda: self.get_incarnation(incarnation["id"]),
                        lambda current: current.get("merge_request_status") != MR_OPEN, timeout, sleep_seconds,
                        first=incarnation, timed_out=timed_out, clock=clock, pause=sleep)

    def wait_for_merge_request(self, incarnation, goal, timeout, sleep_seconds, changed=False, sleep=time.sleep,
                               clock=time.monotonic):
        """Poll the incarnation until its merge request is at least ``goal`` (``open``: opened, whatever became of
        it since; ``merged``); return it then.  Without a merge request (a direct change) there is nothing to wait for.

        A merge request closed unmerged while waiting for ``merged`` fails as a conflict, and one that has not got
        there after ``timeout`` seconds as a timeout, both naming the merge request; ``changed`` says whether the
        run changed something before it waited.
        """
        def settled(current):
            return not current.get("merge_request_id") or current.get("merge_request_status") in (
                (MR_OPEN, MR_MERGED, MR_CLOSED) if goal == MR_OPEN else (MR_MERGED, MR_CLOSED))

        def fail(last, what, kind):
            raise MergeRequestNotReached(
                "merge request %s (%s) of incarnation %s %s"
                % (last.get("merge_request_id"), last.get("merge_request_url"), last.get("id"), what), last, kind, changed)

        def timed_out(last):
            fail(last, "was not %s after waiting %ss (wait_timeout); its status is %s"
                 % (goal, show_number(timeout), last.get("merge_request_status")), "timeout")

        last = wait_for(lambda: self.get_incarnation(incarnation["id"]), settled, timeout, sleep_seconds,
                        first=incarnation, timed_out=timed_out, clock=clock, pause=sleep)
        if goal == MR_MERGED and last.get("merge_request_id") and last.get("merge_request_status") == MR_CLOSED:
            fail(last, "was closed without being merged while waiting for it to be merged", "conflict")
        return last


def search(client, incarnation_repository=None, target_directory=None, incarnation_id=None):
    """The incarnations matching the filters of the info module and the lookup; an empty list for no match.

    By id the incarnation comes with its details; otherwise as the server lists them.  ``target_directory``
    alone (the server ignores it without a repository) filters here.
    """
    if incarnation_id is not None:
        found = [item for item in [client.find_by_id(incarnation_id)] if item is not None]
        if incarnation_repository:
            found = [item for item in found if item["incarnation_repository"] == incarnation_repository]
    else:
        found = client.list_incarnations(incarnation_repository, target_directory)
    if target_directory is not None:
        found = [item for item in found if (item["target_directory"] or ".") == target_directory]
    return found


def with_details(client, item):
    """A listed incarnation with its full state added (an incarnation found by id has it already)."""
    if "template_data" in item:
        return item
    return dict(item, **client.get_incarnation(item["id"]))


class _explained:
    """Turns the server's obscure answers to an unknown version or repository into errors naming the option.

    Foxops answers an unknown ``template_repository_version`` with 400 on create but 500 (a failed
    ``git worktree``) on an update, and a missing incarnation repository with 500.
    """

    def __init__(self, version, template_repository=None, incarnation_repository=None):
        self.version = version
        self.template_repository = template_repository
        self.incarnation_repository = incarnation_repository

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc is None or not isinstance(exc, ApiError) or exc.status not in (400, 500):
            return False
        body = exc.body or ""
        if self.version and ("invalid reference: %s" % self.version in body or "Revision '%s' not found" % self.version in body):
            raise _reclassed(ValidationError, exc, "template_repository_version %r does not exist in the template repository%s"
                             % (self.version, " %r" % self.template_repository if self.template_repository else ""))
        if self.incarnation_repository and body.strip() == "Repository does not exist":
            raise _reclassed(NotFoundError, exc, "incarnation_repository %r does not exist on the Foxops server's hoster "
                             "(or template_repository %r does not)" % (self.incarnation_repository, self.template_repository))
        return False


def _reclassed(cls, err, what):
    new = cls("%s: %s" % (what, err.msg), status=err.status, method=err.method, url=err.url, body=err.body,
              attempts=err.attempts)
    return new


class OpenMergeRequest(ConflictError):
    """An open merge request of the incarnation carries another state than the one asked for."""

    def __init__(self, msg, incarnation, kind="conflict"):
        super(OpenMergeRequest, self).__init__(msg, attempts=0)
        self.kind = kind
        self.incarnation = incarnation

    def result(self):
        result = super(OpenMergeRequest, self).result()
        result.update(merge_request_id=self.incarnation.get("merge_request_id"),
                      merge_request_url=self.incarnation.get("merge_request_url"), incarnation=self.incarnation)
        return result


class MergeRequestNotReached(OpenMergeRequest):
    """The merge request waited for was closed unmerged, or did not get to the status asked for in time."""

    def __init__(self, msg, incarnation, kind, changed):
        super(MergeRequestNotReached, self).__init__(msg, incarnation, kind=kind)
        self.changed = changed

    def result(self):
        result = super(MergeRequestNotReached, self).result()
        result["changed"] = self.changed
        return result
