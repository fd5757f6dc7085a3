# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The StockTrim order side without a server: dates, input checks, sales lines, paging, the forecast wait."""

from __future__ import annotations

import json

import pytest

from ansible_collections.apiops.platforms.plugins.module_utils.core import dates
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim import boms
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim import forecast
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim import purchase_orders as po
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim import sales_orders as so
from ansible_collections.apiops.platforms.plugins.module_utils.core.engine import UNREADABLE
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.client import StockTrimClient
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import InputError, NotFoundError, RequestTimeoutError


@pytest.mark.parametrize("text,expected", [
    ("2026-03-31", "2026-03-31T00:00:00"),
    ("2026-03-31T14:30", "2026-03-31T14:30:00"),
    ("2026-03-31 14:30:05", "2026-03-31T14:30:05"),
    ("2025-10-30T22:21:33.307", "2025-10-30T22:21:33.307"),
    ("2025-10-30T22:21:33.3070000", "2025-10-30T22:21:33.307"),
    ("2026-03-31T14:30:00Z", "2026-03-31T14:30:00"),
    ("2026-03-31T16:30:00+02:00", "2026-03-31T14:30:00"),
    ("2026-03-31T10:30:00-0400", "2026-03-31T14:30:00"),
])
def test_dates_take_one_form(text, expected):
    assert dates.format_datetime(text) == expected


@pytest.mark.parametrize("text", ["31/03/2026", "2026-13-01", "2026-02-30", "next tuesday", ""])
def test_bad_dates_are_refused_naming_the_option(text):
    with pytest.raises(InputError, match="order_date"):
        po.PURCHASE_ORDER.validate({"order_date": text})


def test_dates_compare_as_points_in_time():
    field = po.PURCHASE_ORDER.by_name["order_date"]
    assert field.same("2026-03-31", "2026-03-31T00:00:00")
    assert field.same("2026-03-31T16:30:00+02:00", "2026-03-31T14:30:00")
    assert not field.same("2026-03-31", "2026-04-01T00:00:00")
    assert not field.same("2026-03-31", None)


def test_input_checks_name_the_option_and_position():
    with pytest.raises(InputError, match=r"purchase_order_line_items\[1\]\.quantity must be 0 or more, got -2"):
        po.PURCHASE_ORDER.validate({"purchase_order_line_items": [
            {"product_id": "A", "quantity": 1}, {"product_id": "B", "quantity": -2}]})
    with pytest.raises(InputError, match=r"purchase_order_line_items\[1\]\.product_id 'A' is already given in purchase_order_line_items\[0\]"):
        po.PURCHASE_ORDER.validate({"purchase_order_line_items": [
            {"product_id": "A", "quantity": 1}, {"product_id": "A", "quantity": 2}]})
    with pytest.raises(InputError, match=r"purchase_order_line_items\[0\]\.received_date"):
        po.PURCHASE_ORDER.validate({"purchase_order_line_items": [
            {"product_id": "A", "quantity": 1, "received_date": "soon"}]})
    with pytest.raises(InputError, match="quantity must be 0 or more, got -0.5"):
        boms.BOM.validate({"quantity": -0.5})
    boms.BOM.validate({"product_id": "A", "component_id": "B", "quantity": 0})


def test_purchase_order_payload_never_sends_an_empty_order_date():
    payload = po.PURCHASE_ORDER.to_api({"client_reference_number": "PO-1", "order_date": None, "status": "Sent",
                                        "supplier": {"supplier_code": "ACME", "supplier_name": None}})
    assert payload == {"clientReferenceNumber": "PO-1", "status": "Sent", "supplier": {"supplierCode": "ACME"}}
    dated = po.PURCHASE_ORDER.to_api({"order_date": "2026-03-31"})
    assert dated == {"orderDate": "2026-03-31T00:00:00"}


def test_sales_lines_compare_by_their_reference_as_a_subset_and_merge_keeping_the_others():
    field = so.SALES_ORDER.by_name["sale_order_line_items"]
    current = [{"id": 1, "external_reference_id": "S/A", "product_id": "A", "quantity": 3.0, "unit_price": 2.0},
               {"id": 2, "external_reference_id": "L-2", "product_id": "B", "quantity": 1.0, "unit_price": None}]
    assert field.same([{"external_reference_id": "L-2", "product_id": "B", "quantity": 1}], current)
    assert not field.same([{"external_reference_id": "L-2", "product_id": "B", "quantity": 2}], current)
    assert not field.same([{"external_reference_id": "S/B", "product_id": "B", "quantity": 1}], current)
    merged = field.merged([{"external_reference_id": "S/C", "product_id": "C", "quantity": 5, "unit_price": None},
                           {"external_reference_id": "S/A", "product_id": "A", "quantity": 4, "unit_price": None}], current)
    assert [(line["product_id"], line["quantity"], line["unit_price"], line["id"]) for line in merged] == [
        ("A", 4.0, 2.0, 1), ("B", 1.0, None, 2), ("C", 5.0, None, None)]


def test_line_references_are_kept_as_given_and_only_missing_ones_follow_the_old_rule():
    lines = so.with_references("SO-1", [{"product_id": "A", "external_reference_id": "SO-1"},
                                        {"product_id": "B", "external_reference_id": None}])
    assert [line["external_reference_id"] for line in lines] == ["SO-1", "SO-1/B"]


def test_single_sale_payload_sends_the_reference_unchanged():
    body = so.sales_order_payload({"external_reference_id": "SO-1", "product_id": "A", "quantity": 3, "unit_price": 2.5,
                                   "order_date": "2026-03-31", "location_code": "WEB", "sale_order_line_items": []})
    assert body == {"orderDate": "2026-03-31T00:00:00", "locationCode": "WEB", "saleOrderLineItems": [
        {"externalReferenceId": "SO-1", "productId": "A", "orderDate": "2026-03-31T00:00:00", "quantity": 3,
         "unitPrice": 2.5, "locationCode": "WEB"}]}
    stored = [so.SALES_ORDER_LINE.from_api(dict(line, id=7, locationId=0)) for line in body["saleOrderLineItems"]]
    sale = so.sale_from_lines("SO-1", stored)
    assert sale["external_reference_id"] == "SO-1" and sale["id"] == 7 and sale["quantity"] == 3.0
    assert sale["sale_order_line_items"] == []
    assert so.sale_from_lines("SO-1/A", stored) is None


def test_sales_order_payload_and_read_back_round_trip():
    values = {"external_reference_id": "SHOP-1", "order_date": "2026-03-31", "customer_code": "C-1",
              "sale_order_line_items": [{"product_id": "A", "quantity": 3, "unit_price": None}]}
    body = so.sales_order_payload(values)
    assert body == {"orderDate": "2026-03-31T00:00:00", "customerCode": "C-1", "saleOrderLineItems": [
        {"externalReferenceId": "SHOP-1/A", "productId": "A", "orderDate": "2026-03-31T00:00:00", "quantity": 3,
         "customerCode": "C-1"}]}
    lines = [so.SALES_ORDER_LINE.from_api(dict(line, id=9, locationId=0)) for line in body["saleOrderLineItems"]]
    lines.append(so.SALES_ORDER_LINE.from_api({"id": 10, "productId": "A", "externalReferenceId": "SHOP-10/A"}))
    order = so.sales_order_from_lines("SHOP-1", lines)
    assert order["order_date"] == "2026-03-31T00:00:00"
    assert order["customer_code"] == "C-1"
    assert order["sale_order_line_items"] == [
        {"id": 9, "external_reference_id": "SHOP-1/A", "product_id": "A", "quantity": 3.0, "unit_price": None}]
    assert so.sales_order_from_lines("SHOP-2", lines) is None


class Answer:
    def __init__(self, data):
        self.data = data
        self.status = 200

    def json(self):
        return self.data


class FakeTransport:
    """Answers each (method, path) from a script: a list of answers (data, or an exception), in order."""

    def __init__(self, script):
        self.script = dict((key, list(value)) for key, value in script.items())
        self.calls = []
        self.request_count = 0

    def request(self, method, path, params=None, json=None, idempotent=None):
        self.calls.append({"method": method, "path": path, "params": params, "json": json, "idempotent": idempotent})
        answers = self.script[(method, path)]
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, Exception):
            raise answer
        return Answer(answer)

    def url_for(self, path):
        return "http://sandbox" + path


def client(script):
    return StockTrimClient(FakeTransport(script))


def test_order_plan_reads_every_page_as_an_idempotent_query():
    rows = [{"productCode": "P%d" % i, "stockOnHand": i} for i in range(3)]
    api = client({("POST", "/api/OrderPlan"): [
        {"results": rows[:2], "filterCriteria": {"page": 0, "hasNextPage": True}},
        {"results": rows[2:], "filterCriteria": {"page": 1, "hasNextPage": False}},
    ]})
    results = forecast.order_plan(api, {"supplier": "ACME", "current_status": "All"})
    assert [r["product_code"] for r in results] == ["P0", "P1", "P2"]
    assert results[2]["stock_on_hand"] == 2.0
    calls = api.transport.calls
    assert [c["json"]["page"] for c in calls] == [0, 1]
    assert all(c["idempotent"] is True for c in calls)
    assert calls[0]["json"] == {"supplier": "ACME", "currentStatus": "All", "page": 0, "perPage": 50}


def test_purchase_order_list_stops_on_a_short_page_and_on_a_repeated_page():
    page = [{"id": i, "clientReferenceNumber": "PO-%d" % i} for i in range(50)]
    api = client({("GET", "/api/V2/PurchaseOrders"): [page, page]})
    assert len(po.list_purchase_orders(api)) == 50  # a server that ignores the page number
    api = client({("GET", "/api/V2/PurchaseOrders"): [page, [{"id": 99, "clientReferenceNumber": "PO-99"}]]})
    assert len(po.list_purchase_orders(api, "Draft")) == 51
    assert api.transport.calls[0]["params"] == {"page": 0, "pageSize": 50, "status": "Draft"}


def test_purchase_order_read_falls_back_to_v2_and_checks_the_reference():
    api = client({
        ("GET", "/api/PurchaseOrders"): [{"id": 1, "clientReferenceNumber": "OTHER", "referenceNumber": "PO 1"}],
        ("GET", "/api/V2/PurchaseOrders/PO%201"): [{"id": 2, "clientReferenceNumber": "PO 1"}],
    })
    assert po.find_purchase_order(api, "PO 1")["id"] == 2
    api = client({("GET", "/api/PurchaseOrders"): [NotFoundError("404")],
                  ("GET", "/api/V2/PurchaseOrders/PO-2"): [NotFoundError("404")],
                  ("GET", "/api/V2/PurchaseOrders"): [[{"id": 3, "clientReferenceNumber": "PO-3"}]]})
    assert po.find_purchase_order(api, "PO-2") is None
    api = client({("GET", "/api/PurchaseOrders"): [NotFoundError("404")],
                  ("GET", "/api/V2/PurchaseOrders/PO-2"): [NotFoundError("404")],
                  ("GET", "/api/V2/PurchaseOrders"): [[{"id": 3, "clientReferenceNumber": "PO-3"},
                                                       {"id": 4, "clientReferenceNumber": "PO-2", "referenceNumber": "7"}]]})
    assert po.find_purchase_order(api, "PO-2")["id"] == 4  # both filters match StockTrim's own reference only


def test_sales_orders_unreadable_is_none_not_empty():
    assert so.list_sales_orders(client({("GET", "/api/SalesOrders"): [NotFoundError("404")]})) is UNREADABLE
    assert so.list_sales_orders(client({("GET", "/api/SalesOrders"): [[]]}), "A") == []


def test_the_forecast_trigger_is_never_marked_idempotent():
    api = client({("POST", "/api/RunForecastCalculations"): [None]})
    forecast.run_forecast(api)
    assert api.transport.calls[0]["idempotent"] is False


def test_forecast_wait_polls_until_done_and_times_out_with_the_last_status():
    busy = {"id": 1, "isProcessing": True, "percentageComplete": 40, "statusMessage": "Calculating"}
    done = {"id": 1, "isProcessing": False, "percentageComplete": 100, "statusMessage": "Done"}
    now = [0.0]

    def pause(seconds):
        now[0] += seconds

    api = client({("GET", "/api/ProcessingStatus"): [busy, busy, done]})
    status = forecast.wait_for_forecast(api, 60, 5, clock=lambda: now[0], pause=pause)
    assert status == {"id": 1, "is_processing": False, "percentage_complete": 100, "status_message": "Done"}
    assert now[0] == 10.0
    api = client({("GET", "/api/ProcessingStatus"): [busy]})
    with pytest.raises(RequestTimeoutError, match="still running after 12s") as err:
        forecast.wait_for_forecast(api, 12, 5, clock=lambda: now[0], pause=pause)
    assert err.value.partial["percentage_complete"] == 40
    assert err.value.result()["error"] == "timeout"


def test_order_plan_results_name_every_field_in_snake_case():
    names = [f.name for f in forecast.ORDER_PLAN_RESULT.fields]
    assert len(names) == len(set(names))
    assert all(name == name.lower() for name in names)
    row = forecast.ORDER_PLAN_RESULT.from_api({"leadDemandPredictionBasedOn2ndOrderPolynomialRegression": 1,
                                               "avgDailyOrdersLast120Days": 2, "maxRSquared": 0.5})
    assert row["lead_demand_prediction_based_on_2nd_order_polynomial_regression"] == 1.0
    assert row["avg_daily_orders_last120_days"] == 2.0
    assert row["max_r_squared"] == 0.5
    json.dumps(row)


def test_a_nested_object_naming_another_one_is_not_completed_from_the_current_one():
    current = po.PURCHASE_ORDER.from_api({"clientReferenceNumber": "PO-1", "supplier": {
        "supplierCode": "ACME", "supplierName": "Acme Supplies"}})
    same = po.PURCHASE_ORDER.merge(current, {"supplier": {"supplier_code": "ACME", "supplier_name": None}})
    assert same["supplier"] == {"supplier_code": "ACME", "supplier_name": "Acme Supplies"}
    other = {"supplier": {"supplier_code": "BOLT", "supplier_name": None}}
    assert po.PURCHASE_ORDER.merge(current, other)["supplier"] == other["supplier"]
    predicted = po.PURCHASE_ORDER.merge(current, other)
    assert predicted["supplier"] == {"supplier_code": "BOLT", "supplier_name": None}
