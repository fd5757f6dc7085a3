# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""foxops_incarnations as a spec: the incarnation resource of ``specs.py`` on the bulk kind.

Each item is compared and written exactly as ``foxops_incarnation`` does it (its hooks: settle, desired, same,
predict, write with lost-answer adoption and repair). What the fleet adds is declared here: the options an item
takes, the top-level defaults, one list read with the details read only for the items to compare, and writes
serialized per incarnation repository (Foxops refuses a second change to a repository while one is under way).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.apiops.platforms.plugins.module_utils.core.bulk import Bulk
from ansible_collections.apiops.platforms.plugins.module_utils.foxops.client import MR_OPEN, with_details
from ansible_collections.apiops.platforms.plugins.module_utils.foxops.specs import INCARNATION_RESOURCE, UNPREDICTED_WAIT, WAIT_FOR_MR_SPEC
from ansible_collections.apiops.platforms.plugins.module_utils.core.waiting import wait_spec

# The options of foxops_incarnation that describe one incarnation: an item takes them, and the same option at the top
# level is the default of every item (template_data is merged key by key, the item's keys winning).
DEFAULTS = ("incarnation_repository", "target_directory", "template_repository", "template_repository_version",
            "template_data", "purge_template_data", "automerge", "change_type", "state")
ITEM_OPTIONS = ("id", "purge_template_data", "automerge", "change_type", "state")


def names(values):
    """What an incarnation is found by: its repository and directory, and its id."""
    found = []
    if values.get("incarnation_repository") is not None:
        found.append((values["incarnation_repository"], values.get("target_directory") or "."))
    if values.get("id") is not None:
        found.append(("id", values["id"]))
    return found


def label(values):
    """How an incarnation is reported: its repository and directory, or its id while that is all that is known of it
    (an id given that names no incarnation)."""
    if values.get("incarnation_repository") is None and values.get("id") is not None:
        return {"id": values["id"]}
    return {"incarnation_repository": values.get("incarnation_repository"),
            "target_directory": values.get("target_directory") or "."}


def merge_requests(ctx, rows):
    """The merge requests the run opened (or, in check mode, would open), and the template version each incarnation
    found had before the run (by ``repository:directory``)."""
    opened = []
    for item_ctx, step, after in rows:
        if step.action != "update" or after is None or item_ctx.params.get("change_type") == "direct":
            continue
        before = step.current or {}
        if after.get("merge_request_status") is None or (
                after.get("merge_request_id") is not None and after.get("merge_request_id") == before.get("merge_request_id")
                and before.get("merge_request_status") == MR_OPEN):
            continue
        opened.append(dict(label(after), id=after.get("id"), merge_request_id=after.get("merge_request_id"),
                           merge_request_url=after.get("merge_request_url"),
                           merge_request_status=after.get("merge_request_status")))
    before = dict((Bulk.key_text(label(step.current)), step.current.get("template_repository_version"))
                  for _ctx, step, _after in rows if step.current)
    return {"merge_requests": opened, "versions_before": before}


OPTIONS = dict(wait_spec(600, "int"), **WAIT_FOR_MR_SPEC)

INCARNATIONS = Bulk(
    "incarnations", INCARNATION_RESOURCE, options=OPTIONS,
    item_options=ITEM_OPTIONS, defaults=DEFAULTS, merged=("template_data",), names=names, label=label,
    detail=lambda ctx, listed: with_details(ctx.client, listed),
    serial=lambda ctx, current: (current or ctx.params)["incarnation_repository"],
    summary=merge_requests, unpredicted=UNPREDICTED_WAIT,
)
