# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulated StockTrim tenant: its stores, its switches and its state; the route handlers come from the mixins."""

from __future__ import annotations

import json
import threading
import uuid

from sandbox.stocktrim.catalogue import CatalogueMixin
from sandbox.stocktrim.orders import OrdersMixin
from sandbox.stocktrim.planning import PlanningMixin
from sandbox.stocktrim.replies import ApiError
from sandbox.stocktrim.schemas import deserialize, shape

DEFAULT_CONFIG = {
    'locations_readable': False,        # GET /api/Locations answers 404 like production unless True
    'sales_orders_readable': False,     # GET /api/SalesOrders answers 404 like production unless True
    'purchase_orders_readable': True,   # GET /api/PurchaseOrders (V1); False = 404 always, as seen on one tenant
    'processing_polls': 2,              # GET /api/ProcessingStatus says isProcessing for this many polls after a run
    'auth_failure_status': 401,         # status for missing or wrong api-auth-* headers (empty body)
    'product_page_size': 50,            # GET /api/Products page size
    'product_update': 'merge',          # POST /api/Products on an existing product: merge the keys sent, or replace all
    'latency_ms': 0,                    # every API request (not /_sandbox/) waits this long before it is processed
}
_CONFIG_TYPES = {'locations_readable': bool, 'sales_orders_readable': bool, 'purchase_orders_readable': bool,
                 'processing_polls': int, 'auth_failure_status': int, 'product_page_size': int, 'product_update': str,
                 'latency_ms': int}

_STATE_KEYS = ('products', 'customers', 'suppliers', 'locations', 'purchaseOrders', 'salesOrders', 'billOfMaterials',
               'inventoryManagementSystem', 'configuration', 'processingStatus', 'forecastRuns')


class StockTrimApi(CatalogueMixin, OrdersMixin, PlanningMixin):
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
