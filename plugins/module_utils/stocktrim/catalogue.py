# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""StockTrim's catalogue: products, suppliers, customers, locations and stock levels, each one spec.

How the API behaves here, and what the calls do about it:

* GET Products is paginated (``pageNo`` from 0, documented as 50 a page) and its ``code`` filter is exact on
  some servers and loose (or ignored) on others: the product is picked by its exact ``productId``, and the
  whole catalogue is read when the answer holds others only;
* GET Suppliers needs ``code`` (the list is GET SuppliersBulk) and answers one object, not a list;
* GET Locations answers 404 for everything on some tenants: the resource is then "unreadable";
* POST Products, POST Suppliers (an array, by ``supplierCode``), PUT Customers, POST V2/Locations (by
  ``locationCode`` only) and POST Inventory (absolute levels) are upserts: idempotent, retried;
* stock levels have no GET of their own: they are read from the product (``stockLocations``);
* POST Suppliers and POST Inventory take arrays: the bulk modules write many in one call.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.apiops.platforms.plugins.module_utils.core.bulk import Bulk
from ansible_collections.apiops.platforms.plugins.module_utils.core.engine import UNREADABLE, Info, Resource
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import NotFoundError
from ansible_collections.apiops.platforms.plugins.module_utils.core.models import Field, Model
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.client import (
    StockTrimClient,
    answered,
    as_list,
    dicts,
    match,
    path_part,
)
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.keys import key_of

# Quantities, prices, times and sizes are 0 or more; stock on hand may be negative (stock sold before it was
# booked in), as inventory systems report it.
QTY = {"type": "float", "minimum": 0}
DAYS = {"type": "int", "minimum": 0}

PRODUCT_SUPPLIER = [
    Field("supplier_id", required=True),
    Field("supplier_name"),
    Field("supplier_sku_code"),
]

PRODUCT_LOCATION = [
    Field("location_code", required=True),
    Field("location_name"),
    Field("stock_on_hand", type="float"),
    Field("stock_on_order", **QTY),
]

PRODUCT = Model(
    Field("id", type="int", readonly=True),
    Field("product_id", required=True),
    Field("product_code_readable"),
    Field("name"),
    Field("category"),
    Field("sub_category"),
    Field("service_level", type="float", minimum=0, fraction=True),
    Field("lead_time", **DAYS),
    Field("stock_on_hand", type="float"),
    Field("stock_on_order", **QTY),
    Field("cost", **QTY),
    Field("price", **QTY),
    Field("supplier_code"),
    Field("suppliers", type="list", fields=PRODUCT_SUPPLIER, list_key="supplier_id"),
    Field("forecast_period", **DAYS),
    Field("manufacturing_time", **DAYS),
    Field("order_frequency", **DAYS),
    Field("minimum_order_quantity", **QTY),
    Field("minimum_shelf_level", **QTY),
    Field("maximum_shelf_level", **QTY),
    Field("batch_size", **QTY),
    Field("barcode"),
    Field("discontinued", type="bool"),
    Field("unstocked", type="bool"),
    Field("option1"),
    Field("option2"),
    Field("option3"),
    Field("overridden_demand", **QTY),
    Field("overridden_demand_period", **DAYS),
    Field("stock_locations", type="list", fields=PRODUCT_LOCATION, list_key="location_code"),
    Field("parent_id"),
    Field("variant_type"),
    Field("variant"),
    Field("ignore_seasonality", type="bool"),
    Field("weight", **QTY),
    Field("height", **QTY),
    Field("width", **QTY),
    Field("length", **QTY),
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
    Field("default_lead_time", **DAYS),
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
    Field("stock_on_order", **QTY),
)


# -- the calls ---------------------------------------------------------------------------------------------------
def find_product(client, product_id):
    """The product with exactly this ``productId``, or None (the API's ``code`` filter answers 404).

    When the filter answers several products and none is this one, the server ignored the filter or matched
    loosely: the whole catalogue is read to be sure.
    """
    items = dicts(client.get_list("/api/Products", {"code": product_id}))
    found = match(items, "productId", product_id)
    if found is None and len(items) > 1:
        return match(list_products(client), "product_id", product_id)
    return PRODUCT.from_api(found) if found is not None else None


def list_products(client, workers=None):
    """Every product, all pages, each once; the page size is learnt from the first page.

    ``workers`` (above 1) reads that many pages at once after the first (:func:`~paging.read_pages`): the same
    products in the same order, for at most ``min(pages read, workers - 1)`` requests past the last page.
    """
    def fetch(page):
        return dicts(client.get_list("/api/Products", {"pageNo": str(page)})), None

    return [PRODUCT.from_api(item) for item in client.pages(fetch, lambda item: key_of(item, "productId"), first=0, pool=workers)]


def write_product(client, body, predicted=None):
    """POST Products creates or updates by ``productId``; the product after the write."""
    return answered(PRODUCT, client.write("POST", "/api/Products", PRODUCT.to_api(body), idempotent=True), "product_id",
                    body["product_id"], predicted)


def delete_product(client, product_id):
    """Delete one product; False when it was already gone."""
    return client.delete("/api/Products", {"productId": product_id},
                         exists=lambda: find_product(client, product_id) is not None)


def find_supplier(client, supplier_code):
    """The supplier with this code (GET Suppliers?code= answers one object, or 404), or None."""
    found = match(dicts(client.get_list("/api/Suppliers", {"code": supplier_code})), "supplierCode", supplier_code)
    if found is None:
        # Some servers answer 404 to every ``code`` (or answer other suppliers): the full list decides.
        return match(list_suppliers(client), "supplier_code", supplier_code)
    return SUPPLIER.from_api(found)


def list_suppliers(client):
    """Every supplier (GET SuppliersBulk; GET Suppliers without a code answers 404)."""
    return [SUPPLIER.from_api(item) for item in dicts(client.get_list("/api/SuppliersBulk"))]


def write_suppliers(client, bodies, predicted=None):
    """POST Suppliers takes an array and creates or updates each by ``supplierCode``: idempotent.

    The supplier after the write, for each body (``predicted`` fills what the answer does not carry).
    """
    data = client.write("POST", "/api/Suppliers", [SUPPLIER.to_api(body) for body in bodies], idempotent=True)
    predicted = predicted or [None] * len(bodies)
    return [answered(SUPPLIER, data, "supplier_code", body["supplier_code"], guess) for body, guess in zip(bodies, predicted)]


def write_supplier(client, body, predicted=None):
    """One supplier through the array upsert (:func:`write_suppliers`)."""
    return write_suppliers(client, [body], [predicted])[0]


def delete_supplier(client, supplier_code):
    """DELETE Suppliers?supplierCodeOrName= (201 on success); False when it was already gone."""
    return client.delete("/api/Suppliers", {"supplierCodeOrName": supplier_code},
                         exists=lambda: find_supplier(client, supplier_code) is not None)


def find_customer(client, code):
    """GET Customers/{code}, or None."""
    found = match(dicts(client.get_list("/api/Customers/" + path_part(code))), "code", code)
    return CUSTOMER.from_api(found) if found is not None else None


def list_customers(client):
    """Every customer, in one unpaginated answer."""
    return [CUSTOMER.from_api(item) for item in dicts(client.get_list("/api/Customers"))]


def write_customer(client, body, predicted=None):
    """PUT Customers creates or updates by ``code`` (the answer may be a list, one object or nothing)."""
    return answered(CUSTOMER, client.write("PUT", "/api/Customers", CUSTOMER.to_api(body), idempotent=True), "code", body["code"],
                    predicted)


def list_locations(client):
    """Every location, or :data:`~engine.UNREADABLE` when this tenant cannot read locations (GET answers 404)."""
    try:
        data = client.transport.request("GET", "/api/Locations", idempotent=True).json()
    except NotFoundError:
        return UNREADABLE
    return [LOCATION.from_api(item) for item in dicts(as_list(data))]


def find_location(client, location_code):
    """The location with this code, None, or :data:`~engine.UNREADABLE` when the tenant cannot read locations."""
    try:
        data = client.transport.request("GET", "/api/Locations", params={"code": location_code}, idempotent=True).json()
    except NotFoundError:
        everything = list_locations(client)
        return everything if everything is UNREADABLE else match(everything, "location_code", location_code)
    return match([LOCATION.from_api(item) for item in dicts(as_list(data))], "location_code", location_code)


def write_location(client, body, predicted=None):
    """POST V2/Locations creates or updates by ``locationCode`` only (V1 also matches by name)."""
    return answered(LOCATION, client.write("POST", "/api/V2/Locations", LOCATION.to_api(body), idempotent=True), "location_code",
                    body["location_code"], predicted)


def product_levels(client, product_id, location_code):
    """``(product, levels)``: the product (None if missing) and its levels at that location (or None)."""
    product = find_product(client, product_id)
    if product is None:
        return None, None
    for entry in product["stock_locations"] or []:
        if entry.get("location_code") == location_code:
            return product, levels_of(product_id, entry)
    return product, None


def levels_of(product_id, entry):
    """The stock levels of a product at one location (an entry of its ``stock_locations``)."""
    levels = dict((f.name, entry.get(f.name)) for f in INVENTORY.fields)
    levels["product_id"] = product_id
    return levels


def list_levels(client, products=None):
    """The stock levels of every product at every location, read from the catalogue (one paginated read)."""
    return [levels_of(product["product_id"], entry) for product in (list_products(client) if products is None else products)
            for entry in product["stock_locations"] or []]


def write_inventory(client, levels, update_totals=True):
    """POST Inventory with absolute levels for products at locations (one item, or a list): idempotent.

    Both levels are required by the API: each item of ``levels`` must carry both.  ``update_totals`` asks
    StockTrim to make each product's overall on hand / on order the sum of its locations.
    """
    body = {
        "updateOverallAllOnOrderToBeSumOfLocation": bool(update_totals),
        "updateOverallAllOnHandToBeSumOfLocation": bool(update_totals),
        "inventory": [INVENTORY.to_api(item) for item in (levels if isinstance(levels, list) else [levels])],
    }
    client.write("POST", "/api/Inventory", body, idempotent=True)


# -- the specs ----------------------------------------------------------------------------------------------------
def _found_inventory(ctx):
    p = ctx.params
    product, levels = product_levels(ctx.client, p["product_id"], p["location_code"])
    if product is None and not ctx.check_mode:
        raise NotFoundError("product %s does not exist: create it before setting its stock" % p["product_id"])
    if product is None:
        ctx.warn("product %s does not exist yet: a real run fails unless an earlier task creates it" % p["product_id"])
    return levels


def _every_level(ctx):
    """Every level, for the bulk kind; in check mode, a warning for the products given that do not exist yet."""
    products = list_products(ctx.client, ctx.params.get("workers"))
    known = set(product["product_id"] for product in products)
    missing = sorted(set(item["product_id"] for item in ctx.params.get("inventory") or []
                         if isinstance(item, dict) and item.get("product_id")) - known)
    if missing and ctx.check_mode:
        ctx.warn("products %s do not exist yet: a real run fails for their levels unless an earlier task creates them"
                 % ", ".join(missing))
    return list_levels(ctx.client, products)


def _inventory_levels(ctx, desired, current):
    """The API needs both levels: one neither given nor set stays 0."""
    levels = INVENTORY.merge(current, desired)
    for name in ("stock_on_hand", "stock_on_order"):
        if levels[name] is None:
            levels[name] = 0.0
    return levels


PRODUCT_RESOURCE = Resource(
    "product", StockTrimClient, PRODUCT, key="product_id",
    find=lambda ctx: find_product(ctx.client, ctx.params["product_id"]),
    listing=lambda ctx: list_products(ctx.client, ctx.params.get("workers")),
    write=lambda ctx, body, current, predicted: write_product(ctx.client, body, predicted),
    delete=lambda ctx, current: delete_product(ctx.client, current["product_id"]),
    writes="merge",  # POST Products merges the keys present (the reference describes it so)
)

PRODUCTS = Bulk("products", PRODUCT_RESOURCE, purge=True)

SUPPLIER_RESOURCE = Resource(
    "supplier", StockTrimClient, SUPPLIER, key="supplier_code",
    find=lambda ctx: find_supplier(ctx.client, ctx.params["supplier_code"]),
    listing=lambda ctx: [s for s in list_suppliers(ctx.client) if s["supplier_code"] is not None],
    write=lambda ctx, body, current, predicted: write_supplier(ctx.client, body, predicted),
    writes="replace",  # what POST Suppliers does with the fields left out is not known
    delete=lambda ctx, current: delete_supplier(ctx.client, current["supplier_code"]),
)

SUPPLIERS = Bulk("suppliers", SUPPLIER_RESOURCE,
                 batch=lambda ctx, bodies, predicted: write_suppliers(ctx.client, bodies, predicted))

CUSTOMER_RESOURCE = Resource(
    "customer", StockTrimClient, CUSTOMER, key="code",
    find=lambda ctx: find_customer(ctx.client, ctx.params["code"]),
    write=lambda ctx, body, current, predicted: write_customer(ctx.client, body, predicted),
    writes="replace",  # PUT Customers: what it does with the fields left out is not known
)

LOCATION_RESOURCE = Resource(
    "location", StockTrimClient, LOCATION, key="location_code",
    find=lambda ctx: find_location(ctx.client, ctx.params["location_code"]),
    write=lambda ctx, body, current, predicted: write_location(ctx.client, body, predicted),
    writes="replace",  # POST V2/Locations: what it does with the fields left out is not known
)

INVENTORY_RESOURCE = Resource(
    "inventory", StockTrimClient, INVENTORY, keys=("product_id", "location_code"), key="product_id",
    options={"update_totals": {"type": "bool", "default": True}},
    required_one_of=[("stock_on_hand", "stock_on_order")],
    find=_found_inventory,
    listing=_every_level,
    complete=_inventory_levels,
    write=lambda ctx, body, current, predicted: write_inventory(ctx.client, body, ctx.params["update_totals"]),
)


def _write_levels(ctx, bodies, predicted):
    write_inventory(ctx.client, bodies, ctx.params["update_totals"])
    return [None] * len(bodies)  # the API answers a message, not the levels: the prediction stands


INVENTORIES = Bulk("inventory", INVENTORY_RESOURCE, batch=_write_levels,
                   options={"update_totals": {"type": "bool", "default": True}})


def _one_or_all(find, everything, key):
    """An info read: the one object with the key filter, else every object."""
    def read(ctx):
        if ctx.params[key]:
            found = find(ctx.client, ctx.params[key])
            return [found] if found else []
        return everything(ctx.client)
    return read


def _read_locations(ctx):
    code = ctx.params["location_code"]
    found = find_location(ctx.client, code) if code else list_locations(ctx.client)
    ctx.extra["readable"] = found is not UNREADABLE
    if found is UNREADABLE or found is None:
        return []
    return [found] if code else found


PRODUCT_INFO = Info("products", StockTrimClient, _one_or_all(find_product, list_products, "product_id"),
                    filters={"product_id": {"type": "str"}})
SUPPLIER_INFO = Info("suppliers", StockTrimClient, _one_or_all(find_supplier, list_suppliers, "supplier_code"),
                     filters={"supplier_code": {"type": "str"}})
CUSTOMER_INFO = Info("customers", StockTrimClient, _one_or_all(find_customer, list_customers, "code"),
                     filters={"code": {"type": "str"}})
LOCATION_INFO = Info("locations", StockTrimClient, _read_locations, filters={"location_code": {"type": "str"}})
