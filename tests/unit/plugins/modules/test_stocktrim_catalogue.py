# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The StockTrim catalogue calls and the bulk product plan, against a scripted server: no real network."""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import threading

import pytest

from ansible.module_utils.ansible_release import __version__ as ANSIBLE_CORE
from ansible.module_utils.testing import patch_module_args

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim import catalogue as cat
from ansible_collections.apiops.platforms.plugins.module_utils.core.items import validate_items
from ansible_collections.apiops.platforms.plugins.module_utils.core.engine import UNREADABLE, Context
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import ApiError, InputError, error_result
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.client import StockTrimClient
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.catalogue import (
    CUSTOMER,
    INVENTORY,
    LOCATION,
    PRODUCT,
    PRODUCTS,
    SUPPLIER,
)

MODELS = {"product": PRODUCT, "supplier": SUPPLIER, "customer": CUSTOMER, "location": LOCATION}


def check_input(model, params, *keys):
    model.validate(params, keys=keys)


def upsert(client, what, values, current=None):
    """A write as the engine sends it (the resource's declared ``writes``: a product's update carries its key and
    what differs, a replacing endpoint's the whole object with the changes)."""
    model = MODELS[what]
    body = getattr(cat, what.upper() + "_RESOURCE").body(None, values, current)
    return getattr(cat, "write_" + what)(client, body, model.merge(current, values))


def sync_products(module, items, state="present", workers=8):
    module.params = {"products": items, "state": state, "workers": workers}
    PRODUCTS.execute(Context(module, PRODUCTS))


def client_for(server, retries=0):
    return StockTrimClient.from_options({"url": server.url, "auth_id": "tenant", "auth_signature": "sig-secret",
                                         "retries": retries})


def page(start, count):
    return [{"id": i, "productId": "P%03d" % i, "name": "n%d" % i} for i in range(start, start + count)]


def test_list_products_reads_every_page_until_a_short_one(server):
    server.script({"body": page(0, 50)}, {"body": page(50, 50)}, {"body": page(100, 3)})
    products = cat.list_products(client_for(server))
    assert [p["product_id"] for p in products] == ["P%03d" % i for i in range(103)]
    assert [s["path"] for s in server.seen] == ["/api/Products?pageNo=%d" % i for i in range(3)]
    assert server.seen[0]["headers"]["api-auth-id"] == "tenant"


@pytest.mark.parametrize("end", [{"status": 404, "body": ""}, {"body": []}, {"status": 404, "body": {
    "type": "https://tools.ietf.org/html/rfc7231#section-6.5.4", "title": "Not Found", "status": 404}}, {"body": ""}])
def test_list_products_stops_after_a_last_page_of_exactly_50(server, end):
    server.script({"body": page(0, 50)}, {"body": page(50, 50)}, end)
    assert len(cat.list_products(client_for(server))) == 100
    assert server.count("GET") == 3


def test_list_products_stops_when_the_server_ignores_page_no(server):
    server.script({"body": page(0, 50)})
    assert len(cat.list_products(client_for(server))) == 50
    assert server.count("GET") == 3  # page 1 repeats page 0 whole: page 2 tells an ignored page number apart


def test_list_products_without_paging_at_all(server):
    server.script({"body": page(0, 120)})
    assert len(cat.list_products(client_for(server))) == 120
    assert server.count("GET") == 3


@pytest.mark.parametrize("size", [20, 30, 70])
def test_list_products_learns_another_page_size(server, size):
    total = 130
    pages = [{"body": page(start, min(size, total - start))} for start in range(0, total, size)]
    server.script(*(pages + [{"status": 404, "body": ""}]))
    products = cat.list_products(client_for(server))
    assert [p["product_id"] for p in products] == ["P%03d" % i for i in range(total)]
    assert server.count("GET") == len(pages) + (1 if total % size == 0 else 0)


def test_list_products_pages_counted_from_1_with_page_0_as_page_1(server):
    server.script({"body": page(0, 50)}, {"body": page(0, 50)}, {"body": page(50, 50)}, {"body": page(100, 5)})
    assert len(cat.list_products(client_for(server))) == 105
    assert [s["path"] for s in server.seen] == ["/api/Products?pageNo=%d" % i for i in range(4)]


def test_list_products_fails_when_page_0_is_refused(server):
    # GET Products counts pages from 0: a refusal of page 0 fails the read, it is never taken for a hint that
    # pages count from 1 (nor is a 429 or any other error: the listing is whole or fails)
    for first in ({"status": 400, "body": {"title": "bad page"}}, {"status": 429, "body": ""}):
        server.script(first, {"body": page(0, 50)}, {"body": page(50, 7)})
        with pytest.raises(ApiError) as info:
            cat.list_products(client_for(server))
        assert info.value.status == first["status"] and server.count("GET") == 1


def test_list_products_404_on_page_0_is_an_empty_catalogue(server):
    server.script({"status": 404, "body": ""}, {"body": page(0, 50)})  # 404: StockTrim's "nothing there"
    assert cat.list_products(client_for(server)) == []
    assert server.count("GET") == 1


def test_list_products_empty_catalogue(server):
    for empty in ({"status": 404, "body": ""}, {"body": []}, {"body": None}):
        server.script(empty)
        assert cat.list_products(client_for(server)) == []
        assert server.count("GET") == 1  # an empty page ends the read


def test_find_product_404_is_none_and_the_match_is_exact(server):
    server.script({"status": 404, "body": ""})
    assert cat.find_product(client_for(server), "X") is None
    server.script({"body": [{"productId": "X-1"}, {"productId": "X", "cost": 2}]})
    assert cat.find_product(client_for(server), "X")["cost"] == 2.0


def test_supplier_single_object_answer_and_array_upsert(server):
    server.script({"body": {"id": 4, "supplierCode": "ACME", "state": "NSW"}})
    found = cat.find_supplier(client_for(server), "ACME")
    assert found["supplier_code"] == "ACME" and found["address_state"] == "NSW" and found["id"] == 4
    server.script({"status": 201, "body": [{"id": 5, "supplierCode": "B", "supplierName": "Bee"}]})
    written = upsert(client_for(server), "supplier", {"supplier_code": "B", "supplier_name": "Bee", "address_state": "VIC"})
    assert json.loads(server.seen[0]["body"]) == [{"supplierCode": "B", "supplierName": "Bee", "state": "VIC"}]
    assert written["id"] == 5


def test_upsert_supplier_is_retried_after_502(server):
    server.script({"status": 502}, {"status": 201, "body": [{"supplierCode": "B"}]})
    client = client_for(server, retries=2)
    client.transport._sleep = lambda seconds: None
    assert upsert(client, "supplier", {"supplier_code": "B"})["supplier_code"] == "B"
    assert server.count("POST") == 2


def test_locations_unreadable_when_every_get_is_404(server):
    server.script({"status": 404, "body": ""})
    assert cat.find_location(client_for(server), "MAIN") == UNREADABLE
    assert cat.list_locations(client_for(server)) == UNREADABLE


def test_locations_readable_missing_one(server):
    server.script({"status": 404, "body": ""}, {"body": [{"locationCode": "OTHER"}]})
    assert cat.find_location(client_for(server), "MAIN") is None


def test_inventory_levels_come_from_the_product(server):
    product = {"productId": "P", "stockLocations": [{"locationCode": "MAIN", "stockOnHand": 4, "stockOnOrder": 1}]}
    server.script({"body": [product]})
    found, levels = cat.product_levels(client_for(server), "P", "MAIN")
    assert levels == {"product_id": "P", "location_code": "MAIN", "location_name": None,
                      "stock_on_hand": 4.0, "stock_on_order": 1.0}
    server.script({"body": [product]})
    assert cat.product_levels(client_for(server), "P", "ELSEWHERE")[1] is None


def test_set_inventory_body(server):
    server.script({"body": {}})
    cat.write_inventory(client_for(server), {"product_id": "P", "location_code": "MAIN", "stock_on_hand": 3.0,
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


def test_bulk_plan_sorts_items_and_compares_lists_without_order():
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
    module = FakeModule(None, check_mode=True)
    module.params = {"products": items, "workers": 1}
    ctx = Context(module, PRODUCTS)
    steps = PRODUCTS.plan(ctx, PRODUCTS.contexts(ctx, items), current)
    assert [step.action for step in steps] == ["none", "update", "create"]
    assert steps[1].predicted["name"] == "new" and steps[1].predicted["id"] == 2
    assert steps[1].body == {"product_id": "B", "name": "new"}  # a merging endpoint: the key and what differs
    assert [step.predicted["product_id"] for step in steps] == ["A", "B", "C"]


class Exit(Exception):
    pass


class FakeModule:
    """Just what sync_products uses of ApiModule."""

    def __init__(self, client, check_mode=False):
        self.client = client
        self.check_mode = check_mode
        self._diff = True
        self.result = None
        self.params = {}
        self.warnings = []

    def warn(self, msg):
        self.warnings.append(msg)

    def exit_json(self, **result):
        self.result = result
        raise Exit()

    def fail_error(self, err, msg=None, **extra):
        self.result = dict(err.result(), msg=msg or err.msg, failed=True, **extra)
        raise Exit()


def test_sync_products_check_mode_writes_nothing(server):
    server.script({"body": [{"id": 1, "productId": "A", "cost": 1}]}, {"status": 404, "body": ""})
    module = FakeModule(client_for(server), check_mode=True)
    with pytest.raises(Exit):
        sync_products(module, [{"product_id": "A", "cost": 1}, {"product_id": "B", "cost": "2"}])
    # two pages, and with the default 8 workers at most 1 read ahead past the last one (no more than were read)
    assert server.count("POST") == 0 and 2 <= server.count("GET") <= 2 + 1
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


def test_sync_suppliers_writes_every_difference_in_one_array_call(server):
    server.script({"body": [{"id": 1, "supplierCode": "ACME", "supplierName": "Acme"}, {"id": 2, "supplierCode": None}]},
                  {"status": 201, "body": [{"id": 1, "supplierCode": "ACME", "supplierName": "Acme Ltd"},
                                           {"id": 3, "supplierCode": "BOLT"}]})
    module = FakeModule(client_for(server))
    module.params = {"suppliers": [{"supplier_code": "ACME", "supplier_name": "Acme Ltd"}, {"supplier_code": "BOLT"}],
                     "state": "present", "workers": 8}
    with pytest.raises(Exit):
        cat.SUPPLIERS.execute(Context(module, cat.SUPPLIERS))
    result = module.result
    assert (result["created"], result["updated"]) == (["BOLT"], ["ACME"])
    assert [s["id"] for s in result["suppliers"]] == [1, 3]
    posts = [seen for seen in server.seen if seen["method"] == "POST"]
    assert len(posts) == 1 and [item["supplierCode"] for item in json.loads(posts[0]["body"])] == ["ACME", "BOLT"]


def test_bulk_result_as_the_module_prints_it_secrets_masked_items_counted(server):
    """The module's own output: objects without empty fields, the item list echoed as its length, the
    signature and a secret-looking header masked in the echo as before."""
    server.script({"body": [{"id": 1, "productId": "A", "name": "a", "cost": 1, "suppliers": [], "category": None}]},
                  {"status": 404, "body": ""}, {"status": 201, "body": {"productId": "B", "name": "b", "cost": None}})
    params = {"url": server.url, "auth_id": "tenant", "auth_signature": "sig-secret", "retries": 0,
              "headers": {"X-Api-Token": "tok-secret"}, "workers": 1,
              "products": [{"product_id": "A", "name": "a"}, {"product_id": "B", "name": "b"}]}
    if tuple(int(part) for part in ANSIBLE_CORE.split(".")[:2]) >= (2, 21):
        params["_ansible_inject_invocation"] = True  # from 2.21 printed only when the controller asks for it
    out = io.StringIO()
    with patch_module_args(params), contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        importlib.import_module("ansible_collections.apiops.platforms.plugins.modules.stocktrim_products").main()
    text = out.getvalue()
    result = json.loads(text)
    assert "sig-secret" not in text and "tok-secret" not in text
    assert result["products"] == [{"id": 1, "product_id": "A", "name": "a", "cost": 1.0}, {"product_id": "B", "name": "b"}]
    args = result["invocation"]["module_args"]
    assert args["products"] == 2 and args["workers"] == 1 and args["auth_id"] == "tenant"
    assert args["auth_signature"] != "sig-secret" and args["headers"]["X-Api-Token"] != "tok-secret"


OVERLAP_LIMIT = 10  # seconds a page read waits for a second one to be in flight before giving up


class PagedCatalogue:
    """``get_list`` of a catalogue of ``total`` products on pages of 50, answered by page number (so that pages
    read at once answer as one after the other would); it notes the pages asked for and the most pages in
    flight at once.

    With ``overlap`` (a read with more than one worker), a page after the first is not answered until a second
    read is in flight too, so the reads overlap whatever the load of the machine; a read that never overlaps
    gives up waiting after ``OVERLAP_LIMIT`` seconds (once: later pages do not wait again) and the test then
    finds ``most`` at 1.  Without it nothing waits: the first page, and every page of a sequential read, is
    read alone.
    """

    def __init__(self, total, overlap=False):
        self.total, self.asked, self.now, self.most = total, [], 0, 0
        self.lock = threading.Lock()
        self.overlap = overlap
        self.overlapped = threading.Event()  # set once two reads are in flight at the same time
        self.gave_up = False

    def get_list(self, path, params=None):
        assert path == "/api/Products"
        number = int(params["pageNo"])
        with self.lock:
            self.asked.append(number)
            self.now += 1
            self.most = max(self.most, self.now)
            if self.now > 1:
                self.overlapped.set()
            wait = self.overlap and number > 0 and not self.gave_up
        if wait and not self.overlapped.wait(OVERLAP_LIMIT):
            with self.lock:
                self.gave_up = True
        with self.lock:
            self.now -= 1
        return page(number * 50, max(0, min(50, self.total - number * 50)))

    def client(self):
        client = StockTrimClient(None)
        client.get_list = self.get_list
        return client


@pytest.mark.parametrize("workers", [None, 1, 4, 8])
def test_list_products_reads_pages_ahead_with_workers_in_order(workers):
    catalogue = PagedCatalogue(257, overlap=(workers or 1) > 1)  # pages 0-4 full, page 5 short: the read ends there
    products = cat.list_products(catalogue.client(), workers)
    assert [p["product_id"] for p in products] == ["P%03d" % i for i in range(257)]
    if workers in (None, 1):
        assert catalogue.asked == list(range(6))  # one page after the other, as before
    assert set(range(6)) <= set(catalogue.asked) and len(catalogue.asked) == len(set(catalogue.asked))
    # past the last page: at most workers - 1, and no more than the pages read
    assert max(catalogue.asked) <= 5 + min(6, max(0, (workers or 1) - 1))
    assert catalogue.most == 1 if workers in (None, 1) else catalogue.most > 1


@pytest.mark.parametrize("workers", [1, 4])
def test_bulk_modules_read_the_catalogue_with_their_workers(workers):
    catalogue = PagedCatalogue(160, overlap=workers > 1)
    module = FakeModule(catalogue.client(), check_mode=True)
    with pytest.raises(Exit):
        sync_products(module, [{"product_id": "P001", "name": "n1"}, {"product_id": "NEW"}], workers=workers)
    assert (module.result["created"], module.result["unchanged"]) == (["NEW"], ["P001"])
    read = len(catalogue.asked)
    module.params = {"inventory": [{"product_id": "P001", "location_code": "WH1", "stock_on_hand": 1.0}],
                     "state": "present", "workers": workers, "update_totals": True}
    with pytest.raises(Exit):
        cat.INVENTORIES.execute(Context(module, cat.INVENTORIES))
    assert module.result["created"] == ["P001/WH1"]
    assert len(catalogue.asked) - read >= 4 and max(catalogue.asked) <= 3 + workers - 1
    assert catalogue.most == 1 if workers == 1 else catalogue.most > 1


def test_inventory_levels_are_read_from_every_product_once(server):
    locations = [{"locationCode": "WH1", "stockOnHand": 2}, {"locationCode": "WH2", "stockOnOrder": 1}]
    server.script({"body": [{"productId": "A", "stockLocations": locations},
                            {"productId": "B", "stockLocations": []}]},
                  {"status": 404, "body": ""})
    levels = cat.list_levels(client_for(server))
    assert [(lv["product_id"], lv["location_code"], lv["stock_on_hand"], lv["stock_on_order"]) for lv in levels] == [
        ("A", "WH1", 2.0, None), ("A", "WH2", None, 1.0)]


# -- robustness against other plausible behaviours of the API -------------------------------------------------
def test_find_product_single_object_and_numeric_ids(server):
    server.script({"body": {"id": "7", "productId": 123, "cost": "2.5", "extra": {"unknown": True}}})
    found = cat.find_product(client_for(server), "123")
    assert found["product_id"] == "123" and found["id"] == 7 and found["cost"] == 2.5
    assert "extra" not in found


def test_find_product_reads_the_catalogue_when_the_filter_is_ignored(server):
    server.script({"body": page(0, 50)}, {"body": page(0, 50)}, {"body": page(50, 10)})
    found = cat.find_product(client_for(server), "P055")
    assert found["product_id"] == "P055"
    assert server.seen[0]["path"] == "/api/Products?code=P055"
    server.script({"body": [{"productId": "p055"}]})  # a loose match of one other product: not this one
    assert cat.find_product(client_for(server), "P055") is None
    assert server.count("GET") == 1


def test_a_product_update_sends_its_key_and_what_differs_only(server):
    """POST Products merges the keys present: an update never sends back a field the task did not give (the stock
    read earlier, which a sale may have changed since), nor an empty list for one that was absent."""
    current = PRODUCT.from_api({"id": 3, "productId": "A", "name": "Widget", "cost": 2, "stockOnHand": 7, "suppliers": [
        {"supplierId": "S1", "supplierSkuCode": "x"}]})
    server.script({"status": 200, "body": ""})
    desired = PRODUCT.desired({"product_id": "A", "cost": 3.0, "suppliers": [{"supplier_id": "S1"}]})
    after = upsert(client_for(server), "product", desired, current)
    sent = json.loads(server.seen[0]["body"])
    assert sent == {"productId": "A", "cost": 3.0}
    assert after == PRODUCT.merge(current, desired)
    server.script({"status": 201, "body": ""})
    upsert(client_for(server), "product", {"product_id": "NEW", "name": "n"})
    assert json.loads(server.seen[0]["body"]) == {"productId": "NEW", "name": "n"}


@pytest.mark.parametrize("answer", [
    {"status": 200, "body": ""},
    {"status": 201, "body": "Created"},
    {"status": 200, "body": {"message": "ok", "purchaseOrderLineItems": []}},
    {"status": 204, "body": ""},
])
def test_writes_never_fail_on_the_answer_body(server, answer):
    server.script(answer)
    client = client_for(server)
    assert upsert(client, "product", {"product_id": "A", "name": "n"})["name"] == "n"
    assert upsert(client, "supplier", {"supplier_code": "S", "supplier_name": "Es"})["supplier_name"] == "Es"
    assert upsert(client, "customer", {"code": "C", "name": "Cee"})["name"] == "Cee"
    assert upsert(client, "location", {"location_code": "L", "location_name": "El"})["location_name"] == "El"
    cat.write_inventory(client, {"product_id": "A", "location_code": "L", "stock_on_hand": 1.0, "stock_on_order": 0.0})


def test_a_partial_answer_is_completed_from_the_prediction(server):
    server.script({"status": 201, "body": {"id": 9, "productId": "A"}})
    after = upsert(client_for(server), "product", {"product_id": "A", "name": "n", "cost": 2.0})
    assert (after["id"], after["name"], after["cost"]) == (9, "n", 2.0)
    server.script({"status": 201, "body": {"id": 9, "productId": "A", "name": None}})
    assert upsert(client_for(server), "product", {"product_id": "A", "name": "n"})["name"] is None


@pytest.mark.parametrize("answer", [{"status": 201, "body": [{"code": "C", "name": "Cee", "phone": "1"}]},
                                    {"status": 200, "body": {"code": "C", "name": "Cee", "phone": "1"}}])
def test_customer_put_answered_by_a_list_or_an_object(server, answer):
    server.script(answer)
    current = CUSTOMER.from_api({"code": "C", "name": "Old", "phone": "1"})
    after = upsert(client_for(server), "customer", {"code": "C", "name": "Cee"}, current)
    assert after["phone"] == "1" and after["name"] == "Cee"
    assert json.loads(server.seen[0]["body"]) == {"code": "C", "name": "Cee", "phone": "1"}
    assert server.seen[0]["method"] == "PUT"


def test_customer_404_is_none(server):
    server.script({"status": 404, "body": {"title": "Not Found", "status": 404}})
    assert cat.find_customer(client_for(server), "C/1") is None
    assert server.seen[0]["path"] == "/api/Customers/C%2F1"


def test_find_supplier_falls_back_to_the_list(server):
    server.script({"status": 404, "body": ""}, {"body": [{"supplierCode": None, "supplierName": "orphan"},
                                                         {"supplierCode": "ACME", "id": 2}]})
    assert cat.find_supplier(client_for(server), "ACME")["id"] == 2
    assert [s["path"] for s in server.seen] == ["/api/Suppliers?code=ACME", "/api/SuppliersBulk"]
    server.script({"body": [{"supplierCode": "OTHER"}]}, {"status": 404, "body": ""})
    assert cat.find_supplier(client_for(server), "ACME") is None


@pytest.mark.parametrize("status", [200, 201, 204])
def test_delete_success_codes(server, status):
    server.script({"status": status, "body": ""})
    assert cat.delete_product(client_for(server), "A") is True
    assert cat.delete_supplier(client_for(server), "S") is True
    server.script({"status": 404, "body": ""})
    assert cat.delete_product(client_for(server), "A") is False


@pytest.mark.parametrize("status", [401, 403])
def test_bad_credentials_are_authentication_errors(server, status):
    server.script({"status": status, "body": ""})
    with pytest.raises(ApiError) as caught:
        cat.find_product(client_for(server), "A")
    assert caught.value.kind == "authentication" and caught.value.status == status
    assert "sig-secret" not in json.dumps(error_result(caught.value))


@pytest.mark.parametrize("answer", [{"body": {"locationCode": "MAIN", "id": 1}},
                                    {"body": [{"locationCode": "OTHER"}, {"locationCode": "MAIN", "id": 1}]}])
def test_location_single_object_or_list(server, answer):
    server.script(answer)
    assert cat.find_location(client_for(server), "MAIN")["id"] == 1


@pytest.mark.parametrize("params, message", [
    ({"product_id": "A", "cost": -1.0}, "cost must be 0 or more"),
    ({"product_id": "A", "price": float("nan")}, "price must be a finite number"),
    ({"product_id": "A", "lead_time": -3}, "lead_time must be 0 or more"),
    ({"product_id": "A", "service_level": 95.0}, "service_level is a fraction"),
    ({"product_id": "A", "stock_locations": [{"location_code": "M"}, {"location_code": "M"}]},
     r"stock_locations\[1\].location_code 'M' is already given"),
    ({"product_id": "A", "stock_locations": [{"location_code": " "}]}, r"stock_locations\[0\].location_code must not be empty"),
    ({"product_id": "A", "stock_locations": [{"location_code": "M", "stock_on_order": -2.0}]},
     r"stock_locations\[0\].stock_on_order must be 0 or more"),
    ({"product_id": "A", "suppliers": [{"supplier_id": ""}]}, r"suppliers\[0\].supplier_id must not be empty"),
])
def test_impossible_values_are_refused_naming_the_option(params, message):
    full = dict((name, None) for name in PRODUCT.argument_spec())
    full.update(params)
    with pytest.raises(InputError, match=message):
        check_input(PRODUCT, full, "product_id")
    with pytest.raises(InputError, match=r"products\[0\]: " + message):
        validate_items(PRODUCT, [params], "products", "product_id")


def test_other_models_refuse_impossible_values():
    with pytest.raises(InputError, match="default_lead_time must be 0 or more"):
        check_input(SUPPLIER, {"supplier_code": "S", "default_lead_time": -1}, "supplier_code")
    with pytest.raises(InputError, match="stock_on_order must be 0 or more"):
        check_input(INVENTORY, {"product_id": "A", "location_code": "M", "stock_on_order": -1.0}, "product_id")
    with pytest.raises(InputError, match="location_code must not be empty"):
        check_input(INVENTORY, {"product_id": "A", "location_code": ""}, "product_id", "location_code")
    check_input(PRODUCT, {"product_id": "A", "cost": 0.0, "service_level": 1.0, "discontinued": False}, "product_id")
    # oversold stock: inventory systems report a negative stock on hand, and a sync must carry it
    check_input(PRODUCT, {"product_id": "A", "stock_on_hand": -3.0,
                          "stock_locations": [{"location_code": "M", "stock_on_hand": -3.0}]}, "product_id")
    check_input(INVENTORY, {"product_id": "A", "location_code": "M", "stock_on_hand": -3.0}, "product_id", "location_code")
