# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The items of a bulk module (:mod:`bulk`): what names one, their validation (each element of the list option
refused by its index, the exactly typed ones without the argument spec validator), and how an object is shown
among many (without its empty fields)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import InputError


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


def validate_items(model, items, option, key, spec=None, name_of=None):
    """Validate each element of a list option against ``model``'s options; errors name the element's index.

    ``key`` is the name of the key option, or a tuple of them (an item is then named by all of them).
    ``spec`` is the argument spec of an item where it is not the model's own (options beside the model's, or
    without their defaults), and ``name_of(params)`` what names an item, for the check that none is given twice.
    Elements already exactly typed skip the argument spec validator (:func:`typed_params`, the same result in
    a fraction of the time, which counts for a thousand products); the others go through it.
    """
    keys = key if isinstance(key, tuple) else (key,)
    validator = ArgumentSpecValidator(spec if spec is not None else model.argument_spec())
    checked, seen = [], {}
    for index, item in enumerate(items or []):
        where = "%s[%d]" % (option, index)
        if not isinstance(item, dict):
            raise InputError("%s must be a dict of options, got %r" % (where, item))
        params = typed_params(model, item) if spec is None else None
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
        value = name_of(params) if name_of else identity(params, keys)
        if value is None:  # named only once merged with the top-level options (Bulk.contexts checks it then)
            checked.append(params)
            continue
        if value in seen:
            if name_of:
                raise InputError("%s: %s is already given in %s[%d]" % (where, value, option, seen[value]))
            verb = "is" if len(keys) == 1 else "are"
            raise InputError("%s: %s %r %s already given in %s[%d]"
                             % (where, " and ".join(keys), value, verb, option, seen[value]))
        seen[value] = index
        checked.append(params)
    return checked


def compact(obj):
    """An object without its empty fields: many objects in one diff stay readable."""
    if isinstance(obj, list):
        return [compact(item) for item in obj]
    if isinstance(obj, dict):
        return dict((k, compact(v)) for k, v in obj.items() if v is not None and v != [])
    return obj
