# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The order modules against StockTrim servers that each read the API documentation their own way.

``OtherStockTrim`` is a small stateful server, not the sandbox, whose behaviour is switched where the
documentation leaves room: single object or list or 404, which reference a filter matches, the answers of
writes, date and status spellings, upsert or duplicating BOM lines, page numbering.  Every module is run
through the four steps (check, apply, check again, apply again) on each variant: the check predicts the
apply, the second run changes nothing and sends no write.
"""

from __future__ import annotations

import datetime
import json

import pytest

from ansible_collections.apiops.platforms.plugins.module_utils.core import dates, waiting
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim import boms
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim import forecast
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim import purchase_orders as po
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim import sales_orders as so
from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.client import StockTrimClient
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import (
    NotFoundError,
    ServerError,
    TransportError,
    ValidationError,
)
from ansible_collections.apiops.platforms.plugins.module_utils.core.module import ApiModule

STATUSES = ["Draft", "Approved", "Sent", "Received"]


class Resp:
    def __init__(self, data=None, text=None, status=200):
        self.status = status
        self.text = text if text is not None else ("" if data is None else json.dumps(data))

    def json(self):
        if not self.text.strip():
            return None
        try:
            return json.loads(self.text)
        except ValueError:
            raise TransportError("not JSON", status=self.status)


class OtherStockTrim:
    """A transport that is a whole (small) StockTrim: ``request`` answers like the server would."""

    defaults = dict(
        po_get="object",          # object | list | 404-all (V1 GET answers 404 for everything)
        po_match="client",        # which reference the filters and DELETE match: client | stocktrim
        v2_by_ref=True,           # False: GET V2/PurchaseOrders/{ref} is 404 always
        po_answer="full",         # full | empty | text | list | partial
        po_create_needs_date=False,
        po_update="merge",        # merge | replace (fields left out of an update are cleared, but orderDate)
        po_status_default="Draft",  # the status an order created without one gets: Draft | None (kept empty)
        delete_missing="404",     # 404 | ok (DELETE answers 204 even when nothing matched)
        dates="naive-ms",         # naive-ms | z | seven
        statuses="canonical",     # canonical | lower | index
        page_base=0,              # 0 | 1 (a server that refuses page 0 with 400)
        ignore_page=False,
        bom_get="list",           # list | object
        bom_post="upsert",        # upsert | duplicate
        bom_delete="all",         # all | one
        bom_answer="object",      # object | empty
        sales_readable=True,
        sales_answer="object",    # object | empty | text
        plan_rows=0,
        plan_has_next="echo",     # echo | missing
        plan_page_base=0,         # 0 | 1 (pages counted from 1, page 0 served as page 1)
        plan_computed="fixed",    # fixed | per-read (calculatedDateTime differs on every read)
        plan_locations=1,         # rows per product, one per location
        percent="int",            # int | float | null | str
        enrich=False,             # True: a supplier or location written by its code only gets its stored name
        locations_readable=False,  # GET Locations answers (True) or 404 (False, some tenants)
    )

    def __init__(self, **behaviour):
        unknown = set(behaviour) - set(self.defaults)
        assert not unknown, unknown
        self.b = dict(self.defaults, **behaviour)
        self.pos, self.boms, self.sales = [], [], []
        self.suppliers = {"ACME": "Acme", "BOLT": "Bolt and Nut"}  # the stored records: code -> name
        self.locations = {"WH1": "Main warehouse", "WH2": "Overflow"}
        self.ids = 0
        self.calls = []
        self.forecast_runs = 0
        self.polls = 0
        self.request_count = 0

    # the transport interface ------------------------------------------------------------------------
    def url_for(self, path):
        return "http://other" + path

    @property
    def writes(self):
        return [c for c in self.calls if c[0] != "GET" and c[1] != "/api/OrderPlan"]

    def request(self, method, path, params=None, json=None, idempotent=None, **_kw):
        self.calls.append((method, path, dict(params or {}), json))
        if path.lower().startswith("/api/v2/purchaseorders/"):
            handler = self.get_v2_by_ref
        else:
            handler = getattr(self, "%s_%s" % (method.lower(), path[len("/api/"):].replace("/", "_").lower()), None)
        assert handler is not None, (method, path)
        return handler(params or {}, json)

    # helpers -----------------------------------------------------------------------------------------
    def next_id(self):
        self.ids += 1
        return self.ids

    def render_date(self, value):
        if value is None:
            return None
        text = value.strftime("%Y-%m-%dT%H:%M:%S")
        return {"naive-ms": text + ".000", "z": text + "Z", "seven": text + ".0000000"}[self.b["dates"]]

    def render_status(self, status):
        if status is None:
            return None
        return {"canonical": status, "lower": status.lower(), "index": STATUSES.index(status)}[self.b["statuses"]]

    def render_po(self, po):
        out = dict(po)
        for key in ("orderDate", "createdDate", "fullyReceivedDate"):
            out[key] = self.render_date(po.get(key))
        out["status"] = self.render_status(po["status"])
        out["purchaseOrderLineItems"] = [dict(line, receivedDate=self.render_date(line.get("receivedDate")))
                                         for line in po["purchaseOrderLineItems"]]
        return out

    def matches(self, po, ref):
        return po["clientReferenceNumber" if self.b["po_match"] == "client" else "referenceNumber"] == ref

    def parse(self, text):
        return dates.parse_datetime(text)

    # purchase orders ---------------------------------------------------------------------------------
    def get_purchaseorders(self, params, _body):
        if self.b["po_get"] == "404-all":
            raise NotFoundError("404", status=404)
        found = [self.render_po(po) for po in self.pos if self.matches(po, params.get("referenceNumber"))]
        if self.b["po_get"] == "list":
            return Resp(found)
        if not found:
            raise NotFoundError("404", status=404)
        return Resp(found[0])

    def get_v2_by_ref(self, params, _body):
        found = [po for po in self.pos if self.b["v2_by_ref"] and self.matches(po, self.calls[-1][1].rsplit("/", 1)[-1])]
        if not found:
            raise NotFoundError("404", status=404)
        return Resp(self.render_po(found[0]))

    def post_purchaseorders(self, _params, body):
        if "orderDate" in body and body["orderDate"] is None:
            raise ValidationError("The OrderDate field is required.", status=400)
        status = [name for name in STATUSES if name.lower() == str(body.get("status")).lower()]
        status = status[0] if status else None
        found = [po for po in self.pos if po["clientReferenceNumber"] == body["clientReferenceNumber"]]
        if found:
            po, code = found[0], 200
            if self.b["po_update"] == "replace":
                for key in ("externalId", "referenceNumber", "location", "fullyReceivedDate", "createdDate"):
                    po[key] = None
                po["status"] = "Draft"
        else:
            if "orderDate" not in body and self.b["po_create_needs_date"]:
                raise ValidationError("The OrderDate field is required.", status=400)
            po = {"id": self.next_id(), "clientReferenceNumber": body["clientReferenceNumber"],
                  "status": self.b["po_status_default"],
                  "referenceNumber": "SR-%05d" % self.ids, "createdDate": datetime.datetime(2026, 1, 2, 3, 4, 5),
                  "orderDate": datetime.datetime(2026, 1, 2, 3, 4, 5), "fullyReceivedDate": None, "location": None,
                  "externalId": None, "message": None}
            self.pos.append(po)
            code = 201
        for key, value in body.items():
            if key in ("orderDate", "createdDate", "fullyReceivedDate"):
                po[key] = self.parse(value) if value else None
            elif key == "status":
                po[key] = status
            elif key == "purchaseOrderLineItems":
                po[key] = [dict({"unitPrice": None, "receivedDate": None}, **line) for line in value]
                for line in po[key]:
                    line["receivedDate"] = self.parse(line["receivedDate"]) if line["receivedDate"] else None
                    if line.get("unitPrice") is not None and float(line["unitPrice"]).is_integer():
                        line["unitPrice"] = int(line["unitPrice"])
            elif key == "supplier":
                po[key] = dict({"supplierName": None}, **value)
                if self.b["enrich"] and not po[key]["supplierName"]:
                    po[key]["supplierName"] = self.suppliers.get(po[key].get("supplierCode"))
            elif key == "location" and value and self.b["enrich"] and not value.get("locationName"):
                po[key] = dict(value, locationName=self.locations.get(value.get("locationCode")))
            else:
                po[key] = value
        answer = self.b["po_answer"]
        if answer == "empty":
            return Resp(status=code)
        if answer == "text":
            return Resp(text="Created", status=code)
        if answer == "partial":
            return Resp({"id": po["id"], "clientReferenceNumber": po["clientReferenceNumber"]}, status=code)
        if answer == "list":
            return Resp([self.render_po(po)], status=code)
        return Resp(self.render_po(po), status=code)

    def delete_purchaseorders(self, params, _body):
        found = [po for po in self.pos if self.matches(po, params.get("referenceNumber"))]
        if not found:
            if self.b["delete_missing"] == "ok":
                return Resp(status=204)
            raise NotFoundError("404", status=404)
        self.pos.remove(found[0])
        return Resp(status=204)

    def get_v2_purchaseorders(self, params, _body):
        page, size = int(params.get("page", 0)), int(params.get("pageSize", 10))
        if self.b["page_base"] == 1:
            if page < 1:
                raise ValidationError("page must be 1 or more", status=400)
            page -= 1
        if self.b["ignore_page"]:
            page = 0
        items = [self.render_po(po) for po in self.pos
                 if not params.get("status") or po["status"].lower() == params["status"].lower()]
        return Resp(items[page * size:(page + 1) * size])

    # the catalogue the orders name -----------------------------------------------------------------
    def get_suppliers(self, params, _body):
        code = params.get("code")
        if code not in self.suppliers:
            raise NotFoundError("404", status=404)
        return Resp({"supplierCode": code, "supplierName": self.suppliers[code]})

    def get_suppliersbulk(self, _params, _body):
        return Resp([{"supplierCode": code, "supplierName": name} for code, name in self.suppliers.items()])

    def get_locations(self, params, _body):
        if not self.b["locations_readable"]:
            raise NotFoundError("404", status=404)
        return Resp([{"locationCode": code, "locationName": name} for code, name in self.locations.items()
                     if not params.get("code") or params["code"] == code])

    # bills of materials ------------------------------------------------------------------------------
    def _boms(self, params):
        return [b for b in self.boms if all(b[k] == params[k] for k in ("productId", "componentId") if params.get(k))]

    def get_boms(self, params, _body):
        found = self._boms(params)
        if self.b["bom_get"] == "object":
            if not found:
                raise NotFoundError("404", status=404)
            return Resp(found[0], status=201)
        return Resp(found, status=201)

    def post_boms(self, _params, body):
        found = self._boms(body)
        if found and self.b["bom_post"] == "upsert":
            found[0]["quantity"] = body.get("quantity")
            line = found[0]
        else:
            line = {"id": self.next_id(), "productId": body["productId"], "componentId": body["componentId"],
                    "quantity": body.get("quantity"), "assemblyTimeDays": None}
            self.boms.append(line)
        return Resp(line if self.b["bom_answer"] == "object" else None, status=201)

    def delete_boms(self, params, _body):
        found = self._boms(params)
        if not found:
            raise NotFoundError("404", status=404)
        for line in found if self.b["bom_delete"] == "all" else found[:1]:
            self.boms.remove(line)
        return Resp(status=201)

    # sales orders ------------------------------------------------------------------------------------
    def get_salesorders(self, params, _body):
        if not self.b["sales_readable"]:
            raise NotFoundError("404", status=404)
        return Resp([dict(line, orderDate=self.render_date(line["orderDate"])) for line in self.sales
                     if not params.get("productId") or line["productId"] == params["productId"]])

    def put_salesordersbulk(self, _params, body):
        header = dict((k, v) for k, v in body.items() if k != "saleOrderLineItems")
        for item in body["saleOrderLineItems"]:
            item = dict(header, **item)
            item["orderDate"] = self.parse(item["orderDate"])
            found = [line for line in self.sales if line["externalReferenceId"] == item["externalReferenceId"]]
            if found:
                found[0].update(item)
            else:
                self.sales.append(dict({"id": self.next_id(), "locationId": 0, "unitPrice": None, "locationCode": None,
                                        "locationName": None, "customerCode": None, "customerName": None}, **item))
        answer = self.b["sales_answer"]
        if answer == "empty":
            return Resp(status=201)
        if answer == "text":
            return Resp(text="OK", status=200)
        return Resp({"id": self.sales[-1]["id"]}, status=201)

    def _delete_sales(self, keep):
        self.sales = [line for line in self.sales if keep(line)]
        return Resp(status=200)

    def delete_salesorders(self, params, _body):
        return self._delete_sales(lambda line: line["productId"] != params["productId"])

    def delete_salesorders_all(self, _params, _body):
        return self._delete_sales(lambda line: False)

    def delete_salesorders_range(self, params, _body):
        low, high = (dates.parse_datetime(params[k]) for k in ("fromDate", "toDate"))
        return self._delete_sales(lambda line: not (low <= line["orderDate"] <= high and
                                                    params.get("productId") in (None, line["productId"])))

    def delete_salesorderslocation(self, params, _body):
        where = params["locationCodeOrName"]
        return self._delete_sales(lambda line: where not in (line["locationCode"], line["locationName"]))

    # order plan and forecast -------------------------------------------------------------------------
    def post_orderplan(self, _params, body):
        self.plan_reads = getattr(self, "plan_reads", 0) + 1
        locations = self.b["plan_locations"]
        rows = [{"id": i, "productCode": "P%03d" % (i // locations), "stockOnHand": i,
                 "locationId": i % locations if locations > 1 else None,
                 "locationName": "L%d" % (i % locations) if locations > 1 else None,
                 "calculatedDateTime": "2026-01-02T03:04:%02d.%03d" % (
                     self.plan_reads % 60, i) if self.b["plan_computed"] == "per-read" else "2026-01-02T03:04:05"}
                for i in range(self.b["plan_rows"])]
        page, size = body.get("page", 0), body.get("perPage") or 50
        if self.b["plan_page_base"] == 1:
            page = max(page, 1) - 1  # page 0 is read as the first page, like page 1
        if self.b["ignore_page"]:
            page = 0
        chunk = rows[page * size:(page + 1) * size]
        echo = {"page": page, "perPage": size, "currentStatus": None}
        if self.b["plan_has_next"] == "echo":
            echo["hasNextPage"] = (page + 1) * size < len(rows)
        return Resp({"results": chunk, "filterCriteria": echo})

    def post_runforecastcalculations(self, _params, _body):
        self.forecast_runs += 1
        self.polls = 0
        return Resp(text="Created", status=201)

    def get_processingstatus(self, _params, _body):
        self.polls += 1
        busy = self.forecast_runs and self.polls <= 2
        percent = 50 if busy else 100
        value = {"int": percent, "float": percent + 0.5 if busy else 100.0, "null": None, "str": str(percent)}[self.b["percent"]]
        return Resp({"id": 1, "isProcessing": bool(busy), "percentageComplete": value, "statusMessage": None})


# -- driving a module without Ansible ---------------------------------------------------------------

class Exit(Exception):
    def __init__(self, result):
        super(Exit, self).__init__("exit")
        self.result = result


class Fail(Exit):
    pass


def run(func, model, params, api, check=False, extra=None):
    """Run ``func(module)`` as Ansible would with these params; the result (or Fail with it)."""
    module = ApiModule.__new__(ApiModule)
    full = dict((name, None) for name in (model.argument_spec() if model else {}))
    full.update(extra or {})
    full.update(params)
    module.params = full
    module.check_mode = check
    module._diff = True
    module.model = model
    module._client = StockTrimClient(api)
    warnings = []
    module.warn = warnings.append

    def exit_json(**result):
        result["warnings"] = warnings
        raise Exit(result)

    def fail_json(**result):
        result["warnings"] = warnings
        raise Fail(result)

    module.exit_json = exit_json
    module.fail_json = fail_json
    try:
        module.run(lambda: func(module))
    except Fail:
        raise
    except Exit as done:
        return done.result
    raise AssertionError("the module did not exit")


def four_steps(func, model, name, params, api, extra=None, volatile=("id",)):
    """check -> apply -> check -> apply: the check predicted the apply, and the repeat changed nothing."""
    writes = len(api.writes)
    check = run(func, model, params, api, check=True, extra=extra)
    assert len(api.writes) == writes, "the check run sent a write"
    real = run(func, model, params, api, extra=extra)
    assert check["changed"] and real["changed"]
    predicted = dict((k, v) for k, v in check[name].items() if k not in volatile)
    got = dict((k, v) for k, v in real[name].items() if k not in volatile)
    for key, value in predicted.items():
        if key in params or value is not None:
            assert _normal(value) == _normal(got[key]), (key, value, got[key])
    writes = len(api.writes)
    again_check = run(func, model, params, api, check=True, extra=extra)
    again = run(func, model, params, api, extra=extra)
    assert not again_check["changed"], again_check
    assert not again["changed"], again
    assert len(api.writes) == writes, api.writes[writes:]
    assert real["diff"]["after"] == real[name]
    return check, real, again


def _normal(value):
    """Lists of line dicts compared without regard to order, ids left out."""
    if isinstance(value, list):
        return sorted((json.dumps(dict((k, v) for k, v in item.items() if k != "id"), sort_keys=True) if isinstance(item, dict)
                       else json.dumps(item)) for item in value)
    return value


PO = dict(client_reference_number="PO-7", order_date="2026-01-05", status="Approved", external_id="EXT-7",
          location={"location_code": "WH1", "location_name": None},
          supplier={"supplier_code": "ACME", "supplier_name": "Acme"},
          purchase_order_line_items=[{"product_id": "A", "quantity": 2, "unit_price": 3, "received_date": None},
                                     {"product_id": "B", "quantity": 1.5, "unit_price": 2.25, "received_date": None}])
PO_EXTRA = {"state": "present"}

PO_VARIANTS = [
    {},
    {"po_get": "list"},
    {"po_get": "404-all"},
    {"po_get": "404-all", "v2_by_ref": False},
    {"po_match": "stocktrim"},
    {"po_match": "stocktrim", "po_get": "list"},
    {"po_answer": "empty"},
    {"po_answer": "text"},
    {"po_answer": "partial"},
    {"po_answer": "list"},
    {"dates": "z"},
    {"dates": "seven"},
    {"statuses": "lower"},
    {"statuses": "index"},
    {"po_get": "404-all", "v2_by_ref": False, "ignore_page": True},
    {"po_update": "replace"},
    {"po_match": "stocktrim", "delete_missing": "ok"},
    {"po_match": "stocktrim", "delete_missing": "ok", "po_get": "404-all"},
    {"po_status_default": None},
]


def test_purchase_order_fails_without_a_write_when_its_listing_cannot_be_read_whole():
    # the purchase orders can be found only in the paged listing (no read by reference), and the server refuses
    # its page 0: the module fails; it never takes the order for new and upserts it as a new Draft
    api = OtherStockTrim(po_get="404-all", v2_by_ref=False, page_base=1)
    for check in (True, False):
        with pytest.raises(Fail) as info:
            run(po.PURCHASE_ORDER_RESOURCE.run, po.PURCHASE_ORDER, PO, api, check=check, extra=PO_EXTRA)
        assert info.value.result["error"] == "validation" and info.value.result.get("changed") is not True
    assert api.writes == []


@pytest.mark.parametrize("variant", PO_VARIANTS, ids=lambda v: ",".join("%s=%s" % kv for kv in sorted(v.items())) or "plain")
def test_purchase_order_converges_on_every_server(variant):
    api = OtherStockTrim(**variant)
    check, real, again = four_steps(po.PURCHASE_ORDER_RESOURCE.run, po.PURCHASE_ORDER, "purchase_order", PO, api,
                                    extra=PO_EXTRA, volatile=("id", "created_date", "reference_number", "message",
                                                              "fully_received_date"))
    assert real["purchase_order"]["order_date"] == "2026-01-05T00:00:00"
    assert real["purchase_order"]["status"] == "Approved"
    assert again["purchase_order"]["id"] == real["purchase_order"]["id"]
    assert len(api.pos) == 1
    # the same lines in another order, the same date in another form, an int price as a float
    same = dict(PO, order_date="2026-01-05T00:00:00.000", status="Approved",
                purchase_order_line_items=list(reversed([dict(line, unit_price=float(line["unit_price"]))
                                                         for line in PO["purchase_order_line_items"]])))
    assert not run(po.PURCHASE_ORDER_RESOURCE.run, po.PURCHASE_ORDER, same, api, extra=PO_EXTRA)["changed"]
    # an update of the status only keeps the rest
    four_steps(po.PURCHASE_ORDER_RESOURCE.run, po.PURCHASE_ORDER, "purchase_order",
               {"client_reference_number": "PO-7", "status": "Sent"}, api, extra=PO_EXTRA,
               volatile=("id", "created_date", "reference_number"))
    assert api.pos[0]["purchaseOrderLineItems"][0]["productId"] == "A"
    assert api.pos[0]["externalId"] == "EXT-7" and api.pos[0]["location"] == {"locationCode": "WH1"}
    assert api.pos[0]["orderDate"] == datetime.datetime(2026, 1, 5)
    # deletion, also where DELETE matches StockTrim's own reference
    gone = {"client_reference_number": "PO-7"}
    delete_check = run(po.PURCHASE_ORDER_RESOURCE.run, po.PURCHASE_ORDER, gone, api, check=True, extra={"state": "absent"})
    assert delete_check["changed"] and api.pos
    deleted = run(po.PURCHASE_ORDER_RESOURCE.run, po.PURCHASE_ORDER, gone, api, extra={"state": "absent"})
    assert deleted["changed"] and deleted["diff"]["after"] == {} and not api.pos
    assert not run(po.PURCHASE_ORDER_RESOURCE.run, po.PURCHASE_ORDER, gone, api, extra={"state": "absent"})["changed"]


def test_purchase_order_created_without_a_date_is_dated_today_where_the_server_needs_one():
    api = OtherStockTrim(po_create_needs_date=True)
    params = dict(PO)
    del params["order_date"]
    check = run(po.PURCHASE_ORDER_RESOURCE.run, po.PURCHASE_ORDER, params, api, check=True, extra=PO_EXTRA)
    real = run(po.PURCHASE_ORDER_RESOURCE.run, po.PURCHASE_ORDER, params, api, extra=PO_EXTRA)
    assert check["purchase_order"]["order_date"] == real["purchase_order"]["order_date"] == dates.today()
    assert "orderDate" in api.writes[0][3]
    assert not run(po.PURCHASE_ORDER_RESOURCE.run, po.PURCHASE_ORDER, {"client_reference_number": "PO-7", "status": "Sent"},
                   api, check=True, extra=PO_EXTRA)["purchase_order"]["order_date"] is None
    update = list(api.writes)
    run(po.PURCHASE_ORDER_RESOURCE.run, po.PURCHASE_ORDER, {"client_reference_number": "PO-7", "status": "Sent"}, api, extra=PO_EXTRA)
    assert api.writes[len(update)][3]["orderDate"] == dates.today()  # an update sends the current date again


def _created(api, params):
    """The purchase order created with these params: (check run, real run)."""
    check = run(po.PURCHASE_ORDER_RESOURCE.run, po.PURCHASE_ORDER, params, api, check=True, extra=PO_EXTRA)
    assert api.writes == []
    return check, run(po.PURCHASE_ORDER_RESOURCE.run, po.PURCHASE_ORDER, params, api, extra=PO_EXTRA)


@pytest.mark.parametrize("default", ["Draft", None])
def test_purchase_order_created_without_a_status_is_a_draft_and_the_check_says_so(default):
    api = OtherStockTrim(po_status_default=default)
    params = dict(PO)
    del params["status"]
    check, real = _created(api, params)
    assert check["purchase_order"]["status"] == real["purchase_order"]["status"] == "Draft"
    assert check["diff"]["after"]["status"] == "Draft"
    assert api.writes[0][3]["status"] == "Draft"
    assert not run(po.PURCHASE_ORDER_RESOURCE.run, po.PURCHASE_ORDER, params, api, extra=PO_EXTRA)["changed"]
    # an update without a status keeps the current one
    run(po.PURCHASE_ORDER_RESOURCE.run, po.PURCHASE_ORDER, {"client_reference_number": "PO-7", "status": "Sent"},
        api, extra=PO_EXTRA)
    update = {"client_reference_number": "PO-7", "external_id": "EXT-8"}
    check = run(po.PURCHASE_ORDER_RESOURCE.run, po.PURCHASE_ORDER, update, api, check=True, extra=PO_EXTRA)
    real = run(po.PURCHASE_ORDER_RESOURCE.run, po.PURCHASE_ORDER, update, api, extra=PO_EXTRA)
    assert check["purchase_order"]["status"] == real["purchase_order"]["status"] == "Sent"
    assert api.writes[-1][3]["status"] == "Sent"


def _catalogue_reads(api, since):
    """The catalogue reads (suppliers, locations) sent since call number ``since``."""
    return [c[:3] for c in api.calls[since:] if c[1].startswith(("/api/Suppliers", "/api/Locations"))]


def _po_run(api, params, check=False):
    since = len(api.calls)
    result = run(po.PURCHASE_ORDER_RESOURCE.run, po.PURCHASE_ORDER, params, api, check=check, extra=PO_EXTRA)
    return result, since


@pytest.mark.parametrize("enrich", [True, False], ids=["enriching", "not-enriching"])
def test_purchase_order_names_a_supplier_and_location_given_by_code_only_as_the_server_will(enrich):
    api = OtherStockTrim(enrich=enrich, locations_readable=True)
    params = dict(PO, supplier={"supplier_code": "ACME", "supplier_name": None},
                  location={"location_code": "WH1", "location_name": None})
    check, since = _po_run(api, params, check=True)
    assert _catalogue_reads(api, since) == [("GET", "/api/Suppliers", {"code": "ACME"}),
                                            ("GET", "/api/Locations", {"code": "WH1"})]
    assert api.writes == []
    real, since = _po_run(api, params)
    assert len(_catalogue_reads(api, since)) == 2, "looked up once per run, not for the prediction and the write"
    for name in ("supplier", "location"):
        assert check["purchase_order"][name] == real["purchase_order"][name] == check["diff"]["after"][name]
    assert real["purchase_order"]["supplier"] == {"supplier_code": "ACME", "supplier_name": "Acme"}
    assert real["purchase_order"]["location"] == {"location_code": "WH1", "location_name": "Main warehouse"}
    assert api.writes[-1][3]["supplier"] == {"supplierCode": "ACME", "supplierName": "Acme"}
    # the run that changes nothing sends the reads it sent before the lookups existed, and nothing else
    baseline, since = _po_run(api, dict(params, supplier=real["purchase_order"]["supplier"],
                                        location=real["purchase_order"]["location"]))
    reads = api.calls[since:]
    assert not baseline["changed"] and all(c[0] == "GET" and "PurchaseOrders" in c[1] for c in reads), reads
    for check_mode in (True, False):
        again, since = _po_run(api, params, check=check_mode)
        assert not again["changed"]
        assert api.calls[since:] == reads
    # another supplier and location by their code: their stored names, predicted and sent
    other = dict(params, supplier={"supplier_code": "BOLT", "supplier_name": None},
                 location={"location_code": "WH2", "location_name": None})
    check, since = _po_run(api, other, check=True)
    assert len(_catalogue_reads(api, since)) == 2
    real, since = _po_run(api, other)
    assert len(_catalogue_reads(api, since)) == 2
    assert check["purchase_order"]["supplier"] == real["purchase_order"]["supplier"] == {
        "supplier_code": "BOLT", "supplier_name": "Bolt and Nut"}
    assert check["purchase_order"]["location"] == real["purchase_order"]["location"] == {
        "location_code": "WH2", "location_name": "Overflow"}
    # the same code with another field changed: the current names are kept, nothing looked up
    update = dict(other, external_id="EXT-9")
    check, since = _po_run(api, update, check=True)
    real, since_real = _po_run(api, update)
    assert _catalogue_reads(api, since) == []
    assert check["purchase_order"]["supplier"] == real["purchase_order"]["supplier"]
    assert real["purchase_order"]["supplier"]["supplier_name"] == "Bolt and Nut"
    # a name given is sent as given, nothing looked up
    named = dict(update, supplier={"supplier_code": "ACME", "supplier_name": "Acme Ltd"},
                 location={"location_code": "WH1", "location_name": "Dock"})
    check, since = _po_run(api, named, check=True)
    real = _po_run(api, named)[0]
    assert _catalogue_reads(api, since) == []
    assert check["purchase_order"]["supplier"] == real["purchase_order"]["supplier"] == named["supplier"]
    assert check["purchase_order"]["location"] == real["purchase_order"]["location"] == named["location"]


def test_purchase_order_code_not_in_the_catalogue_or_locations_unreadable_keeps_the_name_null():
    api = OtherStockTrim(locations_readable=False)
    params = dict(PO, supplier={"supplier_code": "NEW", "supplier_name": None},
                  location={"location_code": "WH1", "location_name": None})
    check, since = _po_run(api, params, check=True)
    # the supplier is not found by code, then not in the full list; locations answer 404 both ways
    assert [c[1] for c in _catalogue_reads(api, since)] == ["/api/Suppliers", "/api/SuppliersBulk",
                                                            "/api/Locations", "/api/Locations"]
    real = _po_run(api, params)[0]
    assert check["purchase_order"]["supplier"] == real["purchase_order"]["supplier"] == {
        "supplier_code": "NEW", "supplier_name": None}
    assert check["purchase_order"]["location"]["location_name"] is None
    assert real["purchase_order"]["location"]["location_name"] is None
    assert "supplierName" not in api.writes[-1][3]["supplier"]


@pytest.mark.parametrize("po_get", ["object", "404-all"])
def test_purchase_order_absent_deletes_where_delete_matches_the_stocktrim_reference_and_answers_204_for_nothing(po_get):
    api = OtherStockTrim(po_match="stocktrim", delete_missing="ok", po_get=po_get)
    run(po.PURCHASE_ORDER_RESOURCE.run, po.PURCHASE_ORDER, PO, api, extra=PO_EXTRA)
    reference = api.pos[0]["referenceNumber"]
    gone = {"client_reference_number": "PO-7"}
    before = len(api.calls)
    deleted = run(po.PURCHASE_ORDER_RESOURCE.run, po.PURCHASE_ORDER, gone, api, extra={"state": "absent"})
    assert deleted["changed"] and api.pos == []
    deletes = [c[2]["referenceNumber"] for c in api.calls[before:] if c[0] == "DELETE"]
    assert deletes == ["PO-7", reference]
    writes = len(api.writes)
    again = run(po.PURCHASE_ORDER_RESOURCE.run, po.PURCHASE_ORDER, gone, api, extra={"state": "absent"})
    assert not again["changed"] and len(api.writes) == writes


def test_purchase_order_absent_fails_when_the_order_is_still_there_after_the_deletes():
    api = OtherStockTrim(delete_missing="ok")
    run(po.PURCHASE_ORDER_RESOURCE.run, po.PURCHASE_ORDER, PO, api, extra=PO_EXTRA)
    api.delete_purchaseorders = lambda params, body: Resp(status=204)  # answers success, deletes nothing
    with pytest.raises(Fail) as failed:
        run(po.PURCHASE_ORDER_RESOURCE.run, po.PURCHASE_ORDER, {"client_reference_number": "PO-7"}, api,
            extra={"state": "absent"})
    result = failed.value.result
    assert result["error"] == "server" and result["method"] == "DELETE" and result["status"] == 204
    assert "PO-7" in result["msg"] and "still there" in result["msg"]
    assert result["url"].startswith("http://other/api/PurchaseOrders")
    assert not result.get("changed")
    assert [c[2]["referenceNumber"] for c in api.calls if c[0] == "DELETE"] == ["PO-7", api.pos[0]["referenceNumber"]]


def test_purchase_order_info_reads_statuses_in_any_spelling():
    api = OtherStockTrim(statuses="index")
    run(po.PURCHASE_ORDER_RESOURCE.run, po.PURCHASE_ORDER, PO, api, extra=PO_EXTRA)
    found = run(po.PURCHASE_ORDER_INFO.run, None, {"client_reference_number": "PO-7", "status": "Approved"}, api)
    assert [o["status"] for o in found["purchase_orders"]] == ["Approved"]
    assert run(po.PURCHASE_ORDER_INFO.run, None, {"client_reference_number": None, "status": "Approved"},
               api)["purchase_orders"][0]["client_reference_number"] == "PO-7"
    assert run(po.PURCHASE_ORDER_INFO.run, None, {"client_reference_number": "PO-8", "status": None},
               api)["purchase_orders"] == []
    with pytest.raises(Fail, match="exit") as failed:
        run(po.PURCHASE_ORDER_INFO.run, None, {"client_reference_number": " ", "status": None}, api)
    assert "client_reference_number must not be empty" in failed.value.result["msg"]


BOM_VARIANTS = [
    {},
    {"bom_get": "object"},
    {"bom_post": "duplicate"},
    {"bom_post": "duplicate", "bom_delete": "one"},
    {"bom_post": "duplicate", "bom_get": "object", "bom_answer": "empty"},
]


@pytest.mark.parametrize("variant", BOM_VARIANTS, ids=lambda v: ",".join("%s=%s" % kv for kv in sorted(v.items())) or "plain")
def test_bom_line_converges_and_stays_one_line(variant):
    api = OtherStockTrim(**variant)
    params = {"product_id": "BIKE", "component_id": "WHEEL", "quantity": 2}
    four_steps(boms.BOM_RESOURCE.run, boms.BOM, "bom", params, api, extra={"state": "present"})
    check, real, _again = four_steps(boms.BOM_RESOURCE.run, boms.BOM, "bom", dict(params, quantity=3), api, extra={"state": "present"})
    assert real["bom"]["quantity"] == 3.0 and real["diff"]["before"]["quantity"] == 2.0
    assert [line["quantity"] for line in api.boms] == [3]
    absent = run(boms.BOM_RESOURCE.run, boms.BOM, params, api, extra={"state": "absent"})
    assert absent["changed"] and api.boms == []
    assert not run(boms.BOM_RESOURCE.run, boms.BOM, params, api, extra={"state": "absent"})["changed"]


SALES = dict(external_reference_id="SHOP-1", order_date="2026-01-05T10:00:00", customer_code="C1",
             sale_order_line_items=[{"product_id": "A", "quantity": 2, "unit_price": 4},
                                    {"product_id": "B", "quantity": 1, "unit_price": None}])


@pytest.mark.parametrize("answer", ["object", "empty", "text"])
def test_sales_order_converges_whatever_the_write_answers(answer):
    api = OtherStockTrim(sales_answer=answer)
    four_steps(so.SALES_ORDER_RESOURCE.run, so.SALES_ORDER, "sales_order", SALES, api)
    assert sorted(line["externalReferenceId"] for line in api.sales) == ["SHOP-1/A", "SHOP-1/B"]


def test_sales_order_on_a_tenant_that_cannot_read_them_upserts_and_warns():
    api = OtherStockTrim(sales_readable=False, sales_answer="text")
    for _run in range(2):
        done = run(so.SALES_ORDER_RESOURCE.run, so.SALES_ORDER, SALES, api)
        assert done["changed"] and any("could not be compared" in w for w in done["warnings"])
    assert len(api.sales) == 2  # upserted by line reference: no duplicate lines
    info = run(so.SALES_ORDER_INFO.run, None, {"product_id": "A", "external_reference_id": None}, api)
    assert info["sales_orders"] == [] and any("could not be read back" in w for w in info["warnings"])


SALE = dict(external_reference_id="SO-1", product_id="A", quantity=3, unit_price=2.5, order_date="2026-01-05",
            location_code="WEB", customer_code="C1")


@pytest.mark.parametrize("answer", ["object", "empty", "text"])
def test_single_sale_is_keyed_by_its_reference_as_given(answer):
    api = OtherStockTrim(sales_answer=answer)
    four_steps(so.SALES_ORDER_RESOURCE.run, so.SALES_ORDER, "sales_order", SALE, api)
    assert [line["externalReferenceId"] for line in api.sales] == ["SO-1"]
    writes = len(api.writes)
    _check, real, _again = four_steps(so.SALES_ORDER_RESOURCE.run, so.SALES_ORDER, "sales_order", dict(SALE, quantity=4), api)
    assert len(api.writes) == writes + 1  # one upsert
    assert real["sales_order"]["quantity"] == 4.0 and real["diff"]["before"]["quantity"] == 3.0
    assert real["sales_order"]["customer_code"] == "C1" and real["sales_order"]["unit_price"] == 2.5
    assert [(line["externalReferenceId"], line["quantity"]) for line in api.sales] == [("SO-1", 4)]


def test_single_sale_update_sends_the_whole_sale_and_keeps_what_was_not_given():
    api = OtherStockTrim()
    run(so.SALES_ORDER_RESOURCE.run, so.SALES_ORDER, SALE, api)
    done = run(so.SALES_ORDER_RESOURCE.run, so.SALES_ORDER, {"external_reference_id": "SO-1", "quantity": 5}, api)
    assert done["changed"] and done["sales_order"]["product_id"] == "A" and done["sales_order"]["location_code"] == "WEB"
    line = api.writes[-1][3]["saleOrderLineItems"]
    assert line == [{"externalReferenceId": "SO-1", "productId": "A", "orderDate": "2026-01-05T00:00:00", "quantity": 5.0,
                     "unitPrice": 2.5, "locationCode": "WEB", "customerCode": "C1"}]


def test_single_sale_beside_lines_of_an_older_order_with_its_reference_warns():
    api = OtherStockTrim()
    run(so.SALES_ORDER_RESOURCE.run, so.SALES_ORDER, SALES, api)
    done = run(so.SALES_ORDER_RESOURCE.run, so.SALES_ORDER, dict(SALE, external_reference_id="SHOP-1"), api)
    assert done["changed"] and any("SHOP-1/A, SHOP-1/B" in w and "sale_order_line_items" in w for w in done["warnings"])


def test_order_lines_keep_their_own_references_and_the_others_follow_the_old_rule():
    api = OtherStockTrim()
    params = dict(SALES, sale_order_line_items=[{"product_id": "A", "quantity": 2, "external_reference_id": "L-1"},
                                                {"product_id": "A", "quantity": 1, "external_reference_id": "L-2"},
                                                {"product_id": "B", "quantity": 1}])
    _check, real, _again = four_steps(so.SALES_ORDER_RESOURCE.run, so.SALES_ORDER, "sales_order", params, api)
    assert sorted(line["externalReferenceId"] for line in api.sales) == ["L-1", "L-2", "SHOP-1/B"]
    assert [line["external_reference_id"] for line in real["sales_order"]["sale_order_line_items"]] == ["L-1", "L-2", "SHOP-1/B"]


def test_single_sale_on_a_tenant_that_cannot_read_them_upserts_without_duplicates():
    api = OtherStockTrim(sales_readable=False)
    for _run in range(2):
        done = run(so.SALES_ORDER_RESOURCE.run, so.SALES_ORDER, SALE, api)
        assert done["changed"] and any("could not be compared" in w for w in done["warnings"])
    assert [line["externalReferenceId"] for line in api.sales] == ["SO-1"]
    with pytest.raises(Fail) as failed:
        run(so.SALES_ORDER_RESOURCE.run, so.SALES_ORDER, {"external_reference_id": "SO-1", "quantity": 5}, api)
    assert "order_date and product_id are required" in failed.value.result["msg"]
    assert "every run" in failed.value.result["msg"]


@pytest.mark.parametrize("params, option", [
    (dict(SALES, product_id="A"), "product_id and sale_order_line_items are two forms"),
    (dict(SALES, quantity=1, unit_price=2), "quantity and unit_price and sale_order_line_items are two forms"),
    (dict(SALES, sale_order_line_items=[{"product_id": "A", "quantity": 1}, {"product_id": "A", "quantity": 2}]),
     "sale_order_line_items[1]: the line reference 'SHOP-1/A'"),
    (dict(SALES, sale_order_line_items=[{"product_id": "A", "quantity": 1, "external_reference_id": "X"},
                                        {"product_id": "B", "quantity": 2, "external_reference_id": "X"}]),
     "sale_order_line_items[1]: the line reference 'X' is already"),
    (dict(SALES, sale_order_line_items=[{"product_id": "A", "quantity": 1, "external_reference_id": " "}]),
     "sale_order_line_items[0].external_reference_id must not be empty"),
    (dict(SALE, product_id=""), "product_id must not be empty"),
    (dict(SALE, quantity=-1), "quantity must be 0 or more"),
])
def test_sales_order_forms_refused_before_any_request(params, option):
    api = OtherStockTrim()
    with pytest.raises(Fail) as failed:
        run(so.SALES_ORDER_RESOURCE.run, so.SALES_ORDER, params, api)
    assert option in failed.value.result["msg"] and failed.value.result["error"] == "validation"
    assert api.calls == []


HISTORY = dict(dict.fromkeys(so.HISTORY_OPTIONS), all=False, confirm=False)


def _history(api, check=False, **params):
    return run(so.SALES_HISTORY.run, None, dict(HISTORY, **params), api, check=check)


def test_sales_history_deletes_what_is_selected_predicts_it_and_then_sends_nothing():
    api = OtherStockTrim()
    for ref, product, day, where in [("S1", "A", 5, "WEB"), ("S2", "A", 20, "WEB"), ("S3", "B", 6, "SHOP")]:
        sale = dict(external_reference_id=ref, product_id=product, quantity=1, order_date="2026-03-%02d" % day,
                    location_code=where)
        run(so.SALES_ORDER_RESOURCE.run, so.SALES_ORDER, sale, api)
    selection = {"product_id": "A", "from_date": "2026-03-01", "to_date": "2026-03-10"}
    check = _history(api, check=True, **selection)
    assert check["changed"] and check["count"] == 1 and [d["external_reference_id"] for d in check["deleted"]] == ["S1"]
    assert len(api.sales) == 3
    real = _history(api, **selection)
    assert real["deleted"] == check["deleted"] and real["sales_history"] == check["sales_history"] == {"sales_orders": []}
    assert [line["externalReferenceId"] for line in api.sales] == ["S2", "S3"]
    query = {"fromDate": "2026-03-01T00:00:00", "toDate": "2026-03-10T00:00:00", "productId": "A"}
    assert api.calls[-2][:3] == ("DELETE", "/api/SalesOrders/Range", query)
    writes = len(api.writes)
    again = _history(api, **selection)
    assert not again["changed"] and again["count"] == 0 and len(api.writes) == writes
    assert _history(api, location_code_or_name="SHOP")["count"] == 1
    done = _history(api, all=True, confirm=True)
    assert done["count"] == 1 and api.sales == [] and api.writes[-1][1] == "/api/SalesOrders/All"


def test_sales_history_on_a_tenant_that_cannot_read_sends_the_delete_and_warns():
    api = OtherStockTrim(sales_readable=False)
    done = _history(api, product_id="A")
    assert done["changed"] and done["count"] is None and not done["readable"]
    assert any("could not be read back" in w for w in done["warnings"])
    assert [c[:3] for c in api.writes] == [("DELETE", "/api/SalesOrders", {"productId": "A"})]


@pytest.mark.parametrize("params, message", [
    ({}, "give what to delete"),
    ({"all": True}, "set confirm=true"),
    ({"confirm": True, "product_id": "A"}, "confirm applies only with all=true"),
    ({"all": True, "confirm": True, "product_id": "A"}, "cannot be combined with product_id"),
    ({"from_date": "2026-03-01"}, "from_date and to_date are given together"),
    ({"from_date": "2026-03-10", "to_date": "2026-03-01"}, "is after to_date"),
    ({"from_date": "2026-02-30", "to_date": "2026-03-01"}, "from_date must be an ISO 8601 date"),
    ({"location_code_or_name": "WEB", "product_id": "A"}, "location_code_or_name cannot be combined"),
    ({"product_id": ""}, "product_id must not be empty"),
])
def test_sales_history_input_refused_before_any_request(params, message):
    api = OtherStockTrim()
    with pytest.raises(Fail) as failed:
        _history(api, **params)
    assert message in failed.value.result["msg"] and failed.value.result["error"] == "validation"
    assert api.calls == []


@pytest.mark.parametrize("variant", [
    {"plan_rows": 120},
    {"plan_rows": 120, "plan_has_next": "missing"},
    {"plan_rows": 100, "plan_has_next": "missing"},
    {"plan_rows": 120, "ignore_page": True},
    {"plan_rows": 120, "ignore_page": True, "plan_has_next": "missing"},
    {"plan_rows": 0},
])
def test_order_plan_reads_every_page_and_always_ends(variant):
    api = OtherStockTrim(**variant)
    rows = run(forecast.ORDER_PLAN_INFO.run, forecast.ORDER_PLAN_FILTERS, {}, api)["results"]
    expected = 50 if variant.get("ignore_page") else variant["plan_rows"]
    assert [r["product_code"] for r in rows] == ["P%03d" % i for i in range(expected)]
    assert len(api.calls) <= expected // 50 + 3


@pytest.mark.parametrize("variant", [
    {"plan_rows": 122, "plan_page_base": 1, "plan_computed": "per-read"},
    {"plan_rows": 122, "plan_page_base": 1},
    {"plan_rows": 122, "plan_page_base": 1, "plan_computed": "per-read", "plan_has_next": "missing"},
    {"plan_rows": 122, "plan_computed": "per-read"},
    {"plan_rows": 122, "plan_page_base": 1, "plan_computed": "per-read", "plan_locations": 2},
    {"plan_rows": 122, "plan_computed": "per-read", "ignore_page": True},
])
def test_order_plan_returns_each_row_once_when_a_computed_field_differs_between_reads(variant):
    api = OtherStockTrim(**variant)
    rows = run(forecast.ORDER_PLAN_INFO.run, forecast.ORDER_PLAN_FILTERS, {}, api)["results"]
    expected = 50 if variant.get("ignore_page") else variant["plan_rows"]
    assert [r["id"] for r in rows] == list(range(expected))
    assert len(api.calls) <= expected // 50 + 3


def test_order_plan_row_identity_is_the_product_and_its_location():
    key = forecast.order_plan_row_key
    row = dict((f.name, None) for f in forecast.ORDER_PLAN_RESULT.fields)
    first = dict(row, id=1, product_code="A", location_id=3, location_name="Main", calculated_date_time="2026-01-02T03:04:05")
    assert key(first) == key(dict(first, calculated_date_time="2026-01-02T03:04:06", stock_on_hand=4.0))
    assert key(first) != key(dict(first, location_id=4, location_name="Other"))
    assert key(first) != key(dict(first, product_code="B"))
    # a row without a product code: every field but the computed ones
    bare = dict(row, id=9, stock_on_hand=1.0, calculated_date_time="2026-01-02T03:04:05")
    assert key(bare) == key(dict(bare, calculated_date_time="2026-01-02T03:04:09"))
    assert key(bare) != key(dict(bare, id=10))


@pytest.mark.parametrize("percent", ["int", "float", "null", "str"])
def test_forecast_waits_whatever_the_percentage_looks_like(percent, monkeypatch):
    monkeypatch.setattr(waiting.time, "sleep", lambda seconds: None)
    api = OtherStockTrim(percent=percent)
    params = {"wait": True, "wait_timeout": 60.0, "wait_sleep": 0.01}
    check = run(forecast.FORECAST.run, None, params, api, check=True)
    assert check["changed"] and api.forecast_runs == 0
    done = run(forecast.FORECAST.run, None, params, api)
    assert done["changed"] and api.forecast_runs == 1
    assert done["status"]["is_processing"] is False
    assert done["status"]["percentage_complete"] in (100, None)
    assert isinstance(done["status"]["percentage_complete"], (int, type(None)))


def test_forecast_trigger_answered_with_text_is_not_a_failure_and_a_failing_poll_reports_changed(monkeypatch):
    api = OtherStockTrim()
    polls = {"n": 0}
    real = api.get_processingstatus

    def flaky(params, body):
        polls["n"] += 1
        if polls["n"] == 2:
            raise ServerError("GET /api/ProcessingStatus returned 500", status=500, method="GET", url="u")
        return real(params, body)

    api.get_processingstatus = flaky
    with pytest.raises(Fail) as failed:
        run(forecast.FORECAST.run, None, {"wait": True, "wait_timeout": 60.0, "wait_sleep": 0.01}, api)
    result = failed.value.result
    assert result["changed"] is True and result["error"] == "server" and api.forecast_runs == 1
    assert "last_status" not in result


def test_forecast_first_reading_identical_to_before_is_read_again(monkeypatch):
    api = OtherStockTrim()
    same = {"id": 1, "is_processing": False, "percentage_complete": 100, "status_message": None}
    readings = [dict(same), dict(same, is_processing=True, percentage_complete=10), dict(same, status_message="Done")]
    client = StockTrimClient(api)
    monkeypatch.setattr(forecast, "processing_status", lambda _client: readings.pop(0))
    now = [0.0]
    status = forecast.wait_for_forecast(client, 60, 1, clock=lambda: now[0], pause=lambda s: now.__setitem__(0, now[0] + s), before=same)
    assert status["status_message"] == "Done" and now[0] == 2.0


def test_order_input_refused_before_any_request():
    api = OtherStockTrim()
    cases = [
        (po.PURCHASE_ORDER_RESOURCE.run, po.PURCHASE_ORDER, dict(PO, order_date="2026-02-30"), "order_date"),
        (po.PURCHASE_ORDER_RESOURCE.run, po.PURCHASE_ORDER, dict(PO, client_reference_number=" "), "client_reference_number"),
        (so.SALES_ORDER_RESOURCE.run, so.SALES_ORDER, dict(SALES, sale_order_line_items=[{"product_id": "A", "quantity": -1}]),
         "sale_order_line_items[0].quantity"),
        (boms.BOM_RESOURCE.run, boms.BOM, {"product_id": "A", "component_id": "", "quantity": 1}, "component_id"),
        (boms.BOM_RESOURCE.run, boms.BOM, {"product_id": "A", "component_id": "B", "quantity": -1}, "quantity"),
        (boms.BOM_INFO.run, None, {"product_id": "", "component_id": None}, "product_id"),
        (forecast.FORECAST.run, None, {"wait": True, "wait_timeout": -1.0, "wait_sleep": 5.0}, "wait_timeout"),
    ]
    for func, model, params, option in cases:
        with pytest.raises(Fail) as failed:
            run(func, model, params, api, extra={"state": "present"})
        assert option in failed.value.result["msg"], failed.value.result["msg"]
        assert failed.value.result["error"] == "validation"
    assert api.calls == []


def test_the_pager_follows_one_based_pages_and_stops_on_a_repeat():
    client = StockTrimClient(OtherStockTrim())
    data = list(range(120))

    def one_based(page):
        if page == 0:
            raise ValidationError("bad page", status=400)
        return data[(page - 1) * 50:page * 50], None

    assert client.pages(one_based, lambda x: x, first=1, page_size=50) == data

    def zero_is_one(page):
        page = max(page, 1)
        return data[(page - 1) * 50:page * 50], None

    assert client.pages(zero_is_one, lambda x: x, first=1, page_size=50) == data
    assert client.pages(lambda page: (data[:50], True), lambda x: x, first=0, page_size=50) == data[:50]
