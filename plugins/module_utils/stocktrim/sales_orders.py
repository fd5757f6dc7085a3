# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""StockTrim sales orders, keyed the way the API keys them: by ``externalReferenceId``, sent as given.

A sales order is given in one of two forms:

* a single sale (the API's ``SalesOrderRequestDto``): ``product_id``, ``quantity``, ``unit_price`` and the
  order's date, location and customer; its key ``external_reference_id`` is the sale's own reference;
* an order of several lines (``sale_order_line_items``): each line is a sale of its own, keyed by its own
  ``external_reference_id`` as given; a line without one gets ``<order reference>/<product_id>``, the rule of
  earlier versions, so orders written by them are found again.

Both are written with ``PUT /api/SalesOrdersBulk``, which creates or updates each line by its
``externalReferenceId``: an upsert, so the transport may send it again after a lost answer and a rerun
finds what the lost answer created.  StockTrim can add and update a line but not delete one.
``GET /api/SalesOrders`` answers 404 for the whole collection on some tenants: the order is then
"unreadable" and written with the options given.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.apiops.platforms.plugins.module_utils.core.dates import format_datetime, parse_datetime
from ansible_collections.apiops.platforms.plugins.module_utils.core.engine import UNREADABLE, Action, Info, Resource, not_empty
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import InputError, NotFoundError
from ansible_collections.apiops.platforms.plugins.module_utils.core.models import DateField, Field, Model
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.client import StockTrimClient, as_list

LINE_KEY = "external_reference_id"

SALE_FIELDS = [
    Field("id", type="int", readonly=True),
    Field("external_reference_id", required=True),
    Field("product_id"),
    DateField("order_date"),
    Field("quantity", type="float", minimum=0),
    Field("unit_price", type="float", minimum=0),
    Field("location_code"),
    Field("location_name"),
    Field("customer_code"),
    Field("customer_name"),
]

# One sale as GET /api/SalesOrders answers it (``SalesOrderResponseDto``).
SALES_ORDER_LINE = Model(*SALE_FIELDS[:1] + [Field("location_id", type="int", readonly=True)] + SALE_FIELDS[1:])


class LinesField(Field):
    """The lines of a sales order, matched by their reference (``external_reference_id``).

    StockTrim can add and update a line but not delete one, so the list given is compared as "these lines, with
    these values" (other lines may exist), and a write keeps the others.  The lines' references are filled in
    (:func:`with_references`) before any comparison.
    """

    def same(self, desired, current):
        by_key = dict((item.get(LINE_KEY), item) for item in current or [])
        return all(item.get(LINE_KEY) in by_key and not self.fields.differences(item, by_key[item.get(LINE_KEY)])
                   for item in desired)

    def merged(self, desired, current):
        if desired is None:
            return current
        wanted = dict((item.get(LINE_KEY), item) for item in desired)
        result = []
        for item in current or []:
            key = item.get(LINE_KEY)
            result.append(self.fields.merge(item, wanted.pop(key)) if key in wanted else item)
        result.extend(self.fields.merge({}, item) for item in desired if item.get(LINE_KEY) in wanted)
        return result


SALES_ORDER_LINE_ITEM = [
    Field("id", type="int", readonly=True),
    Field("external_reference_id"),
    Field("product_id", required=True),
    Field("quantity", type="float", minimum=0, required=True),
    Field("unit_price", type="float", minimum=0),
]

SALES_ORDER = Model(*SALE_FIELDS + [LinesField("sale_order_line_items", type="list", fields=SALES_ORDER_LINE_ITEM)])
SHARED = ("order_date", "location_code", "location_name", "customer_code", "customer_name")
SINGLE = ("product_id", "quantity", "unit_price")
LINE_VALUES = ("product_id", "quantity", "unit_price")


def line_reference(external_reference_id, product_id):
    """The reference of a line given without one: ``<order reference>/<product id>``.

    The rule of earlier versions, which gave every line this reference: kept for the lines that do not name
    their own, so that the orders those versions wrote are found and updated, not written again.
    """
    return "%s/%s" % (external_reference_id, product_id)


def with_references(external_reference_id, items):
    """The lines given, each with its reference: its own, as given, else :func:`line_reference`."""
    return [dict(item, external_reference_id=item.get(LINE_KEY) or line_reference(external_reference_id, item["product_id"]))
            for item in items or []]


def is_lines(values):
    """Whether the order is given as several lines (``sale_order_line_items``), not as a single sale."""
    return values.get("sale_order_line_items") is not None


def sales_order_payload(values):
    """The ``SalesOrderWithLineItemsRequestDto``: the order's date, location and customer on every line.

    A single sale is one line whose reference is the order's own ``external_reference_id``.
    """
    shared = dict((k, values.get(k)) for k in SHARED)
    body = {}
    for name in shared:
        if shared[name] is not None:
            body[SALES_ORDER.by_name[name].api] = SALES_ORDER.by_name[name].to_api(shared[name])
    if values.get("sale_order_line_items"):
        items = with_references(values["external_reference_id"], values["sale_order_line_items"])
    else:
        items = [dict((k, values.get(k)) for k in (LINE_KEY,) + LINE_VALUES)]
    lines = []
    for item in items:
        line = dict(shared)
        line.update((k, item.get(k)) for k in (LINE_KEY,) + LINE_VALUES)
        lines.append(SALES_ORDER_LINE.to_api(line))
    body["saleOrderLineItems"] = lines
    return body


def in_order(line, external_reference_id, references=()):
    """Whether a sales line belongs to the order with this reference (its line references ``references``)."""
    return line[LINE_KEY] in references or line[LINE_KEY] == line_reference(external_reference_id, line["product_id"])


def sales_order_from_lines(external_reference_id, lines, references=()):
    """Fold the flat sales lines of one order of several lines into the order, or None when it has none."""
    mine = [line for line in lines or [] if in_order(line, external_reference_id, references)]
    if not mine:
        return None
    first = mine[0]
    order = dict((field.name, None) for field in SALES_ORDER.fields)
    order.update((name, first.get(name)) for name in SHARED)
    order["external_reference_id"] = external_reference_id
    order["sale_order_line_items"] = [
        dict((field.name, line.get(field.name)) for field in SALES_ORDER.by_name["sale_order_line_items"].fields.fields)
        for line in mine]
    return order


def sale_from_lines(external_reference_id, lines):
    """The single sale with exactly this reference, as an order without lines, or None."""
    for line in lines or []:
        if line[LINE_KEY] == external_reference_id:
            return SALES_ORDER.from_api(line)
    return None


# -- the calls ---------------------------------------------------------------------------------------------------
def list_sales_orders(client, product_id=None):
    """The sales order lines (for one product), or :data:`~engine.UNREADABLE` when the tenant cannot read them."""
    params = {"productId": product_id} if product_id else None
    try:
        data = client.transport.request("GET", "/api/SalesOrders", params=params, idempotent=True).json()
    except NotFoundError:
        return UNREADABLE
    return [SALES_ORDER_LINE.from_api(item) for item in as_list(data)]


def write_sales_order(client, values):
    """Create or update an order with its lines by ``externalReferenceId`` (``PUT /api/SalesOrdersBulk``)."""
    return client.write("PUT", "/api/SalesOrdersBulk", sales_order_payload(values), idempotent=True)  # upsert by key


# -- the spec -----------------------------------------------------------------------------------------------------
def _check(ctx):
    """The two forms exclude each other; every line's reference is distinct and not empty."""
    p = ctx.params
    single = [name for name in SINGLE if p.get(name) is not None]
    if single and is_lines(p):
        raise InputError("%s and sale_order_line_items are two forms of a sales order: give product_id, quantity and "
                         "unit_price for a single sale, or sale_order_line_items for an order of several lines, not both"
                         % " and ".join(single))
    if p.get("product_id") is not None and not p["product_id"].strip():
        raise InputError("product_id must not be empty")
    seen = {}
    for index, item in enumerate(p.get("sale_order_line_items") or []):
        here = "sale_order_line_items[%d]" % index
        if not str(item["product_id"]).strip():
            raise InputError("%s.product_id must not be empty" % here)
        own = item.get(LINE_KEY)
        if own is not None and not own.strip():
            raise InputError("%s.external_reference_id must not be empty; leave it out to have %r" % (
                here, line_reference(p["external_reference_id"], item["product_id"])))
        reference = own or line_reference(p["external_reference_id"], item["product_id"])
        if reference in seen:
            how = "" if own else " (the reference of a line without external_reference_id: <external_reference_id>/<product_id>)"
            raise InputError("%s: the line reference %r%s is already the one of sale_order_line_items[%d]; give each "
                             "line its own external_reference_id" % (here, reference, how, seen[reference]))
        seen[reference] = index


def _references(values):
    return [item[LINE_KEY] for item in with_references(values["external_reference_id"], values.get("sale_order_line_items"))]


def _found(params, lines):
    """The order in the form given: the lines it names (or that follow the old rule), or the single sale."""
    if is_lines(params):
        return sales_order_from_lines(params["external_reference_id"], lines, _references(params))
    return sale_from_lines(params["external_reference_id"], lines)


def _find(ctx):
    ctx.handed["lines"] = list_sales_orders(ctx.client)
    if ctx.handed["lines"] is UNREADABLE:
        return UNREADABLE
    found = _found(ctx.params, ctx.handed["lines"])
    if found is None and not is_lines(ctx.params):
        older = sales_order_from_lines(ctx.params["external_reference_id"], ctx.handed["lines"])
        if older is not None:
            ctx.warn("sales order %r has lines written as an order of several lines (%s): the single sale %s beside "
                     "them; give sale_order_line_items to update those lines instead"
                     % (ctx.params["external_reference_id"],
                        ", ".join(line[LINE_KEY] for line in older["sale_order_line_items"]),
                        "would be recorded" if ctx.check_mode else "is recorded"))
    return found


def _desired(ctx, current):
    """The options given, each line with its reference, so that lines are compared by it."""
    desired = SALES_ORDER.desired(ctx.params)
    if is_lines(ctx.params):
        desired["sale_order_line_items"] = with_references(ctx.params["external_reference_id"],
                                                           desired["sale_order_line_items"])
    return desired


def _complete(ctx, desired, current):
    """The whole order: the given values over the current one (a single sale, or the order and its lines)."""
    key = ctx.params["external_reference_id"]
    values = SALES_ORDER.merge(current, desired) if current is not None else dict(desired)
    needed = ["order_date"] + (["sale_order_line_items"] if is_lines(ctx.params) else ["product_id", "quantity"])
    missing = [name for name in needed if values.get(name) in (None, [])]
    if missing:
        unreadable = ctx.handed["lines"] is UNREADABLE
        raise InputError("%s %s required to %s sales order %r%s" % (
            " and ".join(missing), "are" if len(missing) > 1 else "is", "write" if unreadable else "create", key,
            " (this tenant cannot read sales orders back, so they are needed on every run)" if unreadable else ""))
    return values


def _write(ctx, body, current, predicted):
    write_sales_order(ctx.client, body)
    if ctx.handed["lines"] is UNREADABLE:
        return None
    return _found(ctx.params, list_sales_orders(ctx.client))


SALES_ORDER_RESOURCE = Resource(
    "sales_order", StockTrimClient, SALES_ORDER, key="external_reference_id",
    check=_check, find=_find, desired=_desired, complete=_complete, write=_write,
    hands_on={"lines": (list, type(UNREADABLE))},  # find's read of the lines, for complete and write
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
        lines = [line for line in lines if in_order(line, p["external_reference_id"], (p["external_reference_id"],))]
    return lines


SALES_ORDER_INFO = Info("sales_orders", StockTrimClient, _read, filters={
    "product_id": {"type": "str"},
    "external_reference_id": {"type": "str"},
})


# -- deleting sales history ------------------------------------------------------------------------------------
# StockTrim deletes sales in bulk only: by product, by date range (optionally of one product), by location, or
# all of them; never one order by its reference.
HISTORY_OPTIONS = {
    "product_id": {"type": "str"},
    "from_date": {"type": "str"},
    "to_date": {"type": "str"},
    "location_code_or_name": {"type": "str"},
    "all": {"type": "bool", "default": False},
    "confirm": {"type": "bool", "default": False},
}


def _check_history(ctx):
    """Exactly one selection the API can delete, dates as a range, and ``all`` only when confirmed."""
    p = ctx.params
    not_empty(p, "product_id", "from_date", "to_date", "location_code_or_name")
    for name in ("from_date", "to_date"):
        if p[name] is not None:
            DateField(name).check(p[name], name)
    if (p["from_date"] is None) != (p["to_date"] is None):
        raise InputError("from_date and to_date are given together: the API deletes a range with both bounds")
    if p["from_date"] is not None and parse_datetime(p["from_date"]) > parse_datetime(p["to_date"]):
        raise InputError("from_date %s is after to_date %s" % (p["from_date"], p["to_date"]))
    given = [name for name in ("product_id", "from_date", "location_code_or_name") if p[name] is not None]
    if p["all"]:
        if given:
            raise InputError("all deletes every sales order; it cannot be combined with %s"
                             % " or ".join("from_date and to_date" if n == "from_date" else n for n in given))
        if not p["confirm"]:
            raise InputError("all deletes every sales order of the tenant: set confirm=true to confirm")
    elif p["confirm"]:
        raise InputError("confirm applies only with all=true")
    elif not given:
        raise InputError("give what to delete: product_id, from_date and to_date (optionally with product_id), "
                         "location_code_or_name, or all with confirm")
    elif p["location_code_or_name"] is not None and len(given) > 1:
        raise InputError("location_code_or_name cannot be combined with product_id, from_date or to_date: the API "
                         "deletes the sales of a location alone")


def _selected(params, line):
    """Whether a sales line is one the options select."""
    p = params
    if p["product_id"] is not None and line["product_id"] != p["product_id"]:
        return False
    if p["from_date"] is not None:
        when = parse_datetime(line["order_date"]) if line["order_date"] else None
        if when is None or not parse_datetime(p["from_date"]) <= when <= parse_datetime(p["to_date"]):
            return False
    where = p["location_code_or_name"]
    return where is None or where in (line["location_code"], line["location_name"])


def _history(ctx):
    """The sales lines the options select (none, with ``readable`` false, when the tenant cannot read them)."""
    lines = list_sales_orders(ctx.client, ctx.params["product_id"])
    ctx.extra["readable"] = lines is not UNREADABLE
    if lines is UNREADABLE:
        ctx.warn("the sales orders could not be read back from the API on this tenant, so it could not be told "
                 "whether any match: the delete %s and reported as changed"
                 % ("would be sent" if ctx.check_mode else "was sent"))
        lines = []
    selected = [line for line in lines if _selected(ctx.params, line)]
    ctx.extra["deleted"] = selected
    ctx.extra["count"] = len(selected) if ctx.extra["readable"] else None
    return {"sales_orders": selected}


def delete_sales_history(client, params):
    """The one DELETE that removes what the options select. Each removes a selection, not one object a read could
    tell apart: sending it again removes nothing more, so each is declared safe to repeat (StockTrimClient.delete
    without ``exists``: a 404 after an attempt whose answer was lost counts as done)."""
    p = params
    if p["all"]:
        return client.delete("/api/SalesOrders/All")
    if p["location_code_or_name"] is not None:
        return client.delete("/api/SalesOrdersLocation", {"locationCodeOrName": p["location_code_or_name"]})
    if p["from_date"] is not None:
        query = {"fromDate": format_datetime(p["from_date"]), "toDate": format_datetime(p["to_date"])}
        if p["product_id"] is not None:
            query["productId"] = p["product_id"]
        return client.delete("/api/SalesOrders/Range", query)
    return client.delete("/api/SalesOrders", {"productId": p["product_id"]})


def _after_delete(ctx, before, answer):
    if not ctx.extra["readable"]:
        return {"sales_orders": []}
    lines = list_sales_orders(ctx.client, ctx.params["product_id"])
    return {"sales_orders": [line for line in lines if _selected(ctx.params, line)] if lines is not UNREADABLE else []}


SALES_HISTORY = Action(
    "sales_history", StockTrimClient, options=HISTORY_OPTIONS, check=_check_history,
    identity=("product_id", "location_code_or_name"),
    read=_history,
    needed=lambda ctx, before: bool(before["sales_orders"]) or not ctx.extra["readable"],
    predict=lambda ctx, before: {"sales_orders": []},
    act=lambda ctx, before: (delete_sales_history(ctx.client, ctx.params) or True, None),
    follow=_after_delete,
)
