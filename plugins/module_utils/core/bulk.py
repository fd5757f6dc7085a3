# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bulk kind: many objects of one :class:`~engine.Resource` in one task.

One read of every object (the resource's ``listing`` hook), a plan that compares each item given with the
current object exactly as the single-object module does, and only the writes that differ, run in a bounded
pool of ``workers`` or, where the API takes an array, in batches (a ``batch`` hook).  With ``purge``, the
objects not given (and not excluded by a pattern) are deleted.  A partial failure names every item that
failed, with its reason, and what was done.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fnmatch

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.apiops.platforms.plugins.module_utils.core.connection import WORKERS_SPEC, check_workers, map_concurrently
from ansible_collections.apiops.platforms.plugins.module_utils.core.engine import STATE_SPEC, Spec
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import ApiError, InputError
from ansible_collections.apiops.platforms.plugins.module_utils.core.plan import mark_items


PURGE_SPEC = {"purge": {"type": "bool", "default": False}, "purge_exclude": {"type": "list", "elements": "str"}}


def identity(params, keys):
    """What names an item: its key, or its keys joined by ``/`` (a product at a location: ``A/WH1``)."""
    return params[keys[0]] if len(keys) == 1 else "/".join(str(params[k]) for k in keys)


_PLAIN = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,), "dict": (dict,)}
_SLOW = ("default", "choices", "aliases", "no_log", "fallback")
_SHAPES = {}


def _shape(model):
    """``(option names, [(name, type, sub-model, required)])`` of a model, or None when an option needs the
    validator itself (a default, choices, aliases, a secret); worked out once per model."""
    if id(model) not in _SHAPES:
        options = [f for f in model.fields if f.option]
        if any(name in f.arg for f in options for name in _SLOW):
            _SHAPES[id(model)] = None
        else:
            _SHAPES[id(model)] = (frozenset(f.name for f in options),
                                  [(f.name, f.type, f.fields, bool(f.arg.get("required"))) for f in options])
    return _SHAPES[id(model)]


def typed_params(model, item):
    """``item`` as the argument spec validator would give it, when it is already exactly typed; else None.

    Options given with their own types (as a playbook's YAML or JSON gives them) need no conversion: every
    option becomes present (None where not given) and integers given for floats become floats.  Anything
    the validator might convert, default, refuse or mask (a string for a number, an unknown or missing
    required option, choices, aliases, secrets) gives None, and the validator decides.
    """
    shape = _shape(model)
    if shape is None or not isinstance(item, dict) or not shape[0].issuperset(item):
        return None
    params = {}
    for name, kind, fields, required in shape[1]:
        value = item.get(name)
        if value is None:
            if required:
                return None
            params[name] = None
        elif fields is not None:
            if kind != "list" or not isinstance(value, list):
                return None
            params[name] = [typed_params(fields, element) for element in value]
            if None in params[name]:
                return None
        elif kind in _PLAIN and isinstance(value, _PLAIN[kind]) and (kind == "bool" or not isinstance(value, bool)):
            params[name] = float(value) if kind == "float" else value
        else:
            return None
    return params


def validate_items(model, items, option, key):
    """Validate each element of a list option against ``model``'s options; errors name the element's index.

    ``key`` is the name of the key option, or a tuple of them (an item is then named by all of them).
    Elements already exactly typed skip the argument spec validator (:func:`typed_params`, the same result in
    a fraction of the time, which counts for a thousand products); the others go through it.
    """
    keys = key if isinstance(key, tuple) else (key,)
    validator = ArgumentSpecValidator(model.argument_spec())
    checked, seen = [], {}
    for index, item in enumerate(items or []):
        where = "%s[%d]" % (option, index)
        if not isinstance(item, dict):
            raise InputError("%s must be a dict of options, got %r" % (where, item))
        params = typed_params(model, item)
        if params is None:
            result = validator.validate(item)
            problems = ["unsupported parameters: " + e.error_message if type(e).__name__ == "UnsupportedError"
                        else e.error_message for e in list(result.errors)]
            if problems:
                raise InputError("%s: %s" % (where, "; ".join(problems)))
            params = result.validated_parameters
        try:
            model.validate(params, keys=keys)
        except InputError as err:
            raise InputError("%s: %s" % (where, err.msg))
        value = identity(params, keys)
        if value in seen:
            verb = "is" if len(keys) == 1 else "are"
            raise InputError("%s: %s %r %s already given in %s[%d]"
                             % (where, " and ".join(keys), value, verb, option, seen[value]))
        seen[value] = index
        checked.append(params)
    return checked


def plan_bulk(model, key, items, current_by_key, predict=None):
    """Sort validated items into created / updated / unchanged against the current objects.

    Returns ``(plan, result)``: ``plan`` is a list of ``(desired, current, predicted)`` for the writes to do,
    ``result`` the lists of names (:func:`identity`) and the predicted object of every item, in the order given.
    ``predict(desired, current)`` is the object after the write (default :meth:`Model.merge`).
    """
    keys = key if isinstance(key, tuple) else (key,)
    plan, result = [], {"created": [], "updated": [], "unchanged": [], "objects": []}
    for params in items:
        desired = model.desired(params)
        name = identity(params, keys)
        current = current_by_key.get(name)
        if current is None:
            result["created"].append(name)
        elif model.differences(desired, current):
            result["updated"].append(name)
        else:
            result["unchanged"].append(name)
            result["objects"].append(current)
            continue
        predicted = predict(desired, current) if predict else model.merge(current, desired)
        plan.append((desired, current, predicted))
        result["objects"].append(predicted)
    return plan, result


def compact(obj):
    """An object without its empty fields: many objects in one diff stay readable."""
    if isinstance(obj, list):
        return [compact(item) for item in obj]
    if isinstance(obj, dict):
        return dict((k, compact(v)) for k, v in obj.items() if v is not None and v != [])
    return obj


class Bulk(Spec):
    """``name`` (the plural, also the list option) of ``resource`` objects, with ``workers``, and ``state`` where
    the resource can be deleted.

    An item is named by the resource's key, or by its keys joined by ``/`` (:func:`identity`).  ``purge=True``
    adds the options ``purge`` and ``purge_exclude``: with them the current objects not given, whose name matches
    none of the glob patterns, are deleted (after the writes, and only if they all succeeded).
    ``batch(ctx, bodies, predicted)`` writes many bodies in one call, where the API takes an array (at most
    ``batch_size`` a call), and gives the object after the write of each (None: the prediction stands); a batch
    the API refuses as invalid (``validation``) is sent again one item a call (the writes are upserts), so the
    others are written and each refused item is named with its reason. Any other failure, a rate limit included
    (the server refused the whole call, not one item), fails the batch's items without another call.  Without it every write is one call of the resource's
    ``write``.
    """

    def __init__(self, name, resource, purge=False, batch=None, batch_size=100, **kwargs):
        options = {name: {"type": "list", "elements": "dict", "required": True}}
        if resource.delete is not None:
            options.update(STATE_SPEC)
        options.update(WORKERS_SPEC)
        if purge:
            options.update(PURGE_SPEC)
        options.update(kwargs.pop("options", None) or {})
        super(Bulk, self).__init__(name, resource.client, options=options, check=self.check_options, **kwargs)
        self.resource = resource
        self.purge = purge
        self.batch = batch
        self.batch_size = batch_size

    def check_options(self, ctx):
        p = ctx.params
        check_workers(p)
        if not self.purge:
            return
        if p.get("purge_exclude") is not None and not p.get("purge"):
            raise InputError("purge_exclude applies only with purge=true")
        if p.get("purge") and p.get("state") == "absent":
            raise InputError("purge applies only with state=present (with state=absent, only the %s given are deleted)"
                             % self.name)
        for index, pattern in enumerate(p.get("purge_exclude") or []):
            if not pattern.strip():
                raise InputError("purge_exclude[%d] must not be empty" % index)

    def purged(self, ctx, current, given):
        """The names of the current objects that ``purge`` deletes: not given, matching no ``purge_exclude``."""
        if not (self.purge and ctx.params.get("purge")):
            return []
        patterns = ctx.params.get("purge_exclude") or []
        return [name for name in current if name is not None and name not in given
                and not any(fnmatch.fnmatchcase(str(name), pattern) for pattern in patterns)]

    def execute(self, ctx):
        self.check(ctx)
        ctx.writes_before = ctx.writes_answered()
        res, keys = self.resource, self.resource.keys
        items = validate_items(res.model, ctx.params[self.name], self.name, keys)
        current = dict((identity(obj, keys), obj) for obj in res.listing(ctx))
        mark_items(ctx, res, items, current, self.purged(ctx, current, set(identity(p, keys) for p in items)),
                   absent=ctx.params.get("state") == "absent")  # the result's plan record, one per item
        if ctx.params.get("state") == "absent":
            deleted = [identity(p, keys) for p in items if identity(p, keys) in current]
            absent = [identity(p, keys) for p in items if identity(p, keys) not in current]
            if deleted and not ctx.check_mode:
                self.run_all(ctx, lambda name: res.delete(ctx, current[name]), deleted, deleted, "delete",
                             {"deleted": deleted})
            diff = {"before": dict((k, compact(current[k])) for k in deleted), "after": {}}
            return self.exit(ctx, bool(deleted), diff, created=[], updated=[], unchanged=absent, deleted=deleted,
                             objects=[])
        plan, result = plan_bulk(res.model, keys, items, current,
                                 lambda desired, now: res.prediction(ctx, res.body(ctx, desired, now), now))
        purged = self.purged(ctx, current, set(identity(p, keys) for p in items))
        done = dict((k, result[k]) for k in ("created", "updated", "unchanged"))
        if plan and not ctx.check_mode:
            answers = self.write_all(ctx, plan, done)
            written = {}
            for (_desired, _current, predicted), answer in zip(plan, answers):
                written[identity(predicted, keys)] = answer if answer is not None else predicted
            result["objects"] = [written.get(identity(obj, keys), obj) for obj in result["objects"]]
        if purged and not ctx.check_mode:
            self.run_all(ctx, lambda name: res.delete(ctx, current[name]), purged, purged, "delete",
                         dict(done, deleted=purged))
        after = dict((identity(obj, keys), obj) for obj in result["objects"])
        names = [identity(step[0], keys) for step in plan]
        diff = {"before": dict((name, compact(step[1])) for name, step in zip(names, plan) if step[1] is not None),
                "after": dict((name, compact(after[name])) for name in names)}
        diff["before"].update((name, compact(current[name])) for name in purged)
        return self.exit(ctx, bool(plan or purged), diff, created=result["created"], updated=result["updated"],
                         unchanged=result["unchanged"], deleted=purged, objects=result["objects"])

    def exit(self, ctx, changed, diff, objects, **result):
        """The result: the objects without their empty fields (:func:`compact`), and the arguments echoed
        with the list of items replaced by its length (a thousand items echoed back cost as much as the work)."""
        result[self.name] = [compact(obj) for obj in objects]
        if ctx.module._diff:
            result["diff"] = diff
        ctx.module.exit_json(changed=changed, invocation=self.invocation(ctx), **result)

    def invocation(self, ctx):
        """``invocation`` as Ansible echoes it, but the item list as its length; secrets are masked by
        ``exit_json`` and ``fail_json`` in it as in the rest of the result."""
        args = dict(ctx.module.params)
        if isinstance(args.get(self.name), list):
            args[self.name] = len(args[self.name])
        return {"module_args": args}

    def write_all(self, ctx, plan, done):
        """Every write of the plan, one call each in the pool, or in batches; the answers in the plan's order."""
        res = self.resource
        names = [identity(step[0], res.keys) for step in plan]
        if res.writes == "replace" and any(current is not None for _desired, current, _predicted in plan):
            # the objects to update are read again just before the writes, and those fresh reads are sent with the
            # changes: never the fields of the read at the start, which another writer may have changed since
            now = dict((identity(obj, res.keys), obj) for obj in res.listing(ctx))
            plan = [(desired, now.get(identity(desired, res.keys), current) if current is not None else None, predicted)
                    for desired, current, predicted in plan]
        if self.batch is None:
            return self.run_all(ctx, lambda step: res.write(ctx, res.body(ctx, step[0], step[1]), step[1], step[2]),
                                plan, names, "write", done)
        bodies = [res.body(ctx, desired, current) for desired, current, _predicted in plan]

        def send(indexes):
            try:
                answers = list(self.batch(ctx, [bodies[i] for i in indexes], [plan[i][2] for i in indexes]))
                return [(answer, None) for answer in answers + [None] * (len(indexes) - len(answers))]
            except ApiError as err:
                if err.kind != "validation" or len(indexes) == 1:
                    return [(None, err)] * len(indexes)
                return [send([i])[0] for i in indexes]  # find the items the API refused, write the others

        chunks = [list(range(start, min(start + self.batch_size, len(plan))))
                  for start in range(0, len(plan), self.batch_size)]
        outcomes = [outcome for chunk in map_concurrently(send, chunks, ctx.params["workers"]) for outcome in chunk]
        return self.report(ctx, outcomes, names, "write", done)

    def run_all(self, ctx, func, items, names, what, done):
        """Run ``func`` over ``items`` (named ``names``) in the pool; on failures, fail naming each failed item."""
        def guarded(item):
            try:
                return func(item), None
            except ApiError as err:
                return None, err

        return self.report(ctx, map_concurrently(guarded, items, ctx.params["workers"]), names, what, done)

    def report(self, ctx, outcomes, names, what, done):
        """The answers of ``outcomes`` (``(answer, error)`` each); if any failed, fail naming each with its reason, and
        with ``changed: true`` when any write may have taken effect (one succeeded, an earlier step wrote, or a failed
        one may have been acted on)."""
        failed = [(name, err) for name, (_answer, err) in zip(names, outcomes) if err is not None]
        if failed:
            changed = (len(failed) < len(names) or any(err.may_have_acted for _name, err in failed)
                       or ctx.writes_answered() > getattr(ctx, "writes_before", 0))
            failed_names = [name for name, _err in failed]
            first = failed[0][1]
            done = dict((k, [name for name in v if name not in failed_names]) for k, v in done.items())
            failures = [{"item": name, "error": err.kind, "status": err.status, "msg": err.msg} for name, err in failed]
            ctx.module.fail_error(first, msg="%d of %d %s %ss failed (%s); the first: %s"
                                  % (len(failed), len(names), self.resource.title, what, ", ".join(failed_names),
                                     first.msg),
                                  failures=failures, invocation=self.invocation(ctx), changed=bool(changed),
                                  **dict(done, **{"failed_%s" % self.name: failed_names}))
        return [answer for answer, _err in outcomes]
