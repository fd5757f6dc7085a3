# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Draft purchase orders generated from StockTrim's order plan: an action that must not happen twice.

``POST /api/V2/PurchaseOrders/OrderPlan`` (body ``OrderPlanFilterCriteriaDto``) creates new draft purchase
orders every time it is received, so it is sent once and never again once the server may have got it.  A rerun
must not generate the drafts a second time, so before acting the drafts a previous run generated are looked
for, by one rule (:func:`generated_earlier`):

* status ``Draft``, created today (UTC; the date of ``createdDate``, which StockTrim writes without a zone);
* no client reference number of their own (or the same as StockTrim's reference): orders written through
  ``stocktrim_purchase_order`` carry the client reference they were written with;
* the supplier's code among ``supplier_codes`` when they are given;
* the location's code among ``location_codes`` when they are given (an order without a location, as StockTrim
  generates for several locations at once, counts).

Its limits: drafts generated today by another filter that has the same suppliers and locations count as this
filter's (the search string and the status filter cannot be read back from an order); drafts generated on a
tenant whose day is not the UTC day may be missed around midnight; a draft that was approved, deleted or given a
client reference since no longer counts.  ``force`` generates whatever was generated today.

Check mode asks the order plan (``POST /api/OrderPlan``, a query) for the rows with a quantity to order, per
supplier code and, for one location code, at that location; the rows become the predicted drafts' lines.  What
StockTrim puts on the drafts is its own computation; the prediction is the order plan's.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.apiops.platforms.plugins.module_utils.core.connection import WORKERS_SPEC, check_workers
from ansible_collections.apiops.platforms.plugins.module_utils.core.dates import parse_datetime, today
from ansible_collections.apiops.platforms.plugins.module_utils.core.engine import Action, not_empty
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import ApiError, InputError
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.client import StockTrimClient, as_list
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.forecast import CURRENT_STATUSES, order_plan
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.purchase_orders import (
    PURCHASE_ORDER,
    list_purchase_orders,
)

GENERATE_PATH = "/api/V2/PurchaseOrders/OrderPlan"

OPTIONS = {
    "search_string": {"type": "str"},
    "current_status": {"type": "str", "choices": CURRENT_STATUSES},
    "location_codes": {"type": "list", "elements": "str"},
    "supplier_codes": {"type": "list", "elements": "str"},
    "force": {"type": "bool", "default": False},
}
OPTIONS.update(WORKERS_SPEC)


def _check(ctx):
    p = ctx.params
    check_workers(p)
    not_empty(p, "search_string")
    for name in ("location_codes", "supplier_codes"):
        for index, code in enumerate(p.get(name) or []):
            if code is None or not str(code).strip():
                raise InputError("%s[%d] must not be empty" % (name, index))


def criteria(params):
    """The ``OrderPlanFilterCriteriaDto`` body: only the filters given."""
    body = {}
    for option, api in (("search_string", "searchString"), ("current_status", "currentStatus"),
                        ("location_codes", "locationCodes"), ("supplier_codes", "supplierCodes")):
        if params.get(option) not in (None, []):
            body[api] = params[option]
    return body


def _code(obj, key):
    return (obj or {}).get(key) if isinstance(obj, dict) else None


def generated_earlier(params, orders, day=None):
    """The drafts of ``orders`` a generation with these filters made today (the rule in the file's docstring)."""
    day = (day or today())[:10]
    suppliers, locations = params.get("supplier_codes"), params.get("location_codes")
    found = []
    for order in orders:
        created = parse_datetime(order.get("created_date")) if order.get("created_date") else None
        if order.get("status") != "Draft" or created is None or created.strftime("%Y-%m-%d") != day:
            continue
        if order.get("client_reference_number") not in (None, "", order.get("reference_number")):
            continue
        if suppliers and _code(order.get("supplier"), "supplier_code") not in suppliers:
            continue
        location = _code(order.get("location"), "location_code")
        if locations and location is not None and location not in locations:
            continue
        found.append(order)
    return found


def _read(ctx):
    if ctx.params["force"]:
        return []
    return generated_earlier(ctx.params, list_purchase_orders(ctx.client, "Draft", ctx.params.get("workers")))


def predicted_orders(ctx):
    """Check mode's drafts: the order plan's rows with a quantity to order, one draft per supplier code given
    (one with the supplier left to StockTrim otherwise), at the location when exactly one is given."""
    if "prediction" in ctx.memo:
        return ctx.memo["prediction"]
    p = ctx.params
    locations = p.get("location_codes") or []
    location = locations[0] if len(locations) == 1 else None
    predicted = []
    for supplier in p.get("supplier_codes") or [None]:
        filters = {"search_string": p.get("search_string"), "current_status": p.get("current_status"),
                   "supplier": supplier, "location": location}
        lines, seen = [], set()
        for row in order_plan(ctx.client, filters, p.get("workers")):
            product = row.get("product_code") or row.get("sku_code")
            if product is None or product in seen or not (row.get("order_quantity") or 0) > 0:
                continue
            seen.add(product)
            lines.append({"product_id": product, "quantity": row["order_quantity"], "unit_price": row.get("sku_cost"),
                          "received_date": None})
        if lines:
            order = dict((field.name, None) for field in PURCHASE_ORDER.fields)
            order.update(status="Draft", created_date=today(), order_date=today(), purchase_order_line_items=lines,
                         supplier={"supplier_code": supplier, "supplier_name": None},
                         location={"location_code": location, "location_name": None} if location else None)
            predicted.append(order)
    ctx.memo["prediction"] = predicted
    return predicted


def generate(client, params):
    """Send the generation once (never re-sent); the drafts StockTrim answered with."""
    data = client.write("POST", GENERATE_PATH, criteria(params), idempotent=False)
    return [PURCHASE_ORDER.from_api(item) for item in as_list(data) if isinstance(item, dict)]


class OrdersFromPlan(Action):
    """The :class:`~engine.Action` flow, returning a list: ``purchase_orders``, and with --diff the lists
    before and after under that name (the diff of a list is shown as a dict holding it)."""

    def execute(self, ctx):
        self.check(ctx)
        before = self.read(ctx)
        module = ctx.module

        def done(changed, after):
            result = {"changed": changed, self.name: after}
            if module._diff:
                result["diff"] = {"before": {self.name: before}, "after": {self.name: after}}
            module.exit_json(**result)

        if before:
            return done(False, before)
        if ctx.check_mode:
            predicted = predicted_orders(ctx)
            return done(bool(predicted), predicted)
        try:
            created = generate(ctx.client, ctx.params)
        except ApiError as err:
            if err.kind in ("transport", "timeout", "server"):
                err.msg = ("%s; StockTrim may have generated the draft purchase orders all the same: run the task "
                           "again to find them (it generates nothing when it finds today's drafts)" % err.msg)
                return module.fail_error(err, changed=True)
            raise
        return done(bool(created), created)


PURCHASE_ORDERS_FROM_PLAN = OrdersFromPlan(
    "purchase_orders", StockTrimClient, options=OPTIONS, check=_check, read=_read, act=None,
    unpredicted="the lines and quantities of the drafts StockTrim generates",
)
