# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Foxops actions as specs: resetting an incarnation's manual customisations, and repairing an incomplete
change.  They find and settle the incarnation the way the incarnation resource does (``foxops_specs.py``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.apiops.platforms.plugins.module_utils.core.engine import Action
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import NotFoundError
from ansible_collections.apiops.platforms.plugins.module_utils.foxops.client import (
    INCARNATION,
    INCOMPLETE,
    MR_OPEN,
    FoxopsClient,
    OpenMergeRequest,
)
from ansible_collections.apiops.platforms.plugins.module_utils.foxops.predict import carries, needs_history, predict
from ansible_collections.apiops.platforms.plugins.module_utils.foxops.specs import (
    IDENTITY,
    IDENTITY_EXCLUSIVE,
    IDENTITY_REQUIRED,
    IDENTITY_SPEC,
    PURGE_SPEC,
    WAIT_FOR_MR_SPEC,
    awaited,
    check_options,
    incarnation_named,
    named,
    repairing,
    settle,
    target,
    wait_after,
    waits,
)

RESET_BRANCH_PREFIX = "foxops-reset-"  # the server names the branch of a reset merge request so


# -- foxops_incarnation_reset: the action --------------------------------------------------------------------------
def _merge_request(incarnation):
    return {"id": incarnation.get("merge_request_id"), "url": incarnation.get("merge_request_url")}


def refuse_open_update(client, incarnation):
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


def _reset_base(ctx):
    p = ctx.params
    current = incarnation_named(ctx)
    if current is None:
        raise NotFoundError("there is no incarnation %s to reset" % named(p), attempts=0)
    base = settle(ctx.client, p, current, ctx.check_mode)
    if base.get("merge_request_status") == MR_OPEN and waits(ctx):
        refuse_open_update(ctx.client, base)  # the open merge request carries the reset: wait for it
        base = wait_after(ctx, base, changed=False)
    return base


def _reset_needed(ctx, base):
    if base.get("merge_request_status") == MR_OPEN:  # an open merge request already carries this state
        refuse_open_update(ctx.client, base)
        ctx.extra["merge_request"] = _merge_request(base)
        return False
    # nothing to reset: no manual change (the incarnation's diff is empty) and the version and data asked for are the
    # incarnation's; decided from reads in a real run as in a check run, so a run with nothing to do sends no write
    version, data = target(ctx.params, base)
    if carries(base, version, data) and not ctx.client.diff(base["id"]).strip():
        ctx.extra["merge_request"] = None
        return False
    return True


def _reset_predict(ctx, base):
    version, data = target(ctx.params, base)
    history = ctx.client.list_changes(base["id"]) if needs_history(base, version, data) else ()
    ctx.extra["merge_request"] = {"id": None, "url": None}
    return predict(base, version, data, awaited(ctx.params, MR_OPEN), history)


def _reset(ctx, base):
    version, data = target(ctx.params, base)
    with repairing(ctx.client, base):
        answer = ctx.client.reset(base["id"], version, data)
    if answer is None:
        ctx.extra["merge_request"] = None
        return False, base
    ctx.extra["merge_request"] = {"id": answer.get("merge_request_id"), "url": answer.get("merge_request_url")}
    return True, answer


RESET_OPTIONS = dict((name, spec) for name, spec in INCARNATION.argument_spec().items() if name != "template_repository")
RESET_OPTIONS.update(PURGE_SPEC)
RESET_OPTIONS.update(IDENTITY_SPEC)
RESET_OPTIONS.update(WAIT_FOR_MR_SPEC)

INCARNATION_RESET = Action(
    "incarnation", FoxopsClient, options=RESET_OPTIONS,
    required_if=[("purge_template_data", True, ["template_data"])],
    mutually_exclusive=IDENTITY_EXCLUSIVE, required_one_of=IDENTITY_REQUIRED, identity=IDENTITY,
    check=lambda ctx: check_options(ctx.params),
    read=_reset_base, needed=_reset_needed, predict=_reset_predict, act=_reset,
    follow=lambda ctx, base, answer: wait_after(ctx, ctx.client.get_incarnation(base["id"]), changed=True),
)


# -- foxops_incarnation_repair: the action -------------------------------------------------------------------------
def _repair_base(ctx):
    current = incarnation_named(ctx)
    if current is None:
        raise NotFoundError("there is no incarnation %s to repair" % named(ctx.params), attempts=0)
    ctx.extra["repaired_revision"] = None
    return current


def _repair_predict(ctx, base):
    """The server completes the incomplete change or drops it (when nothing was pushed); which one, only the repair
    tells: what depends on it is null in the prediction."""
    ctx.extra["repaired_revision"] = base["revision"]
    predicted = dict((key, base.get(key)) for key in ("id", "incarnation_repository", "target_directory", "template_repository"))
    return INCARNATION.merge(None, dict(predicted, status="success"))


def _repair(ctx, base):
    ctx.extra["repaired_revision"] = base["revision"]
    ctx.client.fix_change(base["id"], base["revision"])
    return True, None


INCARNATION_REPAIR = Action(
    "incarnation", FoxopsClient, options=dict(IDENTITY_SPEC, target_directory=INCARNATION.argument_spec()["target_directory"]),
    mutually_exclusive=IDENTITY_EXCLUSIVE, required_one_of=IDENTITY_REQUIRED, identity=IDENTITY,
    check=lambda ctx: check_options(ctx.params),
    read=_repair_base, needed=lambda ctx, base: base.get("status") == INCOMPLETE, predict=_repair_predict, act=_repair,
    follow=lambda ctx, base, answer: ctx.client.get_incarnation(base["id"]),
)
