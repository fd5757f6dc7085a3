# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The StockTrim API client: authentication, and the API's quirks absorbed in one place.

Quirks handled here and nowhere else:

* both ``api-auth-id`` and ``api-auth-signature`` headers on every request;
* a 404 that means "nothing there" (GET Products?code=, GET PurchaseOrders, ...) becomes an empty list
  (:meth:`StockTrimClient.get_list`) or None (:meth:`StockTrimClient.get_one`);
* a single object where a list is expected (and the reverse) is normalised to a list;
* the upserts by key (POST Products, POST PurchaseOrders, PUT Customers, POST Locations, ...) are idempotent
  and so may be retried: :meth:`StockTrimClient.upsert` marks them; every other POST is sent once.
  POST Suppliers (an array of suppliers, created or updated by ``supplierCode``) and POST Inventory (absolute
  stock levels of a product at a location) are idempotent too: sending either twice leaves the same state;
* GET Products is paginated (``pageNo`` from 0, documented as 50 a page): the page size is learnt from the
  first page, and a 404, an empty page, a short page or a page of products already seen ends the read, so a
  server with another page size, pages counted from 1, or no paging at all is read completely and once;
* the ``code`` filter of GET Products is exact on some servers and not on others (or ignored): the product is
  picked by its exact ``productId``, and the whole catalogue is read when the answer holds others only;
* an upsert may merge the fields sent into the stored object or replace the object with them: an update
  sends the whole object (the current one with the changes), which gives the same result either way;
* the answer of a write may be the object, a list holding it, another schema, an empty or a non-JSON body:
  fields it does not carry are taken from the predicted object, and an answer that is no JSON is ignored;
* keys and ids may come as numbers or strings (``10`` and ``"10"`` are the same key);
* GET Suppliers needs ``code`` (the list is GET SuppliersBulk) and answers one object, not a list;
* GET Locations answers 404 for everything on some tenants: :meth:`StockTrimClient.list_locations`
  reports that as "unreadable" (None) rather than as "no locations";
* stock levels have no GET of their own: they are read from the product (``stockLocations``).

The typed models of the catalogue resources (``PRODUCT``, ``SUPPLIER``, ``CUSTOMER``, ``LOCATION``,
``INVENTORY``) live here too: the modules' options, results and comparisons all come from them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.apiops.platforms.plugins.module_utils.connection import (
    STOCKTRIM_CONNECTION_SPEC,
    ApiClient,
    make_transport,
    map_concurrently,
    require,
)
import math

from ansible_collections.apiops.platforms.plugins.module_utils.errors import (
    ApiError,
    InputError,
    NotFoundError,
    TransportError,
    ValidationError,
)
from ansible_collections.apiops.platforms.plugins.module_utils.models import Field, Model

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover - Python 2 is not supported, kept for the import sanity test
    from urllib import quote  # type: ignore

PAGE_SIZE = 50  # documented; the client learns the real one from the first page
MAX_PAGES = 10000  # a safety net against a server that never stops answering new products

# -- the catalogue models (field names: the API's, in snake_case) ---------------------------------------------
PRODUCT_SUPPLIER = [
    Field("supplier_id", required=True),
    Field("supplier_name"),
    Field("supplier_sku_code"),
]

PRODUCT_LOCATION = [
    Field("location_code", required=True),
    Field("location_name"),
    Field("stock_on_hand", type="float"),
    Field("stock_on_order", type="float"),
]

PRODUCT = Model(
    Field("id", type="int", readonly=True),
    Field("product_id", required=True),
    Field("product_code_readable"),
    Field("name"),
    Field("category"),
    Field("sub_category"),
    Field("service_level", type="float"),
    Field("lead_time", type="int"),
    Field("stock_on_hand", type="float"),
    Field("stock_on_order", type="float"),
    Field("cost", type="float"),
    Field("price", type="float"),
    Field("supplier_code"),
    Field("suppliers", type="list", fields=PRODUCT_SUPPLIER, list_key="supplier_id"),
    Field("forecast_period", type="int"),
    Field("manufacturing_time", type="int"),
    Field("order_frequency", type="int"),
    Field("minimum_order_quantity", type="float"),
    Field("minimum_shelf_level", type="float"),
    Field("maximum_shelf_level", type="float"),
    Field("batch_size", type="float"),
    Field("barcode"),
    Field("discontinued", type="bool"),
    Field("unstocked", type="bool"),
    Field("option1"),
    Field("option2"),
    Field("option3"),
    Field("overridden_demand", type="float"),
    Field("overridden_demand_period", type="int"),
    Field("stock_locations", type="list", fields=PRODUCT_LOCATION, list_key="location_code"),
    Field("parent_id"),
    Field("variant_type"),
    Field("variant"),
    Field("ignore_seasonality", type="bool"),
    Field("weight", type="float"),
    Field("height", type="float"),
    Field("width", type="float"),
    Field("length", type="float"),
)

# The address field ``state`` is named ``address_state``: ``state`` is the module's present/absent option.
ADDRESS = [
    Field("street_address"),
    Field("address_line1"),
    Field("address_line2"),
    Field("address_state", api="state"),
    Field("country"),
    Field("post_code"),
]

SUPPLIER = Model(*[
    Field("id", type="int", readonly=True),
    Field("supplier_code", required=True),
    Field("supplier_name"),
    Field("email_address"),
    Field("primary_contact_name"),
    Field("external_id"),
    Field("default_lead_time", type="int"),
] + ADDRESS)

CUSTOMER = Model(*[
    Field("code", required=True),
    Field("name"),
] + ADDRESS + [
    Field("city"),
    Field("email_address"),
    Field("phone"),
])

LOCATION = Model(
    Field("id", type="int", readonly=True),
    Field("location_code", required=True),
    Field("location_name"),
    Field("external_id"),
)

INVENTORY = Model(
    Field("product_id", required=True),
    Field("location_code", required=True),
    Field("location_name"),
    Field("stock_on_hand", type="float"),
    Field("stock_on_order", type="float"),
)


def as_list(data):
    """The API answers a single object or a list depending on the filter: always give a list."""
    if data is None:
        return []
    if isinstance(data, list):
        return [item for item in data if item is not None]
    return [data]


class StockTrimClient(ApiClient):
    """Base StockTrim client; resource calls are added on top of these primitives."""

    connection_spec = STOCKTRIM_CONNECTION_SPEC

    @classmethod
    def from_options(cls, options, warn=None):
        auth_id = require(options, "auth_id")
        signature = require(options, "auth_signature")
        headers = {"api-auth-id": auth_id, "api-auth-signature": signature}
        return cls(make_transport(options, headers, secrets=(signature,), warn=warn))

    def get_list(self, path, params=None):
        """GET a collection; 404 ("nothing matches") is an empty list, one object a one-element list."""
        try:
            return as_list(self.transport.request("GET", path, params=params).json())
        except NotFoundError:
            return []

    def get_one(self, path, params=None):
        """GET one object, or None on 404."""
        items = self.get_list(path, params)
        return items[0] if items else None

    def upsert(self, method, path, body):
        """A create-or-update by key: idempotent, so the transport may retry it."""
        resp = self.transport.request(method, path, json=body, idempotent=True)
        return _answer(resp), resp.status

    def post_once(self, path, body=None):
        """A POST that acts every time it is received: never re-sent once the server may have got it."""
        resp = self.transport.request("POST", path, json=body, idempotent=False)
        return _answer(resp), resp.status

    def delete(self, path, params=None):
        """DELETE; the odd success codes (200, 201, 204) are all success, 404 is "already gone" (False)."""
        try:
            self.transport.request("DELETE", path, params=params)
        except NotFoundError:
            return False
        return True

    # -- products -----------------------------------------------------------------------------------
    def find_product(self, product_id):
        """The product with exactly this ``productId``, or None (the API's ``code`` filter answers 404).

        When the filter answers several products and none is this one, the server ignored the filter or
        matched loosely: the whole catalogue is read to be sure.
        """
        items = _dicts(self.get_list("/api/Products", {"code": product_id}))
        found = _match(items, "productId", product_id)
        if found is None and len(items) > 1:
            return _match(self.list_products(), "product_id", product_id)
        return PRODUCT.from_api(found) if found is not None else None

    def list_products(self):
        """Every product, all pages, each once (see the module docstring for the paging rules)."""
        products, seen = [], set()
        page, size, retried = 0, None, False
        while page < MAX_PAGES:
            try:
                items = _dicts(self.get_list("/api/Products", {"pageNo": str(page)}))
            except ValidationError:
                if page == 0 and not retried:  # a server whose pages count from 1 may refuse pageNo=0
                    page, retried = 1, True
                    continue
                raise
            fresh = [item for item in items if _key(item, "productId") not in seen]
            if not fresh:
                # Nothing new: the end, unless pages count from 1 (page 0 empty, or page 1 repeating page 0).
                if not retried and (page == 0 or (page == 1 and items)):
                    page, retried = page + 1, True
                    continue
                break
            seen.update(_key(item, "productId") for item in fresh)
            products.extend(PRODUCT.from_api(item) for item in fresh)
            size = size or len(items)
            if len(items) < size:
                break  # a short page is the last one
            page += 1
        return products

    def upsert_product(self, values, current=None):
        """Create, or update the ``current`` product with ``values``; the product after the write.

        An update sends the whole product (see the module docstring).  When the answer does not carry the
        product, the predicted one is returned.
        """
        body, predicted = _write_body(PRODUCT, values, current)
        data, _status = self.upsert("POST", "/api/Products", PRODUCT.to_api(body))
        return _answered(PRODUCT, data, "product_id", values["product_id"], predicted)

    def delete_product(self, product_id):
        """Delete one product; False when it was already gone."""
        if not product_id:
            raise InputError("product_id must not be empty (the API would delete more than one product)")
        return self.delete("/api/Products", {"productId": product_id})

    # -- suppliers ----------------------------------------------------------------------------------
    def find_supplier(self, supplier_code):
        """The supplier with this code (GET Suppliers?code= answers one object, or 404), or None."""
        found = _match(_dicts(self.get_list("/api/Suppliers", {"code": supplier_code})), "supplierCode", supplier_code)
        if found is None:
            # Some servers answer 404 to every ``code`` (or answer other suppliers): the full list decides.
            return _match(self.list_suppliers(), "supplier_code", supplier_code)
        return SUPPLIER.from_api(found)

    def list_suppliers(self):
        """Every supplier (GET SuppliersBulk; GET Suppliers without a code answers 404)."""
        return [SUPPLIER.from_api(item) for item in _dicts(self.get_list("/api/SuppliersBulk"))]

    def upsert_supplier(self, values, current=None):
        """POST Suppliers takes an array and creates or updates each by ``supplierCode``: idempotent."""
        body, predicted = _write_body(SUPPLIER, values, current)
        data, _status = self.upsert("POST", "/api/Suppliers", [SUPPLIER.to_api(body)])
        return _answered(SUPPLIER, data, "supplier_code", values["supplier_code"], predicted)

    def delete_supplier(self, supplier_code):
        """DELETE Suppliers?supplierCodeOrName= (201 on success); False when it was already gone."""
        if not supplier_code:
            raise InputError("supplier_code must not be empty")
        return self.delete("/api/Suppliers", {"supplierCodeOrName": supplier_code})

    # -- customers (no DELETE in the API) -----------------------------------------------------------
    def find_customer(self, code):
        """GET Customers/{code}, or None."""
        found = _match(_dicts(self.get_list("/api/Customers/" + quote(code, safe=""))), "code", code)
        return CUSTOMER.from_api(found) if found is not None else None

    def list_customers(self):
        """Every customer, in one unpaginated answer."""
        return [CUSTOMER.from_api(item) for item in _dicts(self.get_list("/api/Customers"))]

    def upsert_customer(self, values, current=None):
        """PUT Customers creates or updates by ``code`` (the answer may be a list, one object or nothing)."""
        body, predicted = _write_body(CUSTOMER, values, current)
        data, _status = self.upsert("PUT", "/api/Customers", CUSTOMER.to_api(body))
        return _answered(CUSTOMER, data, "code", values["code"], predicted)

    # -- locations (no DELETE in the API) -----------------------------------------------------------
    def list_locations(self):
        """Every location, or None when this tenant cannot read locations back (GET answers 404)."""
        try:
            data = self.transport.request("GET", "/api/Locations").json()
        except NotFoundError:
            return None
        return [LOCATION.from_api(item) for item in _dicts(as_list(data))]

    def find_location(self, location_code):
        """``(readable, location)``: the location with this code, and whether the tenant can read locations."""
        try:
            data = self.transport.request("GET", "/api/Locations", params={"code": location_code}).json()
        except NotFoundError:
            everything = self.list_locations()
            if everything is None:
                return False, None
            return True, _match(everything, "location_code", location_code)
        return True, _match([LOCATION.from_api(item) for item in _dicts(as_list(data))], "location_code", location_code)

    def upsert_location(self, values, current=None):
        """POST V2/Locations creates or updates by ``locationCode`` only (V1 also matches by name)."""
        body, predicted = _write_body(LOCATION, values, current)
        data, _status = self.upsert("POST", "/api/V2/Locations", LOCATION.to_api(body))
        return _answered(LOCATION, data, "location_code", values["location_code"], predicted)

    # -- inventory (stock levels: written by POST Inventory, read from the product) -----------------
    def find_inventory(self, product_id, location_code):
        """``(product, levels)``: the product (None if missing) and its levels at that location (or None)."""
        product = self.find_product(product_id)
        if product is None:
            return None, None
        for entry in product["stock_locations"] or []:
            if entry.get("location_code") == location_code:
                levels = dict((f.name, entry.get(f.name)) for f in INVENTORY.fields)
                levels["product_id"] = product_id
                return product, levels
        return product, None

    def set_inventory(self, levels, update_totals=True):
        """POST Inventory with absolute levels for one product at one location: idempotent.

        Both levels are required by the API: ``levels`` must carry both.  ``update_totals`` asks StockTrim to
        make the product's overall on hand / on order the sum of its locations.
        """
        body = {
            "updateOverallAllOnOrderToBeSumOfLocation": bool(update_totals),
            "updateOverallAllOnHandToBeSumOfLocation": bool(update_totals),
            "inventory": [INVENTORY.to_api(levels)],
        }
        self.upsert("POST", "/api/Inventory", body)


def _dicts(items):
    """Only the objects of a list answer (a server may put nulls or other values in it)."""
    return [item for item in items if isinstance(item, dict)]


def _key(item, name):
    """A key as compared: ``10`` and ``"10"`` are the same key; a missing key is None."""
    value = item.get(name)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _match(items, key, value):
    """The object (raw API or model dict) whose ``key`` is exactly ``value`` (compared as text), or None."""
    wanted = _key({"k": value}, "k")
    for item in items:
        if _key(item, key) == wanted:
            return item
    return None


def _answer(resp):
    """The JSON a write answered with, or None: a write that succeeded never fails on its answer's body."""
    try:
        return resp.json()
    except TransportError:
        return None


def _write_body(model, values, current):
    """``(body, predicted)`` of a write: an update sends the whole object, the current one with the changes.

    Sending only the changes would wipe the other fields on a server whose upsert replaces the stored object;
    sending everything gives the same result on a server that merges.
    """
    predicted = model.merge(current, values)
    return (predicted if current is not None else values), predicted


def _answered(model, data, key, value, predicted=None):
    """The object a write answered with (one object or a list holding it), or ``predicted``.

    Fields the answer does not carry at all are taken from ``predicted``; an answer without this object
    (an empty body, another schema) gives ``predicted``.
    """
    wanted = _key({"k": value}, "k")
    for item in as_list(data):
        if isinstance(item, dict):
            obj = model.from_api(item)
            if _key(obj, key) == wanted:
                if predicted is not None:
                    for f in model.fields:
                        if f.api not in item and f.name not in item and predicted.get(f.name) is not None:
                            obj[f.name] = predicted[f.name]
                return obj
    return predicted


# -- helpers for the modules ------------------------------------------------------------------------------------
# Quantities, prices, times and sizes: 0 or more.  The service level is a fraction.  Stock on hand may be
# negative (stock sold before it was booked in), as inventory systems report it.
NON_NEGATIVE = frozenset((
    "service_level", "lead_time", "stock_on_order", "cost", "price", "forecast_period",
    "manufacturing_time", "order_frequency", "minimum_order_quantity", "minimum_shelf_level",
    "maximum_shelf_level", "batch_size", "overridden_demand", "overridden_demand_period", "weight", "height",
    "width", "length", "default_lead_time",
))
FRACTIONS = frozenset(("service_level",))


def check_keys(params, *names):
    """Refuse an empty key option before any request is sent."""
    for name in names:
        value = params.get(name)
        if value is None or not str(value).strip():
            raise InputError("%s must not be empty" % name)


def check_values(model, params, where=""):
    """Refuse values the API cannot mean, naming the option: NaN or infinite numbers, negative quantities,
    prices or times, a service level above 1, an empty or repeated key in a list of objects."""
    for f in model.fields:
        value = params.get(f.name)
        if value is None or not f.option:
            continue
        name = where + f.name
        if f.fields is not None and f.type == "list":
            seen = {}
            for index, item in enumerate(value):
                if not isinstance(item, dict):
                    continue
                here = "%s[%d]" % (name, index)
                if f.list_key:
                    key = item.get(f.list_key)
                    if key is None or not str(key).strip():
                        raise InputError("%s.%s must not be empty" % (here, f.list_key))
                    if key in seen:
                        raise InputError("%s.%s %r is already given in %s[%d]" % (here, f.list_key, key, name, seen[key]))
                    seen[key] = index
                check_values(f.fields, item, here + ".")
            continue
        if f.type not in ("int", "float") or isinstance(value, bool):
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise InputError("%s must be a number, got %r" % (name, value))
        if math.isnan(number) or math.isinf(number):
            raise InputError("%s must be a finite number, got %r" % (name, value))
        if f.name in NON_NEGATIVE and number < 0:
            raise InputError("%s must be 0 or more, got %r" % (name, value))
        if f.name in FRACTIONS and number > 1:
            raise InputError("%s is a fraction between 0 and 1 (0.95 for 95%%), got %r" % (name, value))


def check_input(model, params, *keys):
    """Refuse empty keys and impossible values before any request is sent."""
    check_keys(params, *keys)
    check_values(model, params)


def validate_items(model, items, option, key):
    """Validate each element of a list option against ``model``'s options; errors name the element's index."""
    validator = ArgumentSpecValidator(model.argument_spec())
    checked, seen = [], {}
    for index, item in enumerate(items or []):
        where = "%s[%d]" % (option, index)
        if not isinstance(item, dict):
            raise InputError("%s must be a dict of options, got %r" % (where, item))
        result = validator.validate(item)
        problems = ["unsupported parameters: " + e.error_message if type(e).__name__ == "UnsupportedError"
                    else e.error_message for e in list(result.errors)]
        if problems:
            raise InputError("%s: %s" % (where, "; ".join(problems)))
        params = result.validated_parameters
        value = params.get(key)
        if value is None or not str(value).strip():
            raise InputError("%s: %s must not be empty" % (where, key))
        try:
            check_values(model, params)
        except InputError as err:
            raise InputError("%s: %s" % (where, err.msg))
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


def sync_products(module, items, state="present", workers=8):
    """``stocktrim_products``: one paginated read of all products, then only the writes that differ."""
    if workers < 1:
        raise InputError("workers must be 1 or more, got %d" % workers)
    items = validate_items(PRODUCT, items, "products", "product_id")
    client = module.client
    current = dict((p["product_id"], p) for p in client.list_products())
    if state == "absent":
        deleted = [p["product_id"] for p in items if p["product_id"] in current]
        absent = [p["product_id"] for p in items if p["product_id"] not in current]
        if deleted and not module.check_mode:
            _run_all(module, client.delete_product, deleted, workers, "delete", {"deleted": deleted})
        diff = {"before": dict((k, _compact(current[k])) for k in deleted), "after": {}}
        _exit_bulk(module, bool(deleted), diff, created=[], updated=[], unchanged=absent, deleted=deleted, products=[])
    plan, result = plan_bulk(PRODUCT, "product_id", items, current)
    if plan and not module.check_mode:
        answers = _run_all(module, lambda step: client.upsert_product(step[0], step[1]), plan, workers, "write",
                           dict((k, result[k]) for k in ("created", "updated", "unchanged")))
        written = {}
        for (_desired, _current, predicted), answer in zip(plan, answers):
            written[predicted["product_id"]] = answer if answer is not None else predicted
        result["objects"] = [written.get(obj["product_id"], obj) for obj in result["objects"]]
    after = dict((obj["product_id"], obj) for obj in result["objects"])
    diff = {"before": dict((step[0]["product_id"], _compact(step[1])) for step in plan if step[1] is not None),
            "after": dict((step[0]["product_id"], _compact(after[step[0]["product_id"]])) for step in plan)}
    _exit_bulk(module, bool(plan), diff, created=result["created"], updated=result["updated"],
               unchanged=result["unchanged"], deleted=[], products=result["objects"])


def _run_all(module, func, items, workers, what, done):
    """Run ``func`` over ``items`` concurrently; on failures, fail naming every item that failed."""
    def guarded(item):
        try:
            return func(item), None
        except ApiError as err:
            return None, err

    outcomes = map_concurrently(guarded, items, workers)
    failed = [(item, err) for item, (answer, err) in zip(items, outcomes) if err is not None]
    if failed:
        names = [item if isinstance(item, str) else item[0]["product_id"] for item, _err in failed]
        first = failed[0][1]
        done = dict((k, [name for name in v if name not in names]) for k, v in done.items())
        module.fail_error(first, msg="%d of %d product %ss failed (%s); the first: %s"
                          % (len(failed), len(items), what, ", ".join(names), first.msg), failed_products=names, **done)
    return [answer for answer, _err in outcomes]


def _compact(obj):
    """An object without its empty fields: many products in one diff stay readable."""
    if isinstance(obj, list):
        return [_compact(item) for item in obj]
    if isinstance(obj, dict):
        return dict((k, _compact(v)) for k, v in obj.items() if v is not None and v != [])
    return obj


def _exit_bulk(module, changed, diff, **result):
    if module._diff:
        result["diff"] = diff
    module.exit_json(changed=changed, **result)
