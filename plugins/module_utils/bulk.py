# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bulk kind: many objects of one :class:`~engine.Resource` in one task.

One read of every object (the resource's ``listing`` hook), a plan that compares each item given with the
current object exactly as the single-object module does, and only the writes that differ, run in a bounded
pool of ``workers``.  A partial failure names every item that failed and what was done.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.apiops.platforms.plugins.module_utils.connection import map_concurrently
from ansible_collections.apiops.platforms.plugins.module_utils.engine import STATE_SPEC, Spec
from ansible_collections.apiops.platforms.plugins.module_utils.errors import ApiError, InputError


def check_workers(params):
    """``workers`` bounds every pool of concurrent calls: 1 sends them one at a time."""
    if params["workers"] < 1:
        raise InputError("workers must be 1 or more, got %d" % params["workers"])


WORKERS_SPEC = {"workers": {"type": "int", "default": 8}}


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

    Elements already exactly typed skip the argument spec validator (:func:`typed_params`, the same result in
    a fraction of the time, which counts for a thousand products); the others go through it.
    """
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
            model.validate(params, keys=(key,))
        except InputError as err:
            raise InputError("%s: %s" % (where, err.msg))
        value = params[key]
        if value in seen:
            raise InputError("%s: %s %r is already given in %s[%d]" % (where, key, value, option, seen[value]))
        seen[value] = index
        checked.append(params)
    return checked


def plan_bulk(model, key, items, current_by_key):
    """Sort validated items into created / updated / unchanged against the current objects.

    Returns ``(plan, result)``: ``plan`` is a list of ``(desired, current, predicted)`` for the writes to do,
    ``result`` the lists of keys and the predicted object of every item, in the order given.
    """
    plan, result = [], {"created": [], "updated": [], "unchanged": [], "objects": []}
    for params in items:
        desired = model.desired(params)
        current = current_by_key.get(params[key])
        if current is None:
            result["created"].append(params[key])
        elif model.differences(desired, current):
            result["updated"].append(params[key])
        else:
            result["unchanged"].append(params[key])
            result["objects"].append(current)
            continue
        predicted = model.merge(current, desired)
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
    """``name`` (the plural, also the list option) of ``resource`` objects, with ``state`` and ``workers``."""

    def __init__(self, name, resource, **kwargs):
        options = {name: {"type": "list", "elements": "dict", "required": True}}
        options.update(STATE_SPEC)
        options.update(WORKERS_SPEC)
        super(Bulk, self).__init__(name, resource.client, options=options, check=lambda ctx: check_workers(ctx.params), **kwargs)
        self.resource = resource

    def execute(self, ctx):
        self.check(ctx)
        res, key = self.resource, self.resource.key
        items = validate_items(res.model, ctx.params[self.name], self.name, key)
        current = dict((obj[key], obj) for obj in res.listing(ctx))
        if ctx.params["state"] == "absent":
            deleted = [p[key] for p in items if p[key] in current]
            absent = [p[key] for p in items if p[key] not in current]
            if deleted and not ctx.check_mode:
                self.run_all(ctx, lambda name: res.delete(ctx, current[name]), deleted, "delete", {"deleted": deleted})
            diff = {"before": dict((k, compact(current[k])) for k in deleted), "after": {}}
            return self.exit(ctx, bool(deleted), diff, created=[], updated=[], unchanged=absent, deleted=deleted,
                             objects=[])
        plan, result = plan_bulk(res.model, key, items, current)
        if plan and not ctx.check_mode:
            answers = self.run_all(ctx, lambda step: res.write(ctx, res.body(ctx, step[0], step[1]), step[1], step[2]),
                                   plan, "write", dict((k, result[k]) for k in ("created", "updated", "unchanged")))
            written = {}
            for (_desired, _current, predicted), answer in zip(plan, answers):
                written[predicted[key]] = answer if answer is not None else predicted
            result["objects"] = [written.get(obj[key], obj) for obj in result["objects"]]
        after = dict((obj[key], obj) for obj in result["objects"])
        diff = {"before": dict((step[0][key], compact(step[1])) for step in plan if step[1] is not None),
                "after": dict((step[0][key], compact(after[step[0][key]])) for step in plan)}
        return self.exit(ctx, bool(plan), diff, created=result["created"], updated=result["updated"],
                         unchanged=result["unchanged"], deleted=[], objects=result["objects"])

    def exit(self, ctx, changed, diff, objects, **result):
        result[self.name] = objects
        if ctx.module._diff:
            result["diff"] = diff
        ctx.module.exit_json(changed=changed, **result)

    def run_all(self, ctx, func, items, what, done):
        """Run ``func`` over ``items`` in the pool; on failures, fail naming every item that failed."""
        def guarded(item):
            try:
                return func(item), None
            except ApiError as err:
                return None, err

        outcomes = map_concurrently(guarded, items, ctx.params["workers"])
        failed = [(item, err) for item, (answer, err) in zip(items, outcomes) if err is not None]
        if failed:
            names = [item if isinstance(item, str) else item[0][self.resource.key] for item, _err in failed]
            first = failed[0][1]
            done = dict((k, [name for name in v if name not in names]) for k, v in done.items())
            ctx.module.fail_error(first, msg="%d of %d %s %ss failed (%s); the first: %s"
                                  % (len(failed), len(items), self.resource.title, what, ", ".join(names), first.msg),
                                  **dict(done, **{"failed_%s" % self.name: names}))
        return [answer for answer, _err in outcomes]
