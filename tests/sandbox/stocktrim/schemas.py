# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Request schemas of the StockTrim API sandbox, and reading bodies as the service does: conversion and validation."""

from __future__ import annotations

import datetime
import json
import math
import re

from sandbox.stocktrim.replies import ApiError, Reply, validation_problem

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
_JSON_MEDIA = re.compile(r'^(application/json|text/json|application/json-patch\+json|application/[^/\s;]+\+json)$')
_NUMBER = re.compile(r'^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$')


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
