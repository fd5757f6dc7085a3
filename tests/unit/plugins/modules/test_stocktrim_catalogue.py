# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The StockTrim catalogue calls and the bulk product plan, against a scripted server: no real network."""

from __future__ import annotations

import json

import pytest

from ansible_collections.apiops.platforms.plugins.module_utils.errors import InputError
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim import (
    PRODUCT,
    StockTrimClient,
    plan_bulk,
    sync_products,
    validate_items,
)


def client_for(server, retries=0):
    return StockTrimClient.from_options({"url": server.url, "auth_id": "tenant", "auth_signature": "sig-secret",
                                         "retries": retries})


def page(start, count):
    return [{"id": i, "productId": "P%03d" % i, "name": "n%d" % i} for i in range(start, start + count)]


def test_list_products_reads_every_page_until_a_short_one(server):
    server.script({"body": page(0, 50)}, {"body": page(50, 50)}, {"body": page(100, 3)})
    products = client_for(server).list_products()
    assert [p["product_id"] for p in products] == ["P%03d" % i for i in range(103)]
    assert [s["path"] for s in server.seen] == ["/api/Products?pageNo=%d" % i for i in range(3)]
    assert server.seen[0]["headers"]["api-auth-id"] == "tenant"


def test_list_products_stops_on_404_after_a_full_page(server):
    server.script({"body": page(0, 50)}, {"status": 404, "body": ""})
    assert len(client_for(server).list_products()) == 50
    assert server.count("GET") == 2


def test_list_products_stops_when_the_server_ignores_page_no(server):
    server.script({"body": page(0, 50)})
    assert len(client_for(server).list_products()) == 50
    assert server.count("GET") == 2


def test_find_product_404_is_none_and_the_match_is_exact(server):
    server.script({"status": 404, "body": ""})
    assert client_for(server).find_product("X") is None
    server.script({"body": [{"productId": "X-1"}, {"productId": "X", "cost": 2}]})
    assert client_for(server).find_product("X")["cost"] == 2.0


def test_supplier_single_object_answer_and_array_upsert(server):
    server.script({"body": {"id": 4, "supplierCode": "ACME", "state": "NSW"}})
    found = client_for(server).find_supplier("ACME")
    assert found["supplier_code"] == "ACME" and found["address_state"] == "NSW" and found["id"] == 4
    server.script({"status": 201, "body": [{"id": 5, "supplierCode": "B", "supplierName": "Bee"}]})
    written = client_for(server).upsert_supplier({"supplier_code": "B", "supplier_name": "Bee", "address_state": "VIC"})
    assert json.loads(server.seen[0]["body"]) == [{"supplierCode": "B", "supplierName": "Bee", "state": "VIC"}]
    assert written["id"] == 5


def test_upsert_supplier_is_retried_after_502(server):
    server.script({"status": 502}, {"status": 201, "body": [{"supplierCode": "B"}]})
    client = client_for(server, retries=2)
    client.transport._sleep = lambda seconds: None
    assert client.upsert_supplier({"supplier_code": "B"})["supplier_code"] == "B"
    assert server.count("POST") == 2


def test_locations_unreadable_when_every_get_is_404(server):
    server.script({"status": 404, "body": ""})
    assert client_for(server).find_location("MAIN") == (False, None)
    assert client_for(server).list_locations() is None


def test_locations_readable_missing_one(server):
    server.script({"status": 404, "body": ""}, {"body": [{"locationCode": "OTHER"}]})
    assert client_for(server).find_location("MAIN") == (True, None)


def test_inventory_levels_come_from_the_product(server):
    product = {"productId": "P", "stockLocations": [{"locationCode": "MAIN", "stockOnHand": 4, "stockOnOrder": 1}]}
    server.script({"body": [product]})
    found, levels = client_for(server).find_inventory("P", "MAIN")
    assert levels == {"product_id": "P", "location_code": "MAIN", "location_name": None,
                      "stock_on_hand": 4.0, "stock_on_order": 1.0}
    server.script({"body": [product]})
    assert client_for(server).find_inventory("P", "ELSEWHERE")[1] is None


def test_set_inventory_body(server):
    server.script({"body": {}})
    client_for(server).set_inventory({"product_id": "P", "location_code": "MAIN", "stock_on_hand": 3.0,
                                      "stock_on_order": 0.0})
    assert json.loads(server.seen[0]["body"]) == {
        "updateOverallAllOnOrderToBeSumOfLocation": True, "updateOverallAllOnHandToBeSumOfLocation": True,
        "inventory": [{"productId": "P", "locationCode": "MAIN", "stockOnHand": 3.0, "stockOnOrder": 0.0}]}


def test_validate_items_names_the_index():
    with pytest.raises(InputError, match=r"products\[1\]: missing required arguments: product_id"):
        validate_items(PRODUCT, [{"product_id": "A"}, {"name": "x"}], "products", "product_id")
    with pytest.raises(InputError, match=r"products\[0\]: .*cost"):
        validate_items(PRODUCT, [{"product_id": "A", "cost": "cheap"}], "products", "product_id")
    with pytest.raises(InputError, match=r"products\[2\]: product_id 'A' is already given in products\[0\]"):
        validate_items(PRODUCT, [{"product_id": "A"}, {"product_id": "B"}, {"product_id": "A"}], "products", "product_id")
    with pytest.raises(InputError, match=r"products\[0\]: unsupported parameters: colour"):
        validate_items(PRODUCT, [{"product_id": "A", "colour": "red"}], "products", "product_id")
    with pytest.raises(InputError, match=r"products\[0\]: product_id must not be empty"):
        validate_items(PRODUCT, [{"product_id": " "}], "products", "product_id")


def test_plan_bulk_sorts_items_and_compares_lists_without_order():
    current = {
        "A": PRODUCT.from_api({"id": 1, "productId": "A", "cost": 2, "suppliers": [
            {"supplierId": "S1"}, {"supplierId": "S2", "supplierSkuCode": "x"}]}),
        "B": PRODUCT.from_api({"id": 2, "productId": "B", "name": "old"}),
    }
    items = validate_items(PRODUCT, [
        {"product_id": "A", "cost": 2.0, "suppliers": [{"supplier_id": "S2", "supplier_sku_code": "x"}, {"supplier_id": "S1"}]},
        {"product_id": "B", "name": "new"},
        {"product_id": "C", "name": "fresh"},
    ], "products", "product_id")
    plan, result = plan_bulk(PRODUCT, "product_id", items, current)
    assert (result["created"], result["updated"], result["unchanged"]) == (["C"], ["B"], ["A"])
    assert [step[0]["product_id"] for step in plan] == ["B", "C"]
    assert plan[0][2]["name"] == "new" and plan[0][2]["id"] == 2
    assert [o["product_id"] for o in result["objects"]] == ["A", "B", "C"]


class Exit(Exception):
    pass


class FakeModule:
    """Just what sync_products uses of ApiModule."""

    def __init__(self, client, check_mode=False):
        self.client = client
        self.check_mode = check_mode
        self._diff = True
        self.result = None

    def exit_json(self, **result):
        self.result = result
        raise Exit()

    def fail_error(self, err, msg=None, **extra):
        self.result = dict(err.result(), msg=msg or err.msg, failed=True, **extra)
        raise Exit()


def test_sync_products_check_mode_writes_nothing(server):
    server.script({"body": [{"id": 1, "productId": "A", "cost": 1}]})
    module = FakeModule(client_for(server), check_mode=True)
    with pytest.raises(Exit):
        sync_products(module, [{"product_id": "A", "cost": 1}, {"product_id": "B", "cost": "2"}])
    assert server.count("POST") == 0 and server.count("GET") == 1
    result = module.result
    assert (result["created"], result["updated"], result["unchanged"], result["changed"]) == (["B"], [], ["A"], True)
    assert result["diff"] == {"before": {}, "after": {"B": {"product_id": "B", "cost": 2.0}}}


def test_sync_products_reports_the_failed_writes(server):
    server.script({"body": []}, {"status": 201, "body": {"productId": "A"}},
                  {"status": 400, "body": {"title": "bad", "errors": {"Cost": ["no"]}}})
    module = FakeModule(client_for(server))
    with pytest.raises(Exit):
        sync_products(module, [{"product_id": "A"}, {"product_id": "B"}], workers=1)
    result = module.result
    assert result["failed_products"] == ["B"]
    assert result["created"] == ["A"]
    assert result["error"] == "validation"
    assert result["msg"].startswith("1 of 2 product writes failed (B)")
