# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Behaviour of the StockTrim sandbox over real HTTP: auth, media types, validation, each resource and its
documented quirks, fault injection, request counting, state, the command line."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
import time

import pytest
import requests

from conftest import AUTH_HEADERS, AUTH_ID, AUTH_SIGNATURE, REPO, Client, StockTrimSandbox

NAIVE_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$")
LONG_DELAY = 60.0  # seconds: a fault delay that no read timeout of these tests outlasts; the tests end it themselves
PO = {"supplier": {"supplierCode": "SUP-1", "supplierName": "Supplier One"},
      "purchaseOrderLineItems": [{"productId": "P-1", "quantity": 4, "unitPrice": 2.5}]}


def product(api, product_id, **fields):
    fields["productId"] = product_id
    response = api.post("/api/Products", json=fields)
    assert response.status_code in (200, 201), response.text
    return response.json()


def problem_errors(response):
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("application/problem+json")
    document = response.json()
    assert document["type"] == "https://tools.ietf.org/html/rfc7231#section-6.5.1"
    assert document["title"] == "One or more validation errors occurred."
    assert document["status"] == 400
    assert document["traceId"]
    return document["errors"]


# -- auth, routing, media types --------------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [
    {},
    {"api-auth-id": AUTH_ID},
    {"api-auth-signature": AUTH_SIGNATURE},
    {"api-auth-id": AUTH_ID, "api-auth-signature": "wrong"},
    {"api-auth-id": "wrong", "api-auth-signature": AUTH_SIGNATURE},
    {"Authorization": "Bearer " + AUTH_ID},
])
def test_both_auth_headers_are_required(sandbox, headers):
    client = Client(sandbox.url, headers=headers)
    response = client.get("/api/Customers")
    assert response.status_code == 401
    assert response.content == b""
    response = client.post("/api/Products", json={"productId": "P-1"})
    assert response.status_code == 401
    assert sandbox.state()["products"] == []


def test_auth_header_names_are_case_insensitive_and_values_exact(api):
    assert api.get("/api/Customers", headers={"API-AUTH-ID": AUTH_ID, "Api-Auth-Signature": AUTH_SIGNATURE}).status_code == 200
    assert api.get("/api/Customers", headers={"api-auth-signature": AUTH_SIGNATURE.upper()}).status_code == 401


def test_auth_failure_status_is_configurable(sandbox, api, control):
    bad = Client(sandbox.url, headers={})
    assert control.post("/_sandbox/config", json={"auth_failure_status": 403}).json()["auth_failure_status"] == 403
    assert bad.get("/api/Customers").status_code == 403
    sandbox.configure(auth_failure_status=401)
    assert bad.get("/api/Customers").status_code == 401
    assert api.get("/api/Customers").status_code == 200


def test_unknown_route_is_404_and_wrong_method_405(api):
    response = api.get("/api/Nothing")
    assert response.status_code == 404 and response.content == b""
    assert "X-Sandbox-Route" not in response.headers
    response = api.request("PATCH", "/api/Products", json={"productId": "x"})
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "POST", "DELETE"}
    assert api.get("/api/SalesOrdersLocation").status_code == 405
    assert api.delete("/api/Customers").status_code == 405  # customers cannot be deleted


def test_paths_and_query_names_are_case_insensitive(api):
    product(api, "P-1")
    assert api.get("/API/PRODUCTS", params={"CODE": "P-1"}).json()[0]["productId"] == "P-1"
    assert api.get("/api/products/", params={"code": "P-1"}).status_code == 200
    assert api.get("/api/v2/purchaseorders").status_code == 200


@pytest.mark.parametrize("content_type", [
    "application/json", "application/json; charset=utf-8", "text/json", "application/json-patch+json",
    "application/*+json", "application/*+json; charset=utf-8", "application/problem+json", "Application/JSON",
])
def test_json_media_types_are_accepted(api, content_type):
    response = api.post("/api/Products", data=b'{"productId": "P-1"}', headers={"Content-Type": content_type})
    assert response.status_code == 201


@pytest.mark.parametrize("content_type,body", [
    (None, b'{"productId": "P-1"}'),
    ("text/plain", b'{"productId": "P-1"}'),
    ("application/xml", b'{"productId": "P-1"}'),
    ("application/x-www-form-urlencoded", b"productId=P-1"),
    ("application/json; charset=latin-1", b'{"productId": "P-1"}'),
    ("application/json", b""),
    (None, b""),
])
def test_missing_body_or_other_media_type_is_415(sandbox, api, content_type, body):
    headers = {"Content-Type": content_type} if content_type else {}
    for path in ("/api/Products", "/api/OrderPlan", "/api/Inventory", "/api/V2/PurchaseOrders/OrderPlan"):
        response = api.post(path, data=body, headers=headers)
        assert response.status_code == 415, path
        assert response.content == b""
    assert api.put("/api/Customers", data=body, headers=headers).status_code == 415
    assert sandbox.state()["products"] == []


def test_malformed_json_is_a_400_problem(api):
    for body in (b'{"productId": ', b"not json", b'{"productId": NaN}'):
        errors = problem_errors(api.post("/api/Products", data=body, headers={"Content-Type": "application/json"}))
        assert list(errors) == ["$"]
    errors = problem_errors(api.post("/api/Products", data=b"  ", headers={"Content-Type": "application/json"}))
    assert errors == {"": ["A non-empty request body is required."]}


def test_validation_problem_shape_for_missing_required_fields(api):
    response = api.post("/api/Products", json={"name": "no id"})
    assert problem_errors(response) == {"ProductId": ["The ProductId field is required."]}
    assert problem_errors(api.post("/api/Products", json={"productId": ""})) == {"ProductId": ["The ProductId field is required."]}
    errors = problem_errors(api.post("/api/PurchaseOrders", json={"clientReferenceNumber": "C-1"}))
    assert errors == {"PurchaseOrderLineItems": ["The PurchaseOrderLineItems field is required."],
                      "Supplier": ["The Supplier field is required."]}
    errors = problem_errors(api.post("/api/PurchaseOrders", json={"supplier": {}, "purchaseOrderLineItems": [{"quantity": 1}, {"productId": "A"}]}))
    assert errors == {"PurchaseOrderLineItems[0].ProductId": ["The ProductId field is required."],
                      "PurchaseOrderLineItems[1].Quantity": ["The Quantity field is required."]}


def test_type_errors_are_400_with_the_json_path(sandbox, api):
    errors = problem_errors(api.post("/api/Products", json={"productId": "P-1", "stockOnHand": "lots"}))
    assert list(errors) == ["$.stockOnHand"]
    assert "System.Nullable`1[System.Double]" in errors["$.stockOnHand"][0]
    assert list(problem_errors(api.post("/api/Products", json={"productId": 12}))) == ["$.productId"]
    assert list(problem_errors(api.post("/api/Products", json={"productId": "P", "leadTime": 1.5}))) == ["$.leadTime"]
    assert list(problem_errors(api.post("/api/Products", json={"productId": "P", "discontinued": "yes"}))) == ["$.discontinued"]
    assert list(problem_errors(api.post("/api/Products", json=[{"productId": "P"}]))) == ["$"]
    errors = problem_errors(api.post("/api/PurchaseOrders", json=dict(PO, orderDate="yesterday")))
    assert list(errors) == ["$.orderDate"]
    errors = problem_errors(api.post("/api/PurchaseOrders", json=dict(PO, status="Lost")))
    assert list(errors) == ["$.status"]
    assert sandbox.state()["products"] == [] and sandbox.state()["purchaseOrders"] == []


def test_unknown_fields_are_ignored_and_property_names_match_case_insensitively(api):
    response = api.post("/api/Products", json={"ProductId": "P-1", "NAME": "Widget", "colour": "red", "stockOnHand": "7.5"})
    assert response.status_code == 201
    body = response.json()
    assert body["productId"] == "P-1" and body["name"] == "Widget" and body["stockOnHand"] == 7.5
    assert "colour" not in body and "ProductId" not in body


# -- products ----------------------------------------------------------------------------------------------------

def test_product_create_then_update_merges_only_the_keys_sent(api):
    response = api.post("/api/Products", json={"productId": "P-1", "name": "Widget", "cost": 2.0, "stockLocations": [{"locationCode": "L1"}]})
    assert response.status_code == 201
    created = response.json()
    assert isinstance(created["id"], int)
    assert created["cost"] == 2 and created["price"] is None and created["suppliers"] == []
    assert created["stockLocations"] == [{"locationCode": "L1", "locationName": None, "stockOnHand": None, "stockOnOrder": None}]
    assert len(created) == 38  # every field of the response shape, null where unset
    response = api.post("/api/Products", json={"productId": "P-1", "price": 3.5, "name": None})
    assert response.status_code == 200
    updated = response.json()
    assert updated["id"] == created["id"]
    assert updated["price"] == 3.5 and updated["cost"] == 2 and updated["name"] is None
    assert updated["stockLocations"] == created["stockLocations"]
    assert api.get("/api/Products", params={"code": "P-1"}).json() == [updated]


def test_product_update_can_replace_instead_of_merge(sandbox, api):
    product(api, "P-1", name="Widget", cost=2)
    sandbox.configure(product_update="replace")
    updated = product(api, "P-1", price=1)
    assert updated["name"] is None and updated["cost"] is None and updated["price"] == 1


def test_product_code_is_an_exact_match_and_no_match_is_an_empty_404(api):
    product(api, "WIDGET-1")
    product(api, "WIDGET-10")
    assert [p["productId"] for p in api.get("/api/Products", params={"code": "WIDGET-1"}).json()] == ["WIDGET-1"]
    for code in ("WIDGET", "widget-1", "WIDGET-2"):
        response = api.get("/api/Products", params={"code": code})
        assert response.status_code == 404
        assert response.content == b""


def test_products_are_paged_by_50_from_page_0(api):
    assert api.get("/api/Products").status_code == 404  # empty store: 404, not []
    for index in range(120):
        product(api, "P-%03d" % index)
    pages = [api.get("/api/Products", params={"pageNo": str(page)}) for page in range(4)]
    assert [response.status_code for response in pages[:3]] == [200, 200, 200]
    assert [len(response.json()) for response in pages[:3]] == [50, 50, 20]
    assert pages[3].status_code == 404 and pages[3].content == b""
    ids = [p["productId"] for response in pages[:3] for p in response.json()]
    assert ids == ["P-%03d" % index for index in range(120)]
    assert api.get("/api/Products").json() == pages[0].json()
    assert api.get("/api/Products", params={"pageNo": "-1"}).status_code == 404
    assert list(problem_errors(api.get("/api/Products", params={"pageNo": "first"}))) == ["pageNo"]


def test_product_delete(sandbox, api):
    product(api, "P-1")
    product(api, "P-2")
    errors = problem_errors(api.delete("/api/Products"))
    assert errors == {"productId": ["The productId field is required."]}
    assert len(sandbox.state()["products"]) == 2  # never "delete all"
    response = api.delete("/api/Products", params={"productId": "P-1"})
    assert response.status_code == 200
    assert api.get("/api/Products", params={"code": "P-1"}).status_code == 404
    assert api.delete("/api/Products", params={"productId": "P-1"}).status_code == 404
    assert [p["productId"] for p in api.get("/api/Products").json()] == ["P-2"]


# -- customers, suppliers, locations -----------------------------------------------------------------------------

def test_customers_upsert_by_code(api):
    assert api.get("/api/Customers").json() == []
    response = api.put("/api/Customers", json={"code": "C-1", "name": "Alpha", "city": "Springfield"})
    assert response.status_code == 200
    saved = response.json()
    assert isinstance(saved, list) and len(saved) == 1
    assert saved[0]["code"] == "C-1" and saved[0]["phone"] is None and len(saved[0]) == 11
    updated = api.put("/api/Customers", json={"code": "C-1", "phone": "123"}).json()[0]
    assert updated["name"] == "Alpha" and updated["phone"] == "123"
    assert api.get("/api/Customers/C-1").json() == updated
    assert api.get("/api/Customers").json() == [updated]
    response = api.get("/api/Customers/C-2")
    assert response.status_code == 404 and response.json()["status"] == 404
    assert problem_errors(api.put("/api/Customers", json={"name": "no code"})) == {"Code": ["The Code field is required."]}


def test_suppliers(api):
    response = api.post("/api/Suppliers", json=[{"supplierCode": "S-1", "supplierName": "One"}, {"supplierCode": "S-2"}])
    assert response.status_code == 201
    created = response.json()
    assert [s["supplierCode"] for s in created] == ["S-1", "S-2"]
    again = api.post("/api/Suppliers", json=[{"supplierCode": "S-1", "emailAddress": "a@b.c"}]).json()[0]
    assert again["id"] == created[0]["id"] and again["supplierName"] == "One" and again["emailAddress"] == "a@b.c"
    single = api.get("/api/Suppliers", params={"code": "S-1"})
    assert single.status_code == 200 and single.json() == again  # a single object, not a list
    assert api.get("/api/Suppliers").status_code == 404  # without code: 404, use SuppliersBulk
    assert api.get("/api/Suppliers", params={"code": "S-9"}).status_code == 404
    assert len(api.get("/api/SuppliersBulk").json()) == 2
    assert api.delete("/api/Suppliers", params={"supplierCodeOrName": "One"}).status_code == 201
    assert api.delete("/api/Suppliers", params={"supplierCodeOrName": "S-2"}).status_code == 201
    assert api.delete("/api/Suppliers", params={"supplierCodeOrName": "S-2"}).status_code == 404
    assert api.get("/api/SuppliersBulk").json() == []
    errors = problem_errors(api.post("/api/Suppliers", json=[{"supplierCode": "S-3"}, {"supplierName": "no code"}]))
    assert errors == {"[1].SupplierCode": ["The SupplierCode field is required."]}
    assert api.get("/api/SuppliersBulk").json() == []
    assert list(problem_errors(api.post("/api/Suppliers", json={"supplierCode": "S-3"}))) == ["$"]


def test_locations_are_unreadable_by_default_like_production(sandbox, api):
    response = api.post("/api/Locations", json={"locationCode": "L-1", "locationName": "Main"})
    assert response.status_code == 201
    assert response.json() == {"id": 1, "locationCode": "L-1", "locationName": "Main", "externalId": None}
    assert api.get("/api/Locations").status_code == 404
    assert api.get("/api/Locations", params={"code": "L-1"}).status_code == 404
    sandbox.configure(locations_readable=True)
    assert api.get("/api/Locations", params={"code": "L-1"}).json()["locationName"] == "Main"
    assert api.get("/api/Locations", params={"code": "L-2"}).status_code == 404
    assert [loc["locationCode"] for loc in api.get("/api/Locations").json()] == ["L-1"]


def test_location_v1_matches_code_or_name_and_v2_code_only(sandbox, api):
    sandbox.configure(locations_readable=True)
    first = api.post("/api/Locations", json={"locationCode": "L-1", "locationName": "Main"}).json()
    renamed = api.post("/api/Locations", json={"locationCode": "L-NEW", "locationName": "Main"}).json()
    assert renamed["id"] == first["id"] and renamed["locationCode"] == "L-NEW"
    twin = api.post("/api/V2/Locations", json={"locationCode": "L-2", "locationName": "Main"})
    assert twin.status_code == 201 and twin.json()["id"] != first["id"]
    updated = api.post("/api/V2/Locations", json={"locationCode": "L-2", "externalId": "x"}).json()
    assert updated["id"] == twin.json()["id"] and updated["locationName"] == "Main" and updated["externalId"] == "x"
    assert len(api.get("/api/Locations").json()) == 2
    assert problem_errors(api.post("/api/V2/Locations", json={"locationName": "x"})) == {"LocationCode": ["The LocationCode field is required."]}


def test_readable_switches_as_constructor_options():
    with StockTrimSandbox(auth_id="a", auth_signature="b", locations_readable=True, sales_orders_readable=True) as other:
        client = Client(other.url, headers={"api-auth-id": "a", "api-auth-signature": "b"})
        assert client.get("/api/Locations").json() == []
        assert client.get("/api/SalesOrders").json() == []
        other.reset()  # reset keeps the constructor's switches
        assert client.get("/api/Locations").status_code == 200
        client.close()


# -- purchase orders --------------------------------------------------------------------------------------------

def test_purchase_order_upsert_by_client_reference_number(api):
    response = api.post("/api/PurchaseOrders", json=dict(PO, clientReferenceNumber="C-1", orderDate="2025-03-01T10:00:00Z"))
    assert response.status_code == 201
    created = response.json()
    assert created["location"] is None  # null, not an empty object
    assert created["status"] == "Draft" and created["message"] is None and created["fullyReceivedDate"] is None
    assert NAIVE_MS.match(created["createdDate"])
    assert created["orderDate"] == "2025-03-01T10:00:00"  # naive, no offset
    assert created["purchaseOrderLineItems"] == [{"productId": "P-1", "quantity": 4, "receivedDate": None, "unitPrice": 2.5}]
    response = api.post("/api/PurchaseOrders", json=dict(PO, clientReferenceNumber="C-1", status="approved",
                                                         location={"locationCode": "L-1"}))
    assert response.status_code == 200
    updated = response.json()
    assert updated["id"] == created["id"] and updated["status"] == "Approved"
    assert updated["orderDate"] == created["orderDate"]  # omitted: kept
    assert updated["location"] == {"locationCode": "L-1", "locationName": None}
    assert api.post("/api/PurchaseOrders", json=dict(PO, clientReferenceNumber="C-2", status=2)).json()["status"] == "Sent"
    assert api.post("/api/PurchaseOrders", json=PO).status_code == 201  # no key: always a new order


def test_purchase_order_date_cannot_be_cleared(sandbox, api):
    api.post("/api/PurchaseOrders", json=dict(PO, clientReferenceNumber="C-1", orderDate="2025-03-01T10:00:00"))
    errors = problem_errors(api.post("/api/PurchaseOrders", json=dict(PO, clientReferenceNumber="C-1", orderDate=None)))
    assert errors == {"OrderDate": ["The OrderDate field is required."]}
    assert sandbox.state()["purchaseOrders"][0]["orderDate"] == "2025-03-01T10:00:00"


def test_purchase_order_supplier_name_only_creates_an_orphan_supplier(api):
    api.post("/api/PurchaseOrders", json={"supplier": {"supplierName": "Walk-in"}, "purchaseOrderLineItems": []})
    api.post("/api/PurchaseOrders", json={"supplier": {"supplierCode": "S-7", "supplierName": "Seven"}, "purchaseOrderLineItems": []})
    suppliers = api.get("/api/SuppliersBulk").json()
    assert [(s["supplierCode"], s["supplierName"]) for s in suppliers] == [(None, "Walk-in"), ("S-7", "Seven")]
    order = api.post("/api/PurchaseOrders", json={"supplier": {"supplierCode": "S-7"}, "purchaseOrderLineItems": []}).json()
    assert order["supplier"] == {"supplierCode": "S-7", "supplierName": "Seven"}
    assert len(api.get("/api/SuppliersBulk").json()) == 2


def test_purchase_order_v1_reads_and_delete(sandbox, api):
    assert api.get("/api/PurchaseOrders").status_code == 404  # empty store: 404
    assert api.get("/api/PurchaseOrders", params={"referenceNumber": "X"}).status_code == 404
    first = api.post("/api/PurchaseOrders", json=dict(PO, clientReferenceNumber="C-1", referenceNumber="R-1")).json()
    api.post("/api/PurchaseOrders", json=dict(PO, clientReferenceNumber="C-2"))
    by_reference = api.get("/api/PurchaseOrders", params={"referenceNumber": "R-1"}).json()
    assert by_reference == first  # a single object
    assert api.get("/api/PurchaseOrders", params={"referenceNumber": "C-1"}).json() == first
    assert len(api.get("/api/PurchaseOrders").json()) == 2
    response = api.delete("/api/PurchaseOrders", params={"referenceNumber": "C-1"})
    assert response.status_code == 204 and response.content == b""
    assert api.get("/api/PurchaseOrders", params={"referenceNumber": "R-1"}).status_code == 404
    assert api.delete("/api/PurchaseOrders", params={"referenceNumber": "C-1"}).status_code == 404
    sandbox.configure(purchase_orders_readable=False)
    assert api.get("/api/PurchaseOrders").status_code == 404


def test_purchase_orders_v2_pages_and_status(api):
    for index in range(7):
        api.post("/api/PurchaseOrders", json=dict(PO, clientReferenceNumber="C-%d" % index, status="Sent" if index % 2 else "Draft"))
    assert len(api.get("/api/V2/PurchaseOrders").json()) == 7  # default page size 10
    pages = [api.get("/api/V2/PurchaseOrders", params={"page": page, "pageSize": 3}).json() for page in range(4)]
    assert [len(page) for page in pages] == [3, 3, 1, 0]
    assert [po["clientReferenceNumber"] for page in pages for po in page] == ["C-%d" % i for i in range(7)]
    sent = api.get("/api/V2/PurchaseOrders", params={"status": "Sent"}).json()
    assert [po["clientReferenceNumber"] for po in sent] == ["C-1", "C-3", "C-5"]
    assert list(problem_errors(api.get("/api/V2/PurchaseOrders", params={"status": "Lost"}))) == ["status"]
    assert list(problem_errors(api.get("/api/V2/PurchaseOrders", params={"page": "x"}))) == ["page"]
    assert api.get("/api/V2/PurchaseOrders/C-3").json()["status"] == "Sent"
    assert api.get("/api/V2/PurchaseOrders/nope").status_code == 404


def test_order_plan_purchase_order_generation_is_not_idempotent(api):
    product(api, "P-1", supplierCode="S-1", stockOnHand=5, leadTime=10, orderFrequency=30, overriddenDemand=30, overriddenDemandPeriod=30, cost=2)
    product(api, "P-2", supplierCode="S-2", stockOnHand=0, overriddenDemand=10, overriddenDemandPeriod=10)
    product(api, "P-3", supplierCode="S-1", stockOnHand=1000)  # no demand: nothing to order
    response = api.post("/api/V2/PurchaseOrders/OrderPlan", json={"supplierCodes": ["S-1"]})
    assert response.status_code == 200
    orders = response.json()
    assert len(orders) == 1
    assert orders[0]["status"] == "Draft" and orders[0]["supplier"]["supplierCode"] == "S-1"
    assert orders[0]["purchaseOrderLineItems"] == [{"productId": "P-1", "quantity": 35, "receivedDate": None, "unitPrice": 2}]
    again = api.post("/api/V2/PurchaseOrders/OrderPlan", json={"supplierCodes": ["S-1"]}).json()
    assert again[0]["id"] != orders[0]["id"]
    everything = api.post("/api/V2/PurchaseOrders/OrderPlan", json={}).json()
    assert sorted(po["supplier"]["supplierCode"] for po in everything) == ["S-1", "S-2"]
    assert len(api.get("/api/V2/PurchaseOrders", params={"pageSize": 50}).json()) == 4


# -- sales orders -----------------------------------------------------------------------------------------------

SALE = {"productId": "P-1", "orderDate": "2025-05-01T00:00:00", "quantity": 2}


def test_sales_orders_post_always_creates(sandbox, api):
    first = api.post("/api/SalesOrders", json=SALE)
    second = api.post("/api/SalesOrders", json=SALE)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]
    assert first.json()["locationId"] == 0 and first.json()["externalReferenceId"] is None
    assert len(sandbox.state()["salesOrders"]) == 2
    errors = problem_errors(api.post("/api/SalesOrders", json=dict(SALE, quantity=-1)))
    assert errors == {"Quantity": ["The field Quantity must be between 0 and 1.7976931348623157E+308."]}
    assert set(problem_errors(api.post("/api/SalesOrders", json={"quantity": 1}))) == {"OrderDate", "ProductId"}


def test_sales_orders_are_unreadable_by_default(sandbox, api):
    api.post("/api/SalesOrders", json=SALE)
    assert api.get("/api/SalesOrders").status_code == 404
    assert api.get("/api/SalesOrders", params={"productId": "P-1"}).status_code == 404
    sandbox.configure(sales_orders_readable=True)
    assert len(api.get("/api/SalesOrders", params={"productId": "P-1"}).json()) == 1
    assert api.get("/api/SalesOrders", params={"productId": "P-2"}).json() == []


def test_sales_orders_bulk_post_and_put_upsert(sandbox, api):
    sandbox.configure(sales_orders_readable=True)
    bulk = {"orderDate": "2025-05-01T00:00:00", "locationCode": "L-1", "customerCode": "C-1",
            "saleOrderLineItems": [dict(SALE, externalReferenceId="E-1"), dict(SALE, productId="P-2", externalReferenceId="E-2", locationCode="L-2")]}
    response = api.post("/api/SalesOrdersBulk", json=bulk)
    assert response.status_code == 201 and response.json()["externalReferenceId"] == "E-1"
    lines = api.get("/api/SalesOrders").json()
    assert [(s["locationCode"], s["customerCode"]) for s in lines] == [("L-1", "C-1"), ("L-2", "C-1")]
    bulk["saleOrderLineItems"][0]["quantity"] = 9
    response = api.put("/api/SalesOrdersBulk", json=bulk)
    assert response.status_code == 201
    after = api.get("/api/SalesOrders").json()
    assert len(after) == 2 and after[0]["quantity"] == 9 and after[0]["id"] == lines[0]["id"]
    response = api.put("/api/SalesOrdersBulk", json=dict(bulk, saleOrderLineItems=[dict(SALE, externalReferenceId="E-3")]))
    assert len(api.get("/api/SalesOrders").json()) == 3
    assert set(problem_errors(api.post("/api/SalesOrdersBulk", json={"saleOrderLineItems": [SALE]}))) == {"OrderDate"}


def test_sales_order_deletes(sandbox, api):
    sandbox.configure(sales_orders_readable=True)
    for product_id, day, location in (("P-1", 1, "L-1"), ("P-1", 10, "L-2"), ("P-2", 5, "L-1"), ("P-2", 20, "L-2"), ("P-3", 2, "L-3")):
        api.post("/api/SalesOrders", json=dict(SALE, productId=product_id, orderDate="2025-05-%02dT00:00:00" % day, locationCode=location))
    assert problem_errors(api.delete("/api/SalesOrders")) == {"productId": ["The productId field is required."]}
    assert api.delete("/api/SalesOrders", params={"productId": "P-3"}).status_code == 200
    assert set(problem_errors(api.delete("/api/SalesOrders/Range", params={"fromDate": "2025-05-01"}))) == {"toDate"}
    response = api.delete("/api/SalesOrders/Range", params={"fromDate": "2025-05-01T00:00:00", "toDate": "2025-05-06T00:00:00", "productId": "P-2"})
    assert response.status_code == 200
    assert [(s["productId"], s["orderDate"][8:10]) for s in api.get("/api/SalesOrders").json()] == [("P-1", "01"), ("P-1", "10"), ("P-2", "20")]
    assert api.delete("/api/SalesOrdersLocation", params={"locationCodeOrName": "L-2"}).status_code == 200
    assert [s["orderDate"][8:10] for s in api.get("/api/SalesOrders").json()] == ["01"]
    assert api.delete("/api/SalesOrders/All").status_code == 200
    assert api.get("/api/SalesOrders").json() == []


# -- inventory, boms --------------------------------------------------------------------------------------------

def test_inventory_sets_locations_and_sums(api):
    product(api, "P-1", stockOnHand=100, stockOnOrder=100)
    product(api, "P-2", stockOnHand=1)
    response = api.post("/api/Inventory", json={
        "updateOverallAllOnHandToBeSumOfLocation": True, "updateOverallAllOnOrderToBeSumOfLocation": False,
        "inventory": [{"productId": "P-1", "locationCode": "L-1", "locationName": "Main", "stockOnHand": 5, "stockOnOrder": 2},
                      {"productId": "P-1", "locationCode": "L-2", "stockOnHand": 7.5, "stockOnOrder": 1},
                      {"productId": "P-2", "stockOnHand": 42, "stockOnOrder": 3}]})
    assert response.status_code == 200
    assert isinstance(response.json(), dict)
    first = api.get("/api/Products", params={"code": "P-1"}).json()[0]
    assert first["stockOnHand"] == 12.5 and first["stockOnOrder"] == 100  # summed / unchanged
    assert first["stockLocations"] == [{"locationCode": "L-1", "locationName": "Main", "stockOnHand": 5, "stockOnOrder": 2},
                                       {"locationCode": "L-2", "locationName": None, "stockOnHand": 7.5, "stockOnOrder": 1}]
    second = api.get("/api/Products", params={"code": "P-2"}).json()[0]
    assert second["stockOnHand"] == 42 and second["stockOnOrder"] == 3 and second["stockLocations"] == []
    api.post("/api/Inventory", json={"updateOverallAllOnHandToBeSumOfLocation": True, "updateOverallAllOnOrderToBeSumOfLocation": True,
                                     "inventory": [{"productId": "P-1", "locationCode": "L-1", "stockOnHand": 1, "stockOnOrder": 4}]})
    first = api.get("/api/Products", params={"code": "P-1"}).json()[0]
    assert first["stockOnHand"] == 8.5 and first["stockOnOrder"] == 5
    assert first["stockLocations"][0]["locationName"] == "Main"


def test_inventory_for_an_unknown_product_changes_nothing(sandbox, api):
    product(api, "P-1", stockOnHand=1)
    response = api.post("/api/Inventory", json={"inventory": [{"productId": "P-1", "stockOnHand": 9}, {"productId": "NOPE", "stockOnHand": 1}]})
    assert list(problem_errors(response)) == ["Inventory[1].ProductId"]
    assert sandbox.state()["products"][0]["stockOnHand"] == 1


def test_bill_of_materials(api):
    product(api, "KIT")
    product(api, "PART-1")
    product(api, "PART-2")
    response = api.post("/api/boms", json={"productId": "KIT", "componentId": "PART-1", "quantity": 2})
    assert response.status_code == 201
    line = response.json()
    assert line["skuProduct"]["productId"] == "KIT" and line["skuComponent"]["productId"] == "PART-1" and line["quantity"] == 2
    again = api.post("/api/boms", json={"productId": "KIT", "componentId": "PART-1", "quantity": 3}).json()
    assert again["id"] == line["id"] and again["quantity"] == 3
    api.post("/api/boms", json={"productId": "KIT", "componentId": "PART-2", "quantity": 1})
    listed = api.get("/api/boms", params={"productId": "KIT"})
    assert listed.status_code == 200 and [b["componentId"] for b in listed.json()] == ["PART-1", "PART-2"]
    assert [b["productId"] for b in api.get("/api/boms", params={"componentId": "PART-2"}).json()] == ["KIT"]
    assert api.get("/api/boms", params={"productId": "PART-1"}).json() == []
    assert set(problem_errors(api.post("/api/boms", json={"productId": "KIT", "componentId": "GHOST"}))) == {"ComponentId"}
    assert set(problem_errors(api.delete("/api/boms", params={"productId": "KIT"}))) == {"componentId"}
    assert api.delete("/api/boms", params={"productId": "KIT", "componentId": "PART-1"}).status_code == 201
    assert api.delete("/api/boms", params={"productId": "KIT", "componentId": "PART-1"}).status_code == 404
    assert len(api.get("/api/boms").json()) == 1


# -- order plan, forecasting, settings ----------------------------------------------------------------------------

def test_order_plan_results_and_body_pagination(api):
    for index in range(5):
        product(api, "P-%d" % index, name="Item %d" % index, category="Tools" if index < 4 else "Food", stockOnHand=index,
                overriddenDemand=1, overriddenDemandPeriod=1, leadTime=3)
    product(api, "OLD", discontinued=True)
    response = api.post("/api/OrderPlan", json={"perPage": 2, "page": 0, "currentStatus": "Current", "category": "Tools"})
    assert response.status_code == 200
    document = response.json()
    assert set(document) == {"results", "filterCriteria"}
    assert [r["productCode"] for r in document["results"]] == ["P-0", "P-1"]
    criteria = document["filterCriteria"]
    assert criteria["currentStatus"] is None and criteria["hasNextPage"] is True and criteria["perPage"] == 2
    assert criteria["category"] == "Tools"
    last = api.post("/api/OrderPlan", json={"perPage": 2, "page": 1, "category": "Tools"}).json()
    assert [r["productCode"] for r in last["results"]] == ["P-2", "P-3"] and last["filterCriteria"]["hasNextPage"] is False
    result = last["results"][0]
    assert result["stockOnHand"] == 2 and result["daysUntilStockOut"] == 2 and result["leadTimeDays"] == 3
    assert result["avgDailyOrdersLast120Days"] == 1 and result["isDiscontinued"] is False
    assert [r["productCode"] for r in api.post("/api/OrderPlan", json={"searchString": "item 4"}).json()["results"]] == ["P-4"]
    discontinued = api.post("/api/OrderPlan", json={"currentStatus": "Discontinued"}).json()["results"]
    assert [r["productCode"] for r in discontinued] == ["OLD"]
    assert len(api.post("/api/OrderPlan", json={"currentStatus": "All"}).json()["results"]) == 6
    assert api.post("/api/OrderPlan").status_code == 415


def test_forecast_run_and_processing_status_polls(sandbox, api):
    assert api.get("/api/ProcessingStatus").json()["isProcessing"] is False
    response = api.post("/api/RunForecastCalculations")
    assert response.status_code == 201
    polls = [api.get("/api/ProcessingStatus").json() for _index in range(3)]
    assert [p["isProcessing"] for p in polls] == [True, True, False]
    assert polls[0]["percentageComplete"] < polls[1]["percentageComplete"] < 100 == polls[2]["percentageComplete"]
    sandbox.configure(processing_polls=0)
    api.post("/api/RunForecastCalculations")
    assert api.get("/api/ProcessingStatus").json()["isProcessing"] is False
    echo = api.post("/api/ProcessingStatus", json={"isProcessing": True, "percentageComplete": 40, "statusMessage": "busy"})
    assert echo.status_code == 200
    assert echo.json() == {"isProcessing": True, "percentageComplete": 40, "statusMessage": "busy"}
    assert api.get("/api/ProcessingStatus").json()["statusMessage"] == "busy"


def test_settings_and_configuration(api):
    assert api.get("/api/InventoryManagementSystemSettings").json() == {"name": "StockTrimIncomingApi"}
    assert api.post("/api/InventoryManagementSystemSettings", json={"api": "CsvUpload"}).status_code == 201
    assert api.get("/api/InventoryManagementSystemSettings").json() == {"name": "CsvUpload"}
    for wrong in ("not a name", 5, None):
        assert list(problem_errors(api.post("/api/InventoryManagementSystemSettings", json={"api": wrong}))) == ["$.api"]
    assert api.get("/api/Configuration/anything").json() == {"name": None}


# -- fault injection --------------------------------------------------------------------------------------------

def test_fault_status_with_retry_after_for_n_requests(api, control):
    product(api, "P-1")
    response = control.post("/_sandbox/faults", json={"method": "GET", "path": "/api/products", "status": 503, "retry_after": "1", "times": 2})
    assert response.status_code == 201
    for _attempt in range(2):
        response = api.get("/api/Products", params={"code": "P-1"})
        assert response.status_code == 503 and response.headers["Retry-After"] == "1"
    assert api.get("/api/Products", params={"code": "P-1"}).status_code == 200
    assert control.get("/_sandbox/faults").json() == []


def test_another_writer_changes_a_record_when_a_request_arrives_or_just_after_it(sandbox, api):
    product(api, "P-1")

    def recount(value):
        def change(store):
            store.products["P-1"]["stockOnHand"] = value
        return change

    sandbox.another_writer("POST", "/api/Products", recount(7))
    sandbox.add_fault(method="POST", path="/api/Products", status=503)
    assert api.post("/api/Products", json={"productId": "P-1", "name": "n"}).status_code == 503
    assert sandbox.pending_writers() == 1  # a request the fault answered was not processed: no change yet
    assert api.post("/api/Products", json={"productId": "P-1", "name": "n"}).json()["stockOnHand"] == 7
    assert sandbox.pending_writers() == 0
    sandbox.another_writer("GET", "/api/Products", recount(9), after_processing=True)
    assert api.get("/api/Products", params={"code": "P-1"}).json()[0]["stockOnHand"] == 7  # read before the change
    assert api.get("/api/Products", params={"code": "P-1"}).json()[0]["stockOnHand"] == 9
    sandbox.another_writer("GET", "/api/Products", recount(1))
    sandbox.reset()
    assert sandbox.pending_writers() == 0


def test_fault_matches_method_and_path_only(sandbox, api):
    sandbox.add_fault(method="POST", path="/api/Products", status=500, times=-1)
    assert api.get("/api/Products").status_code == 404  # GET not affected
    assert api.post("/api/Products", json={"productId": "P-1"}).status_code == 500
    assert api.post("/api/Products", json={"productId": "P-1"}).status_code == 500
    assert sandbox.state()["products"] == []  # the fault answered before processing
    assert sandbox.faults()[0]["hits"] == 2
    sandbox.clear_faults()
    assert api.post("/api/Products", json={"productId": "P-1"}).status_code == 201


def test_fault_with_wildcards_and_html_body(sandbox, api):
    sandbox.add_fault(path="/api/V2/*", status=500, html=True)
    response = api.post("/api/v2/purchaseorders/orderplan", json={})
    assert response.status_code == 500
    assert response.headers["Content-Type"].startswith("text/html") and "<html>" in response.text
    sandbox.add_fault(path="/api/OrderPlan", status=502, body="bad gateway")
    response = api.post("/api/OrderPlan", json={})
    assert response.status_code == 502 and response.text == "bad gateway"


def test_fault_delay_provokes_a_read_timeout(sandbox, api):
    # a delay far longer than the timeout, so that the timeout fires first however busy the machine is; the
    # test then ends the delay itself rather than sleeping it out
    sandbox.add_fault(path="/api/Customers", delay=LONG_DELAY)
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        api.get("/api/Customers", timeout=0.3)
    assert time.monotonic() - started < LONG_DELAY  # the client gave up before the answer
    assert sandbox.wait_delayed(1)  # the request still sleeps out its delay: not answered, not logged
    assert sandbox.requests() == []
    assert sandbox.release_delays() == 1
    assert sandbox.wait_idle()  # the delayed request has been answered (to a client that had gone)
    assert [(entry["path"], entry["status"]) for entry in sandbox.requests()] == [("/api/Customers", 200)]
    response = api.get("/api/Customers", timeout=2)
    assert response.status_code == 200
    started = time.monotonic()
    sandbox.add_fault(path="/api/Customers", delay=0.4)
    assert api.get("/api/Customers").status_code == 200  # a delay alone then answers normally
    assert time.monotonic() - started >= 0.4


def test_fault_drop_closes_the_connection_without_answer(sandbox, api):
    sandbox.add_fault(path="/api/Products", drop=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        api.post("/api/Products", json={"productId": "P-1"})
    assert sandbox.state()["products"] == []
    assert sandbox.requests()[-1]["status"] is None
    assert api.post("/api/Products", json={"productId": "P-1"}).status_code == 201


def test_fault_after_processing_changes_state_then_loses_the_answer(sandbox, api):
    sandbox.add_fault(method="POST", path="/api/SalesOrders", drop=True, after_processing=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        api.post("/api/SalesOrders", json=SALE)
    assert len(sandbox.state()["salesOrders"]) == 1  # the order exists although the client saw no answer
    sandbox.add_fault(method="POST", path="/api/Products", status=504, after_processing=True)
    assert api.post("/api/Products", json={"productId": "P-1"}).status_code == 504
    assert [p["productId"] for p in sandbox.state()["products"]] == ["P-1"]
    sandbox.add_fault(method="POST", path="/api/Products", delay=LONG_DELAY, after_processing=True)
    with pytest.raises(requests.exceptions.ReadTimeout):
        api.post("/api/Products", json={"productId": "P-2"}, timeout=0.3)
    assert sandbox.wait_delayed(1)  # the delay comes after the processing: once it sleeps, the product exists
    assert [p["productId"] for p in sandbox.state()["products"]] == ["P-1", "P-2"]
    assert sandbox.release_delays() == 1 and sandbox.wait_idle()


def test_fault_validation(control, sandbox):
    for spec in ({"status": 503}, {"path": "api/x", "status": 503}, {"path": "/api/x"}, {"path": "/api/x", "status": 999},
                 {"path": "/api/x", "status": 503, "times": 0}, {"path": "/api/x", "status": "503"}, {"path": "/x", "drop": 1},
                 {"path": "/api/x", "status": 503, "colour": "red"}):
        response = control.post("/_sandbox/faults", json=spec)
        assert response.status_code == 400, spec
        assert response.json()["error"]
    with pytest.raises(ValueError):
        sandbox.add_fault(path="/api/x")
    assert control.post("/_sandbox/faults", json=[{"path": "/a", "status": 500}, {"path": "/b", "drop": True}]).status_code == 201
    assert len(control.get("/_sandbox/faults").json()) == 2
    assert control.delete("/_sandbox/faults").status_code == 200
    assert sandbox.faults() == []


# -- request counting, control API, state ------------------------------------------------------------------------

def test_request_log_and_counts(sandbox, api, control):
    api.post("/api/Products", json={"productId": "P-1"})
    api.post("/api/products", json={"productId": "P-1"})
    api.get("/api/Products", params={"code": "P-1"})
    api.get("/api/Nothing")
    control.get("/_sandbox/state")
    log = control.get("/_sandbox/requests").json()
    assert [(r["method"], r["path"], r["query"], r["status"]) for r in log["requests"]] == [
        ("POST", "/api/Products", "", 201), ("POST", "/api/products", "", 200), ("GET", "/api/Products", "code=P-1", 200),
        ("GET", "/api/Nothing", "", 404)]
    assert log["counts"] == {"POST": 2, "GET": 2} and log["total"] == 4
    assert log["by_route"] == {"POST /api/Products": 2, "GET /api/Products": 1, "GET /api/Nothing": 1}
    assert sandbox.request_count("post", "/API/products") == 2 and sandbox.request_count(path="/api/Nothing") == 1
    assert sandbox.request_count() == 4 and sandbox.request_count("DELETE") == 0
    assert control.delete("/_sandbox/requests").status_code == 200
    assert control.get("/_sandbox/requests").json()["requests"] == []


def test_reset_clears_state_faults_logs_and_config(sandbox, api, control):
    product(api, "P-1")
    sandbox.add_fault(path="/api/Customers", status=500)
    sandbox.configure(locations_readable=True)
    assert control.post("/_sandbox/reset", data=b"{}", headers={"Content-Type": "application/json"}).status_code == 200
    assert sandbox.faults() == [] and sandbox.requests() == []
    assert sandbox.state()["products"] == []
    assert control.get("/_sandbox/config").json()["locations_readable"] is False
    assert api.get("/api/Customers").status_code == 200
    assert product(api, "P-2")["id"] == 1  # ids start again


def test_config_validation(control):
    assert control.post("/_sandbox/config", json={"colour": True}).status_code == 400
    assert control.post("/_sandbox/config", json={"locations_readable": "yes"}).status_code == 400
    assert control.post("/_sandbox/config", json={"auth_failure_status": 200}).status_code == 400
    response = control.post("/_sandbox/config", json={"sales_orders_readable": True, "processing_polls": 5})
    assert response.status_code == 200 and response.json()["processing_polls"] == 5
    assert control.get("/_sandbox/nothing").status_code == 404
    assert control.get("/_sandbox/health").json()["status"] == "ok"


def test_state_dump_and_seed(sandbox, api, control):
    product(api, "P-1", name="Widget")
    api.put("/api/Customers", json={"code": "C-1"})
    state = control.get("/_sandbox/state").json()
    assert state["products"][0]["name"] == "Widget" and state["customers"][0]["code"] == "C-1"
    seeded = control.put("/_sandbox/state", json={"products": [{"productId": "S-1", "stockOnHand": 3}],
                                                  "purchaseOrders": [dict(PO, clientReferenceNumber="C-9")]})
    assert seeded.status_code == 200
    assert [p["productId"] for p in api.get("/api/Products").json()] == ["S-1"]
    assert api.get("/api/Customers").json() == []
    assert api.get("/api/V2/PurchaseOrders/C-9").json()["status"] == "Draft"
    assert product(api, "S-2")["id"] == 2
    assert control.put("/_sandbox/state", json={"products": [{"name": "no id"}]}).status_code == 400
    assert control.put("/_sandbox/state", json={"widgets": []}).status_code == 400


def test_state_file_survives_a_restart(tmp_path):
    state_file = tmp_path / "state.json"
    headers = {"api-auth-id": "a", "api-auth-signature": "b"}
    with StockTrimSandbox(auth_id="a", auth_signature="b", state_file=str(state_file)) as first:
        assert requests.post(first.url + "/api/Products", json={"productId": "P-1"}, headers=headers, timeout=5).status_code == 201
        assert json.loads(state_file.read_text())["products"][0]["productId"] == "P-1"  # saved after the change
    with StockTrimSandbox(auth_id="a", auth_signature="b", state_file=str(state_file)) as second:
        response = requests.get(second.url + "/api/Products", params={"code": "P-1"}, headers=headers, timeout=5)
        assert response.status_code == 200
        assert requests.post(second.url + "/api/Products", json={"productId": "P-2"}, headers=headers, timeout=5).json()["id"] == 2


def test_concurrent_requests_are_consistent(sandbox, api):
    errors = []

    def create(worker):
        client = Client(sandbox.url)
        for index in range(15):
            response = client.post("/api/Products", json={"productId": "W%d-%d" % (worker, index)})
            if response.status_code != 201:
                errors.append(response.status_code)
        client.close()

    threads = [threading.Thread(target=create, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    ids = [p["id"] for p in sandbox.state()["products"]]
    assert sorted(ids) == list(range(1, 121))
    assert sandbox.request_counts()["by_method"] == {"POST": 120}


def test_timestamps_are_naive_with_milliseconds(api):
    api.post("/api/RunForecastCalculations")
    api.post("/api/Products", json={"productId": "P-1"})
    result = api.post("/api/OrderPlan", json={}).json()["results"][0]
    assert NAIVE_MS.match(result["calculatedDateTime"])
    order = api.post("/api/PurchaseOrders", json=dict(PO, orderDate="2025-10-30T22:21:33.3070000")).json()
    assert order["orderDate"] == "2025-10-30T22:21:33.307"
    assert NAIVE_MS.match(order["createdDate"])


def test_command_line_serves_until_sigterm(tmp_path):
    port_file = tmp_path / "port"
    script = REPO / "tests" / "sandbox" / "stocktrim_sandbox.py"
    process = subprocess.Popen([sys.executable, str(script), "--port", "0", "--auth-id", "cli-id", "--auth-signature", "cli-secret-9",
                                "--port-file", str(port_file), "--verbose", "--locations-readable"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        assert match, line
        assert port_file.read_text().strip() == match.group(1)
        url = match.group(0)
        headers = {"api-auth-id": "cli-id", "api-auth-signature": "cli-secret-9"}
        assert requests.get(url + "/api/Locations", headers=headers, timeout=5).json() == []
        assert requests.get(url + "/api/Locations", timeout=5).status_code == 401
    finally:
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "GET /api/Locations" in err  # --verbose logs request lines
    assert "cli-secret-9" not in err and "cli-id" not in err


def test_command_line_requires_credentials(tmp_path):
    script = REPO / "tests" / "sandbox" / "stocktrim_sandbox.py"
    env = {"PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, str(script), "--port", "0"], capture_output=True, text=True, env=env, timeout=10, check=False)
    assert result.returncode == 2 and "--auth-id" in result.stderr


def test_auth_values_never_reach_the_log(sandbox, api, capsys):
    api.get("/api/Customers")
    Client(sandbox.url, headers={"api-auth-id": "leak-me", "api-auth-signature": "leak-me-too"}).get("/api/Customers")
    captured = capsys.readouterr()
    assert "leak-me" not in captured.err + captured.out
    assert AUTH_HEADERS["api-auth-signature"] not in json.dumps(sandbox.requests())


def test_latency_waits_before_every_api_request_only(sandbox, api, control, monkeypatch):
    waits = []
    monkeypatch.setattr(sandbox, "_wait", lambda seconds, generation: waits.append(seconds) or True)
    assert control.post("/_sandbox/config", json={"latency_ms": 20}).json()["latency_ms"] == 20
    assert control.post("/_sandbox/config", json={"latency_ms": -1}).status_code == 400
    assert control.post("/_sandbox/config", json={"latency_ms": 0.5}).status_code == 400
    product(api, "P-1")
    assert api.get("/api/Products").status_code == 200
    assert api.get("/api/Nothing").status_code == 404
    control.get("/_sandbox/requests")
    assert waits == [0.02, 0.02, 0.02]  # the three API requests, unknown paths too; none for /_sandbox/
    sandbox.configure(latency_ms=0)
    api.get("/api/Products")
    assert len(waits) == 3
    sandbox.configure(latency_ms=5)
    sandbox.reset()
    api.get("/api/Customers")
    assert len(waits) == 3  # reset restores the constructor's latency (0)


def test_latency_from_the_constructor_and_an_abandoned_wait(monkeypatch):
    with StockTrimSandbox(port=0, auth_id=AUTH_ID, auth_signature=AUTH_SIGNATURE, latency_ms=7) as server:
        waits = []
        monkeypatch.setattr(server, "_wait", lambda seconds, generation: waits.append(seconds) or False)
        client = Client(server.url)
        try:
            with pytest.raises(requests.ConnectionError):  # a wait cut short (stop or reset) drops the connection
                client.get("/api/Customers")
            assert waits == [0.007] and server.requests() == [] and server.configure()["latency_ms"] == 7
        finally:
            client.close()
    with pytest.raises(ValueError):
        StockTrimSandbox(latency_ms=-5)
