# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Foxops API client, the incarnation model, and how an incarnation is brought to a desired state.

The flows (:func:`ensure_present`, :func:`ensure_absent`, :func:`reset`) hold the whole behaviour of the
modules: what is compared (the ``template_data`` the user set, never ``template_data_full``), how an open
merge request is treated, what a check run predicts, and which call makes the change.  They return an
:class:`Outcome`; the modules only turn it into their result.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import time

from ansible_collections.apiops.platforms.plugins.module_utils.connection import (
    FOXOPS_CONNECTION_SPEC,
    ApiClient,
    make_transport,
    require,
)
from ansible_collections.apiops.platforms.plugins.module_utils.errors import (
    ApiError,
    ConflictError,
    InputError,
    NotFoundError,
    ValidationError,
)
from ansible_collections.apiops.platforms.plugins.module_utils.models import Field, Model, subset

INCARNATION = Model(
    Field("id", type="int", readonly=True),
    Field("incarnation_repository", api="incarnation_repository"),
    Field("target_directory", api="target_directory"),
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
INCOMPLETE = "unknown"  # the status the server gives an incarnation whose latest change was never completed
CHANGE_TYPES = ("merge_request", "direct")
# Fields a write sets that cannot be known before it happens: null in a check run's prediction.
UNKNOWABLE = ("commit_sha", "commit_url", "merge_request_id", "merge_request_url", "template_repository_version_hash")


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

    def _json(self, method, path, **kwargs):
        return self.transport.request(method, path, **kwargs).json()

    def verify_token(self):
        """Fail with an authentication error before anything else when the token is wrong."""
        self.transport.request("GET", "/auth/test")

    def list_incarnations(self, incarnation_repository=None, target_directory=None):
        """Incarnations matching the filters; the server's 404 for "no match" becomes an empty list.

        The server filters by repository only together with a directory (``.`` when not given), so the
        incarnations of a repository in any directory are filtered here from the whole list.
        """
        params = None
        if incarnation_repository and target_directory:
            params = {"incarnation_repository": incarnation_repository, "target_directory": target_directory}
        try:
            items = self._json("GET", "/api/incarnations", params=params) or []
        except NotFoundError as err:
            if _route_missing(err):
                raise _wrong_url(err)
            return []
        found = [INCARNATION_LIST_ITEM.from_api(item) for item in items]
        if incarnation_repository:
            found = [item for item in found if item["incarnation_repository"] == incarnation_repository]
        return found

    def get_incarnation(self, incarnation_id):
        return INCARNATION.from_api(self._json("GET", "/api/incarnations/%d" % int(incarnation_id)))

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
            return INCARNATION.from_api(self._json("POST", "/api/incarnations", json=body))

    def patch_incarnation(self, incarnation_id, requested_version=None, requested_data=None, automerge=True):
        body = {"requested_version": requested_version, "requested_data": requested_data, "automerge": bool(automerge)}
        with _explained(requested_version):
            return INCARNATION.from_api(self._json("PATCH", "/api/incarnations/%d" % int(incarnation_id), json=body))

    def put_incarnation(self, incarnation_id, template_repository_version, template_data, automerge=True):
        body = {"template_repository_version": template_repository_version, "template_data": template_data or {},
                "automerge": bool(automerge)}
        with _explained(template_repository_version):
            return INCARNATION.from_api(self._json("PUT", "/api/incarnations/%d" % int(incarnation_id), json=body))

    def delete_incarnation(self, incarnation_id):
        self.transport.request("DELETE", "/api/incarnations/%d" % int(incarnation_id))

    def diff(self, incarnation_id):
        return self.transport.request("GET", "/api/incarnations/%d/diff" % int(incarnation_id)).text or ""

    def reset(self, incarnation_id, requested_version, requested_data):
        """Open the merge request that resets manual customisations; None when there is nothing to reset."""
        body = {"requested_version": requested_version, "requested_data": requested_data or {}}
        try:
            with _explained(requested_version):
                return self._json("POST", "/api/incarnations/%d/reset" % int(incarnation_id), json=body)
        except ValidationError as err:
            if err.status == 422:
                return None
            raise

    def list_changes(self, incarnation_id):
        return [CHANGE.from_api(c) for c in self._json("GET", "/api/incarnations/%d/changes" % int(incarnation_id)) or []]

    def create_change(self, incarnation_id, requested_version, requested_data, change_type="direct"):
        body = {"requested_version": requested_version, "requested_data": requested_data or {}, "change_type": change_type}
        with _explained(requested_version):
            return CHANGE.from_api(self._json("POST", "/api/incarnations/%d/changes" % int(incarnation_id), json=body))

    def fix_change(self, incarnation_id, revision):
        """Ask the server to repair an incomplete change (it completes it, or drops it when nothing was pushed)."""
        self.transport.request("POST", "/api/incarnations/%d/changes/%d/fix" % (int(incarnation_id), int(revision)))

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
        deadline = clock() + timeout
        while incarnation.get("merge_request_status") == MR_OPEN:
            left = deadline - clock()
            if left <= 0:
                raise OpenMergeRequest(
                    "merge request %s (%s) of incarnation %s was still open after waiting %ss (wait_timeout)"
                    % (incarnation.get("merge_request_id"), incarnation.get("merge_request_url"), incarnation.get("id"),
                       _seconds(timeout)), incarnation, kind="timeout")
            sleep(min(sleep_seconds, left))
            incarnation = self.get_incarnation(incarnation["id"])
        return incarnation


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


def _seconds(value):
    return int(value) if float(value).is_integer() else value


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


# -- the desired state ---------------------------------------------------------------------------------


def same_value(left, right):
    """Exact equality, numbers by value (``1 == 1.0``) but never ``True == 1``."""
    return subset(left, right) and subset(right, left)


def wanted_data(current, given, purge):
    """The whole template data after the change: ``given`` merged into ``current``, or ``given`` alone with purge."""
    if given is None:
        return dict(current or {})
    if purge:
        return dict(given)
    data = dict(current or {})
    data.update(given)
    return data


def carries(incarnation, version, data):
    """True when the incarnation already has ``version`` and exactly ``data`` (what the user set)."""
    return incarnation.get("template_repository_version") == version and same_value(data, incarnation.get("template_data") or {})


def predict(current, version, data, mr_status, history=()):
    """The incarnation a change will produce, for check mode.

    ``mr_status`` is the merge request status the change leaves (``merged``, ``open``, or None for a direct
    change).  The revision goes up by one; what only the server decides (commit, merge request id and url)
    is null; ``template_data_full`` is predicted by :func:`predict_full` from the current one and, where the
    template fills in defaults, from what the incarnation's change ``history`` shows of them.
    """
    result = INCARNATION.merge(current, {})
    result.update(template_repository_version=version, template_data=dict(data),
                  template_data_full=predict_full(current, version, data, history),
                  revision=(current.get("revision") or 0) + 1, merge_request_status=mr_status,
                  status=current.get("status") or "success")
    for key in UNKNOWABLE:
        result[key] = None
    return result


def needs_history(current, version, data):
    """True when predicting ``template_data_full`` needs the template's defaults at ``version``.

    That is after a version change (the new version may fill in other defaults) and when a variable the user
    had set is dropped (``purge_template_data``): the template fills in its default then.
    """
    return version != current.get("template_repository_version") or any(
        key not in data for key in current.get("template_data") or {})


def template_defaults(current, version, history=()):
    """The values the template fills in at ``version`` for variables not set, as far as the server has shown them.

    Every change at that version (and the incarnation itself, when it is at that version) holds the full data:
    what it has beyond the data that change set is the template's defaults and the engine's own keys.
    """
    sources = [(current.get("template_repository_version"), current.get("template_data"), current.get("template_data_full"))]
    sources.extend((change.get("requested_version"), change.get("requested_data"), change.get("template_data_full"))
                   for change in history or ())
    defaults = {}
    for source_version, source_data, source_full in sources:
        if source_version != version or not isinstance(source_full, dict):
            continue
        for key, value in source_full.items():
            if key not in (source_data or {}) and key not in defaults:
                defaults[key] = value
    return defaults


def predict_full(current, version, data, history=()):
    """The ``template_data_full`` the server will compute for ``version`` and ``data`` (the whole data).

    The current full data with: a dropped variable set to the template's default (null when the server has
    not shown it yet), the defaults the template has at ``version``, the new data (strings the template reads
    as numbers or booleans converted as the server does), and the engine's keys at the new version.  Only a
    default the server has never shown (a variable a new version adds, or a dropped one) stays unknown.
    """
    full = dict(current.get("template_data_full") or {})
    for key in current.get("template_data") or {}:
        if key not in data:
            full[key] = None
    full.update(template_defaults(current, version, history))
    for key, value in data.items():
        full[key] = _as_template_reads(value, full.get(key))
    if "_fengine_template_repository_version" in full:
        full["_fengine_template_repository_version"] = version
    fengine = full.get("fengine")
    if isinstance(fengine, dict) and isinstance(fengine.get("template"), dict):
        full["fengine"] = dict(fengine, template=dict(fengine["template"], repository_version=version))
    return full


_TRUE, _FALSE = ("true", "t", "yes", "y", "on", "1"), ("false", "f", "no", "n", "off", "0")


def _as_template_reads(value, like):
    """``value`` as the template's variable reads it, told by the type of its current value ``like``.

    The server keeps ``template_data`` as given but converts ``template_data_full`` to the variables' types
    (``"30"`` for an integer becomes ``30``).
    """
    if isinstance(like, bool):
        if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
            return value.strip().lower() in _TRUE
        if isinstance(value, int) and not isinstance(value, bool) and value in (0, 1):
            return bool(value)
    elif isinstance(like, int):
        if isinstance(value, str) and re.match(r"^\s*[+-]?\d+\s*$", value):
            return int(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
    return value


def predict_created(p):
    """The incarnation a create will produce, for check mode (id and commit are not known before)."""
    result = INCARNATION.merge(None, {})
    result.update(incarnation_repository=p["incarnation_repository"], target_directory=p["target_directory"],
                  template_repository=p["template_repository"], template_repository_version=p["template_repository_version"],
                  template_data=dict(p.get("template_data") or {}), revision=1, status="success")
    return result


class Outcome:
    """What a flow did (or, in check mode, would do): changed, before, after, and extra return values."""

    def __init__(self, changed, before, after, **extra):
        self.changed = changed
        self.before = before
        self.after = after
        self.extra = extra


def check_options(p):
    """Refuse bad input before any request, naming the option."""
    if p.get("target_directory") is not None and not p["target_directory"].strip():
        raise InputError("target_directory must not be empty; use '.' for the repository root")
    for name in ("incarnation_repository", "template_repository", "template_repository_version"):
        if p.get(name) is not None and not str(p[name]).strip():
            raise InputError("%s must not be empty" % name)
    if p.get("wait_timeout") is not None and p["wait_timeout"] < 0:
        raise InputError("wait_timeout must be 0 or more seconds, got %s" % p["wait_timeout"])
    if p.get("wait_sleep") is not None and p["wait_sleep"] <= 0:
        raise InputError("wait_sleep must be a positive number of seconds, got %s" % p["wait_sleep"])


def _settle(client, p, current):
    """Deal with an open merge request before changing anything; return the incarnation to build on.

    An open merge request that already carries the desired state is returned as it is (the caller reports
    it unchanged); one that carries something else is a conflict, or with ``wait`` is waited for.
    """
    if current.get("status") == INCOMPLETE:
        raise ConflictError(
            "the latest change (revision %s) of incarnation %s (%s, directory %s) is incomplete: an earlier update "
            "failed half-way. Repair it with POST /api/incarnations/%s/changes/%s/fix on the Foxops server, then run again"
            % (current.get("revision"), current["id"], current["incarnation_repository"], current["target_directory"],
               current["id"], current.get("revision")), attempts=0)
    while current.get("merge_request_status") == MR_OPEN:
        version = p.get("template_repository_version") or current["template_repository_version"]
        if carries(current, version, wanted_data(current.get("template_data"), p.get("template_data"), p.get("purge_template_data"))):
            return current
        if not p.get("wait"):
            raise OpenMergeRequest(
                "incarnation %s (%s, directory %s) has an open merge request %s that carries another state: merge or "
                "close %s first%s"
                % (current["id"], current["incarnation_repository"], current["target_directory"],
                   current.get("merge_request_id"), current.get("merge_request_url"),
                   ", or set wait=true to wait for it" if "wait" in p else ""), current)
        current = client.wait_while_open(current, p["wait_timeout"], p["wait_sleep"])
    return client.applied_state(current)


def ensure_present(client, p, check_mode):
    """Create or update the incarnation at ``incarnation_repository`` + ``target_directory``."""
    current = client.find_incarnation(p["incarnation_repository"], p["target_directory"])
    if current is None:
        missing = [name for name in ("template_repository", "template_repository_version") if not p.get(name)]
        if missing:
            raise InputError("%s required to create the incarnation at %s (directory %s), which does not exist yet"
                             % (" and ".join(missing) + (" are" if len(missing) > 1 else " is"),
                                p["incarnation_repository"], p["target_directory"]))
        predicted = predict_created(p)
        if check_mode:
            return Outcome(True, None, predicted)
        after = client.create_incarnation(p["incarnation_repository"], p["target_directory"], p["template_repository"],
                                          p["template_repository_version"], p.get("template_data") or {})
        return Outcome(True, None, after)
    if p.get("template_repository") and p["template_repository"] != current["template_repository"]:
        raise InputError("template_repository cannot change for an existing incarnation: %s (directory %s) uses %r, not %r; "
                         "delete it and create it anew to change its template"
                         % (current["incarnation_repository"], current["target_directory"],
                            current["template_repository"], p["template_repository"]))
    base = _settle(client, p, current)
    version = p.get("template_repository_version") or base["template_repository_version"]
    data = wanted_data(base.get("template_data"), p.get("template_data"), p.get("purge_template_data"))
    if carries(base, version, data):
        return Outcome(False, base, base)
    direct = p.get("change_type") == "direct"
    mr_status = None if direct else (MR_MERGED if p.get("automerge") else MR_OPEN)
    if check_mode:
        history = client.list_changes(base["id"]) if needs_history(base, version, data) else ()
        return Outcome(True, base, predict(base, version, data, mr_status, history))
    with _repairing(client, base):
        if direct:
            client.create_change(base["id"], version, data, "direct")
            after = client.get_incarnation(base["id"])
        elif p.get("purge_template_data"):
            after = client.put_incarnation(base["id"], version, data, p.get("automerge"))
        else:
            changed_data = dict((k, v) for k, v in (p.get("template_data") or {}).items()
                                if k not in (base.get("template_data") or {}) or not same_value(v, base["template_data"][k]))
            after = client.patch_incarnation(base["id"], version if version != base["template_repository_version"] else None,
                                             changed_data or None, p.get("automerge"))
    return Outcome(after.get("revision") != base.get("revision"), base, after)


class _repairing:
    """After a write the server failed (5xx), repair the incomplete change it may have left behind.

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
        if not isinstance(exc, ApiError) or exc.status is None or exc.status < 500:
            return False
        try:
            # the server closes its end of the connection after an unhandled error: do not reuse it
            self.client.transport.session.close()
            now = self.client.get_incarnation(self.base["id"])
            if now.get("status") == INCOMPLETE and (now.get("revision") or 0) > (self.base.get("revision") or 0):
                self.client.fix_change(self.base["id"], now["revision"])
                fixed = self.client.get_incarnation(self.base["id"])
                exc.msg += (" (the server left revision %d incomplete; it was repaired and the incarnation is at revision %s)"
                            % (now["revision"], fixed.get("revision")))
        except ApiError:
            pass
        return False


def ensure_absent(client, p, check_mode):
    """Delete the incarnation (the repository is left as it is)."""
    current = client.find_incarnation(p["incarnation_repository"], p["target_directory"])
    if current is None:
        return Outcome(False, None, None)
    if not check_mode:
        client.delete_incarnation(current["id"])
    return Outcome(True, current, None)


def reset(client, p, check_mode):
    """Open the merge request that resets the manual customisations of an incarnation."""
    current = client.find_incarnation(p["incarnation_repository"], p["target_directory"])
    if current is None:
        raise NotFoundError("there is no incarnation in %s at directory %s to reset"
                            % (p["incarnation_repository"], p["target_directory"]), attempts=0)
    base = _settle(client, p, current)
    version = p.get("template_repository_version") or base["template_repository_version"]
    data = wanted_data(base.get("template_data"), p.get("template_data"), p.get("purge_template_data"))
    if base.get("merge_request_status") == MR_OPEN:  # an open merge request already carries this state
        _refuse_open_update(client, base)
        return Outcome(False, base, base, merge_request=_merge_request(base))
    if check_mode:
        if not client.diff(base["id"]).strip():
            return Outcome(False, base, base, merge_request=None)
        history = client.list_changes(base["id"]) if needs_history(base, version, data) else ()
        return Outcome(True, base, predict(base, version, data, MR_OPEN, history), merge_request={"id": None, "url": None})
    with _repairing(client, base):
        answer = client.reset(base["id"], version, data)
    if answer is None:
        return Outcome(False, base, base, merge_request=None)
    after = client.get_incarnation(base["id"])
    return Outcome(True, base, after, merge_request={"id": answer.get("merge_request_id"), "url": answer.get("merge_request_url")})


RESET_BRANCH_PREFIX = "foxops-reset-"  # the server names the branch of a reset merge request so


def _refuse_open_update(client, incarnation):
    """Fail with a conflict when the open merge request is an update, not a reset (the server cannot reset then).

    An open update that carries the state to reset to must not pass for the reset itself: merging it leaves the
    manual customisations in place.  The kind of merge request is told by its branch, from the change history.
    """
    changes = client.list_changes(incarnation["id"])
    latest = changes[0] if changes else {}
    branch = latest.get("merge_request_branch_name")
    if latest.get("merge_request_status") != MR_OPEN or not branch or branch.startswith(RESET_BRANCH_PREFIX):
        return
    raise OpenMergeRequest(
        "incarnation %s (%s, directory %s) has an open merge request %s that updates it (branch %s), not a reset: "
        "merge or close %s first, then reset"
        % (incarnation["id"], incarnation["incarnation_repository"], incarnation["target_directory"],
           incarnation.get("merge_request_id"), branch, incarnation.get("merge_request_url")), incarnation)


def _merge_request(incarnation):
    return {"id": incarnation.get("merge_request_id"), "url": incarnation.get("merge_request_url")}
