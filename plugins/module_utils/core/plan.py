# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan record: what a task does to its object, in every result, so a dry run can be reviewed.

Every module that can change something returns, beside its own keys, the key ``plan`` (:data:`PLAN_KEY`):

* ``kind``: ``resource``, ``bulk``, ``action`` or ``request`` (the engine kind that ran; info modules have none);
* ``key``: the options that name the object, as a dict (``{"product_id": "A1"}``; ``{}`` for a tenant-wide
  action); a secret (no_log) option's value is masked;
* ``action``: ``create``, ``update``, ``delete``, ``run`` (an action module acted, or would), or ``none``;
* ``fields``: for an update, the names of the options whose values change (never their values);
* ``failed: true`` when the task failed (after the action was decided: a failed write);
* ``unpredicted: true`` when the module declares what a check run cannot predict (its check mode is partial);
* for the bulk kind, ``items`` instead of ``key``, ``action`` and ``fields``: one record of those three per item
  (and ``failed: true`` on the items whose write failed).

The record holds names only: values appear in the ``diff`` (with ``--diff``), masked as there.  It is built here,
once: :func:`start` when a run begins (``action: none``), :func:`mark` or :func:`mark_items` when the kind has
decided what to do (before it writes, so a failed write still names its action), and :func:`finish` when the
module exits or fails (``ApiModule.exit_json`` and ``fail_json``), which settles the record against ``changed``.
The callback plugin ``apiops.platforms.plan`` reads it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import MASK

PLAN_KEY = "plan"
ACTIONS = ("create", "update", "delete", "run", "none")
# The engine kinds by their class name: a subclass (an Action with its own flow) is of its base's kind.
KINDS = ("resource", "bulk", "action", "request", "info")


def kind_of(spec):
    """The engine kind of ``spec``: the first of :data:`KINDS` among its classes' names, else None."""
    for cls in type(spec).__mro__:
        if cls.__name__.lower() in KINDS:
            return cls.__name__.lower()
    return None


def identity_names(spec):
    """The options that name the object: the spec's ``identity``, else its key(s) (a bulk kind: its resource's)."""
    names = getattr(spec, "identity", None)
    if names is not None:
        return tuple(names)
    spec = getattr(spec, "resource", None) or spec
    keys = tuple(getattr(spec, "keys", None) or ())
    key = getattr(spec, "key", None)
    return keys or ((key,) if key else ())


def _secret(argument_spec, name):
    return bool((argument_spec or {}).get(name, {}).get("no_log"))


def key_of(names, params, argument_spec=None):
    """``{name: value}`` of the key options given, a secret's value masked."""
    return dict((name, MASK if _secret(argument_spec, name) else params[name])
                for name in names if params.get(name) is not None)


def start(ctx):
    """The record of a run that has decided nothing yet (``action: none``), on ``ctx.module``; none for info."""
    spec = ctx.spec
    kind = kind_of(spec)
    if kind in (None, "info"):
        return None
    record = {"kind": kind}
    if kind == "bulk":
        record["items"] = []
    else:
        record.update(key=key_of(identity_names(spec), ctx.params, spec.argument_spec()), action="none", fields=[])
    if getattr(spec, "unpredicted", None):
        record["unpredicted"] = True
    ctx.module.plan_record = record
    return record


def mark(ctx, action, fields=()):
    """What the run does (``create``, ``update``, ``delete``, ``run``), and for an update the options that change."""
    record = getattr(ctx.module, "plan_record", None)
    if record is None:
        record = start(ctx)
    if record is None or action not in ACTIONS:
        return
    record["action"] = action
    record["fields"] = sorted(fields) if action == "update" else []


def mark_items(ctx, entries):
    """One record per item of a bulk run, from ``entries``: ``(key, action, fields, name)`` of each, as the bulk kind
    decided them with the resource's own comparison (``name`` is what its failures name the item by)."""
    record = getattr(ctx.module, "plan_record", None) or start(ctx)
    if record is None:
        return
    record["items"] = [{"key": key, "action": action, "fields": sorted(fields), "name": name}
                       for key, action, fields, name in entries]


def finish(record, result, failed=False):
    """Settle ``record`` against the result and put it in ``result`` (under :data:`PLAN_KEY`): a run that did not
    change anything did nothing (``none``: a write that moved nothing, an action not needed), an action or a
    request that changed something ran (``run``), a failure is marked (the bulk kind: on the items that failed)."""
    if record is None or PLAN_KEY in result:
        return result
    record = copy.deepcopy(record)
    changed = bool(result.get("changed"))
    if record["kind"] == "bulk":
        failed_names = set(str(f.get("item")) for f in result.get("failures") or [] if isinstance(f, dict))
        for item in record["items"]:
            name = str(item.pop("name", ""))
            if failed and name in failed_names:
                item["failed"] = True
        if failed and not failed_names:
            record["failed"] = True
    else:
        if not changed and not failed:
            record["action"], record["fields"] = "none", []
        elif changed and record["action"] == "none" and record["kind"] in ("action", "request"):
            record["action"] = "run"
        if failed:
            record["failed"] = True
    result[PLAN_KEY] = record
    return result
