# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The model's per-field plan: worked out once, converters skipped for nulls, and every answer the same as
the field-by-field rule (written out here as the reference) on values of every kind."""

from __future__ import annotations

import random

import pytest

from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import InputError
from ansible_collections.apiops.platforms.plugins.module_utils.foxops.client import INCARNATION
from ansible_collections.apiops.platforms.plugins.module_utils.core.models import ChoiceField, DateField, Field, Model, PercentField
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.catalogue import PRODUCT, SUPPLIER
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.forecast import ORDER_PLAN_RESULT
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.purchase_orders import PURCHASE_ORDER
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.sales_orders import SALES_ORDER


class Counting(Field):
    calls = 0

    def from_api(self, value):
        Counting.calls += 1
        return super(Counting, self).from_api(value)


def test_the_plan_is_worked_out_once_and_nulls_skip_the_converters():
    model = Model(Counting("a", type="int"), Counting("b"), Field("c", type="float"))
    Counting.calls = 0
    first = model.plan()
    objects = [model.from_api({"a": None, "c": "1.5"}) for _round in range(200)]
    assert model.plan() is first
    assert objects[0] == {"a": None, "b": None, "c": 1.5}
    assert Counting.calls <= 2  # the plan's one look at each field's null, never once per object


# -- the reference: the rule field by field, as it was written before the plan ---------------------------------
def ref_from_api(model, data):
    data = data or {}
    return dict((f.name, f.from_api(data.get(f.api, data.get(f.name)))) for f in model.fields)


def ref_differences(model, desired, current):
    current = current or {}
    return [f.name for f in model.fields
            if f.compare and desired.get(f.name) is not None and not f.same(desired[f.name], current.get(f.name))]


def ref_desired(model, params):
    return dict((f.name, params[f.name]) for f in model.fields if f.option and params.get(f.name) is not None)


def ref_validate(model, values, prefix="", keys=()):
    for name in keys:
        value = values.get(name)
        if value is None or not str(value).strip():
            raise InputError("%s%s must not be empty" % (prefix, name))
    for f in model.fields:
        value = values.get(f.name)
        if value is None or not f.option:
            continue
        option = prefix + f.name
        f.check(value, option)
        if f.fields is None:
            continue
        if f.type != "list":
            if isinstance(value, dict):
                ref_validate(f.fields, value, option + ".")
            continue
        seen = {}
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                continue
            here = "%s[%d]" % (option, index)
            ref_validate(f.fields, item, here + ".", keys=(f.list_key,) if f.list_key else ())
            if f.list_key:
                key = item[f.list_key]
                if key in seen:
                    raise InputError("%s.%s %r is already given in %s[%d]" % (here, f.list_key, key, option, seen[key]))
                seen[key] = index


SCALARS = [None, "", " x ", "12", "1.5", "abc", "true", "no", "2026-03-31", "2026-03-31T14:30:00Z", 0, 1, -3, 7.0,
           2.5, float("nan"), True, False, {"k": 1}, [1, 2]]


def value_for(field, rng, depth=0):
    if rng.random() < 0.3:
        return None
    if field.fields is not None and depth < 2:
        if field.type == "list":
            return [sub_object(field.fields, rng, depth + 1) for _index in range(rng.randint(0, 3))] + rng.choice([[], [None], ["x"]])
        return rng.choice([sub_object(field.fields, rng, depth + 1), "not a dict"])
    if isinstance(field, ChoiceField) and rng.random() < 0.5:
        return rng.choice(list(field.arg["choices"]) + [c.upper() for c in field.arg["choices"]] + [1, "0", "nope"])
    return rng.choice(SCALARS)


def sub_object(model, rng, depth=0, camel=None):
    camel = rng.random() < 0.5 if camel is None else camel
    obj = {}
    for f in model.fields:
        if rng.random() < 0.2:
            continue  # missing altogether
        obj[f.api if camel else f.name] = value_for(f, rng, depth)
    if rng.random() < 0.2 and model.fields:  # both spellings, the API's first
        f = rng.choice(model.fields)
        obj[f.api], obj[f.name] = None, value_for(f, rng, depth)
    return obj


def outcome(func, *args, **kwargs):
    try:
        return "ok", func(*args, **kwargs)
    except Exception as err:  # the same refusal, with the same words
        return type(err).__name__, str(err)


def same_answer(left, right):
    return repr(left) == repr(right)  # NaN is not equal to itself: compare the printed form


MODELS = [PRODUCT, SUPPLIER, PURCHASE_ORDER, SALES_ORDER, ORDER_PLAN_RESULT, INCARNATION,
          Model(Field("n", type="int", minimum=0), Field("f", type="float", fraction=True), Field("b", type="bool"),
                Field("d", type="dict"), Field("r", type="raw"), DateField("when"), PercentField("pct"),
                ChoiceField("kind", choices=["One", "Two"]), Field("hidden", compare=False),
                Field("ro", readonly=True), Field("off", option=False, type="int"))]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: "-".join(f.name for f in m.fields[:2]))
def test_every_answer_is_the_field_by_field_answer(model):
    rng = random.Random(20261205)
    for _round in range(150):
        raw = sub_object(model, rng)
        assert same_answer(model.from_api(raw), ref_from_api(model, raw))
        current = model.from_api(sub_object(model, rng))
        params = sub_object(model, rng, camel=False)
        assert same_answer(outcome(model.desired, params), outcome(ref_desired, model, params))
        desired = dict((k, v) for k, v in params.items() if v is not None)
        assert same_answer(outcome(model.differences, desired, current), outcome(ref_differences, model, desired, current))
        assert same_answer(outcome(model.differences, desired, None), outcome(ref_differences, model, desired, None))
        keys = (model.fields[0].name,)
        assert same_answer(outcome(model.validate, params, keys=keys), outcome(ref_validate, model, params, keys=keys))
