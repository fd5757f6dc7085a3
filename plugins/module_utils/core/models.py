# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Typed models: one declarative spec per resource.

A :class:`Model` is a list of :class:`Field` objects.  From that one spec come:

* the module's ``argument_spec`` (options are the snake_case form of the API's field names);
* :meth:`Model.from_api`: API JSON (camelCase or snake_case) to a predictable result dict whose keys are
  always all present, typed and normalised (``None`` where the API sent nothing);
* :meth:`Model.to_api`: the options the user gave back to an API payload;
* :meth:`Model.differences`: the comparison rule of the whole collection: compare only what the user
  gave, numbers by value, empty strings as nothing, set-like lists without regard to order;
* :meth:`Model.merge`: the object a write will produce, which check mode reports as its prediction;
* :meth:`Model.validate`: bad input refused before any request, from the fields' own properties (``minimum``,
  ``maximum``, dates, the keys of set-like lists), every message naming the option and its position.

The typed fields (:class:`DateField`, :class:`ChoiceField`, :class:`PercentField`) change how one kind of
value is read, compared and written; everything else about them is a :class:`Field`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import re

from ansible_collections.apiops.platforms.plugins.module_utils.core.dates import format_datetime, parse_datetime
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import InputError

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_ARG_KEYS = ("required", "default", "choices", "no_log", "aliases", "elements")


def camel_to_snake(name):
    """``productCodeReadable`` -> ``product_code_readable``; ``option1`` stays ``option1``."""
    return _CAMEL_BOUNDARY.sub("_", name).lower()


def snake_to_camel(name):
    """``client_reference_number`` -> ``clientReferenceNumber``."""
    head, _sep, tail = name.partition("_")
    return head + "".join(part[:1].upper() + part[1:] for part in tail.split("_") if part) if tail else head


class Field:
    """One attribute of a resource.

    ``type`` is an argument-spec type (str, int, float, bool, dict, list, raw).  ``fields`` describes the
    sub-options of a dict or of the elements of a list of dicts; ``list_key`` makes such a list set-like
    (compared without regard to order, elements matched by that sub-field).  ``readonly`` fields come from
    the server only (``id``): they are returned, never options.  ``option=False`` keeps a writable field out
    of the argument spec (the module sets it itself).

    Properties that refuse bad input before any request (:meth:`Model.validate`): ``minimum`` and ``maximum``
    for numbers (``fraction=True`` is a maximum of 1 told as a fraction); NaN and infinity are always refused.
    A nested object (``type="dict"`` with ``fields``) is identified by its first sub-field: a value naming
    another one than the current (another supplier) is taken as given, not completed from the current one.
    """

    def __init__(self, name, api=None, type="str", fields=None, list_key=None, readonly=False, option=True,
                 compare=True, minimum=None, maximum=None, fraction=False, **arg):
        self.name = name
        self.api = api or snake_to_camel(name)
        self.type = type
        self.fields = Model(*fields) if fields else None
        self.list_key = list_key
        self.readonly = readonly
        self.option = option and not readonly
        self.compare = compare
        self.minimum = minimum
        self.maximum = 1 if fraction else maximum
        self.fraction = fraction
        unknown = set(arg) - set(_ARG_KEYS)
        if unknown:
            raise TypeError("unknown Field arguments: %s" % ", ".join(sorted(unknown)))
        self.arg = arg

    def argument_spec(self):
        spec = {"type": self.type}
        spec.update(self.arg)
        if self.fields is not None:
            spec["options"] = self.fields.argument_spec()
            if self.type == "list":
                spec["elements"] = "dict"
        return spec

    # -- conversions ------------------------------------------------------------------------------
    def from_api(self, value):
        if value is None:
            return [] if self.type == "list" and self.fields is not None else None
        if self.fields is not None:
            if self.type == "list":
                return [self.fields.from_api(item) for item in value if isinstance(item, dict)]
            return self.fields.from_api(value) if isinstance(value, dict) else value
        return coerce(self.type, value)

    def to_api(self, value):
        if value is None or self.fields is None:
            return value
        if self.type == "list":
            return [self.fields.to_api(item) for item in value]
        return self.fields.to_api(value)

    # -- comparison -------------------------------------------------------------------------------
    def same(self, desired, current):
        """True when ``current`` already satisfies ``desired`` (which the user gave)."""
        if self.fields is not None and self.type == "list":
            return self._same_list(desired, current or [])
        if self.fields is not None:
            return not self.fields.differences(desired, current or {})
        if self.type == "dict":
            return subset(desired, current or {})
        return normalise(self.type, desired) == normalise(self.type, current)

    def _same_list(self, desired, current):
        if len(desired) != len(current):
            return False
        if self.list_key:
            by_key = dict((item.get(self.list_key), item) for item in current)
            return all(item.get(self.list_key) in by_key and not self.fields.differences(item, by_key[item.get(self.list_key)])
                       for item in desired)
        return all(not self.fields.differences(d, c) for d, c in zip(desired, current))

    def merged(self, desired, current):
        """The value after a write of ``desired`` over ``current``."""
        if desired is None:
            return current
        if self.fields is not None and self.type == "list":
            if not self.list_key:
                return [self.fields.merge({}, item) for item in desired]
            by_key = dict((item.get(self.list_key), item) for item in current or [])
            return [self.fields.merge(by_key.get(item.get(self.list_key), {}), item) for item in desired]
        if self.fields is not None:
            return self.fields.merge({} if self.names_another(desired, current) else current or {}, desired)
        if self.type == "dict" and isinstance(current, dict):
            result = dict(current)
            result.update(desired)
            return result
        return coerce(self.type, desired)

    def names_another(self, desired, current):
        """Whether a nested object given names another one than the current (another supplier, location)."""
        if self.type != "dict" or not isinstance(desired, dict) or not isinstance(current, dict):
            return False
        key = self.fields.fields[0].name
        return desired.get(key) is not None and desired.get(key) != current.get(key)

    # -- validation -------------------------------------------------------------------------------
    def check(self, value, option):
        """Refuse a value this field cannot mean, naming ``option``."""
        if self.type not in ("int", "float") or isinstance(value, bool):
            return
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise InputError("%s must be a number, got %r" % (option, value))
        if math.isnan(number) or math.isinf(number):
            raise InputError("%s must be a finite number, got %r" % (option, value))
        if self.minimum is not None and number < self.minimum:
            raise InputError("%s must be %s or more, got %s" % (option, show_number(self.minimum), show_number(number)))
        if self.fraction and number > 1:
            raise InputError("%s is a fraction between 0 and 1 (0.95 for 95%%), got %r" % (option, value))
        if self.maximum is not None and number > self.maximum:
            raise InputError("%s must be %s or less, got %s" % (option, show_number(self.maximum), show_number(number)))


def show_number(value):
    """``2.0`` as ``2``, ``2.5`` as ``2.5``: numbers in messages as a person writes them."""
    return ("%d" % value) if float(value).is_integer() else ("%s" % value)


class DateField(Field):
    """A date-time: given as ISO 8601 (a date alone is midnight), compared as a point in time,
    returned as ``YYYY-MM-DDTHH:MM:SS``."""

    def check(self, value, option):
        if parse_datetime(value) is None:
            raise InputError("%s must be an ISO 8601 date or date-time such as 2026-03-31 or 2026-03-31T14:30:00, got %r"
                             % (option, value))

    def from_api(self, value):
        return None if value is None else format_datetime(value)

    def to_api(self, value):
        return None if value is None else format_datetime(value)

    def same(self, desired, current):
        if desired is None or desired == "":
            return current is None or current == ""
        return parse_datetime(desired) == (parse_datetime(current) if current is not None else None)

    def merged(self, desired, current):
        return current if desired is None else format_datetime(desired)


class ChoiceField(Field):
    """A string enum (``choices``) read case-insensitively: ``draft``, ``DRAFT`` and the enum's index (``0``)
    all read as ``Draft``, so a server that answers in another case or by index compares equal."""

    def from_api(self, value):
        return canonical_choice(self.arg["choices"], value)

    def same(self, desired, current):
        return canonical_choice(self.arg["choices"], desired) == canonical_choice(self.arg["choices"], current)

    def merged(self, desired, current):
        return current if desired is None else canonical_choice(self.arg["choices"], desired)


def canonical_choice(choices, value):
    """The spelling of ``value`` in ``choices`` (case-insensitive, or by index), else ``value`` unchanged."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and float(value).is_integer() and 0 <= int(value) < len(choices):
        return choices[int(value)]
    text = str(value).strip()
    if text.isdigit() and int(text) < len(choices):
        return choices[int(text)]
    for choice in choices:
        if choice.lower() == text.lower():
            return choice
    return value


class PercentField(Field):
    """A percentage the server may send as an int, a float, a numeric string or null: an int (rounded down)."""

    def from_api(self, value):
        try:
            return None if value is None or isinstance(value, bool) else int(float(value))
        except (TypeError, ValueError):
            return None


def coerce(kind, value):
    """Turn an API value into the type the field promises (``10`` for a float field becomes ``10.0``)."""
    if value is None:
        return None
    try:
        if kind == "float":
            return float(value)
        if kind == "int":
            return int(value)
        if kind == "bool":
            if isinstance(value, str):
                return value.strip().lower() in ("true", "yes", "1", "on")
            return bool(value)
        if kind == "str" and not isinstance(value, str):
            return str(value)
    except (TypeError, ValueError):
        return value
    return value


def normalise(kind, value):
    """The form in which two values are compared."""
    if isinstance(value, str) and value == "":
        return None
    if kind in ("float", "int") and value is not None:
        try:
            return float(value)
        except (TypeError, ValueError):
            return value
    return coerce(kind, value)


def subset(desired, current):
    """True when every key of ``desired`` has the same value in ``current`` (recursively for dicts)."""
    if isinstance(desired, dict):
        if not isinstance(current, dict):
            return False
        return all(k in current and subset(v, current[k]) for k, v in desired.items())
    if isinstance(desired, list):
        return isinstance(current, list) and len(desired) == len(current) and all(subset(d, c) for d, c in zip(desired, current))
    if isinstance(desired, bool) or isinstance(current, bool):
        return desired is current or desired == current and type(desired) is type(current)
    if isinstance(desired, (int, float)) and isinstance(current, (int, float)):
        return float(desired) == float(current)
    return desired == current


def _number(kind):
    """:func:`coerce` for one number type, without deciding the type on every call."""
    def convert(value):
        if value.__class__ is kind:  # exactly this type (a bool is converted to an int)
            return value
        try:
            return kind(value)
        except (TypeError, ValueError):
            return value
    return convert


def _text(value):
    if isinstance(value, str):
        return value
    try:
        return str(value)
    except (TypeError, ValueError):
        return value


_PLAIN_CONVERTERS = {"float": _number(float), "int": _number(int), "str": _text,
                     "bool": lambda value: coerce("bool", value)}


_MISSING = object()
_NONE, _EMPTY_LIST, _OWN = 0, 1, 2


def _reader(field):
    """``(option name, API name, converter, null)`` of a field: ``converter`` turns a value that is not None
    (None: the value as it is); ``null`` says what a missing or null value reads as: None, a new empty list
    (a list of objects), or whatever the field's own ``from_api(None)`` makes of it."""
    if type(field).from_api is Field.from_api and field.fields is None:
        convert = _PLAIN_CONVERTERS.get(field.type)  # other types: coerce returns the value as it is
    else:
        convert = field.from_api
    null = field.from_api(None)
    if null is None:
        null = _NONE
    elif isinstance(null, list) and not null and type(field).from_api is Field.from_api:
        null = _EMPTY_LIST
    else:
        null = _OWN
    return field.name, field.api, convert, null


class Model:
    """A resource's spec: an ordered list of fields.

    What reading, validating and comparing need of each field is worked out once per model, on first use
    (:meth:`plan`), so that a thousand objects do not ask each field the same questions a thousand times.
    """

    def __init__(self, *fields):
        self.fields = list(fields)
        self.by_name = dict((f.name, f) for f in self.fields)
        self._plan = None

    def plan(self):
        """``(readers, checks, compares, options)``: per field, once: how :meth:`from_api` reads it
        (:func:`_reader`); the options :meth:`validate` looks at (those with a check of their own or sub-fields);
        the fields :meth:`differences` compares, by name, with their place and their comparison; the names
        of the options."""
        if self._plan is None:
            readers = tuple(_reader(f) for f in self.fields)
            checks = tuple((f.name, f, type(f).check is not Field.check or f.type in ("int", "float"))
                           for f in self.fields if f.option and (type(f).check is not Field.check
                                                                 or f.type in ("int", "float") or f.fields is not None))
            compares = dict((f.name, (index, f.same)) for index, f in enumerate(self.fields) if f.compare)
            options = tuple(f.name for f in self.fields if f.option)
            self._plan = (readers, checks, compares, options)
        return self._plan

    def argument_spec(self):
        return dict((f.name, f.argument_spec()) for f in self.fields if f.option)

    def from_api(self, data):
        """API JSON to a result dict with every field present; accepts camelCase or snake_case keys."""
        get = (data or {}).get
        result = {}
        for name, api, convert, null in self.plan()[0]:
            value = get(api, _MISSING)
            if value is _MISSING:
                value = get(name)
            if value is not None:
                result[name] = value if convert is None else convert(value)
            elif null == _NONE:
                result[name] = None
            else:
                result[name] = [] if null == _EMPTY_LIST else self.by_name[name].from_api(None)
        return result

    def desired(self, params):
        """The writable options the user gave (``None`` means "not given")."""
        get = params.get
        return dict((name, params[name]) for name in self.plan()[3] if get(name) is not None)

    def to_api(self, values):
        """Snake-case values (only those given) to an API payload in the API's own key names."""
        payload = {}
        for f in self.fields:
            if f.name in values and values[f.name] is not None and not f.readonly:
                payload[f.api] = f.to_api(values[f.name])
        return payload

    def differences(self, desired, current):
        """Names of the fields whose desired value the current object does not have yet."""
        get = (current or {}).get
        compares = self.plan()[2]
        given = sorted((compares[name][0], name) for name, value in desired.items()
                       if value is not None and name in compares)  # in the order of the fields
        return [name for _index, name in given if not compares[name][1](desired[name], get(name))]

    def validate(self, values, prefix="", keys=()):
        """Refuse bad input before any request, every message naming the option (with its position in a list:
        ``purchase_order_line_items[2].quantity``): empty ``keys``, then each field's own :meth:`Field.check`,
        recursively, and an empty or repeated key in a set-like list."""
        for name in keys:
            value = values.get(name)
            if value is None or not str(value).strip():
                raise InputError("%s%s must not be empty" % (prefix, name))
        for name, f, checked in self.plan()[1]:
            value = values.get(name)
            if value is None:
                continue
            option = prefix + name
            if checked:
                f.check(value, option)
            if f.fields is None:
                continue
            if f.type != "list":
                if isinstance(value, dict):
                    f.fields.validate(value, option + ".")
                continue
            seen = {}
            for index, item in enumerate(value):
                if not isinstance(item, dict):
                    continue
                here = "%s[%d]" % (option, index)
                f.fields.validate(item, here + ".", keys=(f.list_key,) if f.list_key else ())
                if f.list_key:
                    key = item[f.list_key]
                    if key in seen:
                        raise InputError("%s.%s %r is already given in %s[%d]" % (here, f.list_key, key, option, seen[key]))
                    seen[key] = index

    def merge(self, current, desired):
        """The object after writing ``desired`` over ``current``: check mode's prediction."""
        result = dict((f.name, None) for f in self.fields)
        result.update(current or {})
        for f in self.fields:
            if desired.get(f.name) is not None:
                result[f.name] = f.merged(desired[f.name], result.get(f.name))
        for f in self.fields:
            if f.type == "list" and f.fields is not None and result[f.name] is None:
                result[f.name] = []
        return result
