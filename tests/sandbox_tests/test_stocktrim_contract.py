# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Contract tests: the sandbox against the StockTrim OpenAPI document.

The document is not part of the project.  It is read from ``STOCKTRIM_OPENAPI_SPEC`` or from
``<parent of the repository>/shared/reference/stocktrim/stocktrim-openapi.yaml``; when it (or PyYAML) is
missing, these tests are skipped with the reason.

Checked: every path+method of the document is routed by the sandbox and accepts a request built from the
document's own request schema; every sandbox route is in the document; the JSON the sandbox answers has only
the properties of the documented response schema, with the right basic types and nulls only where nullable;
and the sandbox's request field tables agree with the document's request schemas.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

from sandbox.stocktrim_sandbox import ENUMS, ROUTES, SCHEMAS

try:
    import yaml
except ImportError:  # pragma: no cover - depends on the environment
    yaml = None

SPEC_PATH = Path(os.environ.get("STOCKTRIM_OPENAPI_SPEC")
                 or Path(__file__).resolve().parents[3] / "shared" / "reference" / "stocktrim" / "stocktrim-openapi.yaml")
METHODS = ("get", "post", "put", "delete", "patch")
VALUE = "CT-1"  # every string in the generated requests, so that the seeded records are found by every lookup

# Documented differences between the sandbox and the document (API.md section 7, item 10 and the BOM note).
RESPONSE_OVERRIDES = {
    ("PUT", "/api/Customers"): {"type": "array", "items": {"$ref": "#/components/schemas/CustomerDto"}},  # spec: [PurchaseOrderResponseDto]
    ("GET", "/api/boms"): {"type": "array", "items": {"$ref": "#/components/schemas/BillOfMaterialsResponseDto"}},  # spec: 201 one object
}
STATUS_OVERRIDES = {("GET", "/api/boms"): 200}
# Values the generated requests cannot guess: real date bounds, and the first page rather than page 1.
QUERY_OVERRIDES = {"fromDate": "2000-01-01T00:00:00", "toDate": "2100-01-01T00:00:00", "page": 0}
BODY_OVERRIDES = {("POST", "/api/OrderPlan"): {"page": 0, "perPage": 50}}


def _load_spec():
    if yaml is None:
        return None, "PyYAML is not installed (pip install pyyaml)"
    if not SPEC_PATH.is_file():
        return None, "StockTrim OpenAPI document not found at %s (set STOCKTRIM_OPENAPI_SPEC)" % SPEC_PATH
    with open(SPEC_PATH, encoding="utf-8") as handle:
        return yaml.safe_load(handle), None


SPEC, SKIP_REASON = _load_spec()


def _operations():
    if SPEC is None:
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=SKIP_REASON))]
    return [pytest.param(method.upper(), path, id="%s %s" % (method.upper(), path))
            for path, item in SPEC["paths"].items() for method in METHODS if method in item]


@pytest.fixture
def spec():
    if SPEC is None:
        pytest.skip(SKIP_REASON)
    return SPEC


def resolve(schema):
    """Follow $ref and the ``allOf: [$ref] + nullable`` wrapper."""
    schema = dict(schema or {})
    while "$ref" in schema or ("allOf" in schema and len(schema["allOf"]) == 1):
        if "$ref" in schema:
            target = SPEC
            for part in schema.pop("$ref").lstrip("#/").split("/"):
                target = target[part]
            schema = dict(target, **schema)
        else:
            inner = resolve(schema.pop("allOf")[0])
            schema = dict(inner, **schema)
    return schema


def example(schema, name=None):
    """A full request value for ``schema``: every property, strings VALUE, numbers 1, booleans false."""
    schema = resolve(schema)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "object" if "properties" in schema else None)
    if kind == "object":
        return {prop: example(sub, prop) for prop, sub in (schema.get("properties") or {}).items()}
    if kind == "array":
        return [example(schema.get("items"), name)]
    if kind == "string":
        return "2025-01-02T03:04:05" if schema.get("format") == "date-time" else VALUE
    if kind in ("integer", "number"):
        return 1
    if kind == "boolean":
        return False
    return None


def check(schema, value, where, problems):
    """Compare a response value with a schema: known properties only, basic types, null only where nullable."""
    schema = resolve(schema)
    if value is None:
        if not schema.get("nullable"):
            problems.append("%s: null but the schema is not nullable" % where)
        return
    if "enum" in schema and value not in schema["enum"]:
        problems.append("%s: %r is not one of %s" % (where, value, schema["enum"]))
    kind = schema.get("type", "object" if "properties" in schema else None)
    if kind == "object":
        if not isinstance(value, dict):
            problems.append("%s: expected an object, got %r" % (where, value))
            return
        properties = schema.get("properties") or {}
        for key, item in value.items():
            if key not in properties:
                problems.append("%s: property %r is not in the schema" % (where, key))
            else:
                check(properties[key], item, "%s.%s" % (where, key), problems)
    elif kind == "array":
        if not isinstance(value, list):
            problems.append("%s: expected an array, got %r" % (where, value))
            return
        for index, item in enumerate(value):
            check(schema.get("items"), item, "%s[%d]" % (where, index), problems)
    elif kind == "string":
        if not isinstance(value, str):
            problems.append("%s: expected a string, got %r" % (where, value))
        elif schema.get("format") == "date-time":
            try:
                datetime.datetime.fromisoformat(value)
            except ValueError:
                problems.append("%s: %r is not a date-time" % (where, value))
    elif kind == "integer" and (not isinstance(value, int) or isinstance(value, bool)):
        problems.append("%s: expected an integer, got %r" % (where, value))
    elif kind == "number" and (not isinstance(value, (int, float)) or isinstance(value, bool)):
        problems.append("%s: expected a number, got %r" % (where, value))
    elif kind == "boolean" and not isinstance(value, bool):
        problems.append("%s: expected a boolean, got %r" % (where, value))


def request_body(method, path):
    content = ((SPEC["paths"][path][method.lower()].get("requestBody") or {}).get("content") or {})
    schema = (content.get("application/json") or {}).get("schema")
    return None if schema is None else example(schema)


def seed(client):
    """One record of every kind, built from the document's request schemas; all keys are VALUE."""
    for method, path in (("POST", "/api/Suppliers"), ("POST", "/api/V2/Locations"), ("PUT", "/api/Customers"), ("POST", "/api/Products"),
                         ("POST", "/api/PurchaseOrders"), ("POST", "/api/SalesOrders"), ("POST", "/api/boms")):
        response = client.request(method, path, json=request_body(method, path))
        assert response.status_code < 300, (method, path, response.status_code, response.text)


@pytest.fixture
def seeded(sandbox, api):
    sandbox.configure(locations_readable=True, sales_orders_readable=True, processing_polls=1)
    seed(api)
    return api


@pytest.mark.parametrize("method,path", _operations())
def test_operation_is_routed_and_answers_the_documented_shape(seeded, sandbox, method, path):
    operation = SPEC["paths"][path][method.lower()]
    if path == "/api/ProcessingStatus" and method == "GET":
        seeded.post("/api/RunForecastCalculations")  # so that the status is mid-run
    params = {}
    for parameter in operation.get("parameters") or []:
        if parameter["in"] == "query":
            params[parameter["name"]] = QUERY_OVERRIDES.get(parameter["name"], example(parameter.get("schema")))
    url_path = path.replace("{code}", VALUE).replace("{referenceNumber}", VALUE).replace("{configurationName}", VALUE)
    body = request_body(method, path)
    if (method, path) in BODY_OVERRIDES:
        body.update(BODY_OVERRIDES[(method, path)])
    response = seeded.request(method, url_path, params=params, json=body) if body is not None else \
        seeded.request(method, url_path, params=params)

    assert response.headers.get("X-Sandbox-Route", "").lower() == ("%s %s" % (method, path)).lower(), "route not found"
    assert response.status_code not in (400, 404, 405, 415) and response.status_code < 500, response.text
    documented = [int(code) for code in operation["responses"] if code.startswith("2")]
    assert response.status_code in documented + [STATUS_OVERRIDES.get((method, path))], (response.status_code, documented)

    success = operation["responses"].get(str(response.status_code)) or operation["responses"][str(documented[0])]
    schema = RESPONSE_OVERRIDES.get((method, path)) or ((success.get("content") or {}).get("application/json") or {}).get("schema")
    if schema is None:
        return
    assert response.headers["Content-Type"].startswith("application/json")
    document = response.json()
    if isinstance(document, list):
        assert document, "the seeded store should give a non-empty list"
    elif isinstance(document, dict) and "results" in document:
        assert document["results"], "the seeded store should give order plan results"
    problems = []
    check(schema, document, "$", problems)
    assert problems == []


@pytest.mark.parametrize("method,path", [("POST", "/api/Products"), ("POST", "/api/V2/Locations"), ("PUT", "/api/Customers"),
                                         ("POST", "/api/Suppliers"), ("POST", "/api/PurchaseOrders"), ("POST", "/api/SalesOrders")])
def test_every_request_property_is_kept(spec, api, method, path):
    """A full request body comes back with every property the response schema shares, same value."""
    body = request_body(method, path)
    response = api.request(method, path, json=body)
    assert response.status_code < 300, response.text
    sent = body[0] if isinstance(body, list) else body
    answer = response.json()[0] if isinstance(response.json(), list) else response.json()
    assert len(sent) > 2
    assert {key: (value, answer.get(key, "<missing>")) for key, value in sent.items() if answer.get(key, "<missing>") != value} == {}


def test_every_sandbox_route_is_in_the_document(spec):
    documented = {(method.upper(), path.lower()) for path, item in spec["paths"].items() for method in METHODS if method in item}
    routed = {(method, template.lower()) for method, template, _handler, _body in ROUTES}
    assert routed - documented == set()
    assert documented - routed == set()


KINDS = {"str": ("string", None), "num": ("number", "double"), "int": ("integer", "int32"), "bool": ("boolean", None),
         "dt": ("string", "date-time")}


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_sandbox_request_tables_agree_with_the_document(spec, name):
    schema = spec["components"]["schemas"][name]
    fields, required = SCHEMAS[name]
    assert list(fields) == list(schema["properties"])
    assert set(required) == set(schema.get("required") or [])
    for field, kind in fields.items():
        documented = schema["properties"][field]
        resolved = resolve(documented)
        base = kind.rstrip("!")
        where = "%s.%s" % (name, field)
        if base in KINDS:
            assert (resolved.get("type"), resolved.get("format")) == KINDS[base], where
        elif base.startswith("enum:"):
            assert ENUMS[base[5:]] is None or tuple(resolved["enum"]) == ENUMS[base[5:]], where
        elif base.startswith("obj:"):
            assert resolved.get("properties") == spec["components"]["schemas"][base[4:]]["properties"], where
        else:
            assert resolved["type"] == "array", where
            items = documented["items"]
            assert items.get("$ref", "").endswith("/" + base[5:]) or items.get("type") == KINDS.get(base[5:], (None,))[0], where
        value_type = resolved.get("type") in ("number", "integer", "boolean") or "enum" in resolved \
            or (resolved.get("type") == "string" and resolved.get("format") == "date-time")
        if value_type:
            assert kind.endswith("!") == (not resolved.get("nullable", False)), "%s: nullability" % where
