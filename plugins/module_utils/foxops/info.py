# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""foxops_incarnation_info as a spec: the incarnations matching the filters, with their details, diff, change
history or one change by revision on request, read concurrently (``workers``), and waited for when
``wait_for_merge_request`` asks; the server's version only when ``server_version`` asks (``GET /version``); the
filters are shared with the lookup and the inventory plugin, and :func:`check_filters` is the info module's check of
them for a plugin."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.apiops.platforms.plugins.module_utils.core.connection import WORKERS_SPEC, check_workers, map_concurrently
from ansible_collections.apiops.platforms.plugins.module_utils.core.engine import Info, not_empty
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import InputError
from ansible_collections.apiops.platforms.plugins.module_utils.foxops.client import FoxopsClient, search, with_details
from ansible_collections.apiops.platforms.plugins.module_utils.foxops.specs import WAIT_FOR_MR_SPEC, wait_after, waits
from ansible_collections.apiops.platforms.plugins.module_utils.core.waiting import check_wait


FILTERS = {
    "incarnation_repository": {"type": "str"},
    "target_directory": {"type": "str"},
    "id": {"type": "int"},
}


def _read(ctx):
    p, client = ctx.params, ctx.client
    if p["server_version"]:  # asked for only: every other call is one list read (and the details it asks for)
        ctx.extra["server_version"] = client.server_version()
    found = search(client, p["incarnation_repository"], p["target_directory"], p["id"])

    wait = waits(ctx)

    def enrich(item):
        if p["details"] or wait:
            item = with_details(client, item)
        if wait:
            item = dict(item, **wait_after(ctx, item, changed=False))
        if p["diff"]:
            item = dict(item, diff=client.diff(item["id"]))
        if p["changes"]:
            item = dict(item, changes=client.list_changes(item["id"]))
        if p["revision"] is not None:
            item = dict(item, change=change_with_diff(client, item["id"], p["revision"]))
        return item

    if p["details"] or p["diff"] or p["changes"] or wait or p["revision"] is not None:
        found = map_concurrently(enrich, found, p["workers"])
    return found


INFO_OPTIONS = dict(WORKERS_SPEC, **{
    "details": {"type": "bool", "default": False},
    "diff": {"type": "bool", "default": False},
    "changes": {"type": "bool", "default": False},
    "server_version": {"type": "bool", "default": False},
})
INFO_OPTIONS.update(WAIT_FOR_MR_SPEC)
INFO_OPTIONS["revision"] = {"type": "int"}


def change_with_diff(client, incarnation_id, revision):
    """The change at ``revision`` with ``diff``: the template version and data before it (the revision before) and
    after it; None when the incarnation has no such revision."""
    change = client.get_change(incarnation_id, revision)
    if change is None:
        return None
    previous = client.get_change(incarnation_id, revision - 1) if revision > 1 else None

    def state(c):
        return {"template_repository_version": c["requested_version"], "template_data": c["requested_data"]} if c else {}

    return dict(change, diff={"before": state(previous), "after": state(change)})


def _check_info(ctx):
    check_workers(ctx.params)
    check_wait(ctx.params, zero_timeout=True)
    if ctx.params.get("revision") is not None and ctx.params["revision"] < 1:
        raise InputError("revision must be 1 or more, got %d" % ctx.params["revision"])


INCARNATION_INFO = Info("incarnations", FoxopsClient, _read, filters=FILTERS, options=INFO_OPTIONS, check=_check_info)


def check_filters(params):
    """The check the info module runs on its filters (the Info kind's: a text filter given empty is refused, as it
    would match every incarnation), for the plugins that take the same filters."""
    not_empty(params, *INCARNATION_INFO.filters)
