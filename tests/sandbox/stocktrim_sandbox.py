# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A stateful StockTrim API sandbox on 127.0.0.1, for the collection's integration tests and demo.

It answers every route of the StockTrim API the way the real service is documented to, quirks
included, keeps its data in memory, and has a control API under ``/_sandbox/`` for fault injection, request
counting, configuration and state.  Standard library only.  See README.md next to this file.

    sandbox = StockTrimSandbox(port=0, auth_id="tenant", auth_signature="secret")
    sandbox.start(); sandbox.url; sandbox.stop()        # or: with StockTrimSandbox(...) as sandbox: ...

    python stocktrim_sandbox.py --port 0 --auth-id X --auth-signature Y [--state-file F] [--port-file F]
"""

from __future__ import annotations

import argparse
import datetime
import fnmatch
import hmac
import json
import math
import os
import re
import signal
import socket
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

# ---------------------------------------------------------------------------------------------------------------
# Request schemas (the subset of the StockTrim contract the sandbox needs to read bodies like the real service).
# Field kinds: str, num (double), int (int32), bool, dt (date-time), enum:<Name>, obj:<Schema>, list:<item kind>.
# A trailing "!" marks a value type of the service that may not be null.  Each entry: (fields, required fields).
# ---------------------------------------------------------------------------------------------------------------

_STR_FIELDS = ('streetAddress', 'addressLine1', 'addressLine2', 'state', 'country', 'postCode')

SCHEMAS = {
    'ProductSupplier': ({'supplierId': 'str', 'supplierName': 'str', 'supplierSkuCode': 'str'}, ('supplierId',)),
    'ProductLocation': ({'locationCode': 'str', 'locationName': 'str', 'stockOnHand': 'num', 'stockOnOrder': 'num'}, ('locationCode',)),
    'ProductsRequestDto': (dict(
        productId='str', productCodeReadable='str', name='str', category='str', subCategory='str', serviceLevel='num',
        leadTime='int', stockOnHand='num', stockOnOrder='num', cost='num', price='num', supplierCode='str',
        suppliers='list:ProductSupplier', forecastPeriod='int', manufacturingTime='int', orderFrequency='int',
        minimumOrderQuantity='num', minimumShelfLevel='num', maximumShelfLevel='num', batchSize='num', barcode='str',
        discontinued='bool', unstocked='bool', option1='str', option2='str', option3='str', overriddenDemand='num',
        overriddenDemandPeriod='int', stockLocations='list:ProductLocation', parentId='str', variantType='str',
        variant='str', ignoreSeasonality='bool', weight='num', height='num', width='num', length='num'), ('productId',)),
    'CustomerDto': (dict({'code': 'str', 'name': 'str'}, **{k: 'str' for k in _STR_FIELDS},
                         emailAddress='str', phone='str', city='str'), ()),
    'SupplierRequestDto': (dict({'supplierCode': 'str', 'supplierName': 'str', 'emailAddress': 'str', 'primaryContactName': 'str',
                                 'externalId': 'str', 'defaultLeadTime': 'int'}, **{k: 'str' for k in _STR_FIELDS}), ('supplierCode',)),
    'LocationRequestDto': ({'locationCode': 'str', 'locationName': 'str', 'externalId': 'str'}, ('locationCode',)),
    'PurchaseOrderSupplier': ({'supplierCode': 'str', 'supplierName': 'str'}, ()),
    'PurchaseOrderLocation': ({'locationCode': 'str', 'locationName': 'str'}, ()),
    'PurchaseOrderLineItem': ({'productId': 'str', 'quantity': 'num!', 'receivedDate': 'dt', 'unitPrice': 'num'}, ('productId', 'quantity')),
    'PurchaseOrderRequestDto': ({
        'orderDate': 'dt', 'createdDate': 'dt', 'fullyReceivedDate': 'dt', 'supplier': 'obj:PurchaseOrderSupplier',
        'externalId': 'str', 'referenceNumber': 'str', 'clientReferenceNumber': 'str', 'location': 'obj:PurchaseOrderLocation',
        'status': 'enum:PurchaseOrderStatusDto!', 'purchaseOrderLineItems': 'list:PurchaseOrderLineItem'},
        ('purchaseOrderLineItems', 'supplier')),
    'OrderPlanFilterCriteriaDto': ({'searchString': 'str', 'currentStatus': 'enum:CurrentStatusEnum!',
                                    'locationCodes': 'list:str', 'supplierCodes': 'list:str'}, ()),
    'SalesOrderRequestDto': ({
        'productId': 'str', 'externalReferenceId': 'str', 'orderDate': 'dt!', 'quantity': 'num!', 'unitPrice': 'num',
        'locationCode': 'str', 'locationName': 'str', 'customerCode': 'str', 'customerName': 'str'},
        ('orderDate', 'productId', 'quantity')),
    'SalesOrderWithLineItemsRequestDto': ({
        'orderDate': 'dt!', 'locationCode': 'str', 'locationName': 'str', 'customerCode': 'str', 'customerName': 'str',
        'saleOrderLineItems': 'list:SalesOrderRequestDto'}, ('orderDate',)),
    'Inventory': ({'productId': 'str', 'locationCode': 'str', 'locationName': 'str', 'stockOnHand': 'num!', 'stockOnOrder': 'num!'}, ()),
    'SetInventoryRequest': ({'updateOverallAllOnOrderToBeSumOfLocation': 'bool!', 'updateOverallAllOnHandToBeSumOfLocation': 'bool!',
                             'inventory': 'list:Inventory'}, ()),
    'BillOfMaterialsRequestDto': ({'productId': 'str', 'componentId': 'str', 'quantity': 'num'}, ('componentId', 'productId')),
    'OrderPlanFilterCriteria': ({
        'excludeManufactured': 'bool', 'currentStatus': 'enum:CurrentStatusEnum', 'locationId': 'int', 'location': 'str',
        'customerId': 'int', 'customer': 'str', 'supplierId': 'int', 'supplier': 'str', 'category': 'str', 'searchString': 'str',
        'sortOrder': 'str', 'page': 'int!', 'perPage': 'int!', 'hasNextPage': 'bool'}, ()),
    'ProcessingStatusRequestDto': ({'isProcessing': 'bool!', 'percentageComplete': 'int!', 'statusMessage': 'str'}, ()),
    'InventoryManagementSystemRequest': ({'api': 'enum:ApiEnum!'}, ()),
}
# Range rules ([Range] attributes): (schema, field) -> minimum.
MINIMUMS = {('SalesOrderRequestDto', 'quantity'): 0}

ENUMS = {
    'PurchaseOrderStatusDto': ('Draft', 'Approved', 'Sent', 'Received'),
    'CurrentStatusEnum': ('Current', 'Discontinued', 'All'),
    'ApiEnum': None,  # the integration names: any identifier is accepted (e.g. StockTrimIncomingApi, CsvUpload, Master)
}
_IDENTIFIER = re.compile(r'^[A-Za-z][A-Za-z0-9]*$')
_NET_TYPES = {'str': 'System.String', 'num': 'System.Double', 'int': 'System.Int32', 'bool': 'System.Boolean', 'dt': 'System.DateTime'}

DEFAULT_CONFIG = {
    'locations_readable': False,        # GET /api/Locations answers 404 like production unless True
    'sales_orders_readable': False,     # GET /api/SalesOrders answers 404 like production unless True
    'purchase_orders_readable': True,   # GET /api/PurchaseOrders (V1); False = 404 always, as seen on one tenant
    'processing_polls': 2,              # GET /api/ProcessingStatus says isProcessing for this many polls after a run
    'auth_failure_status': 401,         # status for missing or wrong api-auth-* headers (empty body)
    'product_page_size': 50,            # GET /api/Products page size
    'product_update': 'merge',          # POST /api/Products on an existing product: merge the keys sent, or replace all
}
_CONFIG_TYPES = {'locations_readable': bool, 'sales_orders_readable': bool, 'purchase_orders_readable': bool,
                 'processing_polls': int, 'auth_failure_status': int, 'product_page_size': int, 'product_update': str}

JSON_CONTENT = 'application/json; charset=utf-8'
PROBLEM_CONTENT = 'application/problem+json; charset=utf-8'
_JSON_MEDIA = re.compile(r'^(application/json|text/json|application/json-patch\+json|application/[^/\s;]+\+json)$')
_NUMBER = re.compile(r'^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$')
_HTML_ERROR = ('<!DOCTYPE html><html><head><title>Internal Server Error</title></head><body><h1>An unhandled exception '
               'occurred while processing the request.</h1><pre>System.NullReferenceException: Object reference not set '
               'to an instance of an object.\n   at StockTrim.Api.Controllers (sandbox)</pre></body></html>')
_STATE_KEYS = ('products', 'customers', 'suppliers', 'locations', 'purchaseOrders', 'salesOrders', 'billOfMaterials',
               'inventoryManagementSystem', 'configuration', 'processingStatus', 'forecastRuns')


# ---------------------------------------------------------------------------------------------------------------
# Replies and the service's problem documents
# ---------------------------------------------------------------------------------------------------------------

class Reply:
    """An HTTP answer: status, body bytes, content type and extra headers."""

    def __init__(self, status, body=b'', content_type=None, headers=None):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = dict(headers or {})


class ApiError(Exception):
    """Raised by a route handler to answer with ``reply`` instead."""

    def __init__(self, reply):
        super().__init__(reply.status)
        self.reply = reply


def json_reply(status, document, content_type=JSON_CONTENT):
    return Reply(status, json.dumps(document, separators=(',', ':')).encode('utf-8'), content_type)


def trace_id():
    return '00-%s-%s-00' % (uuid.uuid4().hex, uuid.uuid4().hex[:16])


def problem(status, title, section, **extra):
    document = {'type': 'https://tools.ietf.org/html/rfc7231#section-%s' % section, 'title': title, 'status': status,
                'traceId': trace_id()}
    document.update(extra)
    return json_reply(status, document, PROBLEM_CONTENT)


def not_found():
    return problem(404, 'Not Found', '6.5.4')


def validation_problem(errors):
    return problem(400, 'One or more validation errors occurred.', '6.5.1', errors=errors)


def required_param(name):
    return ApiError(validation_problem({name: ['The %s field is required.' % name]}))


def _round(value, digits=2):
    return number(round(float(value), digits))


def _as_int(value):
    return None if value is None else int(value)


def pascal(name):
    return name[:1].upper() + name[1:]


# ---------------------------------------------------------------------------------------------------------------
# Timestamps: naive (no offset), like the service's values
# ---------------------------------------------------------------------------------------------------------------

def now_naive():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def format_dt(value):
    """The service's style: no offset, fraction without trailing zeros (``2025-10-30T22:21:33.307``)."""
    text = value.strftime('%Y-%m-%dT%H:%M:%S')
    if value.microsecond:
        text += '.' + ('%06d' % value.microsecond).rstrip('0')
    return text


def stamp():
    """A server-made timestamp: naive, always with milliseconds."""
    value = now_naive()
    return value.strftime('%Y-%m-%dT%H:%M:%S') + '.%03d' % (value.microsecond // 1000)


def parse_dt(text):
    value = datetime.datetime.fromisoformat(text.strip())
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value


def number(value):
    """Doubles serialise without a trailing .0, like the service's."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
        return int(value)
    return value


# ---------------------------------------------------------------------------------------------------------------
# Body reading: media type, JSON, conversion and [Required] validation, as the service does them
# ---------------------------------------------------------------------------------------------------------------

class _ConversionError(Exception):
    def __init__(self, kind, path):
        super().__init__(path)
        self.kind = kind
        self.path = path


def _item_kind(kind):
    item = kind[5:]
    return 'obj:' + item if item in SCHEMAS else item


def convert(kind, value, path):
    """Convert one JSON value to the declared kind, or raise _ConversionError (first error wins, like the service)."""
    nullable = not kind.endswith('!')
    kind = kind.rstrip('!')
    if value is None:
        if nullable or kind == 'str' or kind.startswith(('obj:', 'list:')):
            return None
        raise _ConversionError(kind, path)
    if kind == 'str' and isinstance(value, str):
        return value
    if kind in ('num', 'int') and not isinstance(value, bool):
        if isinstance(value, str) and _NUMBER.match(value):  # the web defaults read numbers from strings
            value = float(value) if kind == 'num' or not value.strip().lstrip('-').isdigit() else int(value)
        if kind == 'num' and isinstance(value, (int, float)) and math.isfinite(value):
            return number(value)
        if kind == 'int' and isinstance(value, int) and -2 ** 31 <= value < 2 ** 31:
            return value
    if kind == 'bool' and isinstance(value, bool):
        return value
    if kind == 'dt' and isinstance(value, str):
        try:
            return format_dt(parse_dt(value))
        except ValueError:
            pass
    if kind.startswith('enum:'):
        names = ENUMS[kind[5:]]
        if names is None and isinstance(value, str) and _IDENTIFIER.match(value.strip()):
            return value.strip()
        if names is None:
            raise _ConversionError(kind, path)
        if isinstance(value, str):
            for name in names:
                if name.lower() == value.strip().lower():
                    return name
        elif isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(names):
            return names[value]
    if kind.startswith('obj:') and isinstance(value, dict):
        fields = SCHEMAS[kind[4:]][0]
        lookup = {name.lower(): name for name in fields}
        result = {}
        for key, item in value.items():
            field = lookup.get(key.lower())  # property names are matched case-insensitively; unknown ones are ignored
            if field is not None:
                result[field] = convert(fields[field], item, '%s.%s' % (path, field))
        return result
    if kind.startswith('list:') and isinstance(value, list):
        item_kind = _item_kind(kind)
        return [convert(item_kind + ('!' if item_kind.startswith('obj:') else ''), item, '%s[%d]' % (path, index))
                for index, item in enumerate(value)]
    raise _ConversionError(kind, path)


def _net_type(kind):
    base = kind.rstrip('!')
    if base.startswith(('obj:', 'enum:')):
        return base.split(':', 1)[1]
    if base.startswith('list:'):
        return 'System.Collections.Generic.List`1[%s]' % _net_type(_item_kind(base))
    name = _NET_TYPES[base]
    return name if base == 'str' or kind.endswith('!') else 'System.Nullable`1[%s]' % name


def validate(schema, document, prefix, errors):
    """[Required]/[Range] validation of a converted object; collects every error like ModelState."""
    fields, required = SCHEMAS[schema]
    for field in required:
        if document.get(field) in (None, ''):
            errors.setdefault(prefix + pascal(field), []).append('The %s field is required.' % pascal(field))
    for field, kind in fields.items():
        value = document.get(field)
        minimum = MINIMUMS.get((schema, field))
        if minimum is not None and isinstance(value, (int, float)) and value < minimum:
            errors.setdefault(prefix + pascal(field), []).append(
                'The field %s must be between %s and 1.7976931348623157E+308.' % (pascal(field), minimum))
        base = kind.rstrip('!')
        if base.startswith('obj:') and isinstance(value, dict):
            validate(base[4:], value, prefix + pascal(field) + '.', errors)
        elif base.startswith('list:') and base[5:] in SCHEMAS and isinstance(value, list):
            for index, item in enumerate(value):
                validate(base[5:], item, '%s%s[%d].' % (prefix, pascal(field), index), errors)


def deserialize(kind, document):
    """Convert and validate a parsed JSON document against ``obj:X`` or ``list:X``; raise ApiError(400)."""
    if document is None:
        raise ApiError(validation_problem({'': ['A non-empty request body is required.']}))
    try:
        value = convert(kind + '!', document, '$')
    except _ConversionError as err:
        raise ApiError(validation_problem({err.path: ['The JSON value could not be converted to %s. Path: %s.' % (
            _net_type(err.kind), err.path)]}))
    errors = {}
    if kind.startswith('obj:'):
        validate(kind[4:], value, '', errors)
    else:
        for index, item in enumerate(value):
            validate(kind[5:], item, '[%d].' % index, errors)
    if errors:
        raise ApiError(validation_problem(errors))
    return value


def is_json_media_type(header):
    if not header:
        return False
    parts = [part.strip().lower() for part in header.split(';')]
    for param in parts[1:]:
        if param.startswith('charset=') and param[8:].strip('"') not in ('utf-8', 'utf8'):
            return False
    return bool(_JSON_MEDIA.match(parts[0]))


def read_body(kind, content_type, raw):
    """The body of a [FromBody] action: 415 without a body or JSON media type, 400 for bad JSON or invalid data."""
    if not raw or not is_json_media_type(content_type):
        raise ApiError(Reply(415))
    if not raw.strip():
        raise ApiError(validation_problem({'': ['A non-empty request body is required.']}))
    try:
        document = json.loads(raw.decode('utf-8'), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError) as err:
        raise ApiError(validation_problem({'$': ['The request body is not valid JSON: %s' % err]}))
    return deserialize(kind, document)


def _reject_constant(name):
    raise ValueError("'%s' is an invalid JSON literal" % name)


def shape(schema, data):
    """Every field of ``schema``, null where unset; nested objects shaped too; arrays are never null."""
    result = {}
    for field, kind in SCHEMAS[schema][0].items():
        value = data.get(field)
        base = kind.rstrip('!')
        if base.startswith('obj:') and isinstance(value, dict):
            value = shape(base[4:], value)
        elif base.startswith('list:'):
            value = [shape(base[5:], item) if base[5:] in SCHEMAS else item for item in (value or [])]
        result[field] = value
    return result


# ---------------------------------------------------------------------------------------------------------------
# Routing
# ---------------------------------------------------------------------------------------------------------------

# (method, path template, handler method of StockTrimApi, request body kind or None)
ROUTES = (
    ('GET', '/api/Products', 'get_products', None),
    ('POST', '/api/Products', 'post_product', 'obj:ProductsRequestDto'),
    ('DELETE', '/api/Products', 'delete_product', None),
    ('GET', '/api/Customers', 'list_customers', None),
    ('PUT', '/api/Customers', 'put_customer', 'obj:CustomerDto'),
    ('GET', '/api/Customers/{code}', 'get_customer', None),
    ('GET', '/api/Suppliers', 'get_supplier', None),
    ('POST', '/api/Suppliers', 'post_suppliers', 'list:SupplierRequestDto'),
    ('DELETE', '/api/Suppliers', 'delete_supplier', None),
    ('GET', '/api/SuppliersBulk', 'list_suppliers', None),
    ('GET', '/api/Locations', 'get_locations', None),
    ('POST', '/api/Locations', 'post_location', 'obj:LocationRequestDto'),
    ('POST', '/api/V2/Locations', 'post_location_v2', 'obj:LocationRequestDto'),
    ('POST', '/api/Inventory', 'post_inventory', 'obj:SetInventoryRequest'),
    ('GET', '/api/PurchaseOrders', 'get_purchase_orders', None),
    ('POST', '/api/PurchaseOrders', 'post_purchase_order', 'obj:PurchaseOrderRequestDto'),
    ('DELETE', '/api/PurchaseOrders', 'delete_purchase_order', None),
    ('GET', '/api/V2/PurchaseOrders', 'list_purchase_orders_v2', None),
    ('GET', '/api/V2/PurchaseOrders/{referenceNumber}', 'get_purchase_order_v2', None),
    ('POST', '/api/V2/PurchaseOrders/OrderPlan', 'generate_purchase_orders', 'obj:OrderPlanFilterCriteriaDto'),
    ('GET', '/api/SalesOrders', 'list_sales_orders', None),
    ('POST', '/api/SalesOrders', 'post_sales_order', 'obj:SalesOrderRequestDto'),
    ('DELETE', '/api/SalesOrders', 'delete_sales_orders_for_product', None),
    ('DELETE', '/api/SalesOrders/All', 'delete_all_sales_orders', None),
    ('DELETE', '/api/SalesOrders/Range', 'delete_sales_orders_in_range', None),
    ('POST', '/api/SalesOrdersBulk', 'post_sales_orders_bulk', 'obj:SalesOrderWithLineItemsRequestDto'),
    ('PUT', '/api/SalesOrdersBulk', 'put_sales_orders_bulk', 'obj:SalesOrderWithLineItemsRequestDto'),
    ('DELETE', '/api/SalesOrdersLocation', 'delete_sales_orders_for_location', None),
    ('GET', '/api/boms', 'get_boms', None),
    ('POST', '/api/boms', 'post_bom', 'obj:BillOfMaterialsRequestDto'),
    ('DELETE', '/api/boms', 'delete_bom', None),
    ('POST', '/api/OrderPlan', 'query_order_plan', 'obj:OrderPlanFilterCriteria'),
    ('POST', '/api/RunForecastCalculations', 'run_forecast', None),
    ('GET', '/api/ProcessingStatus', 'get_processing_status', None),
    ('POST', '/api/ProcessingStatus', 'set_processing_status', 'obj:ProcessingStatusRequestDto'),
    ('GET', '/api/InventoryManagementSystemSettings', 'get_ims_settings', None),
    ('POST', '/api/InventoryManagementSystemSettings', 'set_ims_settings', 'obj:InventoryManagementSystemRequest'),
    ('GET', '/api/Configuration/{configurationName}', 'get_configuration', None),
)


class Route:
    def __init__(self, method, template, handler, body):
        self.method = method
        self.template = template
        self.handler = handler
        self.body = body
        pattern = re.sub(r'\\{(\w+)\\}', r'(?P<\1>[^/]+)', re.escape(template))
        self.regex = re.compile('^%s/?$' % pattern, re.IGNORECASE)  # the service's routes are case-insensitive


class Router:
    def __init__(self, routes):
        self.routes = [Route(*route) for route in routes]

    def match(self, method, path):
        """(route, path params, allowed methods); route is None when nothing matches the method."""
        allowed = []
        for route in self.routes:
            found = route.regex.match(path)
            if found:
                if route.method == method:
                    return route, {key: unquote(value) for key, value in found.groupdict().items()}, []
                allowed.append(route.method)
        return None, {}, allowed


class Call:
    """What a route handler gets: path params, query (names case-insensitive, empty = absent) and the body."""

    def __init__(self, params, query, body):
        self.params = params
        self.query = {}
        for key, value in parse_qsl(query, keep_blank_values=True):
            self.query.setdefault(key.lower(), value if value != '' else None)
        self.body = body

    def arg(self, name):
        return self.query.get(name.lower())

    def int_arg(self, name, default, minimum=None):
        text = self.arg(name)
        if text is None:
            return default
        try:
            value = int(text.strip())
        except ValueError:
            raise ApiError(validation_problem({name: ["The value '%s' is not valid." % text]}))
        if minimum is not None and value < minimum:
            raise ApiError(validation_problem({name: ['The field %s must be between %d and 2147483647.' % (name, minimum)]}))
        return value


# ---------------------------------------------------------------------------------------------------------------
# The emulated API: stores and one handler per route
# ---------------------------------------------------------------------------------------------------------------

class StockTrimApi:
    """In-memory StockTrim tenant.  Handlers run with ``lock`` held and return a Reply or raise ApiError."""

    def __init__(self, config):
        self.config = config
        self.lock = threading.RLock()
        self.tenant = uuid.uuid4()
        self.clear()

    def clear(self):
        self.products = {}        # productId -> ProductsResponseDto
        self.customers = {}       # code -> CustomerDto
        self.suppliers = {}       # id -> SupplierResponseDto (supplierCode may be null)
        self.locations = {}       # id -> LocationResponseDto
        self.purchase_orders = {}  # id -> PurchaseOrderResponseDto
        self.sales_orders = {}    # id -> SalesOrderResponseDto
        self.boms = {}            # (productId, componentId) -> BOM line
        self.counters = {}
        self.ims = 'StockTrimIncomingApi'
        self.configuration = {}
        self.processing = {'id': 1, 'isProcessing': False, 'percentageComplete': 100, 'statusMessage': None}
        self.polls_left = 0
        self.polls_total = 0
        self.calculated = None
        self.forecast_runs = 0

    def next_id(self, kind):
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return self.counters[kind]

    # -- products ---------------------------------------------------------------------------------------------
    def get_products(self, call):
        code = call.arg('code')
        if code is not None:  # exact match on productId only; no match is a 404 with an empty body
            product = self.products.get(code)
            return json_reply(200, [product]) if product else Reply(404)
        page = call.int_arg('pageNo', 0)
        size = self.config['product_page_size']
        items = list(self.products.values())[page * size:(page + 1) * size] if page >= 0 else []
        return json_reply(200, items) if items else Reply(404)

    def post_product(self, call):
        body = call.body
        shaped = shape('ProductsRequestDto', body)
        existing = self.products.get(body['productId'])
        if existing is None:
            record = {'id': self.next_id('products')}
            record.update(shaped)
            self.products[record['productId']] = record
            return json_reply(201, record)
        for key in (shaped if self.config['product_update'] == 'replace' else body):
            existing[key] = shaped[key]
        return json_reply(200, existing)

    def delete_product(self, call):
        product_id = call.arg('productId')
        if product_id is None:  # never "delete everything"
            raise required_param('productId')
        if self.products.pop(product_id, None) is None:
            return Reply(404)
        return Reply(200)

    # -- customers --------------------------------------------------------------------------------------------
    def list_customers(self, call):
        return json_reply(200, list(self.customers.values()))

    def get_customer(self, call):
        customer = self.customers.get(call.params['code'])
        if customer is None:
            raise ApiError(not_found())
        return json_reply(200, customer)

    def put_customer(self, call):
        code = call.body.get('code')
        if not code:
            raise ApiError(validation_problem({'Code': ['The Code field is required.']}))
        record = self.customers.setdefault(code, shape('CustomerDto', {}))
        record.update({key: call.body[key] for key in call.body})
        return json_reply(200, [record])

    # -- suppliers --------------------------------------------------------------------------------------------
    def find_supplier(self, code=None, name=None):
        for supplier in self.suppliers.values():
            if code is not None and supplier['supplierCode'] == code:
                return supplier
        for supplier in self.suppliers.values():
            if code is None and name is not None and supplier['supplierName'] == name:
                return supplier
        return None

    def save_supplier(self, data):
        record = self.find_supplier(code=data.get('supplierCode'), name=None if data.get('supplierCode') else data.get('supplierName'))
        if record is None:
            record = {'id': self.next_id('suppliers')}
            record.update(shape('SupplierRequestDto', {}))
            self.suppliers[record['id']] = record
        record.update(data)
        return record

    def get_supplier(self, call):
        code = call.arg('code')
        supplier = self.find_supplier(code=code) if code is not None else None
        if supplier is None:  # without a code the service answers 404 too (use SuppliersBulk)
            raise ApiError(not_found())
        return json_reply(200, supplier)

    def list_suppliers(self, call):
        return json_reply(200, list(self.suppliers.values()))

    def post_suppliers(self, call):
        return json_reply(201, [self.save_supplier(item) for item in call.body])

    def delete_supplier(self, call):
        key = call.arg('supplierCodeOrName')
        if key is None:
            raise required_param('supplierCodeOrName')
        supplier = self.find_supplier(code=key) or self.find_supplier(name=key)
        if supplier is None:
            raise ApiError(not_found())
        del self.suppliers[supplier['id']]
        return Reply(201)

    # -- locations --------------------------------------------------------------------------------------------
    def find_location(self, code=None, name=None):
        for location in self.locations.values():
            if (code is not None and location['locationCode'] == code) or (name is not None and location['locationName'] == name):
                return location
        return None

    def get_locations(self, call):
        if not self.config['locations_readable']:
            raise ApiError(not_found())  # production: 404 with or without code
        code = call.arg('code')
        if code is None:
            return json_reply(200, list(self.locations.values()))
        location = self.find_location(code=code)
        if location is None:
            raise ApiError(not_found())
        return json_reply(200, location)

    def _save_location(self, body, by_name):
        record = self.find_location(code=body['locationCode'])
        if record is None and by_name and body.get('locationName'):
            record = self.find_location(name=body['locationName'])  # V1: a name hit updates that location
        if record is None:
            record = {'id': self.next_id('locations')}
            record.update(shape('LocationRequestDto', {}))
            self.locations[record['id']] = record
        record.update(body)
        return json_reply(201, record)

    def post_location(self, call):
        return self._save_location(call.body, by_name=True)

    def post_location_v2(self, call):
        return self._save_location(call.body, by_name=False)

    # -- inventory --------------------------------------------------------------------------------------------
    def post_inventory(self, call):
        items = call.body.get('inventory') or []
        errors = {}
        for index, item in enumerate(items):
            if not item.get('productId'):
                errors['Inventory[%d].ProductId' % index] = ['The ProductId field is required.']
            elif item['productId'] not in self.products:
                errors['Inventory[%d].ProductId' % index] = ["Product '%s' does not exist." % item['productId']]
        if errors:
            raise ApiError(validation_problem(errors))
        sum_on_hand = call.body.get('updateOverallAllOnHandToBeSumOfLocation') is True
        sum_on_order = call.body.get('updateOverallAllOnOrderToBeSumOfLocation') is True
        summed = []
        for item in items:
            product = self.products[item['productId']]
            on_hand, on_order = item.get('stockOnHand') or 0, item.get('stockOnOrder') or 0  # non-nullable: absent = 0
            code, name = item.get('locationCode'), item.get('locationName')
            if not code and not name:
                product['stockOnHand'], product['stockOnOrder'] = on_hand, on_order
                continue
            entry = next((loc for loc in product['stockLocations'] if (loc['locationCode'] == code if code else loc['locationName'] == name)), None)
            if entry is None:
                entry = {'locationCode': code or name, 'locationName': name, 'stockOnHand': None, 'stockOnOrder': None}
                product['stockLocations'].append(entry)
            if name:
                entry['locationName'] = name
            entry['stockOnHand'], entry['stockOnOrder'] = on_hand, on_order
            summed.append(product)
        for product in summed:
            if sum_on_hand:
                product['stockOnHand'] = number(float(sum(loc['stockOnHand'] or 0 for loc in product['stockLocations'])))
            if sum_on_order:
                product['stockOnOrder'] = number(float(sum(loc['stockOnOrder'] or 0 for loc in product['stockLocations'])))
        count = len({item['productId'] for item in items})
        return json_reply(200, {'id': 0, 'message': 'Inventory updated for %d product(s).' % count,
                                'supplier': {'supplierCode': None, 'supplierName': None}, 'purchaseOrderLineItems': []})

    # -- purchase orders --------------------------------------------------------------------------------------
    def find_purchase_order(self, reference):
        for order in self.purchase_orders.values():
            if reference in (order['referenceNumber'], order['clientReferenceNumber']):
                return order
        return None

    def _po_supplier(self, supplier):
        """Fill the PO supplier from the supplier list; unknown suppliers are created (orphans have no code)."""
        code, name = supplier.get('supplierCode'), supplier.get('supplierName')
        if not code and not name:
            return shape('PurchaseOrderSupplier', supplier)
        known = self.find_supplier(code=code) if code else self.find_supplier(name=name)
        if known is None:
            known = self.save_supplier({'supplierCode': code or None, 'supplierName': name})
        return {'supplierCode': known['supplierCode'], 'supplierName': name or known['supplierName']}

    def _save_purchase_order(self, body, record=None):
        shaped = shape('PurchaseOrderRequestDto', body)
        created = record is None
        if created:
            record = {'id': self.next_id('purchaseOrders'), 'message': None}
            record.update(shaped)
            record['createdDate'] = shaped['createdDate'] or stamp()
            record['orderDate'] = shaped['orderDate'] or stamp()
            record['status'] = shaped['status'] or 'Draft'
            record['referenceNumber'] = shaped['referenceNumber'] or 'PO-%05d' % record['id']
            self.purchase_orders[record['id']] = record
        else:
            record.update({key: shaped[key] for key in body})
        record['supplier'] = self._po_supplier(record['supplier'] or {})
        return record, created

    def post_purchase_order(self, call):
        body = call.body
        if 'orderDate' in body and body['orderDate'] is None:  # cannot be cleared once set; omit it to keep it
            raise ApiError(validation_problem({'OrderDate': ['The OrderDate field is required.']}))
        key = body.get('clientReferenceNumber')
        existing = None
        if key:
            existing = next((po for po in self.purchase_orders.values() if po['clientReferenceNumber'] == key), None)
        record, created = self._save_purchase_order(body, existing)
        return json_reply(201 if created else 200, record)

    def get_purchase_orders(self, call):
        if not self.config['purchase_orders_readable']:
            raise ApiError(not_found())
        reference = call.arg('referenceNumber')
        if reference is None:
            if not self.purchase_orders:
                raise ApiError(not_found())  # none at all: 404, not []
            return json_reply(200, list(self.purchase_orders.values()))
        order = self.find_purchase_order(reference)
        if order is None:
            raise ApiError(not_found())
        return json_reply(200, order)

    def delete_purchase_order(self, call):
        reference = call.arg('referenceNumber')
        if reference is None:
            raise required_param('referenceNumber')
        order = self.find_purchase_order(reference)
        if order is None:
            raise ApiError(not_found())
        del self.purchase_orders[order['id']]
        return Reply(204)

    def list_purchase_orders_v2(self, call):
        page = call.int_arg('page', 0, minimum=0)
        size = call.int_arg('pageSize', 10, minimum=1)
        status = call.arg('status')
        if status is not None:
            try:
                status = convert('enum:PurchaseOrderStatusDto', status, 'status')
            except _ConversionError:
                raise ApiError(validation_problem({'status': ["The value '%s' is not valid." % status]}))
        orders = [po for po in self.purchase_orders.values() if status is None or po['status'] == status]
        return json_reply(200, orders[page * size:(page + 1) * size])

    def get_purchase_order_v2(self, call):
        order = self.find_purchase_order(call.params['referenceNumber'])
        if order is None:
            raise ApiError(not_found())
        return json_reply(200, order)

    def generate_purchase_orders(self, call):
        """Draft POs from the order plan, one per supplier; every call creates new ones (not idempotent)."""
        criteria = call.body
        locations = criteria.get('locationCodes') or []
        suppliers = criteria.get('supplierCodes') or []
        groups = {}
        for product in self._plan_products(criteria.get('currentStatus') or 'Current', criteria.get('searchString')):
            supplier = product['supplierCode'] or next((s['supplierId'] for s in product['suppliers']), None)
            if suppliers and supplier not in suppliers:
                continue
            if locations and not any(loc['locationCode'] in locations for loc in product['stockLocations']):
                continue
            plan = self.forecast(product)
            if plan['orderQuantity'] > 0:
                groups.setdefault(supplier, []).append({'productId': product['productId'], 'quantity': plan['orderQuantity'],
                                                        'receivedDate': None, 'unitPrice': product['cost']})
        created = []
        location = {'locationCode': locations[0], 'locationName': None} if len(locations) == 1 else None
        for supplier, lines in groups.items():
            order = {'supplier': {'supplierCode': supplier}, 'purchaseOrderLineItems': lines, 'status': 'Draft', 'location': location}
            created.append(self._save_purchase_order(order)[0])
        return json_reply(200, created)

    # -- sales orders -----------------------------------------------------------------------------------------
    def _sale(self, line, header=None, record=None):
        data = dict(line)
        for key in ('locationCode', 'locationName', 'customerCode', 'customerName'):
            if data.get(key) is None and header:
                data[key] = header.get(key)
        if record is None:
            record = {'id': self.next_id('salesOrders'), 'locationId': 0}
            self.sales_orders[record['id']] = record
        record.update(shape('SalesOrderRequestDto', data))
        location = self.find_location(code=data.get('locationCode'), name=data.get('locationName'))
        record['locationId'] = location['id'] if location else 0
        return record

    def list_sales_orders(self, call):
        if not self.config['sales_orders_readable']:
            raise ApiError(not_found())  # production: 404 with or without productId
        product_id = call.arg('productId')
        return json_reply(200, [s for s in self.sales_orders.values() if product_id is None or s['productId'] == product_id])

    def post_sales_order(self, call):
        return json_reply(201, self._sale(call.body))

    def _bulk_lines(self, body):
        lines = body.get('saleOrderLineItems') or []
        if not lines:
            raise ApiError(validation_problem({'SaleOrderLineItems': ['At least one line item is required.']}))
        return lines

    def post_sales_orders_bulk(self, call):
        saved = [self._sale(line, call.body) for line in self._bulk_lines(call.body)]
        return json_reply(201, saved[0])

    def put_sales_orders_bulk(self, call):
        saved = []
        for line in self._bulk_lines(call.body):
            key = line.get('externalReferenceId')
            existing = next((s for s in self.sales_orders.values() if key and s['externalReferenceId'] == key), None)
            saved.append(self._sale(line, call.body, existing))
        return json_reply(201, saved[0])

    def _delete_sales(self, predicate):
        for sale_id in [sale_id for sale_id, sale in self.sales_orders.items() if predicate(sale)]:
            del self.sales_orders[sale_id]
        return Reply(200)

    def delete_sales_orders_for_product(self, call):
        product_id = call.arg('productId')
        if product_id is None:  # use /api/SalesOrders/All to delete everything
            raise required_param('productId')
        return self._delete_sales(lambda sale: sale['productId'] == product_id)

    def delete_all_sales_orders(self, call):
        return self._delete_sales(lambda sale: True)

    def delete_sales_orders_in_range(self, call):
        bounds = []
        for name in ('fromDate', 'toDate'):
            text = call.arg(name)
            if text is None:
                raise required_param(name)
            try:
                bounds.append(parse_dt(text))
            except ValueError:
                raise ApiError(validation_problem({name: ["The value '%s' is not valid." % text]}))
        product_id = call.arg('productId')
        return self._delete_sales(lambda sale: bounds[0] <= parse_dt(sale['orderDate']) <= bounds[1]
                                  and (product_id is None or sale['productId'] == product_id))

    def delete_sales_orders_for_location(self, call):
        key = call.arg('locationCodeOrName')
        if key is None:
            raise required_param('locationCodeOrName')
        return self._delete_sales(lambda sale: key in (sale['locationCode'], sale['locationName']))

    # -- bills of materials -----------------------------------------------------------------------------------
    def render_bom(self, line):
        return {'id': line['id'], 'assemblyTimeDays': line.get('assemblyTimeDays'),
                'skuComponent': self.products.get(line['componentId']), 'skuProduct': self.products.get(line['productId']),
                'productId': line['productId'], 'componentId': line['componentId'], 'quantity': line.get('quantity')}

    def get_boms(self, call):
        product_id, component_id = call.arg('productId'), call.arg('componentId')
        lines = [self.render_bom(line) for line in self.boms.values()
                 if product_id in (None, line['productId']) and component_id in (None, line['componentId'])]
        return json_reply(200, lines)  # the spec says 201 with one object; the sandbox answers 200 with a list

    def post_bom(self, call):
        body = call.body
        errors = {pascal(field): ["Product '%s' does not exist." % body[field]]
                  for field in ('productId', 'componentId') if body[field] not in self.products}
        if errors:
            raise ApiError(validation_problem(errors))
        key = (body['productId'], body['componentId'])
        line = self.boms.get(key)
        if line is None:
            line = self.boms[key] = {'id': self.next_id('billOfMaterials'), 'productId': key[0], 'componentId': key[1],
                                     'assemblyTimeDays': None}
        line['quantity'] = body.get('quantity')
        return json_reply(201, self.render_bom(line))

    def delete_bom(self, call):
        key = (call.arg('productId'), call.arg('componentId'))
        for name, value in zip(('productId', 'componentId'), key):
            if value is None:
                raise required_param(name)
        if self.boms.pop(key, None) is None:
            raise ApiError(not_found())
        return Reply(201)

    # -- order plan and forecasting ---------------------------------------------------------------------------
    def _plan_products(self, status, search):
        for product in self.products.values():
            if (status == 'Current' and product['discontinued']) or (status == 'Discontinued' and not product['discontinued']):
                continue
            texts = (product['productId'], product['productCodeReadable'], product['name'])
            if search and not any(search.lower() in (text or '').lower() for text in texts):
                continue
            yield product

    def forecast(self, product, location=None):
        """A small deterministic replenishment model (the real forecasting is not emulated)."""
        now = now_naive()
        sales = [s for s in self.sales_orders.values() if s['productId'] == product['productId']
                 and (location is None or location['locationCode'] in (s['locationCode'], None))]
        recent = [s for s in sales if (now - parse_dt(s['orderDate'])).days < 120]
        if product['overriddenDemand'] is not None and product['overriddenDemandPeriod']:
            daily = product['overriddenDemand'] / product['overriddenDemandPeriod']
        else:
            daily = sum(s['quantity'] for s in recent) / 120.0
        supplier = self.find_supplier(code=product['supplierCode']) if product['supplierCode'] else None
        lead = product['leadTime'] if product['leadTime'] is not None else (supplier or {}).get('defaultLeadTime') or 14
        frequency = product['orderFrequency'] or 30
        stock = location or product
        on_hand, on_order = stock['stockOnHand'] or 0, stock['stockOnOrder'] or 0
        safety = product['minimumShelfLevel'] or 0
        lead_demand, period_demand = daily * lead, daily * (product['forecastPeriod'] or frequency)
        reorder_point = lead_demand + safety
        quantity = 0.0
        if not product['discontinued'] and not product['unstocked']:
            quantity = max(0.0, reorder_point + period_demand - on_hand - on_order)
            if quantity > 0:
                quantity = max(quantity, product['minimumOrderQuantity'] or 0)
                if product['batchSize']:
                    quantity = math.ceil(quantity / product['batchSize']) * product['batchSize']
                quantity = math.ceil(quantity)
        dates = sorted(s['orderDate'] for s in sales)
        return {
            'daily': daily, 'lead': lead, 'frequency': frequency, 'onHand': on_hand, 'onOrder': on_order, 'sales': sales,
            'reorderPoint': _round(reorder_point), 'leadDemand': _round(lead_demand), 'periodDemand': _round(period_demand),
            'safety': safety, 'orderQuantity': number(float(quantity)), 'latest': dates[-1] if dates else None,
            'daysUntilStockOut': int(on_hand // daily) if daily > 0 else None,
            'daysUntilReplenishmentDue': max(0, int((on_hand + on_order - reorder_point) // daily)) if daily > 0 else None,
            'previousLeadTime': sum(s['quantity'] for s in recent if (now - parse_dt(s['orderDate'])).days < lead),
        }

    def sku_result(self, product, location):
        plan = self.forecast(product, location)
        location_record = self.find_location(code=location['locationCode']) if location else None
        return {
            'id': product['id'], 'skuId': product['id'], 'locationId': location_record['id'] if location_record else None,
            'tenantId': str(self.tenant), 'calculatedDateTime': self.calculated or stamp(), 'effectiveToDateTime': None,
            'reorderPoint': plan['reorderPoint'], 'orderQuantity': plan['orderQuantity'], 'leadDemand': plan['leadDemand'],
            'forecastPeriodDemand': plan['periodDemand'], 'safetyStockLevel': plan['safety'], 'leadTimeDays': plan['lead'],
            'reorderFrequencyDays': plan['frequency'], 'orderCount': len(plan['sales']), 'latestOrderDate': plan['latest'],
            'minimumOrderQuantity': _as_int(product['minimumOrderQuantity']), 'batchSize': _as_int(product['batchSize']),
            'stockOnHand': plan['onHand'], 'stockOnOrder': plan['onOrder'], 'daysUntilStockOut': plan['daysUntilStockOut'],
            'daysUntilReplenishmentDue': plan['daysUntilReplenishmentDue'], 'isUncertain': plan['daily'] == 0,
            'ordersInPreviousLeadTime': number(float(plan['previousLeadTime'])),
            'avgDailyOrdersLast120Days': _round(plan['daily'], 4), 'category': product['category'],
            'subCategory': product['subCategory'], 'option1': product['option1'], 'option2': product['option2'],
            'option3': product['option3'], 'productCode': product['productId'], 'name': product['name'],
            'skuCost': product['cost'], 'skuPrice': product['price'], 'isDiscontinued': bool(product['discontinued']),
            'isUnstocked': bool(product['unstocked']),
            'productOfCount': sum(1 for key in self.boms if key[0] == product['productId']),
            'componentOfCount': sum(1 for key in self.boms if key[1] == product['productId']),
            'customerCount': len({s['customerCode'] or s['customerName'] for s in plan['sales'] if s['customerCode'] or s['customerName']}),
            'locationCount': len(product['stockLocations']), 'locationName': location['locationName'] if location else None,
            'showForecastForAllLocations': location is None, 'manufacturingTime': product['manufacturingTime'],
            'minimumShelfLevel': product['minimumShelfLevel'], 'maximumShelfLevel': product['maximumShelfLevel'],
            'serviceLevel': product['serviceLevel'], 'weight': product['weight'], 'height': product['height'],
            'width': product['width'], 'length': product['length'], 'externalId': None, 'skuCode': product['productId'],
            'skuCodeParent': product['parentId'],
            'childVariantsCount': sum(1 for other in self.products.values() if other['parentId'] == product['productId']),
        }

    def query_order_plan(self, call):
        criteria = shape('OrderPlanFilterCriteria', call.body)
        where = criteria['location']
        if criteria['locationId'] is not None:
            where = (self.locations.get(criteria['locationId']) or {}).get('locationCode', '\0')
        supplier = criteria['supplier']
        if criteria['supplierId'] is not None:
            supplier = (self.suppliers.get(criteria['supplierId']) or {}).get('supplierCode', '\0')
        results = []
        for product in self._plan_products(criteria['currentStatus'] or 'Current', criteria['searchString']):
            if criteria['excludeManufactured'] and any(key[0] == product['productId'] for key in self.boms):
                continue
            if criteria['category'] and (product['category'] or '').lower() != criteria['category'].lower():
                continue
            codes = {product['supplierCode']} | {s['supplierId'] for s in product['suppliers']} | {s['supplierName'] for s in product['suppliers']}
            if supplier and supplier not in codes:
                continue
            customer = criteria['customer']
            if customer and not any(s['productId'] == product['productId'] and customer in (s['customerCode'], s['customerName'])
                                    for s in self.sales_orders.values()):
                continue
            location = None
            if where:
                location = next((loc for loc in product['stockLocations'] if where in (loc['locationCode'], loc['locationName'])), None)
                if location is None:
                    continue
            results.append(self.sku_result(product, location))
        per_page = criteria['perPage'] if criteria['perPage'] and criteria['perPage'] > 0 else 50
        page = max(criteria['page'] or 0, 0)
        criteria.update({'page': page, 'perPage': per_page, 'hasNextPage': len(results) > (page + 1) * per_page,
                         'currentStatus': None})  # the echo carries currentStatus null
        return json_reply(200, {'results': results[page * per_page:(page + 1) * per_page], 'filterCriteria': criteria})

    def run_forecast(self, call):
        self.forecast_runs += 1
        self.polls_total = self.polls_left = max(int(self.config['processing_polls']), 0)
        self.calculated = stamp()
        self.processing = {'id': 1, 'isProcessing': False, 'percentageComplete': 100, 'statusMessage': 'Forecast calculation complete'}
        return Reply(201)

    def get_processing_status(self, call):
        if self.polls_left > 0:
            done = self.polls_total - self.polls_left
            self.polls_left -= 1
            return json_reply(200, {'id': 1, 'isProcessing': True, 'percentageComplete': 100 * done // self.polls_total,
                                    'statusMessage': 'Calculating forecasts'})
        return json_reply(200, self.processing)

    def set_processing_status(self, call):
        echo = shape('ProcessingStatusRequestDto', call.body)
        echo['isProcessing'] = bool(echo['isProcessing'])
        echo['percentageComplete'] = echo['percentageComplete'] or 0
        self.processing = {'id': 1}
        self.processing.update(echo)
        self.polls_left = 0
        return json_reply(200, echo)

    def get_ims_settings(self, call):
        return json_reply(200, {'name': self.ims})

    def set_ims_settings(self, call):
        self.ims = call.body.get('api') or self.ims  # the sandbox keeps the setting when 'api' is missing
        return Reply(201)

    def get_configuration(self, call):
        return json_reply(200, {'name': self.configuration.get(call.params['configurationName'])})

    # -- state dump and load ----------------------------------------------------------------------------------
    def dump(self):
        return json.loads(json.dumps({
            'products': list(self.products.values()), 'customers': list(self.customers.values()),
            'suppliers': list(self.suppliers.values()), 'locations': list(self.locations.values()),
            'purchaseOrders': list(self.purchase_orders.values()), 'salesOrders': list(self.sales_orders.values()),
            'billOfMaterials': list(self.boms.values()), 'inventoryManagementSystem': self.ims,
            'configuration': self.configuration, 'processingStatus': self.processing, 'forecastRuns': self.forecast_runs,
        }))

    def load(self, state):
        """Replace the stores with ``state`` (the format of dump(); records may be partial)."""
        if not isinstance(state, dict) or set(state) - set(_STATE_KEYS):
            raise ValueError('state must be an object with the keys of GET /_sandbox/state')
        self.clear()
        schemas = {'products': 'ProductsRequestDto', 'customers': 'CustomerDto', 'suppliers': 'SupplierRequestDto',
                   'locations': 'LocationRequestDto', 'purchaseOrders': 'PurchaseOrderRequestDto',
                   'salesOrders': 'SalesOrderRequestDto', 'billOfMaterials': 'BillOfMaterialsRequestDto'}
        for key, schema in schemas.items():
            for raw in state.get(key) or []:
                try:
                    record = deserialize('obj:' + schema, raw)
                except ApiError as err:
                    raise ValueError('invalid %s record %s: %s' % (key, json.dumps(raw)[:200], err.reply.body.decode('utf-8')))
                self._load_record(key, schema, raw, record)
        self.ims = state.get('inventoryManagementSystem') or self.ims
        self.configuration = dict(state.get('configuration') or {})
        self.processing.update(state.get('processingStatus') or {})
        self.forecast_runs = int(state.get('forecastRuns') or 0)

    def _load_record(self, key, schema, raw, record):
        record_id = raw.get('id') if isinstance(raw.get('id'), int) else None
        self.counters[key] = max(self.counters.get(key, 0), record_id or 0)
        record_id = record_id or self.next_id(key)
        if key == 'customers':
            self.customers[record.get('code')] = shape(schema, record)
        elif key == 'billOfMaterials':
            self.boms[(record['productId'], record['componentId'])] = dict(record, id=record_id, assemblyTimeDays=raw.get('assemblyTimeDays'))
        else:
            full = {'id': record_id}
            full.update(shape(schema, record))
            if key == 'products':
                self.products[full['productId']] = full
            elif key == 'purchaseOrders':
                full = dict({'id': record_id, 'message': raw.get('message')}, **shape(schema, record))
                full['status'] = full['status'] or 'Draft'
                self.purchase_orders[record_id] = full
            elif key == 'salesOrders':
                full['locationId'] = raw.get('locationId') or 0
                self.sales_orders[record_id] = full
            else:
                getattr(self, key)[record_id] = full


# ---------------------------------------------------------------------------------------------------------------
# Faults and the request log
# ---------------------------------------------------------------------------------------------------------------

_FAULT_FIELDS = {'method': (str, type(None)), 'path': str, 'status': (int, type(None)), 'retry_after': (str, int, type(None)),
                 'times': int, 'delay': (int, float), 'drop': bool, 'after_processing': bool, 'body': (str, type(None)),
                 'html': bool, 'content_type': (str, type(None))}


def make_fault(spec, fault_id):
    """Validate a fault description (see README) and return it in canonical form."""
    if not isinstance(spec, dict):
        raise ValueError('a fault is a JSON object')
    unknown = set(spec) - set(_FAULT_FIELDS)
    if unknown:
        raise ValueError('unknown fault field(s): %s' % ', '.join(sorted(unknown)))
    for name, value in spec.items():
        if not isinstance(value, _FAULT_FIELDS[name]) or (isinstance(value, bool) and _FAULT_FIELDS[name] is not bool):
            raise ValueError('fault field %r has the wrong type' % name)
    fault = {'id': fault_id, 'method': (spec.get('method') or '*').upper(), 'path': spec.get('path'), 'status': spec.get('status'),
             'retry_after': None if spec.get('retry_after') is None else str(spec['retry_after']), 'times': spec.get('times', 1),
             'delay': float(spec.get('delay', 0)), 'drop': spec.get('drop', False), 'after_processing': spec.get('after_processing', False),
             'body': spec.get('body'), 'html': spec.get('html', False), 'content_type': spec.get('content_type'), 'hits': 0}
    if not fault['path'] or not fault['path'].startswith('/'):
        raise ValueError("fault 'path' must start with / (query ignored, case-insensitive, * and ? wildcards allowed)")
    if fault['status'] is not None and not 100 <= fault['status'] <= 599:
        raise ValueError("fault 'status' must be an HTTP status")
    if fault['times'] == 0 or fault['times'] < -1:
        raise ValueError("fault 'times' must be >= 1, or -1 for every request")
    if fault['delay'] < 0:
        raise ValueError("fault 'delay' must be >= 0")
    if fault['status'] is None and not fault['drop'] and not fault['delay']:
        raise ValueError("a fault needs 'status', 'drop' or 'delay'")
    return fault


def fault_reply(fault):
    body = fault['body']
    content_type = fault['content_type']
    if body is None and fault['html']:
        body = _HTML_ERROR
    if content_type is None and body is not None:
        content_type = 'text/html; charset=utf-8' if fault['html'] else 'text/plain; charset=utf-8'
    headers = {'Retry-After': fault['retry_after']} if fault['retry_after'] is not None else {}
    return Reply(fault['status'], (body or '').encode('utf-8'), content_type, headers)


# ---------------------------------------------------------------------------------------------------------------
# HTTP server
# ---------------------------------------------------------------------------------------------------------------

class _Server(ThreadingHTTPServer):
    sandbox = None

    def handle_error(self, request, client_address):
        if self.sandbox.verbose:  # clients that hang up (timeouts, drops) are normal here
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'StockTrimSandbox/1.0'
    sys_version = ''
    timeout = 60  # idle keep-alive connections are closed after this many seconds

    def version_string(self):
        return self.server_version

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no 40 ms stalls on keep-alive
        self.server.sandbox.track(self.connection, True)

    def finish(self):
        try:
            super().finish()
        finally:
            self.server.sandbox.track(self.connection, False)

    def log_message(self, format, *args):
        if self.server.sandbox.verbose:  # the request line only: header values (credentials) are never logged
            super().log_message(format, *args)

    def do_GET(self):
        self.server.sandbox.serve(self)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    def read_body(self):
        if 'chunked' in (self.headers.get('Transfer-Encoding') or '').lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b';')[0].strip() or b'0', 16)
                if size == 0:
                    while self.rfile.readline() not in (b'\r\n', b'\n', b''):
                        pass
                    return b''.join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(length) if length > 0 else b''

    def send(self, reply, route=None):
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if route is not None:
            self.send_header('X-Sandbox-Route', '%s %s' % (route.method, route.template))
        if reply.content_type:
            self.send_header('Content-Type', reply.content_type)
        if reply.status != 204 and reply.status >= 200:
            self.send_header('Content-Length', str(len(reply.body)))
        self.end_headers()
        if self.command != 'HEAD' and reply.status != 204 and reply.body:
            self.wfile.write(reply.body)

    def drop(self):
        """Close the connection without any answer."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class StockTrimSandbox:
    """The sandbox server.  ``start()`` binds ``host:port`` (0 = any free port); ``url`` is the base URL."""

    def __init__(self, port=0, auth_id='sandbox-tenant-id', auth_signature='sandbox-tenant-name', host='127.0.0.1', state_file=None,
                 verbose=False, locations_readable=False, sales_orders_readable=False, purchase_orders_readable=True,
                 processing_polls=2, auth_failure_status=401, product_page_size=50, product_update='merge'):
        self.host = host
        self.requested_port = port
        self.auth_id = auth_id
        self.auth_signature = auth_signature
        self.state_file = state_file
        self.verbose = verbose
        self.initial_config = self._checked_config(dict(DEFAULT_CONFIG), dict(
            locations_readable=locations_readable, sales_orders_readable=sales_orders_readable,
            purchase_orders_readable=purchase_orders_readable, processing_polls=processing_polls,
            auth_failure_status=auth_failure_status, product_page_size=product_page_size, product_update=product_update))
        self.config = dict(self.initial_config)
        self.api = StockTrimApi(self.config)
        self.router = Router(ROUTES)
        self._faults = []
        self._fault_ids = 0
        self._requests = []
        self._meta_lock = threading.Lock()
        self._connections = set()
        self._stopping = threading.Event()
        self._generation = 0  # bumped by reset(): delayed requests from before a reset are abandoned
        self._server = None
        self._thread = None
        if state_file and os.path.exists(state_file):
            with open(state_file, encoding='utf-8') as handle:
                self.api.load(json.load(handle))

    # -- lifecycle --------------------------------------------------------------------------------------------
    @property
    def port(self):
        return self._server.server_address[1] if self._server else None

    @property
    def url(self):
        return 'http://%s:%s' % (self.host, self._server.server_address[1]) if self._server else None

    def start(self):
        if self._server is None:
            self._stopping.clear()
            self._server = _Server((self.host, self.requested_port), _Handler)
            self._server.sandbox = self
            self._thread = threading.Thread(target=self._server.serve_forever, kwargs={'poll_interval': 0.1},
                                            name='stocktrim-sandbox', daemon=True)
            self._thread.start()
        return self

    def stop(self):
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        with self._meta_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._server.server_close()
        self._thread.join(timeout=5)
        self._server = self._thread = None
        if self.state_file:
            self.save_state()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def track(self, connection, is_open):
        with self._meta_lock:
            (self._connections.add if is_open else self._connections.discard)(connection)

    # -- Python control API (same as /_sandbox/) --------------------------------------------------------------
    def add_fault(self, spec=None, **fields):
        """Queue a fault for the next matching requests; see README for the fields.  Returns the fault."""
        with self._meta_lock:
            self._fault_ids += 1
            fault = make_fault(dict(spec or {}, **fields), self._fault_ids)
            self._faults.append(fault)
            return dict(fault)

    def clear_faults(self):
        with self._meta_lock:
            self._faults = []

    def faults(self):
        with self._meta_lock:
            return [dict(fault) for fault in self._faults]

    def requests(self):
        with self._meta_lock:
            return [dict(entry) for entry in self._requests]

    def request_counts(self):
        counts = {'total': 0, 'by_method': {}, 'by_route': {}}
        for entry in self.requests():
            counts['total'] += 1
            counts['by_method'][entry['method']] = counts['by_method'].get(entry['method'], 0) + 1
            key = '%s %s' % (entry['method'], entry['route'] or entry['path'])
            counts['by_route'][key] = counts['by_route'].get(key, 0) + 1
        return counts

    def request_count(self, method=None, path=None):
        """How many logged requests match ``method`` and ``path`` (route template or path sent, case-insensitive)."""
        path = path.lower().rstrip('/') if path else None
        return sum(1 for entry in self.requests() if (method is None or entry['method'] == method.upper())
                   and (path is None or path in ((entry['route'] or '').lower(), entry['path'].lower().rstrip('/'))))

    def request_log(self):
        """What GET /_sandbox/requests answers: the requests and their counts."""
        counts = self.request_counts()
        return {'requests': self.requests(), 'counts': counts['by_method'], 'total': counts['total'], 'by_route': counts['by_route']}

    def clear_requests(self):
        with self._meta_lock:
            self._requests = []

    def configure(self, **switches):
        with self.api.lock:
            self.config.update(self._checked_config(dict(self.config), switches))
            return dict(self.config)

    def state(self):
        with self.api.lock:
            return self.api.dump()

    def load_state(self, state):
        with self.api.lock:
            self.api.load(state)
            self._persist()

    def save_state(self, path=None):
        path = path or self.state_file
        with self.api.lock:
            document = self.api.dump()
        temporary = '%s.%d.tmp' % (path, os.getpid())
        with open(temporary, 'w', encoding='utf-8') as handle:
            json.dump(document, handle, indent=1)
        os.replace(temporary, path)

    def reset(self):
        """Clear every store, fault and logged request, and restore the constructor's configuration."""
        with self.api.lock:
            self._generation += 1
            self.api.clear()
            self.config.clear()
            self.config.update(self.initial_config)
            self._persist()
        self.clear_faults()
        self.clear_requests()

    @staticmethod
    def _checked_config(base, switches):
        for name, value in switches.items():
            if name not in _CONFIG_TYPES:
                raise ValueError('unknown sandbox setting %r' % name)
            if not isinstance(value, _CONFIG_TYPES[name]) or (isinstance(value, bool) and _CONFIG_TYPES[name] is not bool):
                raise ValueError('sandbox setting %r must be a %s' % (name, _CONFIG_TYPES[name].__name__))
            base[name] = value
        if not 400 <= base['auth_failure_status'] <= 599 or base['processing_polls'] < 0 or base['product_page_size'] < 1:
            raise ValueError('auth_failure_status must be 4xx/5xx, processing_polls >= 0, product_page_size >= 1')
        if base['product_update'] not in ('merge', 'replace'):
            raise ValueError("product_update must be 'merge' or 'replace'")
        return base

    def _persist(self):
        if self.state_file:
            self.save_state()

    # -- request processing -----------------------------------------------------------------------------------
    def serve(self, handler):
        parts = urlsplit(handler.path)
        body = handler.read_body()
        if parts.path.lower().rstrip('/').startswith('/_sandbox'):
            handler.send(self.control(handler.command, parts.path, body))
            return
        generation = self._generation
        fault = self._take_fault(handler.command, parts.path)
        if fault and not fault['after_processing']:
            if not self._delay(handler, fault, generation):
                return
            if fault['drop'] or fault['status'] is not None:
                route = self.router.match(handler.command, parts.path)[0]
                self._answer(handler, parts, route, None if fault['drop'] else fault_reply(fault), fault)
                return
        route, reply = self.process(handler.command, parts.path, parts.query, handler.headers, body)
        if fault and fault['after_processing']:
            if not self._delay(handler, fault, generation):
                return
            if fault['drop']:
                reply = None
            elif fault['status'] is not None:
                reply = fault_reply(fault)
        self._answer(handler, parts, route, reply, fault)

    def _delay(self, handler, fault, generation):
        """Sleep for the fault's delay; False (connection dropped, nothing logged) if the sandbox was reset or stopped meanwhile."""
        if fault['delay'] and (self._stopping.wait(fault['delay']) or generation != self._generation):
            handler.drop()
            return False
        return True

    def _answer(self, handler, parts, route, reply, fault):
        with self._meta_lock:
            self._requests.append({'method': handler.command, 'path': parts.path, 'query': parts.query,
                                   'status': reply.status if reply else None, 'route': route.template if route else None,
                                   'fault': fault['id'] if fault else None})
        if reply is None:
            handler.drop()
        else:
            handler.send(reply, route)

    def _take_fault(self, method, path):
        path = path.lower().rstrip('/') or '/'
        with self._meta_lock:
            for fault in self._faults:
                if fault['method'] in ('*', method) and fnmatch.fnmatchcase(path, fault['path'].lower().rstrip('/') or '/'):
                    fault['hits'] += 1
                    if fault['times'] > 0:
                        fault['times'] -= 1
                        if fault['times'] == 0:
                            self._faults.remove(fault)
                    return dict(fault)
        return None

    def authorized(self, headers):
        pairs = ((headers.get('api-auth-id'), self.auth_id), (headers.get('api-auth-signature'), self.auth_signature))
        return all(sent is not None and hmac.compare_digest(sent.encode('utf-8'), expected.encode('utf-8')) for sent, expected in pairs)

    def process(self, method, path, query, headers, body):
        """Route, authenticate, read the body and run the handler: (route or None, Reply)."""
        route, params, allowed = self.router.match(method, path)
        if route is None:
            if allowed:
                return None, Reply(405, headers={'Allow': ', '.join(allowed)})
            return None, Reply(404)
        if not self.authorized(headers):
            return route, Reply(self.config['auth_failure_status'])
        try:
            payload = read_body(route.body, headers.get('Content-Type'), body) if route.body else None
            with self.api.lock:
                reply = getattr(self.api, route.handler)(Call(params, query, payload))
                if method != 'GET' and reply.status < 300:
                    self._persist()
        except ApiError as err:
            reply = err.reply
        except Exception as err:  # an unexpected sandbox bug answers like the service's unhandled exceptions
            sys.stderr.write('stocktrim sandbox: %s %s failed: %r\n' % (method, path, err))
            reply = Reply(500, _HTML_ERROR.encode('utf-8'), 'text/html; charset=utf-8')
        return route, reply

    # -- HTTP control API -------------------------------------------------------------------------------------
    def control(self, method, path, raw):
        name = path.lower().rstrip('/')[len('/_sandbox'):].strip('/')
        handler = {('GET', 'health'): lambda doc: {'status': 'ok', 'url': self.url},
                   ('GET', 'faults'): lambda doc: self.faults(),
                   ('POST', 'faults'): self._ctl_add_fault,
                   ('DELETE', 'faults'): lambda doc: self.clear_faults() or {'faults': []},
                   ('GET', 'requests'): lambda doc: self.request_log(),
                   ('DELETE', 'requests'): lambda doc: self.clear_requests() or {'requests': []},
                   ('POST', 'reset'): lambda doc: self.reset() or {'reset': True},
                   ('GET', 'config'): lambda doc: self.configure(),
                   ('POST', 'config'): lambda doc: self.configure(**(doc or {})),
                   ('GET', 'state'): lambda doc: self.state(),
                   ('PUT', 'state'): lambda doc: self.load_state(doc) or self.state()}.get((method, name))
        if handler is None:
            return json_reply(404, {'error': 'unknown control endpoint %s %s' % (method, path)})
        try:
            document = json.loads(raw.decode('utf-8')) if raw.strip() else None
            if document is not None and not isinstance(document, (dict, list)):
                raise ValueError('the body must be a JSON object')
            result = handler(document)
        except (ValueError, TypeError) as err:
            return json_reply(400, {'error': str(err)})
        return json_reply(201 if (method, name) == ('POST', 'faults') else 200, result)

    def _ctl_add_fault(self, document):
        if isinstance(document, list):
            return [self.add_fault(spec) for spec in document]
        return self.add_fault(document)


# ---------------------------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description='StockTrim API sandbox (serves until SIGTERM/SIGINT).')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=0, help='0 = any free port')
    parser.add_argument('--auth-id', default=os.environ.get('STOCKTRIM_API_AUTH_ID'), help='expected api-auth-id')
    parser.add_argument('--auth-signature', default=os.environ.get('STOCKTRIM_API_AUTH_SIGNATURE'), help='expected api-auth-signature')
    parser.add_argument('--state-file', help='load the stores from this JSON file if it exists; save them after each change')
    parser.add_argument('--port-file', help='write the bound port to this file once listening')
    parser.add_argument('--verbose', action='store_true', help='log each request line to stderr')
    parser.add_argument('--locations-readable', action='store_true')
    parser.add_argument('--sales-orders-readable', action='store_true')
    parser.add_argument('--processing-polls', type=int, default=DEFAULT_CONFIG['processing_polls'])
    parser.add_argument('--auth-failure-status', type=int, default=DEFAULT_CONFIG['auth_failure_status'])
    args = parser.parse_args(argv)
    if not args.auth_id or not args.auth_signature:
        parser.error('--auth-id and --auth-signature are required (or STOCKTRIM_API_AUTH_ID and STOCKTRIM_API_AUTH_SIGNATURE)')
    sandbox = StockTrimSandbox(port=args.port, auth_id=args.auth_id, auth_signature=args.auth_signature, host=args.host,
                               state_file=args.state_file, verbose=args.verbose, locations_readable=args.locations_readable,
                               sales_orders_readable=args.sales_orders_readable, processing_polls=args.processing_polls,
                               auth_failure_status=args.auth_failure_status)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    signal.signal(signal.SIGINT, lambda signum, frame: stop.set())
    sandbox.start()
    if args.port_file:
        temporary = args.port_file + '.tmp'
        with open(temporary, 'w', encoding='utf-8') as handle:
            handle.write('%d\n' % sandbox.port)
        os.replace(temporary, args.port_file)
    print('StockTrim sandbox listening on %s' % sandbox.url, flush=True)
    while not stop.wait(0.5):
        pass
    sandbox.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
