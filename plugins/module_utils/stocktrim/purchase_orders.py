# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""StockTrim purchase orders: one spec, keyed by the client reference number.

``POST /api/PurchaseOrders`` creates or updates by ``clientReferenceNumber``: an upsert, retried.  An order
is found by either of its two references (the API's filters may match StockTrim's own ``referenceNumber``),
through V1, V2 by reference, or the paged V2 list.  A created order is sent dated today and as Draft, so every
server gives it what check mode predicted; a supplier or location given by its code only is sent with its
stored name (looked up once a run), as StockTrim may fill it in itself.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.apiops.platforms.plugins.module_utils.core.connection import WORKERS_SPEC, check_workers
from ansible_collections.apiops.platforms.plugins.module_utils.core.dates import today
from ansible_collections.apiops.platforms.plugins.module_utils.core.engine import Info, Resource
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import NotFoundError, ServerError
from ansible_collections.apiops.platforms.plugins.module_utils.core.models import ChoiceField, DateField, Field, Model
from ansible_collections.apiops.platforms.plugins.module_utils.core.settle import settle_delete
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.client import StockTrimClient, as_list, path_part
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.catalogue import find_location, find_supplier

PO_STATUSES = ["Draft", "Approved", "Sent", "Received"]
PAGE_SIZE = 50

PO_LINE_ITEM = [
    Field("product_id", required=True),
    Field("quantity", type="float", minimum=0, required=True),
    Field("unit_price", type="float", minimum=0),
    DateField("received_date"),
]

PURCHASE_ORDER = Model(
    Field("id", type="int", readonly=True),
    Field("client_reference_number", required=True),
    DateField("order_date"),
    DateField("created_date"),
    DateField("fully_received_date"),
    Field("supplier", type="dict", fields=[Field("supplier_code"), Field("supplier_name")]),
    Field("location", type="dict", fields=[Field("location_code"), Field("location_name")]),
    ChoiceField("status", choices=PO_STATUSES),
    Field("purchase_order_line_items", type="list", fields=PO_LINE_ITEM, list_key="product_id"),
    Field("external_id"),
    Field("reference_number"),
    Field("message", readonly=True),
)


# -- the calls ---------------------------------------------------------------------------------------------------
def find_purchase_order(client, client_reference_number):
    """The purchase order with this client reference number, or None.

    ``GET /api/PurchaseOrders?referenceNumber=`` answers one object (or a list), or 404 when there is none
    (and 404 for everything on some tenants).  Only an order whose ``clientReferenceNumber`` is the one asked
    for is taken: the filter may match StockTrim's own ``referenceNumber`` instead.  When that read finds
    nothing, ``GET /api/V2/PurchaseOrders/{referenceNumber}`` is asked, and then the paginated V2 list is
    searched, so that an order is found whichever of its two references the server's filters match.
    """
    for found in (client.get_list("/api/PurchaseOrders", {"referenceNumber": client_reference_number}),
                  client.get_list("/api/V2/PurchaseOrders/" + path_part(client_reference_number))):
        for item in found:
            if not isinstance(item, dict):
                continue
            order = PURCHASE_ORDER.from_api(item)
            if order["client_reference_number"] == client_reference_number:
                return order
    for order in list_purchase_orders(client):
        if order["client_reference_number"] == client_reference_number:
            return order
    return None


def list_purchase_orders(client, status=None, workers=None):
    """Every purchase order (``GET /api/V2/PurchaseOrders``, all pages), optionally of one status; ``workers``
    (above 1) reads that many pages at once after the first (:func:`~paging.read_pages`)."""
    def fetch(page):
        params = {"page": page, "pageSize": PAGE_SIZE}
        if status:
            params["status"] = status
        return [PURCHASE_ORDER.from_api(item) for item in client.get_list("/api/V2/PurchaseOrders", params)
                if isinstance(item, dict)], None

    found = client.pages(fetch, lambda o: (o["id"], o["client_reference_number"], o["reference_number"]), first=0,
                         page_size=PAGE_SIZE, pool=workers)  # ``page`` counts from 0
    if status:
        found = [o for o in found if o["status"] in (None, status)]
    return found


def write_purchase_order(client, values):
    """Create or update by ``clientReferenceNumber`` (an upsert: retried when it fails in transit).

    The order the server answered with (201 or 200), or None when the answer does not show it whole.
    """
    data = client.write("POST", "/api/PurchaseOrders", PURCHASE_ORDER.to_api(values), idempotent=True)
    for item in as_list(data):
        if isinstance(item, dict):
            order = PURCHASE_ORDER.from_api(item)
            if (order["client_reference_number"] == values["client_reference_number"] and order["id"] is not None
                    and order["supplier"] and order["purchase_order_line_items"]):
                return order
    return None


def delete_purchase_order(client, client_reference_number, reference_number=None):
    """Delete the order with this client reference and make sure it is gone.

    ``DELETE /api/PurchaseOrders?referenceNumber=`` (204, 200) is sent by the client reference, then the
    order is read again: the filter may match StockTrim's own ``referenceNumber`` instead, and a server may
    answer 204 although nothing matched.  While the order is still there and its own ``reference_number`` is
    another one, the DELETE is sent by that one and the order read again.  An order still there after both is
    a failure, never a reported success: a :class:`ServerError` when a DELETE answered success without
    deleting, the :class:`NotFoundError` when every DELETE answered 404.  False when the order was gone
    without any DELETE succeeding (deleted meanwhile).
    """
    refs = [client_reference_number]
    if reference_number and reference_number != client_reference_number:
        refs.append(reference_number)
    succeeded, missing = None, None
    answers = {}

    def send(ref):
        # sent once: a lost answer is settled by reading the order again (settle_delete), never by a blind resend
        try:
            answers[ref] = client.transport.request("DELETE", "/api/PurchaseOrders", params={"referenceNumber": ref},
                                                    idempotent=False)
        except NotFoundError as err:
            answers[ref] = err
            return False
        return True

    for ref in refs:
        if not settle_delete(lambda: send(ref), lambda: find_purchase_order(client, client_reference_number) is not None):
            if isinstance(answers.get(ref), NotFoundError):
                missing = answers[ref]  # nothing matched this reference: the next one, or the read below, decides
            continue
        resp = answers.get(ref)
        if resp is None or isinstance(resp, NotFoundError):  # settled by the read: the order is gone
            return True
        succeeded = (ref, resp)
        if find_purchase_order(client, client_reference_number) is None:
            return True
    if succeeded is None and find_purchase_order(client, client_reference_number) is None:
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
        url=getattr(resp, "url", None) or (client.transport.url_for("/api/PurchaseOrders") + "?referenceNumber="
                                           + path_part(ref)))


# -- the spec -----------------------------------------------------------------------------------------------------
# The nested objects StockTrim may complete with the name of its stored record:
# (field, its code, its name, the catalogue lookup giving the stored record or None).
NAMED = (
    ("supplier", "supplier_code", "supplier_name", find_supplier),
    ("location", "location_code", "location_name", find_location),
)


def complete(ctx, desired, current):
    """The write's body: the whole order on update; on create dated today and Draft unless given; a supplier
    or location given by a code only (created, or another one than the current) with its stored name, each
    looked up once a run (not found, or locations unreadable on this tenant: the name stays null)."""
    values = PURCHASE_ORDER.merge(current, desired) if current is not None else dict(desired)
    for name, code_key, name_key, lookup in NAMED:
        given = desired.get(name)
        if not isinstance(given, dict) or given.get(code_key) is None or given.get(name_key) is not None:
            continue
        if current is not None and (current.get(name) or {}).get(code_key) == given[code_key]:
            continue  # the same one: completed with the current name
        code = given[code_key]
        if (name, code) not in ctx.memo:
            record = lookup(ctx.client, code)
            ctx.memo[(name, code)] = record.get(name_key) if isinstance(record, dict) else None  # or unreadable
        if ctx.memo[(name, code)] is not None:
            values[name] = dict(values.get(name) or given, **{name_key: ctx.memo[(name, code)]})
    if current is None:
        if values.get("order_date") is None:
            values["order_date"] = today()  # some servers refuse an order without a date: dated today
        if values.get("status") is None:
            values["status"] = "Draft"  # sent, so that every server gives it the status the check predicted
    return values


def _write(ctx, body, current, predicted):
    saved = write_purchase_order(ctx.client, body)
    return saved if saved is not None else find_purchase_order(ctx.client, body["client_reference_number"])


PURCHASE_ORDER_RESOURCE = Resource(
    "purchase_order", StockTrimClient, PURCHASE_ORDER, key="client_reference_number",
    create_requires=("supplier", "purchase_order_line_items"),
    find=lambda ctx: find_purchase_order(ctx.client, ctx.params["client_reference_number"]),
    complete=complete,
    write=_write,
    delete=lambda ctx, current: delete_purchase_order(ctx.client, current["client_reference_number"],
                                                      current.get("reference_number")),
)


def _read(ctx):
    key, status = ctx.params["client_reference_number"], ctx.params["status"]
    if key:
        order = find_purchase_order(ctx.client, key)
        return [order] if order is not None and (not status or order["status"] == status) else []
    return list_purchase_orders(ctx.client, status, ctx.params.get("workers"))


PURCHASE_ORDER_INFO = Info("purchase_orders", StockTrimClient, _read, filters={
    "client_reference_number": {"type": "str"},
    "status": {"type": "str", "choices": PO_STATUSES},
}, options=WORKERS_SPEC, check=lambda ctx: check_workers(ctx.params))
