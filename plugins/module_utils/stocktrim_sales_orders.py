# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""StockTrim sales orders: one order with its lines, keyed by its external reference.

``PUT /api/SalesOrdersBulk`` creates or updates each line by its own ``externalReferenceId``: an upsert,
retried.  StockTrim can add and update a line but not delete one.  ``GET /api/SalesOrders`` answers 404 for
the whole collection on some tenants: the order is then "unreadable" and written with the options given.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.apiops.platforms.plugins.module_utils.engine import UNREADABLE, Info, Resource
from ansible_collections.apiops.platforms.plugins.module_utils.errors import InputError, NotFoundError
from ansible_collections.apiops.platforms.plugins.module_utils.models import DateField, Field, Model
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim import StockTrimClient, as_list

SALES_ORDER_LINE = Model(
    Field("id", type="int", readonly=True),
    Field("product_id"),
    Field("external_reference_id"),
    DateField("order_date"),
    Field("quantity", type="float"),
    Field("unit_price", type="float"),
    Field("location_id", type="int", readonly=True),
    Field("location_code"),
    Field("location_name"),
    Field("customer_code"),
    Field("customer_name"),
)


class LinesField(Field):
    """The lines of a sales order: StockTrim can add and update a line but not delete one, so the list given
    is compared as "these lines, with these values" (other lines may exist), and a write keeps the others."""

    def same(self, desired, current):
        by_key = dict((item.get(self.list_key), item) for item in current or [])
        return all(item.get(self.list_key) in by_key and not self.fields.differences(item, by_key[item.get(self.list_key)])
                   for item in desired)

    def merged(self, desired, current):
        if desired is None:
            return current
        wanted = dict((item.get(self.list_key), item) for item in desired)
        result = []
        for item in current or []:
            key = item.get(self.list_key)
            result.append(self.fields.merge(item, wanted.pop(key)) if key in wanted else item)
        result.extend(self.fields.merge({}, item) for item in desired if item.get(self.list_key) in wanted)
        return result


SALES_ORDER_LINE_ITEM = [
    Field("id", type="int", readonly=True),
    Field("external_reference_id", readonly=True),
    Field("product_id", required=True),
    Field("quantity", type="float", minimum=0, required=True),
    Field("unit_price", type="float", minimum=0),
]

SALES_ORDER = Model(
    Field("external_reference_id", required=True),
    DateField("order_date"),
    Field("location_code"),
    Field("location_name"),
    Field("customer_code"),
    Field("customer_name"),
    LinesField("sale_order_line_items", type="list", fields=SALES_ORDER_LINE_ITEM, list_key="product_id"),
)
SHARED = ("order_date", "location_code", "location_name", "customer_code", "customer_name")


def line_reference(external_reference_id, product_id):
    """The StockTrim key of one line of an order: ``<order reference>/<product id>``.

    ``PUT /api/SalesOrdersBulk`` creates or updates each line by its own ``externalReferenceId``, so the lines
    of one order need distinct keys; this rule gives each line one that stays the same from run to run.
    """
    return "%s/%s" % (external_reference_id, product_id)


def sales_order_payload(values):
    """The ``SalesOrderWithLineItemsRequestDto``: the order's date, location and customer on every line."""
    shared = dict((k, values.get(k)) for k in SHARED)
    body = {}
    for name in shared:
        if shared[name] is not None:
            body[SALES_ORDER.by_name[name].api] = SALES_ORDER.by_name[name].to_api(shared[name])
    lines = []
    for item in values.get("sale_order_line_items") or []:
        line = dict(shared, external_reference_id=line_reference(values["external_reference_id"], item["product_id"]))
        line.update((k, item.get(k)) for k in ("product_id", "quantity", "unit_price"))
        lines.append(SALES_ORDER_LINE.to_api(line))
    body["saleOrderLineItems"] = lines
    return body


def in_order(line, external_reference_id):
    """Whether a sales line belongs to the order with this reference."""
    return line["external_reference_id"] == line_reference(external_reference_id, line["product_id"])


def sales_order_from_lines(external_reference_id, lines):
    """Fold the flat sales lines of one order into the order, or None when it has none."""
    mine = [line for line in lines or [] if in_order(line, external_reference_id)]
    if not mine:
        return None
    first = mine[0]
    order = dict((field.name, first.get(field.name)) for field in SALES_ORDER.fields)
    order["external_reference_id"] = external_reference_id
    order["sale_order_line_items"] = [
        dict((field.name, line.get(field.name)) for field in SALES_ORDER.by_name["sale_order_line_items"].fields.fields)
        for line in mine]
    return order


# -- the calls ---------------------------------------------------------------------------------------------------
def list_sales_orders(client, product_id=None):
    """The sales order lines (for one product), or :data:`~engine.UNREADABLE` when the tenant cannot read them."""
    params = {"productId": product_id} if product_id else None
    try:
        data = client.transport.request("GET", "/api/SalesOrders", params=params).json()
    except NotFoundError:
        return UNREADABLE
    return [SALES_ORDER_LINE.from_api(item) for item in as_list(data)]


def write_sales_order(client, values):
    """Create or update an order with its lines by ``externalReferenceId`` (``PUT /api/SalesOrdersBulk``)."""
    return client.write("PUT", "/api/SalesOrdersBulk", sales_order_payload(values))


# -- the spec -----------------------------------------------------------------------------------------------------
def _find(ctx):
    ctx.memo["lines"] = list_sales_orders(ctx.client)
    if ctx.memo["lines"] is UNREADABLE:
        return UNREADABLE
    return sales_order_from_lines(ctx.params["external_reference_id"], ctx.memo["lines"])


def _complete(ctx, desired, current):
    """The whole order: the given values over the current order, every line keyed by ``line_reference``."""
    key = ctx.params["external_reference_id"]
    values = dict(desired)
    for name in SHARED + ("sale_order_line_items",):
        if current is None or current.get(name) is None:
            continue
        if values.get(name) is None:
            values[name] = current[name]
        elif SALES_ORDER.by_name[name].fields is not None:
            values[name] = SALES_ORDER.by_name[name].merged(values[name], current[name])
    if values.get("order_date") is None:
        raise InputError("order_date is required to create sales order %r%s" % (
            key, "" if ctx.memo["lines"] is not UNREADABLE else
            " (this tenant cannot read sales orders back, so it is needed on every run)"))
    if not values.get("sale_order_line_items"):
        raise InputError("sale_order_line_items is required to create sales order %r" % key)
    values["sale_order_line_items"] = [dict(item, external_reference_id=line_reference(key, item["product_id"]))
                                       for item in values["sale_order_line_items"]]
    return values


def _write(ctx, body, current, predicted):
    write_sales_order(ctx.client, body)
    if ctx.memo["lines"] is UNREADABLE:
        return None
    return sales_order_from_lines(body["external_reference_id"], list_sales_orders(ctx.client))


SALES_ORDER_RESOURCE = Resource(
    "sales_order", StockTrimClient, SALES_ORDER, key="external_reference_id",
    find=_find, complete=_complete, write=_write,
)


def _read(ctx):
    p = ctx.params
    lines = list_sales_orders(ctx.client, p["product_id"])
    if lines is UNREADABLE:
        ctx.warn("the sales orders could not be read back from the API on this tenant (it answers 404): "
                 "sales_orders is empty because nothing could be read, not because nothing matches")
        lines = []
    if p["product_id"]:
        lines = [line for line in lines if line["product_id"] == p["product_id"]]
    if p["external_reference_id"]:
        lines = [line for line in lines if line["external_reference_id"] == p["external_reference_id"]
                 or in_order(line, p["external_reference_id"])]
    return lines


SALES_ORDER_INFO = Info("sales_orders", StockTrimClient, _read, filters={
    "product_id": {"type": "str"},
    "external_reference_id": {"type": "str"},
})
