# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The order side of StockTrim: purchase orders, sales orders, bills of materials, the forecast, the order plan.

One typed :class:`~models.Model` per resource (the option names, the result keys and the comparison all
come from it), :class:`StockTrimOrdersClient` with the API calls, and one ``run_*`` function per module so
that each module file is its documentation, its spec and one call.

Which calls may be sent twice, and why:

* ``POST /api/PurchaseOrders`` creates or updates by ``clientReferenceNumber``, ``PUT /api/SalesOrdersBulk``
  by ``externalReferenceId``: upserts by key, so a repeat leaves the same state (retried).
* ``POST /api/boms`` sets the quantity of the line named by its natural key (``productId`` +
  ``componentId``); the same body sent again sets the same quantity on the same line, so it is treated as
  an upsert by key (retried).
* ``POST /api/OrderPlan`` is a query with its filter in the body: it changes nothing (retried).
* ``POST /api/RunForecastCalculations`` starts a calculation each time it is received and
  ``POST /api/SalesOrders`` adds a sales line each time: sent once, never again once the server may
  have received them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json
import re
import time

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover - Python 2 is not supported, kept for the import sanity test
    from urllib import quote  # type: ignore

from ansible_collections.apiops.platforms.plugins.module_utils.errors import (
    ApiError,
    InputError,
    NotFoundError,
    RequestTimeoutError,
    ServerError,
    TransportError,
    ValidationError,
)
from ansible_collections.apiops.platforms.plugins.module_utils.models import Field, Model
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim import StockTrimClient, as_list, check_keys

PO_STATUSES = ["Draft", "Approved", "Sent", "Received"]
CURRENT_STATUSES = ["Current", "Discontinued", "All"]

_DATE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,7}))?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$",
    re.IGNORECASE,
)


def parse_datetime(value):
    """An ISO 8601 date or date-time (as StockTrim reads and writes them) to a naive UTC datetime.

    StockTrim answers without a time zone (``2025-10-30T22:21:33.307``); a value with an offset is
    converted to UTC.  Returns None when ``value`` is not such a date.
    """
    if isinstance(value, datetime.datetime):
        parsed = value
    elif isinstance(value, datetime.date):
        parsed = datetime.datetime(value.year, value.month, value.day)
    else:
        match = _DATE.match(str(value).strip())
        if not match:
            return None
        year, month, day, hour, minute, second, fraction, zone = match.groups()
        micro = int((fraction or "0").ljust(6, "0")[:6])
        try:
            parsed = datetime.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                                       int(second or 0), micro)
        except ValueError:
            return None
        if zone and zone.upper() != "Z":
            sign = -1 if zone[0] == "-" else 1
            digits = zone[1:].replace(":", "")
            offset = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
            parsed = parsed - sign * offset
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return parsed


def today():
    """Today's date (UTC) at midnight, in the form dates are returned in."""
    now = datetime.datetime.now(datetime.timezone.utc)
    return "%04d-%02d-%02dT00:00:00" % (now.year, now.month, now.day)


def format_datetime(value):
    """The one form dates are returned in: ``YYYY-MM-DDTHH:MM:SS`` (with milliseconds when there are some)."""
    parsed = parse_datetime(value)
    if parsed is None:
        return value
    text = parsed.strftime("%Y-%m-%dT%H:%M:%S")
    if parsed.microsecond:
        text += (".%03d" % (parsed.microsecond // 1000)) if parsed.microsecond % 1000 == 0 else (".%06d" % parsed.microsecond)
    return text


class DateField(Field):
    """A date-time: given as ISO 8601 (a date alone is midnight), compared as a point in time,
    returned as ``YYYY-MM-DDTHH:MM:SS``."""

    def __init__(self, name, **kwargs):
        kwargs.setdefault("type", "str")
        super(DateField, self).__init__(name, **kwargs)

    def check(self, value, option):
        if value is not None and parse_datetime(value) is None:
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


class NumberField(Field):
    """A number with a lower bound, refused before any request when below it."""

    def __init__(self, name, minimum=None, **kwargs):
        kwargs.setdefault("type", "float")
        super(NumberField, self).__init__(name, **kwargs)
        self.minimum = minimum

    def check(self, value, option):
        if value is not None and self.minimum is not None and value < self.minimum:
            raise InputError("%s must be %s or more, got %s" % (option, _number(self.minimum), _number(value)))


def _number(value):
    return ("%d" % value) if float(value).is_integer() else ("%s" % value)


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


def check_input(model, values, prefix=""):
    """Refuse bad input before any request: dates, lower bounds, duplicate keys of set-like lists.

    Every message names the option, with the position in a list (``purchase_order_line_items[2].quantity``).
    """
    for field in model.fields:
        if not field.option or values.get(field.name) is None:
            continue
        value = values[field.name]
        option = prefix + field.name
        if hasattr(field, "check"):
            field.check(value, option)
        if field.fields is None:
            continue
        if field.type == "list":
            seen = set()
            for index, item in enumerate(value):
                check_input(field.fields, item or {}, "%s[%d]." % (option, index))
                if field.list_key:
                    key = (item or {}).get(field.list_key)
                    if key in seen:
                        raise InputError("%s lists %s %r more than once" % (option, field.list_key, key))
                    seen.add(key)
        else:
            check_input(field.fields, value, option + ".")


# -- the models ------------------------------------------------------------------------------------

PO_SUPPLIER = [
    Field("supplier_code"),
    Field("supplier_name"),
]

PO_LOCATION = [
    Field("location_code"),
    Field("location_name"),
]

PO_LINE_ITEM = [
    Field("product_id", required=True),
    NumberField("quantity", minimum=0, required=True),
    NumberField("unit_price", minimum=0),
    DateField("received_date"),
]

PURCHASE_ORDER = Model(
    Field("id", type="int", readonly=True),
    Field("client_reference_number", required=True),
    DateField("order_date"),
    DateField("created_date"),
    DateField("fully_received_date"),
    Field("supplier", type="dict", fields=PO_SUPPLIER),
    Field("location", type="dict", fields=PO_LOCATION),
    ChoiceField("status", choices=PO_STATUSES),
    Field("purchase_order_line_items", type="list", fields=PO_LINE_ITEM, list_key="product_id"),
    Field("external_id"),
    Field("reference_number"),
    Field("message", readonly=True),
)

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
    NumberField("quantity", minimum=0, required=True),
    NumberField("unit_price", minimum=0),
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

BOM = Model(
    Field("id", type="int", readonly=True),
    Field("product_id", required=True),
    Field("component_id", required=True),
    NumberField("quantity", minimum=0),
    Field("assembly_time_days", type="int", readonly=True),
)

PROCESSING_STATUS = Model(
    Field("id", type="int", readonly=True),
    Field("is_processing", type="bool", readonly=True),
    PercentField("percentage_complete", type="int", readonly=True),
    Field("status_message", readonly=True),
)

ORDER_PLAN_FILTERS = Model(
    Field("exclude_manufactured", type="bool"),
    ChoiceField("current_status", choices=CURRENT_STATUSES),
    Field("location_id", type="int"),
    Field("location"),
    Field("customer_id", type="int"),
    Field("customer"),
    Field("supplier_id", type="int"),
    Field("supplier"),
    Field("category"),
    Field("search_string"),
    Field("sort_order"),
)


def _readonly(spec):
    fields = []
    for item in spec.split():
        name, _sep, kind = item.partition(":")
        api = None
        if "=" in name:
            name, api = name.split("=", 1)
        fields.append(DateField(name, api=api, readonly=True) if kind == "date"
                      else Field(name, api=api, type=kind or "str", readonly=True))
    return fields


# The order plan's rows (SkuOptimizedResultsDto), every field in snake_case.
ORDER_PLAN_RESULT = Model(*_readonly("""
    id:int sku_property_id:int sku_id:int location_id:int channel_id:int sku_grouping_id:int
    sku_optimized_results_group_id:int tenant_id calculated_date_time:date effective_to_date_time:date
    reorder_point:float order_quantity:float lead_demand:float forecast_period_demand:float
    overridden_future_demand_effective_from_now:float safety_stock_level:float economic_order_quantity:float
    optimial_stock_cycle:float lead_time_days:int reorder_frequency_days:int order_count:int
    latest_order_date:date first_purchase_date:date minimum_order_quantity:int batch_size:int
    stock_on_hand:float stock_on_order:float finished_good_stock_on_hand:float
    finished_good_stock_on_order:float finished_good_quantity_used:float component_stock_on_hand:float
    days_until_replenishment_due:int days_until_stock_out:int is_uncertain:bool
    orders_in_previous_lead_time:float avg_daily_orders_last120_days=avgDailyOrdersLast120Days:float
    lead_demand_prediction_based_on_average:float lead_demand_prediction_based_on_linear_regression:float
    lead_demand_prediction_based_on_2nd_order_polynomial_regression=leadDemandPredictionBasedOn2ndOrderPolynomialRegression:float
    lead_demand_prediction_based_on_last_month:float
    lead_demand_prediction_based_on_previous_leadtime_days:float standard_dev:float service_factor:float
    max_r_squared=maxRSquared:float min_r_squared=minRSquared:float max_range:float parent_quantity:float
    most_accurate_algorithm_type_id:int error_text category sub_category brand product_type option1 option2
    option3 size product_code name sku_cost:float sku_price:float is_discontinued:bool is_unstocked:bool
    product_of_count:int component_of_count:int customer_count:int location_count:int location_name
    show_forecast_for_all_locations:bool manufacturing_time:float minimum_shelf_level:float
    maximum_shelf_level:float service_level:float weight:float height:float width:float length:float
    dimensions_cubic_meters:float external_id sku_code external_id_parent sku_code_parent
    child_variants_count:int
"""))


# -- the client -------------------------------------------------------------------------------------

class StockTrimOrdersClient(StockTrimClient):
    """The order-side calls of the StockTrim API, each returning typed result dicts."""

    po_page_size = 50
    order_plan_page_size = 50
    max_pages = 10000
    max_bom_deletes = 10

    # the primitives the order side adds -------------------------------------------------------------
    def write(self, method, path, body=None, idempotent=True):
        """Send a write; its answer as JSON, or None when it has none or it is not JSON.

        A write that succeeded (2xx) is never turned into a failure by what its answer looks like: an empty
        body, a text such as ``Created``, an object or a list are all accepted, and the callers re-read
        when the answer does not show the object written.
        """
        resp = self.transport.request(method, path, json=body, idempotent=idempotent)
        try:
            return resp.json()
        except TransportError:
            return None

    def pages(self, fetch, key, page_size):
        """Every item of a paginated read; ``fetch(page)`` gives ``(items, more)`` for one page, ``more``
        being what the server said about a next page (True, False, or None when it did not say).

        Ends when the server says there is no next page; when it did not say, on an empty or short page;
        in every case on a page with nothing new (a server that ignores the page number), so a read always
        ends.  A server that counts pages from 1 is followed too: page 0 refused (400) starts again at 1,
        and a page 1 that only repeats page 0 (page 0 read as the first page) is skipped once.
        """
        found, seen, page, skipped = [], set(), 0, False
        for _count in range(self.max_pages):
            try:
                items, more = fetch(page)
            except ValidationError:
                if page != 0 or found:
                    raise
                page = 1
                continue
            fresh = []
            for item in items:
                mark = key(item)
                if mark not in seen:
                    seen.add(mark)
                    fresh.append(item)
            found.extend(fresh)
            if not fresh and items and page == 1 and not skipped and more is not False:
                skipped = True
                page += 1
                continue
            if not fresh or more is False or (more is None and len(items) < page_size):
                break
            page += 1
        return found

    # purchase orders --------------------------------------------------------------------------------
    def get_purchase_order(self, client_reference_number):
        """The purchase order with this client reference number, or None.

        ``GET /api/PurchaseOrders?referenceNumber=`` answers one object (or a list), or 404 when there is
        none (and 404 for everything on some tenants).  Only an order whose ``clientReferenceNumber`` is
        the one asked for is taken: the filter may match StockTrim's own ``referenceNumber`` instead.
        When that read finds nothing, ``GET /api/V2/PurchaseOrders/{referenceNumber}`` is asked, and then
        the paginated V2 list is searched, so that an order is found whichever of its two references the
        server's filters match.
        """
        for found in (self.get_list("/api/PurchaseOrders", {"referenceNumber": client_reference_number}),
                      self.get_list("/api/V2/PurchaseOrders/" + quote(client_reference_number, safe=""))):
            for item in found:
                if not isinstance(item, dict):
                    continue
                order = PURCHASE_ORDER.from_api(item)
                if order["client_reference_number"] == client_reference_number:
                    return order
        for order in self.list_purchase_orders():
            if order["client_reference_number"] == client_reference_number:
                return order
        return None

    def list_purchase_orders(self, status=None):
        """Every purchase order (``GET /api/V2/PurchaseOrders``, all pages), optionally of one status."""
        def fetch(page):
            params = {"page": page, "pageSize": self.po_page_size}
            if status:
                params["status"] = status
            return [PURCHASE_ORDER.from_api(item) for item in self.get_list("/api/V2/PurchaseOrders", params)
                    if isinstance(item, dict)], None

        found = self.pages(fetch, lambda o: (o["id"], o["client_reference_number"], o["reference_number"]),
                           self.po_page_size)
        if status:
            found = [o for o in found if o["status"] in (None, status)]
        return found

    def save_purchase_order(self, values):
        """Create or update by ``clientReferenceNumber`` (an upsert: retried when it fails in transit).

        The order the server answered with (201 or 200), or None when the answer does not show it whole.
        """
        data = self.write("POST", "/api/PurchaseOrders", PURCHASE_ORDER.to_api(values))
        for item in as_list(data):
            if isinstance(item, dict):
                order = PURCHASE_ORDER.from_api(item)
                if (order["client_reference_number"] == values["client_reference_number"] and order["id"] is not None
                        and order["supplier"] and order["purchase_order_line_items"]):
                    return order
        return None

    def delete_purchase_order(self, client_reference_number, reference_number=None):
        """Delete the order with this client reference and make sure it is gone.

        ``DELETE /api/PurchaseOrders?referenceNumber=`` (204, 200) is sent by the client reference, then the
        order is read again: the filter may match StockTrim's own ``referenceNumber`` instead, and a server
        may answer 204 although nothing matched.  While the order is still there and its own
        ``reference_number`` is another one, the DELETE is sent by that one and the order read again.  An
        order still there after both is a failure, never a reported success: a :class:`ServerError` when a
        DELETE answered success without deleting, the :class:`NotFoundError` when every DELETE answered 404.
        False when the order was gone without any DELETE succeeding (deleted meanwhile).
        """
        refs = [client_reference_number]
        if reference_number and reference_number != client_reference_number:
            refs.append(reference_number)
        succeeded, missing = None, None
        for ref in refs:
            try:
                resp = self.transport.request("DELETE", "/api/PurchaseOrders", params={"referenceNumber": ref})
            except NotFoundError as err:
                missing = err  # nothing matched this reference: the next one, or the read below, decides
                continue
            succeeded = (ref, resp)
            if self.get_purchase_order(client_reference_number) is None:
                return True
        if succeeded is None and self.get_purchase_order(client_reference_number) is None:
            return False
        tried = " and by ".join("referenceNumber %r" % ref for ref in refs)
        if succeeded is None:
            missing.msg = ("purchase order %r exists, but DELETE /api/PurchaseOrders by %s answered 404; it was not "
                           "deleted" % (client_reference_number, tried))
            raise missing
        ref, resp = succeeded
        raise ServerError(
            "purchase order %r is still there after DELETE /api/PurchaseOrders by %s answered %s: the server did "
            "not delete it" % (client_reference_number, tried, getattr(resp, "status", "success")),
            status=getattr(resp, "status", None), method="DELETE", attempts=getattr(resp, "attempts", 1),
            url=getattr(resp, "url", None) or (self.transport.url_for("/api/PurchaseOrders") + "?referenceNumber="
                                               + quote(ref, safe="")))

    # sales orders -----------------------------------------------------------------------------------
    def list_sales_orders(self, product_id=None):
        """The sales order lines (for one product), or None when the tenant cannot read them back.

        ``GET /api/SalesOrders`` answers 404 for the whole collection on production tenants.
        """
        params = {"productId": product_id} if product_id else None
        try:
            data = self.transport.request("GET", "/api/SalesOrders", params=params).json()
        except NotFoundError:
            return None
        return [SALES_ORDER_LINE.from_api(item) for item in as_list(data)]

    def save_sales_order(self, values):
        """Create or update an order with its lines by ``externalReferenceId`` (``PUT /api/SalesOrdersBulk``)."""
        return self.write("PUT", "/api/SalesOrdersBulk", sales_order_payload(values))

    def create_sales_order_line(self, values):
        """Add one sales line (``POST /api/SalesOrders``): acts every time, so it is sent once only."""
        data = self.write("POST", "/api/SalesOrders", SALES_ORDER_LINE.to_api(values), idempotent=False)
        return SALES_ORDER_LINE.from_api(data) if isinstance(data, dict) else None

    # bills of materials -----------------------------------------------------------------------------
    def list_boms(self, product_id=None, component_id=None):
        """The BOM lines (of one product, of one component): ``GET /api/boms`` answers a list, one object, or
        404 for none, with 200 or (as the spec says) 201; the filters are applied here as well."""
        params = {}
        if product_id:
            params["productId"] = product_id
        if component_id:
            params["componentId"] = component_id
        found = [BOM.from_api(item) for item in self.get_list("/api/boms", params or None) if isinstance(item, dict)]
        return [b for b in found
                if (not product_id or b["product_id"] == product_id) and (not component_id or b["component_id"] == component_id)]

    def get_bom(self, product_id, component_id):
        found = self.list_boms(product_id, component_id)
        return found[0] if found else None

    def save_bom(self, values):
        """Set a BOM line's quantity by its natural key, and leave exactly one line for that key.

        Whether ``POST /api/boms`` updates the line of that key or adds another one is not documented.
        It is sent as an upsert (retried when it fails in transit); the lines are then read back, and when
        the server added a second line for the key (or a retry did; a read that answers one object shows
        the old line unchanged then), the lines of the key are deleted and the line written once more.
        The line after the write, or None when it could not be read.
        """
        product_id, component_id = values["product_id"], values["component_id"]
        body = BOM.to_api(values)
        self.write("POST", "/api/boms", body)
        found = self.list_boms(product_id, component_id)
        if len(found) > 1 or (found and BOM.differences(values, found[0])):
            # a second line for the key (or one the read cannot show, the first keeping the old quantity)
            self.delete_bom(product_id, component_id)
            self.write("POST", "/api/boms", body)
            found = self.list_boms(product_id, component_id)
        return found[0] if found else None

    def delete_bom(self, product_id, component_id):
        """``DELETE /api/boms`` (201, 200 or 204) until no line of the key is left (a server may delete one
        line a call); False when there was none."""
        deleted = False
        for _count in range(self.max_bom_deletes):
            if not self.delete("/api/boms", {"productId": product_id, "componentId": component_id}):
                break
            deleted = True
            if not self.list_boms(product_id, component_id):
                break
        return deleted

    # forecast ---------------------------------------------------------------------------------------
    def processing_status(self):
        """``GET /api/ProcessingStatus``; ``is_processing`` filled in from the percentage when the server
        leaves it out (processing while below 100)."""
        resp = self.transport.request("GET", "/api/ProcessingStatus")
        try:
            data = resp.json()
        except TransportError:
            data = None
        status = PROCESSING_STATUS.from_api(data if isinstance(data, dict) else {})
        if status["is_processing"] is None:
            status["is_processing"] = status["percentage_complete"] is not None and status["percentage_complete"] < 100
        return status

    def run_forecast(self):
        """Start the forecast calculation: a trigger, sent once and never re-sent (201, any answer)."""
        self.write("POST", "/api/RunForecastCalculations", idempotent=False)

    def wait_for_forecast(self, timeout, sleep, clock=time.monotonic, pause=time.sleep, before=None):
        """Poll ``GET /api/ProcessingStatus`` until it is no longer processing; the last status.

        ``before`` is the status read before the start: a first reading identical to it that is not
        processing may mean that the server has not picked the calculation up yet, so it is read once more
        after ``sleep`` before the wait ends.
        """
        deadline = clock() + timeout
        first = True
        while True:
            status = self.processing_status()
            stale = first and before is not None and status == before
            first = False
            if not status["is_processing"] and not stale:
                return status
            if clock() + sleep > deadline:
                if not status["is_processing"]:
                    return status
                err = RequestTimeoutError(
                    "the forecast calculation was still running after %ss (%s%% complete%s); raise wait_timeout or "
                    "check again later" % (_number(timeout), status["percentage_complete"] or 0,
                                           (": " + status["status_message"]) if status["status_message"] else ""),
                    method="GET", url=self.transport.url_for("/api/ProcessingStatus"))
                err.status_result = status
                raise err
            pause(sleep)

    # order plan -------------------------------------------------------------------------------------
    def order_plan(self, filters):
        """Every row of the order plan for these filters (``POST /api/OrderPlan``, a query, all pages).

        The page travels in the body (``page`` from 0, ``perPage``).  The next page is asked for while the
        echoed ``filterCriteria.hasNextPage`` is true; when the server does not say, while pages are full.
        A page with no new row (a server that ignores ``page``) ends it, so the read always terminates.
        The query changes nothing, so it is marked idempotent (retried after 429/502/503/504 and lost
        connections; a 500, such as the HTML error page StockTrim sometimes answers, is never retried).
        """
        body = ORDER_PLAN_FILTERS.to_api(filters)

        def fetch(page):
            query = dict(body, page=page, perPage=self.order_plan_page_size)
            try:
                data = self.transport.request("POST", "/api/OrderPlan", json=query, idempotent=True).json()
            except NotFoundError:
                return [], False  # "nothing there", as the API's other reads say it
            rows = (data.get("results") or []) if isinstance(data, dict) else as_list(data)
            echo = data.get("filterCriteria") if isinstance(data, dict) else None
            more = echo.get("hasNextPage") if isinstance(echo, dict) else None
            return ([ORDER_PLAN_RESULT.from_api(row) for row in rows if isinstance(row, dict)],
                    more if isinstance(more, bool) else None)

        return self.pages(fetch, order_plan_row_key, self.order_plan_page_size)


# Fields of an order plan row that the server computes again on every read (the time of the reading).
ORDER_PLAN_COMPUTED = ("calculated_date_time", "effective_to_date_time")


def order_plan_row_key(row):
    """The identity of one row of the order plan: its product (and SKU) at its location.

    A row cannot be told by its whole content: StockTrim computes some fields again on every read (such as
    ``calculated_date_time``), so a page read twice (a server counting pages from 1 that answers page 0 as
    page 1) would not look like a repeat.  A row without a product code is told by every field but the
    computed ones.
    """
    if row.get("product_code") is not None:
        return json.dumps([row.get(name) for name in ("product_code", "sku_code", "location_id", "location_name",
                                                      "channel_id")], default=str)
    return json.dumps(dict((k, v) for k, v in row.items() if k not in ORDER_PLAN_COMPUTED), sort_keys=True, default=str)


def line_reference(external_reference_id, product_id):
    """The StockTrim key of one line of an order: ``<order reference>/<product id>``.

    ``PUT /api/SalesOrdersBulk`` creates or updates each line by its own ``externalReferenceId``, so the lines
    of one order need distinct keys; this rule gives each line one that stays the same from run to run.
    """
    return "%s/%s" % (external_reference_id, product_id)


def sales_order_payload(values):
    """The ``SalesOrderWithLineItemsRequestDto``: the order's date, location and customer on every line."""
    shared = dict((k, values.get(k)) for k in ("order_date", "location_code", "location_name", "customer_code", "customer_name"))
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


# -- what each module does ----------------------------------------------------------------------------

def _merge_nested(model, desired, current):
    """``desired`` with its nested objects and list elements completed from ``current`` (the write's body).

    StockTrim's upserts take whole nested objects: a line item or a supplier sent without a field would
    lose it.  Top-level fields not given are left out (so ``orderDate``, which cannot be cleared, is never
    sent as null).
    """
    values = dict(desired)
    for field in model.fields:
        if field.fields is not None and values.get(field.name) is not None and current:
            if not _replaces(field, values[field.name], current.get(field.name)):
                values[field.name] = field.merged(values[field.name], current.get(field.name))
    return values


def _replaces(field, desired, current):
    """Whether a nested object given names another one than the current (another supplier, location):
    then it is taken as given, not completed with the current one's fields (such as its name)."""
    if field.type != "dict" or not isinstance(desired, dict) or not isinstance(current, dict):
        return False
    key = field.fields.fields[0].name
    return desired.get(key) is not None and desired.get(key) != current.get(key)


def _predict(model, desired, current, values):
    """Check mode's prediction: ``values`` (the write's body) over ``current``."""
    predicted = model.merge(current, values)
    for field in model.fields:
        if field.fields is not None and current and _replaces(field, values.get(field.name), current.get(field.name)):
            predicted[field.name] = field.fields.merge({}, values[field.name])
    return predicted


# The nested objects of a purchase order StockTrim may complete with the name of its stored record:
# (field, its code, its name, the catalogue lookup giving the stored record or None).
_PO_NAMED = (
    ("supplier", "supplier_code", "supplier_name", lambda client, code: client.find_supplier(code)),
    ("location", "location_code", "location_name", lambda client, code: client.find_location(code)[1]),
)


def _name_from_catalogue(client, values, desired, current, found):
    """Fill in the name of a supplier or location the write would send with a code and no name (created, or
    named by another code than the current one's) from its stored record, as StockTrim may, so that the
    write sends it and check mode predicts it.  Each is looked up once per run (``found`` keeps the
    answers); not found (or locations unreadable on this tenant), the name stays null."""
    for name, code_key, name_key, lookup in _PO_NAMED:
        given = desired.get(name)
        if not isinstance(given, dict) or given.get(code_key) is None or given.get(name_key) is not None:
            continue
        if current is not None and (current.get(name) or {}).get(code_key) == given[code_key]:
            continue  # the same one: completed with the current name
        code = given[code_key]
        if (name, code) not in found:
            record = lookup(client, code)
            found[(name, code)] = record.get(name_key) if isinstance(record, dict) else None
        if found[(name, code)] is not None:
            values[name] = dict(values.get(name) or given, **{name_key: found[(name, code)]})
    return values


def run_purchase_order(module):
    """``stocktrim_purchase_order``: create, update or delete one purchase order by its client reference."""
    params = module.params
    check_keys(params, "client_reference_number")
    check_input(PURCHASE_ORDER, params)
    key = params["client_reference_number"]
    client = module.client
    found = {}

    def complete(desired, current):
        values = _merge_nested(PURCHASE_ORDER, desired, current)
        values = _name_from_catalogue(client, values, desired, current, found)
        if current is not None:
            # an update sends the whole order: a server whose upsert replaces the order keeps what is not
            # given as well as one that merges (the current order date sent again is "left as it is")
            for field in PURCHASE_ORDER.fields:
                if field.option and values.get(field.name) is None and current.get(field.name) not in (None, [], {}):
                    values[field.name] = current[field.name]
        if current is None:
            missing = [name for name in ("supplier", "purchase_order_line_items") if not values.get(name)]
            if missing:
                raise InputError("%s required to create purchase order %r" % (
                    " and ".join(missing) + (" are" if len(missing) > 1 else " is"), key))
            if values.get("order_date") is None:
                values["order_date"] = today()  # some servers refuse an order without a date: dated today
            if values.get("status") is None:
                values["status"] = "Draft"  # sent, so that every server gives it the status the check predicted
        return values

    def predict(desired, current):
        return _predict(PURCHASE_ORDER, desired, current, complete(desired, current))

    def write(desired, current):
        saved = client.save_purchase_order(complete(desired, current))
        return saved if saved is not None else client.get_purchase_order(key)

    def delete(current):
        client.delete_purchase_order(key, current.get("reference_number"))

    module.converge("purchase_order", lambda: client.get_purchase_order(key), write,
                    delete=delete, state=params["state"], predict=predict)


def check_filters(params, *names):
    """Refuse a filter given as an empty string (it would read as "no filter" and match everything)."""
    for name in names:
        if params.get(name) is not None and not str(params[name]).strip():
            raise InputError("%s must not be empty; leave it out to match every one" % name)


def run_purchase_order_info(module):
    params = module.params
    check_filters(params, "client_reference_number")
    client = module.client
    key, status = params["client_reference_number"], params["status"]
    if key:
        order = client.get_purchase_order(key)
        orders = [order] if order is not None and (not status or order["status"] == status) else []
    else:
        orders = client.list_purchase_orders(status)
    module.exit_json(changed=False, purchase_orders=orders)


def run_sales_order(module):
    """``stocktrim_sales_order``: create or update one order with its lines by its external reference."""
    params = module.params
    check_keys(params, "external_reference_id")
    check_input(SALES_ORDER, params)
    key = params["external_reference_id"]
    client = module.client
    lines = client.list_sales_orders()
    current = sales_order_from_lines(key, lines)

    def complete(desired, current):
        values = _merge_nested(SALES_ORDER, desired, current)
        for name in ("order_date", "location_code", "location_name", "customer_code", "customer_name",
                     "sale_order_line_items"):
            if values.get(name) is None and current is not None and current.get(name) is not None:
                values[name] = current[name]
        if values.get("order_date") is None:
            raise InputError("order_date is required to create sales order %r%s" % (
                key, "" if lines is not None else " (this tenant cannot read sales orders back, so it is needed on every run)"))
        if not values.get("sale_order_line_items"):
            raise InputError("sale_order_line_items is required to create sales order %r" % key)
        values["sale_order_line_items"] = [dict(item, external_reference_id=line_reference(key, item["product_id"]))
                                           for item in values["sale_order_line_items"]]
        return values

    def predict(desired, current):
        return SALES_ORDER.merge(current, complete(desired, current))

    def write(desired, current):
        values = complete(desired, current)
        client.save_sales_order(values)
        if lines is None:
            return None
        return sales_order_from_lines(key, client.list_sales_orders())

    module.converge("sales_order", lambda: current, write, predict=predict, unreadable=lines is None)


def run_sales_order_info(module):
    params = module.params
    check_filters(params, "product_id", "external_reference_id")
    lines = module.client.list_sales_orders(params["product_id"])
    if lines is None:
        module.warn("the sales orders could not be read back from the API on this tenant (it answers 404): "
                    "sales_orders is empty because nothing could be read, not because nothing matches")
        lines = []
    if params["product_id"]:
        lines = [line for line in lines if line["product_id"] == params["product_id"]]
    if params["external_reference_id"]:
        lines = [line for line in lines if line["external_reference_id"] == params["external_reference_id"]
                 or in_order(line, params["external_reference_id"])]
    module.exit_json(changed=False, sales_orders=lines)


def run_bom(module):
    """``stocktrim_bom``: one line of a bill of materials, by product and component."""
    params = module.params
    check_keys(params, "product_id", "component_id")
    check_input(BOM, params)
    product_id, component_id = params["product_id"], params["component_id"]
    client = module.client

    def write(desired, current):
        values = dict(desired)
        if values.get("quantity") is None and current is not None:
            values["quantity"] = current["quantity"]  # the API sets the quantity sent, null when left out
        return client.save_bom(values)

    module.converge("bom", lambda: client.get_bom(product_id, component_id), write,
                    delete=lambda current: client.delete_bom(product_id, component_id), state=params["state"])


def run_bom_info(module):
    params = module.params
    check_filters(params, "product_id", "component_id")
    module.exit_json(changed=False, boms=module.client.list_boms(params["product_id"], params["component_id"]))


def run_forecast(module):
    """``stocktrim_forecast``: start the forecast calculation, and with ``wait`` wait for it to finish."""
    params = module.params
    for name in ("wait_timeout", "wait_sleep"):
        if params[name] <= 0:
            raise InputError("%s must be a positive number of seconds, got %s" % (name, _number(params[name])))
    client = module.client
    before = client.processing_status()
    if module.check_mode:
        _exit_forecast(module, before, before)
    client.run_forecast()
    try:
        if params["wait"]:
            after = client.wait_for_forecast(params["wait_timeout"], params["wait_sleep"], before=before)
        else:
            after = client.processing_status()
    except ApiError as err:
        # the calculation was started: whatever fails after that, the task changed something
        extra = {"last_status": err.status_result} if getattr(err, "status_result", None) else {}
        module.fail_error(err, changed=True, **extra)
    _exit_forecast(module, before, after)


def _exit_forecast(module, before, after):
    result = {"changed": True, "status": after}
    if module._diff:
        result["diff"] = {"before": before, "after": after}
    module.exit_json(**result)


def run_order_plan_info(module):
    filters = ORDER_PLAN_FILTERS.desired(module.params)
    module.exit_json(changed=False, results=module.client.order_plan(filters))
